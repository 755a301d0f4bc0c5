/* Unit tests for contest_files: the CLICS contest package files of
 * tests/contests/nwerc (read one by one and as a zip), class rosters, and the
 * refusals, each naming the file, line and field. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "contest_files.h"
#include "util.h"
#include "zipbuild.h"

static const char *const package_files[] = {"contest.yaml", "problems.yaml", "organizations.json", "groups.json",
					    "teams.json", "accounts.yaml"};

static char *read_package_file(const char *name, size_t *len)
{
	const char *dir = getenv("TEST_CONTESTS");
	ck_assert_ptr_nonnull(dir);
	char path[512];
	snprintf(path, sizeof path, "%s/nwerc/%s", dir, name);
	char *data;
	ck_assert_int_eq(read_file(path, 1 << 20, &data, len), 0);
	return data;
}

static void check_nwerc(const struct contest_files *cf)
{
	ck_assert(cf->has_contest);
	ck_assert_str_eq(cf->contest.shortname, "nwerc-mini");
	ck_assert_str_eq(cf->contest.name, "NWERC mini");
	ck_assert_str_eq(cf->contest.formal_name, "Northwestern Europe Regional Contest, mini edition");
	ck_assert_int_eq(cf->contest.start_ms, 1921741200000LL); /* 2030-11-24T09:00:00Z */
	ck_assert_int_eq(cf->contest.duration_ms, 5 * 3600 * 1000);
	ck_assert_int_eq(cf->contest.freeze_ms, 3600 * 1000);
	ck_assert_int_eq(cf->contest.penalty_min, 20);
	ck_assert_str_eq(cf->contest.scoring, "icpc");

	ck_assert_uint_eq(cf->problem_count, 2);
	ck_assert_str_eq(cf->problems[0].slug, "hello");
	ck_assert_str_eq(cf->problems[0].label, "A");
	ck_assert_str_eq(cf->problems[0].color, "#e53935");
	ck_assert_str_eq(cf->problems[1].slug, "sum");
	ck_assert_str_eq(cf->problems[1].color, "#1e88e5");

	ck_assert_uint_eq(cf->organization_count, 2);
	ck_assert_str_eq(cf->organizations[0].key, "kth");
	ck_assert_str_eq(cf->organizations[0].formal_name, "KTH Royal Institute of Technology");
	ck_assert_str_eq(cf->organizations[0].country, "SWE");
	ck_assert_str_eq(cf->organizations[0].icpc_id, "1234");
	ck_assert_ptr_null(cf->organizations[1].icpc_id);

	ck_assert_uint_eq(cf->group_count, 2);
	ck_assert_str_eq(cf->groups[1].key, "observers");
	ck_assert(cf->groups[1].hidden);
	ck_assert(!cf->groups[0].hidden);

	ck_assert_uint_eq(cf->team_count, 3);
	ck_assert_str_eq(cf->teams[0].key, "t1");
	ck_assert_str_eq(cf->teams[0].label, "1");
	ck_assert_str_eq(cf->teams[0].display_name, "Omogen Heap (KTH)");
	ck_assert_str_eq(cf->teams[0].organization, "kth");
	ck_assert_uint_eq(cf->teams[0].group_count, 1);
	ck_assert_str_eq(cf->teams[0].groups[0], "participants");
	ck_assert_uint_eq(cf->teams[0].member_count, 0); /* DOMjudge's free-text members */
	ck_assert_str_eq(cf->teams[2].label, "t3");      /* the label defaults to the id */
	ck_assert_ptr_null(cf->teams[2].organization);
	ck_assert(cf->teams[2].hidden);

	ck_assert_uint_eq(cf->account_count, 3);
	ck_assert_str_eq(cf->accounts[0].username, "nwerc-team1");
	ck_assert_str_eq(cf->accounts[0].password, "correct-horse-1");
	ck_assert_str_eq(cf->accounts[0].team, "t1");
	ck_assert_int_eq(cf->accounts[0].role, DB_ROLE_USER);
	ck_assert_ptr_null(cf->accounts[1].password);
	ck_assert_int_eq(cf->accounts[2].role, DB_ROLE_JURY);
	ck_assert_ptr_null(cf->accounts[2].team);
	ck_assert_str_eq(cf->accounts[1].where, "accounts.yaml: line 7: item 2");
	ck_assert_str_eq(cf->team_where[1], "teams.json: line 4: item 2");
}

START_TEST(package_files_one_by_one)
{
	struct contest_files cf;
	contest_files_init(&cf);
	for (size_t i = 0; i < sizeof package_files / sizeof package_files[0]; i++) {
		size_t len;
		char *data = read_package_file(package_files[i], &len);
		char *err = NULL;
		ck_assert_msg(contest_files_add(&cf, package_files[i], data, len, &err) == 0, "%s", err);
		free(data);
	}
	check_nwerc(&cf);
	/* What the store would report missing, back to where it comes from. */
	char *w = contest_files_where(&cf, "observers", false);
	ck_assert_str_eq(w, "teams.json: line 6: item 3: field 'group_ids': group 'observers' does not exist");
	free(w);
	w = contest_files_where(&cf, "nwerc-team2", true);
	ck_assert_str_eq(w, "accounts.yaml: line 7: item 2: field 'username': user 'nwerc-team2' already exists");
	free(w);
	ck_assert_ptr_null(contest_files_where(&cf, "nobody", false));
	contest_files_release(&cf);
}
END_TEST

START_TEST(package_zip_in_a_folder)
{
	struct zip z;
	zip_begin(&z);
	for (size_t i = 0; i < sizeof package_files / sizeof package_files[0]; i++) {
		size_t len;
		char *data = read_package_file(package_files[i], &len);
		char name[128];
		snprintf(name, sizeof name, "nwerc/%s", package_files[i]);
		zip_filen(&z, name, data, len);
		free(data);
	}
	zip_file(&z, "nwerc/problems/hello/problem.yaml", "name: Hello\n");
	zip_file(&z, "nwerc/.DS_Store", "junk");
	zip_end(&z);
	struct contest_files cf;
	contest_files_init(&cf);
	char *err = NULL;
	ck_assert_msg(contest_files_read_zip(&cf, z.out.data, z.out.len, &err) == 0, "%s", err);
	check_nwerc(&cf);
	contest_files_release(&cf);
	zip_release(&z);

	/* A zip with none of the files. */
	zip_begin(&z);
	zip_file(&z, "readme.txt", "hello");
	zip_end(&z);
	contest_files_init(&cf);
	ck_assert_int_eq(contest_files_read_zip(&cf, z.out.data, z.out.len, &err), CONTEST_FILES_E_INVALID);
	ck_assert_msg(strstr(err, "not found") != NULL, "%s", err);
	free(err);
	contest_files_release(&cf);
	zip_release(&z);
}
END_TEST

/* Each bad file: its name, its text, and the message it must give. */
static const char *const bad_files[][3] = {
	{"teams.json", "[{\"id\": \"a\", \"name\": \"A\"},\n {\"id\": \"a b\"}]",
	 "teams.json: line 2: item 2: field 'id': 'a b' is not an id"},
	{"teams.json", "[{\"id\": \"a\"},\n{\"id\": \"b\"},\n{\"id\": \"c\", \"group_ids\": \"x\"}]",
	 "teams.json: line 3: item 3: field 'group_ids': must be an array of strings"},
	{"teams.json", "[{\"id\": \"a\"}, {\"id\": \"a\"}]", "teams.json: line 1: item 2: field 'id': 'a' appears twice"},
	{"teams.json", "[{\"id\": \"a\", \"label\": \"1\"}, {\"id\": \"b\", \"label\": \"1\"}]",
	 "teams.json: line 1: item 2: field 'label': 'label:1' appears twice"},
	{"teams.json", "[{\"name\": \"no id\"}]", "teams.json: line 1: item 1: field 'id': missing"},
	{"teams.json", "{\"id\": \"a\"}", "teams.json: must be a list of items"},
	{"teams.json", "[{\"id\": \"a\",]", "teams.json: line 1:"},
	{"teams.json", "[{\"id\": \"a\\u0000b\"}]", "teams.json: a string holds a NUL character (\\u0000)"},
	{"teams.json", "[{\"id\": \"a\", \"hidden\": \"yes\"}]", "teams.json: line 1: item 1: field 'hidden': must be true or false"},
	{"teams.json", "[\"a\"]", "teams.json: line 1: item 1: must be an object of fields"},
	{"organizations.json", "[{\"id\": \"o\", \"country\": \"Sweden\"}]",
	 "organizations.json: line 1: item 1: field 'country': 'Sweden' is not an ISO 3166-1 alpha-3 code"},
	{"groups.json", "[{\"id\": \"g\", \"name\": [1]}]", "groups.json: line 1: item 1: field 'name': must be a string"},
	{"accounts.yaml", "- username: a\n  type: team\n- username: b\n  type: balloon\n",
	 "accounts.yaml: line 3: item 2: field 'type': 'balloon' is not one of team, judge, jury or admin"},
	{"accounts.yaml", "- username: a\n- password: x\n", "accounts.yaml: line 2: item 2: field 'username': missing"},
	{"accounts.yaml", "- username: a\n  username: b\n", "accounts.yaml: line 2: duplicate key 'username'"},
	{"accounts.yaml", "- &x {username: a}\n- *x\n", "accounts.yaml: line 2: aliases are not supported"},
	{"accounts.yaml", "- username: [a\n", "accounts.yaml: line 2:"},
	{"contest.yaml", "id: c\nname: C\nduration: 5 hours\n",
	 "contest.yaml: line 3: field 'duration': '5 hours' is not a duration h:mm:ss"},
	{"contest.yaml", "name: C\nduration: 5:00:00\n", "contest.yaml: field 'id': missing"},
	{"contest.yaml", "id: Big\nduration: 5:00:00\n", "contest.yaml: line 1: field 'id': 'Big' must be 1 to 36 of [a-z0-9_-]"},
	{"contest.yaml", "id: c\nstart_time: tomorrow\nduration: 1:00:00\n",
	 "contest.yaml: line 2: field 'start_time': 'tomorrow' is not an RFC 3339 time"},
	{"contest.yaml", "id: c\nduration: 1:00:00\nscoreboard_freeze_duration: 2:00:00\n",
	 "contest.yaml: line 3: field 'scoreboard_freeze_duration': is longer than the contest"},
	{"contest.yaml", "id: c\nduration: 1:00:00\nscoreboard_type: golf\n",
	 "contest.yaml: line 3: field 'scoreboard_type': 'golf' is not pass-fail or score"},
	{"contest.yaml", "- id: c\n", "contest.yaml: must be a mapping of fields"},
	{"problems.yaml", "- id: a\n  label: A\n- id: b\n  label: A\n",
	 "problems.yaml: line 3: item 2: field 'label': 'label:A' appears twice"},
	{"problems.yaml", "- id: a\n", "problems.yaml: line 1: item 1: field 'label': missing"},
	{"problems.yaml", "- id: a\n  label: A\n  rgb: blue\n", "problems.yaml: line 1: item 1: field 'rgb': 'blue' is not a colour"},
};

START_TEST(bad_files_name_file_line_and_field)
{
	for (size_t i = 0; i < sizeof bad_files / sizeof bad_files[0]; i++) {
		struct contest_files cf;
		contest_files_init(&cf);
		char *err = NULL;
		int rc = contest_files_add(&cf, bad_files[i][0], bad_files[i][1], strlen(bad_files[i][1]), &err);
		ck_assert_msg(rc == CONTEST_FILES_E_INVALID, "accepted %s: %s", bad_files[i][0], bad_files[i][1]);
		ck_assert_msg(strncmp(err, bad_files[i][2], strlen(bad_files[i][2])) == 0, "case %zu: got '%s', want '%s'",
			      i, err, bad_files[i][2]);
		free(err);
		contest_files_release(&cf);
	}
}
END_TEST

START_TEST(contest_yaml_variants)
{
	static const char text[] = "id: ioi-day1\nstart-time: 2030-01-01T00:00:00.250Z\nduration: 0:30:00.5\n"
				   "scoreboard-freeze-length: 0:00:00\npenalty-time: 0:05:00\nscoreboard_type: score\n";
	struct contest_files cf;
	contest_files_init(&cf);
	char *err = NULL;
	ck_assert_msg(contest_files_add(&cf, "contest.yaml", text, strlen(text), &err) == 0, "%s", err);
	ck_assert_str_eq(cf.contest.name, "ioi-day1");
	ck_assert_int_eq(cf.contest.start_ms, 1893456000250LL);
	ck_assert_int_eq(cf.contest.duration_ms, 1800500);
	ck_assert_int_eq(cf.contest.freeze_ms, 0);
	ck_assert_int_eq(cf.contest.penalty_min, 5);
	ck_assert_str_eq(cf.contest.scoring, "ioi");
	/* The same kind twice. */
	ck_assert_int_eq(contest_files_add(&cf, "contest.json", "{}", 2, &err), CONTEST_FILES_E_INVALID);
	ck_assert_str_eq(err, "contest.json: contest.yaml is there too, give one of them");
	free(err);
	/* Unknown files are ignored. */
	ck_assert_int_eq(contest_files_add(&cf, "event-feed.ndjson", "x", 1, &err), 0);
	contest_files_release(&cf);

	static const char legacy[] = "problems:\n  - short-name: hello\n    letter: A\n    rgb: 00ff00\n";
	contest_files_init(&cf);
	ck_assert_msg(contest_files_add(&cf, "problemset.yaml", legacy, strlen(legacy), &err) == 0, "%s", err);
	ck_assert_uint_eq(cf.problem_count, 1);
	ck_assert_str_eq(cf.problems[0].slug, "hello");
	ck_assert_str_eq(cf.problems[0].label, "A");
	ck_assert_str_eq(cf.problems[0].color, "#00ff00");
	contest_files_release(&cf);
	/* a CLICS contest object as exported: the thaw and a paused countdown */
	static const char clics[] = "{\"id\": \"c\", \"duration\": \"5:00:00.000\", \"start_time\": null,"
				    " \"scoreboard_thaw_time\": \"2030-01-01T00:00:00.250Z\","
				    " \"countdown_pause_time\": \"0:10:00.000\", \"penalty_time\": 20}";
	contest_files_init(&cf);
	ck_assert_msg(contest_files_add(&cf, "contest.json", clics, strlen(clics), &err) == 0, "%s", err);
	ck_assert_int_eq(cf.contest.thaw_at_ms, 1893456000250LL);
	ck_assert_int_eq(cf.contest.countdown_pause_ms, 600000);
	contest_files_release(&cf);
	static const char both[] = "{\"id\": \"c\", \"duration\": \"5:00:00\", \"start_time\": \"2030-01-01T00:00:00Z\","
				   " \"countdown_pause_time\": \"0:10:00\"}";
	contest_files_init(&cf);
	ck_assert_int_eq(contest_files_add(&cf, "contest.json", both, strlen(both), &err), CONTEST_FILES_E_INVALID);
	ck_assert_msg(strstr(err, "countdown_pause_time"), "%s", err);
	free(err);
	contest_files_release(&cf);
}
END_TEST

START_TEST(times)
{
	int64_t ms;
	ck_assert(contest_files_parse_time("1970-01-01T00:00:00Z", &ms) && ms == 0);
	ck_assert(contest_files_parse_time("2026-12-03T10:00:00+01:00", &ms) && ms == 1796288400000LL);
	ck_assert(contest_files_parse_time("2026-12-03 09:00:00.5z", &ms) && ms == 1796288400500LL);
	ck_assert(!contest_files_parse_time("2026-02-30T10:00:00Z", &ms));
	ck_assert(!contest_files_parse_time("2026-12-03T10:00:00", &ms));
	ck_assert(!contest_files_parse_time("2026-12-03T10:00:00+0100", &ms));
	ck_assert(contest_files_parse_reltime("5:00:00", &ms) && ms == 18000000);
	ck_assert(contest_files_parse_reltime("-0:00:01.25", &ms) && ms == -1250);
	ck_assert(contest_files_parse_reltime("120:00:00", &ms) && ms == 432000000);
	ck_assert(!contest_files_parse_reltime("5:0:00", &ms));
	ck_assert(!contest_files_parse_reltime("5:60:00", &ms));
	ck_assert(!contest_files_parse_reltime("5:00", &ms));
	ck_assert(!contest_files_parse_reltime("5:00:00.", &ms));
}
END_TEST

START_TEST(roster_rows)
{
	static const char text[] = "\xef\xbb\xbfUsername,Name,Password\r\n"
				   "alice,Alice Liddell,wonderland-1\r\n"
				   "\r\n"
				   "bob , \"Bob \"\"the builder\"\", Jr.\"\r\n"
				   "carol\n";
	struct contest_files cf;
	contest_files_init(&cf);
	char *err = NULL;
	ck_assert_msg(contest_files_roster(&cf, "roster.csv", text, strlen(text), &err) == 0, "%s", err);
	ck_assert_uint_eq(cf.team_count, 3);
	ck_assert_uint_eq(cf.account_count, 3);
	ck_assert_str_eq(cf.teams[0].key, "alice");
	ck_assert_str_eq(cf.teams[0].label, "alice");
	ck_assert_str_eq(cf.teams[0].name, "Alice Liddell");
	ck_assert_str_eq(cf.accounts[0].password, "wonderland-1");
	ck_assert_str_eq(cf.accounts[0].team, "alice");
	ck_assert_str_eq(cf.teams[1].name, "Bob \"the builder\", Jr.");
	ck_assert_str_eq(cf.accounts[1].username, "bob");
	ck_assert_ptr_null(cf.accounts[1].password);
	ck_assert_str_eq(cf.accounts[1].where, "roster.csv: line 4");
	ck_assert_str_eq(cf.teams[2].name, "carol");
	contest_files_release(&cf);
}
END_TEST

static const char *const bad_rosters[][2] = {
	{"alice,A\nbob,B\nalice,C\n", "roster.csv: line 3: field 'username': 'alice' appears twice (lines 1 and 3)"},
	{"alice,A\n\nbo b,B\n", "roster.csv: line 3: field 'username': 'bo b' must be 1 to 32"},
	{"alice,A,pw,extra\n", "roster.csv: line 1: expected username,name[,password], got 4 fields"},
	{"alice,\"A\nB\",pw1234567\nbob,x\"y\n", "roster.csv: line 3: a quoted field must be quoted whole"},
	{"username,name\n", "roster.csv: no rows"},
	{"\xff,x\n", "roster.csv: not UTF-8"},
};

START_TEST(bad_rosters_name_the_line)
{
	for (size_t i = 0; i < sizeof bad_rosters / sizeof bad_rosters[0]; i++) {
		struct contest_files cf;
		contest_files_init(&cf);
		char *err = NULL;
		int rc = contest_files_roster(&cf, "roster.csv", bad_rosters[i][0], strlen(bad_rosters[i][0]), &err);
		ck_assert_msg(rc == CONTEST_FILES_E_INVALID, "accepted %s", bad_rosters[i][0]);
		ck_assert_msg(strncmp(err, bad_rosters[i][1], strlen(bad_rosters[i][1])) == 0, "got '%s', want '%s'", err,
			      bad_rosters[i][1]);
		free(err);
		contest_files_release(&cf);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("contest-files");
	TCase *tc = tcase_create("package");
	tcase_add_test(tc, package_files_one_by_one);
	tcase_add_test(tc, package_zip_in_a_folder);
	tcase_add_test(tc, bad_files_name_file_line_and_field);
	tcase_add_test(tc, contest_yaml_variants);
	tcase_add_test(tc, times);
	suite_add_tcase(s, tc);
	tc = tcase_create("roster");
	tcase_add_test(tc, roster_rows);
	tcase_add_test(tc, bad_rosters_name_the_line);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
