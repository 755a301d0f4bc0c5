/* Names for the codes of errors.h, for logs. */
#include "errors.h"

#include <string.h>

#include "util.h"

static const char *const names[ERROR_CODE_END] = {
	[0] = "success",
	[DB_E_NOT_FOUND] = "DB_E_NOT_FOUND",
	[DB_E_CONFLICT] = "DB_E_CONFLICT",
	[DB_E_BUSY] = "DB_E_BUSY",
	[DB_E_NEWER] = "DB_E_NEWER",
	[DB_E_LIMITED] = "DB_E_LIMITED",
	[USERS_E_INVALID] = "USERS_E_INVALID",
	[CHECKER_E_INVALID] = "CHECKER_E_INVALID",
	[VALIDATOR_E_COMPILE] = "VALIDATOR_E_COMPILE",
	[PACKAGE_E_INVALID] = "PACKAGE_E_INVALID",
	[IMPORT_E_INVALID] = "IMPORT_E_INVALID",
	[IMPORT_E_CONFLICT] = "IMPORT_E_CONFLICT",
	[PROBLEM_JSON_E_INVALID] = "PROBLEM_JSON_E_INVALID",
	[CONTEST_FILES_E_INVALID] = "CONTEST_FILES_E_INVALID",
	[JSON_E_INVALID] = "JSON_E_INVALID",
	[CONFIG_E_UNKNOWN] = "CONFIG_E_UNKNOWN",
	[CONFIG_E_INVALID] = "CONFIG_E_INVALID",
};

const char *error_name(int code)
{
	if (code < 0) {
		const char *name = code > -4096 ? strerrorname_np(-code) : NULL;
		return name ? name : "unknown errno";
	}
	if (code < (int)ARRAY_SIZE(names) && names[code])
		return names[code];
	return "unknown code";
}
