/* The judge: a queue of submissions (the queued rows of the database) and a
 * pool of worker processes (worker.c) that compile, run and check them in
 * the sandbox. The server process never runs submitted code. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

struct app;
struct judge;
struct judge_report;

/* Re-queues submissions a stopped server left half-judged and spawns the
   workers. Call before any thread starts. NULL with *err on failure. */
struct judge *judge_new(struct app *app, int workers, char **err);
/* Starts the dispatcher thread. 0 or negative errno. */
int judge_start(struct judge *j);
/* Tells the dispatcher that there may be new queued submissions. Thread-safe; NULL is a no-op. */
void judge_wake(struct judge *j);
struct validator;
struct validator_source;

/* Compiles a custom output validator on a worker (in the sandbox), ahead of
   waiting submissions. Blocks the calling thread (never call it from the
   dispatcher) for at most timeout_s. Returns 0 with *out filled, VALIDATOR_E_COMPILE
   (validator.h) when the sources do not compile (*message says why), or a negative errno (-ETIMEDOUT,
   -EIO when the worker or sandbox failed). *message is malloc'd in every case. */
int judge_compile_validator(struct judge *j, const struct validator_source *files, size_t count, int timeout_s,
			    struct validator *out, char **message);
/* Stops the dispatcher and the workers; submissions being judged stay
   compiling/running and are re-queued at the next start. Accepts NULL. */
void judge_free(struct judge *j);
/* Why the judge cannot judge now (a malloc'd message), or NULL when it can:
   a worker that has failed to start JUDGE_UNHEALTHY_AFTER times in a row.
   Any thread. */
char *judge_health(struct judge *j);
/* What the judge says of itself (judge_report.h): the sandbox facts its
   first ready worker reported (have_facts false before), every worker's state,
   the toolchains. Any thread; release *out with judge_report_release. */
void judge_report(struct judge *j, struct judge_report *out);
