/* The CLICS test contest: see clics_fixture.h. */
#include "clics_fixture.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "integration/ws_helpers.h"
#include "unit/zipbuild.h"

#define WA_SOURCE "#include <stdio.h>\\nint main(void){printf(\\\"0\\\\n\\\");return 0;}\\n"

void clics_basic_header(char *out, size_t size, const char *user, const char *password)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char plain[128];
	snprintf(plain, sizeof plain, "%s:%s", user, password);
	size_t n = strlen(plain), o = (size_t)snprintf(out, size, "Authorization: Basic ");
	for (size_t i = 0; i < n && o + 5 < size; i += 3) {
		unsigned v = (unsigned char)plain[i] << 16;
		if (i + 1 < n)
			v |= (unsigned char)plain[i + 1] << 8;
		if (i + 2 < n)
			v |= (unsigned char)plain[i + 2];
		out[o++] = b64[(v >> 18) & 63];
		out[o++] = b64[(v >> 12) & 63];
		out[o++] = i + 1 < n ? b64[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < n ? b64[v & 63] : '=';
	}
	out[o] = '\0';
}

json_t *clics_get(const struct server *s, const char *header, long expect, const char *fmt, ...)
{
	char path[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(path, sizeof path, fmt, ap);
	va_end(ap);
	struct response r;
	http_request(&r, s, "GET", path, NULL, NULL, NULL, 0, header ? (const char *const[]){header, NULL} : NULL);
	ck_assert_msg(r.status == expect, "GET %s: %ld (want %ld) %.300s", path, r.status, expect, r.body ? r.body : "");
	ck_assert_msg(r.json, "GET %s: no JSON: %.300s", path, r.body ? r.body : "");
	if (expect == 200) {
		char acao[64];
		ck_assert_msg(response_header(&r, "Access-Control-Allow-Origin", acao, sizeof acao) && strcmp(acao, "*") == 0,
			      "GET %s: no Access-Control-Allow-Origin: *", path);
	} else {
		const char *m = json_string_value(json_object_get(r.json, "message"));
		ck_assert_msg(json_is_object(r.json) && json_object_size(r.json) == 2 &&
				      json_integer_value(json_object_get(r.json, "code")) == expect && m && *m,
			      "GET %s: %ld is no CLICS error {\"code\", \"message\"}: %s", path, r.status, r.body);
	}
	json_t *j = json_incref(r.json);
	response_free(&r);
	return j;
}

const char *clics_id(long long id)
{
	static char out[8][24];
	static int k;
	k = (k + 1) % 8;
	snprintf(out[k], sizeof out[k], "%lld", id);
	return out[k];
}

const char *clics_phase_name(enum clics_phase p)
{
	static const char *const names[] = {"not started", "running", "frozen", "ended while frozen", "thawed",
					    "finalized"};
	return names[p];
}

/* A CLICS TIME ("2026-12-04T05:00:00.123Z", the milliseconds optional) in ms since the epoch; 0 for none. */
static int64_t parse_ms(const char *s)
{
	if (!s)
		return 0;
	struct tm tm = {0};
	int ms = 0;
	int n = sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d.%3d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
		       &tm.tm_sec, &ms);
	ck_assert_msg(n >= 6, "not a TIME: %s", s);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (int64_t)timegm(&tm) * 1000 + ms;
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The contest's start, freeze and end as the jury's CLICS API has them now (to the millisecond). */
static void read_times(struct clics_fixture *f)
{
	json_t *c = http_call(f->srv, "GET", f->srv->admin_token, 200, NULL, "/api/clics/contests/" CLICS_FIXTURE_KEY);
	json_t *st = http_call(f->srv, "GET", f->srv->admin_token, 200, NULL, CLICS_FIXTURE_BASE "state");
	f->start_ms = parse_ms(json_string_value(json_object_get(c, "start_time")));
	f->freeze_ms = parse_ms(json_string_value(json_object_get(st, "frozen")));
	f->end_ms = parse_ms(json_string_value(json_object_get(st, "ended")));
	json_decref(st);
	json_decref(c);
}

static void action(struct clics_fixture *f, const char *what)
{
	wsh_post(f->srv, f->srv->admin_token, 200, "/api/contests/%lld/%s", f->contest, what);
}

/* The contest as created, with these start (NULL: none), duration and freeze. */
static char *contest_body(const struct clics_fixture *f, const char *start, long long duration_s, long long freeze_s)
{
	json_t *b = json_pack("{s:s, s:s, s:s, s:o, s:I, s:I, s:b, s:[{s:I, s:s, s:s}]}", "shortname", CLICS_FIXTURE_KEY,
			      "name", "CLICS One", "formal_name", "The CLICS One", "start_time",
			      start ? json_string(start) : json_null(), "duration_s", (json_int_t)duration_s, "freeze_s",
			      (json_int_t)freeze_s, "public", 1, "problems", "problem_id", (json_int_t)f->problem, "label",
			      "A", "color", "#e53935");
	char *text = json_dumps(b, 0);
	json_decref(b);
	return text;
}

static long long submit(struct clics_fixture *f, const char *token, const char *source)
{
	char body[512];
	snprintf(body, sizeof body, "{\"language\": \"c\", \"source\": \"%s\"}", source);
	json_t *r = http_call(f->srv, "POST", token, 201, body, "/api/contests/%lld/problems/A/submissions", f->contest);
	long long id = json_integer_value(json_object_get(r, "id"));
	json_decref(r);
	f->last_submit_ms = now_ms();
	ck_assert_msg(wait_done(f->srv, &id, 1, 120), "submission %lld was not judged within 120 s", id);
	return id;
}

static long long clarify(struct clics_fixture *f, const char *token, const char *body)
{
	json_t *r = http_call(f->srv, "POST", token, 201, body, "/api/contests/%lld/clarifications", f->contest);
	long long id = json_integer_value(json_object_get(r, "id"));
	json_decref(r);
	return id;
}

static void import_teams(struct clics_fixture *f)
{
	struct zip z;
	zip_begin(&z);
	zip_file(&z, "organizations.json", "[{\"id\": \"kth\", \"name\": \"KTH\", \"country\": \"SWE\"}]");
	zip_file(&z, "groups.json", "[{\"id\": \"students\", \"name\": \"Students\"},"
				    " {\"id\": \"guests\", \"name\": \"Guests\", \"hidden\": true}]");
	zip_file(&z, "teams.json",
		 "[{\"id\": \"z1\", \"label\": \"101\", \"name\": \"Zeta\", \"organization_id\": \"kth\","
		 " \"group_ids\": [\"students\"]},"
		 " {\"id\": \"z2\", \"label\": \"102\", \"name\": \"Eta\", \"group_ids\": [\"students\"]},"
		 " {\"id\": \"z3\", \"label\": \"103\", \"name\": \"Ghost\", \"hidden\": true, \"group_ids\": [\"guests\"]}]");
	zip_file(&z, "accounts.yaml", "- username: t_one\n  password: t-one-pass\n  type: team\n  team_id: z1\n"
				      "- username: t_two\n  password: t-two-pass\n  type: team\n  team_id: z2\n"
				      "- username: t_three\n  password: t-three-pass\n  type: team\n  team_id: z3\n");
	zip_end(&z);
	char path[128];
	snprintf(path, sizeof path, "/api/contests/%lld/teams/import", f->contest);
	struct response r;
	http_request(&r, f->srv, "POST", path, f->srv->admin_token, "application/zip", z.out.data, z.out.len, NULL);
	zip_release(&z);
	ck_assert_msg(r.status == 200, "teams import: %ld %s", r.status, r.body);
	response_free(&r);
}

static void build_static(struct clics_fixture *f)
{
	struct server *s = f->srv;
	f->problem = wsh_problem(s, "sum");
	json_decref(http_call(s, "POST", s->admin_token, 201,
			      "{\"username\": \"judy\", \"password\": \"judy-password\", \"role\": \"jury\"}", "/api/users"));
	char *body = contest_body(f, NULL, 3600, 1800);
	json_t *r = http_call(s, "POST", s->admin_token, 201, body, "/api/contests");
	free(body);
	f->contest = json_integer_value(json_object_get(r, "id"));
	json_decref(r);
	import_teams(f);
	ck_assert_int_eq(test_login(s, "t_one", "t-one-pass", f->one_token, sizeof f->one_token), 200);
	ck_assert_int_eq(test_login(s, "t_two", "t-two-pass", f->two_token, sizeof f->two_token), 200);
	ck_assert_int_eq(test_login(s, "t_three", "t-three-pass", f->three_token, sizeof f->three_token), 200);
	ck_assert_int_eq(test_login(s, "judy", "judy-password", f->judy_token, sizeof f->judy_token), 200);
	clics_basic_header(f->basic_admin, sizeof f->basic_admin, "admin", CLICS_FIXTURE_ADMIN_PASSWORD);
	clics_basic_header(f->basic_one, sizeof f->basic_one, "t_one", "t-one-pass");
	clics_basic_header(f->basic_two, sizeof f->basic_two, "t_two", "t-two-pass");
	clics_basic_header(f->basic_three, sizeof f->basic_three, "t_three", "t-three-pass");
	clics_basic_header(f->basic_judy, sizeof f->basic_judy, "judy", "judy-password");
	clics_basic_header(f->basic_bad, sizeof f->basic_bad, "t_one", "not-the-password");
}

static void run(struct clics_fixture *f)
{
	action(f, "start");
	f->clar_question = clarify(f, f->one_token, "{\"problem\": \"A\", \"text\": \"Is n < 10?\"}");
	char body[128];
	snprintf(body, sizeof body, "{\"reply_to\": %lld, \"text\": \"Yes.\"}", f->clar_question);
	f->clar_reply = clarify(f, f->srv->admin_token, body);
	f->clar_all = clarify(f, f->srv->admin_token, "{\"text\": \"Lunch is served.\"}");
	f->sub_ac = submit(f, f->one_token, WSH_SOURCE);
	f->sub_wa = submit(f, f->two_token, WA_SOURCE);
	f->sub_hidden = submit(f, f->three_token, WA_SOURCE);
}

/* Cuts the duration so that the contest has ended a moment ago, and the
   freeze duration alike so the freeze stays where it was. */
static void end(struct clics_fixture *f)
{
	read_times(f);
	ck_assert(f->start_ms && f->freeze_ms);
	/* the end comes over a second after the last submission and the freeze (the durations are whole seconds) */
	while (now_ms() < f->last_submit_ms + 1100 || now_ms() < f->freeze_ms + 1100)
		sleep_ms(50);
	long long duration = (now_ms() - f->start_ms) / 1000;
	long long freeze = duration - (f->freeze_ms - f->start_ms) / 1000;
	char start[32];
	json_t *c = http_call(f->srv, "GET", f->srv->admin_token, 200, NULL, "/api/clics/contests/" CLICS_FIXTURE_KEY);
	snprintf(start, sizeof start, "%s", json_string_value(json_object_get(c, "start_time")));
	json_decref(c);
	char *body = contest_body(f, start, duration, freeze);
	json_decref(http_call(f->srv, "PUT", f->srv->admin_token, 200, body, "/api/contests/%lld", f->contest));
	free(body);
}

static void step(struct clics_fixture *f, enum clics_phase to)
{
	switch (to) {
	case CLICS_PHASE_NOT_STARTED:
		build_static(f);
		break;
	case CLICS_PHASE_RUNNING:
		run(f);
		break;
	case CLICS_PHASE_FROZEN:
		action(f, "freeze");
		f->sub_frozen = submit(f, f->two_token, WSH_SOURCE);
		break;
	case CLICS_PHASE_ENDED_FROZEN:
		end(f);
		break;
	case CLICS_PHASE_THAWED:
		action(f, "thaw");
		break;
	case CLICS_PHASE_FINALIZED:
		action(f, "finalize");
		break;
	}
	f->phase = to;
	read_times(f);
}

void clics_fixture_build(struct clics_fixture *f, struct server *s, enum clics_phase phase)
{
	memset(f, 0, sizeof *f);
	f->srv = s;
	step(f, CLICS_PHASE_NOT_STARTED);
	clics_fixture_advance(f, phase);
}

void clics_fixture_advance(struct clics_fixture *f, enum clics_phase phase)
{
	while (f->phase < phase)
		step(f, f->phase + 1);
}
