/* The judge: a queue of submissions (the queued rows of the database) and a
 * pool of worker processes (worker.c) that compile, run and check them in
 * the sandbox. The server process never runs submitted code. */
#pragma once
#include <stdbool.h>

struct app;
struct judge;

/* Re-queues submissions a stopped server left half-judged and spawns the
   workers. Call before any thread starts. NULL with *err on failure. */
struct judge *judge_new(struct app *app, int workers, char **err);
/* Starts the dispatcher thread. 0 or negative errno. */
int judge_start(struct judge *j);
/* Tells the dispatcher that there may be new queued submissions. Thread-safe; NULL is a no-op. */
void judge_wake(struct judge *j);
/* Stops the dispatcher and the workers; submissions being judged stay
   compiling/running and are re-queued at the next start. Accepts NULL. */
void judge_free(struct judge *j);
