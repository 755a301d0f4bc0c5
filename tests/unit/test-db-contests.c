/* Unit tests for the store's contests (store/db_contests.c) and contest
 * submissions (store/db_submissions.c): round trips, conflicts, problems in
 * order, the action times, what blocks a finalize, the contest's scope in
 * the change log, and a contest delete leaving plain submissions. Each test
 * gets a fresh temporary data dir; teams and clarifications are written with
 * plain SQL (their store is another file's). */
#include <check.h>
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "db.h"

static char dir[256];
static char data[300];
static struct db *db;
static int64_t alice, bob, sum, mul, div_;

static const struct db_test tests[] = {{"t1", "secret", 0, false, "1 2\n", 4, "3\n", 2}};

static int64_t add_problem(const char *slug, const char *title)
{
	struct db_problem p = {.slug = slug, .title = title, .statement = "", .time_limit_ms = 1000,
			       .memory_limit_kb = 65536, .output_limit_kb = 1024, .checker_json = "{\"type\":\"tokens\"}",
			       .tests = tests, .test_count = 1, .replace_tests = true};
	int64_t id = 0;
	ck_assert_int_eq(db_problem_create(db, &p, &id), 0);
	return id;
}

static void setup(void)
{
	test_tmpdir(dir, sizeof dir);
	snprintf(data, sizeof data, "%s/data", dir);
	char *err = NULL;
	ck_assert_int_eq(db_open(data, false, &db, &err), 0);
	ck_assert_int_eq(db_user_create(db, "alice", "h", false, &alice), 0);
	ck_assert_int_eq(db_user_create(db, "bob", "h", false, &bob), 0);
	sum = add_problem("sum", "Sum");
	mul = add_problem("mul", "Multiply");
	div_ = add_problem("div", "Divide");
}

static void teardown(void)
{
	db_close(db);
	db = NULL;
	test_rmtree(dir);
}

/* Runs sql on a second connection (what another store file would write). */
static void raw_exec(const char *sql)
{
	char path[400];
	snprintf(path, sizeof path, "%s/verdict.db", data);
	sqlite3 *h = NULL;
	ck_assert_int_eq(sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	sqlite3_busy_timeout(h, 5000);
	char *msg = NULL;
	int rc = sqlite3_exec(h, sql, NULL, NULL, &msg);
	ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, msg ? msg : "");
	sqlite3_close(h);
}

/* A team of a contest, written behind the store's back; returns its id. */
static int64_t add_team(int64_t contest_id, int64_t team_id)
{
	char sql[256];
	snprintf(sql, sizeof sql,
		 "INSERT INTO teams (id, contest_id, key, label, name) VALUES (%lld, %lld, 't%lld', 't%lld', 'T%lld')",
		 (long long)team_id, (long long)contest_id, (long long)team_id, (long long)team_id,
		 (long long)team_id);
	raw_exec(sql);
	return team_id;
}

/* A contest of problems sum (A) and mul (B), 2 hours, unscheduled. */
static struct db_contest_problem two_problems[] = {
	{.problem_id = 0, .label = "A", .color = "#ff0000", .has_max_score = true, .max_score = 100},
	{.problem_id = 0, .label = "B", .color = ""},
};

static struct db_contest contest(const char *shortname)
{
	two_problems[0].problem_id = sum;
	two_problems[1].problem_id = mul;
	return (struct db_contest){.shortname = shortname, .name = "Lab 1", .formal_name = "Lab test 1",
				   .duration_ms = 7200000, .freeze_ms = 3600000, .scoring = "icpc",
				   .ioi_mode = "max_submission", .penalty_min = 20, .gold = 1, .silver = 2,
				   .bronze = 3, .problems = two_problems, .problem_count = 2};
}

static int64_t add_contest(const char *shortname)
{
	struct db_contest k = contest(shortname);
	int64_t id = 0;
	ck_assert_int_eq(db_contest_create(db, &k, &id), 0);
	ck_assert_int_gt(id, 0);
	return id;
}

static int64_t submit_in(int64_t contest_id, int64_t team_id, int64_t problem_id, int64_t user_id, int64_t at_ms,
			 bool practice)
{
	struct db_submit_context ctx = {contest_id, team_id, at_ms, practice};
	int64_t id = 0;
	ck_assert_int_eq(db_submission_create_in(db, problem_id, user_id, "c", "x", &ctx, NULL, &id, NULL), 0);
	return id;
}

static int64_t submit(int64_t problem_id, int64_t user_id)
{
	int64_t id = 0;
	ck_assert_int_eq(db_submission_create(db, problem_id, user_id, "c", "x", NULL, &id, NULL), 0);
	return id;
}

/* Judges a submission to the end with a verdict. */
static void judge(int64_t id, const char *verdict)
{
	int64_t token = 0;
	ck_assert_int_eq(db_judge_begin(db, id, &token, NULL), 0);
	ck_assert_int_eq(db_judge_finish(db, id, token, verdict, -1, 1, 1, 0, NULL, ""), 0);
}

/* The latest change of (kind, id) in the log, or seq 0. */
static struct db_change change_of(enum db_kind kind, int64_t id)
{
	struct db_change out[256];
	size_t n = db_changes_since(db, kind, DB_KIND_NONE, 0, 0, out, 256);
	for (size_t i = 0; i < n; i++)
		if (out[i].id == id)
			return out[i];
	return (struct db_change){0};
}

/* Deleting a problem logs a change of each contest it was in (its board is
   rebuilt, clients learn), in the same transaction; others keep their seq. */
START_TEST(problem_delete_changes_its_contests)
{
	int64_t first = add_contest("del-1");
	int64_t second = add_contest("del-2");
	struct db_contest k = contest("del-3");
	k.problems = &two_problems[1]; /* mul only */
	k.problem_count = 1;
	int64_t unrelated = 0;
	ck_assert_int_eq(db_contest_create(db, &k, &unrelated), 0);
	struct db_contest a, b, u;
	ck_assert_int_eq(db_contest_get(db, first, &a), 0);
	ck_assert_int_eq(db_contest_get(db, second, &b), 0);
	ck_assert_int_eq(db_contest_get(db, unrelated, &u), 0);
	int64_t before = db_seq(db), useq = u.seq;
	db_contest_release(&a);
	db_contest_release(&b);
	db_contest_release(&u);
	ck_assert_int_eq(db_problem_delete(db, sum), 0);
	ck_assert_int_eq(db_contest_get(db, first, &a), 0);
	ck_assert_int_eq(db_contest_get(db, second, &b), 0);
	ck_assert_int_eq(db_contest_get(db, unrelated, &u), 0);
	ck_assert_int_gt(a.seq, before);
	ck_assert_int_gt(b.seq, before);
	ck_assert_int_ne(a.seq, b.seq);
	ck_assert_int_eq(u.seq, useq);
	ck_assert_int_eq(change_of(DB_KIND_CONTEST, first).seq, a.seq);
	ck_assert_int_eq(change_of(DB_KIND_CONTEST, second).seq, b.seq);
	/* the problem left them; the problem's tombstone comes last */
	ck_assert_uint_eq(a.problem_count, 1);
	ck_assert_str_eq(a.problems[0].label, "B");
	ck_assert_int_gt(db_seq(db), b.seq);
	db_contest_release(&a);
	db_contest_release(&b);
	db_contest_release(&u);
	/* a missing problem changes nothing */
	before = db_seq(db);
	ck_assert_int_eq(db_problem_delete(db, sum), DB_E_NOT_FOUND);
	ck_assert_int_eq(db_seq(db), before);
}
END_TEST

START_TEST(create_get_update_round_trip)
{
	int64_t id = add_contest("lab1");
	struct db_contest k;
	ck_assert_int_eq(db_contest_get(db, id, &k), 0);
	ck_assert_int_eq(k.id, id);
	ck_assert_str_eq(k.shortname, "lab1");
	ck_assert_str_eq(k.name, "Lab 1");
	ck_assert_str_eq(k.formal_name, "Lab test 1");
	ck_assert_int_eq(k.start_ms, 0);
	ck_assert_int_eq(k.countdown_pause_ms, 0);
	ck_assert_int_eq(k.duration_ms, 7200000);
	ck_assert_int_eq(k.freeze_ms, 3600000);
	ck_assert_str_eq(k.scoring, "icpc");
	ck_assert_str_eq(k.ioi_mode, "max_submission");
	ck_assert_int_eq(k.penalty_min, 20);
	ck_assert(!k.public_ && !k.practice_after_end && !k.classroom);
	ck_assert_int_eq(k.frozen_at_ms + k.thaw_at_ms + k.finalized_at_ms, 0);
	ck_assert_int_eq(k.gold, 1);
	ck_assert_int_eq(k.silver, 2);
	ck_assert_int_eq(k.bronze, 3);
	ck_assert_msg(strlen(k.created_at) == 20 && k.created_at[19] == 'Z', "created_at %s", k.created_at);
	ck_assert_str_eq(k.updated_at, k.created_at);
	ck_assert_int_eq(k.seq, db_seq(db));
	ck_assert_int_eq(k.seq, change_of(DB_KIND_CONTEST, id).seq);
	ck_assert_uint_eq(k.problem_count, 2);
	int64_t first_seq = k.seq;
	db_contest_release(&k);
	ck_assert_ptr_null(k.mem);

	/* Every writable field changes. */
	struct db_contest_problem one[] = {{.problem_id = div_, .label = "X", .color = "#00ff00"}};
	struct db_contest u = {.shortname = "lab1b", .name = "Lab 1b", .formal_name = "",
			       .start_ms = 1800000000000, .duration_ms = 60000, .freeze_ms = 0, .scoring = "ioi",
			       .ioi_mode = "max_subtasks", .penalty_min = 0, .public_ = true,
			       .practice_after_end = true, .classroom = true, .frozen_at_ms = 1800000001000,
			       .thaw_at_ms = 1800000002000, .finalized_at_ms = 1800000003000, .gold = 4, .silver = 5,
			       .bronze = 6, .problems = one, .problem_count = 1};
	ck_assert_int_eq(db_contest_update(db, id, &u), 0);
	ck_assert_int_eq(db_contest_get(db, id, &k), 0);
	ck_assert_str_eq(k.shortname, "lab1b");
	ck_assert_str_eq(k.name, "Lab 1b");
	ck_assert_str_eq(k.formal_name, "");
	ck_assert_int_eq(k.start_ms, 1800000000000);
	ck_assert_int_eq(k.duration_ms, 60000);
	ck_assert_int_eq(k.freeze_ms, 0);
	ck_assert_str_eq(k.scoring, "ioi");
	ck_assert_str_eq(k.ioi_mode, "max_subtasks");
	ck_assert_int_eq(k.penalty_min, 0);
	ck_assert(k.public_ && k.practice_after_end && k.classroom);
	ck_assert_int_eq(k.frozen_at_ms, 1800000001000);
	ck_assert_int_eq(k.thaw_at_ms, 1800000002000);
	ck_assert_int_eq(k.finalized_at_ms, 1800000003000);
	ck_assert_int_eq(k.gold * 100 + k.silver * 10 + k.bronze, 456);
	ck_assert_uint_eq(k.problem_count, 1);
	ck_assert_int_eq(k.problems[0].problem_id, div_);
	ck_assert_str_eq(k.problems[0].label, "X");
	ck_assert_str_eq(k.problems[0].slug, "div");
	ck_assert(!k.problems[0].has_max_score);
	ck_assert_int_gt(k.seq, first_seq);
	ck_assert_int_eq(k.seq, db_seq(db));
	db_contest_release(&k);

	int64_t found = 0;
	ck_assert_int_eq(db_contest_by_shortname(db, "lab1b", &found), 0);
	ck_assert_int_eq(found, id);
	ck_assert_int_eq(db_contest_by_shortname(db, "lab1", &found), DB_E_NOT_FOUND);
	ck_assert_int_eq(db_contest_get(db, id + 1, &k), DB_E_NOT_FOUND);
	ck_assert_int_eq(db_contest_update(db, id + 1, &u), DB_E_NOT_FOUND);
	db_contest_release(NULL);
}
END_TEST

START_TEST(conflicts_and_unknown_problems_change_nothing)
{
	int64_t id = add_contest("lab1");
	int64_t seq = db_seq(db);
	struct db_contest k = contest("lab1");
	int64_t other = 0;
	ck_assert_int_eq(db_contest_create(db, &k, &other), DB_E_CONFLICT);
	ck_assert_int_eq(other, 0);

	/* A problem that does not exist. */
	struct db_contest_problem ghost[] = {{.problem_id = sum, .label = "A"}, {.problem_id = 999, .label = "B"}};
	k = contest("lab2");
	k.problems = ghost;
	k.problem_count = 2;
	ck_assert_int_eq(db_contest_create(db, &k, &other), DB_E_NOT_FOUND);
	ck_assert_int_eq(db_contest_by_shortname(db, "lab2", &other), DB_E_NOT_FOUND);
	ck_assert_int_eq(db_contest_update(db, id, &k), DB_E_NOT_FOUND);

	/* A label twice, a problem twice. */
	struct db_contest_problem twice[] = {{.problem_id = sum, .label = "A"}, {.problem_id = mul, .label = "A"}};
	k.problems = twice;
	ck_assert_int_eq(db_contest_create(db, &k, &other), DB_E_CONFLICT);
	twice[1] = (struct db_contest_problem){.problem_id = sum, .label = "B"};
	ck_assert_int_eq(db_contest_update(db, id, &k), DB_E_CONFLICT);

	/* Another contest's shortname. */
	int64_t id2 = add_contest("lab3");
	seq = db_seq(db);
	k = contest("lab1");
	ck_assert_int_eq(db_contest_update(db, id2, &k), DB_E_CONFLICT);
	ck_assert_int_eq(db_seq(db), seq);

	/* The failed update of lab1 left it whole. */
	struct db_contest got;
	ck_assert_int_eq(db_contest_get(db, id, &got), 0);
	ck_assert_uint_eq(got.problem_count, 2);
	ck_assert_str_eq(got.problems[1].label, "B");
	ck_assert_int_eq(got.problems[1].problem_id, mul);
	db_contest_release(&got);
}
END_TEST

START_TEST(problems_in_order_with_labels)
{
	struct db_contest_problem three[] = {
		{.problem_id = div_, .label = "A", .color = "#111111"},
		{.problem_id = sum, .label = "B", .color = "#222222", .has_max_score = true, .max_score = 50},
		{.problem_id = mul, .label = "C"},
	};
	struct db_contest k = contest("lab1");
	k.problems = three;
	k.problem_count = 3;
	int64_t id = 0;
	ck_assert_int_eq(db_contest_create(db, &k, &id), 0);
	struct db_contest got;
	ck_assert_int_eq(db_contest_get(db, id, &got), 0);
	ck_assert_uint_eq(got.problem_count, 3);
	const char *slugs[] = {"div", "sum", "mul"}, *titles[] = {"Divide", "Sum", "Multiply"};
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(got.problems[i].ordinal, i + 1);
		ck_assert_int_eq(got.problems[i].problem_id, three[i].problem_id);
		ck_assert_str_eq(got.problems[i].label, three[i].label);
		ck_assert_str_eq(got.problems[i].color, three[i].color ? three[i].color : "");
		ck_assert_str_eq(got.problems[i].slug, slugs[i]);
		ck_assert_str_eq(got.problems[i].title, titles[i]);
	}
	ck_assert(got.problems[1].has_max_score && got.problems[1].max_score == 50);
	ck_assert(!got.problems[0].has_max_score && !got.problems[2].has_max_score);
	db_contest_release(&got);

	/* The order is the array's, again after an update that reverses it. */
	struct db_contest_problem back[] = {three[2], three[1], three[0]};
	k.problems = back;
	ck_assert_int_eq(db_contest_update(db, id, &k), 0);
	ck_assert_int_eq(db_contest_get(db, id, &got), 0);
	ck_assert_str_eq(got.problems[0].slug, "mul");
	ck_assert_str_eq(got.problems[2].slug, "div");
	ck_assert_str_eq(got.problems[0].label, "C");
	db_contest_release(&got);

	/* A problem in two contests; which contests a problem is in. */
	int64_t id2 = add_contest("lab2"); /* sum and mul */
	int64_t ids[4] = {0};
	ck_assert_uint_eq(db_problem_contests(db, sum, ids, 4), 2);
	ck_assert_int_eq(ids[0], id);
	ck_assert_int_eq(ids[1], id2);
	ck_assert_uint_eq(db_problem_contests(db, sum, ids, 1), 1);
	ck_assert_uint_eq(db_problem_contests(db, div_, ids, 4), 1);
	ck_assert_int_eq(ids[0], id);
	int64_t lone = add_problem("lone", "Lone");
	ck_assert_uint_eq(db_problem_contests(db, lone, ids, 4), 0);
}
END_TEST

struct seen {
	int count;
	int64_t ids[8];
	char shortnames[8][40];
	size_t problems[8];
};

static void collect_contest(void *ctx, const struct db_contest *k)
{
	struct seen *s = ctx;
	ck_assert_int_lt(s->count, 8);
	s->ids[s->count] = k->id;
	snprintf(s->shortnames[s->count], sizeof s->shortnames[0], "%s", k->shortname);
	s->problems[s->count++] = k->problem_count;
}

START_TEST(list_and_delete)
{
	struct seen s = {0};
	db_contests_list(db, collect_contest, &s);
	ck_assert_int_eq(s.count, 0);
	int64_t a = add_contest("a"), b = add_contest("b"), c = add_contest("c");
	ck_assert_int_eq(db_contest_delete(db, b), 0);
	ck_assert_int_eq(db_contest_delete(db, b), DB_E_NOT_FOUND);
	db_contests_list(db, collect_contest, &s);
	ck_assert_int_eq(s.count, 2);
	ck_assert_int_eq(s.ids[0], a);
	ck_assert_int_eq(s.ids[1], c);
	ck_assert_str_eq(s.shortnames[1], "c");
	ck_assert_uint_eq(s.problems[0], 2);

	/* The delete is a tombstone at its seq, in the contest's scope; the id never comes back. */
	struct db_change ch = change_of(DB_KIND_CONTEST, b);
	ck_assert(ch.deleted);
	ck_assert_int_eq(ch.scope_kind, DB_KIND_CONTEST);
	ck_assert_int_eq(ch.scope_id, b);
	ck_assert_int_eq(db_contest_delete(db, c), 0);
	int64_t d = add_contest("b");
	ck_assert_int_gt(d, c);
	ck_assert(!change_of(DB_KIND_CONTEST, d).deleted);
	/* Its problems went with it. */
	int64_t ids[4];
	ck_assert_uint_eq(db_problem_contests(db, sum, ids, 4), 2);
	ck_assert_int_eq(ids[0], a);
	ck_assert_int_eq(ids[1], d);
}
END_TEST

START_TEST(set_time_changes_one_field)
{
	int64_t id = add_contest("lab1");
	struct db_contest k;
	int64_t seq = db_seq(db);
	ck_assert_int_eq(db_contest_set_time(db, id, DB_CONTEST_COUNTDOWN_PAUSE, 5000), 0);
	ck_assert_int_eq(db_contest_get(db, id, &k), 0);
	ck_assert_int_eq(k.countdown_pause_ms, 5000);
	ck_assert_int_eq(k.start_ms, 0);
	ck_assert_int_eq(k.seq, seq + 1);
	db_contest_release(&k);

	/* A start clears the pause; a pause clears the start. */
	ck_assert_int_eq(db_contest_set_time(db, id, DB_CONTEST_START, 1800000000000), 0);
	ck_assert_int_eq(db_contest_get(db, id, &k), 0);
	ck_assert_int_eq(k.start_ms, 1800000000000);
	ck_assert_int_eq(k.countdown_pause_ms, 0);
	db_contest_release(&k);
	ck_assert_int_eq(db_contest_set_time(db, id, DB_CONTEST_COUNTDOWN_PAUSE, 7000), 0);
	ck_assert_int_eq(db_contest_get(db, id, &k), 0);
	ck_assert_int_eq(k.start_ms, 0);
	ck_assert_int_eq(k.countdown_pause_ms, 7000);
	db_contest_release(&k);
	/* Unsetting the start keeps a pause. */
	ck_assert_int_eq(db_contest_set_time(db, id, DB_CONTEST_START, 0), 0);
	ck_assert_int_eq(db_contest_get(db, id, &k), 0);
	ck_assert_int_eq(k.countdown_pause_ms, 7000);
	db_contest_release(&k);
	ck_assert_int_eq(db_contest_set_time(db, id, DB_CONTEST_START, 1800000000000), 0);

	static const enum db_contest_time fields[] = {DB_CONTEST_DURATION, DB_CONTEST_FROZEN_AT, DB_CONTEST_THAW_AT,
						      DB_CONTEST_FINALIZED_AT};
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(db_contest_set_time(db, id, fields[i], 1000 * (i + 1)), 0);
	ck_assert_int_eq(db_contest_get(db, id, &k), 0);
	ck_assert_int_eq(k.start_ms, 1800000000000);
	ck_assert_int_eq(k.duration_ms, 1000);
	ck_assert_int_eq(k.frozen_at_ms, 2000);
	ck_assert_int_eq(k.thaw_at_ms, 3000);
	ck_assert_int_eq(k.finalized_at_ms, 4000);
	ck_assert_int_eq(k.freeze_ms, 3600000);
	ck_assert_str_eq(k.name, "Lab 1");
	ck_assert_int_eq(k.seq, db_seq(db));
	db_contest_release(&k);

	/* 0 unsets a time; a duration of 0 is refused. */
	ck_assert_int_eq(db_contest_set_time(db, id, DB_CONTEST_THAW_AT, 0), 0);
	ck_assert_int_eq(db_contest_get(db, id, &k), 0);
	ck_assert_int_eq(k.thaw_at_ms, 0);
	ck_assert_int_eq(k.frozen_at_ms, 2000);
	db_contest_release(&k);
	seq = db_seq(db);
	ck_assert_int_eq(db_contest_set_time(db, id, DB_CONTEST_DURATION, 0), -EINVAL);
	ck_assert_int_eq(db_contest_set_time(db, id + 1, DB_CONTEST_START, 1), DB_E_NOT_FOUND);
	ck_assert_int_eq(db_seq(db), seq);
}
END_TEST

START_TEST(blockers)
{
	int64_t id = add_contest("lab1"), other = add_contest("lab2");
	int64_t t1 = add_team(id, 1), t2 = add_team(id, 2);
	add_team(other, 3);
	struct db_contest_blockers b;
	ck_assert_int_eq(db_contest_blockers(db, id, &b), 0);
	ck_assert_int_eq(b.pending + b.judge_errors + b.unanswered, 0);
	ck_assert_int_eq(db_contest_blockers(db, other + 1, &b), DB_E_NOT_FOUND);

	int64_t s1 = submit_in(id, t1, sum, alice, 1000, false);
	int64_t s2 = submit_in(id, t2, sum, bob, 2000, false);
	submit_in(id, t2, mul, bob, 3000, true);      /* practice: never blocks */
	submit_in(other, 3, sum, bob, 3000, false);   /* another contest's */
	submit(sum, alice);                           /* a plain one */
	ck_assert_int_eq(db_contest_blockers(db, id, &b), 0);
	ck_assert_int_eq(b.pending, 2);
	ck_assert_int_eq(b.judge_errors, 0);
	judge(s1, "JE");
	int64_t token = 0;
	ck_assert_int_eq(db_judge_begin(db, s2, &token, NULL), 0); /* compiling: still pending */
	ck_assert_int_eq(db_contest_blockers(db, id, &b), 0);
	ck_assert_int_eq(b.pending, 1);
	ck_assert_int_eq(b.judge_errors, 1);
	ck_assert_int_eq(db_judge_finish(db, s2, token, "WA", -1, 1, 1, 0, NULL, ""), 0);
	ck_assert_int_eq(db_contest_blockers(db, id, &b), 0);
	ck_assert_int_eq(b.pending, 0);
	ck_assert_int_eq(b.judge_errors, 1);
	ck_assert_int_eq(db_submission_requeue(db, s1), 0);
	judge(s1, "AC");
	ck_assert_int_eq(db_contest_blockers(db, id, &b), 0);
	ck_assert_int_eq(b.judge_errors, 0);

	/* Requests: 10 answered to the team, 11 answered to all, 12 and 13 open;
	   an announcement (14) and another contest's request (15) never count. */
	raw_exec("INSERT INTO clarifications (id, contest_id, from_team_id, text, time_ms) VALUES"
		 " (10, 1, 1, 'q', 1), (11, 1, 2, 'q', 1), (12, 1, 1, 'q', 1), (13, 1, 2, 'q', 1),"
		 " (15, 2, 3, 'q', 1);"
		 "INSERT INTO clarifications (contest_id, to_team_id, reply_to, text, time_ms) VALUES (1, 1, 10, 'a', 2);"
		 "INSERT INTO clarifications (contest_id, to_all, reply_to, text, time_ms) VALUES (1, 1, 11, 'a', 2);"
		 "INSERT INTO clarifications (id, contest_id, to_all, text, time_ms) VALUES (14, 1, 1, 'news', 3);");
	ck_assert_int_eq(id, 1);
	ck_assert_int_eq(db_contest_blockers(db, id, &b), 0);
	ck_assert_int_eq(b.unanswered, 2);
	raw_exec("INSERT INTO clarifications (contest_id, to_team_id, reply_to, text, time_ms) VALUES (1, 2, 13, 'a', 4)");
	ck_assert_int_eq(db_contest_blockers(db, id, &b), 0);
	ck_assert_int_eq(b.unanswered, 1);
	ck_assert_int_eq(b.pending + b.judge_errors, 0);
}
END_TEST

/* Ids of submissions seen by a callback, with their seq. */
struct rows {
	int count;
	int64_t ids[32], seqs[32];
	struct db_submission last;
	char label[16];
};

static void collect_row(void *ctx, const struct db_submission *s)
{
	struct rows *r = ctx;
	ck_assert_int_lt(r->count, 32);
	r->ids[r->count] = s->id;
	r->seqs[r->count++] = s->seq;
	r->last = *s;
	snprintf(r->label, sizeof r->label, "%s", s->problem_label ? s->problem_label : "(null)");
	r->last.problem_label = NULL; /* borrowed: dead after the call */
}

static struct rows changes_in(enum db_kind scope_kind, int64_t scope_id)
{
	struct db_change out[64];
	size_t n = db_changes_since(db, DB_KIND_SUBMISSION, scope_kind, scope_id, 0, out, 64);
	struct rows r = {0};
	for (size_t i = 0; i < n; i++) {
		r.ids[r.count] = out[i].id;
		r.seqs[r.count++] = out[i].seq;
	}
	return r;
}

START_TEST(submission_fields_and_scope)
{
	int64_t id = add_contest("lab1");
	int64_t t1 = add_team(id, 1);
	int64_t plain = submit(sum, alice);
	int64_t in = submit_in(id, t1, mul, alice, 1800000000123, false);
	int64_t late = submit_in(id, t1, sum, alice, 1800009999999, true);

	struct db_submission s;
	ck_assert_int_eq(db_submission_get(db, in, DB_SUBMISSION_DETAILS | DB_SUBMISSION_SOURCE, &s), 0);
	ck_assert_int_eq(s.contest_id, id);
	ck_assert_int_eq(s.team_id, t1);
	ck_assert_int_eq(s.submitted_ms, 1800000000123);
	ck_assert(!s.practice);
	ck_assert_str_eq(s.problem_label, "B");
	ck_assert_str_eq(s.source, "x");
	ck_assert_str_eq(s.user, "alice");
	db_submission_release(&s);
	ck_assert_int_eq(db_submission_get(db, late, 0, &s), 0);
	ck_assert(s.practice);
	ck_assert_str_eq(s.problem_label, "A");
	db_submission_release(&s);
	ck_assert_int_eq(db_submission_get(db, plain, 0, &s), 0);
	ck_assert_int_eq(s.contest_id + s.team_id + s.submitted_ms, 0);
	ck_assert(!s.practice);
	ck_assert_ptr_null(s.problem_label);
	db_submission_release(&s);

	/* The created copy carries them too. */
	struct db_submit_context ctx = {id, t1, 42, false};
	struct db_submission created;
	int64_t again = 0;
	ck_assert_int_eq(db_submission_create_in(db, sum, bob, "c", "y", &ctx, NULL, &again, &created), 0);
	ck_assert_int_eq(created.id, again);
	ck_assert_int_eq(created.contest_id, id);
	ck_assert_int_eq(created.submitted_ms, 42);
	ck_assert_str_eq(created.problem_label, "A");
	ck_assert_int_eq(created.seq, db_seq(db));
	db_submission_release(&created);
	/* A null context is a plain submission. */
	int64_t plain2 = 0;
	ck_assert_int_eq(db_submission_create_in(db, mul, bob, "c", "z", NULL, NULL, &plain2, NULL), 0);
	ck_assert_int_eq(db_submission_get(db, plain2, 0, &s), 0);
	ck_assert_int_eq(s.contest_id, 0);
	db_submission_release(&s);
	/* An unknown contest is refused. */
	ctx.contest_id = id + 5;
	ctx.team_id = 0;
	ck_assert_int_eq(db_submission_create_in(db, sum, bob, "c", "y", &ctx, NULL, &again, NULL), DB_E_NOT_FOUND);

	/* Contest submissions are logged in the contest's scope only, through judging and rejudging. */
	judge(in, "WA");
	ck_assert_int_eq(db_submission_requeue(db, late), 0);
	struct rows r = changes_in(DB_KIND_CONTEST, id);
	ck_assert_int_eq(r.count, 3);
	ck_assert_int_eq(r.ids[0], again);
	ck_assert_int_eq(r.ids[1], in);
	ck_assert_int_eq(r.ids[2], late);
	r = changes_in(DB_KIND_PROBLEM, mul);
	ck_assert_int_eq(r.count, 1);
	ck_assert_int_eq(r.ids[0], plain2);
	r = changes_in(DB_KIND_PROBLEM, sum);
	ck_assert_int_eq(r.count, 1);
	ck_assert_int_eq(r.ids[0], plain);
	ck_assert_int_eq(db_problem_requeue(db, sum, NULL), 0);
	r = changes_in(DB_KIND_PROBLEM, sum);
	ck_assert_int_eq(r.count, 1);
	ck_assert_int_eq(changes_in(DB_KIND_CONTEST, id).count, 3);
	ck_assert_int_eq(change_of(DB_KIND_SUBMISSION, again).scope_kind, DB_KIND_CONTEST);
}
END_TEST

START_TEST(problem_lists_leave_contest_submissions_out)
{
	int64_t id = add_contest("lab1");
	int64_t t1 = add_team(id, 1);
	int64_t p1 = submit(sum, alice);
	int64_t c1 = submit_in(id, t1, sum, alice, 1, false);
	int64_t p2 = submit(sum, bob);
	submit_in(id, t1, sum, alice, 2, false);

	struct rows r = {0};
	int64_t total = 0;
	ck_assert_int_eq(db_problem_submissions(db, sum, 1, 10, collect_row, &r, &total), 0);
	ck_assert_int_eq(total, 2);
	ck_assert_int_eq(r.count, 2);
	ck_assert_int_eq(r.ids[0], p2);
	ck_assert_int_eq(r.ids[1], p1);
	r = (struct rows){0};
	ck_assert_int_eq(db_problem_submissions(db, sum, 2, 1, collect_row, &r, &total), 0);
	ck_assert_int_eq(r.count, 1);
	ck_assert_int_eq(r.ids[0], p1);

	/* The problem's replay: plain ones only, also after a contest submission is judged. */
	judge(c1, "AC");
	r = (struct rows){0};
	ck_assert_int_eq(db_submissions_changed(db, sum, 0, 0, 10, collect_row, &r), 2);
	ck_assert_int_eq(r.ids[0], p1);
	ck_assert_int_eq(r.ids[1], p2);
	/* One submission's own replay still finds a contest submission. */
	r = (struct rows){0};
	ck_assert_int_eq(db_submissions_changed(db, 0, c1, 0, 10, collect_row, &r), 1);
	ck_assert_int_eq(r.last.contest_id, id);
	ck_assert_str_eq(r.label, "A");
}
END_TEST

START_TEST(contest_lists_by_team_and_problem)
{
	int64_t id = add_contest("lab1"), other = add_contest("lab2");
	int64_t t1 = add_team(id, 1), t2 = add_team(id, 2), t3 = add_team(other, 3);
	int64_t a = submit_in(id, t1, sum, alice, 1, false);
	int64_t b = submit_in(id, t2, sum, bob, 2, false);
	int64_t c = submit_in(id, t1, mul, alice, 3, false);
	int64_t d = submit_in(id, t2, mul, bob, 4, true);
	submit_in(other, t3, sum, bob, 5, false);
	submit(sum, alice);

	struct rows r = {0};
	int64_t total = 0;
	ck_assert_int_eq(db_contest_submissions(db, id, 0, 0, 1, 10, collect_row, &r, &total), 0);
	ck_assert_int_eq(total, 4);
	ck_assert_int_eq(r.count, 4);
	int64_t newest_first[] = {d, c, b, a};
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(r.ids[i], newest_first[i]);
	r = (struct rows){0};
	ck_assert_int_eq(db_contest_submissions(db, id, t1, 0, 1, 10, collect_row, &r, &total), 0);
	ck_assert_int_eq(total, 2);
	ck_assert_int_eq(r.ids[0], c);
	ck_assert_int_eq(r.ids[1], a);
	r = (struct rows){0};
	ck_assert_int_eq(db_contest_submissions(db, id, 0, mul, 1, 10, collect_row, &r, &total), 0);
	ck_assert_int_eq(total, 2);
	ck_assert_int_eq(r.ids[0], d);
	ck_assert_str_eq(r.label, "B");
	r = (struct rows){0};
	ck_assert_int_eq(db_contest_submissions(db, id, t2, sum, 1, 10, collect_row, &r, &total), 0);
	ck_assert_int_eq(total, 1);
	ck_assert_int_eq(r.ids[0], b);
	r = (struct rows){0};
	ck_assert_int_eq(db_contest_submissions(db, id, 0, 0, 2, 3, collect_row, &r, &total), 0);
	ck_assert_int_eq(total, 4);
	ck_assert_int_eq(r.count, 1);
	ck_assert_int_eq(r.ids[0], a);
	ck_assert_int_eq(db_contest_submissions(db, other + 1, 0, 0, 1, 10, collect_row, &r, &total), DB_E_NOT_FOUND);
	ck_assert_int_eq(total, 0);

	/* Changed since: in seq order, of one team or all, after a given seq. */
	judge(a, "WA");
	int64_t mid = db_seq(db);
	judge(c, "AC");
	judge(b, "AC");
	r = (struct rows){0};
	ck_assert_int_eq(db_contest_submissions_changed(db, id, 0, 0, 10, collect_row, &r), 4);
	int64_t in_seq[] = {d, a, c, b};
	for (int i = 0; i < 4; i++) {
		ck_assert_int_eq(r.ids[i], in_seq[i]);
		if (i)
			ck_assert_int_gt(r.seqs[i], r.seqs[i - 1]);
	}
	r = (struct rows){0};
	ck_assert_int_eq(db_contest_submissions_changed(db, id, 0, mid, 10, collect_row, &r), 2);
	ck_assert_int_eq(r.ids[0], c);
	ck_assert_int_eq(r.ids[1], b);
	ck_assert_int_eq(r.last.contest_id, id);
	ck_assert_str_eq(r.last.verdict ? "set" : "", "set");
	r = (struct rows){0};
	ck_assert_int_eq(db_contest_submissions_changed(db, id, t1, 0, 10, collect_row, &r), 2);
	ck_assert_int_eq(r.ids[0], a);
	ck_assert_int_eq(r.ids[1], c);
	r = (struct rows){0};
	ck_assert_int_eq(db_contest_submissions_changed(db, id, 0, 0, 1, collect_row, &r), 1);
	ck_assert_int_eq(r.ids[0], d);
	r = (struct rows){0};
	ck_assert_int_eq(db_contest_submissions_changed(db, other, 0, 0, 10, collect_row, &r), 1);
}
END_TEST

START_TEST(delete_leaves_plain_submissions)
{
	int64_t id = add_contest("lab1");
	int64_t t1 = add_team(id, 1);
	raw_exec("INSERT INTO clarifications (contest_id, from_team_id, text, time_ms) VALUES (1, 1, 'q', 1);"
		 /* as the team's and the clarification's stores log them */
		 "INSERT INTO changes (kind, id, seq, scope_kind, scope_id) VALUES ('team', 1, 1000, 'contest', 1),"
		 " ('clarification', 1, 1001, 'contest', 1)");
	int64_t plain = submit(sum, alice);
	int64_t a = submit_in(id, t1, sum, alice, 1, false);
	int64_t b = submit_in(id, t1, mul, alice, 2, false);
	judge(a, "AC");
	int64_t before = db_seq(db);
	ck_assert_int_eq(db_contest_delete(db, id), 0);

	struct db_submission s;
	ck_assert_int_eq(db_submission_get(db, a, 0, &s), 0);
	ck_assert_int_eq(s.contest_id, 0);
	ck_assert_int_eq(s.team_id, 0);
	ck_assert_ptr_null(s.problem_label);
	ck_assert_str_eq(s.verdict, "AC");
	ck_assert_int_gt(s.seq, before);
	db_submission_release(&s);

	/* Now in their problems' scopes, at new seqs, so that the problems' resumers see them. */
	struct rows r = changes_in(DB_KIND_PROBLEM, sum);
	ck_assert_int_eq(r.count, 2);
	ck_assert_int_eq(r.ids[0], plain);
	ck_assert_int_eq(r.ids[1], a);
	ck_assert_int_gt(r.seqs[1], before);
	r = changes_in(DB_KIND_PROBLEM, mul);
	ck_assert_int_eq(r.count, 1);
	ck_assert_int_eq(r.ids[0], b);
	ck_assert_int_eq(changes_in(DB_KIND_CONTEST, id).count, 0);
	int64_t total = 0;
	r = (struct rows){0};
	ck_assert_int_eq(db_problem_submissions(db, sum, 1, 10, collect_row, &r, &total), 0);
	ck_assert_int_eq(total, 2);
	ck_assert_int_eq(r.count, 2);
	r = (struct rows){0};
	ck_assert_int_eq(db_submissions_changed(db, mul, 0, before, 10, collect_row, &r), 1);
	ck_assert_int_eq(r.ids[0], b);
	/* Later judging stays in the problem's scope. */
	judge(b, "WA");
	ck_assert_int_eq(change_of(DB_KIND_SUBMISSION, b).scope_kind, DB_KIND_PROBLEM);
	/* Nothing of the contest's scope is left in the log but its tombstone. */
	struct db_change out[16];
	size_t n = db_changes_since(db, DB_KIND_NONE, DB_KIND_CONTEST, id, 0, out, 16);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(out[0].kind, DB_KIND_CONTEST);
	ck_assert(out[0].deleted);
}
END_TEST

/* Takes the next submission in judging order and judges it. */
static int64_t judge_next(void)
{
	int64_t id = 0;
	ck_assert_uint_eq(db_judge_pending(db, &id, 1), 1);
	judge(id, "AC");
	return id;
}

START_TEST(queue_takes_turns_by_team)
{
	/* alice and bob are one team; carol another. The team's backlog waits
	   behind carol's first submission, however many members submit. */
	int64_t carol = 0;
	ck_assert_int_eq(db_user_create(db, "carol", "h", false, &carol), 0);
	int64_t id = add_contest("lab1");
	int64_t t1 = add_team(id, 1), t2 = add_team(id, 2);
	int64_t a1 = submit_in(id, t1, sum, alice, 1, false);
	int64_t b1 = submit_in(id, t1, sum, bob, 2, false);
	int64_t a2 = submit_in(id, t1, sum, alice, 3, false);
	int64_t c1 = submit_in(id, t2, sum, carol, 4, false);
	/* A team member's plain submission takes the user's turns, not the team's. */
	int64_t p1 = submit(sum, bob);
	ck_assert_int_eq(judge_next(), a1);
	ck_assert_int_eq(judge_next(), c1);
	ck_assert_int_eq(judge_next(), p1);
	ck_assert_int_eq(judge_next(), b1);
	ck_assert_int_eq(judge_next(), a2);
	int64_t none = 0;
	ck_assert_uint_eq(db_judge_pending(db, &none, 1), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("db-contests");
	TCase *tc = tcase_create("contests");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, create_get_update_round_trip);
	tcase_add_test(tc, conflicts_and_unknown_problems_change_nothing);
	tcase_add_test(tc, problems_in_order_with_labels);
	tcase_add_test(tc, list_and_delete);
	tcase_add_test(tc, set_time_changes_one_field);
	tcase_add_test(tc, blockers);
	tcase_add_test(tc, submission_fields_and_scope);
	tcase_add_test(tc, problem_lists_leave_contest_submissions_out);
	tcase_add_test(tc, contest_lists_by_team_and_problem);
	tcase_add_test(tc, delete_leaves_plain_submissions);
	tcase_add_test(tc, queue_takes_turns_by_team);
	tcase_add_test(tc, problem_delete_changes_its_contests);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
