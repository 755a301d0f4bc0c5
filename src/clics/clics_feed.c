/* The CLICS event feed of one contest for one viewer: the contest's scope of
 * the change log, read in seq order, each change turned into the lines of
 * the objects it touched, each line what clics_model gives the viewer at
 * that moment. What this feed sent is remembered by (type, id) with a hash
 * of the data, so an object is sent again only when it differs (a
 * submission once, its judgement when it changes, its runs as they come),
 * and data: null goes only to an object the reader has, or may have. */
#include "clics_feed.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clics.h"
#include "clics_model.h"
#include "clock.h"
#include "app.h"

/* ---- what the feed sent: (type, id) -> hash of the data (0: null) ---- */

struct sent {
	char *id;               /* NULL: a free slot */
	enum clics_type type;
	int64_t num;            /* the object's row id, for a tombstone (teams, groups, organizations) */
	uint64_t hash;          /* of the data last sent; 0: it was null */
	int max_run;            /* a submission's: the highest run ordinal sent */
};

struct sent_map {
	struct sent *slots;
	size_t cap, count;
};

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 1099511628211u;
	return h;
}

static uint64_t key_hash(enum clics_type t, const char *id)
{
	unsigned char tb = (unsigned char)t;
	return fnv(fnv(14695981039346656037u, &tb, 1), id, strlen(id));
}

static struct sent *sent_slot(struct sent_map *m, enum clics_type t, const char *id)
{
	size_t i = (size_t)key_hash(t, id) & (m->cap - 1);
	while (m->slots[i].id && (m->slots[i].type != t || strcmp(m->slots[i].id, id) != 0))
		i = (i + 1) & (m->cap - 1);
	return &m->slots[i];
}

static struct sent *sent_find(struct sent_map *m, enum clics_type t, const char *id)
{
	if (!m->cap)
		return NULL;
	struct sent *e = sent_slot(m, t, id);
	return e->id ? e : NULL;
}

static struct sent *sent_put(struct sent_map *m, enum clics_type t, const char *id)
{
	if ((m->count + 1) * 2 > m->cap) {
		struct sent_map grown = {xcalloc(m->cap ? m->cap * 2 : 64, sizeof(struct sent)), m->cap ? m->cap * 2 : 64,
					 m->count};
		for (size_t i = 0; i < m->cap; i++)
			if (m->slots[i].id)
				*sent_slot(&grown, m->slots[i].type, m->slots[i].id) = m->slots[i];
		free(m->slots);
		*m = grown;
	}
	struct sent *e = sent_slot(m, t, id);
	if (!e->id) {
		*e = (struct sent){.id = xstrdup(id), .type = t};
		m->count++;
	}
	return e;
}

static void sent_release(struct sent_map *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->slots[i].id);
	free(m->slots);
}

/* ---- the feed ---- */

struct clics_feed {
	const struct app *app;
	struct db *db;
	int64_t contest_id;
	struct contest_viewer v;
	struct db_user user;
	bool has_user;
	int64_t after;          /* the seq of the last change read */
	bool resumed;           /* opened with a token: the reader may hold objects this feed did not send */
	bool statics_pending;   /* from the beginning of time: judgement types, languages, accounts first */
	bool ended;
	struct sent_map sent;
	int64_t *withheld;      /* submissions sent whose judgement the viewer may not see yet */
	size_t withheld_count;
	char **problems, **awards; /* the ids sent with data, to null those gone */
	int64_t awards_stamp;   /* the board's when the awards were last looked at */
	size_t problem_count, award_count;
};

/* The lines of one change, written out together: the token on the last. */
struct lines {
	json_t *list;
};

static void add_line(struct lines *l, enum clics_type t, const char *id, json_t *data)
{
	json_array_append_new(l->list, json_pack("{s:s, s:o, s:o}", "type", clics_type_name(t), "id",
						 id ? json_string(id) : json_null(), "data", data ? data : json_null()));
}

static void flush_lines(struct lines *l, struct buf *out, int64_t token)
{
	size_t n = json_array_size(l->list);
	if (n && token >= 0) {
		char text[24];
		snprintf(text, sizeof text, "%" PRId64, token);
		json_object_set_new(json_array_get(l->list, n - 1), "token", json_string(text));
	}
	for (size_t i = 0; i < n; i++) {
		char *s = json_dumps(json_array_get(l->list, i), JSON_COMPACT);
		if (s) {
			buf_adds(out, s);
			buf_add(out, "\n", 1);
			free(s);
		}
	}
	json_array_clear(l->list);
}

/* Queues data (stolen; NULL: the object is gone or hidden) as the line of
   (t, id) unless the feed sent the same last. A NULL goes out only for an
   object the feed sent, or with `deleted` to a resumed reader too. */
static struct sent *put(struct clics_feed *f, struct lines *l, enum clics_type t, const char *id, json_t *data,
			bool deleted)
{
	struct sent *e = sent_find(&f->sent, t, id);
	uint64_t h = 0;
	if (data) {
		char *text = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS);
		h = fnv(14695981039346656037u, text, text ? strlen(text) : 0) | 1;
		free(text);
		if (e && e->hash == h) {
			json_decref(data);
			return e;
		}
	} else if (e ? !e->hash : !(deleted && f->resumed)) {
		return e;
	}
	add_line(l, t, id, data);
	e = sent_put(&f->sent, t, id);
	e->hash = h;
	return e;
}

/* Adds id to the list of ids (of problems or awards) sent with data. */
static void id_list_add(char ***ids, size_t *n, const char *id)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*ids)[i], id) == 0)
			return;
	*ids = xrealloc(*ids, (*n + 1) * sizeof **ids);
	(*ids)[(*n)++] = xstrdup(id);
}

static void id_list_free(char **ids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
}

/* Sends every object of list (stolen) of type t that differs from what was
   sent, and data: null for those of ids (the ids sent before) now gone. */
static void send_set(struct clics_feed *f, struct lines *l, enum clics_type t, json_t *list, char ***ids, size_t *n)
{
	size_t i;
	json_t *o;
	for (size_t k = 0; k < *n;) {
		bool present = false;
		json_array_foreach(list, i, o)
			present = present || strcmp(json_string_value(json_object_get(o, "id")), (*ids)[k]) == 0;
		if (present) {
			k++;
			continue;
		}
		put(f, l, t, (*ids)[k], NULL, false);
		free((*ids)[k]);
		(*ids)[k] = (*ids)[--*n];
	}
	json_array_foreach(list, i, o) {
		const char *id = json_string_value(json_object_get(o, "id"));
		id_list_add(ids, n, id);
		put(f, l, t, id, json_incref(o), false);
	}
	json_decref(list);
}

/* The state line: end_of_updates only on the feed's last line (see clics_feed_next). */
static void send_state(struct clics_model *m, struct lines *l)
{
	json_t *s = clics_object(m, CLICS_STATE, NULL);
	if (!json_is_null(json_object_get(s, "end_of_updates")))
		json_object_set_new(s, "end_of_updates", json_null());
	add_line(l, CLICS_STATE, NULL, s);
}

/* The awards that differ from what was sent, when the board may have
   changed since they were last looked at (always after a moment). */
static void send_awards(struct clics_feed *f, struct clics_model *m, struct lines *l, bool moment)
{
	int64_t stamp = clics_board_stamp(m);
	if (!moment && stamp == f->awards_stamp)
		return;
	f->awards_stamp = stamp;
	send_set(f, l, CLICS_AWARDS, clics_collection(m, CLICS_AWARDS), &f->awards, &f->award_count);
}

/* A submission's lines: the submission (once), its judgement when it
   changed, and its runs that are new or changed; data: null for runs gone
   (a rejudge). */
static void send_submission(struct clics_feed *f, struct clics_model *m, struct lines *l, int64_t sid, bool deleted)
{
	char id[24];
	snprintf(id, sizeof id, "%" PRId64, sid);
	struct clics_submission_objects o = {NULL, NULL, NULL};
	if (!deleted)
		clics_submission_objects(m, id, &o);
	struct sent *e = put(f, l, CLICS_SUBMISSIONS, id, json_incref(o.submission), deleted);
	int max_run = e ? e->max_run : 0;
	struct sent *j = put(f, l, CLICS_JUDGEMENTS, id, json_incref(o.judgement), deleted);
	if (o.submission && !o.judgement) {
		size_t i;
		for (i = 0; i < f->withheld_count && f->withheld[i] != sid; i++)
			;
		if (i == f->withheld_count) {
			f->withheld = xrealloc(f->withheld, (f->withheld_count + 1) * sizeof *f->withheld);
			f->withheld[f->withheld_count++] = sid;
		}
	}
	(void)j;
	size_t n = json_array_size(o.runs);
	int top = 0;
	for (size_t i = 0; i < n; i++) {
		json_t *run = json_array_get(o.runs, i);
		int ord = (int)json_integer_value(json_object_get(run, "ordinal"));
		top = ord > top ? ord : top;
		put(f, l, CLICS_RUNS, json_string_value(json_object_get(run, "id")), json_incref(run), false);
	}
	/* runs sent before that are gone (a rejudge) */
	for (int ord = 1; ord <= max_run; ord++) {
		bool present = false;
		for (size_t i = 0; i < n && !present; i++)
			present = json_integer_value(json_object_get(json_array_get(o.runs, i), "ordinal")) == ord;
		if (!present) {
			char rid[48];
			snprintf(rid, sizeof rid, "%s.%d", id, ord);
			put(f, l, CLICS_RUNS, rid, NULL, deleted);
		}
	}
	clics_submission_objects_release(&o);
	/* put may have moved e (the map grows): find it again */
	e = sent_find(&f->sent, CLICS_SUBMISSIONS, id);
	if (e)
		e->max_run = top > max_run ? top : max_run;
}

/* After a moment (the thaw) the judgements the viewer could not see yet. */
static void send_withheld(struct clics_feed *f, struct clics_model *m, struct lines *l)
{
	size_t n = f->withheld_count;
	int64_t *ids = f->withheld;
	f->withheld = NULL;
	f->withheld_count = 0;
	for (size_t i = 0; i < n; i++)
		send_submission(f, m, l, ids[i], false);
	free(ids);
}

static void send_problems(struct clics_feed *f, struct clics_model *m, struct lines *l)
{
	send_set(f, l, CLICS_PROBLEMS, clics_collection(m, CLICS_PROBLEMS), &f->problems, &f->problem_count);
}

/* The key of a tombstone's object of type t, from what the feed sent. */
static const char *sent_key(struct clics_feed *f, enum clics_type t, int64_t num)
{
	for (size_t i = 0; i < f->sent.cap; i++)
		if (f->sent.slots[i].id && f->sent.slots[i].type == t && f->sent.slots[i].num == num)
			return f->sent.slots[i].id;
	return NULL;
}

/* The key of organization or team group `num`, found in their list. */
struct key_find {
	int64_t num;
	char *key;
};

static void organization_key(void *arg, const struct db_organization *o)
{
	struct key_find *k = arg;
	if (o->id == k->num && !k->key)
		k->key = xstrdup(o->key);
}

static void group_key(void *arg, const struct db_team_group *g)
{
	struct key_find *k = arg;
	if (g->id == k->num && !k->key)
		k->key = xstrdup(g->key);
}

struct id_list {
	int64_t *ids;
	size_t n;
};

static void collect_id(void *arg, const struct db_submission *s)
{
	struct id_list *c = arg;
	c->ids = xrealloc(c->ids, (c->n + 1) * sizeof *c->ids);
	c->ids[c->n++] = s->id;
}

/* A team came out or was hidden: its submissions (and what hangs on them) again. */
static void send_team_submissions(struct clics_feed *f, struct clics_model *m, struct lines *l, int64_t team_id)
{
	enum { PAGE = 500 };
	struct id_list c = {NULL, 0};
	int64_t total = 0;
	for (int page = 1;; page++) {
		size_t before = c.n;
		if (db_contest_submissions(f->db, f->contest_id, team_id, 0, page, PAGE, collect_id, &c, &total) != 0 ||
		    c.n == before || (int64_t)c.n >= total)
			break;
	}
	for (size_t i = c.n; i-- > 0;) /* oldest first */
		send_submission(f, m, l, c.ids[i], false);
	free(c.ids);
}

/* A team, organization or group by its row id: its line (data: null for a tombstone). */
static void send_keyed(struct clics_feed *f, struct clics_model *m, struct lines *l, enum clics_type t,
		       const struct db_change *ch)
{
	struct key_find k = {ch->id, NULL};
	struct db_team team;
	bool have_team = false;
	if (ch->deleted) {
		const char *key = sent_key(f, t, ch->id);
		if (key) {
			char *copy = xstrdup(key);
			put(f, l, t, copy, NULL, true);
			free(copy);
		}
		return;
	}
	if (t == CLICS_TEAMS && db_team_get(f->db, ch->id, &team) == 0) {
		have_team = true;
		k.key = xstrdup(team.key);
	} else if (t == CLICS_ORGANIZATIONS) {
		db_organizations_list(f->db, f->contest_id, organization_key, &k);
	} else if (t == CLICS_GROUPS) {
		db_team_groups_list(f->db, f->contest_id, group_key, &k);
	}
	if (k.key) {
		struct sent *before = sent_find(&f->sent, t, k.key);
		bool known = before != NULL, was = known && before->hash;
		json_t *o = clics_object(m, t, k.key);
		bool now = o != NULL;
		struct sent *e = put(f, l, t, k.key, o, false);
		if (!e) /* remember the team is hidden from the viewer, to see it come out */
			e = sent_put(&f->sent, t, k.key);
		e->num = ch->id;
		if (t == CLICS_TEAMS && known && was != now)
			send_team_submissions(f, m, l, ch->id);
	}
	if (have_team)
		db_team_release(&team);
	free(k.key);
}

/* The lines of one change; false when the contest is gone (the feed ends). */
static bool send_change(struct clics_feed *f, struct clics_model *m, struct lines *l, const struct db_change *ch)
{
	char id[24];
	switch (ch->kind) {
	case DB_KIND_CONTEST:
		if (ch->deleted) {
			add_line(l, CLICS_CONTEST, NULL, NULL);
			return false;
		}
		add_line(l, CLICS_CONTEST, NULL, clics_object(m, CLICS_CONTEST, NULL));
		send_state(m, l);
		send_problems(f, m, l);
		send_withheld(f, m, l);
		send_awards(f, m, l, true);
		break;
	case DB_KIND_CONTEST_STATE:
		send_state(m, l);
		send_problems(f, m, l);
		send_withheld(f, m, l);
		send_awards(f, m, l, true);
		break;
	case DB_KIND_TEAM:
		send_keyed(f, m, l, CLICS_TEAMS, ch);
		send_awards(f, m, l, false);
		break;
	case DB_KIND_ORGANIZATION:
		send_keyed(f, m, l, CLICS_ORGANIZATIONS, ch);
		break;
	case DB_KIND_TEAM_GROUP:
		send_keyed(f, m, l, CLICS_GROUPS, ch);
		send_awards(f, m, l, false);
		break;
	case DB_KIND_SUBMISSION:
		send_submission(f, m, l, ch->id, ch->deleted);
		send_awards(f, m, l, false);
		break;
	case DB_KIND_CLARIFICATION:
		snprintf(id, sizeof id, "%" PRId64, ch->id);
		put(f, l, CLICS_CLARIFICATIONS, id, ch->deleted ? NULL : clics_object(m, CLICS_CLARIFICATIONS, id),
		    ch->deleted);
		break;
	default:
		break;
	}
	return true;
}

/* The objects that are not in the log: judgement types and languages.
   Accounts are left out of the feed, as the spec's own checker expects
   (ccs-specs a77a4f8: "we don't expose it in the feed"); they are REST only. */
static void send_statics(struct clics_feed *f, struct clics_model *m, struct lines *l)
{
	static const enum clics_type types[] = {CLICS_JUDGEMENT_TYPES, CLICS_LANGUAGES};
	for (size_t k = 0; k < sizeof types / sizeof types[0]; k++) {
		json_t *list = clics_collection(m, types[k]), *o;
		size_t i;
		json_array_foreach(list, i, o)
			put(f, l, types[k], json_string_value(json_object_get(o, "id")), json_incref(o), false);
		json_decref(list);
	}
}

/* A token: a decimal seq from 0 to the newest. */
static bool parse_token(struct db *db, const char *s, int64_t *out)
{
	int64_t v = 0;
	if (!*s || strlen(s) > 18)
		return false;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		v = v * 10 + (*p - '0');
	}
	if (v > db_seq(db))
		return false;
	*out = v;
	return true;
}

enum clics_feed_open clics_feed_open(const struct app *app, const char *key, const struct db_user *user,
				     const char *since_token, struct clics_feed **out)
{
	struct clics_model *m = clics_model_open(app, key, user, contest_now_ms());
	if (!m)
		return CLICS_FEED_NO_CONTEST;
	int64_t after = 0;
	if (since_token && !parse_token(app->db, since_token, &after)) {
		clics_model_free(m);
		return CLICS_FEED_BAD_TOKEN;
	}
	struct clics_feed *f = xcalloc(1, sizeof *f);
	f->app = app;
	f->db = app->db;
	f->contest_id = clics_model_contest(m)->id;
	f->v = *clics_model_viewer(m);
	if (user) {
		f->user = *user;
		f->has_user = true;
	}
	f->after = after;
	f->resumed = since_token != NULL;
	f->statics_pending = !since_token;
	f->awards_stamp = -2;
	clics_model_free(m);
	*out = f;
	return CLICS_FEED_OK;
}

/* The end once caught up: the state with end_of_updates when the contest
   is over for good (or data: null for a contest that is gone). */
static bool send_end(struct clics_feed *f, struct clics_model *m, struct lines *l, struct buf *out)
{
	json_t *s = m ? clics_object(m, CLICS_STATE, NULL) : NULL;
	bool end = !m || !json_is_null(json_object_get(s, "end_of_updates"));
	if (end) {
		add_line(l, m ? CLICS_STATE : CLICS_CONTEST, NULL, json_incref(s));
		flush_lines(l, out, f->after);
	}
	json_decref(s);
	return end;
}

enum clics_feed_step clics_feed_next(struct clics_feed *f, struct buf *out, size_t max)
{
	enum { BATCH = 32 };
	if (f->ended)
		return CLICS_FEED_END;
	size_t start = out->len;
	struct lines l = {json_array()};
	enum clics_feed_step step = CLICS_FEED_MORE;
	while (step == CLICS_FEED_MORE && (out->len == start || out->len - start < max)) {
		struct db_change ch[BATCH];
		/* the changes first, then the model: it is at least as new as they are */
		size_t n = db_changes_since(f->db, DB_KIND_NONE, DB_KIND_CONTEST, f->contest_id, f->after, ch, BATCH);
		struct clics_model *m =
			clics_model_open_id(f->app, f->contest_id, &f->v, f->has_user ? &f->user : NULL, contest_now_ms());
		if (f->statics_pending && m) {
			f->statics_pending = false;
			send_statics(f, m, &l);
			flush_lines(&l, out, -1);
		}
		size_t done = 0;
		while (m && done < n && (done == 0 || out->len - start < max)) {
			bool more = send_change(f, m, &l, &ch[done]);
			f->after = ch[done].seq;
			flush_lines(&l, out, f->after);
			done++;
			if (!more) {
				step = CLICS_FEED_END;
				break;
			}
		}
		if (step == CLICS_FEED_MORE && (!m || (done == n && n < BATCH)))
			step = send_end(f, m, &l, out) ? CLICS_FEED_END : CLICS_FEED_IDLE;
		clics_model_free(m);
	}
	f->ended = step == CLICS_FEED_END;
	json_decref(l.list);
	return step;
}

int64_t clics_feed_contest_id(const struct clics_feed *f)
{
	return f->contest_id;
}

void clics_feed_free(struct clics_feed *f)
{
	if (!f)
		return;
	sent_release(&f->sent);
	free(f->withheld);
	id_list_free(f->problems, f->problem_count);
	id_list_free(f->awards, f->award_count);
	free(f);
}
