/* Unit tests for config: defaults, VERDICT_* environment variables, flags
 * (config_set) and the messages for bad values. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

extern char **environ;

/* Removes every VERDICT_* variable, so that the caller's environment cannot leak in. */
static void clear_env(void)
{
	for (;;) {
		char **e = environ;
		while (*e && strncmp(*e, "VERDICT_", 8) != 0)
			e++;
		if (!*e)
			return;
		char name[128];
		size_t n = strcspn(*e, "=");
		snprintf(name, sizeof name, "%.*s", (int)n, *e);
		unsetenv(name);
	}
}

static void setup(void)
{
	clear_env();
}

START_TEST(defaults)
{
	struct config cfg;
	char *err = NULL;
	ck_assert_int_eq(config_init(&cfg, &err), 0);
	ck_assert_ptr_null(err);
	ck_assert_str_eq(cfg.listen_host, "127.0.0.1");
	ck_assert_uint_eq(cfg.listen_port, 8100);
	ck_assert_str_eq(cfg.data_dir, "./verdict-data");
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	ck_assert_int_eq(cfg.workers, cores > 0 ? (cores > 256 ? 256 : cores) : 1);
	ck_assert(!cfg.demo);
	ck_assert_uint_eq(cfg.max_body, 1024 * 1024);
	ck_assert_uint_eq(cfg.max_upload, 64 * 1024 * 1024);
	ck_assert_ptr_null(cfg.languages_file);
	ck_assert_int_eq(cfg.session_hours, 168);
	ck_assert_int_eq(cfg.log_level, LOG_INFO);
	ck_assert_ptr_null(cfg.port_file);
	config_release(&cfg);
}
END_TEST

START_TEST(every_flag_has_an_environment_variable)
{
	setenv("VERDICT_LISTEN", "0.0.0.0:9000", 1);
	setenv("VERDICT_DATA", "/tmp/somewhere", 1);
	setenv("VERDICT_WORKERS", "3", 1);
	setenv("VERDICT_DEMO", "1", 1);
	setenv("VERDICT_MAX_BODY", "2M", 1);
	setenv("VERDICT_MAX_UPLOAD", "10k", 1);
	setenv("VERDICT_LANGUAGES", "/etc/langs.json", 1);
	setenv("VERDICT_SESSION_HOURS", "5", 1);
	setenv("VERDICT_LOG_LEVEL", "warn", 1);
	setenv("VERDICT_PORT_FILE", "/tmp/port", 1);
	struct config cfg;
	char *err = NULL;
	ck_assert_int_eq(config_init(&cfg, &err), 0);
	ck_assert_str_eq(cfg.listen_host, "0.0.0.0");
	ck_assert_uint_eq(cfg.listen_port, 9000);
	ck_assert_str_eq(cfg.data_dir, "/tmp/somewhere");
	ck_assert_int_eq(cfg.workers, 3);
	ck_assert(cfg.demo);
	ck_assert_uint_eq(cfg.max_body, 2 * 1024 * 1024);
	ck_assert_uint_eq(cfg.max_upload, 10 * 1024);
	ck_assert_str_eq(cfg.languages_file, "/etc/langs.json");
	ck_assert_int_eq(cfg.session_hours, 5);
	ck_assert_int_eq(cfg.log_level, LOG_WARN);
	ck_assert_str_eq(cfg.port_file, "/tmp/port");
	config_release(&cfg);
}
END_TEST

START_TEST(bad_environment_value_names_the_variable)
{
	static const char *const cases[][2] = {
		{"VERDICT_LISTEN", "nowhere"}, {"VERDICT_WORKERS", "0"},         {"VERDICT_MAX_BODY", "lots"},
		{"VERDICT_MAX_UPLOAD", "1"},   {"VERDICT_SESSION_HOURS", "-3"}, {"VERDICT_LOG_LEVEL", "loud"},
		{"VERDICT_DATA", ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		clear_env();
		setenv(cases[i][0], cases[i][1], 1);
		struct config cfg;
		char *err = NULL;
		ck_assert_msg(config_init(&cfg, &err) == 2, "%s=%s accepted", cases[i][0], cases[i][1]);
		ck_assert_ptr_nonnull(err);
		ck_assert_msg(strstr(err, cases[i][0]) != NULL, "message '%s' does not name %s", err, cases[i][0]);
		ck_assert_msg(strchr(err, '\n') == NULL, "message '%s' is not one line", err);
		free(err);
		config_release(&cfg);
	}
}
END_TEST

START_TEST(unknown_variables_are_ignored)
{
	setenv("VERDICT_NO_SUCH_THING", "x", 1);
	struct config cfg;
	char *err = NULL;
	ck_assert_int_eq(config_init(&cfg, &err), 0);
	config_release(&cfg);
}
END_TEST

/* ---- config_set ---- */

static struct config cfg;

static void setup_cfg(void)
{
	clear_env();
	char *err = NULL;
	ck_assert_int_eq(config_init(&cfg, &err), 0);
}

static void teardown_cfg(void)
{
	config_release(&cfg);
}

static int set(const char *name, const char *value)
{
	char *err = NULL;
	int rc = config_set(&cfg, name, value, &err);
	if (rc == 2) {
		ck_assert_ptr_nonnull(err);
		ck_assert_msg(strstr(err, value) != NULL || !*value, "message '%s' does not quote '%s'", err, value);
		free(err);
	} else {
		ck_assert_ptr_null(err);
	}
	return rc;
}

START_TEST(listen_addresses)
{
	ck_assert_int_eq(set("listen", "localhost:0"), 0);
	ck_assert_str_eq(cfg.listen_host, "localhost");
	ck_assert_uint_eq(cfg.listen_port, 0);
	ck_assert_int_eq(set("listen", "[::1]:65535"), 0);
	ck_assert_str_eq(cfg.listen_host, "::1");
	ck_assert_uint_eq(cfg.listen_port, 65535);
	const char *bad[] = {"8100", ":8100", "host:", "host:65536", "host:-1", "host:80x", "host:1k", "", "host: 80"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(set("listen", bad[i]) == 2, "listen '%s' accepted", bad[i]);
	/* A refused value leaves the last good one. */
	ck_assert_str_eq(cfg.listen_host, "::1");
	ck_assert_uint_eq(cfg.listen_port, 65535);
}
END_TEST

START_TEST(sizes_take_suffixes)
{
	static const struct {
		const char *text;
		size_t value;
	} good[] = {{"1024", 1024}, {"1k", 1024}, {"1K", 1024}, {"3m", 3 << 20}, {"1M", 1 << 20}, {"2G", 2ULL << 30},
		    {"4G", 4ULL << 30}};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		ck_assert_int_eq(set("max-body", good[i].text), 0);
		ck_assert_uint_eq(cfg.max_body, good[i].value);
		ck_assert_int_eq(set("max-upload", good[i].text), 0);
		ck_assert_uint_eq(cfg.max_upload, good[i].value);
	}
	const char *bad[] = {"", "1023", "0", "1MB", "1T", "-1M", "+5", " 5k", "5 k", "1.5M", "5G", "0x400",
			     "99999999999999999999", "k"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_msg(set("max-body", bad[i]) == 2, "max-body '%s' accepted", bad[i]);
		ck_assert_msg(set("max-upload", bad[i]) == 2, "max-upload '%s' accepted", bad[i]);
	}
	ck_assert_uint_eq(cfg.max_body, 4ULL << 30);
}
END_TEST

START_TEST(numbers_in_range)
{
	ck_assert_int_eq(set("workers", "1"), 0);
	ck_assert_int_eq(cfg.workers, 1);
	ck_assert_int_eq(set("workers", "256"), 0);
	ck_assert_int_eq(cfg.workers, 256);
	const char *bad_workers[] = {"0", "257", "-1", "two", "", "1k"};
	for (size_t i = 0; i < sizeof bad_workers / sizeof bad_workers[0]; i++)
		ck_assert_msg(set("workers", bad_workers[i]) == 2, "workers '%s' accepted", bad_workers[i]);
	ck_assert_int_eq(set("session-hours", "8784"), 0);
	ck_assert_int_eq(cfg.session_hours, 8784);
	ck_assert_int_eq(set("session-hours", "8785"), 2);
	ck_assert_int_eq(set("session-hours", "0"), 2);
	ck_assert_int_eq(cfg.session_hours, 8784);
}
END_TEST

START_TEST(strings_and_switches)
{
	ck_assert_int_eq(set("data", "/var/lib/verdict"), 0);
	ck_assert_str_eq(cfg.data_dir, "/var/lib/verdict");
	ck_assert_int_eq(set("data", ""), 2);
	ck_assert_str_eq(cfg.data_dir, "/var/lib/verdict");
	ck_assert_int_eq(set("languages", "l.json"), 0);
	ck_assert_str_eq(cfg.languages_file, "l.json");
	ck_assert_int_eq(set("languages", ""), 0);
	ck_assert_ptr_null(cfg.languages_file);
	ck_assert_int_eq(set("port-file", "p"), 0);
	ck_assert_str_eq(cfg.port_file, "p");
	ck_assert_int_eq(set("demo", "yes"), 0);
	ck_assert(cfg.demo);
	const char *off[] = {"0", "false", "no"};
	for (size_t i = 0; i < 3; i++) {
		cfg.demo = true;
		ck_assert_int_eq(set("demo", off[i]), 0);
		ck_assert(!cfg.demo);
	}
	static const char *const levels[] = {"debug", "info", "warn", "error"};
	for (int i = 0; i < 4; i++) {
		ck_assert_int_eq(set("log-level", levels[i]), 0);
		ck_assert_int_eq(cfg.log_level, i);
	}
	ck_assert_int_eq(set("log-level", "WARN"), 2);
	ck_assert_int_eq(set("log-level", "trace"), 2);
}
END_TEST

START_TEST(unknown_names_are_not_config)
{
	static const char *const known[] = {"listen", "data", "workers", "demo", "max-body", "max-upload",
					    "languages", "session-hours", "log-level", "port-file"};
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		ck_assert_msg(config_has(known[i]), "%s", known[i]);
	ck_assert(!config_has("slug"));
	ck_assert(!config_has("admin"));
	ck_assert(!config_has("max_body"));
	ck_assert(!config_has(""));
	char *err = NULL;
	ck_assert_int_eq(config_set(&cfg, "slug", "x", &err), 1);
	ck_assert_int_eq(config_set(&cfg, "max_body", "1M", &err), 1);
	ck_assert_int_eq(config_set(&cfg, "", "x", &err), 1);
	ck_assert_ptr_null(err);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("environment");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, defaults);
	tcase_add_test(tc, every_flag_has_an_environment_variable);
	tcase_add_test(tc, bad_environment_value_names_the_variable);
	tcase_add_test(tc, unknown_variables_are_ignored);
	suite_add_tcase(s, tc);
	tc = tcase_create("config_set");
	tcase_add_checked_fixture(tc, setup_cfg, teardown_cfg);
	tcase_add_test(tc, listen_addresses);
	tcase_add_test(tc, sizes_take_suffixes);
	tcase_add_test(tc, numbers_in_range);
	tcase_add_test(tc, strings_and_switches);
	tcase_add_test(tc, unknown_names_are_not_config);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
