/* Every REST route: method, path pattern, handler, who may call it, what body it takes. */
#include "routes.h"

#include "api.h"
#include "ws.h"

const struct route routes[] = {
	{HTTP_POST, "/api/auth/login", api_login, ROUTE_PUBLIC, ROUTE_JSON},
	{HTTP_POST, "/api/auth/logout", api_logout, ROUTE_USER, ROUTE_NO_BODY},
	{HTTP_GET, "/api/me", api_me, ROUTE_USER, ROUTE_NO_BODY},
	{HTTP_GET, "/api/users", api_users_list, ROUTE_ADMIN, ROUTE_NO_BODY},
	{HTTP_POST, "/api/users", api_users_create, ROUTE_ADMIN, ROUTE_JSON},
	{HTTP_PUT, "/api/users/{id}", api_users_update, ROUTE_ADMIN, ROUTE_JSON},
	{HTTP_GET, "/api/languages", api_languages, ROUTE_USER, ROUTE_NO_BODY},
	{HTTP_GET, "/api/problems", api_problems_list, ROUTE_USER, ROUTE_NO_BODY},
	{HTTP_POST, "/api/problems", api_problems_create, ROUTE_ADMIN, ROUTE_JSON},
	{HTTP_POST, "/api/problems/import", api_problems_import, ROUTE_ADMIN, ROUTE_ZIP},
	{HTTP_GET, "/api/problems/{id}", api_problems_get, ROUTE_USER, ROUTE_NO_BODY},
	{HTTP_PUT, "/api/problems/{id}", api_problems_update, ROUTE_ADMIN, ROUTE_JSON},
	{HTTP_DELETE, "/api/problems/{id}", api_problems_delete, ROUTE_ADMIN, ROUTE_NO_BODY},
	{HTTP_GET, "/api/problems/{id}/submissions", api_problem_submissions, ROUTE_USER, ROUTE_NO_BODY},
	{HTTP_POST, "/api/problems/{id}/submissions", api_submissions_create, ROUTE_USER, ROUTE_JSON},
	{HTTP_POST, "/api/problems/{id}/rejudge", api_problem_rejudge, ROUTE_ADMIN, ROUTE_NO_BODY},
	{HTTP_GET, "/api/submissions", api_submissions_list, ROUTE_USER, ROUTE_NO_BODY},
	{HTTP_GET, "/api/submissions/{id}", api_submissions_get, ROUTE_USER, ROUTE_NO_BODY},
	{HTTP_POST, "/api/submissions/{id}/rejudge", api_submission_rejudge, ROUTE_ADMIN, ROUTE_NO_BODY},
	{HTTP_GET, "/api/contests", api_contests_list, ROUTE_PUBLIC, ROUTE_NO_BODY},
	{HTTP_POST, "/api/contests", api_contests_create, ROUTE_ADMIN, ROUTE_JSON},
	{HTTP_GET, "/api/contests/{id}", api_contests_get, ROUTE_PUBLIC, ROUTE_NO_BODY},
	{HTTP_PUT, "/api/contests/{id}", api_contests_update, ROUTE_ADMIN, ROUTE_JSON},
	{HTTP_DELETE, "/api/contests/{id}", api_contests_delete, ROUTE_ADMIN, ROUTE_NO_BODY},
	{HTTP_POST, "/api/contests/{id}/start", api_contest_start, ROUTE_ADMIN, ROUTE_NO_BODY},
	{HTTP_POST, "/api/contests/{id}/freeze", api_contest_freeze, ROUTE_ADMIN, ROUTE_NO_BODY},
	{HTTP_POST, "/api/contests/{id}/thaw", api_contest_thaw, ROUTE_ADMIN, ROUTE_NO_BODY},
	{HTTP_POST, "/api/contests/{id}/finalize", api_contest_finalize, ROUTE_ADMIN, ROUTE_NO_BODY},
	{HTTP_POST, "/api/contests/{id}/pause", api_contest_pause, ROUTE_ADMIN, ROUTE_NO_BODY},
	{HTTP_POST, "/api/contests/{id}/resume", api_contest_resume, ROUTE_ADMIN, ROUTE_NO_BODY},
	{HTTP_GET, "/api/contests/{id}/submissions", api_contest_submissions, ROUTE_PUBLIC, ROUTE_NO_BODY},
	{HTTP_POST, "/api/contests/{id}/problems/{key}/submissions", api_contest_submit, ROUTE_USER, ROUTE_JSON},
	{HTTP_POST, "/api/contests/import", api_contests_import, ROUTE_ADMIN, ROUTE_ANY},
	{HTTP_GET, "/api/contests/{id}/teams", api_teams_list, ROUTE_PUBLIC, ROUTE_NO_BODY},
	{HTTP_POST, "/api/contests/{id}/teams", api_teams_create, ROUTE_ADMIN, ROUTE_JSON},
	{HTTP_POST, "/api/contests/{id}/teams/import", api_teams_import, ROUTE_ADMIN, ROUTE_ANY},
	{HTTP_PUT, "/api/contests/{id}/teams/{id}", api_teams_update, ROUTE_ADMIN, ROUTE_JSON},
	{HTTP_DELETE, "/api/contests/{id}/teams/{id}", api_teams_delete, ROUTE_ADMIN, ROUTE_NO_BODY},
	{HTTP_GET, "/api/contests/{id}/organizations", api_organizations_list, ROUTE_PUBLIC, ROUTE_NO_BODY},
	{HTTP_GET, "/api/contests/{id}/groups", api_groups_list, ROUTE_PUBLIC, ROUTE_NO_BODY},
	{HTTP_GET, "/api/contests/{id}/scoreboard", api_contest_scoreboard, ROUTE_PUBLIC, ROUTE_NO_BODY},
	{HTTP_GET, "/api/contests/{id}/clarifications", api_clarifications_list, ROUTE_PUBLIC, ROUTE_NO_BODY},
	{HTTP_POST, "/api/contests/{id}/clarifications", api_clarifications_create, ROUTE_USER, ROUTE_JSON},
	{HTTP_GET, "/api/contests/{id}/awards", api_contest_awards, ROUTE_PUBLIC, ROUTE_NO_BODY},
	{HTTP_GET, "/api/contests/{id}/results.tsv", api_contest_results_tsv, ROUTE_JURY, ROUTE_NO_BODY},
	{HTTP_GET, "/api/contests/{id}/results.json", api_contest_results_json, ROUTE_JURY, ROUTE_NO_BODY},
	{HTTP_GET, "/api/contests/{id}/gradebook.csv", api_contest_gradebook, ROUTE_JURY, ROUTE_NO_BODY},
	{HTTP_GET, "/healthz", api_healthz, ROUTE_PUBLIC, ROUTE_NO_BODY},
	{HTTP_GET, "/metrics", api_metrics, ROUTE_PUBLIC, ROUTE_NO_BODY},
	/* WebSocket handshakes the WebSocket server refused, and plain GETs (ws.c) */
	{HTTP_GET, "/ws/problems/{id}/submissions/", ws_http_answer, ROUTE_PUBLIC, ROUTE_NO_BODY},
	{HTTP_GET, "/ws/submissions/{id}/", ws_http_answer, ROUTE_PUBLIC, ROUTE_NO_BODY},
	{HTTP_GET, "/ws/contests/{id}/scoreboard/", ws_http_answer, ROUTE_PUBLIC, ROUTE_NO_BODY},
	{HTTP_GET, "/ws/contests/{id}/clarifications/", ws_http_answer, ROUTE_PUBLIC, ROUTE_NO_BODY},
};

const int route_count = (int)(sizeof routes / sizeof routes[0]);

const struct http_routes api_routes = {routes, (int)(sizeof routes / sizeof routes[0]), api_static};
