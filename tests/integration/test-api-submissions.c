/* Integration tests for submissions: create, get, the lists with paging and
 * filters, who sees which source, and the rejudge endpoints. One server for
 * the file; the judge may or may not have picked a submission up, so status
 * is only checked where the API fixes it (the answer to POST). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"

static struct server srv;
static char alice[64], bob[64];
static long long alice_id, bob_id, problem, other_problem;

static void start(void)
{
	server_start(&srv, NULL);
	alice_id = test_create_user(&srv, "alice", false, alice, sizeof alice);
	bob_id = test_create_user(&srv, "bob", false, bob, sizeof bob);
	problem = test_create_problem(&srv, "{\"slug\": \"sum\", \"title\": \"A plus B\", \"tests\": ["
					    "{\"input\": \"1 2\\n\", \"output\": \"3\\n\", \"sample\": true},"
					    "{\"input\": \"HIDDEN-IN\\n\", \"output\": \"HIDDEN-OUT\\n\"}]}");
	other_problem = test_create_problem(&srv, "{\"slug\": \"other\", \"title\": \"Other\", \"tests\": ["
						  "{\"input\": \"x\", \"output\": \"x\"}]}");
}

static void stop(void)
{
	server_finish(&srv);
}

static const char *status_ok[] = {"queued", "compiling", "running", "done"};

static bool valid_status(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (s && strcmp(s, status_ok[i]) == 0)
			return true;
	return false;
}

/* Submits source (a JSON string's content) as token; returns the response JSON (new reference). */
static json_t *submit(const char *token, long long problem_id, const char *source)
{
	char path[96];
	snprintf(path, sizeof path, "/api/problems/%lld/submissions", problem_id);
	json_t *body = json_pack("{s:s, s:s}", "language", "c", "source", source);
	char *text = json_dumps(body, 0);
	struct response r;
	http_json_request(&r, &srv, "POST", path, token, text);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	json_t *j = json_incref(r.json);
	response_free(&r);
	free(text);
	json_decref(body);
	return j;
}

static long long submit_id(const char *token, long long problem_id, const char *source)
{
	json_t *j = submit(token, problem_id, source);
	long long id = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	return id;
}

static json_t *get_json(const char *token, const char *path)
{
	struct response r;
	http_json_request(&r, &srv, "GET", path, token, NULL);
	ck_assert_msg(r.status == 200, "GET %s: %ld %s", path, r.status, r.body);
	ck_assert_msg(strstr(r.body, "HIDDEN") == NULL, "hidden test data in %s", r.body);
	json_t *j = json_incref(r.json);
	response_free(&r);
	return j;
}

static json_t *get_submission(const char *token, long long id)
{
	char path[64];
	snprintf(path, sizeof path, "/api/submissions/%lld", id);
	return get_json(token, path);
}

/* How many submissions exist (the judge changes seq on its own, so count rows). */
static long long submissions_total(void)
{
	json_t *j = get_json(srv.admin_token, "/api/submissions?per_page=1");
	long long total = json_integer_value(json_object_get(j, "total"));
	json_decref(j);
	return total;
}

static long long healthz_seq(void)
{
	json_t *j = get_json(NULL, "/healthz");
	long long seq = json_integer_value(json_object_get(j, "seq"));
	json_decref(j);
	return seq;
}

START_TEST(create_answers_queued_with_seq)
{
	long long before = healthz_seq();
	json_t *a = submit(alice, problem, "int main(void) { return 0; }");
	long long id = json_integer_value(json_object_get(a, "id"));
	ck_assert_int_gt(id, 0);
	ck_assert_str_eq(json_string_value(json_object_get(a, "status")), "queued");
	long long seq = json_integer_value(json_object_get(a, "seq"));
	ck_assert_int_gt(seq, before);
	ck_assert_int_eq(json_integer_value(json_object_get(a, "problem_id")), problem);
	ck_assert_str_eq(json_string_value(json_object_get(a, "user")), "alice");
	ck_assert_str_eq(json_string_value(json_object_get(a, "language")), "c");
	ck_assert(json_is_null(json_object_get(a, "verdict")));
	ck_assert_ptr_nonnull(json_object_get(a, "metrics"));
	ck_assert_ptr_nonnull(json_object_get(a, "created_at"));
	json_decref(a);
	json_t *b = submit(bob, problem, "int main(void) { return 1; }");
	ck_assert_int_gt(json_integer_value(json_object_get(b, "id")), id);
	ck_assert_int_gt(json_integer_value(json_object_get(b, "seq")), seq);
	ck_assert_int_ge(healthz_seq(), json_integer_value(json_object_get(b, "seq")));
	json_decref(b);
}
END_TEST

START_TEST(create_validation)
{
	char path[96], unknown[96], big_path[96];
	snprintf(path, sizeof path, "/api/problems/%lld/submissions", problem);
	snprintf(unknown, sizeof unknown, "/api/problems/%lld/submissions", problem + 1000);
	static const char *const invalid[] = {
		"{\"source\": \"int main(void){}\"}",
		"{\"language\": \"c\"}",
		"{\"language\": \"cobol\", \"source\": \"x\"}",
		"{\"language\": \"C\", \"source\": \"x\"}",
		"{\"language\": 1, \"source\": \"x\"}",
		"{\"language\": \"c\", \"source\": \"\"}",
		"{\"language\": \"c\", \"source\": 5}",
		"{\"language\": \"c\", \"source\": null}",
		"{\"language\": \"c\", \"source\": [\"int main\"]}",
	};
	long long before = submissions_total();
	for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++)
		expect_json_error(&srv, "POST", path, alice, invalid[i], 400, "validation");
	expect_json_error(&srv, "POST", unknown, alice, "{\"language\": \"c\", \"source\": \"x\"}", 404, "not_found");
	expect_json_error(&srv, "POST", "/api/problems/zero/submissions", alice,
			  "{\"language\": \"c\", \"source\": \"x\"}", 400, "bad_request");
	/* A source over 512 KiB (in a body under the 1 MiB limit). */
	size_t n = 512 * 1024 + 1;
	char *body = malloc(n + 64);
	int len = snprintf(body, n + 64, "{\"language\": \"c\", \"source\": \"");
	memset(body + len, 'a', n);
	strcpy(body + len + n, "\"}");
	expect_json_error(&srv, "POST", path, alice, body, 400, "validation");
	/* ...and exactly 512 KiB is fine. */
	strcpy(body + len + n - 1, "\"}");
	snprintf(big_path, sizeof big_path, "%s", path);
	struct response r;
	http_json_request(&r, &srv, "POST", big_path, alice, body);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	long long id = json_integer_value(json_object_get(r.json, "id"));
	response_free(&r);
	free(body);
	/* Nothing was stored for the refused ones. */
	ck_assert_int_eq(submissions_total(), before + 1);
	json_t *s = get_submission(alice, id);
	ck_assert_uint_eq(json_string_length(json_object_get(s, "source")), 512 * 1024);
	json_decref(s);
}
END_TEST

START_TEST(get_shows_source_to_owner_and_admins_only)
{
	const char *source = "/* caf\xC3\xA9 \xE2\x9C\x93 ALICE-SECRET-SOURCE */ int main(void) { return 0; }";
	long long id = submit_id(alice, problem, source);
	/* the owner */
	json_t *s = get_submission(alice, id);
	ck_assert_int_eq(json_integer_value(json_object_get(s, "id")), id);
	ck_assert_str_eq(json_string_value(json_object_get(s, "source")), source);
	ck_assert_ptr_nonnull(json_object_get(s, "compile_output"));
	ck_assert(json_is_array(json_object_get(s, "tests")));
	ck_assert(valid_status(json_string_value(json_object_get(s, "status"))));
	ck_assert_int_ge(json_integer_value(json_object_get(s, "seq")), 1);
	json_t *m = json_object_get(s, "metrics");
	ck_assert_int_eq(json_integer_value(json_object_get(m, "tests_total")), 2);
	json_decref(s);
	/* an admin */
	s = get_submission(srv.admin_token, id);
	ck_assert_str_eq(json_string_value(json_object_get(s, "source")), source);
	ck_assert_ptr_nonnull(json_object_get(s, "compile_output"));
	json_decref(s);
	/* another user: status, verdict and metrics, but never the source nor the compiler's output */
	struct response r;
	char path[64];
	snprintf(path, sizeof path, "/api/submissions/%lld", id);
	http_json_request(&r, &srv, "GET", path, bob, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_null(json_object_get(r.json, "source"));
	ck_assert_ptr_null(json_object_get(r.json, "compile_output"));
	ck_assert_ptr_null(strstr(r.body, "ALICE-SECRET-SOURCE"));
	ck_assert(valid_status(json_string_value(json_object_get(r.json, "status"))));
	ck_assert_ptr_nonnull(json_object_get(r.json, "verdict"));
	ck_assert_ptr_nonnull(json_object_get(r.json, "metrics"));
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "user")), "alice");
	response_free(&r);
	expect_json_error(&srv, "GET", "/api/submissions/999999", alice, NULL, 404, "not_found");
	expect_json_error(&srv, "GET", "/api/submissions/1x", alice, NULL, 400, "bad_request");
}
END_TEST

START_TEST(problem_list_newest_first_with_paging)
{
	char path[128];
	long long fresh = test_create_problem(&srv, "{\"slug\": \"paging\", \"title\": \"Paging\", \"tests\": ["
						    "{\"input\": \"x\", \"output\": \"x\"}]}");
	long long ids[7];
	for (int i = 0; i < 7; i++)
		ids[i] = submit_id(i % 2 ? bob : alice, fresh, "PAGING-SOURCE");
	snprintf(path, sizeof path, "/api/problems/%lld/submissions", fresh);
	json_t *page = get_json(alice, path);
	ck_assert_int_eq(json_integer_value(json_object_get(page, "total")), 7);
	ck_assert_int_eq(json_integer_value(json_object_get(page, "page")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(page, "per_page")), 20);
	json_t *items = json_object_get(page, "items");
	ck_assert_uint_eq(json_array_size(items), 7);
	for (int i = 0; i < 7; i++) {
		json_t *s = json_array_get(items, (size_t)i);
		ck_assert_int_eq(json_integer_value(json_object_get(s, "id")), ids[6 - i]);
		ck_assert_ptr_null(json_object_get(s, "source"));
		ck_assert_ptr_null(json_object_get(s, "compile_output"));
		ck_assert_str_eq(json_string_value(json_object_get(s, "user")), i % 2 ? "bob" : "alice");
	}
	json_decref(page);
	snprintf(path, sizeof path, "/api/problems/%lld/submissions?page=2&per_page=3", fresh);
	page = get_json(bob, path);
	items = json_object_get(page, "items");
	ck_assert_uint_eq(json_array_size(items), 3);
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(items, 0), "id")), ids[3]);
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(items, 2), "id")), ids[1]);
	ck_assert_int_eq(json_integer_value(json_object_get(page, "total")), 7);
	json_decref(page);
	snprintf(path, sizeof path, "/api/problems/%lld/submissions?page=3&per_page=3", fresh);
	page = get_json(bob, path);
	ck_assert_uint_eq(json_array_size(json_object_get(page, "items")), 1);
	json_decref(page);
	snprintf(path, sizeof path, "/api/problems/%lld/submissions?page=4&per_page=3", fresh);
	page = get_json(bob, path);
	ck_assert_uint_eq(json_array_size(json_object_get(page, "items")), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(page, "total")), 7);
	json_decref(page);
	/* Bad paging. */
	static const char *const bad[] = {"page=0", "page=-1", "page=abc", "per_page=0", "per_page=101", "per_page=1.5",
					  "page=", "page=1000001"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(path, sizeof path, "/api/problems/%lld/submissions?%s", fresh, bad[i]);
		expect_json_error(&srv, "GET", path, alice, NULL, 400, "bad_request");
	}
	snprintf(path, sizeof path, "/api/problems/%lld/submissions?per_page=100", fresh);
	json_decref(get_json(alice, path));
	expect_json_error(&srv, "GET", "/api/problems/999999/submissions", alice, NULL, 404, "not_found");
}
END_TEST

/* Items of GET path as (id, user) pairs; returns the total. */
static long long list(const char *token, const char *query, long long *ids, char users[][16], size_t max, size_t *n)
{
	char path[256];
	snprintf(path, sizeof path, "/api/submissions%s", query);
	json_t *page = get_json(token, path);
	json_t *items = json_object_get(page, "items");
	*n = json_array_size(items);
	ck_assert_uint_le(*n, max);
	for (size_t i = 0; i < *n; i++) {
		json_t *s = json_array_get(items, i);
		ids[i] = json_integer_value(json_object_get(s, "id"));
		snprintf(users[i], 16, "%s", json_string_value(json_object_get(s, "user")));
		ck_assert_ptr_null(json_object_get(s, "source"));
		if (i)
			ck_assert_int_lt(ids[i], ids[i - 1]);
	}
	long long total = json_integer_value(json_object_get(page, "total"));
	json_decref(page);
	return total;
}

/* Waits until the judge has finished the problem's submissions (bounded, not a timed assertion). */
static void wait_judged(long long problem_id, long long count)
{
	char path[128];
	snprintf(path, sizeof path, "/api/submissions?problem=%lld&per_page=100", problem_id);
	for (int tries = 0; tries < 1200; tries++) {
		json_t *page = get_json(srv.admin_token, path);
		json_t *items = json_object_get(page, "items");
		long long done = 0;
		for (size_t i = 0; i < json_array_size(items); i++)
			done += strcmp(json_string_value(json_object_get(json_array_get(items, i), "status")), "done") == 0;
		json_decref(page);
		if (done == count)
			return;
		struct timespec ts = {0, 100 * 1000000L};
		nanosleep(&ts, NULL);
	}
	ck_abort_msg("the judge did not finish the submissions of problem %lld", problem_id);
}

START_TEST(filtered_list)
{
	long long p = test_create_problem(&srv, "{\"slug\": \"filters\", \"title\": \"F\", \"tests\": ["
						"{\"input\": \"x\", \"output\": \"x\"}]}");
	long long a1 = submit_id(alice, p, "a1"), b1 = submit_id(bob, p, "b1"), a2 = submit_id(alice, p, "a2");
	long long a3 = submit_id(alice, other_problem, "a3");
	long long ids[100];
	char users[100][16];
	size_t n;
	char q[128];
	/* Admins: everything, and any filter. */
	snprintf(q, sizeof q, "?problem=%lld&per_page=100", p);
	ck_assert_int_eq(list(srv.admin_token, q, ids, users, 100, &n), 3);
	ck_assert(n == 3 && ids[0] == a2 && ids[1] == b1 && ids[2] == a1);
	snprintf(q, sizeof q, "?problem=%lld&user=bob", p);
	ck_assert_int_eq(list(srv.admin_token, q, ids, users, 100, &n), 1);
	ck_assert_int_eq(ids[0], b1);
	snprintf(q, sizeof q, "?problem=%lld&user=%lld", p, alice_id);
	ck_assert_int_eq(list(srv.admin_token, q, ids, users, 100, &n), 2);
	ck_assert(ids[0] == a2 && ids[1] == a1);
	long long all = list(srv.admin_token, "?per_page=100", ids, users, 100, &n);
	ck_assert_int_ge(all, 4);
	ck_assert_int_eq(list(srv.admin_token, "?problem=&user=&verdict=&per_page=100", ids, users, 100, &n), all);
	ck_assert_int_eq(list(srv.admin_token, "?user=admin", ids, users, 100, &n), 0);
	/* The verdict filter, once the judge is done with them: each verdict lists exactly its own. */
	wait_judged(p, 3);
	static const char *const verdicts[] = {"AC", "WA", "TLE", "MLE", "RTE", "OLE", "CE", "JE"};
	char path[128];
	snprintf(path, sizeof path, "/api/submissions?problem=%lld&per_page=100", p);
	json_t *all_p = get_json(srv.admin_token, path);
	size_t listed = 0;
	for (size_t v = 0; v < 8; v++) {
		size_t want = 0;
		json_t *items = json_object_get(all_p, "items");
		for (size_t i = 0; i < json_array_size(items); i++) {
			const char *got = json_string_value(json_object_get(json_array_get(items, i), "verdict"));
			want += got && strcmp(got, verdicts[v]) == 0;
		}
		snprintf(q, sizeof q, "?problem=%lld&verdict=%s&per_page=100", p, verdicts[v]);
		ck_assert_int_eq(list(srv.admin_token, q, ids, users, 100, &n), (long long)want);
		ck_assert_uint_eq(n, want);
		listed += n;
	}
	ck_assert_uint_eq(listed, 3); /* every one has a verdict, and only one */
	json_decref(all_p);
	/* Users: only their own, whatever they ask. */
	long long mine = list(alice, "?per_page=100", ids, users, 100, &n);
	ck_assert_int_ge(mine, 3);
	ck_assert_int_lt(mine, all);
	for (size_t i = 0; i < n; i++)
		ck_assert_str_eq(users[i], "alice");
	bool saw_a3 = false;
	for (size_t i = 0; i < n; i++)
		saw_a3 |= ids[i] == a3;
	ck_assert(saw_a3);
	snprintf(q, sizeof q, "?problem=%lld", p);
	ck_assert_int_eq(list(alice, q, ids, users, 100, &n), 2);
	ck_assert_int_eq(list(alice, "?user=me&per_page=100", ids, users, 100, &n), mine);
	ck_assert_int_eq(list(alice, "?user=alice&per_page=100", ids, users, 100, &n), mine);
	snprintf(q, sizeof q, "?user=%lld&per_page=100", alice_id);
	ck_assert_int_eq(list(alice, q, ids, users, 100, &n), mine);
	expect_json_error(&srv, "GET", "/api/submissions?user=bob", alice, NULL, 403, "forbidden");
	snprintf(q, sizeof q, "/api/submissions?user=%lld", bob_id);
	expect_json_error(&srv, "GET", q, alice, NULL, 403, "forbidden");
	/* Bad filters. */
	expect_json_error(&srv, "GET", "/api/submissions?problem=abc", alice, NULL, 400, "bad_request");
	expect_json_error(&srv, "GET", "/api/submissions?problem=0", alice, NULL, 400, "bad_request");
	expect_json_error(&srv, "GET", "/api/submissions?verdict=ac", alice, NULL, 400, "bad_request");
	expect_json_error(&srv, "GET", "/api/submissions?verdict=OK", srv.admin_token, NULL, 400, "bad_request");
	expect_json_error(&srv, "GET", "/api/submissions?user=nobody", srv.admin_token, NULL, 404, "not_found");
	expect_json_error(&srv, "GET", "/api/submissions?per_page=500", alice, NULL, 400, "bad_request");
	/* Paging of the filtered list. */
	snprintf(q, sizeof q, "?problem=%lld&page=2&per_page=2", p);
	ck_assert_int_eq(list(srv.admin_token, q, ids, users, 100, &n), 3);
	ck_assert(n == 1 && ids[0] == a1);
}
END_TEST

START_TEST(rejudge)
{
	long long p = test_create_problem(&srv, "{\"slug\": \"rejudge\", \"title\": \"R\", \"tests\": ["
						"{\"input\": \"x\", \"output\": \"x\"}]}");
	long long a = submit_id(alice, p, "a"), b = submit_id(bob, p, "b");
	json_t *before = get_submission(srv.admin_token, a);
	long long old_seq = json_integer_value(json_object_get(before, "seq"));
	json_decref(before);
	char path[96];
	snprintf(path, sizeof path, "/api/submissions/%lld/rejudge", a);
	struct response r;
	http_json_request(&r, &srv, "POST", path, srv.admin_token, NULL);
	ck_assert_msg(r.status == 202, "%ld %s", r.status, r.body);
	ck_assert_int_eq(json_integer_value(json_object_get(r.json, "id")), a);
	/* Queued, unless the judge's own tick came first. */
	const char *status = json_string_value(json_object_get(r.json, "status"));
	ck_assert(valid_status(status));
	if (strcmp(status, "done") != 0)
		ck_assert(json_is_null(json_object_get(r.json, "verdict")));
	long long new_seq = json_integer_value(json_object_get(r.json, "seq"));
	ck_assert_int_gt(new_seq, old_seq);
	ck_assert_ptr_null(json_object_get(r.json, "source"));
	response_free(&r);
	expect_json_error(&srv, "POST", path, alice, NULL, 403, "forbidden");
	expect_json_error(&srv, "POST", "/api/submissions/999999/rejudge", srv.admin_token, NULL, 404, "not_found");
	expect_json_error(&srv, "POST", "/api/submissions/a/rejudge", srv.admin_token, NULL, 400, "bad_request");

	long long seq0 = healthz_seq();
	snprintf(path, sizeof path, "/api/problems/%lld/rejudge", p);
	http_json_request(&r, &srv, "POST", path, srv.admin_token, NULL);
	ck_assert_msg(r.status == 202, "%ld %s", r.status, r.body);
	ck_assert_int_eq(json_integer_value(json_object_get(r.json, "problem_id")), p);
	ck_assert_int_eq(json_integer_value(json_object_get(r.json, "requeued")), 2);
	response_free(&r);
	/* One seq per requeued submission. */
	ck_assert_int_ge(healthz_seq(), seq0 + 2);
	json_t *s = get_submission(srv.admin_token, b);
	ck_assert_int_gt(json_integer_value(json_object_get(s, "seq")), seq0);
	json_decref(s);
	expect_json_error(&srv, "POST", path, bob, NULL, 403, "forbidden");
	expect_json_error(&srv, "POST", "/api/problems/999999/rejudge", srv.admin_token, NULL, 404, "not_found");
	/* A problem without submissions: nothing to do, still 202. */
	long long empty = test_create_problem(&srv, "{\"slug\": \"rejudge-empty\", \"title\": \"E\", \"tests\": ["
						    "{\"input\": \"x\", \"output\": \"x\"}]}");
	snprintf(path, sizeof path, "/api/problems/%lld/rejudge", empty);
	http_json_request(&r, &srv, "POST", path, srv.admin_token, NULL);
	ck_assert_int_eq(r.status, 202);
	ck_assert_int_eq(json_integer_value(json_object_get(r.json, "requeued")), 0);
	response_free(&r);
}
END_TEST

START_TEST(sources_never_leak_in_lists)
{
	long long id = submit_id(alice, problem, "LIST-LEAK-CANARY");
	char path[96];
	const char *tokens[] = {alice, bob, srv.admin_token};
	for (int t = 0; t < 3; t++) {
		snprintf(path, sizeof path, "/api/problems/%lld/submissions?per_page=100", problem);
		struct response r;
		http_json_request(&r, &srv, "GET", path, tokens[t], NULL);
		ck_assert_int_eq(r.status, 200);
		ck_assert_ptr_null(strstr(r.body, "LIST-LEAK-CANARY"));
		ck_assert_ptr_nonnull(strstr(r.body, "\"user\":\"alice\""));
		response_free(&r);
		http_json_request(&r, &srv, "GET", "/api/submissions?per_page=100", tokens[t], NULL);
		ck_assert_int_eq(r.status, 200);
		ck_assert_ptr_null(strstr(r.body, "LIST-LEAK-CANARY"));
		response_free(&r);
	}
	(void)id;
}
END_TEST

int main(void)
{
	Suite *s = suite_create("api-submissions");
	TCase *tc = tcase_create("submissions");
	tcase_add_unchecked_fixture(tc, start, stop);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, create_answers_queued_with_seq);
	tcase_add_test(tc, create_validation);
	tcase_add_test(tc, get_shows_source_to_owner_and_admins_only);
	tcase_add_test(tc, problem_list_newest_first_with_paging);
	tcase_add_test(tc, filtered_list);
	tcase_add_test(tc, rejudge);
	tcase_add_test(tc, sources_never_leak_in_lists);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
