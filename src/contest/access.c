#include "access.h"

#include <stdlib.h>

#include "clock.h"
#include "util.h"

bool contest_viewer_of(struct db *db, const struct db_contest *c, const struct db_user *user,
		       struct contest_viewer *out)
{
	*out = (struct contest_viewer){CONTEST_VIEW_PUBLIC, 0, user ? user->id : 0};
	if (user && user->role != DB_ROLE_USER) {
		out->view = CONTEST_VIEW_JURY;
		return true;
	}
	int64_t team = 0;
	if (user && db_team_of_user(db, c->id, user->id, &team) == 0) {
		out->view = CONTEST_VIEW_TEAM;
		out->team_id = team;
		return true;
	}
	return c->public_ || (user && c->classroom);
}

bool contest_viewer_sees_result(const struct db_contest *c, const struct contest_viewer *v, int64_t team_id,
				int64_t submitted_ms, int64_t now_ms)
{
	if (v->view == CONTEST_VIEW_JURY || (v->view == CONTEST_VIEW_TEAM && v->team_id == team_id))
		return true;
	return !contest_result_hidden(c, submitted_ms, now_ms);
}

bool contest_viewer_sees_problems(const struct db_contest *c, const struct contest_viewer *v, int64_t now_ms)
{
	if (v->view == CONTEST_VIEW_JURY)
		return true;
	struct contest_times t;
	contest_times_of(c, &t);
	return t.start && now_ms >= t.start;
}

/* Whether contest c's problems are out for user at now_ms. */
static bool problems_out_in(struct db *db, const struct db_contest *c, const struct db_user *user, int64_t now_ms)
{
	struct contest_viewer v;
	return contest_viewer_of(db, c, user, &v) && contest_viewer_sees_problems(c, &v, now_ms);
}

#define MAX_CONTESTS_OF_PROBLEM 1024

bool contest_problem_out(struct db *db, int64_t problem_id, const struct db_user *user, int64_t now_ms)
{
	if (user && user->role != DB_ROLE_USER)
		return true;
	int64_t *ids = xmalloc(MAX_CONTESTS_OF_PROBLEM * sizeof *ids);
	size_t n = db_problem_contests(db, problem_id, ids, MAX_CONTESTS_OF_PROBLEM);
	bool out = n == 0;
	for (size_t i = 0; i < n && !out; i++) {
		struct db_contest c;
		if (db_contest_get(db, ids[i], &c) != 0)
			continue;
		out = problems_out_in(db, &c, user, now_ms);
		db_contest_release(&c);
	}
	free(ids);
	return out;
}

/* Problem ids, a growing array. */
struct id_set {
	int64_t *ids;
	size_t count, cap;
};

static void id_add(struct id_set *s, int64_t id)
{
	if (s->count == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->ids = xrealloc(s->ids, s->cap * sizeof *s->ids);
	}
	s->ids[s->count++] = id;
}

static int id_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Sorts and removes duplicates. */
static void id_settle(struct id_set *s)
{
	if (!s->count)
		return;
	qsort(s->ids, s->count, sizeof *s->ids, id_cmp);
	size_t n = 1;
	for (size_t i = 1; i < s->count; i++)
		if (s->ids[i] != s->ids[n - 1])
			s->ids[n++] = s->ids[i];
	s->count = n;
}

struct not_out {
	struct db *db;
	const struct db_user *user;
	int64_t now;
	struct id_set held, out; /* in a contest whose problems are not out / are out */
};

static void not_out_row(void *arg, const struct db_contest *c)
{
	struct not_out *n = arg;
	struct id_set *to = problems_out_in(n->db, c, n->user, n->now) ? &n->out : &n->held;
	for (size_t i = 0; i < c->problem_count; i++)
		id_add(to, c->problems[i].problem_id);
}

size_t contest_problems_not_out(struct db *db, const struct db_user *user, int64_t now_ms, int64_t **ids)
{
	*ids = NULL;
	if (user && user->role != DB_ROLE_USER)
		return 0;
	struct not_out n = {db, user, now_ms, {0}, {0}};
	db_contests_list(db, not_out_row, &n);
	id_settle(&n.held);
	id_settle(&n.out);
	size_t count = 0;
	for (size_t i = 0, j = 0; i < n.held.count; i++) {
		while (j < n.out.count && n.out.ids[j] < n.held.ids[i])
			j++;
		if (j == n.out.count || n.out.ids[j] != n.held.ids[i])
			n.held.ids[count++] = n.held.ids[i];
	}
	free(n.out.ids);
	if (!count) {
		free(n.held.ids);
		return 0;
	}
	*ids = n.held.ids;
	return count;
}
