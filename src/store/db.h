/* The only module that touches SQLite. One data dir holds one database
 * (verdict.db, WAL mode, foreign keys on), migrated at open from the SQL
 * files in schema/ that are embedded in the binary.
 *
 * Threads: any thread may call any function. Reads use a connection private
 * to the calling thread; all writes go through one writer connection under a
 * mutex, so there is exactly one writer. Every statement is prepared once per
 * connection and reused; no SQL is ever built from strings.
 *
 * Return codes: 0 on success, negative errno (or -EIO for an SQLite failure,
 * which is logged) for system failures, and the positive DB_E_* codes below
 * for outcomes the caller must handle. */
#pragma once
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	DB_E_NOT_FOUND = 1,
	DB_E_CONFLICT = 2, /* a unique key is taken (username, slug) */
	DB_E_BUSY = 3,     /* another verdict process holds the data dir */
	DB_E_NEWER = 4,    /* the database was made by a newer verdict */
};

struct db;

/* Opens (creating if needed) DIR/verdict.db and applies pending migrations.
   With `exclusive` (the server) it first takes the data dir's lock, so that a
   second server refuses to start; command-line tools share the database.
   On failure returns non-zero with *err set (malloc'd, one line). */
int db_open(const char *dir, bool exclusive, struct db **out, char **err);
/* Opens an existing database read-only, without lock or migrations (judge workers). */
int db_open_readonly(const char *dir, struct db **out, char **err);
/* Applies migrations up to and including version `upto` only (tests of upgrades). */
int db_open_upto(const char *dir, int upto, struct db **out, char **err);
void db_close(struct db *db);

/* Called after each commit that changed submissions, once per change, in seq
   order, while the writer lock is still held (so calls never overlap and
   never reorder). `update` is the submission's "submission_update" message;
   `test` is a "test_result" message when the change recorded a finished test,
   else NULL. Both are borrowed. The hook must be quick and must not call back
   into the database's write functions. Set it before any thread starts. */
typedef void (*db_change_hook)(void *ctx, const json_t *update, const json_t *test);
void db_set_change_hook(struct db *db, db_change_hook hook, void *ctx);
/* Number of the newest applied migration. */
int db_schema_version(struct db *db);
/* The last value of the global change counter. */
int64_t db_seq(struct db *db);

/* ---- users and sessions (db_users.c) ---- */

struct db_user {
	int64_t id;
	char username[64];
	bool admin;
};

int db_user_create(struct db *db, const char *username, const char *password_hash, bool admin,
		   int64_t *id /* OUT */);
/* Returns the user and, when hash is not NULL, a malloc'd copy of the password hash. */
int db_user_by_name(struct db *db, const char *username, struct db_user *out, char **hash);
int db_user_get(struct db *db, int64_t id, struct db_user *out);
int db_user_set_password(struct db *db, int64_t id, const char *password_hash);
/* {"items": [...], "page", "per_page", "total"}; new reference. */
json_t *db_users_list(struct db *db, int page, int per_page);
int64_t db_user_count(struct db *db);

int db_session_create(struct db *db, const unsigned char token_hash[32], int64_t user_id, int64_t expires_at);
/* Finds the user of a live session; DB_E_NOT_FOUND when unknown or expired. */
int db_session_user(struct db *db, const unsigned char token_hash[32], int64_t now, struct db_user *out);
int db_session_delete(struct db *db, const unsigned char token_hash[32]);

/* ---- problems (db_problems.c) ---- */

struct db_test {
	const char *name;
	const char *group;
	double points;
	bool sample;
	const void *input;
	size_t input_len;
	const void *output;
	size_t output_len;
};

/* A whole problem as written by POST/PUT or an import. Borrowed pointers. */
struct db_problem {
	const char *slug;
	const char *title;
	const char *statement;
	bool statement_markdown;   /* else preformatted text */
	int64_t time_limit_ms;
	int64_t memory_limit_kb;
	int64_t output_limit_kb;
	const char *checker_json;  /* the checker object, serialised */
	const void *validator;     /* custom output validator (binary or script), or NULL */
	size_t validator_len;
	const char *validator_language; /* "c", "cpp" or "python3" */
	const char *validator_flags;    /* extra arguments (package validator_flags), or NULL */
	const struct db_test *tests;
	size_t test_count;
	bool replace_tests;        /* on update: false keeps the stored tests (and validator) */
	bool keep_validator;       /* on update with replace_tests: keep the stored validator anyway
	                              (a problem written as JSON carries none) */
};

/* Inserts a problem; DB_E_CONFLICT if the slug is taken. */
int db_problem_create(struct db *db, const struct db_problem *p, int64_t *id /* OUT */);
/* Replaces a problem's fields (and tests when replace_tests); DB_E_NOT_FOUND, DB_E_CONFLICT. */
int db_problem_update(struct db *db, int64_t id, const struct db_problem *p);
int db_problem_delete(struct db *db, int64_t id);
int db_problem_id_by_slug(struct db *db, const char *slug, int64_t *id /* OUT */);
bool db_problem_exists(struct db *db, int64_t id);
/* The public view: summary fields, plus statement, samples, limits, checker,
   groups with their points when `full` (judge/scoring.h tells ICPC from IOI).
   NULL if not found. New reference. */
json_t *db_problem_json(struct db *db, int64_t id, bool full);
json_t *db_problems_list(struct db *db, int page, int per_page);
/* Everything a judge needs to judge one submission of this problem, as JSON:
   limits, checker, tests [{"idx","group","points","sample"}]; NULL if not found. */
json_t *db_problem_judging(struct db *db, int64_t id);
/* Copies one test's input and answer (malloc'd) for the judge. */
int db_test_data(struct db *db, int64_t problem_id, int idx, char **input, size_t *input_len,
		 char **output, size_t *output_len);
/* The custom validator: program (malloc'd), its language and flags (malloc'd); DB_E_NOT_FOUND if none. */
int db_problem_validator(struct db *db, int64_t problem_id, char **data, size_t *len, char **language, char **flags);

/* ---- submissions (db_submissions.c) ---- */

/* Stores a new queued submission. *created (may be NULL) gets its REST object
   as committed, before any judging can change it (new reference). */
int db_submission_create(struct db *db, int64_t problem_id, int64_t user_id, const char *language,
			 const char *source, int64_t *id /* OUT */, json_t **created /* OUT */);
/* The REST object; with tests, compile_output and (when with_source) source.
   NULL if not found. *owner_id (may be NULL) receives the owner's user id. */
json_t *db_submission_json(struct db *db, int64_t id, bool with_details, bool with_source,
			   int64_t *owner_id /* OUT */);
/* The WebSocket "submission_update" message of the submission's current state. */
json_t *db_submission_update_json(struct db *db, int64_t id);
/* Pages of submissions, newest first, as the JSON text of a paging envelope
   (malloc'd; *len gets its length), written straight from the rows: they are
   the hottest reads, and building and dumping json_t objects cost more than
   the queries. A problem's submissions: NULL when the problem does not exist.
   The list: filters are optional (0 / NULL = any). */
char *db_problem_submissions_text(struct db *db, int64_t problem_id, int page, int per_page, size_t *len);
char *db_submissions_list_text(struct db *db, int64_t problem_id, int64_t user_id, const char *verdict,
			       int page, int per_page, size_t *len);
/* Submissions changed after `seq` within a scope (problem_id or submission_id, 0 = any),
   as update messages in seq order; at most `limit`. */
json_t *db_submissions_since(struct db *db, int64_t problem_id, int64_t submission_id, int64_t seq,
			     int limit);
/* Counts by status, for /metrics: queued, compiling, running, done. */
int db_submission_status_counts(struct db *db, int64_t counts[4]);

/* ---- judging (db_judge.c): every change takes a new seq ---- */

/* Puts a submission back to queued (rejudge): verdict, metrics and test results cleared. */
int db_submission_requeue(struct db *db, int64_t id);
/* Requeues every submission of a problem; *count (may be NULL) gets how many. */
int db_problem_requeue(struct db *db, int64_t problem_id, int64_t *count);
/* Ids of queued submissions after `after_id`, oldest first; returns how many (≤ max). */
size_t db_judge_pending(struct db *db, int64_t after_id, int64_t *ids, size_t max);
/* queued -> compiling: a judging attempt begins. *token identifies the attempt
   (pass it to the calls below; they do nothing for an attempt that a rejudge
   has overtaken and return DB_E_NOT_FOUND). DB_E_NOT_FOUND if the submission
   is gone or no longer queued; -EIO when the database fails. */
int db_judge_begin(struct db *db, int64_t id, int64_t *token /* OUT */, int *attempt /* OUT: 1 for the first */);
/* compiling -> running, keeping the compiler's messages. */
int db_judge_compiled(struct db *db, int64_t id, int64_t token, const char *compile_output);
/* Records a finished test (and the running metrics: max time, max memory, tests passed). */
int db_judge_test(struct db *db, int64_t id, int64_t token, int idx, const char *group, const char *verdict,
		  int64_t time_ms, int64_t memory_kb, bool passed);
/* -> done with the verdict; score < 0 means none; compile_output may be NULL to keep the stored one. */
int db_judge_finish(struct db *db, int64_t id, int64_t token, const char *verdict, double score, int64_t time_ms,
		    int64_t memory_kb, int64_t tests_passed, const char *compile_output, const char *judge_log);
/* The attempt goes back to queued (verdict, metrics and test results cleared)
   with `attempts` attempts counted as used; the judge's retry rule says how
   many. DB_E_NOT_FOUND when the attempt was overtaken. */
int db_judge_requeue(struct db *db, int64_t id, int64_t token, int attempts);
/* Submissions left compiling or running by a stopped server go back to queued. Returns how many. */
int64_t db_judge_recover(struct db *db);

/* What a worker needs to judge a submission: language, source, problem id. */
struct db_job {
	int64_t problem_id;
	char language[64];
	char *source; /* malloc'd */
};
int db_job_load(struct db *db, int64_t id, struct db_job *out);
