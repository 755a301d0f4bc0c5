/* The readers waiting for a contest's next change: each stream of an event
 * feed (HTTP or WebSocket) registers a wake function for its contest; the
 * change hook wakes every stream of the changed contest, and a keep-alive
 * thread wakes a stream that has sent nothing for `keepalive_ms` (CLICS:
 * a newline after 120 s of silence), so that its transport writes "\n".
 * Everything here may be called from any thread. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#include "db.h"

struct clics_watch;
struct clics_watcher;

enum clics_wake {
	CLICS_WAKE_CHANGE,    /* the contest's scope changed: call clics_feed_next */
	CLICS_WAKE_KEEPALIVE, /* silent for keepalive_ms: write "\n" */
	CLICS_WAKE_CLOSE,     /* the server is stopping: end the stream */
};

struct clics_watch *clics_watch_new(int64_t keepalive_ms);
/* Starts the keep-alive thread. 0 or negative errno. */
int clics_watch_start(struct clics_watch *w);
/* Wakes every watcher with CLICS_WAKE_CLOSE and refuses new ones; call
   before the HTTP and WebSocket servers stop. Idempotent. */
void clics_watch_close_all(struct clics_watch *w);
/* Stops the thread and frees; every watcher must have been removed. NULL is fine. */
void clics_watch_free(struct clics_watch *w);

/* Part of the change hook: wakes the watchers of the contest whose scope the
   change is in (or the contest itself). Quick; never blocks on a reader. */
void clics_watch_on_change(struct clics_watch *w, const struct db_change *change);

/* Registers wake(ctx, why) for contest_id; NULL after clics_watch_close_all.
   wake is called with the watch's lock held: it must be quick and must not
   call back into the watch. */
struct clics_watcher *clics_watch_add(struct clics_watch *w, int64_t contest_id,
				      void (*wake)(void *ctx, enum clics_wake why), void *ctx);
/* The stream wrote something: its keep-alive clock starts again. */
void clics_watcher_wrote(struct clics_watcher *x);
/* Unregisters; after it returns wake is never called again. NULL is fine. */
void clics_watch_remove(struct clics_watcher *x);
