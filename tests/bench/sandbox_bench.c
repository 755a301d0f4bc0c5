/* Benchmark: a trivial static C program (reads "1 2", prints "3") run N
 * times bare (fork+execve+waitpid), through sandbox_run (every protection
 * on: namespaces, pivot_root jail, seccomp, cgroups as root, rlimits,
 * output capture), and through bwrap --unshare-all, interleaved
 * round-robin after a warm-up. Prints median, p90 and p99 per run and the
 * ratio of medians to bare.
 *
 * Two tables: under the normal scheduler (as the machine is), and, when
 * root, with the benchmark and everything it starts under SCHED_FIFO, which
 * shields all three variants alike from other load on the machine (an
 * approximation of a quiet machine).
 *
 * usage: sandbox-bench [N] [PROG]   (default N 1000; PROG: a static program
 * that reads two numbers and prints their sum, built here with gcc -static
 * when not given) */
#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { BARE, SANDBOX, BWRAP, NVARIANTS };
static const char *const names[NVARIANTS] = { "bare fork+exec+wait", "sandbox_run (all protections)",
	"bwrap --unshare-all" };

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

static int spawn_wait(char *const argv[], int in, int out)
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(in, 0);
		dup2(out, 1);
		char *env[] = { NULL };
		execve(argv[0], argv, env);
		_exit(127);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static bool check_out(int fd)
{
	char buf[16] = "";
	ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
	bool ok = n >= 1 && buf[0] == '3';
	if (ftruncate(fd, 0) < 0)
		return false;
	lseek(fd, 0, SEEK_SET);
	return ok;
}

struct setup {
	char box[64], prog[128], input[128];
	int in, out;
	bool have_bwrap;
};

/* One table: a fresh sandbox, N interleaved rounds. Returns the number of
 * failed sandbox or bare runs, or -1 if no sandbox could be made. */
static int table(const struct setup *su, int n, int warm, int slot, const char *title)
{
	char *err = NULL;
	struct sandbox_config cfg = { .slot = slot };
	struct sandbox *sb = sandbox_new(&cfg, &err);
	if (!sb) {
		fprintf(stderr, "sandbox_new: %s\n", err);
		free(err);
		return -1;
	}
	const char *sargv[] = { "/box/prog", NULL };
	const char *senv[] = { NULL };
	struct sandbox_spec spec = { .profile = SANDBOX_RUN, .argv = sargv, .env = senv, .box_dir = su->box,
		.stdin_fd = su->in, .stdout_fd = su->out, .stderr_fd = -1,
		.limits = { .cpu_ms = 1000, .wall_ms = 3000, .memory_kb = 262144, .output_kb = 65536,
			.processes = 1, .file_kb = 1024, .open_files = 16 } };
	char *bare_argv[] = { (char *)su->prog, NULL };
	char *bwrap_argv[] = { "/usr/bin/bwrap", "--unshare-all", "--die-with-parent", "--ro-bind", (char *)su->box,
		"/box", "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
		"--symlink", "usr/bin", "/bin", "--tmpfs", "/tmp", "--chdir", "/box", "/box/prog", NULL };

	int64_t *t[NVARIANTS];
	for (int v = 0; v < NVARIANTS; v++)
		t[v] = calloc((size_t)n, sizeof(int64_t));
	int failures[NVARIANTS] = { 0 };
	for (int i = -warm; i < n; i++) {
		for (int k = 0; k < NVARIANTS; k++) {
			int v = ((i + k) % NVARIANTS + NVARIANTS) % NVARIANTS; /* rotate the order */
			if (v == BWRAP && !su->have_bwrap)
				continue;
			lseek(su->in, 0, SEEK_SET);
			int64_t t0 = now_ns();
			bool ok;
			if (v == BARE) {
				ok = spawn_wait(bare_argv, su->in, su->out) == 0;
			} else if (v == SANDBOX) {
				struct sandbox_result r;
				ok = sandbox_run(sb, &spec, &r) == 0 && r.status == SANDBOX_OK;
				if (!ok && failures[v] == 0)
					fprintf(stderr, "sandbox run failed: %s\n", r.message);
			} else {
				ok = spawn_wait(bwrap_argv, su->in, su->out) == 0;
			}
			int64_t dt = now_ns() - t0;
			ok = check_out(su->out) && ok;
			if (!ok)
				failures[v]++;
			if (i >= 0)
				t[v][i] = dt;
		}
	}
	sandbox_free(sb);

	printf("\n%s: %d runs each, interleaved, after %d warm-up rounds\n", title, n, warm);
	printf("%-32s %12s %12s %12s %10s %9s\n", "variant", "median(us)", "p90(us)", "p99(us)", "vs bare", "failures");
	double bare_med = 0;
	for (int v = 0; v < NVARIANTS; v++) {
		if (v == BWRAP && !su->have_bwrap) {
			printf("%-32s (bwrap not installed)\n", names[v]);
			continue;
		}
		qsort(t[v], (size_t)n, sizeof(int64_t), cmp);
		double med = (double)t[v][n / 2] / 1000, p90 = (double)t[v][n * 9 / 10] / 1000,
		       p99 = (double)t[v][n * 99 / 100] / 1000;
		if (v == BARE)
			bare_med = med;
		printf("%-32s %12.0f %12.0f %12.0f %9.2fx %9d\n", names[v], med, p90, p99, med / bare_med, failures[v]);
	}
	fflush(stdout);
	for (int v = 0; v < NVARIANTS; v++)
		free(t[v]);
	return failures[BARE] + failures[SANDBOX];
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000, warm = 20;
	if (n < 10) {
		fprintf(stderr, "usage: %s [N] [PROG]\n", argv[0]);
		return 2;
	}
	struct setup su = { .in = -1 };
	snprintf(su.box, sizeof su.box, "/tmp/sandbox-bench-XXXXXX");
	if (!mkdtemp(su.box)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(su.prog, sizeof su.prog, "%s/prog", su.box);
	snprintf(su.input, sizeof su.input, "%s/input", su.box);
	char cmd[1024], src[256];
	snprintf(src, sizeof src, "%s/p.c", su.box);
	FILE *f = fopen(src, "w");
	if (!f) {
		perror(src);
		return 1;
	}
	fputs("#include <stdio.h>\nint main(void) { int a, b; if (scanf(\"%d %d\", &a, &b) != 2) return 1;\n"
		"printf(\"%d\\n\", a + b); return 0; }\n", f);
	fclose(f);
	f = fopen(su.input, "w");
	if (!f) {
		perror(su.input);
		return 1;
	}
	fputs("1 2\n", f);
	fclose(f);
	if (argc > 2)
		snprintf(cmd, sizeof cmd, "cp '%s' '%s'", argv[2], su.prog);
	else
		snprintf(cmd, sizeof cmd, "gcc -O2 -static -o '%s' '%s'", su.prog, src);
	if (system(cmd) != 0 || chmod(su.prog, 0755) < 0 || chmod(su.box, 0755) < 0 || chmod(su.input, 0644) < 0) {
		fprintf(stderr, "cannot prepare %s\n", su.box);
		return 1;
	}
	su.in = open(su.input, O_RDONLY | O_CLOEXEC);
	su.out = memfd_create("out", MFD_CLOEXEC);
	su.have_bwrap = access("/usr/bin/bwrap", X_OK) == 0;
	int slot = 900 + (int)(getpid() % 50);

	int failed = table(&su, n, warm, slot, "normal scheduling");
	if (failed < 0) {
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", su.box);
		if (system(cmd) != 0)
			fprintf(stderr, "cannot remove %s\n", su.box);
		return 77;
	}
	struct sched_param fifo = { .sched_priority = 10 };
	if (sched_setscheduler(0, SCHED_FIFO, &fifo) == 0) {
		int f2 = table(&su, n, warm, slot, "SCHED_FIFO for the benchmark and all it starts (other load shut out)");
		failed += f2 > 0 ? f2 : 0;
	} else {
		printf("\n(no SCHED_FIFO table: %s)\n", strerror(errno));
	}
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", su.box);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", su.box);
	return failed ? 1 : 0;
}
