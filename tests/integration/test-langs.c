/* Java, Kotlin and PyPy 3, and multi-file submissions, judged over real HTTP:
 * verdicts under the JVM memory rule (a small program is not MLE, a large
 * allocation is), files given to the compiler together with an entry point,
 * what a submission shows of its files, and the API's refusals; the package
 * tests/packages/jvm-sum imported, its submissions judged as their folders say
 * (a file alone, or a folder of files: one multi-file submission). Skips (77)
 * only when Debian's JDK, Kotlin or PyPy 3 is not installed. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"
#include "../unit/zipbuild.h"

static struct server srv;
static long long problem, small_problem;

/* a + b; the second problem the same with a 64 MiB memory limit */
#define TESTS "\"tests\": [{\"input\": \"1 2\\n\", \"output\": \"3\\n\", \"sample\": true}," \
	"{\"input\": \"10 20\\n\", \"output\": \"30\\n\"}]"
static const char *const problem_json =
	"{\"slug\": \"langs-sum\", \"title\": \"Sum\", \"time_limit_ms\": 4000, \"memory_limit_kb\": 262144, " TESTS "}";
static const char *const small_json =
	"{\"slug\": \"langs-small\", \"title\": \"Sum small\", \"time_limit_ms\": 4000, \"memory_limit_kb\": 65536, "
	TESTS "}";

#define JAVA_SUM "import java.util.Scanner;\npublic class Main { public static void main(String[] a) {" \
	" Scanner s = new Scanner(System.in); long x = s.nextLong(), y = s.nextLong(); System.out.println(x + y); } }\n"

struct program {
	const char *language, *verdict, *source;
	bool small; /* on the 64 MiB problem */
};

static const struct program programs[] = {
	{"java", "AC", JAVA_SUM, false},
	{"java", "AC", JAVA_SUM, true}, /* the JVM itself fits in 64 MiB: not MLE */
	{"java", "WA", "public class Main { public static void main(String[] a) { System.out.println(42); } }\n", false},
	{"java", "MLE", "import java.util.*;\npublic class Main { public static void main(String[] a) {"
	 " List<long[]> l = new ArrayList<>(); for (int i = 0; i < 1000; i++) l.add(new long[1 << 20]);"
	 " System.out.println(l.size()); } }\n", false},
	/* one array beyond the heap: the JVM's OutOfMemoryError (exit code 3), not the cgroup */
	{"java", "MLE", "public class Main { public static void main(String[] a) { long[] x = new long[1 << 28];"
	 " System.out.println(x.length); } }\n", false},
	{"java", "RTE", "public class Main { public static void main(String[] a) { throw new RuntimeException(\"boom\"); } }\n",
	 false},
	{"java", "RTE", "public class Main { static int f(int n) { return f(n + 1) + 1; }"
	 " public static void main(String[] a) { System.out.println(f(0)); } }\n", false},
	{"java", "TLE", "public class Main { public static void main(String[] a) { long x = 0; while (true) x++; } }\n",
	 false},
	{"java", "CE", "public class Main { public static void main(String[] a) { int x = \"no\"; } }\n", false},
	/* threads: CPU time of all of them is summed */
	{"java", "AC", "import java.util.*;\npublic class Main { public static void main(String[] a) throws Exception {"
	 " Scanner s = new Scanner(System.in); long x = s.nextLong(), y = s.nextLong(); long[] r = new long[4];"
	 " Thread[] t = new Thread[4]; for (int i = 0; i < 4; i++) { final int k = i;"
	 " t[i] = new Thread(() -> r[k] = k == 0 ? x + y : 0); t[i].start(); }"
	 " for (Thread u : t) u.join(); System.out.println(r[0] + r[1] + r[2] + r[3]); } }\n", false},
	{"kotlin", "AC", "fun main() { val (a, b) = readLine()!!.split(\" \").map { it.toLong() }; println(a + b) }\n", false},
	{"kotlin", "AC", "fun main() { val (a, b) = readLine()!!.split(\" \").map { it.toLong() }; println(a + b) }\n", true},
	{"kotlin", "WA", "fun main() { println(0) }\n", false},
	{"kotlin", "MLE", "fun main() { val l = ArrayList<LongArray>(); for (i in 0 until 1000) l.add(LongArray(1 shl 20));"
	 " println(l.size) }\n", false},
	{"kotlin", "CE", "fun main() { val x: Int = \"no\" }\n", false},
	{"pypy3", "AC", "a, b = map(int, input().split())\nprint(a + b)\n", false},
	{"pypy3", "WA", "print(0)\n", false},
	{"pypy3", "CE", "def broken(:\n    pass\n", false},
	{"pypy3", "MLE", "data = bytearray(400 * 1024 * 1024)\nprint(len(data))\n", false},
};

/* Toolchains this test needs: without one it cannot say anything. */
static bool toolchains_missing(void)
{
	return access("/usr/lib/jvm/default-java/bin/javac", X_OK) != 0 ||
	       access("/usr/share/kotlin/kotlinc/lib/kotlin-compiler.jar", R_OK) != 0 ||
	       access("/usr/bin/pypy3", X_OK) != 0;
}

static json_t *post(const char *path, json_t *body, long *status)
{
	char *text = json_dumps(body, 0);
	struct response r;
	http_json_request(&r, &srv, "POST", path, srv.admin_token, text);
	*status = r.status;
	json_t *j = json_incref(r.json);
	if (!j)
		fprintf(stderr, "POST %s: %ld %s\n", path, r.status, r.body);
	response_free(&r);
	free(text);
	json_decref(body);
	return j;
}

static long long submit_body(long long prob, json_t *body)
{
	char path[64];
	snprintf(path, sizeof path, "/api/problems/%lld/submissions", prob);
	long status;
	json_t *j = post(path, body, &status);
	ck_assert_msg(status == 201, "submit: %ld %s", status, j ? json_dumps(j, 0) : "");
	long long id = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	return id;
}

static long long submit(long long prob, const char *language, const char *source)
{
	return submit_body(prob, json_pack("{s:s, s:s}", "language", language, "source", source));
}

/* files: name, content, name, content, ..., NULL */
static json_t *files_of(const char *const *nc)
{
	json_t *a = json_array();
	for (size_t i = 0; nc[i]; i += 2)
		json_array_append_new(a, json_pack("{s:s, s:s}", "name", nc[i], "content", nc[i + 1]));
	return a;
}

static long long submit_files(const char *language, const char *entry, const char *const *nc)
{
	json_t *body = json_pack("{s:s, s:o}", "language", language, "files", files_of(nc));
	if (entry)
		json_object_set_new(body, "entry_point", json_string(entry));
	return submit_body(problem, body);
}

static json_t *get_submission(long long id)
{
	char path[64];
	snprintf(path, sizeof path, "/api/submissions/%lld", id);
	struct response r;
	http_json_request(&r, &srv, "GET", path, srv.admin_token, NULL);
	ck_assert_int_eq(r.status, 200);
	json_t *j = json_incref(r.json);
	response_free(&r);
	return j;
}

static json_t *wait_done(long long id)
{
	for (int i = 0; i < 300 * 10; i++) {
		json_t *s = get_submission(id);
		if (strcmp(json_string_value(json_object_get(s, "status")), "done") == 0)
			return s;
		json_decref(s);
		usleep(100000);
	}
	ck_abort_msg("submission %lld is not judged within 300 s", id);
	return NULL;
}

static void expect_verdict(long long id, const char *what, const char *verdict)
{
	json_t *s = wait_done(id);
	const char *got = json_string_value(json_object_get(s, "verdict"));
	char *text = json_dumps(s, 0);
	ck_assert_msg(got && strcmp(got, verdict) == 0, "%s: expected %s, got %s: %s", what, verdict,
		      got ? got : "null", text);
	free(text);
	json_decref(s);
}

static void setup(void)
{
	const char *args[] = {"--workers", "2", NULL};
	server_start(&srv, args);
	problem = test_create_problem(&srv, problem_json);
	small_problem = test_create_problem(&srv, small_json);
}

static void teardown(void)
{
	ck_assert_int_eq(server_stop(&srv), 0);
	server_cleanup(&srv);
}

START_TEST(languages_are_offered)
{
	struct response r;
	http_json_request(&r, &srv, "GET", "/api/languages", srv.admin_token, NULL);
	ck_assert_int_eq(r.status, 200);
	const char *want[] = {"java", "kotlin", "pypy3"};
	for (size_t k = 0; k < 3; k++) {
		bool found = false;
		size_t i;
		json_t *l;
		json_array_foreach(r.json, i, l)
			found |= strcmp(json_string_value(json_object_get(l, "id")), want[k]) == 0;
		ck_assert_msg(found, "language %s is not offered: %s", want[k], r.body);
	}
	response_free(&r);
}
END_TEST

START_TEST(verdicts_of_java_kotlin_pypy)
{
	size_t n = sizeof programs / sizeof programs[0];
	long long ids[sizeof programs / sizeof programs[0]];
	for (size_t i = 0; i < n; i++)
		ids[i] = submit(programs[i].small ? small_problem : problem, programs[i].language, programs[i].source);
	for (size_t i = 0; i < n; i++) {
		char what[64];
		snprintf(what, sizeof what, "program %zu (%s %s)", i, programs[i].language, programs[i].verdict);
		expect_verdict(ids[i], what, programs[i].verdict);
	}
}
END_TEST

START_TEST(multi_file_submissions)
{
	const char *java[] = {"Main.java", "public class Main { public static void main(String[] a) {"
			      " java.util.Scanner s = new java.util.Scanner(System.in);"
			      " System.out.println(Adder.add(s.nextLong(), s.nextLong())); } }\n",
			      "Adder.java", "public class Adder { static long add(long a, long b) { return a + b; } }\n", NULL};
	const char *java_entry[] = {"Adder.java", "public class Adder { static long add(long a, long b) { return a + b; } }\n",
				    "Solve.java", "public class Solve { public static void main(String[] a) {"
				    " java.util.Scanner s = new java.util.Scanner(System.in);"
				    " System.out.println(Adder.add(s.nextLong(), s.nextLong())); } }\n", NULL};
	const char *kotlin[] = {"main.kt", "fun main() { val (a, b) = readLine()!!.split(\" \").map { it.toLong() };"
				" println(add(a, b)) }\n", "add.kt", "fun add(a: Long, b: Long) = a + b\n", NULL};
	const char *py[] = {"main.py", "import helper\na, b = map(int, input().split())\nprint(helper.add(a, b))\n",
			    "helper.py", "def add(a, b):\n    return a + b\n", NULL};
	const char *pypy[] = {"solve.py", "from helper import add\na, b = map(int, input().split())\nprint(add(a, b))\n",
			      "helper.py", "def add(a, b):\n    return a + b\n", NULL};
	const char *c[] = {"main.c", "#include <stdio.h>\n#include \"add.h\"\nint main(void){long a,b;"
			   "scanf(\"%ld %ld\",&a,&b);printf(\"%ld\\n\",add(a,b));return 0;}\n",
			   "add.h", "long add(long a, long b);\n", "add.c", "#include \"add.h\"\nlong add(long a, long b){return a+b;}\n",
			   NULL};
	const char *c_wrong[] = {"main.c", "#include <stdio.h>\n#include \"add.h\"\nint main(void){long a,b;"
				 "scanf(\"%ld %ld\",&a,&b);printf(\"%ld\\n\",add(a,b));return 0;}\n",
				 "add.h", "long add(long a, long b);\n", "add.c", "long add(long a, long b){return a-b;}\n", NULL};
	long long ids[] = {
		submit_files("java", NULL, java),
		submit_files("java", "Solve", java_entry),
		submit_files("java", "Solve.java", java_entry),
		submit_files("kotlin", NULL, kotlin),
		submit_files("python3", NULL, py),
		submit_files("pypy3", "solve.py", pypy),
		submit_files("c", NULL, c),
		submit_files("c", NULL, c_wrong),
	};
	const char *want[] = {"AC", "AC", "AC", "AC", "AC", "AC", "AC", "WA"};
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		char what[48];
		snprintf(what, sizeof what, "multi-file submission %zu", i);
		expect_verdict(ids[i], what, want[i]);
	}
	/* The submission shows its files, in order, and the entry point given. */
	json_t *s = get_submission(ids[1]);
	json_t *files = json_object_get(s, "files");
	ck_assert_int_eq(json_array_size(files), 2);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(files, 0), "name")), "Adder.java");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(files, 1), "content")), java_entry[3]);
	ck_assert_str_eq(json_string_value(json_object_get(s, "entry_point")), "Solve");
	json_decref(s);
	s = get_submission(ids[0]);
	ck_assert_ptr_null(json_object_get(s, "entry_point") && !json_is_null(json_object_get(s, "entry_point"))
			   ? json_object_get(s, "entry_point") : NULL);
	ck_assert_str_eq(json_string_value(json_object_get(s, "source")), java[1]); /* the entry file's */
	json_decref(s);
}
END_TEST

static void expect_refused(json_t *body, long status, const char *code)
{
	char path[64];
	snprintf(path, sizeof path, "/api/problems/%lld/submissions", problem);
	long got;
	json_t *j = post(path, body, &got);
	char *text = j ? json_dumps(j, 0) : NULL;
	ck_assert_msg(got == status, "expected %ld, got %ld: %s", status, got, text ? text : "");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "error"), "code")), code);
	free(text);
	json_decref(j);
}

START_TEST(bad_multi_file_submissions_are_refused)
{
	const char *one[] = {"main.c", "int main(void){return 0;}\n", NULL};
	expect_refused(json_pack("{s:s, s:s, s:o}", "language", "c", "source", "int main(){}", "files", files_of(one)),
		       400, "validation");
	expect_refused(json_pack("{s:s, s:s, s:s}", "language", "java", "source", JAVA_SUM, "entry_point", "Main"), 400,
		       "validation");
	const char *unsafe[][3] = {{"../main.c", "x", NULL}, {"/etc/passwd", "x", NULL}, {"a/b.c", "x", NULL},
				   {".hidden.c", "x", NULL}, {"", "x", NULL}};
	for (size_t i = 0; i < sizeof unsafe / sizeof unsafe[0]; i++)
		expect_refused(json_pack("{s:s, s:o}", "language", "c", "files", files_of(unsafe[i])), 400, "validation");
	const char *twice[] = {"main.c", "x", "main.c", "y", NULL};
	expect_refused(json_pack("{s:s, s:o}", "language", "c", "files", files_of(twice)), 400, "validation");
	expect_refused(json_pack("{s:s, s:[]}", "language", "c", "files"), 400, "validation");
	/* two Java files and neither is Main.java: which class? */
	const char *two[] = {"A.java", "class A {}", "B.java", "class B {}", NULL};
	expect_refused(json_pack("{s:s, s:o}", "language", "java", "files", files_of(two)), 400, "validation");
	expect_refused(json_pack("{s:s, s:o, s:s}", "language", "java", "files", files_of(two), "entry_point", "C.java"),
		       400, "validation");
	expect_refused(json_pack("{s:s, s:o, s:s}", "language", "python3", "files",
				 files_of((const char *[]){"a.py", "x", NULL}), "entry_point", "b.py"), 400, "validation");
	/* no file the compiler takes */
	expect_refused(json_pack("{s:s, s:o}", "language", "java", "files", files_of((const char *[]){"x.txt", "x", NULL})),
		       400, "validation");
	/* 33 files; more than 512 KiB in all */
	json_t *many = json_array();
	for (int i = 0; i < 33; i++)
	{
		char name[16];
		snprintf(name, sizeof name, "f%d.c", i);
		json_array_append_new(many, json_pack("{s:s, s:s}", "name", name, "content", "int x;"));
	}
	expect_refused(json_pack("{s:s, s:o}", "language", "c", "files", many), 413, "too_large");
	char *big = malloc(300 * 1024 + 1);
	memset(big, ' ', 300 * 1024);
	big[300 * 1024] = '\0';
	const char *two_big[] = {"main.c", big, "b.c", big, NULL};
	expect_refused(json_pack("{s:s, s:o}", "language", "c", "files", files_of(two_big)), 413, "too_large");
	free(big);
}
END_TEST

/* ---- the jvm-sum package ---- */

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot read %s", path);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *text = malloc((size_t)n + 1);
	text[fread(text, 1, (size_t)n, f)] = '\0';
	fclose(f);
	return text;
}

static const char *packages_dir(void)
{
	const char *d = getenv("VERDICT_PACKAGES");
	ck_assert_msg(d != NULL, "VERDICT_PACKAGES is not set");
	return d;
}

/* Adds dir's files to z under prefix/, recursively. */
static void zip_tree(struct zip *z, const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	ck_assert_msg(d != NULL, "cannot open %s", dir);
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char path[1024], name[1024];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		snprintf(name, sizeof name, "%s/%s", prefix, e->d_name);
		struct stat st;
		ck_assert_int_eq(stat(path, &st), 0);
		if (S_ISDIR(st.st_mode)) {
			zip_tree(z, path, name);
		} else {
			char *text = slurp(path);
			zip_file(z, name, text);
			free(text);
		}
	}
	closedir(d);
}

static const char *language_of(const char *file)
{
	const char *dot = strrchr(file, '.');
	return !dot ? NULL : strcmp(dot, ".java") == 0 ? "java" : strcmp(dot, ".kt") == 0 ? "kotlin"
		: strcmp(dot, ".py") == 0 ? "python3" : NULL;
}

struct pending {
	long long id;
	char what[160];
	const char *verdict;
};

/* One submission of a file, or of every file of a folder, under their own names. */
static void submit_entry(long long prob, const char *dir, const char *name, const char *verdict, struct pending *p)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	json_t *files = json_array();
	const char *lang = NULL;
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *e;
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			char file[1300];
			snprintf(file, sizeof file, "%s/%s", path, e->d_name);
			char *text = slurp(file);
			json_array_append_new(files, json_pack("{s:s, s:s}", "name", e->d_name, "content", text));
			free(text);
			if (!lang)
				lang = language_of(e->d_name);
		}
		closedir(d);
	} else {
		char *text = slurp(path);
		json_array_append_new(files, json_pack("{s:s, s:s}", "name", name, "content", text));
		free(text);
		lang = language_of(name);
	}
	ck_assert_msg(lang != NULL, "no language for %s", path);
	p->id = submit_body(prob, json_pack("{s:s, s:o}", "language", lang, "files", files));
	snprintf(p->what, sizeof p->what, "jvm-sum/%s", path + strlen(packages_dir()) + strlen("/jvm-sum/"));
	p->verdict = verdict;
}

START_TEST(package_submissions_judge_as_their_folders_say)
{
	char dir[512];
	snprintf(dir, sizeof dir, "%s/jvm-sum", packages_dir());
	struct zip z;
	zip_begin(&z);
	zip_tree(&z, dir, "jvm-sum");
	zip_end(&z);
	struct response r;
	http_request(&r, &srv, "POST", "/api/problems/import", srv.admin_token, "application/zip", z.out.data, z.out.len,
		     NULL);
	zip_release(&z);
	ck_assert_msg(r.status == 201, "import jvm-sum: %ld %s", r.status, r.body);
	long long prob = json_integer_value(json_object_get(r.json, "id"));
	response_free(&r);
	static const char *const folders[][2] = {{"accepted", "AC"}, {"wrong_answer", "WA"},
						 {"memory_limit_exceeded", "MLE"}, {"run_time_error", "RTE"}};
	struct pending pending[32];
	int n = 0;
	for (size_t f = 0; f < 4; f++) {
		char sub[700];
		snprintf(sub, sizeof sub, "%s/submissions/%s", dir, folders[f][0]);
		DIR *d = opendir(sub);
		ck_assert_msg(d != NULL, "no folder %s", sub);
		struct dirent *e;
		while ((e = readdir(d)) && n < 32)
			if (e->d_name[0] != '.')
				submit_entry(prob, sub, e->d_name, folders[f][1], &pending[n++]);
		closedir(d);
	}
	ck_assert_int_ge(n, 11);
	for (int i = 0; i < n; i++)
		expect_verdict(pending[i].id, pending[i].what, pending[i].verdict);
}
END_TEST

int main(void)
{
	if (toolchains_missing()) {
		fprintf(stderr, "SKIP: Debian's default-jdk-headless, kotlin or pypy3 is not installed\n");
		return 77;
	}
	Suite *suite = suite_create("langs");
	TCase *tc = tcase_create("langs");
	tcase_set_timeout(tc, 900);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, languages_are_offered);
	tcase_add_test(tc, bad_multi_file_submissions_are_refused);
	tcase_add_test(tc, multi_file_submissions);
	tcase_add_test(tc, verdicts_of_java_kotlin_pypy);
	tcase_add_test(tc, package_submissions_judge_as_their_folders_say);
	suite_add_tcase(suite, tc);
	return test_run_suite(suite);
}
