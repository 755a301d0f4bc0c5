/* Validates a problem written as JSON (POST/PUT /api/problems) into a
 * struct db_problem. */
#pragma once
#include <jansson.h>
#include <stdbool.h>

#include "db.h"
#include "errors.h" /* PROBLEM_JSON_E_INVALID */

struct problem_json {
	struct db_problem problem; /* points into the request JSON and into the fields below */
	struct db_test *tests;
	char *checker_json;
	char **names;              /* generated test names */
};

/* Reads body (a JSON object). With `current` (the stored problem, read
   full), absent fields keep their current values and tests are kept unless
   given. Returns 0, or PROBLEM_JSON_E_INVALID with *err (malloc'd) saying what is wrong; either
   way the caller calls problem_json_release. */
int problem_json_parse(const json_t *body, const struct db_problem_row *current, struct problem_json *out,
		       char **err);
void problem_json_release(struct problem_json *pj);
/* A slug: 1 to 64 lowercase letters, digits, '-' or '_', not starting with '-' or '_'. */
bool problem_slug_valid(const char *slug);
