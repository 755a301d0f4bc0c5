/* Unit tests for problem_json: a problem written as JSON (POST/PUT
 * /api/problems) read into struct db_problem, and stored with the database:
 * defaults, test order and names, what an update keeps, and the refusals. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "db.h"
#include "log.h"
#include "problem_json.h"
#include "views.h"

static json_t *parse_json(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);
	ck_assert_msg(j != NULL, "bad test JSON: %s", e.text);
	return j;
}

START_TEST(defaults_and_order)
{
	json_t *body = parse_json("{\"slug\": \"p\", \"title\": \"P\", \"tests\": ["
				  "{\"input\": \"s1\", \"output\": \"S1\", \"sample\": false, \"group\": \"g\", \"points\": 5},"
				  "{\"input\": \"a\", \"output\": \"A\", \"sample\": true},"
				  "{\"input\": \"s2\", \"output\": \"S2\", \"name\": \"named\"},"
				  "{\"input\": \"b\", \"output\": \"B\", \"sample\": true, \"group\": \"ex\"}]}");
	struct problem_json pj;
	char *err = NULL;
	ck_assert_int_eq(problem_json_parse(body, NULL, &pj, &err), 0);
	const struct db_problem *p = &pj.problem;
	ck_assert_str_eq(p->slug, "p");
	ck_assert_int_eq(p->time_limit_ms, 1000);
	ck_assert_int_eq(p->memory_limit_kb, 262144);
	ck_assert_int_eq(p->output_limit_kb, 65536);
	ck_assert(p->statement_markdown);
	ck_assert_str_eq(p->checker_json, "{\"type\":\"tokens\"}");
	ck_assert(p->replace_tests);
	ck_assert_uint_eq(p->test_count, 4);
	/* Samples first, then the rest, each in the order given. */
	static const char *const inputs[] = {"a", "b", "s1", "s2"};
	static const char *const groups[] = {"sample", "ex", "g", "secret"};
	for (int i = 0; i < 4; i++) {
		ck_assert_uint_eq(p->tests[i].input_len, strlen(inputs[i]));
		ck_assert(memcmp(p->tests[i].input, inputs[i], p->tests[i].input_len) == 0);
		ck_assert_str_eq(p->tests[i].group, groups[i]);
		ck_assert(p->tests[i].sample == (i < 2));
	}
	ck_assert(p->tests[2].points == 5);
	ck_assert_str_eq(p->tests[0].name, "sample-001");
	ck_assert_str_eq(p->tests[2].name, "test-003");
	ck_assert_str_eq(p->tests[3].name, "named");
	problem_json_release(&pj);
	json_decref(body);
}
END_TEST

START_TEST(refusals_say_which_field)
{
	static const char *const cases[][2] = {
		{"{\"title\": \"T\", \"tests\": [{\"input\": \"\", \"output\": \"\"}]}", "'slug'"},
		{"{\"slug\": \"Bad\", \"title\": \"T\", \"tests\": [{\"input\": \"\", \"output\": \"\"}]}", "'slug'"},
		{"{\"slug\": \"p\", \"tests\": [{\"input\": \"\", \"output\": \"\"}]}", "'title'"},
		{"{\"slug\": \"p\", \"title\": \"T\", \"time_limit_ms\": 0, \"tests\": [{\"input\": \"\", \"output\": \"\"}]}",
		 "'time_limit_ms'"},
		{"{\"slug\": \"p\", \"title\": \"T\"}", "'tests'"},
		{"{\"slug\": \"p\", \"title\": \"T\", \"tests\": [{\"input\": \"\", \"output\": \"\"}, {\"output\": \"\"}]}",
		 "tests[1]"},
		{"{\"slug\": \"p\", \"title\": \"T\", \"tests\": [{\"input\": \"\", \"output\": \"\", \"points\": -2}]}",
		 "'points'"},
		{"{\"slug\": \"p\", \"title\": \"T\", \"checker\": {\"type\": \"custom\"},"
		 " \"tests\": [{\"input\": \"\", \"output\": \"\"}]}", "custom"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_t *body = parse_json(cases[i][0]);
		struct problem_json pj;
		char *err = NULL;
		ck_assert_msg(problem_json_parse(body, NULL, &pj, &err) == PROBLEM_JSON_E_INVALID, "accepted %s", cases[i][0]);
		ck_assert_msg(err && strstr(err, cases[i][1]), "message '%s' does not name %s", err ? err : "", cases[i][1]);
		free(err);
		problem_json_release(&pj); /* frees what a refusal part way left */
		json_decref(body);
	}
}
END_TEST

/* ---- with the database ---- */

static char dir[256], data[300];
static struct db *db;

/* The problem as GET and PUT answer it. */
static json_t *problem_view(int64_t id)
{
	struct db_problem_row *row = db_problem_get(db, id, true);
	json_t *j = row ? view_problem(row, true) : NULL;
	db_problem_row_free(row);
	return j;
}

static void setup(void)
{
	log_set_level(LOG_WARN);
	test_tmpdir(dir, sizeof dir);
	snprintf(data, sizeof data, "%s/data", dir);
	char *err = NULL;
	ck_assert_int_eq(db_open(data, false, &db, &err), 0);
}

static void teardown(void)
{
	db_close(db);
	test_rmtree(dir);
}

/* PUT: absent fields keep their values, tests are kept unless given. */
START_TEST(update_keeps_what_is_not_given)
{
	json_t *body = parse_json("{\"slug\": \"p\", \"title\": \"P\", \"statement\": \"S\", \"statement_format\": \"text\","
				  " \"time_limit_ms\": 2000, \"checker\": {\"type\": \"float\", \"abs\": 0.5},"
				  " \"tests\": [{\"input\": \"1\", \"output\": \"1\", \"sample\": true}, {\"input\": \"2\", \"output\": \"2\"}]}");
	struct problem_json pj;
	char *err = NULL;
	ck_assert_int_eq(problem_json_parse(body, NULL, &pj, &err), 0);
	int64_t id;
	ck_assert_int_eq(db_problem_create(db, &pj.problem, &id), 0);
	problem_json_release(&pj);
	json_decref(body);

	struct db_problem_row *current = db_problem_get(db, id, true);
	body = parse_json("{\"title\": \"Q\"}");
	ck_assert_int_eq(problem_json_parse(body, current, &pj, &err), 0);
	ck_assert(!pj.problem.replace_tests);
	ck_assert_int_eq(db_problem_update(db, id, &pj.problem), 0);
	problem_json_release(&pj);
	json_decref(body);
	db_problem_row_free(current);
	json_t *p = problem_view(id);
	ck_assert_str_eq(json_string_value(json_object_get(p, "title")), "Q");
	ck_assert_str_eq(json_string_value(json_object_get(p, "slug")), "p");
	ck_assert_str_eq(json_string_value(json_object_get(p, "statement")), "S");
	ck_assert_str_eq(json_string_value(json_object_get(p, "statement_format")), "text");
	ck_assert_int_eq(json_integer_value(json_object_get(p, "time_limit_ms")), 2000);
	ck_assert(json_real_value(json_object_get(json_object_get(p, "checker"), "abs")) == 0.5);
	ck_assert_int_eq(json_integer_value(json_object_get(p, "test_count")), 2);
	json_decref(p);
}
END_TEST

/* New tests for a problem with a custom checker (an imported package) keep its
   validator: JSON cannot carry one, and the checker still needs it. */
START_TEST(new_tests_keep_the_validator)
{
	static const struct db_test tests[] = {{"t", "secret", 0, false, "1", 1, "1", 1}};
	struct db_problem imported = {.slug = "imported", .title = "I", .time_limit_ms = 1000, .memory_limit_kb = 65536,
				      .output_limit_kb = 1024, .checker_json = "{\"type\":\"custom\"}",
				      .validator = "#!validator", .validator_len = 11, .validator_language = "python3",
				      .validator_flags = "case_sensitive", .tests = tests, .test_count = 1,
				      .replace_tests = true};
	int64_t id;
	ck_assert_int_eq(db_problem_create(db, &imported, &id), 0);
	struct db_problem_row *current = db_problem_get(db, id, true);
	json_t *body = parse_json("{\"tests\": [{\"input\": \"a\", \"output\": \"b\"}, {\"input\": \"c\", \"output\": \"d\"}]}");
	struct problem_json pj;
	char *err = NULL;
	ck_assert_int_eq(problem_json_parse(body, current, &pj, &err), 0);
	ck_assert_int_eq(db_problem_update(db, id, &pj.problem), 0);
	problem_json_release(&pj);
	json_decref(body);
	db_problem_row_free(current);
	char *v = NULL, *lang = NULL, *flags = NULL;
	size_t len = 0;
	ck_assert_int_eq(db_problem_validator(db, id, &v, &len, &lang, &flags), 0);
	ck_assert_uint_eq(len, 11);
	ck_assert(memcmp(v, "#!validator", 11) == 0);
	ck_assert_str_eq(lang, "python3");
	ck_assert_str_eq(flags, "case_sensitive");
	free(v);
	free(lang);
	free(flags);
	json_t *p = problem_view(id);
	ck_assert_int_eq(json_integer_value(json_object_get(p, "test_count")), 2);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(p, "checker"), "type")), "custom");
	json_decref(p);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("problem_json");
	TCase *tc = tcase_create("parse");
	tcase_add_test(tc, defaults_and_order);
	tcase_add_test(tc, refusals_say_which_field);
	suite_add_tcase(s, tc);
	tc = tcase_create("store");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, update_keeps_what_is_not_given);
	tcase_add_test(tc, new_tests_keep_the_validator);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
