/* Clarifications of a contest: the list a viewer may see, and a new one: a
 * team's request to the jury, or the jury's reply (to the team that asked, to
 * one team, or to everyone) or announcement.
 *
 * Rules chosen here: a team may ask from the contest's start until it is
 * finalized (also after the end, while results are checked; an unanswered
 * request keeps the contest from being finalized); the jury may write at any
 * time. A team's body is {"problem", "text"} only: the jury's fields ("to",
 * "team_id", "reply_to") from a team are refused with 403, never ignored. */
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "api.h"
#include "app.h"
#include "clock.h"
#include "db.h"
#include "json_util.h"
#include "util.h"
#include "views.h"

#define CLAR_TEXT_MAX 10000 /* bytes of a clarification's text */

/* The contest of the path and who the caller is in it; false with the answer
   given (404, 401, 403, 500). On true the caller releases c. */
static bool contest_and_viewer(struct http_request *req, struct http_response *res, struct db_contest *c,
			       struct contest_viewer *v)
{
	struct db *db = req->app->db;
	int64_t id = req->id[0];
	int rc = db_contest_get(db, id, c);
	if (rc == DB_E_NOT_FOUND) {
		http_error(res, 404, "not_found", "contest %lld does not exist", (long long)id);
		return false;
	}
	if (rc) {
		http_error(res, 500, "internal", "cannot read contest %lld", (long long)id);
		return false;
	}
	if (contest_viewer_of(db, c, req->user, v))
		return true;
	db_contest_release(c);
	if (!req->user)
		http_error(res, 401, "unauthorized", "log in first: contest %lld is not public", (long long)id);
	else
		http_error(res, 403, "forbidden", "you are not in a team of contest %lld", (long long)id);
	return false;
}

/* The team id db_clarifications_list takes for a viewer: -1 the jury (all), 0 the public (to all only). */
static int64_t audience_of(const struct contest_viewer *v)
{
	return v->view == CONTEST_VIEW_JURY ? -1 : v->view == CONTEST_VIEW_TEAM ? v->team_id : 0;
}

/* ---- GET ---- */

struct rendered {
	char **items; /* each clarification's REST object, in id order */
	size_t count, cap;
};

static void render_one(void *ctx, const struct db_clarification *c)
{
	struct rendered *r = ctx;
	if (r->count == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 32;
		r->items = xrealloc(r->items, r->cap * sizeof *r->items);
	}
	struct buf b;
	buf_init(&b);
	view_clarification(&b, c);
	r->items[r->count++] = buf_detach(&b, NULL);
}

void api_clarifications_list(struct http_request *req, struct http_response *res)
{
	int page, per_page;
	if (!http_paging(req, res, &page, &per_page))
		return;
	struct db_contest c;
	struct contest_viewer v;
	if (!contest_and_viewer(req, res, &c, &v))
		return;
	struct rendered r = {NULL, 0, 0};
	db_clarifications_list(req->app->db, c.id, audience_of(&v), render_one, &r);
	db_contest_release(&c);
	/* Newest first, as every list. */
	struct view_list l;
	view_list_begin(&l);
	size_t skip = (size_t)(page - 1) * (size_t)per_page;
	for (size_t i = skip; i < r.count && i < skip + (size_t)per_page; i++) {
		view_list_item(&l);
		buf_adds(&l.buf, r.items[r.count - 1 - i]);
	}
	for (size_t i = 0; i < r.count; i++)
		free(r.items[i]);
	free(r.items);
	size_t len;
	char *text = view_list_end(&l, page, per_page, (int64_t)r.count, &len);
	http_json_text(res, 200, text, len);
}

/* ---- POST ---- */

static void validation(struct http_response *res, char *err)
{
	http_error(res, 400, "validation", "%s", err);
	free(err);
}

/* The "problem" field: a label of the contest, or null/absent (general). */
static bool problem_of(struct http_request *req, struct http_response *res, const struct db_contest *c,
		       int64_t *problem_id)
{
	const char *label = NULL;
	char *err = NULL;
	if (json_get_string(req->json, "problem", false, 64, &label, &err)) {
		validation(res, err);
		return false;
	}
	*problem_id = 0;
	if (!label)
		return true;
	for (size_t i = 0; i < c->problem_count; i++)
		if (strcmp(c->problems[i].label, label) == 0) {
			*problem_id = c->problems[i].problem_id;
			return true;
		}
	struct buf labels;
	buf_init(&labels);
	for (size_t i = 0; i < c->problem_count; i++)
		buf_printf(&labels, "%s%s", i ? ", " : "", c->problems[i].label);
	http_error(res, 400, "validation", "field 'problem': contest %lld has no problem '%.64s' (its labels: %s)",
		   (long long)c->id, label, labels.len ? labels.data : "none");
	buf_release(&labels);
	return false;
}

/* A team's request: to the jury, from the start until the contest is
   finalized; a reply_to must be one the team may see. */
static bool team_request(struct http_request *req, struct http_response *res, const struct db_contest *c,
			 const struct contest_viewer *v, const struct api_clar *in, struct db_clarification *out)
{
	enum contest_state state = contest_state_at(c, out->time_ms);
	if (state == CONTEST_SCHEDULED) {
		http_error(res, 403, "forbidden", "contest %lld has not started: teams may ask once it starts",
			   (long long)c->id);
		return false;
	}
	if (state == CONTEST_FINALIZED) {
		http_error(res, 403, "forbidden", "contest %lld is finalized: it takes no more clarification requests",
			   (long long)c->id);
		return false;
	}
	if (in->reply_to) {
		struct db_clarification r;
		bool seen = db_clarification_get(req->app->db, in->reply_to, &r) == 0 && r.contest_id == c->id &&
			    (r.to_all || r.to_team_id == v->team_id || r.from_team_id == v->team_id);
		if (seen && !in->problem_given)
			out->problem_id = r.problem_id;
		db_clarification_release(&r);
		if (!seen) {
			http_error(res, 400, "validation", "reply_to: clarification %lld is not one of contest %lld you "
				   "may see", (long long)in->reply_to, (long long)c->id);
			return false;
		}
		out->reply_to = in->reply_to;
	}
	out->from_team_id = v->team_id;
	return true;
}

/* The jury's message: a reply (reply_to) to the team that asked or to all, a
   message to one team, or an announcement to all. */
static bool jury_message(struct http_request *req, struct http_response *res, const struct db_contest *c,
			 const struct api_clar *in, struct db_clarification *out)
{
	struct db *db = req->app->db;
	int64_t reply_to = in->reply_to, team_id = in->team_id, asker = 0;
	if (reply_to) {
		struct db_clarification r;
		int rc = db_clarification_get(db, reply_to, &r);
		bool here = rc == 0 && r.contest_id == c->id;
		if (rc == 0) {
			asker = r.from_team_id;
			if (!in->problem_given)
				out->problem_id = r.problem_id; /* a reply is about what the question was about */
			db_clarification_release(&r);
		}
		if (!here) {
			http_error(res, 400, "validation", "reply_to: clarification %lld is not in contest %lld",
				   (long long)reply_to, (long long)c->id);
			return false;
		}
		if (!asker) {
			http_error(res, 400, "validation", "reply_to: clarification %lld is the jury's, not a team's request",
				   (long long)reply_to);
			return false;
		}
	}
	if (in->to_team) {
		if (asker && team_id && team_id != asker) {
			http_error(res, 400, "validation", "a private reply goes to the team that asked (team %lld)",
				   (long long)asker);
			return false;
		}
		if (!team_id)
			team_id = asker;
		if (!team_id) {
			http_error(res, 400, "validation", "a message to one team needs its team, or reply_to");
			return false;
		}
		struct db_team t;
		int rc = db_team_get(db, team_id, &t);
		bool here = rc == 0 && t.contest_id == c->id;
		if (rc == 0)
			db_team_release(&t);
		if (!here) {
			http_error(res, 400, "validation", "team %lld is not in contest %lld", (long long)team_id,
				   (long long)c->id);
			return false;
		}
	}
	out->reply_to = reply_to;
	out->to_team_id = in->to_team ? team_id : 0;
	out->to_all = !in->to_team;
	return true;
}

bool api_clarification_send(struct http_request *req, struct http_response *res, const struct db_contest *c,
			    const struct contest_viewer *v, const struct api_clar *in, int64_t *id)
{
	struct db_clarification clar = {.contest_id = c->id, .time_ms = in->time_ms ? in->time_ms : contest_now_ms(),
					.sender_user_id = req->user->id, .text = in->text, .problem_id = in->problem_id};
	if (v->view == CONTEST_VIEW_PUBLIC) {
		http_error(res, 403, "forbidden", "only the teams and the jury of contest %lld send clarifications",
			   (long long)c->id);
		return false;
	}
	if (strlen(in->text) > CLAR_TEXT_MAX) {
		http_error(res, 400, "validation", "the text is longer than %d bytes", CLAR_TEXT_MAX);
		return false;
	}
	if (!in->text[strspn(in->text, " \t\r\n")]) {
		http_error(res, 400, "validation", "field 'text' must not be empty");
		return false;
	}
	if (v->view == CONTEST_VIEW_TEAM ? !team_request(req, res, c, v, in, &clar) : !jury_message(req, res, c, in, &clar))
		return false;
	int rc = db_clarification_create_as(req->app->db, &clar, in->id, id);
	if (rc == DB_E_NOT_FOUND) /* checked above: it went away since */
		http_error(res, 400, "validation", "the request, team or problem named is no longer in contest %lld",
			   (long long)c->id);
	else if (rc == DB_E_CONFLICT)
		http_error(res, 409, "conflict",
			   "clarification id %lld is taken or was used before: a new id must be above every id so far",
			   (long long)in->id);
	else if (rc)
		http_error(res, 500, "internal", "cannot store the clarification");
	return rc == 0;
}

/* The native body: {"problem", "text"} from a team; the jury's adds "to"
   ("team" or "all"), "team_id" and "reply_to". */
static bool native_body(struct http_request *req, struct http_response *res, const struct db_contest *c,
			const struct contest_viewer *v, struct api_clar *out)
{
	char *err = NULL;
	if (json_get_string(req->json, "text", true, CLAR_TEXT_MAX, &out->text, &err)) {
		validation(res, err);
		return false;
	}
	if (!problem_of(req, res, c, &out->problem_id))
		return false;
	out->problem_given = out->problem_id || json_is_null(json_object_get(req->json, "problem"));
	if (v->view == CONTEST_VIEW_TEAM) {
		static const char *const jury_fields[] = {"to", "team_id", "reply_to"};
		for (size_t i = 0; i < ARRAY_SIZE(jury_fields); i++) {
			json_t *f = json_object_get(req->json, jury_fields[i]);
			if (f && !json_is_null(f)) {
				http_error(res, 403, "forbidden",
					   "field '%s' is the jury's: a team's clarification goes to the jury (send "
					   "\"problem\" and \"text\")", jury_fields[i]);
				return false;
			}
		}
		return true;
	}
	const char *to = NULL;
	if (json_get_int(req->json, "reply_to", false, 1, INT64_MAX, &out->reply_to, &err) ||
	    json_get_string(req->json, "to", false, 16, &to, &err) ||
	    json_get_int(req->json, "team_id", false, 1, INT64_MAX, &out->team_id, &err)) {
		validation(res, err);
		return false;
	}
	if (!to)
		out->to_team = out->reply_to != 0; /* a reply goes to the asker, a new message to all */
	else if (strcmp(to, "team") == 0 || strcmp(to, "all") == 0)
		out->to_team = strcmp(to, "team") == 0;
	else {
		http_error(res, 400, "validation", "field 'to' must be \"team\" or \"all\", not '%s'", to);
		return false;
	}
	if (!out->to_team && out->team_id) {
		http_error(res, 400, "validation", "field 'team_id' goes with \"to\": \"team\" only");
		return false;
	}
	return true;
}

void api_clarifications_create(struct http_request *req, struct http_response *res)
{
	struct db_contest c;
	struct contest_viewer v;
	if (!contest_and_viewer(req, res, &c, &v))
		return;
	struct api_clar in = {0};
	int64_t id;
	struct db_clarification created;
	if (v.view == CONTEST_VIEW_PUBLIC) {
		http_error(res, 403, "forbidden", "only the teams and the jury of contest %lld send clarifications",
			   (long long)c.id);
	} else if (native_body(req, res, &c, &v, &in) && api_clarification_send(req, res, &c, &v, &in, &id)) {
		if (db_clarification_get(req->app->db, id, &created) != 0) {
			http_error(res, 500, "internal", "cannot read the clarification back");
		} else {
			struct buf b;
			buf_init(&b);
			view_clarification(&b, &created);
			db_clarification_release(&created);
			size_t len;
			char *text = buf_detach(&b, &len);
			http_json_text(res, 201, text, len);
		}
	}
	db_contest_release(&c);
}
