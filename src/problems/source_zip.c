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

int source_zip_read_all(const void *zip, size_t len, size_t max_bytes, size_t max_files, struct source_file **files,
			size_t *n, char **err)
{
	*files = NULL;
	*n = 0;
	/* folders count as entries too: a few of them beside the files */
	struct package_limits lim = {max_bytes, max_files + MAX_ENTRIES, max_bytes, 0};
	struct loader_tree t;
	int rc = loader_read_zip(zip, len, &lim, &rules, &t, err);
	if (rc)
		return rc;
	if (t.nfiles == 0 || t.nfiles > max_files)
		rc = loader_fail(err, "zip: %zu files: a submission has 1 to %zu", t.nfiles, max_files);
	for (size_t i = 0; rc == 0 && i < t.nfiles; i++) {
		const struct loader_file *f = &t.files[i];
		if (memchr(f->data, '\0', f->len) || !utf8_valid((const unsigned char *)f->data, f->len))
			rc = loader_fail(err, "zip: '%s': the source is not UTF-8 text", f->path);
		else if (f->len == 0)
			rc = loader_fail(err, "zip: '%s': the source is empty", f->path);
	}
	if (rc == 0) {
		*files = xcalloc(t.nfiles, sizeof **files);
		for (size_t i = 0; i < t.nfiles; i++) {
			(*files)[i] = (struct source_file){t.files[i].path, t.files[i].data, t.files[i].len};
			t.files[i].path = t.files[i].data = NULL;
		}
		*n = t.nfiles;
	}
	loader_release(&t);
	return rc;
}

void source_files_free(struct source_file *files, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(files[i].name);
		free(files[i].data);
	}
	free(files);
}
