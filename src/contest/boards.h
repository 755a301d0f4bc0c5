/* The scoreboards of every contest, kept in memory (board.h), built from the
 * database at start and kept up to date from the change log: a contest
 * submission's change is put on its board as one submission; a change of a
 * contest, a team, a team group or a problem of the contest rebuilds that
 * contest's board. The freeze and a scheduled thaw come by time, with no
 * change in the database: a timer thread switches the boards at that moment.
 *
 * Whatever changes a board is told to the listener (the live feed), under
 * the boards' lock, so that listeners see the changes of all boards in the
 * order they happened and can read the board while they are told.
 *
 * Threads: boards_on_change runs where the change hook runs (the writer
 * thread, under the database's writer lock); boards_read on any thread (HTTP
 * threads, the hub's replay thread); the timer is the boards' own thread.
 * One mutex guards every board. Lock order: the database's writer lock, then
 * the boards' lock (the timer never writes to the database). */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#include "access.h"
#include "board.h"
#include "db.h"

struct boards;

struct boards_memo;

/* One contest's board as a reader or listener sees it (valid during the call). */
struct boards_view {
	struct boards_memo *memo;  /* the board's memo (boards_memo_get) */
	const struct db_contest *contest;
	const struct board *board;
	int64_t seq;               /* the board's: the newest change it has applied */
	int64_t now_ms;            /* the moment it is read at */
	bool frozen;               /* the public board is frozen now (contest_frozen_at) */
	int64_t freeze_minutes;    /* while frozen: the minutes from the freeze to the end */
};

/* What the listener is told. */
enum boards_what {
	BOARDS_CHANGED,            /* rows changed (board_changes), at seq */
	BOARDS_REBUILT,            /* built anew (a contest, team or problem change): every row may differ, and
				      rows may have gone */
	BOARDS_SWITCHED,           /* the freeze came or a scheduled thaw passed (no new seq) */
	BOARDS_GONE,               /* the contest was deleted */
};

typedef void (*boards_listener)(void *ctx, enum boards_what what, const struct boards_view *v);

/* Builds the board of every contest. Never NULL. */
struct boards *boards_new(struct db *db);
/* Starts the timer thread. 0 or negative errno. Call once nothing forks any more. */
int boards_start(struct boards *b);
/* Stops the timer thread and frees everything. NULL is fine. */
void boards_free(struct boards *b);
/* Sets the listener (before any change arrives; NULL: none). */
void boards_set_listener(struct boards *b, boards_listener fn, void *ctx);

/* The change hook's part (see db_change_hook): updates the boards the change
   concerns and tells the listener. */
void boards_on_change(struct boards *b, struct db *db, const struct db_change *change);

/* Calls fn with contest_id's board, under the lock (keep it short).
   DB_E_NOT_FOUND (no call) when there is no such contest. */
int boards_read(struct boards *b, int64_t contest_id, void (*fn)(void *ctx, const struct boards_view *v),
		void *ctx);

/* Texts kept with a board until it changes (the REST answers of its views,
   written once per change instead of once per request). `slot` is the
   caller's (below BOARDS_MEMO_SLOTS) and `stamp` says what else the text
   depends on (the contest's state at the moment read, say): a text is
   returned only for the same board, slot and stamp. Call within boards_read.
   boards_memo_get copies the text (malloc'd, *len bytes, NUL-terminated) or
   returns NULL; boards_memo_put takes a copy. */
#define BOARDS_MEMO_SLOTS 4
char *boards_memo_get(struct boards_memo *memo, int slot, int64_t stamp, size_t *len);
void boards_memo_put(struct boards_memo *memo, int slot, int64_t stamp, const char *text, size_t len);

/* The rows of a view as REST and sockets show it: the jury's and the
   public's as the board has them; a team's is the public one with the
   team's own row (its row in the board's team view) in place of the
   public one, or added where the public board does not show it. Fills rows
   (room for board_rows' count + 1) and returns how many. */
size_t boards_view_rows(const struct board *board, enum contest_view view, int64_t team_id,
			const struct board_row **rows);
/* The team's own row in its view, or NULL when the team is not on its board
   (hidden, or unknown). */
const struct board_row *boards_own_row(const struct board *board, int64_t team_id);
