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
#include <sys/epoll.h>
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
	const struct sandbox_spec *spec;
	struct sandbox_result *res;
	int rc;                 /* negative errno: the run failed (res says why) */
	bool over;              /* nothing more to wait for */
	int64_t t0;
	int64_t wall_deadline, start_deadline;
	uint64_t out_limit, err_limit;
	int out[2], errp[2], st[2];
	int status_fd, out_r, err_r;
	int init_pidfd, prog_pidfd;
	int stat_fd;            /* /proc/PID/stat of the program (no cgroup) */
	int statm_fd;
	bool started, got_result, status_eof, out_eof, err_eof;
	bool notify;
	bool prog_ended;        /* its pidfd said so (ended_at) */
	int64_t ended_at;
	bool peer_failed;       /* a pair: the other run failed, this one was killed */
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

static void handle_status(const struct sandbox *sb, struct run_state *rs)
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
				sbx_cg_from_stat_fds(&rs->cgr, st, sb->cg.version == 2);
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
		sbx_fmt(cpu_how, sizeof cpu_how, "cpu from %s", sb->cg.version == 2 ? "cpu.stat" : "cpuacct.usage");
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
		sbx_fmt(mem_how, sizeof mem_how, "memory from cgroup %s (%s %" PRIu64 ", oom_kill %" PRIu64 ")",
			sb->cg.version == 2 ? "v2 memory.peak" : "max_usage", sb->cg.version == 2 ? "max" : "failcnt",
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

	if (rs->kill_reason == SANDBOX_ERROR && rs->peer_failed) {
		fail_result(res, "killed: the other program of the pair could not run");
		return;
	} else if (rs->kill_reason == SANDBOX_ERROR) {
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

/* Checks the spec, writes the request into sb->reqbuf and makes the run's
 * pipes, then sends the request. stdin_fd and stdout_fd: -2 = the spec's
 * (stdout through a pipe the supervisor pumps), else the fd the program gets
 * (a pair's pipe end: nothing to pump). nproc_more: processes of the
 * program's uid besides the sandbox's own (the other run of a pair). 0, or
 * negative errno with rs->res failed. */
static int run_start(struct sandbox *sb, struct run_state *rs, int stdin_fd, int stdout_fd, uint32_t nproc_more)
{
	const struct sandbox_spec *spec = rs->spec;
	struct sandbox_result *res = rs->res;
	const struct sandbox_limits *l = &spec->limits;
	char box[PATH_MAX];
	int rc;

	if (!spec->argv || !spec->argv[0] || spec->argv[0][0] != '/' || !spec->box_dir ||
	    (stdout_fd == -2 && spec->stdout_fd < 0) || (unsigned)spec->profile >= SBX_NPROFILES) {
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

	/* Other processes with the program's uid: as root, the other waiting
	 * programs (POOL per profile) and the one forked for the next run; in a
	 * user namespace also the zygote, the waiting and next inits, this run's
	 * init and finished inits still exiting. */
	rq->nproc_extra = (sb->root ? 2 * SBX_NPROFILES : 5 * SBX_NPROFILES + 1 + (uint32_t)sb->npending) + nproc_more;
	bool pumped = stdout_fd == -2;
	if ((pumped && pipe2(rs->out, O_CLOEXEC | O_NONBLOCK) < 0) ||
	    (spec->stderr_fd >= 0 && pipe2(rs->errp, O_CLOEXEC | O_NONBLOCK) < 0) ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, rs->st) < 0 ||
	    (sb->tfd < 0 && (sb->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK)) < 0)) {
		rc = -errno;
		fail_result(res, "cannot make pipes: %s", strerror(errno));
		return rc;
	}
	/* The child ends must block (a non-blocking stdout would surprise programs). */
	if (pumped)
		fcntl(rs->out[1], F_SETFL, 0);
	if (rs->errp[1] >= 0)
		fcntl(rs->errp[1], F_SETFL, 0);
	fcntl(rs->st[1], F_SETFL, 0);

	int fds[4];
	int in = stdin_fd == -2 ? spec->stdin_fd : stdin_fd;
	fds[FD_STDIN] = in >= 0 ? in : sb->devnull;
	fds[FD_STDOUT] = pumped ? rs->out[1] : stdout_fd;
	fds[FD_STDERR] = rs->errp[1] >= 0 ? rs->errp[1] : sb->devnull;
	fds[FD_STATUS] = rs->st[1];

	/* As root the worker can do the zygote's part itself and hand the request
	 * straight to a waiting init (one hop less); else, or with no init offered
	 * yet, the zygote does. */
	int sent = 0;
	if (sb->root) {
		char err[300];
		if ((sent = dispatch_direct(sb, rq, sizeof *rq + used, fds, box, err, sizeof err)) < 0) {
			fail_result(res, "%s", err);
			return sent;
		}
	}
	if (!sent && (rc = sbx_send_with_fds(sb->ctl, rq, sizeof *rq + used, fds, 4)) < 0) {
		fail_result(res, "cannot reach the sandbox helper: %s", strerror(-rc));
		return rc;
	}
	for (int *fd = (int[]){ rs->out[1], rs->errp[1], rs->st[1] }, i = 0; i < 3; i++)
		if (fd[i] >= 0)
			close(fd[i]);
	rs->out[1] = rs->errp[1] = rs->st[1] = -1;
	rs->status_fd = rs->st[0];
	rs->out_r = rs->out[0];
	rs->err_r = rs->errp[0];
	rs->out_eof = rs->out_r < 0;
	rs->err_eof = rs->err_r < 0;
	rs->out_limit = l->output_kb ? l->output_kb * 1024 : UINT64_MAX;
	rs->err_limit = l->stderr_kb * 1024;
	rs->wall_deadline = l->wall_ms ? rs->t0 + (int64_t)l->wall_ms * 1000 : INT64_MAX;
	rs->start_deadline = rs->t0 + (int64_t)(l->wall_ms ? l->wall_ms : 60000) * 1000 + 5000000;
	return 0;
}

static bool run_waits(const struct run_state *rs)
{
	return rs->rc == 0 && !rs->over && !rs->have_error && !((rs->got_result || rs->status_eof) && rs->out_eof && rs->err_eof);
}

/* The run's four poll entries: status, stdout, stderr, the program's pidfd. */
static void run_pollfds(const struct run_state *rs, struct pollfd *pf)
{
	bool live = run_waits(rs);
	pf[0] = (struct pollfd){ .fd = !live || rs->got_result || rs->status_eof ? -1 : rs->status_fd, .events = POLLIN };
	pf[1] = (struct pollfd){ .fd = !live || rs->out_eof ? -1 : rs->out_r, .events = POLLIN };
	pf[2] = (struct pollfd){ .fd = !live || rs->err_eof ? -1 : rs->err_r, .events = POLLIN };
	pf[3] = (struct pollfd){ .fd = !live || rs->prog_ended ? -1 : rs->prog_pidfd, .events = POLLIN };
}

static void run_events(struct sandbox *sb, struct run_state *rs, const struct pollfd *pf)
{
	const struct sandbox_spec *spec = rs->spec;
	if (pf[3].revents && !rs->prog_ended) {
		rs->prog_ended = true;
		rs->ended_at = mono_us();
	}
	if (pf[1].revents)
		rs->out_eof = !pump(sb, rs->out_r, spec->stdout_fd, rs->out_limit, &rs->out_bytes, true, rs);
	if (pf[2].revents)
		rs->err_eof = !pump(sb, rs->err_r, spec->stderr_fd, rs->err_limit, &rs->err_bytes, false, rs);
	if (pf[0].revents) {
		handle_status(sb, rs);
		if (rs->got_result) {
			if (!rs->prog_ended) {
				rs->prog_ended = true;
				rs->ended_at = mono_us();
			}
			/* The init closed its copies before it reported and the program
			 * is gone: the pipes are at their end, or nearly. */
			if (!rs->out_eof)
				rs->out_eof = !pump(sb, rs->out_r, spec->stdout_fd, rs->out_limit, &rs->out_bytes, true, rs);
			if (!rs->err_eof)
				rs->err_eof = !pump(sb, rs->err_r, spec->stderr_fd, rs->err_limit, &rs->err_bytes, false, rs);
		}
	}
}

/* One tick: limits, the start deadline, the init's grace after a kill. */
static void run_tick(struct sandbox *sb, struct run_state *rs, int64_t now)
{
	const struct sandbox_limits *l = &rs->spec->limits;
	if (!run_waits(rs))
		return;
	if (!rs->got_result) {
		poll_usage(sb, rs);
		if (now >= rs->wall_deadline)
			kill_run(rs, SANDBOX_WALL);
		if (l->cpu_ms && rs->cpu_ns_polled > (int64_t)l->cpu_ms * 1000000)
			kill_run(rs, SANDBOX_TIME);
		if (l->memory_kb && !sb->cg.have[SBX_CG_MEMORY] && rs->rss_polled_kb > l->memory_kb)
			kill_run(rs, SANDBOX_MEMORY);
		if (!rs->started && now >= rs->start_deadline) {
			rs->have_error = true;
			rs->error.err = ETIMEDOUT;
			sbx_fmt(rs->error.text, sizeof rs->error.text, "the run did not start in time");
			return;
		}
		if (rs->kill_reason != SANDBOX_OK && !rs->init_killed && rs->init_pidfd >= 0 &&
		    now - rs->kill_at > KILL_GRACE_MS * 1000) {
			sbx_pidfd_kill(rs->init_pidfd, SIGKILL);
			rs->init_killed = true;
		}
	} else if (now - rs->t0 > (int64_t)(l->wall_ms ? l->wall_ms : 60000) * 1000 + 10000000) {
		rs->over = true; /* the pipes should have ended long ago */
	}
}

/* Of a pair: whose output closed first, from the kernel's own order. The
 * worker keeps a read end of each program's stdout pipe in one epoll set,
 * for hangups only (a write's wakeup is keyed EPOLLIN and filtered out). A
 * pipe hangs up the moment its last writer goes (the program's exit, a kill,
 * a close of its stdout), and epoll's ready list keeps the order of those
 * moments: no clock, no scheduling delay. As soon as the first is known the
 * read ends go, so the other side's writes get EPIPE again. */
struct pair_order {
	int ep, out[2]; /* epoll set; read ends of a's and b's stdout pipes */
	int first;      /* 0 or 1; -1 while unknown */
};

static void order_close(struct pair_order *po)
{
	int *fds[] = { &po->ep, &po->out[0], &po->out[1] };
	for (int i = 0; i < 3; i++)
		if (*fds[i] >= 0) {
			close(*fds[i]);
			*fds[i] = -1;
		}
}

static void order_start(struct pair_order *po, int a_out, int b_out)
{
	*po = (struct pair_order){ .ep = epoll_create1(EPOLL_CLOEXEC), .out = { -1, -1 }, .first = -1 };
	int src[2] = { a_out, b_out };
	for (int i = 0; i < 2 && po->ep >= 0; i++) {
		po->out[i] = fcntl(src[i], F_DUPFD_CLOEXEC, 0);
		struct epoll_event ev = { .events = EPOLLHUP, .data.u32 = (uint32_t)i };
		if (po->out[i] < 0 || epoll_ctl(po->ep, EPOLL_CTL_ADD, po->out[i], &ev) < 0)
			order_close(po); /* unknown: the callers fall back on the clock */
	}
}

static void order_check(struct pair_order *po)
{
	struct epoll_event ev[2];
	int n = po->ep >= 0 ? epoll_wait(po->ep, ev, 2, 0) : 0;
	for (int i = 0; i < n && po->first < 0; i++)
		if (ev[i].events & EPOLLHUP)
			po->first = (int)ev[i].data.u32;
	if (po->first >= 0)
		order_close(po);
}

/* Supervises n started runs (one, or a pair: po, else NULL) until each is
 * over. A run of a pair that fails in the sandbox ends the other. Returns 0
 * or negative errno (the poll failed). */
static int supervise(struct sandbox *sb, struct run_state *rs, int n, bool *ticking, struct pair_order *po)
{
	for (;;) {
		bool any = false;
		for (int i = 0; i < n; i++)
			any |= run_waits(&rs[i]);
		if (!any)
			return 0;
		struct pollfd pf[4 * 2 + 2];
		for (int i = 0; i < n; i++)
			run_pollfds(&rs[i], &pf[4 * i]);
		pf[4 * n] = (struct pollfd){ .fd = *ticking ? sb->tfd : -1, .events = POLLIN };
		pf[4 * n + 1] = (struct pollfd){ .fd = po ? po->ep : -1, .events = POLLIN };
		int pr = poll(pf, (nfds_t)(4 * n + 2), *ticking ? -1 : TICK_MS);
		if (pr < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		/* The periodic timerfd is armed only if the run outlives its first tick
		 * (a poll timeout until then): short runs never pay for it. */
		if (pr == 0 && !*ticking) {
			struct itimerspec its = { .it_interval = { 0, TICK_MS * 1000000L },
				.it_value = { 0, TICK_MS * 1000000L } };
			timerfd_settime(sb->tfd, 0, &its, NULL);
			*ticking = true;
			pf[4 * n].revents = POLLIN; /* this timeout is the first tick */
		}
		if (pf[4 * n + 1].revents & POLLIN)
			order_check(po);
		for (int i = 0; i < n; i++)
			run_events(sb, &rs[i], &pf[4 * i]);
		if (pf[4 * n].revents & POLLIN) {
			uint64_t ticks;
			if (pr > 0 && read(sb->tfd, &ticks, sizeof ticks) < 0) {
				/* spurious wakeup */
			}
			int64_t now = mono_us();
			for (int i = 0; i < n; i++)
				run_tick(sb, &rs[i], now);
		}
		for (int i = 0; i < n && n == 2; i++)
			if (rs[i].have_error && run_waits(&rs[1 - i])) {
				rs[1 - i].peer_failed = true;
				kill_run(&rs[1 - i], SANDBOX_ERROR);
			}
	}
}

/* The run's result (after supervise, or after run_start failed), and every
 * fd of it closed. Returns 0 or negative errno (as sandbox_run). */
static int run_end(struct sandbox *sb, struct run_state *rs, int rc)
{
	struct sandbox_result *res = rs->res;
	int64_t now = mono_us();
	if (rs->rc < 0)
		rc = rs->rc;
	if (rs->status_fd < 0 && rc == 0)
		rc = -EIO; /* never started */
	if (rs->status_fd >= 0) {
		res->wall_ms = (uint64_t)(now - rs->t0) / 1000;
		/* the init saw the end first (it waits on nothing else); else the worker */
		int64_t end = rs->got_result && rs->result.ended_us > 0 ? rs->result.ended_us
			: rs->prog_ended ? rs->ended_at : now;
		/* a kill is the end, and known exactly (the report comes later) */
		if (rs->kill_reason != SANDBOX_OK && rs->kill_at > 0 && rs->kill_at < end && rs->prog_pidfd >= 0)
			end = rs->kill_at;
		res->ended_us = end > rs->t0 ? (uint64_t)(end - rs->t0) : 0;
		res->output_bytes = rs->out_bytes < rs->out_limit ? rs->out_bytes : rs->out_limit;
		if (rs->have_error) {
			if (rs->init_pidfd >= 0)
				sbx_pidfd_kill(rs->init_pidfd, SIGKILL);
			rc = rs->error.err ? -rs->error.err : -EIO;
			fail_result(res, "%s", rs->error.text);
		} else if (rc < 0) {
			fail_result(res, "supervisor failed: %s", strerror(-rc));
		} else {
			struct sbx_cg_stats cgs;
			bool have_cgs = false;
			if (rs->got_result && rs->result.have_cgs) {
				cgs = rs->result.cgs;
				have_cgs = true;
			} else if (rs->cgr.ready) {
				sbx_cg_stats(&rs->cgr, &cgs); /* no report: the cgroups are still there (the init was killed) */
				have_cgs = true;
			}
			classify(sb, rs->spec, rs, have_cgs ? &cgs : NULL, res);
			if (res->status == SANDBOX_ERROR)
				rc = -EIO;
		}
	}

	/* The init kills and reaps everything before it reports; if it did not
	 * report, kill it, which ends the pid namespace. */
	if (rs->init_pidfd >= 0) {
		if (rs->got_result) {
			sb->pending[sb->npending++] = rs->init_pidfd;
			sbx_reap_pending(sb, false); /* keeps room for the next */
		} else {
			/* no report: kill the init, which ends the pid namespace, and wait */
			sbx_pidfd_kill(rs->init_pidfd, SIGKILL);
			wait_init(rs->init_pidfd);
		}
		rs->init_pidfd = -1;
	}
	/* the init reaps everything before it reports, so this is 0 */
	if (rs->got_result && rs->result.cg_left)
		sbx_logf(&sb->log, "WARNING: %u processes left in a finished run's cgroup", rs->result.cg_left);
	if (rs->cgr.ready)
		sbx_cg_close(&rs->cgr);
	int close_fds[] = { rs->out[0], rs->out[1], rs->errp[0], rs->errp[1], rs->st[0], rs->st[1], rs->prog_pidfd,
		rs->stat_fd, rs->statm_fd };
	for (size_t i = 0; i < sizeof close_fds / sizeof *close_fds; i++)
		if (close_fds[i] >= 0)
			close(close_fds[i]);
	return rc;
}

static void run_init(struct run_state *rs, const struct sandbox_spec *spec, struct sandbox_result *res, int64_t t0)
{
	*rs = (struct run_state){ .spec = spec, .res = res, .t0 = t0, .out = { -1, -1 }, .errp = { -1, -1 },
		.st = { -1, -1 }, .status_fd = -1, .out_r = -1, .err_r = -1, .init_pidfd = -1, .prog_pidfd = -1,
		.stat_fd = -1, .statm_fd = -1, .cpu_ns_polled = -1 };
	memset(res, 0, sizeof *res);
	res->status = SANDBOX_ERROR;
}

static void stop_ticking(struct sandbox *sb, bool ticking)
{
	if (!ticking)
		return;
	struct itimerspec off = { { 0, 0 }, { 0, 0 } };
	uint64_t ticks;
	timerfd_settime(sb->tfd, 0, &off, NULL);
	if (read(sb->tfd, &ticks, sizeof ticks) < 0) {
		/* nothing pending: fine */
	}
}

int sandbox_run(struct sandbox *sb, const struct sandbox_spec *spec, struct sandbox_result *res)
{
	struct run_state rs;
	bool ticking = false;
	sbx_reap_pending(sb, false);
	run_init(&rs, spec, res, mono_us());
	int rc = rs.rc = run_start(sb, &rs, -2, -2, 0);
	if (rc == 0)
		rc = supervise(sb, &rs, 1, &ticking, NULL);
	rc = run_end(sb, &rs, rc);
	stop_ticking(sb, ticking);
	return rc;
}

int sandbox_run_pair(struct sandbox *sb, const struct sandbox_spec *a, const struct sandbox_spec *b,
		struct sandbox_result *ra, struct sandbox_result *rb)
{
	struct run_state rs[2];
	bool ticking = false;
	int ab[2] = { -1, -1 }, ba[2] = { -1, -1 }; /* a's stdout to b's stdin; b's stdout to a's stdin */
	sbx_reap_pending(sb, false);
	int64_t t0 = mono_us();
	run_init(&rs[0], a, ra, t0);
	run_init(&rs[1], b, rb, t0);
	int rc = 0;
	if (pipe2(ab, O_CLOEXEC) < 0 || pipe2(ba, O_CLOEXEC) < 0) {
		rc = -errno;
		fail_result(ra, "cannot make pipes: %s", strerror(errno));
		fail_result(rb, "cannot make pipes: %s", strerror(errno));
		rs[0].rc = rs[1].rc = rc;
	} else {
		/* Each counts the other's processes (and, in a user namespace, its init)
		 * against the uid's process limit. */
		uint32_t pa = a->limits.processes ? a->limits.processes : 1;
		uint32_t pb = b->limits.processes ? b->limits.processes : 1;
		uint32_t init = sb->root ? 0 : 1;
		rs[0].rc = run_start(sb, &rs[0], ba[0], ab[1], pb + init);
		if (rs[0].rc == 0) {
			rs[1].rc = run_start(sb, &rs[1], ab[0], ba[1], pa + init);
		} else {
			rs[1].rc = -ECANCELED;
			fail_result(rb, "not started: the other program of the pair could not start");
		}
		if (rs[1].rc < 0 && rs[0].rc == 0) {
			rs[0].peer_failed = true;
			kill_run(&rs[0], SANDBOX_ERROR); /* or, not started yet, when it starts */
		}
	}
	struct pair_order po = { .ep = -1, .out = { -1, -1 }, .first = -1 };
	if (rs[0].rc == 0 && rs[1].rc == 0)
		order_start(&po, ab[0], ba[0]);
	/* The programs have their ends (and, after their end, nobody but the
	 * order's read ends, until the first hangup): one that stops sees EOF or
	 * EPIPE on the other side. */
	for (int *fd = (int[]){ ab[0], ab[1], ba[0], ba[1] }, i = 0; i < 4; i++)
		if (fd[i] >= 0)
			close(fd[i]);
	if (rs[0].rc == 0 || rs[1].rc == 0)
		rc = supervise(sb, rs, 2, &ticking, &po);
	order_check(&po); /* both ended: both pipes have hung up */
	order_close(&po);
	int rc0 = run_end(sb, &rs[0], rc), rc1 = run_end(sb, &rs[1], rc);
	stop_ticking(sb, ticking);
	if (po.first >= 0) {
		(po.first == 0 ? ra : rb)->closed_order = 1;
		(po.first == 0 ? rb : ra)->closed_order = 2;
	}
	return rc0 < 0 ? rc0 : rc1;
}
