/* Demo data: an admin account and an A+B problem. */
#include "demo.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "auth.h"
#include "log.h"
#include "util.h"

static const char statement[] =
	"Read two integers $a$ and $b$ and print their sum $a + b$.\n\n"
	"## Input\n\nOne line with two integers $a$ and $b$ ($-10^9 \\le a, b \\le 10^9$).\n\n"
	"## Output\n\nOne line with the integer $a + b$.\n";

int demo_seed(struct db *db)
{
	if (db_user_count(db) == 0) {
		char password[17];
		auth_random_password(password, 16);
		char *hash = auth_hash_password(password);
		if (!hash || db_user_create(db, "admin", hash, true, NULL) != 0) {
			free(hash);
			return -EIO;
		}
		free(hash);
		printf("demo: created user 'admin' with password '%s'\n", password);
		fflush(stdout);
	}
	struct db_problem_list *problems = db_problems_list(db, 1, 1);
	int64_t total = problems->total;
	db_problem_list_free(problems);
	if (total > 0)
		return 0;
	static const struct db_test tests[] = {
		{"sample-1", "sample", 0, true, "1 2\n", 4, "3\n", 2},
		{"sample-2", "sample", 0, true, "-5 5\n", 5, "0\n", 2},
		{"small", "secret", 0, false, "100 200\n", 8, "300\n", 4},
		{"negative", "secret", 0, false, "-1000000000 -1000000000\n", 24, "-2000000000\n", 12},
		{"large", "secret", 0, false, "1000000000 1000000000\n", 22, "2000000000\n", 11},
	};
	struct db_problem p = {
		.slug = "sum",
		.title = "A plus B",
		.statement = statement,
		.statement_markdown = true,
		.time_limit_ms = 1000,
		.memory_limit_kb = 262144,
		.output_limit_kb = 65536,
		.checker_json = "{\"type\":\"tokens\"}",
		.tests = tests,
		.test_count = ARRAY_SIZE(tests),
		.replace_tests = true,
	};
	int rc = db_problem_create(db, &p, NULL);
	if (rc == 0)
		log_info("demo: created problem 'sum'");
	return rc == DB_E_CONFLICT ? 0 : rc;
}
