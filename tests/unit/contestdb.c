/* Fixture of the contest store tests: see contestdb.h. */
#include "contestdb.h"

#include <check.h>
#include <sqlite3.h>
#include <stdio.h>

#include "common.h"

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

static sqlite3 *raw_open(int flags)
{
	char path[400];
	snprintf(path, sizeof path, "%s/verdict.db", data);
	sqlite3 *h = NULL;
	ck_assert_int_eq(sqlite3_open_v2(path, &h, flags, NULL), SQLITE_OK);
	sqlite3_busy_timeout(h, 5000);
	return h;
}

void contestdb_exec(const char *sql)
{
	sqlite3 *h = raw_open(SQLITE_OPEN_READWRITE);
	char *msg = NULL;
	ck_assert_msg(sqlite3_exec(h, sql, NULL, NULL, &msg) == SQLITE_OK, "%s: %s", sql, msg ? msg : "");
	sqlite3_close(h);
}

int64_t contestdb_int(const char *sql)
{
	sqlite3 *h = raw_open(SQLITE_OPEN_READONLY);
	sqlite3_stmt *st;
	ck_assert_msg(sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(h));
	int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_finalize(st);
	sqlite3_close(h);
	return v;
}

int64_t contestdb_contest(const char *shortname)
{
	char sql[400];
	snprintf(sql, sizeof sql, "INSERT INTO contests (shortname, name, duration_ms, created_at, updated_at)"
				  " VALUES ('%s', '%s', 3600000, 'now', 'now')", shortname, shortname);
	contestdb_exec(sql);
	snprintf(sql, sizeof sql, "SELECT id FROM contests WHERE shortname = '%s'", shortname);
	return contestdb_int(sql);
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
