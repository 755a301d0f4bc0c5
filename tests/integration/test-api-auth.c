/* Integration tests for authentication and users: login, bearer tokens and
 * the session cookie, logout, /api/me, cross-site protection, 401/403 on
 * every endpoint, and the admin's user management. One server for the file. */
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

/* GET /api/me with optional bearer token and cookie; returns the status and the username in name. */
static long me(const char *token, const char *cookie, char *name, size_t size)
{
	char header[256];
	const char *extra[2] = {NULL, NULL};
	if (cookie) {
		snprintf(header, sizeof header, "Cookie: verdict_session=%s", cookie);
		extra[0] = header;
	}
	struct response r;
	http_request(&r, &srv, "GET", "/api/me", token, NULL, NULL, 0, extra);
	long status = r.status;
	if (name) {
		const char *u = json_string_value(json_object_get(r.json, "username"));
		snprintf(name, size, "%s", u ? u : "");
	}
	if (status != 200)
		expect_error(&r, status, "unauthorized");
	response_free(&r);
	return status;
}

START_TEST(login_answers_token_user_and_cookie)
{
	long long id = test_create_user(&srv, "login_ok", false, NULL, 0);
	struct response r;
	http_json_request(&r, &srv, "POST", "/api/auth/login", NULL,
			  "{\"username\": \"login_ok\", \"password\": \"login_ok-password\"}");
	ck_assert_int_eq(r.status, 200);
	const char *token = json_string_value(json_object_get(r.json, "token"));
	ck_assert_ptr_nonnull(token);
	ck_assert_uint_eq(strlen(token), 43);
	json_t *user = json_object_get(r.json, "user");
	ck_assert_int_eq(json_integer_value(json_object_get(user, "id")), id);
	ck_assert_str_eq(json_string_value(json_object_get(user, "username")), "login_ok");
	ck_assert_str_eq(json_string_value(json_object_get(user, "role")), "user");
	ck_assert_ptr_null(strstr(r.body, "password"));
	ck_assert_ptr_null(strstr(r.body, "argon2"));
	char cookie[512];
	ck_assert(response_header(&r, "Set-Cookie", cookie, sizeof cookie));
	char want[128];
	snprintf(want, sizeof want, "verdict_session=%s;", token);
	ck_assert_msg(strncmp(cookie, want, strlen(want)) == 0, "cookie: %s", cookie);
	ck_assert_msg(strstr(cookie, "; HttpOnly") != NULL, "cookie: %s", cookie);
	ck_assert_msg(strstr(cookie, "; SameSite=Strict") != NULL, "cookie: %s", cookie);
	ck_assert_msg(strstr(cookie, "; Path=/") != NULL, "cookie: %s", cookie);
	ck_assert_msg(strstr(cookie, "; Max-Age=604800") != NULL, "cookie: %s", cookie);
	char name[64];
	ck_assert_int_eq(me(token, NULL, name, sizeof name), 200);
	ck_assert_str_eq(name, "login_ok");
	/* Each login is a new session with a new token. */
	char second[64];
	ck_assert_int_eq(test_login(&srv, "login_ok", "login_ok-password", second, sizeof second), 200);
	ck_assert_str_ne(second, token);
	response_free(&r);
}
END_TEST

START_TEST(login_refusals)
{
	test_create_user(&srv, "login_bad", false, NULL, 0);
	struct response wrong, unknown;
	http_json_request(&wrong, &srv, "POST", "/api/auth/login", NULL,
			  "{\"username\": \"login_bad\", \"password\": \"not-the-password\"}");
	expect_error(&wrong, 401, "unauthorized");
	ck_assert(!response_header(&wrong, "Set-Cookie", (char[8]){0}, 8));
	http_json_request(&unknown, &srv, "POST", "/api/auth/login", NULL,
			  "{\"username\": \"nobody_here\", \"password\": \"not-the-password\"}");
	expect_error(&unknown, 401, "unauthorized");
	/* An unknown name and a wrong password look the same. */
	ck_assert_str_eq(wrong.body, unknown.body);
	response_free(&wrong);
	response_free(&unknown);
	/* Usernames are case-sensitive. */
	expect_json_error(&srv, "POST", "/api/auth/login", NULL,
			  "{\"username\": \"LOGIN_BAD\", \"password\": \"login_bad-password\"}", 401, "unauthorized");
	static const char *const invalid[] = {
		"{\"password\": \"x\"}",
		"{\"username\": \"login_bad\"}",
		"{\"username\": 5, \"password\": \"login_bad-password\"}",
		"{\"username\": \"login_bad\", \"password\": null}",
		"{\"username\": [\"login_bad\"], \"password\": \"login_bad-password\"}",
		"{}",
	};
	for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++)
		expect_json_error(&srv, "POST", "/api/auth/login", NULL, invalid[i], 400, "validation");
	expect_json_error(&srv, "POST", "/api/auth/login", NULL, "{\"username\": ", 400, "invalid_json");
}
END_TEST

/* The throttle counts by name and address, never by name alone. */
START_TEST(repeated_failed_logins_are_throttled_per_name_and_address)
{
	test_create_user(&srv, "victim", false, NULL, 0);
	test_create_user(&srv, "bystander", false, NULL, 0);
	/* Ten failures are answered as failures... */
	for (int i = 0; i < 10; i++)
		expect_json_error(&srv, "POST", "/api/auth/login", NULL,
				  "{\"username\": \"victim\", \"password\": \"guess-guess\"}", 401, "unauthorized");
	/* ...then the name is refused from this address for a while, even with the right password... */
	expect_json_error(&srv, "POST", "/api/auth/login", NULL,
			  "{\"username\": \"victim\", \"password\": \"victim-password\"}", 429, "rate_limited");
	/* ...but not from another address. */
	char token[64];
	http_set_source("127.0.0.2");
	ck_assert_int_eq(test_login(&srv, "victim", "victim-password", token, sizeof token), 200);
	http_set_source(NULL);
	/* Another name is not affected, and a success clears its own count. */
	ck_assert_int_eq(test_login(&srv, "bystander", "bystander-password", token, sizeof token), 200);
}
END_TEST

START_TEST(bearer_and_cookie)
{
	char user_token[64];
	test_create_user(&srv, "cookie_user", false, user_token, sizeof user_token);
	char name[64];
	ck_assert_int_eq(me(NULL, user_token, name, sizeof name), 200);
	ck_assert_str_eq(name, "cookie_user");
	/* Where both are sent, the token wins: over a valid cookie of another user... */
	ck_assert_int_eq(me(srv.admin_token, user_token, name, sizeof name), 200);
	ck_assert_str_eq(name, "admin");
	/* ...and also when the token is not valid. */
	char bogus[44];
	memset(bogus, 'A', 43);
	bogus[43] = '\0';
	ck_assert_int_eq(me(bogus, user_token, NULL, 0), 401);
	/* Neither, or garbage. */
	ck_assert_int_eq(me(NULL, NULL, NULL, 0), 401);
	ck_assert_int_eq(me(bogus, NULL, NULL, 0), 401);
	ck_assert_int_eq(me(NULL, bogus, NULL, 0), 401);
	ck_assert_int_eq(me("short", NULL, NULL, 0), 401);
	char longer[80];
	snprintf(longer, sizeof longer, "%sX", user_token);
	ck_assert_int_eq(me(longer, NULL, NULL, 0), 401);
	/* The scheme name is case-insensitive (RFC 7235); other schemes are not sessions. */
	char header[128];
	snprintf(header, sizeof header, "Authorization: bearer %s", user_token);
	const char *lower[] = {header, NULL};
	struct response r;
	http_request(&r, &srv, "GET", "/api/me", NULL, NULL, NULL, 0, lower);
	ck_assert_int_eq(r.status, 200);
	response_free(&r);
	snprintf(header, sizeof header, "Authorization: Basic %s", user_token);
	const char *basic[] = {header, NULL};
	http_request(&r, &srv, "GET", "/api/me", NULL, NULL, NULL, 0, basic);
	expect_error(&r, 401, "unauthorized");
	response_free(&r);
}
END_TEST

START_TEST(me_shows_the_role)
{
	char token[64];
	long long id = test_create_user(&srv, "me_admin", true, token, sizeof token);
	struct response r;
	http_json_request(&r, &srv, "GET", "/api/me", token, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(json_integer_value(json_object_get(r.json, "id")), id);
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "username")), "me_admin");
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "role")), "admin");
	char ct[64];
	ck_assert(response_header(&r, "Content-Type", ct, sizeof ct));
	ck_assert_str_eq(ct, "application/json");
	char cache[64];
	ck_assert(response_header(&r, "Cache-Control", cache, sizeof cache));
	ck_assert_str_eq(cache, "no-store");
	response_free(&r);
}
END_TEST

START_TEST(logout_ends_only_that_session)
{
	char t1[64], t2[64];
	test_create_user(&srv, "logout_user", false, t1, sizeof t1);
	ck_assert_int_eq(test_login(&srv, "logout_user", "logout_user-password", t2, sizeof t2), 200);
	struct response r;
	http_request(&r, &srv, "POST", "/api/auth/logout", t1, NULL, NULL, 0, NULL);
	ck_assert_int_eq(r.status, 204);
	ck_assert_uint_eq(r.body_len, 0);
	char cookie[256];
	ck_assert(response_header(&r, "Set-Cookie", cookie, sizeof cookie));
	ck_assert_msg(strncmp(cookie, "verdict_session=;", 17) == 0 && strstr(cookie, "Max-Age=0"), "cookie: %s",
		      cookie);
	response_free(&r);
	ck_assert_int_eq(me(t1, NULL, NULL, 0), 401);
	ck_assert_int_eq(me(NULL, t1, NULL, 0), 401);
	ck_assert_int_eq(me(t2, NULL, NULL, 0), 200);
	/* Logging out twice, or without a session: 401. */
	http_request(&r, &srv, "POST", "/api/auth/logout", t1, NULL, NULL, 0, NULL);
	expect_error(&r, 401, "unauthorized");
	response_free(&r);
	/* The cookie logs out too (a same-origin request from the web UI). */
	char header[128];
	snprintf(header, sizeof header, "Cookie: verdict_session=%s", t2);
	const char *extra[] = {header, NULL};
	http_request(&r, &srv, "POST", "/api/auth/logout", NULL, NULL, NULL, 0, extra);
	ck_assert_int_eq(r.status, 204);
	response_free(&r);
	ck_assert_int_eq(me(t2, NULL, NULL, 0), 401);
}
END_TEST

/* POST /api/problems/999999/submissions: 404 when let through, 403 when refused as cross-site. */
static long post_with(const char *token, const char *cookie, const char *h1, const char *h2)
{
	char header[128];
	const char *extra[4] = {NULL, NULL, NULL, NULL};
	int n = 0;
	if (cookie) {
		snprintf(header, sizeof header, "Cookie: verdict_session=%s", cookie);
		extra[n++] = header;
	}
	if (h1)
		extra[n++] = h1;
	if (h2)
		extra[n++] = h2;
	const char *body = "{\"language\": \"c\", \"source\": \"int main(void) { return 0; }\"}";
	struct response r;
	http_request(&r, &srv, "POST", "/api/problems/999999/submissions", token, NULL, body, strlen(body), extra);
	long status = r.status;
	expect_error(&r, status, status == 403 ? "forbidden" : "not_found");
	response_free(&r);
	return status;
}

START_TEST(cross_site_cookie_posts_are_refused)
{
	char token[64];
	test_create_user(&srv, "csrf_user", false, token, sizeof token);
	char same_origin[96];
	snprintf(same_origin, sizeof same_origin, "Origin: http://127.0.0.1:%d", srv.port);
	ck_assert_int_eq(post_with(NULL, token, NULL, NULL), 404);
	ck_assert_int_eq(post_with(NULL, token, same_origin, NULL), 404);
	ck_assert_int_eq(post_with(NULL, token, same_origin, "Sec-Fetch-Site: same-origin"), 404);
	ck_assert_int_eq(post_with(NULL, token, "Sec-Fetch-Site: none", NULL), 404);
	ck_assert_int_eq(post_with(NULL, token, "Origin: http://evil.example", NULL), 403);
	ck_assert_int_eq(post_with(NULL, token, "Origin: null", NULL), 403);
	ck_assert_int_eq(post_with(NULL, token, "Origin: http://127.0.0.1:1", NULL), 403);
	ck_assert_int_eq(post_with(NULL, token, "Sec-Fetch-Site: cross-site", NULL), 403);
	ck_assert_int_eq(post_with(NULL, token, "Sec-Fetch-Site: same-site", NULL), 403);
	ck_assert_int_eq(post_with(NULL, token, same_origin, "Sec-Fetch-Site: cross-site"), 403);
	/* A bearer token is never sent by a browser on its own: no cross-site risk. */
	ck_assert_int_eq(post_with(token, NULL, "Origin: http://evil.example", NULL), 404);
	ck_assert_int_eq(post_with(token, token, "Sec-Fetch-Site: cross-site", NULL), 404);
	/* Reads are not state changes. */
	char cookie[128];
	snprintf(cookie, sizeof cookie, "Cookie: verdict_session=%s", token);
	const char *extra[] = {cookie, "Origin: http://evil.example", "Sec-Fetch-Site: cross-site", NULL};
	struct response r;
	http_request(&r, &srv, "GET", "/api/me", NULL, NULL, NULL, 0, extra);
	ck_assert_int_eq(r.status, 200);
	response_free(&r);
	/* The refused request changed nothing: the session is still there. */
	ck_assert_int_eq(me(NULL, token, NULL, 0), 200);
}
END_TEST

/* Every endpoint but login, /healthz, /metrics and the web UI needs a session. */
START_TEST(everything_else_needs_a_session)
{
	static const char *const calls[][3] = {
		{"POST", "/api/auth/logout", NULL},
		{"GET", "/api/me", NULL},
		{"GET", "/api/users", NULL},
		{"POST", "/api/users", "{\"username\": \"x_user\", \"password\": \"password1\"}"},
		{"PUT", "/api/users/1", "{\"password\": \"password1\"}"},
		{"GET", "/api/languages", NULL},
		{"GET", "/api/problems", NULL},
		{"POST", "/api/problems", "{}"},
		{"GET", "/api/problems/1", NULL},
		{"PUT", "/api/problems/1", "{}"},
		{"DELETE", "/api/problems/1", NULL},
		{"GET", "/api/problems/1/submissions", NULL},
		{"POST", "/api/problems/1/submissions", "{\"language\": \"c\", \"source\": \"x\"}"},
		{"POST", "/api/problems/1/rejudge", NULL},
		{"GET", "/api/submissions", NULL},
		{"GET", "/api/submissions/1", NULL},
		{"POST", "/api/submissions/1/rejudge", NULL},
		{"GET", "/api/problems/abc", NULL},
	};
	char bogus[44];
	memset(bogus, 'b', 43);
	bogus[43] = '\0';
	for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
		expect_json_error(&srv, calls[i][0], calls[i][1], NULL, calls[i][2], 401, "unauthorized");
		expect_json_error(&srv, calls[i][0], calls[i][1], bogus, calls[i][2], 401, "unauthorized");
	}
	/* The public ones. */
	struct response r;
	http_request(&r, &srv, "GET", "/healthz", NULL, NULL, NULL, 0, NULL);
	ck_assert_int_eq(r.status, 200);
	response_free(&r);
	http_request(&r, &srv, "GET", "/metrics", NULL, NULL, NULL, 0, NULL);
	ck_assert_int_eq(r.status, 200);
	response_free(&r);
	http_request(&r, &srv, "GET", "/", NULL, NULL, NULL, 0, NULL);
	ck_assert_int_eq(r.status, 200);
	response_free(&r);
}
END_TEST

/* ---- users ---- */

START_TEST(admin_creates_and_lists_users)
{
	struct response r;
	http_json_request(&r, &srv, "POST", "/api/users", srv.admin_token,
			  "{\"username\": \"made.by-admin_1\", \"password\": \"12345678\", \"role\": \"admin\"}");
	ck_assert_int_eq(r.status, 201);
	long long id = json_integer_value(json_object_get(r.json, "id"));
	ck_assert_int_gt(id, 0);
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "username")), "made.by-admin_1");
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "role")), "admin");
	ck_assert_ptr_null(json_object_get(r.json, "password"));
	response_free(&r);
	/* role defaults to user */
	http_json_request(&r, &srv, "POST", "/api/users", srv.admin_token,
			  "{\"username\": \"plain_default\", \"password\": \"12345678\"}");
	ck_assert_int_eq(r.status, 201);
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "role")), "user");
	response_free(&r);
	char token[64];
	ck_assert_int_eq(test_login(&srv, "made.by-admin_1", "12345678", token, sizeof token), 200);

	http_json_request(&r, &srv, "GET", "/api/users?per_page=100", srv.admin_token, NULL);
	ck_assert_int_eq(r.status, 200);
	json_t *items = json_object_get(r.json, "items");
	ck_assert_int_eq(json_integer_value(json_object_get(r.json, "total")), (json_int_t)json_array_size(items));
	ck_assert_int_eq(json_integer_value(json_object_get(r.json, "page")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(r.json, "per_page")), 100);
	bool found = false;
	for (size_t i = 0; i < json_array_size(items); i++) {
		json_t *u = json_array_get(items, i);
		if (json_integer_value(json_object_get(u, "id")) == id) {
			found = true;
			ck_assert_str_eq(json_string_value(json_object_get(u, "role")), "admin");
		}
	}
	ck_assert(found);
	ck_assert_ptr_null(strstr(r.body, "password"));
	ck_assert_ptr_null(strstr(r.body, "argon2"));
	response_free(&r);
	http_json_request(&r, &srv, "GET", "/api/users?page=1&per_page=1", srv.admin_token, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_uint_eq(json_array_size(json_object_get(r.json, "items")), 1);
	ck_assert_int_ge(json_integer_value(json_object_get(r.json, "total")), 3);
	response_free(&r);
	/* A new admin may manage users too. */
	http_json_request(&r, &srv, "GET", "/api/users", token, NULL);
	ck_assert_int_eq(r.status, 200);
	response_free(&r);
}
END_TEST

START_TEST(users_may_not_manage_users)
{
	char token[64];
	long long id = test_create_user(&srv, "not_admin", false, token, sizeof token);
	char path[64];
	snprintf(path, sizeof path, "/api/users/%lld", id);
	expect_json_error(&srv, "GET", "/api/users", token, NULL, 403, "forbidden");
	expect_json_error(&srv, "POST", "/api/users", token,
			  "{\"username\": \"by_user\", \"password\": \"12345678\", \"role\": \"admin\"}", 403, "forbidden");
	expect_json_error(&srv, "PUT", path, token, "{\"password\": \"my-own-new-password\"}", 403, "forbidden");
	ck_assert_int_eq(test_login(&srv, "by_user", "12345678", (char[64]){0}, 64), 401);
	ck_assert_int_eq(test_login(&srv, "not_admin", "my-own-new-password", (char[64]){0}, 64), 401);
}
END_TEST

START_TEST(user_validation_and_conflicts)
{
	test_create_user(&srv, "taken_name", false, NULL, 0);
	expect_json_error(&srv, "POST", "/api/users", srv.admin_token,
			  "{\"username\": \"taken_name\", \"password\": \"12345678\"}", 409, "conflict");
	static const char *const invalid[] = {
		"{\"password\": \"12345678\"}",
		"{\"username\": \"no_password\"}",
		"{\"username\": \"\", \"password\": \"12345678\"}",
		"{\"username\": \"has space\", \"password\": \"12345678\"}",
		"{\"username\": \"sl/ash\", \"password\": \"12345678\"}",
		"{\"username\": \"caf\\u00e9\", \"password\": \"12345678\"}",
		"{\"username\": \"abcdefghijklmnopqrstuvwxyz0123456\", \"password\": \"12345678\"}",
		"{\"username\": \"short_pw\", \"password\": \"1234567\"}",
		"{\"username\": \"empty_pw\", \"password\": \"\"}",
		"{\"username\": \"bad_role\", \"password\": \"12345678\", \"role\": \"root\"}",
		"{\"username\": \"bad_role2\", \"password\": \"12345678\", \"role\": \"Admin\"}",
		"{\"username\": \"num_role\", \"password\": \"12345678\", \"role\": 1}",
		"{\"username\": 42, \"password\": \"12345678\"}",
		"{\"username\": \"num_pw\", \"password\": 12345678}",
	};
	for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++)
		expect_json_error(&srv, "POST", "/api/users", srv.admin_token, invalid[i], 400, "validation");
	/* The longest name and password are fine. */
	char body[1200];
	char pw[1025];
	memset(pw, 'p', 1024);
	pw[1024] = '\0';
	snprintf(body, sizeof body, "{\"username\": \"abcdefghijklmnopqrstuvwxyz012345\", \"password\": \"%s\"}", pw);
	struct response r;
	http_json_request(&r, &srv, "POST", "/api/users", srv.admin_token, body);
	ck_assert_int_eq(r.status, 201);
	response_free(&r);
	snprintf(body, sizeof body, "{\"username\": \"too_long_pw\", \"password\": \"%sp\"}", pw);
	expect_json_error(&srv, "POST", "/api/users", srv.admin_token, body, 400, "validation");
	/* None of the refused ones exists. */
	ck_assert_int_eq(test_login(&srv, "short_pw", "1234567", (char[64]){0}, 64), 401);
	ck_assert_int_eq(test_login(&srv, "bad_role", "12345678", (char[64]){0}, 64), 401);
}
END_TEST

START_TEST(admin_resets_a_password)
{
	char old_token[64];
	long long id = test_create_user(&srv, "forgetful", false, old_token, sizeof old_token);
	char path[64];
	snprintf(path, sizeof path, "/api/users/%lld", id);
	struct response r;
	http_json_request(&r, &srv, "PUT", path, srv.admin_token, "{\"password\": \"brand-new-password\"}");
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(json_integer_value(json_object_get(r.json, "id")), id);
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "username")), "forgetful");
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "role")), "user");
	response_free(&r);
	/* The old password and the old sessions are gone. */
	ck_assert_int_eq(me(old_token, NULL, NULL, 0), 401);
	ck_assert_int_eq(test_login(&srv, "forgetful", "forgetful-password", (char[64]){0}, 64), 401);
	char token[64];
	ck_assert_int_eq(test_login(&srv, "forgetful", "brand-new-password", token, sizeof token), 200);
	ck_assert_int_eq(me(token, NULL, NULL, 0), 200);

	expect_json_error(&srv, "PUT", path, srv.admin_token, "{\"password\": \"short\"}", 400, "validation");
	expect_json_error(&srv, "PUT", path, srv.admin_token, "{\"password\": 12345678}", 400, "validation");
	expect_json_error(&srv, "PUT", path, srv.admin_token, "{}", 400, "validation");
	expect_json_error(&srv, "PUT", "/api/users/999999", srv.admin_token, "{\"password\": \"12345678\"}", 404,
			  "not_found");
	expect_json_error(&srv, "PUT", "/api/users/abc", srv.admin_token, "{\"password\": \"12345678\"}", 400,
			  "bad_request");
	expect_json_error(&srv, "PUT", "/api/users/0", srv.admin_token, "{\"password\": \"12345678\"}", 400,
			  "bad_request");
	/* The refused changes left the password alone. */
	ck_assert_int_eq(me(token, NULL, NULL, 0), 200);
}
END_TEST

/* Logs in as admin, with "X-Forwarded-Proto: PROTO" when proto is set; true
   when the session cookie says Secure. Logging out again answers the same. */
static bool cookie_is_secure(const struct server *s, const char *proto)
{
	char header[64], cookie[512];
	snprintf(header, sizeof header, "X-Forwarded-Proto: %s", proto ? proto : "");
	const char *extra[] = {proto ? header : NULL, NULL};
	const char *body = "{\"username\": \"admin\", \"password\": \"admin-password\"}";
	struct response r;
	http_request(&r, s, "POST", "/api/auth/login", NULL, NULL, body, strlen(body), extra);
	ck_assert_int_eq(r.status, 200);
	ck_assert(response_header(&r, "Set-Cookie", cookie, sizeof cookie));
	bool secure = strstr(cookie, "; Secure") != NULL;
	char token[64];
	snprintf(token, sizeof token, "%s", json_string_value(json_object_get(r.json, "token")));
	response_free(&r);
	http_request(&r, s, "POST", "/api/auth/logout", token, NULL, NULL, 0, extra);
	ck_assert_int_eq(r.status, 204);
	ck_assert(response_header(&r, "Set-Cookie", cookie, sizeof cookie));
	ck_assert_int_eq(strstr(cookie, "; Secure") != NULL, secure);
	response_free(&r);
	return secure;
}

/* One server per --cookie-secure setting. */
static bool cookie_secure_with(const char *const *args, const char *proto)
{
	struct server s;
	server_start(&s, args);
	bool secure = cookie_is_secure(&s, proto);
	server_finish(&s);
	return secure;
}

START_TEST(cookie_secure_follows_the_setting_and_the_trusted_proxy)
{
	/* auto: X-Forwarded-Proto is believed from the trusted proxy alone */
	ck_assert(!cookie_is_secure(&srv, NULL));
	ck_assert(!cookie_is_secure(&srv, "https"));
	static const char *const proxied[] = {"--trusted-proxy", "127.0.0.1", NULL};
	struct server s;
	server_start(&s, proxied);
	ck_assert(cookie_is_secure(&s, "https"));
	ck_assert(!cookie_is_secure(&s, "http"));
	ck_assert(!cookie_is_secure(&s, NULL));
	server_finish(&s);
	static const char *const other_proxy[] = {"--trusted-proxy", "127.0.0.2", NULL};
	ck_assert(!cookie_secure_with(other_proxy, "https"));
	static const char *const always[] = {"--cookie-secure", "always", NULL};
	ck_assert(cookie_secure_with(always, NULL));
	static const char *const never[] = {"--cookie-secure", "never", "--trusted-proxy", "127.0.0.1", NULL};
	ck_assert(!cookie_secure_with(never, "https"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("api-auth");
	TCase *tc = tcase_create("auth");
	tcase_add_unchecked_fixture(tc, start, stop);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, login_answers_token_user_and_cookie);
	tcase_add_test(tc, login_refusals);
	tcase_add_test(tc, repeated_failed_logins_are_throttled_per_name_and_address);
	tcase_add_test(tc, bearer_and_cookie);
	tcase_add_test(tc, me_shows_the_role);
	tcase_add_test(tc, logout_ends_only_that_session);
	tcase_add_test(tc, cross_site_cookie_posts_are_refused);
	tcase_add_test(tc, everything_else_needs_a_session);
	tcase_add_test(tc, admin_creates_and_lists_users);
	tcase_add_test(tc, users_may_not_manage_users);
	tcase_add_test(tc, user_validation_and_conflicts);
	tcase_add_test(tc, admin_resets_a_password);
	tcase_add_test(tc, cookie_secure_follows_the_setting_and_the_trusted_proxy);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
