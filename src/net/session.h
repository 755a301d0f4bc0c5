/* The session a request carries, found the same way by the HTTP server and
 * the WebSocket handshake: its explicit token if it has one (a bearer token
 * over HTTP, ?token= on a handshake), else the verdict_session cookie. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#include "auth.h"
#include "db.h"

struct request_session {
	struct db_user user;            /* when found */
	char token[AUTH_TOKEN_LEN + 1]; /* the token of the session found, else "" */
	bool from_cookie;               /* a cookie token was used (valid or not): no explicit one */
};

/* token: the explicit token, or NULL; cookie: the Cookie header, or NULL.
   Returns 0 with out->user and out->token filled in, or DB_E_NOT_FOUND when
   there is no token, or it is malformed, unknown or expired. */
int session_from_request(struct db *db, const char *token, const char *cookie, int64_t now,
			 struct request_session *out);

#include <sys/socket.h>

#include "login_limit.h"

/* HTTP Basic authentication ("Authorization: Basic base64(user:password)")
   with verdict's users, throttled like a login (login_limit.h). */
enum { SESSION_E_NOT_BASIC = 1, SESSION_E_BAD_PASSWORD = 2, SESSION_E_LIMITED = 3 };
/* Returns 0 with *out filled in; SESSION_E_NOT_BASIC when authorization is no
   Basic credential (NULL, a bearer token); SESSION_E_BAD_PASSWORD for a
   malformed one, an unknown name or a wrong password (counted as a failed
   login); SESSION_E_LIMITED when the login limits refuse the attempt
   (*retry_after seconds). The password is checked on the calling thread
   (argon2id), and a good pair is remembered for a minute by a digest of the
   credential and the stored hash (so a new password ends it), so that a
   client sending it on every request pays for one check. Thread-safe. */
int session_from_basic(struct db *db, const struct login_limits *limits, const char *authorization,
		       const struct sockaddr *client, int64_t now, struct db_user *out, int64_t *retry_after);
