/* The problem objects: the summary listed by GET /api/problems and the full
 * object of GET/PUT /api/problems/{id}. */
#include "views.h"

#include <string.h>

#include "json_util.h"

/* Stored text may hold invalid UTF-8 (a package's statement): kept as U+FFFD. */
static json_t *text(const char *s)
{
	return json_string_lossy(s, strlen(s));
}

static json_t *samples_json(const struct db_problem_row *row)
{
	json_t *samples = json_array();
	for (size_t i = 0; i < row->sample_count; i++) {
		const struct db_sample *s = &row->samples[i];
		json_array_append_new(samples, json_pack("{s:o, s:o}", "input", json_string_lossy(s->input, s->input_len),
							 "output", json_string_lossy(s->output, s->output_len)));
	}
	return samples;
}

static json_t *groups_json(const struct db_problem_row *row)
{
	json_t *groups = json_array();
	for (size_t i = 0; i < row->group_count; i++) {
		const struct db_group *g = &row->groups[i];
		json_array_append_new(groups, json_pack("{s:o, s:f, s:I}", "name", text(g->name), "points", g->points,
							"test_count", (json_int_t)g->test_count));
	}
	return groups;
}

json_t *view_problem(const struct db_problem_row *row, bool full)
{
	json_t *p = json_pack("{s:I, s:o, s:o, s:I, s:I}", "id", (json_int_t)row->id, "slug", text(row->slug),
			      "title", text(row->title), "time_limit_ms", (json_int_t)row->time_limit_ms,
			      "memory_limit_kb", (json_int_t)row->memory_limit_kb);
	if (!full)
		return p;
	json_object_set_new(p, "statement", text(row->statement));
	json_object_set_new(p, "statement_format", text(row->statement_format));
	json_object_set_new(p, "output_limit_kb", json_integer(row->output_limit_kb));
	json_t *checker = json_loads(row->checker_json, 0, NULL);
	json_object_set_new(p, "checker", checker ? checker : json_object());
	json_object_set_new(p, "created_at", text(row->created_at));
	json_object_set_new(p, "updated_at", text(row->updated_at));
	json_object_set_new(p, "samples", samples_json(row));
	if (row->scoring)
		json_object_set_new(p, "scoring", json_string(row->scoring));
	json_object_set_new(p, "groups", groups_json(row));
	json_object_set_new(p, "test_count", json_integer(row->test_count));
	return p;
}

json_t *view_problems_page(const struct db_problem_list *list, int page, int per_page)
{
	json_t *items = json_array();
	for (size_t i = 0; i < list->count; i++)
		json_array_append_new(items, view_problem(&list->items[i], false));
	return view_page(items, page, per_page, list->total);
}
