/* Every contest's board in memory, built from the database and kept up to
 * date from the change log and the clock.
 *
 * Theory of operation. One entry per contest holds its stored row (times,
 * problems), its board and the seq the board stands at: the newest change it
 * applied, or at a build the newest change in the contest's scope
 * (db_board_seq), so that a board rebuilt after a restart stands where the
 * one before it stood. A contest submission's change reads that one row
 * (db_board_submission) and puts or removes it; any other change of the
 * contest's objects rebuilds the board from the database, under the
 * writer lock, so the read sees exactly what was committed up to that change.
 *
 * The clock. A board's settings hold the freeze moment and whether it is
 * thawed; the public's freeze needs nothing at the moment it comes (the board
 * hides by submission time), but its readers must learn that it is frozen,
 * and a scheduled thaw (thaw_at_ms in the future) changes the public rows. A
 * timer thread sleeps until the earliest such moment of any contest, then,
 * under the lock, updates each board whose phase changed and tells the
 * listener (BOARDS_SWITCHED). A change that moves a contest's times (a
 * rebuild) wakes the timer to recompute its next moment. A logged moment
 * (DB_KIND_CONTEST_STATE, moments.c) switches the boards too, so that a
 * thaw's re-logged submissions find the board thawed. */
#include "boards.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "log.h"
#include "util.h"

struct boards_memo {
	struct {
		char *text;
		size_t len;
		int64_t stamp;
		uint64_t version;
	} slots[BOARDS_MEMO_SLOTS];
	uint64_t version;           /* bumped at every change of the board */
};

struct entry {
	struct entry *next;
	struct boards_memo memo;
	struct db_contest contest;  /* owned (db_contest_release) */
	struct board *board;
	int64_t seq;
	bool frozen;                /* the phase the listener was last told */
	bool thawed;                /* the board's settings.thawed */
};

struct boards {
	struct db *db;
	pthread_mutex_t lock;       /* guards everything below */
	pthread_cond_t cond;        /* the timer: times changed, or stopping */
	struct entry *entries;
	boards_listener listener;
	void *listener_ctx;
	pthread_t thread;
	bool running, stopping;
};

/* ---- building ---- */

struct team_list {
	struct board_team *teams;
	size_t count, cap;
	int64_t **group_ids;        /* per team, owned */
	char **strings;             /* owned copies */
	size_t string_count, string_cap;
};

static const char *keep(struct team_list *l, const char *s)
{
	if (!s)
		return NULL;
	if (l->string_count == l->string_cap) {
		l->string_cap = l->string_cap ? 2 * l->string_cap : 64;
		l->strings = xrealloc(l->strings, l->string_cap * sizeof *l->strings);
	}
	return l->strings[l->string_count++] = xstrdup(s);
}

static void on_team(void *ctx, const struct db_board_team *t)
{
	struct team_list *l = ctx;
	if (l->count == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->teams = xrealloc(l->teams, l->cap * sizeof *l->teams);
		l->group_ids = xrealloc(l->group_ids, l->cap * sizeof *l->group_ids);
	}
	int64_t *ids = xcalloc(t->group_count + 1, sizeof *ids);
	memcpy(ids, t->groups, t->group_count * sizeof *ids);
	l->group_ids[l->count] = ids;
	l->teams[l->count++] = (struct board_team){
		.id = t->id,
		.key = keep(l, t->key),
		.icpc_id = keep(l, t->icpc_id),
		.label = keep(l, t->label),
		.name = keep(l, t->name),
		.display_name = keep(l, t->display_name),
		.hidden = t->hidden,
		.groups = ids,
		.group_count = t->group_count,
	};
}

static void team_list_release(struct team_list *l)
{
	for (size_t i = 0; i < l->count; i++)
		free(l->group_ids[i]);
	for (size_t i = 0; i < l->string_count; i++)
		free(l->strings[i]);
	free(l->teams);
	free(l->group_ids);
	free(l->strings);
}

/* A contest's submissions with their groups, for board_load. */
struct sub_list {
	struct board_sub *subs;
	size_t count, cap;
	/* max_subtasks: every group score, then per submission a slice of them */
	struct board_group_score *groups;
	int64_t *group_sub;         /* the submission of each */
	size_t group_count, group_cap;
	char **names;               /* owned group names (deduplicated per row run) */
	size_t name_count, name_cap;
};

static void on_sub(void *ctx, const struct db_board_submission *s)
{
	struct sub_list *l = ctx;
	if (l->count == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 256;
		l->subs = xrealloc(l->subs, l->cap * sizeof *l->subs);
	}
	l->subs[l->count++] = (struct board_sub){
		.id = s->id,
		.team_id = s->team_id,
		.problem_id = s->problem_id,
		.submitted_ms = s->submitted_ms,
		.result = board_result_of(s->status, s->verdict[0] ? s->verdict : NULL),
		.score = s->has_score ? s->score : 0,
	};
}

static const char *group_name(struct sub_list *l, const char *name)
{
	for (size_t i = l->name_count; i-- > 0;)
		if (strcmp(l->names[i], name) == 0)
			return l->names[i];
	if (l->name_count == l->name_cap) {
		l->name_cap = l->name_cap ? 2 * l->name_cap : 16;
		l->names = xrealloc(l->names, l->name_cap * sizeof *l->names);
	}
	return l->names[l->name_count++] = xstrdup(name);
}

static void on_group_score(void *ctx, const struct db_board_group *g)
{
	struct sub_list *l = ctx;
	if (l->group_count == l->group_cap) {
		l->group_cap = l->group_cap ? 2 * l->group_cap : 256;
		l->groups = xrealloc(l->groups, l->group_cap * sizeof *l->groups);
		l->group_sub = xrealloc(l->group_sub, l->group_cap * sizeof *l->group_sub);
	}
	l->group_sub[l->group_count] = g->submission_id;
	l->groups[l->group_count++] = (struct board_group_score){group_name(l, g->group ? g->group : ""), g->score};
}

static int cmp_sub_id(const void *a, const void *b)
{
	int64_t x = (*(const struct board_sub *const *)a)->id, y = (*(const struct board_sub *const *)b)->id;
	return x < y ? -1 : x > y;
}

/* Points each submission at its groups (rows come by submission id). */
static void attach_groups(struct sub_list *l)
{
	if (!l->group_count)
		return;
	struct board_sub **by_id = xcalloc(l->count + 1, sizeof *by_id);
	for (size_t i = 0; i < l->count; i++)
		by_id[i] = &l->subs[i];
	qsort(by_id, l->count, sizeof *by_id, cmp_sub_id);
	size_t s = 0;
	for (size_t g = 0; g < l->group_count;) {
		size_t end = g;
		while (end < l->group_count && l->group_sub[end] == l->group_sub[g])
			end++;
		while (s < l->count && by_id[s]->id < l->group_sub[g])
			s++;
		if (s < l->count && by_id[s]->id == l->group_sub[g]) {
			by_id[s]->groups = &l->groups[g];
			by_id[s]->group_count = end - g;
		}
		g = end;
	}
	free(by_id);
}

static void sub_list_release(struct sub_list *l)
{
	for (size_t i = 0; i < l->name_count; i++)
		free(l->names[i]);
	free(l->names);
	free(l->subs);
	free(l->groups);
	free(l->group_sub);
}

static enum board_scoring scoring_of(const struct db_contest *c)
{
	if (c->scoring && strcmp(c->scoring, "ioi") == 0)
		return c->ioi_mode && strcmp(c->ioi_mode, "max_subtasks") == 0 ? BOARD_IOI_MAX_SUBTASKS
										 : BOARD_IOI_MAX_SUBMISSION;
	return BOARD_ICPC;
}

static void settings_of(const struct db_contest *c, int64_t now_ms, struct board_settings *s)
{
	struct contest_times t;
	contest_times_of(c, &t);
	*s = (struct board_settings){
		.scoring = scoring_of(c),
		.penalty_min = c->penalty_min,
		.start_ms = c->start_ms,
		.freeze_ms = t.freeze,
		.thawed = t.thaw && now_ms >= t.thaw,
	};
}

/* A new board for a contest read from the database (its row is taken over). */
static struct entry *entry_build(struct db *db, struct db_contest *c, int64_t now_ms)
{
	struct entry *e = xcalloc(1, sizeof *e);
	e->contest = *c;
	struct board_settings s;
	settings_of(c, now_ms, &s);
	e->thawed = s.thawed;
	e->frozen = contest_frozen_at(c, now_ms);

	struct team_list tl = {0};
	if (db_board_teams(db, c->id, on_team, &tl) < 0)
		log_warnx("boards: contest %lld: its teams could not be read", (long long)c->id);
	struct board_problem *problems = xcalloc(c->problem_count + 1, sizeof *problems);
	for (size_t i = 0; i < c->problem_count; i++)
		problems[i] = (struct board_problem){c->problems[i].problem_id, c->problems[i].label,
						     c->problems[i].has_max_score ? c->problems[i].max_score : 0};
	e->board = board_new(&s, tl.teams, tl.count, problems, c->problem_count);
	free(problems);
	team_list_release(&tl);

	e->seq = db_board_seq(db, c->id);
	struct sub_list sl = {0};
	if (db_board_submissions(db, c->id, on_sub, &sl) < 0)
		log_warnx("boards: contest %lld: its submissions could not be read", (long long)c->id);
	if (s.scoring == BOARD_IOI_MAX_SUBTASKS && db_board_groups(db, c->id, on_group_score, &sl) >= 0)
		attach_groups(&sl);
	board_load(e->board, sl.subs, sl.count, e->seq);
	sub_list_release(&sl);
	return e;
}

static void entry_free(struct entry *e)
{
	if (!e)
		return;
	for (int i = 0; i < BOARDS_MEMO_SLOTS; i++)
		free(e->memo.slots[i].text);
	board_free(e->board);
	db_contest_release(&e->contest);
	free(e);
}

static struct entry **entry_find(struct boards *b, int64_t contest_id)
{
	struct entry **p = &b->entries;
	while (*p && (*p)->contest.id != contest_id)
		p = &(*p)->next;
	return p;
}

struct ids {
	int64_t *ids;
	size_t count, cap;
};

static void on_contest(void *ctx, const struct db_contest *c)
{
	struct ids *l = ctx;
	if (l->count == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->ids = xrealloc(l->ids, l->cap * sizeof *l->ids);
	}
	l->ids[l->count++] = c->id;
}

/* ---- the listener ---- */

static void view_of(struct entry *e, int64_t now_ms, struct boards_view *v)
{
	struct contest_times t;
	contest_times_of(&e->contest, &t);
	*v = (struct boards_view){
		.memo = &e->memo,
		.contest = &e->contest,
		.board = e->board,
		.seq = e->seq,
		.now_ms = now_ms,
		.frozen = contest_frozen_at(&e->contest, now_ms),
	};
	if (v->frozen && t.end > t.freeze)
		v->freeze_minutes = (t.end - t.freeze) / 60000;
}

static void tell(struct boards *b, enum boards_what what, struct entry *e, int64_t now_ms)
{
	e->memo.version++;
	if (!b->listener)
		return;
	struct boards_view v;
	view_of(e, now_ms, &v);
	b->listener(b->listener_ctx, what, &v);
}

/* ---- life cycle ---- */

struct boards *boards_new(struct db *db)
{
	struct boards *b = xcalloc(1, sizeof *b);
	b->db = db;
	pthread_mutex_init(&b->lock, NULL);
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_REALTIME);
	pthread_cond_init(&b->cond, &attr);
	pthread_condattr_destroy(&attr);
	struct ids l = {0};
	db_contests_list(db, on_contest, &l);
	int64_t now = contest_now_ms();
	struct entry **tail = &b->entries;
	for (size_t i = 0; i < l.count; i++) {
		struct db_contest c;
		if (db_contest_get(db, l.ids[i], &c) != 0)
			continue;
		*tail = entry_build(db, &c, now);
		tail = &(*tail)->next;
	}
	free(l.ids);
	if (l.count)
		log_info("boards: %zu contest boards built in %lld ms", l.count, (long long)(contest_now_ms() - now));
	return b;
}

void boards_set_listener(struct boards *b, boards_listener fn, void *ctx)
{
	pthread_mutex_lock(&b->lock);
	b->listener = fn;
	b->listener_ctx = ctx;
	pthread_mutex_unlock(&b->lock);
}

/* The next moment after now at which a board's phase changes; 0: none. */
static int64_t next_moment(const struct entry *e, int64_t now_ms)
{
	struct contest_times t;
	contest_times_of(&e->contest, &t);
	int64_t next = 0;
	const int64_t moments[] = {t.freeze, t.thaw};
	for (size_t i = 0; i < ARRAY_SIZE(moments); i++)
		if (moments[i] > now_ms && (!next || moments[i] < next))
			next = moments[i];
	return next;
}

/* Brings every board to the phase of now. Lock held. */
static void switch_boards(struct boards *b, int64_t now_ms)
{
	for (struct entry *e = b->entries; e; e = e->next) {
		struct board_settings s;
		settings_of(&e->contest, now_ms, &s);
		bool frozen = contest_frozen_at(&e->contest, now_ms);
		if (frozen == e->frozen && s.thawed == e->thawed)
			continue;
		if (s.thawed != e->thawed)
			board_set_settings(e->board, &s, e->seq);
		e->frozen = frozen;
		e->thawed = s.thawed;
		log_info("boards: contest %lld %s", (long long)e->contest.id,
			 frozen ? "froze" : s.thawed ? "thawed" : "is no longer frozen");
		tell(b, BOARDS_SWITCHED, e, now_ms);
	}
}

static void *timer_main(void *arg)
{
	struct boards *b = arg;
	pthread_mutex_lock(&b->lock);
	while (!b->stopping) {
		int64_t now = contest_now_ms();
		switch_boards(b, now);
		int64_t next = 0;
		for (struct entry *e = b->entries; e; e = e->next) {
			int64_t m = next_moment(e, now);
			if (m && (!next || m < next))
				next = m;
		}
		if (!next) {
			pthread_cond_wait(&b->cond, &b->lock);
			continue;
		}
		struct timespec ts = {(time_t)(next / 1000), (long)(next % 1000) * 1000000L};
		pthread_cond_timedwait(&b->cond, &b->lock, &ts);
	}
	pthread_mutex_unlock(&b->lock);
	return NULL;
}

int boards_start(struct boards *b)
{
	int rc = pthread_create(&b->thread, NULL, timer_main, b);
	if (rc != 0)
		return -rc;
	b->running = true;
	return 0;
}

void boards_free(struct boards *b)
{
	if (!b)
		return;
	if (b->running) {
		pthread_mutex_lock(&b->lock);
		b->stopping = true;
		pthread_cond_signal(&b->cond);
		pthread_mutex_unlock(&b->lock);
		pthread_join(b->thread, NULL);
	}
	while (b->entries) {
		struct entry *e = b->entries;
		b->entries = e->next;
		entry_free(e);
	}
	pthread_cond_destroy(&b->cond);
	pthread_mutex_destroy(&b->lock);
	free(b);
}

/* ---- changes ---- */

/* Rebuilds (or drops) a contest's board from the database. Lock held. */
static void rebuild(struct boards *b, struct db *db, int64_t contest_id, int64_t seq)
{
	struct entry **p = entry_find(b, contest_id);
	int64_t now = contest_now_ms();
	struct db_contest c;
	if (db_contest_get(db, contest_id, &c) != 0) {
		if (*p) {
			struct entry *gone = *p;
			*p = gone->next;
			gone->seq = seq;
			tell(b, BOARDS_GONE, gone, now);
			entry_free(gone);
		}
		return;
	}
	struct entry *e = entry_build(db, &c, now);
	if (e->seq < seq)
		e->seq = seq;
	if (*p) {
		e->next = (*p)->next;
		entry_free(*p);
	}
	*p = e;
	pthread_cond_signal(&b->cond); /* its moments may have moved */
	tell(b, BOARDS_REBUILT, e, now);
}

static void put_submission(struct boards *b, struct db *db, struct entry *e, const struct db_change *change)
{
	struct db_board_submission s;
	bool counted = !change->deleted && db_board_submission(db, change->id, &s) == 0 &&
		       s.contest_id == e->contest.id && !s.practice && s.team_id;
	bool changed;
	if (counted) {
		struct sub_list gl = {0};
		if (board_settings(e->board)->scoring == BOARD_IOI_MAX_SUBTASKS)
			(void)db_board_submission_groups(db, s.id, on_group_score, &gl);
		struct board_sub sub = {
			.id = s.id,
			.team_id = s.team_id,
			.problem_id = s.problem_id,
			.submitted_ms = s.submitted_ms,
			.result = board_result_of(s.status, s.verdict[0] ? s.verdict : NULL),
			.score = s.has_score ? s.score : 0,
			.groups = gl.groups,
			.group_count = gl.group_count,
		};
		changed = board_put(e->board, &sub, change->seq);
		sub_list_release(&gl);
	} else {
		changed = board_remove(e->board, change->id, change->seq);
	}
	e->seq = change->seq;
	e->memo.version++; /* the seq changed */
	if (changed)
		tell(b, BOARDS_CHANGED, e, contest_now_ms());
}

/* Rebuilds every board with the problem. Lock held. */
static void problem_changed(struct boards *b, struct db *db, int64_t problem_id, int64_t seq)
{
	struct ids l = {0};
	for (struct entry *e = b->entries; e; e = e->next)
		for (size_t i = 0; i < e->contest.problem_count; i++)
			if (e->contest.problems[i].problem_id == problem_id) {
				on_contest(&l, &e->contest);
				break;
			}
	for (size_t i = 0; i < l.count; i++)
		rebuild(b, db, l.ids[i], seq);
	free(l.ids);
}

void boards_on_change(struct boards *b, struct db *db, const struct db_change *change)
{
	pthread_mutex_lock(&b->lock);
	switch (change->kind) {
	case DB_KIND_SUBMISSION:
		if (change->scope_kind == DB_KIND_CONTEST) {
			struct entry *e = *entry_find(b, change->scope_id);
			if (e)
				put_submission(b, db, e, change);
		}
		break;
	case DB_KIND_CONTEST:
		rebuild(b, db, change->id, change->seq);
		break;
	case DB_KIND_TEAM:
	case DB_KIND_TEAM_GROUP:
		if (change->scope_kind == DB_KIND_CONTEST)
			rebuild(b, db, change->scope_id, change->seq);
		break;
	case DB_KIND_PROBLEM:
		problem_changed(b, db, change->id, change->seq);
		break;
	case DB_KIND_CONTEST_STATE:
		/* A moment was logged (moments.c): switch now, before the submissions
		   a thaw logs again come, whichever of it and the timer is first. */
		switch_boards(b, contest_now_ms());
		break;
	default:
		break;
	}
	pthread_mutex_unlock(&b->lock);
}

/* ---- reading ---- */

int boards_read(struct boards *b, int64_t contest_id, void (*fn)(void *ctx, const struct boards_view *v), void *ctx)
{
	pthread_mutex_lock(&b->lock);
	struct entry *e = *entry_find(b, contest_id);
	if (e) {
		struct boards_view v;
		view_of(e, contest_now_ms(), &v);
		fn(ctx, &v);
	}
	pthread_mutex_unlock(&b->lock);
	return e ? 0 : DB_E_NOT_FOUND;
}

char *boards_memo_get(struct boards_memo *memo, int slot, int64_t stamp, size_t *len)
{
	if (slot < 0 || slot >= BOARDS_MEMO_SLOTS || !memo->slots[slot].text || memo->slots[slot].stamp != stamp ||
	    memo->slots[slot].version != memo->version)
		return NULL;
	*len = memo->slots[slot].len;
	char *copy = xmalloc(*len + 1);
	memcpy(copy, memo->slots[slot].text, *len + 1);
	return copy;
}

void boards_memo_put(struct boards_memo *memo, int slot, int64_t stamp, const char *text, size_t len)
{
	if (slot < 0 || slot >= BOARDS_MEMO_SLOTS)
		return;
	free(memo->slots[slot].text);
	memo->slots[slot].text = xmalloc(len + 1);
	memcpy(memo->slots[slot].text, text, len);
	memo->slots[slot].text[len] = '\0';
	memo->slots[slot].len = len;
	memo->slots[slot].stamp = stamp;
	memo->slots[slot].version = memo->version;
}

const struct board_row *boards_own_row(const struct board *board, int64_t team_id)
{
	const struct board_row *const *rows;
	size_t n = board_rows(board, CONTEST_VIEW_TEAM, team_id, &rows, NULL);
	for (size_t i = 0; i < n; i++)
		if (rows[i]->team->id == team_id)
			return rows[i];
	return NULL;
}

size_t boards_view_rows(const struct board *board, enum contest_view view, int64_t team_id,
			const struct board_row **out)
{
	const struct board_row *const *rows;
	size_t n = board_rows(board, view == CONTEST_VIEW_JURY ? CONTEST_VIEW_JURY : CONTEST_VIEW_PUBLIC, 0, &rows,
			      NULL);
	const struct board_row *own = view == CONTEST_VIEW_TEAM ? boards_own_row(board, team_id) : NULL;
	size_t k = 0;
	bool placed = own == NULL;
	for (size_t i = 0; i < n; i++) {
		if (own && rows[i]->team->id == team_id)
			continue;
		if (!placed && rows[i]->rank > own->rank) {
			out[k++] = own;
			placed = true;
		}
		out[k++] = rows[i];
	}
	if (!placed)
		out[k++] = own;
	return k;
}

static bool team_in_group(const struct board_team *t, int64_t group_id)
{
	for (size_t i = 0; i < t->group_count; i++)
		if (t->groups[i] == group_id)
			return true;
	return false;
}

const struct board_row **boards_view_rows_of(const struct board *board, enum contest_view view, int64_t team_id,
					     int64_t group_id, size_t *count)
{
	const struct board_row *const *all;
	size_t n = board_rows(board, CONTEST_VIEW_JURY, 0, &all, NULL);
	const struct board_row **rows = xcalloc(n + 1, sizeof *rows);
	size_t k = boards_view_rows(board, view, team_id, rows);
	if (group_id) {
		size_t kept = 0;
		for (size_t i = 0; i < k; i++)
			if (team_in_group(rows[i]->team, group_id))
				rows[kept++] = rows[i];
		k = kept;
	}
	*count = k;
	return rows;
}
