/* Integration tests for the command line: --version, --help, CMD --help (against the option table),
 * usage errors (exit 2, one line on stderr), every flag as a VERDICT_*
 * environment variable, and `verdict user add` with the password on stdin. */
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "config.h"

/* stderr is exactly one non-empty line. */
static void expect_one_line(const struct run_result *r)
{
	size_t n = strlen(r->err);
	ck_assert_msg(n > 1 && r->err[n - 1] == '\n' && memchr(r->err, '\n', n - 1) == NULL,
		      "stderr is not one line: '%s'", r->err);
	ck_assert_msg(strncmp(r->err, "verdict", 7) == 0, "stderr does not say who: '%s'", r->err);
}

/* Runs args (NULL-terminated) and expects a usage error naming `what`. */
static void expect_usage_error(const char *const *args, const char *what)
{
	struct run_result r;
	int status = test_run(&r, args, NULL, NULL);
	ck_assert_msg(status == 2, "%s %s: exit %d, stderr '%s'", args[0], args[1] ? args[1] : "", status, r.err);
	expect_one_line(&r);
	ck_assert_msg(strstr(r.err, what) != NULL, "stderr does not name '%s': %s", what, r.err);
	ck_assert_str_eq(r.out, "");
}

START_TEST(version)
{
	static const char *const forms[][2] = {{"--version", NULL}, {"version", NULL}};
	for (int i = 0; i < 2; i++) {
		struct run_result r;
		ck_assert_int_eq(test_run(&r, forms[i], NULL, NULL), 0);
		int major, minor, patch;
		char nl;
		ck_assert_msg(sscanf(r.out, "verdict %d.%d.%d%c", &major, &minor, &patch, &nl) == 4 && nl == '\n',
			      "version: '%s'", r.out);
		char want[64];
		snprintf(want, sizeof want, "verdict %s\n", config_version); /* meson.build's project version */
		ck_assert_str_eq(r.out, want);
		ck_assert_str_eq(r.err, "");
	}
}
END_TEST

START_TEST(help)
{
	static const char *const forms[][2] = {{"--help", NULL}, {"-h", NULL}, {"help", NULL}};
	for (int i = 0; i < 3; i++) {
		struct run_result r;
		ck_assert_int_eq(test_run(&r, forms[i], NULL, NULL), 0);
		ck_assert_msg(strncmp(r.out, "usage: verdict", 14) == 0, "help: '%s'", r.out);
		ck_assert_ptr_nonnull(strstr(r.out, "verdict serve"));
		ck_assert_ptr_nonnull(strstr(r.out, "verdict user add NAME"));
		ck_assert_ptr_nonnull(strstr(r.out, "verdict problem import PATH"));
		ck_assert_ptr_nonnull(strstr(r.out, "VERDICT_"));
		ck_assert_str_eq(r.err, "");
	}
	/* Without a command: a usage error, with the usage. */
	struct run_result r;
	ck_assert_int_eq(test_run(&r, NULL, NULL, NULL), 2);
	ck_assert_ptr_nonnull(strstr(r.err, "usage: verdict"));
	ck_assert_str_eq(r.out, "");
}
END_TEST

START_TEST(command_help)
{
	static const struct {
		const char *cmd;
		const char *mentions[12];
	} cases[] = {
		{"serve", {"--listen", "--data", "--workers", "--demo", "--max-body", "--max-upload", "--languages",
			   "--session-hours", "--log-level", "--port-file", NULL}},
		{"user", {"add NAME", "--admin", "--data", "standard input", NULL}},
		{"problem", {"import PATH", "--slug", "--data", NULL}},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *args[] = {cases[i].cmd, "--help", NULL};
		struct run_result r;
		ck_assert_int_eq(test_run(&r, args, NULL, NULL), 0);
		char want[64];
		snprintf(want, sizeof want, "usage: verdict %s", cases[i].cmd);
		ck_assert_msg(strncmp(r.out, want, strlen(want)) == 0, "%s --help: '%s'", cases[i].cmd, r.out);
		for (int k = 0; cases[i].mentions[k]; k++)
			ck_assert_msg(strstr(r.out, cases[i].mentions[k]) != NULL, "%s --help does not mention %s",
				      cases[i].cmd, cases[i].mentions[k]);
		ck_assert_str_eq(r.err, "");
		/* --help wins wherever it stands, and does nothing else. */
		const char *late[] = {cases[i].cmd, i == 0 ? "--data" : i == 1 ? "add" : "import",
				      i == 0 ? "/nonexistent/dir" : "x", "--help", NULL};
		ck_assert_int_eq(test_run(&r, late, NULL, NULL), 0);
		ck_assert_msg(strncmp(r.out, want, strlen(want)) == 0, "%s ... --help: '%s'", cases[i].cmd, r.out);
	}
}
END_TEST

/* Each command's --help lists the options of the table that are for it, and no others. */
START_TEST(command_help_follows_the_option_table)
{
	static const struct {
		const char *cmd;
		unsigned bit;
	} cmds[] = {{"serve", CONFIG_SERVE}, {"user", CONFIG_USER}, {"problem", CONFIG_PROBLEM}};
	for (size_t c = 0; c < sizeof cmds / sizeof cmds[0]; c++) {
		const char *args[] = {cmds[c].cmd, "--help", NULL};
		struct run_result r;
		ck_assert_int_eq(test_run(&r, args, NULL, NULL), 0);
		for (size_t i = 0; i < config_option_count; i++) {
			char want[64];
			snprintf(want, sizeof want, "\n  --%s ", config_options[i].name);
			bool listed = strstr(r.out, want) != NULL;
			ck_assert_msg(listed == ((config_options[i].commands & cmds[c].bit) != 0), "%s --help %s --%s",
				      cmds[c].cmd, listed ? "lists" : "does not list", config_options[i].name);
		}
	}
}
END_TEST

START_TEST(usage_errors)
{
	expect_usage_error((const char *[]){"frobnicate", NULL}, "'frobnicate'");
	expect_usage_error((const char *[]){"--frobnicate", NULL}, "'--frobnicate'");
	expect_usage_error((const char *[]){"serve", "--frobnicate", NULL}, "'--frobnicate'");
	expect_usage_error((const char *[]){"serve", "--frobnicate=1", NULL}, "--frobnicate");
	expect_usage_error((const char *[]){"serve", "--slug", "x", NULL}, "'--slug'");
	expect_usage_error((const char *[]){"serve", "--admin", NULL}, "'--admin'");
	expect_usage_error((const char *[]){"serve", "stray", NULL}, "'stray'");
	expect_usage_error((const char *[]){"user", "--demo", "add", "x", NULL}, "'--demo'");
	expect_usage_error((const char *[]){"user", "add", NULL}, "add NAME");
	expect_usage_error((const char *[]){"user", "remove", "x", NULL}, "add NAME");
	expect_usage_error((const char *[]){"user", "add", "x", "y", NULL}, "'y'");
	expect_usage_error((const char *[]){"user", "add", "x", "--admin=yes", NULL}, "--admin");
	expect_usage_error((const char *[]){"problem", "import", NULL}, "import PATH");
	expect_usage_error((const char *[]){"problem", "import", "p", "--slug", NULL}, "--slug");
	/* Missing and bad values, named with the value. */
	expect_usage_error((const char *[]){"serve", "--listen", NULL}, "--listen");
	expect_usage_error((const char *[]){"serve", "--listen", "nowhere", NULL}, "'nowhere'");
	expect_usage_error((const char *[]){"serve", "--listen", "127.0.0.1:99999", NULL}, "'127.0.0.1:99999'");
	expect_usage_error((const char *[]){"serve", "--workers", "0", NULL}, "'0'");
	expect_usage_error((const char *[]){"serve", "--workers=many", NULL}, "'many'");
	expect_usage_error((const char *[]){"serve", "--max-body", "10", NULL}, "'10'");
	expect_usage_error((const char *[]){"serve", "--max-upload", "1X", NULL}, "'1X'");
	expect_usage_error((const char *[]){"serve", "--session-hours", "0", NULL}, "'0'");
	expect_usage_error((const char *[]){"serve", "--log-level", "loud", NULL}, "'loud'");
	expect_usage_error((const char *[]){"serve", "--data", "", NULL}, "data");
	expect_usage_error((const char *[]){"user", "add", "x", "--workers", "-1", NULL}, "'-1'");
}
END_TEST

START_TEST(bad_environment_values)
{
	static const char *const cases[][2] = {
		{"VERDICT_LISTEN=nowhere", "VERDICT_LISTEN"},   {"VERDICT_WORKERS=0", "VERDICT_WORKERS"},
		{"VERDICT_MAX_BODY=big", "VERDICT_MAX_BODY"},   {"VERDICT_MAX_UPLOAD=1", "VERDICT_MAX_UPLOAD"},
		{"VERDICT_LOG_LEVEL=loud", "VERDICT_LOG_LEVEL"}, {"VERDICT_SESSION_HOURS=x", "VERDICT_SESSION_HOURS"},
		{"VERDICT_DATA=", "VERDICT_DATA"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *env[] = {cases[i][0], NULL};
		const char *args[] = {"serve", "--listen", "127.0.0.1:0", NULL};
		struct run_result r;
		ck_assert_msg(test_run(&r, args, NULL, env) == 2, "%s: exit %d", cases[i][0], r.status);
		expect_one_line(&r);
		ck_assert_msg(strstr(r.err, cases[i][1]) != NULL, "stderr does not name %s: %s", cases[i][1], r.err);
	}
}
END_TEST

/* ---- user add ---- */

START_TEST(user_add)
{
	char dir[256], data[300];
	test_tmpdir(dir, sizeof dir);
	snprintf(data, sizeof data, "%s/data", dir);
	struct run_result r;
	const char *add_alice[] = {"user", "add", "alice", "--data", data, NULL};
	ck_assert_int_eq(test_run(&r, add_alice, "alice-password\n", NULL), 0);
	ck_assert_msg(strstr(r.out, "alice") != NULL && strstr(r.out, "user") != NULL, "stdout: %s", r.out);
	ck_assert_str_eq(r.err, "");
	/* Again: it exists (a runtime failure, not a usage error). */
	ck_assert_int_eq(test_run(&r, add_alice, "another-password\n", NULL), 1);
	expect_one_line(&r);
	ck_assert_msg(strstr(r.err, "'alice'") && strstr(r.err, "exists"), "stderr: %s", r.err);
	/* Bad passwords and names are usage errors. */
	const char *add_bob[] = {"user", "add", "bob", "--data", data, NULL};
	ck_assert_int_eq(test_run(&r, add_bob, "short\n", NULL), 2);
	expect_one_line(&r);
	ck_assert_ptr_nonnull(strstr(r.err, "password"));
	ck_assert_int_eq(test_run(&r, add_bob, "\n", NULL), 2);
	expect_one_line(&r);
	ck_assert_int_eq(test_run(&r, add_bob, NULL, NULL), 2);
	expect_one_line(&r);
	ck_assert_ptr_nonnull(strstr(r.err, "standard input"));
	const char *bad_name[] = {"user", "add", "no spaces", "--data", data, NULL};
	ck_assert_int_eq(test_run(&r, bad_name, "long-enough-password\n", NULL), 2);
	expect_one_line(&r);
	/* --admin, a CRLF line end, and the data dir from the environment. */
	const char *add_root[] = {"user", "add", "root", "--admin", NULL};
	char env_data[320];
	snprintf(env_data, sizeof env_data, "VERDICT_DATA=%s", data);
	const char *env[] = {env_data, NULL};
	ck_assert_int_eq(test_run(&r, add_root, "root-password\r\n", env), 0);
	ck_assert_msg(strstr(r.out, "admin") != NULL, "stdout: %s", r.out);
	/* Only the first line is the password. */
	ck_assert_int_eq(test_run(&r, add_bob, "bob-password\nignored\n", NULL), 0);

	/* A server on that data dir knows them, with their roles... */
	struct server s;
	memset(&s, 0, sizeof s);
	snprintf(s.dir, sizeof s.dir, "%s", dir);
	snprintf(s.data, sizeof s.data, "%s", data);
	snprintf(s.log, sizeof s.log, "%s/server.log", dir);
	server_restart(&s, NULL);
	char token[64];
	ck_assert_int_eq(test_login(&s, "root", "root-password", token, sizeof token), 200);
	ck_assert_int_eq(test_login(&s, "bob", "bob-password", (char[64]){0}, 64), 200);
	ck_assert_int_eq(test_login(&s, "alice", "another-password", (char[64]){0}, 64), 401);
	struct response resp;
	http_request(&resp, &s, "GET", "/api/me", token, NULL, NULL, 0, NULL);
	ck_assert_str_eq(json_string_value(json_object_get(resp.json, "role")), "admin");
	response_free(&resp);
	/* ...and a user added while it runs can log in at once. */
	const char *add_carol[] = {"user", "add", "carol", "--data", data, NULL};
	ck_assert_int_eq(test_run(&r, add_carol, "carol-password\n", NULL), 0);
	ck_assert_int_eq(test_login(&s, "carol", "carol-password", (char[64]){0}, 64), 200);
	server_finish(&s);
}
END_TEST

/* ---- every flag as an environment variable ---- */

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* Starts `verdict serve` with nothing but the environment; waits for the port file. */
static void serve_with_env(struct server *s, const char *const *env)
{
	s->pid = fork();
	ck_assert_int_ge(s->pid, 0);
	if (s->pid == 0) {
		int log = open(s->log, O_WRONLY | O_CREAT | O_APPEND, 0600);
		dup2(log, 1);
		dup2(log, 2);
		for (int i = 0; env[i]; i++)
			putenv((char *)env[i]);
		execl(test_verdict_bin(), "verdict", "serve", (char *)NULL);
		_exit(127);
	}
	char port_file[320];
	snprintf(port_file, sizeof port_file, "%s/port", s->dir);
	for (int i = 0; i < 1000; i++) {
		FILE *f = fopen(port_file, "r");
		if (f) {
			int ok = fscanf(f, "%d", &s->port);
			fclose(f);
			if (ok == 1)
				return;
		}
		int st;
		ck_assert_msg(waitpid(s->pid, &st, WNOHANG) != s->pid, "server exited at start-up; see %s", s->log);
		sleep_ms(10);
	}
	ck_abort_msg("server did not start; see %s", s->log);
}

START_TEST(every_flag_as_environment_variable)
{
	struct server s;
	server_init(&s);
	char listen[] = "VERDICT_LISTEN=127.0.0.1:0", data[320], port[320], langs[320], lang_file[300];
	snprintf(data, sizeof data, "VERDICT_DATA=%s", s.data);
	snprintf(port, sizeof port, "VERDICT_PORT_FILE=%s/port", s.dir);
	snprintf(lang_file, sizeof lang_file, "%s/languages.json", s.dir);
	snprintf(langs, sizeof langs, "VERDICT_LANGUAGES=%s", lang_file);
	FILE *f = fopen(lang_file, "w");
	fputs("[{\"id\": \"shell\", \"name\": \"POSIX sh\", \"extensions\": [\"sh\"], \"source\": \"main.sh\","
	      " \"compile\": null, \"run\": [\"/bin/sh\", \"main.sh\"], \"interpreted\": true}]",
	      f);
	fclose(f);
	const char *env[] = {listen, data, port, langs, "VERDICT_WORKERS=1", "VERDICT_DEMO=1", "VERDICT_MAX_BODY=2K",
			     "VERDICT_MAX_UPLOAD=4K", "VERDICT_SESSION_HOURS=2", "VERDICT_LOG_LEVEL=warn", NULL};
	serve_with_env(&s, env);
	/* VERDICT_DEMO: an admin with a printed password, and a sample problem. */
	char password[64] = "";
	for (int i = 0; i < 500 && !*password; i++) {
		FILE *log = fopen(s.log, "r");
		char line[512];
		while (log && fgets(line, sizeof line, log)) {
			const char *p = strstr(line, "with password '");
			if (p)
				sscanf(p + 15, "%63[^']", password);
		}
		if (log)
			fclose(log);
		if (!*password)
			sleep_ms(10);
	}
	ck_assert_msg(*password, "no demo password in %s", s.log);
	struct response r;
	char body[256];
	snprintf(body, sizeof body, "{\"username\": \"admin\", \"password\": \"%s\"}", password);
	http_json_request(&r, &s, "POST", "/api/auth/login", NULL, body);
	ck_assert_int_eq(r.status, 200);
	snprintf(s.admin_token, sizeof s.admin_token, "%s", json_string_value(json_object_get(r.json, "token")));
	/* VERDICT_SESSION_HOURS */
	char cookie[256];
	ck_assert(response_header(&r, "Set-Cookie", cookie, sizeof cookie));
	ck_assert_msg(strstr(cookie, "Max-Age=7200") != NULL, "cookie: %s", cookie);
	response_free(&r);
	http_request(&r, &s, "GET", "/api/problems", s.admin_token, NULL, NULL, 0, NULL);
	ck_assert_int_eq(json_integer_value(json_object_get(r.json, "total")), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(r.json, "items"), 0), "slug")),
			 "sum");
	response_free(&r);
	/* VERDICT_LANGUAGES */
	http_request(&r, &s, "GET", "/api/languages", s.admin_token, NULL, NULL, 0, NULL);
	ck_assert_msg(strstr(r.body, "\"id\":\"shell\"") != NULL, "languages: %s", r.body);
	response_free(&r);
	/* VERDICT_MAX_BODY and VERDICT_MAX_UPLOAD */
	ck_assert_int_eq(http_stream_request(&r, &s, "POST", "/api/problems", s.admin_token, NULL, 2049, false), 0);
	expect_error(&r, 413, "too_large");
	response_free(&r);
	ck_assert_int_eq(http_stream_request(&r, &s, "POST", "/api/problems/import", s.admin_token, "application/zip",
					     4097, false), 0);
	expect_error(&r, 413, "too_large");
	response_free(&r);
	/* VERDICT_DATA: the database is where it says. */
	char db[400];
	snprintf(db, sizeof db, "%s/verdict.db", s.data);
	ck_assert_int_eq(access(db, R_OK), 0);
	/* VERDICT_WORKERS: the judge's pool (it starts its workers in the background). */
	double workers = 0;
	for (int i = 0; i < 1000 && (workers = test_metric(&s, "verdict_judge_workers")) != 1; i++)
		sleep_ms(10);
	ck_assert_msg(workers == 1, "verdict_judge_workers %g", workers);
	/* VERDICT_LOG_LEVEL=warn: no access log. */
	ck_assert_int_eq(test_log_count(&s, " http "), 0);
	ck_assert_int_eq(server_stop(&s), 0);

	server_cleanup(&s);
}
END_TEST

START_TEST(flag_overrides_environment)
{
	struct server s;
	setenv("VERDICT_LOG_LEVEL", "warn", 1);
	setenv("VERDICT_MAX_BODY", "2K", 1);
	setenv("VERDICT_WORKERS", "3", 1);
	server_start(&s, (const char *const[]){"--log-level", "info", "--max-body", "4K", "--workers", "2", NULL});
	unsetenv("VERDICT_LOG_LEVEL");
	unsetenv("VERDICT_MAX_BODY");
	unsetenv("VERDICT_WORKERS");
	double workers = 0;
	for (int i = 0; i < 1000 && (workers = test_metric(&s, "verdict_judge_workers")) != 2; i++)
		sleep_ms(10);
	ck_assert_msg(workers == 2, "verdict_judge_workers %g", workers);
	struct response r;
	ck_assert_int_eq(http_stream_request(&r, &s, "POST", "/api/problems", s.admin_token, NULL, 3000, false), 0);
	expect_error(&r, 400, "invalid_json"); /* read: the flag's 4K, not the variable's 2K */
	response_free(&r);
	for (int i = 0; i < 500 && test_log_count(&s, "http POST /api/problems 400") == 0; i++)
		sleep_ms(10);
	ck_assert_int_eq(test_log_count(&s, "http POST /api/problems 400"), 1);
	server_finish(&s);
}
END_TEST

START_TEST(settings_file_configures_every_command)
{
	struct server s;
	server_init(&s);
	char conf[320], env_conf[340];
	snprintf(conf, sizeof conf, "%s/verdict.conf", s.dir);
	snprintf(env_conf, sizeof env_conf, "VERDICT_CONFIG=%s", conf);
	FILE *f = fopen(conf, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "# as a packaged verdict would have it\nlisten = 127.0.0.1:0\ndata = %s\nport-file = %s/port\n"
		   "workers = 1\nmax-body = 2K\nsession-hours = 2\nlog-level = info\n",
		s.data, s.dir);
	fclose(f);
	/* `user add` finds its data dir in the file named by --config. */
	const char *add[] = {"user", "add", "admin", "--admin", "--config", conf, NULL};
	struct run_result r;
	ck_assert_msg(test_run(&r, add, "admin-password\n", NULL) == 0, "%s", r.err);
	char db[400];
	snprintf(db, sizeof db, "%s/verdict.db", s.data);
	ck_assert_int_eq(access(db, R_OK), 0);
	/* serve with nothing but VERDICT_CONFIG; the environment wins over the file. */
	const char *env[] = {env_conf, "VERDICT_SESSION_HOURS=3", NULL};
	serve_with_env(&s, env);
	struct response resp;
	http_json_request(&resp, &s, "POST", "/api/auth/login", NULL,
			  "{\"username\": \"admin\", \"password\": \"admin-password\"}");
	ck_assert_int_eq(resp.status, 200);
	snprintf(s.admin_token, sizeof s.admin_token, "%s", json_string_value(json_object_get(resp.json, "token")));
	char cookie[256];
	ck_assert(response_header(&resp, "Set-Cookie", cookie, sizeof cookie));
	ck_assert_msg(strstr(cookie, "Max-Age=10800") != NULL, "cookie: %s", cookie);
	response_free(&resp);
	ck_assert_int_eq(http_stream_request(&resp, &s, "POST", "/api/problems", s.admin_token, NULL, 2049, false), 0);
	expect_error(&resp, 413, "too_large");
	response_free(&resp);
	double workers = 0;
	for (int i = 0; i < 1000 && (workers = test_metric(&s, "verdict_judge_workers")) != 1; i++)
		sleep_ms(10);
	ck_assert_msg(workers == 1, "verdict_judge_workers %g", workers);
	char said[400];
	snprintf(said, sizeof said, "settings file '%s'", conf);
	ck_assert_int_eq(test_log_count(&s, said), 1);
	ck_assert_int_eq(server_stop(&s), 0);

	/* A bad line stops every command before it does anything, naming the file and line. */
	f = fopen(conf, "a");
	fputs("workers = many\n", f);
	fclose(f);
	const char *serve[] = {"serve", "--config", conf, NULL};
	ck_assert_int_eq(test_run(&r, serve, NULL, NULL), 2);
	char where[400];
	snprintf(where, sizeof where, "%s:9: invalid workers 'many'", conf);
	ck_assert_msg(strstr(r.err, where), "%s", r.err);
	/* A named file that is missing is an error; the default one may be missing. */
	const char *missing[] = {"serve", "--config", "/nonexistent/verdict.conf", NULL};
	ck_assert_int_eq(test_run(&r, missing, NULL, NULL), 2);
	ck_assert_msg(strstr(r.err, "/nonexistent/verdict.conf"), "%s", r.err);
	server_cleanup(&s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("cli");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, version);
	tcase_add_test(tc, help);
	tcase_add_test(tc, command_help);
	tcase_add_test(tc, command_help_follows_the_option_table);
	tcase_add_test(tc, usage_errors);
	tcase_add_test(tc, bad_environment_values);
	tcase_add_test(tc, user_add);
	tcase_add_test(tc, every_flag_as_environment_variable);
	tcase_add_test(tc, flag_overrides_environment);
	tcase_add_test(tc, settings_file_configures_every_command);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
