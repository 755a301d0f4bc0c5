/* The wire format: every object the API sends, written once here and used by
 * REST, WebSocket and (later) CLICS alike. Views read what storage returns and
 * decide nothing; one file per kind of object (page.c, submission.c, ...).
 * Objects are written as JSON text (compact, fields in a fixed order, the
 * bytes jansson's JSON_COMPACT would give) into a struct buf. */
#pragma once
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "awards.h"
#include "board.h"
#include "db.h"
#include "judge_report.h"
#include "util.h"

struct award;

/* ---- page.c ---- */

/* The paging envelope {"items", "page", "per_page", "total"}; steals items. */
json_t *view_page(json_t *items, int page, int per_page, int64_t total);

/* problem.c: a problem's summary {"id", "slug", "title", "time_limit_ms",
   "memory_limit_kb"}, and with `full` what users may see of it (statement,
   limits, checker, samples, scoring, groups, test_count). New reference. */
json_t *view_problem(const struct db_problem_row *row, bool full);
/* A page of problem summaries in the paging envelope. */
json_t *view_problems_page(const struct db_problem_list *list, int page, int per_page);

/* user.c: {"id", "username", "role"}. New reference. */
json_t *view_user(const struct db_user *user);
/* A page of users, each with its "created_at", in the paging envelope. */
json_t *view_users_page(const struct db_user_list *list, int page, int per_page);
/* The same envelope as text, items appended one by one between begin and end. */
struct view_list {
	struct buf buf;
	size_t count;
};
void view_list_begin(struct view_list *l);
/* Before each item: a comma after the first. */
void view_list_item(struct view_list *l);
/* Closes the envelope and hands its text over (free() it); *len gets its length. */
char *view_list_end(struct view_list *l, int page, int per_page, int64_t total, size_t *len);

/* ---- contest.c ---- */

/* A time (ms since the epoch) as RFC 3339 UTC, "2026-11-26T04:00:00Z". */
void view_time_ms(char out[32], int64_t ms);
/* The contest object: its fields, "state" and "times" at now_ms,
   "server_time", and its problems unless with_problems is false (then []:
   who may see them before the start is the caller's call). New reference. */
json_t *view_contest(const struct db_contest *c, int64_t now_ms, bool with_problems);
/* ---- team.c ---- */

/* {"id", "key", "name", "display_name", "label", "organization" (its key or
   null), "groups" (keys), "hidden", "members" (usernames; only with members:
   for the jury and the team itself), "seq"}. New reference. */
json_t *view_team(const struct db_team *t, bool members);
/* {"id", "key", "name", "formal_name", "country", "icpc_id", "seq"}. */
json_t *view_organization(const struct db_organization *o);
/* {"id", "key", "name", "type", "hidden", "icpc_id", "seq"}. */
json_t *view_team_group(const struct db_team_group *g);

/* ---- submission.c ---- */

/* What of a submission's details the REST object shows (who may see what is
   the caller's call). VIEW_RESULT_HIDDEN: the result is hidden from this
   viewer (a contest's freeze): status "pending", and verdict, score, every
   metric, judged_at and the tests null (compile_output and source are then
   never written). */
/* VIEW_FEEDBACK: with VIEW_TESTS, what a failed test left for the team (its
   output on a sample beside the expected one, the validator's team message). */
enum { VIEW_COMPILE_OUTPUT = 1, VIEW_SOURCE = 2, VIEW_TESTS = 4, VIEW_RESULT_HIDDEN = 8, VIEW_FEEDBACK = 16 };

/* The REST submission object; the parts asked for are read from s (read with DB_SUBMISSION_DETAILS
   or DB_SUBMISSION_SOURCE as needed). */
void view_submission(struct buf *b, const struct db_submission *s, unsigned parts);
/* A db_submission_fn: appends s's REST object to a view_list (ctx). */
void view_list_submission(void *list, const struct db_submission *s);
/* The same with parts (VIEW_RESULT_HIDDEN, say). */
void view_list_submission_parts(struct view_list *l, const struct db_submission *s, unsigned parts);
/* The WebSocket "submission_update" message of s's state. */
void view_submission_update(struct buf *b, const struct db_submission *s);
/* The same with the result hidden (VIEW_RESULT_HIDDEN; other parts are ignored). */
void view_submission_update_parts(struct buf *b, const struct db_submission *s, unsigned parts);
/* The WebSocket "test_result" message of a finished test. */
void view_test_result(struct buf *b, int64_t submission_id, const struct db_test_result *t);

/* ---- scoreboard.c ---- */

/* What a whole board says of itself besides its rows. */
struct view_board_head {
	int64_t contest_id;
	const char *state;          /* contest_state_name() */
	bool frozen, final;
	int64_t seq;                /* the highest row seq (board_rows) */
	const char *banner;         /* while frozen, the freeze banner (view_board_banner); NULL: none */
	const char *view;           /* "public", "team" or "jury": which view this is; NULL: not said */
	int64_t team_id;            /* the team view's team, else 0 */
};

/* One row {"rank", "team": {"id", "name", "label"}, "solved", "time", "score",
   "problems": [{"label", "solved", "first", "attempts", "pending", "time",
   "score"}]}: ICPC times (a problem's only when solved) and null scores, IOI
   scores and null times. The team's name is its display name if it has one. */
void view_scoreboard_row(struct buf *b, const struct board *board, const struct board_row *r);
/* The REST board {"contest_id", "state", "frozen", "final", "seq", "rows"}. */
void view_scoreboard(struct buf *b, const struct view_board_head *h, const struct board *board,
		     const struct board_row *const *rows, size_t n);
/* The WebSocket {"type": "scoreboard_rows", "seq", "view", "frozen", "rows"}
   (view: "public", "team" or "jury"). */
void view_scoreboard_rows(struct buf *b, int64_t seq, enum contest_view view, bool frozen,
			  const struct board *board, const struct board_row *const *rows, size_t n);

/* ---- clics.c: the CLICS Contest API 2023-06 objects ----
   New references; each writes exactly the 2023-06 schema's properties (a
   property with no value is left out, never an extension added). Ids: a
   contest's shortname, a problem's slug, team, group and organization keys,
   a submission's (and its judgement's) id as a string, a run's
   "<judgement>.<ordinal>". Who may see what is the caller's call. */

/* TIME: RFC 3339 UTC with exactly three digits of milliseconds,
   "2026-11-26T04:00:00.000Z". */
void view_clics_time(char out[32], int64_t ms);
/* RELTIME: "-?h:mm:ss.mmm" (hours unbounded). */
void view_clics_reltime(char out[32], int64_t ms);
/* A CLICS ID: 1 to 36 of [A-Za-z0-9_.-], not starting with '-' or '.', not ending with '.'. */
bool view_clics_id_valid(const char *id);
/* The API information object {"version": "2023-06", "version_url", "provider"}. */
json_t *view_clics_api_info(const char *provider_version);
json_t *view_clics_contest(const struct db_contest *c);
/* The contest state at now_ms: all six keys, each a TIME or null. */
json_t *view_clics_state(const struct db_contest *c, int64_t now_ms);
/* Every judgement type verdict gives (AC WA TLE MLE RTE OLE CE JE). */
json_t *view_clics_judgement_types(const struct db_contest *c);
/* extensions: borrowed (a reference is taken). */
json_t *view_clics_language(const char *id, const char *name, json_t *extensions);
/* test_count counts every test, samples too; total_points is the max_score
   of a score contest's problem without one of its own. */
json_t *view_clics_problem(const struct db_contest *c, const struct db_contest_problem *p, int64_t time_limit_ms,
			   size_t test_count, double total_points);
json_t *view_clics_group(const struct db_team_group *g);
json_t *view_clics_organization(const struct db_organization *o);
json_t *view_clics_team(const struct db_team *t);
/* team_key: the user's team in the contest, or NULL. */
json_t *view_clics_account(const struct db_user *u, const char *team_key);
/* problem_id, team_id: the CLICS ids of its problem and team. */
json_t *view_clics_submission(const struct db_contest *c, const struct db_submission *s, const char *problem_id,
			      const char *team_id);
/* The judgement of a judged submission: from its submission to end_ms;
   max_run_ms < 0 leaves max_run_time out. */
json_t *view_clics_judgement(const struct db_contest *c, const struct db_submission *s, int64_t end_ms,
			     int64_t max_run_ms);
/* Run `ordinal` (1, 2, ...) of a judged submission's judgement, at end_ms. */
json_t *view_clics_run(const struct db_contest *c, const struct db_submission *s, const struct db_test_result *t,
		       int ordinal, int64_t end_ms);
/* from_team, to_team, problem_id: CLICS ids or NULL. */
json_t *view_clics_clarification(const struct db_contest *c, const struct db_clarification *cl,
				 const char *from_team, const char *to_team, const char *problem_id);
/* The same with "full": true when the rows are the whole board (a resume, a
   rebuild, the freeze or the thaw: rows not in it are gone), and "banner"
   when banner is not NULL. */
void view_scoreboard_rows_ext(struct buf *b, int64_t seq, enum contest_view view, bool frozen, bool full,
			      const char *banner, const struct board *board, const struct board_row *const *rows,
			      size_t n);
/* A contest's awards [{"id", "citation", "team_ids": [team ids]}] (awards.h:
   winner, medals, first to solve per problem, group winners), in that order. */
void view_awards(struct buf *b, const struct awards *a);
/* The fixed CLICS banner of a frozen board, with the minutes from the freeze to the end. */
void view_board_banner(char *out, size_t size, int64_t minutes);
/* The scoreboard of rows (a view's, in rank order) at now_ms: pass-fail rows
   score {num_solved, total_time, time once something is solved} and
   problems {solved, time iff solved}; score contests {score} and problems
   {score, time iff scored}. Problem ids are slugs, team ids keys. */
json_t *view_clics_scoreboard(const struct db_contest *c, const struct board *b, const struct board_row *const *rows,
			      size_t n, int64_t now_ms);
/* {"id", "citation", "team_ids"} (team keys); "first-to-solve-<label>" is
   named by the problem's CLICS id, "first-to-solve-<slug>". */
json_t *view_clics_award(const struct db_contest *c, const struct award *a);

/* ---- clarification.c ---- */

/* The REST clarification object {"id", "seq", "contest_id", "from_team_id",
   "to_team_id", "to_all", "reply_to", "problem", "text", "time"}, plus
   "answered" on a team's request. */
void view_clarification(struct buf *b, const struct db_clarification *c);
/* The WebSocket message: {"type": "clarification"} and the same members. */
void view_clarification_msg(struct buf *b, const struct db_clarification *c);

/* ---- judge.c ---- */

/* How a sandbox is protected: {"ok", "root", "pid1", "uid", "cgroup_version",
   "memory_measure", "cpu_measure"}, then one member per protection of
   judge_protection_list, {"active", "needed", "detail"}. New reference. */
json_t *view_protections(const struct judge_facts *f);
/* GET /api/judge: {"protections" (null before a worker has reported), "workers":
   [{"slot", "pid", "state", "restarts", "error", "last_end"}], "toolchains":
   [{"language", "name", "path", "version"}]}. New reference. */
json_t *view_judge(const struct judge_report *r);
