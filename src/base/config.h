/* Command-line flags and VERDICT_* environment variables, merged into one
 * struct config that is read-only once the server starts. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "log.h"

struct config {
	char *listen_host;        /* "127.0.0.1" */
	uint16_t listen_port;     /* 8100; 0 = any free port (printed at startup) */
	char *data_dir;           /* "./verdict-data" */
	int workers;              /* judge worker processes; default: number of cores */
	bool demo;                /* seed a demo problem and an admin on first start */
	size_t max_body;          /* JSON request bodies, bytes */
	size_t max_upload;        /* problem package uploads, bytes */
	char *languages_file;     /* extra language definitions (JSON), or NULL */
	int session_hours;        /* login session lifetime */
	enum log_level log_level;
	char *port_file;          /* write the bound port here once listening (tests), or NULL */
	int ws_max_per_user;      /* WebSocket connections one user may hold */
	int ws_ping_interval_ms;  /* ping a WebSocket silent this long */
	int ws_ping_timeout_ms;   /* drop it when the pong takes longer than this */
	int header_timeout_ms;    /* a request head must be in within this of its connection (or its turn) */
	int body_timeout_ms;      /* least time a body may take; more for a large one (see net/http.c) */
	int idle_timeout_ms;      /* a connection silent this long is closed (keep-alive, stalls) */
	int max_conns_per_address; /* open connections one client address may hold; beyond, 429 */
};

/* Fills in the defaults, then applies VERDICT_* environment variables.
   Returns 0, or 2 (usage error) with a message in *err (malloc'd). */
int config_init(struct config *cfg, char **err);
/* Applies one flag (long name without dashes, e.g. "listen") with its value.
   Returns 0, 1 if the name is not a config flag, or 2 with *err set for a bad value. */
int config_set(struct config *cfg, const char *name, const char *value, char **err);
/* Whether name (e.g. "max-body") is a config flag. */
bool config_has(const char *name);
void config_release(struct config *cfg);
