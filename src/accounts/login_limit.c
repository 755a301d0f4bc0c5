/* Two fixed tables of recent login failures, keyed by (address, name) and by
 * address, under one mutex. Slots are found by SipHash with a random key, so
 * nobody can aim entries at the slots of another. */
#include "login_limit.h"

#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>

#define PROBES 8
#define ADDR_LEN 16
#define NAME_LEN 32 /* longer names are no user's: truncated keys only merge failures */

struct entry {
	unsigned char key[ADDR_LEN + NAME_LEN]; /* the address, then the name (zeros for the address table) */
	int64_t first;                          /* time of the first failure of the window */
	int failures;
	bool wrong;                             /* some were wrong passwords (not only refusals) */
};

struct table {
	struct entry *slots;
	size_t count;
};

static struct entry pair_slots[8192], address_slots[4096];
static struct table pairs = {pair_slots, sizeof pair_slots / sizeof pair_slots[0]};
static struct table addresses = {address_slots, sizeof address_slots / sizeof address_slots[0]};
static unsigned char hash_key[crypto_shorthash_KEYBYTES];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static void make_key(void)
{
	if (sodium_init() >= 0)
		randombytes_buf(hash_key, sizeof hash_key);
}

/* IPv4 as ::ffff:a.b.c.d, IPv6 by its /64, anything else as zeros. */
static void address_key(const struct sockaddr *sa, unsigned char out[ADDR_LEN])
{
	memset(out, 0, ADDR_LEN);
	if (sa && sa->sa_family == AF_INET) {
		out[10] = out[11] = 0xff;
		memcpy(out + 12, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
	} else if (sa && sa->sa_family == AF_INET6) {
		const unsigned char *a = ((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr.s6_addr;
		bool mapped = memcmp(a, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0;
		memcpy(out, a, mapped ? ADDR_LEN : 8);
	}
}

static void make_entry_key(unsigned char key[ADDR_LEN + NAME_LEN], const struct sockaddr *client, const char *name)
{
	memset(key, 0, ADDR_LEN + NAME_LEN);
	address_key(client, key);
	if (name)
		memcpy(key + ADDR_LEN, name, strnlen(name, NAME_LEN));
}

static bool expired(const struct entry *e, int64_t now, int window)
{
	return e->failures == 0 || now - e->first >= window;
}

/* The live entry of key among its probe slots; with create, a new one in a
   free slot there, else in place of the live one with the fewest failures
   (the oldest of those) that is not refused; NULL when all are refused. */
static struct entry *find(struct table *t, const unsigned char *key, int limit, int window, int64_t now,
			  bool create)
{
	uint64_t h;
	pthread_once(&key_once, make_key);
	crypto_shorthash((unsigned char *)&h, key, ADDR_LEN + NAME_LEN, hash_key);
	struct entry *spare = NULL;
	for (int probe = 0; probe < PROBES; probe++) {
		struct entry *e = &t->slots[(h + (uint64_t)probe) % t->count];
		bool dead = expired(e, now, window);
		if (!dead && memcmp(e->key, key, ADDR_LEN + NAME_LEN) == 0)
			return e;
		if (spare && expired(spare, now, window))
			continue; /* a free slot is taken already */
		if (dead) {
			spare = e;
			continue;
		}
		if (e->failures >= limit)
			continue; /* never evict a refusing entry */
		if (!spare || e->failures < spare->failures ||
		    (e->failures == spare->failures && e->first < spare->first))
			spare = e;
	}
	if (!create || !spare)
		return NULL;
	memset(spare, 0, sizeof *spare);
	memcpy(spare->key, key, ADDR_LEN + NAME_LEN);
	spare->first = now;
	return spare;
}

/* Whether e refuses now; *retry_after gets the seconds left. */
static bool refuses(const struct entry *e, int limit, int window, int64_t now, int64_t *retry_after)
{
	if (!e || e->failures < limit)
		return false;
	if (retry_after)
		*retry_after = e->first + window - now;
	return true;
}

enum login_limit_verdict login_limit_check(const struct login_limits *l, const char *username,
					   const struct sockaddr *client, int64_t now, int64_t *retry_after)
{
	unsigned char pair_key[ADDR_LEN + NAME_LEN], addr_key[ADDR_LEN + NAME_LEN];
	make_entry_key(pair_key, client, username);
	make_entry_key(addr_key, client, NULL);
	enum login_limit_verdict v = LOGIN_LIMIT_OK;
	pthread_mutex_lock(&lock);
	if (refuses(find(&addresses, addr_key, l->address_failures, l->window, now, false), l->address_failures,
		    l->window, now, retry_after))
		v = LOGIN_LIMIT_ADDRESS;
	else if (refuses(find(&pairs, pair_key, l->pair_failures, l->window, now, false), l->pair_failures,
			 l->window, now, retry_after))
		v = LOGIN_LIMIT_PAIR;
	pthread_mutex_unlock(&lock);
	return v;
}

bool login_limit_suspect(const struct login_limits *l, const struct sockaddr *client, int64_t now)
{
	unsigned char key[ADDR_LEN + NAME_LEN];
	make_entry_key(key, client, NULL);
	pthread_mutex_lock(&lock);
	struct entry *e = find(&addresses, key, l->address_failures, l->window, now, false);
	bool suspect = e && e->wrong;
	pthread_mutex_unlock(&lock);
	return suspect;
}

void login_limit_failed(const struct login_limits *l, const char *username, const struct sockaddr *client,
			int64_t now)
{
	unsigned char pair_key[ADDR_LEN + NAME_LEN], addr_key[ADDR_LEN + NAME_LEN];
	make_entry_key(pair_key, client, username);
	make_entry_key(addr_key, client, NULL);
	pthread_mutex_lock(&lock);
	struct entry *e = username ? find(&pairs, pair_key, l->pair_failures, l->window, now, true) : NULL;
	if (e)
		e->failures++;
	e = find(&addresses, addr_key, l->address_failures, l->window, now, true);
	if (e) {
		e->failures++;
		e->wrong |= username != NULL;
	}
	pthread_mutex_unlock(&lock);
}

void login_limit_succeeded(const struct login_limits *l, const char *username, const struct sockaddr *client,
			   int64_t now)
{
	unsigned char key[ADDR_LEN + NAME_LEN];
	make_entry_key(key, client, username);
	pthread_mutex_lock(&lock);
	struct entry *e = find(&pairs, key, l->pair_failures, l->window, now, false);
	if (e)
		memset(e, 0, sizeof *e);
	pthread_mutex_unlock(&lock);
}
