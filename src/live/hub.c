/* Publish/subscribe hub: live changes of any kind of object to WebSocket
 * subscribers, with replay from the change log for subscribers that resume
 * or fall behind.
 *
 * Theory of operation
 *
 * Keys. A topic is a (kind, id) key: a problem's submissions, one
 * submission, and later a contest's scoreboard or clarifications (feed.h
 * names them). A message is about one object, also a (kind, id) key, at one
 * seq; it is either the object's whole current state (coalescible, and what
 * a replay returns) or an event that goes with a change (a test result).
 * The hub reads neither the keys' kinds nor the messages' text.
 *
 * Three kinds of threads touch the hub:
 *   - producers: whatever thread commits a change. The database calls its
 *     change hook (feed_on_change) under its writer lock, once per change,
 *     in seq order, with (kind, id, seq, scope); the feed writes the
 *     message once with the views (JSON text in a refcounted hub_msg) and
 *     hub_publish appends it, with the topics it goes to, to the ingress
 *     list under hub->lock and wakes the owner if it is not already woken.
 *     No fan-out, no database access, no lws.
 *   - the owner (the WebSocket service thread): hub_dispatch takes the whole
 *     ingress list and the replay results, and appends references to the
 *     message to the queues of the topics' subscribers. Topics, subscribers
 *     and message reference counts are touched only here, so they need no lock.
 *   - the replay thread: asks the source (struct hub_source: the change log,
 *     "objects of this topic changed after seq", joined to the objects and
 *     written by the same views) for one page of HUB_REPLAY_PAGE at a time
 *     and posts the messages back like a producer. The owner thread never
 *     waits for the database.
 *
 * hub_dispatch fans out at most HUB_DISPATCH_MAX changes per call and wakes
 * the owner again for the rest, so a burst (a problem rejudge) reaches the
 * sockets in slices that subscribers who keep up can write out in between.
 *
 * Per subscriber there are two queues: `replay` (pages from the database)
 * and `live` (messages from dispatch). hub_sub_next drains replay first and
 * never returns a live message while a replay is under way.
 *
 * Seam. A subscriber with ?after=SEQ is subscribed (its live queue starts
 * buffering) before its first query is submitted, so every change committed
 * after the query starts reaches the live queue; every change committed
 * before is in the query's answer or superseded by a newer state. The query
 * asks for seq > cursor, ordered by seq, one page at a time; the next page is
 * asked for only when the previous one has been sent (flow control), from
 * the last seq of that page. A short page ends the replay at its last seq L:
 * live state messages with seq <= L are dropped (the replay covered them)
 * and the rest follow. `floor` is the highest seq handed to the subscriber's
 * queues; later state messages at or below it are dropped, so seq strictly
 * increases.
 *
 * Slow subscribers. A subscriber with HUB_COALESCE_AFTER or more messages
 * waiting is behind: a pending state message of the same object (kind, id)
 * is then replaced by the newer one (moved to the tail so that seq order
 * holds), so the newest state wins, counted as coalesced. One that keeps up
 * sees every state. If the live queue still reaches HUB_QUEUE_MAX, a
 * subscriber of a topic that resyncs (source->resyncs: a problem's
 * submissions) is resynchronised from the change log: both queues
 * are dropped and a replay starts from the last seq actually sent, which
 * delivers the current state of everything changed since, i.e. a correct,
 * coalesced catch-up. Memory per subscriber stays bounded by the two queues
 * (pointers to shared messages). A subscriber of a topic with events (one
 * submission, whose test results the change log cannot replay) cannot be
 * resynchronised that way, so it is marked failed and its connection is
 * closed; the client reconnects with ?after= and reads the tests over REST. */
#include "hub.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "metrics.h"
#include "util.h"

#define USER_BUCKETS 64

struct hub_msg {
	int refs;               /* owner thread only, once published */
	bool state;             /* the object's whole state, else an event */
	struct hub_key object;  /* what changed */
	int64_t seq;            /* of the change */
	size_t len;
	char *text;             /* JSON, NUL-terminated, owned */
};

/* A FIFO of message references that can also remove from the middle. */
struct ring {
	struct hub_msg **items;
	uint32_t head, len, cap;
};

struct event {                  /* one message, producer -> owner */
	struct event *next;
	struct hub_msg *msg;
	struct hub_key topics[HUB_TOPICS_MAX];
	size_t topic_count;
};

struct job {                    /* one replay query, owner -> replay thread */
	struct job *next;
	struct hub_sub *sub;
	struct hub_key topic;
	int64_t cursor;
};

struct result {                 /* its answer, replay thread -> owner */
	struct result *next;
	struct hub_sub *sub;
	struct hub_msg **msgs;
	int count;
	bool full;              /* a whole page: there may be more */
};

struct topic {
	struct topic *next;     /* bucket chain */
	struct hub_key key;
	bool resyncs;           /* source->resyncs(key) */
	struct hub_sub *subs;
};

struct hub_sub {
	struct hub *hub;
	struct topic *topic;    /* NULL once unsubscribed */
	struct hub_sub *prev, *next;
	void (*notify)(void *ctx);
	void *ctx;
	bool replaying;         /* the replay queue comes first; live waits */
	bool buffering;         /* replaying: live messages are kept (false after an overflow) */
	bool job_pending;       /* a query for this subscriber is queued or running */
	bool more;              /* replaying: another query is needed once the replay queue drains */
	bool dead;              /* unsubscribed while a query was pending */
	bool failed;            /* overflowed beyond repair (a topic that does not resync) */
	bool idle;              /* hub_sub_next returned NULL since the last notify */
	int64_t floor;          /* highest state seq queued; state messages at or below are dropped */
	int64_t sent;           /* seq of the last state message returned by hub_sub_next */
	struct ring replay, live;
};

struct user_slot {
	struct user_slot *next;
	int64_t user_id;
	int count;
};

struct hub {
	struct hub_source source;
	pthread_mutex_t lock;   /* guards the lists below, wake and the thread state */
	pthread_cond_t cond;    /* jobs arrived or stopping */
	struct event *events, **events_tail;
	struct result *results, **results_tail;
	struct job *jobs, **jobs_tail;
	void (*wake)(void *ctx);
	void *wake_ctx;
	bool wake_pending;      /* the owner has been woken and has not dispatched yet */
	int64_t *ended;         /* users some of whose sessions ended, for the owner */
	size_t ended_len, ended_cap;
	atomic_uint_fast64_t ended_count; /* hub_user_sessions_ended calls ever */
	bool running, stopping;
	pthread_t thread;
	atomic_int subscribers; /* producers skip all work while nobody listens */
	int64_t dispatched;     /* owner thread: the highest seq fanned out */

	struct topic **buckets; /* owner thread only */
	size_t bucket_count, topic_count;

	pthread_mutex_t users_lock;
	struct user_slot *users[USER_BUCKETS];
};

/* ---- messages ---- */

struct hub_msg *hub_msg_new(struct hub_key object, int64_t seq, bool state, char *text, size_t len)
{
	struct hub_msg *m = xmalloc(sizeof *m);
	*m = (struct hub_msg){1, state, object, seq, len, text};
	return m;
}

void hub_msg_unref(struct hub_msg *m)
{
	if (m && --m->refs == 0) {
		free(m->text);
		free(m);
	}
}

const char *hub_msg_text(const struct hub_msg *m, size_t *len)
{
	*len = m->len;
	return m->text;
}

/* ---- rings ---- */

static struct hub_msg **ring_at(struct ring *r, uint32_t i)
{
	return &r->items[(r->head + i) & (r->cap - 1)];
}

static void ring_push(struct ring *r, struct hub_msg *m)
{
	if (r->len == r->cap) {
		uint32_t cap = r->cap ? r->cap * 2 : 4;
		struct hub_msg **items = xmalloc(cap * sizeof *items);
		for (uint32_t i = 0; i < r->len; i++)
			items[i] = *ring_at(r, i);
		free(r->items);
		r->items = items;
		r->cap = cap;
		r->head = 0;
	}
	*ring_at(r, r->len++) = m;
}

static struct hub_msg *ring_pop(struct ring *r)
{
	struct hub_msg *m = r->items[r->head];
	r->head = (r->head + 1) & (r->cap - 1);
	r->len--;
	return m;
}

/* Removes entry i (not unref'd), keeping the order of the others. */
static void ring_remove(struct ring *r, uint32_t i)
{
	for (; i + 1 < r->len; i++)
		*ring_at(r, i) = *ring_at(r, i + 1);
	r->len--;
}

static void ring_clear(struct ring *r)
{
	while (r->len)
		hub_msg_unref(ring_pop(r));
}

static void ring_release(struct ring *r)
{
	ring_clear(r);
	free(r->items);
	memset(r, 0, sizeof *r);
}

/* ---- topics (owner thread) ---- */

static bool key_eq(struct hub_key a, struct hub_key b)
{
	return a.kind == b.kind && a.id == b.id;
}

static size_t topic_hash(struct hub *hub, struct hub_key key)
{
	uint64_t h = (uint64_t)key.id * 0x9e3779b97f4a7c15u ^ (uint64_t)key.kind;
	return (size_t)(h >> 32) & (hub->bucket_count - 1);
}

static struct topic *topic_find(struct hub *hub, struct hub_key key)
{
	for (struct topic *t = hub->buckets[topic_hash(hub, key)]; t; t = t->next)
		if (key_eq(t->key, key))
			return t;
	return NULL;
}

static struct topic *topic_get(struct hub *hub, struct hub_key key)
{
	struct topic *t = topic_find(hub, key);
	if (t)
		return t;
	if (hub->topic_count >= hub->bucket_count) {
		size_t old_count = hub->bucket_count;
		struct topic **old = hub->buckets;
		hub->bucket_count *= 2;
		hub->buckets = xcalloc(hub->bucket_count, sizeof *hub->buckets);
		for (size_t b = 0; b < old_count; b++)
			while (old[b]) {
				struct topic *move = old[b];
				old[b] = move->next;
				size_t h = topic_hash(hub, move->key);
				move->next = hub->buckets[h];
				hub->buckets[h] = move;
			}
		free(old);
	}
	t = xcalloc(1, sizeof *t);
	t->key = key;
	t->resyncs = hub->source.resyncs(hub->source.ctx, key);
	size_t h = topic_hash(hub, key);
	t->next = hub->buckets[h];
	hub->buckets[h] = t;
	hub->topic_count++;
	return t;
}

static void topic_drop_if_empty(struct hub *hub, struct topic *t)
{
	if (t->subs)
		return;
	for (struct topic **p = &hub->buckets[topic_hash(hub, t->key)]; *p; p = &(*p)->next)
		if (*p == t) {
			*p = t->next;
			break;
		}
	hub->topic_count--;
	free(t);
}

/* ---- life cycle ---- */

struct hub *hub_new(const struct hub_source *source)
{
	struct hub *hub = xcalloc(1, sizeof *hub);
	hub->source = *source;
	pthread_mutex_init(&hub->lock, NULL);
	pthread_mutex_init(&hub->users_lock, NULL);
	pthread_cond_init(&hub->cond, NULL);
	hub->events_tail = &hub->events;
	hub->results_tail = &hub->results;
	hub->jobs_tail = &hub->jobs;
	hub->bucket_count = 64;
	hub->buckets = xcalloc(hub->bucket_count, sizeof *hub->buckets);
	return hub;
}

static void *replay_main(void *arg);

int hub_start(struct hub *hub)
{
	int rc = pthread_create(&hub->thread, NULL, replay_main, hub);
	if (rc != 0)
		return -rc;
	hub->running = true;
	return 0;
}

void hub_stop(struct hub *hub)
{
	if (!hub || !hub->running)
		return;
	pthread_mutex_lock(&hub->lock);
	hub->stopping = true;
	pthread_cond_signal(&hub->cond);
	pthread_mutex_unlock(&hub->lock);
	pthread_join(hub->thread, NULL);
	hub->running = false;
}

static void sub_free(struct hub_sub *sub)
{
	ring_release(&sub->replay);
	ring_release(&sub->live);
	free(sub);
}

static void result_free(struct result *r)
{
	for (int i = 0; i < r->count; i++)
		hub_msg_unref(r->msgs[i]);
	free(r->msgs);
	free(r);
}

void hub_free(struct hub *hub)
{
	if (!hub)
		return;
	hub_stop(hub);
	while (hub->events) {
		struct event *e = hub->events;
		hub->events = e->next;
		hub_msg_unref(e->msg);
		free(e);
	}
	/* Subscribers still referenced here were unsubscribed while their query
	   was pending; each is referenced by exactly one job or result. */
	while (hub->jobs) {
		struct job *j = hub->jobs;
		hub->jobs = j->next;
		if (j->sub->dead)
			sub_free(j->sub);
		free(j);
	}
	while (hub->results) {
		struct result *r = hub->results;
		hub->results = r->next;
		if (r->sub->dead)
			sub_free(r->sub);
		result_free(r);
	}
	for (size_t b = 0; b < hub->bucket_count; b++)
		if (hub->buckets[b])
			log_error("hub: topics still have subscribers at exit");
	free(hub->buckets);
	free(hub->ended);
	for (int b = 0; b < USER_BUCKETS; b++)
		while (hub->users[b]) {
			struct user_slot *u = hub->users[b];
			hub->users[b] = u->next;
			free(u);
		}
	pthread_mutex_destroy(&hub->lock);
	pthread_mutex_destroy(&hub->users_lock);
	pthread_cond_destroy(&hub->cond);
	if (hub->source.release)
		hub->source.release(hub->source.ctx);
	free(hub);
}

/* ---- producers ---- */

/* Wakes the owner once per batch. hub->lock held. */
static void wake_locked(struct hub *hub)
{
	if (!hub->wake_pending && hub->wake) {
		hub->wake_pending = true;
		hub->wake(hub->wake_ctx);
	}
}

void hub_set_wake(struct hub *hub, void (*wake)(void *ctx), void *ctx)
{
	pthread_mutex_lock(&hub->lock);
	hub->wake = wake;
	hub->wake_ctx = ctx;
	hub->wake_pending = false;
	if (wake && (hub->events || hub->results || hub->ended_len))
		wake_locked(hub);
	pthread_mutex_unlock(&hub->lock);
}

bool hub_listening(struct hub *hub)
{
	/* A subscriber that appears later asks the source for anything
	   committed before it subscribed. */
	return hub && atomic_load(&hub->subscribers) > 0;
}

void hub_expect(struct hub *hub)
{
	atomic_fetch_add(&hub->subscribers, 1);
}

void hub_expect_done(struct hub *hub)
{
	atomic_fetch_sub(&hub->subscribers, 1);
}

int64_t hub_dispatched_seq(const struct hub *hub)
{
	return hub->dispatched;
}

void hub_publish(struct hub *hub, const struct hub_key *topics, size_t count, struct hub_msg *msg)
{
	struct event *e = xmalloc(sizeof *e);
	e->next = NULL;
	e->msg = msg;
	e->topic_count = count < HUB_TOPICS_MAX ? count : HUB_TOPICS_MAX;
	memcpy(e->topics, topics, e->topic_count * sizeof *topics);
	pthread_mutex_lock(&hub->lock);
	if (hub->wake) {
		*hub->events_tail = e;
		hub->events_tail = &e->next;
		wake_locked(hub);
		e = NULL;
	}
	pthread_mutex_unlock(&hub->lock);
	if (e) { /* not publishing (yet, or any more) */
		hub_msg_unref(e->msg);
		free(e);
	}
}

void hub_user_sessions_ended(struct hub *hub, int64_t user_id)
{
	atomic_fetch_add(&hub->ended_count, 1);
	pthread_mutex_lock(&hub->lock);
	if (hub->wake) {
		if (hub->ended_len == hub->ended_cap) {
			hub->ended_cap = hub->ended_cap ? 2 * hub->ended_cap : 8;
			hub->ended = xrealloc(hub->ended, hub->ended_cap * sizeof *hub->ended);
		}
		hub->ended[hub->ended_len++] = user_id;
		wake_locked(hub);
	}
	pthread_mutex_unlock(&hub->lock);
}

uint64_t hub_sessions_ended_count(struct hub *hub)
{
	return atomic_load(&hub->ended_count);
}

int64_t *hub_take_sessions_ended(struct hub *hub, size_t *count)
{
	pthread_mutex_lock(&hub->lock);
	int64_t *list = hub->ended;
	*count = hub->ended_len;
	hub->ended = NULL;
	hub->ended_len = hub->ended_cap = 0;
	pthread_mutex_unlock(&hub->lock);
	return list;
}

/* ---- the replay thread ---- */

static void *replay_main(void *arg)
{
	struct hub *hub = arg;
	pthread_mutex_lock(&hub->lock);
	while (!hub->stopping) {
		struct job *j = hub->jobs;
		if (!j) {
			pthread_cond_wait(&hub->cond, &hub->lock);
			continue;
		}
		hub->jobs = j->next;
		if (!hub->jobs)
			hub->jobs_tail = &hub->jobs;
		pthread_mutex_unlock(&hub->lock);

		struct result *r = xcalloc(1, sizeof *r);
		r->sub = j->sub;
		r->msgs = xcalloc(HUB_REPLAY_PAGE, sizeof *r->msgs);
		int n = hub->source.replay(hub->source.ctx, j->topic, j->cursor, r->msgs, HUB_REPLAY_PAGE);
		r->count = n > 0 ? n : 0;
		r->full = n >= HUB_REPLAY_PAGE;
		free(j);

		pthread_mutex_lock(&hub->lock);
		*hub->results_tail = r;
		hub->results_tail = &r->next;
		wake_locked(hub);
	}
	pthread_mutex_unlock(&hub->lock);
	return NULL;
}

/* ---- subscribers (owner thread) ---- */

static bool sub_ready(const struct hub_sub *sub)
{
	return !sub->failed && (sub->replay.len || (!sub->replaying && sub->live.len));
}

static void sub_wake(struct hub_sub *sub)
{
	if (sub->idle && (sub->failed || sub_ready(sub))) {
		sub->idle = false;
		sub->notify(sub->ctx);
	}
}

/* Asks the replay thread for the next page once the previous one is sent. */
static void sub_maybe_query(struct hub_sub *sub)
{
	if (!sub->replaying || sub->job_pending || !sub->more || sub->replay.len || sub->failed)
		return;
	struct hub *hub = sub->hub;
	struct job *j = xcalloc(1, sizeof *j);
	j->sub = sub;
	j->topic = sub->topic->key;
	j->cursor = sub->floor;
	sub->job_pending = true;
	sub->more = false;
	sub->buffering = true; /* before the query starts: see "Seam" above */
	pthread_mutex_lock(&hub->lock);
	*hub->jobs_tail = j;
	hub->jobs_tail = &j->next;
	pthread_cond_signal(&hub->cond);
	pthread_mutex_unlock(&hub->lock);
}

/* The live queue is full. */
static void sub_overflow(struct hub_sub *sub)
{
	if (!sub->topic->resyncs) {
		ring_clear(&sub->live);
		ring_clear(&sub->replay);
		sub->failed = true; /* the connection is closed (and counted) */
		sub_wake(sub);
		return;
	}
	/* What was waiting is replaced by the newest states from the database. */
	metrics_add(METRIC_WS_COALESCED, sub->live.len);
	ring_clear(&sub->live);
	metrics_add(METRIC_WS_RESYNCS, 1);
	if (sub->replaying) {
		/* Lost live messages: once this round ends, another one follows. */
		sub->buffering = false;
		sub->more = true;
	} else {
		metrics_add(METRIC_WS_COALESCED, sub->replay.len);
		ring_clear(&sub->replay);
		sub->replaying = true;
		sub->floor = sub->sent;
		sub->more = true;
	}
	sub_maybe_query(sub);
}

static void sub_deliver(struct hub_sub *sub, struct hub_msg *m)
{
	if (sub->failed || (sub->replaying && !sub->buffering))
		return;
	if (m->state) {
		if (m->seq <= sub->floor)
			return;
		/* A subscriber that keeps up sees every state; one that is behind
		   gets the newest state of an object in place of an older one. */
		for (uint32_t i = 0; sub->live.len >= HUB_COALESCE_AFTER && i < sub->live.len; i++) {
			struct hub_msg *old = *ring_at(&sub->live, i);
			if (old->state && key_eq(old->object, m->object)) {
				ring_remove(&sub->live, i);
				hub_msg_unref(old);
				metrics_add(METRIC_WS_COALESCED, 1);
				break; /* there is at most one */
			}
		}
	}
	if (sub->live.len >= HUB_QUEUE_MAX) {
		sub_overflow(sub);
		return;
	}
	m->refs++;
	ring_push(&sub->live, m);
	if (!sub->replaying && m->state)
		sub->floor = m->seq;
	sub_wake(sub);
}

/* The replay covered everything up to floor: live states at or below it go. */
static void sub_go_live(struct hub_sub *sub)
{
	sub->replaying = false;
	for (uint32_t i = 0; i < sub->live.len;) {
		struct hub_msg *m = *ring_at(&sub->live, i);
		if (m->state && m->seq <= sub->floor) {
			ring_remove(&sub->live, i);
			hub_msg_unref(m);
		} else {
			if (m->state)
				sub->floor = m->seq;
			i++;
		}
	}
}

static void apply_result(struct result *r)
{
	struct hub_sub *sub = r->sub;
	sub->job_pending = false;
	if (sub->dead || sub->failed) {
		if (sub->dead)
			sub_free(sub);
		result_free(r);
		return;
	}
	for (int i = 0; i < r->count; i++) {
		ring_push(&sub->replay, r->msgs[i]); /* the result's reference moves */
		sub->floor = r->msgs[i]->seq;
	}
	r->count = 0;
	if (r->full || !sub->buffering)
		sub->more = true;
	else
		sub_go_live(sub);
	result_free(r);
	sub_maybe_query(sub);
	sub_wake(sub);
}

static void fan_out(struct topic *t, struct hub_msg *m)
{
	if (!t)
		return;
	for (struct hub_sub *sub = t->subs, *next; sub; sub = next) {
		next = sub->next;
		sub_deliver(sub, m);
	}
}

void hub_dispatch(struct hub *hub)
{
	pthread_mutex_lock(&hub->lock);
	struct event *events = hub->events, **cut = &hub->events;
	for (int n = 0; *cut && n < HUB_DISPATCH_MAX; n++)
		cut = &(*cut)->next;
	hub->events = *cut;
	*cut = NULL;
	if (!hub->events)
		hub->events_tail = &hub->events;
	struct result *results = hub->results;
	hub->results = NULL;
	hub->results_tail = &hub->results;
	hub->wake_pending = false;
	if (hub->events)
		wake_locked(hub); /* the rest after the subscribers have written */
	pthread_mutex_unlock(&hub->lock);

	while (events) {
		struct event *e = events;
		events = e->next;
		if (e->msg->seq > hub->dispatched)
			hub->dispatched = e->msg->seq;
		for (size_t i = 0; i < e->topic_count; i++)
			fan_out(topic_find(hub, e->topics[i]), e->msg);
		hub_msg_unref(e->msg);
		free(e);
	}
	while (results) {
		struct result *r = results;
		results = r->next;
		apply_result(r);
	}
}

struct hub_sub *hub_subscribe(struct hub *hub, struct hub_key topic, int64_t after, void (*notify)(void *ctx),
			      void *ctx)
{
	struct hub_sub *sub = xcalloc(1, sizeof *sub);
	sub->hub = hub;
	sub->notify = notify;
	sub->ctx = ctx;
	sub->idle = true;
	sub->topic = topic_get(hub, topic);
	sub->next = sub->topic->subs;
	if (sub->next)
		sub->next->prev = sub;
	sub->topic->subs = sub;
	atomic_fetch_add(&hub->subscribers, 1);
	if (after >= 0) {
		sub->replaying = true;
		sub->floor = sub->sent = after;
		sub->more = true;
		sub_maybe_query(sub);
	}
	return sub;
}

void hub_unsubscribe(struct hub_sub *sub)
{
	if (!sub)
		return;
	struct hub *hub = sub->hub;
	if (sub->prev)
		sub->prev->next = sub->next;
	else
		sub->topic->subs = sub->next;
	if (sub->next)
		sub->next->prev = sub->prev;
	topic_drop_if_empty(hub, sub->topic);
	sub->topic = NULL;
	atomic_fetch_sub(&hub->subscribers, 1);
	if (sub->job_pending) {
		ring_release(&sub->replay);
		ring_release(&sub->live);
		sub->dead = true; /* freed when its query returns */
	} else {
		sub_free(sub);
	}
}

struct hub_msg *hub_sub_next(struct hub_sub *sub)
{
	struct hub_msg *m = NULL;
	if (sub->failed)
		;
	else if (sub->replay.len)
		m = ring_pop(&sub->replay);
	else if (sub->replaying)
		sub_maybe_query(sub);
	else if (sub->live.len)
		m = ring_pop(&sub->live);
	if (!m) {
		sub->idle = true;
		return NULL;
	}
	if (m->state)
		sub->sent = m->seq;
	if (sub->replaying && !sub->replay.len)
		sub_maybe_query(sub); /* prefetch: the page just emptied */
	return m;
}

bool hub_sub_failed(const struct hub_sub *sub)
{
	return sub->failed;
}

/* ---- connections per user ---- */

static struct user_slot **user_find(struct hub *hub, int64_t user_id)
{
	struct user_slot **p = &hub->users[(uint64_t)user_id % USER_BUCKETS];
	while (*p && (*p)->user_id != user_id)
		p = &(*p)->next;
	return p;
}

bool hub_user_acquire(struct hub *hub, int64_t user_id, int max)
{
	bool ok = true;
	pthread_mutex_lock(&hub->users_lock);
	struct user_slot **p = user_find(hub, user_id);
	if (!*p) {
		*p = xcalloc(1, sizeof **p);
		(*p)->user_id = user_id;
	}
	if ((*p)->count >= max)
		ok = false;
	else
		(*p)->count++;
	if ((*p)->count == 0) {
		struct user_slot *u = *p;
		*p = u->next;
		free(u);
	}
	pthread_mutex_unlock(&hub->users_lock);
	return ok;
}

void hub_user_release(struct hub *hub, int64_t user_id)
{
	pthread_mutex_lock(&hub->users_lock);
	struct user_slot **p = user_find(hub, user_id);
	if (*p && --(*p)->count <= 0) {
		struct user_slot *u = *p;
		*p = u->next;
		free(u);
	}
	pthread_mutex_unlock(&hub->users_lock);
}

int hub_user_count(struct hub *hub, int64_t user_id)
{
	pthread_mutex_lock(&hub->users_lock);
	struct user_slot **p = user_find(hub, user_id);
	int n = *p ? (*p)->count : 0;
	pthread_mutex_unlock(&hub->users_lock);
	return n;
}
