/* Helpers the WebSocket benchmarks share: a monotonic clock in microseconds,
 * sleeping until a moment of it, and percentiles of sorted samples. */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <time.h>

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
