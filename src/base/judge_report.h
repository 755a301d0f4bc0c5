/* What the judge says of itself: how its sandboxes are protected (the facts
 * a sandbox reports, and how the process runs), its workers and their state,
 * and the toolchains found. Plain data: the judge fills it from its workers'
 * reports, `verdict doctor` from a sandbox of its own; views/judge.c writes it
 * as JSON, and judge_protection_list gives the same facts as one line per
 * protection for the doctor's table and the server's log. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

/* How one sandbox is protected (sandbox_get_info's facts, in plain words). */
struct judge_facts {
	bool sandbox;          /* a sandbox was made: its namespaces, filters and no_new_privs exist */
	bool root;             /* the judge runs as root (per-slot uids, no user namespace) */
	bool pid1;             /* the judge (the server, or the doctor) is pid 1 */
	bool user_ns;          /* runs are in a user namespace */
	bool seccomp_notify;   /* denied calls are reported by name */
	bool cgroup_memory, cgroup_pids, cgroup_cpu;
	int cgroup_version;    /* 1, 2, or 0 when no cgroup is used */
	unsigned uid;          /* the uid a program runs as (inside its namespace) */
	int slot;              /* the slot the facts were taken with */
	char cgroup_why[160];  /* why a cgroup controller is missing, or "" */
	bool probe_ran;        /* `verdict doctor`: a probe program was run in the sandbox */
	bool probe_ok;         /* ... and ended as it should */
	char probe[200];       /* what it did */
};

/* One protection: a stable snake_case name, whether it applies here (a user
   namespace does not for root, per-slot uids do not without it), whether it is
   active, and one line saying how. */
struct judge_protection {
	const char *name;
	bool needed;
	bool active;
	char detail[200];
};

#define JUDGE_PROTECTIONS_MAX 20

/* Fills out[] (JUDGE_PROTECTIONS_MAX entries) from f; returns how many. */
size_t judge_protection_list(const struct judge_facts *f, struct judge_protection *out);
/* How memory and CPU time are measured: "cgroup" or "rlimit" (RLIMIT_AS and
   ru_maxrss), "cgroup" or "rusage". */
const char *judge_memory_measure(const struct judge_facts *f);
const char *judge_cpu_measure(const struct judge_facts *f);
/* Whether judging is possible: a sandbox was made (as root, or in a user
   namespace) and, when a probe ran, it worked. */
bool judge_facts_ok(const struct judge_facts *f);
/* One line for a log: root, pid 1, uid, measures, then the protections
   active, MISSING (with why) and not needed. malloc'd. */
char *judge_facts_summary(const struct judge_facts *f);

enum judge_worker_state { JUDGE_WORKER_STARTING, JUDGE_WORKER_READY, JUDGE_WORKER_BUSY, JUDGE_WORKER_FAILED };
/* "starting", "ready", "busy", "failed". */
const char *judge_worker_state_name(enum judge_worker_state st);

struct judge_worker_report {
	int slot;
	int pid;                    /* 0 when it has no process */
	enum judge_worker_state state;
	int restarts;               /* processes of this slot that ended (and were replaced) */
	char error[256];            /* failed: why; else "" */
	char last_end[256];         /* how its previous process ended ("exited (signal 9 (Killed))"), or "" */
};

struct judge_toolchain {
	char language[32];          /* its id: "c" */
	char name[64];              /* "C17 (gcc 12)" */
	char path[256];             /* the compiler or interpreter: "/usr/bin/gcc" */
	char version[160];          /* the first line of its --version, or "" */
};

struct judge_report {
	bool have_facts;            /* a worker has reported its sandbox (false before any is ready) */
	struct judge_facts facts;
	struct judge_worker_report *workers;
	size_t worker_count;
	struct judge_toolchain *toolchains;
	size_t toolchain_count;
};
void judge_report_release(struct judge_report *r);
