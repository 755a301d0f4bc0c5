/* Jury submissions: a package's submissions/ are judged at import and checked
 * against their folders (tests/packages/jury-sum: one mis-filed, one whose
 * DOMjudge comment overrides its folder, one in Java, one of several files),
 * the missing time limit is derived from the slowest accepted one, and none of
 * them ever reaches a user: not the REST lists, not a submission by id, not
 * the problem's or the submission's WebSocket, not a contest's CLICS
 * submissions, event feed or scoreboard. One server for the file. */
#include <check.h>
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common.h"
#include "ws_helpers.h"
#include "../unit/zipbuild.h"

static struct server srv;
static char user_token[64];
static long long problem;
static json_t *report;   /* the verification report once complete */

/* ---- the package, zipped ---- */

static struct zip *walk_zip;
static size_t walk_root;
static const char *walk_name;

static int add_file(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type != FTW_F)
		return 0;
	FILE *f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	char buf[65536];
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	char name[512];
	snprintf(name, sizeof name, "%s/%s", walk_name, path + walk_root + 1);
	zip_filen(walk_zip, name, buf, n);
	return 0;
}

static json_t *import_package(const char *pkg, const char *query)
{
	char dir[512];
	snprintf(dir, sizeof dir, "%s/%s", getenv("VERDICT_PACKAGES"), pkg);
	walk_name = pkg;
	struct zip z;
	zip_begin(&z);
	walk_zip = &z;
	walk_root = strlen(dir);
	ck_assert_int_eq(nftw(dir, add_file, 16, FTW_PHYS), 0);
	zip_end(&z);
	char path[128];
	snprintf(path, sizeof path, "/api/problems/import%s", query);
	struct response r;
	http_request(&r, &srv, "POST", path, srv.admin_token, "application/zip", z.out.data, z.out.len, NULL);
	ck_assert_msg(r.status == 201 || r.status == 200, "import: %ld %s", r.status, r.body);
	json_t *j = json_incref(r.json);
	response_free(&r);
	zip_release(&z);
	return j;
}

static json_t *entry_of(json_t *rep, const char *path)
{
	json_t *subs = json_object_get(rep, "submissions"), *o;
	size_t i;
	json_array_foreach(subs, i, o) {
		if (strcmp(json_string_value(json_object_get(o, "path")), path) == 0)
			return o;
	}
	ck_abort_msg("no jury submission '%s' in the report", path);
	return NULL;
}

static json_t *entry(const char *path)
{
	return entry_of(report, path);
}

/* The problem's report once every jury submission is judged. */
static json_t *complete_report(long long id)
{
	for (int i = 0; i < 600; i++) {
		json_t *rep = http_call(&srv, "GET", srv.admin_token, 200, NULL, "/api/problems/%lld/verification", id);
		if (json_is_true(json_object_get(rep, "complete")))
			return rep;
		json_decref(rep);
		sleep_ms(500);
	}
	ck_abort_msg("the jury submissions of problem %lld were never all judged", id);
	return NULL;
}

static const char *s_of(const json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v ? v : "";
}

static void start(void)
{
	server_start(&srv, NULL);
	test_create_user(&srv, "alice", false, user_token, sizeof user_token);
	json_t *imp = import_package("jury-sum", "?wait=240");
	problem = json_integer_value(json_object_get(imp, "id"));
	ck_assert_int_gt(problem, 0);
	ck_assert(json_is_object(json_object_get(imp, "verification")));
	json_decref(imp);
	/* The import waited at most 240 s; on a loaded machine the report may still be judging. */
	report = complete_report(problem);
}

static void stop(void)
{
	json_decref(report);
	server_finish(&srv);
}

/* Each jury submission against its folder: the mis-filed one fails, so the whole is not ok. */
START_TEST(report_checks_each_folder)
{
	static const struct {
		const char *path, *verdict;
	} passing[] = {
		{"accepted/sum.c", "AC"},         {"accepted/slow.c", "AC"},
		{"accepted/sum.py", "AC"},        {"wrong_answer/minus.cpp", "WA"},
		{"wrong_answer/crash_expected.c", "RTE"}, {"time_limit_exceeded/forever.c", "TLE"},
		{"run_time_error/crash.py", "RTE"},
	};
	for (size_t i = 0; i < sizeof passing / sizeof passing[0]; i++) {
		json_t *o = entry(passing[i].path);
		ck_assert_msg(strcmp(s_of(o, "result"), "pass") == 0, "%s: %s", passing[i].path, s_of(o, "result"));
		ck_assert_str_eq(s_of(o, "verdict"), passing[i].verdict);
		ck_assert(json_is_integer(json_object_get(o, "time_ms")));
		ck_assert(json_integer_value(json_object_get(o, "submission_id")) > 0);
	}
	/* The DOMjudge comment wins over the folder. */
	json_t *dj = json_object_get(entry("wrong_answer/crash_expected.c"), "expected");
	ck_assert_int_eq(json_array_size(dj), 1);
	ck_assert_str_eq(json_string_value(json_array_get(dj, 0)), "RTE");
	json_t *bad = entry("accepted/misfiled.c");
	ck_assert_str_eq(s_of(bad, "result"), "fail");
	ck_assert_str_eq(s_of(bad, "verdict"), "WA");
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(bad, "expected"), 0)), "AC");
	/* Several files: kept, not judged. */
	json_t *multi = entry("accepted/multi");
	ck_assert_str_eq(s_of(multi, "result"), "not judged");
	ck_assert_ptr_nonnull(strstr(s_of(multi, "note"), "several files"));
	/* Java: judged where the judge has it, else a note (never an error). */
	json_t *java = entry("accepted/Main.java");
	if (strcmp(s_of(java, "result"), "not judged") == 0)
		ck_assert_ptr_nonnull(strstr(s_of(java, "note"), "language not available"));
	else
		ck_assert_str_eq(s_of(java, "language"), "java");
	ck_assert(json_is_false(json_object_get(report, "ok")));
	ck_assert_int_eq(json_integer_value(json_object_get(report, "failed")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(report, "pending")), 0);
}
END_TEST

/* No time limit in the package: max(1, ceil(slowest AC * 3 / 1 s)) s, stored on the problem. */
START_TEST(time_limit_is_derived)
{
	json_t *t = json_object_get(report, "time_limit");
	ck_assert_str_eq(s_of(t, "state"), "derived");
	ck_assert(fabs(json_real_value(json_object_get(t, "ac_to_time_limit")) - 3) < 1e-9);
	long long slowest = json_integer_value(json_object_get(t, "slowest_ac_ms"));
	/* slow.c spins 0.4 s of CPU: the slowest accepted run, at least */
	ck_assert_int_ge(slowest, 380);
	ck_assert_int_ge(slowest, json_integer_value(json_object_get(entry("accepted/slow.c"), "time_ms")));
	long long units = (long long)ceil((double)slowest * 3 / 1000.0);
	long long want = (units < 1 ? 1 : units) * 1000;
	ck_assert_int_eq(json_integer_value(json_object_get(t, "time_limit_ms")), want);
	json_t *p = http_call(&srv, "GET", user_token, 200, NULL, "/api/problems/%lld", problem);
	ck_assert_int_eq(json_integer_value(json_object_get(p, "time_limit_ms")), want);
	ck_assert_int_ne(want, 1000); /* not the old 1 s default */
	json_decref(p);
	/* The others ran with the limit times time_safety_margin (legacy default 2). */
	json_t *tle = entry("time_limit_exceeded/forever.c");
	ck_assert_int_eq(json_integer_value(json_object_get(tle, "judged_with_time_limit_ms")), want * 2);
}
END_TEST

static bool lists_id(json_t *list, long long id)
{
	json_t *items = json_is_array(list) ? list : json_object_get(list, "items"), *o;
	size_t i;
	json_array_foreach(items, i, o) {
		if (json_integer_value(json_object_get(o, "id")) == id)
			return true;
	}
	return false;
}

/* Users never see them: not in the lists, not by id, not on the problem's socket. */
START_TEST(hidden_from_users)
{
	long long jury = json_integer_value(json_object_get(entry("accepted/sum.c"), "submission_id"));
	long long mine = wsh_submit(&srv, user_token, problem);
	ck_assert(wait_done(&srv, &mine, 1, 120));
	json_t *l = http_call(&srv, "GET", user_token, 200, NULL, "/api/problems/%lld/submissions", problem);
	ck_assert(lists_id(l, mine));
	ck_assert(!lists_id(l, jury));
	ck_assert_int_eq(json_integer_value(json_object_get(l, "total")), 1);
	json_decref(l);
	l = http_call(&srv, "GET", srv.admin_token, 200, NULL, "/api/submissions?problem=%lld&per_page=100", problem);
	ck_assert(lists_id(l, mine));
	ck_assert(!lists_id(l, jury));
	json_decref(l);
	json_decref(http_call(&srv, "GET", user_token, 404, NULL, "/api/submissions/%lld", jury));
	json_t *s = http_call(&srv, "GET", srv.admin_token, 200, NULL, "/api/submissions/%lld", jury);
	ck_assert(json_is_true(json_object_get(s, "jury")));
	json_decref(s);
	ck_assert_int_eq(wsh_status(&srv, NULL, "/ws/submissions/%lld/?token=%s", jury, user_token), 403);

	/* The problem's socket from the start: a rejudge of a jury submission never shows, the user's does. */
	struct ws_client *c = wsh_open(&srv, NULL, "/ws/problems/%lld/submissions/?after=0&token=%s", problem, user_token);
	wsh_rejudge(&srv, jury);
	wsh_rejudge(&srv, mine);
	long long ids[2] = {jury, mine};
	ck_assert(wait_done(&srv, ids, 2, 120));
	json_t *got = json_array();
	collect(c, got, 1500, NULL, NULL);
	bool saw_mine = false;
	json_t *m;
	size_t i;
	json_array_foreach(got, i, m) {
		long long id = json_integer_value(json_object_get(m, "submission_id"));
		ck_assert_int_ne(id, jury);
		saw_mine |= id == mine;
	}
	ck_assert(saw_mine);
	json_decref(got);
	ws_client_free(c);
}
END_TEST

/* In a contest with the problem: the team's CLICS submissions, event feed and scoreboard hold its own only. */
START_TEST(hidden_from_contests)
{
	char start_at[32];
	time_t t = time(NULL) - 60;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(start_at, sizeof start_at, "%Y-%m-%dT%H:%M:%SZ", &tm);
	char body[512];
	snprintf(body, sizeof body,
		 "{\"shortname\": \"jc\", \"name\": \"Jury check\", \"start_time\": \"%s\", \"duration_s\": 7200,"
		 " \"freeze_s\": 0, \"public\": true, \"problems\": [{\"problem_id\": %lld, \"label\": \"A\"}]}",
		 start_at, problem);
	json_t *c = http_call(&srv, "POST", srv.admin_token, 201, body, "/api/contests");
	long long contest = json_integer_value(json_object_get(c, "id"));
	json_decref(c);
	json_decref(http_call(&srv, "POST", srv.admin_token, 201,
			      "{\"key\": \"t1\", \"name\": \"Team one\", \"members\": [\"alice\"]}",
			      "/api/contests/%lld/teams", contest));
	/* A rejudge of every jury submission while the contest runs. */
	json_decref(http_call(&srv, "POST", srv.admin_token, 202, NULL, "/api/problems/%lld/rejudge", problem));
	json_t *sub = http_call(&srv, "POST", user_token, 201, "{\"language\": \"c\", \"source\": \"" WSH_SOURCE "\"}",
				"/api/contests/%lld/problems/A/submissions", contest);
	long long mine = json_integer_value(json_object_get(sub, "id"));
	json_decref(sub);
	ck_assert(wait_done(&srv, &mine, 1, 120));
	json_decref(complete_report(problem)); /* the rejudge of the jury submissions is over */
	const char *viewers[] = {user_token, NULL};
	for (int v = 0; v < 2; v++) {
		json_t *l = http_call(&srv, "GET", viewers[v], 200, NULL, "/api/clics/contests/jc/submissions");
		ck_assert_int_eq(json_array_size(l), 1);
		json_decref(l);
		struct response r;
		http_request(&r, &srv, "GET", "/api/clics/contests/jc/event-feed?stream=false", viewers[v], NULL, NULL, 0,
			     NULL);
		ck_assert_int_eq(r.status, 200);
		int lines = 0;
		for (const char *p = r.body; (p = strstr(p, "\"type\":\"submissions\"")); p++)
			lines++;
		ck_assert_msg(lines == 1, "submissions in the feed: %d\n%s", lines, r.body);
		response_free(&r);
		json_t *b = http_call(&srv, "GET", viewers[v], 200, NULL, "/api/clics/contests/jc/scoreboard");
		long long judged = 0;
		json_t *row, *pr;
		size_t i, k;
		json_array_foreach(json_object_get(b, "rows"), i, row) {
			json_array_foreach(json_object_get(row, "problems"), k, pr) {
				judged += json_integer_value(json_object_get(pr, "num_judged"));
			}
		}
		ck_assert_int_eq(judged, 1);
		json_decref(b);
	}
}
END_TEST

/* validation: custom score: each test scores what the validator writes to score.txt; groups add up. */
START_TEST(custom_scores)
{
	json_t *imp = import_package("jury-score", "?wait=120");
	long long id = json_integer_value(json_object_get(imp, "id"));
	json_decref(imp);
	json_t *rep = complete_report(id);
	json_t *exact = entry_of(rep, "accepted/exact.c"), *near = entry_of(rep, "accepted/near.py");
	ck_assert_str_eq(s_of(exact, "verdict"), "AC");
	ck_assert(fabs(json_number_value(json_object_get(exact, "score")) - 30) < 1e-9);
	ck_assert_str_eq(s_of(near, "verdict"), "AC");
	ck_assert(fabs(json_number_value(json_object_get(near, "score")) - 27) < 1e-9);
	ck_assert_str_eq(s_of(entry_of(rep, "wrong_answer/words.py"), "verdict"), "WA");
	ck_assert(json_is_true(json_object_get(rep, "ok")));
	/* The package gives a time limit: it stays, and runs get it times time_safety_margin. */
	json_t *t = json_object_get(rep, "time_limit");
	ck_assert_str_eq(s_of(t, "state"), "given");
	ck_assert_int_eq(json_integer_value(json_object_get(t, "time_limit_ms")), 1000);
	ck_assert_int_eq(json_integer_value(json_object_get(exact, "judged_with_time_limit_ms")), 2000);
	json_decref(rep);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("jury");
	TCase *tc = tcase_create("jury");
	tcase_add_unchecked_fixture(tc, start, stop);
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, report_checks_each_folder);
	tcase_add_test(tc, time_limit_is_derived);
	tcase_add_test(tc, hidden_from_users);
	tcase_add_test(tc, hidden_from_contests);
	tcase_add_test(tc, custom_scores);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
