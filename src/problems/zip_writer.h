/* Writing a zip archive in memory (libarchive, deflate): the problem packages
 * and the contest package that verdict exports. Entries are files only, each
 * named by a relative path with '/' between folders.
 *
 * Return convention: 0, or a negative errno. */
#pragma once
#include <stddef.h>

struct zip_writer;

struct zip_writer *zip_writer_new(void);
/* Adds one file; data[0..len) is copied in (compressed). */
int zip_writer_add(struct zip_writer *z, const char *path, const void *data, size_t len);
/* Ends the archive and hands its bytes to the caller (*out malloc'd), then
   frees z; on failure too. */
int zip_writer_finish(struct zip_writer *z, char **out, size_t *len);
/* Frees an unfinished writer; NULL is fine. */
void zip_writer_free(struct zip_writer *z);
