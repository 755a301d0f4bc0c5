/* Unit tests for the package loader alone, with rules of its own (no Kattis
 * format): what it loads, and the hostile zips and folders it refuses. */
#include <archive_entry.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"
#include "loader.h"
#include "zipbuild.h"

static bool ignored(const char *path)
{
	return strcmp(path, "skip.txt") == 0;
}

/* Everything but *.bin */
static bool wanted(const char *path)
{
	return !path_ends(path, ".bin");
}

static const struct loader_rules rules = {.marker = "root.txt", .ignored = ignored, .wanted = wanted};

static char *err;

static void teardown(void)
{
	free(err);
	err = NULL;
}

static int read_zip(struct zip *z, const struct package_limits *lim, struct loader_tree *t)
{
	zip_end(z);
	int rc = loader_read_zip(z->out.data, z->out.len, lim, &rules, t, &err);
	zip_release(z);
	return rc;
}

static void must_reject(struct zip *z, const struct package_limits *lim, const char *needle)
{
	struct loader_tree t;
	ck_assert_int_eq(read_zip(z, lim, &t), PACKAGE_E_INVALID);
	ck_assert_ptr_nonnull(err);
	ck_assert_msg(strstr(err, needle), "error '%s' lacks '%s'", err, needle);
	ck_assert_uint_eq(t.nfiles, 0);
}

START_TEST(zip_loads_wanted_files_sorted)
{
	struct zip z;
	zip_begin(&z);
	zip_file(&z, "pkg/b/x", "bx");
	zip_file(&z, "pkg/root.txt", "root");
	zip_file(&z, "pkg/a-b", "ab");
	zip_file(&z, "pkg/a/y", "");
	zip_file(&z, "pkg/big.bin", "not loaded");
	zip_file(&z, "pkg/skip.txt", "ignored");
	struct loader_tree t;
	ck_assert_int_eq(read_zip(&z, NULL, &t), 0);
	ck_assert_str_eq(t.folder, "pkg");
	ck_assert_uint_eq(t.nfiles, 4);
	/* folder by folder: a/y < a-b < b/x < root.txt */
	const char *order[] = {"a/y", "a-b", "b/x", "root.txt"};
	for (size_t i = 0; i < 4; i++)
		ck_assert_str_eq(t.files[i].path, order[i]);
	ck_assert_str_eq(loader_find(&t, "b/x")->data, "bx");
	ck_assert_uint_eq(loader_find(&t, "a/y")->len, 0);
	ck_assert_ptr_null(loader_find(&t, "big.bin"));
	ck_assert_ptr_null(loader_find(&t, "skip.txt"));
	loader_release(&t);
	loader_release(&t); /* released twice is fine */
}
END_TEST

START_TEST(zip_needs_the_marker)
{
	struct zip z;
	zip_begin(&z);
	zip_file(&z, "one/root.txt", "");
	zip_file(&z, "two/x", "");
	must_reject(&z, NULL, "root.txt: not found");
}
END_TEST

START_TEST(zip_traversal)
{
	struct zip z;
	zip_begin(&z);
	zip_file(&z, "root.txt", "");
	zip_file(&z, "data/../../etc/passwd", "x");
	must_reject(&z, NULL, "'.' or '..' in path");
}
END_TEST

START_TEST(zip_absolute_path)
{
	struct zip z;
	zip_begin(&z);
	zip_file(&z, "root.txt", "");
	zip_file(&z, "/etc/passwd", "x");
	must_reject(&z, NULL, "absolute path");
}
END_TEST

START_TEST(zip_symlink)
{
	struct zip z;
	zip_begin(&z);
	zip_file(&z, "root.txt", "");
	zip_entry(&z, "link", AE_IFLNK, NULL, 0, "/etc/passwd");
	must_reject(&z, NULL, "'link': symbolic link points outside the package");
}
END_TEST

/* 64 MiB of zeros compress to a few KiB; the limit stops it while decompressing. */
START_TEST(zip_bomb)
{
	struct zip z;
	zip_begin(&z);
	zip_file(&z, "root.txt", "");
	zip_zeros(&z, "zeros", 64u << 20);
	ck_assert_uint_lt(z.out.len, 1u << 20);
	struct package_limits lim = {1u << 30, 100, 1u << 20, 0};
	must_reject(&z, &lim, "zeros: larger than the limit of 1048576 bytes per file");
	zip_begin(&z);
	zip_file(&z, "root.txt", "");
	zip_zeros(&z, "a", 600u << 10);
	zip_zeros(&z, "b", 600u << 10);
	lim = (struct package_limits){1u << 20, 100, 1u << 20, 0};
	must_reject(&z, &lim, "the package is larger than the limit");
}
END_TEST

START_TEST(zip_too_many_entries)
{
	struct zip z;
	zip_begin(&z);
	zip_file(&z, "root.txt", "");
	for (int i = 0; i < 5; i++) {
		char name[16];
		snprintf(name, sizeof name, "x%d.bin", i); /* not even wanted: still counted */
		zip_file(&z, name, "");
	}
	struct package_limits lim = {1u << 20, 5, 1u << 20, 0};
	must_reject(&z, &lim, "more than 5 files");
}
END_TEST

/* ---- folders ---- */

static char dir[256];

static void put(const char *rel, const char *text)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static void dir_setup(void)
{
	test_tmpdir(dir, sizeof dir);
	put("root.txt", "root");
}

static void dir_teardown(void)
{
	test_rmtree(dir);
	teardown();
}

static void dir_reject(const char *needle)
{
	struct loader_tree t;
	ck_assert_int_eq(loader_read_dir(dir, NULL, &rules, &t, &err), PACKAGE_E_INVALID);
	ck_assert_msg(err && strstr(err, needle), "error '%s' lacks '%s'", err ? err : "(none)", needle);
}

START_TEST(dir_loads_and_skips_hidden)
{
	put(".hidden", "no");
	char sub[300];
	snprintf(sub, sizeof sub, "%s/sub", dir);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	put("sub/in", "yes");
	snprintf(sub, sizeof sub, "%s/sub/inner", dir);
	ck_assert_int_eq(symlink("../root.txt", sub), 0); /* inside: read as the file */
	struct loader_tree t;
	ck_assert_int_eq(loader_read_dir(dir, NULL, &rules, &t, &err), 0);
	ck_assert_uint_eq(t.nfiles, 3);
	ck_assert_str_eq(loader_find(&t, "sub/in")->data, "yes");
	ck_assert_str_eq(loader_find(&t, "sub/inner")->data, "root");
	ck_assert_ptr_null(loader_find(&t, ".hidden"));
	loader_release(&t);
}
END_TEST

START_TEST(dir_symlink_outside)
{
	char link[300];
	snprintf(link, sizeof link, "%s/passwd", dir);
	ck_assert_int_eq(symlink("/etc/passwd", link), 0);
	dir_reject("passwd: symbolic link points outside the package");
}
END_TEST

START_TEST(dir_fifo)
{
	char fifo[300];
	snprintf(fifo, sizeof fifo, "%s/pipe", dir);
	ck_assert_int_eq(mkfifo(fifo, 0644), 0);
	dir_reject("pipe: devices, pipes and sockets are not allowed");
}
END_TEST

START_TEST(dir_missing_is_errno)
{
	struct loader_tree t;
	ck_assert_int_lt(loader_read_dir("/nonexistent/verdict-loader", NULL, &rules, &t, &err), 0);
	ck_assert_ptr_null(err);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("loader");
	TCase *tc = tcase_create("zip");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, zip_loads_wanted_files_sorted);
	tcase_add_test(tc, zip_needs_the_marker);
	tcase_add_test(tc, zip_traversal);
	tcase_add_test(tc, zip_absolute_path);
	tcase_add_test(tc, zip_symlink);
	tcase_add_test(tc, zip_bomb);
	tcase_add_test(tc, zip_too_many_entries);
	suite_add_tcase(s, tc);
	tc = tcase_create("dir");
	tcase_add_checked_fixture(tc, dir_setup, dir_teardown);
	tcase_add_test(tc, dir_loads_and_skips_hidden);
	tcase_add_test(tc, dir_symlink_outside);
	tcase_add_test(tc, dir_fifo);
	tcase_add_test(tc, dir_missing_is_errno);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
