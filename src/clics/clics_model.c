/* The CLICS objects of one contest as one viewer sees them: the collections
 * of the REST endpoints, one object by id for the event feed (by direct
 * lookup: a submission, its judgement or one of its runs is one read), and
 * the scoreboard. Who sees what comes from the contest part's access.h. */
#include "clics_model.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "awards.h"
#include "boards.h"
#include "clock.h"
#include "languages.h"
#include "util.h"
#include "views.h"

/* A team's key by id, for the references of submissions and clarifications,
   and its object when the viewer may see it. */
struct team_ref {
	int64_t id;
	char *key;
	bool hidden;
	json_t *object; /* NULL when hidden from the viewer */
};

struct clics_model {
	const struct app *app;
	struct db *db;
	struct db_contest c;
	struct contest_viewer v;
	struct db_user user;
	bool has_user;
	int64_t now;
	bool teams_read;
	struct team_ref *teams;
	size_t team_count;
};

static bool jury(const struct clics_model *m)
{
	return m->v.view == CONTEST_VIEW_JURY;
}

static void team_row(void *arg, const struct db_team *t)
{
	struct clics_model *m = arg;
	m->teams = xrealloc(m->teams, (m->team_count + 1) * sizeof *m->teams);
	m->teams[m->team_count++] =
		(struct team_ref){t->id, xstrdup(t->key), t->hidden, !t->hidden || jury(m) ? view_clics_team(t) : NULL};
}

static void read_teams(struct clics_model *m)
{
	if (m->teams_read)
		return;
	m->teams_read = true;
	db_teams_list(m->db, m->c.id, team_row, m);
}

/* The key of a team the viewer may see, or NULL. */
static const char *team_key(struct clics_model *m, int64_t id)
{
	read_teams(m);
	for (size_t i = 0; i < m->team_count; i++)
		if (m->teams[i].id == id)
			return m->teams[i].object ? m->teams[i].key : NULL;
	return NULL;
}

static const char *problem_slug(const struct clics_model *m, int64_t problem_id)
{
	for (size_t i = 0; i < m->c.problem_count; i++)
		if (m->c.problems[i].problem_id == problem_id)
			return m->c.problems[i].slug;
	return NULL;
}

static struct clics_model *model_new(const struct app *app, const struct db_user *user, int64_t now_ms)
{
	struct clics_model *m = xcalloc(1, sizeof *m);
	m->app = app;
	m->db = app->db;
	m->now = now_ms;
	if (user) {
		m->user = *user;
		m->has_user = true;
	}
	return m;
}

struct clics_model *clics_model_open(const struct app *app, const char *key, const struct db_user *user,
				     int64_t now_ms)
{
	int64_t id;
	if (db_contest_by_shortname(app->db, key, &id) != 0)
		return NULL;
	struct clics_model *m = model_new(app, user, now_ms);
	if (db_contest_get(m->db, id, &m->c) != 0) {
		free(m);
		return NULL;
	}
	if (!contest_viewer_of(m->db, &m->c, user, &m->v)) {
		clics_model_free(m);
		return NULL;
	}
	return m;
}

struct clics_model *clics_model_open_id(const struct app *app, int64_t contest_id, const struct contest_viewer *v,
					const struct db_user *user, int64_t now_ms)
{
	struct clics_model *m = model_new(app, user, now_ms);
	if (db_contest_get(m->db, contest_id, &m->c) != 0) {
		free(m);
		return NULL;
	}
	m->v = *v;
	return m;
}

void clics_model_free(struct clics_model *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->team_count; i++) {
		free(m->teams[i].key);
		json_decref(m->teams[i].object);
	}
	free(m->teams);
	db_contest_release(&m->c);
	free(m);
}

const struct db_contest *clics_model_contest(const struct clics_model *m)
{
	return &m->c;
}

const struct contest_viewer *clics_model_viewer(const struct clics_model *m)
{
	return &m->v;
}

/* ---- problems, groups, organizations, languages ---- */

static json_t *problem_object(struct clics_model *m, const struct db_contest_problem *p)
{
	struct db_problem_judging *pj = db_problem_judging(m->db, p->problem_id);
	if (!pj)
		return NULL;
	json_t *o = view_clics_problem(&m->c, p, pj->time_limit_ms, pj->test_count, pj->total_points);
	db_problem_judging_free(pj);
	return o;
}

/* CLICS: nobody but the jury sees the problems before the start. */
static bool problems_out(const struct clics_model *m)
{
	return jury(m) || (m->c.start_ms && m->now >= m->c.start_ms);
}

static json_t *problems(struct clics_model *m)
{
	json_t *list = json_array();
	if (!problems_out(m))
		return list;
	for (size_t i = 0; i < m->c.problem_count; i++) {
		json_t *o = problem_object(m, &m->c.problems[i]);
		if (o)
			json_array_append_new(list, o);
	}
	return list;
}

static void group_row(void *arg, const struct db_team_group *g)
{
	struct clics_model *m = ((void **)arg)[0];
	if (!g->hidden || jury(m))
		json_array_append_new(((void **)arg)[1], view_clics_group(g));
}

static void organization_row(void *arg, const struct db_organization *o)
{
	json_array_append_new(arg, view_clics_organization(o));
}

static json_t *languages(struct clics_model *m)
{
	json_t *all = languages_json(m->app->languages), *list = json_array();
	size_t i;
	json_t *l;
	json_array_foreach(all, i, l)
		json_array_append_new(list, view_clics_language(json_string_value(json_object_get(l, "id")),
								json_string_value(json_object_get(l, "name")),
								json_object_get(l, "extensions")));
	json_decref(all);
	return list;
}

/* ---- submissions, judgements, runs ---- */

/* When a judgement ended: its judged_at (whole seconds), never before the submission. */
static int64_t judged_ms(const struct db_submission *s)
{
	struct tm tm = {0};
	int64_t ms = 0;
	if (s->judged_at && strptime(s->judged_at, "%Y-%m-%dT%H:%M:%SZ", &tm))
		ms = (int64_t)timegm(&tm) * 1000;
	return ms > s->submitted_ms ? ms : s->submitted_ms;
}

/* Whether the viewer sees a judgement of s: judged, and not hidden by the freeze. */
static bool judgement_visible(const struct clics_model *m, const struct db_submission *s)
{
	return s->verdict && strcmp(s->status, "done") == 0 &&
	       contest_viewer_sees_result(&m->c, &m->v, s->team_id, s->submitted_ms, m->now);
}

/* Whether the viewer sees submission s at all: the contest's, of a problem
   in it and a team they may see. */
static bool submission_visible(struct clics_model *m, const struct db_submission *s)
{
	return s->contest_id == m->c.id && problem_slug(m, s->problem_id) && team_key(m, s->team_id);
}

static json_t *submission_object(struct clics_model *m, const struct db_submission *s)
{
	return view_clics_submission(&m->c, s, problem_slug(m, s->problem_id), team_key(m, s->team_id));
}

static json_t *judgement_object(struct clics_model *m, const struct db_submission *s)
{
	return judgement_visible(m, s) ? view_clics_judgement(&m->c, s, judged_ms(s), s->has_time ? s->time_ms : -1)
				       : NULL;
}

/* The runs of s (read with DB_SUBMISSION_DETAILS) appended to list: the
   ordinal is the test's place in run order (tests left unrun after a
   failure have no run). */
static void append_runs(struct clics_model *m, const struct db_submission *s, json_t *list)
{
	int64_t end = judged_ms(s);
	for (size_t i = 0; i < s->test_count; i++)
		if (s->tests[i].verdict)
			json_array_append_new(list, view_clics_run(&m->c, s, &s->tests[i], (int)i + 1, end));
}

/* The contest's submissions the viewer may see, oldest first, each handed to
   fn (which appends to list). */
struct sub_walk {
	struct clics_model *m;
	void (*fn)(struct sub_walk *w, const struct db_submission *s);
	json_t *list;
	size_t seen;
};

static void sub_row(void *arg, const struct db_submission *s)
{
	struct sub_walk *w = arg;
	w->seen++;
	if (problem_slug(w->m, s->problem_id) && team_key(w->m, s->team_id))
		w->fn(w, s);
}

static json_t *walk_submissions(struct clics_model *m, void (*fn)(struct sub_walk *, const struct db_submission *))
{
	enum { PAGE = 500 };
	struct sub_walk w = {m, fn, json_array(), 0};
	int64_t total = 0;
	for (int page = 1;; page++) {
		size_t before = w.seen;
		if (db_contest_submissions(m->db, m->c.id, 0, 0, page, PAGE, sub_row, &w, &total) != 0 ||
		    w.seen == before || (int64_t)w.seen >= total)
			break;
	}
	/* db_contest_submissions gives the newest first */
	size_t n = json_array_size(w.list);
	for (size_t i = 0; i < n / 2; i++) {
		json_t *a = json_incref(json_array_get(w.list, i)), *b = json_incref(json_array_get(w.list, n - 1 - i));
		json_array_set_new(w.list, i, b);
		json_array_set_new(w.list, n - 1 - i, a);
	}
	return w.list;
}

static void submission_item(struct sub_walk *w, const struct db_submission *s)
{
	json_array_append_new(w->list, submission_object(w->m, s));
}

static void judgement_item(struct sub_walk *w, const struct db_submission *s)
{
	json_t *o = judgement_object(w->m, s);
	if (o)
		json_array_append_new(w->list, o);
}

/* Runs come newest submission first too (reversed with the rest), so each
   submission's runs are appended in reverse and the whole list turned. */
static void run_items(struct sub_walk *w, const struct db_submission *row)
{
	if (!judgement_visible(w->m, row))
		return;
	struct db_submission s;
	if (db_submission_get(w->m->db, row->id, DB_SUBMISSION_DETAILS, &s) != 0)
		return;
	json_t *runs = json_array();
	append_runs(w->m, &s, runs);
	for (size_t i = json_array_size(runs); i-- > 0;)
		json_array_append(w->list, json_array_get(runs, i));
	json_decref(runs);
	db_submission_release(&s);
}

/* ---- clarifications ---- */

/* The object of cl for the viewer, or NULL when a hidden team is in it. */
static json_t *clarification_object(struct clics_model *m, const struct db_clarification *cl)
{
	const char *from = cl->from_team_id ? team_key(m, cl->from_team_id) : NULL;
	const char *to = cl->to_team_id && !cl->to_all ? team_key(m, cl->to_team_id) : NULL;
	if ((cl->from_team_id && !from) || (cl->to_team_id && !cl->to_all && !to))
		return NULL; /* a hidden team's */
	const char *problem = cl->problem_id ? problem_slug(m, cl->problem_id) : NULL;
	return view_clics_clarification(&m->c, cl, from, to, problem);
}

/* What db_clarifications_list's scope gives the viewer: the jury every
   clarification, the public those to all, a team those too and its own. */
static int64_t clarification_scope(const struct clics_model *m)
{
	return jury(m) ? -1 : m->v.view == CONTEST_VIEW_TEAM ? m->v.team_id : 0;
}

static bool clarification_for(const struct clics_model *m, const struct db_clarification *cl)
{
	int64_t scope = clarification_scope(m);
	return scope == -1 || cl->to_all || (scope > 0 && (cl->from_team_id == scope || cl->to_team_id == scope));
}

static void clarification_row(void *arg, const struct db_clarification *cl)
{
	json_t *o = clarification_object(((void **)arg)[0], cl);
	if (o)
		json_array_append_new(((void **)arg)[1], o);
}

static json_t *clarifications(struct clics_model *m)
{
	json_t *list = json_array();
	void *ctx[2] = {m, list};
	db_clarifications_list(m->db, m->c.id, clarification_scope(m), clarification_row, ctx);
	return list;
}

/* ---- accounts ---- */

static const char *account_team(struct clics_model *m, const struct db_user *u)
{
	int64_t team;
	if (u->role != DB_ROLE_USER || db_team_of_user(m->db, m->c.id, u->id, &team) != 0)
		return NULL;
	return team_key(m, team);
}

static json_t *account_object(struct clics_model *m, const struct db_user *u)
{
	return view_clics_account(u, account_team(m, u));
}

static json_t *accounts(struct clics_model *m)
{
	if (!m->has_user)
		return NULL;
	json_t *list = json_array();
	if (!jury(m)) {
		json_array_append_new(list, account_object(m, &m->user));
		return list;
	}
	for (int page = 1;; page++) {
		struct db_user_list *users = db_users_list(m->db, page, 100);
		for (size_t i = 0; i < users->count; i++)
			json_array_append_new(list, account_object(m, &users->items[i].user));
		bool more = users->count == 100;
		db_user_list_free(users);
		if (!more)
			break;
	}
	return list;
}

/* ---- scoreboard and awards, from the boards in memory ---- */

/* The contest's groups the viewer may see, for group winners. */
struct group_set {
	struct clics_model *m;
	struct award_group *list;
	size_t count;
};

static void group_set_row(void *arg, const struct db_team_group *g)
{
	struct group_set *gs = arg;
	if (g->hidden && !jury(gs->m))
		return;
	gs->list = xrealloc(gs->list, (gs->count + 1) * sizeof *gs->list);
	gs->list[gs->count++] = (struct award_group){g->id, xstrdup(g->key), xstrdup(g->name)};
}

static void group_set_release(struct group_set *gs)
{
	for (size_t i = 0; i < gs->count; i++) {
		free((char *)gs->list[i].key);
		free((char *)gs->list[i].name);
	}
	free(gs->list);
}

struct board_read {
	struct clics_model *m;
	bool awards;
	int64_t group_id;        /* scoreboard: 0, or only that group's teams */
	struct group_set *groups;
	json_t *out;
};

static void read_board(void *arg, const struct boards_view *bv)
{
	struct board_read *br = arg;
	struct clics_model *m = br->m;
	if (br->awards) {
		/* the public's awards come from the public (frozen) board */
		enum contest_view view = jury(m) ? CONTEST_VIEW_JURY : CONTEST_VIEW_PUBLIC;
		struct awards *a = awards_new(bv->board, view, 0, m->c.gold, m->c.silver, m->c.bronze, br->groups->list,
					      br->groups->count);
		br->out = json_array();
		for (size_t i = 0; i < a->award_count; i++)
			if (problems_out(m) || strncmp(a->awards[i].id, "first-to-solve-", 15) != 0)
				json_array_append_new(br->out, view_clics_award(&m->c, &a->awards[i]));
		awards_free(a);
		return;
	}
	size_t k;
	const struct board_row **rows = boards_view_rows_of(bv->board, m->v.view, m->v.team_id, br->group_id, &k);
	br->out = view_clics_scoreboard(&m->c, bv->board, rows, k, bv->now_ms);
	free(rows);
	if (!problems_out(m)) { /* the problems are not out: the rows name none */
		size_t i;
		json_t *row;
		json_array_foreach(json_object_get(br->out, "rows"), i, row)
			json_object_set_new(row, "problems", json_array());
	}
}

/* The awards, or the scoreboard of group_key's teams (NULL: every team);
   NULL when there is no board or no such group. */
static json_t *board_object(struct clics_model *m, bool awards, const char *group_key)
{
	struct group_set gs = {m, NULL, 0};
	db_team_groups_list(m->db, m->c.id, group_set_row, &gs);
	struct board_read br = {m, awards, 0, &gs, NULL};
	if (group_key) {
		for (size_t i = 0; i < gs.count && !br.group_id; i++)
			if (strcmp(gs.list[i].key, group_key) == 0)
				br.group_id = gs.list[i].id;
		if (!br.group_id)
			goto out;
	}
	if (boards_read(m->app->boards, m->c.id, read_board, &br) != 0) {
		json_decref(br.out);
		br.out = NULL;
	}
out:
	group_set_release(&gs);
	return br.out;
}

static void board_stamp(void *arg, const struct boards_view *bv)
{
	*(int64_t *)arg = bv->seq * 2 + bv->frozen;
}

int64_t clics_board_stamp(struct clics_model *m)
{
	int64_t stamp = -1;
	if (boards_read(m->app->boards, m->c.id, board_stamp, &stamp) != 0)
		return -1;
	return stamp;
}

json_t *clics_scoreboard(struct clics_model *m, const char *group_id)
{
	return board_object(m, false, group_id);
}

/* ---- the model's answers ---- */

json_t *clics_collection(struct clics_model *m, enum clics_type type)
{
	switch (type) {
	case CLICS_CONTEST:
		return view_clics_contest(&m->c);
	case CLICS_STATE:
		return view_clics_state(&m->c, m->now);
	case CLICS_JUDGEMENT_TYPES:
		return view_clics_judgement_types(&m->c);
	case CLICS_LANGUAGES:
		return languages(m);
	case CLICS_PROBLEMS:
		return problems(m);
	case CLICS_GROUPS: {
		json_t *list = json_array();
		void *ctx[2] = {m, list};
		db_team_groups_list(m->db, m->c.id, group_row, ctx);
		return list;
	}
	case CLICS_ORGANIZATIONS: {
		json_t *list = json_array();
		db_organizations_list(m->db, m->c.id, organization_row, list);
		return list;
	}
	case CLICS_TEAMS: {
		read_teams(m);
		json_t *list = json_array();
		for (size_t i = 0; i < m->team_count; i++)
			if (m->teams[i].object)
				json_array_append(list, m->teams[i].object);
		return list;
	}
	case CLICS_ACCOUNTS:
		return accounts(m);
	case CLICS_SUBMISSIONS:
		return walk_submissions(m, submission_item);
	case CLICS_JUDGEMENTS:
		return walk_submissions(m, judgement_item);
	case CLICS_RUNS:
		return walk_submissions(m, run_items);
	case CLICS_CLARIFICATIONS:
		return clarifications(m);
	case CLICS_AWARDS: {
		json_t *list = board_object(m, true, NULL);
		return list ? list : json_array();
	}
	case CLICS_SCOREBOARD:
		return board_object(m, false, NULL);
	case CLICS_TYPE_COUNT:
		break;
	}
	return NULL;
}

/* The item of list whose id is id (a new reference), or NULL; steals list. */
static json_t *item_of(json_t *list, const char *id)
{
	json_t *found = NULL, *item;
	size_t i;
	json_array_foreach(list, i, item) {
		const char *s = json_string_value(json_object_get(item, "id"));
		if (s && strcmp(s, id) == 0) {
			found = json_incref(item);
			break;
		}
	}
	json_decref(list);
	return found;
}

static json_t *submission_by_id(struct clics_model *m, enum clics_type type, const char *id)
{
	int64_t sid;
	int ordinal = 0;
	char head[24];
	if (type == CLICS_RUNS) {
		const char *dot = strchr(id, '.');
		if (!dot || (size_t)(dot - id) >= sizeof head)
			return NULL;
		memcpy(head, id, (size_t)(dot - id));
		head[dot - id] = '\0';
		int64_t ord;
		if (!parse_id(dot + 1, &ord) || ord > 1000000)
			return NULL;
		ordinal = (int)ord;
		id = head;
	}
	struct db_submission s;
	if (!parse_id(id, &sid) ||
	    db_submission_get(m->db, sid, type == CLICS_RUNS ? DB_SUBMISSION_DETAILS : 0, &s) != 0)
		return NULL;
	json_t *o = NULL;
	if (!submission_visible(m, &s))
		goto out;
	if (type == CLICS_SUBMISSIONS)
		o = submission_object(m, &s);
	else if (type == CLICS_JUDGEMENTS)
		o = judgement_object(m, &s);
	else if (judgement_visible(m, &s) && (size_t)ordinal <= s.test_count && s.tests[ordinal - 1].verdict)
		o = view_clics_run(&m->c, &s, &s.tests[ordinal - 1], ordinal, judged_ms(&s));
out:
	db_submission_release(&s);
	return o;
}

void clics_submission_objects(struct clics_model *m, const char *id, struct clics_submission_objects *out)
{
	int64_t sid;
	struct db_submission s;
	*out = (struct clics_submission_objects){NULL, NULL, json_array()};
	if (!parse_id(id, &sid) || db_submission_get(m->db, sid, DB_SUBMISSION_DETAILS, &s) != 0)
		return;
	if (submission_visible(m, &s)) {
		out->submission = submission_object(m, &s);
		out->judgement = judgement_object(m, &s);
		if (out->judgement)
			append_runs(m, &s, out->runs);
	}
	db_submission_release(&s);
}

void clics_submission_objects_release(struct clics_submission_objects *o)
{
	json_decref(o->submission);
	json_decref(o->judgement);
	json_decref(o->runs);
}

static json_t *object_by_id(struct clics_model *m, enum clics_type type, const char *id)
{
	switch (type) {
	case CLICS_PROBLEMS:
		if (!problems_out(m))
			return NULL;
		for (size_t i = 0; i < m->c.problem_count; i++)
			if (strcmp(m->c.problems[i].slug, id) == 0)
				return problem_object(m, &m->c.problems[i]);
		return NULL;
	case CLICS_TEAMS:
		read_teams(m);
		for (size_t i = 0; i < m->team_count; i++)
			if (strcmp(m->teams[i].key, id) == 0)
				return m->teams[i].object ? json_incref(m->teams[i].object) : NULL;
		return NULL;
	case CLICS_ACCOUNTS: {
		struct db_user u;
		if (!m->has_user)
			return NULL;
		if (!jury(m))
			return strcmp(m->user.username, id) == 0 ? account_object(m, &m->user) : NULL;
		return db_user_by_name(m->db, id, &u, NULL) == 0 ? account_object(m, &u) : NULL;
	}
	case CLICS_SUBMISSIONS:
	case CLICS_JUDGEMENTS:
	case CLICS_RUNS:
		return submission_by_id(m, type, id);
	case CLICS_CLARIFICATIONS: {
		int64_t cid;
		struct db_clarification cl;
		if (!parse_id(id, &cid) || db_clarification_get(m->db, cid, &cl) != 0)
			return NULL;
		json_t *o = cl.contest_id == m->c.id && clarification_for(m, &cl) ? clarification_object(m, &cl) : NULL;
		db_clarification_release(&cl);
		return o;
	}
	case CLICS_CONTEST:
	case CLICS_STATE:
	case CLICS_SCOREBOARD:
		return clics_collection(m, type);
	default: /* the small collections */
		return item_of(clics_collection(m, type), id);
	}
}

json_t *clics_object(struct clics_model *m, enum clics_type type, const char *id)
{
	if (type == CLICS_CONTEST || type == CLICS_STATE || type == CLICS_SCOREBOARD)
		return clics_collection(m, type);
	if (!id)
		return NULL;
	json_t *o = object_by_id(m, type, id);
	/* the same id, to the letter ("07" is not submission 7) */
	const char *got = json_string_value(json_object_get(o, "id"));
	if (o && (!got || strcmp(got, id) != 0)) {
		json_decref(o);
		o = NULL;
	}
	return o;
}
