/* The CLICS Contest API 2023-06 writes under /api/clics/contests/{key}:
 * POST and PUT submissions and clarifications, PATCH the contest's start
 * time and thaw time. Each reads the CLICS body into what the native API's
 * action takes and calls that action (api_submit_files, the contest's
 * submission window and team, api_clarification_send, api_contest_act), so
 * a CLICS write is stored, judged, logged and pushed like a native one. Who
 * may do what is the access object's capabilities: a team team_submit and
 * team_clar, the jury proxy_submit, proxy_clar and admin_clar, admins also
 * admin_submit, contest_start and contest_thaw. Errors get the CLICS {"code", "message"} shape in the
 * HTTP layer. */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "api.h"
#include "app.h"
#include "clics_model.h"
#include "clock.h"
#include "db.h"
#include "languages.h"
#include "source_zip.h"
#include "util.h"
#include "views.h"

#define START_MARGIN_MS 30000 /* CLICS: no start change within 30 s of the start */
#define CLOCK_SKEW_MS 1000    /* a given time may be this far ahead of the server's */

/* The contest of the path and who the caller is in it: false with a 404
   answer when there is none (or it is hidden from them). */
static bool open_contest(struct http_request *req, struct http_response *res, struct db_contest *c,
			 struct contest_viewer *v)
{
	int64_t id;
	if (db_contest_by_shortname(req->app->db, req->key, &id) == 0 && db_contest_get(req->app->db, id, c) == 0) {
		if (contest_viewer_of(req->app->db, c, req->user, v))
			return true;
		db_contest_release(c);
	}
	http_error(res, 404, "not_found", "contest '%s' does not exist", req->key);
	return false;
}

/* The {id} of a PUT: the path's last segment. */
static const char *path_id(const struct http_request *req)
{
	return strrchr(req->path, '/') + 1;
}
/* Refuses a property the body may not have (400), naming it. */
static bool only_props(struct http_response *res, const json_t *body, const char *const *allowed)
{
	const char *k;
	json_t *val;
	json_object_foreach((json_t *)body, k, val) {
		const char *const *a = allowed;
		while (*a && strcmp(*a, k) != 0)
			a++;
		if (!*a) {
			http_error(res, 400, "bad_request", "property '%s' is not taken here", k);
			return false;
		}
	}
	return true;
}

/* Property name as a string, or NULL when absent or null; false with a 400
   answer when it is something else. */
static bool string_prop(struct http_response *res, const json_t *body, const char *name, const char **out)
{
	const json_t *v = json_object_get(body, name);
	*out = NULL;
	if (!v || json_is_null(v))
		return true;
	if (!json_is_string(v)) {
		http_error(res, 400, "bad_request", "property '%s' must be a string%s", name,
			   strcmp(name, "text") == 0 ? "" : " or null");
		return false;
	}
	*out = json_string_value(v);
	return true;
}

/* A TIME property (absent or null: 0). */
static bool time_prop(struct http_response *res, const json_t *body, const char *name, int64_t *out)
{
	const char *s;
	*out = 0;
	if (!string_prop(res, body, name, &s))
		return false;
	if (s && !api_parse_time(s, out)) {
		http_error(res, 400, "bad_request", "property '%s' must be a TIME (\"2026-12-03T10:00:00.000Z\"): got '%s'",
			   name, s);
		return false;
	}
	return true;
}

/* The id of a PUT: the URL's, a number, and the body's the same. */
static bool put_id(struct http_response *res, const json_t *body, const char *url_id, int64_t *out)
{
	const char *given;
	if (!string_prop(res, body, "id", &given))
		return false;
	if (!given) {
		http_error(res, 400, "bad_request", "property 'id' is required on PUT");
		return false;
	}
	if (strcmp(given, url_id) != 0) {
		http_error(res, 409, "conflict", "property 'id' ('%s') does not match the URL's ('%s')", given, url_id);
		return false;
	}
	if (!parse_id(url_id, out)) {
		http_error(res, 400, "bad_request", "id '%s' is not acceptable: verdict's ids are positive integers", url_id);
		return false;
	}
	return true;
}

/* A team of the contest by key, or 0. */
struct team_find {
	const char *key;
	int64_t id;
	bool hidden;
};

static void team_find_row(void *arg, const struct db_team *t)
{
	struct team_find *f = arg;
	if (strcmp(t->key, f->key) == 0) {
		f->id = t->id;
		f->hidden = t->hidden;
	}
}

static int64_t team_by_key(struct db *db, const struct db_contest *c, const char *key)
{
	struct team_find f = {key, 0, false};
	db_teams_list(db, c->id, team_find_row, &f);
	return f.id;
}

/* A CLICS problem id (its slug) of the contest: 0 with a 404 answer when none. */
static int64_t problem_by_slug(struct http_response *res, const struct db_contest *c, const char *slug)
{
	for (size_t i = 0; i < c->problem_count; i++)
		if (strcmp(c->problems[i].slug, slug) == 0)
			return c->problems[i].problem_id;
	http_error(res, 404, "not_found", "contest '%s' has no problem '%s'", c->shortname, slug);
	return 0;
}

/* Answers status with the object as the caller sees it now: the model's,
   as GET and the event feed write it; with a Location for a new one. */
static void answer_object(struct http_request *req, struct http_response *res, int status, enum clics_type type,
			  int64_t id)
{
	struct clics_model *m = clics_model_open(req->app, req->key, req->user, contest_now_ms());
	char text[24];
	snprintf(text, sizeof text, "%" PRId64, id);
	json_t *o = !m ? NULL : type == CLICS_CONTEST ? clics_collection(m, type) : clics_object(m, type, text);
	if (o)
		http_json(res, status, o);
	else
		http_error(res, 500, "internal", "cannot read back %s %s", clics_type_name(type), text);
	if (o && type != CLICS_CONTEST)
		res->location = xasprintf("/api/clics/contests/%s/%s/%s", req->key, clics_type_name(type), text);
	clics_model_free(m);
}

/* ---- submissions ---- */

/* The source in `files`: one zip, base64, holding one file, or several (a multi-file submission:
   *files_json too, checked as the native API checks them, with entry). false with a 400. */
static bool files_source(struct http_response *res, const json_t *files, const struct language *l, const char *entry,
			 char **source, char **files_json)
{
	*source = *files_json = NULL;
	if (!json_is_array(files) || json_array_size(files) != 1 || !json_is_object(json_array_get(files, 0))) {
		http_error(res, 400, "bad_request", "property 'files' must be an array of one FILE: {\"data\": base64 of a "
			   "zip, \"mime\": \"application/zip\"}");
		return false;
	}
	const json_t *f = json_array_get(files, 0), *mime = json_object_get(f, "mime"), *data = json_object_get(f, "data");
	if (mime && !json_is_null(mime) &&
	    (!json_is_string(mime) || strcmp(json_string_value(mime), "application/zip") != 0)) {
		http_error(res, 400, "bad_request", "files[0].mime must be \"application/zip\"");
		return false;
	}
	if (!json_is_string(data)) {
		http_error(res, 400, "bad_request", "files[0].data must be the zip in base64 (an href is not fetched)");
		return false;
	}
	size_t b64_len = json_string_length(data), len = 0;
	unsigned char *zip = xmalloc(b64_len / 4 * 3 + 3);
	if (sodium_base642bin(zip, b64_len / 4 * 3 + 3, json_string_value(data), b64_len, "\r\n", &len, NULL,
			      sodium_base64_VARIANT_ORIGINAL) != 0) {
		free(zip);
		http_error(res, 400, "bad_request", "files[0].data is not base64");
		return false;
	}
	char *err = NULL;
	struct source_file *sf = NULL;
	size_t n = 0;
	int rc = source_zip_read_all(zip, len, API_MAX_SOURCE, API_MAX_FILES, &sf, &n, &err);
	free(zip);
	if (rc == PACKAGE_E_INVALID)
		http_error(res, 400, "bad_request", "files[0]: %s", err);
	else if (rc)
		http_error(res, 500, "internal", "cannot read the zip of files[0]");
	free(err);
	bool classes = l->entry == LANGUAGE_ENTRY_CLASS || l->entry == LANGUAGE_ENTRY_KOTLIN;
	if (rc == 0 && n == 1 && !entry && !classes) {
		/* one file: as a plain source, named as its language says (a Java or Kotlin file keeps
		   its name: its class is named after it) */
		*source = sf[0].data;
		sf[0].data = NULL;
	} else if (rc == 0) {
		json_t *list = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(list, json_pack("{s:s, s:s%}", "name", sf[i].name, "content", sf[i].data,
							      sf[i].len));
		const char *entry_source = NULL;
		size_t entry_len = 0;
		if (api_files_check(res, l, list, entry, files_json, &entry_source, &entry_len))
			*source = xstrdup(entry_source);
		else
			rc = -EINVAL;
		json_decref(list);
	}
	source_files_free(sf, n);
	return rc == 0;
}

/* Where the submission goes: the caller's own team (team_submit), or the
   team_id the jury names (proxy_submit; admins' admin_submit may also give a
   time). */
static bool submission_context(struct http_request *req, struct http_response *res, const struct db_contest *c,
			       const struct contest_viewer *v, bool put, struct db_submit_context *ctx)
{
	const json_t *body = req->json;
	const char *team = NULL;
	int64_t at = 0;
	if (!string_prop(res, body, "team_id", &team) || !time_prop(res, body, "time", &at))
		return false;
	int64_t now = contest_now_ms();
	ctx->contest_id = c->id;
	if (v->view == CONTEST_VIEW_JURY) {
		if (!team) {
			http_error(res, 400, "bad_request", "property 'team_id' is required: the jury submits for a team");
			return false;
		}
		if (!(ctx->team_id = team_by_key(req->app->db, c, team))) {
			http_error(res, 404, "not_found", "contest '%s' has no team '%s'", c->shortname, team);
			return false;
		}
		if (at && !req->user->admin) {
			http_error(res, 400, "bad_request", "a proxy's submission takes no 'time': the server sets it (admins "
				   "may give one)");
			return false;
		}
		if (at > now + CLOCK_SKEW_MS) {
			http_error(res, 400, "bad_request", "property 'time' is in the future");
			return false;
		}
		ctx->submitted_ms = at ? at : now;
		return api_contest_open_at(res, c, ctx->submitted_ms, &ctx->practice);
	}
	if (put) {
		http_error(res, 403, "forbidden", "PUT of a submission is admin_submit's: admins only");
		return false;
	}
	if (at || json_object_get(body, "contest_time")) {
		http_error(res, 400, "bad_request", "a team's submission takes no 'time' or 'contest_time': the server sets it");
		return false;
	}
	ctx->submitted_ms = now;
	if (!api_contest_open_at(res, c, now, &ctx->practice) || !api_contest_team(req, res, c, &ctx->team_id))
		return false;
	if (team && ctx->team_id != team_by_key(req->app->db, c, team)) {
		http_error(res, 403, "forbidden", "a team submits for itself: 'team_id' must be your team's or absent");
		return false;
	}
	return true;
}

static void submission_write(struct http_request *req, struct http_response *res, const char *put_url_id)
{
	static const char *const props[] = {"id", "language_id", "problem_id", "team_id", "time", "contest_time",
					    "entry_point", "files", "reaction", NULL};
	struct db_contest c;
	struct contest_viewer v;
	if (!open_contest(req, res, &c, &v))
		return;
	const json_t *body = req->json;
	struct db_submit_context ctx = {0};
	int64_t want = 0; /* a PUT's id */
	const char *problem = NULL, *language = NULL, *entry = NULL;
	char *source = NULL, *files_json = NULL;
	if (!only_props(res, body, props))
		goto out;
	if (put_url_id ? !put_id(res, body, put_url_id, &want) : json_object_get(body, "id") != NULL) {
		if (!put_url_id)
			http_error(res, 400, "bad_request", "a POST takes no 'id': the server gives one (PUT .../%s "
				   "keeps one, for admins)", "submissions/{id}");
		goto out;
	}
	if (!submission_context(req, res, &c, &v, put_url_id != NULL, &ctx) ||
	    !string_prop(res, body, "problem_id", &problem) || !string_prop(res, body, "language_id", &language) ||
	    !string_prop(res, body, "entry_point", &entry))
		goto out;
	if (!problem || !language || !json_object_get(body, "files")) {
		http_error(res, 400, "bad_request", "properties 'problem_id', 'language_id' and 'files' are required");
		goto out;
	}
	int64_t problem_id = problem_by_slug(res, &c, problem);
	if (!problem_id)
		goto out;
	const struct language *l = languages_find(req->app->languages, language);
	if (!l) {
		http_error(res, 404, "not_found", "no language '%s': available are %s", language,
			   languages_ids(req->app->languages));
		goto out;
	}
	/* entry_point: needed only where the files do not say it (several Java classes with main) */
	if (!files_source(res, json_object_get(body, "files"), l, entry, &source, &files_json))
		goto out;
	struct db_submission s;
	struct db_submit_files f = {files_json, entry};
	if (!api_submit_files(req, res, problem_id, language, source, strlen(source), files_json ? &f : NULL, &ctx, want,
			      &s))
		goto out;
	answer_object(req, res, 201, CLICS_SUBMISSIONS, s.id);
	db_submission_release(&s);
out:
	free(source);
	free(files_json);
	db_contest_release(&c);
}

void api_clics_submission_post(struct http_request *req, struct http_response *res)
{
	submission_write(req, res, NULL);
}

void api_clics_submission_put(struct http_request *req, struct http_response *res)
{
	submission_write(req, res, path_id(req));
}

/* ---- clarifications ---- */

/* The CLICS body in native terms: team_clar from a team, proxy_clar from the
   jury for a team (*as: that team), admin_clar from the jury (to_team_id
   null: to all). */
static bool clarification_body(struct http_request *req, struct http_response *res, const struct db_contest *c,
			       const struct contest_viewer *v, struct api_clar *in, struct contest_viewer *as)
{
	const json_t *body = req->json;
	const char *from = NULL, *to = NULL, *reply = NULL, *problem = NULL;
	if (!string_prop(res, body, "from_team_id", &from) || !string_prop(res, body, "to_team_id", &to) ||
	    !string_prop(res, body, "reply_to_id", &reply) || !string_prop(res, body, "problem_id", &problem) ||
	    !string_prop(res, body, "text", &in->text) || !time_prop(res, body, "time", &in->time_ms))
		return false;
	if (!in->text) {
		http_error(res, 400, "bad_request", "property 'text' is required");
		return false;
	}
	in->problem_given = json_object_get(body, "problem_id") != NULL; /* absent: a reply's question's */
	if (problem && !(in->problem_id = problem_by_slug(res, c, problem)))
		return false;
	if (reply && (!parse_id(reply, &in->reply_to))) {
		http_error(res, 404, "not_found", "contest '%s' has no clarification '%s'", c->shortname, reply);
		return false;
	}
	*as = *v;
	bool proxy = v->view == CONTEST_VIEW_JURY && from;
	if (v->view == CONTEST_VIEW_TEAM || proxy) {
		if (in->id || in->time_ms || json_object_get(body, "contest_time")) {
			http_error(res, 400, "bad_request", "a team's clarification takes no 'id', 'time' or 'contest_time': "
				   "the server sets them");
			return false;
		}
		if (to) {
			http_error(res, 403, "forbidden", "teams cannot send clarifications to another team: "
				   "'to_team_id' must be absent");
			return false;
		}
		int64_t team = from ? team_by_key(req->app->db, c, from) : v->team_id;
		if (proxy && !team) {
			http_error(res, 404, "not_found", "contest '%s' has no team '%s'", c->shortname, from);
			return false;
		}
		if (team != v->team_id && !proxy) {
			http_error(res, 403, "forbidden", "a team asks for itself: 'from_team_id' must be your team's or "
				   "absent");
			return false;
		}
		*as = (struct contest_viewer){CONTEST_VIEW_TEAM, team, v->user_id};
		return true;
	}
	if (v->view != CONTEST_VIEW_JURY) {
		http_error(res, 403, "forbidden", "only the teams and the jury of contest '%s' send clarifications",
			   c->shortname);
		return false;
	}
	if (in->time_ms > contest_now_ms() + CLOCK_SKEW_MS) {
		http_error(res, 400, "bad_request", "property 'time' is in the future");
		return false;
	}
	in->to_team = to != NULL;
	if (to && !(in->team_id = team_by_key(req->app->db, c, to))) {
		http_error(res, 404, "not_found", "contest '%s' has no team '%s'", c->shortname, to);
		return false;
	}
	return true;
}

static void clarification_write(struct http_request *req, struct http_response *res, const char *put_url_id)
{
	static const char *const props[] = {"id", "from_team_id", "to_team_id", "reply_to_id", "problem_id", "text",
					    "time", "contest_time", NULL};
	struct db_contest c;
	struct contest_viewer v;
	if (!open_contest(req, res, &c, &v))
		return;
	struct api_clar in = {0};
	int64_t id;
	if (!only_props(res, req->json, props))
		goto out;
	if (put_url_id ? !put_id(res, req->json, put_url_id, &in.id) : json_object_get(req->json, "id") != NULL) {
		if (!put_url_id)
			http_error(res, 400, "bad_request", "a POST takes no 'id': the server gives one (PUT .../%s "
				   "keeps one, for the jury)", "clarifications/{id}");
		goto out;
	}
	struct contest_viewer as;
	if (clarification_body(req, res, &c, &v, &in, &as) && api_clarification_send(req, res, &c, &as, &in, &id))
		answer_object(req, res, 201, CLICS_CLARIFICATIONS, id);
out:
	db_contest_release(&c);
}

void api_clics_clarification_post(struct http_request *req, struct http_response *res)
{
	clarification_write(req, res, NULL);
}

void api_clics_clarification_put(struct http_request *req, struct http_response *res)
{
	clarification_write(req, res, path_id(req));
}

/* ---- PATCH the contest ---- */

/* start_time: a TIME schedules the start, null pauses the countdown; never
   once started, within 30 s of the start, or for a start within 30 s. */
static void patch_start(struct http_request *req, struct http_response *res, const struct db_contest *c)
{
	int64_t at, now = contest_now_ms();
	const json_t *pause = json_object_get(req->json, "countdown_pause_time");
	if (!time_prop(res, req->json, "start_time", &at))
		return;
	if (pause && !json_is_null(pause)) {
		http_error(res, 400, "bad_request", "'countdown_pause_time' is not taken: a pause (start_time null) keeps "
			   "the time left");
		return;
	}
	char why[256], when[32];
	if (c->start_ms && contest_state_at(c, now) == CONTEST_SCHEDULED && c->start_ms - now < START_MARGIN_MS) {
		view_time_ms(when, c->start_ms);
		http_error(res, 403, "forbidden", "contest '%s' starts in less than 30 s (at %s): its start is fixed",
			   c->shortname, when);
		return;
	}
	if (at && at < now + START_MARGIN_MS) {
		http_error(res, 403, "forbidden", "the new start time is in the past or less than 30 s away");
		return;
	}
	enum api_contest_action a = at ? API_CONTEST_SCHEDULE : API_CONTEST_PAUSE;
	int rc = 0;
	/* null with no countdown running: nothing to pause */
	if (at || (c->start_ms && !c->countdown_pause_ms) || contest_state_at(c, now) != CONTEST_SCHEDULED)
		rc = api_contest_act(req->app->db, c, a, at, why, sizeof why);
	if (rc == API_E_REFUSED)
		http_error(res, 403, "forbidden", "%s", why);
	else if (rc)
		http_error(res, 500, "internal", "%s", why);
	else
		answer_object(req, res, 200, CLICS_CONTEST, c->id);
}

/* scoreboard_thaw_time: at or after the end; now (200 with the contest) when
   it has passed, else at that time (204). */
static void patch_thaw(struct http_request *req, struct http_response *res, const struct db_contest *c)
{
	int64_t at, now = contest_now_ms();
	if (!time_prop(res, req->json, "scoreboard_thaw_time", &at))
		return;
	if (!at) {
		http_error(res, 400, "bad_request", "'scoreboard_thaw_time' must be a TIME");
		return;
	}
	struct contest_times t;
	contest_times_of(c, &t);
	char why[256], when[32];
	if (!t.end || at < t.end) {
		view_time_ms(when, t.end);
		http_error(res, 403, "forbidden", "contest '%s' cannot be thawed before its end%s%s", c->shortname,
			   t.end ? " at " : " (it has no start time)", t.end ? when : "");
		return;
	}
	bool later = at > now;
	int rc = api_contest_act(req->app->db, c, API_CONTEST_THAW, later ? at : 0, why, sizeof why);
	if (rc == API_E_REFUSED)
		http_error(res, 403, "forbidden", "%s", why);
	else if (rc)
		http_error(res, 500, "internal", "%s", why);
	else if (later)
		res->status = 204;
	else
		answer_object(req, res, 200, CLICS_CONTEST, c->id);
}

void api_clics_contest_patch(struct http_request *req, struct http_response *res)
{
	static const char *const props[] = {"id", "start_time", "countdown_pause_time", "scoreboard_thaw_time", NULL};
	struct db_contest c;
	struct contest_viewer v;
	const char *id;
	if (!open_contest(req, res, &c, &v))
		return;
	bool start = json_object_get(req->json, "start_time") != NULL,
	     thaw = json_object_get(req->json, "scoreboard_thaw_time") != NULL;
	if (!only_props(res, req->json, props) || !string_prop(res, req->json, "id", &id))
		goto out;
	if (!id) {
		http_error(res, 400, "bad_request", "property 'id' is required");
	} else if (strcmp(id, c.shortname) != 0) {
		http_error(res, 409, "conflict", "property 'id' ('%s') does not match the URL's ('%s')", id, c.shortname);
	} else if (start == thaw) {
		http_error(res, 400, "bad_request", "a PATCH sets 'start_time' or 'scoreboard_thaw_time', one of them");
	} else if (start) {
		patch_start(req, res, &c);
	} else {
		patch_thaw(req, res, &c);
	}
out:
	db_contest_release(&c);
}
