/* Language definitions: built-ins and a JSON language file. */
#include "languages.h"

#include <ctype.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

struct languages {
	struct language *items;
	size_t count;
	char *ids;
	char **ro_paths; /* of all languages, NULL-terminated */
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
	strv_free(l->ro_paths);
	strv_free(l->env);
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

/* The directory of a JDK's configuration, when it lies outside /usr (Debian:
   lib/jvm.cfg -> /etc/java-17-openjdk/jvm-amd64.cfg). NULL if none. */
static char *jdk_conf_dir(const char *jdk)
{
	char *cfg = xasprintf("%s/lib/jvm.cfg", jdk), real[PATH_MAX];
	char *dir = NULL;
	if (realpath(cfg, real) && strncmp(real, "/usr/", 5) != 0)
		dir = xstrdup(dirname(real));
	free(cfg);
	return dir;
}

#define JDK "/usr/lib/jvm/default-java"
#define KOTLIN_LIB "/usr/share/kotlin/kotlinc/lib"

/* Java, Kotlin and PyPy 3: offered when Debian's default-jdk-headless, kotlin and pypy3 are installed. */
static void add_jvm_and_pypy(struct languages *ls)
{
	/* The heap is the test's memory limit, and so is the resident size: whichever is crossed first
	   is MLE. Serial GC and C1 only: few threads, a fast start. No perf data file in /tmp. */
#define JVM_RUN_FLAGS "-Xmx{memory_kb}k", "-Xss64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", \
		"-XX:+ExitOnOutOfMemoryError", "-XX:-UsePerfData", "-Xshare:auto"
#define JVM_COMPILE_FLAGS "-Xmx768m", "-Xss16m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", \
		"-XX:-UsePerfData", "-Xshare:auto"
	static const char *const java_compile[] = {JDK "/bin/javac", "-J-Xmx768m", "-J-XX:+UseSerialGC",
						   "-J-XX:TieredStopAtLevel=1", "-J-XX:-UsePerfData", "-encoding",
						   "UTF-8", "-d", ".", "{files}", NULL};
	static const char *const java_run[] = {JDK "/bin/java", JVM_RUN_FLAGS, "-cp", "/box", "{entry}", NULL};
	static const char *const kotlin_compile[] = {JDK "/bin/java", JVM_COMPILE_FLAGS,
						     "-Dkotlin.home=/usr/share/kotlin/kotlinc",
						     "-cp", KOTLIN_LIB "/kotlin-preloader.jar",
						     "org.jetbrains.kotlin.preloading.Preloader",
						     "-cp", KOTLIN_LIB "/kotlin-compiler.jar",
						     "org.jetbrains.kotlin.cli.jvm.K2JVMCompiler",
						     "-nowarn", "-d", ".", "{files}", NULL};
	static const char *const kotlin_run[] = {JDK "/bin/java", JVM_RUN_FLAGS, "-cp",
						 "/box:" KOTLIN_LIB "/kotlin-stdlib.jar", "{entry}", NULL};
	static const char *const pypy_compile[] = {"/usr/bin/pypy3", "-E", "-s", "-c",
						   "import py_compile, sys\n"
						   "for f in sys.argv[1:]: py_compile.compile(f, doraise=True)",
						   "{files}", NULL};
	static const char *const pypy_run[] = {"/usr/bin/pypy3", "-E", "-s", "{entry}", NULL};
	static const char *const java_ext[] = {"java", NULL}, *const kt_ext[] = {"kt", NULL},
				 *const py_ext[] = {"py", NULL};
	char real[PATH_MAX], *jv = NULL, *kv = NULL;
	if (realpath(JDK, real)) {
		const char *d = strstr(real, "java-");
		if (d && isdigit((unsigned char)d[5]))
			jv = xasprintf("%d", atoi(d + 5));
	}
	if (realpath(KOTLIN_LIB "/kotlin-compiler.jar", real)) {
		const char *d = strrchr(real, '-'), *e = strstr(real, ".jar");
		if (d && e && e > d + 1 && isdigit((unsigned char)d[1]))
			kv = xasprintf("%.*s", (int)(e - d - 1), d + 1);
	}
	char *conf = jdk_conf_dir(JDK);
	const char *ro[] = {conf, NULL};
	const char *const none[] = {NULL};
	/* The sandbox has no /proc: the dynamic loader cannot resolve the launchers' $ORIGIN run path
	   (lib/server too would make the launcher execute itself again). */
	static const char *const jvm_env[] = {"LD_LIBRARY_PATH=" JDK "/lib", NULL};
	/* A nursery size of its own: else PyPy looks for the CPU's cache size in /proc and warns. */
	static const char *const pypy_env[] = {"PYPY_GC_NURSERY=4M", NULL};
	struct language java = {xstrdup("java"), jv ? xasprintf("Java %s (OpenJDK)", jv) : xstrdup("Java (OpenJDK)"),
				strv_copy(java_ext), xstrdup("Main.java"), strv_copy(java_compile),
				strv_copy(java_run), true, 256, LANGUAGE_ENTRY_CLASS, true, 64, 30,
				strv_copy(jvm_env), strv_copy(conf ? ro : none)};
	struct language kotlin = {xstrdup("kotlin"), kv ? xasprintf("Kotlin %s", kv) : xstrdup("Kotlin"),
				  strv_copy(kt_ext), xstrdup("Main.kt"), strv_copy(kotlin_compile),
				  strv_copy(kotlin_run), true, 256, LANGUAGE_ENTRY_KOTLIN, true, 64, 60,
				  strv_copy(jvm_env), strv_copy(conf ? ro : none)};
	char *pv = tool_version("/usr/bin/pypy3", 'y');
	struct language pypy = {xstrdup("pypy3"), pv ? xasprintf("PyPy 3 (Python %s)", pv) : xstrdup("PyPy 3"),
				strv_copy(py_ext), xstrdup("main.py"), strv_copy(pypy_compile), strv_copy(pypy_run),
				true, LANGUAGE_COMPILE_OUTPUT_MB, LANGUAGE_ENTRY_FILE, false, 16, 10, strv_copy(pypy_env), strv_copy(none)};
	add(ls, &java);
	add(ls, &kotlin);
	add(ls, &pypy);
	free(jv);
	free(kv);
	free(pv);
	free(conf);
}

static void add_builtins(struct languages *ls)
{
	char *gcc = tool_version("/usr/bin/gcc", '-');
	char *gxx = tool_version("/usr/bin/g++", '-');
	char *py = tool_version("/usr/bin/python3", 'n');
	/* C and C++ are linked statically, so the run sandbox needs no libraries. */
	static const char *const c_compile[] = {"/usr/bin/gcc", "-std=gnu17", "-O2", "-pipe", "-static", "-s",
						"-o", "main", "{files}", "-lm", NULL};
	static const char *const cpp_compile[] = {"/usr/bin/g++", "-std=gnu++17", "-O2", "-pipe", "-static", "-s",
						  "-o", "main", "{files}", NULL};
	static const char *const native_run[] = {"/box/main", NULL};
	/* Byte-compiling first turns a syntax error into a compile error; the entry goes to main.pyc
	   (run without recompiling), the others to __pycache__ (where import finds them). */
	static const char *const py_compile[] = {"/usr/bin/python3", "-I", "-S", "-c",
						 "import py_compile, sys\n"
						 "for f in sys.argv[2:]:\n"
						 "    py_compile.compile(f, cfile=f + 'c' if f == sys.argv[1] else None, doraise=True)",
						 "{entry}", "{files}", NULL};
	/* -E -s, not -I: the box stays on sys.path, for the submission's other modules. */
	static const char *const py_run[] = {"/usr/bin/python3", "-E", "-s", "{entry}c", NULL};
	static const char *const c_ext[] = {"c", NULL}, *const cpp_ext[] = {"cpp", "cc", "cxx", NULL},
				 *const py_ext[] = {"py", NULL}, *const none[] = {NULL};
	struct language c = {xstrdup("c"), gcc ? xasprintf("C17 (gcc %s)", gcc) : xstrdup("C17 (gcc)"),
			     strv_copy(c_ext), xstrdup("main.c"), strv_copy(c_compile), strv_copy(native_run), false,
			     LANGUAGE_COMPILE_OUTPUT_MB, LANGUAGE_ENTRY_NONE, false, 16, 10, strv_copy(none),
			     strv_copy(none)};
	struct language cpp = {xstrdup("cpp"), gxx ? xasprintf("C++17 (g++ %s)", gxx) : xstrdup("C++17 (g++)"),
			       strv_copy(cpp_ext), xstrdup("main.cpp"), strv_copy(cpp_compile),
			       strv_copy(native_run), false, LANGUAGE_COMPILE_OUTPUT_MB, LANGUAGE_ENTRY_NONE, false, 16,
			       10, strv_copy(none), strv_copy(none)};
	struct language python = {xstrdup("python3"), py ? xasprintf("Python %s", py) : xstrdup("Python 3"),
				  strv_copy(py_ext), xstrdup("main.py"), strv_copy(py_compile), strv_copy(py_run),
				  true, LANGUAGE_COMPILE_OUTPUT_MB, LANGUAGE_ENTRY_FILE, false, 16, 10, strv_copy(none),
				  strv_copy(none)};
	add(ls, &c);
	add(ls, &cpp);
	add(ls, &python);
	add_jvm_and_pypy(ls);
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
		const char *entry = json_string_value(json_object_get(item, "entry"));
		static const char *const entries[] = {"none", "file", "class", "kotlin"};
		int kind = entry ? -1 : 0;
		for (int k = 0; entry && k < 4; k++)
			if (strcmp(entry, entries[k]) == 0)
				kind = k;
		json_t *threads = json_object_get(item, "threads"), *secs = json_object_get(item, "compile_seconds");
		json_t *ro = json_object_get(item, "ro_paths"), *env = json_object_get(item, "env");
		json_int_t nt = threads ? json_integer_value(threads) : 16, cs = secs ? json_integer_value(secs) : 10;
		l.ro_paths = ro && json_array_size(ro) ? strv_from_json(ro) : xcalloc(1, sizeof(char *));
		l.env = env && json_array_size(env) ? strv_from_json(env) : xcalloc(1, sizeof(char *));
		bool bad_ro = !l.ro_paths || (ro && !json_is_array(ro)) || !l.env || (env && !json_is_array(env));
		for (size_t k = 0; !bad_ro && l.env[k]; k++)
			bad_ro = !strchr(l.env[k], '=') || l.env[k][0] == '=';
		for (size_t k = 0; !bad_ro && l.ro_paths[k]; k++)
			bad_ro = l.ro_paths[k][0] != '/';
		if (kind < 0 || nt < 1 || nt > 1024 || cs < 1 || cs > 600 || bad_ro) {
			*err = xasprintf("language file '%s': entry %zu: \"entry\" is one of none, file, class, kotlin;"
					 " \"threads\" 1 to 1024; \"compile_seconds\" 1 to 600; \"ro_paths\" an array"
					 " of absolute paths; \"env\" an array of \"NAME=value\"",
					 file, i + 1);
			language_release(&l);
			json_decref(root);
			return 2;
		}
		l.id = xstrdup(id);
		l.name = xstrdup(name);
		l.source = xstrdup(source);
		l.interpreted = json_is_true(json_object_get(item, "interpreted"));
		l.compile_output_mb = (unsigned)mb;
		l.entry = (enum language_entry)kind;
		l.jvm = json_is_true(json_object_get(item, "jvm"));
		l.threads = (unsigned)nt;
		l.compile_s = (unsigned)cs;
		add(ls, &l);
	}
	json_decref(root);
	return 0;
}

/* Whether every absolute path of a command outside /box exists ("-cp" lists too). */
static bool paths_exist(char *const *argv)
{
	for (size_t i = 0; argv && argv[i]; i++) {
		if (argv[i][0] != '/' || strncmp(argv[i], "/box", 4) == 0 || strchr(argv[i], '{'))
			continue;
		char *copy = xstrdup(argv[i]), *save = NULL;
		bool ok = true;
		for (char *p = strtok_r(copy, ":", &save); p && ok; p = strtok_r(NULL, ":", &save))
			ok = strncmp(p, "/box", 4) == 0 || access(p, i == 0 ? X_OK : R_OK) == 0;
		free(copy);
		if (!ok)
			return false;
	}
	return true;
}

/* A language is available when the programs its commands start, and the
   files they name, exist (javac and java; kotlin's jars). */
static bool available(const struct language *l)
{
	const char *tool = l->compile ? l->compile[0] : l->run[0];
	if (tool[0] != '/' || strncmp(tool, "/box/", 5) == 0)
		return true;
	return paths_exist(l->compile) && paths_exist(l->run);
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
	size_t nro = 0;
	ls->ro_paths = xcalloc(1, sizeof *ls->ro_paths);
	for (size_t i = 0; i < ls->count; i++)
		for (char **p = ls->items[i].ro_paths; p && *p; p++) {
			bool seen = false;
			for (size_t k = 0; k < nro && !seen; k++)
				seen = strcmp(ls->ro_paths[k], *p) == 0;
			if (seen)
				continue;
			ls->ro_paths = xrealloc(ls->ro_paths, (nro + 2) * sizeof *ls->ro_paths);
			ls->ro_paths[nro++] = xstrdup(*p);
			ls->ro_paths[nro] = NULL;
		}
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
	strv_free(ls->ro_paths);
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

const char *const *languages_ro_paths(const struct languages *ls)
{
	return (const char *const *)ls->ro_paths;
}

bool language_has_extension(const struct language *l, const char *name)
{
	const char *dot = strrchr(name, '.');
	for (char **e = l->extensions; dot && dot != name && *e; e++)
		if (strcmp(dot + 1, *e) == 0)
			return true;
	return false;
}

/* A Java or Kotlin class name: identifiers, dot-separated (a package). */
static bool class_name(const char *s)
{
	bool start = true;
	for (; *s; s++) {
		if (*s == '.' && !start)
			start = true;
		else if (isalpha((unsigned char)*s) || *s == '_' || *s == '$' || (!start && isdigit((unsigned char)*s)))
			start = false;
		else
			return false;
	}
	return !start;
}

/* The class a file's name gives: "Main.java" -> "Main", "main.kt" -> "MainKt". */
static void class_of(const struct language *l, const char *file, char *out, size_t outlen)
{
	const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
	const char *dot = strrchr(base, '.');
	int len = dot ? (int)(dot - base) : (int)strlen(base);
	snprintf(out, outlen, "%.*s%s", len, base, l->entry == LANGUAGE_ENTRY_KOTLIN ? "Kt" : "");
	if (l->entry == LANGUAGE_ENTRY_KOTLIN)
		out[0] = (char)toupper((unsigned char)out[0]);
}

char *language_entry(const struct language *l, const char *const *names, size_t n, const char *given,
		     char *out, size_t outlen)
{
	out[0] = '\0';
	if (l->entry == LANGUAGE_ENTRY_NONE)
		return NULL;
	const char *file = NULL;
	size_t with_ext = 0;
	for (size_t i = 0; i < n; i++)
		if (language_has_extension(l, names[i])) {
			with_ext++;
			if (given ? strcmp(names[i], given) == 0 : with_ext == 1 || strcasecmp(names[i], l->source) == 0)
				file = names[i];
		}
	if (given && !file) {
		if (l->entry == LANGUAGE_ENTRY_FILE || language_has_extension(l, given) || !class_name(given) ||
		    strlen(given) >= outlen)
			return xasprintf(l->entry == LANGUAGE_ENTRY_FILE
					 ? "entry_point '%s' is not one of the submission's .%s files"
					 : "entry_point '%s' is neither one of the submission's .%s files nor a class name",
					 given, l->extensions[0]);
		snprintf(out, outlen, "%s", given);
		return NULL;
	}
	if (!given && with_ext > 1 && strcasecmp(file, l->source) != 0)
		return xasprintf("entry_point is needed: the submission has %zu .%s files and none is named %s",
				 with_ext, l->extensions[0], l->source);
	if (!file)
		return xasprintf("the submission has no .%s file", l->extensions[0]);
	if (l->entry == LANGUAGE_ENTRY_FILE)
		snprintf(out, outlen, "%s", file);
	else
		class_of(l, file, out, outlen);
	return NULL;
}

/* s with every {entry} and {memory_kb} filled in. */
static char *fill(const char *s, const char *entry, unsigned long long memory_kb)
{
	struct buf b;
	buf_init(&b);
	while (*s) {
		if (strncmp(s, "{entry}", 7) == 0) {
			buf_printf(&b, "%s", entry);
			s += 7;
		} else if (strncmp(s, "{memory_kb}", 11) == 0) {
			buf_printf(&b, "%llu", memory_kb);
			s += 11;
		} else {
			buf_printf(&b, "%c", *s++);
		}
	}
	char *out = buf_detach(&b, NULL);
	return out ? out : xstrdup("");
}

char **language_argv(const struct language *l, char *const *tmpl, const char *const *names, size_t n,
		     const char *entry, unsigned long long memory_kb)
{
	size_t len = 0, k = 0;
	while (tmpl[len])
		len++;
	char **out = xcalloc(len + n + 1, sizeof *out);
	for (size_t i = 0; i < len; i++) {
		if (strcmp(tmpl[i], "{files}") == 0) {
			for (size_t f = 0; f < n; f++)
				if (language_has_extension(l, names[f]))
					out[k++] = xstrdup(names[f]);
		} else {
			out[k++] = fill(tmpl[i], entry, memory_kb);
		}
	}
	return out;
}

char **language_env(const struct language *l, const char *const *base)
{
	size_t nb = 0, ne = 0;
	while (base[nb])
		nb++;
	while (l->env && l->env[ne])
		ne++;
	char **out = xcalloc(nb + ne + 1, sizeof *out);
	for (size_t i = 0; i < nb; i++)
		out[i] = xstrdup(base[i]);
	for (size_t i = 0; i < ne; i++)
		out[nb + i] = xstrdup(l->env[i]);
	return out;
}

void language_argv_free(char **argv)
{
	strv_free(argv);
}

json_t *languages_json(const struct languages *ls)
{
	json_t *out = json_array();
	for (size_t i = 0; i < ls->count; i++) {
		json_t *ext = json_array();
		for (char **e = ls->items[i].extensions; *e; e++)
			json_array_append_new(ext, json_string(*e));
		static const char *const entries[] = {"none", "file", "class", "class"};
		json_array_append_new(out, json_pack("{s:s, s:s, s:o, s:s, s:s}", "id", ls->items[i].id, "name",
						     ls->items[i].name, "extensions", ext, "entry_point",
						     entries[ls->items[i].entry], "source", ls->items[i].source));
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
