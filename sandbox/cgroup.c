/* cgroup v1 helpers of the sandbox: one directory per run in the memory,
 * pids and cpuacct hierarchies, under a parent per sandbox instance
 * (verdict-sandbox/s<slot>-<pid>).
 *
 * A fresh cgroup per run, because a reused one keeps the page cache that
 * earlier runs charged to it (an earlier python3 run would inflate a later C
 * run's peak). Making and removing three directories costs about 0.25 ms
 * here, so it happens off the critical path: the spare run's directories
 * are made, and finished runs' directories removed, while the worker waits
 * for the next run to start (sbx_cg_housekeep). The program joins its run's
 * cgroups itself, by writing "0" to cgroup.procs files opened here, before
 * it execs: no window in which it runs unaccounted.
 *
 * cgroup v2 (delegated subtree) is not handled: on a v2-only machine the
 * sandbox logs that it runs without cgroups. */
#include "sandbox_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const ctl_name[SBX_CG_N] = { "memory", "pids", "cpuacct" };
#define CG_ROOT "/sys/fs/cgroup"
#define CG_PARENT "verdict-sandbox"

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = write(fd, s, strlen(s));
	int rc = n < 0 ? -errno : 0;
	close(fd);
	return rc;
}

static int64_t pread_num(int fd)
{
	char buf[64];
	if (fd < 0)
		return -1;
	ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	return strtoll(buf, NULL, 10);
}

/* Removes a per-instance directory left by a process that no longer exists
 * (a crashed judge): its run directories first, then itself. */
static void sweep_stale(const char *parent, int slot)
{
	DIR *d = opendir(parent);
	struct dirent *e;
	if (!d)
		return;
	while ((e = readdir(d))) {
		int s, pid;
		if (sscanf(e->d_name, "s%d-%d", &s, &pid) != 2 || s != slot)
			continue;
		if (kill(pid, 0) == 0 || errno != ESRCH)
			continue;
		char path[PATH_MAX];
		sbx_fmt(path, sizeof path, "%s/%s", parent, e->d_name);
		DIR *r = opendir(path);
		struct dirent *re;
		while (r && (re = readdir(r))) {
			if (re->d_name[0] != 'r')
				continue;
			char sub[PATH_MAX + 300];
			sbx_fmt(sub, sizeof sub, "%s/%s", path, re->d_name);
			rmdir(sub);
		}
		if (r)
			closedir(r);
		rmdir(path);
	}
	closedir(d);
}

void sbx_cg_init(struct sbx_cg *cg, int slot, const struct sbx_log *log)
{
	memset(cg, 0, sizeof *cg);
	cg->log = log;
	cg->spare.ready = false;
	if (geteuid() != 0) {
		sbx_logf(log, "WARNING: not root: no cgroups; memory is limited by RLIMIT_AS and measured by "
			"ru_maxrss, processes by RLIMIT_NPROC and seccomp, CPU by rusage");
		return;
	}
	for (int c = 0; c < SBX_CG_N; c++) {
		char path[PATH_MAX];
		sbx_fmt(path, sizeof path, CG_ROOT "/%s/cgroup.procs", ctl_name[c]);
		if (access(path, W_OK) != 0) {
			sbx_logf(log, "WARNING: cgroup v1 controller '%s' is not available (%s): %s", ctl_name[c],
				path, strerror(errno));
			continue;
		}
		sbx_fmt(path, sizeof path, CG_ROOT "/%s/" CG_PARENT, ctl_name[c]);
		if (mkdir(path, 0755) < 0 && errno != EEXIST) {
			sbx_logf(log, "WARNING: cannot create cgroup '%s': %s", path, strerror(errno));
			continue;
		}
		sweep_stale(path, slot);
		char base[PATH_MAX];
		sbx_fmt(base, sizeof base, "%s/s%d-%d", path, slot, (int)getpid());
		if (mkdir(base, 0755) < 0 && errno != EEXIST) {
			sbx_logf(log, "WARNING: cannot create cgroup '%s': %s", base, strerror(errno));
			continue;
		}
		cg->base[c] = strdup(base);
		cg->have[c] = cg->base[c] != NULL;
	}
	if (cg->have[SBX_CG_MEMORY]) {
		char path[PATH_MAX];
		sbx_fmt(path, sizeof path, "%s/memory.memsw.limit_in_bytes", cg->base[SBX_CG_MEMORY]);
		cg->memsw = access(path, W_OK) == 0;
	}
	if (!cg->have[SBX_CG_MEMORY])
		sbx_logf(log, "WARNING: no memory cgroup: memory is limited by RLIMIT_AS and measured by ru_maxrss");
	if (!cg->have[SBX_CG_PIDS])
		sbx_logf(log, "WARNING: no pids cgroup: processes are limited by RLIMIT_NPROC and seccomp only");
	if (!cg->have[SBX_CG_CPU])
		sbx_logf(log, "WARNING: no cpuacct cgroup: CPU time of compiler children is known only once reaped");
}

static void run_close(struct sbx_cg_run *run)
{
	int *fds[] = { &run->procs[0], &run->procs[1], &run->procs[2], &run->mem_peak, &run->mem_failcnt,
		&run->mem_oom, &run->cpu_usage };
	for (size_t i = 0; i < sizeof fds / sizeof *fds; i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}

static void run_rmdir(struct sbx_cg *cg, unsigned id, bool *busy)
{
	for (int c = 0; c < SBX_CG_N; c++) {
		if (!cg->have[c])
			continue;
		char path[PATH_MAX];
		sbx_fmt(path, sizeof path, "%s/r%u", cg->base[c], id);
		if (rmdir(path) < 0 && errno != ENOENT && busy)
			*busy = true;
	}
}

static int open_in(const char *dir, const char *file, int flags)
{
	char path[PATH_MAX];
	sbx_fmt(path, sizeof path, "%s/%s", dir, file);
	return open(path, flags | O_CLOEXEC);
}

/* Makes the directories of a new run and opens its files. */
static int run_make(struct sbx_cg *cg, struct sbx_cg_run *run)
{
	memset(run, 0, sizeof *run);
	run->procs[0] = run->procs[1] = run->procs[2] = -1;
	run->mem_peak = run->mem_failcnt = run->mem_oom = run->cpu_usage = -1;
	run->id = cg->next_id++;
	for (int c = 0; c < SBX_CG_N; c++) {
		if (!cg->have[c])
			continue;
		char dir[PATH_MAX];
		sbx_fmt(dir, sizeof dir, "%s/r%u", cg->base[c], run->id);
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			goto fail;
		run->procs[c] = open_in(dir, "cgroup.procs", O_WRONLY);
		if (run->procs[c] < 0)
			goto fail;
		if (c == SBX_CG_MEMORY) {
			run->mem_peak = open_in(dir, "memory.max_usage_in_bytes", O_RDONLY);
			run->mem_failcnt = open_in(dir, "memory.failcnt", O_RDONLY);
			run->mem_oom = open_in(dir, "memory.oom_control", O_RDONLY);
			if (run->mem_peak < 0 || run->mem_failcnt < 0 || run->mem_oom < 0)
				goto fail;
		} else if (c == SBX_CG_CPU) {
			run->cpu_usage = open_in(dir, "cpuacct.usage", O_RDONLY);
			if (run->cpu_usage < 0)
				goto fail;
		}
	}
	run->ready = true;
	return 0;
fail: {
	int rc = -errno;
	run_close(run);
	run_rmdir(cg, run->id, NULL);
	return rc;
}
}

void sbx_cg_housekeep(struct sbx_cg *cg)
{
	if (!cg->have[SBX_CG_MEMORY] && !cg->have[SBX_CG_PIDS] && !cg->have[SBX_CG_CPU])
		return;
	unsigned keep = 0;
	for (unsigned i = 0; i < cg->ndoomed; i++) {
		bool busy = false;
		run_rmdir(cg, cg->doomed[i], &busy);
		if (busy)
			cg->doomed[keep++] = cg->doomed[i];
	}
	cg->ndoomed = keep;
	if (!cg->spare.ready && run_make(cg, &cg->spare) < 0)
		cg->spare.ready = false;
}

static int write_fd_at(const char *dir, const char *file, const char *val)
{
	char path[PATH_MAX];
	sbx_fmt(path, sizeof path, "%s/%s", dir, file);
	return write_str(path, val);
}

int sbx_cg_start(struct sbx_cg *cg, struct sbx_cg_run *run, uint64_t mem_bytes, uint32_t pids)
{
	int rc;
	if (cg->spare.ready) {
		*run = cg->spare;
		cg->spare.ready = false;
	} else if ((rc = run_make(cg, run)) < 0) {
		return rc;
	}
	char val[32], dir[PATH_MAX];
	if (cg->have[SBX_CG_MEMORY]) {
		sbx_fmt(dir, sizeof dir, "%s/r%u", cg->base[SBX_CG_MEMORY], run->id);
		sbx_fmt(val, sizeof val, "%" PRIu64, mem_bytes);
		if ((rc = write_fd_at(dir, "memory.limit_in_bytes", val)) < 0)
			goto fail;
		if (cg->memsw && (rc = write_fd_at(dir, "memory.memsw.limit_in_bytes", val)) < 0)
			goto fail;
		/* Swapping would hide memory; there is no swap here, but be explicit. */
		write_fd_at(dir, "memory.swappiness", "0");
	}
	if (cg->have[SBX_CG_PIDS]) {
		sbx_fmt(dir, sizeof dir, "%s/r%u", cg->base[SBX_CG_PIDS], run->id);
		sbx_fmt(val, sizeof val, "%u", pids);
		if ((rc = write_fd_at(dir, "pids.max", val)) < 0)
			goto fail;
	}
	return 0;
fail:
	sbx_cg_finish(cg, run, NULL);
	return rc;
}

int64_t sbx_cg_cpu_ns(const struct sbx_cg_run *run)
{
	return pread_num(run->cpu_usage);
}

void sbx_cg_stats(const struct sbx_cg_run *run, struct sbx_cg_stats *st)
{
	memset(st, 0, sizeof *st);
	int64_t v = pread_num(run->mem_peak);
	st->peak_bytes = v > 0 ? (uint64_t)v : 0;
	v = pread_num(run->mem_failcnt);
	st->failcnt = v > 0 ? (uint64_t)v : 0;
	st->cpu_ns = pread_num(run->cpu_usage);
	if (run->mem_oom >= 0) {
		char buf[256];
		ssize_t n = pread(run->mem_oom, buf, sizeof buf - 1, 0);
		if (n > 0) {
			buf[n] = 0;
			const char *k = strstr(buf, "oom_kill ");
			if (k)
				st->oom_kills = strtoull(k + 9, NULL, 10);
			/* under_oom 1: the program is stuck at the limit right now */
			const char *u = strstr(buf, "under_oom ");
			if (u && u[10] == '1')
				st->oom_kills++;
		}
	}
}

void sbx_cg_finish(struct sbx_cg *cg, struct sbx_cg_run *run, unsigned *pids_left)
{
	if (pids_left) {
		*pids_left = 0;
		if (cg->have[SBX_CG_PIDS]) {
			char dir[PATH_MAX];
			sbx_fmt(dir, sizeof dir, "%s/r%u", cg->base[SBX_CG_PIDS], run->id);
			int fd = open_in(dir, "pids.current", O_RDONLY);
			int64_t n = pread_num(fd);
			if (fd >= 0)
				close(fd);
			*pids_left = n > 0 ? (unsigned)n : 0;
		}
	}
	run_close(run);
	if (run->ready) {
		if (cg->ndoomed == sizeof cg->doomed / sizeof *cg->doomed)
			sbx_cg_housekeep(cg);
		if (cg->ndoomed < sizeof cg->doomed / sizeof *cg->doomed)
			cg->doomed[cg->ndoomed++] = run->id;
	}
	run->ready = false;
}

void sbx_cg_destroy(struct sbx_cg *cg)
{
	if (cg->spare.ready) {
		run_close(&cg->spare);
		run_rmdir(cg, cg->spare.id, NULL);
		cg->spare.ready = false;
	}
	for (unsigned i = 0; i < cg->ndoomed; i++)
		run_rmdir(cg, cg->doomed[i], NULL);
	cg->ndoomed = 0;
	for (int c = 0; c < SBX_CG_N; c++) {
		if (cg->base[c])
			rmdir(cg->base[c]);
		free(cg->base[c]);
		cg->base[c] = NULL;
		cg->have[c] = false;
	}
}
