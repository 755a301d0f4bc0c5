/* CLICS event feed fan-out benchmark: N readers (default 100) of one
 * contest's streamed event feed (GET /api/clics/contests/{key}/event-feed
 * from the current token), then C changes (default 20) at 5 per second, each
 * a real clarification posted through REST (HTTP -> database commit ->
 * change hook -> clics_watch -> the suspended streams resumed -> feed read
 * -> chunk written).
 *
 * Reports the latency from just before each POST to the moment each reader
 * has the clarification's line (CLOCK_MONOTONIC; p50/p90/p99/max over all
 * N x C pairs), and lines missed. The readers are one thread polling plain
 * sockets (tests/http_lines.c); the main thread posts.
 *
 * Usage: feed-fanout-bench [N [C]]. */
#include <check.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "common.h"
#include "http_lines.h"

#define FEED "/api/clics/contests/bench1/event-feed"

static int g_argc;
static char **g_argv;

struct readers {
	int n, changes;
	struct http_lines *l;
	int64_t *got;        /* [change * n + reader]: mono_us() when the line came, 0: not yet */
	atomic_int pending;  /* pairs not yet seen */
	atomic_bool stop;
};

/* The change index of a line "bench <i>" clarification, or -1. */
static int change_of(const char *line, int changes)
{
	json_t *j = json_loads(line, 0, NULL);
	int i = -1;
	const char *type = json_string_value(json_object_get(j, "type"));
	const char *text = json_string_value(json_object_get(json_object_get(j, "data"), "text"));
	if (type && strcmp(type, "clarifications") == 0 && text && sscanf(text, "bench %d", &i) == 1 &&
	    (i < 0 || i >= changes))
		i = -1;
	json_decref(j);
	return i;
}

static void *readers_main(void *arg)
{
	struct readers *r = arg;
	struct pollfd *p = calloc((size_t)r->n, sizeof *p);
	ck_assert_ptr_nonnull(p);
	for (int i = 0; i < r->n; i++)
		p[i] = (struct pollfd){.fd = r->l[i].fd, .events = POLLIN};
	while (!atomic_load(&r->stop) && atomic_load(&r->pending) > 0) {
		if (poll(p, (nfds_t)r->n, 100) <= 0)
			continue;
		int64_t now = mono_us();
		for (int i = 0; i < r->n; i++) {
			if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			char *line;
			while ((line = http_lines_next(&r->l[i], 0))) {
				int c = *line ? change_of(line, r->changes) : -1;
				if (c >= 0 && !r->got[(size_t)c * (size_t)r->n + (size_t)i]) {
					r->got[(size_t)c * (size_t)r->n + (size_t)i] = now;
					atomic_fetch_sub(&r->pending, 1);
				}
				free(line);
			}
			if (r->l[i].ended)
				p[i].fd = -1;
		}
	}
	free(p);
	return NULL;
}

/* The last token of what the feed has now (?stream=false). */
static void token_now(const struct server *s, char *out, size_t size)
{
	struct response r;
	http_request(&r, s, "GET", FEED "?stream=false", s->admin_token, NULL, NULL, 0, NULL);
	ck_assert_int_eq(r.status, 200);
	out[0] = '\0';
	for (char *t = r.body; (t = strstr(t, "\"token\":\""));) {
		t += 9;
		snprintf(out, size, "%.*s", (int)strcspn(t, "\""), t);
	}
	response_free(&r);
	ck_assert(*out);
}

START_TEST(fanout)
{
	int n = g_argc > 1 ? atoi(g_argv[1]) : 100;
	int changes = g_argc > 2 ? atoi(g_argv[2]) : 20;
	ck_assert(n > 0 && changes > 0);
	struct server s;
	server_start(&s, (const char *const[]){"--workers", "1", NULL});
	json_t *c = http_call(&s, "POST", s.admin_token, 201,
			      "{\"shortname\": \"bench1\", \"name\": \"Bench\", \"start_time\": null,"
			      " \"duration_s\": 36000, \"public\": true, \"problems\": []}",
			      "/api/contests");
	long long contest = json_integer_value(json_object_get(c, "id"));
	json_decref(c);
	json_decref(http_call(&s, "POST", s.admin_token, 200, NULL, "/api/contests/%lld/start", contest));

	struct readers r = {.n = n, .changes = changes};
	r.l = calloc((size_t)n, sizeof *r.l);
	r.got = calloc((size_t)n * (size_t)changes, sizeof *r.got);
	ck_assert(r.l && r.got);
	atomic_store(&r.pending, n * changes);
	char token[32], path[128];
	token_now(&s, token, sizeof token);
	snprintf(path, sizeof path, FEED "?since_token=%s", token);
	int64_t t0 = mono_us();
	for (int i = 0; i < n; i++)
		ck_assert_int_eq(http_lines_open(&r.l[i], &s, path, s.admin_token, NULL), 200);
	int64_t opened = mono_us() - t0;
	pthread_t t;
	ck_assert_int_eq(pthread_create(&t, NULL, readers_main, &r), 0);

	int64_t *sent = calloc((size_t)changes, sizeof *sent);
	ck_assert_ptr_nonnull(sent);
	int64_t next = mono_us() + 200000;
	for (int i = 0; i < changes; i++) {
		sleep_until(next);
		next += 200000; /* 5 per second */
		char body[128];
		snprintf(body, sizeof body, "{\"text\": \"bench %d\"}", i);
		sent[i] = mono_us();
		json_decref(http_call(&s, "POST", s.admin_token, 201, body, "/api/contests/%lld/clarifications", contest));
	}
	for (int64_t until = mono_us() + 30 * 1000000; atomic_load(&r.pending) > 0 && mono_us() < until;)
		usleep(10000);
	atomic_store(&r.stop, true);
	pthread_join(t, NULL);

	size_t pairs = (size_t)n * (size_t)changes, have = 0;
	int64_t *lat = calloc(pairs, sizeof *lat);
	ck_assert_ptr_nonnull(lat);
	for (int i = 0; i < changes; i++)
		for (int j = 0; j < n; j++) {
			int64_t g = r.got[(size_t)i * (size_t)n + (size_t)j];
			if (g)
				lat[have++] = g - sent[i];
		}
	qsort(lat, have, sizeof *lat, cmp_i64);
	printf("feed-fanout-bench: %d readers (opened in %.1f ms), %d clarifications at 5/s\n", n, (double)opened / 1000,
	       changes);
	printf("  POST -> line at each reader: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
	       (double)pct(lat, have, 0.50) / 1000, (double)pct(lat, have, 0.90) / 1000,
	       (double)pct(lat, have, 0.99) / 1000, have ? (double)lat[have - 1] / 1000 : -1.0);
	printf("  lines missed: %zu of %zu\n", pairs - have, pairs);
	fflush(stdout);
	for (int i = 0; i < n; i++)
		http_lines_close(&r.l[i]);
	free(lat);
	free(sent);
	free(r.got);
	free(r.l);
	server_finish(&s);
	ck_assert_uint_eq(have, pairs);
}
END_TEST

int main(int argc, char **argv)
{
	g_argc = argc;
	g_argv = argv;
	signal(SIGPIPE, SIG_IGN);
	Suite *suite = suite_create("feed-fanout-bench");
	TCase *tc = tcase_create("fanout");
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, fanout);
	suite_add_tcase(suite, tc);
	return test_run_suite(suite);
}
