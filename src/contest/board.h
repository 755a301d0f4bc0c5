/* A contest's scoreboard in memory (ICPC and IOI, CLICS 2023-06 rules, notes
 * §1.5 and §5.2), kept up to date one submission at a time, with its views:
 * the jury's (live), the public's (frozen) and each team's (the public board
 * with the team's own row live).
 *
 * The board copies what it is given and needs nothing else: no database, no
 * clock. The caller feeds it the contest's non-practice submissions (practice
 * ones never count), says the seq of the change that brought each, and sends
 * the changed rows it gets back. One owner thread: nothing here locks. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "access.h"

enum board_scoring {
	BOARD_ICPC,                 /* pass-fail: solved, penalty time */
	BOARD_IOI_MAX_SUBMISSION,   /* a problem's best submission score */
	BOARD_IOI_MAX_SUBTASKS,     /* the sum over groups of the best group score */
};

struct board_settings {
	enum board_scoring scoring;
	int64_t penalty_min;        /* per earlier rejection with a penalty (ICPC) */
	int64_t start_ms;           /* contest time 0 */
	int64_t freeze_ms;          /* the freeze moment; 0: no freeze */
	bool thawed;                /* the freeze is over: the public sees everything */
};

struct board_team {
	int64_t id;
	const char *key;            /* the CLICS id */
	const char *icpc_id;        /* NULL: the key (results exports) */
	const char *label, *name;
	const char *display_name;   /* "" or NULL: the name */
	bool hidden;                /* off the public and team boards (the caller folds hidden groups in) */
	const int64_t *groups;      /* group ids, for filtering and group winners */
	size_t group_count;
};

struct board_problem {
	int64_t id;
	const char *label;
	double max_score;           /* IOI: a full score solves it; 0: none */
};

/* What a submission's judgement counts as on the board. */
enum board_result {
	BOARD_PENDING,              /* queued, compiling, running, or judged JE */
	BOARD_ACCEPTED,
	BOARD_REJECTED,             /* a judgement with a penalty: WA, TLE, MLE, RTE, OLE */
	BOARD_NO_PENALTY,           /* CE: judged, without a penalty */
};

/* status ("queued", ..., "done") and verdict ("AC", ..., NULL until done) as stored. */
enum board_result board_result_of(const char *status, const char *verdict);

/* IOI max_subtasks: one group's score in one submission. */
struct board_group_score {
	const char *group;          /* the test group's name */
	double score;
};

struct board_sub {
	int64_t id;
	int64_t team_id, problem_id;
	int64_t submitted_ms;
	enum board_result result;
	double score;               /* IOI: the submission's score */
	const struct board_group_score *groups; /* IOI max_subtasks */
	size_t group_count;
};

/* One problem of a row. */
struct board_cell {
	bool solved;                /* ICPC: an AC; IOI: the maximum score */
	bool first;                 /* first to solve it in this view (and no earlier pending remains) */
	int attempts;               /* judged submissions up to and including the first AC (ICPC), or all (IOI) */
	int pending;                /* pending submissions before the first AC, incl. those hidden by the freeze */
	int64_t time;               /* ICPC: the minute of the first AC; IOI: of the last improvement; -1: none */
	int64_t penalty;            /* ICPC: what it adds to the row's time (0 unsolved) */
	double score;               /* IOI */
};

/* One team's row in one view. */
struct board_row {
	int64_t seq;                /* the change that last changed this row in this view (rank included) */
	int rank;                   /* 1..; tied rows share it and the next rank skips */
	const struct board_team *team;
	int solved;
	int64_t time;               /* ICPC: total penalty minutes */
	double score;               /* IOI: the total */
	int64_t last_time;          /* the minute of the last AC (ICPC) or improvement (IOI); -1: none */
	const struct board_cell *cells; /* one per problem, in contest order */
};

struct board;

/* A board with the given teams and problems (all copied), and no submissions. */
struct board *board_new(const struct board_settings *s, const struct board_team *teams, size_t team_count,
			const struct board_problem *problems, size_t problem_count);
void board_free(struct board *b);

const struct board_settings *board_settings(const struct board *b);
size_t board_problem_count(const struct board *b);
const struct board_problem *board_problem_at(const struct board *b, size_t i);

/* A new board with b's teams, problems and submissions (copied) and the
   freeze over: its public view is the live board without hidden teams (the
   results of a contest whose public board is still frozen). Free with
   board_free. */
struct board *board_thawed(const struct board *b);

/* Inserts (or, with a known id, replaces) one submission; board_remove drops one.
   seq is the change's: rows that change in a view take it, and board_changes
   lists them. False (and empty change lists) for an unknown team or problem,
   or an unknown id to remove. */
bool board_put(struct board *b, const struct board_sub *s, int64_t seq);
bool board_remove(struct board *b, int64_t sub_id, int64_t seq);
/* Many submissions at once (a rebuild): every row changed takes seq. */
void board_load(struct board *b, const struct board_sub *subs, size_t n, int64_t seq);
/* New settings (freeze now, thaw, a new start or penalty): every view recomputed. */
void board_set_settings(struct board *b, const struct board_settings *s, int64_t seq);

/* The rows that the last put/remove/load/set_settings changed in one view
   (team_id: CONTEST_VIEW_TEAM's team), in rank order. */
struct board_change {
	enum contest_view view;
	int64_t team_id;            /* CONTEST_VIEW_TEAM; 0 otherwise */
	const struct board_row *const *rows;
	size_t row_count;
};
/* Valid until the next change of the board. A team whose view equals the
   public one has no change of its own: its readers take the public change.
   Returns how many (*out: the array). */
size_t board_changes(const struct board *b, const struct board_change **out);

/* One view's rows in rank order (ties by name), valid until the next change.
   The jury's has every team; the public's has no hidden team; a team's (a
   hidden team gets the public one) is the public's with its own row live.
   *seq (may be NULL): the highest row seq in it. Returns how many rows. */
size_t board_rows(const struct board *b, enum contest_view view, int64_t team_id,
		  const struct board_row *const **rows /* OUT */, int64_t *seq /* OUT */);
