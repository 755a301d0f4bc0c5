/* Problem package import: a package read by package.c becomes a stored
 * problem, new or updated in place (same slug: tests, limits and statement
 * replaced, submissions kept). Shared by POST /api/problems/import (which
 * compiles validators on a judge worker) and `verdict problem import` (which
 * compiles them in a sandbox of its own). */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "errors.h" /* IMPORT_E_INVALID: a bad package or slug */

struct package;
struct validator;
struct validator_source;

/* Compiles a custom validator; returns as judge_compile_validator does. */
typedef int (*import_compile_fn)(void *ctx, const struct validator_source *files, size_t count,
				 struct validator *out, char **message);

struct import_result {
	int64_t id;
	char slug[65];
	bool created;        /* false: an existing problem was updated */
	size_t test_count;
};

/* Stores pkg under `slug` (NULL: the package's folder name, else derived from
   its name). A derived slug never replaces a problem imported from another
   package (see import_package_identity; one written as JSON, or imported
   before identities were kept, counts as another): IMPORT_E_CONFLICT, and the
   message names that problem and says to choose the slug. Nothing is written
   unless everything is valid. Returns 0, IMPORT_E_INVALID or IMPORT_E_CONFLICT
   with *err, or negative errno with *err (both malloc'd). */
int import_package(struct db *db, const struct package *pkg, const char *slug, import_compile_fn compile, void *ctx,
		   struct import_result *out, char **err);
/* What makes two imports the same package: "uuid:<uuid>" from problem.yaml,
   else "folder:<name>" (the zip's top-level folder, or the imported
   directory's name); NULL (malloc'd otherwise) when it has neither. */
char *import_package_identity(const struct package *pkg);
/* The Content-Type of a statement file by its extension (pdf, png, jpg, jpeg,
   gif, svg), or NULL for any other. */
const char *import_content_type(const char *name);
/* Makes a slug out of any text: lowercase letters, digits, '-' and '_'. */
void import_slugify(const char *text, char out[65]);

struct languages;
/* What import_jury did: the package's jury submissions, how many were queued. */
struct import_jury_result {
	size_t submissions;
	size_t queued;
};
/* Stores the package's jury submissions (submissions/) for problem_id in place
   of the old ones: each in an available language (by extension; see
   jury_import.c) is queued as a jury submission of owner_id (0: none is
   queued), the rest are kept with a note. Also the time limit's state: given
   by the package, or pending until judge/jury.h derives it. 0, or negative
   errno with *err. */
int import_jury(struct db *db, int64_t problem_id, const struct package *pkg, const struct languages *langs,
		int64_t owner_id, struct import_jury_result *out, char **err);
