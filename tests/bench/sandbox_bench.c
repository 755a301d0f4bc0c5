/* Benchmark: a trivial static C program (reads "1 2", prints "3") run N
 * times bare (fork+execve+waitpid), through sandbox_run (every protection
 * on), and through bwrap --unshare-all, interleaved round-robin after a
 * warm-up. Prints median, p90 and p99 per run and the ratio to bare.
 *
 * usage: sandbox-bench [N] [PROG]   (default: N 1000, PROG built here with
 * gcc -static from a two-line source) */
#include "sandbox.h"

#include <stdbool.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
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

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000, warm = 20;
	if (n < 10) {
		fprintf(stderr, "usage: %s [N] [PROG]\n", argv[0]);
		return 2;
	}
	char box[] = "/tmp/sandbox-bench-XXXXXX";
	if (!mkdtemp(box)) {
		perror("mkdtemp");
		return 1;
	}
	char prog[256], input[256];
	snprintf(prog, sizeof prog, "%s/prog", box);
	snprintf(input, sizeof input, "%s/input", box);
	char cmd[1024], src[256];
	snprintf(src, sizeof src, "%s/p.c", box);
	FILE *f = fopen(src, "w");
	if (!f) {
		perror(src);
		return 1;
	}
	fputs("#include <stdio.h>\nint main(void) { int a, b; if (scanf(\"%d %d\", &a, &b) != 2) return 1;\n"
		"printf(\"%d\\n\", a + b); return 0; }\n", f);
	fclose(f);
	f = fopen(input, "w");
	if (!f) {
		perror(input);
		return 1;
	}
	fputs("1 2\n", f);
	fclose(f);
	if (argc > 2)
		snprintf(cmd, sizeof cmd, "cp '%s' '%s'", argv[2], prog);
	else
		snprintf(cmd, sizeof cmd, "gcc -O2 -static -o '%s' '%s'", prog, src);
	if (system(cmd) != 0 || chmod(prog, 0755) < 0 || chmod(box, 0755) < 0 || chmod(input, 0644) < 0) {
		fprintf(stderr, "cannot prepare %s\n", box);
		return 1;
	}
	int in = open(input, O_RDONLY), out = memfd_create("out", 0);

	char *err = NULL;
	struct sandbox_config cfg = { .slot = 40 };
	struct sandbox *sb = sandbox_new(&cfg, &err);
	if (!sb) {
		fprintf(stderr, "sandbox_new: %s\n", err);
		return 77;
	}
	const char *sargv[] = { "/box/prog", NULL };
	const char *senv[] = { NULL };
	struct sandbox_spec spec = { .profile = SANDBOX_RUN, .argv = sargv, .env = senv, .box_dir = box,
		.stdin_fd = in, .stdout_fd = out, .stderr_fd = -1,
		.limits = { .cpu_ms = 1000, .wall_ms = 3000, .memory_kb = 262144, .output_kb = 65536,
			.processes = 1, .file_kb = 1024, .open_files = 16 } };
	char *bare_argv[] = { prog, NULL };
	char *bwrap_argv[] = { "/usr/bin/bwrap", "--unshare-all", "--die-with-parent", "--ro-bind", box, "/box",
		"--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
		"--symlink", "usr/bin", "/bin", "--tmpfs", "/tmp", "--chdir", "/box", "/box/prog", NULL };
	bool have_bwrap = access(bwrap_argv[0], X_OK) == 0;

	int64_t *t[NVARIANTS];
	for (int v = 0; v < NVARIANTS; v++)
		t[v] = calloc((size_t)n, sizeof(int64_t));
	int failures[NVARIANTS] = { 0 };
	for (int i = -warm; i < n; i++) {
		for (int k = 0; k < NVARIANTS; k++) {
			int v = (i + k) % NVARIANTS; /* rotate the order */
			if (v < 0)
				v += NVARIANTS;
			if (v == BWRAP && !have_bwrap)
				continue;
			lseek(in, 0, SEEK_SET);
			int64_t t0 = now_ns();
			int ok;
			if (v == BARE) {
				ok = spawn_wait(bare_argv, in, out) == 0;
			} else if (v == SANDBOX) {
				struct sandbox_result r;
				ok = sandbox_run(sb, &spec, &r) == 0 && r.status == SANDBOX_OK;
				if (!ok && failures[v] == 0)
					fprintf(stderr, "sandbox run failed: %s\n", r.message);
			} else {
				ok = spawn_wait(bwrap_argv, in, out) == 0;
			}
			int64_t dt = now_ns() - t0;
			ok = check_out(out) && ok;
			if (!ok)
				failures[v]++;
			if (i >= 0)
				t[v][i] = dt;
		}
	}
	sandbox_free(sb);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", box);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", box);

	printf("%d runs each, interleaved, after %d warm-up rounds\n", n, warm);
	printf("%-32s %12s %12s %12s %10s %9s\n", "variant", "median(us)", "p90(us)", "p99(us)", "vs bare", "failures");
	double bare_med = 0;
	for (int v = 0; v < NVARIANTS; v++) {
		if (v == BWRAP && !have_bwrap) {
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
	for (int v = 0; v < NVARIANTS; v++)
		free(t[v]);
	return failures[BARE] || failures[SANDBOX] ? 1 : 0;
}
