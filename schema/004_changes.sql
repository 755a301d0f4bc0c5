-- One change log for every kind of object. Every change takes the next value
-- of the global counter `seq` and records, per object, the seq of its latest
-- change and the scope it is visible in (a submission: its problem; NULL:
-- everywhere). A resume asks for the changes in a scope after a seq; the row
-- of an object is replaced by its next change, so the log holds the current
-- state's seq of each object and stays as large as the objects.
CREATE TABLE changes (
  kind       TEXT NOT NULL,     -- 'submission', 'problem', 'user', ...
  id         INTEGER NOT NULL,
  seq        INTEGER NOT NULL,
  scope_kind TEXT,              -- 'problem' for a submission; NULL: visible everywhere
  scope_id   INTEGER,
  PRIMARY KEY (kind, id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX changes_seq ON changes (seq);
CREATE INDEX changes_scope ON changes (scope_kind, scope_id, kind, seq);

-- Submissions kept their seq in their own row until now: it moves here.
INSERT INTO changes (kind, id, seq, scope_kind, scope_id)
  SELECT 'submission', id, seq, 'problem', problem_id FROM submissions;
DROP INDEX submissions_seq;
ALTER TABLE submissions DROP COLUMN seq;

-- A deleted submission leaves the log (also when its problem goes).
CREATE TRIGGER submissions_change_delete AFTER DELETE ON submissions BEGIN
  DELETE FROM changes WHERE kind = 'submission' AND id = OLD.id;
END;
