/* POST /api/contests/package: a whole CLICS contest package (a zip) becomes a
 * contest on this server: its problems from problems/<id>/ (Kattis packages),
 * then the contest, its organizations, groups, teams and accounts, through
 * the same steps as POST /api/contests/import (api_import.h). All or
 * nothing: what was created is deleted again when a later step fails.
 * Submissions, judgements, runs, clarifications and the event feed of the
 * package are not replayed; the answer says so. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "api_import.h"
#include "app.h"
#include "config.h"
#include "contest_package.h"
#include "db.h"
#include "import.h"
#include "judge.h"
#include "log.h"
#include "problem_json.h"
#include "util.h"

/* What a package may hold that this import does not restore. */
static const char *const not_replayed[] = {"submissions", "judgements", "runs", "clarifications", "event-feed"};

/* Every problem of problems.json has its package here or exists on the
   server (then it is used as it is), and every package is in problems.json.
   false with an answer. */
static bool check_problems(struct http_request *req, struct http_response *res, const struct contest_package *cp)
{
	const struct contest_files *cf = &cp->files;
	if (cp->problem_count && !cf->has_problems) {
		http_error(res, 400, "validation", "problems.json: not found, but the package has %s",
			   cp->problems[0].where);
		return false;
	}
	for (size_t i = 0; i < cf->problem_count; i++) {
		const struct contest_files_problem *p = &cf->problems[i];
		const struct contest_package_problem *pp = contest_package_problem(cp, p->slug);
		int64_t id;
		bool exists = db_problem_id_by_slug(req->app->db, p->slug, &id) == 0;
		if (pp && !problem_slug_valid(p->slug)) {
			http_error(res, 400, "validation",
				   "%s: field 'id': '%s' is not a problem slug here (1 to 64 of [a-z0-9_-])", p->where,
				   p->slug);
			return false;
		}
		if (pp && exists) {
			http_error(res, 409, "conflict", "%s: problem '%s' exists on this server", pp->where, p->slug);
			return false;
		}
		if (!pp && !exists) {
			http_error(res, 400, "validation",
				   "%s: field 'id': problem '%s' is neither in the package (problems/%s/%s.zip) nor on "
				   "this server",
				   p->where, p->slug, p->slug, p->slug);
			return false;
		}
	}
	for (size_t i = 0; i < cp->problem_count; i++) {
		bool listed = false;
		for (size_t k = 0; k < cf->problem_count && !listed; k++)
			listed = strcmp(cf->problems[k].slug, cp->problems[i].id) == 0;
		if (!listed) {
			http_error(res, 400, "validation", "%s: problem '%s' is not in problems.json", cp->problems[i].where,
				   cp->problems[i].id);
			return false;
		}
	}
	return true;
}

static void undo_problems(struct db *db, const int64_t *ids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (db_problem_delete(db, ids[i]) != 0)
			log_warnx("contest package: cannot undo problem %lld", (long long)ids[i]);
}

/* Stores the package's problems (ids of the created ones in created[]).
   false with an answer, having deleted what it created. */
static bool import_problems(struct http_request *req, struct http_response *res, const struct contest_package *cp,
			    int64_t *created, size_t *count, json_t *slugs)
{
	struct app *app = req->app;
	for (size_t i = 0; i < cp->files.problem_count; i++) {
		const char *slug = cp->files.problems[i].slug;
		const struct contest_package_problem *pp = contest_package_problem(cp, slug);
		if (!pp)
			continue;
		struct import_result r;
		char *err = NULL;
		int rc = import_package(app->db, pp->pkg, slug, api_compile_validator, app->judge, &r, &err);
		if (rc == 0 && !r.created) {
			/* made by someone else meanwhile, and now overwritten: say so */
			rc = IMPORT_E_INVALID;
			free(err);
			err = xasprintf("problem '%s' was created meanwhile by another request", slug);
		}
		if (rc == 0) { /* its jury submissions too (judge/jury.h), judged in the background */
			struct import_jury_result jr;
			free(err);
			err = NULL;
			rc = import_jury(app->db, r.id, pp->pkg, app->languages, req->user->id, &jr, &err);
			if (rc != 0)
				created[(*count)++] = r.id; /* undone below with the others */
			else if (jr.queued)
				judge_wake(app->judge);
		}
		if (rc == 0) {
			created[(*count)++] = r.id;
			json_array_append_new(slugs, json_string(slug));
			free(err);
			continue;
		}
		undo_problems(app->db, created, *count);
		*count = 0;
		if (rc == IMPORT_E_INVALID)
			http_error(res, 400, "validation", "%s: %s", pp->where, err ? err : "cannot be imported");
		else if (rc == -ETIMEDOUT || rc == -ECANCELED)
			http_error(res, 503, "unavailable", "%s: %s", pp->where, err ? err : "no judge worker");
		else
			http_error(res, 500, "internal", "%s: %s", pp->where, err ? err : "cannot be stored");
		free(err);
		return false;
	}
	return true;
}

void api_contests_package_import(struct http_request *req, struct http_response *res)
{
	struct app *app = req->app;
	struct contest_package cp;
	contest_package_init(&cp);
	struct api_import p = {0};
	int64_t *created = NULL;
	size_t created_count = 0;
	json_t *slugs = json_array();
	char *err = NULL;
	struct package_limits lim = PACKAGE_LIMITS_DEFAULT;
	lim.max_tests = (uint64_t)app->cfg->max_tests;
	int rc = contest_package_read_zip(&cp, req->body, req->body_len, &lim, &err);
	if (rc == CONTEST_FILES_E_INVALID) {
		http_error(res, 400, "validation", "%s", err);
		goto out;
	}
	if (rc) {
		http_error(res, 500, "internal", "cannot read the package: %s", strerror(-rc));
		goto out;
	}
	if (!api_import_check_contest(req, res, &cp.files) || !check_problems(req, res, &cp) ||
	    !api_import_prepare(req, res, &cp.files, API_IMPORT_PACKAGE, &p))
		goto out;
	created = xcalloc(cp.problem_count + 1, sizeof *created);
	if (!import_problems(req, res, &cp, created, &created_count, slugs))
		goto out;
	int64_t id;
	if (!api_import_contest(req, res, &cp.files, &p, &id)) {
		undo_problems(app->db, created, created_count);
		goto out;
	}
	json_t *body = api_import_counts(&cp.files, &p);
	json_object_set_new(body, "id", json_integer((json_int_t)id));
	json_object_set_new(body, "shortname", json_string(cp.files.contest.shortname));
	json_object_set_new(body, "problems", json_integer((json_int_t)cp.files.problem_count));
	json_object_set_new(body, "problems_created", json_incref(slugs));
	json_object_set_new(body, "accounts_kept", json_incref(p.kept));
	json_t *nr = json_array();
	for (size_t i = 0; i < sizeof not_replayed / sizeof not_replayed[0]; i++)
		json_array_append_new(nr, json_string(not_replayed[i]));
	json_object_set_new(body, "not_replayed", nr);
	api_import_answer(req, res, 201, body, &p);
out:
	free(err);
	free(created);
	json_decref(slugs);
	api_import_release(&p);
	contest_package_release(&cp);
}
