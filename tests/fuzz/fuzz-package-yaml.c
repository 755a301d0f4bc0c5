/* libFuzzer harness: the YAML of a package alone. The input is problem.yaml,
 * then (after a NUL byte, if any) data/secret/g1/testdata.yaml, then (after
 * another) data/secret/g1/test_group.yaml, put into a small fixed package zip
 * (a sample and a secret test) that package_read_zip reads; kattis.c's YAML
 * reading has no entry point of its own. */
#include <archive.h>
#include <archive_entry.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "package.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static la_ssize_t write_cb(struct archive *a, void *ctx, const void *data, size_t n)
{
	(void)a;
	buf_add(ctx, data, n);
	return (la_ssize_t)n;
}

static void add(struct archive *a, const char *name, const void *data, size_t len)
{
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)len);
	if (archive_write_header(a, e) != ARCHIVE_OK || (len && archive_write_data(a, data, len) != (la_ssize_t)len))
		abort();
	archive_entry_free(e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {"p/problem.yaml", "p/data/secret/g1/testdata.yaml",
					    "p/data/secret/g1/test_group.yaml"};
	struct buf zip;
	buf_init(&zip);
	struct archive *a = archive_write_new();
	if (archive_write_set_format_zip(a) != ARCHIVE_OK ||
	    archive_write_set_options(a, "zip:compression=store") != ARCHIVE_OK ||
	    archive_write_open(a, &zip, NULL, write_cb, NULL) != ARCHIVE_OK)
		abort();
	const char *part = (const char *)data, *end = part + size;
	for (size_t i = 0; i < sizeof names / sizeof names[0] && part; i++) {
		const char *nul = memchr(part, '\0', (size_t)(end - part));
		add(a, names[i], part, (size_t)((nul ? nul : end) - part));
		part = nul ? nul + 1 : NULL;
	}
	add(a, "p/data/sample/1.in", "1 2\n", 4);
	add(a, "p/data/sample/1.ans", "3\n", 2);
	add(a, "p/data/secret/g1/1.in", "2 2\n", 4);
	add(a, "p/data/secret/g1/1.ans", "4\n", 2);
	add(a, "p/problem_statement/problem.en.md", "Add $a+b$.\n", 11);
	archive_write_close(a);
	archive_write_free(a);

	struct package *p = NULL;
	char *err = NULL;
	int rc = package_read_zip(zip.data, zip.len, NULL, &p, &err);
	if ((rc == 0) != (p != NULL) || (rc == PACKAGE_E_INVALID) != (err != NULL))
		abort();
	if (p && (p->test_count != 2 || p->group_count != 2))
		abort();
	package_free(p);
	free(err);
	buf_release(&zip);
	return 0;
}
