/* Creating users and setting passwords, with the rules for names and
 * passwords; shared by the REST API and `verdict user add`. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#include "db.h"
#include "errors.h" /* USERS_E_INVALID: bad name or password */

/* 0, USERS_E_INVALID, DB_E_CONFLICT or negative errno. *err (malloc'd) on USERS_E_INVALID. */
int users_create(struct db *db, const char *username, const char *password, enum db_role role, int64_t *id,
		 char **err);
/* Whether a user name is acceptable (the rule above). */
bool users_name_valid(const char *username);
/* The argon2id hash (malloc'd, the caller frees) of an acceptable password, for
   accounts stored by others (contest imports): 0, USERS_E_INVALID with *err, or
   -ENOMEM. Runs on the hashing pool (the caller waits). */
int users_hash_password(const char *password, char **hash, char **err);
int users_set_password(struct db *db, int64_t id, const char *password, char **err);
