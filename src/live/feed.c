/* The change log's side of the hub: topics, messages and replay for each kind of change. */
#include "feed.h"

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

void feed_on_change(void *arg, struct db *db, const struct db_change *change)
{
	struct hub *hub = arg;
	if (change->kind == DB_KIND_SESSION)
		hub_user_sessions_ended(hub, change->id);
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

static int replay(void *db, struct hub_key topic, int64_t after, struct hub_msg **msgs, int limit)
{
	struct replay r = {msgs, 0};
	if (topic.kind == FEED_PROBLEM_SUBMISSIONS)
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
