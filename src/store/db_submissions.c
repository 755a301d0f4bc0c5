/* Submissions, plain and in contests: creation, reading one, the list pages
 * and the changed ones (replay). A contest submission is logged in its
 * contest's scope, never its problem's. */
#include "db_int.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define NOW_RFC3339 "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"

/* Every query below selects these columns first, in this order; seq comes from the change log. */
#define SUBMISSION_COLUMNS                                                                          \
	"s.id, ch.seq, s.problem_id, s.user_id, u.username, s.language, s.status, s.verdict, s.score," \
	" s.time_ms, s.memory_kb, s.tests_passed, s.tests_total, s.created_at, s.judged_at,"           \
	" s.contest_id, s.team_id, s.submitted_ms, s.practice, cp.label, s.jury, s.entry_point"
/* The problem's label, for contest submissions only (a plain one's contest_id is NULL). */
#define SUBMISSION_LABEL                                   \
	" LEFT JOIN contest_problems cp ON cp.contest_id = s.contest_id AND cp.problem_id = s.problem_id"
#define SUBMISSION_FROM                                                  \
	" FROM submissions s JOIN users u ON u.id = s.user_id"                  \
	" JOIN changes ch ON ch.kind = 'submission' AND ch.id = s.id" SUBMISSION_LABEL
/* The same from the change log's side, for replays in seq order. */
#define CHANGED_FROM                                                                      \
	" FROM changes ch JOIN submissions s ON s.id = ch.id JOIN users u ON u.id = s.user_id" \
	SUBMISSION_LABEL

static const char *col_text(sqlite3_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st, col);
}

/* The row's columns, borrowed until the statement steps or resets. */
static void read_row(sqlite3_stmt *st, struct db_submission *s)
{
	memset(s, 0, sizeof *s);
	s->id = sqlite3_column_int64(st, 0);
	s->seq = sqlite3_column_int64(st, 1);
	s->problem_id = sqlite3_column_int64(st, 2);
	s->user_id = sqlite3_column_int64(st, 3);
	s->user = col_text(st, 4);
	s->language = col_text(st, 5);
	s->status = col_text(st, 6);
	s->verdict = col_text(st, 7);
	s->has_score = sqlite3_column_type(st, 8) != SQLITE_NULL;
	s->score = sqlite3_column_double(st, 8);
	s->has_time = sqlite3_column_type(st, 9) != SQLITE_NULL;
	s->time_ms = sqlite3_column_int64(st, 9);
	s->has_memory = sqlite3_column_type(st, 10) != SQLITE_NULL;
	s->memory_kb = sqlite3_column_int64(st, 10);
	s->tests_passed = sqlite3_column_int64(st, 11);
	s->tests_total = sqlite3_column_int64(st, 12);
	s->created_at = col_text(st, 13);
	s->judged_at = col_text(st, 14);
	s->contest_id = sqlite3_column_int64(st, 15);
	s->team_id = sqlite3_column_int64(st, 16);
	s->submitted_ms = sqlite3_column_int64(st, 17);
	s->practice = sqlite3_column_int(st, 18);
	s->problem_label = col_text(st, 19);
	s->jury = sqlite3_column_int(st, 20);
	s->entry_point = col_text(st, 21);
}

/* Makes the borrowed strings of s (and its tests) its own, in one block. */
static void own(struct db_submission *s, const struct db_test_result *tests, size_t test_count)
{
	const char **fields[] = {&s->user, &s->language, &s->status, &s->verdict, &s->created_at,
				 &s->judged_at, &s->problem_label, &s->compile_output, &s->files, &s->entry_point};
	size_t size = test_count * sizeof *tests + (s->source ? s->source_len + 1 : 0);
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++)
		size += db_str_size(*fields[i]);
	for (size_t i = 0; i < test_count; i++)
		size += db_str_size(tests[i].group) + db_str_size(tests[i].verdict);
	struct db_test_result *copy = xmalloc(size ? size : 1);
	char *p = (char *)(copy + test_count);
	for (size_t i = 0; i < test_count; i++) {
		copy[i] = tests[i];
		copy[i].group = db_str_copy(&p, tests[i].group);
		copy[i].verdict = db_str_copy(&p, tests[i].verdict);
	}
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++)
		*fields[i] = db_str_copy(&p, *fields[i]);
	if (s->source) { /* with its NULs */
		s->source = memcpy(p, s->source, s->source_len + 1);
		p += s->source_len + 1;
	}
	s->tests = copy;
	s->test_count = test_count;
	s->mem = copy;
}

void db_submission_release(struct db_submission *s)
{
	if (!s)
		return;
	free(s->mem);
	free(s->feedback_mem);
	memset(s, 0, sizeof *s);
}

/* Appends a blob column to b (NUL-terminated); its offset in b, or -1 for NULL. */
static ptrdiff_t add_column(sqlite3_stmt *st, int col, struct buf *b, size_t *len)
{
	*len = 0;
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return -1;
	ptrdiff_t at = (ptrdiff_t)b->len;
	*len = (size_t)sqlite3_column_bytes(st, col);
	buf_add(b, *len ? sqlite3_column_blob(st, col) : "", *len);
	buf_add(b, "", 1);
	return at;
}

/* The tests of submission id that left something for the team (its output on
   a sample, beside the sample's answer; a team message), in one block. */
static void read_feedback(struct db_conn *c, int64_t id, struct db_submission *out)
{
	sqlite3_stmt *st = db_stmt(c, "SELECT r.idx, r.output, CASE WHEN r.output IS NULL THEN NULL ELSE"
				      " substr(t.output, 1, ?2) END, r.team_message"
				      " FROM test_results r JOIN submissions s ON s.id = r.submission_id"
				      " LEFT JOIN tests t ON t.problem_id = s.problem_id AND t.idx = r.idx AND t.sample"
				      " WHERE r.submission_id = ?1 AND (r.output IS NOT NULL OR r.team_message IS NOT NULL)"
				      " ORDER BY r.idx");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, DB_FEEDBACK_OUTPUT_MAX);
	struct db_test_feedback *items = NULL;
	ptrdiff_t(*at)[3] = NULL; /* offsets in bytes of output, expected, team_message */
	struct buf bytes;
	buf_init(&bytes);
	size_t n = 0, cap = 0, message_len;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? 2 * cap : 8;
			items = xrealloc(items, cap * sizeof *items);
			at = xrealloc(at, cap * sizeof *at);
		}
		struct db_test_feedback *f = &items[n];
		*f = (struct db_test_feedback){.index = sqlite3_column_int(st, 0)};
		at[n][0] = add_column(st, 1, &bytes, &f->output_len);
		at[n][1] = add_column(st, 2, &bytes, &f->expected_len);
		at[n][2] = add_column(st, 3, &bytes, &message_len);
		n++;
	}
	sqlite3_reset(st);
	struct db_test_feedback *block = xmalloc(n * sizeof *items + bytes.len + 1);
	char *base = (char *)(block + n);
	if (bytes.len)
		memcpy(base, bytes.data, bytes.len);
	for (size_t i = 0; i < n; i++) {
		block[i] = items[i];
		block[i].output = at[i][0] < 0 ? NULL : base + at[i][0];
		block[i].expected = at[i][1] < 0 ? NULL : base + at[i][1];
		block[i].team_message = at[i][2] < 0 ? NULL : base + at[i][2];
	}
	buf_release(&bytes);
	free(items);
	free(at);
	out->feedback = block;
	out->feedback_count = n;
	out->feedback_mem = block;
}

/* Reads submission id through c into *out (owned); DB_E_NOT_FOUND if none. */
static int read_one(struct db_conn *c, int64_t id, unsigned parts, struct db_submission *out)
{
	sqlite3_stmt *st = db_stmt(c, "SELECT " SUBMISSION_COLUMNS ", s.compile_output, s.source, s.files"
				      SUBMISSION_FROM " WHERE s.id = ?");
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return DB_E_NOT_FOUND;
	}
	read_row(st, out);
	if (parts & DB_SUBMISSION_DETAILS)
		out->compile_output = col_text(st, 22);
	if (parts & DB_SUBMISSION_SOURCE) {
		out->source = col_text(st, 23);
		out->source_len = out->source ? (size_t)sqlite3_column_bytes(st, 23) : 0;
		out->files = col_text(st, 24);
	}
	struct db_test_result *tests = NULL;
	size_t n = 0, cap = 0;
	sqlite3_stmt *tt = NULL;
	if (parts & DB_SUBMISSION_DETAILS) {
		/* Another statement: the first one's strings stay valid meanwhile. */
		tt = db_stmt(c, "SELECT idx, grp, verdict, time_ms, memory_kb FROM test_results"
				" WHERE submission_id = ? ORDER BY idx");
		sqlite3_bind_int64(tt, 1, id);
		while (sqlite3_step(tt) == SQLITE_ROW) {
			if (n == cap) {
				cap = cap ? 2 * cap : 16;
				tests = xrealloc(tests, cap * sizeof *tests);
			}
			/* Strings of earlier rows die as the statement steps: keep copies until own(). */
			tests[n++] = (struct db_test_result){sqlite3_column_int(tt, 0), xstrdup(col_text(tt, 1)),
							     xstrdup(col_text(tt, 2)), sqlite3_column_int64(tt, 3),
							     sqlite3_column_int64(tt, 4)};
		}
	}
	own(out, tests, n);
	for (size_t i = 0; i < n; i++) {
		free((char *)tests[i].group);
		free((char *)tests[i].verdict);
	}
	free(tests);
	if (tt)
		sqlite3_reset(tt);
	if (parts & DB_SUBMISSION_DETAILS)
		read_feedback(c, id, out);
	sqlite3_reset(st);
	return 0;
}

int db_submission_get(struct db *db, int64_t id, unsigned parts, struct db_submission *out)
{
	struct db_conn *c = db_reader(db);
	if (parts & DB_SUBMISSION_DETAILS)
		db_read_begin(c);
	int rc = read_one(c, id, parts, out);
	if (parts & DB_SUBMISSION_DETAILS)
		db_read_end(c);
	return rc;
}

/* Whether the user has room for one more submission under lim; the
   counts read indexes (submissions_user, submissions_active) a limit's worth deep. */
static bool within_limits(struct db_conn *c, int64_t user_id, struct db_submit_limits *lim)
{
	if (lim->per_minute > 0) {
		/* The limit-th newest submission: one more fits once it is a minute old. */
		sqlite3_stmt *st = db_stmt(c, "SELECT 60 - (strftime('%s', 'now') - strftime('%s', created_at))"
					      " FROM submissions WHERE user_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?");
		sqlite3_bind_int64(st, 1, user_id);
		sqlite3_bind_int(st, 2, lim->per_minute - 1);
		int wait = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
		sqlite3_reset(st);
		if (wait > 0) {
			lim->refused = "per_minute";
			lim->retry_after = wait;
			return false;
		}
	}
	if (lim->queued > 0) {
		sqlite3_stmt *st = db_stmt(c, "SELECT count(*) FROM submissions WHERE user_id = ? AND queue_priority = 0"
					      " AND status <> 'done'");
		sqlite3_bind_int64(st, 1, user_id);
		int pending = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
		sqlite3_reset(st);
		if (pending >= lim->queued) {
			lim->refused = "queued";
			lim->retry_after = 10; /* about a judging or two */
			return false;
		}
	}
	return true;
}

/* Whose turns a submission takes in the queue (its queue key): a contest
   submission's team's, else its user's (a user's plain submissions and the
   team's contest submissions take turns apart). One statement per key, so
   that each reads its index (submissions_team, submissions_active). */
#define QUEUE_TEAM_KEY "team_id = ?1"
#define QUEUE_USER_KEY "user_id = ?1 AND team_id IS NULL"

/* The queue round of a new fresh submission of the key's: one after the
   key's latest not yet judged, and no earlier than the earliest round being
   judged or waiting. Taken in round order, the queue serves keys in turns, and
   a key with a backlog delays another's new submission by at most one job per
   worker. Reads the partial indexes submissions_queue and the key's. */
#define NEXT_ROUND(key)                                                                        \
	"SELECT max(coalesce((SELECT max(queue_round) + 1 FROM submissions"                        \
	" WHERE " key " AND queue_priority = 0 AND status <> 'done'), 0),"                         \
	" coalesce((SELECT min(queue_round) FROM submissions"                                      \
	" WHERE queue_priority = 0 AND status <> 'done'), 0))"
static int64_t next_round(struct db_conn *c, int64_t user_id, int64_t team_id)
{
	sqlite3_stmt *st = team_id ? db_stmt(c, NEXT_ROUND(QUEUE_TEAM_KEY)) : db_stmt(c, NEXT_ROUND(QUEUE_USER_KEY));
	sqlite3_bind_int64(st, 1, team_id ? team_id : user_id);
	int64_t round = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return round;
}

/* Binds an optional id: 0 is NULL. */
static void bind_ref(sqlite3_stmt *st, int col, int64_t id)
{
	if (id)
		sqlite3_bind_int64(st, col, id);
	else
		sqlite3_bind_null(st, col);
}

int db_submission_create_in(struct db *db, int64_t problem_id, int64_t user_id, const char *language,
			    const char *source, const struct db_submit_context *ctx, struct db_submit_limits *lim,
			    int64_t *id, struct db_submission *created)
{
	return db_submission_create_as(db, problem_id, user_id, language, source, strlen(source), ctx, 0, lim, id,
				       created);
}

int db_submission_insert(struct db_conn *c, int64_t problem_id, int64_t user_id, const char *language,
			 const char *source, size_t source_len, const struct db_submit_files *files,
			 const struct db_submit_context *ctx, bool jury, int64_t want, int64_t *id)
{
	/* The new row's id is known before the insert (the change needs it), and
	   is never one a deleted submission had. */
	sqlite3_stmt *st = db_stmt(c, "SELECT coalesce(max(id), 0) FROM submissions");
	int64_t largest = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	int64_t new_id = db_claim_row_id(c, "submission_id", largest, want);
	if (new_id == 0)
		return DB_E_CONFLICT;
	int64_t seq = new_id < 0 ? -1
		      : ctx->contest_id ? db_change(c, DB_KIND_SUBMISSION, new_id, DB_KIND_CONTEST, ctx->contest_id)
		      : jury		  ? db_change(c, DB_KIND_SUBMISSION, new_id, DB_KIND_JURY, problem_id)
					  : db_change(c, DB_KIND_SUBMISSION, new_id, DB_KIND_PROBLEM, problem_id);
	int64_t round = next_round(c, user_id, ctx->contest_id ? ctx->team_id : 0);
	st = db_stmt(c, "INSERT INTO submissions (id, problem_id, user_id, language, source,"
			" status, tests_total, created_at, queue_round, contest_id, team_id, submitted_ms, practice, jury,"
			" files, entry_point) VALUES (?1, ?2, ?3, ?4, ?5, 'queued',"
			" (SELECT count(*) FROM tests WHERE problem_id = ?2), " NOW_RFC3339 ", ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
			" ?13)");
	sqlite3_bind_int64(st, 1, new_id);
	sqlite3_bind_int64(st, 2, problem_id);
	sqlite3_bind_int64(st, 3, user_id);
	sqlite3_bind_text(st, 4, language, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, source, (int)source_len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, round);
	bind_ref(st, 7, ctx->contest_id);
	bind_ref(st, 8, ctx->contest_id ? ctx->team_id : 0);
	if (ctx->contest_id)
		sqlite3_bind_int64(st, 9, ctx->submitted_ms);
	sqlite3_bind_int(st, 10, ctx->contest_id && ctx->practice);
	sqlite3_bind_int(st, 11, !ctx->contest_id && jury);
	if (files && files->json)
		sqlite3_bind_text(st, 12, files->json, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 12);
	if (files && files->entry_point)
		sqlite3_bind_text(st, 13, files->entry_point, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 13);
	int step = seq < 0 ? SQLITE_ERROR : sqlite3_step(st);
	int rc = seq < 0 ? -EIO
		 : step == SQLITE_DONE ? 0
		 : step == SQLITE_CONSTRAINT_FOREIGNKEY ? DB_E_NOT_FOUND
							: db_fail(c, "insert submission");
	sqlite3_reset(st);
	*id = new_id;
	return rc;
}

int db_submission_create_as(struct db *db, int64_t problem_id, int64_t user_id, const char *language,
			    const char *source, size_t source_len, const struct db_submit_context *ctx, int64_t want,
			    struct db_submit_limits *lim, int64_t *id, struct db_submission *created)
{
	return db_submission_create_files(db, problem_id, user_id, language, source, source_len, NULL, ctx, want, lim,
					  id, created);
}

int db_submission_create_files(struct db *db, int64_t problem_id, int64_t user_id, const char *language,
			       const char *source, size_t source_len, const struct db_submit_files *files,
			       const struct db_submit_context *ctx, int64_t want, struct db_submit_limits *lim,
			       int64_t *id, struct db_submission *created)
{
	static const struct db_submit_context plain = {0};
	if (!ctx)
		ctx = &plain;
	struct db_conn *c = db_write_begin(db);
	if (lim && !within_limits(c, user_id, lim)) {
		if (created)
			memset(created, 0, sizeof *created);
		return db_write_end(db, c, DB_E_LIMITED);
	}
	int64_t new_id = 0;
	int rc = db_submission_insert(c, problem_id, user_id, language, source, source_len, files, ctx, false, want,
				      &new_id);
	struct db_submission row = {0};
	if (rc == 0 && created)
		rc = read_one(c, new_id, 0, &row) == 0 ? 0 : db_fail(c, "read the new submission");
	rc = db_write_end(db, c, rc);
	if (rc != 0)
		db_submission_release(&row);
	if (created)
		*created = row;
	if (rc == 0 && id)
		*id = new_id;
	return rc;
}

int db_submission_create(struct db *db, int64_t problem_id, int64_t user_id, const char *language,
			 const char *source, struct db_submit_limits *lim, int64_t *id, struct db_submission *created)
{
	return db_submission_create_in(db, problem_id, user_id, language, source, NULL, lim, id, created);
}

int64_t db_submission_change(struct db_conn *c, int64_t id)
{
	sqlite3_stmt *st = db_stmt(c, "SELECT problem_id, contest_id, jury FROM submissions WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	int step = sqlite3_step(st);
	int64_t problem_id = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	int64_t contest_id = step == SQLITE_ROW ? sqlite3_column_int64(st, 1) : 0;
	bool jury = step == SQLITE_ROW && sqlite3_column_int(st, 2);
	sqlite3_reset(st);
	if (step == SQLITE_DONE)
		return 0;
	if (step != SQLITE_ROW) {
		db_fail(c, "find a submission's problem");
		return -1;
	}
	/* A contest submission stays in its contest's scope through judging and rejudging. */
	if (jury) /* and a jury submission in its problem's jury scope */
		return db_change(c, DB_KIND_SUBMISSION, id, DB_KIND_JURY, problem_id);
	return contest_id ? db_change(c, DB_KIND_SUBMISSION, id, DB_KIND_CONTEST, contest_id)
			  : db_change(c, DB_KIND_SUBMISSION, id, DB_KIND_PROBLEM, problem_id);
}

/* Steps st through its rows into fn. Returns how many. */
static int each_row(sqlite3_stmt *st, db_submission_fn fn, void *ctx)
{
	int n = 0;
	struct db_submission s;
	for (; sqlite3_step(st) == SQLITE_ROW; n++) {
		read_row(st, &s);
		fn(ctx, &s);
	}
	sqlite3_reset(st);
	return n;
}

int db_problem_submissions(struct db *db, int64_t problem_id, int page, int per_page, db_submission_fn fn,
			   void *ctx, int64_t *total)
{
	struct db_conn *c = db_reader(db);
	db_read_begin(c);
	/* The total first: it also tells whether the problem exists. Contest
	   submissions are not the problem's: the count leaves them out (read
	   through the partial index submissions_contest_problem). */
	sqlite3_stmt *st = db_stmt(c, "SELECT submission_count - (SELECT count(*) FROM submissions"
				      " WHERE problem_id = ?1 AND contest_id IS NOT NULL) FROM problems WHERE id = ?1");
	sqlite3_bind_int64(st, 1, problem_id);
	bool found = sqlite3_step(st) == SQLITE_ROW;
	*total = found ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (found) {
		st = db_stmt(c, "SELECT " SUBMISSION_COLUMNS SUBMISSION_FROM
				" WHERE s.problem_id = ? AND s.contest_id IS NULL AND s.jury = 0 ORDER BY s.id DESC LIMIT ? OFFSET ?");
		sqlite3_bind_int64(st, 1, problem_id);
		sqlite3_bind_int(st, 2, per_page);
		sqlite3_bind_int64(st, 3, (int64_t)(page - 1) * per_page);
		each_row(st, fn, ctx);
	}
	db_read_end(c);
	return found ? 0 : DB_E_NOT_FOUND;
}

/* The list's filters are ?1 (problem), ?2 (user) and ?3 (verdict) of both its statements. */
static void bind_filters(sqlite3_stmt *st, int64_t problem_id, int64_t user_id, const char *verdict)
{
	sqlite3_bind_int64(st, 1, problem_id);
	sqlite3_bind_int64(st, 2, user_id);
	if (verdict)
		sqlite3_bind_text(st, 3, verdict, -1, SQLITE_STATIC);
}

int db_submissions_list(struct db *db, int64_t problem_id, int64_t user_id, const char *verdict, int page,
			int per_page, db_submission_fn fn, void *ctx, int64_t *total)
{
	struct db_conn *c = db_reader(db);
	db_read_begin(c);
	sqlite3_stmt *st = db_stmt(c, "SELECT count(*) FROM submissions s"
				      " WHERE (?1 = 0 OR s.problem_id = ?1) AND (?2 = 0 OR s.user_id = ?2)"
				      " AND (?3 IS NULL OR s.verdict = ?3) AND s.jury = 0");
	bind_filters(st, problem_id, user_id, verdict);
	*total = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	st = db_stmt(c, "SELECT " SUBMISSION_COLUMNS SUBMISSION_FROM
			" WHERE (?1 = 0 OR s.problem_id = ?1) AND (?2 = 0 OR s.user_id = ?2)"
			" AND (?3 IS NULL OR s.verdict = ?3) AND s.jury = 0"
			" ORDER BY s.id DESC LIMIT ?4 OFFSET ?5");
	bind_filters(st, problem_id, user_id, verdict);
	sqlite3_bind_int(st, 4, per_page);
	sqlite3_bind_int64(st, 5, (int64_t)(page - 1) * per_page);
	each_row(st, fn, ctx);
	db_read_end(c);
	return 0;
}

int db_submissions_changed(struct db *db, int64_t problem_id, int64_t submission_id, int64_t seq, int limit,
			   db_submission_fn fn, void *ctx)
{
	struct db_conn *c = db_reader(db);
	/* One shape per scope, so that each uses its index. */
	sqlite3_stmt *st;
	if (submission_id) {
		st = db_stmt(c, "SELECT " SUBMISSION_COLUMNS SUBMISSION_FROM
				" WHERE s.id = ?1 AND ch.seq > ?2 AND (?3 = 0 OR s.problem_id = ?3) LIMIT ?4");
		sqlite3_bind_int64(st, 1, submission_id);
	} else if (problem_id) {
		st = db_stmt(c, "SELECT " SUBMISSION_COLUMNS CHANGED_FROM
				" WHERE ch.scope_kind = 'problem' AND ch.scope_id = ?3 AND ch.kind = 'submission'"
				" AND ch.seq > ?2 AND s.contest_id IS NULL ORDER BY ch.seq LIMIT ?4");
	} else {
		st = db_stmt(c, "SELECT " SUBMISSION_COLUMNS CHANGED_FROM
				" WHERE ch.kind = 'submission' AND ch.seq > ?2 AND ?3 = 0 AND s.jury = 0 ORDER BY ch.seq LIMIT ?4");
	}
	sqlite3_bind_int64(st, 2, seq);
	sqlite3_bind_int64(st, 3, problem_id);
	sqlite3_bind_int(st, 4, limit);
	return each_row(st, fn, ctx);
}

/* The contest list's filters are ?1 (contest), ?2 (team) and ?3 (problem) of both its statements. */
#define CONTEST_FILTER                                                                                      \
	" WHERE s.contest_id = ?1 AND (?2 = 0 OR s.team_id = ?2 OR (?2 = -1 AND s.team_id > 0))"             \
	" AND (?3 = 0 OR s.problem_id = ?3)"
static void bind_contest_filter(sqlite3_stmt *st, int64_t contest_id, int64_t team_id, int64_t problem_id)
{
	sqlite3_bind_int64(st, 1, contest_id);
	sqlite3_bind_int64(st, 2, team_id);
	sqlite3_bind_int64(st, 3, problem_id);
}

int db_contest_submissions(struct db *db, int64_t contest_id, int64_t team_id, int64_t problem_id, int page,
			   int per_page, db_submission_fn fn, void *ctx, int64_t *total)
{
	struct db_conn *c = db_reader(db);
	db_read_begin(c);
	sqlite3_stmt *st = db_stmt(c, "SELECT (SELECT count(*) FROM submissions s" CONTEST_FILTER ")"
				      " FROM contests WHERE id = ?1");
	bind_contest_filter(st, contest_id, team_id, problem_id);
	bool found = sqlite3_step(st) == SQLITE_ROW;
	*total = found ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (found) {
		st = db_stmt(c, "SELECT " SUBMISSION_COLUMNS SUBMISSION_FROM CONTEST_FILTER
				" ORDER BY s.id DESC LIMIT ?4 OFFSET ?5");
		bind_contest_filter(st, contest_id, team_id, problem_id);
		sqlite3_bind_int(st, 4, per_page);
		sqlite3_bind_int64(st, 5, (int64_t)(page - 1) * per_page);
		each_row(st, fn, ctx);
	}
	db_read_end(c);
	return found ? 0 : DB_E_NOT_FOUND;
}

int db_contest_submissions_changed(struct db *db, int64_t contest_id, int64_t team_id, int64_t seq, int limit,
				   db_submission_fn fn, void *ctx)
{
	struct db_conn *c = db_reader(db);
	sqlite3_stmt *st = db_stmt(c, "SELECT " SUBMISSION_COLUMNS CHANGED_FROM
				      " WHERE ch.scope_kind = 'contest' AND ch.scope_id = ?1 AND ch.kind = 'submission'"
				      " AND ch.seq > ?2 AND (?3 = 0 OR s.team_id = ?3) ORDER BY ch.seq LIMIT ?4");
	sqlite3_bind_int64(st, 1, contest_id);
	sqlite3_bind_int64(st, 2, seq);
	sqlite3_bind_int64(st, 3, team_id);
	sqlite3_bind_int(st, 4, limit);
	return each_row(st, fn, ctx);
}

int db_submission_status_counts(struct db *db, int64_t counts[4])
{
	static const char *const names[] = {"queued", "compiling", "running"};
	struct db_conn *c = db_reader(db);
	memset(counts, 0, 4 * sizeof counts[0]);
	sqlite3_stmt *st = db_stmt(c, "SELECT status, count(*) FROM submissions WHERE status <> 'done' GROUP BY status");
	int64_t pending = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *status = (const char *)sqlite3_column_text(st, 0);
		for (int i = 0; i < 3; i++)
			if (strcmp(status, names[i]) == 0)
				counts[i] = sqlite3_column_int64(st, 1);
		pending += sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	st = db_stmt(c, "SELECT coalesce(sum(submission_count), 0) FROM problems");
	int64_t total = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	counts[3] = total - pending;
	return 0;
}
