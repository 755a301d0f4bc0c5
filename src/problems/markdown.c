/* Problem statements: CommonMark to safe HTML, with readable TeX math.
 *
 * libcmark knows no math, and its inline parser would read the '_' and '*' of
 * a formula as emphasis. So math spans are cut out first: a scanner that
 * knows just enough Markdown to leave code alone (fenced and indented code
 * blocks, backtick code spans, backslash escapes) replaces every $...$ and
 * $$...$$ with a placeholder made of two private-use characters around an
 * index. libcmark then renders the text in its default safe mode (raw HTML
 * omitted, dangerous URLs dropped), and a last pass swaps the placeholders
 * for the formulas' HTML. A placeholder that lands inside a tag (an image's
 * alt text, a link title) becomes plain escaped "$TeX$" there, so that the
 * markup of a formula never ends up inside an attribute. The input's own
 * private-use placeholder characters are replaced first, so a statement
 * cannot forge a placeholder. */
#include "markdown.h"

#include <cmark.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define PH_OPEN "\xEE\x80\x80"  /* U+E000 */
#define PH_CLOSE "\xEE\x80\x81" /* U+E001 */
#define PH_LEN 3
#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */
#define MAX_DEPTH 32               /* nesting of TeX groups rendered as such */

struct math_span {
	const char *tex; /* into the sanitized input */
	size_t len;
	bool display;
};

struct math_list {
	struct math_span *items;
	size_t count, cap;
};

static void escape_html(struct buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '&': buf_adds(out, "&amp;"); break;
		case '<': buf_adds(out, "&lt;"); break;
		case '>': buf_adds(out, "&gt;"); break;
		case '"': buf_adds(out, "&quot;"); break;
		case '\'': buf_adds(out, "&#39;"); break;
		default: buf_add(out, &s[i], 1);
		}
	}
}

/* ---- TeX to readable HTML ---- */

struct tex {
	const char *s;
	size_t n, i;
	int depth;
};

static const char *const symbols[][2] = {
	{"le", "\xe2\x89\xa4"}, {"leq", "\xe2\x89\xa4"}, {"ge", "\xe2\x89\xa5"}, {"geq", "\xe2\x89\xa5"},
	{"ne", "\xe2\x89\xa0"}, {"neq", "\xe2\x89\xa0"}, {"lt", "<"}, {"gt", ">"},
	{"cdot", "\xc2\xb7"}, {"times", "\xc3\x97"}, {"div", "\xc3\xb7"}, {"pm", "\xc2\xb1"},
	{"mp", "\xe2\x88\x93"}, {"dots", "\xe2\x80\xa6"}, {"ldots", "\xe2\x80\xa6"}, {"dotsc", "\xe2\x80\xa6"},
	{"cdots", "\xe2\x8b\xaf"}, {"vdots", "\xe2\x8b\xae"}, {"infty", "\xe2\x88\x9e"},
	{"to", "\xe2\x86\x92"}, {"rightarrow", "\xe2\x86\x92"}, {"leftarrow", "\xe2\x86\x90"},
	{"gets", "\xe2\x86\x90"}, {"Rightarrow", "\xe2\x87\x92"}, {"implies", "\xe2\x87\x92"},
	{"Leftrightarrow", "\xe2\x87\x94"}, {"iff", "\xe2\x87\x94"}, {"approx", "\xe2\x89\x88"},
	{"equiv", "\xe2\x89\xa1"}, {"sim", "\xe2\x88\xbc"}, {"in", "\xe2\x88\x88"}, {"notin", "\xe2\x88\x89"},
	{"subset", "\xe2\x8a\x82"}, {"subseteq", "\xe2\x8a\x86"}, {"cup", "\xe2\x88\xaa"},
	{"cap", "\xe2\x88\xa9"}, {"emptyset", "\xe2\x88\x85"}, {"forall", "\xe2\x88\x80"},
	{"exists", "\xe2\x88\x83"}, {"neg", "\xc2\xac"}, {"land", "\xe2\x88\xa7"}, {"wedge", "\xe2\x88\xa7"},
	{"lor", "\xe2\x88\xa8"}, {"vee", "\xe2\x88\xa8"}, {"oplus", "\xe2\x8a\x95"}, {"sum", "\xe2\x88\x91"},
	{"prod", "\xe2\x88\x8f"}, {"int", "\xe2\x88\xab"}, {"partial", "\xe2\x88\x82"},
	{"nabla", "\xe2\x88\x87"}, {"circ", "\xe2\x88\x98"}, {"prime", "\xe2\x80\xb2"},
	{"lfloor", "\xe2\x8c\x8a"}, {"rfloor", "\xe2\x8c\x8b"}, {"lceil", "\xe2\x8c\x88"},
	{"rceil", "\xe2\x8c\x89"}, {"langle", "\xe2\x9f\xa8"}, {"rangle", "\xe2\x9f\xa9"},
	{"mid", "\xe2\x88\xa3"}, {"vert", "|"}, {"lvert", "|"}, {"rvert", "|"}, {"Vert", "\xe2\x80\x96"},
	{"ll", "\xe2\x89\xaa"}, {"gg", "\xe2\x89\xab"}, {"bmod", " mod "}, {"mod", " mod "},
	{"alpha", "\xce\xb1"}, {"beta", "\xce\xb2"}, {"gamma", "\xce\xb3"}, {"delta", "\xce\xb4"},
	{"epsilon", "\xcf\xb5"}, {"varepsilon", "\xce\xb5"}, {"zeta", "\xce\xb6"}, {"eta", "\xce\xb7"},
	{"theta", "\xce\xb8"}, {"vartheta", "\xcf\x91"}, {"iota", "\xce\xb9"}, {"kappa", "\xce\xba"},
	{"lambda", "\xce\xbb"}, {"mu", "\xce\xbc"}, {"nu", "\xce\xbd"}, {"xi", "\xce\xbe"},
	{"pi", "\xcf\x80"}, {"rho", "\xcf\x81"}, {"sigma", "\xcf\x83"}, {"tau", "\xcf\x84"},
	{"upsilon", "\xcf\x85"}, {"phi", "\xcf\x95"}, {"varphi", "\xcf\x86"}, {"chi", "\xcf\x87"},
	{"psi", "\xcf\x88"}, {"omega", "\xcf\x89"}, {"Gamma", "\xce\x93"}, {"Delta", "\xce\x94"},
	{"Theta", "\xce\x98"}, {"Lambda", "\xce\x9b"}, {"Xi", "\xce\x9e"}, {"Pi", "\xce\xa0"},
	{"Sigma", "\xce\xa3"}, {"Phi", "\xce\xa6"}, {"Psi", "\xce\xa8"}, {"Omega", "\xce\xa9"},
	{"quad", "\xe2\x80\x83"}, {"qquad", "\xe2\x80\x83\xe2\x80\x83"}, {",", "\xe2\x80\x89"},
	{";", " "}, {":", " "}, {">", " "}, {" ", " "}, {"!", ""}, {"\\", " "},
	{"{", "{"}, {"}", "}"}, {"$", "$"}, {"%", "%"}, {"&", "&amp;"}, {"_", "_"}, {"#", "#"},
	{"|", "\xe2\x80\x96"},
};

/* Commands whose one argument is shown as it is. */
static const char *const passthrough[] = {
	"text", "textrm", "textbf", "textit", "texttt", "mathrm", "mathbf", "mathit", "mathsf", "mathtt",
	"mathcal", "operatorname", "mbox", "boldsymbol", "bm", "overline", "bar", "hat", "vec", "tilde",
	"widehat", "widetilde", "underline", "emph",
};

/* Commands that only size delimiters: dropped. */
static const char *const ignored[] = {
	"left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "displaystyle",
	"textstyle", "limits", "nolimits",
};

static bool in_list(const char *const *list, size_t n, const char *name, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(list[i]) == len && memcmp(list[i], name, len) == 0)
			return true;
	return false;
}

static void tex_until(struct tex *t, struct buf *out, bool until_brace);
static void tex_command(struct tex *t, struct buf *out);

static void tex_skip_space(struct tex *t)
{
	while (t->i < t->n && isspace((unsigned char)t->s[t->i]))
		t->i++;
}

/* One argument: a {group}, a command, or one (UTF-8) character. */
static void tex_atom(struct tex *t, struct buf *out)
{
	tex_skip_space(t);
	if (t->i >= t->n)
		return;
	unsigned char c = (unsigned char)t->s[t->i];
	if (c == '{') {
		t->i++;
		tex_until(t, out, true);
		return;
	}
	if (c == '\\') {
		if (t->depth > MAX_DEPTH) { /* \sqrt\sqrt\sqrt...: the rest as plain text */
			escape_html(out, t->s + t->i, t->n - t->i);
			t->i = t->n;
			return;
		}
		t->depth++;
		tex_command(t, out);
		t->depth--;
		return;
	}
	size_t len = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
	if (t->i + len > t->n)
		len = t->n - t->i;
	escape_html(out, t->s + t->i, len);
	t->i += len;
}

/* The raw text of the next argument, for deciding on parentheses. */
static size_t tex_arg_len(const struct tex *t)
{
	size_t i = t->i;
	while (i < t->n && isspace((unsigned char)t->s[i]))
		i++;
	if (i >= t->n || t->s[i] != '{')
		return 1;
	int depth = 0;
	size_t start = i;
	for (; i < t->n; i++) {
		if (t->s[i] == '{')
			depth++;
		else if (t->s[i] == '}' && --depth == 0)
			break;
	}
	return i - start - 1;
}

static void tex_wrapped_atom(struct tex *t, struct buf *out)
{
	bool paren = tex_arg_len(t) > 1;
	if (paren)
		buf_adds(out, "(");
	tex_atom(t, out);
	if (paren)
		buf_adds(out, ")");
}

static void tex_command(struct tex *t, struct buf *out)
{
	size_t start = ++t->i; /* past the backslash */
	while (t->i < t->n && isalpha((unsigned char)t->s[t->i]))
		t->i++;
	if (t->i == start && t->i < t->n)
		t->i++; /* a one-character command such as \{ or \, */
	const char *name = t->s + start;
	size_t len = t->i - start;
	if (len == 0)
		return;
	for (size_t k = 0; k < ARRAY_SIZE(symbols); k++)
		if (strlen(symbols[k][0]) == len && memcmp(symbols[k][0], name, len) == 0) {
			buf_adds(out, symbols[k][1]);
			return;
		}
	if (in_list(ignored, ARRAY_SIZE(ignored), name, len)) {
		tex_skip_space(t);
		if (t->i < t->n && t->s[t->i] == '.')
			t->i++; /* \left. is an invisible delimiter */
		return;
	}
	if (in_list(passthrough, ARRAY_SIZE(passthrough), name, len)) {
		tex_atom(t, out);
		return;
	}
	if ((len == 4 && memcmp(name, "frac", 4) == 0) || (len == 5 && memcmp(name, "dfrac", 5) == 0) ||
	    (len == 5 && memcmp(name, "tfrac", 5) == 0)) {
		tex_wrapped_atom(t, out);
		buf_adds(out, "/");
		tex_wrapped_atom(t, out);
		return;
	}
	if (len == 4 && memcmp(name, "sqrt", 4) == 0) {
		tex_skip_space(t);
		if (t->i < t->n && t->s[t->i] == '[') { /* \sqrt[n]{x}: the index is dropped */
			while (t->i < t->n && t->s[t->i] != ']')
				t->i++;
			if (t->i < t->n)
				t->i++;
		}
		buf_adds(out, "\xe2\x88\x9a");
		tex_wrapped_atom(t, out);
		return;
	}
	if (len == 5 && memcmp(name, "binom", 5) == 0) {
		buf_adds(out, "C(");
		tex_atom(t, out);
		buf_adds(out, ", ");
		tex_atom(t, out);
		buf_adds(out, ")");
		return;
	}
	if (len == 6 && memcmp(name, "mathbb", 6) == 0) {
		static const char letters[] = "NZQRC";
		static const char *const bb[] = {"\xe2\x84\x95", "\xe2\x84\xa4", "\xe2\x84\x9a", "\xe2\x84\x9d",
						 "\xe2\x84\x82"};
		tex_skip_space(t);
		bool braced = t->i + 2 < t->n && t->s[t->i] == '{' && t->s[t->i + 2] == '}';
		size_t at = t->i + braced;
		const char *hit = at < t->n && t->s[at] ? strchr(letters, t->s[at]) : NULL;
		if (hit) {
			buf_adds(out, bb[hit - letters]);
			t->i = at + 1 + braced;
		} else {
			tex_atom(t, out);
		}
		return;
	}
	/* Unknown: its name reads better than nothing (\log, \max, \gcd ...). */
	escape_html(out, name, len);
}

static void tex_until(struct tex *t, struct buf *out, bool until_brace)
{
	if (++t->depth > MAX_DEPTH) {
		/* absurd nesting: the rest as plain text */
		escape_html(out, t->s + t->i, t->n - t->i);
		t->i = t->n;
		t->depth--;
		return;
	}
	bool space = false;
	while (t->i < t->n) {
		unsigned char c = (unsigned char)t->s[t->i];
		if (isspace(c)) {
			space = true;
			t->i++;
			continue;
		}
		if (space && out->len && out->data[out->len - 1] != ' ')
			buf_adds(out, " ");
		space = false;
		if (c == '}') {
			t->i++;
			if (until_brace)
				break;
			continue;
		}
		if (c == '{') {
			t->i++;
			tex_until(t, out, true);
		} else if (c == '^' || c == '_') {
			t->i++;
			buf_adds(out, c == '^' ? "<sup>" : "<sub>");
			tex_atom(t, out);
			buf_adds(out, c == '^' ? "</sup>" : "</sub>");
		} else if (c == '\\') {
			tex_command(t, out);
		} else if (c == '~') {
			t->i++;
			buf_adds(out, "\xc2\xa0");
		} else if (c == '\'') {
			t->i++;
			buf_adds(out, "\xe2\x80\xb2");
		} else {
			tex_atom(t, out);
		}
	}
	t->depth--;
}

char *markdown_math_html(const char *tex, size_t len)
{
	struct buf out;
	buf_init(&out);
	struct tex t = {.s = tex, .n = len};
	tex_until(&t, &out, false);
	return buf_detach(&out, NULL);
}

/* ---- cutting math out of Markdown ---- */

/* Marks the bytes of fenced and indented code blocks, where '$' is just '$'. */
static void mark_code_blocks(const char *s, size_t n, bool *verbatim)
{
	bool in_fence = false, prev_blank = true, in_indent = false;
	char fence_ch = 0;
	size_t fence_len = 0;
	for (size_t i = 0; i < n;) {
		size_t end = i;
		while (end < n && s[end] != '\n')
			end++;
		size_t next = end < n ? end + 1 : end;
		size_t p = i, indent = 0;
		while (p < end && s[p] == ' ' && indent < 4)
			p++, indent++;
		bool tab = p < end && s[p] == '\t';
		bool blank = true;
		for (size_t q = i; q < end && blank; q++)
			blank = isspace((unsigned char)s[q]) != 0;
		size_t run = 0;
		while (p + run < end && (s[p + run] == '`' || s[p + run] == '~') && s[p + run] == s[p])
			run++;
		bool code = false;
		if (in_fence) {
			code = true;
			if (indent < 4 && run >= fence_len && s[p] == fence_ch) {
				bool rest_blank = true;
				for (size_t q = p + run; q < end && rest_blank; q++)
					rest_blank = isspace((unsigned char)s[q]) != 0;
				if (rest_blank)
					in_fence = false;
			}
		} else if (indent < 4 && !tab && run >= 3) {
			bool ok = true;
			if (s[p] == '`') /* a backtick fence's info string has no backtick */
				for (size_t q = p + run; q < end && ok; q++)
					ok = s[q] != '`';
			if (ok) {
				in_fence = true;
				fence_ch = s[p];
				fence_len = run;
				code = true;
			}
		}
		if (!code && !blank && (indent >= 4 || tab) && (prev_blank || in_indent)) {
			in_indent = true;
			code = true;
		} else if (!code && !blank) {
			in_indent = false;
		}
		if (code)
			memset(verbatim + i, 1, next - i);
		prev_blank = blank;
		i = next;
	}
}

/* Does a blank line start right after the newline at s[j]? */
static bool blank_line_after(const char *s, size_t n, size_t j)
{
	size_t k = j + 1;
	while (k < n && (s[k] == ' ' || s[k] == '\t' || s[k] == '\r'))
		k++;
	return k >= n || s[k] == '\n';
}

/* Where the math that opens at s[i] ('$' or '$$') closes, or 0. */
static size_t find_close(const char *s, size_t n, const bool *verbatim, size_t start, bool display)
{
	for (size_t j = start; j < n; j++) {
		if (verbatim[j])
			return 0;
		if (s[j] == '\\') {
			j++;
			continue;
		}
		if (s[j] == '\n' && blank_line_after(s, n, j))
			return 0;
		if (s[j] != '$')
			continue;
		if (display) {
			if (j + 1 < n && s[j + 1] == '$' && j > start)
				return j;
			return 0;
		}
		if (j > start && !isspace((unsigned char)s[j - 1]) && !(j + 1 < n && isdigit((unsigned char)s[j + 1])))
			return j;
		if (j == start)
			return 0;
	}
	return 0;
}

static void cut_math(const char *s, size_t n, struct buf *out, struct math_list *math)
{
	bool *verbatim = xcalloc(n + 1, 1);
	mark_code_blocks(s, n, verbatim);
	for (size_t i = 0; i < n;) {
		char c = s[i];
		if (verbatim[i]) {
			buf_add(out, &c, 1);
			i++;
		} else if (c == '\\' && i + 1 < n) {
			buf_add(out, s + i, 2);
			i += 2;
		} else if (c == '`') {
			size_t run = 0;
			while (i + run < n && s[i + run] == '`')
				run++;
			size_t j = i + run, close = 0;
			while (j < n && !verbatim[j] && !close) {
				if (s[j] == '\n' && blank_line_after(s, n, j))
					break;
				if (s[j] != '`') {
					j++;
					continue;
				}
				size_t r = 0;
				while (j + r < n && s[j + r] == '`')
					r++;
				if (r == run)
					close = j;
				j += r;
			}
			size_t upto = close ? close + run : i + run;
			buf_add(out, s + i, upto - i);
			i = upto;
		} else if (c == '$') {
			bool display = i + 1 < n && s[i + 1] == '$';
			size_t open = display ? 2 : 1, start = i + open;
			size_t close = 0;
			if (display || (start < n && !isspace((unsigned char)s[start])))
				close = find_close(s, n, verbatim, start, display);
			if (!close) {
				buf_add(out, s + i, open);
				i += open;
				continue;
			}
			if (math->count == math->cap) {
				math->cap = math->cap ? math->cap * 2 : 16;
				math->items = xrealloc(math->items, math->cap * sizeof *math->items);
			}
			math->items[math->count] = (struct math_span){s + start, close - start, display};
			buf_printf(out, PH_OPEN "%zu" PH_CLOSE, math->count);
			math->count++;
			i = close + open;
		} else {
			buf_add(out, &c, 1);
			i++;
		}
	}
	free(verbatim);
}

/* Swaps the placeholders in libcmark's HTML for the formulas. */
static void put_math(const char *html, struct buf *out, const struct math_list *math)
{
	bool in_tag = false; /* libcmark escapes '<' and '>' everywhere else */
	for (const char *p = html; *p;) {
		if (*p == '<')
			in_tag = true;
		else if (*p == '>')
			in_tag = false;
		if (strncmp(p, PH_OPEN, PH_LEN) == 0) {
			char *end;
			size_t k = strtoul(p + PH_LEN, &end, 10);
			if (end != p + PH_LEN && strncmp(end, PH_CLOSE, PH_LEN) == 0 && k < math->count) {
				const struct math_span *m = &math->items[k];
				if (in_tag) {
					buf_adds(out, "$");
					escape_html(out, m->tex, m->len);
					buf_adds(out, "$");
				} else {
					char *readable = markdown_math_html(m->tex, m->len);
					buf_adds(out, m->display ? "<span class=\"math display\" title=\""
								 : "<span class=\"math\" title=\"");
					escape_html(out, m->tex, m->len);
					buf_adds(out, "\">");
					buf_adds(out, readable);
					buf_adds(out, "</span>");
					free(readable);
				}
				p = end + PH_LEN;
				continue;
			}
		}
		buf_add(out, p, 1);
		p++;
	}
}

char *markdown_render(const char *text, size_t len, bool markdown)
{
	struct buf out;
	buf_init(&out);
	if (!text)
		text = "", len = 0;
	if (!markdown) {
		buf_adds(&out, "<pre class=\"statement-text\">");
		escape_html(&out, text, len);
		buf_adds(&out, "</pre>\n");
		return buf_detach(&out, NULL);
	}
	/* No forged placeholders: the input's own U+E000 and U+E001 become U+FFFD. */
	struct buf clean;
	buf_init(&clean);
	for (size_t i = 0; i < len;) {
		if (i + PH_LEN <= len && (memcmp(text + i, PH_OPEN, PH_LEN) == 0 || memcmp(text + i, PH_CLOSE, PH_LEN) == 0)) {
			buf_adds(&clean, REPLACEMENT);
			i += PH_LEN;
		} else if (text[i] == '\0') {
			buf_adds(&clean, REPLACEMENT);
			i++;
		} else {
			buf_add(&clean, text + i, 1);
			i++;
		}
	}
	struct buf cut;
	buf_init(&cut);
	struct math_list math = {0};
	cut_math(clean.data ? clean.data : "", clean.len, &cut, &math);
	char *html = cmark_markdown_to_html(cut.data ? cut.data : "", cut.len,
					    CMARK_OPT_DEFAULT | CMARK_OPT_SAFE | CMARK_OPT_VALIDATE_UTF8);
	if (html) {
		put_math(html, &out, &math);
		free(html);
	}
	free(math.items);
	buf_release(&cut);
	buf_release(&clean);
	if (!out.len)
		buf_adds(&out, "");
	return buf_detach(&out, NULL);
}
