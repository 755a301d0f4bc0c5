/* The source of a submission sent as a zip (the CLICS API's `files`): one
 * file at the root of the archive (or in its single top-level folder), read
 * through the loader, which refuses hostile archives (traversal, links,
 * zip bombs, sizes); or every file of a multi-file submission. */
#pragma once
#include <stddef.h>

#include "errors.h" /* PACKAGE_E_INVALID */

/* Reads zip[0..len): 0 with *name (the file's path) and *source (UTF-8 text
   of at most max_bytes, NUL-terminated), both malloc'd for the caller to
   free; PACKAGE_E_INVALID with *err (malloc'd, one line naming the entry),
   or a negative errno. */
int source_zip_read(const void *zip, size_t len, size_t max_bytes, char **name /* OUT */,
		    char **source /* OUT */, char **err /* OUT */);

/* One file of a multi-file submission's zip: its path (relative to the root or
   the single top-level folder) and its UTF-8 text. */
struct source_file {
	char *name, *data;
	size_t len;
};
/* Every file of zip[0..len) (at most max_files, max_bytes in all, each UTF-8
   text without NUL and not empty): 0 with *files (*n of them, in the zip's
   order; source_files_free), else as source_zip_read. */
int source_zip_read_all(const void *zip, size_t len, size_t max_bytes, size_t max_files,
			struct source_file **files /* OUT */, size_t *n /* OUT */, char **err /* OUT */);
void source_files_free(struct source_file *files, size_t n);
