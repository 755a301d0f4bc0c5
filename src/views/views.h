/* The wire format: every object the API sends, written once here and used by
 * REST, WebSocket and (later) CLICS alike. Views read what storage returns and
 * decide nothing; one file per kind of object (page.c, submission.c, ...). */
#pragma once
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "db.h"

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
