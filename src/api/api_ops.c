/* /healthz, /metrics, /api/judge, and the web UI's pages and assets. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "app.h"
#include "db.h"
#include "embedded.h"
#include "errors.h"
#include "judge.h"
#include "judge_report.h"
#include "log.h"
#include "metrics.h"
#include "util.h"
#include "views.h"

void api_healthz(struct http_request *req, struct http_response *res)
{
	char *why = judge_health(req->app->judge);
	if (why) {
		http_error(res, 503, "unavailable", "%s", why);
		free(why);
		return;
	}
	http_json(res, 200, json_pack("{s:s, s:I}", "status", "ok", "seq", (json_int_t)db_seq(req->app->db)));
}

void api_judge(struct http_request *req, struct http_response *res)
{
	struct judge_report report;
	judge_report(req->app->judge, &report);
	http_json(res, 200, view_judge(&report));
	judge_report_release(&report);
}

void api_metrics(struct http_request *req, struct http_response *res)
{
	static const char *const statuses[] = {"queued", "compiling", "running", "done"};
	struct buf out;
	buf_init(&out);
	metrics_render(&out);
	int64_t counts[4];
	int rc = db_submission_status_counts(req->app->db, counts);
	buf_adds(&out, "# HELP verdict_submissions Submissions by status.\n# TYPE verdict_submissions gauge\n");
	/* Without counts the gauge is left out (a scrape then sees no value, not zeros). */
	if (rc != 0)
		log_warnx("metrics: cannot count submissions by status: %s", error_name(rc));
	for (int i = 0; rc == 0 && i < 4; i++)
		buf_printf(&out, "verdict_submissions{status=\"%s\"} %lld\n", statuses[i], (long long)counts[i]);
	buf_printf(&out, "# HELP verdict_seq The global change counter.\n# TYPE verdict_seq counter\nverdict_seq %lld\n",
		   (long long)db_seq(req->app->db));
	res->status = 200;
	res->content_type = "text/plain; version=0.0.4; charset=utf-8";
	res->body = buf_detach(&out, &res->body_len);
}

static const char *content_type(const char *name)
{
	static const char *const types[][2] = {
		{".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
		{".css", "text/css; charset=utf-8"},   {".svg", "image/svg+xml"},
		{".png", "image/png"},                 {".ico", "image/x-icon"},
		{".json", "application/json"},         {".woff2", "font/woff2"},
	};
	const char *dot = strrchr(name, '.');
	for (size_t i = 0; dot && i < ARRAY_SIZE(types); i++)
		if (strcmp(dot, types[i][0]) == 0)
			return types[i][1];
	return "application/octet-stream";
}

/* Validators from the content (FNV-1a), computed once for all files: one
   per entry of web_files, however many there are. */
static char (*etags)[24];
static pthread_once_t etags_once = PTHREAD_ONCE_INIT;

static void compute_etags(void)
{
	size_t count = 0;
	while (web_files[count].name)
		count++;
	etags = xcalloc(count + 1, sizeof *etags);
	for (size_t i = 0; i < count; i++) {
		uint64_t h = 1469598103934665603ULL;
		for (size_t k = 0; k < web_files[i].size; k++)
			h = (h ^ web_files[i].data[k]) * 1099511628211ULL;
		snprintf(etags[i], sizeof etags[i], "\"%016llx\"", (unsigned long long)h);
	}
}

static const char *etag_of(const struct embedded_file *f)
{
	pthread_once(&etags_once, compute_etags);
	return etags[f - web_files];
}

static const struct embedded_file *find(const char *name)
{
	for (const struct embedded_file *f = web_files; f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

/* The UI's own routes, answered with the single page. */
static bool is_page(const char *path)
{
	static const char *const pages[] = {"/login", "/problems", "/submissions", "/contests", "/admin"};
	if (strcmp(path, "/") == 0)
		return true;
	for (size_t i = 0; i < ARRAY_SIZE(pages); i++) {
		size_t n = strlen(pages[i]);
		if (strncmp(path, pages[i], n) == 0 && (path[n] == '\0' || path[n] == '/'))
			return true;
	}
	return false;
}

void api_static(struct http_request *req, struct http_response *res)
{
	const struct embedded_file *f = NULL;
	if (is_page(req->path))
		f = find("index.html");
	else if (!strstr(req->path, ".."))
		f = find(req->path + 1);
	if (!f) {
		res->status = 404;
		res->content_type = "text/plain; charset=utf-8";
		res->body = (char *)"not found\n";
		res->body_len = 10;
		res->body_static = true;
		return;
	}
	const char *tag = etag_of(f);
	res->etag = tag;
	res->cache_control = "no-cache";
	const char *inm = http_header(req, "If-None-Match");
	if (tag && inm && strcmp(inm, tag) == 0) {
		res->status = 304;
		return;
	}
	res->status = 200;
	res->content_type = content_type(f->name);
	res->body = (char *)f->data;
	res->body_len = f->size;
	res->body_static = true;
}
