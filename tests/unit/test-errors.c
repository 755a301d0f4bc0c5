/* Unit tests for errors.h: every positive code is distinct and named, and
 * error_name names success, errnos and strays. */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "checker.h"
#include "common.h"
#include "config.h"
#include "db.h"
#include "errors.h"
#include "import.h"
#include "json_util.h"
#include "package.h"
#include "problem_json.h"
#include "users.h"
#include "validator.h"

/* 0 stays success: no code may be 0 or negative. */
_Static_assert(DB_E_NOT_FOUND == 1, "the codes start at 1");

/* Every code of the enum, by hand, with its name. */
static const struct {
	int code;
	const char *name;
} codes[] = {
	{DB_E_NOT_FOUND, "DB_E_NOT_FOUND"},       {DB_E_CONFLICT, "DB_E_CONFLICT"},
	{DB_E_BUSY, "DB_E_BUSY"},                 {DB_E_NEWER, "DB_E_NEWER"},
	{DB_E_LIMITED, "DB_E_LIMITED"},
	{USERS_E_INVALID, "USERS_E_INVALID"},     {CHECKER_E_INVALID, "CHECKER_E_INVALID"},
	{PACKAGE_E_INVALID, "PACKAGE_E_INVALID"}, {IMPORT_E_INVALID, "IMPORT_E_INVALID"},
	{IMPORT_E_CONFLICT, "IMPORT_E_CONFLICT"},
	{CONFIG_E_UNKNOWN, "CONFIG_E_UNKNOWN"},   {CONFIG_E_INVALID, "CONFIG_E_INVALID"},
	{VALIDATOR_E_COMPILE, "VALIDATOR_E_COMPILE"}, {PROBLEM_JSON_E_INVALID, "PROBLEM_JSON_E_INVALID"},
	{JSON_E_INVALID, "JSON_E_INVALID"},       {CONTEST_FILES_E_INVALID, "CONTEST_FILES_E_INVALID"},
};

START_TEST(codes_are_distinct_and_positive)
{
	ck_assert_int_eq(sizeof codes / sizeof codes[0], ERROR_CODE_END - 1);
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		ck_assert_msg(codes[i].code > 0 && codes[i].code < ERROR_CODE_END, "%s = %d", codes[i].name,
			      codes[i].code);
		for (size_t k = 0; k < i; k++)
			ck_assert_msg(codes[i].code != codes[k].code, "%s and %s are both %d", codes[i].name,
				      codes[k].name, codes[i].code);
	}
}
END_TEST

START_TEST(every_code_has_its_name)
{
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
		ck_assert_str_eq(error_name(codes[i].code), codes[i].name);
	/* And no two codes share a name. */
	for (int c = 1; c < ERROR_CODE_END; c++)
		for (int d = 1; d < c; d++)
			ck_assert_str_ne(error_name(c), error_name(d));
}
END_TEST

START_TEST(names_for_the_rest)
{
	ck_assert_str_eq(error_name(0), "success");
	ck_assert_str_eq(error_name(-ENOENT), "ENOENT");
	ck_assert_str_eq(error_name(-EIO), "EIO");
	ck_assert_str_eq(error_name(-99999), "unknown errno");
	ck_assert_str_eq(error_name(-2147483647 - 1), "unknown errno");
	ck_assert_str_eq(error_name(ERROR_CODE_END), "unknown code");
	ck_assert_str_eq(error_name(1000), "unknown code");
}
END_TEST

START_TEST(checker_results_are_not_error_codes)
{
	/* A verdict has its own type; only the parsers' CHECKER_E_INVALID is a code. */
	enum checker_result r = CHECKER_WRONG;
	ck_assert_int_eq(r, 1);
	ck_assert_int_eq(CHECKER_ACCEPTED, 0);
	ck_assert_str_eq(error_name(CHECKER_E_INVALID), "CHECKER_E_INVALID");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("errors");
	TCase *tc = tcase_create("errors");
	tcase_add_test(tc, codes_are_distinct_and_positive);
	tcase_add_test(tc, every_code_has_its_name);
	tcase_add_test(tc, names_for_the_rest);
	tcase_add_test(tc, checker_results_are_not_error_codes);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
