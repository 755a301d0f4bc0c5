/* Fair judging: one user posts BOMBS compile bombs (a constexpr loop that
 * runs into the compile time limit), then another user posts an A+B. Reports
 * how long the A+B took from POST to done, next to the compile limit and its
 * own judging time on an idle judge. Usage: fair-bench [BOMBS] [WORKERS] */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

#define COMPILE_LIMIT_S 10 /* the compile CPU limit of src/judge/worker.c */

static int bombs = 50, workers = 2;

static const char bomb[] = "constexpr long f(long n){long s=0;for(long i=0;i<n;i++)for(long j=0;j<n;j++)s+=i^j;"
			   "return s;}\nconstexpr long x=f(200000);\nint main(){return (int)(x&1);}\n";
static const char sum[] = "#include <stdio.h>\nint main(void){long a,b;if(scanf(\"%ld %ld\",&a,&b)!=2)return 1;"
			  "printf(\"%ld\\n\",a+b);return 0;}\n";

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long long post(const struct server *s, const char *token, long long problem, const char *language,
		      const char *source)
{
	json_t *body = json_pack("{s:s, s:s}", "language", language, "source", source);
	char *text = json_dumps(body, 0), path[64];
	snprintf(path, sizeof path, "/api/problems/%lld/submissions", problem);
	struct response r;
	http_json_request(&r, s, "POST", path, token, text);
	ck_assert_msg(r.status == 201, "submit: %ld %s", r.status, r.body);
	long long id = json_integer_value(json_object_get(r.json, "id"));
	response_free(&r);
	free(text);
	json_decref(body);
	return id;
}

/* Waits until submission id is done (polled every 20 ms); *verdict gets its verdict. */
static void wait_done(const struct server *s, long long id, char *verdict, size_t size)
{
	char path[64];
	snprintf(path, sizeof path, "/api/submissions/%lld", id);
	for (;;) {
		struct response r;
		http_json_request(&r, s, "GET", path, s->admin_token, NULL);
		ck_assert_int_eq(r.status, 200);
		bool done = strcmp(json_string_value(json_object_get(r.json, "status")), "done") == 0;
		if (done)
			snprintf(verdict, size, "%s", json_string_value(json_object_get(r.json, "verdict")));
		response_free(&r);
		if (done)
			return;
		usleep(20000);
	}
}

START_TEST(bombs_then_one)
{
	struct server s;
	char w[8];
	snprintf(w, sizeof w, "%d", workers);
	const char *args[] = {"--workers", w, "--log-level", "warn", "--queued-per-user", "0",
			      "--submissions-per-minute", "0", NULL};
	server_start(&s, args);
	char a[64], b[64];
	test_create_user(&s, "bomber", false, a, sizeof a);
	test_create_user(&s, "student", false, b, sizeof b);
	long long p = test_create_problem(&s, "{\"slug\": \"sum\", \"title\": \"A plus B\", \"tests\": ["
					      "{\"input\": \"1 2\\n\", \"output\": \"3\\n\", \"sample\": true},"
					      "{\"input\": \"10 20\\n\", \"output\": \"30\\n\"}]}");
	char verdict[8];
	double t0 = now_s();
	wait_done(&s, post(&s, b, p, "c", sum), verdict, sizeof verdict);
	double alone = now_s() - t0;
	ck_assert_str_eq(verdict, "AC");
	for (int i = 0; i < bombs; i++)
		post(&s, a, p, "cpp", bomb);
	usleep(200000); /* the workers are busy compiling bombs */
	t0 = now_s();
	wait_done(&s, post(&s, b, p, "c", sum), verdict, sizeof verdict);
	double behind = now_s() - t0;
	ck_assert_str_eq(verdict, "AC");
	printf("fair-bench: %d workers, %d compile bombs queued by one user (compile limit %d s CPU):\n"
	       "  another user's A+B, POST to done: %.2f s (alone on an idle judge: %.2f s)\n",
	       workers, bombs, COMPILE_LIMIT_S, behind, alone);
	fflush(stdout);
	server_kill(&s);
	server_cleanup(&s);
}
END_TEST

int main(int argc, char **argv)
{
	if (argc > 1)
		bombs = atoi(argv[1]);
	if (argc > 2)
		workers = atoi(argv[2]);
	Suite *suite = suite_create("fair-bench");
	TCase *tc = tcase_create("fair");
	tcase_set_timeout(tc, 1800);
	tcase_add_test(tc, bombs_then_one);
	suite_add_tcase(suite, tc);
	return test_run_suite(suite);
}
