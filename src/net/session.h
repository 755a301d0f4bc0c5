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
