/* The files of a CLICS contest package and DOMjudge's import formats, read
 * into what the store imports in one transaction (struct db_import) and a
 * contest to create. Nothing touches the database here: references between
 * files (a team's group) are checked by the store, and contest_files_where
 * turns the name it reports missing back into a file and a line.
 *
 * Files (at the root of a zip, or in its single top-level folder; any subset):
 *   teams.json          [{id, label?, name, display_name?, organization_id?,
 *                         group_ids?: [...], hidden?, icpc_id?, members?: [usernames]}]
 *                         (a "members" string, DOMjudge's free text, is ignored)
 *   organizations.json  [{id, name?, formal_name?, country? (alpha-3), icpc_id?}]
 *   groups.json         [{id, name?, type?, hidden?, icpc_id?}]
 *   accounts.yaml|json  [{username, password?, type? (team, judge or jury, admin),
 *                         team_id?}]; id, name and ip are ignored
 *   contest.yaml|json   {id, name, formal_name?, start_time? (RFC 3339 or null),
 *                        duration (h:mm:ss), scoreboard_freeze_duration?, penalty_time?
 *                        (minutes or h:mm:ss), scoreboard_type? (pass-fail or score),
 *                        scoreboard_thaw_time? (RFC 3339), countdown_pause_time? (h:mm:ss,
 *                        without start_time)};
 *                        the legacy start-time, scoreboard-freeze-length and
 *                        penalty-time are read too
 *   problems.yaml|json  [{id (a problem's slug), label, color? or rgb? (#rrggbb),
 *                         max_score?}], or the legacy {problems: [{short-name, letter, ...}]}
 * A class roster (CSV, RFC 4180 quoting) is `username,name[,password]`, one
 * team per row (key and label: the username), with an optional header row.
 * An account without a password gets one from the caller.
 *
 * Return convention: 0, CONTEST_FILES_E_INVALID with *err (malloc'd, e.g.
 * "teams.json: line 12: item 3: field 'group_ids': must be an array of
 * strings"), or negative errno. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "db.h"
#include "errors.h" /* CONTEST_FILES_E_INVALID */

struct contest_files_account {
	const char *username;
	const char *password;     /* NULL: none given */
	const char *team;         /* a team key, or NULL */
	enum db_role role;
	const char *where;        /* "accounts.yaml: line 4: item 2" */
};

struct contest_files_problem {
	const char *slug, *label;
	const char *color;        /* "#rrggbb" or "" */
	bool has_max_score;
	double max_score;
	const char *where;
};

struct contest_files {
	struct db_organization *organizations;
	size_t organization_count;
	struct db_team_group *groups;
	size_t group_count;
	struct db_team *teams;
	size_t team_count;
	struct contest_files_account *accounts;
	size_t account_count;
	const char **organization_where, **group_where, **team_where; /* per item, as for accounts */
	bool has_contest;          /* contest.yaml|json was read */
	struct db_contest contest; /* its fields; problems are below */
	struct contest_files_problem *problems;
	size_t problem_count;
	bool has_problems;
	void *mem;                 /* what contest_files_release frees */
};

void contest_files_init(struct contest_files *cf);
void contest_files_release(struct contest_files *cf);

/* The largest file read (8 MiB). */
#define CONTEST_FILES_MAX_BYTES (8 << 20)
/* Whether name is one of the files above ("teams.json"). */
bool contest_files_known(const char *name);

/* Reads one file by its name (the list above); a name it does not know is
   ignored. A file read twice is an error. */
int contest_files_add(struct contest_files *cf, const char *name, const char *data, size_t len, char **err);
/* Reads every known file of a zip held in memory (the problem loader's checks
   against hostile archives apply). A zip with none of them is an error. */
int contest_files_read_zip(struct contest_files *cf, const void *data, size_t len, char **err);
/* Reads a class roster; file names it in messages ("roster.csv"). */
int contest_files_roster(struct contest_files *cf, const char *file, const char *data, size_t len, char **err);

/* Where the name the store reported missing or taken (db_contest_import's
   *missing, a pointer into cf or an equal string) comes from, as a message:
   "teams.json: line 5: item 2: field 'group_ids': group 'x' does not exist"
   (taken: "... is taken"). malloc'd; NULL when no item names it. */
char *contest_files_where(const struct contest_files *cf, const char *name, bool taken);

/* A CLICS id: 1 to 36 of [A-Za-z0-9_.-], not starting with '-' or '.'. */
bool contest_files_id_valid(const char *s);
/* RFC 3339 ("2026-12-03T10:00:00Z", "...10:00:00.5+01:00") to ms since the epoch. */
bool contest_files_parse_time(const char *s, int64_t *ms);
/* A CLICS RELTIME "[-]h:mm:ss[.uuu]" to ms. */
bool contest_files_parse_reltime(const char *s, int64_t *ms);
