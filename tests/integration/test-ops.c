/* Integration tests for operations: /healthz, /metrics (Prometheus text, the
 * counters move), the access log, the web UI's placeholder page, clean
 * shutdown on SIGTERM and SIGINT with nothing lost, the data dir lock,
 * persistence across restarts, and the upgrade of a data dir made by an older
 * schema (for however many migrations this build has). */
#include <check.h>
#include <curl/curl.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "common.h"
#include "db.h"
#include "embedded.h"
#include "log.h"

static struct server srv;
static char user_token[64];
static long long problem;

static void start(void)
{
	server_start(&srv, NULL);
	test_create_user(&srv, "ops_user", false, user_token, sizeof user_token);
	problem = test_create_problem(&srv, "{\"slug\": \"ops\", \"title\": \"Ops\", \"tests\": ["
					    "{\"input\": \"1\", \"output\": \"1\", \"sample\": true}]}");
}

static void stop(void)
{
	server_finish(&srv);
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

static long long submit(const struct server *s, const char *token, long long problem_id)
{
	char path[96];
	snprintf(path, sizeof path, "/api/problems/%lld/submissions", problem_id);
	struct response r;
	http_json_request(&r, s, "POST", path, token, "{\"language\": \"c\", \"source\": \"int main(void){return 0;}\"}");
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	long long id = json_integer_value(json_object_get(r.json, "id"));
	response_free(&r);
	return id;
}

static long long seq_of(const struct server *s, long long submission)
{
	char path[64];
	snprintf(path, sizeof path, "/api/submissions/%lld", submission);
	struct response r;
	http_json_request(&r, s, "GET", path, s->admin_token, NULL);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	long long seq = json_integer_value(json_object_get(r.json, "seq"));
	response_free(&r);
	return seq;
}

static long long healthz_seq(const struct server *s)
{
	struct response r;
	http_request(&r, s, "GET", "/healthz", NULL, NULL, NULL, 0, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "status")), "ok");
	long long seq = json_integer_value(json_object_get(r.json, "seq"));
	response_free(&r);
	return seq;
}

START_TEST(healthz)
{
	struct response r;
	http_request(&r, &srv, "GET", "/healthz", NULL, NULL, NULL, 0, NULL);
	ck_assert_int_eq(r.status, 200);
	char ct[64];
	ck_assert(response_header(&r, "Content-Type", ct, sizeof ct));
	ck_assert_str_eq(ct, "application/json");
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "status")), "ok");
	ck_assert(json_is_integer(json_object_get(r.json, "seq")));
	response_free(&r);
	long long before = healthz_seq(&srv);
	char path[96];
	snprintf(path, sizeof path, "/api/problems/%lld/submissions", problem);
	http_json_request(&r, &srv, "POST", path, user_token, "{\"language\": \"c\", \"source\": \"int main(void){}\"}");
	ck_assert_int_eq(r.status, 201);
	long long created = json_integer_value(json_object_get(r.json, "seq"));
	response_free(&r);
	/* /healthz has the newest seq: at least the new submission's (the judge moves it on too). */
	ck_assert_int_gt(created, before);
	ck_assert_int_ge(healthz_seq(&srv), created);
}
END_TEST

/* Checks the Prometheus text format line by line: every sample belongs to a
   family announced with # HELP and # TYPE, and parses as name{labels} value. */
static void check_exposition(const char *text)
{
	char family[128] = "";
	int samples = 0;
	for (const char *p = text; *p;) {
		const char *end = strchr(p, '\n');
		ck_assert_msg(end != NULL, "last line without a newline");
		char line[512];
		snprintf(line, sizeof line, "%.*s", (int)(end - p), p);
		p = end + 1;
		if (strncmp(line, "# HELP ", 7) == 0) {
			sscanf(line + 7, "%127s", family);
			continue;
		}
		if (strncmp(line, "# TYPE ", 7) == 0) {
			char name[128], type[32];
			ck_assert_int_eq(sscanf(line + 7, "%127s %31s", name, type), 2);
			ck_assert_str_eq(name, family);
			ck_assert_msg(strcmp(type, "counter") == 0 || strcmp(type, "gauge") == 0 ||
					      strcmp(type, "histogram") == 0,
				      "type %s", type);
			continue;
		}
		ck_assert_msg(line[0] != '#' && line[0] != '\0', "unexpected line '%s'", line);
		size_t n = strlen(family);
		ck_assert_msg(strncmp(line, family, n) == 0, "sample '%s' outside its family %s", line, family);
		const char *value = strrchr(line, ' ');
		ck_assert_ptr_nonnull(value);
		char *rest;
		strtod(value + 1, &rest);
		ck_assert_msg(*rest == '\0' && rest != value + 1, "bad value in '%s'", line);
		const char *brace = strchr(line, '{');
		if (brace && brace < value)
			ck_assert_msg(value[-1] == '}', "bad labels in '%s'", line);
		samples++;
	}
	ck_assert_int_gt(samples, 10);
}

START_TEST(metrics)
{
	struct response r;
	http_request(&r, &srv, "GET", "/metrics", NULL, NULL, NULL, 0, NULL);
	ck_assert_int_eq(r.status, 200);
	char ct[128];
	ck_assert(response_header(&r, "Content-Type", ct, sizeof ct));
	ck_assert_msg(strncmp(ct, "text/plain; version=0.0.4", 25) == 0, "Content-Type %s", ct);
	check_exposition(r.body);
	ck_assert_ptr_nonnull(strstr(r.body, "# TYPE verdict_http_requests_total counter\n"));
	ck_assert_ptr_nonnull(strstr(r.body, "# TYPE verdict_http_request_duration_seconds histogram\n"));
	ck_assert_ptr_nonnull(strstr(r.body, "verdict_http_request_duration_seconds_bucket{le=\"+Inf\"} "));
	ck_assert_ptr_nonnull(strstr(r.body, "# TYPE verdict_submissions gauge\n"));
	response_free(&r);

	/* Requests by route and status. */
	const char *me = "verdict_http_requests_total{route=\"/api/me\",status=\"200\"}";
	const char *me401 = "verdict_http_requests_total{route=\"/api/me\",status=\"401\"}";
	const char *other404 = "verdict_http_requests_total{route=\"other\",status=\"404\"}";
	const char *by_id = "verdict_http_requests_total{route=\"/api/problems/{id}\",status=\"200\"}";
	const char *count = "verdict_http_request_duration_seconds_count";
	const char *inf = "verdict_http_request_duration_seconds_bucket{le=\"+Inf\"}";
	double me0 = test_metric(&srv, me), me401_0 = test_metric(&srv, me401), o0 = test_metric(&srv, other404);
	double id0 = test_metric(&srv, by_id), c0 = test_metric(&srv, count);
	for (int i = 0; i < 3; i++) {
		http_request(&r, &srv, "GET", "/api/me", user_token, NULL, NULL, 0, NULL);
		response_free(&r);
	}
	http_request(&r, &srv, "GET", "/api/me", NULL, NULL, NULL, 0, NULL);
	response_free(&r);
	http_request(&r, &srv, "GET", "/api/nope", NULL, NULL, NULL, 0, NULL);
	response_free(&r);
	char path[64];
	snprintf(path, sizeof path, "/api/problems/%lld", problem);
	http_request(&r, &srv, "GET", path, user_token, NULL, NULL, 0, NULL);
	response_free(&r);
	ck_assert(test_metric(&srv, me) == me0 + 3);
	ck_assert(test_metric(&srv, me401) == me401_0 + 1);
	ck_assert(test_metric(&srv, other404) == o0 + 1);
	ck_assert(test_metric(&srv, by_id) == id0 + 1);
	/* The histogram counted them too (and the /metrics reads in between). */
	double c1 = test_metric(&srv, count);
	ck_assert_msg(c1 >= c0 + 6, "count %f -> %f", c0, c1);
	ck_assert(test_metric(&srv, inf) == test_metric(&srv, count) - 1); /* that read itself is not done yet */

	/* Submissions by status, and seq. */
	static const char *const statuses[] = {"queued", "compiling", "running", "done"};
	double all0 = 0, all1 = 0;
	char series[96];
	for (int i = 0; i < 4; i++) {
		snprintf(series, sizeof series, "verdict_submissions{status=\"%s\"}", statuses[i]);
		all0 += test_metric(&srv, series);
	}
	double seq0 = test_metric(&srv, "verdict_seq");
	submit(&srv, user_token, problem);
	submit(&srv, user_token, problem);
	for (int i = 0; i < 4; i++) {
		snprintf(series, sizeof series, "verdict_submissions{status=\"%s\"}", statuses[i]);
		all1 += test_metric(&srv, series);
	}
	ck_assert_msg(all1 == all0 + 2, "submissions %f -> %f", all0, all1);
	ck_assert(test_metric(&srv, "verdict_seq") >= seq0 + 2);
}
END_TEST

START_TEST(histogram_is_cumulative)
{
	struct response r;
	http_request(&r, &srv, "GET", "/metrics", NULL, NULL, NULL, 0, NULL);
	double last = -1, last_le = -1;
	int buckets = 0;
	for (const char *p = strstr(r.body, "verdict_http_request_duration_seconds_bucket{le=\""); p;
	     p = strstr(p + 1, "verdict_http_request_duration_seconds_bucket{le=\"")) {
		const char *le = p + strlen("verdict_http_request_duration_seconds_bucket{le=\"");
		double bound = strncmp(le, "+Inf", 4) == 0 ? 1e300 : strtod(le, NULL);
		double v = strtod(strchr(le, ' ') + 1, NULL);
		ck_assert_msg(bound > last_le, "buckets out of order");
		ck_assert_msg(v >= last, "bucket counts not cumulative");
		last = v, last_le = bound;
		buckets++;
	}
	ck_assert_int_ge(buckets, 5);
	ck_assert(last_le == 1e300);
	response_free(&r);
}
END_TEST

START_TEST(one_log_line_per_request)
{
	static const char *const paths[] = {"/api/problems/987654", "/api/me", "/api/nope-987654"};
	const char *needles[] = {"http GET /api/problems/987654 404 ", "http GET /api/me 200 ", "http GET /api/nope-987654 404 "};
	int before[3];
	for (int i = 0; i < 3; i++)
		before[i] = test_log_count(&srv, needles[i]);
	for (int k = 0; k < 5; k++)
		for (int i = 0; i < 3; i++) {
			struct response r;
			http_request(&r, &srv, "GET", paths[i], user_token, NULL, NULL, 0, NULL);
			response_free(&r);
		}
	/* A line is written when its request completes, after the answer went
	   out: the client may be on the next request before it is. */
	for (int tries = 0, short_of = 1; tries < 500 && short_of; tries++) {
		short_of = 0;
		for (int i = 0; i < 3; i++)
			short_of += test_log_count(&srv, needles[i]) < before[i] + 5;
		if (short_of)
			sleep_ms(10);
	}
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(test_log_count(&srv, needles[i]), before[i] + 5);
	/* Each names the user, with a time and a level in front. */
	ck_assert_int_eq(test_log_count(&srv, "Z info http GET /api/problems/987654 404 "), before[0] + 5);
	ck_assert_int_ge(test_log_count(&srv, "http GET /api/me 200 "), 5);
	ck_assert_int_ge(test_log_count(&srv, "us user=ops_user"), 15);
}
END_TEST

START_TEST(web_ui_placeholder)
{
	const char *file = getenv("VERDICT_WEB_INDEX");
	ck_assert_ptr_nonnull(file);
	FILE *f = fopen(file, "rb");
	ck_assert_ptr_nonnull(f);
	char want[65536];
	size_t want_len = fread(want, 1, sizeof want, f);
	fclose(f);
	static const char *const pages[] = {"/", "/login", "/problems/3", "/problems/3/submissions", "/submissions/9",
					    "/admin/users", "/index.html"};
	char etag[128] = "";
	for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
		struct response r;
		http_request(&r, &srv, "GET", pages[i], NULL, NULL, NULL, 0, NULL);
		ck_assert_msg(r.status == 200, "%s: %ld", pages[i], r.status);
		char ct[64];
		ck_assert(response_header(&r, "Content-Type", ct, sizeof ct));
		ck_assert_str_eq(ct, "text/html; charset=utf-8");
		ck_assert_uint_eq(r.body_len, want_len);
		ck_assert(memcmp(r.body, want, want_len) == 0);
		ck_assert(response_header(&r, "ETag", etag, sizeof etag));
		response_free(&r);
	}
	/* Revalidation. */
	char inm[160];
	snprintf(inm, sizeof inm, "If-None-Match: %s", etag);
	const char *extra[] = {inm, NULL};
	struct response r;
	http_request(&r, &srv, "GET", "/", NULL, NULL, NULL, 0, extra);
	ck_assert_int_eq(r.status, 304);
	ck_assert_uint_eq(r.body_len, 0);
	response_free(&r);
	http_request(&r, &srv, "HEAD", "/", NULL, NULL, NULL, 0, NULL);
	ck_assert_int_eq(r.status, 200);
	response_free(&r);
	/* Nothing outside the embedded files. */
	static const char *const missing[] = {"/../etc/passwd", "/nope.js", "/problemsx", "/%2e%2e/meson.build"};
	for (size_t i = 0; i < sizeof missing / sizeof missing[0]; i++) {
		http_request(&r, &srv, "GET", missing[i], NULL, NULL, NULL, 0, NULL);
		ck_assert_msg(r.status == 404, "%s: %ld", missing[i], r.status);
		response_free(&r);
	}
}
END_TEST

START_TEST(second_server_on_the_data_dir_refuses)
{
	const char *args[] = {"serve", "--listen", "127.0.0.1:0", "--data", srv.data, NULL};
	struct run_result run;
	ck_assert_int_eq(test_run(&run, args, NULL, NULL), 1);
	ck_assert_msg(strstr(run.err, "in use") != NULL && strstr(run.err, srv.data) != NULL, "stderr: %s", run.err);
	char pid[32];
	snprintf(pid, sizeof pid, "pid %d", (int)srv.pid);
	ck_assert_msg(strstr(run.err, pid) != NULL, "stderr does not name %s: %s", pid, run.err);
	/* The first one is not disturbed. */
	ck_assert_int_ge(healthz_seq(&srv), 0);
	struct response r;
	http_request(&r, &srv, "GET", "/api/me", user_token, NULL, NULL, 0, NULL);
	ck_assert_int_eq(r.status, 200);
	response_free(&r);
}
END_TEST

/* ---- shutdown and restarts: a server of their own ---- */

/* Starts a server with a user, a problem and a submission. */
static void populated(struct server *s, char *token, size_t size, long long *p, long long *sub)
{
	/* One user submits as fast as it can: no quota. */
	static const char *const args[] = {"--submissions-per-minute", "0", "--queued-per-user", "0", NULL};
	server_start(s, args);
	test_create_user(s, "keeper", false, token, size);
	*p = test_create_problem(s, "{\"slug\": \"kept\", \"title\": \"Kept\", \"tests\": ["
				     "{\"input\": \"1\", \"output\": \"1\", \"sample\": true}]}");
	*sub = submit(s, token, *p);
}

static void expect_data(struct server *s, const char *token, long long p, long long sub)
{
	char path[64];
	snprintf(path, sizeof path, "/api/problems/%lld", p);
	struct response r;
	http_request(&r, s, "GET", path, token, NULL, NULL, 0, NULL);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "slug")), "kept");
	response_free(&r);
	snprintf(path, sizeof path, "/api/submissions/%lld", sub);
	http_request(&r, s, "GET", path, token, NULL, NULL, 0, NULL);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "user")), "keeper");
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "source")), "int main(void){return 0;}");
	response_free(&r);
	ck_assert_int_eq(test_login(s, "keeper", "keeper-password", (char[64]){0}, 64), 200);
}

START_TEST(restart_keeps_everything_and_seq_grows)
{
	struct server s;
	char token[64];
	long long p, sub;
	populated(&s, token, sizeof token, &p, &sub);
	/* The judge moves seq on by itself (and a restart requeues what was being
	   judged), so seq is checked for never going back, and for new changes
	   coming after everything seen before. */
	long long seq = seq_of(&s, sub);
	long long top = healthz_seq(&s);
	for (int sig = 0; sig < 2; sig++) {
		ck_assert_int_eq(server_signal(&s, sig ? SIGINT : SIGTERM), 0);
		server_restart(&s, NULL);
		/* Sessions are in the database too: the tokens still work. */
		expect_data(&s, token, p, sub);
		ck_assert_int_ge(seq_of(&s, sub), seq);
		ck_assert_int_ge(healthz_seq(&s), top);
		long long next = submit(&s, token, p);
		ck_assert_int_gt(next, sub);
		ck_assert_int_gt(seq_of(&s, next), top);
		seq = seq_of(&s, sub);
		top = healthz_seq(&s);
	}
	/* The log says why it stopped. */
	ck_assert_int_eq(test_log_count(&s, "received SIGTERM, shutting down"), 1);
	ck_assert_int_eq(test_log_count(&s, "received SIGINT, shutting down"), 1);
	/* Even a crash keeps what was answered. */
	server_kill(&s);
	server_restart(&s, NULL);
	expect_data(&s, token, p, sub);
	ck_assert_int_ge(healthz_seq(&s), top);
	/* --log-level warn: no access log. */
	ck_assert_int_eq(server_stop(&s), 0);
	static const char *const quiet[] = {"--log-level", "warn", NULL};
	server_restart(&s, quiet);
	int lines = test_log_count(&s, " http GET ");
	expect_data(&s, token, p, sub);
	ck_assert_int_eq(test_log_count(&s, " http GET "), lines);
	server_finish(&s);
}
END_TEST

struct writer {
	const struct server *s;
	const char *token;
	long long problem;
	atomic_int acked;
	long long ids[100000];
};

/* Submits until the server goes away; records every submission it was told about. */
static void *keep_submitting(void *arg)
{
	struct writer *w = arg;
	char url[128], auth[128];
	snprintf(url, sizeof url, "http://127.0.0.1:%d/api/problems/%lld/submissions", w->s->port, w->problem);
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", w->token);
	CURL *c = curl_easy_init();
	struct curl_slist *h = curl_slist_append(curl_slist_append(NULL, auth), "Content-Type: application/json");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, "{\"language\": \"c\", \"source\": \"x\"}");
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	FILE *sink = fopen("/dev/null", "w");
	char *body = NULL;
	size_t len = 0;
	for (;;) {
		FILE *mem = open_memstream(&body, &len);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, mem);
		CURLcode rc = curl_easy_perform(c);
		fclose(mem);
		long status = 0;
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		if (rc != CURLE_OK || status != 201) {
			free(body);
			break;
		}
		json_t *j = json_loads(body, 0, NULL);
		free(body);
		body = NULL;
		int n = atomic_load(&w->acked);
		if (n < 100000)
			w->ids[n] = json_integer_value(json_object_get(j, "id"));
		atomic_store(&w->acked, n + 1);
		json_decref(j);
	}
	fclose(sink);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return NULL;
}

START_TEST(sigterm_under_load_loses_nothing)
{
	struct server s;
	char token[64];
	long long p, sub;
	populated(&s, token, sizeof token, &p, &sub);
	static struct writer w[2];
	pthread_t t[2];
	for (int i = 0; i < 2; i++) {
		w[i].s = &s;
		w[i].token = token;
		w[i].problem = p;
		atomic_store(&w[i].acked, 0);
		ck_assert_int_eq(pthread_create(&t[i], NULL, keep_submitting, &w[i]), 0);
	}
	while (atomic_load(&w[0].acked) < 50 || atomic_load(&w[1].acked) < 50)
		sleep_ms(5);
	ck_assert_int_eq(server_stop(&s), 0);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	server_restart(&s, NULL);
	/* Every submission that was answered 201 is there after the restart. */
	for (int i = 0; i < 2; i++) {
		int n = atomic_load(&w[i].acked);
		for (int k = 0; k < n && k < 100000; k++) {
			char path[64];
			snprintf(path, sizeof path, "/api/submissions/%lld", w[i].ids[k]);
			struct response r;
			http_request(&r, &s, "GET", path, token, NULL, NULL, 0, NULL);
			ck_assert_msg(r.status == 200, "acknowledged submission %lld is gone", w[i].ids[k]);
			response_free(&r);
		}
	}
	server_finish(&s);
}
END_TEST

/* ---- schema versions ---- */

static int newest_migration(void)
{
	int v = 0;
	for (const struct embedded_file *f = schema_files; f->name; f++)
		if (atoi(f->name) > v)
			v = atoi(f->name);
	return v;
}

static void exec_sql(sqlite3 *h, const char *sql)
{
	char *msg = NULL;
	ck_assert_msg(sqlite3_exec(h, sql, NULL, NULL, &msg) == SQLITE_OK, "%s: %s", sql, msg ? msg : "");
}

static sqlite3 *open_raw(const struct server *s)
{
	char path[400];
	snprintf(path, sizeof path, "%s/verdict.db", s->data);
	sqlite3 *h = NULL;
	ck_assert_int_eq(sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	sqlite3_busy_timeout(h, 5000);
	return h;
}

/* A data dir as the first release left it: schema 001 only, with data written
   in that schema's terms (raw SQL, so that it stays valid whatever comes later). */
START_TEST(upgrade_from_the_first_schema)
{
	struct server s;
	server_init(&s);
	struct db *db = NULL;
	char *err = NULL;
	ck_assert_msg(db_open_upto(s.data, 1, &db, &err) == 0, "%s", err ? err : "");
	ck_assert_int_eq(db_schema_version(db), 1);
	db_close(db);
	ck_assert(auth_init());
	char *admin_hash = auth_hash_password("old-admin-password");
	char *user_hash = auth_hash_password("old-user-password");
	sqlite3 *h = open_raw(&s);
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(h, "INSERT INTO users (id, username, password_hash, role, created_at)"
					       " VALUES (?, ?, ?, ?, '2025-01-01T00:00:00Z')", -1, &st, NULL), SQLITE_OK);
	const char *names[] = {"old_admin", "old_user"}, *hashes[] = {admin_hash, user_hash}, *roles[] = {"admin", "user"};
	for (int i = 0; i < 2; i++) {
		sqlite3_bind_int(st, 1, i + 1);
		sqlite3_bind_text(st, 2, names[i], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, hashes[i], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, roles[i], -1, SQLITE_STATIC);
		ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	free(admin_hash);
	free(user_hash);
	exec_sql(h, "INSERT INTO problems (id, slug, title, statement, time_limit_ms, memory_limit_kb, output_limit_kb,"
		    " checker, created_at, updated_at) VALUES (7, 'legacy', 'Legacy', 'Old statement', 2000, 65536, 1024,"
		    " '{\"type\":\"tokens\"}', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')");
	exec_sql(h, "INSERT INTO tests (problem_id, idx, name, grp, points, sample, input, output) VALUES"
		    " (7, 1, 's1', 'sample', 0, 1, '1 1', '2'), (7, 2, 't1', 'secret', 0, 0, 'OLD-HIDDEN', 'OLD-HIDDEN')");
	exec_sql(h, "INSERT INTO submissions (id, seq, problem_id, user_id, language, source, status, verdict, score,"
		    " time_ms, memory_kb, tests_passed, tests_total, compile_output, created_at, judged_at) VALUES"
		    " (11, 40, 7, 2, 'c', 'old source', 'done', 'AC', NULL, 5, 900, 2, 2, '', '2025-01-01T00:00:00Z',"
		    " '2025-01-01T00:00:01Z'),"
		    " (12, 41, 7, 2, 'python3', 'print(2)', 'queued', NULL, NULL, NULL, NULL, 0, 2, '',"
		    " '2025-01-02T00:00:00Z', NULL)");
	exec_sql(h, "INSERT INTO test_results (submission_id, idx, grp, verdict, time_ms, memory_kb) VALUES"
		    " (11, 1, 'sample', 'AC', 5, 900), (11, 2, 'secret', 'AC', 4, 880)");
	exec_sql(h, "UPDATE counters SET value = 41 WHERE name = 'seq'");
	sqlite3_close(h);

	server_restart(&s, NULL);
	ck_assert_int_eq(test_login(&s, "old_admin", "old-admin-password", s.admin_token, sizeof s.admin_token), 200);
	char user[64];
	ck_assert_int_eq(test_login(&s, "old_user", "old-user-password", user, sizeof user), 200);
	struct response r;
	http_request(&r, &s, "GET", "/api/problems/7", user, NULL, NULL, 0, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "slug")), "legacy");
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "statement")), "Old statement");
	ck_assert_int_eq(json_integer_value(json_object_get(r.json, "time_limit_ms")), 2000);
	ck_assert_int_eq(json_integer_value(json_object_get(r.json, "test_count")), 2);
	ck_assert_ptr_null(strstr(r.body, "OLD-HIDDEN"));
	response_free(&r);
	http_request(&r, &s, "GET", "/api/submissions/11", user, NULL, NULL, 0, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "verdict")), "AC");
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "source")), "old source");
	ck_assert_int_eq(json_integer_value(json_object_get(r.json, "seq")), 40);
	ck_assert_uint_eq(json_array_size(json_object_get(r.json, "tests")), 2);
	response_free(&r);
	http_request(&r, &s, "GET", "/api/problems/7/submissions", user, NULL, NULL, 0, NULL);
	ck_assert_int_eq(json_integer_value(json_object_get(r.json, "total")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(json_object_get(r.json, "items"), 0), "id")), 12);
	response_free(&r);
	/* seq goes on from where the old data left it. */
	long long next = submit(&s, user, 7);
	ck_assert_int_gt(seq_of(&s, next), 41);
	ck_assert_int_eq(server_stop(&s), 0);
	/* Every migration is recorded, once. */
	h = open_raw(&s);
	int n = newest_migration();
	ck_assert_int_ge(n, 1);
	ck_assert_int_eq(sqlite3_prepare_v2(h, "SELECT version FROM schema_migrations ORDER BY version", -1, &st, NULL),
			 SQLITE_OK);
	/* each embedded one, in order (the numbers may have gaps: each branch of work is given its own) */
	int expect = 0, rows = 0, embedded = 0;
	for (const struct embedded_file *f = schema_files; f->name; f++)
		embedded++;
	while (sqlite3_step(st) == SQLITE_ROW) {
		int v = sqlite3_column_int(st, 0);
		bool known = false;
		for (const struct embedded_file *f = schema_files; f->name; f++)
			known |= atoi(f->name) == v;
		ck_assert_msg(known && v > expect, "migration %d recorded out of order or unknown", v);
		expect = v;
		rows++;
	}
	sqlite3_finalize(st);
	sqlite3_close(h);
	ck_assert_int_eq(rows, embedded);
	ck_assert_int_eq(expect, n);
	server_restart(&s, NULL);
	server_finish(&s);
}
END_TEST

START_TEST(newer_schema_is_refused)
{
	struct server s;
	server_start(&s, NULL);
	ck_assert_int_eq(server_stop(&s), 0);
	sqlite3 *h = open_raw(&s);
	exec_sql(h, "INSERT INTO schema_migrations VALUES (9999, '9999_future.sql', '2030-01-01T00:00:00Z')");
	sqlite3_close(h);
	const char *args[] = {"serve", "--listen", "127.0.0.1:0", "--data", s.data, NULL};
	struct run_result run;
	ck_assert_int_eq(test_run(&run, args, NULL, NULL), 1);
	ck_assert_msg(strstr(run.err, "9999") != NULL && strstr(run.err, "newer") != NULL, "stderr: %s", run.err);
	server_cleanup(&s);
}
END_TEST

int main(void)
{
	log_set_level(LOG_WARN);
	Suite *s = suite_create("ops");
	TCase *tc = tcase_create("running");
	tcase_add_unchecked_fixture(tc, start, stop);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, healthz);
	tcase_add_test(tc, metrics);
	tcase_add_test(tc, histogram_is_cumulative);
	tcase_add_test(tc, one_log_line_per_request);
	tcase_add_test(tc, web_ui_placeholder);
	tcase_add_test(tc, second_server_on_the_data_dir_refuses);
	suite_add_tcase(s, tc);
	tc = tcase_create("lifecycle");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, restart_keeps_everything_and_seq_grows);
	tcase_add_test(tc, sigterm_under_load_loses_nothing);
	tcase_add_test(tc, upgrade_from_the_first_schema);
	tcase_add_test(tc, newer_schema_is_refused);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
