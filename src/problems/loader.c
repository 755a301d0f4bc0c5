/* The package loader: reads a zip (libarchive, twice from memory) or a folder
 * (openat with O_NOFOLLOW) into a struct loader_tree, enforcing every limit
 * and refusing hostile entries (see loader.h).
 *
 * Theory of operation. A source fills a `struct loading`: a flat list of the
 * files the rules want, each with its path relative to the package root and
 * its bytes. Every limit is enforced while bytes arrive: entries are counted
 * against max_files, and every chunk is checked against max_file_bytes and
 * max_total_bytes before it is stored, so a zip bomb or a lying header costs
 * at most the limits. A zip is read twice from memory: the first pass
 * validates every entry's name and type and finds the package root, the
 * second decompresses only wanted entries. A folder is walked with
 * openat(O_NOFOLLOW); symlinks are resolved and must stay inside. */
#include "loader.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

#define MAX_DEPTH 32
#define MAX_NAME 1024
#define CHUNK 65536
#define MAX_LINK_HOPS 16

/* A symbolic link of a zip, inside the package, resolved to the file it stands for. */
struct zlink {
	char *rel;                    /* the link's path relative to the package root */
	char *target;                 /* the file's full name in the archive */
};

struct loading {
	const struct loader_rules *rules;
	struct package_limits lim;
	uint64_t entries;             /* counted against max_files */
	uint64_t total;               /* bytes loaded */
	struct loader_file *files;
	size_t nfiles, cap;
	struct zlink *links;          /* zip: wanted links, sorted by target */
	size_t nlinks;
	char **err;
};

int loader_fail(char **err, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		free(*err);
		*err = xvasprintf(fmt, ap);
		va_end(ap);
	}
	return PACKAGE_E_INVALID;
}

bool loader_junk(const char *path)
{
	if (strcmp(path, "__MACOSX") == 0 || path_starts(path, "__MACOSX/"))
		return true;
	for (const char *p = path; p; p = strchr(p, '/')) {
		if (*p == '/')
			p++;
		if (*p == '.')
			return true;
	}
	return false;
}

bool path_starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool path_ends(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

int path_cmp(const char *a, const char *b)
{
	for (;;) {
		size_t la = strcspn(a, "/"), lb = strcspn(b, "/");
		int c = memcmp(a, b, la < lb ? la : lb);
		if (c)
			return c;
		if (la != lb)
			return la < lb ? -1 : 1;
		a += la;
		b += lb;
		if (!*a || !*b)
			return (*a != 0) - (*b != 0);
		a++;
		b++;
	}
}

bool utf8_valid(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		size_t len;
		uint32_t cp;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			len = 2, cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			len = 3, cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			len = 4, cp = c & 0x07;
		} else {
			return false;
		}
		if (i + len > n)
			return false;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += len;
	}
	return true;
}

/* A printable-ASCII rendering of a hostile name for a message (malloc'd). */
static char *quote_name(const char *s)
{
	struct buf b;
	buf_init(&b);
	for (size_t i = 0; s[i] && i < 200; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f && c != '\\')
			buf_add(&b, &s[i], 1);
		else
			buf_printf(&b, "\\x%02x", c);
	}
	return buf_detach(&b, NULL);
}

/* Why an entry name (one trailing '/' already removed) is unacceptable, or NULL. */
static const char *bad_name(const char *name)
{
	size_t n = strlen(name);
	if (n == 0)
		return "empty name";
	if (n > MAX_NAME)
		return "name too long";
	if (name[0] == '/')
		return "absolute path";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c == '\\')
			return "backslash in name";
		if (c < 0x20 || c == 0x7f)
			return "control character in name";
	}
	if (!utf8_valid((const unsigned char *)name, n))
		return "name is not valid UTF-8";
	for (const char *p = name; *p;) {
		size_t len = strcspn(p, "/");
		if (len == 0)
			return "empty path component";
		if ((len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.'))
			return "'.' or '..' in path";
		p += len;
		if (*p)
			p++;
		if (*p == '\0' && p[-1] == '/')
			return "empty path component";
	}
	return NULL;
}

static void loading_init(struct loading *l, const struct package_limits *lim, const struct loader_rules *rules,
			 char **err)
{
	memset(l, 0, sizeof *l);
	l->rules = rules;
	l->lim = lim ? *lim : PACKAGE_LIMITS_DEFAULT;
	l->err = err;
}

static int loader_count(struct loading *l, const char *what)
{
	if (++l->entries > l->lim.max_files)
		return loader_fail(l->err, "%s: more than %llu files", what, (unsigned long long)l->lim.max_files);
	return 0;
}

/* Checks that n more bytes of file `path` (holding `have` so far) fit. */
static int loader_room(struct loading *l, const char *path, size_t have, size_t n)
{
	if ((uint64_t)have + n > l->lim.max_file_bytes)
		return loader_fail(l->err, "%s: larger than the limit of %llu bytes per file", path,
		            (unsigned long long)l->lim.max_file_bytes);
	if (l->total + have + n > l->lim.max_total_bytes)
		return loader_fail(l->err, "%s: the package is larger than the limit of %llu bytes", path,
		            (unsigned long long)l->lim.max_total_bytes);
	return 0;
}

/* Takes path and the bytes of b. */
static void loader_add(struct loading *l, char *path, struct buf *b)
{
	if (l->nfiles == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->files = xrealloc(l->files, l->cap * sizeof *l->files);
	}
	struct loader_file *f = &l->files[l->nfiles++];
	f->path = path;
	f->data = buf_detach(b, &f->len);
	l->total += f->len;
}

static int pfile_cmp(const void *a, const void *b)
{
	return path_cmp(((const struct loader_file *)a)->path, ((const struct loader_file *)b)->path);
}

struct loader_file *loader_find(const struct loader_tree *t, const char *path)
{
	struct loader_file key = {.path = (char *)path};
	return bsearch(&key, t->files, t->nfiles, sizeof *t->files, pfile_cmp);
}

void loader_release(struct loader_tree *t)
{
	for (size_t i = 0; i < t->nfiles; i++) {
		free(t->files[i].path);
		free(t->files[i].data);
	}
	free(t->files);
	free(t->folder);
	memset(t, 0, sizeof *t);
}

/* Hands the files, sorted, to *out when rc is 0, else frees them. */
static int loading_finish(struct loading *l, char *folder, struct loader_tree *out, int rc)
{
	for (size_t i = 0; i < l->nlinks; i++) {
		free(l->links[i].rel);
		free(l->links[i].target);
	}
	free(l->links);
	*out = (struct loader_tree){.files = l->files, .nfiles = l->nfiles, .folder = folder};
	if (rc) {
		loader_release(out);
		return rc;
	}
	qsort(out->files, out->nfiles, sizeof *out->files, pfile_cmp);
	return 0;
}

/* Zip */

struct zname {
	char *name;                   /* without a trailing '/' */
	bool dir;
	char *link;                   /* a symbolic link's target as written, else NULL */
};

static int zname_cmp(const void *a, const void *b)
{
	return path_cmp(((const struct zname *)a)->name, ((const struct zname *)b)->name);
}

static int zip_open(struct archive **out, const void *data, size_t len, char **err)
{
	struct archive *a = archive_read_new();
	if (!a)
		return -ENOMEM;
	archive_read_support_format_zip(a);
	if (archive_read_open_memory(a, data, len) != ARCHIVE_OK) {
		const char *why = archive_error_string(a);
		int rc = loader_fail(err, "zip: not a zip archive%s%s", why ? ": " : "", why ? why : "");
		archive_read_free(a);
		return rc;
	}
	*out = a;
	return 0;
}

/* Next entry's name (trailing '/' removed, copied into name[]) and kind
 * (*link: a symbolic link's target, else NULL); *end at the end of the
 * archive. 0, or PACKAGE_E_INVALID for a bad entry. */
static int zip_next(struct archive *a, struct archive_entry **e, char *name, bool *dir, const char **link, bool *end,
		    char **err)
{
	*link = NULL;
	int r = archive_read_next_header(a, e);
	*end = r == ARCHIVE_EOF;
	if (*end)
		return 0;
	if (r < ARCHIVE_WARN) {
		const char *why = archive_error_string(a);
		return loader_fail(err, "zip: %s", why ? why : "cannot read the archive");
	}
	const char *raw = archive_entry_pathname(*e);
	if (!raw)
		return loader_fail(err, "zip: an entry has no name");
	size_t n = strlen(raw);
	if (n > MAX_NAME) {
		char *q = quote_name(raw);
		r = loader_fail(err, "zip: '%s...': name too long", q);
		free(q);
		return r;
	}
	memcpy(name, raw, n + 1);
	mode_t type = archive_entry_filetype(*e);
	*dir = type == AE_IFDIR;
	if (n > 1 && name[n - 1] == '/') {
		name[n - 1] = '\0';
		*dir = *dir || type == AE_IFREG; /* some writers mark folders by the slash only */
	}
	const char *why = bad_name(name);
	if (why) {
		char *q = quote_name(raw);
		r = loader_fail(err, "zip: '%s': %s", q, why);
		free(q);
		return r;
	}
	if (archive_entry_hardlink(*e))
		return loader_fail(err, "zip: '%s': hard links are not allowed", name);
	if (type == AE_IFLNK) {
		*link = archive_entry_symlink(*e);
		if (!*link)
			*link = "";
		return 0;
	}
	if (type != AE_IFREG && type != AE_IFDIR)
		return loader_fail(err, "zip: '%s': devices, pipes and sockets are not allowed", name);
	if (archive_entry_is_encrypted(*e))
		return loader_fail(err, "zip: '%s': encrypted entries are not supported", name);
	return 0;
}

/* Whether path (relative to a candidate root) marks the root: the marker, or
   without one any wanted file directly at it. */
static bool is_marker(const struct loader_rules *r, const char *path)
{
	if (r->marker)
		return strcmp(path, r->marker) == 0;
	return !strchr(path, '/') && !r->ignored(path) && r->wanted(path);
}

/* The folder of full name `from` joined with link target t, lexically, in
 * *out (malloc'd); false when it climbs out of the package root (prefix). */
static bool link_join(const char *from, const char *t, const char *prefix, char **out)
{
	if (t[0] == '/')
		return false;
	size_t root = prefix[0] ? strlen(prefix) - 1 : 0; /* "pkg/" is the folder "pkg" */
	const char *slash = strrchr(from, '/');
	struct buf b;
	buf_init(&b);
	buf_add(&b, from, slash ? (size_t)(slash - from) : 0);
	while (*t) {
		size_t len = strcspn(t, "/");
		if (len == 2 && t[0] == '.' && t[1] == '.') {
			if (b.len <= root) {
				buf_release(&b);
				return false;
			}
			while (b.len > 0 && b.data[b.len - 1] != '/')
				b.len--;
			if (b.len > 0)
				b.len--;
		} else if (len > 0 && !(len == 1 && t[0] == '.')) {
			if (b.len)
				buf_add(&b, "/", 1);
			buf_add(&b, t, len);
		}
		t += len;
		if (*t)
			t++;
	}
	buf_add(&b, "", 1);
	*out = buf_detach(&b, NULL);
	return true;
}

/* The first of the sorted names not before path (so a folder's contents follow it). */
static size_t zname_lower(const struct zname *names, size_t n, const char *path)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (path_cmp(names[mid].name, path) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Whether full name `name` lies inside folder (full name; "" is the archive root). */
static bool inside_folder(const char *name, const char *folder)
{
	size_t n = strlen(folder);
	return n == 0 || (strncmp(name, folder, n) == 0 && name[n] == '/');
}

/* Why link names[i] (under prefix) stands for nothing inside the package, or
 * NULL with *target set to the full name (malloc'd) of the file or, with
 * *folder, the folder it stands for. Links to links are followed up to
 * MAX_LINK_HOPS, which also ends loops. */
static const char *link_resolve(const struct zname *names, size_t n, size_t i, const char *prefix, char **target,
				bool *folder)
{
	const struct zname *at = &names[i];
	for (int hop = 0; hop < MAX_LINK_HOPS; hop++) {
		char *path;
		if (!link_join(at->name, at->link, prefix, &path))
			return "symbolic link points outside the package";
		size_t k = zname_lower(names, n, path), plen = strlen(path);
		const struct zname *hit = k < n && strcmp(names[k].name, path) == 0 ? &names[k] : NULL;
		/* the root, a folder entry, or a folder known only from its files */
		*folder = strlen(path) + 1 == strlen(prefix) || (!*prefix && !*path) || (hit && hit->dir) ||
			  (!hit && k < n && strncmp(names[k].name, path, plen) == 0 && names[k].name[plen] == '/');
		if (!hit && !*folder) {
			free(path);
			return "broken symbolic link (its target is not in the package)";
		}
		if (*folder || !hit->link) {
			*target = path;
			return NULL;
		}
		free(path);
		at = hit;
	}
	return "too many levels of symbolic links (a loop?)";
}

static int zlink_cmp(const void *a, const void *b)
{
	return strcmp(((const struct zlink *)a)->target, ((const struct zlink *)b)->target);
}

static void zlink_add(struct loading *l, const char *rel, char *target)
{
	l->links = xrealloc(l->links, (l->nlinks + 1) * sizeof *l->links);
	l->links[l->nlinks++] = (struct zlink){xstrdup(rel), target};
}

static int link_entry(struct loading *l, const struct zname *names, size_t n, size_t i, const char *prefix,
		      const char *rel, const char **stack, int depth);

/* Link names[i] stands for folder (full name): its contents appear under rel,
 * each counted as an entry. A folder holding the link, or one being expanded
 * already (stack, depth deep), is a loop. */
static int link_folder(struct loading *l, const struct zname *names, size_t n, size_t i, const char *prefix,
		       const char *rel, const char *folder, const char **stack, int depth)
{
	bool loop = inside_folder(names[i].name, folder);
	for (int k = 0; k < depth; k++)
		loop |= strcmp(stack[k], folder) == 0;
	if (loop)
		return loader_fail(l->err, "zip: '%s': symbolic link makes a loop", names[i].name);
	if (depth >= MAX_LINK_HOPS)
		return loader_fail(l->err, "zip: '%s': too many levels of symbolic links", names[i].name);
	stack[depth] = folder;
	size_t flen = strlen(folder);
	int rc = 0;
	for (size_t k = flen ? zname_lower(names, n, folder) : 0; !rc && k < n; k++) {
		const char *name = names[k].name;
		if (strcmp(name, folder) == 0)
			continue; /* the folder's own entry */
		if (!inside_folder(name, folder))
			break;
		if (names[k].dir)
			continue; /* subfolders come with their files */
		char *vrel = xasprintf("%s/%s", rel, name + flen + 1);
		if (strlen(vrel) > MAX_NAME)
			rc = loader_fail(l->err, "zip: '%s': through symbolic links, the name is too long", names[i].name);
		else if (!l->rules->ignored(vrel) && !(rc = loader_count(l, "zip"))) {
			if (names[k].link)
				rc = link_entry(l, names, n, k, prefix, vrel, stack, depth + 1);
			else if (l->rules->wanted(vrel))
				zlink_add(l, vrel, xstrdup(name));
		}
		free(vrel);
	}
	return rc;
}

/* Link names[i], seen at rel: a wanted file is kept, a folder expanded. */
static int link_entry(struct loading *l, const struct zname *names, size_t n, size_t i, const char *prefix,
		      const char *rel, const char **stack, int depth)
{
	char *target;
	bool folder;
	const char *why = link_resolve(names, n, i, prefix, &target, &folder);
	if (why)
		return loader_fail(l->err, "zip: '%s': %s", names[i].name, why);
	int rc = 0;
	if (folder) {
		rc = link_folder(l, names, n, i, prefix, rel, target, stack, depth);
	} else if (l->rules->wanted(rel)) {
		zlink_add(l, rel, target); /* takes target */
		return 0;
	}
	free(target);
	return rc;
}

/* Resolves every link of the package (sorted names under prefix), keeping the
 * wanted files they stand for, also inside linked folders. */
static int zip_links(struct loading *l, const struct zname *names, size_t n, const char *prefix)
{
	size_t plen = strlen(prefix);
	const char *stack[MAX_LINK_HOPS];
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++)
		if (names[i].link && path_starts(names[i].name, prefix) && !l->rules->ignored(names[i].name + plen))
			rc = link_entry(l, names, n, i, prefix, names[i].name + plen, stack, 0);
	if (!rc && l->nlinks)
		qsort(l->links, l->nlinks, sizeof *l->links, zlink_cmp);
	return rc;
}

/* Pass 1: validates every entry and finds the package root (prefix). */
static int zip_scan(const void *data, size_t len, struct loading *l, char **prefix, char **folder)
{
	struct archive *a;
	int rc = zip_open(&a, data, len, l->err);
	if (rc)
		return rc;
	struct zname *names = NULL;
	size_t n = 0, cap = 0;
	char name[MAX_NAME + 2];
	struct archive_entry *e;
	bool dir, end;
	const char *link;
	while (!(rc = zip_next(a, &e, name, &dir, &link, &end, l->err)) && !end) {
		if ((rc = loader_count(l, "zip")))
			goto out;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			names = xrealloc(names, cap * sizeof *names);
		}
		names[n].name = xstrdup(name);
		names[n].link = link ? xstrdup(link) : NULL;
		names[n++].dir = dir;
	}
	if (rc)
		goto out;
	if (n == 0) {
		rc = loader_fail(l->err, "zip: the archive is empty");
		goto out;
	}
	qsort(names, n, sizeof *names, zname_cmp);
	for (size_t i = 0; i + 1 < n; i++) {
		const char *x = names[i].name, *y = names[i + 1].name;
		size_t lx = strlen(x);
		if (strcmp(x, y) == 0 && !(names[i].dir && names[i + 1].dir)) {
			rc = loader_fail(l->err, "zip: '%s': duplicate entry", x);
			goto out;
		}
		if (!names[i].dir && strncmp(x, y, lx) == 0 && y[lx] == '/') {
			rc = loader_fail(l->err, "zip: '%s': both a file and a folder", x);
			goto out;
		}
	}
	/* the marker at the root, or in the single top-level folder */
	bool root_marker = false;
	const char *top = NULL;
	size_t top_len = 0;
	bool one_top = true;
	for (size_t i = 0; i < n; i++) {
		if (l->rules->ignored(names[i].name))
			continue;
		if (!names[i].dir && is_marker(l->rules, names[i].name))
			root_marker = true;
		size_t c = strcspn(names[i].name, "/");
		if (!top) {
			top = names[i].name;
			top_len = c;
		} else if (c != top_len || memcmp(top, names[i].name, c) != 0) {
			one_top = false;
		}
	}
	if (root_marker) {
		*prefix = xstrdup("");
	} else {
		bool hit = false;
		for (size_t i = 0; one_top && top && i < n && !hit; i++)
			hit = !names[i].dir && strncmp(names[i].name, top, top_len) == 0 && names[i].name[top_len] == '/' &&
			      is_marker(l->rules, names[i].name + top_len + 1);
		if (!hit) {
			rc = loader_fail(l->err, "%s: not found at the root of the archive or in a single top-level folder",
					 l->rules->marker ? l->rules->marker : "none of the package's files");
			goto out;
		}
		*prefix = xasprintf("%.*s/", (int)top_len, top);
		*folder = xstrndup(top, top_len);
	}
	rc = zip_links(l, names, n, *prefix);
out:
	for (size_t i = 0; i < n; i++) {
		free(names[i].name);
		free(names[i].link);
	}
	free(names);
	archive_read_free(a);
	return rc;
}

/* Pass 2: loads the wanted files under prefix. */
static int zip_load(const void *data, size_t len, struct loading *l, const char *prefix)
{
	struct archive *a;
	int rc = zip_open(&a, data, len, l->err);
	if (rc)
		return rc;
	char name[MAX_NAME + 2];
	struct archive_entry *e;
	bool dir, end;
	const char *link;
	char *chunk = xmalloc(CHUNK);
	size_t plen = strlen(prefix);
	while (!(rc = zip_next(a, &e, name, &dir, &link, &end, l->err)) && !end) {
		if (dir || link || !path_starts(name, prefix))
			continue;
		const char *rel = name + plen;
		/* the first link standing for this file, if any */
		size_t lo = 0, hi = l->nlinks;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (strcmp(l->links[mid].target, name) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		bool linked = lo < l->nlinks && strcmp(l->links[lo].target, name) == 0;
		bool want = !l->rules->ignored(rel) && l->rules->wanted(rel);
		if (!want && !linked)
			continue;
		struct buf b;
		buf_init(&b);
		for (;;) {
			la_ssize_t got = archive_read_data(a, chunk, CHUNK);
			if (got == 0)
				break;
			if (got < 0) {
				const char *why = archive_error_string(a);
				rc = loader_fail(l->err, "zip: '%s': %s", name, why ? why : "cannot decompress");
				break;
			}
			if ((rc = loader_room(l, rel, b.len, (size_t)got)))
				break;
			buf_add(&b, chunk, (size_t)got);
		}
		/* each link gets a copy, counted like a file of its own */
		for (size_t k = lo; !rc && k < l->nlinks && strcmp(l->links[k].target, name) == 0; k++) {
			if ((rc = loader_room(l, l->links[k].rel, 0, b.len)))
				break;
			struct buf copy;
			buf_init(&copy);
			buf_add(&copy, b.data ? b.data : "", b.len);
			loader_add(l, xstrdup(l->links[k].rel), &copy);
		}
		if (rc || !want) {
			buf_release(&b);
			if (rc)
				break;
			continue;
		}
		loader_add(l, xstrdup(rel), &b); /* an empty file still gets a "" */
	}
	free(chunk);
	archive_read_free(a);
	return rc;
}

/* Directory */

struct walker {
	struct loading *l;
	char *pkg_real;               /* realpath of the package root */
	const char *linked[MAX_LINK_HOPS]; /* realpaths of the linked folders being walked */
	int nlinked;
};

static int walk_dir(struct walker *w, int dirfd, const char *rel, int depth);

/* A link (at rel) to folder target inside the package: walked at rel, unless
   it holds the link, or is being walked already (a loop). */
static int walk_linked_folder(struct walker *w, const char *rel, const char *target, int depth)
{
	struct loading *l = w->l;
	char *link = xasprintf("%s/%s", w->pkg_real, rel);
	char *slash = strrchr(link, '/');
	*slash = '\0';
	char *parent = realpath(link, NULL);
	free(link);
	size_t n = strlen(target);
	bool loop = !parent || (strncmp(parent, target, n) == 0 && (parent[n] == '/' || parent[n] == '\0'));
	free(parent);
	for (int i = 0; i < w->nlinked; i++)
		loop |= strcmp(w->linked[i], target) == 0;
	if (loop)
		return loader_fail(l->err, "%s: symbolic link makes a loop", rel);
	if (w->nlinked == MAX_LINK_HOPS)
		return loader_fail(l->err, "%s: too many levels of symbolic links", rel);
	int fd = open(target, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	w->linked[w->nlinked++] = target;
	int rc = walk_dir(w, fd, rel, depth + 1);
	w->nlinked--;
	close(fd);
	return rc;
}

static int read_fd(struct loading *l, int fd, const char *rel, struct buf *b)
{
	/* Room for the file under both limits; past it, loader_room says which. */
	uint64_t room = l->lim.max_file_bytes;
	if (l->lim.max_total_bytes - l->total < room)
		room = l->lim.max_total_bytes - l->total;
	int rc = fd_read_buf(fd, b, room < SIZE_MAX ? (size_t)room : SIZE_MAX);
	return rc == -EFBIG ? loader_room(l, rel, b->len, 0) : rc;
}

/* Reads a wanted file; a symlink (wanted or not) must lead to a regular file
 * or a folder inside the package, so that no test or folder silently disappears. */
static int walk_file(struct walker *w, int dirfd, const char *name, const char *rel, const struct stat *st, int depth)
{
	struct loading *l = w->l;
	int fd;
	if (!S_ISLNK(st->st_mode) && !l->rules->wanted(rel))
		return 0;
	if (S_ISLNK(st->st_mode)) {
		char *link = xasprintf("%s/%s", w->pkg_real, rel);
		char *target = realpath(link, NULL);
		free(link);
		if (!target)
			return loader_fail(l->err, "%s: %s", rel,
					   errno == ELOOP ? "too many levels of symbolic links (a loop?)"
							  : "broken symbolic link");
		size_t n = strlen(w->pkg_real);
		bool inside = strncmp(target, w->pkg_real, n) == 0 && target[n] == '/';
		struct stat ts;
		bool found = stat(target, &ts) == 0;
		bool regular = found && S_ISREG(ts.st_mode);
		if (inside && found && S_ISDIR(ts.st_mode)) {
			int rc = walk_linked_folder(w, rel, target, depth);
			free(target);
			return rc;
		}
		if (!inside || !regular) {
			free(target);
			return loader_fail(l->err, "%s: symbolic link %s", rel,
			            !inside ? "points outside the package" : "to something other than a file");
		}
		if (!l->rules->wanted(rel)) {
			free(target);
			return 0;
		}
		fd = open(target, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		free(target);
	} else {
		fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	}
	if (fd < 0)
		return -errno;
	struct stat fs;
	int rc = 0;
	if (fstat(fd, &fs) < 0) {
		rc = -errno;
	} else if (!S_ISREG(fs.st_mode)) {
		rc = loader_fail(l->err, "%s: not a regular file", rel);
	} else {
		struct buf b;
		buf_init(&b);
		rc = read_fd(l, fd, rel, &b);
		if (rc)
			buf_release(&b);
		else
			loader_add(l, xstrdup(rel), &b);
	}
	close(fd);
	return rc;
}

static int walk_dir(struct walker *w, int dirfd, const char *rel, int depth)
{
	struct loading *l = w->l;
	if (depth > MAX_DEPTH)
		return loader_fail(l->err, "%s: folders nested too deeply", rel);
	int fd = dup(dirfd);
	if (fd < 0)
		return -errno;
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -errno;
	}
	/* Names first, so no DIR stays open while we recurse. */
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	struct dirent *de;
	errno = 0;
	while ((de = readdir(d))) {
		const char *name = de->d_name;
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			continue;
		if (!*rel && l->rules->top_level) {
			bool keep = false;
			for (size_t i = 0; i < l->rules->top_level_count; i++)
				keep |= strcmp(name, l->rules->top_level[i]) == 0;
			if (!keep)
				continue;
		} else if (name[0] == '.') {
			continue;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 32;
			names = xrealloc(names, cap * sizeof *names);
		}
		names[n++] = xstrdup(name);
		if ((rc = loader_count(l, *rel ? rel : "package")))
			break;
	}
	if (!rc && errno)
		rc = -errno;
	closedir(d);
	for (size_t i = 0; i < n && !rc; i++) {
		char *child = *rel ? xasprintf("%s/%s", rel, names[i]) : xstrdup(names[i]);
		const char *why = bad_name(child);
		struct stat st;
		if (why) {
			char *q = quote_name(child);
			rc = loader_fail(l->err, "%s: %s", q, why);
			free(q);
		} else if (fstatat(dirfd, names[i], &st, AT_SYMLINK_NOFOLLOW) < 0) {
			rc = -errno;
		} else if (S_ISDIR(st.st_mode)) {
			int sub = openat(dirfd, names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0) {
				rc = -errno;
			} else {
				rc = walk_dir(w, sub, child, depth + 1);
				close(sub);
			}
		} else if (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)) {
			rc = walk_file(w, dirfd, names[i], child, &st, depth);
		} else {
			rc = loader_fail(l->err, "%s: devices, pipes and sockets are not allowed", child);
		}
		free(child);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

static bool has_marker(int dirfd, const char *marker)
{
	struct stat st;
	return fstatat(dirfd, marker, &st, 0) == 0 && S_ISREG(st.st_mode);
}

/* The single visible subfolder of dirfd, or NULL. */
static char *single_subfolder(int dirfd)
{
	int fd = dup(dirfd);
	if (fd < 0)
		return NULL;
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return NULL;
	}
	char *found = NULL;
	int count = 0;
	struct dirent *de;
	while ((de = readdir(d)) && count < 2) {
		if (de->d_name[0] == '.' || strcmp(de->d_name, "__MACOSX") == 0)
			continue;
		count++;
		struct stat st;
		if (count == 1 && fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode))
			found = xstrdup(de->d_name);
	}
	closedir(d);
	if (count != 1) {
		free(found);
		return NULL;
	}
	return found;
}

static int dir_load(const char *path, struct loading *l, char **folder)
{
	char *real = realpath(path, NULL);
	if (!real)
		return -errno;
	int rc = 0;
	int root = open(real, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (root < 0) {
		rc = -errno;
		free(real);
		return rc;
	}
	struct walker w = {.l = l, .pkg_real = real};
	int pkg = root;
	char *sub = NULL;
	if (!has_marker(root, l->rules->marker)) {
		sub = single_subfolder(root);
		pkg = sub ? openat(root, sub, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;
		if (!sub || pkg < 0 || !has_marker(pkg, l->rules->marker)) {
			rc = loader_fail(l->err, "%s: not found in '%s' or in its single subfolder", l->rules->marker, path);
			goto out;
		}
		w.pkg_real = xasprintf("%s/%s", real, sub);
	}
	const char *base = strrchr(w.pkg_real, '/');
	*folder = xstrdup(base && base[1] ? base + 1 : w.pkg_real);
	rc = walk_dir(&w, pkg, "", 0);
out:
	if (pkg >= 0 && pkg != root)
		close(pkg);
	close(root);
	if (w.pkg_real != real)
		free(w.pkg_real);
	free(sub);
	free(real);
	return rc;
}

int loader_read_zip(const void *data, size_t len, const struct package_limits *lim, const struct loader_rules *rules,
		    struct loader_tree *out, char **err)
{
	struct loading l;
	char *prefix = NULL, *folder = NULL;
	loading_init(&l, lim, rules, err);
	int rc = zip_scan(data, len, &l, &prefix, &folder);
	if (!rc)
		rc = zip_load(data, len, &l, prefix);
	free(prefix);
	return loading_finish(&l, folder, out, rc);
}

int loader_read_dir(const char *path, const struct package_limits *lim, const struct loader_rules *rules,
		    struct loader_tree *out, char **err)
{
	struct loading l;
	char *folder = NULL;
	loading_init(&l, lim, rules, err);
	int rc = dir_load(path, &l, &folder);
	return loading_finish(&l, folder, out, rc);
}
