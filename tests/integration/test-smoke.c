/* Integration smoke test: the real binary starts, answers, and stops cleanly. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

START_TEST(starts_answers_and_stops)
{
	struct server s;
	server_start(&s, NULL);
	struct response r;
	http_json_request(&r, &s, "GET", "/healthz", NULL, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "status")), "ok");
	response_free(&r);
	http_json_request(&r, &s, "GET", "/api/me", s.admin_token, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "role")), "admin");
	response_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
	server_cleanup(&s);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("smoke");
	TCase *tc = tcase_create("smoke");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, starts_answers_and_stops);
	suite_add_tcase(suite, tc);
	return test_run_suite(suite);
}
