/* User names are 1-32 characters of [A-Za-z0-9_.-]; passwords 8-1024 bytes. */
#include "users.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "util.h"

bool users_name_valid(const char *s)
{
	size_t n = strlen(s);
	return n >= 1 && n <= 32 &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == n;
}

static int check_password(const char *password, char **err)
{
	size_t n = strlen(password);
	if (n < 8 || n > 1024) {
		*err = xstrdup("password must be 8 to 1024 characters long");
		return USERS_E_INVALID;
	}
	return 0;
}

int users_hash_password(const char *password, char **hash, char **err)
{
	int rc = check_password(password, err);
	if (rc)
		return rc;
	*hash = auth_hash_password(password);
	return *hash ? 0 : -ENOMEM;
}

int users_create(struct db *db, const char *username, const char *password, enum db_role role, int64_t *id,
		 char **err)
{
	if (!users_name_valid(username)) {
		*err = xstrdup("username must be 1 to 32 letters, digits, '_', '.' or '-'");
		return USERS_E_INVALID;
	}
	char *hash;
	int rc = users_hash_password(password, &hash, err);
	if (rc)
		return rc;
	rc = db_user_create_role(db, username, hash, role, id);
	free(hash);
	return rc;
}

int users_set_password(struct db *db, int64_t id, const char *password, char **err)
{
	char *hash;
	int rc = users_hash_password(password, &hash, err);
	if (rc)
		return rc;
	rc = db_user_set_password(db, id, hash);
	free(hash);
	return rc;
}
