/* Unit tests for the views: the exact bytes of the problem and user objects
 * and their pages, written from rows built by hand (no database). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "views.h"

static void expect_json(json_t *j, const char *want)
{
	ck_assert_ptr_nonnull(j);
	char *got = json_dumps(j, JSON_COMPACT);
	ck_assert_str_eq(got, want);
	free(got);
	json_decref(j);
}

static struct db_problem_row summary_row(void)
{
	return (struct db_problem_row){.id = 3, .slug = "sum", .title = "A plus B", .time_limit_ms = 1000,
				       .memory_limit_kb = 262144};
}

START_TEST(problem_summary)
{
	struct db_problem_row row = summary_row();
	row.statement = "not shown"; /* the summary ignores the full fields */
	expect_json(view_problem(&row, false),
		    "{\"id\":3,\"slug\":\"sum\",\"title\":\"A plus B\",\"time_limit_ms\":1000,\"memory_limit_kb\":262144}");
}
END_TEST

START_TEST(problem_full)
{
	struct db_sample samples[] = {{"1 2\n", 4, "3\n", 2}, {"a\0b", 3, "\xff", 1}};
	struct db_group groups[] = {{"sample", 0, 2}, {"secret/g1", 40, 3}};
	struct db_problem_row row = summary_row();
	row.statement = "Add *them*.";
	row.statement_format = "markdown";
	row.output_limit_kb = 65536;
	row.checker_json = "{\"type\":\"float\",\"abs\":0.5}";
	row.created_at = "2026-11-26T04:00:00Z";
	row.updated_at = "2026-11-27T04:00:00Z";
	row.samples = samples;
	row.sample_count = 2;
	row.scoring = "ioi";
	row.groups = groups;
	row.group_count = 2;
	row.test_count = 5;
	expect_json(view_problem(&row, true),
		    "{\"id\":3,\"slug\":\"sum\",\"title\":\"A plus B\",\"time_limit_ms\":1000,\"memory_limit_kb\":262144,"
		    "\"statement\":\"Add *them*.\",\"statement_format\":\"markdown\",\"output_limit_kb\":65536,"
		    "\"checker\":{\"type\":\"float\",\"abs\":0.5},\"created_at\":\"2026-11-26T04:00:00Z\","
		    "\"updated_at\":\"2026-11-27T04:00:00Z\","
		    "\"samples\":[{\"input\":\"1 2\\n\",\"output\":\"3\\n\"},{\"input\":\"a\\u0000b\",\"output\":\"\xef\xbf\xbd\"}],"
		    "\"scoring\":\"ioi\",\"groups\":[{\"name\":\"sample\",\"points\":0.0,\"test_count\":2},"
		    "{\"name\":\"secret/g1\",\"points\":40.0,\"test_count\":3}],\"test_count\":5}");
}
END_TEST

/* A stored checker that does not parse shows as an empty object. */
START_TEST(problem_bad_checker)
{
	struct db_problem_row row = summary_row();
	row.statement = "";
	row.statement_format = "text";
	row.checker_json = "{broken";
	row.created_at = row.updated_at = "";
	row.scoring = "icpc";
	json_t *j = view_problem(&row, true);
	ck_assert_uint_eq(json_object_size(json_object_get(j, "checker")), 0);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "samples")), 0);
	json_decref(j);
}
END_TEST

START_TEST(problems_page)
{
	struct db_problem_row items[] = {summary_row(), summary_row()};
	items[1].id = 4;
	items[1].slug = "hard";
	struct db_problem_list list = {items, 2, 7};
	expect_json(view_problems_page(&list, 2, 2),
		    "{\"items\":[{\"id\":3,\"slug\":\"sum\",\"title\":\"A plus B\",\"time_limit_ms\":1000,"
		    "\"memory_limit_kb\":262144},{\"id\":4,\"slug\":\"hard\",\"title\":\"A plus B\","
		    "\"time_limit_ms\":1000,\"memory_limit_kb\":262144}],\"page\":2,\"per_page\":2,\"total\":7}");
	struct db_problem_list empty = {NULL, 0, 7};
	expect_json(view_problems_page(&empty, 9, 20), "{\"items\":[],\"page\":9,\"per_page\":20,\"total\":7}");
}
END_TEST

START_TEST(users)
{
	struct db_user admin = {.id = 1, .username = "admin", .admin = true, .role = DB_ROLE_ADMIN};
	expect_json(view_user(&admin), "{\"id\":1,\"username\":\"admin\",\"role\":\"admin\"}");
	struct db_user_row rows[] = {{{2, "alice", false, DB_ROLE_USER}, "2026-11-26T04:00:00Z"}};
	struct db_user_list list = {rows, 1, 5};
	expect_json(view_users_page(&list, 3, 2),
		    "{\"items\":[{\"id\":2,\"username\":\"alice\",\"role\":\"user\",\"created_at\":"
		    "\"2026-11-26T04:00:00Z\"}],\"page\":3,\"per_page\":2,\"total\":5}");
}
END_TEST

/* CLICS TIME: exactly three digits of milliseconds, UTC; RELTIME: h:mm:ss.mmm, hours unbounded, a sign. */
START_TEST(clics_times)
{
	char t[32];
	view_clics_time(t, 1796097600000); /* 2026-12-01T04:00:00Z */
	ck_assert_str_eq(t, "2026-12-01T04:00:00.000Z");
	view_clics_time(t, 1796097600007);
	ck_assert_str_eq(t, "2026-12-01T04:00:00.007Z");
	view_clics_time(t, 1796097659999);
	ck_assert_str_eq(t, "2026-12-01T04:00:59.999Z");
	view_clics_time(t, -1);
	ck_assert_str_eq(t, "1969-12-31T23:59:59.999Z");
	view_clics_reltime(t, 0);
	ck_assert_str_eq(t, "0:00:00.000");
	view_clics_reltime(t, 5 * 3600000 + 7 * 60000 + 9 * 1000 + 42);
	ck_assert_str_eq(t, "5:07:09.042");
	view_clics_reltime(t, 125LL * 3600000);
	ck_assert_str_eq(t, "125:00:00.000");
	view_clics_reltime(t, -(30 * 60000 + 1));
	ck_assert_str_eq(t, "-0:30:00.001");
}
END_TEST

START_TEST(clics_ids)
{
	ck_assert(view_clics_id_valid("clics1"));
	ck_assert(view_clics_id_valid("A"));
	ck_assert(view_clics_id_valid("12.3"));
	ck_assert(view_clics_id_valid("kth.se"));
	ck_assert(view_clics_id_valid("_x-Y_9"));
	ck_assert(view_clics_id_valid("abcdefghijklmnopqrstuvwxyz0123456789"));
	ck_assert(!view_clics_id_valid("abcdefghijklmnopqrstuvwxyz0123456789a")); /* 37 */
	ck_assert(!view_clics_id_valid(""));
	ck_assert(!view_clics_id_valid("-a"));
	ck_assert(!view_clics_id_valid(".a"));
	ck_assert(!view_clics_id_valid("a."));
	ck_assert(!view_clics_id_valid("a b"));
	ck_assert(!view_clics_id_valid("a/b"));
}
END_TEST

START_TEST(clarifications)
{
	/* A team's request about problem A, and the jury's answer to all of it. */
	struct db_clarification req = {.id = 5, .contest_id = 2, .seq = 77, .from_team_id = 9, .problem_label = "A",
				       .text = "Is \"n\" < 10?\n", .time_ms = 1764820800123, .answered = true};
	struct db_clarification ans = {.id = 6, .contest_id = 2, .seq = 78, .to_all = true, .reply_to = 5,
				       .text = "Yes.", .time_ms = 1764820860000};
	struct buf b;
	buf_init(&b);
	view_clarification(&b, &req);
	ck_assert_str_eq(b.data, "{\"id\":5,\"seq\":77,\"contest_id\":2,\"from_team_id\":9,\"to_team_id\":null,"
				 "\"to_all\":false,\"reply_to\":null,\"problem\":\"A\",\"text\":\"Is \\\"n\\\" < 10?\\n\","
				 "\"time\":\"2025-12-04T04:00:00Z\",\"answered\":true}");
	buf_release(&b);
	buf_init(&b);
	view_clarification_msg(&b, &ans);
	ck_assert_str_eq(b.data, "{\"type\":\"clarification\",\"id\":6,\"seq\":78,\"contest_id\":2,"
				 "\"from_team_id\":null,\"to_team_id\":null,\"to_all\":true,\"reply_to\":5,"
				 "\"problem\":null,\"text\":\"Yes.\",\"time\":\"2025-12-04T04:01:00Z\"}");
	buf_release(&b);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("views");
	TCase *tc = tcase_create("views");
	tcase_add_test(tc, problem_summary);
	tcase_add_test(tc, problem_full);
	tcase_add_test(tc, problem_bad_checker);
	tcase_add_test(tc, problems_page);
	tcase_add_test(tc, users);
	tcase_add_test(tc, clics_times);
	tcase_add_test(tc, clics_ids);
	tcase_add_test(tc, clarifications);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
