/* The contest object of GET/POST/PUT /api/contests and of the actions, and
 * the RFC 3339 form of the contest part's times. */
#include "views.h"

#include <time.h>

#include "clock.h"

void view_time_ms(char out[32], int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	if (strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		out[0] = '\0';
}

/* An RFC 3339 string, or null for 0 (unset). */
static json_t *time_or_null(int64_t ms)
{
	if (!ms)
		return json_null();
	char text[32];
	view_time_ms(text, ms);
	return json_string(text);
}

static json_t *problems_json(const struct db_contest *c)
{
	json_t *list = json_array();
	for (size_t i = 0; i < c->problem_count; i++) {
		const struct db_contest_problem *p = &c->problems[i];
		json_array_append_new(list, json_pack("{s:I, s:s, s:i, s:o, s:o, s:s?, s:s?}", "problem_id",
						      (json_int_t)p->problem_id, "label", p->label, "ordinal",
						      p->ordinal, "color", *p->color ? json_string(p->color) : json_null(),
						      "max_score", p->has_max_score ? json_real(p->max_score) : json_null(),
						      "slug", p->slug, "title", p->title));
	}
	return list;
}

json_t *view_contest(const struct db_contest *c, int64_t now_ms, bool with_problems)
{
	struct contest_times t;
	contest_times_of(c, &t);
	json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:o, s:I, s:I, s:s, s:s, s:I, s:b, s:b, s:b}",
			      "id", (json_int_t)c->id, "seq", (json_int_t)c->seq, "shortname", c->shortname,
			      "name", c->name, "formal_name", c->formal_name, "start_time", time_or_null(c->start_ms),
			      "duration_s", (json_int_t)(c->duration_ms / 1000), "freeze_s",
			      (json_int_t)(c->freeze_ms / 1000), "scoring", c->scoring, "ioi_mode", c->ioi_mode,
			      "penalty_min", (json_int_t)c->penalty_min, "public", c->public_, "practice_after_end",
			      c->practice_after_end, "classroom", c->classroom);
	json_object_set_new(o, "medals", json_pack("{s:i, s:i, s:i}", "gold", c->gold, "silver", c->silver,
						   "bronze", c->bronze));
	json_object_set_new(o, "problems", with_problems ? problems_json(c) : json_array());
	json_object_set_new(o, "state", json_string(contest_state_name(contest_state_at(c, now_ms))));
	json_object_set_new(o, "times", json_pack("{s:o, s:o, s:o, s:o, s:o}", "start", time_or_null(t.start),
						  "freeze", time_or_null(t.freeze), "end", time_or_null(t.end),
						  "thaw", time_or_null(t.thaw), "finalize", time_or_null(t.finalize)));
	/* A paused countdown: the time left, whole seconds rounded up. */
	json_object_set_new(o, "countdown_paused", json_boolean(c->countdown_pause_ms > 0));
	json_object_set_new(o, "countdown_pause_s", c->countdown_pause_ms > 0
							    ? json_integer((json_int_t)((c->countdown_pause_ms + 999) / 1000))
							    : json_null());
	json_object_set_new(o, "server_time", time_or_null(now_ms));
	json_object_set_new(o, "created_at", json_string(c->created_at ? c->created_at : ""));
	json_object_set_new(o, "updated_at", json_string(c->updated_at ? c->updated_at : ""));
	return o;
}
