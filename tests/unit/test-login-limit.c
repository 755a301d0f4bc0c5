/* Unit tests for login throttling: by (name, address) and by address, never
 * by name alone; the window; a success; a full table that cannot be flushed. */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "login_limit.h"

static const struct login_limits limits = {.pair_failures = 10, .address_failures = 150, .window = 300};

static const struct sockaddr *v4(const char *text, struct sockaddr_in *sin)
{
	memset(sin, 0, sizeof *sin);
	sin->sin_family = AF_INET;
	ck_assert_int_eq(inet_pton(AF_INET, text, &sin->sin_addr), 1);
	return (const struct sockaddr *)sin;
}

START_TEST(a_pair_is_refused_after_the_threshold_until_the_window_passes)
{
	struct sockaddr_in sa, sb;
	const struct sockaddr *a = v4("10.0.0.1", &sa), *b = v4("10.0.0.2", &sb);
	int64_t t = 1000000;
	for (int i = 0; i < 9; i++)
		login_limit_failed(&limits, "alice", a, t + i);
	ck_assert_int_eq(login_limit_check(&limits, "alice", a, t + 20, NULL), LOGIN_LIMIT_OK);
	login_limit_failed(&limits, "alice", a, t + 20);
	int64_t wait = 0;
	ck_assert_int_eq(login_limit_check(&limits, "alice", a, t + 21, &wait), LOGIN_LIMIT_PAIR);
	ck_assert_int_eq(wait, 300 - 21);
	/* The same name from elsewhere, and another name from there, are not refused. */
	ck_assert_int_eq(login_limit_check(&limits, "alice", b, t + 21, NULL), LOGIN_LIMIT_OK);
	ck_assert_int_eq(login_limit_check(&limits, "bob", a, t + 21, NULL), LOGIN_LIMIT_OK);
	ck_assert_int_eq(login_limit_check(&limits, "alice", a, t + 300, NULL), LOGIN_LIMIT_OK);
}
END_TEST

START_TEST(an_address_failing_across_names_is_refused)
{
	struct sockaddr_in sa, sb;
	const struct sockaddr *a = v4("10.0.1.1", &sa), *b = v4("10.0.1.2", &sb);
	int64_t t = 2000000;
	char name[32];
	ck_assert(!login_limit_suspect(&limits, a, t));
	for (int i = 0; i < 149; i++) {
		snprintf(name, sizeof name, "n%d", i);
		login_limit_failed(&limits, name, a, t);
	}
	ck_assert(login_limit_suspect(&limits, a, t));
	ck_assert_int_eq(login_limit_check(&limits, "fresh", a, t + 1, NULL), LOGIN_LIMIT_OK);
	login_limit_failed(&limits, "last", a, t + 1);
	int64_t wait = 0;
	ck_assert_int_eq(login_limit_check(&limits, "fresh", a, t + 2, &wait), LOGIN_LIMIT_ADDRESS);
	ck_assert_int_eq(wait, 298);
	ck_assert_int_eq(login_limit_check(&limits, "fresh", b, t + 2, NULL), LOGIN_LIMIT_OK);
	ck_assert(!login_limit_suspect(&limits, b, t + 2));
	/* A refusal for busy hashing counts toward the address's limit, not as a wrong password. */
	for (int i = 0; i < 149; i++)
		login_limit_failed(&limits, NULL, b, t + 2);
	ck_assert(!login_limit_suspect(&limits, b, t + 2));
	ck_assert_int_eq(login_limit_check(&limits, "fresh", b, t + 2, NULL), LOGIN_LIMIT_OK);
	login_limit_failed(&limits, NULL, b, t + 2);
	ck_assert_int_eq(login_limit_check(&limits, "fresh", b, t + 2, NULL), LOGIN_LIMIT_ADDRESS);
}
END_TEST

/* 30 students behind one address, three typos each, then the right password. */
START_TEST(a_classroom_behind_one_address_is_never_refused)
{
	struct sockaddr_in sa;
	const struct sockaddr *nat = v4("10.0.2.1", &sa);
	int64_t t = 3000000;
	char name[32];
	for (int typo = 0; typo < 4; typo++)
		for (int s = 0; s < 30; s++) {
			snprintf(name, sizeof name, "student%d", s);
			ck_assert_int_eq(login_limit_check(&limits, name, nat, t, NULL), LOGIN_LIMIT_OK);
			if (typo < 3)
				login_limit_failed(&limits, name, nat, t);
			else
				login_limit_succeeded(&limits, name, nat, t);
		}
}
END_TEST

START_TEST(success_clears_the_pair)
{
	struct sockaddr_in sa;
	const struct sockaddr *a = v4("10.0.3.1", &sa);
	int64_t t = 4000000;
	for (int i = 0; i < 9; i++)
		login_limit_failed(&limits, "carol", a, t);
	login_limit_succeeded(&limits, "carol", a, t);
	login_limit_failed(&limits, "carol", a, t);
	ck_assert_int_eq(login_limit_check(&limits, "carol", a, t, NULL), LOGIN_LIMIT_OK);
}
END_TEST

/* IPv6 counts by /64: moving within one's own /64 is no way around the limit. */
START_TEST(ipv6_counts_by_prefix)
{
	struct sockaddr_in6 s1 = {.sin6_family = AF_INET6}, s2 = {.sin6_family = AF_INET6};
	inet_pton(AF_INET6, "2001:db8:1:2::1", &s1.sin6_addr);
	inet_pton(AF_INET6, "2001:db8:1:2:ffff::9", &s2.sin6_addr);
	int64_t t = 5000000;
	for (int i = 0; i < 10; i++)
		login_limit_failed(&limits, "dave", (const struct sockaddr *)&s1, t);
	ck_assert_int_eq(login_limit_check(&limits, "dave", (const struct sockaddr *)&s2, t, NULL), LOGIN_LIMIT_PAIR);
}
END_TEST

/* Flooding the table with new pairs and addresses cannot unlock a locked one. */
START_TEST(a_flood_of_new_entries_does_not_unlock)
{
	struct sockaddr_in sa, sx;
	const struct sockaddr *a = v4("10.0.4.1", &sa);
	int64_t t = 6000000;
	for (int i = 0; i < 10; i++)
		login_limit_failed(&limits, "admin", a, t);
	ck_assert_int_eq(login_limit_check(&limits, "admin", a, t, NULL), LOGIN_LIMIT_PAIR);
	char name[32], addr[32];
	for (int i = 0; i < 100000; i++) {
		snprintf(name, sizeof name, "u%d", i);
		snprintf(addr, sizeof addr, "10.%d.%d.%d", 100 + i / 65536, (i / 256) % 256, i % 256);
		login_limit_failed(&limits, name, v4(addr, &sx), t + 1);
	}
	ck_assert_int_eq(login_limit_check(&limits, "admin", a, t + 2, NULL), LOGIN_LIMIT_PAIR);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("login-limit");
	TCase *tc = tcase_create("login-limit");
	tcase_add_test(tc, a_pair_is_refused_after_the_threshold_until_the_window_passes);
	tcase_add_test(tc, an_address_failing_across_names_is_refused);
	tcase_add_test(tc, a_classroom_behind_one_address_is_never_refused);
	tcase_add_test(tc, success_clears_the_pair);
	tcase_add_test(tc, ipv6_counts_by_prefix);
	tcase_add_test(tc, a_flood_of_new_entries_does_not_unlock);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
