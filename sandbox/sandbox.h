/* sandbox: runs one untrusted command (a submission, an interpreter or a
 * compiler) under namespaces, a seccomp filter and resource limits, and says
 * what happened. Knows nothing of HTTP, SQLite or verdicts beyond
 * enum sandbox_status.
 *
 * Errors: sandbox_new returns NULL with a malloc'd message; sandbox_run
 * returns 0 when it has a result (whatever the program did) and negative
 * errno when the sandbox itself could not run the command (the result then
 * says SANDBOX_ERROR). A SANDBOX_ERROR is never the program's fault.
 *
 * Threads: one struct sandbox belongs to one thread of one process. Create it
 * from the main thread of a small, single-threaded process (a judge worker):
 * sandbox_new forks a helper that dies with that thread.
 *
 * Processes: the helper keeps a few processes ready ahead of time (per
 * profile: an init in fresh pid and mount namespaces and the program-to-be,
 * already confined, waiting for its command), so each run costs little more
 * than an execve. As root they use uid 60000+slot; give every worker its
 * own slot (the uid, cgroup and directory names derive from it). See
 * README.md here for what the sandbox owns and must not use, its files, and
 * the theory of operation. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

struct sandbox; /* one per worker process; opaque */

struct sandbox_config {
	int slot;                     /* worker slot 0..N-1: per-slot uid 60000+slot (as root), per-slot names */
	const char *const *ro_paths;  /* host paths bind-mounted read-only at the same place for compile and
	                                 interpreter runs; NULL = SANDBOX_DEFAULT_RO_PATHS. A symlink is recreated
	                                 as the same symlink; a missing path is skipped with a log line */
	const char *work_root;        /* host dir for the helper's private mount point (an empty dir is made and
	                                 removed there); NULL = $XDG_RUNTIME_DIR, else /tmp */
	void (*log)(void *ctx, const char *line); /* one line, no newline; NULL = "sandbox: ..." on stderr */
	void *log_ctx;
};

/* The default ro_paths: what gcc, g++ and python3 of Debian 12 need. */
#define SANDBOX_DEFAULT_RO_PATHS \
	{ "/usr", "/lib", "/lib64", "/bin", "/etc/alternatives", NULL }

/* Creates the sandbox for this process: compiles the seccomp filters, sets
 * up the slot's cgroups (when root) and forks the helper ("zygote") that
 * holds the namespaces and the read-only root trees. Call it early, before
 * allocating much (ru_maxrss of a run starts at the helper's size when no
 * cgroup measures memory). Returns NULL and sets *err (malloc'd, caller
 * frees) when no confinement at all is possible (no root and no user
 * namespaces). Logs once, loudly, every protection that is unavailable. */
struct sandbox *sandbox_new(const struct sandbox_config *cfg, char **err);
/* Ends the helper and its waiting processes, waits for them and the last
 * run to be gone, removes the cgroups and the mount point. Accepts NULL. */
void sandbox_free(struct sandbox *sb);

enum sandbox_profile {
	SANDBOX_RUN,     /* compiled C/C++ program (static): strict default-deny allowlist, no fork/exec,
	                    empty root (only /box and /tmp) */
	SANDBOX_INTERP,  /* interpreter such as python3: wider allowlist (still no fork, no network, no second
	                    execve), root of ro_paths */
	SANDBOX_COMPILE, /* compilers: fork/exec allowed, deny-list of dangerous calls, root of ro_paths */
};

/* Zero means "no limit" for cpu_ms, wall_ms, memory_kb and output_kb (set
 * them); stderr_kb 0 keeps no stderr; processes 0 means 1; open_files 0
 * means 64; file_kb 0 means no file may grow (/tmp is then 64 KiB). */
struct sandbox_limits {
	uint64_t cpu_ms;     /* CPU time, user+system, all threads (and, as root, all processes) */
	uint64_t wall_ms;    /* wall clock */
	uint64_t memory_kb;  /* peak memory limit */
	uint64_t stack_kb;   /* 0 = memory_kb */
	uint64_t output_kb;  /* stdout bytes allowed; one more byte = SANDBOX_OUTPUT, the run is killed */
	uint64_t stderr_kb;  /* stderr bytes kept; the rest is drained and discarded, not an error */
	uint32_t processes;  /* processes+threads allowed (RUN/INTERP: threads only, no fork) */
	uint64_t file_kb;    /* largest file the program may write (RLIMIT_FSIZE), and the size of its
	                        /tmp (minimum 64 KiB) */
	uint32_t open_files; /* RLIMIT_NOFILE, stdin/stdout/stderr included */
	bool no_address_limit; /* no RLIMIT_AS safety net where no memory cgroup measures (a JVM reserves
	                          gigabytes it never uses): only the resident size counts */
	uint64_t box_kb;     /* writable box only: the most it may hold. /box is then a tmpfs of this size
	                        with the box dir's files copied in; after the run its regular files and
	                        directories are copied back (never a FIFO, symlink or device), and
	                        result.box_full says whether it filled up. 0 = box_dir itself, unbounded */
};

struct sandbox_spec {
	enum sandbox_profile profile;
	const char *const *argv; /* argv[0]: absolute path as seen inside the sandbox ("/box/prog", "/usr/bin/python3") */
	const char *const *env;  /* the complete environment (nothing of the caller's leaks in); NULL = empty */
	const char *box_dir;     /* host directory shown at /box (the cwd); read-only unless box_writable.
	                            As root, sandbox_run makes the directory itself (not its content) owned by
	                            the slot uid, so that the program can enter it (and write, if writable) */
	bool box_writable;       /* compile: true (outputs land in box_dir on the host) */
	int stdin_fd;            /* -1 = empty input */
	int stdout_fd;           /* where capped stdout is written (a file or memfd of the caller) */
	int stderr_fd;           /* where capped stderr is written; -1 = discard */
	struct sandbox_limits limits;
};

enum sandbox_status {
	SANDBOX_OK,       /* exited 0 */
	SANDBOX_EXITED,   /* exited non-zero (exit_code) */
	SANDBOX_SIGNALED, /* killed by a signal (signal) */
	SANDBOX_TIME,     /* CPU limit */
	SANDBOX_WALL,     /* wall limit */
	SANDBOX_MEMORY,   /* memory limit (also when it showed as a failed allocation / crash near the limit) */
	SANDBOX_OUTPUT,   /* stdout over output_kb, or file size limit */
	SANDBOX_SYSCALL,  /* a forbidden system call (syscall holds its name) */
	SANDBOX_ERROR,    /* the sandbox itself failed, or argv[0] does not exist: never the program's fault */
	SANDBOX_EXEC_FAILED, /* argv[0] exists but the kernel would not execute it (exec_errno): not
	                        executable (EACCES: mode, a directory, a FIFO), not a known format (ENOEXEC),
	                        its ELF or #! interpreter is missing from this profile's root (ENOENT),
	                        ELIBBAD, E2BIG, ENOMEM... The file's fault, so whoever supplied it: the
	                        caller decides (a judge: RTE when argv[0] is what a submission's compile
	                        made, JE when it is the judge's own compiler, interpreter or validator) */
};

struct sandbox_result {
	enum sandbox_status status;
	int exit_code, signal;
	uint64_t cpu_ms, wall_ms, memory_kb, output_bytes;
	uint64_t cpu_us;      /* the same CPU time in microseconds */
	uint64_t ended_us;    /* from the start of the run (of a pair: the same start for both) to the
	                         program's end (its exit, or the kill), as its init saw it */
	int closed_order;     /* of a pair: 1 if this program's stdout closed (its end, a kill, a close)
	                         before the other's, 2 if after; exact (the kernel's order, not a
	                         clock). 0 if unknown (sandbox_run; a side that did not start) */
	char syscall[32];     /* SANDBOX_SYSCALL: the call's name ("socket"), "unknown" if not known */
	int exec_errno;       /* SANDBOX_EXEC_FAILED: execve's errno */
	bool box_full;        /* a bounded writable box (box_kb) was full at the end: writes failed */
	char message[256];    /* one line for the judge log: what happened, which measure was used */
};

/* Runs one command and waits for it; returns 0 with *res filled (whatever
 * the program did), or negative errno if the sandbox could not even try
 * (res->status = SANDBOX_ERROR and res->message filled in either case).
 * When it returns, the program and every process it started are dead and
 * reaped; the run's own init may still be finishing its exit (sandbox_free
 * waits for those; at most four are pending at a time). stdout_fd and stderr_fd should be files
 * or memfds: a pipe nobody reads would stall the supervisor. */
int sandbox_run(struct sandbox *sb, const struct sandbox_spec *spec, struct sandbox_result *res);

/* Runs two commands at once, connected by two pipes: a's stdout is b's
 * stdin and b's stdout is a's stdin (an interactive problem: the submission
 * and the interactor). Each has its own confined run with its own limits
 * (CPU, wall, memory, processes) and its own result; both start at one
 * moment; closed_order says whose output closed first. The specs' stdin_fd and
 * stdout_fd are ignored, and output_kb too (a flood fills the pipe and blocks
 * the writer until the reader reads, ends or is killed); stderr is kept as in
 * sandbox_run. When one program ends, its ends of the pipes close (with
 * everything it started): the other reads EOF, and a write gets EPIPE
 * (SIGPIPE). Neither can deadlock the caller: each wall limit holds. If one
 * run fails in the sandbox (SANDBOX_ERROR), the other is killed and says
 * SANDBOX_ERROR too. Returns 0 when both have a result, else the negative
 * errno of the first that failed (as sandbox_run); both results are always
 * filled. Uses one sandbox: the two runs take two waiting inits. */
int sandbox_run_pair(struct sandbox *sb, const struct sandbox_spec *a, const struct sandbox_spec *b,
		struct sandbox_result *ra, struct sandbox_result *rb);

/* "OK", "EXITED", "SIGNALED", "TIME", "WALL", "MEMORY", "OUTPUT", "SYSCALL", "ERROR", "EXEC_FAILED". */
const char *sandbox_status_name(enum sandbox_status st);

/* Which protections this sandbox has, for logs and tests. */
struct sandbox_info {
	bool root;           /* per-slot uid, no user namespace */
	bool user_ns;        /* runs in a user namespace (not root) */
	bool cgroup_memory;  /* memory limit/peak from the memory cgroup (else RLIMIT_AS + ru_maxrss) */
	bool cgroup_pids;    /* pids.max (else RLIMIT_NPROC + seccomp) */
	bool cgroup_cpu;     /* cpuacct usage (else rusage and /proc/PID/stat) */
	bool seccomp_notify; /* denied calls are reported by name (else killed as SIGSYS, name unknown) */
	unsigned uid;        /* uid of the program inside the sandbox */
	int cgroup_version;  /* the hierarchy the cgroup_* above come from: 1, 2, or 0 when none is used */
	char cgroup_why[160]; /* when a cgroup_* is false: why (one line), else "" */
};
void sandbox_get_info(const struct sandbox *sb, struct sandbox_info *info);
