/* Integration tests for the error cases every endpoint shares: the
 * {"error": ...} envelope, malformed JSON, unknown routes (404), wrong
 * methods (405 with Allow), wrong content types (415), bodies over the limit
 * (413, with Content-Length and chunked, never read whole), and the limit set
 * with --max-body. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

static struct server srv;

static void start(void)
{
	server_start(&srv, NULL);
}

static void stop(void)
{
	server_finish(&srv);
}

static void expect_alive(const struct server *s)
{
	struct response r;
	http_request(&r, s, "GET", "/healthz", NULL, NULL, NULL, 0, NULL);
	ck_assert_int_eq(r.status, 200);
	response_free(&r);
}

START_TEST(malformed_json)
{
	static const char *const bodies[] = {
		"", "{", "{\"slug\": }", "{'slug': 'x'}", "{\"a\": 1,}", "{} {}", "{}x", "nul", "{\"a\": 01}",
		"{\"a\": 1, \"a\": 2}",     /* duplicate keys */
		"[]", "[{}]", "null", "\"text\"", "42", "true", /* not an object */
		"{\"a\": \"\xff\xfe\"}",    /* invalid UTF-8 */
		"{\"a\": \"\\ud800\"}",     /* lone surrogate escape */
	};
	for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		struct response r;
		http_request(&r, &srv, "POST", "/api/problems", srv.admin_token, NULL, bodies[i], strlen(bodies[i]), NULL);
		ck_assert_msg(r.status == 400, "body '%s': %ld %s", bodies[i], r.status, r.body);
		expect_error(&r, 400, "invalid_json");
		response_free(&r);
	}
	/* A NUL byte in the body. */
	struct response r;
	http_request(&r, &srv, "POST", "/api/problems", srv.admin_token, NULL, "{\"a\":\0\"b\"}", 10, NULL);
	expect_error(&r, 400, "invalid_json");
	response_free(&r);
	/* Deep nesting is refused, not a stack overflow. */
	size_t depth = 200000;
	char *deep = malloc(depth + 1);
	memset(deep, '[', depth);
	deep[depth] = '\0';
	http_request(&r, &srv, "POST", "/api/problems", srv.admin_token, NULL, deep, depth, NULL);
	expect_error(&r, 400, "invalid_json");
	response_free(&r);
	free(deep);
	expect_alive(&srv);
}
END_TEST

START_TEST(unknown_routes_are_404)
{
	static const char *const calls[][2] = {
		{"GET", "/api/nope"},
		{"POST", "/api/nope"},
		{"GET", "/api"},
		{"GET", "/api/"},
		{"GET", "/api/problems/1/nope"},
		{"GET", "/api/problems/"},
		{"DELETE", "/api/users/1/sessions"},
		{"POST", "/nope"},
		{"PUT", "/"},
		{"GET", "/api/me/"},
		{"PATCH", "/api/nope"},
	};
	for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
		/* With and without a session: an endpoint that does not exist is 404 either way. */
		expect_json_error(&srv, calls[i][0], calls[i][1], srv.admin_token, NULL, 404, "not_found");
		expect_json_error(&srv, calls[i][0], calls[i][1], NULL, NULL, 404, "not_found");
	}
	/* Outside /api, GET belongs to the web UI, which has its own 404. */
	struct response r;
	http_request(&r, &srv, "GET", "/no/such/page.png", NULL, NULL, NULL, 0, NULL);
	ck_assert_int_eq(r.status, 404);
	response_free(&r);
	/* The query string does not take part in routing. */
	http_request(&r, &srv, "GET", "/api/me?x=1&y", srv.admin_token, NULL, NULL, 0, NULL);
	ck_assert_int_eq(r.status, 200);
	response_free(&r);
}
END_TEST

static void expect_405(const char *method, const char *path, const char *allow)
{
	struct response r;
	const char *body = strcmp(method, "GET") && strcmp(method, "HEAD") && strcmp(method, "DELETE") ? "{}" : NULL;
	http_request(&r, &srv, method, path, srv.admin_token, NULL, body, body ? 2 : 0, NULL);
	if (strcmp(method, "HEAD") == 0) {
		ck_assert_int_eq(r.status, 405);
	} else {
		ck_assert_msg(r.status == 405, "%s %s: %ld %s", method, path, r.status, r.body);
		expect_error(&r, 405, "method_not_allowed");
	}
	char got[128];
	ck_assert_msg(response_header(&r, "Allow", got, sizeof got), "%s %s: no Allow header", method, path);
	ck_assert_str_eq(got, allow);
	response_free(&r);
}

START_TEST(wrong_methods_are_405_with_allow)
{
	expect_405("DELETE", "/api/me", "GET");
	expect_405("POST", "/api/me", "GET");
	expect_405("GET", "/api/auth/login", "POST");
	expect_405("GET", "/api/auth/logout", "POST");
	expect_405("DELETE", "/api/problems", "GET, POST");
	expect_405("PATCH", "/api/problems/1", "GET, PUT, DELETE");
	expect_405("POST", "/api/problems/1", "GET, PUT, DELETE");
	expect_405("PUT", "/api/problems/1/submissions", "GET, POST");
	expect_405("GET", "/api/problems/1/rejudge", "POST");
	expect_405("GET", "/api/problems/import", "POST");
	expect_405("DELETE", "/api/submissions/5", "GET");
	expect_405("OPTIONS", "/api/users", "GET, POST");
	expect_405("GET", "/api/users/1", "PUT");
	expect_405("POST", "/healthz", "GET");
	expect_405("POST", "/metrics", "GET");
	/* Without a session too: the method is wrong whoever asks. */
	struct response r;
	http_request(&r, &srv, "DELETE", "/api/me", NULL, NULL, NULL, 0, NULL);
	expect_error(&r, 405, "method_not_allowed");
	response_free(&r);
	/* HEAD is GET without the body. */
	http_request(&r, &srv, "HEAD", "/api/me", srv.admin_token, NULL, NULL, 0, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_uint_eq(r.body_len, 0);
	response_free(&r);
	http_request(&r, &srv, "HEAD", "/healthz", NULL, NULL, NULL, 0, NULL);
	ck_assert_int_eq(r.status, 200);
	response_free(&r);
}
END_TEST

START_TEST(wrong_content_type_is_415)
{
	const char *body = "{\"username\": \"x\", \"password\": \"y\"}";
	static const char *const refused[] = {"text/plain", "application/x-www-form-urlencoded", "application/jsonx",
					      "application/json-patch+json", "multipart/form-data; boundary=x",
					      "application/zip", "json"};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		struct response r;
		http_request(&r, &srv, "POST", "/api/auth/login", NULL, refused[i], body, strlen(body), NULL);
		ck_assert_msg(r.status == 415, "%s: %ld", refused[i], r.status);
		expect_error(&r, 415, "unsupported_media_type");
		response_free(&r);
		http_request(&r, &srv, "POST", "/api/problems", srv.admin_token, refused[i], "{}", 2, NULL);
		expect_error(&r, 415, "unsupported_media_type");
		response_free(&r);
	}
	/* No Content-Type at all. */
	struct response r;
	http_request(&r, &srv, "PUT", "/api/users/1", srv.admin_token, "", "{}", 2, NULL);
	expect_error(&r, 415, "unsupported_media_type");
	response_free(&r);
	/* Parameters and case are fine. */
	static const char *const accepted[] = {"application/json; charset=utf-8", "Application/JSON", "application/json;charset=UTF-8"};
	for (size_t i = 0; i < sizeof accepted / sizeof accepted[0]; i++) {
		http_request(&r, &srv, "POST", "/api/auth/login", NULL, accepted[i], body, strlen(body), NULL);
		ck_assert_msg(r.status == 401, "%s: %ld %s", accepted[i], r.status, r.body);
		response_free(&r);
	}
	/* The package import takes zip, not JSON. */
	http_request(&r, &srv, "POST", "/api/problems/import", srv.admin_token, "application/json", "{}", 2, NULL);
	expect_error(&r, 415, "unsupported_media_type");
	response_free(&r);
	/* A body that no endpoint asked for is ignored, whatever its type. */
	http_request(&r, &srv, "GET", "/api/me", srv.admin_token, "text/plain", "hello", 5, NULL);
	ck_assert_int_eq(r.status, 200);
	response_free(&r);
}
END_TEST

/* Sends body_len bytes to POST /api/problems; checks the answer and how much was sent. */
static void expect_413(const struct server *s, size_t body_len, bool chunked)
{
	struct response r;
	int rc = http_stream_request(&r, s, "POST", "/api/problems", s->admin_token, NULL, body_len, chunked);
	ck_assert_msg(rc == 0, "%zu bytes%s: transfer failed (curl %d) after %.0f bytes", body_len,
		      chunked ? " chunked" : "", rc, r.uploaded);
	ck_assert_msg(r.status == 413, "%zu bytes%s: %ld %s", body_len, chunked ? " chunked" : "", r.status, r.body);
	expect_error(&r, 413, "too_large");
	/* The server stopped reading long before the end: the client could not send it all. */
	if (body_len >= (64u << 20))
		ck_assert_msg(r.uploaded < 16.0 * 1024 * 1024, "%zu bytes%s: the client sent %.0f bytes", body_len,
			      chunked ? " chunked" : "", r.uploaded);
	response_free(&r);
	expect_alive(s);
}

START_TEST(bodies_over_the_limit_are_413)
{
	size_t limit = 1024 * 1024; /* the default */
	for (int chunked = 0; chunked < 2; chunked++) {
		expect_413(&srv, limit + 1, chunked);
		expect_413(&srv, 8 * limit, chunked);
		expect_413(&srv, 64 * limit, chunked);
		/* Exactly the limit is read (and then is not JSON). */
		struct response r;
		int rc = http_stream_request(&r, &srv, "POST", "/api/problems", srv.admin_token, NULL, limit, chunked);
		ck_assert_int_eq(rc, 0);
		expect_error(&r, 400, "invalid_json");
		ck_assert(r.uploaded >= (double)limit);
		response_free(&r);
	}
	/* Without a session the answer is 401, and the body is not read either. */
	struct response r;
	int rc = http_stream_request(&r, &srv, "POST", "/api/problems", NULL, NULL, 64 * limit, false);
	ck_assert_int_eq(rc, 0);
	expect_error(&r, 401, "unauthorized");
	ck_assert(r.uploaded < 16.0 * 1024 * 1024);
	response_free(&r);
}
END_TEST

/* Any refusal on the headers of a request whose 64 MiB body is on its way:
   the client gets the answer (not a reset), and the body is not read. */
START_TEST(refusals_with_a_body_are_seen)
{
	static const struct {
		const char *method, *path, *content_type;
		bool token;
		long status;
		const char *code;
	} cases[] = {
		{"POST", "/api/problems", NULL, false, 401, "unauthorized"},
		{"POST", "/api/problems", "text/plain", true, 415, "unsupported_media_type"},
		{"POST", "/api/nope", NULL, true, 404, "not_found"},
		{"PATCH", "/api/problems/1", NULL, true, 405, "method_not_allowed"},
		{"POST", "/api/problems/x/submissions", NULL, true, 400, "bad_request"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		for (int chunked = 0; chunked < 2; chunked++) {
			struct response r;
			int rc = http_stream_request(&r, &srv, cases[i].method, cases[i].path,
						     cases[i].token ? srv.admin_token : NULL, cases[i].content_type,
						     64u << 20, chunked);
			ck_assert_msg(rc == 0, "%s %s%s: curl %d after %.0f bytes", cases[i].method, cases[i].path,
				      chunked ? " chunked" : "", rc, r.uploaded);
			expect_error(&r, cases[i].status, cases[i].code);
			ck_assert_msg(r.uploaded < 16.0 * 1024 * 1024, "%s %s: the client sent %.0f bytes", cases[i].method,
				      cases[i].path, r.uploaded);
			if (cases[i].status == 405) {
				char allow[64];
				ck_assert(response_header(&r, "Allow", allow, sizeof allow));
				ck_assert_str_eq(allow, "GET, PUT, DELETE");
			}
			response_free(&r);
		}
	expect_alive(&srv);
}
END_TEST

START_TEST(max_body_flag)
{
	struct server small;
	static const char *const args[] = {"--max-body", "2K", NULL};
	server_start(&small, args);
	expect_413(&small, 2049, false);
	expect_413(&small, 2049, true);
	expect_413(&small, 64u << 20, true);
	/* Up to 2048 bytes are fine: a valid problem of exactly that size. */
	char body[2049];
	const char *head = "{\"slug\": \"fits\", \"title\": \"T\", \"tests\": [{\"input\": \"1\", \"output\": \"1\"}], \"statement\": \"";
	size_t n = strlen(head);
	memcpy(body, head, n);
	memset(body + n, 's', 2048 - n - 2);
	memcpy(body + 2046, "\"}", 3);
	ck_assert_uint_eq(strlen(body), 2048);
	struct response r;
	http_json_request(&r, &small, "POST", "/api/problems", small.admin_token, body);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	response_free(&r);
	server_finish(&small);
}
END_TEST

START_TEST(every_error_is_an_envelope_with_headers)
{
	struct response r;
	http_request(&r, &srv, "GET", "/api/problems/424242", srv.admin_token, NULL, NULL, 0, NULL);
	expect_error(&r, 404, "not_found");
	const char *msg = json_string_value(json_object_get(json_object_get(r.json, "error"), "message"));
	ck_assert_msg(strstr(msg, "424242") != NULL, "message does not say which: %s", msg);
	char h[256];
	ck_assert(response_header(&r, "X-Content-Type-Options", h, sizeof h));
	ck_assert_str_eq(h, "nosniff");
	ck_assert(response_header(&r, "Cache-Control", h, sizeof h));
	ck_assert_str_eq(h, "no-store");
	ck_assert(response_header(&r, "Content-Security-Policy", h, sizeof h));
	ck_assert(response_header(&r, "X-Frame-Options", h, sizeof h));
	response_free(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("api-errors");
	TCase *tc = tcase_create("errors");
	tcase_add_unchecked_fixture(tc, start, stop);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, malformed_json);
	tcase_add_test(tc, unknown_routes_are_404);
	tcase_add_test(tc, wrong_methods_are_405_with_allow);
	tcase_add_test(tc, wrong_content_type_is_415);
	tcase_add_test(tc, bodies_over_the_limit_are_413);
	tcase_add_test(tc, refusals_with_a_body_are_seen);
	tcase_add_test(tc, every_error_is_an_envelope_with_headers);
	tcase_add_test(tc, max_body_flag);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
