/* The CLICS event feed on a WebSocket (/ws/contests/{key}/events/), on the
 * shared CLICS test contest (clics_fixture.h): each message is one line of
 * the HTTP feed (GET .../event-feed?stream=false) without its newline, the
 * same lines in the same order for the jury, a team and the public; live
 * changes arrive; ?since_token= resumes after a token; bad tokens are refused
 * with 400 and unknown or invisible contests with 404; a socket closes when
 * its login session ends; a user's sockets count towards --ws-max-per-user;
 * the public never sees a judgement frozen until the thaw; the finalize ends
 * the feed with the end_of_updates line and a normal close. One server for
 * the file; the tests run in order on the same contest, through its phases. */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clics_fixture.h"
#include "common.h"
#include "ws_client.h"
#include "ws_helpers.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#define KEY CLICS_FIXTURE_KEY
#define WA_SOURCE "#include <stdio.h>\\nint main(void){printf(\\\"0\\\\n\\\");return 0;}\\n"
#define WAIT_MS 30000 /* for a message that must come: generous, never a timing assertion */
#define CLOSE_NORMAL 1000
#define SESSION_ENDED 4401
#define MAX_PER_USER 8 /* --ws-max-per-user */
#define MAX_PER_USER_S "8"

static struct server srv;
static struct clics_fixture fx;

/* The viewers: the jury, a team, the public (no session). */
static const char *const viewers[] = {fx.judy_token, fx.one_token, NULL};
static const char *const viewer_names[] = {"jury", "team", "public"};

static long long submit(const char *token, const char *source, bool wait)
{
	char path[128], body[512];
	snprintf(path, sizeof path, "/api/contests/%lld/problems/A/submissions", fx.contest);
	snprintf(body, sizeof body, "{\"language\": \"c\", \"source\": \"%s\"}", source);
	struct response r;
	http_json_request(&r, &srv, "POST", path, token, body);
	ck_assert_msg(r.status == 201, "submit: %ld %s", r.status, r.body);
	long long id = json_integer_value(json_object_get(r.json, "id"));
	response_free(&r);
	if (wait)
		ck_assert(wait_done(&srv, &id, 1, 60));
	return id;
}

static void announce(const char *text)
{
	char path[128], body[256];
	snprintf(path, sizeof path, "/api/contests/%lld/clarifications", fx.contest);
	snprintf(body, sizeof body, "{\"text\": \"%s\"}", text);
	struct response r;
	http_json_request(&r, &srv, "POST", path, srv.admin_token, body);
	ck_assert_msg(r.status == 201, "clarification: %ld %s", r.status, r.body);
	response_free(&r);
}

/* A contest that is not public. */
static long long create_hidden_contest(const char *shortname)
{
	char body[512];
	snprintf(body, sizeof body,
		 "{\"shortname\": \"%s\", \"name\": \"WS %s\", \"duration_s\": 3600, \"public\": false,"
		 " \"problems\": [{\"problem_id\": %lld, \"label\": \"A\", \"color\": \"#e53935\"}]}",
		 shortname, shortname, fx.problem);
	json_t *c = http_call(&srv, "POST", srv.admin_token, 201, body, "/api/contests");
	long long id = json_integer_value(json_object_get(c, "id"));
	json_decref(c);
	return id;
}

static void start(void)
{
	server_start(&srv, (const char *const[]){"--ws-max-per-user", MAX_PER_USER_S, NULL});
	clics_fixture_build(&fx, &srv, CLICS_PHASE_RUNNING);
}

static void stop(void)
{
	server_finish(&srv);
}

/* The lines of the HTTP feed as token's user (NULL: the public) after since
   (NULL: from the beginning), of contest key: an array of strings. */
static json_t *http_lines(const char *key, const char *token, const char *since)
{
	char path[256];
	snprintf(path, sizeof path, "/api/clics/contests/%s/event-feed?stream=false%s%s", key,
		 since ? "&since_token=" : "", since ? since : "");
	struct response r;
	http_request(&r, &srv, "GET", path, token, NULL, NULL, 0, NULL);
	ck_assert_msg(r.status == 200, "GET %s: %ld %s", path, r.status, r.body);
	json_t *lines = json_array();
	for (char *p = r.body; p && p < r.body + r.body_len;) {
		char *nl = memchr(p, '\n', (size_t)(r.body + r.body_len - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(r.body + r.body_len - p);
		if (len)
			json_array_append_new(lines, json_stringn(p, len));
		p = nl ? nl + 1 : NULL;
	}
	response_free(&r);
	return lines;
}

/* The event feed socket of contest key as token's user (by cookie, like a
   browser; NULL: anonymous), after since (NULL: from the beginning). */
static struct ws_client *ws_open(const char *key, const char *token, const char *since)
{
	char cookie[128];
	snprintf(cookie, sizeof cookie, "verdict_session=%s", token ? token : "");
	struct ws_client_opts o = {.cookie = token ? cookie : NULL};
	return wsh_open(&srv, &o, "/ws/contests/%s/events/%s%s", key, since ? "?since_token=" : "", since ? since : "");
}

/* The handshake's status (101: it upgraded) for the path as token's user (by cookie; NULL: anonymous). */
static int ws_refusal(const char *token, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int ws_refusal(const char *token, const char *fmt, ...)
{
	char cookie[128], path[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(path, sizeof path, fmt, ap);
	va_end(ap);
	snprintf(cookie, sizeof cookie, "verdict_session=%s", token ? token : "");
	struct ws_client_opts o = {.cookie = token ? cookie : NULL};
	return wsh_status(&srv, &o, "%s", path);
}

/* The next n messages (each must come within WAIT_MS): an array of strings. */
static json_t *ws_take(struct ws_client *c, size_t n)
{
	json_t *got = json_array();
	while (json_array_size(got) < n) {
		char *m = ws_client_recv(c, WAIT_MS);
		ck_assert_msg(m != NULL, "got %zu messages of %zu (log %s)", json_array_size(got), n, srv.log);
		json_array_append_new(got, json_string(m));
		free(m);
	}
	return got;
}

static void expect_same(json_t *want, json_t *got, const char *who)
{
	ck_assert_uint_eq(json_array_size(got), json_array_size(want));
	for (size_t i = 0; i < json_array_size(want); i++) {
		const char *w = json_string_value(json_array_get(want, i)), *g = json_string_value(json_array_get(got, i));
		ck_assert_msg(strcmp(w, g) == 0, "%s: message %zu differs from the HTTP feed's line:\n  ws:   %s\n  http: %s",
			      who, i, g, w);
	}
}

/* A message as JSON (decref). */
static json_t *parse(const char *line)
{
	json_t *j = json_loads(line, 0, NULL);
	ck_assert_msg(json_is_object(j), "not a JSON object: %s", line);
	return j;
}

static const char *field(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : "";
}

/* The token of the last line that has one (static buffer), or NULL. */
static const char *last_token(json_t *lines)
{
	static char out[32];
	for (size_t i = json_array_size(lines); i-- > 0;) {
		json_t *o = parse(json_string_value(json_array_get(lines, i)));
		bool has = json_is_string(json_object_get(o, "token"));
		if (has)
			snprintf(out, sizeof out, "%s", field(o, "token"));
		json_decref(o);
		if (has)
			return out;
	}
	return NULL;
}

/* Whether a line is of submission `id`'s judgement or runs (judgement ids are submission ids). */
static bool of_judgement(json_t *o, long long id)
{
	char sid[24];
	snprintf(sid, sizeof sid, "%lld", id);
	json_t *data = json_object_get(o, "data");
	if (strcmp(field(o, "type"), "judgements") == 0)
		return strcmp(field(o, "id"), sid) == 0 || strcmp(field(data, "submission_id"), sid) == 0;
	if (strcmp(field(o, "type"), "runs") == 0)
		return strcmp(field(data, "judgement_id"), sid) == 0;
	return false;
}

/* Reads messages until one matches (type, and data's key equal to value, or
   its judgement_type_id set for "judgements" when key is NULL); returns it
   as JSON (decref). *seen_frozen (may be NULL) is set if a line of
   judgement `frozen` went by. Fails after WAIT_MS without it. */
static json_t *ws_until(struct ws_client *c, const char *type, const char *key, const char *value, long long frozen,
			bool *seen_frozen)
{
	for (int64_t t0 = mono_ms(); mono_ms() - t0 < WAIT_MS;) {
		char *m = ws_client_recv(c, 1000);
		if (!m)
			continue;
		json_t *o = parse(m);
		free(m);
		if (seen_frozen && of_judgement(o, frozen))
			*seen_frozen = true;
		json_t *data = json_object_get(o, "data");
		bool match = strcmp(field(o, "type"), type) == 0 &&
			     (key ? strcmp(field(data, key), value) == 0
				  : strcmp(field(data, "submission_id"), value) == 0 &&
					    json_is_string(json_object_get(data, "judgement_type_id")));
		if (match)
			return o;
		json_decref(o);
	}
	ck_abort_msg("no %s line with %s = %s within %d ms (log %s)", type, key ? key : "submission_id", value, WAIT_MS,
		     srv.log);
	return NULL;
}

START_TEST(same_lines_as_the_http_feed)
{
	for (size_t v = 0; v < ARRAY_SIZE(viewers); v++) {
		json_t *want = http_lines(KEY, viewers[v], NULL);
		ck_assert_msg(json_array_size(want) > 5, "%s: the HTTP feed has %zu lines", viewer_names[v],
			      json_array_size(want));
		struct ws_client *c = ws_open(KEY, viewers[v], NULL);
		json_t *got = ws_take(c, json_array_size(want));
		expect_same(want, got, viewer_names[v]);
		json_decref(got);
		json_decref(want);
		ws_client_free(c);
	}
	/* the contest's numeric id names it too */
	json_t *want = http_lines(KEY, fx.judy_token, NULL);
	char id[24];
	snprintf(id, sizeof id, "%lld", fx.contest);
	struct ws_client *c = ws_open(id, fx.judy_token, NULL);
	json_t *got = ws_take(c, json_array_size(want));
	expect_same(want, got, "jury by id");
	json_decref(got);
	json_decref(want);
	ws_client_free(c);
}
END_TEST

START_TEST(a_live_change_arrives)
{
	struct ws_client *jury = ws_open(KEY, fx.judy_token, NULL), *team = ws_open(KEY, fx.one_token, NULL);
	json_t *a = http_lines(KEY, fx.judy_token, NULL), *b = http_lines(KEY, fx.one_token, NULL);
	json_decref(ws_take(jury, json_array_size(a)));
	json_decref(ws_take(team, json_array_size(b)));
	json_decref(a);
	json_decref(b);
	long long id = submit(fx.two_token, WA_SOURCE, false);
	char sid[24];
	snprintf(sid, sizeof sid, "%lld", id);
	/* its submission, then its judgement with a verdict */
	json_decref(ws_until(jury, "submissions", "id", sid, 0, NULL));
	json_t *j = ws_until(jury, "judgements", NULL, sid, 0, NULL);
	ck_assert_str_eq(field(json_object_get(j, "data"), "judgement_type_id"), "WA");
	json_decref(j);
	json_decref(ws_until(team, "submissions", "id", sid, 0, NULL));
	announce("A live fx.one_token.");
	json_decref(ws_until(team, "clarifications", "text", "A live fx.one_token.", 0, NULL));
	ws_client_free(jury);
	ws_client_free(team);
}
END_TEST

START_TEST(resume_after_a_token)
{
	for (size_t v = 0; v < ARRAY_SIZE(viewers); v++) {
		json_t *before = http_lines(KEY, viewers[v], NULL);
		char since[32];
		snprintf(since, sizeof since, "%s", last_token(before));
		json_decref(before);
		char text[64];
		snprintf(text, sizeof text, "After the token, %zu.", v);
		announce(text);
		json_t *want = http_lines(KEY, viewers[v], since);
		ck_assert_msg(json_array_size(want) >= 1, "%s: nothing after token %s", viewer_names[v], since);
		struct ws_client *c = ws_open(KEY, viewers[v], since);
		json_t *got = ws_take(c, json_array_size(want));
		expect_same(want, got, viewer_names[v]);
		/* only what came after the token, and the announcement among it */
		bool found = false;
		for (size_t i = 0; i < json_array_size(got); i++) {
			json_t *o = parse(json_string_value(json_array_get(got, i)));
			if (json_is_string(json_object_get(o, "token")))
				ck_assert_int_gt(atoll(field(o, "token")), atoll(since));
			found |= strcmp(field(json_object_get(o, "data"), "text"), text) == 0;
			json_decref(o);
		}
		ck_assert_msg(found, "%s: the announcement after token %s is missing", viewer_names[v], since);
		json_decref(got);
		json_decref(want);
		ws_client_free(c);
	}
}
END_TEST

START_TEST(refusals)
{
#define TOKEN_PATH "/ws/contests/" KEY "/events/?since_token=%s"
	ck_assert_int_eq(ws_refusal(fx.judy_token, TOKEN_PATH, "abc"), 400);
	ck_assert_int_eq(ws_refusal(NULL, TOKEN_PATH, "-1"), 400);
	ck_assert_int_eq(ws_refusal(fx.one_token, TOKEN_PATH, "99999999999"), 400); /* not a token yet */
	ck_assert_int_eq(ws_refusal(fx.judy_token, TOKEN_PATH, ""), 400);
	ck_assert_int_eq(ws_refusal(fx.judy_token, TOKEN_PATH, "0"), 101);
	ck_assert_int_eq(ws_refusal(fx.judy_token, "/ws/contests/%s/events/", "nosuch"), 404);
	ck_assert_int_eq(ws_refusal(NULL, "/ws/contests/%s/events/", "nosuch"), 404);
	ck_assert_int_eq(ws_refusal(fx.judy_token, "/ws/contests/%s/events/", "999999"), 404);
	/* a contest that is not public: 404 for the public and for a team not in it; the jury sees it */
	long long hidden = create_hidden_contest("wshidden");
	ck_assert_int_eq(ws_refusal(NULL, "/ws/contests/%s/events/", "wshidden"), 404);
	ck_assert_int_eq(ws_refusal(fx.one_token, "/ws/contests/%s/events/", "wshidden"), 404);
	ck_assert_int_eq(ws_refusal(fx.judy_token, "/ws/contests/%s/events/", "wshidden"), 101);
	char id[24];
	snprintf(id, sizeof id, "%lld", hidden);
	ck_assert_int_eq(ws_refusal(fx.one_token, "/ws/contests/%s/events/", id), 404);
	ck_assert_int_eq(ws_refusal(fx.judy_token, "/ws/contests/%s/events/", id), 101);
	/* a token that is no session is refused, even where anonymous readers are welcome */
	ck_assert_int_eq(wsh_status(&srv, NULL, "/ws/contests/" KEY "/events/?token=not-a-session"), 401);
	/* the error as an HTTP answer to a plain GET */
	struct response r;
	http_request(&r, &srv, "GET", "/ws/contests/" KEY "/events/?since_token=abc", NULL, NULL, NULL, 0, NULL);
	expect_error(&r, 400, "bad_request");
	response_free(&r);
	http_request(&r, &srv, "GET", "/ws/contests/nosuch/events/", NULL, NULL, NULL, 0, NULL);
	expect_error(&r, 404, "not_found");
	response_free(&r);
}
END_TEST

START_TEST(the_public_sees_no_frozen_judgement)
{
	struct ws_client *pub = ws_open(KEY, NULL, NULL), *jury = ws_open(KEY, fx.judy_token, NULL);
	json_t *a = http_lines(KEY, NULL, NULL), *b = http_lines(KEY, fx.judy_token, NULL);
	json_decref(ws_take(pub, json_array_size(a)));
	json_decref(ws_take(jury, json_array_size(b)));
	json_decref(a);
	json_decref(b);
	clics_fixture_advance(&fx, CLICS_PHASE_FROZEN); /* the freeze, then an AC of z2, judged */
	long long frozen = fx.sub_frozen;
	char sid[24];
	snprintf(sid, sizeof sid, "%lld", frozen);
	json_t *j = ws_until(jury, "judgements", NULL, sid, 0, NULL);
	ck_assert_str_eq(field(json_object_get(j, "data"), "judgement_type_id"), "AC");
	json_decref(j);
	/* A change after the judgement: once the public has it, it has had
	   everything before it (the feed keeps the log's order). */
	announce("Barrier.");
	bool seen = false;
	json_decref(ws_until(pub, "clarifications", "text", "Barrier.", frozen, &seen));
	ck_assert_msg(!seen, "the public got a line of judgement %lld during the freeze", frozen);
	/* nor does a public reader from the beginning */
	struct ws_client *late = ws_open(KEY, NULL, NULL);
	json_decref(ws_until(late, "clarifications", "text", "Barrier.", frozen, &seen));
	ck_assert_msg(!seen, "a new public reader got a line of judgement %lld during the freeze", frozen);
	ws_client_free(late);
	/* the end does not show it; the thaw does */
	clics_fixture_advance(&fx, CLICS_PHASE_ENDED_FROZEN);
	announce("Ended.");
	json_decref(ws_until(pub, "clarifications", "text", "Ended.", frozen, &seen));
	ck_assert_msg(!seen, "the public got a line of judgement %lld before the thaw", frozen);
	clics_fixture_advance(&fx, CLICS_PHASE_THAWED);
	j = ws_until(pub, "judgements", NULL, sid, 0, NULL);
	ck_assert_str_eq(field(json_object_get(j, "data"), "judgement_type_id"), "AC");
	json_decref(j);
	ws_client_free(pub);
	ws_client_free(jury);
}
END_TEST

/* Reads until the server closes c; the messages (strings) and the close code. */
static json_t *ws_until_closed(struct ws_client *c, int *code)
{
	json_t *got = json_array();
	for (int64_t t0 = mono_ms(); !ws_client_closed(c, code) && mono_ms() - t0 < WAIT_MS;) {
		char *m = ws_client_recv(c, 1000);
		if (m)
			json_array_append_new(got, json_string(m));
		free(m);
	}
	char *m;
	while ((m = ws_client_recv(c, 0))) {
		json_array_append_new(got, json_string(m));
		free(m);
	}
	ck_assert_msg(ws_client_closed(c, code), "the feed did not close (log %s)", srv.log);
	return got;
}

static bool is_end_of_updates(const char *line)
{
	json_t *o = parse(line);
	bool end = strcmp(field(o, "type"), "state") == 0 &&
		   json_is_string(json_object_get(json_object_get(o, "data"), "end_of_updates"));
	json_decref(o);
	return end;
}

START_TEST(a_socket_ends_with_its_session)
{
	char token[64];
	ck_assert_int_eq(test_login(&srv, "t_two", "t-two-pass", token, sizeof token), 200);
	struct ws_client *c = ws_open(KEY, token, NULL);
	char *first = ws_client_recv(c, WAIT_MS); /* open and sending */
	ck_assert_ptr_nonnull(first);
	free(first);
	wsh_post(&srv, token, 204, "/api/auth/logout");
	int code = 0;
	json_decref(ws_until_closed(c, &code));
	ck_assert_int_eq(code, SESSION_ENDED);
	ws_client_free(c);
}
END_TEST

/* The sockets it frees count until the server has seen them close: no socket of t_two after it. */
START_TEST(the_per_user_limit)
{
	struct ws_client *c[MAX_PER_USER];
	for (int i = 0; i < MAX_PER_USER; i++)
		c[i] = ws_open(KEY, fx.two_token, NULL);
	ck_assert_int_eq(ws_refusal(fx.two_token, "/ws/contests/%s/events/", KEY), 429);
	/* the public has no such limit */
	struct ws_client *anon[MAX_PER_USER + 1];
	for (int i = 0; i <= MAX_PER_USER; i++)
		anon[i] = ws_open(KEY, NULL, NULL);
	for (int i = 0; i < MAX_PER_USER; i++)
		ws_client_free(c[i]);
	for (int i = 0; i <= MAX_PER_USER; i++)
		ws_client_free(anon[i]);
}
END_TEST

START_TEST(the_feed_ends_at_end_of_updates)
{
	struct ws_client *live = ws_open(KEY, fx.judy_token, NULL);
	json_t *before = http_lines(KEY, fx.judy_token, NULL);
	json_decref(ws_take(live, json_array_size(before)));
	json_decref(before);
	/* The test before moved the contest on to the thaw, in its own process (Check forks each test). */
	fx.phase = CLICS_PHASE_THAWED;
	clics_fixture_advance(&fx, CLICS_PHASE_FINALIZED);
	int code = 0;
	json_t *got = ws_until_closed(live, &code);
	ck_assert_int_eq(code, CLOSE_NORMAL);
	ck_assert_uint_ge(json_array_size(got), 1);
	ck_assert(is_end_of_updates(json_string_value(json_array_get(got, json_array_size(got) - 1))));
	json_decref(got);
	ws_client_free(live);
	/* a reader from the beginning gets the whole feed, then the close */
	for (size_t v = 0; v < ARRAY_SIZE(viewers); v++) {
		json_t *want = http_lines(KEY, viewers[v], NULL);
		struct ws_client *c = ws_open(KEY, viewers[v], NULL);
		got = ws_until_closed(c, &code);
		ck_assert_int_eq(code, CLOSE_NORMAL);
		expect_same(want, got, viewer_names[v]);
		ck_assert(is_end_of_updates(json_string_value(json_array_get(got, json_array_size(got) - 1))));
		json_decref(got);
		json_decref(want);
		ws_client_free(c);
	}
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("ws-events");
	TCase *tc = tcase_create("ws-events");
	tcase_add_unchecked_fixture(tc, start, stop);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, same_lines_as_the_http_feed);
	tcase_add_test(tc, a_live_change_arrives);
	tcase_add_test(tc, resume_after_a_token);
	tcase_add_test(tc, refusals);
	tcase_add_test(tc, a_socket_ends_with_its_session);
	tcase_add_test(tc, the_per_user_limit);
	tcase_add_test(tc, the_public_sees_no_frozen_judgement);
	tcase_add_test(tc, the_feed_ends_at_end_of_updates);
	suite_add_tcase(suite, tc);
	return test_run_suite(suite);
}
