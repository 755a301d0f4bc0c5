/* The in-memory scoreboard: submissions by cell, and one set of rows per view.
 *
 * Theory of operation. Every submission is kept once (a hash by id, and a list
 * per (team, problem) cell in submission order). A view (jury, public, or one
 * team's) holds a row and a cell per team and problem, computed by walking a
 * cell's submissions with the view's eyes: the freeze hides from the public a
 * submission made at or after the freeze moment (it shows as pending). A
 * change of one submission recomputes its cell in every view, then that
 * problem's first-to-solve flags and the ranks, and compares with what was
 * there before: rows that differ take the change's seq.
 *
 * A team's view exists only while it differs from the public one: during the
 * freeze, for a team that submitted after the freeze. It is made as a copy of
 * the public view (what the team's readers saw until then), so its first
 * change lists only what differs. When it goes (thaw), the public rows that
 * differ from it take the seq, so that a team's reader resuming on the public
 * view gets them. */
#include "board.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

#define SCORE_EPS 1e-9

struct sub {
	int64_t id;
	size_t team, problem;           /* indexes */
	int64_t submitted_ms;
	enum board_result result;
	double score;
	double *group_scores;           /* by the problem's group index */
	size_t group_count;
};

struct cell_list {
	struct sub **subs;              /* by (submitted_ms, id) */
	size_t count, cap;
};

/* What first-to-solve needs of a cell, in one view. */
struct cell_aux {
	int64_t ac_ms;                  /* the first AC (full score); INT64_MAX: none */
	int64_t pending_ms;             /* the earliest pending; INT64_MAX: none */
};

struct view {
	enum contest_view kind;
	size_t team;                    /* CONTEST_VIEW_TEAM: its team's index */
	struct board_row *rows;         /* by team index */
	struct board_cell *cells;       /* team * problems + problem */
	struct cell_aux *aux;
	const struct board_row **order; /* the rows shown, in rank order */
	size_t *pos;                    /* by team index: its place in order */
	size_t shown;
	bool *changed;                  /* by team index, in the current change */
	const struct board_row **out;   /* the changed rows in rank order */
	size_t out_count;
	/* before the change, for the comparison */
	struct board_row *old_rows;
	struct board_cell *old_cells;
};

struct problem {
	struct board_problem p;
	char **groups;                  /* max_subtasks: group names seen */
	size_t group_count;
};

struct board {
	struct board_settings s;
	struct board_team *teams;
	size_t team_count;
	struct problem *problems;
	size_t problem_count;
	struct cell_list *cells;        /* team * problems + problem */
	struct sub **hash;              /* open addressing by id */
	size_t hash_cap, sub_count;
	struct view jury, public_;
	struct view **team_views;       /* by team index; NULL: the public one */
	size_t *name_rank;              /* by team index: its place in name order */
	struct board_change *changes;
	size_t change_count;
};

enum board_result board_result_of(const char *status, const char *verdict)
{
	if (!status || strcmp(status, "done") != 0 || !verdict || strcmp(verdict, "JE") == 0)
		return BOARD_PENDING;
	if (strcmp(verdict, "AC") == 0)
		return BOARD_ACCEPTED;
	if (strcmp(verdict, "CE") == 0)
		return BOARD_NO_PENALTY;
	return BOARD_REJECTED;
}

/* ---- lookups ---- */

static size_t team_index(const struct board *b, int64_t id)
{
	for (size_t i = 0; i < b->team_count; i++)
		if (b->teams[i].id == id)
			return i;
	return SIZE_MAX;
}

static size_t problem_index(const struct board *b, int64_t id)
{
	for (size_t i = 0; i < b->problem_count; i++)
		if (b->problems[i].p.id == id)
			return i;
	return SIZE_MAX;
}

static size_t group_index(struct problem *p, const char *name)
{
	for (size_t i = 0; i < p->group_count; i++)
		if (strcmp(p->groups[i], name) == 0)
			return i;
	p->groups = xrealloc(p->groups, (p->group_count + 1) * sizeof *p->groups);
	p->groups[p->group_count] = xstrdup(name);
	return p->group_count++;
}

static size_t hash_slot(const struct board *b, int64_t id)
{
	uint64_t h = (uint64_t)id * 0x9e3779b97f4a7c15u;
	size_t i = (size_t)(h >> 20) & (b->hash_cap - 1);
	while (b->hash[i] && b->hash[i]->id != id)
		i = (i + 1) & (b->hash_cap - 1);
	return i;
}

static void hash_grow(struct board *b)
{
	struct sub **old = b->hash;
	size_t old_cap = b->hash_cap;
	b->hash_cap = old_cap ? old_cap * 2 : 1024;
	b->hash = xcalloc(b->hash_cap, sizeof *b->hash);
	for (size_t i = 0; i < old_cap; i++)
		if (old[i])
			b->hash[hash_slot(b, old[i]->id)] = old[i];
	free(old);
}

/* Linear probing: close the gap so that later entries stay reachable. */
static void hash_delete(struct board *b, size_t i)
{
	size_t mask = b->hash_cap - 1;
	b->hash[i] = NULL;
	for (size_t j = (i + 1) & mask; b->hash[j]; j = (j + 1) & mask) {
		struct sub *s = b->hash[j];
		b->hash[j] = NULL;
		b->hash[hash_slot(b, s->id)] = s;
	}
}

static bool sub_before(const struct sub *a, const struct sub *c)
{
	return a->submitted_ms < c->submitted_ms || (a->submitted_ms == c->submitted_ms && a->id < c->id);
}

static void cell_insert(struct cell_list *l, struct sub *s)
{
	if (l->count == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 4;
		l->subs = xrealloc(l->subs, l->cap * sizeof *l->subs);
	}
	size_t i = l->count;
	while (i > 0 && sub_before(s, l->subs[i - 1])) {
		l->subs[i] = l->subs[i - 1];
		i--;
	}
	l->subs[i] = s;
	l->count++;
}

static void cell_delete(struct cell_list *l, const struct sub *s)
{
	for (size_t i = 0; i < l->count; i++)
		if (l->subs[i] == s) {
			memmove(l->subs + i, l->subs + i + 1, (l->count - i - 1) * sizeof *l->subs);
			l->count--;
			return;
		}
}

/* ---- cells, rows, ranks ---- */

static bool view_shows(const struct board *b, const struct view *v, size_t team)
{
	return v->kind == CONTEST_VIEW_JURY || !b->teams[team].hidden;
}

/* Whether view v sees the result of a submission of team made at ms. */
static bool view_sees(const struct board *b, const struct view *v, size_t team, int64_t ms)
{
	if (v->kind == CONTEST_VIEW_JURY || (v->kind == CONTEST_VIEW_TEAM && v->team == team))
		return true;
	return b->s.thawed || b->s.freeze_ms <= 0 || ms < b->s.freeze_ms;
}

static int64_t minute_of(const struct board *b, int64_t ms)
{
	int64_t d = ms - b->s.start_ms;
	return d <= 0 ? 0 : d / 60000;
}

static void cell_compute(const struct board *b, const struct view *v, size_t t, size_t p)
{
	const struct cell_list *l = &b->cells[t * b->problem_count + p];
	struct board_cell *c = &v->cells[t * b->problem_count + p];
	struct cell_aux *a = &v->aux[t * b->problem_count + p];
	const struct problem *pr = &b->problems[p];
	bool ioi = b->s.scoring != BOARD_ICPC;
	double best[64] = {0};          /* max_subtasks: per group */
	double *gbest = pr->group_count <= 64 ? best : xcalloc(pr->group_count, sizeof *gbest);
	int rejected = 0;

	*c = (struct board_cell){.time = -1};
	*a = (struct cell_aux){.ac_ms = INT64_MAX, .pending_ms = INT64_MAX};
	for (size_t i = 0; i < l->count; i++) {
		const struct sub *s = l->subs[i];
		enum board_result r = view_sees(b, v, t, s->submitted_ms) ? s->result : BOARD_PENDING;
		if (r == BOARD_PENDING) {
			if (a->pending_ms == INT64_MAX)
				a->pending_ms = s->submitted_ms;
			if (!c->solved || ioi)
				c->pending++;
			continue;
		}
		if (!ioi) {
			if (c->solved)
				continue;
			c->attempts++;
			if (r == BOARD_ACCEPTED) {
				c->solved = true;
				c->time = minute_of(b, s->submitted_ms);
				c->penalty = c->time + b->s.penalty_min * rejected;
				a->ac_ms = s->submitted_ms;
			} else if (r == BOARD_REJECTED) {
				rejected++;
			}
			continue;
		}
		c->attempts++;
		double score = s->score;
		if (b->s.scoring == BOARD_IOI_MAX_SUBTASKS) {
			score = 0;
			for (size_t g = 0; g < pr->group_count; g++) {
				double gs = g < s->group_count ? s->group_scores[g] : 0;
				if (gs > gbest[g])
					gbest[g] = gs;
				score += gbest[g];
			}
		}
		if (score > c->score + SCORE_EPS) {
			c->score = score;
			c->time = minute_of(b, s->submitted_ms);
		}
		if (!c->solved && pr->p.max_score > 0 && c->score >= pr->p.max_score - SCORE_EPS) {
			c->solved = true;
			a->ac_ms = s->submitted_ms;
		}
	}
	if (gbest != best)
		free(gbest);
}

static void row_total(const struct board *b, struct view *v, size_t t)
{
	struct board_row *r = &v->rows[t];
	r->solved = 0;
	r->time = 0;
	r->score = 0;
	r->last_time = -1;
	for (size_t p = 0; p < b->problem_count; p++) {
		const struct board_cell *c = &v->cells[t * b->problem_count + p];
		if (c->solved)
			r->solved++;
		r->time += c->penalty;
		r->score += c->score;
		if ((b->s.scoring == BOARD_ICPC ? c->solved : c->score > 0) && c->time > r->last_time)
			r->last_time = c->time;
	}
}

/* First to solve p: the earliest AC among the rows shown, unless a pending
   submission made before it remains. Equal moments share it. */
static void column_first(const struct board *b, struct view *v, size_t p)
{
	int64_t ac = INT64_MAX, pending = INT64_MAX;
	size_t P = b->problem_count;
	for (size_t t = 0; t < b->team_count; t++) {
		if (!view_shows(b, v, t))
			continue;
		const struct cell_aux *a = &v->aux[t * P + p];
		if (a->ac_ms < ac)
			ac = a->ac_ms;
		if (a->pending_ms < pending)
			pending = a->pending_ms;
	}
	for (size_t t = 0; t < b->team_count; t++)
		v->cells[t * P + p].first = ac != INT64_MAX && pending >= ac && view_shows(b, v, t) &&
					    v->aux[t * P + p].ac_ms == ac;
}

static const char *shown_name(const struct board_team *t)
{
	return t->display_name && t->display_name[0] ? t->display_name : t->name;
}

/* <0 when a ranks above c; 0 when tied. */
static int row_rank_cmp(enum board_scoring scoring, const struct board_row *a, const struct board_row *c)
{
	if (scoring == BOARD_ICPC) {
		if (a->solved != c->solved)
			return a->solved > c->solved ? -1 : 1;
		if (a->time != c->time)
			return a->time < c->time ? -1 : 1;
		if (a->last_time != c->last_time)
			return a->last_time < c->last_time ? -1 : 1;
		return 0;
	}
	if (fabs(a->score - c->score) > SCORE_EPS)
		return a->score > c->score ? -1 : 1;
	return 0;
}

/* The rows' order: by rank, then by name (name_rank, set once). */
static int row_order_cmp(const struct board *b, const struct board_row *a, const struct board_row *c)
{
	int d = row_rank_cmp(b->s.scoring, a, c);
	if (d)
		return d;
	size_t x = b->name_rank[a->team - b->teams], y = b->name_rank[c->team - b->teams];
	return x < y ? -1 : x > y;
}

static _Thread_local const struct board *sort_board; /* qsort has no context */

static int row_qsort_cmp(const void *x, const void *y)
{
	return row_order_cmp(sort_board, *(const struct board_row *const *)x, *(const struct board_row *const *)y);
}

static int team_name_cmp(const void *x, const void *y)
{
	const struct board_team *a = *(const struct board_team *const *)x, *c = *(const struct board_team *const *)y;
	int d = strcasecmp(shown_name(a), shown_name(c));
	if (!d)
		d = strcmp(shown_name(a), shown_name(c));
	return d ? d : (a->id > c->id) - (a->id < c->id);
}

static void ranks_assign(const struct board *b, struct view *v)
{
	for (size_t i = 0; i < v->shown; i++) {
		size_t t = (size_t)(v->order[i]->team - b->teams);
		struct board_row *r = &v->rows[t];
		v->pos[t] = i;
		if (i > 0 && row_rank_cmp(b->s.scoring, v->order[i - 1], r) == 0)
			r->rank = v->order[i - 1]->rank;
		else
			r->rank = (int)i + 1;
	}
}

static void view_rank(const struct board *b, struct view *v)
{
	sort_board = b;
	qsort(v->order, v->shown, sizeof *v->order, row_qsort_cmp);
	ranks_assign(b, v);
}

/* Moves team t's row to its place after a change of it alone: O(T). */
static void view_place(const struct board *b, struct view *v, size_t t)
{
	if (!view_shows(b, v, t))
		return;
	size_t i = v->pos[t];
	const struct board_row *r = v->order[i];
	while (i > 0 && row_order_cmp(b, v->order[i - 1], r) > 0) {
		v->order[i] = v->order[i - 1];
		i--;
	}
	while (i + 1 < v->shown && row_order_cmp(b, v->order[i + 1], r) < 0) {
		v->order[i] = v->order[i + 1];
		i++;
	}
	v->order[i] = r;
	ranks_assign(b, v);
}

/* ---- views ---- */

static void view_init(struct board *b, struct view *v, enum contest_view kind, size_t team)
{
	size_t T = b->team_count, P = b->problem_count;
	v->kind = kind;
	v->team = team;
	v->rows = xcalloc(T + 1, sizeof *v->rows);
	v->old_rows = xcalloc(T + 1, sizeof *v->old_rows);
	v->cells = xcalloc(T * P + 1, sizeof *v->cells);
	v->old_cells = xcalloc(T * P + 1, sizeof *v->old_cells);
	v->aux = xcalloc(T * P + 1, sizeof *v->aux);
	v->order = xcalloc(T + 1, sizeof *v->order);
	v->pos = xcalloc(T + 1, sizeof *v->pos);
	v->out = xcalloc(T + 1, sizeof *v->out);
	v->changed = xcalloc(T + 1, sizeof *v->changed);
	v->shown = 0;
	for (size_t t = 0; t < T; t++) {
		v->rows[t].team = &b->teams[t];
		v->rows[t].cells = &v->cells[t * P];
		v->rows[t].last_time = -1;
		if (view_shows(b, v, t))
			v->order[v->shown++] = &v->rows[t];
	}
	for (size_t i = 0; i < T * P; i++) {
		v->cells[i].time = -1;
		v->aux[i] = (struct cell_aux){.ac_ms = INT64_MAX, .pending_ms = INT64_MAX};
	}
	view_rank(b, v);
}

static void view_release(struct view *v)
{
	free(v->rows);
	free(v->old_rows);
	free(v->cells);
	free(v->old_cells);
	free(v->aux);
	free(v->order);
	free(v->pos);
	free(v->out);
	free(v->changed);
}

static void view_free(struct view *v)
{
	if (v)
		view_release(v);
	free(v);
}

/* A team's view as a copy of the public one, rows and seqs included. */
static struct view *team_view_new(struct board *b, size_t team)
{
	size_t T = b->team_count, P = b->problem_count;
	struct view *v = xcalloc(1, sizeof *v);
	view_init(b, v, CONTEST_VIEW_TEAM, team);
	for (size_t t = 0; t < T; t++) {
		v->rows[t] = b->public_.rows[t];
		v->rows[t].cells = &v->cells[t * P];
	}
	memcpy(v->cells, b->public_.cells, T * P * sizeof *v->cells);
	memcpy(v->aux, b->public_.aux, T * P * sizeof *v->aux);
	view_rank(b, v);
	return v;
}

static bool team_needs_view(const struct board *b, size_t t)
{
	if (b->teams[t].hidden || b->s.thawed || b->s.freeze_ms <= 0)
		return false;
	for (size_t p = 0; p < b->problem_count; p++) {
		const struct cell_list *l = &b->cells[t * b->problem_count + p];
		if (l->count && l->subs[l->count - 1]->submitted_ms >= b->s.freeze_ms)
			return true;
	}
	return false;
}

typedef void (*view_fn)(struct board *b, struct view *v, void *ctx);

static void each_view(struct board *b, view_fn fn, void *ctx)
{
	fn(b, &b->jury, ctx);
	fn(b, &b->public_, ctx);
	for (size_t t = 0; t < b->team_count; t++)
		if (b->team_views[t])
			fn(b, b->team_views[t], ctx);
}

/* The cells a change touches (at most two: a replaced submission's old and
   new); NULL where every cell may change. */
struct touched {
	size_t team[2], problem[2];
	size_t count;
};

/* Keeps what may change: the rows, and the cells of the touched columns. */
static void view_save(const struct board *b, struct view *v, const struct touched *tc)
{
	size_t P = b->problem_count;
	memcpy(v->old_rows, v->rows, b->team_count * sizeof *v->rows);
	if (!tc)
		memcpy(v->old_cells, v->cells, b->team_count * P * sizeof *v->cells);
	else
		for (size_t i = 0; i < tc->count; i++)
			for (size_t t = 0; t < b->team_count; t++)
				v->old_cells[t * P + tc->problem[i]] = v->cells[t * P + tc->problem[i]];
	memset(v->changed, 0, b->team_count * sizeof *v->changed);
	v->out_count = 0;
}

static bool cell_same(const struct board_cell *a, const struct board_cell *c)
{
	return a->solved == c->solved && a->first == c->first && a->attempts == c->attempts &&
	       a->pending == c->pending && a->time == c->time && a->penalty == c->penalty &&
	       fabs(a->score - c->score) <= SCORE_EPS;
}

/* Whether two rows are the same (tc: only the touched columns may differ). */
static bool row_same(const struct board *b, const struct board_row *a, const struct board_cell *ac,
		     const struct board_row *c, const struct board_cell *cc, const struct touched *tc)
{
	if (a->rank != c->rank || a->solved != c->solved || a->time != c->time ||
	    fabs(a->score - c->score) > SCORE_EPS || a->last_time != c->last_time)
		return false;
	if (tc) {
		for (size_t i = 0; i < tc->count; i++)
			if (!cell_same(&ac[tc->problem[i]], &cc[tc->problem[i]]))
				return false;
		return true;
	}
	for (size_t p = 0; p < b->problem_count; p++)
		if (!cell_same(&ac[p], &cc[p]))
			return false;
	return true;
}

/* Marks the rows that differ from the saved ones and gives them seq. */
static void view_diff(const struct board *b, struct view *v, const struct touched *tc, int64_t seq)
{
	size_t P = b->problem_count;
	for (size_t t = 0; t < b->team_count; t++) {
		if (!view_shows(b, v, t))
			continue;
		if (!v->changed[t] &&
		    !row_same(b, &v->rows[t], &v->cells[t * P], &v->old_rows[t], &v->old_cells[t * P], tc))
			v->changed[t] = true;
		if (v->changed[t])
			v->rows[t].seq = seq;
	}
}

static void view_collect(const struct board *b, struct view *v)
{
	v->out_count = 0;
	for (size_t i = 0; i < v->shown; i++)
		if (v->changed[v->order[i]->team - b->teams])
			v->out[v->out_count++] = v->order[i];
}

/* A team's view sees the other teams as the public does: their cells are
   the public view's (computed first), and only its own are computed. */
static bool view_copies(const struct view *v, size_t t)
{
	return v->kind == CONTEST_VIEW_TEAM && v->team != t;
}

static void cell_update(struct board *b, struct view *v, size_t t, size_t p)
{
	size_t i = t * b->problem_count + p;
	if (view_copies(v, t)) {
		v->cells[i] = b->public_.cells[i];
		v->aux[i] = b->public_.aux[i];
	} else {
		cell_compute(b, v, t, p);
	}
}

static void view_full(struct board *b, struct view *v, void *ctx)
{
	(void)ctx;
	for (size_t t = 0; t < b->team_count; t++) {
		for (size_t p = 0; p < b->problem_count; p++)
			cell_update(b, v, t, p);
		row_total(b, v, t);
	}
	for (size_t p = 0; p < b->problem_count; p++)
		column_first(b, v, p);
	view_rank(b, v);
}

/* ---- changes ---- */

static void changes_build(struct board *b)
{
	size_t n = 0;
	free(b->changes);
	b->changes = xcalloc(b->team_count + 2, sizeof *b->changes);
	b->changes[n++] = (struct board_change){CONTEST_VIEW_JURY, 0, b->jury.out, b->jury.out_count};
	b->changes[n++] = (struct board_change){CONTEST_VIEW_PUBLIC, 0, b->public_.out, b->public_.out_count};
	for (size_t t = 0; t < b->team_count; t++) {
		struct view *v = b->team_views[t];
		if (v)
			b->changes[n++] = (struct board_change){CONTEST_VIEW_TEAM, b->teams[t].id, v->out, v->out_count};
	}
	b->change_count = n;
}

struct step {
	const struct touched *tc;       /* NULL: every cell */
	int64_t seq;
};

static void save_fn(struct board *b, struct view *v, void *ctx)
{
	view_save(b, v, ((const struct step *)ctx)->tc);
}

static void finish_fn(struct board *b, struct view *v, void *ctx)
{
	const struct step *st = ctx;
	view_diff(b, v, st->tc, st->seq);
	view_collect(b, v);
}

/* Makes the team views the settings and submissions now call for (copies of
   the public view as it stands), before a change is applied. */
static void team_views_add(struct board *b)
{
	for (size_t t = 0; t < b->team_count; t++)
		if (!b->team_views[t] && team_needs_view(b, t)) {
			b->team_views[t] = team_view_new(b, t);
			view_save(b, b->team_views[t], NULL);
		}
}

/* Drops the team views no longer called for; the public rows that differ from
   what a dropped one showed before the change take seq (its readers now read
   the public view). Its saved rows are whole: the change was a full one. */
static void team_views_drop(struct board *b, int64_t seq)
{
	size_t P = b->problem_count;
	struct view *pub = &b->public_;
	for (size_t u = 0; u < b->team_count; u++) {
		struct view *v = b->team_views[u];
		if (!v || team_needs_view(b, u))
			continue;
		for (size_t t = 0; t < b->team_count; t++)
			if (view_shows(b, pub, t) && !pub->changed[t] &&
			    !row_same(b, &pub->rows[t], &pub->cells[t * P], &v->old_rows[t], &v->old_cells[t * P], NULL)) {
				pub->changed[t] = true;
				pub->rows[t].seq = seq;
			}
		view_free(v);
		b->team_views[u] = NULL;
	}
	view_collect(b, pub);
}

/* ---- the board ---- */

struct board *board_new(const struct board_settings *s, const struct board_team *teams, size_t team_count,
			const struct board_problem *problems, size_t problem_count)
{
	struct board *b = xcalloc(1, sizeof *b);
	b->s = *s;
	b->team_count = team_count;
	b->teams = xcalloc(team_count + 1, sizeof *b->teams);
	for (size_t i = 0; i < team_count; i++) {
		struct board_team *t = &b->teams[i];
		*t = teams[i];
		t->key = xstrdup(teams[i].key ? teams[i].key : "");
		t->icpc_id = teams[i].icpc_id ? xstrdup(teams[i].icpc_id) : NULL;
		t->label = xstrdup(teams[i].label ? teams[i].label : "");
		t->name = xstrdup(teams[i].name ? teams[i].name : "");
		t->display_name = xstrdup(teams[i].display_name ? teams[i].display_name : "");
		int64_t *g = xcalloc(teams[i].group_count + 1, sizeof *g);
		if (teams[i].group_count)
			memcpy(g, teams[i].groups, teams[i].group_count * sizeof *g);
		t->groups = g;
	}
	b->problem_count = problem_count;
	b->problems = xcalloc(problem_count + 1, sizeof *b->problems);
	for (size_t i = 0; i < problem_count; i++) {
		b->problems[i].p = problems[i];
		b->problems[i].p.label = xstrdup(problems[i].label ? problems[i].label : "");
	}
	const struct board_team **by_name = xcalloc(team_count + 1, sizeof *by_name);
	for (size_t i = 0; i < team_count; i++)
		by_name[i] = &b->teams[i];
	qsort(by_name, team_count, sizeof *by_name, team_name_cmp);
	b->name_rank = xcalloc(team_count + 1, sizeof *b->name_rank);
	for (size_t i = 0; i < team_count; i++)
		b->name_rank[by_name[i] - b->teams] = i;
	free(by_name);
	b->cells = xcalloc(team_count * problem_count + 1, sizeof *b->cells);
	b->team_views = xcalloc(team_count + 1, sizeof *b->team_views);
	hash_grow(b);
	view_init(b, &b->jury, CONTEST_VIEW_JURY, 0);
	view_init(b, &b->public_, CONTEST_VIEW_PUBLIC, 0);
	changes_build(b);
	return b;
}

static void sub_free(struct sub *s)
{
	if (s)
		free(s->group_scores);
	free(s);
}

void board_free(struct board *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->hash_cap; i++)
		sub_free(b->hash[i]);
	free(b->hash);
	for (size_t i = 0; i < b->team_count * b->problem_count; i++)
		free(b->cells[i].subs);
	free(b->cells);
	for (size_t i = 0; i < b->team_count; i++) {
		struct board_team *t = &b->teams[i];
		free((char *)t->key);
		free((char *)t->icpc_id);
		free((char *)t->label);
		free((char *)t->name);
		free((char *)t->display_name);
		free((int64_t *)t->groups);
		view_free(b->team_views[i]);
	}
	free(b->team_views);
	free(b->name_rank);
	free(b->teams);
	for (size_t i = 0; i < b->problem_count; i++) {
		free((char *)b->problems[i].p.label);
		for (size_t g = 0; g < b->problems[i].group_count; g++)
			free(b->problems[i].groups[g]);
		free(b->problems[i].groups);
	}
	free(b->problems);
	view_release(&b->jury);
	view_release(&b->public_);
	free(b->changes);
	free(b);
}

const struct board_settings *board_settings(const struct board *b)
{
	return &b->s;
}

size_t board_problem_count(const struct board *b)
{
	return b->problem_count;
}

const struct board_problem *board_problem_at(const struct board *b, size_t i)
{
	return i < b->problem_count ? &b->problems[i].p : NULL;
}

/* Takes s out of the board (the caller frees it). */
static struct sub *sub_take(struct board *b, int64_t id)
{
	size_t i = hash_slot(b, id);
	struct sub *s = b->hash[i];
	if (!s)
		return NULL;
	hash_delete(b, i);
	b->sub_count--;
	cell_delete(&b->cells[s->team * b->problem_count + s->problem], s);
	return s;
}

static struct sub *sub_make(struct board *b, const struct board_sub *in)
{
	size_t t = team_index(b, in->team_id), p = problem_index(b, in->problem_id);
	if (t == SIZE_MAX || p == SIZE_MAX)
		return NULL;
	struct sub *s = xcalloc(1, sizeof *s);
	s->id = in->id;
	s->team = t;
	s->problem = p;
	s->submitted_ms = in->submitted_ms;
	s->result = in->result;
	s->score = in->score;
	if (b->s.scoring == BOARD_IOI_MAX_SUBTASKS && in->group_count) {
		struct problem *pr = &b->problems[p];
		for (size_t g = 0; g < in->group_count; g++)
			group_index(pr, in->groups[g].group ? in->groups[g].group : "");
		s->group_count = pr->group_count;
		s->group_scores = xcalloc(s->group_count, sizeof *s->group_scores);
		for (size_t g = 0; g < in->group_count; g++)
			s->group_scores[group_index(pr, in->groups[g].group ? in->groups[g].group : "")] +=
				in->groups[g].score;
	}
	return s;
}

static void sub_add(struct board *b, struct sub *s)
{
	if ((b->sub_count + 1) * 2 > b->hash_cap)
		hash_grow(b);
	b->hash[hash_slot(b, s->id)] = s;
	b->sub_count++;
	cell_insert(&b->cells[s->team * b->problem_count + s->problem], s);
}

static void touched_fn(struct board *b, struct view *v, void *ctx)
{
	const struct touched *tc = ctx;
	for (size_t i = 0; i < tc->count; i++) {
		cell_update(b, v, tc->team[i], tc->problem[i]);
		row_total(b, v, tc->team[i]);
	}
	for (size_t i = 0; i < tc->count; i++)
		column_first(b, v, tc->problem[i]);
	if (tc->count == 1)
		view_place(b, v, tc->team[0]);
	else
		view_rank(b, v); /* two rows moved: view_place wants the others in order */
}

/* Applies a change of the touched cells to every view; seq on what changed. */
static void board_apply(struct board *b, struct touched *tc, int64_t seq)
{
	struct step st = {tc, seq};
	each_view(b, save_fn, &st);
	team_views_add(b);
	each_view(b, touched_fn, tc);
	each_view(b, finish_fn, &st);
	changes_build(b);
}

/* Nothing changed: empty change lists. */
static void changes_clear(struct board *b)
{
	struct touched none = {{0}, {0}, 0};
	struct step st = {&none, 0};
	each_view(b, save_fn, &st);
	changes_build(b);
}

bool board_put(struct board *b, const struct board_sub *in, int64_t seq)
{
	struct sub *s = sub_make(b, in);
	if (!s) {
		changes_clear(b);
		return false;
	}
	struct touched tc = {{s->team}, {s->problem}, 1};
	struct sub *old = sub_take(b, in->id);
	if (old && (old->team != s->team || old->problem != s->problem)) {
		tc.team[1] = old->team;
		tc.problem[1] = old->problem;
		tc.count = 2;
	}
	sub_free(old);
	sub_add(b, s);
	board_apply(b, &tc, seq);
	return true;
}

bool board_remove(struct board *b, int64_t id, int64_t seq)
{
	struct sub *s = sub_take(b, id);
	if (!s) {
		changes_clear(b);
		return false;
	}
	struct touched tc = {{s->team}, {s->problem}, 1};
	sub_free(s);
	board_apply(b, &tc, seq);
	return true;
}

static void board_apply_all(struct board *b, int64_t seq)
{
	struct step st = {NULL, seq};
	each_view(b, save_fn, &st);
	team_views_add(b);
	each_view(b, view_full, NULL);
	each_view(b, finish_fn, &st);
	team_views_drop(b, seq);
	changes_build(b);
}

void board_load(struct board *b, const struct board_sub *subs, size_t n, int64_t seq)
{
	for (size_t i = 0; i < n; i++) {
		struct sub *s = sub_make(b, &subs[i]);
		if (!s)
			continue;
		sub_free(sub_take(b, s->id));
		sub_add(b, s);
	}
	board_apply_all(b, seq);
}

void board_set_settings(struct board *b, const struct board_settings *s, int64_t seq)
{
	/* The team views the new settings call for start from the public view as it was. */
	struct step st = {NULL, seq};
	each_view(b, save_fn, &st);
	b->s = *s;
	team_views_add(b);
	each_view(b, view_full, NULL);
	each_view(b, finish_fn, &st);
	team_views_drop(b, seq);
	changes_build(b);
}

size_t board_changes(const struct board *b, const struct board_change **out)
{
	*out = b->changes;
	return b->change_count;
}

size_t board_rows(const struct board *b, enum contest_view view, int64_t team_id, const struct board_row *const **rows,
		  int64_t *seq)
{
	const struct view *v = &b->public_;
	if (view == CONTEST_VIEW_JURY) {
		v = &b->jury;
	} else if (view == CONTEST_VIEW_TEAM) {
		size_t t = team_index(b, team_id);
		if (t != SIZE_MAX && b->team_views[t])
			v = b->team_views[t];
	}
	*rows = v->order;
	if (seq) {
		*seq = 0;
		for (size_t i = 0; i < v->shown; i++)
			if (v->order[i]->seq > *seq)
				*seq = v->order[i]->seq;
	}
	return v->shown;
}

struct board *board_thawed(const struct board *b)
{
	struct board_settings s = b->s;
	s.thawed = true;
	struct board_problem *problems = xcalloc(b->problem_count + 1, sizeof *problems);
	for (size_t i = 0; i < b->problem_count; i++)
		problems[i] = b->problems[i].p;
	struct board *c = board_new(&s, b->teams, b->team_count, problems, b->problem_count);
	free(problems);
	size_t group_total = 0;
	for (size_t i = 0; i < b->hash_cap; i++)
		if (b->hash[i])
			group_total += b->hash[i]->group_count;
	struct board_sub *subs = xcalloc(b->sub_count + 1, sizeof *subs);
	struct board_group_score *groups = xcalloc(group_total + 1, sizeof *groups);
	size_t n = 0, g = 0;
	for (size_t i = 0; i < b->hash_cap; i++) {
		const struct sub *in = b->hash[i];
		if (!in)
			continue;
		subs[n] = (struct board_sub){.id = in->id, .team_id = b->teams[in->team].id,
					     .problem_id = b->problems[in->problem].p.id,
					     .submitted_ms = in->submitted_ms, .result = in->result, .score = in->score,
					     .groups = &groups[g], .group_count = in->group_count};
		for (size_t k = 0; k < in->group_count; k++)
			groups[g++] = (struct board_group_score){b->problems[in->problem].groups[k], in->group_scores[k]};
		n++;
	}
	board_load(c, subs, n, 0);
	free(groups);
	free(subs);
	return c;
}
