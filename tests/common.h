/* Test fixtures: a real verdict server on an ephemeral loopback port with a
 * temporary data dir, and a small HTTP client (libcurl) that speaks JSON. */
#pragma once
#include <check.h>
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct server {
	pid_t pid;
	int port;
	char dir[256];       /* temporary dir holding data/ and the log */
	char data[300];      /* the data dir */
	char log[300];       /* the server's stderr */
	char admin_token[64];
};

/* When set, called in the server's child process just before exec (to set
   limits, say). */
extern void (*server_child_setup)(void);

/* Runs a Check suite (frees it); the exit code for main(): 0 when every test passed. */
int test_run_suite(Suite *suite);

/* The verdict binary under test ($VERDICT_BIN, set by meson). */
const char *test_verdict_bin(void);
/* Makes a fresh temporary dir (mkdtemp) and returns it in dir. */
void test_tmpdir(char *dir, size_t size);
/* Removes a directory tree (rm -rf). */
void test_rmtree(const char *dir);

/* Creates a server dir with an admin "admin" / "admin-password" (through
   `verdict user add`), starts `verdict serve` with extra args (NULL-terminated,
   may be NULL) and waits until it answers /healthz; logs the admin in. Aborts
   the test on failure. */
void server_start(struct server *s, const char *const *extra_args);
/* Only makes the temporary dir (data dir path and log path set, nothing
   created in the data dir, no server): prepare the data dir, then call
   server_restart and test_login. */
void server_init(struct server *s);
/* Starts again on the same data dir (after server_stop or server_kill). */
void server_restart(struct server *s, const char *const *extra_args);
/* SIGTERM and wait; returns the exit status (or -signal). */
int server_stop(struct server *s);
/* Sends a signal and waits; returns the exit status (or -signal). */
int server_signal(struct server *s, int sig);
/* SIGKILL and wait. */
void server_kill(struct server *s);
/* The end of a test's server: SIGTERM, and the test fails unless it exits 0
   (a sanitizer report, for one, makes it exit non-zero; the log is then
   copied to stderr and the temporary dir kept). Then server_cleanup. */
void server_finish(struct server *s);
/* Stops if running and removes the temporary dir. */
void server_cleanup(struct server *s);

struct response {
	long status;
	char *body;
	size_t body_len;
	json_t *json;          /* parsed body, or NULL */
	char headers[4096];    /* raw response headers */
	double uploaded;       /* bytes the client sent */
};

/* The source address of this thread's requests from now on (e.g. "127.0.0.2":
   Linux routes all of 127.0.0.0/8 to lo), or NULL for the default. */
void http_set_source(const char *address);
/* Sends a request. token may be NULL; body may be NULL (no body).
   content_type NULL means application/json when there is a body, "" none.
   extra_headers: NULL-terminated "Name: value" strings, or NULL. */
void http_request(struct response *r, const struct server *s, const char *method, const char *path,
		  const char *token, const char *content_type, const void *body, size_t body_len,
		  const char *const *extra_headers);
/* Streams body_len bytes ('x' repeated, never all in memory) as the request
   body, with a Content-Length or (chunked) Transfer-Encoding: chunked, and
   without "Expect: 100-continue", so the client sends at once. Unlike
   http_request it does not fail the test when the transfer breaks off: it
   returns the CURLcode; r->uploaded counts the body bytes the client sent. */
int http_stream_request(struct response *r, const struct server *s, const char *method, const char *path,
			const char *token, const char *content_type, size_t body_len, bool chunked);
/* JSON convenience: body is a JSON text (or NULL). */
void http_json_request(struct response *r, const struct server *s, const char *method, const char *path,
		       const char *token, const char *json_body);
void response_free(struct response *r);
/* A header's value from r->headers (case-insensitive name), copied into out; false if absent. */
bool response_header(const struct response *r, const char *name, char *out, size_t size);
/* The error code of an {"error": {"code": ...}} body, or "" */
const char *response_error_code(const struct response *r);

/* Asserts an API error: the status, Content-Type application/json and exactly
   {"error": {"code": code, "message": "<not empty>"}}. */
void expect_error(const struct response *r, long status, const char *code);
/* A request (path formatted from fmt) whose answer must have status expect;
   returns the body (new reference, NULL without JSON). */
json_t *http_call(const struct server *s, const char *method, const char *token, long expect, const char *body,
		  const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Like http_json_request, then expect_error, then response_free. */
void expect_json_error(const struct server *s, const char *method, const char *path, const char *token,
		       const char *json_body, long status, const char *code);

/* The value of one series in /metrics, e.g.
   verdict_http_requests_total{route="/healthz",status="200"}; 0 if absent. */
double test_metric(const struct server *s, const char *series);
/* Lines of the server's log that contain needle. */
int test_log_count(const struct server *s, const char *needle);

/* A run of the verdict binary as a command-line tool. */
struct run_result {
	int status;        /* exit code, or -signal */
	char out[16384];   /* stdout, truncated */
	char err[16384];   /* stderr, truncated */
};
/* Runs `verdict ARGS...` (args NULL-terminated) with stdin_text (NULL: no
   stdin, i.e. /dev/null) and extra environment entries "NAME=value"
   (NULL-terminated, may be NULL), and waits for it. Returns r->status. */
int test_run(struct run_result *r, const char *const *args, const char *stdin_text, const char *const *env);

/* Creates a user through the API as admin and logs it in; the token goes to token_out. Returns the user id. */
long long test_create_user(const struct server *s, const char *name, bool admin, char *token_out, size_t token_size);
/* Logs in and copies the token; returns the HTTP status. */
long test_login(const struct server *s, const char *name, const char *password, char *token_out, size_t token_size);
/* Creates a problem from a JSON text as admin; returns its id. */
long long test_create_problem(const struct server *s, const char *json_body);
