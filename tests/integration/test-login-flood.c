/* Integration tests for login floods: failures lock a (name, address) pair
 * and an address, never a name; the right password from an address that has
 * not failed still logs in; a classroom behind one address is not refused;
 * a flood of concurrent logins gets 429s at once while other requests and a
 * login from a clean address keep answering. Clients pick their source
 * address in 127.0.0.0/8. */
#include <check.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"

/* A login from source; returns the status, with r kept for inspection. */
static long login_from(struct response *r, const struct server *s, const char *source, const char *name,
		       const char *password)
{
	char body[256];
	snprintf(body, sizeof body, "{\"username\": \"%s\", \"password\": \"%s\"}", name, password);
	http_set_source(source);
	http_json_request(r, s, "POST", "/api/auth/login", NULL, body);
	http_set_source(NULL);
	return r->status;
}

/* Expects a 429 rate_limited with a Retry-After of 1 to max seconds and a message that says when. */
static void expect_limited(const struct response *r, int max)
{
	expect_error(r, 429, "rate_limited");
	char retry[32];
	ck_assert_msg(response_header(r, "Retry-After", retry, sizeof retry), "no Retry-After: %s", r->headers);
	int seconds = atoi(retry);
	ck_assert_msg(seconds >= 1 && seconds <= max, "Retry-After: %s", retry);
	ck_assert_msg(strstr(r->body, "try again in"), "%s", r->body);
}

START_TEST(a_locked_name_still_logs_in_from_another_address)
{
	struct server srv;
	server_start(&srv, NULL);
	struct response r;
	for (int i = 0; i < 10; i++) {
		ck_assert_int_eq(login_from(&r, &srv, "127.0.0.2", "admin", "wrong-password"), 401);
		response_free(&r);
	}
	for (int i = 0; i < 3; i++) {
		login_from(&r, &srv, "127.0.0.2", "admin", i ? "admin-password" : "wrong-password");
		expect_limited(&r, 300);
		ck_assert_msg(strstr(r.body, "this name from your address"), "%s", r.body);
		response_free(&r);
	}
	ck_assert_int_eq(login_from(&r, &srv, "127.0.0.3", "admin", "admin-password"), 200);
	response_free(&r);
	/* Another name from the locked pair's address is not refused. */
	ck_assert_int_eq(login_from(&r, &srv, "127.0.0.2", "nobody", "wrong-password"), 401);
	response_free(&r);
	ck_assert(test_metric(&srv, "verdict_rate_limited_total{limit=\"login_pair\"}") >= 3);
	server_finish(&srv);
}
END_TEST

START_TEST(an_address_failing_across_names_is_refused)
{
	struct server srv;
	static const char *const args[] = {"--login-address-failures", "20", NULL};
	server_start(&srv, args);
	struct response r;
	char name[32];
	for (int i = 0; i < 20; i++) {
		snprintf(name, sizeof name, "guess%d", i);
		ck_assert_int_eq(login_from(&r, &srv, "127.0.0.4", name, "wrong-password"), 401);
		response_free(&r);
	}
	login_from(&r, &srv, "127.0.0.4", "guess99", "wrong-password");
	expect_limited(&r, 300);
	ck_assert_msg(strstr(r.body, "from your address (20 in 300 s)"), "%s", r.body);
	response_free(&r);
	login_from(&r, &srv, "127.0.0.4", "admin", "admin-password");
	expect_limited(&r, 300);
	response_free(&r);
	ck_assert_int_eq(login_from(&r, &srv, "127.0.0.5", "admin", "admin-password"), 200);
	response_free(&r);
	ck_assert(test_metric(&srv, "verdict_rate_limited_total{limit=\"login_address\"}") >= 2);
	server_finish(&srv);
}
END_TEST

/* ---- concurrency ---- */

struct student {
	const struct server *srv;
	int index;
	int refused; /* answers that were neither the 401 of a typo nor the final 200 */
};

static void *student_main(void *arg)
{
	struct student *st = arg;
	char name[32], password[64];
	snprintf(name, sizeof name, "student%d", st->index);
	snprintf(password, sizeof password, "%s-password", name);
	for (int attempt = 0; attempt < 4; attempt++) {
		struct response r;
		long want = attempt < 3 ? 401 : 200;
		if (login_from(&r, st->srv, "127.0.0.6", name, attempt < 3 ? "typo-typo" : password) != want)
			st->refused++;
		response_free(&r);
	}
	return NULL;
}

/* 30 students behind one NAT address, three typos each, all at once: nobody is refused (defaults). */
START_TEST(a_classroom_behind_one_address_logs_in)
{
	struct server srv;
	server_start(&srv, NULL);
	struct student students[30];
	pthread_t threads[30];
	char name[32];
	for (int i = 0; i < 30; i++) {
		snprintf(name, sizeof name, "student%d", i);
		test_create_user(&srv, name, false, NULL, 0);
		students[i] = (struct student){&srv, i, 0};
	}
	for (int i = 0; i < 30; i++)
		ck_assert_int_eq(pthread_create(&threads[i], NULL, student_main, &students[i]), 0);
	int refused = 0;
	for (int i = 0; i < 30; i++) {
		pthread_join(threads[i], NULL);
		refused += students[i].refused;
	}
	ck_assert_int_eq(refused, 0);
	server_finish(&srv);
}
END_TEST

#define FLOODERS 32
#define FLOOD_ADDRESSES 4

struct flood {
	const struct server *srv;
	atomic_bool stop;
	atomic_int answers, busy, other;
};

struct flooder {
	struct flood *flood;
	int index;
};

static void *flooder_main(void *arg)
{
	struct flooder *f = arg;
	char source[32], name[32];
	snprintf(source, sizeof source, "127.0.1.%d", f->index % FLOOD_ADDRESSES + 1);
	for (int n = 0; !atomic_load(&f->flood->stop); n++) {
		snprintf(name, sizeof name, "flood%d_%d", f->index, n);
		struct response r;
		long status = login_from(&r, f->flood->srv, source, name, "wrong-password");
		atomic_fetch_add(&f->flood->answers, 1);
		if (status == 429 && strcmp(response_error_code(&r), "rate_limited") == 0 &&
		    response_header(&r, "Retry-After", (char[16]){0}, 16))
			atomic_fetch_add(&f->flood->busy, 1);
		else if (status != 401)
			atomic_fetch_add(&f->flood->other, 1);
		response_free(&r);
	}
	return NULL;
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

START_TEST(a_login_flood_is_refused_at_once_while_the_rest_answers)
{
	struct server srv;
	static const char *const args[] = {"--hash-threads", "1", "--hash-queue", "2", NULL};
	server_start(&srv, args);
	char token[64];
	test_create_user(&srv, "reader", false, token, sizeof token);
	struct flood flood = {.srv = &srv};
	struct flooder flooders[FLOODERS];
	pthread_t threads[FLOODERS];
	for (int i = 0; i < FLOODERS; i++) {
		flooders[i] = (struct flooder){&flood, i};
		ck_assert_int_eq(pthread_create(&threads[i], NULL, flooder_main, &flooders[i]), 0);
	}
	sleep_ms(500);
	struct response r;
	for (int i = 0; i < 20; i++) {
		http_request(&r, &srv, "GET", "/healthz", NULL, NULL, NULL, 0, NULL);
		ck_assert_int_eq(r.status, 200);
		response_free(&r);
		http_request(&r, &srv, "GET", "/api/problems", token, NULL, NULL, 0, NULL);
		ck_assert_int_eq(r.status, 200);
		response_free(&r);
	}
	/* An address that has not failed goes ahead of the flood's (once the flood's
	   addresses have failed once): it logs in, after a few 429s at most. */
	long status = 0;
	for (int i = 0; i < 60 && status != 200; i++) {
		status = login_from(&r, &srv, "127.0.0.3", "reader", "reader-password");
		if (status != 200) {
			expect_limited(&r, 1);
			sleep_ms(1000);
		}
		response_free(&r);
	}
	ck_assert_int_eq(status, 200);
	atomic_store(&flood.stop, true);
	for (int i = 0; i < FLOODERS; i++)
		pthread_join(threads[i], NULL);
	ck_assert_int_eq(atomic_load(&flood.other), 0);
	ck_assert_int_gt(atomic_load(&flood.busy), 0);
	ck_assert(test_metric(&srv, "verdict_rate_limited_total{limit=\"login_busy\"}") > 0);
	server_finish(&srv);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("login-flood");
	TCase *tc = tcase_create("login-flood");
	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, a_locked_name_still_logs_in_from_another_address);
	tcase_add_test(tc, an_address_failing_across_names_is_refused);
	tcase_add_test(tc, a_classroom_behind_one_address_logs_in);
	tcase_add_test(tc, a_login_flood_is_refused_at_once_while_the_rest_answers);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
