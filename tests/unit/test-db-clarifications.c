/* Unit tests for the clarifications store: requests, replies and
 * announcements, the references checked to be the contest's, `answered`
 * flipping through the change log, and that a team sees only what is from it,
 * to it or to all, in the list and in the changes. Each test gets a fresh
 * database. */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "contestdb.h"
#include "db.h"
#include "log.h"

static int64_t contest, problem, team_a, team_b, alice, bob, judge;

static int64_t team(int64_t in, const char *key, const char *member)
{
	const char *members[] = {member};
	const struct db_team t = {.key = key, .label = key, .name = key, .members = members, .member_count = 1};
	int64_t id = 0;
	const char *missing;
	ck_assert_int_eq(db_team_create(cdb, in, &t, &id, &missing), 0);
	return id;
}

static void setup(void)
{
	contestdb_setup();
	problem = contestdb_problem("sum");
	contest = contestdb_contest("c1", problem);
	alice = contestdb_user("alice");
	bob = contestdb_user("bob");
	judge = contestdb_user("judge");
	team_a = team(contest, "a", "alice");
	team_b = team(contest, "b", "bob");
}

static int64_t clar(const struct db_clarification *c)
{
	int64_t id = 0;
	ck_assert_int_eq(db_clarification_create(cdb, c, &id), 0);
	ck_assert_int_gt(id, 0);
	return id;
}

static int64_t ask(int64_t from, int64_t user, const char *text)
{
	return clar(&(struct db_clarification){.contest_id = contest, .from_team_id = from, .problem_id = problem,
					       .text = text, .time_ms = 1000, .sender_user_id = user});
}

static int64_t reply(int64_t to_team, bool to_all, int64_t reply_to, const char *text)
{
	return clar(&(struct db_clarification){.contest_id = contest, .to_team_id = to_team, .to_all = to_all,
					       .reply_to = reply_to, .text = text, .time_ms = 2000,
					       .sender_user_id = judge});
}

START_TEST(request_round_trip)
{
	int64_t id = ask(team_a, alice, "is n positive?");
	struct db_clarification c;
	ck_assert_int_eq(db_clarification_get(cdb, id, &c), 0);
	ck_assert_int_eq(c.id, id);
	ck_assert_int_eq(c.contest_id, contest);
	ck_assert_int_eq(c.seq, db_seq(cdb));
	ck_assert_int_eq(c.from_team_id, team_a);
	ck_assert_int_eq(c.to_team_id, 0);
	ck_assert(!c.to_all);
	ck_assert_int_eq(c.reply_to, 0);
	ck_assert_int_eq(c.problem_id, problem);
	ck_assert_str_eq(c.problem_label, "A");
	ck_assert_str_eq(c.text, "is n positive?");
	ck_assert_int_eq(c.time_ms, 1000);
	ck_assert_int_eq(c.sender_user_id, alice);
	ck_assert(!c.answered);
	db_clarification_release(&c);
	db_clarification_release(NULL);
	ck_assert(contestdb_logged(DB_KIND_CLARIFICATION, id, contest, false));

	/* An announcement: general, from the jury, to all. */
	int64_t ann = reply(0, true, 0, "lunch at noon");
	ck_assert_int_eq(db_clarification_get(cdb, ann, &c), 0);
	ck_assert_int_eq(c.from_team_id, 0);
	ck_assert(c.to_all);
	ck_assert_ptr_null(c.problem_label);
	ck_assert_int_eq(c.problem_id, 0);
	ck_assert(!c.answered);
	db_clarification_release(&c);
	ck_assert_int_eq(db_clarification_get(cdb, ann + 10, &c), DB_E_NOT_FOUND);
}
END_TEST

START_TEST(a_reply_marks_its_request_answered)
{
	int64_t req = ask(team_a, alice, "q");
	int64_t before = db_seq(cdb);
	int64_t ans = reply(team_a, false, req, "yes");
	struct db_clarification c;
	ck_assert_int_eq(db_clarification_get(cdb, req, &c), 0);
	ck_assert(c.answered);
	ck_assert_int_gt(c.seq, before);
	db_clarification_release(&c);
	ck_assert_int_eq(db_clarification_get(cdb, ans, &c), 0);
	ck_assert(!c.answered);
	ck_assert_int_eq(c.reply_to, req);
	ck_assert_int_eq(c.to_team_id, team_a);
	db_clarification_release(&c);
	/* The reader of changes sees the request again, answered. */
	struct db_change ch[8];
	size_t n = db_changes_since(cdb, DB_KIND_CLARIFICATION, DB_KIND_CONTEST, contest, before, ch, 8);
	ck_assert_uint_eq(n, 2);
	ck_assert(ch[0].id == req || ch[1].id == req);
	ck_assert(ch[0].id == ans || ch[1].id == ans);
}
END_TEST

START_TEST(references_must_be_the_contests)
{
	int64_t other = contestdb_contest("c2", 0);
	int64_t alien = team(other, "x", "judge");
	int64_t other_req = clar(&(struct db_clarification){.contest_id = other, .from_team_id = alien, .text = "q",
							    .time_ms = 1});
	int64_t seq = db_seq(cdb);
	int64_t id = 0;
	struct db_clarification c = {.contest_id = contest, .reply_to = other_req, .to_all = true, .text = "a"};
	ck_assert_int_eq(db_clarification_create(cdb, &c, &id), DB_E_NOT_FOUND);
	c = (struct db_clarification){.contest_id = contest, .to_team_id = alien, .text = "a"};
	ck_assert_int_eq(db_clarification_create(cdb, &c, &id), DB_E_NOT_FOUND);
	c = (struct db_clarification){.contest_id = contest, .from_team_id = alien, .text = "q"};
	ck_assert_int_eq(db_clarification_create(cdb, &c, &id), DB_E_NOT_FOUND);
	c = (struct db_clarification){.contest_id = other, .from_team_id = alien, .problem_id = problem, .text = "q"};
	ck_assert_int_eq(db_clarification_create(cdb, &c, &id), DB_E_NOT_FOUND); /* A is not in c2 */
	c = (struct db_clarification){.contest_id = other + 5, .to_all = true, .text = "a"};
	ck_assert_int_eq(db_clarification_create(cdb, &c, &id), DB_E_NOT_FOUND);
	c = (struct db_clarification){.contest_id = contest, .to_all = true, .text = "a", .sender_user_id = 999};
	ck_assert_int_eq(db_clarification_create(cdb, &c, &id), DB_E_NOT_FOUND);
	/* A team's request goes to the jury alone. */
	c = (struct db_clarification){.contest_id = contest, .from_team_id = team_a, .to_all = true, .text = "q"};
	ck_assert_int_eq(db_clarification_create(cdb, &c, &id), -EINVAL);
	c = (struct db_clarification){.contest_id = contest, .from_team_id = team_a, .to_team_id = team_b,
				      .text = "q"};
	ck_assert_int_eq(db_clarification_create(cdb, &c, &id), -EINVAL);
	ck_assert_int_eq(db_seq(cdb), seq);
	ck_assert_int_eq(contestdb_int("SELECT count(*) FROM clarifications"), 1);
}
END_TEST

/* The texts a viewer is given, in order, one letter each. */
struct seen {
	char texts[32];
	int answered;
};

static void note(void *ctx, const struct db_clarification *c)
{
	struct seen *s = ctx;
	strcat(s->texts, c->text);
	s->answered += c->answered;
}

static const char *listed(int64_t viewer)
{
	static struct seen s;
	memset(&s, 0, sizeof s);
	db_clarifications_list(cdb, contest, viewer, note, &s);
	return s.texts;
}

static const char *changed(int64_t viewer, int64_t seq, int limit, int *count)
{
	static struct seen s;
	memset(&s, 0, sizeof s);
	*count = db_clarifications_changed(cdb, contest, viewer, seq, limit, note, &s);
	return s.texts;
}

/* A asks (a), B asks (b), the jury answers A alone (p), answers B's question
   to all (r), and announces (n). */
static void converse(void)
{
	int64_t a = ask(team_a, alice, "a");
	int64_t b = ask(team_b, bob, "b");
	reply(team_a, false, a, "p");
	reply(0, true, b, "r");
	reply(0, true, 0, "n");
}

START_TEST(a_team_never_sees_another_teams_request_or_private_answer)
{
	converse();
	ck_assert_str_eq(listed(-1), "abprn");
	ck_assert_str_eq(listed(0), "rn");
	ck_assert_str_eq(listed(team_a), "aprn");
	ck_assert_str_eq(listed(team_b), "brn");
	/* A team of another contest sees nothing of this one's teams. */
	int64_t other = contestdb_contest("c2", 0);
	int64_t alien = team(other, "x", "judge");
	ck_assert_str_eq(listed(alien), "rn");
}
END_TEST

START_TEST(changes_keep_to_what_a_viewer_may_see)
{
	int count;
	converse();
	/* From the start, in seq order: each answered request comes again after its reply. */
	ck_assert_str_eq(changed(-1, 0, 100, &count), "parbn");
	ck_assert_int_eq(count, 5);
	ck_assert_str_eq(changed(team_a, 0, 100, &count), "parn");
	ck_assert_int_eq(count, 4);
	ck_assert_str_eq(changed(team_b, 0, 100, &count), "rbn");
	ck_assert_str_eq(changed(0, 0, 100, &count), "rn");
	ck_assert_int_eq(count, 2);
	/* The limit and the seq to start after. */
	ck_assert_str_eq(changed(team_b, 0, 1, &count), "r");
	ck_assert_int_eq(count, 1);
	ck_assert_str_eq(changed(team_b, db_seq(cdb), 100, &count), "");
	ck_assert_int_eq(count, 0);
}
END_TEST

START_TEST(changed_since_a_reply_shows_the_request_answered)
{
	int64_t a = ask(team_a, alice, "a");
	(void)ask(team_b, bob, "b");
	int64_t seq = db_seq(cdb);
	reply(team_a, false, a, "p");
	int count;
	struct seen s = {0};
	count = db_clarifications_changed(cdb, contest, team_a, seq, 100, note, &s);
	ck_assert_int_eq(count, 2);
	ck_assert_int_eq(s.answered, 1);
	ck_assert(strchr(s.texts, 'a') && strchr(s.texts, 'p'));
	/* B learns nothing: neither A's request nor the answer changed for it. */
	ck_assert_str_eq(changed(team_b, seq, 100, &count), "");
	ck_assert_str_eq(changed(0, seq, 100, &count), "");
}
END_TEST

START_TEST(a_deleted_team_takes_its_clarifications_along)
{
	converse();
	ck_assert_int_eq(db_team_delete(cdb, team_a), 0);
	ck_assert_str_eq(listed(-1), "brn");
	struct db_change ch[16];
	size_t n = db_changes_since(cdb, DB_KIND_CLARIFICATION, DB_KIND_CONTEST, contest, 0, ch, 16);
	int tombstones = 0;
	for (size_t i = 0; i < n; i++)
		tombstones += ch[i].deleted;
	ck_assert_int_eq(tombstones, 2); /* A's request and the answer to A */
}
END_TEST

int main(void)
{
	log_set_level(LOG_WARN);
	Suite *s = suite_create("db-clarifications");
	TCase *tc = tcase_create("clarifications");
	tcase_add_checked_fixture(tc, setup, contestdb_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, request_round_trip);
	tcase_add_test(tc, a_reply_marks_its_request_answered);
	tcase_add_test(tc, references_must_be_the_contests);
	tcase_add_test(tc, a_team_never_sees_another_teams_request_or_private_answer);
	tcase_add_test(tc, changes_keep_to_what_a_viewer_may_see);
	tcase_add_test(tc, changed_since_a_reply_shows_the_request_answered);
	tcase_add_test(tc, a_deleted_team_takes_its_clarifications_along);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
