/* Users and login sessions.
 *
 * Every request looks its session up, so the answers are cached per thread
 * (SESSION_CACHE entries, by token hash). An entry holds only while the
 * database's sessions generation is the one it was read under: every function
 * here that ends sessions (logout, password change) bumps the generation after
 * its commit, so an ended session is refused from the next request on. An
 * expired one is refused by its expiry time, cached with it. */
#include "db_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define NOW_RFC3339 "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
/* The role as read: jury is a flag next to role (migration 007 says why). */
#define ROLE "CASE WHEN role = 'admin' THEN 'admin' WHEN jury = 1 THEN 'jury' ELSE 'user' END"
#define U_ROLE "CASE WHEN u.role = 'admin' THEN 'admin' WHEN u.jury = 1 THEN 'jury' ELSE 'user' END"

/* Logs the change of user id, seen by that user (and admins), when rc is 0; returns rc, or -EIO. */
static int log_user(struct db_conn *c, int64_t id, int rc)
{
	if (rc != 0)
		return rc;
	return db_change(c, DB_KIND_USER, id, DB_KIND_USER, id) < 0 ? -EIO : 0;
}

static void fill_user(sqlite3_stmt *st, struct db_user *out)
{
	out->id = sqlite3_column_int64(st, 0);
	snprintf(out->username, sizeof out->username, "%s", (const char *)sqlite3_column_text(st, 1));
	const char *role = (const char *)sqlite3_column_text(st, 2);
	out->role = strcmp(role, "admin") == 0 ? DB_ROLE_ADMIN : strcmp(role, "jury") == 0 ? DB_ROLE_JURY : DB_ROLE_USER;
	out->admin = out->role == DB_ROLE_ADMIN;
}

/* Steps st (columns id, username, role, and password_hash when hash is not
   NULL) for the one user it finds: 0 or DB_E_NOT_FOUND. Resets st. */
static int find_user(sqlite3_stmt *st, struct db_user *out, char **hash)
{
	int rc = DB_E_NOT_FOUND;
	if (sqlite3_step(st) == SQLITE_ROW) {
		fill_user(st, out);
		if (hash)
			*hash = xstrdup((const char *)sqlite3_column_text(st, 3));
		rc = 0;
	}
	sqlite3_reset(st);
	return rc;
}

const char *db_role_name(enum db_role role)
{
	return role == DB_ROLE_ADMIN ? "admin" : role == DB_ROLE_JURY ? "jury" : "user";
}

int db_user_create(struct db *db, const char *username, const char *password_hash, bool admin, int64_t *id)
{
	return db_user_create_role(db, username, password_hash, admin ? DB_ROLE_ADMIN : DB_ROLE_USER, id);
}

int db_user_insert(struct db_conn *c, const char *username, const char *password_hash, enum db_role role,
		   int64_t *id)
{
	sqlite3_stmt *st = db_stmt(c, "INSERT INTO users (username, password_hash, role, jury, created_at)"
				      " VALUES (?, ?, ?, ?, " NOW_RFC3339 ")");
	sqlite3_bind_text(st, 1, username, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, password_hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, role == DB_ROLE_ADMIN ? "admin" : "user", -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, role == DB_ROLE_JURY);
	int step = sqlite3_step(st);
	int rc = step == SQLITE_DONE ? 0 : step == SQLITE_CONSTRAINT_UNIQUE ? DB_E_CONFLICT : db_fail(c, "insert user");
	int64_t new_id = sqlite3_last_insert_rowid(db_handle(c));
	sqlite3_reset(st);
	rc = log_user(c, new_id, rc);
	if (rc == 0 && id)
		*id = new_id;
	return rc;
}

int db_user_create_role(struct db *db, const char *username, const char *password_hash, enum db_role role,
			int64_t *id)
{
	struct db_conn *c = db_write_begin(db);
	int64_t new_id = 0;
	int rc = db_write_end(db, c, db_user_insert(c, username, password_hash, role, &new_id));
	if (rc == 0 && id)
		*id = new_id;
	return rc;
}

int db_user_by_name(struct db *db, const char *username, struct db_user *out, char **hash)
{
	struct db_conn *c = db_reader(db);
	sqlite3_stmt *st = db_stmt(c, "SELECT id, username, " ROLE ", password_hash FROM users WHERE username = ?");
	sqlite3_bind_text(st, 1, username, -1, SQLITE_STATIC);
	return find_user(st, out, hash);
}

int db_user_get(struct db *db, int64_t id, struct db_user *out)
{
	struct db_conn *c = db_reader(db);
	sqlite3_stmt *st = db_stmt(c, "SELECT id, username, " ROLE " FROM users WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	return find_user(st, out, NULL);
}

/* Logs that sessions of the user ended, so that their sockets close. */
static int session_ended(struct db_conn *c, int64_t user_id)
{
	return db_change(c, DB_KIND_SESSION, user_id, DB_KIND_USER, user_id) < 0 ? -EIO : 0;
}

int db_user_set_password(struct db *db, int64_t id, const char *password_hash)
{
	struct db_conn *c = db_write_begin(db);
	sqlite3_stmt *st = db_stmt(c, "UPDATE users SET password_hash = ? WHERE id = ?");
	sqlite3_bind_text(st, 1, password_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(c, "update password");
	if (rc == 0 && sqlite3_changes(db_handle(c)) == 0)
		rc = DB_E_NOT_FOUND;
	sqlite3_reset(st);
	if (rc == 0) {
		/* A new password ends every session of the old one. */
		st = db_stmt(c, "DELETE FROM sessions WHERE user_id = ?");
		sqlite3_bind_int64(st, 1, id);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(c, "delete sessions");
		sqlite3_reset(st);
	}
	rc = log_user(c, id, rc);
	if (rc == 0)
		rc = session_ended(c, id);
	rc = db_write_end(db, c, rc);
	db_sessions_changed(db);
	return rc;
}

static void read_user_row(sqlite3_stmt *st, void *item)
{
	struct db_user_row *row = item;
	fill_user(st, &row->user);
	snprintf(row->created_at, sizeof row->created_at, "%s", (const char *)sqlite3_column_text(st, 3));
}

struct db_user_list *db_users_list(struct db *db, int page, int per_page)
{
	struct db_user_list *list = xcalloc(1, sizeof *list);
	void *items;
	list->count = db_read_page(db_reader(db), "SELECT id, username, " ROLE ", created_at FROM users ORDER BY id"
				   " LIMIT ?1 OFFSET ?2", page, per_page, sizeof *list->items, read_user_row, &items);
	list->items = items;
	list->total = db_user_count(db);
	return list;
}

void db_user_list_free(struct db_user_list *list)
{
	if (!list)
		return;
	free(list->items);
	free(list);
}

int64_t db_user_count(struct db *db)
{
	return db_query_int(db_reader(db), "SELECT count(*) FROM users");
}

int db_session_create(struct db *db, const unsigned char token_hash[32], int64_t user_id, int64_t expires_at)
{
	struct db_conn *c = db_write_begin(db);
	/* Expired sessions go whenever a new one is made. */
	sqlite3_stmt *st = db_stmt(c, "DELETE FROM sessions WHERE expires_at <= unixepoch()");
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(c, "delete expired sessions");
	sqlite3_reset(st);
	st = db_stmt(c, "INSERT INTO sessions (token_hash, user_id, created_at, expires_at)"
			" VALUES (?, ?, unixepoch(), ?)");
	sqlite3_bind_blob(st, 1, token_hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, user_id);
	sqlite3_bind_int64(st, 3, expires_at);
	if (rc == 0 && sqlite3_step(st) != SQLITE_DONE)
		rc = db_fail(c, "insert session");
	sqlite3_reset(st);
	return db_write_end(db, c, rc);
}

#define SESSION_CACHE 64

struct session_entry {
	unsigned char hash[32];
	uint64_t db_serial;  /* 0 = empty */
	uint64_t generation;
	int64_t expires_at;
	struct db_user user;
};

static _Thread_local struct session_entry session_cache[SESSION_CACHE];

int db_session_user(struct db *db, const unsigned char token_hash[32], int64_t now, struct db_user *out)
{
	/* The generation is read before the query: an end of session that commits
	   after this point makes the entry stale even if the query still saw it. */
	uint64_t generation = db_sessions_generation(db);
	struct session_entry *e = &session_cache[token_hash[0] % SESSION_CACHE];
	if (e->db_serial == db_serial(db) && e->generation == generation && memcmp(e->hash, token_hash, 32) == 0) {
		if (now >= e->expires_at)
			return DB_E_NOT_FOUND;
		*out = e->user;
		return 0;
	}
	struct db_conn *c = db_reader(db);
	sqlite3_stmt *st = db_stmt(c, "SELECT u.id, u.username, " U_ROLE ", s.expires_at FROM sessions s"
				      " JOIN users u ON u.id = s.user_id"
				      " WHERE s.token_hash = ? AND s.expires_at > ?");
	sqlite3_bind_blob(st, 1, token_hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	int rc = DB_E_NOT_FOUND;
	if (sqlite3_step(st) == SQLITE_ROW) {
		fill_user(st, out);
		memcpy(e->hash, token_hash, 32);
		e->db_serial = db_serial(db);
		e->generation = generation;
		e->expires_at = sqlite3_column_int64(st, 3);
		e->user = *out;
		rc = 0;
	}
	sqlite3_reset(st);
	return rc;
}

int db_session_delete(struct db *db, const unsigned char token_hash[32])
{
	struct db_conn *c = db_write_begin(db);
	sqlite3_stmt *st = db_stmt(c, "DELETE FROM sessions WHERE token_hash = ? RETURNING user_id");
	sqlite3_bind_blob(st, 1, token_hash, 32, SQLITE_STATIC);
	int step = sqlite3_step(st);
	int64_t user_id = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	if (step == SQLITE_ROW)
		step = sqlite3_step(st);
	int rc = step == SQLITE_DONE ? 0 : db_fail(c, "delete session");
	sqlite3_reset(st);
	if (rc == 0 && user_id)
		rc = session_ended(c, user_id);
	rc = db_write_end(db, c, rc);
	db_sessions_changed(db);
	return rc;
}

int db_session_expiry(struct db *db, const unsigned char token_hash[32], int64_t now, int64_t *expires_at)
{
	struct db_conn *c = db_reader(db);
	sqlite3_stmt *st = db_stmt(c, "SELECT expires_at FROM sessions WHERE token_hash = ? AND expires_at > ?");
	sqlite3_bind_blob(st, 1, token_hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	int rc = DB_E_NOT_FOUND;
	if (sqlite3_step(st) == SQLITE_ROW) {
		*expires_at = sqlite3_column_int64(st, 0);
		rc = 0;
	}
	sqlite3_reset(st);
	return rc;
}
