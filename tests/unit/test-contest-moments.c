/* Unit tests of the contest state in the change log on a real database: the
 * store's db_contest_log_state (once per state, the thaw's re-log of exactly
 * the submissions the freeze hid, after the state change, idempotent; a freeze
 * moved later) and the moments thread (contest/moments.c) with contest times
 * a moment from now: the start, the freeze and the end by the clock, a thaw
 * by an action, a scheduled thaw, a thaw after a finalize, and a restart
 * after a moment passed while no thread ran. No timed assertions: each test
 * waits, with a generous timeout, until what it expects is in the log. */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "boards.h"
#include "clock.h"
#include "common.h"
#include "contestdb.h"
#include "db.h"
#include "db_int.h"
#include "moments.h"

#define WAIT_MS 30000

static struct moments *moments;
static struct boards *boards; /* when a test puts them on the hook */
static int64_t user, problem;

static void on_change(void *ctx, struct db *db, const struct db_change *change)
{
	(void)ctx;
	if (boards)
		boards_on_change(boards, db, change);
	moments_on_change(moments, change);
}

static void setup(void)
{
	contestdb_setup();
	user = contestdb_user("alice");
	problem = contestdb_problem("pa");
	db_set_change_hook(cdb, on_change, NULL);
}

static void teardown(void)
{
	moments_free(moments);
	moments = NULL;
	boards_free(boards);
	boards = NULL;
	contestdb_teardown();
}

static void start_thread(void)
{
	moments = moments_new(cdb);
	ck_assert_int_eq(moments_start(moments), 0);
}

/* A public contest of one hour with a freeze of freeze_ms; start 0: none. */
static int64_t make_contest(const char *name, int64_t start_ms, int64_t duration_ms, int64_t freeze_ms)
{
	const struct db_contest_problem problems[] = {{.problem_id = problem, .label = "A", .color = ""}};
	const struct db_contest k = {.shortname = name, .name = name, .formal_name = "", .start_ms = start_ms,
				     .duration_ms = duration_ms, .freeze_ms = freeze_ms, .scoring = "icpc",
				     .ioi_mode = "max_submission", .penalty_min = 20, .public_ = true,
				     .problems = problems, .problem_count = 1};
	int64_t id = 0;
	ck_assert_int_eq(db_contest_create(cdb, &k, &id), 0);
	return id;
}

static int64_t submit(int64_t contest, int64_t submitted_ms)
{
	struct db_submit_context ctx = {.contest_id = contest, .submitted_ms = submitted_ms};
	int64_t id = 0;
	ck_assert_int_eq(db_submission_create_in(cdb, problem, user, "c", "int main(void){}", &ctx, NULL, &id, NULL), 0);
	return id;
}

/* The seq of (kind, id)'s latest change in the contest's scope; 0: none. */
static int64_t seq_of(enum db_kind kind, int64_t id, int64_t contest)
{
	struct db_change ch[256];
	size_t n = db_changes_since(cdb, kind, DB_KIND_CONTEST, contest, 0, ch, 256);
	for (size_t i = 0; i < n; i++)
		if (ch[i].id == id)
			return ch[i].seq;
	return 0;
}

static int64_t state_seq(int64_t contest)
{
	return seq_of(DB_KIND_CONTEST_STATE, contest, contest);
}

/* The phase last logged for the contest ("" when none). */
static void phase_logged(int64_t contest, char *out, size_t size)
{
	sqlite3 *h = db_handle(db_reader(cdb));
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(h, "SELECT coalesce(phase_logged, '') FROM contests WHERE id = ?", -1, &st,
					    NULL),
			 SQLITE_OK);
	sqlite3_bind_int64(st, 1, contest);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	snprintf(out, size, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* Waits until the contest's logged phase is `phase` and its state change is
   newer than after; returns that change's seq. */
static int64_t wait_phase(int64_t contest, const char *phase, int64_t after)
{
	char got[32] = "";
	for (int waited = 0; waited < WAIT_MS; waited += 10) {
		phase_logged(contest, got, sizeof got);
		int64_t seq = state_seq(contest);
		if (strcmp(got, phase) == 0 && seq > after)
			return seq;
		sleep_ms(10);
	}
	ck_abort_msg("contest %lld: phase '%s' never logged (last: '%s')", (long long)contest, phase, got);
	return 0;
}

static bool log_state(int64_t contest, const char *phase, int64_t hidden_from)
{
	bool logged = true;
	ck_assert_int_eq(db_contest_log_state(cdb, contest, phase, hidden_from, &logged), 0);
	return logged;
}

/* ---- the store ---- */

START_TEST(test_logs_once_per_state)
{
	int64_t k = make_contest("k", 0, 3600000, 0);
	ck_assert_int_eq(state_seq(k), 0);
	ck_assert(log_state(k, "scheduled", 0));
	int64_t s1 = state_seq(k);
	ck_assert_int_gt(s1, 0);
	ck_assert_int_eq(db_seq(cdb), s1);
	ck_assert(!log_state(k, "scheduled", 0));
	ck_assert_int_eq(db_seq(cdb), s1);
	ck_assert(log_state(k, "running", 0));
	int64_t s2 = state_seq(k);
	ck_assert_int_gt(s2, s1);
	ck_assert(!log_state(k, "running", 0));
	ck_assert_int_eq(state_seq(k), s2);
	/* The same phase with the freeze now hiding results is a new state. */
	ck_assert(log_state(k, "running", 1000));
	ck_assert_int_gt(state_seq(k), s2);
	bool logged = true;
	ck_assert_int_eq(db_contest_log_state(cdb, 999, "running", 0, &logged), DB_E_NOT_FOUND);
	ck_assert(!logged);
}
END_TEST

START_TEST(test_thaw_relogs_hidden)
{
	int64_t now = contest_now_ms();
	int64_t k = make_contest("k", now - 7200000, 3600000, 1800000), other = make_contest("o", now - 7200000, 3600000, 1800000);
	int64_t freeze = now - 7200000 + 1800000;
	int64_t before = submit(k, freeze - 1), at = submit(k, freeze), after = submit(k, freeze + 60000);
	int64_t elsewhere = submit(other, freeze + 60000);
	int64_t s_before = seq_of(DB_KIND_SUBMISSION, before, k), s_at = seq_of(DB_KIND_SUBMISSION, at, k),
		s_after = seq_of(DB_KIND_SUBMISSION, after, k), s_elsewhere = seq_of(DB_KIND_SUBMISSION, elsewhere, other);

	ck_assert(log_state(k, "ended", freeze));
	ck_assert(!log_state(k, "ended", freeze));
	ck_assert_int_eq(seq_of(DB_KIND_SUBMISSION, at, k), s_at); /* a freeze re-logs nothing */
	ck_assert_int_eq(seq_of(DB_KIND_SUBMISSION, after, k), s_after);

	ck_assert(log_state(k, "thawed", 0));
	int64_t thaw = state_seq(k);
	ck_assert_int_eq(seq_of(DB_KIND_SUBMISSION, before, k), s_before);
	ck_assert_int_eq(seq_of(DB_KIND_SUBMISSION, elsewhere, other), s_elsewhere);
	int64_t r_at = seq_of(DB_KIND_SUBMISSION, at, k), r_after = seq_of(DB_KIND_SUBMISSION, after, k);
	ck_assert_int_gt(r_at, thaw);
	ck_assert_int_gt(r_after, thaw);
	ck_assert_int_eq(db_seq(cdb), thaw + 2);

	/* Idempotent: the same state again logs nothing. */
	ck_assert(!log_state(k, "thawed", 0));
	ck_assert_int_eq(db_seq(cdb), thaw + 2);
}
END_TEST

START_TEST(test_freeze_moved_later)
{
	int64_t now = contest_now_ms();
	int64_t k = make_contest("k", now - 600000, 3600000, 0);
	int64_t a = submit(k, now - 300000), b = submit(k, now - 100000);
	int64_t s_b = seq_of(DB_KIND_SUBMISSION, b, k);
	ck_assert(log_state(k, "frozen", now - 400000));
	/* The freeze now comes later: what lies between the two is no longer hidden. */
	ck_assert(log_state(k, "frozen", now - 200000));
	int64_t st = state_seq(k);
	ck_assert_int_gt(seq_of(DB_KIND_SUBMISSION, a, k), st);
	ck_assert_int_eq(seq_of(DB_KIND_SUBMISSION, b, k), s_b);
}
END_TEST

/* Whether the board still holds its frozen public view (not yet switched to thawed). */
static void read_frozen(void *ctx, const struct boards_view *v)
{
	*(bool *)ctx = !board_settings(v->board)->thawed;
}

/* The boards switch at a logged moment, before the submissions a thaw logs
   again reach them, even with their own timer behind (here: not running). */
START_TEST(test_boards_switch_at_the_state)
{
	int64_t now = contest_now_ms();
	int64_t k = make_contest("k", now - 7200000, 3600000, 1800000);
	ck_assert_int_eq(db_contest_set_time(cdb, k, DB_CONTEST_THAW_AT, now + 300), 0);
	boards = boards_new(cdb);
	bool frozen = false;
	ck_assert_int_eq(boards_read(boards, k, read_frozen, &frozen), 0);
	ck_assert(frozen);
	while (contest_now_ms() <= now + 300)
		sleep_ms(10);
	ck_assert(log_state(k, "thawed", 0));
	ck_assert_int_eq(boards_read(boards, k, read_frozen, &frozen), 0);
	ck_assert(!frozen);
}
END_TEST

/* ---- the thread ---- */

START_TEST(test_moments_by_clock)
{
	start_thread();
	int64_t now = contest_now_ms();
	/* Starts in 2 s, runs 4 s, freezes for its last 2 s. */
	int64_t k = make_contest("k", now + 2000, 4000, 2000);
	int64_t s = wait_phase(k, "running", 0);
	int64_t hidden = submit(k, now + 4500); /* made after the freeze (by its time) */
	s = wait_phase(k, "frozen", s);
	s = wait_phase(k, "ended", s);
	ck_assert_int_lt(seq_of(DB_KIND_SUBMISSION, hidden, k), s);
	/* The thaw by an action. */
	ck_assert_int_eq(db_contest_set_time(cdb, k, DB_CONTEST_THAW_AT, contest_now_ms()), 0);
	s = wait_phase(k, "thawed", s);
	ck_assert_int_gt(seq_of(DB_KIND_SUBMISSION, hidden, k), s);
}
END_TEST

START_TEST(test_scheduled_thaw)
{
	int64_t now = contest_now_ms();
	int64_t k = make_contest("k", now - 7200000, 3600000, 1800000);
	int64_t hidden = submit(k, now - 7200000 + 2000000);
	ck_assert_int_eq(db_contest_set_time(cdb, k, DB_CONTEST_THAW_AT, now + 1500), 0);
	start_thread();
	int64_t s = wait_phase(k, "ended", 0);
	ck_assert_int_lt(seq_of(DB_KIND_SUBMISSION, hidden, k), s);
	s = wait_phase(k, "thawed", s);
	ck_assert_int_gt(seq_of(DB_KIND_SUBMISSION, hidden, k), s);
}
END_TEST

START_TEST(test_thaw_after_finalize)
{
	int64_t now = contest_now_ms();
	int64_t k = make_contest("k", now - 7200000, 3600000, 1800000);
	int64_t hidden = submit(k, now - 7200000 + 2000000);
	start_thread();
	int64_t s = wait_phase(k, "ended", 0);
	ck_assert_int_eq(db_contest_set_time(cdb, k, DB_CONTEST_FINALIZED_AT, contest_now_ms()), 0);
	s = wait_phase(k, "finalized", s);
	int64_t still = seq_of(DB_KIND_SUBMISSION, hidden, k);
	ck_assert_int_lt(still, s);
	/* Finalized and frozen: the thaw keeps the phase, and still re-logs. */
	ck_assert_int_eq(db_contest_set_time(cdb, k, DB_CONTEST_THAW_AT, contest_now_ms()), 0);
	s = wait_phase(k, "finalized", s);
	ck_assert_int_gt(seq_of(DB_KIND_SUBMISSION, hidden, k), s);
}
END_TEST

START_TEST(test_restart_logs_once)
{
	int64_t now = contest_now_ms();
	/* Logged as scheduled, then the start and the freeze passed with no thread. */
	int64_t k = make_contest("k", now - 60000, 3600000, 3600000);
	ck_assert(log_state(k, "scheduled", 0));
	int64_t before = state_seq(k);
	start_thread();
	int64_t s = wait_phase(k, "frozen", before);
	moments_free(moments);
	moments = NULL;
	/* A second start finds k's state logged. A new contest after it is
	   passed after k: once its state is logged, k's would have been. */
	int64_t top = db_seq(cdb);
	start_thread();
	int64_t k2 = make_contest("k2", 0, 3600000, 0);
	wait_phase(k2, "scheduled", 0);
	ck_assert_int_eq(state_seq(k), s);
	ck_assert_int_eq(db_seq(cdb), top + 2); /* k2's creation and its state */
}
END_TEST

static Suite *moments_suite(void)
{
	Suite *s = suite_create("contest-moments");
	TCase *tc = tcase_create("store");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_logs_once_per_state);
	tcase_add_test(tc, test_thaw_relogs_hidden);
	tcase_add_test(tc, test_freeze_moved_later);
	tcase_add_test(tc, test_boards_switch_at_the_state);
	suite_add_tcase(s, tc);
	tc = tcase_create("thread");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_moments_by_clock);
	tcase_add_test(tc, test_scheduled_thaw);
	tcase_add_test(tc, test_thaw_after_finalize);
	tcase_add_test(tc, test_restart_logs_once);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(moments_suite());
}
