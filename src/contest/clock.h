/* A contest's clock: its times and its state at a moment, from the stored
 * fields alone (CLICS 2023-06 order: started < frozen < ended < thawed, and
 * ended < finalized). */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#include "db.h"

enum contest_state {
	CONTEST_SCHEDULED,
	CONTEST_RUNNING,
	CONTEST_FROZEN,
	CONTEST_ENDED,
	CONTEST_THAWED,
	CONTEST_FINALIZED,
};

/* The moments of a contest, ms since the epoch; 0 where there is none. */
struct contest_times {
	int64_t start;     /* 0: not scheduled */
	int64_t freeze;    /* frozen_at_ms, else start + duration - freeze_ms; 0: no freeze */
	int64_t end;       /* start + duration */
	int64_t thaw;      /* thaw_at_ms (it may lie in the future) */
	int64_t finalize;
};

void contest_times_of(const struct db_contest *c, struct contest_times *out);
/* scheduled until the start; then frozen from the freeze until the thaw and
   running otherwise, until the end; then ended, thawed from the thaw on, and
   finalized from the finalize on. */
enum contest_state contest_state_at(const struct db_contest *c, int64_t now_ms);
/* "scheduled", "running", ... */
const char *contest_state_name(enum contest_state s);
/* The board is frozen now: the freeze has come and the thaw has not. */
bool contest_frozen_at(const struct db_contest *c, int64_t now_ms);
/* A submission made at submitted_ms is hidden from those who may not see it
   live (the public, other teams) at now_ms: it came at or after the freeze
   and the board is not thawed. */
bool contest_result_hidden(const struct db_contest *c, int64_t submitted_ms, int64_t now_ms);
/* Whole minutes since the start, rounded down (ICPC contest time). */
int64_t contest_minute(const struct db_contest *c, int64_t at_ms);
/* The wall clock in ms since the epoch. */
int64_t contest_now_ms(void);
