/* Configuration: defaults, then VERDICT_* environment, then flags (main.c). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

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
		return 2;
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

/* The settings given in seconds and kept in milliseconds. */
static int *seconds_setting(struct config *cfg, const char *name)
{
	const struct {
		const char *name;
		int *ms;
	} table[] = {
		{"ws-ping-interval", &cfg->ws_ping_interval_ms}, {"ws-ping-timeout", &cfg->ws_ping_timeout_ms},
		{"header-timeout", &cfg->header_timeout_ms},     {"body-timeout", &cfg->body_timeout_ms},
		{"idle-timeout", &cfg->idle_timeout_ms},
	};
	for (size_t i = 0; i < ARRAY_SIZE(table); i++)
		if (strcmp(name, table[i].name) == 0)
			return table[i].ms;
	return NULL;
}

int config_set(struct config *cfg, const char *name, const char *value, char **err)
{
	unsigned long long v;
	if (strcmp(name, "listen") == 0)
		return set_listen(cfg, value, err);
	if (strcmp(name, "data") == 0) {
		if (!*value) {
			*err = xstrdup("invalid data dir: empty path");
			return 2;
		}
		free(cfg->data_dir);
		cfg->data_dir = xstrdup(value);
		return 0;
	}
	if (strcmp(name, "workers") == 0) {
		if (parse_uint(value, 256, &v) != 0 || v == 0) {
			*err = xasprintf("invalid workers '%s': expected a number from 1 to 256", value);
			return 2;
		}
		cfg->workers = (int)v;
		return 0;
	}
	if (strcmp(name, "demo") == 0) {
		cfg->demo = !(strcmp(value, "0") == 0 || strcmp(value, "false") == 0 || strcmp(value, "no") == 0);
		return 0;
	}
	if (strcmp(name, "max-body") == 0 || strcmp(name, "max-upload") == 0) {
		if (parse_uint(value, 1ULL << 32, &v) != 0 || v < 1024) {
			*err = xasprintf("invalid %s '%s': expected a size of at least 1024 bytes, e.g. 1M", name, value);
			return 2;
		}
		*(name[4] == 'b' ? &cfg->max_body : &cfg->max_upload) = (size_t)v;
		return 0;
	}
	if (strcmp(name, "languages") == 0) {
		free(cfg->languages_file);
		cfg->languages_file = *value ? xstrdup(value) : NULL;
		return 0;
	}
	if (strcmp(name, "session-hours") == 0) {
		if (parse_uint(value, 24 * 366, &v) != 0 || v == 0) {
			*err = xasprintf("invalid session-hours '%s': expected 1 to 8784", value);
			return 2;
		}
		cfg->session_hours = (int)v;
		return 0;
	}
	if (strcmp(name, "log-level") == 0) {
		if (!log_parse_level(value, &cfg->log_level)) {
			*err = xasprintf("invalid log-level '%s': expected debug, info, warn or error", value);
			return 2;
		}
		return 0;
	}
	if (strcmp(name, "ws-max-per-user") == 0) {
		if (parse_uint(value, 100000, &v) != 0 || v == 0) {
			*err = xasprintf("invalid ws-max-per-user '%s': expected 1 to 100000", value);
			return 2;
		}
		cfg->ws_max_per_user = (int)v;
		return 0;
	}
	int *ms = seconds_setting(cfg, name);
	if (ms) {
		char *end;
		double seconds = strtod(value, &end);
		if (!*value || *end || !(seconds >= 0.05 && seconds <= 86400)) {
			*err = xasprintf("invalid %s '%s': expected seconds from 0.05 to 86400", name, value);
			return 2;
		}
		*ms = (int)(seconds * 1000);
		return 0;
	}
	if (strcmp(name, "max-conns-per-address") == 0) {
		if (parse_uint(value, 1000000, &v) != 0 || v == 0) {
			*err = xasprintf("invalid max-conns-per-address '%s': expected 1 to 1000000", value);
			return 2;
		}
		cfg->max_conns_per_address = (int)v;
		return 0;
	}
	if (strcmp(name, "port-file") == 0) {
		free(cfg->port_file);
		cfg->port_file = *value ? xstrdup(value) : NULL;
		return 0;
	}
	return 1;
}

static const char *const names[] = {"listen",    "data",          "workers",   "demo",     "max-body",
				    "max-upload", "languages", "session-hours", "log-level", "port-file",
				    "ws-max-per-user", "ws-ping-interval", "ws-ping-timeout", "header-timeout",
				    "body-timeout", "idle-timeout", "max-conns-per-address"};

bool config_has(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

int config_init(struct config *cfg, char **err)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->listen_host = xstrdup("127.0.0.1");
	cfg->listen_port = 8100;
	cfg->data_dir = xstrdup("./verdict-data");
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	cfg->workers = cores > 0 ? (int)(cores > 256 ? 256 : cores) : 1;
	cfg->max_body = 1024 * 1024;
	cfg->max_upload = 64 * 1024 * 1024;
	cfg->session_hours = 24 * 7;
	cfg->log_level = LOG_INFO;
	cfg->ws_max_per_user = 64;
	cfg->ws_ping_interval_ms = 30000;
	cfg->ws_ping_timeout_ms = 20000;
	cfg->header_timeout_ms = 10000;
	cfg->body_timeout_ms = 30000;
	cfg->idle_timeout_ms = 5000;
	cfg->max_conns_per_address = 256;

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		/* VERDICT_MAX_BODY for max-body, and so on. */
		char env[64] = "VERDICT_";
		size_t n = strlen(env);
		for (const char *p = names[i]; *p && n < sizeof env - 1; p++)
			env[n++] = *p == '-' ? '_' : (char)toupper((unsigned char)*p);
		env[n] = '\0';
		const char *value = getenv(env);
		if (!value)
			continue;
		char *msg = NULL;
		if (config_set(cfg, names[i], value, &msg) != 0) {
			*err = xasprintf("%s (from %s)", msg, env);
			free(msg);
			return 2;
		}
	}
	return 0;
}

void config_release(struct config *cfg)
{
	free(cfg->listen_host);
	free(cfg->data_dir);
	free(cfg->languages_file);
	free(cfg->port_file);
	memset(cfg, 0, sizeof *cfg);
}
