/* GET /api/contests/{id}/scoreboard: a contest's board in the caller's view
 * (or the one asked for and allowed), from the boards in memory. */
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "app.h"
#include "boards.h"
#include "clock.h"
#include "util.h"
#include "views.h"

struct board_answer {
	struct db *db;
	const struct db_user *user;
	const char *view;          /* ?view=, or NULL */
	int64_t group_id;          /* 0: every team */
	int status;                /* 0 once written, else the error's */
	char message[160];
	struct buf out;
	char *memo;                /* or the answer as written before (malloc'd) */
	size_t memo_len;
};

static bool in_group(const struct board_team *t, int64_t group_id)
{
	for (size_t i = 0; i < t->group_count; i++)
		if (t->groups[i] == group_id)
			return true;
	return false;
}

/* Who may see which view (access.h decides who the caller is). 0 or an HTTP status. */
static int pick_view(struct board_answer *a, const struct db_contest *c, struct contest_viewer *v)
{
	if (!contest_viewer_of(a->db, c, a->user, v)) {
		snprintf(a->message, sizeof a->message, a->user ? "contest %lld does not exist" : "log in to see contest %lld",
			 (long long)c->id);
		return a->user ? 404 : 401;
	}
	const char *view = a->view;
	if (!view || !*view)
		return 0;
	if (strcmp(view, "public") == 0) {
		v->view = CONTEST_VIEW_PUBLIC;
	} else if (strcmp(view, "team") == 0) {
		if (v->view != CONTEST_VIEW_TEAM) {
			snprintf(a->message, sizeof a->message,
				 "a team's scoreboard is for its members: you are in no team of contest %lld",
				 (long long)c->id);
			return 403;
		}
	} else if (strcmp(view, "jury") == 0) {
		if (v->view != CONTEST_VIEW_JURY) {
			snprintf(a->message, sizeof a->message, "the jury's scoreboard is for the jury and admins");
			return 403;
		}
	} else {
		snprintf(a->message, sizeof a->message, "invalid view '%.32s': expected public, team or jury", view);
		return 400;
	}
	return 0;
}

static void write_board(void *arg, const struct boards_view *v)
{
	struct board_answer *a = arg;
	struct contest_viewer viewer;
	a->status = pick_view(a, v->contest, &viewer);
	if (a->status)
		return;
	/* The public's and the jury's whole boards are the same answer for
	   every caller until the board changes or the contest's state moves on. */
	enum contest_state state = contest_state_at(v->contest, v->now_ms);
	int slot = viewer.view == CONTEST_VIEW_PUBLIC ? 0 : viewer.view == CONTEST_VIEW_JURY ? 1 : -1;
	int64_t stamp = (int64_t)state * 2 + v->frozen;
	if (slot >= 0 && !a->group_id) {
		a->memo = boards_memo_get(v->memo, slot, stamp, &a->memo_len);
		if (a->memo)
			return;
	} else {
		slot = -1;
	}
	const struct board_row *const *all;
	size_t n = board_rows(v->board, CONTEST_VIEW_JURY, 0, &all, NULL);
	const struct board_row **rows = xcalloc(n + 1, sizeof *rows);
	size_t k = boards_view_rows(v->board, viewer.view, viewer.team_id, rows);
	if (a->group_id) {
		size_t kept = 0;
		for (size_t i = 0; i < k; i++)
			if (in_group(rows[i]->team, a->group_id))
				rows[kept++] = rows[i];
		k = kept;
	}
	char banner[200];
	bool show_banner = v->frozen && viewer.view != CONTEST_VIEW_JURY;
	if (show_banner)
		view_board_banner(banner, sizeof banner, v->freeze_minutes);
	struct view_board_head h = {
		.contest_id = v->contest->id,
		.state = contest_state_name(state),
		.frozen = v->frozen,
		.final = state == CONTEST_FINALIZED,
		.seq = v->seq,
		.banner = show_banner ? banner : NULL,
		.view = viewer.view == CONTEST_VIEW_JURY ? "jury" : viewer.view == CONTEST_VIEW_TEAM ? "team" : "public",
		.team_id = viewer.view == CONTEST_VIEW_TEAM ? viewer.team_id : 0,
	};
	view_scoreboard(&a->out, &h, v->board, rows, k);
	free(rows);
	if (slot >= 0)
		boards_memo_put(v->memo, slot, stamp, a->out.data, a->out.len);
}

static const char *code_of(int status)
{
	return status == 400 ? "bad_request" : status == 401 ? "unauthorized" : status == 403 ? "forbidden" : "not_found";
}

void api_contest_scoreboard(struct http_request *req, struct http_response *res)
{
	struct app *app = req->app;
	int64_t id = req->id[0];
	struct board_answer a = {.db = app->db, .user = req->user, .view = http_query(req, "view")};
	const char *group = http_query(req, "group");
	if (group && *group && !parse_id(group, &a.group_id)) {
		http_error(res, 400, "bad_request", "invalid group '%.32s': expected a group id", group);
		return;
	}
	buf_init(&a.out);
	if (boards_read(app->boards, id, write_board, &a) != 0) {
		a.status = 404;
		snprintf(a.message, sizeof a.message, "contest %lld does not exist", (long long)id);
	}
	if (a.status) {
		buf_release(&a.out);
		http_error(res, a.status, code_of(a.status), "%s", a.message);
		return;
	}
	if (a.memo) {
		buf_release(&a.out);
		http_json_text(res, 200, a.memo, a.memo_len);
		return;
	}
	size_t len;
	char *text = buf_detach(&a.out, &len);
	http_json_text(res, 200, text, len);
}
