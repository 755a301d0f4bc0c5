/* Unit tests for util: ids, buffers, time formatting. */
#include <check.h>
#include <errno.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

START_TEST(parse_id_accepts_positive_decimals)
{
	int64_t v = 0;
	ck_assert(parse_id("42", &v));
	ck_assert_int_eq(v, 42);
	ck_assert(parse_id("9223372036854775807", &v));
	ck_assert_int_eq(v, INT64_MAX);
}
END_TEST

START_TEST(parse_id_rejects_everything_else)
{
	int64_t v = 7;
	const char *bad[] = {"", "0", "-1", "01", "1a", "abc", " 1", "9223372036854775808", "1.5"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(!parse_id(bad[i], &v), "accepted '%s'", bad[i]);
	ck_assert_int_eq(v, 7);
}
END_TEST

START_TEST(buf_grows_and_detaches)
{
	struct buf b;
	buf_init(&b);
	for (int i = 0; i < 1000; i++)
		buf_printf(&b, "%d,", i);
	ck_assert_uint_eq(b.len, strlen(b.data));
	ck_assert(strncmp(b.data, "0,1,2,", 6) == 0);
	size_t len = 0;
	char *s = buf_detach(&b, &len);
	ck_assert_uint_eq(len, strlen(s));
	ck_assert_ptr_null(b.data);
	free(s);
}
END_TEST

START_TEST(buf_printf_longer_than_the_spare_room)
{
	struct buf b;
	buf_init(&b);
	buf_adds(&b, "x");
	char big[300];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	buf_printf(&b, "[%s]%d", big, 7);
	ck_assert_uint_eq(b.len, 1 + 1 + 299 + 1 + 1);
	ck_assert_uint_eq(strlen(b.data), b.len);
	ck_assert(b.data[0] == 'x' && b.data[1] == '[' && b.data[301] == ']' && b.data[302] == '7');
	buf_printf(&b, "%s", "");
	ck_assert_uint_eq(b.len, 303);
	buf_release(&b);
}
END_TEST

/* fd_read_buf: everything after what b holds, NUL-terminated, and -EFBIG past max. */
START_TEST(fd_read_buf_appends_up_to_max)
{
	char data[70000];
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (char)('a' + i % 26);
	for (size_t max = sizeof data + 2; max >= sizeof data + 1; max--) {
		int fd = memfd_from("t", data, sizeof data);
		ck_assert_int_ge(fd, 0);
		struct buf b;
		buf_init(&b);
		buf_add(&b, "xy", 2);
		int rc = fd_read_buf(fd, &b, max);
		close(fd);
		if (max == sizeof data + 2) {
			ck_assert_int_eq(rc, 0);
			ck_assert_uint_eq(b.len, sizeof data + 2);
			ck_assert_int_eq(memcmp(b.data + 2, data, sizeof data), 0);
			ck_assert_int_eq(b.data[b.len], '\0');
		} else {
			ck_assert_int_eq(rc, -EFBIG);
		}
		buf_release(&b);
	}
	int fd = memfd_from("empty", "", 0);
	struct buf b;
	buf_init(&b);
	ck_assert_int_eq(fd_read_buf(fd, &b, 0), 0);
	close(fd);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_int_eq(b.data[0], '\0');
	buf_release(&b);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("util");
	tcase_add_test(tc, parse_id_accepts_positive_decimals);
	tcase_add_test(tc, parse_id_rejects_everything_else);
	tcase_add_test(tc, buf_grows_and_detaches);
	tcase_add_test(tc, buf_printf_longer_than_the_spare_room);
	tcase_add_test(tc, fd_read_buf_appends_up_to_max);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
