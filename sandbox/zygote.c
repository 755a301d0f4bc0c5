/* The zygote: the helper process sandbox_new forks. It holds the namespaces
 * and the two read-only root trees, keeps pre-forked inits waiting per
 * profile (offering them to the worker as root), hands each request to one,
 * and tidies the runs' cgroups while nobody waits. */
#include "sandbox_int.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <linux/sched.h>

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int rc = sbx_write_all(fd, s, strlen(s));
	close(fd);
	return rc;
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

/* Waiting inits: one per profile (their programs load the profile's filter
 * ahead of time), on two root trees. */
#define NKINDS SBX_NPROFILES
/* Two per kind: back-to-back runs of one kind find one ready while the next
 * one gets ready (joining a v1 cgroup waits for an RCU grace period, ms). */
#define POOL 2
#define NACTIVE 2
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
	/* The runs dispatched last (two at once: a pair, sandbox_run_pair), oldest
	 * first: their inits' pidfds (or -1) and cgroups, removed once they end. */
	struct active {
		int pidfd;
		struct sbx_cg_run cg;
	} active[NACTIVE];
	uint64_t tmp_kb[NKINDS];          /* /tmp size of the last run of each kind: the next init mounts it */
	bool cg_stuck;                    /* housekeeping made no progress: wait for the next event */
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
		sbx_init_main(z->sb, kind, kind == SANDBOX_RUN ? z->tree[TREE_RUN] : z->tree[TREE_FULL], z->tmp_kb[kind],
			cgr, sp[1]);
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
	if (cgr->ready && cgr->dir >= 0) {
		close(cgr->dir);
		cgr->dir = -1;
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
	if (sbx_send_with_fds(sb->ctl, &m, sizeof m, fds, OFFER_NFDS) == 0)
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

/* Active run i is over (or makes room for a new one): queue its cgroups for
 * removal. Its mounts live in its init's namespace and go with it. */
static void finish_active(struct zygote_ctx *z, int i)
{
	struct active *a = &z->active[i];
	if (a->cg.ready)
		sbx_cg_finish(&z->sb->cg, &a->cg);
	if (a->pidfd >= 0)
		close(a->pidfd);
	a->pidfd = -1;
	a->cg.ready = false;
}

/* Finishes the active runs whose inits are gone. */
static void finish_ended(struct zygote_ctx *z)
{
	for (int i = 0; i < NACTIVE; i++) {
		struct pollfd pf = { .fd = z->active[i].pidfd, .events = POLLIN };
		if (z->active[i].pidfd >= 0 && poll(&pf, 1, 0) > 0)
			finish_active(z, i);
	}
}

/* A run starts (its init has the request): it becomes the newest active
 * run; the oldest, if there is no room, is finished (its cgroups are removed
 * once it is gone: a busy rmdir is retried). */
static void add_active(struct zygote_ctx *z, int pidfd, const struct sbx_cg_run *cg)
{
	finish_ended(z);
	int n = 0;
	for (int i = 0; i < NACTIVE; i++)
		if (z->active[i].pidfd >= 0)
			z->active[n++] = z->active[i];
	if (n == NACTIVE) {
		finish_active(z, 0);
		memmove(&z->active[0], &z->active[1], sizeof z->active[0] * (NACTIVE - 1));
		n--;
	}
	for (int i = n; i < NACTIVE; i++) {
		z->active[i].pidfd = -1;
		z->active[i].cg.ready = false;
	}
	z->active[n].pidfd = pidfd;
	z->active[n].cg = *cg;
}

/* The run's box as a detached mount: a bind of the host directory, read-only
 * unless writable, made complete before the init attaches it (an init never
 * sees a writable box). The worker makes it too, as root (dispatch_direct). */
int sbx_box_mount(const struct req *rq, const char *box, char *err, size_t errlen)
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

	finish_ended(z);
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
			sbx_send_error(status, -rc, "cannot create the run's namespaces: %s", strerror(-rc));
			return;
		}
		w = &fresh;
	}
	memcpy(all, fds, 4 * sizeof(int));
	int bfd = sbx_box_mount(rq, rq->data, err, sizeof err);
	if (bfd < 0) {
		sbx_send_error(status, -bfd, "%s", err);
		return;
	}
	all[FD_BOX] = bfd;
	nall = FD_BOX + 1;
	struct sbx_cg_run *cgr = &w->cg;
	rc = sbx_send_with_fds(w->sock, rq, len, all, nall);
	close(bfd);
	if (rc < 0) {
		sbx_send_error(status, -rc, "cannot reach the run's init: %s", strerror(-rc));
		goto drop;
	}
	add_active(z, w->pidfd, cgr);
	z->tmp_kb[kind] = sbx_tmp_size_kb(rq->lim.file_kb);
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
		add_active(z, w->pidfd, &w->cg);
		z->tmp_kb[m->kind] = sbx_tmp_size_kb(m->file_kb);
		close(w->sock);
		w->sock = w->pidfd = -1;
		w->cg.ready = false;
		pool_remove(z, (int)m->kind, w);
		return;
	}
}

_Noreturn void sbx_zygote_main(struct sandbox *sb, int report)
{
	static struct zygote_ctx z;
	char err[300] = "";
	int flags = CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS;

	z.sb = sb;
	for (int i = 0; i < NACTIVE; i++)
		z.active[i].pidfd = -1;
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
	if (sbx_write_all(report, "ok", 2) < 0)
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
		struct pollfd pf[1 + NACTIVE] = { { .fd = sb->ctl, .events = POLLIN } };
		for (int i = 0; i < NACTIVE; i++)
			pf[1 + i] = (struct pollfd){ .fd = z.active[i].pidfd, .events = POLLIN };
		int r = poll(pf, 1 + NACTIVE, work ? backoff_ms : -1);
		if (r < 0 && errno != EINTR)
			_exit(1);
		if (pf[0].revents) {
			int fds[NFDS_MAX], nfds;
			ssize_t n = sbx_recv_with_fds(sb->ctl, sb->reqbuf, sizeof sb->reqbuf, fds, NFDS_MAX, &nfds);
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
		bool ended = false;
		for (int i = 0; i < NACTIVE; i++)
			ended |= pf[1 + i].revents != 0;
		if (ended) {
			finish_ended(&z); /* early, while nobody waits */
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
	int pids[NKINDS * POOL + NACTIVE], n = 0;
	for (int i = 0; i < NACTIVE; i++) {
		if (z.active[i].pidfd >= 0)
			pids[n++] = dup(z.active[i].pidfd);
		finish_active(&z, i);
	}
	for (int k = 0; k < NKINDS; k++)
		for (int i = 0; i < POOL; i++) {
			if (z.wait[k][i].pidfd >= 0)
				pids[n++] = dup(z.wait[k][i].pidfd);
			drop_waiting(&z, k, i);
		}
	for (int i = 0; i < n; i++) {
		struct pollfd pf = { .fd = pids[i], .events = POLLIN };
		if (pids[i] >= 0 && poll(&pf, 1, 2000) == 0)
			sbx_pidfd_kill(pids[i], SIGKILL);
	}
	_exit(0);

fail:
	sbx_write_all(report, err, strlen(err));
	_exit(1);
}
