/* Stored problem -> Kattis package zip. */
#include "package_export.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker.h"
#include "loader.h"
#include "util.h"
#include "zip_writer.h"

struct test_copy {
	char *path;        /* under data/, without .in/.ans */
	char *group;       /* as stored */
	double points;
	bool sample;
	char *input, *output;
	size_t input_len, output_len;
};

struct tests {
	struct test_copy *t;
	size_t n, cap;
};

static void keep_test(void *ctx, const struct db_test *t)
{
	struct tests *ts = ctx;
	if (ts->n == ts->cap) {
		ts->cap = ts->cap ? 2 * ts->cap : 16;
		ts->t = xrealloc(ts->t, ts->cap * sizeof *ts->t);
	}
	struct test_copy *c = &ts->t[ts->n++];
	*c = (struct test_copy){.group = xstrdup(t->group ? t->group : "secret"), .points = t->points, .sample = t->sample,
				.input_len = t->input_len, .output_len = t->output_len};
	c->path = xstrdup(t->name ? t->name : "");
	c->input = xmalloc(t->input_len + 1);
	if (t->input_len)
		memcpy(c->input, t->input, t->input_len);
	c->output = xmalloc(t->output_len + 1);
	if (t->output_len)
		memcpy(c->output, t->output, t->output_len);
}

static void tests_release(struct tests *ts)
{
	for (size_t i = 0; i < ts->n; i++) {
		free(ts->t[i].path);
		free(ts->t[i].group);
		free(ts->t[i].input);
		free(ts->t[i].output);
	}
	free(ts->t);
}

/* A path component the loader takes: [A-Za-z0-9._-], not starting with '.'. */
static void component(struct buf *b, const char *s, size_t n)
{
	if (!n || *s == '.')
		buf_add(b, "t", 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		char out = isalnum(ch) || ch == '-' || ch == '_' || ch == '.' ? (char)ch : '_';
		buf_add(b, &out, 1);
	}
}

/* The folder under data/ of a stored group: sample, secret, secret/<g>. */
static void group_dir(struct buf *b, const struct test_copy *t)
{
	if (t->sample || strcmp(t->group, "sample") == 0) {
		buf_adds(b, "sample");
		return;
	}
	buf_adds(b, "secret");
	const char *g = t->group;
	if (path_starts(g, "secret/"))
		g += strlen("secret/");
	else if (strcmp(g, "secret") == 0)
		g = "";
	if (*g) {
		buf_add(b, "/", 1);
		component(b, g, strlen(g));
	}
}

/* Gives every test its path under data/, keeping the stored name when it
   already is one there (sample/1, secret/g1/03); else <group dir>/<name>. The
   paths must sort in run order (the importer's order), so they are numbered
   when they would not. */
static void place_tests(struct tests *ts)
{
	for (int numbered = 0; numbered < 2; numbered++) {
		bool sorted = true;
		for (size_t i = 0; i < ts->n; i++) {
			struct test_copy *t = &ts->t[i];
			struct buf b;
			buf_init(&b);
			group_dir(&b, t);
			const char *name = t->path;
			size_t dirlen = b.len;
			if (strncmp(name, b.data, dirlen) == 0 && name[dirlen] == '/')
				name += dirlen + 1;
			else if (strrchr(name, '/'))
				name = strrchr(name, '/') + 1;
			buf_add(&b, "/", 1);
			if (numbered)
				buf_printf(&b, "%05zu-", i + 1);
			component(&b, name, strlen(name));
			free(t->path);
			t->path = buf_detach(&b, NULL);
			if (i && path_cmp(ts->t[i - 1].path, t->path) >= 0)
				sorted = false;
		}
		if (sorted)
			return;
	}
}

/* The Kattis default validator's flags that judge as c does. */
static void checker_flags(struct buf *b, const struct checker *c)
{
	bool cs = c->type != CHECKER_KATTIS || c->case_sensitive;
	bool ss = c->type == CHECKER_EXACT || (c->type == CHECKER_KATTIS && c->space_change_sensitive);
	if (cs)
		buf_adds(b, " case_sensitive");
	if (ss)
		buf_adds(b, " space_change_sensitive");
	if (c->type == CHECKER_FLOAT || c->type == CHECKER_KATTIS) {
		if (!isnan(c->float_abs))
			buf_printf(b, " float_absolute_tolerance %.17g", c->float_abs);
		if (!isnan(c->float_rel))
			buf_printf(b, " float_relative_tolerance %.17g", c->float_rel);
	}
}

/* A YAML double-quoted scalar (JSON's string syntax is YAML's). */
static void yaml_string(struct buf *b, const char *s)
{
	json_t *j = json_string(s ? s : "");
	if (!j)
		j = json_string("");
	char *text = json_dumps(j, JSON_ENCODE_ANY);
	buf_adds(b, text);
	free(text);
	json_decref(j);
}

static int add_text(struct zip_writer *z, const char *path, const struct buf *b)
{
	return zip_writer_add(z, path, b->data ? b->data : "", b->len);
}

static double megabytes(int64_t kb)
{
	return (double)kb / 1024.0;
}

int package_export_zip(struct db *db, int64_t id, char **zip, size_t *len, char **err)
{
	*err = NULL;
	struct db_problem_row *row = db_problem_get(db, id, true);
	if (!row)
		return DB_E_NOT_FOUND;
	struct tests ts = {0};
	char *vdata = NULL, *vlang = NULL, *vflags = NULL;
	size_t vlen = 0;
	bool custom = db_problem_validator(db, id, &vdata, &vlen, &vlang, &vflags) == 0;
	struct checker checker;
	checker_init(&checker, CHECKER_KATTIS);
	json_t *cj = json_loads(row->checker_json ? row->checker_json : "{}", 0, NULL);
	char *cerr = NULL;
	bool parsed = cj && checker_from_json(cj, &checker, &cerr) == 0; /* custom: whether it scores */
	if (!custom && !parsed)
		checker_init(&checker, CHECKER_TOKENS);
	free(cerr);
	json_decref(cj);
	int rc = 0;
	if (custom && strcmp(vlang, "python3") != 0) {
		*err = xasprintf("problem '%s': its %s output validator is kept compiled only, so it cannot be written "
				 "back into a package",
				 row->slug, vlang);
		rc = PACKAGE_E_INVALID;
		goto out;
	}
	if (db_problem_tests(db, id, keep_test, &ts) != 0) {
		*err = xasprintf("problem '%s': has no tests", row->slug);
		rc = PACKAGE_E_INVALID;
		goto out;
	}
	place_tests(&ts);
	double total = 0;
	for (size_t i = 0; i < ts.n; i++)
		total += ts.t[i].points;

	struct zip_writer *z = zip_writer_new();
	struct buf b;
	buf_init(&b);
	buf_adds(&b, "# written by verdict from the stored problem\nname: ");
	yaml_string(&b, row->title);
	buf_printf(&b, "\ntype: %s\n", total > 0 ? "scoring" : "pass-fail");
	if (custom) {
		buf_adds(&b, checker.score && total > 0 ? "validation: custom score\n" : "validation: custom\n");
		if (vflags && *vflags) {
			buf_adds(&b, "validator_flags: ");
			yaml_string(&b, vflags);
			buf_adds(&b, "\n");
		}
	} else {
		struct buf flags;
		buf_init(&flags);
		checker_flags(&flags, &checker);
		buf_adds(&b, "validation: default\n");
		if (flags.len) {
			buf_adds(&b, "validator_flags: ");
			yaml_string(&b, flags.data + 1);
			buf_adds(&b, "\n");
		}
		buf_release(&flags);
	}
	buf_printf(&b, "limits:\n  time_limit: %.17g\n  memory: %.17g\n  output: %.17g\n",
		   (double)row->time_limit_ms / 1000.0, megabytes(row->memory_limit_kb), megabytes(row->output_limit_kb));
	rc = add_text(z, "problem.yaml", &b);
	buf_release(&b);

	bool markdown = !row->statement_format || strcmp(row->statement_format, "text") != 0;
	if (!rc && row->statement && *row->statement)
		rc = zip_writer_add(z, markdown ? "problem_statement/problem.en.md" : "problem_statement/problem.en.tex",
				    row->statement, strlen(row->statement));
	if (!rc && custom)
		rc = zip_writer_add(z, "output_validators/validator/validate.py", vdata, vlen);

	/* Tests, and each scoring group's points on its folder. */
	for (size_t i = 0; !rc && i < ts.n; i++) {
		const struct test_copy *t = &ts.t[i];
		char *in = xasprintf("data/%s.in", t->path), *ans = xasprintf("data/%s.ans", t->path);
		rc = zip_writer_add(z, in, t->input, t->input_len);
		if (!rc)
			rc = zip_writer_add(z, ans, t->output, t->output_len);
		free(in);
		free(ans);
	}
	for (size_t i = 0; !rc && total > 0 && i < ts.n; i++) {
		bool first = true;
		for (size_t k = 0; k < i && first; k++)
			first = strcmp(ts.t[k].group, ts.t[i].group) != 0;
		if (!first || ts.t[i].sample || strcmp(ts.t[i].group, "sample") == 0)
			continue;
		double points = 0;
		for (size_t k = i; k < ts.n; k++)
			if (strcmp(ts.t[k].group, ts.t[i].group) == 0)
				points += ts.t[k].points;
		buf_init(&b);
		group_dir(&b, &ts.t[i]);
		char *path = xasprintf("data/%s/test_group.yaml", b.data);
		buf_release(&b);
		buf_init(&b);
		buf_printf(&b, "max_score: %.17g\n", points);
		rc = add_text(z, path, &b);
		buf_release(&b);
		free(path);
	}
	if (rc)
		zip_writer_free(z);
	else
		rc = zip_writer_finish(z, zip, len);
	if (rc < 0 && !*err)
		*err = xasprintf("problem '%s': cannot write its package", row->slug);
out:
	tests_release(&ts);
	free(vdata);
	free(vlang);
	free(vflags);
	db_problem_row_free(row);
	return rc;
}
