/* Database lifecycle: the data dir lock, connections, migrations, and the
 * prepared-statement cache used by db_users.c, db_problems.c and db_submissions.c.
 *
 * Each thread reads through its own connection (created on first use, kept in
 * thread-specific storage, closed when the thread exits or at db_close). Writes
 * go through the single writer connection, held under `write_lock` for the
 * length of one IMMEDIATE transaction. */
#include "db_int.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "embedded.h"
#include "log.h"
#include "util.h"

struct change {                /* one made by the open transaction */
	struct db_change change;
	struct db_test_result test;   /* change.test points here when set */
	char *test_group, *test_verdict; /* owned */
};

struct db_conn {
	sqlite3 *handle;
	struct db *db;
	struct change *changes; /* writer only: made by the open transaction */
	size_t change_count, change_cap;
	/* The statement cache: open addressing by the SQL literal's address, at
	   most half full, doubled when it would be more. */
	const char **keys;
	sqlite3_stmt **stmts;
	size_t slots, used; /* slots: 0 or a power of two */
	struct db_conn *next; /* in db->conns */
};

struct db {
	char *path;
	int lock_fd;
	bool readonly;
	struct db_conn *writer;
	bool write_refused;         /* BEGIN failed: the writer is query-only until db_write_end */
	pthread_mutex_t write_lock;
	db_change_hook hook;
	void *hook_ctx;
	pthread_key_t reader_key;
	pthread_mutex_t conns_lock; /* guards conns */
	struct db_conn *conns;      /* every open reader connection */
	uint64_t serial;            /* unique among the process's databases, ever */
	atomic_uint_fast64_t sessions_generation; /* bumped whenever sessions end */
};

static void clear_changes(struct db_conn *c)
{
	for (size_t i = 0; i < c->change_count; i++) {
		free(c->changes[i].test_group);
		free(c->changes[i].test_verdict);
	}
	c->change_count = 0;
}

static void conn_close(struct db_conn *c)
{
	if (!c)
		return;
	clear_changes(c);
	free(c->changes);
	for (size_t i = 0; i < c->slots; i++)
		sqlite3_finalize(c->stmts[i]);
	free(c->keys);
	free(c->stmts);
	sqlite3_close(c->handle);
	free(c);
}

static int conn_open(struct db *db, bool readonly, struct db_conn **out, char **err)
{
	struct db_conn *c = xcalloc(1, sizeof *c);
	c->db = db;
	int flags = (readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
		    SQLITE_OPEN_NOMUTEX;
	int rc = sqlite3_open_v2(db->path, &c->handle, flags, NULL);
	if (rc != SQLITE_OK) {
		*err = xasprintf("cannot open database '%s': %s", db->path,
				 c->handle ? sqlite3_errmsg(c->handle) : sqlite3_errstr(rc));
		conn_close(c);
		return -EIO;
	}
	sqlite3_busy_timeout(c->handle, 10000);
	sqlite3_extended_result_codes(c->handle, 1);
	const char *pragmas = readonly ? "PRAGMA foreign_keys = ON; PRAGMA query_only = ON;"
				       : "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
					 " PRAGMA foreign_keys = ON;";
	char *msg = NULL;
	if (sqlite3_exec(c->handle, pragmas, NULL, NULL, &msg) != SQLITE_OK) {
		*err = xasprintf("cannot configure database '%s': %s", db->path, msg ? msg : "?");
		sqlite3_free(msg);
		conn_close(c);
		return -EIO;
	}
	*out = c;
	return 0;
}

static void reader_gone(void *p)
{
	struct db_conn *c = p;
	struct db *db = c->db;
	pthread_mutex_lock(&db->conns_lock);
	for (struct db_conn **pp = &db->conns; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	pthread_mutex_unlock(&db->conns_lock);
	conn_close(c);
}

struct db_conn *db_reader(struct db *db)
{
	struct db_conn *c = pthread_getspecific(db->reader_key);
	if (c)
		return c;
	char *err = NULL;
	if (conn_open(db, true, &c, &err) != 0) {
		/* The database opened at startup; failing now means the system is broken. */
		log_error("%s", err);
		abort();
	}
	pthread_mutex_lock(&db->conns_lock);
	c->next = db->conns;
	db->conns = c;
	pthread_mutex_unlock(&db->conns_lock);
	pthread_setspecific(db->reader_key, c);
	return c;
}

struct db_conn *db_write_begin(struct db *db)
{
	pthread_mutex_lock(&db->write_lock);
	if (sqlite3_exec(db->writer->handle, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		(void)db_fail(db->writer, "begin transaction");
		/* Outside a transaction every statement would commit on its own: refuse
		   them all (they fail and say so), and db_write_end fails. */
		db->write_refused = true;
		if (sqlite3_exec(db->writer->handle, "PRAGMA query_only = ON", NULL, NULL, NULL) != SQLITE_OK)
			(void)db_fail(db->writer, "refuse writes outside a transaction");
	}
	return db->writer;
}

int db_write_end(struct db *db, struct db_conn *c, int rc)
{
	if (db->write_refused) {
		db->write_refused = false;
		if (sqlite3_exec(c->handle, "PRAGMA query_only = OFF", NULL, NULL, NULL) != SQLITE_OK)
			(void)db_fail(c, "accept writes again");
		if (rc == 0)
			rc = -EIO;
	}
	if (rc == 0 && sqlite3_exec(c->handle, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		rc = db_fail(c, "commit");
	/* A rollback that fails leaves the transaction open: the next BEGIN fails and says so. */
	if (rc != 0 && sqlite3_get_autocommit(c->handle) == 0 &&
	    sqlite3_exec(c->handle, "ROLLBACK", NULL, NULL, NULL) != SQLITE_OK)
		(void)db_fail(c, "roll back");
	/* Publish under the lock: the hook sees changes in seq order. */
	for (size_t i = 0; rc == 0 && db->hook && i < c->change_count; i++)
		db->hook(db->hook_ctx, db, &c->changes[i].change);
	clear_changes(c);
	pthread_mutex_unlock(&db->write_lock);
	return rc;
}

void db_set_change_hook(struct db *db, db_change_hook hook, void *ctx)
{
	db->hook = hook;
	db->hook_ctx = ctx;
}

void db_change_test(struct db_conn *c, int64_t id, const struct db_test_result *test)
{
	for (size_t i = c->change_count; i-- > 0;) {
		struct change *ch = &c->changes[i];
		if (ch->change.kind != DB_KIND_SUBMISSION || ch->change.id != id)
			continue;
		free(ch->test_group);
		free(ch->test_verdict);
		ch->test = *test;
		ch->test.group = ch->test_group = xstrdup(test->group);
		ch->test.verdict = ch->test_verdict = xstrdup(test->verdict);
		ch->change.test = &ch->test;
		return;
	}
}

/* The slot of sql: where it is, or the empty one where it goes. c->slots > 0. */
static size_t stmt_slot(const struct db_conn *c, const char *sql)
{
	size_t h = ((uintptr_t)sql >> 3) & (c->slots - 1);
	while (c->keys[h] && c->keys[h] != sql)
		h = (h + 1) & (c->slots - 1);
	return h;
}

static void stmts_grow(struct db_conn *c)
{
	struct db_conn old = *c;
	c->slots = old.slots ? 2 * old.slots : 64;
	c->keys = xcalloc(c->slots, sizeof *c->keys);
	c->stmts = xcalloc(c->slots, sizeof *c->stmts);
	for (size_t i = 0; i < old.slots; i++)
		if (old.keys[i]) {
			size_t h = stmt_slot(c, old.keys[i]);
			c->keys[h] = old.keys[i];
			c->stmts[h] = old.stmts[i];
		}
	free(old.keys);
	free(old.stmts);
}

sqlite3_stmt *db_stmt(struct db_conn *c, const char *sql)
{
	size_t h = c->slots ? stmt_slot(c, sql) : 0;
	if (c->slots && c->keys[h]) {
		sqlite3_reset(c->stmts[h]);
		sqlite3_clear_bindings(c->stmts[h]);
		return c->stmts[h];
	}
	if (2 * (c->used + 1) > c->slots) {
		stmts_grow(c);
		h = stmt_slot(c, sql);
	}
	if (sqlite3_prepare_v3(c->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &c->stmts[h], NULL) != SQLITE_OK) {
		log_error("cannot prepare statement '%s': %s", sql, sqlite3_errmsg(c->handle));
		abort();
	}
	c->keys[h] = sql;
	c->used++;
	return c->stmts[h];
}

void db_read_begin(struct db_conn *c)
{
	sqlite3_stmt *st = db_stmt(c, "BEGIN");
	if (sqlite3_step(st) != SQLITE_DONE)
		(void)db_fail(c, "begin a read transaction"); /* the reads still run, each in its own snapshot */
	sqlite3_reset(st);
}

void db_read_end(struct db_conn *c)
{
	sqlite3_stmt *st = db_stmt(c, "COMMIT");
	if (sqlite3_step(st) != SQLITE_DONE)
		(void)db_fail(c, "end a read transaction"); /* logged; the next BEGIN fails and says so too */
	sqlite3_reset(st);
}

sqlite3 *db_handle(struct db_conn *c)
{
	return c->handle;
}

int db_fail(struct db_conn *c, const char *what)
{
	log_error("database: cannot %s: %s", what, sqlite3_errmsg(c->handle));
	return -EIO;
}

/* The change log spells kinds out: the database reads on its own. */
static const char *const kind_names[] = {
	[DB_KIND_NONE] = NULL,
	[DB_KIND_PROBLEM] = "problem",
	[DB_KIND_USER] = "user",
	[DB_KIND_SUBMISSION] = "submission",
	[DB_KIND_SESSION] = "session",
	[DB_KIND_CONTEST] = "contest",
	[DB_KIND_TEAM] = "team",
	[DB_KIND_ORGANIZATION] = "organization",
	[DB_KIND_TEAM_GROUP] = "group",
	[DB_KIND_CLARIFICATION] = "clarification",
	[DB_KIND_CONTEST_STATE] = "contest_state",
	[DB_KIND_JURY] = "jury",
};

static void bind_kind(sqlite3_stmt *st, int col, enum db_kind kind)
{
	if (kind_names[kind])
		sqlite3_bind_text(st, col, kind_names[kind], -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, col);
}

/* A (kind, id) pair at col and col + 1: NULLs for DB_KIND_NONE. */
static void bind_key(sqlite3_stmt *st, int col, enum db_kind kind, int64_t id)
{
	bind_kind(st, col, kind);
	if (kind != DB_KIND_NONE)
		sqlite3_bind_int64(st, col + 1, id);
}

static enum db_kind column_kind(sqlite3_stmt *st, int col)
{
	const char *name = (const char *)sqlite3_column_text(st, col);
	for (size_t k = 1; name && k < ARRAY_SIZE(kind_names); k++)
		if (strcmp(name, kind_names[k]) == 0)
			return (enum db_kind)k;
	return DB_KIND_NONE;
}

static int64_t log_change(struct db_conn *c, enum db_kind kind, int64_t id, enum db_kind scope_kind, int64_t scope_id,
			  bool deleted)
{
	sqlite3_stmt *st = db_stmt(c, "UPDATE counters SET value = value + 1 WHERE name = 'seq' RETURNING value");
	int64_t seq = -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		seq = sqlite3_column_int64(st, 0);
	else
		(void)db_fail(c, "bump seq"); /* seq stays -1, returned below */
	sqlite3_reset(st);
	if (seq < 0)
		return seq;
	st = db_stmt(c, "INSERT INTO changes (kind, id, seq, scope_kind, scope_id, deleted) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
			" ON CONFLICT (kind, id) DO UPDATE SET seq = excluded.seq, scope_kind = excluded.scope_kind,"
			" scope_id = excluded.scope_id, deleted = excluded.deleted");
	bind_key(st, 1, kind, id);
	sqlite3_bind_int64(st, 3, seq);
	bind_key(st, 4, scope_kind, scope_id);
	sqlite3_bind_int(st, 6, deleted);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		(void)db_fail(c, "log a change"); /* this function's failure is -1, not -EIO */
		return -1;
	}
	if (c->change_count == c->change_cap) {
		c->change_cap = c->change_cap ? 2 * c->change_cap : 16;
		c->changes = xrealloc(c->changes, c->change_cap * sizeof *c->changes);
	}
	c->changes[c->change_count++] = (struct change){
		.change = {.kind = kind, .id = id, .seq = seq, .scope_kind = scope_kind,
			   .scope_id = scope_kind != DB_KIND_NONE ? scope_id : 0, .deleted = deleted},
	};
	return seq;
}

int64_t db_change(struct db_conn *c, enum db_kind kind, int64_t id, enum db_kind scope_kind, int64_t scope_id)
{
	return log_change(c, kind, id, scope_kind, scope_id, false);
}

int64_t db_change_deleted(struct db_conn *c, enum db_kind kind, int64_t id, enum db_kind scope_kind, int64_t scope_id)
{
	return log_change(c, kind, id, scope_kind, scope_id, true);
}

size_t db_changes_since(struct db *db, enum db_kind kind, enum db_kind scope_kind, int64_t scope_id, int64_t seq,
			struct db_change *out, size_t max)
{
	struct db_conn *c = db_reader(db);
	sqlite3_stmt *st = db_stmt(c, "SELECT kind, id, seq, scope_kind, scope_id, deleted FROM changes"
				      " WHERE seq > ?1 AND (?2 IS NULL OR kind = ?2)"
				      " AND (?3 IS NULL OR (scope_kind = ?3 AND scope_id = ?4)) ORDER BY seq LIMIT ?5");
	sqlite3_bind_int64(st, 1, seq);
	bind_kind(st, 2, kind);
	bind_key(st, 3, scope_kind, scope_id);
	sqlite3_bind_int64(st, 5, (int64_t)max);
	size_t n = 0;
	while (n < max && sqlite3_step(st) == SQLITE_ROW)
		out[n++] = (struct db_change){.kind = column_kind(st, 0), .id = sqlite3_column_int64(st, 1),
					      .seq = sqlite3_column_int64(st, 2), .scope_kind = column_kind(st, 3),
					      .scope_id = sqlite3_column_int64(st, 4), .deleted = sqlite3_column_int(st, 5)};
	sqlite3_reset(st);
	return n;
}

uint64_t db_serial(struct db *db)
{
	return db->serial;
}

uint64_t db_sessions_generation(struct db *db)
{
	return atomic_load(&db->sessions_generation);
}

void db_sessions_changed(struct db *db)
{
	atomic_fetch_add(&db->sessions_generation, 1);
}

/* Remembers id as the largest given out under counter; false after a failure (logged). */
static bool remember_row_id(struct db_conn *c, const char *counter, int64_t id)
{
	sqlite3_stmt *st = db_stmt(c, "INSERT INTO counters (name, value) VALUES (?1, ?2)"
			" ON CONFLICT (name) DO UPDATE SET value = excluded.value");
	sqlite3_bind_text(st, 1, counter, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		(void)db_fail(c, "remember a new id"); /* this function's failure is -1 */
		return false;
	}
	return true;
}

int64_t db_claim_row_id(struct db_conn *c, const char *counter, int64_t largest, int64_t want)
{
	sqlite3_stmt *st = db_stmt(c, "SELECT max(coalesce((SELECT value FROM counters WHERE name = ?1), 0), ?2)");
	sqlite3_bind_text(st, 1, counter, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, largest);
	int64_t top = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_reset(st);
	if (top < 0) {
		(void)db_fail(c, "choose a new id"); /* this function's failure is -1 */
		return -1;
	}
	if (want && want <= top)
		return 0;
	int64_t id = want ? want : top + 1;
	return remember_row_id(c, counter, id) ? id : -1;
}

int64_t db_next_row_id(struct db_conn *c, const char *counter, int64_t largest)
{
	return db_claim_row_id(c, counter, largest, 0);
}

int64_t db_seq(struct db *db)
{
	return db_query_int(db_reader(db), "SELECT value FROM counters WHERE name = 'seq'");
}

size_t db_read_page(struct db_conn *c, const char *sql, int page, int per_page, size_t size, db_row_fn read,
		    void **items)
{
	sqlite3_stmt *st = db_stmt(c, sql);
	sqlite3_bind_int(st, 1, per_page);
	sqlite3_bind_int64(st, 2, (int64_t)(page - 1) * per_page);
	char *out = xcalloc(per_page > 0 ? (size_t)per_page : 1, size);
	size_t n = 0;
	while (n < (size_t)per_page && sqlite3_step(st) == SQLITE_ROW)
		read(st, out + n++ * size);
	sqlite3_reset(st);
	*items = out;
	return n;
}

int64_t db_query_int(struct db_conn *c, const char *sql)
{
	sqlite3_stmt *st = db_stmt(c, sql);
	int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return n;
}

/* ---- migrations ---- */

static int migration_version(const char *name)
{
	return atoi(name); /* "001_init.sql" -> 1 */
}

int db_schema_version(struct db *db)
{
	return (int)db_query_int(db_reader(db), "SELECT coalesce(max(version), 0) FROM schema_migrations");
}

static int migrate(struct db *db, int upto, char **err)
{
	sqlite3 *h = db->writer->handle;
	char *msg = NULL;
	if (sqlite3_exec(h,
			 "CREATE TABLE IF NOT EXISTS schema_migrations ("
			 " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
			 NULL, NULL, &msg) != SQLITE_OK)
		goto fail;
	int newest_known = 0;
	for (const struct embedded_file *f = schema_files; f->name; f++)
		if (migration_version(f->name) > newest_known)
			newest_known = migration_version(f->name);

	struct db_conn *c = db_write_begin(db);
	int current = (int)db_query_int(c, "SELECT coalesce(max(version), 0) FROM schema_migrations");
	sqlite3_stmt *st;
	if (current > newest_known) {
		(void)db_write_end(db, c, DB_E_NEWER); /* rolls back: DB_E_NEWER is the outcome */
		*err = xasprintf("database '%s' has schema version %d, newer than this verdict knows (%d)",
				 db->path, current, newest_known);
		return DB_E_NEWER;
	}
	/* Apply in version order, whatever the order of the embedded list. */
	for (int v = current + 1; v <= newest_known && v <= upto; v++) {
		const struct embedded_file *f = schema_files;
		while (f->name && migration_version(f->name) != v)
			f++;
		if (!f->name)
			continue;
		if (sqlite3_exec(h, (const char *)f->data, NULL, NULL, &msg) != SQLITE_OK) {
			(void)db_write_end(db, c, -EIO); /* rolls back: the failure is reported below */
			*err = xasprintf("cannot apply migration '%s' to '%s': %s", f->name, db->path, msg);
			sqlite3_free(msg);
			return -EIO;
		}
		st = db_stmt(c, "INSERT INTO schema_migrations (version, name, applied_at)"
				" VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
		sqlite3_bind_int(st, 1, v);
		sqlite3_bind_text(st, 2, f->name, -1, SQLITE_STATIC);
		int rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE) {
			(void)db_write_end(db, c, -EIO); /* rolls back: the failure is reported below */
			*err = xasprintf("cannot record migration '%s' in '%s'", f->name, db->path);
			return -EIO;
		}
		log_info("database: applied migration %s", f->name);
	}
	if (db_write_end(db, c, 0) != 0) {
		*err = xasprintf("cannot commit migrations to '%s'", db->path);
		return -EIO;
	}
	return 0;
fail:
	*err = xasprintf("cannot prepare migrations in '%s': %s", db->path, msg ? msg : "?");
	sqlite3_free(msg);
	return -EIO;
}

/* ---- open and close ---- */

int db_lock_dir(const char *dir, int *fd_out, char **err)
{
	char *lock_path = xasprintf("%s/verdict.lock", dir);
	int fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		int rc = -errno;
		*err = xasprintf("cannot open lock file '%s': %s", lock_path, strerror(errno));
		free(lock_path);
		return rc;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		char pid[32] = "";
		ssize_t n = pread(fd, pid, sizeof pid - 1, 0);
		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		*err = xasprintf("data dir '%s' is in use by another verdict process%s%s%s", dir,
				 *pid ? " (pid " : "", pid, *pid ? ")" : "");
		free(lock_path);
		close(fd);
		return DB_E_BUSY;
	}
	char pid[32];
	int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)n, 0) != n)
		log_warn("cannot write pid to '%s'", lock_path);
	free(lock_path);
	*fd_out = fd;
	return 0;
}

static int open_common(const char *dir, bool readonly, bool exclusive, int upto, struct db **out, char **err)
{
	static atomic_uint_fast64_t serials;
	struct db *db = xcalloc(1, sizeof *db);
	db->serial = atomic_fetch_add(&serials, 1) + 1;
	atomic_init(&db->sessions_generation, 1);
	db->lock_fd = -1;
	db->readonly = readonly;
	db->path = xasprintf("%s/verdict.db", dir);
	pthread_mutex_init(&db->write_lock, NULL);
	pthread_mutex_init(&db->conns_lock, NULL);
	pthread_key_create(&db->reader_key, reader_gone);
	int rc;
	if (!readonly) {
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			rc = -errno;
			*err = xasprintf("cannot create data dir '%s': %s", dir, strerror(errno));
			goto fail;
		}
		if (exclusive && (rc = db_lock_dir(dir, &db->lock_fd, err)) != 0)
			goto fail;
		if ((rc = conn_open(db, false, &db->writer, err)) != 0)
			goto fail;
		if ((rc = migrate(db, upto, err)) != 0)
			goto fail;
	} else if (access(db->path, R_OK) != 0) {
		rc = -errno;
		*err = xasprintf("cannot open database '%s': %s", db->path, strerror(errno));
		goto fail;
	}
	*out = db;
	return 0;
fail:
	db_close(db);
	return rc;
}

int db_open(const char *dir, bool exclusive, struct db **out, char **err)
{
	return open_common(dir, false, exclusive, 1 << 30, out, err);
}

int db_open_upto(const char *dir, int upto, struct db **out, char **err)
{
	return open_common(dir, false, false, upto, out, err);
}

int db_open_readonly(const char *dir, struct db **out, char **err)
{
	return open_common(dir, true, false, 0, out, err);
}

void db_close(struct db *db)
{
	if (!db)
		return;
	pthread_setspecific(db->reader_key, NULL);
	pthread_key_delete(db->reader_key);
	while (db->conns) {
		struct db_conn *c = db->conns;
		db->conns = c->next;
		conn_close(c);
	}
	if (db->writer) {
		/* Fold the WAL back into the database on a clean shutdown. */
		if (sqlite3_exec(db->writer->handle, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL) != SQLITE_OK)
			log_warnx("database: cannot fold the WAL back into '%s' at close: %s", db->path,
				 sqlite3_errmsg(db->writer->handle));
		conn_close(db->writer);
	}
	if (db->lock_fd >= 0)
		close(db->lock_fd);
	pthread_mutex_destroy(&db->write_lock);
	pthread_mutex_destroy(&db->conns_lock);
	free(db->path);
	free(db);
}
