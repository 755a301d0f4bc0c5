/* Kattis problem package reader: a zip (libarchive) or a directory in, a
 * checked struct package out (see package.h for the rules). */
#include "package.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "util.h"

/*
 * Theory of operation. Reading happens in two stages.
 *
 * 1. A source (zip or directory) fills a `struct loader`: a flat list of the
 *    files that matter (wanted()), each with its path relative to the package
 *    root and its bytes. Every limit is enforced here, while bytes arrive:
 *    entries counted against max_files, and every chunk checked against
 *    max_file_bytes and max_total_bytes before it is stored, so a zip bomb or a
 *    lying header costs at most the limits. A zip is read twice from memory:
 *    the first pass validates every entry's name and type and finds the package
 *    root, the second decompresses only wanted entries. A directory is walked
 *    with openat(O_NOFOLLOW); symlinks are resolved and must stay inside.
 *
 * 2. build() turns the sorted file list into a struct package: problem.yaml,
 *    statement, validator, test pairs, groups and their points. It only reads
 *    the list, so it is the same for both sources, and every error names the
 *    package-relative path of the file at fault.
 */

#define MAX_DEPTH 32
#define MAX_NAME 1024
#define CHUNK 65536
#define MAX_YAML_DEPTH 64
#define MAX_YAML_BYTES (1 << 20)

struct pfile {
	char *path;                   /* relative to the package root */
	char *data;                   /* NUL-terminated after len; NULL once moved out */
	size_t len;
};

struct loader {
	struct package_limits lim;
	uint64_t entries;             /* counted against max_files */
	uint64_t total;               /* bytes loaded */
	struct pfile *files;
	size_t nfiles, cap;
	char **err;
};

static int fail(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(char **err, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		char *p = NULL;
		if (vasprintf(&p, fmt, ap) < 0)
			p = xstrdup("invalid package");
		va_end(ap);
		free(*err);
		*err = p;
	}
	return PACKAGE_E_INVALID;
}

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool ends(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

/* Compares paths folder by folder, so "a" < "a/b" < "a-b" and a folder's
 * contents stay together. */
static int path_cmp(const char *a, const char *b)
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

static bool utf8_valid(const unsigned char *s, size_t n)
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

/* Entries the package format says to ignore: __MACOSX/ at the top, and
 * anything with a component starting with '.', except the root .timelimit. */
static bool ignored(const char *path)
{
	if (strcmp(path, ".timelimit") == 0)
		return false;
	if (strcmp(path, "__MACOSX") == 0 || starts(path, "__MACOSX/"))
		return true;
	for (const char *p = path; p; p = strchr(p, '/')) {
		if (*p == '/')
			p++;
		if (*p == '.')
			return true;
	}
	return false;
}

/* Files worth loading; everything else is only counted. */
static bool wanted(const char *p)
{
	if (strcmp(p, "problem.yaml") == 0 || strcmp(p, ".timelimit") == 0)
		return true;
	if (starts(p, "data/")) {
		const char *base = strrchr(p, '/') + 1;
		if (strcmp(base, "testdata.yaml") == 0 || strcmp(base, "test_group.yaml") == 0)
			return true;
		if (starts(p, "data/sample/") || starts(p, "data/secret/"))
			return ends(p, ".in") || ends(p, ".ans");
		return false;
	}
	if (starts(p, "problem_statement/") || starts(p, "statement/")) {
		const char *rest = strchr(p, '/') + 1;
		return !strchr(rest, '/') && starts(rest, "problem.") && (ends(rest, ".md") || ends(rest, ".tex"));
	}
	return starts(p, "output_validators/") || starts(p, "output_validator/");
}

static void loader_init(struct loader *l, const struct package_limits *lim, char **err)
{
	memset(l, 0, sizeof *l);
	l->lim = lim ? *lim : PACKAGE_LIMITS_DEFAULT;
	l->err = err;
}

static void loader_release(struct loader *l)
{
	for (size_t i = 0; i < l->nfiles; i++) {
		free(l->files[i].path);
		free(l->files[i].data);
	}
	free(l->files);
	l->files = NULL;
	l->nfiles = l->cap = 0;
}

static int loader_count(struct loader *l, const char *what)
{
	if (++l->entries > l->lim.max_files)
		return fail(l->err, "%s: more than %llu files", what, (unsigned long long)l->lim.max_files);
	return 0;
}

/* Checks that n more bytes of file `path` (holding `have` so far) fit. */
static int loader_room(struct loader *l, const char *path, size_t have, size_t n)
{
	if ((uint64_t)have + n > l->lim.max_file_bytes)
		return fail(l->err, "%s: larger than the limit of %llu bytes per file", path,
		            (unsigned long long)l->lim.max_file_bytes);
	if (l->total + have + n > l->lim.max_total_bytes)
		return fail(l->err, "%s: the package is larger than the limit of %llu bytes", path,
		            (unsigned long long)l->lim.max_total_bytes);
	return 0;
}

/* Takes path and the bytes of b. */
static void loader_add(struct loader *l, char *path, struct buf *b)
{
	if (l->nfiles == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->files = xrealloc(l->files, l->cap * sizeof *l->files);
	}
	struct pfile *f = &l->files[l->nfiles++];
	f->path = path;
	f->data = buf_detach(b, &f->len);
	l->total += f->len;
}

static int pfile_cmp(const void *a, const void *b)
{
	return path_cmp(((const struct pfile *)a)->path, ((const struct pfile *)b)->path);
}

static struct pfile *find(struct loader *l, const char *path)
{
	struct pfile key = {.path = (char *)path};
	return bsearch(&key, l->files, l->nfiles, sizeof *l->files, pfile_cmp);
}

/* Zip */

struct zname {
	char *name;                   /* without a trailing '/' */
	bool dir;
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
		int rc = fail(err, "zip: not a zip archive%s%s", why ? ": " : "", why ? why : "");
		archive_read_free(a);
		return rc;
	}
	*out = a;
	return 0;
}

/* Next entry's name (trailing '/' removed, copied into name[]) and kind;
 * *end at the end of the archive. 0, or PACKAGE_E_INVALID for a bad entry. */
static int zip_next(struct archive *a, struct archive_entry **e, char *name, bool *dir, bool *end, char **err)
{
	int r = archive_read_next_header(a, e);
	*end = r == ARCHIVE_EOF;
	if (*end)
		return 0;
	if (r < ARCHIVE_WARN) {
		const char *why = archive_error_string(a);
		return fail(err, "zip: %s", why ? why : "cannot read the archive");
	}
	const char *raw = archive_entry_pathname(*e);
	if (!raw)
		return fail(err, "zip: an entry has no name");
	size_t n = strlen(raw);
	if (n > MAX_NAME) {
		char *q = quote_name(raw);
		r = fail(err, "zip: '%s...': name too long", q);
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
		r = fail(err, "zip: '%s': %s", q, why);
		free(q);
		return r;
	}
	if (archive_entry_hardlink(*e))
		return fail(err, "zip: '%s': hard links are not allowed", name);
	if (type == AE_IFLNK)
		return fail(err, "zip: '%s': symbolic links are not allowed", name);
	if (type != AE_IFREG && type != AE_IFDIR)
		return fail(err, "zip: '%s': devices, pipes and sockets are not allowed", name);
	if (archive_entry_is_encrypted(*e))
		return fail(err, "zip: '%s': encrypted entries are not supported", name);
	return 0;
}

/* Pass 1: validates every entry and finds the package root (prefix). */
static int zip_scan(const void *data, size_t len, struct loader *l, char **prefix, char **folder)
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
	while (!(rc = zip_next(a, &e, name, &dir, &end, l->err)) && !end) {
		if ((rc = loader_count(l, "zip")))
			goto out;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			names = xrealloc(names, cap * sizeof *names);
		}
		names[n].name = xstrdup(name);
		names[n++].dir = dir;
	}
	if (rc)
		goto out;
	if (n == 0) {
		rc = fail(l->err, "zip: the archive is empty");
		goto out;
	}
	qsort(names, n, sizeof *names, zname_cmp);
	for (size_t i = 0; i + 1 < n; i++) {
		const char *x = names[i].name, *y = names[i + 1].name;
		size_t lx = strlen(x);
		if (strcmp(x, y) == 0 && !(names[i].dir && names[i + 1].dir)) {
			rc = fail(l->err, "zip: '%s': duplicate entry", x);
			goto out;
		}
		if (!names[i].dir && strncmp(x, y, lx) == 0 && y[lx] == '/') {
			rc = fail(l->err, "zip: '%s': both a file and a folder", x);
			goto out;
		}
	}
	/* problem.yaml at the root, or in the single top-level folder */
	bool root_yaml = false;
	const char *top = NULL;
	size_t top_len = 0;
	bool one_top = true;
	for (size_t i = 0; i < n; i++) {
		if (ignored(names[i].name))
			continue;
		if (!names[i].dir && strcmp(names[i].name, "problem.yaml") == 0)
			root_yaml = true;
		size_t c = strcspn(names[i].name, "/");
		if (!top) {
			top = names[i].name;
			top_len = c;
		} else if (c != top_len || memcmp(top, names[i].name, c) != 0) {
			one_top = false;
		}
	}
	if (root_yaml) {
		*prefix = xstrdup("");
	} else {
		struct zname key = {.name = top ? xasprintf("%.*s/problem.yaml", (int)top_len, top) : NULL};
		struct zname *hit = key.name && one_top ? bsearch(&key, names, n, sizeof *names, zname_cmp) : NULL;
		free(key.name);
		if (!hit || hit->dir) {
			rc = fail(l->err, "problem.yaml: not found at the root of the archive or in a single top-level folder");
			goto out;
		}
		*prefix = xasprintf("%.*s/", (int)top_len, top);
		*folder = xstrndup(top, top_len);
	}
out:
	for (size_t i = 0; i < n; i++)
		free(names[i].name);
	free(names);
	archive_read_free(a);
	return rc;
}

/* Pass 2: loads the wanted files under prefix. */
static int zip_load(const void *data, size_t len, struct loader *l, const char *prefix)
{
	struct archive *a;
	int rc = zip_open(&a, data, len, l->err);
	if (rc)
		return rc;
	char name[MAX_NAME + 2];
	struct archive_entry *e;
	bool dir, end;
	char *chunk = xmalloc(CHUNK);
	size_t plen = strlen(prefix);
	while (!(rc = zip_next(a, &e, name, &dir, &end, l->err)) && !end) {
		if (dir || !starts(name, prefix))
			continue;
		const char *rel = name + plen;
		if (ignored(rel) || !wanted(rel))
			continue;
		struct buf b;
		buf_init(&b);
		for (;;) {
			la_ssize_t got = archive_read_data(a, chunk, CHUNK);
			if (got == 0)
				break;
			if (got < 0) {
				const char *why = archive_error_string(a);
				rc = fail(l->err, "zip: '%s': %s", name, why ? why : "cannot decompress");
				break;
			}
			if ((rc = loader_room(l, rel, b.len, (size_t)got)))
				break;
			buf_add(&b, chunk, (size_t)got);
		}
		if (rc) {
			buf_release(&b);
			break;
		}
		loader_add(l, xstrdup(rel), &b); /* an empty file still gets a "" */
	}
	free(chunk);
	archive_read_free(a);
	return rc;
}

/* Directory */

struct walker {
	struct loader *l;
	char *pkg_real;               /* realpath of the package root */
};

static int read_fd(struct loader *l, int fd, const char *rel, struct buf *b)
{
	char *chunk = xmalloc(CHUNK);
	int rc = 0;
	for (;;) {
		ssize_t n = read(fd, chunk, CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			break;
		}
		if (n == 0)
			break;
		if ((rc = loader_room(l, rel, b->len, (size_t)n)))
			break;
		buf_add(b, chunk, (size_t)n);
	}
	free(chunk);
	return rc;
}

/* Reads a wanted file; a symlink (wanted or not) must lead to a regular file
 * inside the package, so that no test or folder silently disappears. */
static int walk_file(struct walker *w, int dirfd, const char *name, const char *rel, const struct stat *st)
{
	struct loader *l = w->l;
	int fd;
	if (!S_ISLNK(st->st_mode) && !wanted(rel))
		return 0;
	if (S_ISLNK(st->st_mode)) {
		char *link = xasprintf("%s/%s", w->pkg_real, rel);
		char *target = realpath(link, NULL);
		free(link);
		if (!target)
			return fail(l->err, "%s: broken symbolic link", rel);
		size_t n = strlen(w->pkg_real);
		bool inside = strncmp(target, w->pkg_real, n) == 0 && target[n] == '/';
		struct stat ts;
		bool regular = stat(target, &ts) == 0 && S_ISREG(ts.st_mode);
		if (!inside || !regular) {
			free(target);
			return fail(l->err, "%s: symbolic link %s", rel,
			            !inside ? "points outside the package" : "to something other than a file");
		}
		if (!wanted(rel)) {
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
		rc = fail(l->err, "%s: not a regular file", rel);
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
	static const char *const top_level[] = {"problem.yaml", ".timelimit", "data", "problem_statement",
	                                        "statement", "output_validators", "output_validator"};
	struct loader *l = w->l;
	if (depth > MAX_DEPTH)
		return fail(l->err, "%s: folders nested too deeply", rel);
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
		if (!*rel) {
			bool keep = false;
			for (size_t i = 0; i < ARRAY_SIZE(top_level); i++)
				keep |= strcmp(name, top_level[i]) == 0;
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
			rc = fail(l->err, "%s: %s", q, why);
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
			rc = walk_file(w, dirfd, names[i], child, &st);
		} else {
			rc = fail(l->err, "%s: devices, pipes and sockets are not allowed", child);
		}
		free(child);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

static bool has_problem_yaml(int dirfd)
{
	struct stat st;
	return fstatat(dirfd, "problem.yaml", &st, 0) == 0 && S_ISREG(st.st_mode);
}

/* The single visible subfolder of dirfd that holds problem.yaml, or NULL. */
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

static int dir_load(const char *path, struct loader *l, char **folder)
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
	if (!has_problem_yaml(root)) {
		sub = single_subfolder(root);
		pkg = sub ? openat(root, sub, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;
		if (!sub || pkg < 0 || !has_problem_yaml(pkg)) {
			rc = fail(l->err, "problem.yaml: not found in '%s' or in its single subfolder", path);
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

/* YAML: a thin layer over libyaml's document API that checks types and
 * duplicate keys of the few keys we read. */

struct yaml {
	yaml_document_t doc;
	const char *file;
	yaml_node_t *root;            /* a mapping, or NULL for an empty document */
};

/* libyaml's scanner costs O(depth) per token, so a deeply nested document
 * is quadratic: stop at MAX_YAML_DEPTH with the event parser, which then has
 * looked at most a simple key's length (1024 bytes) ahead. Syntax errors are
 * left to yaml_load, which reports them. */
static int yaml_check_depth(const struct pfile *f, char **err)
{
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser))
		return -ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)f->data, f->len);
	int depth = 0, rc = 0;
	for (;;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&parser, &ev))
			break;
		yaml_event_type_t type = ev.type;
		yaml_event_delete(&ev);
		if (type == YAML_SEQUENCE_START_EVENT || type == YAML_MAPPING_START_EVENT)
			depth++;
		else if (type == YAML_SEQUENCE_END_EVENT || type == YAML_MAPPING_END_EVENT)
			depth--;
		else if (type == YAML_STREAM_END_EVENT)
			break;
		if (depth > MAX_YAML_DEPTH) {
			rc = fail(err, "%s: nested more than %d levels deep", f->path, MAX_YAML_DEPTH);
			break;
		}
	}
	yaml_parser_delete(&parser);
	return rc;
}

static int yaml_load(struct yaml *y, const struct pfile *f, char **err)
{
	yaml_parser_t parser;
	y->file = f->path;
	y->root = NULL;
	if (f->len > MAX_YAML_BYTES)
		return fail(err, "%s: larger than %d bytes", f->path, MAX_YAML_BYTES);
	int rc = yaml_check_depth(f, err);
	if (rc)
		return rc;
	if (!yaml_parser_initialize(&parser))
		return -ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)f->data, f->len);
	if (!yaml_parser_load(&parser, &y->doc)) {
		rc = fail(err, "%s: line %zu: %s", f->path, parser.problem_mark.line + 1,
		              parser.problem ? parser.problem : "malformed YAML");
		yaml_parser_delete(&parser);
		return rc;
	}
	yaml_parser_delete(&parser);
	yaml_node_t *root = yaml_document_get_root_node(&y->doc);
	if (root && root->type == YAML_MAPPING_NODE) {
		y->root = root;
	} else if (root && !(root->type == YAML_SCALAR_NODE && root->data.scalar.length == 0)) {
		yaml_document_delete(&y->doc);
		return fail(err, "%s: must be a mapping of keys to values", f->path);
	}
	return 0;
}

static void yaml_release(struct yaml *y)
{
	yaml_document_delete(&y->doc);
}

static bool scalar_is(const yaml_node_t *n, const char *s)
{
	return n && n->type == YAML_SCALAR_NODE && n->data.scalar.length == strlen(s) &&
	       memcmp(n->data.scalar.value, s, n->data.scalar.length) == 0;
}

static bool is_null(const yaml_node_t *n)
{
	if (!n || n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	return n->data.scalar.length == 0 || scalar_is(n, "~") || scalar_is(n, "null") ||
	       scalar_is(n, "Null") || scalar_is(n, "NULL");
}

/* map[key], NULL when absent or null; a duplicate key is an error. */
static int yget(struct yaml *y, yaml_node_t *map, const char *key, yaml_node_t **out, char **err)
{
	*out = NULL;
	if (!map || map->type != YAML_MAPPING_NODE)
		return 0;
	bool seen = false;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		if (!scalar_is(yaml_document_get_node(&y->doc, p->key), key))
			continue;
		if (seen)
			return fail(err, "%s: duplicate key '%s'", y->file, key);
		seen = true;
		*out = yaml_document_get_node(&y->doc, p->value);
	}
	if (is_null(*out))
		*out = NULL;
	return 0;
}

static int ystring(struct yaml *y, yaml_node_t *n, const char *key, char **out, char **err)
{
	if (n->type != YAML_SCALAR_NODE || memchr(n->data.scalar.value, '\0', n->data.scalar.length))
		return fail(err, "%s: '%s' must be a string", y->file, key);
	*out = xstrndup((const char *)n->data.scalar.value, n->data.scalar.length);
	return 0;
}

static int ynumber(struct yaml *y, yaml_node_t *n, const char *key, double *out, char **err)
{
	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
	    !checker_parse_number((const char *)n->data.scalar.value, n->data.scalar.length, out))
		return fail(err, "%s: '%s' must be a number", y->file, key);
	return 0;
}

/* Build */

enum aggregation { AGG_SUM, AGG_MIN, AGG_MAX, AGG_AVG };

struct gconf {
	const struct pfile *file;
	char *dir;                    /* folder of the file: "data/secret/g1" */
	bool legacy;                  /* testdata.yaml, not test_group.yaml */
	bool has_accept;              /* legacy accept_score */
	double accept;
	bool has_score;               /* scoring.score (2023-07) or max_score (2025-09) */
	double score;
	enum aggregation agg;         /* from legacy grader_flags; sum by default */
	const char *points_key;       /* the key that gave points, for messages */
};

struct build {
	struct loader *l;
	struct package *p;
	char **err;
	bool legacy_format;
	bool custom;
	struct gconf *confs;
	size_t nconfs;
};

static int read_name(struct build *b, struct yaml *y, yaml_node_t *n)
{
	if (n->type == YAML_MAPPING_NODE) {
		yaml_node_t *v;
		int rc = yget(y, n, "en", &v, b->err);
		if (rc)
			return rc;
		if (!v && n->data.mapping.pairs.start < n->data.mapping.pairs.top)
			v = yaml_document_get_node(&y->doc, n->data.mapping.pairs.start->value);
		if (!v)
			return fail(b->err, "%s: 'name' is an empty map", y->file);
		n = v;
	}
	if (n->type != YAML_SCALAR_NODE)
		return fail(b->err, "%s: 'name' must be a string or a map of languages to strings", y->file);
	return ystring(y, n, "name", &b->p->name, b->err);
}

static int read_one_type(struct build *b, struct yaml *y, yaml_node_t *v)
{
	if (!v || v->type != YAML_SCALAR_NODE)
		return fail(b->err, "%s: 'type' must be a string or a list of strings", y->file);
	if (scalar_is(v, "scoring"))
		b->p->scoring = true;
	else if (scalar_is(v, "interactive") || scalar_is(v, "multi-pass") || scalar_is(v, "submit-answer"))
		return fail(b->err, "%s: type '%s' is not supported", y->file, (const char *)v->data.scalar.value);
	else if (!scalar_is(v, "pass-fail"))
		return fail(b->err, "%s: unknown type '%.64s'", y->file, (const char *)v->data.scalar.value);
	return 0;
}

static int read_type(struct build *b, struct yaml *y, yaml_node_t *n)
{
	if (n->type != YAML_SEQUENCE_NODE)
		return read_one_type(b, y, n);
	for (yaml_node_item_t *i = n->data.sequence.items.start; i < n->data.sequence.items.top; i++) {
		int rc = read_one_type(b, y, yaml_document_get_node(&y->doc, *i));
		if (rc)
			return rc;
	}
	return 0;
}

static int read_validation(struct build *b, struct yaml *y, yaml_node_t *n, bool *given)
{
	char *v;
	int rc = ystring(y, n, "validation", &v, b->err);
	if (rc)
		return rc;
	*given = true;
	char *save = NULL;
	char *word = strtok_r(v, " \t", &save);
	if (word && strcmp(word, "custom") == 0)
		b->custom = true;
	else if (!word || strcmp(word, "default") != 0)
		rc = fail(b->err, "%s: 'validation' must start with default or custom", y->file);
	while (!rc && (word = strtok_r(NULL, " \t", &save)))
		rc = fail(b->err, "%s: validation '%s' is not supported", y->file, word);
	free(v);
	return rc;
}

/* A limit: a number in (0, max]. */
static int read_limit(struct build *b, struct yaml *y, yaml_node_t *limits, const char *key, double max,
                      const char *unit, double *out)
{
	yaml_node_t *n;
	int rc = yget(y, limits, key, &n, b->err);
	if (rc || !n)
		return rc;
	double v;
	char what[64];
	snprintf(what, sizeof what, "limits.%s", key);
	if ((rc = ynumber(y, n, what, &v, b->err)))
		return rc;
	if (!(v > 0 && v <= max))
		return fail(b->err, "%s: limits.%s must be more than 0 and at most %g %s", y->file, key, max, unit);
	*out = v;
	return 0;
}

static int read_problem_yaml(struct build *b)
{
	struct package *p = b->p;
	struct pfile *f = find(b->l, "problem.yaml");
	struct yaml y;
	int rc = yaml_load(&y, f, b->err);
	if (rc)
		return rc;
	yaml_node_t *n;
	double time_s = NAN, memory_mib = 256, output_mib = 8;
	bool validation_given = false;

	if ((rc = yget(&y, y.root, "problem_format_version", &n, b->err)))
		goto out;
	if (n) {
		char *version;
		if ((rc = ystring(&y, n, "problem_format_version", &version, b->err)))
			goto out;
		b->legacy_format = strcmp(version, "legacy") == 0 || strcmp(version, "legacy-icpc") == 0;
		free(version);
	}
	if ((rc = yget(&y, y.root, "name", &n, b->err)) || (n && (rc = read_name(b, &y, n))))
		goto out;
	if ((rc = yget(&y, y.root, "type", &n, b->err)) || (n && (rc = read_type(b, &y, n))))
		goto out;
	if ((rc = yget(&y, y.root, "validation", &n, b->err)) ||
	    (n && (rc = read_validation(b, &y, n, &validation_given))))
		goto out;
	if ((rc = yget(&y, y.root, "validator_flags", &n, b->err)) ||
	    (n && (rc = ystring(&y, n, "validator_flags", &p->validator_flags, b->err))))
		goto out;
	if ((rc = yget(&y, y.root, "limits", &n, b->err)))
		goto out;
	if (n && n->type != YAML_MAPPING_NODE) {
		rc = fail(b->err, "%s: 'limits' must be a mapping", y.file);
		goto out;
	}
	if ((rc = read_limit(b, &y, n, "time_limit", 3600, "seconds", &time_s)) ||
	    (rc = read_limit(b, &y, n, "memory", 1 << 20, "MiB", &memory_mib)) ||
	    (rc = read_limit(b, &y, n, "output", 1 << 20, "MiB", &output_mib)))
		goto out;

	if (isnan(time_s)) {
		time_s = 1;
		struct pfile *t = find(b->l, ".timelimit");
		if (t) {
			size_t s = 0, e = t->len;
			while (s < e && strchr(" \t\r\n", t->data[s]))
				s++;
			while (e > s && strchr(" \t\r\n", t->data[e - 1]))
				e--;
			char num[64];
			double v = 0;
			bool ok = e - s < sizeof num;
			if (ok) {
				memcpy(num, t->data + s, e - s);
				num[e - s] = '\0';
				ok = checker_parse_number(num, e - s, &v) && v > 0 && v <= 3600;
			}
			if (!ok) {
				rc = fail(b->err, ".timelimit: must hold a number of seconds, more than 0 and at most 3600");
				goto out;
			}
			time_s = v;
		}
	}
	p->time_limit_ms = (int)llround(time_s * 1000);
	if (p->time_limit_ms < 1)
		p->time_limit_ms = 1;
	p->memory_limit_kb = (int)llround(memory_mib * 1024);
	p->output_limit_kb = (int)llround(output_mib * 1024);
	if (p->memory_limit_kb < 1)
		p->memory_limit_kb = 1;
	if (p->output_limit_kb < 1)
		p->output_limit_kb = 1;

	/* Without `validation` the newer formats decide by the validator's presence. */
	if (!validation_given && !b->legacy_format) {
		for (size_t i = 0; i < b->l->nfiles; i++)
			if (starts(b->l->files[i].path, "output_validators/") ||
			    starts(b->l->files[i].path, "output_validator/"))
				b->custom = true;
	}
	if (!p->name || !*p->name) {
		free(p->name);
		p->name = NULL;
		if (p->folder) {
			p->name = xstrdup(p->folder);
		} else {
			rc = fail(b->err, "%s: 'name' is required", y.file);
			goto out;
		}
	}
out:
	yaml_release(&y);
	return rc;
}

static int read_statement(struct build *b)
{
	static const char *const dirs[] = {"problem_statement/", "statement/"};
	static const char *const exts[] = {".md", ".tex"};
	struct package *p = b->p;
	struct pfile *f = NULL;
	for (size_t e = 0; e < 2 && !f; e++) {
		for (size_t d = 0; d < 2 && !f; d++) {
			char *en = xasprintf("%sproblem.en%s", dirs[d], exts[e]);
			char *plain = xasprintf("%sproblem%s", dirs[d], exts[e]);
			f = find(b->l, en);
			if (!f)
				f = find(b->l, plain);
			free(en);
			free(plain);
		}
		/* any other language, the first by name */
		for (size_t i = 0; i < b->l->nfiles && !f; i++) {
			const char *path = b->l->files[i].path;
			for (size_t d = 0; d < 2; d++)
				if (starts(path, dirs[d]) && ends(path, exts[e]))
					f = &b->l->files[i];
		}
		p->statement_is_markdown = e == 0;
	}
	if (!f) {
		p->statement = xstrdup("");
		p->statement_is_markdown = true;
		return 0;
	}
	if (memchr(f->data, '\0', f->len) || !utf8_valid((const unsigned char *)f->data, f->len))
		return fail(b->err, "%s: not valid UTF-8 text", f->path);
	p->statement = f->data;
	f->data = NULL;
	return 0;
}

static bool is_source(const char *path)
{
	static const char *const exts[] = {".c", ".cc", ".cpp", ".cxx", ".c++", ".C", ".py"};
	for (size_t i = 0; i < ARRAY_SIZE(exts); i++)
		if (ends(path, exts[i]))
			return true;
	return false;
}

static int read_validator(struct build *b)
{
	struct package *p = b->p;
	struct loader *l = b->l;
	size_t first = SIZE_MAX, count = 0;
	bool legacy_dir = false, new_dir = false;
	for (size_t i = 0; i < l->nfiles; i++) {
		legacy_dir |= starts(l->files[i].path, "output_validators/");
		new_dir |= starts(l->files[i].path, "output_validator/");
	}
	if (!b->custom)
		return 0;
	if (legacy_dir && new_dir)
		return fail(b->err, "output_validators: both output_validator/ and output_validators/ exist");
	if (!legacy_dir && !new_dir)
		return fail(b->err, "output_validators: missing, but problem.yaml asks for a custom validator");
	const char *root = legacy_dir ? "output_validators/" : "output_validator/";
	size_t root_len = strlen(root);
	/* legacy: exactly one program, a single file or a folder */
	const char *name = NULL;
	size_t name_len = 0;
	for (size_t i = 0; i < l->nfiles; i++) {
		const char *path = l->files[i].path;
		if (!starts(path, root))
			continue;
		if (first == SIZE_MAX)
			first = i;
		count++;
		if (!legacy_dir)
			continue;
		const char *rest = path + root_len;
		size_t len = strcspn(rest, "/");
		if (!name) {
			name = rest;
			name_len = len;
		} else if (len != name_len || memcmp(rest, name, len) != 0) {
			return fail(b->err, "output_validators: holds more than one validator ('%.*s' and '%.*s')",
			            (int)name_len, name, (int)len, rest);
		}
	}
	/* the files of one folder are contiguous in path order */
	size_t skip = root_len;
	bool single_file = legacy_dir && name[name_len] == '\0';
	if (legacy_dir) {
		p->validator_name = xstrndup(name, name_len);
		if (!single_file)
			skip += name_len + 1;
	} else {
		p->validator_name = xstrdup("output_validator");
	}
	p->validator_files = xcalloc(count, sizeof *p->validator_files);
	bool source = false;
	for (size_t i = first; i < first + count; i++) {
		struct pfile *f = &l->files[i];
		struct package_file *v = &p->validator_files[p->validator_count++];
		v->path = xstrdup(single_file ? f->path + root_len : f->path + skip);
		v->data = f->data;
		v->len = f->len;
		f->data = NULL;
		source |= is_source(v->path);
	}
	if (!source)
		return fail(b->err, "%s%s: no C, C++ or Python source file", root,
		            legacy_dir ? p->validator_name : "");
	return 0;
}

/* testdata.yaml and test_group.yaml files */

static void parse_grader_flags(const char *flags, enum aggregation *agg)
{
	char *copy = xstrdup(flags), *save = NULL;
	for (char *w = strtok_r(copy, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save)) {
		if (strcmp(w, "sum") == 0)
			*agg = AGG_SUM;
		else if (strcmp(w, "min") == 0)
			*agg = AGG_MIN;
		else if (strcmp(w, "max") == 0)
			*agg = AGG_MAX;
		else if (strcmp(w, "avg") == 0)
			*agg = AGG_AVG;
	}
	free(copy);
}

static int read_gconf(struct build *b, const struct pfile *f, struct gconf *g)
{
	struct yaml y;
	int rc = yaml_load(&y, f, b->err);
	if (rc)
		return rc;
	memset(g, 0, sizeof *g);
	g->file = f;
	g->dir = xstrndup(f->path, (size_t)(strrchr(f->path, '/') - f->path));
	g->legacy = ends(f->path, "/testdata.yaml");
	g->agg = AGG_SUM;
	yaml_node_t *n;
	char *s;

	/* Validator arguments per group would change the checker per test. */
	if ((rc = yget(&y, y.root, "output_validator_flags", &n, b->err)))
		goto out;
	if (n && !(n->type == YAML_SCALAR_NODE && n->data.scalar.length == 0)) {
		rc = fail(b->err, "%s: output_validator_flags are not supported, use validator_flags in problem.yaml", f->path);
		goto out;
	}
	if ((rc = yget(&y, y.root, "output_validator_args", &n, b->err)))
		goto out;
	if (n && !(n->type == YAML_SEQUENCE_NODE && n->data.sequence.items.start == n->data.sequence.items.top)) {
		rc = fail(b->err, "%s: output_validator_args are not supported, use validator_flags in problem.yaml", f->path);
		goto out;
	}
	if ((rc = yget(&y, y.root, "grading", &n, b->err)))
		goto out;
	if (n && scalar_is(n, "custom")) {
		rc = fail(b->err, "%s: custom graders are not supported", f->path);
		goto out;
	}
	if ((rc = yget(&y, y.root, "grader_flags", &n, b->err)))
		goto out;
	if (n) {
		if ((rc = ystring(&y, n, "grader_flags", &s, b->err)))
			goto out;
		parse_grader_flags(s, &g->agg);
		free(s);
	}
	if ((rc = yget(&y, y.root, "accept_score", &n, b->err)))
		goto out;
	if (n) {
		if ((rc = ynumber(&y, n, "accept_score", &g->accept, b->err)))
			goto out;
		g->has_accept = true;
		g->points_key = "accept_score";
	}
	if ((rc = yget(&y, y.root, "scoring", &n, b->err)))
		goto out;
	if (n) {
		yaml_node_t *score;
		if (n->type != YAML_MAPPING_NODE) {
			rc = fail(b->err, "%s: 'scoring' must be a mapping", f->path);
			goto out;
		}
		if ((rc = yget(&y, n, "score", &score, b->err)))
			goto out;
		if (score && !scalar_is(score, "unbounded")) {
			if ((rc = ynumber(&y, score, "scoring.score", &g->score, b->err)))
				goto out;
			g->has_score = true;
			g->points_key = "scoring.score";
		}
	}
	if ((rc = yget(&y, y.root, "max_score", &n, b->err)))
		goto out;
	if (n && !scalar_is(n, "unbounded")) {
		if ((rc = ynumber(&y, n, "max_score", &g->score, b->err)))
			goto out;
		g->has_score = true;
		g->points_key = "max_score";
	}
	if ((g->has_accept && !(g->accept >= 0)) || (g->has_score && !(g->score >= 0)))
		rc = fail(b->err, "%s: %s must not be negative", f->path, g->points_key);
out:
	yaml_release(&y);
	if (rc) {
		free(g->dir);
		g->dir = NULL;
	}
	return rc;
}

static int read_gconfs(struct build *b)
{
	struct loader *l = b->l;
	b->confs = xcalloc(l->nfiles ? l->nfiles : 1, sizeof *b->confs);
	for (size_t i = 0; i < l->nfiles; i++) {
		const char *path = l->files[i].path;
		if (!starts(path, "data/") || (!ends(path, "/testdata.yaml") && !ends(path, "/test_group.yaml")))
			continue;
		struct gconf *g = &b->confs[b->nconfs];
		int rc = read_gconf(b, &l->files[i], g);
		if (rc)
			return rc;
		b->nconfs++;
		const char *dir = g->dir;
		bool sample = strcmp(dir, "data/sample") == 0 || starts(dir, "data/sample/");
		bool secret = strcmp(dir, "data/secret") == 0 || starts(dir, "data/secret/");
		if (!g->points_key || sample)
			continue;
		if (!b->p->scoring)
			return fail(b->err, "%s: %s needs 'type: scoring' in problem.yaml", path, g->points_key);
		/* data/secret or data/secret/<group>, nothing deeper */
		if (secret && strcmp(dir, "data/secret") != 0 && strchr(dir + strlen("data/secret/"), '/'))
			return fail(b->err, "%s: points of nested test groups are not supported", path);
	}
	return 0;
}

static const struct gconf *gconf_at(struct build *b, const char *dir, bool legacy)
{
	for (size_t i = 0; i < b->nconfs; i++)
		if (b->confs[i].legacy == legacy && strcmp(b->confs[i].dir, dir) == 0)
			return &b->confs[i];
	return NULL;
}

static double group_points(struct build *b, const char *dir, size_t tests)
{
	const struct gconf *g = gconf_at(b, dir, false);
	if (g && g->has_score)
		return g->score;
	g = gconf_at(b, dir, true);
	if (g && g->has_score)
		return g->score;
	/* legacy testdata.yaml is inherited whole from the nearest ancestor */
	if (!g && strcmp(dir, "data/secret") != 0)
		g = gconf_at(b, "data/secret", true);
	if (!g)
		g = gconf_at(b, "data", true);
	double accept = g && g->has_accept ? g->accept : 1;
	enum aggregation agg = g ? g->agg : AGG_SUM;
	return agg == AGG_SUM ? accept * (double)tests : accept;
}

/* tests */

struct half {
	char *base;                   /* path without .in / .ans */
	bool ans;
	struct pfile *file;
};

static int half_cmp(const void *a, const void *b)
{
	const struct half *x = a, *y = b;
	int c = path_cmp(x->base, y->base);
	return c ? c : (int)x->ans - (int)y->ans;
}

static char *group_of(const char *name)
{
	if (starts(name, "sample/"))
		return xstrdup("sample");
	const char *rest = name + strlen("secret/");
	const char *slash = strchr(rest, '/');
	if (!slash)
		return xstrdup("secret");
	return xstrndup(name, (size_t)(slash - name));
}

static int read_tests(struct build *b)
{
	struct package *p = b->p;
	struct loader *l = b->l;
	struct half *h = xcalloc(l->nfiles ? l->nfiles : 1, sizeof *h);
	size_t n = 0;
	int rc = 0;
	for (size_t i = 0; i < l->nfiles; i++) {
		const char *path = l->files[i].path;
		if (!starts(path, "data/sample/") && !starts(path, "data/secret/"))
			continue;
		bool in = ends(path, ".in"), ans = ends(path, ".ans");
		if (!in && !ans)
			continue;
		h[n].base = xstrndup(path, strlen(path) - (in ? 3 : 4));
		h[n].ans = ans;
		h[n++].file = &l->files[i];
	}
	qsort(h, n, sizeof *h, half_cmp);
	p->tests = xcalloc(n ? n : 1, sizeof *p->tests);
	bool any_secret = false;
	for (size_t i = 0; i < n; i++) {
		bool pair = i + 1 < n && strcmp(h[i].base, h[i + 1].base) == 0;
		if (!pair) {
			rc = fail(b->err, "%s: no matching %s file", h[i].file->path, h[i].ans ? ".in" : ".ans");
			goto out;
		}
		if (i + 2 < n && strcmp(h[i].base, h[i + 2].base) == 0) {
			rc = fail(b->err, "%s: more than one .in or .ans file", h[i].file->path);
			goto out;
		}
		struct package_test *t = &p->tests[p->test_count++];
		t->name = xstrdup(h[i].base + strlen("data/"));
		t->group = group_of(t->name);
		t->sample = starts(t->name, "sample/");
		any_secret |= !t->sample;
		t->input = h[i].file->data;
		t->input_len = h[i].file->len;
		t->answer = h[i + 1].file->data;
		t->answer_len = h[i + 1].file->len;
		h[i].file->data = h[i + 1].file->data = NULL;
		i++;
	}
	if (!any_secret)
		rc = fail(b->err, "data/secret: no test cases (each needs a .in and a .ans file)");
out:
	for (size_t i = 0; i < n; i++)
		free(h[i].base);
	free(h);
	return rc;
}

static void make_groups(struct build *b)
{
	struct package *p = b->p;
	p->groups = xcalloc(p->test_count ? p->test_count : 1, sizeof *p->groups);
	for (size_t i = 0; i < p->test_count; i++) {
		struct package_group *g = NULL;
		for (size_t k = 0; k < p->group_count && !g; k++)
			if (strcmp(p->groups[k].name, p->tests[i].group) == 0)
				g = &p->groups[k];
		if (!g) {
			g = &p->groups[p->group_count++];
			g->name = xstrdup(p->tests[i].group);
		}
		g->test_count++;
	}
	if (!p->scoring)
		return;
	for (size_t k = 0; k < p->group_count; k++) {
		struct package_group *g = &p->groups[k];
		if (strcmp(g->name, "sample") == 0)
			continue;
		char *dir = xasprintf("data/%s", g->name);
		g->points = group_points(b, dir, g->test_count);
		free(dir);
	}
}

static int build(struct loader *l, struct package *p, char **err)
{
	struct build b = {.l = l, .p = p, .err = err, .legacy_format = true};
	qsort(l->files, l->nfiles, sizeof *l->files, pfile_cmp);
	if (!find(l, "problem.yaml"))
		return fail(err, "problem.yaml: not found");
	int rc = read_problem_yaml(&b);
	if (!rc)
		rc = read_statement(&b);
	if (!rc)
		rc = read_validator(&b);
	if (!rc) {
		char *flags_err = NULL;
		if (b.custom) {
			checker_init(&p->checker, CHECKER_CUSTOM);
		} else if (checker_from_kattis_flags(p->validator_flags, &p->checker, &flags_err)) {
			rc = fail(err, "problem.yaml: %s", flags_err);
			free(flags_err);
		}
	}
	if (!rc)
		rc = read_tests(&b);
	if (!rc)
		rc = read_gconfs(&b);
	if (!rc)
		make_groups(&b);
	for (size_t i = 0; i < b.nconfs; i++)
		free(b.confs[i].dir);
	free(b.confs);
	return rc;
}

static int finish(struct loader *l, char *folder, struct package **out, char **err, int rc)
{
	struct package *p = NULL;
	if (!rc) {
		p = xcalloc(1, sizeof *p);
		p->folder = folder;
		folder = NULL;
		rc = build(l, p, err);
	}
	free(folder);
	loader_release(l);
	if (rc) {
		package_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

int package_read_zip(const void *data, size_t len, const struct package_limits *lim,
                     struct package **out, char **err)
{
	struct loader l;
	char *prefix = NULL, *folder = NULL;
	if (err)
		*err = NULL;
	loader_init(&l, lim, err);
	int rc = zip_scan(data, len, &l, &prefix, &folder);
	if (!rc)
		rc = zip_load(data, len, &l, prefix);
	free(prefix);
	return finish(&l, folder, out, err, rc);
}

int package_read_dir(const char *path, const struct package_limits *lim,
                     struct package **out, char **err)
{
	struct loader l;
	char *folder = NULL;
	if (err)
		*err = NULL;
	loader_init(&l, lim, err);
	int rc = dir_load(path, &l, &folder);
	return finish(&l, folder, out, err, rc);
}

void package_free(struct package *p)
{
	if (!p)
		return;
	free(p->name);
	free(p->folder);
	free(p->statement);
	free(p->validator_flags);
	free(p->validator_name);
	for (size_t i = 0; i < p->validator_count; i++) {
		free(p->validator_files[i].path);
		free(p->validator_files[i].data);
	}
	free(p->validator_files);
	for (size_t i = 0; i < p->test_count; i++) {
		free(p->tests[i].name);
		free(p->tests[i].group);
		free(p->tests[i].input);
		free(p->tests[i].answer);
	}
	free(p->tests);
	for (size_t i = 0; i < p->group_count; i++)
		free(p->groups[i].name);
	free(p->groups);
	free(p);
}
