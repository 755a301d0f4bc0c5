/* Clarifications over real HTTP and WebSocket: a team asks, the jury answers
 * it privately or to all and announces; each viewer (the jury, the asking
 * team, another team, the public, nobody signed in) sees exactly its share by
 * REST, by the live socket and by ?after= resume, also after a restart; bad
 * requests are refused naming the field and store nothing.
 *
 * "Team B never receives X live" is checked without timing: a socket
 * delivers in seq order, so once B has the announcement made after X, X can
 * no longer come. */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"
#include "ws_client.h"
#include "ws_helpers.h"

#define RECV_MS 10000 /* an upper bound for a message that must come, never a measurement */

struct fixture {
	struct server s;
	long long contest, closed;   /* a running public contest; a private one not started */
	long long team_a, team_b, team_x; /* A and B in contest; X: alice's team in closed */
	char alice[64], bob[64], carol[64], judy[64]; /* team A, team B, no team, jury */
};

static json_t *post_ok(const struct server *s, const char *token, long status, const char *path, const char *body)
{
	struct response r;
	http_json_request(&r, s, "POST", path, token, body);
	ck_assert_msg(r.status == status, "POST %s %s: %ld %s", path, body, r.status, r.body);
	json_t *j = json_incref(r.json);
	response_free(&r);
	return j;
}

static long long make_contest(const struct server *s, const char *shortname, const char *start, bool public_,
			      long long p1, long long p2)
{
	char body[1024];
	snprintf(body, sizeof body,
		 "{\"shortname\": \"%s\", \"name\": \"Contest %s\", \"start_time\": %s, \"duration_s\": 36000,"
		 " \"freeze_s\": 0, \"scoring\": \"icpc\", \"penalty_min\": 20, \"public\": %s,"
		 " \"problems\": [{\"problem_id\": %lld, \"label\": \"A\"}, {\"problem_id\": %lld, \"label\": \"B\"}]}",
		 shortname, shortname, start, public_ ? "true" : "false", p1, p2);
	json_t *j = post_ok(s, s->admin_token, 201, "/api/contests", body);
	long long id = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	ck_assert_int_gt(id, 0);
	return id;
}

static long long make_team(const struct server *s, long long contest, const char *label, const char *member)
{
	char path[128], body[256];
	snprintf(path, sizeof path, "/api/contests/%lld/teams", contest);
	snprintf(body, sizeof body, "{\"name\": \"Team %s\", \"label\": \"%s\", \"members\": [\"%s\"]}", label, label,
		 member);
	json_t *j = post_ok(s, s->admin_token, 201, path, body);
	long long id = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	ck_assert_int_gt(id, 0);
	return id;
}

static void setup(struct fixture *f)
{
	server_start(&f->s, NULL);
	struct server *s = &f->s;
	test_create_user(s, "alice", false, f->alice, sizeof f->alice);
	test_create_user(s, "bob", false, f->bob, sizeof f->bob);
	test_create_user(s, "carol", false, f->carol, sizeof f->carol);
	json_decref(post_ok(s, s->admin_token, 201, "/api/users",
			    "{\"username\": \"judy\", \"password\": \"judy-password\", \"role\": \"jury\"}"));
	ck_assert_int_eq(test_login(s, "judy", "judy-password", f->judy, sizeof f->judy), 200);
	long long p1 = wsh_problem(s, "one"), p2 = wsh_problem(s, "two");
	char start[32], quoted[40];
	time_t t0 = time(NULL) - 60;
	struct tm tm;
	gmtime_r(&t0, &tm);
	strftime(start, sizeof start, "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(quoted, sizeof quoted, "\"%s\"", start);
	f->contest = make_contest(s, "running", quoted, true, p1, p2);
	f->closed = make_contest(s, "later", "null", false, p1, p2);
	f->team_a = make_team(s, f->contest, "a", "alice");
	f->team_b = make_team(s, f->contest, "b", "bob");
	f->team_x = make_team(s, f->closed, "x", "alice");
}

/* POSTs a clarification to f's contest; returns the created object. */
static json_t *clar_post(struct fixture *f, const char *token, const char *body)
{
	char path[128];
	snprintf(path, sizeof path, "/api/contests/%lld/clarifications", f->contest);
	return post_ok(&f->s, token, 201, path, body);
}

static long long clar_id(struct fixture *f, const char *token, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static long long clar_id(struct fixture *f, const char *token, const char *fmt, ...)
{
	char body[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(body, sizeof body, fmt, ap);
	va_end(ap);
	json_t *j = clar_post(f, token, body);
	long long id = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	return id;
}

static void expect_clar_error(struct fixture *f, long long contest, const char *token, const char *body, long status,
			      const char *code)
{
	char path[128];
	snprintf(path, sizeof path, "/api/contests/%lld/clarifications", contest);
	expect_json_error(&f->s, "POST", path, token, body, status, code);
}

/* GET the list as token (NULL: anonymous), per_page 100: its items, newest first. */
static json_t *clar_list(struct fixture *f, long long contest, const char *token)
{
	char path[128];
	snprintf(path, sizeof path, "/api/contests/%lld/clarifications?per_page=100", contest);
	struct response r;
	http_json_request(&r, &f->s, "GET", path, token, NULL);
	ck_assert_msg(r.status == 200, "GET %s: %ld %s", path, r.status, r.body);
	json_t *items = json_incref(json_object_get(r.json, "items"));
	ck_assert_int_eq(json_integer_value(json_object_get(r.json, "total")), (long long)json_array_size(items));
	response_free(&r);
	return items;
}

/* The ids of a list, sorted ascending, as "1,2,3". */
static void ids_of(json_t *items, char *out, size_t size)
{
	long long ids[64];
	size_t n = 0;
	for (size_t i = 0; i < json_array_size(items) && n < 64; i++) {
		long long id = int_at(items, i, "id");
		bool seen = false;
		for (size_t k = 0; k < n; k++)
			seen = seen || ids[k] == id;
		if (!seen)
			ids[n++] = id;
	}
	for (size_t i = 1; i < n; i++)
		for (size_t k = i; k > 0 && ids[k - 1] > ids[k]; k--) {
			long long t = ids[k];
			ids[k] = ids[k - 1];
			ids[k - 1] = t;
		}
	size_t len = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(out + len, size - len, "%s%lld", i ? "," : "", ids[i]);
}

static void expect_list(struct fixture *f, long long contest, const char *token, const char *want)
{
	json_t *items = clar_list(f, contest, token);
	char got[512];
	ids_of(items, got, sizeof got);
	ck_assert_msg(strcmp(got, want) == 0, "list as %s: ids %s, want %s", token ? token : "anonymous", got, want);
	/* newest first */
	for (size_t i = 1; i < json_array_size(items); i++)
		ck_assert_int_gt(int_at(items, i - 1, "id"), int_at(items, i, "id"));
	json_decref(items);
}

static struct ws_client *clar_socket(struct fixture *f, const char *token, long long after)
{
	char q[48] = "";
	if (after >= 0)
		snprintf(q, sizeof q, "&after=%lld", after);
	return wsh_open(&f->s, NULL, "/ws/contests/%lld/clarifications/?token=%s%s", f->contest, token, q);
}

/* Receives clarification messages until one with id `last` arrives; fails if it does not. */
static json_t *recv_until(struct ws_client *c, long long last)
{
	json_t *got = json_array();
	for (;;) {
		json_t *m = ws_client_recv_json(c, RECV_MS);
		ck_assert_msg(m != NULL, "no clarification %lld on the socket", last);
		ck_assert_str_eq(json_string_value(json_object_get(m, "type")), "clarification");
		long long id = json_integer_value(json_object_get(m, "id"));
		json_array_append_new(got, m);
		if (id == last)
			return got;
	}
}

/* seq strictly increases on one socket. */
static void expect_seq_order(json_t *got)
{
	for (size_t i = 1; i < json_array_size(got); i++)
		ck_assert_int_gt(int_at(got, i, "seq"), int_at(got, i - 1, "seq"));
}

static void expect_socket(struct ws_client *c, long long last, const char *want)
{
	json_t *got = recv_until(c, last);
	expect_seq_order(got);
	char ids[512];
	ids_of(got, ids, sizeof ids);
	ck_assert_msg(strcmp(ids, want) == 0, "socket delivered ids %s, want %s", ids, want);
	json_decref(got);
}

/* The current object of id in a list (borrowed from items), or NULL. */
static json_t *find(json_t *items, long long id)
{
	for (size_t i = 0; i < json_array_size(items); i++)
		if (int_at(items, i, "id") == id)
			return json_array_get(items, i);
	return NULL;
}

static bool flag(json_t *o, const char *key)
{
	return json_is_true(json_object_get(o, key));
}

/* What each viewer of the scenario must see: ids as "1,2,3". */
struct seen {
	char jury[128], team_a[128], others[128];
};

START_TEST(audiences)
{
	struct fixture f;
	setup(&f);
	struct server *s = &f.s;
	/* Live sockets of every viewer, opened before anything is said. */
	struct ws_client *jury = clar_socket(&f, f.judy, -1), *sa = clar_socket(&f, f.alice, -1),
			 *sb = clar_socket(&f, f.bob, -1), *sp = clar_socket(&f, f.carol, -1);

	json_t *q1j = clar_post(&f, f.alice, "{\"problem\": null, \"text\": \"Is the input one line?\"}");
	long long q1 = json_integer_value(json_object_get(q1j, "id"));
	ck_assert_int_eq(json_integer_value(json_object_get(q1j, "contest_id")), f.contest);
	ck_assert_int_eq(json_integer_value(json_object_get(q1j, "from_team_id")), f.team_a);
	ck_assert(json_is_null(json_object_get(q1j, "to_team_id")));
	ck_assert(json_is_false(json_object_get(q1j, "to_all")));
	ck_assert(json_is_null(json_object_get(q1j, "reply_to")));
	ck_assert(json_is_null(json_object_get(q1j, "problem")));
	ck_assert(json_is_false(json_object_get(q1j, "answered")));
	ck_assert_str_eq(json_string_value(json_object_get(q1j, "text")), "Is the input one line?");
	ck_assert_int_eq(strlen(json_string_value(json_object_get(q1j, "time"))), 20);
	ck_assert_int_gt(json_integer_value(json_object_get(q1j, "seq")), 0);
	json_decref(q1j);

	json_t *q2j = clar_post(&f, f.alice, "{\"problem\": \"A\", \"text\": \"May n be 0 in A?\"}");
	long long q2 = json_integer_value(json_object_get(q2j, "id"));
	ck_assert_str_eq(json_string_value(json_object_get(q2j, "problem")), "A");
	json_decref(q2j);

	/* The jury answers q1 to team A alone (the asker, by default), q2 to all, and announces. */
	long long r1 = clar_id(&f, f.judy, "{\"text\": \"Yes, one line.\", \"reply_to\": %lld}", q1);
	long long r2 = clar_id(&f, f.judy, "{\"text\": \"n >= 1.\", \"reply_to\": %lld, \"to\": \"all\"}", q2);
	long long a1 = clar_id(&f, f.judy, "{\"text\": \"The contest runs 10 hours.\"}");

	struct seen want;
	snprintf(want.jury, sizeof want.jury, "%lld,%lld,%lld,%lld,%lld", q1, q2, r1, r2, a1);
	snprintf(want.team_a, sizeof want.team_a, "%s", want.jury);
	snprintf(want.others, sizeof want.others, "%lld,%lld", r2, a1);

	/* REST, per viewer. */
	expect_list(&f, f.contest, f.judy, want.jury);
	expect_list(&f, f.contest, s->admin_token, want.jury);
	expect_list(&f, f.contest, f.alice, want.team_a);
	expect_list(&f, f.contest, f.bob, want.others);
	expect_list(&f, f.contest, f.carol, want.others);
	expect_list(&f, f.contest, NULL, want.others);

	json_t *items = clar_list(&f, f.contest, f.judy);
	json_t *o = find(items, r1);
	ck_assert_int_eq(json_integer_value(json_object_get(o, "to_team_id")), f.team_a);
	ck_assert(!flag(o, "to_all"));
	ck_assert_int_eq(json_integer_value(json_object_get(o, "reply_to")), q1);
	ck_assert(json_is_null(json_object_get(o, "from_team_id")));
	ck_assert_ptr_null(json_object_get(o, "answered")); /* only requests carry it */
	o = find(items, r2);
	ck_assert(flag(o, "to_all"));
	ck_assert(json_is_null(json_object_get(o, "to_team_id")));
	ck_assert_str_eq(json_string_value(json_object_get(o, "problem")), "A"); /* the question's problem */
	o = find(items, a1);
	ck_assert(flag(o, "to_all"));
	ck_assert(json_is_null(json_object_get(o, "reply_to")));
	ck_assert(flag(find(items, q1), "answered"));
	ck_assert(flag(find(items, q2), "answered"));
	json_decref(items);

	/* Pages, newest first. */
	char path[128];
	snprintf(path, sizeof path, "/api/contests/%lld/clarifications?page=2&per_page=2", f.contest);
	json_t *page = get_json(s, f.judy, path);
	json_t *pi = json_object_get(page, "items");
	ck_assert_int_eq(json_array_size(pi), 2);
	ck_assert_int_eq(int_at(pi, 0, "id"), r1);
	ck_assert_int_eq(int_at(pi, 1, "id"), q2);
	ck_assert_int_eq(json_integer_value(json_object_get(page, "total")), 5);
	ck_assert_int_eq(json_integer_value(json_object_get(page, "page")), 2);
	json_decref(page);

	/* Live, per viewer: everything up to the announcement, in seq order;
	   the jury and team A also get q1 and q2 again as answered. */
	json_t *got = recv_until(jury, a1);
	expect_seq_order(got);
	bool q1_answered = false;
	for (size_t i = 0; i < json_array_size(got); i++)
		if (int_at(got, i, "id") == q1 && flag(json_array_get(got, i), "answered"))
			q1_answered = true;
	ck_assert_msg(q1_answered, "the jury's socket never said q1 was answered");
	json_decref(got);
	expect_socket(sa, a1, want.team_a);
	expect_socket(sb, a1, want.others);
	expect_socket(sp, a1, want.others);

	/* Resume from 0: exactly what each may see. */
	struct ws_client *rb = clar_socket(&f, f.bob, 0), *ra = clar_socket(&f, f.alice, 0),
			 *rp = clar_socket(&f, f.carol, 0);
	expect_socket(rb, a1, want.others);
	expect_socket(ra, a1, want.team_a);
	expect_socket(rp, a1, want.others);
	ws_client_free(rb);
	ws_client_free(ra);
	ws_client_free(rp);

	/* A private message to team B (no request) reaches B and the jury, not A. */
	long long m1 = clar_id(&f, f.judy, "{\"text\": \"Your printer is fixed.\", \"to\": \"team\", \"team_id\": %lld}",
			       f.team_b);
	long long a2 = clar_id(&f, f.judy, "{\"text\": \"One hour left.\", \"to\": \"all\"}");
	char want_b[128], want_a[64], want_p[64];
	snprintf(want_b, sizeof want_b, "%lld,%lld", m1, a2);
	snprintf(want_a, sizeof want_a, "%lld", a2);
	snprintf(want_p, sizeof want_p, "%lld", a2);
	expect_socket(sb, a2, want_b);
	expect_socket(sa, a2, want_a);
	expect_socket(sp, a2, want_p);
	snprintf(want.others, sizeof want.others, "%lld,%lld,%lld", r2, a1, a2);
	expect_list(&f, f.contest, f.carol, want.others);
	snprintf(want_b, sizeof want_b, "%lld,%lld,%lld,%lld", r2, a1, m1, a2);
	expect_list(&f, f.contest, f.bob, want_b);
	ws_client_free(jury);
	ws_client_free(sa);
	ws_client_free(sb);
	ws_client_free(sp);

	/* After a restart: the resume is still exact, then live goes on. */
	ck_assert_int_eq(server_stop(s), 0);
	server_restart(s, NULL);
	rb = clar_socket(&f, f.bob, 0);
	ra = clar_socket(&f, f.alice, 0);
	expect_socket(rb, a2, want_b);
	char want_a_all[256];
	snprintf(want_a_all, sizeof want_a_all, "%lld,%lld,%lld,%lld,%lld,%lld", q1, q2, r1, r2, a1, a2);
	expect_socket(ra, a2, want_a_all);
	long long q3 = clar_id(&f, f.alice, "{\"problem\": \"B\", \"text\": \"Is B interactive?\"}");
	long long a3 = clar_id(&f, f.judy, "{\"text\": \"Problem B is not interactive.\"}");
	snprintf(want_a, sizeof want_a, "%lld", a3);
	expect_socket(rb, a3, want_a);
	snprintf(want_a_all, sizeof want_a_all, "%lld,%lld", q3, a3);
	expect_socket(ra, a3, want_a_all);
	ws_client_free(rb);
	ws_client_free(ra);
	server_finish(s);
}
END_TEST

/* Bad requests answer 400 naming the field (or 403/404), and store nothing. */
START_TEST(refusals)
{
	struct fixture f;
	setup(&f);
	struct server *s = &f.s;
	long long c = f.contest;
	char big[10100 + 64];
	snprintf(big, sizeof big, "{\"text\": \"%10001d\"}", 7);

	/* a team */
	expect_clar_error(&f, c, f.alice, "{}", 400, "validation");
	expect_clar_error(&f, c, f.alice, "{\"text\": \" \\n \"}", 400, "validation");
	expect_clar_error(&f, c, f.alice, "{\"text\": 5}", 400, "validation");
	expect_clar_error(&f, c, f.alice, big, 400, "validation");
	expect_clar_error(&f, c, f.alice, "{\"text\": \"?\", \"problem\": \"Z\"}", 400, "validation");
	expect_clar_error(&f, c, f.alice, "{\"text\": \"?\", \"problem\": 1}", 400, "validation");
	expect_clar_error(&f, c, f.alice, "[1]", 400, "invalid_json");
	/* ... may not write as the jury */
	expect_clar_error(&f, c, f.alice, "{\"text\": \"?\", \"to\": \"all\"}", 403, "forbidden");
	char body[256];
	snprintf(body, sizeof body, "{\"text\": \"?\", \"to\": \"team\", \"team_id\": %lld}", f.team_b);
	expect_clar_error(&f, c, f.alice, body, 403, "forbidden");
	expect_clar_error(&f, c, f.alice, "{\"text\": \"?\", \"reply_to\": 1}", 403, "forbidden");
	/* ... nor ask before the start; the public may not ask at all */
	expect_clar_error(&f, f.closed, f.alice, "{\"text\": \"?\"}", 403, "forbidden");
	expect_clar_error(&f, c, f.carol, "{\"text\": \"?\"}", 403, "forbidden");
	expect_clar_error(&f, c, NULL, "{\"text\": \"?\"}", 401, "unauthorized");

	long long q = clar_id(&f, f.alice, "{\"text\": \"A real question\"}");
	long long a = clar_id(&f, f.judy, "{\"text\": \"An announcement\"}");
	/* the jury */
	expect_clar_error(&f, c, f.judy, "{\"text\": \"!\", \"reply_to\": 999}", 400, "validation");
	snprintf(body, sizeof body, "{\"text\": \"!\", \"reply_to\": %lld}", a);
	expect_clar_error(&f, c, f.judy, body, 400, "validation"); /* not a request */
	snprintf(body, sizeof body, "{\"text\": \"!\", \"reply_to\": %lld, \"to\": \"everyone\"}", q);
	expect_clar_error(&f, c, f.judy, body, 400, "validation");
	expect_clar_error(&f, c, f.judy, "{\"text\": \"!\", \"to\": \"team\"}", 400, "validation");
	snprintf(body, sizeof body, "{\"text\": \"!\", \"to\": \"team\", \"team_id\": %lld}", f.team_x);
	expect_clar_error(&f, c, f.judy, body, 400, "validation"); /* another contest's team */
	snprintf(body, sizeof body, "{\"text\": \"!\", \"to\": \"all\", \"team_id\": %lld}", f.team_a);
	expect_clar_error(&f, c, f.judy, body, 400, "validation");
	snprintf(body, sizeof body, "{\"text\": \"!\", \"reply_to\": %lld, \"to\": \"team\", \"team_id\": %lld}", q,
		 f.team_b);
	expect_clar_error(&f, c, f.judy, body, 400, "validation"); /* a private reply goes to the asker */
	expect_clar_error(&f, c, f.judy, "{\"text\": \"!\", \"problem\": \"C\"}", 400, "validation");
	expect_clar_error(&f, c, f.judy, "{\"text\": \"\"}", 400, "validation");
	/* a request of another contest is not one to reply to here */
	long long other = 0;
	{
		char path[128];
		snprintf(path, sizeof path, "/api/contests/%lld/clarifications", f.closed);
		json_t *j = post_ok(s, f.judy, 201, path, "{\"text\": \"Closed contest news\"}");
		other = json_integer_value(json_object_get(j, "id"));
		json_decref(j);
	}
	snprintf(body, sizeof body, "{\"text\": \"!\", \"reply_to\": %lld}", other);
	expect_clar_error(&f, c, f.judy, body, 400, "validation");

	/* nothing of that was stored */
	char want[64];
	snprintf(want, sizeof want, "%lld,%lld", q, a);
	expect_list(&f, c, f.judy, want);

	/* unknown contests, and contests the caller may not see */
	expect_clar_error(&f, 999, f.judy, "{\"text\": \"!\"}", 404, "not_found");
	expect_json_error(s, "GET", "/api/contests/999/clarifications", f.judy, NULL, 404, "not_found");
	snprintf(body, sizeof body, "/api/contests/%lld/clarifications", f.closed);
	expect_json_error(s, "GET", body, f.carol, NULL, 403, "forbidden");
	expect_json_error(s, "GET", body, NULL, NULL, 401, "unauthorized");
	expect_json_error(s, "GET", "/api/contests/x/clarifications", f.judy, NULL, 400, "bad_request");
	ck_assert_int_eq(wsh_status(s, NULL, "/ws/contests/999/clarifications/?token=%s", f.judy), 404);
	ck_assert_int_eq(wsh_status(s, NULL, "/ws/contests/%lld/clarifications/?token=%s", f.closed, f.carol), 403);
	ck_assert_int_eq(wsh_status(s, NULL, "/ws/contests/%lld/clarifications/", f.contest), 401);
	ck_assert_int_eq(wsh_status(s, NULL, "/ws/contests/%lld/clarifications/?token=%s", f.closed, f.alice), 101);
	server_finish(s);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("clarifications");
	TCase *tc = tcase_create("clarifications");
	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, audiences);
	tcase_add_test(tc, refusals);
	suite_add_tcase(suite, tc);
	return test_run_suite(suite);
}
