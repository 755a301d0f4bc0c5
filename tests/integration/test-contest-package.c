/* The CLICS contest package over real HTTP: a judged contest (an organization,
 * groups, teams with accounts, a jury account, two problems, one a Kattis
 * package with a float tolerance, an AC and a WA, a clarification) exported
 * from one server (GET /api/contests/{id}/package) and imported into a fresh
 * second one (POST /api/contests/package): the package holds every file; the
 * CLICS objects of both servers are the same; the problem zips judge the same
 * there; hostile packages are refused with a 400 naming the file, and leave
 * nothing behind. The tests run in order on the same two servers. */
#include <archive.h>
#include <archive_entry.h>
#include <check.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "ws_helpers.h"
#include "../unit/zipbuild.h"

static struct server from, to; /* exported from, imported into */
static long long contest, sum_a, avg_a;
static char one[64];
static char *pkg;            /* the exported package */
static size_t pkg_len;
static char *avg_ac, *avg_wa; /* float-average's sources */
static char *sum_ac, *sum_wa;

#define WA_SOURCE "#include <stdio.h>\\nint main(void){printf(\\\"0\\\\n\\\");return 0;}\\n"

static char *read_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "%s", path);
	struct buf bytes;
	buf_init(&bytes);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&bytes, chunk, n);
	fclose(f);
	return buf_detach(&bytes, NULL);
}

static const char *packages(void)
{
	const char *p = getenv("VERDICT_PACKAGES");
	ck_assert_ptr_nonnull(p);
	return p;
}

/* ---- zips ---- */

static struct zip *walk_zip;
static size_t walk_root;
static const char *walk_prefix;

static int walk_add(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)ftw;
	if (flag != FTW_F || !S_ISREG(st->st_mode) || strstr(path, "/submissions/"))
		return 0;
	char *text = read_text(path);
	char name[1024];
	snprintf(name, sizeof name, "%s%s", walk_prefix, path + walk_root + 1);
	zip_filen(walk_zip, name, text, (size_t)st->st_size);
	free(text);
	return 0;
}

/* Adds the files of a package folder under prefix ("" or "x/"). */
static void zip_dir(struct zip *z, const char *dir, const char *prefix)
{
	walk_zip = z;
	walk_root = strlen(dir);
	walk_prefix = prefix;
	ck_assert_int_eq(nftw(dir, walk_add, 16, FTW_PHYS), 0);
}

/* The files of a zip: {name: text}. */
static json_t *unzip(const char *data, size_t len)
{
	struct archive *ar = archive_read_new();
	archive_read_support_format_zip(ar);
	ck_assert_int_eq(archive_read_open_memory(ar, data, len), ARCHIVE_OK);
	json_t *files = json_object();
	struct archive_entry *e;
	while (archive_read_next_header(ar, &e) == ARCHIVE_OK) {
		struct buf bytes;
		buf_init(&bytes);
		char chunk[65536];
		la_ssize_t n;
		while ((n = archive_read_data(ar, chunk, sizeof chunk)) > 0)
			buf_add(&bytes, chunk, (size_t)n);
		ck_assert_int_eq(n, 0);
		json_object_set_new(files, archive_entry_pathname(e), json_stringn_nocheck(bytes.data ? bytes.data : "", bytes.len));
		buf_release(&bytes);
	}
	archive_read_free(ar);
	return files;
}

static json_t *member_json(json_t *files, const char *name)
{
	json_t *text = json_object_get(files, name);
	ck_assert_msg(text != NULL, "%s is not in the package", name);
	json_error_t e;
	json_t *j = json_loads(json_string_value(text), JSON_DECODE_ANY, &e);
	ck_assert_msg(j != NULL, "%s: %s", name, e.text);
	return j;
}

/* A JSON string's text (the C sources above are written for JSON bodies). */
static char *unescape(const char *literal)
{
	char *quoted = xasprintf("\"%s\"", literal);
	json_t *j = json_loads(quoted, JSON_DECODE_ANY, NULL);
	free(quoted);
	ck_assert_ptr_nonnull(j);
	char *s = strdup(json_string_value(j));
	json_decref(j);
	return s;
}

/* ---- the first server's contest ---- */

static long long submit(const char *token, const char *label, const char *source)
{
	json_t *body = json_pack("{s:s, s:s}", "language", "c", "source", source);
	char *text = json_dumps(body, 0);
	json_t *r = http_call(&from, "POST", token, 201, text, "/api/contests/%lld/problems/%s/submissions", contest, label);
	long long id = json_integer_value(json_object_get(r, "id"));
	json_decref(r);
	free(text);
	json_decref(body);
	ck_assert(wait_done(&from, &id, 1, 120));
	return id;
}

static char *verdict_of(const struct server *s, long long id)
{
	json_t *j = http_call(s, "GET", s->admin_token, 200, NULL, "/api/submissions/%lld", id);
	char *v = strdup(json_string_value(json_object_get(j, "verdict")));
	json_decref(j);
	return v;
}

static long long import_problem(const struct server *s, const char *name)
{
	struct zip z;
	zip_begin(&z);
	char *dir = xasprintf("%s/%s", packages(), name);
	zip_dir(&z, dir, "");
	free(dir);
	zip_end(&z);
	struct response r;
	http_request(&r, s, "POST", "/api/problems/import?slug=avg", s->admin_token, "application/zip", z.out.data,
		     z.out.len, NULL);
	zip_release(&z);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	long long id = json_integer_value(json_object_get(r.json, "id"));
	response_free(&r);
	return id;
}

static void start(void)
{
	server_start(&from, NULL);
	server_start(&to, NULL);
	char *dir = xasprintf("%s/float-average/submissions", packages());
	char *p = xasprintf("%s/accepted/average.c", dir);
	avg_ac = read_text(p);
	free(p);
	p = xasprintf("%s/wrong_answer/integer_division.c", dir);
	avg_wa = read_text(p);
	free(p);
	free(dir);
	sum_ac = unescape(WSH_SOURCE);
	sum_wa = unescape(WA_SOURCE);
	sum_a = wsh_problem(&from, "sum");
	avg_a = import_problem(&from, "float-average");
	json_decref(http_call(&from, "POST", from.admin_token, 201,
			      "{\"username\": \"judy\", \"password\": \"judy-password\", \"role\": \"jury\"}", "/api/users"));
	char body[512];
	snprintf(body, sizeof body,
		 "{\"shortname\": \"pkg1\", \"name\": \"Package One\", \"formal_name\": \"The Package One\","
		 " \"start_time\": null, \"duration_s\": 18000, \"freeze_s\": 3600, \"penalty_min\": 15,"
		 " \"problems\": [{\"problem_id\": %lld, \"label\": \"A\", \"color\": \"#e53935\"},"
		 " {\"problem_id\": %lld, \"label\": \"B\", \"color\": \"#1e88e5\"}]}",
		 sum_a, avg_a);
	json_t *c = http_call(&from, "POST", from.admin_token, 201, body, "/api/contests");
	contest = json_integer_value(json_object_get(c, "id"));
	json_decref(c);
	struct zip z;
	zip_begin(&z);
	zip_file(&z, "organizations.json",
		 "[{\"id\": \"kth\", \"name\": \"KTH\", \"formal_name\": \"KTH Royal Institute\", \"country\": \"SWE\"}]");
	zip_file(&z, "groups.json", "[{\"id\": \"students\", \"name\": \"Students\"},"
				    " {\"id\": \"guests\", \"name\": \"Guests\", \"hidden\": true}]");
	zip_file(&z, "teams.json",
		 "[{\"id\": \"z1\", \"label\": \"101\", \"name\": \"Zeta\", \"display_name\": \"Zeta (KTH)\","
		 " \"organization_id\": \"kth\", \"group_ids\": [\"students\"]},"
		 " {\"id\": \"z2\", \"label\": \"102\", \"name\": \"Eta\", \"group_ids\": [\"students\"]},"
		 " {\"id\": \"z3\", \"label\": \"103\", \"name\": \"Ghost\", \"hidden\": true, \"group_ids\": [\"guests\"]}]");
	zip_file(&z, "accounts.yaml", "- username: t_one\n  password: t-one-pass\n  type: team\n  team_id: z1\n"
				      "- username: t_two\n  password: t-two-pass\n  type: team\n  team_id: z2\n");
	zip_end(&z);
	char path[128];
	snprintf(path, sizeof path, "/api/contests/%lld/teams/import", contest);
	struct response r;
	http_request(&r, &from, "POST", path, from.admin_token, "application/zip", z.out.data, z.out.len, NULL);
	zip_release(&z);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	response_free(&r);
	ck_assert_int_eq(test_login(&from, "t_one", "t-one-pass", one, sizeof one), 200);
	wsh_post(&from, from.admin_token, 200, "/api/contests/%lld/start", contest);
	submit(one, "A", sum_ac);
	submit(one, "A", sum_wa);
	submit(one, "B", avg_ac);
	submit(one, "B", avg_wa);
	json_decref(http_call(&from, "POST", one, 201, "{\"problem\": \"A\", \"text\": \"Is n < 10?\"}",
			      "/api/contests/%lld/clarifications", contest));
	/* frozen and thawed: the contest object has a scoreboard_thaw_time */
	wsh_post(&from, from.admin_token, 200, "/api/contests/%lld/freeze", contest);
	wsh_post(&from, from.admin_token, 200, "/api/contests/%lld/thaw", contest);
}

static void stop(void)
{
	free(pkg);
	free(avg_ac);
	free(avg_wa);
	free(sum_ac);
	free(sum_wa);
	server_finish(&from);
	server_finish(&to);
}

/* The package of the first server's contest, once. */
static void export(void)
{
	if (pkg)
		return;
	char path[128];
	snprintf(path, sizeof path, "/api/contests/%lld/package", contest);
	struct response r;
	/* admins only */
	http_request(&r, &from, "GET", path, one, NULL, NULL, 0, NULL);
	expect_error(&r, 403, "forbidden");
	response_free(&r);
	http_request(&r, &from, "GET", path, from.admin_token, NULL, NULL, 0, NULL);
	ck_assert_msg(r.status == 200, "%ld %.300s", r.status, r.body);
	char ct[64];
	ck_assert(response_header(&r, "Content-Type", ct, sizeof ct));
	ck_assert_str_eq(ct, "application/zip");
	pkg = r.body;
	pkg_len = r.body_len;
	r.body = NULL;
	response_free(&r);
}

static json_t *clics(const struct server *s, const char *endpoint)
{
	return http_call(s, "GET", s->admin_token, 200, NULL, "/api/clics/contests/pkg1%s", endpoint);
}

START_TEST(export_holds_every_file)
{
	export();
	json_t *files = unzip(pkg, pkg_len);
	static const char *const names[] = {
		"api.json",	  "contest.json",     "judgement-types.json", "languages.json", "problems.json",
		"groups.json",	  "organizations.json", "teams.json",	       "accounts.json",	 "submissions.json",
		"judgements.json", "runs.json",	      "clarifications.json",  "awards.json",	 "scoreboard.json",
		"state.json",	  "event-feed.ndjson", "problems/sum/sum.zip", "problems/avg/avg.zip",
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		ck_assert_msg(json_object_get(files, names[i]), "%s is not in the package", names[i]);
	json_t *api = member_json(files, "api.json");
	ck_assert_str_eq(json_string_value(json_object_get(api, "version")), "2023-06");
	json_decref(api);
	/* the JSON files are the jury's CLICS objects */
	static const char *const same[] = {"contest", "problems", "teams", "organizations", "groups", "accounts",
					   "submissions", "judgements", "clarifications", "languages"};
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
		char name[64], endpoint[64];
		snprintf(name, sizeof name, "%s.json", same[i]);
		snprintf(endpoint, sizeof endpoint, i ? "/%s" : "", same[i]);
		json_t *in = member_json(files, name), *rest = clics(&from, endpoint);
		ck_assert_msg(json_equal(in, rest), "%s differs from GET %s", name, endpoint);
		json_decref(in);
		json_decref(rest);
	}
	json_t *subs = member_json(files, "submissions.json");
	ck_assert_uint_eq(json_array_size(subs), 4);
	size_t i;
	json_t *s;
	json_array_foreach(subs, i, s) {
		char name[128];
		snprintf(name, sizeof name, "submissions/%s/files.zip", json_string_value(json_object_get(s, "id")));
		json_t *src = json_object_get(files, name);
		ck_assert_msg(src, "%s is not in the package", name);
		json_t *inner = unzip(json_string_value(src), json_string_length(src));
		ck_assert_uint_eq(json_object_size(inner), 1);
		json_decref(inner);
	}
	json_decref(subs);
	json_t *clar = member_json(files, "clarifications.json");
	ck_assert_uint_eq(json_array_size(clar), 1);
	json_decref(clar);
	/* no passwords anywhere */
	ck_assert_ptr_null(strstr(json_string_value(json_object_get(files, "accounts.json")), "password"));
	ck_assert_ptr_null(strstr(json_string_value(json_object_get(files, "event-feed.ndjson")), "t-one-pass"));
	/* the event feed: one JSON notification a line, every object there */
	const char *feed = json_string_value(json_object_get(files, "event-feed.ndjson"));
	int lines = 0, teams = 0, judgements = 0;
	for (const char *l = feed; *l;) {
		const char *end = strchr(l, '\n');
		ck_assert_ptr_nonnull(end);
		json_t *ev = json_loadb(l, (size_t)(end - l), 0, NULL);
		ck_assert_msg(ev && json_is_string(json_object_get(ev, "type")), "line %d: %.*s", lines + 1,
			      (int)(end - l), l);
		teams += strcmp(json_string_value(json_object_get(ev, "type")), "teams") == 0;
		judgements += strcmp(json_string_value(json_object_get(ev, "type")), "judgements") == 0;
		json_decref(ev);
		lines++;
		l = end + 1;
	}
	ck_assert_int_ge(teams, 3);
	ck_assert_int_ge(judgements, 4);
	json_decref(files);
}
END_TEST

/* The second server gets the contest; the CLICS objects are those of the first. */
START_TEST(import_into_a_fresh_server)
{
	export();
	struct response r;
	http_request(&r, &to, "POST", "/api/contests/package", to.admin_token, "application/zip", pkg, pkg_len, NULL);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	json_t *j = r.json;
	ck_assert_str_eq(json_string_value(json_object_get(j, "shortname")), "pkg1");
	ck_assert_int_eq(json_integer_value(json_object_get(j, "problems")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(j, "teams")), 3);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "problems_created")), 2);
	/* accounts come without passwords: new ones generated, once; the admin is kept */
	json_t *pw = json_object_get(j, "passwords");
	ck_assert_uint_eq(json_array_size(pw), 3);
	const char *t_one_pw = NULL;
	size_t i;
	json_t *o;
	json_array_foreach(pw, i, o)
		if (strcmp(json_string_value(json_object_get(o, "username")), "t_one") == 0)
			t_one_pw = json_string_value(json_object_get(o, "password"));
	ck_assert_ptr_nonnull(t_one_pw);
	char token[64];
	ck_assert_int_eq(test_login(&to, "t_one", t_one_pw, token, sizeof token), 200);
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(j, "accounts_kept"), 0)), "admin");
	bool says = false;
	json_array_foreach(json_object_get(j, "not_replayed"), i, o)
		says |= strcmp(json_string_value(o), "submissions") == 0;
	ck_assert(says);
	response_free(&r);
	static const char *const same[] = {"", "/problems", "/teams", "/organizations", "/groups", "/accounts",
					   "/judgement-types"};
	for (i = 0; i < sizeof same / sizeof same[0]; i++) {
		json_t *x = clics(&from, same[i]), *y = clics(&to, same[i]);
		char *tx = json_dumps(x, JSON_SORT_KEYS), *ty = json_dumps(y, JSON_SORT_KEYS);
		ck_assert_msg(json_equal(x, y), "GET %s differs:\n%s\n%s", same[i], tx, ty);
		free(tx);
		free(ty);
		json_decref(x);
		json_decref(y);
	}
	/* t_one is z1's member there too */
	json_t *me = http_call(&to, "GET", token, 200, NULL, "/api/clics/contests/pkg1/account");
	ck_assert_str_eq(json_string_value(json_object_get(me, "team_id")), "z1");
	json_decref(me);
	/* the same package again: the contest exists */
	http_request(&r, &to, "POST", "/api/contests/package", to.admin_token, "application/zip", pkg, pkg_len, NULL);
	expect_error(&r, 409, "conflict");
	response_free(&r);
}
END_TEST

static long long problem_id(const struct server *s, const char *slug)
{
	json_t *list = http_call(s, "GET", s->admin_token, 200, NULL, "/api/problems?per_page=100");
	size_t i;
	json_t *p;
	long long id = 0;
	json_array_foreach(json_object_get(list, "items"), i, p)
		if (strcmp(json_string_value(json_object_get(p, "slug")), slug) == 0)
			id = json_integer_value(json_object_get(p, "id"));
	json_decref(list);
	ck_assert_msg(id, "no problem '%s'", slug);
	return id;
}

static long long jury_submit(const struct server *s, long long problem, const char *source)
{
	json_t *body = json_pack("{s:s, s:s}", "language", "c", "source", source);
	char *text = json_dumps(body, 0);
	json_t *r = http_call(s, "POST", s->admin_token, 201, text, "/api/problems/%lld/submissions", problem);
	long long id = json_integer_value(json_object_get(r, "id"));
	json_decref(r);
	free(text);
	json_decref(body);
	ck_assert(wait_done(s, &id, 1, 120));
	return id;
}

/* The imported problems judge as the originals: the same sources, the same verdicts. */
START_TEST(problems_judge_the_same)
{
	const char *sources[] = {sum_ac, sum_wa, avg_ac, avg_wa};
	const char *slugs[] = {"sum", "sum", "avg", "avg"};
	for (int i = 0; i < 4; i++) {
		const char *src = sources[i];
		char *va = verdict_of(&from, jury_submit(&from, problem_id(&from, slugs[i]), src));
		char *vb = verdict_of(&to, jury_submit(&to, problem_id(&to, slugs[i]), src));
		ck_assert_str_eq(va, i % 2 ? "WA" : "AC");
		ck_assert_str_eq(va, vb);
		free(va);
		free(vb);
	}
}
END_TEST

/* ---- hostile packages ---- */

static json_t *counts(const struct server *s)
{
	json_t *c = http_call(s, "GET", s->admin_token, 200, NULL, "/api/contests");
	json_t *p = http_call(s, "GET", s->admin_token, 200, NULL, "/api/problems");
	json_t *u = http_call(s, "GET", s->admin_token, 200, NULL, "/api/users");
	json_t *out = json_pack("{s:I, s:O, s:O}", "contests", (json_int_t)json_array_size(json_object_get(c, "items")),
				"problems", json_object_get(p, "total"), "users", json_object_get(u, "total"));
	json_decref(c);
	json_decref(p);
	json_decref(u);
	return out;
}

/* The least of a package, with a problem (NULL: none) from the float-average folder. */
static void base_package(struct zip *z, const char *contest_id, const char *problem)
{
	char text[256];
	snprintf(text, sizeof text, "{\"id\": \"%s\", \"name\": \"Hostile\", \"duration\": \"5:00:00\"}", contest_id);
	zip_file(z, "contest.json", text);
	if (problem) {
		snprintf(text, sizeof text, "[{\"id\": \"%s\", \"label\": \"A\"}]", problem);
		zip_file(z, "problems.json", text);
		struct zip inner;
		zip_begin(&inner);
		char *dir = xasprintf("%s/float-average", packages());
		zip_dir(&inner, dir, "");
		free(dir);
		zip_end(&inner);
		snprintf(text, sizeof text, "problems/%s/%s.zip", problem, problem);
		zip_filen(z, text, inner.out.data, inner.out.len);
		zip_release(&inner);
	}
}

/* POSTs z to the second server: 400 naming `names` (each a part of the message), and nothing changed. */
static void expect_refused(struct zip *z, long status, const char *const *names)
{
	json_t *before = counts(&to);
	zip_end(z);
	struct response r;
	http_request(&r, &to, "POST", "/api/contests/package", to.admin_token, "application/zip", z->out.data,
		     z->out.len, NULL);
	zip_release(z);
	ck_assert_msg(r.status == status, "%ld %s", r.status, r.body);
	const char *m = json_string_value(json_object_get(json_object_get(r.json, "error"), "message"));
	for (const char *const *n = names; *n; n++)
		ck_assert_msg(m && strstr(m, *n), "the message '%s' does not name '%s'", m ? m : "", *n);
	response_free(&r);
	json_t *after = counts(&to);
	ck_assert_msg(json_equal(before, after), "something was left behind");
	json_decref(before);
	json_decref(after);
}

START_TEST(hostile_packages_leave_nothing)
{
	struct zip z;
	/* bad JSON */
	zip_begin(&z);
	base_package(&z, "h1", "fresh");
	zip_file(&z, "teams.json", "[{\"id\": \"x\", ");
	expect_refused(&z, 400, (const char *const[]){"teams.json", NULL});
	/* a problem neither in the package nor on the server */
	zip_begin(&z);
	base_package(&z, "h2", NULL);
	zip_file(&z, "problems.json", "[{\"id\": \"nosuch\", \"label\": \"A\"}]");
	expect_refused(&z, 400, (const char *const[]){"problems.json", "nosuch", NULL});
	/* a problem zip that is not one */
	zip_begin(&z);
	base_package(&z, "h3", NULL);
	zip_file(&z, "problems.json", "[{\"id\": \"junk\", \"label\": \"A\"}]");
	zip_file(&z, "problems/junk/junk.zip", "this is no zip");
	expect_refused(&z, 400, (const char *const[]){"problems/junk/junk.zip", NULL});
	/* a path outside the package */
	zip_begin(&z);
	base_package(&z, "h4", "fresh");
	zip_file(&z, "../teams.json", "[]");
	expect_refused(&z, 400, (const char *const[]){"../teams.json", NULL});
	/* an oversized member: 9 MiB of zeros, a few KiB compressed */
	zip_begin(&z);
	base_package(&z, "h5", "fresh");
	zip_zeros(&z, "teams.json", 9u << 20);
	expect_refused(&z, 400, (const char *const[]){"teams.json", NULL});
	/* a failure after the problem was stored (an account of a team that does not exist): undone */
	zip_begin(&z);
	base_package(&z, "h6", "fresh");
	zip_file(&z, "accounts.json", "[{\"username\": \"lost\", \"type\": \"team\", \"team_id\": \"nope\"}]");
	expect_refused(&z, 400, (const char *const[]){"accounts.json", "nope", NULL});
	/* the problem exists here already: not overwritten */
	zip_begin(&z);
	base_package(&z, "h7", "avg");
	expect_refused(&z, 409, (const char *const[]){"problems/avg/avg.zip", "exists", NULL});
	/* not a zip at all */
	json_t *before = counts(&to);
	struct response r;
	http_request(&r, &to, "POST", "/api/contests/package", to.admin_token, "application/zip", "PK\3\4junk", 8, NULL);
	expect_error(&r, 400, "validation");
	response_free(&r);
	http_request(&r, &to, "POST", "/api/contests/package", to.admin_token, "application/json", "{}", 2, NULL);
	expect_error(&r, 415, "unsupported_media_type");
	response_free(&r);
	json_t *after = counts(&to);
	ck_assert(json_equal(before, after));
	json_decref(before);
	json_decref(after);
	/* and a good one still goes in, in a folder of its own, the problem as files in problems/<id>/ */
	zip_begin(&z);
	zip_file(&z, "h8/contest.yaml", "id: h8\nname: Good\nduration: '1:00:00'\n");
	zip_file(&z, "h8/problems.yaml", "- id: foldered\n  label: A\n");
	char *dir = xasprintf("%s/exact-greeting", packages());
	zip_dir(&z, dir, "h8/problems/foldered/");
	free(dir);
	zip_end(&z);
	http_request(&r, &to, "POST", "/api/contests/package", to.admin_token, "application/zip", z.out.data, z.out.len,
		     NULL);
	zip_release(&z);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	response_free(&r);
	ck_assert_int_gt(problem_id(&to, "foldered"), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("contest-package");
	TCase *tc = tcase_create("package");
	tcase_add_unchecked_fixture(tc, start, stop);
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, export_holds_every_file);
	tcase_add_test(tc, import_into_a_fresh_server);
	tcase_add_test(tc, problems_judge_the_same);
	tcase_add_test(tc, hostile_packages_leave_nothing);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
