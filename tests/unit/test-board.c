/* Unit tests for board.c and awards.c against boards computed by hand (the
 * arithmetic is in the comments): ICPC penalties, CE without a penalty, JE
 * pending, ties and shared ranks, first to solve before and after a rejudge,
 * the freeze in the public, team and jury views, the thaw, IOI best
 * submission and best subtasks, hidden teams, changed rows and their seqs,
 * awards and the three exports. */
#include <check.h>
#include <jansson.h>
#include <string.h>

#include "awards.h"
#include "board.h"
#include "common.h"
#include "util.h"

#define START 1000000000000LL
#define MIN(m) (START + (int64_t)(m) * 60000 + 1000) /* one second into minute m */

enum { ALPHA = 1, BRAVO, CHARLIE, DELTA, ECHO, FOXTROT };
enum { PA = 10, PB = 11 };

static const int64_t students[] = {100};
static const int64_t observers[] = {101};

static const struct board_team teams[] = {
	{.id = ALPHA, .key = "alpha", .icpc_id = "1001", .label = "a", .name = "Alpha"},
	{.id = BRAVO, .key = "bravo", .label = "b", .name = "Bravo", .groups = students, .group_count = 1},
	{.id = CHARLIE, .key = "charlie", .label = "c", .name = "Charlie", .groups = students, .group_count = 1},
	{.id = DELTA, .key = "delta", .label = "d", .name = "Delta", .hidden = true},
	{.id = ECHO, .key = "echo", .label = "e", .name = "x", .display_name = "Echo, Inc", .groups = students,
	 .group_count = 1},
	{.id = FOXTROT, .key = "foxtrot", .label = "f", .name = "=Fox", .groups = observers, .group_count = 1},
};

static const struct board_problem problems[] = {{.id = PA, .label = "A"}, {.id = PB, .label = "B"}};

static int64_t next_id;

static int64_t put(struct board *b, int64_t team, int64_t problem, int minute, enum board_result r, int64_t seq)
{
	struct board_sub s = {.id = ++next_id, .team_id = team, .problem_id = problem, .submitted_ms = MIN(minute),
			      .result = r};
	ck_assert(board_put(b, &s, seq));
	return s.id;
}

static void rejudge(struct board *b, int64_t id, int64_t team, int64_t problem, int minute, enum board_result r,
		    int64_t seq)
{
	struct board_sub s = {.id = id, .team_id = team, .problem_id = problem, .submitted_ms = MIN(minute), .result = r};
	ck_assert(board_put(b, &s, seq));
}

static const struct board_row *row_of(struct board *b, enum contest_view view, int64_t viewer, int64_t team)
{
	const struct board_row *const *rows;
	size_t n = board_rows(b, view, viewer, &rows, NULL);
	for (size_t i = 0; i < n; i++)
		if (rows[i]->team->id == team)
			return rows[i];
	return NULL;
}

static void check_row(const struct board_row *r, int rank, int solved, int64_t time, int64_t last)
{
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->rank, rank);
	ck_assert_int_eq(r->solved, solved);
	ck_assert_int_eq(r->time, time);
	ck_assert_int_eq(r->last_time, last);
}

static void check_cell(const struct board_row *r, size_t p, bool solved, bool first, int attempts, int pending,
		       int64_t time)
{
	const struct board_cell *c = &r->cells[p];
	ck_assert_int_eq(c->solved, solved);
	ck_assert_int_eq(c->first, first);
	ck_assert_int_eq(c->attempts, attempts);
	ck_assert_int_eq(c->pending, pending);
	ck_assert_int_eq(c->time, time);
}

/* The order of a view's rows, as team ids (0-terminated). */
static void check_order(struct board *b, enum contest_view view, int64_t viewer, const int64_t *want)
{
	const struct board_row *const *rows;
	size_t n = board_rows(b, view, viewer, &rows, NULL);
	size_t i = 0;
	for (; want[i]; i++) {
		ck_assert_uint_lt(i, n);
		ck_assert_int_eq(rows[i]->team->id, want[i]);
	}
	ck_assert_uint_eq(i, n);
}

static const struct board_change *change_of(struct board *b, enum contest_view view, int64_t team)
{
	const struct board_change *c;
	size_t n = board_changes(b, &c);
	for (size_t i = 0; i < n; i++)
		if (c[i].view == view && c[i].team_id == team)
			return &c[i];
	return NULL;
}

static void check_changed(struct board *b, enum contest_view view, int64_t team, const int64_t *want, int64_t seq)
{
	const struct board_change *c = change_of(b, view, team);
	ck_assert_ptr_nonnull(c);
	size_t i = 0;
	for (; want[i]; i++) {
		ck_assert_uint_lt(i, c->row_count);
		ck_assert_int_eq(c->rows[i]->team->id, want[i]);
		ck_assert_int_eq(c->rows[i]->seq, seq);
	}
	ck_assert_uint_eq(i, c->row_count);
}

/* The ICPC board of most tests (penalty 20, no freeze):
     Alpha   A: WA 10, CE 12, AC 20 -> 20 + 20 * 1 (CE has no penalty) = 40, 3 attempts
             B: AC 30                -> 30                      total 70, last 30
     Bravo   A: AC 15 -> 15;  B: TLE 20, AC 35 -> 35 + 20 = 55  total 70, last 35
     Charlie A: RTE 5, AC 50 -> 50 + 20 = 70                     total 70, last 50
     Delta   A: AC 1 -> 1 (hidden: the jury's board only)        total 1,  last 1
     Echo    B: WA 40, AC 50 -> 50 + 20 = 70                     total 70, last 50
     Foxtrot nothing
   Public: Alpha 1 (2 solved, 70, last 30 before Bravo's 35), Bravo 2, Charlie
   and Echo tied at 3 (1, 70, 50; by name), Foxtrot 5 (rank 4 skipped).
   Jury: Delta's 1 solved in 1 minute comes before Charlie's 70: Alpha 1,
   Bravo 2, Delta 3, Charlie 4, Echo 4, Foxtrot 6.
   First to solve: A Bravo (15) in public, Delta (1) in jury; B Alpha (30). */
static struct board *icpc_board(void)
{
	struct board_settings s = {.scoring = BOARD_ICPC, .penalty_min = 20, .start_ms = START};
	struct board *b = board_new(&s, teams, ARRAY_SIZE(teams), problems, ARRAY_SIZE(problems));
	next_id = 0;
	put(b, ALPHA, PA, 10, BOARD_REJECTED, 1);
	put(b, ALPHA, PA, 12, BOARD_NO_PENALTY, 2);
	put(b, ALPHA, PA, 20, BOARD_ACCEPTED, 3);
	put(b, ALPHA, PB, 30, BOARD_ACCEPTED, 4);
	put(b, BRAVO, PA, 15, BOARD_ACCEPTED, 5);   /* id 5 */
	put(b, BRAVO, PB, 20, BOARD_REJECTED, 6);
	put(b, BRAVO, PB, 35, BOARD_ACCEPTED, 7);
	put(b, CHARLIE, PA, 5, BOARD_REJECTED, 8);
	put(b, CHARLIE, PA, 50, BOARD_ACCEPTED, 9);
	put(b, DELTA, PA, 1, BOARD_ACCEPTED, 10);
	put(b, ECHO, PB, 40, BOARD_REJECTED, 11);
	put(b, ECHO, PB, 50, BOARD_ACCEPTED, 12);
	return b;
}

START_TEST(icpc_penalties_ties_and_shared_ranks)
{
	struct board *b = icpc_board();
	const struct board_row *r = row_of(b, CONTEST_VIEW_PUBLIC, 0, ALPHA);
	check_row(r, 1, 2, 70, 30);
	check_cell(r, 0, true, false, 3, 0, 20);
	ck_assert_int_eq(r->cells[0].penalty, 40);
	check_cell(r, 1, true, true, 1, 0, 30);
	r = row_of(b, CONTEST_VIEW_PUBLIC, 0, BRAVO);
	check_row(r, 2, 2, 70, 35);
	check_cell(r, 0, true, true, 1, 0, 15);
	check_cell(r, 1, true, false, 2, 0, 35);
	check_row(row_of(b, CONTEST_VIEW_PUBLIC, 0, CHARLIE), 3, 1, 70, 50);
	check_row(row_of(b, CONTEST_VIEW_PUBLIC, 0, ECHO), 3, 1, 70, 50);
	check_row(row_of(b, CONTEST_VIEW_PUBLIC, 0, FOXTROT), 5, 0, 0, -1);
	check_cell(row_of(b, CONTEST_VIEW_PUBLIC, 0, FOXTROT), 0, false, false, 0, 0, -1);
	ck_assert_ptr_null(row_of(b, CONTEST_VIEW_PUBLIC, 0, DELTA));
	/* "=Fox" sorts before the letters, but only within its own rank. */
	check_order(b, CONTEST_VIEW_PUBLIC, 0, (const int64_t[]){ALPHA, BRAVO, CHARLIE, ECHO, FOXTROT, 0});

	check_order(b, CONTEST_VIEW_JURY, 0, (const int64_t[]){ALPHA, BRAVO, DELTA, CHARLIE, ECHO, FOXTROT, 0});
	check_row(row_of(b, CONTEST_VIEW_JURY, 0, DELTA), 3, 1, 1, 1);
	check_row(row_of(b, CONTEST_VIEW_JURY, 0, CHARLIE), 4, 1, 70, 50);
	check_row(row_of(b, CONTEST_VIEW_JURY, 0, FOXTROT), 6, 0, 0, -1);
	/* First to solve A: Delta at minute 1 for the jury, Bravo for the public. */
	ck_assert(row_of(b, CONTEST_VIEW_JURY, 0, DELTA)->cells[0].first);
	ck_assert(!row_of(b, CONTEST_VIEW_JURY, 0, BRAVO)->cells[0].first);
	/* Without a freeze a team's view is the public one. */
	const struct board_row *const *pub, *const *team;
	board_rows(b, CONTEST_VIEW_PUBLIC, 0, &pub, NULL);
	board_rows(b, CONTEST_VIEW_TEAM, ALPHA, &team, NULL);
	ck_assert_ptr_eq(pub, team);

	/* Alpha's WA on A (id 1) turns out to be Foxtrot's on B: Alpha's A is
	   20 with 2 attempts (CE 12, AC 20), total 20 + 30 = 50, still 1st;
	   Foxtrot has one attempt on B. Both cells change in one put. */
	rejudge(b, 1, FOXTROT, PB, 10, BOARD_REJECTED, 50);
	check_row(row_of(b, CONTEST_VIEW_PUBLIC, 0, ALPHA), 1, 2, 50, 30);
	check_cell(row_of(b, CONTEST_VIEW_PUBLIC, 0, ALPHA), 0, true, false, 2, 0, 20);
	check_cell(row_of(b, CONTEST_VIEW_PUBLIC, 0, FOXTROT), 1, false, false, 1, 0, -1);
	check_changed(b, CONTEST_VIEW_PUBLIC, 0, (const int64_t[]){ALPHA, FOXTROT, 0}, 50);
	board_free(b);
}
END_TEST

START_TEST(je_and_queued_are_pending_and_hold_back_first_to_solve)
{
	struct board *b = icpc_board();
	/* Charlie's JE on B at minute 20, before Alpha's AC at 30: the cell is
	   pending and no one is first on B while it may still be earlier. */
	ck_assert_int_eq(board_result_of("done", "JE"), BOARD_PENDING);
	ck_assert_int_eq(board_result_of("running", NULL), BOARD_PENDING);
	ck_assert_int_eq(board_result_of("done", "CE"), BOARD_NO_PENALTY);
	ck_assert_int_eq(board_result_of("done", "OLE"), BOARD_REJECTED);
	ck_assert_int_eq(board_result_of("done", "AC"), BOARD_ACCEPTED);
	int64_t je = put(b, CHARLIE, PB, 20, board_result_of("done", "JE"), 20);
	const struct board_row *r = row_of(b, CONTEST_VIEW_PUBLIC, 0, CHARLIE);
	check_row(r, 3, 1, 70, 50);
	check_cell(r, 1, false, false, 0, 1, -1);
	ck_assert(!row_of(b, CONTEST_VIEW_PUBLIC, 0, ALPHA)->cells[1].first);
	/* Changed: Charlie's cell and Alpha's first flag; no rank moved. */
	check_changed(b, CONTEST_VIEW_PUBLIC, 0, (const int64_t[]){ALPHA, CHARLIE, 0}, 20);

	/* Judged WA: a rejection on an unsolved problem adds nothing; Alpha is first again. */
	rejudge(b, je, CHARLIE, PB, 20, BOARD_REJECTED, 21);
	check_row(row_of(b, CONTEST_VIEW_PUBLIC, 0, CHARLIE), 3, 1, 70, 50);
	check_cell(row_of(b, CONTEST_VIEW_PUBLIC, 0, CHARLIE), 1, false, false, 1, 0, -1);
	ck_assert(row_of(b, CONTEST_VIEW_PUBLIC, 0, ALPHA)->cells[1].first);
	board_free(b);
}
END_TEST

START_TEST(a_rejudge_moves_first_to_solve_and_ranks)
{
	struct board *b = icpc_board();
	/* Bravo's AC on A at 15 (id 5) becomes WA: Bravo keeps B (55) only, 1
	   solved in 55 minutes, still 2nd in public (Charlie and Echo have 70);
	   first on A goes to Alpha (20). Public changes: Alpha (first flag) and
	   Bravo; the jury's Bravo falls behind Delta (1 solved in 1). */
	rejudge(b, 5, BRAVO, PA, 15, BOARD_REJECTED, 100);
	const struct board_row *r = row_of(b, CONTEST_VIEW_PUBLIC, 0, BRAVO);
	check_row(r, 2, 1, 55, 35);
	check_cell(r, 0, false, false, 1, 0, -1);
	check_cell(row_of(b, CONTEST_VIEW_PUBLIC, 0, ALPHA), 0, true, true, 3, 0, 20);
	check_changed(b, CONTEST_VIEW_PUBLIC, 0, (const int64_t[]){ALPHA, BRAVO, 0}, 100);
	/* Charlie's row last changed with its AC (seq 9): Echo's tie at seq 12 left its rank at 3. */
	ck_assert_int_eq(row_of(b, CONTEST_VIEW_PUBLIC, 0, CHARLIE)->seq, 9);
	check_changed(b, CONTEST_VIEW_JURY, 0, (const int64_t[]){DELTA, BRAVO, 0}, 100);
	check_order(b, CONTEST_VIEW_JURY, 0, (const int64_t[]){ALPHA, DELTA, BRAVO, CHARLIE, ECHO, FOXTROT, 0});
	ck_assert(row_of(b, CONTEST_VIEW_JURY, 0, DELTA)->cells[0].first);

	/* Back to AC: everything as before. */
	rejudge(b, 5, BRAVO, PA, 15, BOARD_ACCEPTED, 101);
	check_row(row_of(b, CONTEST_VIEW_PUBLIC, 0, BRAVO), 2, 2, 70, 35);
	ck_assert(row_of(b, CONTEST_VIEW_PUBLIC, 0, BRAVO)->cells[0].first);
	ck_assert(!row_of(b, CONTEST_VIEW_PUBLIC, 0, ALPHA)->cells[0].first);

	/* Removing Alpha's AC on B (id 4): Alpha 1 solved (A, 40), last 20, ranks
	   2nd; Bravo 1st; first on B goes to Bravo (35). */
	ck_assert(board_remove(b, 4, 102));
	check_row(row_of(b, CONTEST_VIEW_PUBLIC, 0, ALPHA), 2, 1, 40, 20);
	check_row(row_of(b, CONTEST_VIEW_PUBLIC, 0, BRAVO), 1, 2, 70, 35);
	ck_assert(row_of(b, CONTEST_VIEW_PUBLIC, 0, BRAVO)->cells[1].first);
	check_changed(b, CONTEST_VIEW_PUBLIC, 0, (const int64_t[]){BRAVO, ALPHA, 0}, 102);
	ck_assert(!board_remove(b, 4, 103));
	ck_assert_uint_eq(change_of(b, CONTEST_VIEW_PUBLIC, 0)->row_count, 0);
	board_free(b);
}
END_TEST

START_TEST(seqs_mark_only_the_rows_that_changed)
{
	struct board *b = icpc_board();
	/* Foxtrot's WA on A at 60: only its own row changes (it stays 5th). */
	put(b, FOXTROT, PA, 60, BOARD_REJECTED, 30);
	check_changed(b, CONTEST_VIEW_PUBLIC, 0, (const int64_t[]){FOXTROT, 0}, 30);
	check_changed(b, CONTEST_VIEW_JURY, 0, (const int64_t[]){FOXTROT, 0}, 30);
	int64_t seq;
	const struct board_row *const *rows;
	board_rows(b, CONTEST_VIEW_PUBLIC, 0, &rows, &seq);
	ck_assert_int_eq(seq, 30);
	/* Alpha's row last changed when Bravo's AC at 15 (seq 5) took first on A from it. */
	ck_assert_int_eq(row_of(b, CONTEST_VIEW_PUBLIC, 0, ALPHA)->seq, 5);
	/* A submission of a hidden team changes nothing public. */
	put(b, DELTA, PB, 61, BOARD_REJECTED, 31);
	check_changed(b, CONTEST_VIEW_PUBLIC, 0, (const int64_t[]){0}, 31);
	check_changed(b, CONTEST_VIEW_JURY, 0, (const int64_t[]){DELTA, 0}, 31);
	/* Unknown teams and problems are refused. */
	struct board_sub s = {.id = 999, .team_id = 77, .problem_id = PA, .result = BOARD_ACCEPTED};
	ck_assert(!board_put(b, &s, 32));
	s.team_id = ALPHA;
	s.problem_id = 77;
	ck_assert(!board_put(b, &s, 32));
	/* A load gives every row that changed the load's seq: all of them here
	   (from all tied at 1 to Alpha 1st and the others tied at 2, by name). */
	struct board_settings set = *board_settings(b);
	struct board *c = board_new(&set, teams, ARRAY_SIZE(teams), problems, ARRAY_SIZE(problems));
	struct board_sub subs[] = {
		{.id = 1, .team_id = ALPHA, .problem_id = PA, .submitted_ms = MIN(3), .result = BOARD_ACCEPTED},
		{.id = 2, .team_id = BRAVO, .problem_id = PA, .submitted_ms = MIN(4), .result = BOARD_REJECTED},
	};
	board_load(c, subs, ARRAY_SIZE(subs), 7);
	check_changed(c, CONTEST_VIEW_PUBLIC, 0, (const int64_t[]){ALPHA, FOXTROT, BRAVO, CHARLIE, ECHO, 0}, 7);
	check_row(row_of(c, CONTEST_VIEW_PUBLIC, 0, ALPHA), 1, 1, 3, 3);
	check_row(row_of(c, CONTEST_VIEW_PUBLIC, 0, BRAVO), 2, 0, 0, -1);
	check_row(row_of(c, CONTEST_VIEW_PUBLIC, 0, FOXTROT), 2, 0, 0, -1);
	board_free(c);
	board_free(b);
}
END_TEST

/* The frozen board: freeze at minute 60, three teams, penalty 20.
     Alpha   A: AC 10;  B: WA 65, AC 70 (after the freeze)
     Bravo   A: AC 20;  B: AC 50
     Charlie B: queued at 30
   Public: Alpha 1 solved (10), B pending 2; Bravo 2 solved (20 + 50 = 70).
   Ranks: Bravo 1, Alpha 2, Charlie 3.
   Jury:   Alpha 2 solved, 10 + 70 + 20 = 100, last 70; Bravo 70, last 50:
   Bravo 1, Alpha 2. Alpha's own view: its live row (2, 100) with the public
   others: Bravo 1, Alpha 2. First on B: none (Charlie's queued submission at
   30 is earlier than every AC on B); first on A: Alpha (10). */
START_TEST(the_freeze_hides_results_from_the_public_and_other_teams)
{
	static const struct board_team three[] = {
		{.id = ALPHA, .key = "alpha", .label = "a", .name = "Alpha"},
		{.id = BRAVO, .key = "bravo", .label = "b", .name = "Bravo"},
		{.id = CHARLIE, .key = "charlie", .label = "c", .name = "Charlie"},
	};
	struct board_settings s = {.scoring = BOARD_ICPC, .penalty_min = 20, .start_ms = START, .freeze_ms = MIN(60) - 1000};
	struct board *b = board_new(&s, three, 3, problems, 2);
	next_id = 0;
	put(b, ALPHA, PA, 10, BOARD_ACCEPTED, 1);
	put(b, BRAVO, PA, 20, BOARD_ACCEPTED, 2);
	put(b, BRAVO, PB, 50, BOARD_ACCEPTED, 3);
	put(b, CHARLIE, PB, 30, BOARD_PENDING, 4);
	ck_assert_ptr_null(change_of(b, CONTEST_VIEW_TEAM, ALPHA));

	/* The first submission after the freeze: Alpha gets a view of its own,
	   made from the public one; each of the three views changes Alpha's row. */
	put(b, ALPHA, PB, 65, BOARD_REJECTED, 50);
	check_changed(b, CONTEST_VIEW_PUBLIC, 0, (const int64_t[]){ALPHA, 0}, 50);
	check_changed(b, CONTEST_VIEW_TEAM, ALPHA, (const int64_t[]){ALPHA, 0}, 50);
	check_changed(b, CONTEST_VIEW_JURY, 0, (const int64_t[]){ALPHA, 0}, 50);
	check_cell(row_of(b, CONTEST_VIEW_PUBLIC, 0, ALPHA), 1, false, false, 0, 1, -1);
	check_cell(row_of(b, CONTEST_VIEW_TEAM, ALPHA, ALPHA), 1, false, false, 1, 0, -1);
	put(b, ALPHA, PB, 70, BOARD_ACCEPTED, 51);

	const struct board_row *r = row_of(b, CONTEST_VIEW_PUBLIC, 0, ALPHA);
	check_row(r, 2, 1, 10, 10);
	check_cell(r, 0, true, true, 1, 0, 10);
	check_cell(r, 1, false, false, 0, 2, -1);
	check_row(row_of(b, CONTEST_VIEW_PUBLIC, 0, BRAVO), 1, 2, 70, 50);
	check_cell(row_of(b, CONTEST_VIEW_PUBLIC, 0, BRAVO), 1, true, false, 1, 0, 50);
	check_cell(row_of(b, CONTEST_VIEW_PUBLIC, 0, CHARLIE), 1, false, false, 0, 1, -1);

	r = row_of(b, CONTEST_VIEW_JURY, 0, ALPHA);
	check_row(r, 2, 2, 100, 70);
	check_cell(r, 1, true, false, 2, 0, 70);
	r = row_of(b, CONTEST_VIEW_TEAM, ALPHA, ALPHA);
	check_row(r, 2, 2, 100, 70);
	check_cell(r, 1, true, false, 2, 0, 70);
	/* Another team's view is the public one. */
	check_row(row_of(b, CONTEST_VIEW_TEAM, BRAVO, ALPHA), 2, 1, 10, 10);
	check_row(row_of(b, CONTEST_VIEW_TEAM, ALPHA, BRAVO), 1, 2, 70, 50);

	/* Bravo's WA after the freeze is pending for the public and for Alpha. */
	put(b, BRAVO, PA, 61, BOARD_REJECTED, 52);
	check_changed(b, CONTEST_VIEW_TEAM, ALPHA, (const int64_t[]){0}, 52);
	check_changed(b, CONTEST_VIEW_TEAM, BRAVO, (const int64_t[]){0}, 52);
	check_changed(b, CONTEST_VIEW_PUBLIC, 0, (const int64_t[]){0}, 52);

	/* Thaw: the public sees it all (Alpha 2 solved, 100), the team views go,
	   and the rows that change take the thaw's seq. */
	s.thawed = true;
	board_set_settings(b, &s, 60);
	check_row(row_of(b, CONTEST_VIEW_PUBLIC, 0, ALPHA), 2, 2, 100, 70);
	check_changed(b, CONTEST_VIEW_PUBLIC, 0, (const int64_t[]){ALPHA, 0}, 60);
	ck_assert_ptr_null(change_of(b, CONTEST_VIEW_TEAM, ALPHA));
	check_row(row_of(b, CONTEST_VIEW_TEAM, ALPHA, ALPHA), 2, 2, 100, 70);
	/* Freeze again (back in time): Alpha's view comes back from the public one. */
	s.thawed = false;
	board_set_settings(b, &s, 61);
	check_changed(b, CONTEST_VIEW_PUBLIC, 0, (const int64_t[]){ALPHA, 0}, 61);
	check_changed(b, CONTEST_VIEW_TEAM, ALPHA, (const int64_t[]){0}, 61);
	check_row(row_of(b, CONTEST_VIEW_TEAM, ALPHA, ALPHA), 2, 2, 100, 70);
	check_row(row_of(b, CONTEST_VIEW_PUBLIC, 0, ALPHA), 2, 1, 10, 10);
	board_free(b);
}
END_TEST

/* A thawed copy of a frozen board (freeze at 60; Delta hidden):
     Delta   A: AC 5
     Alpha   B: AC 30;  A: AC 70 (after the freeze)
     Bravo   A: AC 20;  B: WA 65 (after the freeze)
   Frozen public: Bravo 1 (1 solved, 20), Alpha 2 (1, 30), Charlie 3.
   The copy's public view is the live board without Delta: Alpha 1 (2 solved,
   30 + 70 = 100, last 70), Bravo 2 (1, 20), Charlie 3; first on A is Bravo
   (Delta's is hidden), on B Alpha. The board copied from stays frozen. */
START_TEST(a_thawed_copy_is_the_live_board_without_hidden_teams)
{
	struct board_settings s = {.scoring = BOARD_ICPC, .penalty_min = 20, .start_ms = START, .freeze_ms = MIN(60) - 1000};
	struct board *b = board_new(&s, teams, 4, problems, 2);
	next_id = 0;
	put(b, DELTA, PA, 5, BOARD_ACCEPTED, 1);
	put(b, ALPHA, PB, 30, BOARD_ACCEPTED, 2);
	put(b, BRAVO, PA, 20, BOARD_ACCEPTED, 3);
	put(b, ALPHA, PA, 70, BOARD_ACCEPTED, 4);
	put(b, BRAVO, PB, 65, BOARD_REJECTED, 5);
	struct board *c = board_thawed(b);
	ck_assert(board_settings(c)->thawed);
	const struct board_row *const *rows;
	ck_assert_uint_eq(board_rows(c, CONTEST_VIEW_PUBLIC, 0, &rows, NULL), 3);
	check_row(rows[0], 1, 2, 100, 70);
	ck_assert_int_eq(rows[0]->team->id, ALPHA);
	check_cell(rows[0], 0, true, false, 1, 0, 70);
	check_cell(rows[0], 1, true, true, 1, 0, 30);
	check_row(rows[1], 2, 1, 20, 20);
	check_cell(rows[1], 0, true, true, 1, 0, 20);
	check_cell(rows[1], 1, false, false, 1, 0, -1);
	ck_assert_int_eq(rows[2]->team->id, CHARLIE);
	ck_assert_ptr_null(row_of(c, CONTEST_VIEW_PUBLIC, 0, DELTA));
	/* the original is still frozen */
	check_row(row_of(b, CONTEST_VIEW_PUBLIC, 0, BRAVO), 1, 1, 20, 20);
	check_row(row_of(b, CONTEST_VIEW_PUBLIC, 0, ALPHA), 2, 1, 30, 30);
	/* and the results from the copy give no hidden team anything */
	struct awards *a = awards_new(c, CONTEST_VIEW_PUBLIC, 0, 1, 1, 0, NULL, 0);
	ck_assert_str_eq(a->awards[0].id, "winner");
	ck_assert_uint_eq(a->awards[0].team_count, 1);
	ck_assert_int_eq(a->awards[0].teams[0]->id, ALPHA);
	ck_assert_str_eq(a->awards[4].id, "first-to-solve-A");
	ck_assert_uint_eq(a->awards[4].team_count, 1);
	ck_assert_int_eq(a->awards[4].teams[0]->id, BRAVO);
	awards_free(a);
	board_free(c);
	board_free(b);
}
END_TEST

/* IOI, best submission, both problems out of 100:
     Alpha   P1: 30 at 5, 70 at 10, 50 at 20 -> 70 (minute 10), 3 attempts
             P2: 100 at 30                   -> 100, solved        total 170
     Bravo   P1: 100 at 40 -> solved;  P2: 70 at 15                total 170
     Charlie P1: queued at 3, then judged 20                        total 20
   Alpha and Bravo tie at 170 and share rank 1 (by name); Charlie 3rd. First
   on P2 is Alpha's; first on P1 waits for Charlie's submission at 3 (earlier
   than Bravo's full score at 40). */
START_TEST(ioi_best_submission_per_problem)
{
	static const struct board_problem ioi[] = {{.id = PA, .label = "A", .max_score = 100},
						   {.id = PB, .label = "B", .max_score = 100}};
	struct board_settings s = {.scoring = BOARD_IOI_MAX_SUBMISSION, .start_ms = START};
	struct board *b = board_new(&s, teams, 3, ioi, 2);
	struct board_sub subs[] = {
		{.id = 1, .team_id = ALPHA, .problem_id = PA, .submitted_ms = MIN(5), .result = BOARD_REJECTED, .score = 30},
		{.id = 2, .team_id = ALPHA, .problem_id = PA, .submitted_ms = MIN(10), .result = BOARD_REJECTED, .score = 70},
		{.id = 3, .team_id = ALPHA, .problem_id = PA, .submitted_ms = MIN(20), .result = BOARD_REJECTED, .score = 50},
		{.id = 4, .team_id = ALPHA, .problem_id = PB, .submitted_ms = MIN(30), .result = BOARD_ACCEPTED, .score = 100},
		{.id = 5, .team_id = BRAVO, .problem_id = PA, .submitted_ms = MIN(40), .result = BOARD_ACCEPTED, .score = 100},
		{.id = 6, .team_id = BRAVO, .problem_id = PB, .submitted_ms = MIN(15), .result = BOARD_REJECTED, .score = 70},
		{.id = 7, .team_id = CHARLIE, .problem_id = PA, .submitted_ms = MIN(3), .result = BOARD_PENDING},
	};
	board_load(b, subs, ARRAY_SIZE(subs), 1);
	const struct board_row *r = row_of(b, CONTEST_VIEW_PUBLIC, 0, ALPHA);
	ck_assert_int_eq(r->rank, 1);
	ck_assert_double_eq(r->score, 170);
	ck_assert_int_eq(r->solved, 1);
	ck_assert_int_eq(r->last_time, 30);
	ck_assert_double_eq(r->cells[0].score, 70);
	check_cell(r, 0, false, false, 3, 0, 10);
	check_cell(r, 1, true, true, 1, 0, 30);
	r = row_of(b, CONTEST_VIEW_PUBLIC, 0, BRAVO);
	ck_assert_int_eq(r->rank, 1);
	ck_assert_double_eq(r->score, 170);
	check_cell(r, 0, true, false, 1, 0, 40);
	r = row_of(b, CONTEST_VIEW_PUBLIC, 0, CHARLIE);
	ck_assert_int_eq(r->rank, 3);
	check_cell(r, 0, false, false, 0, 1, -1);

	subs[6].result = BOARD_REJECTED;
	subs[6].score = 20;
	ck_assert(board_put(b, &subs[6], 2));
	ck_assert_double_eq(row_of(b, CONTEST_VIEW_PUBLIC, 0, CHARLIE)->score, 20);
	ck_assert(row_of(b, CONTEST_VIEW_PUBLIC, 0, BRAVO)->cells[0].first);
	ck_assert(row_of(b, CONTEST_VIEW_PUBLIC, 0, ALPHA)->cells[1].first);
	check_changed(b, CONTEST_VIEW_PUBLIC, 0, (const int64_t[]){BRAVO, CHARLIE, 0}, 2);
	board_free(b);
}
END_TEST

/* IOI, best subtasks: problem A has groups g1 (30) and g2 (70), B a and b (50 each).
     Alpha   A: {g1 30, g2 0} at 5, {g1 0, g2 70} at 10 -> 30 + 70 = 100 at 10
                (the best submission alone would be 70)
             B: {a 50} at 20                           -> 50       total 150
     Bravo   A: {g1 30, g2 35} at 8, {g2 70} at 12     -> 100 at 12
             B: {b 50} at 25, {a 50, b 0} at 30        -> 100 at 30 total 200
   Bravo 1st, Alpha 2nd; first on A Alpha (full at 10), on B Bravo. */
START_TEST(ioi_best_subtasks_across_submissions)
{
	static const struct board_problem ioi[] = {{.id = PA, .label = "A", .max_score = 100},
						   {.id = PB, .label = "B", .max_score = 100}};
	struct board_settings s = {.scoring = BOARD_IOI_MAX_SUBTASKS, .start_ms = START};
	struct board *b = board_new(&s, teams, 2, ioi, 2);
	const struct board_group_score a1[] = {{"g1", 30}, {"g2", 0}}, a2[] = {{"g1", 0}, {"g2", 70}},
				       ab[] = {{"a", 50}}, b1[] = {{"g1", 30}, {"g2", 35}}, b2[] = {{"g2", 70}},
				       bb1[] = {{"b", 50}}, bb2[] = {{"a", 50}, {"b", 0}};
	struct board_sub subs[] = {
		{1, ALPHA, PA, MIN(5), BOARD_REJECTED, 30, a1, 2},   {2, ALPHA, PA, MIN(10), BOARD_REJECTED, 70, a2, 2},
		{3, ALPHA, PB, MIN(20), BOARD_REJECTED, 50, ab, 1},  {4, BRAVO, PA, MIN(8), BOARD_REJECTED, 65, b1, 2},
		{5, BRAVO, PA, MIN(12), BOARD_REJECTED, 70, b2, 1},  {6, BRAVO, PB, MIN(25), BOARD_REJECTED, 50, bb1, 1},
		{7, BRAVO, PB, MIN(30), BOARD_REJECTED, 50, bb2, 2},
	};
	for (size_t i = 0; i < ARRAY_SIZE(subs); i++)
		ck_assert(board_put(b, &subs[i], (int64_t)i + 1));
	const struct board_row *r = row_of(b, CONTEST_VIEW_PUBLIC, 0, ALPHA);
	ck_assert_int_eq(r->rank, 2);
	ck_assert_double_eq(r->score, 150);
	ck_assert_double_eq(r->cells[0].score, 100);
	check_cell(r, 0, true, true, 2, 0, 10);
	ck_assert_double_eq(r->cells[1].score, 50);
	r = row_of(b, CONTEST_VIEW_PUBLIC, 0, BRAVO);
	ck_assert_int_eq(r->rank, 1);
	ck_assert_double_eq(r->score, 200);
	check_cell(r, 0, true, false, 2, 0, 12);
	check_cell(r, 1, true, true, 2, 0, 30);
	ck_assert_int_eq(r->last_time, 30);
	/* A thawed copy keeps the best group scores of every submission. */
	struct board *c = board_thawed(b);
	ck_assert_double_eq(row_of(c, CONTEST_VIEW_PUBLIC, 0, ALPHA)->score, 150);
	ck_assert_double_eq(row_of(c, CONTEST_VIEW_PUBLIC, 0, BRAVO)->score, 200);
	ck_assert_double_eq(row_of(c, CONTEST_VIEW_PUBLIC, 0, ALPHA)->cells[1].score, 50);
	board_free(c);
	board_free(b);
}
END_TEST

static const struct award_group groups[] = {{100, "students", "Students"}, {101, "observers", "Observers"}};

static const struct award *award_named(const struct awards *a, const char *id)
{
	for (size_t i = 0; i < a->award_count; i++)
		if (strcmp(a->awards[i].id, id) == 0)
			return &a->awards[i];
	return NULL;
}

static void check_award(const struct awards *a, const char *id, const int64_t *want)
{
	const struct award *w = award_named(a, id);
	ck_assert_ptr_nonnull(w);
	size_t i = 0;
	for (; want[i]; i++) {
		ck_assert_uint_lt(i, w->team_count);
		ck_assert_int_eq(w->teams[i]->id, want[i]);
	}
	ck_assert_uint_eq(i, w->team_count);
}

START_TEST(awards_and_medals_with_shared_ranks)
{
	struct board *b = icpc_board();
	/* gold 1, silver 1, bronze 2: Alpha (1) gold, Bravo (2) silver, Charlie
	   and Echo (3, 3 <= 1 + 1 + 2) bronze; Foxtrot solved nothing. */
	struct awards *a = awards_new(b, CONTEST_VIEW_PUBLIC, 0, 1, 1, 2, groups, 2);
	check_award(a, "winner", (const int64_t[]){ALPHA, 0});
	check_award(a, "gold-medal", (const int64_t[]){ALPHA, 0});
	check_award(a, "silver-medal", (const int64_t[]){BRAVO, 0});
	check_award(a, "bronze-medal", (const int64_t[]){CHARLIE, ECHO, 0});
	check_award(a, "first-to-solve-A", (const int64_t[]){BRAVO, 0});
	check_award(a, "first-to-solve-B", (const int64_t[]){ALPHA, 0});
	check_award(a, "group-winner-students", (const int64_t[]){BRAVO, 0});
	check_award(a, "group-winner-observers", (const int64_t[]){0});

	struct buf out;
	buf_init(&out);
	awards_results_tsv(a, &out);
	ck_assert_str_eq(out.data, "results\t1\n"
				   "1001\t1\tGold Medal\t2\t70\t30\t\n"
				   "bravo\t2\tSilver Medal\t2\t70\t35\tStudents\n"
				   "charlie\t3\tBronze Medal\t1\t70\t50\t\n"
				   "echo\t3\tBronze Medal\t1\t70\t50\t\n"
				   "foxtrot\t\tHonorable\t0\t0\t0\t\n");
	out.len = 0;
	awards_gradebook_csv(a, &out);
	ck_assert_str_eq(out.data, "label,name,A,B,total\r\n"
				   "a,Alpha,20,30,2\r\n"
				   "b,Bravo,15,35,2\r\n"
				   "c,Charlie,50,,1\r\n"
				   "e,\"Echo, Inc\",,50,1\r\n"
				   "f,\"'=Fox\",,,0\r\n");
	out.len = 0;
	awards_results_json(a, false, &out);
	json_t *j = json_loads(out.data, 0, NULL);
	ck_assert_ptr_nonnull(j);
	ck_assert(json_is_false(json_object_get(j, "final")));
	json_t *results = json_object_get(j, "results");
	ck_assert_uint_eq(json_array_size(results), 5);
	json_t *bravo = json_array_get(results, 1);
	ck_assert_str_eq(json_string_value(json_object_get(bravo, "team_id")), "bravo");
	ck_assert_int_eq(json_integer_value(json_object_get(bravo, "rank")), 2);
	ck_assert_str_eq(json_string_value(json_object_get(bravo, "award")), "Silver Medal");
	ck_assert_int_eq(json_integer_value(json_object_get(bravo, "total_time")), 70);
	ck_assert_str_eq(json_string_value(json_object_get(bravo, "group_winner")), "Students");
	ck_assert(json_is_null(json_object_get(json_array_get(results, 4), "rank")));
	json_t *awards = json_object_get(j, "awards");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(awards, 0), "id")), "winner");
	ck_assert_str_eq(json_string_value(json_array_get(
				 json_object_get(json_array_get(awards, 0), "team_ids"), 0)),
			 "alpha");
	json_decref(j);
	buf_release(&out);
	awards_free(a);

	/* gold 2, silver 1, bronze 1: Alpha and Bravo gold; Charlie and Echo
	   share rank 3 <= 2 + 1 and both get silver; rank 4 would be bronze, but
	   no one has it (rank 4 is skipped and Foxtrot solved nothing). */
	a = awards_new(b, CONTEST_VIEW_PUBLIC, 0, 2, 1, 1, groups, 2);
	check_award(a, "gold-medal", (const int64_t[]){ALPHA, BRAVO, 0});
	check_award(a, "silver-medal", (const int64_t[]){CHARLIE, ECHO, 0});
	check_award(a, "bronze-medal", (const int64_t[]){0});
	awards_free(a);
	/* The jury's awards count the hidden team: Delta first on A. */
	a = awards_new(b, CONTEST_VIEW_JURY, 0, 1, 1, 1, NULL, 0);
	check_award(a, "first-to-solve-A", (const int64_t[]){DELTA, 0});
	awards_free(a);
	board_free(b);
}
END_TEST

START_TEST(ioi_gradebook_has_scores)
{
	static const struct board_problem ioi[] = {{.id = PA, .label = "A", .max_score = 100},
						   {.id = PB, .label = "B", .max_score = 100}};
	struct board_settings s = {.scoring = BOARD_IOI_MAX_SUBMISSION, .start_ms = START};
	struct board *b = board_new(&s, teams, 2, ioi, 2);
	/* Alpha A 62.5; Bravo B 100 and A 0: Bravo 1st with 100, Alpha 62.5. */
	struct board_sub subs[] = {
		{.id = 1, .team_id = ALPHA, .problem_id = PA, .submitted_ms = MIN(1), .result = BOARD_REJECTED, .score = 62.5},
		{.id = 2, .team_id = BRAVO, .problem_id = PB, .submitted_ms = MIN(2), .result = BOARD_ACCEPTED, .score = 100},
		{.id = 3, .team_id = BRAVO, .problem_id = PA, .submitted_ms = MIN(3), .result = BOARD_NO_PENALTY},
	};
	board_load(b, subs, 3, 1);
	struct awards *a = awards_new(b, CONTEST_VIEW_PUBLIC, 0, 1, 0, 0, NULL, 0);
	check_award(a, "gold-medal", (const int64_t[]){BRAVO, 0});
	struct buf out;
	buf_init(&out);
	awards_gradebook_csv(a, &out);
	ck_assert_str_eq(out.data, "label,name,A,B,total\r\n"
				   "a,Alpha,62.5,0,62.5\r\n"
				   "b,Bravo,0,100,100\r\n");
	buf_release(&out);
	awards_free(a);
	board_free(b);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("board");
	TCase *tc = tcase_create("icpc");
	tcase_add_test(tc, icpc_penalties_ties_and_shared_ranks);
	tcase_add_test(tc, je_and_queued_are_pending_and_hold_back_first_to_solve);
	tcase_add_test(tc, a_rejudge_moves_first_to_solve_and_ranks);
	tcase_add_test(tc, seqs_mark_only_the_rows_that_changed);
	suite_add_tcase(suite, tc);
	tc = tcase_create("freeze");
	tcase_add_test(tc, the_freeze_hides_results_from_the_public_and_other_teams);
	tcase_add_test(tc, a_thawed_copy_is_the_live_board_without_hidden_teams);
	suite_add_tcase(suite, tc);
	tc = tcase_create("ioi");
	tcase_add_test(tc, ioi_best_submission_per_problem);
	tcase_add_test(tc, ioi_best_subtasks_across_submissions);
	suite_add_tcase(suite, tc);
	tc = tcase_create("awards");
	tcase_add_test(tc, awards_and_medals_with_shared_ranks);
	tcase_add_test(tc, ioi_gradebook_has_scores);
	suite_add_tcase(suite, tc);
	return test_run_suite(suite);
}
