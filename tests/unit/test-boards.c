/* Unit tests of the boards in memory (contest/boards.c) on a real database:
 * built at start and kept up to date from the change hook as submissions are
 * made and judged, rebuilt on a team change, the same board when built anew
 * from the database (a restart), the freeze (post-freeze results pending in
 * the public view, live in the team's own row and the jury's), and a thaw
 * scheduled a moment ahead that the timer applies with no change at all. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "boards.h"
#include "clock.h"
#include "common.h"
#include "contestdb.h"
#include "db.h"
#include "util.h"
#include "views.h"

static struct boards *boards;
static int64_t user_a, user_b, user_h, team_a, team_b, team_h, prob_a, prob_b, contest;

struct told {
	int changed, rebuilt, switched;
};
static struct told told;

static void on_change(void *ctx, struct db *db, const struct db_change *change)
{
	(void)ctx;
	boards_on_change(boards, db, change);
}

static void listener(void *ctx, enum boards_what what, const struct boards_view *v)
{
	(void)v;
	struct told *t = ctx;
	if (what == BOARDS_CHANGED)
		t->changed++;
	else if (what == BOARDS_REBUILT)
		t->rebuilt++;
	else if (what == BOARDS_SWITCHED)
		__atomic_add_fetch(&t->switched, 1, __ATOMIC_SEQ_CST);
}

static void make_contest(int64_t start_ms, int64_t frozen_at_ms)
{
	struct db_contest_problem problems[] = {{.problem_id = prob_a, .label = "A"}, {.problem_id = prob_b, .label = "B"}};
	struct db_contest c = {
		.shortname = "c1", .name = "C1", .formal_name = "", .start_ms = start_ms, .duration_ms = 5 * 3600000,
		.scoring = "icpc", .ioi_mode = "max_submission", .penalty_min = 20, .public_ = true,
		.frozen_at_ms = frozen_at_ms, .gold = 4, .silver = 4, .bronze = 4, .problems = problems,
		.problem_count = 2,
	};
	ck_assert_int_eq(db_contest_create(cdb, &c, &contest), 0);
	const char *ma[] = {"alice"}, *mb[] = {"bob"}, *mh[] = {"hid"};
	struct db_team ta = {.key = "ta", .label = "ta", .name = "Team A", .display_name = "", .members = ma, .member_count = 1};
	struct db_team tb = {.key = "tb", .label = "tb", .name = "Team B", .display_name = "", .members = mb, .member_count = 1};
	struct db_team th = {.key = "th", .label = "th", .name = "Hidden", .display_name = "", .hidden = true,
			     .members = mh, .member_count = 1};
	ck_assert_int_eq(db_team_create(cdb, contest, &ta, &team_a, NULL), 0);
	ck_assert_int_eq(db_team_create(cdb, contest, &tb, &team_b, NULL), 0);
	ck_assert_int_eq(db_team_create(cdb, contest, &th, &team_h, NULL), 0);
}

static void setup(void)
{
	contestdb_setup();
	memset(&told, 0, sizeof told);
	user_a = contestdb_user("alice");
	user_b = contestdb_user("bob");
	user_h = contestdb_user("hid");
	prob_a = contestdb_problem("pa");
	prob_b = contestdb_problem("pb");
	boards = boards_new(cdb);
	boards_set_listener(boards, listener, &told);
	db_set_change_hook(cdb, on_change, NULL);
	ck_assert_int_eq(boards_start(boards), 0);
}

static void teardown(void)
{
	db_set_change_hook(cdb, NULL, NULL);
	boards_free(boards);
	boards = NULL;
	contestdb_teardown();
}

/* A submission by user in its team at ms, judged with verdict (NULL: left queued). */
static int64_t submit(int64_t user, int64_t team, int64_t problem, int64_t ms, const char *verdict)
{
	struct db_submit_context ctx = {contest, team, ms, false};
	int64_t id;
	ck_assert_int_eq(db_submission_create_in(cdb, problem, user, "c", "x", &ctx, NULL, &id, NULL), 0);
	if (verdict) {
		int64_t token;
		int attempt;
		ck_assert_int_eq(db_judge_begin(cdb, id, &token, &attempt), 0);
		ck_assert_int_eq(db_judge_finish(cdb, id, token, verdict, -1, 1, 1, 0, "", NULL), 0);
	}
	return id;
}

/* The view's JSON as REST writes it (rows only). */
struct text {
	enum contest_view view;
	int64_t team;
	char *json;
	int64_t seq;
	bool frozen;
};

static void write_view(void *arg, const struct boards_view *v)
{
	struct text *t = arg;
	const struct board_row *const *all;
	size_t n = board_rows(v->board, CONTEST_VIEW_JURY, 0, &all, NULL);
	const struct board_row **rows = xcalloc(n + 1, sizeof *rows);
	size_t k = boards_view_rows(v->board, t->view, t->team, rows);
	struct buf b;
	buf_init(&b);
	view_scoreboard_rows(&b, 0, t->view, false, v->board, rows, k);
	free(rows);
	size_t len;
	t->json = buf_detach(&b, &len);
	t->seq = v->seq;
	t->frozen = v->frozen;
}

static json_t *read_view(struct boards *from, enum contest_view view, int64_t team, int64_t *seq)
{
	struct text t = {view, team, NULL, 0, false};
	ck_assert_int_eq(boards_read(from, contest, write_view, &t), 0);
	json_t *j = json_loads(t.json, 0, NULL);
	ck_assert_ptr_nonnull(j);
	free(t.json);
	if (seq)
		*seq = t.seq;
	return j;
}

/* The row of a team in a view, borrowed from board. */
static json_t *row_of(json_t *board, int64_t team)
{
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(board, "rows"), i, r)
		if (json_integer_value(json_object_get(json_object_get(r, "team"), "id")) == team)
			return r;
	return NULL;
}

static json_int_t cell_int(json_t *row, int p, const char *key)
{
	return json_integer_value(json_object_get(json_array_get(json_object_get(row, "problems"), (size_t)p), key));
}

START_TEST(built_and_kept_up_to_date)
{
	int64_t start = contest_now_ms() - 3600000;
	make_contest(start, 0);
	ck_assert_int_ge(told.rebuilt, 1); /* the contest, then each team */
	submit(user_a, team_a, prob_a, start + 10 * 60000, "WA");
	submit(user_a, team_a, prob_a, start + 12 * 60000 + 5, "AC");
	submit(user_b, team_b, prob_a, start + 30 * 60000, "AC");
	submit(user_b, team_b, prob_b, start + 31 * 60000, "CE");
	submit(user_b, team_b, prob_b, start + 40 * 60000, NULL);
	submit(user_h, team_h, prob_a, start + 1 * 60000, "AC");
	ck_assert_int_gt(told.changed, 0);
	int64_t seq;
	json_t *jury = read_view(boards, CONTEST_VIEW_JURY, 0, &seq);
	ck_assert_int_eq(seq, db_seq(cdb));
	ck_assert_int_eq(json_array_size(json_object_get(jury, "rows")), 3);
	json_t *pub = read_view(boards, CONTEST_VIEW_PUBLIC, 0, NULL);
	ck_assert_int_eq(json_array_size(json_object_get(pub, "rows")), 2); /* no hidden team */
	json_t *a = row_of(pub, team_a), *b = row_of(pub, team_b);
	ck_assert_int_eq(json_integer_value(json_object_get(a, "rank")), 2); /* 12 + 20 */
	ck_assert_int_eq(json_integer_value(json_object_get(b, "rank")), 1); /* 30 */
	ck_assert_int_eq(json_integer_value(json_object_get(a, "time")), 12 + 20);
	ck_assert_int_eq(cell_int(a, 0, "attempts"), 2);
	ck_assert(json_is_true(json_object_get(json_array_get(json_object_get(a, "problems"), 0), "first")));
	ck_assert_int_eq(json_integer_value(json_object_get(b, "time")), 30);
	ck_assert_int_eq(cell_int(b, 1, "attempts"), 1); /* CE: judged, no penalty */
	ck_assert_int_eq(cell_int(b, 1, "pending"), 1);
	/* The hidden team solved A first, but only the jury sees it. */
	ck_assert(json_is_true(json_object_get(json_array_get(json_object_get(row_of(jury, team_h), "problems"), 0),
					       "first")));

	/* A board built anew from the database is the same board at the same seq. */
	struct boards *again = boards_new(cdb);
	int64_t seq2;
	json_t *jury2 = read_view(again, CONTEST_VIEW_JURY, 0, &seq2);
	ck_assert(json_equal(jury, jury2));
	ck_assert_int_eq(seq2, seq);
	json_t *pub2 = read_view(again, CONTEST_VIEW_PUBLIC, 0, NULL);
	ck_assert(json_equal(pub, pub2));
	boards_free(again);
	json_decref(jury);
	json_decref(jury2);
	json_decref(pub);
	json_decref(pub2);

	/* A team change rebuilds: B becomes hidden. */
	int rebuilt = told.rebuilt;
	const char *mb[] = {"bob"};
	struct db_team tb = {.key = "tb", .label = "tb", .name = "Team B", .display_name = "", .hidden = true,
			     .members = mb, .member_count = 1};
	ck_assert_int_eq(db_team_update(cdb, team_b, &tb, NULL), 0);
	ck_assert_int_gt(told.rebuilt, rebuilt);
	pub = read_view(boards, CONTEST_VIEW_PUBLIC, 0, NULL);
	ck_assert_int_eq(json_array_size(json_object_get(pub, "rows")), 1);
	json_decref(pub);
	ck_assert_int_eq(boards_read(boards, contest + 100, write_view, NULL), DB_E_NOT_FOUND);
}
END_TEST

START_TEST(freeze_hides_from_the_public_and_a_scheduled_thaw_reveals)
{
	int64_t start = contest_now_ms() - 3600000, freeze = contest_now_ms() - 60000;
	make_contest(start, freeze);
	submit(user_a, team_a, prob_a, freeze - 1000, "AC");
	submit(user_b, team_b, prob_a, freeze + 10, "AC");     /* hidden by the freeze */
	submit(user_b, team_b, prob_b, freeze + 20, "WA");
	json_t *pub = read_view(boards, CONTEST_VIEW_PUBLIC, 0, NULL);
	json_t *b = row_of(pub, team_b);
	ck_assert_int_eq(json_integer_value(json_object_get(b, "solved")), 0);
	ck_assert_int_eq(cell_int(b, 0, "pending"), 1);
	ck_assert_int_eq(cell_int(b, 1, "pending"), 1);
	json_t *team = read_view(boards, CONTEST_VIEW_TEAM, team_b, NULL);
	json_t *own = row_of(team, team_b);
	ck_assert_int_eq(json_integer_value(json_object_get(own, "solved")), 1); /* its own row is live */
	ck_assert_int_eq(cell_int(own, 1, "attempts"), 1);
	ck_assert(json_equal(row_of(team, team_a), row_of(pub, team_a)));     /* the others are the public's */
	json_t *other = read_view(boards, CONTEST_VIEW_TEAM, team_a, NULL);
	ck_assert_int_eq(json_integer_value(json_object_get(row_of(other, team_b), "solved")), 0);
	json_decref(pub);
	json_decref(team);
	json_decref(other);

	/* A thaw a moment ahead: no change in the database when it comes. */
	struct db_contest c;
	ck_assert_int_eq(db_contest_get(cdb, contest, &c), 0);
	int64_t seq_before = db_seq(cdb);
	ck_assert_int_eq(db_contest_set_time(cdb, contest, DB_CONTEST_THAW_AT, contest_now_ms() + 300), 0);
	db_contest_release(&c);
	int64_t seq_set = db_seq(cdb);
	ck_assert_int_gt(seq_set, seq_before);
	pub = read_view(boards, CONTEST_VIEW_PUBLIC, 0, NULL);
	ck_assert_int_eq(json_integer_value(json_object_get(row_of(pub, team_b), "solved")), 0);
	json_decref(pub);
	for (int i = 0; i < 500 && !__atomic_load_n(&told.switched, __ATOMIC_SEQ_CST); i++)
		usleep(10000);
	ck_assert_int_ge(__atomic_load_n(&told.switched, __ATOMIC_SEQ_CST), 1);
	int64_t seq;
	pub = read_view(boards, CONTEST_VIEW_PUBLIC, 0, &seq);
	ck_assert_int_eq(json_integer_value(json_object_get(row_of(pub, team_b), "solved")), 1);
	ck_assert_int_eq(seq, seq_set);
	ck_assert_int_eq(db_seq(cdb), seq_set);
	json_decref(pub);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("boards");
	TCase *tc = tcase_create("boards");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, built_and_kept_up_to_date);
	tcase_add_test(tc, freeze_hides_from_the_public_and_a_scheduled_thaw_reveals);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
