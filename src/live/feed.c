/* The change log's side of the hub: topics, messages and replay for each kind of change. */
#include "feed.h"

#include <stdlib.h>

#include "util.h"
#include "views.h"

/* Hands the text in b to a new message. */
static struct hub_msg *msg_of(struct buf *b, struct hub_key object, int64_t seq, bool state)
{
	size_t len;
	char *text = buf_detach(b, &len);
	return hub_msg_new(object, seq, state, text, len);
}

static struct hub_msg *update_msg(const struct db_submission *s)
{
	struct buf b;
	buf_init(&b);
	view_submission_update(&b, s);
	return msg_of(&b, (struct hub_key){DB_KIND_SUBMISSION, s->id}, s->seq, true);
}

/* ---- clarifications ---- */

static struct hub_msg *clar_msg(const struct db_clarification *c)
{
	struct buf b;
	buf_init(&b);
	view_clarification_msg(&b, c);
	return msg_of(&b, (struct hub_key){DB_KIND_CLARIFICATION, c->id}, c->seq, true);
}

/* Topics of a clarification to all: its contest's jury and public, and every team's. */
struct clar_topics {
	struct hub_key *keys;
	size_t count, cap;
};

static void add_topic(struct clar_topics *t, struct hub_key key)
{
	if (t->count == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->keys = xrealloc(t->keys, t->cap * sizeof *t->keys);
	}
	t->keys[t->count++] = key;
}

static void add_team_topic(void *ctx, const struct db_team *team)
{
	add_topic(ctx, (struct hub_key){FEED_CLARS_TEAM, team->id});
}

/* A clarification goes to its audience only: the jury always; the team that
   asked or was answered privately; or, to all, the public and every team. */
static void publish_clarification(struct hub *hub, struct db *db, const struct db_change *change)
{
	struct db_clarification c;
	if (change->deleted || db_clarification_get(db, change->id, &c) != 0)
		return;
	c.seq = change->seq;
	struct clar_topics t = {NULL, 0, 0};
	add_topic(&t, (struct hub_key){FEED_CLARS_JURY, c.contest_id});
	if (c.to_all) {
		add_topic(&t, (struct hub_key){FEED_CLARS_PUBLIC, c.contest_id});
		db_teams_list(db, c.contest_id, add_team_topic, &t);
	} else if (c.from_team_id || c.to_team_id) {
		add_topic(&t, (struct hub_key){FEED_CLARS_TEAM, c.from_team_id ? c.from_team_id : c.to_team_id});
	}
	/* One message per HUB_TOPICS_MAX topics: each publish takes its own. */
	for (size_t i = 0; i < t.count; i += HUB_TOPICS_MAX) {
		size_t n = t.count - i < HUB_TOPICS_MAX ? t.count - i : HUB_TOPICS_MAX;
		hub_publish(hub, t.keys + i, n, clar_msg(&c));
	}
	free(t.keys);
	db_clarification_release(&c);
}

void feed_on_change(void *arg, struct db *db, const struct db_change *change)
{
	struct hub *hub = arg;
	if (change->kind == DB_KIND_SESSION)
		hub_user_sessions_ended(hub, change->id);
	if (change->kind == DB_KIND_CLARIFICATION && hub_listening(hub))
		publish_clarification(hub, db, change);
	if (change->kind != DB_KIND_SUBMISSION || !hub_listening(hub))
		return;
	/* Under the writer lock: the read sees the state this change committed. */
	struct db_submission s;
	if (db_submission_get(db, change->id, 0, &s) != 0)
		return;
	s.seq = change->seq; /* an object changed twice in one transaction is read at its last state */
	struct hub_key topics[2];
	size_t n = 0;
	if (change->scope_kind == DB_KIND_PROBLEM)
		topics[n++] = (struct hub_key){FEED_PROBLEM_SUBMISSIONS, change->scope_id};
	topics[n++] = (struct hub_key){FEED_SUBMISSION, change->id};
	hub_publish(hub, topics, n, update_msg(&s));
	if (change->test) {
		struct buf b;
		buf_init(&b);
		view_test_result(&b, change->id, change->test);
		hub_publish(hub, &topics[n - 1], 1,
			    msg_of(&b, (struct hub_key){DB_KIND_SUBMISSION, change->id}, change->seq, false));
	}
	db_submission_release(&s);
}

/* ---- replay ---- */

struct replay {
	struct hub_msg **msgs;
	int count;
};

static void replay_row(void *ctx, const struct db_submission *s)
{
	struct replay *r = ctx;
	r->msgs[r->count++] = update_msg(s);
}

static void replay_clar(void *ctx, const struct db_clarification *c)
{
	struct replay *r = ctx;
	r->msgs[r->count++] = clar_msg(c);
}

/* What a clarifications topic's viewer may see, changed after `after`. */
static void replay_clars(struct db *db, struct hub_key topic, int64_t after, int limit, struct replay *r)
{
	int64_t contest = topic.id, audience = topic.kind == FEED_CLARS_JURY ? -1 : 0;
	if (topic.kind == FEED_CLARS_TEAM) {
		struct db_team team;
		if (db_team_get(db, topic.id, &team) != 0)
			return;
		contest = team.contest_id;
		audience = team.id;
		db_team_release(&team);
	}
	db_clarifications_changed(db, contest, audience, after, limit, replay_clar, r);
}

static int replay(void *db, struct hub_key topic, int64_t after, struct hub_msg **msgs, int limit)
{
	struct replay r = {msgs, 0};
	if (topic.kind == FEED_CLARS_JURY || topic.kind == FEED_CLARS_TEAM || topic.kind == FEED_CLARS_PUBLIC)
		replay_clars(db, topic, after, limit, &r);
	else if (topic.kind == FEED_PROBLEM_SUBMISSIONS)
		db_submissions_changed(db, topic.id, 0, after, limit, replay_row, &r);
	else if (topic.kind == FEED_SUBMISSION)
		db_submissions_changed(db, 0, topic.id, after, limit, replay_row, &r);
	return r.count;
}

/* A submission's own topic carries test results, which the change log does not replay. */
static bool resyncs(void *db, struct hub_key topic)
{
	(void)db;
	return topic.kind != FEED_SUBMISSION;
}

struct hub *feed_hub_new(struct db *db)
{
	return hub_new(&(struct hub_source){replay, resyncs, db});
}
