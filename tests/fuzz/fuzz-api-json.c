/* libFuzzer harness: every JSON request body of the API, loaded as http.c
 * loads it (JSON_REJECT_DUPLICATES, an object) and read by the same field
 * readers and validators the handlers call: login, user create and update,
 * submission create (language lookup included), problem create and update
 * (problem_json_parse, checker_from_json). What the handlers then ask of the
 * database (user names through users_create, problem existence) is not
 * reached. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json_util.h"
#include "languages.h"
#include "problem_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_SOURCE (512 * 1024) /* as in api_submissions.c */

static struct languages *languages;

/* Reads the string fields a handler reads, in its order; stops at the first error. */
static void strings(const json_t *body, const char *const *keys, const bool *required, const size_t *max)
{
	for (size_t i = 0; keys[i]; i++) {
		const char *s = NULL;
		char *err = NULL;
		int rc = json_get_string(body, keys[i], required[i], max[i], &s, &err);
		free(err);
		if (rc)
			return;
		if (s && strlen(s) > max[i])
			abort();
	}
}

static void problem(const json_t *body, const struct db_problem_row *current)
{
	struct problem_json pj;
	char *err = NULL;
	int rc = problem_json_parse(body, current, &pj, &err);
	if ((rc != 0) != (err != NULL))
		abort(); /* an error comes with its message, success without one */
	if (rc == 0 && (!pj.problem.slug || !problem_slug_valid(pj.problem.slug) || !pj.problem.checker_json))
		abort();
	free(err);
	problem_json_release(&pj);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!languages) {
		char *err = NULL;
		languages = languages_load(NULL, &err);
		free(err);
	}
	json_error_t error;
	json_t *body = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &error);
	if (!json_is_object(body)) {
		json_decref(body);
		return 0;
	}
	/* api_login, api_users_create, api_users_update, api_submissions_create */
	strings(body, (const char *const[]){"username", "password", NULL}, (const bool[]){true, true},
		(const size_t[]){256, 1024});
	strings(body, (const char *const[]){"username", "password", "role", NULL}, (const bool[]){true, true, false},
		(const size_t[]){256, 1024, 16});
	strings(body, (const char *const[]){"password", NULL}, (const bool[]){true}, (const size_t[]){1024});
	strings(body, (const char *const[]){"language", "source", NULL}, (const bool[]){true, true},
		(const size_t[]){64, MAX_SOURCE});
	const char *language = NULL;
	char *err = NULL;
	if (json_get_string(body, "language", true, 64, &language, &err) == 0 && languages)
		languages_find(languages, language);
	free(err);

	/* api_problems_create, then api_problems_update over stored problems
	   with a checker of each kind (and one stored checker that is not JSON) */
	problem(body, NULL);
	static const char *const stored[] = {
		"{\"type\":\"tokens\"}", "{\"type\":\"custom\"}", "{\"type\":\"float\",\"abs\":1e-6,\"rel\":null}",
		"{\"type\":\"kattis\",\"case_sensitive\":true}", "not json",
	};
	for (size_t i = 0; i < sizeof stored / sizeof stored[0]; i++) {
		struct db_problem_row current = {
			.id = 1, .slug = "stored", .title = "Stored", .time_limit_ms = 2000, .memory_limit_kb = 65536,
			.statement = "old", .statement_format = i % 2 ? "text" : "markdown", .output_limit_kb = 1024,
			.checker_json = (char *)stored[i],
		};
		problem(body, &current);
	}
	json_decref(body);
	return 0;
}
