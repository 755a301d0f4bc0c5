/* libFuzzer harness: statements rendered to safe HTML (libcmark plus the math
 * spans), as Markdown and as text, and the TeX-to-text reader on its own. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "markdown.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	free(markdown_render(text, size, true));
	char *pre = markdown_render(text, size, false);
	if (strncmp(pre, "<pre", 4) != 0)
		abort();
	free(pre);
	free(markdown_math_html(text, size));
	return 0;
}
