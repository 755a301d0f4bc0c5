/* Password hashing (argon2id, libsodium) and session tokens.
 *
 * argon2id is memory-hard, so a stolen database does not give up passwords to
 * GPU farms cheaply; libsodium is well kept and packaged in Debian, and its
 * crypto_pwhash_str format carries salt and parameters, so the costs can be
 * raised later without invalidating stored hashes. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#define AUTH_TOKEN_LEN 43 /* 32 random bytes, base64url without padding */

/* Initialises libsodium; false if the system has no usable randomness. */
bool auth_init(void);
/* A self-describing argon2id hash of the password (malloc'd), or NULL on
   failure. Made on the hashing pool when it runs (the caller waits). */
char *auth_hash_password(const char *password);
bool auth_verify_password(const char *hash, const char *password);
/* Spends the same effort as a real verification, so that unknown user names
   cannot be told apart by timing. */
void auth_verify_dummy(const char *password);
/* A fresh random token and its SHA-256 (what the database stores). */
void auth_new_token(char token[AUTH_TOKEN_LEN + 1], unsigned char hash[32]);
void auth_token_hash(const char *token, unsigned char hash[32]);
/* Overwrites a secret string with zeros, then frees it; NULL is fine. */
void auth_free_secret(char *secret);
/* A random password of `len` characters from an unambiguous alphabet. */
void auth_random_password(char *out, size_t len);
