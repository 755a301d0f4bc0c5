/* Benchmark: the latency of a logged-in client's GET /api/problems, alone and
 * while 32 clients flood POST /api/auth/login with wrong passwords (the
 * address limit raised so that the flood keeps reaching the hashing threads).
 * Prints p50/p99 of both in one run; asserts nothing about speed.
 *   meson test -C build --setup bench --suite bench login-flood-bench --verbose
 * Argument: requests measured per phase (default 400). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"

#define FLOODERS 32

static atomic_bool stop;
static atomic_long logins, refused;
static struct server srv;

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void *flooder(void *arg)
{
	char source[32];
	snprintf(source, sizeof source, "127.0.2.%d", (int)(long)arg + 1);
	http_set_source(source);
	while (!atomic_load(&stop)) {
		struct response r;
		http_json_request(&r, &srv, "POST", "/api/auth/login", NULL,
				  "{\"username\": \"admin\", \"password\": \"wrong-password\"}");
		atomic_fetch_add(&logins, 1);
		if (r.status == 429)
			atomic_fetch_add(&refused, 1);
		response_free(&r);
	}
	return NULL;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void measure(const char *label, const char *token, int n)
{
	double *ms = calloc((size_t)n, sizeof *ms);
	for (int i = 0; i < n; i++) {
		struct response r;
		double t = now_ms();
		http_request(&r, &srv, "GET", "/api/problems", token, NULL, NULL, 0, NULL);
		ms[i] = now_ms() - t;
		if (r.status != 200)
			fprintf(stderr, "GET /api/problems: %ld\n", r.status);
		response_free(&r);
	}
	qsort(ms, (size_t)n, sizeof *ms, cmp);
	printf("%-22s GET /api/problems  p50 %.2f ms  p99 %.2f ms  max %.2f ms  (%d requests)\n", label,
	       ms[n / 2], ms[n * 99 / 100], ms[n - 1], n);
	free(ms);
}

static int count = 400;

START_TEST(latency)
{
	int n = count;
	static const char *const args[] = {"--login-address-failures", "1000000", "--log-level", "warn", NULL};
	server_start(&srv, args);
	char token[64];
	test_create_user(&srv, "bench", false, token, sizeof token);
	measure("without the flood", token, n);
	pthread_t threads[FLOODERS];
	for (long i = 0; i < FLOODERS; i++)
		pthread_create(&threads[i], NULL, flooder, (void *)i);
	struct timespec settle = {1, 0};
	nanosleep(&settle, NULL);
	double t = now_ms();
	long before = atomic_load(&logins);
	measure("with 32 login flooders", token, n);
	double secs = (now_ms() - t) / 1e3;
	long flood = atomic_load(&logins) - before;
	atomic_store(&stop, true);
	for (int i = 0; i < FLOODERS; i++)
		pthread_join(threads[i], NULL);
	printf("flood: %.0f logins/s answered, %ld of %ld answered 429\n", (double)flood / secs,
	       atomic_load(&refused), atomic_load(&logins));
	server_finish(&srv);
}
END_TEST

int main(int argc, char **argv)
{
	if (argc > 1)
		count = atoi(argv[1]);
	Suite *suite = suite_create("login-flood-bench");
	TCase *tc = tcase_create("flood");
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, latency);
	suite_add_tcase(suite, tc);
	return test_run_suite(suite);
}
