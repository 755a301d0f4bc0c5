/* Unit tests for the teams store: teams with their organization, groups and
 * members, one team per user per contest, the names of what is missing or
 * taken, imports that are all or nothing, the classroom's own teams, and the
 * change log in the contest's scope. Each test gets a fresh database. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "contestdb.h"
#include "db.h"
#include "log.h"

static int64_t contest;

static void setup(void)
{
	contestdb_setup();
	contest = contestdb_contest("c1", 0);
}

/* Organization "uni", groups "students" and "observers" (hidden). */
static void add_refs(void)
{
	const struct db_organization orgs[] = {{.key = "uni", .name = "University", .country = "NLD"}};
	const struct db_team_group groups[] = {{.key = "students", .name = "Students"},
					       {.key = "observers", .name = "Observers", .hidden = true}};
	const struct db_import imp = {.organizations = orgs, .organization_count = 1, .groups = groups,
				      .group_count = 2};
	const char *missing = "x";
	ck_assert_int_eq(db_contest_import(cdb, contest, &imp, &missing), 0);
	ck_assert_ptr_null(missing);
}

static int64_t create(const struct db_team *t)
{
	int64_t id = 0;
	const char *missing = "x";
	ck_assert_int_eq(db_team_create(cdb, contest, t, &id, &missing), 0);
	ck_assert_ptr_null(missing);
	ck_assert_int_gt(id, 0);
	return id;
}

START_TEST(team_round_trip)
{
	add_refs();
	contestdb_user("alice");
	contestdb_user("bob");
	const char *groups[] = {"students", "observers"};
	const char *members[] = {"bob", "alice"};
	const struct db_team t = {.key = "t1", .label = "T1", .name = "Team One", .display_name = "One",
				  .organization = "uni", .hidden = true, .icpc_id = "77", .groups = groups,
				  .group_count = 2, .members = members, .member_count = 2};
	int64_t id = create(&t);
	struct db_team got;
	ck_assert_int_eq(db_team_get(cdb, id, &got), 0);
	ck_assert_int_eq(got.id, id);
	ck_assert_int_eq(got.contest_id, contest);
	ck_assert_int_eq(got.seq, db_seq(cdb));
	ck_assert_str_eq(got.key, "t1");
	ck_assert_str_eq(got.label, "T1");
	ck_assert_str_eq(got.name, "Team One");
	ck_assert_str_eq(got.display_name, "One");
	ck_assert_str_eq(got.organization, "uni");
	ck_assert(got.hidden);
	ck_assert_str_eq(got.icpc_id, "77");
	ck_assert_uint_eq(got.group_count, 2);
	ck_assert_str_eq(got.groups[0], "observers");
	ck_assert_str_eq(got.groups[1], "students");
	ck_assert_uint_eq(got.member_count, 2);
	ck_assert_str_eq(got.members[0], "alice");
	ck_assert_str_eq(got.members[1], "bob");
	db_team_release(&got);
	db_team_release(NULL);

	/* Bare: no organization, display name "" and no icpc id. */
	const struct db_team bare = {.key = "t2", .label = "T2", .name = "Two"};
	int64_t id2 = create(&bare);
	ck_assert_int_eq(db_team_get(cdb, id2, &got), 0);
	ck_assert_ptr_null(got.organization);
	ck_assert_ptr_null(got.icpc_id);
	ck_assert_str_eq(got.display_name, "");
	ck_assert_uint_eq(got.group_count + got.member_count, 0);
	db_team_release(&got);
	ck_assert_int_eq(db_team_get(cdb, id2 + 100, &got), DB_E_NOT_FOUND);
}
END_TEST

static void count_team(void *ctx, const struct db_team *t)
{
	char *names = ctx;
	strcat(names, t->key);
	strcat(names, t->member_count ? "+" : " ");
}

START_TEST(teams_list_by_contest)
{
	int64_t other = contestdb_contest("c2", 0);
	contestdb_user("alice");
	const char *members[] = {"alice"};
	create(&(struct db_team){.key = "b", .label = "B", .name = "B", .members = members, .member_count = 1});
	create(&(struct db_team){.key = "a", .label = "A", .name = "A"});
	int64_t id = 0;
	const char *missing;
	ck_assert_int_eq(db_team_create(cdb, other, &(struct db_team){.key = "z", .label = "Z", .name = "Z"}, &id,
					&missing), 0);
	char names[64] = "";
	db_teams_list(cdb, contest, count_team, names);
	ck_assert_str_eq(names, "b+a "); /* by id, this contest only */
	names[0] = 0;
	db_teams_list(cdb, other, count_team, names);
	ck_assert_str_eq(names, "z ");
}
END_TEST

START_TEST(key_and_label_conflicts_name_what_is_taken)
{
	create(&(struct db_team){.key = "t1", .label = "L1", .name = "One"});
	int64_t id = 0;
	const char *missing = NULL;
	ck_assert_int_eq(db_team_create(cdb, contest, &(struct db_team){.key = "t1", .label = "L2", .name = "x"}, &id,
					&missing), DB_E_CONFLICT);
	ck_assert_str_eq(missing, "t1");
	ck_assert_int_eq(db_team_create(cdb, contest, &(struct db_team){.key = "t2", .label = "L1", .name = "x"}, &id,
					&missing), DB_E_CONFLICT);
	ck_assert_str_eq(missing, "L1");
	/* The same key in another contest is fine. */
	int64_t other = contestdb_contest("c2", 0);
	ck_assert_int_eq(db_team_create(cdb, other, &(struct db_team){.key = "t1", .label = "L1", .name = "x"}, &id,
					&missing), 0);
	ck_assert_ptr_null(missing);
	ck_assert_int_eq(contestdb_int("SELECT count(*) FROM teams"), 2);
	/* No such contest. */
	ck_assert_int_eq(db_team_create(cdb, other + 10, &(struct db_team){.key = "t9", .label = "L9", .name = "x"},
					&id, &missing), DB_E_NOT_FOUND);
	ck_assert_ptr_null(missing);
}
END_TEST

START_TEST(one_team_per_user_per_contest)
{
	int64_t alice = contestdb_user("alice");
	const char *members[] = {"alice"};
	int64_t t1 = create(&(struct db_team){.key = "t1", .label = "1", .name = "1", .members = members,
					      .member_count = 1});
	int64_t id = 0;
	const char *missing = NULL;
	const struct db_team t2 = {.key = "t2", .label = "2", .name = "2", .members = members, .member_count = 1};
	ck_assert_int_eq(db_team_create(cdb, contest, &t2, &id, &missing), DB_E_CONFLICT);
	ck_assert_str_eq(missing, "alice");
	ck_assert_int_eq(contestdb_int("SELECT count(*) FROM teams"), 1);
	int64_t team = 0;
	ck_assert_int_eq(db_team_of_user(cdb, contest, alice, &team), 0);
	ck_assert_int_eq(team, t1);
	/* In another contest she may be in a team too. */
	int64_t other = contestdb_contest("c2", 0);
	ck_assert_int_eq(db_team_create(cdb, other, &t2, &id, &missing), 0);
	ck_assert_int_eq(db_team_of_user(cdb, other, alice, &team), 0);
	ck_assert_int_eq(team, id);
	ck_assert_int_eq(db_team_of_user(cdb, contest + 100, alice, &team), DB_E_NOT_FOUND);
	/* Listed twice in one team is still one membership. */
	const char *twice[] = {"alice", "alice"};
	ck_assert_int_eq(db_team_update(cdb, t1, &(struct db_team){.key = "t1", .label = "1", .name = "1",
								  .members = twice, .member_count = 2}, &missing), 0);
	ck_assert_int_eq(contestdb_int("SELECT count(*) FROM team_members"), 2);
}
END_TEST

START_TEST(missing_references_are_named)
{
	add_refs();
	contestdb_user("alice");
	int64_t id = 0;
	const char *missing = NULL;
	ck_assert_int_eq(db_team_create(cdb, contest, &(struct db_team){.key = "t", .label = "t", .name = "t",
								      .organization = "nowhere"}, &id, &missing),
			 DB_E_NOT_FOUND);
	ck_assert_str_eq(missing, "nowhere");
	const char *groups[] = {"students", "ghosts"};
	ck_assert_int_eq(db_team_create(cdb, contest, &(struct db_team){.key = "t", .label = "t", .name = "t",
								      .groups = groups, .group_count = 2}, &id,
					&missing), DB_E_NOT_FOUND);
	ck_assert_str_eq(missing, "ghosts");
	const char *members[] = {"alice", "carol"};
	ck_assert_int_eq(db_team_create(cdb, contest, &(struct db_team){.key = "t", .label = "t", .name = "t",
								      .members = members, .member_count = 2}, &id,
					&missing), DB_E_NOT_FOUND);
	ck_assert_str_eq(missing, "carol");
	/* Nothing of the failed writes stays. */
	ck_assert_int_eq(contestdb_int("SELECT count(*) FROM teams"), 0);
	ck_assert_int_eq(contestdb_int("SELECT count(*) FROM team_members"), 0);
	ck_assert_int_eq(contestdb_int("SELECT count(*) FROM team_groups"), 0);
	/* A group of another contest is not this one's. */
	int64_t other = contestdb_contest("c2", 0);
	ck_assert_int_eq(db_team_create(cdb, other, &(struct db_team){.key = "t", .label = "t", .name = "t",
								    .groups = groups, .group_count = 1}, &id,
					&missing), DB_E_NOT_FOUND);
	ck_assert_str_eq(missing, "students");
}
END_TEST

START_TEST(update_replaces_groups_and_members)
{
	add_refs();
	int64_t alice = contestdb_user("alice");
	int64_t bob = contestdb_user("bob");
	const char *g1[] = {"students"}, *m1[] = {"alice"};
	int64_t id = create(&(struct db_team){.key = "t1", .label = "1", .name = "One", .organization = "uni",
					      .groups = g1, .group_count = 1, .members = m1, .member_count = 1});
	int64_t seq = db_seq(cdb);
	const char *g2[] = {"observers"}, *m2[] = {"bob"};
	const char *missing = "x";
	const struct db_team t = {.key = "k1", .label = "L", .name = "Renamed", .groups = g2, .group_count = 1,
				  .members = m2, .member_count = 1};
	ck_assert_int_eq(db_team_update(cdb, id, &t, &missing), 0);
	ck_assert_ptr_null(missing);
	struct db_team got;
	ck_assert_int_eq(db_team_get(cdb, id, &got), 0);
	ck_assert_int_gt(got.seq, seq);
	ck_assert_str_eq(got.key, "k1");
	ck_assert_str_eq(got.name, "Renamed");
	ck_assert_ptr_null(got.organization);
	ck_assert_uint_eq(got.group_count, 1);
	ck_assert_str_eq(got.groups[0], "observers");
	ck_assert_uint_eq(got.member_count, 1);
	ck_assert_str_eq(got.members[0], "bob");
	db_team_release(&got);
	int64_t team;
	ck_assert_int_eq(db_team_of_user(cdb, contest, alice, &team), DB_E_NOT_FOUND);
	ck_assert_int_eq(db_team_of_user(cdb, contest, bob, &team), 0);
	ck_assert_int_eq(team, id);
	/* A failed update changes nothing. */
	const char *m3[] = {"alice", "nobody"};
	const struct db_team bad = {.key = "k2", .label = "L2", .name = "Bad", .members = m3, .member_count = 2};
	ck_assert_int_eq(db_team_update(cdb, id, &bad, &missing), DB_E_NOT_FOUND);
	ck_assert_str_eq(missing, "nobody");
	ck_assert_int_eq(db_team_get(cdb, id, &got), 0);
	ck_assert_str_eq(got.key, "k1");
	ck_assert_str_eq(got.members[0], "bob");
	db_team_release(&got);
	ck_assert_int_eq(db_team_update(cdb, id + 50, &t, &missing), DB_E_NOT_FOUND);
	ck_assert_ptr_null(missing);
}
END_TEST

START_TEST(delete_leaves_a_tombstone)
{
	int64_t alice = contestdb_user("alice");
	const char *members[] = {"alice"};
	int64_t id = create(&(struct db_team){.key = "t1", .label = "1", .name = "1", .members = members,
					      .member_count = 1});
	ck_assert_int_eq(db_team_delete(cdb, id), 0);
	struct db_team got;
	ck_assert_int_eq(db_team_get(cdb, id, &got), DB_E_NOT_FOUND);
	int64_t team;
	ck_assert_int_eq(db_team_of_user(cdb, contest, alice, &team), DB_E_NOT_FOUND);
	ck_assert(contestdb_logged(DB_KIND_TEAM, id, contest, true));
	ck_assert_int_eq(db_team_delete(cdb, id), DB_E_NOT_FOUND);
	/* A new team never takes the deleted one's id. */
	int64_t next = create(&(struct db_team){.key = "t1", .label = "1", .name = "1"});
	ck_assert_int_gt(next, id);
}
END_TEST

START_TEST(import_creates_and_updates_by_key)
{
	add_refs();
	contestdb_user("alice");
	const struct db_organization orgs[] = {{.key = "uni", .name = "Renamed U", .formal_name = "The U"},
					       {.key = "poly", .name = "Poly"}};
	const struct db_team_group groups[] = {{.key = "site1", .name = "Site 1", .type = "site"}};
	const char *g[] = {"site1", "students"}, *m[] = {"alice"};
	const struct db_team teams[] = {
		{.key = "t1", .label = "1", .name = "One", .organization = "poly", .groups = g, .group_count = 2,
		 .members = m, .member_count = 1},
		{.key = "t2", .label = "2", .name = "Two", .organization = "uni"},
	};
	const struct db_account accounts[] = {{.username = "t2user", .password_hash = "h2", .team = "t2"},
					      {.username = "judge", .password_hash = "hj", .role = DB_ROLE_JURY}};
	const struct db_import imp = {orgs, 2, groups, 1, teams, 2, accounts, 2};
	const char *missing = "x";
	ck_assert_int_eq(db_contest_import(cdb, contest, &imp, &missing), 0);
	ck_assert_ptr_null(missing);
	ck_assert_int_eq(contestdb_int("SELECT count(*) FROM organizations"), 2);
	ck_assert_int_eq(contestdb_int("SELECT count(*) FROM groups"), 3);
	ck_assert_int_eq(contestdb_int("SELECT count(*) FROM organizations WHERE key = 'uni' AND name = 'Renamed U'"
				       " AND formal_name = 'The U' AND country = ''"), 1);
	struct db_user u;
	char *hash = NULL;
	ck_assert_int_eq(db_user_by_name(cdb, "judge", &u, &hash), 0);
	ck_assert_int_eq(u.role, DB_ROLE_JURY);
	ck_assert_str_eq(hash, "hj");
	free(hash);
	ck_assert_int_eq(db_user_by_name(cdb, "t2user", &u, NULL), 0);
	int64_t t2 = 0;
	ck_assert_int_eq(db_team_of_user(cdb, contest, u.id, &t2), 0);
	struct db_team got;
	ck_assert_int_eq(db_team_get(cdb, t2, &got), 0);
	ck_assert_str_eq(got.key, "t2");
	ck_assert_str_eq(got.members[0], "t2user");
	db_team_release(&got);

	/* Again: the teams are updated by key, not added. */
	const struct db_import again = {.teams = teams, .team_count = 1};
	ck_assert_int_eq(db_contest_import(cdb, contest, &again, &missing), 0);
	ck_assert_int_eq(contestdb_int("SELECT count(*) FROM teams"), 2);
}
END_TEST

START_TEST(import_is_all_or_nothing)
{
	add_refs();
	contestdb_user("alice");
	int64_t seq = db_seq(cdb);
	const struct db_organization orgs[] = {{.key = "poly", .name = "Poly"}};
	const char *m[] = {"alice"}, *bad[] = {"ghost"};
	const struct db_team teams[] = {
		{.key = "t1", .label = "1", .name = "One", .members = m, .member_count = 1},
		{.key = "t2", .label = "2", .name = "Two", .members = bad, .member_count = 1},
		{.key = "t3", .label = "3", .name = "Three"},
	};
	const struct db_import imp = {.organizations = orgs, .organization_count = 1, .teams = teams, .team_count = 3};
	const char *missing = NULL;
	ck_assert_int_eq(db_contest_import(cdb, contest, &imp, &missing), DB_E_NOT_FOUND);
	ck_assert_str_eq(missing, "ghost");
	ck_assert_int_eq(contestdb_int("SELECT count(*) FROM teams"), 0);
	ck_assert_int_eq(contestdb_int("SELECT count(*) FROM organizations"), 1);
	ck_assert_int_eq(contestdb_int("SELECT count(*) FROM team_members"), 0);
	ck_assert_int_eq(db_seq(cdb), seq);

	/* An account whose name is taken, after good teams and accounts: nothing. */
	const struct db_account accounts[] = {{.username = "new1", .password_hash = "h", .team = "t1"},
					      {.username = "alice", .password_hash = "h"}};
	const struct db_import imp2 = {.teams = teams, .team_count = 1, .accounts = accounts, .account_count = 2};
	ck_assert_int_eq(db_contest_import(cdb, contest, &imp2, &missing), DB_E_CONFLICT);
	ck_assert_str_eq(missing, "alice");
	ck_assert_int_eq(contestdb_int("SELECT count(*) FROM users"), 1);
	ck_assert_int_eq(contestdb_int("SELECT count(*) FROM teams"), 0);
	/* An account of a team that is not there. */
	const struct db_account lost[] = {{.username = "new1", .password_hash = "h", .team = "t9"}};
	const struct db_import imp3 = {.accounts = lost, .account_count = 1};
	ck_assert_int_eq(db_contest_import(cdb, contest, &imp3, &missing), DB_E_NOT_FOUND);
	ck_assert_str_eq(missing, "t9");
	ck_assert_int_eq(contestdb_int("SELECT count(*) FROM users"), 1);
	ck_assert_int_eq(db_seq(cdb), seq);
	/* A contest that is not there. */
	ck_assert_int_eq(db_contest_import(cdb, contest + 9, &imp3, &missing), DB_E_NOT_FOUND);
	ck_assert_ptr_null(missing);
}
END_TEST

START_TEST(classroom_team_is_made_once)
{
	int64_t alice = contestdb_user("alice");
	int64_t id = 0, again = 0;
	ck_assert_int_eq(db_team_for_student(cdb, contest, alice, &id), 0);
	ck_assert_int_gt(id, 0);
	int64_t seq = db_seq(cdb);
	ck_assert_int_eq(db_team_for_student(cdb, contest, alice, &again), 0);
	ck_assert_int_eq(again, id);
	ck_assert_int_eq(db_seq(cdb), seq); /* nothing written the second time */
	struct db_team got;
	ck_assert_int_eq(db_team_get(cdb, id, &got), 0);
	ck_assert_str_eq(got.key, "alice");
	ck_assert_str_eq(got.label, "alice");
	ck_assert_str_eq(got.name, "alice");
	ck_assert_uint_eq(got.member_count, 1);
	ck_assert_str_eq(got.members[0], "alice");
	db_team_release(&got);
	ck_assert_int_eq(contestdb_int("SELECT count(*) FROM teams"), 1);
	ck_assert_int_eq(db_team_for_student(cdb, contest, alice + 100, &id), DB_E_NOT_FOUND);
	ck_assert_int_eq(db_team_for_student(cdb, contest + 100, alice, &id), DB_E_NOT_FOUND);
}
END_TEST

static void note_org(void *ctx, const struct db_organization *o)
{
	int *n = ctx;
	(*n)++;
	ck_assert(contestdb_logged(DB_KIND_ORGANIZATION, o->id, o->contest_id, false));
	ck_assert_int_gt(o->seq, 0);
	ck_assert_str_eq(o->country, "NLD");
	ck_assert_ptr_null(o->icpc_id);
}

static void note_group(void *ctx, const struct db_team_group *g)
{
	int *n = ctx;
	ck_assert(contestdb_logged(DB_KIND_TEAM_GROUP, g->id, g->contest_id, false));
	ck_assert_int_gt(g->seq, 0);
	ck_assert_int_eq(g->hidden, strcmp(g->key, "observers") == 0);
	ck_assert_str_eq(g->type, "");
	(*n)++;
}

START_TEST(changes_are_in_the_contest_scope)
{
	int64_t other = contestdb_contest("c2", 0);
	add_refs();
	int orgs = 0;
	db_organizations_list(cdb, contest, note_org, &orgs);
	ck_assert_int_eq(orgs, 1);
	int groups = 0;
	db_team_groups_list(cdb, contest, note_group, &groups);
	ck_assert_int_eq(groups, 2);
	db_team_groups_list(cdb, other, note_group, &groups);
	ck_assert_int_eq(groups, 2);
	int64_t id = create(&(struct db_team){.key = "t1", .label = "1", .name = "1"});
	ck_assert(contestdb_logged(DB_KIND_TEAM, id, contest, false));
	ck_assert(!contestdb_logged(DB_KIND_TEAM, id, other, false));
	struct db_change ch[8];
	/* Each contest's scope: the contest itself, then (c1 only) its organization, groups and team. */
	ck_assert_uint_eq(db_changes_since(cdb, DB_KIND_NONE, DB_KIND_CONTEST, other, 0, ch, 8), 1);
	ck_assert_uint_eq(db_changes_since(cdb, DB_KIND_NONE, DB_KIND_CONTEST, contest, 0, ch, 8), 5);
}
END_TEST

int main(void)
{
	log_set_level(LOG_WARN);
	Suite *s = suite_create("db-teams");
	TCase *tc = tcase_create("teams");
	tcase_add_checked_fixture(tc, setup, contestdb_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, team_round_trip);
	tcase_add_test(tc, teams_list_by_contest);
	tcase_add_test(tc, key_and_label_conflicts_name_what_is_taken);
	tcase_add_test(tc, one_team_per_user_per_contest);
	tcase_add_test(tc, missing_references_are_named);
	tcase_add_test(tc, update_replaces_groups_and_members);
	tcase_add_test(tc, delete_leaves_a_tombstone);
	tcase_add_test(tc, import_creates_and_updates_by_key);
	tcase_add_test(tc, import_is_all_or_nothing);
	tcase_add_test(tc, classroom_team_is_made_once);
	tcase_add_test(tc, changes_are_in_the_contest_scope);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
