/* Awards from a board's view, and the results exports written from them. */
#include "awards.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool scored(const struct awards *a, const struct board_row *r)
{
	return a->scoring == BOARD_ICPC ? r->solved > 0 : r->score > 0;
}

static struct award *award_add(struct awards *a, char *id, char *citation, size_t max_teams)
{
	struct award *w = &a->awards[a->award_count++];
	w->id = id;
	w->citation = citation;
	w->teams = xcalloc(max_teams + 1, sizeof *w->teams);
	return w;
}

static const char *const medal_ids[] = {NULL, "gold-medal", "silver-medal", "bronze-medal"};
static const char *const medal_names[] = {NULL, "Gold medal winner", "Silver medal winner", "Bronze medal winner"};

static bool in_group(const struct board_team *t, int64_t group)
{
	for (size_t i = 0; i < t->group_count; i++)
		if (t->groups[i] == group)
			return true;
	return false;
}

struct awards *awards_new(const struct board *b, enum contest_view view, int64_t team_id, int gold, int silver,
			  int bronze, const struct award_group *groups, size_t group_count)
{
	const struct board_row *const *rows;
	size_t n = board_rows(b, view, team_id, &rows, NULL);
	size_t P = board_problem_count(b);
	struct awards *a = xcalloc(1, sizeof *a);
	a->board = b;
	a->scoring = board_settings(b)->scoring;
	a->results = xcalloc(n + 1, sizeof *a->results);
	a->result_count = n;
	a->awards = xcalloc(4 + P + group_count, sizeof *a->awards);

	int limit[4] = {0, gold, gold + silver, gold + silver + bronze};
	struct award *winner = award_add(a, xstrdup("winner"), xstrdup("Contest winner"), n);
	struct award *medal[4] = {NULL};
	for (int m = AWARD_GOLD; m <= AWARD_BRONZE; m++)
		medal[m] = award_add(a, xstrdup(medal_ids[m]), xstrdup(medal_names[m]), n);
	for (size_t i = 0; i < n; i++) {
		struct award_result *r = &a->results[i];
		r->row = rows[i];
		r->ranked = scored(a, rows[i]);
		if (!r->ranked)
			continue;
		if (rows[i]->rank == 1)
			winner->teams[winner->team_count++] = rows[i]->team;
		for (int m = AWARD_GOLD; m <= AWARD_BRONZE && !r->medal; m++)
			if (rows[i]->rank <= limit[m]) {
				r->medal = (enum award_medal)m;
				medal[m]->teams[medal[m]->team_count++] = rows[i]->team;
			}
	}
	for (size_t p = 0; p < P; p++) {
		const char *label = board_problem_at(b, p)->label;
		struct award *w = award_add(a, xasprintf("first-to-solve-%s", label),
					    xasprintf("First to solve problem %s", label), n);
		for (size_t i = 0; i < n; i++)
			if (rows[i]->cells[p].first)
				w->teams[w->team_count++] = rows[i]->team;
	}
	for (size_t g = 0; g < group_count; g++) {
		struct award *w = award_add(a, xasprintf("group-winner-%s", groups[g].key),
					    xasprintf("Winner(s) of group %s", groups[g].name), n);
		int best = 0;
		for (size_t i = 0; i < n; i++) {
			if (!a->results[i].ranked || !in_group(rows[i]->team, groups[g].id))
				continue;
			if (best && rows[i]->rank != best)
				break;
			best = rows[i]->rank;
			w->teams[w->team_count++] = rows[i]->team;
			if (!a->results[i].group_won)
				a->results[i].group_won = &groups[g];
		}
	}
	return a;
}

void awards_free(struct awards *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->award_count; i++) {
		free(a->awards[i].id);
		free(a->awards[i].citation);
		free(a->awards[i].teams);
	}
	free(a->awards);
	free(a->results);
	free(a);
}

const char *awards_name(const struct award_result *r)
{
	static const char *const names[] = {"Ranked", "Gold Medal", "Silver Medal", "Bronze Medal"};
	return r->ranked ? names[r->medal] : "Honorable";
}

static const char *team_ref(const struct board_team *t)
{
	return t->icpc_id && t->icpc_id[0] ? t->icpc_id : t->key;
}

/* A TSV field: tabs and line breaks would split it, so they become spaces. */
static void tsv_field(struct buf *out, const char *s)
{
	for (; *s; s++)
		buf_add(out, *s == '\t' || *s == '\n' || *s == '\r' ? " " : s, 1);
}

void awards_results_tsv(const struct awards *a, struct buf *out)
{
	buf_adds(out, "results\t1\n");
	for (size_t i = 0; i < a->result_count; i++) {
		const struct award_result *r = &a->results[i];
		tsv_field(out, team_ref(r->row->team));
		buf_adds(out, "\t");
		if (r->ranked)
			buf_printf(out, "%d", r->row->rank);
		buf_printf(out, "\t%s\t%d\t%lld\t%lld\t", awards_name(r), r->row->solved, (long long)r->row->time,
			   (long long)(r->row->last_time < 0 ? 0 : r->row->last_time));
		if (r->group_won)
			tsv_field(out, r->group_won->name);
		buf_adds(out, "\n");
	}
}

void awards_results_json(const struct awards *a, bool final, struct buf *out)
{
	json_t *awards = json_array(), *results = json_array();
	for (size_t i = 0; i < a->award_count; i++) {
		const struct award *w = &a->awards[i];
		json_t *ids = json_array();
		for (size_t j = 0; j < w->team_count; j++)
			json_array_append_new(ids, json_string(w->teams[j]->key));
		json_array_append_new(awards, json_pack("{s:s, s:s, s:o}", "id", w->id, "citation", w->citation,
							"team_ids", ids));
	}
	for (size_t i = 0; i < a->result_count; i++) {
		const struct award_result *r = &a->results[i];
		const struct board_row *row = r->row;
		json_array_append_new(
			results,
			json_pack("{s:s, s:o, s:s, s:i, s:I, s:o, s:o, s:o}", "team_id", row->team->key, "rank",
				  r->ranked ? json_integer(row->rank) : json_null(), "award", awards_name(r),
				  "num_solved", row->solved, "total_time", (json_int_t)row->time, "last_time",
				  row->last_time >= 0 ? json_integer(row->last_time) : json_null(), "score",
				  a->scoring == BOARD_ICPC ? json_null() : json_real(row->score), "group_winner",
				  r->group_won ? json_string(r->group_won->name) : json_null()));
	}
	json_t *root = json_pack("{s:b, s:o, s:o}", "final", final, "awards", awards, "results", results);
	char *text = json_dumps(root, JSON_COMPACT);
	buf_adds(out, text);
	free(text);
	json_decref(root);
}

/* A CSV field (RFC 4180), with a leading = + - @ defused so that a
   spreadsheet does not read a name as a formula. */
static void csv_field(struct buf *out, const char *s)
{
	bool formula = s[0] && strchr("=+-@", s[0]);
	if (!formula && !strpbrk(s, ",\"\r\n")) {
		buf_adds(out, s);
		return;
	}
	buf_adds(out, formula ? "\"'" : "\"");
	for (; *s; s++)
		buf_add(out, *s == '"' ? "\"\"" : s, *s == '"' ? 2 : 1);
	buf_adds(out, "\"");
}

static void number(struct buf *out, double v)
{
	buf_printf(out, "%.10g", v);
}

static int by_label(const void *x, const void *y)
{
	const struct award_result *a = x, *b = y;
	return strcmp(a->row->team->label, b->row->team->label);
}

void awards_gradebook_csv(const struct awards *a, struct buf *out)
{
	size_t P = board_problem_count(a->board);
	buf_adds(out, "label,name");
	for (size_t p = 0; p < P; p++) {
		buf_adds(out, ",");
		csv_field(out, board_problem_at(a->board, p)->label);
	}
	buf_adds(out, ",total\r\n");
	struct award_result *rows = xcalloc(a->result_count + 1, sizeof *rows);
	if (a->result_count)
		memcpy(rows, a->results, a->result_count * sizeof *rows);
	qsort(rows, a->result_count, sizeof *rows, by_label);
	for (size_t i = 0; i < a->result_count; i++) {
		const struct board_row *r = rows[i].row;
		const char *name = r->team->display_name[0] ? r->team->display_name : r->team->name;
		csv_field(out, r->team->label);
		buf_adds(out, ",");
		csv_field(out, name);
		for (size_t p = 0; p < P; p++) {
			buf_adds(out, ",");
			if (a->scoring != BOARD_ICPC)
				number(out, r->cells[p].score);
			else if (r->cells[p].solved)
				buf_printf(out, "%lld", (long long)r->cells[p].time);
		}
		buf_adds(out, ",");
		if (a->scoring != BOARD_ICPC)
			number(out, r->score);
		else
			buf_printf(out, "%d", r->solved);
		buf_adds(out, "\r\n");
	}
	free(rows);
}
