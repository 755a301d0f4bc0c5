/* Contest package files and class rosters (the formats are in
 * contest_files.h). JSON goes through jansson; YAML through libyaml's event
 * parser into the same json_t shapes, so one set of field readers serves both
 * and each item keeps the line it starts on for the messages. */
#include "contest_files.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <yaml.h>

#include "json_util.h"
#include "loader.h"
#include "util.h"

#define MAX_FILE_BYTES CONTEST_FILES_MAX_BYTES
#define MAX_DEPTH 64
#define MAX_FIELD 1024

enum kind { K_TEAMS, K_ORGANIZATIONS, K_GROUPS, K_ACCOUNTS, K_CONTEST, K_PROBLEMS, K_COUNT };

static const struct {
	const char *name;
	enum kind kind;
	bool yaml;
} known[] = {
	{"teams.json", K_TEAMS, false},      {"organizations.json", K_ORGANIZATIONS, false},
	{"groups.json", K_GROUPS, false},    {"accounts.yaml", K_ACCOUNTS, true},
	{"accounts.json", K_ACCOUNTS, false}, {"contest.yaml", K_CONTEST, true},
	{"contest.json", K_CONTEST, false},  {"problems.yaml", K_PROBLEMS, true},
	{"problems.json", K_PROBLEMS, false}, {"problemset.yaml", K_PROBLEMS, true},
};
#define KNOWN_COUNT (sizeof known / sizeof known[0])

struct cf_mem {
	json_t *docs;               /* every parsed file: the strings of cf point into them */
	void **ptrs;                /* everything else cf points at */
	size_t nptrs, cap;
	const char *seen[K_COUNT];  /* the file read for each kind */
};

static int fail(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(char **err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (err)
		*err = xvasprintf(fmt, ap);
	va_end(ap);
	return CONTEST_FILES_E_INVALID;
}

static void *keep(struct contest_files *cf, void *p)
{
	struct cf_mem *m = cf->mem;
	if (m->nptrs == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 64;
		m->ptrs = xrealloc(m->ptrs, m->cap * sizeof *m->ptrs);
	}
	m->ptrs[m->nptrs++] = p;
	return p;
}

static const char *keep_printf(struct contest_files *cf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static const char *keep_printf(struct contest_files *cf, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	return keep(cf, s);
}

/* Appends one zeroed element to an array of cf (freed by contest_files_release). */
static void *grow(void *arr, size_t *count, size_t size)
{
	char *p = xrealloc(arr, (*count + 1) * size);
	memset(p + *count * size, 0, size);
	(*count)++;
	return p;
}

/* Sets the where of the last of count items. */
static void push_where(const char ***where, size_t count, const char *w)
{
	size_t n = count - 1;
	*where = grow(*where, &n, sizeof **where);
	(*where)[count - 1] = w;
}

void contest_files_init(struct contest_files *cf)
{
	memset(cf, 0, sizeof *cf);
	struct cf_mem *m = xcalloc(1, sizeof *m);
	m->docs = json_array();
	cf->mem = m;
}

void contest_files_release(struct contest_files *cf)
{
	struct cf_mem *m = cf->mem;
	if (m) {
		json_decref(m->docs);
		for (size_t i = 0; i < m->nptrs; i++)
			free(m->ptrs[i]);
		free(m->ptrs);
		free(m);
	}
	free(cf->organizations);
	free(cf->groups);
	free(cf->teams);
	free(cf->accounts);
	free(cf->problems);
	free(cf->organization_where);
	free(cf->group_where);
	free(cf->team_where);
	memset(cf, 0, sizeof *cf);
}

bool contest_files_id_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 36 || s[0] == '-' || s[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("_.-", s[i]))
			return false;
	return true;
}

static bool digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

/* ".uuu" (any number of digits, ms kept): advances *s. */
static int64_t fraction_ms(const char **s)
{
	int64_t ms = 0;
	if (**s != '.')
		return 0;
	(*s)++;
	for (int i = 0; isdigit((unsigned char)**s); i++, (*s)++)
		if (i < 3)
			ms += (**s - '0') * (i == 0 ? 100 : i == 1 ? 10 : 1);
	return ms;
}

bool contest_files_parse_time(const char *s, int64_t *ms)
{
	int y, mo, d, h, mi, sec;
	if (strlen(s) < 19 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) || s[7] != '-' ||
	    !digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !digits(s + 11, 2, &h) ||
	    s[13] != ':' || !digits(s + 14, 2, &mi) || s[16] != ':' || !digits(s + 17, 2, &sec))
		return false;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60 || y < 1970)
		return false;
	const char *p = s + 19;
	if (*p == '.' && !isdigit((unsigned char)p[1]))
		return false;
	int64_t frac = fraction_ms(&p);
	int64_t offset = 0;
	if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
		offset = 0;
	} else if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':') {
		int oh, om;
		if (!digits(p + 1, 2, &oh) || !digits(p + 4, 2, &om) || oh > 23 || om > 59)
			return false;
		offset = (oh * 60 + om) * 60 * (*p == '-' ? -1 : 1);
	} else {
		return false;
	}
	struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi,
			.tm_sec = sec};
	time_t t = timegm(&tm);
	if (t == (time_t)-1 || tm.tm_mday != d)
		return false;
	*ms = ((int64_t)t - offset) * 1000 + frac;
	return true;
}

bool contest_files_parse_reltime(const char *s, int64_t *ms)
{
	bool neg = *s == '-';
	if (neg)
		s++;
	int64_t h = 0;
	int n = 0, mi, sec;
	for (; isdigit((unsigned char)*s) && n < 7; s++, n++)
		h = h * 10 + (*s - '0');
	if (n == 0 || s[0] != ':' || !digits(s + 1, 2, &mi) || s[3] != ':' || !digits(s + 4, 2, &sec) || mi > 59 ||
	    sec > 59)
		return false;
	s += 6;
	if (*s == '.' && !isdigit((unsigned char)s[1]))
		return false;
	int64_t frac = fraction_ms(&s);
	if (*s)
		return false;
	int64_t v = ((h * 60 + mi) * 60 + sec) * 1000 + frac;
	*ms = neg ? -v : v;
	return true;
}

/* ---- YAML into json_t ---- */

struct yconv {
	yaml_parser_t p;
	const char *file;
	char **err;
};

static int ynext(struct yconv *c, yaml_event_t *ev)
{
	if (yaml_parser_parse(&c->p, ev))
		return 0;
	return fail(c->err, "%s: line %zu: %s", c->file, c->p.problem_mark.line + 1,
		    c->p.problem ? c->p.problem : "malformed YAML");
}

static bool plain_is(const yaml_event_t *ev, const char *const *words)
{
	for (; *words; words++)
		if (ev->data.scalar.length == strlen(*words) && memcmp(ev->data.scalar.value, *words, strlen(*words)) == 0)
			return true;
	return false;
}

static int yscalar(struct yconv *c, const yaml_event_t *ev, json_t **out)
{
	static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
	static const char *const trues[] = {"true", "True", "TRUE", NULL};
	static const char *const falses[] = {"false", "False", "FALSE", NULL};
	const char *v = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		if (plain_is(ev, nulls)) {
			*out = json_null();
			return 0;
		}
		if (plain_is(ev, trues) || plain_is(ev, falses)) {
			*out = json_boolean(plain_is(ev, trues));
			return 0;
		}
	}
	if (memchr(v, '\0', n))
		return fail(c->err, "%s: line %zu: NUL characters are not allowed", c->file, ev->start_mark.line + 1);
	*out = json_stringn(v, n);
	return *out ? 0 : fail(c->err, "%s: line %zu: not UTF-8", c->file, ev->start_mark.line + 1);
}

/* The node that starts with ev (consumed). At the root, lines gets the line of
   each item (a sequence) or key (a mapping). */
static int ynode(struct yconv *c, yaml_event_t *ev, int depth, json_t **out, json_t *lines)
{
	size_t line = ev->start_mark.line + 1;
	int rc = 0;
	*out = NULL;
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		rc = yscalar(c, ev, out);
		yaml_event_delete(ev);
		return rc;
	case YAML_ALIAS_EVENT:
		yaml_event_delete(ev);
		return fail(c->err, "%s: line %zu: aliases are not supported", c->file, line);
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		break;
	default:
		yaml_event_delete(ev);
		return fail(c->err, "%s: line %zu: unexpected YAML event", c->file, line);
	}
	bool map = ev->type == YAML_MAPPING_START_EVENT;
	yaml_event_delete(ev);
	if (depth >= MAX_DEPTH)
		return fail(c->err, "%s: line %zu: nested more than %d levels deep", c->file, line, MAX_DEPTH);
	json_t *node = map ? json_object() : json_array();
	for (;;) {
		yaml_event_t e;
		if ((rc = ynext(c, &e)))
			break;
		if (e.type == YAML_SEQUENCE_END_EVENT || e.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&e);
			break;
		}
		size_t at = e.start_mark.line + 1;
		if (!map) {
			json_t *item;
			if ((rc = ynode(c, &e, depth + 1, &item, NULL)))
				break;
			json_array_append_new(node, item);
			if (lines)
				json_array_append_new(lines, json_integer((json_int_t)at));
			continue;
		}
		if (e.type != YAML_SCALAR_EVENT) {
			yaml_event_delete(&e);
			rc = fail(c->err, "%s: line %zu: keys must be plain strings", c->file, at);
			break;
		}
		char *key = xstrndup((const char *)e.data.scalar.value, e.data.scalar.length);
		yaml_event_delete(&e);
		json_t *value = NULL;
		if (json_object_get(node, key))
			rc = fail(c->err, "%s: line %zu: duplicate key '%.64s'", c->file, at, key);
		else if (!(rc = ynext(c, &e)))
			rc = ynode(c, &e, depth + 1, &value, NULL);
		if (!rc && json_object_set_new(node, key, value) != 0)
			rc = fail(c->err, "%s: line %zu: a key is not UTF-8", c->file, at);
		if (!rc && lines)
			json_object_set_new(lines, key, json_integer((json_int_t)at));
		free(key);
		if (rc)
			break;
	}
	if (rc) {
		json_decref(node);
		return rc;
	}
	*out = node;
	return 0;
}

static int yaml_to_json(const char *file, const char *data, size_t len, json_t **root, json_t **lines, char **err)
{
	struct yconv c = {.file = file, .err = err};
	if (!yaml_parser_initialize(&c.p))
		return -ENOMEM;
	yaml_parser_set_input_string(&c.p, (const unsigned char *)data, len);
	*root = json_null();
	*lines = NULL;
	int rc;
	yaml_event_t ev;
	for (;;) {
		if ((rc = ynext(&c, &ev)))
			break;
		yaml_event_type_t t = ev.type;
		if (t == YAML_STREAM_END_EVENT || t == YAML_DOCUMENT_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (t == YAML_STREAM_START_EVENT || t == YAML_DOCUMENT_START_EVENT) {
			yaml_event_delete(&ev);
			continue;
		}
		json_decref(*root);
		json_t *l = t == YAML_MAPPING_START_EVENT ? json_object() : json_array();
		rc = ynode(&c, &ev, 0, root, l);
		if (rc) {
			json_decref(l);
			break;
		}
		*lines = l;
	}
	yaml_parser_delete(&c.p);
	if (rc) {
		json_decref(*root);
		json_decref(*lines);
		*root = NULL;
		*lines = NULL;
	}
	return rc;
}

/* The line of each item of a JSON text's top-level array. */
static json_t *json_item_lines(const char *s, size_t len)
{
	json_t *lines = json_array();
	size_t line = 1;
	int depth = 0;
	bool in_str = false, esc = false, want = false;
	for (size_t i = 0; i < len; i++) {
		char ch = s[i];
		if (ch == '\n')
			line++;
		if (in_str) {
			if (esc)
				esc = false;
			else if (ch == '\\')
				esc = true;
			else if (ch == '"')
				in_str = false;
			continue;
		}
		if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n')
			continue;
		if (depth == 1 && want && ch != ']')
			json_array_append_new(lines, json_integer((json_int_t)line));
		want = false;
		if (ch == '"') {
			in_str = true;
		} else if (ch == '[' || ch == '{') {
			if (++depth == 1 && ch == '[')
				want = true;
		} else if (ch == ']' || ch == '}') {
			depth--;
		} else if (ch == ',' && depth == 1) {
			want = true;
		}
	}
	return lines;
}

/* ---- items and fields ---- */

struct doc {
	const char *file;
	json_t *root;
	json_t *lines;  /* array (per item) or object (per key), or NULL */
};

struct item {
	struct contest_files *cf;
	const char *where;  /* "teams.json: line 3: item 1" */
	json_t *obj;
	char **err;
};

static int load(struct contest_files *cf, const char *file, bool yaml, const char *data, size_t len, struct doc *d,
		char **err)
{
	struct cf_mem *m = cf->mem;
	d->file = file;
	d->lines = NULL;
	if (len > MAX_FILE_BYTES)
		return fail(err, "%s: larger than %d bytes", file, MAX_FILE_BYTES);
	if (yaml) {
		int rc = yaml_to_json(file, data, len, &d->root, &d->lines, err);
		if (rc)
			return rc;
	} else {
		json_error_t je;
		d->root = json_loadb(data, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je);
		if (!d->root)
			return fail(err, "%s: line %d: %s", file, je.line, je.text);
		if (json_has_nul(d->root)) { /* refused, in words of our own */
			json_decref(d->root);
			d->root = NULL;
			return fail(err, "%s: a string holds a NUL character (\\u0000)", file);
		}
		if (json_is_array(d->root))
			d->lines = json_item_lines(data, len);
	}
	json_array_append_new(m->docs, d->root);
	if (d->lines)
		json_array_append_new(m->docs, d->lines);
	return 0;
}

static const char *item_where(struct contest_files *cf, const struct doc *d, size_t i)
{
	json_t *l = json_is_array(d->lines) ? json_array_get(d->lines, i) : NULL;
	if (l)
		return keep_printf(cf, "%s: line %lld: item %zu", d->file, (long long)json_integer_value(l), i + 1);
	return keep_printf(cf, "%s: item %zu", d->file, i + 1);
}

static int bad(struct item *it, const char *key, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int bad(struct item *it, const char *key, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	fail(it->err, "%s: field '%s': %s", it->where, key, msg);
	free(msg);
	return CONTEST_FILES_E_INVALID;
}

/* A string (an integer is taken as its digits); absent or null leaves *out. */
static int f_str(struct item *it, const char *key, bool required, const char **out)
{
	json_t *v = json_object_get(it->obj, key);
	if (!v || json_is_null(v)) {
		if (required)
			return bad(it, key, "missing");
		return 0;
	}
	if (json_is_integer(v)) {
		*out = keep_printf(it->cf, "%lld", (long long)json_integer_value(v));
		return 0;
	}
	if (!json_is_string(v))
		return bad(it, key, "must be a string");
	if (json_string_length(v) > MAX_FIELD || strlen(json_string_value(v)) != json_string_length(v))
		return bad(it, key, "must be a string of at most %d bytes without NULs", MAX_FIELD);
	if (required && json_string_length(v) == 0)
		return bad(it, key, "must not be empty");
	*out = json_string_value(v);
	return 0;
}

static int f_id(struct item *it, const char *key, bool required, const char **out)
{
	const char *s = NULL;
	int rc = f_str(it, key, required, &s);
	if (rc || !s)
		return rc;
	if (!contest_files_id_valid(s))
		return bad(it, key, "'%.64s' is not an id: 1 to 36 of [A-Za-z0-9_.-], not starting with '-' or '.'", s);
	*out = s;
	return 0;
}

static int f_bool(struct item *it, const char *key, bool *out)
{
	json_t *v = json_object_get(it->obj, key);
	if (!v || json_is_null(v))
		return 0;
	if (json_is_boolean(v))
		*out = json_is_true(v);
	else if (json_is_string(v) && (strcmp(json_string_value(v), "true") == 0 || strcmp(json_string_value(v), "false") == 0))
		*out = strcmp(json_string_value(v), "true") == 0;
	else
		return bad(it, key, "must be true or false");
	return 0;
}

/* A number: JSON's, or a YAML scalar (a string here) that reads as one. */
static int f_num(struct item *it, const char *key, bool *given, double *out)
{
	json_t *v = json_object_get(it->obj, key);
	if (!v || json_is_null(v))
		return 0;
	if (json_is_number(v)) {
		*out = json_number_value(v);
	} else {
		const char *s = json_is_string(v) ? json_string_value(v) : "";
		char *end;
		*out = strtod(s, &end);
		if (!*s || *end || isspace((unsigned char)*s))
			return bad(it, key, "must be a number");
	}
	if (!(*out >= 0 && *out <= 1e12))
		return bad(it, key, "must be a number from 0 to 1e12");
	*given = true;
	return 0;
}

/* An array of strings (ids when ids is set); a missing one is empty. */
static int f_strs(struct item *it, const char *key, bool ids, const char *const **out, size_t *count)
{
	json_t *v = json_object_get(it->obj, key);
	*out = NULL;
	*count = 0;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return bad(it, key, "must be an array of strings");
	size_t n = json_array_size(v);
	const char **a = keep(it->cf, xcalloc(n + 1, sizeof *a));
	for (size_t i = 0; i < n; i++) {
		json_t *s = json_array_get(v, i);
		if (!json_is_string(s) || json_string_length(s) == 0 || json_string_length(s) > 64 ||
		    strlen(json_string_value(s)) != json_string_length(s))
			return bad(it, key, "item %zu: must be a non-empty string of at most 64 bytes", i + 1);
		if (ids && !contest_files_id_valid(json_string_value(s)))
			return bad(it, key, "'%.64s' is not an id", json_string_value(s));
		for (size_t j = 0; j < i; j++)
			if (strcmp(a[j], json_string_value(s)) == 0)
				return bad(it, key, "'%.64s' appears twice", a[j]);
		a[i] = json_string_value(s);
	}
	*out = a;
	*count = n;
	return 0;
}

/* Refuses a key seen before in the same file (set: key -> item number). */
static int unique(struct item *it, json_t *set, const char *field, const char *value, size_t index)
{
	json_t *prev = json_object_get(set, value);
	if (prev)
		return bad(it, field, "'%.64s' appears twice (items %lld and %zu)", value,
			   (long long)json_integer_value(prev), index + 1);
	json_object_set_new(set, value, json_integer((json_int_t)index + 1));
	return 0;
}

/* The items of a list file: fn(item, index) on each object. */
typedef int (*item_fn)(struct item *it, size_t index, json_t *set);

static int each_item(struct contest_files *cf, struct doc *d, json_t *list, item_fn fn, char **err)
{
	if (json_is_null(list))
		return 0;
	if (!json_is_array(list))
		return fail(err, "%s: must be a list of items", d->file);
	json_t *set = json_object();
	int rc = 0;
	for (size_t i = 0; i < json_array_size(list) && !rc; i++) {
		struct item it = {cf, item_where(cf, d, i), json_array_get(list, i), err};
		if (!json_is_object(it.obj))
			rc = fail(err, "%s: must be an object of fields", it.where);
		else
			rc = fn(&it, i, set);
	}
	json_decref(set);
	return rc;
}

static int read_team(struct item *it, size_t index, json_t *set)
{
	struct contest_files *cf = it->cf;
	struct db_team t = {.display_name = ""};
	int rc;
	if ((rc = f_id(it, "id", true, &t.key)) || (rc = unique(it, set, "id", t.key, index)))
		return rc;
	t.label = t.key;
	t.name = t.key;
	bool hidden = false;
	if ((rc = f_id(it, "label", false, &t.label)) || (rc = f_str(it, "name", false, &t.name)) ||
	    (rc = f_str(it, "display_name", false, &t.display_name)) ||
	    (rc = f_id(it, "organization_id", false, &t.organization)) || (rc = f_bool(it, "hidden", &hidden)) ||
	    (rc = f_str(it, "icpc_id", false, &t.icpc_id)) ||
	    (rc = f_strs(it, "group_ids", true, &t.groups, &t.group_count)))
		return rc;
	if (!*t.name)
		return bad(it, "name", "must not be empty");
	t.hidden = hidden;
	char label_key[48];
	snprintf(label_key, sizeof label_key, "label:%s", t.label);
	if ((rc = unique(it, set, "label", label_key, index)))
		return rc;
	if (!json_is_string(json_object_get(it->obj, "members")) &&
	    (rc = f_strs(it, "members", false, &t.members, &t.member_count)))
		return rc;
	cf->teams = grow(cf->teams, &cf->team_count, sizeof *cf->teams);
	cf->teams[cf->team_count - 1] = t;
	push_where(&cf->team_where, cf->team_count, it->where);
	return 0;
}

static int read_organization(struct item *it, size_t index, json_t *set)
{
	struct contest_files *cf = it->cf;
	struct db_organization o = {.formal_name = "", .country = ""};
	int rc;
	if ((rc = f_id(it, "id", true, &o.key)) || (rc = unique(it, set, "id", o.key, index)))
		return rc;
	o.name = o.key;
	if ((rc = f_str(it, "name", false, &o.name)) || (rc = f_str(it, "formal_name", false, &o.formal_name)) ||
	    (rc = f_str(it, "country", false, &o.country)) || (rc = f_str(it, "icpc_id", false, &o.icpc_id)))
		return rc;
	if (*o.country && (strlen(o.country) != 3 || !isupper((unsigned char)o.country[0]) ||
			   !isupper((unsigned char)o.country[1]) || !isupper((unsigned char)o.country[2])))
		return bad(it, "country", "'%.64s' is not an ISO 3166-1 alpha-3 code", o.country);
	if (!*o.formal_name)
		o.formal_name = o.name;
	cf->organizations = grow(cf->organizations, &cf->organization_count, sizeof *cf->organizations);
	cf->organizations[cf->organization_count - 1] = o;
	push_where(&cf->organization_where, cf->organization_count, it->where);
	return 0;
}

static int read_group(struct item *it, size_t index, json_t *set)
{
	struct contest_files *cf = it->cf;
	struct db_team_group g = {.type = ""};
	int rc;
	if ((rc = f_id(it, "id", true, &g.key)) || (rc = unique(it, set, "id", g.key, index)))
		return rc;
	g.name = g.key;
	if ((rc = f_str(it, "name", false, &g.name)) || (rc = f_str(it, "type", false, &g.type)) ||
	    (rc = f_bool(it, "hidden", &g.hidden)) || (rc = f_str(it, "icpc_id", false, &g.icpc_id)))
		return rc;
	cf->groups = grow(cf->groups, &cf->group_count, sizeof *cf->groups);
	cf->groups[cf->group_count - 1] = g;
	push_where(&cf->group_where, cf->group_count, it->where);
	return 0;
}

static int read_account(struct item *it, size_t index, json_t *set)
{
	struct contest_files *cf = it->cf;
	struct contest_files_account a = {.role = DB_ROLE_USER, .where = it->where};
	const char *type = "team";
	int rc;
	if ((rc = f_str(it, "username", true, &a.username)) || (rc = unique(it, set, "username", a.username, index)) ||
	    (rc = f_str(it, "password", false, &a.password)) || (rc = f_str(it, "type", false, &type)) ||
	    (rc = f_id(it, "team_id", false, &a.team)))
		return rc;
	if (strcmp(type, "judge") == 0 || strcmp(type, "jury") == 0)
		a.role = DB_ROLE_JURY;
	else if (strcmp(type, "admin") == 0)
		a.role = DB_ROLE_ADMIN;
	else if (strcmp(type, "team") != 0)
		return bad(it, "type", "'%.64s' is not one of team, judge, jury or admin", type);
	if (a.password && !*a.password)
		a.password = NULL;
	cf->accounts = grow(cf->accounts, &cf->account_count, sizeof *cf->accounts);
	cf->accounts[cf->account_count - 1] = a;
	return 0;
}

static bool hex_color(const char *s)
{
	if (strlen(s) != 7 || s[0] != '#')
		return false;
	for (int i = 1; i < 7; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

static int read_problem(struct item *it, size_t index, json_t *set)
{
	struct contest_files *cf = it->cf;
	struct contest_files_problem p = {.color = "", .where = it->where};
	const char *rgb = NULL, *color = NULL;
	int rc;
	bool legacy = !json_object_get(it->obj, "id") && json_object_get(it->obj, "short-name");
	if ((rc = f_str(it, legacy ? "short-name" : "id", true, &p.slug)) ||
	    (rc = unique(it, set, legacy ? "short-name" : "id", p.slug, index)) ||
	    (rc = f_id(it, json_object_get(it->obj, "label") || !legacy ? "label" : "letter", true, &p.label)) ||
	    (rc = f_str(it, "rgb", false, &rgb)) || (rc = f_str(it, "color", false, &color)) ||
	    (rc = f_num(it, "max_score", &p.has_max_score, &p.max_score)))
		return rc;
	char label_key[48];
	snprintf(label_key, sizeof label_key, "label:%s", p.label);
	if ((rc = unique(it, set, "label", label_key, index)))
		return rc;
	const char *c = rgb ? rgb : color;
	if (c && *c && c[0] != '#' && strlen(c) == 6)
		c = keep_printf(cf, "#%s", c);
	if (c && hex_color(c))
		p.color = c;
	else if (rgb && *rgb)
		return bad(it, "rgb", "'%.64s' is not a colour #rrggbb", rgb);
	cf->problems = grow(cf->problems, &cf->problem_count, sizeof *cf->problems);
	cf->problems[cf->problem_count - 1] = p;
	return 0;
}

/* contest.yaml's field, or its legacy name. */
static const char *contest_key(json_t *obj, const char *key, const char *legacy)
{
	return !json_object_get(obj, key) && legacy && json_object_get(obj, legacy) ? legacy : key;
}

static int reltime_field(struct item *it, const char *key, int64_t *ms, bool required)
{
	const char *s = NULL;
	int rc = f_str(it, key, required, &s);
	if (rc || !s)
		return rc;
	if (!contest_files_parse_reltime(s, ms) || *ms < 0)
		return bad(it, key, "'%.64s' is not a duration h:mm:ss", s);
	return 0;
}

static int read_contest(struct contest_files *cf, struct doc *d, char **err)
{
	if (!json_is_object(d->root))
		return fail(err, "%s: must be a mapping of fields", d->file);
	struct db_contest *c = &cf->contest;
	*c = (struct db_contest){.formal_name = "", .scoring = "icpc", .ioi_mode = "max_submission", .penalty_min = 20,
				 .gold = 4, .silver = 4, .bronze = 4};
	struct item it = {cf, d->file, d->root, err};
	int rc;
	const char *start = NULL, *type = NULL;
	const char *k_start = contest_key(d->root, "start_time", "start-time");
	const char *k_freeze = contest_key(d->root, "scoreboard_freeze_duration", "scoreboard-freeze-length");
	const char *k_penalty = contest_key(d->root, "penalty_time", "penalty-time");
#define AT(key) (it.where = json_object_get(d->lines, key) ? keep_printf(cf, "%s: line %lld", d->file, \
		 (long long)json_integer_value(json_object_get(d->lines, key))) : d->file)
	AT("id");
	if ((rc = f_str(&it, "id", true, &c->shortname)))
		return rc;
	size_t n = strlen(c->shortname);
	if (n > 36 || strspn(c->shortname, "abcdefghijklmnopqrstuvwxyz0123456789_-") != n)
		return bad(&it, "id", "'%.64s' must be 1 to 36 of [a-z0-9_-]", c->shortname);
	c->name = c->shortname;
	AT("name");
	if ((rc = f_str(&it, "name", false, &c->name)))
		return rc;
	AT("formal_name");
	if ((rc = f_str(&it, "formal_name", false, &c->formal_name)))
		return rc;
	AT(k_start);
	if ((rc = f_str(&it, k_start, false, &start)))
		return rc;
	if (start && !contest_files_parse_time(start, &c->start_ms))
		return bad(&it, k_start, "'%.64s' is not an RFC 3339 time (2026-12-03T10:00:00Z)", start);
	AT("duration");
	if ((rc = reltime_field(&it, "duration", &c->duration_ms, true)))
		return rc;
	if (c->duration_ms <= 0)
		return bad(&it, "duration", "must be longer than 0:00:00");
	AT(k_freeze);
	if ((rc = reltime_field(&it, k_freeze, &c->freeze_ms, false)))
		return rc;
	if (c->freeze_ms > c->duration_ms)
		return bad(&it, k_freeze, "is longer than the contest");
	AT(k_penalty);
	json_t *pen = json_object_get(d->root, k_penalty);
	if (pen && !json_is_null(pen)) {
		const char *s = json_is_string(pen) ? json_string_value(pen) : NULL;
		char *end = NULL;
		int64_t ms;
		if (json_is_integer(pen) && json_integer_value(pen) >= 0 && json_integer_value(pen) <= 100000)
			c->penalty_min = json_integer_value(pen);
		else if (s && *s && isdigit((unsigned char)*s) && strtoll(s, &end, 10) <= 100000 && !*end)
			c->penalty_min = strtoll(s, NULL, 10);
		else if (s && contest_files_parse_reltime(s, &ms) && ms >= 0 && ms % 60000 == 0)
			c->penalty_min = ms / 60000;
		else
			return bad(&it, k_penalty, "must be whole minutes (20 or 0:20:00)");
	}
	/* what a CLICS contest object also says (a package exported after the thaw, a paused countdown) */
	const char *thaw = NULL;
	AT("scoreboard_thaw_time");
	if ((rc = f_str(&it, "scoreboard_thaw_time", false, &thaw)))
		return rc;
	if (thaw && !contest_files_parse_time(thaw, &c->thaw_at_ms))
		return bad(&it, "scoreboard_thaw_time", "'%.64s' is not an RFC 3339 time (2026-12-03T10:00:00Z)", thaw);
	AT("countdown_pause_time");
	if ((rc = reltime_field(&it, "countdown_pause_time", &c->countdown_pause_ms, false)))
		return rc;
	if (c->countdown_pause_ms && start)
		return bad(&it, "countdown_pause_time", "is given with a start_time: a paused countdown has none");
	AT("scoreboard_type");
	if ((rc = f_str(&it, "scoreboard_type", false, &type)))
		return rc;
	if (type && strcmp(type, "score") == 0)
		c->scoring = "ioi";
	else if (type && strcmp(type, "pass-fail") != 0)
		return bad(&it, "scoreboard_type", "'%.64s' is not pass-fail or score", type);
#undef AT
	cf->has_contest = true;
	return 0;
}

static int read_kind(struct contest_files *cf, enum kind kind, struct doc *d, char **err)
{
	json_t *list = d->root;
	switch (kind) {
	case K_TEAMS:
		return each_item(cf, d, list, read_team, err);
	case K_ORGANIZATIONS:
		return each_item(cf, d, list, read_organization, err);
	case K_GROUPS:
		return each_item(cf, d, list, read_group, err);
	case K_ACCOUNTS:
		return each_item(cf, d, list, read_account, err);
	case K_PROBLEMS:
		cf->has_problems = true;
		if (json_is_object(list) && json_is_array(json_object_get(list, "problems"))) {
			/* the legacy problemset.yaml: lines are of the whole file, not the list */
			d->lines = NULL;
			list = json_object_get(list, "problems");
		}
		return each_item(cf, d, list, read_problem, err);
	case K_CONTEST:
		return read_contest(cf, d, err);
	case K_COUNT:
		break;
	}
	return 0;
}

int contest_files_add(struct contest_files *cf, const char *name, const char *data, size_t len, char **err)
{
	struct cf_mem *m = cf->mem;
	size_t i = 0;
	while (i < KNOWN_COUNT && strcmp(known[i].name, name) != 0)
		i++;
	if (i == KNOWN_COUNT)
		return 0;
	if (m->seen[known[i].kind])
		return fail(err, "%s: %s is there too, give one of them", name, m->seen[known[i].kind]);
	m->seen[known[i].kind] = known[i].name;
	if (!utf8_valid((const unsigned char *)data, len))
		return fail(err, "%s: not UTF-8", name);
	struct doc d;
	int rc = load(cf, known[i].name, known[i].yaml, data, len, &d, err);
	return rc ? rc : read_kind(cf, known[i].kind, &d, err);
}

/* ---- zips ---- */

static bool zip_ignored(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	return path_starts(path, "__MACOSX/") || base[0] == '.';
}

bool contest_files_known(const char *name)
{
	for (size_t i = 0; i < KNOWN_COUNT; i++)
		if (strcmp(name, known[i].name) == 0)
			return true;
	return false;
}

static bool zip_wanted(const char *path)
{
	return contest_files_known(path);
}

static const struct loader_rules zip_rules = {.marker = NULL, .ignored = zip_ignored, .wanted = zip_wanted};

int contest_files_read_zip(struct contest_files *cf, const void *data, size_t len, char **err)
{
	struct loader_tree tree;
	struct package_limits lim = PACKAGE_LIMITS_DEFAULT;
	lim.max_file_bytes = MAX_FILE_BYTES;
	int rc = loader_read_zip(data, len, &lim, &zip_rules, &tree, err);
	if (rc == PACKAGE_E_INVALID)
		return CONTEST_FILES_E_INVALID;
	if (rc)
		return rc;
	/* In a fixed order, so that a package's errors come out the same each time. */
	for (size_t i = 0; i < KNOWN_COUNT && !rc; i++) {
		struct loader_file *f = loader_find(&tree, known[i].name);
		if (f)
			rc = contest_files_add(cf, f->path, f->data, f->len, err);
	}
	loader_release(&tree);
	return rc;
}

/* ---- class rosters ---- */

static bool blank(const struct buf *b)
{
	for (size_t i = 0; i < b->len; i++)
		if (!isspace((unsigned char)b->data[i]))
			return false;
	return true;
}

/* One CSV record from *pos: up to 4 fields (more are counted in *nfields).
   *line is the line it ends on; false at the end of the data. */
static bool csv_record(const char *s, size_t len, size_t *pos, size_t *line, struct buf f[4], size_t *nfields,
		       bool *bad_quote)
{
	size_t i = *pos;
	if (i >= len)
		return false;
	for (int k = 0; k < 4; k++)
		f[k].len = 0;
	*nfields = 1;
	*bad_quote = false;
	bool quoted = false, was_quoted = false;
	for (; i < len; i++) {
		char ch = s[i];
		struct buf *cur = *nfields <= 4 ? &f[*nfields - 1] : NULL;
		if (quoted) {
			if (ch == '"' && i + 1 < len && s[i + 1] == '"') {
				if (cur)
					buf_add(cur, "\"", 1);
				i++;
			} else if (ch == '"') {
				quoted = false;
			} else {
				if (ch == '\n')
					(*line)++;
				if (cur && cur->len <= MAX_FIELD)
					buf_add(cur, &ch, 1);
			}
			continue;
		}
		if (ch == '"') {
			if (cur && cur->len > 0 && !blank(cur))
				*bad_quote = true;
			if (was_quoted)
				*bad_quote = true;
			if (cur)
				cur->len = 0; /* blanks before the quote */
			quoted = was_quoted = true;
		} else if (ch == ',') {
			(*nfields)++;
			was_quoted = false;
		} else if (ch == '\n') {
			i++;
			break;
		} else if (ch != '\r') {
			if (was_quoted && !isspace((unsigned char)ch))
				*bad_quote = true;
			if (was_quoted)
				continue;
			if (cur && cur->len <= MAX_FIELD)
				buf_add(cur, &ch, 1);
		}
	}
	if (quoted)
		*bad_quote = true;
	*pos = i;
	for (int k = 0; k < 4; k++)
		buf_add(&f[k], "", 1), f[k].len--;
	return true;
}

static char *trimmed(const struct buf *b)
{
	const char *s = b->data ? b->data : "";
	size_t n = b->len;
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return xstrndup(s, n);
}

static bool username_ok(const char *s)
{
	size_t n = strlen(s);
	return n >= 1 && n <= 32 && s[0] != '-' && s[0] != '.' &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == n;
}

int contest_files_roster(struct contest_files *cf, const char *file, const char *data, size_t len, char **err)
{
	if (len > MAX_FILE_BYTES)
		return fail(err, "%s: larger than %d bytes", file, MAX_FILE_BYTES);
	if (!utf8_valid((const unsigned char *)data, len))
		return fail(err, "%s: not UTF-8", file);
	struct buf f[4];
	for (int k = 0; k < 4; k++)
		buf_init(&f[k]);
	json_t *seen = json_object();
	size_t pos = 0, line = 1, nfields, rows = 0;
	bool bad_quote;
	int rc = 0;
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		pos = 3;
	while (!rc) {
		size_t at = line;
		if (!csv_record(data, len, &pos, &line, f, &nfields, &bad_quote))
			break;
		line++;
		const char *where = keep_printf(cf, "%s: line %zu", file, at);
		char *user = trimmed(&f[0]), *name = trimmed(&f[1]);
		keep(cf, user);
		keep(cf, name);
		if (nfields == 1 && !*user && !bad_quote)
			continue;
		if (rows++ == 0 && strcasecmp(user, "username") == 0)
			continue;
		if (bad_quote)
			rc = fail(err, "%s: a quoted field must be quoted whole (\"...\", with \"\" for a quote)", where);
		else if (nfields > 3)
			rc = fail(err, "%s: expected username,name[,password], got %zu fields", where, nfields);
		else if (f[0].len > MAX_FIELD || f[1].len > MAX_FIELD || f[2].len > MAX_FIELD)
			rc = fail(err, "%s: a field is longer than %d bytes", where, MAX_FIELD);
		else if (!username_ok(user))
			rc = fail(err, "%s: field 'username': '%.64s' must be 1 to 32 of [A-Za-z0-9_.-], not starting with '-' or '.'",
				  where, user);
		if (rc)
			break;
		json_t *prev = json_object_get(seen, user);
		if (prev) {
			rc = fail(err, "%s: field 'username': '%s' appears twice (lines %lld and %zu)", where, user,
				  (long long)json_integer_value(prev), at);
			break;
		}
		json_object_set_new(seen, user, json_integer((json_int_t)at));
		struct db_team t = {.key = user, .label = user, .name = *name ? name : user, .display_name = ""};
		cf->teams = grow(cf->teams, &cf->team_count, sizeof *cf->teams);
		cf->teams[cf->team_count - 1] = t;
		push_where(&cf->team_where, cf->team_count, where);
		struct contest_files_account a = {.username = user, .team = user, .role = DB_ROLE_USER, .where = where};
		if (nfields == 3 && f[2].len)
			a.password = keep(cf, xstrndup(f[2].data, f[2].len));
		cf->accounts = grow(cf->accounts, &cf->account_count, sizeof *cf->accounts);
		cf->accounts[cf->account_count - 1] = a;
	}
	for (int k = 0; k < 4; k++)
		buf_release(&f[k]);
	json_decref(seen);
	if (!rc && cf->team_count == 0)
		rc = fail(err, "%s: no rows: expected username,name[,password] lines", file);
	return rc;
}

/* ---- explaining the store's answers ---- */

static bool same(const char *a, const char *name, bool exact)
{
	return a && (exact ? a == name : strcmp(a, name) == 0);
}

static char *where_pass(const struct contest_files *cf, const char *name, bool taken, bool exact)
{
	for (size_t i = 0; i < cf->team_count; i++) {
		const struct db_team *t = &cf->teams[i];
		const char *w = cf->team_where[i];
		if (same(t->organization, name, exact) && !taken)
			return xasprintf("%s: field 'organization_id': organization '%s' does not exist", w, name);
		for (size_t j = 0; j < t->group_count; j++)
			if (same(t->groups[j], name, exact) && !taken)
				return xasprintf("%s: field 'group_ids': group '%s' does not exist", w, name);
		for (size_t j = 0; j < t->member_count; j++)
			if (same(t->members[j], name, exact))
				return taken ? xasprintf("%s: field 'members': user '%s' is in another team of this contest", w,
							 name)
					     : xasprintf("%s: field 'members': user '%s' does not exist", w, name);
		if (taken && same(t->label, name, exact) && t->label != t->key)
			return xasprintf("%s: field 'label': label '%s' is taken by another team", w, name);
		if (taken && same(t->key, name, exact))
			return xasprintf("%s: team '%s' is taken: its id or label is another team's", w, name);
	}
	for (size_t i = 0; i < cf->account_count; i++) {
		const struct contest_files_account *a = &cf->accounts[i];
		if (same(a->username, name, exact) && taken)
			return xasprintf("%s: field 'username': user '%s' already exists", a->where, name);
		if (same(a->team, name, exact) && !taken)
			return xasprintf("%s: field 'team_id': team '%s' does not exist", a->where, name);
	}
	return NULL;
}

char *contest_files_where(const struct contest_files *cf, const char *name, bool taken)
{
	if (!name)
		return NULL;
	char *w = where_pass(cf, name, taken, true);
	return w ? w : where_pass(cf, name, taken, false);
}
