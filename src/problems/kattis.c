/* Kattis problem package semantics over the files the loader read:
 * problem.yaml (name, limits, type, validation), .timelimit, the statement,
 * the output validator, the test pairs of data/sample and data/secret, their
 * groups and points from testdata.yaml and test_group.yaml (the rules are at
 * the top of package.h). It only reads the sorted file list, so it is the same
 * for a zip and a folder, and every error names the package-relative path of
 * the file at fault. */
#include "package.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "jury_files.h"
#include "loader.h"
#include "util.h"

/* Limits a package leaves out: every version of the format (legacy,
   legacy-icpc, 2023-07-draft, 2025-09) says "system default" with a typical
   system default of 2048 MiB of memory and 8 MiB of output, which is what
   problemtools uses; verdict takes those. */
#define DEFAULT_MEMORY_MIB 2048
#define DEFAULT_OUTPUT_MIB 8

#define MAX_YAML_DEPTH 64
#define MAX_YAML_BYTES (1 << 20)

/* Entries the package format says to ignore: __MACOSX/ at the top, and
 * anything with a component starting with '.', except the root .timelimit. */
static bool ignored(const char *path)
{
	return strcmp(path, ".timelimit") != 0 && loader_junk(path);
}

/* A statement folder's file served beside the statement: 'p' for a PDF,
   'i' for an image, else 0. */
static char statement_file_kind(const char *name)
{
	static const char *const images[] = {".png", ".jpg", ".jpeg", ".gif", ".svg"};
	const char *dot = strrchr(name, '.');
	if (!dot)
		return 0;
	if (strcasecmp(dot, ".pdf") == 0)
		return 'p';
	for (size_t i = 0; i < ARRAY_SIZE(images); i++)
		if (strcasecmp(dot, images[i]) == 0)
			return 'i';
	return 0;
}

/* Files worth loading; everything else is only counted. */
static bool wanted(const char *p)
{
	if (strcmp(p, "problem.yaml") == 0 || strcmp(p, ".timelimit") == 0)
		return true;
	if (path_starts(p, "data/")) {
		const char *base = strrchr(p, '/') + 1;
		if (strcmp(base, "testdata.yaml") == 0 || strcmp(base, "test_group.yaml") == 0)
			return true;
		if (path_starts(p, "data/sample/") || path_starts(p, "data/secret/"))
			return path_ends(p, ".in") || path_ends(p, ".ans");
		return false;
	}
	if (path_starts(p, "problem_statement/") || path_starts(p, "statement/")) {
		const char *rest = strchr(p, '/') + 1;
		if (strchr(rest, '/'))
			return false;
		if (statement_file_kind(rest))
			return true; /* a PDF statement, an image */
		return path_starts(rest, "problem.") && (path_ends(rest, ".md") || path_ends(rest, ".tex"));
	}
	if (path_starts(p, "submissions/"))
		return true; /* jury submissions (jury_files.c) */
	return path_starts(p, "output_validators/") || path_starts(p, "output_validator/");
}

/* Every folder or file at the root that wanted() can take something from. */
static const char *const top_level[] = {"problem.yaml", ".timelimit", "data", "problem_statement",
					"statement", "output_validators", "output_validator", "submissions"};

static const struct loader_rules kattis_rules = {
	.marker = "problem.yaml",
	.top_level = top_level,
	.top_level_count = ARRAY_SIZE(top_level),
	.ignored = ignored,
	.wanted = wanted,
};

/* Notes a warning of the package (see package.h). */
static void warn(struct package *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(struct package *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	p->warnings = xrealloc(p->warnings, (p->warning_count + 1) * sizeof *p->warnings);
	p->warnings[p->warning_count++] = xvasprintf(fmt, ap);
	va_end(ap);
}

/* YAML: a thin layer over libyaml's document API that checks types and
 * duplicate keys of the few keys we read. */

struct yaml {
	yaml_document_t doc;
	const char *file;
	yaml_node_t *root;            /* a mapping, or NULL for an empty document */
};

/* libyaml's scanner costs O(depth) per token, so a deeply nested document
 * is quadratic: stop at MAX_YAML_DEPTH with the event parser, which then has
 * looked at most a simple key's length (1024 bytes) ahead. Syntax errors are
 * left to yaml_load, which reports them. */
static int yaml_check_depth(const struct loader_file *f, char **err)
{
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser))
		return -ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)f->data, f->len);
	int depth = 0, rc = 0;
	for (;;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&parser, &ev))
			break;
		yaml_event_type_t type = ev.type;
		yaml_event_delete(&ev);
		if (type == YAML_SEQUENCE_START_EVENT || type == YAML_MAPPING_START_EVENT)
			depth++;
		else if (type == YAML_SEQUENCE_END_EVENT || type == YAML_MAPPING_END_EVENT)
			depth--;
		else if (type == YAML_STREAM_END_EVENT)
			break;
		if (depth > MAX_YAML_DEPTH) {
			rc = loader_fail(err, "%s: nested more than %d levels deep", f->path, MAX_YAML_DEPTH);
			break;
		}
	}
	yaml_parser_delete(&parser);
	return rc;
}

static int yaml_load(struct yaml *y, const struct loader_file *f, char **err)
{
	yaml_parser_t parser;
	y->file = f->path;
	y->root = NULL;
	if (f->len > MAX_YAML_BYTES)
		return loader_fail(err, "%s: larger than %d bytes", f->path, MAX_YAML_BYTES);
	int rc = yaml_check_depth(f, err);
	if (rc)
		return rc;
	if (!yaml_parser_initialize(&parser))
		return -ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)f->data, f->len);
	if (!yaml_parser_load(&parser, &y->doc)) {
		rc = loader_fail(err, "%s: line %zu: %s", f->path, parser.problem_mark.line + 1,
		              parser.problem ? parser.problem : "malformed YAML");
		yaml_parser_delete(&parser);
		return rc;
	}
	yaml_parser_delete(&parser);
	yaml_node_t *root = yaml_document_get_root_node(&y->doc);
	if (root && root->type == YAML_MAPPING_NODE) {
		y->root = root;
	} else if (root && !(root->type == YAML_SCALAR_NODE && root->data.scalar.length == 0)) {
		yaml_document_delete(&y->doc);
		return loader_fail(err, "%s: must be a mapping of keys to values", f->path);
	}
	return 0;
}

static void yaml_release(struct yaml *y)
{
	yaml_document_delete(&y->doc);
}

static bool scalar_is(const yaml_node_t *n, const char *s)
{
	return n && n->type == YAML_SCALAR_NODE && n->data.scalar.length == strlen(s) &&
	       memcmp(n->data.scalar.value, s, n->data.scalar.length) == 0;
}

static bool is_null(const yaml_node_t *n)
{
	if (!n || n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	return n->data.scalar.length == 0 || scalar_is(n, "~") || scalar_is(n, "null") ||
	       scalar_is(n, "Null") || scalar_is(n, "NULL");
}

/* map[key], NULL when absent or null; a duplicate key is an error. */
static int yget(struct yaml *y, yaml_node_t *map, const char *key, yaml_node_t **out, char **err)
{
	*out = NULL;
	if (!map || map->type != YAML_MAPPING_NODE)
		return 0;
	bool seen = false;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		if (!scalar_is(yaml_document_get_node(&y->doc, p->key), key))
			continue;
		if (seen)
			return loader_fail(err, "%s: duplicate key '%s'", y->file, key);
		seen = true;
		*out = yaml_document_get_node(&y->doc, p->value);
	}
	if (is_null(*out))
		*out = NULL;
	return 0;
}

static int ystring(struct yaml *y, yaml_node_t *n, const char *key, char **out, char **err)
{
	if (n->type != YAML_SCALAR_NODE || memchr(n->data.scalar.value, '\0', n->data.scalar.length))
		return loader_fail(err, "%s: '%s' must be a string", y->file, key);
	*out = xstrndup((const char *)n->data.scalar.value, n->data.scalar.length);
	return 0;
}

static int ynumber(struct yaml *y, yaml_node_t *n, const char *key, double *out, char **err)
{
	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
	    !checker_parse_number((const char *)n->data.scalar.value, n->data.scalar.length, out))
		return loader_fail(err, "%s: '%s' must be a number", y->file, key);
	return 0;
}

/* Build */

enum aggregation { AGG_SUM, AGG_MIN, AGG_MAX, AGG_AVG };

struct gconf {
	const struct loader_file *file;
	char *dir;                    /* folder of the file: "data/secret/g1" */
	bool legacy;                  /* testdata.yaml, not test_group.yaml */
	bool has_accept;              /* legacy accept_score */
	double accept;
	bool has_score;               /* scoring.score (2023-07) or max_score (2025-09) */
	double score;
	enum aggregation agg;         /* from legacy grader_flags; sum by default */
	const char *points_key;       /* the key that gave points, for messages */
};

struct build {
	struct loader_tree *l;
	struct package *p;
	char **err;
	bool legacy_format;
	bool custom;
	bool interactive;             /* type: interactive, or validation: custom interactive */
	bool multi_pass;              /* type: multi-pass */
	bool score;                   /* validation: custom score (score.txt) */
	double passes;                /* limits.validation_passes (multi-pass), default 2 */
	struct gconf *confs;
	size_t nconfs;
};

static int read_name(struct build *b, struct yaml *y, yaml_node_t *n)
{
	if (n->type == YAML_MAPPING_NODE) {
		yaml_node_t *v;
		int rc = yget(y, n, "en", &v, b->err);
		if (rc)
			return rc;
		if (!v && n->data.mapping.pairs.start < n->data.mapping.pairs.top)
			v = yaml_document_get_node(&y->doc, n->data.mapping.pairs.start->value);
		if (!v)
			return loader_fail(b->err, "%s: 'name' is an empty map", y->file);
		n = v;
	}
	if (n->type != YAML_SCALAR_NODE)
		return loader_fail(b->err, "%s: 'name' must be a string or a map of languages to strings", y->file);
	return ystring(y, n, "name", &b->p->name, b->err);
}

static int read_one_type(struct build *b, struct yaml *y, yaml_node_t *v)
{
	if (!v || v->type != YAML_SCALAR_NODE)
		return loader_fail(b->err, "%s: 'type' must be a string or a list of strings", y->file);
	if (scalar_is(v, "scoring"))
		b->p->scoring = true;
	else if (scalar_is(v, "interactive"))
		b->interactive = true;
	else if (scalar_is(v, "multi-pass"))
		b->multi_pass = true;
	else if (scalar_is(v, "submit-answer"))
		return loader_fail(b->err, "%s: type '%s' is not supported", y->file, (const char *)v->data.scalar.value);
	else if (!scalar_is(v, "pass-fail"))
		return loader_fail(b->err, "%s: unknown type '%.64s'", y->file, (const char *)v->data.scalar.value);
	return 0;
}

static int read_type(struct build *b, struct yaml *y, yaml_node_t *n)
{
	if (n->type != YAML_SEQUENCE_NODE)
		return read_one_type(b, y, n);
	for (yaml_node_item_t *i = n->data.sequence.items.start; i < n->data.sequence.items.top; i++) {
		int rc = read_one_type(b, y, yaml_document_get_node(&y->doc, *i));
		if (rc)
			return rc;
	}
	return 0;
}

static int read_validation(struct build *b, struct yaml *y, yaml_node_t *n, bool *given)
{
	char *v;
	int rc = ystring(y, n, "validation", &v, b->err);
	if (rc)
		return rc;
	*given = true;
	char *save = NULL;
	char *word = strtok_r(v, " \t", &save);
	if (word && strcmp(word, "custom") == 0)
		b->custom = true;
	else if (!word || strcmp(word, "default") != 0)
		rc = loader_fail(b->err, "%s: 'validation' must start with default or custom", y->file);
	while (!rc && (word = strtok_r(NULL, " \t", &save))) {
		if (b->custom && strcmp(word, "interactive") == 0)
			b->interactive = true;
		else if (b->custom && strcmp(word, "score") == 0)
			b->score = true;
		else
			rc = loader_fail(b->err, "%s: validation '%s' is not supported", y->file, word);
	}
	free(v);
	return rc;
}

/* A limit: a number in (0, max]. */
static int read_limit(struct build *b, struct yaml *y, yaml_node_t *limits, const char *key, double max,
                      const char *unit, double *out)
{
	yaml_node_t *n;
	int rc = yget(y, limits, key, &n, b->err);
	if (rc || !n)
		return rc;
	double v;
	char what[64];
	snprintf(what, sizeof what, "limits.%s", key);
	if ((rc = ynumber(y, n, what, &v, b->err)))
		return rc;
	if (!(v > 0 && v <= max))
		return loader_fail(b->err, "%s: limits.%s must be more than 0 and at most %g %s", y->file, key, max, unit);
	*out = v;
	return 0;
}

/* How a missing time limit is derived (jury_files.h): legacy time_multiplier
   (5) and time_safety_margin (2); later formats time_multipliers
   {ac_to_time_limit (2), time_limit_to_tle (1.5)}; time_resolution (1 s). */
static int read_time_multipliers(struct build *b, struct yaml *y, yaml_node_t *limits)
{
	struct package *p = b->p;
	p->ac_to_time_limit = b->legacy_format ? 5 : 2;
	p->time_limit_to_tle = b->legacy_format ? 2 : 1.5;
	p->time_resolution = 1;
	int rc;
	if (!limits)
		return 0;
	if ((rc = read_limit(b, y, limits, "time_multiplier", 1000, "times", &p->ac_to_time_limit)) ||
	    (rc = read_limit(b, y, limits, "time_safety_margin", 1000, "times", &p->time_limit_to_tle)) ||
	    (rc = read_limit(b, y, limits, "time_resolution", 60, "seconds", &p->time_resolution)))
		return rc;
	yaml_node_t *m;
	if ((rc = yget(y, limits, "time_multipliers", &m, b->err)) || !m)
		return rc;
	if (m->type != YAML_MAPPING_NODE)
		return loader_fail(b->err, "%s: limits.time_multipliers must be a mapping", y->file);
	if ((rc = read_limit(b, y, m, "ac_to_time_limit", 1000, "times", &p->ac_to_time_limit)) ||
	    (rc = read_limit(b, y, m, "time_limit_to_tle", 1000, "times", &p->time_limit_to_tle)))
		return rc;
	if (p->ac_to_time_limit < 1 || p->time_limit_to_tle < 1)
		return loader_fail(b->err, "%s: limits.time_multipliers must be at least 1", y->file);
	return 0;
}

static int read_problem_yaml(struct build *b)
{
	struct package *p = b->p;
	struct loader_file *f = loader_find(b->l, "problem.yaml");
	struct yaml y;
	int rc = yaml_load(&y, f, b->err);
	if (rc)
		return rc;
	yaml_node_t *n;
	double time_s = NAN, memory_mib = DEFAULT_MEMORY_MIB, output_mib = DEFAULT_OUTPUT_MIB;
	bool validation_given = false;

	if ((rc = yget(&y, y.root, "problem_format_version", &n, b->err)))
		goto out;
	if (n) {
		char *version;
		if ((rc = ystring(&y, n, "problem_format_version", &version, b->err)))
			goto out;
		b->legacy_format = strcmp(version, "legacy") == 0 || strcmp(version, "legacy-icpc") == 0;
		free(version);
	}
	if ((rc = yget(&y, y.root, "name", &n, b->err)) || (n && (rc = read_name(b, &y, n))))
		goto out;
	if ((rc = yget(&y, y.root, "uuid", &n, b->err)) || (n && (rc = ystring(&y, n, "uuid", &p->uuid, b->err))))
		goto out;
	if ((rc = yget(&y, y.root, "type", &n, b->err)) || (n && (rc = read_type(b, &y, n))))
		goto out;
	if ((rc = yget(&y, y.root, "validation", &n, b->err)) ||
	    (n && (rc = read_validation(b, &y, n, &validation_given))))
		goto out;
	if ((rc = yget(&y, y.root, "validator_flags", &n, b->err)) ||
	    (n && (rc = ystring(&y, n, "validator_flags", &p->validator_flags, b->err))))
		goto out;
	if ((rc = yget(&y, y.root, "limits", &n, b->err)))
		goto out;
	if (n && n->type != YAML_MAPPING_NODE) {
		rc = loader_fail(b->err, "%s: 'limits' must be a mapping", y.file);
		goto out;
	}
	if ((rc = read_limit(b, &y, n, "time_limit", 3600, "seconds", &time_s)) ||
	    (rc = read_limit(b, &y, n, "memory", 1 << 20, "MiB", &memory_mib)) ||
	    (rc = read_limit(b, &y, n, "output", 1 << 20, "MiB", &output_mib)) ||
	    (rc = read_limit(b, &y, n, "validation_passes", CHECKER_MAX_PASSES, "passes", &b->passes)))
		goto out;
	if (b->passes != floor(b->passes) || b->passes < 2) {
		rc = loader_fail(b->err, "%s: limits.validation_passes must be a whole number from 2 to %d", y.file,
				 CHECKER_MAX_PASSES);
		goto out;
	}

	if ((rc = read_time_multipliers(b, &y, n)))
		goto out;
	p->time_limit_given = !isnan(time_s) || loader_find(b->l, ".timelimit");
	if (isnan(time_s)) {
		time_s = 1;
		struct loader_file *t = loader_find(b->l, ".timelimit");
		if (t) {
			size_t s = 0, e = t->len;
			while (s < e && strchr(" \t\r\n", t->data[s]))
				s++;
			while (e > s && strchr(" \t\r\n", t->data[e - 1]))
				e--;
			char num[64];
			double v = 0;
			bool ok = e - s < sizeof num;
			if (ok) {
				memcpy(num, t->data + s, e - s);
				num[e - s] = '\0';
				ok = checker_parse_number(num, e - s, &v) && v > 0 && v <= 3600;
			}
			if (!ok) {
				rc = loader_fail(b->err, ".timelimit: must hold a number of seconds, more than 0 and at most 3600");
				goto out;
			}
			time_s = v;
		}
	}
	p->time_limit_ms = (int)llround(time_s * 1000);
	if (p->time_limit_ms < 1)
		p->time_limit_ms = 1;
	p->memory_limit_kb = (int)llround(memory_mib * 1024);
	p->output_limit_kb = (int)llround(output_mib * 1024);
	if (p->memory_limit_kb < 1)
		p->memory_limit_kb = 1;
	if (p->output_limit_kb < 1)
		p->output_limit_kb = 1;

	/* An interactor or a multi-pass validator is a custom output validator. */
	if (b->interactive || b->multi_pass)
		b->custom = true;
	/* Without `validation` the newer formats decide by the validator's presence. */
	if (!validation_given && !b->legacy_format) {
		for (size_t i = 0; i < b->l->nfiles; i++)
			if (path_starts(b->l->files[i].path, "output_validators/") ||
			    path_starts(b->l->files[i].path, "output_validator/"))
				b->custom = true;
	}
out:
	yaml_release(&y);
	return rc;
}

/* LaTeX titles */

/* Appends the text of LaTeX src[0..n) to out without its markup: a macro's
   braced argument stays (\emph{x} is x), a macro without one goes, \& and its
   kind are the character, ~ is a space, $ and braces go. */
static void tex_plain(struct buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '\\' && i + 1 < n && strchr("&%$#_{}", s[i + 1])) {
			buf_add(out, &s[++i], 1);
		} else if (c == '\\' && i + 1 < n && s[i + 1] == '\\') {
			buf_add(out, " ", 1);
			i++;
		} else if (c == '\\') {
			while (i + 1 < n && ((s[i + 1] >= 'a' && s[i + 1] <= 'z') || (s[i + 1] >= 'A' && s[i + 1] <= 'Z')))
				i++;
			if (i + 1 < n && s[i + 1] == ' ')
				i++;
		} else if (c == '~' || c == '\n' || c == '\t' || c == '\r') {
			buf_add(out, " ", 1);
		} else if (c != '{' && c != '}' && c != '$') {
			buf_add(out, &c, 1);
		}
	}
}

/* The title of a LaTeX statement: its "%% plainproblemname:" comment, else
   the argument of \problemname{...} (braces balanced) without markup; NULL if
   it has neither. */
static char *tex_title(const char *s, size_t n)
{
	static const char plain[] = "%% plainproblemname:";
	static const char macro[] = "\\problemname";
	struct buf b;
	buf_init(&b);
	const char *hit = memmem(s, n, plain, sizeof plain - 1);
	if (hit) {
		const char *v = hit + sizeof plain - 1, *end = memchr(v, '\n', n - (size_t)(v - s));
		buf_add(&b, v, end ? (size_t)(end - v) : n - (size_t)(v - s));
	} else if ((hit = memmem(s, n, macro, sizeof macro - 1))) {
		size_t i = (size_t)(hit - s) + sizeof macro - 1;
		while (i < n && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t'))
			i++;
		if (i < n && s[i] == '[') { /* an optional argument first */
			while (i < n && s[i] != ']')
				i++;
			i++;
		}
		if (i < n && s[i] == '{') {
			size_t start = ++i;
			int depth = 1;
			for (; i < n && depth > 0; i++) {
				if (s[i] == '\\')
					i++; /* \{ and \} are text */
				else
					depth += s[i] == '{' ? 1 : s[i] == '}' ? -1 : 0;
			}
			if (depth == 0)
				tex_plain(&b, s + start, i - 1 - start);
		}
	}
	/* trimmed, runs of spaces as one */
	buf_add(&b, "", 1);
	char *t = buf_detach(&b, NULL), *w = t;
	for (const char *r = t; *r; r++)
		if (*r != ' ' || (w > t && w[-1] != ' '))
			*w++ = *r;
	while (w > t && w[-1] == ' ')
		w--;
	*w = '\0';
	if (!*t || !utf8_valid((const unsigned char *)t, strlen(t))) {
		free(t);
		return NULL;
	}
	return t;
}

/* Without a name in problem.yaml: the title of a LaTeX statement (English
   first), else the package's folder. */
static int read_title(struct build *b)
{
	static const char *const dirs[] = {"problem_statement/", "statement/"};
	struct package *p = b->p;
	if (p->name && *p->name)
		return 0;
	free(p->name);
	p->name = NULL;
	for (int pass = 0; pass < 3 && !p->name; pass++) {
		for (size_t i = 0; i < b->l->nfiles && !p->name; i++) {
			const struct loader_file *f = &b->l->files[i];
			const char *base = NULL;
			for (size_t d = 0; d < 2; d++)
				if (path_starts(f->path, dirs[d]))
					base = f->path + strlen(dirs[d]);
			if (!base || !path_ends(base, ".tex"))
				continue;
			bool en = strcmp(base, "problem.en.tex") == 0, plain = strcmp(base, "problem.tex") == 0;
			if ((pass == 0 && en) || (pass == 1 && plain) || (pass == 2 && !en && !plain))
				p->name = tex_title(f->data, f->len);
		}
	}
	if (!p->name && p->folder)
		p->name = xstrdup(p->folder);
	if (!p->name)
		return loader_fail(b->err, "problem.yaml: 'name' is required (or a LaTeX statement with \\problemname)");
	return 0;
}

static int read_statement(struct build *b)
{
	static const char *const dirs[] = {"problem_statement/", "statement/"};
	static const char *const exts[] = {".md", ".tex"};
	struct package *p = b->p;
	struct loader_file *f = NULL;
	for (size_t e = 0; e < 2 && !f; e++) {
		for (size_t d = 0; d < 2 && !f; d++) {
			char *en = xasprintf("%sproblem.en%s", dirs[d], exts[e]);
			char *plain = xasprintf("%sproblem%s", dirs[d], exts[e]);
			f = loader_find(b->l, en);
			if (!f)
				f = loader_find(b->l, plain);
			free(en);
			free(plain);
		}
		/* any other language, the first by name */
		for (size_t i = 0; i < b->l->nfiles && !f; i++) {
			const char *path = b->l->files[i].path;
			for (size_t d = 0; d < 2; d++)
				if (path_starts(path, dirs[d]) && path_ends(path, exts[e]))
					f = &b->l->files[i];
		}
		p->statement_is_markdown = e == 0;
	}
	if (!f) {
		p->statement = xstrdup("");
		p->statement_is_markdown = true;
		return 0;
	}
	if (memchr(f->data, '\0', f->len) || !utf8_valid((const unsigned char *)f->data, f->len))
		return loader_fail(b->err, "%s: not valid UTF-8 text", f->path);
	p->statement = f->data;
	f->data = NULL;
	return 0;
}

/* Whether a served file's name can be a URL segment: [A-Za-z0-9_.-]{1,36}, not starting with '-' or '.'. */
static bool servable_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 36 || s[0] == '-' || s[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		      strchr("_.-", s[i])))
			return false;
	return true;
}

static void add_statement_file(struct package *p, const char *name, struct loader_file *f)
{
	p->statement_files = xrealloc(p->statement_files, (p->statement_file_count + 1) * sizeof *p->statement_files);
	p->statement_files[p->statement_file_count++] = (struct package_file){xstrdup(name), f->data, f->len};
	f->data = NULL;
}

/* The PDF statement (English first, as "statement.pdf") and the images the
   statement names (with or without their extension, as \includegraphics
   may), after read_statement. */
static void read_statement_files(struct build *b)
{
	static const char *const dirs[] = {"problem_statement/", "statement/"};
	struct package *p = b->p;
	struct loader_file *pdf = NULL;
	int rank = 3;
	for (size_t i = 0; i < b->l->nfiles; i++) {
		struct loader_file *f = &b->l->files[i];
		const char *base = NULL;
		for (size_t d = 0; d < 2; d++)
			if (path_starts(f->path, dirs[d]))
				base = f->path + strlen(dirs[d]);
		if (!base || !f->data)
			continue;
		char kind = statement_file_kind(base);
		if (kind == 'p' && path_starts(base, "problem.")) {
			int r = strcasecmp(base, "problem.en.pdf") == 0 ? 0 : strcasecmp(base, "problem.pdf") == 0 ? 1 : 2;
			if (r < rank) {
				pdf = f;
				rank = r;
			}
			continue;
		}
		if (kind != 'i')
			continue;
		size_t stem = (size_t)(strrchr(base, '.') - base);
		char *bare = xstrndup(base, stem);
		bool named = *p->statement && (strstr(p->statement, base) || strstr(p->statement, bare));
		free(bare);
		if (!named)
			continue;
		if (!servable_name(base)) {
			warn(p, "%s: not served with the statement: its name must be 1 to 36 letters, digits, '_', '.' or '-'",
			     f->path);
			continue;
		}
		add_statement_file(p, base, f);
	}
	if (pdf)
		add_statement_file(p, "statement.pdf", pdf);
}

static bool is_source(const char *path)
{
	static const char *const exts[] = {".c", ".cc", ".cpp", ".cxx", ".c++", ".C", ".py"};
	for (size_t i = 0; i < ARRAY_SIZE(exts); i++)
		if (path_ends(path, exts[i]))
			return true;
	return false;
}

static int read_validator(struct build *b)
{
	struct package *p = b->p;
	struct loader_tree *l = b->l;
	size_t first = SIZE_MAX, count = 0;
	bool legacy_dir = false, new_dir = false;
	for (size_t i = 0; i < l->nfiles; i++) {
		legacy_dir |= path_starts(l->files[i].path, "output_validators/");
		new_dir |= path_starts(l->files[i].path, "output_validator/");
	}
	if (!b->custom)
		return 0;
	if (legacy_dir && new_dir)
		return loader_fail(b->err, "output_validators: both output_validator/ and output_validators/ exist");
	if (!legacy_dir && !new_dir)
		return loader_fail(b->err, "output_validators: missing, but problem.yaml asks for a custom validator");
	const char *root = legacy_dir ? "output_validators/" : "output_validator/";
	size_t root_len = strlen(root);
	/* legacy: exactly one program, a single file or a folder */
	const char *name = NULL;
	size_t name_len = 0;
	for (size_t i = 0; i < l->nfiles; i++) {
		const char *path = l->files[i].path;
		if (!path_starts(path, root))
			continue;
		if (first == SIZE_MAX)
			first = i;
		count++;
		if (!legacy_dir)
			continue;
		const char *rest = path + root_len;
		size_t len = strcspn(rest, "/");
		if (!name) {
			name = rest;
			name_len = len;
		} else if (len != name_len || memcmp(rest, name, len) != 0) {
			return loader_fail(b->err, "output_validators: holds more than one validator ('%.*s' and '%.*s')",
			            (int)name_len, name, (int)len, rest);
		}
	}
	/* the files of one folder are contiguous in path order */
	size_t skip = root_len;
	bool single_file = legacy_dir && name[name_len] == '\0';
	if (legacy_dir) {
		p->validator_name = xstrndup(name, name_len);
		if (!single_file)
			skip += name_len + 1;
	} else {
		p->validator_name = xstrdup("output_validator");
	}
	p->validator_files = xcalloc(count, sizeof *p->validator_files);
	bool source = false;
	for (size_t i = first; i < first + count; i++) {
		struct loader_file *f = &l->files[i];
		struct package_file *v = &p->validator_files[p->validator_count++];
		v->path = xstrdup(single_file ? f->path + root_len : f->path + skip);
		v->data = f->data;
		v->len = f->len;
		f->data = NULL;
		source |= is_source(v->path);
	}
	if (!source)
		return loader_fail(b->err, "%s%s: no C, C++ or Python source file", root,
		            legacy_dir ? p->validator_name : "");
	return 0;
}

/* testdata.yaml and test_group.yaml files */

static void parse_grader_flags(const char *flags, enum aggregation *agg)
{
	char *copy = xstrdup(flags), *save = NULL;
	for (char *w = strtok_r(copy, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save)) {
		if (strcmp(w, "sum") == 0)
			*agg = AGG_SUM;
		else if (strcmp(w, "min") == 0)
			*agg = AGG_MIN;
		else if (strcmp(w, "max") == 0)
			*agg = AGG_MAX;
		else if (strcmp(w, "avg") == 0)
			*agg = AGG_AVG;
	}
	free(copy);
}

static int read_gconf(struct build *b, const struct loader_file *f, struct gconf *g)
{
	struct yaml y;
	int rc = yaml_load(&y, f, b->err);
	if (rc)
		return rc;
	memset(g, 0, sizeof *g);
	g->file = f;
	g->dir = xstrndup(f->path, (size_t)(strrchr(f->path, '/') - f->path));
	g->legacy = path_ends(f->path, "/testdata.yaml");
	g->agg = AGG_SUM;
	yaml_node_t *n;
	char *s;

	/* Validator arguments per group would change the checker per test. */
	if ((rc = yget(&y, y.root, "output_validator_flags", &n, b->err)))
		goto out;
	if (n && !(n->type == YAML_SCALAR_NODE && n->data.scalar.length == 0)) {
		rc = loader_fail(b->err, "%s: output_validator_flags are not supported, use validator_flags in problem.yaml", f->path);
		goto out;
	}
	if ((rc = yget(&y, y.root, "output_validator_args", &n, b->err)))
		goto out;
	if (n && !(n->type == YAML_SEQUENCE_NODE && n->data.sequence.items.start == n->data.sequence.items.top)) {
		rc = loader_fail(b->err, "%s: output_validator_args are not supported, use validator_flags in problem.yaml", f->path);
		goto out;
	}
	if ((rc = yget(&y, y.root, "grading", &n, b->err)))
		goto out;
	if (n && scalar_is(n, "custom")) {
		rc = loader_fail(b->err, "%s: custom graders are not supported", f->path);
		goto out;
	}
	if ((rc = yget(&y, y.root, "grader_flags", &n, b->err)))
		goto out;
	if (n) {
		if ((rc = ystring(&y, n, "grader_flags", &s, b->err)))
			goto out;
		parse_grader_flags(s, &g->agg);
		free(s);
	}
	if ((rc = yget(&y, y.root, "accept_score", &n, b->err)))
		goto out;
	if (n) {
		if ((rc = ynumber(&y, n, "accept_score", &g->accept, b->err)))
			goto out;
		g->has_accept = true;
		g->points_key = "accept_score";
	}
	if ((rc = yget(&y, y.root, "scoring", &n, b->err)))
		goto out;
	if (n) {
		yaml_node_t *score;
		if (n->type != YAML_MAPPING_NODE) {
			rc = loader_fail(b->err, "%s: 'scoring' must be a mapping", f->path);
			goto out;
		}
		if ((rc = yget(&y, n, "score", &score, b->err)))
			goto out;
		if (score && !scalar_is(score, "unbounded")) {
			if ((rc = ynumber(&y, score, "scoring.score", &g->score, b->err)))
				goto out;
			g->has_score = true;
			g->points_key = "scoring.score";
		}
	}
	if ((rc = yget(&y, y.root, "max_score", &n, b->err)))
		goto out;
	if (n && !scalar_is(n, "unbounded")) {
		if ((rc = ynumber(&y, n, "max_score", &g->score, b->err)))
			goto out;
		g->has_score = true;
		g->points_key = "max_score";
	}
	if ((g->has_accept && !(g->accept >= 0)) || (g->has_score && !(g->score >= 0)))
		rc = loader_fail(b->err, "%s: %s must not be negative", f->path, g->points_key);
out:
	yaml_release(&y);
	if (rc) {
		free(g->dir);
		g->dir = NULL;
	}
	return rc;
}

static int read_gconfs(struct build *b)
{
	struct loader_tree *l = b->l;
	b->confs = xcalloc(l->nfiles ? l->nfiles : 1, sizeof *b->confs);
	for (size_t i = 0; i < l->nfiles; i++) {
		const char *path = l->files[i].path;
		if (!path_starts(path, "data/") || (!path_ends(path, "/testdata.yaml") && !path_ends(path, "/test_group.yaml")))
			continue;
		struct gconf *g = &b->confs[b->nconfs];
		int rc = read_gconf(b, &l->files[i], g);
		if (rc)
			return rc;
		b->nconfs++;
		const char *dir = g->dir;
		bool sample = strcmp(dir, "data/sample") == 0 || path_starts(dir, "data/sample/");
		bool secret = strcmp(dir, "data/secret") == 0 || path_starts(dir, "data/secret/");
		if (!g->points_key || sample)
			continue;
		if (!b->p->scoring)
			return loader_fail(b->err, "%s: %s needs 'type: scoring' in problem.yaml", path, g->points_key);
		/* data/secret or data/secret/<group>, nothing deeper */
		if (secret && strcmp(dir, "data/secret") != 0 && strchr(dir + strlen("data/secret/"), '/'))
			return loader_fail(b->err, "%s: points of nested test groups are not supported", path);
	}
	return 0;
}

static const struct gconf *gconf_at(struct build *b, const char *dir, bool legacy)
{
	for (size_t i = 0; i < b->nconfs; i++)
		if (b->confs[i].legacy == legacy && strcmp(b->confs[i].dir, dir) == 0)
			return &b->confs[i];
	return NULL;
}

static double group_points(struct build *b, const char *dir, size_t tests)
{
	const struct gconf *g = gconf_at(b, dir, false);
	if (g && g->has_score)
		return g->score;
	g = gconf_at(b, dir, true);
	if (g && g->has_score)
		return g->score;
	/* legacy testdata.yaml is inherited whole from the nearest ancestor */
	if (!g && strcmp(dir, "data/secret") != 0)
		g = gconf_at(b, "data/secret", true);
	if (!g)
		g = gconf_at(b, "data", true);
	double accept = g && g->has_accept ? g->accept : 1;
	enum aggregation agg = g ? g->agg : AGG_SUM;
	return agg == AGG_SUM ? accept * (double)tests : accept;
}

/* tests */

struct half {
	char *base;                   /* path without .in / .ans */
	bool ans;
	struct loader_file *file;
};

static int half_cmp(const void *a, const void *b)
{
	const struct half *x = a, *y = b;
	int c = path_cmp(x->base, y->base);
	return c ? c : (int)x->ans - (int)y->ans;
}

static char *group_of(const char *name)
{
	if (path_starts(name, "sample/"))
		return xstrdup("sample");
	const char *rest = name + strlen("secret/");
	const char *slash = strchr(rest, '/');
	if (!slash)
		return xstrdup("secret");
	return xstrndup(name, (size_t)(slash - name));
}

static int read_tests(struct build *b)
{
	struct package *p = b->p;
	struct loader_tree *l = b->l;
	struct half *h = xcalloc(l->nfiles ? l->nfiles : 1, sizeof *h);
	size_t n = 0;
	int rc = 0;
	for (size_t i = 0; i < l->nfiles; i++) {
		const char *path = l->files[i].path;
		if (!path_starts(path, "data/sample/") && !path_starts(path, "data/secret/"))
			continue;
		bool in = path_ends(path, ".in"), ans = path_ends(path, ".ans");
		if (!in && !ans)
			continue;
		h[n].base = xstrndup(path, strlen(path) - (in ? 3 : 4));
		h[n].ans = ans;
		h[n++].file = &l->files[i];
	}
	qsort(h, n, sizeof *h, half_cmp);
	p->tests = xcalloc(n ? n : 1, sizeof *p->tests);
	bool any_secret = false;
	for (size_t i = 0; i < n; i++) {
		bool pair = i + 1 < n && strcmp(h[i].base, h[i + 1].base) == 0;
		if (!pair) {
			rc = loader_fail(b->err, "%s: no matching %s file", h[i].file->path, h[i].ans ? ".in" : ".ans");
			goto out;
		}
		if (i + 2 < n && strcmp(h[i].base, h[i + 2].base) == 0) {
			rc = loader_fail(b->err, "%s: more than one .in or .ans file", h[i].file->path);
			goto out;
		}
		struct package_test *t = &p->tests[p->test_count++];
		t->name = xstrdup(h[i].base + strlen("data/"));
		t->group = group_of(t->name);
		t->sample = path_starts(t->name, "sample/");
		any_secret |= !t->sample;
		t->input = h[i].file->data;
		t->input_len = h[i].file->len;
		t->answer = h[i + 1].file->data;
		t->answer_len = h[i + 1].file->len;
		h[i].file->data = h[i + 1].file->data = NULL;
		i++;
	}
	if (p->test_count == 0)
		rc = loader_fail(b->err, "data/: no test cases (each needs a .in and a .ans file in data/sample or data/secret)");
	else if (!any_secret)
		warn(p, "data/secret: no test cases, so submissions are judged on the %zu sample%s alone", p->test_count,
		     p->test_count == 1 ? "" : "s");
out:
	for (size_t i = 0; i < n; i++)
		free(h[i].base);
	free(h);
	return rc;
}

static void make_groups(struct build *b)
{
	struct package *p = b->p;
	p->groups = xcalloc(p->test_count ? p->test_count : 1, sizeof *p->groups);
	for (size_t i = 0; i < p->test_count; i++) {
		struct package_group *g = NULL;
		for (size_t k = 0; k < p->group_count && !g; k++)
			if (strcmp(p->groups[k].name, p->tests[i].group) == 0)
				g = &p->groups[k];
		if (!g) {
			g = &p->groups[p->group_count++];
			g->name = xstrdup(p->tests[i].group);
		}
		g->test_count++;
	}
	if (!p->scoring)
		return;
	for (size_t k = 0; k < p->group_count; k++) {
		struct package_group *g = &p->groups[k];
		if (strcmp(g->name, "sample") == 0)
			continue;
		char *dir = xasprintf("data/%s", g->name);
		g->points = group_points(b, dir, g->test_count);
		free(dir);
	}
}

/* Custom scoring: needs type scoring; a group's test scores add up as the
   legacy grader_flags of data/secret (else data) say, sum by default. */
static int score_aggregation(struct build *b)
{
	if (!b->p->scoring)
		return loader_fail(b->err, "problem.yaml: validation 'custom score' needs 'type: scoring'");
	static const char *const names[] = {[AGG_SUM] = "sum", [AGG_MIN] = "min", [AGG_MAX] = "max", [AGG_AVG] = "avg"};
	const struct gconf *g = gconf_at(b, "data/secret", true);
	if (!g)
		g = gconf_at(b, "data", true);
	snprintf(b->p->checker.score_aggregation, sizeof b->p->checker.score_aggregation, "%s",
		 names[g ? g->agg : AGG_SUM]);
	return 0;
}

static int build(struct loader_tree *l, struct package *p, char **err)
{
	struct build b = {.l = l, .p = p, .err = err, .legacy_format = true, .passes = 2};
	if (!loader_find(l, "problem.yaml"))
		return loader_fail(err, "problem.yaml: not found");
	int rc = read_problem_yaml(&b);
	if (!rc)
		rc = read_title(&b);
	if (!rc)
		rc = read_statement(&b);
	if (!rc)
		read_statement_files(&b);
	if (!rc)
		rc = read_validator(&b);
	if (!rc) {
		char *flags_err = NULL;
		if (b.custom) {
			checker_init(&p->checker, CHECKER_CUSTOM);
			p->checker.interactive = b.interactive;
			p->checker.passes = b.multi_pass ? (int)b.passes : 1;
			p->checker.score = b.score;
		} else if (checker_from_kattis_flags(p->validator_flags, &p->checker, &flags_err)) {
			rc = loader_fail(err, "problem.yaml: %s", flags_err);
			free(flags_err);
		}
	}
	if (!rc)
		rc = read_tests(&b);
	if (!rc)
		rc = read_gconfs(&b);
	if (!rc)
		make_groups(&b);
	if (!rc && b.score)
		rc = score_aggregation(&b);
	if (!rc)
		rc = jury_read_submissions(l, p, err);
	for (size_t i = 0; i < b.nconfs; i++)
		free(b.confs[i].dir);
	free(b.confs);
	return rc;
}

/* Builds *out from the loaded files when rc is 0, within lim's test count; releases them either way. */
static int finish(struct loader_tree *t, const struct package_limits *lim, struct package **out, char **err, int rc)
{
	struct package *p = NULL;
	if (!rc) {
		p = xcalloc(1, sizeof *p);
		p->folder = t->folder;
		t->folder = NULL;
		rc = build(t, p, err);
	}
	uint64_t max_tests = (lim ? lim : &PACKAGE_LIMITS_DEFAULT)->max_tests;
	if (!rc && max_tests && p->test_count > max_tests)
		rc = loader_fail(err, "data/: %zu test cases, more than the limit of %llu per problem (--max-tests)",
				 p->test_count, (unsigned long long)max_tests);
	loader_release(t);
	if (rc) {
		package_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

int package_read_zip(const void *data, size_t len, const struct package_limits *lim,
                     struct package **out, char **err)
{
	struct loader_tree t;
	if (err)
		*err = NULL;
	int rc = loader_read_zip(data, len, lim, &kattis_rules, &t, err);
	return finish(&t, lim, out, err, rc);
}

int package_read_dir(const char *path, const struct package_limits *lim,
                     struct package **out, char **err)
{
	struct loader_tree t;
	if (err)
		*err = NULL;
	int rc = loader_read_dir(path, lim, &kattis_rules, &t, err);
	return finish(&t, lim, out, err, rc);
}
void package_free(struct package *p)
{
	if (!p)
		return;
	free(p->name);
	free(p->uuid);
	free(p->folder);
	free(p->statement);
	free(p->validator_flags);
	free(p->validator_name);
	for (size_t i = 0; i < p->validator_count; i++) {
		free(p->validator_files[i].path);
		free(p->validator_files[i].data);
	}
	free(p->validator_files);
	for (size_t i = 0; i < p->test_count; i++) {
		free(p->tests[i].name);
		free(p->tests[i].group);
		free(p->tests[i].input);
		free(p->tests[i].answer);
	}
	free(p->tests);
	for (size_t i = 0; i < p->group_count; i++)
		free(p->groups[i].name);
	free(p->groups);
	for (size_t i = 0; i < p->statement_file_count; i++) {
		free(p->statement_files[i].path);
		free(p->statement_files[i].data);
	}
	free(p->statement_files);
	for (size_t i = 0; i < p->warning_count; i++)
		free(p->warnings[i]);
	free(p->warnings);
	jury_files_free(p);
	free(p);
}
