/* Tests of sandbox/: hostile programs (tests/sandbox/progs/hostile.c, built
 * static at start-up), python3 under SANDBOX_INTERP and gcc/g++ bombs under
 * SANDBOX_COMPILE, each checked through sandbox_run's result. Runs as root
 * (per-slot uid, cgroups) and, with --unprivileged, re-runs itself as
 * nobody through setpriv (user namespace, rlimits). Exits 77 where the
 * kernel refuses the namespaces. */
#include "sandbox.h"
#include "unpriv.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef HOSTILE_SRC
#error "HOSTILE_SRC must name tests/sandbox/progs/hostile.c"
#endif

static int g_slot;           /* from the pid: two copies of the suite never share a slot uid */
static char g_tmp[64];       /* per-suite scratch dir */
static char g_hostile[128];  /* the static fixture */
static struct sandbox *g_sb;
static struct sandbox_info g_info;

/* ------------------------------------------------------------ helpers */

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	int st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f)
		die("cannot write %s: %s", path, strerror(errno));
	fputs(text, f);
	fclose(f);
	chmod(path, 0644);
}

/* A fresh box directory with the fixture as /box/prog. */
static char *new_box(void)
{
	static char box[128];
	snprintf(box, sizeof box, "%s/box-XXXXXX", g_tmp);
	if (!mkdtemp(box))
		die("mkdtemp: %s", strerror(errno));
	chmod(box, 0755);
	char dst[256];
	snprintf(dst, sizeof dst, "%s/prog", box);
	if (sh("cp '%s' '%s' && chmod 755 '%s'", g_hostile, dst, dst) != 0)
		die("cannot copy fixture");
	return box;
}

/* The default limits; SBX_TIME_SCALE=N multiplies their times (the cgroup
   v2 VM, where an emulated CPU faults pages in ten times slower). */
static struct sandbox_limits limits(void)
{
	const char *scale = getenv("SBX_TIME_SCALE");
	uint64_t k = scale && atoi(scale) > 0 ? (uint64_t)atoi(scale) : 1;
	return (struct sandbox_limits){ .cpu_ms = 1000 * k, .wall_ms = 4000 * k, .memory_kb = 64 * 1024,
		.output_kb = 1024, .stderr_kb = 64, .processes = 1, .file_kb = 1024, .open_files = 32 };
}

struct out {
	struct sandbox_result r;
	int rc;
	char *out, *err;
	size_t out_len, err_len;
};

static char *slurp(int fd, size_t *len)
{
	off_t n = lseek(fd, 0, SEEK_END);
	char *s = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(pread(fd, s, (size_t)n, 0), n);
	s[n] = 0;
	*len = (size_t)n;
	close(fd);
	return s;
}

static struct out run_in(struct sandbox *sb, enum sandbox_profile p, const char *box, const char *const *argv,
		struct sandbox_limits lim, const char *input, bool writable)
{
	static const char *const env[] = { "PATH=/usr/bin:/bin", "LANG=C.UTF-8", NULL };
	struct out o = { 0 };
	int in = -1;
	if (input) {
		in = memfd_create("in", 0);
		ck_assert_int_eq(write(in, input, strlen(input)), (ssize_t)strlen(input));
		lseek(in, 0, SEEK_SET);
	}
	int out = memfd_create("out", 0), err = memfd_create("err", 0);
	struct sandbox_spec spec = { .profile = p, .argv = argv, .env = env, .box_dir = box, .box_writable = writable,
		.stdin_fd = in, .stdout_fd = out, .stderr_fd = err, .limits = lim };
	o.rc = sandbox_run(sb, &spec, &o.r);
	if (in >= 0)
		close(in);
	o.out = slurp(out, &o.out_len);
	o.err = slurp(err, &o.err_len);
	fprintf(stderr, "[%s] %s %s: %s\n", p == SANDBOX_RUN ? "run" : p == SANDBOX_INTERP ? "interp" : "compile",
		argv[0], argv[1] ? argv[1] : "", o.r.message);
	return o;
}

static struct out run_mode(const char *mode, const char *arg, struct sandbox_limits lim, const char *input)
{
	const char *argv[] = { "/box/prog", mode, arg, NULL };
	return run_in(g_sb, SANDBOX_RUN, new_box(), argv, lim, input, false);
}

static void free_out(struct out *o)
{
	free(o->out);
	free(o->err);
}

#define ck_status(o, st) \
	ck_assert_msg((o).r.status == (st), "status %s, wanted %s: %s", sandbox_status_name((o).r.status), \
		sandbox_status_name(st), (o).r.message)

static void setup(void)
{
	char *err = NULL;
	struct sandbox_config cfg = { .slot = g_slot };
	g_sb = sandbox_new(&cfg, &err);
	ck_assert_msg(g_sb != NULL, "sandbox_new: %s", err);
	sandbox_get_info(g_sb, &g_info);
}

static void teardown(void)
{
	sandbox_free(g_sb);
	g_sb = NULL;
}

/* ------------------------------------------------------------ basic behaviour */

START_TEST(test_hello)
{
	struct out o = run_mode("hello", NULL, limits(), "20 22\n");
	ck_assert_int_eq(o.rc, 0);
	ck_status(o, SANDBOX_OK);
	ck_assert_str_eq(o.out, "42\n");
	ck_assert_uint_eq(o.r.output_bytes, 3);
	ck_assert_uint_gt(o.r.memory_kb, 0);
	ck_assert_ptr_nonnull(strstr(o.r.message, "memory from"));
	free_out(&o);
}
END_TEST

static int count_fds(void)
{
	int n = 0;
	DIR *d = opendir("/proc/self/fd");
	while (d && readdir(d))
		n++;
	if (d)
		closedir(d);
	return n;
}

START_TEST(test_many_runs)
{
	/* the same sandbox, many runs: nothing accumulates, the caller's fds stay */
	struct stat before0, after0;
	ck_assert_int_eq(fstat(0, &before0), 0);
	int fds = count_fds();
	for (int i = 0; i < 30; i++) {
		struct out o = run_mode(i % 2 ? "hello" : "exit3", NULL, limits(), "1 1\n");
		ck_status(o, i % 2 ? SANDBOX_OK : SANDBOX_EXITED);
		ck_assert_str_eq(o.out, i % 2 ? "2\n" : "");
		free_out(&o);
	}
	ck_assert_int_eq(fstat(0, &after0), 0);
	ck_assert(before0.st_ino == after0.st_ino && before0.st_dev == after0.st_dev);
	/* at most the pidfds of the last few inits, which may still be exiting,
	 * and (as root) the waiting inits the helper has handed over: two per
	 * profile, a socket and a pidfd each */
	ck_assert_int_le(count_fds(), fds + 4 + 3 * 2 * 2);
}
END_TEST

START_TEST(test_exit_code)
{
	struct out o = run_mode("exit3", NULL, limits(), NULL);
	ck_status(o, SANDBOX_EXITED);
	ck_assert_int_eq(o.r.exit_code, 3);
	free_out(&o);
}
END_TEST

START_TEST(test_abort)
{
	struct out o = run_mode("abort", NULL, limits(), NULL);
	ck_status(o, SANDBOX_SIGNALED);
	ck_assert_int_eq(o.r.signal, SIGABRT);
	free_out(&o);
}
END_TEST

START_TEST(test_segv)
{
	struct out o = run_mode("segv", NULL, limits(), NULL);
	ck_status(o, SANDBOX_SIGNALED);
	ck_assert_int_eq(o.r.signal, SIGSEGV);
	free_out(&o);
}
END_TEST

START_TEST(test_env)
{
	setenv("SBX_CALLER_SECRET", "hunter2", 1);
	struct out o = run_mode("env", NULL, limits(), NULL);
	ck_status(o, SANDBOX_OK);
	ck_assert_str_eq(o.out, "PATH=/usr/bin:/bin\nLANG=C.UTF-8\n");
	free_out(&o);
}
END_TEST

START_TEST(test_missing_program)
{
	const char *argv[] = { "/box/nonexistent", NULL };
	struct out o = run_in(g_sb, SANDBOX_RUN, new_box(), argv, limits(), NULL, false);
	ck_assert_int_lt(o.rc, 0);
	ck_status(o, SANDBOX_ERROR);
	ck_assert_ptr_nonnull(strstr(o.r.message, "cannot execute"));
	free_out(&o);
}
END_TEST

/* argv[0] is there but cannot start: the program's own failure, never a
 * sandbox error (a contestant must not be able to cause one at will) */
START_TEST(test_exec_failed)
{
	char *box = new_box();
	/* 0: a dynamic binary, whose ELF interpreter the run root lacks; 1: not
	 * executable; 2: no known format; 3: a #! interpreter that is not there;
	 * 4: a FIFO */
	static const int want[] = { ENOENT, EACCES, ENOEXEC, ENOENT, EACCES };
	int i = _i, rc = -1;
	switch (i) {
	case 0: rc = sh("cp /usr/bin/true '%s/prog2'", box); break;
	case 1: rc = sh("cp '%s/prog' '%s/prog2' && chmod 644 '%s/prog2'", box, box, box); break;
	case 2: rc = sh("printf 'garbage' > '%s/prog2' && chmod 755 '%s/prog2'", box, box); break;
	case 3: rc = sh("printf '#!/nonexistent/sh\\n' > '%s/prog2' && chmod 755 '%s/prog2'", box, box); break;
	case 4: rc = sh("mkfifo -m 755 '%s/prog2'", box); break;
	}
	ck_assert_int_eq(rc, 0);
	const char *argv[] = { "/box/prog2", NULL };
	struct out o = run_in(g_sb, SANDBOX_RUN, box, argv, limits(), NULL, false);
	ck_assert_int_eq(o.rc, 0);
	ck_status(o, SANDBOX_EXEC_FAILED);
	ck_assert_int_eq(o.r.exec_errno, want[i]);
	ck_assert_ptr_nonnull(strstr(o.r.message, "cannot execute '/box/prog2'"));
	free_out(&o);
	/* the sandbox is fine afterwards */
	o = run_mode("hello", NULL, limits(), "1 2\n");
	ck_status(o, SANDBOX_OK);
	free_out(&o);
}
END_TEST

/* System V IPC lives in the IPC namespace the helper keeps for the worker's
 * lifetime: no profile may make such an object */
START_TEST(test_no_sysv_ipc)
{
	const char *argv[] = { "/box/prog", "shm", NULL };
	struct out o = run_in(g_sb, SANDBOX_COMPILE, new_box(), argv, limits(), NULL, true);
	ck_status(o, SANDBOX_OK);
	ck_assert_str_eq(o.out, "shmget: Function not implemented\n");
	free_out(&o);
	o = run_mode("shm", NULL, limits(), NULL);
	ck_status(o, SANDBOX_SYSCALL);
	ck_assert_str_eq(o.r.syscall, g_info.seccomp_notify ? "shmget" : "unknown");
	free_out(&o);
}
END_TEST

/* A bounded writable box (box_kb): a tmpfs of that size; only regular files
 * come back to the host box, so a FIFO or symlink planted there never
 * reaches the files the judge opens next */
START_TEST(test_bounded_box)
{
	struct sandbox_limits l = limits();
	l.box_kb = 4096;
	l.file_kb = 4096;
	char *box = new_box();
	const char *argv[] = { "/box/prog", "plant", "/box", NULL };
	struct out o = run_in(g_sb, SANDBOX_COMPILE, box, argv, l, NULL, true);
	ck_status(o, SANDBOX_OK);
	ck_assert_str_eq(o.out, "planted 0 0 0\n");
	ck_assert(!o.r.box_full);
	free_out(&o);
	struct stat st;
	char path[256];
	snprintf(path, sizeof path, "%s/plain", box);
	ck_assert_int_eq(lstat(path, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	snprintf(path, sizeof path, "%s/fifo", box);
	ck_assert_int_eq(lstat(path, &st), -1);
	snprintf(path, sizeof path, "%s/link", box);
	ck_assert_int_eq(lstat(path, &st), -1);
	/* the program came in and went back out unchanged */
	ck_assert_int_eq(sh("cmp -s '%s' '%s/prog'", g_hostile, box), 0);
	/* filling it: the box is full, the host gets at most box_kb */
	const char *argv2[] = { "/box/prog", "fill", "/box", NULL };
	o = run_in(g_sb, SANDBOX_COMPILE, box, argv2, l, NULL, true);
	ck_status(o, SANDBOX_OK);
	ck_assert(o.r.box_full);
	free_out(&o);
	ck_assert_int_eq(sh("test $(du -sk '%s' | cut -f1) -le 4200", box), 0);
}
END_TEST

START_TEST(test_bad_box)
{
	const char *argv[] = { "/box/prog", NULL };
	struct out o = run_in(g_sb, SANDBOX_RUN, "/nonexistent/box", argv, limits(), NULL, false);
	ck_assert_int_eq(o.rc, -ENOENT);
	ck_status(o, SANDBOX_ERROR);
	free_out(&o);
}
END_TEST

/* ------------------------------------------------------------ limits */

START_TEST(test_cpu_limit)
{
	struct sandbox_limits l = limits();
	l.cpu_ms = 300;
	struct out o = run_mode("cpu", NULL, l, NULL);
	ck_status(o, SANDBOX_TIME);
	ck_assert_uint_ge(o.r.cpu_ms, 300);
	ck_assert_uint_lt(o.r.wall_ms, 2500);
	free_out(&o);
}
END_TEST

START_TEST(test_wall_limit)
{
	struct sandbox_limits l = limits();
	l.wall_ms = 300;
	struct out o = run_mode("sleep", NULL, l, NULL);
	ck_status(o, SANDBOX_WALL);
	ck_assert_uint_ge(o.r.wall_ms, 300);
	ck_assert_uint_lt(o.r.wall_ms, 2000);
	ck_assert_uint_lt(o.r.cpu_ms, 100);
	free_out(&o);
}
END_TEST

START_TEST(test_memory_malloc_loop)
{
	/* malloc until it fails: MLE, not the program's "malloc failed" */
	struct out o = run_mode("mem", NULL, limits(), NULL);
	ck_status(o, SANDBOX_MEMORY);
	free_out(&o);
}
END_TEST

START_TEST(test_memory_big_malloc)
{
	/* 192 MiB touched under a 64 MiB limit */
	struct out o = run_mode("bigmalloc", "192", limits(), NULL);
	ck_status(o, SANDBOX_MEMORY);
	free_out(&o);
	if (g_info.cgroup_memory) {
		/* one allocation far over the limit: with the cgroup, still MLE */
		o = run_mode("bigmalloc", "4096", limits(), NULL);
		ck_status(o, SANDBOX_MEMORY);
		free_out(&o);
	}
}
END_TEST

START_TEST(test_memory_under_limit)
{
	struct out o = run_mode("bigmalloc", "16", limits(), NULL);
	ck_status(o, SANDBOX_OK);
	/* the peak over the sandbox's own baseline: within a few hundred KiB */
	ck_assert_uint_ge(o.r.memory_kb, 16 * 1024 - 256);
	ck_assert_uint_lt(o.r.memory_kb, 20 * 1024);
	free_out(&o);
}
END_TEST

START_TEST(test_stack_overflow)
{
	/* the stack counts against the memory limit */
	struct out o = run_mode("stack", NULL, limits(), NULL);
	ck_assert_msg(o.r.status == SANDBOX_MEMORY || (o.r.status == SANDBOX_SIGNALED && o.r.signal == SIGSEGV),
		"%s", o.r.message);
	free_out(&o);
	/* a smaller explicit stack: a plain crash (RTE), far from the memory limit */
	struct sandbox_limits l = limits();
	l.stack_kb = 1024;
	o = run_mode("stack", NULL, l, NULL);
	ck_status(o, SANDBOX_SIGNALED);
	ck_assert_int_eq(o.r.signal, SIGSEGV);
	free_out(&o);
}
END_TEST

START_TEST(test_output_limit)
{
	struct sandbox_limits l = limits();
	l.output_kb = 64;
	struct out o = run_mode("output", NULL, l, NULL);
	ck_status(o, SANDBOX_OUTPUT);
	ck_assert_uint_eq(o.out_len, 64 * 1024);
	ck_assert_uint_eq(o.r.output_bytes, 64 * 1024);
	free_out(&o);
}
END_TEST

START_TEST(test_stderr_capped)
{
	struct sandbox_limits l = limits();
	l.stderr_kb = 4;
	struct out o = run_mode("stderr", NULL, l, NULL);
	ck_status(o, SANDBOX_OK);
	ck_assert_str_eq(o.out, "done\n");
	ck_assert_uint_eq(o.err_len, 4096);
	free_out(&o);
}
END_TEST

START_TEST(test_open_files)
{
	struct sandbox_limits l = limits();
	l.open_files = 16;
	struct out o = run_mode("openmany", NULL, l, NULL);
	ck_status(o, SANDBOX_OK);
	/* 16 descriptors in all: stdin, stdout and stderr are three of them */
	ck_assert_str_eq(o.out, "opened 13: Too many open files\n");
	free_out(&o);
}
END_TEST

START_TEST(test_threads_allowed)
{
	struct sandbox_limits l = limits();
	l.processes = 8;
	struct out o = run_mode("threads", "4", l, NULL);
	ck_status(o, SANDBOX_OK);
	ck_assert_str_eq(o.out, "4\n");
	free_out(&o);
}
END_TEST

START_TEST(test_thread_bomb)
{
	struct sandbox_limits l = limits();
	l.processes = 4;
	struct out o = run_mode("threadbomb", NULL, l, NULL);
	ck_status(o, SANDBOX_OK);
	int n = -1;
	ck_assert_int_eq(sscanf(o.out, "threads %d", &n), 1);
	/* as root the pids cgroup is exact; in a user namespace RLIMIT_NPROC also
	 * counts the sandbox's helper processes that share the uid (up to ~20) */
	ck_assert_int_le(n, g_info.cgroup_pids ? 3 : 30);
	free_out(&o);
}
END_TEST

START_TEST(test_fork_bomb)
{
	struct out o = run_mode("fork", NULL, limits(), NULL);
	ck_status(o, SANDBOX_SYSCALL);
	ck_assert_str_eq(o.r.syscall, "clone");
	free_out(&o);
}
END_TEST

START_TEST(test_fork_bomb_compile_profile)
{
	/* fork is allowed when compiling: the process limit stops it */
	const char *argv[] = { "/box/prog", "fork", NULL };
	struct sandbox_limits l = limits();
	l.processes = 16;
	l.wall_ms = 2000;
	struct out o = run_in(g_sb, SANDBOX_COMPILE, new_box(), argv, l, NULL, false);
	/* the processes spin at the pids limit until a limit ends it (all their
	 * copies can also fill the memory limit) */
	ck_assert_msg(o.r.status == SANDBOX_WALL || o.r.status == SANDBOX_TIME || o.r.status == SANDBOX_MEMORY,
		"%s", o.r.message);
	ck_assert_uint_lt(o.r.wall_ms, 4000);
	free_out(&o);
}
END_TEST

/* ------------------------------------------------------------ forbidden calls */

struct forbidden {
	const char *mode, *arg, *syscall;
};

/* (socket and writes are not here: they fail, see read_only_machine) */
static const struct forbidden forbidden[] = {
	{ "ptrace", NULL, "ptrace" },
	{ "killall", NULL, "kill" },
	{ "setuid", NULL, "setuid" },
	{ "mount", NULL, "mount" },
	{ "unshare", NULL, "unshare" },
	{ "reboot", NULL, "reboot" },
	{ "execsh", NULL, "execve" },
};

START_TEST(test_forbidden_run)
{
	const struct forbidden *f = &forbidden[_i];
	struct out o = run_mode(f->mode, f->arg, limits(), NULL);
	ck_status(o, SANDBOX_SYSCALL);
	ck_assert_str_eq(o.r.syscall, f->syscall);
	ck_assert_ptr_null(strstr(o.out, "escaped"));
	free_out(&o);
}
END_TEST

static const struct forbidden forbidden_compile[] = {
	{ "ptrace", NULL, "ptrace" },
	{ "mount", NULL, "mount" },
	{ "unshare", NULL, "unshare" },
	{ "reboot", NULL, "reboot" },
	{ "setuid", NULL, "setuid" },
};

START_TEST(test_forbidden_compile)
{
	const struct forbidden *f = &forbidden_compile[_i];
	const char *argv[] = { "/box/prog", f->mode, f->arg, NULL };
	struct out o = run_in(g_sb, SANDBOX_COMPILE, new_box(), argv, limits(), NULL, false);
	ck_status(o, SANDBOX_SYSCALL);
	ck_assert_str_eq(o.r.syscall, f->syscall);
	free_out(&o);
}
END_TEST

/* A harmless call fails as on a read-only machine without a network: the
 * program is told (EROFS, EACCES) and goes on, never killed */
START_TEST(test_read_only_machine)
{
	const char *paths[] = { "/box/x", "/tmp/x" };
	for (size_t i = 0; i < 2; i++) {
		struct out o = run_mode("write", paths[i], limits(), NULL);
		ck_status(o, SANDBOX_OK);
		char want[64];
		snprintf(want, sizeof want, "open %s: Read-only file system\n", paths[i]);
		ck_assert_str_eq(o.out, want);
		free_out(&o);
	}
	struct out o = run_mode("udp", "8100", limits(), NULL);
	ck_status(o, SANDBOX_OK);
	ck_assert_str_eq(o.out, "socket: Permission denied\n");
	free_out(&o);
	o = run_mode("readonly", NULL, limits(), NULL);
	ck_status(o, SANDBOX_OK);
	ck_assert_str_eq(o.out, "mkdir: Read-only file system\nunlink: Read-only file system\n"
		"rename: Read-only file system\nchmod: Read-only file system\ncreat: Read-only file system\n"
		"append: Read-only file system\ngetgroups: ok\nsocketpair: Permission denied\nstill running\n");
	free_out(&o);
}
END_TEST

/* ------------------------------------------------------------ isolation */

START_TEST(test_network)
{
	/* a listener on the host's loopback that nothing may reach */
	int ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(8100) };
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	int one = 1;
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(ls, (struct sockaddr *)&sa, sizeof sa) < 0) {
		sa.sin_port = 0; /* 8100 is taken: any port proves the same */
		ck_assert_int_eq(bind(ls, (struct sockaddr *)&sa, sizeof sa), 0);
	}
	ck_assert_int_eq(listen(ls, 8), 0);
	socklen_t sl = sizeof sa;
	getsockname(ls, (struct sockaddr *)&sa, &sl);
	char port[16];
	snprintf(port, sizeof port, "%d", ntohs(sa.sin_port));

	/* compile profile: socket() answers EACCES */
	const char *argv[] = { "/box/prog", "connect", port, NULL };
	struct out o = run_in(g_sb, SANDBOX_COMPILE, new_box(), argv, limits(), NULL, false);
	ck_status(o, SANDBOX_OK);
	ck_assert_str_eq(o.out, "socket: Permission denied\n");
	free_out(&o);
	/* run profile: socket() answers EACCES too, the program goes on */
	o = run_mode("connect", port, limits(), NULL);
	ck_status(o, SANDBOX_OK);
	ck_assert_str_eq(o.out, "socket: Permission denied\n");
	free_out(&o);
	/* python: an exception */
	char *box = new_box();
	char path[256];
	snprintf(path, sizeof path, "%s/c.py", box);
	char py[512];
	snprintf(py, sizeof py,
		"import socket\ntry:\n  s = socket.create_connection(('127.0.0.1', %s), timeout=1)\n  print('connected')\n"
		"except OSError as e:\n  print('failed', e.errno)\n", port);
	write_text(path, py);
	const char *pargv[] = { "/usr/bin/python3", "/box/c.py", NULL };
	struct sandbox_limits l = limits();
	l.memory_kb = 256 * 1024;
	o = run_in(g_sb, SANDBOX_INTERP, box, pargv, l, NULL, false);
	ck_status(o, SANDBOX_OK);
	ck_assert_str_eq(o.out, "failed 13\n");
	free_out(&o);

	int c = accept(ls, NULL, NULL);
	ck_assert_int_lt(c, 0); /* nobody came */
	close(ls);
}
END_TEST

START_TEST(test_read_shadow)
{
	struct out o = run_mode("read", "/etc/shadow", limits(), NULL);
	ck_status(o, SANDBOX_OK);
	ck_assert_ptr_null(strstr(o.out, "CONTENT"));
	free_out(&o);
	const char *argv[] = { "/box/prog", "read", "/etc/shadow", NULL };
	o = run_in(g_sb, SANDBOX_COMPILE, new_box(), argv, limits(), NULL, false);
	ck_status(o, SANDBOX_OK);
	ck_assert_ptr_null(strstr(o.out, "CONTENT"));
	free_out(&o);

	/* even with /etc in the jail, the program's uid cannot read it */
	if (access("/etc/shadow", F_OK) == 0) {
		char *err = NULL;
		static const char *const ro[] = { "/usr", "/lib", "/lib64", "/bin", "/etc", NULL };
		struct sandbox_config cfg = { .slot = g_slot + 1, .ro_paths = ro };
		struct sandbox *sb2 = sandbox_new(&cfg, &err);
		ck_assert_msg(sb2 != NULL, "%s", err);
		o = run_in(sb2, SANDBOX_COMPILE, new_box(), argv, limits(), NULL, false);
		ck_status(o, SANDBOX_OK);
		ck_assert_str_eq(o.out, "cannot open /etc/shadow: Permission denied\n");
		free_out(&o);
		sandbox_free(sb2);
	}
}
END_TEST

START_TEST(test_data_dir_and_other_boxes)
{
	/* a "data dir" and another run's box on the host: not visible */
	char data[256], secret[300];
	snprintf(data, sizeof data, "%s/data", g_tmp);
	mkdir(data, 0755);
	snprintf(secret, sizeof secret, "%s/verdict.db", data);
	write_text(secret, "SECRET DATABASE\n");
	char *other = new_box();
	char other_file[256];
	snprintf(other_file, sizeof other_file, "%s/answer.txt", other);
	write_text(other_file, "OTHER RUN\n");

	const char *paths[] = { secret, other_file, "/proc/1/environ", "/proc/self/status", "/root/.bashrc",
		"/work/shared/API.md" };
	for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
		for (int p = 0; p < 2; p++) {
			const char *argv[] = { "/box/prog", "read", paths[i], NULL };
			struct out o = run_in(g_sb, p ? SANDBOX_COMPILE : SANDBOX_RUN, new_box(), argv, limits(), NULL,
				false);
			ck_status(o, SANDBOX_OK);
			ck_assert_msg(strstr(o.out, "CONTENT") == NULL, "%s readable: %s", paths[i], o.out);
			free_out(&o);
		}
	}
}
END_TEST

START_TEST(test_listing)
{
	/* RUN: the root has nothing but /box and /tmp; no /proc; an empty /tmp */
	struct out o = run_mode("ls", "/", limits(), NULL);
	ck_status(o, SANDBOX_OK);
	ck_assert_msg(!strcmp(o.out, "box\ntmp\n") || !strcmp(o.out, "tmp\nbox\n"), "root: %s", o.out);
	free_out(&o);
	o = run_mode("ls", "/proc", limits(), NULL);
	ck_assert_ptr_nonnull(strstr(o.out, "cannot list"));
	free_out(&o);
	o = run_mode("ls", "/tmp", limits(), NULL);
	ck_assert_str_eq(o.out, "");
	free_out(&o);
	o = run_mode("ls", "/box", limits(), NULL);
	ck_assert_str_eq(o.out, "prog\n");
	free_out(&o);
	/* COMPILE: the read-only paths, devices, /box, /tmp; nothing of the host's */
	const char *argv[] = { "/box/prog", "ls", "/", NULL };
	o = run_in(g_sb, SANDBOX_COMPILE, new_box(), argv, limits(), NULL, false);
	ck_status(o, SANDBOX_OK);
	const char *bad[] = { "home", "root", "proc", "work", "sys", "var" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char line[32];
		snprintf(line, sizeof line, "%s\n", bad[i]);
		ck_assert_msg(strstr(o.out, line) == NULL, "/%s visible: %s", bad[i], o.out);
	}
	free_out(&o);
}
END_TEST

START_TEST(test_disk_fill)
{
	struct sandbox_limits l = limits();
	l.file_kb = 2048;
	/* COMPILE, writable box: one big file hits RLIMIT_FSIZE */
	char *box = new_box();
	const char *argv[] = { "/box/prog", "write", "/box/big", NULL };
	struct out o = run_in(g_sb, SANDBOX_COMPILE, box, argv, l, NULL, true);
	ck_status(o, SANDBOX_OUTPUT);
	free_out(&o);
	char big[256];
	snprintf(big, sizeof big, "%s/big", box);
	struct stat st;
	ck_assert_int_eq(stat(big, &st), 0);
	ck_assert_int_le(st.st_size, 2048 * 1024);
	/* many files in /tmp: the tmpfs is full at file_kb */
	const char *argv2[] = { "/box/prog", "fill", "/tmp", NULL };
	o = run_in(g_sb, SANDBOX_COMPILE, new_box(), argv2, l, NULL, false);
	ck_status(o, SANDBOX_OK);
	int mib = -1;
	ck_assert_int_eq(sscanf(o.out, "filled %d MiB", &mib), 1);
	ck_assert_int_le(mib, 2);
	free_out(&o);
	/* read-only box */
	const char *argv3[] = { "/box/prog", "write", "/box/x", NULL };
	o = run_in(g_sb, SANDBOX_COMPILE, new_box(), argv3, l, NULL, false);
	ck_status(o, SANDBOX_OK);
	ck_assert_str_eq(o.out, "open /box/x: Read-only file system\n");
	free_out(&o);
}
END_TEST

START_TEST(test_daemon_dies)
{
	char tag[16];
	snprintf(tag, sizeof tag, "sbxd%d", (int)getpid() % 100000);
	const char *argv[] = { "/box/prog", "daemon", tag, NULL };
	struct sandbox_limits l = limits();
	l.processes = 8;
	struct out o = run_in(g_sb, SANDBOX_COMPILE, new_box(), argv, l, NULL, false);
	ck_status(o, SANDBOX_OK);
	ck_assert_str_eq(o.out, "daemon started\n");
	free_out(&o);
	/* sandbox_run has returned: no process of that name anywhere */
	DIR *d = opendir("/proc");
	struct dirent *e;
	int found = 0;
	while ((e = readdir(d))) {
		char path[300], comm[64] = "";
		snprintf(path, sizeof path, "/proc/%s/comm", e->d_name);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof comm, f) && !strncmp(comm, tag, strlen(tag)))
			found++;
		fclose(f);
	}
	closedir(d);
	ck_assert_int_eq(found, 0);
}
END_TEST

/* ------------------------------------------------------------ python3 */

static struct out run_py(const char *code, const char *input, struct sandbox_limits l)
{
	char *box = new_box();
	char path[256];
	snprintf(path, sizeof path, "%s/main.py", box);
	write_text(path, code);
	const char *argv[] = { "/usr/bin/python3", "-S", "/box/main.py", NULL };
	return run_in(g_sb, SANDBOX_INTERP, box, argv, l, input, false);
}

static struct sandbox_limits py_limits(void)
{
	struct sandbox_limits l = limits();
	l.memory_kb = 256 * 1024;
	l.cpu_ms = 3000;
	l.wall_ms = 8000;
	l.processes = 8;
	return l;
}

START_TEST(test_python_hello)
{
	struct out o = run_py("print('hello')\n", NULL, py_limits());
	ck_status(o, SANDBOX_OK);
	ck_assert_str_eq(o.out, "hello\n");
	free_out(&o);
	o = run_py("import sys\na, b = map(int, sys.stdin.read().split())\nprint(a + b)\n", "40 2\n", py_limits());
	ck_status(o, SANDBOX_OK);
	ck_assert_str_eq(o.out, "42\n");
	free_out(&o);
	o = run_py("import json, re, collections, math, heapq, itertools, functools, decimal, fractions\n"
		"print(json.dumps({'a': math.gcd(12, 18)}))\n", NULL, py_limits());
	ck_status(o, SANDBOX_OK);
	ck_assert_str_eq(o.out, "{\"a\": 6}\n");
	free_out(&o);
}
END_TEST

START_TEST(test_python_threads)
{
	struct out o = run_py("import threading\nr = []\nts = [threading.Thread(target=r.append, args=(i,)) "
		"for i in range(4)]\n[t.start() for t in ts]\n[t.join() for t in ts]\nprint(sorted(r))\n", NULL, py_limits());
	ck_status(o, SANDBOX_OK);
	ck_assert_str_eq(o.out, "[0, 1, 2, 3]\n");
	free_out(&o);
}
END_TEST

START_TEST(test_python_no_escape)
{
	struct out o = run_py("import os\nprint('system', os.system('echo escaped'))\n", NULL, py_limits());
	ck_status(o, SANDBOX_OK);
	ck_assert_ptr_null(strstr(o.out, "escaped"));
	ck_assert_ptr_nonnull(strstr(o.out, "system "));
	ck_assert_ptr_null(strstr(o.out, "system 0"));
	free_out(&o);
	o = run_py("import os\ntry:\n  os.fork()\n  print('forked')\nexcept OSError as e:\n  print('fork', e.errno)\n",
		NULL, py_limits());
	ck_status(o, SANDBOX_OK);
	ck_assert_str_eq(o.out, "fork 1\n");
	free_out(&o);
	o = run_py("import os\nos.execv('/bin/sh', ['sh', '-c', 'echo escaped'])\n", NULL, py_limits());
	ck_status(o, SANDBOX_SYSCALL);
	ck_assert_str_eq(o.r.syscall, "execve");
	free_out(&o);
	o = run_py("try:\n  open('/etc/shadow').read()\n  print('CONTENT')\nexcept OSError as e:\n  print('no', e.errno)\n",
		NULL, py_limits());
	ck_status(o, SANDBOX_OK);
	ck_assert_ptr_null(strstr(o.out, "CONTENT"));
	free_out(&o);
}
END_TEST

START_TEST(test_python_errors)
{
	struct out o = run_py("print('unclosed'\n", NULL, py_limits());
	ck_status(o, SANDBOX_EXITED);
	ck_assert_int_eq(o.r.exit_code, 1);
	ck_assert_ptr_nonnull(strstr(o.err, "SyntaxError"));
	free_out(&o);
	o = run_py("x = []\nwhile True:\n  x.append(bytearray(1 << 20))\n", NULL, py_limits());
	ck_status(o, SANDBOX_MEMORY);
	free_out(&o);
	struct sandbox_limits l = py_limits();
	l.cpu_ms = 500;
	o = run_py("while True:\n  pass\n", NULL, l);
	ck_status(o, SANDBOX_TIME);
	free_out(&o);
}
END_TEST

/* ------------------------------------------------------------ compilers */

static struct sandbox_limits cc_limits(void)
{
	return (struct sandbox_limits){ .cpu_ms = 10000, .wall_ms = 15000, .memory_kb = 512 * 1024,
		.output_kb = 64, .stderr_kb = 64, .processes = 32, .file_kb = 64 * 1024, .open_files = 128 };
}

static struct out compile(const char *cc, const char *file, const char *src, struct sandbox_limits l, char **box_out)
{
	char *box = new_box();
	char path[256];
	snprintf(path, sizeof path, "%s/%s", box, file);
	write_text(path, src);
	char in[64];
	snprintf(in, sizeof in, "/box/%s", file);
	const char *argv[] = { cc, "-O2", "-static", "-o", "/box/sol", in, NULL };
	if (box_out)
		*box_out = box;
	return run_in(g_sb, SANDBOX_COMPILE, box, argv, l, NULL, true);
}

START_TEST(test_compile_and_run)
{
	char *box;
	struct out o = compile("/usr/bin/gcc", "sol.c",
		"#include <stdio.h>\nint main(void) { int a, b; if (scanf(\"%d %d\", &a, &b) != 2) return 1; "
		"printf(\"%d\\n\", a + b); return 0; }\n", cc_limits(), &box);
	ck_status(o, SANDBOX_OK);
	free_out(&o);
	const char *argv[] = { "/box/sol", NULL };
	o = run_in(g_sb, SANDBOX_RUN, box, argv, limits(), "5 7\n", false);
	ck_status(o, SANDBOX_OK);
	ck_assert_str_eq(o.out, "12\n");
	free_out(&o);
	/* g++ and the C++ runtime (iostream, threads) */
	o = compile("/usr/bin/g++", "sol.cpp",
		"#include <iostream>\n#include <thread>\n#include <vector>\nint main() { long a, b; std::cin >> a >> b; "
		"long s = 0; std::thread t([&]{ s = a + b; }); t.join(); std::vector<long> v(1000, 1); "
		"std::cout << s + v.size() - 1000 << std::endl; }\n", cc_limits(), &box);
	ck_status(o, SANDBOX_OK);
	free_out(&o);
	struct sandbox_limits l = limits();
	l.processes = 4;
	o = run_in(g_sb, SANDBOX_RUN, box, argv, l, "5 8\n", false);
	ck_status(o, SANDBOX_OK);
	ck_assert_str_eq(o.out, "13\n");
	free_out(&o);
}
END_TEST

START_TEST(test_compile_dev_zero)
{
	struct sandbox_limits l = cc_limits();
	l.memory_kb = 256 * 1024;
	l.cpu_ms = 5000;
	l.wall_ms = 8000;
	struct out o = compile("/usr/bin/gcc", "z.c", "#include \"/dev/zero\"\n", l, NULL);
	ck_assert_msg(o.r.status == SANDBOX_MEMORY || o.r.status == SANDBOX_TIME || o.r.status == SANDBOX_WALL,
		"%s", o.r.message);
	ck_assert_uint_lt(o.r.wall_ms, 10000);
	free_out(&o);
}
END_TEST

START_TEST(test_compile_template_bomb)
{
	struct sandbox_limits l = cc_limits();
	l.memory_kb = 256 * 1024;
	l.cpu_ms = 3000;
	l.wall_ms = 6000;
	struct out o = compile("/usr/bin/g++", "t.cpp",
		"template<int N, unsigned long M> struct B { static const unsigned long v = "
		"B<N - 1, 2 * M>::v + B<N - 1, 2 * M + 1>::v; };\n"
		"template<unsigned long M> struct B<0, M> { static const unsigned long v = M; };\n"
		"unsigned long x = B<26, 0>::v;\nint main() { return (int)x; }\n", l, NULL);
	ck_assert_msg(o.r.status == SANDBOX_MEMORY || o.r.status == SANDBOX_TIME || o.r.status == SANDBOX_WALL,
		"%s", o.r.message);
	ck_assert_uint_lt(o.r.wall_ms, 8000);
	free_out(&o);
}
END_TEST

START_TEST(test_compile_huge_array)
{
	struct sandbox_limits l = cc_limits();
	char *box;
	struct out o = compile("/usr/bin/gcc", "a.c",
		"char a[2000000000] = {1};\nint main(void) { return a[12345]; }\n", l, &box);
	ck_assert_int_ne(o.r.status, SANDBOX_OK);
	ck_assert_int_ne(o.r.status, SANDBOX_ERROR);
	/* the assembler was stopped by RLIMIT_FSIZE (or a later limit) */
	ck_assert_msg(strstr(o.err, "File size limit exceeded") || o.r.status != SANDBOX_EXITED, "%s", o.err);
	free_out(&o);
	/* nothing bigger than file_kb was written */
	ck_assert_int_eq(sh("test -z \"$(find '%s' -size +%dk)\"", box, 64 * 1024), 0);
}
END_TEST

START_TEST(test_compile_endless_diagnostics)
{
	/* megabytes of errors: kept to stderr_kb, the rest drained; gcc either
	 * finishes (a compile error) or a limit stops it */
	size_t cap = 8 << 20;
	char *src = malloc(cap), *p = src;
	for (int i = 0; i < 10000; i++)
		p += snprintf(p, cap - (size_t)(p - src), "int f%d(void) { return undefined_symbol_number_%d + another_missing_%d; }\n", i, i, i);
	struct sandbox_limits l = cc_limits();
	l.cpu_ms = 8000;
	l.wall_ms = 12000;
	struct out o = compile("/usr/bin/gcc", "e.c", src, l, NULL);
	free(src);
	ck_assert_msg(o.r.status == SANDBOX_EXITED || o.r.status == SANDBOX_TIME || o.r.status == SANDBOX_WALL,
		"%s", o.r.message);
	ck_assert_uint_eq(o.err_len, 64 * 1024);
	free_out(&o);
}
END_TEST

START_TEST(test_compile_include_shadow)
{
	struct out o = compile("/usr/bin/gcc", "s.c", "#include \"/etc/shadow\"\n", cc_limits(), NULL);
	ck_status(o, SANDBOX_EXITED);
	ck_assert_ptr_null(strstr(o.err, "root:"));
	ck_assert_ptr_nonnull(strstr(o.err, "/etc/shadow"));
	free_out(&o);
}
END_TEST

/* ------------------------------------------------------------ the suite */

static Suite *sandbox_suite(void)
{
	Suite *s = suite_create("sandbox");
	struct {
		const char *name;
		const TTest *t;
		int loop;
		int timeout;
	} tests[] = {
		{ "hello", test_hello, 0, 20 },
		{ "many_runs", test_many_runs, 0, 30 },
		{ "exit_code", test_exit_code, 0, 20 },
		{ "abort", test_abort, 0, 20 },
		{ "segv", test_segv, 0, 20 },
		{ "env", test_env, 0, 20 },
		{ "missing_program", test_missing_program, 0, 20 },
		{ "exec_failed", test_exec_failed, 5, 20 },
		{ "no_sysv_ipc", test_no_sysv_ipc, 0, 20 },
		{ "bounded_box", test_bounded_box, 0, 20 },
		{ "bad_box", test_bad_box, 0, 20 },
		{ "cpu_limit", test_cpu_limit, 0, 20 },
		{ "wall_limit", test_wall_limit, 0, 20 },
		{ "memory_malloc_loop", test_memory_malloc_loop, 0, 20 },
		{ "memory_big_malloc", test_memory_big_malloc, 0, 20 },
		{ "memory_under_limit", test_memory_under_limit, 0, 20 },
		{ "stack_overflow", test_stack_overflow, 0, 20 },
		{ "output_limit", test_output_limit, 0, 20 },
		{ "stderr_capped", test_stderr_capped, 0, 20 },
		{ "open_files", test_open_files, 0, 20 },
		{ "threads_allowed", test_threads_allowed, 0, 20 },
		{ "thread_bomb", test_thread_bomb, 0, 20 },
		{ "fork_bomb", test_fork_bomb, 0, 20 },
		{ "fork_bomb_compile_profile", test_fork_bomb_compile_profile, 0, 20 },
		{ "forbidden_run", test_forbidden_run, (int)(sizeof forbidden / sizeof *forbidden), 20 },
		{ "forbidden_compile", test_forbidden_compile, (int)(sizeof forbidden_compile / sizeof *forbidden_compile), 20 },
		{ "read_only_machine", test_read_only_machine, 0, 20 },
		{ "network", test_network, 0, 30 },
		{ "read_shadow", test_read_shadow, 0, 30 },
		{ "data_dir_and_other_boxes", test_data_dir_and_other_boxes, 0, 30 },
		{ "listing", test_listing, 0, 20 },
		{ "disk_fill", test_disk_fill, 0, 20 },
		{ "daemon_dies", test_daemon_dies, 0, 20 },
		{ "python_hello", test_python_hello, 0, 30 },
		{ "python_threads", test_python_threads, 0, 30 },
		{ "python_no_escape", test_python_no_escape, 0, 30 },
		{ "python_errors", test_python_errors, 0, 60 },
		{ "compile_and_run", test_compile_and_run, 0, 60 },
		{ "compile_dev_zero", test_compile_dev_zero, 0, 60 },
		{ "compile_template_bomb", test_compile_template_bomb, 0, 60 },
		{ "compile_huge_array", test_compile_huge_array, 0, 60 },
		{ "compile_endless_diagnostics", test_compile_endless_diagnostics, 0, 90 },
		{ "compile_include_shadow", test_compile_include_shadow, 0, 60 },
	};
	/* SBX_ONLY=a,b,c: only those cases (the cgroup v2 VM, where an emulated
	   CPU makes compilers too slow for the compile cases' limits). */
	const char *only = getenv("SBX_ONLY");
	for (size_t i = 0; i < sizeof tests / sizeof *tests; i++) {
		char key[64];
		snprintf(key, sizeof key, ",%s,", tests[i].name);
		char list[1024];
		snprintf(list, sizeof list, ",%s,", only ? only : "");
		if (only && !strstr(list, key))
			continue;
		TCase *tc = tcase_create(tests[i].name);
		tcase_add_checked_fixture(tc, setup, teardown);
		tcase_set_timeout(tc, tests[i].timeout);
		if (tests[i].loop)
			tcase_add_loop_test(tc, tests[i].t, 0, tests[i].loop);
		else
			tcase_add_test(tc, tests[i].t);
		suite_add_tcase(s, tc);
	}
	return s;
}

/* After the suite: no process of the slot uid, no helper directory, no cgroup.
 * A fresh sandbox first sweeps what killed test processes left (their
 * helper died with them, but not the empty directories). */
static int check_leftovers(void)
{
	int bad = 0;
	for (int slot = g_slot; slot <= g_slot + 1; slot++) {
		char *err = NULL;
		struct sandbox_config cfg = { .slot = slot };
		struct sandbox *sb = sandbox_new(&cfg, &err);
		if (sb)
			sandbox_free(sb);
		free(err);
	}
	for (int slot = g_slot; slot <= g_slot + 1; slot++) {
		if (sh("ls -d /tmp/verdict-sandbox-%d-* >/dev/null 2>&1", slot) == 0) {
			fprintf(stderr, "leftover: /tmp/verdict-sandbox-%d-*\n", slot);
			bad++;
		}
		if (sh("ls -d /sys/fs/cgroup/*/verdict-sandbox/s%d-* /sys/fs/cgroup/verdict-sandbox/s%d-* 2>/dev/null |"
		       " grep -q .", slot, slot) == 0) {
			fprintf(stderr, "leftover: cgroup s%d-*\n", slot);
			bad++;
		}
		if (geteuid() == 0 && sh("ps -o pid= -u %d >/dev/null", 60000 + slot) == 0) {
			fprintf(stderr, "leftover: processes of uid %d\n", 60000 + slot);
			sh("ps -f -u %d >&2", 60000 + slot);
			bad++;
		}
	}
	return bad;
}

int main(int argc, char **argv)
{
	bool unpriv = argc > 1 && !strcmp(argv[1], "--unprivileged");
	if (unpriv && geteuid() == 0)
		return sbx_test_rerun_unprivileged("test-sandbox", HOSTILE_SRC, "SBX_HOSTILE_SRC");
	if (unpriv && !getenv("SBX_TEST_UNPRIV")) {
		printf("already unprivileged: the main sandbox test covers this case\n");
		return 77;
	}
	g_slot = 100 + (int)(getpid() % 200) * 4 + (unpriv ? 2 : 0);

	/* Can this kernel make the namespaces at all? */
	char *err = NULL;
	struct sandbox_config cfg = { .slot = g_slot };
	struct sandbox *probe = sandbox_new(&cfg, &err);
	if (!probe) {
		printf("sandbox unavailable here (%s): skipping\n", err);
		free(err);
		return 77;
	}
	sandbox_get_info(probe, &g_info);
	sandbox_free(probe);
	printf("mode: %s, cgroup v%d memory %d, pids %d, cpu %d (%s), seccomp notify %d, uid %u\n",
		g_info.root ? "root (per-slot uid)" : "user namespace", g_info.cgroup_version, g_info.cgroup_memory,
		g_info.cgroup_pids, g_info.cgroup_cpu, g_info.cgroup_why, g_info.seccomp_notify, g_info.uid);
	/* SBX_EXPECT_CGROUP=2 (the cgroup v2 VM): the run must have every v2 controller, not fall back. */
	const char *expect = getenv(unpriv ? "SBX_EXPECT_CGROUP_UNPRIV" : "SBX_EXPECT_CGROUP");
	if (expect && (g_info.cgroup_version != atoi(expect) || !g_info.cgroup_memory || !g_info.cgroup_pids ||
		       !g_info.cgroup_cpu)) {
		fprintf(stderr, "expected cgroup v%s with memory, pids and cpu; have v%d (%s)\n", expect,
			g_info.cgroup_version, g_info.cgroup_why);
		return 1;
	}

	snprintf(g_tmp, sizeof g_tmp, "/tmp/sbx-test-XXXXXX");
	if (!mkdtemp(g_tmp))
		die("mkdtemp: %s", strerror(errno));
	chmod(g_tmp, 0755);
	snprintf(g_hostile, sizeof g_hostile, "%s/hostile", g_tmp);
	const char *hostile_src = getenv("SBX_HOSTILE_SRC") ? getenv("SBX_HOSTILE_SRC") : HOSTILE_SRC;
	if (sh("gcc -O2 -static -pthread -o '%s' '%s'", g_hostile, hostile_src) != 0)
		die("cannot build the fixture %s", hostile_src);

	SRunner *sr = srunner_create(sandbox_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);

	sh("rm -rf '%s'", g_tmp);
	failed += check_leftovers();
	return failed ? 1 : 0;
}
