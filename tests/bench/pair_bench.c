/* Benchmark: an interactive exchange of N round trips (one short line each
 * way: "ping N" against "pong", tests/sandbox/progs/pair.c built static
 * here), run by two bare processes on two pipes (fork+execve+waitpid) and by
 * sandbox_run_pair (every protection on, each side its own run), alternated
 * for R rounds. Prints each variant's median wall time, the cost per round
 * trip and the ratio sandbox / bare (goal: within 2x).
 *
 * usage: pair-bench [N] [R]   (default 100000 round trips, 5 rounds)
 *
 * Where the two processes of each variant run (the same CPU or two) weighs
 * more than the sandbox: `taskset -c 0 pair-bench` puts all on one CPU. */
#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef PAIR_SRC
#error "PAIR_SRC must name tests/sandbox/progs/pair.c"
#endif

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static pid_t spawn(char *const argv[], int in, int out, int close1, int close2)
{
	pid_t pid = fork();
	if (pid == 0) {
		dup2(in, 0);
		dup2(out, 1);
		close(close1);
		close(close2);
		char *env[] = { NULL };
		execve(argv[0], argv, env);
		_exit(127);
	}
	return pid;
}

/* Two bare processes on two pipes. */
static int run_bare(const char *prog, const char *n)
{
	int ab[2], ba[2];
	if (pipe2(ab, O_CLOEXEC) < 0 || pipe2(ba, O_CLOEXEC) < 0)
		return -1;
	char *a[] = { (char *)prog, "ping", (char *)n, NULL }, *b[] = { (char *)prog, "pong", NULL };
	pid_t pa = spawn(a, ba[0], ab[1], ab[0], ba[1]);
	pid_t pb = spawn(b, ab[0], ba[1], ba[0], ab[1]);
	close(ab[0]);
	close(ab[1]);
	close(ba[0]);
	close(ba[1]);
	int sa = 1, sb = 1;
	waitpid(pa, &sa, 0);
	waitpid(pb, &sb, 0);
	return WIFEXITED(sa) && WEXITSTATUS(sa) == 0 && WIFEXITED(sb) && WEXITSTATUS(sb) == 0 ? 0 : -1;
}

static int run_sandboxed(struct sandbox *sb, const char *box, const char *n)
{
	const char *a[] = { "/box/prog", "ping", n, NULL }, *b[] = { "/box/prog", "pong", NULL };
	struct sandbox_limits l = { .cpu_ms = 60000, .wall_ms = 120000, .memory_kb = 64 * 1024, .processes = 1,
		.open_files = 16 };
	struct sandbox_spec sa = { .profile = SANDBOX_RUN, .argv = a, .box_dir = box, .stdin_fd = -1,
		.stdout_fd = -1, .stderr_fd = -1, .limits = l };
	struct sandbox_spec sbb = sa;
	sbb.argv = b;
	struct sandbox_result ra, rb;
	int rc = sandbox_run_pair(sb, &sa, &sbb, &ra, &rb);
	if (rc < 0 || ra.status != SANDBOX_OK || rb.status != SANDBOX_OK) {
		fprintf(stderr, "pair failed: %s | %s\n", ra.message, rb.message);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100000;
	int rounds = argc > 2 ? atoi(argv[2]) : 5;
	char dir[] = "/tmp/pair-bench-XXXXXX", box[64], prog[96], ns[32];
	if (!mkdtemp(dir) || chmod(dir, 0755) < 0)
		return 1;
	snprintf(box, sizeof box, "%s/box", dir);
	snprintf(prog, sizeof prog, "%s/prog", box);
	snprintf(ns, sizeof ns, "%ld", n);
	char cmd[512];
	snprintf(cmd, sizeof cmd, "gcc -O2 -static -o '%s' '%s'", prog, PAIR_SRC);
	if (mkdir(box, 0755) < 0 || system(cmd) != 0) {
		fprintf(stderr, "cannot build %s\n", PAIR_SRC);
		return 1;
	}
	char *err = NULL;
	struct sandbox_config cfg = { .slot = 3000 + (int)(getpid() % 1000) };
	struct sandbox *sb = sandbox_new(&cfg, &err);
	if (!sb) {
		fprintf(stderr, "no sandbox: %s\n", err);
		return 77;
	}
	int64_t *bare = calloc((size_t)rounds, sizeof *bare), *sand = calloc((size_t)rounds, sizeof *sand);
	/* a warm-up of each, then alternating rounds */
	if (run_bare(prog, "1000") < 0 || run_sandboxed(sb, box, "1000") < 0)
		return 1;
	for (int i = 0; i < rounds; i++) {
		int64_t t = now_ns();
		if (run_bare(prog, ns) < 0)
			return 1;
		bare[i] = now_ns() - t;
		t = now_ns();
		if (run_sandboxed(sb, box, ns) < 0)
			return 1;
		sand[i] = now_ns() - t;
	}
	qsort(bare, (size_t)rounds, sizeof *bare, cmp);
	qsort(sand, (size_t)rounds, sizeof *sand, cmp);
	double mb = (double)bare[rounds / 2], ms = (double)sand[rounds / 2];
	printf("%ld round trips, median of %d rounds\n", n, rounds);
	printf("%-34s %10.1f ms  %8.2f us/round trip\n", "bare: two processes, two pipes", mb / 1e6, mb / 1e3 / (double)n);
	printf("%-34s %10.1f ms  %8.2f us/round trip\n", "sandbox_run_pair", ms / 1e6, ms / 1e3 / (double)n);
	printf("ratio sandbox / bare: %.2fx (goal: within 2x)\n", ms / mb);
	sandbox_free(sb);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 1;
	free(bare);
	free(sand);
	return 0;
}
