/* The judge: a queue of submissions and a pool of worker processes that
 * compile, run and check them in the sandbox. */
#pragma once

struct app;
struct judge;

/* Tells the dispatcher that there may be new queued submissions. Thread-safe; NULL is a no-op. */
void judge_wake(struct judge *j);
