/* Clarifications of a contest: a team's requests, the jury's replies and
 * announcements, read by what a viewer may see. Each is logged in its
 * contest's scope; a reply is logged as a change of its request too. */
#include "db_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Every read selects these columns in this order; seq comes from the change log. */
#define CLAR_COLUMNS                                                                                         \
	"c.id, c.contest_id, coalesce(ch.seq, 0), c.from_team_id, c.to_team_id, c.to_all, c.reply_to,"       \
	" c.problem_id, cp.label, c.text, c.time_ms, c.sender_user_id,"                                      \
	" c.from_team_id IS NOT NULL AND EXISTS (SELECT 1 FROM clarifications r WHERE r.reply_to = c.id)"
#define CLAR_JOINS                                                                                   \
	" LEFT JOIN contest_problems cp ON cp.contest_id = c.contest_id AND cp.problem_id = c.problem_id"
/* What the viewer ?2 may see: -1 the jury, every one; 0 the public, those
   to all; a team, those too and those from or to it. */
#define CLAR_VISIBLE \
	" AND (?2 = -1 OR c.to_all = 1 OR (?2 > 0 AND (c.from_team_id = ?2 OR c.to_team_id = ?2)))"

/* The row's columns, borrowed until the statement steps or resets. */
static void read_row(sqlite3_stmt *st, struct db_clarification *out)
{
	memset(out, 0, sizeof *out);
	out->id = sqlite3_column_int64(st, 0);
	out->contest_id = sqlite3_column_int64(st, 1);
	out->seq = sqlite3_column_int64(st, 2);
	out->from_team_id = sqlite3_column_int64(st, 3);
	out->to_team_id = sqlite3_column_int64(st, 4);
	out->to_all = sqlite3_column_int(st, 5);
	out->reply_to = sqlite3_column_int64(st, 6);
	out->problem_id = sqlite3_column_int64(st, 7);
	out->problem_label = (const char *)sqlite3_column_text(st, 8);
	out->text = (const char *)sqlite3_column_text(st, 9);
	out->time_ms = sqlite3_column_int64(st, 10);
	out->sender_user_id = sqlite3_column_int64(st, 11);
	out->answered = sqlite3_column_int(st, 12);
}

/* Whether sql (?1 the id, ?2 the contest) finds a row: 0, DB_E_NOT_FOUND or -EIO.
   An id of 0 (none) is found. */
static int in_contest(struct db_conn *c, const char *sql, int64_t id, int64_t contest_id)
{
	if (id == 0)
		return 0;
	sqlite3_stmt *st = db_stmt(c, sql);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, contest_id);
	int step = sqlite3_step(st);
	sqlite3_reset(st);
	return step == SQLITE_ROW ? 0 : step == SQLITE_DONE ? DB_E_NOT_FOUND : db_fail(c, "find in contest");
}

/* The references of a new clarification, each checked to be the contest's. */
static int check_refs(struct db_conn *c, const struct db_clarification *in)
{
	int rc = in_contest(c, "SELECT id FROM contests WHERE id = ?1 AND id = ?2", in->contest_id, in->contest_id);
	if (rc == 0)
		rc = in_contest(c, "SELECT id FROM teams WHERE id = ?1 AND contest_id = ?2", in->from_team_id,
				in->contest_id);
	if (rc == 0)
		rc = in_contest(c, "SELECT id FROM teams WHERE id = ?1 AND contest_id = ?2", in->to_team_id,
				in->contest_id);
	if (rc == 0)
		rc = in_contest(c, "SELECT problem_id FROM contest_problems WHERE problem_id = ?1 AND contest_id = ?2",
				in->problem_id, in->contest_id);
	if (rc == 0)
		rc = in_contest(c, "SELECT id FROM clarifications WHERE id = ?1 AND contest_id = ?2", in->reply_to,
				in->contest_id);
	return rc;
}

static void bind_id(sqlite3_stmt *st, int col, int64_t id)
{
	if (id)
		sqlite3_bind_int64(st, col, id);
}

static int log_clarification(struct db_conn *c, int64_t id, int64_t contest_id)
{
	return db_change(c, DB_KIND_CLARIFICATION, id, DB_KIND_CONTEST, contest_id) < 0 ? -EIO : 0;
}

int db_clarification_create(struct db *db, const struct db_clarification *in, int64_t *id)
{
	return db_clarification_create_as(db, in, 0, id);
}

int db_clarification_create_as(struct db *db, const struct db_clarification *in, int64_t want, int64_t *id)
{
	/* A team's request goes to the jury only. */
	if (in->from_team_id && (in->to_all || in->to_team_id))
		return -EINVAL;
	struct db_conn *c = db_write_begin(db);
	int rc = check_refs(c, in);
	int64_t new_id = 0;
	if (rc == 0) {
		/* Never the id of a deleted clarification (its tombstone in the log). */
		new_id = db_claim_row_id(c, "clarification_id",
					 db_query_int(c, "SELECT coalesce(max(id), 0) FROM clarifications"), want);
		rc = new_id < 0 ? -EIO : new_id == 0 ? DB_E_CONFLICT : 0;
	}
	if (rc == 0) {
		sqlite3_stmt *st = db_stmt(c, "INSERT INTO clarifications (id, contest_id, from_team_id, to_team_id,"
					      " to_all, reply_to, problem_id, text, time_ms, sender_user_id)"
					      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
		sqlite3_bind_int64(st, 1, new_id);
		sqlite3_bind_int64(st, 2, in->contest_id);
		bind_id(st, 3, in->from_team_id);
		bind_id(st, 4, in->to_team_id);
		sqlite3_bind_int(st, 5, in->to_all);
		bind_id(st, 6, in->reply_to);
		bind_id(st, 7, in->problem_id);
		sqlite3_bind_text(st, 8, in->text, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 9, in->time_ms);
		bind_id(st, 10, in->sender_user_id);
		int step = sqlite3_step(st);
		/* A sender that is no user is the only foreign key left unchecked. */
		rc = step == SQLITE_DONE ? 0 : step == SQLITE_CONSTRAINT_FOREIGNKEY ? DB_E_NOT_FOUND
										  : db_fail(c, "insert clarification");
		sqlite3_reset(st);
	}
	if (rc == 0)
		rc = log_clarification(c, new_id, in->contest_id);
	if (rc == 0 && in->reply_to)
		rc = log_clarification(c, in->reply_to, in->contest_id); /* it is answered now */
	rc = db_write_end(db, c, rc);
	if (rc == 0 && id)
		*id = new_id;
	return rc;
}

int db_clarification_get(struct db *db, int64_t id, struct db_clarification *out)
{
	struct db_conn *c = db_reader(db);
	sqlite3_stmt *st = db_stmt(c, "SELECT " CLAR_COLUMNS " FROM clarifications c" CLAR_JOINS
				      " LEFT JOIN changes ch ON ch.kind = 'clarification' AND ch.id = c.id"
				      " WHERE c.id = ?");
	sqlite3_bind_int64(st, 1, id);
	int rc = DB_E_NOT_FOUND;
	if (sqlite3_step(st) == SQLITE_ROW) {
		read_row(st, out);
		const char **const fields[] = {&out->problem_label, &out->text};
		out->mem = db_pack(fields, ARRAY_SIZE(fields), NULL, 0);
		rc = 0;
	}
	sqlite3_reset(st);
	return rc;
}

void db_clarification_release(struct db_clarification *c)
{
	if (!c)
		return;
	free(c->mem);
	memset(c, 0, sizeof *c);
}

/* Calls fn for each row of st; returns how many. Resets st. */
static int each_row(sqlite3_stmt *st, db_clarification_fn fn, void *ctx)
{
	int n = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct db_clarification row;
		read_row(st, &row);
		fn(ctx, &row);
		n++;
	}
	sqlite3_reset(st);
	return n;
}

void db_clarifications_list(struct db *db, int64_t contest_id, int64_t team_id, db_clarification_fn fn, void *ctx)
{
	struct db_conn *c = db_reader(db);
	sqlite3_stmt *st = db_stmt(c, "SELECT " CLAR_COLUMNS " FROM clarifications c" CLAR_JOINS
				      " LEFT JOIN changes ch ON ch.kind = 'clarification' AND ch.id = c.id"
				      " WHERE c.contest_id = ?1" CLAR_VISIBLE " ORDER BY c.id");
	sqlite3_bind_int64(st, 1, contest_id);
	sqlite3_bind_int64(st, 2, team_id);
	(void)each_row(st, fn, ctx);
}

int db_clarifications_changed(struct db *db, int64_t contest_id, int64_t team_id, int64_t seq, int limit,
			      db_clarification_fn fn, void *ctx)
{
	struct db_conn *c = db_reader(db);
	sqlite3_stmt *st = db_stmt(c, "SELECT " CLAR_COLUMNS " FROM changes ch"
				      " JOIN clarifications c ON c.id = ch.id" CLAR_JOINS
				      " WHERE ch.kind = 'clarification' AND ch.scope_kind = 'contest'"
				      " AND ch.scope_id = ?1 AND ch.seq > ?3" CLAR_VISIBLE " ORDER BY ch.seq LIMIT ?4");
	sqlite3_bind_int64(st, 1, contest_id);
	sqlite3_bind_int64(st, 2, team_id);
	sqlite3_bind_int64(st, 3, seq);
	sqlite3_bind_int(st, 4, limit);
	return each_row(st, fn, ctx);
}
