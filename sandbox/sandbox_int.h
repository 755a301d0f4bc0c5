/* Internals shared by the files of sandbox/ (and its tests): the log hook,
 * the seccomp policies, the cgroup helpers, the messages between the
 * sandbox's processes, struct sandbox, and what each file offers the others.
 * Not for src/ (README.md says who may use what). */
#pragma once
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>
#include <linux/filter.h>

#include "sandbox.h"

/* ---- box.c: the log hook, and formatting ---- */

struct sbx_log {
	void (*fn)(void *ctx, const char *line);
	void *ctx;
};
void sbx_logf(const struct sbx_log *log, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* snprintf that says whether it fit: 0, or -ENAMETOOLONG when truncated
 * (paths and messages here are far shorter than their buffers). */
int sbx_fmt(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* ---- seccomp.c ---- */

/* One profile's filter as raw BPF, compiled once by libseccomp. Denied calls
 * return SECCOMP_RET_USER_NOTIF, so that the run's init can name them. */
struct sbx_filter {
	struct sock_filter *insns; /* malloc'd */
	unsigned short len;
};
#define SBX_NPROFILES 3

/* Builds the filters of the three profiles. exec_path is the address of the
 * buffer the spawner passes to its one execve (RUN and INTERP allow execve
 * only with that pointer); self_pid is the program's pid in its pid
 * namespace (kill/tgkill allowed only on it). Returns 0, or negative errno
 * with msg filled. */
int sbx_seccomp_build(struct sbx_filter out[SBX_NPROFILES], const void *exec_path, int self_pid,
		char *msg, size_t msglen);
void sbx_seccomp_free(struct sbx_filter f[SBX_NPROFILES]);
/* Turns every SECCOMP_RET_USER_NOTIF into SECCOMP_RET_KILL_PROCESS in place
 * (for kernels without user notification). */
void sbx_seccomp_notify_to_kill(struct sbx_filter *f);
/* The name of x86_64 syscall nr ("socket"), or "syscall_NNN". */
void sbx_syscall_name(int nr, char *buf, size_t n);

/* ---- cgroup.c ---- */

enum { SBX_CG_MEMORY, SBX_CG_PIDS, SBX_CG_CPU, SBX_CG_N };

/* One run's cgroups (one directory per v1 controller). */
/* One run's cgroups: one directory per v1 controller, or one v2 directory
 * (then only procs[0], and the files named after the slash). */
struct sbx_cg_run {
	unsigned id;
	bool ready;
	bool v2;
	int procs[SBX_CG_N];  /* cgroup.procs, opened for writing: the program writes "0" to join */
	int dir;              /* v2: the run's directory (O_PATH), for CLONE_INTO_CGROUP; else -1 */
	int mem_peak;         /* memory.max_usage_in_bytes / memory.peak */
	int mem_failcnt;      /* memory.failcnt / memory.events ("max N") */
	int mem_oom;          /* memory.oom_control / memory.events ("oom_kill N") */
	int cpu_usage;        /* cpuacct.usage (ns) / cpu.stat ("usage_usec N") */
	int pids_current;     /* pids.current */
	int mem_limit;        /* memory.limit_in_bytes / memory.max (written when the run starts) */
	int memsw_limit;      /* memory.memsw.limit_in_bytes, or -1 (v2: memory.swap.max is set to 0 once) */
	int mem_usage;        /* memory.usage_in_bytes / memory.current */
	int pids_max;         /* pids.max */
};
/* The run's files the worker reads, in the order they are passed around. */
#define SBX_CG_NSTATS 5
void sbx_cg_stat_fds(const struct sbx_cg_run *run, int out[SBX_CG_NSTATS]);
void sbx_cg_from_stat_fds(struct sbx_cg_run *run, const int in[SBX_CG_NSTATS], bool v2);

struct sbx_cg {
	int version;                  /* 1 or 2: the hierarchy in use; 0: none */
	char why[160];                /* what is missing, when a controller is (one line), else "" */
	bool have[SBX_CG_N];
	bool memsw;                   /* memory.memsw.limit_in_bytes exists */
	char *base[SBX_CG_N];         /* /sys/fs/cgroup/<ctl>/verdict-sandbox/s<slot>-<pid> */
	unsigned next_id;
	struct sbx_cg_run spare;      /* made ahead of time, off the critical path */
	unsigned doomed[16];          /* finished runs whose directories are still to be removed */
	unsigned ndoomed;
	const struct sbx_log *log;
};

/* Finds usable controllers (v2: a subtree of the unified hierarchy, see
 * cgroup2.c; v1: as root) and makes the per-sandbox parents. Logs what is
 * missing. Never fails: have[] says what works. */
void sbx_cg_init(struct sbx_cg *cg, int slot, const struct sbx_log *log);
/* cgroup2.c: the same on a unified (v2) hierarchy, and one run's directory. */
bool sbx_cg2_host(void);
void sbx_cg2_init(struct sbx_cg *cg, int slot);
int sbx_cg2_run_make(struct sbx_cg *cg, struct sbx_cg_run *run);
/* Shared by cgroup.c and cgroup2.c. */
int sbx_cg_write_str(const char *path, const char *s);
int sbx_cg_open_in(const char *dir, const char *file, int flags);
void sbx_cg_sweep_stale(const char *parent, int slot);
/* The number after "key " in a flat-keyed cgroup file (memory.events, cpu.stat), or -1. */
int64_t sbx_cg_read_key(int fd, const char *key);
/* Takes the spare run cgroups (making them now if there are none). Returns
 * 0 or negative errno. */
int sbx_cg_take(struct sbx_cg *cg, struct sbx_cg_run *run);
/* The run starts: sets its limits (memory: mem_bytes over what is charged
 * already, returned in *baseline; pids) and zeroes the peak, failcnt and CPU
 * counters. Returns 0 or negative errno. */
int sbx_cg_arm(struct sbx_cg *cg, const struct sbx_cg_run *run, uint64_t mem_bytes, uint32_t pids, uint64_t *baseline);
/* Off the critical path, one step per call: removes one finished run's
 * directories, or makes the spare. Returns whether it did anything. */
bool sbx_cg_housekeep(struct sbx_cg *cg);
/* The number in a cgroup file (read from offset 0), or -1. */
int64_t sbx_cg_read_num(int fd);
/* CPU time of the run so far in ns, or -1. */
int64_t sbx_cg_cpu_ns(const struct sbx_cg_run *run);
struct sbx_cg_stats {
	uint64_t peak_bytes;
	uint64_t failcnt;
	uint64_t oom_kills;
	int64_t cpu_ns;     /* -1 when not known */
};
void sbx_cg_stats(const struct sbx_cg_run *run, struct sbx_cg_stats *st);
/* Tasks still in the run's cgroups (should be 0 once the run has ended), or 0 if unknown. */
unsigned sbx_cg_pids_left(const struct sbx_cg_run *run);
/* Closes the run's files and queues its directories for removal. */
void sbx_cg_finish(struct sbx_cg *cg, struct sbx_cg_run *run);
/* Closes the files of a run without touching its directories. */
void sbx_cg_close(struct sbx_cg_run *run);
/* Removes every run directory and the per-sandbox parents (after the
 * zygote, which made them, is gone). */
void sbx_cg_destroy(struct sbx_cg *cg);

/* ---- the processes of a sandbox (README.md: theory of operation) ---- */

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

#define SBX_UID_BASE 60000
#define SELF_PID 2               /* the program's pid in its pid namespace */
#define MAX_REQ_DATA 65536       /* box path + argv + env */
#define NFDS_MAX 10

/* The one path the program's execve may use: the RUN and INTERP filters
 * compare execve's first argument with this address. One object (defined in
 * init.c), so it is the same in the worker (which compiles the filters), the
 * zygote and its children. */
extern char sbx_exec_path[PATH_MAX];

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
	int exec_errno;       /* MSG_RESULT: the program's execve failed with this errno, or 0 */
	int box_full;         /* MSG_RESULT: a bounded box was full at the end */
	uint64_t cg_baseline; /* MSG_RESULT: the init's own memory in the run's cgroup */
	uint64_t cg_prog_pre; /* MSG_RESULT: what the waiting program had charged before its execve
	                         (all of cg_baseline, or nearly; freed by the execve) */
	unsigned cg_left;     /* MSG_RESULT: tasks of the run still in its cgroup (should be 0) */
	int64_t ended_us;     /* MSG_RESULT: CLOCK_MONOTONIC when the init saw its program end */
	int have_cgs;         /* MSG_RESULT: cgs is filled in */
	struct sbx_cg_stats cgs; /* MSG_RESULT: the run's cgroup counters, read by the init at the end
	                            (the zygote may remove the cgroups as soon as the init is gone) */
	struct rusage ru;     /* MSG_RESULT: of the program and its reaped children */
	char text[200];       /* MSG_ERROR: what failed */
};

/* One per worker (sandbox_new, box.c); the zygote and the inits have their
 * copies after the fork. */
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

/* pidfd_open(2) and pidfd_send_signal(2) (no siginfo, no flags). */
static inline int sbx_pidfd_open(pid_t pid, unsigned flags)
{
	return (int)syscall(SYS_pidfd_open, pid, flags);
}

static inline int sbx_pidfd_kill(int pidfd, int sig)
{
	return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

/* ---- fdpass.c ---- */

/* Writes all n bytes (retrying EINTR). Returns 0 or negative errno. */
int sbx_write_all(int fd, const void *p, size_t n);
/* Sends one message with nfds (up to NFDS_MAX) descriptors. Returns 0 or
 * negative errno. */
int sbx_send_with_fds(int sock, const void *buf, size_t len, const int *fds, int nfds);
/* Receives one message; fds[] gets up to maxfds descriptors (CLOEXEC), the
 * rest -1. Returns the byte count, 0 at EOF, or negative errno. */
ssize_t sbx_recv_with_fds_flags(int sock, void *buf, size_t len, int *fds, int maxfds, int *nfds, int flags);
ssize_t sbx_recv_with_fds(int sock, void *buf, size_t len, int *fds, int maxfds, int *nfds);
/* Closes every fd but 0-2 and keep[] (in a freshly forked zygote or init). */
void sbx_close_others(const int *keep, int nkeep);

/* ---- zygote.c ---- */

/* The zygote, in the child sandbox_new forks: makes the namespaces and root
 * trees, writes "ok" (or what failed) to report, then serves the worker on
 * sb->ctl until it closes. */
_Noreturn void sbx_zygote_main(struct sandbox *sb, int report);
/* The run's box as a detached mount (read-only unless the request says
 * writable). Returns the mount's fd, or negative errno with err filled. */
int sbx_box_mount(const struct req *rq, const char *box, char *err, size_t errlen);

/* ---- init.c ---- */

/* A pre-forked init of profile kind, pivoting into the tree root with a
 * /tmp of tmp_kb; it forks its program and waits for a request on sock. */
_Noreturn void sbx_init_main(struct sandbox *sb, int kind, const char *root, uint64_t tmp_kb,
		const struct sbx_cg_run *cgr, int sock);
/* Sends MSG_ERROR (errno err, the formatted text) on a run's status socket. */
void sbx_send_error(int status, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The size of a run's /tmp for its file limit. */
uint64_t sbx_tmp_size_kb(uint64_t file_kb);

/* ---- boxcopy.c ---- */

/* Whether the request's box is a bounded tmpfs (writable, with a box_kb). */
static inline bool sbx_box_bounded(const struct req *rq)
{
	return (rq->flags & REQ_BOX_WRITABLE) && rq->lim.box_kb > 0;
}
/* In the run's init: mounts a tmpfs of box_kb on /box and copies the host
 * box (host_box: its detached mount) into it. 0, or negative errno with err. */
int sbx_box_fill(const struct sandbox *sb, const struct req *rq, int host_box, char *err, size_t errlen);
/* In the run's init, once the run is over: copies the regular files and
 * directories of /box back to the host box; *full says whether the tmpfs
 * was (nearly) full. 0, or negative errno with err. */
int sbx_box_return(const struct sandbox *sb, int host_box, bool *full, char *err, size_t errlen);

/* ---- supervise.c ---- */

/* Closes an offered init's socket and pidfd. */
void sbx_offer_close(struct sbx_offer *o);
/* Finished runs' inits exit (tearing down their namespaces) while the next
 * run starts: forgets those that are gone; waits for all when all is set or
 * when too many are still going. */
void sbx_reap_pending(struct sandbox *sb, bool all);
