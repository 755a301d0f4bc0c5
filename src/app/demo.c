/* Demo data: an admin account, an A+B problem, and a running contest with a
 * few teams. */
#include "demo.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "auth.h"
#include "clock.h"
#include "log.h"
#include "users.h"
#include "util.h"

static const char statement[] =
	"Read two integers $a$ and $b$ and print their sum $a + b$.\n\n"
	"## Input\n\nOne line with two integers $a$ and $b$ ($-10^9 \\le a, b \\le 10^9$).\n\n"
	"## Output\n\nOne line with the integer $a + b$.\n";

static void count_contest(void *ctx, const struct db_contest *c)
{
	(void)c;
	(*(int *)ctx)++;
}

#define DEMO_TEAMS 3

/* "demo": ICPC, started now, 5 h with the last hour frozen, public, with the
   problems there are (up to 26) labelled A, B, ..., and teams team1..team3,
   each with an account of the same name (its password printed). Only while
   there are no contests at all, so on a fresh data dir. */
static int seed_contest(struct db *db)
{
	int contests = 0;
	db_contests_list(db, count_contest, &contests);
	if (contests)
		return 0;
	struct db_problem_list *problems = db_problems_list(db, 1, 26);
	struct db_contest_problem cp[26];
	static const char *const labels[] = {"A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M",
					     "N", "O", "P", "Q", "R", "S", "T", "U", "V", "W", "X", "Y", "Z"};
	static const char *const colors[] = {"#e53935", "#1e88e5", "#43a047", "#fdd835", "#8e24aa", "#fb8c00"};
	for (size_t i = 0; i < problems->count; i++)
		cp[i] = (struct db_contest_problem){.problem_id = problems->items[i].id, .label = labels[i],
						    .color = colors[i % ARRAY_SIZE(colors)]};
	struct db_contest c = {
		.shortname = "demo",
		.name = "Demo contest",
		.formal_name = "verdict demo contest",
		.start_ms = contest_now_ms(),
		.duration_ms = 5 * 3600 * 1000LL,
		.freeze_ms = 3600 * 1000LL,
		.scoring = "icpc",
		.ioi_mode = "max_submission",
		.penalty_min = 20,
		.public_ = true,
		.gold = 4,
		.silver = 4,
		.bronze = 4,
		.problems = cp,
		.problem_count = problems->count,
	};
	int64_t id;
	int rc = db_contest_create(db, &c, &id);
	db_problem_list_free(problems);
	if (rc == DB_E_CONFLICT)
		return 0;
	if (rc != 0)
		return rc;
	log_info("demo: created contest 'demo' (running, 5 h, frozen for the last hour)");
	for (int i = 1; i <= DEMO_TEAMS; i++) {
		char name[16], team_name[16], label[8], password[17];
		snprintf(name, sizeof name, "team%d", i);
		snprintf(team_name, sizeof team_name, "Team %d", i);
		snprintf(label, sizeof label, "%d", i);
		auth_random_password(password, 16);
		char *err = NULL;
		int64_t uid;
		rc = users_create(db, name, password, DB_ROLE_USER, &uid, &err);
		free(err);
		if (rc == 0)
			printf("demo: created team account '%s' (team '%s' of contest 'demo'), password '%s'\n", name,
			       team_name, password);
		else if (rc != DB_E_CONFLICT) /* an existing account joins its team all the same */
			return -EIO;
		const char *members[] = {name};
		struct db_team t = {.key = name, .label = label, .name = team_name, .display_name = "",
				    .members = members, .member_count = 1};
		if (db_team_create(db, id, &t, NULL, NULL) != 0)
			return -EIO;
	}
	fflush(stdout);
	return 0;
}

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
		return seed_contest(db);
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
	if (rc != 0 && rc != DB_E_CONFLICT)
		return rc;
	return seed_contest(db);
}
