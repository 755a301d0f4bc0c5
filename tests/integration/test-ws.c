/* WebSocket integration tests: the real binary on one port, real sockets, the
 * lws test client (tests/ws_client.c). Changes come from REST (new
 * submissions, rejudges) and from the judge (compiling, running, done, with
 * test results). */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "ws_client.h"
#include "ws_helpers.h"

/* ---- streams ---- */

/* A per-submission stream opened (with after=0) just after the submission
   was created: its state when the replay query ran (two sockets may start at
   different states), then the same updates as the problem's stream `a`, each
   finished test's test_result right after the update that recorded it. */
static void check_submission_stream(json_t *a, json_t *b, long long id)
{
	size_t n = json_array_size(a), u = 0, t = 0;
	assert_increasing(b, 0);
	for (size_t i = 0; i < json_array_size(b); i++)
		if (strcmp(str_at(b, i, "type"), "submission_update") == 0)
			u++;
	ck_assert_int_ge(u, 1);
	ck_assert_int_le(u, n);
	size_t at = n - u; /* b's first update is a[at] */
	long long index = -1;
	for (size_t i = 0; i < json_array_size(b); i++) {
		if (strcmp(str_at(b, i, "type"), "test_result") != 0) {
			ck_assert(json_equal(json_array_get(b, i), json_array_get(a, at)));
			at++;
			continue;
		}
		ck_assert_int_gt(i, 0);
		ck_assert_str_eq(str_at(b, i - 1, "type"), "submission_update");
		ck_assert_int_eq(int_at(b, i, "submission_id"), id);
		if (index < 0) /* the first one after the replay */
			index = int_at(b, i, "index");
		ck_assert_int_eq(int_at(b, i, "index"), index);
		index++;
		t++;
		ck_assert_str_eq(str_at(b, i, "verdict"), "AC");
		ck_assert_ptr_nonnull(json_object_get(json_array_get(b, i), "time_ms"));
		ck_assert_ptr_nonnull(json_object_get(json_array_get(b, i), "memory_kb"));
		ck_assert_ptr_nonnull(json_object_get(json_array_get(b, i), "group"));
	}
	ck_assert_int_eq(at, n);
	ck_assert_int_eq(index, 4); /* through the last test */
	/* Connected within milliseconds of the submission, long before the
	   first test could finish: all three results arrive. */
	ck_assert_int_eq(t, 3);
}

START_TEST(two_subscribers_see_the_full_stream_in_order)
{
	struct server s;
	server_start(&s, NULL);
	char alice[64];
	test_create_user(&s, "alice", false, alice, sizeof alice);
	long long p = wsh_problem(&s, "sum");
	struct ws_client *list[2], *one[2];
	for (int k = 0; k < 2; k++)
		list[k] = wsh_open(&s, NULL, "/ws/problems/%lld/submissions/?token=%s", p, alice);
	long long id = wsh_submit(&s, alice, p);
	for (int k = 0; k < 2; k++)
		one[k] = wsh_open(&s, NULL, "/ws/submissions/%lld/?token=%s&after=0", id, alice);
	json_t *got[4];
	for (int k = 0; k < 4; k++) {
		got[k] = json_array();
		collect(k < 2 ? list[k] : one[k - 2], got[k], 60000, seen_done, &id);
		ck_assert_msg(seen_done(got[k], &id), "subscriber %d: no 'done' (judge running? see %s)", k, s.log);
	}
	/* the problem's sockets: queued, compiling, running (once, then per test), done */
	json_t *a = got[0];
	ck_assert(json_equal(got[0], got[1]));
	assert_increasing(a, 0);
	size_t n = json_array_size(a);
	ck_assert_int_eq(n, 7);
	static const char *const statuses[] = {"queued", "compiling", "running", "running", "running", "running", "done"};
	for (size_t i = 0; i < n; i++) {
		ck_assert_str_eq(str_at(a, i, "type"), "submission_update");
		ck_assert_int_eq(int_at(a, i, "submission_id"), id);
		ck_assert_int_eq(int_at(a, i, "problem_id"), p);
		ck_assert_str_eq(str_at(a, i, "user"), "alice");
		ck_assert_str_eq(str_at(a, i, "language"), "c");
		ck_assert_str_eq(str_at(a, i, "status"), statuses[i]);
		ck_assert_ptr_nonnull(json_object_get(json_array_get(a, i), "metrics"));
		ck_assert_ptr_nonnull(json_object_get(json_array_get(a, i), "created_at"));
	}
	ck_assert_str_eq(str_at(a, n - 1, "verdict"), "AC");
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(json_array_get(a, n - 1), "metrics"),
							    "tests_passed")), 3);
	/* the submission's sockets, opened after the submission with after=0 */
	check_submission_stream(a, got[2], id);
	check_submission_stream(a, got[3], id);
	/* what REST says now is what the sockets said last */
	ck_assert_int_eq(wsh_seq(&s, id, NULL, 0), int_at(a, n - 1, "seq"));
	for (int k = 0; k < 4; k++)
		json_decref(got[k]);
	for (int k = 0; k < 2; k++) {
		ws_client_free(list[k]);
		ws_client_free(one[k]);
	}
	ck_assert_int_eq(server_stop(&s), 0);
	server_cleanup(&s);
}
END_TEST

START_TEST(per_submission_socket_carries_only_its_submission)
{
	struct server s;
	server_start(&s, NULL);
	char alice[64];
	test_create_user(&s, "alice", false, alice, sizeof alice);
	long long p = wsh_problem(&s, "sum");
	long long ids[2] = {submit_ce(&s, alice, p), submit_ce(&s, alice, p)};
	ck_assert(wait_done(&s, ids, 2, 60));
	struct ws_client *c = wsh_open(&s, NULL, "/ws/submissions/%lld/?token=%s", ids[0], alice);
	wsh_rejudge(&s, ids[1]);
	wsh_rejudge(&s, ids[0]);
	json_t *got = json_array();
	collect(c, got, 30000, seen_done, &ids[0]);
	ck_assert(seen_done(got, &ids[0]));
	assert_increasing(got, 0);
	for (size_t i = 0; i < json_array_size(got); i++)
		ck_assert_int_eq(int_at(got, i, "submission_id"), ids[0]);
	ck_assert_str_eq(str_at(got, 0, "status"), "queued");
	/* a compile error: no tests ran */
	ck_assert_str_eq(str_at(got, json_array_size(got) - 1, "verdict"), "CE");
	json_decref(got);
	ws_client_free(c);
	ck_assert_int_eq(server_stop(&s), 0);
	server_cleanup(&s);
}
END_TEST

/* ---- resume ---- */

struct resume {
	struct server s;
	char alice[64];
	long long p, ids[3];
};

static void resume_setup(struct resume *r)
{
	server_start(&r->s, NULL);
	test_create_user(&r->s, "alice", false, r->alice, sizeof r->alice);
	r->p = wsh_problem(&r->s, "sum");
	for (int i = 0; i < 3; i++)
		r->ids[i] = submit_ce(&r->s, r->alice, r->p);
	ck_assert(wait_done(&r->s, r->ids, 3, 60));
}

/* Connects with ?after=, reads until every listed submission has reached
   its current state as REST reports it, and checks order and completeness. */
static json_t *resume_and_check(struct resume *r, long long after, const long long *changed, int n_changed)
{
	struct ws_client *c = wsh_open(&r->s, NULL, "/ws/problems/%lld/submissions/?token=%s&after=%lld", r->p,
				       r->alice, after);
	json_t *got = json_array();
	size_t want = (size_t)n_changed;
	collect(c, got, 10000, has_count, &want); /* the replay */
	collect(c, got, 300, NULL, NULL);          /* and nothing more */
	assert_increasing(got, after);
	/* exactly the current state of each changed submission, once */
	ck_assert_int_eq(json_array_size(got), n_changed);
	for (int i = 0; i < n_changed; i++)
		ck_assert_int_eq(last_seq_of(got, changed[i]), wsh_seq(&r->s, changed[i], NULL, 0));
	/* then live, with no duplicate at the seam */
	wsh_rejudge(&r->s, r->ids[2]);
	collect(c, got, 30000, seen_done, &r->ids[2]);
	ck_assert(seen_done(got, &r->ids[2]));
	assert_increasing(got, after);
	ck_assert_int_gt((long long)json_array_size(got), n_changed);
	ck_assert_str_eq(str_at(got, (size_t)n_changed, "status"), "queued");
	ws_client_free(c);
	return got;
}

START_TEST(resume_after_disconnect_has_no_gap_and_no_duplicate)
{
	struct resume r;
	resume_setup(&r);
	struct ws_client *c = wsh_open(&r.s, NULL, "/ws/problems/%lld/submissions/?token=%s", r.p, r.alice);
	wsh_rejudge(&r.s, r.ids[0]);
	json_t *got = json_array();
	collect(c, got, 30000, seen_done, &r.ids[0]);
	ck_assert(seen_done(got, &r.ids[0]));
	long long last = last_seq(got);
	ws_client_free(c);
	/* while away: two more submissions change, one of them twice */
	wsh_rejudge(&r.s, r.ids[1]);
	wsh_rejudge(&r.s, r.ids[0]);
	long long changed[2] = {r.ids[1], r.ids[0]};
	ck_assert(wait_done(&r.s, changed, 2, 60));
	json_t *again = resume_and_check(&r, last, changed, 2);
	json_decref(got);
	json_decref(again);
	ck_assert_int_eq(server_stop(&r.s), 0);
	server_cleanup(&r.s);
}
END_TEST

START_TEST(resume_after_server_restart_has_no_gap_and_no_duplicate)
{
	struct resume r;
	resume_setup(&r);
	struct ws_client *c = wsh_open(&r.s, NULL, "/ws/problems/%lld/submissions/?token=%s", r.p, r.alice);
	wsh_rejudge(&r.s, r.ids[0]);
	json_t *got = json_array();
	collect(c, got, 30000, seen_done, &r.ids[0]);
	long long last = last_seq(got);
	/* missed before the stop */
	wsh_rejudge(&r.s, r.ids[1]);
	ck_assert(wait_done(&r.s, &r.ids[1], 1, 60));
	ck_assert_int_eq(server_stop(&r.s), 0);
	/* the server went away: the socket is closed */
	json_t *m;
	while ((m = ws_client_recv_json(c, 2000)))
		json_decref(m);
	ck_assert(ws_client_closed(c, NULL));
	ws_client_free(c);
	server_restart(&r.s, NULL);
	/* missed after the restart; seq goes on from where it was */
	wsh_rejudge(&r.s, r.ids[0]);
	long long changed[2] = {r.ids[1], r.ids[0]};
	ck_assert(wait_done(&r.s, changed, 2, 60));
	ck_assert_int_gt(wsh_seq(&r.s, r.ids[0], NULL, 0), last);
	json_t *again = resume_and_check(&r, last, changed, 2);
	json_decref(got);
	json_decref(again);
	ck_assert_int_eq(server_stop(&r.s), 0);
	server_cleanup(&r.s);
}
END_TEST

START_TEST(after_from_the_future_means_now)
{
	struct server s;
	server_start(&s, NULL);
	char alice[64];
	test_create_user(&s, "alice", false, alice, sizeof alice);
	long long p = wsh_problem(&s, "sum");
	struct ws_client *c = wsh_open(&s, NULL, "/ws/problems/%lld/submissions/?token=%s&after=999999999", p, alice);
	long long id = wsh_submit(&s, alice, p);
	/* The socket delivers this submission's changes from when it opened. If the
	   replay query (of nothing: after is clamped to now) runs after the first
	   changes, it sends their current state instead, as API.md allows: the
	   first message may be "queued" or a later state, but the last is "done". */
	int done = 0;
	for (int i = 0; i < 20 && !done; i++) {
		json_t *m = ws_client_recv_json(c, 30000);
		ck_assert_ptr_nonnull(m);
		ck_assert_int_eq(json_integer_value(json_object_get(m, "submission_id")), id);
		const char *status = json_string_value(json_object_get(m, "status"));
		done = status && strcmp(status, "done") == 0;
		json_decref(m);
	}
	ck_assert_msg(done, "the submission's changes did not end in 'done'");
	ws_client_free(c);
	ck_assert_int_eq(server_stop(&s), 0);
	server_cleanup(&s);
}
END_TEST

/* ---- handshakes ---- */

START_TEST(handshakes_are_authenticated_and_authorised)
{
	struct server s;
	server_start(&s, NULL);
	char alice[64], bob[64], cookie[128];
	test_create_user(&s, "alice", false, alice, sizeof alice);
	test_create_user(&s, "bob", false, bob, sizeof bob);
	long long p = wsh_problem(&s, "sum");
	long long mine = submit_ce(&s, alice, p);
	const char *bad = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

	/* 401 without a valid session */
	ck_assert_int_eq(wsh_status(&s, NULL, "/ws/problems/%lld/submissions/", p), 401);
	ck_assert_int_eq(wsh_status(&s, NULL, "/ws/problems/%lld/submissions/?token=%s", p, bad), 401);
	ck_assert_int_eq(wsh_status(&s, NULL, "/ws/problems/%lld/submissions/?token=short", p), 401);
	snprintf(cookie, sizeof cookie, "verdict_session=%s", bad);
	struct ws_client_opts o = {.cookie = cookie};
	ck_assert_int_eq(wsh_status(&s, &o, "/ws/problems/%lld/submissions/", p), 401);
	/* the cookie works; with both, the token wins */
	snprintf(cookie, sizeof cookie, "theme=dark; verdict_session=%s", alice);
	ck_assert_int_eq(wsh_status(&s, &o, "/ws/problems/%lld/submissions/", p), 101);
	ck_assert_int_eq(wsh_status(&s, &o, "/ws/problems/%lld/submissions/?token=%s", p, bad), 401);
	snprintf(cookie, sizeof cookie, "verdict_session=%s", bad);
	ck_assert_int_eq(wsh_status(&s, &o, "/ws/problems/%lld/submissions/?token=%s", p, alice), 101);

	/* any user may watch a problem; a submission only its owner and admins */
	ck_assert_int_eq(wsh_status(&s, NULL, "/ws/problems/%lld/submissions/?token=%s", p, bob), 101);
	ck_assert_int_eq(wsh_status(&s, NULL, "/ws/submissions/%lld/?token=%s", mine, alice), 101);
	ck_assert_int_eq(wsh_status(&s, NULL, "/ws/submissions/%lld/?token=%s", mine, bob), 403);
	ck_assert_int_eq(wsh_status(&s, NULL, "/ws/submissions/%lld/?token=%s", mine, s.admin_token), 101);

	/* 404: unknown problem, submission, path; 400: bad id or after */
	ck_assert_int_eq(wsh_status(&s, NULL, "/ws/problems/9999/submissions/?token=%s", alice), 404);
	ck_assert_int_eq(wsh_status(&s, NULL, "/ws/submissions/9999/?token=%s", alice), 404);
	ck_assert_int_eq(wsh_status(&s, NULL, "/ws/nothing/?token=%s", alice), 404);
	ck_assert_int_eq(wsh_status(&s, NULL, "/ws/problems/abc/submissions/?token=%s", alice), 400);
	ck_assert_int_eq(wsh_status(&s, NULL, "/ws/problems/%lld/submissions/?token=%s&after=x", p, alice), 400);

	/* Origin must be this server when present */
	char origin[64], host[64];
	snprintf(origin, sizeof origin, "http://127.0.0.1:%d", s.port);
	struct ws_client_opts same = {.origin = origin};
	ck_assert_int_eq(wsh_status(&s, &same, "/ws/problems/%lld/submissions/?token=%s", p, alice), 101);
	struct ws_client_opts evil = {.origin = "http://evil.example"};
	ck_assert_int_eq(wsh_status(&s, &evil, "/ws/problems/%lld/submissions/?token=%s", p, alice), 403);
	snprintf(host, sizeof host, "localhost:%d", s.port);
	struct ws_client_opts other_port = {.origin = "http://127.0.0.1:1"};
	ck_assert_int_eq(wsh_status(&s, &other_port, "/ws/problems/%lld/submissions/?token=%s", p, alice), 403);
	snprintf(origin, sizeof origin, "http://localhost:%d", s.port);
	struct ws_client_opts by_name = {.origin = origin, .host = host};
	ck_assert_int_eq(wsh_status(&s, &by_name, "/ws/problems/%lld/submissions/?token=%s", p, alice), 101);

	/* refusals are real HTTP answers with the API's error envelope */
	static const char *const upgrade[] = {"Upgrade: websocket", "Connection: Upgrade",
					      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
					      "Sec-WebSocket-Version: 13", NULL};
	char path[256];
	struct response r;
	snprintf(path, sizeof path, "/ws/problems/%lld/submissions/", p);
	http_request(&r, &s, "GET", path, NULL, NULL, NULL, 0, upgrade);
	ck_assert_int_eq(r.status, 401);
	ck_assert_str_eq(response_error_code(&r), "unauthorized");
	response_free(&r);
	snprintf(path, sizeof path, "/ws/submissions/%lld/?token=%s", mine, bob);
	http_request(&r, &s, "GET", path, NULL, NULL, NULL, 0, upgrade);
	ck_assert_int_eq(r.status, 403);
	ck_assert_str_eq(response_error_code(&r), "forbidden");
	response_free(&r);
	/* a plain GET (no Upgrade) is told to upgrade */
	snprintf(path, sizeof path, "/ws/problems/%lld/submissions/?token=%s", p, alice);
	http_request(&r, &s, "GET", path, NULL, NULL, NULL, 0, NULL);
	ck_assert_int_eq(r.status, 400);
	ck_assert_str_eq(response_error_code(&r), "bad_request");
	response_free(&r);
	http_request(&r, &s, "GET", "/ws/nothing", NULL, NULL, NULL, 0, NULL);
	ck_assert_int_eq(r.status, 404);
	ck_assert_str_eq(response_error_code(&r), "not_found");
	response_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
	server_cleanup(&s);
}
END_TEST

START_TEST(connections_per_user_are_limited)
{
	setenv("VERDICT_WS_MAX_PER_USER", "3", 1);
	struct server s;
	server_start(&s, NULL);
	char alice[64], bob[64];
	test_create_user(&s, "alice", false, alice, sizeof alice);
	test_create_user(&s, "bob", false, bob, sizeof bob);
	long long p = wsh_problem(&s, "sum");
	struct ws_client *c[3];
	for (int i = 0; i < 3; i++)
		c[i] = wsh_open(&s, NULL, "/ws/problems/%lld/submissions/?token=%s", p, alice);
	ck_assert_int_eq(wsh_status(&s, NULL, "/ws/problems/%lld/submissions/?token=%s", p, alice), 429);
	ck_assert_int_eq(wsh_status(&s, NULL, "/ws/problems/%lld/submissions/?token=%s", p, bob), 101);
	static const char *const upgrade[] = {"Upgrade: websocket", "Connection: Upgrade",
					      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
					      "Sec-WebSocket-Version: 13", NULL};
	char path[256];
	snprintf(path, sizeof path, "/ws/problems/%lld/submissions/?token=%s", p, alice);
	struct response r;
	http_request(&r, &s, "GET", path, NULL, NULL, NULL, 0, upgrade);
	ck_assert_int_eq(r.status, 429);
	ck_assert_str_eq(response_error_code(&r), "rate_limited");
	response_free(&r);
	/* closing one frees its slot */
	ws_client_free(c[0]);
	c[0] = NULL;
	int status = 0;
	for (int tries = 0; tries < 100 && status != 101; tries++) {
		sleep_ms(20);
		status = wsh_status(&s, NULL, "/ws/problems/%lld/submissions/?token=%s", p, alice);
	}
	ck_assert_int_eq(status, 101);
	for (int i = 0; i < 3; i++)
		ws_client_free(c[i]);
	ck_assert_int_eq(server_stop(&s), 0);
	server_cleanup(&s);
}
END_TEST

START_TEST(rest_and_websocket_share_one_port)
{
	struct server s;
	server_start(&s, NULL);
	char alice[64];
	test_create_user(&s, "alice", false, alice, sizeof alice);
	long long p = wsh_problem(&s, "sum");
	/* s.port is the server's only port: REST and WebSocket both use it */
	char path[64];
	snprintf(path, sizeof path, "/api/problems/%lld", p);
	json_t *problem = get_json(&s, alice, path);
	ck_assert_str_eq(json_string_value(json_object_get(problem, "slug")), "sum");
	json_decref(problem);
	struct ws_client *c[3];
	for (int i = 0; i < 3; i++)
		c[i] = wsh_open(&s, NULL, "/ws/problems/%lld/submissions/?token=%s", p, alice);
	ck_assert_int_eq(wsh_metric(&s, "verdict_ws_connections"), 3);
	long long id = wsh_submit(&s, alice, p);
	json_t *m = ws_client_recv_json(c[2], 10000);
	ck_assert_int_eq(json_integer_value(json_object_get(m, "submission_id")), id);
	json_decref(m);
	ws_client_free(c[0]);
	int open = 3;
	for (int tries = 0; tries < 100 && (open = (int)wsh_metric(&s, "verdict_ws_connections")) != 2; tries++)
		sleep_ms(20);
	ck_assert_int_eq(open, 2);
	ck_assert_int_ge(wsh_metric(&s, "verdict_ws_messages_sent_total"), 1);
	ws_client_free(c[1]);
	ws_client_free(c[2]);
	ck_assert_int_eq(server_stop(&s), 0);
	server_cleanup(&s);
}
END_TEST

/* ---- liveness and limits ---- */

/* A raw TCP client that completes the handshake and then never reads again. */
static int raw_handshake(const struct server *s, const char *path)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s->port)};
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
	char req[1024];
	int n = snprintf(req, sizeof req,
			 "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
			 "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
			 path, s->port);
	ck_assert_int_eq(write(fd, req, (size_t)n), n);
	char resp[1024];
	size_t got = 0;
	while (got < sizeof resp - 1 && !memmem(resp, got, "\r\n\r\n", 4)) {
		ssize_t k = read(fd, resp + got, 1); /* byte by byte: leave the frames unread */
		ck_assert_int_gt(k, 0);
		got += (size_t)k;
	}
	resp[got] = '\0';
	ck_assert_msg(strncmp(resp, "HTTP/1.1 101", 12) == 0, "handshake: %s", resp);
	return fd;
}

START_TEST(dead_clients_are_dropped_live_ones_kept)
{
	setenv("VERDICT_WS_PING_INTERVAL", "0.3", 1);
	setenv("VERDICT_WS_PING_TIMEOUT", "0.6", 1);
	struct server s;
	server_start(&s, NULL);
	char alice[64], path[256];
	test_create_user(&s, "alice", false, alice, sizeof alice);
	long long p = wsh_problem(&s, "sum");
	snprintf(path, sizeof path, "/ws/problems/%lld/submissions/?token=%s", p, alice);
	struct ws_client *live = wsh_open(&s, NULL, "%s", path);
	int dead = raw_handshake(&s, path);
	long long dropped0 = wsh_metric(&s, "verdict_ws_connections_dropped_total");
	/* the live client answers pings while serviced */
	ws_client_service(live, 3000);
	ck_assert(!ws_client_closed(live, NULL));
	/* the dead one was pinged and dropped: its socket reaches EOF */
	struct pollfd pfd = {.fd = dead, .events = POLLIN};
	bool eof = false;
	char buf[4096];
	for (int64_t t0 = mono_ms(); !eof && mono_ms() - t0 < 5000;) {
		if (poll(&pfd, 1, 100) > 0) {
			ssize_t k = read(dead, buf, sizeof buf);
			if (k == 0 || (k < 0 && errno == ECONNRESET))
				eof = true;
		}
	}
	ck_assert_msg(eof, "the server kept a client that never answered pings");
	close(dead);
	ck_assert_int_ge(wsh_metric(&s, "verdict_ws_connections_dropped_total") - dropped0, 1);
	ck_assert_int_eq(wsh_metric(&s, "verdict_ws_connections"), 1);
	/* a client that sends a big message is closed with 1009 */
	static char big[64 * 1024];
	memset(big, 'x', sizeof big);
	ws_client_send(live, big, sizeof big);
	json_t *m;
	while ((m = ws_client_recv_json(live, 2000)))
		json_decref(m);
	int code = 0;
	ck_assert(ws_client_closed(live, &code));
	ck_assert_int_eq(code, 1009);
	ws_client_free(live);
	ck_assert_int_eq(server_stop(&s), 0);
	server_cleanup(&s);
}
END_TEST

/* WS_ONLY=name runs just that test (debugging). */
#define ADD(tc, t)                                                      \
	do {                                                            \
		const char *only = getenv("WS_ONLY");                   \
		if (!only || strcmp(only, #t) == 0)                      \
			tcase_add_test(tc, t);                          \
	} while (0)

int main(void)
{
	Suite *suite = suite_create("ws");
	TCase *tc = tcase_create("ws");
	tcase_set_timeout(tc, 280);
	ADD(tc, two_subscribers_see_the_full_stream_in_order);
	ADD(tc, per_submission_socket_carries_only_its_submission);
	ADD(tc, resume_after_disconnect_has_no_gap_and_no_duplicate);
	ADD(tc, resume_after_server_restart_has_no_gap_and_no_duplicate);
	ADD(tc, after_from_the_future_means_now);
	ADD(tc, handshakes_are_authenticated_and_authorised);
	ADD(tc, connections_per_user_are_limited);
	ADD(tc, rest_and_websocket_share_one_port);
	ADD(tc, dead_clients_are_dropped_live_ones_kept);
	suite_add_tcase(suite, tc);
	return test_run_suite(suite);
}
