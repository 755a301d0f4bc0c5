/* Unit tests for views/scoreboard.c: the exact bytes of the REST board and of
 * the WebSocket "scoreboard_rows" message, ICPC and IOI, from boards built by
 * hand; the text must read back and dump to the same bytes with jansson. */
#include <check.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "views.h"

#define START 1000000000000LL

static const struct board_team teams[] = {
	{.id = 7, .key = "rocket", .label = "t7", .name = "Team Rocket"},
	{.id = 8, .key = "q", .label = "t8", .name = "q", .display_name = "Quote \"Q\""},
};

static void same_as_jansson(const struct buf *b)
{
	json_error_t err;
	json_t *j = json_loads(b->data, 0, &err);
	ck_assert_msg(j != NULL, "%s", err.text);
	char *again = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	ck_assert_str_eq(again, b->data);
	free(again);
	json_decref(j);
}

START_TEST(icpc_board_and_rows)
{
	static const struct board_problem problems[] = {{.id = 1, .label = "A"}, {.id = 2, .label = "B"}};
	struct board_settings s = {.scoring = BOARD_ICPC, .penalty_min = 20, .start_ms = START};
	struct board *board = board_new(&s, teams, 2, problems, 2);
	/* Team 7: A WA at 14, AC at 34 -> 34 + 20 = 54; B pending. Team 8: nothing. */
	struct board_sub subs[] = {
		{.id = 1, .team_id = 7, .problem_id = 1, .submitted_ms = START + 14 * 60000, .result = BOARD_REJECTED},
		{.id = 2, .team_id = 7, .problem_id = 1, .submitted_ms = START + 34 * 60000 + 59999,
		 .result = BOARD_ACCEPTED},
		{.id = 3, .team_id = 7, .problem_id = 2, .submitted_ms = START + 40 * 60000, .result = BOARD_PENDING},
	};
	board_load(board, subs, 3, 5120);
	const struct board_row *const *rows;
	int64_t seq;
	size_t n = board_rows(board, CONTEST_VIEW_PUBLIC, 0, &rows, &seq);
	ck_assert_uint_eq(n, 2);
	struct view_board_head h = {.contest_id = 1, .state = "frozen", .frozen = true, .final = false, .seq = seq};
	struct buf b;
	buf_init(&b);
	view_scoreboard(&b, &h, board, rows, n);
	ck_assert_str_eq(b.data,
			 "{\"contest_id\":1,\"state\":\"frozen\",\"frozen\":true,\"final\":false,\"seq\":5120,\"rows\":["
			 "{\"rank\":1,\"team\":{\"id\":7,\"name\":\"Team Rocket\",\"label\":\"t7\"},\"solved\":1,"
			 "\"time\":54,\"score\":null,\"problems\":["
			 "{\"label\":\"A\",\"solved\":true,\"first\":true,\"attempts\":2,\"pending\":0,\"time\":34,"
			 "\"score\":null},"
			 "{\"label\":\"B\",\"solved\":false,\"first\":false,\"attempts\":0,\"pending\":1,\"time\":null,"
			 "\"score\":null}]},"
			 "{\"rank\":2,\"team\":{\"id\":8,\"name\":\"Quote \\\"Q\\\"\",\"label\":\"t8\"},\"solved\":0,"
			 "\"time\":0,\"score\":null,\"problems\":["
			 "{\"label\":\"A\",\"solved\":false,\"first\":false,\"attempts\":0,\"pending\":0,\"time\":null,"
			 "\"score\":null},"
			 "{\"label\":\"B\",\"solved\":false,\"first\":false,\"attempts\":0,\"pending\":0,\"time\":null,"
			 "\"score\":null}]}]}");
	same_as_jansson(&b);

	/* The changed rows of one judgement: B judged WA (no penalty while unsolved). */
	subs[2].result = BOARD_REJECTED;
	ck_assert(board_put(board, &subs[2], 5121));
	const struct board_change *c;
	ck_assert_uint_ge(board_changes(board, &c), 2);
	ck_assert_int_eq(c[1].view, CONTEST_VIEW_PUBLIC);
	b.len = 0;
	view_scoreboard_rows(&b, 5121, c[1].view, false, board, c[1].rows, c[1].row_count);
	ck_assert_str_eq(b.data,
			 "{\"type\":\"scoreboard_rows\",\"seq\":5121,\"view\":\"public\",\"frozen\":false,\"rows\":["
			 "{\"rank\":1,\"team\":{\"id\":7,\"name\":\"Team Rocket\",\"label\":\"t7\"},\"solved\":1,"
			 "\"time\":54,\"score\":null,\"problems\":["
			 "{\"label\":\"A\",\"solved\":true,\"first\":true,\"attempts\":2,\"pending\":0,\"time\":34,"
			 "\"score\":null},"
			 "{\"label\":\"B\",\"solved\":false,\"first\":false,\"attempts\":1,\"pending\":0,\"time\":null,"
			 "\"score\":null}]}]}");
	same_as_jansson(&b);
	b.len = 0;
	view_scoreboard_rows(&b, 5122, CONTEST_VIEW_JURY, true, board, NULL, 0);
	ck_assert_str_eq(b.data, "{\"type\":\"scoreboard_rows\",\"seq\":5122,\"view\":\"jury\",\"frozen\":true,"
				 "\"rows\":[]}");
	buf_release(&b);
	board_free(board);
}
END_TEST

/* Team 7 solves A at 34 and wins; team 8 nothing; one group, "students",
   with team 7 in it. */
START_TEST(awards_are_an_array_of_ids_citations_and_team_ids)
{
	static const struct board_problem problems[] = {{.id = 1, .label = "A"}};
	static const int64_t students[] = {3};
	struct board_team ts[2] = {teams[0], teams[1]};
	ts[0].groups = students;
	ts[0].group_count = 1;
	struct board_settings s = {.scoring = BOARD_ICPC, .penalty_min = 20, .start_ms = START};
	struct board *board = board_new(&s, ts, 2, problems, 1);
	struct board_sub sub = {.id = 1, .team_id = 7, .problem_id = 1, .submitted_ms = START + 34 * 60000,
				.result = BOARD_ACCEPTED};
	board_load(board, &sub, 1, 1);
	const struct award_group groups[] = {{.id = 3, .key = "students", .name = "Students"}};
	struct awards *a = awards_new(board, CONTEST_VIEW_PUBLIC, 0, 1, 0, 0, groups, 1);
	struct buf b;
	buf_init(&b);
	view_awards(&b, a);
	ck_assert_str_eq(b.data, "[{\"id\":\"winner\",\"citation\":\"Contest winner\",\"team_ids\":[7]},"
				 "{\"id\":\"gold-medal\",\"citation\":\"Gold medal winner\",\"team_ids\":[7]},"
				 "{\"id\":\"silver-medal\",\"citation\":\"Silver medal winner\",\"team_ids\":[]},"
				 "{\"id\":\"bronze-medal\",\"citation\":\"Bronze medal winner\",\"team_ids\":[]},"
				 "{\"id\":\"first-to-solve-A\",\"citation\":\"First to solve problem A\",\"team_ids\":[7]},"
				 "{\"id\":\"group-winner-students\",\"citation\":\"Winner(s) of group Students\","
				 "\"team_ids\":[7]}]");
	same_as_jansson(&b);
	buf_release(&b);
	awards_free(a);
	board_free(board);
}
END_TEST

START_TEST(ioi_rows_have_scores_and_no_times)
{
	static const struct board_problem problems[] = {{.id = 1, .label = "A", .max_score = 100}};
	struct board_settings s = {.scoring = BOARD_IOI_MAX_SUBMISSION, .start_ms = START};
	struct board *board = board_new(&s, teams, 1, problems, 1);
	struct board_sub sub = {.id = 1, .team_id = 7, .problem_id = 1, .submitted_ms = START + 60000,
				.result = BOARD_REJECTED, .score = 37.5};
	ck_assert(board_put(board, &sub, 3));
	const struct board_row *const *rows;
	size_t n = board_rows(board, CONTEST_VIEW_JURY, 0, &rows, NULL);
	struct buf b;
	buf_init(&b);
	view_scoreboard_row(&b, board, rows[0]);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(b.data, "{\"rank\":1,\"team\":{\"id\":7,\"name\":\"Team Rocket\",\"label\":\"t7\"},"
				 "\"solved\":0,\"time\":null,\"score\":37.5,\"problems\":["
				 "{\"label\":\"A\",\"solved\":false,\"first\":false,\"attempts\":1,\"pending\":0,"
				 "\"time\":null,\"score\":37.5}]}");
	same_as_jansson(&b);
	buf_release(&b);
	board_free(board);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("scoreboard-views");
	TCase *tc = tcase_create("scoreboard");
	tcase_add_test(tc, icpc_board_and_rows);
	tcase_add_test(tc, ioi_rows_have_scores_and_no_times);
	tcase_add_test(tc, awards_are_an_array_of_ids_citations_and_team_ids);
	suite_add_tcase(suite, tc);
	return test_run_suite(suite);
}
