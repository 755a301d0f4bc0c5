/* Judge throughput: 200 A+B submissions in C (10 tests each) posted at once,
 * judged by 1 and then 2 workers. Reports submissions judged per second and
 * the time from POST to done (p50/p99), measured by polling the problem's
 * submission list every 10 ms. Usage: judge-bench [SUBMISSIONS] */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static const char source[] = "#include <stdio.h>\nint main(void){long a,b;if(scanf(\"%ld %ld\",&a,&b)!=2)return 1;"
			     "printf(\"%ld\\n\",a+b);return 0;}\n";

static void run(int workers, int count)
{
	struct server s;
	char w[8];
	snprintf(w, sizeof w, "%d", workers);
	const char *args[] = {"--workers", w, "--log-level", "warn", NULL};
	server_start(&s, args);
	/* 10 tests: 1 sample + 9 secret. */
	char body[4096] = "{\"slug\": \"sum\", \"title\": \"A plus B\", \"tests\": [";
	for (int t = 0; t < 10; t++) {
		char test[128];
		snprintf(test, sizeof test, "%s{\"input\": \"%d %d\\n\", \"output\": \"%d\\n\"%s}", t ? ", " : "", t, 7 * t,
			 8 * t, t ? "" : ", \"sample\": true");
		strcat(body, test);
	}
	strcat(body, "]}");
	long long problem = test_create_problem(&s, body);
	char path[128];
	snprintf(path, sizeof path, "/api/problems/%lld/submissions", problem);
	json_t *payload = json_pack("{s:s, s:s}", "language", "c", "source", source);
	char *text = json_dumps(payload, 0);
	double *posted = calloc((size_t)count + 1, sizeof *posted);
	double *done = calloc((size_t)count + 1, sizeof *done);
	double t0 = now_s();
	for (int i = 0; i < count; i++) {
		struct response r;
		double t = now_s();
		http_json_request(&r, &s, "POST", path, s.admin_token, text);
		ck_assert_int_eq(r.status, 201);
		long long id = json_integer_value(json_object_get(r.json, "id"));
		ck_assert(id >= 1 && id <= count);
		posted[id] = t;
		response_free(&r);
	}
	int finished = 0, failed = 0;
	while (finished < count && now_s() - t0 < 600) {
		for (int page = 1; page <= (count + 99) / 100; page++) {
			char list[160];
			snprintf(list, sizeof list, "%s?per_page=100&page=%d", path, page);
			struct response r;
			http_json_request(&r, &s, "GET", list, s.admin_token, NULL);
			double t = now_s();
			size_t i;
			json_t *item;
			json_array_foreach(json_object_get(r.json, "items"), i, item) {
				long long id = json_integer_value(json_object_get(item, "id"));
				const char *status = json_string_value(json_object_get(item, "status"));
				if (id >= 1 && id <= count && !done[id] && strcmp(status, "done") == 0) {
					done[id] = t;
					finished++;
					const char *verdict = json_string_value(json_object_get(item, "verdict"));
					failed += !verdict || strcmp(verdict, "AC") != 0;
				}
			}
			response_free(&r);
		}
		usleep(10000);
	}
	double last = 0;
	double *lat = calloc((size_t)count, sizeof *lat);
	for (int id = 1; id <= count; id++) {
		lat[id - 1] = (done[id] - posted[id]) * 1000;
		if (done[id] > last)
			last = done[id];
	}
	qsort(lat, (size_t)count, sizeof *lat, cmp_double);
	printf("workers=%d submissions=%d judged=%d not_AC=%d  %.1f submissions/s  POST->done p50 %.0f ms  p99 %.0f ms"
	       "  (all judged in %.2f s)\n",
	       workers, count, finished, failed, finished / (last - t0), lat[count / 2], lat[(count * 99) / 100],
	       last - t0);
	fflush(stdout);
	ck_assert_int_eq(finished, count);
	ck_assert_int_eq(failed, 0);
	free(lat);
	free(posted);
	free(done);
	free(text);
	json_decref(payload);
	ck_assert_int_eq(server_stop(&s), 0);
	server_cleanup(&s);
}

static int count = 200;

START_TEST(throughput)
{
	run(1, count);
	run(2, count);
}
END_TEST

int main(int argc, char **argv)
{
	if (argc > 1)
		count = atoi(argv[1]);
	Suite *suite = suite_create("judge-bench");
	TCase *tc = tcase_create("throughput");
	tcase_set_timeout(tc, 1800);
	tcase_add_test(tc, throughput);
	suite_add_tcase(suite, tc);
	SRunner *sr = srunner_create(suite);
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_SILENT);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
