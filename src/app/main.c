/* verdict: the command line. Parses arguments and hands over to the module
 * that does the work. Exit codes: 0 ok, 1 runtime failure, 2 usage error. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "config.h"
#include "db.h"
#include "doctor.h"
#include "log.h"
#include "server.h"
#include "cli_import.h"
#include "users.h"
#include "util.h"
#include "worker.h"

struct command {
	const char *name;
	enum config_command options; /* which options of the table it takes */
	int max_positional;
	int (*run)(struct config *cfg, const struct config_args *args);
	const char *usage;
	const char *help;
};

static int cmd_serve(struct config *cfg, const struct config_args *args);
static int cmd_user(struct config *cfg, const struct config_args *args);
static int cmd_problem(struct config *cfg, const struct config_args *args);
static int cmd_backup(struct config *cfg, const struct config_args *args);
static int cmd_restore(struct config *cfg, const struct config_args *args);
static int cmd_doctor(struct config *cfg, const struct config_args *args);

static const struct command commands[] = {
	{"serve", CONFIG_SERVE, 0, cmd_serve, "verdict serve [OPTIONS]",
	 "Runs the judge: REST API, WebSocket, web UI and the judge pool on one port.\n"},
	{"user", CONFIG_USER, 2, cmd_user, "verdict user add NAME [OPTIONS]",
	 "Creates a user; the password is read from standard input (one line).\n"},
	{"problem", CONFIG_PROBLEM, 2, cmd_problem, "verdict problem import PATH [OPTIONS]",
	 "Imports a problem package in the Kattis format (a .zip file or a directory).\n"},
	{"backup", CONFIG_BACKUP, 1, cmd_backup, "verdict backup FILE [OPTIONS]",
	 "Writes a consistent copy of the data dir's database to FILE, also while a server runs on it.\n"},
	{"restore", CONFIG_RESTORE, 1, cmd_restore, "verdict restore FILE [OPTIONS]",
	 "Makes a backup FILE the data dir's database; refuses a data dir a running server holds.\n"},
	{"doctor", CONFIG_DOCTOR, 0, cmd_doctor, "verdict doctor [--json]",
	 "Says how submissions are confined on this host (namespaces, seccomp, cgroups, uids), by making a\n"
	 "sandbox and running a probe in it, and which toolchains it finds; exit 1 when judging is not possible.\n"},
};

static void usage(FILE *out)
{
	fprintf(out, "usage: verdict COMMAND [OPTIONS]\n\ncommands:\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(out, "  %s\n", commands[i].usage);
	fprintf(out, "\nEvery option can also be set as an environment variable: --max-body as VERDICT_MAX_BODY.\n"
		     "Run 'verdict COMMAND --help' for a command's options.\n");
}

/* Reads a command's arguments and runs it. Exit codes: 0 ok, 1 runtime failure, 2 usage error. */
static int run_command(const struct command *cmd, struct config *cfg, int argc, char **argv)
{
	struct config_args args;
	char *err = NULL;
	if (config_parse_args(cfg, cmd->options, argc, argv, cmd->max_positional, &args, &err) != 0) {
		fprintf(stderr, "verdict %s: %s\n", cmd->name, err);
		free(err);
		return 2;
	}
	if (args.help) {
		printf("usage: %s\n\n%s", cmd->usage, cmd->help);
		config_print_help(stdout, cmd->options);
		return 0;
	}
	return cmd->run(cfg, &args);
}

static int cmd_serve(struct config *cfg, const struct config_args *args)
{
	(void)args;
	log_set_level(cfg->log_level);
	return server_run(cfg);
}

static int cmd_user(struct config *cfg, const struct config_args *args)
{
	char *const *pos = args->positional;
	bool admin = args->admin;
	if (args->count != 2 || strcmp(pos[0], "add") != 0) {
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
	int rc = users_create(db, pos[1], line, admin ? DB_ROLE_ADMIN : DB_ROLE_USER, &id, &err);
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

static int cmd_problem(struct config *cfg, const struct config_args *args)
{
	if (args->count != 2 || strcmp(args->positional[0], "import") != 0) {
		fprintf(stderr, "verdict problem: expected 'import PATH' (see 'verdict problem --help')\n");
		return 2;
	}
	log_set_level(cfg->log_level > LOG_WARN ? cfg->log_level : LOG_WARN);
	return cli_import(cfg, args->positional[1], args->slug);
}

static int cmd_backup(struct config *cfg, const struct config_args *args)
{
	if (args->count != 1) {
		fprintf(stderr, "verdict backup: expected the FILE to write (see 'verdict backup --help')\n");
		return 2;
	}
	char *err = NULL;
	int64_t seq = 0;
	if (db_backup(cfg->data_dir, args->positional[0], &seq, &err) != 0) {
		fprintf(stderr, "verdict backup: %s\n", err);
		free(err);
		return 1;
	}
	printf("backed up '%s' to '%s' (seq %lld)\n", cfg->data_dir, args->positional[0], (long long)seq);
	return 0;
}

static int cmd_restore(struct config *cfg, const struct config_args *args)
{
	if (args->count != 1) {
		fprintf(stderr, "verdict restore: expected the backup FILE (see 'verdict restore --help')\n");
		return 2;
	}
	char *err = NULL;
	int64_t seq = 0;
	if (db_restore(args->positional[0], cfg->data_dir, args->replace, &seq, &err) != 0) {
		fprintf(stderr, "verdict restore: %s\n", err);
		free(err);
		return 1;
	}
	printf("restored '%s' into '%s' (seq %lld); start 'verdict serve' on it\n", args->positional[0],
	       cfg->data_dir, (long long)seq);
	return 0;
}

static int cmd_doctor(struct config *cfg, const struct config_args *args)
{
	log_set_level(cfg->log_level > LOG_WARN ? cfg->log_level : LOG_WARN);
	return doctor_run(cfg, args->json);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("verdict %s\n", config_version);
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
	bool required;
	const char *file = config_file_choice(argc - 1, argv + 1, &required);
	if (config_load(&cfg, file, required, &err) != 0) {
		fprintf(stderr, "verdict: %s\n", err);
		free(err);
		config_release(&cfg);
		return 2;
	}
	int rc = -1;
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			rc = run_command(&commands[i], &cfg, argc - 1, argv + 1);
	if (rc == -1) {
		fprintf(stderr, "verdict: unknown command '%s' (see 'verdict --help')\n", argv[1]);
		rc = 2;
	}
	config_release(&cfg);
	return rc;
}
