/* Submission state changes made by judging and rejudging. Each change of a
 * submission row takes the next value of the global seq in the same
 * transaction (db_submission_change), so seq order is commit order. */
#include "db_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

#define NOW_RFC3339 "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"

/* Puts one submission back in the queue; a rejudge (rejudge true) waits behind fresh submissions until judged. */
static int requeue_one(struct db_conn *c, int64_t id, bool rejudge)
{
	int64_t seq = db_submission_change(c, id);
	if (seq <= 0)
		return seq < 0 ? -EIO : DB_E_NOT_FOUND;
	sqlite3_stmt *st = db_stmt(c, "UPDATE submissions SET status = 'queued', verdict = NULL, score = NULL,"
				      " time_ms = NULL, memory_kb = NULL, tests_passed = 0, compile_output = '',"
				      " judge_log = '', attempts = 0, judged_at = NULL, judge_token = 0,"
				      " queue_priority = max(queue_priority, ?2),"
				      " tests_total = (SELECT count(*) FROM tests WHERE problem_id = submissions.problem_id)"
				      " WHERE id = ?1");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, rejudge);
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
	return db_write_end(db, c, requeue_one(c, id, true));
}

/* Requeues, in batches by id, the submissions of a problem (0: all) that are
   being judged (only_unfinished) or all of them. *count gets how many. */
static int requeue_many(struct db_conn *c, int64_t problem_id, bool only_unfinished, int64_t *count)
{
	int rc = 0;
	int64_t n = 0, last = 0;
	for (;;) {
		sqlite3_stmt *st = db_stmt(c, "SELECT id FROM submissions WHERE (?1 = 0 OR problem_id = ?1)"
					      " AND (?2 = 0 OR status IN ('compiling', 'running')) AND id > ?3"
					      " ORDER BY id LIMIT 256");
		sqlite3_bind_int64(st, 1, problem_id);
		sqlite3_bind_int(st, 2, only_unfinished);
		sqlite3_bind_int64(st, 3, last);
		int64_t ids[256];
		int k = 0;
		while (k < 256 && sqlite3_step(st) == SQLITE_ROW)
			ids[k++] = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		for (int i = 0; i < k && rc == 0; i++)
			rc = requeue_one(c, ids[i], !only_unfinished);
		n += k;
		if (k < 256 || rc)
			break;
		last = ids[k - 1];
	}
	if (count)
		*count = n;
	return rc;
}

int db_problem_requeue(struct db *db, int64_t problem_id, int64_t *count)
{
	struct db_conn *c = db_write_begin(db);
	return db_write_end(db, c, requeue_many(c, problem_id, false, count));
}

size_t db_judge_pending(struct db *db, int64_t *ids, size_t max)
{
	/* Rounds are given at submission (db_submissions.c, next_round); the
	   status <> 'done' term lets the planner use the partial index submissions_queue. */
	struct db_conn *c = db_reader(db);
	sqlite3_stmt *st = db_stmt(c, "SELECT id FROM submissions WHERE status <> 'done' AND status = 'queued'"
				      " ORDER BY queue_priority, queue_round, id LIMIT ?");
	sqlite3_bind_int64(st, 1, (int64_t)max);
	size_t n = 0;
	while (n < max && sqlite3_step(st) == SQLITE_ROW)
		ids[n++] = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}

/* Runs an UPDATE of one submission, whose id is ?2, as a change that takes a new seq. */
static int update_one(struct db_conn *c, int64_t id, sqlite3_stmt *st, const char *what)
{
	int64_t seq = db_submission_change(c, id);
	if (seq <= 0)
		return seq < 0 ? -EIO : DB_E_NOT_FOUND;
	sqlite3_bind_int64(st, 2, id);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(c, what);
	if (rc == 0 && sqlite3_changes(db_handle(c)) == 0)
		rc = DB_E_NOT_FOUND;
	sqlite3_reset(st);
	return rc;
}

int db_judge_begin(struct db *db, int64_t id, int64_t *token, int *attempt)
{
	struct db_conn *c = db_write_begin(db);
	sqlite3_stmt *st = db_stmt(c, "UPDATE submissions SET judge_token = ?1, status = 'compiling',"
				      " attempts = attempts + 1 WHERE id = ?2 AND status = 'queued' RETURNING attempts");
	int64_t seq = db_submission_change(c, id);
	sqlite3_bind_int64(st, 1, seq);
	sqlite3_bind_int64(st, 2, id);
	int step = seq < 0 ? SQLITE_ERROR : sqlite3_step(st);
	int rc = step == SQLITE_ROW ? 0 : step == SQLITE_DONE ? DB_E_NOT_FOUND : seq < 0 ? -EIO : db_fail(c, "begin judging");
	if (rc == 0) {
		if (attempt)
			*attempt = sqlite3_column_int(st, 0);
		*token = seq;
	}
	sqlite3_reset(st);
	return db_write_end(db, c, rc);
}

int db_judge_compiled(struct db *db, int64_t id, int64_t token, const char *compile_output)
{
	struct db_conn *c = db_write_begin(db);
	sqlite3_stmt *st = db_stmt(c, "UPDATE submissions SET status = 'running', compile_output = ?3"
				      " WHERE id = ?2 AND judge_token = ?4 AND status <> 'done'");
	sqlite3_bind_text(st, 3, compile_output ? compile_output : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, token);
	return db_write_end(db, c, update_one(c, id, st, "mark running"));
}

static bool attempt_current(struct db_conn *c, int64_t id, int64_t token)
{
	sqlite3_stmt *st = db_stmt(c, "SELECT 1 FROM submissions WHERE id = ? AND judge_token = ? AND status <> 'done'");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, token);
	bool current = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return current;
}

int db_judge_test_feedback(struct db *db, int64_t id, int64_t token, int idx, const char *output, size_t output_len,
			   const char *team_message)
{
	struct db_conn *c = db_write_begin(db);
	if (!attempt_current(c, id, token))
		return db_write_end(db, c, DB_E_NOT_FOUND);
	sqlite3_stmt *st = db_stmt(c, "UPDATE test_results SET output = ?, team_message = substr(?, 1, ?)"
				      " WHERE submission_id = ? AND idx = ?");
	if (output)
		sqlite3_bind_blob64(st, 1, output_len ? output : "",
				    output_len < DB_FEEDBACK_OUTPUT_MAX ? output_len : DB_FEEDBACK_OUTPUT_MAX, SQLITE_STATIC);
	if (team_message)
		sqlite3_bind_text(st, 2, team_message, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, DB_FEEDBACK_MESSAGE_MAX);
	sqlite3_bind_int64(st, 4, id);
	sqlite3_bind_int(st, 5, idx);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(c, "store test feedback");
	sqlite3_reset(st);
	return db_write_end(db, c, rc);
}

int db_judge_test(struct db *db, int64_t id, int64_t token, int idx, const char *group, const char *verdict,
		  int64_t time_ms, int64_t memory_kb, bool passed)
{
	struct db_conn *c = db_write_begin(db);
	if (!attempt_current(c, id, token))
		return db_write_end(db, c, DB_E_NOT_FOUND);
	sqlite3_stmt *st = db_stmt(c, "INSERT OR REPLACE INTO test_results (submission_id, idx, grp, verdict, time_ms, memory_kb)"
				      " VALUES (?, ?, ?, ?, ?, ?)");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, idx);
	sqlite3_bind_text(st, 3, group, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, verdict, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, time_ms);
	sqlite3_bind_int64(st, 6, memory_kb);
	int step = sqlite3_step(st);
	int rc = step == SQLITE_DONE ? 0 : step == SQLITE_CONSTRAINT_FOREIGNKEY ? DB_E_NOT_FOUND
									    : db_fail(c, "insert test result");
	sqlite3_reset(st);
	if (rc == 0) {
		st = db_stmt(c, "UPDATE submissions SET time_ms = max(coalesce(time_ms, 0), ?3),"
				" memory_kb = max(coalesce(memory_kb, 0), ?4), tests_passed = tests_passed + ?5"
				" WHERE id = ?2");
		sqlite3_bind_int64(st, 3, time_ms);
		sqlite3_bind_int64(st, 4, memory_kb);
		sqlite3_bind_int(st, 5, passed);
		rc = update_one(c, id, st, "update running metrics");
	}
	if (rc == 0)
		db_change_test(c, id, &(struct db_test_result){idx, group, verdict, time_ms, memory_kb});
	return db_write_end(db, c, rc);
}

int db_judge_finish(struct db *db, int64_t id, int64_t token, const char *verdict, double score, int64_t time_ms,
		    int64_t memory_kb, int64_t tests_passed, const char *compile_output, const char *judge_log)
{
	struct db_conn *c = db_write_begin(db);
	sqlite3_stmt *st = db_stmt(c, "UPDATE submissions SET status = 'done', verdict = ?3, score = ?4,"
				      " time_ms = ?5, memory_kb = ?6, tests_passed = ?7,"
				      " compile_output = coalesce(?8, compile_output), judge_log = ?9,"
				      " judged_at = " NOW_RFC3339 ", judge_token = 0, queue_priority = 0"
				      " WHERE id = ?2 AND judge_token = ?10 AND status <> 'done'");
	sqlite3_bind_int64(st, 10, token);
	sqlite3_bind_text(st, 3, verdict, -1, SQLITE_STATIC);
	if (score >= 0)
		sqlite3_bind_double(st, 4, score);
	if (time_ms >= 0)
		sqlite3_bind_int64(st, 5, time_ms);
	if (memory_kb >= 0)
		sqlite3_bind_int64(st, 6, memory_kb);
	sqlite3_bind_int64(st, 7, tests_passed);
	if (compile_output)
		sqlite3_bind_text(st, 8, compile_output, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, judge_log ? judge_log : "", -1, SQLITE_STATIC);
	return db_write_end(db, c, update_one(c, id, st, "finish submission"));
}

int db_judge_requeue(struct db *db, int64_t id, int64_t token, int attempts)
{
	struct db_conn *c = db_write_begin(db);
	if (!attempt_current(c, id, token))
		return db_write_end(db, c, DB_E_NOT_FOUND);
	int rc = requeue_one(c, id, false);
	if (rc == 0) {
		/* requeue_one starts the count afresh; this one goes on counting. */
		sqlite3_stmt *st = db_stmt(c, "UPDATE submissions SET attempts = ? WHERE id = ?");
		sqlite3_bind_int(st, 1, attempts);
		sqlite3_bind_int64(st, 2, id);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(c, "keep attempts");
		sqlite3_reset(st);
	}
	return db_write_end(db, c, rc);
}

int64_t db_judge_recover(struct db *db)
{
	struct db_conn *c = db_write_begin(db);
	int64_t n = 0;
	int rc = requeue_many(c, 0, true, &n);
	return db_write_end(db, c, rc) == 0 ? n : -1;
}

int db_job_load(struct db *db, int64_t id, struct db_job *out)
{
	struct db_conn *c = db_reader(db);
	/* A jury submission runs with a limit of its own (migration 009). */
	sqlite3_stmt *st = db_stmt(c, "SELECT s.problem_id, s.language, s.source, coalesce(("
				      "SELECT j.time_limit_ms FROM jury_submissions j WHERE j.submission_id = s.id), 0),"
				      " s.files, s.entry_point FROM submissions s WHERE s.id = ?");
	sqlite3_bind_int64(st, 1, id);
	int rc = DB_E_NOT_FOUND;
	if (sqlite3_step(st) == SQLITE_ROW) {
		out->problem_id = sqlite3_column_int64(st, 0);
		snprintf(out->language, sizeof out->language, "%s", (const char *)sqlite3_column_text(st, 1));
		const char *source = (const char *)sqlite3_column_text(st, 2);
		out->source_len = source ? (size_t)sqlite3_column_bytes(st, 2) : 0;
		out->source = xmalloc(out->source_len + 1);
		memcpy(out->source, source ? source : "", out->source_len + 1);
		out->time_limit_ms = sqlite3_column_int64(st, 3);
		const char *files = (const char *)sqlite3_column_text(st, 4);
		const char *entry = (const char *)sqlite3_column_text(st, 5);
		out->files = files ? xstrdup(files) : NULL;
		out->entry_point = entry ? xstrdup(entry) : NULL;
		rc = 0;
	}
	sqlite3_reset(st);
	return rc;
}
