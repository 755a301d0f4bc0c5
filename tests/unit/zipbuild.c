/* Zip archives built in memory for the package and loader tests, hostile
 * ones included (symlinks, devices, sizes that lie). */
#include "zipbuild.h"

#include <archive_entry.h>
#include <check.h>
#include <stdint.h>
#include <string.h>

static la_ssize_t write_cb(struct archive *a, void *ctx, const void *data, size_t n)
{
	(void)a;
	buf_add(ctx, data, n);
	return (la_ssize_t)n;
}

void zip_begin(struct zip *z)
{
	buf_init(&z->out);
	z->a = archive_write_new();
	ck_assert_int_eq(archive_write_set_format_zip(z->a), ARCHIVE_OK);
	ck_assert_int_eq(archive_write_open(z->a, &z->out, NULL, write_cb, NULL), ARCHIVE_OK);
}

void zip_entry(struct zip *z, const char *name, mode_t type, const void *data, size_t len, const char *link)
{
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, type);
	archive_entry_set_perm(e, type == AE_IFDIR ? 0755 : 0644);
	archive_entry_set_size(e, (la_int64_t)len);
	if (link)
		archive_entry_set_symlink(e, link);
	ck_assert_int_eq(archive_write_header(z->a, e), ARCHIVE_OK);
	if (len)
		ck_assert_int_eq(archive_write_data(z->a, data, len), (la_ssize_t)len);
	archive_entry_free(e);
}

void zip_filen(struct zip *z, const char *name, const void *data, size_t len)
{
	zip_entry(z, name, AE_IFREG, data, len, NULL);
}

void zip_file(struct zip *z, const char *name, const char *text)
{
	zip_filen(z, name, text, strlen(text));
}

/* size bytes of zeros, written in chunks: compresses to almost nothing */
void zip_zeros(struct zip *z, const char *name, size_t size)
{
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)size);
	ck_assert_int_eq(archive_write_header(z->a, e), ARCHIVE_OK);
	static char zeros[1 << 16];
	for (size_t done = 0; done < size;) {
		size_t n = size - done < sizeof zeros ? size - done : sizeof zeros;
		ck_assert_int_eq(archive_write_data(z->a, zeros, n), (la_ssize_t)n);
		done += n;
	}
	archive_entry_free(e);
}

void zip_end(struct zip *z)
{
	ck_assert_int_eq(archive_write_close(z->a), ARCHIVE_OK);
	archive_write_free(z->a);
}

void zip_release(struct zip *z)
{
	buf_release(&z->out);
}

/* Rewrites fields of every central-directory record whose name is `name`:
 * the Unix mode (external attributes) and, if size is not -1, the sizes. */
void zip_patch(struct zip *z, const char *name, unsigned mode, long size)
{
	unsigned char *p = (unsigned char *)z->out.data;
	size_t n = z->out.len, nl = strlen(name);
	int patched = 0;
	for (size_t i = 0; i + 46 <= n; i++) {
		if (memcmp(p + i, "PK\1\2", 4) != 0)
			continue;
		size_t len = p[i + 28] | (size_t)p[i + 29] << 8;
		if (len != nl || i + 46 + len > n || memcmp(p + i + 46, name, nl) != 0)
			continue;
		if (mode) {
			p[i + 5] = 3; /* made by Unix */
			uint32_t attr = (uint32_t)mode << 16;
			for (int k = 0; k < 4; k++)
				p[i + 38 + k] = (unsigned char)(attr >> (8 * k));
		}
		if (size >= 0)
			for (int k = 0; k < 4; k++)
				p[i + 24 + k] = (unsigned char)((unsigned long)size >> (8 * k));
		patched++;
	}
	ck_assert_int_gt(patched, 0);
	if (size >= 0) { /* local headers too */
		for (size_t i = 0; i + 30 <= n; i++) {
			if (memcmp(p + i, "PK\3\4", 4) != 0)
				continue;
			size_t len = p[i + 26] | (size_t)p[i + 27] << 8;
			if (len == nl && i + 30 + len <= n && memcmp(p + i + 30, name, nl) == 0)
				for (int k = 0; k < 4; k++)
					p[i + 22 + k] = (unsigned char)((unsigned long)size >> (8 * k));
		}
	}
}
