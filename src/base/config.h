/* Command-line options and VERDICT_* environment variables, merged into one
 * struct config that is read-only once the server starts. One table,
 * config_options, names every option: it drives flag parsing, the environment
 * variables, each command's --help and the option list in README.md.
 * Return codes follow errors.h: 0, CONFIG_E_UNKNOWN or CONFIG_E_INVALID. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "errors.h" /* CONFIG_E_UNKNOWN, CONFIG_E_INVALID */
#include "log.h"

/* --cookie-secure: when the session cookie says Secure. */
enum config_cookie_secure {
	CONFIG_COOKIE_SECURE_AUTO,   /* when the request came over HTTPS, as a trusted proxy says */
	CONFIG_COOKIE_SECURE_ALWAYS,
	CONFIG_COOKIE_SECURE_NEVER,
};

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
	int session_seconds;      /* when set (tests), the lifetime in seconds instead */
	int cookie_secure;        /* enum config_cookie_secure */
	char *trusted_proxy;      /* the proxy address whose X-Forwarded-Proto is believed, or NULL */
	enum log_level log_level;
	char *port_file;          /* write the bound port here once listening (tests), or NULL */
	int ws_max_per_user;      /* WebSocket connections one user may hold */
	int ws_ping_interval_ms;  /* ping a WebSocket silent this long */
	int ws_ping_timeout_ms;   /* drop it when the pong takes longer than this */
	int login_pair_failures;  /* failed logins per (name, address) within the window before refusing */
	int login_address_failures; /* failed logins per address, across names, within the window */
	int login_window;         /* seconds */
	int hash_threads;         /* threads hashing passwords */
	int hash_queue;           /* logins waiting for them (per queue) before refusing */
	int header_timeout_ms;    /* a request head must be in within this of its connection (or its turn) */
	int body_timeout_ms;      /* least time a body may take; more for a large one (see net/http.c) */
	int idle_timeout_ms;      /* a connection silent this long is closed (keep-alive, stalls) */
	int clics_keepalive_ms;   /* a CLICS event feed silent this long gets a newline */
	int max_conns_per_address; /* open connections one client address may hold; beyond, 429 */
	int submissions_per_minute; /* a user's submissions in any 60 s (admins: no limit); 0: none */
	int queued_per_user;      /* a user's submissions waiting or being judged; 0: none */
	size_t judge_log_max;     /* judge log kept per submission, bytes */
	int compile_time_ms;      /* CPU time a compile may take (wall: twice that) */
	int max_tests;            /* test cases a problem package may have */
	char *config_file;        /* the settings file read at start, or NULL */
};

/* What a command's arguments hold besides the settings. */
#define CONFIG_MAX_POSITIONAL 2
struct config_args {
	char *positional[CONFIG_MAX_POSITIONAL]; /* pointers into argv */
	int count;
	bool help;        /* --help: the arguments after it were not read */
	bool admin;       /* user: --admin */
	bool replace;     /* restore: --replace */
	bool json;        /* doctor: --json */
	const char *slug; /* problem: --slug SLUG, or NULL */
};

/* The commands that take options, as bits of config_option.commands. */
enum config_command {
	CONFIG_SERVE = 1,
	CONFIG_USER = 2,
	CONFIG_PROBLEM = 4,
	CONFIG_BACKUP = 8,
	CONFIG_RESTORE = 16,
	CONFIG_DOCTOR = 32,
};

/* How an option reads its value. All but the last two are settings (a field
 * of struct config, also read from the environment); the last two are a
 * command's own (a field of struct config_args, flags only). */
enum config_kind {
	CONFIG_ADDRESS, /* HOST:PORT, into listen_host and listen_port */
	CONFIG_PATH,    /* a path; "" is refused */
	CONFIG_FILE,    /* a path; "" means none (NULL) */
	CONFIG_COUNT,   /* an int from min to max */
	CONFIG_SIZE,    /* a size_t of bytes from min to max, with an optional K, M or G */
	CONFIG_SECONDS, /* seconds from 0.05 to 86400, kept as an int of milliseconds */
	CONFIG_LEVEL,   /* debug, info, warn or error */
	CONFIG_CHOICE,  /* one of the words of `value` ("auto/always/never"), kept as an int: its index */
	CONFIG_IP,      /* an IPv4 or IPv6 address, kept as text; "" means none (NULL) */
	CONFIG_SWITCH,  /* a bool setting without a value; --demo=false turns it off */
	CONFIG_FLAG,    /* a command's bool that takes no value */
	CONFIG_STRING,  /* a command's string */
};

struct config_option {
	const char *name;     /* "max-body": --max-body and VERDICT_MAX_BODY */
	enum config_kind kind;
	const char *value;    /* the value's name in help ("SIZE"); NULL for a switch or flag */
	const char *def;      /* the default as text, applied by config_init; NULL: none, or said in help */
	const char *help;     /* one line, for --help and README.md */
	unsigned commands;    /* the CONFIG_SERVE | ... it is for, and listed under in --help */
	size_t offset;        /* of its field in struct config (settings) or struct config_args */
	long long min, max;   /* CONFIG_COUNT and CONFIG_SIZE */
};

/* Every option, in the order --help lists them. */
extern const struct config_option config_options[];
extern const size_t config_option_count;

/* The version, from meson.build's project version ("0.1.0"). */
extern const char config_version[];

/* Fills in the defaults, then applies VERDICT_* environment variables.
   Returns 0, or CONFIG_E_INVALID with a message in *err (malloc'd). */
int config_init(struct config *cfg, char **err);
/* The same with a settings file read between the defaults and the environment
   (file NULL: none). A missing file is an error only when required. Returns
   0, CONFIG_E_INVALID (a bad line or value, the message names the file and
   line) or CONFIG_E_UNKNOWN (a name that is no setting; a missing file). */
int config_load(struct config *cfg, const char *file, bool required, char **err);
/* Applies a settings file: lines "name = value" (a setting's long name, as in
   --name; a value in double quotes keeps its spaces), blank lines and lines
   starting with '#'. Records path in cfg->config_file. Return codes as
   config_load's. */
int config_read_file(struct config *cfg, const char *path, bool required, char **err);
/* The settings file a command reads: --config FILE in argv, else
   $VERDICT_CONFIG, else CONFIG_DEFAULT_FILE when it exists (*required
   false). NULL when the one given is "". */
#define CONFIG_DEFAULT_FILE "/etc/verdict/verdict.conf"
const char *config_file_choice(int argc, char **argv, bool *required);
/* Applies one setting (long name without dashes, e.g. "listen") with its value.
   Returns 0, CONFIG_E_UNKNOWN if the name is not a setting, or CONFIG_E_INVALID
   with *err set (malloc'd) for a bad value. */
int config_set(struct config *cfg, const char *name, const char *value, char **err);
/* Whether name (e.g. "max-body") is a setting. */
bool config_has(const char *name);
/* Reads a command's arguments, argv[1..argc) (argv[0] is the command's name):
   --name value, --name=value, --help, and at most max positional arguments.
   A command takes the options it is for, and every setting with a value
   (which the environment sets for every command too). Settings go to cfg, the
   rest to *args. Returns 0, or CONFIG_E_UNKNOWN (an option the command does not
   take, an argument too many) or CONFIG_E_INVALID (a bad or missing value), with
   a one-line message in *err (malloc'd). */
int config_parse_args(struct config *cfg, enum config_command cmd, int argc, char **argv, int max,
		      struct config_args *args, char **err);
/* Writes the option lines of cmd's --help. */
void config_print_help(FILE *out, enum config_command cmd);
void config_release(struct config *cfg);
