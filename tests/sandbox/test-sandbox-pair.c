/* Tests of sandbox_run_pair: two programs connected by pipes both ways (an
 * interactive problem's submission and interactor), each with its own
 * limits and result, with programs that stop reading, flood, close their
 * pipe, crash, fork or hang. The fixture (tests/sandbox/progs/pair.c) is
 * built static at start-up. Runs as root and, with --unprivileged, as
 * nobody through setpriv (user namespace). Exits 77 where the kernel
 * refuses the namespaces. */
#include "sandbox.h"
#include "unpriv.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef PAIR_SRC
#error "PAIR_SRC must name tests/sandbox/progs/pair.c"
#endif

static int g_slot;
static char g_tmp[64];
static char g_box[128];      /* the fixture as /box/prog; shared, read-only in the runs */
static struct sandbox *g_sb;

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

static struct sandbox_limits limits(uint64_t wall_ms)
{
	return (struct sandbox_limits){ .cpu_ms = 2000, .wall_ms = wall_ms, .memory_kb = 64 * 1024,
		.stderr_kb = 16, .processes = 1, .file_kb = 64, .open_files = 16 };
}

struct side {
	const char *argv[6];
	struct sandbox_limits lim;
};

struct pair {
	struct sandbox_result a, b;
	int rc;
	char err_a[256], err_b[256];
};

static void read_err(int fd, char *out, size_t n)
{
	ssize_t len = pread(fd, out, n - 1, 0);
	out[len > 0 ? len : 0] = 0;
	close(fd);
}

static struct pair run_pair(struct side a, struct side b)
{
	static const char *const env[] = { "PATH=/usr/bin:/bin", NULL };
	struct pair p;
	int ea = memfd_create("err-a", 0), eb = memfd_create("err-b", 0);
	struct sandbox_spec sa = { .profile = SANDBOX_RUN, .argv = a.argv, .env = env, .box_dir = g_box,
		.stdin_fd = -1, .stdout_fd = -1, .stderr_fd = ea, .limits = a.lim };
	struct sandbox_spec sb = sa;
	sb.argv = b.argv;
	sb.stderr_fd = eb;
	sb.limits = b.lim;
	p.rc = sandbox_run_pair(g_sb, &sa, &sb, &p.a, &p.b);
	read_err(ea, p.err_a, sizeof p.err_a);
	read_err(eb, p.err_b, sizeof p.err_b);
	fprintf(stderr, "[pair] %s | %s\n  a: %s (ended %llu us)\n  b: %s (ended %llu us)\n", a.argv[1], b.argv[1],
		p.a.message, (unsigned long long)p.a.ended_us, p.b.message, (unsigned long long)p.b.ended_us);
	return p;
}

#define SIDE(lim_, ...) ((struct side){ .argv = { "/box/prog", __VA_ARGS__, NULL }, .lim = (lim_) })

#define ck_status(r, st) \
	ck_assert_msg((r).status == (st), "status %s, wanted %s: %s", sandbox_status_name((r).status), \
		sandbox_status_name(st), (r).message)
#define ck_exit(r, code) \
	do { \
		ck_status(r, SANDBOX_EXITED); \
		ck_assert_int_eq((r).exit_code, code); \
	} while (0)

static void setup(void)
{
	char *err = NULL;
	struct sandbox_config cfg = { .slot = g_slot };
	g_sb = sandbox_new(&cfg, &err);
	ck_assert_msg(g_sb != NULL, "sandbox_new: %s", err);
}

static void teardown(void)
{
	sandbox_free(g_sb);
	g_sb = NULL;
}

START_TEST(test_guessing_game)
{
	struct pair p = run_pair(SIDE(limits(4000), "guesser"), SIDE(limits(5000), "judge", "777777"));
	ck_assert_int_eq(p.rc, 0);
	ck_status(p.a, SANDBOX_OK);
	ck_exit(p.b, 42);
	ck_assert_ptr_nonnull(strstr(p.err_b, "found in"));
	ck_assert_int_eq(p.a.closed_order + p.b.closed_order, 3); /* one first, one second */
	ck_assert_uint_gt(p.a.ended_us, 0);
	ck_assert_uint_gt(p.b.ended_us, 0);
}
END_TEST

START_TEST(test_never_reads)
{
	/* neither side writes: the silent submission's wall limit ends it first,
	 * then the interactor reads EOF */
	struct pair p = run_pair(SIDE(limits(800), "mute"), SIDE(limits(5000), "judge", "5"));
	ck_assert_int_eq(p.rc, 0);
	ck_status(p.a, SANDBOX_WALL);
	ck_exit(p.b, 43);
	ck_assert_ptr_nonnull(strstr(p.err_b, "no guess"));
	/* the order is closed_order's (the kernel's); the two inits' clocks may
	   stamp a causal order reversed by a scheduling delay */
	ck_assert_int_eq(p.a.closed_order, 1);
}
END_TEST

START_TEST(test_submission_floods)
{
	/* the interactor gives up at once; the flooding writer then gets EPIPE */
	struct pair p = run_pair(SIDE(limits(4000), "flood"), SIDE(limits(4000), "judge", "5"));
	ck_assert_int_eq(p.rc, 0);
	ck_exit(p.b, 43);
	ck_status(p.a, SANDBOX_SIGNALED);
	ck_assert_int_eq(p.a.signal, SIGPIPE);
	ck_assert_int_eq(p.b.closed_order, 1); /* the interactor's end came first: then the EPIPE */
}
END_TEST

START_TEST(test_closes_stdout)
{
	/* the interactor sees EOF at once, and its end closes the submission's stdin */
	struct pair p = run_pair(SIDE(limits(4000), "closeout"), SIDE(limits(4000), "judge", "5"));
	ck_assert_int_eq(p.rc, 0);
	ck_exit(p.b, 43);
	ck_status(p.a, SANDBOX_OK);
	ck_assert_uint_lt(p.a.wall_ms, 3000);
	ck_assert_int_eq(p.a.closed_order, 1); /* its close, not its exit */
}
END_TEST

START_TEST(test_submission_crashes)
{
	struct pair p = run_pair(SIDE(limits(4000), "crash"), SIDE(limits(4000), "judge", "5"));
	ck_assert_int_eq(p.rc, 0);
	ck_status(p.a, SANDBOX_SIGNALED);
	ck_assert_int_eq(p.a.signal, SIGABRT);
	ck_exit(p.b, 43);
	ck_assert_int_eq(p.a.closed_order, 1);
	ck_assert_int_eq(p.b.closed_order, 2); /* exact, where the ends are microseconds apart */
}
END_TEST

START_TEST(test_submission_forks)
{
	/* fork is forbidden under SANDBOX_RUN: killed before it writes */
	struct pair p = run_pair(SIDE(limits(4000), "fork"), SIDE(limits(4000), "judge", "5"));
	ck_assert_int_eq(p.rc, 0);
	ck_assert_msg(p.a.status == SANDBOX_SYSCALL, "status %s: %s", sandbox_status_name(p.a.status), p.a.message);
	ck_exit(p.b, 43);
	ck_assert_int_eq(p.a.closed_order, 1); /* the interactor's WA came of the kill */
}
END_TEST

START_TEST(test_own_cpu_limit)
{
	/* each side has its own limits: the spinning submission's CPU limit */
	struct sandbox_limits l = limits(4000);
	l.cpu_ms = 300;
	struct pair p = run_pair(SIDE(l, "spin"), SIDE(limits(6000), "judge", "5"));
	ck_assert_int_eq(p.rc, 0);
	ck_status(p.a, SANDBOX_TIME);
	ck_exit(p.b, 43);
	ck_assert_uint_lt(p.b.cpu_ms, 100);
}
END_TEST

START_TEST(test_interactor_hangs)
{
	/* it answers right, then never exits: its wall limit ends it */
	struct pair p = run_pair(SIDE(limits(4000), "guesser"), SIDE(limits(1000), "judge", "1234", "hang"));
	ck_assert_int_eq(p.rc, 0);
	ck_status(p.a, SANDBOX_OK);
	ck_status(p.b, SANDBOX_WALL);
	ck_assert_uint_le(p.a.ended_us, p.b.ended_us);
}
END_TEST

START_TEST(test_interactor_floods)
{
	/* the submission stops at the first answer it does not understand; the
	 * flooding interactor then gets EPIPE */
	struct pair p = run_pair(SIDE(limits(4000), "guesser"), SIDE(limits(4000), "judge", "1234", "flood"));
	ck_assert_int_eq(p.rc, 0);
	ck_exit(p.a, 2);
	ck_status(p.b, SANDBOX_SIGNALED);
	ck_assert_int_eq(p.b.signal, SIGPIPE);
	ck_assert_int_eq(p.a.closed_order, 1);
}
END_TEST

START_TEST(test_interactor_never_reads_flooder)
{
	/* both ignore each other: a flood into a full pipe blocks, the wall limits end both */
	struct pair p = run_pair(SIDE(limits(700), "flood"), SIDE(limits(1200), "mute"));
	ck_assert_int_eq(p.rc, 0);
	ck_status(p.a, SANDBOX_WALL);
	ck_status(p.b, SANDBOX_WALL);
	ck_assert_uint_le(p.a.ended_us, p.b.ended_us);
}
END_TEST

START_TEST(test_other_side_cannot_start)
{
	/* a sandbox failure of one side ends the other at once */
	struct side bad = SIDE(limits(4000), "judge");
	bad.argv[0] = "/box/missing";
	struct pair p = run_pair(SIDE(limits(4000), "mute"), bad);
	ck_assert_int_lt(p.rc, 0);
	ck_status(p.b, SANDBOX_ERROR);
	ck_status(p.a, SANDBOX_ERROR);
	ck_assert_uint_lt(p.a.wall_ms, 3000);
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

START_TEST(test_many_pairs)
{
	/* pairs and single runs alternate on one sandbox; nothing accumulates */
	int fds = count_fds();
	for (int i = 0; i < 12; i++) {
		char secret[16];
		snprintf(secret, sizeof secret, "%d", 1 + i * 7919);
		struct pair p = run_pair(SIDE(limits(4000), "ping", "200"), SIDE(limits(4000), "pong"));
		ck_status(p.a, SANDBOX_OK);
		ck_status(p.b, SANDBOX_OK);
		p = run_pair(SIDE(limits(4000), "guesser"), SIDE(limits(4000), "judge", secret));
		ck_status(p.a, SANDBOX_OK);
		ck_exit(p.b, 42);
		int out = memfd_create("out", 0);
		const char *argv[] = { "/box/prog", "pong", NULL };
		struct sandbox_spec s = { .profile = SANDBOX_RUN, .argv = argv, .box_dir = g_box, .stdin_fd = -1,
			.stdout_fd = out, .stderr_fd = -1, .limits = limits(2000) };
		struct sandbox_result r;
		ck_assert_int_eq(sandbox_run(g_sb, &s, &r), 0);
		ck_status(r, SANDBOX_OK);
		close(out);
	}
	/* at most the pidfds of the last few inits, which may still be exiting,
	 * and (as root) the waiting inits the helper has handed over: two per
	 * profile, a socket and a pidfd each */
	ck_assert_int_le(count_fds(), fds + 4 + 3 * 2 * 2);
}
END_TEST

static Suite *pair_suite(void)
{
	Suite *s = suite_create("sandbox-pair");
	struct {
		const char *name;
		const TTest *t;
		int timeout;
	} tests[] = {
		{ "guessing_game", test_guessing_game, 20 },
		{ "never_reads", test_never_reads, 20 },
		{ "submission_floods", test_submission_floods, 20 },
		{ "closes_stdout", test_closes_stdout, 20 },
		{ "submission_crashes", test_submission_crashes, 20 },
		{ "submission_forks", test_submission_forks, 20 },
		{ "own_cpu_limit", test_own_cpu_limit, 20 },
		{ "interactor_hangs", test_interactor_hangs, 20 },
		{ "interactor_floods", test_interactor_floods, 20 },
		{ "interactor_never_reads_flooder", test_interactor_never_reads_flooder, 20 },
		{ "other_side_cannot_start", test_other_side_cannot_start, 20 },
		{ "many_pairs", test_many_pairs, 120 },
	};
	for (size_t i = 0; i < sizeof tests / sizeof *tests; i++) {
		TCase *tc = tcase_create(tests[i].name);
		tcase_add_checked_fixture(tc, setup, teardown);
		tcase_set_timeout(tc, tests[i].timeout);
		tcase_add_test(tc, tests[i].t);
		suite_add_tcase(s, tc);
	}
	return s;
}

int main(int argc, char **argv)
{
	bool unpriv = argc > 1 && !strcmp(argv[1], "--unprivileged");
	if (unpriv && geteuid() == 0)
		return sbx_test_rerun_unprivileged("test-sandbox-pair", PAIR_SRC, "SBX_PAIR_SRC");
	if (unpriv && !getenv("SBX_TEST_UNPRIV")) {
		printf("already unprivileged: the main pair test covers this case\n");
		return 77;
	}
	g_slot = 1100 + (int)(getpid() % 200) * 4 + (unpriv ? 2 : 0);
	char *err = NULL;
	struct sandbox_config cfg = { .slot = g_slot };
	struct sandbox *probe = sandbox_new(&cfg, &err);
	if (!probe) {
		printf("sandbox unavailable here (%s): skipping\n", err);
		free(err);
		return 77;
	}
	sandbox_free(probe);

	snprintf(g_tmp, sizeof g_tmp, "/tmp/sbx-pair-XXXXXX");
	if (!mkdtemp(g_tmp) || chmod(g_tmp, 0755) < 0)
		return 1;
	snprintf(g_box, sizeof g_box, "%s/box", g_tmp);
	const char *src = getenv("SBX_PAIR_SRC") ? getenv("SBX_PAIR_SRC") : PAIR_SRC;
	if (mkdir(g_box, 0755) < 0 || sh("gcc -O2 -static -o '%s/prog' '%s'", g_box, src) != 0) {
		fprintf(stderr, "cannot build the fixture %s\n", src);
		return 1;
	}
	SRunner *sr = srunner_create(pair_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	sh("rm -rf '%s'", g_tmp);
	if (geteuid() == 0 && sh("ps -o pid= -u %d >/dev/null", 60000 + g_slot) == 0) {
		fprintf(stderr, "leftover: processes of uid %d\n", 60000 + g_slot);
		failed++;
	}
	return failed ? 1 : 0;
}
