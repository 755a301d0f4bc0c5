-- Jury submissions: a package's submissions/ judged at import through the
-- queue like any submission, but never listed, counted or shown to users,
-- logged in the 'jury' scope of their problem (admins only). jury_submissions
-- holds each one the package gave, with the verdicts its folder (or its
-- @EXPECTED_RESULTS@, or submissions.yaml) allows; one that cannot be judged
-- here (language not available, several files) has no submission and a note.
-- As problemtools does, each runs with a limit of its own (time_limit_ms): the
-- accepted ones first, with a provisional limit while the problem's is to be
-- derived; the others (kept with language and source until then) once it is,
-- with that limit times time_limit_to_tle. Reports read them under the limit.
ALTER TABLE submissions ADD COLUMN jury INTEGER NOT NULL DEFAULT 0;

CREATE TABLE jury_submissions (
  id            INTEGER PRIMARY KEY,
  problem_id    INTEGER NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
  submission_id INTEGER REFERENCES submissions (id) ON DELETE SET NULL,
  path          TEXT NOT NULL,             -- under submissions/: "accepted/sol.c"
  expected      TEXT NOT NULL,             -- verdicts allowed, comma-separated: "AC", "WA,TLE"
  time_limit_ms INTEGER,                   -- the limit it is judged with
  language      TEXT,                      -- NULL: not judged (note)
  source        TEXT,
  note          TEXT NOT NULL DEFAULT ''   -- why it is not judged, when it is not
);
CREATE INDEX jury_submissions_problem ON jury_submissions (problem_id, id);
CREATE INDEX jury_submissions_submission ON jury_submissions (submission_id);

-- A problem whose package gave no time limit: derived from its jury
-- submissions (state 'pending' until every one is judged, then 'derived', or
-- 'none' without an accepted one), with the package's multipliers.
CREATE TABLE jury_limits (
  problem_id        INTEGER PRIMARY KEY REFERENCES problems (id) ON DELETE CASCADE,
  state             TEXT NOT NULL CHECK (state IN ('given', 'pending', 'derived', 'none')),
  ac_to_time_limit  REAL NOT NULL,
  time_limit_to_tle REAL NOT NULL,
  time_resolution   REAL NOT NULL,
  slowest_ac_ms     INTEGER,
  owner_id          INTEGER REFERENCES users (id) ON DELETE SET NULL -- whom the jury submissions are judged as
);

-- The problem's submission count is of users' submissions only.
DROP TRIGGER submissions_count_insert;
DROP TRIGGER submissions_count_delete;
CREATE TRIGGER submissions_count_insert AFTER INSERT ON submissions WHEN NEW.jury = 0 BEGIN
  UPDATE problems SET submission_count = submission_count + 1 WHERE id = NEW.problem_id;
END;
CREATE TRIGGER submissions_count_delete AFTER DELETE ON submissions WHEN OLD.jury = 0 BEGIN
  UPDATE problems SET submission_count = submission_count - 1 WHERE id = OLD.problem_id;
END;
