/* The worker pool's health against the real binary: as pid 1 of a pid
 * namespace it judges and reaps orphans; killed workers are logged with the
 * signal, counted and replaced; workers that cannot start make /healthz 503
 * naming the reason, and nothing queued meanwhile is lost. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define SOURCE "#include <stdio.h>\\nint main(void){long a,b;if(scanf(\\\"%ld %ld\\\",&a,&b)!=2)return 1;printf(\\\"%ld\\\\n\\\",a+b);return 0;}\\n"

static long long make_problem(const struct server *s)
{
	return test_create_problem(s, "{\"slug\": \"sum\", \"title\": \"A plus B\", \"statement\": \"Add.\","
				      " \"time_limit_ms\": 1000, \"memory_limit_kb\": 262144, \"output_limit_kb\": 1024,"
				      " \"checker\": {\"type\": \"tokens\"},"
				      " \"tests\": [{\"input\": \"1 2\\n\", \"output\": \"3\\n\", \"sample\": true},"
				      "           {\"input\": \"5 7\\n\", \"output\": \"12\\n\"}]}");
}

static long long submit(const struct server *s, long long problem)
{
	json_t *j = http_call(s, "POST", s->admin_token, 201, "{\"language\": \"c\", \"source\": \"" SOURCE "\"}",
			      "/api/problems/%lld/submissions", problem);
	long long id = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	return id;
}

/* Waits for a submission's verdict (up to `seconds`); "" when it has none by then. */
static void wait_verdict(const struct server *s, long long id, int seconds, char *out, size_t size)
{
	out[0] = '\0';
	for (int i = 0; i < seconds * 20; i++) {
		json_t *j = http_call(s, "GET", s->admin_token, 200, NULL, "/api/submissions/%lld", id);
		const char *v = json_string_value(json_object_get(j, "verdict"));
		if (v && strcmp(json_string_value(json_object_get(j, "status")), "done") == 0) {
			snprintf(out, size, "%s", v);
			json_decref(j);
			return;
		}
		json_decref(j);
		usleep(50000);
	}
}

/* The pids of the children of a (host) pid, from /proc; returns how many. */
static int children_of(pid_t parent, pid_t *out, int max)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)parent, (int)parent);
	int n = 0;
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	int pid;
	while (n < max && fscanf(f, "%d", &pid) == 1)
		out[n++] = pid;
	fclose(f);
	/* Workers spawned by the dispatcher thread are that thread's children. */
	snprintf(path, sizeof path, "/proc/%d/task", (int)parent);
	DIR *d = opendir(path);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		int tid = atoi(e->d_name);
		if (tid <= 0 || tid == parent)
			continue;
		char p2[96];
		snprintf(p2, sizeof p2, "/proc/%d/task/%d/children", (int)parent, tid);
		FILE *g = fopen(p2, "r");
		while (g && n < max && fscanf(g, "%d", &pid) == 1)
			out[n++] = pid;
		if (g)
			fclose(g);
	}
	if (d)
		closedir(d);
	return n;
}

/* Is pid running `verdict worker`? */
static bool is_worker(pid_t pid)
{
	char path[64], cmd[256];
	snprintf(path, sizeof path, "/proc/%d/cmdline", (int)pid);
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, cmd, sizeof cmd - 1);
	close(fd);
	if (n <= 0)
		return false;
	cmd[n] = '\0';
	return strcmp(cmd, "verdict") == 0 && strcmp(cmd + strlen(cmd) + 1, "worker") == 0;
}

/* The worker pids under `server` (the verdict process itself). */
static int workers_of(pid_t server, pid_t *out, int max)
{
	pid_t kids[64];
	int n = children_of(server, kids, 64), w = 0;
	for (int i = 0; i < n && w < max; i++)
		if (is_worker(kids[i]))
			out[w++] = kids[i];
	return w;
}

/* Zombies whose parent is pid. */
static int zombies_of(pid_t parent)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;
	while (d && (e = readdir(d))) {
		int pid = atoi(e->d_name);
		if (pid <= 0)
			continue;
		char path[64], line[512];
		snprintf(path, sizeof path, "/proc/%d/stat", pid);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(line, sizeof line, f)) {
			const char *close_paren = strrchr(line, ')');
			char state = 0;
			int ppid = 0;
			if (close_paren && sscanf(close_paren + 2, "%c %d", &state, &ppid) == 2 && ppid == parent &&
			    state == 'Z')
				n++;
		}
		fclose(f);
	}
	if (d)
		closedir(d);
	return n;
}

/* ---- as pid 1 ---- */

static pid_t inner;

static void forward(int sig)
{
	if (inner > 0)
		kill(inner, sig);
}

/* In the server's child before exec: a new pid namespace, whose first
   process (pid 1) execs verdict; this one stays to forward signals and pass
   on its status, so the test's pid stays the one it signals. */
static void as_pid1(void)
{
	if (unshare(CLONE_NEWPID) != 0)
		_exit(126);
	inner = fork();
	if (inner < 0)
		_exit(126);
	if (inner == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		return;
	}
	signal(SIGTERM, forward);
	signal(SIGINT, forward);
	int st = 0;
	while (waitpid(inner, &st, 0) < 0 && errno == EINTR)
		;
	_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
}

static bool can_unshare_pid(void)
{
	pid_t p = fork();
	if (p == 0)
		_exit(unshare(CLONE_NEWPID) == 0 ? 0 : 1);
	int st = 0;
	waitpid(p, &st, 0);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

START_TEST(as_pid1_it_judges_and_reaps_orphans)
{
	if (!can_unshare_pid()) {
		fprintf(stderr, "as_pid1: skipped: no CLONE_NEWPID here (needs root or a user namespace)\n");
		return;
	}
	struct server s;
	server_child_setup = as_pid1;
	static const char *const args[] = {"--workers", "2", NULL};
	server_start(&s, args);
	server_child_setup = NULL;
	ck_assert_int_eq(test_log_count(&s, "running as pid 1"), 1);
	long long p = make_problem(&s);
	char verdict[8];
	wait_verdict(&s, submit(&s, p), 60, verdict, sizeof verdict);
	ck_assert_msg(strcmp(verdict, "AC") == 0, "as pid 1: verdict '%s' (see %s)", verdict, s.log);
	ck_assert_int_eq(test_log_count(&s, "its server (pid"), 0);

	/* The verdict process is the forwarder's one child. */
	pid_t kids[4];
	ck_assert_int_eq(children_of(s.pid, kids, 4), 1);
	pid_t server = kids[0];
	pid_t workers[8];
	int n = workers_of(server, workers, 8);
	ck_assert_int_eq(n, 2);
	/* A killed worker's own children are orphaned to pid 1: none stays a zombie. */
	kill(workers[0], SIGKILL);
	wait_verdict(&s, submit(&s, p), 60, verdict, sizeof verdict);
	ck_assert_str_eq(verdict, "AC");
	int zombies = 0;
	for (int i = 0; i < 100 && (zombies = zombies_of(server)) > 0; i++)
		usleep(50000);
	ck_assert_msg(zombies == 0, "%d zombies under the server as pid 1", zombies);
	ck_assert_int_ge(test_log_count(&s, "(signal 9 (Killed))"), 1);
	server_finish(&s);
}
END_TEST

/* ---- killed and failing workers ---- */

START_TEST(killed_workers_are_logged_counted_and_replaced)
{
	struct server s;
	static const char *const args[] = {"--workers", "1", NULL};
	server_start(&s, args);
	long long p = make_problem(&s);
	char verdict[8];
	wait_verdict(&s, submit(&s, p), 60, verdict, sizeof verdict);
	ck_assert_str_eq(verdict, "AC");
	double deaths = test_metric(&s, "verdict_judge_worker_restarts_total");
	for (int k = 0; k < 3; k++) {
		pid_t w[4];
		int n = 0;
		for (int i = 0; i < 200 && (n = workers_of(s.pid, w, 4)) != 1; i++)
			usleep(50000);
		ck_assert_int_eq(n, 1);
		kill(w[0], SIGKILL);
		/* replaced: the next submission is judged */
		wait_verdict(&s, submit(&s, p), 60, verdict, sizeof verdict);
		ck_assert_str_eq(verdict, "AC");
	}
	ck_assert_int_eq(test_log_count(&s, "exited (signal 9 (Killed)); restarting it now"), 3);
	ck_assert(test_metric(&s, "verdict_judge_worker_restarts_total") == deaths + 3);
	json_t *h = http_call(&s, "GET", NULL, 200, NULL, "/healthz");
	ck_assert_str_eq(json_string_value(json_object_get(h, "status")), "ok");
	json_decref(h);
	server_finish(&s);
}
END_TEST

START_TEST(workers_that_cannot_start_make_healthz_503_and_nothing_is_lost)
{
	struct server s;
	static const char *const args[] = {"--workers", "1", NULL};
	server_start(&s, args);
	long long p = make_problem(&s);
	char verdict[8];
	wait_verdict(&s, submit(&s, p), 60, verdict, sizeof verdict);
	ck_assert_str_eq(verdict, "AC");
	/* The work dir becomes a file: a new worker cannot make its box dir. */
	char work[400];
	snprintf(work, sizeof work, "%s/work", s.data);
	test_rmtree(work);
	int fd = open(work, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
	pid_t w[4];
	ck_assert_int_eq(workers_of(s.pid, w, 4), 1);
	kill(w[0], SIGKILL);
	long long queued = submit(&s, p);
	/* Three failed starts (back-off 2 s, 4 s) make the judge unhealthy. */
	struct response r = {0};
	for (int i = 0; i < 300; i++) {
		http_request(&r, &s, "GET", "/healthz", NULL, NULL, NULL, 0, NULL);
		if (r.status == 503)
			break;
		response_free(&r);
		usleep(100000);
	}
	expect_error(&r, 503, "unavailable");
	const char *message = json_string_value(json_object_get(json_object_get(r.json, "error"), "message"));
	ck_assert_msg(strstr(message, "failed to start 3 times in a row") && strstr(message, "cannot make the work dir"),
		      "%s", message);
	response_free(&r);
	ck_assert_int_ge(test_metric(&s, "verdict_judge_worker_start_failures_total"), 3);
	ck_assert_int_ge(test_log_count(&s, "(exit status 1): cannot make the work dir"), 3);
	ck_assert_int_ge(test_log_count(&s, "judge: unhealthy: judge worker"), 1);
	json_t *sub = http_call(&s, "GET", s.admin_token, 200, NULL, "/api/submissions/%lld", queued);
	ck_assert_str_eq(json_string_value(json_object_get(sub, "status")), "queued");
	json_decref(sub);
	/* Fixed: the next try (after 8 s) starts, the queued submission is judged. */
	ck_assert_int_eq(unlink(work), 0);
	wait_verdict(&s, queued, 90, verdict, sizeof verdict);
	ck_assert_str_eq(verdict, "AC");
	json_t *h = http_call(&s, "GET", NULL, 200, NULL, "/healthz");
	ck_assert_str_eq(json_string_value(json_object_get(h, "status")), "ok");
	json_decref(h);
	ck_assert_int_eq(test_log_count(&s, "judge: healthy again"), 1);
	server_finish(&s);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("workers");
	TCase *tc = tcase_create("workers");
	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, as_pid1_it_judges_and_reaps_orphans);
	tcase_add_test(tc, killed_workers_are_logged_counted_and_replaced);
	tcase_add_test(tc, workers_that_cannot_start_make_healthz_503_and_nothing_is_lost);
	suite_add_tcase(suite, tc);
	return test_run_suite(suite);
}
