/* Who a user is in a contest, and what of it they may see. The one place
 * that decides it: REST, WebSocket, scoreboards and feeds all ask here. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#include "db.h"

enum contest_view { CONTEST_VIEW_PUBLIC, CONTEST_VIEW_TEAM, CONTEST_VIEW_JURY };

struct contest_viewer {
	enum contest_view view;
	int64_t team_id; /* CONTEST_VIEW_TEAM: the viewer's team */
	int64_t user_id; /* 0 without a session */
};

/* The viewer of contest c that user is (NULL: no session): jury for admins
   and jury, the team of a member, else the public. Returns false when they
   may not see the contest at all: it is neither public nor a classroom
   contest (open to every signed-in user), and they are not in a team of it
   or jury. */
bool contest_viewer_of(struct db *db, const struct db_contest *c, const struct db_user *user,
		       struct contest_viewer *out);
/* Whether the viewer may see the result (verdict, score, tests) of a
   submission of team_id made at submitted_ms, at now_ms: always for the jury
   and the team itself, else unless the freeze hides it. */
bool contest_viewer_sees_result(const struct db_contest *c, const struct contest_viewer *v, int64_t team_id,
				int64_t submitted_ms, int64_t now_ms);
/* Whether a contest's problems are out for the viewer at now_ms: always for
   the jury, for anyone else from the contest's start on (a paused countdown
   has no start). */
bool contest_viewer_sees_problems(const struct db_contest *c, const struct contest_viewer *v, int64_t now_ms);
/* A problem is out for a user (NULL: no session) at now_ms when it is in no
   contest (a plain problem), or in a contest they may see whose problems are
   out for them (DOMjudge: a contest's problems appear at its start); the jury
   and admins see every problem. A problem that is not out does not exist for
   them. */
bool contest_problem_out(struct db *db, int64_t problem_id, const struct db_user *user, int64_t now_ms);
/* The problems not out for user at now_ms, by id ascending, in *ids (malloc'd,
   NULL when none; free it). Returns how many. */
size_t contest_problems_not_out(struct db *db, const struct db_user *user, int64_t now_ms, int64_t **ids);
