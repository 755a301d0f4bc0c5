/* Login throttling: after LOGIN_LIMIT_FAILURES failed logins for one user
 * name within LOGIN_LIMIT_WINDOW seconds, further attempts for that name are
 * refused until the window since the first of them has passed. Keyed by name,
 * not address: a classroom shares one address. Thread-safe; memory is a fixed
 * table (an old entry gives way when it is full). */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#define LOGIN_LIMIT_FAILURES 10
#define LOGIN_LIMIT_WINDOW 300

/* Whether attempts for this name are refused now; *retry_after gets the seconds left. */
bool login_limit_blocked(const char *username, int64_t now, int64_t *retry_after);
void login_limit_failed(const char *username, int64_t now);
void login_limit_succeeded(const char *username, int64_t now);
