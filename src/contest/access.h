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
