/* The readers waiting for a contest's next change. One lock guards
 * everything; a watcher's wake is called with it held, so removing a watcher
 * (which takes it) guarantees that no wake is running or to come. Watchers
 * are kept per contest, so that a change wakes only its contest's. The
 * keep-alive thread sleeps until the earliest moment a watcher falls silent
 * for keepalive_ms (since its last write, or its last keep-alive wake,
 * whichever is later) and wakes those that have. */
#include "clics_watch.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "log.h"
#include "util.h"

struct clics_watcher {
	struct clics_watch *watch;
	struct contest_watchers *contest;
	void (*wake)(void *ctx, enum clics_wake why);
	void *ctx;
	_Atomic int64_t wrote_us; /* now_us() of the last write (or of the registration) */
	int64_t kept_us;          /* of the last keep-alive wake; under the lock */
	struct clics_watcher *prev, *next;
};

/* The watchers of one contest. */
struct contest_watchers {
	int64_t contest_id;
	struct clics_watcher *head;
	struct contest_watchers *next;
};

struct clics_watch {
	pthread_mutex_t lock; /* guards everything below and every watcher's links and kept_us */
	pthread_cond_t cond;  /* a new watcher, or stopping */
	int64_t keepalive_us;
	struct contest_watchers *contests;
	bool closed;
	bool stopping;
	bool running;
	pthread_t thread;
};

struct clics_watch *clics_watch_new(int64_t keepalive_ms)
{
	struct clics_watch *w = xcalloc(1, sizeof *w);
	w->keepalive_us = keepalive_ms * 1000;
	pthread_mutex_init(&w->lock, NULL);
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&w->cond, &attr);
	pthread_condattr_destroy(&attr);
	return w;
}

static int64_t silent_since(const struct clics_watcher *x)
{
	int64_t wrote = atomic_load(&x->wrote_us);
	return wrote > x->kept_us ? wrote : x->kept_us;
}

/* Wakes the watchers silent for keepalive_us, or nearly (a tenth early, so
   that one sweep serves many and the thread sweeps about ten times a period
   however many watchers there are); returns when the next one falls silent
   (0: none). */
static int64_t keepalive_sweep(struct clics_watch *w, int64_t now)
{
	int64_t next = 0;
	for (struct contest_watchers *c = w->contests; c; c = c->next)
		for (struct clics_watcher *x = c->head; x; x = x->next) {
			int64_t due = silent_since(x) + w->keepalive_us;
			if (due <= now + w->keepalive_us / 10) {
				x->kept_us = now;
				x->wake(x->ctx, CLICS_WAKE_KEEPALIVE);
				due = now + w->keepalive_us;
			}
			if (!next || due < next)
				next = due;
		}
	return next;
}

static void *keepalive_main(void *arg)
{
	struct clics_watch *w = arg;
	pthread_mutex_lock(&w->lock);
	while (!w->stopping) {
		int64_t next = w->closed || w->keepalive_us <= 0 ? 0 : keepalive_sweep(w, now_us());
		if (!next) {
			pthread_cond_wait(&w->cond, &w->lock);
			continue;
		}
		/* now_us() is CLOCK_MONOTONIC, as the condition's clock. */
		struct timespec until = {(time_t)(next / 1000000), (long)(next % 1000000) * 1000};
		pthread_cond_timedwait(&w->cond, &w->lock, &until);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

int clics_watch_start(struct clics_watch *w)
{
	int rc = pthread_create(&w->thread, NULL, keepalive_main, w);
	if (rc)
		return -rc;
	w->running = true;
	return 0;
}

void clics_watch_close_all(struct clics_watch *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	if (!w->closed) {
		w->closed = true;
		for (struct contest_watchers *c = w->contests; c; c = c->next)
			for (struct clics_watcher *x = c->head; x; x = x->next)
				x->wake(x->ctx, CLICS_WAKE_CLOSE);
	}
	pthread_mutex_unlock(&w->lock);
}

void clics_watch_free(struct clics_watch *w)
{
	if (!w)
		return;
	if (w->running) {
		pthread_mutex_lock(&w->lock);
		w->stopping = true;
		pthread_cond_signal(&w->cond);
		pthread_mutex_unlock(&w->lock);
		pthread_join(w->thread, NULL);
	}
	if (w->contests)
		log_warnx("clics: watchers left at shutdown");
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
	free(w);
}

/* The contest a change is about: one in a contest's scope, or the contest itself. */
static int64_t change_contest(const struct db_change *change)
{
	if (change->scope_kind == DB_KIND_CONTEST)
		return change->scope_id;
	if (change->kind == DB_KIND_CONTEST || change->kind == DB_KIND_CONTEST_STATE)
		return change->id;
	return 0;
}

void clics_watch_on_change(struct clics_watch *w, const struct db_change *change)
{
	int64_t contest_id = change_contest(change);
	if (!w || !contest_id)
		return;
	pthread_mutex_lock(&w->lock);
	for (struct contest_watchers *c = w->contests; c; c = c->next)
		if (c->contest_id == contest_id) {
			for (struct clics_watcher *x = c->head; x; x = x->next)
				x->wake(x->ctx, CLICS_WAKE_CHANGE);
			break;
		}
	pthread_mutex_unlock(&w->lock);
}

struct clics_watcher *clics_watch_add(struct clics_watch *w, int64_t contest_id,
				      void (*wake)(void *ctx, enum clics_wake why), void *ctx)
{
	pthread_mutex_lock(&w->lock);
	if (w->closed) {
		pthread_mutex_unlock(&w->lock);
		return NULL;
	}
	struct contest_watchers *c = w->contests;
	while (c && c->contest_id != contest_id)
		c = c->next;
	if (!c) {
		c = xcalloc(1, sizeof *c);
		c->contest_id = contest_id;
		c->next = w->contests;
		w->contests = c;
	}
	struct clics_watcher *x = xcalloc(1, sizeof *x);
	x->watch = w;
	x->contest = c;
	x->wake = wake;
	x->ctx = ctx;
	atomic_store(&x->wrote_us, now_us());
	x->next = c->head;
	if (x->next)
		x->next->prev = x;
	c->head = x;
	pthread_cond_signal(&w->cond); /* the thread may be waiting with no deadline */
	pthread_mutex_unlock(&w->lock);
	return x;
}

void clics_watcher_wrote(struct clics_watcher *x)
{
	if (x)
		atomic_store(&x->wrote_us, now_us());
}

void clics_watch_remove(struct clics_watcher *x)
{
	if (!x)
		return;
	struct clics_watch *w = x->watch;
	struct contest_watchers *c = x->contest;
	pthread_mutex_lock(&w->lock);
	if (x->prev)
		x->prev->next = x->next;
	else
		c->head = x->next;
	if (x->next)
		x->next->prev = x->prev;
	if (!c->head) {
		struct contest_watchers **p = &w->contests;
		while (*p != c)
			p = &(*p)->next;
		*p = c->next;
		free(c);
	}
	pthread_mutex_unlock(&w->lock);
	free(x);
}
