/* cgroup v2 (the unified hierarchy) for the sandbox: where its subtree is,
 * and one directory per run with memory.max/peak/events, pids.max and
 * cpu.stat.
 *
 * The subtree. v2 lets processes live only in leaves of a subtree whose
 * controllers are enabled (the root cgroup excepted), and lets a process
 * move only where it may write the common ancestor's cgroup.procs. So:
 *   - as root, verdict creates and owns <top>/verdict-sandbox (the top of
 *     the hierarchy as mounted: the root cgroup on a host);
 *   - otherwise, or where the top holds processes (pid 1 of a container
 *     with its own cgroup namespace), it uses its own cgroup when that is
 *     delegated to it (writable: systemd's Delegate=yes, or a cgroup an
 *     administrator chowned): the processes there move into a leaf
 *     <own>/verdict-main, and <own>/verdict-sandbox is made beside it.
 * Under it, as with v1: s<slot>-<pid> per sandbox, r<N> per run. A run's
 * directory is fresh, so its counters start near zero; memory.peak and
 * memory.events cannot be reset on this kernel, and need not be. */
#include "sandbox_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

#define CG_ROOT "/sys/fs/cgroup"
#define CONTROLLERS "+memory +pids"

bool sbx_cg2_host(void)
{
	struct statfs st;
	return statfs(CG_ROOT, &st) == 0 && st.f_type == CGROUP2_SUPER_MAGIC;
}

/* Lets dir's children use the memory and pids controllers (cpu.stat needs
 * no controller). Returns 0 or negative errno. */
static int enable(const char *dir)
{
	char path[PATH_MAX];
	sbx_fmt(path, sizeof path, "%s/cgroup.subtree_control", dir);
	return sbx_cg_write_str(path, CONTROLLERS);
}

/* This process's cgroup as a directory: CG_ROOT plus the "0::" line of /proc/self/cgroup. */
static int own_cgroup(char *out, size_t n)
{
	FILE *f = fopen("/proc/self/cgroup", "re");
	if (!f)
		return -errno;
	char line[PATH_MAX];
	int rc = -ENOENT;
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, "0::", 3) != 0)
			continue;
		line[strcspn(line, "\n")] = 0;
		rc = sbx_fmt(out, n, CG_ROOT "%s", strcmp(line + 3, "/") == 0 ? "" : line + 3);
		break;
	}
	fclose(f);
	return rc;
}

/* Moves every process of dir into the leaf dir/verdict-main, then enables
 * the controllers for dir's children. A process forked meanwhile lands in
 * dir and makes the enable fail with EBUSY: then again, a few times. */
static int vacate_and_enable(const char *dir)
{
	char leaf[PATH_MAX], procs[PATH_MAX], to[PATH_MAX];
	sbx_fmt(leaf, sizeof leaf, "%s/verdict-main", dir);
	sbx_fmt(procs, sizeof procs, "%s/cgroup.procs", dir);
	sbx_fmt(to, sizeof to, "%s/cgroup.procs", leaf);
	if (mkdir(leaf, 0755) < 0 && errno != EEXIST)
		return -errno;
	int rc = -EBUSY;
	for (int tries = 0; tries < 5 && rc == -EBUSY; tries++) {
		FILE *f = fopen(procs, "re");
		if (!f)
			return -errno;
		char pid[32];
		while (fgets(pid, sizeof pid, f)) {
			pid[strcspn(pid, "\n")] = 0;
			int w = sbx_cg_write_str(to, pid);
			if (w < 0 && w != -ESRCH) {
				fclose(f);
				return w;
			}
		}
		fclose(f);
		rc = enable(dir);
	}
	return rc;
}

/* Finds and prepares the directory verdict-sandbox goes in; *why says why not. */
static int find_parent(struct sbx_cg *cg, char *parent, size_t n)
{
	int rc;
	if (geteuid() == 0 && (rc = enable(CG_ROOT)) == 0)
		return sbx_fmt(parent, n, "%s", CG_ROOT);
	char own[PATH_MAX], path[PATH_MAX];
	if ((rc = own_cgroup(own, sizeof own)) < 0) {
		sbx_fmt(cg->why, sizeof cg->why, "cannot read /proc/self/cgroup: %s", strerror(-rc));
		return rc;
	}
	sbx_fmt(path, sizeof path, "%s/cgroup.subtree_control", own);
	if (access(path, W_OK) != 0) {
		rc = -errno;
		sbx_fmt(cg->why, sizeof cg->why, "cgroup v2: own cgroup '%s' is not delegated to uid %u (%s)", own,
			(unsigned)geteuid(), strerror(errno));
		return rc;
	}
	if ((rc = enable(own)) == -EBUSY)
		rc = vacate_and_enable(own);
	if (rc < 0) {
		sbx_fmt(cg->why, sizeof cg->why, "cgroup v2: cannot enable memory and pids in '%s': %s", own,
			strerror(-rc));
		return rc;
	}
	return sbx_fmt(parent, n, "%s", own);
}

void sbx_cg2_init(struct sbx_cg *cg, int slot)
{
	char parent[PATH_MAX], top[PATH_MAX], base[PATH_MAX];
	if (find_parent(cg, parent, sizeof parent) < 0)
		return;
	sbx_fmt(top, sizeof top, "%s/verdict-sandbox", parent);
	sbx_fmt(base, sizeof base, "%s/s%d-%d", top, slot, (int)getpid());
	const char *at = top;
	int rc = mkdir(top, 0755) < 0 && errno != EEXIST ? -errno : enable(top);
	if (rc == 0) {
		sbx_cg_sweep_stale(top, slot);
		at = base;
		rc = mkdir(base, 0755) < 0 && errno != EEXIST ? -errno : enable(base);
	}
	if (rc < 0) {
		sbx_fmt(cg->why, sizeof cg->why, "cgroup v2: cannot prepare '%s': %s", at, strerror(-rc));
		return;
	}
	char peak[PATH_MAX + 16];
	sbx_fmt(peak, sizeof peak, "%s/memory.peak", top);
	if (access(peak, R_OK) != 0) {
		/* memory.peak came with Linux 5.19: without it no peak is known. */
		sbx_fmt(cg->why, sizeof cg->why, "cgroup v2: no memory.peak (Linux 5.19 or later needed)");
		rmdir(base);
		return;
	}
	if (!(cg->base[SBX_CG_MEMORY] = strdup(base)))
		return;
	cg->version = 2;
	for (int c = 0; c < SBX_CG_N; c++)
		cg->have[c] = true;
}

int sbx_cg2_run_make(struct sbx_cg *cg, struct sbx_cg_run *run)
{
	memset(run, 0, sizeof *run);
	run->procs[0] = run->procs[1] = run->procs[2] = run->dir = -1;
	run->mem_peak = run->mem_failcnt = run->mem_oom = run->cpu_usage = run->pids_current = -1;
	run->mem_limit = run->memsw_limit = run->mem_usage = run->pids_max = -1;
	run->id = cg->next_id++;
	run->v2 = true;
	char dir[PATH_MAX];
	sbx_fmt(dir, sizeof dir, "%s/r%u", cg->base[SBX_CG_MEMORY], run->id);
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	/* Everything a run start writes is opened here, off the critical path. */
	run->procs[0] = sbx_cg_open_in(dir, "cgroup.procs", O_WRONLY);
	run->dir = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	run->mem_peak = sbx_cg_open_in(dir, "memory.peak", O_RDONLY);
	run->mem_failcnt = sbx_cg_open_in(dir, "memory.events", O_RDONLY);
	run->mem_oom = sbx_cg_open_in(dir, "memory.events", O_RDONLY);
	run->mem_limit = sbx_cg_open_in(dir, "memory.max", O_WRONLY);
	run->mem_usage = sbx_cg_open_in(dir, "memory.current", O_RDONLY);
	run->cpu_usage = sbx_cg_open_in(dir, "cpu.stat", O_RDONLY);
	run->pids_current = sbx_cg_open_in(dir, "pids.current", O_RDONLY);
	run->pids_max = sbx_cg_open_in(dir, "pids.max", O_WRONLY);
	if (run->procs[0] < 0 || run->dir < 0 || run->mem_peak < 0 || run->mem_failcnt < 0 || run->mem_oom < 0 ||
	    run->mem_limit < 0 || run->mem_usage < 0 || run->cpu_usage < 0 || run->pids_current < 0 ||
	    run->pids_max < 0)
		return errno ? -errno : -EIO;
	/* Swapping would hide memory (the file is missing without swap
	   accounting); an OOM kill takes the whole run, a compiler's children too. */
	char path[PATH_MAX + 32];
	sbx_fmt(path, sizeof path, "%s/memory.swap.max", dir);
	sbx_cg_write_str(path, "0");
	sbx_fmt(path, sizeof path, "%s/memory.oom.group", dir);
	sbx_cg_write_str(path, "1");
	run->ready = true;
	return 0;
}
