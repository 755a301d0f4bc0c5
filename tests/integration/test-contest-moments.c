/* Integration tests of a contest's moments in the change log, over real
 * HTTP: a contest that starts a moment from now, with a freeze and an end a
 * few seconds later, sends a `state` line in its CLICS event feed at the
 * start, the freeze and the end by the clock, and at the thaw and the
 * finalize by an action (the last line, with end_of_updates); the thaw logs
 * the submission the freeze hid again, so that a public reader resuming with
 * a token from before the thaw (and after its judging) gets its judgement,
 * and its seq moves on. A restart of the server after a moment passed while
 * it was down logs that moment once. The feeds are read with ?stream=false
 * after the last token seen; each state is also logged by the server
 * ("moments: contest N is PHASE"), which counts how often. No timed
 * assertions: every wait is for a condition, with a generous timeout. */
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

/* The lines of the public event feed of contest `key` after token `since`
   (-1: from the beginning), as a JSON array (decref); *last gets the
   largest token in it (unchanged when none). */
static json_t *feed(const char *key, long long since, long long *last)
{
	char path[160];
	if (since < 0)
		snprintf(path, sizeof path, "/api/clics/contests/%s/event-feed?stream=false", key);
	else
		snprintf(path, sizeof path, "/api/clics/contests/%s/event-feed?stream=false&since_token=%lld", key, since);
	struct response r;
	http_request(&r, &srv, "GET", path, NULL, NULL, NULL, 0, NULL);
	ck_assert_msg(r.status == 200, "GET %s: %ld %s", path, r.status, r.body);
	json_t *lines = json_array();
	for (char *line = r.body, *nl; line && *line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (!*line)
			continue;
		json_t *o = json_loads(line, 0, NULL);
		ck_assert_msg(o, "not JSON: %s", line);
		const char *token = json_string_value(json_object_get(o, "token"));
		if (token && atoll(token) > *last)
			*last = atoll(token);
		json_array_append_new(lines, o);
	}
	response_free(&r);
	return lines;
}

/* The data of the last line of type `type` (and id `id`, unless NULL), or NULL (borrowed from lines). */
static json_t *last_line(json_t *lines, const char *type, const char *id)
{
	json_t *found = NULL, *o;
	size_t i;
	json_array_foreach(lines, i, o) {
		const char *t = json_string_value(json_object_get(o, "type"));
		const char *oid = json_string_value(json_object_get(o, "id"));
		if (strcmp(t, type) == 0 && (!id || (oid && strcmp(oid, id) == 0)))
			found = json_object_get(o, "data");
	}
	return found;
}

/* Waits until the feed after *token has a state line whose `field` is set;
   *token moves to the largest token read. */
static void wait_state(const char *key, const char *field, long long *token)
{
	for (int waited = 0; waited < WAIT_MS; waited += 20) {
		json_t *lines = feed(key, *token, token);
		json_t *state = last_line(lines, "state", NULL);
		bool set = state && json_is_string(json_object_get(state, field));
		json_decref(lines);
		if (set)
			return;
		sleep_ms(20);
	}
	ck_abort_msg("contest %s: no state line with '%s' set", key, field);
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
	/* Starts in 2 s, runs 12 s, freezes for its last 8 s (time to submit
	   during the freeze on a loaded machine). */
	long long k = create_contest("moments", wall_ms() + 2000, 12, 8);
	long long token = -1;
	json_decref(feed("moments", -1, &token));
	ck_assert_int_gt(token, 0);
	wait_state("moments", "started", &token);
	wait_state("moments", "frozen", &token);

	/* Made during the freeze: its result is hidden from bob and the public. */
	json_t *made = http_call(&srv, "POST", alice, 201, "{\"language\": \"c\", \"source\": \"" WSH_SOURCE "\"}",
				 "/api/contests/%lld/problems/A/submissions", k);
	long long sub = json_integer_value(json_object_get(made, "id"));
	json_decref(made);
	char sid[24];
	snprintf(sid, sizeof sid, "%lld", sub);
	ck_assert(wait_done(&srv, &sub, 1, 60));
	json_t *seen = listed(bob, k, sub);
	ck_assert(json_is_true(json_object_get(seen, "result_hidden")));
	json_decref(seen);

	wait_state("moments", "ended", &token);
	/* A token after the judging, before the thaw: nothing of the judgement yet. */
	long long before_thaw = token;
	json_t *lines = feed("moments", -1, &token);
	ck_assert_ptr_nonnull(last_line(lines, "submissions", sid));
	ck_assert_ptr_null(last_line(lines, "judgements", sid));
	json_decref(lines);
	long long seq_before = wsh_seq(&srv, sub, NULL, 0);
	ck_assert_int_eq(logged(k, "frozen"), 1);

	/* The thaw by an action: a new reader after before_thaw gets the state and
	   the judgement the freeze hid (the submission logged again). */
	wsh_post(&srv, srv.admin_token, 200, "/api/contests/%lld/thaw", k);
	wait_logged(k, "thawed", 1);
	long long resumed = before_thaw;
	json_t *judgement = NULL;
	for (int waited = 0; waited < WAIT_MS && !judgement; waited += 20) {
		lines = feed("moments", before_thaw, &resumed);
		judgement = json_incref(last_line(lines, "judgements", sid));
		json_t *state = last_line(lines, "state", NULL);
		if (judgement)
			ck_assert(state && json_is_string(json_object_get(state, "thawed")));
		json_decref(lines);
		if (!judgement)
			sleep_ms(20);
	}
	ck_assert_msg(judgement, "no judgement of %s after the thaw", sid);
	ck_assert_str_eq(json_string_value(json_object_get(judgement, "judgement_type_id")), "AC");
	json_decref(judgement);
	ck_assert_int_gt(wsh_seq(&srv, sub, NULL, 0), seq_before);
	seen = listed(bob, k, sub);
	ck_assert(!json_is_true(json_object_get(seen, "result_hidden")));
	ck_assert_str_eq(json_string_value(json_object_get(seen, "verdict")), "AC");
	json_decref(seen);

	/* The finalize: the state with end_of_updates is the feed's last line. */
	token = resumed;
	wsh_post(&srv, srv.admin_token, 200, "/api/contests/%lld/finalize", k);
	wait_state("moments", "finalized", &token);
	wait_logged(k, "finalized", 1);
	lines = feed("moments", -1, &token);
	json_t *last = json_array_get(lines, json_array_size(lines) - 1);
	ck_assert_str_eq(json_string_value(json_object_get(last, "type")), "state");
	ck_assert(json_is_string(json_object_get(json_object_get(last, "data"), "end_of_updates")));
	json_decref(lines);
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
	long long token = -1;
	json_t *lines = feed("restart", -1, &token);
	ck_assert(json_is_null(json_object_get(last_line(lines, "state", NULL), "started")));
	json_decref(lines);
	ck_assert_int_eq(server_stop(&srv), 0);
	while (wall_ms() < at + 500)
		sleep_ms(50); /* the start passes while the server is down */
	ck_assert_int_eq(logged(k, "running"), 0);
	server_restart(&srv, NULL);
	wait_state("restart", "started", &token);
	wait_logged(k, "running", 1);

	/* Once: a second restart finds it logged. A contest made after it is
	   passed after it, so once that one's state is logged, this one's
	   would have been too. */
	ck_assert_int_eq(server_stop(&srv), 0);
	server_restart(&srv, NULL);
	long long later = create_contest("after", wall_ms() + 3600000, 3600, 0);
	wait_logged(later, "scheduled", 1);
	long long after = token;
	lines = feed("restart", token, &after);
	ck_assert_int_eq(json_array_size(lines), 0);
	json_decref(lines);
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
