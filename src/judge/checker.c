/* Output checkers: exact, tokens, float and the Kattis default validator,
 * comparing two fds in lockstep through fixed buffers (see checker.h). */
#include "checker.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

/*
 * Theory of operation. Each file is read through a `struct reader`: a 64 KiB
 * buffer refilled with read(2), which keeps the last RD_KEEP bytes before the
 * read position across refills so that an error message can quote a little
 * context. Both readers advance in lockstep and never look back further than
 * that, so memory is constant and every byte is examined a bounded number of
 * times (no quadratic behaviour, any output size).
 *
 * The exact checker walks both files byte by byte (with a memcmp fast path
 * over equal runs) and, where they differ, decides whether the difference is
 * only whitespace at the end of a line or trailing blank lines.
 *
 * The token checkers (tokens, float, kattis) skip or compare whitespace, then
 * read one token of each file into a buffer of CHECKER_MAX_NUMBER_TOKEN + 1
 * bytes. Tokens that fit are compared as numbers or strings; tokens that do
 * not fit are compared as strings, the rest of them streamed.
 */

#define RD_BUF (64 * 1024)
#define RD_KEEP 64
#define SNIPPET 24 /* bytes of a token or line quoted in a message */

struct reader {
	int fd;
	int err;                /* negative errno once a read failed */
	bool eof;               /* no more bytes (end of file or error) */
	size_t pos, len;        /* next byte, end of valid bytes in buf */
	uint64_t dropped;       /* bytes of the file before buf[0] */
	uint64_t line;          /* 1-based line of the byte at pos */
	unsigned char buf[RD_KEEP + RD_BUF];
};

struct token {
	size_t len;             /* bytes in buf */
	bool over;              /* longer than CHECKER_MAX_NUMBER_TOKEN: rest not read */
	uint64_t line;          /* line the token starts on */
	unsigned char buf[CHECKER_MAX_NUMBER_TOKEN + 2];
};

enum float_mode {
	FLOAT_NONE,   /* numbers are strings */
	FLOAT_BOTH,   /* "float": numbers in both files compare with tolerance */
	FLOAT_KATTIS, /* kattis: a number in the answer needs a close number */
};

struct token_opts {
	bool fold_case;
	bool space_sensitive;
	enum float_mode fmode;
	double abs_tol, rel_tol;
};

struct ctx {
	struct reader out, ans;
	struct token tout, tans;
	char *msg;
	size_t msg_size;
};

/* Kattis whitespace: space, \t, \n, \v, \f, \r. */
static inline bool is_space(int c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Whitespace that may trail a line in the exact checker: all but \n. */
static inline bool is_hspace(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static inline int fold(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static void rd_init(struct reader *r, int fd)
{
	r->fd = fd;
	r->err = 0;
	r->eof = false;
	r->pos = r->len = 0;
	r->dropped = 0;
	r->line = 1;
}

/* Called when pos == len: keeps RD_KEEP bytes of context, reads more. */
static bool rd_fill(struct reader *r)
{
	if (r->eof)
		return false;
	size_t keep = r->pos < RD_KEEP ? r->pos : RD_KEEP;
	memmove(r->buf, r->buf + r->pos - keep, keep);
	r->dropped += r->pos - keep;
	r->pos = r->len = keep;
	for (;;) {
		ssize_t n = read(r->fd, r->buf + r->len, sizeof r->buf - r->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r->err = -errno;
			r->eof = true;
			return false;
		}
		if (n == 0) {
			r->eof = true;
			return false;
		}
		r->len += (size_t)n;
		return true;
	}
}

/* The next byte, or -1 at the end (or after a read error, see r->err). */
static inline int rd_peek(struct reader *r)
{
	if (r->pos < r->len || rd_fill(r))
		return r->buf[r->pos];
	return -1;
}

/* Consumes the byte rd_peek just returned (never call it after -1). */
static inline void rd_next(struct reader *r)
{
	if (r->buf[r->pos++] == '\n')
		r->line++;
}

static bool rd_empty_file(const struct reader *r)
{
	return r->dropped == 0 && r->len == 0;
}

static void skip_space(struct reader *r)
{
	for (;;) {
		while (r->pos < r->len) {
			unsigned char c = r->buf[r->pos];
			if (!is_space(c))
				return;
			r->line += c == '\n';
			r->pos++;
		}
		if (!rd_fill(r))
			return;
	}
}

static void skip_hspace(struct reader *r)
{
	int c;
	while ((c = rd_peek(r)) >= 0 && is_hspace(c))
		rd_next(r);
}

/* Writes bytes as printable ASCII ('\n', '\xff', ...) into out; adds "..."
 * when more is set. Always NUL-terminates. */
static void escape(const unsigned char *p, size_t n, bool more, char *out, size_t size)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o + 5 < size; i++) {
		unsigned char c = p[i];
		if (c == '\n')
			o += (size_t)snprintf(out + o, size - o, "\\n");
		else if (c == '\t')
			o += (size_t)snprintf(out + o, size - o, "\\t");
		else if (c == '\r')
			o += (size_t)snprintf(out + o, size - o, "\\r");
		else if (c == '\\' || c == '\'')
			o += (size_t)snprintf(out + o, size - o, "\\%c", c);
		else if (c >= 0x20 && c < 0x7f)
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, size - o, "\\x%02x", c);
	}
	if (more && o + 4 <= size) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o < size ? o : size - 1] = '\0';
}

static void set_msg(struct ctx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_msg(struct ctx *x, const char *fmt, ...)
{
	if (!x->msg || !x->msg_size)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(x->msg, x->msg_size, fmt, ap);
	va_end(ap);
}

/* Quotes the current line of r around pos: up to SNIPPET bytes before (within
 * the line and the kept context) and up to SNIPPET bytes from pos on, which
 * it consumes. Returns false if r is at its end (nothing to quote). */
static bool line_snippet(struct reader *r, char *out, size_t size)
{
	unsigned char tmp[2 * SNIPPET];
	size_t n = 0;
	size_t start = r->pos;
	while (start > 0 && r->pos - start < SNIPPET && r->buf[start - 1] != '\n')
		start--;
	bool cut_before = start > 0 ? r->buf[start - 1] != '\n' : r->dropped > 0;
	memcpy(tmp, r->buf + start, r->pos - start);
	n = r->pos - start;
	size_t prefix = n;
	int c;
	while (n < prefix + SNIPPET && (c = rd_peek(r)) >= 0 && c != '\n') {
		tmp[n++] = (unsigned char)c;
		rd_next(r);
	}
	if (n == prefix && rd_peek(r) < 0 && prefix == 0)
		return false;
	c = rd_peek(r);
	bool more = c >= 0 && c != '\n';
	char body[8 * SNIPPET];
	escape(tmp, n, more, body, sizeof body);
	snprintf(out, size, "%s%s", cut_before ? "..." : "", body);
	return true;
}

static size_t common_prefix(const unsigned char *a, const unsigned char *b, size_t n)
{
	size_t i = 0;
	while (i + 64 <= n && memcmp(a + i, b + i, 64) == 0)
		i += 64;
	while (i < n && a[i] == b[i])
		i++;
	return i;
}

static uint64_t count_newlines(const unsigned char *p, size_t n)
{
	uint64_t count = 0;
	const unsigned char *end = p + n;
	while ((p = memchr(p, '\n', (size_t)(end - p)))) {
		count++;
		p++;
	}
	return count;
}

static int compare_exact(struct ctx *x)
{
	struct reader *o = &x->out, *a = &x->ans;
	for (;;) {
		/* Fast path: consume the equal run that both buffers hold. */
		if (o->pos < o->len && a->pos < a->len) {
			size_t n = o->len - o->pos < a->len - a->pos ? o->len - o->pos : a->len - a->pos;
			size_t m = common_prefix(o->buf + o->pos, a->buf + a->pos, n);
			if (m) {
				uint64_t nl = count_newlines(a->buf + a->pos, m);
				o->line += nl;
				a->line += nl;
				o->pos += m;
				a->pos += m;
				continue;
			}
		}
		int ca = rd_peek(a), co = rd_peek(o);
		if (ca == co) {
			if (ca < 0)
				return CHECKER_ACCEPTED;
			rd_next(a);
			rd_next(o);
			continue;
		}
		if (ca < 0 || co < 0) {
			/* One file ended: the other may only hold whitespace and blank lines. */
			skip_space(a);
			skip_space(o);
			if (rd_peek(a) < 0 && rd_peek(o) < 0)
				return CHECKER_ACCEPTED;
			break;
		}
		if (is_hspace(ca) || is_hspace(co)) {
			/* Different whitespace is fine only where both lines end. */
			skip_hspace(a);
			skip_hspace(o);
			ca = rd_peek(a);
			co = rd_peek(o);
			if ((ca < 0 || ca == '\n') && (co < 0 || co == '\n'))
				continue;
		}
		break;
	}
	if (a->err || o->err)
		return CHECKER_WRONG; /* the caller reports the error */
	uint64_t line = o->line;
	char es[10 * SNIPPET], gs[10 * SNIPPET];
	bool have_e = line_snippet(a, es, sizeof es);
	bool have_g = line_snippet(o, gs, sizeof gs);
	if (!have_e)
		set_msg(x, "line %llu: extra output after the end of the answer: '%s'", (unsigned long long)line, gs);
	else if (!have_g)
		set_msg(x, "line %llu: expected '%s', got end of output%s", (unsigned long long)line, es,
		        rd_empty_file(o) ? " (the output is empty)" : "");
	else
		set_msg(x, "line %llu: expected '%s', got '%s'", (unsigned long long)line, es, gs);
	return CHECKER_WRONG;
}

/* Reads one token (the reader is at a non-space byte) into t, at most
 * CHECKER_MAX_NUMBER_TOKEN + 1 bytes; t->over tells that it may continue.
 * Scans the buffer directly: this loop and skip_space carry most of the work. */
static void read_token(struct reader *r, struct token *t)
{
	t->len = 0;
	t->line = r->line;
	for (;;) {
		size_t room = CHECKER_MAX_NUMBER_TOKEN + 1 - t->len;
		if (room == 0 || (r->pos == r->len && !rd_fill(r)))
			break;
		size_t end = r->len - r->pos < room ? r->len : r->pos + room;
		size_t i = r->pos;
		while (i < end && !is_space(r->buf[i]))
			i++;
		memcpy(t->buf + t->len, r->buf + r->pos, i - r->pos);
		t->len += i - r->pos;
		r->pos = i;
		if (i < end)
			break; /* whitespace */
	}
	t->over = t->len > CHECKER_MAX_NUMBER_TOKEN;
	t->buf[t->len] = '\0';
}

static void quote_token(const struct token *t, char *out, size_t size)
{
	size_t n = t->len < SNIPPET ? t->len : SNIPPET;
	escape(t->buf, n, t->over || n < t->len, out, size);
}

static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void c_locale_init(void)
{
	c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
}

bool checker_parse_number(const char *str, size_t n, double *out)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	bool digits = false;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		i++;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++, digits = true;
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++, digits = true;
	}
	if (!digits)
		return false;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		size_t start = i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == start)
			return false;
	}
	if (i != n)
		return false;
	pthread_once(&c_locale_once, c_locale_init);
	double v = c_locale ? strtod_l((const char *)s, NULL, c_locale) : strtod((const char *)s, NULL);
	if (!isfinite(v))
		return false;
	*out = v;
	return true;
}

static bool within(double expected, double got, double abs_tol, double rel_tol)
{
	if (expected == got)
		return true;
	double d = fabs(expected - got);
	/* A tolerance not given is NAN, and every comparison with NAN is false. */
	return d <= abs_tol || d <= rel_tol * fabs(expected);
}

static bool buffered_equal(const struct token *e, const struct token *g, bool fold_case)
{
	if (e->len != g->len)
		return false;
	if (!fold_case)
		return memcmp(e->buf, g->buf, e->len) == 0;
	for (size_t i = 0; i < e->len; i++)
		if (fold(e->buf[i]) != fold(g->buf[i]))
			return false;
	return true;
}

/* Both tokens are over-long and their buffered parts equal: compares the rest. */
static bool stream_rest_equal(struct reader *a, struct reader *o, bool fold_case)
{
	for (;;) {
		int ca = rd_peek(a), co = rd_peek(o);
		bool ea = ca < 0 || is_space(ca), eo = co < 0 || is_space(co);
		if (ea || eo)
			return ea && eo;
		if (fold_case ? fold(ca) != fold(co) : ca != co)
			return false;
		rd_next(a);
		rd_next(o);
	}
}

static const char *describe_byte(int c, char *buf, size_t size)
{
	if (c < 0)
		return "end of file";
	unsigned char b = (unsigned char)c;
	char esc[8];
	escape(&b, 1, false, esc, sizeof esc);
	snprintf(buf, size, "'%s'", esc);
	return buf;
}

/* Whitespace of the answer must appear byte for byte in the output. */
static int compare_space_exact(struct ctx *x)
{
	struct reader *o = &x->out, *a = &x->ans;
	char eb[16], gb[16];
	int ca, co;
	while ((ca = rd_peek(a)) >= 0 && is_space(ca)) {
		co = rd_peek(o);
		if (co != ca) {
			set_msg(x, "line %llu: whitespace differs: expected %s, got %s", (unsigned long long)o->line,
			        describe_byte(ca, eb, sizeof eb), describe_byte(co, gb, sizeof gb));
			return CHECKER_WRONG;
		}
		rd_next(a);
		rd_next(o);
	}
	co = rd_peek(o);
	if (co >= 0 && is_space(co)) {
		set_msg(x, "line %llu: whitespace differs: expected %s, got %s", (unsigned long long)o->line,
		        describe_byte(ca, eb, sizeof eb), describe_byte(co, gb, sizeof gb));
		return CHECKER_WRONG;
	}
	return CHECKER_ACCEPTED;
}

static const char *tolerance_text(const struct token_opts *opt, char *buf, size_t size)
{
	int n = 0;
	buf[0] = '\0';
	if (!isnan(opt->abs_tol))
		n = snprintf(buf, size, " abs %g", opt->abs_tol);
	if (!isnan(opt->rel_tol) && n >= 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, "%s rel %g", n ? " or" : "", opt->rel_tol);
	return buf;
}

static int compare_tokens(struct ctx *x, const struct token_opts *opt)
{
	struct reader *o = &x->out, *a = &x->ans;
	struct token *te = &x->tans, *tg = &x->tout;
	char es[8 * SNIPPET], gs[8 * SNIPPET], tb[64];
	for (;;) {
		if (opt->space_sensitive) {
			if (compare_space_exact(x) != CHECKER_ACCEPTED)
				return CHECKER_WRONG;
		} else {
			skip_space(a);
			skip_space(o);
		}
		int ca = rd_peek(a), co = rd_peek(o);
		if (ca < 0 && co < 0)
			return CHECKER_ACCEPTED;
		if (ca < 0) {
			read_token(o, tg);
			quote_token(tg, gs, sizeof gs);
			set_msg(x, "line %llu: extra output after the end of the answer: '%s'",
			        (unsigned long long)tg->line, gs);
			return CHECKER_WRONG;
		}
		if (co < 0) {
			read_token(a, te);
			quote_token(te, es, sizeof es);
			set_msg(x, "line %llu: expected '%s', got end of output%s", (unsigned long long)o->line, es,
			        rd_empty_file(o) ? " (the output is empty)" : "");
			return CHECKER_WRONG;
		}
		read_token(a, te);
		read_token(o, tg);

		/* Identical tokens match under every rule; the common case, kept cheap. */
		if (!te->over && te->len == tg->len && memcmp(te->buf, tg->buf, te->len) == 0)
			continue;
		bool equal;
		double ve, vg;
		bool ne = !te->over && opt->fmode != FLOAT_NONE && checker_parse_number((const char *)te->buf, te->len, &ve);
		bool ng = ne && !tg->over && checker_parse_number((const char *)tg->buf, tg->len, &vg);
		if (ne && (ng || opt->fmode == FLOAT_KATTIS)) {
			equal = ng && within(ve, vg, opt->abs_tol, opt->rel_tol);
			if (!equal) {
				quote_token(te, es, sizeof es);
				quote_token(tg, gs, sizeof gs);
				if (!ng)
					set_msg(x, "line %llu: expected a number close to '%s', got '%s'",
					        (unsigned long long)tg->line, es, gs);
				else
					set_msg(x, "line %llu: expected '%s', got '%s' (difference %.3g exceeds the tolerance%s)",
					        (unsigned long long)tg->line, es, gs, fabs(ve - vg), tolerance_text(opt, tb, sizeof tb));
				return CHECKER_WRONG;
			}
			continue;
		}
		equal = buffered_equal(te, tg, opt->fold_case); /* an over-long token never equals a short one */
		if (equal && te->over)
			equal = stream_rest_equal(a, o, opt->fold_case);
		if (!equal) {
			quote_token(te, es, sizeof es);
			quote_token(tg, gs, sizeof gs);
			set_msg(x, "line %llu: expected '%s', got '%s'", (unsigned long long)tg->line, es, gs);
			return CHECKER_WRONG;
		}
	}
}

int checker_compare(const struct checker *c, int output_fd, int answer_fd, char *msg, size_t msg_size)
{
	if (c->type == CHECKER_CUSTOM)
		return -EINVAL;
	struct ctx *x = xmalloc(sizeof *x);
	rd_init(&x->out, output_fd);
	rd_init(&x->ans, answer_fd);
	x->msg = msg;
	x->msg_size = msg_size;
	if (msg && msg_size)
		msg[0] = '\0';

	struct token_opts opt = {.fold_case = false, .space_sensitive = false, .fmode = FLOAT_NONE,
	                         .abs_tol = NAN, .rel_tol = NAN};
	int rc;
	switch (c->type) {
	case CHECKER_EXACT:
		rc = compare_exact(x);
		break;
	case CHECKER_FLOAT:
	case CHECKER_KATTIS:
		opt.abs_tol = c->float_abs;
		opt.rel_tol = c->float_rel;
		if (c->type == CHECKER_FLOAT) {
			opt.fmode = FLOAT_BOTH;
		} else {
			opt.fold_case = !c->case_sensitive;
			opt.space_sensitive = c->space_change_sensitive;
			if (!isnan(c->float_abs) || !isnan(c->float_rel))
				opt.fmode = FLOAT_KATTIS;
		}
		rc = compare_tokens(x, &opt);
		break;
	case CHECKER_TOKENS:
	default:
		rc = compare_tokens(x, &opt);
		break;
	}
	/* A read error ends a file early: report it, not the verdict it caused. */
	if (x->out.err)
		rc = x->out.err;
	else if (x->ans.err)
		rc = x->ans.err;
	if (rc < 0 && msg && msg_size)
		snprintf(msg, msg_size, "cannot read %s: %s", x->out.err ? "output" : "answer", strerror(-rc));
	free(x);
	return rc;
}

/* Configuration. */

static const char *const type_names[] = {
	[CHECKER_EXACT] = "exact",
	[CHECKER_TOKENS] = "tokens",
	[CHECKER_FLOAT] = "float",
	[CHECKER_KATTIS] = "kattis",
	[CHECKER_CUSTOM] = "custom",
};

const char *checker_type_name(enum checker_type type)
{
	if ((size_t)type < ARRAY_SIZE(type_names) && type_names[type])
		return type_names[type];
	return "unknown";
}

void checker_init(struct checker *c, enum checker_type type)
{
	c->type = type;
	c->case_sensitive = false;
	c->space_change_sensitive = false;
	c->float_abs = NAN;
	c->float_rel = NAN;
	c->interactive = false;
	c->passes = 1;
	c->score = false;
	strcpy(c->score_aggregation, "sum");
	if (type == CHECKER_FLOAT)
		c->float_abs = c->float_rel = CHECKER_FLOAT_DEFAULT_TOLERANCE;
}

static int invalid(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int invalid(char **err, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		*err = xvasprintf(fmt, ap);
		va_end(ap);
	}
	return CHECKER_E_INVALID;
}

/* A tolerance: absent or null (NAN), else a finite number >= 0. */
static int tolerance_from_json(const json_t *v, const char *key, double *out, char **err)
{
	if (!v || json_is_null(v)) {
		*out = NAN;
		return 0;
	}
	if (!json_is_number(v) || !isfinite(json_number_value(v)) || json_number_value(v) < 0)
		return invalid(err, "checker: '%s' must be a non-negative number or null", key);
	*out = json_number_value(v);
	return 0;
}

int checker_from_json(const json_t *j, struct checker *out, char **err)
{
	if (!json_is_object(j))
		return invalid(err, "checker: must be an object");
	const json_t *t = json_object_get(j, "type");
	if (!json_is_string(t))
		return invalid(err, "checker: 'type' must be one of exact, tokens, float, kattis, custom");
	const char *name = json_string_value(t);
	enum checker_type type;
	for (type = CHECKER_EXACT; type <= CHECKER_CUSTOM; type++)
		if (strcmp(name, type_names[type]) == 0)
			break;
	if (type > CHECKER_CUSTOM)
		return invalid(err, "checker: unknown type '%s' (one of exact, tokens, float, kattis, custom)", name);

	static const char *const float_keys[] = {"abs", "rel", NULL};
	static const char *const kattis_keys[] = {"case_sensitive", "space_change_sensitive", "float_abs", "float_rel", NULL};
	static const char *const custom_keys[] = {"interactive", "passes", "score", "score_aggregation", NULL};
	const char *const *allowed = type == CHECKER_FLOAT    ? float_keys
				     : type == CHECKER_KATTIS ? kattis_keys
				     : type == CHECKER_CUSTOM ? custom_keys
							      : NULL;
	const char *key;
	json_t *value;
	json_object_foreach((json_t *)j, key, value) {
		if (strcmp(key, "type") == 0)
			continue;
		bool ok = false;
		for (size_t i = 0; allowed && allowed[i]; i++)
			ok |= strcmp(key, allowed[i]) == 0;
		if (!ok)
			return invalid(err, "checker: unknown key '%s' for type '%s'", key, name);
	}

	struct checker c;
	checker_init(&c, type);
	if (type == CHECKER_FLOAT) {
		if (tolerance_from_json(json_object_get(j, "abs"), "abs", &c.float_abs, err) ||
		    tolerance_from_json(json_object_get(j, "rel"), "rel", &c.float_rel, err))
			return CHECKER_E_INVALID;
		if (isnan(c.float_abs) && isnan(c.float_rel))
			c.float_abs = c.float_rel = CHECKER_FLOAT_DEFAULT_TOLERANCE;
	} else if (type == CHECKER_KATTIS) {
		static const char *const flags[] = {"case_sensitive", "space_change_sensitive"};
		bool *fields[] = {&c.case_sensitive, &c.space_change_sensitive};
		for (size_t i = 0; i < 2; i++) {
			const json_t *v = json_object_get(j, flags[i]);
			if (v && !json_is_null(v) && !json_is_boolean(v))
				return invalid(err, "checker: '%s' must be true or false", flags[i]);
			*fields[i] = json_is_true(v);
		}
		if (tolerance_from_json(json_object_get(j, "float_abs"), "float_abs", &c.float_abs, err) ||
		    tolerance_from_json(json_object_get(j, "float_rel"), "float_rel", &c.float_rel, err))
			return CHECKER_E_INVALID;
	} else if (type == CHECKER_CUSTOM) {
		const json_t *i = json_object_get(j, "interactive"), *n = json_object_get(j, "passes");
		if (i && !json_is_null(i) && !json_is_boolean(i))
			return invalid(err, "checker: 'interactive' must be true or false");
		c.interactive = json_is_true(i);
		if (n && !json_is_null(n)) {
			if (!json_is_integer(n) || json_integer_value(n) < 1 || json_integer_value(n) > CHECKER_MAX_PASSES)
				return invalid(err, "checker: 'passes' must be a whole number from 1 to %d", CHECKER_MAX_PASSES);
			c.passes = (int)json_integer_value(n);
		}
		const json_t *sc = json_object_get(j, "score"), *ag = json_object_get(j, "score_aggregation");
		if (sc && !json_is_null(sc) && !json_is_boolean(sc))
			return invalid(err, "checker: 'score' must be true or false");
		c.score = json_is_true(sc);
		if (ag && !json_is_null(ag)) {
			const char *a = json_string_value(ag);
			if (!a || (strcmp(a, "sum") && strcmp(a, "min") && strcmp(a, "max") && strcmp(a, "avg")))
				return invalid(err, "checker: 'score_aggregation' must be sum, min, max or avg");
			snprintf(c.score_aggregation, sizeof c.score_aggregation, "%s", a);
		}
	}
	*out = c;
	return 0;
}

static json_t *tolerance_to_json(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

json_t *checker_to_json(const struct checker *c)
{
	json_t *j = json_object();
	json_object_set_new(j, "type", json_string(checker_type_name(c->type)));
	if (c->type == CHECKER_FLOAT) {
		json_object_set_new(j, "abs", tolerance_to_json(c->float_abs));
		json_object_set_new(j, "rel", tolerance_to_json(c->float_rel));
	} else if (c->type == CHECKER_KATTIS) {
		json_object_set_new(j, "case_sensitive", json_boolean(c->case_sensitive));
		json_object_set_new(j, "space_change_sensitive", json_boolean(c->space_change_sensitive));
		json_object_set_new(j, "float_abs", tolerance_to_json(c->float_abs));
		json_object_set_new(j, "float_rel", tolerance_to_json(c->float_rel));
	} else if (c->type == CHECKER_CUSTOM) {
		json_object_set_new(j, "interactive", json_boolean(c->interactive));
		json_object_set_new(j, "passes", json_integer(c->passes));
		if (c->score) {
			json_object_set_new(j, "score", json_true());
			json_object_set_new(j, "score_aggregation", json_string(c->score_aggregation));
		}
	}
	return j;
}

int checker_from_kattis_flags(const char *flags, struct checker *out, char **err)
{
	struct checker c;
	checker_init(&c, CHECKER_KATTIS);
	const char *p = flags ? flags : "";
	char word[64], value[64];
	for (;;) {
		while (is_space((unsigned char)*p))
			p++;
		if (!*p)
			break;
		size_t n = 0;
		while (*p && !is_space((unsigned char)*p))
			n++, p++;
		if (n >= sizeof word)
			return invalid(err, "validator_flags: unknown flag '%.*s...'", 32, p - n);
		memcpy(word, p - n, n);
		word[n] = '\0';
		if (strcmp(word, "case_sensitive") == 0) {
			c.case_sensitive = true;
			continue;
		}
		if (strcmp(word, "space_change_sensitive") == 0) {
			c.space_change_sensitive = true;
			continue;
		}
		bool both = strcmp(word, "float_tolerance") == 0;
		bool rel = strcmp(word, "float_relative_tolerance") == 0;
		bool abs = strcmp(word, "float_absolute_tolerance") == 0;
		if (!both && !rel && !abs)
			return invalid(err, "validator_flags: unknown flag '%s'", word);
		while (is_space((unsigned char)*p))
			p++;
		size_t m = 0;
		while (p[m] && !is_space((unsigned char)p[m]))
			m++;
		double v;
		if (m == 0 || m >= sizeof value)
			return invalid(err, "validator_flags: '%s' needs a non-negative number", word);
		memcpy(value, p, m);
		value[m] = '\0';
		p += m;
		if (!checker_parse_number(value, m, &v) || v < 0)
			return invalid(err, "validator_flags: '%s' needs a non-negative number, got '%s'", word, value);
		if (both || abs)
			c.float_abs = v;
		if (both || rel)
			c.float_rel = v;
	}
	*out = c;
	return 0;
}
