/* Loading an untrusted problem package, a zip held in memory or a folder, into
 * a sorted in-memory list of files, rejecting hostile archives on the way:
 * traversal ('..', absolute paths), symlinks (only to files and folders
 * inside, no loops; a zip's are resolved lexically from the link's folder, up
 * to 16 links in a chain),
 * hard links, devices, FIFOs, sockets, duplicate entries, and
 * anything over the limits (zip bombs and lying headers included: bytes are
 * counted as they are decompressed). It knows no package format: the rules
 * say which file marks the root and which files to load. Internal to
 * problems; package.h is the interface. Errors: 0, PACKAGE_E_INVALID with
 * *err set (naming the entry), or negative errno. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "package.h"

struct loader_file {
	char *path;                   /* relative to the package root */
	char *data;                   /* NUL-terminated after len; a reader may take it (set NULL) */
	size_t len;
};

/* The loaded files, sorted by path_cmp. */
struct loader_tree {
	struct loader_file *files;
	size_t nfiles;
	char *folder;                 /* zip: the top-level folder holding the root, else NULL;
	                                 folder: the root's base name */
};

/* What a package format says about its files. */
struct loader_rules {
	const char *marker;           /* the file at the root: at the top, or in the single top-level folder;
	                                 NULL (zips only): any wanted file there */
	const char *const *top_level; /* folder: the only names walked at the root (NULL: all but hidden ones) */
	size_t top_level_count;
	bool (*ignored)(const char *path); /* zip entries not part of the package (a folder skips hidden names) */
	bool (*wanted)(const char *path);  /* files to load; the rest are only checked and counted */
};

/* lim NULL means PACKAGE_LIMITS_DEFAULT. On success *out holds the files
   (loader_release them); on failure *out is empty. */
int loader_read_zip(const void *data, size_t len, const struct package_limits *lim, const struct loader_rules *rules,
		    struct loader_tree *out, char **err);
/* A missing or unreadable path is a negative errno (no *err). */
int loader_read_dir(const char *path, const struct package_limits *lim, const struct loader_rules *rules,
		    struct loader_tree *out, char **err);
void loader_release(struct loader_tree *t);
/* The file at path, or NULL. */
struct loader_file *loader_find(const struct loader_tree *t, const char *path);

/* Sets *err (when err is not NULL) and returns PACKAGE_E_INVALID. */
int loader_fail(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* What archives carry that no package means: __MACOSX/ at the top, and any
   path with a component starting with '.'. */
bool loader_junk(const char *path);
bool path_starts(const char *s, const char *prefix);
bool path_ends(const char *s, const char *suffix);
/* Compares paths folder by folder, so "a" < "a/b" < "a-b" and a folder's
   contents stay together. */
int path_cmp(const char *a, const char *b);
bool utf8_valid(const unsigned char *s, size_t n);
