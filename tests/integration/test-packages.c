/* Problem packages through the API and the CLI: each package of tests/packages
 * is zipped, imported, and every file of its submissions/ folder is judged and
 * must get the verdict (and score) its folder stands for. Hostile packages are
 * refused with a message naming the offending file, and leave the data dir as
 * it was. */
#include <archive.h>
#include <archive_entry.h>
#include <sqlite3.h>
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

static struct server srv;

static const char *packages_dir(void)
{
	const char *d = getenv("VERDICT_PACKAGES");
	ck_assert_msg(d != NULL, "VERDICT_PACKAGES is not set");
	return d;
}

/* ---- building zips in memory ---- */

struct zip {
	struct archive *a;
	char *data;
	size_t cap, used;
};

static void zip_open(struct zip *z)
{
	z->cap = 64 << 20;
	z->data = malloc(z->cap);
	z->used = 0;
	z->a = archive_write_new();
	archive_write_set_format_zip(z->a);
	ck_assert_int_eq(archive_write_open_memory(z->a, z->data, z->cap, &z->used), ARCHIVE_OK);
}

static void zip_add(struct zip *z, const char *name, const void *data, size_t len)
{
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, name);
	archive_entry_set_size(e, (la_int64_t)len);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	ck_assert_int_eq(archive_write_header(z->a, e), ARCHIVE_OK);
	ck_assert_int_eq(archive_write_data(z->a, data, len), (la_ssize_t)len);
	archive_entry_free(e);
}

static void zip_add_symlink(struct zip *z, const char *name, const char *target)
{
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFLNK);
	archive_entry_set_symlink(e, target);
	archive_entry_set_perm(e, 0777);
	ck_assert_int_eq(archive_write_header(z->a, e), ARCHIVE_OK);
	archive_entry_free(e);
}

static size_t zip_close(struct zip *z)
{
	ck_assert_int_eq(archive_write_close(z->a), ARCHIVE_OK);
	archive_write_free(z->a);
	return z->used;
}

static struct zip *current_zip;
static size_t root_len;
static const char *zip_prefix;

static int add_file(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)ftw;
	if (flag != FTW_F || !S_ISREG(st->st_mode))
		return 0;
	FILE *f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	char *data = malloc((size_t)st->st_size + 1);
	size_t n = fread(data, 1, (size_t)st->st_size, f);
	fclose(f);
	char name[1024];
	snprintf(name, sizeof name, "%s%s", zip_prefix, path + root_len + 1);
	zip_add(current_zip, name, data, n);
	free(data);
	return 0;
}

/* Zips a package directory, inside a top-level folder named after it. */
static void zip_dir(struct zip *z, const char *dir, const char *folder)
{
	char prefix[256];
	snprintf(prefix, sizeof prefix, "%s/", folder);
	current_zip = z;
	root_len = strlen(dir);
	zip_prefix = prefix;
	ck_assert_int_eq(nftw(dir, add_file, 16, FTW_PHYS), 0);
}

static struct response import_zip(const char *data, size_t len, const char *query)
{
	char path[256];
	snprintf(path, sizeof path, "/api/problems/import%s", query ? query : "");
	struct response r;
	http_request(&r, &srv, "POST", path, srv.admin_token, "application/zip", data, len, NULL);
	return r;
}

/* ---- submissions ---- */

struct expected {
	const char *folder, *verdict;
	double score; /* teleporters only */
};

static const struct expected expectations[] = {
	{"accepted", "AC", 100},
	{"wrong_answer", "WA", 30},
	{"time_limit_exceeded", "TLE", 30},
	{"run_time_error", "RTE", 0},
};

struct pending {
	long long id;
	char what[300];
	const struct expected *want;
	bool scored;
};

static const char *language_of(const char *file)
{
	const char *dot = strrchr(file, '.');
	if (!dot)
		return NULL;
	if (strcmp(dot, ".c") == 0)
		return "c";
	if (strcmp(dot, ".cpp") == 0)
		return "cpp";
	if (strcmp(dot, ".py") == 0)
		return "python3";
	return NULL;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot read %s", path);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc((size_t)n + 1);
	s[fread(s, 1, (size_t)n, f)] = '\0';
	fclose(f);
	return s;
}

static long long submit(long long problem, const char *language, const char *source)
{
	json_t *body = json_pack("{s:s, s:s}", "language", language, "source", source);
	char *text = json_dumps(body, 0);
	char url[128];
	snprintf(url, sizeof url, "/api/problems/%lld/submissions", problem);
	struct response r;
	http_json_request(&r, &srv, "POST", url, srv.admin_token, text);
	ck_assert_msg(r.status == 201, "submit %s: %ld %s", source, r.status, r.body);
	long long id = json_integer_value(json_object_get(r.json, "id"));
	response_free(&r);
	free(text);
	json_decref(body);
	return id;
}

static int submit_folder(long long problem, const char *pkg, const struct expected *want, bool scored,
			 struct pending *out, int n)
{
	char dir[512];
	snprintf(dir, sizeof dir, "%s/%s/submissions/%s", packages_dir(), pkg, want->folder);
	DIR *d = opendir(dir);
	ck_assert_msg(d != NULL, "no folder %s", dir);
	struct dirent *e;
	while ((e = readdir(d))) {
		const char *lang = language_of(e->d_name);
		if (!lang)
			continue;
		char path[800];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		char *source = slurp(path);
		out[n].id = submit(problem, lang, source);
		snprintf(out[n].what, sizeof out[n].what, "%s/%s/%s", pkg, want->folder, e->d_name);
		out[n].want = want;
		out[n].scored = scored;
		n++;
		free(source);
	}
	closedir(d);
	return n;
}

static json_t *wait_done(long long id, int seconds)
{
	char path[64];
	snprintf(path, sizeof path, "/api/submissions/%lld", id);
	for (int i = 0; i < seconds * 10; i++) {
		struct response r;
		http_json_request(&r, &srv, "GET", path, srv.admin_token, NULL);
		ck_assert_int_eq(r.status, 200);
		if (strcmp(json_string_value(json_object_get(r.json, "status")), "done") == 0) {
			json_t *j = json_incref(r.json);
			response_free(&r);
			return j;
		}
		response_free(&r);
		usleep(100000);
	}
	ck_abort_msg("submission %lld not judged within %d s", id, seconds);
	return NULL;
}

static void setup(void)
{
	const char *args[] = {"--workers", "2", NULL};
	server_start(&srv, args);
}

static void teardown(void)
{
	ck_assert_int_eq(server_stop(&srv), 0);
	server_cleanup(&srv);
}

/* Zips tests/packages/PKG, imports it over REST (twice when again: the second
   import updates the same problem) and returns the problem's id. */
static long long import_package_dir(const char *pkg, bool again)
{
	char dir[512];
	snprintf(dir, sizeof dir, "%s/%s", packages_dir(), pkg);
	struct zip z;
	zip_open(&z);
	zip_dir(&z, dir, pkg);
	size_t len = zip_close(&z);
	struct response r = import_zip(z.data, len, NULL);
	ck_assert_msg(r.status == 201, "import %s: %ld %s", pkg, r.status, r.body);
	long long id = json_integer_value(json_object_get(r.json, "id"));
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "slug")), pkg);
	response_free(&r);
	if (again) {
		r = import_zip(z.data, len, NULL);
		ck_assert_msg(r.status == 200, "re-import %s: %ld %s", pkg, r.status, r.body);
		ck_assert_int_eq(json_integer_value(json_object_get(r.json, "id")), id);
		response_free(&r);
	}
	free(z.data);
	return id;
}

START_TEST(packages_import_and_judge_as_their_folders_say)
{
	static const char *const packages[] = {"float-average", "any-permutation", "teleporters", "exact-greeting"};
	struct pending pending[256];
	int n = 0;
	for (size_t p = 0; p < 4; p++) {
		long long id = import_package_dir(packages[p], true);
		bool scored = strcmp(packages[p], "teleporters") == 0;
		for (size_t e = 0; e < 4; e++)
			n = submit_folder(id, packages[p], &expectations[e], scored, pending, n);
	}
	ck_assert_int_ge(n, 48);
	for (int i = 0; i < n; i++) {
		json_t *s = wait_done(pending[i].id, 300);
		const char *verdict = json_string_value(json_object_get(s, "verdict"));
		json_t *score = json_object_get(s, "score");
		ck_assert_msg(verdict && strcmp(verdict, pending[i].want->verdict) == 0, "%s: expected %s, got %s",
			      pending[i].what, pending[i].want->verdict, verdict ? verdict : "null");
		if (pending[i].scored)
			ck_assert_msg(json_is_number(score) && json_number_value(score) == pending[i].want->score,
				      "%s: expected score %g, got %s", pending[i].what, pending[i].want->score,
				      json_dumps(score, JSON_ENCODE_ANY));
		else
			ck_assert_msg(json_is_null(score), "%s: a problem without points has a null score", pending[i].what);
		json_decref(s);
	}
	/* Re-importing keeps the submissions. */
	struct response r;
	http_json_request(&r, &srv, "GET", "/api/submissions?per_page=1", srv.admin_token, NULL);
	ck_assert_int_eq(json_integer_value(json_object_get(r.json, "total")), n);
	response_free(&r);
}
END_TEST

/* ---- a large output validator over REST ---- */

/* Accepts any even integer, so the default checker (which wants the answer "0") would disagree. */
static const char even_validator[] =
	"#include <stdio.h>\n"
	"int main(int argc, char **argv)\n"
	"{\n"
	"\tlong v;\n"
	"\t(void)argv;\n"
	"\tif (argc < 4)\n"
	"\t\treturn 1;\n"
	"\treturn scanf(\"%ld\", &v) == 1 && v % 2 == 0 ? 42 : 43;\n"
	"}\n";

/* The validator's sources travel to a worker in one frame: 2 MiB of C is far
   more than a socket buffer holds, so the dispatcher must wait for the worker
   to read it rather than give up on the first EAGAIN. */
START_TEST(rest_import_of_a_package_with_a_2_mib_validator)
{
	size_t pad = 2u << 20;
	char *source = malloc(sizeof even_validator + pad + 64);
	size_t len = (size_t)sprintf(source, "%s", even_validator);
	static const char line[] = "/* padding: a large validator, like one that includes testlib.h */\n";
	while (len + sizeof line < sizeof even_validator + pad)
		len += (size_t)sprintf(source + len, "%s", line);
	ck_assert_uint_ge(len, pad);

	static const char big_yaml[] = "name: Even\nvalidation: custom\n";
	struct zip z;
	zip_open(&z);
	zip_add(&z, "problem.yaml", big_yaml, strlen(big_yaml));
	zip_add(&z, "data/secret/1.in", "1\n", 2);
	zip_add(&z, "data/secret/1.ans", "0\n", 2);
	zip_add(&z, "output_validators/even/validate.c", source, len);
	size_t zlen = zip_close(&z);
	free(source);
	struct response r = import_zip(z.data, zlen, "?slug=even");
	free(z.data);
	ck_assert_msg(r.status == 201, "import: %ld %s", r.status, r.body);
	long long problem = json_integer_value(json_object_get(r.json, "id"));
	response_free(&r);

	long long even = submit(problem, "c", "#include <stdio.h>\nint main(void) { puts(\"4\"); return 0; }\n");
	long long odd = submit(problem, "c", "#include <stdio.h>\nint main(void) { puts(\"3\"); return 0; }\n");
	json_t *s = wait_done(even, 120);
	ck_assert_str_eq(json_string_value(json_object_get(s, "verdict")), "AC");
	json_decref(s);
	s = wait_done(odd, 120);
	ck_assert_str_eq(json_string_value(json_object_get(s, "verdict")), "WA");
	json_decref(s);
}
END_TEST

/* ---- hostile packages ---- */

static const char yaml[] = "name: Hostile\n";

static void add_minimal(struct zip *z, const char *prefix)
{
	char name[256];
	snprintf(name, sizeof name, "%sproblem.yaml", prefix);
	zip_add(z, name, yaml, strlen(yaml));
	snprintf(name, sizeof name, "%sdata/secret/1.in", prefix);
	zip_add(z, name, "1\n", 2);
	snprintf(name, sizeof name, "%sdata/secret/1.ans", prefix);
	zip_add(z, name, "1\n", 2);
}

/* Everything in the data dir but the database's lock and shared-memory index, as one text. */
static char *snapshot(const char *dir)
{
	char cmd[600];
	snprintf(cmd, sizeof cmd,
		 "cd '%s' && find . -path ./verdict.lock -prune -o -name '*-shm' -prune -o -type f -print0 | sort -z |"
		 " xargs -0 sha256sum; find . | sort",
		 dir);
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	char *out = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);
	char buf[4096];
	size_t k;
	while ((k = fread(buf, 1, sizeof buf, p)) > 0)
		fwrite(buf, 1, k, m);
	pclose(p);
	fclose(m);
	return out;
}

struct hostile {
	const char *name, *expect; /* expect: a piece of the message (the offending file) */
};

static void check_refused(const char *what, const char *data, size_t len, const char *expect)
{
	struct response r = import_zip(data, len, NULL);
	ck_assert_msg(r.status == 400, "%s: expected 400, got %ld %s", what, r.status, r.body);
	ck_assert_str_eq(response_error_code(&r), "validation");
	const char *message = json_string_value(json_object_get(json_object_get(r.json, "error"), "message"));
	ck_assert_msg(message && strstr(message, expect), "%s: message '%s' does not name '%s'", what,
		      message ? message : "", expect);
	response_free(&r);
}

/* Each worker makes DATA/work/worker-N when it starts; wait for all of them,
   so the snapshot taken before the imports does not race a late worker. */
static void wait_for_work_dirs(const char *data, int workers)
{
	char path[512];
	snprintf(path, sizeof path, "%s/work", data);
	for (int tries = 0; tries < 600; tries++) {
		int found = 0;
		DIR *d = opendir(path);
		for (struct dirent *e; d && (e = readdir(d));)
			found += strncmp(e->d_name, "worker-", 7) == 0;
		if (d)
			closedir(d);
		if (found == workers)
			return;
		usleep(50000);
	}
	ck_abort_msg("the %d workers did not make their work dirs in %s within 30 s", workers, path);
}

START_TEST(hostile_packages_are_refused_and_leave_nothing)
{
	wait_for_work_dirs(srv.data, 2);
	char *before = snapshot(srv.data);
	struct zip z;

	zip_open(&z);
	add_minimal(&z, "");
	zip_add(&z, "../escape.txt", "x", 1);
	size_t len = zip_close(&z);
	check_refused("path traversal", z.data, len, "../escape.txt");
	free(z.data);

	zip_open(&z);
	add_minimal(&z, "");
	zip_add(&z, "/etc/evil", "x", 1);
	len = zip_close(&z);
	check_refused("absolute path", z.data, len, "/etc/evil");
	free(z.data);

	zip_open(&z);
	add_minimal(&z, "");
	zip_add_symlink(&z, "data/secret/2.in", "/etc/shadow");
	zip_add(&z, "data/secret/2.ans", "x", 1);
	len = zip_close(&z);
	check_refused("symlink", z.data, len, "data/secret/2.in");
	free(z.data);

	/* A zip bomb: 600 MiB of zeros compress to well under a megabyte. */
	zip_open(&z);
	add_minimal(&z, "");
	char *zeros = calloc(1, 64 << 20);
	for (int i = 0; i < 10; i++) {
		char name[64];
		snprintf(name, sizeof name, "data/secret/bomb%d.in", i);
		zip_add(&z, name, zeros, 64 << 20);
	}
	free(zeros);
	len = zip_close(&z);
	ck_assert_uint_lt(len, 4 << 20);
	check_refused("zip bomb", z.data, len, "data/secret/bomb");
	free(z.data);

	zip_open(&z);
	zip_add(&z, "problem.yaml", yaml, strlen(yaml));
	zip_add(&z, "data/secret/1.in", "1\n", 2);
	len = zip_close(&z);
	check_refused("missing .ans", z.data, len, "data/secret/1.in");
	free(z.data);

	zip_open(&z);
	add_minimal(&z, "");
	zip_add(&z, "data/secret/1.ans", "2\n", 2);
	len = zip_close(&z);
	check_refused("duplicate .ans", z.data, len, "data/secret/1.ans");
	free(z.data);

	zip_open(&z);
	zip_add(&z, "problem.yaml", "name: [unclosed\nlimits: {", 25);
	zip_add(&z, "data/secret/1.in", "1\n", 2);
	zip_add(&z, "data/secret/1.ans", "1\n", 2);
	len = zip_close(&z);
	check_refused("malformed YAML", z.data, len, "problem.yaml");
	free(z.data);

	check_refused("not a zip", "this is not a zip file", 22, "zip");

	static const char custom_yaml[] = "name: Bad validator\nvalidation: custom\n";
	static const char broken_c[] = "int main(int argc, char **argv) { return 42 }\n";
	zip_open(&z);
	zip_add(&z, "problem.yaml", custom_yaml, strlen(custom_yaml));
	zip_add(&z, "data/secret/1.in", "1\n", 2);
	zip_add(&z, "data/secret/1.ans", "1\n", 2);
	zip_add(&z, "output_validators/broken/validate.c", broken_c, strlen(broken_c));
	len = zip_close(&z);
	check_refused("validator that does not compile", z.data, len, "output_validators/broken");
	free(z.data);

	char *after = snapshot(srv.data);
	ck_assert_msg(strcmp(before, after) == 0, "the data dir changed:\n--- before\n%s\n--- after\n%s", before, after);
	free(before);
	free(after);
	struct response r;
	http_json_request(&r, &srv, "GET", "/api/problems", srv.admin_token, NULL);
	ck_assert_int_eq(json_integer_value(json_object_get(r.json, "total")), 0);
	response_free(&r);
}
END_TEST

START_TEST(cli_imports_a_directory_and_updates_it)
{
	ck_assert_int_eq(server_stop(&srv), 0);
	char dir[512], cmd[2048];
	snprintf(dir, sizeof dir, "%s/exact-greeting", packages_dir());
	snprintf(cmd, sizeof cmd, "'%s' problem import '%s' --data '%s' >'%s/cli.out' 2>&1", test_verdict_bin(), dir,
		 srv.data, srv.dir);
	ck_assert_int_eq(WEXITSTATUS(system(cmd)), 0);
	ck_assert_int_eq(WEXITSTATUS(system(cmd)), 0);
	snprintf(cmd, sizeof cmd, "grep -q \"updated problem 'exact-greeting'\" '%s/cli.out'", srv.dir);
	ck_assert_int_eq(WEXITSTATUS(system(cmd)), 0);
	/* A package that is not one fails with exit code 1 and a one-line reason. */
	snprintf(cmd, sizeof cmd, "'%s' problem import '%s' --data '%s' 2>/dev/null", test_verdict_bin(), srv.log,
		 srv.data);
	ck_assert_int_eq(WEXITSTATUS(system(cmd)), 1);
	server_restart(&srv, NULL);
	struct response r;
	http_json_request(&r, &srv, "GET", "/api/problems", srv.admin_token, NULL);
	ck_assert_int_eq(json_integer_value(json_object_get(r.json, "total")), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(r.json, "items"), 0), "slug")),
			 "exact-greeting");
	response_free(&r);
}
END_TEST


/* ---- interactive and multi-pass problems ---- */

/* A submission's judge log (kept for admins, not served): read from the
   database (malloc'd). */
static char *judge_log(long long id)
{
	char path[400];
	snprintf(path, sizeof path, "%s/verdict.db", srv.data);
	sqlite3 *h = NULL;
	ck_assert_int_eq(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_busy_timeout(h, 5000);
	sqlite3_stmt *st = NULL;
	ck_assert_int_eq(sqlite3_prepare_v2(h, "SELECT judge_log FROM submissions WHERE id = ?", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	char *log = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(h);
	return log;
}

/* Waits for each pending submission and checks its verdict (and, with log_has,
   a piece of its judge log). */
static void check_verdicts(struct pending *pending, int n, const char *log_has)
{
	for (int i = 0; i < n; i++) {
		json_t *s = wait_done(pending[i].id, 300);
		const char *verdict = json_string_value(json_object_get(s, "verdict"));
		char *log = judge_log(pending[i].id);
		ck_assert_msg(verdict && strcmp(verdict, pending[i].want->verdict) == 0, "%s: expected %s, got %s: %s",
			      pending[i].what, pending[i].want->verdict, verdict ? verdict : "null", log);
		ck_assert_msg(!log_has || strstr(log, log_has), "%s: the judge log lacks '%s': %s", pending[i].what,
			      log_has, log);
		free(log);
		json_decref(s);
	}
}

/* guess-number (legacy `validation: custom interactive`) and sum-twice
   (2023-07 `type: multi-pass`): every jury submission, the hostile ones too
   (one never reads, one floods, one closes its output, one forks, one never
   guesses), gets the verdict of its folder. */
START_TEST(interactive_and_multi_pass_packages_judge_as_their_folders_say)
{
	static const char *const packages[] = {"guess-number", "sum-twice"};
	struct pending pending[64];
	int n = 0;
	for (size_t p = 0; p < 2; p++) {
		long long id = import_package_dir(packages[p], false);
		struct response r;
		char url[64];
		snprintf(url, sizeof url, "/api/problems/%lld", id);
		http_json_request(&r, &srv, "GET", url, srv.admin_token, NULL);
		json_t *checker = json_object_get(r.json, "checker");
		ck_assert_msg(json_is_true(json_object_get(checker, "interactive")) == (p == 0), "%s", r.body);
		ck_assert_int_eq(json_integer_value(json_object_get(checker, "passes")), p == 0 ? 1 : 2);
		response_free(&r);
		for (size_t e = 0; e < 4; e++)
			n = submit_folder(id, packages[p], &expectations[e], false, pending, n);
	}
	ck_assert_int_ge(n, 19);
	check_verdicts(pending, n, NULL);
}
END_TEST

/* An interactor of the guessing game that misbehaves after the right guess:
   `hang` never exits, `flood` floods the submission. */
static const char bad_interactor[] =
	"#include <stdio.h>\n"
	"#include <string.h>\n"
	"int main(int argc, char **argv)\n"
	"{\n"
	"\tlong g;\n"
	"\t(void)argv;\n"
	"\tif (argc < 4)\n"
	"\t\treturn 1;\n"
	"\tprintf(\"10\\n\");\n"
	"\tfflush(stdout);\n"
	"\tif (strcmp(MODE, \"flood\") == 0)\n"
	"\t\tfor (;;)\n"
	"\t\t\tputs(\"correct correct correct correct correct correct correct\");\n"
	"\twhile (scanf(\" guess %ld\", &g) == 1) {\n"
	"\t\tputs(g == 7 ? \"correct\" : g < 7 ? \"higher\" : \"lower\");\n"
	"\t\tfflush(stdout);\n"
	"\t\tif (g == 7)\n"
	"\t\t\tfor (;;)\n"
	"\t\t\t\t;\n"
	"\t}\n"
	"\treturn 43;\n"
	"}\n";

static long long import_bad_interactor(const char *mode)
{
	char yaml_text[] = "name: Bad interactor\nvalidation: custom interactive\nlimits: {time_limit: 1}\n";
	char source[2048], slug[64];
	snprintf(source, sizeof source, "#define MODE \"%s\"\n%s", mode, bad_interactor);
	struct zip z;
	zip_open(&z);
	zip_add(&z, "problem.yaml", yaml_text, strlen(yaml_text));
	zip_add(&z, "data/secret/1.in", "10 7\n", 5);
	zip_add(&z, "data/secret/1.ans", "7\n", 2);
	zip_add(&z, "output_validators/bad/validate.c", source, strlen(source));
	size_t len = zip_close(&z);
	snprintf(slug, sizeof slug, "?slug=bad-%s", mode);
	struct response r = import_zip(z.data, len, slug);
	free(z.data);
	ck_assert_msg(r.status == 201, "import: %ld %s", r.status, r.body);
	long long id = json_integer_value(json_object_get(r.json, "id"));
	response_free(&r);
	return id;
}

/* A multi-pass validator that always asks for one more pass. */
static const char endless_passes[] =
	"#include <stdio.h>\n"
	"int main(int argc, char **argv)\n"
	"{\n"
	"\tchar path[4096];\n"
	"\tif (argc < 4)\n"
	"\t\treturn 1;\n"
	"\tsnprintf(path, sizeof path, \"%s/nextpass.in\", argv[3]);\n"
	"\tFILE *f = fopen(path, \"w\");\n"
	"\treturn f && fputs(\"1\\n\", f) >= 0 && fclose(f) == 0 ? 42 : 1;\n"
	"}\n";

/* The judge's own side failing is a judge error, never the submission's
   fault, and never a stuck judge: an interactor that never exits, one that
   floods the submission, a multi-pass validator past its pass limit. */
START_TEST(hostile_interactors_and_validators_are_judge_errors)
{
	char path[600];
	snprintf(path, sizeof path, "%s/guess-number/submissions/accepted/search.c", packages_dir());
	char *search = slurp(path);
	static const struct expected je = {"-", "JE", 0};
	struct pending pending[3];
	const char *modes[] = {"hang", "flood"};
	for (int i = 0; i < 2; i++) {
		pending[i].id = submit(import_bad_interactor(modes[i]), "c", search);
		snprintf(pending[i].what, sizeof pending[i].what, "an interactor that does '%s'", modes[i]);
		pending[i].want = &je;
	}
	free(search);

	static const char yaml_text[] = "problem_format_version: 2023-07-draft\nname: Endless\ntype: multi-pass\n";
	struct zip z;
	zip_open(&z);
	zip_add(&z, "problem.yaml", yaml_text, strlen(yaml_text));
	zip_add(&z, "data/secret/1.in", "1\n", 2);
	zip_add(&z, "data/secret/1.ans", "1\n", 2);
	zip_add(&z, "output_validator/validate.c", endless_passes, strlen(endless_passes));
	size_t len = zip_close(&z);
	struct response r = import_zip(z.data, len, "?slug=endless");
	free(z.data);
	ck_assert_msg(r.status == 201, "import: %ld %s", r.status, r.body);
	long long endless = json_integer_value(json_object_get(r.json, "id"));
	response_free(&r);
	pending[2].id = submit(endless, "c", "#include <stdio.h>\nint main(void) { puts(\"1\"); return 0; }\n");
	snprintf(pending[2].what, sizeof pending[2].what, "a validator that asks for passes forever");
	pending[2].want = &je;
	check_verdicts(pending, 2, "interactor:");
	check_verdicts(pending + 2, 1, "beyond the limit of 2");
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("packages");
	TCase *tc = tcase_create("packages");
	tcase_set_timeout(tc, 900);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, hostile_packages_are_refused_and_leave_nothing);
	tcase_add_test(tc, cli_imports_a_directory_and_updates_it);
	tcase_add_test(tc, rest_import_of_a_package_with_a_2_mib_validator);
	tcase_add_test(tc, packages_import_and_judge_as_their_folders_say);
	tcase_add_test(tc, interactive_and_multi_pass_packages_judge_as_their_folders_say);
	tcase_add_test(tc, hostile_interactors_and_validators_are_judge_errors);
	suite_add_tcase(suite, tc);
	return test_run_suite(suite);
}
