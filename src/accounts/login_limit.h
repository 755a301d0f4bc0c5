/* Login throttling by (user name, client address) and by client address,
 * never by name alone, so that nobody can lock another's account from
 * elsewhere:
 *  - a pair that fails pair_failures times within window seconds is refused
 *    until the window since its first failure has passed;
 *  - an address that fails address_failures times within the window, across
 *    any names, is refused likewise (defaults: 10 and 150 per 300 s, so a
 *    classroom of 30 behind one NAT address may make 5 typos each).
 * IPv6 addresses count by their /64. A success clears its pair, not its
 * address. An attempt refused because the hashing threads were busy counts
 * toward its address's limit too, so a client hammering a busy server is
 * throttled, but does not make the address suspect (see hash_pool.h). Thread-safe; memory is two fixed tables. A full table evicts the
 * live entry with the fewest failures and never a refused one, so flooding it
 * with cheap new entries cannot unlock a locked pair or address. */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

struct login_limits {
	int pair_failures;
	int address_failures;
	int window; /* seconds */
};

enum login_limit_verdict { LOGIN_LIMIT_OK, LOGIN_LIMIT_PAIR, LOGIN_LIMIT_ADDRESS };

/* Whether attempts for this name from this client are refused now, and by
   which limit; *retry_after gets the seconds left. client may be NULL. */
enum login_limit_verdict login_limit_check(const struct login_limits *l, const char *username,
					   const struct sockaddr *client, int64_t now, int64_t *retry_after);
/* Whether a password from the client address has been wrong within the window. */
bool login_limit_suspect(const struct login_limits *l, const struct sockaddr *client, int64_t now);
/* Counts a failure for the pair and the address; with username NULL, an
   attempt refused before its password was checked (the hashing threads were
   busy), for the address only. */
void login_limit_failed(const struct login_limits *l, const char *username, const struct sockaddr *client,
			int64_t now);
void login_limit_succeeded(const struct login_limits *l, const char *username, const struct sockaddr *client,
			   int64_t now);
