/* One contest in CLICS terms as one viewer sees it, read at one moment: the
 * one place that decides which CLICS objects exist for whom (through the
 * contest part's access.h), used alike by the REST endpoints, the event feed
 * and the contest package, so that a feed line and a GET can never differ.
 * The objects are the views part's (views/clics.c).
 *
 * Visibility (Contest_Control_System_Requirements 2023-06, as on the native
 * API): the public sees no problems before the start, no hidden team (nor
 * what refers to one), no judgement or run of a submission made during the
 * freeze until the thaw, and only the clarifications sent to all; a team
 * sees the same plus its own submissions' results and clarifications; the
 * jury and admins see everything. Accounts: the jury sees all, a signed-in
 * viewer its own, the public none. */
#pragma once
#include <jansson.h>
#include <stdint.h>

#include "access.h"
#include "clics.h"
#include "db.h"

struct app;
struct clics_model;

/* Opens contest `key` (its shortname) for `user` (NULL: the public) at
   now_ms. NULL when it does not exist or the user may not see it (the same
   to them: 404). */
struct clics_model *clics_model_open(const struct app *app, const char *key, const struct db_user *user,
				     int64_t now_ms);
/* The same by the contest's id, for a viewer already known (a feed's). */
struct clics_model *clics_model_open_id(const struct app *app, int64_t contest_id, const struct contest_viewer *v,
					const struct db_user *user, int64_t now_ms);
void clics_model_free(struct clics_model *m);

const struct db_contest *clics_model_contest(const struct clics_model *m);
const struct contest_viewer *clics_model_viewer(const struct clics_model *m);

/* What GET .../contests/{key}/{type} answers for this viewer: a bare array
   in id order (numeric ids numerically), or the object for the contest, the
   state and the scoreboard. NULL only for a type the viewer has no endpoint
   for (accounts without a session). New reference. */
json_t *clics_collection(struct clics_model *m, enum clics_type type);
/* What GET .../{type}/{id} answers: the object, or NULL (404) when the
   viewer may not see it or there is none. New reference. */
json_t *clics_object(struct clics_model *m, enum clics_type type, const char *id);
/* The objects of submission `id` the viewer sees, from one read: the
   submission, its judgement and its runs in ordinal order, each what
   clics_object gives (NULL, NULL and an empty array when the viewer sees
   none). New references; release with clics_submission_objects_release. */
struct clics_submission_objects {
	json_t *submission, *judgement, *runs;
};
void clics_submission_objects(struct clics_model *m, const char *id, struct clics_submission_objects *out);
void clics_submission_objects_release(struct clics_submission_objects *o);
/* What the awards and scoreboard are derived from, as a number that
   changes whenever they may have (the board's seq, and whether the public
   board is frozen); -1 without a board. */
int64_t clics_board_stamp(struct clics_model *m);
/* The scoreboard of the teams of group group_id (a group's CLICS id the
   viewer may see; NULL: every team): NULL when there is no such group or
   no board. New reference. */
json_t *clics_scoreboard(struct clics_model *m, const char *group_id);
