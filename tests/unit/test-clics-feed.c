/* Unit tests of the CLICS event feed (clics/clics_feed.c) on a real
 * database, with the boards in memory kept up to date by the change hook as
 * in the server: the token rules, one line per object with the token on the
 * last line of each change, a submission judged test by test sending each
 * run once, the freeze holding a judgement back from the public until the
 * thaw, deletes as data: null, and end_of_updates on the last line only. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "boards.h"
#include "clics_feed.h"
#include "clock.h"
#include "common.h"
#include "contestdb.h"
#include "db.h"
#include "languages.h"
#include "util.h"

static struct app app;
static int64_t user_a, user_b, team_a, team_b, prob, contest;
static struct db_user jury_user, alice;

static void on_change(void *ctx, struct db *db, const struct db_change *change)
{
	(void)ctx;
	boards_on_change(app.boards, db, change);
}

static void setup(void)
{
	contestdb_setup();
	memset(&app, 0, sizeof app);
	app.db = cdb;
	app.boards = boards_new(cdb);
	char *err = NULL;
	app.languages = languages_load(NULL, &err);
	ck_assert_ptr_nonnull(app.languages);
	db_set_change_hook(cdb, on_change, NULL);
	user_a = contestdb_user("alice");
	user_b = contestdb_user("bob");
	int64_t admin;
	ck_assert_int_eq(db_user_create(cdb, "root", "hash", true, &admin), 0);
	ck_assert_int_eq(db_user_get(cdb, admin, &jury_user), 0);
	ck_assert_int_eq(db_user_get(cdb, user_a, &alice), 0);
	prob = contestdb_problem("pa");
}

static void teardown(void)
{
	db_set_change_hook(cdb, NULL, NULL);
	boards_free(app.boards);
	languages_free(app.languages);
	contestdb_teardown();
}

/* A public contest started an hour ago (freeze: the last hour of five), with teams ta (alice) and tb (bob). */
static void make_contest(int64_t finalized_ms)
{
	int64_t start = contest_now_ms() - 3600000;
	struct db_contest_problem problems[] = {{.problem_id = prob, .label = "A", .color = ""}};
	struct db_contest c = {
		.shortname = "c1", .name = "C1", .formal_name = "", .start_ms = start, .duration_ms = 5 * 3600000,
		.freeze_ms = 3600000, .scoring = "icpc", .ioi_mode = "max_submission", .penalty_min = 20,
		.public_ = true, .finalized_at_ms = finalized_ms, .gold = 1, .problems = problems, .problem_count = 1,
	};
	ck_assert_int_eq(db_contest_create(cdb, &c, &contest), 0);
	const char *ma[] = {"alice"}, *mb[] = {"bob"};
	struct db_team ta = {.key = "ta", .label = "ta", .name = "Team A", .display_name = "", .members = ma,
			     .member_count = 1};
	struct db_team tb = {.key = "tb", .label = "tb", .name = "Team B", .display_name = "", .members = mb,
			     .member_count = 1};
	ck_assert_int_eq(db_team_create(cdb, contest, &ta, &team_a, NULL), 0);
	ck_assert_int_eq(db_team_create(cdb, contest, &tb, &team_b, NULL), 0);
}

/* A submission of team at ms, judged with verdict over `tests` tests one by one (NULL: left queued). */
static int64_t submit(int64_t user, int64_t team, int64_t ms, const char *verdict, int tests)
{
	struct db_submit_context ctx = {contest, team, ms, false};
	int64_t id;
	ck_assert_int_eq(db_submission_create_in(cdb, prob, user, "c", "x", &ctx, NULL, &id, NULL), 0);
	if (verdict) {
		int64_t token;
		int attempt;
		ck_assert_int_eq(db_judge_begin(cdb, id, &token, &attempt), 0);
		ck_assert_int_eq(db_judge_compiled(cdb, id, token, ""), 0);
		for (int i = 0; i < tests; i++)
			ck_assert_int_eq(db_judge_test(cdb, id, token, i, "secret", verdict, 5, 100, true), 0);
		ck_assert_int_eq(db_judge_finish(cdb, id, token, verdict, -1, 5, 100, tests, "", NULL), 0);
	}
	return id;
}

/* Everything the feed has now, as a JSON array of its lines; *step gets how it ended. */
static json_t *drain(struct clics_feed *f, enum clics_feed_step *step)
{
	struct buf out;
	buf_init(&out);
	enum clics_feed_step s;
	int calls = 0;
	while ((s = clics_feed_next(f, &out, 512)) == CLICS_FEED_MORE)
		ck_assert_int_lt(++calls, 10000);
	if (step)
		*step = s;
	json_t *lines = json_array();
	char *p = out.data;
	while (p && *p) {
		char *nl = strchr(p, '\n');
		ck_assert_msg(nl, "a line without its newline: %s", p);
		*nl = '\0';
		json_error_t e;
		json_t *j = json_loads(p, 0, &e);
		ck_assert_msg(j, "not JSON: %s (%s)", p, e.text);
		json_array_append_new(lines, j);
		p = nl + 1;
	}
	buf_release(&out);
	return lines;
}

/* Appends what the feed has now to all. */
static void more(json_t *all, struct clics_feed *f)
{
	json_t *lines = drain(f, NULL);
	json_array_extend(all, lines);
	json_decref(lines);
}

static struct clics_feed *open_feed(const struct db_user *user, const char *token)
{
	struct clics_feed *f = NULL;
	ck_assert_int_eq(clics_feed_open(&app, "c1", user, token, &f), CLICS_FEED_OK);
	return f;
}

static const char *str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* How many lines of type with that id (NULL: any) there are, null data ones counted in nulls. */
static size_t count(json_t *lines, const char *type, const char *id, size_t *nulls)
{
	size_t n = 0, i;
	json_t *l;
	if (nulls)
		*nulls = 0;
	json_array_foreach(lines, i, l) {
		if (strcmp(str(l, "type"), type) != 0 || (id && (!str(l, "id") || strcmp(str(l, "id"), id) != 0)))
			continue;
		n++;
		if (nulls && json_is_null(json_object_get(l, "data")))
			(*nulls)++;
	}
	return n;
}

/* The shape of every line: type, id (data.id, null for the contest and the
   state), data, and a token only on the last line of a change: decimal,
   rising, never on the objects before the log. */
static void check_lines(json_t *lines, bool from_start)
{
	size_t i;
	json_t *l;
	long long last = -1;
	bool logged = !from_start;
	json_array_foreach(lines, i, l) {
		const char *type = str(l, "type");
		ck_assert_ptr_nonnull(type);
		json_t *id = json_object_get(l, "id"), *data = json_object_get(l, "data"), *token = json_object_get(l, "token");
		ck_assert_ptr_nonnull(id);
		ck_assert_ptr_nonnull(data);
		ck_assert_uint_le(json_object_size(l), 4);
		if (strcmp(type, "contest") == 0 || strcmp(type, "state") == 0) {
			ck_assert(json_is_null(id));
			if (strcmp(type, "state") == 0)
				ck_assert(json_is_object(data));
		} else {
			ck_assert(json_is_string(id));
			if (!json_is_null(data))
				ck_assert_str_eq(json_string_value(id), str(data, "id"));
		}
		bool statics = strcmp(type, "judgement-types") == 0 || strcmp(type, "languages") == 0 ||
			       strcmp(type, "accounts") == 0;
		if (!logged && !statics)
			logged = true;
		if (!logged)
			ck_assert_ptr_null(token);
		if (token) {
			ck_assert(json_is_string(token));
			char *end;
			long long t = strtoll(json_string_value(token), &end, 10);
			ck_assert(*end == '\0' && t >= last);
			last = t;
		}
	}
	if (json_array_size(lines) && logged)
		ck_assert_ptr_nonnull(json_object_get(json_array_get(lines, json_array_size(lines) - 1), "token"));
}

START_TEST(token_rules)
{
	make_contest(0);
	struct clics_feed *f = NULL;
	char text[32];
	const char *good[] = {"0", "1", text};
	snprintf(text, sizeof text, "%lld", (long long)db_seq(cdb));
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(clics_feed_open(&app, "c1", NULL, good[i], &f), CLICS_FEED_OK);
		clics_feed_free(f);
	}
	char next[32];
	snprintf(next, sizeof next, "%lld", (long long)db_seq(cdb) + 1);
	const char *bad[] = {next, "-1", "", "1x", " 1", "xY-99_", "999999", "99999999999999999999999"};
	for (int i = 0; i < 8; i++) {
		f = NULL;
		ck_assert_msg(clics_feed_open(&app, "c1", NULL, bad[i], &f) == CLICS_FEED_BAD_TOKEN, "'%s'", bad[i]);
		ck_assert_ptr_null(f);
	}
	ck_assert_int_eq(clics_feed_open(&app, "nosuch", NULL, NULL, &f), CLICS_FEED_NO_CONTEST);
	/* after the newest token: nothing, and idle */
	f = open_feed(NULL, text);
	enum clics_feed_step step;
	json_t *lines = drain(f, &step);
	ck_assert_uint_eq(json_array_size(lines), 0);
	ck_assert_int_eq(step, CLICS_FEED_IDLE);
	json_decref(lines);
	/* a change after it: its lines, with its seq as the token */
	int64_t id = submit(user_a, team_a, contest_now_ms() - 3000000, "AC", 1);
	lines = drain(f, &step);
	ck_assert_uint_ge(count(lines, "submissions", NULL, NULL), 1);
	char want[32];
	snprintf(want, sizeof want, "%lld", (long long)db_seq(cdb));
	ck_assert_str_eq(str(json_array_get(lines, json_array_size(lines) - 1), "token"), want);
	(void)id;
	check_lines(lines, false);
	json_decref(lines);
	clics_feed_free(f);
}
END_TEST

START_TEST(one_line_per_object)
{
	make_contest(0);
	int64_t now = contest_now_ms();
	submit(user_a, team_a, now - 3000000, "WA", 2);
	submit(user_a, team_a, now - 2900000, "AC", 3);
	submit(user_b, team_b, now - 2800000, NULL, 0);
	const struct db_user *viewers[] = {NULL, &alice, &jury_user};
	for (int v = 0; v < 3; v++) {
		struct clics_feed *f = open_feed(viewers[v], NULL);
		enum clics_feed_step step;
		json_t *lines = drain(f, &step);
		ck_assert_int_eq(step, CLICS_FEED_IDLE);
		check_lines(lines, true);
		/* each object once (nothing changed twice), the contest and its state too */
		size_t i;
		json_t *l;
		json_array_foreach(lines, i, l) {
			if (json_is_null(json_object_get(l, "id")))
				continue;
			ck_assert_msg(count(lines, str(l, "type"), str(l, "id"), NULL) == 1, "%s %s twice", str(l, "type"),
				      str(l, "id"));
		}
		ck_assert_uint_eq(count(lines, "judgement-types", NULL, NULL), 8);
		ck_assert_uint_ge(count(lines, "languages", NULL, NULL), 1);
		ck_assert_uint_eq(count(lines, "accounts", NULL, NULL), 0); /* REST only */
		ck_assert_uint_eq(count(lines, "contest", NULL, NULL), 1);
		ck_assert_uint_eq(count(lines, "problems", "pa", NULL), 1);
		ck_assert_uint_eq(count(lines, "teams", NULL, NULL), 2);
		ck_assert_uint_eq(count(lines, "submissions", NULL, NULL), 3);
		ck_assert_uint_eq(count(lines, "judgements", NULL, NULL), 2);
		ck_assert_uint_eq(count(lines, "runs", NULL, NULL), 5);
		ck_assert_uint_ge(count(lines, "awards", "winner", NULL), 1);
		json_decref(lines);
		/* caught up: nothing more, and no line */
		struct buf out;
		buf_init(&out);
		ck_assert_int_eq(clics_feed_next(f, &out, 512), CLICS_FEED_IDLE);
		ck_assert_uint_eq(out.len, 0);
		buf_release(&out);
		clics_feed_free(f);
	}
}
END_TEST

/* The judge's steps one by one, the feed read after each: the submission
   once, then its judgement and each run once; a rejudge nulls them, and
   the new judging sends them again. */
START_TEST(runs_once_each)
{
	make_contest(0);
	struct clics_feed *f = open_feed(&jury_user, NULL);
	json_decref(drain(f, NULL));
	struct db_submit_context ctx = {contest, team_a, contest_now_ms() - 3000000, false};
	int64_t id, token;
	int attempt;
	ck_assert_int_eq(db_submission_create_in(cdb, prob, user_a, "c", "x", &ctx, NULL, &id, NULL), 0);
	char sid[24];
	snprintf(sid, sizeof sid, "%lld", (long long)id);
	json_t *all = json_array();
	more(all, f);
	ck_assert_int_eq(db_judge_begin(cdb, id, &token, &attempt), 0);
	more(all, f);
	ck_assert_int_eq(db_judge_compiled(cdb, id, token, ""), 0);
	more(all, f);
	for (int i = 0; i < 4; i++) {
		ck_assert_int_eq(db_judge_test(cdb, id, token, i, "secret", "AC", 5, 100, true), 0);
		more(all, f);
	}
	ck_assert_int_eq(db_judge_finish(cdb, id, token, "AC", -1, 5, 100, 4, "", NULL), 0);
	more(all, f);
	/* a change of the contest (it re-reads what it held back): nothing of the submission again */
	ck_assert_int_eq(db_contest_set_time(cdb, contest, DB_CONTEST_DURATION, 6 * 3600000), 0);
	more(all, f);
	check_lines(all, false);
	ck_assert_uint_eq(count(all, "submissions", sid, NULL), 1);
	ck_assert_uint_eq(count(all, "judgements", sid, NULL), 1);
	ck_assert_uint_eq(count(all, "runs", NULL, NULL), 4);
	for (int i = 1; i <= 4; i++) {
		char rid[48];
		snprintf(rid, sizeof rid, "%s.%d", sid, i);
		ck_assert_uint_eq(count(all, "runs", rid, NULL), 1);
	}
	json_decref(all);
	/* a rejudge: the judgement and its runs are gone, then come again */
	ck_assert_int_eq(db_submission_requeue(cdb, id), 0);
	json_t *lines = drain(f, NULL);
	size_t nulls;
	ck_assert_uint_eq(count(lines, "judgements", sid, &nulls), 1);
	ck_assert_uint_eq(nulls, 1);
	ck_assert_uint_eq(count(lines, "runs", NULL, &nulls), 4);
	ck_assert_uint_eq(nulls, 4);
	ck_assert_uint_eq(count(lines, "submissions", NULL, NULL), 0);
	json_decref(lines);
	ck_assert_int_eq(db_judge_begin(cdb, id, &token, &attempt), 0);
	ck_assert_int_eq(db_judge_compiled(cdb, id, token, ""), 0);
	ck_assert_int_eq(db_judge_test(cdb, id, token, 0, "secret", "WA", 5, 100, false), 0);
	ck_assert_int_eq(db_judge_finish(cdb, id, token, "WA", -1, 5, 100, 0, "", NULL), 0);
	lines = drain(f, NULL);
	ck_assert_uint_eq(count(lines, "judgements", sid, &nulls), 1);
	ck_assert_uint_eq(nulls, 0);
	ck_assert_str_eq(str(json_object_get(json_array_get(lines, 0), "data"), "judgement_type_id"), "WA");
	ck_assert_uint_eq(count(lines, "runs", NULL, &nulls), 1);
	ck_assert_uint_eq(nulls, 0);
	json_decref(lines);
	clics_feed_free(f);
}
END_TEST

/* A submission in the freeze: its submission for the public at once, its
   judgement only after the thaw; the team's own feed has it at once. */
START_TEST(freeze_holds_back_the_judgement)
{
	make_contest(0);
	ck_assert_int_eq(db_contest_set_time(cdb, contest, DB_CONTEST_FROZEN_AT, contest_now_ms() - 60000), 0);
	struct clics_feed *pub = open_feed(NULL, NULL), *own = open_feed(&alice, NULL);
	json_decref(drain(pub, NULL));
	json_decref(drain(own, NULL));
	int64_t id = submit(user_a, team_a, contest_now_ms() - 1000, "AC", 2);
	char sid[24];
	snprintf(sid, sizeof sid, "%lld", (long long)id);
	json_t *lines = drain(pub, NULL);
	ck_assert_uint_eq(count(lines, "submissions", sid, NULL), 1);
	ck_assert_uint_eq(count(lines, "judgements", NULL, NULL), 0);
	ck_assert_uint_eq(count(lines, "runs", NULL, NULL), 0);
	json_decref(lines);
	lines = drain(own, NULL);
	ck_assert_uint_eq(count(lines, "judgements", sid, NULL), 1);
	ck_assert_uint_eq(count(lines, "runs", NULL, NULL), 2);
	json_decref(lines);
	/* a fresh public feed has none either */
	struct clics_feed *fresh = open_feed(NULL, NULL);
	lines = drain(fresh, NULL);
	ck_assert_uint_eq(count(lines, "submissions", sid, NULL), 1);
	ck_assert_uint_eq(count(lines, "judgements", NULL, NULL), 0);
	json_decref(lines);
	clics_feed_free(fresh);
	ck_assert_int_eq(db_contest_set_time(cdb, contest, DB_CONTEST_THAW_AT, contest_now_ms() - 1), 0);
	lines = drain(pub, NULL);
	ck_assert_uint_eq(count(lines, "judgements", sid, NULL), 1);
	ck_assert_uint_eq(count(lines, "runs", NULL, NULL), 2);
	ck_assert_uint_eq(count(lines, "submissions", NULL, NULL), 0);
	check_lines(lines, false);
	json_decref(lines);
	clics_feed_free(pub);
	clics_feed_free(own);
}
END_TEST

/* A deleted team: data: null for it in the feed that sent it; its
   clarification's tombstone: data: null to a reader resuming before it. */
START_TEST(deletes_as_null)
{
	make_contest(0);
	struct db_clarification q = {.contest_id = contest, .from_team_id = team_b, .text = "why?",
				     .time_ms = contest_now_ms(), .sender_user_id = user_b};
	int64_t qid;
	ck_assert_int_eq(db_clarification_create(cdb, &q, &qid), 0);
	char token[32], cid[24];
	snprintf(token, sizeof token, "%lld", (long long)db_seq(cdb));
	snprintf(cid, sizeof cid, "%lld", (long long)qid);
	struct clics_feed *f = open_feed(&jury_user, NULL);
	json_t *lines = drain(f, NULL);
	ck_assert_uint_eq(count(lines, "teams", "tb", NULL), 1);
	ck_assert_uint_eq(count(lines, "clarifications", cid, NULL), 1);
	json_decref(lines);
	ck_assert_int_eq(db_team_delete(cdb, team_b), 0);
	lines = drain(f, NULL);
	size_t nulls;
	ck_assert_uint_eq(count(lines, "teams", "tb", &nulls), 1);
	ck_assert_uint_eq(nulls, 1);
	ck_assert_uint_eq(count(lines, "clarifications", cid, &nulls), 1);
	ck_assert_uint_eq(nulls, 1);
	check_lines(lines, false);
	json_decref(lines);
	clics_feed_free(f);
	struct clics_feed *resumed = open_feed(&jury_user, token);
	lines = drain(resumed, NULL);
	ck_assert_uint_eq(count(lines, "clarifications", cid, &nulls), 1);
	ck_assert_uint_eq(nulls, 1);
	json_decref(lines);
	clics_feed_free(resumed);
	/* from the beginning of time nothing is null: the reader holds nothing */
	f = open_feed(&jury_user, NULL);
	lines = drain(f, NULL);
	size_t i;
	json_t *l;
	json_array_foreach(lines, i, l)
		ck_assert_msg(!json_is_null(json_object_get(l, "data")), "%s %s null", str(l, "type"), str(l, "id"));
	json_decref(lines);
	clics_feed_free(f);
}
END_TEST

/* A hidden team shown and hidden again: its team and its submissions come
   to the public's feed with it and go (data: null) with it. */
START_TEST(team_shown_and_hidden)
{
	make_contest(0);
	struct db_team t;
	ck_assert_int_eq(db_team_get(cdb, team_b, &t), 0);
	t.hidden = true;
	ck_assert_int_eq(db_team_update(cdb, team_b, &t, NULL), 0);
	int64_t id = submit(user_b, team_b, contest_now_ms() - 3000000, "AC", 1);
	char sid[24];
	snprintf(sid, sizeof sid, "%lld", (long long)id);
	struct clics_feed *f = open_feed(NULL, NULL);
	json_t *lines = drain(f, NULL);
	ck_assert_uint_eq(count(lines, "teams", "tb", NULL), 0);
	ck_assert_uint_eq(count(lines, "submissions", sid, NULL), 0);
	json_decref(lines);
	t.hidden = false;
	ck_assert_int_eq(db_team_update(cdb, team_b, &t, NULL), 0);
	lines = drain(f, NULL);
	size_t nulls;
	ck_assert_uint_eq(count(lines, "teams", "tb", &nulls), 1);
	ck_assert_uint_eq(nulls, 0);
	ck_assert_uint_eq(count(lines, "submissions", sid, NULL), 1);
	ck_assert_uint_eq(count(lines, "judgements", sid, NULL), 1);
	ck_assert_uint_eq(count(lines, "runs", NULL, NULL), 1);
	check_lines(lines, false);
	json_decref(lines);
	t.hidden = true;
	ck_assert_int_eq(db_team_update(cdb, team_b, &t, NULL), 0);
	lines = drain(f, NULL);
	ck_assert_uint_eq(count(lines, "teams", "tb", &nulls), 1);
	ck_assert_uint_eq(nulls, 1);
	ck_assert_uint_eq(count(lines, "submissions", sid, &nulls), 1);
	ck_assert_uint_eq(nulls, 1);
	ck_assert_uint_eq(count(lines, "judgements", sid, &nulls), 1);
	ck_assert_uint_eq(nulls, 1);
	json_decref(lines);
	db_team_release(&t);
	clics_feed_free(f);
}
END_TEST

/* A finalized contest: the state with end_of_updates is the last line and
   only there, and the feed is over for good. */
START_TEST(end_of_updates_last)
{
	make_contest(0);
	submit(user_a, team_a, contest_now_ms() - 3000000, "AC", 1);
	ck_assert_int_eq(db_contest_set_time(cdb, contest, DB_CONTEST_DURATION, 3000000), 0);
	ck_assert_int_eq(db_contest_set_time(cdb, contest, DB_CONTEST_THAW_AT, contest_now_ms() - 2000), 0);
	ck_assert_int_eq(db_contest_set_time(cdb, contest, DB_CONTEST_FINALIZED_AT, contest_now_ms() - 1000), 0);
	/* a change after the finalize: the finalize's state is not the last line */
	struct db_clarification all = {.contest_id = contest, .to_all = true, .text = "thanks",
				       .time_ms = contest_now_ms(), .sender_user_id = user_a};
	int64_t cid;
	ck_assert_int_eq(db_clarification_create(cdb, &all, &cid), 0);
	const struct db_user *viewers[] = {NULL, &alice, &jury_user};
	for (int v = 0; v < 3; v++) {
		struct clics_feed *f = open_feed(viewers[v], NULL);
		enum clics_feed_step step;
		json_t *lines = drain(f, &step);
		ck_assert_int_eq(step, CLICS_FEED_END);
		check_lines(lines, true);
		size_t n = json_array_size(lines), i;
		json_t *l;
		json_array_foreach(lines, i, l) {
			json_t *eou = json_object_get(json_object_get(l, "data"), "end_of_updates");
			bool set = strcmp(str(l, "type"), "state") == 0 && eou && !json_is_null(eou);
			ck_assert_msg(set == (i == n - 1), "line %zu of %zu: end_of_updates %s", i, n, set ? "set" : "unset");
		}
		json_decref(lines);
		struct buf out;
		buf_init(&out);
		ck_assert_int_eq(clics_feed_next(f, &out, 512), CLICS_FEED_END);
		ck_assert_uint_eq(out.len, 0);
		buf_release(&out);
		clics_feed_free(f);
	}
	/* resumed after its token: the end line again */
	char token[32];
	snprintf(token, sizeof token, "%lld", (long long)db_seq(cdb));
	struct clics_feed *f = open_feed(NULL, token);
	enum clics_feed_step step;
	json_t *lines = drain(f, &step);
	ck_assert_int_eq(step, CLICS_FEED_END);
	ck_assert_uint_eq(json_array_size(lines), 1);
	ck_assert_str_eq(str(json_array_get(lines, 0), "type"), "state");
	json_decref(lines);
	clics_feed_free(f);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("clics-feed");
	TCase *tc = tcase_create("feed");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, token_rules);
	tcase_add_test(tc, one_line_per_object);
	tcase_add_test(tc, runs_once_each);
	tcase_add_test(tc, freeze_holds_back_the_judgement);
	tcase_add_test(tc, deletes_as_null);
	tcase_add_test(tc, team_shown_and_hidden);
	tcase_add_test(tc, end_of_updates_last);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
