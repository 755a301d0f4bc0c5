/* Supervising a run (sandbox_run): the request goes to a waiting init, then
 * a poll loop copies stdout and stderr under their caps, enforces wall, CPU
 * and memory limits on a 10 ms tick, and the init's report (wait status,
 * rusage, cgroup counters) is classified into a sandbox_result. */
#include "sandbox_int.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>

#define TICK_MS 10               /* supervisor poll period */
#define KILL_GRACE_MS 2000       /* after killing the program, wait this long for the init's report */

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void sbx_offer_close(struct sbx_offer *o)
{
	if (o->sock >= 0)
		close(o->sock);
	if (o->pidfd >= 0)
		close(o->pidfd);
	o->sock = o->pidfd = -1;
}

/* Waits until the init behind pidfd is gone (its pid namespace with it),
 * killing it if it takes long. Closes pidfd. */
static void wait_init(int pidfd)
{
	struct pollfd pf = { .fd = pidfd, .events = POLLIN };
	if (poll(&pf, 1, 0) == 0 && poll(&pf, 1, 5000) == 0) {
		sbx_pidfd_kill(pidfd, SIGKILL);
		poll(&pf, 1, 5000);
	}
	close(pidfd);
}

void sbx_reap_pending(struct sandbox *sb, bool all)
{
	int keep = 0;
	for (int i = 0; i < sb->npending; i++) {
		struct pollfd pf = { .fd = sb->pending[i], .events = POLLIN };
		if (all || poll(&pf, 1, 0) != 0)
			wait_init(sb->pending[i]);
		else
			sb->pending[keep++] = sb->pending[i];
	}
	sb->npending = keep;
	if (sb->npending == (int)(sizeof sb->pending / sizeof *sb->pending)) {
		wait_init(sb->pending[0]);
		memmove(sb->pending, sb->pending + 1, sizeof(int) * (size_t)--sb->npending);
	}
}

const char *sandbox_status_name(enum sandbox_status st)
{
	static const char *const names[] = { "OK", "EXITED", "SIGNALED", "TIME", "WALL", "MEMORY", "OUTPUT",
		"SYSCALL", "ERROR", "EXEC_FAILED" };
	if ((unsigned)st < sizeof names / sizeof *names)
		return names[st];
	return "UNKNOWN";
}

/* Takes the zygote's offers that have arrived (never blocks). */
static void drain_offers(struct sandbox *sb)
{
	for (;;) {
		struct ctl_msg m;
		int fds[NFDS_MAX], nfds;
		ssize_t n = sbx_recv_with_fds_flags(sb->ctl, &m, sizeof m, fds, NFDS_MAX, &nfds, MSG_DONTWAIT);
		if (n <= 0 && n != -EMSGSIZE)
			return;
		if (n == (ssize_t)sizeof m && m.magic == CTL_MAGIC && m.type == CTL_OFFER && m.kind < SBX_NPROFILES &&
		    nfds == OFFER_NFDS && sb->noffers[m.kind] < (int)(sizeof sb->offers[0] / sizeof sb->offers[0][0])) {
			struct sbx_offer *o = &sb->offers[m.kind][sb->noffers[m.kind]++];
			o->sock = fds[0];
			o->pidfd = fds[1];
			o->id = m.id;
			continue;
		}
		for (int i = 0; i < nfds; i++)
			close(fds[i]);
	}
}

/* Root: gives the request straight to a waiting init the zygote offered,
 * doing the zygote's part (the box's mount) here.
 * Returns 1 if sent, 0 if no usable offer (use the zygote), negative errno
 * on a failure that ends the run. */
static int dispatch_direct(struct sandbox *sb, struct req *rq, size_t len, const int *fds, const char *box,
		char *err, size_t errlen)
{
	int kind = (int)rq->profile;
	drain_offers(sb);
	if (sb->noffers[kind] == 0)
		return 0;
	/* the box first: an offer, once taken, is used or told about */
	int bfd = sbx_box_mount(rq, box, err, errlen);
	if (bfd < 0)
		return bfd;
	while (sb->noffers[kind] > 0) {
		struct sbx_offer o = sb->offers[kind][0];
		memmove(&sb->offers[kind][0], &sb->offers[kind][1], sizeof o * (size_t)--sb->noffers[kind]);
		struct pollfd pf = { .fd = o.pidfd, .events = POLLIN };
		if (poll(&pf, 1, 0) != 0) {
			sbx_offer_close(&o); /* that init died; the zygote replaces it */
			continue;
		}
		int all[FD_REQ_N] = { fds[0], fds[1], fds[2], fds[3], bfd };
		int rc = sbx_send_with_fds(o.sock, rq, len, all, FD_REQ_N);
		if (rc == 0) {
			struct ctl_msg t = { .magic = CTL_MAGIC, .type = CTL_TAKEN, .kind = (uint32_t)kind, .id = o.id,
				.file_kb = rq->lim.file_kb };
			if (sbx_send_with_fds(sb->ctl, &t, sizeof t, NULL, 0) < 0)
				sbx_logf(&sb->log, "cannot tell the sandbox helper about a run: %s", strerror(errno));
		}
		sbx_offer_close(&o);
		if (rc == 0) {
			close(bfd);
			return 1;
		}
	}
	close(bfd);
	return 0;
}

struct run_state {
	int64_t t0;
	int status_fd, out_r, err_r, tfd;
	int init_pidfd, prog_pidfd;
	int stat_fd;            /* /proc/PID/stat of the program (no cgroup) */
	int statm_fd;
	bool started, got_result, status_eof, out_eof, err_eof;
	bool notify;
	enum sandbox_status kill_reason; /* SANDBOX_OK: not killed */
	int64_t kill_at;
	bool init_killed;
	uint64_t out_bytes, err_bytes;
	int write_err;
	int64_t cpu_ns_polled;
	uint64_t rss_polled_kb;
	struct msg result;
	struct msg error;
	bool have_error;
	struct sbx_cg_run cgr;  /* the run's cgroup files (from STARTED), when cgroups are used */
	bool ticking;           /* the timerfd is armed */
};

static int prog_host_pid(int pidfd)
{
	char path[64], buf[512];
	sbx_fmt(path, sizeof path, "/proc/self/fdinfo/%d", pidfd);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	const char *p = strstr(buf, "\nPid:");
	return p ? atoi(p + 5) : -1;
}

static void kill_run(struct run_state *rs, enum sandbox_status why)
{
	if (rs->kill_reason != SANDBOX_OK)
		return;
	rs->kill_reason = why;
	rs->kill_at = mono_us();
	if (rs->prog_pidfd >= 0)
		sbx_pidfd_kill(rs->prog_pidfd, SIGKILL);
}

/* Polls CPU time and, without a memory cgroup, resident memory. */
static void poll_usage(struct sandbox *sb, struct run_state *rs)
{
	const struct sbx_cg_run *cgr = &rs->cgr;
	if (!rs->started)
		return;
	if (sb->cg.have[SBX_CG_CPU] && cgr->ready)
		rs->cpu_ns_polled = sbx_cg_cpu_ns(cgr);
	if (rs->stat_fd < 0 && (!sb->cg.have[SBX_CG_CPU] || !sb->cg.have[SBX_CG_MEMORY])) {
		int pid = prog_host_pid(rs->prog_pidfd);
		if (pid > 0) {
			char path[64];
			sbx_fmt(path, sizeof path, "/proc/%d/stat", pid);
			rs->stat_fd = open(path, O_RDONLY | O_CLOEXEC);
			sbx_fmt(path, sizeof path, "/proc/%d/statm", pid);
			rs->statm_fd = open(path, O_RDONLY | O_CLOEXEC);
		}
	}
	if (rs->stat_fd >= 0 && !sb->cg.have[SBX_CG_CPU]) {
		char buf[1024];
		ssize_t n = pread(rs->stat_fd, buf, sizeof buf - 1, 0);
		if (n > 0) {
			buf[n] = 0;
			/* fields after the ")" of comm: state is field 3, utime 14, stime 15 */
			char *p = strrchr(buf, ')');
			unsigned long long ut = 0, st = 0;
			if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) == 2) {
				long hz = sysconf(_SC_CLK_TCK);
				rs->cpu_ns_polled = (int64_t)((ut + st) * (1000000000ULL / (unsigned long long)hz));
			}
		}
	}
	if (rs->statm_fd >= 0 && !sb->cg.have[SBX_CG_MEMORY]) {
		char buf[256];
		ssize_t n = pread(rs->statm_fd, buf, sizeof buf - 1, 0);
		if (n > 0) {
			buf[n] = 0;
			unsigned long long size, res;
			if (sscanf(buf, "%llu %llu", &size, &res) == 2) {
				uint64_t kb = res * (uint64_t)(sysconf(_SC_PAGESIZE) / 1024);
				if (kb > rs->rss_polled_kb)
					rs->rss_polled_kb = kb;
			}
		}
	}
}

/* Copies what the pipe has; returns false at EOF. */
static bool pump(struct sandbox *sb, int fd, int dst, uint64_t limit, uint64_t *count, bool is_stdout,
		struct run_state *rs)
{
	for (;;) {
		ssize_t n = read(fd, sb->iobuf, 65536);
		if (n < 0)
			return errno == EAGAIN || errno == EINTR;
		if (n == 0)
			return false;
		uint64_t before = *count;
		*count += (uint64_t)n;
		uint64_t keep = 0;
		if (before < limit)
			keep = (uint64_t)n < limit - before ? (uint64_t)n : limit - before;
		if (keep > 0 && dst >= 0 && !rs->write_err) {
			int rc = sbx_write_all(dst, sb->iobuf, keep);
			if (rc < 0 && is_stdout) {
				rs->write_err = -rc;
				kill_run(rs, SANDBOX_ERROR);
			}
		}
		if (is_stdout && *count > limit)
			kill_run(rs, SANDBOX_OUTPUT);
		if ((size_t)n < 65536)
			return true;
	}
}

static void handle_status(struct run_state *rs)
{
	struct msg m;
	int fds[3], nfds;
	ssize_t n = sbx_recv_with_fds(rs->status_fd, &m, sizeof m, fds, 3, &nfds);
	if (n == 0 || (n < 0 && n != -EAGAIN && n != -EINTR)) {
		rs->status_eof = true;
		return;
	}
	if (n < 0)
		return;
	if ((size_t)n != sizeof m) {
		for (int i = 0; i < nfds; i++)
			close(fds[i]);
		return;
	}
	switch (m.type) {
	case MSG_STARTED:
		if ((nfds == 2 || nfds == 3) && !rs->started) {
			rs->init_pidfd = fds[0];
			rs->prog_pidfd = fds[1];
			if (nfds > 2) {
				int st[SBX_CG_NSTATS] = { -1, -1, -1, fds[2], -1 };
				sbx_cg_from_stat_fds(&rs->cgr, st);
			}
			rs->started = true;
			rs->notify = m.notify;
			if (rs->kill_reason != SANDBOX_OK)
				sbx_pidfd_kill(rs->prog_pidfd, SIGKILL);
			return;
		}
		break;
	case MSG_RESULT:
		rs->result = m;
		rs->got_result = true;
		break;
	case MSG_ERROR:
		rs->error = m;
		rs->have_error = true;
		break;
	}
	for (int i = 0; i < nfds; i++)
		close(fds[i]);
}

static void fail_result(struct sandbox_result *res, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail_result(struct sandbox_result *res, const char *fmt, ...)
{
	va_list ap;
	res->status = SANDBOX_ERROR;
	va_start(ap, fmt);
	vsnprintf(res->message, sizeof res->message, fmt, ap);
	va_end(ap);
}

static size_t pack_strings(char *dst, size_t cap, const char *const *v, uint32_t *count, bool *overflow)
{
	size_t used = 0;
	*count = 0;
	for (; v && *v; v++) {
		size_t l = strlen(*v) + 1;
		if (used + l > cap) {
			*overflow = true;
			return used;
		}
		memcpy(dst + used, *v, l);
		used += l;
		(*count)++;
	}
	return used;
}

static void classify(struct sandbox *sb, const struct sandbox_spec *spec, struct run_state *rs,
		const struct sbx_cg_stats *cgs, struct sandbox_result *res)
{
	const struct sandbox_limits *l = &spec->limits;
	char mem_how[96], cpu_how[48];
	int ws = rs->result.wstatus;
	bool have_result = rs->got_result;
	bool abnormal = !have_result || WIFSIGNALED(ws) || (WIFEXITED(ws) && WEXITSTATUS(ws) != 0);

	/* CPU: the cgroup when there is one (all processes, all threads), else rusage. */
	uint64_t ru_us = 0;
	if (have_result)
		ru_us = (uint64_t)rs->result.ru.ru_utime.tv_sec * 1000000 + (uint64_t)rs->result.ru.ru_utime.tv_usec +
			(uint64_t)rs->result.ru.ru_stime.tv_sec * 1000000 + (uint64_t)rs->result.ru.ru_stime.tv_usec;
	if (cgs && cgs->cpu_ns >= 0) {
		res->cpu_us = (uint64_t)cgs->cpu_ns / 1000;
		sbx_fmt(cpu_how, sizeof cpu_how, "cpu from cpuacct.usage");
	} else if (have_result) {
		res->cpu_us = ru_us;
		sbx_fmt(cpu_how, sizeof cpu_how, "cpu from rusage");
	} else {
		res->cpu_us = (uint64_t)(rs->cpu_ns_polled > 0 ? rs->cpu_ns_polled / 1000 : 0);
		sbx_fmt(cpu_how, sizeof cpu_how, "cpu from /proc stat poll");
	}
	res->cpu_ms = res->cpu_us / 1000;

	/* Memory: the cgroup peak, else ru_maxrss (or the last poll). */
	bool mle = false;
	uint64_t ml = l->memory_kb;
	if (cgs && sb->cg.have[SBX_CG_MEMORY]) {
		/* over the init's own usage when the run started (not the waiting
		 * program's, which its execve freed) */
		uint64_t base = 0;
		if (have_result && rs->result.cg_baseline > rs->result.cg_prog_pre)
			base = rs->result.cg_baseline - rs->result.cg_prog_pre;
		res->memory_kb = (cgs->peak_bytes > base ? cgs->peak_bytes - base : 0) / 1024;
		if (ml && (cgs->oom_kills > 0 || (abnormal && (cgs->failcnt > 0 || res->memory_kb + 256 >= ml))))
			mle = true;
		sbx_fmt(mem_how, sizeof mem_how, "memory from cgroup max_usage (failcnt %" PRIu64 ", oom_kill %" PRIu64 ")",
			cgs->failcnt, cgs->oom_kills);
	} else {
		uint64_t rss = have_result ? (uint64_t)rs->result.ru.ru_maxrss : 0;
		if (rs->rss_polled_kb > rss)
			rss = rs->rss_polled_kb;
		res->memory_kb = rss;
		if (ml && (rss > ml || (abnormal && rss * 10 >= ml * 9)))
			mle = true;
		sbx_fmt(mem_how, sizeof mem_how, "memory from ru_maxrss and statm polls (RLIMIT_AS %" PRIu64 " KiB)",
			ml ? ml * 4 + 262144 : 0);
	}

	if (have_result) {
		if (WIFEXITED(ws)) {
			res->exit_code = WEXITSTATUS(ws);
		} else if (WIFSIGNALED(ws)) {
			res->signal = WTERMSIG(ws);
		}
	}

	res->box_full = have_result && rs->result.box_full;
	const char *why = "";
	char syscall_name[32] = "";
	if (have_result && rs->result.syscall_nr >= 0)
		sbx_syscall_name(rs->result.syscall_nr, syscall_name, sizeof syscall_name);

	if (rs->kill_reason == SANDBOX_ERROR) {
		fail_result(res, "cannot write the program's output: %s", strerror(rs->write_err));
		return;
	} else if (have_result && rs->result.exec_errno) {
		res->status = SANDBOX_EXEC_FAILED;
		res->exec_errno = rs->result.exec_errno;
		sbx_fmt(res->message, sizeof res->message, "cannot execute '%s': %s (the file is there: "
			"not executable, a bad format or a missing interpreter)", spec->argv[0], strerror(res->exec_errno));
		return;
	} else if (rs->kill_reason != SANDBOX_OK) {
		res->status = rs->kill_reason;
		why = rs->kill_reason == SANDBOX_OUTPUT ? "killed: stdout over the limit" :
			rs->kill_reason == SANDBOX_TIME ? "killed: cpu time over the limit" :
			rs->kill_reason == SANDBOX_WALL ? "killed: wall time over the limit" :
			"killed: resident memory over the limit";
		if (rs->kill_reason == SANDBOX_MEMORY)
			mle = true;
	} else if (syscall_name[0]) {
		res->status = SANDBOX_SYSCALL;
		sbx_fmt(res->syscall, sizeof res->syscall, "%s", syscall_name);
		why = "forbidden system call";
	} else if (!have_result) {
		fail_result(res, "the sandbox init died without a report");
		return;
	} else if (l->cpu_ms && res->cpu_us > l->cpu_ms * 1000) {
		res->status = SANDBOX_TIME;
		why = "cpu time over the limit";
	} else if (mle) {
		res->status = SANDBOX_MEMORY;
		why = "memory limit";
	} else if (WIFSIGNALED(ws) && WTERMSIG(ws) == SIGXCPU) {
		res->status = SANDBOX_TIME;
		why = "RLIMIT_CPU";
	} else if (WIFSIGNALED(ws) && WTERMSIG(ws) == SIGXFSZ) {
		res->status = SANDBOX_OUTPUT;
		why = "file size limit";
	} else if (WIFSIGNALED(ws) && WTERMSIG(ws) == SIGSYS) {
		res->status = SANDBOX_SYSCALL;
		sbx_fmt(res->syscall, sizeof res->syscall, "unknown");
		why = "forbidden system call (SIGSYS)";
	} else if (WIFSIGNALED(ws)) {
		res->status = SANDBOX_SIGNALED;
		why = strsignal(WTERMSIG(ws));
	} else if (res->exit_code == 0) {
		res->status = SANDBOX_OK;
		why = "exited 0";
	} else {
		res->status = SANDBOX_EXITED;
		why = "exited non-zero";
	}
	sbx_fmt(res->message, sizeof res->message,
		"%s%s%s (exit %d, signal %d); %" PRIu64 " ms %s, %" PRIu64 " ms wall, %" PRIu64 " KiB %s, %" PRIu64 " B out",
		why, syscall_name[0] ? " " : "", syscall_name, res->exit_code, res->signal, res->cpu_ms, cpu_how,
		res->wall_ms, res->memory_kb, mem_how, res->output_bytes);
}

int sandbox_run(struct sandbox *sb, const struct sandbox_spec *spec, struct sandbox_result *res)
{
	struct run_state rs = { .status_fd = -1, .out_r = -1, .err_r = -1, .tfd = -1, .init_pidfd = -1,
		.prog_pidfd = -1, .stat_fd = -1, .statm_fd = -1, .cpu_ns_polled = -1 };
	int out[2] = { -1, -1 }, errp[2] = { -1, -1 }, st[2] = { -1, -1 };
	int rc = 0;
	char box[PATH_MAX];
	const struct sandbox_limits *l = &spec->limits;

	memset(res, 0, sizeof *res);
	res->status = SANDBOX_ERROR;
	if (!spec->argv || !spec->argv[0] || spec->argv[0][0] != '/' || !spec->box_dir || spec->stdout_fd < 0 ||
	    (unsigned)spec->profile >= SBX_NPROFILES) {
		fail_result(res, "bad sandbox spec (argv[0] must be absolute, box_dir and stdout_fd set)");
		return -EINVAL;
	}
	if (strlen(spec->argv[0]) >= sizeof sbx_exec_path) {
		fail_result(res, "program path too long");
		return -ENAMETOOLONG;
	}
	/* The zygote resolves the path in its view of the host's tree (the same
	 * files); a relative path is made absolute here, in the caller's cwd. */
	if (spec->box_dir[0] == '/' ? sbx_fmt(box, sizeof box, "%s", spec->box_dir) < 0 : !realpath(spec->box_dir, box)) {
		rc = spec->box_dir[0] == '/' ? -ENAMETOOLONG : -errno;
		fail_result(res, "cannot resolve box dir '%s': %s", spec->box_dir, strerror(-rc));
		return rc;
	}
	struct stat bs;
	if (stat(box, &bs) < 0 || !S_ISDIR(bs.st_mode)) {
		rc = stat(box, &bs) < 0 ? -errno : -ENOTDIR;
		fail_result(res, "box dir '%s' is not a directory: %s", box, strerror(-rc));
		return rc;
	}
	if (sb->root) {
		if ((bs.st_uid != sb->uid || bs.st_gid != sb->gid) && chown(box, sb->uid, sb->gid) < 0) {
			rc = -errno;
			fail_result(res, "cannot chown box dir '%s': %s", box, strerror(errno));
			return rc;
		}
	}

	/* The request: box, argv, env. */
	struct req *rq = (struct req *)sb->reqbuf;
	memset(rq, 0, sizeof *rq);
	rq->magic = REQ_MAGIC;
	rq->profile = (uint32_t)spec->profile;
	rq->lim = *l;
	bool overflow = false;
	size_t used = strlen(box) + 1;
	memcpy(rq->data, box, used);
	used += pack_strings(rq->data + used, MAX_REQ_DATA - used, spec->argv, &rq->argc, &overflow);
	if (!overflow)
		used += pack_strings(rq->data + used, MAX_REQ_DATA - used, spec->env, &rq->envc, &overflow);
	if (overflow) {
		fail_result(res, "argv and env are larger than %d bytes", MAX_REQ_DATA);
		return -E2BIG;
	}
	rq->datalen = (uint32_t)used;
	if (spec->box_writable)
		rq->flags |= REQ_BOX_WRITABLE;

	sbx_reap_pending(sb, false);
	/* Other processes with the program's uid: as root, the other waiting
	 * programs (POOL per profile) and the one forked for the next run; in a
	 * user namespace also the zygote, the waiting and next inits, this run's
	 * init and finished inits still exiting. */
	rq->nproc_extra = sb->root ? 2 * SBX_NPROFILES : 5 * SBX_NPROFILES + 1 + (uint32_t)sb->npending;
	if (pipe2(out, O_CLOEXEC | O_NONBLOCK) < 0 ||
	    (spec->stderr_fd >= 0 && pipe2(errp, O_CLOEXEC | O_NONBLOCK) < 0) ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, st) < 0 ||
	    (sb->tfd < 0 && (sb->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK)) < 0)) {
		rc = -errno;
		fail_result(res, "cannot make pipes: %s", strerror(errno));
		goto out;
	}
	/* The child ends must block (a non-blocking stdout would surprise programs). */
	fcntl(out[1], F_SETFL, 0);
	if (errp[1] >= 0)
		fcntl(errp[1], F_SETFL, 0);
	fcntl(st[1], F_SETFL, 0);

	int fds[4];
	fds[FD_STDIN] = spec->stdin_fd >= 0 ? spec->stdin_fd : sb->devnull;
	fds[FD_STDOUT] = out[1];
	fds[FD_STDERR] = errp[1] >= 0 ? errp[1] : sb->devnull;
	fds[FD_STATUS] = st[1];
	/* The periodic timerfd is armed only if the run outlives its first tick
	 * (a poll timeout until then): short runs never pay for it. */
	rs.tfd = sb->tfd;
	rs.ticking = false;

	rs.t0 = mono_us();
	/* As root the worker can do the zygote's part itself and hand the request
	 * straight to a waiting init (one hop less); else, or with no init offered
	 * yet, the zygote does. */
	int sent = 0;
	if (sb->root) {
		char err[300];
		if ((sent = dispatch_direct(sb, rq, sizeof *rq + used, fds, box, err, sizeof err)) < 0) {
			rc = sent;
			fail_result(res, "%s", err);
			goto out;
		}
	}
	if (!sent && (rc = sbx_send_with_fds(sb->ctl, rq, sizeof *rq + used, fds, 4)) < 0) {
		fail_result(res, "cannot reach the sandbox helper: %s", strerror(-rc));
		goto out;
	}
	close(out[1]);
	out[1] = -1;
	if (errp[1] >= 0) {
		close(errp[1]);
		errp[1] = -1;
	}
	close(st[1]);
	st[1] = -1;
	rs.status_fd = st[0];
	rs.out_r = out[0];
	rs.err_r = errp[0];
	rs.err_eof = rs.err_r < 0;

	uint64_t out_limit = l->output_kb ? l->output_kb * 1024 : UINT64_MAX;
	uint64_t err_limit = l->stderr_kb * 1024;
	int64_t wall_deadline = l->wall_ms ? rs.t0 + (int64_t)l->wall_ms * 1000 : INT64_MAX;
	int64_t start_deadline = rs.t0 + (int64_t)(l->wall_ms ? l->wall_ms : 60000) * 1000 + 5000000;

	while (!((rs.got_result || rs.status_eof) && rs.out_eof && rs.err_eof)) {
		struct pollfd pf[4] = {
			{ .fd = (rs.got_result || rs.status_eof) ? -1 : rs.status_fd, .events = POLLIN },
			{ .fd = rs.out_eof ? -1 : rs.out_r, .events = POLLIN },
			{ .fd = rs.err_eof ? -1 : rs.err_r, .events = POLLIN },
			{ .fd = rs.ticking ? rs.tfd : -1, .events = POLLIN },
		};
		int pr = poll(pf, 4, rs.ticking ? -1 : TICK_MS);
		if (pr < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			break;
		}
		if (pr == 0 && !rs.ticking) {
			struct itimerspec its = { .it_interval = { 0, TICK_MS * 1000000L },
				.it_value = { 0, TICK_MS * 1000000L } };
			timerfd_settime(rs.tfd, 0, &its, NULL);
			rs.ticking = true;
			pf[3].revents = POLLIN; /* this timeout is the first tick */
		}
		if (pf[1].revents)
			rs.out_eof = !pump(sb, rs.out_r, spec->stdout_fd, out_limit, &rs.out_bytes, true, &rs);
		if (pf[2].revents)
			rs.err_eof = !pump(sb, rs.err_r, spec->stderr_fd, err_limit, &rs.err_bytes, false, &rs);
		if (pf[0].revents) {
			handle_status(&rs);
			if (rs.got_result) {
				/* The init closed its copies before it reported and the program
				 * is gone: the pipes are at their end, or nearly. */
				if (!rs.out_eof)
					rs.out_eof = !pump(sb, rs.out_r, spec->stdout_fd, out_limit, &rs.out_bytes, true, &rs);
				if (!rs.err_eof)
					rs.err_eof = !pump(sb, rs.err_r, spec->stderr_fd, err_limit, &rs.err_bytes, false, &rs);
			}
		}
		if (rs.have_error)
			break;
		if (pf[3].revents & POLLIN) {
			uint64_t ticks;
			if (pr > 0 && read(rs.tfd, &ticks, sizeof ticks) < 0) {
				/* spurious wakeup */
			}
			int64_t now = mono_us();
			if (!rs.got_result) {
				poll_usage(sb, &rs);
				if (now >= wall_deadline)
					kill_run(&rs, SANDBOX_WALL);
				if (l->cpu_ms && rs.cpu_ns_polled > (int64_t)l->cpu_ms * 1000000)
					kill_run(&rs, SANDBOX_TIME);
				if (l->memory_kb && !sb->cg.have[SBX_CG_MEMORY] && rs.rss_polled_kb > l->memory_kb)
					kill_run(&rs, SANDBOX_MEMORY);
				if (!rs.started && now >= start_deadline) {
					rs.have_error = true;
					rs.error.err = ETIMEDOUT;
					sbx_fmt(rs.error.text, sizeof rs.error.text, "the run did not start in time");
					break;
				}
				if (rs.kill_reason != SANDBOX_OK && !rs.init_killed && rs.init_pidfd >= 0 &&
				    now - rs.kill_at > KILL_GRACE_MS * 1000) {
					sbx_pidfd_kill(rs.init_pidfd, SIGKILL);
					rs.init_killed = true;
				}
			} else if (now - rs.t0 > (int64_t)(l->wall_ms ? l->wall_ms : 60000) * 1000 + 10000000) {
				break; /* the pipes should have ended long ago */
			}
		}
	}
	res->wall_ms = (uint64_t)(mono_us() - rs.t0) / 1000;
	res->output_bytes = rs.out_bytes < out_limit ? rs.out_bytes : out_limit;

	if (rs.have_error) {
		if (rs.init_pidfd >= 0)
			sbx_pidfd_kill(rs.init_pidfd, SIGKILL);
		rc = rs.error.err ? -rs.error.err : -EIO;
		fail_result(res, "%s", rs.error.text);
		goto out;
	}
	if (rc < 0) {
		fail_result(res, "supervisor failed: %s", strerror(-rc));
		goto out;
	}

	struct sbx_cg_stats cgs;
	bool have_cgs = false;
	if (rs.got_result && rs.result.have_cgs) {
		cgs = rs.result.cgs;
		have_cgs = true;
	} else if (rs.cgr.ready) {
		sbx_cg_stats(&rs.cgr, &cgs); /* no report: the cgroups are still there (the init was killed) */
		have_cgs = true;
	}
	classify(sb, spec, &rs, have_cgs ? &cgs : NULL, res);
	if (res->status == SANDBOX_ERROR)
		rc = -EIO;

out:
	/* The init kills and reaps everything before it reports; if it did not
	 * report, kill it, which ends the pid namespace. */
	if (rs.init_pidfd >= 0) {
		if (rs.got_result) {
			sb->pending[sb->npending++] = rs.init_pidfd;
		} else {
			/* no report: kill the init, which ends the pid namespace, and wait */
			sbx_pidfd_kill(rs.init_pidfd, SIGKILL);
			wait_init(rs.init_pidfd);
		}
		rs.init_pidfd = -1;
	}
	/* the init reaps everything before it reports, so this is 0 */
	if (rs.got_result && rs.result.cg_left)
		sbx_logf(&sb->log, "WARNING: %u processes left in a finished run's cgroup", rs.result.cg_left);
	if (rs.cgr.ready)
		sbx_cg_close(&rs.cgr);
	if (rs.ticking) {
		struct itimerspec off = { { 0, 0 }, { 0, 0 } };
		uint64_t ticks;
		timerfd_settime(sb->tfd, 0, &off, NULL);
		if (read(sb->tfd, &ticks, sizeof ticks) < 0) {
			/* nothing pending: fine */
		}
	}
	int close_fds[] = { out[0], out[1], errp[0], errp[1], st[0], st[1], rs.prog_pidfd, rs.stat_fd,
		rs.statm_fd };
	for (size_t i = 0; i < sizeof close_fds / sizeof *close_fds; i++)
		if (close_fds[i] >= 0)
			close(close_fds[i]);
	return rc;
}
