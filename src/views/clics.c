/* The CLICS Contest API 2023-06 objects (/api/clics/), one writer per object,
 * for the REST face now and the event feed later: TIME and RELTIME, CLICS
 * ids, and only the properties of the 2023-06 schemas. Who may see an object
 * is the caller's call; these only write what they are given. */
#include "views.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "awards.h"
#include "clock.h"

void view_clics_time(char out[32], int64_t ms)
{
	int64_t s = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
	time_t t = (time_t)s;
	struct tm tm;
	char head[24];
	gmtime_r(&t, &tm);
	if (strftime(head, sizeof head, "%Y-%m-%dT%H:%M:%S", &tm) == 0) {
		out[0] = '\0';
		return;
	}
	snprintf(out, 32, "%s.%03dZ", head, (int)(ms - s * 1000));
}

void view_clics_reltime(char out[32], int64_t ms)
{
	const char *sign = ms < 0 ? "-" : "";
	uint64_t a = ms < 0 ? (uint64_t)0 - (uint64_t)ms : (uint64_t)ms;
	snprintf(out, 32, "%s%" PRIu64 ":%02u:%02u.%03u", sign, a / 3600000, (unsigned)(a / 60000 % 60),
		 (unsigned)(a / 1000 % 60), (unsigned)(a % 1000));
}

bool view_clics_id_valid(const char *id)
{
	size_t n = strlen(id);
	if (n == 0 || n > 36 || id[0] == '-' || id[0] == '.' || id[n - 1] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = id[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
		      ch == '.' || ch == '-'))
			return false;
	}
	return true;
}

static json_t *time_json(int64_t ms)
{
	char text[32];
	view_clics_time(text, ms);
	return json_string(text);
}

static json_t *reltime_json(int64_t ms)
{
	char text[32];
	view_clics_reltime(text, ms);
	return json_string(text);
}

/* A TIME, or null for 0 (unset). */
static json_t *time_or_null(int64_t ms)
{
	return ms ? time_json(ms) : json_null();
}

json_t *view_clics_api_info(const char *provider_version)
{
	return json_pack("{s:s, s:s, s:{s:s, s:s}}", "version", "2023-06", "version_url",
			 "https://ccs-specs.icpc.io/2023-06/contest_api", "provider", "name", "verdict", "version",
			 provider_version);
}

static bool score_contest(const struct db_contest *c)
{
	return strcmp(c->scoring, "ioi") == 0;
}

json_t *view_clics_contest(const struct db_contest *c)
{
	json_t *o = json_pack("{s:s, s:s}", "id", c->shortname, "name", c->name);
	if (*c->formal_name)
		json_object_set_new(o, "formal_name", json_string(c->formal_name));
	json_object_set_new(o, "start_time", time_or_null(c->start_ms));
	if (c->countdown_pause_ms)
		json_object_set_new(o, "countdown_pause_time", reltime_json(c->countdown_pause_ms));
	json_object_set_new(o, "duration", reltime_json(c->duration_ms));
	if (c->freeze_ms)
		json_object_set_new(o, "scoreboard_freeze_duration", reltime_json(c->freeze_ms));
	if (c->thaw_at_ms)
		json_object_set_new(o, "scoreboard_thaw_time", time_json(c->thaw_at_ms));
	json_object_set_new(o, "scoreboard_type", json_string(score_contest(c) ? "score" : "pass-fail"));
	if (!score_contest(c))
		json_object_set_new(o, "penalty_time", json_integer(c->penalty_min));
	return o;
}

json_t *view_clics_state(const struct db_contest *c, int64_t now_ms)
{
	struct contest_times t;
	contest_times_of(c, &t);
	bool started = t.start && now_ms >= t.start;
	bool frozen = started && t.freeze && now_ms >= t.freeze;
	bool ended = started && now_ms >= t.end;
	bool thawed = frozen && t.thaw && now_ms >= t.thaw && t.thaw >= t.freeze;
	bool finalized = ended && t.finalize && now_ms >= t.finalize;
	/* Nothing changes once the results are final and no frozen board waits. */
	bool done = finalized && (!frozen || thawed);
	int64_t end_of_updates = done ? (thawed && t.thaw > t.finalize ? t.thaw : t.finalize) : 0;
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "started", time_or_null(started ? t.start : 0), "frozen",
			 time_or_null(frozen ? t.freeze : 0), "ended", time_or_null(ended ? t.end : 0), "thawed",
			 time_or_null(thawed ? t.thaw : 0), "finalized", time_or_null(finalized ? t.finalize : 0),
			 "end_of_updates", time_or_null(end_of_updates));
}

/* verdict's verdicts, as CLICS judgement types. A compile error costs no
   penalty, as in DOMjudge and Kattis; a judging error is no judgement of the
   team's program. */
static const struct clics_type {
	const char *id, *name;
	bool penalty, solved;
} clics_types[] = {
	{"AC", "correct", false, true},
	{"WA", "wrong answer", true, false},
	{"TLE", "time limit exceeded", true, false},
	{"MLE", "memory limit exceeded", true, false},
	{"RTE", "run-time error", true, false},
	{"OLE", "output limit exceeded", true, false},
	{"CE", "compiler error", false, false},
	{"JE", "judging error", false, false},
};

json_t *view_clics_judgement_types(const struct db_contest *c)
{
	json_t *list = json_array();
	for (size_t i = 0; i < sizeof clics_types / sizeof clics_types[0]; i++) {
		const struct clics_type *t = &clics_types[i];
		json_t *o = json_pack("{s:s, s:s}", "id", t->id, "name", t->name);
		if (!score_contest(c))
			json_object_set_new(o, "penalty", json_boolean(t->penalty));
		json_object_set_new(o, "solved", json_boolean(t->solved));
		json_array_append_new(list, o);
	}
	return list;
}

json_t *view_clics_language(const char *id, const char *name, json_t *extensions)
{
	return json_pack("{s:s, s:s, s:b, s:O}", "id", id, "name", name, "entry_point_required", 0, "extensions",
			 extensions);
}

json_t *view_clics_problem(const struct db_contest *c, const struct db_contest_problem *p, int64_t time_limit_ms,
			   size_t test_count, double total_points)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:i}", "id", p->slug, "label", p->label, "name", p->title, "ordinal",
			      p->ordinal);
	if (*p->color) {
		json_object_set_new(o, "rgb", json_string(p->color));
		json_object_set_new(o, "color", json_string(p->color));
	}
	json_object_set_new(o, "time_limit", json_real((double)time_limit_ms / 1000.0));
	json_object_set_new(o, "test_data_count", json_integer((json_int_t)test_count));
	if (score_contest(c))
		json_object_set_new(o, "max_score", json_real(p->has_max_score ? p->max_score : total_points));
	return o;
}

json_t *view_clics_group(const struct db_team_group *g)
{
	json_t *o = json_pack("{s:s}", "id", g->key);
	if (g->icpc_id)
		json_object_set_new(o, "icpc_id", json_string(g->icpc_id));
	json_object_set_new(o, "name", json_string(g->name));
	if (*g->type)
		json_object_set_new(o, "type", json_string(g->type));
	return o;
}

json_t *view_clics_organization(const struct db_organization *org)
{
	json_t *o = json_pack("{s:s}", "id", org->key);
	if (org->icpc_id)
		json_object_set_new(o, "icpc_id", json_string(org->icpc_id));
	json_object_set_new(o, "name", json_string(org->name));
	if (*org->formal_name)
		json_object_set_new(o, "formal_name", json_string(org->formal_name));
	if (*org->country)
		json_object_set_new(o, "country", json_string(org->country));
	return o;
}

json_t *view_clics_team(const struct db_team *t)
{
	json_t *o = json_pack("{s:s}", "id", t->key);
	if (t->icpc_id)
		json_object_set_new(o, "icpc_id", json_string(t->icpc_id));
	json_object_set_new(o, "label", json_string(t->label));
	json_object_set_new(o, "name", json_string(t->name));
	if (*t->display_name)
		json_object_set_new(o, "display_name", json_string(t->display_name));
	if (t->organization)
		json_object_set_new(o, "organization_id", json_string(t->organization));
	json_t *groups = json_array();
	for (size_t i = 0; i < t->group_count; i++)
		json_array_append_new(groups, json_string(t->groups[i]));
	json_object_set_new(o, "group_ids", groups);
	json_object_set_new(o, "hidden", json_boolean(t->hidden));
	return o;
}

json_t *view_clics_account(const struct db_user *u, const char *team_key)
{
	const char *type = u->admin ? "admin" : u->role == DB_ROLE_JURY ? "judge" : team_key ? "team" : "staff";
	json_t *o = json_pack("{s:s, s:s, s:s}", "id", u->username, "username", u->username, "type", type);
	if (team_key)
		json_object_set_new(o, "team_id", json_string(team_key));
	return o;
}

/* The contest time of a moment: since the start (a contest that has not
   started counts from the moment itself). */
static json_t *contest_time_json(const struct db_contest *c, int64_t ms)
{
	return reltime_json(c->start_ms ? ms - c->start_ms : 0);
}

json_t *view_clics_submission(const struct db_contest *c, const struct db_submission *s, const char *problem_id,
			      const char *team_id)
{
	char id[24], *href = NULL;
	snprintf(id, sizeof id, "%" PRId64, s->id);
	json_t *files = json_array();
	if (asprintf(&href, "contests/%s/submissions/%s/files", c->shortname, id) >= 0) {
		json_array_append_new(files, json_pack("{s:s, s:s, s:s}", "href", href, "filename", "files.zip", "mime",
						       "application/zip"));
		free(href);
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:s?, s:o}", "id", id, "language_id", s->language, "problem_id",
			 problem_id, "team_id", team_id, "time", time_json(s->submitted_ms), "contest_time",
			 contest_time_json(c, s->submitted_ms), "entry_point", s->entry_point, "files", files);
}

json_t *view_clics_judgement(const struct db_contest *c, const struct db_submission *s, int64_t end_ms,
			     int64_t max_run_ms)
{
	char id[24];
	snprintf(id, sizeof id, "%" PRId64, s->id);
	json_t *o = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "id", id, "submission_id", id,
			      "judgement_type_id", s->verdict, "start_time", time_json(s->submitted_ms),
			      "start_contest_time", contest_time_json(c, s->submitted_ms), "end_time", time_json(end_ms),
			      "end_contest_time", contest_time_json(c, end_ms));
	if (max_run_ms >= 0)
		json_object_set_new(o, "max_run_time", json_real((double)max_run_ms / 1000.0));
	if (score_contest(c))
		json_object_set_new(o, "score", json_real(s->has_score ? s->score : 0));
	return o;
}

json_t *view_clics_run(const struct db_contest *c, const struct db_submission *s, const struct db_test_result *t,
		       int ordinal, int64_t end_ms)
{
	char id[48], judgement[24];
	snprintf(judgement, sizeof judgement, "%" PRId64, s->id);
	snprintf(id, sizeof id, "%s.%d", judgement, ordinal);
	return json_pack("{s:s, s:s, s:i, s:s, s:o, s:o, s:f}", "id", id, "judgement_id", judgement, "ordinal", ordinal,
			 "judgement_type_id", t->verdict, "time", time_json(end_ms), "contest_time",
			 contest_time_json(c, end_ms), "run_time", (double)t->time_ms / 1000.0);
}

json_t *view_clics_clarification(const struct db_contest *c, const struct db_clarification *cl,
				 const char *from_team, const char *to_team, const char *problem_id)
{
	char id[24], reply[24];
	snprintf(id, sizeof id, "%" PRId64, cl->id);
	snprintf(reply, sizeof reply, "%" PRId64, cl->reply_to);
	json_t *o = json_pack("{s:s}", "id", id);
	json_object_set_new(o, "from_team_id", from_team ? json_string(from_team) : json_null());
	json_object_set_new(o, "to_team_id", to_team ? json_string(to_team) : json_null());
	json_object_set_new(o, "reply_to_id", cl->reply_to ? json_string(reply) : json_null());
	json_object_set_new(o, "problem_id", problem_id ? json_string(problem_id) : json_null());
	json_object_set_new(o, "text", json_string(cl->text));
	json_object_set_new(o, "time", time_json(cl->time_ms));
	json_object_set_new(o, "contest_time", contest_time_json(c, cl->time_ms));
	return o;
}

json_t *view_clics_scoreboard(const struct db_contest *c, const struct board *b, const struct board_row *const *rows,
			      size_t n, int64_t now_ms)
{
	bool icpc = board_settings(b)->scoring == BOARD_ICPC;
	size_t np = board_problem_count(b);
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct board_row *r = rows[i];
		json_t *score = icpc ? json_pack("{s:i, s:I}", "num_solved", r->solved, "total_time", (json_int_t)r->time)
				     : json_pack("{s:f}", "score", r->score);
		if (r->last_time >= 0 && (icpc ? r->solved > 0 : r->score > 0))
			json_object_set_new(score, "time", json_integer((json_int_t)r->last_time));
		json_t *problems = json_array();
		for (size_t k = 0; k < np; k++) {
			const struct board_cell *cell = &r->cells[k];
			const char *slug = NULL;
			for (size_t j = 0; j < c->problem_count && !slug; j++)
				if (c->problems[j].problem_id == board_problem_at(b, k)->id)
					slug = c->problems[j].slug;
			if (!slug)
				continue;
			json_t *p = json_pack("{s:s, s:i, s:i}", "problem_id", slug, "num_judged", cell->attempts,
					      "num_pending", cell->pending);
			bool timed = icpc ? cell->solved : cell->score > 0;
			if (icpc)
				json_object_set_new(p, "solved", json_boolean(cell->solved));
			else
				json_object_set_new(p, "score", json_real(cell->score));
			if (timed)
				json_object_set_new(p, "time", json_integer((json_int_t)(cell->time >= 0 ? cell->time : 0)));
			json_array_append_new(problems, p);
		}
		json_array_append_new(list, json_pack("{s:i, s:s, s:o, s:o}", "rank", r->rank, "team_id", r->team->key,
						      "score", score, "problems", problems));
	}
	int64_t since = c->start_ms && now_ms > c->start_ms ? now_ms - c->start_ms : 0;
	return json_pack("{s:o, s:o, s:o, s:o}", "time", time_json(now_ms), "contest_time", reltime_json(since), "state",
			 view_clics_state(c, now_ms), "rows", list);
}

json_t *view_clics_award(const struct db_contest *c, const struct award *a)
{
	static const char fts[] = "first-to-solve-";
	char id[80];
	snprintf(id, sizeof id, "%s", a->id);
	if (strncmp(a->id, fts, sizeof fts - 1) == 0)
		for (size_t i = 0; i < c->problem_count; i++)
			if (strcmp(c->problems[i].label, a->id + sizeof fts - 1) == 0)
				snprintf(id, sizeof id, "%s%s", fts, c->problems[i].slug);
	json_t *teams = json_array();
	for (size_t i = 0; i < a->team_count; i++)
		json_array_append_new(teams, json_string(a->teams[i]->key));
	return json_pack("{s:s, s:s, s:o}", "id", id, "citation", a->citation, "team_ids", teams);
}
