/* GET /api/judge and `verdict doctor --json`: how the judge is protected, its
 * workers and its toolchains. */
#include "views.h"

static json_t *string_or_null(const char *s)
{
	return s[0] ? json_string(s) : json_null();
}

json_t *view_protections(const struct judge_facts *f)
{
	json_t *o = json_pack("{s:b, s:b, s:b, s:I, s:i, s:s, s:s}", "ok", judge_facts_ok(f), "root", f->root, "pid1",
			      f->pid1, "uid", (json_int_t)f->uid, "cgroup_version", f->cgroup_version,
			      "memory_measure", judge_memory_measure(f), "cpu_measure", judge_cpu_measure(f));
	struct judge_protection list[JUDGE_PROTECTIONS_MAX];
	size_t n = judge_protection_list(f, list);
	for (size_t i = 0; i < n; i++)
		json_object_set_new(o, list[i].name, json_pack("{s:b, s:b, s:s}", "active", list[i].active, "needed",
							       list[i].needed, "detail", list[i].detail));
	return o;
}

json_t *view_judge(const struct judge_report *r)
{
	json_t *workers = json_array(), *tools = json_array();
	for (size_t i = 0; i < r->worker_count; i++) {
		const struct judge_worker_report *w = &r->workers[i];
		json_array_append_new(workers,
				      json_pack("{s:i, s:o, s:s, s:i, s:o, s:o}", "slot", w->slot, "pid",
						w->pid ? json_integer(w->pid) : json_null(), "state",
						judge_worker_state_name(w->state), "restarts", w->restarts, "error",
						string_or_null(w->error), "last_end", string_or_null(w->last_end)));
	}
	for (size_t i = 0; i < r->toolchain_count; i++) {
		const struct judge_toolchain *t = &r->toolchains[i];
		json_array_append_new(tools, json_pack("{s:s, s:s, s:s, s:o}", "language", t->language, "name", t->name,
						       "path", t->path, "version", string_or_null(t->version)));
	}
	return json_pack("{s:o, s:o, s:o}", "protections", r->have_facts ? view_protections(&r->facts) : json_null(),
			 "workers", workers, "toolchains", tools);
}
