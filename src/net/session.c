/* Session lookup from a request's token or cookie (see session.h). */
#include "session.h"

#include <string.h>

#include "request.h"

int session_from_request(struct db *db, const char *token, const char *cookie, int64_t now,
			 struct request_session *out)
{
	memset(out, 0, sizeof *out);
	size_t len = token ? strlen(token) : 0;
	if (!token) {
		out->from_cookie = cookie && request_cookie(cookie, "verdict_session", &token, &len);
		if (!out->from_cookie)
			return DB_E_NOT_FOUND;
	}
	if (len != AUTH_TOKEN_LEN)
		return DB_E_NOT_FOUND;
	memcpy(out->token, token, len);
	unsigned char hash[32];
	auth_token_hash(out->token, hash);
	int rc = db_session_user(db, hash, now, &out->user);
	if (rc != 0)
		out->token[0] = '\0';
	return rc == 0 ? 0 : DB_E_NOT_FOUND;
}
