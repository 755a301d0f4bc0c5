/* The scoreboard in memory: a rebuild from N submissions (TEAMS x PROBLEMS,
 * ICPC, a 5-hour contest frozen for its last hour, so that the teams that
 * submitted after the freeze have views of their own), then single updates:
 * new judgements and rejudges, each timed. Fails when the rebuild takes more
 * than a second (the target). Usage: board-bench [N] [TEAMS] [PROBLEMS] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "board.h"
#include "util.h"

#define START 1000000000000LL
#define LENGTH (5 * 3600 * 1000LL)

static uint64_t rng = 0x2545f4914f6cdd1dULL;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static enum board_result random_result(void)
{
	uint64_t r = next() % 100;
	return r < 30 ? BOARD_ACCEPTED : r < 85 ? BOARD_REJECTED : r < 92 ? BOARD_NO_PENALTY : BOARD_PENDING;
}

static int by_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double run_updates(struct board *b, struct board_sub *subs, size_t n, size_t count, bool rejudge,
			  int64_t *seq, double *median, double *p99)
{
	double *t = xcalloc(count, sizeof *t), sum = 0;
	for (size_t i = 0; i < count; i++) {
		struct board_sub s;
		if (rejudge) {
			s = subs[next() % n];
			s.result = random_result();
		} else {
			s = subs[next() % n];
			s.id = (int64_t)(n + i + 1);
			s.submitted_ms = START + LENGTH - 60000 + (int64_t)(next() % 60000);
			s.result = random_result();
		}
		double t0 = now_s();
		board_put(b, &s, ++*seq);
		t[i] = now_s() - t0;
		sum += t[i];
	}
	qsort(t, count, sizeof *t, by_double);
	*median = t[count / 2];
	*p99 = t[count * 99 / 100];
	free(t);
	return sum / (double)count;
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
	size_t team_count = argc > 2 ? strtoul(argv[2], NULL, 10) : 100;
	size_t problem_count = argc > 3 ? strtoul(argv[3], NULL, 10) : 12;
	if (!n || !team_count || !problem_count) {
		fprintf(stderr, "usage: board-bench [N] [TEAMS] [PROBLEMS]\n");
		return 2;
	}
	struct board_team *teams = xcalloc(team_count, sizeof *teams);
	char (*names)[32] = xcalloc(team_count, sizeof *names);
	for (size_t i = 0; i < team_count; i++) {
		snprintf(names[i], sizeof names[i], "team %04zu", i);
		teams[i] = (struct board_team){.id = (int64_t)i + 1, .key = names[i], .label = names[i], .name = names[i],
					       .hidden = i % 50 == 49};
	}
	struct board_problem *problems = xcalloc(problem_count, sizeof *problems);
	for (size_t p = 0; p < problem_count; p++)
		problems[p] = (struct board_problem){.id = (int64_t)p + 1, .label = "P"};
	struct board_sub *subs = xcalloc(n, sizeof *subs);
	for (size_t i = 0; i < n; i++)
		subs[i] = (struct board_sub){.id = (int64_t)i + 1,
					     .team_id = (int64_t)(next() % team_count) + 1,
					     .problem_id = (int64_t)(next() % problem_count) + 1,
					     .submitted_ms = START + (int64_t)(i * (uint64_t)LENGTH / n),
					     .result = random_result()};

	struct board_settings s = {.scoring = BOARD_ICPC, .penalty_min = 20, .start_ms = START,
				   .freeze_ms = START + LENGTH - 3600 * 1000};
	struct board *b = board_new(&s, teams, team_count, problems, problem_count);
	double t0 = now_s();
	board_load(b, subs, n, 1);
	double load = now_s() - t0;
	const struct board_change *c;
	size_t views = board_changes(b, &c);

	int64_t seq = 1;
	double median, p99;
	double judged = run_updates(b, subs, n, 2000, false, &seq, &median, &p99);
	printf("board-bench: %zu submissions, %zu teams x %zu problems, ICPC, frozen last hour (%zu views)\n", n,
	       team_count, problem_count, views);
	printf("  rebuild (board_load): %.1f ms\n", load * 1e3);
	printf("  one new judgement after the freeze: mean %.1f us, median %.1f us, p99 %.1f us\n",
	       judged * 1e6, median * 1e6, p99 * 1e6);
	double rejudged = run_updates(b, subs, n, 2000, true, &seq, &median, &p99);
	printf("  one rejudge anywhere: mean %.1f us, median %.1f us, p99 %.1f us\n", rejudged * 1e6,
	       median * 1e6, p99 * 1e6);

	s.thawed = true;
	t0 = now_s();
	board_set_settings(b, &s, ++seq);
	printf("  thaw (every view recomputed): %.1f ms\n", (now_s() - t0) * 1e3);
	rejudged = run_updates(b, subs, n, 2000, true, &seq, &median, &p99);
	printf("  one rejudge, thawed (jury and public views only): mean %.1f us, median %.1f us, p99 %.1f us\n",
	       rejudged * 1e6, median * 1e6, p99 * 1e6);

	board_free(b);
	free(subs);
	free(problems);
	free(names);
	free(teams);
	if (load > 1.0) {
		printf("board-bench: FAIL: the rebuild took more than 1 s\n");
		return 1;
	}
	return 0;
}
