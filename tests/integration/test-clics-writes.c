/* Integration tests for the CLICS Contest API's writes over real HTTP, with
 * Basic authentication and bearer tokens: POST and PUT submissions (a team
 * for itself, an admin for any team, with a time and a kept id), POST and
 * PUT clarifications (a team to the jury, the jury to one team or all),
 * PATCH a contest's start time and thaw time, each success and each refusal
 * (role, contest window, ids, body) in the CLICS error shape; that a posted
 * submission is judged and shows in the CLICS and native APIs, that a posted
 * clarification reaches the native clarifications socket of its audience
 * only, and the capabilities of the access object. One server for the file;
 * each test makes the contests it changes. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"
#include "ws_helpers.h"
#include "../unit/zipbuild.h"

#include <archive_entry.h>

#define RECV_MS 10000  /* an upper bound for a message that must come, never a measurement */
#define QUIET_MS 300   /* how long a socket that must stay silent is watched, after a later message came */

static struct server srv;
static long long problem;
static char judy[64], one_token[64], two_token[64], loner[64];
static char basic_one[128], basic_admin[128];

/* Who calls: a bearer token or a Basic header (or neither: anonymous). */
struct who {
	const char *token, *basic;
};
#define ANON ((struct who){NULL, NULL})
#define ONE ((struct who){NULL, basic_one})
#define ONE_T ((struct who){one_token, NULL})
#define TWO ((struct who){two_token, NULL})
#define JUDY ((struct who){judy, NULL})
#define ADMIN ((struct who){NULL, basic_admin})
#define LONER ((struct who){loner, NULL})

static const char b64_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Standard base64 with padding; malloc'd. */
static char *b64(const void *data, size_t n)
{
	const unsigned char *p = data;
	char *out = malloc(n / 3 * 4 + 5), *o = out;
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
		*o++ = b64_alphabet[(v >> 18) & 63];
		*o++ = b64_alphabet[(v >> 12) & 63];
		*o++ = i + 1 < n ? b64_alphabet[(v >> 6) & 63] : '=';
		*o++ = i + 2 < n ? b64_alphabet[v & 63] : '=';
	}
	*o = '\0';
	return out;
}

static void basic_header(char *out, size_t size, const char *user, const char *password)
{
	char plain[128];
	snprintf(plain, sizeof plain, "%s:%s", user, password);
	char *enc = b64(plain, strlen(plain));
	snprintf(out, size, "Authorization: Basic %s", enc);
	free(enc);
}

/* A request as `w`; the body is JSON text or NULL. */
static void call(struct response *r, const char *method, const char *path, struct who w, const char *body)
{
	http_request(r, &srv, method, path, w.token, body ? "application/json" : NULL, body, body ? strlen(body) : 0,
		     w.basic ? (const char *const[]){w.basic, NULL} : NULL);
}

/* A call that must answer `status`; returns the JSON body (new reference, or NULL). */
static json_t *expect(const char *method, const char *path, struct who w, const char *body, long status)
{
	struct response r;
	call(&r, method, path, w, body);
	ck_assert_msg(r.status == status, "%s %s: %ld (want %ld) %s", method, path, r.status, status, r.body);
	json_t *j = r.json ? json_incref(r.json) : NULL;
	if (status >= 400) {
		/* the CLICS shape: exactly {"code", "message"} */
		ck_assert_msg(json_is_object(j) && json_object_size(j) == 2, "%s %s: %s", method, path, r.body);
		ck_assert_int_eq(json_integer_value(json_object_get(j, "code")), status);
		const char *m = json_string_value(json_object_get(j, "message"));
		ck_assert(m && *m);
	}
	response_free(&r);
	return j;
}

static void refused(const char *method, const char *path, struct who w, const char *body, long status)
{
	json_decref(expect(method, path, w, body, status));
}

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/* Whether the event feed of contest `key` (?stream=false, as w) has a
   notification of type and id. */
static bool in_feed(const char *key, struct who w, const char *type, const char *id)
{
	char path[128];
	snprintf(path, sizeof path, "/api/clics/contests/%s/event-feed?stream=false", key);
	struct response r;
	call(&r, "GET", path, w, NULL);
	ck_assert_msg(r.status == 200, "GET %s: %ld %s", path, r.status, r.body);
	bool found = false;
	for (char *line = r.body; line && *line && !found; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		size_t n = strcspn(line, "\n");
		json_t *o = json_loadb(line, n, 0, NULL);
		found = o && strcmp(str(o, "type"), type) == 0 && strcmp(str(o, "id"), id) == 0;
		json_decref(o);
	}
	response_free(&r);
	return found;
}

/* A CLICS TIME ms since the epoch. */
static void time_text(char *out, size_t size, long long ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	char base[32];
	strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, size, "%s.%03lldZ", base, ms % 1000);
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A contest through the native API, starting start_s seconds from now
   (0 with no_start: none); its id. */
static long long make_contest(const char *shortname, long long start_s, bool no_start, int duration_s, int freeze_s)
{
	char start[40] = "null", body[1024];
	if (!no_start) {
		start[0] = '"';
		time_text(start + 1, sizeof start - 2, now_ms() + start_s * 1000);
		strcat(start, "\"");
	}
	snprintf(body, sizeof body,
		 "{\"shortname\": \"%s\", \"name\": \"%s\", \"start_time\": %s, \"duration_s\": %d, \"freeze_s\": %d,"
		 " \"public\": true, \"problems\": [{\"problem_id\": %lld, \"label\": \"A\"}]}",
		 shortname, shortname, start, duration_s, freeze_s, problem);
	json_t *c = expect("POST", "/api/contests", (struct who){srv.admin_token, NULL}, body, 201);
	long long id = json_integer_value(json_object_get(c, "id"));
	json_decref(c);
	const char *teams[][2] = {{"z1", "t_one"}, {"z2", "t_two"}};
	for (int i = 0; i < 2; i++) {
		char path[128];
		snprintf(path, sizeof path, "/api/contests/%lld/teams", id);
		snprintf(body, sizeof body, "{\"key\": \"%s\", \"name\": \"Team %s\", \"groups\": [], \"members\": [\"%s\"]}",
			 teams[i][0], teams[i][0], teams[i][1]);
		json_decref(expect("POST", path, (struct who){srv.admin_token, NULL}, body, 201));
	}
	return id;
}

/* A zip of the given files (name, text, ... NULL), in base64; malloc'd. */
static char *zip_b64(const char *name, ...)
{
	struct zip z;
	zip_begin(&z);
	va_list ap;
	va_start(ap, name);
	for (const char *n = name; n; n = va_arg(ap, const char *))
		zip_file(&z, n, va_arg(ap, const char *));
	va_end(ap);
	zip_end(&z);
	char *out = b64(z.out.data, z.out.len);
	zip_release(&z);
	return out;
}

static const char ac_source[] =
	"#include <stdio.h>\nint main(void){long a,b;if(scanf(\"%ld %ld\",&a,&b)!=2)return 1;printf(\"%ld\\n\",a+b);return 0;}\n";

/* A submission body: extra is more properties ("" or ", \"time\": ..."). */
static char *sub_body(const char *extra, const char *files_b64)
{
	char *zip = files_b64 ? NULL : zip_b64("sum.c", ac_source, NULL);
	char *body = xasprintf("{\"problem_id\": \"sum\", \"language_id\": \"c\", \"entry_point\": null,"
			       " \"files\": [{\"data\": \"%s\", \"mime\": \"application/zip\"}]%s}",
			       files_b64 ? files_b64 : zip, extra);
	free(zip);
	return body;
}

/* The native submissions of a contest (as admin): their total. */
static long long native_total(long long contest)
{
	char path[128];
	snprintf(path, sizeof path, "/api/contests/%lld/submissions", contest);
	json_t *page = expect("GET", path, (struct who){srv.admin_token, NULL}, NULL, 200);
	long long n = json_integer_value(json_object_get(page, "total"));
	json_decref(page);
	return n;
}

static void start(void)
{
	server_start(&srv, NULL);
	problem = wsh_problem(&srv, "sum");
	struct response r;
	http_json_request(&r, &srv, "POST", "/api/users", srv.admin_token,
			  "{\"username\": \"judy\", \"password\": \"judy-password\", \"role\": \"jury\"}");
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	response_free(&r);
	ck_assert_int_eq(test_login(&srv, "judy", "judy-password", judy, sizeof judy), 200);
	test_create_user(&srv, "t_one", false, one_token, sizeof one_token);
	test_create_user(&srv, "t_two", false, two_token, sizeof two_token);
	test_create_user(&srv, "loner", false, loner, sizeof loner);
	basic_header(basic_one, sizeof basic_one, "t_one", "t_one-password");
	basic_header(basic_admin, sizeof basic_admin, "admin", "admin-password");
}

static void stop(void)
{
	server_finish(&srv);
}

/* ---- submissions ---- */

START_TEST(team_submits_and_it_is_judged)
{
	long long contest = make_contest("run1", -60, false, 3600, 0);
	char *body = sub_body("", NULL);
	struct response r;
	call(&r, "POST", "/api/clics/contests/run1/submissions", ONE, body);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	char location[256];
	ck_assert(response_header(&r, "Location", location, sizeof location));
	const char *id = str(r.json, "id");
	char want[256];
	snprintf(want, sizeof want, "/api/clics/contests/run1/submissions/%s", id);
	ck_assert_str_eq(location, want);
	ck_assert_str_eq(str(r.json, "team_id"), "z1");
	ck_assert_str_eq(str(r.json, "problem_id"), "sum");
	ck_assert_str_eq(str(r.json, "language_id"), "c");
	ck_assert(json_is_null(json_object_get(r.json, "entry_point")));
	ck_assert_int_eq(json_array_size(json_object_get(r.json, "files")), 1);
	long long sid = atoll(id);
	char sid_text[24];
	snprintf(sid_text, sizeof sid_text, "%s", id);
	response_free(&r);
	free(body);
	/* judged like a native one */
	ck_assert(wait_done(&srv, &sid, 1, 60));
	char path[256];
	snprintf(path, sizeof path, "/api/clics/contests/run1/submissions/%s", sid_text);
	json_t *s = expect("GET", path, ONE, NULL, 200);
	ck_assert_str_eq(str(s, "team_id"), "z1");
	json_decref(s);
	snprintf(path, sizeof path, "/api/clics/contests/run1/judgements?submission_id=%s", sid_text);
	json_t *j = expect("GET", path, ONE_T, NULL, 200);
	ck_assert_int_eq(json_array_size(j), 1);
	ck_assert_str_eq(str(json_array_get(j, 0), "judgement_type_id"), "AC");
	json_decref(j);
	/* the source in the zip is what was sent */
	snprintf(path, sizeof path, "/api/submissions/%lld", sid);
	json_t *native = expect("GET", path, ONE_T, NULL, 200);
	ck_assert_str_eq(str(native, "verdict"), "AC");
	ck_assert_str_eq(str(native, "source"), ac_source);
	ck_assert_int_eq(json_integer_value(json_object_get(native, "contest_id")), contest);
	ck_assert(json_is_false(json_object_get(native, "practice")));
	json_decref(native);
	ck_assert_int_eq(native_total(contest), 1);
	/* and in the event feed, its judgement too */
	ck_assert(in_feed("run1", ONE, "submissions", sid_text));
	ck_assert(in_feed("run1", ADMIN, "judgements", sid_text));
	/* its own team_id is accepted; the quota and the scoreboard are the native ones */
	body = sub_body(", \"team_id\": \"z1\"", NULL);
	json_decref(expect("POST", "/api/clics/contests/run1/submissions", ONE_T, body, 201));
	free(body);
	ck_assert_int_eq(native_total(contest), 2);
}
END_TEST

START_TEST(team_submission_refusals)
{
	long long contest = make_contest("ref1", -60, false, 3600, 0);
	const char *path = "/api/clics/contests/ref1/submissions";
	char *body;
	/* role */
	body = sub_body("", NULL);
	refused("POST", path, ANON, body, 401);
	refused("POST", path, JUDY, body, 400);  /* the jury submits for a team it names */
	refused("POST", path, LONER, body, 403); /* in no team of the contest */
	refused("PUT", "/api/clics/contests/ref1/submissions/77", ONE, body, 403);
	refused("POST", "/api/clics/contests/nosuch/submissions", ONE, body, 404);
	free(body);
	/* properties a team may not give */
	const char *not_a_teams[] = {", \"team_id\": \"z2\"", ", \"id\": \"5\""};
	long want[] = {403, 400};
	for (int i = 0; i < 2; i++) {
		body = sub_body(not_a_teams[i], NULL);
		refused("POST", path, ONE, body, want[i]);
		free(body);
	}
	char extra[96], t[40];
	time_text(t, sizeof t, now_ms() - 1000);
	snprintf(extra, sizeof extra, ", \"time\": \"%s\"", t);
	body = sub_body(extra, NULL);
	refused("POST", path, ONE, body, 400);
	free(body);
	body = sub_body(", \"contest_time\": \"0:00:10.000\"", NULL);
	refused("POST", path, ONE, body, 400);
	free(body);
	body = sub_body(", \"colour\": \"red\"", NULL);
	refused("POST", path, ONE, body, 400);
	free(body);
	/* unknown references */
	char *zip = zip_b64("sum.c", ac_source, NULL), big[16384];
	snprintf(big, sizeof big, "{\"problem_id\": \"nosuch\", \"language_id\": \"c\", \"files\": [{\"data\": \"%s\"}]}", zip);
	refused("POST", path, ONE, big, 404);
	snprintf(big, sizeof big, "{\"problem_id\": \"sum\", \"language_id\": \"cobol\", \"files\": [{\"data\": \"%s\"}]}", zip);
	refused("POST", path, ONE, big, 404);
	/* the body */
	refused("POST", path, ONE, "{\"problem_id\": \"sum\", \"language_id\": \"c\"}", 400);
	refused("POST", path, ONE, "{\"problem_id\": \"sum\", \"language_id\": \"c\", \"files\": []}", 400);
	snprintf(big, sizeof big,
		 "{\"problem_id\": \"sum\", \"language_id\": \"c\", \"files\": [{\"data\": \"%s\", \"mime\": \"text/plain\"}]}",
		 zip);
	refused("POST", path, ONE, big, 400);
	refused("POST", path, ONE, "{\"problem_id\": \"sum\", \"language_id\": \"c\", \"files\": [{\"data\": \"@@@\"}]}", 400);
	char *not_zip = b64("int main(void){}", 16);
	body = sub_body("", not_zip);
	refused("POST", path, ONE, body, 400);
	free(body);
	free(not_zip);
	free(zip);
	/* hostile or wrong zips: a file in a folder (not a plain name), traversal, a symlink, a bomb, an
	   empty source */
	zip = zip_b64("a.c", ac_source, "sub/b.c", ac_source, NULL);
	body = sub_body("", zip);
	refused("POST", path, ONE, body, 400);
	free(body);
	free(zip);
	struct zip z;
	for (int k = 0; k < 3; k++) {
		zip_begin(&z);
		if (k == 0)
			zip_entry(&z, "../sum.c", AE_IFREG, ac_source, strlen(ac_source), NULL);
		else if (k == 1)
			zip_entry(&z, "sum.c", AE_IFLNK, NULL, 0, "/etc/passwd");
		else
			zip_zeros(&z, "sum.c", 8u << 20);
		zip_end(&z);
		zip = b64(z.out.data, z.out.len);
		zip_release(&z);
		body = sub_body("", zip);
		refused("POST", path, ONE, body, 400);
		free(body);
		free(zip);
	}
	zip = zip_b64("sum.c", "", NULL);
	body = sub_body("", zip);
	refused("POST", path, ONE, body, 400);
	free(body);
	free(zip);
	/* nothing was stored */
	ck_assert_int_eq(native_total(contest), 0);
	/* outside the window: before the start, after the end */
	make_contest("early1", 3600, false, 3600, 0);
	make_contest("late1", -7200, false, 3600, 0);
	make_contest("nostart1", 0, true, 3600, 0);
	body = sub_body("", NULL);
	refused("POST", "/api/clics/contests/early1/submissions", ONE, body, 403);
	refused("POST", "/api/clics/contests/late1/submissions", ONE, body, 403);
	refused("POST", "/api/clics/contests/nostart1/submissions", TWO, body, 403);
	free(body);
}
END_TEST

/* The names of a zip's entries, comma-separated, into out. */
static void zip_names(const char *data, size_t len, char *out, size_t size)
{
	struct archive *a = archive_read_new();
	archive_read_support_format_zip(a);
	ck_assert_int_eq(archive_read_open_memory(a, data, len), ARCHIVE_OK);
	struct archive_entry *e;
	out[0] = '\0';
	while (archive_read_next_header(a, &e) == ARCHIVE_OK)
		snprintf(out + strlen(out), size - strlen(out), "%s%s", out[0] ? "," : "", archive_entry_pathname(e));
	archive_read_free(a);
}

START_TEST(team_submits_several_files)
{
	make_contest("multi1", -60, false, 3600, 0);
	static const char main_c[] = "#include <stdio.h>\n#include \"add.h\"\nint main(void){long a,b;"
		"if(scanf(\"%ld %ld\",&a,&b)!=2)return 1;printf(\"%ld\\n\",add(a,b));return 0;}\n";
	char *zip = zip_b64("main.c", main_c, "add.h", "long add(long a, long b);\n", "add.c",
			    "#include \"add.h\"\nlong add(long a, long b){return a+b;}\n", NULL);
	char *body = sub_body("", zip);
	json_t *s = expect("POST", "/api/clics/contests/multi1/submissions", ONE, body, 201);
	free(body);
	free(zip);
	long long sid = atoll(str(s, "id"));
	char sid_text[24];
	snprintf(sid_text, sizeof sid_text, "%s", str(s, "id"));
	json_decref(s);
	ck_assert(wait_done(&srv, &sid, 1, 60));
	char path[256];
	snprintf(path, sizeof path, "/api/submissions/%lld", sid);
	json_t *native = expect("GET", path, ONE_T, NULL, 200);
	ck_assert_str_eq(str(native, "verdict"), "AC"); /* compiled together */
	ck_assert_int_eq(json_array_size(json_object_get(native, "files")), 3);
	ck_assert_str_eq(str(native, "source"), main_c);
	json_decref(native);
	/* the files zip holds them all, under their names */
	snprintf(path, sizeof path, "/api/clics/contests/multi1/submissions/%s/files", sid_text);
	struct response r;
	call(&r, "GET", path, ONE, NULL);
	ck_assert_int_eq(r.status, 200);
	char names[256];
	zip_names(r.body, r.body_len, names, sizeof names);
	ck_assert_str_eq(names, "add.c,add.h,main.c"); /* as stored: in path order */
	response_free(&r);
}
END_TEST

START_TEST(admin_submits_for_a_team)
{
	long long contest = make_contest("adm1", -600, false, 3600, 0);
	const char *path = "/api/clics/contests/adm1/submissions";
	char t[40], extra[128];
	long long at = now_ms() - 120000;
	time_text(t, sizeof t, at);
	snprintf(extra, sizeof extra, ", \"team_id\": \"z2\", \"time\": \"%s\"", t);
	char *body = sub_body(extra, NULL);
	json_t *s = expect("POST", path, ADMIN, body, 201);
	free(body);
	ck_assert_str_eq(str(s, "team_id"), "z2");
	ck_assert_str_eq(str(s, "time"), t);
	ck_assert(strncmp(str(s, "contest_time"), "0:0", 3) == 0); /* 8 min and the time between two requests */
	long long sid = atoll(str(s, "id"));
	json_decref(s);
	/* the team sees it as its own, judged */
	ck_assert(wait_done(&srv, &sid, 1, 60));
	char one[128];
	snprintf(one, sizeof one, "%s/%lld", path, sid);
	s = expect("GET", one, TWO, NULL, 200);
	ck_assert_str_eq(str(s, "team_id"), "z2");
	json_decref(s);
	/* without a time: now */
	body = sub_body(", \"team_id\": \"z1\"", NULL);
	json_decref(expect("POST", path, ADMIN, body, 201));
	/* the jury as a proxy: for a team, at the server's time only */
	s = expect("POST", path, JUDY, body, 201);
	ck_assert_str_eq(str(s, "team_id"), "z1");
	json_decref(s);
	free(body);
	time_text(t, sizeof t, now_ms() - 1000);
	snprintf(extra, sizeof extra, ", \"team_id\": \"z1\", \"time\": \"%s\"", t);
	body = sub_body(extra, NULL);
	refused("POST", path, JUDY, body, 400);
	free(body);
	/* refusals: no team, an unknown team, a time in the future or before the start */
	body = sub_body("", NULL);
	refused("POST", path, ADMIN, body, 400);
	free(body);
	body = sub_body(", \"team_id\": \"z9\"", NULL);
	refused("POST", path, ADMIN, body, 404);
	free(body);
	time_text(t, sizeof t, now_ms() + 3600000);
	snprintf(extra, sizeof extra, ", \"team_id\": \"z1\", \"time\": \"%s\"", t);
	body = sub_body(extra, NULL);
	refused("POST", path, ADMIN, body, 400);
	free(body);
	time_text(t, sizeof t, now_ms() - 3600000);
	snprintf(extra, sizeof extra, ", \"team_id\": \"z1\", \"time\": \"%s\"", t);
	body = sub_body(extra, NULL);
	refused("POST", path, ADMIN, body, 403);
	free(body);
	snprintf(extra, sizeof extra, ", \"team_id\": \"z1\", \"time\": \"yesterday\"");
	body = sub_body(extra, NULL);
	refused("POST", path, ADMIN, body, 400);
	free(body);
	ck_assert_int_eq(native_total(contest), 3);
}
END_TEST

START_TEST(put_keeps_the_id)
{
	make_contest("put1", -600, false, 3600, 0);
	char *body = sub_body(", \"id\": \"900\", \"team_id\": \"z1\"", NULL);
	struct response r;
	call(&r, "PUT", "/api/clics/contests/put1/submissions/900", ADMIN, body);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	ck_assert_str_eq(str(r.json, "id"), "900");
	char location[256];
	ck_assert(response_header(&r, "Location", location, sizeof location));
	ck_assert_str_eq(location, "/api/clics/contests/put1/submissions/900");
	response_free(&r);
	json_t *s = expect("GET", "/api/clics/contests/put1/submissions/900", ONE, NULL, 200);
	ck_assert_str_eq(str(s, "team_id"), "z1");
	json_decref(s);
	long long sid = 900;
	ck_assert(wait_done(&srv, &sid, 1, 60));
	/* taken */
	refused("PUT", "/api/clics/contests/put1/submissions/900", ADMIN, body, 409);
	free(body);
	/* below the ids given so far */
	body = sub_body(", \"id\": \"3\", \"team_id\": \"z1\"", NULL);
	refused("PUT", "/api/clics/contests/put1/submissions/3", ADMIN, body, 409);
	/* the body's id must be the URL's */
	refused("PUT", "/api/clics/contests/put1/submissions/901", ADMIN, body, 409);
	free(body);
	body = sub_body(", \"team_id\": \"z1\"", NULL);
	refused("PUT", "/api/clics/contests/put1/submissions/901", ADMIN, body, 400); /* no id */
	free(body);
	body = sub_body(", \"id\": \"x-1\", \"team_id\": \"z1\"", NULL);
	refused("PUT", "/api/clics/contests/put1/submissions/x-1", ADMIN, body, 400);
	refused("PUT", "/api/clics/contests/put1/submissions/x-1", JUDY, body, 403);
	free(body);
	/* a POST takes the next id after it */
	body = sub_body(", \"team_id\": \"z2\"", NULL);
	s = expect("POST", "/api/clics/contests/put1/submissions", ADMIN, body, 201);
	ck_assert_int_gt(atoll(str(s, "id")), 900);
	json_decref(s);
	free(body);
}
END_TEST

/* ---- clarifications ---- */

static struct ws_client *clar_socket(long long contest, const char *token)
{
	return wsh_open(&srv, NULL, "/ws/contests/%lld/clarifications/?token=%s", contest, token);
}

/* The next clarification message's id on c (fails if none comes). */
static long long next_clar(struct ws_client *c)
{
	json_t *m = ws_client_recv_json(c, RECV_MS);
	ck_assert_msg(m != NULL, "no clarification on the socket");
	ck_assert_str_eq(str(m, "type"), "clarification");
	long long id = json_integer_value(json_object_get(m, "id"));
	json_decref(m);
	return id;
}

/* The same, passing over the messages of `skip` (a request logged again once answered). */
static long long next_clar_but(struct ws_client *c, long long skip)
{
	long long id;
	while ((id = next_clar(c)) == skip)
		;
	return id;
}

static long long clar_id(json_t *o)
{
	long long id = atoll(str(o, "id"));
	json_decref(o);
	return id;
}

START_TEST(clarifications_reach_their_audience)
{
	long long contest = make_contest("clar1", -60, false, 3600, 0);
	const char *path = "/api/clics/contests/clar1/clarifications";
	struct ws_client *jury = clar_socket(contest, judy), *s1 = clar_socket(contest, one_token),
			 *s2 = clar_socket(contest, two_token);
	/* a team asks the jury */
	json_t *q = expect("POST", path, ONE, "{\"text\": \"Is n >= 1?\", \"problem_id\": \"sum\"}", 201);
	ck_assert_str_eq(str(q, "from_team_id"), "z1");
	ck_assert(json_is_null(json_object_get(q, "to_team_id")));
	ck_assert_str_eq(str(q, "problem_id"), "sum");
	long long qid = clar_id(q);
	ck_assert_int_eq(next_clar(jury), qid);
	ck_assert_int_eq(next_clar(s1), qid);
	/* the jury answers that team alone */
	char body[256];
	snprintf(body, sizeof body, "{\"text\": \"Yes.\", \"reply_to_id\": \"%lld\", \"to_team_id\": \"z1\"}", qid);
	json_t *a = expect("POST", path, JUDY, body, 201);
	ck_assert_str_eq(str(a, "to_team_id"), "z1");
	ck_assert(json_is_null(json_object_get(a, "from_team_id")));
	ck_assert_str_eq(str(a, "problem_id"), "sum"); /* a reply is about its question's problem */
	long long aid = clar_id(a);
	/* the asker and the jury get the reply (and the request again: answered now) */
	ck_assert_int_eq(next_clar_but(jury, qid), aid);
	ck_assert_int_eq(next_clar_but(s1, qid), aid);
	/* an admin writes to all */
	long long all = clar_id(expect("POST", path, ADMIN, "{\"text\": \"Ten minutes more.\", \"to_team_id\": null}", 201));
	ck_assert_int_eq(next_clar_but(jury, qid), all);
	ck_assert_int_eq(next_clar_but(s1, qid), all);
	/* the other team got only that */
	ck_assert_int_eq(next_clar(s2), all);
	ck_assert_ptr_null(ws_client_recv_json(s2, QUIET_MS));
	ws_client_free(jury);
	ws_client_free(s1);
	ws_client_free(s2);
	/* and the REST lists agree */
	json_t *list = expect("GET", path, TWO, NULL, 200);
	ck_assert_int_eq(json_array_size(list), 1);
	json_decref(list);
	list = expect("GET", path, ANON, NULL, 200);
	ck_assert_int_eq(json_array_size(list), 1);
	json_decref(list);
	snprintf(body, sizeof body, "/api/contests/%lld/clarifications", contest);
	list = expect("GET", body, ONE_T, NULL, 200);
	ck_assert_int_eq(json_integer_value(json_object_get(list, "total")), 3);
	json_decref(list);
	/* the public's event feed has the announcement, not the request */
	char idt[24];
	snprintf(idt, sizeof idt, "%lld", all);
	ck_assert(in_feed("clar1", ANON, "clarifications", idt));
	snprintf(idt, sizeof idt, "%lld", qid);
	ck_assert(!in_feed("clar1", ANON, "clarifications", idt));
	ck_assert(in_feed("clar1", JUDY, "clarifications", idt));
	/* a team may follow up on what it sees */
	snprintf(body, sizeof body, "{\"text\": \"And n <= 10?\", \"reply_to_id\": \"%lld\"}", aid);
	json_decref(expect("POST", path, TWO, body, 400)); /* not its own */
	q = expect("POST", path, ONE, body, 201);
	ck_assert_int_eq(atoll(str(q, "reply_to_id")), aid);
	json_decref(q);
}
END_TEST

START_TEST(clarification_refusals)
{
	make_contest("clar2", -60, false, 3600, 0);
	make_contest("clar3", 3600, false, 3600, 0);
	const char *path = "/api/clics/contests/clar2/clarifications";
	refused("POST", path, ANON, "{\"text\": \"?\"}", 401);
	refused("POST", path, LONER, "{\"text\": \"?\"}", 403);
	refused("POST", path, ONE, "{\"text\": \"?\", \"to_team_id\": \"z2\"}", 403);
	refused("POST", path, ONE, "{\"text\": \"?\", \"from_team_id\": \"z2\"}", 403);
	refused("POST", path, ONE, "{\"text\": \"?\", \"id\": \"4\"}", 400);
	refused("POST", path, ONE, "{\"text\": \"?\", \"time\": \"2026-01-01T00:00:00.000Z\"}", 400);
	refused("POST", path, ONE, "{\"text\": \"?\", \"problem_id\": \"nosuch\"}", 404);
	refused("POST", path, ONE, "{\"text\": \"  \"}", 400);
	refused("POST", path, ONE, "{\"problem_id\": \"sum\"}", 400);
	refused("POST", path, ONE, "{\"text\": 5}", 400);
	refused("POST", path, ONE, "{\"text\": \"?\", \"urgent\": true}", 400);
	refused("POST", "/api/clics/contests/clar3/clarifications", ONE, "{\"text\": \"?\"}", 403); /* not started */
	refused("POST", path, JUDY, "{\"text\": \"?\", \"from_team_id\": \"z9\"}", 404);
	refused("POST", path, JUDY, "{\"text\": \"?\", \"from_team_id\": \"z1\", \"to_team_id\": \"z2\"}", 403);
	refused("POST", path, JUDY, "{\"text\": \"?\", \"from_team_id\": \"z1\", \"time\": \"2026-01-01T00:00:00Z\"}", 400);
	/* the jury as a proxy asks for a team */
	json_t *p = expect("POST", path, JUDY, "{\"text\": \"Asked at the desk.\", \"from_team_id\": \"z2\"}", 201);
	ck_assert_str_eq(str(p, "from_team_id"), "z2");
	ck_assert(json_is_null(json_object_get(p, "to_team_id")));
	json_decref(p);
	refused("POST", path, JUDY, "{\"text\": \"!\", \"to_team_id\": \"z9\"}", 404);
	refused("POST", path, JUDY, "{\"text\": \"!\", \"reply_to_id\": \"999\"}", 400);
	/* own from_team_id is fine */
	json_decref(expect("POST", path, ONE, "{\"text\": \"?\", \"from_team_id\": \"z1\"}", 201));
	/* PUT: the jury's, keeping the id */
	const char *put = "/api/clics/contests/clar2/clarifications/500";
	json_t *c = expect("PUT", put, JUDY, "{\"id\": \"500\", \"text\": \"Announcement.\"}", 201);
	ck_assert_str_eq(str(c, "id"), "500");
	ck_assert(json_is_null(json_object_get(c, "to_team_id")));
	json_decref(c);
	json_decref(expect("GET", put, ANON, NULL, 200));
	refused("PUT", put, JUDY, "{\"id\": \"500\", \"text\": \"Again.\"}", 409);
	refused("PUT", put, JUDY, "{\"id\": \"501\", \"text\": \"Other.\"}", 409);
	refused("PUT", "/api/clics/contests/clar2/clarifications/7", JUDY, "{\"id\": \"7\", \"text\": \"Low.\"}", 409);
	refused("PUT", "/api/clics/contests/clar2/clarifications/501", ONE, "{\"id\": \"501\", \"text\": \"?\"}", 403);
	refused("PUT", "/api/clics/contests/clar2/clarifications/abc", JUDY, "{\"id\": \"abc\", \"text\": \"!\"}", 400);
}
END_TEST

/* ---- PATCH the contest ---- */

static void patch(const char *key, const char *body, struct who w, long status, json_t **out)
{
	char path[128];
	snprintf(path, sizeof path, "/api/clics/contests/%s", key);
	json_t *j = expect("PATCH", path, w, body, status);
	if (out)
		*out = j;
	else
		json_decref(j);
}

START_TEST(patch_start_time)
{
	make_contest("sch1", 3600, false, 3600, 0);
	char t[40], body[256];
	time_text(t, sizeof t, now_ms() + 7200000);
	snprintf(body, sizeof body, "{\"id\": \"sch1\", \"start_time\": \"%s\"}", t);
	json_t *c;
	patch("sch1", body, ADMIN, 200, &c);
	ck_assert_str_eq(str(c, "start_time"), t);
	json_decref(c);
	/* the native API sees the same start */
	json_t *list = expect("GET", "/api/clics/contests/sch1", ANON, NULL, 200);
	ck_assert_str_eq(str(list, "start_time"), t);
	json_decref(list);
	/* who and what */
	patch("sch1", body, ANON, 401, NULL);
	patch("sch1", body, ONE, 403, NULL);
	patch("sch1", body, JUDY, 403, NULL);
	snprintf(body, sizeof body, "{\"id\": \"other\", \"start_time\": \"%s\"}", t);
	patch("sch1", body, ADMIN, 409, NULL);
	snprintf(body, sizeof body, "{\"start_time\": \"%s\"}", t);
	patch("sch1", body, ADMIN, 400, NULL);
	patch("sch1", "{\"id\": \"sch1\"}", ADMIN, 400, NULL);
	patch("sch1", "{\"id\": \"sch1\", \"name\": \"New\"}", ADMIN, 400, NULL);
	patch("sch1", "{\"id\": \"sch1\", \"start_time\": \"soon\"}", ADMIN, 400, NULL);
	patch("nosuch", "{\"id\": \"nosuch\", \"start_time\": null}", ADMIN, 404, NULL);
	/* a new start in the past or within 30 s */
	time_text(t, sizeof t, now_ms() - 60000);
	snprintf(body, sizeof body, "{\"id\": \"sch1\", \"start_time\": \"%s\"}", t);
	patch("sch1", body, ADMIN, 403, NULL);
	time_text(t, sizeof t, now_ms() + 10000);
	snprintf(body, sizeof body, "{\"id\": \"sch1\", \"start_time\": \"%s\"}", t);
	patch("sch1", body, ADMIN, 403, NULL);
	/* null pauses the countdown, a time resumes it */
	patch("sch1", "{\"id\": \"sch1\", \"start_time\": null}", ADMIN, 200, &c);
	ck_assert(json_is_null(json_object_get(c, "start_time")));
	ck_assert(json_is_string(json_object_get(c, "countdown_pause_time")));
	json_decref(c);
	patch("sch1", "{\"id\": \"sch1\", \"start_time\": null}", ADMIN, 200, NULL); /* already paused */
	time_text(t, sizeof t, now_ms() + 600000);
	snprintf(body, sizeof body, "{\"id\": \"sch1\", \"start_time\": \"%s\", \"countdown_pause_time\": null}", t);
	patch("sch1", body, ADMIN, 200, &c);
	ck_assert_str_eq(str(c, "start_time"), t);
	ck_assert_ptr_null(json_object_get(c, "countdown_pause_time")); /* absent: null */
	json_decref(c);
	/* less than 30 s before the start, and once started: fixed */
	make_contest("soon1", 5, false, 3600, 0);
	make_contest("gone1", -60, false, 3600, 0);
	time_text(t, sizeof t, now_ms() + 7200000);
	snprintf(body, sizeof body, "{\"id\": \"soon1\", \"start_time\": \"%s\"}", t);
	patch("soon1", body, ADMIN, 403, NULL);
	patch("soon1", "{\"id\": \"soon1\", \"start_time\": null}", ADMIN, 403, NULL);
	snprintf(body, sizeof body, "{\"id\": \"gone1\", \"start_time\": \"%s\"}", t);
	patch("gone1", body, ADMIN, 403, NULL);
	patch("gone1", "{\"id\": \"gone1\", \"start_time\": null}", ADMIN, 403, NULL);
}
END_TEST

START_TEST(patch_thaw_time)
{
	/* ended 1 h ago, frozen for its last 30 min */
	long long contest = make_contest("thaw1", -7200, false, 3600, 1800);
	make_contest("thaw2", -60, false, 3600, 1800);
	make_contest("thaw3", -7200, false, 3600, 0);
	char t[40], body[256], path[128];
	/* before the end, or with no freeze: refused */
	time_text(t, sizeof t, now_ms() + 60000);
	snprintf(body, sizeof body, "{\"id\": \"thaw2\", \"scoreboard_thaw_time\": \"%s\"}", t);
	patch("thaw2", body, ADMIN, 403, NULL);
	snprintf(body, sizeof body, "{\"id\": \"thaw3\", \"scoreboard_thaw_time\": \"%s\"}", t);
	patch("thaw3", body, ADMIN, 403, NULL);
	patch("thaw1", "{\"id\": \"thaw1\", \"scoreboard_thaw_time\": null}", ADMIN, 400, NULL);
	snprintf(body, sizeof body, "{\"id\": \"thaw1\", \"scoreboard_thaw_time\": \"%s\"}", t);
	patch("thaw1", body, JUDY, 403, NULL);
	patch("thaw1", body, ONE, 403, NULL);
	/* later: 204, and the contest says when */
	time_text(t, sizeof t, now_ms() + 3600000);
	snprintf(body, sizeof body, "{\"id\": \"thaw1\", \"scoreboard_thaw_time\": \"%s\"}", t);
	patch("thaw1", body, ADMIN, 204, NULL);
	json_t *c = expect("GET", "/api/clics/contests/thaw1", ANON, NULL, 200);
	ck_assert_str_eq(str(c, "scoreboard_thaw_time"), t);
	json_decref(c);
	c = expect("GET", "/api/clics/contests/thaw1/state", ANON, NULL, 200);
	ck_assert(json_is_null(json_object_get(c, "thawed")));
	json_decref(c);
	/* a past time (after the end): thawed now, 200 with the contest */
	time_text(t, sizeof t, now_ms() - 60000);
	snprintf(body, sizeof body, "{\"id\": \"thaw1\", \"scoreboard_thaw_time\": \"%s\"}", t);
	patch("thaw1", body, ADMIN, 200, &c);
	ck_assert(strcmp(str(c, "scoreboard_thaw_time"), t) > 0); /* the server's now, not the time sent */
	json_decref(c);
	c = expect("GET", "/api/clics/contests/thaw1/state", ANON, NULL, 200);
	ck_assert(json_is_string(json_object_get(c, "thawed")));
	json_decref(c);
	/* the native API sees it thawed too */
	snprintf(path, sizeof path, "/api/contests/%lld", contest);
	c = expect("GET", path, ANON, NULL, 200);
	ck_assert_str_eq(str(c, "state"), "thawed");
	json_decref(c);
	/* already thawed */
	patch("thaw1", body, ADMIN, 403, NULL);
	/* a thaw time that comes while the server runs: the state turns thawed then */
	make_contest("thaw4", -7200, false, 3600, 1800);
	time_text(t, sizeof t, now_ms() + 1500);
	snprintf(body, sizeof body, "{\"id\": \"thaw4\", \"scoreboard_thaw_time\": \"%s\"}", t);
	patch("thaw4", body, ADMIN, 204, NULL);
	bool thawed = false;
	for (long long deadline = now_ms() + 30000; !thawed && now_ms() < deadline; sleep_ms(100)) {
		c = expect("GET", "/api/clics/contests/thaw4/state", ANON, NULL, 200);
		thawed = json_is_string(json_object_get(c, "thawed"));
		json_decref(c);
	}
	ck_assert_msg(thawed, "contest thaw4 not thawed 30 s after its thaw time");
}
END_TEST

/* ---- access ---- */

static void expect_capabilities(const char *who_name, struct who w, const char *want)
{
	json_t *a = expect("GET", "/api/clics/contests/acc1/access", w, NULL, 200);
	json_t *caps = json_object_get(a, "capabilities");
	char got[256] = "";
	size_t i;
	json_t *v;
	json_array_foreach(caps, i, v) {
		strcat(got, i ? "," : "");
		strcat(got, json_string_value(v));
	}
	ck_assert_msg(strcmp(got, want) == 0, "%s: capabilities %s, want %s", who_name, got, want);
	json_decref(a);
}

START_TEST(access_capabilities)
{
	make_contest("acc1", -60, false, 3600, 0);
	expect_capabilities("public", ANON, "");
	expect_capabilities("loner", LONER, "");
	expect_capabilities("team", ONE, "team_submit,team_clar");
	expect_capabilities("jury", JUDY, "proxy_submit,proxy_clar,admin_clar");
	expect_capabilities("admin", ADMIN, "contest_start,contest_thaw,admin_submit,proxy_submit,proxy_clar,admin_clar");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("clics-writes");
	TCase *tc = tcase_create("writes");
	tcase_add_unchecked_fixture(tc, start, stop);
	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, team_submits_and_it_is_judged);
	tcase_add_test(tc, team_submission_refusals);
	tcase_add_test(tc, team_submits_several_files);
	tcase_add_test(tc, admin_submits_for_a_team);
	tcase_add_test(tc, put_keeps_the_id);
	tcase_add_test(tc, clarifications_reach_their_audience);
	tcase_add_test(tc, clarification_refusals);
	tcase_add_test(tc, patch_start_time);
	tcase_add_test(tc, patch_thaw_time);
	tcase_add_test(tc, access_capabilities);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
