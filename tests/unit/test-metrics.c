/* Unit tests for base/metrics.c: request counters by route, for route tables of any size. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "common.h"
#include "metrics.h"
#include "util.h"

START_TEST(every_route_has_its_own_counters)
{
	enum { ROUTES = 300 }; /* more than any fixed table would hold */
	static char names[ROUTES][16];
	static const char *list[ROUTES];
	for (int i = 0; i < ROUTES; i++) {
		snprintf(names[i], sizeof names[i], "/r%d", i);
		list[i] = names[i];
	}
	metrics_init(list, ROUTES);
	metrics_request(ROUTES - 1, 200, 10);
	metrics_request(ROUTES - 1, 200, 10);
	metrics_request(0, 404, 10);
	metrics_request(-1, 404, 10);
	metrics_request(ROUTES, 500, 10);
	struct buf out;
	buf_init(&out);
	metrics_render(&out);
	ck_assert_msg(strstr(out.data, "verdict_http_requests_total{route=\"/r299\",status=\"200\"} 2\n"), "%s", out.data);
	ck_assert(strstr(out.data, "verdict_http_requests_total{route=\"/r0\",status=\"404\"} 1\n"));
	ck_assert(strstr(out.data, "verdict_http_requests_total{route=\"other\",status=\"404\"} 1\n"));
	ck_assert(strstr(out.data, "verdict_http_requests_total{route=\"other\",status=\"500\"} 1\n"));
	buf_release(&out);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("metrics");
	TCase *tc = tcase_create("routes");
	tcase_add_test(tc, every_route_has_its_own_counters);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
