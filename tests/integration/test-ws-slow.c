/* WebSocket integration test of a stalled subscriber: it must not delay a
 * subscriber that reads, nor make the server's memory grow, and once it
 * reads again it must catch up to every submission's final state. */
#include <check.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "ws_client.h"
#include "ws_helpers.h"

/* ---- slow consumers ---- */

struct reader {
	struct ws_client *c;
	json_t *got;
	atomic_bool stop;
	atomic_llong last_seq;
	pthread_t thread;
};

static void *reader_main(void *arg)
{
	struct reader *rd = arg;
	while (!atomic_load(&rd->stop)) {
		json_t *m = ws_client_recv_json(rd->c, 100);
		if (!m)
			continue;
		if (json_integer_value(json_object_get(m, "seq")))
			atomic_store(&rd->last_seq, json_integer_value(json_object_get(m, "seq")));
		json_array_append_new(rd->got, m);
	}
	return NULL;
}

START_TEST(stalled_subscriber_neither_delays_others_nor_grows_memory)
{
	/* Pings must not drop the stalled client during the test. */
	setenv("VERDICT_WS_PING_INTERVAL", "600", 1);
	struct server s;
	/* One user floods the feed with submissions: no quota. */
	static const char *const args[] = {"--submissions-per-minute", "0", "--queued-per-user", "0", NULL};
	server_start(&s, args);
	char alice[64];
	test_create_user(&s, "alice", false, alice, sizeof alice);
	long long p = wsh_problem(&s, "sum");
	/* N > HUB_QUEUE_MAX, so that a reader that falls behind a whole problem
	   rejudge has to be resynchronised from the database. The judge works
	   on them meanwhile, adding its own updates. */
	enum { N = 300, ROUNDS = 30 };
	static long long ids[N];
	for (int i = 0; i < N; i++)
		ids[i] = submit_ce(&s, alice, p);

	struct reader fast = {.got = json_array()};
	fast.c = wsh_open(&s, NULL, "/ws/problems/%lld/submissions/?token=%s", p, alice);
	struct ws_client_opts small = {.rcvbuf = 4096};
	struct ws_client *stalled = wsh_open(&s, &small, "/ws/problems/%lld/submissions/?token=%s", p, alice);
	ck_assert_int_eq(pthread_create(&fast.thread, NULL, reader_main, &fast), 0);
	long long sent0 = wsh_metric(&s, "verdict_ws_messages_sent_total");
	long rss[3] = {0, 0, 0};
	long long worst_lag = 0;
	for (int round = 0; round < ROUNDS; round++) {
		if (round == 0)
			rss[0] = wsh_rss_kb(s.pid);
		if (round == ROUNDS / 2)
			rss[1] = wsh_rss_kb(s.pid);
		/* Each rejudge puts all N back to queued in one transaction (N updates);
		   the judge then adds its own. The fast reader must see the rejudge's
		   last update promptly although the stalled one reads nothing. */
		int64_t t0 = mono_ms();
		wsh_rejudge_problem(&s, p);
		long long target = wsh_seq(&s, ids[N - 1], NULL, 0);
		while (atomic_load(&fast.last_seq) < target && mono_ms() - t0 < 10000)
			sleep_ms(1);
		ck_assert_msg(atomic_load(&fast.last_seq) >= target, "round %d: fast reader stuck at %lld < %lld",
			      round, (long long)atomic_load(&fast.last_seq), target);
		if (mono_ms() - t0 > worst_lag)
			worst_lag = mono_ms() - t0;
	}
	rss[2] = wsh_rss_kb(s.pid);
	/* let the judge finish, then the fast reader must hold every final state */
	ck_assert(wait_done(&s, ids, N, 240));
	sleep_ms(500);
	atomic_store(&fast.stop, true);
	pthread_join(fast.thread, NULL);
	assert_increasing(fast.got, 0);
	for (int i = 0; i < N; i++)
		ck_assert_int_eq(last_seq_of(fast.got, ids[i]), wsh_seq(&s, ids[i], NULL, 0));
	long long sent = wsh_metric(&s, "verdict_ws_messages_sent_total") - sent0;
	fprintf(stderr, "stalled test: %zu messages to the fast reader, %lld sent in all, worst round %lld ms,"
		" RSS %ld -> %ld -> %ld KiB, coalesced %lld, resyncs %lld\n", json_array_size(fast.got), sent, worst_lag,
		rss[0], rss[1], rss[2], wsh_metric(&s, "verdict_ws_messages_coalesced_total"),
		wsh_metric(&s, "verdict_ws_resyncs_total"));
	ck_assert_int_ge((long long)json_array_size(fast.got), (long long)N * ROUNDS);
	/* A reader that is not read from costs the others nothing: each round's
	   N updates reached the fast reader within a few hundred ms here (bound
	   generous for a loaded machine and ASan). */
	ck_assert_msg(worst_lag < 3000, "the fast reader waited %lld ms for a round", worst_lag);
	ck_assert_int_ge(wsh_metric(&s, "verdict_ws_resyncs_total"), 1);
#if !defined(__SANITIZE_ADDRESS__)
	/* The stalled reader was offered N*ROUNDS/2 messages (~2 MB of JSON) in
	   the second half; none of them may stay behind for it. (ASan's
	   quarantine would hide this, so only without ASan.) */
	ck_assert_msg(rss[2] - rss[1] < 1024, "server RSS grew by %ld KiB while a client stalled", rss[2] - rss[1]);
#endif
	/* The stalled reader catches up: strictly increasing, every submission at
	   its final state (coalesced and resynchronised from the database). */
	json_t *late = json_array();
	collect(stalled, late, 5000, NULL, NULL);
	ck_assert(!ws_client_closed(stalled, NULL));
	assert_increasing(late, 0);
	for (int i = 0; i < N; i++)
		ck_assert_int_eq(last_seq_of(late, ids[i]), wsh_seq(&s, ids[i], NULL, 0));
	ck_assert_int_lt((long long)json_array_size(late), (long long)json_array_size(fast.got));
	json_decref(late);
	json_decref(fast.got);
	ws_client_free(fast.c);
	ws_client_free(stalled);
	ck_assert_int_eq(server_stop(&s), 0);
	server_cleanup(&s);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("ws-slow");
	TCase *tc = tcase_create("ws-slow");
	tcase_set_timeout(tc, 280);
	tcase_add_test(tc, stalled_subscriber_neither_delays_others_nor_grows_memory);
	suite_add_tcase(suite, tc);
	return test_run_suite(suite);
}
