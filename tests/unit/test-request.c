/* Unit tests for net/request.c (request heads from bytes, URL decoding,
 * cookies, the cross-site rule) and net/session.c (the session a request
 * carries, against a real database). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "common.h"
#include "db.h"
#include "request.h"
#include "session.h"
#include "util.h"

static int parse(struct request_head *h, const char *text)
{
	return request_head_parse(h, text, strlen(text));
}

/* ---- request heads ---- */

START_TEST(a_head_is_parsed)
{
	static const char text[] = "GET /ws/problems/7/submissions/?token=abc&after=12 HTTP/1.1\r\n"
				   "Host: 127.0.0.1:8100\r\n"
				   "upgrade:websocket\r\n"
				   "X-Blank:\r\n"
				   "X-Padded: \t  two words \t \r\n"
				   "\r\n"
				   "GET /next HTTP/1.1\r\n";
	struct request_head h;
	ck_assert_int_eq(parse(&h, text), 0);
	ck_assert_str_eq(h.method, "GET");
	ck_assert_str_eq(h.path, "/ws/problems/7/submissions/");
	ck_assert_str_eq(h.target, "/ws/problems/7/submissions/?token=abc&after=12");
	ck_assert_str_eq(h.version, "HTTP/1.1");
	ck_assert_uint_eq(h.length, strstr(text, "\r\n\r\n") + 4 - text);
	ck_assert_uint_eq(h.header_count, 4);
	ck_assert_str_eq(request_head_header(&h, "host"), "127.0.0.1:8100");
	ck_assert_str_eq(request_head_header(&h, "Upgrade"), "websocket");
	ck_assert_str_eq(request_head_header(&h, "X-Blank"), "");
	ck_assert_str_eq(request_head_header(&h, "x-padded"), "two words");
	ck_assert_ptr_null(request_head_header(&h, "Origin"));
	ck_assert_str_eq(request_head_arg(&h, "token"), "abc");
	ck_assert_str_eq(request_head_arg(&h, "after"), "12");
	ck_assert_ptr_null(request_head_arg(&h, "TOKEN"));
	request_head_release(&h);
}
END_TEST

START_TEST(repeated_and_odd_but_valid_headers)
{
	struct request_head h;
	ck_assert_int_eq(parse(&h, "GET / HTTP/1.0\r\nCookie: a=1\r\nCOOKIE: b=2\r\nX-Bin: caf\xc3\xa9\r\n"
				   "!#$%&'*+-.^_`|~: tchars\r\n\r\n"), 0);
	ck_assert_str_eq(h.version, "HTTP/1.0");
	ck_assert_uint_eq(request_head_count(&h, "cookie"), 2);
	ck_assert_str_eq(request_head_header(&h, "Cookie"), "a=1"); /* the first */
	ck_assert_str_eq(request_head_header(&h, "X-Bin"), "caf\xc3\xa9");
	ck_assert_str_eq(request_head_header(&h, "!#$%&'*+-.^_`|~"), "tchars");
	request_head_release(&h);
	/* no headers at all, and a method that is not GET */
	ck_assert_int_eq(parse(&h, "POST /x HTTP/1.1\r\n\r\n"), 0);
	ck_assert_str_eq(h.method, "POST");
	ck_assert_uint_eq(h.header_count, 0);
	request_head_release(&h);
}
END_TEST

START_TEST(malformed_heads_are_refused)
{
	static const char *const bad[] = {
		"\r\nGET / HTTP/1.1\r\n\r\n",                      /* no request line */
		"GET  / HTTP/1.1\r\n\r\n",                         /* two spaces */
		"GET / HTTP/1.1 \r\n\r\n",                         /* trailing space */
		"GET /a b HTTP/1.1\r\n\r\n",                       /* a space in the target */
		"GET /\r\n\r\n",                                   /* no version */
		"GET / HTTP/1.11\r\n\r\n", "GET / HTTP/x.1\r\n\r\n", "GET / http/1.1\r\n\r\n",
		"G(T / HTTP/1.1\r\n\r\n",                          /* not a token */
		"GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n",    /* obs-fold */
		"GET / HTTP/1.1\r\nHost: a\r\n\tX: y\r\n\r\n",     /* obs-fold with a colon */
		"GET / HTTP/1.1\r\nOrigin : http://evil\r\n\r\n", /* blank before the colon */
		"GET / HTTP/1.1\r\nno colon\r\n\r\n",
		"GET / HTTP/1.1\r\n: empty name\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: a\nOrigin: b\r\n\r\n",    /* bare LF */
		"GET / HTTP/1.1\r\nHost: a\rOrigin: b\r\n\r\n",    /* bare CR */
		"GET / HTTP/1.1\r\nHost: a\x01\r\n\r\n",           /* a control byte */
		"GET / HTTP/1.1\r\nHost: a\x7f\r\n\r\n",
		"GET /\x1b HTTP/1.1\r\n\r\n",
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct request_head h;
		ck_assert_msg(parse(&h, bad[i]) == REQUEST_E_MALFORMED, "accepted #%zu", i);
		ck_assert_ptr_null(h.text); /* nothing to release */
	}
	/* a NUL byte, which a C string reader would stop at */
	static const char nul[] = "GET / HTTP/1.1\r\nHost: a\0b\r\n\r\n";
	struct request_head h;
	ck_assert_int_eq(request_head_parse(&h, nul, sizeof nul - 1), REQUEST_E_MALFORMED);
}
END_TEST

START_TEST(heads_must_end_within_the_limit)
{
	struct request_head h;
	ck_assert_int_eq(parse(&h, "GET / HTTP/1.1\r\nHost: a\r\n"), REQUEST_E_INCOMPLETE);
	ck_assert_int_eq(parse(&h, "GET / HTTP/1.1\r\nHost: a\r\n\r"), REQUEST_E_INCOMPLETE);
	ck_assert_int_eq(parse(&h, ""), REQUEST_E_INCOMPLETE);
	/* exactly REQUEST_HEAD_MAX bytes with the empty line at the end: fine */
	char *big = xmalloc(2 * REQUEST_HEAD_MAX);
	const char *start = "GET / HTTP/1.1\r\nX-Pad: ";
	size_t n = strlen(start);
	memcpy(big, start, n);
	memset(big + n, 'a', REQUEST_HEAD_MAX - n - 4);
	memcpy(big + REQUEST_HEAD_MAX - 4, "\r\n\r\n", 4);
	ck_assert_int_eq(request_head_parse(&h, big, REQUEST_HEAD_MAX), 0);
	ck_assert_uint_eq(h.length, REQUEST_HEAD_MAX);
	ck_assert_uint_eq(strlen(request_head_header(&h, "X-Pad")), REQUEST_HEAD_MAX - n - 4);
	request_head_release(&h);
	/* one byte more and the head is too large, however much was read */
	memset(big + n, 'a', REQUEST_HEAD_MAX - n - 3);
	memcpy(big + REQUEST_HEAD_MAX - 3, "\r\n\r\n", 4);
	ck_assert_int_eq(request_head_parse(&h, big, REQUEST_HEAD_MAX + 1), REQUEST_E_TOO_LARGE);
	ck_assert_int_eq(request_head_parse(&h, big, REQUEST_HEAD_MAX), REQUEST_E_TOO_LARGE);
	ck_assert_int_eq(request_head_parse(&h, big, REQUEST_HEAD_MAX - 1), REQUEST_E_INCOMPLETE);
	free(big);
}
END_TEST

START_TEST(query_arguments)
{
	struct request_head h;
	ck_assert_int_eq(parse(&h, "GET /p%2Fq+r?&a=1&a=2&flag&tok%65n=x%2By+z&&e=&%00k=v&n=a%00b HTTP/1.1\r\n\r\n"),
			 0);
	ck_assert_str_eq(h.path, "/p/q+r"); /* '+' is a space only in arguments */
	ck_assert_str_eq(request_head_arg(&h, "a"), "1");
	ck_assert_ptr_null(request_head_arg(&h, "flag"));
	ck_assert_str_eq(request_head_arg(&h, "token"), "x+y z");
	ck_assert_str_eq(request_head_arg(&h, "e"), "");
	ck_assert_str_eq(request_head_arg(&h, "n"), "a"); /* %00 ends it */
	ck_assert_str_eq(request_head_arg(&h, ""), "v");
	ck_assert_uint_eq(h.arg_count, 7);
	request_head_release(&h);
	/* an argument without '=' hides a later one of the same key, as in libmicrohttpd */
	ck_assert_int_eq(parse(&h, "GET /?token&token=x HTTP/1.1\r\n\r\n"), 0);
	ck_assert_ptr_null(request_head_arg(&h, "token"));
	request_head_release(&h);
	ck_assert_int_eq(parse(&h, "GET /? HTTP/1.1\r\n\r\n"), 0);
	ck_assert_str_eq(h.path, "/");
	ck_assert_uint_eq(h.arg_count, 0);
	request_head_release(&h);
}
END_TEST

/* ---- URLs, header values, cookies, bearer tokens ---- */

START_TEST(percent_decoding)
{
	static const struct {
		const char *in, *out;
		size_t len;
	} cases[] = {
		{"%41%62%2f%2F", "Ab//", 4},
		{"a+b", "a+b", 3},
		{"%", "%", 1},
		{"%4", "%4", 2},
		{"%4g%zz%%41", "%4g%zz%A", 8},
		{"100%", "100%", 4},
		{"a%00b", "a", 3}, /* the length counts past the NUL */
		{"%e2%82%ac", "\xe2\x82\xac", 3},
		{"", "", 0},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char buf[32];
		snprintf(buf, sizeof buf, "%s", cases[i].in);
		ck_assert_uint_eq(request_url_decode(buf), cases[i].len);
		ck_assert_str_eq(buf, cases[i].out);
	}
	char buf[] = "a%00b";
	request_url_decode(buf);
	ck_assert(memcmp(buf, "a\0b", 4) == 0);
}
END_TEST

START_TEST(comma_separated_tokens)
{
	ck_assert(request_has_token("websocket", "websocket"));
	ck_assert(request_has_token("keep-alive, Upgrade", "upgrade"));
	ck_assert(request_has_token(" ,\tUpgrade\t , x", "upgrade"));
	ck_assert(!request_has_token("upgrades", "upgrade"));
	ck_assert(!request_has_token("up grade", "upgrade"));
	ck_assert(!request_has_token("", "upgrade"));
	ck_assert(!request_has_token(NULL, "upgrade"));
}
END_TEST

static const char *cookie(const char *header, const char *name)
{
	static char out[64];
	const char *v;
	size_t len;
	if (!request_cookie(header, name, &v, &len))
		return NULL;
	snprintf(out, sizeof out, "%.*s", (int)len, v);
	return out;
}

START_TEST(cookies)
{
	ck_assert_str_eq(cookie("verdict_session=abc", "verdict_session"), "abc");
	ck_assert_str_eq(cookie("theme=dark; verdict_session=abc; lang=en", "verdict_session"), "abc");
	ck_assert_str_eq(cookie("theme=dark;verdict_session=abc", "verdict_session"), "abc");
	ck_assert_str_eq(cookie("a=1;   verdict_session=abc", "verdict_session"), "abc");
	ck_assert_str_eq(cookie("verdict_session=one; verdict_session=two", "verdict_session"), "one");
	ck_assert_str_eq(cookie("verdict_session=; verdict_session=two", "verdict_session"), ""); /* the first */
	ck_assert_str_eq(cookie("flag; verdict_session=abc", "verdict_session"), "abc");
	ck_assert_str_eq(cookie("v=a=b", "v"), "a=b");
	/* values are taken as they are: quotes and blanks stay */
	ck_assert_str_eq(cookie("verdict_session=\"abc\"", "verdict_session"), "\"abc\"");
	ck_assert_str_eq(cookie("verdict_session=abc ; x=y", "verdict_session"), "abc ");
	/* ';' alone separates pairs, names are exact and case-sensitive */
	ck_assert_ptr_null(cookie("a=1, verdict_session=abc", "verdict_session"));
	ck_assert_ptr_null(cookie("verdict_session =abc", "verdict_session"));
	ck_assert_ptr_null(cookie("\tverdict_session=abc", "verdict_session"));
	ck_assert_ptr_null(cookie("Verdict_Session=abc", "verdict_session"));
	ck_assert_ptr_null(cookie("xverdict_session=abc", "verdict_session"));
	ck_assert_ptr_null(cookie("verdict_sessionx=abc", "verdict_session"));
	ck_assert_ptr_null(cookie("verdict_session", "verdict_session"));
	ck_assert_ptr_null(cookie("", "verdict_session"));
	ck_assert_ptr_null(cookie(NULL, "verdict_session"));
}
END_TEST

START_TEST(bearer_tokens)
{
	ck_assert_str_eq(request_bearer("Bearer abc"), "abc");
	ck_assert_str_eq(request_bearer("bearer abc"), "abc");
	ck_assert_str_eq(request_bearer("Bearer "), "");
	ck_assert_ptr_null(request_bearer("Bearer"));
	ck_assert_ptr_null(request_bearer("Basic YWJj"));
	ck_assert_ptr_null(request_bearer(NULL));
}
END_TEST

/* ---- the cross-site rule ---- */

START_TEST(origins_and_hosts)
{
	static const struct {
		const char *origin, *host;
		bool same;
	} cases[] = {
		{"http://127.0.0.1:8100", "127.0.0.1:8100", true},
		{"https://judge.example", "judge.example", true},
		{"HTTP://Judge.Example", "judge.example", true},
		{"http://localhost:8100", "localhost:8100", true},
		{"http://[::1]:8100", "[::1]:8100", true},
		{"http://[::1]", "[::1]", true},
		{"http://[FE80::1]:8100", "[fe80::1]:8100", true},
		{"http://127.0.0.1:1", "127.0.0.1:8100", false},
		{"http://127.0.0.1", "127.0.0.1:8100", false},
		{"http://127.0.0.1:8100", "127.0.0.1", false},
		{"http://localhost:8100", "127.0.0.1:8100", false},
		{"http://[::1]:8100", "[::2]:8100", false},
		{"http://[::1]:8100", "[::1]:8101", false},
		{"http://[::1]", "[::1]:80", false},
		/* default ports are not filled in: both headers must name the port alike */
		{"http://judge.example", "judge.example:80", false},
		{"https://judge.example:443", "judge.example", false},
		{"http://judge.example:0080", "judge.example:80", false},
		{"http://judge.example:8100x", "judge.example:8100", false},
		{"http://judge.example/", "judge.example", false},
		{"http://judge.example/", "judge.example/", false},
		{"http://evil.example", "judge.example", false},
		{"http://judge.example.evil", "judge.example", false},
		{"ftp://judge.example", "judge.example", false},
		{"ws://judge.example", "judge.example", false},
		{"judge.example", "judge.example", false},
		{"null", "judge.example", false},
		{"http://", "", false},
		{"http://judge.example", NULL, false},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		ck_assert_msg(request_same_origin(cases[i].origin, cases[i].host) == cases[i].same, "'%s' vs '%s'",
			      cases[i].origin, cases[i].host ? cases[i].host : "(none)");
}
END_TEST

START_TEST(cross_site_requests)
{
	const char *host = "127.0.0.1:8100", *mine = "http://127.0.0.1:8100";
	ck_assert(!request_cross_site(NULL, NULL, host));
	ck_assert(!request_cross_site(NULL, NULL, NULL));
	ck_assert(!request_cross_site(NULL, mine, host));
	ck_assert(!request_cross_site("same-origin", mine, host));
	ck_assert(!request_cross_site("none", NULL, host));
	ck_assert(request_cross_site(NULL, "http://evil.example", host));
	ck_assert(request_cross_site(NULL, "null", host));
	ck_assert(request_cross_site(NULL, mine, NULL));
	ck_assert(request_cross_site("same-site", NULL, host));
	ck_assert(request_cross_site("cross-site", mine, host));
	ck_assert(request_cross_site("same-origin", "http://evil.example", host));
	ck_assert(request_cross_site("", mine, host));
}
END_TEST

/* ---- sessions, against a real database ---- */

static char dir[256];
static struct db *db;
static int64_t asked_at; /* when the lookups ask: after `expired` ended */
static char token[AUTH_TOKEN_LEN + 1], other[AUTH_TOKEN_LEN + 1], expired[AUTH_TOKEN_LEN + 1];

static void session_setup(void)
{
	char data[300], *err = NULL;
	ck_assert(auth_init());
	test_tmpdir(dir, sizeof dir);
	snprintf(data, sizeof data, "%s/data", dir);
	ck_assert_int_eq(db_open(data, true, &db, &err), 0);
	int64_t alice, bob;
	ck_assert_int_eq(db_user_create(db, "alice", "x", false, &alice), 0);
	ck_assert_int_eq(db_user_create(db, "bob", "x", true, &bob), 0);
	unsigned char hash[32];
	int64_t now = now_unix();
	asked_at = now + 5000;
	auth_new_token(token, hash);
	ck_assert_int_eq(db_session_create(db, hash, alice, now + 7200), 0);
	auth_new_token(other, hash);
	ck_assert_int_eq(db_session_create(db, hash, bob, now + 7200), 0);
	auth_new_token(expired, hash);
	ck_assert_int_eq(db_session_create(db, hash, alice, now + 3600), 0);
}

static void session_teardown(void)
{
	db_close(db);
	db = NULL;
	test_rmtree(dir);
}

/* The user name of the session found, or NULL; *from_cookie as found. */
static const char *who(const char *explicit_token, const char *cookie_header, bool *from_cookie)
{
	static struct request_session s;
	int rc = session_from_request(db, explicit_token, cookie_header, asked_at, &s);
	*from_cookie = s.from_cookie;
	if (rc != 0) {
		ck_assert_int_eq(rc, DB_E_NOT_FOUND);
		ck_assert_str_eq(s.token, "");
		return NULL;
	}
	ck_assert_str_eq(s.token, explicit_token ? explicit_token : strstr(cookie_header, "=") + 1);
	return s.user.username;
}

START_TEST(sessions_from_a_token_or_the_cookie)
{
	char c[128], c2[128];
	bool from_cookie;
	snprintf(c, sizeof c, "verdict_session=%s", token);
	ck_assert_str_eq(who(token, NULL, &from_cookie), "alice");
	ck_assert(!from_cookie);
	ck_assert_str_eq(who(NULL, c, &from_cookie), "alice");
	ck_assert(from_cookie);
	/* an explicit token wins over the cookie, valid or not */
	ck_assert_str_eq(who(other, c, &from_cookie), "bob");
	ck_assert(!from_cookie);
	ck_assert_ptr_null(who("short", c, &from_cookie));
	ck_assert(!from_cookie);
	ck_assert_ptr_null(who("", c, &from_cookie));
	/* unknown, expired, malformed, absent */
	snprintf(c2, sizeof c2, "verdict_session=%s", expired);
	ck_assert_ptr_null(who(NULL, c2, &from_cookie));
	ck_assert(from_cookie);
	ck_assert_ptr_null(who(expired, NULL, &from_cookie));
	ck_assert_ptr_null(who("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL, &from_cookie));
	snprintf(c2, sizeof c2, "verdict_session=%sx", token);
	ck_assert_ptr_null(who(NULL, c2, &from_cookie));
	ck_assert(from_cookie); /* a cookie token was sent, even if it is no good */
	snprintf(c2, sizeof c2, "verdict_session=\"%s\"", token);
	ck_assert_ptr_null(who(NULL, c2, &from_cookie));
	ck_assert_ptr_null(who(NULL, "theme=dark", &from_cookie));
	ck_assert(!from_cookie);
	ck_assert_ptr_null(who(NULL, NULL, &from_cookie));
	ck_assert(!from_cookie);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("request");
	TCase *tc = tcase_create("head");
	tcase_add_test(tc, a_head_is_parsed);
	tcase_add_test(tc, repeated_and_odd_but_valid_headers);
	tcase_add_test(tc, malformed_heads_are_refused);
	tcase_add_test(tc, heads_must_end_within_the_limit);
	tcase_add_test(tc, query_arguments);
	suite_add_tcase(s, tc);
	tc = tcase_create("fields");
	tcase_add_test(tc, percent_decoding);
	tcase_add_test(tc, comma_separated_tokens);
	tcase_add_test(tc, cookies);
	tcase_add_test(tc, bearer_tokens);
	tcase_add_test(tc, origins_and_hosts);
	tcase_add_test(tc, cross_site_requests);
	suite_add_tcase(s, tc);
	tc = tcase_create("session");
	tcase_add_checked_fixture(tc, session_setup, session_teardown);
	tcase_add_test(tc, sessions_from_a_token_or_the_cookie);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
