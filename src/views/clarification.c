/* Clarifications on the wire: the REST object and the WebSocket
 * "clarification" message, which carries the same members. */
#include "views.h"

#include <string.h>

#include "json_util.h"

/* ",\"name\":" then the id, or null for 0 (no such reference). */
static void put_ref(struct buf *b, const char *key, int64_t id)
{
	buf_adds(b, key);
	if (id)
		json_buf_int(b, id);
	else
		buf_add(b, "null", 4);
}

/* RFC 3339 UTC, as every time of the API. */
static void put_time(struct buf *b, const char *key, int64_t ms)
{
	char text[32];
	view_time_ms(text, ms);
	buf_adds(b, key);
	json_buf_string(b, text, strlen(text));
}

/* The whole object after `start`, the text before the id. */
static void clarification(struct buf *b, const char *start, const struct db_clarification *c)
{
	buf_adds(b, start);
	json_buf_int(b, c->id);
	buf_adds(b, ",\"seq\":");
	json_buf_int(b, c->seq);
	buf_adds(b, ",\"contest_id\":");
	json_buf_int(b, c->contest_id);
	put_ref(b, ",\"from_team_id\":", c->from_team_id);
	put_ref(b, ",\"to_team_id\":", c->to_team_id);
	buf_adds(b, c->to_all ? ",\"to_all\":true" : ",\"to_all\":false");
	put_ref(b, ",\"reply_to\":", c->reply_to);
	buf_adds(b, ",\"problem\":");
	if (c->problem_label)
		json_buf_string(b, c->problem_label, strlen(c->problem_label));
	else
		buf_add(b, "null", 4);
	buf_adds(b, ",\"text\":");
	json_buf_string(b, c->text, strlen(c->text));
	put_time(b, ",\"time\":", c->time_ms);
	/* Only a team's request has been answered or not. */
	if (c->from_team_id)
		buf_adds(b, c->answered ? ",\"answered\":true" : ",\"answered\":false");
	buf_add(b, "}", 1);
}

void view_clarification(struct buf *b, const struct db_clarification *c)
{
	clarification(b, "{\"id\":", c);
}

void view_clarification_msg(struct buf *b, const struct db_clarification *c)
{
	clarification(b, "{\"type\":\"clarification\",\"id\":", c);
}
