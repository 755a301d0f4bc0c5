/* GET /api/contests/{id}/package (admin): the contest as a CLICS contest
 * package (Contest_Package.md 2023-06), one zip: api.json, contest.json and
 * <endpoint>.json of every endpoint, exactly as the jury reads them from the
 * CLICS API (the clics model), event-feed.ndjson (the jury's feed from the
 * beginning of time up to now), problems/<id>/<id>.zip (each problem as a
 * Kattis package, package_export.h) and submissions/<id>/files.zip (the
 * sources). accounts.json carries no passwords. */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "app.h"
#include "clics.h"
#include "clics_feed.h"
#include "clics_model.h"
#include "clock.h"
#include "config.h"
#include "db.h"
#include "languages.h"
#include "log.h"
#include "package_export.h"
#include "util.h"
#include "views.h"
#include "zip_writer.h"

#define FEED_CHUNK (1 << 20)

static int add_json(struct zip_writer *z, const char *name, json_t *j)
{
	char *text = j ? json_dumps(j, JSON_INDENT(1) | JSON_ENSURE_ASCII | JSON_ENCODE_ANY) : NULL;
	int rc = zip_writer_add(z, name, text ? text : "[]", text ? strlen(text) : 2);
	free(text);
	json_decref(j);
	return rc;
}

/* The jury's event feed from the beginning of time, as far as it goes now. */
static int add_feed(struct zip_writer *z, const struct app *app, const char *key, const struct db_user *user)
{
	struct clics_feed *f = NULL;
	if (clics_feed_open(app, key, user, NULL, &f) != CLICS_FEED_OK)
		return zip_writer_add(z, "event-feed.ndjson", "", 0);
	struct buf b;
	buf_init(&b);
	while (clics_feed_next(f, &b, FEED_CHUNK) == CLICS_FEED_MORE)
		;
	clics_feed_free(f);
	int rc = zip_writer_add(z, "event-feed.ndjson", b.data ? b.data : "", b.len);
	buf_release(&b);
	return rc;
}

/* submissions/<id>/files.zip of every submission in the list. */
static int add_sources(struct zip_writer *z, const struct app *app, json_t *subs)
{
	size_t i;
	json_t *s;
	int rc = 0;
	json_array_foreach(subs, i, s) {
		const char *id = json_string_value(json_object_get(s, "id"));
		struct db_submission row;
		if (!id || db_submission_get(app->db, strtoll(id, NULL, 10), DB_SUBMISSION_SOURCE, &row) != 0)
			continue;
		char *data = NULL;
		size_t len = 0;
		rc = api_submission_zip(app->languages, &row, &data, &len);
		db_submission_release(&row);
		if (rc)
			break;
		char *name = xasprintf("submissions/%s/files.zip", id);
		rc = zip_writer_add(z, name, data, len);
		free(name);
		free(data);
		if (rc)
			break;
	}
	return rc;
}

/* problems/<slug>/<slug>.zip of every problem of the contest. A problem that
   cannot be written back (a compiled validator) is left out and logged. */
static int add_problems(struct zip_writer *z, const struct app *app, const struct db_contest *c)
{
	for (size_t i = 0; i < c->problem_count; i++) {
		const struct db_contest_problem *p = &c->problems[i];
		char *zip = NULL, *err = NULL;
		size_t len = 0;
		int rc = package_export_zip(app->db, p->problem_id, &zip, &len, &err);
		if (rc == 0) {
			char *name = xasprintf("problems/%s/%s.zip", p->slug, p->slug);
			rc = zip_writer_add(z, name, zip, len);
			free(name);
		} else if (rc > 0) {
			log_warnx("contest package of '%s': problems/%s left out: %s", c->shortname, p->slug,
				  err ? err : "cannot be written");
			rc = 0;
		}
		free(zip);
		free(err);
		if (rc)
			return rc;
	}
	return 0;
}

static const enum clics_type endpoints[] = {
	CLICS_JUDGEMENT_TYPES, CLICS_LANGUAGES, CLICS_PROBLEMS,	 CLICS_GROUPS,	      CLICS_ORGANIZATIONS,
	CLICS_TEAMS,	       CLICS_ACCOUNTS,	CLICS_STATE,	 CLICS_SUBMISSIONS,   CLICS_JUDGEMENTS,
	CLICS_RUNS,	       CLICS_CLARIFICATIONS, CLICS_AWARDS, CLICS_SCOREBOARD,
};

void api_contest_package_export(struct http_request *req, struct http_response *res)
{
	struct app *app = req->app;
	struct db_contest c;
	if (db_contest_get(app->db, req->id[0], &c) != 0) {
		http_error(res, 404, "not_found", "contest %lld does not exist", (long long)req->id[0]);
		return;
	}
	struct clics_model *m = clics_model_open(app, c.shortname, req->user, contest_now_ms());
	if (!m) {
		http_error(res, 404, "not_found", "contest %lld does not exist", (long long)req->id[0]);
		db_contest_release(&c);
		return;
	}
	struct zip_writer *z = zip_writer_new();
	int rc = add_json(z, "api.json", view_clics_api_info(config_version));
	if (!rc)
		rc = add_json(z, "contest.json", clics_collection(m, CLICS_CONTEST));
	json_t *subs = NULL;
	for (size_t i = 0; !rc && i < sizeof endpoints / sizeof endpoints[0]; i++) {
		json_t *j = clics_collection(m, endpoints[i]);
		if (endpoints[i] == CLICS_SUBMISSIONS)
			subs = json_incref(j);
		char *name = xasprintf("%s.json", clics_type_name(endpoints[i]));
		rc = add_json(z, name, j);
		free(name);
	}
	clics_model_free(m);
	if (!rc)
		rc = add_feed(z, app, c.shortname, req->user);
	if (!rc)
		rc = add_problems(z, app, &c);
	if (!rc && subs)
		rc = add_sources(z, app, subs);
	json_decref(subs);
	char *zip = NULL;
	size_t len = 0;
	if (rc)
		zip_writer_free(z);
	else
		rc = zip_writer_finish(z, &zip, &len);
	if (rc) {
		http_error(res, 500, "internal", "cannot write the package of contest '%s'", c.shortname);
	} else {
		res->status = 200;
		res->body = zip;
		res->body_len = len;
		res->content_type = "application/zip";
		res->disposition = "attachment; filename=\"contest-package.zip\"";
	}
	db_contest_release(&c);
}
