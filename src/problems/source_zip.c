/* A submission's source out of its zip (source_zip.h). */
#include "source_zip.h"

#include <stdlib.h>
#include <string.h>

#include "loader.h"
#include "util.h"

#define MAX_ENTRIES 16 /* files and folders: a source zip holds one file */

static bool ignored(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	return path_starts(path, "__MACOSX/") || strcmp(base, ".DS_Store") == 0;
}

static bool wanted(const char *path)
{
	(void)path;
	return true;
}

static const struct loader_rules rules = {.marker = NULL, .ignored = ignored, .wanted = wanted};

int source_zip_read(const void *zip, size_t len, size_t max_bytes, char **name, char **source, char **err)
{
	*name = *source = NULL;
	struct package_limits lim = {max_bytes, MAX_ENTRIES, max_bytes, 0};
	struct loader_tree t;
	int rc = loader_read_zip(zip, len, &lim, &rules, &t, err);
	if (rc)
		return rc;
	if (t.nfiles != 1) {
		struct buf names;
		buf_init(&names);
		for (size_t i = 0; i < t.nfiles && i < 4; i++)
			buf_printf(&names, "%s'%s'", i ? ", " : "", t.files[i].path);
		rc = loader_fail(err, "zip: %zu files (%s%s): a submission is one source file", t.nfiles,
				 names.data ? names.data : "", t.nfiles > 4 ? ", ..." : "");
		buf_release(&names);
	} else if (memchr(t.files[0].data, '\0', t.files[0].len) ||
		   !utf8_valid((const unsigned char *)t.files[0].data, t.files[0].len)) {
		rc = loader_fail(err, "zip: '%s': the source is not UTF-8 text", t.files[0].path);
	} else if (t.files[0].len == 0) {
		rc = loader_fail(err, "zip: '%s': the source is empty", t.files[0].path);
	} else {
		*name = t.files[0].path;
		*source = t.files[0].data;
		t.files[0].path = t.files[0].data = NULL;
	}
	loader_release(&t);
	return rc;
}
