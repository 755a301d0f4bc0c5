/* The seccomp policies of the three profiles, compiled once with libseccomp
 * into raw BPF that the spawner installs with one seccomp(2) call per run.
 *
 * RUN (compiled C/C++): default deny. The allowlist is what static glibc and
 * libstdc++ need to start, allocate, do stdio, use threads and end, and what
 * the sandbox's own last steps before execve need (the filter is loaded
 * ahead of the request: read, prlimit64 on itself, dup2, chdir). Files
 * open read-only; kill/tgkill only on the program itself (pid SELF_PID in
 * its pid namespace), so abort() and raise() still work; clone only as a
 * thread; clone3 answers ENOSYS so that glibc falls back to clone, whose
 * flags the filter can see; ioctl answers ENOTTY (isatty). A harmless call
 * fails as it would on a read-only machine without a network, never kills:
 * opening for writing and every call that changes a file or directory
 * answer EROFS, socket and socketpair EACCES.
 *
 * INTERP (python3, pypy3, the JVM): RUN plus what an interpreter needs to
 * import modules (directory listing, file writes inside the jail's /tmp,
 * polling, epoll); writes elsewhere fail in the read-only jail (EROFS).
 * fork/vfork/non-thread clone answer EPERM, so that os.system and
 * socket.connect fail as Python exceptions.
 *
 * COMPILE (gcc, g++, and validators): default allow with a deny list of calls
 * that reach kernel objects the namespaces do not separate or that change the
 * system. System V IPC and POSIX message queues answer ENOSYS, as on a kernel
 * built without them: their objects live in the IPC namespace, which the
 * zygote holds for the worker's lifetime, so a segment made by one run would
 * outlive it into the next (a fresh namespace per init would cost its setup
 * and teardown on every run, for a feature no compiler or validator needs).
 * RUN and INTERP never allow them (default deny).
 *
 * In RUN and INTERP execve is allowed only with the exact path pointer the
 * spawner uses (defence in depth: the jail also shows no other binaries in
 * RUN), and execveat is denied. Denied calls return SECCOMP_RET_USER_NOTIF:
 * the run's init receives the notification, names the call and kills the
 * program; the call never executes. Non-native architectures (i386, x32)
 * are killed by libseccomp's arch check. */
#include "sandbox_int.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/seccomp.h>
#include <seccomp.h>

/* Calls every C/C++ program may make. */
static const char *const run_allow[] = {
	"read", "write", "readv", "writev", "pread64", "pwrite64", "lseek", "close",
	"fstat", "newfstatat", "statx", "stat", "lstat",
	"brk", "mmap", "munmap", "mremap", "mprotect", "madvise",
	"arch_prctl", "set_tid_address", "set_robust_list", "get_robust_list", "rseq", "getrandom",
	"futex", "futex_waitv", "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "sigaltstack",
	"rt_sigsuspend", "rt_sigtimedwait", "pause",
	"clock_gettime", "clock_getres", "gettimeofday", "time", "nanosleep", "clock_nanosleep",
	"alarm", "getitimer", "setitimer", "times", "getrusage",
	"exit", "exit_group", "getpid", "gettid", "getppid", "getuid", "geteuid", "getgid", "getegid",
	"getresuid", "getresgid", "getpgrp", "getpgid", "getsid",
	"uname", "sched_yield", "sched_getaffinity", "sysinfo", "getcpu",
	"readlink", "readlinkat", "access", "faccessat", "faccessat2", "getcwd", "getdents64", "chdir",
	"dup", "dup2", "dup3", "pipe", "pipe2",
	"poll", "ppoll", "select", "pselect6", "membarrier",
	"getgroups", "fcntl", "getpriority", "sched_getparam", "sched_getscheduler", "sched_get_priority_max",
	"sched_get_priority_min", "statfs", "fstatfs", "umask", "fsync", "fdatasync", "fadvise64", "mincore",
	"msync",
};

/* Calls that change files: EROFS in RUN (its root and /box are read-only). */
static const char *const run_erofs[] = {
	"creat", "mkdir", "mkdirat", "rmdir", "unlink", "unlinkat", "rename", "renameat", "renameat2",
	"link", "linkat", "symlink", "symlinkat", "mknod", "mknodat", "chmod", "fchmod", "fchmodat",
	"chown", "fchown", "lchown", "fchownat", "truncate", "ftruncate", "utime", "utimes", "utimensat",
	"futimesat", "setxattr", "lsetxattr", "fsetxattr", "removexattr", "lremovexattr", "fremovexattr",
};

/* What an interpreter needs on top (directory work confined by the jail). */
static const char *const interp_allow[] = {
	"getdents", "fchdir", "ftruncate",
	"mkdir", "mkdirat", "rmdir", "unlink", "unlinkat", "rename", "renameat", "renameat2",
	"chmod", "fchmod", "fchmodat", "utimensat", "futimesat", "utime", "utimes",
	"epoll_create", "epoll_create1", "epoll_ctl", "epoll_wait", "epoll_pwait", "epoll_pwait2",
	"eventfd", "eventfd2", "prctl",
	"getxattr", "lgetxattr", "fgetxattr", "flistxattr", "listxattr", "llistxattr",
	"close_range", "copy_file_range", "sendfile", "splice", "tee",
};

/* Objects of the IPC namespace: ENOSYS in the compile profile. */
static const char *const ipc_calls[] = {
	"shmget", "shmat", "shmdt", "shmctl", "semget", "semop", "semtimedop", "semctl",
	"msgget", "msgsnd", "msgrcv", "msgctl",
	"mq_open", "mq_unlink", "mq_timedsend", "mq_timedreceive", "mq_notify", "mq_getsetattr",
};

/* The compile profile's deny list. */
static const char *const compile_deny[] = {
	"mount", "umount2", "pivot_root", "chroot", "move_mount", "open_tree", "fsopen", "fsconfig",
	"fsmount", "fspick", "mount_setattr",
	"ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd",
	"bpf", "perf_event_open", "userfaultfd", "io_uring_setup", "io_uring_enter", "io_uring_register",
	"keyctl", "add_key", "request_key",
	"unshare", "setns", "reboot", "kexec_load", "kexec_file_load",
	"init_module", "finit_module", "delete_module",
	"clock_settime", "clock_adjtime", "settimeofday", "adjtimex", "stime",
	"swapon", "swapoff", "acct", "quotactl", "quotactl_fd",
	"name_to_handle_at", "open_by_handle_at", "ioperm", "iopl", "modify_ldt",
	"syslog", "vhangup", "sysfs", "uselib", "personality", "lookup_dcookie", "nfsservctl",
	"fanotify_init", "setuid", "setgid", "setreuid", "setregid", "setresuid", "setresgid",
	"setfsuid", "setfsgid", "setgroups", "sethostname", "setdomainname", "execveat",
	"memfd_secret", "set_mempolicy", "mbind", "migrate_pages", "move_pages",
};

static int add_names(scmp_filter_ctx ctx, uint32_t action, const char *const *names, size_t n,
		char *msg, size_t msglen)
{
	for (size_t i = 0; i < n; i++) {
		int nr = seccomp_syscall_resolve_name(names[i]);
		if (nr == __NR_SCMP_ERROR)
			continue; /* not on this architecture (e.g. "stime" on x86_64) */
		int rc = seccomp_rule_add(ctx, action, nr, 0);
		if (rc < 0) {
			sbx_fmt(msg, msglen, "cannot add seccomp rule for '%s': %s", names[i], strerror(-rc));
			return rc;
		}
	}
	return 0;
}

/* ADD(ctx, action, syscall, count, comparisons...): the rule, or return. */
#define ADD(ctx, act, nr, ...) do { \
		int rc_ = seccomp_rule_add((ctx), (act), (nr), __VA_ARGS__); \
		if (rc_ < 0) { \
			sbx_fmt(msg, msglen, "cannot add seccomp rule for %s: %s", #nr, strerror(-rc_)); \
			return rc_; \
		} \
	} while (0)

/* The rules RUN and INTERP share beyond the plain allowlist. */
static int add_common_restricted(scmp_filter_ctx ctx, bool interp, const void *exec_path, int self_pid,
		char *msg, size_t msglen)
{
	const scmp_datum_t new_ns = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER |
		CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP;
	/* O_TMPFILE includes O_DIRECTORY: only its own bit, or opendir() would be refused */
	const scmp_datum_t write_flags = O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND | (O_TMPFILE & ~O_DIRECTORY);

	/* The spawner's execve, nothing else (see the top of the file). */
	ADD(ctx, SCMP_ACT_ALLOW, SCMP_SYS(execve), 1,
		SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)(uintptr_t)exec_path));
	/* Threads only: CLONE_THREAD set and no namespace flags. */
	ADD(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
		SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD | new_ns, CLONE_THREAD));
	if (interp) {
		ADD(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
			SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, 0));
		ADD(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(fork), 0);
		ADD(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(vfork), 0);
	}
	/* No network: as a machine without one (and no local sockets either). */
	ADD(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(socket), 0);
	ADD(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(socketpair), 0);
	ADD(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	/* ioctl is never executed: isatty() gets "not a terminal". */
	ADD(ctx, SCMP_ACT_ERRNO(ENOTTY), SCMP_SYS(ioctl), 0);
	/* Signals only to itself (abort, raise); never kill(-1) or other pids. */
	ADD(ctx, SCMP_ACT_ALLOW, SCMP_SYS(kill), 1, SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)self_pid));
	ADD(ctx, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1, SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)self_pid));
	/* Resource limits of itself only (glibc's getrlimit/setrlimit). */
	ADD(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prlimit64), 1, SCMP_A0(SCMP_CMP_EQ, 0));
	if (interp) {
		/* The jail confines writes: /box is read-only, /tmp is a small tmpfs. */
		ADD(ctx, SCMP_ACT_ALLOW, SCMP_SYS(open), 0);
		ADD(ctx, SCMP_ACT_ALLOW, SCMP_SYS(openat), 0);
		ADD(ctx, SCMP_ACT_ALLOW, SCMP_SYS(creat), 0);
	} else {
		ADD(ctx, SCMP_ACT_ALLOW, SCMP_SYS(open), 1, SCMP_A1(SCMP_CMP_MASKED_EQ, write_flags, O_RDONLY));
		ADD(ctx, SCMP_ACT_ALLOW, SCMP_SYS(openat), 1, SCMP_A2(SCMP_CMP_MASKED_EQ, write_flags, O_RDONLY));
		/* Any one write flag: EROFS (rules of one call OR together). */
		static const scmp_datum_t bits[] = { O_WRONLY, O_RDWR, O_CREAT, O_TRUNC, O_APPEND,
			O_TMPFILE & ~O_DIRECTORY };
		for (size_t i = 0; i < sizeof bits / sizeof *bits; i++) {
			ADD(ctx, SCMP_ACT_ERRNO(EROFS), SCMP_SYS(open), 1, SCMP_A1(SCMP_CMP_MASKED_EQ, bits[i], bits[i]));
			ADD(ctx, SCMP_ACT_ERRNO(EROFS), SCMP_SYS(openat), 1, SCMP_A2(SCMP_CMP_MASKED_EQ, bits[i], bits[i]));
		}
		int rc = add_names(ctx, SCMP_ACT_ERRNO(EROFS), run_erofs, sizeof run_erofs / sizeof *run_erofs, msg, msglen);
		if (rc < 0)
			return rc;
	}
	if (interp) {
		/* No file locks: they reach inodes shared across sandboxes (isolate 2.4). */
		ADD(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(flock), 0);
	}
	return 0;
}

static int build_one(enum sandbox_profile p, const void *exec_path, int self_pid, struct sbx_filter *out,
		char *msg, size_t msglen)
{
	scmp_filter_ctx ctx = seccomp_init(p == SANDBOX_COMPILE ? SCMP_ACT_ALLOW : SCMP_ACT_NOTIFY);
	int rc = 0, memfd = -1;

	if (!ctx) {
		sbx_fmt(msg, msglen, "cannot initialise libseccomp");
		return -ENOMEM;
	}
	/* A binary tree of syscall numbers instead of a linear list: the kernel
	 * runs the filter for every syscall number when it loads it (its allow
	 * cache), so a short path per number makes loading cheaper too. */
	if ((rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS)) < 0 ||
	    (rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0)) < 0 ||
	    (rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2)) < 0) {
		sbx_fmt(msg, msglen, "cannot set seccomp attributes: %s", strerror(-rc));
		goto out;
	}
	if (p == SANDBOX_COMPILE) {
		if ((rc = add_names(ctx, SCMP_ACT_NOTIFY, compile_deny, sizeof compile_deny / sizeof *compile_deny,
				msg, msglen)) < 0)
			goto out;
		/* clone with any namespace flag: one rule per flag, as rules OR together. */
		static const scmp_datum_t flags[] = { CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID,
			CLONE_NEWNET, CLONE_NEWCGROUP };
		for (size_t i = 0; i < sizeof flags / sizeof *flags; i++)
			ADD(ctx, SCMP_ACT_NOTIFY, SCMP_SYS(clone), 1, SCMP_A0(SCMP_CMP_MASKED_EQ, flags[i], flags[i]));
		ADD(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
		ADD(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(socket), 0);
		ADD(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(flock), 0);
		if ((rc = add_names(ctx, SCMP_ACT_ERRNO(ENOSYS), ipc_calls, sizeof ipc_calls / sizeof *ipc_calls,
				msg, msglen)) < 0)
			goto out;
	} else {
		if ((rc = add_names(ctx, SCMP_ACT_ALLOW, run_allow, sizeof run_allow / sizeof *run_allow,
				msg, msglen)) < 0)
			goto out;
		if (p == SANDBOX_INTERP &&
		    (rc = add_names(ctx, SCMP_ACT_ALLOW, interp_allow, sizeof interp_allow / sizeof *interp_allow,
				msg, msglen)) < 0)
			goto out;
		if ((rc = add_common_restricted(ctx, p == SANDBOX_INTERP, exec_path, self_pid, msg, msglen)) < 0)
			goto out;
	}

	memfd = memfd_create("seccomp-bpf", MFD_CLOEXEC);
	if (memfd < 0) {
		rc = -errno;
		sbx_fmt(msg, msglen, "cannot create memfd for seccomp export: %s", strerror(errno));
		goto out;
	}
	if ((rc = seccomp_export_bpf(ctx, memfd)) < 0) {
		sbx_fmt(msg, msglen, "cannot export seccomp filter: %s", strerror(-rc));
		goto out;
	}
	off_t size = lseek(memfd, 0, SEEK_END);
	if (size <= 0 || size % sizeof(struct sock_filter) || size / sizeof(struct sock_filter) > BPF_MAXINSNS) {
		rc = -EINVAL;
		sbx_fmt(msg, msglen, "seccomp filter has a bad size (%lld bytes)", (long long)size);
		goto out;
	}
	out->insns = malloc((size_t)size);
	if (!out->insns) {
		rc = -ENOMEM;
		sbx_fmt(msg, msglen, "out of memory");
		goto out;
	}
	if (pread(memfd, out->insns, (size_t)size, 0) != size) {
		rc = -EIO;
		sbx_fmt(msg, msglen, "cannot read back seccomp filter");
		free(out->insns);
		out->insns = NULL;
		goto out;
	}
	out->len = (unsigned short)(size / sizeof(struct sock_filter));
	rc = 0;
out:
	if (memfd >= 0)
		close(memfd);
	seccomp_release(ctx);
	return rc;
}

int sbx_seccomp_build(struct sbx_filter out[SBX_NPROFILES], const void *exec_path, int self_pid,
		char *msg, size_t msglen)
{
	memset(out, 0, sizeof(struct sbx_filter) * SBX_NPROFILES);
	for (int p = 0; p < SBX_NPROFILES; p++) {
		int rc = build_one((enum sandbox_profile)p, exec_path, self_pid, &out[p], msg, msglen);
		if (rc < 0) {
			sbx_seccomp_free(out);
			return rc;
		}
	}
	return 0;
}

void sbx_seccomp_free(struct sbx_filter f[SBX_NPROFILES])
{
	for (int p = 0; p < SBX_NPROFILES; p++) {
		free(f[p].insns);
		f[p].insns = NULL;
		f[p].len = 0;
	}
}

void sbx_seccomp_notify_to_kill(struct sbx_filter *f)
{
	for (unsigned i = 0; i < f->len; i++)
		if (f->insns[i].code == (BPF_RET | BPF_K) && f->insns[i].k == SECCOMP_RET_USER_NOTIF)
			f->insns[i].k = SECCOMP_RET_KILL_PROCESS;
}

void sbx_syscall_name(int nr, char *buf, size_t n)
{
	char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
	if (name)
		sbx_fmt(buf, n, "%s", name);
	else
		sbx_fmt(buf, n, "syscall_%d", nr);
	free(name);
}
