/* Configuration: the option table, then defaults, VERDICT_* environment
 * variables and flags, in that order, all read through the table. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <unistd.h>

#include "util.h"

#ifndef VERDICT_VERSION
#error "VERDICT_VERSION comes from meson.build (src/meson.build, part_args)"
#endif
const char config_version[] = VERDICT_VERSION;

#define SETTING(field) offsetof(struct config, field)
#define ARG(field) offsetof(struct config_args, field)
#define ALL (CONFIG_SERVE | CONFIG_USER | CONFIG_PROBLEM | CONFIG_BACKUP | CONFIG_RESTORE | CONFIG_DOCTOR)

const struct config_option config_options[] = {
	{"listen", CONFIG_ADDRESS, "ADDR:PORT", "127.0.0.1:8100", "where to listen; port 0 picks a free one",
	 CONFIG_SERVE, SETTING(listen_host), 0, 0},
	{"data", CONFIG_PATH, "DIR", "./verdict-data", "the data dir, which holds the database", ALL,
	 SETTING(data_dir), 0, 0},
	{"workers", CONFIG_COUNT, "N", NULL, "judge worker processes (default: the number of cores)", CONFIG_SERVE,
	 SETTING(workers), 1, 256},
	{"demo", CONFIG_SWITCH, NULL, NULL, "create an admin (password printed) and a sample problem if missing",
	 CONFIG_SERVE, SETTING(demo), 0, 0},
	{"max-body", CONFIG_SIZE, "SIZE", "1M", "largest JSON request body", CONFIG_SERVE, SETTING(max_body), 1024,
	 1LL << 32},
	{"max-upload", CONFIG_SIZE, "SIZE", "64M", "largest problem package upload", CONFIG_SERVE,
	 SETTING(max_upload), 1024, 1LL << 32},
	{"languages", CONFIG_FILE, "FILE", NULL, "extra language definitions (JSON)", CONFIG_SERVE,
	 SETTING(languages_file), 0, 0},
	{"session-hours", CONFIG_COUNT, "N", "168", "login session lifetime", CONFIG_SERVE, SETTING(session_hours), 1,
	 24 * 366},
	{"session-seconds", CONFIG_COUNT, "S", NULL, "the lifetime in seconds instead (for tests)", CONFIG_SERVE,
	 SETTING(session_seconds), 1, 24 * 366 * 3600},
	{"cookie-secure", CONFIG_CHOICE, "auto/always/never", "auto",
	 "when the session cookie says Secure (auto: when a trusted proxy says https)", CONFIG_SERVE,
	 SETTING(cookie_secure), 0, 0},
	{"trusted-proxy", CONFIG_IP, "ADDR", NULL, "the proxy whose X-Forwarded-Proto is believed", CONFIG_SERVE,
	 SETTING(trusted_proxy), 0, 0},
	{"log-level", CONFIG_LEVEL, "LEVEL", "info", "debug, info, warn or error", CONFIG_SERVE, SETTING(log_level),
	 0, 0},
	{"port-file", CONFIG_FILE, "FILE", NULL, "write the port to FILE once listening", CONFIG_SERVE,
	 SETTING(port_file), 0, 0},
	{"ws-max-per-user", CONFIG_COUNT, "N", "64", "WebSocket connections one user may hold", CONFIG_SERVE,
	 SETTING(ws_max_per_user), 1, 100000},
	{"ws-ping-interval", CONFIG_SECONDS, "S", "30", "ping a silent WebSocket after S seconds", CONFIG_SERVE,
	 SETTING(ws_ping_interval_ms), 0, 0},
	{"ws-ping-timeout", CONFIG_SECONDS, "S", "20", "drop it when the answer takes over S seconds", CONFIG_SERVE,
	 SETTING(ws_ping_timeout_ms), 0, 0},
	{"login-pair-failures", CONFIG_COUNT, "N", "10", "failed logins of one name from one address before refusing it",
	 CONFIG_SERVE, SETTING(login_pair_failures), 1, 1000000},
	{"login-address-failures", CONFIG_COUNT, "N", "150", "failed logins from one address, any names, before refusing it",
	 CONFIG_SERVE, SETTING(login_address_failures), 1, 1000000},
	{"login-window", CONFIG_COUNT, "S", "300", "seconds the two login limits count over", CONFIG_SERVE,
	 SETTING(login_window), 1, 86400},
	{"hash-threads", CONFIG_COUNT, "N", "2", "threads that check passwords", CONFIG_SERVE, SETTING(hash_threads), 1,
	 64},
	{"hash-queue", CONFIG_COUNT, "N", "64", "logins that may wait for them (per queue) before 429", CONFIG_SERVE,
	 SETTING(hash_queue), 1, 100000},
	{"header-timeout", CONFIG_SECONDS, "S", "10", "a request head must arrive within S seconds", CONFIG_SERVE,
	 SETTING(header_timeout_ms), 0, 0},
	{"body-timeout", CONFIG_SECONDS, "S", "30", "least time a request body may take, more when large",
	 CONFIG_SERVE, SETTING(body_timeout_ms), 0, 0},
	{"idle-timeout", CONFIG_SECONDS, "S", "5", "close a connection silent for S seconds", CONFIG_SERVE,
	 SETTING(idle_timeout_ms), 0, 0},
	{"clics-keepalive", CONFIG_SECONDS, "S", "120", "write a newline to a CLICS event feed silent for S seconds",
	 CONFIG_SERVE, SETTING(clics_keepalive_ms), 0, 0},
	{"max-conns-per-address", CONFIG_COUNT, "N", "512", "open connections per client address; beyond, 429",
	 CONFIG_SERVE, SETTING(max_conns_per_address), 1, 1000000},
	{"submissions-per-minute", CONFIG_COUNT, "N", "20", "submissions one user may make in any minute (0: any)",
	 CONFIG_SERVE, SETTING(submissions_per_minute), 0, 1000000},
	{"queued-per-user", CONFIG_COUNT, "N", "10", "one user's submissions waiting or being judged (0: any)",
	 CONFIG_SERVE, SETTING(queued_per_user), 0, 1000000},
	{"compile-time", CONFIG_SECONDS, "S", "10", "least CPU seconds a compile may take (a language may give more; wall: twice)",
	 CONFIG_SERVE, SETTING(compile_time_ms), 0, 0},
	{"judge-log-max", CONFIG_SIZE, "SIZE", "64K", "judge log kept per submission; the rest is counted",
	 CONFIG_SERVE, SETTING(judge_log_max), 4096, 16 << 20},
	{"max-tests", CONFIG_COUNT, "N", "5000", "test cases a problem package may have", CONFIG_SERVE | CONFIG_PROBLEM,
	 SETTING(max_tests), 1, 1000000},
	{"admin", CONFIG_FLAG, NULL, NULL, "the user may manage problems, users and rejudges", CONFIG_USER,
	 ARG(admin), 0, 0},
	{"replace", CONFIG_FLAG, NULL, NULL, "overwrite the data dir's database (never one a server holds)",
	 CONFIG_RESTORE, ARG(replace), 0, 0},
	{"json", CONFIG_FLAG, NULL, NULL, "print the protections as JSON (GET /api/judge's \"protections\")",
	 CONFIG_DOCTOR, ARG(json), 0, 0},
	{"config", CONFIG_FILE, "FILE", NULL,
	 "settings file, one 'name = value' per line (default: " CONFIG_DEFAULT_FILE " if it exists)", ALL,
	 SETTING(config_file), 0, 0},
	{"slug", CONFIG_STRING, "SLUG", NULL, "the problem's slug (default: the package folder's name)",
	 CONFIG_PROBLEM, ARG(slug), 0, 0},
};
const size_t config_option_count = ARRAY_SIZE(config_options);

static bool is_setting(const struct config_option *o)
{
	return o->kind != CONFIG_FLAG && o->kind != CONFIG_STRING;
}

static const struct config_option *find_option(const char *name, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(config_options); i++)
		if (strncmp(config_options[i].name, name, len) == 0 && config_options[i].name[len] == '\0')
			return &config_options[i];
	return NULL;
}

static int parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;
	if (!s || !*s || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || v > max)
		return -1;
	/* Sizes may carry a K, M or G suffix. */
	unsigned long long mult = 1;
	if (*end == 'K' || *end == 'k')
		mult = 1024, end++;
	else if (*end == 'M' || *end == 'm')
		mult = 1024 * 1024, end++;
	else if (*end == 'G' || *end == 'g')
		mult = 1024ULL * 1024 * 1024, end++;
	if (*end || v > max / mult)
		return -1;
	*out = v * mult;
	return 0;
}

static int set_listen(struct config *cfg, const char *value, char **err)
{
	const char *colon = strrchr(value, ':');
	unsigned long long port;
	/* Digits only: parse_uint would take "8k" as 8192. */
	if (!colon || colon == value || strspn(colon + 1, "0123456789") != strlen(colon + 1) ||
	    parse_uint(colon + 1, 65535, &port) != 0) {
		*err = xasprintf("invalid listen address '%s': expected HOST:PORT, e.g. 127.0.0.1:8100", value);
		return CONFIG_E_INVALID;
	}
	free(cfg->listen_host);
	const char *host = value;
	size_t host_len = (size_t)(colon - value);
	if (host[0] == '[' && host_len > 2 && host[host_len - 1] == ']')
		host++, host_len -= 2;
	cfg->listen_host = xstrndup(host, host_len);
	cfg->listen_port = (uint16_t)port;
	return 0;
}

/* A CONFIG_CHOICE: the index of value among the words of o->value. */
static int set_choice(const struct config_option *o, int *field, const char *value, char **err)
{
	size_t len = strlen(value);
	int index = 0;
	for (const char *p = o->value; *p; index++) {
		size_t n = strcspn(p, "/");
		if (n == len && strncmp(p, value, n) == 0) {
			*field = index;
			return 0;
		}
		p += n + (p[n] == '/');
	}
	*err = xasprintf("invalid %s '%s': expected one of %s", o->name, value, o->value);
	return CONFIG_E_INVALID;
}

/* Sets the setting o from value; a refused value leaves the field as it was. */
static int set_value(struct config *cfg, const struct config_option *o, const char *value, char **err)
{
	void *field = (char *)cfg + o->offset;
	unsigned long long v;
	switch (o->kind) {
	case CONFIG_ADDRESS:
		return set_listen(cfg, value, err);
	case CONFIG_PATH:
	case CONFIG_FILE:
		if (o->kind == CONFIG_PATH && !*value) {
			*err = xasprintf("invalid %s: empty path", o->name);
			return CONFIG_E_INVALID;
		}
		free(*(char **)field);
		*(char **)field = *value ? xstrdup(value) : NULL;
		return 0;
	case CONFIG_COUNT:
		if (parse_uint(value, (unsigned long long)o->max, &v) != 0 || v < (unsigned long long)o->min) {
			*err = xasprintf("invalid %s '%s': expected a number from %lld to %lld", o->name, value, o->min,
					 o->max);
			return CONFIG_E_INVALID;
		}
		*(int *)field = (int)v;
		return 0;
	case CONFIG_SIZE:
		if (parse_uint(value, (unsigned long long)o->max, &v) != 0 || v < (unsigned long long)o->min) {
			*err = xasprintf("invalid %s '%s': expected a size of at least %lld bytes, e.g. 1M", o->name,
					 value, o->min);
			return CONFIG_E_INVALID;
		}
		*(size_t *)field = (size_t)v;
		return 0;
	case CONFIG_SECONDS: {
		char *end;
		double seconds = strtod(value, &end);
		if (!*value || *end || !(seconds >= 0.05 && seconds <= 86400)) {
			*err = xasprintf("invalid %s '%s': expected seconds from 0.05 to 86400", o->name, value);
			return CONFIG_E_INVALID;
		}
		*(int *)field = (int)(seconds * 1000);
		return 0;
	}
	case CONFIG_CHOICE:
		return set_choice(o, field, value, err);
	case CONFIG_IP: {
		unsigned char addr[16];
		if (*value && inet_pton(AF_INET, value, addr) != 1 && inet_pton(AF_INET6, value, addr) != 1) {
			*err = xasprintf("invalid %s '%s': expected an IPv4 or IPv6 address", o->name, value);
			return CONFIG_E_INVALID;
		}
		free(*(char **)field);
		*(char **)field = *value ? xstrdup(value) : NULL;
		return 0;
	}
	case CONFIG_LEVEL:
		if (!log_parse_level(value, (enum log_level *)field)) {
			*err = xasprintf("invalid %s '%s': expected debug, info, warn or error", o->name, value);
			return CONFIG_E_INVALID;
		}
		return 0;
	case CONFIG_SWITCH:
		*(bool *)field = !(strcmp(value, "0") == 0 || strcmp(value, "false") == 0 || strcmp(value, "no") == 0);
		return 0;
	case CONFIG_FLAG:
	case CONFIG_STRING:
		break;
	}
	return CONFIG_E_UNKNOWN;
}

int config_set(struct config *cfg, const char *name, const char *value, char **err)
{
	const struct config_option *o = find_option(name, strlen(name));
	if (!o || !is_setting(o))
		return CONFIG_E_UNKNOWN;
	return set_value(cfg, o, value, err);
}

bool config_has(const char *name)
{
	const struct config_option *o = find_option(name, strlen(name));
	return o && is_setting(o);
}

static void set_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	cfg->workers = cores > 0 ? (int)(cores > 256 ? 256 : cores) : 1;
	for (size_t i = 0; i < ARRAY_SIZE(config_options); i++) {
		const struct config_option *o = &config_options[i];
		char *msg = NULL;
		if (o->def && set_value(cfg, o, o->def, &msg) != 0)
			abort(); /* a default in the table is not a valid value */
	}
}

static int read_env(struct config *cfg, char **err)
{
	for (size_t i = 0; i < ARRAY_SIZE(config_options); i++) {
		const struct config_option *o = &config_options[i];
		if (!is_setting(o))
			continue;
		/* VERDICT_MAX_BODY for max-body, and so on. */
		char env[64] = "VERDICT_";
		size_t n = strlen(env);
		for (const char *p = o->name; *p && n < sizeof env - 1; p++)
			env[n++] = *p == '-' ? '_' : (char)toupper((unsigned char)*p);
		env[n] = '\0';
		const char *value = getenv(env);
		if (!value)
			continue;
		char *msg = NULL;
		if (set_value(cfg, o, value, &msg) != 0) {
			*err = xasprintf("%s (from %s)", msg, env);
			free(msg);
			return CONFIG_E_INVALID;
		}
	}
	return 0;
}

int config_init(struct config *cfg, char **err)
{
	return config_load(cfg, NULL, false, err);
}

int config_load(struct config *cfg, const char *file, bool required, char **err)
{
	set_defaults(cfg);
	if (file) {
		int rc = config_read_file(cfg, file, required, err);
		if (rc != 0)
			return rc;
	}
	return read_env(cfg, err);
}

const char *config_file_choice(int argc, char **argv, bool *required)
{
	*required = true;
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strncmp(argv[i], "--config=", 9) == 0)
			return argv[i][9] ? argv[i] + 9 : NULL;
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			return argv[i + 1][0] ? argv[i + 1] : NULL;
	}
	const char *env = getenv("VERDICT_CONFIG");
	if (env)
		return env[0] ? env : NULL;
	*required = false;
	return CONFIG_DEFAULT_FILE;
}

/* Whether cmd takes o: the options it is for, and every setting with a value. */
static bool takes(const struct config_option *o, enum config_command cmd)
{
	return (o->commands & cmd) || (is_setting(o) && o->kind != CONFIG_SWITCH);
}

int config_parse_args(struct config *cfg, enum config_command cmd, int argc, char **argv, int max,
		      struct config_args *args, char **err)
{
	const char *cmd_name = argv[0];
	memset(args, 0, sizeof *args);
	if (max > CONFIG_MAX_POSITIONAL)
		max = CONFIG_MAX_POSITIONAL;
	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
			if (args->count == max) {
				*err = xasprintf("unexpected argument '%s' (see 'verdict %s --help')", a, cmd_name);
				return CONFIG_E_UNKNOWN;
			}
			args->positional[args->count++] = a;
			continue;
		}
		const char *name = a + 2, *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);
		if (len == 4 && strncmp(name, "help", 4) == 0) {
			args->help = true;
			return 0;
		}
		const struct config_option *o = find_option(name, len);
		if (!o || !takes(o, cmd)) {
			*err = xasprintf("unknown option '%s' (see 'verdict %s --help')", a, cmd_name);
			return CONFIG_E_UNKNOWN;
		}
		if (o->kind == CONFIG_FLAG) {
			if (eq) {
				*err = xasprintf("option '--%s' takes no value", o->name);
				return CONFIG_E_INVALID;
			}
			*(bool *)((char *)args + o->offset) = true;
			continue;
		}
		/* --demo, or --demo=false as VERDICT_DEMO=false would say */
		const char *value = eq ? eq + 1 : o->kind == CONFIG_SWITCH ? "1" : i + 1 < argc ? argv[++i] : NULL;
		if (!value) {
			*err = xasprintf("option '--%s' needs a value", o->name);
			return CONFIG_E_INVALID;
		}
		if (o->kind == CONFIG_STRING) {
			*(const char **)((char *)args + o->offset) = value;
			continue;
		}
		int rc = set_value(cfg, o, value, err);
		if (rc != 0)
			return rc;
	}
	return 0;
}

void config_print_help(FILE *out, enum config_command cmd)
{
	for (size_t i = 0; i < ARRAY_SIZE(config_options); i++) {
		const struct config_option *o = &config_options[i];
		if (!(o->commands & cmd))
			continue;
		char left[64];
		snprintf(left, sizeof left, "%s%s%s", o->name, o->value ? " " : "", o->value ? o->value : "");
		fprintf(out, "  --%-18s %s", left, o->help);
		if (o->def)
			fprintf(out, " (default %s)", o->def);
		fputc('\n', out);
	}
}

void config_release(struct config *cfg)
{
	free(cfg->listen_host);
	free(cfg->data_dir);
	free(cfg->languages_file);
	free(cfg->port_file);
	free(cfg->trusted_proxy);
	free(cfg->config_file);
	memset(cfg, 0, sizeof *cfg);
}
