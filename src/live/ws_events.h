/* The CLICS event feed on a WebSocket (/ws/contests/{key}/events/): one
 * socket's feed (clics_feed.h) and its watcher (clics_watch.h), and the
 * queue of the sockets woken since the service thread last looked.
 *
 * Threads. The watch calls the wake function from other threads: it marks
 * the socket, queues it under the queue's lock and cancels the lws service
 * wait. The service thread takes the queue (ws_events_woken), asks those
 * sockets for WRITEABLE and, in each WRITEABLE callback, adds one bounded
 * batch of lines (ws_events_next). Only ws.c includes this. */
#pragma once
#include <stddef.h>

#include "clics_feed.h"

struct app;
struct clics_watch;
struct lws_context;
struct ws_events;
struct ws_events_queue;

/* Opens the feed of contest `key` (its shortname, or else its numeric id) for
   user (NULL: the public) after since_token (NULL: from the beginning).
   Returns 0 with *feed set, or an HTTP status (404, 400) with the API error
   code and a message. Any thread. */
int ws_events_admit(const struct app *app, const char *key, const struct db_user *user, const char *since_token,
		    struct clics_feed **feed, const char **code, char *msg, size_t msg_size);

struct ws_events_queue *ws_events_queue_new(struct lws_context *ctx);
/* Every socket must have been closed. NULL is fine. */
void ws_events_queue_free(struct ws_events_queue *q);

/* Takes the feed; owner is handed back by ws_events_woken. Watches through
   watch (NULL: no live changes). Service thread. */
struct ws_events *ws_events_open(struct ws_events_queue *q, struct clics_watch *watch, struct clics_feed *feed,
				 void *owner);
/* Stops watching and frees the feed. NULL is fine. Service thread. */
void ws_events_close(struct ws_events *e);
/* Calls fn(owner) once for each socket woken since the last call. Service thread. */
void ws_events_woken(struct ws_events_queue *q, void (*fn)(void *owner));

enum ws_events_step {
	WS_EVENTS_MORE,  /* lines may follow at once: ask for WRITEABLE again */
	WS_EVENTS_IDLE,  /* caught up: a change wakes the socket */
	WS_EVENTS_END,   /* the end_of_updates line is in (or was sent): close normally */
	WS_EVENTS_CLOSE, /* the server is stopping: close (going away) */
};

/* Appends the next lines (each ending in '\n', about max bytes) to out.
   Service thread, in WRITEABLE. */
enum ws_events_step ws_events_next(struct ws_events *e, struct buf *out, size_t max);
/* The socket wrote something (restarts the watch's keep-alive clock). */
void ws_events_wrote(struct ws_events *e);
