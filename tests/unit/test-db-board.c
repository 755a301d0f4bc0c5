/* Unit tests for the scoreboard input (db_board.c): a contest's counted
 * submissions in one pass and in the order they were made, one row, the test
 * groups of judged submissions (a group scores only when every test of it
 * passed), and the seq a rebuilt board stands at. Contest rows are written
 * with SQL, since the contest store is another part's. */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "db.h"
#include "db_int.h"

static char dir[256];
static char data[300];
static struct db *db;

static void setup(void)
{
	test_tmpdir(dir, sizeof dir);
	snprintf(data, sizeof data, "%s/data", dir);
	char *err = NULL;
	ck_assert_msg(db_open(data, true, &db, &err) == 0, "db_open: %s", err ? err : "");
}

static void teardown(void)
{
	db_close(db);
	db = NULL;
	test_rmtree(dir);
}

/* SQL through the writer, with a change logged when kind is set. */
static void exec_sql(const char *sql, enum db_kind kind, int64_t id, enum db_kind scope_kind, int64_t scope_id)
{
	struct db_conn *c = db_write_begin(db);
	char *msg = NULL;
	ck_assert_msg(sqlite3_exec(db_handle(c), sql, NULL, NULL, &msg) == SQLITE_OK, "%s: %s", sql, msg ? msg : "");
	if (kind)
		ck_assert_int_gt(db_change(c, kind, id, scope_kind, scope_id), 0);
	ck_assert_int_eq(db_write_end(db, c, 0), 0);
}

static int64_t add_problem(const char *slug)
{
	/* Groups: sample (1 test, 0 points), g1 (2 tests, 30), g2 (1 test, 70). */
	static const struct db_test tests[] = {
		{"1", "sample", 0, true, "1\n", 2, "1\n", 2},
		{"2", "g1", 30, false, "2\n", 2, "2\n", 2},
		{"3", "g1", 0, false, "3\n", 2, "3\n", 2},
		{"4", "g2", 70, false, "4\n", 2, "4\n", 2},
	};
	struct db_problem p = {.slug = slug, .title = slug, .statement = "x", .time_limit_ms = 1000,
			       .memory_limit_kb = 65536, .output_limit_kb = 1024, .checker_json = "{\"type\":\"tokens\"}",
			       .tests = tests, .test_count = 4, .replace_tests = true};
	int64_t id;
	ck_assert_int_eq(db_problem_create(db, &p, &id), 0);
	return id;
}

/* A submission made in contest 1 by team `team` at `ms`, logged in the contest's scope. */
static int64_t add_submission(int64_t problem, int64_t user, int64_t team, int64_t ms, bool practice)
{
	int64_t id;
	ck_assert_int_eq(db_submission_create(db, problem, user, "c", "x", NULL, &id, NULL), 0);
	char team_sql[24] = "NULL", sql[256];
	if (team)
		snprintf(team_sql, sizeof team_sql, "%lld", (long long)team);
	snprintf(sql, sizeof sql,
		 "UPDATE submissions SET contest_id = 1, team_id = %s, submitted_ms = %lld, practice = %d"
		 " WHERE id = %lld",
		 team_sql, (long long)ms, practice, (long long)id);
	exec_sql(sql, DB_KIND_SUBMISSION, id, DB_KIND_CONTEST, 1);
	return id;
}

/* Judges a submission with the given verdict per test (NULL: no result). */
static void judge(int64_t id, const char *const verdicts[4], const char *verdict, double score)
{
	int64_t token;
	int attempt;
	ck_assert_int_eq(db_judge_begin(db, id, &token, &attempt), 0);
	ck_assert_int_eq(db_judge_compiled(db, id, token, ""), 0);
	static const char *const groups[] = {"sample", "g1", "g1", "g2"};
	int passed = 0;
	for (int i = 0; i < 4; i++)
		if (verdicts[i]) {
			bool ok = strcmp(verdicts[i], "AC") == 0;
			passed += ok;
			ck_assert_int_eq(db_judge_test(db, id, token, i + 1, groups[i], verdicts[i], 1, 100, ok), 0);
		}
	ck_assert_int_eq(db_judge_finish(db, id, token, verdict, score, 1, 100, passed, NULL, NULL), 0);
}

static void setup_contest(int64_t *user, int64_t *team_a, int64_t *team_b)
{
	ck_assert_int_eq(db_user_create(db, "alice", "h", false, user), 0);
	exec_sql("INSERT INTO contests (id, shortname, name, duration_ms, created_at, updated_at)"
		 " VALUES (1, 'c1', 'C1', 3600000, 'x', 'x'), (2, 'c2', 'C2', 3600000, 'x', 'x')",
		 DB_KIND_CONTEST, 1, DB_KIND_CONTEST, 1);
	exec_sql("INSERT INTO teams (id, contest_id, key, label, name) VALUES (10, 1, 'a', 'a', 'A'),"
		 " (11, 1, 'b', 'b', 'B')",
		 DB_KIND_TEAM, 10, DB_KIND_CONTEST, 1);
	*team_a = 10;
	*team_b = 11;
}

struct rows {
	int count;
	struct db_board_submission s[16];
};

static void collect(void *ctx, const struct db_board_submission *s)
{
	struct rows *r = ctx;
	ck_assert_int_lt(r->count, 16);
	r->s[r->count++] = *s;
}

START_TEST(submissions_in_order_without_practice_or_teamless)
{
	int64_t user, a, b;
	setup_contest(&user, &a, &b);
	int64_t p = add_problem("p");
	int64_t late = add_submission(p, user, a, 5000, false);
	int64_t early = add_submission(p, user, b, 1000, false);
	add_submission(p, user, a, 9000, true); /* practice */
	add_submission(p, user, 0, 2000, false); /* no team (the jury's) */
	int64_t plain;
	ck_assert_int_eq(db_submission_create(db, p, user, "c", "x", NULL, &plain, NULL), 0);
	static const char *const wa[4] = {"AC", "WA", NULL, NULL};
	judge(late, wa, "WA", -1);
	struct rows r = {0};
	ck_assert_int_eq(db_board_submissions(db, 1, collect, &r), 2);
	ck_assert_int_eq(r.count, 2);
	ck_assert_int_eq(r.s[0].id, early);
	ck_assert_int_eq(r.s[0].team_id, b);
	ck_assert_int_eq(r.s[0].submitted_ms, 1000);
	ck_assert_str_eq(r.s[0].status, "queued");
	ck_assert_str_eq(r.s[0].verdict, "");
	ck_assert(!r.s[0].has_score);
	ck_assert_int_eq(r.s[1].id, late);
	ck_assert_str_eq(r.s[1].status, "done");
	ck_assert_str_eq(r.s[1].verdict, "WA");
	ck_assert_int_eq(r.s[1].problem_id, p);
	ck_assert_int_eq(r.s[1].contest_id, 1);
	ck_assert_int_eq(r.s[1].seq, db_seq(db)); /* judged last */
	r.count = 0;
	ck_assert_int_eq(db_board_submissions(db, 2, collect, &r), 0);

	/* One row, whatever it is. */
	struct db_board_submission one;
	ck_assert_int_eq(db_board_submission(db, plain, &one), 0);
	ck_assert_int_eq(one.contest_id, 0);
	ck_assert_int_eq(db_board_submission(db, late, &one), 0);
	ck_assert_int_eq(one.team_id, a);
	ck_assert_str_eq(one.verdict, "WA");
	ck_assert_int_eq(db_board_submission(db, 999, &one), DB_E_NOT_FOUND);
}
END_TEST

struct groups {
	int count;
	int64_t sub[16];
	char name[16][16];
	double points[16], score[16];
};

static void collect_group(void *ctx, const struct db_board_group *g)
{
	struct groups *r = ctx;
	ck_assert_int_lt(r->count, 16);
	r->sub[r->count] = g->submission_id;
	snprintf(r->name[r->count], sizeof r->name[0], "%s", g->group);
	r->points[r->count] = g->points;
	r->score[r->count++] = g->score;
}

START_TEST(groups_score_when_every_test_passed)
{
	int64_t user, a, b;
	setup_contest(&user, &a, &b);
	int64_t p = add_problem("p");
	int64_t s1 = add_submission(p, user, a, 1000, false);
	int64_t s2 = add_submission(p, user, b, 2000, false);
	int64_t s3 = add_submission(p, user, a, 3000, false); /* left queued */
	static const char *const g1_fails[4] = {"AC", "AC", "WA", "AC"};
	static const char *const g2_missing[4] = {"AC", "AC", "AC", NULL};
	judge(s1, g1_fails, "WA", 70);
	judge(s2, g2_missing, "AC", 30);
	struct groups g = {0};
	ck_assert_int_eq(db_board_groups(db, 1, collect_group, &g), 6);
	/* s1: sample 0/0, g1 0/30 (a test failed), g2 70/70. */
	ck_assert_int_eq(g.sub[0], s1);
	ck_assert_str_eq(g.name[0], "sample");
	ck_assert_str_eq(g.name[1], "g1");
	ck_assert_double_eq(g.points[1], 30);
	ck_assert_double_eq(g.score[1], 0);
	ck_assert_str_eq(g.name[2], "g2");
	ck_assert_double_eq(g.score[2], 70);
	/* s2: g1 passed, g2 has no result for its test: not passed. */
	ck_assert_int_eq(g.sub[3], s2);
	ck_assert_double_eq(g.score[4], 30);
	ck_assert_str_eq(g.name[5], "g2");
	ck_assert_double_eq(g.score[5], 0);
	memset(&g, 0, sizeof g);
	ck_assert_int_eq(db_board_submission_groups(db, s2, collect_group, &g), 3);
	ck_assert_double_eq(g.score[1], 30);
	ck_assert_int_eq(db_board_submission_groups(db, s3, collect_group, &g), 0); /* not judged */
}
END_TEST

START_TEST(board_seq_is_the_newest_change_of_the_contest)
{
	int64_t user, a, b;
	setup_contest(&user, &a, &b);
	int64_t p = add_problem("p");
	add_submission(p, user, a, 1000, false);
	int64_t after_sub = db_seq(db);
	ck_assert_int_eq(db_board_seq(db, 1), after_sub);
	add_problem("q"); /* elsewhere */
	ck_assert_int_eq(db_board_seq(db, 1), after_sub);
	exec_sql("UPDATE contests SET name = 'C1!' WHERE id = 1", DB_KIND_CONTEST, 1, DB_KIND_CONTEST, 1);
	ck_assert_int_eq(db_board_seq(db, 1), db_seq(db));
	ck_assert_int_eq(db_board_seq(db, 2), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("db-board");
	TCase *tc = tcase_create("board");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, submissions_in_order_without_practice_or_teamless);
	tcase_add_test(tc, groups_score_when_every_test_passed);
	tcase_add_test(tc, board_seq_is_the_newest_change_of_the_contest);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
