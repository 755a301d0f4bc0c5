/* A problem package's jury submissions (submissions/), read by kattis.c into
 * package.submissions. Internal to problems.
 *
 * Each file directly in submissions/<folder>/ is one submission; a folder
 * there is one submission of several files (kept, with no source: it is
 * reported as not judged). What it may get, from the first that applies:
 *   1. a DOMjudge "@EXPECTED_RESULTS@: " comment in the source (CORRECT,
 *      WRONG-ANSWER, TIMELIMIT, RUN-ERROR, COMPILER-ERROR, NO-OUTPUT = WA,
 *      OUTPUT-LIMIT, MEMORY-LIMIT);
 *   2. the last key of submissions/submissions.yaml (2023-07 and later) that
 *      matches the path or a folder above it (a glob with '*' within a name;
 *      no braces): its `required` verdicts (those also `permitted`), else
 *      its `permitted` ones; keys for test groups are not read;
 *   3. the folder: accepted AC, wrong_answer WA, time_limit_exceeded TLE,
 *      run_time_error RTE, rejected and brute_force as the spec says
 *      (WA/TLE/RTE, TLE/RTE).
 * The judge stops at the first failed test, so a submission passes when its
 * verdict is one of them. A file in any other folder with none of these is
 * left out. At most JURY_MAX_SUBMISSIONS. */
#pragma once
#include "package.h"

#define JURY_MAX_SUBMISSIONS 500

/* Fills p->submissions from l's submissions/ files. 0, or PACKAGE_E_INVALID with *err. */
struct loader_tree;
int jury_read_submissions(const struct loader_tree *l, struct package *p, char **err);
/* Frees p->submissions. */
void jury_files_free(struct package *p);
