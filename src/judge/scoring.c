/* The verdict rule and the points rule (see scoring.h): one test's verdict
 * from its run, and a submission's verdict and score from its tests. */
#include "scoring.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox.h"
#include "util.h"

enum scoring_kind scoring_kind_for(double total_points)
{
	return total_points > 0 ? SCORING_IOI : SCORING_ICPC;
}

const char *scoring_kind_name(enum scoring_kind kind)
{
	return kind == SCORING_IOI ? "ioi" : "icpc";
}

enum scoring_kind scoring_kind_of_json(const json_t *problem)
{
	const json_t *list = json_object_get(problem, "tests");
	if (!list)
		list = json_object_get(problem, "groups");
	double total = 0;
	size_t i;
	const json_t *t;
	json_array_foreach(list, i, t)
		total += json_number_value(json_object_get(t, "points"));
	return scoring_kind_for(total);
}


const char *scoring_run_verdict(const struct sandbox_result *r, uint64_t time_limit_ms)
{
	switch (r->status) {
	case SANDBOX_OK:
		/* Finished, but over the limit between two polls. */
		return r->cpu_ms > time_limit_ms ? "TLE" : NULL;
	case SANDBOX_TIME:
	case SANDBOX_WALL:
		return "TLE";
	case SANDBOX_MEMORY:
		return "MLE";
	case SANDBOX_OUTPUT:
		return "OLE";
	case SANDBOX_EXITED:
	case SANDBOX_SIGNALED:
	case SANDBOX_SYSCALL:
	case SANDBOX_EXEC_FAILED: /* the program's own file cannot start (worker.c: JE when the file is ours) */
		return "RTE";
	case SANDBOX_ERROR:
		break;
	}
	return "JE";
}

bool scoring_passed(const char *verdict)
{
	return verdict && strcmp(verdict, "AC") == 0;
}

void scoring_init(struct scoring *s, enum scoring_kind kind)
{
	*s = (struct scoring){.kind = kind};
}

void scoring_release(struct scoring *s)
{
	for (size_t i = 0; i < s->group_count; i++)
		free(s->groups[i].name);
	free(s->groups);
	s->groups = NULL;
	s->group_count = s->group_cap = 0;
}

static struct scoring_group *group_of(struct scoring *s, const char *name)
{
	for (size_t i = 0; i < s->group_count; i++)
		if (strcmp(s->groups[i].name, name) == 0)
			return &s->groups[i];
	if (s->group_count == s->group_cap) {
		s->group_cap = s->group_cap ? 2 * s->group_cap : 8;
		s->groups = xrealloc(s->groups, s->group_cap * sizeof *s->groups);
	}
	struct scoring_group *g = &s->groups[s->group_count++];
	*g = (struct scoring_group){.name = xstrdup(name), .points = 0.0, .ok = true};
	return g;
}

bool scoring_add(struct scoring *s, const char *group, double points, const char *verdict)
{
	bool ok = scoring_passed(verdict);
	s->tests_passed += ok;
	struct scoring_group *g = group_of(s, group ? group : "");
	g->points += points;
	if (!ok)
		g->ok = false;
	if (!ok && !s->first_failure[0])
		snprintf(s->first_failure, sizeof s->first_failure, "%s", verdict ? verdict : "JE");
	return ok || s->kind == SCORING_IOI;
}

void scoring_set_custom(struct scoring *s, const char *aggregation)
{
	s->custom = true;
	snprintf(s->aggregation, sizeof s->aggregation, "%s", aggregation ? aggregation : "sum");
}

bool scoring_add_scored(struct scoring *s, const char *group, double points, const char *verdict, double score)
{
	bool more = scoring_add(s, group, points, verdict);
	struct scoring_group *g = group_of(s, group ? group : "");
	double v = scoring_passed(verdict) ? score : 0;
	g->score_min = g->scored ? fmin(g->score_min, v) : v;
	g->score_max = g->scored ? fmax(g->score_max, v) : v;
	g->score_sum += v;
	g->scored++;
	return more;
}

/* A group's custom score by the aggregation. */
static double custom_group(const struct scoring *s, const struct scoring_group *g)
{
	if (!g->scored)
		return 0;
	if (strcmp(s->aggregation, "min") == 0)
		return g->score_min;
	if (strcmp(s->aggregation, "max") == 0)
		return g->score_max;
	if (strcmp(s->aggregation, "avg") == 0)
		return g->score_sum / (double)g->scored;
	return g->score_sum;
}

const char *scoring_verdict(const struct scoring *s)
{
	return s->first_failure[0] ? s->first_failure : "AC";
}

double scoring_score(const struct scoring *s)
{
	if (s->kind != SCORING_IOI)
		return -1;
	double score = 0;
	for (size_t i = 0; i < s->group_count; i++)
		if (s->custom && strcmp(s->groups[i].name, "sample") != 0)
			score += custom_group(s, &s->groups[i]);
		else if (!s->custom && s->groups[i].ok)
			score += s->groups[i].points;
	return score;
}
