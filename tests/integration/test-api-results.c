/* Integration tests for a contest's awards and results exports: a small ICPC
 * contest of four teams with really judged AC and WA submissions, checked
 * against hand-computed awards and results before and after the freeze and
 * the finalize; a result made after the freeze never shows through the public
 * awards; the exports are the jury's (403 for a team); a classroom contest's
 * gradebook has one row per student. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "../unit/zipbuild.h"
#include "util.h"
#include "ws_helpers.h"

#define WA_SOURCE "#include <stdio.h>\\nint main(void){puts(\\\"0\\\");return 0;}\\n"

static struct server srv;
#define call(...) http_call(&srv, __VA_ARGS__)
static long long problem_a, problem_b;

static int64_t now_ms(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}


/* A download: status 200, this content type and file name; returns the body (malloc'd). */
static char *download(const char *token, const char *type, const char *filename, long long id, const char *file)
{
	char path[128];
	snprintf(path, sizeof path, "/api/contests/%lld/%s", id, file);
	struct response r;
	http_request(&r, &srv, "GET", path, token, NULL, NULL, 0, NULL);
	ck_assert_msg(r.status == 200, "GET %s: %ld %s", path, r.status, r.body);
	char header[256];
	ck_assert(response_header(&r, "Content-Type", header, sizeof header));
	ck_assert_msg(strncmp(header, type, strlen(type)) == 0, "GET %s: Content-Type %s", path, header);
	ck_assert(response_header(&r, "Content-Disposition", header, sizeof header));
	char want[128];
	snprintf(want, sizeof want, "attachment; filename=\"%s\"", filename);
	ck_assert_str_eq(header, want);
	char *body = strdup(r.body ? r.body : "");
	response_free(&r);
	return body;
}

static void setup(void)
{
	server_start(&srv, (const char *[]){"--workers", "2", NULL});
	problem_a = wsh_problem(&srv, "sum-a");
	problem_b = wsh_problem(&srv, "sum-b");
}

static void teardown(void)
{
	server_finish(&srv);
}

/* ---- the ICPC contest ---- */

enum { ALPHA, BRAVO, CHARLIE, DELTA, GHOST, TEAMS };
static const char *const team_names[TEAMS] = {"alpha", "bravo", "charlie", "delta", "ghost"};
static char tokens[TEAMS][64];
static long long team_ids[TEAMS];
static int64_t start_ms;

/* start_ms as RFC 3339 (a whole second). */
static void start_text(char out[32])
{
	time_t st = (time_t)(start_ms / 1000);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", gmtime(&st));
}

/* Sets start_ms a whole second, `ago` seconds ago (minutes are whole from
   it), and writes it as RFC 3339. */
static void start_ago(int64_t ago, char out[32])
{
	start_ms = (now_ms() / 1000 - ago) * 1000;
	start_text(out);
}

/* Submits and waits for the verdict; returns the contest minute it was made in. */
static int64_t submit(long long contest, int team, const char *label, bool ac)
{
	/* Not across a minute's boundary: the server's clock and ours read a moment apart. */
	int64_t into = (now_ms() - start_ms) % 60000;
	if (into > 59000)
		usleep((useconds_t)(60000 - into + 200) * 1000);
	int64_t before = now_ms();
	char body[512];
	snprintf(body, sizeof body, "{\"language\": \"c\", \"source\": \"%s\"}", ac ? WSH_SOURCE : WA_SOURCE);
	json_t *r = call("POST", tokens[team], 201, body, "/api/contests/%lld/problems/%s/submissions", contest, label);
	int64_t after = now_ms();
	ck_assert_int_eq((before - start_ms) / 60000, (after - start_ms) / 60000);
	long long id = json_integer_value(json_object_get(r, "id"));
	json_decref(r);
	ck_assert_msg(wait_done(&srv, &id, 1, 120), "submission %lld not judged", id);
	json_t *s = call("GET", srv.admin_token, 200, NULL, "/api/submissions/%lld", id);
	ck_assert_str_eq(json_string_value(json_object_get(s, "verdict")), ac ? "AC" : "WA");
	json_decref(s);
	return (before - start_ms) / 60000;
}

/* Waits until the jury's board has no pending cell (the judgement applied). */
static void wait_board(long long contest)
{
	for (int i = 0; i < 500; i++) {
		json_t *b = call("GET", srv.admin_token, 200, NULL, "/api/contests/%lld/scoreboard?view=jury", contest);
		long long pending = 0;
		size_t k, j;
		json_t *row, *cell;
		json_array_foreach(json_object_get(b, "rows"), k, row)
			json_array_foreach(json_object_get(row, "problems"), j, cell)
				pending += json_integer_value(json_object_get(cell, "pending"));
		json_decref(b);
		if (!pending)
			return;
		usleep(20000);
	}
	ck_abort_msg("the jury's board still has pending cells");
}

/* The awards as "id:team,team;id:;..." with team names, for one comparison. */
static char *awards_text(const char *token, long long contest)
{
	json_t *a = call("GET", token, 200, NULL, "/api/contests/%lld/awards", contest);
	ck_assert(json_is_array(a));
	size_t cap = 4096, len = 0;
	char *out = calloc(1, cap);
	size_t i, j;
	json_t *w, *id;
	json_array_foreach(a, i, w) {
		ck_assert(json_is_string(json_object_get(w, "citation")));
		len += (size_t)snprintf(out + len, cap - len, "%s%s:", i ? ";" : "",
					json_string_value(json_object_get(w, "id")));
		json_array_foreach(json_object_get(w, "team_ids"), j, id) {
			const char *name = "?";
			for (int t = 0; t < TEAMS; t++)
				if (team_ids[t] == json_integer_value(id))
					name = team_names[t];
			len += (size_t)snprintf(out + len, cap - len, "%s%s", j ? "," : "", name);
		}
	}
	json_decref(a);
	return out;
}

static void expect_awards(const char *token, long long contest, const char *want)
{
	char *got = awards_text(token, contest);
	ck_assert_str_eq(got, want);
	free(got);
}

static const char contest_fmt[] =
	"{\"shortname\": \"awards\", \"name\": \"Awards\", \"start_time\": \"%s\", \"duration_s\": %lld,"
	" \"freeze_s\": 0, \"scoring\": \"icpc\", \"penalty_min\": 20, \"public\": true,"
	" \"medals\": {\"gold\": 1, \"silver\": 1, \"bronze\": 1},"
	" \"problems\": [{\"problem_id\": %lld, \"label\": \"A\"}, {\"problem_id\": %lld, \"label\": \"B\"}]}";

/* Groups (students: Alpha, Bravo; pros: Charlie, Delta; guests, hidden:
   Ghost), teams and accounts from the CLICS files of a contest package. */
static long long make_contest(void)
{
	char start[32];
	start_ago(1800, start);
	char body[1024];
	snprintf(body, sizeof body, contest_fmt, start, 7200LL, problem_a, problem_b);
	json_t *c = call("POST", srv.admin_token, 201, body, "/api/contests");
	long long id = json_integer_value(json_object_get(c, "id"));
	json_decref(c);
	static const char *const groups_of[TEAMS] = {"students", "students", "pros", "pros", "guests"};
	struct buf teams, accounts;
	buf_init(&teams);
	buf_init(&accounts);
	buf_adds(&teams, "[");
	for (int t = 0; t < TEAMS; t++) {
		buf_printf(&teams, "%s{\"id\": \"%s\", \"label\": \"%s\", \"name\": \"Team %s\", \"group_ids\": [\"%s\"]}",
			   t ? ",\n" : "", team_names[t], team_names[t], team_names[t], groups_of[t]);
		buf_printf(&accounts, "- username: m-%s\n  password: pw-%s-pass\n  type: team\n  team_id: %s\n",
			   team_names[t], team_names[t], team_names[t]);
	}
	buf_adds(&teams, "]\n");
	struct zip z;
	zip_begin(&z);
	zip_file(&z, "groups.json",
		 "[{\"id\": \"students\", \"name\": \"Students\"}, {\"id\": \"pros\", \"name\": \"Pros\"},"
		 " {\"id\": \"guests\", \"name\": \"Guests\", \"hidden\": true}]\n");
	zip_file(&z, "teams.json", teams.data);
	zip_file(&z, "accounts.yaml", accounts.data);
	zip_end(&z);
	buf_release(&teams);
	buf_release(&accounts);
	char path[128];
	snprintf(path, sizeof path, "/api/contests/%lld/teams/import", id);
	struct response r;
	http_request(&r, &srv, "POST", path, srv.admin_token, "application/zip", z.out.data, z.out.len, NULL);
	zip_release(&z);
	ck_assert_msg(r.status == 200, "import: %ld %s", r.status, r.body);
	response_free(&r);
	json_t *list = call("GET", srv.admin_token, 200, NULL, "/api/contests/%lld/teams", id);
	for (int t = 0; t < TEAMS; t++) {
		char user[32], password[32];
		snprintf(user, sizeof user, "m-%s", team_names[t]);
		snprintf(password, sizeof password, "pw-%s-pass", team_names[t]);
		ck_assert_int_eq(test_login(&srv, user, password, tokens[t], sizeof tokens[t]), 200);
		size_t i;
		json_t *team;
		json_array_foreach(list, i, team) if (strcmp(json_string_value(json_object_get(team, "key")),
							     team_names[t]) == 0) team_ids[t] =
			json_integer_value(json_object_get(team, "id"));
		ck_assert_int_gt(team_ids[t], 0);
	}
	json_decref(list);
	return id;
}

START_TEST(icpc_awards_and_results)
{
	long long id = make_contest();
	/* Before the freeze: hidden Ghost solves A first, after two WAs; then
	   Bravo; Alpha after one WA; Charlie only a WA. Live: Bravo (bravo_a),
	   Alpha (alpha_a + 20), Ghost (ghost_a + 40, at least as late). */
	submit(id, GHOST, "A", false);
	submit(id, GHOST, "A", false);
	submit(id, GHOST, "A", true);
	int64_t bravo_a = submit(id, BRAVO, "A", true);
	submit(id, ALPHA, "A", false);
	int64_t alpha_a = submit(id, ALPHA, "A", true);
	submit(id, CHARLIE, "A", false);
	wait_board(id);
	expect_awards(srv.admin_token, id,
		      "winner:bravo;gold-medal:bravo;silver-medal:alpha;bronze-medal:ghost;"
		      "first-to-solve-A:ghost;first-to-solve-B:;"
		      "group-winner-students:bravo;group-winner-pros:;group-winner-guests:ghost");
	expect_awards(NULL, id,
		      "winner:bravo;gold-medal:bravo;silver-medal:alpha;bronze-medal:;"
		      "first-to-solve-A:bravo;first-to-solve-B:;group-winner-students:bravo;group-winner-pros:");

	/* Freeze; then Delta solves B and A: the winner, on the live board only. */
	json_decref(call("POST", srv.admin_token, 200, NULL, "/api/contests/%lld/freeze", id));
	int64_t delta_b = submit(id, DELTA, "B", true);
	int64_t delta_a = submit(id, DELTA, "A", true);
	wait_board(id);
	const char *live = "winner:delta;gold-medal:delta;silver-medal:bravo;bronze-medal:alpha;"
			   "first-to-solve-A:ghost;first-to-solve-B:delta;"
			   "group-winner-students:bravo;group-winner-pros:delta;group-winner-guests:ghost";
	const char *frozen = "winner:bravo;gold-medal:bravo;silver-medal:alpha;bronze-medal:;"
			     "first-to-solve-A:bravo;first-to-solve-B:;group-winner-students:bravo;group-winner-pros:";
	const char *thawed = "winner:delta;gold-medal:delta;silver-medal:bravo;bronze-medal:alpha;"
			     "first-to-solve-A:bravo;first-to-solve-B:delta;"
			     "group-winner-students:bravo;group-winner-pros:delta";
	expect_awards(srv.admin_token, id, live);
	expect_awards(NULL, id, frozen);
	expect_awards(tokens[ALPHA], id, frozen);
	/* Delta sees its own verdicts, but not through the awards */
	expect_awards(tokens[DELTA], id, frozen);

	/* The exports are the jury's. */
	const char *files[] = {"results.tsv", "results.json", "gradebook.csv"};
	for (int i = 0; i < 3; i++) {
		char path[128];
		snprintf(path, sizeof path, "/api/contests/%lld/%s", id, files[i]);
		expect_json_error(&srv, "GET", path, tokens[DELTA], NULL, 403, "forbidden");
		expect_json_error(&srv, "GET", path, NULL, NULL, 401, "unauthorized");
	}

	/* Not final yet, but live and without the hidden Ghost: Delta
	   (delta_a + delta_b), Bravo (bravo_a), Alpha (alpha_a + 20). */
	int64_t delta_time = delta_a + delta_b, delta_last = delta_a > delta_b ? delta_a : delta_b;
	char want[1024];
	snprintf(want, sizeof want,
		 "results\t1\n"
		 "delta\t1\tGold Medal\t2\t%lld\t%lld\tPros\n"
		 "bravo\t2\tSilver Medal\t1\t%lld\t%lld\tStudents\n"
		 "alpha\t3\tBronze Medal\t1\t%lld\t%lld\t\n"
		 "charlie\t\tHonorable\t0\t0\t0\t\n",
		 (long long)delta_time, (long long)delta_last, (long long)bravo_a, (long long)bravo_a,
		 (long long)alpha_a + 20, (long long)alpha_a);
	char *tsv = download(srv.admin_token, "text/tab-separated-values", "results-not-final.tsv", id, "results.tsv");
	ck_assert_str_eq(tsv, want);
	free(tsv);
	char *text = download(srv.admin_token, "application/json", "results-not-final.json", id, "results.json");
	json_t *j = json_loads(text, 0, NULL);
	free(text);
	ck_assert_ptr_nonnull(j);
	ck_assert(json_is_false(json_object_get(j, "final")));
	json_t *results = json_object_get(j, "results");
	ck_assert_uint_eq(json_array_size(results), 4);
	json_t *first = json_array_get(results, 0);
	ck_assert_str_eq(json_string_value(json_object_get(first, "team_id")), "delta");
	ck_assert_int_eq(json_integer_value(json_object_get(first, "rank")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(first, "total_time")), delta_time);
	ck_assert_str_eq(json_string_value(json_object_get(first, "group_winner")), "Pros");
	ck_assert(json_is_null(json_object_get(json_array_get(results, 3), "rank")));
	json_decref(j);
	/* the public board is still frozen */
	expect_awards(NULL, id, frozen);

	/* End it (a shorter contest), thaw and finalize: the final results. */
	char start[32];
	start_text(start);
	long long elapsed_s = (long long)((now_ms() - start_ms) / 1000 - 1);
	char body[1024];
	snprintf(body, sizeof body, contest_fmt, start, elapsed_s, problem_a, problem_b);
	json_decref(call("PUT", srv.admin_token, 200, body, "/api/contests/%lld", id));
	json_decref(call("POST", srv.admin_token, 200, NULL, "/api/contests/%lld/thaw", id));
	json_t *c = call("POST", srv.admin_token, 200, NULL, "/api/contests/%lld/finalize", id);
	ck_assert_str_eq(json_string_value(json_object_get(c, "state")), "finalized");
	json_decref(c);
	expect_awards(NULL, id, thawed);
	expect_awards(tokens[CHARLIE], id, thawed);
	expect_awards(srv.admin_token, id, live);
	tsv = download(srv.admin_token, "text/tab-separated-values", "results.tsv", id, "results.tsv");
	ck_assert_str_eq(tsv, want);
	free(tsv);
	text = download(srv.admin_token, "application/json", "results.json", id, "results.json");
	j = json_loads(text, 0, NULL);
	free(text);
	ck_assert(json_is_true(json_object_get(j, "final")));
	json_t *awards = json_object_get(j, "awards");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(awards, 0), "id")), "winner");
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(json_array_get(awards, 0), "team_ids"), 0)),
			 "delta");
	json_decref(j);

	/* a contest that does not exist */
	char path[128];
	snprintf(path, sizeof path, "/api/contests/%lld/awards", id + 100);
	expect_json_error(&srv, "GET", path, srv.admin_token, NULL, 404, "not_found");
	snprintf(path, sizeof path, "/api/contests/%lld/results.tsv", id + 100);
	expect_json_error(&srv, "GET", path, srv.admin_token, NULL, 404, "not_found");
}
END_TEST

/* ---- the classroom's gradebook ---- */

START_TEST(classroom_gradebook)
{
	char start[32];
	start_ago(600, start);
	char body[1024];
	snprintf(body, sizeof body,
		 "{\"shortname\": \"lab\", \"name\": \"Lab\", \"start_time\": \"%s\", \"duration_s\": 7200,"
		 " \"freeze_s\": 0, \"classroom\": true,"
		 " \"problems\": [{\"problem_id\": %lld, \"label\": \"A\"}, {\"problem_id\": %lld, \"label\": \"B\"}]}",
		 start, problem_a, problem_b);
	json_t *c = call("POST", srv.admin_token, 201, body, "/api/contests");
	long long id = json_integer_value(json_object_get(c, "id"));
	json_decref(c);
	/* students: their teams come with their first submission */
	test_create_user(&srv, "zoe", false, tokens[0], sizeof tokens[0]);
	test_create_user(&srv, "adam", false, tokens[1], sizeof tokens[1]);
	test_create_user(&srv, "mia", false, tokens[2], sizeof tokens[2]);
	int64_t zoe_a = submit(id, 0, "A", true);
	int64_t zoe_b = submit(id, 0, "B", true);
	submit(id, 1, "A", false);
	int64_t adam_b = submit(id, 1, "B", true);
	submit(id, 2, "B", false);
	wait_board(id);
	char want[512];
	snprintf(want, sizeof want,
		 "label,name,A,B,total\r\n"
		 "adam,adam,,%lld,1\r\n"
		 "mia,mia,,,0\r\n"
		 "zoe,zoe,%lld,%lld,2\r\n",
		 (long long)adam_b, (long long)zoe_a, (long long)zoe_b);
	char *csv = download(srv.admin_token, "text/csv", "gradebook-not-final.csv", id, "gradebook.csv");
	ck_assert_str_eq(csv, want);
	free(csv);
	char path[128];
	snprintf(path, sizeof path, "/api/contests/%lld/gradebook.csv", id);
	expect_json_error(&srv, "GET", path, tokens[0], NULL, 403, "forbidden");
	/* a student sees the awards of the public board: Zoe won */
	char *got = awards_text(tokens[2], id);
	ck_assert_msg(strncmp(got, "winner:?;", 9) == 0, "%s", got); /* not one of the ICPC test's teams */
	free(got);
	json_t *a = call("GET", tokens[2], 200, NULL, "/api/contests/%lld/awards", id);
	json_t *winners = json_object_get(json_array_get(a, 0), "team_ids");
	ck_assert_uint_eq(json_array_size(winners), 1);
	json_t *teams = call("GET", srv.admin_token, 200, NULL, "/api/contests/%lld/teams", id);
	size_t i;
	json_t *t;
	bool zoe = false;
	json_array_foreach(teams, i, t) if (json_integer_value(json_object_get(t, "id")) ==
								     json_integer_value(json_array_get(winners, 0)))
		zoe = strcmp(json_string_value(json_object_get(t, "label")), "zoe") == 0;
	ck_assert_msg(zoe, "the winner is not zoe");
	json_decref(teams);
	json_decref(a);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("api-results");
	TCase *tc = tcase_create("results");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, icpc_awards_and_results);
	tcase_add_test(tc, classroom_gradebook);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
