/* /api/languages and /api/problems: list, get, create, update, delete. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "api.h"
#include "api_import.h"
#include "app.h"
#include "clock.h"
#include "config.h"
#include "db.h"
#include "import.h"
#include "judge.h"
#include "json_util.h"
#include "languages.h"
#include "markdown.h"
#include "package.h"
#include "problem_json.h"
#include "scoring.h"
#include "util.h"
#include "views.h"

void api_languages(struct http_request *req, struct http_response *res)
{
	http_json(res, 200, languages_json(req->app->languages));
}

bool api_problem_out(struct http_request *req, struct http_response *res, int64_t id)
{
	if (db_problem_exists(req->app->db, id) && contest_problem_out(req->app->db, id, req->user, contest_now_ms()))
		return true;
	http_error(res, 404, "not_found", "problem %lld does not exist", (long long)id);
	return false;
}

void api_problems_list(struct http_request *req, struct http_response *res)
{
	int page, per_page;
	if (!http_paging(req, res, &page, &per_page))
		return;
	/* Without the problems of contests not started yet (for users). */
	int64_t *held;
	size_t n = contest_problems_not_out(req->app->db, req->user, contest_now_ms(), &held);
	struct db_problem_list *list = db_problems_list_except(req->app->db, page, per_page, held, n);
	free(held);
	http_json(res, 200, view_problems_page(list, page, per_page));
	db_problem_list_free(list);
}

/* A stored problem, whole, with its kind of scoring (judge/scoring.h decides it); NULL if there is none. */
static struct db_problem_row *problem_row(struct db *db, int64_t id)
{
	struct db_problem_row *row = db_problem_get(db, id, true);
	if (row)
		row->scoring = scoring_kind_name(scoring_kind_for(row->total_points));
	return row;
}

void api_problems_get(struct http_request *req, struct http_response *res)
{
	if (!api_problem_out(req, res, req->id[0]))
		return;
	struct db_problem_row *row = problem_row(req->app->db, req->id[0]);
	if (!row) {
		http_error(res, 404, "not_found", "problem %lld does not exist", (long long)req->id[0]);
		return;
	}
	json_t *p = view_problem(row, true);
	/* The web UI shows the statement as this safe HTML, rendered here once
	   (from the statement as sent: invalid UTF-8 already replaced). */
	const json_t *statement = json_object_get(p, "statement");
	char *html = markdown_render(json_string_value(statement), json_string_length(statement),
				     strcmp(row->statement_format, "text") != 0);
	json_object_set_new(p, "statement_html", json_string_lossy(html, strlen(html)));
	free(html);
	/* The files served with the statement: the PDF, and the images by name. */
	char **names;
	size_t n = db_problem_file_names(req->app->db, req->id[0], &names);
	json_t *images = json_array();
	bool pdf = false;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(names[i], "statement.pdf") == 0)
			pdf = true;
		else
			json_array_append_new(images, json_pack("{s:s, s:o}", "name", names[i], "url",
								 json_sprintf("/api/problems/%lld/files/%s",
									      (long long)req->id[0], names[i])));
		free(names[i]);
	}
	free(names);
	json_object_set_new(p, "statement_pdf", pdf ? json_sprintf("/api/problems/%lld/statement.pdf", (long long)req->id[0])
					       : json_null());
	json_object_set_new(p, "statement_images", images);
	db_problem_row_free(row);
	http_json(res, 200, p);
}

static void send_file(struct http_request *req, struct http_response *res, const char *name)
{
	if (!api_problem_out(req, res, req->id[0]))
		return;
	struct db_problem_file *f;
	if (db_problem_file_get(req->app->db, req->id[0], name, &f) != 0) {
		http_error(res, 404, "not_found", "problem %lld has no file '%s'", (long long)req->id[0], name);
		return;
	}
	res->status = 200;
	res->body = (char *)f->data;
	res->body_len = f->len;
	f->data = NULL;
	res->content_type = strcmp(f->content_type, "application/pdf") == 0 ? "application/pdf"
			    : strcmp(f->content_type, "image/png") == 0     ? "image/png"
			    : strcmp(f->content_type, "image/jpeg") == 0    ? "image/jpeg"
			    : strcmp(f->content_type, "image/gif") == 0     ? "image/gif"
			    : strcmp(f->content_type, "image/svg+xml") == 0 ? "image/svg+xml"
									     : "application/octet-stream";
	res->cache_control = "private, no-cache";
	db_problem_file_free(f);
}

void api_problem_statement_pdf(struct http_request *req, struct http_response *res)
{
	send_file(req, res, "statement.pdf");
}

void api_problem_file(struct http_request *req, struct http_response *res)
{
	send_file(req, res, req->key);
}

/* The stored problem as PUT answers it; NULL if it is gone. */
static json_t *problem_full(struct db *db, int64_t id)
{
	struct db_problem_row *row = problem_row(db, id);
	json_t *p = row ? view_problem(row, true) : NULL;
	db_problem_row_free(row);
	return p;
}

static void save(struct http_request *req, struct http_response *res, const struct db_problem_row *current)
{
	struct problem_json pj;
	char *err = NULL;
	if (problem_json_parse(req->json, current, &pj, &err) != 0) {
		http_error(res, 400, "validation", "%s", err);
		free(err);
		problem_json_release(&pj);
		return;
	}
	int64_t id = current ? req->id[0] : 0;
	int rc = current ? db_problem_update(req->app->db, id, &pj.problem) : db_problem_create(req->app->db, &pj.problem, &id);
	if (rc == DB_E_CONFLICT)
		http_error(res, 409, "conflict", "a problem with slug '%s' already exists", pj.problem.slug);
	else if (rc == DB_E_NOT_FOUND)
		http_error(res, 404, "not_found", "problem %lld does not exist", (long long)id);
	else if (rc != 0)
		http_error(res, 500, "internal", "cannot store the problem");
	else if (current)
		http_json(res, 200, problem_full(req->app->db, id));
	else
		http_json(res, 201, json_pack("{s:I, s:s}", "id", (json_int_t)id, "slug", pj.problem.slug));
	problem_json_release(&pj);
}

void api_problems_create(struct http_request *req, struct http_response *res)
{
	save(req, res, NULL);
}

void api_problems_update(struct http_request *req, struct http_response *res)
{
	struct db_problem_row *current = db_problem_get(req->app->db, req->id[0], true);
	if (!current) {
		http_error(res, 404, "not_found", "problem %lld does not exist", (long long)req->id[0]);
		return;
	}
	save(req, res, current);
	db_problem_row_free(current);
}

void api_problems_delete(struct http_request *req, struct http_response *res)
{
	int rc = db_problem_delete(req->app->db, req->id[0]);
	if (rc == DB_E_NOT_FOUND)
		http_error(res, 404, "not_found", "problem %lld does not exist", (long long)req->id[0]);
	else if (rc != 0)
		http_error(res, 500, "internal", "cannot delete problem %lld", (long long)req->id[0]);
	else
		res->status = 204;
}

int api_compile_validator(void *ctx, const struct validator_source *files, size_t count, struct validator *out,
			  char **message)
{
	return judge_compile_validator(ctx, files, count, 180, out, message);
}

void api_problems_import(struct http_request *req, struct http_response *res)
{
	struct app *app = req->app;
	const char *slug = http_query(req, "slug");
	struct package *pkg = NULL;
	char *err = NULL;
	struct package_limits limits = PACKAGE_LIMITS_DEFAULT;
	limits.max_tests = (uint64_t)app->cfg->max_tests;
	int rc = package_read_zip(req->body, req->body_len, &limits, &pkg, &err);
	if (rc == PACKAGE_E_INVALID) {
		http_error(res, 400, "validation", "%s", err);
		goto out;
	}
	if (rc != 0) {
		http_error(res, 500, "internal", "cannot read the package: %s", strerror(-rc));
		goto out;
	}
	struct import_result result;
	rc = import_package(app->db, pkg, slug && *slug ? slug : NULL, api_compile_validator, app->judge, &result, &err);
	if (rc == IMPORT_E_INVALID) {
		http_error(res, 400, "validation", "%s", err);
	} else if (rc == IMPORT_E_CONFLICT) {
		http_error(res, 409, "conflict", "%s", err);
	} else if (rc == -ETIMEDOUT || rc == -ECANCELED) {
		http_error(res, 503, "unavailable", "%s", err);
	} else if (rc != 0) {
		http_error(res, 500, "internal", "%s", err ? err : "cannot import the package");
	} else {
		json_t *jury = api_jury_import(req, pkg, result.id, &err);
		if (!jury) {
			http_error(res, 500, "internal", "%s", err ? err : "cannot store the jury submissions");
		} else {
			json_t *warnings = json_array();
			for (size_t i = 0; i < pkg->warning_count; i++)
				json_array_append_new(warnings, json_string(pkg->warnings[i]));
			http_json(res, result.created ? 201 : 200,
				  json_pack("{s:I, s:s, s:I, s:o, s:o}", "id", (json_int_t)result.id, "slug", result.slug,
					    "test_count", (json_int_t)result.test_count, "verification", jury, "warnings",
					    warnings));
		}
	}
out:
	free(err);
	package_free(pkg);
}
