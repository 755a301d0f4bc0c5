-- Fair judging (src/store/db_submissions.c, db_judge.c). A fresh submission
-- takes the next round of its user's (its queue key's) among those not yet
-- judged, but no earlier than the earliest round still being judged or
-- waiting, so the queue, taken in round order, serves users in turns. A
-- rejudged submission waits behind fresh ones until it is judged
-- (queue_priority 1).
ALTER TABLE submissions ADD COLUMN queue_priority INTEGER NOT NULL DEFAULT 0;
ALTER TABLE submissions ADD COLUMN queue_round INTEGER NOT NULL DEFAULT 0;
CREATE INDEX submissions_queue ON submissions (queue_priority, queue_round, id) WHERE status <> 'done';
CREATE INDEX submissions_active ON submissions (user_id, queue_priority) WHERE status <> 'done';
