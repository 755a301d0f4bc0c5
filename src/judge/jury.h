/* Jury submissions: verifying a problem package against its own
 * submissions/ (stored by db_jury.c), and deriving a time limit the package
 * does not give.
 *
 * The time limit rule (problemtools' verifyproblem, and the 2023-07 and
 * 2025-09 formats): with T_ac the slowest run (largest CPU time of any test)
 * of an accepted jury submission (expected AC, judged AC),
 *     time_limit = max(1, ceil(T_ac * ac_to_time_limit / time_resolution)) * time_resolution
 * ac_to_time_limit is the legacy format's time_multiplier (default 5), else
 * limits.time_multipliers.ac_to_time_limit (default 2); time_resolution
 * defaults to 1 s. As problemtools does, every jury submission runs with a
 * limit of its own, the problem's times time_limit_to_tle, and is read under
 * the problem's limit. While the limit is to be derived, the accepted ones run
 * first with JURY_PROVISIONAL_TIME_LIMIT_MS, and the others once it is
 * derived; users' submissions meanwhile get the problem's stored limit (1 s),
 * the derived one applies to what is judged after it, nothing is rejudged.
 * With no accepted jury submission, 1 s stays.
 *
 * A jury submission passes when its verdict under the final limit is one it
 * may get: runs judged with the provisional limit are read again test by test
 * (the first test slower than the limit is a TLE). A TLE within
 * time_limit * time_limit_to_tle, or an AC slower than time_limit /
 * ac_to_time_limit, passes with a warning. */
#pragma once
#include <jansson.h>
#include <stdint.h>

struct db;

#define JURY_PROVISIONAL_TIME_LIMIT_MS 10000

/* The derived limit in ms for the slowest accepted run, by the rule above. */
int64_t jury_time_limit_ms(int64_t slowest_ac_ms, double ac_to_time_limit, double time_resolution);
/* After submission id is judged: when it is a jury submission and its
   problem's limit is pending and every queued jury submission is judged,
   derives and stores the limit and queues the rest. Any thread that may write. */
void jury_judged(struct db *db, int64_t id);
/* The same for a problem: settles its pending limit once nothing of it is left to judge. */
void jury_settle(struct db *db, int64_t problem_id);
/* At start: settles the problems a stopped server left pending with every
   queued jury submission judged (it stopped between a verdict and the settling). */
void jury_recover(struct db *db);
/* The verification report of a problem (new reference), or NULL when it has
   no jury submissions and no limits state:
   {"problem_id", "ok", "complete", "passed", "failed", "pending", "not_judged",
    "time_limit": {"state", "time_limit_ms", "ac_to_time_limit", "time_limit_to_tle",
                   "time_resolution", "slowest_ac_ms", "rule"},
    "submissions": [{"path", "language", "submission_id", "expected": [...],
                     "verdict", "judged_verdict", "status", "time_ms", "score",
                     "judged_with_time_limit_ms",
                     "result": "pass"|"fail"|"pending"|"not judged", "note", "warning"}]} */
json_t *jury_report(struct db *db, int64_t problem_id);
