/* A package's jury submissions become queued jury submissions of its problem,
 * with the time limit's state (given, or to be derived: judge/jury.h). */
#include "import.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jury.h"
#include "languages.h"
#include "package.h"
#include "util.h"

/* Extensions of the ICPC languages this judge may lack, for the report's note. */
static const struct {
	const char *extension, *language;
} known[] = {{"c", "c"}, {"cpp", "cpp"}, {"cc", "cpp"}, {"cxx", "cpp"}, {"py", "python3"}, {"java", "java"},
	     {"kt", "kotlin"}};

/* The id of an available language taking files with extension ext, or NULL
   with the id it would be (or NULL) in *wanted. */
static const char *language_for(const struct languages *langs, const char *ext, const char **wanted)
{
	*wanted = NULL;
	for (size_t i = 0; i < ARRAY_SIZE(known); i++)
		if (strcmp(known[i].extension, ext) == 0) {
			*wanted = known[i].language;
			if (languages_find(langs, known[i].language))
				return known[i].language;
		}
	/* Any other available language (a language file's) that names the extension. */
	json_t *all = languages_json(langs);
	const char *found = NULL;
	size_t i, k;
	json_t *l, *e;
	json_array_foreach(all, i, l) {
		json_array_foreach(json_object_get(l, "extensions"), k, e) {
			if (!found && json_is_string(e) && strcmp(json_string_value(e), ext) == 0)
				found = languages_find(langs, json_string_value(json_object_get(l, "id")))->id;
		}
	}
	json_decref(all);
	return found;
}

int import_jury(struct db *db, int64_t problem_id, const struct package *pkg, const struct languages *langs,
		int64_t owner_id, struct import_jury_result *out, char **err)
{
	memset(out, 0, sizeof *out);
	struct db_jury_entry *entries = xcalloc(pkg->submission_count + 1, sizeof *entries);
	char **notes = xcalloc(pkg->submission_count + 1, sizeof *notes);
	for (size_t i = 0; i < pkg->submission_count; i++) {
		const struct package_submission *s = &pkg->submissions[i];
		const char *wanted = NULL, *language = NULL;
		if (!s->source)
			notes[i] = xstrdup("a submission of several files: not supported here");
		else if (!(language = language_for(langs, s->extension, &wanted)))
			notes[i] = wanted ? xasprintf("language not available (%s)", wanted)
					  : xasprintf("no language for the extension '%s'", s->extension);
		else if (!owner_id)
			notes[i] = xstrdup("no admin account to judge it as");
		else if (strlen(s->source) != s->len)
			notes[i] = xstrdup("the source holds a NUL byte");
		if (notes[i])
			language = NULL;
		else
			out->queued++;
		entries[i] = (struct db_jury_entry){s->path, s->expected, language, s->source, notes[i] ? notes[i] : ""};
	}
	out->submissions = pkg->submission_count;
	struct db_jury_limits limits = {.ac_to_time_limit = pkg->ac_to_time_limit,
					.time_limit_to_tle = pkg->time_limit_to_tle,
					.time_resolution = pkg->time_resolution,
					.slowest_ac_ms = -1};
	bool has_accepted = false;
	for (size_t i = 0; i < pkg->submission_count; i++)
		has_accepted |= entries[i].language && strcmp(entries[i].expected, "AC") == 0;
	snprintf(limits.state, sizeof limits.state, "%s",
		 pkg->time_limit_given ? "given" : has_accepted ? "pending" : "none");
	/* As problemtools: runs get the limit times time_limit_to_tle and are read
	   under the limit; while the limit is to be derived, the accepted ones run
	   first with the provisional limit and the others wait for it. */
	int64_t high = (int64_t)llround((double)pkg->time_limit_ms * pkg->time_limit_to_tle);
	bool pending = strcmp(limits.state, "pending") == 0;
	int rc = db_jury_replace(db, problem_id, owner_id, entries, pkg->submission_count, &limits,
				 pending ? JURY_PROVISIONAL_TIME_LIMIT_MS : high, pending ? 0 : high);
	if (rc != 0)
		*err = xasprintf("cannot store the jury submissions of problem %lld", (long long)problem_id);
	for (size_t i = 0; i < pkg->submission_count; i++)
		free(notes[i]);
	free(notes);
	free(entries);
	return rc == 0 ? 0 : rc > 0 ? -EIO : rc;
}
