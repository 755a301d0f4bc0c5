/* REST handlers, one file per resource (api_*.c), wired up in routes.c. */
#pragma once
#include "http.h"

struct contest_viewer;

#define API_MAX_SOURCE (512 * 1024) /* bytes of a submission's source (all its files) */
#define API_MAX_FILES 32            /* files of a multi-file submission */
#define API_MAX_FILE_NAME 100       /* bytes of one's name */

/* api_auth.c */
void api_login(struct http_request *req, struct http_response *res);
void api_logout(struct http_request *req, struct http_response *res);
void api_me(struct http_request *req, struct http_response *res);

/* api_users.c */
void api_users_list(struct http_request *req, struct http_response *res);
void api_users_create(struct http_request *req, struct http_response *res);
void api_users_update(struct http_request *req, struct http_response *res);

/* api_problems.c */
void api_languages(struct http_request *req, struct http_response *res);
void api_problems_list(struct http_request *req, struct http_response *res);
void api_problems_create(struct http_request *req, struct http_response *res);
void api_problems_get(struct http_request *req, struct http_response *res);
void api_problems_update(struct http_request *req, struct http_response *res);
void api_problems_delete(struct http_request *req, struct http_response *res);
void api_problems_import(struct http_request *req, struct http_response *res);
/* GET /api/problems/{id}/verification (admins): the jury submissions' report (judge/jury.h). */
void api_problem_verification(struct http_request *req, struct http_response *res);
struct package;
/* Stores the package's jury submissions for the imported problem and queues
   them; the report (after ?wait= seconds at most, until complete), or JSON
   null when there is none; NULL with *err when they cannot be stored. */
json_t *api_jury_import(struct http_request *req, const struct package *pkg, int64_t problem_id, char **err);

/* api_problems.c */
/* Whether problem id exists for the caller (contest/access.h: a contest's
   problems are out at its start): false with a 404 answer when not. */
bool api_problem_out(struct http_request *req, struct http_response *res, int64_t id);

/* api_submissions.c */
/* Validates {"language", "source"} and stores a submission of the problem
   (in a contest when ctx is not NULL) within the caller's quota (jury and
   admins have none), wakes the judge and answers 201 with it. */
void api_submit(struct http_request *req, struct http_response *res, int64_t problem_id,
		const struct db_submit_context *ctx);
/* The same action for a source already read (the CLICS API's, from a zip),
   taking the id `want` (0: the next): true with *created
   (db_submission_release it) and no answer yet, or false with the answer
   given (400, 404, 409 for an id taken, 429, 500). */
bool api_submit_source(struct http_request *req, struct http_response *res, int64_t problem_id,
		       const char *language, const char *source, size_t source_len, const struct db_submit_context *ctx,
		       int64_t want, struct db_submission *created /* OUT */);
/* The same for a multi-file submission (files NULL: the same as api_submit_source):
   source is its entry file's content. */
bool api_submit_files(struct http_request *req, struct http_response *res, int64_t problem_id,
		      const char *language, const char *source, size_t source_len, const struct db_submit_files *files,
		      const struct db_submit_context *ctx, int64_t want, struct db_submission *created /* OUT */);
struct languages;
struct language;
/* Checks a multi-file submission's files [{"name", "content"}] and the entry point given (or NULL)
   for language l: false with the error answered (400, 413), else *files_json (malloc'd: the files
   as stored) and *source (borrowed from files: the entry file's content, else the first's; its
   length in *source_len). */
bool api_files_check(struct http_response *res, const struct language *l, const json_t *files, const char *entry,
		     char **files_json, const char **source, size_t *source_len);
/* The files of submission s (read with DB_SUBMISSION_SOURCE) as a zip: every file of a
   multi-file one, else its source named as its language says. 0 or a negative errno. */
int api_submission_zip(const struct languages *ls, const struct db_submission *s, char **data /* OUT */,
		       size_t *len /* OUT */);
void api_submissions_create(struct http_request *req, struct http_response *res);
/* A problem's PDF statement and the images of its statement, to whoever may see the problem. */
void api_problem_statement_pdf(struct http_request *req, struct http_response *res);
void api_problem_file(struct http_request *req, struct http_response *res);
void api_problem_submissions(struct http_request *req, struct http_response *res);
void api_submissions_list(struct http_request *req, struct http_response *res);
void api_submissions_get(struct http_request *req, struct http_response *res);
void api_submission_rejudge(struct http_request *req, struct http_response *res);
void api_problem_rejudge(struct http_request *req, struct http_response *res);

/* api_clarifications.c */
void api_clarifications_list(struct http_request *req, struct http_response *res);
void api_clarifications_create(struct http_request *req, struct http_response *res);
/* A clarification as the API that got it read it (native or CLICS). */
struct api_clar {
	const char *text;
	int64_t problem_id;  /* 0: general */
	bool problem_given;  /* false: a reply is about what its question was about */
	int64_t reply_to;    /* 0: none */
	bool to_team;        /* the jury's: to one team (else to all) */
	int64_t team_id;     /* with to_team: that team, or 0 with reply_to: the one that asked */
	int64_t id;          /* the id to take (0: the next) */
	int64_t time_ms;     /* 0: now */
};
/* Sends it in contest c as viewer v (a team: to the jury, from the start
   until the contest is finalized; the jury: at any time, to a team or to
   all), stored and pushed like every clarification: true with *id, or false
   with the answer given (400, 403, 409 for an id taken, 500). */
bool api_clarification_send(struct http_request *req, struct http_response *res, const struct db_contest *c,
			    const struct contest_viewer *v, const struct api_clar *in, int64_t *id /* OUT */);

/* api_contests.c */
/* The contest actions, as the native routes and the CLICS PATCH take them:
   SCHEDULE sets the start (at_ms), THAW thaws now or at a later at_ms. */
enum api_contest_action {
	API_CONTEST_START,
	API_CONTEST_FREEZE,
	API_CONTEST_THAW,
	API_CONTEST_FINALIZE,
	API_CONTEST_PAUSE,
	API_CONTEST_RESUME,
	API_CONTEST_SCHEDULE,
};
#define API_E_REFUSED 1 /* not possible now: why says so */
/* Does action a on contest c (at_ms: for SCHEDULE and THAW, 0: now). 0, or
   API_E_REFUSED, or a store failure, each with why (a one-line message). */
int api_contest_act(struct db *db, const struct db_contest *c, enum api_contest_action a, int64_t at_ms, char *why,
		    size_t size);
/* Parses an RFC 3339 time ("2026-12-03T10:00:00Z", with optional fraction and
   offset: +hh:mm, or CLICS's +hh and +hhmm) into ms since the epoch. */
bool api_parse_time(const char *s, int64_t *out /* OUT */);
/* Whether a team may submit to contest c at at_ms: false with a 403 answer
   outside its window; *practice after the end where the contest allows it. */
bool api_contest_open_at(struct http_response *res, const struct db_contest *c, int64_t at_ms, bool *practice);
/* The caller's team in c (a classroom contest makes a student's own): false
   with a 403 or 500 answer. */
bool api_contest_team(struct http_request *req, struct http_response *res, const struct db_contest *c,
		      int64_t *team_id /* OUT */);
void api_contests_list(struct http_request *req, struct http_response *res);
void api_contests_get(struct http_request *req, struct http_response *res);
void api_contests_create(struct http_request *req, struct http_response *res);
void api_contests_update(struct http_request *req, struct http_response *res);
void api_contests_delete(struct http_request *req, struct http_response *res);
void api_contest_start(struct http_request *req, struct http_response *res);
void api_contest_freeze(struct http_request *req, struct http_response *res);
void api_contest_thaw(struct http_request *req, struct http_response *res);
void api_contest_finalize(struct http_request *req, struct http_response *res);
void api_contest_pause(struct http_request *req, struct http_response *res);
void api_contest_resume(struct http_request *req, struct http_response *res);
void api_contest_submit(struct http_request *req, struct http_response *res);
void api_contest_submissions(struct http_request *req, struct http_response *res);
/* api_teams.c */
void api_teams_list(struct http_request *req, struct http_response *res);
void api_teams_create(struct http_request *req, struct http_response *res);
void api_teams_update(struct http_request *req, struct http_response *res);
void api_teams_delete(struct http_request *req, struct http_response *res);
void api_teams_import(struct http_request *req, struct http_response *res);
void api_organizations_list(struct http_request *req, struct http_response *res);
void api_groups_list(struct http_request *req, struct http_response *res);
void api_contests_import(struct http_request *req, struct http_response *res);
/* api_package.c: contest packages */
void api_contests_package_import(struct http_request *req, struct http_response *res);
void api_contest_package_export(struct http_request *req, struct http_response *res);

/* api_scoreboard.c */
void api_contest_scoreboard(struct http_request *req, struct http_response *res);
/* api_results.c */
void api_contest_awards(struct http_request *req, struct http_response *res);
void api_contest_results_tsv(struct http_request *req, struct http_response *res);
void api_contest_results_json(struct http_request *req, struct http_response *res);
void api_contest_gradebook(struct http_request *req, struct http_response *res);

/* api_ops.c */
/* api_clics.c: the CLICS Contest API 2023-06 (reads) */
void api_clics_info(struct http_request *req, struct http_response *res);
void api_clics_contests(struct http_request *req, struct http_response *res);
void api_clics_contest(struct http_request *req, struct http_response *res);
/* contests/{key}/{endpoint}[/{id}[/files]] */
void api_clics_endpoint(struct http_request *req, struct http_response *res);
/* api_clics_write.c: the CLICS writes (contests/{key}/submissions, clarifications, PATCH contests/{key}) */
void api_clics_submission_post(struct http_request *req, struct http_response *res);
void api_clics_submission_put(struct http_request *req, struct http_response *res);
void api_clics_clarification_post(struct http_request *req, struct http_response *res);
void api_clics_clarification_put(struct http_request *req, struct http_response *res);
void api_clics_contest_patch(struct http_request *req, struct http_response *res);
/* api_events.c: the CLICS event feed */
void api_clics_event_feed(struct http_request *req, struct http_response *res);

void api_healthz(struct http_request *req, struct http_response *res);
/* GET /api/judge (admin): how the judge is protected, its workers and toolchains (views/judge.c). */
void api_judge(struct http_request *req, struct http_response *res);
void api_metrics(struct http_request *req, struct http_response *res);
/* Web UI pages and assets (not in the route table: the fallback for GET). */
void api_static(struct http_request *req, struct http_response *res);
