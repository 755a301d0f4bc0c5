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
 * which is logged) for system failures, and the positive DB_E_* codes of
 * errors.h for outcomes the caller must handle. */
#pragma once
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errors.h" /* DB_E_NOT_FOUND, DB_E_CONFLICT, DB_E_BUSY, DB_E_NEWER */

struct db;

/* On the functions whose int result is an outcome the caller must look at. */
#define DB_MUST_CHECK __attribute__((warn_unused_result))

/* Opens (creating if needed) DIR/verdict.db and applies pending migrations.
   With `exclusive` (the server) it first takes the data dir's lock, so that a
   second server refuses to start; command-line tools share the database.
   On failure returns non-zero with *err set (malloc'd, one line). */
DB_MUST_CHECK int db_open(const char *dir, bool exclusive, struct db **out, char **err);
/* Opens an existing database read-only, without lock or migrations (judge workers). */
DB_MUST_CHECK int db_open_readonly(const char *dir, struct db **out, char **err);
/* A consistent copy of DIR's database (a running server's too: one read
   transaction, judging goes on) in the file dest, checked, written whole or
   not at all; *seq: the seq it stands at (db_backup.c). */
DB_MUST_CHECK int db_backup(const char *dir, const char *dest, int64_t *seq, char **err);
/* Makes a backup file DIR's database. Refuses a data dir a server holds
   (DB_E_BUSY) and, unless replace, one that has a database (DB_E_CONFLICT). */
DB_MUST_CHECK int db_restore(const char *file, const char *dir, bool replace, int64_t *seq, char **err);
/* Applies migrations up to and including version `upto` only (tests of upgrades). */
DB_MUST_CHECK int db_open_upto(const char *dir, int upto, struct db **out, char **err);
void db_close(struct db *db);

/* ---- the change log (db.c) ----
   Every change of any object takes the next value of the global counter
   `seq` in its transaction and is recorded as (kind, id, seq) with the scope
   the object is visible in; the log keeps each object's latest change. What
   is logged: a submission in its problem's scope; a problem (create, update,
   delete) visible everywhere; a user (create, password set) in its own scope
   (DB_KIND_USER, its id: that user and admins). A deleted problem stays in the
   log as a tombstone (`deleted`) at the seq of its delete, after a change of
   each contest it was in (in the same transaction); a deleted submission
   leaves it. */

/* DB_KIND_SESSION: some sessions of the user (id) ended; scope: that user. */
/* Contest objects (db_contests.c, db_teams.c, db_clarifications.c): a
   contest, in its own scope (DB_KIND_CONTEST, its id); a team, organization,
   team group or clarification in its contest's scope; a submission made in a
   contest in its contest's scope, through judging and rejudging too (never
   its problem's: contest submissions stay off the problem topics, whose
   readers are not the contest's). Readers decide what of a scope a viewer
   may see. */
enum db_kind {
	DB_KIND_NONE,
	DB_KIND_PROBLEM,
	DB_KIND_USER,
	DB_KIND_SUBMISSION,
	DB_KIND_SESSION,
	DB_KIND_CONTEST,
	DB_KIND_TEAM,
	DB_KIND_ORGANIZATION,
	DB_KIND_TEAM_GROUP,
	DB_KIND_CLARIFICATION,
	/* id: a contest, in its scope: the contest's state (clock.c's phase:
	   started, frozen, ended, thawed, finalized) moved, by the clock or by
	   an action; logged once per moment, with the thaw's re-log of the
	   submissions the freeze hid (the CLICS `state` notification). */
	DB_KIND_CONTEST_STATE,
	/* Only a scope: a jury submission (db_jury.c) is logged in (DB_KIND_JURY,
	   its problem), which no problem topic, list or contest reads. */
	DB_KIND_JURY,
};

/* One finished test of a submission. Strings are borrowed. */
struct db_test_result {
	int index;
	const char *group;
	const char *verdict;
	int64_t time_ms;
	int64_t memory_kb;
};

struct db_change {
	enum db_kind kind;
	int64_t id;
	int64_t seq;
	enum db_kind scope_kind;     /* a submission: DB_KIND_PROBLEM; DB_KIND_NONE: visible everywhere */
	int64_t scope_id;
	const struct db_test_result *test; /* the test a submission change finished, or NULL */
	bool deleted;                /* the change deleted the object (its tombstone in the log) */
};

/* Called after each commit that changed objects, once per change, in seq
   order, while the writer lock is still held (so calls never overlap and
   never reorder, and a read from any connection sees the committed state).
   `change` is borrowed. The hook must be quick and must not call the
   database's write functions. Set it before any thread starts. */
typedef void (*db_change_hook)(void *ctx, struct db *db, const struct db_change *change);
void db_set_change_hook(struct db *db, db_change_hook hook, void *ctx);
/* Up to `max` changes after `seq`, in seq order, of objects of `kind` (DB_KIND_NONE:
   any) visible in the scope (DB_KIND_NONE: any scope). Returns how many; their
   `test` is NULL. */
size_t db_changes_since(struct db *db, enum db_kind kind, enum db_kind scope_kind, int64_t scope_id, int64_t seq,
			struct db_change *out, size_t max);
/* Number of the newest applied migration. */
int db_schema_version(struct db *db);
/* The last value of the global change counter. */
int64_t db_seq(struct db *db);

/* ---- users and sessions (db_users.c) ---- */

enum db_role { DB_ROLE_USER, DB_ROLE_JURY, DB_ROLE_ADMIN };

struct db_user {
	int64_t id;
	char username[64];
	bool admin;        /* role == DB_ROLE_ADMIN */
	enum db_role role; /* jury: sees and answers everything of contests, cannot manage users */
};
/* "admin", "jury" or "user". */
const char *db_role_name(enum db_role role);

DB_MUST_CHECK int db_user_create(struct db *db, const char *username, const char *password_hash, bool admin,
		   int64_t *id /* OUT */);
/* Returns the user and, when hash is not NULL, a malloc'd copy of the password hash. */
DB_MUST_CHECK int db_user_by_name(struct db *db, const char *username, struct db_user *out, char **hash);
DB_MUST_CHECK int db_user_get(struct db *db, int64_t id, struct db_user *out);
/* db_user_create with any role. */
DB_MUST_CHECK int db_user_create_role(struct db *db, const char *username, const char *password_hash,
				      enum db_role role, int64_t *id /* OUT */);
DB_MUST_CHECK int db_user_set_password(struct db *db, int64_t id, const char *password_hash);
/* A user as listed: the user and when it was made (RFC 3339). */
struct db_user_row {
	struct db_user user;
	char created_at[32];
};
/* One page of users by id, and how many there are in all. */
struct db_user_list {
	struct db_user_row *items;
	size_t count;
	int64_t total;
};
/* A page of users (page from 1). Never NULL; free with db_user_list_free. */
struct db_user_list *db_users_list(struct db *db, int page, int per_page);
void db_user_list_free(struct db_user_list *list);
int64_t db_user_count(struct db *db);

DB_MUST_CHECK int db_session_create(struct db *db, const unsigned char token_hash[32], int64_t user_id, int64_t expires_at);
/* Finds the user of a live session; DB_E_NOT_FOUND when unknown or expired. */
DB_MUST_CHECK int db_session_user(struct db *db, const unsigned char token_hash[32], int64_t now, struct db_user *out);
/* Ends a session: logs a DB_KIND_SESSION change of its user, as
   db_user_set_password does for all of them. */
DB_MUST_CHECK int db_session_delete(struct db *db, const unsigned char token_hash[32]);
/* Whether a session is live now, uncached (the change hook may run before the
   cache sees an end): 0 with its *expires_at, or DB_E_NOT_FOUND. */
DB_MUST_CHECK int db_session_expiry(struct db *db, const unsigned char token_hash[32], int64_t now,
				    int64_t *expires_at);

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
	const char *package_id;    /* an import: the package's identity (NULL: none known); files below
	                              replace the stored ones. Not an import (JSON): both kept */
	bool from_package;
	const struct db_problem_file *files;
	size_t file_count;
};

/* A file served with a problem's statement (its PDF, its images). */
struct db_problem_file {
	const char *name;          /* "statement.pdf", "figure.png" */
	const char *content_type;
	const void *data;
	size_t len;
};

/* Inserts a problem; DB_E_CONFLICT if the slug is taken. */
DB_MUST_CHECK int db_problem_create(struct db *db, const struct db_problem *p, int64_t *id /* OUT */);
/* Replaces a problem's fields (and tests when replace_tests); DB_E_NOT_FOUND, DB_E_CONFLICT. */
DB_MUST_CHECK int db_problem_update(struct db *db, int64_t id, const struct db_problem *p);
DB_MUST_CHECK int db_problem_delete(struct db *db, int64_t id);
DB_MUST_CHECK int db_problem_id_by_slug(struct db *db, const char *slug, int64_t *id /* OUT */);
/* The identity of the package problem id was imported from (malloc'd), NULL
   in *out when none is known; DB_E_NOT_FOUND. */
DB_MUST_CHECK int db_problem_package_id(struct db *db, int64_t id, char **out /* OUT */);
/* One file of a problem's statement (db_problem_file_free it); DB_E_NOT_FOUND. */
DB_MUST_CHECK int db_problem_file_get(struct db *db, int64_t problem_id, const char *name,
				      struct db_problem_file **out /* OUT */);
void db_problem_file_free(struct db_problem_file *f);
/* The names of a problem's statement files, in name order (free each and the array). */
size_t db_problem_file_names(struct db *db, int64_t problem_id, char ***names /* OUT */);
bool db_problem_exists(struct db *db, int64_t id);
/* A sample test as shown to users: input and answer (NUL-terminated after len). */
struct db_sample {
	char *input;
	size_t input_len;
	char *output;
	size_t output_len;
};

/* A test group: its name, the sum of its tests' points, how many tests. */
struct db_group {
	char *name;
	double points;
	int64_t test_count;
};

/* A stored problem. The summary fields are always set; the rest only when
   read `full` (else NULL / 0). Strings are malloc'd and owned by the row. */
struct db_problem_row {
	int64_t id;
	char *slug;
	char *title;
	int64_t time_limit_ms;
	int64_t memory_limit_kb;
	/* full only */
	char *statement;
	char *statement_format;    /* "markdown" or "text" */
	int64_t output_limit_kb;
	char *checker_json;        /* the checker object, serialised as stored */
	char *created_at;
	char *updated_at;
	struct db_sample *samples; /* in run order */
	size_t sample_count;
	double total_points;       /* the sum of every test's points */
	const char *scoring;       /* "icpc" or "ioi": storage leaves it NULL; the caller sets it from
	                              judge/scoring.h (scoring_kind_for), and the view shows it when set */
	struct db_group *groups;   /* in run order of their first test */
	size_t group_count;
	int64_t test_count;
};

/* One page of problems (summary rows) by id, and how many there are in all. */
struct db_problem_list {
	struct db_problem_row *items;
	size_t count;
	int64_t total;
};

/* A problem: the summary, or everything users may see when `full` (hidden
   tests never). NULL if not found; free with db_problem_row_free. */
struct db_problem_row *db_problem_get(struct db *db, int64_t id, bool full);
void db_problem_row_free(struct db_problem_row *row);
/* A page of problems (page from 1). Never NULL; free with db_problem_list_free. */
struct db_problem_list *db_problems_list(struct db *db, int page, int per_page);
/* The same without the problems whose ids are in except (any order). */
struct db_problem_list *db_problems_list_except(struct db *db, int page, int per_page, const int64_t *except,
						size_t except_count);
void db_problem_list_free(struct db_problem_list *list);

/* One test as the judge sees it (no data: see db_test_data). */
struct db_judging_test {
	int idx;
	char *group;
	double points;
	bool sample;
};

/* Everything a judge needs to judge one submission of a problem. */
struct db_problem_judging {
	int64_t id;
	int64_t time_limit_ms;
	int64_t memory_limit_kb;
	int64_t output_limit_kb;
	char *checker_json;        /* the checker object, serialised as stored */
	bool has_validator;
	struct db_judging_test *tests; /* in run order */
	size_t test_count;
	double total_points;       /* the sum of every test's points (judge/scoring.h decides the kind) */
};

/* NULL if not found; free with db_problem_judging_free. */
struct db_problem_judging *db_problem_judging(struct db *db, int64_t id);
void db_problem_judging_free(struct db_problem_judging *pj);
/* Copies one test's input and answer (malloc'd) for the judge. */
DB_MUST_CHECK int db_test_data(struct db *db, int64_t problem_id, int idx, char **input, size_t *input_len,
		 char **output, size_t *output_len);
/* Every test of a problem in run order, hidden ones too, with its data (the
   export of a problem package). The row's pointers are valid during the call
   only; fn must not use the database. 0, or DB_E_NOT_FOUND with no tests. */
typedef void (*db_test_fn)(void *ctx, const struct db_test *t);
DB_MUST_CHECK int db_problem_tests(struct db *db, int64_t problem_id, db_test_fn fn, void *ctx);
/* The custom validator: program (malloc'd), its language and flags (malloc'd); DB_E_NOT_FOUND if none. */
DB_MUST_CHECK int db_problem_validator(struct db *db, int64_t problem_id, char **data, size_t *len, char **language, char **flags);

/* ---- submissions (db_submissions.c) ---- */

/* A submission as stored. Strings are borrowed from the row they were read
   from (see each function), verdict and judged_at NULL until done. */
struct db_submission {
	int64_t id;
	int64_t seq;                /* of its latest change */
	int64_t problem_id;
	int64_t user_id;
	const char *user;           /* the owner's name */
	const char *language;
	const char *status;         /* queued, compiling, running, done */
	const char *verdict;
	bool has_score, has_time, has_memory;
	double score;
	int64_t time_ms, memory_kb;
	int64_t tests_passed, tests_total;
	const char *created_at;
	const char *judged_at;
	/* In a contest (else contest_id 0): its team (0 once the team is gone),
	   when it was made (ms since the epoch), whether it came after the end
	   (practice: judged, never counted) and its problem's label there. */
	int64_t contest_id, team_id, submitted_ms;
	bool practice;
	const char *problem_label;
	bool jury;                  /* a jury submission of the problem's package: admins only */
	const char *entry_point;    /* of a multi-file submission, as given; else NULL */
	/* With DB_SUBMISSION_DETAILS: */
	const char *compile_output;
	const struct db_test_result *tests; /* in run order */
	size_t test_count;
	/* With DB_SUBMISSION_DETAILS, the tests that left something for the team: */
	const struct db_test_feedback *feedback; /* by index */
	size_t feedback_count;
	/* With DB_SUBMISSION_SOURCE: */
	const char *source;         /* may hold NUL bytes: source_len is its length */
	size_t source_len;
	const char *files;          /* multi-file: JSON [{"name", "content"}]; else NULL */
	void *mem;                  /* what db_submission_release frees */
	void *feedback_mem;
};

/* What a failed test left for the team: on a sample test its output beside
   the expected one, and the validator's team message. NULs inside are kept
   (each is NUL-terminated after its length); absent ones are NULL. */
struct db_test_feedback {
	int index;
	const char *output;
	size_t output_len;
	const char *expected;       /* the sample's answer, up to DB_FEEDBACK_OUTPUT_MAX */
	size_t expected_len;
	const char *team_message;
};
#define DB_FEEDBACK_OUTPUT_MAX (64 * 1024)
#define DB_FEEDBACK_MESSAGE_MAX 4096

enum { DB_SUBMISSION_DETAILS = 1, DB_SUBMISSION_SOURCE = 2 };
/* Reads one submission (with the parts asked for); its strings are its own
   until db_submission_release. DB_E_NOT_FOUND if there is none. */
DB_MUST_CHECK int db_submission_get(struct db *db, int64_t id, unsigned parts, struct db_submission *out);
/* Frees what db_submission_get or db_submission_create filled in. NULL is fine. */
void db_submission_release(struct db_submission *s);
/* Called per row of a list; the row's strings are valid during the call only. */
typedef void (*db_submission_fn)(void *ctx, const struct db_submission *s);

/* A user's submission quota, checked in the transaction that stores the submission. */
struct db_submit_limits {
	int per_minute;          /* submissions in any 60 s; 0: no limit */
	int queued;              /* submissions not yet judged (rejudges aside); 0: no limit */
	const char *refused;     /* OUT: on DB_E_LIMITED, "per_minute" or "queued" */
	int retry_after;         /* OUT: on DB_E_LIMITED, seconds until one more fits (an estimate for "queued") */
};

/* Stores a new queued submission unless it goes over lim (NULL: no limits),
   then DB_E_LIMITED with lim's OUT fields set. *created (may be NULL) gets it
   as committed, before any judging can change it (release it). */
DB_MUST_CHECK int db_submission_create(struct db *db, int64_t problem_id, int64_t user_id, const char *language,
			 const char *source, struct db_submit_limits *lim, int64_t *id /* OUT */,
			 struct db_submission *created /* OUT */);
/* Pages of submissions, newest first: fn is called per row, then *total gets
   the count of all pages (one snapshot). They are the hottest reads, so rows
   go straight from the statement to fn. A problem's submissions:
   DB_E_NOT_FOUND (and no call) when the problem does not exist. The list:
   filters are optional (0 / NULL = any); it cannot fail (returns 0, so it is
   not marked DB_MUST_CHECK). */
DB_MUST_CHECK int db_problem_submissions(struct db *db, int64_t problem_id, int page, int per_page, db_submission_fn fn,
			   void *ctx, int64_t *total /* OUT */);
int db_submissions_list(struct db *db, int64_t problem_id, int64_t user_id, const char *verdict, int page,
			int per_page, db_submission_fn fn, void *ctx, int64_t *total /* OUT */);
/* Submissions changed after `seq` (from the change log), in seq order, at most
   `limit`, within a problem (problem_id) or one submission (submission_id;
   0 = any): fn gets the current state of each. Returns how many. */
int db_submissions_changed(struct db *db, int64_t problem_id, int64_t submission_id, int64_t seq, int limit,
			   db_submission_fn fn, void *ctx);
/* Counts by status, for /metrics: queued, compiling, running, done. */
DB_MUST_CHECK int db_submission_status_counts(struct db *db, int64_t counts[4]);

/* ---- judging (db_judge.c): every change takes a new seq ---- */

/* Puts a submission back to queued (rejudge): verdict, metrics and test results
   cleared; it waits behind fresh submissions until judged. */
DB_MUST_CHECK int db_submission_requeue(struct db *db, int64_t id);
/* Requeues every submission of a problem; *count (may be NULL) gets how many. */
DB_MUST_CHECK int db_problem_requeue(struct db *db, int64_t problem_id, int64_t *count);
/* Ids of the first max queued submissions in judging order: fresh ones before
   rejudges, in rounds (turns by queue key, given at submission: a contest
   submission's team, else its user; one key's backlog waits behind another's
   first submission), then oldest first. Returns how many (<= max). */
size_t db_judge_pending(struct db *db, int64_t *ids, size_t max);
/* queued -> compiling: a judging attempt begins. *token identifies the attempt
   (pass it to the calls below; they do nothing for an attempt that a rejudge
   has overtaken and return DB_E_NOT_FOUND). DB_E_NOT_FOUND if the submission
   is gone or no longer queued; -EIO when the database fails. */
DB_MUST_CHECK int db_judge_begin(struct db *db, int64_t id, int64_t *token /* OUT */, int *attempt /* OUT: 1 for the first */);
/* compiling -> running, keeping the compiler's messages. */
DB_MUST_CHECK int db_judge_compiled(struct db *db, int64_t id, int64_t token, const char *compile_output);
/* Records a finished test (and the running metrics: max time, max memory, tests passed). */
DB_MUST_CHECK int db_judge_test(struct db *db, int64_t id, int64_t token, int idx, const char *group, const char *verdict,
		  int64_t time_ms, int64_t memory_kb, bool passed);
/* What test idx (already recorded) left for the team: output (a sample's, at
   most DB_FEEDBACK_OUTPUT_MAX bytes kept) and team_message (at most
   DB_FEEDBACK_MESSAGE_MAX), either NULL. */
DB_MUST_CHECK int db_judge_test_feedback(struct db *db, int64_t id, int64_t token, int idx, const char *output,
					 size_t output_len, const char *team_message);
/* -> done with the verdict; score < 0 means none; compile_output may be NULL to keep the stored one. */
DB_MUST_CHECK int db_judge_finish(struct db *db, int64_t id, int64_t token, const char *verdict, double score, int64_t time_ms,
		    int64_t memory_kb, int64_t tests_passed, const char *compile_output, const char *judge_log);
/* The attempt goes back to queued (verdict, metrics and test results cleared)
   with `attempts` attempts counted as used; the judge's retry rule says how
   many. DB_E_NOT_FOUND when the attempt was overtaken. */
DB_MUST_CHECK int db_judge_requeue(struct db *db, int64_t id, int64_t token, int attempts);
/* Submissions left compiling or running by a stopped server go back to queued. Returns how many. */
int64_t db_judge_recover(struct db *db);

/* What a worker needs to judge a submission: language, source, problem id. */
struct db_job {
	int64_t problem_id;
	char language[64];
	char *source; /* malloc'd, NUL-terminated after source_len (may hold NULs itself) */
	size_t source_len;
	int64_t time_limit_ms; /* a jury submission's provisional limit, else 0: the problem's */
	char *files;  /* malloc'd JSON [{"name", "content"}] of a multi-file submission, else NULL */
	char *entry_point; /* malloc'd, or NULL */
};
DB_MUST_CHECK int db_job_load(struct db *db, int64_t id, struct db_job *out);

/* ---- jury submissions (db_jury.c, migration 009) ----
   A problem package's own submissions/: judged through the queue as jury
   submissions (submissions.jury, logged in the DB_KIND_JURY scope of their
   problem, left out of every list and count), each with the verdicts it may
   get. A problem without a time limit in its package has its limit derived
   from them (state "pending" until then; judge/jury.c says how). */

/* One jury submission as written. Borrowed. language NULL: not judged (note says why). */
struct db_jury_entry {
	const char *path;          /* under submissions/ */
	const char *expected;      /* verdicts allowed, comma-separated: "AC", "WA", "RTE,TLE" */
	const char *language;
	const char *source;
	const char *note;          /* "" or why it is not judged */
};

/* How a problem's time limit comes about. state: "given" (the package's),
   "pending" (to be derived once every jury submission is judged), "derived",
   "none" (no accepted jury submission to derive it from). */
struct db_jury_limits {
	char state[12];
	double ac_to_time_limit, time_limit_to_tle, time_resolution;
	int64_t slowest_ac_ms;     /* derived: the slowest accepted jury run; else -1 */
};

/* Replaces the problem's jury submissions (old ones deleted) and its limits
   state in one transaction. Each entry with a language becomes a queued jury
   submission of owner_id judged with a limit of its own: an entry expecting
   exactly AC with ac_limit_ms, any other with rest_limit_ms, or, when that
   is 0, later (db_jury_limits_settle). DB_E_NOT_FOUND: no problem or owner. */
DB_MUST_CHECK int db_jury_replace(struct db *db, int64_t problem_id, int64_t owner_id,
				  const struct db_jury_entry *entries, size_t count,
				  const struct db_jury_limits *limits, int64_t ac_limit_ms, int64_t rest_limit_ms);
/* The problem's limits state; DB_E_NOT_FOUND when it has none (imported before, or written as JSON). */
DB_MUST_CHECK int db_jury_limits_get(struct db *db, int64_t problem_id, struct db_jury_limits *out);
/* Ends a pending state: stores state ("derived" or "none"), slowest_ac_ms and,
   when time_limit_ms > 0, the problem's new time limit (a logged problem
   change); queues the jury submissions left for later with rest_limit_ms.
   DB_E_NOT_FOUND when the state is no longer pending. */
DB_MUST_CHECK int db_jury_limits_settle(struct db *db, int64_t problem_id, const char *state, int64_t slowest_ac_ms,
					int64_t time_limit_ms, int64_t rest_limit_ms);
/* One jury submission as read; strings valid during the callback only.
   submission_id 0: not judged (note), or not yet (language set). */
struct db_jury_row {
	int64_t id, submission_id;
	const char *path, *expected, *note, *language; /* language "" when none */
	int64_t time_limit_ms;     /* what it is judged with, 0 if none yet */
};
typedef void (*db_jury_fn)(void *ctx, const struct db_jury_row *row);
/* The problem's jury submissions in package order. Returns how many. */
int db_jury_list(struct db *db, int64_t problem_id, db_jury_fn fn, void *ctx);
/* The problem of a jury submission: 0, or DB_E_NOT_FOUND if it is none. */
DB_MUST_CHECK int db_jury_problem_of(struct db *db, int64_t submission_id, int64_t *problem_id /* OUT */);
/* Up to max problems whose time limit is pending. Returns how many. */
size_t db_jury_pending_problems(struct db *db, int64_t *ids, size_t max);
/* Whether any jury submission of the problem is not judged yet. */
bool db_jury_pending(struct db *db, int64_t problem_id);

/* ---- contests (db_contests.c) ----
   Times are ms since the epoch; 0 means unset. Strings of a read struct are
   its own until its release function; in a write they are borrowed. */

/* A problem in a contest. In a write only problem_id, label, color and
   max_score are read, and ordinal is the position in the array. */
struct db_contest_problem {
	int64_t problem_id;
	const char *label;
	int ordinal;               /* 1, 2, ... in contest order */
	const char *color;         /* "#rrggbb" or "" */
	bool has_max_score;
	double max_score;          /* score contests */
	const char *slug, *title;  /* read only */
};

struct db_contest {
	int64_t id;                /* read only */
	int64_t seq;               /* read only: of its latest change */
	const char *shortname;     /* the CLICS id, [a-z0-9_-]{1,36} (checked by the caller) */
	const char *name;
	const char *formal_name;   /* "" if none */
	int64_t start_ms;          /* 0: not scheduled */
	int64_t countdown_pause_ms;/* a paused countdown's time left (start_ms is then 0); 0: none */
	int64_t duration_ms;
	int64_t freeze_ms;         /* scoreboard_freeze_duration; 0: no freeze */
	const char *scoring;       /* "icpc" or "ioi" */
	const char *ioi_mode;      /* "max_submission" or "max_subtasks" */
	int64_t penalty_min;
	bool public_;              /* visible without a session and to everyone */
	bool practice_after_end;
	bool classroom;            /* a user who submits gets a team of their own */
	int64_t frozen_at_ms;      /* set by "freeze now"; 0: the scheduled freeze applies */
	int64_t thaw_at_ms;        /* set by "thaw"; 0: not thawed */
	int64_t finalized_at_ms;
	int gold, silver, bronze;  /* medal counts for awards */
	const char *created_at, *updated_at; /* read only */
	const struct db_contest_problem *problems; /* in order */
	size_t problem_count;
	void *mem;                 /* what db_contest_release frees */
};

/* Inserts a contest with its problems; DB_E_CONFLICT if the shortname or a
   label is taken, DB_E_NOT_FOUND if a problem does not exist. */
DB_MUST_CHECK int db_contest_create(struct db *db, const struct db_contest *c, int64_t *id /* OUT */);
/* Replaces every writable field and the problem set. The times set by actions
   (frozen_at_ms, thaw_at_ms, finalized_at_ms) are written as given too. */
DB_MUST_CHECK int db_contest_update(struct db *db, int64_t id, const struct db_contest *c);
/* Deletes a contest, its teams, groups, organizations and clarifications; its
   submissions stay as plain ones, each logged again in its problem's scope.
   The contest leaves a tombstone; its scope's other rows leave the log. */
DB_MUST_CHECK int db_contest_delete(struct db *db, int64_t id);
DB_MUST_CHECK int db_contest_get(struct db *db, int64_t id, struct db_contest *out);
DB_MUST_CHECK int db_contest_by_shortname(struct db *db, const char *shortname, int64_t *id /* OUT */);
void db_contest_release(struct db_contest *c);
/* Every contest by id; fn gets each (valid during the call). */
typedef void (*db_contest_fn)(void *ctx, const struct db_contest *c);
void db_contests_list(struct db *db, db_contest_fn fn, void *ctx);
/* The contests a problem is in, by id (up to max). Returns how many. */
size_t db_problem_contests(struct db *db, int64_t problem_id, int64_t *ids, size_t max);

/* What an action changes: one time field, in one logged change of the contest
   (0 unsets it; a duration of 0 is -EINVAL). Setting a start clears a paused
   countdown, and pausing the countdown clears the start. */
enum db_contest_time { DB_CONTEST_START, DB_CONTEST_COUNTDOWN_PAUSE, DB_CONTEST_DURATION, DB_CONTEST_FROZEN_AT,
		       DB_CONTEST_THAW_AT, DB_CONTEST_FINALIZED_AT };
DB_MUST_CHECK int db_contest_set_time(struct db *db, int64_t id, enum db_contest_time field, int64_t value_ms);
/* What stops a finalize: contest submissions not yet judged (queued,
   compiling, running), judged JE, and team requests without a reply. */
struct db_contest_blockers {
	int64_t pending, judge_errors, unanswered;
};
DB_MUST_CHECK int db_contest_blockers(struct db *db, int64_t id, struct db_contest_blockers *out);

/* The contest's state at a moment (db_contest_state.c), in one transaction:
   unless it is the state last logged, stores it and logs a
   DB_KIND_CONTEST_STATE change of the contest (in its scope), and when the
   freeze hid results before (from the stored hidden_from on) and no longer
   hides them (hidden_from_ms 0, or later), logs each submission made in
   between again, after the state change: then every reader that may now
   see their results gets them as changes. `phase` is clock.c's name of the
   phase; hidden_from_ms the freeze moment while it hides results, else 0.
   *logged says whether anything was logged. DB_E_NOT_FOUND: no contest. */
DB_MUST_CHECK int db_contest_log_state(struct db *db, int64_t id, const char *phase, int64_t hidden_from_ms,
				       bool *logged /* OUT */);

/* ---- contest submissions (db_submissions.c) ---- */

/* Where a new submission goes: the contest (0: none), its team, when it was
   made, and whether it is practice after the end. */
struct db_submit_context {
	int64_t contest_id, team_id, submitted_ms;
	bool practice;
};
/* A multi-file submission: its files as JSON [{"name", "content"}] and the
   entry point given (NULL: none). `source` is then the entry file's content. */
struct db_submit_files {
	const char *json, *entry_point;
};
/* db_submission_create in a contest (ctx NULL: the same as db_submission_create).
   The change is logged in the contest's scope. */
DB_MUST_CHECK int db_submission_create_in(struct db *db, int64_t problem_id, int64_t user_id, const char *language,
					  const char *source, const struct db_submit_context *ctx,
					  struct db_submit_limits *lim, int64_t *id /* OUT */,
					  struct db_submission *created /* OUT */);
/* The same taking the id `want` (0: the next; a CLICS PUT gives one), and a
   source of source_len bytes (which may hold NULs):
   DB_E_CONFLICT when it is not above every submission id given out so far. */
DB_MUST_CHECK int db_submission_create_as(struct db *db, int64_t problem_id, int64_t user_id, const char *language,
					  const char *source, size_t source_len,
					  const struct db_submit_context *ctx, int64_t want,
					  struct db_submit_limits *lim, int64_t *id /* OUT */,
					  struct db_submission *created /* OUT */);
/* db_submission_create_as of a multi-file submission (files NULL: the same). */
DB_MUST_CHECK int db_submission_create_files(struct db *db, int64_t problem_id, int64_t user_id, const char *language,
					     const char *source, size_t source_len, const struct db_submit_files *files,
					     const struct db_submit_context *ctx, int64_t want,
					     struct db_submit_limits *lim, int64_t *id, struct db_submission *created);
/* A page of a contest's submissions, newest first, optionally of one team and
   one problem (0 = any; team_id DB_TEAMS_ONLY: of every team, none without a
   team). Rows as for db_submissions_list. */
#define DB_TEAMS_ONLY (-1)
DB_MUST_CHECK int db_contest_submissions(struct db *db, int64_t contest_id, int64_t team_id, int64_t problem_id,
					 int page, int per_page, db_submission_fn fn, void *ctx,
					 int64_t *total /* OUT */);
/* A contest's submissions (of one team, 0 = any) changed after seq, in seq
   order, at most limit. Returns how many. */
int db_contest_submissions_changed(struct db *db, int64_t contest_id, int64_t team_id, int64_t seq, int limit,
				   db_submission_fn fn, void *ctx);

/* ---- teams, organizations, team groups (db_teams.c) ----
   All in one contest. Writes name their references by key (organization,
   groups) and username (members); on DB_E_NOT_FOUND *missing (when not NULL)
   points at the name that does not exist, and on DB_E_CONFLICT at the key,
   label or member that is taken (a user is in at most one team per contest). */

struct db_organization {
	int64_t id, contest_id, seq; /* read only */
	const char *key, *name, *formal_name, *country; /* "" when none */
	const char *icpc_id;         /* NULL when none */
	void *mem;
};

struct db_team_group {
	int64_t id, contest_id, seq; /* read only */
	const char *key, *name, *type; /* "" when none */
	bool hidden;
	const char *icpc_id;
	void *mem;
};

struct db_team {
	int64_t id, contest_id, seq; /* read only */
	const char *key, *label, *name;
	const char *display_name;    /* "" when none */
	const char *organization;    /* its key, or NULL */
	bool hidden;
	const char *icpc_id;
	const char *const *groups;   /* keys */
	size_t group_count;
	const char *const *members;  /* usernames */
	size_t member_count;
	void *mem;
};

DB_MUST_CHECK int db_team_create(struct db *db, int64_t contest_id, const struct db_team *t, int64_t *id /* OUT */,
				 const char **missing);
DB_MUST_CHECK int db_team_update(struct db *db, int64_t id, const struct db_team *t, const char **missing);
DB_MUST_CHECK int db_team_delete(struct db *db, int64_t id);
DB_MUST_CHECK int db_team_get(struct db *db, int64_t id, struct db_team *out);
void db_team_release(struct db_team *t);
typedef void (*db_team_fn)(void *ctx, const struct db_team *t);
/* A contest's teams by id. */
void db_teams_list(struct db *db, int64_t contest_id, db_team_fn fn, void *ctx);
/* The team of a user in a contest: DB_E_NOT_FOUND if none. */
DB_MUST_CHECK int db_team_of_user(struct db *db, int64_t contest_id, int64_t user_id, int64_t *team_id /* OUT */);
/* A classroom contest's own team for a user: made (key and label = username,
   name = username) unless it exists. */
DB_MUST_CHECK int db_team_for_student(struct db *db, int64_t contest_id, int64_t user_id, int64_t *team_id /* OUT */);

typedef void (*db_organization_fn)(void *ctx, const struct db_organization *o);
void db_organizations_list(struct db *db, int64_t contest_id, db_organization_fn fn, void *ctx);
typedef void (*db_team_group_fn)(void *ctx, const struct db_team_group *g);
void db_team_groups_list(struct db *db, int64_t contest_id, db_team_group_fn fn, void *ctx);

/* A new account made by an import: username, password hash, role. */
struct db_account {
	const char *username, *password_hash;
	enum db_role role;
	const char *team;            /* the key of its team in this import or the contest, or NULL */
};
/* One import into a contest, all or nothing: organizations and groups
   (created, or updated by key), then teams (likewise, by key), then accounts
   (created; an existing username is DB_E_CONFLICT). */
struct db_import {
	const struct db_organization *organizations;
	size_t organization_count;
	const struct db_team_group *groups;
	size_t group_count;
	const struct db_team *teams;
	size_t team_count;
	const struct db_account *accounts;
	size_t account_count;
};
DB_MUST_CHECK int db_contest_import(struct db *db, int64_t contest_id, const struct db_import *imp,
				    const char **missing);

/* ---- clarifications (db_clarifications.c) ---- */

struct db_clarification {
	int64_t id, contest_id, seq; /* read only (seq: of its latest change) */
	int64_t from_team_id;        /* 0: from the jury */
	int64_t to_team_id;          /* 0: to the jury (a request) or to all */
	bool to_all;
	int64_t reply_to;            /* 0: none */
	int64_t problem_id;          /* 0: general */
	const char *problem_label;   /* read only: the label in the contest, or NULL */
	const char *text;
	int64_t time_ms;
	int64_t sender_user_id;
	bool answered;               /* read only: a request with a reply */
	void *mem;
};
/* Stores a clarification; a reply is logged as a change of the request too
   (its `answered`). DB_E_NOT_FOUND if the contest does not exist, or
   reply_to, a team or the problem is not the contest's, or the sender is no
   user; -EINVAL for a request from a team that is not to the jury alone. */
DB_MUST_CHECK int db_clarification_create(struct db *db, const struct db_clarification *c, int64_t *id /* OUT */);
/* The same taking the id `want` (0: the next): DB_E_CONFLICT when it is not
   above every clarification id given out so far. */
DB_MUST_CHECK int db_clarification_create_as(struct db *db, const struct db_clarification *c, int64_t want,
					     int64_t *id /* OUT */);
DB_MUST_CHECK int db_clarification_get(struct db *db, int64_t id, struct db_clarification *out);
void db_clarification_release(struct db_clarification *c);
typedef void (*db_clarification_fn)(void *ctx, const struct db_clarification *c);
/* A contest's clarifications by id that a viewer may see: team_id -1 every one
   (jury), 0 only those to all (public), else those from or to that team and
   those to all. */
void db_clarifications_list(struct db *db, int64_t contest_id, int64_t team_id, db_clarification_fn fn, void *ctx);
/* The same, changed after seq, in seq order, at most limit. Returns how many. */
int db_clarifications_changed(struct db *db, int64_t contest_id, int64_t team_id, int64_t seq, int limit,
			      db_clarification_fn fn, void *ctx);

/* ---- scoreboard input (db_board.c): owned by the contest part's boards ---- */

/* A contest submission as a scoreboard reads it. */
struct db_board_submission {
	int64_t id;
	int64_t seq;               /* of its latest change */
	int64_t contest_id;        /* 0: not (or no longer) in a contest */
	int64_t team_id;           /* 0: its team is gone */
	int64_t problem_id;
	int64_t submitted_ms;
	bool practice;             /* after the end: never counted */
	char status[12];           /* queued, compiling, running, done */
	char verdict[8];           /* "" until done */
	bool has_score;
	double score;
};
typedef void (*db_board_submission_fn)(void *ctx, const struct db_board_submission *s);
/* A contest's counted (non-practice) submissions of teams, in the order
   they were made (submitted_ms, then id), in one read. Returns how many,
   or -EIO. */
int db_board_submissions(struct db *db, int64_t contest_id, db_board_submission_fn fn, void *ctx);
/* One submission's row (also a practice one or one outside any contest: the
   caller decides); DB_E_NOT_FOUND if there is none. */
DB_MUST_CHECK int db_board_submission(struct db *db, int64_t id, struct db_board_submission *out);

/* One test group of a judged submission: the group's points and what it
   scored (its points when every test of it passed, else 0). `group` is
   valid during the call only. Groups come in the order of their first test. */
struct db_board_group {
	int64_t submission_id;
	const char *group;
	double points;
	double score;
};
typedef void (*db_board_group_fn)(void *ctx, const struct db_board_group *g);
/* The groups of every judged (done) counted submission of a contest, by
   submission id (IOI max of subtasks). Returns how many rows, or -EIO. */
int db_board_groups(struct db *db, int64_t contest_id, db_board_group_fn fn, void *ctx);
/* The same for one submission (nothing unless it is done). */
int db_board_submission_groups(struct db *db, int64_t submission_id, db_board_group_fn fn, void *ctx);
/* The seq a rebuilt board of the contest stands at: the newest change in
   the contest's scope (its submissions, teams, ...) or of the contest itself. */
int64_t db_board_seq(struct db *db, int64_t contest_id);
/* A contest's teams as its board shows them, by id: hidden when the team or
   any of its groups is hidden; group ids (up to DB_BOARD_TEAM_GROUPS).
   Strings are valid during the call only. Returns how many, or -EIO. */
#define DB_BOARD_TEAM_GROUPS 16
struct db_board_team {
	int64_t id;
	const char *key, *label, *name, *display_name, *icpc_id; /* icpc_id may be NULL */
	bool hidden;
	int64_t groups[DB_BOARD_TEAM_GROUPS];
	size_t group_count;
};
typedef void (*db_board_team_fn)(void *ctx, const struct db_board_team *t);
int db_board_teams(struct db *db, int64_t contest_id, db_board_team_fn fn, void *ctx);
/* The contest of a team; 0 if there is no such team. */
int64_t db_board_team_contest(struct db *db, int64_t team_id);
