/* Jury submissions over the API: queued after a package import (the import's
 * answer carries the verification report, after ?wait= seconds at most), and
 * GET /api/problems/{id}/verification for admins. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api.h"
#include "app.h"
#include "db.h"
#include "import.h"
#include "judge.h"
#include "jury.h"
#include "package.h"
#include "util.h"

/* The longest an import waits for its jury submissions (?wait=). */
#define JURY_WAIT_MAX_S 300

json_t *api_jury_import(struct http_request *req, const struct package *pkg, int64_t problem_id, char **err)
{
	struct app *app = req->app;
	struct import_jury_result r;
	if (import_jury(app->db, problem_id, pkg, app->languages, req->user->id, &r, err) != 0)
		return NULL;
	if (r.queued)
		judge_wake(app->judge);
	long wait = 0;
	const char *w = http_query(req, "wait");
	if (w && *w) {
		char *end;
		wait = strtol(w, &end, 10);
		if (*end || wait < 0)
			wait = 0;
		if (wait > JURY_WAIT_MAX_S)
			wait = JURY_WAIT_MAX_S;
	}
	/* Judging happens on the judge's side; this request only watches the store. */
	struct timespec step = {0, 100 * 1000 * 1000};
	for (long waited = 0; waited < wait * 10; waited++) {
		json_t *rep = jury_report(app->db, problem_id);
		bool complete = !rep || json_is_true(json_object_get(rep, "complete"));
		json_decref(rep);
		if (complete)
			break;
		nanosleep(&step, NULL);
	}
	json_t *rep = jury_report(app->db, problem_id);
	return rep ? rep : json_null();
}

void api_problem_verification(struct http_request *req, struct http_response *res)
{
	if (!db_problem_exists(req->app->db, req->id[0])) {
		http_error(res, 404, "not_found", "problem %lld does not exist", (long long)req->id[0]);
		return;
	}
	json_t *rep = jury_report(req->app->db, req->id[0]);
	if (!rep) {
		http_error(res, 404, "not_found", "problem %lld has no jury submissions", (long long)req->id[0]);
		return;
	}
	http_json(res, 200, rep);
}
