/* Fair judging through the API: one user's backlog does not hold up another's
 * submission; the per-user submission quota (429 with Retry-After, admins
 * exempt, never per address); a scoring package of 3,000 tests is judged with
 * its judge log and stored size within budget; the tests-per-problem limit. */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "../unit/zipbuild.h"

static void sleep_ms(int ms)
{
	nanosleep(&(struct timespec){ms / 1000, (long)(ms % 1000) * 1000000}, NULL);
}

/* Sleeps 0.3 s on each test, then adds: slow, and gentle on a shared machine. */
static const char slow_source[] = "#include <stdio.h>\n#include <time.h>\nint main(void){struct timespec t={0,300000000};"
				  "nanosleep(&t,0);long a,b;scanf(\"%ld %ld\",&a,&b);printf(\"%ld\\n\",a+b);return 0;}\n";
static const char sum_source[] = "#include <stdio.h>\nint main(void){long a,b;scanf(\"%ld %ld\",&a,&b);"
				 "printf(\"%ld\\n\",a+b);return 0;}\n";

static const char problem_json[] =
	"{\"slug\": \"sum\", \"title\": \"A plus B\", \"time_limit_ms\": 1000, \"checker\": {\"type\": \"tokens\"},"
	" \"tests\": [{\"input\": \"1 2\\n\", \"output\": \"3\\n\", \"sample\": true},"
	"{\"input\": \"10 20\\n\", \"output\": \"30\\n\"}, {\"input\": \"3 4\\n\", \"output\": \"7\\n\"}]}";

/* POSTs a C submission; returns the answer's status, with its id in *id and Retry-After in retry (may be NULL). */
static long post(const struct server *s, const char *token, long long problem, const char *source, long long *id,
		 char *retry, size_t retry_size)
{
	json_t *body = json_pack("{s:s, s:s}", "language", "c", "source", source);
	char *text = json_dumps(body, 0);
	char path[64];
	snprintf(path, sizeof path, "/api/problems/%lld/submissions", problem);
	struct response r;
	http_json_request(&r, s, "POST", path, token, text);
	long status = r.status;
	if (id)
		*id = status == 201 ? json_integer_value(json_object_get(r.json, "id")) : 0;
	if (status == 429) {
		expect_error(&r, 429, "rate_limited");
		if (retry)
			ck_assert_msg(response_header(&r, "Retry-After", retry, retry_size), "no Retry-After: %s", r.headers);
	}
	response_free(&r);
	free(text);
	json_decref(body);
	return status;
}

static long long submit(const struct server *s, const char *token, long long problem, const char *source)
{
	long long id;
	long status = post(s, token, problem, source, &id, NULL, 0);
	ck_assert_msg(status == 201, "submit: %ld", status);
	return id;
}

/* GET /api/submissions/{id} as admin; the caller frees. */
static json_t *get_submission(const struct server *s, long long id)
{
	char path[64];
	snprintf(path, sizeof path, "/api/submissions/%lld", id);
	struct response r;
	http_json_request(&r, s, "GET", path, s->admin_token, NULL);
	ck_assert_int_eq(r.status, 200);
	json_t *j = json_incref(r.json);
	response_free(&r);
	return j;
}

static bool is_done(const struct server *s, long long id, char *verdict, size_t size)
{
	json_t *j = get_submission(s, id);
	bool done = strcmp(json_string_value(json_object_get(j, "status")), "done") == 0;
	if (done && verdict)
		snprintf(verdict, size, "%s", json_string_value(json_object_get(j, "verdict")));
	json_decref(j);
	return done;
}

START_TEST(one_users_backlog_does_not_hold_up_another)
{
	struct server s;
	static const char *const args[] = {"--workers", "1", NULL};
	server_start(&s, args);
	char a[64], b[64];
	test_create_user(&s, "alice", false, a, sizeof a);
	test_create_user(&s, "bob", false, b, sizeof b);
	long long p = test_create_problem(&s, problem_json);
	/* alice's 8 submissions take about a second each on the one worker. */
	enum { BACKLOG = 8 };
	long long backlog[BACKLOG];
	for (int i = 0; i < BACKLOG; i++)
		backlog[i] = submit(&s, a, p, slow_source);
	long long mine = submit(&s, b, p, sum_source);
	/* Poll until bob's is done; count alice's done by then. */
	int alice_done = 0;
	char verdict[8] = "";
	for (int tries = 0; tries < 1200 && !is_done(&s, mine, verdict, sizeof verdict); tries++)
		sleep_ms(50);
	ck_assert_str_eq(verdict, "AC");
	for (int i = 0; i < BACKLOG; i++)
		alice_done += is_done(&s, backlog[i], NULL, 0);
	/* The one being judged when bob submitted, and at most one more. */
	ck_assert_msg(alice_done <= 2, "bob's submission waited for %d of alice's", alice_done);
	/* alice's are all judged in the end. */
	for (int i = 0; i < BACKLOG; i++) {
		for (int tries = 0; tries < 1200 && !is_done(&s, backlog[i], verdict, sizeof verdict); tries++)
			sleep_ms(50);
		ck_assert_str_eq(verdict, "AC");
	}
	server_finish(&s);
}
END_TEST

static void expect_limited(const struct server *s, const char *token, long long p, const char *needle,
			   int max_retry)
{
	char retry[16] = "";
	struct response r;
	json_t *body = json_pack("{s:s, s:s}", "language", "c", "source", sum_source);
	char *text = json_dumps(body, 0), path[64];
	snprintf(path, sizeof path, "/api/problems/%lld/submissions", p);
	http_json_request(&r, s, "POST", path, token, text);
	expect_error(&r, 429, "rate_limited");
	ck_assert_msg(response_header(&r, "Retry-After", retry, sizeof retry), "no Retry-After");
	ck_assert_int_ge(atoi(retry), 1);
	ck_assert_int_le(atoi(retry), max_retry);
	const char *message = json_string_value(json_object_get(json_object_get(r.json, "error"), "message"));
	ck_assert_msg(strstr(message, needle), "message '%s' does not name %s", message, needle);
	response_free(&r);
	free(text);
	json_decref(body);
}

START_TEST(submissions_per_minute)
{
	struct server s;
	static const char *const args[] = {"--submissions-per-minute", "3", "--queued-per-user", "100", NULL};
	server_start(&s, args);
	char a[64];
	test_create_user(&s, "alice", false, a, sizeof a);
	long long p = test_create_problem(&s, problem_json);
	for (int i = 0; i < 3; i++)
		submit(&s, a, p, sum_source);
	expect_limited(&s, a, p, "--submissions-per-minute", 60);
	ck_assert(test_metric(&s, "verdict_rate_limited_total{limit=\"submissions_per_minute\"}") == 1);
	/* Admins have no quota. */
	for (int i = 0; i < 5; i++)
		submit(&s, s.admin_token, p, sum_source);
	/* A classroom of 30 behind one address: one each, all taken. */
	for (int i = 0; i < 30; i++) {
		char name[32], token[64];
		snprintf(name, sizeof name, "student%d", i);
		test_create_user(&s, name, false, token, sizeof token);
		submit(&s, token, p, sum_source);
	}
	ck_assert(test_metric(&s, "verdict_rate_limited_total{limit=\"submissions_per_minute\"}") == 1);
	server_finish(&s);
}
END_TEST

START_TEST(queued_per_user)
{
	struct server s;
	static const char *const args[] = {"--workers", "1", NULL};
	server_start(&s, args);
	char a[64];
	test_create_user(&s, "alice", false, a, sizeof a);
	long long p = test_create_problem(&s, problem_json);
	/* The default: 10 of one's own waiting or being judged. */
	long long first = submit(&s, a, p, slow_source);
	for (int i = 1; i < 10; i++)
		submit(&s, a, p, slow_source);
	expect_limited(&s, a, p, "--queued-per-user", 60);
	ck_assert(test_metric(&s, "verdict_rate_limited_total{limit=\"queued_per_user\"}") == 1);
	for (int i = 0; i < 3; i++)
		submit(&s, s.admin_token, p, sum_source);
	/* Once one is judged, there is room again. */
	for (int tries = 0; tries < 600 && !is_done(&s, first, NULL, 0); tries++)
		sleep_ms(50);
	submit(&s, a, p, sum_source);
	server_finish(&s);
}
END_TEST

/* A scoring package: a sample, then group "good" of `good` tests "i i" (an
   even sum) and group "odd" of `odd` tests "i i+1". */
static void scoring_package(struct zip *z, int good, int odd)
{
	zip_begin(z);
	zip_file(z, "many/problem.yaml", "name: Many\ntype: scoring\n");
	zip_file(z, "many/data/sample/1.in", "1 1\n");
	zip_file(z, "many/data/sample/1.ans", "2\n");
	for (int i = 0; i < good + odd; i++) {
		char name[96], text[64];
		const char *group = i < good ? "good" : "odd";
		int b = i < good ? i : i + 1;
		snprintf(name, sizeof name, "many/data/secret/%s/%05d.in", group, i);
		snprintf(text, sizeof text, "%d %d\n", i, b);
		zip_file(z, name, text);
		snprintf(name, sizeof name, "many/data/secret/%s/%05d.ans", group, i);
		snprintf(text, sizeof text, "%d\n", i + b);
		zip_file(z, name, text);
	}
	zip_end(z);
}

static long long import(const struct server *s, struct zip *z, long expect_status, char **message)
{
	struct response r;
	http_request(&r, s, "POST", "/api/problems/import", s->admin_token, "application/zip", z->out.data, z->out.len,
		     NULL);
	ck_assert_msg(r.status == expect_status, "import: %ld %s", r.status, r.body);
	long long id = json_integer_value(json_object_get(r.json, "id"));
	if (message)
		*message = strdup(json_string_value(json_object_get(json_object_get(r.json, "error"), "message")));
	response_free(&r);
	return id;
}

/* Bytes in use by the database (as of its latest commit), one submission's
   judge log and whether it ends by counting the tests' logs left out. */
static bool stored_size(const struct server *s, long long id, long long *db_bytes, long long *log_bytes)
{
	char path[400];
	snprintf(path, sizeof path, "%s/verdict.db", s->data);
	sqlite3 *h;
	ck_assert_int_eq(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(h, "SELECT (SELECT page_count FROM pragma_page_count) * "
					       "(SELECT page_size FROM pragma_page_size) - "
					       "(SELECT freelist_count FROM pragma_freelist_count) * "
					       "(SELECT page_size FROM pragma_page_size), "
					       "(SELECT length(judge_log) FROM submissions WHERE id = ?1), "
					       "(SELECT judge_log LIKE '%more tests'' logs left out%' FROM submissions WHERE id = ?1)",
					    -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	*db_bytes = sqlite3_column_int64(st, 0);
	*log_bytes = sqlite3_column_int64(st, 1);
	bool counted = sqlite3_column_int(st, 2);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return counted;
}

/* Right on even sums; on odd ones 4 KiB of control bytes to stderr (each
   6 bytes once escaped in JSON: 2,900 such tests kept whole would make a
   judge log past the 64 MiB frame limit) and a wrong answer. */
static const char noisy_source[] =
	"#include <stdio.h>\n#include <string.h>\nint main(void){long a,b;scanf(\"%ld %ld\",&a,&b);"
	"if((a+b)%2){char junk[4096];memset(junk,1,sizeof junk);fwrite(junk,1,sizeof junk,stderr);"
	"printf(\"%ld\\n\",a+b+1);}else printf(\"%ld\\n\",a+b);return 0;}\n";

START_TEST(three_thousand_scored_tests_are_judged_within_the_log_budget)
{
	struct server s;
	server_start(&s, NULL);
	struct zip z;
	scoring_package(&z, 100, 2900);
	long long p = import(&s, &z, 201, NULL);
	zip_release(&z);
	long long id = submit(&s, s.admin_token, p, noisy_source);
	long long db0, log_bytes;
	stored_size(&s, id, &db0, &log_bytes);
	char verdict[8] = "";
	for (int tries = 0; tries < 6000 && !is_done(&s, id, verdict, sizeof verdict); tries++)
		sleep_ms(50);
	json_t *j = get_submission(&s, id);
	/* Every test ran (points), group "odd" failed: WA with the 100 points of group "good". */
	ck_assert_str_eq(verdict, "WA");
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(j, "metrics"), "tests_passed")), 101);
	ck_assert(json_number_value(json_object_get(j, "score")) == 100);
	ck_assert_int_eq(json_array_size(json_object_get(j, "tests")), 3001);
	json_decref(j);
	long long db1;
	ck_assert(stored_size(&s, id, &db1, &log_bytes));
	fprintf(stderr, "3,001 tests: judge log %lld bytes, database grew by %lld bytes\n", log_bytes, db1 - db0);
	ck_assert_int_le(log_bytes, 64 * 1024);
	ck_assert_int_gt(log_bytes, 32 * 1024);
	ck_assert_int_le(db1 - db0, 512 * 1024);
	ck_assert_int_eq(test_log_count(&s, "worker 0 (pid"), 0); /* no worker died */
	server_finish(&s);
}
END_TEST

START_TEST(more_tests_than_the_limit_are_refused_at_import)
{
	struct server s;
	static const char *const args[] = {"--max-tests", "20", NULL};
	server_start(&s, args);
	struct zip z;
	scoring_package(&z, 10, 10); /* 21 with the sample */
	char *message = NULL;
	import(&s, &z, 400, &message);
	ck_assert_msg(strstr(message, "--max-tests") && strstr(message, "20"), "message: %s", message);
	free(message);
	zip_release(&z);
	scoring_package(&z, 10, 9);
	import(&s, &z, 201, NULL);
	zip_release(&z);
	server_finish(&s);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("fair");
	TCase *order = tcase_create("order");
	tcase_set_timeout(order, 120);
	tcase_add_test(order, one_users_backlog_does_not_hold_up_another);
	suite_add_tcase(suite, order);
	TCase *quota = tcase_create("quota");
	tcase_set_timeout(quota, 120);
	tcase_add_test(quota, submissions_per_minute);
	tcase_add_test(quota, queued_per_user);
	suite_add_tcase(suite, quota);
	TCase *big = tcase_create("big");
	tcase_set_timeout(big, 280);
	tcase_add_test(big, three_thousand_scored_tests_are_judged_within_the_log_budget);
	tcase_add_test(big, more_tests_than_the_limit_are_refused_at_import);
	suite_add_tcase(suite, big);
	return test_run_suite(suite);
}
