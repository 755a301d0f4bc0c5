-- verdict's first schema: users and sessions, problems and their tests,
-- submissions with per-test results, and the global change counter `seq`.

CREATE TABLE counters (
  name  TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO counters (name, value) VALUES ('seq', 0);

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('admin', 'user')),
  created_at    TEXT NOT NULL
);

-- Tokens are stored as their SHA-256, never in clear.
CREATE TABLE sessions (
  token_hash BLOB PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE problems (
  id               INTEGER PRIMARY KEY,
  slug             TEXT NOT NULL UNIQUE,
  title            TEXT NOT NULL,
  statement        TEXT NOT NULL DEFAULT '',
  statement_format TEXT NOT NULL DEFAULT 'markdown' CHECK (statement_format IN ('markdown', 'text')),
  time_limit_ms    INTEGER NOT NULL,
  memory_limit_kb  INTEGER NOT NULL,
  output_limit_kb  INTEGER NOT NULL,
  checker          TEXT NOT NULL,             -- JSON object, e.g. {"type": "tokens"}
  validator        BLOB,                      -- compiled custom output validator, if any
  submission_count INTEGER NOT NULL DEFAULT 0, -- kept by triggers, for paging totals
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
);

-- Tests in run order: samples first, then the rest in name order.
CREATE TABLE tests (
  problem_id INTEGER NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
  idx        INTEGER NOT NULL,          -- 1-based position in run order
  name       TEXT NOT NULL,
  grp        TEXT NOT NULL,             -- test group; "sample" for samples
  points     REAL NOT NULL DEFAULT 0,   -- the group's points are the sum over its tests
  sample     INTEGER NOT NULL DEFAULT 0,
  input      BLOB NOT NULL,
  output     BLOB NOT NULL,
  PRIMARY KEY (problem_id, idx)
) WITHOUT ROWID;

CREATE TABLE submissions (
  id             INTEGER PRIMARY KEY,
  seq            INTEGER NOT NULL,
  problem_id     INTEGER NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
  user_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  language       TEXT NOT NULL,
  source         TEXT NOT NULL,
  status         TEXT NOT NULL CHECK (status IN ('queued', 'compiling', 'running', 'done')),
  verdict        TEXT CHECK (verdict IN ('AC', 'WA', 'TLE', 'MLE', 'RTE', 'OLE', 'CE', 'JE')),
  score          REAL,
  time_ms        INTEGER,
  memory_kb      INTEGER,
  tests_passed   INTEGER NOT NULL DEFAULT 0,
  tests_total    INTEGER NOT NULL DEFAULT 0,
  compile_output TEXT NOT NULL DEFAULT '',
  judge_log      TEXT NOT NULL DEFAULT '',  -- for admins: sandbox and checker messages
  attempts       INTEGER NOT NULL DEFAULT 0, -- judging attempts, for retry after a worker died
  created_at     TEXT NOT NULL,
  judged_at      TEXT
);
CREATE INDEX submissions_problem ON submissions (problem_id, id);
CREATE INDEX submissions_user ON submissions (user_id, id);
CREATE UNIQUE INDEX submissions_seq ON submissions (seq);
CREATE INDEX submissions_pending ON submissions (status, id) WHERE status <> 'done';

CREATE TABLE test_results (
  submission_id INTEGER NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
  idx           INTEGER NOT NULL,
  grp           TEXT NOT NULL,
  verdict       TEXT NOT NULL,
  time_ms       INTEGER NOT NULL,
  memory_kb     INTEGER NOT NULL,
  PRIMARY KEY (submission_id, idx)
) WITHOUT ROWID;

CREATE TRIGGER submissions_count_insert AFTER INSERT ON submissions BEGIN
  UPDATE problems SET submission_count = submission_count + 1 WHERE id = NEW.problem_id;
END;
CREATE TRIGGER submissions_count_delete AFTER DELETE ON submissions BEGIN
  UPDATE problems SET submission_count = submission_count - 1 WHERE id = OLD.problem_id;
END;
