-- The contest state last logged in the change log (DB_KIND_CONTEST_STATE):
-- its phase (contest/clock.c: 'scheduled', 'running', 'frozen', 'ended',
-- 'thawed', 'finalized') and, while the freeze hides results, the moment
-- from which it hides them. NULL: never logged, so every contest, old ones
-- included, logs its current state once. A thaw re-logs the submissions made
-- from hidden_from_logged on (they were hidden and no longer are).
ALTER TABLE contests ADD COLUMN phase_logged TEXT;
ALTER TABLE contests ADD COLUMN hidden_from_logged INTEGER;
