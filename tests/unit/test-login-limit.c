/* Unit tests for login throttling: the threshold, the window, and a full table. */
#include <check.h>
#include <stdio.h>

#include "login_limit.h"

START_TEST(blocks_after_the_threshold_until_the_window_passes)
{
	int64_t t = 1000000;
	for (int i = 0; i < LOGIN_LIMIT_FAILURES - 1; i++)
		login_limit_failed("alice", t + i);
	ck_assert(!login_limit_blocked("alice", t + 20, NULL));
	login_limit_failed("alice", t + 20);
	int64_t wait = 0;
	ck_assert(login_limit_blocked("alice", t + 21, &wait));
	ck_assert_int_eq(wait, LOGIN_LIMIT_WINDOW - 21);
	ck_assert(!login_limit_blocked("bob", t + 21, NULL));
	ck_assert(!login_limit_blocked("alice", t + LOGIN_LIMIT_WINDOW, NULL));
}
END_TEST

START_TEST(success_clears_the_count)
{
	int64_t t = 2000000;
	for (int i = 0; i < LOGIN_LIMIT_FAILURES - 1; i++)
		login_limit_failed("carol", t);
	login_limit_succeeded("carol", t);
	login_limit_failed("carol", t);
	ck_assert(!login_limit_blocked("carol", t, NULL));
}
END_TEST

START_TEST(a_full_table_keeps_working)
{
	int64_t t = 3000000;
	char name[32];
	for (int i = 0; i < 5000; i++) {
		snprintf(name, sizeof name, "user%d", i);
		login_limit_failed(name, t);
	}
	for (int i = 0; i < LOGIN_LIMIT_FAILURES; i++)
		login_limit_failed("dave", t + 1);
	ck_assert(login_limit_blocked("dave", t + 1, NULL));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("login-limit");
	TCase *tc = tcase_create("login-limit");
	tcase_add_test(tc, blocks_after_the_threshold_until_the_window_passes);
	tcase_add_test(tc, success_clears_the_count);
	tcase_add_test(tc, a_full_table_keeps_working);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
