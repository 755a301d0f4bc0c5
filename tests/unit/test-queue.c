/* Unit tests for the judging queue's order and the submission quota
 * (store/db_judge.c db_judge_pending, store/db_submissions.c): turns by user,
 * rejudges behind fresh submissions, the per-minute and queued limits. */
#include <check.h>
#include <stdio.h>

#include "common.h"
#include "db.h"

static char dir[256];
static struct db *db;
static int64_t problem_id, alice, bob, carol;
static int64_t tokens[64]; /* of the attempt running, by submission id */

static const struct db_test tests[] = {{"t1", "secret", 0, false, "1 2\n", 4, "3\n", 2}};

static void setup(void)
{
	test_tmpdir(dir, sizeof dir);
	char data[300], *err = NULL;
	snprintf(data, sizeof data, "%s/data", dir);
	ck_assert_int_eq(db_open(data, false, &db, &err), 0);
	ck_assert_int_eq(db_user_create(db, "alice", "h", false, &alice), 0);
	ck_assert_int_eq(db_user_create(db, "bob", "h", false, &bob), 0);
	ck_assert_int_eq(db_user_create(db, "carol", "h", false, &carol), 0);
	struct db_problem p = {.slug = "sum", .title = "Sum", .statement = "", .time_limit_ms = 1000,
			       .memory_limit_kb = 65536, .output_limit_kb = 1024, .checker_json = "{\"type\":\"tokens\"}",
			       .tests = tests, .test_count = 1, .replace_tests = true};
	ck_assert_int_eq(db_problem_create(db, &p, &problem_id), 0);
}

static void teardown(void)
{
	db_close(db);
	db = NULL;
	test_rmtree(dir);
}

static int64_t submit(int64_t user)
{
	int64_t id = 0;
	ck_assert_int_eq(db_submission_create(db, problem_id, user, "c", "x", NULL, &id, NULL), 0);
	return id;
}

/* Takes the next submission as the dispatcher does; returns its id (0: none). */
static int64_t take_next(void)
{
	int64_t id = 0, token = 0;
	if (db_judge_pending(db, &id, 1) != 1)
		return 0;
	ck_assert_int_eq(db_judge_begin(db, id, &token, NULL), 0);
	ck_assert_int_lt(id, 64);
	tokens[id] = token;
	return id;
}

static void finish(int64_t id)
{
	ck_assert_int_eq(db_judge_finish(db, id, tokens[id], "AC", -1, 1, 1, 1, NULL, ""), 0);
}

START_TEST(turns_by_user)
{
	int64_t a[4];
	for (int i = 0; i < 4; i++)
		a[i] = submit(alice);
	ck_assert_int_eq(take_next(), a[0]); /* alice's first, judging */
	int64_t b = submit(bob), c = submit(carol);
	/* bob and carol each have their first turn before alice's second. */
	int64_t order[8];
	ck_assert_int_eq(db_judge_pending(db, order, 8), 5);
	ck_assert_int_eq(order[0], b);
	ck_assert_int_eq(order[1], c);
	ck_assert_int_eq(order[2], a[1]);
	ck_assert_int_eq(order[3], a[2]);
	ck_assert_int_eq(order[4], a[3]);
	/* A second of bob's waits behind alice's second: turns alternate. */
	int64_t b2 = submit(bob);
	ck_assert_int_eq(take_next(), b);
	ck_assert_int_eq(take_next(), c);
	finish(a[0]);
	ck_assert_int_eq(take_next(), a[1]);
	finish(b);
	ck_assert_int_eq(take_next(), b2);
	ck_assert_int_eq(take_next(), a[2]);
}
END_TEST

START_TEST(turns_with_one_worker)
{
	/* One worker: alice's backlog is judged one at a time, and bob's comes
	   right after the one being judged when he submitted. */
	int64_t a[4];
	for (int i = 0; i < 4; i++)
		a[i] = submit(alice);
	ck_assert_int_eq(take_next(), a[0]);
	int64_t b = submit(bob);
	finish(a[0]);
	ck_assert_int_eq(take_next(), b);
	finish(b);
	ck_assert_int_eq(take_next(), a[1]);
	/* Submitting again later, bob waits only for the one being judged again. */
	int64_t b2 = submit(bob);
	finish(a[1]);
	ck_assert_int_eq(take_next(), b2);
	finish(b2);
	ck_assert_int_eq(take_next(), a[2]);
	finish(a[2]);
	ck_assert_int_eq(take_next(), a[3]);
}
END_TEST

START_TEST(rejudges_wait_behind_fresh_submissions)
{
	int64_t old = submit(bob);
	ck_assert_int_eq(take_next(), old);
	finish(old);
	ck_assert_int_eq(db_submission_requeue(db, old), 0);
	int64_t fresh = submit(alice), fresh2 = submit(alice);
	int64_t order[4];
	ck_assert_int_eq(db_judge_pending(db, order, 4), 3);
	ck_assert_int_eq(order[0], fresh);
	ck_assert_int_eq(order[1], fresh2);
	ck_assert_int_eq(order[2], old);
	/* It stays behind through a crash recovery, and is fresh again once judged. */
	ck_assert_int_eq(take_next(), fresh);
	ck_assert_int_eq(take_next(), fresh2);
	ck_assert_int_eq(take_next(), old);
	ck_assert_int_eq(db_judge_recover(db), 3);
	ck_assert_int_eq(db_judge_pending(db, order, 4), 3);
	ck_assert_int_eq(order[2], old);
	ck_assert_int_eq(take_next(), fresh);
	ck_assert_int_eq(take_next(), fresh2);
	ck_assert_int_eq(take_next(), old);
	finish(old);
	/* The quota does not count a rejudge as the user's own. */
	ck_assert_int_eq(db_submission_requeue(db, old), 0);
	struct db_submit_limits lim = {.queued = 1};
	int64_t id;
	ck_assert_int_eq(db_submission_create(db, problem_id, bob, "c", "x", &lim, &id, NULL), 0);
}
END_TEST

START_TEST(quota_per_minute_and_queued)
{
	struct db_submit_limits lim = {.per_minute = 3, .queued = 100};
	int64_t id;
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(db_submission_create(db, problem_id, alice, "c", "x", &lim, &id, NULL), 0);
	ck_assert_int_eq(db_submission_create(db, problem_id, alice, "c", "x", &lim, &id, NULL), DB_E_LIMITED);
	ck_assert_str_eq(lim.refused, "per_minute");
	ck_assert_int_ge(lim.retry_after, 1);
	ck_assert_int_le(lim.retry_after, 60);
	/* Another user's quota is their own. */
	lim = (struct db_submit_limits){.per_minute = 100, .queued = 2};
	ck_assert_int_eq(db_submission_create(db, problem_id, bob, "c", "x", &lim, &id, NULL), 0);
	ck_assert_int_eq(db_submission_create(db, problem_id, bob, "c", "x", &lim, &id, NULL), 0);
	ck_assert_int_eq(db_submission_create(db, problem_id, bob, "c", "x", &lim, &id, NULL), DB_E_LIMITED);
	ck_assert_str_eq(lim.refused, "queued");
	ck_assert_int_ge(lim.retry_after, 1);
	/* Judged, one leaves the count. */
	int64_t first;
	while ((first = take_next()) != 0)
		finish(first);
	ck_assert_int_eq(db_submission_create(db, problem_id, bob, "c", "x", &lim, &id, NULL), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("queue");
	TCase *tc = tcase_create("queue");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, turns_by_user);
	tcase_add_test(tc, turns_with_one_worker);
	tcase_add_test(tc, rejudges_wait_behind_fresh_submissions);
	tcase_add_test(tc, quota_per_minute_and_queued);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
