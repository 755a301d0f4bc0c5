/* The one error convention of verdict, and every positive code in the tree.
 *
 * A fallible function returns int: 0 on success; a negative errno for a system
 * failure, which callers forward unchanged; or one of the small positive codes
 * below for an expected outcome the caller must handle. Each module's header
 * says which codes its functions return. The codes share one enum so that no
 * two collide, and a caller may pass any of them up without renumbering.
 * Results that are not errors (a checker's accepted/wrong) have enums of their own. */
#pragma once

enum error_code {
	/* store (db.h) */
	DB_E_NOT_FOUND = 1,
	DB_E_CONFLICT,     /* a unique key is taken (username, slug) */
	DB_E_BUSY,         /* another verdict process holds the data dir */
	DB_E_NEWER,        /* the database was made by a newer verdict */
	DB_E_LIMITED,      /* over a user's submission quota (struct db_submit_limits) */
	/* accounts (users.h) */
	USERS_E_INVALID,   /* bad name or password; *err says why */
	/* judge (checker.h, validator.h) */
	CHECKER_E_INVALID, /* a bad checker configuration; *err says why */
	VALIDATOR_E_COMPILE, /* the validator's sources do not compile or hold nothing runnable */
	/* problems (package.h, import.h) */
	PACKAGE_E_INVALID, /* bad package; *err says which file and why */
	IMPORT_E_INVALID,  /* a bad package or slug: *err is the message for a 400 */
	IMPORT_E_CONFLICT, /* the derived slug is another package's problem: *err is the message for a 409 */
	PROBLEM_JSON_E_INVALID, /* a bad problem written as JSON: *err is the message for a 400 */
	CONTEST_FILES_E_INVALID, /* a bad contest package file or roster: *err names the file, line and field */
	/* base (json_util.h) */
	JSON_E_INVALID,    /* a request field of the wrong type or out of range; *err says which */
	/* base (config.h) */
	CONFIG_E_UNKNOWN,  /* not an option (of this command) */
	CONFIG_E_INVALID,  /* a bad value, or a value missing; *err says which */
	ERROR_CODE_END     /* one past the last code */
};

/* Names a code for logs: the constant's name ("DB_E_NOT_FOUND"), "success" for
   0, the errno's name ("ENOENT") for a negative errno, "unknown errno" or
   "unknown code" otherwise. Returns a static string; thread-safe. */
const char *error_name(int code);
