/* Integration tests for the CLICS Contest API 2023-06 (/api/clics/) over real
 * HTTP, against the fixture contest of clics_fixture.h (an organization,
 * groups and teams, one hidden of each, with accounts, really judged
 * submissions before and during the freeze, and clarifications): the API
 * information object, the
 * required properties and their types, TIME and RELTIME, ids, filtering on id
 * properties, the {"code","message"} errors with 404 for unknown ids and
 * endpoints, HTTP Basic authentication, and what each role sees before the
 * start, during the freeze and after the thaw. One server for the file; the
 * tests run in order on the same contest. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clics_fixture.h"
#include "clics_rules.h"
#include "common.h"

static struct server srv;
static struct clics_fixture fx;

#define BASE CLICS_FIXTURE_BASE

/* GET path as `who` (a Basic header, or NULL: anonymous); the response. */
static void get(struct response *r, const char *path, const char *who)
{
	http_request(r, &srv, "GET", path, NULL, NULL, NULL, 0, who ? (const char *const[]){who, NULL} : NULL);
}

/* GET that must answer 200 with JSON; returns it (decref). */
static json_t *get_ok(const char *path, const char *who)
{
	return clics_get(&srv, who, 200, "%s", path);
}

/* An error in the CLICS shape: exactly {"code": status, "message": "..."}. */
static void expect_clics_error(const char *path, const char *who, long status)
{
	json_decref(clics_get(&srv, who, status, "%s", path));
}

static const char *str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void expect_time(json_t *o, const char *k)
{
	ck_assert_msg(clics_is_time(str(o, k)), "%s: '%s' is no TIME", k, str(o, k) ? str(o, k) : "(null)");
}

static void expect_reltime(json_t *o, const char *k)
{
	ck_assert_msg(clics_is_reltime(str(o, k)), "%s: '%s' is no RELTIME", k, str(o, k) ? str(o, k) : "(null)");
}

static void expect_id(json_t *o, const char *k)
{
	ck_assert_msg(clics_is_id(str(o, k)), "%s: '%s' is no ID", k, str(o, k) ? str(o, k) : "(null)");
}

/* Every key of o is one of allowed (NULL-terminated): no extension properties. */
static void only_keys(json_t *o, const char *const *allowed)
{
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v) {
		bool found = false;
		for (const char *const *a = allowed; *a && !found; a++)
			found = strcmp(*a, k) == 0;
		ck_assert_msg(found, "property '%s' is not in the 2023-06 schema", k);
	}
}

static json_t *by_id(json_t *list, const char *id)
{
	size_t i;
	json_t *o;
	json_array_foreach(list, i, o)
		if (str(o, "id") && strcmp(str(o, "id"), id) == 0)
			return o;
	return NULL;
}

/* GET a collection as `who`: it has n items, the first with id `first` (unless NULL). */
static void expect_list(const char *path, const char *who, size_t n, const char *first)
{
	json_t *list = get_ok(path, who);
	ck_assert_msg(json_array_size(list) == n, "GET %s: %zu items, want %zu", path, json_array_size(list), n);
	if (first)
		ck_assert_str_eq(str(json_array_get(list, 0), "id"), first);
	json_decref(list);
}

static void start(void)
{
	server_start(&srv, NULL);
	clics_fixture_build(&fx, &srv, CLICS_PHASE_NOT_STARTED);
}

static void stop(void)
{
	server_finish(&srv);
}

START_TEST(api_information_and_errors)
{
	for (int slash = 0; slash < 2; slash++) {
		json_t *info = get_ok(slash ? "/api/clics/" : "/api/clics", NULL);
		ck_assert_str_eq(str(info, "version"), "2023-06");
		ck_assert(strncmp(str(info, "version_url"), "https://", 8) == 0);
		ck_assert_str_eq(str(json_object_get(info, "provider"), "name"), "verdict");
		only_keys(info, (const char *const[]){"version", "version_url", "provider", NULL});
		json_decref(info);
	}
	expect_clics_error("/api/clics/xyz9999", NULL, 404);
	expect_clics_error("/api/clics/XYZ_999", NULL, 404);
	expect_clics_error("/api/clics/contests/nosuch", NULL, 404);
	expect_clics_error("/api/clics/contests/nosuch/teams", NULL, 404);
	expect_clics_error(BASE "doesnt-exist", NULL, 404);
	expect_clics_error(BASE "doesnt-exist/42", NULL, 404);
	expect_clics_error(BASE "submissions/999999", fx.basic_admin, 404);
	expect_clics_error(BASE "teams/nosuch", NULL, 404);
	expect_clics_error(BASE "judgement-types/XX", NULL, 404);
	expect_clics_error(BASE "clarifications/42", NULL, 404);
	expect_clics_error(BASE "submissions/1/files/more", fx.basic_admin, 404);
	/* a write where there is none: 405, in the CLICS shape even when refused before the body is read */
	struct response w;
	http_request(&w, &srv, "POST", BASE "teams", NULL, "application/json", "{\"a\": 1}", 8, NULL);
	ck_assert_int_eq(w.status, 405);
	ck_assert_int_eq(json_integer_value(json_object_get(w.json, "code")), 405);
	ck_assert_ptr_null(json_object_get(w.json, "error"));
	response_free(&w);
	/* the native API keeps its own error shape */
	struct response r;
	http_request(&r, &srv, "GET", "/api/nosuch", NULL, NULL, NULL, 0, NULL);
	expect_error(&r, 404, "not_found");
	response_free(&r);
}
END_TEST

START_TEST(basic_authentication)
{
	json_t *me = get_ok(BASE "account", fx.basic_one);
	ck_assert_str_eq(str(me, "id"), "t_one");
	ck_assert_str_eq(str(me, "username"), "t_one");
	ck_assert_str_eq(str(me, "type"), "team");
	ck_assert_str_eq(str(me, "team_id"), "z1");
	only_keys(me, (const char *const[]){"id", "username", "type", "team_id", NULL});
	json_decref(me);
	/* a second request with the same credential (the remembered check) */
	me = get_ok(BASE "account", fx.basic_one);
	ck_assert_str_eq(str(me, "username"), "t_one");
	json_decref(me);
	me = get_ok(BASE "account", fx.basic_admin);
	ck_assert_str_eq(str(me, "type"), "admin");
	ck_assert_ptr_null(json_object_get(me, "team_id"));
	json_decref(me);
	/* a wrong password is refused on public endpoints too, with a challenge */
	expect_clics_error(BASE "account", fx.basic_bad, 401);
	expect_clics_error("/api/clics/contests", fx.basic_bad, 401);
	struct response r;
	get(&r, "/api/clics/contests", fx.basic_bad);
	char challenge[128];
	ck_assert(response_header(&r, "WWW-Authenticate", challenge, sizeof challenge));
	ck_assert(strncmp(challenge, "Basic ", 6) == 0);
	response_free(&r);
	char unknown[128], garbage[] = "Authorization: Basic !!!";
	clics_basic_header(unknown, sizeof unknown, "nobody", "x");
	expect_clics_error(BASE "account", unknown, 401);
	expect_clics_error(BASE "account", garbage, 401);
	/* no credential: no account */
	expect_clics_error(BASE "account", NULL, 404);
	/* Basic works on the native API as well */
	http_request(&r, &srv, "GET", "/api/me", NULL, NULL, NULL, 0, (const char *const[]){fx.basic_two, NULL});
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	ck_assert_str_eq(str(r.json, "username"), "t_two");
	response_free(&r);
	/* nothing to log out of; a cross-site write with it is refused like one with a cookie */
	http_request(&r, &srv, "POST", "/api/auth/logout", NULL, NULL, NULL, 0, (const char *const[]){fx.basic_two, NULL});
	expect_error(&r, 400, "bad_request");
	response_free(&r);
	http_request(&r, &srv, "POST", "/api/auth/logout", NULL, NULL, NULL, 0,
		     (const char *const[]){fx.basic_two, "Sec-Fetch-Site: cross-site", NULL});
	expect_error(&r, 403, "forbidden");
	response_free(&r);
	/* accounts: the jury sees every one, a team only its own, the public has none (404, absent from its access) */
	json_t *list = get_ok(BASE "accounts", fx.basic_admin);
	ck_assert_ptr_nonnull(by_id(list, "t_one"));
	ck_assert_ptr_nonnull(by_id(list, "t_two"));
	ck_assert_str_eq(str(by_id(list, "judy"), "type"), "judge");
	ck_assert_str_eq(str(by_id(list, "t_two"), "team_id"), "z2");
	json_decref(list);
	expect_list(BASE "accounts?team_id=z1", fx.basic_admin, 1, "t_one");
	expect_list(BASE "accounts", fx.basic_two, 1, "t_two");
	expect_clics_error(BASE "accounts", NULL, 404);
}
END_TEST

/* Wrong Basic passwords count as failed logins: after --login-pair-failures
   (10) of them the name is refused from this address, the right password too,
   with 429 and Retry-After, and a login with a token alike. */
START_TEST(basic_throttled_like_a_login)
{
	test_create_user(&srv, "thr", false, NULL, 0);
	char good[128], bad[128];
	clics_basic_header(good, sizeof good, "thr", "thr-password");
	clics_basic_header(bad, sizeof bad, "thr", "wrong-password");
	json_t *me = get_ok(BASE "account", good);
	ck_assert_str_eq(str(me, "username"), "thr");
	json_decref(me);
	for (int i = 0; i < 10; i++)
		expect_clics_error(BASE "account", bad, 401);
	expect_clics_error(BASE "account", good, 429);
	struct response r;
	get(&r, BASE "account", good);
	char retry[32];
	ck_assert(response_header(&r, "Retry-After", retry, sizeof retry));
	ck_assert_int_ge(atoi(retry), 1);
	response_free(&r);
	char token[64];
	ck_assert_int_eq(test_login(&srv, "thr", "thr-password", token, sizeof token), 429);
	/* another name from the same address is not refused */
	me = get_ok(BASE "account", fx.basic_two);
	ck_assert_str_eq(str(me, "username"), "t_two");
	json_decref(me);
}
END_TEST

static const char *const contest_props[] = {"id", "name", "formal_name", "start_time", "countdown_pause_time",
					     "duration", "scoreboard_freeze_duration", "scoreboard_thaw_time",
					     "scoreboard_type", "penalty_time", NULL};

static void check_state(json_t *s, bool started, bool frozen, bool ended, bool thawed)
{
	const char *keys[] = {"started", "frozen", "ended", "thawed", "finalized", "end_of_updates"};
	bool set[] = {started, frozen, ended, thawed, false, false};
	for (int i = 0; i < 6; i++) {
		json_t *v = json_object_get(s, keys[i]);
		ck_assert_msg(v, "state lacks '%s'", keys[i]);
		if (set[i])
			expect_time(s, keys[i]);
		else
			ck_assert_msg(json_is_null(v), "state '%s' should be null", keys[i]);
	}
	ck_assert_uint_eq(json_object_size(s), 6);
}

START_TEST(before_the_start)
{
	json_t *list = get_ok("/api/clics/contests", NULL);
	json_t *c = by_id(list, "clics1");
	ck_assert_ptr_nonnull(c);
	only_keys(c, contest_props);
	ck_assert_str_eq(str(c, "name"), "CLICS One");
	ck_assert_str_eq(str(c, "formal_name"), "The CLICS One");
	ck_assert(json_is_null(json_object_get(c, "start_time")));
	ck_assert_str_eq(str(c, "duration"), "1:00:00.000");
	ck_assert_str_eq(str(c, "scoreboard_freeze_duration"), "0:30:00.000");
	ck_assert_str_eq(str(c, "scoreboard_type"), "pass-fail");
	ck_assert_int_eq(json_integer_value(json_object_get(c, "penalty_time")), 20);
	json_decref(list);
	expect_list("/api/clics/contests?id=nosuch", NULL, 0, NULL);

	json_t *s = get_ok(BASE "state", NULL);
	check_state(s, false, false, false, false);
	json_decref(s);
	/* the public and the teams see no problems before the start; the jury does */
	expect_list(BASE "problems", NULL, 0, NULL);
	expect_list(BASE "problems", fx.basic_one, 0, NULL);
	expect_clics_error(BASE "problems/sum", NULL, 404);
	list = get_ok(BASE "problems", fx.basic_admin);
	ck_assert_uint_eq(json_array_size(list), 1);
	json_t *p = json_array_get(list, 0);
	only_keys(p, (const char *const[]){"id", "label", "name", "ordinal", "rgb", "color", "time_limit",
					   "test_data_count", NULL});
	ck_assert_str_eq(str(p, "id"), "sum");
	ck_assert_str_eq(str(p, "label"), "A");
	ck_assert_str_eq(str(p, "name"), "A plus B");
	ck_assert_int_eq(json_integer_value(json_object_get(p, "ordinal")), 1);
	ck_assert_str_eq(str(p, "rgb"), "#e53935");
	ck_assert(json_is_number(json_object_get(p, "time_limit")));
	ck_assert(json_number_value(json_object_get(p, "time_limit")) == 1.0);
	ck_assert_int_eq(json_integer_value(json_object_get(p, "test_data_count")), 3); /* the sample too */
	json_decref(list);
}
END_TEST

START_TEST(static_collections)
{
	json_t *list = get_ok(BASE "judgement-types", NULL);
	const char *want[] = {"AC", "WA", "TLE", "MLE", "RTE", "OLE", "CE", "JE"};
	ck_assert_uint_eq(json_array_size(list), 8);
	for (int i = 0; i < 8; i++) {
		json_t *t = by_id(list, want[i]);
		ck_assert_msg(t, "no judgement type %s", want[i]);
		only_keys(t, (const char *const[]){"id", "name", "penalty", "solved", NULL});
		ck_assert(str(t, "name") && *str(t, "name"));
		ck_assert(json_is_boolean(json_object_get(t, "penalty")));
		ck_assert(json_is_boolean(json_object_get(t, "solved")));
		ck_assert(json_is_true(json_object_get(t, "solved")) == (i == 0));
	}
	ck_assert(json_is_true(json_object_get(by_id(list, "WA"), "penalty")));
	ck_assert(json_is_false(json_object_get(by_id(list, "CE"), "penalty")));
	json_decref(list);
	json_t *wa = get_ok(BASE "judgement-types/WA", NULL);
	ck_assert_str_eq(str(wa, "id"), "WA");
	json_decref(wa);

	list = get_ok(BASE "languages", NULL);
	ck_assert_ptr_nonnull(by_id(list, "c"));
	size_t i;
	json_t *l;
	json_array_foreach(list, i, l) {
		only_keys(l, (const char *const[]){"id", "name", "entry_point_required", "extensions", NULL});
		expect_id(l, "id");
		ck_assert(json_is_false(json_object_get(l, "entry_point_required")));
		ck_assert(json_array_size(json_object_get(l, "extensions")) >= 1);
	}
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(by_id(list, "c"), "extensions"), 0)), "c");
	json_decref(list);

	list = get_ok(BASE "organizations", NULL);
	ck_assert_uint_eq(json_array_size(list), 1);
	ck_assert_str_eq(str(json_array_get(list, 0), "id"), "kth");
	ck_assert_str_eq(str(json_array_get(list, 0), "country"), "SWE");
	only_keys(json_array_get(list, 0), (const char *const[]){"id", "icpc_id", "name", "formal_name", "country", NULL});
	json_decref(list);

	/* the hidden group and the hidden team only for the jury */
	expect_list(BASE "groups", NULL, 1, "students");
	expect_list(BASE "groups", fx.basic_admin, 2, NULL);
	list = get_ok(BASE "teams", NULL);
	ck_assert_uint_eq(json_array_size(list), 2);
	ck_assert_ptr_null(by_id(list, "z3"));
	json_t *z1 = by_id(list, "z1");
	only_keys(z1, (const char *const[]){"id", "icpc_id", "label", "name", "display_name", "organization_id",
					    "group_ids", "hidden", NULL});
	ck_assert_str_eq(str(z1, "label"), "101");
	ck_assert_str_eq(str(z1, "name"), "Zeta");
	ck_assert_str_eq(str(z1, "organization_id"), "kth");
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(z1, "group_ids"), 0)), "students");
	json_decref(list);
	expect_clics_error(BASE "teams/z3", NULL, 404);
	json_t *z3 = get_ok(BASE "teams/z3", fx.basic_admin);
	ck_assert(json_is_true(json_object_get(z3, "hidden")));
	json_decref(z3);
	/* filtering on id properties, an array one too */
	expect_list(BASE "teams?organization_id=kth", NULL, 1, "z1");
	expect_list(BASE "teams?organization_id=", NULL, 1, "z2"); /* null */
	expect_list(BASE "teams?group_ids=guests", fx.basic_admin, 1, "z3");

	json_t *a = get_ok(BASE "access", NULL);
	ck_assert(json_is_array(json_object_get(a, "capabilities")));
	json_t *eps = json_object_get(a, "endpoints");
	ck_assert_uint_ge(json_array_size(eps), 10);
	json_array_foreach(eps, i, l) {
		ck_assert(str(l, "type"));
		ck_assert(json_is_array(json_object_get(l, "properties")));
		ck_assert_str_ne(str(l, "type"), "accounts"); /* not the public's */
	}
	json_decref(a);
	list = get_ok(BASE "clarifications", NULL);
	ck_assert(json_is_array(list));
	json_decref(list);
}
END_TEST

/* The submission, judgement and run collections' shapes. */
static void check_submission(json_t *s)
{
	only_keys(s, (const char *const[]){"id", "language_id", "problem_id", "team_id", "time", "contest_time",
					   "entry_point", "files", NULL});
	expect_id(s, "id");
	ck_assert_str_eq(str(s, "language_id"), "c");
	ck_assert_str_eq(str(s, "problem_id"), "sum");
	expect_id(s, "team_id");
	expect_time(s, "time");
	expect_reltime(s, "contest_time");
	json_t *ep = json_object_get(s, "entry_point");
	ck_assert(ep && json_is_null(ep));
	json_t *files = json_object_get(s, "files");
	ck_assert_uint_eq(json_array_size(files), 1);
	json_t *f = json_array_get(files, 0);
	ck_assert_str_eq(str(f, "filename"), "files.zip");
	ck_assert_str_eq(str(f, "mime"), "application/zip");
	ck_assert(str(f, "href"));
}

static void check_judgement(json_t *j)
{
	only_keys(j, (const char *const[]){"id", "submission_id", "judgement_type_id", "start_time",
					   "start_contest_time", "end_time", "end_contest_time", "max_run_time", NULL});
	expect_id(j, "id");
	expect_id(j, "submission_id");
	expect_time(j, "start_time");
	expect_time(j, "end_time");
	expect_reltime(j, "start_contest_time");
	expect_reltime(j, "end_contest_time");
	ck_assert(strcmp(str(j, "start_time"), str(j, "end_time")) <= 0);
	ck_assert(json_is_number(json_object_get(j, "max_run_time")));
}

static size_t count_for(json_t *list, const char *prop, const char *value)
{
	size_t n = 0, i;
	json_t *o;
	json_array_foreach(list, i, o)
		n += str(o, prop) && strcmp(str(o, prop), value) == 0;
	return n;
}

/* The board as `who` sees it during the freeze (z2's AC made in it shown
   or pending), and after the thaw (shown). */
static void check_board(const char *who, bool sees_frozen)
{
	json_t *b = get_ok(BASE "scoreboard", who);
	only_keys(b, (const char *const[]){"time", "contest_time", "state", "rows", NULL});
	expect_time(b, "time");
	expect_reltime(b, "contest_time");
	ck_assert(json_object_get(json_object_get(b, "state"), "started"));
	json_t *rows = json_object_get(b, "rows");
	ck_assert_uint_eq(json_array_size(rows), who == fx.basic_admin ? 3 : 2);
	json_t *r1 = json_array_get(rows, 0), *r2 = json_array_get(rows, 1);
	ck_assert_str_eq(str(r1, "team_id"), "z1");
	ck_assert_int_eq(json_integer_value(json_object_get(r1, "rank")), 1);
	json_t *s1 = json_object_get(r1, "score");
	only_keys(s1, (const char *const[]){"num_solved", "total_time", "time", NULL});
	ck_assert_int_eq(json_integer_value(json_object_get(s1, "num_solved")), 1);
	ck_assert(json_is_integer(json_object_get(s1, "total_time")));
	ck_assert(json_is_integer(json_object_get(s1, "time")));
	json_t *p1 = json_array_get(json_object_get(r1, "problems"), 0);
	only_keys(p1, (const char *const[]){"problem_id", "num_judged", "num_pending", "solved", "time", NULL});
	ck_assert_str_eq(str(p1, "problem_id"), "sum");
	ck_assert(json_is_true(json_object_get(p1, "solved")));
	ck_assert(json_is_integer(json_object_get(p1, "time")));
	ck_assert_int_eq(json_integer_value(json_object_get(p1, "num_judged")), 1);
	ck_assert_str_eq(str(r2, "team_id"), "z2");
	ck_assert_int_eq(json_integer_value(json_object_get(r2, "rank")), 2);
	json_t *s2 = json_object_get(r2, "score"), *p2 = json_array_get(json_object_get(r2, "problems"), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(s2, "num_solved")), sees_frozen ? 1 : 0);
	ck_assert(json_is_true(json_object_get(p2, "solved")) == sees_frozen);
	ck_assert((json_object_get(p2, "time") != NULL) == sees_frozen);
	ck_assert((json_object_get(s2, "time") != NULL) == sees_frozen);
	ck_assert_int_eq(json_integer_value(json_object_get(p2, "num_pending")), sees_frozen ? 0 : 1);
	ck_assert_int_eq(json_integer_value(json_object_get(p2, "num_judged")), sees_frozen ? 2 : 1);
	if (sees_frozen) /* the WA costs 20 minutes */
		ck_assert_int_ge(json_integer_value(json_object_get(s2, "total_time")), 20);
	json_decref(b);
}

/* A team's request, the jury's reply to it and an announcement to all, as each role sees them. */
static void check_clarifications(void)
{
	long long q = fx.clar_question, a = fx.clar_reply, all = fx.clar_all;
	json_t *list = get_ok(BASE "clarifications", fx.basic_admin);
	ck_assert_uint_eq(json_array_size(list), 3);
	size_t i;
	json_t *o;
	json_array_foreach(list, i, o) {
		only_keys(o, (const char *const[]){"id", "from_team_id", "to_team_id", "reply_to_id", "problem_id", "text",
						   "time", "contest_time", NULL});
		expect_id(o, "id");
		ck_assert(str(o, "text") && *str(o, "text"));
		expect_time(o, "time");
		expect_reltime(o, "contest_time");
	}
	json_t *cq = by_id(list, clics_id(q)), *ca = by_id(list, clics_id(a)), *call = by_id(list, clics_id(all));
	ck_assert_str_eq(str(cq, "from_team_id"), "z1");
	ck_assert(json_is_null(json_object_get(cq, "to_team_id")));
	ck_assert_str_eq(str(cq, "problem_id"), "sum");
	ck_assert_str_eq(str(cq, "text"), "Is n < 10?");
	ck_assert(json_is_null(json_object_get(ca, "from_team_id")));
	ck_assert_str_eq(str(ca, "to_team_id"), "z1");
	ck_assert_str_eq(str(ca, "reply_to_id"), clics_id(q));
	ck_assert_str_eq(str(ca, "problem_id"), "sum");
	ck_assert(json_is_null(json_object_get(call, "from_team_id")));
	ck_assert(json_is_null(json_object_get(call, "to_team_id")));
	ck_assert(json_is_null(json_object_get(call, "reply_to_id")));
	ck_assert(json_is_null(json_object_get(call, "problem_id")));
	json_decref(list);
	/* the public and another team: only the jury's to all; the team: its own too */
	expect_list(BASE "clarifications", NULL, 1, clics_id(all));
	expect_list(BASE "clarifications", fx.basic_two, 1, clics_id(all));
	expect_list(BASE "clarifications", fx.basic_one, 3, NULL);
	char path[128];
	snprintf(path, sizeof path, BASE "clarifications/%lld", q);
	expect_clics_error(path, NULL, 404);
	expect_clics_error(path, fx.basic_two, 404);
	o = get_ok(path, fx.basic_one);
	ck_assert_str_eq(str(o, "id"), clics_id(q));
	json_decref(o);
	/* filtering, on null too */
	expect_list(BASE "clarifications?from_team_id=z1", fx.basic_admin, 1, clics_id(q));
	expect_list(BASE "clarifications?to_team_id=z1", fx.basic_admin, 1, clics_id(a));
	expect_list(BASE "clarifications?to_team_id=", fx.basic_admin, 2, NULL);
	expect_list(BASE "clarifications?problem_id=sum", fx.basic_admin, 2, NULL);
	snprintf(path, sizeof path, BASE "clarifications?reply_to_id=%lld", q);
	expect_list(path, fx.basic_one, 1, clics_id(a));
}

START_TEST(submissions_through_the_freeze)
{
	clics_fixture_advance(&fx, CLICS_PHASE_RUNNING);
	json_t *s = get_ok(BASE "state", NULL);
	check_state(s, true, false, false, false);
	json_decref(s);
	json_t *c = get_ok("/api/clics/contests/clics1", NULL);
	expect_time(c, "start_time");
	json_decref(c);
	json_t *list = get_ok(BASE "problems", NULL);
	ck_assert_uint_eq(json_array_size(list), 1);
	json_decref(list);

	check_clarifications();
	clics_fixture_advance(&fx, CLICS_PHASE_FROZEN);
	s = get_ok(BASE "state", NULL);
	check_state(s, true, true, false, false);
	json_decref(s);

	/* submissions: every role sees all three of the visible teams (not their results) */
	list = get_ok(BASE "submissions", NULL);
	ck_assert_uint_eq(json_array_size(list), 3);
	size_t i;
	json_t *o;
	json_array_foreach(list, i, o)
		check_submission(o);
	ck_assert_str_eq(str(by_id(list, clics_id(fx.sub_ac)), "team_id"), "z1");
	ck_assert_str_eq(str(by_id(list, clics_id(fx.sub_wa)), "team_id"), "z2");
	json_decref(list);
	list = get_ok(BASE "submissions?team_id=z1", NULL);
	ck_assert_uint_eq(json_array_size(list), 1);
	ck_assert_uint_eq(count_for(list, "team_id", "z1"), 1);
	json_decref(list);
	expect_list(BASE "submissions?team_id=z2", NULL, 2, NULL);
	expect_list(BASE "submissions?team_id=z1&problem_id=nosuch", NULL, 0, NULL);
	char path[160];
	snprintf(path, sizeof path, BASE "submissions/%lld", fx.sub_wa);
	o = get_ok(path, NULL);
	ck_assert_str_eq(str(o, "id"), clics_id(fx.sub_wa));
	json_decref(o);

	/* judgements: the public and the other team do not see the frozen one; its team and the jury do */
	const char *who[] = {NULL, fx.basic_one, fx.basic_two, fx.basic_admin};
	size_t want[] = {2, 2, 3, 4};
	bool sees_frozen[] = {false, false, true, true};
	for (int w = 0; w < 4; w++) {
		list = get_ok(BASE "judgements", who[w]);
		ck_assert_msg(json_array_size(list) == want[w], "viewer %d sees %zu judgements", w, json_array_size(list));
		json_array_foreach(list, i, o)
			check_judgement(o);
		ck_assert_str_eq(str(by_id(list, clics_id(fx.sub_ac)), "judgement_type_id"), "AC");
		ck_assert_str_eq(str(by_id(list, clics_id(fx.sub_wa)), "judgement_type_id"), "WA");
		ck_assert((by_id(list, clics_id(fx.sub_frozen)) != NULL) == sees_frozen[w]);
		json_decref(list);
		/* runs: only of the judgements the viewer sees */
		list = get_ok(BASE "runs", who[w]);
		ck_assert_uint_eq(count_for(list, "judgement_id", clics_id(fx.sub_ac)), 3);
		ck_assert_uint_ge(count_for(list, "judgement_id", clics_id(fx.sub_wa)), 1);
		ck_assert_uint_eq(count_for(list, "judgement_id", clics_id(fx.sub_frozen)), sees_frozen[w] ? 3 : 0);
		json_array_foreach(list, i, o) {
			only_keys(o, (const char *const[]){"id", "judgement_id", "ordinal", "judgement_type_id", "time",
							   "contest_time", "run_time", NULL});
			expect_id(o, "id");
			long long ord = json_integer_value(json_object_get(o, "ordinal"));
			ck_assert(ord >= 1 && ord <= 3);
			char rid[48];
			snprintf(rid, sizeof rid, "%s.%lld", str(o, "judgement_id"), ord);
			ck_assert_str_eq(str(o, "id"), rid);
			expect_time(o, "time");
			expect_reltime(o, "contest_time");
			ck_assert(json_is_number(json_object_get(o, "run_time")));
		}
		json_decref(list);
	}
	snprintf(path, sizeof path, BASE "judgements/%lld", fx.sub_frozen);
	expect_clics_error(path, NULL, 404);
	snprintf(path, sizeof path, BASE "judgements?submission_id=%lld", fx.sub_ac);
	expect_list(path, NULL, 1, NULL);
	expect_list(BASE "judgements?judgement_type_id=WA", fx.basic_admin, 2, NULL); /* the hidden team's too */
	list = get_ok(BASE "judgements?judgement_type_id=WA", NULL);
	ck_assert_uint_eq(json_array_size(list), 1);
	ck_assert_str_eq(str(json_array_get(list, 0), "submission_id"), clics_id(fx.sub_wa));
	json_decref(list);
	snprintf(path, sizeof path, BASE "runs?judgement_id=%lld", fx.sub_ac);
	list = get_ok(path, NULL);
	ck_assert_uint_eq(json_array_size(list), 3);
	ck_assert_str_eq(str(json_array_get(list, 0), "judgement_type_id"), "AC");
	json_decref(list);

	/* files: a zip of the source for the jury and the team itself */
	snprintf(path, sizeof path, BASE "submissions/%lld/files", fx.sub_ac);
	const char *readers[] = {fx.basic_one, fx.basic_admin};
	for (int w = 0; w < 2; w++) {
		struct response r;
		get(&r, path, readers[w]);
		ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
		char ct[64];
		ck_assert(response_header(&r, "Content-Type", ct, sizeof ct));
		ck_assert_str_eq(ct, "application/zip");
		ck_assert(r.body_len > 30 && memcmp(r.body, "PK\3\4", 4) == 0);
		ck_assert(memmem(r.body, r.body_len, "main.c", 6) != NULL);
		ck_assert(memmem(r.body, r.body_len, "scanf", 5) != NULL);
		ck_assert(memmem(r.body, r.body_len, "PK\5\6", 4) != NULL);
		response_free(&r);
	}
	expect_clics_error(path, fx.basic_two, 403);
	expect_clics_error(path, NULL, 401);

	/* the scoreboard: the public's frozen, the team's own row and the jury's live */
	check_board(NULL, false);
	check_board(fx.basic_one, false);
	check_board(fx.basic_two, true);
	check_board(fx.basic_admin, true);
	list = get_ok(BASE "scoreboard?group_id=students", NULL);
	ck_assert_uint_eq(json_array_size(json_object_get(list, "rows")), 2);
	json_decref(list);
	expect_clics_error(BASE "scoreboard?group_id=guests", NULL, 404); /* hidden */
	list = get_ok(BASE "scoreboard?group_id=guests", fx.basic_admin);
	json_decref(list);

	/* the thaw shows the frozen judgement to everyone */
	clics_fixture_advance(&fx, CLICS_PHASE_THAWED);
	check_board(NULL, true);
	s = get_ok(BASE "state", NULL);
	check_state(s, true, true, true, true);
	json_decref(s);
	c = get_ok("/api/clics/contests/clics1", NULL);
	expect_time(c, "scoreboard_thaw_time");
	json_decref(c);
	list = get_ok(BASE "judgements", NULL);
	ck_assert_uint_eq(json_array_size(list), 3);
	ck_assert_str_eq(str(by_id(list, clics_id(fx.sub_frozen)), "judgement_type_id"), "AC");
	json_decref(list);
	snprintf(path, sizeof path, BASE "runs?judgement_id=%lld", fx.sub_frozen);
	expect_list(path, NULL, 3, NULL);

	/* awards from the board */
	list = get_ok(BASE "awards", NULL);
	json_array_foreach(list, i, o) {
		only_keys(o, (const char *const[]){"id", "citation", "team_ids", NULL});
		expect_id(o, "id");
		ck_assert(str(o, "citation") && *str(o, "citation"));
		ck_assert(json_is_array(json_object_get(o, "team_ids")));
	}
	json_t *winner = by_id(list, "winner");
	ck_assert_ptr_nonnull(winner);
	ck_assert_uint_eq(json_array_size(json_object_get(winner, "team_ids")), 1);
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(winner, "team_ids"), 0)), "z1");
	json_t *fts = by_id(list, "first-to-solve-sum");
	ck_assert_ptr_nonnull(fts);
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(fts, "team_ids"), 0)), "z1");
	ck_assert_ptr_nonnull(by_id(list, "group-winner-students"));
	ck_assert_ptr_null(by_id(list, "group-winner-guests"));
	json_decref(list);
	list = get_ok(BASE "awards?team_ids=z2", NULL);
	json_array_foreach(list, i, o)
		ck_assert_str_ne(str(o, "id"), "winner");
	json_decref(list);
	o = get_ok(BASE "awards/winner", NULL);
	ck_assert_str_eq(str(o, "id"), "winner");
	json_decref(o);
	expect_clics_error(BASE "awards/nosuch", NULL, 404);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("clics");
	TCase *tc = tcase_create("clics");
	tcase_add_unchecked_fixture(tc, start, stop);
	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, api_information_and_errors);
	tcase_add_test(tc, basic_authentication);
	tcase_add_test(tc, basic_throttled_like_a_login);
	tcase_add_test(tc, before_the_start);
	tcase_add_test(tc, static_collections);
	tcase_add_test(tc, submissions_through_the_freeze);
	suite_add_tcase(suite, tc);
	return test_run_suite(suite);
}
