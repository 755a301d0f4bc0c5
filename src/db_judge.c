/* Submission state changes made by judging and rejudging. Each change of a
 * submission row takes the next value of the global seq in the same
 * transaction, so seq order is commit order. */
#include "db_int.h"

#include <errno.h>

#define NOW_RFC3339 "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"

static int requeue_one(struct db_conn *c, int64_t id)
{
	int64_t seq = db_next_seq(c, id);
	if (seq < 0)
		return -EIO;
	sqlite3_stmt *st = db_stmt(c, "UPDATE submissions SET seq = ?, status = 'queued', verdict = NULL, score = NULL,"
				      " time_ms = NULL, memory_kb = NULL, tests_passed = 0, compile_output = '',"
				      " judge_log = '', attempts = 0, judged_at = NULL,"
				      " tests_total = (SELECT count(*) FROM tests WHERE problem_id = submissions.problem_id)"
				      " WHERE id = ?");
	sqlite3_bind_int64(st, 1, seq);
	sqlite3_bind_int64(st, 2, id);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(c, "requeue submission");
	if (rc == 0 && sqlite3_changes(db_handle(c)) == 0)
		rc = DB_E_NOT_FOUND;
	sqlite3_reset(st);
	if (rc)
		return rc;
	st = db_stmt(c, "DELETE FROM test_results WHERE submission_id = ?");
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(c, "delete test results");
	sqlite3_reset(st);
	return rc;
}

int db_submission_requeue(struct db *db, int64_t id)
{
	struct db_conn *c = db_write_begin(db);
	return db_write_end(db, c, requeue_one(c, id));
}

int db_problem_requeue(struct db *db, int64_t problem_id, int64_t *count)
{
	struct db_conn *c = db_write_begin(db);
	int rc = 0;
	int64_t n = 0, last = 0;
	/* Walk by id in batches: the requeue updates the rows the query reads. */
	for (;;) {
		sqlite3_stmt *st = db_stmt(c, "SELECT id FROM submissions WHERE problem_id = ? AND id > ? ORDER BY id LIMIT 256");
		sqlite3_bind_int64(st, 1, problem_id);
		sqlite3_bind_int64(st, 2, last);
		int64_t ids[256];
		int k = 0;
		while (k < 256 && sqlite3_step(st) == SQLITE_ROW)
			ids[k++] = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		for (int i = 0; i < k && rc == 0; i++)
			rc = requeue_one(c, ids[i]);
		n += k;
		if (k < 256 || rc)
			break;
		last = ids[k - 1];
	}
	if (count)
		*count = n;
	return db_write_end(db, c, rc);
}
