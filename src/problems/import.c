/* Package -> problem: slug, limits, checker, validator, tests with group points. */
#include "import.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checker.h"
#include "package.h"
#include "problem_json.h"
#include "util.h"
#include "validator.h"

void import_slugify(const char *text, char out[65])
{
	size_t n = 0;
	bool dash = false;
	for (const unsigned char *p = (const unsigned char *)(text ? text : ""); *p && n < 64; p++) {
		if (isalnum(*p) && *p < 128) {
			if (dash && n)
				out[n++] = '-';
			dash = false;
			if (n < 64)
				out[n++] = (char)tolower(*p);
		} else if (*p == '_' && n) {
			out[n++] = '_';
			dash = false;
		} else {
			dash = true;
		}
	}
	out[n] = '\0';
	if (!n)
		strcpy(out, "problem");
}

char *import_package_identity(const struct package *pkg)
{
	if (pkg->uuid && *pkg->uuid)
		return xasprintf("uuid:%s", pkg->uuid);
	if (pkg->folder && *pkg->folder)
		return xasprintf("folder:%s", pkg->folder);
	return NULL;
}

const char *import_content_type(const char *name)
{
	static const char *const types[][2] = {
		{".pdf", "application/pdf"}, {".png", "image/png"},   {".jpg", "image/jpeg"},
		{".jpeg", "image/jpeg"},     {".gif", "image/gif"},   {".svg", "image/svg+xml"},
	};
	const char *dot = strrchr(name, '.');
	for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
		if (strcasecmp(dot, types[i][0]) == 0)
			return types[i][1];
	return NULL;
}

/* A slug derived from the package may only update a problem imported from
   the same package: 0 when it may, else IMPORT_E_CONFLICT with *err. */
static int check_same_package(struct db *db, const char *slug, const struct package *pkg, const char *identity,
			      char **err)
{
	int64_t existing;
	if (db_problem_id_by_slug(db, slug, &existing) != 0)
		return 0;
	char *stored = NULL;
	if (db_problem_package_id(db, existing, &stored) != 0)
		return 0; /* deleted meanwhile: it will be created */
	int rc = 0;
	if (!identity || !stored || strcmp(identity, stored) != 0) {
		char *from = stored ? xasprintf("imported from package %s", stored)
				    : xstrdup("not imported from a package verdict can recognise");
		*err = xasprintf("problem %lld has the slug '%s' this package's %s gives, and was %s, not from this one "
				 "(%s): choose the slug (?slug=%s or --slug %s) to replace it, or another slug to keep both",
				 (long long)existing, slug, pkg->folder && *pkg->folder ? "folder" : "name",
				 from, identity ? identity : "it has no uuid and no folder", slug, slug);
		free(from);
		rc = IMPORT_E_CONFLICT;
	}
	free(stored);
	return rc;
}

int import_package(struct db *db, const struct package *pkg, const char *slug, import_compile_fn compile, void *ctx,
		   struct import_result *out, char **err)
{
	memset(out, 0, sizeof *out);
	if (slug) {
		if (!problem_slug_valid(slug)) {
			*err = xasprintf("invalid slug '%s': use 1 to 64 lowercase letters, digits, '-' or '_'", slug);
			return IMPORT_E_INVALID;
		}
		snprintf(out->slug, sizeof out->slug, "%s", slug);
	} else {
		import_slugify(pkg->folder && *pkg->folder ? pkg->folder : pkg->name, out->slug);
	}
	if (pkg->test_count == 0) {
		*err = xstrdup("data/: the package has no test cases");
		return IMPORT_E_INVALID;
	}
	char *identity = import_package_identity(pkg);
	if (!slug) {
		int conflict = check_same_package(db, out->slug, pkg, identity, err);
		if (conflict) {
			free(identity);
			return conflict;
		}
	}

	struct validator validator = {0};
	if (pkg->checker.type == CHECKER_CUSTOM) {
		if (validator_check_limits(pkg->validator_count, pkg->validator_flags, err) != 0)
			return IMPORT_E_INVALID; /* *err names the limit */
		struct validator_source *files = xcalloc(pkg->validator_count + 1, sizeof *files);
		for (size_t i = 0; i < pkg->validator_count; i++)
			files[i] = (struct validator_source){pkg->validator_files[i].path, pkg->validator_files[i].data,
							     pkg->validator_files[i].len};
		char *message = NULL;
		int rc = compile(ctx, files, pkg->validator_count, &validator, &message);
		free(files);
		if (rc != 0) {
			const char *name = pkg->validator_name ? pkg->validator_name : "validator";
			if (rc > 0)
				*err = xasprintf("output_validators/%s: does not compile: %.4000s", name, message);
			else
				*err = xasprintf("output_validators/%s: cannot be compiled now: %s", name, message);
			free(message);
			validator_release(&validator);
			free(identity);
			return rc > 0 ? IMPORT_E_INVALID : rc;
		}
		free(message);
	}

	/* A group's points ride on its first test: the stored points of a group are the sum over its tests. */
	struct db_test *tests = xcalloc(pkg->test_count, sizeof *tests);
	for (size_t i = 0; i < pkg->test_count; i++) {
		const struct package_test *t = &pkg->tests[i];
		double points = 0;
		bool first = true;
		for (size_t k = 0; k < i; k++)
			if (strcmp(pkg->tests[k].group, t->group) == 0)
				first = false;
		for (size_t g = 0; first && g < pkg->group_count; g++)
			if (strcmp(pkg->groups[g].name, t->group) == 0)
				points = pkg->groups[g].points;
		tests[i] = (struct db_test){t->name, t->group, points, t->sample, t->input, t->input_len, t->answer,
					    t->answer_len};
	}
	struct db_problem_file *files = xcalloc(pkg->statement_file_count + 1, sizeof *files);
	for (size_t i = 0; i < pkg->statement_file_count; i++) {
		const struct package_file *f = &pkg->statement_files[i];
		files[i] = (struct db_problem_file){f->path, import_content_type(f->path), f->data, f->len};
	}
	json_t *checker = checker_to_json(&pkg->checker);
	char *checker_json = json_dumps(checker, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(checker);
	struct db_problem p = {
		.slug = out->slug,
		.title = pkg->name && *pkg->name ? pkg->name : out->slug,
		.statement = pkg->statement ? pkg->statement : "",
		.statement_markdown = pkg->statement_is_markdown,
		.time_limit_ms = pkg->time_limit_ms,
		.memory_limit_kb = pkg->memory_limit_kb,
		.output_limit_kb = pkg->output_limit_kb,
		.checker_json = checker_json,
		.validator = validator.program,
		.validator_len = validator.len,
		.validator_language = validator.language,
		.validator_flags = pkg->validator_flags,
		.tests = tests,
		.test_count = pkg->test_count,
		.replace_tests = true,
		.from_package = true,
		.package_id = identity,
		.files = files,
		.file_count = pkg->statement_file_count,
	};
	int rc = DB_E_NOT_FOUND;
	for (int tries = 0; tries < 3 && (rc == DB_E_NOT_FOUND || rc == DB_E_CONFLICT); tries++) {
		/* Update the slug's problem, or create it; a racing import may flip which. */
		if (db_problem_id_by_slug(db, out->slug, &out->id) == 0) {
			rc = db_problem_update(db, out->id, &p);
			out->created = false;
		} else {
			rc = db_problem_create(db, &p, &out->id);
			out->created = true;
		}
	}
	if (rc != 0) {
		*err = xasprintf("cannot store problem '%s'", out->slug);
		rc = rc > 0 ? -EIO : rc;
	}
	out->test_count = pkg->test_count;
	free(checker_json);
	free(tests);
	free(files);
	free(identity);
	validator_release(&validator);
	return rc;
}
