/* The command-line import reads the package (zip file or directory), compiles
 * a custom validator in a sandbox of its own (this is a small single-threaded
 * process, not the server) and stores the problem. */
#include "cli_import.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "db.h"
#include "import.h"
#include "languages.h"
#include "log.h"
#include "package.h"
#include "sandbox.h"
#include "slots.h"
#include "util.h"
#include "validator.h"

struct compile_ctx {
	const struct config *cfg;
	struct sandbox *sandbox;
	int slot_fd;
	char *work_dir;
};

static int compile_here(void *arg, const struct validator_source *files, size_t count, struct validator *out,
			char **message)
{
	struct compile_ctx *ctx = arg;
	if (!ctx->sandbox) {
		int slot;
		if (slots_take(1, &slot, &ctx->slot_fd) != 0) {
			*message = xstrdup("no free judge slot on this machine");
			return -EAGAIN;
		}
		struct sandbox_config scfg = {.slot = slot};
		ctx->sandbox = sandbox_new(&scfg, message);
		if (!ctx->sandbox)
			return -EPERM;
	}
	ctx->work_dir = xasprintf("%s/work/import-%d", ctx->cfg->data_dir, (int)getpid());
	char *parent = xasprintf("%s/work", ctx->cfg->data_dir);
	mkdir(parent, 0700);
	free(parent);
	if (mkdir(ctx->work_dir, 0700) != 0 && errno != EEXIST) {
		*message = xasprintf("cannot make '%s': %s", ctx->work_dir, strerror(errno));
		return -errno;
	}
	return validator_compile(ctx->sandbox, ctx->work_dir, files, count, out, message);
}

/* The first admin account: jury submissions are judged as it. 0 if none. */
static int64_t first_admin(struct db *db)
{
	int64_t id = 0;
	for (int page = 1; !id; page++) {
		struct db_user_list *l = db_users_list(db, page, 100);
		for (size_t i = 0; i < l->count && !id; i++)
			if (l->items[i].user.admin)
				id = l->items[i].user.id;
		bool last = l->count < 100;
		db_user_list_free(l);
		if (last)
			break;
	}
	return id;
}

/* Queues the package's jury submissions; the server judges them when it runs. */
static int import_jury_here(const struct config *cfg, struct db *db, const struct package *pkg, int64_t id,
			    char **err)
{
	if (!pkg->submission_count && pkg->time_limit_given)
		return 0;
	struct languages *langs = languages_load(cfg->languages_file, err);
	if (!langs) {
		fprintf(stderr, "verdict problem import: %s\n", *err);
		return 1;
	}
	int64_t owner = first_admin(db);
	struct import_jury_result r;
	int rc = import_jury(db, id, pkg, langs, owner, &r, err);
	languages_free(langs);
	if (rc != 0) {
		fprintf(stderr, "verdict problem import: %s\n", *err);
		return 1;
	}
	printf("%zu jury submissions, %zu queued%s\n", r.submissions, r.queued,
	       owner ? "" : " (there is no admin account to judge them as)");
	return 0;
}

int cli_import(const struct config *cfg, const char *path, const char *slug)
{
	struct package_limits limits = PACKAGE_LIMITS_DEFAULT;
	limits.max_tests = (uint64_t)cfg->max_tests;
	struct package *pkg = NULL;
	char *err = NULL;
	struct stat st;
	int rc;
	if (stat(path, &st) != 0) {
		fprintf(stderr, "verdict problem import: cannot read '%s': %s\n", path, strerror(errno));
		return 1;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = package_read_dir(path, &limits, &pkg, &err);
	} else {
		char *data = NULL;
		size_t len = 0;
		rc = read_file(path, limits.max_total_bytes, &data, &len);
		if (rc == 0)
			rc = package_read_zip(data, len, &limits, &pkg, &err);
		free(data);
	}
	if (rc != 0) {
		fprintf(stderr, "verdict problem import: '%s': %s\n", path, err ? err : strerror(-rc));
		free(err);
		return 1;
	}
	struct db *db = NULL;
	if (db_open(cfg->data_dir, false, &db, &err) != 0) {
		fprintf(stderr, "verdict problem import: %s\n", err);
		free(err);
		package_free(pkg);
		return 1;
	}
	struct compile_ctx ctx = {.cfg = cfg, .slot_fd = -1};
	struct import_result result;
	rc = import_package(db, pkg, slug, compile_here, &ctx, &result, &err);
	if (rc != 0)
		fprintf(stderr, "verdict problem import: '%s': %s\n", path, err ? err : "cannot import");
	else
		printf("%s problem '%s' (id %lld) with %zu tests\n", result.created ? "created" : "updated", result.slug,
		       (long long)result.id, result.test_count);
	for (size_t i = 0; rc == 0 && i < pkg->warning_count; i++)
		fprintf(stderr, "verdict problem import: '%s': warning: %s\n", path, pkg->warnings[i]);
	if (rc == 0)
		rc = import_jury_here(cfg, db, pkg, result.id, &err);
	free(err);
	if (ctx.work_dir)
		remove_tree(ctx.work_dir);
	free(ctx.work_dir);
	sandbox_free(ctx.sandbox);
	slots_give(&ctx.slot_fd, 1);
	db_close(db);
	package_free(pkg);
	return rc == 0 ? 0 : 1;
}
