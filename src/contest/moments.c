/* The moments thread (moments.h).
 *
 * Theory of operation. Each pass reads every contest, computes its state at
 * now (the phase of clock.c and, while the freeze hides results, the freeze
 * moment) and, for each whose state differs from the one this thread last
 * saw logged, calls db_contest_log_state, which compares with the stored
 * state and logs in one transaction (so a restart logs only what moved).
 * Then it sleeps until the earliest next moment of any contest, or until a
 * contest change wakes it. The reads come before the writes: a write runs
 * the change hook, whose parts read through this thread's connection too. */
#include "moments.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "clock.h"
#include "log.h"
#include "util.h"

/* One contest's state, as computed at a pass or as last seen logged. */
struct state {
	int64_t id;
	enum contest_state phase;
	int64_t hidden_from;        /* the freeze moment while it hides results, else 0 */
	int64_t next;               /* computed only: the next moment after now; 0: none */
	bool failed;                /* its write failed: not seen logged */
};

struct states {
	struct state *items;
	size_t count, cap;
	int64_t now;
};

struct moments {
	struct db *db;
	pthread_mutex_t lock;       /* guards the three flags */
	pthread_cond_t cond;        /* a contest changed, or stopping */
	bool dirty, stopping, running;
	pthread_t thread;
	struct states logged;       /* the thread's own: the states last seen logged */
};

#define RETRY_MS 1000 /* after a failed write */

/* The first of the contest's moments after now; 0: none. */
static int64_t next_moment(const struct db_contest *c, int64_t now)
{
	struct contest_times t;
	contest_times_of(c, &t);
	const int64_t moments[] = {t.start, t.freeze, t.end, t.thaw, t.finalize};
	int64_t next = 0;
	for (size_t i = 0; i < ARRAY_SIZE(moments); i++)
		if (moments[i] > now && (!next || moments[i] < next))
			next = moments[i];
	return next;
}

static void on_contest(void *ctx, const struct db_contest *c)
{
	struct states *s = ctx;
	if (s->count == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->items = xrealloc(s->items, s->cap * sizeof *s->items);
	}
	struct contest_times t;
	contest_times_of(c, &t);
	s->items[s->count++] = (struct state){
		.id = c->id,
		.phase = contest_state_at(c, s->now),
		.hidden_from = contest_frozen_at(c, s->now) ? t.freeze : 0,
		.next = next_moment(c, s->now),
	};
}

static const struct state *find(const struct states *s, int64_t id)
{
	for (size_t i = 0; i < s->count; i++)
		if (s->items[i].id == id)
			return &s->items[i];
	return NULL;
}

/* Logs every contest's state at now that differs from the one last seen
   logged. Returns the moment of the next pass (0: none until a change). */
static int64_t pass(struct moments *m)
{
	struct states now = {.now = contest_now_ms()};
	db_contests_list(m->db, on_contest, &now);
	int64_t next = 0;
	for (size_t i = 0; i < now.count; i++) {
		struct state *s = &now.items[i];
		const struct state *old = find(&m->logged, s->id);
		bool logged = false;
		int rc = 0;
		if (!old || old->failed || old->phase != s->phase || old->hidden_from != s->hidden_from)
			rc = db_contest_log_state(m->db, s->id, contest_state_name(s->phase), s->hidden_from, &logged);
		if (rc != 0 && rc != DB_E_NOT_FOUND) {
			log_warn("moments: cannot log the state of contest %lld", (long long)s->id);
			s->failed = true; /* tried again */
			if (!s->next || s->next > now.now + RETRY_MS)
				s->next = now.now + RETRY_MS;
		} else if (logged) {
			log_info("moments: contest %lld is %s%s", (long long)s->id, contest_state_name(s->phase),
				 s->hidden_from ? " (results hidden)" : "");
		}
		if (s->next && (!next || s->next < next))
			next = s->next;
	}
	/* The contests of now are the ones seen from here on (deleted ones drop out). */
	free(m->logged.items);
	m->logged = now;
	return next;
}

static void *moments_main(void *arg)
{
	struct moments *m = arg;
	pthread_mutex_lock(&m->lock);
	while (!m->stopping) {
		m->dirty = false;
		pthread_mutex_unlock(&m->lock);
		int64_t next = pass(m);
		pthread_mutex_lock(&m->lock);
		if (m->dirty || m->stopping)
			continue;
		if (!next) {
			pthread_cond_wait(&m->cond, &m->lock);
			continue;
		}
		struct timespec ts = {(time_t)(next / 1000), (long)(next % 1000) * 1000000L};
		pthread_cond_timedwait(&m->cond, &m->lock, &ts);
	}
	pthread_mutex_unlock(&m->lock);
	return NULL;
}

struct moments *moments_new(struct db *db)
{
	struct moments *m = xcalloc(1, sizeof *m);
	m->db = db;
	pthread_mutex_init(&m->lock, NULL);
	/* The moments are wall-clock times: wait on that clock. */
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_REALTIME);
	pthread_cond_init(&m->cond, &attr);
	pthread_condattr_destroy(&attr);
	return m;
}

int moments_start(struct moments *m)
{
	int rc = pthread_create(&m->thread, NULL, moments_main, m);
	if (rc != 0)
		return -rc;
	m->running = true;
	return 0;
}

void moments_on_change(struct moments *m, const struct db_change *change)
{
	if (!m || change->kind != DB_KIND_CONTEST)
		return;
	pthread_mutex_lock(&m->lock);
	m->dirty = true;
	pthread_cond_signal(&m->cond);
	pthread_mutex_unlock(&m->lock);
}

void moments_free(struct moments *m)
{
	if (!m)
		return;
	if (m->running) {
		pthread_mutex_lock(&m->lock);
		m->stopping = true;
		pthread_cond_signal(&m->cond);
		pthread_mutex_unlock(&m->lock);
		pthread_join(m->thread, NULL);
	}
	free(m->logged.items);
	pthread_cond_destroy(&m->cond);
	pthread_mutex_destroy(&m->lock);
	free(m);
}
