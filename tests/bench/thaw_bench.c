/* The thaw's re-log: a contest with TEAMS teams and N submissions made during
 * the freeze (judged), on a real database with the server's boards on the
 * change hook; times db_contest_log_state at the thaw (one transaction that
 * logs the state and the N submissions again, then the hook for each: the
 * boards put each on its board again). Usage: thaw-bench [N] [TEAMS] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "boards.h"
#include "clock.h"
#include "common.h"
#include "db.h"

static struct boards *boards;

static void on_change(void *ctx, struct db *db, const struct db_change *change)
{
	(void)ctx;
	boards_on_change(boards, db, change);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 10000, teams = argc > 2 ? atoi(argv[2]) : 100;
	char dir[256], data[300], *err = NULL;
	test_tmpdir(dir, sizeof dir);
	snprintf(data, sizeof data, "%s/data", dir);
	struct db *db;
	if (db_open(data, true, &db, &err) != 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	static const struct db_test tests[] = {{"1", "secret", 0, false, "1\n", 2, "1\n", 2}};
	struct db_problem p = {.slug = "p", .title = "p", .statement = "", .time_limit_ms = 1000,
			       .memory_limit_kb = 65536, .output_limit_kb = 1024, .checker_json = "{\"type\":\"tokens\"}",
			       .tests = tests, .test_count = 1, .replace_tests = true};
	int64_t problem, contest;
	if (db_problem_create(db, &p, &problem) != 0)
		return 1;
	int64_t now = contest_now_ms(), start = now - 7200000, freeze = start + 1800000;
	const struct db_contest_problem cps[] = {{.problem_id = problem, .label = "A", .color = ""}};
	const struct db_contest k = {.shortname = "bench", .name = "bench", .formal_name = "", .start_ms = start,
				     .duration_ms = 3600000, .freeze_ms = 1800000, .scoring = "icpc",
				     .ioi_mode = "max_submission", .penalty_min = 20, .public_ = true, .problems = cps,
				     .problem_count = 1};
	if (db_contest_create(db, &k, &contest) != 0)
		return 1;
	int64_t *users = calloc((size_t)teams, sizeof *users), *team_ids = calloc((size_t)teams, sizeof *team_ids);
	for (int t = 0; t < teams; t++) {
		char name[32];
		snprintf(name, sizeof name, "u%d", t);
		const char *members[] = {name};
		struct db_team team = {.key = name, .label = name, .name = name, .display_name = "", .members = members,
				       .member_count = 1};
		if (db_user_create(db, name, "h", false, &users[t]) != 0 ||
		    db_team_create(db, contest, &team, &team_ids[t], NULL) != 0)
			return 1;
	}
	double t0 = now_s();
	for (int i = 0; i < n; i++) {
		int t = i % teams;
		struct db_submit_context ctx = {.contest_id = contest, .team_id = team_ids[t],
						.submitted_ms = freeze + 1000 + i};
		int64_t id;
		if (db_submission_create_in(db, problem, users[t], "c", "x", &ctx, NULL, &id, NULL) != 0)
			return 1;
	}
	printf("made %d submissions during the freeze in %.2f s\n", n, now_s() - t0);
	boards = boards_new(db);
	db_set_change_hook(db, on_change, NULL);
	bool logged;
	if (db_contest_log_state(db, contest, "ended", freeze, &logged) != 0)
		return 1;
	int64_t before = db_seq(db);
	t0 = now_s();
	if (db_contest_log_state(db, contest, "thawed", 0, &logged) != 0 || !logged)
		return 1;
	double took = now_s() - t0;
	printf("thaw: state and %lld submissions logged again in %.1f ms (%.1f us each), boards on the hook\n",
	       (long long)(db_seq(db) - before - 1), took * 1000, took * 1e6 / n);
	db_set_change_hook(db, NULL, NULL);
	boards_free(boards);
	db_close(db);
	test_rmtree(dir);
	free(users);
	free(team_ids);
	return 0;
}
