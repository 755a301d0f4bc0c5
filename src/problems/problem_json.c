/* Problem JSON validation: slugs, limits, checker, tests. */
#include "problem_json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "checker.h"
#include "json_util.h"
#include "util.h"

#define MAX_TESTS 1000

bool problem_slug_valid(const char *s)
{
	size_t n = strlen(s);
	return n >= 1 && n <= 64 && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-_") == n && s[0] != '-' &&
	       s[0] != '_';
}

static int parse_tests(const json_t *tests, struct problem_json *pj, char **err)
{
	if (!json_is_array(tests) || json_array_size(tests) == 0 || json_array_size(tests) > MAX_TESTS) {
		*err = xasprintf("field 'tests' must be an array of 1 to %d tests", MAX_TESTS);
		return PROBLEM_JSON_E_INVALID;
	}
	size_t n = json_array_size(tests);
	pj->tests = xcalloc(n, sizeof *pj->tests);
	pj->names = xcalloc(n, sizeof *pj->names);
	pj->problem.test_count = n; /* so that release frees the names on every path */
	/* Samples run first, then the rest, each in the order given. */
	size_t out = 0;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < n; i++) {
			const json_t *t = json_array_get(tests, i);
			bool sample = false;
			const char *input = NULL, *output = NULL, *group = NULL, *name = NULL;
			double points = 0;
			char *e = NULL;
			if (!json_is_object(t)) {
				*err = xasprintf("tests[%zu] must be an object", i);
				return PROBLEM_JSON_E_INVALID;
			}
			if (json_get_bool(t, "sample", false, &sample, &e) ||
			    json_get_string(t, "input", true, 64 << 20, &input, &e) ||
			    json_get_string(t, "output", true, 64 << 20, &output, &e) ||
			    json_get_string(t, "group", false, 64, &group, &e) ||
			    json_get_string(t, "name", false, 128, &name, &e) ||
			    json_get_number(t, "points", false, &points, &e)) {
				*err = xasprintf("tests[%zu]: %s", i, e);
				free(e);
				return PROBLEM_JSON_E_INVALID;
			}
			if (sample != (pass == 0))
				continue;
			if (points < 0 || points > 1e9) {
				*err = xasprintf("tests[%zu]: field 'points' must be between 0 and 1e9", i);
				return PROBLEM_JSON_E_INVALID;
			}
			if (group && !*group) {
				*err = xasprintf("tests[%zu]: field 'group' must not be empty", i);
				return PROBLEM_JSON_E_INVALID;
			}
			struct db_test *dt = &pj->tests[out];
			if (!name)
				name = pj->names[out] = xasprintf("%s%03zu", sample ? "sample-" : "test-", out + 1);
			dt->name = name;
			dt->group = group ? group : sample ? "sample" : "secret";
			dt->points = points;
			dt->sample = sample;
			dt->input = input;
			dt->input_len = strlen(input);
			dt->output = output;
			dt->output_len = strlen(output);
			out++;
		}
	}
	pj->problem.tests = pj->tests;
	pj->problem.test_count = n;
	pj->problem.replace_tests = true;
	/* New tests for an imported problem with a custom checker: its validator stays. */
	pj->problem.keep_validator = true;
	return 0;
}

/* The fields besides tests, over what p holds already (the stored problem's,
   or the defaults); `stored` is the stored checker, or NULL on create. */
static int parse_fields(const json_t *body, bool required, const char *format, const json_t *stored,
			struct problem_json *pj, char **err)
{
	struct db_problem *p = &pj->problem;
	const char *new_format = NULL;
	if (json_get_string(body, "slug", required, 64, &p->slug, err) ||
	    json_get_string(body, "title", required, 200, &p->title, err) ||
	    json_get_string(body, "statement", false, 1 << 20, &p->statement, err) ||
	    json_get_string(body, "statement_format", false, 16, &new_format, err) ||
	    json_get_int(body, "time_limit_ms", false, 1, 60000, &p->time_limit_ms, err) ||
	    json_get_int(body, "memory_limit_kb", false, 1024, 4 << 20, &p->memory_limit_kb, err) ||
	    json_get_int(body, "output_limit_kb", false, 1, 1 << 20, &p->output_limit_kb, err))
		return PROBLEM_JSON_E_INVALID;
	if (!problem_slug_valid(p->slug)) {
		*err = xasprintf("field 'slug' must be 1 to 64 lowercase letters, digits, '-' or '_', not starting"
				 " with '-' or '_'");
		return PROBLEM_JSON_E_INVALID;
	}
	if (!*p->title) {
		*err = xstrdup("field 'title' must not be empty");
		return PROBLEM_JSON_E_INVALID;
	}
	if (new_format && strcmp(new_format, "markdown") != 0 && strcmp(new_format, "text") != 0) {
		*err = xstrdup("field 'statement_format' must be \"markdown\" or \"text\"");
		return PROBLEM_JSON_E_INVALID;
	}
	format = new_format ? new_format : format;
	p->statement_markdown = !format || strcmp(format, "markdown") == 0;

	const json_t *given = json_object_get(body, "checker");
	struct checker checker;
	checker_init(&checker, CHECKER_TOKENS);
	if (given || stored) {
		if (checker_from_json(given ? given : stored, &checker, err) != 0)
			return PROBLEM_JSON_E_INVALID;
	}
	const char *stored_type = json_string_value(json_object_get(stored, "type"));
	if (given && checker.type == CHECKER_CUSTOM && !(stored_type && strcmp(stored_type, "custom") == 0)) {
		*err = xstrdup("checker 'custom' needs an output validator: import the problem as a package");
		return PROBLEM_JSON_E_INVALID;
	}
	json_t *canonical = checker_to_json(&checker);
	pj->checker_json = json_dumps(canonical, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(canonical);
	p->checker_json = pj->checker_json;
	return 0;
}

int problem_json_parse(const json_t *body, const struct db_problem_row *current, struct problem_json *pj,
		       char **err)
{
	memset(pj, 0, sizeof *pj);
	struct db_problem *p = &pj->problem;
	const char *format = NULL;
	json_t *stored = NULL;
	if (current) {
		p->slug = current->slug;
		p->title = current->title;
		p->statement = current->statement;
		format = current->statement_format;
		stored = json_loads(current->checker_json, 0, NULL);
		if (!stored)
			stored = json_object();
	}
	p->time_limit_ms = current ? current->time_limit_ms : 1000;
	p->memory_limit_kb = current ? current->memory_limit_kb : 262144;
	p->output_limit_kb = current ? current->output_limit_kb : 65536;
	int rc = parse_fields(body, current == NULL, format, stored, pj, err);
	json_decref(stored);
	if (rc)
		return rc;

	const json_t *tests = json_object_get(body, "tests");
	if (tests)
		return parse_tests(tests, pj, err);
	if (!current) {
		*err = xstrdup("field 'tests' is required");
		return PROBLEM_JSON_E_INVALID;
	}
	return 0;
}

void problem_json_release(struct problem_json *pj)
{
	/* names[i] is NULL where test i came with its own name */
	for (size_t i = 0; pj->names && i < pj->problem.test_count; i++)
		free(pj->names[i]);
	free(pj->names);
	free(pj->tests);
	free(pj->checker_json);
	memset(pj, 0, sizeof *pj);
}
