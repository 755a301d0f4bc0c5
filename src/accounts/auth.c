/* argon2id password hashes and random session tokens, from libsodium. */
#include "auth.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>

#include "hash_pool.h"
#include "util.h"

/* libsodium's "interactive" costs: 64 MiB and 2 passes, about 0.1 s here. */
#define PW_OPS crypto_pwhash_OPSLIMIT_INTERACTIVE
#define PW_MEM crypto_pwhash_MEMLIMIT_INTERACTIVE

bool auth_init(void)
{
	return sodium_init() >= 0;
}

struct hashing {
	const char *password;
	char *out;
};

static void hash_now(void *arg)
{
	struct hashing *h = arg;
	h->out = xmalloc(crypto_pwhash_STRBYTES);
	if (crypto_pwhash_str(h->out, h->password, strlen(h->password), PW_OPS, PW_MEM) != 0) {
		free(h->out);
		h->out = NULL;
	}
}

char *auth_hash_password(const char *password)
{
	struct hashing h = {password, NULL};
	hash_pool_call(hash_now, &h);
	return h.out;
}

bool auth_verify_password(const char *hash, const char *password)
{
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy_hash(void)
{
	if (crypto_pwhash_str(dummy_hash, "dummy", 5, PW_OPS, PW_MEM) != 0)
		dummy_hash[0] = '\0';
}

void auth_verify_dummy(const char *password)
{
	/* Made on first use: start-up stays fast. */
	pthread_once(&dummy_once, make_dummy_hash);
	if (dummy_hash[0] && crypto_pwhash_str_verify(dummy_hash, password, strlen(password)) == 0)
		return; /* only the time spent matters */
}

void auth_token_hash(const char *token, unsigned char hash[32])
{
	crypto_hash_sha256(hash, (const unsigned char *)token, strlen(token));
}

void auth_new_token(char token[AUTH_TOKEN_LEN + 1], unsigned char hash[32])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(token, AUTH_TOKEN_LEN + 1, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	auth_token_hash(token, hash);
}

void auth_free_secret(char *secret)
{
	if (!secret)
		return;
	sodium_memzero(secret, strlen(secret));
	free(secret);
}

void auth_random_password(char *out, size_t len)
{
	static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	for (size_t i = 0; i < len; i++)
		out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
	out[len] = '\0';
}
