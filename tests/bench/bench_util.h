/* Helpers the WebSocket benchmarks share: a monotonic clock in microseconds,
 * sleeping until a moment of it, percentiles of sorted samples, and a judge
 * kept busy. */
#pragma once
#include <check.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static inline int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static inline void sleep_until(int64_t t_us)
{
	for (int64_t now; (now = mono_us()) < t_us;) {
		struct timespec ts = {(t_us - now) / 1000000, (long)((t_us - now) % 1000000) * 1000};
		nanosleep(&ts, NULL);
	}
}

static inline int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static inline int64_t pct(const int64_t *sorted, size_t n, double p)
{
	if (!n)
		return -1;
	size_t i = (size_t)(p * (double)(n - 1) + 0.5);
	return sorted[i < n ? i : n - 1];
}

/* Keeps the server's only judge worker busy (--workers 1): a program that
   sleeps (no CPU) on a problem with a 60 s limit, so that what a benchmark
   rejudges stays queued and the only changes are the measured ones. */
static inline void bench_block_judge(const struct server *s)
{
	long long blocker_problem = test_create_problem(
		s, "{\"slug\": \"sleep\", \"title\": \"Sleep\", \"time_limit_ms\": 60000,"
		   " \"tests\": [{\"input\": \"\", \"output\": \"\"}]}");
	struct response r;
	char path[160];
	snprintf(path, sizeof path, "/api/problems/%lld/submissions", blocker_problem);
	http_json_request(&r, s, "POST", path, s->admin_token,
			  "{\"language\": \"c\", \"source\": \"#include <unistd.h>\\nint main(void){pause();return 0;}\\n\"}");
	ck_assert_int_eq(r.status, 201);
	long long blocker = json_integer_value(json_object_get(r.json, "id"));
	response_free(&r);
	for (int64_t t0 = mono_us();;) {
		snprintf(path, sizeof path, "/api/submissions/%lld", blocker);
		http_json_request(&r, s, "GET", path, s->admin_token, NULL);
		bool running = strcmp(json_string_value(json_object_get(r.json, "status")), "running") == 0;
		response_free(&r);
		if (running)
			break;
		ck_assert_msg(mono_us() - t0 < 60 * 1000000, "the blocker never ran");
		usleep(20000);
	}
}
