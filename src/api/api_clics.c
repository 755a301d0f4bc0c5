/* The CLICS Contest API 2023-06 (/api/clics/), read endpoints: a thin view
 * over the contest model. Collections are bare arrays filtered on their id
 * properties (?team_id=X; an empty value matches null), a single object is
 * the collection's item with that id, and what a viewer may see comes from
 * the contest part's access.h, as on the native API. The objects are the
 * views part's (views/clics.c); errors get the CLICS shape in the HTTP layer
 * (http_clics_path). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "access.h"
#include "api.h"
#include "app.h"
#include "awards.h"
#include "boards.h"
#include "clock.h"
#include "config.h"
#include "db.h"
#include "languages.h"
#include "util.h"
#include "views.h"

/* A contest as one request sees it: the contest, the viewer, and its teams'
   keys by id for the references of submissions and clarifications. */
struct team_ref {
	int64_t id;
	char *key;
	bool hidden;
};

struct clics {
	struct http_request *req;
	struct db *db;
	struct db_contest c;
	struct contest_viewer v;
	int64_t now;
	struct team_ref *teams;
	size_t team_count;
	json_t *team_objects; /* what the viewer may see of the teams */
};

static void team_row(void *arg, const struct db_team *t)
{
	struct clics *x = arg;
	x->teams = xrealloc(x->teams, (x->team_count + 1) * sizeof *x->teams);
	x->teams[x->team_count++] = (struct team_ref){t->id, xstrdup(t->key), t->hidden};
	if (!t->hidden || x->v.view == CONTEST_VIEW_JURY)
		json_array_append_new(x->team_objects, view_clics_team(t));
}

/* The key of a team the viewer may see, or NULL. */
static const char *team_key(const struct clics *x, int64_t id)
{
	for (size_t i = 0; i < x->team_count; i++)
		if (x->teams[i].id == id)
			return x->teams[i].hidden && x->v.view != CONTEST_VIEW_JURY ? NULL : x->teams[i].key;
	return NULL;
}

static const char *problem_slug(const struct clics *x, int64_t problem_id)
{
	for (size_t i = 0; i < x->c.problem_count; i++)
		if (x->c.problems[i].problem_id == problem_id)
			return x->c.problems[i].slug;
	return NULL;
}

static void clics_release(struct clics *x)
{
	for (size_t i = 0; i < x->team_count; i++)
		free(x->teams[i].key);
	free(x->teams);
	json_decref(x->team_objects);
	db_contest_release(&x->c);
}

/* Reads the contest `key` that the caller may see: false with a 404 answer
   when there is none (or it is hidden from them, which looks the same). */
static bool clics_open(struct clics *x, struct http_request *req, struct http_response *res, const char *key)
{
	memset(x, 0, sizeof *x);
	x->req = req;
	x->db = req->app->db;
	x->now = contest_now_ms();
	int64_t id;
	if (db_contest_by_shortname(x->db, key, &id) != 0 || db_contest_get(x->db, id, &x->c) != 0) {
		http_error(res, 404, "not_found", "contest '%s' does not exist", key);
		return false;
	}
	if (!contest_viewer_of(x->db, &x->c, req->user, &x->v)) {
		db_contest_release(&x->c);
		http_error(res, 404, "not_found", "contest '%s' does not exist", key);
		return false;
	}
	x->team_objects = json_array();
	db_teams_list(x->db, x->c.id, team_row, x);
	return true;
}

/* ---- filtering ---- */

/* Whether item's property prop (a string id, null or absent, or an array of
   ids) matches the wanted id; "" asks for null. */
static bool property_matches(json_t *item, const char *prop, const char *want)
{
	json_t *v = json_object_get(item, prop);
	if (!*want)
		return !v || json_is_null(v);
	if (json_is_array(v)) {
		size_t i;
		json_t *e;
		json_array_foreach(v, i, e)
			if (json_is_string(e) && strcmp(json_string_value(e), want) == 0)
				return true;
		return false;
	}
	return json_is_string(v) && strcmp(json_string_value(v), want) == 0;
}

/* Keeps the items that match every ?prop= of props (NULL-terminated), and
   with one_id only the item with that id. Steals list; new reference. */
static json_t *filter(struct http_request *req, json_t *list, const char *const *props, const char *one_id)
{
	json_t *out = json_array();
	size_t i;
	json_t *item;
	json_array_foreach(list, i, item) {
		bool keep = !one_id || property_matches(item, "id", one_id);
		for (const char *const *p = props; keep && *p; p++) {
			const char *want = http_query(req, *p);
			if (want)
				keep = property_matches(item, *p, want);
		}
		if (keep)
			json_array_append(out, item);
	}
	json_decref(list);
	return out;
}

static json_t *by_id(json_t *list, const char *id)
{
	size_t i;
	json_t *item;
	json_array_foreach(list, i, item)
		if (property_matches(item, "id", id))
			return item;
	return NULL;
}

/* ---- the collections ---- */

static json_t *problems(struct clics *x)
{
	json_t *list = json_array();
	if (x->v.view != CONTEST_VIEW_JURY && !(x->c.start_ms && x->now >= x->c.start_ms))
		return list; /* CLICS: nobody but the jury sees the problems before the start */
	for (size_t i = 0; i < x->c.problem_count; i++) {
		const struct db_contest_problem *p = &x->c.problems[i];
		struct db_problem_judging *pj = db_problem_judging(x->db, p->problem_id);
		if (!pj)
			continue;
		json_array_append_new(list,
				      view_clics_problem(&x->c, p, pj->time_limit_ms, pj->test_count, pj->total_points));
		db_problem_judging_free(pj);
	}
	return list;
}

static void group_row(void *arg, const struct db_team_group *g)
{
	struct clics *x = ((void **)arg)[0];
	if (!g->hidden || x->v.view == CONTEST_VIEW_JURY)
		json_array_append_new(((void **)arg)[1], view_clics_group(g));
}

static void organization_row(void *arg, const struct db_organization *o)
{
	json_array_append_new(arg, view_clics_organization(o));
}

static json_t *languages(struct clics *x)
{
	json_t *all = languages_json(x->req->app->languages), *list = json_array();
	size_t i;
	json_t *l;
	json_array_foreach(all, i, l)
		json_array_append_new(list, view_clics_language(json_string_value(json_object_get(l, "id")),
								json_string_value(json_object_get(l, "name")),
								json_object_get(l, "extensions")));
	json_decref(all);
	return list;
}

/* The contest's submissions the viewer may see, oldest first, each handed to
   fn with its problem's and team's ids. */
struct sub_walk {
	struct clics *x;
	void (*fn)(struct sub_walk *w, const struct db_submission *s, const char *problem, const char *team);
	json_t *list;
	size_t seen;
};

static void sub_row(void *arg, const struct db_submission *s)
{
	struct sub_walk *w = arg;
	w->seen++;
	const char *problem = problem_slug(w->x, s->problem_id), *team = team_key(w->x, s->team_id);
	if (problem && team)
		w->fn(w, s, problem, team);
}

static void walk_submissions(struct sub_walk *w)
{
	enum { PAGE = 500 };
	int64_t total = 0;
	for (int page = 1;; page++) {
		size_t before = w->seen;
		if (db_contest_submissions(w->x->db, w->x->c.id, 0, 0, page, PAGE, sub_row, w, &total) != 0 ||
		    w->seen == before || (int64_t)w->seen >= total)
			break;
	}
	/* db_contest_submissions gives the newest first */
	size_t n = json_array_size(w->list);
	for (size_t i = 0; i < n / 2; i++) {
		json_t *a = json_incref(json_array_get(w->list, i)), *b = json_incref(json_array_get(w->list, n - 1 - i));
		json_array_set_new(w->list, i, b);
		json_array_set_new(w->list, n - 1 - i, a);
	}
}

static void submission_item(struct sub_walk *w, const struct db_submission *s, const char *problem, const char *team)
{
	json_array_append_new(w->list, view_clics_submission(&w->x->c, s, problem, team));
}

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
static bool judgement_visible(const struct clics *x, const struct db_submission *s)
{
	return s->verdict && strcmp(s->status, "done") == 0 &&
	       contest_viewer_sees_result(&x->c, &x->v, s->team_id, s->submitted_ms, x->now);
}

static void judgement_item(struct sub_walk *w, const struct db_submission *s, const char *problem, const char *team)
{
	(void)problem, (void)team;
	if (judgement_visible(w->x, s))
		json_array_append_new(w->list, view_clics_judgement(&w->x->c, s, judged_ms(s), s->has_time ? s->time_ms : -1));
}

static void run_items(struct sub_walk *w, const struct db_submission *row, const char *problem, const char *team)
{
	(void)problem, (void)team;
	if (!judgement_visible(w->x, row))
		return;
	struct db_submission s;
	if (db_submission_get(w->x->db, row->id, DB_SUBMISSION_DETAILS, &s) != 0)
		return;
	int64_t end = judged_ms(&s);
	/* ordinal: the test's place in run order (tests left unrun after a failure have no run) */
	for (size_t i = 0; i < s.test_count; i++)
		if (s.tests[i].verdict)
			json_array_append_new(w->list, view_clics_run(&w->x->c, &s, &s.tests[i], (int)i + 1, end));
	db_submission_release(&s);
}

static json_t *submissions_walk(struct clics *x,
				void (*fn)(struct sub_walk *, const struct db_submission *, const char *, const char *))
{
	struct sub_walk w = {x, fn, json_array(), 0};
	walk_submissions(&w);
	return w.list;
}

static void clarification_row(void *arg, const struct db_clarification *cl)
{
	struct clics *x = ((void **)arg)[0];
	const char *from = cl->from_team_id ? team_key(x, cl->from_team_id) : NULL;
	const char *to = cl->to_team_id && !cl->to_all ? team_key(x, cl->to_team_id) : NULL;
	if ((cl->from_team_id && !from) || (cl->to_team_id && !cl->to_all && !to))
		return; /* a hidden team's */
	const char *problem = cl->problem_id ? problem_slug(x, cl->problem_id) : NULL;
	json_array_append_new(((void **)arg)[1], view_clics_clarification(&x->c, cl, from, to, problem));
}

static json_t *clarifications(struct clics *x)
{
	json_t *list = json_array();
	int64_t scope = x->v.view == CONTEST_VIEW_JURY ? -1 : x->v.view == CONTEST_VIEW_TEAM ? x->v.team_id : 0;
	void *ctx[2] = {x, list};
	db_clarifications_list(x->db, x->c.id, scope, clarification_row, ctx);
	return list;
}

static const char *account_team(struct clics *x, const struct db_user *u)
{
	int64_t team;
	if (u->role != DB_ROLE_USER || db_team_of_user(x->db, x->c.id, u->id, &team) != 0)
		return NULL;
	return team_key(x, team);
}

static json_t *accounts(struct clics *x)
{
	json_t *list = json_array();
	const struct db_user *me = x->req->user;
	if (x->v.view != CONTEST_VIEW_JURY) {
		json_array_append_new(list, view_clics_account(me, account_team(x, me)));
		return list;
	}
	for (int page = 1;; page++) {
		struct db_user_list *users = db_users_list(x->db, page, 100);
		for (size_t i = 0; i < users->count; i++)
			json_array_append_new(list, view_clics_account(&users->items[i].user,
								       account_team(x, &users->items[i].user)));
		bool more = users->count == 100;
		db_user_list_free(users);
		if (!more)
			break;
	}
	return list;
}

/* ---- scoreboard and awards, from the boards in memory ---- */

/* The contest's groups the viewer may see, for ?group_id= and group winners. */
struct group_set {
	struct clics *x;
	struct award_group *list;
	size_t count;
};

static void group_set_row(void *arg, const struct db_team_group *g)
{
	struct group_set *gs = arg;
	if (g->hidden && gs->x->v.view != CONTEST_VIEW_JURY)
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
	struct clics *x;
	const char *what;        /* "scoreboard" or "awards" */
	int64_t group_id;        /* scoreboard: 0, or only that group's teams */
	struct group_set *groups;
	json_t *out;
};

static void read_board(void *arg, const struct boards_view *bv)
{
	struct board_read *br = arg;
	struct clics *x = br->x;
	if (strcmp(br->what, "awards") == 0) {
		/* the public's awards come from the public (frozen) board */
		enum contest_view view = x->v.view == CONTEST_VIEW_JURY ? CONTEST_VIEW_JURY : CONTEST_VIEW_PUBLIC;
		struct awards *a = awards_new(bv->board, view, 0, x->c.gold, x->c.silver, x->c.bronze, br->groups->list,
					      br->groups->count);
		br->out = json_array();
		for (size_t i = 0; i < a->award_count; i++)
			json_array_append_new(br->out, view_clics_award(&x->c, &a->awards[i]));
		awards_free(a);
		return;
	}
	size_t k;
	const struct board_row **rows = boards_view_rows_of(bv->board, x->v.view, x->v.team_id, br->group_id, &k);
	br->out = view_clics_scoreboard(&x->c, bv->board, rows, k, bv->now_ms);
	free(rows);
}

static void board_answer(struct clics *x, struct http_response *res, const char *what)
{
	struct group_set gs = {x, NULL, 0};
	db_team_groups_list(x->db, x->c.id, group_set_row, &gs);
	struct board_read br = {x, what, 0, &gs, NULL};
	const char *group = strcmp(what, "scoreboard") == 0 ? http_query(x->req, "group_id") : NULL;
	if (group) {
		for (size_t i = 0; i < gs.count && !br.group_id; i++)
			if (strcmp(gs.list[i].key, group) == 0)
				br.group_id = gs.list[i].id;
		if (!br.group_id) {
			http_error(res, 404, "not_found", "contest '%s' has no group '%s'", x->c.shortname, group);
			goto out;
		}
	}
	if (boards_read(x->req->app->boards, x->c.id, read_board, &br) != 0 || !br.out) {
		http_error(res, 404, "not_found", "contest '%s' has no scoreboard", x->c.shortname);
		goto out;
	}
	if (strcmp(what, "awards") == 0)
		br.out = filter(x->req, br.out, (const char *const[]){"id", "team_ids", NULL}, NULL);
	http_json(res, 200, br.out);
out:
	group_set_release(&gs);
}

/* ---- access ---- */

/* The endpoints and the properties this server writes, by type. */
static const struct clics_endpoint {
	const char *type;
	const char *const *props; /* NULL-terminated */
	const char *const *filters; /* the id properties to filter on */
} endpoints[] = {
	{"contest", (const char *const[]){"id", "name", "formal_name", "start_time", "countdown_pause_time", "duration",
					  "scoreboard_freeze_duration", "scoreboard_thaw_time", "scoreboard_type",
					  "penalty_time", NULL},
	 (const char *const[]){NULL}},
	{"judgement-types", (const char *const[]){"id", "name", "penalty", "solved", NULL},
	 (const char *const[]){"id", NULL}},
	{"languages", (const char *const[]){"id", "name", "entry_point_required", "extensions", NULL},
	 (const char *const[]){"id", NULL}},
	{"problems", (const char *const[]){"id", "label", "name", "ordinal", "rgb", "color", "time_limit",
					   "test_data_count", "max_score", NULL},
	 (const char *const[]){"id", NULL}},
	{"groups", (const char *const[]){"id", "icpc_id", "name", "type", NULL}, (const char *const[]){"id", NULL}},
	{"organizations", (const char *const[]){"id", "icpc_id", "name", "formal_name", "country", NULL},
	 (const char *const[]){"id", NULL}},
	{"teams", (const char *const[]){"id", "icpc_id", "label", "name", "display_name", "organization_id", "group_ids",
					"hidden", NULL},
	 (const char *const[]){"id", "organization_id", "group_ids", NULL}},
	{"accounts", (const char *const[]){"id", "username", "type", "team_id", NULL},
	 (const char *const[]){"id", "team_id", NULL}},
	{"state", (const char *const[]){"started", "frozen", "ended", "thawed", "finalized", "end_of_updates", NULL},
	 (const char *const[]){NULL}},
	{"submissions", (const char *const[]){"id", "language_id", "problem_id", "team_id", "time", "contest_time",
					      "entry_point", "files", NULL},
	 (const char *const[]){"id", "language_id", "problem_id", "team_id", NULL}},
	{"judgements", (const char *const[]){"id", "submission_id", "judgement_type_id", "start_time",
					     "start_contest_time", "end_time", "end_contest_time", "max_run_time",
					     "score", NULL},
	 (const char *const[]){"id", "submission_id", "judgement_type_id", NULL}},
	{"runs", (const char *const[]){"id", "judgement_id", "ordinal", "judgement_type_id", "time", "contest_time",
				       "run_time", NULL},
	 (const char *const[]){"id", "judgement_id", "judgement_type_id", NULL}},
	{"clarifications", (const char *const[]){"id", "from_team_id", "to_team_id", "reply_to_id", "problem_id", "text",
						 "time", "contest_time", NULL},
	 (const char *const[]){"id", "from_team_id", "to_team_id", "reply_to_id", "problem_id", NULL}},
	{"awards", (const char *const[]){"id", "citation", "team_ids", NULL}, (const char *const[]){"id", "team_ids", NULL}},
	{"scoreboard", (const char *const[]){"time", "contest_time", "state", "rows", NULL}, (const char *const[]){NULL}},
};

static const struct clics_endpoint *endpoint_of(const char *type)
{
	for (size_t i = 0; i < sizeof endpoints / sizeof endpoints[0]; i++)
		if (strcmp(endpoints[i].type, type) == 0)
			return &endpoints[i];
	return NULL;
}

static json_t *access_object(struct clics *x)
{
	json_t *list = json_array();
	for (size_t i = 0; i < sizeof endpoints / sizeof endpoints[0]; i++) {
		const struct clics_endpoint *e = &endpoints[i];
		if (strcmp(e->type, "accounts") == 0 && !x->req->user)
			continue;
		json_t *props = json_array();
		for (const char *const *p = e->props; *p; p++) {
			bool score = strcmp(x->c.scoring, "ioi") == 0;
			if ((strcmp(*p, "penalty_time") == 0 || strcmp(*p, "penalty") == 0) && score)
				continue;
			if ((strcmp(*p, "max_score") == 0 || strcmp(*p, "score") == 0) && !score)
				continue;
			if (strcmp(*p, "hidden") == 0 && x->v.view != CONTEST_VIEW_JURY)
				continue;
			json_array_append_new(props, json_string(*p));
		}
		json_array_append_new(list, json_pack("{s:s, s:o}", "type", e->type, "properties", props));
	}
	/* What api_clics_write.c lets this caller do: a team submits and asks
	   for itself (a classroom's student, whose team comes with the first
	   submission, only submits), the jury writes clarifications, admins also
	   submit for any team and set the start and thaw times. */
	json_t *caps = json_array();
	const struct db_user *u = x->req->user;
	if (x->v.view == CONTEST_VIEW_TEAM || (u && u->role == DB_ROLE_USER && x->c.classroom))
		json_array_append_new(caps, json_string("team_submit"));
	if (x->v.view == CONTEST_VIEW_TEAM)
		json_array_append_new(caps, json_string("team_clar"));
	if (u && u->admin) {
		json_array_append_new(caps, json_string("contest_start"));
		json_array_append_new(caps, json_string("contest_thaw"));
		json_array_append_new(caps, json_string("admin_submit"));
	}
	if (x->v.view == CONTEST_VIEW_JURY)
		json_array_append_new(caps, json_string("admin_clar"));
	return json_pack("{s:o, s:o}", "capabilities", caps, "endpoints", list);
}

/* ---- the zip of a submission's source ---- */

static uint32_t crc32_of(const unsigned char *p, size_t n)
{
	uint32_t crc = 0xffffffffu;
	for (size_t i = 0; i < n; i++) {
		crc ^= p[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
	}
	return ~crc;
}

static void put16(struct buf *b, unsigned v)
{
	unsigned char le[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
	buf_add(b, le, 2);
}

static void put32(struct buf *b, uint32_t v)
{
	put16(b, v & 0xffff);
	put16(b, v >> 16);
}

/* A zip holding one stored (uncompressed) file. */
static void zip_one(struct buf *b, const char *name, const char *data, size_t len)
{
	uint32_t crc = crc32_of((const unsigned char *)data, len);
	size_t nlen = strlen(name);
	const unsigned dos_time = 0, dos_date = (1u << 5) | 1u; /* 1980-01-01 00:00 */
	put32(b, 0x04034b50);
	put16(b, 20), put16(b, 0), put16(b, 0), put16(b, dos_time), put16(b, dos_date);
	put32(b, crc), put32(b, (uint32_t)len), put32(b, (uint32_t)len);
	put16(b, (unsigned)nlen), put16(b, 0);
	buf_add(b, name, nlen);
	buf_add(b, data, len);
	size_t central = b->len;
	put32(b, 0x02014b50);
	put16(b, 20), put16(b, 20), put16(b, 0), put16(b, 0), put16(b, dos_time), put16(b, dos_date);
	put32(b, crc), put32(b, (uint32_t)len), put32(b, (uint32_t)len);
	put16(b, (unsigned)nlen), put16(b, 0), put16(b, 0), put16(b, 0), put16(b, 0);
	put32(b, 0), put32(b, 0);
	buf_add(b, name, nlen);
	size_t central_len = b->len - central;
	put32(b, 0x06054b50);
	put16(b, 0), put16(b, 0), put16(b, 1), put16(b, 1);
	put32(b, (uint32_t)central_len), put32(b, (uint32_t)central);
	put16(b, 0);
}

static void submission_files(struct clics *x, struct http_response *res, const char *id)
{
	int64_t sid;
	struct db_submission s;
	if (!parse_id(id, &sid) || db_submission_get(x->db, sid, DB_SUBMISSION_SOURCE, &s) != 0) {
		http_error(res, 404, "not_found", "contest '%s' has no submission '%s'", x->c.shortname, id);
		return;
	}
	if (s.contest_id != x->c.id || !problem_slug(x, s.problem_id) || !team_key(x, s.team_id)) {
		http_error(res, 404, "not_found", "contest '%s' has no submission '%s'", x->c.shortname, id);
		goto out;
	}
	bool own = x->v.view == CONTEST_VIEW_TEAM && x->v.team_id == s.team_id;
	if (x->v.view != CONTEST_VIEW_JURY && !own) {
		if (x->req->user)
			http_error(res, 403, "forbidden", "only the jury and the team itself may read a submission's files");
		else
			http_error(res, 401, "unauthorized", "log in first: the files of a submission are not public");
		goto out;
	}
	const struct language *l = languages_find(x->req->app->languages, s.language);
	struct buf zip;
	buf_init(&zip);
	zip_one(&zip, l && l->source ? l->source : "source", s.source ? s.source : "", s.source ? strlen(s.source) : 0);
	res->status = 200;
	res->body_len = zip.len;
	res->body = buf_detach(&zip, NULL);
	res->content_type = "application/zip";
	res->disposition = "attachment; filename=\"files.zip\"";
out:
	db_submission_release(&s);
}

/* ---- handlers ---- */

void api_clics_info(struct http_request *req, struct http_response *res)
{
	(void)req;
	http_json(res, 200, view_clics_api_info(config_version));
}

static void contest_row(void *arg, const struct db_contest *c)
{
	struct http_request *req = ((void **)arg)[0];
	struct contest_viewer v;
	if (contest_viewer_of(req->app->db, c, req->user, &v))
		json_array_append_new(((void **)arg)[1], view_clics_contest(c));
}

void api_clics_contests(struct http_request *req, struct http_response *res)
{
	json_t *list = json_array();
	void *ctx[2] = {req, list};
	db_contests_list(req->app->db, contest_row, ctx);
	http_json(res, 200, filter(req, list, (const char *const[]){"id", NULL}, NULL));
}

void api_clics_contest(struct http_request *req, struct http_response *res)
{
	struct clics x;
	if (!clics_open(&x, req, res, req->key))
		return;
	http_json(res, 200, view_clics_contest(&x.c));
	clics_release(&x);
}

/* The segments of a path after /api/clics/contests/{key}/: the endpoint, an
   id, and what follows. */
static void path_segments(const char *path, char seg[3][40])
{
	const char *p = path + strlen("/api/clics/contests/");
	p += strcspn(p, "/");
	for (int i = 0; i < 3; i++) {
		seg[i][0] = '\0';
		if (*p != '/')
			continue;
		p++;
		size_t n = strcspn(p, "/");
		if (n < 40) {
			memcpy(seg[i], p, n);
			seg[i][n] = '\0';
		}
		p += n;
	}
}

static json_t *collection(struct clics *x, const char *type)
{
	if (strcmp(type, "judgement-types") == 0)
		return view_clics_judgement_types(&x->c);
	if (strcmp(type, "languages") == 0)
		return languages(x);
	if (strcmp(type, "problems") == 0)
		return problems(x);
	if (strcmp(type, "groups") == 0) {
		json_t *list = json_array();
		void *ctx[2] = {x, list};
		db_team_groups_list(x->db, x->c.id, group_row, ctx);
		return list;
	}
	if (strcmp(type, "organizations") == 0) {
		json_t *list = json_array();
		db_organizations_list(x->db, x->c.id, organization_row, list);
		return list;
	}
	if (strcmp(type, "teams") == 0)
		return json_incref(x->team_objects);
	if (strcmp(type, "accounts") == 0)
		return accounts(x);
	if (strcmp(type, "submissions") == 0)
		return submissions_walk(x, submission_item);
	if (strcmp(type, "judgements") == 0)
		return submissions_walk(x, judgement_item);
	if (strcmp(type, "runs") == 0)
		return submissions_walk(x, run_items);
	if (strcmp(type, "clarifications") == 0)
		return clarifications(x);
	return NULL;
}

void api_clics_endpoint(struct http_request *req, struct http_response *res)
{
	char seg[3][40];
	path_segments(req->path, seg);
	struct clics x;
	if (!clics_open(&x, req, res, req->key))
		return;
	const char *type = seg[0], *id = seg[1][0] ? seg[1] : NULL;
	const struct clics_endpoint *e = endpoint_of(type);
	if (seg[2][0]) {
		if (strcmp(type, "submissions") == 0 && strcmp(seg[2], "files") == 0)
			submission_files(&x, res, id);
		else
			http_error(res, 404, "not_found", "no such endpoint: %s", req->path);
	} else if (strcmp(type, "state") == 0 && !id) {
		http_json(res, 200, view_clics_state(&x.c, x.now));
	} else if ((strcmp(type, "scoreboard") == 0 && !id) || strcmp(type, "awards") == 0) {
		if (id) {
			/* one award: the collection's item */
			struct http_response all = {0};
			board_answer(&x, &all, type);
			json_t *one = all.status == 200 ? by_id(all.json, id) : NULL;
			if (one)
				http_json(res, 200, json_incref(one));
			else
				http_error(res, 404, "not_found", "contest '%s' has no award '%s'", x.c.shortname, id);
			json_decref(all.json);
		} else {
			board_answer(&x, res, type);
		}
	} else if (strcmp(type, "access") == 0 && !id) {
		http_json(res, 200, access_object(&x));
	} else if (strcmp(type, "account") == 0 && !id) {
		if (req->user)
			http_json(res, 200, view_clics_account(req->user, account_team(&x, req->user)));
		else
			http_error(res, 404, "not_found", "no account: the request is not authenticated");
	} else if (strcmp(type, "accounts") == 0 && !req->user) {
		/* not the public's: as absent as the access object says */
		http_error(res, 404, "not_found", "no accounts: the request is not authenticated");
	} else if (e && strcmp(type, "state") != 0 && strcmp(type, "contest") != 0 && strcmp(type, "scoreboard") != 0) {
		json_t *list = filter(req, collection(&x, type), e->filters, id);
		if (!id)
			http_json(res, 200, list);
		else if (json_array_size(list) == 1)
			http_json(res, 200, json_incref(json_array_get(list, 0)));
		else
			http_error(res, 404, "not_found", "contest '%s' has no %s '%s'", x.c.shortname, type, id);
		if (id)
			json_decref(list);
	} else {
		http_error(res, 404, "not_found", "no such endpoint: %s", req->path);
	}
	clics_release(&x);
}
