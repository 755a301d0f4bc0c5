/* Problems and their tests. */
#include "db_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "json_util.h"
#include "util.h"

#define NOW_RFC3339 "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"

static int insert_tests(struct db_conn *c, int64_t problem_id, const struct db_problem *p)
{
	sqlite3_stmt *st = db_stmt(c, "DELETE FROM tests WHERE problem_id = ?");
	sqlite3_bind_int64(st, 1, problem_id);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(c, "delete tests");
	sqlite3_reset(st);
	for (size_t i = 0; rc == 0 && i < p->test_count; i++) {
		const struct db_test *t = &p->tests[i];
		st = db_stmt(c, "INSERT INTO tests (problem_id, idx, name, grp, points, sample, input, output)"
				" VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
		sqlite3_bind_int64(st, 1, problem_id);
		sqlite3_bind_int64(st, 2, (int64_t)i + 1);
		sqlite3_bind_text(st, 3, t->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, t->group, -1, SQLITE_STATIC);
		sqlite3_bind_double(st, 5, t->points);
		sqlite3_bind_int(st, 6, t->sample);
		sqlite3_bind_blob64(st, 7, t->input ? t->input : "", t->input_len, SQLITE_STATIC);
		sqlite3_bind_blob64(st, 8, t->output ? t->output : "", t->output_len, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = db_fail(c, "insert test");
		sqlite3_reset(st);
	}
	return rc;
}

static void bind_fields(sqlite3_stmt *st, const struct db_problem *p)
{
	sqlite3_bind_text(st, 1, p->slug, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, p->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, p->statement ? p->statement : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, p->statement_markdown ? "markdown" : "text", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, p->time_limit_ms);
	sqlite3_bind_int64(st, 6, p->memory_limit_kb);
	sqlite3_bind_int64(st, 7, p->output_limit_kb);
	sqlite3_bind_text(st, 8, p->checker_json, -1, SQLITE_STATIC);
}

/* Binds validator, validator_language, validator_flags from column `first`. */
static void bind_validator(sqlite3_stmt *st, int first, const struct db_problem *p)
{
	if (p->validator) {
		sqlite3_bind_blob64(st, first, p->validator, p->validator_len, SQLITE_STATIC);
		sqlite3_bind_text(st, first + 1, p->validator_language, -1, SQLITE_STATIC);
	}
	sqlite3_bind_text(st, first + 2, p->validator_flags ? p->validator_flags : "", -1, SQLITE_STATIC);
}

int db_problem_create(struct db *db, const struct db_problem *p, int64_t *id)
{
	struct db_conn *c = db_write_begin(db);
	/* Never the id of a deleted problem (its topic and links would come back). */
	sqlite3_stmt *st = db_stmt(c, "SELECT coalesce(max(id), 0) FROM problems");
	int64_t largest = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	int64_t new_id = db_next_row_id(c, "problem_id", largest);
	st = db_stmt(c, "INSERT INTO problems (slug, title, statement, statement_format,"
			" time_limit_ms, memory_limit_kb, output_limit_kb, checker, validator,"
			" validator_language, validator_flags, created_at, updated_at, id)"
			" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, " NOW_RFC3339 ", " NOW_RFC3339 ", ?)");
	bind_fields(st, p);
	bind_validator(st, 9, p);
	sqlite3_bind_int64(st, 12, new_id);
	int step = new_id < 0 ? SQLITE_ERROR : sqlite3_step(st);
	int rc = step == SQLITE_DONE ? 0 : step == SQLITE_CONSTRAINT_UNIQUE ? DB_E_CONFLICT
								     : new_id < 0 ? -EIO : db_fail(c, "insert problem");
	sqlite3_reset(st);
	if (rc == 0)
		rc = insert_tests(c, new_id, p);
	rc = db_write_end(db, c, rc);
	if (rc == 0 && id)
		*id = new_id;
	return rc;
}

int db_problem_update(struct db *db, int64_t id, const struct db_problem *p)
{
	struct db_conn *c = db_write_begin(db);
	sqlite3_stmt *st = db_stmt(c, "UPDATE problems SET slug = ?, title = ?, statement = ?, statement_format = ?,"
				      " time_limit_ms = ?, memory_limit_kb = ?, output_limit_kb = ?, checker = ?,"
				      " updated_at = " NOW_RFC3339 " WHERE id = ?");
	bind_fields(st, p);
	sqlite3_bind_int64(st, 9, id);
	int step = sqlite3_step(st);
	int rc = step == SQLITE_DONE ? 0 : step == SQLITE_CONSTRAINT_UNIQUE ? DB_E_CONFLICT
								     : db_fail(c, "update problem");
	if (rc == 0 && sqlite3_changes(db_handle(c)) == 0)
		rc = DB_E_NOT_FOUND;
	sqlite3_reset(st);
	if (rc == 0 && p->replace_tests && !p->keep_validator) {
		st = db_stmt(c, "UPDATE problems SET validator = ?, validator_language = ?, validator_flags = ? WHERE id = ?");
		bind_validator(st, 1, p);
		sqlite3_bind_int64(st, 4, id);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(c, "update validator");
		sqlite3_reset(st);
	}
	if (rc == 0 && p->replace_tests)
		rc = insert_tests(c, id, p);
	return db_write_end(db, c, rc);
}

int db_problem_delete(struct db *db, int64_t id)
{
	struct db_conn *c = db_write_begin(db);
	sqlite3_stmt *st = db_stmt(c, "DELETE FROM problems WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(c, "delete problem");
	if (rc == 0 && sqlite3_changes(db_handle(c)) == 0)
		rc = DB_E_NOT_FOUND;
	sqlite3_reset(st);
	return db_write_end(db, c, rc);
}

int db_problem_id_by_slug(struct db *db, const char *slug, int64_t *id)
{
	struct db_conn *c = db_reader(db);
	sqlite3_stmt *st = db_stmt(c, "SELECT id FROM problems WHERE slug = ?");
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	int rc = DB_E_NOT_FOUND;
	if (sqlite3_step(st) == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		rc = 0;
	}
	sqlite3_reset(st);
	return rc;
}

bool db_problem_exists(struct db *db, int64_t id)
{
	struct db_conn *c = db_reader(db);
	sqlite3_stmt *st = db_stmt(c, "SELECT 1 FROM problems WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	bool found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return found;
}

static json_t *summary_json(sqlite3_stmt *st)
{
	return json_pack("{s:I, s:o, s:o, s:I, s:I}", "id", (json_int_t)sqlite3_column_int64(st, 0),
			 "slug", db_col_string(st, 1), "title", db_col_string(st, 2), "time_limit_ms",
			 (json_int_t)sqlite3_column_int64(st, 3), "memory_limit_kb",
			 (json_int_t)sqlite3_column_int64(st, 4));
}

/* {"groups": [{"name", "points", "test_count"}], "test_count": n} from the tests' metadata. */
static void add_groups(struct db_conn *c, int64_t id, json_t *obj)
{
	sqlite3_stmt *st = db_stmt(c, "SELECT grp, sum(points), count(*), min(idx) FROM tests"
				      " WHERE problem_id = ? GROUP BY grp ORDER BY min(idx)");
	sqlite3_bind_int64(st, 1, id);
	json_t *groups = json_array();
	int64_t tests = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		double points = sqlite3_column_double(st, 1);
		tests += sqlite3_column_int64(st, 2);
		json_array_append_new(groups, json_pack("{s:o, s:f, s:I}", "name", db_col_string(st, 0),
							"points", points, "test_count",
							(json_int_t)sqlite3_column_int64(st, 2)));
	}
	sqlite3_reset(st);
	json_object_set_new(obj, "groups", groups);
	json_object_set_new(obj, "test_count", json_integer(tests));
}

json_t *db_problem_json(struct db *db, int64_t id, bool full)
{
	struct db_conn *c = db_reader(db);
	sqlite3_stmt *st = db_stmt(c, "SELECT id, slug, title, time_limit_ms, memory_limit_kb, statement,"
				      " statement_format, output_limit_kb, checker, created_at, updated_at"
				      " FROM problems WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return NULL;
	}
	json_t *p = summary_json(st);
	if (full) {
		json_object_set_new(p, "statement", db_col_string(st, 5));
		json_object_set_new(p, "statement_format", db_col_string(st, 6));
		json_object_set_new(p, "output_limit_kb", json_integer(sqlite3_column_int64(st, 7)));
		json_t *checker = json_loads((const char *)sqlite3_column_text(st, 8), 0, NULL);
		json_object_set_new(p, "checker", checker ? checker : json_object());
		json_object_set_new(p, "created_at", db_col_string(st, 9));
		json_object_set_new(p, "updated_at", db_col_string(st, 10));
	}
	sqlite3_reset(st);
	if (!full)
		return p;

	st = db_stmt(c, "SELECT input, output FROM tests WHERE problem_id = ? AND sample ORDER BY idx");
	sqlite3_bind_int64(st, 1, id);
	json_t *samples = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(samples, json_pack("{s:o, s:o}", "input",
							 json_string_lossy(sqlite3_column_blob(st, 0),
									   (size_t)sqlite3_column_bytes(st, 0)),
							 "output",
							 json_string_lossy(sqlite3_column_blob(st, 1),
									   (size_t)sqlite3_column_bytes(st, 1))));
	sqlite3_reset(st);
	json_object_set_new(p, "samples", samples);
	add_groups(c, id, p);
	return p;
}

json_t *db_problems_list(struct db *db, int page, int per_page)
{
	struct db_conn *c = db_reader(db);
	sqlite3_stmt *st = db_stmt(c, "SELECT id, slug, title, time_limit_ms, memory_limit_kb FROM problems"
				      " ORDER BY id LIMIT ? OFFSET ?");
	sqlite3_bind_int(st, 1, per_page);
	sqlite3_bind_int64(st, 2, (int64_t)(page - 1) * per_page);
	json_t *items = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(items, summary_json(st));
	sqlite3_reset(st);
	st = db_stmt(c, "SELECT count(*) FROM problems");
	int64_t total = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return db_page(items, page, per_page, total);
}

json_t *db_problem_judging(struct db *db, int64_t id)
{
	struct db_conn *c = db_reader(db);
	sqlite3_stmt *st = db_stmt(c, "SELECT time_limit_ms, memory_limit_kb, output_limit_kb, checker,"
				      " validator IS NOT NULL FROM problems WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return NULL;
	}
	json_t *checker = json_loads((const char *)sqlite3_column_text(st, 3), 0, NULL);
	json_t *p = json_pack("{s:I, s:I, s:I, s:I, s:o, s:b}", "id", (json_int_t)id, "time_limit_ms",
			      (json_int_t)sqlite3_column_int64(st, 0), "memory_limit_kb",
			      (json_int_t)sqlite3_column_int64(st, 1), "output_limit_kb",
			      (json_int_t)sqlite3_column_int64(st, 2), "checker",
			      checker ? checker : json_object(), "has_validator", sqlite3_column_int(st, 4));
	sqlite3_reset(st);
	st = db_stmt(c, "SELECT idx, grp, points, sample FROM tests WHERE problem_id = ? ORDER BY idx");
	sqlite3_bind_int64(st, 1, id);
	json_t *tests = json_array();
	while (sqlite3_step(st) == SQLITE_ROW) {
		json_array_append_new(tests, json_pack("{s:i, s:o, s:f, s:b}", "idx", sqlite3_column_int(st, 0),
						       "group", db_col_string(st, 1), "points",
						       sqlite3_column_double(st, 2), "sample",
						       sqlite3_column_int(st, 3)));
	}
	sqlite3_reset(st);
	json_object_set_new(p, "tests", tests);
	return p;
}

static char *copy_blob(sqlite3_stmt *st, int col, size_t *len)
{
	*len = (size_t)sqlite3_column_bytes(st, col);
	char *p = xmalloc(*len + 1);
	if (*len)
		memcpy(p, sqlite3_column_blob(st, col), *len);
	p[*len] = '\0';
	return p;
}

int db_test_data(struct db *db, int64_t problem_id, int idx, char **input, size_t *input_len,
		 char **output, size_t *output_len)
{
	struct db_conn *c = db_reader(db);
	sqlite3_stmt *st = db_stmt(c, "SELECT input, output FROM tests WHERE problem_id = ? AND idx = ?");
	sqlite3_bind_int64(st, 1, problem_id);
	sqlite3_bind_int(st, 2, idx);
	int rc = DB_E_NOT_FOUND;
	if (sqlite3_step(st) == SQLITE_ROW) {
		*input = copy_blob(st, 0, input_len);
		*output = copy_blob(st, 1, output_len);
		rc = 0;
	}
	sqlite3_reset(st);
	return rc;
}

int db_problem_validator(struct db *db, int64_t problem_id, char **data, size_t *len, char **language, char **flags)
{
	struct db_conn *c = db_reader(db);
	sqlite3_stmt *st = db_stmt(c, "SELECT validator, coalesce(validator_language, ''), validator_flags FROM problems"
				      " WHERE id = ? AND validator IS NOT NULL");
	sqlite3_bind_int64(st, 1, problem_id);
	int rc = DB_E_NOT_FOUND;
	if (sqlite3_step(st) == SQLITE_ROW) {
		*data = copy_blob(st, 0, len);
		*language = xstrdup((const char *)sqlite3_column_text(st, 1));
		*flags = xstrdup((const char *)sqlite3_column_text(st, 2));
		rc = 0;
	}
	sqlite3_reset(st);
	return rc;
}
