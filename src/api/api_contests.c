/* /api/contests: list, get, create, replace, delete; the actions start,
 * freeze, thaw and finalize; submitting in a contest and its submissions. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "access.h"
#include "api.h"
#include "app.h"
#include "clock.h"
#include "db.h"
#include "json_util.h"
#include "util.h"
#include "views.h"

#define MAX_PROBLEMS 100

static void contest_not_found(struct http_response *res, int64_t id)
{
	http_error(res, 404, "not_found", "contest %lld does not exist", (long long)id);
}

/* Reads the contest of the path that the caller may see: false with a 404
   answer when there is none (or it is hidden from them, which looks the same). */
static bool visible_contest(struct http_request *req, struct http_response *res, struct db_contest *c,
			    struct contest_viewer *v)
{
	if (db_contest_get(req->app->db, req->id[0], c) != 0) {
		contest_not_found(res, req->id[0]);
		return false;
	}
	if (!contest_viewer_of(req->app->db, c, req->user, v)) {
		db_contest_release(c);
		contest_not_found(res, req->id[0]);
		return false;
	}
	return true;
}

/* Non-jury viewers see a contest's problems from its start on (CLICS: the
   public sees none before it). */
static bool shows_problems(const struct db_contest *c, const struct contest_viewer *v, int64_t now)
{
	return contest_viewer_sees_problems(c, v, now);
}

static void answer_contest(struct http_response *res, int status, const struct db_contest *c,
			   const struct contest_viewer *v)
{
	int64_t now = contest_now_ms();
	http_json(res, status, view_contest(c, now, shows_problems(c, v, now)));
}

/* ---- list and get ---- */

struct list_ctx {
	struct db *db;
	const struct db_user *user;
	json_t *items;
	int64_t now;
};

static void list_row(void *arg, const struct db_contest *c)
{
	struct list_ctx *l = arg;
	struct contest_viewer v;
	if (contest_viewer_of(l->db, c, l->user, &v))
		json_array_append_new(l->items, view_contest(c, l->now, shows_problems(c, &v, l->now)));
}

void api_contests_list(struct http_request *req, struct http_response *res)
{
	struct list_ctx l = {req->app->db, req->user, json_array(), contest_now_ms()};
	db_contests_list(req->app->db, list_row, &l);
	size_t n = json_array_size(l.items);
	http_json(res, 200, view_page(l.items, 1, (int)n, (int64_t)n));
}

void api_contests_get(struct http_request *req, struct http_response *res)
{
	struct db_contest c;
	struct contest_viewer v;
	if (!visible_contest(req, res, &c, &v))
		return;
	answer_contest(res, 200, &c, &v);
	db_contest_release(&c);
}

/* ---- create, replace, delete ---- */

bool api_parse_time(const char *s, int64_t *out)
{
	int y, mo, d, h, mi, sec, n = 0;
	if (sscanf(s, "%4d-%2d-%2d%*1[Tt ]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 || n != 19)
		return false;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return false;
	const char *p = s + n;
	int64_t ms = 0;
	if (*p == '.') {
		int digits = 0;
		for (p++; isdigit((unsigned char)*p); p++, digits++)
			if (digits < 3)
				ms = ms * 10 + (*p - '0');
		if (!digits)
			return false;
		for (; digits < 3; digits++)
			ms *= 10;
	}
	int64_t offset = 0;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		/* +hh:mm, and CLICS's +hh and +hhmm */
		int oh = 0, om = 0, m = 0;
		const char *q = p + 1;
		if (!isdigit((unsigned char)q[0]) || !isdigit((unsigned char)q[1]))
			return false;
		oh = (q[0] - '0') * 10 + (q[1] - '0');
		q += 2;
		if (*q == ':')
			q++;
		if (*q) {
			if (sscanf(q, "%2d%n", &om, &m) != 1 || m != 2 || !isdigit((unsigned char)q[0]))
				return false;
			q += 2;
		}
		if (oh > 23 || om > 59)
			return false;
		offset = (oh * 60 + om) * 60 * (*p == '+' ? 1 : -1);
		p = q;
	} else {
		return false;
	}
	if (*p)
		return false;
	struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi,
			.tm_sec = sec};
	time_t t = timegm(&tm);
	struct tm back;
	if (!gmtime_r(&t, &back) || back.tm_mday != d || back.tm_mon != mo - 1) /* 31 February */
		return false;
	*out = ((int64_t)t - offset) * 1000 + ms;
	return *out > 0;
}

static bool shortname_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > 36)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '_' || s[i] == '-'))
			return false;
	return true;
}

/* A problem label: a CLICS id of at most 10 characters. */
static bool label_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > 10 || s[0] == '-' || s[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '-' || s[i] == '.'))
			return false;
	return true;
}

static bool color_ok(const char *s)
{
	if (strlen(s) != 7 || s[0] != '#')
		return false;
	for (int i = 1; i < 7; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* A contest parsed from a body; its strings are borrowed from the body. */
struct contest_body {
	struct db_contest c;
	struct db_contest_problem problems[MAX_PROBLEMS];
};

#define FAIL(...)                                   \
	do {                                        \
		*err = xasprintf(__VA_ARGS__);      \
		return false;                       \
	} while (0)

static bool parse_problems(struct db *db, const json_t *list, struct contest_body *b, char **err)
{
	if (!json_is_array(list))
		FAIL("field 'problems' must be an array");
	if (json_array_size(list) > MAX_PROBLEMS)
		FAIL("field 'problems' has %zu problems: at most %d", json_array_size(list), MAX_PROBLEMS);
	size_t i;
	json_t *item;
	json_array_foreach(list, i, item) {
		struct db_contest_problem *p = &b->problems[i];
		*p = (struct db_contest_problem){.color = "", .ordinal = (int)i + 1};
		if (!json_is_object(item))
			FAIL("field 'problems[%zu]' must be an object", i);
		char *e = NULL;
		const char *color = NULL;
		if (json_get_int(item, "problem_id", true, 1, INT64_MAX, &p->problem_id, &e) ||
		    json_get_string(item, "label", true, 64, &p->label, &e)) {
			*err = xasprintf("problems[%zu]: %s", i, e);
			free(e);
			return false;
		}
		if (!label_ok(p->label))
			FAIL("field 'problems[%zu].label' must be 1 to 10 of A-Z, a-z, 0-9, '_', '-', '.' (not "
			     "starting with '-' or '.'): got '%s'", i, p->label);
		const json_t *jc = json_object_get(item, "color");
		if (jc && !json_is_null(jc)) {
			if (!json_is_string(jc) || !color_ok(color = json_string_value(jc)))
				FAIL("field 'problems[%zu].color' must be a colour \"#rrggbb\" or null", i);
			p->color = color;
		}
		const json_t *jm = json_object_get(item, "max_score");
		if (jm && !json_is_null(jm)) {
			if (!json_is_number(jm) || json_number_value(jm) < 0)
				FAIL("field 'problems[%zu].max_score' must be a number from 0, or null", i);
			p->has_max_score = true;
			p->max_score = json_number_value(jm);
		}
		for (size_t j = 0; j < i; j++) {
			if (strcmp(b->problems[j].label, p->label) == 0)
				FAIL("field 'problems[%zu].label': label '%s' is used twice", i, p->label);
			if (b->problems[j].problem_id == p->problem_id)
				FAIL("field 'problems[%zu].problem_id': problem %lld is in the contest twice", i,
				     (long long)p->problem_id);
		}
		if (!db_problem_exists(db, p->problem_id))
			FAIL("field 'problems[%zu].problem_id': problem %lld does not exist", i, (long long)p->problem_id);
	}
	b->c.problems = b->problems;
	b->c.problem_count = json_array_size(list);
	return true;
}

static bool parse_contest(struct db *db, const json_t *body, struct contest_body *b, char **err)
{
	struct db_contest *c = &b->c;
	*c = (struct db_contest){.formal_name = "", .scoring = "icpc", .ioi_mode = "max_submission",
				 .penalty_min = 20, .gold = 4, .silver = 4, .bronze = 4};
	int64_t duration = 0, freeze = 0;
	if (json_get_string(body, "shortname", true, 64, &c->shortname, err) ||
	    json_get_string(body, "name", true, 256, &c->name, err) ||
	    json_get_string(body, "formal_name", false, 512, &c->formal_name, err) ||
	    json_get_int(body, "duration_s", true, 1, 366 * 86400, &duration, err) ||
	    json_get_int(body, "freeze_s", false, 0, 366 * 86400, &freeze, err) ||
	    json_get_string(body, "scoring", false, 16, &c->scoring, err) ||
	    json_get_string(body, "ioi_mode", false, 32, &c->ioi_mode, err) ||
	    json_get_int(body, "penalty_min", false, 0, 1000000, &c->penalty_min, err) ||
	    json_get_bool(body, "public", false, &c->public_, err) ||
	    json_get_bool(body, "practice_after_end", false, &c->practice_after_end, err) ||
	    json_get_bool(body, "classroom", false, &c->classroom, err))
		return false;
	if (!shortname_ok(c->shortname))
		FAIL("field 'shortname' must be 1 to 36 of a-z, 0-9, '_' and '-': got '%s'", c->shortname);
	if (!*c->name)
		FAIL("field 'name' must not be empty");
	if (freeze > duration)
		FAIL("field 'freeze_s' (%lld) must not exceed 'duration_s' (%lld)", (long long)freeze, (long long)duration);
	if (strcmp(c->scoring, "icpc") != 0 && strcmp(c->scoring, "ioi") != 0)
		FAIL("field 'scoring' must be \"icpc\" or \"ioi\"");
	if (strcmp(c->ioi_mode, "max_submission") != 0 && strcmp(c->ioi_mode, "max_subtasks") != 0)
		FAIL("field 'ioi_mode' must be \"max_submission\" or \"max_subtasks\"");
	c->duration_ms = duration * 1000;
	c->freeze_ms = freeze * 1000;
	const json_t *start = json_object_get(body, "start_time");
	if (start && !json_is_null(start) &&
	    (!json_is_string(start) || !api_parse_time(json_string_value(start), &c->start_ms)))
		FAIL("field 'start_time' must be an RFC 3339 time (\"2026-12-03T10:00:00Z\") or null");
	const json_t *medals = json_object_get(body, "medals");
	if (medals && !json_is_null(medals)) {
		int64_t g = c->gold, s = c->silver, br = c->bronze;
		if (!json_is_object(medals))
			FAIL("field 'medals' must be an object {\"gold\", \"silver\", \"bronze\"}");
		char *e = NULL;
		if (json_get_int(medals, "gold", false, 0, 1000, &g, &e) ||
		    json_get_int(medals, "silver", false, 0, 1000, &s, &e) ||
		    json_get_int(medals, "bronze", false, 0, 1000, &br, &e)) {
			*err = xasprintf("medals: %s", e);
			free(e);
			return false;
		}
		c->gold = (int)g;
		c->silver = (int)s;
		c->bronze = (int)br;
	}
	const json_t *problems = json_object_get(body, "problems");
	if (problems && !json_is_null(problems))
		return parse_problems(db, problems, b, err);
	return true;
}

#undef FAIL

/* Answers a store refusal of a write. */
static void refuse_write(struct http_response *res, int rc, const char *shortname)
{
	if (rc == DB_E_CONFLICT)
		http_error(res, 409, "conflict", "contest '%s' already exists", shortname);
	else if (rc == DB_E_NOT_FOUND)
		http_error(res, 400, "validation", "field 'problems': a problem does not exist");
	else
		http_error(res, 500, "internal", "cannot store contest '%s'", shortname);
}

void api_contests_create(struct http_request *req, struct http_response *res)
{
	struct contest_body *b = xmalloc(sizeof *b);
	char *err = NULL;
	int64_t id = 0;
	if (!parse_contest(req->app->db, req->json, b, &err)) {
		http_error(res, 400, "validation", "%s", err);
		free(err);
	} else {
		int rc = db_contest_create(req->app->db, &b->c, &id);
		if (rc)
			refuse_write(res, rc, b->c.shortname);
		else
			http_json(res, 201, json_pack("{s:I, s:s}", "id", (json_int_t)id, "shortname", b->c.shortname));
	}
	free(b);
}

/* Answers with the contest as stored now (for the jury: every problem). */
static void answer_stored(struct http_request *req, struct http_response *res, int status)
{
	struct db_contest c;
	if (db_contest_get(req->app->db, req->id[0], &c) != 0) {
		contest_not_found(res, req->id[0]);
		return;
	}
	struct contest_viewer v = {CONTEST_VIEW_JURY, 0, req->user ? req->user->id : 0};
	answer_contest(res, status, &c, &v);
	db_contest_release(&c);
}

void api_contests_update(struct http_request *req, struct http_response *res)
{
	struct db *db = req->app->db;
	struct db_contest cur;
	if (db_contest_get(db, req->id[0], &cur) != 0) {
		contest_not_found(res, req->id[0]);
		return;
	}
	struct contest_body *b = xmalloc(sizeof *b);
	char *err = NULL;
	if (!parse_contest(db, req->json, b, &err)) {
		http_error(res, 400, "validation", "%s", err);
		free(err);
		goto out;
	}
	/* What the actions set stays as it is. */
	b->c.frozen_at_ms = cur.frozen_at_ms;
	b->c.thaw_at_ms = cur.thaw_at_ms;
	b->c.finalized_at_ms = cur.finalized_at_ms;
	b->c.countdown_pause_ms = b->c.start_ms ? 0 : cur.countdown_pause_ms;
	int rc = db_contest_update(db, req->id[0], &b->c);
	if (rc)
		refuse_write(res, rc, b->c.shortname);
	else
		answer_stored(req, res, 200);
out:
	free(b);
	db_contest_release(&cur);
}

void api_contests_delete(struct http_request *req, struct http_response *res)
{
	int rc = db_contest_delete(req->app->db, req->id[0]);
	if (rc == DB_E_NOT_FOUND)
		contest_not_found(res, req->id[0]);
	else if (rc != 0)
		http_error(res, 500, "internal", "cannot delete contest %lld", (long long)req->id[0]);
	else
		res->status = 204;
}

/* ---- actions ---- */

/* Why the action is not possible at `at` (a message in out), or false when it
   is. PAUSE stops a scheduled start's countdown, keeping the time left;
   RESUME restarts it (START starts now, paused or not; SCHEDULE sets the
   start). */
static bool action_refused(struct db *db, const struct db_contest *c, enum api_contest_action a, int64_t now,
			   int64_t at, char *out, size_t size)
{
	struct contest_times t;
	contest_times_of(c, &t);
	enum contest_state st = contest_state_at(c, now);
	char when[32] = "";
	bool before_start = a == API_CONTEST_START || a == API_CONTEST_PAUSE || a == API_CONTEST_RESUME ||
			    a == API_CONTEST_SCHEDULE;
	if (before_start && st != CONTEST_SCHEDULED) {
		view_time_ms(when, t.start);
		snprintf(out, size, "contest '%s' has already started (at %s)", c->shortname, when);
		return true;
	}
	switch (a) {
	case API_CONTEST_START:
	case API_CONTEST_SCHEDULE:
		return false;
	case API_CONTEST_PAUSE:
		if (c->countdown_pause_ms) {
			snprintf(out, size, "the countdown of contest '%s' is already paused", c->shortname);
			return true;
		}
		if (!t.start) {
			snprintf(out, size, "contest '%s' has no start time: there is no countdown to pause", c->shortname);
			return true;
		}
		return false;
	case API_CONTEST_RESUME:
		if (!c->countdown_pause_ms) {
			snprintf(out, size, "the countdown of contest '%s' is not paused", c->shortname);
			return true;
		}
		return false;
	case API_CONTEST_FREEZE:
		if (st == CONTEST_SCHEDULED) {
			snprintf(out, size, "contest '%s' is not running: it has not started", c->shortname);
			return true;
		}
		if (st == CONTEST_FROZEN) {
			view_time_ms(when, t.freeze);
			snprintf(out, size, "contest '%s' is already frozen (since %s)", c->shortname, when);
			return true;
		}
		if (st != CONTEST_RUNNING) {
			view_time_ms(when, t.end);
			snprintf(out, size, "contest '%s' is not running: it ended at %s", c->shortname, when);
			return true;
		}
		return false;
	case API_CONTEST_THAW:
		if (!t.freeze || at < t.freeze || !t.start || at < t.start) {
			snprintf(out, size, "contest '%s' has not been frozen%s", c->shortname, at > now ? " by then" : "");
			return true;
		}
		if (t.thaw && t.thaw <= now && t.thaw >= t.freeze) {
			view_time_ms(when, t.thaw);
			snprintf(out, size, "contest '%s' is already thawed (since %s)", c->shortname, when);
			return true;
		}
		return false;
	case API_CONTEST_FINALIZE:
		if (st == CONTEST_FINALIZED) {
			view_time_ms(when, t.finalize);
			snprintf(out, size, "contest '%s' is already finalized (since %s)", c->shortname, when);
			return true;
		}
		if (st == CONTEST_SCHEDULED || st == CONTEST_RUNNING || st == CONTEST_FROZEN) {
			if (t.end)
				view_time_ms(when, t.end);
			snprintf(out, size, "contest '%s' has not ended yet%s%s", c->shortname, t.end ? ": it ends at " : "",
				 when);
			return true;
		}
		struct db_contest_blockers bl = {0};
		if (db_contest_blockers(db, c->id, &bl) != 0) {
			snprintf(out, size, "cannot read what is still open in contest '%s'", c->shortname);
			return true;
		}
		if (bl.pending || bl.judge_errors || bl.unanswered) {
			snprintf(out, size,
				 "contest '%s' cannot be finalized yet: %lld submissions pending, %lld judged JE, "
				 "%lld clarification requests unanswered",
				 c->shortname, (long long)bl.pending, (long long)bl.judge_errors, (long long)bl.unanswered);
			return true;
		}
		return false;
	}
	return false;
}

static int apply_action(struct db *db, const struct db_contest *c, enum api_contest_action a, int64_t now,
			int64_t at)
{
	int rc = 0;
	switch (a) {
	case API_CONTEST_START:
		if (c->countdown_pause_ms)
			rc = db_contest_set_time(db, c->id, DB_CONTEST_COUNTDOWN_PAUSE, 0);
		return rc ? rc : db_contest_set_time(db, c->id, DB_CONTEST_START, now);
	case API_CONTEST_SCHEDULE: /* a start clears the pause */
		return db_contest_set_time(db, c->id, DB_CONTEST_START, at);
	case API_CONTEST_FREEZE:
		/* A thaw before this freeze would end it at once. */
		if (c->thaw_at_ms)
			rc = db_contest_set_time(db, c->id, DB_CONTEST_THAW_AT, 0);
		return rc ? rc : db_contest_set_time(db, c->id, DB_CONTEST_FROZEN_AT, now);
	case API_CONTEST_THAW:
		return db_contest_set_time(db, c->id, DB_CONTEST_THAW_AT, at);
	case API_CONTEST_FINALIZE:
		return db_contest_set_time(db, c->id, DB_CONTEST_FINALIZED_AT, now);
	case API_CONTEST_PAUSE: /* clears the start; the state stays scheduled (start > now) */
		return db_contest_set_time(db, c->id, DB_CONTEST_COUNTDOWN_PAUSE, c->start_ms - now);
	case API_CONTEST_RESUME: /* a start clears the pause */
		return db_contest_set_time(db, c->id, DB_CONTEST_START, now + c->countdown_pause_ms);
	}
	return 0;
}

int api_contest_act(struct db *db, const struct db_contest *c, enum api_contest_action a, int64_t at_ms, char *why,
		    size_t size)
{
	int64_t now = contest_now_ms();
	bool timed = a == API_CONTEST_SCHEDULE || a == API_CONTEST_THAW;
	int64_t at = timed && at_ms ? at_ms : now;
	if (action_refused(db, c, a, now, at, why, size))
		return API_E_REFUSED;
	int rc = apply_action(db, c, a, now, at);
	if (rc)
		snprintf(why, size, "cannot change contest '%s'", c->shortname);
	return rc;
}

static void contest_action(struct http_request *req, struct http_response *res, enum api_contest_action a)
{
	struct db_contest c;
	if (db_contest_get(req->app->db, req->id[0], &c) != 0) {
		contest_not_found(res, req->id[0]);
		return;
	}
	char why[256];
	int rc = api_contest_act(req->app->db, &c, a, 0, why, sizeof why);
	if (rc == API_E_REFUSED)
		http_error(res, 409, "conflict", "%s", why);
	else if (rc != 0)
		http_error(res, 500, "internal", "%s", why);
	else
		answer_stored(req, res, 200);
	db_contest_release(&c);
}

void api_contest_start(struct http_request *req, struct http_response *res)
{
	contest_action(req, res, API_CONTEST_START);
}

void api_contest_freeze(struct http_request *req, struct http_response *res)
{
	contest_action(req, res, API_CONTEST_FREEZE);
}

void api_contest_thaw(struct http_request *req, struct http_response *res)
{
	contest_action(req, res, API_CONTEST_THAW);
}

void api_contest_finalize(struct http_request *req, struct http_response *res)
{
	contest_action(req, res, API_CONTEST_FINALIZE);
}

void api_contest_pause(struct http_request *req, struct http_response *res)
{
	contest_action(req, res, API_CONTEST_PAUSE);
}

void api_contest_resume(struct http_request *req, struct http_response *res)
{
	contest_action(req, res, API_CONTEST_RESUME);
}

/* ---- submissions ---- */

static const struct db_contest_problem *problem_by_label(const struct db_contest *c, const char *label)
{
	for (size_t i = 0; i < c->problem_count; i++)
		if (strcmp(c->problems[i].label, label) == 0)
			return &c->problems[i];
	return NULL;
}

bool api_contest_open_at(struct http_response *res, const struct db_contest *c, int64_t at_ms, bool *practice)
{
	struct contest_times t;
	contest_times_of(c, &t);
	char when[32] = "";
	*practice = false;
	if (!t.start) {
		http_error(res, 403, "forbidden", "contest '%s' is not open: it has no start time yet", c->shortname);
		return false;
	}
	if (at_ms < t.start) {
		view_time_ms(when, t.start);
		http_error(res, 403, "forbidden", "contest '%s' is not open yet: it opens at %s", c->shortname, when);
		return false;
	}
	if (at_ms >= t.end) {
		view_time_ms(when, t.end);
		if (!c->practice_after_end) {
			http_error(res, 403, "forbidden", "contest '%s' has ended (at %s)", c->shortname, when);
			return false;
		}
		*practice = true;
	}
	return true;
}

bool api_contest_team(struct http_request *req, struct http_response *res, const struct db_contest *c,
		      int64_t *team_id)
{
	struct db *db = req->app->db;
	int rc = db_team_of_user(db, c->id, req->user->id, team_id);
	if (rc == DB_E_NOT_FOUND && c->classroom)
		rc = db_team_for_student(db, c->id, req->user->id, team_id);
	if (rc == DB_E_NOT_FOUND)
		http_error(res, 403, "forbidden", "you are not in a team of contest '%s'", c->shortname);
	else if (rc != 0)
		http_error(res, 500, "internal", "cannot find your team in contest '%s'", c->shortname);
	return rc == 0;
}

/* Jury and admin submissions have no team and are practice: judged, shown,
   never counted. A team's is refused outside the window, and practice
   after the end where the contest allows it. */
void api_contest_submit(struct http_request *req, struct http_response *res)
{
	struct db_contest c;
	struct contest_viewer v;
	if (!visible_contest(req, res, &c, &v))
		return;
	struct db_submit_context ctx = {.contest_id = c.id, .submitted_ms = contest_now_ms(), .practice = true};
	if (v.view != CONTEST_VIEW_JURY &&
	    (!api_contest_open_at(res, &c, ctx.submitted_ms, &ctx.practice) || !api_contest_team(req, res, &c, &ctx.team_id)))
		goto out;
	const struct db_contest_problem *p = problem_by_label(&c, req->key);
	if (!p) {
		http_error(res, 404, "not_found", "contest '%s' has no problem '%s'", c.shortname, req->key);
		goto out;
	}
	api_submit(req, res, p->problem_id, &ctx);
out:
	db_contest_release(&c);
}

/* Masks per row what the viewer may not see. */
struct masked_list {
	struct view_list l;
	const struct db_contest *c;
	const struct contest_viewer *v;
	int64_t now;
};

static void masked_row(void *arg, const struct db_submission *s)
{
	struct masked_list *m = arg;
	bool sees = contest_viewer_sees_result(m->c, m->v, s->team_id, s->submitted_ms, m->now);
	view_list_submission_parts(&m->l, s, sees ? 0 : VIEW_RESULT_HIDDEN);
}

void api_contest_submissions(struct http_request *req, struct http_response *res)
{
	int page, per_page;
	if (!http_paging(req, res, &page, &per_page))
		return;
	struct db_contest c;
	struct contest_viewer v;
	if (!visible_contest(req, res, &c, &v))
		return;
	int64_t team = 0, problem = 0;
	const char *t = http_query(req, "team"), *p = http_query(req, "problem");
	if (t && *t && !parse_id(t, &team)) {
		http_error(res, 400, "bad_request", "invalid team '%s': ids are positive integers", t);
		goto out;
	}
	int64_t now = contest_now_ms();
	if (p && *p) {
		const struct db_contest_problem *cp = problem_by_label(&c, p);
		if (!cp || !shows_problems(&c, &v, now)) {
			http_error(res, 404, "not_found", "contest '%s' has no problem '%s'", c.shortname, p);
			goto out;
		}
		problem = cp->problem_id;
	}
	/* The jury's own (practice, no team) are for the jury only. */
	if (!team && v.view != CONTEST_VIEW_JURY)
		team = DB_TEAMS_ONLY;
	struct masked_list m = {.c = &c, .v = &v, .now = now};
	int64_t total = 0;
	view_list_begin(&m.l);
	if (db_contest_submissions(req->app->db, c.id, team, problem, page, per_page, masked_row, &m, &total) != 0) {
		buf_release(&m.l.buf);
		http_error(res, 500, "internal", "cannot list the submissions of contest '%s'", c.shortname);
		goto out;
	}
	size_t len;
	char *text = view_list_end(&m.l, page, per_page, total, &len);
	http_json_text(res, 200, text, len);
out:
	db_contest_release(&c);
}
