/* Helpers shared by the WebSocket integration tests: problems, submissions
 * and rejudges through REST, sockets through the lws test client. */
#pragma once
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>

#include "common.h"
#include "ws_client.h"

static inline long long wsh_problem(const struct server *s, const char *slug)
{
	char body[1024];
	snprintf(body, sizeof body,
		 "{\"slug\": \"%s\", \"title\": \"A plus B\", \"statement\": \"Add two numbers.\","
		 " \"time_limit_ms\": 1000, \"memory_limit_kb\": 262144, \"output_limit_kb\": 65536,"
		 " \"checker\": {\"type\": \"tokens\"},"
		 " \"tests\": [{\"input\": \"1 2\\n\", \"output\": \"3\\n\", \"sample\": true},"
		 "           {\"input\": \"5 7\\n\", \"output\": \"12\\n\"},"
		 "           {\"input\": \"10 -3\\n\", \"output\": \"7\\n\"}]}",
		 slug);
	return test_create_problem(s, body);
}

#define WSH_SOURCE "#include <stdio.h>\\nint main(void){long a,b;if(scanf(\\\"%ld %ld\\\",&a,&b)!=2)return 1;printf(\\\"%ld\\\\n\\\",a+b);return 0;}\\n"

/* Creates a submission as the token's user; returns its id. */
static inline long long wsh_submit(const struct server *s, const char *token, long long problem)
{
	char path[128];
	snprintf(path, sizeof path, "/api/problems/%lld/submissions", problem);
	struct response r;
	http_json_request(&r, s, "POST", path, token, "{\"language\": \"c\", \"source\": \"" WSH_SOURCE "\"}");
	ck_assert_msg(r.status == 201, "submit: %ld %s", r.status, r.body);
	long long id = json_integer_value(json_object_get(r.json, "id"));
	response_free(&r);
	return id;
}

static inline void wsh_post(const struct server *s, const char *token, long expect, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static inline void wsh_post(const struct server *s, const char *token, long expect, const char *fmt, ...)
{
	char path[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(path, sizeof path, fmt, ap);
	va_end(ap);
	struct response r;
	http_json_request(&r, s, "POST", path, token, NULL);
	ck_assert_msg(r.status == expect, "POST %s: %ld %s", path, r.status, r.body);
	response_free(&r);
}

static inline void wsh_rejudge(const struct server *s, long long submission)
{
	wsh_post(s, s->admin_token, 202, "/api/submissions/%lld/rejudge", submission);
}

static inline void wsh_rejudge_problem(const struct server *s, long long problem)
{
	wsh_post(s, s->admin_token, 202, "/api/problems/%lld/rejudge", problem);
}

/* GET /api/submissions/{id} as admin: the submission's current seq and status. */
static inline long long wsh_seq(const struct server *s, long long submission, char *status, size_t size)
{
	char path[128];
	snprintf(path, sizeof path, "/api/submissions/%lld", submission);
	struct response r;
	http_json_request(&r, s, "GET", path, s->admin_token, NULL);
	ck_assert_msg(r.status == 200, "GET %s: %ld %s", path, r.status, r.body);
	long long seq = json_integer_value(json_object_get(r.json, "seq"));
	if (status)
		snprintf(status, size, "%s", json_string_value(json_object_get(r.json, "status")));
	response_free(&r);
	return seq;
}

/* Opens a socket; the path may carry ?token=. Fails the test unless it upgrades. */
static inline struct ws_client *wsh_open(const struct server *s, const struct ws_client_opts *o, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static inline struct ws_client *wsh_open(const struct server *s, const struct ws_client_opts *o, const char *fmt, ...)
{
	char path[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(path, sizeof path, fmt, ap);
	va_end(ap);
	int status = 0;
	struct ws_client *c = ws_client_connect(s->port, path, o, &status);
	ck_assert_msg(c != NULL, "WebSocket %s: status %d (log %s)", path, status, s->log);
	return c;
}

/* The handshake status for a path (101 when it upgrades; the socket is closed again). */
static inline int wsh_status(const struct server *s, const struct ws_client_opts *o, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static inline int wsh_status(const struct server *s, const struct ws_client_opts *o, const char *fmt, ...)
{
	char path[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(path, sizeof path, fmt, ap);
	va_end(ap);
	int status = 0;
	ws_client_free(ws_client_connect(s->port, path, o, &status));
	return status;
}

/* One value of /metrics (a line "NAME VALUE"), or -1. */
static inline long long wsh_metric(const struct server *s, const char *name)
{
	struct response r;
	http_request(&r, s, "GET", "/metrics", NULL, NULL, NULL, 0, NULL);
	ck_assert_int_eq(r.status, 200);
	long long v = -1;
	size_t n = strlen(name);
	for (const char *p = r.body; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (strncmp(p, name, n) == 0 && p[n] == ' ') {
			v = atoll(p + n + 1);
			break;
		}
	response_free(&r);
	return v;
}

/* VmRSS of a process in KiB. */
static inline long wsh_rss_kb(pid_t pid)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	long kb = -1;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, "VmRSS:", 6) == 0)
			kb = atol(line + 6);
	fclose(f);
	return kb;
}

#define CE_SOURCE "int main(void) { this is not C }\\n"

static inline int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static inline void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

static inline json_t *get_json(const struct server *s, const char *token, const char *path)
{
	struct response r;
	http_json_request(&r, s, "GET", path, token, NULL);
	ck_assert_msg(r.status == 200, "GET %s: %ld %s", path, r.status, r.body);
	json_t *j = json_incref(r.json);
	response_free(&r);
	return j;
}

/* Waits until every listed submission is done; returns false on timeout. */
static inline bool wait_done(const struct server *s, const long long *ids, int n, int seconds)
{
	int64_t deadline = mono_ms() + seconds * 1000;
	for (int i = 0; i < n; i++) {
		char status[32] = "";
		for (;;) {
			wsh_seq(s, ids[i], status, sizeof status);
			if (strcmp(status, "done") == 0)
				break;
			if (mono_ms() > deadline)
				return false;
			sleep_ms(50);
		}
	}
	return true;
}

/* A C submission that does not compile: the judge is done with it quickly. */
static inline long long submit_ce(const struct server *s, const char *token, long long problem)
{
	char path[128];
	snprintf(path, sizeof path, "/api/problems/%lld/submissions", problem);
	struct response r;
	http_json_request(&r, s, "POST", path, token, "{\"language\": \"c\", \"source\": \"" CE_SOURCE "\"}");
	ck_assert_msg(r.status == 201, "submit: %ld %s", r.status, r.body);
	long long id = json_integer_value(json_object_get(r.json, "id"));
	response_free(&r);
	return id;
}

/* Receives until `until` says stop or nothing comes for quiet_ms; appends to got. */
static inline void collect(struct ws_client *c, json_t *got, int quiet_ms, bool (*until)(json_t *got, void *arg), void *arg)
{
	json_t *m;
	while ((!until || !until(got, arg)) && (m = ws_client_recv_json(c, quiet_ms)))
		json_array_append_new(got, m);
}

/* Stop once *arg messages have arrived. */
static inline bool has_count(json_t *got, void *arg)
{
	return json_array_size(got) >= *(size_t *)arg;
}

static inline const char *str_at(json_t *a, size_t i, const char *key)
{
	const char *v = json_string_value(json_object_get(json_array_get(a, i), key));
	return v ? v : "";
}

static inline long long int_at(json_t *a, size_t i, const char *key)
{
	return json_integer_value(json_object_get(json_array_get(a, i), key));
}

/* Stop once submission *arg has been seen done. */
static inline bool seen_done(json_t *got, void *arg)
{
	long long id = *(long long *)arg;
	for (size_t i = 0; i < json_array_size(got); i++)
		if (strcmp(str_at(got, i, "type"), "submission_update") == 0 && int_at(got, i, "submission_id") == id &&
		    strcmp(str_at(got, i, "status"), "done") == 0)
			return true;
	return false;
}

/* Submission updates strictly increase in seq and all come after `after`. */
static inline void assert_increasing(json_t *got, long long after)
{
	long long last = after;
	for (size_t i = 0; i < json_array_size(got); i++) {
		if (strcmp(str_at(got, i, "type"), "submission_update") != 0)
			continue;
		long long seq = int_at(got, i, "seq");
		ck_assert_msg(seq > last, "seq %lld after %lld (message %zu)", seq, last, i);
		last = seq;
	}
}

/* The last update of a submission in a stream, or -1. */
static inline long long last_seq_of(json_t *got, long long id)
{
	long long seq = -1;
	for (size_t i = 0; i < json_array_size(got); i++)
		if (strcmp(str_at(got, i, "type"), "submission_update") == 0 && int_at(got, i, "submission_id") == id)
			seq = int_at(got, i, "seq");
	return seq;
}

static inline long long last_seq(json_t *got)
{
	long long seq = -1;
	for (size_t i = 0; i < json_array_size(got); i++)
		if (strcmp(str_at(got, i, "type"), "submission_update") == 0)
			seq = int_at(got, i, "seq");
	return seq;
}

