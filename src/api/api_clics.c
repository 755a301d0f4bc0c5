/* The CLICS Contest API 2023-06 (/api/clics/), read endpoints: a thin view
 * over the clics part's model (clics_model.h), which decides what each
 * viewer sees and builds every collection and object. Here: the paths,
 * the filters (collections are bare arrays filtered on their id properties,
 * ?team_id=X, an empty value matching null, and so is a single object), the
 * access object and a submission's files. Errors get the CLICS shape in the
 * HTTP layer (http_clics_path). */
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "api.h"
#include "app.h"
#include "clics_model.h"
#include "clock.h"
#include "config.h"
#include "db.h"
#include "languages.h"
#include "util.h"
#include "views.h"

/* A contest as one request sees it: the model, and copies of its contest
   and viewer (borrowed from the model) for the access object. */
struct clics {
	struct http_request *req;
	struct db *db;
	struct clics_model *m;
	struct db_contest c;
	struct contest_viewer v;
};

static void clics_release(struct clics *x)
{
	clics_model_free(x->m);
}

/* Reads the contest `key` that the caller may see: false with a 404 answer
   when there is none (or it is hidden from them, which looks the same). */
static bool clics_open(struct clics *x, struct http_request *req, struct http_response *res, const char *key)
{
	memset(x, 0, sizeof *x);
	x->req = req;
	x->db = req->app->db;
	x->m = clics_model_open(req->app, key, req->user, contest_now_ms());
	if (!x->m) {
		http_error(res, 404, "not_found", "contest '%s' does not exist", key);
		return false;
	}
	x->c = *clics_model_contest(x->m);
	x->v = *clics_model_viewer(x->m);
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

/* Keeps list (stolen) when its one item matches every ?prop= of props. */
static json_t *filter_one(struct http_request *req, json_t *item, const char *const *props)
{
	json_t *list = json_array();
	json_array_append_new(list, item);
	return filter(req, list, props, NULL);
}

/* The scoreboard, of one ?group_id= too. */
static void scoreboard_answer(struct clics *x, struct http_response *res)
{
	const char *group = http_query(x->req, "group_id");
	json_t *g = group ? clics_object(x->m, CLICS_GROUPS, group) : NULL;
	if (group && !g) {
		http_error(res, 404, "not_found", "contest '%s' has no group '%s'", x->c.shortname, group);
		return;
	}
	json_decref(g);
	json_t *board = clics_scoreboard(x->m, group);
	if (!board) {
		http_error(res, 404, "not_found", "contest '%s' has no scoreboard", x->c.shortname);
		return;
	}
	http_json(res, 200, board);
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
			json_array_append_new(props, json_string(*p));
		}
		json_array_append_new(list, json_pack("{s:s, s:o}", "type", e->type, "properties", props));
	}
	/* What api_clics_write.c lets this caller do: a team submits and asks
	   for itself (a classroom's student, whose team comes with the first
	   submission, only submits), the jury submits and asks for a team and
	   writes clarifications, admins also submit with a time or an id and
	   set the start and thaw times. */
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
	if (x->v.view == CONTEST_VIEW_JURY) {
		json_array_append_new(caps, json_string("proxy_submit"));
		json_array_append_new(caps, json_string("proxy_clar"));
		json_array_append_new(caps, json_string("admin_clar"));
	}
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
	json_t *visible = clics_object(x->m, CLICS_SUBMISSIONS, id);
	json_decref(visible);
	if (!visible) {
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
	if (s.files) {
		/* a multi-file submission: every file, as named */
		char *data = NULL;
		size_t len = 0;
		if (api_submission_zip(x->req->app->languages, &s, &data, &len) != 0) {
			http_error(res, 500, "internal", "cannot make the zip of submission '%s'", id);
			goto out;
		}
		res->body = data;
		res->body_len = len;
	} else {
		struct buf zip;
		buf_init(&zip);
		zip_one(&zip, l && l->source ? l->source : "source", s.source ? s.source : "",
			s.source ? s.source_len : 0);
		res->body_len = zip.len;
		res->body = buf_detach(&zip, NULL);
	}
	res->status = 200;
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
	http_json(res, 200, clics_object(x.m, CLICS_CONTEST, NULL));
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

void api_clics_endpoint(struct http_request *req, struct http_response *res)
{
	char seg[3][40];
	path_segments(req->path, seg);
	struct clics x;
	if (!clics_open(&x, req, res, req->key))
		return;
	const char *type = seg[0], *id = seg[1][0] ? seg[1] : NULL;
	const struct clics_endpoint *e = endpoint_of(type);
	enum clics_type t;
	if (seg[2][0]) {
		if (strcmp(type, "submissions") == 0 && strcmp(seg[2], "files") == 0)
			submission_files(&x, res, id);
		else
			http_error(res, 404, "not_found", "no such endpoint: %s", req->path);
	} else if (strcmp(type, "state") == 0 && !id) {
		http_json(res, 200, clics_object(x.m, CLICS_STATE, NULL));
	} else if (strcmp(type, "scoreboard") == 0 && !id) {
		scoreboard_answer(&x, res);
	} else if (strcmp(type, "access") == 0 && !id) {
		http_json(res, 200, access_object(&x));
	} else if (strcmp(type, "account") == 0 && !id) {
		json_t *me = req->user ? clics_object(x.m, CLICS_ACCOUNTS, req->user->username) : NULL;
		if (me)
			http_json(res, 200, me);
		else
			http_error(res, 404, "not_found", "no account: the request is not authenticated");
	} else if (strcmp(type, "accounts") == 0 && !req->user) {
		/* not the public's: as absent as the access object says */
		http_error(res, 404, "not_found", "no accounts: the request is not authenticated");
	} else if (e && clics_type_of(type, &t) && t != CLICS_STATE && t != CLICS_CONTEST && t != CLICS_SCOREBOARD) {
		if (!id) {
			http_json(res, 200, filter(req, clics_collection(x.m, t), e->filters, NULL));
		} else {
			json_t *one = clics_object(x.m, t, id);
			json_t *list = one ? filter_one(req, one, e->filters) : NULL;
			if (json_array_size(list) == 1)
				http_json(res, 200, json_incref(json_array_get(list, 0)));
			else
				http_error(res, 404, "not_found", "contest '%s' has no %s '%s'", x.c.shortname, type, id);
			json_decref(list);
		}
	} else {
		http_error(res, 404, "not_found", "no such endpoint: %s", req->path);
	}
	clics_release(&x);
}
