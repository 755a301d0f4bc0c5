/* The source of a submission sent as a zip (the CLICS API's `files`): one
 * file at the root of the archive (or in its single top-level folder), read
 * through the loader, which refuses hostile archives (traversal, links,
 * zip bombs, sizes). verdict's languages take one source file. */
#pragma once
#include <stddef.h>

#include "errors.h" /* PACKAGE_E_INVALID */

/* Reads zip[0..len): 0 with *name (the file's path) and *source (UTF-8 text
   of at most max_bytes, NUL-terminated), both malloc'd for the caller to
   free; PACKAGE_E_INVALID with *err (malloc'd, one line naming the entry),
   or a negative errno. */
int source_zip_read(const void *zip, size_t len, size_t max_bytes, char **name /* OUT */,
		    char **source /* OUT */, char **err /* OUT */);
