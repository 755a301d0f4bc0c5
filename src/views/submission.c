/* Submissions on the wire: the REST object, and the WebSocket
 * "submission_update" and "test_result" messages, each written once. */
#include "views.h"

#include <string.h>

#include "json_util.h"

/* Each writes one member: `key` is the text before the value (",\"name\":"). */
static void put_int(struct buf *b, const char *key, int64_t v)
{
	buf_adds(b, key);
	json_buf_int(b, v);
}

static void put_string(struct buf *b, const char *key, const char *s)
{
	buf_adds(b, key);
	if (s)
		json_buf_string(b, s, strlen(s));
	else
		buf_add(b, "null", 4);
}

static void put_int_or_null(struct buf *b, const char *key, bool has, int64_t v)
{
	if (has)
		put_int(b, key, v);
	else
		put_string(b, key, NULL);
}

/* A contest submission's own members (none for a plain one). */
static void contest_members(struct buf *b, const struct db_submission *s)
{
	if (!s->contest_id)
		return;
	put_int(b, ",\"contest_id\":", s->contest_id);
	put_int_or_null(b, ",\"team_id\":", s->team_id != 0, s->team_id);
	put_string(b, ",\"problem_label\":", s->problem_label);
	buf_adds(b, s->practice ? ",\"practice\":true" : ",\"practice\":false");
}

/* The members from "problem_id" to "judged_at" (then, for a contest
   submission, "contest_id", "team_id", "problem_label" and "practice"),
   shared by the REST object and the update message. */
static void state_members(struct buf *b, const struct db_submission *s, bool hidden)
{
	put_int(b, ",\"problem_id\":", s->problem_id);
	put_string(b, ",\"user\":", s->user);
	put_string(b, ",\"language\":", s->language);
	if (hidden) {
		put_string(b, ",\"status\":", "pending");
		buf_adds(b, ",\"verdict\":null,\"score\":null,\"metrics\":{\"time_ms\":null,\"memory_kb\":null,"
			    "\"tests_passed\":null,\"tests_total\":null}");
		put_string(b, ",\"created_at\":", s->created_at);
		buf_adds(b, ",\"judged_at\":null,\"result_hidden\":true");
		contest_members(b, s);
		return;
	}
	put_string(b, ",\"status\":", s->status);
	put_string(b, ",\"verdict\":", s->verdict);
	buf_adds(b, ",\"score\":");
	if (s->has_score)
		json_buf_real(b, s->score);
	else
		buf_add(b, "null", 4);
	put_int_or_null(b, ",\"metrics\":{\"time_ms\":", s->has_time, s->time_ms);
	put_int_or_null(b, ",\"memory_kb\":", s->has_memory, s->memory_kb);
	put_int(b, ",\"tests_passed\":", s->tests_passed);
	put_int(b, ",\"tests_total\":", s->tests_total);
	put_string(b, "},\"created_at\":", s->created_at);
	put_string(b, ",\"judged_at\":", s->judged_at);
	contest_members(b, s);
	if (s->jury) /* a package's jury submission: only staff ever read one */
		buf_adds(b, ",\"jury\":true");
}

/* The members from "index" on and the closing brace, shared by the REST tests and the test_result message. */
static void test_members(struct buf *b, const char *before, const struct db_test_result *t)
{
	put_int(b, before, t->index);
	put_string(b, ",\"group\":", t->group);
	put_string(b, ",\"verdict\":", t->verdict);
	put_int(b, ",\"time_ms\":", t->time_ms);
	put_int(b, ",\"memory_kb\":", t->memory_kb);
	buf_add(b, "}", 1);
}

/* What test index left for the team: its output beside the expected one (a
   sample), the validator's team message. */
static void feedback_members(struct buf *b, const struct db_submission *s, int index)
{
	for (size_t i = 0; i < s->feedback_count; i++) {
		const struct db_test_feedback *f = &s->feedback[i];
		if (f->index != index)
			continue;
		if (f->output) {
			buf_adds(b, ",\"output\":");
			json_buf_string(b, f->output, f->output_len);
			buf_adds(b, ",\"expected\":");
			json_buf_string(b, f->expected ? f->expected : "", f->expected_len);
		}
		if (f->team_message)
			put_string(b, ",\"team_message\":", f->team_message);
	}
}

void view_submission(struct buf *b, const struct db_submission *s, unsigned parts)
{
	put_int(b, "{\"id\":", s->id);
	put_int(b, ",\"seq\":", s->seq);
	bool hidden = parts & VIEW_RESULT_HIDDEN;
	state_members(b, s, hidden);
	if (hidden) {
		if (parts & VIEW_TESTS)
			buf_adds(b, ",\"tests\":null");
		buf_add(b, "}", 1);
		return;
	}
	if (parts & VIEW_COMPILE_OUTPUT)
		put_string(b, ",\"compile_output\":", s->compile_output);
	if (parts & VIEW_SOURCE) {
		buf_adds(b, ",\"source\":");
		if (s->source)
			json_buf_string(b, s->source, s->source_len); /* NULs as \u0000 */
		else
			buf_add(b, "null", 4);
		if (s->files) { /* stored as JSON made by the API (api_submissions.c) */
			buf_adds(b, ",\"files\":");
			buf_adds(b, s->files);
			put_string(b, ",\"entry_point\":", s->entry_point);
		}
	}
	if (parts & VIEW_TESTS) {
		buf_adds(b, ",\"tests\":[");
		for (size_t i = 0; i < s->test_count; i++) {
			test_members(b, i ? ",{\"index\":" : "{\"index\":", &s->tests[i]);
			if ((parts & VIEW_FEEDBACK) && s->feedback_count) { /* before the closing brace */
				b->len--;
				feedback_members(b, s, s->tests[i].index);
				buf_add(b, "}", 1);
			}
		}
		buf_add(b, "]", 1);
	}
	buf_add(b, "}", 1);
}

void view_list_submission_parts(struct view_list *l, const struct db_submission *s, unsigned parts)
{
	view_list_item(l);
	view_submission(&l->buf, s, parts);
}

void view_list_submission(void *list, const struct db_submission *s)
{
	view_list_submission_parts(list, s, 0);
}

void view_submission_update_parts(struct buf *b, const struct db_submission *s, unsigned parts)
{
	put_int(b, "{\"type\":\"submission_update\",\"seq\":", s->seq);
	put_int(b, ",\"submission_id\":", s->id);
	state_members(b, s, parts & VIEW_RESULT_HIDDEN);
	buf_add(b, "}", 1);
}

void view_submission_update(struct buf *b, const struct db_submission *s)
{
	view_submission_update_parts(b, s, 0);
}

void view_test_result(struct buf *b, int64_t submission_id, const struct db_test_result *t)
{
	put_int(b, "{\"type\":\"test_result\",\"submission_id\":", submission_id);
	test_members(b, ",\"index\":", t);
}
