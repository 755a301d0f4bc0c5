/* Submissions: create, lists, one submission, rejudge. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "access.h"
#include "api.h"
#include "app.h"
#include "clock.h"
#include "config.h"
#include "db.h"
#include "judge.h"
#include "json_util.h"
#include "languages.h"
#include "metrics.h"
#include "util.h"
#include "views.h"
#include "zip_writer.h"

static void not_found(struct http_response *res, const char *what, int64_t id)
{
	http_error(res, 404, "not_found", "%s %lld does not exist", what, (long long)id);
}

/* Answers with the submission's REST object (the parts given) and releases it. */
static void answer_submission(struct http_response *res, int status, struct db_submission *s, unsigned parts)
{
	struct buf b;
	buf_init(&b);
	view_submission(&b, s, parts);
	db_submission_release(s);
	size_t len;
	char *text = buf_detach(&b, &len);
	http_json_text(res, status, text, len);
}

/* Answers with a list page: the rows fn got, in the paging envelope. */
static void answer_list(struct http_response *res, struct view_list *l, int page, int per_page, int64_t total)
{
	size_t len;
	char *text = view_list_end(l, page, per_page, total, &len);
	http_json_text(res, 200, text, len);
}

/* 429 for a submission over the user's quota, naming the limit, with Retry-After. */
static void refuse_over_quota(struct http_response *res, const struct db_submit_limits *lim)
{
	bool per_minute = strcmp(lim->refused, "per_minute") == 0;
	metrics_add(per_minute ? METRIC_LIMITED_SUBMIT_MINUTE : METRIC_LIMITED_SUBMIT_QUEUED, 1);
	res->retry_after = lim->retry_after > 0 ? lim->retry_after : 1;
	if (per_minute)
		http_error(res, 429, "rate_limited",
			   "at most %d submissions per minute per user (--submissions-per-minute): try again in %d s",
			   lim->per_minute, res->retry_after);
	else
		http_error(res, 429, "rate_limited",
			   "at most %d submissions per user waiting to be judged (--queued-per-user): try again in "
			   "about %d s, when one is judged", lim->queued, res->retry_after);
}

/* Jury and admins have no quota and see everything of every submission. */
static bool is_jury(const struct db_user *u)
{
	return u && u->role != DB_ROLE_USER;
}

int api_submission_zip(const struct languages *ls, const struct db_submission *s, char **data, size_t *len)
{
	struct zip_writer *z = zip_writer_new();
	json_t *files = s->files ? json_loads(s->files, 0, NULL) : NULL;
	int rc = z ? 0 : -ENOMEM;
	if (files) {
		size_t i;
		json_t *f;
		json_array_foreach(files, i, f) {
			json_t *c = json_object_get(f, "content");
			if (rc == 0)
				rc = zip_writer_add(z, json_string_value(json_object_get(f, "name")), json_string_value(c),
						    json_string_length(c));
		}
		json_decref(files);
	} else if (rc == 0) {
		const struct language *l = languages_find(ls, s->language);
		rc = zip_writer_add(z, l && l->source ? l->source : "source", s->source ? s->source : "",
				    s->source ? s->source_len : 0);
	}
	if (rc != 0) {
		zip_writer_free(z);
		return rc;
	}
	return zip_writer_finish(z, data, len);
}

/* A file name of a multi-file submission: a plain name in the box, no path. */
static bool safe_file_name(const char *n)
{
	size_t len = strlen(n);
	return len > 0 && len <= API_MAX_FILE_NAME && n[0] != '.' &&
	       strspn(n, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") == len;
}

bool api_files_check(struct http_response *res, const struct language *l, const json_t *files, const char *entry,
		     char **files_json, const char **source, size_t *source_len)
{
	size_t n = json_array_size(files), total = 0;
	if (!json_is_array(files) || n == 0) {
		http_error(res, 400, "validation", "field 'files' must be a non-empty array of {\"name\", \"content\"}");
		return false;
	}
	if (n > API_MAX_FILES) {
		http_error(res, 413, "too_large", "a submission has at most %d files, not %zu", API_MAX_FILES, n);
		return false;
	}
	const char *names[API_MAX_FILES];
	json_t *stored = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *f = json_array_get(files, i), *c = json_object_get(f, "content");
		const char *name = json_string_value(json_object_get(f, "name"));
		if (!json_is_object(f) || !name || !json_is_string(c) || json_object_size(f) != 2) {
			http_error(res, 400, "validation", "files[%zu] must be {\"name\": string, \"content\": string}", i);
			goto fail;
		}
		if (!safe_file_name(name)) {
			http_error(res, 400, "validation",
				   "files[%zu]: unsafe file name '%s': 1 to %d letters, digits, '.', '_', '-', not"
				   " starting with '.' (no paths)", i, name, API_MAX_FILE_NAME);
			goto fail;
		}
		for (size_t k = 0; k < i; k++)
			if (strcmp(names[k], name) == 0) {
				http_error(res, 400, "validation", "files[%zu]: '%s' is given twice", i, name);
				goto fail;
			}
		names[i] = name;
		total += json_string_length(c);
		if (total > API_MAX_SOURCE) {
			http_error(res, 413, "too_large", "the files of a submission hold at most %d bytes",
				   API_MAX_SOURCE);
			goto fail;
		}
		json_array_append_new(stored, json_pack("{s:s, s:O}", "name", name, "content", c));
	}
	char entry_out[256];
	char *why = language_entry(l, names, n, entry, entry_out, sizeof entry_out);
	if (why) {
		http_error(res, 400, "validation", "%s", why);
		free(why);
		goto fail;
	}
	/* source: the entry's file (given, or the file run), else the default name's, else the first */
	size_t pick = n;
	for (size_t i = 0; i < n && pick == n; i++)
		if ((entry && strcmp(names[i], entry) == 0) || strcmp(names[i], entry_out) == 0)
			pick = i;
	for (size_t i = 0; i < n && pick == n; i++)
		if (strcasecmp(names[i], l->source) == 0)
			pick = i;
	json_t *content = json_object_get(json_array_get(files, pick < n ? pick : 0), "content");
	*source = json_string_value(content);
	*source_len = json_string_length(content);
	*files_json = json_dumps(stored, JSON_COMPACT);
	json_decref(stored);
	return true;
fail:
	json_decref(stored);
	return false;
}

bool api_submit_source(struct http_request *req, struct http_response *res, int64_t problem_id,
		       const char *language, const char *source, size_t source_len, const struct db_submit_context *ctx,
		       int64_t want, struct db_submission *created)
{
	return api_submit_files(req, res, problem_id, language, source, source_len, NULL, ctx, want, created);
}

bool api_submit_files(struct http_request *req, struct http_response *res, int64_t problem_id,
		      const char *language, const char *source, size_t source_len, const struct db_submit_files *files,
		      const struct db_submit_context *ctx, int64_t want, struct db_submission *created)
{
	struct app *app = req->app;
	if (!db_problem_exists(app->db, problem_id)) {
		not_found(res, "problem", problem_id);
		return false;
	}
	if (!languages_find(app->languages, language)) {
		http_error(res, 400, "validation", "unknown language '%s': available are %s", language,
			   languages_ids(app->languages));
		return false;
	}
	if (source_len == 0) {
		http_error(res, 400, "validation", "field 'source' must not be empty");
		return false;
	}
	int64_t id;
	/* Per user, never per address: a classroom behind one NAT submits freely. */
	struct db_submit_limits lim = {app->cfg->submissions_per_minute, app->cfg->queued_per_user, NULL, 0};
	int rc = db_submission_create_files(app->db, problem_id, req->user->id, language, source, source_len, files, ctx,
					    want, is_jury(req->user) ? NULL : &lim, &id, created);
	if (rc == DB_E_LIMITED)
		refuse_over_quota(res, &lim);
	else if (rc == DB_E_NOT_FOUND)
		not_found(res, "problem", problem_id);
	else if (rc == DB_E_CONFLICT)
		http_error(res, 409, "conflict",
			   "submission id %lld is taken or was used before: a new id must be above every id so far",
			   (long long)want);
	else if (rc != 0)
		http_error(res, 500, "internal", "cannot store the submission");
	if (rc != 0)
		return false;
	judge_wake(app->judge);
	return true;
}

void api_submit(struct http_request *req, struct http_response *res, int64_t problem_id,
		const struct db_submit_context *ctx)
{
	const char *language = NULL, *source = NULL, *entry = NULL;
	size_t source_len = 0;
	char *err = NULL, *files_json = NULL;
	json_t *files = json_object_get(req->json, "files");
	/* A source may hold NUL bytes: stored as sent, it fails to compile. */
	if (json_get_string(req->json, "language", true, 64, &language, &err) ||
	    (!files && json_get_bytes(req->json, "source", true, API_MAX_SOURCE, &source, &source_len, &err))) {
		http_error(res, 400, "validation", "%s", err);
		free(err);
		return;
	}
	if (files) {
		const struct language *l = languages_find(req->app->languages, language);
		if (json_object_get(req->json, "source")) {
			http_error(res, 400, "validation", "give either 'source' or 'files', not both");
			return;
		}
		if (!l) {
			http_error(res, 400, "validation", "unknown language '%s': available are %s", language,
				   languages_ids(req->app->languages));
			return;
		}
		if (json_get_string(req->json, "entry_point", false, 255, &entry, &err)) {
			http_error(res, 400, "validation", "%s", err);
			free(err);
			return;
		}
		if (!api_files_check(res, l, files, entry, &files_json, &source, &source_len))
			return;
	} else if (json_object_get(req->json, "entry_point")) {
		http_error(res, 400, "validation", "'entry_point' goes with 'files', not with 'source'");
		return;
	}
	struct db_submit_files f = {files_json, entry};
	struct db_submission created;
	if (api_submit_files(req, res, problem_id, language, source, source_len, files ? &f : NULL, ctx, 0, &created))
		answer_submission(res, 201, &created, 0);
	free(files_json);
}

void api_submissions_create(struct http_request *req, struct http_response *res)
{
	if (api_problem_out(req, res, req->id[0]))
		api_submit(req, res, req->id[0], NULL);
}

void api_problem_submissions(struct http_request *req, struct http_response *res)
{
	int page, per_page;
	if (!http_paging(req, res, &page, &per_page) || !api_problem_out(req, res, req->id[0]))
		return;
	struct view_list l;
	int64_t total;
	view_list_begin(&l);
	if (db_problem_submissions(req->app->db, req->id[0], page, per_page, view_list_submission, &l, &total) != 0) {
		buf_release(&l.buf);
		not_found(res, "problem", req->id[0]);
		return;
	}
	answer_list(res, &l, page, per_page, total);
}

/* Who a viewer is in a submission's contest, read once per contest of a list. */
struct seen_contest {
	struct db_contest c;
	struct contest_viewer v;
	bool visible;
};

struct masked_list {
	struct view_list l;
	struct db *db;
	const struct db_user *user;
	int64_t now;
	struct seen_contest seen[16];
	size_t count;
};

/* What of a contest submission the viewer may see: false when nothing (the
   contest is hidden from them), else *parts gets VIEW_RESULT_HIDDEN when the
   freeze hides its result. A plain submission: true, no parts. */
static bool contest_parts(const struct db_contest *c, const struct contest_viewer *v, bool visible,
			  const struct db_submission *s, int64_t now, unsigned *parts)
{
	*parts = 0;
	if (!s->contest_id)
		return true;
	if (!visible)
		return false;
	if (!contest_viewer_sees_result(c, v, s->team_id, s->submitted_ms, now))
		*parts = VIEW_RESULT_HIDDEN;
	return true;
}

static void masked_row(void *arg, const struct db_submission *s)
{
	struct masked_list *m = arg;
	unsigned parts = 0;
	if (s->contest_id && s->user_id != m->user->id) { /* one's own: always all of it */
		struct seen_contest *sc = NULL;
		for (size_t i = 0; i < m->count && !sc; i++)
			if (m->seen[i].c.id == s->contest_id)
				sc = &m->seen[i];
		struct seen_contest one;
		if (!sc) {
			sc = m->count < ARRAY_SIZE(m->seen) ? &m->seen[m->count] : &one;
			if (db_contest_get(m->db, s->contest_id, &sc->c) != 0) {
				/* gone since the row was read: hide the result */
				view_list_submission_parts(&m->l, s, VIEW_RESULT_HIDDEN);
				return;
			}
			sc->visible = contest_viewer_of(m->db, &sc->c, m->user, &sc->v);
			if (sc != &one)
				m->count++;
		}
		/* A list row the viewer may not see at all still shows it was made (the
		   total counts it): with its result hidden. */
		if (!contest_parts(&sc->c, &sc->v, sc->visible, s, m->now, &parts))
			parts = VIEW_RESULT_HIDDEN;
		if (sc == &one)
			db_contest_release(&one.c);
	}
	view_list_submission_parts(&m->l, s, parts);
}

static const char *const verdicts[] = {"AC", "WA", "TLE", "MLE", "RTE", "OLE", "CE", "JE"};

void api_submissions_list(struct http_request *req, struct http_response *res)
{
	struct db *db = req->app->db;
	int page, per_page;
	if (!http_paging(req, res, &page, &per_page))
		return;
	int64_t problem = 0, user = 0;
	const char *p = http_query(req, "problem"), *u = http_query(req, "user"), *v = http_query(req, "verdict");
	if (p && *p && !parse_id(p, &problem)) {
		http_error(res, 400, "bad_request", "invalid problem '%s': ids are positive integers", p);
		return;
	}
	if (u && *u) {
		struct db_user found;
		/* A user id, or a name ("me" is the caller). */
		if (strcmp(u, "me") == 0)
			user = req->user->id;
		else if (!parse_id(u, &user)) {
			if (db_user_by_name(db, u, &found, NULL) != 0) {
				http_error(res, 404, "not_found", "user '%s' does not exist", u);
				return;
			}
			user = found.id;
		}
	}
	if (!is_jury(req->user)) {
		if (user && user != req->user->id) {
			http_error(res, 403, "forbidden", "users may list only their own submissions");
			return;
		}
		user = req->user->id;
	}
	if (v && !*v)
		v = NULL;
	if (v) {
		size_t i = 0;
		while (i < ARRAY_SIZE(verdicts) && strcmp(v, verdicts[i]) != 0)
			i++;
		if (i == ARRAY_SIZE(verdicts)) {
			http_error(res, 400, "bad_request", "invalid verdict '%s': expected AC, WA, TLE, MLE, RTE, OLE, CE or JE", v);
			return;
		}
	}
	struct masked_list m = {.db = db, .user = req->user, .now = contest_now_ms()};
	int64_t total;
	view_list_begin(&m.l);
	db_submissions_list(db, problem, user, v, page, per_page, masked_row, &m, &total);
	for (size_t i = 0; i < m.count; i++)
		db_contest_release(&m.seen[i].c);
	answer_list(res, &m.l, page, per_page, total);
}

void api_submissions_get(struct http_request *req, struct http_response *res)
{
	struct db_submission s;
	if (db_submission_get(req->app->db, req->id[0], DB_SUBMISSION_DETAILS | DB_SUBMISSION_SOURCE, &s) != 0) {
		not_found(res, "submission", req->id[0]);
		return;
	}
	if (s.jury && !is_jury(req->user)) { /* a package's jury submission: staff only */
		db_submission_release(&s);
		not_found(res, "submission", req->id[0]);
		return;
	}
	/* Owners, their team, the jury and admins see the source; compiler
	   messages quote it, so they only. */
	bool theirs = is_jury(req->user) || s.user_id == req->user->id;
	unsigned parts = 0;
	if (s.contest_id && s.user_id != req->user->id) { /* one's own: always all of it */
		struct db_contest c;
		struct contest_viewer v;
		bool found = db_contest_get(req->app->db, s.contest_id, &c) == 0;
		bool visible = found && contest_viewer_of(req->app->db, &c, req->user, &v);
		/* a submission without a team (the jury's) is for the jury only */
		bool shown = visible && (s.team_id || v.view == CONTEST_VIEW_JURY) &&
			     contest_parts(&c, &v, visible, &s, contest_now_ms(), &parts);
		if (visible && v.view == CONTEST_VIEW_TEAM && s.team_id && v.team_id == s.team_id)
			theirs = true;
		if (found)
			db_contest_release(&c);
		if (!shown) {
			db_submission_release(&s);
			not_found(res, "submission", req->id[0]);
			return;
		}
	}
	if (parts & VIEW_RESULT_HIDDEN)
		theirs = false;
	answer_submission(res, 200, &s,
			  parts | VIEW_TESTS | (theirs ? VIEW_COMPILE_OUTPUT | VIEW_SOURCE | VIEW_FEEDBACK : 0));
}

void api_submission_rejudge(struct http_request *req, struct http_response *res)
{
	struct app *app = req->app;
	int rc = db_submission_requeue(app->db, req->id[0]);
	if (rc == DB_E_NOT_FOUND) {
		not_found(res, "submission", req->id[0]);
		return;
	}
	if (rc != 0) {
		http_error(res, 500, "internal", "cannot requeue submission %lld", (long long)req->id[0]);
		return;
	}
	/* Read before waking the judge, so that the answer shows the requeued state
	   (the judge's own tick may still come first). */
	struct db_submission s;
	rc = db_submission_get(app->db, req->id[0], 0, &s);
	judge_wake(app->judge);
	if (rc != 0) { /* deleted in between */
		not_found(res, "submission", req->id[0]);
		return;
	}
	answer_submission(res, 202, &s, 0);
}

void api_problem_rejudge(struct http_request *req, struct http_response *res)
{
	struct app *app = req->app;
	if (!db_problem_exists(app->db, req->id[0])) {
		not_found(res, "problem", req->id[0]);
		return;
	}
	int64_t count = 0;
	if (db_problem_requeue(app->db, req->id[0], &count) != 0) {
		http_error(res, 500, "internal", "cannot requeue the submissions of problem %lld", (long long)req->id[0]);
		return;
	}
	judge_wake(app->judge);
	http_json(res, 202, json_pack("{s:I, s:I}", "problem_id", (json_int_t)req->id[0], "requeued", (json_int_t)count));
}
