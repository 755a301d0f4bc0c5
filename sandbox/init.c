/* The run's init and its program: the init, pid 1 of a fresh pid namespace
 * forked ahead of time by the zygote, gets its tree, /tmp and cgroups ready,
 * forks the program (which takes its identity and filter and waits), then
 * starts the request, answers seccomp notifications and reports the result. */
#include "sandbox_int.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <linux/capability.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <linux/securebits.h>

/* The program's execve path: one object for every process (sandbox_int.h). */
char sbx_exec_path[PATH_MAX];

/* What the program's child side reports through the exec pipe. */
struct exec_note {
	int kind;             /* NOTE_READY (val: listener fd), NOTE_EXEC_FAILED, NOTE_NO_PROGRAM or
	                         NOTE_SETUP_FAILED (val: errno) */
	int val;              /* fd number or errno */
	char step[48];
};

static uint64_t init_tmp_kb;   /* in an init: the size of the /tmp it mounted ahead */
static uint64_t init_prog_pre; /* in an init: what its waiting program added to the memory cgroup */
static const struct sbx_cg_run *init_cg; /* in an init: its run's cgroup files */

void sbx_send_error(int status, int err, const char *fmt, ...)
{
	struct msg m = { .type = MSG_ERROR, .err = err };
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m.text, sizeof m.text, fmt, ap);
	va_end(ap);
	sbx_send_with_fds(status, &m, sizeof m, NULL, 0);
}

uint64_t sbx_tmp_size_kb(uint64_t file_kb)
{
	return file_kb < 64 ? 64 : file_kb;
}

/* A fresh size-limited tmpfs on /tmp, in the init's own namespace. */
static int mount_tmp(uint64_t kb)
{
	char opt[96];
	sbx_fmt(opt, sizeof opt, "size=%" PRIu64 "k,nr_inodes=4096,mode=1777", kb);
	return mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, opt) < 0 ? -errno : 0;
}

static int set_rlimit(int res, uint64_t soft, uint64_t hard)
{
	struct rlimit rl = { .rlim_cur = soft, .rlim_max = hard };
	return setrlimit(res, &rl);
}

/* What the init tells its waiting program about the request, through a pipe,
 * followed by blen bytes of argv and env strings. */
struct blob {
	uint32_t blen;
	uint32_t argc, envc;
	int fd_in, fd_out, fd_err;  /* in the file table the program shares with the init */
	uint32_t nlim;
	struct {
		int res;
		uint64_t soft, hard;
	} lim[8];
};

static void add_lim(struct blob *b, int res, uint64_t soft, uint64_t hard)
{
	b->lim[b->nlim].res = res;
	b->lim[b->nlim].soft = soft;
	b->lim[b->nlim].hard = hard;
	b->nlim++;
}

/* The request's resource limits (the others are set ahead of time). */
static void request_rlimits(const struct sandbox *sb, const struct req *rq, struct blob *b)
{
	const struct sandbox_limits *l = &rq->lim;
	if (l->cpu_ms) {
		uint64_t s = (l->cpu_ms + 999) / 1000 + 1;
		add_lim(b, RLIMIT_CPU, s, s + 1);
	}
	if (l->memory_kb && !sb->cg.have[SBX_CG_MEMORY] && !l->no_address_limit) {
		/* Only a safety net: address space is not memory (thread stacks, arenas).
		 * The measure is resident memory: polled, and ru_maxrss at the end. */
		uint64_t as = l->memory_kb * 4096 + (256u << 20);
		add_lim(b, RLIMIT_AS, as, as);
	}
	uint64_t stack = l->stack_kb ? l->stack_kb * 1024 : l->memory_kb ? l->memory_kb * 1024 : RLIM_INFINITY;
	add_lim(b, RLIMIT_STACK, stack, stack);
	add_lim(b, RLIMIT_FSIZE, l->file_kb * 1024, l->file_kb * 1024);
	uint64_t nofile = l->open_files ? l->open_files : 64;
	add_lim(b, RLIMIT_NOFILE, nofile, nofile);
	/* Counted per uid, and other sandbox processes share it (nproc_extra); the
	 * pids cgroup, when there is one, is the exact limit. */
	uint64_t nproc = (l->processes ? l->processes : 1) + rq->nproc_extra;
	add_lim(b, RLIMIT_NPROC, nproc, nproc);
}

static int drop_privileges(const struct sandbox *sb)
{
	if (prctl(PR_SET_SECUREBITS, SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_CAP_AMBIENT_RAISE |
			SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED | SECBIT_KEEP_CAPS_LOCKED) < 0)
		return -errno;
	/* The bounding set is empty already: the init emptied and checked it. */
	if (sb->root) {
		if (setgroups(0, NULL) < 0 || setresgid(sb->gid, sb->gid, sb->gid) < 0 ||
		    setresuid(sb->uid, sb->uid, sb->uid) < 0)
			return -errno;
	}
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct data[2];
	memset(data, 0, sizeof data);
	if (syscall(SYS_capset, &hdr, data) < 0)
		return -errno;
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	return 0;
}

/* NOTE_EXEC_FAILED: argv[0] is there but the kernel would not execute it (the
 * program's own failure); NOTE_NO_PROGRAM: there is no argv[0] (the caller's). */
/* NOTE_STDIO: stdio is set up (the init may drop its copies, see run_request). */
enum { NOTE_READY = 1, NOTE_EXEC_FAILED, NOTE_NO_PROGRAM, NOTE_SETUP_FAILED, NOTE_STDIO };

static void note(int fd, int kind, int val, const char *step)
{
	struct exec_note n = { .kind = kind, .val = val };
	if (step)
		sbx_fmt(n.step, sizeof n.step, "%s", step);
	if (write(fd, &n, sizeof n) < 0) {
		/* nothing to do: the init then reports a generic failure */
	}
}

static bool read_full(int fd, void *buf, size_t n)
{
	char *p = buf;
	while (n > 0) {
		ssize_t r = read(fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		p += r;
		n -= (size_t)r;
	}
	return true;
}

static char prog_data[MAX_REQ_DATA]; /* in the program: the request's argv and env */

/* The program, forked by the init ahead of time. It shares the init's file
 * table (CLONE_FILES) until its execve, so it never closes anything:
 * everything but 0-2 is close-on-exec. Before any request it takes its final
 * identity and loads its filter, last; then it only reads the request, lowers
 * its rlimits, sets up stdio, enters /box and executes. The filters allow
 * exactly that (read, prlimit64 on itself, dup2, chdir, the one execve). */
static _Noreturn void program_main(const struct sandbox *sb, const struct sbx_cg_run *cgr, int kind, int notes,
		int blob_fd, bool joined)
{
	const char *step = "join the run's cgroups";
	int rc;

	/* The init reset every disposition but its own SIGPIPE (they survive execve). */
	signal(SIGPIPE, SIG_DFL);
	/* Only the program and what it forks live in the run's cgroups (never the
	 * init: the OOM killer could pick it, and it would count). Joined now, off
	 * the critical path: moving a task between v1 cgroups can take ms. */
	for (int c = 0; c < SBX_CG_N && !joined; c++)
		if (cgr->ready && cgr->procs[c] >= 0 && write(cgr->procs[c], "0", 1) < 0)
			goto fail;
	step = "set rlimits";
	if (set_rlimit(RLIMIT_CORE, 0, 0) < 0 || set_rlimit(RLIMIT_MEMLOCK, 0, 0) < 0 ||
	    set_rlimit(RLIMIT_MSGQUEUE, 0, 0) < 0 || set_rlimit(RLIMIT_RTPRIO, 0, 0) < 0)
		goto fail;
	step = "drop privileges";
	if ((rc = drop_privileges(sb)) < 0) {
		errno = -rc;
		goto fail;
	}
	step = "load seccomp filter";
	struct sbx_filter f = sb->filt[kind];
	struct sock_fprog prog = { .len = f.len, .filter = f.insns };
	int listener = -1;
	if (sb->notify_ok)
		listener = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	if (listener < 0) {
		sbx_seccomp_notify_to_kill(&f); /* our private copy after the clone */
		if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
			goto fail;
	}
	note(notes, NOTE_READY, listener, NULL);

	/* From here on under the filter. */
	struct blob b;
	if (!read_full(blob_fd, &b, sizeof b) || b.blen > sizeof prog_data || b.nlim > 8 ||
	    !read_full(blob_fd, prog_data, b.blen) || b.blen == 0 || prog_data[b.blen - 1] != 0)
		_exit(0); /* no request: the init is gone */
	char **argv = calloc((size_t)b.argc + 1, sizeof *argv), **env = calloc((size_t)b.envc + 1, sizeof *env);
	if (!argv || !env)
		_exit(127);
	const char *p = prog_data, *end = prog_data + b.blen;
	for (uint32_t i = 0; i < b.argc && p < end; i++, p += strlen(p) + 1)
		argv[i] = (char *)p;
	for (uint32_t i = 0; i < b.envc && p < end; i++, p += strlen(p) + 1)
		env[i] = (char *)p;
	step = "set rlimits";
	for (uint32_t i = 0; i < b.nlim; i++) {
		/* lower only: the init raised the hard limits while it could */
		struct rlimit cur;
		if (getrlimit(b.lim[i].res, &cur) < 0)
			goto fail;
		uint64_t hard = b.lim[i].hard < cur.rlim_max ? b.lim[i].hard : cur.rlim_max;
		uint64_t soft = b.lim[i].soft < hard ? b.lim[i].soft : hard;
		if (set_rlimit(b.lim[i].res, soft, hard) < 0)
			goto fail;
	}
	step = "set up stdio";
	if (dup2(b.fd_in, 0) < 0 || dup2(b.fd_out, 1) < 0 || dup2(b.fd_err, 2) < 0)
		goto fail;
	note(notes, NOTE_STDIO, 0, NULL);
	step = "enter /box";
	if (chdir("/box") < 0)
		goto fail;
	sbx_fmt(sbx_exec_path, sizeof sbx_exec_path, "%s", argv[0] ? argv[0] : "");
	execve(sbx_exec_path, argv, env);
	int exec_errno = errno;
	/* ENOENT is also a missing ELF or #! interpreter: is the file itself there? */
	bool missing = exec_errno == ENOENT && access(sbx_exec_path, F_OK) != 0;
	note(notes, missing ? NOTE_NO_PROGRAM : NOTE_EXEC_FAILED, exec_errno, "execve");
	_exit(127);
fail:
	note(notes, NOTE_SETUP_FAILED, errno, step);
	_exit(127);
}

/* Attaches the box (a detached mount from the zygote) on /box, or fills a
 * bounded box's tmpfs from it (boxcopy.c), and gives
 * /tmp (mounted ahead of time) the request's size if it differs. */
static int mount_box_tmp(const struct sandbox *sb, const struct req *rq, int bfd, uint64_t tmp_kb, char *err,
		size_t errlen)
{
	if (sbx_box_bounded(rq)) {
		int rc = sbx_box_fill(sb, rq, bfd, err, errlen);
		if (rc < 0)
			return rc;
	} else if (syscall(SYS_move_mount, bfd, "", AT_FDCWD, "/box", MOVE_MOUNT_F_EMPTY_PATH) < 0) {
		sbx_fmt(err, errlen, "cannot attach the box: %s", strerror(errno));
		return -errno;
	}
	uint64_t want = sbx_tmp_size_kb(rq->lim.file_kb);
	if (want != tmp_kb) {
		char opt[48];
		sbx_fmt(opt, sizeof opt, "size=%" PRIu64 "k", want);
		if (mount(NULL, "/tmp", NULL, MS_REMOUNT | MS_NOSUID | MS_NODEV | MS_NOEXEC, opt) < 0) {
			sbx_fmt(err, errlen, "cannot resize /tmp: %s", strerror(errno));
			return -errno;
		}
	}
	return 0;
}

/* The init's program, forked ahead of time. */
struct waiting_prog {
	pid_t pid;
	int pidfd;
	int listener;   /* seccomp notifications, or -1 */
	int notes;      /* read end: READY, then a failure if any */
	int blob;       /* write end: the request */
};

static _Noreturn void run_request(struct sandbox *sb, struct waiting_prog *wp, const struct req *rq, int *fds);

/* A pre-forked init: pid 1 of a new pid namespace, in a new mount namespace
 * of its own (private: nothing propagates in or out). Ahead of any request it
 * pivots into its tree, mounts /tmp, empties its bounding set, joins its
 * cgroups and forks the program, which gets ready in turn (program_main). */
_Noreturn void sbx_init_main(struct sandbox *sb, int kind, const char *root, uint64_t tmp_kb,
		const struct sbx_cg_run *cgr, int sock)
{

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	prctl(PR_SET_NAME, "sandbox-init");
	/* Its cgroup files stay: cgroup.procs to join, the counters to report. */
	int keep[6 + SBX_CG_N + SBX_CG_NSTATS] = { sock, cgr->ready ? cgr->mem_usage : -1,
		cgr->ready ? cgr->mem_limit : -1, cgr->ready ? cgr->memsw_limit : -1, cgr->ready ? cgr->pids_max : -1,
		cgr->ready ? cgr->dir : -1 };
	for (int c = 0; c < SBX_CG_N; c++)
		keep[6 + c] = cgr->ready ? cgr->procs[c] : -1;
	int st[SBX_CG_NSTATS];
	sbx_cg_stat_fds(cgr, st);
	for (int i = 0; i < SBX_CG_NSTATS; i++)
		keep[6 + SBX_CG_N + i] = cgr->ready ? st[i] : -1;
	sbx_close_others(keep, 6 + SBX_CG_N + SBX_CG_NSTATS);
	init_cg = cgr;
	signal(SIGCHLD, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 || chdir(root) < 0 ||
	    syscall(SYS_pivot_root, ".", ".") < 0 || umount2(".", MNT_DETACH) < 0 || chdir("/") < 0) {
		sbx_logf(&sb->log, "cannot enter the sandbox root '%s': %s", root, strerror(errno));
		_exit(1);
	}
	/* /tmp ahead of time, sized like the last run of this kind (usually the same) */
	init_tmp_kb = tmp_kb;
	if (mount_tmp(init_tmp_kb) < 0) {
		sbx_logf(&sb->log, "cannot mount /tmp: %s", strerror(errno));
		_exit(1);
	}
	/* The program can never regain what the bounding set lacks. The init keeps
	 * its effective capabilities (to set up the program). */
	for (int cap = 0; cap <= sb->last_cap; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 || prctl(PR_CAPBSET_READ, cap, 0, 0, 0) != 0) {
			sbx_logf(&sb->log, "cannot drop capability %d from the bounding set: %s", cap, strerror(errno));
			_exit(1);
		}
	/* Default dispositions and no blocked signals for the program (they
	 * survive execve); only SIGPIPE is the init's own. */
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGPIPE)
			signal(sig, SIG_DFL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* Hard limits up while the init may raise them: the program lowers its own
	 * to the request's (it cannot raise them). Failures only leave it lower. */
	static const int raise[] = { RLIMIT_CPU, RLIMIT_AS, RLIMIT_STACK, RLIMIT_FSIZE, RLIMIT_NPROC };
	for (size_t i = 0; i < sizeof raise / sizeof *raise; i++)
		set_rlimit(raise[i], RLIM_INFINITY, RLIM_INFINITY);
	struct rlimit nof;
	if (getrlimit(RLIMIT_NOFILE, &nof) == 0 && nof.rlim_max < 1048576) {
		nof.rlim_max = 1048576;
		setrlimit(RLIMIT_NOFILE, &nof);
	}

	/* The program, ahead of time. Everything but stdio closes at its execve.
	 * What it charges to the cgroup until then is freed by the execve: the
	 * worker must not count it as the program's (see cg_prog_pre). */
	int usage_fd = cgr->ready ? cgr->mem_usage : -1;
	int64_t u0 = sbx_cg_read_num(usage_fd);
	struct waiting_prog wp = { .pidfd = -1, .listener = -1 };
	int notes[2], blob[2];
	syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
	if (pipe2(notes, O_CLOEXEC) < 0 || pipe2(blob, O_CLOEXEC) < 0) {
		sbx_logf(&sb->log, "cannot make pipes: %s", strerror(errno));
		_exit(1);
	}
	struct clone_args ca = {
		.flags = CLONE_FILES | CLONE_PIDFD,
		.pidfd = (uint64_t)(uintptr_t)&wp.pidfd,
		.exit_signal = SIGCHLD,
	};
	/* v2: born in its run's cgroup (CLONE_INTO_CGROUP, Linux 5.7); where the
	   kernel refuses, it joins by cgroup.procs first thing instead. */
	bool into = cgr->ready && cgr->dir >= 0;
	if (into) {
		ca.flags |= CLONE_INTO_CGROUP;
		ca.cgroup = (uint64_t)cgr->dir;
	}
	wp.pid = (pid_t)syscall(SYS_clone3, &ca, sizeof ca);
	if (wp.pid < 0 && into) {
		sbx_logf(&sb->log, "WARNING: CLONE_INTO_CGROUP refused (%s): the program joins its cgroup by "
			"cgroup.procs", strerror(errno));
		into = false;
		ca.flags &= ~(uint64_t)CLONE_INTO_CGROUP;
		ca.cgroup = 0;
		wp.pid = (pid_t)syscall(SYS_clone3, &ca, sizeof ca);
	}
	if (wp.pid == 0)
		program_main(sb, cgr, kind, notes[1], blob[0], into);
	if (wp.pid < 0) {
		sbx_logf(&sb->log, "cannot fork the program: %s", strerror(errno));
		_exit(1);
	}
	/* notes[1] and blob[0] stay open: the table is the program's too (they
	 * are close-on-exec, so they go at its execve) */
	wp.notes = notes[0];
	wp.blob = blob[1];
	struct exec_note n = { 0 };
	if (!read_full(wp.notes, &n, sizeof n) || n.kind != NOTE_READY) {
		if (n.kind == NOTE_SETUP_FAILED)
			sbx_logf(&sb->log, "the sandboxed process could not get ready: cannot %s: %s", n.step,
				strerror(n.val));
		else
			sbx_logf(&sb->log, "the sandboxed process died before it was ready");
		_exit(1);
	}
	wp.listener = n.val;
	/* The program is forked (it keeps its own priority): the init wakes
	 * promptly when it ends, to stamp the moment (a pair's order). Only root
	 * may raise it; elsewhere this fails and changes nothing. */
	setpriority(PRIO_PROCESS, 0, -20);
	/* Its write end stays open here (shared table): never wait on it again. */
	fcntl(wp.notes, F_SETFL, O_NONBLOCK);
	for (int c = 0; c < SBX_CG_N; c++)
		if (cgr->ready && cgr->procs[c] >= 0)
			close(cgr->procs[c]); /* the program has joined */
	if (cgr->ready && cgr->dir >= 0)
		close(cgr->dir);
	int64_t u1 = sbx_cg_read_num(usage_fd);
	init_prog_pre = u0 >= 0 && u1 > u0 ? (uint64_t)(u1 - u0) : 0;

	int fds[NFDS_MAX], nfds;
	ssize_t r = sbx_recv_with_fds(sock, sb->reqbuf, sizeof sb->reqbuf, fds, NFDS_MAX, &nfds);
	if (r <= 0 || nfds != FD_REQ_N)
		_exit(0); /* the zygote is gone: so are we, and the program with our pid namespace */
	close(sock);
	run_request(sb, &wp, (const struct req *)sb->reqbuf, fds);
}

/* The init with its request: hands it to the waiting program and reports. */
static _Noreturn void run_request(struct sandbox *sb, struct waiting_prog *wp, const struct req *rq, int *fds)
{
	int status = fds[FD_STATUS];
	bool cg = init_cg->ready;
	char err[200];

	/* The box path comes first, then argv and env: the program gets those. */
	const char *args = rq->data + strnlen(rq->data, rq->datalen) + 1;
	const char *end = rq->data + rq->datalen;
	if (args >= end || rq->argc == 0) {
		sbx_send_error(status, EINVAL, "malformed request");
		_exit(1);
	}
	/* The run's limits, and counters from zero (the program joined its
	 * cgroups long ago, and idled there since). */
	uint64_t cg_baseline = 0;
	struct sbx_cg_stats cg_at_arm = { .cpu_ns = -1 };
	if (cg) {
		uint32_t pids = rq->lim.processes ? rq->lim.processes : 1;
		uint64_t mem = rq->lim.memory_kb ? rq->lim.memory_kb * 1024 : (uint64_t)INT64_MAX;
		int rc = sbx_cg_arm(&sb->cg, init_cg, mem, pids, &cg_baseline);
		if (rc < 0) {
			sbx_send_error(status, -rc, "cannot set the run's cgroup limits: %s", strerror(-rc));
			_exit(1);
		}
		/* What the counters hold already (v1: zeroed just now; v2: the
		   program's own set-up since it joined) is not the run's. */
		sbx_cg_stats(init_cg, &cg_at_arm);
	}
	if (mount_box_tmp(sb, rq, fds[FD_BOX], init_tmp_kb, err, sizeof err) < 0) {
		sbx_send_error(status, EIO, "%s", err);
		_exit(1);
	}
	int host_box = fds[FD_BOX]; /* a bounded box's files go back there at the end */
	if (!sbx_box_bounded(rq)) {
		close(host_box);
		host_box = -1;
	}

	struct blob b = { .blen = (uint32_t)(end - args), .argc = rq->argc, .envc = rq->envc,
		.fd_in = fds[FD_STDIN], .fd_out = fds[FD_STDOUT], .fd_err = fds[FD_STDERR] };
	request_rlimits(sb, rq, &b);
	if (sbx_write_all(wp->blob, &b, sizeof b) < 0 || sbx_write_all(wp->blob, args, b.blen) < 0) {
		sbx_send_error(status, EIO, "cannot hand the request to the program: %s", strerror(errno));
		_exit(1);
	}
	close(wp->blob);

	struct msg m = { .type = MSG_STARTED, .notify = wp->listener >= 0 };
	int self = sbx_pidfd_open(1, 0);
	/* the worker polls the CPU time (cpuacct.usage) while the program runs */
	int pass[3] = { self, wp->pidfd, cg ? init_cg->cpu_usage : -1 };
	int npass = pass[2] >= 0 ? 3 : 2;
	if (self < 0 || sbx_send_with_fds(status, &m, sizeof m, pass, npass) < 0)
		_exit(1); /* the pid namespace dies with us */
	close(self);

	int syscall_nr = -1;
	struct exec_note failed = { 0 };
	bool stdio_dropped = false;
	struct pollfd pf[4] = {
		{ .fd = wp->pidfd, .events = POLLIN },
		{ .fd = status, .events = 0 },
		{ .fd = wp->notes, .events = POLLIN },
		{ .fd = wp->listener, .events = POLLIN },
	};
	for (;;) {
		int r = poll(pf, 4, -1);
		if (r < 0 && errno != EINTR)
			break;
		if (pf[1].revents & (POLLHUP | POLLERR))
			_exit(1); /* the worker gave up on this run: dying kills it all */
		if (pf[2].revents) {
			struct exec_note n;
			if (!read_full(wp->notes, &n, sizeof n)) {
				pf[2].fd = -1;
			} else if (n.kind == NOTE_STDIO && !stdio_dropped) {
				/* The program has its stdio: our copies of the pipes must not
				 * keep them open (a program that closes its stdout must be seen
				 * to). The table is still shared (until its execve), so the init
				 * takes a copy of its own, and closes them there. */
				if (unshare(CLONE_FILES) == 0) {
					for (int i = 0; i <= 2; i++)
						close(i);
					for (int i = FD_STDIN; i <= FD_STDERR; i++)
						close(fds[i]);
					stdio_dropped = true;
				}
			} else if (n.kind != NOTE_STDIO) {
				/* a note after READY: the program could not start */
				failed = n;
				pf[2].fd = -1;
			}
		}
		if (pf[3].revents & POLLIN) {
			struct seccomp_notif req;
			memset(&req, 0, sizeof req);
			if (ioctl(wp->listener, SECCOMP_IOCTL_NOTIF_RECV, &req) == 0) {
				if (syscall_nr < 0)
					syscall_nr = req.data.nr;
				kill((pid_t)req.pid, SIGKILL);
				sbx_pidfd_kill(wp->pidfd, SIGKILL);
			}
		}
		if (pf[3].revents & (POLLHUP | POLLERR | POLLNVAL))
			pf[3].fd = -1;
		if (pf[0].revents & POLLIN)
			break;
	}
	struct timespec ended;
	clock_gettime(CLOCK_MONOTONIC, &ended);
	struct msg res = { .type = MSG_RESULT, .syscall_nr = syscall_nr, .cg_baseline = cg_baseline,
		.cg_prog_pre = init_prog_pre, .ended_us = (int64_t)ended.tv_sec * 1000000 + ended.tv_nsec / 1000 };
	while (wait4(wp->pid, &res.wstatus, 0, &res.ru) < 0 && errno == EINTR)
		;
	/* Anything else of the run (a daemon, a compiler's child) is our child
	 * now (orphans come to the pid namespace's init): kill and reap it all.
	 * kill(-1) walks every task of the system, so only when needed. */
	if (wait4(-1, NULL, WNOHANG | __WALL, NULL) >= 0 || errno != ECHILD) {
		/* again before every reap: a fork bomb's last forks may slip past one */
		do
			kill(-1, SIGKILL);
		while (wait4(-1, NULL, __WALL, NULL) > 0 || errno == EINTR);
	}
	/* The program shared our file table until its execve: our copies of its
	 * stdio must go now (if they have not), or the worker never sees the
	 * pipes' end. */
	if (!stdio_dropped) {
		for (int i = 0; i <= 2; i++)
			close(i);
		for (int i = FD_STDIN; i <= FD_STDERR; i++)
			close(fds[i]);
	}
	while (failed.kind == 0 || failed.kind == NOTE_STDIO)
		if (read(wp->notes, &failed, sizeof failed) != (ssize_t)sizeof failed) {
			failed.kind = 0;
			break;
		}
	if (failed.kind == NOTE_NO_PROGRAM) {
		sbx_send_error(status, failed.val, "cannot execute '%s': %s", args, strerror(failed.val));
		_exit(1);
	}
	if (failed.kind == NOTE_EXEC_FAILED)
		res.exec_errno = failed.val;
	bool full = false;
	if (host_box >= 0 && sbx_box_return(sb, host_box, &full, err, sizeof err) < 0) {
		sbx_send_error(status, EIO, "%s", err);
		_exit(1);
	}
	res.box_full = full;
	if (failed.kind == NOTE_SETUP_FAILED) {
		sbx_send_error(status, failed.val, "cannot %s: %s", failed.step, strerror(failed.val));
		_exit(1);
	}
	if (cg) {
		sbx_cg_stats(init_cg, &res.cgs);
		if (cg_at_arm.cpu_ns > 0 && res.cgs.cpu_ns >= cg_at_arm.cpu_ns)
			res.cgs.cpu_ns -= cg_at_arm.cpu_ns;
		res.cgs.failcnt -= res.cgs.failcnt >= cg_at_arm.failcnt ? cg_at_arm.failcnt : res.cgs.failcnt;
		res.cgs.oom_kills -= res.cgs.oom_kills >= cg_at_arm.oom_kills ? cg_at_arm.oom_kills : res.cgs.oom_kills;
		res.have_cgs = 1;
		res.cg_left = sbx_cg_pids_left(init_cg);
	}
	/* What is left is our exit: the namespaces' teardown (unmounting waits for
	 * an RCU grace period). Let the worker, woken by the report, go first. */
	struct sched_param normal = { 0 };
	sched_setscheduler(0, SCHED_OTHER, &normal);
	setpriority(PRIO_PROCESS, 0, 19);
	sbx_send_with_fds(status, &res, sizeof res, NULL, 0);
	_exit(0);
}
