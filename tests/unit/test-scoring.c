/* Unit tests for scoring.c, the verdict rule and the points rule: each kind of
 * run and its verdict, the first failure in test order on ICPC and IOI
 * problems, samples, groups without points, partial groups and the way points
 * add up. */
#include <check.h>
#include <math.h>
#include <signal.h>
#include <string.h>

#include "common.h"
#include "sandbox.h"
#include "jury.h"
#include "scoring.h"
#include "validator.h"

static const char *run_verdict(enum sandbox_status status, uint64_t cpu_ms, uint64_t limit_ms)
{
	struct sandbox_result r = {.status = status, .cpu_ms = cpu_ms};
	return scoring_run_verdict(&r, limit_ms);
}

START_TEST(every_kind_of_run_has_its_verdict)
{
	ck_assert_ptr_null(run_verdict(SANDBOX_OK, 10, 1000)); /* the output decides */
	ck_assert_ptr_null(run_verdict(SANDBOX_OK, 1000, 1000));
	ck_assert_str_eq(run_verdict(SANDBOX_OK, 1001, 1000), "TLE");
	ck_assert_str_eq(run_verdict(SANDBOX_TIME, 1000, 1000), "TLE");
	ck_assert_str_eq(run_verdict(SANDBOX_WALL, 10, 1000), "TLE");
	ck_assert_str_eq(run_verdict(SANDBOX_MEMORY, 10, 1000), "MLE");
	ck_assert_str_eq(run_verdict(SANDBOX_OUTPUT, 10, 1000), "OLE");
	ck_assert_str_eq(run_verdict(SANDBOX_EXITED, 10, 1000), "RTE");
	ck_assert_str_eq(run_verdict(SANDBOX_SIGNALED, 10, 1000), "RTE");
	ck_assert_str_eq(run_verdict(SANDBOX_SYSCALL, 10, 1000), "RTE");
	ck_assert_str_eq(run_verdict(SANDBOX_ERROR, 10, 1000), "JE");
	ck_assert(scoring_passed("AC"));
	ck_assert(!scoring_passed("WA"));
	ck_assert(!scoring_passed(NULL));
}
END_TEST

/* The interactive rule: a submission's failure unless the interactor ended first. */
static const char *interactive(enum sandbox_status sub, int sub_signal, uint64_t sub_end, enum validator_verdict v,
			       enum sandbox_status val, uint64_t val_end)
{
	struct sandbox_result s = {.status = sub, .signal = sub_signal, .cpu_ms = 10, .ended_us = sub_end};
	struct sandbox_result i = {.status = val, .exit_code = v == VALIDATOR_AC ? 42 : 43, .ended_us = val_end};
	return validator_interactive_verdict(&s, 1000, v, &i);
}

START_TEST(interactive_verdicts_follow_who_failed_first)
{
	/* the submission ran within its limits: the interactor decides */
	ck_assert_str_eq(interactive(SANDBOX_OK, 0, 100, VALIDATOR_AC, SANDBOX_EXITED, 200), "AC");
	ck_assert_str_eq(interactive(SANDBOX_OK, 0, 100, VALIDATOR_WA, SANDBOX_EXITED, 200), "WA");
	ck_assert_str_eq(interactive(SANDBOX_OK, 0, 100, VALIDATOR_JE, SANDBOX_WALL, 200), "JE");
	/* the submission failed first: its failure, whatever the interactor said after */
	ck_assert_str_eq(interactive(SANDBOX_SIGNALED, SIGSEGV, 100, VALIDATOR_WA, SANDBOX_EXITED, 200), "RTE");
	ck_assert_str_eq(interactive(SANDBOX_TIME, 0, 100, VALIDATOR_WA, SANDBOX_EXITED, 200), "TLE");
	ck_assert_str_eq(interactive(SANDBOX_WALL, 0, 100, VALIDATOR_JE, SANDBOX_SIGNALED, 200), "TLE");
	ck_assert_str_eq(interactive(SANDBOX_MEMORY, 0, 100, VALIDATOR_WA, SANDBOX_EXITED, 200), "MLE");
	/* the interactor ended first: its WA stands; its failure is the judge's */
	ck_assert_str_eq(interactive(SANDBOX_SIGNALED, SIGSEGV, 300, VALIDATOR_WA, SANDBOX_EXITED, 200), "WA");
	ck_assert_str_eq(interactive(SANDBOX_TIME, 0, 300, VALIDATOR_WA, SANDBOX_EXITED, 200), "WA");
	ck_assert_str_eq(interactive(SANDBOX_EXITED, 0, 300, VALIDATOR_JE, SANDBOX_SIGNALED, 200), "JE");
	/* it accepted, then the submission failed: the failure */
	ck_assert_str_eq(interactive(SANDBOX_TIME, 0, 300, VALIDATOR_AC, SANDBOX_EXITED, 200), "TLE");
	/* a SIGPIPE means the interactor had gone, whatever the clocks say */
	ck_assert_str_eq(interactive(SANDBOX_SIGNALED, SIGPIPE, 100, VALIDATOR_WA, SANDBOX_EXITED, 101), "WA");
	/* the sandbox's order of the outputs' closing beats the clocks, both ways */
	struct sandbox_result s = {.status = SANDBOX_SYSCALL, .cpu_ms = 10, .ended_us = 500, .closed_order = 1};
	struct sandbox_result i = {.status = SANDBOX_EXITED, .exit_code = 43, .ended_us = 400, .closed_order = 2};
	ck_assert_str_eq(validator_interactive_verdict(&s, 1000, VALIDATOR_WA, &i), "RTE");
	s.closed_order = 2;
	i.closed_order = 1;
	s.ended_us = 300;
	ck_assert_str_eq(validator_interactive_verdict(&s, 1000, VALIDATOR_WA, &i), "WA");
	/* a sandbox failure on either side */
	ck_assert_str_eq(interactive(SANDBOX_ERROR, 0, 100, VALIDATOR_AC, SANDBOX_EXITED, 200), "JE");
	ck_assert_str_eq(interactive(SANDBOX_OK, 0, 100, VALIDATOR_JE, SANDBOX_ERROR, 200), "JE");
}
END_TEST

START_TEST(icpc_stops_at_the_first_failure_and_takes_its_verdict)
{
	static const char *const kinds[] = {"WA", "TLE", "MLE", "RTE", "OLE", "JE"};
	for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
		struct scoring s;
		scoring_init(&s, SCORING_ICPC);
		ck_assert(scoring_add(&s, "sample", 0, "AC"));
		ck_assert(scoring_add(&s, "secret", 0, "AC"));
		ck_assert(!scoring_add(&s, "secret", 0, kinds[k]));
		ck_assert_str_eq(scoring_verdict(&s), kinds[k]);
		ck_assert_int_eq(s.tests_passed, 2);
		ck_assert(scoring_score(&s) < 0);
		scoring_release(&s);
	}
	struct scoring s;
	scoring_init(&s, SCORING_ICPC);
	for (int i = 0; i < 5; i++)
		ck_assert(scoring_add(&s, "secret", 0, "AC"));
	ck_assert_str_eq(scoring_verdict(&s), "AC");
	ck_assert_int_eq(s.tests_passed, 5);
	ck_assert(scoring_score(&s) < 0);
	scoring_release(&s);
}
END_TEST

START_TEST(a_failed_sample_decides_the_verdict)
{
	struct scoring s;
	scoring_init(&s, SCORING_ICPC);
	ck_assert(!scoring_add(&s, "sample", 0, "WA"));
	ck_assert_str_eq(scoring_verdict(&s), "WA");
	ck_assert_int_eq(s.tests_passed, 0);
	scoring_release(&s);

	/* On an IOI problem the sample's failure is still the verdict, it costs no
	   points, and every later test runs. */
	scoring_init(&s, SCORING_IOI);
	ck_assert(scoring_add(&s, "sample", 0, "RTE"));
	ck_assert(scoring_add(&s, "secret/a", 40, "AC"));
	ck_assert(scoring_add(&s, "secret/b", 60, "TLE"));
	ck_assert_str_eq(scoring_verdict(&s), "RTE");
	ck_assert_int_eq(s.tests_passed, 1);
	ck_assert(scoring_score(&s) == 40);
	scoring_release(&s);
}
END_TEST

START_TEST(ioi_awards_a_group_only_when_every_test_of_it_passed)
{
	struct scoring s;
	scoring_init(&s, SCORING_IOI);
	/* Points ride on a group's first test, as an import stores them. */
	ck_assert(scoring_add(&s, "sample", 0, "AC"));
	ck_assert(scoring_add(&s, "secret/g1", 30, "AC"));
	ck_assert(scoring_add(&s, "secret/g1", 0, "AC"));
	ck_assert(scoring_add(&s, "secret/g2", 30, "AC"));
	ck_assert(scoring_add(&s, "secret/g2", 0, "WA")); /* partial: nothing for g2 */
	ck_assert(scoring_add(&s, "secret/g2", 0, "AC"));
	ck_assert(scoring_add(&s, "secret/g3", 40, "MLE"));
	ck_assert(scoring_add(&s, "secret/g3", 0, "OLE"));
	ck_assert_str_eq(scoring_verdict(&s), "WA");
	ck_assert_int_eq(s.tests_passed, 5);
	ck_assert(scoring_score(&s) == 30);
	ck_assert_uint_eq(s.group_count, 4);
	ck_assert_str_eq(s.groups[2].name, "secret/g2");
	ck_assert(!s.groups[2].ok);
	scoring_release(&s);

	/* Points spread over a group's tests add up; all passed is everything. */
	scoring_init(&s, SCORING_IOI);
	ck_assert(scoring_add(&s, "secret", 25, "AC"));
	ck_assert(scoring_add(&s, "other", 50, "AC"));
	ck_assert(scoring_add(&s, "secret", 25, "AC"));
	ck_assert_str_eq(scoring_verdict(&s), "AC");
	ck_assert(scoring_score(&s) == 100);
	scoring_release(&s);
}
END_TEST

START_TEST(groups_without_points_or_tests_add_nothing)
{
	struct scoring s;
	scoring_init(&s, SCORING_IOI);
	ck_assert(scoring_add(&s, "secret/zero", 0, "AC"));
	ck_assert(scoring_add(&s, "secret/pts", 10, "AC"));
	ck_assert(scoring_score(&s) == 10);
	scoring_release(&s);

	/* No tests at all: accepted, and an IOI problem scores 0. */
	scoring_init(&s, SCORING_IOI);
	ck_assert_str_eq(scoring_verdict(&s), "AC");
	ck_assert(scoring_score(&s) == 0);
	ck_assert_int_eq(s.tests_passed, 0);
	scoring_release(&s);
	scoring_init(&s, SCORING_ICPC);
	ck_assert_str_eq(scoring_verdict(&s), "AC");
	ck_assert(scoring_score(&s) < 0);
	scoring_release(&s);
}
END_TEST

START_TEST(points_add_up_as_doubles_in_group_order_without_rounding)
{
	struct scoring s;
	scoring_init(&s, SCORING_IOI);
	ck_assert(scoring_add(&s, "a", 0.1, "AC"));
	ck_assert(scoring_add(&s, "b", 0.2, "AC"));
	ck_assert(scoring_add(&s, "a", 0.6, "AC"));
	/* Each group's points first, then the groups: (0.1 + 0.6) + 0.2, which
	   is 0.8999999999999999, where test order would give 0.9. */
	volatile double a = 0.1, b = 0.2, a2 = 0.6;
	double want = 0.0 + (0.0 + a + a2) + (0.0 + b);
	ck_assert(scoring_score(&s) == want);
	ck_assert(scoring_score(&s) != 0.9);
	scoring_release(&s);
}
END_TEST

START_TEST(the_kind_follows_the_points)
{
	ck_assert_int_eq(scoring_kind_for(0), SCORING_ICPC);
	ck_assert_int_eq(scoring_kind_for(0.5), SCORING_IOI);
	ck_assert_str_eq(scoring_kind_name(SCORING_ICPC), "icpc");
	ck_assert_str_eq(scoring_kind_name(SCORING_IOI), "ioi");

	json_t *judging = json_pack("{s:[{s:f}, {s:f}]}", "tests", "points", 0.0, "points", 0.0);
	ck_assert_int_eq(scoring_kind_of_json(judging), SCORING_ICPC);
	json_object_set_new(json_array_get(json_object_get(judging, "tests"), 1), "points", json_real(5));
	ck_assert_int_eq(scoring_kind_of_json(judging), SCORING_IOI);
	json_decref(judging);

	json_t *problem = json_pack("{s:[{s:s, s:f}, {s:s, s:i}]}", "groups", "name", "sample", "points", 0.0,
				    "name", "secret", "points", 100);
	ck_assert_int_eq(scoring_kind_of_json(problem), SCORING_IOI);
	json_object_set_new(json_array_get(json_object_get(problem, "groups"), 1), "points", json_real(0));
	ck_assert_int_eq(scoring_kind_of_json(problem), SCORING_ICPC);
	json_decref(problem);
	/* A problem without tests is pass-fail. */
	problem = json_pack("{s:[]}", "groups");
	ck_assert_int_eq(scoring_kind_of_json(problem), SCORING_ICPC);
	json_decref(problem);
}
END_TEST

/* Custom scores: a group aggregates its tests' (a failed one scores 0), samples aside. */
START_TEST(custom_scores_aggregate_per_group)
{
	const char *aggs[] = {"sum", "min", "max", "avg"};
	const double want[] = {4 + 6 + 0 + 5, 4 + 0 + 5, 4 + 6 + 5, 4 + 3 + 5};
	for (int a = 0; a < 4; a++) {
		struct scoring s;
		scoring_init(&s, SCORING_IOI);
		scoring_set_custom(&s, aggs[a]);
		ck_assert(scoring_add_scored(&s, "sample", 0, "AC", 100));
		ck_assert(scoring_add_scored(&s, "secret/a", 10, "AC", 4));
		ck_assert(scoring_add_scored(&s, "secret/b", 10, "AC", 6));
		ck_assert(scoring_add_scored(&s, "secret/b", 0, "WA", 9));
		ck_assert(scoring_add_scored(&s, "secret/c", 10, "AC", 5));
		ck_assert_msg(fabs(scoring_score(&s) - want[a]) < 1e-9, "%s: %g", aggs[a], scoring_score(&s));
		ck_assert_str_eq(scoring_verdict(&s), "WA");
		scoring_release(&s);
	}
}
END_TEST

/* The derived time limit: max(1, ceil(T * multiplier / resolution)) * resolution. */
START_TEST(derived_time_limit_rounds_up_to_the_resolution)
{
	ck_assert_int_eq(jury_time_limit_ms(400, 5, 1), 2000);   /* exactly 2 s stays 2 s */
	ck_assert_int_eq(jury_time_limit_ms(401, 5, 1), 3000);
	ck_assert_int_eq(jury_time_limit_ms(10, 2, 1), 1000);    /* at least one resolution */
	ck_assert_int_eq(jury_time_limit_ms(0, 2, 1), 1000);
	ck_assert_int_eq(jury_time_limit_ms(130, 2, 0.1), 300);  /* 0.26 s -> 0.3 s */
	ck_assert_int_eq(jury_time_limit_ms(1500, 2, 1), 3000);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("scoring");
	TCase *tc = tcase_create("scoring");
	tcase_add_test(tc, every_kind_of_run_has_its_verdict);
	tcase_add_test(tc, icpc_stops_at_the_first_failure_and_takes_its_verdict);
	tcase_add_test(tc, a_failed_sample_decides_the_verdict);
	tcase_add_test(tc, ioi_awards_a_group_only_when_every_test_of_it_passed);
	tcase_add_test(tc, groups_without_points_or_tests_add_nothing);
	tcase_add_test(tc, points_add_up_as_doubles_in_group_order_without_rounding);
	tcase_add_test(tc, the_kind_follows_the_points);
	tcase_add_test(tc, interactive_verdicts_follow_who_failed_first);
	tcase_add_test(tc, custom_scores_aggregate_per_group);
	tcase_add_test(tc, derived_time_limit_rounds_up_to_the_resolution);
	suite_add_tcase(suite, tc);
	return test_run_suite(suite);
}
