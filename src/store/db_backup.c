/* Backup and restore of a data dir's database with SQLite's online backup:
 * a copy of one read transaction (WAL: the running server keeps writing
 * meanwhile), written next to its destination, checked, then renamed. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db.h"
#include "db_int.h"
#include "util.h"

static int fail(sqlite3 *h, char **err, const char *what, const char *path)
{
	*err = xasprintf("%s '%s': %s", what, path, h ? sqlite3_errmsg(h) : "out of memory");
	return -EIO;
}

/* Copies every page of `from` into a new database file `to` in one step
   (one read transaction of `from`). */
static int copy_db(sqlite3 *from, const char *to, char **err)
{
	sqlite3 *dst = NULL;
	int rc = 0;
	if (sqlite3_open_v2(to, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		rc = fail(dst, err, "cannot create", to);
		goto out;
	}
	sqlite3_busy_timeout(from, 10000);
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", from, "main");
	if (!b) {
		rc = fail(dst, err, "cannot start the copy into", to);
		goto out;
	}
	int step;
	while ((step = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || step == SQLITE_LOCKED)
		sqlite3_sleep(20);
	sqlite3_backup_finish(b);
	if (step != SQLITE_DONE) {
		rc = fail(dst, err, "cannot copy the database into", to);
		goto out;
	}
	/* The copy stands alone: no WAL beside it. */
	if (sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK)
		rc = fail(dst, err, "cannot finish", to);
out:
	if (dst && sqlite3_close(dst) != SQLITE_OK && rc == 0)
		rc = fail(NULL, err, "cannot close", to);
	return rc;
}

/* A verdict database that passes SQLite's quick check: its seq in *seq. */
static int check_db(const char *path, int64_t *seq, char **err)
{
	sqlite3 *h = NULL;
	int rc = 0;
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		rc = fail(h, err, "cannot open", path);
		goto out;
	}
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(h, "PRAGMA quick_check", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW || strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0) {
		sqlite3_finalize(st);
		rc = fail(h, err, "not a sound SQLite database:", path);
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (sqlite3_prepare_v2(h,
			       "SELECT (SELECT value FROM counters WHERE name = 'seq'),"
			       " (SELECT count(*) FROM schema_migrations)",
			       -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW || sqlite3_column_int(st, 1) == 0) {
		sqlite3_finalize(st);
		*err = xasprintf("'%s' is not a verdict database (no schema_migrations or counters)", path);
		rc = -EINVAL;
		goto out;
	}
	*seq = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
out:
	sqlite3_close(h);
	return rc;
}

/* Makes `tmp` the file `path` for good: fsync, rename, fsync of its dir. */
static int settle(const char *tmp, const char *path, char **err)
{
	int fd = open(tmp, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) != 0 || rename(tmp, path) != 0) {
		int e = errno;
		*err = xasprintf("cannot write '%s': %s", path, strerror(e));
		if (fd >= 0)
			close(fd);
		return -e;
	}
	close(fd);
	char *copy = xstrdup(path);
	int dfd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(copy);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}

int db_backup(const char *dir, const char *dest, int64_t *seq, char **err)
{
	char *path = xasprintf("%s/verdict.db", dir);
	char *tmp = xasprintf("%s.partial", dest);
	sqlite3 *src = NULL;
	int rc = 0;
	if (access(path, R_OK) != 0) {
		rc = -errno;
		*err = xasprintf("no database in '%s': %s", dir, strerror(errno));
		goto out;
	}
	unlink(tmp);
	if (sqlite3_open_v2(path, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		rc = fail(src, err, "cannot open", path);
		goto out;
	}
	if ((rc = copy_db(src, tmp, err)) == 0 && (rc = check_db(tmp, seq, err)) == 0)
		rc = settle(tmp, dest, err);
out:
	sqlite3_close(src);
	if (rc != 0)
		unlink(tmp);
	free(path);
	free(tmp);
	return rc;
}

int db_restore(const char *file, const char *dir, bool replace, int64_t *seq, char **err)
{
	int rc = check_db(file, seq, err);
	if (rc != 0)
		return rc;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		rc = -errno;
		*err = xasprintf("cannot create data dir '%s': %s", dir, strerror(errno));
		return rc;
	}
	int lock = -1;
	if ((rc = db_lock_dir(dir, &lock, err)) != 0) {
		if (rc == DB_E_BUSY) {
			char *why = *err;
			*err = xasprintf("%s: stop it before restoring into it", why);
			free(why);
		}
		return rc;
	}
	char *path = xasprintf("%s/verdict.db", dir);
	char *tmp = xasprintf("%s/verdict.db.restoring", dir);
	sqlite3 *src = NULL;
	if (!replace && access(path, F_OK) == 0) {
		*err = xasprintf("'%s' already holds a database: move it away, or pass --replace to overwrite it", dir);
		rc = DB_E_CONFLICT;
		goto out;
	}
	unlink(tmp);
	if (sqlite3_open_v2(file, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		rc = fail(src, err, "cannot open", file);
		goto out;
	}
	if ((rc = copy_db(src, tmp, err)) != 0)
		goto out;
	/* The old database's WAL must not be applied to the restored one. */
	char *wal = xasprintf("%s-wal", path), *shm = xasprintf("%s-shm", path);
	unlink(wal);
	unlink(shm);
	free(wal);
	free(shm);
	rc = settle(tmp, path, err);
out:
	sqlite3_close(src);
	if (rc != 0)
		unlink(tmp);
	close(lock);
	free(path);
	free(tmp);
	return rc;
}
