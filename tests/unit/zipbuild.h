/* Zip archives built in memory for the package and loader tests. */
#pragma once
#include <archive.h>
#include <stddef.h>
#include <sys/types.h>

#include "util.h"

struct zip {
	struct archive *a;
	struct buf out;       /* the archive, once zip_end is called */
};

void zip_begin(struct zip *z);
/* An entry of any type (AE_IFREG, AE_IFDIR, AE_IFLNK with link, ...). */
void zip_entry(struct zip *z, const char *name, mode_t type, const void *data, size_t len, const char *link);
void zip_filen(struct zip *z, const char *name, const void *data, size_t len);
void zip_file(struct zip *z, const char *name, const char *text);
/* size bytes of zeros, written in chunks: compresses to almost nothing */
void zip_zeros(struct zip *z, const char *name, size_t size);
void zip_end(struct zip *z);
void zip_release(struct zip *z);
/* Rewrites fields of every central-directory record whose name is `name`:
 * the Unix mode (external attributes) and, if size is not -1, the sizes. */
void zip_patch(struct zip *z, const char *name, unsigned mode, long size);
