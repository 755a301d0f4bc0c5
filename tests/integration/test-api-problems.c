/* Integration tests for /api/languages and /api/problems: create, get, list,
 * update, delete; hidden tests never leave the server; validation of every
 * field; admin-only writes. One server for the file. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

static struct server srv;
static char user_token[64];

static void start(void)
{
	server_start(&srv, NULL);
	test_create_user(&srv, "reader", false, user_token, sizeof user_token);
}

static void stop(void)
{
	server_finish(&srv);
}

/* The API.md example with a given slug; hidden tests carry markers that must never be seen. */
static char *example(const char *slug)
{
	char *s = NULL;
	int n = asprintf(&s,
			 "{\"slug\": \"%s\", \"title\": \"A plus B\", \"statement\": \"Read two integers ...\","
			 " \"time_limit_ms\": 1500, \"memory_limit_kb\": 131072, \"output_limit_kb\": 4096,"
			 " \"checker\": {\"type\": \"tokens\"},"
			 " \"tests\": [{\"input\": \"1 2\\n\", \"output\": \"3\\n\", \"sample\": true},"
			 "             {\"input\": \"HIDDEN-INPUT-5-7\\n\", \"output\": \"HIDDEN-ANSWER-12\\n\","
			 "              \"group\": \"secret\", \"points\": 100, \"name\": \"HIDDEN-NAME\"}]}",
			 slug);
	ck_assert_int_gt(n, 0);
	return s;
}

static void assert_no_hidden(const struct response *r)
{
	ck_assert_msg(strstr(r->body, "HIDDEN") == NULL, "hidden test data in: %s", r->body);
}

static long long create(const char *slug)
{
	char *body = example(slug);
	struct response r;
	http_json_request(&r, &srv, "POST", "/api/problems", srv.admin_token, body);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	long long id = json_integer_value(json_object_get(r.json, "id"));
	ck_assert_int_gt(id, 0);
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "slug")), slug);
	assert_no_hidden(&r);
	response_free(&r);
	free(body);
	return id;
}

static json_t *get(const char *token, long long id)
{
	char path[64];
	snprintf(path, sizeof path, "/api/problems/%lld", id);
	struct response r;
	http_json_request(&r, &srv, "GET", path, token, NULL);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	assert_no_hidden(&r);
	json_t *j = json_incref(r.json);
	response_free(&r);
	return j;
}

static json_int_t total_problems(void)
{
	struct response r;
	http_json_request(&r, &srv, "GET", "/api/problems", user_token, NULL);
	ck_assert_int_eq(r.status, 200);
	json_int_t n = json_integer_value(json_object_get(r.json, "total"));
	response_free(&r);
	return n;
}

START_TEST(languages)
{
	struct response r;
	http_json_request(&r, &srv, "GET", "/api/languages", user_token, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert(json_is_array(r.json));
	static const char *const builtin[][2] = {{"c", "/usr/bin/gcc"}, {"cpp", "/usr/bin/g++"},
						 {"python3", "/usr/bin/python3"}};
	for (size_t b = 0; b < 3; b++) {
		bool installed = access(builtin[b][1], X_OK) == 0, listed = false;
		for (size_t i = 0; i < json_array_size(r.json); i++) {
			json_t *l = json_array_get(r.json, i);
			if (strcmp(json_string_value(json_object_get(l, "id")), builtin[b][0]) != 0)
				continue;
			listed = true;
			ck_assert(json_string_length(json_object_get(l, "name")) > 0);
			json_t *ext = json_object_get(l, "extensions");
			ck_assert(json_is_array(ext) && json_array_size(ext) > 0);
			/* id, name, extensions, entry_point, source: no compile or run commands */
			ck_assert_uint_eq(json_object_size(l), 5);
			ck_assert_ptr_null(json_object_get(l, "compile"));
			ck_assert_str_eq(json_string_value(json_object_get(l, "entry_point")),
					 strcmp(builtin[b][0], "python3") == 0 ? "file" : "none");
		}
		ck_assert_msg(listed == installed, "%s listed %d, installed %d", builtin[b][0], listed, installed);
	}
	response_free(&r);
	const char *c_name = NULL;
	http_json_request(&r, &srv, "GET", "/api/languages", srv.admin_token, NULL);
	for (size_t i = 0; i < json_array_size(r.json); i++)
		if (strcmp(json_string_value(json_object_get(json_array_get(r.json, i), "id")), "c") == 0)
			c_name = json_string_value(json_object_get(json_array_get(r.json, i), "name"));
	if (access("/usr/bin/gcc", X_OK) == 0)
		ck_assert_msg(c_name && strncmp(c_name, "C17 (gcc", 8) == 0, "name %s", c_name ? c_name : "");
	response_free(&r);
}
END_TEST

START_TEST(create_and_get)
{
	long long id = create("sum");
	json_t *p = get(user_token, id);
	ck_assert_int_eq(json_integer_value(json_object_get(p, "id")), id);
	ck_assert_str_eq(json_string_value(json_object_get(p, "slug")), "sum");
	ck_assert_str_eq(json_string_value(json_object_get(p, "title")), "A plus B");
	ck_assert_str_eq(json_string_value(json_object_get(p, "statement")), "Read two integers ...");
	ck_assert_int_eq(json_integer_value(json_object_get(p, "time_limit_ms")), 1500);
	ck_assert_int_eq(json_integer_value(json_object_get(p, "memory_limit_kb")), 131072);
	ck_assert_int_eq(json_integer_value(json_object_get(p, "output_limit_kb")), 4096);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(p, "checker"), "type")), "tokens");
	ck_assert_str_eq(json_string_value(json_object_get(p, "scoring")), "ioi");
	/* Samples count as tests. */
	ck_assert_int_eq(json_integer_value(json_object_get(p, "test_count")), 2);
	json_t *samples = json_object_get(p, "samples");
	ck_assert_uint_eq(json_array_size(samples), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(samples, 0), "input")), "1 2\n");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(samples, 0), "output")), "3\n");
	json_decref(p);
	/* Admins do not see hidden tests through the API either. */
	p = get(srv.admin_token, id);
	ck_assert_int_eq(json_integer_value(json_object_get(p, "test_count")), 2);
	json_decref(p);
}
END_TEST

START_TEST(defaults_for_optional_fields)
{
	struct response r;
	http_json_request(&r, &srv, "POST", "/api/problems", srv.admin_token,
			  "{\"slug\": \"minimal\", \"title\": \"Minimal\","
			  " \"tests\": [{\"input\": \"\", \"output\": \"\"}]}");
	ck_assert_int_eq(r.status, 201);
	long long id = json_integer_value(json_object_get(r.json, "id"));
	response_free(&r);
	json_t *p = get(user_token, id);
	ck_assert_int_eq(json_integer_value(json_object_get(p, "time_limit_ms")), 1000);
	ck_assert_int_eq(json_integer_value(json_object_get(p, "memory_limit_kb")), 262144);
	ck_assert_int_eq(json_integer_value(json_object_get(p, "output_limit_kb")), 65536);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(p, "checker"), "type")), "tokens");
	ck_assert_str_eq(json_string_value(json_object_get(p, "statement")), "");
	ck_assert_str_eq(json_string_value(json_object_get(p, "scoring")), "icpc");
	ck_assert_int_eq(json_integer_value(json_object_get(p, "test_count")), 1);
	ck_assert_uint_eq(json_array_size(json_object_get(p, "samples")), 0);
	json_decref(p);
}
END_TEST

START_TEST(checkers_are_stored)
{
	static const char *const checkers[][2] = {
		{"{\"type\": \"exact\"}", "exact"},
		{"{\"type\": \"float\", \"abs\": 0.001}", "float"},
		{"{\"type\": \"float\", \"rel\": 1e-9, \"abs\": null}", "float"},
		{"{\"type\": \"kattis\", \"case_sensitive\": true, \"float_rel\": 0.5}", "kattis"},
	};
	for (size_t i = 0; i < sizeof checkers / sizeof checkers[0]; i++) {
		char body[512];
		snprintf(body, sizeof body,
			 "{\"slug\": \"checker-%zu\", \"title\": \"C\", \"checker\": %s,"
			 " \"tests\": [{\"input\": \"1\", \"output\": \"1\"}]}",
			 i, checkers[i][0]);
		struct response r;
		http_json_request(&r, &srv, "POST", "/api/problems", srv.admin_token, body);
		ck_assert_msg(r.status == 201, "%s: %ld %s", checkers[i][0], r.status, r.body);
		long long id = json_integer_value(json_object_get(r.json, "id"));
		response_free(&r);
		json_t *p = get(user_token, id);
		json_t *c = json_object_get(p, "checker");
		ck_assert_str_eq(json_string_value(json_object_get(c, "type")), checkers[i][1]);
		if (i == 1)
			ck_assert(json_real_value(json_object_get(c, "abs")) == 0.001);
		if (i == 2)
			ck_assert(json_real_value(json_object_get(c, "rel")) == 1e-9);
		if (i == 3) {
			ck_assert(json_is_true(json_object_get(c, "case_sensitive")));
			ck_assert(json_is_false(json_object_get(c, "space_change_sensitive")));
			ck_assert(json_real_value(json_object_get(c, "float_rel")) == 0.5);
		}
		json_decref(p);
	}
}
END_TEST

START_TEST(list_pages)
{
	long long ids[3];
	ids[0] = create("list-a");
	ids[1] = create("list-b");
	ids[2] = create("list-c");
	json_int_t total = total_problems();
	ck_assert_int_ge(total, 3);
	/* Walk every page of 2: each problem exactly once, summary fields only. */
	int seen[3] = {0, 0, 0};
	json_int_t counted = 0;
	for (int page = 1; page <= (total + 1) / 2 + 1; page++) {
		char path[64];
		snprintf(path, sizeof path, "/api/problems?page=%d&per_page=2", page);
		struct response r;
		http_json_request(&r, &srv, "GET", path, user_token, NULL);
		ck_assert_int_eq(r.status, 200);
		assert_no_hidden(&r);
		ck_assert_int_eq(json_integer_value(json_object_get(r.json, "page")), page);
		ck_assert_int_eq(json_integer_value(json_object_get(r.json, "per_page")), 2);
		ck_assert_int_eq(json_integer_value(json_object_get(r.json, "total")), total);
		json_t *items = json_object_get(r.json, "items");
		ck_assert_uint_le(json_array_size(items), 2);
		counted += (json_int_t)json_array_size(items);
		for (size_t i = 0; i < json_array_size(items); i++) {
			json_t *p = json_array_get(items, i);
			ck_assert_uint_eq(json_object_size(p), 5);
			ck_assert_ptr_nonnull(json_object_get(p, "slug"));
			ck_assert_ptr_nonnull(json_object_get(p, "title"));
			ck_assert_ptr_nonnull(json_object_get(p, "time_limit_ms"));
			ck_assert_ptr_nonnull(json_object_get(p, "memory_limit_kb"));
			for (int k = 0; k < 3; k++)
				seen[k] += json_integer_value(json_object_get(p, "id")) == ids[k];
		}
		response_free(&r);
	}
	ck_assert_int_eq(counted, total);
	ck_assert(seen[0] == 1 && seen[1] == 1 && seen[2] == 1);
}
END_TEST

START_TEST(update)
{
	long long id = create("upd");
	create("upd-other");
	char path[64];
	snprintf(path, sizeof path, "/api/problems/%lld", id);
	/* A partial update keeps every other field, and the tests. */
	struct response r;
	http_json_request(&r, &srv, "PUT", path, srv.admin_token, "{\"title\": \"New title\", \"time_limit_ms\": 3000}");
	ck_assert_int_eq(r.status, 200);
	assert_no_hidden(&r);
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "title")), "New title");
	ck_assert_int_eq(json_integer_value(json_object_get(r.json, "time_limit_ms")), 3000);
	ck_assert_int_eq(json_integer_value(json_object_get(r.json, "memory_limit_kb")), 131072);
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "statement")), "Read two integers ...");
	ck_assert_int_eq(json_integer_value(json_object_get(r.json, "test_count")), 2);
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "slug")), "upd");
	response_free(&r);
	json_t *p = get(user_token, id);
	ck_assert_str_eq(json_string_value(json_object_get(p, "title")), "New title");
	json_decref(p);
	/* New tests replace the old ones. */
	http_json_request(&r, &srv, "PUT", path, srv.admin_token,
			  "{\"checker\": {\"type\": \"exact\"}, \"tests\": [{\"input\": \"a\", \"output\": \"A\", \"sample\": true},"
			  " {\"input\": \"b\", \"output\": \"B\", \"sample\": true}, {\"input\": \"HIDDEN\", \"output\": \"HIDDEN\"}]}");
	ck_assert_int_eq(r.status, 200);
	assert_no_hidden(&r);
	ck_assert_int_eq(json_integer_value(json_object_get(r.json, "test_count")), 3);
	ck_assert_uint_eq(json_array_size(json_object_get(r.json, "samples")), 2);
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "scoring")), "icpc");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(r.json, "checker"), "type")), "exact");
	response_free(&r);
	/* The slug may change, but not to a taken one. */
	http_json_request(&r, &srv, "PUT", path, srv.admin_token, "{\"slug\": \"upd-renamed\"}");
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "slug")), "upd-renamed");
	response_free(&r);
	expect_json_error(&srv, "PUT", path, srv.admin_token, "{\"slug\": \"upd-other\"}", 409, "conflict");
	expect_json_error(&srv, "PUT", path, srv.admin_token, "{\"time_limit_ms\": 0}", 400, "validation");
	expect_json_error(&srv, "PUT", path, srv.admin_token, "{\"tests\": []}", 400, "validation");
	expect_json_error(&srv, "PUT", path, srv.admin_token, "{\"title\": \"\"}", 400, "validation");
	expect_json_error(&srv, "PUT", "/api/problems/999999", srv.admin_token, "{\"title\": \"x\"}", 404, "not_found");
	expect_json_error(&srv, "PUT", "/api/problems/x1", srv.admin_token, "{\"title\": \"x\"}", 400, "bad_request");
	/* The refused updates changed nothing. */
	p = get(user_token, id);
	ck_assert_str_eq(json_string_value(json_object_get(p, "slug")), "upd-renamed");
	ck_assert_str_eq(json_string_value(json_object_get(p, "title")), "New title");
	ck_assert_int_eq(json_integer_value(json_object_get(p, "test_count")), 3);
	json_decref(p);
}
END_TEST

START_TEST(delete)
{
	long long id = create("to-delete");
	char path[64], subs[96];
	snprintf(path, sizeof path, "/api/problems/%lld", id);
	snprintf(subs, sizeof subs, "/api/problems/%lld/submissions", id);
	struct response r;
	http_json_request(&r, &srv, "POST", subs, user_token, "{\"language\": \"c\", \"source\": \"int main(void){}\"}");
	long long sub = r.status == 201 ? json_integer_value(json_object_get(r.json, "id")) : 0;
	response_free(&r);
	json_int_t before = total_problems();
	http_json_request(&r, &srv, "DELETE", path, srv.admin_token, NULL);
	ck_assert_int_eq(r.status, 204);
	ck_assert_uint_eq(r.body_len, 0);
	response_free(&r);
	ck_assert_int_eq(total_problems(), before - 1);
	expect_json_error(&srv, "GET", path, user_token, NULL, 404, "not_found");
	expect_json_error(&srv, "DELETE", path, srv.admin_token, NULL, 404, "not_found");
	expect_json_error(&srv, "GET", subs, user_token, NULL, 404, "not_found");
	if (sub) {
		char s[64];
		snprintf(s, sizeof s, "/api/submissions/%lld", sub);
		expect_json_error(&srv, "GET", s, srv.admin_token, NULL, 404, "not_found");
	}
	/* The slug is free again. */
	create("to-delete");
}
END_TEST

START_TEST(duplicate_slug)
{
	create("dup");
	json_int_t before = total_problems();
	char *body = example("dup");
	expect_json_error(&srv, "POST", "/api/problems", srv.admin_token, body, 409, "conflict");
	free(body);
	ck_assert_int_eq(total_problems(), before);
}
END_TEST

START_TEST(only_admins_write)
{
	long long id = create("admins-only");
	char path[64];
	snprintf(path, sizeof path, "/api/problems/%lld", id);
	char *body = example("by-user");
	expect_json_error(&srv, "POST", "/api/problems", user_token, body, 403, "forbidden");
	free(body);
	expect_json_error(&srv, "PUT", path, user_token, "{\"title\": \"mine\"}", 403, "forbidden");
	expect_json_error(&srv, "DELETE", path, user_token, NULL, 403, "forbidden");
	struct response r;
	http_request(&r, &srv, "POST", "/api/problems/import", user_token, "application/zip", "PK", 2, NULL);
	expect_error(&r, 403, "forbidden");
	response_free(&r);
	json_t *p = get(user_token, id);
	ck_assert_str_eq(json_string_value(json_object_get(p, "title")), "A plus B");
	json_decref(p);
	expect_json_error(&srv, "GET", "/api/problems/999999", user_token, NULL, 404, "not_found");
	expect_json_error(&srv, "GET", "/api/problems/-1", user_token, NULL, 400, "bad_request");
}
END_TEST

/* Every field, every way to get it wrong: 400 validation, nothing stored. */
START_TEST(validation_of_every_field)
{
#define TESTS "\"tests\": [{\"input\": \"1\", \"output\": \"1\"}]"
	static const char *const invalid[] = {
		/* slug */
		"{\"title\": \"T\", " TESTS "}",
		"{\"slug\": null, \"title\": \"T\", " TESTS "}",
		"{\"slug\": \"\", \"title\": \"T\", " TESTS "}",
		"{\"slug\": \"Upper\", \"title\": \"T\", " TESTS "}",
		"{\"slug\": \"has space\", \"title\": \"T\", " TESTS "}",
		"{\"slug\": \"-dash\", \"title\": \"T\", " TESTS "}",
		"{\"slug\": \"_under\", \"title\": \"T\", " TESTS "}",
		"{\"slug\": \"dot.ted\", \"title\": \"T\", " TESTS "}",
		"{\"slug\": \"sl/ash\", \"title\": \"T\", " TESTS "}",
		"{\"slug\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\", \"title\": \"T\", " TESTS "}",
		"{\"slug\": 7, \"title\": \"T\", " TESTS "}",
		/* title */
		"{\"slug\": \"v\", " TESTS "}",
		"{\"slug\": \"v\", \"title\": \"\", " TESTS "}",
		"{\"slug\": \"v\", \"title\": [], " TESTS "}",
		/* statement, statement_format */
		"{\"slug\": \"v\", \"title\": \"T\", \"statement\": 1, " TESTS "}",
		"{\"slug\": \"v\", \"title\": \"T\", \"statement_format\": \"html\", " TESTS "}",
		"{\"slug\": \"v\", \"title\": \"T\", \"statement_format\": true, " TESTS "}",
		/* limits */
		"{\"slug\": \"v\", \"title\": \"T\", \"time_limit_ms\": 0, " TESTS "}",
		"{\"slug\": \"v\", \"title\": \"T\", \"time_limit_ms\": 60001, " TESTS "}",
		"{\"slug\": \"v\", \"title\": \"T\", \"time_limit_ms\": -5, " TESTS "}",
		"{\"slug\": \"v\", \"title\": \"T\", \"time_limit_ms\": 1.5, " TESTS "}",
		"{\"slug\": \"v\", \"title\": \"T\", \"time_limit_ms\": \"1000\", " TESTS "}",
		"{\"slug\": \"v\", \"title\": \"T\", \"memory_limit_kb\": 1023, " TESTS "}",
		"{\"slug\": \"v\", \"title\": \"T\", \"memory_limit_kb\": 4194305, " TESTS "}",
		"{\"slug\": \"v\", \"title\": \"T\", \"output_limit_kb\": 0, " TESTS "}",
		"{\"slug\": \"v\", \"title\": \"T\", \"output_limit_kb\": 1048577, " TESTS "}",
		/* checker */
		"{\"slug\": \"v\", \"title\": \"T\", \"checker\": \"tokens\", " TESTS "}",
		"{\"slug\": \"v\", \"title\": \"T\", \"checker\": {}, " TESTS "}",
		"{\"slug\": \"v\", \"title\": \"T\", \"checker\": {\"type\": \"regex\"}, " TESTS "}",
		"{\"slug\": \"v\", \"title\": \"T\", \"checker\": {\"type\": \"custom\"}, " TESTS "}",
		"{\"slug\": \"v\", \"title\": \"T\", \"checker\": {\"type\": \"float\", \"abs\": -1}, " TESTS "}",
		"{\"slug\": \"v\", \"title\": \"T\", \"checker\": {\"type\": \"float\", \"abs\": \"x\"}, " TESTS "}",
		"{\"slug\": \"v\", \"title\": \"T\", \"checker\": {\"type\": \"tokens\", \"abs\": 1}, " TESTS "}",
		"{\"slug\": \"v\", \"title\": \"T\", \"checker\": {\"type\": \"kattis\", \"case_sensitive\": 1}, " TESTS "}",
		/* tests */
		"{\"slug\": \"v\", \"title\": \"T\"}",
		"{\"slug\": \"v\", \"title\": \"T\", \"tests\": []}",
		"{\"slug\": \"v\", \"title\": \"T\", \"tests\": {}}",
		"{\"slug\": \"v\", \"title\": \"T\", \"tests\": null}",
		"{\"slug\": \"v\", \"title\": \"T\", \"tests\": [1]}",
		"{\"slug\": \"v\", \"title\": \"T\", \"tests\": [{\"output\": \"1\"}]}",
		"{\"slug\": \"v\", \"title\": \"T\", \"tests\": [{\"input\": \"1\"}]}",
		"{\"slug\": \"v\", \"title\": \"T\", \"tests\": [{\"input\": 1, \"output\": \"1\"}]}",
		"{\"slug\": \"v\", \"title\": \"T\", \"tests\": [{\"input\": \"1\", \"output\": \"1\", \"sample\": \"yes\"}]}",
		"{\"slug\": \"v\", \"title\": \"T\", \"tests\": [{\"input\": \"1\", \"output\": \"1\", \"group\": \"\"}]}",
		"{\"slug\": \"v\", \"title\": \"T\", \"tests\": [{\"input\": \"1\", \"output\": \"1\", \"group\": 3}]}",
		"{\"slug\": \"v\", \"title\": \"T\", \"tests\": [{\"input\": \"1\", \"output\": \"1\", \"points\": -1}]}",
		"{\"slug\": \"v\", \"title\": \"T\", \"tests\": [{\"input\": \"1\", \"output\": \"1\", \"points\": \"10\"}]}",
		"{\"slug\": \"v\", \"title\": \"T\", \"tests\": [{\"input\": \"1\", \"output\": \"1\", \"name\": 5}]}",
		"{\"slug\": \"v\", \"title\": \"T\", \"tests\": [{\"input\": \"1\", \"output\": \"1\"}, {\"input\": \"2\", \"output\": \"2\", \"sample\": true}, 7]}",
	};
	json_int_t before = total_problems();
	for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++)
		expect_json_error(&srv, "POST", "/api/problems", srv.admin_token, invalid[i], 400, "validation");
	/* Numbers beyond 64 bits do not even parse. */
	expect_json_error(&srv, "POST", "/api/problems", srv.admin_token,
			  "{\"slug\": \"v\", \"title\": \"T\", \"memory_limit_kb\": 99999999999999999999, " TESTS "}", 400,
			  "invalid_json");
	expect_json_error(&srv, "POST", "/api/problems", srv.admin_token,
			  "{\"slug\": \"v\", \"title\": \"T\", \"tests\": [{\"input\": \"x\\u0000\", \"output\": \"1\"}]}", 400,
			  "invalid_json");
	/* Too long fields. */
	char title[260], body[600];
	memset(title, 't', 201);
	title[201] = '\0';
	snprintf(body, sizeof body, "{\"slug\": \"v\", \"title\": \"%s\", " TESTS "}", title);
	expect_json_error(&srv, "POST", "/api/problems", srv.admin_token, body, 400, "validation");
	/* More than 1000 tests. */
	size_t cap = 1001 * 32 + 128, len = 0;
	char *many = malloc(cap);
	len += (size_t)snprintf(many, cap, "{\"slug\": \"v\", \"title\": \"T\", \"tests\": [");
	for (int i = 0; i < 1001; i++)
		len += (size_t)snprintf(many + len, cap - len, "%s{\"input\":\"\",\"output\":\"\"}", i ? "," : "");
	snprintf(many + len, cap - len, "]}");
	expect_json_error(&srv, "POST", "/api/problems", srv.admin_token, many, 400, "validation");
	free(many);
	ck_assert_int_eq(total_problems(), before);
	/* ...and the edges that are fine. */
	memset(title, 't', 200);
	title[200] = '\0';
	snprintf(body, sizeof body,
		 "{\"slug\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\", \"title\": \"%s\","
		 " \"time_limit_ms\": 60000, \"memory_limit_kb\": 1024, \"output_limit_kb\": 1048576,"
		 " \"statement_format\": \"text\", " TESTS "}",
		 title);
	struct response r;
	http_json_request(&r, &srv, "POST", "/api/problems", srv.admin_token, body);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	response_free(&r);
#undef TESTS
}
END_TEST

int main(void)
{
	Suite *s = suite_create("api-problems");
	TCase *tc = tcase_create("problems");
	tcase_add_unchecked_fixture(tc, start, stop);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, languages);
	tcase_add_test(tc, create_and_get);
	tcase_add_test(tc, defaults_for_optional_fields);
	tcase_add_test(tc, checkers_are_stored);
	tcase_add_test(tc, list_pages);
	tcase_add_test(tc, update);
	tcase_add_test(tc, delete);
	tcase_add_test(tc, duplicate_slug);
	tcase_add_test(tc, only_admins_write);
	tcase_add_test(tc, validation_of_every_field);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
