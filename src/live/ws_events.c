/* The CLICS event feed on a WebSocket: admission, the watcher's wake and the
 * queue of woken sockets, and one batch of the feed per WRITEABLE callback
 * (see ws_events.h). */
#include "ws_events.h"

#include <libwebsockets.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "clics_watch.h"
#include "db.h"
#include "metrics.h"
#include "util.h"

struct ws_events_queue {
	struct lws_context *ctx;
	pthread_mutex_t lock;       /* guards the list and every socket's queued */
	struct ws_events *head;     /* the woken sockets, newest first */
};

struct ws_events {
	struct ws_events_queue *q;
	struct clics_feed *feed;
	struct clics_watcher *watcher;
	void *owner;
	atomic_bool closing;        /* CLICS_WAKE_CLOSE, or no watcher could be added */
	bool ended;                 /* the feed said END (service thread) */
	bool queued;                /* on q's list (under q->lock) */
	struct ws_events *prev, *next;
};

int ws_events_admit(const struct app *app, const char *key, const struct db_user *user, const char *since_token,
		    struct clics_feed **feed, const char **code, char *msg, size_t msg_size)
{
	*feed = NULL;
	/* The shortname first, as in /api/clics/contests/{key}; else the id the
	   other /ws/contests/{id}/ paths take. */
	char shortname[64];
	const char *name = key;
	int64_t id, by_name;
	struct db_contest c;
	if (db_contest_by_shortname(app->db, key, &by_name) != 0 && parse_id(key, &id) &&
	    db_contest_get(app->db, id, &c) == 0) {
		snprintf(shortname, sizeof shortname, "%s", c.shortname);
		db_contest_release(&c);
		name = shortname;
	}
	switch (clics_feed_open(app, name, user, since_token, feed)) {
	case CLICS_FEED_OK:
		return 0;
	case CLICS_FEED_BAD_TOKEN:
		*code = "bad_request";
		snprintf(msg, msg_size, "invalid since_token '%.32s': expected a token of this server's event feed",
			 since_token ? since_token : "");
		return 400;
	case CLICS_FEED_NO_CONTEST:
	default:
		*code = "not_found";
		snprintf(msg, msg_size, "contest '%.64s' does not exist", key);
		return 404;
	}
}

struct ws_events_queue *ws_events_queue_new(struct lws_context *ctx)
{
	struct ws_events_queue *q = xcalloc(1, sizeof *q);
	q->ctx = ctx;
	pthread_mutex_init(&q->lock, NULL);
	return q;
}

void ws_events_queue_free(struct ws_events_queue *q)
{
	if (!q)
		return;
	pthread_mutex_destroy(&q->lock);
	free(q);
}

static void unlink_locked(struct ws_events *e)
{
	if (!e->queued)
		return;
	if (e->prev)
		e->prev->next = e->next;
	else
		e->q->head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	e->prev = e->next = NULL;
	e->queued = false;
}

static void enqueue(struct ws_events *e)
{
	struct ws_events_queue *q = e->q;
	pthread_mutex_lock(&q->lock);
	if (!e->queued) {
		e->queued = true;
		e->prev = NULL;
		e->next = q->head;
		if (q->head)
			q->head->prev = e;
		q->head = e;
	}
	pthread_mutex_unlock(&q->lock);
	lws_cancel_service(q->ctx);
}

/* The watch's thread, with its lock held: quick. */
static void on_wake(void *ctx, enum clics_wake why)
{
	struct ws_events *e = ctx;
	if (why == CLICS_WAKE_KEEPALIVE)
		return; /* ws.c's pings keep the socket alive */
	if (why == CLICS_WAKE_CLOSE)
		atomic_store(&e->closing, true);
	enqueue(e);
}

struct ws_events *ws_events_open(struct ws_events_queue *q, struct clics_watch *watch, struct clics_feed *feed,
				 void *owner)
{
	struct ws_events *e = xcalloc(1, sizeof *e);
	e->q = q;
	e->feed = feed;
	e->owner = owner;
	atomic_init(&e->closing, false);
	if (watch) {
		e->watcher = clics_watch_add(watch, clics_feed_contest_id(feed), on_wake, e);
		if (!e->watcher)
			atomic_store(&e->closing, true); /* the server is stopping */
	}
	return e;
}

void ws_events_close(struct ws_events *e)
{
	if (!e)
		return;
	clics_watch_remove(e->watcher); /* no wake after this */
	pthread_mutex_lock(&e->q->lock);
	unlink_locked(e);
	pthread_mutex_unlock(&e->q->lock);
	clics_feed_free(e->feed);
	free(e);
}

void ws_events_woken(struct ws_events_queue *q, void (*fn)(void *owner))
{
	pthread_mutex_lock(&q->lock);
	struct ws_events *e = q->head;
	q->head = NULL;
	while (e) {
		struct ws_events *next = e->next;
		e->prev = e->next = NULL;
		e->queued = false;
		fn(e->owner); /* lws_callback_on_writable: does not call back */
		e = next;
	}
	pthread_mutex_unlock(&q->lock);
}

enum ws_events_step ws_events_next(struct ws_events *e, struct buf *out, size_t max)
{
	if (atomic_load(&e->closing))
		return WS_EVENTS_CLOSE;
	if (e->ended)
		return WS_EVENTS_END;
	size_t before = out->len;
	int64_t t0 = now_us();
	/* A change committed while this runs queues the socket again, so that
	   the feed never misses one and never waits for one it has read. */
	enum clics_feed_step step = clics_feed_next(e->feed, out, max);
	metrics_add(METRIC_WS_EVENTS_FEED_US, now_us() - t0);
	metrics_add(METRIC_WS_EVENTS_FEED_CALLS, 1);
	int64_t lines = 0;
	for (size_t i = before; i < out->len; i++)
		lines += out->data[i] == '\n';
	metrics_add(METRIC_WS_EVENTS_LINES, lines);
	if (step == CLICS_FEED_END) {
		e->ended = true;
		return WS_EVENTS_END;
	}
	return step == CLICS_FEED_MORE ? WS_EVENTS_MORE : WS_EVENTS_IDLE;
}

void ws_events_wrote(struct ws_events *e)
{
	if (e->watcher)
		clics_watcher_wrote(e->watcher);
}
