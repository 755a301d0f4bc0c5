/* The zip writer: libarchive's zip format into a growing buffer. */
#include "zip_writer.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "log.h"
#include "util.h"

struct zip_writer {
	struct archive *a;
	struct buf out;
	time_t now;
	int rc;         /* the first failure */
};

static la_ssize_t zw_write(struct archive *a, void *ctx, const void *data, size_t len)
{
	(void)a;
	buf_add(&((struct zip_writer *)ctx)->out, data, len);
	return (la_ssize_t)len;
}

static int zw_fail(struct zip_writer *z, const char *what)
{
	log_warnx("zip: %s: %s", what, archive_error_string(z->a) ? archive_error_string(z->a) : "failed");
	if (!z->rc)
		z->rc = -EIO;
	return z->rc;
}

struct zip_writer *zip_writer_new(void)
{
	struct zip_writer *z = xcalloc(1, sizeof *z);
	buf_init(&z->out);
	z->now = time(NULL);
	z->a = archive_write_new();
	if (!z->a)
		fatalx("out of memory");
	if (archive_write_set_format_zip(z->a) != ARCHIVE_OK ||
	    archive_write_zip_set_compression_deflate(z->a) != ARCHIVE_OK ||
	    archive_write_set_bytes_in_last_block(z->a, 1) != ARCHIVE_OK ||
	    archive_write_open(z->a, z, NULL, zw_write, NULL) != ARCHIVE_OK)
		zw_fail(z, "cannot start");
	return z;
}

int zip_writer_add(struct zip_writer *z, const char *path, const void *data, size_t len)
{
	if (z->rc)
		return z->rc;
	struct archive_entry *e = archive_entry_new();
	if (!e)
		fatalx("out of memory");
	archive_entry_set_pathname_utf8(e, path);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)len);
	archive_entry_set_mtime(e, z->now, 0);
	int rc = 0;
	if (archive_write_header(z->a, e) != ARCHIVE_OK)
		rc = zw_fail(z, path);
	const char *p = data;
	for (size_t done = 0; !rc && done < len;) {
		la_ssize_t n = archive_write_data(z->a, p + done, len - done);
		if (n <= 0)
			rc = zw_fail(z, path);
		else
			done += (size_t)n;
	}
	if (!rc && archive_write_finish_entry(z->a) != ARCHIVE_OK)
		rc = zw_fail(z, path);
	archive_entry_free(e);
	return rc;
}

int zip_writer_finish(struct zip_writer *z, char **out, size_t *len)
{
	int rc = z->rc;
	if (!rc && archive_write_close(z->a) != ARCHIVE_OK)
		rc = zw_fail(z, "cannot end");
	if (!rc)
		*out = buf_detach(&z->out, len);
	zip_writer_free(z);
	return rc;
}

void zip_writer_free(struct zip_writer *z)
{
	if (!z)
		return;
	archive_write_free(z->a);
	buf_release(&z->out);
	free(z);
}
