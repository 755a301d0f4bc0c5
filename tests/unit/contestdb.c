/* Fixture of the contest store tests: see contestdb.h. */
#include "contestdb.h"

#include <check.h>
#include <sqlite3.h>
#include <stdio.h>

#include "common.h"
#include "db_int.h"

struct db *cdb;
static char dir[256];
static char data[300];

void contestdb_setup(void)
{
	test_tmpdir(dir, sizeof dir);
	snprintf(data, sizeof data, "%s/data", dir);
	char *err = NULL;
	ck_assert_msg(db_open(data, true, &cdb, &err) == 0, "db_open: %s", err ? err : "");
}

void contestdb_teardown(void)
{
	db_close(cdb);
	cdb = NULL;
	test_rmtree(dir);
}

/* Through the calling thread's reader connection of the database. */
int64_t contestdb_int(const char *sql)
{
	sqlite3 *h = db_handle(db_reader(cdb));
	sqlite3_stmt *st;
	ck_assert_msg(sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(h));
	int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_finalize(st);
	return v;
}

int64_t contestdb_contest(const char *shortname, int64_t problem_id)
{
	const struct db_contest_problem problems[] = {{.problem_id = problem_id, .label = "A", .color = ""}};
	const struct db_contest k = {.shortname = shortname, .name = shortname, .formal_name = "",
				     .duration_ms = 3600000, .scoring = "icpc", .ioi_mode = "max_submission",
				     .penalty_min = 20, .problems = problems, .problem_count = problem_id ? 1 : 0};
	int64_t id = 0;
	ck_assert_int_eq(db_contest_create(cdb, &k, &id), 0);
	return id;
}

int64_t contestdb_user(const char *username)
{
	int64_t id = 0;
	ck_assert_int_eq(db_user_create(cdb, username, "hash", false, &id), 0);
	return id;
}

int64_t contestdb_problem(const char *slug)
{
	static const struct db_test tests[] = {{"1", "sample", 0, true, "1\n", 2, "1\n", 2}};
	struct db_problem p = {.slug = slug, .title = slug, .statement = "x", .time_limit_ms = 1000,
			       .memory_limit_kb = 65536, .output_limit_kb = 1024, .checker_json = "{\"type\":\"tokens\"}",
			       .tests = tests, .test_count = 1, .replace_tests = true};
	int64_t id = 0;
	ck_assert_int_eq(db_problem_create(cdb, &p, &id), 0);
	return id;
}

bool contestdb_logged(enum db_kind kind, int64_t id, int64_t contest_id, bool deleted)
{
	struct db_change ch[256];
	size_t n = db_changes_since(cdb, kind, DB_KIND_CONTEST, contest_id, 0, ch, 256);
	for (size_t i = 0; i < n; i++)
		if (ch[i].id == id)
			return ch[i].deleted == deleted;
	return false;
}
