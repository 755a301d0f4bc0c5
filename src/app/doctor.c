/* `verdict doctor`. This is a small single-threaded process, as a worker is:
 * it may make a sandbox of its own, in a slot of its own (slots.h), so that
 * its uid and cgroups are no running worker's. */
#include "doctor.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "config.h"
#include "facts.h"
#include "judge_report.h"
#include "languages.h"
#include "log.h"
#include "sandbox.h"
#include "slots.h"
#include "util.h"
#include "views.h"

#define PROBE "/bin/true"

static void sandbox_log(void *ctx, const char *line)
{
	(void)ctx;
	fprintf(stderr, "verdict doctor: sandbox: %s\n", line);
}

/* Runs PROBE in the interpreter profile and says how it went in f. */
static void probe(struct sandbox *sb, struct judge_facts *f)
{
	f->probe_ran = true;
	char box[] = "/tmp/verdict-doctor-XXXXXX";
	int out = memfd_create("doctor-out", MFD_CLOEXEC);
	if (!mkdtemp(box) || out < 0) {
		snprintf(f->probe, sizeof f->probe, "cannot make the probe's box: %s", strerror(errno));
		if (out >= 0)
			close(out);
		return;
	}
	static const char *const argv[] = {PROBE, NULL};
	static const char *const env[] = {"PATH=/usr/bin:/bin", NULL};
	struct sandbox_spec spec = {
		.profile = SANDBOX_INTERP,
		.argv = argv,
		.env = env,
		.box_dir = box,
		.stdin_fd = -1,
		.stdout_fd = out,
		.stderr_fd = -1,
		.limits = {.cpu_ms = 2000, .wall_ms = 5000, .memory_kb = 256 * 1024, .output_kb = 64},
	};
	struct sandbox_result r;
	int rc = sandbox_run(sb, &spec, &r);
	f->probe_ok = rc == 0 && r.status == SANDBOX_OK;
	if (f->probe_ok)
		snprintf(f->probe, sizeof f->probe, "%s ran in the interpreter sandbox: exit 0, %llu ms wall", PROBE,
			 (unsigned long long)r.wall_ms);
	else
		snprintf(f->probe, sizeof f->probe, "%s in the interpreter sandbox: %s: %.120s", PROBE,
			 sandbox_status_name(r.status), r.message);
	close(out);
	remove_tree(box);
}

static void print_table(const struct judge_facts *f, const char *no_sandbox, const struct judge_toolchain *tools,
			size_t ntools)
{
	printf("verdict doctor: how a submission is confined on this host\n");
	if (no_sandbox)
		printf("no sandbox: %s\n", no_sandbox);
	printf("%s, %s; programs run as uid %u%s\n", f->root ? "running as root" : "not running as root",
	       f->pid1 ? "as pid 1" : "not as pid 1", f->uid, f->root ? " (per-slot uid)" : " (user namespace)");
	printf("memory measured by %s, CPU time by %s; cgroup %s\n",
	       f->cgroup_memory ? "the memory cgroup's peak" : "RLIMIT_AS and ru_maxrss",
	       f->cgroup_cpu ? "the cgroup" : "rusage",
	       f->cgroup_version ? (f->cgroup_version == 2 ? "v2" : "v1") : "not used");
	struct judge_protection list[JUDGE_PROTECTIONS_MAX];
	size_t n = judge_protection_list(f, list);
	for (size_t i = 0; i < n; i++)
		printf("  %-16s %-8s %s\n", list[i].name, !list[i].needed ? "n/a" : list[i].active ? "active" : "MISSING",
		       list[i].detail);
	printf("toolchains:%s\n", ntools ? "" : " none found");
	for (size_t i = 0; i < ntools; i++)
		printf("  %-16s %s%s%s\n", tools[i].language, tools[i].path, tools[i].version[0] ? "  " : "",
		       tools[i].version);
	printf("%s\n", judge_facts_ok(f) ? "judging is possible here" : "judging is NOT possible here");
}

int doctor_run(const struct config *cfg, bool json)
{
	struct judge_facts f = {.root = geteuid() == 0, .pid1 = getpid() == 1};
	char *err = NULL;
	int slot = -1, slot_fd = -1;
	struct sandbox *sb = NULL;
	if (slots_take(1, &slot, &slot_fd) != 0) {
		err = xasprintf("no free judge slot (/tmp/verdict-slot-N.lock): too many verdict processes");
	} else {
		struct sandbox_config scfg = {.slot = slot, .log = sandbox_log};
		sb = sandbox_new(&scfg, &err);
	}
	if (sb) {
		struct sandbox_info info;
		sandbox_get_info(sb, &info);
		facts_from_sandbox(&f, &info, slot);
		probe(sb, &f);
		sandbox_free(sb);
	}
	slots_give(&slot_fd, 1);
	int code = judge_facts_ok(&f) ? 0 : 1;
	if (json) {
		json_t *o = view_protections(&f);
		if (err)
			json_object_set_new(o, "error", json_string(err));
		char *text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		printf("%s\n", text);
		free(text);
		json_decref(o);
	} else {
		char *lerr = NULL;
		struct languages *ls = languages_load(cfg->languages_file, &lerr);
		size_t ntools = 0;
		struct judge_toolchain *tools = ls ? languages_toolchains(ls, &ntools) : NULL;
		if (!ls)
			fprintf(stderr, "verdict doctor: %s\n", lerr);
		print_table(&f, err, tools, ntools);
		free(tools);
		free(lerr);
		languages_free(ls);
	}
	free(err);
	return code;
}
