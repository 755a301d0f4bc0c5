/* cgroup v1 helpers of the sandbox: one directory per run in the memory,
 * pids and cpuacct hierarchies, under a parent per sandbox instance
 * (verdict-sandbox/s<slot>-<pid>).
 *
 * A fresh cgroup per run, because a reused one keeps the page cache that
 * earlier runs charged to it (an earlier python3 run would inflate a later C
 * run's peak). Making and removing three directories costs about 0.25 ms
 * here, so it happens off the critical path: the spare run's directories
 * are made, and finished runs' directories removed, while the worker waits
 * for the next run to start (sbx_cg_housekeep, one step per call). The program joins its run's
 * cgroups itself, by writing "0" to cgroup.procs files opened here, before
 * it execs: no window in which it runs unaccounted.
 *
 * On a unified (v2) hierarchy cgroup2.c finds the subtree and makes each
 * run's one directory; the rest here reads either kind. */
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

int sbx_cg_write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = write(fd, s, strlen(s));
	int rc = n < 0 ? -errno : 0;
	close(fd);
	return rc;
}

int64_t sbx_cg_read_num(int fd)
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

int64_t sbx_cg_read_key(int fd, const char *key)
{
	char buf[1024];
	if (fd < 0)
		return -1;
	ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	size_t len = strlen(key);
	for (const char *p = buf; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p))
		if (strncmp(p, key, len) == 0 && p[len] == ' ')
			return strtoll(p + len + 1, NULL, 10);
	return -1;
}

/* Removes a per-instance directory left by a process that no longer exists
 * (a crashed judge): its run directories first, then itself. */
void sbx_cg_sweep_stale(const char *parent, int slot)
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
	if (sbx_cg2_host()) {
		sbx_cg2_init(cg, slot);
		if (!cg->have[SBX_CG_MEMORY])
			sbx_logf(log, "WARNING: no cgroup v2 subtree (%s): memory is limited by RLIMIT_AS and measured "
				"by ru_maxrss, processes by RLIMIT_NPROC and seccomp, CPU by rusage", cg->why);
		return;
	}
	if (geteuid() != 0) {
		sbx_fmt(cg->why, sizeof cg->why, "not root");
		sbx_logf(log, "WARNING: not root: no cgroups; memory is limited by RLIMIT_AS and measured by "
			"ru_maxrss, processes by RLIMIT_NPROC and seccomp, CPU by rusage");
		return;
	}
	for (int c = 0; c < SBX_CG_N; c++) {
		char path[PATH_MAX];
		sbx_fmt(path, sizeof path, CG_ROOT "/%s/cgroup.procs", ctl_name[c]);
		if (access(path, W_OK) != 0) {
			if (!cg->why[0])
				sbx_fmt(cg->why, sizeof cg->why, "no cgroup v1 controller '%s' (%s: %s)", ctl_name[c],
					path, strerror(errno));
			sbx_logf(log, "WARNING: cgroup v1 controller '%s' is not available (%s): %s", ctl_name[c],
				path, strerror(errno));
			continue;
		}
		sbx_fmt(path, sizeof path, CG_ROOT "/%s/" CG_PARENT, ctl_name[c]);
		if (mkdir(path, 0755) < 0 && errno != EEXIST) {
			sbx_logf(log, "WARNING: cannot create cgroup '%s': %s", path, strerror(errno));
			continue;
		}
		sbx_cg_sweep_stale(path, slot);
		char base[PATH_MAX];
		sbx_fmt(base, sizeof base, "%s/s%d-%d", path, slot, (int)getpid());
		if (mkdir(base, 0755) < 0 && errno != EEXIST) {
			sbx_logf(log, "WARNING: cannot create cgroup '%s': %s", base, strerror(errno));
			continue;
		}
		cg->base[c] = strdup(base);
		cg->have[c] = cg->base[c] != NULL;
		cg->version = 1;
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

void sbx_cg_close(struct sbx_cg_run *run)
{
	int *fds[] = { &run->procs[0], &run->procs[1], &run->procs[2], &run->dir, &run->mem_peak, &run->mem_failcnt,
		&run->mem_oom, &run->cpu_usage, &run->pids_current, &run->mem_limit, &run->memsw_limit,
		&run->mem_usage, &run->pids_max };
	for (size_t i = 0; i < sizeof fds / sizeof *fds; i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}

static void run_rmdir(struct sbx_cg *cg, unsigned id, bool *busy)
{
	for (int c = 0; c < SBX_CG_N; c++) {
		if (!cg->base[c])
			continue;
		char path[PATH_MAX];
		sbx_fmt(path, sizeof path, "%s/r%u", cg->base[c], id);
		if (rmdir(path) < 0 && errno != ENOENT && busy)
			*busy = true;
	}
}

int sbx_cg_open_in(const char *dir, const char *file, int flags)
{
	char path[PATH_MAX];
	sbx_fmt(path, sizeof path, "%s/%s", dir, file);
	return open(path, flags | O_CLOEXEC);
}

static int write_fd_at(const char *dir, const char *file, const char *val)
{
	char path[PATH_MAX];
	sbx_fmt(path, sizeof path, "%s/%s", dir, file);
	return sbx_cg_write_str(path, val);
}

/* Makes the directories of a new run and opens its files. The run's
 * program joins them when it is pre-forked (so no task moves between
 * cgroups while anyone waits); sbx_cg_arm then sets the limits and zeroes
 * the counters when the run starts. */
static int run_make(struct sbx_cg *cg, struct sbx_cg_run *run)
{
	if (cg->version == 2) {
		int rc = sbx_cg2_run_make(cg, run);
		if (rc < 0) {
			sbx_cg_close(run);
			run_rmdir(cg, run->id, NULL);
		}
		return rc;
	}
	memset(run, 0, sizeof *run);
	run->procs[0] = run->procs[1] = run->procs[2] = run->dir = -1;
	run->mem_peak = run->mem_failcnt = run->mem_oom = run->cpu_usage = run->pids_current = -1;
	run->mem_limit = run->memsw_limit = run->mem_usage = run->pids_max = -1;
	run->id = cg->next_id++;
	for (int c = 0; c < SBX_CG_N; c++) {
		if (!cg->have[c])
			continue;
		char dir[PATH_MAX];
		sbx_fmt(dir, sizeof dir, "%s/r%u", cg->base[c], run->id);
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			goto fail;
		run->procs[c] = sbx_cg_open_in(dir, "cgroup.procs", O_WRONLY);
		if (run->procs[c] < 0)
			goto fail;
		/* Everything a run start writes is opened here, off the critical path. */
		if (c == SBX_CG_MEMORY) {
			run->mem_peak = sbx_cg_open_in(dir, "memory.max_usage_in_bytes", O_RDWR);
			run->mem_failcnt = sbx_cg_open_in(dir, "memory.failcnt", O_RDWR);
			run->mem_oom = sbx_cg_open_in(dir, "memory.oom_control", O_RDONLY);
			run->mem_limit = sbx_cg_open_in(dir, "memory.limit_in_bytes", O_WRONLY);
			run->mem_usage = sbx_cg_open_in(dir, "memory.usage_in_bytes", O_RDONLY);
			if (cg->memsw)
				run->memsw_limit = sbx_cg_open_in(dir, "memory.memsw.limit_in_bytes", O_WRONLY);
			if (run->mem_peak < 0 || run->mem_failcnt < 0 || run->mem_oom < 0 || run->mem_limit < 0 ||
			    run->mem_usage < 0 || (cg->memsw && run->memsw_limit < 0))
				goto fail;
			/* Swapping would hide memory; there is no swap here, but be explicit. */
			write_fd_at(dir, "memory.swappiness", "0");
		} else if (c == SBX_CG_PIDS) {
			run->pids_current = sbx_cg_open_in(dir, "pids.current", O_RDONLY);
			run->pids_max = sbx_cg_open_in(dir, "pids.max", O_WRONLY);
			if (run->pids_current < 0 || run->pids_max < 0)
				goto fail;
		} else if (c == SBX_CG_CPU) {
			run->cpu_usage = sbx_cg_open_in(dir, "cpuacct.usage", O_RDWR);
			if (run->cpu_usage < 0)
				goto fail;
		}
	}
	run->ready = true;
	return 0;
fail: {
	int rc = -errno;
	sbx_cg_close(run);
	run_rmdir(cg, run->id, NULL);
	return rc;
}
}

bool sbx_cg_housekeep(struct sbx_cg *cg)
{
	if (!cg->have[SBX_CG_MEMORY] && !cg->have[SBX_CG_PIDS] && !cg->have[SBX_CG_CPU])
		return false;
	/* One step at a time (each takes cgroup_mutex and can take milliseconds):
	 * the caller looks for requests in between. */
	for (unsigned i = 0; i < cg->ndoomed; i++) {
		bool busy = false;
		run_rmdir(cg, cg->doomed[i], &busy);
		if (!busy) {
			cg->doomed[i] = cg->doomed[--cg->ndoomed];
			return true;
		}
	}
	if (!cg->spare.ready && run_make(cg, &cg->spare) == 0)
		return true;
	return false;
}


int sbx_cg_take(struct sbx_cg *cg, struct sbx_cg_run *run)
{
	if (cg->spare.ready) {
		*run = cg->spare;
		cg->spare.ready = false;
		return 0;
	}
	return run_make(cg, run);
}

static int pwrite_str(int fd, const char *v)
{
	return pwrite(fd, v, strlen(v), 0) < 0 ? -errno : 0;
}

int sbx_cg_arm(struct sbx_cg *cg, const struct sbx_cg_run *run, uint64_t mem_bytes, uint32_t pids, uint64_t *baseline)
{
	char val[32];
	int rc;

	*baseline = 0;
	if (run->v2) {
		/* Fresh directory: counters start near zero (the init subtracts what
		 * they hold now from the report); only the limits are set. */
		int64_t used = sbx_cg_read_num(run->mem_usage);
		*baseline = used > 0 ? (uint64_t)used : 0;
		if (mem_bytes >= (uint64_t)INT64_MAX / 2)
			sbx_fmt(val, sizeof val, "max");
		else
			sbx_fmt(val, sizeof val, "%" PRIu64, mem_bytes + *baseline);
		if ((rc = pwrite_str(run->mem_limit, val)) < 0)
			return rc;
		sbx_fmt(val, sizeof val, "%u", pids);
		return pwrite_str(run->pids_max, val);
	}
	if (cg->have[SBX_CG_MEMORY]) {
		int64_t used = sbx_cg_read_num(run->mem_usage);
		*baseline = used > 0 ? (uint64_t)used : 0;
		uint64_t limit = mem_bytes >= (uint64_t)INT64_MAX / 2 ? (uint64_t)INT64_MAX : mem_bytes + *baseline;
		sbx_fmt(val, sizeof val, "%" PRIu64, limit);
		if ((rc = pwrite_str(run->mem_limit, val)) < 0 ||
		    (run->memsw_limit >= 0 && (rc = pwrite_str(run->memsw_limit, val)) < 0))
			return rc;
		/* From now on: the peak starts at the init's usage, no failures yet. */
		if ((rc = pwrite_str(run->mem_peak, "0")) < 0 || (rc = pwrite_str(run->mem_failcnt, "0")) < 0)
			return rc;
	}
	if (cg->have[SBX_CG_PIDS]) {
		sbx_fmt(val, sizeof val, "%u", pids);
		if ((rc = pwrite_str(run->pids_max, val)) < 0)
			return rc;
	}
	if (cg->have[SBX_CG_CPU] && (rc = pwrite_str(run->cpu_usage, "0")) < 0)
		return rc;
	return 0;
}

int64_t sbx_cg_cpu_ns(const struct sbx_cg_run *run)
{
	if (run->v2) {
		int64_t us = sbx_cg_read_key(run->cpu_usage, "usage_usec");
		return us < 0 ? -1 : us * 1000;
	}
	return sbx_cg_read_num(run->cpu_usage);
}

void sbx_cg_stats(const struct sbx_cg_run *run, struct sbx_cg_stats *st)
{
	memset(st, 0, sizeof *st);
	int64_t v = sbx_cg_read_num(run->mem_peak);
	st->peak_bytes = v > 0 ? (uint64_t)v : 0;
	if (run->v2) {
		v = sbx_cg_read_key(run->mem_failcnt, "max");
		st->failcnt = v > 0 ? (uint64_t)v : 0;
		v = sbx_cg_read_key(run->mem_oom, "oom_kill");
		st->oom_kills = v > 0 ? (uint64_t)v : 0;
		st->cpu_ns = sbx_cg_cpu_ns(run);
		return;
	}
	v = sbx_cg_read_num(run->mem_failcnt);
	st->failcnt = v > 0 ? (uint64_t)v : 0;
	st->cpu_ns = sbx_cg_read_num(run->cpu_usage);
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

void sbx_cg_stat_fds(const struct sbx_cg_run *run, int out[SBX_CG_NSTATS])
{
	out[0] = run->mem_peak;
	out[1] = run->mem_failcnt;
	out[2] = run->mem_oom;
	out[3] = run->cpu_usage;
	out[4] = run->pids_current;
}

void sbx_cg_from_stat_fds(struct sbx_cg_run *run, const int in[SBX_CG_NSTATS], bool v2)
{
	memset(run, 0, sizeof *run);
	run->v2 = v2;
	run->procs[0] = run->procs[1] = run->procs[2] = run->dir = -1;
	run->mem_limit = run->memsw_limit = run->mem_usage = run->pids_max = -1;
	run->mem_peak = in[0];
	run->mem_failcnt = in[1];
	run->mem_oom = in[2];
	run->cpu_usage = in[3];
	run->pids_current = in[4];
	run->ready = true;
}

unsigned sbx_cg_pids_left(const struct sbx_cg_run *run)
{
	int64_t n = sbx_cg_read_num(run->pids_current);
	return n > 0 ? (unsigned)n : 0;
}

void sbx_cg_finish(struct sbx_cg *cg, struct sbx_cg_run *run)
{
	sbx_cg_close(run);
	if (run->ready) {
		while (cg->ndoomed == sizeof cg->doomed / sizeof *cg->doomed && sbx_cg_housekeep(cg))
			;
		if (cg->ndoomed < sizeof cg->doomed / sizeof *cg->doomed)
			cg->doomed[cg->ndoomed++] = run->id;
	}
	run->ready = false;
}

void sbx_cg_destroy(struct sbx_cg *cg)
{
	for (int c = 0; c < SBX_CG_N; c++) {
		if (!cg->base[c])
			continue;
		/* The tasks of the last run may take a moment to leave. */
		for (int tries = 0; tries < 100; tries++) {
			DIR *d = opendir(cg->base[c]);
			struct dirent *e;
			bool busy = false;
			while (d && (e = readdir(d))) {
				if (e->d_name[0] != 'r')
					continue;
				char sub[PATH_MAX];
				if (sbx_fmt(sub, sizeof sub, "%s/%s", cg->base[c], e->d_name) == 0 && rmdir(sub) < 0 &&
				    errno == EBUSY)
					busy = true;
			}
			if (d)
				closedir(d);
			if (!busy)
				break;
			usleep(10000);
		}
		if (rmdir(cg->base[c]) < 0 && errno != ENOENT)
			sbx_logf(cg->log, "cannot remove cgroup '%s': %s", cg->base[c], strerror(errno));
		free(cg->base[c]);
		cg->base[c] = NULL;
		cg->have[c] = false;
	}
}
