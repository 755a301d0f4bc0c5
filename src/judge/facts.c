/* Sandbox facts, from the sandbox and over the worker's channel. */
#include "facts.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

void facts_from_sandbox(struct judge_facts *f, const struct sandbox_info *si, int slot)
{
	memset(f, 0, sizeof *f);
	f->sandbox = true;
	f->root = si->root;
	f->pid1 = getpid() == 1;
	f->user_ns = si->user_ns;
	f->seccomp_notify = si->seccomp_notify;
	f->cgroup_memory = si->cgroup_memory;
	f->cgroup_pids = si->cgroup_pids;
	f->cgroup_cpu = si->cgroup_cpu;
	f->cgroup_version = si->cgroup_version;
	f->uid = si->uid;
	f->slot = slot;
	snprintf(f->cgroup_why, sizeof f->cgroup_why, "%s", si->cgroup_why);
}

json_t *facts_to_frame(const struct judge_facts *f)
{
	return json_pack("{s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:i, s:I, s:i, s:s}", "root", f->root, "user_ns",
			 f->user_ns, "seccomp_notify", f->seccomp_notify, "cgroup_memory", f->cgroup_memory,
			 "cgroup_pids", f->cgroup_pids, "cgroup_cpu", f->cgroup_cpu, "pid1", f->pid1,
			 "cgroup_version", f->cgroup_version, "uid", (json_int_t)f->uid, "slot", f->slot, "cgroup_why",
			 f->cgroup_why);
}

bool facts_from_frame(const json_t *j, struct judge_facts *f)
{
	memset(f, 0, sizeof *f);
	if (!json_is_object(j) || !json_is_boolean(json_object_get(j, "root")))
		return false;
	f->sandbox = true;
	f->root = json_is_true(json_object_get(j, "root"));
	f->user_ns = json_is_true(json_object_get(j, "user_ns"));
	f->seccomp_notify = json_is_true(json_object_get(j, "seccomp_notify"));
	f->cgroup_memory = json_is_true(json_object_get(j, "cgroup_memory"));
	f->cgroup_pids = json_is_true(json_object_get(j, "cgroup_pids"));
	f->cgroup_cpu = json_is_true(json_object_get(j, "cgroup_cpu"));
	f->pid1 = json_is_true(json_object_get(j, "pid1"));
	f->cgroup_version = (int)json_integer_value(json_object_get(j, "cgroup_version"));
	f->uid = (unsigned)json_integer_value(json_object_get(j, "uid"));
	f->slot = (int)json_integer_value(json_object_get(j, "slot"));
	const char *why = json_string_value(json_object_get(j, "cgroup_why"));
	snprintf(f->cgroup_why, sizeof f->cgroup_why, "%s", why ? why : "");
	return true;
}
