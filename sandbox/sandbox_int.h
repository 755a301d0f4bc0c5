/* Internals shared by the files of sandbox/ (and its tests): the seccomp
 * policies, the cgroup helpers and the log hook. Not for src/. */
#pragma once
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/filter.h>

#include "sandbox.h"

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
struct sbx_cg_run {
	unsigned id;
	bool ready;
	int procs[SBX_CG_N];  /* cgroup.procs, opened for writing: the program writes "0" to join */
	int mem_peak;         /* memory.max_usage_in_bytes */
	int mem_failcnt;      /* memory.failcnt */
	int mem_oom;          /* memory.oom_control (oom_kill counter) */
	int cpu_usage;        /* cpuacct.usage (ns) */
};

struct sbx_cg {
	bool have[SBX_CG_N];
	bool memsw;                   /* memory.memsw.limit_in_bytes exists */
	char *base[SBX_CG_N];         /* /sys/fs/cgroup/<ctl>/verdict-sandbox/s<slot>-<pid> */
	unsigned next_id;
	struct sbx_cg_run spare;      /* made ahead of time, off the critical path */
	unsigned doomed[16];          /* finished runs whose directories are still to be removed */
	unsigned ndoomed;
	const struct sbx_log *log;
};

/* Finds usable v1 controllers (as root) and makes the per-sandbox parents.
 * Logs what is missing. Never fails: have[] says what works. */
void sbx_cg_init(struct sbx_cg *cg, int slot, const struct sbx_log *log);
/* Takes the spare run cgroups (making them now if there are none) and sets
 * the limits. Returns 0 or negative errno. */
int sbx_cg_start(struct sbx_cg *cg, struct sbx_cg_run *run, uint64_t mem_bytes, uint32_t pids);
/* Off the critical path: removes finished runs' directories and makes the spare. */
void sbx_cg_housekeep(struct sbx_cg *cg);
/* CPU time of the run so far in ns, or -1. */
int64_t sbx_cg_cpu_ns(const struct sbx_cg_run *run);
struct sbx_cg_stats {
	uint64_t peak_bytes;
	uint64_t failcnt;
	uint64_t oom_kills;
	int64_t cpu_ns;     /* -1 when not known */
};
void sbx_cg_stats(const struct sbx_cg_run *run, struct sbx_cg_stats *st);
/* Closes the run's files and queues its directories for removal; *pids_left
 * says how many tasks were still in it (should be 0). */
void sbx_cg_finish(struct sbx_cg *cg, struct sbx_cg_run *run, unsigned *pids_left);
void sbx_cg_destroy(struct sbx_cg *cg);
