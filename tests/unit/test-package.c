/* Unit tests for package: zips built in memory for every feature and every
 * hostile case, and the real packages of tests/packages read as directories. */
#include <archive.h>
#include <archive_entry.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "import.h"
#include "package.h"
#include "validator.h"
#include "zipbuild.h"
#include "util.h"

#define PROBLEM_YAML "name: Sum\n"

/* A small valid package under prefix ("" or "folder/"), problem.yaml given. */
static void add_basic(struct zip *z, const char *prefix, const char *problem_yaml)
{
	char path[256];
	static const char *const files[][2] = {
		{"problem_statement/problem.en.md", "Add two numbers.\n"},
		{"data/sample/1.in", "1 2\n"},
		{"data/sample/1.ans", "3\n"},
		{"data/secret/1.in", "5 7\n"},
		{"data/secret/1.ans", "12\n"},
	};
	if (problem_yaml) {
		snprintf(path, sizeof path, "%sproblem.yaml", prefix);
		zip_file(z, path, problem_yaml);
	}
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		snprintf(path, sizeof path, "%s%s", prefix, files[i][0]);
		zip_file(z, path, files[i][1]);
	}
}

static char *last_err;

static int read_zip(struct zip *z, const struct package_limits *lim, struct package **p)
{
	free(last_err);
	last_err = NULL;
	*p = NULL;
	int rc = package_read_zip(z->out.data, z->out.len, lim, p, &last_err);
	if (rc == 0)
		ck_assert_ptr_null(last_err);
	else
		ck_assert_ptr_null(*p);
	return rc;
}

/* Reads z and returns the package, failing the test on an error. */
static struct package *must_read(struct zip *z)
{
	struct package *p;
	int rc = read_zip(z, NULL, &p);
	ck_assert_msg(rc == 0, "read failed (%d): %s", rc, last_err ? last_err : "");
	return p;
}

/* Reads z, expects PACKAGE_E_INVALID with an error containing needle. */
static void must_reject(struct zip *z, const struct package_limits *lim, const char *needle)
{
	struct package *p;
	int rc = read_zip(z, lim, &p);
	ck_assert_msg(rc == PACKAGE_E_INVALID, "expected rejection with '%s', got %d", needle, rc);
	ck_assert_msg(last_err && strstr(last_err, needle), "expected '%s' in '%s'", needle, last_err);
	package_free(p);
}

/* One package from problem.yaml plus extra files (name, content pairs). */
static void zip_with(struct zip *z, const char *problem_yaml, const char *const *extra, size_t n)
{
	zip_begin(z);
	add_basic(z, "", problem_yaml);
	for (size_t i = 0; i + 1 < n; i += 2)
		zip_file(z, extra[i], extra[i + 1]);
	zip_end(z);
}

static void reject_yaml(const char *problem_yaml, const char *needle)
{
	struct zip z;
	zip_with(&z, problem_yaml, NULL, 0);
	must_reject(&z, NULL, needle);
	zip_release(&z);
}

/* Features */

START_TEST(minimal_package_at_root)
{
	struct zip z;
	zip_with(&z, PROBLEM_YAML, NULL, 0);
	struct package *p = must_read(&z);
	ck_assert_str_eq(p->name, "Sum");
	ck_assert_ptr_null(p->folder);
	ck_assert_str_eq(p->statement, "Add two numbers.\n");
	ck_assert(p->statement_is_markdown);
	ck_assert_int_eq(p->time_limit_ms, 1000);
	ck_assert_int_eq(p->memory_limit_kb, 2048 * 1024);
	ck_assert_int_eq(p->output_limit_kb, 8 * 1024);
	ck_assert(!p->scoring);
	ck_assert_int_eq(p->checker.type, CHECKER_KATTIS);
	ck_assert(!p->checker.case_sensitive && !p->checker.space_change_sensitive);
	ck_assert_ptr_null(p->validator_flags);
	ck_assert_uint_eq(p->validator_count, 0);
	ck_assert_uint_eq(p->test_count, 2);
	ck_assert_str_eq(p->tests[0].name, "sample/1");
	ck_assert_str_eq(p->tests[0].group, "sample");
	ck_assert(p->tests[0].sample);
	ck_assert_str_eq(p->tests[0].input, "1 2\n");
	ck_assert_uint_eq(p->tests[0].input_len, 4);
	ck_assert_str_eq(p->tests[0].answer, "3\n");
	ck_assert_str_eq(p->tests[1].name, "secret/1");
	ck_assert_str_eq(p->tests[1].group, "secret");
	ck_assert(!p->tests[1].sample);
	ck_assert_str_eq(p->tests[1].answer, "12\n");
	ck_assert_uint_eq(p->group_count, 2);
	ck_assert_str_eq(p->groups[0].name, "sample");
	ck_assert_str_eq(p->groups[1].name, "secret");
	ck_assert(p->groups[1].points == 0);
	ck_assert_uint_eq(p->groups[1].test_count, 1);
	package_free(p);
	zip_release(&z);
}
END_TEST

START_TEST(single_top_folder_and_macos_junk)
{
	struct zip z;
	zip_begin(&z);
	zip_entry(&z, "sumprob/", AE_IFDIR, NULL, 0, NULL);
	add_basic(&z, "sumprob/", PROBLEM_YAML);
	zip_file(&z, "__MACOSX/sumprob/._problem.yaml", "junk");
	zip_file(&z, ".DS_Store", "junk");
	zip_file(&z, "sumprob/.git/config", "junk");
	zip_file(&z, "sumprob/data/secret/.hidden.in", "ignored");
	zip_end(&z);
	struct package *p = must_read(&z);
	ck_assert_str_eq(p->folder, "sumprob");
	ck_assert_uint_eq(p->test_count, 2);
	package_free(p);
	zip_release(&z);

	zip_begin(&z); /* two folders: ambiguous */
	add_basic(&z, "a/", PROBLEM_YAML);
	add_basic(&z, "b/", PROBLEM_YAML);
	zip_end(&z);
	must_reject(&z, NULL, "problem.yaml: not found at the root of the archive or in a single top-level folder");
	zip_release(&z);
}
END_TEST

START_TEST(limits_and_timelimit_file)
{
	struct zip z;
	zip_with(&z, "name: Sum\nlimits:\n  time_limit: 2.5\n  memory: 512\n  output: 16\n", NULL, 0);
	struct package *p = must_read(&z);
	ck_assert_int_eq(p->time_limit_ms, 2500);
	ck_assert_int_eq(p->memory_limit_kb, 512 * 1024);
	ck_assert_int_eq(p->output_limit_kb, 16 * 1024);
	package_free(p);
	zip_release(&z);

	const char *tl[] = {".timelimit", " 3\n"};
	zip_with(&z, PROBLEM_YAML, tl, 2);
	p = must_read(&z);
	ck_assert_int_eq(p->time_limit_ms, 3000);
	package_free(p);
	zip_release(&z);

	zip_with(&z, "name: Sum\nlimits: {time_limit: 2}\n", tl, 2); /* problem.yaml wins */
	p = must_read(&z);
	ck_assert_int_eq(p->time_limit_ms, 2000);
	package_free(p);
	zip_release(&z);

	const char *bad_tl[] = {".timelimit", "fast\n"};
	zip_with(&z, PROBLEM_YAML, bad_tl, 2);
	must_reject(&z, NULL, ".timelimit: must hold a number of seconds");
	zip_release(&z);
}
END_TEST

START_TEST(validator_flags_configure_the_checker)
{
	struct zip z;
	zip_with(&z, "name: Sum\nvalidation: default\nvalidator_flags: case_sensitive float_tolerance 1e-4\n", NULL, 0);
	struct package *p = must_read(&z);
	ck_assert_int_eq(p->checker.type, CHECKER_KATTIS);
	ck_assert(p->checker.case_sensitive);
	ck_assert(!p->checker.space_change_sensitive);
	ck_assert(p->checker.float_abs == 1e-4 && p->checker.float_rel == 1e-4);
	ck_assert_str_eq(p->validator_flags, "case_sensitive float_tolerance 1e-4");
	package_free(p);
	zip_release(&z);

	reject_yaml("name: Sum\nvalidator_flags: case_insensitive\n", "problem.yaml: validator_flags: unknown flag 'case_insensitive'");
}
END_TEST

START_TEST(custom_validator_forms)
{
	struct zip z;
	const char *folder[] = {"output_validators/perm/validate.c", "int main(void) { return 42; }\n",
	                        "output_validators/perm/lib/util.h", "/* helper */\n"};
	zip_with(&z, "name: Perm\nvalidation: custom\nvalidator_flags: strict\n", folder, 4);
	struct package *p = must_read(&z);
	ck_assert_int_eq(p->checker.type, CHECKER_CUSTOM);
	ck_assert_str_eq(p->validator_flags, "strict");
	ck_assert_str_eq(p->validator_name, "perm");
	ck_assert_uint_eq(p->validator_count, 2);
	ck_assert_str_eq(p->validator_files[0].path, "lib/util.h");
	ck_assert_str_eq(p->validator_files[1].path, "validate.c");
	ck_assert_str_eq(p->validator_files[1].data, "int main(void) { return 42; }\n");
	package_free(p);
	zip_release(&z);

	const char *single[] = {"output_validators/check.py", "import sys\nsys.exit(42)\n"};
	zip_with(&z, "name: Perm\nvalidation: custom\n", single, 2);
	p = must_read(&z);
	ck_assert_str_eq(p->validator_name, "check.py");
	ck_assert_uint_eq(p->validator_count, 1);
	ck_assert_str_eq(p->validator_files[0].path, "check.py");
	package_free(p);
	zip_release(&z);

	/* 2023-07 and later: output_validator/ and no `validation` key */
	const char *modern[] = {"output_validator/validator.cpp", "int main() { return 42; }\n"};
	zip_with(&z, "problem_format_version: 2023-07-draft\nname: Perm\n", modern, 2);
	p = must_read(&z);
	ck_assert_int_eq(p->checker.type, CHECKER_CUSTOM);
	ck_assert_str_eq(p->validator_files[0].path, "validator.cpp");
	package_free(p);
	zip_release(&z);

	/* interactive and multi-pass: a custom validator with those flags */
	zip_with(&z, "name: Guess\nvalidation: custom interactive\n", folder, 4);
	p = must_read(&z);
	ck_assert(p->checker.type == CHECKER_CUSTOM && p->checker.interactive && p->checker.passes == 1);
	package_free(p);
	zip_release(&z);
	zip_with(&z, "problem_format_version: 2023-07-draft\nname: Guess\ntype: interactive\n", modern, 2);
	p = must_read(&z);
	ck_assert(p->checker.type == CHECKER_CUSTOM && p->checker.interactive && p->checker.passes == 1);
	package_free(p);
	zip_release(&z);
	zip_with(&z, "problem_format_version: 2023-07-draft\nname: Twice\ntype: multi-pass\n", modern, 2);
	p = must_read(&z);
	ck_assert(p->checker.type == CHECKER_CUSTOM && !p->checker.interactive && p->checker.passes == 2);
	package_free(p);
	zip_release(&z);
	zip_with(&z, "problem_format_version: 2023-07-draft\nname: Thrice\ntype: [multi-pass, interactive]\n"
		 "limits: {validation_passes: 5}\n", modern, 2);
	p = must_read(&z);
	ck_assert(p->checker.type == CHECKER_CUSTOM && p->checker.interactive && p->checker.passes == 5);
	package_free(p);
	zip_release(&z);

	/* legacy without `validation: custom`: the default validator, files ignored */
	zip_with(&z, "name: Perm\n", folder, 4);
	p = must_read(&z);
	ck_assert_int_eq(p->checker.type, CHECKER_KATTIS);
	ck_assert_uint_eq(p->validator_count, 0);
	package_free(p);
	zip_release(&z);
}
END_TEST

START_TEST(custom_validator_errors)
{
	struct zip z;
	zip_with(&z, "name: Perm\nvalidation: custom\n", NULL, 0);
	must_reject(&z, NULL, "output_validators: missing");
	zip_release(&z);

	const char *two[] = {"output_validators/a/a.c", "x", "output_validators/b/b.c", "y"};
	zip_with(&z, "name: Perm\nvalidation: custom\n", two, 4);
	must_reject(&z, NULL, "output_validators: holds more than one validator ('a' and 'b')");
	zip_release(&z);

	const char *nosrc[] = {"output_validators/a/README", "x"};
	zip_with(&z, "name: Perm\nvalidation: custom\n", nosrc, 2);
	must_reject(&z, NULL, "output_validators/a: no C, C++ or Python source file");
	zip_release(&z);

	reject_yaml("name: Perm\nvalidation: custom score\n", "output_validators: missing");
	const char *one[] = {"output_validators/a/a.c", "int main(void) { return 42; }"};
	zip_with(&z, "name: Perm\nvalidation: custom score\n", one, 2);
	must_reject(&z, NULL, "problem.yaml: validation 'custom score' needs 'type: scoring'");
	zip_release(&z);
	zip_with(&z, "name: Perm\ntype: scoring\nvalidation: custom score\n", one, 2);
	struct package *scored;
	ck_assert_int_eq(read_zip(&z, NULL, &scored), 0);
	ck_assert(scored->checker.type == CHECKER_CUSTOM && scored->checker.score);
	ck_assert_str_eq(scored->checker.score_aggregation, "sum");
	package_free(scored);
	zip_release(&z);
	reject_yaml("name: Perm\nvalidation: default interactive\n", "validation 'interactive' is not supported");
	reject_yaml("name: Perm\ntype: interactive\n", "output_validators: missing");
	reject_yaml("name: Perm\nvalidation: magic\n", "'validation' must start with default or custom");
}
END_TEST

/* A compiler that is never to be reached. */
static int compile_unreached(void *ctx, const struct validator_source *files, size_t count, struct validator *out,
			     char **message)
{
	(void)ctx, (void)files, (void)out, (void)message;
	ck_abort_msg("compiled a validator of %zu files that the limits refuse", count);
	return 0;
}

/* A compiler that refuses everything: the limits let the validator through to it. */
static int compile_refused(void *ctx, const struct validator_source *files, size_t count, struct validator *out,
			   char **message)
{
	(void)files, (void)count, (void)out;
	(*(int *)ctx)++;
	*message = xstrdup("stub compiler");
	return VALIDATOR_E_COMPILE;
}

/* Imports a custom validator of `files` files and `flags` flag words; returns import_package's code. */
static int import_validator(size_t files, size_t flags, import_compile_fn compile, void *ctx, char **err)
{
	char *yaml = xstrdup("name: Perm\nvalidation: custom\nvalidator_flags:");
	for (size_t i = 0; i < flags; i++) {
		char *more = xasprintf("%s f%zu", yaml, i);
		free(yaml);
		yaml = more;
	}
	char *full = xasprintf("%s\n", yaml);
	free(yaml);
	struct zip z;
	zip_begin(&z);
	add_basic(&z, "", full);
	zip_file(&z, "output_validators/v/validate.c", "int main(void) { return 42; }\n");
	for (size_t i = 1; i < files; i++) {
		char path[64];
		snprintf(path, sizeof path, "output_validators/v/lib/h%zu.h", i);
		zip_file(&z, path, "/* */\n");
	}
	zip_end(&z);
	free(full);
	struct package *p = must_read(&z);
	ck_assert_uint_eq(p->validator_count, files);
	struct import_result result;
	/* The limits are checked before anything is stored: no database is needed to refuse. */
	int rc = import_package(NULL, p, "perm", compile, ctx, &result, err);
	package_free(p);
	zip_release(&z);
	return rc;
}

/* Too many validator files or flags: refused at import, the message naming the limit, nothing compiled. */
START_TEST(import_refuses_validators_past_the_limits)
{
	char *err = NULL;
	ck_assert_int_eq(import_validator(VALIDATOR_MAX_FILES + 1, 1, compile_unreached, NULL, &err), IMPORT_E_INVALID);
	ck_assert_msg(strstr(err, "257 files, more than the 256"), "%s", err);
	free(err);
	err = NULL;
	ck_assert_int_eq(import_validator(1, VALIDATOR_MAX_FLAGS + 1, compile_unreached, NULL, &err), IMPORT_E_INVALID);
	ck_assert_msg(strstr(err, "validator_flags has 65 words, more than the 64"), "%s", err);
	free(err);
	err = NULL;
	/* At the limits: on to the compiler. */
	int compiled = 0;
	ck_assert_int_eq(import_validator(VALIDATOR_MAX_FILES, VALIDATOR_MAX_FLAGS, compile_refused, &compiled, &err),
			 IMPORT_E_INVALID);
	ck_assert_int_eq(compiled, 1);
	ck_assert_msg(strstr(err, "does not compile: stub compiler"), "%s", err);
	free(err);
}
END_TEST

/* Without a name in problem.yaml the title comes from the LaTeX statement. */
START_TEST(title_from_problemname)
{
	static const char *const cases[][3] = {
		{"problem_statement/problem.en.tex", "\\problemname{Hello \\emph{World}}\nText", "Hello World"},
		{"statement/problem.tex", "\\problemname{ $x^2$ \\& {Friends}~\\textbf{Again} }", "x^2 & Friends Again"},
		{"statement/problem.sv.tex", "%% plainproblemname: Plain Name\n\\problemname{$\\sqrt{x}$}", "Plain Name"},
		{"problem_statement/problem.en.tex", "\\problemname{Braces \\{ok\\}}", "Braces {ok}"},
		{"problem_statement/problem.en.tex", "no macro at all", "pkg"},      /* the folder */
		{"problem_statement/problem.en.tex", "\\problemname{unclosed", "pkg"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct zip z;
		char path[128];
		zip_begin(&z);
		zip_file(&z, "pkg/problem.yaml", "license: cc0\n");
		zip_file(&z, "pkg/data/secret/1.in", "1\n");
		zip_file(&z, "pkg/data/secret/1.ans", "1\n");
		snprintf(path, sizeof path, "pkg/%s", cases[i][0]);
		zip_file(&z, path, cases[i][1]);
		zip_end(&z);
		struct package *p = must_read(&z);
		ck_assert_msg(strcmp(p->name, cases[i][2]) == 0, "case %zu: '%s'", i, p->name);
		package_free(p);
		zip_release(&z);
	}
	/* English first, and problem.yaml's name over any */
	struct zip z;
	zip_begin(&z);
	zip_file(&z, "problem.yaml", "license: cc0\n");
	zip_file(&z, "data/secret/1.in", "1\n");
	zip_file(&z, "data/secret/1.ans", "1\n");
	zip_file(&z, "statement/problem.de.tex", "\\problemname{Hallo}");
	zip_file(&z, "statement/problem.en.tex", "\\problemname{Hello}");
	zip_end(&z);
	struct package *p = must_read(&z);
	ck_assert_str_eq(p->name, "Hello");
	package_free(p);
	zip_release(&z);
	zip_begin(&z);
	zip_file(&z, "problem.yaml", "license: cc0\n");
	zip_file(&z, "data/secret/1.in", "1\n");
	zip_file(&z, "data/secret/1.ans", "1\n");
	zip_end(&z);
	must_reject(&z, NULL, "'name' is required");
	zip_release(&z);
}
END_TEST

START_TEST(statement_choice)
{
	struct zip z;
	zip_begin(&z);
	zip_file(&z, "problem.yaml", PROBLEM_YAML);
	zip_file(&z, "problem_statement/problem.en.tex", "\\problemname{Sum}\n");
	zip_file(&z, "problem_statement/problem.sv.md", "Svenska\n");
	zip_file(&z, "data/secret/1.in", "1\n");
	zip_file(&z, "data/secret/1.ans", "1\n");
	zip_end(&z);
	struct package *p = must_read(&z); /* Markdown in any language beats TeX */
	ck_assert_str_eq(p->statement, "Svenska\n");
	ck_assert(p->statement_is_markdown);
	package_free(p);
	zip_release(&z);

	zip_begin(&z);
	zip_file(&z, "problem.yaml", PROBLEM_YAML);
	zip_file(&z, "problem_statement/problem.tex", "\\problemname{Sum}\n");
	zip_file(&z, "data/secret/1.in", "1\n");
	zip_file(&z, "data/secret/1.ans", "1\n");
	zip_end(&z);
	p = must_read(&z);
	ck_assert_str_eq(p->statement, "\\problemname{Sum}\n");
	ck_assert(!p->statement_is_markdown);
	ck_assert_uint_eq(p->test_count, 1); /* no samples is fine */
	package_free(p);
	zip_release(&z);

	zip_begin(&z);
	zip_file(&z, "problem.yaml", PROBLEM_YAML);
	zip_file(&z, "statement/problem.md", "New place\n");
	zip_file(&z, "data/secret/1.in", "1\n");
	zip_file(&z, "data/secret/1.ans", "1\n");
	zip_end(&z);
	p = must_read(&z);
	ck_assert_str_eq(p->statement, "New place\n");
	package_free(p);
	zip_release(&z);

	const char *bad[] = {"problem_statement/problem.en.md", "caf\xe9\n"};
	zip_begin(&z);
	zip_file(&z, "problem.yaml", PROBLEM_YAML);
	zip_file(&z, bad[0], bad[1]);
	zip_file(&z, "data/secret/1.in", "1\n");
	zip_file(&z, "data/secret/1.ans", "1\n");
	zip_end(&z);
	must_reject(&z, NULL, "problem_statement/problem.en.md: not valid UTF-8");
	zip_release(&z);
}
END_TEST

START_TEST(test_order_and_groups)
{
	struct zip z;
	zip_begin(&z);
	zip_file(&z, "problem.yaml", PROBLEM_YAML);
	static const char *const names[] = {"secret/g2/1", "secret/g1/9", "secret/g1/10", "sample/b",
	                                    "sample/a", "secret/g1/sub/x", "secret/g1-extra/1"};
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		char path[128];
		snprintf(path, sizeof path, "data/%s.in", names[i]);
		zip_file(&z, path, names[i]);
		snprintf(path, sizeof path, "data/%s.ans", names[i]);
		zip_file(&z, path, "ok\n");
	}
	zip_end(&z);
	struct package *p = must_read(&z);
	static const char *const order[][2] = {
		{"sample/a", "sample"}, {"sample/b", "sample"}, {"secret/g1/10", "secret/g1"},
		{"secret/g1/9", "secret/g1"}, {"secret/g1/sub/x", "secret/g1"}, {"secret/g1-extra/1", "secret/g1-extra"},
		{"secret/g2/1", "secret/g2"},
	};
	ck_assert_uint_eq(p->test_count, ARRAY_SIZE(order));
	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		ck_assert_str_eq(p->tests[i].name, order[i][0]);
		ck_assert_str_eq(p->tests[i].group, order[i][1]);
		ck_assert_str_eq(p->tests[i].input, order[i][0]); /* the right data went with it */
	}
	ck_assert_uint_eq(p->group_count, 4);
	ck_assert_str_eq(p->groups[1].name, "secret/g1");
	ck_assert_uint_eq(p->groups[1].test_count, 3);
	ck_assert_str_eq(p->groups[3].name, "secret/g2");
	package_free(p);
	zip_release(&z);
}
END_TEST

START_TEST(binary_and_empty_test_data)
{
	struct zip z;
	zip_begin(&z);
	zip_file(&z, "problem.yaml", PROBLEM_YAML);
	zip_filen(&z, "data/secret/1.in", "a\0b\xff", 4);
	zip_filen(&z, "data/secret/1.ans", "", 0);
	zip_end(&z);
	struct package *p = must_read(&z);
	ck_assert_uint_eq(p->tests[0].input_len, 4);
	ck_assert(memcmp(p->tests[0].input, "a\0b\xff", 4) == 0);
	ck_assert_uint_eq(p->tests[0].answer_len, 0);
	ck_assert_str_eq(p->tests[0].answer, "");
	ck_assert_str_eq(p->statement, "");
	package_free(p);
	zip_release(&z);
}
END_TEST

START_TEST(names)
{
	struct zip z;
	zip_with(&z, "name:\n  sv: Summa\n  en: Sum\n", NULL, 0);
	struct package *p = must_read(&z);
	ck_assert_str_eq(p->name, "Sum");
	package_free(p);
	zip_release(&z);

	zip_with(&z, "name: {sv: Summa}\n", NULL, 0);
	p = must_read(&z);
	ck_assert_str_eq(p->name, "Summa");
	package_free(p);
	zip_release(&z);

	zip_with(&z, "name: \"Caf\\u00e9 \\\"42\\\"\"\n", NULL, 0);
	p = must_read(&z);
	ck_assert_str_eq(p->name, "Caf\xc3\xa9 \"42\"");
	package_free(p);
	zip_release(&z);

	zip_begin(&z); /* no name: the folder's */
	add_basic(&z, "folder/", "source: somewhere\n");
	zip_end(&z);
	p = must_read(&z);
	ck_assert_str_eq(p->name, "folder");
	package_free(p);
	zip_release(&z);

	reject_yaml("source: somewhere\n", "problem.yaml: 'name' is required");
	reject_yaml("", "problem.yaml: 'name' is required");
}
END_TEST

START_TEST(other_folders_are_not_loaded)
{
	/* other folders under a 1 MiB per-file limit; submissions/ is read (jury submissions) */
	struct zip z;
	zip_begin(&z);
	add_basic(&z, "", PROBLEM_YAML);
	zip_file(&z, "submissions/accepted/a.c", "int main(void) { return 0; }\n");
	zip_file(&z, "submissions/notes.txt", "not a submission: directly in submissions/\n");
	zip_zeros(&z, "input_validators/v/huge.py", 2 << 20);
	zip_zeros(&z, "attachments/huge.bin", 2 << 20);
	zip_zeros(&z, "data/secret/huge.png", 2 << 20);
	zip_end(&z);
	struct package_limits lim = {.max_total_bytes = 4 << 20, .max_files = 100, .max_file_bytes = 1 << 20};
	struct package *p;
	ck_assert_int_eq(read_zip(&z, &lim, &p), 0);
	ck_assert_uint_eq(p->test_count, 2);
	ck_assert_uint_eq(p->submission_count, 1);
	ck_assert_str_eq(p->submissions[0].path, "accepted/a.c");
	ck_assert_str_eq(p->submissions[0].expected, "AC");
	ck_assert_str_eq(p->submissions[0].extension, "c");
	package_free(p);
	zip_release(&z);
}
END_TEST

/* Jury submissions: the folder, submissions.yaml, a DOMjudge comment; a folder of several files. */
START_TEST(jury_submissions_and_what_they_expect)
{
	struct zip z;
	zip_begin(&z);
	add_basic(&z, "", PROBLEM_YAML);
	zip_file(&z, "submissions/wrong_answer/w.py", "print(1)\n");
	zip_file(&z, "submissions/time_limit_exceeded/t.cpp", "// @EXPECTED_RESULTS@: TIMELIMIT, RUN-ERROR\n");
	zip_file(&z, "submissions/mixed/m.c", "int main(void) { return 0; }\n");
	zip_file(&z, "submissions/other/x.c", "int main(void) { return 0; }\n");
	zip_file(&z, "submissions/accepted/two/a.py", "import b\n");
	zip_file(&z, "submissions/accepted/two/b.py", "\n");
	zip_file(&z, "submissions/submissions.yaml", "mixed:\n  permitted: [AC, WA, TLE]\n  required: [WA, TLE]\n"
						     "wrong_answer/*.py:\n  permitted: [AC, RTE]\n");
	zip_end(&z);
	struct package *p;
	ck_assert_int_eq(read_zip(&z, NULL, &p), 0);
	ck_assert_uint_eq(p->submission_count, 4); /* other/ has no expectation: left out */
	ck_assert_str_eq(p->submissions[0].path, "accepted/two");
	ck_assert_ptr_null(p->submissions[0].source);
	ck_assert_str_eq(p->submissions[1].path, "mixed/m.c");
	ck_assert_str_eq(p->submissions[1].expected, "WA,TLE");
	ck_assert_str_eq(p->submissions[2].path, "time_limit_exceeded/t.cpp");
	ck_assert_str_eq(p->submissions[2].expected, "TLE,RTE");
	ck_assert_str_eq(p->submissions[3].path, "wrong_answer/w.py");
	ck_assert_str_eq(p->submissions[3].expected, "AC,RTE");
	ck_assert(p->time_limit_given == false);
	ck_assert(fabs(p->ac_to_time_limit - 5) < 1e-9 && fabs(p->time_limit_to_tle - 2) < 1e-9);
	package_free(p);
	zip_release(&z);
	char *err = NULL;
	zip_begin(&z);
	add_basic(&z, "", PROBLEM_YAML);
	zip_file(&z, "submissions/submissions.yaml", "accepted:\n  permitted: [OK]\n");
	zip_end(&z);
	ck_assert_int_eq(package_read_zip(z.out.data, z.out.len, NULL, &p, &err), PACKAGE_E_INVALID);
	ck_assert_ptr_nonnull(strstr(err, "submissions/submissions.yaml: 'accepted': permitted"));
	free(err);
	zip_release(&z);
}
END_TEST

/* Scoring */

static struct package *scoring_package(const char *problem_yaml, const char *const *extra, size_t n)
{
	struct zip z;
	zip_begin(&z);
	zip_file(&z, "problem.yaml", problem_yaml);
	static const char *const tests[] = {"sample/1", "secret/g1/1", "secret/g1/2", "secret/g2/1",
	                                    "secret/g2/2", "secret/g2/3"};
	for (size_t i = 0; i < ARRAY_SIZE(tests); i++) {
		char path[64];
		snprintf(path, sizeof path, "data/%s.in", tests[i]);
		zip_file(&z, path, "1\n");
		snprintf(path, sizeof path, "data/%s.ans", tests[i]);
		zip_file(&z, path, "1\n");
	}
	for (size_t i = 0; i + 1 < n; i += 2)
		zip_file(&z, extra[i], extra[i + 1]);
	zip_end(&z);
	struct package *p = must_read(&z);
	zip_release(&z);
	ck_assert_uint_eq(p->group_count, 3);
	ck_assert_str_eq(p->groups[0].name, "sample");
	ck_assert_str_eq(p->groups[1].name, "secret/g1");
	ck_assert_str_eq(p->groups[2].name, "secret/g2");
	ck_assert(p->groups[0].points == 0);
	return p;
}

#define SCORING "name: S\ntype: scoring\n"

START_TEST(scoring_legacy_accept_score)
{
	const char *min[] = {"data/secret/g1/testdata.yaml", "on_reject: break\naccept_score: 30\ngrader_flags: first_error min\n",
	                     "data/secret/g2/testdata.yaml", "accept_score: 70\ngrader_flags: min\n"};
	struct package *p = scoring_package(SCORING, min, 4);
	ck_assert(p->scoring);
	ck_assert(p->groups[1].points == 30);
	ck_assert(p->groups[2].points == 70);
	package_free(p);

	/* sum (the default): accept_score per test; inherited from data/secret */
	const char *sum[] = {"data/secret/testdata.yaml", "accept_score: 10\n",
	                     "data/secret/g2/testdata.yaml", "accept_score: 5\ngrader_flags: sum\n"};
	p = scoring_package(SCORING, sum, 4);
	ck_assert(p->groups[1].points == 20);
	ck_assert(p->groups[2].points == 15);
	package_free(p);

	/* nothing given: one point per test */
	p = scoring_package(SCORING, NULL, 0);
	ck_assert(p->groups[1].points == 2);
	ck_assert(p->groups[2].points == 3);
	package_free(p);

	/* type as a list, legacy root data/testdata.yaml */
	const char *root[] = {"data/testdata.yaml", "accept_score: 2.5\ngrader_flags: avg\n"};
	p = scoring_package("name: S\ntype: [scoring]\n", root, 2);
	ck_assert(p->groups[1].points == 2.5);
	package_free(p);
}
END_TEST

START_TEST(scoring_newer_formats)
{
	const char *v2023[] = {"data/secret/g1/testdata.yaml", "scoring:\n  score: 25\n  aggregation: min\n",
	                       "data/secret/g2/testdata.yaml", "scoring: {score: 75}\n"};
	struct package *p = scoring_package(SCORING, v2023, 4);
	ck_assert(p->groups[1].points == 25);
	ck_assert(p->groups[2].points == 75);
	package_free(p);

	const char *v2025[] = {"data/secret/test_group.yaml", "max_score: 100\n",
	                       "data/secret/g1/test_group.yaml", "max_score: 40\nscore_aggregation: min\n",
	                       "data/secret/g2/test_group.yaml", "max_score: 60\n"};
	p = scoring_package("problem_format_version: 2025-09\nname: S\ntype: scoring\n", v2025, 6);
	ck_assert(p->groups[1].points == 40);
	ck_assert(p->groups[2].points == 60);
	package_free(p);

	/* pass-fail: no points, even with default legacy settings */
	p = scoring_package("name: S\n", NULL, 0);
	ck_assert(!p->scoring);
	ck_assert(p->groups[1].points == 0 && p->groups[2].points == 0);
	package_free(p);
}
END_TEST

START_TEST(scoring_errors)
{
	struct zip z;
	const char *passfail[] = {"data/secret/testdata.yaml", "accept_score: 5\n"};
	zip_with(&z, PROBLEM_YAML, passfail, 2);
	must_reject(&z, NULL, "data/secret/testdata.yaml: accept_score needs 'type: scoring' in problem.yaml");
	zip_release(&z);

	const char *nested[] = {"data/secret/g/sub/testdata.yaml", "accept_score: 5\n"};
	zip_with(&z, SCORING, nested, 2);
	must_reject(&z, NULL, "data/secret/g/sub/testdata.yaml: points of nested test groups are not supported");
	zip_release(&z);

	const char *flags[] = {"data/secret/testdata.yaml", "output_validator_flags: float_tolerance 1e-3\n"};
	zip_with(&z, PROBLEM_YAML, flags, 2);
	must_reject(&z, NULL, "data/secret/testdata.yaml: output_validator_flags are not supported");
	zip_release(&z);

	const char *args[] = {"data/test_group.yaml", "output_validator_args: [case_sensitive]\n"};
	zip_with(&z, PROBLEM_YAML, args, 2);
	must_reject(&z, NULL, "data/test_group.yaml: output_validator_args are not supported");
	zip_release(&z);

	const char *grader[] = {"data/testdata.yaml", "grading: custom\n"};
	zip_with(&z, SCORING, grader, 2);
	must_reject(&z, NULL, "data/testdata.yaml: custom graders are not supported");
	zip_release(&z);

	const char *neg[] = {"data/secret/testdata.yaml", "accept_score: -1\n"};
	zip_with(&z, SCORING, neg, 2);
	must_reject(&z, NULL, "accept_score must not be negative");
	zip_release(&z);

	const char *badyaml[] = {"data/secret/testdata.yaml", "accept_score: [\n"};
	zip_with(&z, SCORING, badyaml, 2);
	must_reject(&z, NULL, "data/secret/testdata.yaml: line");
	zip_release(&z);

	const char *strscore[] = {"data/secret/testdata.yaml", "accept_score: '30'\n"};
	zip_with(&z, SCORING, strscore, 2);
	must_reject(&z, NULL, "data/secret/testdata.yaml: 'accept_score' must be a number");
	zip_release(&z);
}
END_TEST

/* Test data errors */

START_TEST(test_pairs_must_match)
{
	struct zip z;
	const char *no_ans[] = {"data/secret/2.in", "x\n"};
	zip_with(&z, PROBLEM_YAML, no_ans, 2);
	must_reject(&z, NULL, "data/secret/2.in: no matching .ans file");
	zip_release(&z);

	const char *no_in[] = {"data/sample/g/7.ans", "x\n"};
	zip_with(&z, PROBLEM_YAML, no_in, 2);
	must_reject(&z, NULL, "data/sample/g/7.ans: no matching .in file");
	zip_release(&z);

	const char *dup[] = {"data/secret/1.ans", "13\n"};
	zip_with(&z, PROBLEM_YAML, dup, 2);
	must_reject(&z, NULL, "zip: 'data/secret/1.ans': duplicate entry");
	zip_release(&z);

	zip_begin(&z);
	zip_file(&z, "problem.yaml", PROBLEM_YAML);
	zip_file(&z, "data/sample/1.in", "1\n");
	zip_file(&z, "data/sample/1.ans", "1\n");
	zip_end(&z);
	struct package *p = must_read(&z); /* samples only: read, with a warning */
	ck_assert_uint_eq(p->test_count, 1);
	ck_assert_uint_eq(p->warning_count, 1);
	ck_assert_str_eq(p->warnings[0], "data/secret: no test cases, so submissions are judged on the 1 sample alone");
	package_free(p);
	zip_release(&z);

	zip_begin(&z);
	zip_file(&z, "problem.yaml", PROBLEM_YAML);
	zip_file(&z, "data/sample/readme.txt", "no tests\n");
	zip_end(&z);
	must_reject(&z, NULL, "data/: no test cases");
	zip_release(&z);
}
END_TEST

/* Hostile archives */

START_TEST(rejects_bad_entry_names)
{
	static const char *const bad[][2] = {
		{"../evil", "'.' or '..' in path"},
		{"data/../../etc/passwd", "'.' or '..' in path"},
		{"/etc/passwd", "absolute path"},
		{"./problem.yaml.bak", "'.' or '..' in path"},
		{"data//x", "empty path component"},
		{"..\\evil", "'.' or '..' in path"}, /* libarchive turns '\\' into '/' */
		{"data/\xff\xfe.in", "not valid UTF-8"},
		{"data/a\x01.in", "control character"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct zip z;
		zip_begin(&z);
		add_basic(&z, "", PROBLEM_YAML);
		zip_file(&z, bad[i][0], "x");
		zip_end(&z);
		must_reject(&z, NULL, bad[i][1]);
		ck_assert_ptr_nonnull(strstr(last_err, "zip: '"));
		zip_release(&z);
	}
}
END_TEST

START_TEST(rejects_links_and_devices)
{
	struct zip z;
	zip_begin(&z);
	add_basic(&z, "", PROBLEM_YAML);
	zip_entry(&z, "data/secret/2.in", AE_IFLNK, NULL, 0, "../../../../etc/passwd");
	zip_end(&z);
	must_reject(&z, NULL, "zip: 'data/secret/2.in': symbolic link points outside the package");
	zip_release(&z);

	zip_begin(&z); /* libarchive will not write a device into a zip: patch a file into one */
	add_basic(&z, "", PROBLEM_YAML);
	zip_file(&z, "dev", "");
	zip_end(&z);
	zip_patch(&z, "dev", S_IFCHR | 0644, -1);
	must_reject(&z, NULL, "zip: 'dev': devices, pipes and sockets are not allowed");
	zip_release(&z);
	/* (a FIFO mode in a zip is read back by libarchive as a regular file) */
}
END_TEST

/* Links as git archive and zip -y store them: inside the package they stand
   for their file, whatever the route; anything else is refused by name. */
START_TEST(zip_symlinks)
{
	static const char *const bad[][3] = {
		{"pkg/data/secret/2.in", "/etc/passwd", "'pkg/data/secret/2.in': symbolic link points outside"},
		{"pkg/data/secret/2.in", "../../../other/1.in", "points outside the package"},
		{"pkg/data/secret/2.in", "../../../pkg/data/secret/1.in", "points outside the package"},
		{"pkg/data/secret/2.in", "missing.in", "broken symbolic link"},
		{"pkg/data/secret/g", "..", "'pkg/data/secret/g': symbolic link makes a loop"},
		{"pkg/data/secret/g", "../..", "symbolic link makes a loop"},
		{"pkg/data/secret/g", "../../shared/x", "broken symbolic link"},
		{"pkg/data/secret/2.in", "2.in", "too many levels of symbolic links"},
		{"pkg/submissions/x.c", "../../outside.c", "'pkg/submissions/x.c': symbolic link points outside"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct zip z;
		zip_begin(&z);
		add_basic(&z, "pkg/", PROBLEM_YAML);
		zip_file(&z, "pkg/data/secret/2.ans", "2\n");
		zip_entry(&z, bad[i][0], AE_IFLNK, NULL, 0, bad[i][1]);
		zip_end(&z);
		must_reject(&z, NULL, bad[i][2]);
		zip_release(&z);
	}

	struct zip z;
	zip_begin(&z);
	add_basic(&z, "pkg/", PROBLEM_YAML);
	zip_entry(&z, "pkg/data/secret/2.in", AE_IFLNK, NULL, 0, "./../sample/./1.in");
	zip_entry(&z, "pkg/data/secret/2.ans", AE_IFLNK, NULL, 0, "3.ans");   /* a chain: 2 -> 3 -> 1 */
	zip_entry(&z, "pkg/data/secret/3.ans", AE_IFLNK, NULL, 0, "../sample/1.ans");
	zip_entry(&z, "pkg/data/secret/3.in", AE_IFLNK, NULL, 0, "../../shared/in.txt"); /* not a wanted file */
	zip_file(&z, "pkg/shared/in.txt", "40 2\n");
	zip_entry(&z, "pkg/submissions/accepted", AE_IFLNK, NULL, 0, "../shared/in.txt"); /* checked, not loaded */
	zip_end(&z);
	struct package *p = must_read(&z);
	ck_assert_uint_eq(p->test_count, 4);
	ck_assert_str_eq(p->tests[3].name, "secret/3");
	ck_assert_str_eq(p->tests[3].input, "40 2\n");
	ck_assert_str_eq(p->tests[3].answer, "3\n");
	package_free(p);
	zip_release(&z);

	/* a linked folder: its files appear under the link, links in it resolved from where they are */
	zip_begin(&z);
	add_basic(&z, "pkg/", PROBLEM_YAML);
	zip_file(&z, "pkg/extra/big/1.in", "9 9\n");
	zip_file(&z, "pkg/extra/big/1.ans", "18\n");
	zip_entry(&z, "pkg/extra/big/2.in", AE_IFLNK, NULL, 0, "1.in");
	zip_entry(&z, "pkg/extra/big/2.ans", AE_IFLNK, NULL, 0, "../../data/sample/1.ans");
	zip_entry(&z, "pkg/data/secret/big", AE_IFLNK, NULL, 0, "../../extra/big");
	zip_entry(&z, "pkg/data/secret/again", AE_IFLNK, NULL, 0, "big"); /* a link to the folder link */
	zip_end(&z);
	p = must_read(&z);
	ck_assert_uint_eq(p->test_count, 6);
	const struct package_test *again1 = NULL, *again2 = NULL, *big1 = NULL;
	for (size_t i = 0; i < p->test_count; i++) {
		if (strcmp(p->tests[i].name, "secret/again/1") == 0)
			again1 = &p->tests[i];
		if (strcmp(p->tests[i].name, "secret/again/2") == 0)
			again2 = &p->tests[i];
		if (strcmp(p->tests[i].name, "secret/big/1") == 0)
			big1 = &p->tests[i];
	}
	ck_assert(again1 && again2 && big1);
	ck_assert_str_eq(again1->answer, "18\n");
	ck_assert_str_eq(again2->input, "9 9\n");
	ck_assert_str_eq(again2->answer, "3\n");
	ck_assert_str_eq(big1->group, "secret/big");
	package_free(p);
	zip_release(&z);

	/* two folders linked to each other */
	zip_begin(&z);
	add_basic(&z, "pkg/", PROBLEM_YAML);
	zip_file(&z, "pkg/a/f.txt", "x");
	zip_file(&z, "pkg/b/f.txt", "x");
	zip_entry(&z, "pkg/a/tob", AE_IFLNK, NULL, 0, "../b");
	zip_entry(&z, "pkg/b/toa", AE_IFLNK, NULL, 0, "../a");
	zip_end(&z);
	must_reject(&z, NULL, "symbolic link makes a loop");
	zip_release(&z);
	zip_begin(&z);
	add_basic(&z, "pkg/", PROBLEM_YAML);
	zip_entry(&z, "pkg/data/secret/2.in", AE_IFLNK, NULL, 0, "./../sample/./1.in");
	zip_entry(&z, "pkg/data/secret/2.ans", AE_IFLNK, NULL, 0, "../sample/1.ans");
	zip_end(&z);
	p = must_read(&z);
	ck_assert_uint_eq(p->test_count, 3);
	ck_assert_str_eq(p->tests[2].name, "secret/2");
	ck_assert_str_eq(p->tests[2].input, "1 2\n");
	ck_assert_str_eq(p->tests[2].answer, "3\n");
	package_free(p);
	zip_release(&z);
}
END_TEST

START_TEST(rejects_duplicates_and_conflicts)
{
	struct zip z;
	zip_begin(&z);
	add_basic(&z, "", PROBLEM_YAML);
	zip_file(&z, "problem.yaml", "name: Other\n");
	zip_end(&z);
	must_reject(&z, NULL, "zip: 'problem.yaml': duplicate entry");
	zip_release(&z);

	zip_begin(&z);
	add_basic(&z, "", PROBLEM_YAML);
	zip_file(&z, "data/secret", "a file where a folder is");
	zip_end(&z);
	must_reject(&z, NULL, "zip: 'data/secret': both a file and a folder");
	zip_release(&z);

	zip_begin(&z); /* repeated folder entries are harmless */
	zip_entry(&z, "data/", AE_IFDIR, NULL, 0, NULL);
	zip_entry(&z, "data/", AE_IFDIR, NULL, 0, NULL);
	add_basic(&z, "", PROBLEM_YAML);
	zip_end(&z);
	struct package *p = must_read(&z);
	package_free(p);
	zip_release(&z);
}
END_TEST

START_TEST(enforces_limits_while_decompressing)
{
	struct package_limits lim = {.max_total_bytes = 10 << 20, .max_files = 50, .max_file_bytes = 4 << 20};
	struct zip z;
	zip_begin(&z); /* a 100 MiB test input compressed to ~100 KiB */
	add_basic(&z, "", PROBLEM_YAML);
	zip_zeros(&z, "data/secret/bomb.in", 100 << 20);
	zip_file(&z, "data/secret/bomb.ans", "0\n");
	zip_end(&z);
	ck_assert_uint_lt(z.out.len, 1 << 20);
	must_reject(&z, &lim, "data/secret/bomb.in: larger than the limit of 4194304 bytes per file");
	/* the same with headers claiming 100 bytes */
	zip_patch(&z, "data/secret/bomb.in", 0, 100);
	must_reject(&z, &lim, "data/secret/bomb.in");
	zip_release(&z);

	zip_begin(&z); /* each file fits, all together do not */
	add_basic(&z, "", PROBLEM_YAML);
	for (int i = 0; i < 4; i++) {
		char name[64];
		snprintf(name, sizeof name, "data/secret/big%d.in", i);
		zip_zeros(&z, name, 3 << 20);
	}
	zip_end(&z);
	must_reject(&z, &lim, "the package is larger than the limit of 10485760 bytes");
	zip_release(&z);

	zip_begin(&z); /* too many entries, even ones never loaded */
	add_basic(&z, "", PROBLEM_YAML);
	for (int i = 0; i < 60; i++) {
		char name[64];
		snprintf(name, sizeof name, "submissions/accepted/s%d.c", i);
		zip_file(&z, name, "x");
	}
	zip_end(&z);
	must_reject(&z, &lim, "zip: more than 50 files");
	zip_release(&z);
}
END_TEST

START_TEST(rejects_non_packages)
{
	struct package *p = NULL;
	char *err = NULL;
	ck_assert_int_eq(package_read_zip("hello, world", 12, NULL, &p, &err), PACKAGE_E_INVALID);
	ck_assert_ptr_nonnull(strstr(err, "zip: "));
	ck_assert_ptr_null(p);
	free(err);
	err = NULL;
	ck_assert_int_eq(package_read_zip("", 0, NULL, &p, &err), PACKAGE_E_INVALID);
	ck_assert_ptr_nonnull(strstr(err, "zip: "));
	free(err);

	struct zip z;
	zip_begin(&z);
	zip_end(&z);
	must_reject(&z, NULL, "zip: the archive is empty");
	zip_release(&z);

	zip_begin(&z);
	add_basic(&z, "", NULL);
	zip_end(&z);
	must_reject(&z, NULL, "problem.yaml: not found");
	zip_release(&z);

	zip_begin(&z); /* truncated inside the last wanted entry */
	add_basic(&z, "", PROBLEM_YAML);
	zip_end(&z);
	size_t last = 0;
	for (size_t i = 0; i + 4 <= z.out.len; i++)
		if (memcmp(z.out.data + i, "PK\3\4", 4) == 0)
			last = i;
	z.out.len = last + 10;
	must_reject(&z, NULL, "zip: ");
	zip_release(&z);
}
END_TEST

START_TEST(rejects_bad_problem_yaml)
{
	reject_yaml("name: [unclosed\n", "problem.yaml: line ");
	reject_yaml("- just\n- a list\n", "problem.yaml: must be a mapping");
	reject_yaml("name: [a, b]\n", "problem.yaml: 'name' must be a string");
	reject_yaml("name: S\nlimits: 5\n", "problem.yaml: 'limits' must be a mapping");
	reject_yaml("name: S\nlimits: {time_limit: fast}\n", "problem.yaml: 'limits.time_limit' must be a number");
	reject_yaml("name: S\nlimits: {time_limit: '2'}\n", "problem.yaml: 'limits.time_limit' must be a number");
	reject_yaml("name: S\nlimits: {time_limit: 0}\n", "limits.time_limit must be more than 0");
	reject_yaml("name: S\nlimits: {memory: -5}\n", "limits.memory must be more than 0");
	reject_yaml("name: S\nlimits: {output: .inf}\n", "'limits.output' must be a number");
	reject_yaml("name: S\nname: T\n", "problem.yaml: duplicate key 'name'");
	reject_yaml("name: S\ntype: multi-pass\nlimits: {validation_passes: 1}\n", "validation_passes must be a whole number");
	reject_yaml("name: S\ntype: multi-pass\nlimits: {validation_passes: 2.5}\n", "validation_passes must be a whole number");
	reject_yaml("name: S\ntype: [pass-fail, submit-answer]\n", "type 'submit-answer' is not supported");
	reject_yaml("name: S\ntype: golf\n", "problem.yaml: unknown type 'golf'");
	reject_yaml("name: S\ntype: {a: 1}\n", "'type' must be a string or a list");
	reject_yaml("name: S\nvalidator_flags: [a]\n", "'validator_flags' must be a string");
	reject_yaml("name: \"a\\0b\"\n", "'name' must be a string");
	reject_yaml("name: S\n\xff\xfe: x\n", "problem.yaml: line");
}
END_TEST

START_TEST(survives_hostile_yaml)
{
	/* deep nesting and alias fan-out are parsed without recursion blow-up or expansion */
	size_t depth = 200000;
	struct buf y;
	buf_init(&y);
	buf_adds(&y, "name: ");
	for (size_t i = 0; i < depth; i++)
		buf_adds(&y, "[");
	for (size_t i = 0; i < depth; i++)
		buf_adds(&y, "]");
	buf_adds(&y, "\n");
	int64_t t0 = now_us();
	reject_yaml(y.data, "problem.yaml: nested more than 64 levels deep");
	ck_assert_int_lt(now_us() - t0, 2000000);
	buf_release(&y);

	buf_adds(&y, "a: &a [x, x, x, x, x, x, x, x, x, x]\n");
	for (char c = 'b'; c <= 'z'; c++)
		buf_printf(&y, "%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n", c, c, c - 1, c - 1, c - 1,
		           c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1);
	buf_adds(&y, "name: Laughs\n");
	struct zip z;
	zip_with(&z, y.data, NULL, 0);
	struct package *p = must_read(&z);
	ck_assert_str_eq(p->name, "Laughs");
	package_free(p);
	zip_release(&z);
	buf_release(&y);
}
END_TEST

/* Directories */

static char *source_dir(void)
{
	/* The build tree's meson-info says where the sources are. */
	const char *env = getenv("VERDICT_SOURCE_DIR");
	if (env)
		return xstrdup(env);
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	ck_assert_int_gt(n, 0);
	exe[n] = '\0';
	for (char *slash; (slash = strrchr(exe, '/')) && slash != exe;) {
		*slash = '\0';
		char *info = xasprintf("%s/meson-info/meson-info.json", exe);
		char *text;
		size_t len;
		int rc = read_file(info, 1 << 20, &text, &len);
		free(info);
		if (rc)
			continue;
		json_t *j = json_loads(text, 0, NULL);
		free(text);
		const char *src = json_string_value(json_object_get(json_object_get(j, "directories"), "source"));
		char *out = src ? xstrdup(src) : NULL;
		json_decref(j);
		if (out)
			return out;
	}
	ck_abort_msg("cannot find the source directory; set VERDICT_SOURCE_DIR");
	return NULL;
}

static struct package *read_real(const char *name)
{
	char *src = source_dir();
	char *path = xasprintf("%s/tests/packages/%s", src, name);
	struct package *p = NULL;
	char *err = NULL;
	int rc = package_read_dir(path, NULL, &p, &err);
	ck_assert_msg(rc == 0, "%s: %d %s", path, rc, err ? err : "");
	free(path);
	free(src);
	return p;
}

static size_t count_samples(const struct package *p)
{
	size_t n = 0;
	for (size_t i = 0; i < p->test_count; i++)
		n += p->tests[i].sample;
	return n;
}

START_TEST(real_package_float)
{
	struct package *p = read_real("float-average");
	ck_assert_str_eq(p->folder, "float-average");
	ck_assert_str_eq(p->name, "Average");
	ck_assert_int_eq(p->time_limit_ms, 1000);
	ck_assert_int_eq(p->checker.type, CHECKER_KATTIS);
	ck_assert(p->checker.float_abs == 1e-6 && p->checker.float_rel == 1e-6);
	ck_assert(!p->scoring);
	ck_assert(p->statement_is_markdown && strlen(p->statement) > 0);
	ck_assert_uint_ge(count_samples(p), 1);
	ck_assert_uint_gt(p->test_count, count_samples(p));
	package_free(p);
}
END_TEST

START_TEST(real_package_custom_validator)
{
	struct package *p = read_real("any-permutation");
	ck_assert_int_eq(p->checker.type, CHECKER_CUSTOM);
	ck_assert_uint_ge(p->validator_count, 1);
	bool c_source = false;
	for (size_t i = 0; i < p->validator_count; i++)
		c_source |= strcmp(p->validator_files[i].path, "validate.c") == 0;
	ck_assert(c_source);
	package_free(p);
}
END_TEST

START_TEST(real_package_groups)
{
	struct package *p = read_real("teleporters");
	ck_assert(p->scoring);
	ck_assert_uint_eq(p->group_count, 3);
	ck_assert_str_eq(p->groups[0].name, "sample");
	ck_assert_str_eq(p->groups[1].name, "secret/group1");
	ck_assert_str_eq(p->groups[2].name, "secret/group2");
	ck_assert(p->groups[1].points == 30);
	ck_assert(p->groups[2].points == 70);
	package_free(p);
}
END_TEST

static int check_output(const struct checker *c, const char *output, const struct package_test *t)
{
	int fo = memfd_create("out", MFD_CLOEXEC), fa = memfd_create("ans", MFD_CLOEXEC);
	ck_assert_int_eq(write_all(fo, output, strlen(output)), 0);
	ck_assert_int_eq(write_all(fa, t->answer, t->answer_len), 0);
	lseek(fo, 0, SEEK_SET);
	lseek(fa, 0, SEEK_SET);
	int rc = checker_compare(c, fo, fa, NULL, 0);
	close(fo);
	close(fa);
	return rc;
}

START_TEST(real_package_whitespace)
{
	struct package *p = read_real("exact-greeting");
	ck_assert_int_eq(p->checker.type, CHECKER_KATTIS);
	ck_assert(p->checker.case_sensitive && p->checker.space_change_sensitive);
	/* the package's wrong answers differ only in case or whitespace */
	const struct package_test *t = &p->tests[0];
	ck_assert_str_eq(t->name, "sample/1");
	struct checker lenient;
	checker_init(&lenient, CHECKER_KATTIS);
	static const char *const wrong[] = {"hello, ada!\nhello, linus!\n", "Hello, Ada! Hello, linus!\n",
	                                    "Hello, Ada! \nHello, linus! \n", "Hello, Ada!\nHello, linus!"};
	for (size_t i = 0; i < ARRAY_SIZE(wrong); i++) {
		ck_assert_int_eq(check_output(&p->checker, wrong[i], t), CHECKER_WRONG);
		ck_assert_int_eq(check_output(&lenient, wrong[i], t), CHECKER_ACCEPTED);
	}
	ck_assert_int_eq(check_output(&p->checker, "Hello, Ada!\nHello, linus!\n", t), CHECKER_ACCEPTED);
	package_free(p);
}
END_TEST

/* A scratch package directory for the hostile cases. */
static char *scratch_package(void)
{
	char *dir = xstrdup("/tmp/verdict-package-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char *cmd = xasprintf("cd '%s' && mkdir -p data/secret problem_statement && "
	                      "printf 'name: T\\n' > problem.yaml && printf '1\\n' > data/secret/1.in && "
	                      "printf '1\\n' > data/secret/1.ans && printf 'x\\n' > problem_statement/problem.md",
	                      dir);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	return dir;
}

static void remove_scratch(char *dir)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	free(dir);
}

static int read_scratch(const char *dir, const char *setup, struct package **p, char **err)
{
	if (setup) {
		char *cmd = xasprintf("cd '%s' && %s", dir, setup);
		ck_assert_int_eq(system(cmd), 0);
		free(cmd);
	}
	*p = NULL;
	*err = NULL;
	return package_read_dir(dir, NULL, p, err);
}

START_TEST(dir_symlinks)
{
	static const char *const cases[][2] = {
		{"ln -s /etc/passwd data/secret/2.in && printf 'x' > data/secret/2.ans",
		 "data/secret/2.in: symbolic link points outside the package"},
		{"rm data/secret/1.ans && ln -s ../../../outside.ans data/secret/1.ans && printf 'x' > ../outside.ans",
		 "data/secret/1.ans: symbolic link points outside the package"},
		{"ln -s .. data/secret/g", "data/secret/g: symbolic link makes a loop"},
		{"mkdir -p x/a x/b && ln -s ../b x/a/tob && ln -s ../a x/b/toa && ln -s ../../x/a data/secret/g",
		 "symbolic link makes a loop"},
		{"ln -s ../../problem.yaml/.. data/secret/g", "broken symbolic link"},
		{"ln -s /nonexistent data/secret/3.in", "data/secret/3.in: broken symbolic link"},
		{"mkfifo data/secret/4.in", "data/secret/4.in: devices, pipes and sockets are not allowed"},
		{"touch 'data/secret/a\\b.in'", "backslash in name"},
		{"touch \"data/secret/$(printf 'x\\377')\"", "not valid UTF-8"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *dir = scratch_package();
		struct package *p;
		char *err;
		ck_assert_int_eq(read_scratch(dir, cases[i][0], &p, &err), PACKAGE_E_INVALID);
		ck_assert_msg(strstr(err, cases[i][1]), "case %zu: '%s'", i, err);
		free(err);
		char *cmd = xasprintf("rm -f '%s/../outside.ans'", dir);
		ck_assert_int_eq(system(cmd), 0);
		free(cmd);
		remove_scratch(dir);
	}

	/* a symlink to a file inside the package is fine */
	char *dir = scratch_package();
	struct package *p;
	char *err;
	ck_assert_int_eq(read_scratch(dir, "ln -s 1.ans data/secret/2.ans && ln -s ../secret/1.in data/secret/2.in", &p, &err), 0);
	ck_assert_uint_eq(p->test_count, 2);
	ck_assert_str_eq(p->tests[1].input, "1\n");
	package_free(p);
	remove_scratch(dir);

	/* and so is one to a folder inside: its files appear under the link */
	dir = scratch_package();
	ck_assert_int_eq(read_scratch(dir, "mkdir -p extra/g && printf '7\\n' > extra/g/1.in && ln -s ../../data/secret/1.ans extra/g/1.ans"
				      " && ln -s ../../extra/g data/secret/g", &p, &err), 0);
	ck_assert_uint_eq(p->test_count, 2);
	ck_assert_str_eq(p->tests[1].name, "secret/g/1");
	ck_assert_str_eq(p->tests[1].input, "7\n");
	package_free(p);
	remove_scratch(dir);
}
END_TEST

START_TEST(dir_layouts)
{
	char *dir = scratch_package();
	struct package *p;
	char *err;
	/* the package inside a single subfolder, hidden files around it */
	char *setup = "mkdir inner && mv problem.yaml data problem_statement inner/ && touch .hidden";
	ck_assert_int_eq(read_scratch(dir, setup, &p, &err), 0);
	ck_assert_str_eq(p->folder, "inner");
	ck_assert_str_eq(p->name, "T");
	package_free(p);
	remove_scratch(dir);

	dir = scratch_package();
	ck_assert_int_eq(read_scratch(dir, "mkdir other && mkdir inner && mv problem.yaml inner/", &p, &err),
	                 PACKAGE_E_INVALID);
	ck_assert_ptr_nonnull(strstr(err, "problem.yaml: not found in"));
	free(err);
	remove_scratch(dir);

	ck_assert_int_eq(package_read_dir("/nonexistent/verdict", NULL, &p, &err), -ENOENT);
	ck_assert_int_eq(package_read_dir("/etc/passwd", NULL, &p, &err), -ENOTDIR);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("package");

	TCase *tc = tcase_create("features");
	tcase_add_test(tc, minimal_package_at_root);
	tcase_add_test(tc, single_top_folder_and_macos_junk);
	tcase_add_test(tc, limits_and_timelimit_file);
	tcase_add_test(tc, validator_flags_configure_the_checker);
	tcase_add_test(tc, custom_validator_forms);
	tcase_add_test(tc, custom_validator_errors);
	tcase_add_test(tc, import_refuses_validators_past_the_limits);
	tcase_add_test(tc, statement_choice);
	tcase_add_test(tc, title_from_problemname);
	tcase_add_test(tc, test_order_and_groups);
	tcase_add_test(tc, binary_and_empty_test_data);
	tcase_add_test(tc, names);
	tcase_add_test(tc, other_folders_are_not_loaded);
	tcase_add_test(tc, jury_submissions_and_what_they_expect);
	suite_add_tcase(s, tc);

	tc = tcase_create("scoring");
	tcase_add_test(tc, scoring_legacy_accept_score);
	tcase_add_test(tc, scoring_newer_formats);
	tcase_add_test(tc, scoring_errors);
	tcase_add_test(tc, test_pairs_must_match);
	suite_add_tcase(s, tc);

	tc = tcase_create("hostile");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, rejects_bad_entry_names);
	tcase_add_test(tc, rejects_links_and_devices);
	tcase_add_test(tc, zip_symlinks);
	tcase_add_test(tc, rejects_duplicates_and_conflicts);
	tcase_add_test(tc, enforces_limits_while_decompressing);
	tcase_add_test(tc, rejects_non_packages);
	tcase_add_test(tc, rejects_bad_problem_yaml);
	tcase_add_test(tc, survives_hostile_yaml);
	suite_add_tcase(s, tc);

	tc = tcase_create("directories");
	tcase_add_test(tc, real_package_float);
	tcase_add_test(tc, real_package_custom_validator);
	tcase_add_test(tc, real_package_groups);
	tcase_add_test(tc, real_package_whitespace);
	tcase_add_test(tc, dir_symlinks);
	tcase_add_test(tc, dir_layouts);
	suite_add_tcase(s, tc);

	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	free(last_err);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
