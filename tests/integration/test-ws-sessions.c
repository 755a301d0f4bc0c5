/* WebSockets outlive no session: a logout, a password reset or the session's
 * expiry closes that session's sockets (close code 4401) within a second or
 * so, and the sockets of other sessions stay open and keep receiving. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "ws_client.h"
#include "ws_helpers.h"

#define SESSION_ENDED 4401
#define CLOSE_BOUND_MS 4000 /* designed for well under a second */

/* Reads (and drops) messages until the server closes c or ms pass; returns
   the close code, or 0 if still open. */
static int wait_closed(struct ws_client *c, int ms)
{
	int code = 0;
	for (int64_t t0 = mono_ms(); !ws_client_closed(c, &code) && mono_ms() - t0 < ms;)
		free(ws_client_recv(c, 50));
	return ws_client_closed(c, &code) ? code : 0;
}

/* The socket is open and delivers the next submission of `token` (after
   what it still has of earlier ones). */
static void expect_live(const struct server *s, struct ws_client *c, const char *token, long long problem)
{
	ck_assert(!ws_client_closed(c, NULL));
	long long id = submit_ce(s, token, problem), got = 0;
	for (int64_t t0 = mono_ms(); got != id && mono_ms() - t0 < 10000;) {
		json_t *m = ws_client_recv_json(c, 1000);
		if (m)
			got = json_integer_value(json_object_get(m, "submission_id"));
		json_decref(m);
	}
	ck_assert_msg(got == id, "an open socket did not deliver submission %lld (log %s)", id, s->log);
	ck_assert(!ws_client_closed(c, NULL));
}

/* A problem socket and a per-submission socket of one session. */
struct pair {
	struct ws_client *list, *one;
};

static void open_pair(const struct server *s, struct pair *p, const char *token, long long problem)
{
	long long id = submit_ce(s, token, problem);
	p->list = wsh_open(s, NULL, "/ws/problems/%lld/submissions/?token=%s", problem, token);
	p->one = wsh_open(s, NULL, "/ws/submissions/%lld/?token=%s", id, token);
}

static void expect_pair_closed(struct pair *p)
{
	ck_assert_int_eq(wait_closed(p->list, CLOSE_BOUND_MS), SESSION_ENDED);
	ck_assert_int_eq(wait_closed(p->one, CLOSE_BOUND_MS), SESSION_ENDED);
	ws_client_free(p->list);
	ws_client_free(p->one);
}

START_TEST(logout_closes_that_sessions_sockets)
{
	struct server s;
	server_start(&s, NULL);
	char alice[64], alice2[64], bob[64];
	test_create_user(&s, "alice", false, alice, sizeof alice);
	ck_assert_int_eq(test_login(&s, "alice", "alice-password", alice2, sizeof alice2), 200);
	test_create_user(&s, "bob", false, bob, sizeof bob);
	long long p = wsh_problem(&s, "sum");
	struct pair ended;
	open_pair(&s, &ended, alice, p);
	struct ws_client *other_session = wsh_open(&s, NULL, "/ws/problems/%lld/submissions/?token=%s", p, alice2);
	struct ws_client *other_user = wsh_open(&s, NULL, "/ws/problems/%lld/submissions/?token=%s", p, bob);
	struct response r;
	http_request(&r, &s, "POST", "/api/auth/logout", alice, NULL, NULL, 0, NULL);
	ck_assert_int_eq(r.status, 204);
	response_free(&r);
	expect_pair_closed(&ended);
	expect_live(&s, other_session, alice2, p);
	expect_live(&s, other_user, bob, p);
	ws_client_free(other_session);
	ws_client_free(other_user);
	server_finish(&s);
}
END_TEST

START_TEST(password_reset_closes_the_users_sockets)
{
	struct server s;
	server_start(&s, NULL);
	char alice[64], bob[64], path[64];
	long long id = test_create_user(&s, "alice", false, alice, sizeof alice);
	test_create_user(&s, "bob", false, bob, sizeof bob);
	long long p = wsh_problem(&s, "sum");
	struct pair ended;
	open_pair(&s, &ended, alice, p);
	struct ws_client *other_user = wsh_open(&s, NULL, "/ws/problems/%lld/submissions/?token=%s", p, bob);
	snprintf(path, sizeof path, "/api/users/%lld", id);
	struct response r;
	http_json_request(&r, &s, "PUT", path, s.admin_token, "{\"password\": \"brand-new-password\"}");
	ck_assert_int_eq(r.status, 200);
	response_free(&r);
	expect_pair_closed(&ended);
	expect_live(&s, other_user, bob, p);
	ws_client_free(other_user);
	server_finish(&s);
}
END_TEST

START_TEST(expired_sessions_sockets_are_closed)
{
	static const char *const args[] = {"--session-seconds", "8", NULL};
	struct server s;
	server_start(&s, args);
	long long p = wsh_problem(&s, "sum");
	test_create_user(&s, "alice", false, NULL, 0);
	test_create_user(&s, "bob", false, NULL, 0);
	char alice[64], bob[64];
	int64_t t0 = mono_ms();
	ck_assert_int_eq(test_login(&s, "alice", "alice-password", alice, sizeof alice), 200);
	struct pair ended;
	open_pair(&s, &ended, alice, p);
	/* bob's session starts later and outlives alice's */
	sleep_ms(4000);
	ck_assert_int_eq(test_login(&s, "bob", "bob-password", bob, sizeof bob), 200);
	struct ws_client *other_user = wsh_open(&s, NULL, "/ws/problems/%lld/submissions/?token=%s", p, bob);
	/* expires_at is in whole seconds: the end comes 7 to 8 s after the login */
	ck_assert_int_eq(wait_closed(ended.list, 8000 - (int)(mono_ms() - t0) + CLOSE_BOUND_MS), SESSION_ENDED);
	ck_assert_int_ge(mono_ms() - t0, 6500);
	ck_assert_int_eq(wait_closed(ended.one, CLOSE_BOUND_MS), SESSION_ENDED);
	ws_client_free(ended.list);
	ws_client_free(ended.one);
	expect_live(&s, other_user, bob, p);
	ws_client_free(other_user);
	server_finish(&s);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("ws-sessions");
	TCase *tc = tcase_create("ws-sessions");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, logout_closes_that_sessions_sockets);
	tcase_add_test(tc, password_reset_closes_the_users_sockets);
	tcase_add_test(tc, expired_sessions_sockets_are_closed);
	suite_add_tcase(suite, tc);
	return test_run_suite(suite);
}
