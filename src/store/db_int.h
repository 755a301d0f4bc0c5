/* Internals shared by db*.c only: connections and the statement cache. */
#pragma once
#include <sqlite3.h>
#include <stdint.h>

#include "db.h"

struct db_conn;

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
   key), reset and with bindings cleared. Never NULL: a statement that does not
   prepare is a bug and aborts. */
sqlite3_stmt *db_stmt(struct db_conn *c, const char *sql);
sqlite3 *db_handle(struct db_conn *c);
/* Logs an SQLite failure with what was being done; returns -EIO. */
int db_fail(struct db_conn *c, const char *what);

/* Bumps the global change counter for a change of submission `id` (writer
   only) and returns the new value; the change is published after commit. */
int64_t db_next_seq(struct db_conn *c, int64_t id);
/* The id for a new row: one more than the largest ever given out under
   `counter` (remembered in the counters table) or than `largest` (the
   table's largest id now), whichever is larger; it is remembered in the same
   transaction. So the ids of deleted rows never come back (INTEGER PRIMARY
   KEY alone gives the largest id again once that row is gone). Writer only;
   -1 after an SQLite failure (logged). */
int64_t db_next_row_id(struct db_conn *c, const char *counter, int64_t largest);
/* Attaches a "test_result" message (stolen) to the last change of submission `id`. */
void db_change_test(struct db_conn *c, int64_t id, json_t *test);
/* For caches of database answers (the session cache in db_users.c): a number
   that tells this database from every other opened in the process, and a
   counter bumped after every commit that ended sessions. */
uint64_t db_serial(struct db *db);
uint64_t db_sessions_generation(struct db *db);
void db_sessions_changed(struct db *db);

/* The "submission_update" message of a submission, read through connection c. */
json_t *db_update_json(struct db_conn *c, int64_t id);

/* Column helpers: text as a new JSON string (invalid UTF-8 as U+FFFD), or null. */
json_t *db_col_string(sqlite3_stmt *st, int col);
json_t *db_col_int_or_null(sqlite3_stmt *st, int col);
json_t *db_col_real_or_null(sqlite3_stmt *st, int col);
