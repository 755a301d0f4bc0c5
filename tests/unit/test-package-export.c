/* Stored problems written back as Kattis packages (problems/package_export.c):
 * the test packages of tests/packages read, stored, exported and read again
 * give the same problem (name, statement, limits, checker, every test's
 * bytes, groups and points); problems made as JSON map their checker onto the
 * default validator's flags and their tests onto data/; a Python validator is
 * written as its source, a compiled one is refused with a message. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "db.h"
#include "import.h"
#include "package.h"
#include "package_export.h"
#include "util.h"

static char dir[256], data[300];
static struct db *db;

static void setup(void)
{
	test_tmpdir(dir, sizeof dir);
	snprintf(data, sizeof data, "%s/data", dir);
	char *err = NULL;
	int rc = db_open(data, true, &db, &err);
	ck_assert_msg(rc == 0, "db_open: %d %s", rc, err ? err : "");
}

static void teardown(void)
{
	db_close(db);
	db = NULL;
	test_rmtree(dir);
}

static struct package *read_dir(const char *name)
{
	const char *root = getenv("VERDICT_PACKAGES");
	ck_assert_ptr_nonnull(root);
	char *path = xasprintf("%s/%s", root, name);
	struct package *p = NULL;
	char *err = NULL;
	int rc = package_read_dir(path, NULL, &p, &err);
	ck_assert_msg(rc == 0, "%s: %d %s", path, rc, err ? err : "");
	free(path);
	return p;
}

/* Exports problem id and reads the zip back. */
static struct package *round_trip(int64_t id)
{
	char *zip = NULL, *err = NULL;
	size_t len = 0;
	int rc = package_export_zip(db, id, &zip, &len, &err);
	ck_assert_msg(rc == 0, "export: %d %s", rc, err ? err : "");
	struct package *p = NULL;
	rc = package_read_zip(zip, len, NULL, &p, &err);
	ck_assert_msg(rc == 0, "read back: %d %s", rc, err ? err : "");
	free(zip);
	return p;
}

static bool same_double(double a, double b)
{
	return (isnan(a) && isnan(b)) || a == b;
}

static void expect_same_tests(const struct package *a, const struct package *b)
{
	ck_assert_uint_eq(a->test_count, b->test_count);
	for (size_t i = 0; i < a->test_count; i++) {
		const struct package_test *x = &a->tests[i], *y = &b->tests[i];
		ck_assert_str_eq(x->name, y->name);
		ck_assert_str_eq(x->group, y->group);
		ck_assert_int_eq(x->sample, y->sample);
		ck_assert(x->input_len == y->input_len && memcmp(x->input, y->input, x->input_len) == 0);
		ck_assert(x->answer_len == y->answer_len && memcmp(x->answer, y->answer, x->answer_len) == 0);
	}
	ck_assert_uint_eq(a->group_count, b->group_count);
	for (size_t i = 0; i < a->group_count; i++) {
		ck_assert_str_eq(a->groups[i].name, b->groups[i].name);
		ck_assert_msg(a->groups[i].points == b->groups[i].points, "%s: %g points, back %g", a->groups[i].name,
			      a->groups[i].points, b->groups[i].points);
	}
}

static void check_package(const char *name)
{
	struct package *a = read_dir(name);
	struct import_result r;
	char *err = NULL;
	int rc = import_package(db, a, NULL, NULL, NULL, &r, &err);
	ck_assert_msg(rc == 0, "import %s: %d %s", name, rc, err ? err : "");
	struct package *b = round_trip(r.id);
	ck_assert_str_eq(a->name, b->name);
	ck_assert_str_eq(a->statement, b->statement);
	ck_assert_int_eq(a->statement_is_markdown, b->statement_is_markdown);
	ck_assert_int_eq(a->time_limit_ms, b->time_limit_ms);
	ck_assert_int_eq(a->memory_limit_kb, b->memory_limit_kb);
	ck_assert_int_eq(a->output_limit_kb, b->output_limit_kb);
	ck_assert_int_eq(a->scoring, b->scoring);
	ck_assert_int_eq(a->checker.type, b->checker.type);
	ck_assert_int_eq(a->checker.case_sensitive, b->checker.case_sensitive);
	ck_assert_int_eq(a->checker.space_change_sensitive, b->checker.space_change_sensitive);
	ck_assert(same_double(a->checker.float_abs, b->checker.float_abs));
	ck_assert(same_double(a->checker.float_rel, b->checker.float_rel));
	expect_same_tests(a, b);
	package_free(a);
	package_free(b);
}

START_TEST(packages_come_back_the_same)
{
	check_package("float-average");
	check_package("teleporters");
	check_package("exact-greeting");
}
END_TEST

static int64_t create(const char *slug, const char *checker, const struct db_test *tests, size_t n,
		      const char *validator, const char *language)
{
	struct db_problem p = {.slug = slug, .title = "Ünïcode \"title\": yes", .statement = "Add *two* numbers.",
			       .statement_markdown = true, .time_limit_ms = 2500, .memory_limit_kb = 131072,
			       .output_limit_kb = 4096, .checker_json = checker, .tests = tests, .test_count = n,
			       .validator = validator, .validator_len = validator ? strlen(validator) : 0,
			       .validator_language = language, .validator_flags = validator ? "x y" : NULL};
	int64_t id;
	ck_assert_int_eq(db_problem_create(db, &p, &id), 0);
	return id;
}

/* Tests named as POST /api/problems names them, in groups of the JSON's own, points on any test. */
static const struct db_test json_tests[] = {
	{"sample-001", "sample", 0, true, "1 2\n", 4, "3\n", 2},
	{"test-002", "g1", 10, false, "5 7\n", 4, "12\n", 3},
	{"test-003", "g1", 5, false, "1 1\n", 4, "2\n", 2},
	{"zz", "g2", 30, false, "0 0\n", 4, "0\n", 2},
	{"aa", "g2", 0, false, "2 2\n", 4, "4\n", 2},
};

START_TEST(json_problems_map_onto_the_format)
{
	static const struct {
		const char *checker;
		bool cs, ss;
		double abs, rel;
	} cases[] = {
		{"{\"type\": \"tokens\"}", true, false, NAN, NAN},
		{"{\"type\": \"exact\"}", true, true, NAN, NAN},
		{"{\"type\": \"float\", \"abs\": 0.001, \"rel\": null}", true, false, 0.001, NAN},
		{"{\"type\": \"kattis\", \"case_sensitive\": false, \"space_change_sensitive\": true, \"float_abs\": null,"
		 " \"float_rel\": 1e-9}",
		 false, true, NAN, 1e-9},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char slug[16];
		snprintf(slug, sizeof slug, "j%zu", i);
		struct package *b = round_trip(create(slug, cases[i].checker, json_tests, 5, NULL, NULL));
		ck_assert_str_eq(b->name, "Ünïcode \"title\": yes");
		ck_assert_str_eq(b->statement, "Add *two* numbers.");
		ck_assert_int_eq(b->time_limit_ms, 2500);
		ck_assert_int_eq(b->memory_limit_kb, 131072);
		ck_assert_int_eq(b->output_limit_kb, 4096);
		ck_assert_int_eq(b->checker.type, CHECKER_KATTIS);
		ck_assert_int_eq(b->checker.case_sensitive, cases[i].cs);
		ck_assert_int_eq(b->checker.space_change_sensitive, cases[i].ss);
		ck_assert(same_double(b->checker.float_abs, cases[i].abs));
		ck_assert(same_double(b->checker.float_rel, cases[i].rel));
		/* the run order and the group points stay; the groups are folders of data/secret */
		ck_assert(b->scoring);
		ck_assert_uint_eq(b->test_count, 5);
		ck_assert_str_eq(b->tests[0].name, "sample/00001-sample-001");
		ck_assert(b->tests[0].sample);
		ck_assert_str_eq(b->tests[4].group, "secret/g2");
		ck_assert_str_eq(b->tests[4].input, "2 2\n");
		ck_assert_uint_eq(b->group_count, 3);
		ck_assert_str_eq(b->groups[1].name, "secret/g1");
		ck_assert(b->groups[1].points == 15);
		ck_assert(b->groups[2].points == 30);
		package_free(b);
	}
	/* pass-fail: no points, names kept when already in order */
	static const struct db_test plain[] = {
		{"sample/1", "sample", 0, true, "a", 1, "b", 1},
		{"secret/1", "secret", 0, false, "c", 1, "d", 1},
		{"secret/2", "secret", 0, false, "", 0, "", 0},
	};
	struct package *b = round_trip(create("plain", "{\"type\": \"tokens\"}", plain, 3, NULL, NULL));
	ck_assert(!b->scoring);
	ck_assert_str_eq(b->tests[1].name, "secret/1");
	ck_assert_uint_eq(b->tests[2].input_len, 0);
	package_free(b);
}
END_TEST

START_TEST(validators)
{
	const char *script = "import sys\nsys.exit(42)\n";
	struct package *b = round_trip(create("py", "{\"type\": \"custom\"}", json_tests, 2, script, "python3"));
	ck_assert_int_eq(b->checker.type, CHECKER_CUSTOM);
	ck_assert_uint_eq(b->validator_count, 1);
	ck_assert_str_eq(b->validator_files[0].path, "validate.py");
	ck_assert_str_eq(b->validator_files[0].data, script);
	ck_assert_str_eq(b->validator_flags, "x y");
	package_free(b);
	int64_t id = create("bin", "{\"type\": \"custom\"}", json_tests, 2, "\177ELF", "c");
	char *zip = NULL, *err = NULL;
	size_t len;
	ck_assert_int_eq(package_export_zip(db, id, &zip, &len, &err), PACKAGE_E_INVALID);
	ck_assert_msg(err && strstr(err, "problem 'bin'") && strstr(err, "compiled"), "%s", err);
	ck_assert_ptr_null(zip);
	free(err);
	ck_assert_int_eq(package_export_zip(db, 9999, &zip, &len, &err), DB_E_NOT_FOUND);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("package-export");
	TCase *tc = tcase_create("export");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, packages_come_back_the_same);
	tcase_add_test(tc, json_problems_map_onto_the_format);
	tcase_add_test(tc, validators);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
