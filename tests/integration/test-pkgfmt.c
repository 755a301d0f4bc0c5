/* What real Kattis packages carry, through the API and the CLI: symbolic links
 * inside the package (zipped as `zip -y` and `git archive` store them, and
 * imported as a folder), the format's default limits, sources holding NUL
 * bytes, slugs derived from names that must not replace another package's
 * problem, samples-only packages, \problemname titles, PDF statements and
 * their images, and a team's own output on the samples it failed. */
#include <archive_entry.h>
#include <check.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "../unit/zipbuild.h"

static struct server srv;

static const char *packages_dir(void)
{
	const char *d = getenv("VERDICT_PACKAGES");
	ck_assert_msg(d != NULL, "VERDICT_PACKAGES is not set");
	return d;
}

static void setup(void)
{
	const char *args[] = {"--workers", "2", NULL};
	server_start(&srv, args);
}

static void teardown(void)
{
	server_finish(&srv);
}

/* ---- zips of package folders, links kept as links ---- */

static struct zip *current_zip;
static size_t root_len;
static const char *zip_prefix;

static int add_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)ftw;
	char name[1024];
	snprintf(name, sizeof name, "%s%s", zip_prefix, path + root_len + 1);
	if (flag == FTW_SL) {
		char target[1024];
		ssize_t n = readlink(path, target, sizeof target - 1);
		ck_assert_int_gt(n, 0);
		target[n] = '\0';
		zip_entry(current_zip, name, AE_IFLNK, NULL, 0, target);
	} else if (flag == FTW_F && S_ISREG(st->st_mode)) {
		FILE *f = fopen(path, "rb");
		ck_assert_ptr_nonnull(f);
		char *data = malloc((size_t)st->st_size + 1);
		size_t n = fread(data, 1, (size_t)st->st_size, f);
		fclose(f);
		zip_filen(current_zip, name, data, n);
		free(data);
	}
	return 0;
}

/* tests/packages/PKG zipped inside a top-level folder named folder. */
static void zip_package(struct zip *z, const char *pkg, const char *folder)
{
	char dir[512], prefix[256];
	snprintf(dir, sizeof dir, "%s/%s", packages_dir(), pkg);
	snprintf(prefix, sizeof prefix, "%s/", folder);
	zip_begin(z);
	current_zip = z;
	root_len = strlen(dir);
	zip_prefix = prefix;
	ck_assert_int_eq(nftw(dir, add_entry, 16, FTW_PHYS), 0);
	zip_end(z);
}

static struct response import_zip(const struct zip *z, const char *query)
{
	char path[256];
	snprintf(path, sizeof path, "/api/problems/import%s", query ? query : "");
	struct response r;
	http_request(&r, &srv, "POST", path, srv.admin_token, "application/zip", z->out.data, z->out.len, NULL);
	return r;
}

/* Imports PKG (zipped in a folder of its name); expects status, returns the answer. */
static json_t *import_package(const char *pkg, const char *query, long status)
{
	struct zip z;
	zip_package(&z, pkg, pkg);
	struct response r = import_zip(&z, query);
	zip_release(&z);
	ck_assert_msg(r.status == status, "import %s: %ld %s", pkg, r.status, r.body);
	json_t *j = json_incref(r.json);
	response_free(&r);
	return j;
}

/* ---- submissions ---- */

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot read %s", path);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc((size_t)n + 1);
	size_t got = fread(s, 1, (size_t)n, f);
	s[got] = '\0';
	fclose(f);
	if (len)
		*len = got;
	return s;
}

static long long submit_text(long long problem, const char *language, const char *source, size_t len)
{
	json_t *body = json_pack("{s:s, s:s%}", "language", language, "source", source, len);
	char *text = json_dumps(body, JSON_ALLOW_NUL);
	char url[128];
	snprintf(url, sizeof url, "/api/problems/%lld/submissions", problem);
	struct response r;
	http_request(&r, &srv, "POST", url, srv.admin_token, "application/json", text, strlen(text), NULL);
	ck_assert_msg(r.status == 201, "submit: %ld %s", r.status, r.body);
	long long id = json_integer_value(json_object_get(r.json, "id"));
	response_free(&r);
	free(text);
	json_decref(body);
	return id;
}

static long long submit_c(long long problem, const char *source)
{
	return submit_text(problem, "c", source, strlen(source));
}

static long long submit_file(long long problem, const char *pkg, const char *file)
{
	char path[800];
	snprintf(path, sizeof path, "%s/%s/submissions/%s", packages_dir(), pkg, file);
	size_t len;
	char *source = slurp(path, &len);
	long long id = submit_text(problem, "c", source, len);
	free(source);
	return id;
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

static void expect_verdict(long long id, const char *verdict, const char *what)
{
	json_t *s = wait_done(id, 120);
	const char *got = json_string_value(json_object_get(s, "verdict"));
	ck_assert_msg(got && strcmp(got, verdict) == 0, "%s: expected %s, got %s", what, verdict, got ? got : "null");
	json_decref(s);
}

static json_t *get_problem(long long id)
{
	return http_call(&srv, "GET", srv.admin_token, 200, NULL, "/api/problems/%lld", id);
}

/* ---- symbolic links ---- */

/* linked-sum's secret tests are links to the samples and to each other; it
   has no limits, so the format's defaults apply (its big_memory solution
   touches 400 MiB). */
START_TEST(zip_with_links_inside_is_imported_and_judged)
{
	json_t *a = import_package("linked-sum", NULL, 201);
	long long id = json_integer_value(json_object_get(a, "id"));
	ck_assert_str_eq(json_string_value(json_object_get(a, "slug")), "linked-sum");
	ck_assert_int_eq(json_integer_value(json_object_get(a, "test_count")), 5);
	json_decref(a);
	json_t *p = get_problem(id);
	ck_assert_int_eq(json_integer_value(json_object_get(p, "memory_limit_kb")), 2048 * 1024);
	ck_assert_int_eq(json_integer_value(json_object_get(p, "output_limit_kb")), 8 * 1024);
	json_decref(p);
	long long ac = submit_file(id, "linked-sum", "accepted/sum.c");
	long long big = submit_file(id, "linked-sum", "accepted/big_memory.c");
	long long wa = submit_file(id, "linked-sum", "wrong_answer/difference.c");
	expect_verdict(ac, "AC", "accepted/sum.c");
	expect_verdict(big, "AC", "accepted/big_memory.c");
	expect_verdict(wa, "WA", "wrong_answer/difference.c");

	/* A link out of the package is still refused, naming the link. */
	struct zip z;
	zip_begin(&z);
	zip_file(&z, "evil/problem.yaml", "name: Evil\n");
	zip_file(&z, "evil/data/secret/1.ans", "1\n");
	zip_entry(&z, "evil/data/secret/1.in", AE_IFLNK, NULL, 0, "../../../etc/passwd");
	zip_end(&z);
	struct response r = import_zip(&z, NULL);
	zip_release(&z);
	expect_error(&r, 400, "validation");
	const char *m = json_string_value(json_object_get(json_object_get(r.json, "error"), "message"));
	ck_assert_msg(strstr(m, "evil/data/secret/1.in") && strstr(m, "points outside the package"), "%s", m);
	response_free(&r);
}
END_TEST

START_TEST(cli_imports_a_folder_with_links_inside)
{
	ck_assert_int_eq(server_stop(&srv), 0);
	char cmd[2048];
	snprintf(cmd, sizeof cmd, "'%s' problem import '%s/linked-sum' --data '%s' >'%s/cli.out' 2>&1",
		 test_verdict_bin(), packages_dir(), srv.data, srv.dir);
	ck_assert_int_eq(WEXITSTATUS(system(cmd)), 0);
	/* a copy whose link leaves the package is refused, naming the link */
	snprintf(cmd, sizeof cmd,
		 "cp -a '%s/linked-sum' '%s/evil' && ln -sf ../../../cli.out '%s/evil/data/secret/02.ans' && "
		 "'%s' problem import '%s/evil' --data '%s' 2>'%s/cli.err'",
		 packages_dir(), srv.dir, srv.dir, test_verdict_bin(), srv.dir, srv.data, srv.dir);
	ck_assert_int_eq(WEXITSTATUS(system(cmd)), 1);
	snprintf(cmd, sizeof cmd, "grep -Eq 'data/secret/0[23].ans: symbolic link points outside the package' '%s/cli.err'",
		 srv.dir);
	ck_assert_int_eq(WEXITSTATUS(system(cmd)), 0);
	server_restart(&srv, NULL);
	json_t *list = http_call(&srv, "GET", srv.admin_token, 200, NULL, "/api/problems");
	ck_assert_int_eq(json_integer_value(json_object_get(list, "total")), 1);
	json_t *item = json_array_get(json_object_get(list, "items"), 0);
	long long id = json_integer_value(json_object_get(item, "id"));
	json_decref(list);
	json_t *p = get_problem(id);
	ck_assert_int_eq(json_integer_value(json_object_get(p, "test_count")), 5);
	json_decref(p);
	expect_verdict(submit_file(id, "linked-sum", "accepted/sum.c"), "AC", "accepted/sum.c");
}
END_TEST

/* ---- sources holding NUL bytes ---- */

/* Stored and compiled as sent, with their NULs: the compiler sees one (and
   splits "main" with it); other JSON bodies still refuse NULs, naming no library. */
START_TEST(source_with_a_nul_byte_is_judged)
{
	json_t *a = import_package("linked-sum", NULL, 201);
	long long problem = json_integer_value(json_object_get(a, "id"));
	json_decref(a);
	static const char source[] = "int ma\0in(void) { return 0; }\n";
	long long id = submit_text(problem, "c", source, sizeof source - 1);
	json_t *s = wait_done(id, 120);
	ck_assert_str_eq(json_string_value(json_object_get(s, "verdict")), "CE");
	json_t *got = json_object_get(s, "source");
	ck_assert_uint_eq(json_string_length(got), sizeof source - 1);
	ck_assert_int_eq(memcmp(json_string_value(got), source, sizeof source - 1), 0);
	const char *out = json_string_value(json_object_get(s, "compile_output"));
	ck_assert_msg(out && strstr(out, "null character"), "%s", out ? out : "(none)");
	json_decref(s);

	/* the contest route takes them too; the other JSON bodies do not */
	struct response r;
	http_json_request(&r, &srv, "POST", "/api/problems", srv.admin_token,
			  "{\"slug\": \"v\", \"title\": \"T\\u0000\", \"tests\": [{\"input\": \"\", \"output\": \"\"}]}");
	expect_error(&r, 400, "invalid_json");
	const char *m = json_string_value(json_object_get(json_object_get(r.json, "error"), "message"));
	ck_assert_msg(strstr(m, "NUL") && !strstr(m, "JSON_ALLOW_NUL") && !strstr(m, "jansson"), "%s", m);
	response_free(&r);
	/* an empty source is still refused, a NUL alone is not empty */
	http_json_request(&r, &srv, "POST", "/api/problems/1/submissions", srv.admin_token,
			  "{\"language\": \"c\", \"source\": \"\"}");
	expect_error(&r, 400, "validation");
	response_free(&r);
	long long nul = submit_text(problem, "c", "\0", 1);
	s = wait_done(nul, 120);
	ck_assert_str_eq(json_string_value(json_object_get(s, "verdict")), "CE");
	ck_assert_uint_eq(json_string_length(json_object_get(s, "source")), 1);
	json_decref(s);
}
END_TEST

/* ---- which problem a derived slug may update ---- */

static json_t *import_built(struct zip *z, const char *query, long status)
{
	zip_end(z);
	struct response r = import_zip(z, query);
	zip_release(z);
	ck_assert_msg(r.status == status, "import: expected %ld, got %ld %s", status, r.status, r.body);
	json_t *j = json_incref(r.json);
	response_free(&r);
	return j;
}

/* A package with its files at prefix ("" or "folder/"), problem.yaml given. */
static void build_package(struct zip *z, const char *prefix, const char *yaml, const char *answer)
{
	char name[256];
	zip_begin(z);
	snprintf(name, sizeof name, "%sproblem.yaml", prefix);
	zip_file(z, name, yaml);
	snprintf(name, sizeof name, "%sdata/secret/1.in", prefix);
	zip_file(z, name, "1\n");
	snprintf(name, sizeof name, "%sdata/secret/1.ans", prefix);
	zip_file(z, name, answer);
}

static const char *error_message(const json_t *j)
{
	return json_string_value(json_object_get(json_object_get(j, "error"), "message"));
}

/* Two different "Sample problem"s, both zipped at the root (so the slug comes
   from the name): the second never replaces the first. */
START_TEST(derived_slug_never_replaces_another_package)
{
	struct zip z;
	build_package(&z, "", "name: Sample problem\n", "1\n");
	json_t *a = import_built(&z, NULL, 201);
	long long first = json_integer_value(json_object_get(a, "id"));
	ck_assert_str_eq(json_string_value(json_object_get(a, "slug")), "sample-problem");
	json_decref(a);

	build_package(&z, "", "name: Sample problem\n", "2\n");
	a = import_built(&z, NULL, 409);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(a, "error"), "code")), "conflict");
	const char *m = error_message(a);
	char id[32];
	snprintf(id, sizeof id, "problem %lld", first);
	ck_assert_msg(strstr(m, id) && strstr(m, "'sample-problem'") && strstr(m, "?slug=sample-problem"), "%s", m);
	json_decref(a);
	json_t *p = get_problem(first);
	ck_assert_int_eq(json_integer_value(json_object_get(p, "test_count")), 1);
	json_decref(p);
	/* ?slug= says which: the same one (updated), or another (a second problem) */
	build_package(&z, "", "name: Sample problem\n", "2\n");
	a = import_built(&z, "?slug=sample-problem", 200);
	ck_assert_int_eq(json_integer_value(json_object_get(a, "id")), first);
	json_decref(a);
	build_package(&z, "", "name: Sample problem\n", "3\n");
	a = import_built(&z, "?slug=sample-problem-2", 201);
	json_decref(a);

	/* The same folder is the same package (updated); the same folder with another uuid is not. */
	build_package(&z, "hello/", "name: Hello\n", "1\n");
	a = import_built(&z, NULL, 201);
	long long hello = json_integer_value(json_object_get(a, "id"));
	json_decref(a);
	build_package(&z, "hello/", "name: Hello again\n", "1\n");
	a = import_built(&z, NULL, 200);
	ck_assert_int_eq(json_integer_value(json_object_get(a, "id")), hello);
	json_decref(a);
	build_package(&z, "uuid/", "name: U\nuuid: 11111111-2222-3333-4444-555555555555\n", "1\n");
	a = import_built(&z, NULL, 201);
	json_decref(a);
	build_package(&z, "uuid/", "name: U\nuuid: 11111111-2222-3333-4444-555555555555\n", "2\n");
	a = import_built(&z, NULL, 200);
	json_decref(a);
	build_package(&z, "uuid/", "name: U\nuuid: 99999999-2222-3333-4444-555555555555\n", "2\n");
	a = import_built(&z, NULL, 409);
	ck_assert_msg(strstr(error_message(a), "uuid:11111111-2222-3333-4444-555555555555"), "%s", error_message(a));
	json_decref(a);
	/* A problem written as JSON is not a package's either. */
	json_decref(http_call(&srv, "POST", srv.admin_token, 201,
			      "{\"slug\": \"json-made\", \"title\": \"J\", \"tests\": [{\"input\": \"\", \"output\": \"\"}]}",
			      "/api/problems"));
	build_package(&z, "json-made/", "name: J\n", "1\n");
	a = import_built(&z, NULL, 409);
	ck_assert_msg(strstr(error_message(a), "not imported from a package"), "%s", error_message(a));
	json_decref(a);
	json_t *list = http_call(&srv, "GET", srv.admin_token, 200, NULL, "/api/problems");
	ck_assert_int_eq(json_integer_value(json_object_get(list, "total")), 5);
	json_decref(list);
}
END_TEST

/* ---- samples only ---- */

START_TEST(samples_only_package_is_imported_with_a_warning)
{
	json_t *a = import_package("samples-only", NULL, 201);
	long long id = json_integer_value(json_object_get(a, "id"));
	ck_assert_int_eq(json_integer_value(json_object_get(a, "test_count")), 2);
	json_t *w = json_object_get(a, "warnings");
	ck_assert_uint_eq(json_array_size(w), 1);
	ck_assert_msg(strstr(json_string_value(json_array_get(w, 0)), "data/secret: no test cases"), "%s",
		      json_string_value(json_array_get(w, 0)));
	json_decref(a);
	expect_verdict(submit_file(id, "samples-only", "accepted/double.c"), "AC", "accepted/double.c");
	expect_verdict(submit_file(id, "samples-only", "wrong_answer/square.c"), "WA", "wrong_answer/square.c");
	/* a full package answers an empty list */
	a = import_package("linked-sum", NULL, 201);
	ck_assert_uint_eq(json_array_size(json_object_get(a, "warnings")), 0);
	json_decref(a);
}
END_TEST

/* ---- LaTeX titles, PDF statements and images ---- */

static void expect_file(const char *url, const char *token, const char *cookie, const char *type, const char *file)
{
	char path[600], header[200], got[100];
	snprintf(path, sizeof path, "%s/pdf-statement/problem_statement/%s", packages_dir(), file);
	size_t len;
	char *want = slurp(path, &len);
	const char *headers[] = {header, NULL};
	snprintf(header, sizeof header, "Cookie: verdict_session=%s", cookie ? cookie : "");
	struct response r;
	http_request(&r, &srv, "GET", url, token, NULL, NULL, 0, cookie ? headers : NULL);
	ck_assert_msg(r.status == 200, "%s: %ld %s", url, r.status, r.body);
	ck_assert(response_header(&r, "Content-Type", got, sizeof got));
	ck_assert_str_eq(got, type);
	ck_assert_uint_eq(r.body_len, len);
	ck_assert_int_eq(memcmp(r.body, want, len), 0);
	response_free(&r);
	free(want);
}

/* pdf-statement has no name in problem.yaml: its title is the LaTeX
   \problemname; its PDF is served, and the image its statement shows, to
   whoever sees the problem (by token or by the session cookie an <img> sends). */
START_TEST(latex_title_pdf_statement_and_images)
{
	json_t *a = import_package("pdf-statement", NULL, 201);
	long long id = json_integer_value(json_object_get(a, "id"));
	json_decref(a);
	json_t *p = get_problem(id);
	ck_assert_str_eq(json_string_value(json_object_get(p, "title")), "Echo the Line");
	ck_assert_str_eq(json_string_value(json_object_get(p, "slug")), "pdf-statement");
	char pdf[128], img[128];
	snprintf(pdf, sizeof pdf, "/api/problems/%lld/statement.pdf", id);
	snprintf(img, sizeof img, "/api/problems/%lld/files/figure.png", id);
	ck_assert_str_eq(json_string_value(json_object_get(p, "statement_pdf")), pdf);
	json_t *images = json_object_get(p, "statement_images");
	ck_assert_uint_eq(json_array_size(images), 1); /* unused.png is not named by the statement */
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(images, 0), "name")), "figure.png");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(images, 0), "url")), img);
	json_decref(p);

	char user[128];
	test_create_user(&srv, "alice", false, user, sizeof user);
	expect_file(pdf, srv.admin_token, NULL, "application/pdf", "problem.en.pdf");
	expect_file(pdf, user, NULL, "application/pdf", "problem.en.pdf");
	expect_file(img, user, NULL, "image/png", "figure.png");
	expect_file(img, NULL, user, "image/png", "figure.png");

	struct response r;
	http_request(&r, &srv, "GET", img, NULL, NULL, NULL, 0, NULL);
	expect_error(&r, 401, "unauthorized");
	response_free(&r);
	char path[128];
	snprintf(path, sizeof path, "/api/problems/%lld/files/unused.png", id);
	expect_json_error(&srv, "GET", path, user, NULL, 404, "not_found");
	snprintf(path, sizeof path, "/api/problems/%lld/statement.pdf", id + 1);
	expect_json_error(&srv, "GET", path, user, NULL, 404, "not_found");
	/* a problem without a PDF says null, and has none to serve */
	a = import_package("linked-sum", NULL, 201);
	long long plain = json_integer_value(json_object_get(a, "id"));
	json_decref(a);
	p = get_problem(plain);
	ck_assert(json_is_null(json_object_get(p, "statement_pdf")));
	ck_assert_uint_eq(json_array_size(json_object_get(p, "statement_images")), 0);
	json_decref(p);
	snprintf(path, sizeof path, "/api/problems/%lld/statement.pdf", plain);
	expect_json_error(&srv, "GET", path, user, NULL, 404, "not_found");
	/* re-importing replaces the files: the same package without its PDF has none */
	struct zip z;
	zip_begin(&z);
	zip_file(&z, "pdf-statement/problem.yaml", "name: Echo\n");
	zip_file(&z, "pdf-statement/data/secret/1.in", "x\n");
	zip_file(&z, "pdf-statement/data/secret/1.ans", "x\n");
	zip_end(&z);
	r = import_zip(&z, NULL);
	zip_release(&z);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	response_free(&r);
	expect_json_error(&srv, "GET", pdf, user, NULL, 404, "not_found");
}
END_TEST

/* ---- what a failed test shows the team ---- */

/* The test object of index idx in a submission. */
static json_t *test_of(json_t *s, int idx)
{
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(s, "tests"), i, t)
		if (json_integer_value(json_object_get(t, "index")) == idx)
			return t;
	ck_abort_msg("no test %d in %s", idx, json_dumps(s, 0));
	return NULL;
}

/* Says "expected N" to the team on every wrong answer. */
static const char team_validator[] =
	"#include <stdio.h>\n"
	"int main(int argc, char **argv)\n"
	"{\n"
	"\tlong want, got;\n"
	"\tchar path[4096];\n"
	"\tFILE *a, *t;\n"
	"\tif (argc < 4 || !(a = fopen(argv[2], \"r\")) || fscanf(a, \"%ld\", &want) != 1)\n"
	"\t\treturn 1;\n"
	"\tif (scanf(\"%ld\", &got) == 1 && got == want)\n"
	"\t\treturn 42;\n"
	"\tsnprintf(path, sizeof path, \"%s/teammessage.txt\", argv[3]);\n"
	"\tif (!(t = fopen(path, \"w\")))\n"
	"\t\treturn 1;\n"
	"\tfprintf(t, \"expected %ld\", want);\n"
	"\treturn fclose(t) == 0 ? 43 : 1;\n"
	"}\n";

START_TEST(failed_samples_show_the_teams_output)
{
	json_t *a = import_package("linked-sum", NULL, 201);
	long long sum = json_integer_value(json_object_get(a, "id"));
	json_decref(a);
	char alice[128], bob[128];
	test_create_user(&srv, "alice", false, alice, sizeof alice);
	test_create_user(&srv, "bob", false, bob, sizeof bob);

	/* a wrong sample: the team's output beside the expected one */
	json_t *body = json_pack("{s:s, s:s}", "language", "c", "source",
				 "#include <stdio.h>\nint main(void) { long a, b; scanf(\"%ld %ld\", &a, &b);"
				 " printf(\"%ld\\n\", a - b); return 0; }\n");
	char *text = json_dumps(body, 0);
	json_decref(body);
	char url[128];
	snprintf(url, sizeof url, "/api/problems/%lld/submissions", sum);
	json_t *created = http_call(&srv, "POST", alice, 201, text, "%s", url);
	free(text);
	long long wrong = json_integer_value(json_object_get(created, "id"));
	json_decref(created);
	json_decref(wait_done(wrong, 120));
	json_t *s = http_call(&srv, "GET", alice, 200, NULL, "/api/submissions/%lld", wrong);
	ck_assert_str_eq(json_string_value(json_object_get(s, "verdict")), "WA");
	json_t *t = test_of(s, 1);
	ck_assert_str_eq(json_string_value(json_object_get(t, "group")), "sample");
	ck_assert_str_eq(json_string_value(json_object_get(t, "output")), "-1\n");
	ck_assert_str_eq(json_string_value(json_object_get(t, "expected")), "3\n");
	ck_assert_ptr_null(json_object_get(t, "team_message"));
	json_decref(s);
	/* ... to its owner and the jury only */
	json_t *other = http_call(&srv, "GET", bob, 200, NULL, "/api/submissions/%lld", wrong);
	ck_assert_ptr_null(json_object_get(test_of(other, 1), "output"));
	json_decref(other);
	s = http_call(&srv, "GET", srv.admin_token, 200, NULL, "/api/submissions/%lld", wrong);
	ck_assert_ptr_nonnull(json_object_get(test_of(s, 1), "output"));
	json_decref(s);

	/* right on the samples, wrong on a hidden test: nothing of its output is shown */
	long long hidden = submit_c(sum, "#include <stdio.h>\nint main(void) { puts(\"3\"); return 0; }\n");
	s = wait_done(hidden, 120);
	ck_assert_str_eq(json_string_value(json_object_get(s, "verdict")), "WA");
	t = NULL; /* the hidden test with 40 2 */
	size_t k;
	json_t *each;
	json_array_foreach(json_object_get(s, "tests"), k, each)
		if (strcmp(json_string_value(json_object_get(each, "verdict")), "WA") == 0)
			t = each;
	ck_assert_ptr_nonnull(t);
	ck_assert_str_eq(json_string_value(json_object_get(t, "group")), "secret");
	ck_assert_ptr_null(json_object_get(t, "output"));
	ck_assert_ptr_null(json_object_get(t, "expected"));
	json_decref(s);

	/* a validator's team message, on a sample and on a hidden test */
	struct zip z;
	zip_begin(&z);
	zip_file(&z, "problem.yaml", "name: Told\nvalidation: custom\n");
	zip_file(&z, "data/sample/1.in", "5\n");
	zip_file(&z, "data/sample/1.ans", "5\n");
	zip_file(&z, "data/secret/1.in", "7\n");
	zip_file(&z, "data/secret/1.ans", "7\n");
	zip_file(&z, "output_validators/told/validate.c", team_validator);
	a = import_built(&z, "?slug=told", 201);
	long long told = json_integer_value(json_object_get(a, "id"));
	json_decref(a);
	long long off = submit_c(told, "#include <stdio.h>\nint main(void) { puts(\"4\"); return 0; }\n");
	s = wait_done(off, 120);
	t = test_of(s, 1);
	ck_assert_str_eq(json_string_value(json_object_get(t, "verdict")), "WA");
	ck_assert_str_eq(json_string_value(json_object_get(t, "team_message")), "expected 5");
	ck_assert_str_eq(json_string_value(json_object_get(t, "output")), "4\n");
	json_decref(s);
	long long echo = submit_c(told,
				     "#include <stdio.h>\nint main(void) { int n; scanf(\"%d\", &n);"
				     " printf(\"%d\\n\", n == 5 ? 5 : 6); return 0; }\n");
	s = wait_done(echo, 120);
	t = test_of(s, 2);
	ck_assert_str_eq(json_string_value(json_object_get(t, "verdict")), "WA");
	ck_assert_str_eq(json_string_value(json_object_get(t, "team_message")), "expected 7");
	ck_assert_ptr_null(json_object_get(t, "output"));
	ck_assert_ptr_null(json_object_get(test_of(s, 1), "team_message")); /* accepted: said nothing */
	json_decref(s);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("pkgfmt");
	TCase *tc = tcase_create("pkgfmt");
	tcase_set_timeout(tc, 300);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, zip_with_links_inside_is_imported_and_judged);
	tcase_add_test(tc, cli_imports_a_folder_with_links_inside);
	tcase_add_test(tc, source_with_a_nul_byte_is_judged);
	tcase_add_test(tc, derived_slug_never_replaces_another_package);
	tcase_add_test(tc, samples_only_package_is_imported_with_a_warning);
	tcase_add_test(tc, latex_title_pdf_statement_and_images);
	tcase_add_test(tc, failed_samples_show_the_teams_output);
	suite_add_tcase(suite, tc);
	return test_run_suite(suite);
}
