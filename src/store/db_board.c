/* Scoreboard input: a contest's counted submissions and their test groups,
 * read in one pass each when a board is built and one row at a time when a
 * change lands. The contest part's boards (contest/boards.c) score them. */
#include "db_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define BOARD_COLUMNS                                                                                   \
	"s.id, coalesce(ch.seq, 0), coalesce(s.contest_id, 0), coalesce(s.team_id, 0), s.problem_id,"  \
	" coalesce(s.submitted_ms, 0), s.practice, s.status, s.verdict, s.score"
#define BOARD_FROM " FROM submissions s LEFT JOIN changes ch ON ch.kind = 'submission' AND ch.id = s.id"

static void read_row(sqlite3_stmt *st, struct db_board_submission *s)
{
	memset(s, 0, sizeof *s);
	s->id = sqlite3_column_int64(st, 0);
	s->seq = sqlite3_column_int64(st, 1);
	s->contest_id = sqlite3_column_int64(st, 2);
	s->team_id = sqlite3_column_int64(st, 3);
	s->problem_id = sqlite3_column_int64(st, 4);
	s->submitted_ms = sqlite3_column_int64(st, 5);
	s->practice = sqlite3_column_int(st, 6) != 0;
	const char *status = (const char *)sqlite3_column_text(st, 7);
	const char *verdict = (const char *)sqlite3_column_text(st, 8);
	snprintf(s->status, sizeof s->status, "%s", status ? status : "");
	snprintf(s->verdict, sizeof s->verdict, "%s", verdict ? verdict : "");
	s->has_score = sqlite3_column_type(st, 9) != SQLITE_NULL;
	s->score = sqlite3_column_double(st, 9);
}

int db_board_submissions(struct db *db, int64_t contest_id, db_board_submission_fn fn, void *ctx)
{
	struct db_conn *c = db_reader(db);
	sqlite3_stmt *st = db_stmt(c, "SELECT " BOARD_COLUMNS BOARD_FROM
				      " WHERE s.contest_id = ?1 AND s.practice = 0 AND s.team_id IS NOT NULL"
				      " ORDER BY s.submitted_ms, s.id");
	sqlite3_bind_int64(st, 1, contest_id);
	int n = 0, rc;
	struct db_board_submission s;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_row(st, &s);
		fn(ctx, &s);
		n++;
	}
	if (rc != SQLITE_DONE)
		n = db_fail(c, "read a contest's submissions for its scoreboard");
	sqlite3_reset(st);
	return n;
}

int db_board_submission(struct db *db, int64_t id, struct db_board_submission *out)
{
	struct db_conn *c = db_reader(db);
	sqlite3_stmt *st = db_stmt(c, "SELECT " BOARD_COLUMNS BOARD_FROM " WHERE s.id = ?1");
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		read_row(st, out);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = DB_E_NOT_FOUND;
	} else {
		rc = db_fail(c, "read a submission for a scoreboard");
	}
	sqlite3_reset(st);
	return rc;
}

/* A group scores its points when each of its tests has a passing result
   (a test without a result did not pass). */
#define GROUP_SELECT                                                                            \
	"SELECT s.id, t.grp, sum(t.points), sum(coalesce(r.verdict = 'AC', 0)) = count(*)"       \
	" FROM submissions s JOIN tests t ON t.problem_id = s.problem_id"                       \
	" LEFT JOIN test_results r ON r.submission_id = s.id AND r.idx = t.idx"
#define GROUP_ORDER " GROUP BY s.id, t.grp ORDER BY s.id, min(t.idx)"

static int each_group(struct db_conn *c, sqlite3_stmt *st, db_board_group_fn fn, void *ctx)
{
	int n = 0, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_board_group g = {
			.submission_id = sqlite3_column_int64(st, 0),
			.group = (const char *)sqlite3_column_text(st, 1),
			.points = sqlite3_column_double(st, 2),
		};
		g.score = sqlite3_column_int(st, 3) ? g.points : 0;
		fn(ctx, &g);
		n++;
	}
	if (rc != SQLITE_DONE)
		n = db_fail(c, "read the test groups of submissions for a scoreboard");
	sqlite3_reset(st);
	return n;
}

int db_board_groups(struct db *db, int64_t contest_id, db_board_group_fn fn, void *ctx)
{
	struct db_conn *c = db_reader(db);
	sqlite3_stmt *st = db_stmt(c, GROUP_SELECT " WHERE s.contest_id = ?1 AND s.practice = 0"
					      " AND s.team_id IS NOT NULL AND s.status = 'done'" GROUP_ORDER);
	sqlite3_bind_int64(st, 1, contest_id);
	return each_group(c, st, fn, ctx);
}

int db_board_submission_groups(struct db *db, int64_t submission_id, db_board_group_fn fn, void *ctx)
{
	struct db_conn *c = db_reader(db);
	sqlite3_stmt *st = db_stmt(c, GROUP_SELECT " WHERE s.id = ?1 AND s.status = 'done'" GROUP_ORDER);
	sqlite3_bind_int64(st, 1, submission_id);
	return each_group(c, st, fn, ctx);
}

int64_t db_board_seq(struct db *db, int64_t contest_id)
{
	struct db_conn *c = db_reader(db);
	sqlite3_stmt *st = db_stmt(c, "SELECT max(coalesce((SELECT max(seq) FROM changes"
				      " WHERE scope_kind = 'contest' AND scope_id = ?1), 0),"
				      " coalesce((SELECT seq FROM changes WHERE kind = 'contest' AND id = ?1), 0))");
	sqlite3_bind_int64(st, 1, contest_id);
	int64_t seq = 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		seq = sqlite3_column_int64(st, 0);
	else
		(void)db_fail(c, "read a contest's newest change");
	sqlite3_reset(st);
	return seq;
}

int db_board_teams(struct db *db, int64_t contest_id, db_board_team_fn fn, void *ctx)
{
	struct db_conn *c = db_reader(db);
	/* One row per (team, group), teams by id; a team without groups has one row with a NULL group. */
	sqlite3_stmt *st = db_stmt(c, "SELECT t.id, t.key, t.label, t.name, t.display_name, t.icpc_id, t.hidden,"
				      " g.id, coalesce(g.hidden, 0)"
				      " FROM teams t LEFT JOIN team_groups tg ON tg.team_id = t.id"
				      " LEFT JOIN groups g ON g.id = tg.group_id"
				      " WHERE t.contest_id = ?1 ORDER BY t.id, g.id");
	sqlite3_bind_int64(st, 1, contest_id);
	int n = 0, rc;
	struct db_board_team t;
	bool open = false;
	char *strings[5] = {0};
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		if (open && id != t.id) {
			fn(ctx, &t);
			n++;
			open = false;
		}
		if (!open) {
			memset(&t, 0, sizeof t);
			t.id = id;
			for (int i = 0; i < 5; i++) {
				free(strings[i]);
				const char *v = (const char *)sqlite3_column_text(st, 1 + i);
				strings[i] = v ? xstrdup(v) : NULL;
			}
			t.key = strings[0];
			t.label = strings[1];
			t.name = strings[2];
			t.display_name = strings[3];
			t.icpc_id = strings[4];
			t.hidden = sqlite3_column_int(st, 6) != 0;
			open = true;
		}
		if (sqlite3_column_type(st, 7) != SQLITE_NULL) {
			if (t.group_count < DB_BOARD_TEAM_GROUPS)
				t.groups[t.group_count++] = sqlite3_column_int64(st, 7);
			t.hidden |= sqlite3_column_int(st, 8) != 0;
		}
	}
	if (open) {
		fn(ctx, &t);
		n++;
	}
	for (int i = 0; i < 5; i++)
		free(strings[i]);
	if (rc != SQLITE_DONE)
		n = db_fail(c, "read a contest's teams for its scoreboard");
	sqlite3_reset(st);
	return n;
}

int64_t db_board_team_contest(struct db *db, int64_t team_id)
{
	struct db_conn *c = db_reader(db);
	sqlite3_stmt *st = db_stmt(c, "SELECT contest_id FROM teams WHERE id = ?1");
	sqlite3_bind_int64(st, 1, team_id);
	int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return id;
}
