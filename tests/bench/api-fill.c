/* Benchmark fixture: a data dir with two users ("bench", "other"), one
 * problem and N submissions (default 100,000), written straight into SQLite
 * in one transaction before any server starts: that takes a second, where
 * 100,000 POSTs would take minutes and measure something else.
 * Usage: api-fill DATA_DIR [N] */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "db.h"
#include "log.h"

static int exec(sqlite3 *h, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "api-fill: %s: %s\n", sql, msg ? msg : "?");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: api-fill DATA_DIR [N]\n");
		return 2;
	}
	long n = argc > 2 ? atol(argv[2]) : 100000;
	log_set_level(LOG_WARN);
	if (!auth_init())
		return 1;
	struct db *db = NULL;
	char *err = NULL;
	if (db_open(argv[1], false, &db, &err) != 0) {
		fprintf(stderr, "api-fill: %s\n", err);
		return 1;
	}
	char *hash = auth_hash_password("bench-password");
	int64_t bench = 0, other = 0, problem = 0;
	static const struct db_test tests[] = {
		{"s1", "sample", 0, true, "1 2\n", 4, "3\n", 2},
		{"t1", "secret", 0, false, "2 2\n", 4, "4\n", 2},
		{"t2", "secret", 0, false, "3 4\n", 4, "7\n", 2},
	};
	struct db_problem p = {.slug = "bench", .title = "Bench", .statement = "Add.", .statement_markdown = true,
			       .time_limit_ms = 1000, .memory_limit_kb = 262144, .output_limit_kb = 65536,
			       .checker_json = "{\"type\":\"tokens\"}", .tests = tests, .test_count = 3,
			       .replace_tests = true};
	if (db_user_create(db, "bench", hash, false, &bench) || db_user_create(db, "other", hash, false, &other) ||
	    db_problem_create(db, &p, &problem)) {
		fprintf(stderr, "api-fill: cannot create the users and the problem\n");
		return 1;
	}
	free(hash);
	db_close(db);

	char path[4096];
	snprintf(path, sizeof path, "%s/verdict.db", argv[1]);
	sqlite3 *h;
	if (sqlite3_open(path, &h) != SQLITE_OK)
		return 1;
	char sql[2048];
	/* All judged (so that the judge stays idle during the benchmark), AC and
	   WA alternating; the two users alternate; each takes the seq after the
	   changes already logged (the demo problem, the users), in id order. */
	snprintf(sql, sizeof sql,
		 "BEGIN;"
		 "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < %ld)"
		 " INSERT INTO submissions (id, problem_id, user_id, language, source, status, verdict,"
		 " time_ms, memory_kb, tests_passed, tests_total, compile_output, created_at, judged_at)"
		 " SELECT i, %lld, CASE i %% 2 WHEN 0 THEN %lld ELSE %lld END, 'c',"
		 " '#include <stdio.h>\nint main(void) { long a, b; scanf(\"%%ld %%ld\", &a, &b);"
		 " printf(\"%%ld\\n\", a + b); return 0; }\n',"
		 " 'done', CASE WHEN i %% 2 = 0 THEN 'AC' ELSE 'WA' END, 3, 1200,"
		 " CASE WHEN i %% 2 = 0 THEN 3 ELSE 1 END, 3, '',"
		 " strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', 'now'), strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', 'now') FROM k;"
		 "INSERT INTO test_results (submission_id, idx, grp, verdict, time_ms, memory_kb)"
		 " SELECT id, t.idx, t.grp, CASE WHEN t.idx = 1 OR verdict = 'AC' THEN 'AC' ELSE 'WA' END, 3, 1200"
		 " FROM submissions, (SELECT 1 AS idx, 'sample' AS grp UNION ALL SELECT 2, 'secret') t"
		 " WHERE status = 'done';"
		 "INSERT INTO changes (kind, id, seq, scope_kind, scope_id)"
		 " SELECT 'submission', id, id + (SELECT value FROM counters WHERE name = 'seq'), 'problem', problem_id"
		 " FROM submissions;"
		 "UPDATE counters SET value = value + %ld WHERE name = 'seq';"
		 "COMMIT;",
		 n, (long long)problem, (long long)bench, (long long)other, n);
	if (exec(h, sql) != 0)
		return 1;
	sqlite3_close(h);
	printf("%lld\n", (long long)problem);
	return 0;
}
