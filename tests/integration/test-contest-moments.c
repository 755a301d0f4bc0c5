/* Integration tests of a contest's moments in the change log, over real
 * HTTP: a contest that starts a moment from now, with a freeze and an end a
 * few seconds later, logs its state at the start, the freeze and the end by
 * the clock, and at the thaw and the finalize by an action; the thaw logs
 * the submission the freeze hid again (its seq moves on), and another user
 * then sees its result. A restart of the server after a moment passed while
 * it was down logs that moment once. The state changes are seen in the
 * server's log ("moments: contest N is PHASE"); the re-log in the
 * submission's seq. No timed assertions: every wait is for a condition,
 * with a generous timeout. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"
#include "ws_helpers.h"

#define WAIT_MS 60000

static struct server srv;
static char alice[64], bob[64];
static long long problem;

static int64_t wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* RFC 3339 with milliseconds. */
static void iso_ms(char out[40], int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	char sec[32];
	strftime(sec, sizeof sec, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, 40, "%s.%03dZ", sec, (int)(ms % 1000));
}

/* A public classroom contest (a student's team is made at their first
   submission) starting at start_ms; returns its id. */
static long long create_contest(const char *shortname, int64_t start_ms, long duration_s, long freeze_s)
{
	char start[40], body[512];
	iso_ms(start, start_ms);
	snprintf(body, sizeof body,
		 "{\"shortname\": \"%s\", \"name\": \"%s\", \"start_time\": \"%s\", \"duration_s\": %ld,"
		 " \"freeze_s\": %ld, \"public\": true, \"classroom\": true,"
		 " \"problems\": [{\"problem_id\": %lld, \"label\": \"A\"}]}",
		 shortname, shortname, start, duration_s, freeze_s, problem);
	struct response r;
	http_json_request(&r, &srv, "POST", "/api/contests", srv.admin_token, body);
	ck_assert_msg(r.status == 201, "create %s: %ld %s", shortname, r.status, r.body);
	long long id = json_integer_value(json_object_get(r.json, "id"));
	response_free(&r);
	return id;
}

/* How many times the server logged the contest's state as phase. */
static int logged(long long contest, const char *phase)
{
	char needle[96];
	snprintf(needle, sizeof needle, "moments: contest %lld is %s", contest, phase);
	return test_log_count(&srv, needle);
}

static void wait_logged(long long contest, const char *phase, int times)
{
	for (int waited = 0; waited < WAIT_MS && logged(contest, phase) < times; waited += 20)
		sleep_ms(20);
	ck_assert_msg(logged(contest, phase) == times, "contest %lld logged '%s' %d times, want %d", contest, phase,
		      logged(contest, phase), times);
}

/* The submission as `token` sees it in the contest's list (decref). */
static json_t *listed(const char *token, long long contest, long long id)
{
	json_t *list = http_call(&srv, "GET", token, 200, NULL, "/api/contests/%lld/submissions", contest);
	json_t *items = json_object_get(list, "items");
	if (!items)
		items = list;
	size_t i;
	json_t *o, *found = NULL;
	json_array_foreach(items, i, o)
		if (json_integer_value(json_object_get(o, "id")) == id)
			found = json_incref(o);
	json_decref(list);
	ck_assert_msg(found, "submission %lld is not listed", id);
	return found;
}

static void start(void)
{
	server_start(&srv, NULL);
	test_create_user(&srv, "alice", false, alice, sizeof alice);
	test_create_user(&srv, "bob", false, bob, sizeof bob);
	problem = wsh_problem(&srv, "sum");
}

static void stop(void)
{
	server_finish(&srv);
}

START_TEST(moments_by_clock_and_actions)
{
	/* Starts in 2 s, runs 6 s, freezes for its last 3 s. */
	long long k = create_contest("moments", wall_ms() + 2000, 6, 3);
	wait_logged(k, "scheduled", 1);
	wait_logged(k, "running", 1);
	wait_logged(k, "frozen", 1);

	/* Made during the freeze: its result is hidden from bob. */
	json_t *made = http_call(&srv, "POST", alice, 201, "{\"language\": \"c\", \"source\": \"" WSH_SOURCE "\"}",
				 "/api/contests/%lld/problems/A/submissions", k);
	long long sub = json_integer_value(json_object_get(made, "id"));
	json_decref(made);
	ck_assert(wait_done(&srv, &sub, 1, 60));
	json_t *seen = listed(bob, k, sub);
	ck_assert(json_is_true(json_object_get(seen, "result_hidden")));
	json_decref(seen);

	wait_logged(k, "ended", 1);
	long long before = wsh_seq(&srv, sub, NULL, 0);
	ck_assert_int_eq(logged(k, "frozen"), 1);

	/* The thaw by an action: its state, and the hidden submission again. */
	wsh_post(&srv, srv.admin_token, 200, "/api/contests/%lld/thaw", k);
	wait_logged(k, "thawed", 1);
	long long after = wsh_seq(&srv, sub, NULL, 0);
	for (int waited = 0; waited < WAIT_MS && after <= before; waited += 20) {
		sleep_ms(20);
		after = wsh_seq(&srv, sub, NULL, 0);
	}
	ck_assert_int_gt(after, before);
	seen = listed(bob, k, sub);
	ck_assert(!json_is_true(json_object_get(seen, "result_hidden")));
	ck_assert_str_eq(json_string_value(json_object_get(seen, "verdict")), "AC");
	json_decref(seen);

	wsh_post(&srv, srv.admin_token, 200, "/api/contests/%lld/finalize", k);
	wait_logged(k, "finalized", 1);
	/* Each moment once. */
	const char *phases[] = {"scheduled", "running", "frozen", "ended", "thawed", "finalized"};
	for (size_t i = 0; i < sizeof phases / sizeof *phases; i++)
		ck_assert_int_eq(logged(k, phases[i]), 1);
}
END_TEST

START_TEST(restart_after_a_moment)
{
	int64_t at = wall_ms() + 2000;
	long long k = create_contest("restart", at, 3600, 0);
	wait_logged(k, "scheduled", 1);
	ck_assert_int_eq(server_stop(&srv), 0);
	while (wall_ms() < at + 500)
		sleep_ms(50); /* the start passes while the server is down */
	ck_assert_int_eq(logged(k, "running"), 0);
	server_restart(&srv, NULL);
	wait_logged(k, "running", 1);

	/* Once: a second restart finds it logged. A contest made after it is
	   passed after it, so once that one's state is logged, this one's
	   would have been too. */
	ck_assert_int_eq(server_stop(&srv), 0);
	server_restart(&srv, NULL);
	long long later = create_contest("after", wall_ms() + 3600000, 3600, 0);
	wait_logged(later, "scheduled", 1);
	ck_assert_int_eq(logged(k, "running"), 1);
	ck_assert_int_eq(logged(k, "scheduled"), 1);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("contest-moments");
	TCase *tc = tcase_create("moments");
	tcase_add_unchecked_fixture(tc, start, stop);
	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, moments_by_clock_and_actions);
	tcase_add_test(tc, restart_after_a_moment);
	suite_add_tcase(suite, tc);
	return test_run_suite(suite);
}
