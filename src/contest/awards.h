/* A contest's awards (CLICS 2023-06: winner, medals, first to solve, group
 * winners) from one view of its board, and the results exports written from
 * them: DOMjudge's results.tsv, a JSON results file, a gradebook CSV. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "board.h"
#include "util.h"

enum award_medal { AWARD_NONE, AWARD_GOLD, AWARD_SILVER, AWARD_BRONZE };

/* A team group, for group winners. */
struct award_group {
	int64_t id;
	const char *key;                /* the CLICS id */
	const char *name;
};

/* One CLICS award: "winner", "gold-medal", "silver-medal", "bronze-medal",
   "first-to-solve-<label>", "group-winner-<key>". */
struct award {
	char *id;
	char *citation;
	const struct board_team **teams; /* may be none */
	size_t team_count;
};

/* One row of the results, in rank order. */
struct award_result {
	const struct board_row *row;
	enum award_medal medal;
	bool ranked;                    /* it solved (scored) something: it has a rank in the results */
	const struct award_group *group_won; /* NULL: none */
};

struct awards {
	enum board_scoring scoring;
	struct award *awards;
	size_t award_count;
	struct award_result *results;
	size_t result_count;
	const struct board *board;
};

/* The awards of a board's view (the public one at finalize; the jury's live).
   Only a team that solved (scored) something wins anything. Medals go by rank:
   gold to ranks 1..gold, silver to the next `silver` ranks, bronze to the next
   `bronze`; teams tied at a boundary all get the better medal. Group winners
   are the best ranked teams of each group (all of them on a tie). groups are
   borrowed and must outlive the awards, and so must the board, unchanged.
   Free with awards_free. */
struct awards *awards_new(const struct board *b, enum contest_view view, int64_t team_id, int gold, int silver,
			  int bronze, const struct award_group *groups, size_t group_count);
void awards_free(struct awards *a);

/* "Gold Medal", "Silver Medal", "Bronze Medal", "Ranked" or "Honorable". */
const char *awards_name(const struct award_result *r);

/* DOMjudge's results.tsv: "results\t1", then per team its icpc id (else key),
   rank (empty if not ranked), award, solved, total time, last time, and the
   name of the group it won (or empty). */
void awards_results_tsv(const struct awards *a, struct buf *out);
/* {"final", "awards": [{"id", "citation", "team_ids"}], "results": [{"team_id",
   "rank", "award", "num_solved", "total_time", "last_time", "score",
   "group_winner"}]} with team keys for ids; rank null if not ranked, score
   null for ICPC; final: the contest is finalized (else the results may change). */
void awards_results_json(const struct awards *a, bool final, struct buf *out);
/* A gradebook CSV, one row per team by label: "label,name", a column per
   problem label (ICPC: the minute of the solve, empty if unsolved; IOI: the
   score), then "total" (ICPC: solved count; IOI: the score). */
void awards_gradebook_csv(const struct awards *a, struct buf *out);
