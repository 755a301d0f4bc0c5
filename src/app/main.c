/* verdict: the command line. Parses arguments and hands over to the module
 * that does the work. Exit codes: 0 ok, 1 runtime failure, 2 usage error. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "server.h"
#include "cli_import.h"
#include "users.h"
#include "util.h"
#include "worker.h"

#define VERSION "0.1.0"

struct command {
	const char *name;
	int (*run)(struct config *cfg, int argc, char **argv);
	const char *usage;
	const char *help;
};

static int cmd_serve(struct config *cfg, int argc, char **argv);
static int cmd_user(struct config *cfg, int argc, char **argv);
static int cmd_problem(struct config *cfg, int argc, char **argv);

static const struct command commands[] = {
	{"serve", cmd_serve, "verdict serve [--listen ADDR:PORT] [--data DIR] [--workers N] [--demo]",
	 "Runs the judge: REST API, WebSocket, web UI and the judge pool on one port.\n"
	 "  --listen ADDR:PORT   where to listen (default 127.0.0.1:8100; port 0 = any free port)\n"
	 "  --data DIR           data dir holding the database (default ./verdict-data)\n"
	 "  --workers N          judge worker processes (default: number of cores)\n"
	 "  --demo               create an admin (password printed) and a sample problem if missing\n"
	 "  --max-body SIZE      largest JSON request body (default 1M)\n"
	 "  --max-upload SIZE    largest problem package upload (default 64M)\n"
	 "  --languages FILE     extra language definitions (JSON)\n"
	 "  --session-hours N    login session lifetime (default 168)\n"
	 "  --log-level LEVEL    debug, info, warn or error (default info)\n"
	 "  --port-file FILE     write the port to FILE once listening\n"
	 "  --ws-max-per-user N  WebSocket connections one user may hold (default 64)\n"
	 "  --ws-ping-interval S ping a silent WebSocket after S seconds (default 30)\n"
	 "  --ws-ping-timeout S  drop it when the answer takes over S seconds (default 20)\n"
	 "  --header-timeout S   a request head must arrive within S seconds (default 10)\n"
	 "  --body-timeout S     least time a request body may take, more when large (default 30)\n"
	 "  --idle-timeout S     close a connection silent for S seconds (default 5)\n"
	 "  --max-conns-per-address N  open connections per client address; beyond, 429 (default 256)\n"},
	{"user", cmd_user, "verdict user add NAME [--admin] [--data DIR]",
	 "Creates a user; the password is read from standard input (one line).\n"
	 "  --admin              the user may manage problems, users and rejudges\n"
	 "  --data DIR           data dir (default ./verdict-data)\n"},
	{"problem", cmd_problem, "verdict problem import PATH [--slug SLUG] [--data DIR]",
	 "Imports a problem package in the Kattis format (a .zip file or a directory).\n"
	 "  --slug SLUG          the problem's slug (default: the package folder's name)\n"
	 "  --data DIR           data dir (default ./verdict-data)\n"},
};

static void usage(FILE *out)
{
	fprintf(out, "usage: verdict COMMAND [OPTIONS]\n\ncommands:\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(out, "  %s\n", commands[i].usage);
	fprintf(out, "\nEvery option can also be set as an environment variable: --max-body as VERDICT_MAX_BODY.\n"
		     "Run 'verdict COMMAND --help' for a command's options.\n");
}

/* Splits argv into positional arguments and --flags; flags go to the config
   (or to *bool_flag for the command's own boolean). Returns 0, or 2 after
   printing a usage error. *help is set for --help. */
static int parse_flags(struct config *cfg, const struct command *cmd, int argc, char **argv, const char *bool_name,
		       bool *bool_flag, char **positional, int *npos, int max_pos, char **slug, bool *help)
{
	*npos = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
			if (*npos == max_pos) {
				fprintf(stderr, "verdict %s: unexpected argument '%s' (see 'verdict %s --help')\n", cmd->name, a,
					cmd->name);
				return 2;
			}
			positional[(*npos)++] = argv[i];
			continue;
		}
		char name[64];
		const char *eq = strchr(a, '=');
		size_t n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
		if (n >= sizeof name)
			n = sizeof name - 1;
		memcpy(name, a + 2, n);
		name[n] = '\0';
		if (strcmp(name, "help") == 0) {
			*help = true;
			return 0;
		}
		if ((bool_name && strcmp(name, bool_name) == 0) || strcmp(name, "demo") == 0) {
			if (bool_name && strcmp(name, bool_name) == 0 && bool_flag) {
				if (eq) {
					fprintf(stderr, "verdict %s: option '--%s' takes no value\n", cmd->name, name);
					return 2;
				}
				*bool_flag = true;
			} else if (strcmp(cmd->name, "serve") == 0) {
				/* --demo, or --demo=false as VERDICT_DEMO=false would say */
				char *err = NULL;
				config_set(cfg, "demo", eq ? eq + 1 : "1", &err);
				free(err);
			} else {
				goto unknown;
			}
			continue;
		}
		if (!config_has(name) && !(slug && strcmp(name, "slug") == 0))
			goto unknown;
		const char *value = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
		if (!value) {
			fprintf(stderr, "verdict %s: option '--%s' needs a value\n", cmd->name, name);
			return 2;
		}
		if (slug && strcmp(name, "slug") == 0) {
			*slug = (char *)value;
			continue;
		}
		char *err = NULL;
		int rc = config_set(cfg, name, value, &err);
		if (rc == 2) {
			fprintf(stderr, "verdict %s: %s\n", cmd->name, err);
			free(err);
			return 2;
		}
		if (rc == 1)
			goto unknown;
		continue;
unknown:
		fprintf(stderr, "verdict %s: unknown option '%s' (see 'verdict %s --help')\n", cmd->name, a, cmd->name);
		return 2;
	}
	return 0;
}

static int cmd_serve(struct config *cfg, int argc, char **argv)
{
	bool help = false;
	int npos;
	int rc = parse_flags(cfg, &commands[0], argc, argv, NULL, NULL, NULL, &npos, 0, NULL, &help);
	if (rc || help) {
		if (help)
			printf("usage: %s\n\n%s", commands[0].usage, commands[0].help);
		return rc;
	}
	log_set_level(cfg->log_level);
	return server_run(cfg);
}

static int cmd_user(struct config *cfg, int argc, char **argv)
{
	bool help = false, admin = false;
	char *pos[2];
	int npos;
	int rc = parse_flags(cfg, &commands[1], argc, argv, "admin", &admin, pos, &npos, 2, NULL, &help);
	if (rc || help) {
		if (help)
			printf("usage: %s\n\n%s", commands[1].usage, commands[1].help);
		return rc;
	}
	if (npos != 2 || strcmp(pos[0], "add") != 0) {
		fprintf(stderr, "verdict user: expected 'add NAME' (see 'verdict user --help')\n");
		return 2;
	}
	log_set_level(cfg->log_level > LOG_WARN ? cfg->log_level : LOG_WARN);
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, stdin);
	if (n <= 0) {
		fprintf(stderr, "verdict user add: no password on standard input\n");
		free(line);
		return 2;
	}
	line[strcspn(line, "\r\n")] = '\0';
	if (!auth_init()) {
		fprintf(stderr, "verdict user add: cannot initialise libsodium\n");
		free(line);
		return 1;
	}
	struct db *db = NULL;
	char *err = NULL;
	if (db_open(cfg->data_dir, false, &db, &err) != 0) {
		fprintf(stderr, "verdict user add: %s\n", err);
		free(err);
		free(line);
		return 1;
	}
	int64_t id = 0;
	rc = users_create(db, pos[1], line, admin, &id, &err);
	free(line);
	db_close(db);
	if (rc == USERS_E_INVALID) {
		fprintf(stderr, "verdict user add: %s\n", err);
		free(err);
		return 2;
	}
	if (rc == DB_E_CONFLICT) {
		fprintf(stderr, "verdict user add: user '%s' already exists in '%s'\n", pos[1], cfg->data_dir);
		return 1;
	}
	if (rc != 0) {
		fprintf(stderr, "verdict user add: cannot create user '%s' in '%s'\n", pos[1], cfg->data_dir);
		return 1;
	}
	printf("created %s '%s' (id %lld)\n", admin ? "admin" : "user", pos[1], (long long)id);
	return 0;
}

static int cmd_problem(struct config *cfg, int argc, char **argv)
{
	bool help = false;
	char *pos[2], *slug = NULL;
	int npos;
	int rc = parse_flags(cfg, &commands[2], argc, argv, NULL, NULL, pos, &npos, 2, &slug, &help);
	if (rc || help) {
		if (help)
			printf("usage: %s\n\n%s", commands[2].usage, commands[2].help);
		return rc;
	}
	if (npos != 2 || strcmp(pos[0], "import") != 0) {
		fprintf(stderr, "verdict problem: expected 'import PATH' (see 'verdict problem --help')\n");
		return 2;
	}
	log_set_level(cfg->log_level > LOG_WARN ? cfg->log_level : LOG_WARN);
	return cli_import(cfg, pos[1], slug);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("verdict %s\n", VERSION);
		return 0;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "worker") == 0)
		return worker_main(argc - 1, argv + 1);
	struct config cfg;
	char *err = NULL;
	if (config_init(&cfg, &err) != 0) {
		fprintf(stderr, "verdict: %s\n", err);
		free(err);
		config_release(&cfg);
		return 2;
	}
	int rc = -1;
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			rc = commands[i].run(&cfg, argc - 1, argv + 1);
	if (rc == -1) {
		fprintf(stderr, "verdict: unknown command '%s' (see 'verdict --help')\n", argv[1]);
		rc = 2;
	}
	config_release(&cfg);
	return rc;
}
