/* The verdict rule and the points rule: how the results of a submission's
 * tests, taken in run order, become its verdict and its score.
 *
 *   ICPC (pass-fail): a problem whose tests carry no points. Tests run in
 *   order up to the first that fails. The verdict is that test's, else AC;
 *   there is no score.
 *   IOI (scoring): a problem with points anywhere. Every test runs. The
 *   verdict is still that of the first failing test in order (samples
 *   included), else AC; the score is the sum of the points of the groups
 *   whose every test passed, added up as doubles in the order of the groups'
 *   first tests, without rounding.
 *
 * Points belong to test groups (problems/package.h says how a package gives
 * them); a group's points are the sum of its tests' stored points (an import
 * puts them all on the group's first test). */
#pragma once
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sandbox_result;

enum scoring_kind {
	SCORING_ICPC,
	SCORING_IOI,
};

/* A problem with points anywhere (total_points > 0) is IOI, else ICPC. */
enum scoring_kind scoring_kind_for(double total_points);
/* "icpc" or "ioi", as the API says. */
const char *scoring_kind_name(enum scoring_kind kind);
/* The kind of a problem object from the points of its "tests" (db_problem_judging)
   or of its "groups" (the problem object). */
enum scoring_kind scoring_kind_of_json(const json_t *problem);

/* One test's verdict from how its run ended: NULL when the program ran within
   its limits and its output decides (the checker or validator: AC, WA or JE);
   else TLE (CPU or wall limit, or a finished run that used more CPU than
   time_limit_ms), MLE, OLE, RTE (non-zero exit, signal, forbidden system call,
   a program file that cannot start)
   or JE (the sandbox failed). */
const char *scoring_run_verdict(const struct sandbox_result *r, uint64_t time_limit_ms);
/* A test passed when its verdict is AC. */
bool scoring_passed(const char *verdict);

struct scoring_group {
	char *name;
	double points;
	bool ok; /* every test so far passed */
	double score_sum, score_min, score_max; /* custom scores of its tests (a failed test: 0) */
	int64_t scored;
};

/* The results so far of one judging, fed test by test. */
struct scoring {
	enum scoring_kind kind;
	char first_failure[8];          /* "" while every test passed */
	int64_t tests_passed;
	struct scoring_group *groups;   /* in order of their first test */
	size_t group_count, group_cap;
	bool custom;                    /* custom scores (scoring_set_custom) */
	char aggregation[4];
};

void scoring_init(struct scoring *s, enum scoring_kind kind);
void scoring_release(struct scoring *s);
/* Records the next test in run order: its group, its stored points and its
   verdict. Returns whether judging goes on (false after the first failure on
   an ICPC problem). */
bool scoring_add(struct scoring *s, const char *group, double points, const char *verdict);
/* Custom scoring (`validation: custom score`): each test's score is the
   validator's (scoring_add_scored; a failed test scores 0), a group's score
   aggregates its tests' (aggregation "sum", "min", "max" or "avg"), and the
   submission's is the sum of its groups' but the samples'. */
void scoring_set_custom(struct scoring *s, const char *aggregation);
/* scoring_add with the test's custom score (ignored unless it passed). */
bool scoring_add_scored(struct scoring *s, const char *group, double points, const char *verdict, double score);
/* The submission's verdict: that of the first failing test, else AC (also when there were no tests). */
const char *scoring_verdict(const struct scoring *s);
/* IOI: the points of the groups whose every test passed; ICPC: -1 (no score). */
double scoring_score(const struct scoring *s);
