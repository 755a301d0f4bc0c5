/* Contests and their problems, the time fields set by actions, and what
 * stops a finalize. Each write logs the contest in its own scope. */
#include "db_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define NOW_RFC3339 "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"

/* A read contest's memory: a list of blocks that db_contest_release frees. */
struct block {
	struct block *next;
	max_align_t data[];
};

static void *block_new(void **mem, size_t size)
{
	struct block *b = xmalloc(sizeof *b + size);
	b->next = *mem;
	*mem = b;
	return b->data;
}

/* A copy of column col's text (NULL stays NULL) in *mem. */
static const char *keep_text(void **mem, sqlite3_stmt *st, int col)
{
	const char *s = (const char *)sqlite3_column_text(st, col);
	if (!s)
		return NULL;
	size_t n = (size_t)sqlite3_column_bytes(st, col) + 1;
	return memcpy(block_new(mem, n), s, n);
}

void db_contest_release(struct db_contest *c)
{
	if (!c)
		return;
	for (struct block *b = c->mem, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	memset(c, 0, sizeof *c);
}

/* Binds an optional time: 0 is NULL. */
static void bind_time(sqlite3_stmt *st, int col, int64_t ms)
{
	if (ms)
		sqlite3_bind_int64(st, col, ms);
	else
		sqlite3_bind_null(st, col);
}

/* Binds the writable fields as ?1 .. ?19 in the order of the column list below. */
#define CONTEST_FIELDS                                                                                         \
	"shortname, name, formal_name, start_ms, countdown_pause_ms, duration_ms, freeze_ms, scoring, ioi_mode," \
	" penalty_min, public, practice_after_end, classroom, frozen_at_ms, thaw_at_ms, finalized_at_ms, gold,"   \
	" silver, bronze"
static void bind_fields(sqlite3_stmt *st, const struct db_contest *k)
{
	sqlite3_bind_text(st, 1, k->shortname, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, k->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, k->formal_name ? k->formal_name : "", -1, SQLITE_STATIC);
	bind_time(st, 4, k->start_ms);
	bind_time(st, 5, k->countdown_pause_ms);
	sqlite3_bind_int64(st, 6, k->duration_ms);
	sqlite3_bind_int64(st, 7, k->freeze_ms);
	sqlite3_bind_text(st, 8, k->scoring ? k->scoring : "icpc", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, k->ioi_mode ? k->ioi_mode : "max_submission", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, k->penalty_min);
	sqlite3_bind_int(st, 11, k->public_);
	sqlite3_bind_int(st, 12, k->practice_after_end);
	sqlite3_bind_int(st, 13, k->classroom);
	bind_time(st, 14, k->frozen_at_ms);
	bind_time(st, 15, k->thaw_at_ms);
	bind_time(st, 16, k->finalized_at_ms);
	sqlite3_bind_int(st, 17, k->gold);
	sqlite3_bind_int(st, 18, k->silver);
	sqlite3_bind_int(st, 19, k->bronze);
}

/* What a failed step of a write means. */
static int step_rc(struct db_conn *c, int step, const char *what)
{
	switch (step) {
	case SQLITE_DONE:
	case SQLITE_ROW:
		return 0;
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
		return DB_E_CONFLICT;
	case SQLITE_CONSTRAINT_FOREIGNKEY:
		return DB_E_NOT_FOUND;
	case SQLITE_CONSTRAINT_CHECK:
	case SQLITE_CONSTRAINT_NOTNULL:
		return -EINVAL;
	default:
		return db_fail(c, what);
	}
}

/* Replaces the contest's problems by k's, in k's order. */
static int write_problems(struct db_conn *c, int64_t id, const struct db_contest *k)
{
	sqlite3_stmt *st = db_stmt(c, "DELETE FROM contest_problems WHERE contest_id = ?");
	sqlite3_bind_int64(st, 1, id);
	int rc = step_rc(c, sqlite3_step(st), "delete contest problems");
	sqlite3_reset(st);
	for (size_t i = 0; rc == 0 && i < k->problem_count; i++) {
		const struct db_contest_problem *p = &k->problems[i];
		st = db_stmt(c, "INSERT INTO contest_problems (contest_id, problem_id, label, ordinal, color, max_score)"
				" VALUES (?, ?, ?, ?, ?, ?)");
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, p->problem_id);
		sqlite3_bind_text(st, 3, p->label, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, (int64_t)i + 1);
		sqlite3_bind_text(st, 5, p->color ? p->color : "", -1, SQLITE_STATIC);
		if (p->has_max_score)
			sqlite3_bind_double(st, 6, p->max_score);
		rc = step_rc(c, sqlite3_step(st), "insert a contest problem");
		sqlite3_reset(st);
	}
	return rc;
}

/* Logs a change of contest id in its own scope when rc is 0; returns rc, or -EIO. */
static int log_contest(struct db_conn *c, int64_t id, bool deleted, int rc)
{
	if (rc != 0)
		return rc;
	int64_t seq = deleted ? db_change_deleted(c, DB_KIND_CONTEST, id, DB_KIND_CONTEST, id)
			      : db_change(c, DB_KIND_CONTEST, id, DB_KIND_CONTEST, id);
	return seq < 0 ? -EIO : 0;
}

int db_contest_create(struct db *db, const struct db_contest *k, int64_t *id)
{
	struct db_conn *c = db_write_begin(db);
	/* Never the id of a deleted contest (its scope and topics would come back). */
	int64_t largest = db_query_int(c, "SELECT coalesce(max(id), 0) FROM contests");
	int64_t new_id = db_next_row_id(c, "contest_id", largest);
	sqlite3_stmt *st = db_stmt(c, "INSERT INTO contests (" CONTEST_FIELDS ", created_at, updated_at, id)"
				      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
				      " ?17, ?18, ?19, " NOW_RFC3339 ", " NOW_RFC3339 ", ?20)");
	bind_fields(st, k);
	sqlite3_bind_int64(st, 20, new_id);
	int rc = new_id < 0 ? -EIO : step_rc(c, sqlite3_step(st), "insert a contest");
	sqlite3_reset(st);
	if (rc == 0)
		rc = write_problems(c, new_id, k);
	rc = db_write_end(db, c, log_contest(c, new_id, false, rc));
	if (rc == 0 && id)
		*id = new_id;
	return rc;
}

int db_contest_update(struct db *db, int64_t id, const struct db_contest *k)
{
	struct db_conn *c = db_write_begin(db);
	sqlite3_stmt *st = db_stmt(c, "UPDATE contests SET (" CONTEST_FIELDS ", updated_at)"
				      " = (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
				      " ?17, ?18, ?19, " NOW_RFC3339 ") WHERE id = ?20");
	bind_fields(st, k);
	sqlite3_bind_int64(st, 20, id);
	int rc = step_rc(c, sqlite3_step(st), "update a contest");
	if (rc == 0 && sqlite3_changes(db_handle(c)) == 0)
		rc = DB_E_NOT_FOUND;
	sqlite3_reset(st);
	if (rc == 0)
		rc = write_problems(c, id, k);
	return db_write_end(db, c, log_contest(c, id, false, rc));
}

/* The contest's submissions become plain ones: each is logged again, now in
   its problem's scope (before the delete clears their contest_id). */
static int move_submissions(struct db_conn *c, int64_t id)
{
	sqlite3_stmt *st = db_stmt(c, "SELECT id, problem_id FROM submissions WHERE contest_id = ? ORDER BY id");
	sqlite3_bind_int64(st, 1, id);
	int64_t (*rows)[2] = NULL;
	size_t n = 0, cap = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			rows = xrealloc(rows, cap * sizeof *rows);
		}
		rows[n][0] = sqlite3_column_int64(st, 0);
		rows[n++][1] = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (db_change(c, DB_KIND_SUBMISSION, rows[i][0], DB_KIND_PROBLEM, rows[i][1]) < 0)
			rc = -EIO;
	free(rows);
	return rc;
}

int db_contest_delete(struct db *db, int64_t id)
{
	struct db_conn *c = db_write_begin(db);
	int rc = move_submissions(c, id);
	sqlite3_stmt *st;
	if (rc == 0) {
		st = db_stmt(c, "DELETE FROM contests WHERE id = ?");
		sqlite3_bind_int64(st, 1, id);
		rc = step_rc(c, sqlite3_step(st), "delete a contest");
		if (rc == 0 && sqlite3_changes(db_handle(c)) == 0)
			rc = DB_E_NOT_FOUND;
		sqlite3_reset(st);
	}
	if (rc == 0) {
		/* Its teams, groups, organizations and clarifications are gone, and so is the scope they were in. */
		st = db_stmt(c, "DELETE FROM changes WHERE scope_kind = 'contest' AND scope_id = ? AND kind <> 'contest'");
		sqlite3_bind_int64(st, 1, id);
		rc = step_rc(c, sqlite3_step(st), "forget a contest's changes");
		sqlite3_reset(st);
	}
	return db_write_end(db, c, log_contest(c, id, true, rc));
}

/* Reads contest id through c into *out (owned); DB_E_NOT_FOUND if none. */
static int read_contest(struct db_conn *c, int64_t id, struct db_contest *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = db_stmt(c, "SELECT k.id, coalesce(ch.seq, 0), " CONTEST_FIELDS ", created_at, updated_at"
				      " FROM contests k LEFT JOIN changes ch ON ch.kind = 'contest' AND ch.id = k.id"
				      " WHERE k.id = ?");
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return DB_E_NOT_FOUND;
	}
	void **mem = &out->mem;
	out->id = sqlite3_column_int64(st, 0);
	out->seq = sqlite3_column_int64(st, 1);
	out->shortname = keep_text(mem, st, 2);
	out->name = keep_text(mem, st, 3);
	out->formal_name = keep_text(mem, st, 4);
	out->start_ms = sqlite3_column_int64(st, 5);
	out->countdown_pause_ms = sqlite3_column_int64(st, 6);
	out->duration_ms = sqlite3_column_int64(st, 7);
	out->freeze_ms = sqlite3_column_int64(st, 8);
	out->scoring = keep_text(mem, st, 9);
	out->ioi_mode = keep_text(mem, st, 10);
	out->penalty_min = sqlite3_column_int64(st, 11);
	out->public_ = sqlite3_column_int(st, 12);
	out->practice_after_end = sqlite3_column_int(st, 13);
	out->classroom = sqlite3_column_int(st, 14);
	out->frozen_at_ms = sqlite3_column_int64(st, 15);
	out->thaw_at_ms = sqlite3_column_int64(st, 16);
	out->finalized_at_ms = sqlite3_column_int64(st, 17);
	out->gold = sqlite3_column_int(st, 18);
	out->silver = sqlite3_column_int(st, 19);
	out->bronze = sqlite3_column_int(st, 20);
	out->created_at = keep_text(mem, st, 21);
	out->updated_at = keep_text(mem, st, 22);
	sqlite3_reset(st);

	st = db_stmt(c, "SELECT count(*) FROM contest_problems WHERE contest_id = ?");
	sqlite3_bind_int64(st, 1, id);
	size_t n = sqlite3_step(st) == SQLITE_ROW ? (size_t)sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	struct db_contest_problem *problems = n ? block_new(mem, n * sizeof *problems) : NULL;
	st = db_stmt(c, "SELECT cp.problem_id, cp.label, cp.ordinal, cp.color, cp.max_score, p.slug, p.title"
			" FROM contest_problems cp JOIN problems p ON p.id = cp.problem_id"
			" WHERE cp.contest_id = ? ORDER BY cp.ordinal");
	sqlite3_bind_int64(st, 1, id);
	size_t i = 0;
	for (; i < n && sqlite3_step(st) == SQLITE_ROW; i++) {
		struct db_contest_problem *p = &problems[i];
		p->problem_id = sqlite3_column_int64(st, 0);
		p->label = keep_text(mem, st, 1);
		p->ordinal = sqlite3_column_int(st, 2);
		p->color = keep_text(mem, st, 3);
		p->has_max_score = sqlite3_column_type(st, 4) != SQLITE_NULL;
		p->max_score = sqlite3_column_double(st, 4);
		p->slug = keep_text(mem, st, 5);
		p->title = keep_text(mem, st, 6);
	}
	sqlite3_reset(st);
	out->problems = problems;
	out->problem_count = i;
	return 0;
}

int db_contest_get(struct db *db, int64_t id, struct db_contest *out)
{
	struct db_conn *c = db_reader(db);
	db_read_begin(c);
	int rc = read_contest(c, id, out);
	db_read_end(c);
	return rc;
}

int db_contest_by_shortname(struct db *db, const char *shortname, int64_t *id)
{
	struct db_conn *c = db_reader(db);
	sqlite3_stmt *st = db_stmt(c, "SELECT id FROM contests WHERE shortname = ?");
	sqlite3_bind_text(st, 1, shortname, -1, SQLITE_STATIC);
	int rc = DB_E_NOT_FOUND;
	if (sqlite3_step(st) == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		rc = 0;
	}
	sqlite3_reset(st);
	return rc;
}

/* Up to max ids from the first column of st (bound, not yet stepped). */
static size_t read_ids(sqlite3_stmt *st, int64_t *ids, size_t max)
{
	size_t n = 0;
	while (n < max && sqlite3_step(st) == SQLITE_ROW)
		ids[n++] = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}

void db_contests_list(struct db *db, db_contest_fn fn, void *ctx)
{
	struct db_conn *c = db_reader(db);
	db_read_begin(c);
	size_t n = (size_t)db_query_int(c, "SELECT count(*) FROM contests");
	int64_t *ids = xmalloc((n ? n : 1) * sizeof *ids);
	sqlite3_stmt *st = db_stmt(c, "SELECT id FROM contests ORDER BY id");
	n = read_ids(st, ids, n);
	for (size_t i = 0; i < n; i++) {
		struct db_contest k;
		if (read_contest(c, ids[i], &k) == 0)
			fn(ctx, &k);
		db_contest_release(&k);
	}
	db_read_end(c);
	free(ids);
}

size_t db_problem_contests(struct db *db, int64_t problem_id, int64_t *ids, size_t max)
{
	struct db_conn *c = db_reader(db);
	sqlite3_stmt *st = db_stmt(c, "SELECT contest_id FROM contest_problems WHERE problem_id = ? ORDER BY contest_id");
	sqlite3_bind_int64(st, 1, problem_id);
	return read_ids(st, ids, max);
}

int db_contest_set_time(struct db *db, int64_t id, enum db_contest_time field, int64_t value_ms)
{
	/* One statement for every field: ?1 says which. A start clears a paused
	   countdown and a pause clears the start (the two never go together). */
	struct db_conn *c = db_write_begin(db);
	sqlite3_stmt *st = db_stmt(c, "UPDATE contests SET"
				      " start_ms = CASE ?1 WHEN 0 THEN nullif(?2, 0) WHEN 1 THEN"
				      " CASE WHEN ?2 = 0 THEN start_ms END ELSE start_ms END,"
				      " countdown_pause_ms = CASE ?1 WHEN 1 THEN nullif(?2, 0) WHEN 0 THEN"
				      " CASE WHEN ?2 = 0 THEN countdown_pause_ms END ELSE countdown_pause_ms END,"
				      " duration_ms = CASE ?1 WHEN 2 THEN ?2 ELSE duration_ms END,"
				      " frozen_at_ms = CASE ?1 WHEN 3 THEN nullif(?2, 0) ELSE frozen_at_ms END,"
				      " thaw_at_ms = CASE ?1 WHEN 4 THEN nullif(?2, 0) ELSE thaw_at_ms END,"
				      " finalized_at_ms = CASE ?1 WHEN 5 THEN nullif(?2, 0) ELSE finalized_at_ms END,"
				      " updated_at = " NOW_RFC3339 " WHERE id = ?3");
	static const int codes[] = {[DB_CONTEST_START] = 0,	    [DB_CONTEST_COUNTDOWN_PAUSE] = 1,
				    [DB_CONTEST_DURATION] = 2,	    [DB_CONTEST_FROZEN_AT] = 3,
				    [DB_CONTEST_THAW_AT] = 4,	    [DB_CONTEST_FINALIZED_AT] = 5};
	int rc = (size_t)field < ARRAY_SIZE(codes) ? 0 : -EINVAL;
	sqlite3_bind_int(st, 1, rc == 0 ? codes[field] : -1);
	sqlite3_bind_int64(st, 2, value_ms);
	sqlite3_bind_int64(st, 3, id);
	if (rc == 0)
		rc = step_rc(c, sqlite3_step(st), "set a contest's time");
	if (rc == 0 && sqlite3_changes(db_handle(c)) == 0)
		rc = DB_E_NOT_FOUND;
	sqlite3_reset(st);
	return db_write_end(db, c, log_contest(c, id, false, rc));
}

int db_contest_blockers(struct db *db, int64_t id, struct db_contest_blockers *out)
{
	struct db_conn *c = db_reader(db);
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = db_stmt(c, "SELECT"
				      " (SELECT count(*) FROM submissions WHERE contest_id = ?1 AND status <> 'done'"
				      " AND NOT practice),"
				      " (SELECT count(*) FROM submissions WHERE contest_id = ?1 AND status = 'done'"
				      " AND verdict = 'JE'),"
				      " (SELECT count(*) FROM clarifications q WHERE q.contest_id = ?1"
				      " AND q.from_team_id IS NOT NULL AND q.reply_to IS NULL"
				      " AND NOT EXISTS (SELECT 1 FROM clarifications r WHERE r.reply_to = q.id))"
				      " FROM contests WHERE id = ?1");
	sqlite3_bind_int64(st, 1, id);
	int rc = DB_E_NOT_FOUND;
	if (sqlite3_step(st) == SQLITE_ROW) {
		out->pending = sqlite3_column_int64(st, 0);
		out->judge_errors = sqlite3_column_int64(st, 1);
		out->unanswered = sqlite3_column_int64(st, 2);
		rc = 0;
	}
	sqlite3_reset(st);
	return rc;
}
