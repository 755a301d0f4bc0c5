/* The contest state in the change log: one DB_KIND_CONTEST_STATE change per
 * moment (migration 008 keeps what was logged last), and at the thaw the
 * submissions the freeze hid logged again, in the same transaction. */
#include "db_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Logs again, in the contest's scope, every submission of the contest made
   from `from` on and before `until` (0: no bound). */
static int relog_submissions(struct db_conn *c, int64_t contest_id, int64_t from, int64_t until)
{
	sqlite3_stmt *st = db_stmt(c, "SELECT id FROM submissions WHERE contest_id = ?1 AND submitted_ms >= ?2"
				      " AND (?3 = 0 OR submitted_ms < ?3) ORDER BY submitted_ms, id");
	sqlite3_bind_int64(st, 1, contest_id);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, until);
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			ids = xrealloc(ids, cap * sizeof *ids);
		}
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	int rc = step == SQLITE_DONE ? 0 : db_fail(c, "find the submissions a freeze hid");
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (db_change(c, DB_KIND_SUBMISSION, ids[i], DB_KIND_CONTEST, contest_id) < 0)
			rc = -EIO;
	free(ids);
	return rc;
}

int db_contest_log_state(struct db *db, int64_t id, const char *phase, int64_t hidden_from_ms, bool *logged)
{
	*logged = false;
	struct db_conn *c = db_write_begin(db);
	sqlite3_stmt *st = db_stmt(c, "SELECT phase_logged, coalesce(hidden_from_logged, 0) FROM contests WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	int step = sqlite3_step(st);
	const char *old = step == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
	bool same = old && strcmp(old, phase) == 0;
	int64_t old_from = step == SQLITE_ROW ? sqlite3_column_int64(st, 1) : 0;
	sqlite3_reset(st); /* old is not read past here */
	int rc = step == SQLITE_ROW ? 0 : step == SQLITE_DONE ? DB_E_NOT_FOUND : db_fail(c, "read a contest's state");
	if (rc != 0 || (same && old_from == hidden_from_ms))
		return db_write_end(db, c, rc);

	st = db_stmt(c, "UPDATE contests SET phase_logged = ?1, hidden_from_logged = nullif(?2, 0) WHERE id = ?3");
	sqlite3_bind_text(st, 1, phase, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, hidden_from_ms);
	sqlite3_bind_int64(st, 3, id);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_fail(c, "store a contest's state");
	sqlite3_reset(st);
	if (rc == 0 && db_change(c, DB_KIND_CONTEST_STATE, id, DB_KIND_CONTEST, id) < 0)
		rc = -EIO;
	/* What was hidden from old_from on and no longer is: all of it at a
	   thaw, or what lies before a freeze moved later. */
	if (rc == 0 && old_from && (!hidden_from_ms || hidden_from_ms > old_from))
		rc = relog_submissions(c, id, old_from, hidden_from_ms);
	rc = db_write_end(db, c, rc);
	*logged = rc == 0;
	return rc;
}
