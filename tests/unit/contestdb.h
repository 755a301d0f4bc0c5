/* A fresh database per test for the contest store tests (teams,
 * clarifications), with the contests, users and problems they need. */
#pragma once
#include <stdint.h>

#include "db.h"

extern struct db *cdb;

/* Check fixture: a temporary data dir with a migrated database in cdb. */
void contestdb_setup(void);
void contestdb_teardown(void);
/* The integer in the first column of the first row of sql; -1 if none. */
int64_t contestdb_int(const char *sql);
/* A contest with this shortname and, unless problem_id is 0, that problem as A; returns its id. */
int64_t contestdb_contest(const char *shortname, int64_t problem_id);
/* A user; returns its id. */
int64_t contestdb_user(const char *username);
/* A problem with one sample; returns its id. */
int64_t contestdb_problem(const char *slug);
/* Whether the change log holds (kind, id) in the contest's scope, deleted or not. */
bool contestdb_logged(enum db_kind kind, int64_t id, int64_t contest_id, bool deleted);
