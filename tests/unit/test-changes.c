/* Unit tests for the change log: one seq for every kind of object, the log
 * of each object's latest change with its scope, queries by scope after a
 * seq, rollback, the change hook, and the migration that moved submissions'
 * seq into the log. Each test gets a fresh temporary data dir. */
#include <check.h>
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "db.h"
#include "db_int.h"
#include "log.h"

static char dir[256];
static char data[300];
static struct db *db;

struct seen {
	int count;
	struct db_change changes[64];
	char test_verdict[64][8];
};
static struct seen seen;

static void on_change(void *ctx, struct db *from, const struct db_change *change)
{
	struct seen *s = ctx;
	ck_assert_ptr_eq(from, db);
	ck_assert_int_lt(s->count, 64);
	s->changes[s->count] = *change;
	if (change->test)
		snprintf(s->test_verdict[s->count], sizeof s->test_verdict[0], "%s", change->test->verdict);
	s->changes[s->count++].test = NULL; /* borrowed: gone after the call */
}

static void open_db(void)
{
	char *err = NULL;
	ck_assert_msg(db_open(data, true, &db, &err) == 0, "db_open: %s", err ? err : "");
	db_set_change_hook(db, on_change, &seen);
}

static void setup(void)
{
	test_tmpdir(dir, sizeof dir);
	snprintf(data, sizeof data, "%s/data", dir);
	memset(&seen, 0, sizeof seen);
	open_db();
}

static void teardown(void)
{
	db_close(db);
	db = NULL;
	test_rmtree(dir);
}

static int64_t raw_int(const char *sql)
{
	char path[400];
	snprintf(path, sizeof path, "%s/verdict.db", data);
	sqlite3 *h = NULL;
	ck_assert_int_eq(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *st;
	ck_assert_msg(sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(h));
	int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_finalize(st);
	sqlite3_close(h);
	return v;
}

static void raw_exec(const char *sql)
{
	char path[400];
	snprintf(path, sizeof path, "%s/verdict.db", data);
	sqlite3 *h = NULL;
	ck_assert_int_eq(sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	sqlite3_busy_timeout(h, 5000);
	char *msg = NULL;
	ck_assert_msg(sqlite3_exec(h, sql, NULL, NULL, &msg) == SQLITE_OK, "%s: %s", sql, msg ? msg : "");
	sqlite3_close(h);
}

/* One transaction that records the given change and ends with rc. */
static int64_t change(enum db_kind kind, int64_t id, enum db_kind scope_kind, int64_t scope_id, int rc)
{
	struct db_conn *c = db_write_begin(db);
	int64_t seq = db_change(c, kind, id, scope_kind, scope_id);
	ck_assert_int_gt(seq, 0);
	ck_assert_int_eq(db_write_end(db, c, rc), rc);
	return seq;
}

static int64_t add_problem(const char *slug)
{
	static const struct db_test tests[] = {{"1", "sample", 0, true, "1\n", 2, "1\n", 2}};
	struct db_problem p = {.slug = slug, .title = slug, .statement = "x", .time_limit_ms = 1000,
			       .memory_limit_kb = 65536, .output_limit_kb = 1024, .checker_json = "{\"type\":\"tokens\"}",
			       .tests = tests, .test_count = 1, .replace_tests = true};
	int64_t id;
	ck_assert_int_eq(db_problem_create(db, &p, &id), 0);
	return id;
}

static int64_t add_submission(int64_t problem, int64_t user)
{
	int64_t id;
	ck_assert_int_eq(db_submission_create(db, problem, user, "c", "x", NULL, &id, NULL), 0);
	return id;
}

START_TEST(seq_increases_across_kinds)
{
	int64_t user = 0;
	ck_assert_int_eq(db_user_create(db, "alice", "h", false, &user), 0);
	int64_t problem = add_problem("p");
	int base = seen.count;
	int64_t s1 = add_submission(problem, user);
	int64_t a = change(DB_KIND_PROBLEM, problem, DB_KIND_NONE, 0, 0);
	int64_t b = change(DB_KIND_USER, user, DB_KIND_NONE, 0, 0);
	int64_t s2 = add_submission(problem, user);
	ck_assert_int_eq(seen.count, base + 4);
	/* One counter: every change, of whatever kind, takes the next seq. */
	int64_t last = 0;
	for (int i = base; i < seen.count; i++) {
		ck_assert_int_eq(seen.changes[i].seq, last ? last + 1 : seen.changes[i].seq);
		last = seen.changes[i].seq;
	}
	ck_assert_int_eq(db_seq(db), last);
	ck_assert_int_eq(seen.changes[base].kind, DB_KIND_SUBMISSION);
	ck_assert_int_eq(seen.changes[base].id, s1);
	ck_assert_int_eq(seen.changes[base].scope_kind, DB_KIND_PROBLEM);
	ck_assert_int_eq(seen.changes[base].scope_id, problem);
	ck_assert_int_eq(seen.changes[base + 1].kind, DB_KIND_PROBLEM);
	ck_assert_int_eq(seen.changes[base + 1].seq, a);
	ck_assert_int_eq(seen.changes[base + 1].scope_kind, DB_KIND_NONE);
	ck_assert_int_eq(seen.changes[base + 2].kind, DB_KIND_USER);
	ck_assert_int_eq(seen.changes[base + 2].seq, b);
	ck_assert_int_eq(seen.changes[base + 3].id, s2);
	/* The log keeps each object's latest change, and a submission's seq is it. */
	int64_t again = change(DB_KIND_PROBLEM, problem, DB_KIND_NONE, 0, 0);
	ck_assert_int_eq(raw_int("SELECT count(*) FROM changes WHERE kind = 'problem'"), 1);
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT seq FROM changes WHERE kind = 'problem' AND id = %lld", (long long)problem);
	ck_assert_int_eq(raw_int(sql), again);
	ck_assert_int_eq(db_submission_requeue(db, s1), 0);
	struct db_submission s;
	ck_assert_int_eq(db_submission_get(db, s1, 0, &s), 0);
	ck_assert_int_eq(s.seq, again + 1);
	db_submission_release(&s);
}
END_TEST

START_TEST(scope_queries_return_the_changes_after_seq)
{
	int64_t user = 0;
	ck_assert_int_eq(db_user_create(db, "alice", "h", false, &user), 0);
	int64_t p = add_problem("p"), q = add_problem("q");
	int64_t s1 = add_submission(p, user), s2 = add_submission(q, user), s3 = add_submission(p, user);
	int64_t seq_p = change(DB_KIND_PROBLEM, p, DB_KIND_NONE, 0, 0);
	ck_assert_int_eq(db_submission_requeue(db, s1), 0); /* s1 moves to the end */
	int64_t s1_seq = db_seq(db);
	struct db_change out[16];
	/* Problem p's submissions after 0: s3, then s1 at its new seq. */
	size_t n = db_changes_since(db, DB_KIND_SUBMISSION, DB_KIND_PROBLEM, p, 0, out, 16);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(out[0].id, s3);
	ck_assert_int_eq(out[1].id, s1);
	ck_assert_int_eq(out[1].seq, s1_seq);
	ck_assert_int_eq(out[1].scope_kind, DB_KIND_PROBLEM);
	ck_assert_int_eq(out[1].scope_id, p);
	/* Strictly after: the change at the cursor itself is not repeated. */
	ck_assert_uint_eq(db_changes_since(db, DB_KIND_SUBMISSION, DB_KIND_PROBLEM, p, out[0].seq, out, 16), 1);
	ck_assert_int_eq(out[0].id, s1);
	ck_assert_uint_eq(db_changes_since(db, DB_KIND_SUBMISSION, DB_KIND_PROBLEM, p, s1_seq, out, 16), 0);
	/* Another scope, any kind in any scope, a limit. */
	ck_assert_uint_eq(db_changes_since(db, DB_KIND_SUBMISSION, DB_KIND_PROBLEM, q, 0, out, 16), 1);
	ck_assert_int_eq(out[0].id, s2);
	n = db_changes_since(db, DB_KIND_NONE, DB_KIND_NONE, 0, seq_p - 1, out, 16);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(out[0].kind, DB_KIND_PROBLEM);
	ck_assert_int_eq(out[0].seq, seq_p);
	ck_assert_int_eq(out[1].kind, DB_KIND_SUBMISSION);
	ck_assert_uint_eq(db_changes_since(db, DB_KIND_PROBLEM, DB_KIND_NONE, 0, 0, out, 16), 2); /* p and q */
	ck_assert_uint_eq(db_changes_since(db, DB_KIND_NONE, DB_KIND_NONE, 0, 0, out, 2), 2);
	/* A deleted submission leaves the log, also when its problem goes. */
	ck_assert_int_eq(db_problem_delete(db, q), 0);
	ck_assert_uint_eq(db_changes_since(db, DB_KIND_SUBMISSION, DB_KIND_PROBLEM, q, 0, out, 16), 0);
	ck_assert_int_eq(raw_int("SELECT count(*) FROM changes WHERE kind = 'submission'"), 2);
}
END_TEST

START_TEST(rolled_back_transaction_leaves_no_change)
{
	int64_t before = db_seq(db);
	int count = seen.count;
	change(DB_KIND_PROBLEM, 7, DB_KIND_NONE, 0, DB_E_CONFLICT);
	change(DB_KIND_SUBMISSION, 8, DB_KIND_PROBLEM, 7, -EIO);
	ck_assert_int_eq(db_seq(db), before);
	ck_assert_int_eq(seen.count, count);
	ck_assert_int_eq(raw_int("SELECT count(*) FROM changes"), 0);
	struct db_change out[4];
	ck_assert_uint_eq(db_changes_since(db, DB_KIND_NONE, DB_KIND_NONE, 0, 0, out, 4), 0);
	/* The next change takes the seq the rolled-back ones did not use up. */
	ck_assert_int_eq(change(DB_KIND_PROBLEM, 7, DB_KIND_NONE, 0, 0), before + 1);
	ck_assert_int_eq(seen.count, count + 1);
}
END_TEST

/* An end of sessions is a change of kind session: its user's id, in its scope. */
START_TEST(ended_sessions_are_changes_of_their_user)
{
	int64_t user;
	ck_assert_int_eq(db_user_create(db, "alice", "hash", false, &user), 0);
	unsigned char token[32] = {1}, other[32] = {2};
	int64_t expires_at = 0;
	ck_assert_int_eq(db_session_create(db, token, user, 4102444800), 0);
	ck_assert_int_eq(db_session_create(db, other, user, 4102444800), 0);
	ck_assert_int_eq(db_session_expiry(db, token, 1, &expires_at), 0);
	ck_assert_int_eq(expires_at, 4102444800);
	ck_assert_int_eq(db_session_expiry(db, token, 4102444800, &expires_at), DB_E_NOT_FOUND);
	int count = seen.count;
	ck_assert_int_eq(db_session_delete(db, token), 0);
	ck_assert_int_eq(seen.count, count + 1);
	struct db_change *c = &seen.changes[count];
	ck_assert_int_eq(c->kind, DB_KIND_SESSION);
	ck_assert_int_eq(c->id, user);
	ck_assert_int_eq(c->scope_kind, DB_KIND_USER);
	ck_assert_int_eq(c->scope_id, user);
	ck_assert_int_eq(db_session_expiry(db, token, 1, &expires_at), DB_E_NOT_FOUND);
	ck_assert_int_eq(db_session_expiry(db, other, 1, &expires_at), 0);
	/* an unknown token ends nothing */
	ck_assert_int_eq(db_session_delete(db, token), 0);
	ck_assert_int_eq(seen.count, count + 1);
	/* a new password (a change of the user) ends the rest */
	ck_assert_int_eq(db_user_set_password(db, user, "hash2"), 0);
	ck_assert_int_eq(seen.count, count + 3);
	ck_assert_int_eq(seen.changes[count + 1].kind, DB_KIND_USER);
	ck_assert_int_eq(seen.changes[count + 2].kind, DB_KIND_SESSION);
	ck_assert_int_eq(db_session_expiry(db, other, 1, &expires_at), DB_E_NOT_FOUND);
	struct db_change out[4];
	ck_assert_uint_eq(db_changes_since(db, DB_KIND_SESSION, DB_KIND_USER, user, 0, out, 4), 1);
}
END_TEST

/* A finished test reaches the hook with its submission's change, and only with it. */
START_TEST(test_results_ride_on_their_change)
{
	int64_t user = 0;
	ck_assert_int_eq(db_user_create(db, "alice", "h", false, &user), 0);
	int64_t s = add_submission(add_problem("p"), user);
	int64_t token;
	int attempt;
	ck_assert_int_eq(db_judge_begin(db, s, &token, &attempt), 0);
	char verdict[] = "WA";
	int before = seen.count;
	ck_assert_int_eq(db_judge_test(db, s, token, 1, "sample", verdict, 5, 600, false), 0);
	ck_assert_int_eq(seen.count, before + 1);
	ck_assert_str_eq(seen.test_verdict[before], "WA");
	ck_assert_int_eq(seen.changes[before].id, s);
	ck_assert_int_eq(db_judge_finish(db, s, token, "WA", -1, 5, 600, 0, NULL, NULL), 0);
	ck_assert_str_eq(seen.test_verdict[before + 1], "");
}
END_TEST

/* Data from before the change log: each submission's seq moves into it and seq resumes after it. */
START_TEST(migration_moves_submission_seq_into_the_log)
{
	db_close(db);
	db = NULL;
	test_rmtree(data);
	char *err = NULL;
	ck_assert_msg(db_open_upto(data, 3, &db, &err) == 0, "%s", err ? err : "");
	db_close(db);
	db = NULL;
	raw_exec("INSERT INTO users (id, username, password_hash, role, created_at) VALUES (1, 'u', 'h', 'user', 'x');"
		 "INSERT INTO problems (id, slug, title, time_limit_ms, memory_limit_kb, output_limit_kb, checker,"
		 " created_at, updated_at) VALUES (3, 'p', 'P', 1000, 1024, 1024, '{}', 'x', 'x');"
		 "INSERT INTO submissions (id, seq, problem_id, user_id, language, source, status, created_at) VALUES"
		 " (10, 40, 3, 1, 'c', 's', 'done', 'x'), (11, 42, 3, 1, 'c', 's', 'queued', 'x');"
		 "UPDATE counters SET value = 42 WHERE name = 'seq';");
	open_db();
	struct db_change out[4];
	ck_assert_uint_eq(db_changes_since(db, DB_KIND_SUBMISSION, DB_KIND_PROBLEM, 3, 0, out, 4), 2);
	ck_assert_int_eq(out[0].id, 10);
	ck_assert_int_eq(out[0].seq, 40);
	ck_assert_int_eq(out[1].id, 11);
	ck_assert_int_eq(out[1].seq, 42);
	ck_assert_uint_eq(db_changes_since(db, DB_KIND_SUBMISSION, DB_KIND_PROBLEM, 3, 40, out, 4), 1);
	ck_assert_int_eq(db_submission_requeue(db, 10), 0);
	ck_assert_int_eq(db_changes_since(db, DB_KIND_SUBMISSION, DB_KIND_PROBLEM, 3, 42, out, 4), 1);
	ck_assert_int_eq(out[0].seq, 43);
	ck_assert_int_eq(raw_int("SELECT count(*) FROM pragma_table_info('submissions') WHERE name = 'seq'"), 0);
}
END_TEST

/* The hook's calls from index `from` on: exactly `count`, seqs one apart right after `seq`, all of (kind, id). */
static void expect_changes(int from, int count, int64_t seq, enum db_kind kind, int64_t id)
{
	ck_assert_int_eq(seen.count, from + count);
	for (int i = 0; i < count; i++) {
		ck_assert_int_eq(seen.changes[from + i].seq, seq + 1 + i);
		ck_assert_int_eq(seen.changes[from + i].kind, kind);
		ck_assert_int_eq(seen.changes[from + i].id, id);
	}
	ck_assert_int_eq(db_seq(db), seq + count);
}

/* Create, update, update with new tests, delete: one seq each, visible everywhere; the delete leaves a tombstone. */
START_TEST(each_problem_write_takes_one_seq)
{
	int64_t seq = db_seq(db);
	int from = seen.count;
	int64_t p = add_problem("p");
	expect_changes(from, 1, seq, DB_KIND_PROBLEM, p);
	ck_assert_int_eq(seen.changes[from].scope_kind, DB_KIND_NONE);
	ck_assert(!seen.changes[from].deleted);

	static const struct db_test two[] = {{"1", "sample", 0, true, "1\n", 2, "1\n", 2},
					     {"2", "secret", 0, false, "2\n", 2, "2\n", 2}};
	struct db_problem u = {.slug = "p", .title = "New title", .statement = "y", .time_limit_ms = 2000,
			       .memory_limit_kb = 65536, .output_limit_kb = 1024, .checker_json = "{\"type\":\"tokens\"}"};
	ck_assert_int_eq(db_problem_update(db, p, &u), 0); /* fields only */
	u.tests = two;
	u.test_count = 2;
	u.replace_tests = true;
	ck_assert_int_eq(db_problem_update(db, p, &u), 0); /* and tests */
	expect_changes(from, 3, seq, DB_KIND_PROBLEM, p);
	ck_assert_int_eq(raw_int("SELECT count(*) FROM changes WHERE kind = 'problem'"), 1);

	ck_assert_int_eq(db_problem_delete(db, p), 0);
	expect_changes(from, 4, seq, DB_KIND_PROBLEM, p);
	ck_assert(seen.changes[from + 3].deleted);
	ck_assert_int_eq(seen.changes[from + 3].scope_kind, DB_KIND_NONE);
	/* A resumer from before the delete learns of it, at the delete's seq. */
	struct db_change out[4];
	ck_assert_uint_eq(db_changes_since(db, DB_KIND_PROBLEM, DB_KIND_NONE, 0, seq, out, 4), 1);
	ck_assert_int_eq(out[0].id, p);
	ck_assert_int_eq(out[0].seq, seq + 4);
	ck_assert(out[0].deleted);
	ck_assert_uint_eq(db_changes_since(db, DB_KIND_PROBLEM, DB_KIND_NONE, 0, seq + 4, out, 4), 0);
}
END_TEST

/* Create, password set: one seq each, in the user's own scope. */
START_TEST(each_user_write_takes_one_seq)
{
	int64_t seq = db_seq(db);
	int from = seen.count;
	int64_t alice = 0, bob = 0;
	ck_assert_int_eq(db_user_create(db, "alice", "h", false, &alice), 0);
	expect_changes(from, 1, seq, DB_KIND_USER, alice);
	ck_assert_int_eq(db_user_set_password(db, alice, "h2"), 0);
	/* A new password is a change of the user, and it ends the user's sessions: a second change. */
	ck_assert_int_eq(seen.count, from + 3);
	ck_assert_int_eq(seen.changes[from + 1].kind, DB_KIND_USER);
	ck_assert_int_eq(seen.changes[from + 1].seq, seq + 2);
	ck_assert_int_eq(seen.changes[from + 2].kind, DB_KIND_SESSION);
	ck_assert_int_eq(seen.changes[from + 2].seq, seq + 3);
	ck_assert_int_eq(db_seq(db), seq + 3);
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(seen.changes[from + i].id, alice);
		ck_assert_int_eq(seen.changes[from + i].scope_kind, DB_KIND_USER);
		ck_assert_int_eq(seen.changes[from + i].scope_id, alice);
		ck_assert(!seen.changes[from + i].deleted);
	}
	ck_assert_int_eq(db_user_create(db, "bob", "h", true, &bob), 0);
	/* Each user's scope holds its own changes only; any scope holds both users. */
	struct db_change out[4];
	ck_assert_uint_eq(db_changes_since(db, DB_KIND_NONE, DB_KIND_USER, alice, 0, out, 4), 2);
	ck_assert_int_eq(out[0].kind, DB_KIND_USER);
	ck_assert_int_eq(out[0].id, alice);
	ck_assert_int_eq(out[0].seq, seq + 2);
	ck_assert_int_eq(out[0].scope_kind, DB_KIND_USER);
	ck_assert_int_eq(out[0].scope_id, alice);
	ck_assert_int_eq(out[1].kind, DB_KIND_SESSION);
	ck_assert_int_eq(out[1].seq, seq + 3);
	ck_assert_uint_eq(db_changes_since(db, DB_KIND_NONE, DB_KIND_USER, bob, 0, out, 4), 1);
	ck_assert_int_eq(out[0].id, bob);
	ck_assert_int_eq(out[0].seq, seq + 4);
	ck_assert_uint_eq(db_changes_since(db, DB_KIND_USER, DB_KIND_NONE, 0, 0, out, 4), 2);
	/* Users are in no problem's scope, problems in no user's. */
	add_problem("p");
	ck_assert_uint_eq(db_changes_since(db, DB_KIND_PROBLEM, DB_KIND_USER, alice, 0, out, 4), 0);
	ck_assert_uint_eq(db_changes_since(db, DB_KIND_USER, DB_KIND_PROBLEM, alice, 0, out, 4), 0);
}
END_TEST

/* A write that fails (a taken name, a missing object) takes no seq and calls no hook. */
START_TEST(failed_writes_take_no_seq)
{
	int64_t alice = 0, other = 0;
	ck_assert_int_eq(db_user_create(db, "alice", "h", false, &alice), 0);
	int64_t p = add_problem("p");
	add_problem("q");
	int64_t seq = db_seq(db);
	int count = seen.count;
	ck_assert_int_eq(db_user_create(db, "alice", "h", false, &other), DB_E_CONFLICT);
	ck_assert_int_eq(other, 0);
	ck_assert_int_eq(db_user_set_password(db, alice + 100, "h"), DB_E_NOT_FOUND);
	static const struct db_test tests[] = {{"1", "sample", 0, true, "1\n", 2, "1\n", 2}};
	struct db_problem dup = {.slug = "p", .title = "P", .statement = "x", .time_limit_ms = 1000,
				 .memory_limit_kb = 65536, .output_limit_kb = 1024,
				 .checker_json = "{\"type\":\"tokens\"}", .tests = tests, .test_count = 1,
				 .replace_tests = true};
	int64_t id = 0;
	ck_assert_int_eq(db_problem_create(db, &dup, &id), DB_E_CONFLICT);
	dup.slug = "q";
	ck_assert_int_eq(db_problem_update(db, p, &dup), DB_E_CONFLICT);
	ck_assert_int_eq(db_problem_update(db, p + 100, &dup), DB_E_NOT_FOUND);
	ck_assert_int_eq(db_problem_delete(db, p + 100), DB_E_NOT_FOUND);
	ck_assert_int_eq(db_seq(db), seq);
	ck_assert_int_eq(seen.count, count);
	ck_assert_int_eq(raw_int("SELECT max(seq) FROM changes"), seq);
}
END_TEST

int main(void)
{
	log_set_level(LOG_WARN);
	Suite *s = suite_create("changes");
	TCase *tc = tcase_create("changes");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, seq_increases_across_kinds);
	tcase_add_test(tc, scope_queries_return_the_changes_after_seq);
	tcase_add_test(tc, rolled_back_transaction_leaves_no_change);
	tcase_add_test(tc, test_results_ride_on_their_change);
	tcase_add_test(tc, ended_sessions_are_changes_of_their_user);
	tcase_add_test(tc, migration_moves_submission_seq_into_the_log);
	tcase_add_test(tc, each_problem_write_takes_one_seq);
	tcase_add_test(tc, each_user_write_takes_one_seq);
	tcase_add_test(tc, failed_writes_take_no_seq);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
