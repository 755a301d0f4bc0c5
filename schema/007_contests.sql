-- Contests (CLICS Contest API 2023-06 vocabulary; notes/contests.md §5):
-- contests with their time window and freeze, problems in a contest, teams
-- with their organizations, groups and member accounts, contest submissions,
-- and clarifications. Times are integer ms since the epoch.

-- The jury role. SQLite cannot change users.role's CHECK without rebuilding
-- the table, and a rebuild inside the migration's transaction (foreign keys
-- on) would cascade into sessions and submissions, so jury is a flag:
-- role 'admin' is admin, else jury = 1 is jury, else user.
ALTER TABLE users ADD COLUMN jury INTEGER NOT NULL DEFAULT 0 CHECK (jury IN (0, 1));

CREATE TABLE contests (
  id                 INTEGER PRIMARY KEY,
  shortname          TEXT NOT NULL UNIQUE,      -- the CLICS id: [a-z0-9_-]{1,36}
  name               TEXT NOT NULL,
  formal_name        TEXT NOT NULL DEFAULT '',
  start_ms           INTEGER,                   -- NULL: not scheduled
  countdown_pause_ms INTEGER,                   -- time left at a paused countdown; never with start_ms
  duration_ms        INTEGER NOT NULL CHECK (duration_ms > 0),
  freeze_ms          INTEGER NOT NULL DEFAULT 0 CHECK (freeze_ms >= 0), -- scoreboard_freeze_duration; 0: none
  scoring            TEXT NOT NULL DEFAULT 'icpc' CHECK (scoring IN ('icpc', 'ioi')),
  ioi_mode           TEXT NOT NULL DEFAULT 'max_submission' CHECK (ioi_mode IN ('max_submission', 'max_subtasks')),
  penalty_min        INTEGER NOT NULL DEFAULT 20 CHECK (penalty_min >= 0),
  public             INTEGER NOT NULL DEFAULT 0,  -- anyone (also without a session) may see it
  practice_after_end INTEGER NOT NULL DEFAULT 0,
  classroom          INTEGER NOT NULL DEFAULT 0,  -- every user who submits gets a team of their own
  frozen_at_ms       INTEGER,                   -- "freeze now" (else start + duration - freeze_ms)
  thaw_at_ms         INTEGER,                   -- scoreboard_thaw_time: set by "thaw" (now or later)
  finalized_at_ms    INTEGER,
  gold               INTEGER NOT NULL DEFAULT 4,
  silver             INTEGER NOT NULL DEFAULT 4,
  bronze             INTEGER NOT NULL DEFAULT 4,
  created_at         TEXT NOT NULL,
  updated_at         TEXT NOT NULL,
  CHECK (start_ms IS NULL OR countdown_pause_ms IS NULL)
);

-- A problem can be in several contests, with a label, colour and order in each.
CREATE TABLE contest_problems (
  contest_id INTEGER NOT NULL REFERENCES contests (id) ON DELETE CASCADE,
  problem_id INTEGER NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
  label      TEXT NOT NULL,
  ordinal    INTEGER NOT NULL,
  color      TEXT NOT NULL DEFAULT '',          -- "#rrggbb", or ''
  max_score  REAL,                              -- score contests: the problem's maximum
  PRIMARY KEY (contest_id, problem_id),
  UNIQUE (contest_id, label)
) WITHOUT ROWID;
CREATE INDEX contest_problems_problem ON contest_problems (problem_id);

CREATE TABLE organizations (
  id          INTEGER PRIMARY KEY,
  contest_id  INTEGER NOT NULL REFERENCES contests (id) ON DELETE CASCADE,
  key         TEXT NOT NULL,                    -- the CLICS id
  name        TEXT NOT NULL,
  formal_name TEXT NOT NULL DEFAULT '',
  country     TEXT NOT NULL DEFAULT '',         -- ISO 3166-1 alpha-3, or ''
  icpc_id     TEXT,
  UNIQUE (contest_id, key)
);

-- Groups are categories of teams ("students", "observers", a site).
CREATE TABLE groups (
  id         INTEGER PRIMARY KEY,
  contest_id INTEGER NOT NULL REFERENCES contests (id) ON DELETE CASCADE,
  key        TEXT NOT NULL,                     -- the CLICS id
  name       TEXT NOT NULL,
  type       TEXT NOT NULL DEFAULT '',
  hidden     INTEGER NOT NULL DEFAULT 0,        -- its teams are off the public board
  icpc_id    TEXT,
  UNIQUE (contest_id, key)
);

CREATE TABLE teams (
  id              INTEGER PRIMARY KEY,
  contest_id      INTEGER NOT NULL REFERENCES contests (id) ON DELETE CASCADE,
  key             TEXT NOT NULL,                -- the CLICS id
  label           TEXT NOT NULL,
  name            TEXT NOT NULL,
  display_name    TEXT NOT NULL DEFAULT '',
  organization_id INTEGER REFERENCES organizations (id) ON DELETE SET NULL,
  hidden          INTEGER NOT NULL DEFAULT 0,   -- off the public board
  icpc_id         TEXT,
  UNIQUE (contest_id, key),
  UNIQUE (contest_id, label)
);

CREATE TABLE team_groups (
  team_id  INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
  PRIMARY KEY (team_id, group_id)
) WITHOUT ROWID;

-- An account is in at most one team per contest.
CREATE TABLE team_members (
  contest_id INTEGER NOT NULL REFERENCES contests (id) ON DELETE CASCADE,
  user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  team_id    INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  PRIMARY KEY (contest_id, user_id)
) WITHOUT ROWID;
CREATE INDEX team_members_team ON team_members (team_id);

-- A contest submission carries its contest and team; its contest time comes
-- from submitted_ms. Practice submissions (after the end) are judged and never
-- counted. A deleted contest or team leaves its submissions as plain ones.
ALTER TABLE submissions ADD COLUMN contest_id INTEGER REFERENCES contests (id) ON DELETE SET NULL;
ALTER TABLE submissions ADD COLUMN team_id INTEGER REFERENCES teams (id) ON DELETE SET NULL;
ALTER TABLE submissions ADD COLUMN submitted_ms INTEGER;
ALTER TABLE submissions ADD COLUMN practice INTEGER NOT NULL DEFAULT 0;
CREATE INDEX submissions_contest ON submissions (contest_id, id) WHERE contest_id IS NOT NULL;
CREATE INDEX submissions_team ON submissions (team_id, id) WHERE team_id IS NOT NULL;
-- A problem's own (non-contest) submission count: submission_count minus these.
CREATE INDEX submissions_contest_problem ON submissions (problem_id) WHERE contest_id IS NOT NULL;

-- A team asks the jury (to_all 0, to_team_id NULL, from_team_id set); the jury
-- answers one team (to_team_id) or everyone (to_all 1), or announces (to_all 1,
-- reply_to NULL). A request is answered once any reply to it exists.
CREATE TABLE clarifications (
  id             INTEGER PRIMARY KEY,
  contest_id     INTEGER NOT NULL REFERENCES contests (id) ON DELETE CASCADE,
  from_team_id   INTEGER REFERENCES teams (id) ON DELETE CASCADE,
  to_team_id     INTEGER REFERENCES teams (id) ON DELETE CASCADE,
  to_all         INTEGER NOT NULL DEFAULT 0,
  reply_to       INTEGER REFERENCES clarifications (id) ON DELETE SET NULL,
  problem_id     INTEGER REFERENCES problems (id) ON DELETE SET NULL,
  text           TEXT NOT NULL,
  time_ms        INTEGER NOT NULL,
  sender_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  CHECK (from_team_id IS NULL OR to_team_id IS NULL)
);
CREATE INDEX clarifications_contest ON clarifications (contest_id, id);
CREATE INDEX clarifications_reply ON clarifications (reply_to) WHERE reply_to IS NOT NULL;
