/* Kattis problem packages: reads a package (a zip held in memory, or a
 * directory) into memory, checks it, and rejects hostile or malformed ones
 * with a message naming the offending file. Nothing is ever written to disk.
 * loader.c reads the files and refuses hostile archives; kattis.c gives them
 * their meaning under the rules below.
 *
 * Return convention: 0 on success, PACKAGE_E_INVALID (positive) for a bad
 * package with *err set, negative errno for a system failure.
 *
 * What is read (paths relative to the package root, which is the archive
 * root when it holds problem.yaml, else its single top-level folder;
 * __MACOSX/ and names starting with '.' are ignored, except .timelimit):
 *
 *   problem.yaml       name (a string, or a map of languages: "en", else the
 *                      first); limits.time_limit (seconds, may be fractional),
 *                      else a DOMjudge .timelimit file, else 1 s;
 *                      limits.time_multiplier, time_safety_margin (legacy),
 *                      time_multipliers, time_resolution: for deriving a
 *                      missing time limit (time_limit_given false);
 *                      limits.memory and limits.output in MiB, else the format's
 *                      typical system defaults, 2048 and 8 (the same in every
 *                      version: legacy, 2023-07-draft, 2025-09);
 *                      type (pass-fail, scoring, interactive, multi-pass, or a
 *                      list of them; submit-answer is rejected);
 *                      limits.validation_passes (multi-pass: 2 to
 *                      CHECKER_MAX_PASSES, default 2);
 *                      validation (default | custom | custom interactive),
 *                      validator_flags.
 *   problem_statement/ or statement/: problem.en.md, problem.md, any
 *                      problem.<lang>.md, else the same names in .tex
 *                      (kept as text, statement_is_markdown = false);
 *                      none at all gives an empty Markdown statement.
 *   output_validators/<name>/... or output_validators/<file> (legacy), or
 *   output_validator/... (2023-07 and later): one custom validator's files,
 *                      which must include a C, C++ or Python source.
 *   data/sample/..., data/secret/...: test cases <name>.in + <name>.ans, in any
 *                      depth of subfolders; testdata.yaml / test_group.yaml.
 *   submissions/<folder>/<file or folder>: jury submissions (jury_files.h).
 * Everything else (input_validators/, attachments/, ...) is
 * counted against max_files in a zip but never loaded.
 *
 * The checker is CHECKER_KATTIS with validator_flags, or CHECKER_CUSTOM when
 * validation is custom (legacy; also when problem_format_version is not
 * legacy and output_validator(s)/ exists, and always for an interactive or
 * multi-pass problem, with checker.interactive and checker.passes set). validator_flags is kept as given,
 * for a custom validator's command line. Per-group output validator flags
 * (output_validator_flags, output_validator_args) are rejected.
 *
 * Tests, groups and points:
 *   - Run order: samples first, then secret; each in name order compared folder
 *     by folder ("secret/g1/10" < "secret/g1/9" < "secret/g2/1").
 *   - A test's group is "sample" for anything in data/sample, "secret" for a test directly
 *     in data/secret, else "secret/<first subfolder>" (deeper folders belong to
 *     their first-level group). groups[] lists them in run order.
 *   - Points exist only when problem.yaml has type: scoring (scoring == true);
 *     then "sample" has 0 points and each secret group G (folder D) gets, from
 *     the first rule that applies:
 *       1. D/test_group.yaml `max_score: N`                          (2025-09)
 *       2. D/testdata.yaml `scoring: {score: N}`                      (2023-07)
 *       3. legacy accept_score A from the nearest testdata.yaml of D,
 *          data/secret, data: A if its grader_flags aggregate with min, max
 *          or avg, else (sum, the default) A times the tests of G;
 *       4. nothing: the number of tests of G (legacy default accept_score 1, sum).
 *     A group's points are awarded only when every test of G passes.
 *   - A pass-fail problem that gives points anywhere, points in a folder
 *     deeper than data/secret/<group>, or grading: custom is rejected. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "checker.h"
#include "errors.h" /* PACKAGE_E_INVALID: bad package; *err says which file and why */

struct package_test {
	char *name;         /* path under data/ without ".in": "sample/1", "secret/g1/03" */
	char *group;        /* "sample", "secret" or "secret/<folder>" */
	bool sample;
	char *input;        /* NUL-terminated after input_len (may hold NULs itself) */
	size_t input_len;
	char *answer;       /* likewise */
	size_t answer_len;
};

struct package_group {
	char *name;         /* as in package_test.group */
	double points;      /* awarded when every test of the group passes; 0 = none */
	size_t test_count;
};

struct package_file {
	char *path;         /* relative to the validator's folder: "validate.c", "lib/x.h" */
	char *data;         /* NUL-terminated after len */
	size_t len;
};

/* A jury submission of submissions/ (jury_files.c). */
struct package_submission {
	char *path;         /* under submissions/: "accepted/sol.c", or a folder for several files */
	char *expected;     /* verdicts it may get, comma-separated: "AC", "WA", "RTE,TLE" */
	char *source;       /* NUL-terminated after len; NULL for a folder of several files */
	size_t len;
	char *extension;    /* of the file, lowercase, "" if none */
};

struct package {
	char *name;                   /* problem title, UTF-8 */
	char *uuid;                   /* problem.yaml uuid, or NULL */
	char *folder;                 /* zip: the single top-level folder, else NULL;
	                                 directory: its base name (a slug hint) */
	char *statement;              /* UTF-8; "" when the package has none */
	bool statement_is_markdown;   /* false: LaTeX source, to show as preformatted text */
	int time_limit_ms;
	int memory_limit_kb;
	int output_limit_kb;
	bool scoring;                 /* type: scoring, so groups carry points */
	struct checker checker;       /* CHECKER_KATTIS or CHECKER_CUSTOM */
	char *validator_flags;        /* problem.yaml validator_flags, or NULL */
	char *validator_name;         /* custom: the validator's name, else NULL */
	struct package_file *validator_files; /* custom: its files, by path */
	size_t validator_count;
	struct package_test *tests;   /* run order, see above */
	size_t test_count;
	struct package_group *groups; /* run order of their first test */
	size_t group_count;
	struct package_file *statement_files; /* served with the statement: "statement.pdf", images by name */
	size_t statement_file_count;
	char **warnings;              /* what was accepted but looks wrong (no secret tests), one line each */
	size_t warning_count;
	/* The time limit: given (problem.yaml or .timelimit), else derived from
	   the jury submissions with these multipliers (see jury_files.h). */
	bool time_limit_given;
	double ac_to_time_limit, time_limit_to_tle, time_resolution;
	struct package_submission *submissions; /* submissions/, in path order */
	size_t submission_count;
};

/* Enforced while decompressing or reading, never trusting declared sizes. */
struct package_limits {
	uint64_t max_total_bytes;     /* all bytes loaded into memory */
	uint64_t max_files;           /* entries (files and folders) in a zip, or walked in a directory */
	uint64_t max_file_bytes;      /* one loaded file */
	uint64_t max_tests;           /* test cases (--max-tests); 0: no limit */
};

/* 512 MiB in all, 20000 entries, 256 MiB per file, 5000 tests. */
#define PACKAGE_LIMITS_DEFAULT ((struct package_limits){512ull << 20, 20000, 256ull << 20, 5000})

/* Reads a zip archive held in data[0..len). lim NULL means PACKAGE_LIMITS_DEFAULT.
 * Symbolic links (git archive, zip -y) stand for the file or folder they lead
 * to when it is inside the package (a linked folder's files appear under the
 * link); links out of it, broken ones, loops and chains of more than 16 are
 * rejected.
 * On success *out is a new package (package_free it). On PACKAGE_E_INVALID,
 * *err is a malloc'd one-line message ("problem.yaml: line 3: ..."), the caller
 * frees it. Thread-safe. */
int package_read_zip(const void *data, size_t len, const struct package_limits *lim,
                     struct package **out, char **err);

/* Reads the package in directory path (problem.yaml in it, or in its single
 * subfolder). Symlinks are followed to files and folders inside the package;
 * symlinks that leave it, loops, devices, FIFOs and sockets are rejected.
 * Hidden entries are skipped. Otherwise as package_read_zip; a missing or
 * unreadable path is a negative errno (no *err). */
int package_read_dir(const char *path, const struct package_limits *lim,
                     struct package **out, char **err);

/* Frees p and everything it owns; NULL is fine. */
void package_free(struct package *p);
