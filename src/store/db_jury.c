/* Jury submissions of a problem and how its time limit comes about (migration 009). */
#include "db_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static const char *col_text(sqlite3_stmt *st, int col)
{
	const char *s = (const char *)sqlite3_column_text(st, col);
	return s ? s : "";
}

/* Deletes the problem's jury submissions (the log forgets them with their rows) and rows. */
static int clear(struct db_conn *c, int64_t problem_id)
{
	sqlite3_stmt *st = db_stmt(c, "DELETE FROM submissions WHERE problem_id = ? AND jury = 1");
	sqlite3_bind_int64(st, 1, problem_id);
	int step = sqlite3_step(st);
	sqlite3_reset(st);
	if (step != SQLITE_DONE)
		return db_fail(c, "delete jury submissions");
	st = db_stmt(c, "DELETE FROM jury_submissions WHERE problem_id = ?");
	sqlite3_bind_int64(st, 1, problem_id);
	step = sqlite3_step(st);
	sqlite3_reset(st);
	return step == SQLITE_DONE ? 0 : db_fail(c, "delete jury rows");
}

static int write_limits(struct db_conn *c, int64_t problem_id, const struct db_jury_limits *l, int64_t owner_id)
{
	sqlite3_stmt *st = db_stmt(c, "INSERT OR REPLACE INTO jury_limits (problem_id, state, ac_to_time_limit,"
				      " time_limit_to_tle, time_resolution, slowest_ac_ms, owner_id)"
				      " VALUES (?, ?, ?, ?, ?, ?, ?)");
	sqlite3_bind_int64(st, 1, problem_id);
	sqlite3_bind_text(st, 2, l->state, -1, SQLITE_STATIC);
	sqlite3_bind_double(st, 3, l->ac_to_time_limit);
	sqlite3_bind_double(st, 4, l->time_limit_to_tle);
	sqlite3_bind_double(st, 5, l->time_resolution);
	if (l->slowest_ac_ms >= 0)
		sqlite3_bind_int64(st, 6, l->slowest_ac_ms);
	if (owner_id)
		sqlite3_bind_int64(st, 7, owner_id);
	int step = sqlite3_step(st);
	sqlite3_reset(st);
	return step == SQLITE_DONE ? 0
	       : step == SQLITE_CONSTRAINT_FOREIGNKEY ? DB_E_NOT_FOUND
						      : db_fail(c, "store a problem's time limit state");
}

/* Queues jury row `row` (its language and source) as a submission of owner_id judged with limit_ms. */
static int queue_row(struct db_conn *c, int64_t problem_id, int64_t owner_id, int64_t row, const char *language,
		     const char *source, int64_t limit_ms)
{
	int64_t sid = 0;
	const struct db_submit_context plain = {0};
	int rc = db_submission_insert(c, problem_id, owner_id, language, source, strlen(source), NULL, &plain, true, 0,
				      &sid);
	if (rc != 0)
		return rc;
	sqlite3_stmt *st = db_stmt(c, "UPDATE jury_submissions SET submission_id = ?, time_limit_ms = ? WHERE id = ?");
	sqlite3_bind_int64(st, 1, sid);
	sqlite3_bind_int64(st, 2, limit_ms);
	sqlite3_bind_int64(st, 3, row);
	int step = sqlite3_step(st);
	sqlite3_reset(st);
	return step == SQLITE_DONE ? 0 : db_fail(c, "link a jury submission");
}

static int add_entry(struct db_conn *c, int64_t problem_id, int64_t owner_id, const struct db_jury_entry *e,
		     int64_t ac_limit_ms, int64_t rest_limit_ms)
{
	sqlite3_stmt *st = db_stmt(c, "INSERT INTO jury_submissions (problem_id, path, expected, language, source, note)"
				      " VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
	sqlite3_bind_int64(st, 1, problem_id);
	sqlite3_bind_text(st, 2, e->path, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, e->expected, -1, SQLITE_STATIC);
	if (e->language) {
		sqlite3_bind_text(st, 4, e->language, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, e->source ? e->source : "", -1, SQLITE_STATIC);
	}
	sqlite3_bind_text(st, 6, e->note ? e->note : "", -1, SQLITE_STATIC);
	int step = sqlite3_step(st);
	int64_t row = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (!row)
		return db_fail(c, "store a jury submission");
	int64_t limit = strcmp(e->expected, "AC") == 0 ? ac_limit_ms : rest_limit_ms;
	if (!e->language || !limit)
		return 0;
	return queue_row(c, problem_id, owner_id, row, e->language, e->source ? e->source : "", limit);
}

int db_jury_replace(struct db *db, int64_t problem_id, int64_t owner_id, const struct db_jury_entry *entries,
		    size_t count, const struct db_jury_limits *limits, int64_t ac_limit_ms, int64_t rest_limit_ms)
{
	struct db_conn *c = db_write_begin(db);
	int rc = clear(c, problem_id);
	if (rc == 0)
		rc = write_limits(c, problem_id, limits, owner_id);
	for (size_t i = 0; rc == 0 && i < count; i++)
		rc = add_entry(c, problem_id, owner_id, &entries[i], ac_limit_ms, rest_limit_ms);
	return db_write_end(db, c, rc);
}

/* Queues every jury row of the problem left for later. */
static int queue_rest(struct db_conn *c, int64_t problem_id, int64_t limit_ms)
{
	sqlite3_stmt *st = db_stmt(c, "SELECT j.id, j.language, j.source, coalesce(l.owner_id, 0) FROM jury_submissions j"
				      " JOIN jury_limits l ON l.problem_id = j.problem_id WHERE j.problem_id = ?"
				      " AND j.submission_id IS NULL AND j.language IS NOT NULL ORDER BY j.id");
	sqlite3_bind_int64(st, 1, problem_id);
	struct later {
		int64_t row, owner;
		char *language, *source;
	} *rows = NULL;
	size_t n = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		rows = xrealloc(rows, (n + 1) * sizeof *rows);
		rows[n++] = (struct later){sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 3),
					   xstrdup(col_text(st, 1)), xstrdup(col_text(st, 2))};
	}
	sqlite3_reset(st);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		if (rc == 0 && rows[i].owner)
			rc = queue_row(c, problem_id, rows[i].owner, rows[i].row, rows[i].language, rows[i].source, limit_ms);
		free(rows[i].language);
		free(rows[i].source);
	}
	free(rows);
	return rc;
}

int db_jury_limits_get(struct db *db, int64_t problem_id, struct db_jury_limits *out)
{
	struct db_conn *c = db_reader(db);
	sqlite3_stmt *st = db_stmt(c, "SELECT state, ac_to_time_limit, time_limit_to_tle, time_resolution,"
				      " coalesce(slowest_ac_ms, -1) FROM jury_limits WHERE problem_id = ?");
	sqlite3_bind_int64(st, 1, problem_id);
	int rc = DB_E_NOT_FOUND;
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(out->state, sizeof out->state, "%s", col_text(st, 0));
		out->ac_to_time_limit = sqlite3_column_double(st, 1);
		out->time_limit_to_tle = sqlite3_column_double(st, 2);
		out->time_resolution = sqlite3_column_double(st, 3);
		out->slowest_ac_ms = sqlite3_column_int64(st, 4);
		rc = 0;
	}
	sqlite3_reset(st);
	return rc;
}

int db_jury_limits_settle(struct db *db, int64_t problem_id, const char *state, int64_t slowest_ac_ms,
			  int64_t time_limit_ms, int64_t rest_limit_ms)
{
	struct db_conn *c = db_write_begin(db);
	sqlite3_stmt *st = db_stmt(c, "UPDATE jury_limits SET state = ?, slowest_ac_ms = ?"
				      " WHERE problem_id = ? AND state = 'pending'");
	sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC);
	if (slowest_ac_ms >= 0)
		sqlite3_bind_int64(st, 2, slowest_ac_ms);
	sqlite3_bind_int64(st, 3, problem_id);
	int step = sqlite3_step(st);
	sqlite3_reset(st);
	int rc = step != SQLITE_DONE ? db_fail(c, "settle a problem's time limit")
		 : sqlite3_changes(db_handle(c)) == 0 ? DB_E_NOT_FOUND
							: 0;
	if (rc == 0 && time_limit_ms > 0) {
		st = db_stmt(c, "UPDATE problems SET time_limit_ms = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
				" WHERE id = ?");
		sqlite3_bind_int64(st, 1, time_limit_ms);
		sqlite3_bind_int64(st, 2, problem_id);
		step = sqlite3_step(st);
		sqlite3_reset(st);
		if (step != SQLITE_DONE)
			rc = db_fail(c, "store a derived time limit");
		else if (db_change(c, DB_KIND_PROBLEM, problem_id, DB_KIND_NONE, 0) < 0)
			rc = -EIO;
	}
	if (rc == 0)
		rc = queue_rest(c, problem_id, rest_limit_ms);
	return db_write_end(db, c, rc);
}

int db_jury_list(struct db *db, int64_t problem_id, db_jury_fn fn, void *ctx)
{
	struct db_conn *c = db_reader(db);
	sqlite3_stmt *st = db_stmt(c, "SELECT j.id, coalesce(j.submission_id, 0), j.path, j.expected, j.note,"
				      " coalesce(j.language, ''), coalesce(j.time_limit_ms, 0) FROM jury_submissions j"
				      " WHERE j.problem_id = ? ORDER BY j.id");
	sqlite3_bind_int64(st, 1, problem_id);
	int n = 0;
	for (; sqlite3_step(st) == SQLITE_ROW; n++) {
		struct db_jury_row row = {sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), col_text(st, 2),
					  col_text(st, 3), col_text(st, 4), col_text(st, 5), sqlite3_column_int64(st, 6)};
		fn(ctx, &row);
	}
	sqlite3_reset(st);
	return n;
}

int db_jury_problem_of(struct db *db, int64_t submission_id, int64_t *problem_id)
{
	struct db_conn *c = db_reader(db);
	sqlite3_stmt *st = db_stmt(c, "SELECT problem_id FROM jury_submissions WHERE submission_id = ?");
	sqlite3_bind_int64(st, 1, submission_id);
	int rc = DB_E_NOT_FOUND;
	if (sqlite3_step(st) == SQLITE_ROW) {
		*problem_id = sqlite3_column_int64(st, 0);
		rc = 0;
	}
	sqlite3_reset(st);
	return rc;
}

bool db_jury_pending(struct db *db, int64_t problem_id)
{
	struct db_conn *c = db_reader(db);
	sqlite3_stmt *st = db_stmt(c, "SELECT 1 FROM jury_submissions j JOIN submissions s ON s.id = j.submission_id"
				      " WHERE j.problem_id = ? AND s.status <> 'done' LIMIT 1");
	sqlite3_bind_int64(st, 1, problem_id);
	bool pending = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return pending;
}

size_t db_jury_pending_problems(struct db *db, int64_t *ids, size_t max)
{
	struct db_conn *c = db_reader(db);
	sqlite3_stmt *st = db_stmt(c, "SELECT problem_id FROM jury_limits WHERE state = 'pending' ORDER BY problem_id LIMIT ?");
	sqlite3_bind_int64(st, 1, (int64_t)max);
	size_t n = 0;
	while (n < max && sqlite3_step(st) == SQLITE_ROW)
		ids[n++] = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}
