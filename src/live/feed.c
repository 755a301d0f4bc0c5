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

struct source {
	struct db *db;
	struct boards *boards;
};

static int board_replay(struct source *src, struct hub_key topic, struct hub_msg **msgs);

static int replay(void *arg, struct hub_key topic, int64_t after, struct hub_msg **msgs, int limit)
{
	struct source *src = arg;
	struct replay r = {msgs, 0};
	if (topic.kind == FEED_CLARS_JURY || topic.kind == FEED_CLARS_TEAM || topic.kind == FEED_CLARS_PUBLIC)
		replay_clars(src->db, topic, after, limit, &r);
	else if (topic.kind == FEED_PROBLEM_SUBMISSIONS)
		db_submissions_changed(src->db, topic.id, 0, after, limit, replay_row, &r);
	else if (topic.kind == FEED_SUBMISSION)
		db_submissions_changed(src->db, 0, topic.id, after, limit, replay_row, &r);
	else if (limit > 0)
		r.count = board_replay(src, topic, msgs);
	return r.count;
}

/* A submission's own topic carries test results, which the change log does not replay. */
static bool resyncs(void *arg, struct hub_key topic)
{
	(void)arg;
	return topic.kind != FEED_SUBMISSION;
}

struct hub *feed_hub_new(struct db *db, struct boards *boards)
{
	struct source *src = xmalloc(sizeof *src);
	*src = (struct source){db, boards};
	return hub_new(&(struct hub_source){replay, resyncs, src, free});
}

/* ---- scoreboards ----
 *
 * A board's public and jury topics carry its changed rows: one message per
 * change, at the change's seq, about an object of its own (never coalesced
 * with another: each holds only the rows that change changed). A team's topic
 * carries its own row (its row in its view), one object, so a newer state
 * replaces an older one. A team's socket reads the public topic and its own:
 * its own row comes only from the latter.
 *
 * Resume. A board's state is not in the change log, and the freeze and the
 * thaw change it with no change at all, so a replay is always the whole
 * board as it is now, at the board's seq ("full": true), whatever ?after=
 * says; a replay at or below a seq already sent is still delivered (replays
 * are not filtered by seq), and the live messages it covers are dropped. A
 * board rebuilt after a restart stands at the seq of the newest change of
 * the contest, so a resume across a restart gets the rebuilt board, exactly.
 * A rebuild (new seq) is sent whole as a state message; the freeze and the
 * thaw (no new seq) as events, which no seq filter drops. */

static void put_board_msg(struct hub *hub, const struct boards_view *v, enum contest_view view, int64_t team_id,
			  const struct board_row *const *rows, size_t n, bool full, bool state)
{
	static const int kinds[] = {FEED_BOARD_PUBLIC, FEED_BOARD_TEAM, FEED_BOARD_JURY};
	char banner[200];
	bool show_banner = v->frozen && view == CONTEST_VIEW_PUBLIC && full;
	if (show_banner)
		view_board_banner(banner, sizeof banner, v->freeze_minutes);
	struct buf b;
	buf_init(&b);
	view_scoreboard_rows_ext(&b, v->seq, view, v->frozen, full, show_banner ? banner : NULL, v->board, rows, n);
	struct hub_key topic = {kinds[view], view == CONTEST_VIEW_TEAM ? team_id : v->contest->id};
	/* The own row is one object; each change of a board is one of its own. */
	struct hub_key object = {kinds[view], view == CONTEST_VIEW_TEAM ? team_id : v->seq};
	hub_publish(hub, &topic, 1, msg_of(&b, object, v->seq, state));
}

static void put_own(struct hub *hub, const struct boards_view *v, const struct board_row *row, bool state)
{
	put_board_msg(hub, v, CONTEST_VIEW_TEAM, row->team->id, &row, 1, false, state);
}

/* The whole board, each view. */
static void put_full(struct hub *hub, const struct boards_view *v, bool state)
{
	const struct board_row *const *rows;
	size_t n = board_rows(v->board, CONTEST_VIEW_JURY, 0, &rows, NULL);
	put_board_msg(hub, v, CONTEST_VIEW_JURY, 0, rows, n, true, state);
	for (size_t i = 0; i < n; i++) {
		const struct board_row *own = boards_own_row(v->board, rows[i]->team->id);
		if (own)
			put_own(hub, v, own, state);
	}
	n = board_rows(v->board, CONTEST_VIEW_PUBLIC, 0, &rows, NULL);
	put_board_msg(hub, v, CONTEST_VIEW_PUBLIC, 0, rows, n, true, state);
}

static bool has_team_change(const struct board_change *ch, size_t n, int64_t team_id)
{
	for (size_t i = 0; i < n; i++)
		if (ch[i].view == CONTEST_VIEW_TEAM && ch[i].team_id == team_id)
			return true;
	return false;
}

static void put_changes(struct hub *hub, const struct boards_view *v)
{
	const struct board_change *ch;
	size_t n = board_changes(v->board, &ch);
	for (size_t i = 0; i < n; i++) {
		const struct board_change *c = &ch[i];
		if (c->view != CONTEST_VIEW_TEAM && c->row_count)
			put_board_msg(hub, v, c->view, 0, c->rows, c->row_count, false, true);
		/* A team's own row: from its view's change where it has a view of
		   its own, else from the public change. */
		for (size_t r = 0; r < c->row_count; r++) {
			int64_t team = c->rows[r]->team->id;
			if (c->view == CONTEST_VIEW_TEAM ? team == c->team_id
							 : c->view == CONTEST_VIEW_PUBLIC && !has_team_change(ch, n, team))
				put_own(hub, v, c->rows[r], true);
		}
	}
}

void feed_on_board(void *arg, enum boards_what what, const struct boards_view *v)
{
	struct hub *hub = arg;
	if (!hub_listening(hub))
		return;
	if (what == BOARDS_CHANGED) {
		put_changes(hub, v);
	} else if (what == BOARDS_GONE) {
		put_board_msg(hub, v, CONTEST_VIEW_JURY, 0, NULL, 0, true, true);
		put_board_msg(hub, v, CONTEST_VIEW_PUBLIC, 0, NULL, 0, true, true);
	} else {
		put_full(hub, v, what == BOARDS_REBUILT);
	}
}

struct board_reply {
	enum contest_view view;
	int64_t team_id;
	struct hub_msg *msg;
};

static void board_snapshot(void *arg, const struct boards_view *v)
{
	struct board_reply *r = arg;
	static const int kinds[] = {FEED_BOARD_PUBLIC, FEED_BOARD_TEAM, FEED_BOARD_JURY};
	const struct board_row *const *rows;
	const struct board_row *own = NULL;
	size_t n;
	if (r->view == CONTEST_VIEW_TEAM) {
		own = boards_own_row(v->board, r->team_id);
		if (!own)
			return;
		rows = &own;
		n = 1;
	} else {
		n = board_rows(v->board, r->view, 0, &rows, NULL);
	}
	char banner[200];
	bool show_banner = v->frozen && r->view == CONTEST_VIEW_PUBLIC;
	if (show_banner)
		view_board_banner(banner, sizeof banner, v->freeze_minutes);
	struct buf b;
	buf_init(&b);
	view_scoreboard_rows_ext(&b, v->seq, r->view, v->frozen, r->view != CONTEST_VIEW_TEAM,
				 show_banner ? banner : NULL, v->board, rows, n);
	struct hub_key object = {kinds[r->view], r->view == CONTEST_VIEW_TEAM ? r->team_id : v->seq};
	r->msg = msg_of(&b, object, v->seq, true);
}

static int board_replay(struct source *src, struct hub_key topic, struct hub_msg **msgs)
{
	if (!src->boards)
		return 0;
	struct board_reply r = {CONTEST_VIEW_PUBLIC, 0, NULL};
	int64_t contest_id = topic.id;
	if (topic.kind == FEED_BOARD_JURY) {
		r.view = CONTEST_VIEW_JURY;
	} else if (topic.kind == FEED_BOARD_TEAM) {
		contest_id = db_board_team_contest(src->db, topic.id);
		r.view = CONTEST_VIEW_TEAM;
		r.team_id = topic.id;
	} else if (topic.kind != FEED_BOARD_PUBLIC) {
		return 0;
	}
	if (boards_read(src->boards, contest_id, board_snapshot, &r) != 0 || !r.msg)
		return 0;
	msgs[0] = r.msg;
	return 1;
}
