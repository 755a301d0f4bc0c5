/* A contest package zip -> contest_files + one Kattis package per problem. */
#include "contest_package.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"
#include "util.h"
#include "zip_writer.h"

#define PROBLEMS "problems/"
#define CONTEST_PACKAGE_MAX_ENTRIES 1000000

/* The id folder of a path under problems/, its length; 0 when there is none. */
static size_t problem_id_len(const char *path)
{
	if (!path_starts(path, PROBLEMS))
		return 0;
	const char *id = path + strlen(PROBLEMS), *slash = strchr(id, '/');
	return slash && slash > id ? (size_t)(slash - id) : 0;
}

static bool wanted(const char *path)
{
	if (contest_files_known(path))
		return true;
	size_t n = problem_id_len(path);
	if (!n)
		return false;
	const char *rest = path + strlen(PROBLEMS) + n + 1;
	/* problems/<id>/<id>.pdf and the like are the statement for people */
	return !(strchr(rest, '/') == NULL && path_ends(rest, ".pdf"));
}

static const struct loader_rules rules = {.marker = NULL, .ignored = loader_junk, .wanted = wanted};

static int fail(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(char **err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	free(*err);
	*err = xvasprintf(fmt, ap);
	va_end(ap);
	return CONTEST_FILES_E_INVALID;
}

void contest_package_init(struct contest_package *cp)
{
	memset(cp, 0, sizeof *cp);
	contest_files_init(&cp->files);
}

void contest_package_release(struct contest_package *cp)
{
	for (size_t i = 0; i < cp->problem_count; i++) {
		free(cp->problems[i].id);
		free(cp->problems[i].where);
		package_free(cp->problems[i].pkg);
	}
	free(cp->problems);
	contest_files_release(&cp->files);
	memset(cp, 0, sizeof *cp);
}

const struct contest_package_problem *contest_package_problem(const struct contest_package *cp, const char *id)
{
	for (size_t i = 0; i < cp->problem_count; i++)
		if (strcmp(cp->problems[i].id, id) == 0)
			return &cp->problems[i];
	return NULL;
}

/* Reads the problem package of folder problems/<id>/, whose files are
   t->files[from..to): a problem.yaml there means the files are the package
   (zipped again, so that the problem loader checks them as any upload),
   else the folder must hold one zip (<id>.zip when it holds several). */
static int read_problem(struct contest_package *cp, const struct loader_tree *t, size_t from, size_t to,
			const char *id, const struct package_limits *lim, char **err)
{
	size_t prefix = strlen(PROBLEMS) + strlen(id) + 1;
	char *own = xasprintf(PROBLEMS "%s/%s.zip", id, id);
	const struct loader_file *zip = NULL, *yaml = NULL;
	size_t zips = 0;
	for (size_t i = from; i < to; i++) {
		const char *rest = t->files[i].path + prefix;
		if (strcmp(rest, "problem.yaml") == 0)
			yaml = &t->files[i];
		if (!strchr(rest, '/') && path_ends(rest, ".zip")) {
			zips++;
			if (!zip || strcmp(t->files[i].path, own) == 0)
				zip = &t->files[i];
		}
	}
	char *where = NULL;
	char *data = NULL;
	size_t len = 0;
	int rc = 0;
	if (yaml) {
		where = xasprintf(PROBLEMS "%s/", id);
		struct zip_writer *z = zip_writer_new();
		for (size_t i = from; i < to && !rc; i++)
			if (!path_ends(t->files[i].path, ".zip") || strchr(t->files[i].path + prefix, '/'))
				rc = zip_writer_add(z, t->files[i].path + prefix, t->files[i].data, t->files[i].len);
		if (rc)
			zip_writer_free(z);
		else
			rc = zip_writer_finish(z, &data, &len);
	} else if (zips == 1 || (zip && strcmp(zip->path, own) == 0)) {
		where = xstrdup(zip->path);
	} else {
		rc = zips ? fail(err, PROBLEMS "%s/: %zu zips and none is %s.zip", id, zips, id)
			  : fail(err, PROBLEMS "%s/: no problem package (%s.zip, or problem.yaml and the rest)", id, id);
	}
	free(own);
	if (rc) {
		free(where);
		return rc;
	}
	struct package *pkg = NULL;
	char *perr = NULL;
	rc = yaml ? package_read_zip(data, len, lim, &pkg, &perr) : package_read_zip(zip->data, zip->len, lim, &pkg, &perr);
	free(data);
	if (rc == PACKAGE_E_INVALID)
		rc = fail(err, "%s: %s", where, perr ? perr : "not a problem package");
	free(perr);
	if (rc) {
		free(where);
		return rc;
	}
	cp->problems = xrealloc(cp->problems, (cp->problem_count + 1) * sizeof *cp->problems);
	cp->problems[cp->problem_count++] = (struct contest_package_problem){xstrdup(id), where, pkg};
	return 0;
}

int contest_package_read_zip(struct contest_package *cp, const void *data, size_t len,
			     const struct package_limits *lim, char **err)
{
	*err = NULL;
	struct package_limits plim = lim ? *lim : PACKAGE_LIMITS_DEFAULT;
	/* What a zip in the package may grow to: little beyond the package itself
	   (a zip inside does not shrink much), so a bomb costs at most that. */
	struct package_limits zlim = plim;
	uint64_t bound = (uint64_t)len + CONTEST_FILES_MAX_BYTES;
	if (zlim.max_file_bytes > bound)
		zlim.max_file_bytes = bound;
	zlim.max_tests = 0;
	/* an archived contest has a files.zip per submission: entries are cheap, and the upload's size bounds them */
	if (zlim.max_files < CONTEST_PACKAGE_MAX_ENTRIES)
		zlim.max_files = CONTEST_PACKAGE_MAX_ENTRIES;
	struct loader_tree t;
	int rc = loader_read_zip(data, len, &zlim, &rules, &t, err);
	if (rc == PACKAGE_E_INVALID)
		return CONTEST_FILES_E_INVALID;
	if (rc)
		return rc;
	for (size_t i = 0; i < t.nfiles && !rc; i++) {
		const struct loader_file *f = &t.files[i];
		if (contest_files_known(f->path) && f->len > CONTEST_FILES_MAX_BYTES)
			rc = fail(err, "%s: larger than %d MiB", f->path, CONTEST_FILES_MAX_BYTES >> 20);
	}
	/* contest_files in its own order, so that the errors come out the same each time */
	static const char *const order[] = {"contest.yaml",  "contest.json",	   "problems.yaml", "problems.json",
					    "problemset.yaml", "groups.json", "organizations.json", "teams.json",
					    "accounts.yaml", "accounts.json"};
	for (size_t k = 0; k < sizeof order / sizeof order[0] && !rc; k++) {
		struct loader_file *f = loader_find(&t, order[k]);
		if (f)
			rc = contest_files_add(&cp->files, f->path, f->data, f->len, err);
	}
	/* The files of one problem folder are next to each other (path order). */
	for (size_t i = 0; i < t.nfiles && !rc;) {
		size_t n = problem_id_len(t.files[i].path);
		if (!n) {
			i++;
			continue;
		}
		char *id = xstrndup(t.files[i].path + strlen(PROBLEMS), n);
		size_t j = i;
		while (j < t.nfiles && problem_id_len(t.files[j].path) == n &&
		       strncmp(t.files[j].path + strlen(PROBLEMS), id, n) == 0)
			j++;
		if (contest_package_problem(cp, id))
			rc = fail(err, PROBLEMS "%s/: given twice", id);
		else
			rc = read_problem(cp, &t, i, j, id, &plim, err);
		free(id);
		i = j;
	}
	loader_release(&t);
	if (!rc && !cp->files.has_contest && !cp->files.has_problems && !cp->problem_count &&
	    !cp->files.team_count && !cp->files.account_count)
		rc = fail(err, "the zip holds no contest package files (contest.json, problems.json, teams.json, ...)");
	return rc;
}
