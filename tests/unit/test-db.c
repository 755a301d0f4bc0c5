/* Unit tests for the database module: open and migrations, users and
 * sessions, problems and tests, submissions, the global seq and the change
 * hook. Each test gets a fresh temporary data dir. */
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"
#include "db.h"
#include "db_int.h"
#include "embedded.h"
#include "json_util.h"
#include "log.h"
#include "scoring.h"
#include "util.h"
#include "views.h"

static char dir[256];
static char data[300];
static struct db *db;

/* The migrations this build embeds; the tests hold for any number of them. */
static int newest_migration(void)
{
	int v = 0;
	for (const struct embedded_file *f = schema_files; f->name; f++)
		if (atoi(f->name) > v)
			v = atoi(f->name);
	return v;
}

/* How many migrations this build embeds (their numbers may have gaps: each
   branch of work is given its own). */
static int migration_count(void)
{
	int n = 0;
	for (const struct embedded_file *f = schema_files; f->name; f++)
		n++;
	return n;
}

static const char *migration_name(int version)
{
	for (const struct embedded_file *f = schema_files; f->name; f++)
		if (atoi(f->name) == version)
			return f->name;
	return NULL;
}

static void setup(void)
{
	test_tmpdir(dir, sizeof dir);
	snprintf(data, sizeof data, "%s/data", dir);
	db = NULL;
}

static void teardown(void)
{
	db_close(db);
	db = NULL;
	test_rmtree(dir);
}

static void open_db(void)
{
	char *err = NULL;
	int rc = db_open(data, true, &db, &err);
	ck_assert_msg(rc == 0, "db_open: %d %s", rc, err ? err : "");
}

/* A raw SQLite handle on the data dir's database, for looking behind the API. */
static sqlite3 *raw_open(void)
{
	char path[400];
	snprintf(path, sizeof path, "%s/verdict.db", data);
	sqlite3 *h = NULL;
	ck_assert_int_eq(sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	sqlite3_busy_timeout(h, 5000);
	return h;
}

static int64_t raw_int(sqlite3 *h, const char *sql)
{
	sqlite3_stmt *st;
	ck_assert_msg(sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(h));
	int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_finalize(st);
	return v;
}

static void raw_exec(sqlite3 *h, const char *sql)
{
	char *msg = NULL;
	ck_assert_msg(sqlite3_exec(h, sql, NULL, NULL, &msg) == SQLITE_OK, "%s: %s", sql, msg ? msg : "");
}

static int64_t add_user(const char *name, bool admin)
{
	int64_t id = 0;
	ck_assert_int_eq(db_user_create(db, name, "not-a-real-hash", admin, &id), 0);
	ck_assert_int_gt(id, 0);
	return id;
}

static const struct db_test default_tests[] = {
	{"s1", "sample", 0, true, "1 2\n", 4, "3\n", 2},
	{"t1", "secret", 0, false, "SECRET-IN-1", 11, "SECRET-OUT-1", 12},
	{"t2", "secret", 0, false, "SECRET-IN-2", 11, "SECRET-OUT-2", 12},
};

static struct db_problem problem(const char *slug)
{
	return (struct db_problem){
		.slug = slug,
		.title = "A plus B",
		.statement = "Add them.",
		.statement_markdown = true,
		.time_limit_ms = 1000,
		.memory_limit_kb = 262144,
		.output_limit_kb = 65536,
		.checker_json = "{\"type\":\"tokens\"}",
		.tests = default_tests,
		.test_count = 3,
		.replace_tests = true,
	};
}

static int64_t add_problem(const char *slug)
{
	struct db_problem p = problem(slug);
	int64_t id = 0;
	ck_assert_int_eq(db_problem_create(db, &p, &id), 0);
	ck_assert_int_gt(id, 0);
	return id;
}

static int64_t add_submission(int64_t problem_id, int64_t user_id, const char *source)
{
	int64_t id = 0;
	ck_assert_int_eq(db_submission_create(db, problem_id, user_id, "c", source, NULL, &id, NULL), 0);
	ck_assert_int_gt(id, 0);
	return id;
}

static json_int_t jint(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);
	ck_assert_msg(json_is_integer(v), "'%s' is not an integer", key);
	return json_integer_value(v);
}

static const char *jstr(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));
	ck_assert_msg(s != NULL, "'%s' is not a string", key);
	return s;
}

/* The wire objects of what storage returns, as the REST handlers write them. */
static json_t *problem_view(struct db *d, int64_t id, bool full)
{
	struct db_problem_row *row = db_problem_get(d, id, full);
	json_t *j = row ? view_problem(row, full) : NULL;
	db_problem_row_free(row);
	return j;
}

static json_t *problems_page(struct db *d, int page, int per_page)
{
	struct db_problem_list *list = db_problems_list(d, page, per_page);
	json_t *j = view_problems_page(list, page, per_page);
	db_problem_list_free(list);
	return j;
}

static json_t *users_page(struct db *d, int page, int per_page)
{
	struct db_user_list *list = db_users_list(d, page, per_page);
	json_t *j = view_users_page(list, page, per_page);
	db_user_list_free(list);
	return j;
}

/* ---- submissions as the API writes them: the views over what the database returns ---- */

static json_t *parse(char *text, size_t len)
{
	json_error_t e;
	json_t *j = json_loadb(text, len, 0, &e);
	ck_assert_msg(j != NULL, "not JSON: %s: %s", e.text, text);
	free(text);
	return j;
}

/* The REST object, with details and source when asked; NULL if there is none. */
static json_t *submission_json(int64_t id, bool details, bool source, int64_t *owner)
{
	struct db_submission s;
	if (db_submission_get(db, id, (details ? DB_SUBMISSION_DETAILS : 0) | (source ? DB_SUBMISSION_SOURCE : 0), &s))
		return NULL;
	if (owner)
		*owner = s.user_id;
	struct buf b;
	buf_init(&b);
	view_submission(&b, &s, (details ? VIEW_COMPILE_OUTPUT | VIEW_TESTS : 0) | (source ? VIEW_SOURCE : 0));
	db_submission_release(&s);
	size_t len;
	char *text = buf_detach(&b, &len);
	return parse(text, len);
}

/* The "submission_update" message of the current state; NULL if there is none. */
static json_t *update_json(int64_t id)
{
	struct db_submission s;
	if (db_submission_get(db, id, 0, &s))
		return NULL;
	struct buf b;
	buf_init(&b);
	view_submission_update(&b, &s);
	db_submission_release(&s);
	size_t len;
	char *text = buf_detach(&b, &len);
	return parse(text, len);
}

/* A page of a problem's submissions as text; NULL when the problem does not exist. */
static char *problem_page_text(int64_t problem, int page, int per_page, size_t *len)
{
	struct view_list l;
	int64_t total;
	view_list_begin(&l);
	if (db_problem_submissions(db, problem, page, per_page, view_list_submission, &l, &total) != 0) {
		buf_release(&l.buf);
		return NULL;
	}
	return view_list_end(&l, page, per_page, total, len);
}

static char *list_page_text(int64_t problem, int64_t user, const char *verdict, int page, int per_page, size_t *len)
{
	struct view_list l;
	int64_t total;
	view_list_begin(&l);
	ck_assert_int_eq(db_submissions_list(db, problem, user, verdict, page, per_page, view_list_submission, &l, &total), 0);
	return view_list_end(&l, page, per_page, total, len);
}

static void add_update(void *items, const struct db_submission *s)
{
	struct buf b;
	buf_init(&b);
	view_submission_update(&b, s);
	size_t len;
	char *text = buf_detach(&b, &len);
	json_array_append_new(items, parse(text, len));
}

/* The update messages of the submissions changed after seq, as a replay sends them. */
static json_t *changed_since(int64_t problem, int64_t submission, int64_t seq, int limit)
{
	json_t *items = json_array();
	int n = db_submissions_changed(db, problem, submission, seq, limit, add_update, items);
	ck_assert_int_eq(n, (int)json_array_size(items));
	return items;
}

static json_t *string_or_null(const char *s)
{
	return s ? json_string_lossy(s, strlen(s)) : json_null();
}

/* The REST object built with jansson from the stored fields, as the server
   built it before the views wrote text: the view must say exactly this. */
static json_t *jansson_submission(int64_t id)
{
	struct db_submission s;
	ck_assert_int_eq(db_submission_get(db, id, 0, &s), 0);
	json_t *j = json_pack("{s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:{s:o, s:o, s:I, s:I}, s:o, s:o}",
			      "id", (json_int_t)s.id, "seq", (json_int_t)s.seq, "problem_id", (json_int_t)s.problem_id,
			      "user", string_or_null(s.user), "language", string_or_null(s.language),
			      "status", string_or_null(s.status), "verdict", string_or_null(s.verdict),
			      "score", s.has_score ? json_real(s.score) : json_null(),
			      "metrics", "time_ms", s.has_time ? json_integer(s.time_ms) : json_null(),
			      "memory_kb", s.has_memory ? json_integer(s.memory_kb) : json_null(),
			      "tests_passed", (json_int_t)s.tests_passed, "tests_total", (json_int_t)s.tests_total,
			      "created_at", string_or_null(s.created_at), "judged_at", string_or_null(s.judged_at));
	db_submission_release(&s);
	ck_assert_ptr_nonnull(j);
	return j;
}

/* ---- open and migrations ---- */

START_TEST(open_creates_and_migrates)
{
	open_db();
	struct stat st;
	ck_assert_int_eq(stat(data, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0700);
	int n = newest_migration();
	ck_assert_int_ge(n, 1);
	ck_assert_int_eq(db_schema_version(db), n);
	ck_assert_int_eq(db_seq(db), 0);
	sqlite3 *h = raw_open();
	/* Every migration is recorded once, under its file name, with a time. */
	ck_assert_int_eq(raw_int(h, "SELECT count(*) FROM schema_migrations"), migration_count());
	for (int v = 1; v <= n; v++) {
		char sql[200];
		if (!migration_name(v))
			continue;
		snprintf(sql, sizeof sql, "SELECT count(*) FROM schema_migrations WHERE version = %d AND name = '%s'"
			 " AND applied_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T*Z'", v, migration_name(v));
		ck_assert_msg(raw_int(h, sql) == 1, "migration %d not recorded", v);
	}
	ck_assert_int_eq(raw_int(h, "SELECT count(*) FROM sqlite_master WHERE name = 'submissions'"), 1);
	sqlite3_close(h);
	/* Opening again applies nothing twice. */
	db_close(db);
	db = NULL;
	open_db();
	ck_assert_int_eq(db_schema_version(db), n);
	h = raw_open();
	ck_assert_int_eq(raw_int(h, "SELECT count(*) FROM schema_migrations"), migration_count());
	sqlite3_close(h);
}
END_TEST

START_TEST(open_upto_then_upgrade)
{
	char *err = NULL;
	ck_assert_int_eq(db_open_upto(data, 0, &db, &err), 0);
	ck_assert_int_eq(db_schema_version(db), 0);
	db_close(db);
	db = NULL;
	sqlite3 *h = raw_open();
	ck_assert_int_eq(raw_int(h, "SELECT count(*) FROM sqlite_master WHERE name = 'users'"), 0);
	sqlite3_close(h);

	ck_assert_int_eq(db_open_upto(data, 1, &db, &err), 0);
	ck_assert_int_eq(db_schema_version(db), 1);
	db_close(db);
	db = NULL;
	/* Data written at version 1 survives the upgrade to the newest. */
	h = raw_open();
	raw_exec(h, "INSERT INTO users (id, username, password_hash, role, created_at)"
		    " VALUES (5, 'old', 'h', 'user', '2020-01-01T00:00:00Z')");
	raw_exec(h, "UPDATE counters SET value = 41 WHERE name = 'seq'");
	sqlite3_close(h);
	open_db();
	ck_assert_int_eq(db_schema_version(db), newest_migration());
	struct db_user u;
	ck_assert_int_eq(db_user_get(db, 5, &u), 0);
	ck_assert_str_eq(u.username, "old");
	ck_assert_int_eq(db_seq(db), 41);
	h = raw_open();
	ck_assert_int_eq(raw_int(h, "SELECT count(*) FROM schema_migrations"), migration_count());
	ck_assert_int_eq(raw_int(h, "SELECT min(version) FROM schema_migrations"), 1);
	sqlite3_close(h);
}
END_TEST

START_TEST(newer_schema_is_refused)
{
	open_db();
	db_close(db);
	db = NULL;
	sqlite3 *h = raw_open();
	char sql[200];
	snprintf(sql, sizeof sql, "INSERT INTO schema_migrations VALUES (%d, '999_future.sql', 'x')",
		 newest_migration() + 1);
	raw_exec(h, sql);
	sqlite3_close(h);
	char *err = NULL;
	ck_assert_int_eq(db_open(data, true, &db, &err), DB_E_NEWER);
	ck_assert_ptr_null(db);
	ck_assert_ptr_nonnull(err);
	ck_assert_msg(strstr(err, "newer") != NULL && strstr(err, "verdict.db") != NULL, "message: %s", err);
	free(err);
	/* ...and left alone. */
	h = raw_open();
	ck_assert_int_eq(raw_int(h, "SELECT max(version) FROM schema_migrations"), newest_migration() + 1);
	sqlite3_close(h);
}
END_TEST

/* More distinct statements than a fixed table would hold: the cache grows, and finds each again. */
START_TEST(statement_cache_grows)
{
	open_db();
	enum { N = 600 };
	static char sql[N][32];
	static sqlite3_stmt *first[N];
	struct db_conn *c = db_reader(db);
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < N; i++) {
			if (round == 0)
				snprintf(sql[i], sizeof sql[i], "SELECT %d", i);
			sqlite3_stmt *st = db_stmt(c, sql[i]);
			if (round == 0)
				first[i] = st;
			ck_assert_ptr_eq(st, first[i]);
			ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
			ck_assert_int_eq(sqlite3_column_int(st, 0), i);
			sqlite3_reset(st);
		}
}
END_TEST

START_TEST(data_dir_lock)
{
	open_db();
	struct db *other = NULL;
	char *err = NULL;
	ck_assert_int_eq(db_open(data, true, &other, &err), DB_E_BUSY);
	ck_assert_ptr_null(other);
	ck_assert_msg(strstr(err, "in use") != NULL && strstr(err, data) != NULL, "message: %s", err);
	char pid[32];
	snprintf(pid, sizeof pid, "pid %ld", (long)getpid());
	ck_assert_msg(strstr(err, pid) != NULL, "message does not name %s: %s", pid, err);
	free(err);
	err = NULL;
	/* Tools share the database with a running server. */
	ck_assert_int_eq(db_open(data, false, &other, &err), 0);
	ck_assert_int_eq(db_schema_version(other), newest_migration());
	db_close(other);
	/* Once the holder closes, the next server may start. */
	db_close(db);
	db = NULL;
	open_db();
}
END_TEST

START_TEST(open_failures_say_where)
{
	char *err = NULL;
	struct db *d = NULL;
	ck_assert_int_ne(db_open_readonly(data, &d, &err), 0);
	ck_assert_ptr_null(d);
	ck_assert_ptr_nonnull(strstr(err, "verdict.db"));
	free(err);
	err = NULL;
	char file[320];
	snprintf(file, sizeof file, "%s/file", dir);
	FILE *f = fopen(file, "w");
	fclose(f);
	char under[340];
	snprintf(under, sizeof under, "%s/sub", file);
	ck_assert_int_ne(db_open(under, true, &d, &err), 0);
	ck_assert_ptr_null(d);
	ck_assert_ptr_nonnull(strstr(err, under));
	free(err);
}
END_TEST

/* ---- users and sessions ---- */

START_TEST(users)
{
	open_db();
	int64_t a = add_user("alice", false);
	int64_t b = add_user("bob", true);
	ck_assert_int_ne(a, b);
	int64_t dup = 0;
	ck_assert_int_eq(db_user_create(db, "alice", "h", true, &dup), DB_E_CONFLICT);
	ck_assert_int_eq(dup, 0);
	struct db_user u;
	char *hash = NULL;
	ck_assert_int_eq(db_user_by_name(db, "alice", &u, &hash), 0);
	ck_assert_int_eq(u.id, a);
	ck_assert_str_eq(u.username, "alice");
	ck_assert(!u.admin);
	ck_assert_str_eq(hash, "not-a-real-hash");
	free(hash);
	ck_assert_int_eq(db_user_by_name(db, "ALICE", &u, NULL), DB_E_NOT_FOUND);
	ck_assert_int_eq(db_user_get(db, b, &u), 0);
	ck_assert(u.admin);
	ck_assert_str_eq(u.username, "bob");
	ck_assert_int_eq(db_user_get(db, 999, &u), DB_E_NOT_FOUND);
	ck_assert_int_eq(db_user_set_password(db, a, "new-hash"), 0);
	ck_assert_int_eq(db_user_by_name(db, "alice", &u, &hash), 0);
	ck_assert_str_eq(hash, "new-hash");
	free(hash);
	ck_assert_int_eq(db_user_set_password(db, 999, "x"), DB_E_NOT_FOUND);
	ck_assert_int_eq(db_user_count(db), 2);
}
END_TEST

START_TEST(users_list_pages)
{
	open_db();
	for (int i = 0; i < 5; i++) {
		char name[16];
		snprintf(name, sizeof name, "u%d", i);
		add_user(name, i == 0);
	}
	json_t *page = users_page(db, 2, 2);
	ck_assert_int_eq(jint(page, "page"), 2);
	ck_assert_int_eq(jint(page, "per_page"), 2);
	ck_assert_int_eq(jint(page, "total"), 5);
	json_t *items = json_object_get(page, "items");
	ck_assert_uint_eq(json_array_size(items), 2);
	ck_assert_str_eq(jstr(json_array_get(items, 0), "username"), "u2");
	ck_assert_str_eq(jstr(json_array_get(items, 1), "role"), "user");
	ck_assert_ptr_nonnull(json_object_get(json_array_get(items, 0), "created_at"));
	/* The password hash stays in the database. */
	ck_assert_ptr_null(json_object_get(json_array_get(items, 0), "password_hash"));
	json_decref(page);
	page = users_page(db, 3, 2);
	ck_assert_uint_eq(json_array_size(json_object_get(page, "items")), 1);
	json_decref(page);
	page = users_page(db, 4, 2);
	ck_assert_uint_eq(json_array_size(json_object_get(page, "items")), 0);
	ck_assert_int_eq(jint(page, "total"), 5);
	json_decref(page);
}
END_TEST

static void token(unsigned char h[32], int n)
{
	memset(h, 0, 32);
	h[0] = (unsigned char)n;
	h[31] = 0xAB;
}

START_TEST(sessions)
{
	open_db();
	int64_t a = add_user("alice", false);
	int64_t b = add_user("bob", true);
	unsigned char t1[32], t2[32], t3[32], unknown[32];
	token(t1, 1), token(t2, 2), token(t3, 3), token(unknown, 9);
	int64_t now = 2000000000;
	ck_assert_int_eq(db_session_create(db, t1, a, now + 100), 0);
	ck_assert_int_eq(db_session_create(db, t2, a, now + 100), 0);
	ck_assert_int_eq(db_session_create(db, t3, b, now + 100), 0);
	struct db_user u;
	ck_assert_int_eq(db_session_user(db, t1, now, &u), 0);
	ck_assert_int_eq(u.id, a);
	ck_assert_str_eq(u.username, "alice");
	ck_assert_int_eq(db_session_user(db, t3, now, &u), 0);
	ck_assert(u.admin);
	ck_assert_int_eq(db_session_user(db, unknown, now, &u), DB_E_NOT_FOUND);
	/* Expiry: alive until the second it expires. */
	ck_assert_int_eq(db_session_user(db, t1, now + 99, &u), 0);
	ck_assert_int_eq(db_session_user(db, t1, now + 100, &u), DB_E_NOT_FOUND);
	ck_assert_int_eq(db_session_user(db, t1, now + 5000, &u), DB_E_NOT_FOUND);
	/* Logout ends one session, not the others. */
	ck_assert_int_eq(db_session_delete(db, t1), 0);
	ck_assert_int_eq(db_session_user(db, t1, now, &u), DB_E_NOT_FOUND);
	ck_assert_int_eq(db_session_user(db, t2, now, &u), 0);
	/* A password reset ends all of that user's sessions only. */
	ck_assert_int_eq(db_user_set_password(db, a, "other"), 0);
	ck_assert_int_eq(db_session_user(db, t2, now, &u), DB_E_NOT_FOUND);
	ck_assert_int_eq(db_session_user(db, t3, now, &u), 0);
}
END_TEST

struct lookup_arg {
	const unsigned char *hash;
	int64_t now;
	int rc;
};

static void *lookup_in_thread(void *p)
{
	struct lookup_arg *a = p;
	struct db_user u;
	a->rc = db_session_user(db, a->hash, a->now, &u);
	return NULL;
}

static int lookup_elsewhere(const unsigned char *hash, int64_t now)
{
	struct lookup_arg a = {hash, now, -1};
	pthread_t t;
	ck_assert_int_eq(pthread_create(&t, NULL, lookup_in_thread, &a), 0);
	pthread_join(t, NULL);
	return a.rc;
}

/* Session lookups are cached per thread; no cache may outlive the session. */
START_TEST(session_cache)
{
	open_db();
	int64_t a = add_user("alice", false);
	unsigned char t1[32];
	token(t1, 1);
	int64_t now = 2000000000;
	ck_assert_int_eq(db_session_create(db, t1, a, now + 100), 0);
	struct db_user u;
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(db_session_user(db, t1, now, &u), 0);
		ck_assert_int_eq(u.id, a);
		ck_assert_str_eq(u.username, "alice");
	}
	ck_assert_int_eq(db_session_user(db, t1, now + 100, &u), DB_E_NOT_FOUND);
	/* Another thread's cache learns of a logout made here. */
	ck_assert_int_eq(lookup_elsewhere(t1, now), 0);
	ck_assert_int_eq(db_session_delete(db, t1), 0);
	ck_assert_int_eq(db_session_user(db, t1, now, &u), DB_E_NOT_FOUND);
	/* (a fresh thread has no cache; this one looked it up before:) */
	ck_assert_int_eq(lookup_elsewhere(t1, now), DB_E_NOT_FOUND);

	/* Another database in the same thread, the same token: its own answer. */
	char other_dir[320];
	snprintf(other_dir, sizeof other_dir, "%s/other", dir);
	struct db *other = NULL;
	char *err = NULL;
	ck_assert_int_eq(db_open(other_dir, false, &other, &err), 0);
	int64_t b = 0;
	ck_assert_int_eq(db_user_create(other, "bob", "h", true, &b), 0);
	ck_assert_int_eq(db_session_create(db, t1, a, now + 100), 0);
	ck_assert_int_eq(db_session_user(db, t1, now, &u), 0);
	ck_assert_str_eq(u.username, "alice");
	ck_assert_int_eq(db_session_user(other, t1, now, &u), DB_E_NOT_FOUND);
	ck_assert_int_eq(db_session_create(other, t1, b, now + 100), 0);
	ck_assert_int_eq(db_session_user(other, t1, now, &u), 0);
	ck_assert_str_eq(u.username, "bob");
	ck_assert_int_eq(db_session_user(db, t1, now, &u), 0);
	ck_assert_str_eq(u.username, "alice");
	db_close(other);
	/* A password change ends cached sessions too. */
	ck_assert_int_eq(db_user_set_password(db, a, "new"), 0);
	ck_assert_int_eq(db_session_user(db, t1, now, &u), DB_E_NOT_FOUND);
}
END_TEST

START_TEST(expired_sessions_are_purged)
{
	open_db();
	int64_t a = add_user("alice", false);
	unsigned char t1[32], t2[32];
	token(t1, 1), token(t2, 2);
	ck_assert_int_eq(db_session_create(db, t1, a, 1000), 0); /* long expired */
	sqlite3 *h = raw_open();
	ck_assert_int_eq(raw_int(h, "SELECT count(*) FROM sessions"), 1);
	ck_assert_int_eq(db_session_create(db, t2, a, 4000000000), 0);
	ck_assert_int_eq(raw_int(h, "SELECT count(*) FROM sessions"), 1);
	/* Tokens are stored as given (their hash), never anything else. */
	ck_assert_int_eq(raw_int(h, "SELECT length(token_hash) FROM sessions"), 32);
	sqlite3_close(h);
}
END_TEST

/* ---- problems ---- */

START_TEST(problems_create_and_read)
{
	open_db();
	int64_t id = add_problem("sum");
	struct db_problem p = problem("sum");
	int64_t other = 0;
	ck_assert_int_eq(db_problem_create(db, &p, &other), DB_E_CONFLICT);
	ck_assert_int_eq(other, 0);
	ck_assert(db_problem_exists(db, id));
	ck_assert(!db_problem_exists(db, id + 1));
	int64_t found = 0;
	ck_assert_int_eq(db_problem_id_by_slug(db, "sum", &found), 0);
	ck_assert_int_eq(found, id);
	ck_assert_int_eq(db_problem_id_by_slug(db, "nope", &found), DB_E_NOT_FOUND);

	json_t *j = problem_view(db, id, false);
	ck_assert_int_eq(jint(j, "id"), id);
	ck_assert_str_eq(jstr(j, "slug"), "sum");
	ck_assert_str_eq(jstr(j, "title"), "A plus B");
	ck_assert_int_eq(jint(j, "time_limit_ms"), 1000);
	ck_assert_int_eq(jint(j, "memory_limit_kb"), 262144);
	ck_assert_ptr_null(json_object_get(j, "statement"));
	json_decref(j);

	j = problem_view(db, id, true);
	ck_assert_str_eq(jstr(j, "statement"), "Add them.");
	ck_assert_str_eq(jstr(j, "statement_format"), "markdown");
	ck_assert_int_eq(jint(j, "output_limit_kb"), 65536);
	ck_assert_str_eq(jstr(json_object_get(j, "checker"), "type"), "tokens");
	ck_assert_str_eq(scoring_kind_name(scoring_kind_of_json(j)), "icpc");
	ck_assert_int_eq(jint(j, "test_count"), 3);
	json_t *samples = json_object_get(j, "samples");
	ck_assert_uint_eq(json_array_size(samples), 1);
	ck_assert_str_eq(jstr(json_array_get(samples, 0), "input"), "1 2\n");
	ck_assert_str_eq(jstr(json_array_get(samples, 0), "output"), "3\n");
	/* Hidden tests never appear. */
	char *text = json_dumps(j, 0);
	ck_assert_ptr_null(strstr(text, "SECRET"));
	free(text);
	json_decref(j);
	ck_assert_ptr_null(problem_view(db, id + 1, true));

	char *in = NULL, *out = NULL;
	size_t in_len = 0, out_len = 0;
	ck_assert_int_eq(db_test_data(db, id, 2, &in, &in_len, &out, &out_len), 0);
	ck_assert_uint_eq(in_len, 11);
	ck_assert_str_eq(in, "SECRET-IN-1");
	ck_assert_str_eq(out, "SECRET-OUT-1");
	free(in);
	free(out);
	ck_assert_int_eq(db_test_data(db, id, 4, &in, &in_len, &out, &out_len), DB_E_NOT_FOUND);
	char *v = NULL, *vlang = NULL, *vflags = NULL;
	size_t vlen;
	ck_assert_int_eq(db_problem_validator(db, id, &v, &vlen, &vlang, &vflags), DB_E_NOT_FOUND);

	struct db_problem_judging *judging = db_problem_judging(db, id);
	ck_assert_uint_eq(judging->test_count, 3);
	ck_assert(!judging->has_validator);
	db_problem_judging_free(judging);
}
END_TEST

START_TEST(problems_update_keeps_or_replaces_tests)
{
	open_db();
	int64_t id = add_problem("sum");
	add_problem("other");
	static const struct db_test one[] = {{"only", "g", 25, false, "x", 1, "y", 1}};
	struct db_problem p = problem("sum");
	p.title = "Renamed";
	p.time_limit_ms = 2500;
	p.tests = one;
	p.test_count = 1;
	p.replace_tests = false;
	ck_assert_int_eq(db_problem_update(db, id, &p), 0);
	json_t *j = problem_view(db, id, true);
	ck_assert_str_eq(jstr(j, "title"), "Renamed");
	ck_assert_int_eq(jint(j, "time_limit_ms"), 2500);
	ck_assert_int_eq(jint(j, "test_count"), 3);
	json_decref(j);

	p.replace_tests = true;
	p.validator = "\x7f" "ELF";
	p.validator_len = 4;
	p.validator_language = "c";
	p.validator_flags = "float_tolerance 1e-6";
	ck_assert_int_eq(db_problem_update(db, id, &p), 0);
	j = problem_view(db, id, true);
	ck_assert_int_eq(jint(j, "test_count"), 1);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "samples")), 0);
	ck_assert_str_eq(scoring_kind_name(scoring_kind_of_json(j)), "ioi");
	json_decref(j);
	char *v = NULL, *vlang = NULL, *vflags = NULL;
	size_t vlen = 0;
	ck_assert_int_eq(db_problem_validator(db, id, &v, &vlen, &vlang, &vflags), 0);
	ck_assert_uint_eq(vlen, 4);
	ck_assert(memcmp(v, "\x7f" "ELF", 4) == 0);
	ck_assert_str_eq(vlang, "c");
	ck_assert_str_eq(vflags, "float_tolerance 1e-6");
	free(v);
	free(vlang);
	free(vflags);

	p.slug = "other";
	ck_assert_int_eq(db_problem_update(db, id, &p), DB_E_CONFLICT);
	j = problem_view(db, id, false);
	ck_assert_str_eq(jstr(j, "slug"), "sum"); /* rolled back whole */
	json_decref(j);
	p.slug = "fresh";
	ck_assert_int_eq(db_problem_update(db, 999, &p), DB_E_NOT_FOUND);
}
END_TEST

START_TEST(problems_list_and_delete)
{
	open_db();
	int64_t u = add_user("alice", false);
	int64_t ids[4];
	const char *slugs[] = {"a", "b", "c", "d"};
	for (int i = 0; i < 4; i++)
		ids[i] = add_problem(slugs[i]);
	json_t *page = problems_page(db, 1, 3);
	ck_assert_int_eq(jint(page, "total"), 4);
	json_t *items = json_object_get(page, "items");
	ck_assert_uint_eq(json_array_size(items), 3);
	ck_assert_int_eq(jint(json_array_get(items, 0), "id"), ids[0]);
	ck_assert_ptr_null(json_object_get(json_array_get(items, 0), "statement"));
	json_decref(page);
	int64_t s = add_submission(ids[1], u, "int main(){}");
	ck_assert_int_eq(db_problem_delete(db, ids[1]), 0);
	ck_assert_int_eq(db_problem_delete(db, ids[1]), DB_E_NOT_FOUND);
	ck_assert(!db_problem_exists(db, ids[1]));
	/* Its tests and submissions go with it. */
	ck_assert_ptr_null(submission_json(s, false, false, NULL));
	sqlite3 *h = raw_open();
	char sql[100];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM tests WHERE problem_id = %lld", (long long)ids[1]);
	ck_assert_int_eq(raw_int(h, sql), 0);
	sqlite3_close(h);
	page = problems_page(db, 1, 20);
	ck_assert_int_eq(jint(page, "total"), 3);
	json_decref(page);
}
END_TEST

/* ---- submissions, seq and the change hook ---- */

struct change_log {
	int count;
	enum db_kind kind[4096];
	int64_t seq[4096];
	int64_t id[4096];
	char status[4096][12];
	int committed; /* changes that a fresh read already saw inside the hook */
	struct db *db;
};

static void on_change(void *ctx, struct db *from, const struct db_change *change)
{
	struct change_log *log = ctx;
	ck_assert_ptr_eq(from, log->db);
	ck_assert_ptr_null(change->test);
	int i = log->count++;
	ck_assert_int_lt(i, 4096);
	log->kind[i] = change->kind;
	log->seq[i] = change->seq;
	log->id[i] = change->id;
	/* A problem is visible everywhere, a user to itself (and admins). */
	if (change->kind == DB_KIND_PROBLEM) {
		ck_assert_int_eq(change->scope_kind, DB_KIND_NONE);
		if (db_problem_exists(from, change->id) != change->deleted)
			log->committed++;
		return;
	}
	if (change->kind == DB_KIND_USER) {
		ck_assert_int_eq(change->scope_kind, DB_KIND_USER);
		ck_assert_int_eq(change->scope_id, change->id);
		struct db_user u;
		if (db_user_get(from, change->id, &u) == 0)
			log->committed++;
		return;
	}
	ck_assert_int_eq(change->kind, DB_KIND_SUBMISSION);
	/* After commit: another connection already sees this change (or a later one). */
	json_t *now = update_json(log->id[i]);
	snprintf(log->status[i], sizeof log->status[i], "%s", json_string_value(json_object_get(now, "status")));
	if (now && json_integer_value(json_object_get(now, "seq")) >= log->seq[i])
		log->committed++;
	ck_assert_int_eq(change->scope_kind, DB_KIND_PROBLEM);
	ck_assert_int_eq(change->scope_id, json_integer_value(json_object_get(now, "problem_id")));
	json_decref(now);
}

START_TEST(submissions_create_and_read)
{
	open_db();
	int64_t alice = add_user("alice", false);
	int64_t pid = add_problem("sum");
	int64_t id = add_submission(pid, alice, "int main(void) { return 0; }");
	json_t *s = submission_json(id, false, false, NULL);
	ck_assert_int_eq(jint(s, "id"), id);
	ck_assert_int_eq(jint(s, "seq"), 3); /* after the user's and the problem's */
	ck_assert_int_eq(jint(s, "problem_id"), pid);
	ck_assert_str_eq(jstr(s, "user"), "alice");
	ck_assert_str_eq(jstr(s, "language"), "c");
	ck_assert_str_eq(jstr(s, "status"), "queued");
	ck_assert(json_is_null(json_object_get(s, "verdict")));
	ck_assert(json_is_null(json_object_get(s, "score")));
	ck_assert(json_is_null(json_object_get(s, "judged_at")));
	json_t *m = json_object_get(s, "metrics");
	ck_assert(json_is_null(json_object_get(m, "time_ms")));
	ck_assert_int_eq(jint(m, "tests_passed"), 0);
	ck_assert_int_eq(jint(m, "tests_total"), 3);
	ck_assert_msg(strlen(jstr(s, "created_at")) == 20 && jstr(s, "created_at")[19] == 'Z', "created_at %s",
		      jstr(s, "created_at"));
	ck_assert_ptr_null(json_object_get(s, "source"));
	ck_assert_ptr_null(json_object_get(s, "compile_output"));
	ck_assert_ptr_null(json_object_get(s, "tests"));
	json_decref(s);

	int64_t owner = 0;
	s = submission_json(id, true, false, &owner);
	ck_assert_int_eq(owner, alice);
	ck_assert_ptr_null(json_object_get(s, "source"));
	ck_assert_str_eq(jstr(s, "compile_output"), "");
	ck_assert(json_is_array(json_object_get(s, "tests")));
	json_decref(s);
	s = submission_json(id, true, true, NULL);
	ck_assert_str_eq(jstr(s, "source"), "int main(void) { return 0; }");
	json_decref(s);
	ck_assert_ptr_null(submission_json(id + 1, true, true, &owner));

	/* Unknown problem or user: refused, nothing stored, seq untouched. */
	int64_t none = 0;
	ck_assert_int_eq(db_submission_create(db, pid + 1, alice, "c", "x", NULL, &none, NULL), DB_E_NOT_FOUND);
	ck_assert_int_eq(db_submission_create(db, pid, alice + 100, "c", "x", NULL, &none, NULL), DB_E_NOT_FOUND);
	ck_assert_int_eq(none, 0);
	ck_assert_int_eq(db_seq(db), 3);
	int64_t counts[4];
	ck_assert_int_eq(db_submission_status_counts(db, counts), 0);
	ck_assert_int_eq(counts[0], 1);
	ck_assert_int_eq(counts[1] + counts[2] + counts[3], 0);
}
END_TEST

/* The pages as parsed JSON (the database writes them as text). */
static json_t *problem_page(int64_t problem, int page, int per_page)
{
	size_t len;
	char *text = problem_page_text(problem, page, per_page, &len);
	ck_assert_ptr_nonnull(text);
	json_t *j = json_loads(text, 0, NULL);
	ck_assert_msg(j != NULL, "not JSON: %s", text);
	free(text);
	return j;
}

static json_t *list_page(int64_t problem, int64_t user, const char *verdict, int page, int per_page)
{
	size_t len;
	char *text = list_page_text(problem, user, verdict, page, per_page, &len);
	ck_assert_ptr_nonnull(text);
	json_t *j = json_loads(text, 0, NULL);
	ck_assert_msg(j != NULL, "not JSON: %s", text);
	free(text);
	return j;
}

/* Every item of a page equals the submission's object built with jansson from its stored fields. */
static void items_match_objects(json_t *page)
{
	size_t i;
	json_t *item;
	json_array_foreach(json_object_get(page, "items"), i, item) {
		json_t *one = jansson_submission(json_integer_value(json_object_get(item, "id")));
		ck_assert_msg(json_equal(item, one), "item %zu differs: %s vs %s", i, json_dumps(item, 0), json_dumps(one, 0));
		json_decref(one);
	}
}

START_TEST(submission_lists)
{
	open_db();
	int64_t alice = add_user("alice", false), bob = add_user("bob", false);
	int64_t p1 = add_problem("p1"), p2 = add_problem("p2");
	int64_t ids[30];
	for (int i = 0; i < 30; i++)
		ids[i] = add_submission(i % 3 == 0 ? p2 : p1, i % 2 ? bob : alice, "src");
	/* Newest first, paged, with the problem's total. */
	json_t *page = problem_page(p1, 1, 5);
	ck_assert_int_eq(jint(page, "total"), 20);
	json_t *items = json_object_get(page, "items");
	ck_assert_uint_eq(json_array_size(items), 5);
	ck_assert_int_eq(jint(json_array_get(items, 0), "id"), ids[29]);
	ck_assert_int_eq(jint(json_array_get(items, 1), "id"), ids[28]);
	ck_assert_int_eq(jint(json_array_get(items, 2), "id"), ids[26]);
	ck_assert_ptr_null(json_object_get(json_array_get(items, 0), "source"));
	json_decref(page);
	page = problem_page(p1, 4, 5);
	items = json_object_get(page, "items");
	ck_assert_uint_eq(json_array_size(items), 5);
	ck_assert_int_eq(jint(json_array_get(items, 4), "id"), ids[1]);
	json_decref(page);
	page = problem_page(p1, 5, 5);
	ck_assert_uint_eq(json_array_size(json_object_get(page, "items")), 0);
	json_decref(page);

	page = list_page(0, 0, NULL, 1, 100);
	ck_assert_int_eq(jint(page, "total"), 30);
	ck_assert_int_eq(jint(json_array_get(json_object_get(page, "items"), 29), "id"), ids[0]);
	json_decref(page);
	page = list_page(p2, bob, NULL, 1, 100);
	ck_assert_int_eq(jint(page, "total"), 5); /* i = 3, 9, 15, 21, 27 */
	items = json_object_get(page, "items");
	ck_assert_int_eq(jint(json_array_get(items, 0), "id"), ids[27]);
	for (size_t i = 0; i < json_array_size(items); i++) {
		ck_assert_str_eq(jstr(json_array_get(items, i), "user"), "bob");
		ck_assert_int_eq(jint(json_array_get(items, i), "problem_id"), p2);
	}
	json_decref(page);
	page = list_page(0, alice, "AC", 1, 100);
	ck_assert_int_eq(jint(page, "total"), 0);
	json_decref(page);
}
END_TEST

START_TEST(seq_and_change_hook)
{
	open_db();
	static struct change_log log;
	memset(&log, 0, sizeof log);
	log.db = db;
	db_set_change_hook(db, on_change, &log);
	int64_t alice = add_user("alice", false);
	int64_t pid = add_problem("sum"), other = add_problem("other");
	/* Users and problems are changes too: exactly one per write, in seq order. */
	ck_assert_int_eq(log.count, 3);
	ck_assert_int_eq(log.kind[0], DB_KIND_USER);
	ck_assert_int_eq(log.id[0], alice);
	ck_assert_int_eq(log.kind[1], DB_KIND_PROBLEM);
	ck_assert_int_eq(log.id[1], pid);
	ck_assert_int_eq(log.kind[2], DB_KIND_PROBLEM);
	ck_assert_int_eq(log.id[2], other);
	int64_t a = add_submission(pid, alice, "a");
	int64_t b = add_submission(pid, alice, "b");
	int64_t c = add_submission(other, alice, "c");
	ck_assert_int_eq(log.count, 6);
	ck_assert_int_eq(db_seq(db), 6);
	ck_assert_int_eq(db_submission_requeue(db, a), 0);
	ck_assert_int_eq(log.count, 7);
	ck_assert_int_eq(log.id[6], a);
	ck_assert_str_eq(log.status[6], "queued");
	json_t *s = submission_json(a, false, false, NULL);
	ck_assert_int_eq(jint(s, "seq"), 7);
	json_decref(s);

	/* A failed change rolls back: no seq, no hook. */
	ck_assert_int_eq(db_submission_requeue(db, 999), DB_E_NOT_FOUND);
	ck_assert_int_eq(db_submission_create(db, 999, alice, "c", "x", NULL, NULL, NULL), DB_E_NOT_FOUND);
	ck_assert_int_eq(log.count, 7);
	ck_assert_int_eq(db_seq(db), 7);

	/* A problem rejudge is one transaction with one seq per submission, in order. */
	int64_t n = 0;
	ck_assert_int_eq(db_problem_requeue(db, pid, &n), 0);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(log.count, 9);
	ck_assert_int_eq(log.id[7], a);
	ck_assert_int_eq(log.id[8], b);
	ck_assert_int_eq(db_problem_requeue(db, 999, &n), 0);
	ck_assert_int_eq(n, 0);
	for (int i = 0; i < log.count; i++)
		ck_assert_int_eq(log.seq[i], i + 1);
	ck_assert_int_eq(log.committed, log.count);
	(void)c;

	/* Since: the newest state of each changed submission, in seq order. */
	json_t *since = changed_since(0, 0, 6, 100);
	ck_assert_uint_eq(json_array_size(since), 2);
	ck_assert_int_eq(jint(json_array_get(since, 0), "submission_id"), a);
	ck_assert_int_eq(jint(json_array_get(since, 0), "seq"), 8);
	ck_assert_int_eq(jint(json_array_get(since, 1), "submission_id"), b);
	json_decref(since);
	since = changed_since(other, 0, 0, 100);
	ck_assert_uint_eq(json_array_size(since), 1);
	ck_assert_int_eq(jint(json_array_get(since, 0), "submission_id"), c);
	json_decref(since);
	since = changed_since(0, b, 0, 100);
	ck_assert_uint_eq(json_array_size(since), 1);
	json_decref(since);
	since = changed_since(0, 0, 0, 1);
	ck_assert_uint_eq(json_array_size(since), 1);
	ck_assert_int_eq(jint(json_array_get(since, 0), "submission_id"), c);
	json_decref(since);
}
END_TEST

/* A transaction that fails after it took a seq for an existing submission
   rolls everything back: the seq is not used up and nothing is published. */
START_TEST(failed_change_publishes_nothing)
{
	open_db();
	static struct change_log log;
	memset(&log, 0, sizeof log);
	log.db = db;
	db_set_change_hook(db, on_change, &log);
	int64_t alice = add_user("alice", false);
	int64_t pid = add_problem("sum");
	int64_t a = add_submission(pid, alice, "a");
	int64_t b = add_submission(pid, alice, "b");
	ck_assert_int_eq(log.count, 4); /* the user, the problem, a, b */
	sqlite3 *h = raw_open();
	char sql[200];
	snprintf(sql, sizeof sql, "CREATE TRIGGER boom BEFORE UPDATE ON submissions WHEN NEW.id = %lld"
		 " BEGIN SELECT RAISE(ABORT, 'injected failure'); END", (long long)b);
	raw_exec(h, sql);
	ck_assert_int_lt(db_submission_requeue(db, b), 0);
	ck_assert_int_eq(log.count, 4);
	ck_assert_int_eq(db_seq(db), 4);
	/* The problem rejudge fails at b after requeueing a: all or nothing. */
	int64_t n = 0;
	ck_assert_int_lt(db_problem_requeue(db, pid, &n), 0);
	ck_assert_int_eq(log.count, 4);
	ck_assert_int_eq(db_seq(db), 4);
	json_t *s = submission_json(a, false, false, NULL);
	ck_assert_int_eq(jint(s, "seq"), 3);
	json_decref(s);
	raw_exec(h, "DROP TRIGGER boom");
	sqlite3_close(h);
	/* The writer is usable again, and seq continues without a gap. */
	ck_assert_int_eq(db_submission_requeue(db, b), 0);
	ck_assert_int_eq(log.count, 5);
	ck_assert_int_eq(log.seq[4], 5);
	ck_assert_int_eq(log.id[4], b);
}
END_TEST

START_TEST(seq_survives_reopen)
{
	open_db();
	int64_t alice = add_user("alice", false);
	int64_t pid = add_problem("sum");
	int64_t a = add_submission(pid, alice, "a");
	add_submission(pid, alice, "b");
	ck_assert_int_eq(db_submission_requeue(db, a), 0);
	ck_assert_int_eq(db_seq(db), 5); /* the user, the problem, a, b, a again */
	db_close(db);
	db = NULL;
	open_db();
	ck_assert_int_eq(db_seq(db), 5);
	int64_t c = add_submission(pid, alice, "c");
	json_t *s = submission_json(c, false, false, NULL);
	ck_assert_int_eq(jint(s, "seq"), 6);
	json_decref(s);
	/* Deleting the newest submission does not hand its seq out again
	   (the delete takes 7, the new problem 8). */
	ck_assert_int_eq(db_problem_delete(db, pid), 0);
	pid = add_problem("again");
	c = add_submission(pid, alice, "d");
	s = submission_json(c, false, false, NULL);
	ck_assert_int_eq(jint(s, "seq"), 9);
	json_decref(s);
}
END_TEST

/* The list endpoints write their JSON as text; it must say exactly what the
   json_t builders say, for every kind of value a column can hold. */
START_TEST(list_text_matches_the_objects)
{
	open_db();
	int64_t plain = add_user("alice", false);
	int64_t odd = 0;
	ck_assert_int_eq(db_user_create(db, "we\"ird\\na\tme\n\x01/\xc3\xa9\xe2\x82\xac", "h", false, &odd), 0);
	int64_t broken = 0;
	ck_assert_int_eq(db_user_create(db, "bad\xff\xfeutf8\xc3", "h", false, &broken), 0);
	int64_t pid = add_problem("sum");
	int64_t ids[6];
	for (int i = 0; i < 6; i++)
		ids[i] = add_submission(pid, i % 3 == 0 ? plain : i % 3 == 1 ? odd : broken, "x");
	sqlite3 *h = raw_open();
	char sql[512];
	snprintf(sql, sizeof sql,
		 "UPDATE submissions SET status = 'done', verdict = 'AC', score = 42.5, time_ms = 7, memory_kb = 1234,"
		 " tests_passed = 3, judged_at = '2026-01-01T00:00:00Z' WHERE id = %lld;"
		 "UPDATE submissions SET status = 'done', verdict = 'WA', score = 100, time_ms = 0, memory_kb = 0"
		 " WHERE id = %lld;"
		 "UPDATE submissions SET score = 0.1, created_at = 'x\"y' WHERE id = %lld;"
		 "UPDATE submissions SET score = -3e-7, tests_total = 9223372036854775807 WHERE id = %lld;",
		 (long long)ids[1], (long long)ids[2], (long long)ids[3], (long long)ids[4]);
	raw_exec(h, sql);
	sqlite3_close(h);

	size_t len = 0;
	char *text = problem_page_text(pid, 1, 20, &len);
	ck_assert_ptr_nonnull(text);
	ck_assert_uint_eq(len, strlen(text));
	json_error_t e;
	json_t *page = json_loads(text, 0, &e);
	ck_assert_msg(page != NULL, "not JSON: %s at %d: %s", e.text, e.position, text);
	ck_assert_int_eq(json_integer_value(json_object_get(page, "total")), 6);
	/* Item by item against the object built with jansson from the stored
	   fields; the single object's text is byte for byte what jansson writes. */
	json_t *items = json_object_get(page, "items");
	ck_assert_uint_eq(json_array_size(items), 6);
	for (size_t i = 0; i < 6; i++) {
		json_t *one = jansson_submission(ids[5 - i]);
		ck_assert_msg(json_equal(json_array_get(items, i), one), "item %zu differs", i);
		struct db_submission row;
		ck_assert_int_eq(db_submission_get(db, ids[5 - i], 0, &row), 0);
		struct buf b;
		buf_init(&b);
		view_submission(&b, &row, 0);
		db_submission_release(&row);
		char *want = json_dumps(one, JSON_COMPACT);
		ck_assert_str_eq(b.data, want);
		free(want);
		buf_release(&b);
		json_decref(one);
	}
	/* Invalid UTF-8 is replaced, not dropped. */
	ck_assert_ptr_nonnull(strstr(text, "bad\xef\xbf\xbd\xef\xbf\xbdutf8\xef\xbf\xbd"));
	json_decref(page);
	free(text);

	text = list_page_text(pid, odd, NULL, 1, 1, &len);
	page = json_loads(text, 0, NULL);
	items_match_objects(page);
	ck_assert_uint_eq(json_array_size(json_object_get(page, "items")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(page, "total")), 2);
	json_decref(page);
	free(text);
	text = list_page_text(0, 0, "WA", 1, 100, &len);
	page = json_loads(text, 0, NULL);
	items_match_objects(page);
	ck_assert_uint_eq(json_array_size(json_object_get(page, "items")), 1);
	json_decref(page);
	free(text);
	/* An empty page, and an unknown problem. */
	text = problem_page_text(pid, 9, 20, &len);
	ck_assert_str_eq(text, "{\"items\":[],\"page\":9,\"per_page\":20,\"total\":6}");
	free(text);
	ck_assert_ptr_null(problem_page_text(pid + 1, 1, 20, &len));
}
END_TEST

START_TEST(invalid_utf8_in_columns_is_replaced)
{
	open_db();
	int64_t alice = add_user("alice", false);
	int64_t pid = add_problem("sum");
	int64_t id = add_submission(pid, alice, "x");
	sqlite3 *h = raw_open();
	char sql[200];
	snprintf(sql, sizeof sql, "UPDATE submissions SET compile_output = 'error: stray \xff\xfe in program' WHERE id = %lld",
		 (long long)id);
	raw_exec(h, sql);
	sqlite3_close(h);
	json_t *s = submission_json(id, true, true, NULL);
	ck_assert_str_eq(jstr(s, "compile_output"), "error: stray \xef\xbf\xbd\xef\xbf\xbd in program");
	json_decref(s);
}
END_TEST

/* Ids of deleted problems and submissions never come back, not even after a reopen. */
START_TEST(ids_are_never_reused)
{
	open_db();
	int64_t alice = add_user("alice", false);
	int64_t keep = add_problem("keep");
	int64_t gone = add_problem("gone");
	add_submission(keep, alice, "k");
	int64_t s1 = add_submission(gone, alice, "a"), s2 = add_submission(gone, alice, "b");
	ck_assert_int_eq(db_problem_delete(db, gone), 0);
	int64_t next = add_problem("next");
	ck_assert_int_gt(next, gone);
	int64_t s3 = add_submission(next, alice, "c");
	ck_assert_int_gt(s3, s2);
	ck_assert_ptr_null(submission_json(s1, false, false, NULL));
	/* Across a reopen too. */
	ck_assert_int_eq(db_problem_delete(db, next), 0);
	db_close(db);
	db = NULL;
	open_db();
	int64_t again = add_problem("again");
	ck_assert_int_gt(again, next);
	ck_assert_int_gt(add_submission(again, alice, "d"), s3);
	/* A refused create uses no id. */
	struct db_problem p = problem("again");
	int64_t none = 0;
	ck_assert_int_eq(db_problem_create(db, &p, &none), DB_E_CONFLICT);
	ck_assert_int_eq(add_problem("after"), again + 1);
}
END_TEST

struct writer_arg {
	int64_t problem, user;
	int count;
};

static void *writer(void *p)
{
	struct writer_arg *w = p;
	for (int i = 0; i < w->count; i++) {
		int64_t id;
		if (db_submission_create(db, w->problem, w->user, "c", "x", NULL, &id, NULL) != 0)
			return (void *)1;
	}
	return NULL;
}

/* Writers on several threads: the hook still sees every change once, in seq order. */
START_TEST(hook_order_under_concurrent_writers)
{
	open_db();
	static struct change_log log;
	memset(&log, 0, sizeof log);
	log.db = db;
	db_set_change_hook(db, on_change, &log);
	int64_t alice = add_user("alice", false);
	int64_t pid = add_problem("sum");
	enum { THREADS = 4, EACH = 50 };
	pthread_t t[THREADS];
	struct writer_arg arg = {pid, alice, EACH};
	for (int i = 0; i < THREADS; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, writer, &arg), 0);
	for (int i = 0; i < THREADS; i++) {
		void *rc;
		pthread_join(t[i], &rc);
		ck_assert_ptr_null(rc);
	}
	ck_assert_int_eq(log.count, 2 + THREADS * EACH); /* the user and the problem first */
	for (int i = 0; i < log.count; i++)
		ck_assert_int_eq(log.seq[i], i + 1);
	ck_assert_int_eq(log.committed, log.count);
	ck_assert_int_eq(db_seq(db), 2 + THREADS * EACH);
	json_t *page = problem_page(pid, 1, 1);
	ck_assert_int_eq(jint(page, "total"), THREADS * EACH);
	json_decref(page);
}
END_TEST

int main(void)
{
	log_set_level(LOG_WARN);
	Suite *s = suite_create("db");
	struct {
		const char *name;
		const TTest *tests[12];
	} cases[] = {
		{"open", {open_creates_and_migrates, open_upto_then_upgrade, newer_schema_is_refused, data_dir_lock,
			  open_failures_say_where, statement_cache_grows}},
		{"users", {users, users_list_pages, sessions, session_cache, expired_sessions_are_purged}},
		{"problems", {problems_create_and_read, problems_update_keeps_or_replaces_tests, problems_list_and_delete}},
		{"submissions", {submissions_create_and_read, submission_lists, list_text_matches_the_objects,
				 invalid_utf8_in_columns_is_replaced, seq_and_change_hook, failed_change_publishes_nothing,
				 seq_survives_reopen, ids_are_never_reused, hook_order_under_concurrent_writers}},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		TCase *tc = tcase_create(cases[i].name);
		tcase_add_checked_fixture(tc, setup, teardown);
		tcase_set_timeout(tc, 60);
		for (int k = 0; k < 12 && cases[i].tests[k]; k++)
			tcase_add_test(tc, cases[i].tests[k]);
		suite_add_tcase(s, tc);
	}
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
