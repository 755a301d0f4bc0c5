/* The protections a sandbox's facts make, one line each. */
#include "judge_report.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static struct judge_protection *add(struct judge_protection *out, size_t *n, const char *name, bool needed,
				    bool active, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static struct judge_protection *add(struct judge_protection *out, size_t *n, const char *name, bool needed,
				    bool active, const char *fmt, ...)
{
	struct judge_protection *p = &out[(*n)++];
	p->name = name;
	p->needed = needed;
	p->active = active;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->detail, sizeof p->detail, fmt, ap);
	va_end(ap);
	return p;
}

static const char *cgroup_missing(const struct judge_facts *f)
{
	return f->cgroup_why[0] ? f->cgroup_why : f->sandbox ? "not available" : "no sandbox";
}

size_t judge_protection_list(const struct judge_facts *f, struct judge_protection *out)
{
	size_t n = 0;
	bool sb = f->sandbox;
	const char *none = "no sandbox could be made";
	if (f->root)
		add(out, &n, "user_namespace", false, sb && f->user_ns, "not needed: running as root, runs use per-slot uids");
	else
		add(out, &n, "user_namespace", true, sb && f->user_ns, "%s",
		    sb && f->user_ns ? "runs are in a user namespace that maps this user to one uid" : none);
	static const char *const ns[][2] = {
		{"pid_namespace", "each run is pid 1's child in a fresh pid namespace"},
		{"mount_namespace", "each run has its own root of read-only trees, /box and a small /tmp"},
		{"net_namespace", "no network: an empty net namespace with only a down lo"},
		{"ipc_namespace", "a private ipc namespace"},
		{"uts_namespace", "a private uts namespace"},
	};
	for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++)
		add(out, &n, ns[i][0], true, sb, "%s", sb ? ns[i][1] : none);
	add(out, &n, "seccomp_run", true, sb, "%s",
	    sb ? "compiled programs: default-deny allowlist, no fork, no exec" : none);
	add(out, &n, "seccomp_interp", true, sb, "%s",
	    sb ? "interpreters: wider allowlist, still no fork, no network, no second exec" : none);
	add(out, &n, "seccomp_compile", true, sb, "%s",
	    sb ? "compilers: fork and exec allowed, dangerous calls denied" : none);
	add(out, &n, "seccomp_notify", true, sb && f->seccomp_notify, "%s",
	    sb && f->seccomp_notify ? "a denied call is reported by name (seccomp user notification)"
				    : "a denied call kills the program with SIGSYS; its name is not known");
	const char *v = f->cgroup_version == 2 ? "cgroup v2" : "cgroup v1";
	add(out, &n, "cgroup_memory", true, f->cgroup_memory, "%s%s",
	    f->cgroup_memory ? v : cgroup_missing(f),
	    f->cgroup_memory ? ": memory limit and peak from the run's cgroup" : "; RLIMIT_AS and ru_maxrss instead");
	add(out, &n, "cgroup_pids", true, f->cgroup_pids, "%s%s", f->cgroup_pids ? v : cgroup_missing(f),
	    f->cgroup_pids ? ": processes limited by pids.max" : "; RLIMIT_NPROC and the filters instead");
	add(out, &n, "cgroup_cpu", true, f->cgroup_cpu, "%s%s", f->cgroup_cpu ? v : cgroup_missing(f),
	    f->cgroup_cpu ? ": CPU time of every process of a run from its cgroup" : "; rusage and /proc instead");
	if (f->root)
		add(out, &n, "per_slot_uid", true, sb, "runs as uid %u (60000 + slot %d)", f->uid, f->slot);
	else
		add(out, &n, "per_slot_uid", false, false, "not possible without root: runs as uid %u of the user namespace",
		    f->uid);
	add(out, &n, "no_new_privs", true, sb, "%s",
	    sb ? "set on every program, with no capabilities and an empty bounding set" : none);
	if (f->probe_ran)
		add(out, &n, "probe", true, f->probe_ok, "%s", f->probe);
	return n;
}

const char *judge_memory_measure(const struct judge_facts *f)
{
	return f->cgroup_memory ? "cgroup" : "rlimit";
}

const char *judge_cpu_measure(const struct judge_facts *f)
{
	return f->cgroup_cpu ? "cgroup" : "rusage";
}

bool judge_facts_ok(const struct judge_facts *f)
{
	return f->sandbox && (f->root || f->user_ns) && (!f->probe_ran || f->probe_ok);
}

const char *judge_worker_state_name(enum judge_worker_state st)
{
	static const char *const names[] = {"starting", "ready", "busy", "failed"};
	return (unsigned)st < sizeof names / sizeof names[0] ? names[st] : "unknown";
}

void judge_report_release(struct judge_report *r)
{
	free(r->workers);
	free(r->toolchains);
	memset(r, 0, sizeof *r);
}

char *judge_facts_summary(const struct judge_facts *f)
{
	struct judge_protection list[JUDGE_PROTECTIONS_MAX];
	size_t n = judge_protection_list(f, list);
	struct buf b;
	buf_init(&b);
	buf_printf(&b, "%s, %s; uid %u; memory measured by %s, CPU by %s; %s", f->root ? "root" : "not root",
		   f->pid1 ? "pid 1" : "not pid 1", f->uid, judge_memory_measure(f), judge_cpu_measure(f),
		   f->cgroup_version == 2 ? "cgroup v2" : f->cgroup_version == 1 ? "cgroup v1" : "no cgroup");
	const char *heads[] = {"; active:", "; MISSING:", "; not needed:"};
	for (int kind = 0; kind < 3; kind++) {
		bool first = true;
		for (size_t i = 0; i < n; i++) {
			const struct judge_protection *p = &list[i];
			int k = !p->needed ? 2 : p->active ? 0 : 1;
			if (k != kind)
				continue;
			buf_printf(&b, "%s %s", first ? heads[kind] : ",", p->name);
			if (kind == 1)
				buf_printf(&b, " (%s)", p->detail);
			first = false;
		}
	}
	char *text = buf_detach(&b, NULL);
	buf_release(&b);
	return text;
}
