/* Problem statements as safe HTML: CommonMark (libcmark) with raw HTML and
 * unsafe links removed, and TeX math ($...$, $$...$$) shown as readable text. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

/* Renders a statement to an HTML fragment that is safe to insert into a page:
   raw HTML is omitted, javascript:/vbscript:/file: and most data: links are
   dropped (libcmark's safe mode), and every math span becomes
   <span class="math" title="TeX">readable text</span> (class "math display"
   for $$...$$). With markdown false the text is shown as is, escaped, in
   <pre class="statement-text">. Never NULL; the caller frees the result. */
char *markdown_render(const char *text, size_t len, bool markdown);

/* The readable form of one TeX formula as escaped HTML (sub/sup elements,
   Unicode for common commands). Exposed for tests; the caller frees. */
char *markdown_math_html(const char *tex, size_t len);
