/* A fixed table of recent login failures by user name, under one mutex. */
#include "login_limit.h"

#include <pthread.h>
#include <string.h>

#define SLOTS 1024
#define NAME_MAX_LEN 64

struct entry {
	char name[NAME_MAX_LEN + 1];
	int64_t first;   /* time of the first failure of the window */
	int failures;
};

static struct entry table[SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static bool expired(const struct entry *e, int64_t now)
{
	return e->failures == 0 || now - e->first >= LOGIN_LIMIT_WINDOW;
}

/* The live entry of a name among its 8 probe slots; with create, a new one in
   a free slot there, else in the slot whose window started first. */
static struct entry *find(const char *name, int64_t now, bool create)
{
	uint64_t h = 1469598103934665603ULL;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	struct entry *spare = NULL;
	for (int probe = 0; probe < 8; probe++) {
		struct entry *e = &table[(h + (uint64_t)probe) % SLOTS];
		if (!expired(e, now) && strncmp(e->name, name, NAME_MAX_LEN) == 0)
			return e;
		if (!spare || (!expired(spare, now) && (expired(e, now) || e->first < spare->first)))
			spare = e;
	}
	if (!create)
		return NULL;
	memset(spare, 0, sizeof *spare);
	strncpy(spare->name, name, NAME_MAX_LEN);
	spare->first = now;
	return spare;
}

bool login_limit_blocked(const char *username, int64_t now, int64_t *retry_after)
{
	pthread_mutex_lock(&lock);
	struct entry *e = find(username, now, false);
	bool blocked = e && e->failures >= LOGIN_LIMIT_FAILURES;
	if (blocked && retry_after)
		*retry_after = e->first + LOGIN_LIMIT_WINDOW - now;
	pthread_mutex_unlock(&lock);
	return blocked;
}

void login_limit_failed(const char *username, int64_t now)
{
	pthread_mutex_lock(&lock);
	struct entry *e = find(username, now, true);
	if (e)
		e->failures++;
	pthread_mutex_unlock(&lock);
}

void login_limit_succeeded(const char *username, int64_t now)
{
	pthread_mutex_lock(&lock);
	struct entry *e = find(username, now, false);
	if (e)
		memset(e, 0, sizeof *e);
	pthread_mutex_unlock(&lock);
}
