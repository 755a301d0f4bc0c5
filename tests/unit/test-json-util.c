/* Unit tests for json_util: lossy UTF-8 and the typed field readers. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_util.h"
#include "util.h"

#define FFFD "\xEF\xBF\xBD"

static void expect_lossy(const char *in, size_t len, const char *want, size_t want_len)
{
	json_t *j = json_string_lossy(in, len);
	ck_assert_ptr_nonnull(j);
	ck_assert_uint_eq(json_string_length(j), want_len);
	ck_assert_msg(memcmp(json_string_value(j), want, want_len) == 0, "lossy('%.*s') = '%s'", (int)len, in,
		      json_string_value(j));
	json_decref(j);
}

#define LOSSY(in, want) expect_lossy(in, sizeof(in) - 1, want, sizeof(want) - 1)

START_TEST(valid_utf8_is_kept)
{
	LOSSY("", "");
	LOSSY("plain ascii\n\t", "plain ascii\n\t");
	LOSSY("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9D\x84\x9E", "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9D\x84\x9E");
	LOSSY("\xF4\x8F\xBF\xBF", "\xF4\x8F\xBF\xBF"); /* U+10FFFF, the largest */
	LOSSY("a\0b", "a\0b");                         /* NUL is valid UTF-8; the length says where it ends */
}
END_TEST

START_TEST(invalid_bytes_become_replacement_characters)
{
	LOSSY("\xFF", FFFD);
	LOSSY("a\xFE" "b", "a" FFFD "b");
	LOSSY("ab\xC3", "ab" FFFD);                              /* truncated at the end */
	LOSSY("\xE2\x82" "x", FFFD FFFD "x");                    /* truncated in the middle */
	LOSSY("\x80", FFFD);                                     /* lone continuation byte */
	LOSSY("\xC0\xAF", FFFD FFFD);                            /* overlong '/' */
	LOSSY("\xE0\x80\xAF", FFFD FFFD FFFD);                   /* overlong, 3 bytes */
	LOSSY("\xED\xA0\x80", FFFD FFFD FFFD);                   /* UTF-16 surrogate */
	LOSSY("\xF4\x90\x80\x80", FFFD FFFD FFFD FFFD);          /* above U+10FFFF */
	LOSSY("\xF8\x88\x80\x80\x80", FFFD FFFD FFFD FFFD FFFD); /* 5-byte form */
	LOSSY("ok \xC3\xA9\xFFok", "ok \xC3\xA9" FFFD "ok");
}
END_TEST

START_TEST(lossy_handles_large_input)
{
	size_t n = 1 << 20;
	char *in = malloc(n);
	for (size_t i = 0; i < n; i++)
		in[i] = (char)(i % 3 == 0 ? 0xFF : 'a');
	json_t *j = json_string_lossy(in, n);
	ck_assert_ptr_nonnull(j);
	/* each 0xFF (1 byte) becomes 3 bytes */
	ck_assert_uint_eq(json_string_length(j), n + 2 * ((n + 2) / 3));
	json_decref(j);
	free(in);
}
END_TEST

/* ---- writing JSON text ---- */

/* json_buf_string's literal reads back as the string json_string_lossy makes. */
static void expect_literal(const char *in, size_t len)
{
	struct buf b;
	buf_init(&b);
	buf_adds(&b, "[");
	json_buf_string(&b, in, len);
	buf_adds(&b, "]");
	json_error_t e;
	json_t *parsed = json_loadb(b.data, b.len, JSON_ALLOW_NUL, &e);
	ck_assert_msg(parsed != NULL, "not JSON: %s: %s", e.text, b.data);
	json_t *want = json_string_lossy(in, len);
	ck_assert_msg(json_equal(json_array_get(parsed, 0), want), "'%s' != '%s'", b.data, json_string_value(want));
	json_decref(want);
	json_decref(parsed);
	buf_release(&b);
}

#define LITERAL(s) expect_literal(s, sizeof(s) - 1)

START_TEST(string_literals)
{
	LITERAL("");
	LITERAL("plain");
	LITERAL("quote \" backslash \\ slash /");
	LITERAL("\b\f\n\r\t\x01\x1f\x7f");
	LITERAL("a\0b");
	LITERAL("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9D\x84\x9E");
	LITERAL("\xFF\xC3\xED\xA0\x80 \xF4\x90\x80\x80 end\xE2\x82");
	struct buf b;
	buf_init(&b);
	json_buf_string(&b, "a\"\n\x01", 4);
	ck_assert_str_eq(b.data, "\"a\\\"\\n\\u0001\"");
	buf_release(&b);
	/* Every single byte. */
	for (int c = 0; c < 256; c++) {
		char one = (char)c;
		expect_literal(&one, 1);
	}
}
END_TEST

START_TEST(numbers)
{
	static const int64_t ints[] = {0, 1, -1, 9, 10, -10, 1234567890, INT64_MAX, INT64_MIN};
	static const char *const want[] = {"0", "1", "-1", "9", "10", "-10", "1234567890", "9223372036854775807",
					   "-9223372036854775808"};
	for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
		struct buf b;
		buf_init(&b);
		json_buf_int(&b, ints[i]);
		ck_assert_str_eq(b.data, want[i]);
		buf_release(&b);
	}
	static const double reals[] = {0, 100, -2.5, 0.1, 1e-7, -3e-7, 123456789.125, 1e300, 1e21, 1e-300, 5e-324};
	for (size_t i = 0; i < sizeof reals / sizeof reals[0]; i++) {
		struct buf b;
		buf_init(&b);
		json_buf_real(&b, reals[i]);
		json_t *j = json_loadb(b.data, b.len, JSON_DECODE_ANY, NULL);
		ck_assert_msg(json_is_real(j), "'%s' does not read back as a real", b.data);
		ck_assert_msg(json_real_value(j) == reals[i], "'%s' is not %.17g", b.data, reals[i]);
		/* What jansson itself writes reads back the same, and is the same bytes. */
		json_t *mine = json_real(reals[i]);
		ck_assert(json_equal(j, mine));
		char *theirs = json_dumps(mine, JSON_ENCODE_ANY);
		ck_assert_str_eq(b.data, theirs);
		free(theirs);
		json_decref(mine);
		json_decref(j);
		buf_release(&b);
	}
}
END_TEST

/* ---- field readers ---- */

static json_t *obj;
static char *err;

static void setup(void)
{
	obj = json_loads("{\"s\": \"hello\", \"empty\": \"\", \"nul\": \"a\\u0000b\", \"i\": 42, \"neg\": -7,"
			 " \"f\": 1.5, \"whole\": 2.0, \"t\": true, \"no\": false, \"null\": null, \"arr\": [1],"
			 " \"o\": {}, \"big\": 9223372036854775807}",
			 JSON_ALLOW_NUL, NULL);
	ck_assert_ptr_nonnull(obj);
	err = NULL;
}

static void teardown(void)
{
	json_decref(obj);
	free(err);
}

/* The reader failed: *err says so, naming the field. */
static void expect_error(int rc, const char *field, const char *words)
{
	ck_assert_int_eq(rc, JSON_E_INVALID);
	ck_assert_ptr_nonnull(err);
	char quoted[64];
	snprintf(quoted, sizeof quoted, "'%s'", field);
	ck_assert_msg(strstr(err, quoted) != NULL, "'%s' does not name %s", err, quoted);
	ck_assert_msg(strstr(err, words) != NULL, "'%s' does not say '%s'", err, words);
	free(err);
	err = NULL;
}

START_TEST(get_string)
{
	const char *out = "unchanged";
	ck_assert_int_eq(json_get_string(obj, "s", true, 5, &out, &err), 0);
	ck_assert_str_eq(out, "hello");
	ck_assert_int_eq(json_get_string(obj, "empty", true, 5, &out, &err), 0);
	ck_assert_str_eq(out, "");
	out = "unchanged";
	ck_assert_int_eq(json_get_string(obj, "absent", false, 5, &out, &err), 0);
	ck_assert_int_eq(json_get_string(obj, "null", false, 5, &out, &err), 0);
	ck_assert_str_eq(out, "unchanged");
	ck_assert_ptr_null(err);
	expect_error(json_get_string(obj, "absent", true, 5, &out, &err), "absent", "required");
	expect_error(json_get_string(obj, "null", true, 5, &out, &err), "null", "must be a string");
	expect_error(json_get_string(obj, "s", true, 4, &out, &err), "s", "longer than 4");
	expect_error(json_get_string(obj, "i", false, 5, &out, &err), "i", "must be a string");
	expect_error(json_get_string(obj, "arr", false, 5, &out, &err), "arr", "must be a string");
	expect_error(json_get_string(obj, "nul", false, 5, &out, &err), "nul", "NUL");
	ck_assert_str_eq(out, "unchanged");
}
END_TEST

START_TEST(get_int)
{
	int64_t out = -1;
	ck_assert_int_eq(json_get_int(obj, "i", true, 42, 42, &out, &err), 0);
	ck_assert_int_eq(out, 42);
	ck_assert_int_eq(json_get_int(obj, "big", true, 0, INT64_MAX, &out, &err), 0);
	ck_assert_int_eq(out, INT64_MAX);
	out = -1;
	ck_assert_int_eq(json_get_int(obj, "absent", false, 0, 10, &out, &err), 0);
	ck_assert_int_eq(json_get_int(obj, "null", false, 0, 10, &out, &err), 0);
	ck_assert_int_eq(out, -1);
	expect_error(json_get_int(obj, "absent", true, 0, 10, &out, &err), "absent", "required");
	expect_error(json_get_int(obj, "i", true, 43, 100, &out, &err), "i", "between 43 and 100");
	expect_error(json_get_int(obj, "i", true, 0, 41, &out, &err), "i", "between 0 and 41");
	expect_error(json_get_int(obj, "neg", true, 0, 41, &out, &err), "neg", "between");
	expect_error(json_get_int(obj, "f", true, 0, 10, &out, &err), "f", "must be an integer");
	expect_error(json_get_int(obj, "whole", true, 0, 10, &out, &err), "whole", "must be an integer");
	expect_error(json_get_int(obj, "s", true, 0, 10, &out, &err), "s", "must be an integer");
	expect_error(json_get_int(obj, "t", true, 0, 10, &out, &err), "t", "must be an integer");
	expect_error(json_get_int(obj, "null", true, 0, 10, &out, &err), "null", "must be an integer");
	ck_assert_int_eq(out, -1);
}
END_TEST

START_TEST(get_number)
{
	double out = -1;
	ck_assert_int_eq(json_get_number(obj, "f", true, &out, &err), 0);
	ck_assert(out == 1.5);
	ck_assert_int_eq(json_get_number(obj, "i", true, &out, &err), 0);
	ck_assert(out == 42);
	out = -1;
	ck_assert_int_eq(json_get_number(obj, "absent", false, &out, &err), 0);
	ck_assert(out == -1);
	expect_error(json_get_number(obj, "absent", true, &out, &err), "absent", "required");
	expect_error(json_get_number(obj, "s", true, &out, &err), "s", "must be a number");
	expect_error(json_get_number(obj, "t", false, &out, &err), "t", "must be a number");
	expect_error(json_get_number(obj, "o", false, &out, &err), "o", "must be a number");
}
END_TEST

START_TEST(get_bool)
{
	bool out = false;
	ck_assert_int_eq(json_get_bool(obj, "t", true, &out, &err), 0);
	ck_assert(out);
	ck_assert_int_eq(json_get_bool(obj, "no", true, &out, &err), 0);
	ck_assert(!out);
	out = true;
	ck_assert_int_eq(json_get_bool(obj, "absent", false, &out, &err), 0);
	ck_assert(out);
	expect_error(json_get_bool(obj, "absent", true, &out, &err), "absent", "required");
	expect_error(json_get_bool(obj, "i", true, &out, &err), "i", "true or false");
	expect_error(json_get_bool(obj, "s", true, &out, &err), "s", "true or false");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("json_util");
	TCase *tc = tcase_create("lossy");
	tcase_add_test(tc, valid_utf8_is_kept);
	tcase_add_test(tc, invalid_bytes_become_replacement_characters);
	tcase_add_test(tc, lossy_handles_large_input);
	suite_add_tcase(s, tc);
	tc = tcase_create("writing");
	tcase_add_test(tc, string_literals);
	tcase_add_test(tc, numbers);
	suite_add_tcase(s, tc);
	tc = tcase_create("readers");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, get_string);
	tcase_add_test(tc, get_int);
	tcase_add_test(tc, get_number);
	tcase_add_test(tc, get_bool);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
