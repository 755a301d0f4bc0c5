-- A judging attempt is identified by the seq of its start. Results of an
-- attempt that a rejudge or a retry has overtaken carry an old token and are
-- ignored instead of being mixed into the new attempt.
ALTER TABLE submissions ADD COLUMN judge_token INTEGER NOT NULL DEFAULT 0;
