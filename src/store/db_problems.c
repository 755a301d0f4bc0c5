/* Problems and their tests. */
#include "db_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

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

/* An import's statement files replace the stored ones, and its identity is kept. */
static int write_package(struct db_conn *c, int64_t problem_id, const struct db_problem *p)
{
	if (!p->from_package)
		return 0;
	sqlite3_stmt *st = db_stmt(c, "UPDATE problems SET package_id = ? WHERE id = ?");
	sqlite3_bind_text(st, 1, p->package_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, problem_id);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(c, "set package_id");
	sqlite3_reset(st);
	if (rc == 0) {
		st = db_stmt(c, "DELETE FROM problem_files WHERE problem_id = ?");
		sqlite3_bind_int64(st, 1, problem_id);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(c, "delete problem files");
		sqlite3_reset(st);
	}
	for (size_t i = 0; rc == 0 && i < p->file_count; i++) {
		const struct db_problem_file *f = &p->files[i];
		st = db_stmt(c, "INSERT INTO problem_files (problem_id, name, content_type, data) VALUES (?, ?, ?, ?)");
		sqlite3_bind_int64(st, 1, problem_id);
		sqlite3_bind_text(st, 2, f->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, f->content_type, -1, SQLITE_STATIC);
		sqlite3_bind_blob64(st, 4, f->len ? f->data : "", f->len, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(c, "insert problem file");
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

/* Logs the change of problem id (visible to everyone) when rc is 0; returns rc, or -EIO. */
static int log_problem(struct db_conn *c, int64_t id, bool deleted, int rc)
{
	if (rc != 0)
		return rc;
	int64_t seq = deleted ? db_change_deleted(c, DB_KIND_PROBLEM, id, DB_KIND_NONE, 0)
			      : db_change(c, DB_KIND_PROBLEM, id, DB_KIND_NONE, 0);
	return seq < 0 ? -EIO : 0;
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
	int64_t largest = db_query_int(c, "SELECT coalesce(max(id), 0) FROM problems");
	int64_t new_id = db_next_row_id(c, "problem_id", largest);
	sqlite3_stmt *st = db_stmt(c, "INSERT INTO problems (slug, title, statement, statement_format,"
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
	if (rc == 0)
		rc = write_package(c, new_id, p);
	rc = db_write_end(db, c, log_problem(c, new_id, false, rc));
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
	if (rc == 0)
		rc = write_package(c, id, p);
	return db_write_end(db, c, log_problem(c, id, false, rc));
}

static void *grow(void *items, size_t count, size_t *cap, size_t size);

/* Logs a change of every contest the problem is in (their problem sets
   change: the boards are rebuilt, clients learn), before it leaves them. */
static int log_problem_contests(struct db_conn *c, int64_t id)
{
	sqlite3_stmt *st = db_stmt(c, "SELECT contest_id FROM contest_problems WHERE problem_id = ? ORDER BY contest_id");
	sqlite3_bind_int64(st, 1, id);
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		ids = grow(ids, n, &cap, sizeof *ids);
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		st = db_stmt(c, "UPDATE contests SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?");
		sqlite3_bind_int64(st, 1, ids[i]);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(c, "touch a contest of the problem");
		sqlite3_reset(st);
		if (rc == 0 && db_change(c, DB_KIND_CONTEST, ids[i], DB_KIND_CONTEST, ids[i]) < 0)
			rc = -EIO;
	}
	free(ids);
	return rc;
}

int db_problem_delete(struct db *db, int64_t id)
{
	struct db_conn *c = db_write_begin(db);
	int rc = log_problem_contests(c, id);
	sqlite3_stmt *st = db_stmt(c, "DELETE FROM problems WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	if (rc == 0)
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(c, "delete problem");
	if (rc == 0 && sqlite3_changes(db_handle(c)) == 0)
		rc = DB_E_NOT_FOUND;
	sqlite3_reset(st);
	return db_write_end(db, c, log_problem(c, id, true, rc));
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

int db_problem_package_id(struct db *db, int64_t id, char **out)
{
	struct db_conn *c = db_reader(db);
	sqlite3_stmt *st = db_stmt(c, "SELECT package_id FROM problems WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	int rc = DB_E_NOT_FOUND;
	*out = NULL;
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);
		*out = v ? xstrdup(v) : NULL;
		rc = 0;
	}
	sqlite3_reset(st);
	return rc;
}

int db_problem_file_get(struct db *db, int64_t problem_id, const char *name, struct db_problem_file **out)
{
	struct db_conn *c = db_reader(db);
	sqlite3_stmt *st = db_stmt(c, "SELECT content_type, data FROM problem_files WHERE problem_id = ? AND name = ?");
	sqlite3_bind_int64(st, 1, problem_id);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	int rc = DB_E_NOT_FOUND;
	*out = NULL;
	if (sqlite3_step(st) == SQLITE_ROW) {
		struct db_problem_file *f = xcalloc(1, sizeof *f);
		f->name = xstrdup(name);
		f->content_type = xstrdup((const char *)sqlite3_column_text(st, 0));
		size_t len = (size_t)sqlite3_column_bytes(st, 1);
		char *data = xmalloc(len + 1);
		if (len)
			memcpy(data, sqlite3_column_blob(st, 1), len);
		data[len] = '\0';
		f->data = data;
		f->len = len;
		*out = f;
		rc = 0;
	}
	sqlite3_reset(st);
	return rc;
}

void db_problem_file_free(struct db_problem_file *f)
{
	if (!f)
		return;
	free((char *)f->name);
	free((char *)f->content_type);
	free((void *)f->data);
	free(f);
}

size_t db_problem_file_names(struct db *db, int64_t problem_id, char ***names)
{
	struct db_conn *c = db_reader(db);
	sqlite3_stmt *st = db_stmt(c, "SELECT name FROM problem_files WHERE problem_id = ? ORDER BY name");
	sqlite3_bind_int64(st, 1, problem_id);
	size_t n = 0, cap = 0;
	*names = NULL;
	while (sqlite3_step(st) == SQLITE_ROW) {
		*names = grow(*names, n, &cap, sizeof **names);
		(*names)[n++] = xstrdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_reset(st);
	return n;
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

/* items with room for one more than count elements of size bytes. */
static void *grow(void *items, size_t count, size_t *cap, size_t size)
{
	if (count < *cap)
		return items;
	*cap = *cap ? 2 * *cap : 8;
	return xrealloc(items, *cap * size);
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

static char *copy_text(sqlite3_stmt *st, int col)
{
	size_t len;
	return copy_blob(st, col, &len);
}

/* The summary from columns id, slug, title, time_limit_ms, memory_limit_kb. */
static void read_summary(sqlite3_stmt *st, struct db_problem_row *row)
{
	row->id = sqlite3_column_int64(st, 0);
	row->slug = copy_text(st, 1);
	row->title = copy_text(st, 2);
	row->time_limit_ms = sqlite3_column_int64(st, 3);
	row->memory_limit_kb = sqlite3_column_int64(st, 4);
}

static void read_samples(struct db_conn *c, struct db_problem_row *row)
{
	sqlite3_stmt *st = db_stmt(c, "SELECT input, output FROM tests WHERE problem_id = ? AND sample ORDER BY idx");
	sqlite3_bind_int64(st, 1, row->id);
	size_t cap = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		row->samples = grow(row->samples, row->sample_count, &cap, sizeof *row->samples);
		struct db_sample *s = &row->samples[row->sample_count++];
		s->input = copy_blob(st, 0, &s->input_len);
		s->output = copy_blob(st, 1, &s->output_len);
	}
	sqlite3_reset(st);
}

/* Scoring, groups and test count from the tests' metadata. */
static void read_groups(struct db_conn *c, struct db_problem_row *row)
{
	sqlite3_stmt *st = db_stmt(c, "SELECT grp, sum(points), count(*), min(idx) FROM tests"
				      " WHERE problem_id = ? GROUP BY grp ORDER BY min(idx)");
	sqlite3_bind_int64(st, 1, row->id);
	double total_points = 0;
	size_t cap = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		double points = sqlite3_column_double(st, 1);
		total_points += points;
		row->test_count += sqlite3_column_int64(st, 2);
		row->groups = grow(row->groups, row->group_count, &cap, sizeof *row->groups);
		struct db_group *g = &row->groups[row->group_count++];
		g->name = copy_text(st, 0);
		g->points = points;
		g->test_count = sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	row->total_points = total_points;
}

struct db_problem_row *db_problem_get(struct db *db, int64_t id, bool full)
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
	struct db_problem_row *row = xcalloc(1, sizeof *row);
	read_summary(st, row);
	if (full) {
		row->statement = copy_text(st, 5);
		row->statement_format = copy_text(st, 6);
		row->output_limit_kb = sqlite3_column_int64(st, 7);
		row->checker_json = copy_text(st, 8);
		row->created_at = copy_text(st, 9);
		row->updated_at = copy_text(st, 10);
	}
	sqlite3_reset(st);
	if (full) {
		read_samples(c, row);
		read_groups(c, row);
	}
	return row;
}

static void row_release(struct db_problem_row *row)
{
	free(row->slug);
	free(row->title);
	free(row->statement);
	free(row->statement_format);
	free(row->checker_json);
	free(row->created_at);
	free(row->updated_at);
	for (size_t i = 0; i < row->sample_count; i++) {
		free(row->samples[i].input);
		free(row->samples[i].output);
	}
	free(row->samples);
	for (size_t i = 0; i < row->group_count; i++)
		free(row->groups[i].name);
	free(row->groups);
}

void db_problem_row_free(struct db_problem_row *row)
{
	if (!row)
		return;
	row_release(row);
	free(row);
}

static void read_summary_item(sqlite3_stmt *st, void *item)
{
	read_summary(st, item);
}

struct db_problem_list *db_problems_list(struct db *db, int page, int per_page)
{
	return db_problems_list_except(db, page, per_page, NULL, 0);
}

struct db_problem_list *db_problems_list_except(struct db *db, int page, int per_page, const int64_t *except,
						size_t except_count)
{
	/* The ids left out, as a JSON array for json_each (one statement whatever their number). */
	struct buf b;
	buf_init(&b);
	buf_adds(&b, "[");
	for (size_t i = 0; i < except_count; i++)
		buf_printf(&b, "%s%lld", i ? "," : "", (long long)except[i]);
	buf_adds(&b, "]");
	size_t len;
	char *json = buf_detach(&b, &len);
	struct db_conn *c = db_reader(db);
	db_read_begin(c);
	struct db_problem_list *list = xcalloc(1, sizeof *list);
	sqlite3_stmt *st = db_stmt(c, "SELECT id, slug, title, time_limit_ms, memory_limit_kb FROM problems"
				      " WHERE id NOT IN (SELECT value FROM json_each(?3)) ORDER BY id LIMIT ?1 OFFSET ?2");
	sqlite3_bind_int(st, 1, per_page);
	sqlite3_bind_int64(st, 2, (int64_t)(page - 1) * per_page);
	sqlite3_bind_text(st, 3, json, (int)len, SQLITE_STATIC);
	list->items = xcalloc(per_page > 0 ? (size_t)per_page : 1, sizeof *list->items);
	while (list->count < (size_t)per_page && sqlite3_step(st) == SQLITE_ROW)
		read_summary_item(st, &list->items[list->count++]);
	sqlite3_reset(st);
	st = db_stmt(c, "SELECT count(*) FROM problems WHERE id NOT IN (SELECT value FROM json_each(?1))");
	sqlite3_bind_text(st, 1, json, (int)len, SQLITE_STATIC);
	list->total = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	db_read_end(c);
	free(json);
	return list;
}

void db_problem_list_free(struct db_problem_list *list)
{
	if (!list)
		return;
	for (size_t i = 0; i < list->count; i++)
		row_release(&list->items[i]);
	free(list->items);
	free(list);
}

struct db_problem_judging *db_problem_judging(struct db *db, int64_t id)
{
	struct db_conn *c = db_reader(db);
	sqlite3_stmt *st = db_stmt(c, "SELECT time_limit_ms, memory_limit_kb, output_limit_kb, checker,"
				      " validator IS NOT NULL FROM problems WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return NULL;
	}
	struct db_problem_judging *p = xcalloc(1, sizeof *p);
	p->id = id;
	p->time_limit_ms = sqlite3_column_int64(st, 0);
	p->memory_limit_kb = sqlite3_column_int64(st, 1);
	p->output_limit_kb = sqlite3_column_int64(st, 2);
	p->checker_json = copy_text(st, 3);
	p->has_validator = sqlite3_column_int(st, 4);
	sqlite3_reset(st);
	st = db_stmt(c, "SELECT idx, grp, points, sample FROM tests WHERE problem_id = ? ORDER BY idx");
	sqlite3_bind_int64(st, 1, id);
	double points = 0;
	size_t cap = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		points += sqlite3_column_double(st, 2);
		p->tests = grow(p->tests, p->test_count, &cap, sizeof *p->tests);
		struct db_judging_test *t = &p->tests[p->test_count++];
		t->idx = sqlite3_column_int(st, 0);
		t->group = copy_text(st, 1);
		t->points = sqlite3_column_double(st, 2);
		t->sample = sqlite3_column_int(st, 3);
	}
	sqlite3_reset(st);
	p->total_points = points;
	return p;
}

void db_problem_judging_free(struct db_problem_judging *pj)
{
	if (!pj)
		return;
	free(pj->checker_json);
	for (size_t i = 0; i < pj->test_count; i++)
		free(pj->tests[i].group);
	free(pj->tests);
	free(pj);
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

int db_problem_tests(struct db *db, int64_t problem_id, db_test_fn fn, void *ctx)
{
	struct db_conn *c = db_reader(db);
	sqlite3_stmt *st = db_stmt(c, "SELECT name, grp, points, sample, input, output FROM tests"
				      " WHERE problem_id = ? ORDER BY idx");
	sqlite3_bind_int64(st, 1, problem_id);
	int rc = DB_E_NOT_FOUND;
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct db_test t = {
			.name = (const char *)sqlite3_column_text(st, 0),
			.group = (const char *)sqlite3_column_text(st, 1),
			.points = sqlite3_column_double(st, 2),
			.sample = sqlite3_column_int(st, 3) != 0,
			.input = sqlite3_column_blob(st, 4),
			.input_len = (size_t)sqlite3_column_bytes(st, 4),
			.output = sqlite3_column_blob(st, 5),
			.output_len = (size_t)sqlite3_column_bytes(st, 5),
		};
		fn(ctx, &t);
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
