/* Unit tests for the views: each submission object and message, written as
 * text, is byte for byte what jansson's JSON_COMPACT writes for the object
 * built member by member (the way the server built them before the views),
 * for every kind of value a field can hold; and the text paging envelope is
 * view_page's. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "json_util.h"
#include "util.h"
#include "views.h"

static const struct db_test_result tests[] = {
	{1, "sample", "AC", 3, 1200},
	{2, "se\"cr\x01t\xff", "WA", 0, 9223372036854775807},
};

/* A few submissions that between them hold every kind of value. */
static struct db_submission sample(int k)
{
	struct db_submission s = {
		.id = 42, .seq = 1234, .problem_id = 3, .user_id = 9, .user = "alice", .language = "c",
		.status = "running", .tests_passed = 3, .tests_total = 10, .created_at = "2026-11-26T04:00:00Z",
	};
	if (k == 1) {
		s.status = "done";
		s.verdict = "WA";
		s.has_score = s.has_time = s.has_memory = true;
		s.score = -3e-7;
		s.time_ms = 0;
		s.memory_kb = 1540;
		s.judged_at = "2026-11-26T04:00:01Z";
		s.user = "we\"ird\\na\tme\n\x01/\xc3\xa9\xe2\x82\xac";
		s.compile_output = "warning: \x1b[1mbold\x1b[0m \xff\xfe";
		s.source = "int main(void) { return '\\0'; }\n\x7f";
		s.source_len = strlen(s.source);
		s.tests = tests;
		s.test_count = 2;
	} else if (k == 2) {
		s.has_score = true;
		s.score = 100;
		s.compile_output = "";
		s.source = "";
	}
	return s;
}

static json_t *str(const char *s)
{
	return s ? json_string_lossy(s, strlen(s)) : json_null();
}

static json_t *metrics(const struct db_submission *s)
{
	return json_pack("{s:o, s:o, s:I, s:I}", "time_ms", s->has_time ? json_integer(s->time_ms) : json_null(),
			 "memory_kb", s->has_memory ? json_integer(s->memory_kb) : json_null(), "tests_passed",
			 (json_int_t)s->tests_passed, "tests_total", (json_int_t)s->tests_total);
}

static json_t *test_json(const struct db_test_result *t)
{
	return json_pack("{s:i, s:o, s:o, s:I, s:I}", "index", t->index, "group", str(t->group), "verdict",
			 str(t->verdict), "time_ms", (json_int_t)t->time_ms, "memory_kb", (json_int_t)t->memory_kb);
}

static void same_bytes(struct buf *b, json_t *want)
{
	char *text = json_dumps(want, JSON_COMPACT);
	ck_assert_str_eq(b->data, text);
	ck_assert_uint_eq(b->len, strlen(text));
	free(text);
	json_decref(want);
	buf_release(b);
}

START_TEST(rest_object)
{
	for (int k = 0; k < 3; k++) {
		struct db_submission s = sample(k);
		for (unsigned parts = 0; parts < 8; parts++) {
			json_t *want = json_pack("{s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
						 (json_int_t)s.id, "seq", (json_int_t)s.seq, "problem_id",
						 (json_int_t)s.problem_id, "user", str(s.user), "language", str(s.language),
						 "status", str(s.status), "verdict", str(s.verdict), "score",
						 s.has_score ? json_real(s.score) : json_null(), "metrics", metrics(&s),
						 "created_at", str(s.created_at), "judged_at", str(s.judged_at));
			if (parts & VIEW_COMPILE_OUTPUT)
				json_object_set_new(want, "compile_output", str(s.compile_output));
			if (parts & VIEW_SOURCE)
				json_object_set_new(want, "source", str(s.source));
			if (parts & VIEW_TESTS) {
				json_t *list = json_array();
				for (size_t i = 0; i < s.test_count; i++)
					json_array_append_new(list, test_json(&s.tests[i]));
				json_object_set_new(want, "tests", list);
			}
			struct buf b;
			buf_init(&b);
			view_submission(&b, &s, parts);
			same_bytes(&b, want);
		}
	}
}
END_TEST

START_TEST(websocket_messages)
{
	for (int k = 0; k < 3; k++) {
		struct db_submission s = sample(k);
		json_t *want = json_pack("{s:s, s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "type",
					 "submission_update", "seq", (json_int_t)s.seq, "submission_id", (json_int_t)s.id,
					 "problem_id", (json_int_t)s.problem_id, "user", str(s.user), "language",
					 str(s.language), "status", str(s.status), "verdict", str(s.verdict), "score",
					 s.has_score ? json_real(s.score) : json_null(), "metrics", metrics(&s),
					 "created_at", str(s.created_at), "judged_at", str(s.judged_at));
		struct buf b;
		buf_init(&b);
		view_submission_update(&b, &s);
		same_bytes(&b, want);
	}
	for (size_t i = 0; i < 2; i++) {
		json_t *want = json_pack("{s:s, s:I}", "type", "test_result", "submission_id", (json_int_t)42);
		json_t *members = test_json(&tests[i]);
		json_object_update(want, members);
		json_decref(members);
		struct buf b;
		buf_init(&b);
		view_test_result(&b, 42, &tests[i]);
		same_bytes(&b, want);
	}
}
END_TEST

START_TEST(list_envelope)
{
	for (int n = 0; n < 3; n++) {
		struct view_list l;
		view_list_begin(&l);
		json_t *items = json_array();
		for (int k = 0; k < n; k++) {
			struct db_submission s = sample(k);
			view_list_submission(&l, &s);
			struct buf one;
			buf_init(&one);
			view_submission(&one, &s, 0);
			json_array_append_new(items, json_loadb(one.data, one.len, 0, NULL));
			buf_release(&one);
		}
		size_t len;
		char *text = view_list_end(&l, 2, 20, 41, &len);
		ck_assert_uint_eq(len, strlen(text));
		struct buf b = {text, len, len + 1};
		same_bytes(&b, view_page(items, 2, 20, 41));
	}
}
END_TEST

/* A contest submission adds its contest members after judged_at; with its
   result hidden every result member is null and status "pending", in the
   REST object and the update message alike, whatever parts are asked. */
START_TEST(contest_members_and_hidden_result)
{
	for (int k = 0; k < 3; k++) {
		for (int hidden = 0; hidden < 2; hidden++) {
			struct db_submission s = sample(k);
			s.contest_id = 7;
			s.team_id = k == 2 ? 0 : 11;
			s.practice = k == 1;
			s.problem_label = "B";
			json_t *state = json_pack("{s:I, s:o, s:o}", "problem_id", (json_int_t)s.problem_id, "user",
						  str(s.user), "language", str(s.language));
			if (hidden) {
				json_t *masked = json_pack("{s:s, s:n, s:n, s:{s:n, s:n, s:n, s:n}, s:o, s:n, s:b}",
							   "status", "pending", "verdict", "score", "metrics", "time_ms",
							   "memory_kb", "tests_passed", "tests_total", "created_at",
							   str(s.created_at), "judged_at", "result_hidden", 1);
				json_object_update(state, masked);
				json_decref(masked);
			} else {
				json_object_set_new(state, "status", str(s.status));
				json_object_set_new(state, "verdict", str(s.verdict));
				json_object_set_new(state, "score", s.has_score ? json_real(s.score) : json_null());
				json_object_set_new(state, "metrics", metrics(&s));
				json_object_set_new(state, "created_at", str(s.created_at));
				json_object_set_new(state, "judged_at", str(s.judged_at));
			}
			json_object_set_new(state, "contest_id", json_integer(7));
			json_object_set_new(state, "team_id", s.team_id ? json_integer(11) : json_null());
			json_object_set_new(state, "problem_label", json_string("B"));
			json_object_set_new(state, "practice", json_boolean(s.practice));
			unsigned parts = VIEW_TESTS | VIEW_SOURCE | VIEW_COMPILE_OUTPUT | (hidden ? VIEW_RESULT_HIDDEN : 0);
			json_t *want = json_pack("{s:I, s:I}", "id", (json_int_t)s.id, "seq", (json_int_t)s.seq);
			json_object_update(want, state);
			if (hidden) {
				json_object_set_new(want, "tests", json_null());
			} else {
				json_object_set_new(want, "compile_output", str(s.compile_output));
				json_object_set_new(want, "source", str(s.source));
				json_t *list = json_array();
				for (size_t i = 0; i < s.test_count; i++)
					json_array_append_new(list, test_json(&s.tests[i]));
				json_object_set_new(want, "tests", list);
			}
			struct buf b;
			buf_init(&b);
			view_submission(&b, &s, parts);
			same_bytes(&b, want);
			want = json_pack("{s:s, s:I, s:I}", "type", "submission_update", "seq", (json_int_t)s.seq,
					 "submission_id", (json_int_t)s.id);
			json_object_update(want, state);
			json_decref(state);
			buf_init(&b);
			view_submission_update_parts(&b, &s, parts);
			same_bytes(&b, want);
		}
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("views");
	TCase *tc = tcase_create("views");
	tcase_add_test(tc, rest_object);
	tcase_add_test(tc, websocket_messages);
	tcase_add_test(tc, list_envelope);
	tcase_add_test(tc, contest_members_and_hidden_result);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
