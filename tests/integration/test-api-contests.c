/* Integration tests for the native contest API: CRUD and validation, who
 * sees which contest, the actions and their refusals, the submission window,
 * and the freeze: another team's result hidden in every REST path and on the
 * per-submission socket, the team's own shown. One server for the file, with
 * one judge worker (so that a second slow submission is still pending while
 * the first is judged). Teams come from classroom contests (a student's team
 * is made at their first submission). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"
#include "ws_helpers.h"

static struct server srv;
#define call(...) http_call(&srv, __VA_ARGS__)
static char alice[64], bob[64], carol[64], judy[64];
static long long problem, slow_problem;

#define LOOP_SOURCE "int main(void) { for (;;) { } }\\n"

static void start(void)
{
	server_start(&srv, (const char *[]){"--workers", "1", NULL});
	test_create_user(&srv, "alice", false, alice, sizeof alice);
	test_create_user(&srv, "bob", false, bob, sizeof bob);
	test_create_user(&srv, "carol", false, carol, sizeof carol);
	struct response r;
	http_json_request(&r, &srv, "POST", "/api/users", srv.admin_token,
			  "{\"username\": \"judy\", \"password\": \"judy-password\", \"role\": \"jury\"}");
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	response_free(&r);
	ck_assert_int_eq(test_login(&srv, "judy", "judy-password", judy, sizeof judy), 200);
	problem = wsh_problem(&srv, "sum");
	slow_problem = test_create_problem(&srv, "{\"slug\": \"slow\", \"title\": \"Slow\", \"time_limit_ms\": 500,"
						 " \"tests\": [{\"input\": \"1\\n\", \"output\": \"1\\n\"}]}");
}

static void stop(void)
{
	server_finish(&srv);
}

/* now + offset seconds as RFC 3339 */
static void iso(char out[32], long offset)
{
	time_t t = time(NULL) + offset;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* A contest body: shortname, start (NULL: null), duration, freeze, flags as extra JSON members (may be ""). */
static char *contest_json(const char *shortname, const char *start, long duration, long freeze, const char *extra)
{
	char starts[64];
	snprintf(starts, sizeof starts, start ? "\"%s\"" : "null", start);
	char *out = NULL;
	ck_assert_int_ge(asprintf(&out,
				  "{\"shortname\": \"%s\", \"name\": \"Contest %s\", \"start_time\": %s, \"duration_s\": %ld,"
				  " \"freeze_s\": %ld, \"problems\": [{\"problem_id\": %lld, \"label\": \"A\", \"color\": "
				  "\"#e53935\"}, {\"problem_id\": %lld, \"label\": \"B\"}]%s%s}",
				  shortname, shortname, starts, duration, freeze, problem, slow_problem, *extra ? ", " : "",
				  extra),
			 0);
	return out;
}

static long long create_contest(const char *shortname, const char *start, long duration, long freeze,
				const char *extra)
{
	char *body = contest_json(shortname, start, duration, freeze, extra);
	struct response r;
	http_json_request(&r, &srv, "POST", "/api/contests", srv.admin_token, body);
	ck_assert_msg(r.status == 201, "create %s: %ld %s", shortname, r.status, r.body);
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "shortname")), shortname);
	long long id = json_integer_value(json_object_get(r.json, "id"));
	response_free(&r);
	free(body);
	return id;
}


/* An error answer; its message must contain `needle`. */
static void expect_refusal(const char *method, const char *token, long status, const char *code, const char *needle,
			   const char *body, const char *path)
{
	struct response r;
	http_json_request(&r, &srv, method, path, token, body);
	expect_error(&r, status, code);
	const char *msg = json_string_value(json_object_get(json_object_get(r.json, "error"), "message"));
	ck_assert_msg(strstr(msg, needle) != NULL, "%s %s: '%s' does not say '%s'", method, path, msg, needle);
	response_free(&r);
}

static long long contest_submit(const char *token, long long contest, const char *label, const char *source,
				long expect, json_t **out)
{
	char path[128], body[512];
	snprintf(path, sizeof path, "/api/contests/%lld/problems/%s/submissions", contest, label);
	snprintf(body, sizeof body, "{\"language\": \"c\", \"source\": \"%s\"}", source);
	json_t *j = call("POST", token, expect, body, "%s", path);
	long long id = json_integer_value(json_object_get(j, "id"));
	if (out)
		*out = j;
	else
		json_decref(j);
	return id;
}

static const char *str(const json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v ? v : "";
}

/* The item with this id in a list answer, or NULL (borrowed). */
static json_t *item_with_id(json_t *list, long long id)
{
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(list, "items"), i, it) if (json_integer_value(json_object_get(it, "id")) == id)
		return it;
	return NULL;
}

static bool listed(const char *token, long long id)
{
	json_t *l = call("GET", token, 200, NULL, "/api/contests");
	bool found = false;
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(l, "items"), i, it) found |= json_integer_value(json_object_get(it, "id")) == id;
	json_decref(l);
	return found;
}

/* A hidden result: status pending, verdict, score, metrics and judged_at null. */
static void assert_masked(const json_t *s)
{
	char *text = json_dumps(s, 0);
	ck_assert_msg(strcmp(str(s, "status"), "pending") == 0, "not masked: %s", text);
	ck_assert_msg(json_is_null(json_object_get(s, "verdict")), "verdict shown: %s", text);
	ck_assert_msg(json_is_null(json_object_get(s, "score")), "score shown: %s", text);
	ck_assert_msg(json_is_null(json_object_get(s, "judged_at")), "judged_at shown: %s", text);
	const json_t *m = json_object_get(s, "metrics");
	ck_assert_msg(json_is_null(json_object_get(m, "time_ms")) && json_is_null(json_object_get(m, "memory_kb")) &&
			      json_is_null(json_object_get(m, "tests_passed")),
		      "metrics shown: %s", text);
	ck_assert_msg(json_is_true(json_object_get(s, "result_hidden")), "no result_hidden: %s", text);
	ck_assert_msg(!json_object_get(s, "source") && !json_object_get(s, "compile_output"), "details shown: %s",
		      text);
	const json_t *tests = json_object_get(s, "tests");
	ck_assert_msg(!tests || json_is_null(tests), "tests shown: %s", text);
	free(text);
}

static void wait_all(const long long *ids, int n)
{
	ck_assert_msg(wait_done(&srv, ids, n, 120), "submissions not judged in time");
}

START_TEST(crud)
{
	char start_at[32];
	iso(start_at, 3600);
	long long id = create_contest("crud-1", start_at, 7200, 3600, "\"penalty_min\": 10, \"scoring\": \"icpc\"");
	json_t *c = call("GET", srv.admin_token, 200, NULL, "/api/contests/%lld", id);
	ck_assert_str_eq(str(c, "shortname"), "crud-1");
	ck_assert_str_eq(str(c, "name"), "Contest crud-1");
	ck_assert_str_eq(str(c, "start_time"), start_at);
	ck_assert_int_eq(json_integer_value(json_object_get(c, "duration_s")), 7200);
	ck_assert_int_eq(json_integer_value(json_object_get(c, "freeze_s")), 3600);
	ck_assert_int_eq(json_integer_value(json_object_get(c, "penalty_min")), 10);
	ck_assert_str_eq(str(c, "scoring"), "icpc");
	ck_assert_str_eq(str(c, "state"), "scheduled");
	ck_assert(json_is_false(json_object_get(c, "public")));
	ck_assert_str_eq(str(json_object_get(c, "times"), "start"), start_at);
	ck_assert(json_is_string(json_object_get(json_object_get(c, "times"), "end")));
	ck_assert(json_is_null(json_object_get(json_object_get(c, "times"), "thaw")));
	ck_assert(json_is_string(json_object_get(c, "server_time")));
	json_t *ps = json_object_get(c, "problems");
	ck_assert_int_eq(json_array_size(ps), 2); /* admins see them before the start */
	ck_assert_str_eq(str(json_array_get(ps, 0), "label"), "A");
	ck_assert_str_eq(str(json_array_get(ps, 0), "color"), "#e53935");
	ck_assert_str_eq(str(json_array_get(ps, 0), "slug"), "sum");
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(ps, 1), "problem_id")), slow_problem);
	json_decref(c);

	/* a taken shortname */
	char *dup = contest_json("crud-1", NULL, 60, 0, "");
	expect_refusal("POST", srv.admin_token, 409, "conflict", "crud-1", dup, "/api/contests");
	free(dup);
	/* only admins create */
	char *body = contest_json("crud-2", NULL, 60, 0, "");
	expect_json_error(&srv, "POST", "/api/contests", judy, body, 403, "forbidden");
	expect_json_error(&srv, "POST", "/api/contests", alice, body, 403, "forbidden");
	free(body);

	/* PUT replaces the whole object */
	body = contest_json("crud-1b", NULL, 600, 0, "\"scoring\": \"ioi\", \"ioi_mode\": \"max_subtasks\", \"public\": true");
	c = call("PUT", srv.admin_token, 200, body, "/api/contests/%lld", id);
	free(body);
	ck_assert_str_eq(str(c, "shortname"), "crud-1b");
	ck_assert(json_is_null(json_object_get(c, "start_time")));
	ck_assert_int_eq(json_integer_value(json_object_get(c, "duration_s")), 600);
	ck_assert_str_eq(str(c, "scoring"), "ioi");
	ck_assert_str_eq(str(c, "ioi_mode"), "max_subtasks");
	ck_assert(json_is_true(json_object_get(c, "public")));
	json_decref(c);
	body = contest_json("crud-1b", NULL, 600, 0, "");
	expect_json_error(&srv, "PUT", "/api/contests/999999", srv.admin_token, body, 404, "not_found");
	expect_json_error(&srv, "PUT", "/api/contests/1", judy, body, 403, "forbidden");
	free(body);

	/* DELETE */
	expect_json_error(&srv, "DELETE", "/api/contests/1", alice, NULL, 403, "forbidden");
	json_decref(call("DELETE", srv.admin_token, 204, NULL, "/api/contests/%lld", id));
	json_decref(call("GET", srv.admin_token, 404, NULL, "/api/contests/%lld", id));
	json_decref(call("DELETE", srv.admin_token, 404, NULL, "/api/contests/%lld", id));
}
END_TEST

START_TEST(validation)
{
	static const struct {
		const char *body, *field;
	} bad[] = {
		{"{\"name\": \"x\", \"duration_s\": 60}", "shortname"},
		{"{\"shortname\": \"Bad Name\", \"name\": \"x\", \"duration_s\": 60}", "shortname"},
		{"{\"shortname\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\", \"name\": \"x\", \"duration_s\": 60}", "shortname"},
		{"{\"shortname\": \"v\", \"duration_s\": 60}", "name"},
		{"{\"shortname\": \"v\", \"name\": \"x\"}", "duration_s"},
		{"{\"shortname\": \"v\", \"name\": \"x\", \"duration_s\": 0}", "duration_s"},
		{"{\"shortname\": \"v\", \"name\": \"x\", \"duration_s\": -5}", "duration_s"},
		{"{\"shortname\": \"v\", \"name\": \"x\", \"duration_s\": 60, \"freeze_s\": 61}", "freeze_s"},
		{"{\"shortname\": \"v\", \"name\": \"x\", \"duration_s\": 60, \"freeze_s\": -1}", "freeze_s"},
		{"{\"shortname\": \"v\", \"name\": \"x\", \"duration_s\": 60, \"start_time\": \"tomorrow\"}", "start_time"},
		{"{\"shortname\": \"v\", \"name\": \"x\", \"duration_s\": 60, \"start_time\": \"2026-13-01T00:00:00Z\"}",
		 "start_time"},
		{"{\"shortname\": \"v\", \"name\": \"x\", \"duration_s\": 60, \"start_time\": \"2026-12-01T00:00:00\"}",
		 "start_time"},
		{"{\"shortname\": \"v\", \"name\": \"x\", \"duration_s\": 60, \"start_time\": 5}", "start_time"},
		{"{\"shortname\": \"v\", \"name\": \"x\", \"duration_s\": 60, \"scoring\": \"fastest\"}", "scoring"},
		{"{\"shortname\": \"v\", \"name\": \"x\", \"duration_s\": 60, \"ioi_mode\": \"sum\"}", "ioi_mode"},
		{"{\"shortname\": \"v\", \"name\": \"x\", \"duration_s\": 60, \"penalty_min\": -1}", "penalty_min"},
		{"{\"shortname\": \"v\", \"name\": \"x\", \"duration_s\": 60, \"public\": \"yes\"}", "public"},
		{"{\"shortname\": \"v\", \"name\": \"x\", \"duration_s\": 60, \"problems\": {}}", "problems"},
		{"{\"shortname\": \"v\", \"name\": \"x\", \"duration_s\": 60, \"problems\": [{\"label\": \"A\"}]}",
		 "problem_id"},
		{"{\"shortname\": \"v\", \"name\": \"x\", \"duration_s\": 60, \"problems\": [{\"problem_id\": 999999, "
		 "\"label\": \"A\"}]}",
		 "problems[0].problem_id"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		expect_refusal("POST", srv.admin_token, 400, "validation", bad[i].field, bad[i].body, "/api/contests");
	/* problems: labels unique, colours #rrggbb, a problem once */
	char body[512];
	snprintf(body, sizeof body, "{\"shortname\": \"v\", \"name\": \"x\", \"duration_s\": 60, \"problems\": ["
				    "{\"problem_id\": %lld, \"label\": \"A\"}, {\"problem_id\": %lld, \"label\": \"A\"}]}",
		 problem, slow_problem);
	expect_refusal("POST", srv.admin_token, 400, "validation", "problems[1].label", body, "/api/contests");
	snprintf(body, sizeof body, "{\"shortname\": \"v\", \"name\": \"x\", \"duration_s\": 60, \"problems\": ["
				    "{\"problem_id\": %lld, \"label\": \"A\", \"color\": \"red\"}]}",
		 problem);
	expect_refusal("POST", srv.admin_token, 400, "validation", "problems[0].color", body, "/api/contests");
	snprintf(body, sizeof body, "{\"shortname\": \"v\", \"name\": \"x\", \"duration_s\": 60, \"problems\": ["
				    "{\"problem_id\": %lld, \"label\": \"A\"}, {\"problem_id\": %lld, \"label\": \"B\"}]}",
		 problem, problem);
	expect_refusal("POST", srv.admin_token, 400, "validation", "problems[1].problem_id", body, "/api/contests");
	snprintf(body, sizeof body, "{\"shortname\": \"v\", \"name\": \"x\", \"duration_s\": 60, \"problems\": ["
				    "{\"problem_id\": %lld, \"label\": \"-A\"}]}",
		 problem);
	expect_refusal("POST", srv.admin_token, 400, "validation", "problems[0].label", body, "/api/contests");
	/* nothing was created by any of these */
	json_t *l = call("GET", srv.admin_token, 200, NULL, "/api/contests");
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(l, "items"), i, it) ck_assert_str_ne(str(it, "shortname"), "v");
	json_decref(l);
	/* an offset time is read as the instant it names */
	long long id = create_contest("offset", "2030-01-01T12:00:00+02:00", 60, 0, "");
	json_t *c = call("GET", srv.admin_token, 200, NULL, "/api/contests/%lld", id);
	ck_assert_str_eq(str(c, "start_time"), "2030-01-01T10:00:00Z");
	json_decref(c);
	/* PUT validates the same way and changes nothing */
	char path[64];
	snprintf(path, sizeof path, "/api/contests/%lld", id);
	expect_refusal("PUT", srv.admin_token, 400, "validation", "freeze_s",
		       "{\"shortname\": \"offset\", \"name\": \"x\", \"duration_s\": 60, \"freeze_s\": 100}", path);
	c = call("GET", srv.admin_token, 200, NULL, "%s", path);
	ck_assert_int_eq(json_integer_value(json_object_get(c, "freeze_s")), 0);
	ck_assert_str_eq(str(c, "name"), "Contest offset");
	json_decref(c);
	json_decref(call("DELETE", srv.admin_token, 204, NULL, "/api/contests/%lld", id));
}
END_TEST

START_TEST(visibility)
{
	char started[32];
	iso(started, -60);
	long long priv = create_contest("private-1", started, 3600, 0, "");
	long long pub = create_contest("public-1", NULL, 3600, 0, "\"public\": true");
	/* a private contest: hidden from users outside it, anonymous or not */
	ck_assert(!listed(alice, priv));
	ck_assert(!listed(NULL, priv));
	ck_assert(listed(srv.admin_token, priv));
	ck_assert(listed(judy, priv));
	json_decref(call("GET", alice, 404, NULL, "/api/contests/%lld", priv));
	json_decref(call("GET", NULL, 404, NULL, "/api/contests/%lld", priv));
	json_decref(call("GET", alice, 404, NULL, "/api/contests/%lld/submissions", priv));
	/* and alice may not submit there: to her it does not exist */
	contest_submit(alice, priv, "A", WSH_SOURCE, 404, NULL);
	/* a public contest: seen anonymously, its problems hidden before the start but from the jury */
	ck_assert(listed(NULL, pub));
	ck_assert(listed(alice, pub));
	json_t *c = call("GET", NULL, 200, NULL, "/api/contests/%lld", pub);
	ck_assert_str_eq(str(c, "state"), "scheduled");
	ck_assert_int_eq(json_array_size(json_object_get(c, "problems")), 0);
	json_decref(c);
	c = call("GET", judy, 200, NULL, "/api/contests/%lld", pub);
	ck_assert_int_eq(json_array_size(json_object_get(c, "problems")), 2);
	json_decref(c);
	/* a public contest gives no team: alice is refused, saying why */
	char path[128];
	snprintf(path, sizeof path, "/api/contests/%lld/start", pub);
	json_decref(call("POST", srv.admin_token, 200, NULL, "%s", path));
	c = call("GET", NULL, 200, NULL, "/api/contests/%lld", pub);
	ck_assert_int_eq(json_array_size(json_object_get(c, "problems")), 2);
	json_decref(c);
	snprintf(path, sizeof path, "/api/contests/%lld/problems/A/submissions", pub);
	expect_refusal("POST", alice, 403, "forbidden", "not in a team", "{\"language\": \"c\", \"source\": \"x\"}", path);
	/* writes need a session */
	expect_json_error(&srv, "POST", path, NULL, "{\"language\": \"c\", \"source\": \"x\"}", 401, "unauthorized");
	json_decref(call("DELETE", srv.admin_token, 204, NULL, "/api/contests/%lld", priv));
	json_decref(call("DELETE", srv.admin_token, 204, NULL, "/api/contests/%lld", pub));
}
END_TEST

/* POST /api/contests/{id}/ACTION: 200, the contest in the state, with that time set. */
static void act(long long id, const char *action, const char *state, const char *time)
{
	json_t *c = call("POST", srv.admin_token, 200, NULL, "/api/contests/%lld/%s", id, action);
	ck_assert_str_eq(str(c, "state"), state);
	ck_assert(json_is_string(json_object_get(json_object_get(c, "times"), time)));
	json_decref(c);
}

START_TEST(actions)
{
	long long id = create_contest("acts", NULL, 3600, 600, "");
	char path[128];
	snprintf(path, sizeof path, "/api/contests/%lld/freeze", id);
	expect_refusal("POST", srv.admin_token, 409, "conflict", "not started", NULL, path);
	snprintf(path, sizeof path, "/api/contests/%lld/thaw", id);
	expect_refusal("POST", srv.admin_token, 409, "conflict", "not been frozen", NULL, path);
	snprintf(path, sizeof path, "/api/contests/%lld/finalize", id);
	expect_refusal("POST", srv.admin_token, 409, "conflict", "not ended", NULL, path);
	snprintf(path, sizeof path, "/api/contests/%lld/start", id);
	expect_json_error(&srv, "POST", path, judy, NULL, 403, "forbidden");
	act(id, "start", "running", "start");
	expect_refusal("POST", srv.admin_token, 409, "conflict", "already started", NULL, path);
	snprintf(path, sizeof path, "/api/contests/%lld/finalize", id);
	expect_refusal("POST", srv.admin_token, 409, "conflict", "not ended", NULL, path);
	/* freeze now, once */
	act(id, "freeze", "frozen", "freeze");
	snprintf(path, sizeof path, "/api/contests/%lld/freeze", id);
	expect_refusal("POST", srv.admin_token, 409, "conflict", "already frozen", NULL, path);
	/* thaw, once; freeze again after it */
	act(id, "thaw", "running", "thaw");
	snprintf(path, sizeof path, "/api/contests/%lld/thaw", id);
	expect_refusal("POST", srv.admin_token, 409, "conflict", "already thawed", NULL, path);
	act(id, "freeze", "frozen", "freeze");
	/* change the length while it runs: a PUT with the new duration */
	json_t *c = call("GET", srv.admin_token, 200, NULL, "/api/contests/%lld", id);
	char start_at[32];
	snprintf(start_at, sizeof start_at, "%s", str(c, "start_time"));
	json_decref(c);
	char *body = contest_json("acts", start_at, 7200, 600, "");
	c = call("PUT", srv.admin_token, 200, body, "/api/contests/%lld", id);
	free(body);
	ck_assert_int_eq(json_integer_value(json_object_get(c, "duration_s")), 7200);
	ck_assert_str_eq(str(c, "state"), "frozen"); /* the freeze set by the action stays */
	json_decref(c);
	snprintf(path, sizeof path, "/api/contests/999999/start");
	expect_json_error(&srv, "POST", path, srv.admin_token, NULL, 404, "not_found");
	json_decref(call("DELETE", srv.admin_token, 204, NULL, "/api/contests/%lld", id));
}
END_TEST

/* The countdown pause: the time left is kept with no start; resume starts
   it again from now; start starts now, paused or not. */
START_TEST(countdown_pause)
{
	char later[32];
	iso(later, 3600);
	long long id = create_contest("pause", later, 3600, 0, "");
	json_t *c = call("GET", srv.admin_token, 200, NULL, "/api/contests/%lld", id);
	ck_assert(json_is_false(json_object_get(c, "countdown_paused")));
	ck_assert(json_is_null(json_object_get(c, "countdown_pause_s")));
	json_decref(c);
	char path[128];
	snprintf(path, sizeof path, "/api/contests/%lld/pause", id);
	expect_json_error(&srv, "POST", path, judy, NULL, 403, "forbidden");
	c = call("POST", srv.admin_token, 200, NULL, "%s", path);
	ck_assert_str_eq(str(c, "state"), "scheduled");
	ck_assert(json_is_true(json_object_get(c, "countdown_paused")));
	json_int_t left = json_integer_value(json_object_get(c, "countdown_pause_s"));
	ck_assert_msg(left > 3590 && left <= 3600, "time left %lld", (long long)left);
	ck_assert(json_is_null(json_object_get(c, "start_time")));
	ck_assert(json_is_null(json_object_get(json_object_get(c, "times"), "start")));
	json_decref(c);
	/* as stored, and as others see it */
	c = call("GET", alice, 404, NULL, "/api/contests/%lld", id);
	json_decref(c);
	c = call("GET", judy, 200, NULL, "/api/contests/%lld", id);
	ck_assert(json_is_true(json_object_get(c, "countdown_paused")));
	ck_assert_int_eq(json_integer_value(json_object_get(c, "countdown_pause_s")), left);
	json_decref(c);
	expect_refusal("POST", srv.admin_token, 409, "conflict", "already paused", NULL, path);
	/* resume: the start is now + the time left */
	sleep_ms(1100);
	snprintf(path, sizeof path, "/api/contests/%lld/resume", id);
	time_t before = time(NULL);
	c = call("POST", srv.admin_token, 200, NULL, "%s", path);
	ck_assert_str_eq(str(c, "state"), "scheduled");
	ck_assert(json_is_false(json_object_get(c, "countdown_paused")));
	ck_assert(json_is_null(json_object_get(c, "countdown_pause_s")));
	struct tm tm = {0};
	ck_assert_ptr_nonnull(strptime(str(c, "start_time"), "%Y-%m-%dT%H:%M:%SZ", &tm));
	long long start = (long long)timegm(&tm);
	ck_assert_msg(start >= (long long)before + left - 2 && start <= (long long)time(NULL) + left,
		      "start %lld, resumed at %lld with %lld s left", start, (long long)before, (long long)left);
	json_decref(c);
	expect_refusal("POST", srv.admin_token, 409, "conflict", "not paused", NULL, path);
	/* pause again, then start: now, the pause gone */
	snprintf(path, sizeof path, "/api/contests/%lld/pause", id);
	json_decref(call("POST", srv.admin_token, 200, NULL, "%s", path));
	c = call("POST", srv.admin_token, 200, NULL, "/api/contests/%lld/start", id);
	ck_assert_str_eq(str(c, "state"), "running");
	ck_assert(json_is_false(json_object_get(c, "countdown_paused")));
	ck_assert(json_is_null(json_object_get(c, "countdown_pause_s")));
	json_decref(c);
	/* 409 once it is not scheduled */
	expect_refusal("POST", srv.admin_token, 409, "conflict", "already started", NULL, path);
	snprintf(path, sizeof path, "/api/contests/%lld/resume", id);
	expect_refusal("POST", srv.admin_token, 409, "conflict", "already started", NULL, path);
	json_decref(call("DELETE", srv.admin_token, 204, NULL, "/api/contests/%lld", id));
	/* no start time: nothing to pause */
	id = create_contest("pause-unset", NULL, 3600, 0, "");
	snprintf(path, sizeof path, "/api/contests/%lld/pause", id);
	expect_refusal("POST", srv.admin_token, 409, "conflict", "no start time", NULL, path);
	json_decref(call("POST", srv.admin_token, 404, NULL, "/api/contests/999999/pause"));
	json_decref(call("DELETE", srv.admin_token, 204, NULL, "/api/contests/%lld", id));
}
END_TEST

START_TEST(finalize_waits_for_judging)
{
	char started[32];
	iso(started, -7200);
	long long id = create_contest("fin", started, 3 * 3600, 0, "\"classroom\": true");
	/* one worker: the second waits while the first runs into its time limit */
	long long ids[2];
	ids[0] = contest_submit(alice, id, "B", LOOP_SOURCE, 201, NULL);
	ids[1] = contest_submit(alice, id, "B", LOOP_SOURCE, 201, NULL);
	/* end it now: one hour long, started two hours ago */
	char *body = contest_json("fin", started, 3600, 0, "\"classroom\": true");
	json_t *c = call("PUT", srv.admin_token, 200, body, "/api/contests/%lld", id);
	free(body);
	ck_assert_str_eq(str(c, "state"), "ended");
	json_decref(c);
	char path[128];
	snprintf(path, sizeof path, "/api/contests/%lld/finalize", id);
	expect_refusal("POST", srv.admin_token, 409, "conflict", "submissions pending", NULL, path);
	wait_all(ids, 2);
	c = call("POST", srv.admin_token, 200, NULL, "%s", path);
	ck_assert_str_eq(str(c, "state"), "finalized");
	ck_assert(json_is_string(json_object_get(json_object_get(c, "times"), "finalize")));
	json_decref(c);
	expect_refusal("POST", srv.admin_token, 409, "conflict", "already finalized", NULL, path);
	json_decref(call("DELETE", srv.admin_token, 204, NULL, "/api/contests/%lld", id));
}
END_TEST

START_TEST(window)
{
	char later[32], long_ago[32];
	iso(later, 3600);
	iso(long_ago, -7200);
	long long future = create_contest("win-future", later, 3600, 0, "\"classroom\": true");
	long long past = create_contest("win-past", long_ago, 3600, 0, "\"classroom\": true");
	long long practice = create_contest("win-practice", long_ago, 3600, 0,
					    "\"classroom\": true, \"practice_after_end\": true");
	char path[128];
	snprintf(path, sizeof path, "/api/contests/%lld/problems/A/submissions", future);
	const char *body = "{\"language\": \"c\", \"source\": \"" WSH_SOURCE "\"}";
	expect_refusal("POST", alice, 403, "forbidden", later, body, path);
	snprintf(path, sizeof path, "/api/contests/%lld/problems/A/submissions", past);
	expect_refusal("POST", alice, 403, "forbidden", "has ended", body, path);
	/* the jury and admins submit any time, never counted */
	json_t *s;
	contest_submit(judy, future, "A", WSH_SOURCE, 201, &s);
	ck_assert(json_is_true(json_object_get(s, "practice")));
	ck_assert(json_is_null(json_object_get(s, "team_id")));
	ck_assert_int_eq(json_integer_value(json_object_get(s, "contest_id")), future);
	ck_assert_str_eq(str(s, "problem_label"), "A");
	json_decref(s);
	contest_submit(srv.admin_token, past, "A", WSH_SOURCE, 201, NULL);
	/* practice after the end: judged, flagged, with the team */
	long long id = contest_submit(alice, practice, "A", WSH_SOURCE, 201, &s);
	ck_assert(json_is_true(json_object_get(s, "practice")));
	ck_assert(json_is_integer(json_object_get(s, "team_id")));
	ck_assert_str_eq(str(s, "problem_label"), "A");
	json_decref(s);
	wait_all(&id, 1);
	s = call("GET", alice, 200, NULL, "/api/submissions/%lld", id);
	ck_assert_str_eq(str(s, "verdict"), "AC");
	ck_assert(json_is_true(json_object_get(s, "practice")));
	json_decref(s);
	/* bad input: unknown label, unknown language, no source */
	contest_submit(alice, practice, "Z", WSH_SOURCE, 404, NULL);
	snprintf(path, sizeof path, "/api/contests/%lld/problems/A/submissions", practice);
	expect_refusal("POST", alice, 400, "validation", "language", "{\"language\": \"cobol\", \"source\": \"x\"}", path);
	expect_refusal("POST", alice, 400, "validation", "source", "{\"language\": \"c\"}", path);
	json_decref(call("DELETE", srv.admin_token, 204, NULL, "/api/contests/%lld", future));
	json_decref(call("DELETE", srv.admin_token, 204, NULL, "/api/contests/%lld", past));
	json_decref(call("DELETE", srv.admin_token, 204, NULL, "/api/contests/%lld", practice));
}
END_TEST

START_TEST(freeze_hides_others_results)
{
	char started[32];
	iso(started, -60);
	long long id = create_contest("frz", started, 3600, 0, "\"classroom\": true");
	/* before the freeze */
	json_t *s;
	long long early = contest_submit(alice, id, "A", WSH_SOURCE, 201, &s);
	long long alice_team = json_integer_value(json_object_get(s, "team_id"));
	ck_assert_int_gt(alice_team, 0);
	ck_assert(json_is_false(json_object_get(s, "practice")));
	json_decref(s);
	long long bob_early = contest_submit(bob, id, "A", WSH_SOURCE, 201, &s);
	long long bob_team = json_integer_value(json_object_get(s, "team_id"));
	ck_assert_int_gt(bob_team, 0);
	ck_assert_int_ne(bob_team, alice_team);
	json_decref(s);
	long long both[2] = {early, bob_early};
	wait_all(both, 2);
	json_decref(call("POST", srv.admin_token, 200, NULL, "/api/contests/%lld/freeze", id));
	/* after it */
	long long late = contest_submit(alice, id, "A", WSH_SOURCE, 201, NULL);
	long long bob_late = contest_submit(bob, id, "A", WSH_SOURCE, 201, NULL);
	long long later[2] = {late, bob_late};
	wait_all(later, 2);

	/* bob: alice's late result is hidden in the contest's list, her early one and his own are not */
	json_t *l = call("GET", bob, 200, NULL, "/api/contests/%lld/submissions", id);
	ck_assert_int_eq(json_integer_value(json_object_get(l, "total")), 4);
	assert_masked(item_with_id(l, late));
	ck_assert_str_eq(str(item_with_id(l, early), "verdict"), "AC");
	ck_assert_str_eq(str(item_with_id(l, bob_late), "verdict"), "AC");
	ck_assert_int_eq(json_integer_value(json_object_get(item_with_id(l, late), "team_id")), alice_team);
	json_decref(l);
	/* the filters: by team and by label */
	l = call("GET", bob, 200, NULL, "/api/contests/%lld/submissions?team=%lld&problem=A", id, alice_team);
	ck_assert_int_eq(json_integer_value(json_object_get(l, "total")), 2);
	assert_masked(item_with_id(l, late));
	json_decref(l);
	l = call("GET", bob, 200, NULL, "/api/contests/%lld/submissions?problem=B", id);
	ck_assert_int_eq(json_integer_value(json_object_get(l, "total")), 0);
	json_decref(l);
	json_decref(call("GET", bob, 404, NULL, "/api/contests/%lld/submissions?problem=Q", id));
	json_decref(call("GET", bob, 400, NULL, "/api/contests/%lld/submissions?team=x", id));
	/* a classroom contest is open to every signed-in user: carol (no team yet) is the public */
	l = call("GET", carol, 200, NULL, "/api/contests/%lld/submissions", id);
	assert_masked(item_with_id(l, late));
	assert_masked(item_with_id(l, bob_late));
	json_decref(l);
	/* GET /api/submissions/{id} */
	s = call("GET", bob, 200, NULL, "/api/submissions/%lld", late);
	assert_masked(s);
	json_decref(s);
	s = call("GET", bob, 200, NULL, "/api/submissions/%lld", early);
	ck_assert_str_eq(str(s, "verdict"), "AC");
	ck_assert(!json_object_get(s, "source"));
	json_decref(s);
	/* alice sees her own, with the source; the jury and admins everything */
	s = call("GET", alice, 200, NULL, "/api/submissions/%lld", late);
	ck_assert_str_eq(str(s, "verdict"), "AC");
	ck_assert(json_is_string(json_object_get(s, "source")));
	ck_assert_int_gt(json_array_size(json_object_get(s, "tests")), 0);
	json_decref(s);
	l = call("GET", alice, 200, NULL, "/api/contests/%lld/submissions", id);
	ck_assert_str_eq(str(item_with_id(l, late), "verdict"), "AC");
	assert_masked(item_with_id(l, bob_late));
	json_decref(l);
	l = call("GET", alice, 200, NULL, "/api/submissions");
	ck_assert_str_eq(str(item_with_id(l, late), "verdict"), "AC");
	json_decref(l);
	s = call("GET", judy, 200, NULL, "/api/submissions/%lld", late);
	ck_assert_str_eq(str(s, "verdict"), "AC");
	ck_assert(json_is_string(json_object_get(s, "source")));
	json_decref(s);
	l = call("GET", judy, 200, NULL, "/api/submissions?user=alice");
	ck_assert_str_eq(str(item_with_id(l, late), "verdict"), "AC");
	json_decref(l);
	l = call("GET", srv.admin_token, 200, NULL, "/api/contests/%lld/submissions", id);
	ck_assert_str_eq(str(item_with_id(l, late), "verdict"), "AC");
	json_decref(l);
	/* GET /api/submissions: users list only their own */
	json_decref(call("GET", bob, 403, NULL, "/api/submissions?user=alice"));
	/* the per-submission socket: her team, the jury and admins only */
	ck_assert_int_eq(wsh_status(&srv, NULL, "/ws/submissions/%lld/?token=%s", late, bob), 403);
	ck_assert_int_eq(wsh_status(&srv, NULL, "/ws/submissions/%lld/?token=%s", early, carol), 403);
	ck_assert_int_eq(wsh_status(&srv, NULL, "/ws/submissions/%lld/?token=%s", late, alice), 101);
	ck_assert_int_eq(wsh_status(&srv, NULL, "/ws/submissions/%lld/?token=%s", late, judy), 101);
	ck_assert_int_eq(wsh_status(&srv, NULL, "/ws/submissions/%lld/?token=%s", late, srv.admin_token), 101);
	/* contest submissions stay off the problem's list */
	l = call("GET", srv.admin_token, 200, NULL, "/api/problems/%lld/submissions?per_page=100", problem);
	ck_assert_ptr_null(item_with_id(l, late));
	ck_assert_ptr_null(item_with_id(l, early));
	ck_assert_ptr_null(item_with_id(l, bob_late));
	json_decref(l);
	/* thawed: everyone sees everything */
	json_decref(call("POST", srv.admin_token, 200, NULL, "/api/contests/%lld/thaw", id));
	s = call("GET", bob, 200, NULL, "/api/submissions/%lld", late);
	ck_assert_str_eq(str(s, "verdict"), "AC");
	ck_assert(!json_object_get(s, "result_hidden"));
	json_decref(s);
	l = call("GET", carol, 200, NULL, "/api/contests/%lld/submissions", id);
	ck_assert_str_eq(str(item_with_id(l, late), "verdict"), "AC");
	json_decref(l);
	json_decref(call("DELETE", srv.admin_token, 204, NULL, "/api/contests/%lld", id));
}
END_TEST

/* The jury's submissions in a contest (practice, no team) are for the jury:
   teams and the public list, and get, only the teams' ones. */
START_TEST(jury_submissions_for_jury)
{
	char started[32];
	iso(started, -60);
	long long id = create_contest("jury-subs", started, 3600, 0, "\"classroom\": true");
	long long mine = contest_submit(alice, id, "A", WSH_SOURCE, 201, NULL);
	long long jury = contest_submit(judy, id, "A", WSH_SOURCE, 201, NULL);
	long long admin = contest_submit(srv.admin_token, id, "A", WSH_SOURCE, 201, NULL);
	long long ids[3] = {mine, jury, admin};
	wait_all(ids, 3);
	const char *viewers[] = {alice, carol};
	for (size_t i = 0; i < 2; i++) {
		json_t *l = call("GET", viewers[i], 200, NULL, "/api/contests/%lld/submissions", id);
		ck_assert_int_eq(json_integer_value(json_object_get(l, "total")), 1);
		ck_assert_int_eq(json_array_size(json_object_get(l, "items")), 1);
		ck_assert_ptr_nonnull(item_with_id(l, mine));
		json_decref(l);
		l = call("GET", viewers[i], 200, NULL, "/api/contests/%lld/submissions?problem=A", id);
		ck_assert_int_eq(json_integer_value(json_object_get(l, "total")), 1);
		json_decref(l);
		json_decref(call("GET", viewers[i], 404, NULL, "/api/submissions/%lld", jury));
		json_decref(call("GET", viewers[i], 404, NULL, "/api/submissions/%lld", admin));
	}
	const char *jury_viewers[] = {judy, srv.admin_token};
	for (size_t i = 0; i < 2; i++) {
		json_t *l = call("GET", jury_viewers[i], 200, NULL, "/api/contests/%lld/submissions", id);
		ck_assert_int_eq(json_integer_value(json_object_get(l, "total")), 3);
		ck_assert_ptr_nonnull(item_with_id(l, jury));
		ck_assert_ptr_nonnull(item_with_id(l, admin));
		json_decref(l);
		json_decref(call("GET", jury_viewers[i], 200, NULL, "/api/submissions/%lld", admin));
	}
	/* its author sees their own */
	json_decref(call("GET", judy, 200, NULL, "/api/submissions/%lld", jury));
	json_decref(call("DELETE", srv.admin_token, 204, NULL, "/api/contests/%lld", id));
}
END_TEST

/* /ws/submissions/{id}/ of a contest submission: its team, the jury (role
   jury, in no team of the contest) and admins; others 403, saying it is
   another team's. The jury's own: the jury and admins only. */
START_TEST(contest_submission_socket)
{
	char started[32];
	iso(started, -60);
	long long id = create_contest("sock", started, 3600, 0, "");
	json_decref(call("POST", srv.admin_token, 201, "{\"key\": \"a\", \"name\": \"A\", \"members\": [\"alice\"]}",
			 "/api/contests/%lld/teams", id));
	json_decref(call("POST", srv.admin_token, 201, "{\"key\": \"b\", \"name\": \"B\", \"members\": [\"bob\"]}",
			 "/api/contests/%lld/teams", id));
	long long sub = contest_submit(alice, id, "A", WSH_SOURCE, 201, NULL);
	long long practice = contest_submit(srv.admin_token, id, "A", WSH_SOURCE, 201, NULL);
	ck_assert_int_eq(wsh_status(&srv, NULL, "/ws/submissions/%lld/?token=%s", sub, alice), 101);
	ck_assert_int_eq(wsh_status(&srv, NULL, "/ws/submissions/%lld/?token=%s", sub, judy), 101);
	ck_assert_int_eq(wsh_status(&srv, NULL, "/ws/submissions/%lld/?token=%s", sub, srv.admin_token), 101);
	ck_assert_int_eq(wsh_status(&srv, NULL, "/ws/submissions/%lld/?token=%s", sub, bob), 403);
	ck_assert_int_eq(wsh_status(&srv, NULL, "/ws/submissions/%lld/?token=%s", sub, carol), 403);
	ck_assert_int_eq(wsh_status(&srv, NULL, "/ws/submissions/%lld/?token=%s", practice, judy), 101);
	ck_assert_int_eq(wsh_status(&srv, NULL, "/ws/submissions/%lld/?token=%s", practice, alice), 403);
	char path[256];
	snprintf(path, sizeof path, "/ws/submissions/%lld/?token=%s", sub, bob);
	expect_refusal("GET", bob, 403, "forbidden", "another team", NULL, path);
	long long ids[2] = {sub, practice};
	wait_all(ids, 2);
	json_decref(call("DELETE", srv.admin_token, 204, NULL, "/api/contests/%lld", id));
}
END_TEST

/* A team of two in a private contest (teams REST): its members see the
   contest and each other's submissions whole, live and during the freeze;
   an outsider sees neither the contest nor their socket. */
START_TEST(team_of_two)
{
	char started[32];
	iso(started, -60);
	long long id = create_contest("teams-2", started, 3600, 0, "");
	ck_assert(!listed(carol, id));
	json_t *t = call("POST", srv.admin_token, 201, "{\"key\": \"duo\", \"name\": \"Duo\", \"members\": [\"carol\", \"bob\"]}",
			 "/api/contests/%lld/teams", id);
	long long team = json_integer_value(json_object_get(t, "id"));
	json_decref(t);
	ck_assert(listed(carol, id));
	ck_assert(listed(bob, id));
	ck_assert(!listed(alice, id));
	json_decref(call("POST", srv.admin_token, 200, NULL, "/api/contests/%lld/freeze", id));
	json_t *s;
	long long sub = contest_submit(carol, id, "A", WSH_SOURCE, 201, &s);
	ck_assert_int_eq(json_integer_value(json_object_get(s, "team_id")), team);
	json_decref(s);
	wait_all(&sub, 1);
	/* bob, her teammate: the result and the source, though frozen */
	s = call("GET", bob, 200, NULL, "/api/submissions/%lld", sub);
	ck_assert_str_eq(str(s, "verdict"), "AC");
	ck_assert(json_is_string(json_object_get(s, "source")));
	json_decref(s);
	json_t *l = call("GET", bob, 200, NULL, "/api/contests/%lld/submissions?team=%lld", id, team);
	ck_assert_str_eq(str(item_with_id(l, sub), "verdict"), "AC");
	json_decref(l);
	ck_assert_int_eq(wsh_status(&srv, NULL, "/ws/submissions/%lld/?token=%s", sub, bob), 101);
	/* alice, outside: no contest, no submission, no socket */
	json_decref(call("GET", alice, 404, NULL, "/api/submissions/%lld", sub));
	json_decref(call("GET", alice, 404, NULL, "/api/contests/%lld/submissions", id));
	ck_assert_int_eq(wsh_status(&srv, NULL, "/ws/submissions/%lld/?token=%s", sub, alice), 403);
	json_decref(call("DELETE", srv.admin_token, 204, NULL, "/api/contests/%lld", id));
}
END_TEST

START_TEST(problem_sockets_and_lists_skip_contests)
{
	/* a plain submission is still listed by its problem, and jury see its socket */
	long long plain = wsh_submit(&srv, alice, problem);
	json_t *l = call("GET", srv.admin_token, 200, NULL, "/api/problems/%lld/submissions?per_page=100", problem);
	ck_assert_ptr_nonnull(item_with_id(l, plain));
	ck_assert(!json_object_get(item_with_id(l, plain), "contest_id"));
	json_decref(l);
	ck_assert_int_eq(wsh_status(&srv, NULL, "/ws/submissions/%lld/?token=%s", plain, judy), 101);
	ck_assert_int_eq(wsh_status(&srv, NULL, "/ws/submissions/%lld/?token=%s", plain, bob), 403);
	/* jury see every source, as admins do */
	json_t *s = call("GET", judy, 200, NULL, "/api/submissions/%lld", plain);
	ck_assert(json_is_string(json_object_get(s, "source")));
	json_decref(s);
	wait_all(&plain, 1);
}
END_TEST

/* Whether GET /api/problems (one page of 100) lists problem id for the caller. */
static bool problem_listed(const char *token, long long id)
{
	json_t *l = call("GET", token, 200, NULL, "/api/problems?per_page=100");
	bool found = item_with_id(l, id) != NULL;
	json_decref(l);
	return found;
}

/* Every problem path answers as if the problem did not exist (or exists) for the caller. */
static void assert_problem_out(const char *token, long long id, bool out)
{
	long expect = out ? 200 : 404;
	ck_assert_msg(problem_listed(token, id) == out, "problem %lld %slisted", id, out ? "not " : "");
	json_t *p = call("GET", token, expect, NULL, "/api/problems/%lld", id);
	if (!out)
		ck_assert_str_eq(str(json_object_get(p, "error"), "code"), "not_found");
	json_decref(p);
	json_decref(call("GET", token, expect, NULL, "/api/problems/%lld/submissions", id));
	ck_assert_int_eq(wsh_status(&srv, NULL, "/ws/problems/%lld/submissions/?token=%s", id, token), out ? 101 : 404);
	if (!out)
		json_decref(call("POST", token, 404, "{\"language\": \"c\", \"source\": \"x\"}",
				 "/api/problems/%lld/submissions", id));
}

/* Creates a contest of one problem (label A) starting at start; returns its id. */
static long long one_problem_contest(const char *shortname, const char *start, long long problem_id,
				     const char *extra)
{
	char body[512];
	snprintf(body, sizeof body,
		 "{\"shortname\": \"%s\", \"name\": \"x\", \"start_time\": \"%s\", \"duration_s\": 3600%s,"
		 " \"problems\": [{\"problem_id\": %lld, \"label\": \"A\"}]}",
		 shortname, start, extra, problem_id);
	json_t *j = call("POST", srv.admin_token, 201, body, "/api/contests");
	long long id = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	return id;
}

/* A contest's problems are out at its start (DOMjudge): before, to users they
   do not exist in any problem path; the jury and admins see them all along. */
START_TEST(problems_out_at_start)
{
	long long secret = test_create_problem(&srv, "{\"slug\": \"secret\", \"title\": \"Secret\", \"tests\": "
						     "[{\"input\": \"1 2\\n\", \"output\": \"3\\n\"}]}");
	long long other = test_create_problem(&srv, "{\"slug\": \"other\", \"title\": \"Other\", \"tests\": "
						    "[{\"input\": \"1 2\\n\", \"output\": \"3\\n\"}]}");
	/* a plain problem: out for everyone */
	assert_problem_out(alice, secret, true);
	char later[32];
	iso(later, 3600);
	long long future = one_problem_contest("hidden-p", later, secret, ", \"classroom\": true");
	assert_problem_out(alice, secret, false);
	assert_problem_out(judy, secret, true);
	assert_problem_out(srv.admin_token, secret, true);
	/* the list's total counts only what the caller sees */
	json_t *j = call("GET", alice, 200, NULL, "/api/problems?per_page=100");
	json_t *a = call("GET", srv.admin_token, 200, NULL, "/api/problems?per_page=100");
	ck_assert_int_eq(json_integer_value(json_object_get(j, "total")) + 1, json_integer_value(json_object_get(a, "total")));
	ck_assert_int_eq(json_array_size(json_object_get(j, "items")) + 1, json_array_size(json_object_get(a, "items")));
	json_decref(j);
	json_decref(a);
	/* a paged list skips it too: one per page, the pages never show it */
	for (int page = 1; page <= 10; page++) {
		j = call("GET", alice, 200, NULL, "/api/problems?per_page=1&page=%d", page);
		ck_assert_ptr_null(item_with_id(j, secret));
		json_decref(j);
	}
	/* a running private contest: its problem is out for its team, not for others */
	char started[32];
	iso(started, -60);
	long long priv = one_problem_contest("private-p", started, other, "");
	json_decref(call("POST", srv.admin_token, 201, "{\"key\": \"solo\", \"name\": \"Solo\", \"members\": [\"bob\"]}",
			 "/api/contests/%lld/teams", priv));
	assert_problem_out(bob, other, true);
	assert_problem_out(alice, other, false);
	/* the start: out for alice (the classroom contest is hers to see) */
	json_decref(call("POST", srv.admin_token, 200, NULL, "/api/contests/%lld/start", future));
	assert_problem_out(alice, secret, true);
	/* in a second, scheduled contest too: out, since one contest that has started holds it */
	long long second = one_problem_contest("hidden-p2", later, secret, ", \"classroom\": true");
	assert_problem_out(alice, secret, true);
	json_decref(call("DELETE", srv.admin_token, 204, NULL, "/api/contests/%lld", future));
	assert_problem_out(alice, secret, false);
	/* out of every contest: a plain problem again */
	json_decref(call("DELETE", srv.admin_token, 204, NULL, "/api/contests/%lld", second));
	json_decref(call("DELETE", srv.admin_token, 204, NULL, "/api/contests/%lld", priv));
	assert_problem_out(alice, secret, true);
	assert_problem_out(alice, other, true);
}
END_TEST

/* serve --demo: a running public contest with teams whose passwords it prints. */
START_TEST(demo_contest)
{
	struct server d;
	server_start(&d, (const char *[]){"--demo", NULL});
	char password[64] = "";
	for (int i = 0; i < 500 && !*password; i++) {
		FILE *log = fopen(d.log, "r");
		char line[512];
		while (log && fgets(line, sizeof line, log)) {
			const char *p = strstr(line, "team account 'team1'");
			if (p && (p = strstr(p, "password '")))
				sscanf(p + 10, "%63[^']", password);
		}
		if (log)
			fclose(log);
		if (!*password)
			sleep_ms(10);
	}
	ck_assert_msg(*password, "no team password in %s", d.log);
	ck_assert_int_eq(test_log_count(&d, "team account 'team"), 3);
	char token[64];
	ck_assert_int_eq(test_login(&d, "team1", password, token, sizeof token), 200);
	struct response r;
	http_json_request(&r, &d, "GET", "/api/contests", NULL, NULL);
	ck_assert_int_eq(r.status, 200);
	json_t *c = json_array_get(json_object_get(r.json, "items"), 0);
	ck_assert_str_eq(str(c, "shortname"), "demo");
	ck_assert_str_eq(str(c, "state"), "running");
	ck_assert_str_eq(str(c, "scoring"), "icpc");
	ck_assert_int_eq(json_integer_value(json_object_get(c, "duration_s")), 5 * 3600);
	ck_assert_int_eq(json_integer_value(json_object_get(c, "freeze_s")), 3600);
	ck_assert_str_eq(str(json_array_get(json_object_get(c, "problems"), 0), "label"), "A");
	long long id = json_integer_value(json_object_get(c, "id"));
	response_free(&r);
	char path[128];
	snprintf(path, sizeof path, "/api/contests/%lld/problems/A/submissions", id);
	http_json_request(&r, &d, "POST", path, token, "{\"language\": \"c\", \"source\": \"" WSH_SOURCE "\"}");
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	ck_assert(json_is_integer(json_object_get(r.json, "team_id")));
	ck_assert(json_is_false(json_object_get(r.json, "practice")));
	response_free(&r);
	server_finish(&d);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("api-contests");
	TCase *tc = tcase_create("contests");
	tcase_add_unchecked_fixture(tc, start, stop);
	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, crud);
	tcase_add_test(tc, validation);
	tcase_add_test(tc, visibility);
	tcase_add_test(tc, actions);
	tcase_add_test(tc, countdown_pause);
	tcase_add_test(tc, finalize_waits_for_judging);
	tcase_add_test(tc, window);
	tcase_add_test(tc, freeze_hides_others_results);
	tcase_add_test(tc, team_of_two);
	tcase_add_test(tc, contest_submission_socket);
	tcase_add_test(tc, jury_submissions_for_jury);
	tcase_add_test(tc, problem_sockets_and_lists_skip_contests);
	tcase_add_test(tc, problems_out_at_start);
	suite_add_tcase(s, tc);
	TCase *demo = tcase_create("demo");
	tcase_set_timeout(demo, 120);
	tcase_add_test(demo, demo_contest);
	suite_add_tcase(s, demo);
	return test_run_suite(s);
}
