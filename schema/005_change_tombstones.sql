-- A delete is a change too: a deleted problem (or any object deleted through
-- db_change_deleted) keeps its row in the log, marked deleted, at the seq of
-- the delete, so that a client resuming after an older seq learns that it is
-- gone (the CLICS event feed sends it as `data: null`). A new change of the
-- same (kind, id) clears the mark. Submissions still leave the log when they
-- are deleted (004's trigger): they go only with their problem, whose
-- tombstone says so.
ALTER TABLE changes ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
