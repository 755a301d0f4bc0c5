/* In-process publish/subscribe between the database and the WebSocket
 * connections. The database calls hub_on_change after every commit that
 * changed submissions, in seq order (see db_set_change_hook); the hub
 * serialises each message once and fans it out to the subscribers of its
 * topics (the submission's problem, the submission itself), and replays
 * missed changes from the database for subscribers that resume (?after=) or
 * fall behind. See the theory of operation at the top of hub.c.
 *
 * Threads: hub_on_change and the hub_user_* functions may be called from any
 * thread. Everything else after hub_start, including every struct hub_sub and
 * struct hub_msg, belongs to one owner thread (the WebSocket service thread),
 * which is woken through the callback given to hub_set_wake. */
#pragma once
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct hub;
struct hub_sub;
struct hub_msg;

enum hub_topic { HUB_TOPIC_PROBLEM, HUB_TOPIC_SUBMISSION };

#define HUB_QUEUE_MAX 256   /* unsent live messages per subscriber */
#define HUB_COALESCE_AFTER 16 /* a subscriber with this many waiting is behind: coalesce */
#define HUB_DISPATCH_MAX 64 /* changes fanned out per hub_dispatch call */
#define HUB_REPLAY_PAGE 64  /* submissions per database query when replaying */

struct hub *hub_new(struct db *db);
/* Starts the replay thread. 0 or negative errno. Call only once nothing forks any more. */
int hub_start(struct hub *hub);
/* Stops and joins the replay thread; call before the database closes. Idempotent. */
void hub_stop(struct hub *hub);
/* Frees everything; all subscribers must have unsubscribed. NULL is fine. */
void hub_free(struct hub *hub);

/* Sets the function that wakes the owner thread when hub_dispatch has work
   (called with the hub's lock held, so it must be quick and must not call back
   into the hub; lws_cancel_service is). NULL stops publishing: changes are
   then dropped, as they are before the first call. Any thread. */
void hub_set_wake(struct hub *hub, void (*wake)(void *ctx), void *ctx);

/* A db_change_hook: `update` is a "submission_update" message, `test` a
   "test_result" message or NULL; both borrowed. Serialises and enqueues, then
   wakes the owner; never blocks on subscribers. Any thread. */
void hub_on_change(void *hub, const json_t *update, const json_t *test);

/* Connection accounting per user, any thread: takes one of a user's `max`
   slots (false when all are taken), or gives one back. */
bool hub_user_acquire(struct hub *hub, int64_t user_id, int max);
void hub_user_release(struct hub *hub, int64_t user_id);
int hub_user_count(struct hub *hub, int64_t user_id);

/* ---- owner thread only ---- */

/* Delivers the replay results and up to HUB_DISPATCH_MAX published changes;
   if more are waiting it wakes the owner again, so that the owner can let
   subscribers write in between (a burst does not fill every queue at once). */
void hub_dispatch(struct hub *hub);

/* Subscribes to a topic. With after >= 0 the subscriber first receives the
   current state of every submission in scope whose seq is greater than
   `after`, read from the database, then the live changes, with no gap and no
   duplicate; with after < 0 only the live changes. notify(ctx) is called (from
   hub_dispatch) when hub_sub_next has something to return again after it
   returned NULL, and when the subscriber has failed. Until hub_sub_next
   returns NULL there is no notify: the caller keeps calling it (at its own
   pace) until then. */
struct hub_sub *hub_subscribe(struct hub *hub, enum hub_topic topic, int64_t id, int64_t after,
			      void (*notify)(void *ctx), void *ctx);
/* Unsubscribes and frees (perhaps later, when a replay query returns). NULL is fine. */
void hub_unsubscribe(struct hub_sub *sub);
/* The next message to send, or NULL if none is ready. The caller owns the
   returned reference (hub_msg_unref it once written). Submission updates come
   in strictly increasing seq order. */
struct hub_msg *hub_sub_next(struct hub_sub *sub);
/* True when the subscriber fell too far behind to be resynchronised (only
   per-submission subscribers, whose test results the database cannot replay):
   the connection should be closed. */
bool hub_sub_failed(const struct hub_sub *sub);

/* The message's JSON text (NUL-terminated) and its length. */
const char *hub_msg_text(const struct hub_msg *msg, size_t *len);
int64_t hub_msg_seq(const struct hub_msg *msg);
void hub_msg_unref(struct hub_msg *msg);
