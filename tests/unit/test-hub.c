/* Unit tests for the hub against a real database: ordering, test results only
 * on per-submission topics, replay with paging and the seam, coalescing,
 * resynchronisation after an overflow. The test thread plays the owner
 * (WebSocket service) thread. */
#include <check.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "feed.h"
#include "hub.h"
#include "log.h"
#include "metrics.h"
#include "util.h"
#include "views.h"

static char dir[256];
static struct db *db;
static struct hub *hub;
static int64_t user_id, problem_id, other_problem_id;

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

static int64_t make_problem(const char *slug)
{
	static const struct db_test tests[] = {
		{"1", "sample", 0, true, "1 2\n", 4, "3\n", 2},
		{"2", "secret", 0, false, "2 2\n", 4, "4\n", 2},
		{"3", "secret", 0, false, "3 2\n", 4, "5\n", 2},
	};
	struct db_problem p = {
		.slug = slug, .title = slug, .statement = "x", .time_limit_ms = 1000, .memory_limit_kb = 65536,
		.output_limit_kb = 1024, .checker_json = "{\"type\":\"tokens\"}", .tests = tests,
		.test_count = 3, .replace_tests = true,
	};
	int64_t id;
	ck_assert_int_eq(db_problem_create(db, &p, &id), 0);
	return id;
}

static int64_t submit(int64_t problem)
{
	int64_t id;
	ck_assert_int_eq(db_submission_create(db, problem, user_id, "c", "int main(){}", NULL, &id, NULL), 0);
	return id;
}

static void setup(void)
{
	const char *base = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/verdict-hub-XXXXXX", base && *base ? base : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char *err = NULL;
	log_set_level(LOG_WARN);
	ck_assert_msg(db_open(dir, true, &db, &err) == 0, "%s", err);
	ck_assert_int_eq(db_user_create(db, "alice", "x", false, &user_id), 0);
	problem_id = make_problem("p");
	other_problem_id = make_problem("q");
	hub = feed_hub_new(db, NULL);
	db_set_change_hook(db, feed_on_change, hub);
	ck_assert_int_eq(hub_start(hub), 0);
	hub_set_wake(hub, NULL, NULL);
}

static void noop_wake(void *ctx)
{
	(void)ctx;
}

static void teardown(void)
{
	hub_set_wake(hub, NULL, NULL);
	hub_stop(hub);
	db_close(db);
	hub_free(hub);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* A consumer: what it received, in order. */
struct consumer {
	struct hub_sub *sub;
	int notified;
	json_t *got;            /* array of the messages */
};

static void on_notify(void *ctx)
{
	((struct consumer *)ctx)->notified++;
}

static void consumer_init(struct consumer *c, enum feed_topic topic, int64_t id, int64_t after)
{
	memset(c, 0, sizeof *c);
	c->got = json_array();
	hub_set_wake(hub, noop_wake, NULL); /* publishing on */
	c->sub = hub_subscribe(hub, (struct hub_key){topic, id}, after, on_notify, c);
}

static void consumer_release(struct consumer *c)
{
	hub_unsubscribe(c->sub);
	json_decref(c->got);
}

/* Takes what is ready now. */
static int take(struct consumer *c)
{
	int n = 0;
	struct hub_msg *m;
	while ((m = hub_sub_next(c->sub))) {
		size_t len;
		const char *text = hub_msg_text(m, &len);
		json_t *j = json_loadb(text, len, 0, NULL);
		ck_assert_ptr_nonnull(j);
		ck_assert_int_eq(strlen(text), len);
		json_array_append_new(c->got, j);
		hub_msg_unref(m);
		n++;
	}
	return n;
}

/* Dispatches and takes until nothing arrives for quiet_ms. */
static void drain(struct consumer *c, int quiet_ms)
{
	int quiet = 0;
	while (quiet < quiet_ms) {
		hub_dispatch(hub);
		if (take(c))
			quiet = 0;
		else {
			sleep_ms(1);
			quiet++;
		}
	}
}

/* Dispatches and takes until `count` messages have arrived (10 s at most:
   replay queries run on another thread, at the machine's pace), then a
   little longer, to catch any that should not come. */
static void drain_until(struct consumer *c, size_t count)
{
	for (int ms = 0; json_array_size(c->got) < count && ms < 10000; ms++) {
		hub_dispatch(hub);
		if (!take(c))
			sleep_ms(1);
	}
	drain(c, 20);
}

static const char *type_at(struct consumer *c, size_t i)
{
	return json_string_value(json_object_get(json_array_get(c->got, i), "type"));
}

static int64_t int_at(struct consumer *c, size_t i, const char *key)
{
	return json_integer_value(json_object_get(json_array_get(c->got, i), key));
}

/* Checks a stream against the database: updates strictly increase in seq and
   are all after `after`, and every submission in scope that changed after
   `after` is there, its last update being its current state (no gap, since
   a newer state may replace older ones but nothing is lost). Returns the
   number of updates. */
static void add_update(void *items, const struct db_submission *s)
{
	struct buf b;
	buf_init(&b);
	view_submission_update(&b, s);
	json_array_append_new(items, json_loadb(b.data, b.len, 0, NULL));
	buf_release(&b);
}

/* The update messages of the submissions in scope changed after seq, as a replay sends them. */
static json_t *since(int64_t problem, int64_t submission, int64_t seq)
{
	json_t *items = json_array();
	db_submissions_changed(db, problem, submission, seq, 1000000, add_update, items);
	return items;
}

static size_t check_stream(struct consumer *c, enum feed_topic topic, int64_t id, int64_t after)
{
	int64_t last = after;
	size_t updates = 0;
	for (size_t i = 0; i < json_array_size(c->got); i++) {
		if (strcmp(type_at(c, i), "submission_update") != 0)
			continue;
		int64_t seq = int_at(c, i, "seq");
		ck_assert_msg(seq > last, "seq %lld after %lld at %zu", (long long)seq, (long long)last, i);
		last = seq;
		updates++;
	}
	json_t *now = since(topic == FEED_PROBLEM_SUBMISSIONS ? id : 0, topic == FEED_SUBMISSION ? id : 0, after);
	for (size_t k = 0; k < json_array_size(now); k++) {
		int64_t sid = json_integer_value(json_object_get(json_array_get(now, k), "submission_id"));
		int64_t seq = json_integer_value(json_object_get(json_array_get(now, k), "seq"));
		int64_t seen = -1;
		for (size_t i = 0; i < json_array_size(c->got); i++)
			if (strcmp(type_at(c, i), "submission_update") == 0 && int_at(c, i, "submission_id") == sid)
				seen = int_at(c, i, "seq");
		ck_assert_msg(seen == seq, "submission %lld: last seen seq %lld, current %lld", (long long)sid,
			      (long long)seen, (long long)seq);
	}
	json_decref(now);
	return updates;
}

/* True when every submission in scope that changed after `after` has been
   seen at its current state. */
static bool stream_complete(struct consumer *c, int64_t problem, int64_t after)
{
	json_t *now = since(problem, 0, after);
	bool complete = true;
	for (size_t k = 0; complete && k < json_array_size(now); k++) {
		int64_t sid = json_integer_value(json_object_get(json_array_get(now, k), "submission_id"));
		int64_t seq = json_integer_value(json_object_get(json_array_get(now, k), "seq"));
		int64_t seen = -1;
		for (size_t i = 0; i < json_array_size(c->got); i++)
			if (strcmp(type_at(c, i), "submission_update") == 0 && int_at(c, i, "submission_id") == sid)
				seen = int_at(c, i, "seq");
		complete = seen == seq;
	}
	json_decref(now);
	return complete;
}

static void drain_complete(struct consumer *c, int64_t problem, int64_t after)
{
	for (int ms = 0; !stream_complete(c, problem, after) && ms < 10000; ms += 5) {
		hub_dispatch(hub);
		if (!take(c))
			sleep_ms(5);
	}
	drain(c, 20);
}

static int64_t seq_of(int64_t submission)
{
	struct db_submission s;
	ck_assert_int_eq(db_submission_get(db, submission, 0, &s), 0);
	int64_t seq = s.seq;
	db_submission_release(&s);
	return seq;
}

START_TEST(live_updates_in_order_and_tests_only_per_submission)
{
	int64_t s = submit(problem_id);
	int64_t start = seq_of(s);
	struct consumer prob, subm, other;
	consumer_init(&prob, FEED_PROBLEM_SUBMISSIONS, problem_id, -1);
	consumer_init(&subm, FEED_SUBMISSION, s, -1);
	consumer_init(&other, FEED_PROBLEM_SUBMISSIONS, other_problem_id, -1);
	int64_t token;
	int attempt;
	/* A consumer that keeps up: take after every change (else the updates
	   of one submission would be coalesced). */
#define STEP(call)                              \
	do {                                    \
		ck_assert_int_eq((call), 0);    \
		hub_dispatch(hub);              \
		take(&prob);                    \
		take(&subm);                    \
		take(&other);                   \
	} while (0)
	STEP(db_judge_begin(db, s, &token, &attempt));
	ck_assert_int_eq(prob.notified, 1);
	STEP(db_judge_compiled(db, s, token, ""));
	ck_assert_int_eq(prob.notified, 2);
	for (int t = 1; t <= 3; t++)
		STEP(db_judge_test(db, s, token, t, "secret", "AC", t, 100 * t, true));
	STEP(db_judge_finish(db, s, token, "AC", -1, 3, 300, 3, NULL, NULL));
#undef STEP
	ck_assert_int_eq(json_array_size(prob.got), 6);
	ck_assert_int_eq(json_array_size(subm.got), 9);
	ck_assert_int_eq(json_array_size(other.got), 0);
	ck_assert_int_eq(check_stream(&prob, FEED_PROBLEM_SUBMISSIONS, problem_id, start), 6);
	ck_assert_int_eq(check_stream(&subm, FEED_SUBMISSION, s, start), 6);
	static const char *const statuses[] = {"compiling", "running", "running", "running", "running", "done"};
	for (int i = 0; i < 6; i++) {
		ck_assert_str_eq(type_at(&prob, i), "submission_update");
		ck_assert_str_eq(json_string_value(json_object_get(json_array_get(prob.got, i), "status")),
				 statuses[i]);
	}
	/* per submission: each test result right after the update that recorded it */
	static const char *const kinds[] = {"submission_update", "submission_update", "submission_update",
					    "test_result", "submission_update", "test_result",
					    "submission_update", "test_result", "submission_update"};
	for (int i = 0; i < 9; i++)
		ck_assert_str_eq(type_at(&subm, i), kinds[i]);
	ck_assert_int_eq(int_at(&subm, 3, "index"), 1);
	ck_assert_int_eq(int_at(&subm, 7, "index"), 3);
	ck_assert_int_eq(int_at(&subm, 7, "memory_kb"), 300);
	consumer_release(&prob);
	consumer_release(&subm);
	consumer_release(&other);
}
END_TEST

START_TEST(replay_pages_then_goes_live_exactly)
{
	/* 150 submissions (more than two pages), then 10 rejudges; the
	   subscriber resumes after the 100th change. */
	int64_t ids[150];
	for (int i = 0; i < 150; i++)
		ids[i] = submit(problem_id);
	for (int i = 0; i < 10; i++)
		ck_assert_int_eq(db_submission_requeue(db, ids[i * 3]), 0);
	int64_t after = seq_of(ids[99]);
	struct consumer c;
	consumer_init(&c, FEED_PROBLEM_SUBMISSIONS, problem_id, after);
	drain_until(&c, 60);
	/* replayed: ids[100..149] at their seqs, then the rejudged ones (ids[0],
	   ids[3], ... ids[27], which all moved past 150) in rejudge order */
	ck_assert_int_eq(json_array_size(c.got), 60);
	for (int i = 0; i < 50; i++)
		ck_assert_int_eq(int_at(&c, (size_t)i, "submission_id"), ids[100 + i]);
	for (int i = 0; i < 10; i++)
		ck_assert_int_eq(int_at(&c, (size_t)(50 + i), "submission_id"), ids[i * 3]);
	check_stream(&c, FEED_PROBLEM_SUBMISSIONS, problem_id, after);
	/* live from here on, no duplicate at the seam */
	ck_assert_int_eq(db_submission_requeue(db, ids[1]), 0);
	drain_until(&c, 61);
	ck_assert_int_eq(json_array_size(c.got), 61);
	ck_assert_int_eq(int_at(&c, 60, "submission_id"), ids[1]);
	check_stream(&c, FEED_PROBLEM_SUBMISSIONS, problem_id, after);
	consumer_release(&c);
}
END_TEST

struct churn {
	atomic_bool stop;
	int64_t ids[40];
	int rounds;
};

static void *churn_main(void *arg)
{
	struct churn *ch = arg;
	for (int r = 0; !atomic_load(&ch->stop); r++) {
		ck_assert_int_eq(db_submission_requeue(db, ch->ids[r % 40]), 0);
		ch->rounds++;
		if (r % 8 == 0)
			sleep_ms(1);
	}
	return NULL;
}

START_TEST(seam_holds_while_changes_flow)
{
	/* Subscribers resume while another thread keeps committing: each sees
	   seq strictly increasing and ends at every submission's final state. */
	struct churn ch = {0};
	for (int i = 0; i < 40; i++)
		ch.ids[i] = submit(problem_id);
	for (int i = 0; i < 300; i++)
		submit(problem_id);
	pthread_t t;
	ck_assert_int_eq(pthread_create(&t, NULL, churn_main, &ch), 0);
	struct consumer c[8];
	int64_t base = seq_of(ch.ids[0]) - 1;
	for (int k = 0; k < 8; k++) {
		hub_dispatch(hub);
		consumer_init(&c[k], FEED_PROBLEM_SUBMISSIONS, problem_id, base + k * 40);
		for (int spin = 0; spin < 5; spin++) {
			hub_dispatch(hub);
			for (int j = 0; j <= k; j++)
				take(&c[j]);
			sleep_ms(2);
		}
	}
	sleep_ms(50);
	atomic_store(&ch.stop, true);
	pthread_join(t, NULL);
	ck_assert_int_gt(ch.rounds, 0);
	for (int k = 0; k < 8; k++) {
		drain_complete(&c[k], problem_id, base + k * 40);
		check_stream(&c[k], FEED_PROBLEM_SUBMISSIONS, problem_id, base + k * 40);
		consumer_release(&c[k]);
	}
}
END_TEST

START_TEST(slow_subscriber_gets_newest_state_coalesced)
{
	enum { N = HUB_COALESCE_AFTER + 4 };
	int64_t ids[N];
	for (int i = 0; i < N; i++)
		ids[i] = submit(problem_id);
	int64_t start = seq_of(ids[N - 1]);
	struct consumer c;
	consumer_init(&c, FEED_PROBLEM_SUBMISSIONS, problem_id, -1);
	int64_t before = metrics_get(METRIC_WS_COALESCED);
	/* a few pending: nothing is coalesced */
	for (int k = 0; k < 3; k++)
		ck_assert_int_eq(db_submission_requeue(db, ids[0]), 0);
	hub_dispatch(hub);
	ck_assert_int_eq(take(&c), 3);
	ck_assert_int_eq(metrics_get(METRIC_WS_COALESCED), before);
	/* behind: N pending, then more states of two of them */
	for (int i = 0; i < N; i++)
		ck_assert_int_eq(db_submission_requeue(db, ids[i]), 0);
	for (int k = 0; k < 5; k++) {
		ck_assert_int_eq(db_submission_requeue(db, ids[0]), 0);
		ck_assert_int_eq(db_submission_requeue(db, ids[1]), 0);
	}
	hub_dispatch(hub);
	hub_dispatch(hub);
	ck_assert_int_eq(take(&c), N);
	ck_assert_int_eq(metrics_get(METRIC_WS_COALESCED) - before, 10);
	for (int i = 2; i < N; i++)
		ck_assert_int_eq(int_at(&c, (size_t)(3 + i - 2), "submission_id"), ids[i]);
	ck_assert_int_eq(int_at(&c, 3 + N - 2, "submission_id"), ids[0]);
	ck_assert_int_eq(int_at(&c, 3 + N - 1, "submission_id"), ids[1]);
	check_stream(&c, FEED_PROBLEM_SUBMISSIONS, problem_id, start);
	consumer_release(&c);
}
END_TEST

START_TEST(overflow_resyncs_problem_subscriber_from_last_sent)
{
	int64_t ids[HUB_QUEUE_MAX + 50];
	int n = HUB_QUEUE_MAX + 50;
	for (int i = 0; i < n; i++)
		ids[i] = submit(problem_id);
	int64_t start = seq_of(ids[n - 1]);
	struct consumer c;
	consumer_init(&c, FEED_PROBLEM_SUBMISSIONS, problem_id, -1);
	ck_assert_int_eq(db_submission_requeue(db, ids[0]), 0);
	ck_assert_int_eq(db_submission_requeue(db, ids[1]), 0);
	hub_dispatch(hub);
	ck_assert_int_eq(take(&c), 2);
	int64_t resyncs = metrics_get(METRIC_WS_RESYNCS);
	int64_t count;
	ck_assert_int_eq(db_problem_requeue(db, problem_id, &count), 0);
	ck_assert_int_eq(count, n);
	ck_assert_int_eq(db_submission_requeue(db, ids[5]), 0);
	for (int i = 0; i < 20; i++) /* a subscriber that does not keep up */
		hub_dispatch(hub);
	drain_until(&c, 2 + (size_t)n);
	ck_assert_int_eq(metrics_get(METRIC_WS_RESYNCS) - resyncs, 1);
	/* 2 live, then the current state of every submission: ids[5] last */
	ck_assert_int_eq(json_array_size(c.got), 2 + n);
	ck_assert_int_eq(int_at(&c, json_array_size(c.got) - 1, "submission_id"), ids[5]);
	check_stream(&c, FEED_PROBLEM_SUBMISSIONS, problem_id, start);
	consumer_release(&c);
}
END_TEST

START_TEST(overflow_fails_per_submission_subscriber)
{
	int64_t s = submit(problem_id);
	struct consumer c;
	consumer_init(&c, FEED_SUBMISSION, s, -1);
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(db_submission_requeue(db, s), 0);
	hub_dispatch(hub);
	ck_assert(!hub_sub_failed(c.sub));
	ck_assert_int_eq(take(&c), 5);
	int64_t token;
	int attempt;
	ck_assert_int_eq(db_judge_begin(db, s, &token, &attempt), 0);
	for (int t = 1; t <= HUB_QUEUE_MAX + 1; t++)
		ck_assert_int_eq(db_judge_test(db, s, token, t, "secret", "AC", 1, 1, true), 0);
	int before = c.notified;
	for (int i = 0; i < 20; i++)
		hub_dispatch(hub);
	ck_assert(hub_sub_failed(c.sub));
	ck_assert_int_gt(c.notified, before);
	ck_assert_ptr_null(hub_sub_next(c.sub));
	consumer_release(&c);
}
END_TEST

START_TEST(unsubscribe_during_replay_is_safe)
{
	for (int i = 0; i < 100; i++)
		submit(problem_id);
	struct consumer c;
	consumer_init(&c, FEED_PROBLEM_SUBMISSIONS, problem_id, 0);
	consumer_release(&c); /* query still pending: freed when it returns */
	consumer_init(&c, FEED_PROBLEM_SUBMISSIONS, problem_id, 0);
	drain_until(&c, 100);
	ck_assert_int_eq(json_array_size(c.got), 100);
	consumer_release(&c);
	sleep_ms(20);
	hub_dispatch(hub);
}
END_TEST

START_TEST(user_slots)
{
	ck_assert(hub_user_acquire(hub, 7, 2));
	ck_assert(hub_user_acquire(hub, 7, 2));
	ck_assert(!hub_user_acquire(hub, 7, 2));
	ck_assert(hub_user_acquire(hub, 8, 2));
	ck_assert_int_eq(hub_user_count(hub, 7), 2);
	hub_user_release(hub, 7);
	ck_assert(hub_user_acquire(hub, 7, 2));
	hub_user_release(hub, 7);
	hub_user_release(hub, 7);
	hub_user_release(hub, 8);
	ck_assert_int_eq(hub_user_count(hub, 7), 0);
}
END_TEST

START_TEST(nothing_is_published_without_subscribers)
{
	hub_set_wake(hub, noop_wake, NULL);
	submit(problem_id);
	hub_dispatch(hub); /* nothing queued: frees nothing, crashes nothing */
	struct consumer c;
	consumer_init(&c, FEED_PROBLEM_SUBMISSIONS, problem_id, -1);
	drain(&c, 10);
	ck_assert_int_eq(json_array_size(c.got), 0);
	consumer_release(&c);
}
END_TEST

/* What ws does between admitting a handshake and subscribing: a change that
   commits in between is published (an expected subscriber listens) and, once
   dispatched, raises hub_dispatched_seq above the admitted seq, so the late
   subscriber replays it. */
START_TEST(expected_subscriber_misses_nothing)
{
	hub_set_wake(hub, noop_wake, NULL);
	int64_t admitted = db_seq(db);
	ck_assert(!hub_listening(hub));
	hub_expect(hub);
	ck_assert(hub_listening(hub));
	int64_t s = submit(problem_id);
	hub_dispatch(hub);
	ck_assert_int_gt(hub_dispatched_seq(hub), admitted);
	struct consumer c;
	consumer_init(&c, FEED_PROBLEM_SUBMISSIONS, problem_id,
		      hub_dispatched_seq(hub) > admitted ? admitted : -1);
	hub_expect_done(hub);
	drain(&c, 10);
	ck_assert_int_eq(json_array_size(c.got), 1);
	ck_assert_int_eq(int_at(&c, 0, "submission_id"), s);
	ck_assert_str_eq(type_at(&c, 0), "submission_update");
	consumer_release(&c);
	ck_assert(!hub_listening(hub));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("hub");
	TCase *tc = tcase_create("hub");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, live_updates_in_order_and_tests_only_per_submission);
	tcase_add_test(tc, replay_pages_then_goes_live_exactly);
	tcase_add_test(tc, seam_holds_while_changes_flow);
	tcase_add_test(tc, slow_subscriber_gets_newest_state_coalesced);
	tcase_add_test(tc, overflow_resyncs_problem_subscriber_from_last_sent);
	tcase_add_test(tc, overflow_fails_per_submission_subscriber);
	tcase_add_test(tc, unsubscribe_during_replay_is_safe);
	tcase_add_test(tc, user_slots);
	tcase_add_test(tc, nothing_is_published_without_subscribers);
	tcase_add_test(tc, expected_subscriber_misses_nothing);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
