/* Files compiled into the binary at build time (see src/tools/embed.c). */
#pragma once
#include <stddef.h>

struct embedded_file {
	const char *name;          /* path relative to its source folder, e.g. "app.js" */
	const unsigned char *data; /* NUL-terminated for convenience; size excludes it */
	size_t size;
};

/* Both arrays end with an entry whose name is NULL. */
extern const struct embedded_file web_files[];    /* web/ */
extern const struct embedded_file schema_files[]; /* schema/NNN_*.sql, in order */
