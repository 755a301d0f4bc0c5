/* A contest's awards (GET /api/contests/{id}/awards, from the caller's view)
 * and its results exports for the jury: results.tsv (DOMjudge's), results.json
 * and a gradebook CSV, all from the boards in memory (awards.h). */
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "app.h"
#include "awards.h"
#include "boards.h"
#include "clock.h"
#include "util.h"
#include "views.h"

enum results_kind { RESULTS_AWARDS, RESULTS_TSV, RESULTS_JSON, RESULTS_GRADEBOOK };

/* A contest's team groups, copied (awards borrow them). */
struct group_list {
	struct award_group *groups;
	bool *hidden;
	size_t count, cap;
};

static void on_group(void *ctx, const struct db_team_group *g)
{
	struct group_list *l = ctx;
	if (l->count == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		l->groups = xrealloc(l->groups, l->cap * sizeof *l->groups);
		l->hidden = xrealloc(l->hidden, l->cap * sizeof *l->hidden);
	}
	l->groups[l->count] = (struct award_group){g->id, xstrdup(g->key), xstrdup(g->name[0] ? g->name : g->key)};
	l->hidden[l->count++] = g->hidden;
}

static void group_list_release(struct group_list *l)
{
	for (size_t i = 0; i < l->count; i++) {
		free((char *)l->groups[i].key);
		free((char *)l->groups[i].name);
	}
	free(l->groups);
	free(l->hidden);
}

struct results_answer {
	struct db *db;
	const struct db_user *user;
	enum results_kind kind;
	struct group_list *groups;
	int status;                /* 0 once written, else the error's */
	char message[160];
	bool final;
	struct buf out;
};

static void write_results(void *arg, const struct boards_view *v)
{
	struct results_answer *a = arg;
	const struct db_contest *c = v->contest;
	struct contest_viewer viewer;
	if (!contest_viewer_of(a->db, c, a->user, &viewer)) {
		/* the route lets only the jury reach the exports: this is the awards */
		snprintf(a->message, sizeof a->message, a->user ? "contest %lld does not exist" : "log in to see contest %lld",
			 (long long)c->id);
		a->status = a->user ? 404 : 401;
		return;
	}
	a->final = contest_state_at(c, v->now_ms) == CONTEST_FINALIZED;
	/* The awards: the jury's from the live board, everyone else's from the
	   public one (frozen while frozen, without hidden teams and groups). The
	   results: the live board without hidden teams (no hidden team wins
	   anything): the public one, or a thawed copy while it is frozen. The
	   gradebook: every team (student), live. */
	enum contest_view view = CONTEST_VIEW_PUBLIC;
	const struct board *board = v->board;
	struct board *thawed = NULL;
	if (a->kind == RESULTS_AWARDS)
		view = viewer.view == CONTEST_VIEW_JURY ? CONTEST_VIEW_JURY : CONTEST_VIEW_PUBLIC;
	else if (a->kind == RESULTS_GRADEBOOK)
		view = CONTEST_VIEW_JURY;
	else if (v->frozen)
		board = thawed = board_thawed(v->board);
	struct award_group *groups = xcalloc(a->groups->count + 1, sizeof *groups);
	size_t group_count = 0;
	for (size_t i = 0; i < a->groups->count; i++)
		if (view == CONTEST_VIEW_JURY || !a->groups->hidden[i])
			groups[group_count++] = a->groups->groups[i];
	struct awards *w = awards_new(board, view, 0, c->gold, c->silver, c->bronze, groups, group_count);
	switch (a->kind) {
	case RESULTS_AWARDS:
		view_awards(&a->out, w);
		break;
	case RESULTS_TSV:
		awards_results_tsv(w, &a->out);
		break;
	case RESULTS_JSON:
		awards_results_json(w, a->final, &a->out);
		break;
	case RESULTS_GRADEBOOK:
		awards_gradebook_csv(w, &a->out);
		break;
	}
	awards_free(w);
	board_free(thawed);
	free(groups);
}

static void answer(struct http_request *req, struct http_response *res, enum results_kind kind)
{
	struct app *app = req->app;
	int64_t id = req->id[0];
	struct group_list groups = {0};
	db_team_groups_list(app->db, id, on_group, &groups);
	struct results_answer a = {.db = app->db, .user = req->user, .kind = kind, .groups = &groups};
	buf_init(&a.out);
	if (boards_read(app->boards, id, write_results, &a) != 0) {
		a.status = 404;
		snprintf(a.message, sizeof a.message, "contest %lld does not exist", (long long)id);
	}
	group_list_release(&groups);
	if (a.status) {
		buf_release(&a.out);
		http_error(res, a.status, a.status == 401 ? "unauthorized" : "not_found", "%s", a.message);
		return;
	}
	size_t len;
	char *text = buf_detach(&a.out, &len);
	if (kind == RESULTS_AWARDS || kind == RESULTS_JSON) {
		http_json_text(res, 200, text, len);
		if (kind == RESULTS_JSON)
			res->disposition = a.final ? "attachment; filename=\"results.json\""
						   : "attachment; filename=\"results-not-final.json\"";
		return;
	}
	res->status = 200;
	res->body = text;
	res->body_len = len;
	if (kind == RESULTS_TSV) {
		/* DOMjudge's format has no room to say it: the file's name does */
		res->content_type = "text/tab-separated-values; charset=utf-8";
		res->disposition = a.final ? "attachment; filename=\"results.tsv\""
					   : "attachment; filename=\"results-not-final.tsv\"";
	} else {
		res->content_type = "text/csv; charset=utf-8";
		res->disposition = a.final ? "attachment; filename=\"gradebook.csv\""
					   : "attachment; filename=\"gradebook-not-final.csv\"";
	}
}

void api_contest_awards(struct http_request *req, struct http_response *res)
{
	answer(req, res, RESULTS_AWARDS);
}

void api_contest_results_tsv(struct http_request *req, struct http_response *res)
{
	answer(req, res, RESULTS_TSV);
}

void api_contest_results_json(struct http_request *req, struct http_response *res)
{
	answer(req, res, RESULTS_JSON);
}

void api_contest_gradebook(struct http_request *req, struct http_response *res)
{
	answer(req, res, RESULTS_GRADEBOOK);
}
