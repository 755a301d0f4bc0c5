/* Teams, organizations and team groups of a contest, and imports of them
 * with new accounts. Writes name their references by key and username and
 * resolve them inside their transaction; every change is logged in the
 * contest's scope. */
#include "db_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static const char *col_text(sqlite3_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st, col);
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* Logs a change of a contest object in the contest's scope when rc is 0; returns rc, or -EIO. */
static int log_in_contest(struct db_conn *c, enum db_kind kind, int64_t id, int64_t contest_id, bool deleted, int rc)
{
	if (rc != 0)
		return rc;
	int64_t seq = deleted ? db_change_deleted(c, kind, id, DB_KIND_CONTEST, contest_id)
			      : db_change(c, kind, id, DB_KIND_CONTEST, contest_id);
	return seq < 0 ? -EIO : 0;
}

/* Steps st for the id in its first column: 0 with *id, DB_E_NOT_FOUND, or -EIO. Resets st. */
static int step_id(struct db_conn *c, sqlite3_stmt *st, const char *what, int64_t *id)
{
	int step = sqlite3_step(st);
	int rc = step == SQLITE_ROW ? 0 : step == SQLITE_DONE ? DB_E_NOT_FOUND : db_fail(c, what);
	if (rc == 0)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc;
}

#define ORG_BY_KEY "SELECT id FROM organizations WHERE contest_id = ?1 AND key = ?2"
#define GROUP_BY_KEY "SELECT id FROM groups WHERE contest_id = ?1 AND key = ?2"
#define TEAM_BY_KEY "SELECT id FROM teams WHERE contest_id = ?1 AND key = ?2"
#define USER_BY_NAME "SELECT id FROM users WHERE username = ?2"

/* The id of `name` by sql (?1 the contest, ?2 the name); on DB_E_NOT_FOUND *missing = name. */
static int find(struct db_conn *c, const char *sql, int64_t contest_id, const char *name, int64_t *id,
		const char **missing)
{
	sqlite3_stmt *st = db_stmt(c, sql);
	sqlite3_bind_int64(st, 1, contest_id);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	int rc = step_id(c, st, "find by name", id);
	if (rc == DB_E_NOT_FOUND)
		*missing = name;
	return rc;
}

static int contest_exists(struct db_conn *c, int64_t contest_id)
{
	sqlite3_stmt *st = db_stmt(c, "SELECT id FROM contests WHERE id = ?");
	sqlite3_bind_int64(st, 1, contest_id);
	int64_t id;
	return step_id(c, st, "find contest", &id);
}

static int team_of(struct db_conn *c, int64_t contest_id, int64_t user_id, int64_t *team_id)
{
	sqlite3_stmt *st = db_stmt(c, "SELECT team_id FROM team_members WHERE contest_id = ? AND user_id = ?");
	sqlite3_bind_int64(st, 1, contest_id);
	sqlite3_bind_int64(st, 2, user_id);
	return step_id(c, st, "find team of user", team_id);
}

/* Runs a write that binds ?1 to id; 0 or -EIO. */
static int exec_id(struct db_conn *c, const char *sql, int64_t id, const char *what)
{
	sqlite3_stmt *st = db_stmt(c, sql);
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(c, what);
	sqlite3_reset(st);
	return rc;
}

/* Replaces the team's groups by those keyed in t. */
static int set_groups(struct db_conn *c, int64_t contest_id, int64_t team_id, const struct db_team *t,
		      const char **missing)
{
	int rc = exec_id(c, "DELETE FROM team_groups WHERE team_id = ?1", team_id, "clear team groups");
	for (size_t i = 0; rc == 0 && i < t->group_count; i++) {
		int64_t group_id;
		rc = find(c, GROUP_BY_KEY, contest_id, t->groups[i], &group_id, missing);
		if (rc != 0)
			break;
		sqlite3_stmt *st = db_stmt(c, "INSERT OR IGNORE INTO team_groups (team_id, group_id) VALUES (?, ?)");
		sqlite3_bind_int64(st, 1, team_id);
		sqlite3_bind_int64(st, 2, group_id);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(c, "add team group");
		sqlite3_reset(st);
	}
	return rc;
}

/* Makes user_id a member of team_id unless it is in another team of the contest (DB_E_CONFLICT). */
static int add_member(struct db_conn *c, int64_t contest_id, int64_t team_id, int64_t user_id)
{
	int64_t other;
	int rc = team_of(c, contest_id, user_id, &other);
	if (rc == 0)
		return other == team_id ? 0 : DB_E_CONFLICT;
	if (rc != DB_E_NOT_FOUND)
		return rc;
	sqlite3_stmt *st = db_stmt(c, "INSERT INTO team_members (contest_id, user_id, team_id) VALUES (?, ?, ?)");
	sqlite3_bind_int64(st, 1, contest_id);
	sqlite3_bind_int64(st, 2, user_id);
	sqlite3_bind_int64(st, 3, team_id);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(c, "add team member");
	sqlite3_reset(st);
	return rc;
}

/* Replaces the team's members by the users named in t. */
static int set_members(struct db_conn *c, int64_t contest_id, int64_t team_id, const struct db_team *t,
		       const char **missing)
{
	int rc = exec_id(c, "DELETE FROM team_members WHERE team_id = ?1", team_id, "clear team members");
	for (size_t i = 0; rc == 0 && i < t->member_count; i++) {
		int64_t user_id;
		rc = find(c, USER_BY_NAME, contest_id, t->members[i], &user_id, missing);
		if (rc == 0)
			rc = add_member(c, contest_id, team_id, user_id);
		if (rc == DB_E_CONFLICT)
			*missing = t->members[i];
	}
	return rc;
}

/* Whether another team of the contest than team_id has this key. */
static bool key_taken(struct db_conn *c, int64_t contest_id, int64_t team_id, const char *key)
{
	sqlite3_stmt *st = db_stmt(c, "SELECT id FROM teams WHERE contest_id = ?1 AND key = ?2 AND id <> ?3");
	sqlite3_bind_int64(st, 1, contest_id);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, team_id);
	int64_t id;
	return step_id(c, st, "find team key", &id) == 0;
}

/* Writes team t in the contest: a new one when *id is 0 (then *id gets its
   id), else team *id, which the caller found in the contest. */
static int write_team(struct db_conn *c, int64_t contest_id, int64_t *id, const struct db_team *t,
		      const char **missing)
{
	int64_t org_id = 0;
	int rc = t->organization ? find(c, ORG_BY_KEY, contest_id, t->organization, &org_id, missing) : 0;
	if (rc != 0)
		return rc;
	int64_t team_id = *id;
	sqlite3_stmt *st;
	if (team_id == 0) {
		/* Never the id of a deleted team (its tombstone in the log). */
		team_id = db_next_row_id(c, "team_id", db_query_int(c, "SELECT coalesce(max(id), 0) FROM teams"));
		if (team_id < 0)
			return -EIO;
		st = db_stmt(c, "INSERT INTO teams (contest_id, key, label, name, display_name, organization_id,"
				" hidden, icpc_id, id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
	} else {
		st = db_stmt(c, "UPDATE teams SET key = ?2, label = ?3, name = ?4, display_name = ?5,"
				" organization_id = ?6, hidden = ?7, icpc_id = ?8 WHERE contest_id = ?1 AND id = ?9");
	}
	sqlite3_bind_int64(st, 1, contest_id);
	sqlite3_bind_text(st, 2, t->key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, t->label, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, t->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, or_empty(t->display_name), -1, SQLITE_STATIC);
	if (org_id)
		sqlite3_bind_int64(st, 6, org_id);
	sqlite3_bind_int(st, 7, t->hidden);
	sqlite3_bind_text(st, 8, t->icpc_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 9, team_id);
	int step = sqlite3_step(st);
	rc = step == SQLITE_DONE ? 0 : step == SQLITE_CONSTRAINT_UNIQUE ? DB_E_CONFLICT : db_fail(c, "write team");
	sqlite3_reset(st);
	if (rc == DB_E_CONFLICT)
		*missing = key_taken(c, contest_id, team_id, t->key) ? t->key : t->label;
	if (rc == 0)
		rc = set_groups(c, contest_id, team_id, t, missing);
	if (rc == 0)
		rc = set_members(c, contest_id, team_id, t, missing);
	if (rc == 0)
		*id = team_id;
	return log_in_contest(c, DB_KIND_TEAM, team_id, contest_id, false, rc);
}

/* The contest of a team: 0, DB_E_NOT_FOUND or -EIO. */
static int team_contest(struct db_conn *c, int64_t team_id, int64_t *contest_id)
{
	sqlite3_stmt *st = db_stmt(c, "SELECT contest_id FROM teams WHERE id = ?");
	sqlite3_bind_int64(st, 1, team_id);
	return step_id(c, st, "find team", contest_id);
}

int db_team_create(struct db *db, int64_t contest_id, const struct db_team *t, int64_t *id, const char **missing)
{
	const char *miss = NULL;
	int64_t new_id = 0;
	struct db_conn *c = db_write_begin(db);
	int rc = contest_exists(c, contest_id);
	if (rc == 0)
		rc = write_team(c, contest_id, &new_id, t, &miss);
	rc = db_write_end(db, c, rc);
	if (rc == 0 && id)
		*id = new_id;
	if (missing)
		*missing = rc == DB_E_NOT_FOUND || rc == DB_E_CONFLICT ? miss : NULL;
	return rc;
}

int db_team_update(struct db *db, int64_t id, const struct db_team *t, const char **missing)
{
	const char *miss = NULL;
	int64_t contest_id = 0;
	struct db_conn *c = db_write_begin(db);
	int rc = team_contest(c, id, &contest_id);
	if (rc == 0)
		rc = write_team(c, contest_id, &id, t, &miss);
	rc = db_write_end(db, c, rc);
	if (missing)
		*missing = rc == DB_E_NOT_FOUND || rc == DB_E_CONFLICT ? miss : NULL;
	return rc;
}

/* The clarifications a team's delete takes along (from or to it) are logged
   as deleted; replies to all that answered its requests lose their reply_to. */
static int log_team_clarifications(struct db_conn *c, int64_t contest_id, int64_t team_id)
{
	sqlite3_stmt *st = db_stmt(c, "SELECT id, from_team_id IS ?1 OR to_team_id IS ?1 FROM clarifications"
				      " WHERE contest_id = ?2 AND (from_team_id = ?1 OR to_team_id = ?1"
				      " OR reply_to IN (SELECT id FROM clarifications WHERE from_team_id = ?1))");
	sqlite3_bind_int64(st, 1, team_id);
	sqlite3_bind_int64(st, 2, contest_id);
	int rc = 0, step = SQLITE_DONE;
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW)
		rc = log_in_contest(c, DB_KIND_CLARIFICATION, sqlite3_column_int64(st, 0), contest_id,
				    sqlite3_column_int(st, 1), 0);
	if (rc == 0 && step != SQLITE_DONE)
		rc = db_fail(c, "list team clarifications");
	sqlite3_reset(st);
	return rc;
}

int db_team_delete(struct db *db, int64_t id)
{
	int64_t contest_id = 0;
	struct db_conn *c = db_write_begin(db);
	int rc = team_contest(c, id, &contest_id);
	if (rc == 0)
		rc = log_team_clarifications(c, contest_id, id);
	if (rc == 0)
		rc = exec_id(c, "DELETE FROM teams WHERE id = ?1", id, "delete team");
	return db_write_end(db, c, log_in_contest(c, DB_KIND_TEAM, id, contest_id, true, rc));
}

/* ---- reads ---- */

#define TEAM_SELECT                                                                                  \
	"SELECT t.id, t.contest_id, coalesce(ch.seq, 0), t.key, t.label, t.name, t.display_name, o.key," \
	" t.hidden, t.icpc_id FROM teams t LEFT JOIN organizations o ON o.id = t.organization_id"        \
	" LEFT JOIN changes ch ON ch.kind = 'team' AND ch.id = t.id"

/* Reads the team at st's row, with its groups and members, into *out (owned). */
static void read_team(struct db_conn *c, sqlite3_stmt *st, struct db_team *out)
{
	memset(out, 0, sizeof *out);
	out->id = sqlite3_column_int64(st, 0);
	out->contest_id = sqlite3_column_int64(st, 1);
	out->seq = sqlite3_column_int64(st, 2);
	out->key = col_text(st, 3);
	out->label = col_text(st, 4);
	out->name = col_text(st, 5);
	out->display_name = col_text(st, 6);
	out->organization = col_text(st, 7);
	out->hidden = sqlite3_column_int(st, 8);
	out->icpc_id = col_text(st, 9);
	struct db_strlist groups, members;
	sqlite3_stmt *q = db_stmt(c, "SELECT g.key FROM team_groups tg JOIN groups g ON g.id = tg.group_id"
				     " WHERE tg.team_id = ? ORDER BY g.key");
	sqlite3_bind_int64(q, 1, out->id);
	db_strlist_read(q, &groups);
	q = db_stmt(c, "SELECT u.username FROM team_members m JOIN users u ON u.id = m.user_id"
		       " WHERE m.team_id = ? ORDER BY u.username");
	sqlite3_bind_int64(q, 1, out->id);
	db_strlist_read(q, &members);
	const char **const fields[] = {&out->key, &out->label, &out->name, &out->display_name, &out->organization,
				       &out->icpc_id};
	struct db_strlist *const lists[] = {&groups, &members};
	out->mem = db_pack(fields, ARRAY_SIZE(fields), lists, ARRAY_SIZE(lists));
	out->groups = groups.items;
	out->group_count = groups.count;
	out->members = members.items;
	out->member_count = members.count;
}

int db_team_get(struct db *db, int64_t id, struct db_team *out)
{
	struct db_conn *c = db_reader(db);
	db_read_begin(c);
	sqlite3_stmt *st = db_stmt(c, TEAM_SELECT " WHERE t.id = ?");
	sqlite3_bind_int64(st, 1, id);
	int rc = DB_E_NOT_FOUND;
	if (sqlite3_step(st) == SQLITE_ROW) {
		read_team(c, st, out);
		rc = 0;
	}
	sqlite3_reset(st);
	db_read_end(c);
	return rc;
}

void db_team_release(struct db_team *t)
{
	if (!t)
		return;
	free(t->mem);
	memset(t, 0, sizeof *t);
}

void db_teams_list(struct db *db, int64_t contest_id, db_team_fn fn, void *ctx)
{
	struct db_conn *c = db_reader(db);
	db_read_begin(c);
	sqlite3_stmt *st = db_stmt(c, TEAM_SELECT " WHERE t.contest_id = ? ORDER BY t.id");
	sqlite3_bind_int64(st, 1, contest_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct db_team t;
		read_team(c, st, &t);
		fn(ctx, &t);
		db_team_release(&t);
	}
	sqlite3_reset(st);
	db_read_end(c);
}

int db_team_of_user(struct db *db, int64_t contest_id, int64_t user_id, int64_t *team_id)
{
	return team_of(db_reader(db), contest_id, user_id, team_id);
}

/* A copy of the user's name (malloc'd): 0, DB_E_NOT_FOUND or -EIO. */
static int username_of(struct db_conn *c, int64_t user_id, char **name)
{
	sqlite3_stmt *st = db_stmt(c, "SELECT username FROM users WHERE id = ?");
	sqlite3_bind_int64(st, 1, user_id);
	int step = sqlite3_step(st);
	int rc = step == SQLITE_ROW ? 0 : step == SQLITE_DONE ? DB_E_NOT_FOUND : db_fail(c, "find user");
	if (rc == 0)
		*name = xstrdup(col_text(st, 0));
	sqlite3_reset(st);
	return rc;
}

int db_team_for_student(struct db *db, int64_t contest_id, int64_t user_id, int64_t *team_id)
{
	int64_t id = 0;
	/* Every submission of a classroom contest asks: most find their team without the writer. */
	if (team_of(db_reader(db), contest_id, user_id, &id) == 0) {
		*team_id = id;
		return 0;
	}
	char *name = NULL;
	struct db_conn *c = db_write_begin(db);
	int rc = team_of(c, contest_id, user_id, &id);
	if (rc == DB_E_NOT_FOUND) {
		rc = contest_exists(c, contest_id);
		if (rc == 0)
			rc = username_of(c, user_id, &name);
		if (rc == 0) {
			const char *members[] = {name};
			const struct db_team t = {.key = name, .label = name, .name = name, .members = members,
						  .member_count = 1};
			const char *unused;
			rc = write_team(c, contest_id, &id, &t, &unused);
		}
	}
	free(name);
	rc = db_write_end(db, c, rc);
	if (rc == 0)
		*team_id = id;
	return rc;
}

void db_organizations_list(struct db *db, int64_t contest_id, db_organization_fn fn, void *ctx)
{
	struct db_conn *c = db_reader(db);
	sqlite3_stmt *st = db_stmt(c, "SELECT o.id, o.contest_id, coalesce(ch.seq, 0), o.key, o.name, o.formal_name,"
				      " o.country, o.icpc_id FROM organizations o"
				      " LEFT JOIN changes ch ON ch.kind = 'organization' AND ch.id = o.id"
				      " WHERE o.contest_id = ? ORDER BY o.id");
	sqlite3_bind_int64(st, 1, contest_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const struct db_organization o = {
			.id = sqlite3_column_int64(st, 0), .contest_id = sqlite3_column_int64(st, 1),
			.seq = sqlite3_column_int64(st, 2), .key = col_text(st, 3), .name = col_text(st, 4),
			.formal_name = col_text(st, 5), .country = col_text(st, 6), .icpc_id = col_text(st, 7),
		};
		fn(ctx, &o);
	}
	sqlite3_reset(st);
}

void db_team_groups_list(struct db *db, int64_t contest_id, db_team_group_fn fn, void *ctx)
{
	struct db_conn *c = db_reader(db);
	sqlite3_stmt *st = db_stmt(c, "SELECT g.id, g.contest_id, coalesce(ch.seq, 0), g.key, g.name, g.type,"
				      " g.hidden, g.icpc_id FROM groups g"
				      " LEFT JOIN changes ch ON ch.kind = 'group' AND ch.id = g.id"
				      " WHERE g.contest_id = ? ORDER BY g.id");
	sqlite3_bind_int64(st, 1, contest_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const struct db_team_group g = {
			.id = sqlite3_column_int64(st, 0), .contest_id = sqlite3_column_int64(st, 1),
			.seq = sqlite3_column_int64(st, 2), .key = col_text(st, 3), .name = col_text(st, 4),
			.type = col_text(st, 5), .hidden = sqlite3_column_int(st, 6), .icpc_id = col_text(st, 7),
		};
		fn(ctx, &g);
	}
	sqlite3_reset(st);
}

/* ---- import ---- */

/* Binds an item's fields from ?3 on. */
typedef void (*bind_fn)(sqlite3_stmt *st, const void *item);

/* Writes an organization or group by key: updated if the contest has that
   key, else inserted with a new id under `counter`. In both statements ?1 is
   the contest, ?2 the key and ?9 the id. */
static int upsert(struct db_conn *c, int64_t contest_id, const char *key, const void *item, const char *find_sql,
		  const char *insert_sql, const char *update_sql, const char *counter, const char *largest_sql,
		  bind_fn bind, enum db_kind kind)
{
	int64_t id = 0;
	const char *unused;
	int rc = find(c, find_sql, contest_id, key, &id, &unused);
	if (rc == DB_E_NOT_FOUND) {
		id = db_next_row_id(c, counter, db_query_int(c, largest_sql));
		rc = id < 0 ? -EIO : 0;
	} else if (rc == 0) {
		insert_sql = update_sql;
	}
	if (rc != 0)
		return rc;
	sqlite3_stmt *st = db_stmt(c, insert_sql);
	sqlite3_bind_int64(st, 1, contest_id);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	bind(st, item);
	sqlite3_bind_int64(st, 9, id);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(c, "write organization or group");
	sqlite3_reset(st);
	return log_in_contest(c, kind, id, contest_id, false, rc);
}

static void bind_organization(sqlite3_stmt *st, const void *item)
{
	const struct db_organization *o = item;
	sqlite3_bind_text(st, 3, o->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, or_empty(o->formal_name), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, or_empty(o->country), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, o->icpc_id, -1, SQLITE_STATIC);
}

static void bind_group(sqlite3_stmt *st, const void *item)
{
	const struct db_team_group *g = item;
	sqlite3_bind_text(st, 3, g->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, or_empty(g->type), -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, g->hidden);
	sqlite3_bind_text(st, 6, g->icpc_id, -1, SQLITE_STATIC);
}

static int import_organization(struct db_conn *c, int64_t contest_id, const struct db_organization *o)
{
	return upsert(c, contest_id, o->key, o, ORG_BY_KEY,
		      "INSERT INTO organizations (contest_id, key, name, formal_name, country, icpc_id, id)"
		      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?9)",
		      "UPDATE organizations SET name = ?3, formal_name = ?4, country = ?5, icpc_id = ?6"
		      " WHERE contest_id = ?1 AND key = ?2 AND id = ?9",
		      "organization_id", "SELECT coalesce(max(id), 0) FROM organizations", bind_organization,
		      DB_KIND_ORGANIZATION);
}

static int import_group(struct db_conn *c, int64_t contest_id, const struct db_team_group *g)
{
	return upsert(c, contest_id, g->key, g, GROUP_BY_KEY,
		      "INSERT INTO groups (contest_id, key, name, type, hidden, icpc_id, id)"
		      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?9)",
		      "UPDATE groups SET name = ?3, type = ?4, hidden = ?5, icpc_id = ?6"
		      " WHERE contest_id = ?1 AND key = ?2 AND id = ?9",
		      "team_group_id", "SELECT coalesce(max(id), 0) FROM groups", bind_group, DB_KIND_TEAM_GROUP);
}

static int import_team(struct db_conn *c, int64_t contest_id, const struct db_team *t, const char **missing)
{
	int64_t id = 0;
	const char *unused;
	int rc = find(c, TEAM_BY_KEY, contest_id, t->key, &id, &unused);
	if (rc == DB_E_NOT_FOUND)
		rc = 0;
	return rc == 0 ? write_team(c, contest_id, &id, t, missing) : rc;
}

static int import_account(struct db_conn *c, int64_t contest_id, const struct db_account *a, const char **missing)
{
	int64_t user_id = 0, team_id = 0;
	int rc = db_user_insert(c, a->username, a->password_hash, a->role, &user_id);
	if (rc == DB_E_CONFLICT)
		*missing = a->username;
	if (rc == 0 && a->team)
		rc = find(c, TEAM_BY_KEY, contest_id, a->team, &team_id, missing);
	if (rc == 0 && a->team) {
		rc = add_member(c, contest_id, team_id, user_id);
		if (rc == 0)
			rc = log_in_contest(c, DB_KIND_TEAM, team_id, contest_id, false, 0);
	}
	return rc;
}

int db_contest_import(struct db *db, int64_t contest_id, const struct db_import *imp, const char **missing)
{
	const char *miss = NULL;
	struct db_conn *c = db_write_begin(db);
	int rc = contest_exists(c, contest_id);
	for (size_t i = 0; rc == 0 && i < imp->organization_count; i++)
		rc = import_organization(c, contest_id, &imp->organizations[i]);
	for (size_t i = 0; rc == 0 && i < imp->group_count; i++)
		rc = import_group(c, contest_id, &imp->groups[i]);
	for (size_t i = 0; rc == 0 && i < imp->team_count; i++)
		rc = import_team(c, contest_id, &imp->teams[i], &miss);
	for (size_t i = 0; rc == 0 && i < imp->account_count; i++)
		rc = import_account(c, contest_id, &imp->accounts[i], &miss);
	rc = db_write_end(db, c, rc);
	if (missing)
		*missing = rc == DB_E_NOT_FOUND || rc == DB_E_CONFLICT ? miss : NULL;
	return rc;
}
