/* The CLICS schema rules of the tests (clics_rules.h) catch what they should:
 * each broken object below fails its check (run in an inner suite, counting
 * the failures), and the valid ones pass. */
#include <check.h>
#include <jansson.h>
#include <stdlib.h>

#include "clics_rules.h"
#include "common.h"

static const struct {
	const char *type, *json;
} broken[] = {
	/* TIME without its milliseconds, and with two digits */
	{"contests", "{\"id\": \"c\", \"name\": \"C\", \"duration\": \"1:00:00.000\", \"scoreboard_type\": \"pass-fail\","
		     " \"penalty_time\": 20, \"start_time\": \"2026-12-04T05:00:00Z\"}"},
	{"contests", "{\"id\": \"c\", \"name\": \"C\", \"duration\": \"1:00:00.000\", \"scoreboard_type\": \"pass-fail\","
		     " \"penalty_time\": 20, \"start_time\": \"2026-12-04T05:00:00.12Z\"}"},
	/* RELTIME without milliseconds; a negative duration */
	{"contests", "{\"id\": \"c\", \"name\": \"C\", \"duration\": \"1:00:00\", \"scoreboard_type\": \"pass-fail\","
		     " \"penalty_time\": 20}"},
	{"contests", "{\"id\": \"c\", \"name\": \"C\", \"duration\": \"-1:00:00.000\", \"scoreboard_type\": \"pass-fail\","
		     " \"penalty_time\": 20}"},
	/* pass-fail without penalty_time; score with it */
	{"contests", "{\"id\": \"c\", \"name\": \"C\", \"duration\": \"1:00:00.000\", \"scoreboard_type\": \"pass-fail\"}"},
	{"contests", "{\"id\": \"c\", \"name\": \"C\", \"duration\": \"1:00:00.000\", \"scoreboard_type\": \"score\","
		     " \"penalty_time\": 20}"},
	/* a property outside the schema; a required one missing; a wrong type */
	{"contests", "{\"id\": \"c\", \"name\": \"C\", \"duration\": \"1:00:00.000\", \"scoreboard_type\": \"score\","
		     " \"shortname\": \"c\"}"},
	{"teams", "{\"id\": \"t\", \"name\": \"T\"}"},
	{"teams", "{\"id\": \"t\", \"name\": \"T\", \"label\": 7}"},
	/* ids: 37 characters, a leading dash, a trailing dot, a space */
	{"groups", "{\"id\": \"a234567890123456789012345678901234567\", \"name\": \"G\"}"},
	{"groups", "{\"id\": \"-a\", \"name\": \"G\"}"},
	{"groups", "{\"id\": \"a.\", \"name\": \"G\"}"},
	{"groups", "{\"id\": \"a b\", \"name\": \"G\"}"},
	/* a non-nullable property null */
	{"groups", "{\"id\": \"g\", \"name\": null}"},
	/* a judgement with a type but no end, and an end but no type */
	{"judgements", "{\"id\": \"1\", \"submission_id\": \"1\", \"judgement_type_id\": \"AC\","
		       " \"start_time\": \"2026-12-04T05:00:00.000Z\", \"start_contest_time\": \"0:00:00.000\","
		       " \"end_time\": null, \"end_contest_time\": null}"},
	{"judgements", "{\"id\": \"1\", \"submission_id\": \"1\", \"judgement_type_id\": null,"
		       " \"start_time\": \"2026-12-04T05:00:00.000Z\", \"start_contest_time\": \"0:00:00.000\","
		       " \"end_time\": \"2026-12-04T05:00:01.000Z\", \"end_contest_time\": \"0:00:01.000\"}"},
	/* an unknown judgement type; max_run_time with four decimals */
	{"runs", "{\"id\": \"1.1\", \"judgement_id\": \"1\", \"ordinal\": 1, \"judgement_type_id\": \"XX\","
		 " \"time\": \"2026-12-04T05:00:00.000Z\", \"contest_time\": \"0:00:00.000\"}"},
	{"judgements", "{\"id\": \"1\", \"submission_id\": \"1\", \"start_time\": \"2026-12-04T05:00:00.000Z\","
		       " \"start_contest_time\": \"0:00:00.000\", \"max_run_time\": 0.0005}"},
	/* a C submission without "entry_point": null */
	{"submissions", "{\"id\": \"1\", \"language_id\": \"c\", \"problem_id\": \"p\", \"team_id\": \"t\","
			" \"time\": \"2026-12-04T05:00:00.000Z\", \"contest_time\": \"0:00:00.000\","
			" \"files\": [{\"href\": \"x\", \"mime\": \"application/zip\"}]}"},
	/* a team account without its team */
	{"accounts", "{\"id\": \"a\", \"username\": \"a\", \"type\": \"team\"}"},
	/* states out of order: thawed before the end, ended before the start, the end of updates while frozen */
	{"state", "{\"started\": \"2026-12-04T05:00:00.000Z\", \"frozen\": \"2026-12-04T05:30:00.000Z\", \"ended\": null,"
		  " \"thawed\": \"2026-12-04T05:40:00.000Z\", \"finalized\": null, \"end_of_updates\": null}"},
	{"state", "{\"started\": \"2026-12-04T05:00:00.000Z\", \"ended\": \"2026-12-04T04:00:00.000Z\","
		  " \"finalized\": null, \"end_of_updates\": null}"},
	{"state", "{\"started\": \"2026-12-04T05:00:00.000Z\", \"frozen\": \"2026-12-04T05:30:00.000Z\","
		  " \"ended\": \"2026-12-04T06:00:00.000Z\", \"thawed\": null, \"finalized\": \"2026-12-04T06:10:00.000Z\","
		  " \"end_of_updates\": \"2026-12-04T06:10:00.000Z\"}"},
	{"state", "{\"started\": null, \"ended\": null, \"finalized\": null}"},
	/* a solved problem on the board without its time */
	{"scoreboard", "{\"time\": \"2026-12-04T05:00:00.000Z\", \"contest_time\": \"0:10:00.000\","
		       " \"state\": {\"started\": \"2026-12-04T04:50:00.000Z\", \"ended\": null, \"finalized\": null,"
		       " \"end_of_updates\": null}, \"rows\": [{\"rank\": 1, \"team_id\": \"t\","
		       " \"score\": {\"num_solved\": 1, \"total_time\": 10},"
		       " \"problems\": [{\"problem_id\": \"p\", \"num_judged\": 1, \"num_pending\": 0, \"solved\": true}]}]}"},
	/* an unknown capability */
	{"access", "{\"capabilities\": [\"fly\"], \"endpoints\": []}"},
};

static const struct {
	const char *type, *json;
} valid[] = {
	{"contests", "{\"id\": \"c\", \"name\": \"C\", \"duration\": \"1:00:00.000\", \"scoreboard_type\": \"pass-fail\","
		     " \"penalty_time\": 20, \"start_time\": \"2026-12-04T05:00:00.000+01:00\","
		     " \"scoreboard_freeze_duration\": \"0:30:00.000\"}"},
	{"judgements", "{\"id\": \"1\", \"submission_id\": \"1\", \"judgement_type_id\": null,"
		       " \"start_time\": \"2026-12-04T05:00:00.000Z\", \"start_contest_time\": \"-0:00:01.000\","
		       " \"end_time\": null, \"end_contest_time\": null, \"max_run_time\": null}"},
	{"state", "{\"started\": \"2026-12-04T05:00:00.000Z\", \"frozen\": \"2026-12-04T05:30:00.000Z\","
		  " \"ended\": \"2026-12-04T06:00:00.000Z\", \"thawed\": \"2026-12-04T06:20:00.000Z\","
		  " \"finalized\": \"2026-12-04T06:10:00.000Z\", \"end_of_updates\": \"2026-12-04T06:20:00.000Z\"}"},
	{"groups", "{\"id\": \"a23456789012345678901234567890123456\", \"name\": \"G\"}"},
	{"submissions", "{\"id\": \"1\", \"language_id\": \"c\", \"problem_id\": \"p\", \"team_id\": \"t\","
			" \"time\": \"2026-12-04T05:00:00.000Z\", \"contest_time\": \"0:00:00.000\", \"entry_point\": null,"
			" \"files\": [{\"href\": \"x\", \"mime\": \"application/zip\"}]}"},
};

static void check_one(const char *type, const char *text)
{
	json_error_t e;
	json_t *o = json_loads(text, 0, &e);
	ck_assert_msg(o, "bad test JSON: %s: %s", e.text, text);
	clics_check_object(type, o, type);
	json_decref(o);
}

START_TEST(broken_one)
{
	check_one(broken[_i].type, broken[_i].json);
}
END_TEST

START_TEST(every_broken_object_fails)
{
	Suite *inner = suite_create("broken");
	TCase *tc = tcase_create("broken");
	tcase_add_loop_test(tc, broken_one, 0, (int)(sizeof broken / sizeof broken[0]));
	suite_add_tcase(inner, tc);
	SRunner *sr = srunner_create(inner);
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_SILENT);
	int failed = srunner_ntests_failed(sr), run = srunner_ntests_run(sr);
	TestResult **results = srunner_results(sr);
	for (int i = 0; i < run; i++)
		ck_assert_msg(tr_rtype(results[i]) != CK_PASS, "broken object %d passed: %s", i, broken[i].json);
	free(results);
	srunner_free(sr);
	ck_assert_int_eq(failed, (int)(sizeof broken / sizeof broken[0]));
}
END_TEST

START_TEST(valid_objects_pass)
{
	for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++)
		check_one(valid[i].type, valid[i].json);
}
END_TEST

/* A required property the viewer's access leaves out may be absent; one it lists may not. */
static const char *const bare_submission =
	"{\"id\": \"1\", \"language_id\": \"c\", \"problem_id\": \"p\", \"team_id\": \"t\","
	" \"time\": \"2026-12-04T05:00:00.000Z\", \"contest_time\": \"0:00:00.000\"}";

static void check_as(const char *access_entry)
{
	json_t *sub = json_loads(bare_submission, 0, NULL), *entry = json_loads(access_entry, 0, NULL);
	clics_check_object_in("submissions", sub, entry, "viewer");
	json_decref(entry);
	json_decref(sub);
}

START_TEST(required_as_the_access_lists)
{
	check_as("{\"type\": \"submissions\", \"properties\": [\"id\", \"language_id\", \"problem_id\", \"team_id\","
		 " \"time\", \"contest_time\"]}");
}
END_TEST

START_TEST(required_when_the_access_lists_it)
{
	check_as("{\"type\": \"submissions\", \"properties\": [\"id\", \"files\"]}");
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("clics-schema");
	TCase *tc = tcase_create("rules");
	tcase_add_test(tc, every_broken_object_fails);
	tcase_add_test(tc, valid_objects_pass);
	tcase_add_test(tc, required_as_the_access_lists);
	/* an exit test passes when the test exits 1: its assertion failed in the child */
	tcase_add_exit_test(tc, required_when_the_access_lists_it, 1);
	suite_add_tcase(suite, tc);
	return test_run_suite(suite);
}
