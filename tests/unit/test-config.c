/* Unit tests for config: defaults, VERDICT_* environment variables, flags
 * (config_set, config_parse_args), the messages for bad values, --help, and
 * README.md's option list against the option table. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "util.h"

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
		ck_assert_msg(config_init(&cfg, &err) == CONFIG_E_INVALID, "%s=%s accepted", cases[i][0], cases[i][1]);
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
	if (rc == CONFIG_E_INVALID) {
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
		ck_assert_msg(set("listen", bad[i]) == CONFIG_E_INVALID, "listen '%s' accepted", bad[i]);
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
		ck_assert_msg(set("max-body", bad[i]) == CONFIG_E_INVALID, "max-body '%s' accepted", bad[i]);
		ck_assert_msg(set("max-upload", bad[i]) == CONFIG_E_INVALID, "max-upload '%s' accepted", bad[i]);
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
		ck_assert_msg(set("workers", bad_workers[i]) == CONFIG_E_INVALID, "workers '%s' accepted", bad_workers[i]);
	ck_assert_int_eq(set("session-hours", "8784"), 0);
	ck_assert_int_eq(cfg.session_hours, 8784);
	ck_assert_int_eq(set("session-hours", "8785"), CONFIG_E_INVALID);
	ck_assert_int_eq(set("session-hours", "0"), CONFIG_E_INVALID);
	ck_assert_int_eq(cfg.session_hours, 8784);
}
END_TEST

START_TEST(strings_and_switches)
{
	ck_assert_int_eq(set("data", "/var/lib/verdict"), 0);
	ck_assert_str_eq(cfg.data_dir, "/var/lib/verdict");
	ck_assert_int_eq(set("data", ""), CONFIG_E_INVALID);
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
	ck_assert_int_eq(set("log-level", "WARN"), CONFIG_E_INVALID);
	ck_assert_int_eq(set("log-level", "trace"), CONFIG_E_INVALID);
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
	ck_assert_int_eq(config_set(&cfg, "slug", "x", &err), CONFIG_E_UNKNOWN);
	ck_assert_int_eq(config_set(&cfg, "max_body", "1M", &err), CONFIG_E_UNKNOWN);
	ck_assert_int_eq(config_set(&cfg, "", "x", &err), CONFIG_E_UNKNOWN);
	ck_assert_ptr_null(err);
}
END_TEST

/* ---- config_parse_args ---- */

/* Parses the NULL-terminated arguments of a command (args[0] is its name). */
static int parse(enum config_command cmd, int max, struct config_args *out, char **err, const char *const *args)
{
	int argc = 0;
	while (args[argc])
		argc++;
	return config_parse_args(&cfg, cmd, argc, (char **)args, max, out, err);
}

START_TEST(parse_both_forms)
{
	struct config_args a;
	char *err = NULL;
	ck_assert_int_eq(parse(CONFIG_SERVE, 0, &a, &err,
			       (const char *[]){"serve", "--listen", "1.2.3.4:5", "--workers=7", "--demo", "--max-body=2K",
						"--ws-ping-timeout", "1.5", NULL}),
			 0);
	ck_assert_str_eq(cfg.listen_host, "1.2.3.4");
	ck_assert_uint_eq(cfg.listen_port, 5);
	ck_assert_int_eq(cfg.workers, 7);
	ck_assert(cfg.demo);
	ck_assert_uint_eq(cfg.max_body, 2048);
	ck_assert_int_eq(cfg.ws_ping_timeout_ms, 1500);
	ck_assert(!a.help && a.count == 0);
	ck_assert_int_eq(parse(CONFIG_SERVE, 0, &a, &err, (const char *[]){"serve", "--demo=no", NULL}), 0);
	ck_assert(!cfg.demo);
	ck_assert_int_eq(parse(CONFIG_USER, 2, &a, &err,
			       (const char *[]){"user", "add", "--admin", "bob", "--data=d", "--workers", "3", NULL}),
			 0);
	ck_assert_int_eq(a.count, 2);
	ck_assert_str_eq(a.positional[0], "add");
	ck_assert_str_eq(a.positional[1], "bob");
	ck_assert(a.admin);
	ck_assert_str_eq(cfg.data_dir, "d");
	ck_assert_int_eq(cfg.workers, 3);
	ck_assert_int_eq(parse(CONFIG_PROBLEM, 2, &a, &err, (const char *[]){"problem", "import", "--", "--slug=s", NULL}),
			 0);
	ck_assert_str_eq(a.positional[1], "--");
	ck_assert_str_eq(a.slug, "s");
	ck_assert_int_eq(parse(CONFIG_PROBLEM, 2, &a, &err, (const char *[]){"problem", "--slug", "t", NULL}), 0);
	ck_assert_str_eq(a.slug, "t");
	/* --help stops the reading, wherever it stands. */
	ck_assert_int_eq(parse(CONFIG_SERVE, 0, &a, &err, (const char *[]){"serve", "--help", "--frobnicate", NULL}), 0);
	ck_assert(a.help);
	ck_assert_ptr_null(err);
}
END_TEST

START_TEST(parse_errors)
{
	static const struct {
		enum config_command cmd;
		const char *args[5];
		int rc;
		const char *says;
	} cases[] = {
		{CONFIG_SERVE, {"serve", "--frobnicate", NULL}, CONFIG_E_UNKNOWN, "unknown option '--frobnicate'"},
		{CONFIG_SERVE, {"serve", "--slug", "x", NULL}, CONFIG_E_UNKNOWN, "'--slug' (see 'verdict serve --help')"},
		{CONFIG_SERVE, {"serve", "--admin", NULL}, CONFIG_E_UNKNOWN, "'--admin'"},
		{CONFIG_SERVE, {"serve", "stray", NULL}, CONFIG_E_UNKNOWN, "unexpected argument 'stray'"},
		{CONFIG_USER, {"user", "--demo", NULL}, CONFIG_E_UNKNOWN, "'--demo'"},
		{CONFIG_USER, {"user", "--admin=yes", NULL}, CONFIG_E_INVALID, "'--admin' takes no value"},
		{CONFIG_PROBLEM, {"problem", "--slug", NULL}, CONFIG_E_INVALID, "'--slug' needs a value"},
		{CONFIG_SERVE, {"serve", "--listen", NULL}, CONFIG_E_INVALID, "'--listen' needs a value"},
		{CONFIG_USER, {"user", "--workers", "-1", NULL}, CONFIG_E_INVALID, "invalid workers '-1'"},
		{CONFIG_SERVE, {"serve", "--max-body=10", NULL}, CONFIG_E_INVALID, "invalid max-body '10'"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct config_args a;
		char *err = NULL;
		int rc = parse(cases[i].cmd, 0, &a, &err, cases[i].args);
		ck_assert_msg(rc == cases[i].rc, "%s %s: %d", cases[i].args[0], cases[i].args[1], rc);
		ck_assert_msg(err && strstr(err, cases[i].says), "'%s' does not say \"%s\"", err, cases[i].says);
		free(err);
	}
}
END_TEST

/* ---- --help and README.md ---- */

static const struct {
	enum config_command cmd;
	const char *name;
} commands[] = {{CONFIG_SERVE, "serve"},     {CONFIG_USER, "user"}, {CONFIG_PROBLEM, "problem"},
		{CONFIG_BACKUP, "backup"}, {CONFIG_RESTORE, "restore"}, {CONFIG_DOCTOR, "doctor"}};

START_TEST(help_lists_each_commands_options)
{
	for (size_t c = 0; c < ARRAY_SIZE(commands); c++) {
		char *text = NULL;
		size_t len = 0;
		FILE *out = open_memstream(&text, &len);
		config_print_help(out, commands[c].cmd);
		fclose(out);
		for (size_t i = 0; i < config_option_count; i++) {
			const struct config_option *o = &config_options[i];
			char line[128];
			snprintf(line, sizeof line, "  --%s%s%s ", o->name, o->value ? " " : "", o->value ? o->value : "");
			bool listed = strstr(text, line) != NULL;
			ck_assert_msg(listed == ((o->commands & commands[c].cmd) != 0), "%s --help %s --%s:\n%s",
				      commands[c].name, listed ? "lists" : "does not list", o->name, text);
			if (listed && o->def) {
				snprintf(line, sizeof line, "(default %s)\n", o->def);
				ck_assert_msg(strstr(text, line), "%s --help: no '%s'", commands[c].name, line);
			}
		}
		free(text);
	}
}
END_TEST

/* The row README.md's option table must hold for o. */
static void readme_row(const struct config_option *o, char *row, size_t size)
{
	char cmds[64] = "", env[64] = "", def[64] = "";
	for (size_t c = 0; c < ARRAY_SIZE(commands); c++)
		if (o->commands & commands[c].cmd)
			snprintf(cmds + strlen(cmds), sizeof cmds - strlen(cmds), "%s%s", *cmds ? ", " : "",
				 commands[c].name);
	if (o->kind != CONFIG_FLAG && o->kind != CONFIG_STRING) {
		snprintf(env, sizeof env, "`VERDICT_");
		for (const char *p = o->name; *p; p++)
			snprintf(env + strlen(env), sizeof env - strlen(env), "%c", *p == '-' ? '_' : *p - 'a' + 'A');
		strcat(env, "`");
	}
	if (o->def)
		snprintf(def, sizeof def, "`%s`", o->def);
	snprintf(row, size, "| `--%s%s%s` | %s | %s | %s | %s |", o->name, o->value ? " " : "",
		 o->value ? o->value : "", cmds, def, env, o->help);
}

START_TEST(readme_lists_the_option_table)
{
	const char *path = getenv("TEST_README");
	ck_assert_msg(path != NULL, "TEST_README is not set (tests/meson.build)");
	FILE *f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot open '%s'", path);
	char line[1024];
	bool seen[64] = {false};
	ck_assert_uint_le(config_option_count, ARRAY_SIZE(seen));
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "| `--", 5) != 0)
			continue;
		size_t i = 0;
		char row[1024];
		for (; i < config_option_count; i++) {
			readme_row(&config_options[i], row, sizeof row);
			if (strcmp(line, row) == 0)
				break;
		}
		ck_assert_msg(i < config_option_count, "README.md has an option row the table does not: %s", line);
		ck_assert_msg(!seen[i], "README.md lists --%s twice", config_options[i].name);
		seen[i] = true;
	}
	fclose(f);
	for (size_t i = 0; i < config_option_count; i++) {
		char row[1024];
		readme_row(&config_options[i], row, sizeof row);
		ck_assert_msg(seen[i], "README.md does not list --%s as:\n%s", config_options[i].name, row);
	}
}
END_TEST

/* ---- the settings file ---- */

/* Writes text to a fresh temporary file; its path goes to path. */
static void write_file(char *path, size_t size, const char *text)
{
	snprintf(path, size, "/tmp/verdict-conf-XXXXXX");
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

START_TEST(file_sets_every_kind_below_the_environment)
{
	char path[64];
	write_file(path, sizeof path,
		   "# verdict settings\n"
		   "\n"
		   "listen = 0.0.0.0:9100\n"
		   "  data=/srv/verdict  \n"
		   "workers = 3\r\n"
		   "demo = true\n"
		   "max-body = 2M\n"
		   "languages = \"/etc/verdict/my langs.json\"\n"
		   "log-level = warn\n"
		   "idle-timeout = 2.5\n"
		   "cookie-secure = always\n"
		   "trusted-proxy = 10.0.0.1\n");
	setenv("VERDICT_WORKERS", "5", 1);
	struct config c;
	char *err = NULL;
	ck_assert_msg(config_load(&c, path, true, &err) == 0, "%s", err);
	ck_assert_str_eq(c.listen_host, "0.0.0.0");
	ck_assert_uint_eq(c.listen_port, 9100);
	ck_assert_str_eq(c.data_dir, "/srv/verdict");
	ck_assert_int_eq(c.workers, 5); /* the environment wins */
	ck_assert(c.demo);
	ck_assert_uint_eq(c.max_body, 2 * 1024 * 1024);
	ck_assert_str_eq(c.languages_file, "/etc/verdict/my langs.json");
	ck_assert_int_eq(c.log_level, LOG_WARN);
	ck_assert_int_eq(c.idle_timeout_ms, 2500);
	ck_assert_int_eq(c.cookie_secure, CONFIG_COOKIE_SECURE_ALWAYS);
	ck_assert_str_eq(c.trusted_proxy, "10.0.0.1");
	ck_assert_str_eq(c.config_file, path);
	/* A flag wins over both. */
	struct config_args args;
	char *argv[] = {"serve", "--workers", "7", "--data=/elsewhere", NULL};
	ck_assert_int_eq(config_parse_args(&c, CONFIG_SERVE, 4, argv, 0, &args, &err), 0);
	ck_assert_int_eq(c.workers, 7);
	ck_assert_str_eq(c.data_dir, "/elsewhere");
	config_release(&c);
	unlink(path);
}
END_TEST

START_TEST(bad_file_lines_name_the_file_and_line)
{
	static const char *const cases[][2] = {
		{"listen = 127.0.0.1:1\nworkers = 0\n", ":2: invalid workers '0'"},
		{"# fine\nno-such-thing = 1\n", ":2: unknown setting 'no-such-thing'"},
		{"admin = 1\n", ":1: unknown setting 'admin'"},
		{"\n\njust words\n", ":3: expected 'name = value'"},
		{"config = /etc/other.conf\n", ":1: a settings file cannot name another one"},
		{"max-body = lots\n", ":1: invalid max-body 'lots'"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char path[64];
		write_file(path, sizeof path, cases[i][0]);
		struct config c;
		char *err = NULL;
		ck_assert_msg(config_load(&c, path, true, &err) != 0, "'%s' accepted", cases[i][0]);
		ck_assert_msg(err && strstr(err, path) && strstr(err, cases[i][1]), "'%s': message '%s', expected '%s'",
			      cases[i][0], err ? err : "", cases[i][1]);
		free(err);
		config_release(&c);
		unlink(path);
	}
}
END_TEST

START_TEST(missing_file_is_an_error_only_when_named)
{
	struct config c;
	char *err = NULL;
	ck_assert_int_eq(config_load(&c, "/nonexistent/verdict.conf", false, &err), 0);
	ck_assert_ptr_null(c.config_file);
	config_release(&c);
	ck_assert_int_ne(config_load(&c, "/nonexistent/verdict.conf", true, &err), 0);
	ck_assert_msg(strstr(err, "/nonexistent/verdict.conf") && strstr(err, "No such file"), "%s", err);
	free(err);
	config_release(&c);
}
END_TEST

START_TEST(file_choice_flag_then_environment_then_default)
{
	bool required;
	char *flag[] = {"serve", "--workers", "2", "--config", "/a.conf", NULL};
	char *flag_eq[] = {"user", "add", "x", "--config=/b.conf", NULL};
	char *none[] = {"serve", "--config=", NULL};
	char *plain[] = {"serve", "--", "--config", "/c.conf", NULL};
	setenv("VERDICT_CONFIG", "/env.conf", 1);
	ck_assert_str_eq(config_file_choice(5, flag, &required), "/a.conf");
	ck_assert(required);
	ck_assert_str_eq(config_file_choice(4, flag_eq, &required), "/b.conf");
	ck_assert_ptr_null(config_file_choice(2, none, &required));
	ck_assert_str_eq(config_file_choice(4, plain, &required), "/env.conf");
	ck_assert(required);
	setenv("VERDICT_CONFIG", "", 1);
	ck_assert_ptr_null(config_file_choice(4, plain, &required));
	unsetenv("VERDICT_CONFIG");
	ck_assert_str_eq(config_file_choice(4, plain, &required), CONFIG_DEFAULT_FILE);
	ck_assert(!required);
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
	tc = tcase_create("file");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, file_sets_every_kind_below_the_environment);
	tcase_add_test(tc, bad_file_lines_name_the_file_and_line);
	tcase_add_test(tc, missing_file_is_an_error_only_when_named);
	tcase_add_test(tc, file_choice_flag_then_environment_then_default);
	suite_add_tcase(s, tc);
	tc = tcase_create("config_set");
	tcase_add_checked_fixture(tc, setup_cfg, teardown_cfg);
	tcase_add_test(tc, listen_addresses);
	tcase_add_test(tc, sizes_take_suffixes);
	tcase_add_test(tc, numbers_in_range);
	tcase_add_test(tc, strings_and_switches);
	tcase_add_test(tc, unknown_names_are_not_config);
	tcase_add_test(tc, parse_both_forms);
	tcase_add_test(tc, parse_errors);
	suite_add_tcase(s, tc);
	tc = tcase_create("table");
	tcase_add_test(tc, help_lists_each_commands_options);
	tcase_add_test(tc, readme_lists_the_option_table);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
