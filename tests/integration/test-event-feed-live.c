/* Integration tests for the live CLICS event feed over real HTTP
 * (GET /api/clics/contests/{key}/event-feed, streamed): a reader connected
 * before a change gets its line on the same connection (a clarification, a
 * judged submission), as do 50 readers at once; a silent feed gets a newline
 * after --clics-keepalive; a reader that went away, or whose server
 * restarted, resumes with the last token it saw and misses nothing (what it
 * holds equals the REST answers); the finalize sends the end_of_updates
 * state line last and ends the answer; a server stopped with feeds open
 * exits cleanly. One server for the file (the keep-alive 1 s: readers skip
 * blank lines) and the tests in order on it; those that stop a server start
 * their own. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"
#include "http_lines.h"
#include "ws_helpers.h"
#include "../unit/zipbuild.h"

#define FEED "/api/clics/contests/live1/event-feed"
#define LINE_WAIT_MS 60000

static struct server srv;
static struct server *S = &srv; /* the server the helpers talk to */
static const char *const server_args[] = {"--clics-keepalive", "1", NULL};
static long long problem, contest;
static char team_token[64];

/* What a reader holds: every object's last data by "type/id" (json null once
   gone), and the last token it saw. */
struct feed_state {
	json_t *objects;
	char token[32];
	int lines, blanks;
};

static void state_init(struct feed_state *st)
{
	memset(st, 0, sizeof *st);
	st->objects = json_object();
}

static void state_release(struct feed_state *st)
{
	json_decref(st->objects);
}

/* Applies one line; returns it parsed (decref), or NULL for a blank line. */
static json_t *apply(struct feed_state *st, const char *line)
{
	if (!*line) {
		st->blanks++;
		return NULL;
	}
	json_error_t e;
	json_t *n = json_loads(line, 0, &e);
	ck_assert_msg(json_is_object(n), "not a JSON object: %s (%s)", line, e.text);
	const char *type = json_string_value(json_object_get(n, "type"));
	ck_assert_msg(type, "no type: %s", line);
	json_t *id = json_object_get(n, "id");
	char key[160];
	snprintf(key, sizeof key, "%s/%s", type, json_is_string(id) ? json_string_value(id) : "");
	json_object_set(st->objects, key, json_object_get(n, "data"));
	const char *token = json_string_value(json_object_get(n, "token"));
	if (token)
		snprintf(st->token, sizeof st->token, "%s", token);
	st->lines++;
	return n;
}

/* Reads lines until one satisfies want (then returns it, decref), failing after LINE_WAIT_MS. */
static json_t *read_until(struct http_lines *l, struct feed_state *st, bool (*want)(json_t *n, const void *arg),
			  const void *arg, const char *what)
{
	for (int64_t until = mono_ms() + LINE_WAIT_MS;;) {
		int64_t left = until - mono_ms();
		ck_assert_msg(left > 0, "no %s within %d s (%d lines read)", what, LINE_WAIT_MS / 1000, st->lines);
		char *line = http_lines_next(l, (int)left);
		ck_assert_msg(line || !l->ended, "the feed ended before %s (%d lines read)", what, st->lines);
		if (!line)
			continue;
		json_t *n = apply(st, line);
		free(line);
		if (n && want(n, arg))
			return n;
		json_decref(n);
	}
}

/* Reads the rest of the answer, up to its end (failing after LINE_WAIT_MS); returns its last line (decref), or NULL. */
static json_t *read_to_end(struct http_lines *l, struct feed_state *st, const char *what)
{
	json_t *last = NULL;
	for (int64_t until = mono_ms() + LINE_WAIT_MS;;) {
		char *line = http_lines_next(l, 1000);
		if (!line && l->ended)
			return last;
		ck_assert_msg(mono_ms() < until, "%s did not end within %d s", what, LINE_WAIT_MS / 1000);
		json_t *n = line ? apply(st, line) : NULL;
		free(line);
		if (n) {
			json_decref(last);
			last = n;
		}
	}
}

static bool has_token(json_t *n, const void *arg)
{
	const char *t = json_string_value(json_object_get(n, "token"));
	return t && strcmp(t, arg) == 0;
}

/* The object (type, id; NULL: a singleton's null id) with data (not null). */
struct want_object {
	const char *type;
	const char *id;
};

static bool is_object(json_t *n, const void *arg)
{
	const struct want_object *w = arg;
	json_t *id = json_object_get(n, "id");
	return strcmp(json_string_value(json_object_get(n, "type")), w->type) == 0 &&
	       (w->id ? json_is_string(id) && strcmp(json_string_value(id), w->id) == 0 : json_is_null(id)) &&
	       !json_is_null(json_object_get(n, "data"));
}

static bool is_judgement_of(json_t *n, const void *arg)
{
	json_t *d = json_object_get(n, "data");
	return strcmp(json_string_value(json_object_get(n, "type")), "judgements") == 0 &&
	       json_is_string(json_object_get(d, "submission_id")) &&
	       strcmp(json_string_value(json_object_get(d, "submission_id")), arg) == 0 &&
	       json_is_string(json_object_get(d, "judgement_type_id"));
}

/* The last token of what the feed has now (?stream=false). */
static void token_now(const char *path_fmt, char *out, size_t size)
{
	char path[256];
	snprintf(path, sizeof path, "%s%sstream=false", path_fmt, strchr(path_fmt, '?') ? "&" : "?");
	struct response r;
	http_request(&r, S, "GET", path, S->admin_token, NULL, NULL, 0, NULL);
	ck_assert_msg(r.status == 200, "GET %s: %ld %s", path, r.status, r.body);
	out[0] = '\0';
	for (char *p = r.body; p && *p;) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		json_t *n = *p ? json_loads(p, 0, NULL) : NULL;
		const char *t = json_string_value(json_object_get(n, "token"));
		if (t)
			snprintf(out, size, "%s", t);
		json_decref(n);
		p = nl ? nl + 1 : NULL;
	}
	response_free(&r);
	ck_assert_msg(*out, "GET %s: no token", path);
}

/* Opens the streamed feed as admin (after since, unless NULL) and reads it up to the feed's current token. */
static void open_caught_up(struct http_lines *l, struct feed_state *st, const char *since)
{
	char path[256], now[32];
	snprintf(path, sizeof path, FEED "%s%s", since ? "?since_token=" : "", since ? since : "");
	token_now(FEED, now, sizeof now);
	ck_assert_int_eq(http_lines_open(l, S, path, S->admin_token, NULL), 200);
	ck_assert(l->chunked);
	if (since && strcmp(since, now) == 0)
		return;
	json_decref(read_until(l, st, has_token, now, "the current token"));
}

static long long clarify(const char *token, const char *text)
{
	char path[128], body[256];
	snprintf(path, sizeof path, "/api/contests/%lld/clarifications", contest);
	snprintf(body, sizeof body, "{\"text\": \"%s\"}", text);
	struct response r;
	http_json_request(&r, S, "POST", path, token, body);
	ck_assert_msg(r.status == 201, "clarification: %ld %s", r.status, r.body);
	long long id = json_integer_value(json_object_get(r.json, "id"));
	response_free(&r);
	return id;
}

static long long submit(void)
{
	char path[128], body[512];
	snprintf(path, sizeof path, "/api/contests/%lld/problems/A/submissions", contest);
	snprintf(body, sizeof body, "{\"language\": \"c\", \"source\": \"%s\"}", WSH_SOURCE);
	struct response r;
	http_json_request(&r, S, "POST", path, team_token, body);
	ck_assert_msg(r.status == 201, "submit: %ld %s", r.status, r.body);
	long long id = json_integer_value(json_object_get(r.json, "id"));
	response_free(&r);
	return id;
}

static const char *id_str(long long id)
{
	static char bufs[4][24];
	static int i;
	char *b = bufs[i++ % 4];
	snprintf(b, sizeof bufs[0], "%lld", id);
	return b;
}

/* What st holds of `type` equals GET .../live1/<type> as admin: the same ids, the same data. */
static void expect_same_as_rest(const struct feed_state *st, const char *type)
{
	char path[128];
	snprintf(path, sizeof path, "/api/clics/contests/live1/%s", type);
	json_t *list = get_json(S, S->admin_token, path);
	ck_assert_msg(json_is_array(list), "GET %s", path);
	size_t i, held = 0;
	json_t *o;
	json_array_foreach(list, i, o) {
		char key[160];
		snprintf(key, sizeof key, "%s/%s", type, json_string_value(json_object_get(o, "id")));
		json_t *mine = json_object_get(st->objects, key);
		char *want = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT);
		char *got = mine ? json_dumps(mine, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
		ck_assert_msg(mine && json_equal(mine, o), "%s: the feed holds %s, REST says %s", key,
			      got ? got : "nothing", want);
		free(want);
		free(got);
	}
	const char *k;
	json_object_foreach(st->objects, k, o)
		if (strncmp(k, type, strlen(type)) == 0 && k[strlen(type)] == '/' && !json_is_null(o))
			held++;
	ck_assert_msg(held == json_array_size(list), "%s: the feed holds %zu, REST lists %zu", type, held,
		      json_array_size(list));
	json_decref(list);
}

static void expect_all_same_as_rest(const struct feed_state *st)
{
	const char *types[] = {"problems", "teams", "clarifications", "submissions", "judgements", "runs", "awards"};
	for (size_t i = 0; i < sizeof types / sizeof *types; i++)
		expect_same_as_rest(st, types[i]);
	const char *singletons[] = {"contest", "state"};
	for (size_t i = 0; i < sizeof singletons / sizeof *singletons; i++) {
		char path[128], key[64];
		snprintf(path, sizeof path, "/api/clics/contests/live1%s%s", i ? "/" : "", i ? singletons[i] : "");
		snprintf(key, sizeof key, "%s/", singletons[i]);
		json_t *rest = get_json(S, S->admin_token, path);
		ck_assert_msg(json_equal(json_object_get(st->objects, key), rest), "%s: the feed and REST differ", key);
		json_decref(rest);
	}
}

/* The contest live1 (started) with the team z1 (account t_one) on S. */
static void build(void)
{
	problem = wsh_problem(S, "sum");
	char body[512];
	snprintf(body, sizeof body,
		 "{\"shortname\": \"live1\", \"name\": \"Live\", \"start_time\": null, \"duration_s\": 36000,"
		 " \"freeze_s\": 0, \"public\": true, \"problems\": [{\"problem_id\": %lld, \"label\": \"A\"}]}",
		 problem);
	json_t *c = http_call(S, "POST", S->admin_token, 201, body, "/api/contests");
	contest = json_integer_value(json_object_get(c, "id"));
	json_decref(c);
	struct zip z;
	zip_begin(&z);
	zip_file(&z, "teams.json", "[{\"id\": \"z1\", \"label\": \"101\", \"name\": \"Zeta\"}]");
	zip_file(&z, "accounts.yaml", "- username: t_one\n  password: t-one-pass\n  type: team\n  team_id: z1\n");
	zip_end(&z);
	char path[128];
	snprintf(path, sizeof path, "/api/contests/%lld/teams/import", contest);
	struct response r;
	http_request(&r, S, "POST", path, S->admin_token, "application/zip", z.out.data, z.out.len, NULL);
	zip_release(&z);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	response_free(&r);
	ck_assert_int_eq(test_login(S, "t_one", "t-one-pass", team_token, sizeof team_token), 200);
	wsh_post(S, S->admin_token, 200, "/api/contests/%lld/start", contest);
}

static void start(void)
{
	server_start(S, server_args);
	build();
}

static void stop(void)
{
	server_finish(&srv);
}

START_TEST(a_connected_reader_gets_each_change)
{
	struct http_lines l;
	struct feed_state st;
	state_init(&st);
	open_caught_up(&l, &st, NULL);
	ck_assert_ptr_nonnull(strcasestr(l.headers, "Content-Type: application/x-ndjson"));

	long long q = clarify(S->admin_token, "Live one.");
	json_decref(read_until(&l, &st, is_object, &(struct want_object){"clarifications", id_str(q)},
			       "the clarification's line"));
	long long sub = submit();
	json_t *j = read_until(&l, &st, is_judgement_of, id_str(sub), "the submission's judgement");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "data"), "judgement_type_id")), "AC");
	json_decref(j);
	ck_assert(!l.ended);
	http_lines_close(&l);
	state_release(&st);
}
END_TEST

START_TEST(fifty_readers_all_get_a_change)
{
	enum { READERS = 50 };
	static struct http_lines l[READERS];
	static struct feed_state st[READERS];
	char now[32];
	token_now(FEED, now, sizeof now);
	for (int i = 0; i < READERS; i++) {
		state_init(&st[i]);
		/* from the current token: only what comes next */
		char path[128];
		snprintf(path, sizeof path, FEED "?since_token=%s", now);
		ck_assert_int_eq(http_lines_open(&l[i], S, path, S->admin_token, NULL), 200);
	}
	long long q = clarify(S->admin_token, "To all fifty.");
	for (int i = 0; i < READERS; i++) {
		json_decref(read_until(&l[i], &st[i], is_object, &(struct want_object){"clarifications", id_str(q)},
				       "the clarification's line"));
		http_lines_close(&l[i]);
		state_release(&st[i]);
	}
}
END_TEST

START_TEST(a_silent_feed_gets_a_newline)
{
	struct http_lines l;
	struct feed_state st;
	state_init(&st);
	open_caught_up(&l, &st, NULL);
	int lines = st.lines;
	for (int64_t until = mono_ms() + LINE_WAIT_MS; st.blanks < 2;) {
		ck_assert_msg(mono_ms() < until, "no keep-alive newline within %d s", LINE_WAIT_MS / 1000);
		char *line = http_lines_next(&l, 1000);
		ck_assert(!l.ended);
		if (line)
			json_decref(apply(&st, line));
		free(line);
	}
	ck_assert_int_eq(st.lines, lines); /* nothing else came */
	http_lines_close(&l);
	state_release(&st);
}
END_TEST

START_TEST(a_reader_that_went_away_resumes_without_loss)
{
	struct http_lines l;
	struct feed_state st;
	state_init(&st);
	open_caught_up(&l, &st, NULL);
	long long q = clarify(team_token, "Before the drop.");
	json_decref(read_until(&l, &st, is_object, &(struct want_object){"clarifications", id_str(q)}, "the request"));
	long long sub = submit();
	http_lines_close(&l); /* mid-contest, the submission perhaps still being judged */
	/* The server finds out at the next keep-alive at the latest, and lets the stream go (the
	   earlier tests' streams too: none is left open). */
	for (int64_t until = mono_ms() + LINE_WAIT_MS;
	     test_log_count(S, "stream begins") > test_log_count(S, "(stream aborted)");)
		ck_assert_msg(mono_ms() < until, "the server did not notice the reader going away"), sleep_ms(50);
	clarify(S->admin_token, "While away.");
	ck_assert(wait_done(S, &sub, 1, 120));
	long long sub2 = submit();
	ck_assert(wait_done(S, &sub2, 1, 120));
	clarify(S->admin_token, "Still away.");
	char last[32];
	snprintf(last, sizeof last, "%s", st.token);
	ck_assert(*last);
	open_caught_up(&l, &st, last);
	expect_all_same_as_rest(&st);
	http_lines_close(&l);
	state_release(&st);
}
END_TEST

START_TEST(the_finalize_sends_end_of_updates_last_and_ends)
{
	char start_at[32];
	time_t t = time(NULL) - 120;
	strftime(start_at, sizeof start_at, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	char body[512];
	snprintf(body, sizeof body,
		 "{\"shortname\": \"fin1\", \"name\": \"Over\", \"start_time\": \"%s\", \"duration_s\": 60,"
		 " \"freeze_s\": 0, \"public\": true, \"problems\": [{\"problem_id\": %lld, \"label\": \"A\"}]}",
		 start_at, problem);
	json_t *c = http_call(S, "POST", S->admin_token, 201, body, "/api/contests");
	long long fin = json_integer_value(json_object_get(c, "id"));
	json_decref(c);
	struct http_lines l;
	struct feed_state st;
	state_init(&st);
	ck_assert_int_eq(http_lines_open(&l, S, "/api/clics/contests/fin1/event-feed", S->admin_token, NULL), 200);
	json_decref(read_until(&l, &st, is_object, &(struct want_object){"contest", NULL}, "the contest"));
	wsh_post(S, S->admin_token, 200, "/api/contests/%lld/finalize", fin);
	json_t *last = read_to_end(&l, &st, "the feed");
	ck_assert_ptr_nonnull(last);
	ck_assert_str_eq(json_string_value(json_object_get(last, "type")), "state");
	json_t *d = json_object_get(last, "data");
	ck_assert(json_is_string(json_object_get(d, "end_of_updates")));
	ck_assert(json_is_string(json_object_get(d, "finalized")));
	json_decref(last);
	http_lines_close(&l);
	state_release(&st);
}
END_TEST

/* Its own server: one started by the file's fixture is not this process's child to wait for. */
START_TEST(a_restart_then_resume_loses_nothing)
{
	static struct server own;
	S = &own;
	server_start(S, server_args);
	build();
	struct http_lines l;
	struct feed_state st;
	state_init(&st);
	open_caught_up(&l, &st, NULL);
	clarify(S->admin_token, "Before the restart.");
	long long sub = submit();
	ck_assert(wait_done(S, &sub, 1, 120));
	ck_assert_int_eq(server_stop(S), 0);
	/* The stream ends with the server: read what came before. */
	json_decref(read_to_end(&l, &st, "the feed of a stopped server"));
	http_lines_close(&l);
	server_restart(S, server_args);
	clarify(S->admin_token, "After the restart.");
	long long sub2 = submit();
	ck_assert(wait_done(S, &sub2, 1, 120));
	char last[32];
	snprintf(last, sizeof last, "%s", st.token);
	open_caught_up(&l, &st, last);
	expect_all_same_as_rest(&st);
	http_lines_close(&l);
	state_release(&st);
	server_finish(S);
}
END_TEST

/* Its own server: stopped with five feeds waiting and one being read. */
START_TEST(a_server_with_open_feeds_stops_cleanly)
{
	struct server s2;
	server_start(&s2, NULL);
	long long p = wsh_problem(&s2, "sum");
	char body[256];
	snprintf(body, sizeof body,
		 "{\"shortname\": \"open1\", \"name\": \"Open\", \"start_time\": null, \"duration_s\": 3600,"
		 " \"public\": true, \"problems\": [{\"problem_id\": %lld, \"label\": \"A\"}]}", p);
	json_decref(http_call(&s2, "POST", s2.admin_token, 201, body, "/api/contests"));
	struct http_lines l[6];
	for (int i = 0; i < 6; i++)
		ck_assert_int_eq(http_lines_open(&l[i], &s2, "/api/clics/contests/open1/event-feed", NULL, NULL), 200);
	for (int i = 0; i < 5; i++) {
		char *line = http_lines_next(&l[i], LINE_WAIT_MS);
		ck_assert_ptr_nonnull(line);
		free(line);
	}
	server_finish(&s2); /* exits 0 (no abort on a suspended connection, no sanitizer report) */
	for (int i = 0; i < 6; i++) {
		struct feed_state st;
		state_init(&st);
		json_decref(read_to_end(&l[i], &st, "a feed of a stopped server"));
		http_lines_close(&l[i]);
		state_release(&st);
	}
}
END_TEST

START_TEST(bad_stream_argument)
{
	struct response r;
	http_request(&r, S, "GET", FEED "?stream=maybe", S->admin_token, NULL, NULL, 0, NULL);
	ck_assert_int_eq(r.status, 400);
	response_free(&r);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("event-feed-live");
	TCase *tc = tcase_create("event-feed-live");
	tcase_add_unchecked_fixture(tc, start, stop);
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, a_connected_reader_gets_each_change);
	tcase_add_test(tc, fifty_readers_all_get_a_change);
	tcase_add_test(tc, a_silent_feed_gets_a_newline);
	tcase_add_test(tc, a_reader_that_went_away_resumes_without_loss);
	tcase_add_test(tc, the_finalize_sends_end_of_updates_last_and_ends);
	tcase_add_test(tc, bad_stream_argument);
	tcase_add_test(tc, a_server_with_open_feeds_stops_cleanly);
	tcase_add_test(tc, a_restart_then_resume_loses_nothing);
	suite_add_tcase(suite, tc);
	return test_run_suite(suite);
}
