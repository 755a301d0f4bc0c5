/* The moments of every contest in the change log: a thread that logs a
 * contest's state (db_contest_log_state: one DB_KIND_CONTEST_STATE change
 * per moment, and at the thaw the submissions the freeze hid again) when the
 * clock reaches its start, freeze, end, thaw or finalize, and when a change
 * of the contest moves it (an action, a new time). At start it logs the state
 * of every contest that moved while the server was down.
 *
 * Threads: moments_on_change runs where the change hook runs (under the
 * database's writer lock) and only wakes the thread; the thread writes to
 * the database holding no lock of its own, so the change hook's other
 * parts (the boards) may take theirs. Lock order: the database's writer
 * lock, then the moments' lock. */
#pragma once
#include "db.h"

struct moments;

/* Never NULL. Nothing runs until moments_start. */
struct moments *moments_new(struct db *db);
/* Starts the thread: 0 or negative errno. Call once nothing forks any more. */
int moments_start(struct moments *m);
/* The change hook's part: a contest changed, so its moments may have moved. */
void moments_on_change(struct moments *m, const struct db_change *change);
/* Stops the thread (before the database closes) and frees. NULL is fine. */
void moments_free(struct moments *m);
