/* Language definitions: built-ins and a JSON language file. */
#include "languages.h"

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

struct languages {
	struct language *items;
	size_t count;
	char *ids;
};

static char **strv_copy(const char *const *v)
{
	size_t n = 0;
	while (v[n])
		n++;
	char **out = xcalloc(n + 1, sizeof *out);
	for (size_t i = 0; i < n; i++)
		out[i] = xstrdup(v[i]);
	return out;
}

static void strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

static void language_release(struct language *l)
{
	free(l->id);
	free(l->name);
	free(l->source);
	strv_free(l->extensions);
	strv_free(l->compile);
	strv_free(l->run);
}

/* "gcc 12" from /usr/bin/gcc -> x86_64-linux-gnu-gcc-12; "3.11" from python3 -> python3.11. */
static char *tool_version(const char *path, char sep)
{
	char real[PATH_MAX];
	if (!realpath(path, real))
		return NULL;
	const char *v = strrchr(real, sep);
	return v && v[1] >= '0' && v[1] <= '9' ? xstrdup(v + 1) : NULL;
}

static void add(struct languages *ls, struct language *l)
{
	for (size_t i = 0; i < ls->count; i++)
		if (strcmp(ls->items[i].id, l->id) == 0) {
			language_release(&ls->items[i]);
			ls->items[i] = *l;
			return;
		}
	ls->items = xrealloc(ls->items, (ls->count + 1) * sizeof *ls->items);
	ls->items[ls->count++] = *l;
}

static void add_builtins(struct languages *ls)
{
	char *gcc = tool_version("/usr/bin/gcc", '-');
	char *gxx = tool_version("/usr/bin/g++", '-');
	char *py = tool_version("/usr/bin/python3", 'n');
	/* C and C++ are linked statically, so the run sandbox needs no libraries. */
	static const char *const c_compile[] = {"/usr/bin/gcc", "-std=gnu17", "-O2", "-pipe", "-static", "-s",
						"-o", "main", "main.c", "-lm", NULL};
	static const char *const cpp_compile[] = {"/usr/bin/g++", "-std=gnu++17", "-O2", "-pipe", "-static", "-s",
						  "-o", "main", "main.cpp", NULL};
	static const char *const native_run[] = {"/box/main", NULL};
	/* Byte-compiling first turns a syntax error into a compile error. */
	static const char *const py_compile[] = {"/usr/bin/python3", "-I", "-S", "-c",
						 "import py_compile; py_compile.compile('main.py', cfile='main.pyc', doraise=True)",
						 NULL};
	static const char *const py_run[] = {"/usr/bin/python3", "-I", "main.pyc", NULL};
	static const char *const c_ext[] = {"c", NULL}, *const cpp_ext[] = {"cpp", "cc", "cxx", NULL},
				 *const py_ext[] = {"py", NULL};
	struct language c = {xstrdup("c"), gcc ? xasprintf("C17 (gcc %s)", gcc) : xstrdup("C17 (gcc)"),
			     strv_copy(c_ext), xstrdup("main.c"), strv_copy(c_compile), strv_copy(native_run), false,
			     LANGUAGE_COMPILE_OUTPUT_MB};
	struct language cpp = {xstrdup("cpp"), gxx ? xasprintf("C++17 (g++ %s)", gxx) : xstrdup("C++17 (g++)"),
			       strv_copy(cpp_ext), xstrdup("main.cpp"), strv_copy(cpp_compile),
			       strv_copy(native_run), false, LANGUAGE_COMPILE_OUTPUT_MB};
	struct language python = {xstrdup("python3"), py ? xasprintf("Python %s", py) : xstrdup("Python 3"),
				  strv_copy(py_ext), xstrdup("main.py"), strv_copy(py_compile), strv_copy(py_run),
				  true, LANGUAGE_COMPILE_OUTPUT_MB};
	add(ls, &c);
	add(ls, &cpp);
	add(ls, &python);
	free(gcc);
	free(gxx);
	free(py);
}

static char **strv_from_json(const json_t *a)
{
	if (!json_is_array(a) || json_array_size(a) == 0)
		return NULL;
	char **out = xcalloc(json_array_size(a) + 1, sizeof *out);
	for (size_t i = 0; i < json_array_size(a); i++) {
		const char *s = json_string_value(json_array_get(a, i));
		if (!s) {
			strv_free(out);
			return NULL;
		}
		out[i] = xstrdup(s);
	}
	return out;
}

static int load_file(struct languages *ls, const char *file, char **err)
{
	json_error_t e;
	json_t *root = json_load_file(file, JSON_REJECT_DUPLICATES, &e);
	if (!root) {
		*err = xasprintf("cannot read language file '%s': line %d: %s", file, e.line, e.text);
		return 2;
	}
	if (!json_is_array(root)) {
		*err = xasprintf("language file '%s': expected a JSON array of languages", file);
		json_decref(root);
		return 2;
	}
	size_t i;
	json_t *item;
	json_array_foreach(root, i, item) {
		const char *id = json_string_value(json_object_get(item, "id"));
		const char *name = json_string_value(json_object_get(item, "name"));
		const char *source = json_string_value(json_object_get(item, "source"));
		json_t *compile = json_object_get(item, "compile");
		struct language l = {0};
		l.run = strv_from_json(json_object_get(item, "run"));
		l.extensions = strv_from_json(json_object_get(item, "extensions"));
		l.compile = strv_from_json(compile);
		json_t *limit = json_object_get(item, "compile_output_mb");
		json_int_t mb = limit ? json_integer_value(limit) : LANGUAGE_COMPILE_OUTPUT_MB;
		bool bad_id = !id || !*id || strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789_+-") != strlen(id);
		if (bad_id || !name || !source || strchr(source, '/') || !l.run || !l.extensions ||
		    (compile && !json_is_null(compile) && !l.compile) || mb < 1 || mb > 4096) {
			*err = xasprintf("language file '%s': entry %zu needs \"id\" (lowercase letters, digits, _+-),"
					 " \"name\", \"source\" (a file name), \"extensions\" and \"run\" (arrays of"
					 " strings), and \"compile\" (an array of strings or null); \"compile_output_mb\","
					 " if given, is 1 to 4096",
					 file, i + 1);
			strv_free(l.run);
			strv_free(l.extensions);
			strv_free(l.compile);
			json_decref(root);
			return 2;
		}
		l.id = xstrdup(id);
		l.name = xstrdup(name);
		l.source = xstrdup(source);
		l.interpreted = json_is_true(json_object_get(item, "interpreted"));
		l.compile_output_mb = (unsigned)mb;
		add(ls, &l);
	}
	json_decref(root);
	return 0;
}

/* A language is available when the program its commands start exists. */
static bool available(const struct language *l)
{
	const char *tool = l->compile ? l->compile[0] : l->run[0];
	if (tool[0] != '/' || strncmp(tool, "/box/", 5) == 0)
		return true;
	return access(tool, X_OK) == 0 && (l->compile == NULL || l->run[0][0] != '/' ||
					    strncmp(l->run[0], "/box/", 5) == 0 || access(l->run[0], X_OK) == 0);
}

struct languages *languages_load(const char *file, char **err)
{
	struct languages *ls = xcalloc(1, sizeof *ls);
	add_builtins(ls);
	if (file && load_file(ls, file, err) != 0) {
		languages_free(ls);
		return NULL;
	}
	/* Keep only what this machine can run, and say what is missing. */
	size_t kept = 0;
	struct buf ids;
	buf_init(&ids);
	for (size_t i = 0; i < ls->count; i++) {
		if (!available(&ls->items[i])) {
			log_warnx("language '%s' is not offered: '%s' is not installed", ls->items[i].id,
				  ls->items[i].compile ? ls->items[i].compile[0] : ls->items[i].run[0]);
			language_release(&ls->items[i]);
			continue;
		}
		buf_printf(&ids, "%s%s", kept ? ", " : "", ls->items[i].id);
		ls->items[kept++] = ls->items[i];
	}
	ls->count = kept;
	ls->ids = buf_detach(&ids, NULL);
	return ls;
}

void languages_free(struct languages *ls)
{
	if (!ls)
		return;
	for (size_t i = 0; i < ls->count; i++)
		language_release(&ls->items[i]);
	free(ls->items);
	free(ls->ids);
	free(ls);
}

const struct language *languages_find(const struct languages *ls, const char *id)
{
	for (size_t i = 0; i < ls->count; i++)
		if (strcmp(ls->items[i].id, id) == 0)
			return &ls->items[i];
	return NULL;
}

const char *languages_ids(const struct languages *ls)
{
	return ls->ids;
}

json_t *languages_json(const struct languages *ls)
{
	json_t *out = json_array();
	for (size_t i = 0; i < ls->count; i++) {
		json_t *ext = json_array();
		for (char **e = ls->items[i].extensions; *e; e++)
			json_array_append_new(ext, json_string(*e));
		json_array_append_new(out, json_pack("{s:s, s:s, s:o}", "id", ls->items[i].id, "name",
						     ls->items[i].name, "extensions", ext));
	}
	return out;
}

/* The first line `path --version` writes (stdout or stderr) within 2 s, into out. */
static void version_line(const char *path, char *out, size_t size)
{
	out[0] = '\0';
	int p[2];
	if (pipe2(p, O_CLOEXEC) != 0)
		return;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawn_file_actions_adddup2(&fa, p[1], 2);
	const char *argv[] = {path, "--version", NULL};
	static const char *const env[] = {"PATH=/usr/bin:/bin", "LANG=C", NULL};
	pid_t pid;
	int rc = posix_spawn(&pid, path, &fa, NULL, (char *const *)argv, (char *const *)env);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	if (rc != 0) {
		close(p[0]);
		return;
	}
	char buf[512];
	size_t len = 0;
	int64_t until = now_us() + 2000000;
	while (len < sizeof buf - 1 && !memchr(buf, '\n', len)) {
		int64_t left = until - now_us();
		struct pollfd pfd = {.fd = p[0], .events = POLLIN};
		if (left <= 0 || poll(&pfd, 1, (int)(left / 1000) + 1) <= 0)
			break;
		ssize_t n = read(p[0], buf + len, sizeof buf - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(p[0]);
	kill(pid, SIGKILL); /* it has said its line; nothing else is wanted of it */
	waitpid(pid, NULL, 0);
	buf[len] = '\0';
	len = strcspn(buf, "\r\n");
	if (len >= size)
		len = size - 1;
	memcpy(out, buf, len);
	out[len] = '\0';
}

struct judge_toolchain *languages_toolchains(const struct languages *ls, size_t *count)
{
	struct judge_toolchain *out = xcalloc(ls->count + 1, sizeof *out);
	size_t n = 0;
	for (size_t i = 0; i < ls->count; i++) {
		const struct language *l = &ls->items[i];
		const char *tool = l->compile ? l->compile[0] : l->run[0];
		if (tool[0] != '/' || strncmp(tool, "/box/", 5) == 0)
			continue;
		struct judge_toolchain *t = &out[n++];
		snprintf(t->language, sizeof t->language, "%s", l->id);
		snprintf(t->name, sizeof t->name, "%s", l->name);
		snprintf(t->path, sizeof t->path, "%s", tool);
		version_line(tool, t->version, sizeof t->version);
	}
	*count = n;
	return out;
}
