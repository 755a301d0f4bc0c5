/* submissions/: each jury submission with the verdicts it may get (see jury_files.h). */
#include "jury_files.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "loader.h"
#include "util.h"

static const struct {
	const char *folder, *expected;
} folders[] = {
	{"accepted", "AC"},          {"wrong_answer", "WA"},    {"time_limit_exceeded", "TLE"},
	{"run_time_error", "RTE"},   {"rejected", "WA,TLE,RTE"}, {"brute_force", "TLE,RTE"},
};

static const struct {
	const char *domjudge, *verdict;
} results[] = {
	{"CORRECT", "AC"},      {"WRONG-ANSWER", "WA"},   {"TIMELIMIT", "TLE"},  {"RUN-ERROR", "RTE"},
	{"COMPILER-ERROR", "CE"}, {"NO-OUTPUT", "WA"},     {"OUTPUT-LIMIT", "OLE"}, {"MEMORY-LIMIT", "MLE"},
};

static const char *verdicts[] = {"AC", "WA", "TLE", "RTE", "MLE", "OLE", "CE"};

/* Adds verdict v to the comma list b unless it is there. */
static void add_verdict(struct buf *b, const char *v)
{
	size_t n = strlen(v);
	for (const char *p = b->data; p && *p;) {
		size_t k = strcspn(p, ",");
		if (k == n && strncmp(p, v, n) == 0)
			return;
		p += k + (p[k] == ',');
	}
	buf_printf(b, "%s%s", b->len ? "," : "", v);
}

/* The verdicts of a "@EXPECTED_RESULTS@: A, B" comment, or NULL. */
static char *expected_results(const char *src, size_t len)
{
	static const char tag[] = "@EXPECTED_RESULTS@:";
	const char *at = memmem(src, len, tag, sizeof tag - 1);
	if (!at)
		return NULL;
	const char *p = at + sizeof tag - 1, *end = src + len;
	struct buf b;
	buf_init(&b);
	while (p < end && *p != '\n') {
		while (p < end && (*p == ' ' || *p == '\t' || *p == ','))
			p++;
		const char *w = p;
		while (p < end && (isalnum((unsigned char)*p) || *p == '-' || *p == '_'))
			p++;
		if (p == w)
			break; /* the end of the list (the comment closing, say) */
		for (size_t i = 0; i < ARRAY_SIZE(results); i++)
			if ((size_t)(p - w) == strlen(results[i].domjudge) &&
			    strncasecmp(w, results[i].domjudge, (size_t)(p - w)) == 0)
				add_verdict(&b, results[i].verdict);
	}
	if (!b.len) {
		free(b.data);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

/* submissions.yaml: patterns with their verdicts, in file order. */
struct rule {
	char *pattern;
	char *expected;
};

struct rules {
	struct rule *items;
	size_t count;
};

static bool is_verdict(const char *s)
{
	for (size_t i = 0; i < ARRAY_SIZE(verdicts); i++)
		if (strcmp(s, verdicts[i]) == 0)
			return true;
	return false;
}

/* The verdicts of a sequence node into b; false if it is not a list of verdicts. */
static bool read_list(yaml_document_t *d, yaml_node_t *n, struct buf *b)
{
	if (n->type == YAML_SCALAR_NODE) {
		if (!is_verdict((const char *)n->data.scalar.value))
			return false;
		add_verdict(b, (const char *)n->data.scalar.value);
		return true;
	}
	if (n->type != YAML_SEQUENCE_NODE)
		return false;
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *v = yaml_document_get_node(d, *it);
		if (!v || v->type != YAML_SCALAR_NODE || !is_verdict((const char *)v->data.scalar.value))
			return false;
		add_verdict(b, (const char *)v->data.scalar.value);
	}
	return true;
}

/* Whether verdict list a (comma-separated) holds v. */
static bool holds(const char *a, const char *v)
{
	size_t n = strlen(v);
	for (const char *p = a; *p;) {
		size_t k = strcspn(p, ",");
		if (k == n && strncmp(p, v, n) == 0)
			return true;
		p += k + (p[k] == ',');
	}
	return false;
}

static int read_rules(const struct loader_file *f, struct rules *r, char **err)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)f->data, f->len);
	if (!yaml_parser_load(&parser, &doc)) {
		int rc = loader_fail(err, "%s: line %zu: %s", f->path, parser.problem_mark.line + 1,
				     parser.problem ? parser.problem : "invalid YAML");
		yaml_parser_delete(&parser);
		return rc;
	}
	int rc = 0;
	yaml_node_t *root = yaml_document_get_root_node(&doc);
	if (root && root->type != YAML_MAPPING_NODE)
		rc = loader_fail(err, "%s: must be a mapping of submission patterns", f->path);
	for (yaml_node_pair_t *pr = root && !rc ? root->data.mapping.pairs.start : NULL;
	     pr && pr < root->data.mapping.pairs.top && !rc; pr++) {
		yaml_node_t *k = yaml_document_get_node(&doc, pr->key);
		yaml_node_t *v = yaml_document_get_node(&doc, pr->value);
		if (!k || k->type != YAML_SCALAR_NODE || !v || v->type != YAML_MAPPING_NODE)
			continue; /* a key this reader does not use */
		struct buf permitted, required;
		buf_init(&permitted);
		buf_init(&required);
		bool has_p = false, has_r = false;
		for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top && !rc; q++) {
			yaml_node_t *qk = yaml_document_get_node(&doc, q->key);
			yaml_node_t *qv = yaml_document_get_node(&doc, q->value);
			if (!qk || qk->type != YAML_SCALAR_NODE || !qv)
				continue;
			const char *key = (const char *)qk->data.scalar.value;
			bool p = strcmp(key, "permitted") == 0, req = strcmp(key, "required") == 0;
			if ((p || req) && !read_list(&doc, qv, p ? &permitted : &required))
				rc = loader_fail(err, "%s: '%s': %s must be a list of AC, WA, TLE, RTE", f->path,
						 (const char *)k->data.scalar.value, key);
			has_p |= p;
			has_r |= req;
		}
		if (!rc && (has_p || has_r)) {
			struct buf e;
			buf_init(&e);
			const char *from = has_r ? required.data : permitted.data;
			for (const char *p = from ? from : ""; *p;) {
				size_t n = strcspn(p, ",");
				char one[8];
				snprintf(one, sizeof one, "%.*s", (int)n, p);
				if (!has_r || !has_p || holds(permitted.data ? permitted.data : "", one))
					add_verdict(&e, one);
				p += n + (p[n] == ',');
			}
			r->items = xrealloc(r->items, (r->count + 1) * sizeof *r->items);
			char *pat = xstrdup((const char *)k->data.scalar.value);
			size_t pl = strlen(pat);
			while (pl > 1 && pat[pl - 1] == '/')
				pat[--pl] = '\0';
			r->items[r->count++] = (struct rule){pat, e.len ? buf_detach(&e, NULL) : xstrdup("")};
			if (!e.len)
				free(e.data);
		}
		free(permitted.data);
		free(required.data);
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return rc;
}

/* The verdicts of the last rule matching path or a folder above it, or NULL. */
static const char *rule_for(const struct rules *r, const char *path)
{
	const char *found = NULL;
	for (size_t i = 0; i < r->count; i++) {
		char *p = xstrdup(path);
		for (;;) {
			if (fnmatch(r->items[i].pattern, p, FNM_PATHNAME) == 0) {
				found = r->items[i].expected;
				break;
			}
			char *slash = strrchr(p, '/');
			if (!slash)
				break;
			*slash = '\0';
		}
		free(p);
	}
	return found;
}

static const char *folder_expected(const char *path)
{
	size_t n = strcspn(path, "/");
	for (size_t i = 0; i < ARRAY_SIZE(folders); i++)
		if (strlen(folders[i].folder) == n && strncmp(path, folders[i].folder, n) == 0)
			return folders[i].expected;
	return NULL;
}

static char *extension_of(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *dot = strrchr(base, '.');
	char *e = xstrdup(dot && dot != base ? dot + 1 : "");
	for (char *c = e; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	return e;
}

int jury_read_submissions(const struct loader_tree *l, struct package *p, char **err)
{
	struct rules rules = {NULL, 0};
	const struct loader_file *yf = loader_find(l, "submissions/submissions.yaml");
	int rc = yf ? read_rules(yf, &rules, err) : 0;
	size_t cap = 0;
	for (size_t i = 0; !rc && i < l->nfiles; i++) {
		const struct loader_file *f = &l->files[i];
		if (!path_starts(f->path, "submissions/") || f == yf)
			continue;
		const char *rel = f->path + strlen("submissions/");
		const char *slash = strchr(rel, '/');
		if (!slash)
			continue; /* a file directly in submissions/ belongs to no folder */
		const char *second = strchr(slash + 1, '/');
		/* A folder inside the folder: one submission of several files. */
		char *path = second ? xasprintf("%.*s", (int)(second - rel), rel) : xstrdup(rel);
		if (p->submission_count && strcmp(p->submissions[p->submission_count - 1].path, path) == 0) {
			free(path);
			continue; /* the same folder's next file (the files are sorted folder by folder) */
		}
		char *expected = second ? NULL : expected_results(f->data, f->len);
		if (!expected) {
			const char *e = rule_for(&rules, path);
			if (!e)
				e = folder_expected(path);
			expected = e ? xstrdup(e) : NULL;
		}
		if (!expected) {
			free(path);
			continue;
		}
		if (p->submission_count == JURY_MAX_SUBMISSIONS) {
			free(path);
			free(expected);
			rc = loader_fail(err, "submissions/: more than %d jury submissions", JURY_MAX_SUBMISSIONS);
			break;
		}
		if (p->submission_count == cap) {
			cap = cap ? 2 * cap : 16;
			p->submissions = xrealloc(p->submissions, cap * sizeof *p->submissions);
		}
		struct package_submission *s = &p->submissions[p->submission_count++];
		*s = (struct package_submission){path, expected, NULL, 0, second ? xstrdup("") : extension_of(path)};
		if (!second) {
			s->source = xmalloc(f->len + 1);
			memcpy(s->source, f->data, f->len);
			s->source[f->len] = '\0';
			s->len = f->len;
		}
	}
	for (size_t i = 0; i < rules.count; i++) {
		free(rules.items[i].pattern);
		free(rules.items[i].expected);
	}
	free(rules.items);
	return rc;
}

void jury_files_free(struct package *p)
{
	for (size_t i = 0; i < p->submission_count; i++) {
		free(p->submissions[i].path);
		free(p->submissions[i].expected);
		free(p->submissions[i].source);
		free(p->submissions[i].extension);
	}
	free(p->submissions);
	p->submissions = NULL;
	p->submission_count = 0;
}
