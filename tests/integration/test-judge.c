/* Judging through the API: every verdict in C, C++ and Python with metrics and
 * per-test results; a worker killed mid-run; the server killed mid-judging. */
#include <check.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static struct server srv;
static long long problem;

/* The time limit is 1 s times $VERDICT_TEST_TIME_SCALE (the cgroup v2 VM, whose CPU is emulated). */
#define PROBLEM_JSON \
	"{\"slug\": \"sum\", \"title\": \"A plus B\", \"time_limit_ms\": %d, \"memory_limit_kb\": 131072," \
	" \"output_limit_kb\": 1024, \"checker\": {\"type\": \"tokens\"}, \"tests\": [" \
	"{\"input\": \"1 2\\n\", \"output\": \"3\\n\", \"sample\": true}," \
	"{\"input\": \"10 20\\n\", \"output\": \"30\\n\"}," \
	"{\"input\": \"-7 7\\n\", \"output\": \"0\\n\"}]}"

struct program {
	const char *language, *verdict, *source;
};

static const struct program programs[] = {
	{"c", "AC", "#include <stdio.h>\nint main(void){long a,b;scanf(\"%ld %ld\",&a,&b);printf(\"%ld\\n\",a+b);return 0;}\n"},
	{"c", "WA", "#include <stdio.h>\nint main(void){long a,b;scanf(\"%ld %ld\",&a,&b);printf(\"%ld\\n\",a-b);return 0;}\n"},
	{"c", "TLE", "int main(void){volatile unsigned long x=0;for(;;)x++;}\n"},
	{"c", "MLE", "#include <stdlib.h>\n#include <string.h>\nint main(void){for(int i=0;i<64;i++){char*p=malloc(16<<20);if(!p)return 3;memset(p,1,16<<20);}return 0;}\n"},
	{"c", "RTE", "int main(void){volatile int *p=0;return *p;}\n"},
	{"c", "OLE", "#include <stdio.h>\nint main(void){for(;;)puts(\"yes yes yes yes yes yes\");}\n"},
	{"c", "CE", "int main(void){ this is not C }\n"},
	{"cpp", "AC", "#include <iostream>\nint main(){long long a,b;std::cin>>a>>b;std::cout<<a+b<<std::endl;}\n"},
	{"cpp", "WA", "#include <iostream>\nint main(){std::cout<<42<<std::endl;}\n"},
	{"cpp", "TLE", "int main(){volatile unsigned long x=0;while(true)x++;}\n"},
	{"cpp", "MLE", "#include <vector>\n#include <cstdio>\nint main(){std::vector<long> v;for(long i=0;i<100000000;i++)v.push_back(i);printf(\"%ld\\n\",(long)v.size());}\n"},
	{"cpp", "RTE", "#include <stdexcept>\nint main(){throw std::runtime_error(\"boom\");}\n"},
	{"cpp", "OLE", "#include <cstdio>\nint main(){for(;;)std::puts(\"0123456789\");}\n"},
	{"cpp", "CE", "int main(){ return undefined_name; }\n"},
	{"python3", "AC", "a, b = map(int, input().split())\nprint(a + b)\n"},
	{"python3", "WA", "print(0)\n"},
	{"python3", "TLE", "x = 0\nwhile True:\n    x += 1\n"},
	{"python3", "MLE", "data = bytearray(400 * 1024 * 1024)\nprint(len(data))\n"},
	{"python3", "RTE", "raise SystemExit(3)\n"},
	{"python3", "OLE", "while True:\n    print('spam ' * 20)\n"},
	{"python3", "CE", "def broken(:\n    pass\n"},
};

static long long submit(const char *language, const char *source)
{
	json_t *body = json_pack("{s:s, s:s}", "language", language, "source", source);
	char *text = json_dumps(body, 0);
	char path[64];
	snprintf(path, sizeof path, "/api/problems/%lld/submissions", problem);
	struct response r;
	http_json_request(&r, &srv, "POST", path, srv.admin_token, text);
	ck_assert_msg(r.status == 201, "submit: %ld %s", r.status, r.body);
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "status")), "queued");
	long long id = json_integer_value(json_object_get(r.json, "id"));
	response_free(&r);
	free(text);
	json_decref(body);
	return id;
}

/* GET /api/submissions/{id}; the caller frees. */
static json_t *get_submission(long long id)
{
	char path[64];
	snprintf(path, sizeof path, "/api/submissions/%lld", id);
	struct response r;
	http_json_request(&r, &srv, "GET", path, srv.admin_token, NULL);
	ck_assert_int_eq(r.status, 200);
	json_t *j = json_incref(r.json);
	response_free(&r);
	return j;
}

static json_t *wait_status(long long id, const char *status, int seconds)
{
	for (int i = 0; i < seconds * 20; i++) {
		json_t *s = get_submission(id);
		if (strcmp(json_string_value(json_object_get(s, "status")), status) == 0)
			return s;
		json_decref(s);
		usleep(50000);
	}
	ck_abort_msg("submission %lld did not reach '%s' within %d s", id, status, seconds);
	return NULL;
}

static void setup(void)
{
	const char *args[] = {"--workers", "2", NULL};
	server_start(&srv, args);
	const char *scale = getenv("VERDICT_TEST_TIME_SCALE");
	char body[sizeof PROBLEM_JSON + 16];
	snprintf(body, sizeof body, PROBLEM_JSON, 1000 * (scale && atoi(scale) > 0 ? atoi(scale) : 1));
	problem = test_create_problem(&srv, body);
}

/* Nothing of a run outlives the server: no process of a sandbox uid
   (60000 + slot, when root), no box left in the data dir. */
static void assert_nothing_left(void)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "test -z \"$(ls -A '%s/work' 2>/dev/null)\"", srv.data);
	ck_assert_msg(system(cmd) == 0, "files left in %s/work", srv.data);
	if (geteuid() != 0)
		return;
	/* Other tests' servers may be judging right now with the same slot uids:
	   look only for processes whose parent chain is gone (orphans of ours
	   would be reparented to init, pid 1). */
	ck_assert_msg(system("ps -eo uid=,ppid= | awk '$1 >= 60000 && $1 < 61000 && $2 == 1 { found = 1 } END { exit found }'") == 0,
		      "a sandboxed process outlived its run");
}

static void teardown(void)
{
	ck_assert_int_eq(server_stop(&srv), 0);
	assert_nothing_left();
	server_cleanup(&srv);
}

START_TEST(every_verdict_in_every_language)
{
	size_t n = sizeof programs / sizeof programs[0];
	long long ids[sizeof programs / sizeof programs[0]];
	for (size_t i = 0; i < n; i++)
		ids[i] = submit(programs[i].language, programs[i].source);
	for (size_t i = 0; i < n; i++) {
		json_t *s = wait_status(ids[i], "done", 120);
		const char *verdict = json_string_value(json_object_get(s, "verdict"));
		ck_assert_msg(verdict && strcmp(verdict, programs[i].verdict) == 0, "%s %s: got %s: %s",
			      programs[i].language, programs[i].verdict, verdict ? verdict : "null",
			      json_dumps(s, 0));
		json_t *metrics = json_object_get(s, "metrics");
		json_t *tests = json_object_get(s, "tests");
		ck_assert_int_eq(json_integer_value(json_object_get(metrics, "tests_total")), 3);
		ck_assert_ptr_nonnull(json_string_value(json_object_get(s, "judged_at")));
		if (strcmp(programs[i].verdict, "CE") == 0) {
			ck_assert_int_eq(json_array_size(tests), 0);
			ck_assert_msg(strlen(json_string_value(json_object_get(s, "compile_output"))) > 0,
				      "CE without compiler messages");
		} else if (strcmp(programs[i].verdict, "AC") == 0) {
			ck_assert_int_eq(json_integer_value(json_object_get(metrics, "tests_passed")), 3);
			ck_assert_int_eq(json_array_size(tests), 3);
			for (size_t t = 0; t < 3; t++) {
				json_t *tr = json_array_get(tests, t);
				ck_assert_int_eq(json_integer_value(json_object_get(tr, "index")), (long long)t + 1);
				ck_assert_str_eq(json_string_value(json_object_get(tr, "verdict")), "AC");
				ck_assert_int_gt(json_integer_value(json_object_get(tr, "memory_kb")), 0);
			}
			ck_assert_str_eq(json_string_value(json_object_get(json_array_get(tests, 0), "group")), "sample");
			ck_assert_str_eq(json_string_value(json_object_get(json_array_get(tests, 1), "group")), "secret");
		} else {
			/* ICPC: judging stops at the first failing test, which is the first test. */
			ck_assert_int_eq(json_integer_value(json_object_get(metrics, "tests_passed")), 0);
			ck_assert_int_eq(json_array_size(tests), 1);
			ck_assert_str_eq(json_string_value(json_object_get(json_array_get(tests, 0), "verdict")),
					 programs[i].verdict);
		}
		/* A busy loop hits the CPU limit, or on a loaded machine the wall limit first. */
		if (strcmp(programs[i].verdict, "TLE") == 0)
			ck_assert_int_ge(json_integer_value(json_object_get(metrics, "time_ms")), 100);
		if (strcmp(programs[i].verdict, "CE") != 0)
			ck_assert_int_gt(json_integer_value(json_object_get(metrics, "memory_kb")), 0);
		json_decref(s);
	}
}
END_TEST

/* A C program that burns about `ms` of CPU per test, then answers right. */
static char *slow_ac(int ms)
{
	char *src = NULL;
	if (asprintf(&src,
		     "#include <stdio.h>\n#include <time.h>\n"
		     "int main(void){long a,b;scanf(\"%%ld %%ld\",&a,&b);"
		     "while((double)clock()/CLOCKS_PER_SEC<%d/1000.0);printf(\"%%ld\\n\",a+b);return 0;}\n",
		     ms) < 0)
		abort();
	return src;
}

/* The pids of the server's worker processes ("verdict worker"). */
static int worker_pids(pid_t server, pid_t *out, int max)
{
	int n = 0;
	DIR *d = opendir("/proc");
	struct dirent *e;
	while (d && (e = readdir(d)) && n < max) {
		char path[300], line[512];
		snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		int pid = 0, ppid = 0;
		char comm[64], state;
		if (fgets(line, sizeof line, f) && sscanf(line, "%d %63s %c %d", &pid, comm, &state, &ppid) == 4 &&
		    ppid == server)
			out[n++] = pid;
		fclose(f);
	}
	if (d)
		closedir(d);
	return n;
}

START_TEST(worker_killed_mid_run_is_replaced_and_the_submission_retried)
{
	char *src = slow_ac(400);
	long long id = submit("c", src);
	free(src);
	json_t *s = wait_status(id, "running", 60);
	json_decref(s);
	pid_t pids[8];
	int n = worker_pids(srv.pid, pids, 8);
	ck_assert_int_eq(n, 2);
	/* Stop them all before killing any: a worker killed a moment after the
	   others could already have taken the retried submission, and a second
	   death while judging rightly ends in JE. */
	for (int i = 0; i < n; i++)
		kill(pids[i], SIGSTOP);
	for (int i = 0; i < n; i++)
		kill(pids[i], SIGKILL);
	s = wait_status(id, "done", 120);
	ck_assert_str_eq(json_string_value(json_object_get(s, "verdict")), "AC");
	ck_assert_int_eq(json_array_size(json_object_get(s, "tests")), 3);
	json_decref(s);
	/* Both workers came back. */
	for (int i = 0; i < 100 && worker_pids(srv.pid, pids, 8) != 2; i++)
		usleep(100000);
	ck_assert_int_eq(worker_pids(srv.pid, pids, 8), 2);
	struct response r;
	http_json_request(&r, &srv, "GET", "/metrics", NULL, NULL);
	ck_assert_ptr_nonnull(strstr(r.body, "verdict_judge_worker_restarts_total 2"));
	response_free(&r);
}
END_TEST

START_TEST(server_killed_mid_judging_judges_after_restart)
{
	char *src = slow_ac(500);
	long long id = submit("c", src);
	free(src);
	json_t *s = wait_status(id, "running", 60);
	json_decref(s);
	server_kill(&srv);
	const char *args[] = {"--workers", "2", NULL};
	server_restart(&srv, args);
	s = wait_status(id, "done", 120);
	ck_assert_str_eq(json_string_value(json_object_get(s, "verdict")), "AC");
	/* Judged once after the restart: one result per test, no leftovers of the killed attempt. */
	ck_assert_int_eq(json_array_size(json_object_get(s, "tests")), 3);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(s, "metrics"), "tests_passed")), 3);
	json_decref(s);
}
END_TEST

START_TEST(language_file_adds_languages_and_hides_missing_toolchains)
{
	ck_assert_int_eq(server_stop(&srv), 0);
	char path[400];
	snprintf(path, sizeof path, "%s/languages.json", srv.dir);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("[{\"id\": \"c89\", \"name\": \"C89 (gcc, no optimisation)\", \"extensions\": [\"c\"],"
	      " \"source\": \"prog.c\", \"compile\": [\"/usr/bin/gcc\", \"-std=c89\", \"-O0\", \"-static\","
	      " \"-o\", \"prog\", \"prog.c\"], \"run\": [\"/box/prog\"]},"
	      " {\"id\": \"cobol\", \"name\": \"COBOL\", \"extensions\": [\"cob\"], \"source\": \"main.cob\","
	      " \"compile\": [\"/nonexistent/cobc\", \"-x\", \"main.cob\"], \"run\": [\"/box/main\"]}]\n", f);
	fclose(f);
	const char *args[] = {"--workers", "1", "--languages", path, NULL};
	server_restart(&srv, args);
	struct response r;
	http_json_request(&r, &srv, "GET", "/api/languages", srv.admin_token, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "\"c89\""));
	ck_assert_ptr_null(strstr(r.body, "cobol"));
	response_free(&r);
	long long id = submit("c89", "#include <stdio.h>\nint main(void){long a,b;scanf(\"%ld %ld\",&a,&b);"
				     "printf(\"%ld\\n\",a+b);return 0;}\n");
	json_t *s = wait_status(id, "done", 120);
	ck_assert_str_eq(json_string_value(json_object_get(s, "verdict")), "AC");
	json_decref(s);
	/* C99 comments are not C89: the language's own flags are used. */
	id = submit("c89", "int main(void){ // not C89\n return 0; }\n");
	s = wait_status(id, "done", 120);
	ck_assert_str_eq(json_string_value(json_object_get(s, "verdict")), "CE");
	json_decref(s);
	/* A language whose toolchain is missing is not offered. */
	char url[64];
	snprintf(url, sizeof url, "/api/problems/%lld/submissions", problem);
	http_json_request(&r, &srv, "POST", url, srv.admin_token, "{\"language\": \"cobol\", \"source\": \"x\"}");
	ck_assert_int_eq(r.status, 400);
	response_free(&r);
}
END_TEST

/* What a submission can do to the judge through its own files: a binary that
   cannot start is its own runtime error, never a judge error; a compile that
   writes past the limit is a compile error; its stdin cannot be changed. */
START_TEST(hostile_submissions_get_their_own_verdicts)
{
	/* a static binary with a PT_INTERP the run root does not have */
	long long bad_interp = submit("c", "#include <stdio.h>\n"
				      "const char interp[] __attribute__((section(\".interp\"))) = \"/nonexistent/ld.so\";\n"
				      "int main(void){puts(\"3\");return 0;}\n");
	/* a section aligned to 64 MiB: the object and the binary are bigger than the limit */
	long long bomb = submit("c", "char a[16] __attribute__((aligned(1 << 26))) = {1};\n"
				"int main(void){return a[3];}\n");
	/* overwrites its stdin, then reads it again */
	long long rewrite = submit("c", "#include <stdio.h>\n#include <unistd.h>\n"
				   "int main(void){long a,b;if(write(0,\"9 9\\n\",4)<0){}lseek(0,0,SEEK_SET);"
				   "if(scanf(\"%ld %ld\",&a,&b)!=2)return 1;printf(\"%ld\\n\",a+b);return 0;}\n");
	json_t *s = wait_status(bad_interp, "done", 120);
	ck_assert_msg(strcmp(json_string_value(json_object_get(s, "verdict")), "RTE") == 0, "%s", json_dumps(s, 0));
	json_decref(s);
	s = wait_status(bomb, "done", 120);
	ck_assert_msg(strcmp(json_string_value(json_object_get(s, "verdict")), "CE") == 0, "%s", json_dumps(s, 0));
	json_decref(s);
	s = wait_status(rewrite, "done", 120);
	ck_assert_msg(strcmp(json_string_value(json_object_get(s, "verdict")), "AC") == 0, "%s", json_dumps(s, 0));
	json_decref(s);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("judge");
	TCase *tc = tcase_create("verdicts");
	tcase_set_timeout(tc, 600);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, every_verdict_in_every_language);
	suite_add_tcase(suite, tc);
	TCase *crash = tcase_create("crashes");
	tcase_set_timeout(crash, 600);
	tcase_add_checked_fixture(crash, setup, teardown);
	tcase_add_test(crash, worker_killed_mid_run_is_replaced_and_the_submission_retried);
	tcase_add_test(crash, server_killed_mid_judging_judges_after_restart);
	tcase_add_test(crash, language_file_adds_languages_and_hides_missing_toolchains);
	suite_add_tcase(suite, crash);
	TCase *hostile = tcase_create("hostile");
	tcase_set_timeout(hostile, 600);
	tcase_add_checked_fixture(hostile, setup, teardown);
	tcase_add_test(hostile, hostile_submissions_get_their_own_verdicts);
	suite_add_tcase(suite, hostile);
	return test_run_suite(suite);
}
