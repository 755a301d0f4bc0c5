/* The sandbox runner: namespaces, mount jail, identity, rlimits, cgroups and
 * the supervisor loop that enforces time and output limits.
 *
 * Theory of operation
 * ===================
 *
 * Processes. Three kinds of process besides the caller:
 *
 *   worker (the caller of sandbox_new/sandbox_run; host namespaces)
 *     │ ctl: SOCK_SEQPACKET socketpair, one request per run, fds passed with SCM_RIGHTS
 *     └─ zygote (forked once by sandbox_new; dies with the worker, PDEATHSIG)
 *          │ holds the namespaces that are expensive to make: user (when not root), mount,
 *          │ net (no interfaces but a down lo), ipc, uts; and two read-only root trees on tmpfs:
 *          │   <mnt>/run   only /box and /tmp (RUN: nothing else to read or exec)
 *          │   <mnt>/full  the ro_paths, /dev/{null,zero,random,urandom}, /box, /tmp (INTERP, COMPILE)
 *          │ per request: clone(CLONE_NEWPID | CLONE_NEWNS) of
 *          └─ init (pid 1 of the run's pid namespace; PDEATHSIG from the zygote)
 *               │ mounts a size-limited tmpfs on <root>/tmp and binds the box dir on <root>/box
 *               │ (read-only unless writable), pivot_root into <root>, detaches the old root;
 *               │ clone3(CLONE_VFORK | CLONE_FILES | CLONE_PIDFD) of
 *               └─ program (pid 2): joins the run's cgroups, rlimits, dup2 of stdio, per-slot uid
 *                    (root) or the mapped uid (user namespace), no capabilities (bounding set,
 *                    securebits, capset), no_new_privs, seccomp filter installed last with a
 *                    user-notification listener, then execve of argv[0].
 *
 *   The program shares the init's file table until execve, so the seccomp listener fd it
 *   creates lands in the init's table; CLONE_VFORK holds the init until the execve has
 *   happened (or failed: the errno comes back through a pipe). The init then sends STARTED
 *   with two pidfds (itself and the program) to the worker, waits for the program, and
 *   answers seccomp notifications by recording the call and SIGKILLing the program (the
 *   call never runs). When the program has ended the init kills everything else in the
 *   pid namespace (kill(-1)), reaps it, and sends RESULT (wait status, rusage, the denied
 *   call) to the worker. When the init exits, the kernel kills whatever is left in the pid
 *   namespace and the mount namespace, with its tmpfs, goes away.
 *
 * File descriptors of a run, all created by the worker and passed down:
 *   stdin (caller's fd or /dev/null), stdout pipe (write end), stderr pipe (write end, or
 *   /dev/null when stderr_fd is -1), the status socket (SOCK_SEQPACKET, init ↔ worker), and
 *   as root the three cgroup.procs files of the run's cgroups. The worker keeps the read
 *   ends and copies stdout to stdout_fd up to output_kb (one byte more kills the program:
 *   SANDBOX_OUTPUT; the disk never fills) and stderr up to stderr_kb (the rest is drained).
 *
 * Supervision (the worker, in sandbox_run): poll on the status socket, the two pipes and
 * a periodic timerfd (10 ms). Each tick checks the wall clock and CPU time (cpuacct.usage
 * of the run's cgroup, else utime+stime from /proc/PID/stat of the program; RLIMIT_CPU is
 * the kernel backstop) and, without a memory cgroup, the resident size. A limit kills the
 * program through its pidfd; the init still reports its rusage. If the init does not
 * report within a grace period the worker kills the init (which ends the pid namespace).
 *
 * Privileges. The worker and zygote keep theirs (root, or the caller's uid mapped to
 * 60000+slot inside a user namespace whose owner has no other mapping: never host root).
 * The init is root in its namespaces only long enough to mount. The program runs as
 * 60000+slot with an empty bounding set, no capabilities, no_new_privs, and the seccomp
 * filter of its profile (seccomp.c), precompiled once in sandbox_new.
 *
 * Cost: the namespaces and the root trees are made once per sandbox; a run costs one
 * clone with a new pid and mount namespace (of a small tree), two mounts, a pivot_root, a
 * fork, the filter load and the execve. Cgroup directories are made and removed off the
 * critical path (cgroup.c). The worker does not wait for the init's teardown: the next run
 * (or sandbox_free) waits for it before it starts. */
#include "sandbox.h"
#include "sandbox_int.h"

#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
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
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <linux/securebits.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif
#ifndef PIDFD_NONBLOCK
#define PIDFD_NONBLOCK O_NONBLOCK
#endif

#define SBX_UID_BASE 60000
#define SELF_PID 2               /* the program's pid in its pid namespace */
#define TICK_MS 10               /* supervisor poll period */
#define KILL_GRACE_MS 2000       /* after killing the program, wait this long for the init's report */
#define MAX_REQ_DATA 65536       /* box path + argv + env */
#define NFDS_MAX 7

/* The one path the program's execve may use: the RUN and INTERP filters
 * compare execve's first argument with this address. Static, so it is the
 * same in the worker (which compiles the filters), the zygote and its
 * children. */
static char exec_path[PATH_MAX];

enum { FD_STDIN, FD_STDOUT, FD_STDERR, FD_STATUS, FD_CG_MEM, FD_CG_PIDS, FD_CG_CPU };

enum {
	REQ_BOX_WRITABLE = 1 << 0,
	REQ_CG_MEM = 1 << 1,
	REQ_CG_PIDS = 1 << 2,
	REQ_CG_CPU = 1 << 3,
};

#define REQ_MAGIC 0x73627831u

struct req {
	uint32_t magic;
	uint32_t profile;
	uint32_t flags;
	uint32_t argc, envc;
	uint32_t datalen;
	uint32_t nproc_extra;  /* other processes of the program's uid (user namespace) */
	struct sandbox_limits lim;
	char data[];          /* box\0 argv...\0 env...\0 */
};

enum { MSG_STARTED = 1, MSG_RESULT, MSG_ERROR };

struct msg {
	int type;
	int err;              /* MSG_ERROR: errno */
	int wstatus;          /* MSG_RESULT */
	int syscall_nr;       /* MSG_RESULT: the first denied call, or -1 */
	int notify;           /* MSG_STARTED: a seccomp listener watches the program */
	struct rusage ru;     /* MSG_RESULT: of the program and its reaped children */
	char text[200];       /* MSG_ERROR: what failed */
};

/* What the program's child side reports through the exec pipe. */
struct exec_note {
	int kind;             /* 1 listener fd, 2 execve failed, 3 setup step failed */
	int val;              /* fd number or errno */
	char step[48];
};

struct sandbox {
	int slot;
	bool root;
	uid_t uid;                 /* the program's uid and gid inside */
	gid_t gid;
	uid_t host_uid;
	gid_t host_gid;
	int last_cap;
	pid_t zygote;
	int zygote_pidfd;
	int ctl;                   /* to the zygote */
	int devnull;
	char *mnt;                 /* host mount point of the zygote's root trees */
	char **ro_paths;
	struct sbx_filter filt[SBX_NPROFILES];
	bool notify_ok;            /* kernel has seccomp user notification */
	bool any_cg;
	struct sbx_cg cg;
	int pending[4];            /* pidfds of finished runs' inits that may still be exiting */
	int npending;
	struct sbx_log log;
	char *iobuf;
	char reqbuf[sizeof(struct req) + MAX_REQ_DATA];
};

/* ---------------------------------------------------------------- logging */

void sbx_logf(const struct sbx_log *log, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (log && log->fn)
		log->fn(log->ctx, line);
	else
		fprintf(stderr, "sandbox: %s\n", line);
}

int sbx_fmt(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return r < 0 || (size_t)r >= n ? -ENAMETOOLONG : 0;
}

/* ---------------------------------------------------------------- small helpers */

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int write_all_fd(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n > 0) {
		ssize_t w = write(fd, c, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int rc = write_all_fd(fd, s, strlen(s));
	close(fd);
	return rc;
}

static int send_with_fds(int sock, const void *buf, size_t len, const int *fds, int nfds)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	union {
		char buf[CMSG_SPACE(sizeof(int) * NFDS_MAX)];
		struct cmsghdr align;
	} u;
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	if (nfds > 0) {
		memset(&u, 0, sizeof u);
		mh.msg_control = u.buf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
		struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)nfds);
	}
	for (;;) {
		ssize_t n = sendmsg(sock, &mh, MSG_NOSIGNAL);
		if (n >= 0)
			return 0;
		if (errno != EINTR)
			return -errno;
	}
}

/* Receives one message; fds[] gets up to maxfds descriptors (CLOEXEC), the
 * rest -1. Returns the byte count, 0 at EOF, or negative errno. */
static ssize_t recv_with_fds(int sock, void *buf, size_t len, int *fds, int maxfds, int *nfds)
{
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	union {
		char buf[CMSG_SPACE(sizeof(int) * NFDS_MAX)];
		struct cmsghdr align;
	} u;
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
		.msg_controllen = sizeof u.buf };
	ssize_t n;
	for (int i = 0; i < maxfds; i++)
		fds[i] = -1;
	*nfds = 0;
	do
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		int cnt = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		int got[NFDS_MAX];
		memcpy(got, CMSG_DATA(c), sizeof(int) * (size_t)(cnt < NFDS_MAX ? cnt : NFDS_MAX));
		for (int i = 0; i < cnt && i < NFDS_MAX; i++) {
			if (*nfds < maxfds)
				fds[(*nfds)++] = got[i];
			else
				close(got[i]);
		}
	}
	if (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC))
		return -EMSGSIZE;
	return n;
}

static int pidfd_open_(pid_t pid, unsigned flags)
{
	return (int)syscall(SYS_pidfd_open, pid, flags);
}

static int pidfd_kill(int pidfd, int sig)
{
	return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

/* Mount flags a bind remount must keep, as an unprivileged (user namespace)
 * remount may not clear locked ones. */
static unsigned long locked_flags(const char *path)
{
	struct statvfs sv;
	unsigned long f = 0;
	if (statvfs(path, &sv) < 0)
		return 0;
	if (sv.f_flag & ST_NOSUID)
		f |= MS_NOSUID;
	if (sv.f_flag & ST_NODEV)
		f |= MS_NODEV;
	if (sv.f_flag & ST_NOEXEC)
		f |= MS_NOEXEC;
	if (sv.f_flag & ST_NOATIME)
		f |= MS_NOATIME;
	if (sv.f_flag & ST_NODIRATIME)
		f |= MS_NODIRATIME;
	if (sv.f_flag & ST_RELATIME)
		f |= MS_RELATIME;
	if (sv.f_flag & ST_RDONLY)
		f |= MS_RDONLY;
	return f;
}

static int mkdir_p(const char *path, mode_t mode)
{
	char tmp[PATH_MAX];
	sbx_fmt(tmp, sizeof tmp, "%s", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(tmp, mode) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(tmp, mode) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/* Binds host path src onto dst (made here), read-only. */
static int bind_ro(const char *src, const char *dst, bool is_dir, unsigned long extra, char *err, size_t errlen)
{
	int rc;
	if (is_dir) {
		if ((rc = mkdir_p(dst, 0755)) < 0)
			goto fail_mk;
	} else {
		char parent[PATH_MAX];
		sbx_fmt(parent, sizeof parent, "%s", dst);
		char *slash = strrchr(parent, '/');
		if (slash && slash != parent) {
			*slash = 0;
			if ((rc = mkdir_p(parent, 0755)) < 0)
				goto fail_mk;
		}
		int fd = open(dst, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
		if (fd < 0) {
			rc = -errno;
			goto fail_mk;
		}
		close(fd);
	}
	if (mount(src, dst, NULL, MS_BIND | MS_REC, NULL) < 0) {
		sbx_fmt(err, errlen, "cannot bind '%s': %s", src, strerror(errno));
		return -errno;
	}
	if (mount(NULL, dst, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | extra | locked_flags(src),
			NULL) < 0) {
		sbx_fmt(err, errlen, "cannot make '%s' read-only: %s", src, strerror(errno));
		return -errno;
	}
	return 0;
fail_mk:
	sbx_fmt(err, errlen, "cannot make mount point '%s': %s", dst, strerror(-rc));
	return rc;
}

/* ---------------------------------------------------------------- the zygote */

struct zygote_ctx {
	struct sandbox *sb;
	char run_root[PATH_MAX];
	char full_root[PATH_MAX];
};

static int build_roots(struct zygote_ctx *z, char *err, size_t errlen)
{
	struct sandbox *sb = z->sb;
	char p[PATH_MAX + 64];
	int rc;

	if (mount("tmpfs", sb->mnt, "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,nr_inodes=64,mode=0755") < 0)
		goto fail_errno_mnt;
	sbx_fmt(z->run_root, sizeof z->run_root, "%s/run", sb->mnt);
	sbx_fmt(z->full_root, sizeof z->full_root, "%s/full", sb->mnt);

	/* RUN: /box and /tmp, nothing else. */
	if (mkdir(z->run_root, 0755) < 0 ||
	    mount("tmpfs", z->run_root, "tmpfs", MS_NOSUID | MS_NODEV, "size=16k,nr_inodes=16,mode=0755") < 0)
		goto fail_errno_mnt;
	sbx_fmt(p, sizeof p, "%s/box", z->run_root);
	if (mkdir(p, 0755) < 0)
		goto fail_errno_mnt;
	sbx_fmt(p, sizeof p, "%s/tmp", z->run_root);
	if (mkdir(p, 0755) < 0)
		goto fail_errno_mnt;
	if (mount(NULL, z->run_root, NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) < 0)
		goto fail_errno_mnt;

	/* INTERP and COMPILE: the read-only paths, a few devices, /box, /tmp. */
	if (mkdir(z->full_root, 0755) < 0 ||
	    mount("tmpfs", z->full_root, "tmpfs", MS_NOSUID | MS_NODEV, "size=256k,nr_inodes=1024,mode=0755") < 0)
		goto fail_errno_mnt;
	for (char **rp = sb->ro_paths; *rp; rp++) {
		struct stat st;
		const char *src = *rp;
		if (src[0] != '/' || lstat(src, &st) < 0) {
			sbx_logf(&sb->log, "read-only path '%s' skipped: %s", src,
				src[0] != '/' ? "not absolute" : strerror(errno));
			continue;
		}
		sbx_fmt(p, sizeof p, "%s%s", z->full_root, src);
		if (S_ISLNK(st.st_mode)) {
			char target[PATH_MAX];
			ssize_t n = readlink(src, target, sizeof target - 1);
			if (n < 0)
				continue;
			target[n] = 0;
			char parent[PATH_MAX + 64];
			sbx_fmt(parent, sizeof parent, "%s", p);
			char *slash = strrchr(parent, '/');
			if (slash && slash != parent) {
				*slash = 0;
				mkdir_p(parent, 0755);
			}
			if (symlink(target, p) < 0 && errno != EEXIST) {
				sbx_fmt(err, errlen, "cannot make symlink '%s': %s", src, strerror(errno));
				return -errno;
			}
			continue;
		}
		if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
			sbx_logf(&sb->log, "read-only path '%s' skipped: not a file or directory", src);
			continue;
		}
		if ((rc = bind_ro(src, p, S_ISDIR(st.st_mode), MS_NODEV, err, errlen)) < 0)
			return rc;
	}
	static const char *const devs[] = { "null", "zero", "random", "urandom" };
	for (size_t i = 0; i < sizeof devs / sizeof *devs; i++) {
		char src[64];
		sbx_fmt(src, sizeof src, "/dev/%s", devs[i]);
		sbx_fmt(p, sizeof p, "%s/dev/%s", z->full_root, devs[i]);
		if ((rc = bind_ro(src, p, false, MS_NOEXEC, err, errlen)) < 0)
			return rc;
	}
	sbx_fmt(p, sizeof p, "%s/box", z->full_root);
	if (mkdir(p, 0755) < 0)
		goto fail_errno_mnt;
	sbx_fmt(p, sizeof p, "%s/tmp", z->full_root);
	if (mkdir(p, 0755) < 0 && errno != EEXIST)
		goto fail_errno_mnt;
	if (mount(NULL, z->full_root, NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) < 0)
		goto fail_errno_mnt;
	return 0;

fail_errno_mnt:
	rc = -errno;
	sbx_fmt(err, errlen, "cannot build the sandbox root under '%s': %s", sb->mnt, strerror(errno));
	return rc;
}

static _Noreturn void init_main(struct zygote_ctx *z, const struct req *rq, int *fds);

static _Noreturn void zygote_main(struct sandbox *sb, int report)
{
	struct zygote_ctx z = { .sb = sb };
	char err[300] = "";
	int flags = CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	prctl(PR_SET_NAME, "sandbox-zygote");
	signal(SIGPIPE, SIG_IGN);
	if (!sb->root)
		flags |= CLONE_NEWUSER;
	if (unshare(flags) < 0) {
		sbx_fmt(err, sizeof err, "cannot create namespaces: %s", strerror(errno));
		goto fail;
	}
	if (!sb->root) {
		char map[64];
		sbx_fmt(map, sizeof map, "%u %u 1\n", (unsigned)sb->uid, (unsigned)sb->host_uid);
		if (write_file("/proc/self/setgroups", "deny") < 0 || write_file("/proc/self/uid_map", map) < 0) {
			sbx_fmt(err, sizeof err, "cannot write uid_map: %s", strerror(errno));
			goto fail;
		}
		sbx_fmt(map, sizeof map, "%u %u 1\n", (unsigned)sb->gid, (unsigned)sb->host_gid);
		if (write_file("/proc/self/gid_map", map) < 0) {
			sbx_fmt(err, sizeof err, "cannot write gid_map: %s", strerror(errno));
			goto fail;
		}
	}
	/* Host mounts made later still show (slave); ours never leak out. */
	if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0) {
		sbx_fmt(err, sizeof err, "cannot make mounts private: %s", strerror(errno));
		goto fail;
	}
	/* The host's names are none of the program's business; failure is harmless. */
	if (sethostname("sandbox", 7) < 0 || setdomainname("sandbox", 7) < 0)
		sbx_logf(&sb->log, "cannot set the sandbox host name: %s", strerror(errno));
	if (build_roots(&z, err, sizeof err) < 0)
		goto fail;
	/* Inits are reaped by the kernel; their end is seen through pidfds. */
	signal(SIGCHLD, SIG_IGN);
	if (write_all_fd(report, "ok", 2) < 0)
		_exit(1);
	close(report);

	for (;;) {
		int fds[NFDS_MAX], nfds;
		ssize_t n = recv_with_fds(sb->ctl, sb->reqbuf, sizeof sb->reqbuf, fds, NFDS_MAX, &nfds);
		if (n == 0)
			_exit(0);
		if (n < 0) {
			if (n == -EMSGSIZE)
				goto drop;
			_exit(1);
		}
		const struct req *rq = (const struct req *)sb->reqbuf;
		if ((size_t)n < sizeof *rq || rq->magic != REQ_MAGIC || nfds < 4 ||
		    sizeof *rq + rq->datalen != (size_t)n)
			goto drop;
		pid_t pid = (pid_t)syscall(SYS_clone, CLONE_NEWPID | CLONE_NEWNS | SIGCHLD, 0, 0, 0, 0);
		if (pid == 0)
			init_main(&z, rq, fds);
		if (pid < 0) {
			struct msg m = { .type = MSG_ERROR, .err = errno };
			sbx_fmt(m.text, sizeof m.text, "cannot create the run's namespaces: %s", strerror(errno));
			send_with_fds(fds[FD_STATUS], &m, sizeof m, NULL, 0);
		}
drop:
		for (int i = 0; i < nfds; i++)
			if (fds[i] >= 0)
				close(fds[i]);
	}

fail:
	write_all_fd(report, err, strlen(err));
	_exit(1);
}

/* ---------------------------------------------------------------- the run's init */

static void send_error(int status, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void send_error(int status, int err, const char *fmt, ...)
{
	struct msg m = { .type = MSG_ERROR, .err = err };
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m.text, sizeof m.text, fmt, ap);
	va_end(ap);
	send_with_fds(status, &m, sizeof m, NULL, 0);
}

static int enter_jail(struct zygote_ctx *z, const struct req *rq, const char *box, char *err, size_t errlen)
{
	const char *root = rq->profile == SANDBOX_RUN ? z->run_root : z->full_root;
	char p[PATH_MAX + 16], opts[96];
	uint64_t tmp_kb = rq->lim.file_kb < 64 ? 64 : rq->lim.file_kb;

	sbx_fmt(p, sizeof p, "%s/tmp", root);
	sbx_fmt(opts, sizeof opts, "size=%" PRIu64 "k,nr_inodes=4096,mode=1777", tmp_kb);
	if (mount("tmpfs", p, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, opts) < 0) {
		sbx_fmt(err, errlen, "cannot mount /tmp: %s", strerror(errno));
		return -errno;
	}
	sbx_fmt(p, sizeof p, "%s/box", root);
	if (mount(box, p, NULL, MS_BIND, NULL) < 0) {
		sbx_fmt(err, errlen, "cannot bind box '%s': %s", box, strerror(errno));
		return -errno;
	}
	unsigned long fl = MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV | locked_flags(box);
	if (!(rq->flags & REQ_BOX_WRITABLE))
		fl |= MS_RDONLY;
	if (mount(NULL, p, NULL, fl, NULL) < 0) {
		sbx_fmt(err, errlen, "cannot remount box '%s': %s", box, strerror(errno));
		return -errno;
	}
	if (chdir(root) < 0 || syscall(SYS_pivot_root, ".", ".") < 0 || umount2(".", MNT_DETACH) < 0 ||
	    chdir("/") < 0) {
		sbx_fmt(err, errlen, "cannot pivot_root into '%s': %s", root, strerror(errno));
		return -errno;
	}
	return 0;
}

static int set_rlimit(int res, uint64_t soft, uint64_t hard)
{
	struct rlimit rl = { .rlim_cur = soft, .rlim_max = hard };
	return setrlimit(res, &rl);
}

static int apply_rlimits(const struct sandbox *sb, const struct req *rq)
{
	const struct sandbox_limits *l = &rq->lim;
	uint64_t inf = RLIM_INFINITY;
	int rc = 0;

	if (l->cpu_ms) {
		uint64_t s = (l->cpu_ms + 999) / 1000 + 1;
		rc |= set_rlimit(RLIMIT_CPU, s, s + 1);
	}
	if (l->memory_kb && !(rq->flags & REQ_CG_MEM)) {
		/* Only a safety net: address space is not memory (thread stacks, arenas).
		 * The measure is resident memory: polled, and ru_maxrss at the end. */
		uint64_t as = l->memory_kb * 4096 + (256u << 20);
		rc |= set_rlimit(RLIMIT_AS, as, as);
	}
	uint64_t stack = l->stack_kb ? l->stack_kb * 1024 : l->memory_kb ? l->memory_kb * 1024 : inf;
	rc |= set_rlimit(RLIMIT_STACK, stack, stack);
	rc |= set_rlimit(RLIMIT_FSIZE, l->file_kb * 1024, l->file_kb * 1024);
	uint64_t nofile = l->open_files ? l->open_files : 64;
	rc |= set_rlimit(RLIMIT_NOFILE, nofile, nofile);
	/* Counted per uid: the slot uid has no other process (root); in a user namespace
	 * the zygote and the inits share the uid (nproc_extra). */
	uint64_t nproc = (l->processes ? l->processes : 1) + rq->nproc_extra;
	rc |= set_rlimit(RLIMIT_NPROC, nproc, nproc);
	rc |= set_rlimit(RLIMIT_CORE, 0, 0);
	rc |= set_rlimit(RLIMIT_MEMLOCK, 0, 0);
	rc |= set_rlimit(RLIMIT_MSGQUEUE, 0, 0);
	rc |= set_rlimit(RLIMIT_RTPRIO, 0, 0);
	(void)inf;
	return rc ? -errno : 0;
}

static int drop_privileges(const struct sandbox *sb)
{
	if (prctl(PR_SET_SECUREBITS, SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_CAP_AMBIENT_RAISE |
			SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED | SECBIT_KEEP_CAPS_LOCKED) < 0)
		return -errno;
	for (int cap = 0; cap <= sb->last_cap; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			return -errno;
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

static void note(int fd, int kind, int val, const char *step)
{
	struct exec_note n = { .kind = kind, .val = val };
	if (step)
		sbx_fmt(n.step, sizeof n.step, "%s", step);
	if (write(fd, &n, sizeof n) < 0) {
		/* nothing to do: the init then reports a generic failure */
	}
}

/* The program's side, between clone and execve. Shares the init's file
 * table (CLONE_FILES), so it never closes anything; everything but 0-2 is
 * close-on-exec. */
static _Noreturn void program_main(const struct sandbox *sb, const struct req *rq, const int *fds,
		char *const *argv, char *const *env, int notes)
{
	const char *step;
	int rc;

	/* Dispositions and the mask survive execve: start the program clean. */
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	step = "join cgroup";
	for (int c = FD_CG_MEM; c <= FD_CG_CPU; c++)
		if (fds[c] >= 0 && write(fds[c], "0", 1) < 0)
			goto fail;
	step = "set rlimits";
	if ((rc = apply_rlimits(sb, rq)) < 0) {
		errno = -rc;
		goto fail;
	}
	step = "set up stdio";
	if (dup2(fds[FD_STDIN], 0) < 0 || dup2(fds[FD_STDOUT], 1) < 0 || dup2(fds[FD_STDERR], 2) < 0)
		goto fail;
	step = "enter /box";
	if (chdir("/box") < 0)
		goto fail;
	step = "drop privileges";
	if ((rc = drop_privileges(sb)) < 0) {
		errno = -rc;
		goto fail;
	}
	step = "load seccomp filter";
	struct sbx_filter f = sb->filt[rq->profile];
	struct sock_fprog prog = { .len = f.len, .filter = f.insns };
	int listener = -1;
	if (sb->notify_ok)
		listener = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	if (listener < 0) {
		sbx_seccomp_notify_to_kill(&f); /* our private copy after the clone */
		if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
			goto fail;
	} else {
		note(notes, 1, listener, NULL);
	}
	execve(exec_path, argv, env);
	note(notes, 2, errno, "execve");
	_exit(127);
fail:
	note(notes, 3, errno, step);
	_exit(127);
}

static _Noreturn void init_main(struct zygote_ctx *z, const struct req *rq, int *fds)
{
	struct sandbox *sb = z->sb;
	int status = fds[FD_STATUS];
	char err[200];

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	prctl(PR_SET_NAME, "sandbox-init");
	signal(SIGCHLD, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);
	if (!(rq->flags & REQ_CG_MEM))
		fds[FD_CG_MEM] = -1;
	if (!(rq->flags & REQ_CG_PIDS))
		fds[FD_CG_PIDS] = -1;
	if (!(rq->flags & REQ_CG_CPU))
		fds[FD_CG_CPU] = -1;

	/* Unpack box, argv, env. */
	const char *p = rq->data, *end = rq->data + rq->datalen;
	const char *box = p;
	char **argv = calloc(rq->argc + 1, sizeof *argv), **env = calloc(rq->envc + 1, sizeof *env);
	if (!argv || !env)
		_exit(1);
	p += strnlen(p, (size_t)(end - p)) + 1;
	for (uint32_t i = 0; i < rq->argc && p < end; i++, p += strnlen(p, (size_t)(end - p)) + 1)
		argv[i] = (char *)p;
	for (uint32_t i = 0; i < rq->envc && p < end; i++, p += strnlen(p, (size_t)(end - p)) + 1)
		env[i] = (char *)p;
	if (!argv[0] || end[-1] != 0) {
		send_error(status, EINVAL, "malformed request");
		_exit(1);
	}
	sbx_fmt(exec_path, sizeof exec_path, "%s", argv[0]);

	if (enter_jail(z, rq, box, err, sizeof err) < 0) {
		send_error(status, errno, "%s", err);
		_exit(1);
	}
	/* Everything but stdio closes at the program's execve. */
	syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
	int notes[2];
	if (pipe2(notes, O_CLOEXEC | O_NONBLOCK) < 0) {
		send_error(status, errno, "cannot make a pipe: %s", strerror(errno));
		_exit(1);
	}
	int pidfd = -1;
	struct clone_args ca = {
		.flags = CLONE_VFORK | CLONE_FILES | CLONE_PIDFD,
		.pidfd = (uint64_t)(uintptr_t)&pidfd,
		.exit_signal = SIGCHLD,
	};
	pid_t pid = (pid_t)syscall(SYS_clone3, &ca, sizeof ca);
	if (pid == 0)
		program_main(sb, rq, fds, argv, env, notes[1]);
	if (pid < 0) {
		send_error(status, errno, "cannot fork the program: %s", strerror(errno));
		_exit(1);
	}
	/* The program has exec'd or died: our copies of its stdio must go, or the
	 * worker never sees the pipes' end. */
	for (int i = 0; i <= 2; i++)
		close(i);
	for (int i = FD_STDIN; i <= FD_CG_CPU; i++)
		if (i != FD_STATUS && fds[i] >= 0)
			close(fds[i]);
	int listener = -1;
	struct exec_note n;
	while (read(notes[0], &n, sizeof n) == (ssize_t)sizeof n) {
		if (n.kind == 1) {
			listener = n.val;
			continue;
		}
		int st;
		waitpid(pid, &st, 0);
		if (n.kind == 2)
			send_error(status, n.val, "cannot execute '%s': %s", argv[0], strerror(n.val));
		else
			send_error(status, n.val, "cannot %s: %s", n.step, strerror(n.val));
		_exit(1);
	}
	close(notes[0]);
	close(notes[1]);

	struct msg m = { .type = MSG_STARTED, .notify = listener >= 0 };
	int self = pidfd_open_(1, 0);
	int pass[2] = { self, pidfd };
	if (self < 0 || send_with_fds(status, &m, sizeof m, pass, 2) < 0) {
		kill(-1, SIGKILL);
		_exit(1);
	}
	close(self);

	int syscall_nr = -1;
	struct pollfd pf[3] = {
		{ .fd = pidfd, .events = POLLIN },
		{ .fd = status, .events = 0 },
		{ .fd = listener, .events = POLLIN },
	};
	for (;;) {
		int r = poll(pf, listener >= 0 ? 3 : 2, -1);
		if (r < 0 && errno != EINTR)
			break;
		if (pf[1].revents & (POLLHUP | POLLERR))
			_exit(1); /* the worker gave up on this run: dying kills it all */
		if (listener >= 0 && (pf[2].revents & POLLIN)) {
			struct seccomp_notif req;
			memset(&req, 0, sizeof req);
			if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) == 0) {
				if (syscall_nr < 0)
					syscall_nr = req.data.nr;
				kill((pid_t)req.pid, SIGKILL);
				pidfd_kill(pidfd, SIGKILL);
			}
		}
		if (listener >= 0 && (pf[2].revents & (POLLHUP | POLLERR)))
			pf[2].fd = -1;
		if (pf[0].revents & POLLIN)
			break;
	}
	struct msg res = { .type = MSG_RESULT, .syscall_nr = syscall_nr };
	while (wait4(pid, &res.wstatus, 0, &res.ru) < 0 && errno == EINTR)
		;
	kill(-1, SIGKILL);
	while (wait4(-1, NULL, __WALL, NULL) > 0 || errno == EINTR)
		;
	send_with_fds(status, &res, sizeof res, NULL, 0);
	_exit(0);
}

/* ---------------------------------------------------------------- sandbox_new / free */

static int probe_notify(void)
{
	/* A child tries to install a trivial filter with a listener. */
	pid_t pid = fork();
	if (pid < 0)
		return 0;
	if (pid == 0) {
		struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
		struct sock_fprog prog = { .len = 1, .filter = &allow };
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		_exit(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog) >= 0 ? 0 : 1);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* Closes every fd but keep[] (in the freshly forked zygote). */
static void close_others(const int *keep, int nkeep)
{
	DIR *d = opendir("/proc/self/fd");
	if (!d) {
		syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
		return;
	}
	int self = dirfd(d);
	int fds[1024], n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < 1024) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		int fd = atoi(e->d_name);
		bool k = fd <= 2 || fd == self;
		for (int i = 0; i < nkeep; i++)
			k |= keep[i] == fd;
		if (!k)
			fds[n++] = fd;
	}
	closedir(d);
	for (int i = 0; i < n; i++)
		close(fds[i]);
	/* anything past 1024 open files: at least never reaches a program */
	syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
}

/* Removes the (empty) mount point directories of sandboxes whose process
 * is gone: a killed worker cannot clean up after itself. */
static void sweep_mount_points(const char *dir, int slot)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	if (!d)
		return;
	while ((e = readdir(d))) {
		int s, pid;
		if (sscanf(e->d_name, "verdict-sandbox-%d-%d-", &s, &pid) != 2 || s != slot)
			continue;
		if (kill(pid, 0) == 0 || errno != ESRCH)
			continue;
		char path[PATH_MAX];
		if (sbx_fmt(path, sizeof path, "%s/%s", dir, e->d_name) == 0)
			rmdir(path);
	}
	closedir(d);
}

static char *strdup_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *strdup_printf(const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

struct sandbox *sandbox_new(const struct sandbox_config *cfg, char **err)
{
	static const char *const default_ro[] = SANDBOX_DEFAULT_RO_PATHS;
	struct sandbox *sb = calloc(1, sizeof *sb);
	char msg[300];
	int report[2] = { -1, -1 }, ctl[2] = { -1, -1 };

	*err = NULL;
	if (!sb) {
		*err = strdup("out of memory");
		return NULL;
	}
	sb->ctl = sb->devnull = sb->zygote_pidfd = -1;
	sb->zygote = -1;
	sb->slot = cfg->slot;
	sb->log.fn = cfg->log;
	sb->log.ctx = cfg->log_ctx;
	sb->root = geteuid() == 0;
	sb->uid = SBX_UID_BASE + (uid_t)cfg->slot;
	sb->gid = SBX_UID_BASE + (gid_t)cfg->slot;
	sb->host_uid = geteuid();
	sb->host_gid = getegid();
	sb->last_cap = CAP_LAST_CAP;
	FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "re");
	if (f) {
		if (fscanf(f, "%d", &sb->last_cap) != 1)
			sb->last_cap = CAP_LAST_CAP;
		fclose(f);
	}
	if (cfg->slot < 0 || cfg->slot > 5000) {
		*err = strdup_printf("bad sandbox slot %d", cfg->slot);
		goto fail;
	}

	const char *const *ro = cfg->ro_paths ? cfg->ro_paths : default_ro;
	size_t nro = 0;
	while (ro[nro])
		nro++;
	sb->ro_paths = calloc(nro + 1, sizeof *sb->ro_paths);
	sb->iobuf = malloc(65536);
	if (!sb->ro_paths || !sb->iobuf)
		goto oom;
	for (size_t i = 0; i < nro; i++)
		if (!(sb->ro_paths[i] = strdup(ro[i])))
			goto oom;

	int rc = sbx_seccomp_build(sb->filt, exec_path, SELF_PID, msg, sizeof msg);
	if (rc < 0) {
		*err = strdup(msg);
		goto fail;
	}
	sb->notify_ok = probe_notify();
	if (!sb->notify_ok)
		sbx_logf(&sb->log, "WARNING: no seccomp user notification: a forbidden system call kills the "
			"program with SIGSYS and its name is not known");

	sbx_cg_init(&sb->cg, cfg->slot, &sb->log);
	sb->any_cg = sb->cg.have[SBX_CG_MEMORY] || sb->cg.have[SBX_CG_PIDS] || sb->cg.have[SBX_CG_CPU];
	if (sb->any_cg)
		sbx_cg_housekeep(&sb->cg);

	sb->devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (sb->devnull < 0) {
		*err = strdup_printf("cannot open '/dev/null': %s", strerror(errno));
		goto fail;
	}
	const char *wr = cfg->work_root;
	if (!wr)
		wr = getenv("XDG_RUNTIME_DIR");
	if (!wr || !*wr || access(wr, W_OK) != 0)
		wr = "/tmp";
	sweep_mount_points(wr, cfg->slot);
	sb->mnt = strdup_printf("%s/verdict-sandbox-%d-%d-XXXXXX", wr, cfg->slot, (int)getpid());
	if (!sb->mnt)
		goto oom;
	if (!mkdtemp(sb->mnt)) {
		*err = strdup_printf("cannot make directory under '%s': %s", wr, strerror(errno));
		free(sb->mnt);
		sb->mnt = NULL;
		goto fail;
	}

	if (pipe2(report, O_CLOEXEC) < 0 || socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ctl) < 0) {
		*err = strdup_printf("cannot make pipes: %s", strerror(errno));
		goto fail;
	}
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		*err = strdup_printf("cannot fork the sandbox helper: %s", strerror(errno));
		goto fail;
	}
	if (pid == 0) {
		if (getppid() != parent)
			_exit(1);
		close(report[0]);
		close(ctl[0]);
		sb->ctl = ctl[1];
		/* Nothing of the caller's (database, sockets) stays open in here. */
		close_others((int[]){ 2, report[1], ctl[1], sb->devnull }, 4);
		dup2(sb->devnull, 0);
		dup2(sb->devnull, 1);
		zygote_main(sb, report[1]);
	}
	sb->zygote = pid;
	sb->zygote_pidfd = pidfd_open_(pid, 0);
	close(report[1]);
	report[1] = -1;
	close(ctl[1]);
	ctl[1] = -1;
	sb->ctl = ctl[0];
	ctl[0] = -1;
	char answer[300];
	ssize_t n;
	do
		n = read(report[0], answer, sizeof answer - 1);
	while (n < 0 && errno == EINTR);
	close(report[0]);
	report[0] = -1;
	if (n != 2 || memcmp(answer, "ok", 2) != 0) {
		if (n < 0)
			n = 0;
		answer[n] = 0;
		*err = strdup_printf("cannot start the sandbox helper: %s", n ? answer : "it died");
		goto fail;
	}
	if (!sb->root)
		sbx_logf(&sb->log, "not root: confined by a user namespace (uid %u inside is uid %u outside)",
			(unsigned)sb->uid, (unsigned)sb->host_uid);
	return sb;

oom:
	*err = strdup("out of memory");
fail:
	if (report[0] >= 0)
		close(report[0]);
	if (report[1] >= 0)
		close(report[1]);
	if (ctl[0] >= 0)
		close(ctl[0]);
	if (ctl[1] >= 0)
		close(ctl[1]);
	sandbox_free(sb);
	return NULL;
}

/* Waits until the init behind pidfd is gone (its pid namespace with it),
 * killing it if it takes long. Closes pidfd. */
static void wait_init(int pidfd)
{
	struct pollfd pf = { .fd = pidfd, .events = POLLIN };
	if (poll(&pf, 1, 0) == 0 && poll(&pf, 1, 5000) == 0) {
		pidfd_kill(pidfd, SIGKILL);
		poll(&pf, 1, 5000);
	}
	close(pidfd);
}

/* Finished runs' inits exit (tearing down their namespaces) while the next
 * run starts: forget those that are gone; wait for all when all is set or
 * when too many are still going. */
static void reap_pending(struct sandbox *sb, bool all)
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

void sandbox_free(struct sandbox *sb)
{
	if (!sb)
		return;
	reap_pending(sb, true);
	if (sb->ctl >= 0)
		close(sb->ctl);
	if (sb->zygote > 0) {
		if (sb->zygote_pidfd >= 0)
			pidfd_kill(sb->zygote_pidfd, SIGKILL);
		else
			kill(sb->zygote, SIGKILL);
		while (waitpid(sb->zygote, NULL, 0) < 0 && errno == EINTR)
			;
	}
	if (sb->zygote_pidfd >= 0)
		close(sb->zygote_pidfd);
	if (sb->any_cg)
		sbx_cg_destroy(&sb->cg);
	if (sb->mnt) {
		rmdir(sb->mnt);
		free(sb->mnt);
	}
	if (sb->devnull >= 0)
		close(sb->devnull);
	sbx_seccomp_free(sb->filt);
	if (sb->ro_paths)
		for (char **p = sb->ro_paths; *p; p++)
			free(*p);
	free(sb->ro_paths);
	free(sb->iobuf);
	free(sb);
}

void sandbox_get_info(const struct sandbox *sb, struct sandbox_info *info)
{
	memset(info, 0, sizeof *info);
	info->root = sb->root;
	info->user_ns = !sb->root;
	info->cgroup_memory = sb->cg.have[SBX_CG_MEMORY];
	info->cgroup_pids = sb->cg.have[SBX_CG_PIDS];
	info->cgroup_cpu = sb->cg.have[SBX_CG_CPU];
	info->seccomp_notify = sb->notify_ok;
	info->uid = (unsigned)sb->uid;
}

const char *sandbox_status_name(enum sandbox_status st)
{
	static const char *const names[] = { "OK", "EXITED", "SIGNALED", "TIME", "WALL", "MEMORY", "OUTPUT",
		"SYSCALL", "ERROR" };
	if ((unsigned)st < sizeof names / sizeof *names)
		return names[st];
	return "UNKNOWN";
}

/* ---------------------------------------------------------------- sandbox_run */

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
		pidfd_kill(rs->prog_pidfd, SIGKILL);
}

/* Polls CPU time and, without a memory cgroup, resident memory. */
static void poll_usage(struct sandbox *sb, struct run_state *rs, const struct sbx_cg_run *cgr)
{
	if (!rs->started)
		return;
	if (sb->cg.have[SBX_CG_CPU]) {
		rs->cpu_ns_polled = sbx_cg_cpu_ns(cgr);
	}
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
			int rc = write_all_fd(dst, sb->iobuf, keep);
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
	int fds[2], nfds;
	ssize_t n = recv_with_fds(rs->status_fd, &m, sizeof m, fds, 2, &nfds);
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
		if (nfds == 2 && !rs->started) {
			rs->init_pidfd = fds[0];
			rs->prog_pidfd = fds[1];
			rs->started = true;
			rs->notify = m.notify;
			if (rs->kill_reason != SANDBOX_OK)
				pidfd_kill(rs->prog_pidfd, SIGKILL);
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
		res->memory_kb = cgs->peak_bytes / 1024;
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

	const char *why = "";
	char syscall_name[32] = "";
	if (have_result && rs->result.syscall_nr >= 0)
		sbx_syscall_name(rs->result.syscall_nr, syscall_name, sizeof syscall_name);

	if (rs->kill_reason == SANDBOX_ERROR) {
		fail_result(res, "cannot write the program's output: %s", strerror(rs->write_err));
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
	struct sbx_cg_run cgr = { .ready = false };
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
	if (strlen(spec->argv[0]) >= sizeof exec_path) {
		fail_result(res, "program path too long");
		return -ENAMETOOLONG;
	}
	if (!realpath(spec->box_dir, box)) {
		rc = -errno;
		fail_result(res, "cannot resolve box dir '%s': %s", spec->box_dir, strerror(errno));
		return rc;
	}
	if (sb->root) {
		struct stat bs;
		if (stat(box, &bs) < 0 || !S_ISDIR(bs.st_mode)) {
			fail_result(res, "box dir '%s' is not a directory", box);
			return -ENOTDIR;
		}
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

	reap_pending(sb, false);
	rq->nproc_extra = sb->root ? 0 : 2 + (uint32_t)sb->npending;
	if (sb->any_cg) {
		uint32_t pids = l->processes ? l->processes : 1;
		uint64_t mem = l->memory_kb ? l->memory_kb * 1024 : (uint64_t)INT64_MAX;
		if ((rc = sbx_cg_start(&sb->cg, &cgr, mem, pids)) < 0) {
			fail_result(res, "cannot set up the run's cgroups: %s", strerror(-rc));
			return rc;
		}
	}

	if (pipe2(out, O_CLOEXEC | O_NONBLOCK) < 0 ||
	    (spec->stderr_fd >= 0 && pipe2(errp, O_CLOEXEC | O_NONBLOCK) < 0) ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, st) < 0 ||
	    (rs.tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK)) < 0) {
		rc = -errno;
		fail_result(res, "cannot make pipes: %s", strerror(errno));
		goto out;
	}
	/* The child ends must block (a non-blocking stdout would surprise programs). */
	fcntl(out[1], F_SETFL, 0);
	if (errp[1] >= 0)
		fcntl(errp[1], F_SETFL, 0);
	fcntl(st[1], F_SETFL, 0);

	int fds[NFDS_MAX], nfds = 4;
	fds[FD_STDIN] = spec->stdin_fd >= 0 ? spec->stdin_fd : sb->devnull;
	fds[FD_STDOUT] = out[1];
	fds[FD_STDERR] = errp[1] >= 0 ? errp[1] : sb->devnull;
	fds[FD_STATUS] = st[1];
	if (cgr.ready) {
		int order[3] = { SBX_CG_MEMORY, SBX_CG_PIDS, SBX_CG_CPU };
		int flag[3] = { REQ_CG_MEM, REQ_CG_PIDS, REQ_CG_CPU };
		for (int i = 0; i < 3; i++) {
			fds[FD_CG_MEM + i] = cgr.procs[order[i]] >= 0 ? cgr.procs[order[i]] : sb->devnull;
			if (cgr.procs[order[i]] >= 0)
				rq->flags |= (uint32_t)flag[i];
		}
		nfds = 7;
	}
	struct itimerspec its = { .it_interval = { 0, TICK_MS * 1000000L }, .it_value = { 0, TICK_MS * 1000000L } };
	timerfd_settime(rs.tfd, 0, &its, NULL);

	rs.t0 = mono_us();
	if ((rc = send_with_fds(sb->ctl, rq, sizeof *rq + used, fds, nfds)) < 0) {
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

	/* While the zygote starts the run: cgroup directories for the next one. */
	if (sb->any_cg)
		sbx_cg_housekeep(&sb->cg);

	uint64_t out_limit = l->output_kb ? l->output_kb * 1024 : UINT64_MAX;
	uint64_t err_limit = l->stderr_kb * 1024;
	int64_t wall_deadline = l->wall_ms ? rs.t0 + (int64_t)l->wall_ms * 1000 : INT64_MAX;
	int64_t start_deadline = rs.t0 + (int64_t)(l->wall_ms ? l->wall_ms : 60000) * 1000 + 5000000;

	while (!((rs.got_result || rs.status_eof) && rs.out_eof && rs.err_eof)) {
		struct pollfd pf[4] = {
			{ .fd = (rs.got_result || rs.status_eof) ? -1 : rs.status_fd, .events = POLLIN },
			{ .fd = rs.out_eof ? -1 : rs.out_r, .events = POLLIN },
			{ .fd = rs.err_eof ? -1 : rs.err_r, .events = POLLIN },
			{ .fd = rs.tfd, .events = POLLIN },
		};
		if (poll(pf, 4, -1) < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			break;
		}
		if (pf[1].revents)
			rs.out_eof = !pump(sb, rs.out_r, spec->stdout_fd, out_limit, &rs.out_bytes, true, &rs);
		if (pf[2].revents)
			rs.err_eof = !pump(sb, rs.err_r, spec->stderr_fd, err_limit, &rs.err_bytes, false, &rs);
		if (pf[0].revents)
			handle_status(&rs);
		if (rs.have_error)
			break;
		if (pf[3].revents & POLLIN) {
			uint64_t ticks;
			if (read(rs.tfd, &ticks, sizeof ticks) < 0) {
				/* spurious wakeup */
			}
			int64_t now = mono_us();
			if (!rs.got_result) {
				poll_usage(sb, &rs, &cgr);
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
					pidfd_kill(rs.init_pidfd, SIGKILL);
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
			pidfd_kill(rs.init_pidfd, SIGKILL);
		rc = rs.error.err ? -rs.error.err : -EIO;
		fail_result(res, "%s", rs.error.text);
		goto out;
	}
	if (rc < 0) {
		fail_result(res, "supervisor failed: %s", strerror(-rc));
		goto out;
	}

	struct sbx_cg_stats cgs;
	if (cgr.ready)
		sbx_cg_stats(&cgr, &cgs);
	classify(sb, spec, &rs, cgr.ready ? &cgs : NULL, res);
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
			pidfd_kill(rs.init_pidfd, SIGKILL);
			wait_init(rs.init_pidfd);
		}
		rs.init_pidfd = -1;
	}
	if (cgr.ready) {
		unsigned left = 0;
		sbx_cg_finish(&sb->cg, &cgr, &left);
		if (left)
			sbx_logf(&sb->log, "WARNING: %u processes left in a finished run's cgroup", left);
	}
	int close_fds[] = { out[0], out[1], errp[0], errp[1], st[0], st[1], rs.tfd, rs.prog_pidfd, rs.stat_fd,
		rs.statm_fd };
	for (size_t i = 0; i < sizeof close_fds / sizeof *close_fds; i++)
		if (close_fds[i] >= 0)
			close(close_fds[i]);
	return rc;
}
