/* In-process publish/subscribe between the change log and the WebSocket
 * connections. Producers publish each change as one message, written once,
 * to the topics it belongs to (a problem's submissions, one submission, and
 * later a contest's scoreboard or clarifications); the hub fans it out to
 * the subscribers of those topics and replays missed changes through its
 * source (the change log, see feed.h) for subscribers that resume (?after=)
 * or fall behind. The hub knows nothing of what the messages say: a topic
 * and an object are (kind, id) keys. See the theory of operation at the top
 * of hub.c.
 *
 * Threads: hub_publish, hub_listening, hub_msg_new and the hub_user_*
 * functions may be called from any thread. Everything else after hub_start,
 * including every struct hub_sub and every published struct hub_msg,
 * belongs to one owner thread (the WebSocket service thread), which is woken
 * through the callback given to hub_set_wake. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hub;
struct hub_sub;
struct hub_msg;

/* A topic (kind: enum feed_topic) or an object that changed (kind: its
   store kind): messages of one object are coalesced with each other. */
struct hub_key {
	int kind;
	int64_t id;
};

#define HUB_QUEUE_MAX 256   /* unsent live messages per subscriber */
#define HUB_COALESCE_AFTER 16 /* a subscriber with this many waiting is behind: coalesce */
#define HUB_DISPATCH_MAX 64 /* changes fanned out per hub_dispatch call */
#define HUB_REPLAY_PAGE 64  /* objects per database query when replaying */
#define HUB_TOPICS_MAX 4    /* topics one message is published to */

/* Where replays come from. */
struct hub_source {
	/* Fills msgs (room for `limit`) with the current state of every object
	   of `topic` that changed after seq `after`, in seq order, as state
	   messages; returns how many (fewer than limit: there are no more).
	   Runs on the replay thread. */
	int (*replay)(void *ctx, struct hub_key topic, int64_t after, struct hub_msg **msgs, int limit);
	/* True when replay rebuilds everything a topic's subscribers need (it
	   carries no events): an overflowing subscriber is then resynchronised
	   from it, else it fails and its connection is closed. */
	bool (*resyncs)(void *ctx, struct hub_key topic);
	void *ctx;
	/* Called by hub_free with ctx (may be NULL). */
	void (*release)(void *ctx);
};

struct hub *hub_new(const struct hub_source *source);
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

/* A message of `len` bytes of JSON text (malloc'd, NUL-terminated, taken
   over) about a change of `object` at `seq`. A state message is the
   object's whole current state: a newer one replaces it in a slow
   subscriber's queue, and a replay covers it; an event (a test result) is
   neither. Any thread. */
struct hub_msg *hub_msg_new(struct hub_key object, int64_t seq, bool state, char *text, size_t len);
/* Publishes msg (its reference is taken) to `count` topics (at most
   HUB_TOPICS_MAX): enqueues and wakes the owner; never blocks on
   subscribers. Messages reach each subscriber in the order published. Call
   in seq order (the change hook does). Any thread. */
void hub_publish(struct hub *hub, const struct hub_key *topics, size_t count, struct hub_msg *msg);
/* False while nobody is subscribed or nothing is being delivered: then
   publishing would drop the message, so a producer may skip writing it. */
bool hub_listening(struct hub *hub);
/* A subscriber on its way (admitted, not yet subscribed) counts as
   listening, so what commits meanwhile is published. Any thread; each
   hub_expect is undone by one hub_expect_done. */
void hub_expect(struct hub *hub);
void hub_expect_done(struct hub *hub);
/* The highest seq hub_dispatch has fanned out so far (owner thread): a
   subscriber admitted at seq N that finds this above N missed something
   and subscribes with after = N. */
int64_t hub_dispatched_seq(const struct hub *hub);

/* Connection accounting per user, any thread: takes one of a user's `max`
   slots (false when all are taken), or gives one back. */
bool hub_user_acquire(struct hub *hub, int64_t user_id, int max);
void hub_user_release(struct hub *hub, int64_t user_id);
int hub_user_count(struct hub *hub, int64_t user_id);
/* Some sessions of a user ended (logout, password reset): the owner is woken
   and finds the user with hub_take_sessions_ended. Dropped while nothing is
   delivered (no wake set). Any thread. */
void hub_user_sessions_ended(struct hub *hub, int64_t user_id);
/* How many times sessions ended so far: a connection admitted before a change
   of it and opened after must recheck its session. Any thread. */
uint64_t hub_sessions_ended_count(struct hub *hub);

/* ---- owner thread only ---- */

/* Delivers the replay results and up to HUB_DISPATCH_MAX published changes;
   if more are waiting it wakes the owner again, so that the owner can let
   subscribers write in between (a burst does not fill every queue at once). */
void hub_dispatch(struct hub *hub);

/* The users passed to hub_user_sessions_ended since the last call (malloc'd,
   *count of them, the caller frees; NULL when none). Call after hub_dispatch,
   which clears the pending wake, so that none is missed. */
int64_t *hub_take_sessions_ended(struct hub *hub, size_t *count);

/* Subscribes to a topic. With after >= 0 the subscriber first receives the
   current state of every object of the topic whose seq is greater than
   `after`, replayed from the source, then the live changes, with no gap and
   no duplicate; with after < 0 only the live changes. notify(ctx) is called (from
   hub_dispatch) when hub_sub_next has something to return again after it
   returned NULL, and when the subscriber has failed. Until hub_sub_next
   returns NULL there is no notify: the caller keeps calling it (at its own
   pace) until then. */
struct hub_sub *hub_subscribe(struct hub *hub, struct hub_key topic, int64_t after, void (*notify)(void *ctx),
			      void *ctx);
/* Unsubscribes and frees (perhaps later, when a replay query returns). NULL is fine. */
void hub_unsubscribe(struct hub_sub *sub);
/* The next message to send, or NULL if none is ready. The caller owns the
   returned reference (hub_msg_unref it once written). State messages come
   in strictly increasing seq order. */
struct hub_msg *hub_sub_next(struct hub_sub *sub);
/* True when the subscriber fell too far behind to be resynchronised (only
   on topics that do not resync, whose events cannot be replayed): the
   connection should be closed. */
bool hub_sub_failed(const struct hub_sub *sub);

/* The message's JSON text (NUL-terminated) and its length. */
const char *hub_msg_text(const struct hub_msg *msg, size_t *len);
void hub_msg_unref(struct hub_msg *msg);
