#include "access.h"

#include "clock.h"

bool contest_viewer_of(struct db *db, const struct db_contest *c, const struct db_user *user,
		       struct contest_viewer *out)
{
	*out = (struct contest_viewer){CONTEST_VIEW_PUBLIC, 0, user ? user->id : 0};
	if (user && user->role != DB_ROLE_USER) {
		out->view = CONTEST_VIEW_JURY;
		return true;
	}
	int64_t team = 0;
	if (user && db_team_of_user(db, c->id, user->id, &team) == 0) {
		out->view = CONTEST_VIEW_TEAM;
		out->team_id = team;
		return true;
	}
	return c->public_ || (user && c->classroom);
}

bool contest_viewer_sees_result(const struct db_contest *c, const struct contest_viewer *v, int64_t team_id,
				int64_t submitted_ms, int64_t now_ms)
{
	if (v->view == CONTEST_VIEW_JURY || (v->view == CONTEST_VIEW_TEAM && v->team_id == team_id))
		return true;
	return !contest_result_hidden(c, submitted_ms, now_ms);
}
