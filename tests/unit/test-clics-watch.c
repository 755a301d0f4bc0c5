/* Unit tests for clics_watch: a change wakes the watchers of its contest only
 * (in the contest's scope, or the contest or its state itself), a removed
 * watcher is never woken, close_all wakes everyone with CLOSE and refuses new
 * watchers, and the keep-alive thread wakes a silent watcher but not one that
 * keeps writing. */
#include <check.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "clics_watch.h"
#include "db.h"
#include "util.h"

struct counts {
	_Atomic int change, keepalive, close;
};

static void on_wake(void *ctx, enum clics_wake why)
{
	struct counts *c = ctx;
	if (why == CLICS_WAKE_CHANGE)
		atomic_fetch_add(&c->change, 1);
	else if (why == CLICS_WAKE_KEEPALIVE)
		atomic_fetch_add(&c->keepalive, 1);
	else
		atomic_fetch_add(&c->close, 1);
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

static void change(struct clics_watch *w, enum db_kind kind, int64_t id, enum db_kind scope_kind, int64_t scope_id)
{
	struct db_change c = {.kind = kind, .id = id, .seq = 1, .scope_kind = scope_kind, .scope_id = scope_id};
	clics_watch_on_change(w, &c);
}

START_TEST(change_wakes_its_contest_only)
{
	struct clics_watch *w = clics_watch_new(120000);
	struct counts a = {0}, a2 = {0}, b = {0};
	struct clics_watcher *xa = clics_watch_add(w, 1, on_wake, &a);
	struct clics_watcher *xa2 = clics_watch_add(w, 1, on_wake, &a2);
	struct clics_watcher *xb = clics_watch_add(w, 2, on_wake, &b);
	ck_assert_ptr_nonnull(xa);
	ck_assert_ptr_nonnull(xb);

	change(w, DB_KIND_CLARIFICATION, 7, DB_KIND_CONTEST, 1); /* in contest 1's scope */
	ck_assert_int_eq(a.change, 1);
	ck_assert_int_eq(a2.change, 1);
	ck_assert_int_eq(b.change, 0);
	change(w, DB_KIND_CONTEST, 2, DB_KIND_CONTEST, 2); /* contest 2 itself */
	change(w, DB_KIND_CONTEST_STATE, 2, DB_KIND_NONE, 0); /* its state, whatever the scope says */
	ck_assert_int_eq(b.change, 2);
	ck_assert_int_eq(a.change, 1);
	change(w, DB_KIND_PROBLEM, 1, DB_KIND_NONE, 0);  /* no contest's */
	change(w, DB_KIND_SUBMISSION, 2, DB_KIND_PROBLEM, 1);
	change(w, DB_KIND_USER, 1, DB_KIND_USER, 1);
	change(w, DB_KIND_TEAM, 9, DB_KIND_CONTEST, 3); /* a contest nobody watches */
	ck_assert_int_eq(a.change + b.change, 3);

	clics_watch_remove(xa);
	change(w, DB_KIND_SUBMISSION, 8, DB_KIND_CONTEST, 1);
	ck_assert_int_eq(a.change, 1);
	ck_assert_int_eq(a2.change, 2);
	clics_watch_remove(xa2);
	clics_watch_remove(xb);
	/* The contest's list went with its last watcher; a new one starts it again. */
	struct clics_watcher *xa3 = clics_watch_add(w, 1, on_wake, &a);
	change(w, DB_KIND_SUBMISSION, 8, DB_KIND_CONTEST, 1);
	ck_assert_int_eq(a.change, 2);
	clics_watch_remove(xa3);
	clics_watch_remove(NULL);
	clics_watch_free(w);
	clics_watch_free(NULL);
}
END_TEST

START_TEST(close_all_wakes_everyone_and_refuses_new_watchers)
{
	struct clics_watch *w = clics_watch_new(120000);
	ck_assert_int_eq(clics_watch_start(w), 0);
	struct counts a = {0}, b = {0};
	struct clics_watcher *xa = clics_watch_add(w, 1, on_wake, &a);
	struct clics_watcher *xb = clics_watch_add(w, 5, on_wake, &b);
	clics_watch_close_all(w);
	ck_assert_int_eq(a.close, 1);
	ck_assert_int_eq(b.close, 1);
	clics_watch_close_all(w); /* idempotent */
	ck_assert_int_eq(a.close + b.close, 2);
	ck_assert_ptr_null(clics_watch_add(w, 1, on_wake, &a));
	clics_watch_remove(xa);
	clics_watch_remove(xb);
	clics_watch_free(w);
}
END_TEST

/* A writer that calls clics_watcher_wrote every 10 ms until told to stop. */
struct writer {
	struct clics_watcher *x;
	atomic_bool stop;
};

static void *writer_main(void *arg)
{
	struct writer *wr = arg;
	while (!atomic_load(&wr->stop)) {
		clics_watcher_wrote(wr->x);
		sleep_ms(10);
	}
	return NULL;
}

START_TEST(keepalive_wakes_the_silent_only)
{
	struct clics_watch *w = clics_watch_new(1000);
	ck_assert_int_eq(clics_watch_start(w), 0);
	struct counts busy = {0}, silent = {0};
	struct writer wr = {.x = clics_watch_add(w, 1, on_wake, &busy)};
	pthread_t t;
	ck_assert_int_eq(pthread_create(&t, NULL, writer_main, &wr), 0);
	sleep_ms(100); /* the watch thread is waiting on the busy one's deadline */
	struct clics_watcher *xs = clics_watch_add(w, 1, on_wake, &silent);
	for (int i = 0; i < 2000 && atomic_load(&silent.keepalive) < 2; i++)
		sleep_ms(10);
	ck_assert_int_ge(silent.keepalive, 2); /* again after each silent second, not just once */
	atomic_store(&wr.stop, true);
	pthread_join(t, NULL);
	ck_assert_int_eq(busy.keepalive, 0);
	ck_assert_int_eq(silent.change + silent.close, 0);
	clics_watch_remove(xs);
	clics_watch_remove(wr.x);
	clics_watch_free(w);
}
END_TEST

START_TEST(keepalive_waits_for_a_first_watcher)
{
	struct clics_watch *w = clics_watch_new(50);
	ck_assert_int_eq(clics_watch_start(w), 0);
	sleep_ms(50); /* the thread now waits with no deadline */
	struct counts a = {0};
	struct clics_watcher *x = clics_watch_add(w, 3, on_wake, &a);
	for (int i = 0; i < 2000 && !atomic_load(&a.keepalive); i++)
		sleep_ms(5);
	ck_assert_int_ge(a.keepalive, 1);
	clics_watch_remove(x);
	clics_watch_free(w);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("clics-watch");
	TCase *tc = tcase_create("clics-watch");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, change_wakes_its_contest_only);
	tcase_add_test(tc, close_all_wakes_everyone_and_refuses_new_watchers);
	tcase_add_test(tc, keepalive_wakes_the_silent_only);
	tcase_add_test(tc, keepalive_waits_for_a_first_watcher);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
