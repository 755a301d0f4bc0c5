/* Test fixtures: real server processes and a libcurl JSON client. */
#include "common.h"

#include <check.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ADMIN_PASSWORD "admin-password"

int test_run_suite(Suite *suite)
{
	SRunner *sr = srunner_create(suite);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}

const char *test_verdict_bin(void)
{
	const char *bin = getenv("VERDICT_BIN");
	ck_assert_msg(bin != NULL, "VERDICT_BIN is not set");
	return bin;
}

void test_tmpdir(char *dir, size_t size)
{
	const char *base = getenv("TMPDIR");
	snprintf(dir, size, "%s/verdict-test-XXXXXX", base && *base ? base : "/tmp");
	ck_assert_msg(mkdtemp(dir) != NULL, "mkdtemp: %s", strerror(errno));
}

void test_rmtree(const char *dir)
{
	pid_t pid = fork();
	if (pid == 0) {
		execlp("rm", "rm", "-rf", "--", dir, (char *)NULL);
		_exit(127);
	}
	int st;
	waitpid(pid, &st, 0);
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

static int run_user_add(const char *data, const char *name, const char *password, bool admin)
{
	int in[2];
	ck_assert_int_eq(pipe(in), 0);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(in[0], 0);
		close(in[0]);
		close(in[1]);
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		execl(test_verdict_bin(), "verdict", "user", "add", name, "--data", data, admin ? "--admin" : NULL,
		      (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	dprintf(in[1], "%s\n", password);
	close(in[1]);
	int st;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

void (*server_child_setup)(void);

static void spawn(struct server *s, const char *const *extra)
{
	char port_file[320];
	snprintf(port_file, sizeof port_file, "%s/port", s->dir);
	unlink(port_file);
	const char *argv[48];
	int n = 0;
	argv[n++] = "verdict";
	argv[n++] = "serve";
	argv[n++] = "--listen";
	argv[n++] = "127.0.0.1:0";
	argv[n++] = "--data";
	argv[n++] = s->data;
	argv[n++] = "--port-file";
	argv[n++] = port_file;
	for (int i = 0; extra && extra[i] && n < 46; i++)
		argv[n++] = extra[i];
	argv[n] = NULL;
	s->pid = fork();
	ck_assert_int_ge(s->pid, 0);
	if (s->pid == 0) {
		int log = open(s->log, O_WRONLY | O_CREAT | O_APPEND, 0600);
		dup2(log, 2);
		dup2(log, 1);
		if (server_child_setup)
			server_child_setup();
		execv(test_verdict_bin(), (char *const *)argv);
		_exit(127);
	}
	for (int i = 0; i < 1000; i++) {
		FILE *f = fopen(port_file, "r");
		if (f) {
			int ok = fscanf(f, "%d", &s->port);
			fclose(f);
			if (ok == 1)
				return;
		}
		int st;
		if (waitpid(s->pid, &st, WNOHANG) == s->pid) {
			s->pid = 0;
			ck_abort_msg("server exited at start-up; see %s", s->log);
		}
		sleep_ms(10);
	}
	ck_abort_msg("server did not start within 10 s; see %s", s->log);
}

void server_init(struct server *s)
{
	memset(s, 0, sizeof *s);
	test_tmpdir(s->dir, sizeof s->dir);
	snprintf(s->data, sizeof s->data, "%s/data", s->dir);
	snprintf(s->log, sizeof s->log, "%s/server.log", s->dir);
}

void server_start(struct server *s, const char *const *extra)
{
	server_init(s);
	ck_assert_int_eq(run_user_add(s->data, "admin", ADMIN_PASSWORD, true), 0);
	spawn(s, extra);
	ck_assert_int_eq(test_login(s, "admin", ADMIN_PASSWORD, s->admin_token, sizeof s->admin_token), 200);
}

void server_restart(struct server *s, const char *const *extra)
{
	ck_assert_int_eq(s->pid, 0);
	spawn(s, extra);
}

int server_stop(struct server *s)
{
	return server_signal(s, SIGTERM);
}

int server_signal(struct server *s, int sig)
{
	if (s->pid <= 0)
		return 0;
	kill(s->pid, sig);
	int st = 0;
	waitpid(s->pid, &st, 0);
	s->pid = 0;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st);
}

void server_kill(struct server *s)
{
	if (s->pid <= 0)
		return;
	kill(s->pid, SIGKILL);
	waitpid(s->pid, NULL, 0);
	s->pid = 0;
}

void server_cleanup(struct server *s)
{
	server_stop(s);
	if (s->dir[0] && !getenv("VERDICT_KEEP_TMP"))
		test_rmtree(s->dir);
}

void server_finish(struct server *s)
{
	int status = server_stop(s);
	if (status != 0) {
		fprintf(stderr, "server exited with status %d; its log %s:\n", status, s->log);
		FILE *f = fopen(s->log, "r");
		char line[1024];
		while (f && fgets(line, sizeof line, f))
			fputs(line, stderr);
		if (f)
			fclose(f);
		ck_abort_msg("server exited with status %d; see %s", status, s->log);
	}
	server_cleanup(s);
}

struct sink {
	char *data;
	size_t len;
};

static size_t on_data(char *p, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;
	s->data = realloc(s->data, s->len + size * n + 1);
	memcpy(s->data + s->len, p, size * n);
	s->len += size * n;
	s->data[s->len] = '\0';
	return size * n;
}

static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
	struct response *r = arg;
	size_t used = strlen(r->headers), len = size * n;
	if (used + len < sizeof r->headers) {
		memcpy(r->headers + used, p, len);
		r->headers[used + len] = '\0';
	}
	return len;
}

static _Thread_local char source[64];

void http_set_source(const char *address)
{
	snprintf(source, sizeof source, "%s%s", address ? "host!" : "", address ? address : "");
}

void http_request(struct response *r, const struct server *s, const char *method, const char *path,
		  const char *token, const char *content_type, const void *body, size_t body_len,
		  const char *const *extra_headers)
{
	memset(r, 0, sizeof *r);
	CURL *c = curl_easy_init();
	ck_assert_ptr_nonnull(c);
	char url[1024];
	snprintf(url, sizeof url, "http://127.0.0.1:%d%s", s->port, path);
	struct curl_slist *headers = NULL;
	char line[512];
	if (token) {
		snprintf(line, sizeof line, "Authorization: Bearer %s", token);
		headers = curl_slist_append(headers, line);
	}
	if (body) {
		/* "" sends no Content-Type at all ("Content-Type:" stops curl adding its own). */
		snprintf(line, sizeof line, "Content-Type:%s%s", content_type && !*content_type ? "" : " ",
			 content_type ? content_type : "application/json");
		headers = curl_slist_append(headers, line);
	}
	for (int i = 0; extra_headers && extra_headers[i]; i++)
		headers = curl_slist_append(headers, extra_headers[i]);
	struct sink sink = {0};
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	if (body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	if (source[0])
		curl_easy_setopt(c, CURLOPT_INTERFACE, source);
	CURLcode rc = curl_easy_perform(c);
	ck_assert_msg(rc == CURLE_OK, "%s %s: %s", method, path, curl_easy_strerror(rc));
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	curl_off_t up = 0;
	curl_easy_getinfo(c, CURLINFO_SIZE_UPLOAD_T, &up);
	r->uploaded = (double)up;
	r->body = sink.data ? sink.data : strdup("");
	r->body_len = sink.len;
	r->json = json_loadb(r->body, r->body_len, JSON_ALLOW_NUL, NULL);
	curl_slist_free_all(headers);
	curl_easy_cleanup(c);
}

struct stream {
	size_t left;
};

static size_t on_read(char *p, size_t size, size_t n, void *arg)
{
	struct stream *st = arg;
	size_t len = size * n < st->left ? size * n : st->left;
	memset(p, 'x', len);
	st->left -= len;
	return len;
}

int http_stream_request(struct response *r, const struct server *s, const char *method, const char *path,
			const char *token, const char *content_type, size_t body_len, bool chunked)
{
	memset(r, 0, sizeof *r);
	CURL *c = curl_easy_init();
	ck_assert_ptr_nonnull(c);
	char url[1024], line[512];
	snprintf(url, sizeof url, "http://127.0.0.1:%d%s", s->port, path);
	struct curl_slist *headers = curl_slist_append(NULL, "Expect:");
	if (token) {
		snprintf(line, sizeof line, "Authorization: Bearer %s", token);
		headers = curl_slist_append(headers, line);
	}
	snprintf(line, sizeof line, "Content-Type: %s", content_type ? content_type : "application/json");
	headers = curl_slist_append(headers, line);
	if (chunked)
		headers = curl_slist_append(headers, "Transfer-Encoding: chunked");
	struct stream st = {body_len};
	struct sink sink = {0};
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_POST, 1L);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, on_read);
	curl_easy_setopt(c, CURLOPT_READDATA, &st);
	if (!chunked)
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	CURLcode rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	curl_off_t up = 0;
	curl_easy_getinfo(c, CURLINFO_SIZE_UPLOAD_T, &up);
	r->uploaded = (double)up;
	r->body = sink.data ? sink.data : strdup("");
	r->body_len = sink.len;
	r->json = json_loadb(r->body, r->body_len, JSON_ALLOW_NUL, NULL);
	curl_slist_free_all(headers);
	curl_easy_cleanup(c);
	return (int)rc;
}

void http_json_request(struct response *r, const struct server *s, const char *method, const char *path,
		       const char *token, const char *json_body)
{
	http_request(r, s, method, path, token, NULL, json_body, json_body ? strlen(json_body) : 0, NULL);
}

void response_free(struct response *r)
{
	free(r->body);
	json_decref(r->json);
	memset(r, 0, sizeof *r);
}

bool response_header(const struct response *r, const char *name, char *out, size_t size)
{
	size_t n = strlen(name);
	for (const char *p = r->headers; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			const char *v = p + n + 1;
			while (*v == ' ')
				v++;
			size_t len = strcspn(v, "\r\n");
			snprintf(out, size, "%.*s", (int)len, v);
			return true;
		}
	}
	return false;
}

const char *response_error_code(const struct response *r)
{
	const char *code = json_string_value(json_object_get(json_object_get(r->json, "error"), "code"));
	return code ? code : "";
}

long test_login(const struct server *s, const char *name, const char *password, char *token_out, size_t token_size)
{
	json_t *body = json_pack("{s:s, s:s}", "username", name, "password", password);
	char *text = json_dumps(body, 0);
	struct response r;
	http_json_request(&r, s, "POST", "/api/auth/login", NULL, text);
	long status = r.status;
	if (status == 200)
		snprintf(token_out, token_size, "%s", json_string_value(json_object_get(r.json, "token")));
	response_free(&r);
	free(text);
	json_decref(body);
	return status;
}

long long test_create_user(const struct server *s, const char *name, bool admin, char *token_out, size_t token_size)
{
	char body[256];
	snprintf(body, sizeof body, "{\"username\": \"%s\", \"password\": \"%s-password\", \"role\": \"%s\"}", name,
		 name, admin ? "admin" : "user");
	struct response r;
	http_json_request(&r, s, "POST", "/api/users", s->admin_token, body);
	ck_assert_msg(r.status == 201, "create user %s: %ld %s", name, r.status, r.body);
	long long id = json_integer_value(json_object_get(r.json, "id"));
	response_free(&r);
	char password[128];
	snprintf(password, sizeof password, "%s-password", name);
	if (token_out)
		ck_assert_int_eq(test_login(s, name, password, token_out, token_size), 200);
	return id;
}

long long test_create_problem(const struct server *s, const char *json_body)
{
	struct response r;
	http_json_request(&r, s, "POST", "/api/problems", s->admin_token, json_body);
	ck_assert_msg(r.status == 201, "create problem: %ld %s", r.status, r.body);
	long long id = json_integer_value(json_object_get(r.json, "id"));
	response_free(&r);
	return id;
}

void expect_error(const struct response *r, long status, const char *code)
{
	ck_assert_msg(r->status == status, "expected %ld %s, got %ld: %s", status, code, r->status, r->body);
	char ct[128] = "";
	ck_assert_msg(response_header(r, "Content-Type", ct, sizeof ct) && strcmp(ct, "application/json") == 0,
		      "error with Content-Type '%s'", ct);
	ck_assert_msg(json_is_object(r->json) && json_object_size(r->json) == 1, "not an error envelope: %s", r->body);
	const json_t *e = json_object_get(r->json, "error");
	ck_assert_msg(json_is_object(e) && json_object_size(e) == 2, "not an error envelope: %s", r->body);
	const char *got = json_string_value(json_object_get(e, "code"));
	const char *msg = json_string_value(json_object_get(e, "message"));
	ck_assert_msg(got && strcmp(got, code) == 0, "expected code %s: %s", code, r->body);
	ck_assert_msg(msg && *msg, "error without a message: %s", r->body);
}

void expect_json_error(const struct server *s, const char *method, const char *path, const char *token,
		       const char *json_body, long status, const char *code)
{
	struct response r;
	http_json_request(&r, s, method, path, token, json_body);
	ck_assert_msg(r.status == status, "%s %s %s: expected %ld %s, got %ld: %s", method, path,
		      json_body ? json_body : "", status, code, r.status, r.body);
	expect_error(&r, status, code);
	response_free(&r);
}

double test_metric(const struct server *s, const char *series)
{
	struct response r;
	http_request(&r, s, "GET", "/metrics", NULL, NULL, NULL, 0, NULL);
	ck_assert_int_eq(r.status, 200);
	double v = 0;
	size_t n = strlen(series);
	for (const char *p = r.body; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (strncmp(p, series, n) == 0 && p[n] == ' ') {
			v = strtod(p + n + 1, NULL);
			break;
		}
	response_free(&r);
	return v;
}

int test_log_count(const struct server *s, const char *needle)
{
	FILE *f = fopen(s->log, "r");
	if (!f)
		return 0;
	char *line = NULL;
	size_t cap = 0;
	int count = 0;
	while (getline(&line, &cap, f) > 0)
		if (strstr(line, needle))
			count++;
	free(line);
	fclose(f);
	return count;
}

/* Reads what is left of fd into out (truncated to size - 1) and closes it. */
static void slurp(int fd, char *out, size_t size)
{
	size_t len = 0;
	char scratch[4096];
	for (;;) {
		ssize_t n = len + 1 < size ? read(fd, out + len, size - 1 - len) : read(fd, scratch, sizeof scratch);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (len + 1 < size)
			len += (size_t)n;
	}
	out[len] = '\0';
	close(fd);
}

int test_run(struct run_result *r, const char *const *args, const char *stdin_text, const char *const *env)
{
	memset(r, 0, sizeof *r);
	signal(SIGPIPE, SIG_IGN); /* a child that exits without reading stdin must not kill the test */
	int out[2], err[2], in[2];
	ck_assert_int_eq(pipe(out), 0);
	ck_assert_int_eq(pipe(err), 0);
	ck_assert_int_eq(pipe(in), 0);
	const char *argv[64];
	int n = 0;
	argv[n++] = "verdict";
	for (int i = 0; args && args[i] && n < 63; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		close(in[0]), close(in[1]), close(out[0]), close(out[1]), close(err[0]), close(err[1]);
		for (int i = 0; env && env[i]; i++)
			putenv((char *)env[i]);
		execv(test_verdict_bin(), (char *const *)argv);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	close(err[1]);
	/* Short inputs fit the pipe, so writing first cannot deadlock against the child's output. */
	if (stdin_text && write(in[1], stdin_text, strlen(stdin_text)) < 0)
		ck_abort_msg("cannot write to the child's stdin: %s", strerror(errno));
	close(in[1]);
	slurp(out[0], r->out, sizeof r->out);
	slurp(err[0], r->err, sizeof r->err);
	int st;
	waitpid(pid, &st, 0);
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st);
	return r->status;
}

json_t *http_call(const struct server *s, const char *method, const char *token, long expect, const char *body,
		  const char *fmt, ...)
{
	char path[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(path, sizeof path, fmt, ap);
	va_end(ap);
	struct response r;
	http_json_request(&r, s, method, path, token, body);
	ck_assert_msg(r.status == expect, "%s %s: %ld (expected %ld) %s", method, path, r.status, expect, r.body);
	json_t *j = r.json ? json_incref(r.json) : NULL;
	response_free(&r);
	return j;
}
