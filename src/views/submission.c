/* Submissions on the wire: the REST object, and the WebSocket
 * "submission_update" and "test_result" messages, each written once. */
#include "views.h"

#include <string.h>

#include "json_util.h"

static void string_or_null(struct buf *b, const char *s)
{
	if (s)
		json_buf_string(b, s, strlen(s));
	else
		buf_add(b, "null", 4);
}

static void int_or_null(struct buf *b, bool has, int64_t v)
{
	if (has)
		json_buf_int(b, v);
	else
		buf_add(b, "null", 4);
}

/* The fields from "problem_id" to "judged_at", shared by the REST object and the update message. */
static void state_fields(struct buf *b, const struct db_submission *s)
{
	buf_adds(b, ",\"problem_id\":");
	json_buf_int(b, s->problem_id);
	buf_adds(b, ",\"user\":");
	string_or_null(b, s->user);
	buf_adds(b, ",\"language\":");
	string_or_null(b, s->language);
	buf_adds(b, ",\"status\":");
	string_or_null(b, s->status);
	buf_adds(b, ",\"verdict\":");
	string_or_null(b, s->verdict);
	buf_adds(b, ",\"score\":");
	if (s->has_score)
		json_buf_real(b, s->score);
	else
		buf_add(b, "null", 4);
	buf_adds(b, ",\"metrics\":{\"time_ms\":");
	int_or_null(b, s->has_time, s->time_ms);
	buf_adds(b, ",\"memory_kb\":");
	int_or_null(b, s->has_memory, s->memory_kb);
	buf_adds(b, ",\"tests_passed\":");
	json_buf_int(b, s->tests_passed);
	buf_adds(b, ",\"tests_total\":");
	json_buf_int(b, s->tests_total);
	buf_adds(b, "},\"created_at\":");
	string_or_null(b, s->created_at);
	buf_adds(b, ",\"judged_at\":");
	string_or_null(b, s->judged_at);
}

/* The fields from "index" on, shared by the REST tests and the test_result message. */
static void test_fields(struct buf *b, const struct db_test_result *t)
{
	buf_adds(b, "\"index\":");
	json_buf_int(b, t->index);
	buf_adds(b, ",\"group\":");
	string_or_null(b, t->group);
	buf_adds(b, ",\"verdict\":");
	string_or_null(b, t->verdict);
	buf_adds(b, ",\"time_ms\":");
	json_buf_int(b, t->time_ms);
	buf_adds(b, ",\"memory_kb\":");
	json_buf_int(b, t->memory_kb);
	buf_add(b, "}", 1);
}

void view_submission(struct buf *b, const struct db_submission *s, unsigned parts)
{
	buf_adds(b, "{\"id\":");
	json_buf_int(b, s->id);
	buf_adds(b, ",\"seq\":");
	json_buf_int(b, s->seq);
	state_fields(b, s);
	if (parts & VIEW_COMPILE_OUTPUT) {
		buf_adds(b, ",\"compile_output\":");
		string_or_null(b, s->compile_output);
	}
	if (parts & VIEW_SOURCE) {
		buf_adds(b, ",\"source\":");
		string_or_null(b, s->source);
	}
	if (parts & VIEW_TESTS) {
		buf_adds(b, ",\"tests\":[");
		for (size_t i = 0; i < s->test_count; i++) {
			buf_adds(b, i ? ",{" : "{");
			test_fields(b, &s->tests[i]);
		}
		buf_add(b, "]", 1);
	}
	buf_add(b, "}", 1);
}

void view_list_submission(void *list, const struct db_submission *s)
{
	struct view_list *l = list;
	view_list_item(l);
	view_submission(&l->buf, s, 0);
}

void view_submission_update(struct buf *b, const struct db_submission *s)
{
	buf_adds(b, "{\"type\":\"submission_update\",\"seq\":");
	json_buf_int(b, s->seq);
	buf_adds(b, ",\"submission_id\":");
	json_buf_int(b, s->id);
	state_fields(b, s);
	buf_add(b, "}", 1);
}

void view_test_result(struct buf *b, int64_t submission_id, const struct db_test_result *t)
{
	buf_adds(b, "{\"type\":\"test_result\",\"submission_id\":");
	json_buf_int(b, submission_id);
	buf_add(b, ",", 1);
	test_fields(b, t);
}
