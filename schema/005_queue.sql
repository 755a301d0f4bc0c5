-- Fair judging. A rejudged submission waits behind fresh ones until it is
-- judged (queue_priority 1); the dispatcher takes queued submissions in turns
-- by user (src/store/db_judge.c, QUEUE_KEY), over the submissions not yet done,
-- which this index also counts for the per-user queue limit.
ALTER TABLE submissions ADD COLUMN queue_priority INTEGER NOT NULL DEFAULT 0;
CREATE INDEX submissions_active ON submissions (user_id, queue_priority, status, id) WHERE status <> 'done';
