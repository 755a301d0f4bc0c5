/* Integration tests of the CLICS event feed over real HTTP with
 * ?stream=false (everything the feed has, then the end of the answer), on
 * the shared CLICS fixture contest (clics_fixture.h) moved through its
 * phases: for the jury, a team and the public, before the start, in the
 * freeze, after the thaw and after the finalize, every line has type, id
 * (= data.id) and data, with a token string on the last line of each
 * change; the last line of every object equals what the REST endpoint
 * answers the same viewer, and every REST object is in the feed; a frozen
 * submission's judgement is not in the public's feed until the thaw; a
 * resume after a token gives what changed after it; bad tokens are 400. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clics_fixture.h"
#include "common.h"

static struct server srv;
static struct clics_fixture fx;

#define BASE CLICS_FIXTURE_BASE

static void get(struct response *r, const char *path, const char *who)
{
	http_request(r, &srv, "GET", path, NULL, NULL, NULL, 0, who ? (const char *const[]){who, NULL} : NULL);
}

static const char *str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* The feed as `who` sees it (query: after "?stream=false", e.g. "&since_token=5"), as an array of its lines. */
static json_t *feed(const char *who, const char *query)
{
	char path[256];
	snprintf(path, sizeof path, BASE "event-feed?stream=false%s", query ? query : "");
	struct response r;
	get(&r, path, who);
	ck_assert_msg(r.status == 200, "GET %s: %ld %s", path, r.status, r.body);
	char ct[64];
	ck_assert(response_header(&r, "Content-Type", ct, sizeof ct));
	ck_assert_str_eq(ct, "application/x-ndjson");
	json_t *lines = json_array();
	char *p = r.body;
	while (p && *p) {
		char *nl = strchr(p, '\n');
		ck_assert_msg(nl, "a line without its newline");
		*nl = '\0';
		json_error_t e;
		json_t *j = json_loads(p, 0, &e);
		ck_assert_msg(j, "not JSON: %s", p);
		json_array_append_new(lines, j);
		p = nl + 1;
	}
	response_free(&r);
	return lines;
}

/* Every line: {type, id, data[, token]}, id = data.id (null for the contest
   and state), a token string on the last line (each change's last line
   carries one, so the feed's last does, unless only objects outside the
   log came). Returns the last token (or -1). */
static long long check_shape(json_t *lines)
{
	size_t i;
	json_t *l;
	long long last = -1;
	json_array_foreach(lines, i, l) {
		ck_assert_ptr_nonnull(str(l, "type"));
		json_t *id = json_object_get(l, "id"), *data = json_object_get(l, "data"), *token = json_object_get(l, "token");
		ck_assert_ptr_nonnull(id);
		ck_assert_ptr_nonnull(data);
		bool single = strcmp(str(l, "type"), "contest") == 0 || strcmp(str(l, "type"), "state") == 0;
		ck_assert(single ? json_is_null(id) : json_is_string(id));
		if (!single && !json_is_null(data))
			ck_assert_str_eq(json_string_value(id), str(data, "id"));
		if (token) {
			ck_assert(json_is_string(token));
			long long t = atoll(json_string_value(token));
			ck_assert_int_ge(t, last);
			last = t;
		}
	}
	ck_assert(json_array_size(lines) > 0);
	ck_assert_ptr_nonnull(json_object_get(json_array_get(lines, json_array_size(lines) - 1), "token"));
	return last;
}

/* The last line of (type, id) in lines, or NULL (borrowed). */
static json_t *last_of(json_t *lines, const char *type, const char *id)
{
	json_t *found = NULL, *l;
	size_t i;
	json_array_foreach(lines, i, l)
		if (strcmp(str(l, "type"), type) == 0 &&
		    (id ? str(l, "id") && strcmp(str(l, "id"), id) == 0 : json_is_null(json_object_get(l, "id"))))
			found = l;
	return found;
}

static const char *const types[] = {"judgement-types", "languages", "problems", "groups", "organizations", "teams",
				    "submissions", "judgements", "runs", "clarifications", "awards"};

/* The feed and REST agree for `who`: the last line of every object equals
   its GET (a null one is a 404), and every object of every collection is
   in the feed. */
static void check_against_rest(json_t *lines, const char *who)
{
	char path[256];
	size_t i;
	json_t *l;
	/* accounts are REST only: never in the feed (the spec's checker expects none) */
	ck_assert_ptr_null(last_of(lines, "accounts", NULL));
	json_array_foreach(lines, i, l) {
		const char *type = str(l, "type"), *id = str(l, "id");
		if (last_of(lines, type, id) != l)
			continue;
		if (strcmp(type, "contest") == 0)
			snprintf(path, sizeof path, "/api/clics/contests/%s", CLICS_FIXTURE_KEY);
		else if (strcmp(type, "state") == 0)
			snprintf(path, sizeof path, BASE "state");
		else
			snprintf(path, sizeof path, BASE "%s/%s", type, id);
		struct response r;
		get(&r, path, who);
		if (json_is_null(json_object_get(l, "data"))) {
			ck_assert_msg(r.status == 404, "%s: %ld, the feed's last line is null", path, r.status);
		} else {
			ck_assert_msg(r.status == 200, "%s: %ld %s", path, r.status, r.body);
			char *a = json_dumps(json_object_get(l, "data"), JSON_SORT_KEYS | JSON_COMPACT);
			char *b = json_dumps(r.json, JSON_SORT_KEYS | JSON_COMPACT);
			ck_assert_msg(json_equal(json_object_get(l, "data"), r.json), "%s: feed %s, REST %s", path, a, b);
			free(a);
			free(b);
		}
		response_free(&r);
	}
	for (size_t t = 0; t < sizeof types / sizeof types[0]; t++) {
		snprintf(path, sizeof path, BASE "%s", types[t]);
		struct response r;
		get(&r, path, who);
		ck_assert_msg(r.status == 200, "%s: %ld", path, r.status);
		json_t *o;
		size_t k;
		json_array_foreach(r.json, k, o) {
			json_t *line = last_of(lines, types[t], str(o, "id"));
			ck_assert_msg(line && !json_is_null(json_object_get(line, "data")), "%s/%s is not in the feed",
				      types[t], str(o, "id"));
		}
		response_free(&r);
	}
	ck_assert_ptr_nonnull(last_of(lines, "contest", NULL));
	ck_assert_ptr_nonnull(last_of(lines, "state", NULL));
}

static void check_viewers(void)
{
	const char *who[] = {fx.basic_admin, fx.basic_one, fx.basic_two, NULL};
	for (int w = 0; w < 4; w++) {
		json_t *lines = feed(who[w], NULL);
		check_shape(lines);
		check_against_rest(lines, who[w]);
		json_decref(lines);
	}
}

static void start(void)
{
	server_start(&srv, NULL);
	clics_fixture_build(&fx, &srv, CLICS_PHASE_NOT_STARTED);
}

static void stop(void)
{
	server_finish(&srv);
}

START_TEST(bad_tokens)
{
	const char *bad[] = {"since_token=abc", "since_token=-1", "since_token=", "since_id=999999", "since_id=xY-99_",
			     "since_token=99999999"};
	for (int i = 0; i < 6; i++) {
		char path[128];
		snprintf(path, sizeof path, BASE "event-feed?stream=false&%s", bad[i]);
		struct response r;
		get(&r, path, NULL);
		ck_assert_msg(r.status == 400, "%s: %ld", path, r.status);
		ck_assert_int_eq(json_integer_value(json_object_get(r.json, "code")), 400);
		ck_assert(str(r.json, "message"));
		response_free(&r);
	}
	struct response r;
	get(&r, "/api/clics/contests/nosuch/event-feed?stream=false", NULL);
	ck_assert_int_eq(r.status, 404);
	ck_assert_int_eq(json_integer_value(json_object_get(r.json, "code")), 404);
	response_free(&r);
	/* a good one: the feed after it */
	json_t *lines = feed(NULL, "&since_token=0");
	ck_assert_ptr_nonnull(last_of(lines, "contest", NULL));
	ck_assert_ptr_null(last_of(lines, "judgement-types", "AC")); /* not from the beginning of time */
	json_decref(lines);
}
END_TEST

static void before_the_start(void)
{
	check_viewers();
	json_t *lines = feed(NULL, NULL);
	ck_assert_ptr_null(last_of(lines, "problems", "sum")); /* not out yet */
	json_decref(lines);
	lines = feed(fx.basic_admin, NULL);
	ck_assert_ptr_nonnull(last_of(lines, "problems", "sum"));
	json_decref(lines);
}

/* The freeze's last token (the public's), for the resume after the thaw. */
static long long frozen_token;

static void in_the_freeze(void)
{
	clics_fixture_advance(&fx, CLICS_PHASE_FROZEN);
	check_viewers();
	const char *frozen = clics_id(fx.sub_frozen);
	json_t *pub = feed(NULL, NULL), *own = feed(fx.basic_two, NULL), *other = feed(fx.basic_one, NULL);
	ck_assert_ptr_nonnull(last_of(pub, "submissions", frozen));
	ck_assert_ptr_null(last_of(pub, "judgements", frozen));
	ck_assert_ptr_null(last_of(other, "judgements", frozen));
	ck_assert_ptr_nonnull(last_of(own, "judgements", frozen));
	ck_assert_ptr_nonnull(last_of(pub, "judgements", clics_id(fx.sub_ac)));
	ck_assert_ptr_nonnull(last_of(pub, "problems", "sum"));
	ck_assert_ptr_null(last_of(pub, "teams", "z3")); /* hidden */
	ck_assert_ptr_null(last_of(pub, "submissions", clics_id(fx.sub_hidden)));
	frozen_token = check_shape(pub);
	json_decref(pub);
	json_decref(own);
	json_decref(other);
}

static void after_the_thaw(void)
{
	clics_fixture_advance(&fx, CLICS_PHASE_THAWED);
	check_viewers();
	const char *frozen = clics_id(fx.sub_frozen);
	json_t *pub = feed(NULL, NULL);
	ck_assert_ptr_nonnull(last_of(pub, "judgements", frozen));
	json_decref(pub);
	/* a resume after the freeze's token: what changed since (the thaw, the judgement it shows) */
	char q[64];
	snprintf(q, sizeof q, "&since_token=%lld", frozen_token);
	json_t *resumed = feed(NULL, q);
	check_shape(resumed);
	ck_assert_ptr_nonnull(last_of(resumed, "judgements", frozen));
	ck_assert_ptr_nonnull(last_of(resumed, "state", NULL));
	ck_assert(str(json_object_get(last_of(resumed, "state", NULL), "data"), "thawed"));
	ck_assert_ptr_null(last_of(resumed, "judgements", clics_id(fx.sub_ac))); /* unchanged since */
	ck_assert_ptr_null(last_of(resumed, "languages", "c"));
	json_decref(resumed);
}

static void after_the_finalize(void)
{
	clics_fixture_advance(&fx, CLICS_PHASE_FINALIZED);
	check_viewers();
	const char *who[] = {fx.basic_admin, fx.basic_one, NULL};
	for (int w = 0; w < 3; w++) {
		json_t *lines = feed(who[w], NULL);
		size_t n = json_array_size(lines), i;
		json_t *l;
		json_array_foreach(lines, i, l) {
			json_t *eou = json_object_get(json_object_get(l, "data"), "end_of_updates");
			bool set = strcmp(str(l, "type"), "state") == 0 && eou && !json_is_null(eou);
			ck_assert_msg(set == (i == n - 1), "line %zu of %zu: end_of_updates %s", i, n, set ? "set" : "unset");
		}
		json_decref(lines);
	}
}

/* The phases in order, on the one contest (Check runs each test in a child
   process of its own, so the phases must be one test's). */
START_TEST(through_the_phases)
{
	before_the_start();
	in_the_freeze();
	after_the_thaw();
	after_the_finalize();
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("clics-feed");
	TCase *tc = tcase_create("clics-feed");
	tcase_add_unchecked_fixture(tc, start, stop);
	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, bad_tokens);
	tcase_add_test(tc, through_the_phases);
	suite_add_tcase(suite, tc);
	return test_run_suite(suite);
}
