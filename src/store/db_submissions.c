/* Submissions: creation, the REST and WebSocket views, lists and replay by seq. */
#include "db_int.h"

#include <errno.h>

#include <string.h>

#include "json_util.h"
#include "util.h"

#define NOW_RFC3339 "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"

/* Every query below selects these columns first, in this order. */
#define SUBMISSION_COLUMNS                                                                     \
	"s.id, s.seq, s.problem_id, u.username, s.language, s.status, s.verdict, s.score,"     \
	" s.time_ms, s.memory_kb, s.tests_passed, s.tests_total, s.created_at, s.judged_at," \
	" s.user_id"
#define SUBMISSION_FROM " FROM submissions s JOIN users u ON u.id = s.user_id"

static json_t *metrics_json(sqlite3_stmt *st)
{
	return json_pack("{s:o, s:o, s:I, s:I}", "time_ms", db_col_int_or_null(st, 8), "memory_kb",
			 db_col_int_or_null(st, 9), "tests_passed", (json_int_t)sqlite3_column_int64(st, 10),
			 "tests_total", (json_int_t)sqlite3_column_int64(st, 11));
}

static json_t *submission_row(sqlite3_stmt *st)
{
	return json_pack("{s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
			 (json_int_t)sqlite3_column_int64(st, 0), "seq", (json_int_t)sqlite3_column_int64(st, 1),
			 "problem_id", (json_int_t)sqlite3_column_int64(st, 2), "user", db_col_string(st, 3),
			 "language", db_col_string(st, 4), "status", db_col_string(st, 5), "verdict",
			 db_col_string(st, 6), "score", db_col_real_or_null(st, 7), "metrics", metrics_json(st),
			 "created_at", db_col_string(st, 12), "judged_at", db_col_string(st, 13));
}

/* ---- the same object as text, for the list endpoints ---- */

static void text_col(struct buf *b, sqlite3_stmt *st, int col)
{
	const unsigned char *v = sqlite3_column_text(st, col);
	if (v)
		json_buf_string(b, (const char *)v, (size_t)sqlite3_column_bytes(st, col));
	else
		buf_add(b, "null", 4);
}

static void text_int_or_null(struct buf *b, sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		buf_add(b, "null", 4);
	else
		json_buf_int(b, sqlite3_column_int64(st, col));
}

/* Exactly what submission_row builds (a unit test holds them together). */
static void submission_row_text(struct buf *b, sqlite3_stmt *st)
{
	buf_adds(b, "{\"id\":");
	json_buf_int(b, sqlite3_column_int64(st, 0));
	buf_adds(b, ",\"seq\":");
	json_buf_int(b, sqlite3_column_int64(st, 1));
	buf_adds(b, ",\"problem_id\":");
	json_buf_int(b, sqlite3_column_int64(st, 2));
	buf_adds(b, ",\"user\":");
	text_col(b, st, 3);
	buf_adds(b, ",\"language\":");
	text_col(b, st, 4);
	buf_adds(b, ",\"status\":");
	text_col(b, st, 5);
	buf_adds(b, ",\"verdict\":");
	text_col(b, st, 6);
	buf_adds(b, ",\"score\":");
	if (sqlite3_column_type(st, 7) == SQLITE_NULL)
		buf_add(b, "null", 4);
	else
		json_buf_real(b, sqlite3_column_double(st, 7));
	buf_adds(b, ",\"metrics\":{\"time_ms\":");
	text_int_or_null(b, st, 8);
	buf_adds(b, ",\"memory_kb\":");
	text_int_or_null(b, st, 9);
	buf_adds(b, ",\"tests_passed\":");
	json_buf_int(b, sqlite3_column_int64(st, 10));
	buf_adds(b, ",\"tests_total\":");
	json_buf_int(b, sqlite3_column_int64(st, 11));
	buf_adds(b, "},\"created_at\":");
	text_col(b, st, 12);
	buf_adds(b, ",\"judged_at\":");
	text_col(b, st, 13);
	buf_add(b, "}", 1);
}

/* Steps st through its rows into {"items": [...], "page", "per_page", "total"}. */
static char *page_text(sqlite3_stmt *st, int page, int per_page, int64_t total, size_t *len)
{
	struct buf b;
	buf_init(&b);
	buf_reserve(&b, 16384);
	buf_adds(&b, "{\"items\":[");
	for (int n = 0; sqlite3_step(st) == SQLITE_ROW; n++) {
		if (n)
			buf_add(&b, ",", 1);
		submission_row_text(&b, st);
	}
	sqlite3_reset(st);
	buf_adds(&b, "],\"page\":");
	json_buf_int(&b, page);
	buf_adds(&b, ",\"per_page\":");
	json_buf_int(&b, per_page);
	buf_adds(&b, ",\"total\":");
	json_buf_int(&b, total);
	buf_add(&b, "}", 1);
	return buf_detach(&b, len);
}

static json_t *update_row(sqlite3_stmt *st)
{
	return json_pack("{s:s, s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "type",
			 "submission_update", "seq", (json_int_t)sqlite3_column_int64(st, 1), "submission_id",
			 (json_int_t)sqlite3_column_int64(st, 0), "problem_id",
			 (json_int_t)sqlite3_column_int64(st, 2), "user", db_col_string(st, 3), "language",
			 db_col_string(st, 4), "status", db_col_string(st, 5), "verdict", db_col_string(st, 6),
			 "score", db_col_real_or_null(st, 7), "metrics", metrics_json(st), "created_at",
			 db_col_string(st, 12), "judged_at", db_col_string(st, 13));
}

int db_submission_create(struct db *db, int64_t problem_id, int64_t user_id, const char *language,
			 const char *source, int64_t *id, json_t **created)
{
	struct db_conn *c = db_write_begin(db);
	/* The new row's id is known before the insert (the change needs it), and
	   is never one a deleted submission had. */
	sqlite3_stmt *st = db_stmt(c, "SELECT coalesce(max(id), 0) FROM submissions");
	int64_t largest = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	int64_t new_id = db_next_row_id(c, "submission_id", largest);
	int64_t seq = new_id < 0 ? -1 : db_next_seq(c, new_id);
	st = db_stmt(c, "INSERT INTO submissions (id, seq, problem_id, user_id, language, source,"
				      " status, tests_total, created_at)"
				      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'queued',"
				      " (SELECT count(*) FROM tests WHERE problem_id = ?3), " NOW_RFC3339 ")");
	sqlite3_bind_int64(st, 1, new_id);
	sqlite3_bind_int64(st, 2, seq);
	sqlite3_bind_int64(st, 3, problem_id);
	sqlite3_bind_int64(st, 4, user_id);
	sqlite3_bind_text(st, 5, language, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, source, -1, SQLITE_STATIC);
	int step = sqlite3_step(st);
	int rc = seq < 0 ? -EIO
		 : step == SQLITE_DONE ? 0
		 : step == SQLITE_CONSTRAINT_FOREIGNKEY ? DB_E_NOT_FOUND
							: db_fail(c, "insert submission");
	sqlite3_reset(st);
	json_t *row = NULL;
	if (rc == 0 && created) {
		st = db_stmt(c, "SELECT " SUBMISSION_COLUMNS SUBMISSION_FROM " WHERE s.id = ?");
		sqlite3_bind_int64(st, 1, new_id);
		if (sqlite3_step(st) == SQLITE_ROW)
			row = submission_row(st);
		sqlite3_reset(st);
	}
	rc = db_write_end(db, c, rc);
	if (created)
		*created = rc == 0 ? row : NULL;
	if (rc != 0)
		json_decref(row);
	if (rc == 0 && id)
		*id = new_id;
	return rc;
}

json_t *db_submission_json(struct db *db, int64_t id, bool with_details, bool with_source, int64_t *owner_id)
{
	struct db_conn *c = db_reader(db);
	if (with_details)
		db_read_begin(c);
	sqlite3_stmt *st = db_stmt(c, "SELECT " SUBMISSION_COLUMNS ", s.compile_output, s.source"
				      SUBMISSION_FROM " WHERE s.id = ?");
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		if (with_details)
			db_read_end(c);
		return NULL;
	}
	json_t *s = submission_row(st);
	if (owner_id)
		*owner_id = sqlite3_column_int64(st, 14);
	if (with_details)
		json_object_set_new(s, "compile_output", db_col_string(st, 15));
	if (with_source)
		json_object_set_new(s, "source", db_col_string(st, 16));
	sqlite3_reset(st);
	if (!with_details)
		return s;
	st = db_stmt(c, "SELECT idx, grp, verdict, time_ms, memory_kb FROM test_results"
			" WHERE submission_id = ? ORDER BY idx");
	sqlite3_bind_int64(st, 1, id);
	json_t *tests = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(tests, json_pack("{s:i, s:o, s:o, s:I, s:I}", "index",
						       sqlite3_column_int(st, 0), "group", db_col_string(st, 1),
						       "verdict", db_col_string(st, 2), "time_ms",
						       (json_int_t)sqlite3_column_int64(st, 3), "memory_kb",
						       (json_int_t)sqlite3_column_int64(st, 4)));
	sqlite3_reset(st);
	db_read_end(c);
	json_object_set_new(s, "tests", tests);
	return s;
}

json_t *db_submission_update_json(struct db *db, int64_t id)
{
	return db_update_json(db_reader(db), id);
}

json_t *db_update_json(struct db_conn *c, int64_t id)
{
	sqlite3_stmt *st = db_stmt(c, "SELECT " SUBMISSION_COLUMNS SUBMISSION_FROM " WHERE s.id = ?");
	sqlite3_bind_int64(st, 1, id);
	json_t *m = sqlite3_step(st) == SQLITE_ROW ? update_row(st) : NULL;
	sqlite3_reset(st);
	return m;
}

char *db_problem_submissions_text(struct db *db, int64_t problem_id, int page, int per_page, size_t *len)
{
	struct db_conn *c = db_reader(db);
	db_read_begin(c);
	/* The total first: it also tells whether the problem exists. */
	sqlite3_stmt *st = db_stmt(c, "SELECT submission_count FROM problems WHERE id = ?");
	sqlite3_bind_int64(st, 1, problem_id);
	bool found = sqlite3_step(st) == SQLITE_ROW;
	int64_t total = found ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	char *text = NULL;
	if (found) {
		st = db_stmt(c, "SELECT " SUBMISSION_COLUMNS SUBMISSION_FROM
				" WHERE s.problem_id = ? ORDER BY s.id DESC LIMIT ? OFFSET ?");
		sqlite3_bind_int64(st, 1, problem_id);
		sqlite3_bind_int(st, 2, per_page);
		sqlite3_bind_int64(st, 3, (int64_t)(page - 1) * per_page);
		text = page_text(st, page, per_page, total, len);
	}
	db_read_end(c);
	return text;
}

char *db_submissions_list_text(struct db *db, int64_t problem_id, int64_t user_id, const char *verdict, int page,
			       int per_page, size_t *len)
{
	struct db_conn *c = db_reader(db);
	db_read_begin(c);
	sqlite3_stmt *st = db_stmt(c, "SELECT count(*) FROM submissions s"
				      " WHERE (?1 = 0 OR s.problem_id = ?1) AND (?2 = 0 OR s.user_id = ?2)"
				      " AND (?3 IS NULL OR s.verdict = ?3)");
	sqlite3_bind_int64(st, 1, problem_id);
	sqlite3_bind_int64(st, 2, user_id);
	if (verdict)
		sqlite3_bind_text(st, 3, verdict, -1, SQLITE_STATIC);
	int64_t total = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	st = db_stmt(c, "SELECT " SUBMISSION_COLUMNS SUBMISSION_FROM
			" WHERE (?1 = 0 OR s.problem_id = ?1) AND (?2 = 0 OR s.user_id = ?2)"
			" AND (?3 IS NULL OR s.verdict = ?3)"
			" ORDER BY s.id DESC LIMIT ?4 OFFSET ?5");
	sqlite3_bind_int64(st, 1, problem_id);
	sqlite3_bind_int64(st, 2, user_id);
	if (verdict)
		sqlite3_bind_text(st, 3, verdict, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, per_page);
	sqlite3_bind_int64(st, 5, (int64_t)(page - 1) * per_page);
	char *text = page_text(st, page, per_page, total, len);
	db_read_end(c);
	return text;
}

json_t *db_submissions_since(struct db *db, int64_t problem_id, int64_t submission_id, int64_t seq, int limit)
{
	struct db_conn *c = db_reader(db);
	sqlite3_stmt *st = db_stmt(c, "SELECT " SUBMISSION_COLUMNS SUBMISSION_FROM
				      " WHERE s.seq > ?1 AND (?2 = 0 OR s.problem_id = ?2)"
				      " AND (?3 = 0 OR s.id = ?3) ORDER BY s.seq LIMIT ?4");
	sqlite3_bind_int64(st, 1, seq);
	sqlite3_bind_int64(st, 2, problem_id);
	sqlite3_bind_int64(st, 3, submission_id);
	sqlite3_bind_int(st, 4, limit);
	json_t *items = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(items, update_row(st));
	sqlite3_reset(st);
	return items;
}

int db_submission_status_counts(struct db *db, int64_t counts[4])
{
	static const char *const names[] = {"queued", "compiling", "running"};
	struct db_conn *c = db_reader(db);
	memset(counts, 0, 4 * sizeof counts[0]);
	sqlite3_stmt *st = db_stmt(c, "SELECT status, count(*) FROM submissions WHERE status <> 'done' GROUP BY status");
	int64_t pending = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *status = (const char *)sqlite3_column_text(st, 0);
		for (int i = 0; i < 3; i++)
			if (strcmp(status, names[i]) == 0)
				counts[i] = sqlite3_column_int64(st, 1);
		pending += sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	st = db_stmt(c, "SELECT coalesce(sum(submission_count), 0) FROM problems");
	int64_t total = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	counts[3] = total - pending;
	return 0;
}
