/* CLICS event feed benchmark: a public ICPC contest of TEAMS teams and
 * SUBMISSIONS submissions (default 30 and 300, the size of the contest-board
 * test), each judged test by test (5 tests) through the store's judge calls
 * so the change log is what a real contest leaves, some of them in the
 * freeze; then the time to produce the whole feed from the beginning of
 * time (best of 9):
 *   - in this process (clics_feed on the database, with the boards built);
 *   - over HTTP: GET .../event-feed?stream=false on the real server, for the
 *     jury (Basic auth) and the public.
 * Usage: feed-bench [TEAMS [SUBMISSIONS]]. Asserts nothing about speed. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "bench_util.h"
#include "boards.h"
#include "clics_feed.h"
#include "clock.h"
#include "common.h"
#include "db.h"
#include "languages.h"
#include "log.h"
#include "util.h"

enum { TESTS = 5, ROUNDS = 9 };
static int teams_n = 30, submissions_n = 300;

static void fill(const char *data)
{
	struct db *db = NULL;
	char *err = NULL;
	ck_assert_msg(db_open(data, false, &db, &err) == 0, "%s", err ? err : "");
	struct db_test tests[TESTS];
	for (int i = 0; i < TESTS; i++)
		tests[i] = (struct db_test){"t", i ? "secret" : "sample", 1, i == 0, "1 2\n", 4, "3\n", 2};
	struct db_problem p = {.slug = "sum", .title = "Sum", .statement = "x", .time_limit_ms = 1000,
			       .memory_limit_kb = 65536, .output_limit_kb = 1024, .checker_json = "{\"type\":\"tokens\"}",
			       .tests = tests, .test_count = TESTS, .replace_tests = true};
	int64_t prob;
	ck_assert_int_eq(db_problem_create(db, &p, &prob), 0);
	int64_t now = contest_now_ms(), start = now - 270 * 60000; /* 4.5 h of 5: frozen for half an hour */
	struct db_contest_problem problems[] = {{.problem_id = prob, .label = "A", .color = ""}};
	struct db_contest c = {.shortname = "big", .name = "Big", .formal_name = "", .start_ms = start,
			       .duration_ms = 5 * 3600000, .freeze_ms = 3600000, .scoring = "icpc",
			       .ioi_mode = "max_submission", .penalty_min = 20, .public_ = true, .gold = 4,
			       .silver = 4, .bronze = 4, .problems = problems, .problem_count = 1};
	int64_t contest;
	ck_assert_int_eq(db_contest_create(db, &c, &contest), 0);
	int64_t *users = xcalloc((size_t)teams_n, sizeof *users), *teams = xcalloc((size_t)teams_n, sizeof *teams);
	for (int t = 0; t < teams_n; t++) {
		char name[32], key[32];
		snprintf(name, sizeof name, "user%d", t);
		snprintf(key, sizeof key, "t%d", t);
		ck_assert_int_eq(db_user_create(db, name, "hash", false, &users[t]), 0);
		const char *members[] = {name};
		struct db_team team = {.key = key, .label = key, .name = key, .display_name = "", .members = members,
				       .member_count = 1};
		ck_assert_int_eq(db_team_create(db, contest, &team, &teams[t], NULL), 0);
	}
	for (int i = 0; i < submissions_n; i++) {
		int t = i % teams_n;
		struct db_submit_context ctx = {contest, teams[t], start + (int64_t)i * (270 * 60000 / submissions_n), false};
		int64_t id, token;
		int attempt;
		ck_assert_int_eq(db_submission_create_in(db, prob, users[t], "c", "x", &ctx, NULL, &id, NULL), 0);
		ck_assert_int_eq(db_judge_begin(db, id, &token, &attempt), 0);
		ck_assert_int_eq(db_judge_compiled(db, id, token, ""), 0);
		bool ac = i % 3 == 0;
		int run = ac ? TESTS : 1 + i % TESTS;
		for (int k = 0; k < run; k++) {
			bool pass = ac || k + 1 < run;
			ck_assert_int_eq(db_judge_test(db, id, token, k, k ? "secret" : "sample", pass ? "AC" : "WA", 10, 100,
						       pass), 0);
		}
		ck_assert_int_eq(db_judge_finish(db, id, token, ac ? "AC" : "WA", -1, 10, 100, ac ? TESTS : run - 1, "",
						 NULL), 0);
	}
	free(users);
	free(teams);
	db_close(db);
}

/* This thread's CPU time: what the feed costs, whatever else the machine runs. */
static int64_t cpu_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void measure_in_process(const char *data)
{
	struct db *db = NULL;
	char *err = NULL;
	ck_assert_msg(db_open(data, false, &db, &err) == 0, "%s", err ? err : "");
	struct app app = {.db = db, .boards = boards_new(db), .languages = languages_load(NULL, &err)};
	struct db_user admin;
	ck_assert_int_eq(db_user_by_name(db, "admin", &admin, NULL), 0);
	const struct db_user *who[] = {&admin, NULL};
	const char *names[] = {"jury", "public"};
	for (int w = 0; w < 2; w++) {
		int64_t best = INT64_MAX, best_cpu = INT64_MAX;
		size_t bytes = 0, lines = 0;
		for (int r = 0; r < ROUNDS; r++) {
			int64_t t0 = mono_us(), c0 = cpu_us();
			struct clics_feed *f = NULL;
			ck_assert_int_eq(clics_feed_open(&app, "big", who[w], NULL, &f), CLICS_FEED_OK);
			struct buf out;
			buf_init(&out);
			while (clics_feed_next(f, &out, 64 * 1024) == CLICS_FEED_MORE)
				;
			clics_feed_free(f);
			int64_t dt = mono_us() - t0, dc = cpu_us() - c0;
			best = dt < best ? dt : best;
			best_cpu = dc < best_cpu ? dc : best_cpu;
			bytes = out.len;
			lines = 0;
			for (size_t i = 0; i < out.len; i++)
				lines += out.data[i] == '\n';
			buf_release(&out);
		}
		printf("in process, %s: %zu lines, %zu bytes in %.1f ms, %.1f ms of CPU (best of %d)\n", names[w], lines,
		       bytes, (double)best / 1e3, (double)best_cpu / 1e3, ROUNDS);
	}
	boards_free(app.boards);
	languages_free(app.languages);
	db_close(db);
}

static void measure_http(struct server *s)
{
	char basic[128];
	/* admin:admin-password */
	snprintf(basic, sizeof basic, "Authorization: Basic YWRtaW46YWRtaW4tcGFzc3dvcmQ=");
	const char *who[] = {basic, NULL};
	const char *names[] = {"jury", "public"};
	for (int w = 0; w < 2; w++) {
		int64_t best = INT64_MAX;
		size_t bytes = 0;
		for (int r = 0; r < ROUNDS; r++) {
			struct response res;
			int64_t t0 = mono_us();
			http_request(&res, s, "GET", "/api/clics/contests/big/event-feed?stream=false", NULL, NULL, NULL, 0,
				     who[w] ? (const char *const[]){who[w], NULL} : NULL);
			int64_t dt = mono_us() - t0;
			ck_assert_msg(res.status == 200, "%ld %s", res.status, res.body);
			best = dt < best ? dt : best;
			bytes = res.body_len;
			response_free(&res);
		}
		printf("over HTTP (stream=false), %s: %zu bytes in %.1f ms (best of %d)\n", names[w], bytes,
		       (double)best / 1e3, ROUNDS);
	}
}

START_TEST(feed_bench)
{
	struct server s;
	const char *args[] = {"--workers", "1", "--log-level", "warn", NULL};
	server_start(&s, args);
	ck_assert_int_eq(server_stop(&s), 0);
	log_set_level(LOG_WARN);
	int64_t t0 = mono_us();
	fill(s.data);
	printf("contest: %d teams, %d submissions of %d tests, filled in %.1f s\n", teams_n, submissions_n, TESTS,
	       (double)(mono_us() - t0) / 1e6);
	measure_in_process(s.data);
	server_restart(&s, args);
	measure_http(&s);
	server_finish(&s);
}
END_TEST

int main(int argc, char **argv)
{
	if (argc > 1)
		teams_n = atoi(argv[1]);
	if (argc > 2)
		submissions_n = atoi(argv[2]);
	Suite *suite = suite_create("feed-bench");
	TCase *tc = tcase_create("feed-bench");
	tcase_set_timeout(tc, 1800);
	tcase_add_test(tc, feed_bench);
	suite_add_tcase(suite, tc);
	return test_run_suite(suite);
}
