/* Internals shared by db*.c only: connections and the statement cache. */
#pragma once
#include <sqlite3.h>
#include <stdint.h>

#include "db.h"

struct db_conn;

/* Takes the data dir's lock (DIR/verdict.lock, flock, with our pid in it):
   0 and the open fd, or DB_E_BUSY naming the holder's pid, or -errno. */
int db_lock_dir(const char *dir, int *fd, char **err);

/* The calling thread's read connection. */
struct db_conn *db_reader(struct db *db);
/* Locks the writer connection and begins an IMMEDIATE transaction. */
struct db_conn *db_write_begin(struct db *db);
/* Commits when rc == 0, else rolls back; unlocks. Returns rc, or -EIO if the commit failed. */
int db_write_end(struct db *db, struct db_conn *c, int rc);

/* One read transaction around several statements on a reader connection:
   they see one snapshot (a page and its total agree), and the file locks
   are taken once instead of once per statement. */
void db_read_begin(struct db_conn *c);
void db_read_end(struct db_conn *c);

/* A prepared statement for `sql` (a string literal: its address is the cache
   key), reset and with bindings cleared. The cache grows with the number of
   statements. Never NULL: a statement that does not prepare is a bug and aborts. */
sqlite3_stmt *db_stmt(struct db_conn *c, const char *sql);
sqlite3 *db_handle(struct db_conn *c);
/* Logs an SQLite failure with what was being done; returns -EIO. */
int db_fail(struct db_conn *c, const char *what);

/* Records a change of object (kind, id), visible in the scope (scope_kind
   DB_KIND_NONE: everywhere): takes the next seq, logs it in the change log
   and queues it for the change hook, which sees it after commit (writer
   only). Returns the seq, or -1 after an SQLite failure (logged). Call it
   once per change of an object, in the transaction that makes the change. */
int64_t db_change(struct db_conn *c, enum db_kind kind, int64_t id, enum db_kind scope_kind, int64_t scope_id);
/* db_change for a delete: the object's row stays in the log as a tombstone
   (`deleted` set) at the new seq, so that a resumer learns it is gone. */
int64_t db_change_deleted(struct db_conn *c, enum db_kind kind, int64_t id, enum db_kind scope_kind,
			  int64_t scope_id);
/* db_change for submission `id`, in its problem's scope. 0 (nothing logged)
   if there is no such submission. Writer only. */
int64_t db_submission_change(struct db_conn *c, int64_t id);
/* Inserts a queued submission in c's write transaction and logs it (the
   contest's from ctx, else the jury's when `jury`, else the problem's scope);
   want and source_len as for db_submission_create_as, files (NULL: one source) as
   for db_submission_create_files. 0 with *id, DB_E_CONFLICT, DB_E_NOT_FOUND or -EIO. */
int db_submission_insert(struct db_conn *c, int64_t problem_id, int64_t user_id, const char *language,
			 const char *source, size_t source_len, const struct db_submit_files *files,
			 const struct db_submit_context *ctx, bool jury, int64_t want, int64_t *id);
/* The id for a new row: one more than the largest ever given out under
   `counter` (remembered in the counters table) or than `largest` (the
   table's largest id now), whichever is larger; it is remembered in the same
   transaction. So the ids of deleted rows never come back (INTEGER PRIMARY
   KEY alone gives the largest id again once that row is gone). Writer only;
   -1 after an SQLite failure (logged). */
int64_t db_next_row_id(struct db_conn *c, const char *counter, int64_t largest);
/* The same, or with want > 0 that id if it is above every id given out so
   far (then remembered as the largest); 0 when it is not. */
int64_t db_claim_row_id(struct db_conn *c, const char *counter, int64_t largest, int64_t want);
/* Attaches a finished test (copied) to the last change of submission `id`. */
void db_change_test(struct db_conn *c, int64_t id, const struct db_test_result *test);
/* For caches of database answers (the session cache in db_users.c): a number
   that tells this database from every other opened in the process, and a
   counter bumped after every commit that ended sessions. */
uint64_t db_serial(struct db *db);
uint64_t db_sessions_generation(struct db *db);
void db_sessions_changed(struct db *db);

/* Reads one row of a statement into item. */
typedef void (*db_row_fn)(sqlite3_stmt *st, void *item);
/* One page (from 1) of the rows of sql, whose LIMIT and OFFSET are ?1 and ?2:
   each row read by `read` into the next of *items (an array of per_page
   elements of `size` bytes, malloc'd, never NULL). Returns how many. */
size_t db_read_page(struct db_conn *c, const char *sql, int page, int per_page, size_t size, db_row_fn read,
		    void **items);
/* The integer in the first column of the first row of sql (a count, a max); 0 if none. */
int64_t db_query_int(struct db_conn *c, const char *sql);

/* Inserts a user and logs its change, in the caller's write transaction:
   DB_E_CONFLICT if the username is taken (db_users.c). */
int db_user_insert(struct db_conn *c, const char *username, const char *password_hash, enum db_role role,
		   int64_t *id /* OUT */);

/* Strings read for an object that owns them in one block (db_pack.c). */
/* The bytes a copy of str takes with its NUL (0 for NULL). */
size_t db_str_size(const char *str);
/* Copies str to *p and moves *p past it; NULL stays NULL. */
const char *db_str_copy(char **p, const char *str);
struct db_strlist {
	const char **items;
	size_t count;
};
/* The text of column 0 of every row of st (bound by the caller), copied; resets st. */
void db_strlist_read(sqlite3_stmt *st, struct db_strlist *out);
/* One malloc'd block (never NULL) holding copies of the strings *fields[i]
   (NULL stays NULL) and of every list; the fields and each list's items are
   repointed into it, and the lists' own copies are freed. The caller frees
   the block with free(). */
void *db_pack(const char **const fields[], size_t field_count, struct db_strlist *const lists[], size_t list_count);
