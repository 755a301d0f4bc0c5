/* The CLICS event feed on a WebSocket: what clics_feed_next costs the
 * WebSocket service thread (the one thread that writes every socket), read
 * from the server's own counters in /metrics (verdict_ws_events_*: lines,
 * batches and microseconds spent in clics_feed_next).
 *
 * A public ICPC contest of 30 teams, SUBMISSIONS (default 150) really judged
 * submissions (AC and WA in turn, 3 tests each), then:
 *   - catch-up: a reader from the beginning of time, as the jury and as the
 *     public, to the end of the HTTP feed's lines: microseconds per line and
 *     per batch (a batch is one WRITEABLE callback's clics_feed_next, 8 KiB);
 *   - live: a jury and a public reader caught up, then LIVE (default 30) new
 *     submissions, one at a time, each waited for on both sockets (its
 *     judgement with a verdict): microseconds per change of the log (a
 *     change is one seq: the submission, its judging, each test) per reader.
 *
 * Usage: ws-events-bench [SUBMISSIONS [LIVE]]. Asserts nothing about speed. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "common.h"
#include "util.h"
#include "ws_client.h"
#include "../integration/ws_helpers.h"
#include "../unit/zipbuild.h"

#define TEAMS 30
#define KEY "bench"
#define WA_SOURCE "#include <stdio.h>\\nint main(void){printf(\\\"0\\\\n\\\");return 0;}\\n"

static struct server srv;
static long long contest;
static char tokens[TEAMS][64];
static long submissions_n = 150;
static int live_n = 30;

struct counters {
	double lines, us, batches;
};

static void read_counters(struct counters *c)
{
	c->lines = test_metric(&srv, "verdict_ws_events_lines_total");
	c->us = test_metric(&srv, "verdict_ws_events_feed_microseconds_total");
	c->batches = test_metric(&srv, "verdict_ws_events_feed_batches_total");
}

static void setup(void)
{
	server_start(&srv, NULL);
	long long problem = wsh_problem(&srv, "sum");
	char body[512];
	snprintf(body, sizeof body,
		 "{\"shortname\": \"" KEY "\", \"name\": \"Bench\", \"start_time\": null, \"duration_s\": 18000,"
		 " \"freeze_s\": 3600, \"public\": true,"
		 " \"problems\": [{\"problem_id\": %lld, \"label\": \"A\", \"color\": \"#e53935\"}]}",
		 problem);
	json_t *c = http_call(&srv, "POST", srv.admin_token, 201, body, "/api/contests");
	contest = json_integer_value(json_object_get(c, "id"));
	json_decref(c);
	struct buf teams, accounts;
	buf_init(&teams);
	buf_init(&accounts);
	buf_adds(&teams, "[");
	for (int i = 0; i < TEAMS; i++) {
		buf_printf(&teams, "%s{\"id\": \"t%02d\", \"name\": \"Team %02d\", \"group_ids\": [\"all\"]}", i ? ", " : "",
			   i + 1, i + 1);
		buf_printf(&accounts, "- username: u%02d\n  password: password-%02d\n  type: team\n  team_id: t%02d\n", i + 1,
			   i + 1, i + 1);
	}
	buf_adds(&teams, "]");
	buf_add(&teams, "", 1);
	buf_add(&accounts, "", 1);
	struct zip z;
	zip_begin(&z);
	zip_file(&z, "groups.json", "[{\"id\": \"all\", \"name\": \"All\"}]");
	zip_file(&z, "teams.json", teams.data);
	zip_file(&z, "accounts.yaml", accounts.data);
	zip_end(&z);
	buf_release(&teams);
	buf_release(&accounts);
	char path[128];
	snprintf(path, sizeof path, "/api/contests/%lld/teams/import", contest);
	struct response r;
	http_request(&r, &srv, "POST", path, srv.admin_token, "application/zip", z.out.data, z.out.len, NULL);
	zip_release(&z);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	response_free(&r);
	wsh_post(&srv, srv.admin_token, 200, "/api/contests/%lld/start", contest);
	for (int i = 0; i < TEAMS; i++) {
		char user[16], password[16];
		snprintf(user, sizeof user, "u%02d", i + 1);
		snprintf(password, sizeof password, "password-%02d", i + 1);
		ck_assert_int_eq(test_login(&srv, user, password, tokens[i], sizeof tokens[i]), 200);
	}
}

static long long submit(int team, bool ac)
{
	char path[128], body[512];
	snprintf(path, sizeof path, "/api/contests/%lld/problems/A/submissions", contest);
	snprintf(body, sizeof body, "{\"language\": \"c\", \"source\": \"%s\"}", ac ? WSH_SOURCE : WA_SOURCE);
	struct response r;
	http_json_request(&r, &srv, "POST", path, tokens[team], body);
	ck_assert_msg(r.status == 201, "submit: %ld %s", r.status, r.body);
	long long id = json_integer_value(json_object_get(r.json, "id"));
	response_free(&r);
	return id;
}

static size_t http_line_count(const char *token)
{
	struct response r;
	http_request(&r, &srv, "GET", "/api/clics/contests/" KEY "/event-feed?stream=false", token, NULL, NULL, 0, NULL);
	ck_assert_msg(r.status == 200, "event-feed: %ld %s", r.status, r.body);
	size_t n = 0;
	for (size_t i = 0; i < r.body_len; i++)
		n += r.body[i] == '\n' && (i == 0 || r.body[i - 1] != '\n');
	response_free(&r);
	return n;
}

static struct ws_client *open_feed(const char *token)
{
	char cookie[128];
	snprintf(cookie, sizeof cookie, "verdict_session=%s", token ? token : "");
	struct ws_client_opts o = {.cookie = token ? cookie : NULL};
	return wsh_open(&srv, &o, "/ws/contests/" KEY "/events/");
}

/* Reads n messages; the token of the last that had one goes to *token. */
static void take(struct ws_client *c, size_t n, long long *token)
{
	for (size_t i = 0; i < n; i++) {
		json_t *m = ws_client_recv_json(c, 60000);
		ck_assert_msg(m != NULL, "message %zu of %zu did not come (log %s)", i, n, srv.log);
		const char *t = json_string_value(json_object_get(m, "token"));
		if (t && token)
			*token = atoll(t);
		json_decref(m);
	}
}

/* Reads until the judgement of submission id has a verdict; the last token seen goes to *token. */
static void until_judged(struct ws_client *c, long long id, long long *token)
{
	char sid[24];
	snprintf(sid, sizeof sid, "%lld", id);
	for (;;) {
		json_t *m = ws_client_recv_json(c, 60000);
		ck_assert_msg(m != NULL, "the judgement of %lld did not come (log %s)", id, srv.log);
		const char *t = json_string_value(json_object_get(m, "token"));
		if (t)
			*token = atoll(t);
		json_t *data = json_object_get(m, "data");
		const char *sub = json_string_value(json_object_get(data, "submission_id"));
		bool done = strcmp(json_string_value(json_object_get(m, "type")), "judgements") == 0 && sub &&
			    strcmp(sub, sid) == 0 && json_is_string(json_object_get(data, "judgement_type_id"));
		json_decref(m);
		if (done)
			return;
	}
}

static void catch_up(const char *who, const char *token)
{
	size_t n = http_line_count(token);
	struct counters a, b;
	read_counters(&a);
	int64_t t0 = mono_us();
	struct ws_client *c = open_feed(token);
	take(c, n, NULL);
	int64_t wall = mono_us() - t0;
	read_counters(&b);
	double lines = b.lines - a.lines, batches = b.batches - a.batches, us = b.us - a.us;
	printf("catch-up %-6s: %zu lines in %.0f batches; clics_feed_next %.0f us in all: %.1f us/line, %.0f us/batch;"
	       " %.1f ms to receive it all\n",
	       who, n, batches, us, lines ? us / lines : 0, batches ? us / batches : 0, (double)wall / 1000);
	ws_client_free(c);
}

START_TEST(feed_cost)
{
	setup();
	long long *ids = calloc((size_t)submissions_n, sizeof *ids);
	ck_assert_ptr_nonnull(ids);
	for (long i = 0; i < submissions_n; i++)
		ids[i] = submit((int)(i % TEAMS), i % 3 == 0);
	ck_assert(wait_done(&srv, ids, (int)submissions_n, 1200));
	free(ids);
	printf("contest: %d teams, %ld judged submissions\n", TEAMS, submissions_n);
	catch_up("jury", srv.admin_token);
	catch_up("public", NULL);

	struct ws_client *jury = open_feed(srv.admin_token), *pub = open_feed(NULL);
	long long tj = 0, tp = 0;
	take(jury, http_line_count(srv.admin_token), &tj);
	take(pub, http_line_count(NULL), &tp);
	long long first = tj;
	struct counters a, b;
	read_counters(&a);
	for (int i = 0; i < live_n; i++) {
		long long id = submit(i % TEAMS, i % 2 == 0);
		until_judged(jury, id, &tj);
		until_judged(pub, id, &tp);
	}
	read_counters(&b);
	double changes = (double)(tj - first), us = b.us - a.us, batches = b.batches - a.batches;
	printf("live: %d submissions, %.0f changes of the log, 2 readers: %.0f batches, %.0f lines;"
	       " clics_feed_next %.0f us in all: %.0f us per change per reader, %.0f us/batch\n",
	       live_n, changes, batches, b.lines - a.lines, us, changes ? us / changes / 2 : 0,
	       batches ? us / batches : 0);
	ws_client_free(jury);
	ws_client_free(pub);
	server_finish(&srv);
}
END_TEST

int main(int argc, char **argv)
{
	if (argc > 1)
		submissions_n = atol(argv[1]);
	if (argc > 2)
		live_n = atoi(argv[2]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	Suite *suite = suite_create("ws-events-bench");
	TCase *tc = tcase_create("bench");
	tcase_set_timeout(tc, 3000);
	tcase_add_test(tc, feed_cost);
	suite_add_tcase(suite, tc);
	return test_run_suite(suite);
}
