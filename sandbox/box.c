/* Creating and freeing a sandbox: sandbox_new checks what protection this
 * host allows, compiles the filters, sets up the slot's cgroups and forks the
 * zygote; sandbox_free ends it all. Also the log hook and sandbox_get_info. */
#include "sandbox_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include <linux/seccomp.h>

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

	int rc = sbx_seccomp_build(sb->filt, sbx_exec_path, SELF_PID, msg, sizeof msg);
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
		sbx_close_others((int[]){ 2, report[1], ctl[1], sb->devnull }, 4);
		dup2(sb->devnull, 0);
		dup2(sb->devnull, 1);
		sbx_zygote_main(sb, report[1]);
	}
	sb->zygote = pid;
	sb->zygote_pidfd = sbx_pidfd_open(pid, 0);
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

void sandbox_free(struct sandbox *sb)
{
	if (!sb)
		return;
	sbx_reap_pending(sb, true);
	for (int k = 0; k < SBX_NPROFILES; k++)
		for (int i = 0; i < sb->noffers[k]; i++)
			sbx_offer_close(&sb->offers[k][i]);
	if (sb->ctl >= 0)
		close(sb->ctl); /* the zygote sees EOF, ends its inits and exits */
	if (sb->zygote > 0) {
		struct pollfd pf = { .fd = sb->zygote_pidfd, .events = POLLIN };
		if (sb->zygote_pidfd < 0 || poll(&pf, 1, 5000) <= 0) {
			if (sb->zygote_pidfd >= 0)
				sbx_pidfd_kill(sb->zygote_pidfd, SIGKILL);
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
	info->cgroup_version = sb->cg.version;
	snprintf(info->cgroup_why, sizeof info->cgroup_why, "%s", sb->cg.why);
}
