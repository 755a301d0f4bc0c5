/* A contest's teams, organizations and groups (/api/contests/{id}/teams...),
 * and the imports: teams from CLICS files or a class roster, and whole
 * contests from a contest package. The files are read by contest_files
 * (problems part); here they are checked against the users and problems,
 * passwords hashed, and stored in one db_contest_import. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "access.h"
#include "api.h"
#include "api_import.h"
#include "app.h"
#include "auth.h"
#include "contest_files.h"
#include "db.h"
#include "json_util.h"
#include "users.h"
#include "util.h"
#include "views.h"

#define GENERATED_PASSWORD_LEN 16

/* The contest of the path that the caller may see (else a 404 answer). */
static bool contest_of(struct http_request *req, struct http_response *res, struct db_contest *c,
		       struct contest_viewer *v)
{
	if (db_contest_get(req->app->db, req->id[0], c) != 0) {
		http_error(res, 404, "not_found", "contest %lld does not exist", (long long)req->id[0]);
		return false;
	}
	if (!contest_viewer_of(req->app->db, c, req->user, v)) {
		db_contest_release(c);
		http_error(res, 404, "not_found", "contest %lld does not exist", (long long)req->id[0]);
		return false;
	}
	return true;
}

/* ---- lists ---- */

struct team_list {
	json_t *items;
	const struct contest_viewer *viewer;
	json_t *hidden_groups; /* keys of hidden groups: their teams are hidden too */
};

static void hidden_group(void *ctx, const struct db_team_group *g)
{
	if (g->hidden)
		json_object_set_new(ctx, g->key, json_true());
}

static void list_team(void *ctx, const struct db_team *t)
{
	struct team_list *l = ctx;
	bool jury = l->viewer->view == CONTEST_VIEW_JURY;
	bool own = l->viewer->view == CONTEST_VIEW_TEAM && l->viewer->team_id == t->id;
	bool hidden = t->hidden;
	for (size_t i = 0; i < t->group_count && !hidden; i++)
		hidden = json_object_get(l->hidden_groups, t->groups[i]) != NULL;
	if (hidden && !jury && !own)
		return;
	json_array_append_new(l->items, view_team(t, jury || own));
}

void api_teams_list(struct http_request *req, struct http_response *res)
{
	struct db_contest c;
	struct contest_viewer v;
	if (!contest_of(req, res, &c, &v))
		return;
	struct team_list l = {json_array(), &v, json_object()};
	db_team_groups_list(req->app->db, c.id, hidden_group, l.hidden_groups);
	db_teams_list(req->app->db, c.id, list_team, &l);
	json_decref(l.hidden_groups);
	db_contest_release(&c);
	http_json(res, 200, l.items);
}

static void list_organization(void *ctx, const struct db_organization *o)
{
	json_array_append_new(ctx, view_organization(o));
}

static void list_group(void *ctx, const struct db_team_group *g)
{
	json_array_append_new(ctx, view_team_group(g));
}

/* A contest's organizations or groups, to whoever sees the contest. */
static void list_of_contest(struct http_request *req, struct http_response *res, bool groups)
{
	struct db_contest c;
	struct contest_viewer v;
	if (!contest_of(req, res, &c, &v))
		return;
	json_t *items = json_array();
	if (groups)
		db_team_groups_list(req->app->db, c.id, list_group, items);
	else
		db_organizations_list(req->app->db, c.id, list_organization, items);
	db_contest_release(&c);
	http_json(res, 200, items);
}

void api_organizations_list(struct http_request *req, struct http_response *res)
{
	list_of_contest(req, res, false);
}

void api_groups_list(struct http_request *req, struct http_response *res)
{
	list_of_contest(req, res, true);
}

/* ---- one team ---- */

/* A JSON array of short strings (CLICS ids when ids), as a NULL-ended array
   (malloc'd; the strings are the JSON's). Absent: leaves *out. */
static int string_array(const json_t *body, const char *key, bool ids, const char ***out, size_t *count, char **err)
{
	json_t *a = json_object_get(body, key);
	if (!a)
		return 0;
	if (!json_is_array(a)) {
		*err = xasprintf("field '%s' must be an array of strings", key);
		return JSON_E_INVALID;
	}
	const char **v = xcalloc(json_array_size(a) + 1, sizeof *v);
	for (size_t i = 0; i < json_array_size(a); i++) {
		const char *s = json_string_value(json_array_get(a, i));
		if (!s || !*s || strlen(s) > 64 || (ids && !contest_files_id_valid(s))) {
			*err = xasprintf("field '%s': item %zu must be %s", key, i + 1,
					 ids ? "an id: 1 to 36 of [A-Za-z0-9_.-], not starting with '-' or '.'"
					     : "a non-empty string of at most 64 bytes");
			free(v);
			return JSON_E_INVALID;
		}
		v[i] = s;
	}
	free((void *)*out);
	*out = v;
	*count = json_array_size(a);
	return 0;
}

static int id_field(const json_t *body, const char *key, const char **out, char **err)
{
	const char *s = NULL;
	int rc = json_get_string(body, key, false, 36, &s, err);
	if (rc || !s)
		return rc;
	if (!contest_files_id_valid(s)) {
		*err = xasprintf("field '%s': '%s' is not an id: 1 to 36 of [A-Za-z0-9_.-], not starting with '-' or '.'",
				 key, s);
		return JSON_E_INVALID;
	}
	*out = s;
	return 0;
}

/* Reads a team body over t (the current team, or defaults); the arrays it
   allocates go to *groups and *members (free them). */
static int team_from_json(const json_t *body, struct db_team *t, const char ***groups, const char ***members,
			  char **err)
{
	int rc;
	json_t *org = json_object_get(body, "organization");
	if ((rc = id_field(body, "key", &t->key, err)) || (rc = id_field(body, "label", &t->label, err)) ||
	    (rc = json_get_string(body, "name", false, 256, &t->name, err)) ||
	    (rc = json_get_string(body, "display_name", false, 256, &t->display_name, err)) ||
	    (rc = json_get_bool(body, "hidden", false, &t->hidden, err)) ||
	    (rc = json_get_string(body, "icpc_id", false, 64, &t->icpc_id, err)))
		return rc;
	if (json_is_null(org))
		t->organization = NULL;
	else if ((rc = id_field(body, "organization", &t->organization, err)))
		return rc;
	if ((rc = string_array(body, "groups", true, groups, &t->group_count, err)) ||
	    (rc = string_array(body, "members", false, members, &t->member_count, err)))
		return rc;
	if (*groups)
		t->groups = *groups;
	if (*members)
		t->members = *members;
	if (!t->key && !t->label) {
		*err = xstrdup("field 'key' or 'label' is required");
		return JSON_E_INVALID;
	}
	if (!t->key)
		t->key = t->label;
	if (!t->label)
		t->label = t->key;
	if (!t->name || !*t->name)
		t->name = t->label;
	return 0;
}

/* Whether name (the store's *missing) is one of list: the same pointer, else an equal string. */
static bool in(const char *const *list, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (list[i] == name)
			return true;
	for (size_t i = 0; i < n && name; i++)
		if (list[i] && strcmp(list[i], name) == 0)
			return true;
	return false;
}

/* The answer to a db_team_create/update that failed with rc, missing. */
static void team_write_error(struct http_response *res, const struct db_team *t, int rc, const char *missing)
{
	const char *m = missing ? missing : "?";
	if (rc == DB_E_NOT_FOUND && in(&t->organization, 1, missing))
		http_error(res, 400, "validation", "field 'organization': organization '%s' does not exist", m);
	else if (rc == DB_E_NOT_FOUND && in(t->groups, t->group_count, missing))
		http_error(res, 400, "validation", "field 'groups': group '%s' does not exist", m);
	else if (rc == DB_E_NOT_FOUND && in(t->members, t->member_count, missing))
		http_error(res, 400, "validation", "field 'members': user '%s' does not exist", m);
	else if (rc == DB_E_NOT_FOUND)
		http_error(res, 400, "validation", "'%s' does not exist", m);
	else if (rc == DB_E_CONFLICT && in(t->members, t->member_count, missing))
		http_error(res, 409, "conflict", "user '%s' is already in another team of this contest", m);
	else if (rc == DB_E_CONFLICT && in(&t->label, 1, missing) && strcmp(t->label, t->key) != 0)
		http_error(res, 409, "conflict", "label '%s' is taken by another team of this contest", m);
	else if (rc == DB_E_CONFLICT)
		http_error(res, 409, "conflict", "team '%s' exists: its key or label is taken in this contest", m);
	else
		http_error(res, 500, "internal", "cannot store the team");
}

static void answer_team(struct http_request *req, struct http_response *res, int64_t id, int status)
{
	struct db_team t;
	if (db_team_get(req->app->db, id, &t) != 0) {
		http_error(res, 500, "internal", "cannot read team %lld back", (long long)id);
		return;
	}
	http_json(res, status, view_team(&t, true));
	db_team_release(&t);
}

void api_teams_create(struct http_request *req, struct http_response *res)
{
	struct db_contest c;
	if (db_contest_get(req->app->db, req->id[0], &c) != 0) {
		http_error(res, 404, "not_found", "contest %lld does not exist", (long long)req->id[0]);
		return;
	}
	db_contest_release(&c);
	struct db_team t = {.display_name = ""};
	const char **groups = NULL, **members = NULL;
	char *err = NULL;
	if (team_from_json(req->json, &t, &groups, &members, &err)) {
		http_error(res, 400, "validation", "%s", err);
		goto out;
	}
	int64_t id;
	const char *missing = NULL;
	int rc = db_team_create(req->app->db, req->id[0], &t, &id, &missing);
	if (rc)
		team_write_error(res, &t, rc, missing);
	else
		answer_team(req, res, id, 201);
out:
	free(err);
	free(groups);
	free(members);
}

/* The team of the path, in the contest of the path (else a 404 answer). */
static bool team_of(struct http_request *req, struct http_response *res, struct db_team *t)
{
	if (db_team_get(req->app->db, req->id[1], t) != 0) {
		http_error(res, 404, "not_found", "team %lld does not exist", (long long)req->id[1]);
		return false;
	}
	if (t->contest_id != req->id[0]) {
		db_team_release(t);
		http_error(res, 404, "not_found", "team %lld is not in contest %lld", (long long)req->id[1],
			   (long long)req->id[0]);
		return false;
	}
	return true;
}

void api_teams_update(struct http_request *req, struct http_response *res)
{
	struct db_team cur;
	if (!team_of(req, res, &cur))
		return;
	struct db_team t = cur;
	const char **groups = NULL, **members = NULL;
	char *err = NULL;
	if (team_from_json(req->json, &t, &groups, &members, &err)) {
		http_error(res, 400, "validation", "%s", err);
		goto out;
	}
	const char *missing = NULL;
	int rc = db_team_update(req->app->db, cur.id, &t, &missing);
	if (rc)
		team_write_error(res, &t, rc, missing);
	else
		answer_team(req, res, cur.id, 200);
out:
	free(err);
	free(groups);
	free(members);
	db_team_release(&cur);
}

void api_teams_delete(struct http_request *req, struct http_response *res)
{
	struct db_team t;
	if (!team_of(req, res, &t))
		return;
	db_team_release(&t);
	if (db_team_delete(req->app->db, req->id[1]) != 0)
		http_error(res, 500, "internal", "cannot delete team %lld", (long long)req->id[1]);
	else
		res->status = 204;
}

/* ---- imports ---- */

void api_import_release(struct api_import *p)
{
	for (size_t i = 0; i < p->account_count; i++)
		free(p->hashes[i]);
	free(p->hashes);
	free(p->accounts);
	free(p->members);
	json_decref(p->passwords);
	json_decref(p->kept);
}

bool api_import_prepare(struct http_request *req, struct http_response *res, struct contest_files *cf,
			enum api_import_mode mode, struct api_import *p)
{
	bool roster = mode == API_IMPORT_ROSTER;
	memset(p, 0, sizeof *p);
	p->passwords = json_array();
	p->kept = json_array();
	p->accounts = xcalloc(cf->account_count + 1, sizeof *p->accounts);
	p->hashes = xcalloc(cf->account_count + 1, sizeof *p->hashes);
	p->members = xcalloc(cf->account_count + 1, sizeof *p->members);
	for (size_t i = 0; i < cf->account_count; i++) {
		const struct contest_files_account *a = &cf->accounts[i];
		if (!users_name_valid(a->username)) {
			http_error(res, 400, "validation",
				   "%s: field 'username': '%s' must be 1 to 32 letters, digits, '_', '.' or '-'", a->where,
				   a->username);
			return false;
		}
		struct db_user u;
		if (db_user_by_name(req->app->db, a->username, &u, NULL) == 0) {
			if (mode == API_IMPORT_PACKAGE && u.role != DB_ROLE_USER && u.role == a->role && !a->team &&
			    !a->password) {
				json_array_append_new(p->kept, json_string(a->username));
				continue;
			}
			if (!roster || a->password) {
				http_error(res, 409, "conflict", "%s: field 'username': user '%s' already exists%s", a->where,
					   a->username, roster ? ": leave its password empty to put it in the team" : "");
				return false;
			}
			p->members[i] = a->username;
			cf->teams[i].members = &p->members[i];
			cf->teams[i].member_count = 1;
			continue;
		}
		char generated[GENERATED_PASSWORD_LEN + 1];
		const char *password = a->password;
		if (!password) {
			auth_random_password(generated, GENERATED_PASSWORD_LEN);
			password = generated;
		}
		char *err = NULL, *hash = NULL;
		int rc = users_hash_password(password, &hash, &err);
		if (rc == USERS_E_INVALID) {
			http_error(res, 400, "validation", "%s: field 'password': %s", a->where, err);
			free(err);
			return false;
		}
		if (rc) {
			http_error(res, 500, "internal", "cannot hash a password");
			return false;
		}
		if (!a->password)
			json_array_append_new(p->passwords,
					      json_pack("{s:s, s:s}", "username", a->username, "password", generated));
		p->hashes[p->account_count] = hash;
		p->accounts[p->account_count++] =
			(struct db_account){.username = a->username, .password_hash = hash, .role = a->role, .team = a->team};
	}
	p->imp = (struct db_import){cf->organizations, cf->organization_count, cf->groups, cf->group_count,
				    cf->teams, cf->team_count, p->accounts, p->account_count};
	return true;
}

void api_import_error(struct http_response *res, const struct contest_files *cf, int rc, const char *missing)
{
	if (rc != DB_E_NOT_FOUND && rc != DB_E_CONFLICT) {
		http_error(res, 500, "internal", "cannot import: %s", rc < 0 ? strerror(-rc) : error_name(rc));
		return;
	}
	char *where = contest_files_where(cf, missing, rc == DB_E_CONFLICT);
	if (rc == DB_E_NOT_FOUND)
		http_error(res, 400, "validation", "%s", where ? where : missing ? missing : "a reference does not exist");
	else
		http_error(res, 409, "conflict", "%s", where ? where : missing ? missing : "a key is taken");
	free(where);
}

static bool content_type(struct http_request *req, const char *want)
{
	const char *ct = http_header(req, "Content-Type");
	size_t n = strlen(want);
	return ct && strncasecmp(ct, want, n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

static bool wants_csv(struct http_request *req)
{
	const char *format = http_query(req, "format");
	if (format)
		return strcmp(format, "csv") == 0;
	const char *accept = http_header(req, "Accept");
	return accept && strstr(accept, "text/csv") && !strstr(accept, "application/json");
}

/* CSV text of a JSON text field: quoted when it holds a comma, quote or line break. */
static void csv_field(struct buf *b, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		buf_adds(b, s);
		return;
	}
	buf_add(b, "\"", 1);
	for (; *s; s++) {
		if (*s == '"')
			buf_add(b, "\"", 1);
		buf_add(b, s, 1);
	}
	buf_add(b, "\"", 1);
}

void api_import_answer(struct http_request *req, struct http_response *res, int status, json_t *body,
		       const struct api_import *p)
{
	if (wants_csv(req)) {
		struct buf b;
		buf_init(&b);
		buf_adds(&b, "username,password\r\n");
		size_t i;
		json_t *row;
		json_array_foreach(p->passwords, i, row) {
			csv_field(&b, json_string_value(json_object_get(row, "username")));
			buf_add(&b, ",", 1);
			csv_field(&b, json_string_value(json_object_get(row, "password")));
			buf_adds(&b, "\r\n");
		}
		json_decref(body);
		res->status = status;
		res->body = buf_detach(&b, &res->body_len);
		res->content_type = "text/csv; charset=utf-8";
		res->disposition = "attachment; filename=\"passwords.csv\"";
		return;
	}
	json_object_set_new(body, "passwords", json_incref(p->passwords));
	http_json(res, status, body);
}

json_t *api_import_counts(const struct contest_files *cf, const struct api_import *p)
{
	return json_pack("{s:I, s:I, s:I, s:I}", "organizations", (json_int_t)cf->organization_count, "groups",
			 (json_int_t)cf->group_count, "teams", (json_int_t)cf->team_count, "accounts",
			 (json_int_t)p->account_count);
}

/* Reads the body by its Content-Type: for a contest import a zip or
   contest.yaml, else a zip, teams.json or a roster. false with an answer. */
static bool read_body(struct http_request *req, struct http_response *res, struct contest_files *cf, bool contest)
{
	char *err = NULL;
	int rc;
	if (content_type(req, "application/zip"))
		rc = contest_files_read_zip(cf, req->body, req->body_len, &err);
	else if (!contest && content_type(req, "text/csv"))
		rc = contest_files_roster(cf, "roster.csv", req->body, req->body_len, &err);
	else if (!contest && content_type(req, "application/json"))
		rc = contest_files_add(cf, "teams.json", req->body, req->body_len, &err);
	else if (contest && (content_type(req, "application/yaml") || content_type(req, "application/x-yaml") ||
			     content_type(req, "text/yaml")))
		rc = contest_files_add(cf, "contest.yaml", req->body, req->body_len, &err);
	else {
		const char *ct = http_header(req, "Content-Type");
		http_error(res, 415, "unsupported_media_type", "expected Content-Type: %s, got %s%s%s",
			   contest ? "application/zip (a contest package) or application/yaml (contest.yaml)"
				   : "application/json (teams.json), text/csv (a roster) or application/zip (a contest package)",
			   ct ? "'" : "", ct ? ct : "none", ct ? "'" : "");
		return false;
	}
	if (rc == CONTEST_FILES_E_INVALID)
		http_error(res, 400, "validation", "%s", err);
	else if (rc)
		http_error(res, 500, "internal", "cannot read the files: %s", strerror(-rc));
	free(err);
	return rc == 0;
}

void api_teams_import(struct http_request *req, struct http_response *res)
{
	struct db_contest c;
	if (db_contest_get(req->app->db, req->id[0], &c) != 0) {
		http_error(res, 404, "not_found", "contest %lld does not exist", (long long)req->id[0]);
		return;
	}
	db_contest_release(&c);
	struct contest_files cf;
	contest_files_init(&cf);
	struct api_import p = {0};
	bool roster = content_type(req, "text/csv");
	if (!read_body(req, res, &cf, false))
		goto out;
	if (!api_import_prepare(req, res, &cf, roster ? API_IMPORT_ROSTER : API_IMPORT_TEAMS, &p))
		goto out;
	const char *missing = NULL;
	int rc = db_contest_import(req->app->db, req->id[0], &p.imp, &missing);
	if (rc)
		api_import_error(res, &cf, rc, missing);
	else
		api_import_answer(req, res, 200, api_import_counts(&cf, &p), &p);
out:
	api_import_release(&p);
	contest_files_release(&cf);
}

bool api_import_contest(struct http_request *req, struct http_response *res, struct contest_files *cf,
			const struct api_import *p, int64_t *id)
{
	struct db *db = req->app->db;
	bool ok = false;
	struct db_contest_problem *problems = xcalloc(cf->problem_count + 1, sizeof *problems);
	for (size_t i = 0; i < cf->problem_count; i++) {
		const struct contest_files_problem *cp = &cf->problems[i];
		struct db_contest_problem *q = &problems[i];
		if (db_problem_id_by_slug(db, cp->slug, &q->problem_id) != 0) {
			http_error(res, 400, "validation", "%s: field 'id': problem '%s' does not exist", cp->where, cp->slug);
			goto out;
		}
		q->label = cp->label;
		q->ordinal = (int)i + 1;
		q->color = cp->color;
		q->has_max_score = cp->has_max_score;
		q->max_score = cp->max_score;
	}
	cf->contest.problems = problems;
	cf->contest.problem_count = cf->problem_count;
	int rc = db_contest_create(db, &cf->contest, id);
	if (rc == DB_E_CONFLICT) {
		http_error(res, 409, "conflict", "contest.yaml: field 'id': contest '%s' exists", cf->contest.shortname);
		goto out;
	}
	if (rc) {
		http_error(res, rc == DB_E_NOT_FOUND ? 400 : 500, rc == DB_E_NOT_FOUND ? "validation" : "internal",
			   "cannot create contest '%s'", cf->contest.shortname);
		goto out;
	}
	if (cf->organization_count || cf->group_count || cf->team_count || p->account_count) {
		const char *missing = NULL;
		rc = db_contest_import(db, *id, &p->imp, &missing);
		if (rc) {
			/* all or nothing: the contest goes again */
			if (db_contest_delete(db, *id) != 0)
				http_error(res, 500, "internal", "cannot undo contest '%s'", cf->contest.shortname);
			else
				api_import_error(res, cf, rc, missing);
			goto out;
		}
	}
	ok = true;
out:
	cf->contest.problems = NULL;
	cf->contest.problem_count = 0;
	free(problems);
	return ok;
}

bool api_import_check_contest(struct http_request *req, struct http_response *res, const struct contest_files *cf)
{
	if (!cf->has_contest) {
		http_error(res, 400, "validation", "contest.yaml: not found in the package");
		return false;
	}
	int64_t id;
	if (db_contest_by_shortname(req->app->db, cf->contest.shortname, &id) == 0) {
		http_error(res, 409, "conflict", "contest.yaml: field 'id': contest '%s' exists", cf->contest.shortname);
		return false;
	}
	return true;
}

void api_contests_import(struct http_request *req, struct http_response *res)
{
	struct contest_files cf;
	contest_files_init(&cf);
	struct api_import p = {0};
	int64_t id;
	if (read_body(req, res, &cf, true) && api_import_check_contest(req, res, &cf) &&
	    api_import_prepare(req, res, &cf, API_IMPORT_TEAMS, &p) && api_import_contest(req, res, &cf, &p, &id)) {
		json_t *body = api_import_counts(&cf, &p);
		json_object_set_new(body, "id", json_integer((json_int_t)id));
		json_object_set_new(body, "shortname", json_string(cf.contest.shortname));
		json_object_set_new(body, "problems", json_integer((json_int_t)cf.problem_count));
		api_import_answer(req, res, 201, body, &p);
	}
	api_import_release(&p);
	contest_files_release(&cf);
}
