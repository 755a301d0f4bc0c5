/* WebSocket integration tests: the real binary, real sockets, the lws client. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "ws_client.h"
#include "ws_helpers.h"

START_TEST(problem_socket_sees_new_submission)
{
	struct server s;
	server_start(&s, NULL);
	char alice[64];
	test_create_user(&s, "alice", false, alice, sizeof alice);
	long long p = wsh_problem(&s, "sum");
	struct ws_client *c = wsh_open(&s, NULL, "/ws/problems/%lld/submissions/?token=%s", p, alice);
	long long id = wsh_submit(&s, alice, p);
	json_t *m = ws_client_recv_json(c, 5000);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(json_string_value(json_object_get(m, "type")), "submission_update");
	ck_assert_int_eq(json_integer_value(json_object_get(m, "submission_id")), id);
	ck_assert_str_eq(json_string_value(json_object_get(m, "status")), "queued");
	json_decref(m);
	ws_client_free(c);
	ck_assert_int_eq(server_stop(&s), 0);
	server_cleanup(&s);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("ws");
	TCase *tc = tcase_create("ws");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, problem_socket_sees_new_submission);
	suite_add_tcase(suite, tc);
	SRunner *sr = srunner_create(suite);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
