/* The sandbox runner: namespaces, mount jail, identity, rlimits, cgroups and
 * the supervisor loop that enforces time and output limits.
 *
 * Theory of operation
 * ===================
 *
 * Processes. Besides the caller there are three kinds of process:
 *
 *   worker (calls sandbox_new/sandbox_run; host namespaces; supervises each run)
 *     │ ctl: SOCK_SEQPACKET socketpair: requests (4 fds with SCM_RIGHTS) to the zygote;
 *     │ as root also OFFERs of waiting inits from it and TAKEN notices to it
 *     └─ zygote (forked once by sandbox_new; PDEATHSIG: dies with the worker)
 *          │ holds what is expensive to make: the user namespace (when not root), a mount
 *          │ namespace (slave of the host's), an empty net namespace (only a down lo), ipc and
 *          │ uts namespaces, and two read-only root trees on tmpfs under <mnt>:
 *          │   <mnt>/run   only /box and /tmp (RUN: nothing else to read or execute)
 *          │   <mnt>/full  the ro_paths, /dev/{null,zero,random,urandom}, /box, /tmp
 *          │ It keeps POOL pre-forked inits per profile waiting, each with a fresh set of
 *          │ cgroups (memory, pids, cpuacct) made for its run, and removes finished runs'
 *          │ cgroups, one step at a time, when no request waits.
 *          └─ init (clone3 CLONE_NEWPID | CLONE_NEWNS, ahead of time; PDEATHSIG)
 *               │ pid 1 of its own pid namespace. Ahead of time it makes its mounts private,
 *               │ pivot_roots into its profile's tree, detaches the old root, mounts a
 *               │ size-limited tmpfs on /tmp, empties its bounding set, resets signal
 *               │ dispositions, raises its hard rlimits (the program may only lower them), and
 *               │ forks (clone3 CLONE_FILES | CLONE_PIDFD) its
 *               └─ program (pid 2), which at once joins the run's cgroups (the init never
 *                    does: the OOM killer must not pick it), takes its identity (per-slot uid
 *                    60000+slot as root, the mapped uid in a user namespace), drops every
 *                    capability (securebits, capset; the bounding set is empty), sets
 *                    no_new_privs, loads its profile's seccomp filter with a user-notification
 *                    listener (last), reports READY, and blocks reading the request from a pipe.
 *
 * A run. The request is the box path, argv, env and limits, with stdin, the stdout and
 * stderr pipes' write ends and the worker's end of a status socket. The box becomes a
 * detached read-only bind (open_tree + mount_setattr: never writable, even for a moment),
 * passed as a mount fd with the request to the oldest waiting init of the profile. As root
 * the worker does that itself: the zygote offers it every waiting init (its socket and
 * pidfd) as soon as it is forked, and the worker tells it which one it took (TAKEN), so
 * that it forks the next. In a user namespace (the worker has no privileges there), or
 * with no offer at hand, the worker sends the request to the zygote, which does the same.
 * The init sets its run's cgroup limits and zeroes the counters (files opened in advance),
 * attaches the box on /box (move_mount), resizes /tmp if this run wants another size, and
 * writes argv, env, the rlimits and the stdio fd numbers to its program, which shares its
 * file table until execve. The program lowers its rlimits, dup2s its stdio, enters /box and
 * executes argv[0]; the filters allow exactly those calls (read, prlimit64 on itself, dup2,
 * chdir, and execve of that one path pointer). The init sends STARTED to the worker with
 * pidfds of itself and the program and the run's cpuacct.usage; it answers seccomp
 * notifications by recording the call and SIGKILLing the program (the call never runs); a
 * note from the program means it could not start (SANDBOX_ERROR). When the program has ended,
 * the init kills and reaps whatever else is left in the pid namespace (orphans come to it:
 * kill(-1) only if there are any), closes its copies of the program's stdio, reads the
 * cgroup counters (peak, failcnt, oom kills, CPU, tasks left) and sends RESULT with them, the
 * wait status, rusage and the denied call. Its exit ends the pid namespace (the kernel kills
 * anything left) and the mount namespace, with the run's /box and /tmp.
 *
 * Supervision (the worker, in sandbox_run): poll on the status socket and the stdout and
 * stderr pipes, with a 10 ms tick (a poll timeout, then a timerfd for longer runs). stdout is
 * copied to stdout_fd up to output_kb; one byte more kills the program (SANDBOX_OUTPUT), so the
 * disk never fills. stderr is kept up to stderr_kb and the rest drained. Each tick checks the
 * wall clock, the CPU time (cpuacct.usage of the run's cgroup, else utime+stime from
 * /proc/PID/stat; RLIMIT_CPU is the kernel's backstop) and, without a memory cgroup, the
 * resident size. A limit kills the program through its pidfd; the init still reports. Without
 * a report within a grace period the worker kills the init, which ends the pid namespace.
 *
 * Privileges. The worker and zygote keep theirs: root, or the caller's uid mapped to
 * 60000+slot in a user namespace with that one mapping (never host root). The init is root
 * in its namespaces, with an empty bounding set. The program runs as 60000+slot with no
 * capabilities, no_new_privs, and the filter of its profile (seccomp.c), compiled once in
 * sandbox_new and inherited through the forks.
 *
 * Cost per run on the critical path: one socket hop (worker → init; two through the zygote),
 * one pipe hop (init → program), the box's detached mount and its attachment, a few writes to
 * cgroup files opened in advance, the program's rlimits, dup2s and execve, and the report.
 * Before it reports, the init lowers its priority (nice 19): its exit, the namespaces'
 * teardown, then never delays the worker. Namespaces,
 * pivot_root, old-root detaching, forking the program, its identity and filter (loading a
 * filter costs ~50 us: the kernel JITs it and runs it for every syscall number), cgroup
 * mkdir/rmdir/join (a v1 join waits for an RCU grace period, milliseconds) all happen ahead of
 * time or afterwards, while nobody waits on them. The worker does not wait for an init's own
 * exit either: the next run (or sandbox_free) makes sure it is gone. */
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
#define NFDS_MAX 10

/* The one path the program's execve may use: the RUN and INTERP filters
 * compare execve's first argument with this address. Static, so it is the
 * same in the worker (which compiles the filters), the zygote and its
 * children. */
static char exec_path[PATH_MAX];

/* fds of a request: 4 from the worker; the zygote adds the box (a detached
 * mount); the init has its cgroup files since it was forked */
enum { FD_STDIN, FD_STDOUT, FD_STDERR, FD_STATUS, FD_BOX, FD_REQ_N };

enum {
	REQ_BOX_WRITABLE = 1 << 0,
};

#define REQ_MAGIC 0x73627831u
#define CTL_MAGIC 0x73627832u

/* Between worker and zygote besides requests (root only: the direct path).
 * OFFER (zygote → worker): a waiting init the worker may use directly, with
 * fds: its request socket and its pidfd.
 * TAKEN (worker → zygote): the worker has given that init a request. */
enum { CTL_OFFER = 1, CTL_TAKEN };
struct ctl_msg {
	uint32_t magic;
	uint32_t type;
	uint32_t kind;
	uint32_t id;
	uint64_t file_kb;      /* TAKEN: the run's file limit (the next init's /tmp size) */
};
#define OFFER_NFDS 2
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
	uint64_t cg_baseline; /* MSG_RESULT: the init's own memory in the run's cgroup */
	uint64_t cg_prog_pre; /* MSG_RESULT: what the waiting program had charged before its execve
	                         (all of cg_baseline, or nearly; freed by the execve) */
	unsigned cg_left;     /* MSG_RESULT: tasks of the run still in its cgroup (should be 0) */
	int have_cgs;         /* MSG_RESULT: cgs is filled in */
	struct sbx_cg_stats cgs; /* MSG_RESULT: the run's cgroup counters, read by the init at the end
	                            (the zygote may remove the cgroups as soon as the init is gone) */
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
	int tfd;                   /* the supervisor's tick timer, reused by every run */
	int devnull;
	char *mnt;                 /* host mount point of the zygote's root trees */
	char **ro_paths;
	struct sbx_filter filt[SBX_NPROFILES];
	bool notify_ok;            /* kernel has seccomp user notification */
	bool any_cg;
	struct sbx_cg cg;
	int pending[4];            /* pidfds of finished runs' inits that may still be exiting */
	struct sbx_offer {         /* root: waiting inits the zygote has handed over (oldest first) */
		int sock;
		int pidfd;
		uint32_t id;
	} offers[SBX_NPROFILES][4];
	int noffers[SBX_NPROFILES];
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
static ssize_t recv_with_fds_flags(int sock, void *buf, size_t len, int *fds, int maxfds, int *nfds, int flags)
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
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC | flags);
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

static ssize_t recv_with_fds(int sock, void *buf, size_t len, int *fds, int maxfds, int *nfds)
{
	return recv_with_fds_flags(sock, buf, len, fds, maxfds, nfds, 0);
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

/* Waiting inits: one per profile (their programs load the profile's filter
 * ahead of time), on two root trees. */
#define NKINDS SBX_NPROFILES
/* Two per kind: back-to-back runs of one kind find one ready while the next
 * one gets ready (joining a v1 cgroup waits for an RCU grace period, ms). */
#define POOL 2
enum { TREE_RUN, TREE_FULL, NTREES };

struct zygote_ctx {
	struct sandbox *sb;
	char tree[NTREES][PATH_MAX];      /* <mnt>/run, <mnt>/full */
	struct waiting {                  /* a waiting (pre-forked) init, or sock -1 */
		int sock;
		int pidfd;
		uint32_t id;
		bool offered;             /* the worker has it (and may use it directly) */
		struct sbx_cg_run cg;     /* the cgroups its program has joined */
	} wait[NKINDS][POOL];             /* [kind][0] is the oldest: the next to run */
	uint32_t next_id;
	int active_pidfd;                 /* init of the last dispatched run, or -1 */
	int active_kind;
	uint64_t tmp_kb[NKINDS];          /* /tmp size of the last run of each kind: the next init mounts it */
	bool cg_stuck;                    /* housekeeping made no progress: wait for the next event */
	struct sbx_cg_run cg;             /* that run's cgroups */
};

static int build_roots(struct zygote_ctx *z, char *err, size_t errlen)
{
	struct sandbox *sb = z->sb;
	char p[PATH_MAX + 64];
	int rc;

	if (mount("tmpfs", sb->mnt, "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,nr_inodes=64,mode=0755") < 0)
		goto fail_errno_mnt;
	sbx_fmt(z->tree[TREE_RUN], sizeof z->tree[TREE_RUN], "%s/run", sb->mnt);
	sbx_fmt(z->tree[TREE_FULL], sizeof z->tree[TREE_FULL], "%s/full", sb->mnt);

	/* RUN: /box and /tmp, nothing else. */
	if (mkdir(z->tree[TREE_RUN], 0755) < 0 ||
	    mount("tmpfs", z->tree[TREE_RUN], "tmpfs", MS_NOSUID | MS_NODEV, "size=16k,nr_inodes=16,mode=0755") < 0)
		goto fail_errno_mnt;
	sbx_fmt(p, sizeof p, "%s/box", z->tree[TREE_RUN]);
	if (mkdir(p, 0755) < 0)
		goto fail_errno_mnt;
	sbx_fmt(p, sizeof p, "%s/tmp", z->tree[TREE_RUN]);
	if (mkdir(p, 0755) < 0)
		goto fail_errno_mnt;
	if (mount(NULL, z->tree[TREE_RUN], NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) < 0)
		goto fail_errno_mnt;

	/* INTERP and COMPILE: the read-only paths, a few devices, /box, /tmp. */
	if (mkdir(z->tree[TREE_FULL], 0755) < 0 ||
	    mount("tmpfs", z->tree[TREE_FULL], "tmpfs", MS_NOSUID | MS_NODEV, "size=256k,nr_inodes=1024,mode=0755") < 0)
		goto fail_errno_mnt;
	for (char **rp = sb->ro_paths; *rp; rp++) {
		struct stat st;
		const char *src = *rp;
		if (src[0] != '/' || lstat(src, &st) < 0) {
			sbx_logf(&sb->log, "read-only path '%s' skipped: %s", src,
				src[0] != '/' ? "not absolute" : strerror(errno));
			continue;
		}
		sbx_fmt(p, sizeof p, "%s%s", z->tree[TREE_FULL], src);
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
		sbx_fmt(p, sizeof p, "%s/dev/%s", z->tree[TREE_FULL], devs[i]);
		if ((rc = bind_ro(src, p, false, MS_NOEXEC, err, errlen)) < 0)
			return rc;
	}
	sbx_fmt(p, sizeof p, "%s/box", z->tree[TREE_FULL]);
	if (mkdir(p, 0755) < 0)
		goto fail_errno_mnt;
	sbx_fmt(p, sizeof p, "%s/tmp", z->tree[TREE_FULL]);
	if (mkdir(p, 0755) < 0 && errno != EEXIST)
		goto fail_errno_mnt;
	if (mount(NULL, z->tree[TREE_FULL], NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) < 0)
		goto fail_errno_mnt;
	return 0;

fail_errno_mnt:
	rc = -errno;
	sbx_fmt(err, errlen, "cannot build the sandbox root under '%s': %s", sb->mnt, strerror(errno));
	return rc;
}

static _Noreturn void init_main(struct zygote_ctx *z, int kind, const struct sbx_cg_run *cgr, int sock);
static uint64_t init_tmp_kb;   /* in an init: the size of the /tmp it mounted ahead */
static uint64_t init_prog_pre; /* in an init: what its waiting program added to the memory cgroup */
static const struct sbx_cg_run *init_cg; /* in an init: its run's cgroup files */
static void send_error(int status, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void close_others(const int *keep, int nkeep);

/* Forks an init of a kind into *w: it makes its pid and mount namespaces,
 * pivots into the kind's tree, forks its program, which gets ready, and
 * waits for a request on a socket. */
static int prefork_into(struct zygote_ctx *z, int kind, struct waiting *w)
{
	int sp[2], pidfd = -1, rc;
	struct sbx_cg_run *cgr = &w->cg;
	if (z->sb->any_cg && !cgr->ready && (rc = sbx_cg_take(&z->sb->cg, cgr)) < 0)
		return rc;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
		return -errno;
	struct clone_args ca = {
		.flags = CLONE_NEWPID | CLONE_NEWNS | CLONE_PIDFD,
		.pidfd = (uint64_t)(uintptr_t)&pidfd,
		.exit_signal = SIGCHLD,
	};
	pid_t pid = (pid_t)syscall(SYS_clone3, &ca, sizeof ca);
	if (pid == 0)
		init_main(z, kind, cgr, sp[1]);
	int e = errno;
	close(sp[1]);
	if (pid < 0) {
		close(sp[0]);
		return -e;
	}
	/* the init has its own copies of cgroup.procs; the zygote needs none */
	for (int c = 0; c < SBX_CG_N; c++)
		if (cgr->ready && cgr->procs[c] >= 0) {
			close(cgr->procs[c]);
			cgr->procs[c] = -1;
		}
	w->sock = sp[0];
	w->pidfd = pidfd;
	w->id = ++z->next_id;
	w->offered = false;
	return 0;
}

/* Root only: hands a waiting init to the worker, which then sends it the
 * request itself (one hop less: the worker makes the box's mount, as the
 * zygote would). */
static void offer(struct zygote_ctx *z, int kind, struct waiting *w)
{
	struct sandbox *sb = z->sb;
	struct ctl_msg m = { .magic = CTL_MAGIC, .type = CTL_OFFER, .kind = (uint32_t)kind, .id = w->id };
	int fds[OFFER_NFDS] = { w->sock, w->pidfd };
	if (send_with_fds(sb->ctl, &m, sizeof m, fds, OFFER_NFDS) == 0)
		w->offered = true;
}

static int prefork(struct zygote_ctx *z, int kind, int slot)
{
	int rc = prefork_into(z, kind, &z->wait[kind][slot]);
	if (rc == 0 && z->sb->root)
		offer(z, kind, &z->wait[kind][slot]);
	return rc;
}

static void drop_waiting(struct zygote_ctx *z, int kind, int slot)
{
	struct waiting *w = &z->wait[kind][slot];
	if (w->cg.ready)
		sbx_cg_finish(&z->sb->cg, &w->cg);
	if (w->sock >= 0)
		close(w->sock);
	if (w->pidfd >= 0)
		close(w->pidfd);
	w->sock = w->pidfd = -1;
}

/* A waiting init leaves the pool (its fds closed or moved on, or a dead
 * one dropped): the younger ones move up. */
static void pool_remove(struct zygote_ctx *z, int kind, struct waiting *w)
{
	int i = (int)(w - z->wait[kind]);
	if (w->sock >= 0)
		drop_waiting(z, kind, i);
	for (; i + 1 < POOL; i++)
		z->wait[kind][i] = z->wait[kind][i + 1];
	z->wait[kind][POOL - 1].sock = z->wait[kind][POOL - 1].pidfd = -1;
	z->wait[kind][POOL - 1].offered = false;
	z->wait[kind][POOL - 1].cg.ready = false;
}

static uint64_t tmp_size_kb(uint64_t file_kb)
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

/* The last run is over (or a new one starts): queue its cgroups for
 * removal. Its mounts live in its init's namespace and go with it. */
static void finish_active(struct zygote_ctx *z)
{
	if (z->cg.ready)
		sbx_cg_finish(&z->sb->cg, &z->cg);
	if (z->active_pidfd >= 0)
		close(z->active_pidfd);
	z->active_pidfd = -1;
}

/* The run's box as a detached mount: a bind of the host directory, read-only
 * unless writable, made complete before the init attaches it (an init never
 * sees a writable box). Returns the mount's fd or negative errno. */
static int box_mount(const struct req *rq, const char *box, char *err, size_t errlen)
{
	int fd = (int)syscall(SYS_open_tree, AT_FDCWD, box, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		sbx_fmt(err, errlen, "cannot bind the box '%s': %s", box, strerror(e));
		return -e;
	}
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV };
	if (!(rq->flags & REQ_BOX_WRITABLE))
		attr.attr_set |= MOUNT_ATTR_RDONLY;
	if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH, &attr, sizeof attr) < 0) {
		int e = errno;
		sbx_fmt(err, errlen, "cannot make the box '%s' read-only: %s", box, strerror(e));
		close(fd);
		return -e;
	}
	return fd;
}

/* One request from the worker: cgroups, mounts, and the hand-over to the
 * waiting init of the request's kind. */
static void dispatch(struct zygote_ctx *z, struct req *rq, size_t len, int *fds)
{
	struct sandbox *sb = z->sb;
	int kind = (int)rq->profile;
	int status = fds[FD_STATUS], all[NFDS_MAX], nall = 4, rc;
	char err[300];

	finish_active(z);
	/* An init the worker does not have: the oldest waiting one, or (when the
	 * worker has them all, root) a fresh one. */
	struct waiting fresh = { .sock = -1, .pidfd = -1 }, *w = NULL;
	for (int i = 0; i < POOL && !w; i++) {
		struct waiting *c = &z->wait[kind][i];
		struct pollfd pf = { .fd = c->pidfd, .events = POLLIN };
		if (c->sock >= 0 && !c->offered && poll(&pf, 1, 0) == 0)
			w = c;
	}
	if (!w) {
		if ((rc = prefork_into(z, kind, &fresh)) < 0) {
			send_error(status, -rc, "cannot create the run's namespaces: %s", strerror(-rc));
			return;
		}
		w = &fresh;
	}
	memcpy(all, fds, 4 * sizeof(int));
	int bfd = box_mount(rq, rq->data, err, sizeof err);
	if (bfd < 0) {
		send_error(status, -bfd, "%s", err);
		return;
	}
	all[FD_BOX] = bfd;
	nall = FD_BOX + 1;
	struct sbx_cg_run *cgr = &w->cg;
	z->active_kind = kind;
	rc = send_with_fds(w->sock, rq, len, all, nall);
	close(bfd);
	if (rc < 0) {
		send_error(status, -rc, "cannot reach the run's init: %s", strerror(-rc));
		goto drop;
	}
	z->active_pidfd = w->pidfd;
	z->tmp_kb[kind] = tmp_size_kb(rq->lim.file_kb);
	z->cg = *cgr;
	close(w->sock);
	w->sock = w->pidfd = -1;
	w->cg.ready = false;
	if (w != &fresh)
		pool_remove(z, kind, w);
	return;
drop:
	if (w == &fresh) {
		if (fresh.cg.ready)
			sbx_cg_finish(&sb->cg, &fresh.cg);
		close(fresh.sock);
		close(fresh.pidfd);
	} else {
		pool_remove(z, kind, w);
	}
}

/* TAKEN from the worker: that init has its request. It becomes the active
 * run (its cgroups are removed after it), and its pool slot is refilled. */
static void taken(struct zygote_ctx *z, const struct ctl_msg *m)
{
	if (m->kind >= NKINDS)
		return;
	for (int i = 0; i < POOL; i++) {
		struct waiting *w = &z->wait[m->kind][i];
		if (w->sock < 0 || w->id != m->id)
			continue;
		finish_active(z);
		z->active_kind = (int)m->kind;
		z->active_pidfd = w->pidfd;
		z->tmp_kb[m->kind] = tmp_size_kb(m->file_kb);
		z->cg = w->cg;
		close(w->sock);
		w->sock = w->pidfd = -1;
		w->cg.ready = false;
		pool_remove(z, (int)m->kind, w);
		return;
	}
}

static _Noreturn void zygote_main(struct sandbox *sb, int report)
{
	static struct zygote_ctx z;
	char err[300] = "";
	int flags = CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS;

	z.sb = sb;
	z.active_pidfd = -1;
	for (int k = 0; k < NKINDS; k++)
		z.tmp_kb[k] = 64 * 1024;
	for (int k = 0; k < NKINDS; k++)
		for (int i = 0; i < POOL; i++)
			z.wait[k][i].sock = z.wait[k][i].pidfd = -1;
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
	for (int k = 0; k < NKINDS; k++) {
		int rc = prefork(&z, k, 0);
		if (rc < 0) {
			sbx_fmt(err, sizeof err, "cannot create the run namespaces: %s", strerror(-rc));
			goto fail;
		}
	}
	if (write_all_fd(report, "ok", 2) < 0)
		_exit(1);
	close(report);

	int backoff_ms = 0; /* after a failed fork: do not spin */
	for (;;) {
		int missing_kind = -1, missing_slot = -1;
		for (int k = 0; k < NKINDS && missing_kind < 0; k++)
			for (int i = 0; i < POOL && missing_kind < 0; i++)
				if (z.wait[k][i].sock < 0)
					missing_kind = k, missing_slot = i;
		bool work = missing_kind >= 0 || (sb->any_cg && !z.cg_stuck && (!sb->cg.spare.ready || sb->cg.ndoomed > 0));
		struct pollfd pf[2] = { { .fd = sb->ctl, .events = POLLIN }, { .fd = z.active_pidfd, .events = POLLIN } };
		int r = poll(pf, 2, work ? backoff_ms : -1);
		if (r < 0 && errno != EINTR)
			_exit(1);
		if (pf[0].revents) {
			int fds[NFDS_MAX], nfds;
			ssize_t n = recv_with_fds(sb->ctl, sb->reqbuf, sizeof sb->reqbuf, fds, NFDS_MAX, &nfds);
			if (n == 0 || (n < 0 && n != -EMSGSIZE && n != -EAGAIN && n != -EINTR))
				break;
			struct req *rq = (struct req *)sb->reqbuf;
			const struct ctl_msg *cm = (const struct ctl_msg *)sb->reqbuf;
			z.cg_stuck = false;
			if (n == (ssize_t)sizeof *cm && cm->magic == CTL_MAGIC && cm->type == CTL_TAKEN)
				taken(&z, cm);
			else if (n > 0 && (size_t)n >= sizeof *rq && rq->magic == REQ_MAGIC && nfds == 4 &&
			    sizeof *rq + rq->datalen == (size_t)n && rq->datalen > 0 && rq->data[rq->datalen - 1] == 0)
				dispatch(&z, rq, (size_t)n, fds);
			for (int i = 0; i < nfds; i++)
				if (fds[i] >= 0)
					close(fds[i]);
			continue;
		}
		if (pf[1].revents) {
			finish_active(&z); /* early, while nobody waits */
			z.cg_stuck = false;
			continue;
		}
		/* Idle: one piece of housekeeping, then look for requests again. A
		 * waiting init that died (it is the worker's to notice too) goes. */
		bool dropped = false;
		for (int k = 0; k < NKINDS && !dropped; k++)
			for (int i = 0; i < POOL && !dropped; i++) {
				struct pollfd wp = { .fd = z.wait[k][i].pidfd, .events = POLLIN };
				if (z.wait[k][i].sock >= 0 && poll(&wp, 1, 0) > 0) {
					pool_remove(&z, k, &z.wait[k][i]);
					dropped = true;
				}
			}
		if (dropped)
			continue;
		if (missing_kind >= 0) {
			int rc = prefork(&z, missing_kind, missing_slot);
			if (rc < 0 && backoff_ms == 0)
				sbx_logf(&sb->log, "cannot fork a sandbox init (will retry): %s", strerror(-rc));
			backoff_ms = rc < 0 ? 100 : 0;
		} else if (sb->any_cg)
			z.cg_stuck = !sbx_cg_housekeep(&sb->cg);
	}
	/* The worker is done: end the waiting inits and wait for them and the
	 * last run's init, so that nothing outlives sandbox_free. */
	int last = z.active_pidfd;
	z.active_pidfd = -1;
	finish_active(&z);
	int pids[NKINDS * POOL + 1], n = 0;
	for (int k = 0; k < NKINDS; k++)
		for (int i = 0; i < POOL; i++) {
			if (z.wait[k][i].pidfd >= 0)
				pids[n++] = dup(z.wait[k][i].pidfd);
			drop_waiting(&z, k, i);
		}
	if (last >= 0)
		pids[n++] = last;
	for (int i = 0; i < n; i++) {
		struct pollfd pf = { .fd = pids[i], .events = POLLIN };
		if (pids[i] >= 0 && poll(&pf, 1, 2000) == 0)
			pidfd_kill(pids[i], SIGKILL);
	}
	_exit(0);

fail:
	write_all_fd(report, err, strlen(err));
	_exit(1);
}

/* ---------------------------------------------------------------- the run's init */

static void send_error(int status, int err, const char *fmt, ...)
{
	struct msg m = { .type = MSG_ERROR, .err = err };
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m.text, sizeof m.text, fmt, ap);
	va_end(ap);
	send_with_fds(status, &m, sizeof m, NULL, 0);
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
	if (l->memory_kb && !sb->cg.have[SBX_CG_MEMORY]) {
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

enum { NOTE_READY = 1, NOTE_EXEC_FAILED, NOTE_SETUP_FAILED };

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
		int blob_fd)
{
	const char *step = "join the run's cgroups";
	int rc;

	/* The init reset every disposition but its own SIGPIPE (they survive execve). */
	signal(SIGPIPE, SIG_DFL);
	/* Only the program and what it forks live in the run's cgroups (never the
	 * init: the OOM killer could pick it, and it would count). Joined now, off
	 * the critical path: moving a task between v1 cgroups can take ms. */
	for (int c = 0; c < SBX_CG_N; c++)
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
	step = "enter /box";
	if (chdir("/box") < 0)
		goto fail;
	sbx_fmt(exec_path, sizeof exec_path, "%s", argv[0] ? argv[0] : "");
	execve(exec_path, argv, env);
	note(notes, NOTE_EXEC_FAILED, errno, "execve");
	_exit(127);
fail:
	note(notes, NOTE_SETUP_FAILED, errno, step);
	_exit(127);
}

/* Attaches the box (a detached mount from the zygote) on /box and gives
 * /tmp (mounted ahead of time) the request's size if it differs. */
static int mount_box_tmp(const struct req *rq, int bfd, uint64_t tmp_kb, char *err, size_t errlen)
{
	if (syscall(SYS_move_mount, bfd, "", AT_FDCWD, "/box", MOVE_MOUNT_F_EMPTY_PATH) < 0) {
		sbx_fmt(err, errlen, "cannot attach the box: %s", strerror(errno));
		return -errno;
	}
	uint64_t want = tmp_size_kb(rq->lim.file_kb);
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

static _Noreturn void run_request(struct zygote_ctx *z, struct waiting_prog *wp, const struct req *rq, int *fds,
		int nfds);

/* A pre-forked init: pid 1 of a new pid namespace, in a new mount namespace
 * of its own (private: nothing propagates in or out). Ahead of any request it
 * pivots into its tree, mounts /tmp, empties its bounding set, joins its
 * cgroups and forks the program, which gets ready in turn (program_main). */
static _Noreturn void init_main(struct zygote_ctx *z, int kind, const struct sbx_cg_run *cgr, int sock)
{
	struct sandbox *sb = z->sb;
	const char *root = kind == SANDBOX_RUN ? z->tree[TREE_RUN] : z->tree[TREE_FULL];

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	prctl(PR_SET_NAME, "sandbox-init");
	/* Its cgroup files stay: cgroup.procs to join, the counters to report. */
	int keep[5 + SBX_CG_N + SBX_CG_NSTATS] = { sock, cgr->ready ? cgr->mem_usage : -1,
		cgr->ready ? cgr->mem_limit : -1, cgr->ready ? cgr->memsw_limit : -1, cgr->ready ? cgr->pids_max : -1 };
	for (int c = 0; c < SBX_CG_N; c++)
		keep[5 + c] = cgr->ready ? cgr->procs[c] : -1;
	int st[SBX_CG_NSTATS];
	sbx_cg_stat_fds(cgr, st);
	for (int i = 0; i < SBX_CG_NSTATS; i++)
		keep[5 + SBX_CG_N + i] = cgr->ready ? st[i] : -1;
	close_others(keep, 5 + SBX_CG_N + SBX_CG_NSTATS);
	init_cg = cgr;
	signal(SIGCHLD, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 || chdir(root) < 0 ||
	    syscall(SYS_pivot_root, ".", ".") < 0 || umount2(".", MNT_DETACH) < 0 || chdir("/") < 0) {
		sbx_logf(&sb->log, "cannot enter the sandbox root '%s': %s", root, strerror(errno));
		_exit(1);
	}
	/* /tmp ahead of time, sized like the last run of this kind (usually the same) */
	init_tmp_kb = z->tmp_kb[kind];
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
	wp.pid = (pid_t)syscall(SYS_clone3, &ca, sizeof ca);
	if (wp.pid == 0)
		program_main(sb, cgr, kind, notes[1], blob[0]);
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
	/* Its write end stays open here (shared table): never wait on it again. */
	fcntl(wp.notes, F_SETFL, O_NONBLOCK);
	for (int c = 0; c < SBX_CG_N; c++)
		if (cgr->ready && cgr->procs[c] >= 0)
			close(cgr->procs[c]); /* the program has joined */
	int64_t u1 = sbx_cg_read_num(usage_fd);
	init_prog_pre = u0 >= 0 && u1 > u0 ? (uint64_t)(u1 - u0) : 0;

	int fds[NFDS_MAX], nfds;
	ssize_t r = recv_with_fds(sock, sb->reqbuf, sizeof sb->reqbuf, fds, NFDS_MAX, &nfds);
	if (r <= 0 || nfds != FD_REQ_N)
		_exit(0); /* the zygote is gone: so are we, and the program with our pid namespace */
	close(sock);
	run_request(z, &wp, (const struct req *)sb->reqbuf, fds, nfds);
}

/* The init with its request: hands it to the waiting program and reports. */
static _Noreturn void run_request(struct zygote_ctx *z, struct waiting_prog *wp, const struct req *rq, int *fds,
		int nfds)
{
	struct sandbox *sb = z->sb;
	int status = fds[FD_STATUS];
	bool cg = init_cg->ready;
	(void)nfds;
	char err[200];

	/* The box path comes first, then argv and env: the program gets those. */
	const char *args = rq->data + strnlen(rq->data, rq->datalen) + 1;
	const char *end = rq->data + rq->datalen;
	if (args >= end || rq->argc == 0) {
		send_error(status, EINVAL, "malformed request");
		_exit(1);
	}
	/* The run's limits, and counters from zero (the program joined its
	 * cgroups long ago, and idled there since). */
	uint64_t cg_baseline = 0;
	if (cg) {
		uint32_t pids = rq->lim.processes ? rq->lim.processes : 1;
		uint64_t mem = rq->lim.memory_kb ? rq->lim.memory_kb * 1024 : (uint64_t)INT64_MAX;
		int rc = sbx_cg_arm(&sb->cg, init_cg, mem, pids, &cg_baseline);
		if (rc < 0) {
			send_error(status, -rc, "cannot set the run's cgroup limits: %s", strerror(-rc));
			_exit(1);
		}
	}
	if (mount_box_tmp(rq, fds[FD_BOX], init_tmp_kb, err, sizeof err) < 0) {
		send_error(status, EIO, "%s", err);
		_exit(1);
	}
	close(fds[FD_BOX]);

	struct blob b = { .blen = (uint32_t)(end - args), .argc = rq->argc, .envc = rq->envc,
		.fd_in = fds[FD_STDIN], .fd_out = fds[FD_STDOUT], .fd_err = fds[FD_STDERR] };
	request_rlimits(sb, rq, &b);
	if (write_all_fd(wp->blob, &b, sizeof b) < 0 || write_all_fd(wp->blob, args, b.blen) < 0) {
		send_error(status, EIO, "cannot hand the request to the program: %s", strerror(errno));
		_exit(1);
	}
	close(wp->blob);

	struct msg m = { .type = MSG_STARTED, .notify = wp->listener >= 0 };
	int self = pidfd_open_(1, 0);
	/* the worker polls the CPU time (cpuacct.usage) while the program runs */
	int pass[3] = { self, wp->pidfd, cg ? init_cg->cpu_usage : -1 };
	int npass = pass[2] >= 0 ? 3 : 2;
	if (self < 0 || send_with_fds(status, &m, sizeof m, pass, npass) < 0)
		_exit(1); /* the pid namespace dies with us */
	close(self);

	int syscall_nr = -1;
	struct exec_note failed = { 0 };
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
			/* a note after READY: the program could not start */
			if (!read_full(wp->notes, &failed, sizeof failed))
				failed.kind = 0;
			pf[2].fd = -1;
		}
		if (pf[3].revents & POLLIN) {
			struct seccomp_notif req;
			memset(&req, 0, sizeof req);
			if (ioctl(wp->listener, SECCOMP_IOCTL_NOTIF_RECV, &req) == 0) {
				if (syscall_nr < 0)
					syscall_nr = req.data.nr;
				kill((pid_t)req.pid, SIGKILL);
				pidfd_kill(wp->pidfd, SIGKILL);
			}
		}
		if (pf[3].revents & (POLLHUP | POLLERR | POLLNVAL))
			pf[3].fd = -1;
		if (pf[0].revents & POLLIN)
			break;
	}
	struct msg res = { .type = MSG_RESULT, .syscall_nr = syscall_nr, .cg_baseline = cg_baseline,
		.cg_prog_pre = init_prog_pre };
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
	 * stdio must go now, or the worker never sees the pipes' end. */
	for (int i = 0; i <= 2; i++)
		close(i);
	for (int i = FD_STDIN; i <= FD_STDERR; i++)
		close(fds[i]);
	if (failed.kind == 0 && read(wp->notes, &failed, sizeof failed) != (ssize_t)sizeof failed)
		failed.kind = 0;
	if (failed.kind == NOTE_EXEC_FAILED) {
		send_error(status, failed.val, "cannot execute '%s': %s", args, strerror(failed.val));
		_exit(1);
	}
	if (failed.kind == NOTE_SETUP_FAILED) {
		send_error(status, failed.val, "cannot %s: %s", failed.step, strerror(failed.val));
		_exit(1);
	}
	if (cg) {
		sbx_cg_stats(init_cg, &res.cgs);
		res.have_cgs = 1;
		res.cg_left = sbx_cg_pids_left(init_cg);
	}
	/* What is left is our exit: the namespaces' teardown (unmounting waits for
	 * an RCU grace period). Let the worker, woken by the report, go first. */
	struct sched_param normal = { 0 };
	sched_setscheduler(0, SCHED_OTHER, &normal);
	setpriority(PRIO_PROCESS, 0, 19);
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
	sb->ctl = sb->devnull = sb->zygote_pidfd = sb->tfd = -1;
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

static void offer_close(struct sbx_offer *o)
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
	for (int k = 0; k < SBX_NPROFILES; k++)
		for (int i = 0; i < sb->noffers[k]; i++)
			offer_close(&sb->offers[k][i]);
	if (sb->ctl >= 0)
		close(sb->ctl); /* the zygote sees EOF, ends its inits and exits */
	if (sb->zygote > 0) {
		struct pollfd pf = { .fd = sb->zygote_pidfd, .events = POLLIN };
		if (sb->zygote_pidfd < 0 || poll(&pf, 1, 5000) <= 0) {
			if (sb->zygote_pidfd >= 0)
				pidfd_kill(sb->zygote_pidfd, SIGKILL);
			else
				kill(sb->zygote, SIGKILL);
		}
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
	if (sb->tfd >= 0)
		close(sb->tfd);
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


/* Takes the zygote's offers that have arrived (never blocks). */
static void drain_offers(struct sandbox *sb)
{
	for (;;) {
		struct ctl_msg m;
		int fds[NFDS_MAX], nfds;
		ssize_t n = recv_with_fds_flags(sb->ctl, &m, sizeof m, fds, NFDS_MAX, &nfds, MSG_DONTWAIT);
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
	int bfd = box_mount(rq, box, err, errlen);
	if (bfd < 0)
		return bfd;
	while (sb->noffers[kind] > 0) {
		struct sbx_offer o = sb->offers[kind][0];
		memmove(&sb->offers[kind][0], &sb->offers[kind][1], sizeof o * (size_t)--sb->noffers[kind]);
		struct pollfd pf = { .fd = o.pidfd, .events = POLLIN };
		if (poll(&pf, 1, 0) != 0) {
			offer_close(&o); /* that init died; the zygote replaces it */
			continue;
		}
		int all[FD_REQ_N] = { fds[0], fds[1], fds[2], fds[3], bfd };
		int rc = send_with_fds(o.sock, rq, len, all, FD_REQ_N);
		if (rc == 0) {
			struct ctl_msg t = { .magic = CTL_MAGIC, .type = CTL_TAKEN, .kind = (uint32_t)kind, .id = o.id,
				.file_kb = rq->lim.file_kb };
			if (send_with_fds(sb->ctl, &t, sizeof t, NULL, 0) < 0)
				sbx_logf(&sb->log, "cannot tell the sandbox helper about a run: %s", strerror(errno));
		}
		offer_close(&o);
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
		pidfd_kill(rs->prog_pidfd, SIGKILL);
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
	int fds[3], nfds;
	ssize_t n = recv_with_fds(rs->status_fd, &m, sizeof m, fds, 3, &nfds);
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

	reap_pending(sb, false);
	/* Other processes with the program's uid: as root, the other waiting
	 * programs (POOL per profile) and the one forked for the next run; in a
	 * user namespace also the zygote, the waiting and next inits, this run's
	 * init and finished inits still exiting. */
	rq->nproc_extra = sb->root ? 2 * NKINDS : 5 * NKINDS + 1 + (uint32_t)sb->npending;
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
	if (!sent && (rc = send_with_fds(sb->ctl, rq, sizeof *rq + used, fds, 4)) < 0) {
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
			pidfd_kill(rs.init_pidfd, SIGKILL);
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
