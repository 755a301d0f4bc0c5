/* How the judge says it is protected, against what this host really has:
 * `verdict doctor` (table and --json), as this user and, when root, as an
 * ordinary user (setpriv: a user namespace); GET /api/judge as admin (the
 * workers ready, the same protections, 401/403 for others), and a killed
 * worker shows in its state and restarts. The expectations come from the
 * host (geteuid, /proc/self/cgroup, the toolchains installed), never from
 * what verdict says. */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

static const char *const namespaces[] = {"pid_namespace", "mount_namespace", "net_namespace", "ipc_namespace",
					 "uts_namespace", NULL};
static const char *const always[] = {"seccomp_run", "seccomp_interp", "seccomp_compile", "no_new_privs", NULL};

/* The cgroup hierarchy this host gives a root verdict: 1 when a v1 memory
   controller is mounted (a "N:...memory...:/" line of /proc/self/cgroup), 2
   when only the unified one is. */
static int host_cgroup_version(void)
{
	FILE *f = fopen("/proc/self/cgroup", "r");
	ck_assert_ptr_nonnull(f);
	char line[512];
	int version = 2;
	while (fgets(line, sizeof line, f)) {
		char *a = strchr(line, ':'), *b = a ? strchr(a + 1, ':') : NULL;
		if (!a || !b)
			continue;
		*b = '\0';
		for (char *c = strtok(a + 1, ","); c; c = strtok(NULL, ","))
			if (strcmp(c, "memory") == 0)
				version = 1;
	}
	fclose(f);
	return version;
}

/* Whether this kernel lets an ordinary user make a user namespace. */
static bool host_userns(void)
{
	static const char *const knobs[] = {"/proc/sys/kernel/unprivileged_userns_clone",
					    "/proc/sys/user/max_user_namespaces"};
	for (int i = 0; i < 2; i++) {
		FILE *f = fopen(knobs[i], "r");
		long v = 1;
		if (f && fscanf(f, "%ld", &v) != 1)
			v = 1;
		if (f)
			fclose(f);
		if (v == 0)
			return false;
	}
	return true;
}

static json_t *member(const json_t *o, const char *name)
{
	json_t *m = json_object_get(o, name);
	ck_assert_msg(m != NULL, "no member '%s'", name);
	return m;
}

static bool active(const json_t *prot, const char *name)
{
	json_t *p = member(prot, name);
	ck_assert_msg(json_is_boolean(json_object_get(p, "active")) && json_is_boolean(json_object_get(p, "needed")) &&
			      json_string_length(json_object_get(p, "detail")) > 0,
		      "'%s' is not {active, needed, detail}", name);
	return json_is_true(json_object_get(p, "active"));
}

static bool needed(const json_t *prot, const char *name)
{
	return json_is_true(json_object_get(member(prot, name), "needed"));
}

/* The protections object against the host, for a judge that runs as root or not. */
static void check_protections(const json_t *prot, bool root)
{
	ck_assert(json_is_true(member(prot, "ok")));
	ck_assert(json_is_true(member(prot, "root")) == root);
	ck_assert(json_is_false(member(prot, "pid1")));
	for (int i = 0; namespaces[i]; i++)
		ck_assert_msg(active(prot, namespaces[i]) && needed(prot, namespaces[i]), "%s", namespaces[i]);
	for (int i = 0; always[i]; i++)
		ck_assert_msg(active(prot, always[i]), "%s", always[i]);
	long long uid = json_integer_value(member(prot, "uid"));
	/* Per-slot uids are root's; a user namespace is everyone else's. */
	ck_assert(active(prot, "per_slot_uid") == root && needed(prot, "per_slot_uid") == root);
	ck_assert(active(prot, "user_namespace") == !root && needed(prot, "user_namespace") == !root);
	ck_assert_msg(uid >= 60000 && uid < 61000, "uid %lld", uid);
	if (root) {
		char want[32];
		snprintf(want, sizeof want, "uid %lld", uid);
		ck_assert(strstr(json_string_value(json_object_get(member(prot, "per_slot_uid"), "detail")), want));
	}
	int version = (int)json_integer_value(member(prot, "cgroup_version"));
	bool memory = active(prot, "cgroup_memory"), cpu = active(prot, "cgroup_cpu");
	active(prot, "cgroup_pids");
	if (root && host_cgroup_version() == 1) {
		ck_assert_int_eq(version, 1);
		ck_assert(memory && cpu && active(prot, "cgroup_pids"));
	}
	if (!root && host_cgroup_version() == 1) /* v1 is never delegated to a user */
		ck_assert(!memory && !cpu && !active(prot, "cgroup_pids") && version == 0);
	if (host_cgroup_version() == 2)
		ck_assert_msg(version == 2 || (version == 0 && !memory), "cgroup v%d on a v2 host", version);
	/* The measures follow the controllers. */
	ck_assert_str_eq(json_string_value(member(prot, "memory_measure")), memory ? "cgroup" : "rlimit");
	ck_assert_str_eq(json_string_value(member(prot, "cpu_measure")), cpu ? "cgroup" : "rusage");
	active(prot, "seccomp_notify");
}

START_TEST(doctor_table_says_what_the_host_has)
{
	struct run_result r;
	static const char *const args[] = {"doctor", NULL};
	ck_assert_msg(test_run(&r, args, NULL, NULL) == 0, "exit %d: %s%s", r.status, r.out, r.err);
	bool root = geteuid() == 0;
	ck_assert(strstr(r.out, root ? "running as root" : "not running as root"));
	for (int i = 0; namespaces[i]; i++) {
		char line[64];
		snprintf(line, sizeof line, "  %-16s active ", namespaces[i]);
		ck_assert_msg(strstr(r.out, line), "no '%s' in:\n%s", line, r.out);
	}
	ck_assert(strstr(r.out, root ? "  per_slot_uid     active " : "  user_namespace   active "));
	ck_assert(strstr(r.out, root ? "  user_namespace   n/a " : "  per_slot_uid     n/a "));
	if (root && host_cgroup_version() == 1)
		ck_assert(strstr(r.out, "  cgroup_memory    active   cgroup v1") &&
			  strstr(r.out, "memory measured by the memory cgroup's peak"));
	ck_assert(strstr(r.out, "  probe            active   /bin/true ran"));
	/* The toolchains installed here, with their version line. */
	static const char *const tools[][2] = {{"/usr/bin/gcc", "gcc"}, {"/usr/bin/python3", "Python 3"}};
	for (int i = 0; i < 2; i++) {
		char want[64];
		snprintf(want, sizeof want, "%s  %s", tools[i][0], tools[i][1]);
		ck_assert_msg((strstr(r.out, want) != NULL) == (access(tools[i][0], X_OK) == 0), "'%s' in:\n%s", want,
			      r.out);
	}
	ck_assert(strstr(r.out, "judging is possible here\n"));
}
END_TEST

START_TEST(doctor_json_says_what_the_host_has)
{
	struct run_result r;
	static const char *const args[] = {"doctor", "--json", NULL};
	ck_assert_msg(test_run(&r, args, NULL, NULL) == 0, "exit %d: %s", r.status, r.err);
	json_error_t e;
	json_t *prot = json_loads(r.out, 0, &e);
	ck_assert_msg(prot != NULL, "not JSON: %s", r.out);
	check_protections(prot, geteuid() == 0);
	ck_assert(active(prot, "probe"));
	json_decref(prot);
}
END_TEST

/* Runs a copy of verdict as nobody (setpriv) with args; stdout into out. Returns the exit code. */
static int run_as_nobody(const char *const *args, char *out, size_t size)
{
	char dir[] = "/tmp/doctor-unpriv-XXXXXX", bin[96], cmd[512];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(chmod(dir, 0755), 0);
	snprintf(bin, sizeof bin, "%s/verdict", dir);
	snprintf(cmd, sizeof cmd, "cp '%s' '%s' && chmod 755 '%s'", test_verdict_bin(), bin, bin);
	ck_assert_int_eq(system(cmd), 0);
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		if (chdir(dir) != 0)
			_exit(126);
		const char *argv[16] = {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
					"--inh-caps=-all", "--", bin};
		int n = 7;
		for (int i = 0; args[i] && n < 15; i++)
			argv[n++] = args[i];
		argv[n] = NULL;
		execv("/usr/bin/setpriv", (char *const *)argv);
		_exit(127);
	}
	close(p[1]);
	size_t len = 0;
	ssize_t got;
	while (len < size - 1 && (got = read(p[0], out + len, size - 1 - len)) > 0)
		len += (size_t)got;
	out[len] = '\0';
	close(p[0]);
	int st;
	waitpid(pid, &st, 0);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

START_TEST(doctor_as_an_ordinary_user_sees_the_user_namespace)
{
	if (geteuid() != 0 || access("/usr/bin/setpriv", X_OK) != 0)
		return; /* already unprivileged: the tests above are that case */
	static char out[65536];
	static const char *const args[] = {"doctor", "--json", "--data", "/tmp/doctor-unpriv-data", NULL};
	int code = run_as_nobody(args, out, sizeof out);
	json_error_t e;
	json_t *prot = json_loads(out, 0, &e);
	ck_assert_msg(prot != NULL, "not JSON (exit %d): %s", code, out);
	if (!host_userns()) {
		/* No user namespaces for users here: no confinement, and it says so. */
		ck_assert_int_eq(code, 1);
		ck_assert(json_is_false(member(prot, "ok")) && !active(prot, "user_namespace"));
	} else {
		ck_assert_msg(code == 0, "exit %d: %s", code, out);
		check_protections(prot, false);
	}
	json_decref(prot);
	static const char *const table[] = {"doctor", "--data", "/tmp/doctor-unpriv-data", NULL};
	code = run_as_nobody(table, out, sizeof out);
	if (host_userns())
		ck_assert_msg(code == 0 && strstr(out, "  user_namespace   active ") && strstr(out, "not running as root"),
			      "exit %d:\n%s", code, out);
}
END_TEST

/* GET /api/judge once every worker is ready (or `seconds` have gone). */
static json_t *judge_when_ready(const struct server *s, int seconds)
{
	json_t *j = NULL;
	for (int i = 0; i < seconds * 20; i++) {
		json_decref(j);
		j = http_call(s, "GET", s->admin_token, 200, NULL, "/api/judge");
		json_t *workers = json_object_get(j, "workers");
		size_t k, ready = 0;
		json_t *w;
		json_array_foreach(workers, k, w)
			ready += strcmp(json_string_value(json_object_get(w, "state")), "ready") == 0;
		if (ready == json_array_size(workers) && json_is_object(json_object_get(j, "protections")))
			return j;
		usleep(50000);
	}
	return j;
}

static json_t *worker_of(const json_t *j, size_t index)
{
	json_t *w = json_array_get(json_object_get(j, "workers"), index);
	ck_assert_ptr_nonnull(w);
	return w;
}

START_TEST(api_judge_lists_protections_workers_and_toolchains)
{
	struct server srv;
	static const char *const extra[] = {"--workers", "2", NULL};
	server_start(&srv, extra);
	/* Admins only, as every admin endpoint. */
	expect_json_error(&srv, "GET", "/api/judge", NULL, NULL, 401, "unauthorized");
	char token[64];
	test_create_user(&srv, "plain", false, token, sizeof token);
	expect_json_error(&srv, "GET", "/api/judge", token, NULL, 403, "forbidden");

	json_t *j = judge_when_ready(&srv, 60);
	ck_assert_int_eq(json_array_size(json_object_get(j, "workers")), 2);
	json_t *prot = json_object_get(j, "protections");
	ck_assert_msg(json_is_object(prot), "no protections: %s", json_dumps(j, 0));
	check_protections(prot, geteuid() == 0);
	/* The same object `verdict doctor --json` prints, but for its probe. */
	struct run_result r;
	static const char *const args[] = {"doctor", "--json", NULL};
	ck_assert_int_eq(test_run(&r, args, NULL, NULL), 0);
	json_t *doc = json_loads(r.out, 0, NULL);
	ck_assert_ptr_nonnull(doc);
	json_object_del(doc, "probe");
	ck_assert_int_eq(json_object_size(doc), json_object_size(prot));
	const char *key;
	json_t *value;
	json_object_foreach(doc, key, value) {
		ck_assert_msg(json_object_get(prot, key), "no '%s' in GET /api/judge", key);
		if (strcmp(key, "uid") != 0 && strcmp(key, "per_slot_uid") != 0) /* another slot */
			ck_assert_msg(json_equal(value, json_object_get(prot, key)), "'%s' differs", key);
	}
	json_decref(doc);
	for (size_t i = 0; i < 2; i++) {
		json_t *w = worker_of(j, i);
		ck_assert_int_gt(json_integer_value(json_object_get(w, "pid")), 0);
		ck_assert_int_eq(json_integer_value(json_object_get(w, "restarts")), 0);
		ck_assert(json_is_null(json_object_get(w, "error")) && json_is_null(json_object_get(w, "last_end")));
	}
	bool gcc = false;
	size_t k;
	json_t *t;
	json_array_foreach(json_object_get(j, "toolchains"), k, t)
		if (strcmp(json_string_value(json_object_get(t, "path")), "/usr/bin/gcc") == 0)
			gcc = strncmp(json_string_value(json_object_get(t, "version")), "gcc", 3) == 0 &&
			      strcmp(json_string_value(json_object_get(t, "language")), "c") == 0;
	ck_assert(gcc == (access("/usr/bin/gcc", X_OK) == 0));
	/* The server logged the same at start. */
	ck_assert(test_log_count(&srv, "judge: protection (worker ") == 1);
	ck_assert(test_log_count(&srv, "judge: toolchains: ") == 1);
	ck_assert(test_log_count(&srv, geteuid() == 0 ? "not needed: user_namespace" : "active: user_namespace") == 1);

	/* A killed worker: restarted, and its end shows. */
	pid_t victim = (pid_t)json_integer_value(json_object_get(worker_of(j, 0), "pid"));
	ck_assert_int_eq(kill(victim, SIGKILL), 0);
	json_t *w = NULL;
	for (int i = 0; i < 600; i++) {
		json_decref(j);
		j = http_call(&srv, "GET", srv.admin_token, 200, NULL, "/api/judge");
		w = worker_of(j, 0);
		if (json_integer_value(json_object_get(w, "restarts")) == 1 &&
		    strcmp(json_string_value(json_object_get(w, "state")), "ready") == 0)
			break;
		usleep(50000);
	}
	ck_assert_msg(json_integer_value(json_object_get(w, "restarts")) == 1, "%s", json_dumps(w, 0));
	ck_assert_str_eq(json_string_value(json_object_get(w, "state")), "ready");
	ck_assert_int_ne(json_integer_value(json_object_get(w, "pid")), victim);
	ck_assert_msg(strstr(json_string_value(json_object_get(w, "last_end")), "signal 9"), "%s", json_dumps(w, 0));
	ck_assert_int_eq(json_integer_value(json_object_get(worker_of(j, 1), "restarts")), 0);
	json_decref(j);
	server_finish(&srv);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("doctor");
	TCase *tc = tcase_create("doctor");
	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, doctor_table_says_what_the_host_has);
	tcase_add_test(tc, doctor_json_says_what_the_host_has);
	tcase_add_test(tc, doctor_as_an_ordinary_user_sees_the_user_namespace);
	tcase_add_test(tc, api_judge_lists_protections_workers_and_toolchains);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
