/* REST handlers, one file per resource (api_*.c), wired up in routes.c. */
#pragma once
#include "http.h"

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
void api_submissions_create(struct http_request *req, struct http_response *res);
void api_problem_submissions(struct http_request *req, struct http_response *res);
void api_submissions_list(struct http_request *req, struct http_response *res);
void api_submissions_get(struct http_request *req, struct http_response *res);
void api_submission_rejudge(struct http_request *req, struct http_response *res);
void api_problem_rejudge(struct http_request *req, struct http_response *res);

/* api_clarifications.c */
void api_clarifications_list(struct http_request *req, struct http_response *res);
void api_clarifications_create(struct http_request *req, struct http_response *res);

/* api_contests.c */
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
/* api_events.c: the CLICS event feed */
void api_clics_event_feed(struct http_request *req, struct http_response *res);

void api_healthz(struct http_request *req, struct http_response *res);
void api_metrics(struct http_request *req, struct http_response *res);
/* Web UI pages and assets (not in the route table: the fallback for GET). */
void api_static(struct http_request *req, struct http_response *res);
