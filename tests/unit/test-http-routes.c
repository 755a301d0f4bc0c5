/* Unit tests for routing in http.c: pattern matching and route lookup with
 * 400/404/405 outcomes. */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_int.h"
#include "routes.h"

static int match(const char *pattern, const char *path, int64_t ids[2], const char **bad, size_t *bad_len)
{
	*bad = NULL;
	*bad_len = 0;
	ids[0] = ids[1] = -1;
	return http_route_match(pattern, path, ids, bad, bad_len);
}

START_TEST(literal_paths_match_exactly)
{
	int64_t ids[2];
	const char *bad;
	size_t bad_len;
	ck_assert_int_eq(match("/api/me", "/api/me", ids, &bad, &bad_len), 2);
	ck_assert_ptr_null(bad);
	ck_assert_int_eq(match("/healthz", "/healthz", ids, &bad, &bad_len), 1);
	const char *misses[] = {"/api/me/", "/api/mex", "/api", "/api/m", "/api//me", "api/me", "/API/me", ""};
	for (size_t i = 0; i < sizeof misses / sizeof misses[0]; i++)
		ck_assert_msg(match("/api/me", misses[i], ids, &bad, &bad_len) == -1, "matched '%s'", misses[i]);
}
END_TEST

START_TEST(id_segments_are_parsed)
{
	int64_t ids[2];
	const char *bad;
	size_t bad_len;
	ck_assert_int_eq(match("/api/problems/{id}", "/api/problems/42", ids, &bad, &bad_len), 2);
	ck_assert_int_eq(ids[0], 42);
	ck_assert_ptr_null(bad);
	ck_assert_int_eq(match("/api/problems/{id}/submissions", "/api/problems/7/submissions", ids, &bad, &bad_len), 3);
	ck_assert_int_eq(ids[0], 7);
	ck_assert_int_eq(match("/a/{id}/b/{id}", "/a/3/b/9223372036854775807", ids, &bad, &bad_len), 2);
	ck_assert_int_eq(ids[0], 3);
	ck_assert_int_eq(ids[1], INT64_MAX);
	/* An {id} needs a segment: nothing, or a missing tail, is no match. */
	ck_assert_int_eq(match("/api/problems/{id}", "/api/problems/", ids, &bad, &bad_len), -1);
	ck_assert_int_eq(match("/api/problems/{id}", "/api/problems", ids, &bad, &bad_len), -1);
	ck_assert_int_eq(match("/api/problems/{id}/submissions", "/api/problems//submissions", ids, &bad, &bad_len), -1);
	ck_assert_int_eq(match("/api/problems/{id}/submissions", "/api/problems/7", ids, &bad, &bad_len), -1);
	ck_assert_int_eq(match("/api/problems/{id}", "/api/problems/7/submissions", ids, &bad, &bad_len), -1);
}
END_TEST

START_TEST(invalid_ids_still_match_but_are_reported)
{
	const char *bad_ids[] = {"abc", "0", "-1", "01", "1.5", "1e3", "%31", "99999999999999999999",
				 "123456789012345678901234567890"};
	for (size_t i = 0; i < sizeof bad_ids / sizeof bad_ids[0]; i++) {
		char path[128];
		snprintf(path, sizeof path, "/api/submissions/%s/rejudge", bad_ids[i]);
		int64_t ids[2];
		const char *bad;
		size_t bad_len;
		ck_assert_int_eq(match("/api/submissions/{id}/rejudge", path, ids, &bad, &bad_len), 3);
		ck_assert_msg(bad != NULL, "'%s' not reported", bad_ids[i]);
		ck_assert_uint_eq(bad_len, strlen(bad_ids[i]));
		ck_assert(strncmp(bad, bad_ids[i], bad_len) == 0);
	}
}
END_TEST

START_TEST(key_segments_match_clics_ids)
{
	int64_t ids[2];
	const char *bad;
	size_t bad_len;
	const char *good[] = {"A", "team-7", "kth.se", "a_b", "123456789012345678901234567890123456"};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		char path[128];
		snprintf(path, sizeof path, "/api/contests/3/problems/%s/submissions", good[i]);
		ck_assert_int_eq(match("/api/contests/{id}/problems/{key}/submissions", path, ids, &bad, &bad_len), 4);
		ck_assert_msg(bad == NULL, "'%s' reported", good[i]);
		ck_assert_int_eq(ids[0], 3);
	}
	const char *wrong[] = {"-a", ".a", "a b", "a%20b", "1234567890123456789012345678901234567"};
	for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
		char path[128];
		snprintf(path, sizeof path, "/api/contests/3/teams/%s", wrong[i]);
		ck_assert_int_eq(match("/api/contests/{id}/teams/{key}", path, ids, &bad, &bad_len), 3);
		ck_assert_msg(bad != NULL, "'%s' not reported", wrong[i]);
	}
	ck_assert_int_eq(match("/api/contests/{id}/teams/{key}", "/api/contests/3/teams/", ids, &bad, &bad_len), -1);
}
END_TEST

/* ---- route lookup ---- */

static const char *const method_names[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OTHER"};
_Static_assert(sizeof method_names / sizeof *method_names == HTTP_OTHER + 1, "a name for every method");

static const struct route *lookup(struct request_state *rs, enum http_method m, const char *path)
{
	memset(rs, 0, sizeof *rs);
	rs->route_index = -1;
	rs->req.method = m;
	rs->method = method_names[m];
	rs->req.path = path;
	return http_find_route(&api_routes, rs, path);
}

static void release(struct request_state *rs)
{
	json_decref(rs->res.json);
	free(rs->res.allow);
	memset(rs, 0, sizeof *rs);
}

static const char *error_code(const struct request_state *rs)
{
	return json_string_value(json_object_get(json_object_get(rs->res.json, "error"), "code"));
}

/* Every route in the table is found by its own method and a path made from its pattern. */
START_TEST(every_route_finds_itself)
{
	for (int i = 0; i < route_count; i++) {
		char path[256] = "";
		int n = 0;
		int64_t want[2] = {0, 0};
		for (const char *p = routes[i].pattern; *p;) {
			if (strncmp(p, "{id}", 4) == 0) {
				want[n] = 100 + 11 * n;
				snprintf(path + strlen(path), sizeof path - strlen(path), "%lld", (long long)want[n]);
				n++;
				p += 4;
			} else {
				size_t len = strlen(path);
				path[len] = *p++;
				path[len + 1] = '\0';
			}
		}
		struct request_state rs;
		const struct route *r = lookup(&rs, routes[i].method, path);
		ck_assert_msg(r == &routes[i], "%s %s found %s", method_names[routes[i].method], path,
			      r ? r->pattern : "nothing");
		ck_assert_int_eq(rs.route_index, i);
		ck_assert_int_eq(rs.res.status, 0);
		ck_assert_int_eq(rs.req.id[0], want[0]);
		ck_assert_int_eq(rs.req.id[1], want[1]);
		release(&rs);
	}
}
END_TEST

START_TEST(literal_segment_beats_id)
{
	struct request_state rs;
	const struct route *r = lookup(&rs, HTTP_POST, "/api/problems/import");
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(r->pattern, "/api/problems/import");
	ck_assert_int_eq(rs.res.status, 0);
	release(&rs);
	/* GET on it is not "problem 'import'" but a method the path does not take. */
	r = lookup(&rs, HTTP_GET, "/api/problems/import");
	ck_assert_int_eq(rs.res.status, 405);
	ck_assert_str_eq(rs.res.allow, "POST");
	release(&rs);
}
END_TEST

START_TEST(wrong_method_is_405_with_allow)
{
	struct request_state rs;
	lookup(&rs, HTTP_OTHER, "/api/problems/5");
	ck_assert_int_eq(rs.res.status, 405);
	ck_assert_str_eq(error_code(&rs), "method_not_allowed");
	ck_assert_ptr_nonnull(rs.res.allow);
	ck_assert_str_eq(rs.res.allow, "GET, PUT, DELETE");
	ck_assert_int_eq(rs.route_index, -1);
	release(&rs);
	lookup(&rs, HTTP_DELETE, "/api/me");
	ck_assert_int_eq(rs.res.status, 405);
	ck_assert_str_eq(rs.res.allow, "GET");
	release(&rs);
	lookup(&rs, HTTP_PUT, "/api/problems/5/submissions");
	ck_assert_int_eq(rs.res.status, 405);
	ck_assert_str_eq(rs.res.allow, "GET, POST");
	release(&rs);
	lookup(&rs, HTTP_GET, "/api/auth/login");
	ck_assert_int_eq(rs.res.status, 405);
	ck_assert_str_eq(rs.res.allow, "POST");
	release(&rs);
}
END_TEST

START_TEST(head_is_routed_as_get)
{
	struct request_state rs;
	const struct route *r = lookup(&rs, HTTP_HEAD, "/api/problems/3");
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->method, HTTP_GET);
	ck_assert_str_eq(r->pattern, "/api/problems/{id}");
	ck_assert_int_eq(rs.req.id[0], 3);
	ck_assert_int_eq(rs.res.status, 0);
	release(&rs);
}
END_TEST

START_TEST(invalid_id_is_left_for_the_caller)
{
	struct request_state rs;
	const struct route *r = lookup(&rs, HTTP_GET, "/api/submissions/abc");
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(r->pattern, "/api/submissions/{id}");
	ck_assert_int_eq(rs.res.status, 0);
	ck_assert_ptr_nonnull(rs.bad_id);
	ck_assert_uint_eq(rs.bad_id_len, 3);
	ck_assert(strncmp(rs.bad_id, "abc", 3) == 0);
	release(&rs);
	r = lookup(&rs, HTTP_POST, "/api/problems/0/submissions");
	ck_assert_str_eq(r->pattern, "/api/problems/{id}/submissions");
	ck_assert_uint_eq(rs.bad_id_len, 1);
	release(&rs);
	r = lookup(&rs, HTTP_GET, "/api/problems/12");
	ck_assert_ptr_null(rs.bad_id);
	release(&rs);
	/* The wrong method wins over a bad id. */
	lookup(&rs, HTTP_POST, "/api/submissions/abc");
	ck_assert_int_eq(rs.res.status, 405);
	release(&rs);
}
END_TEST

START_TEST(unknown_paths_find_nothing)
{
	const char *paths[] = {"/", "/api", "/api/", "/api/nope", "/api/problems/1/nope", "/index.html",
			       "/api/users/1/2", "/metrics/"};
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		struct request_state rs;
		ck_assert_msg(lookup(&rs, HTTP_GET, paths[i]) == NULL, "found a route for %s", paths[i]);
		ck_assert_int_eq(rs.res.status, 0);
		release(&rs);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("http-routes");
	TCase *tc = tcase_create("match");
	tcase_add_test(tc, literal_paths_match_exactly);
	tcase_add_test(tc, id_segments_are_parsed);
	tcase_add_test(tc, invalid_ids_still_match_but_are_reported);
	tcase_add_test(tc, key_segments_match_clics_ids);
	suite_add_tcase(s, tc);
	tc = tcase_create("find_route");
	tcase_add_test(tc, every_route_finds_itself);
	tcase_add_test(tc, literal_segment_beats_id);
	tcase_add_test(tc, wrong_method_is_405_with_allow);
	tcase_add_test(tc, head_is_routed_as_get);
	tcase_add_test(tc, invalid_id_is_left_for_the_caller);
	tcase_add_test(tc, unknown_paths_find_nothing);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
