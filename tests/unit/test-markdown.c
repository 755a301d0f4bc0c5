/* Unit tests for markdown: safe HTML, math spans, code left alone. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "markdown.h"

static char *render(const char *md)
{
	return markdown_render(md, strlen(md), true);
}

#define ck_contains(hay, needle) ck_assert_msg(strstr(hay, needle) != NULL, "'%s' not in '%s'", needle, hay)
#define ck_lacks(hay, needle) ck_assert_msg(strstr(hay, needle) == NULL, "'%s' in '%s'", needle, hay)

START_TEST(renders_commonmark)
{
	char *h = render("## Input\n\nOne *line* with `a_b`.\n\n- x\n- y\n");
	ck_contains(h, "<h2>Input</h2>");
	ck_contains(h, "<em>line</em>");
	ck_contains(h, "<code>a_b</code>");
	ck_contains(h, "<li>x</li>");
	free(h);
}
END_TEST

START_TEST(strips_raw_html_and_dangerous_links)
{
	char *h = render("<script>alert(1)</script>\n\nx <img src=x onerror=alert(1)> "
			 "[a](javascript:alert(1)) ![b](\"onload=x)\n");
	ck_lacks(h, "<script");
	ck_lacks(h, "<img src=x");
	ck_lacks(h, "javascript:");
	ck_contains(h, "raw HTML omitted");
	free(h);
}
END_TEST

START_TEST(math_becomes_readable_spans)
{
	char *h = render("Read $a_1$ and $b^{2}$ with $-10^9 \\le a, b \\le 10^9$.\n\n$$\\sum_{i=1}^{n} x_i$$\n");
	ck_contains(h, "<span class=\"math\" title=\"a_1\">a<sub>1</sub></span>");
	ck_contains(h, "b<sup>2</sup>");
	ck_contains(h, "\xe2\x89\xa4"); /* the less-or-equal sign */
	ck_contains(h, "<span class=\"math display\"");
	ck_contains(h, "\xe2\x88\x91<sub>i=1</sub><sup>n</sup>");
	free(h);
}
END_TEST

START_TEST(math_markup_is_not_markdown)
{
	/* Without the cut, '_' and '*' inside formulas would turn into emphasis. */
	char *h = render("$a_i * b_j$ and $c_k * d$\n");
	ck_lacks(h, "<em>");
	ck_contains(h, "a<sub>i</sub> * b<sub>j</sub>");
	free(h);
}
END_TEST

START_TEST(dollars_that_are_not_math)
{
	char *h = render("It costs $5 and $10, or \\$x\\$.\n\n```\n$code$\n```\n\nand `$span$` and\n\n    $indented$\n");
	ck_lacks(h, "class=\"math\"");
	ck_contains(h, "$5 and $10");
	ck_contains(h, "$code$");
	ck_contains(h, "<code>$span$</code>");
	ck_contains(h, "$indented$");
	free(h);
}
END_TEST

START_TEST(math_escapes_html_and_stays_out_of_attributes)
{
	char *h = render("$<b>\"x\"</b>$ and ![alt $y<z$](img.png)\n");
	ck_lacks(h, "<b>");
	ck_contains(h, "&lt;b&gt;");
	ck_contains(h, "alt=\"alt $y&lt;z$\"");
	free(h);
}
END_TEST

START_TEST(forged_placeholders_are_replaced)
{
	char *h = render("\xEE\x80\x80" "0" "\xEE\x80\x81 $x$\n");
	ck_contains(h, "\xEF\xBF\xBD" "0" "\xEF\xBF\xBD");
	free(h);
}
END_TEST

START_TEST(text_format_is_preformatted_and_escaped)
{
	const char *t = "a <b> & $x$\n  indented";
	char *h = markdown_render(t, strlen(t), false);
	ck_assert_str_eq(h, "<pre class=\"statement-text\">a &lt;b&gt; &amp; $x$\n  indented</pre>\n");
	free(h);
}
END_TEST

START_TEST(tex_commands)
{
	const char *cases[][2] = {
		{"\\frac{a+b}{2}", "(a+b)/2"},
		{"\\sqrt{n}", "\xe2\x88\x9an"},
		{"\\mathbb{R}", "\xe2\x84\x9d"},
		{"\\text{if } x", "if x"},
		{"\\left( x \\right)", "( x )"},
		{"\\log n", "log n"},
		{"\\{1, \\dots, n\\}", "{1, \xe2\x80\xa6, n}"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *h = markdown_math_html(cases[i][0], strlen(cases[i][0]));
		ck_assert_str_eq(h, cases[i][1]);
		free(h);
	}
	/* Deep nesting neither crashes nor recurses without bound. */
	char deep[4000];
	for (int i = 0; i < 1000; i++)
		memcpy(deep + 4 * i, "{\\sq", 4);
	char *h = markdown_math_html(deep, sizeof deep);
	free(h);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("markdown");
	TCase *tc = tcase_create("markdown");
	tcase_add_test(tc, renders_commonmark);
	tcase_add_test(tc, strips_raw_html_and_dangerous_links);
	tcase_add_test(tc, math_becomes_readable_spans);
	tcase_add_test(tc, math_markup_is_not_markdown);
	tcase_add_test(tc, dollars_that_are_not_math);
	tcase_add_test(tc, math_escapes_html_and_stays_out_of_attributes);
	tcase_add_test(tc, forged_placeholders_are_replaced);
	tcase_add_test(tc, text_format_is_preformatted_and_escaped);
	tcase_add_test(tc, tex_commands);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
