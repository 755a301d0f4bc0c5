/* Reading a whole CLICS contest package (Contest_Package.md 2023-06), a zip:
 * the files contest_files reads (contest.json|yaml, problems.json|yaml,
 * groups.json, organizations.json, teams.json, accounts.json|yaml) and each
 * problem's Kattis package, problems/<id>/<id>.zip (or the one zip in
 * problems/<id>/), or the package's files themselves in problems/<id>/
 * (problem.yaml and the rest). Everything else (api.json, submissions.json,
 * judgements.json, runs.json, clarifications.json, awards.json,
 * scoreboard.json, event-feed.ndjson, logos) is checked as a zip entry and
 * skipped. The loader's checks against hostile archives apply to the
 * package and to each problem zip in it; messages name the file.
 *
 * Return convention: 0, CONTEST_FILES_E_INVALID with *err (malloc'd), or a
 * negative errno. */
#pragma once
#include <stddef.h>

#include "contest_files.h"
#include "package.h"

struct contest_package_problem {
	char *id;               /* the folder's name under problems/ */
	char *where;            /* "problems/a/a.zip" or "problems/a/" */
	struct package *pkg;
};

struct contest_package {
	struct contest_files files;
	struct contest_package_problem *problems; /* by id */
	size_t problem_count;
};

void contest_package_init(struct contest_package *cp);
void contest_package_release(struct contest_package *cp);
/* Reads the zip data[0..len). lim (NULL: the default) bounds each problem
   package; the package itself may hold at most its own size and 8 MiB in any
   one file, lim's total, and a million entries. */
int contest_package_read_zip(struct contest_package *cp, const void *data, size_t len,
			     const struct package_limits *lim, char **err);
/* The problem package of problems/<id>, or NULL. */
const struct contest_package_problem *contest_package_problem(const struct contest_package *cp, const char *id);
