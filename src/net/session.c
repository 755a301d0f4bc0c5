/* Session lookup from a request's token or cookie (see session.h). */
#include "session.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

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

/* Good Basic credentials seen lately: a digest of the header and the stored
   hash, so a cache hit needs both the same credential and the same password
   on record. A fixed table, replaced round-robin. */
#define BASIC_CACHE_SIZE 64
#define BASIC_CACHE_SECONDS 60
static struct basic_entry {
	unsigned char digest[32];
	int64_t user_id, expires;
} basic_cache[BASIC_CACHE_SIZE];
static size_t basic_next;
static pthread_mutex_t basic_lock = PTHREAD_MUTEX_INITIALIZER;

static bool basic_cached(const unsigned char digest[32], int64_t user_id, int64_t now)
{
	bool hit = false;
	pthread_mutex_lock(&basic_lock);
	for (size_t i = 0; i < BASIC_CACHE_SIZE && !hit; i++)
		hit = basic_cache[i].expires > now && basic_cache[i].user_id == user_id &&
		      memcmp(basic_cache[i].digest, digest, 32) == 0;
	pthread_mutex_unlock(&basic_lock);
	return hit;
}

static void basic_remember(const unsigned char digest[32], int64_t user_id, int64_t now)
{
	pthread_mutex_lock(&basic_lock);
	struct basic_entry *e = &basic_cache[basic_next++ % BASIC_CACHE_SIZE];
	memcpy(e->digest, digest, 32);
	e->user_id = user_id;
	e->expires = now + BASIC_CACHE_SECONDS;
	pthread_mutex_unlock(&basic_lock);
}

/* Decodes standard base64 (with or without padding) into out (size bytes,
   NUL-terminated); false if malformed or too long. */
static bool base64_decode(const char *in, char *out, size_t size)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t n = 0;
	unsigned acc = 0;
	int bits = 0;
	for (; *in && *in != '='; in++) {
		const char *p = strchr(alphabet, *in);
		if (!p || !*in)
			return false;
		acc = (acc << 6) | (unsigned)(p - alphabet);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n + 1 >= size)
				return false;
			out[n++] = (char)((acc >> bits) & 0xff);
		}
	}
	while (*in == '=')
		in++;
	if (*in)
		return false;
	out[n] = '\0';
	return strlen(out) == n; /* no NUL inside */
}

int session_from_basic(struct db *db, const struct login_limits *limits, const char *authorization,
		       const struct sockaddr *client, int64_t now, struct db_user *out, int64_t *retry_after)
{
	if (!authorization || strncasecmp(authorization, "Basic ", 6) != 0)
		return SESSION_E_NOT_BASIC;
	const char *encoded = authorization + 6;
	while (*encoded == ' ')
		encoded++;
	char decoded[1400];
	char *colon;
	if (!base64_decode(encoded, decoded, sizeof decoded) || !(colon = strchr(decoded, ':')) || colon == decoded) {
		explicit_bzero(decoded, sizeof decoded);
		return SESSION_E_BAD_PASSWORD;
	}
	*colon = '\0';
	const char *username = decoded, *password = colon + 1;
	int rc = SESSION_E_BAD_PASSWORD;
	if (login_limit_check(limits, username, client, now, retry_after) != LOGIN_LIMIT_OK) {
		rc = SESSION_E_LIMITED;
		goto out_wipe;
	}
	char *hash = NULL;
	if (db_user_by_name(db, username, out, &hash) != 0) {
		auth_verify_dummy(password);
		login_limit_failed(limits, username, client, now);
		goto out_wipe;
	}
	char *keyed = xasprintf("%s\n%s", encoded, hash);
	unsigned char digest[32];
	auth_token_hash(keyed, digest);
	auth_free_secret(keyed);
	bool ok = basic_cached(digest, out->id, now) || auth_verify_password(hash, password);
	free(hash);
	if (!ok) {
		login_limit_failed(limits, username, client, now);
		goto out_wipe;
	}
	login_limit_succeeded(limits, username, client, now);
	basic_remember(digest, out->id, now);
	rc = 0;
out_wipe:
	explicit_bzero(decoded, sizeof decoded);
	return rc;
}
