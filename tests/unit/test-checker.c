/* Unit tests for checker: every comparison rule with passing and failing
 * cases, configuration parsing, and large streams through pipes. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "checker.h"
#include "util.h"

static int memfd_with(const char *data, size_t len)
{
	int fd = memfd_create("checker-test", MFD_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write_all(fd, data, len), 0);
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

static char last_msg[512];

static int compare_n(const struct checker *c, const char *out, size_t olen, const char *ans, size_t alen)
{
	int fo = memfd_with(out, olen), fa = memfd_with(ans, alen);
	int rc = checker_compare(c, fo, fa, last_msg, sizeof last_msg);
	close(fo);
	close(fa);
	return rc;
}

static int compare(const struct checker *c, const char *out, const char *ans)
{
	return compare_n(c, out, strlen(out), ans, strlen(ans));
}

#define ACCEPTS(c, out, ans) \
	ck_assert_msg(compare((c), (out), (ans)) == CHECKER_ACCEPTED, "%s: expected AC for output \"%s\" answer \"%s\": %s", \
	              checker_type_name((c)->type), out, ans, last_msg)
#define REJECTS(c, out, ans) \
	ck_assert_msg(compare((c), (out), (ans)) == CHECKER_WRONG, "%s: expected WA for output \"%s\" answer \"%s\"", \
	              checker_type_name((c)->type), out, ans)

static struct checker make(enum checker_type t)
{
	struct checker c;
	checker_init(&c, t);
	return c;
}

static struct checker kattis(bool case_sensitive, bool space_sensitive, double abs_tol, double rel_tol)
{
	struct checker c = make(CHECKER_KATTIS);
	c.case_sensitive = case_sensitive;
	c.space_change_sensitive = space_sensitive;
	c.float_abs = abs_tol;
	c.float_rel = rel_tol;
	return c;
}

/* exact */

START_TEST(exact_accepts_trailing_whitespace_and_blank_lines)
{
	struct checker c = make(CHECKER_EXACT);
	ACCEPTS(&c, "1 2\n3\n", "1 2\n3\n");
	ACCEPTS(&c, "1 2\n3", "1 2\n3\n");           /* missing final newline */
	ACCEPTS(&c, "1 2   \n3\t\n", "1 2\n3\n");    /* trailing spaces and tabs */
	ACCEPTS(&c, "1 2\n3\n", "1 2  \n3 \n");      /* ... on the answer's side too */
	ACCEPTS(&c, "a\r\nb\r\n", "a\nb\n");         /* CRLF */
	ACCEPTS(&c, "a\n\n\n \n", "a\n");            /* trailing blank lines */
	ACCEPTS(&c, "a", "a\n\n\t\n");
	ACCEPTS(&c, "", "");
	ACCEPTS(&c, "\n\n", "");
	ACCEPTS(&c, "", "\n");
	ACCEPTS(&c, "  x y", "  x y");               /* leading whitespace kept */
}
END_TEST

START_TEST(exact_rejects_other_differences)
{
	struct checker c = make(CHECKER_EXACT);
	REJECTS(&c, "1  2\n", "1 2\n");              /* whitespace inside a line */
	REJECTS(&c, "1\t2\n", "1 2\n");
	REJECTS(&c, " 1\n", "1\n");                  /* leading whitespace */
	REJECTS(&c, "1\n", " 1\n");
	REJECTS(&c, "a\n\nb\n", "a\nb\n");           /* blank line in the middle */
	REJECTS(&c, "a\nb\n", "a\n\nb\n");
	REJECTS(&c, "A\n", "a\n");                   /* case */
	REJECTS(&c, "1 2\n", "1\n2\n");              /* line structure */
	REJECTS(&c, "12\n", "1\n");
	REJECTS(&c, "1\n", "12\n");
	REJECTS(&c, "a\nb\n", "a\n");                /* extra output */
	REJECTS(&c, "a\n", "a\nb\n");                /* missing output */
	REJECTS(&c, "", "a\n");                      /* empty output */
	REJECTS(&c, "a  x\n", "a\n");
}
END_TEST

START_TEST(exact_treats_nul_and_invalid_utf8_as_bytes)
{
	struct checker c = make(CHECKER_EXACT);
	ck_assert_int_eq(compare_n(&c, "a\0b\n", 4, "a\0b\n", 4), CHECKER_ACCEPTED);
	ck_assert_int_eq(compare_n(&c, "a\0b\n", 4, "a\0c\n", 4), CHECKER_WRONG);
	ck_assert_int_eq(compare_n(&c, "a\0\n", 3, "a\n", 2), CHECKER_WRONG); /* NUL is not whitespace */
	ck_assert_int_eq(compare_n(&c, "\xff\xfe\n", 3, "\xff\xfe", 2), CHECKER_ACCEPTED);
	ck_assert_int_eq(compare_n(&c, "\xff\xfe\n", 3, "\xff\xfd\n", 3), CHECKER_WRONG);
	ck_assert_ptr_nonnull(strstr(last_msg, "\\xfe"));
}
END_TEST

START_TEST(exact_messages_name_the_line)
{
	struct checker c = make(CHECKER_EXACT);
	REJECTS(&c, "1\n2\n13\n", "1\n2\n12\n");
	ck_assert_str_eq(last_msg, "line 3: expected '12', got '13'");
	REJECTS(&c, "1\n2\n", "1\n");
	ck_assert_str_eq(last_msg, "line 2: extra output after the end of the answer: '2'");
	REJECTS(&c, "", "7\n");
	ck_assert_str_eq(last_msg, "line 1: expected '7', got end of output (the output is empty)");
}
END_TEST

/* tokens */

START_TEST(tokens_accept_any_whitespace)
{
	struct checker c = make(CHECKER_TOKENS);
	ACCEPTS(&c, "1 2\n", "1\n2");
	ACCEPTS(&c, "  1 \t\r\n\v\f 2  \n\n", "1 2\n");
	ACCEPTS(&c, "", "");
	ACCEPTS(&c, " \n", "");
	ACCEPTS(&c, "a b c", "a b c\n");
	ck_assert_int_eq(compare_n(&c, "x\0y z", 5, "x\0y\nz", 5), CHECKER_ACCEPTED);
	ck_assert_int_eq(compare_n(&c, "\xc3\x28 q", 4, "\xc3\x28\nq\n", 5), CHECKER_ACCEPTED);
}
END_TEST

START_TEST(tokens_reject_different_tokens)
{
	struct checker c = make(CHECKER_TOKENS);
	REJECTS(&c, "Yes\n", "yes\n");               /* case-sensitive */
	REJECTS(&c, "1.0\n", "1\n");                 /* no numeric comparison */
	REJECTS(&c, "12\n", "123\n");
	REJECTS(&c, "123\n", "12\n");
	REJECTS(&c, "1\n", "1 2\n");                 /* missing token */
	REJECTS(&c, "1 2 3\n", "1 2\n");             /* extra token */
	REJECTS(&c, "", "1\n");
	REJECTS(&c, "12\n", "1 2\n");
	ck_assert_int_eq(compare_n(&c, "x\0y", 3, "x\0z", 3), CHECKER_WRONG);
	ck_assert_int_eq(compare_n(&c, "\xc3\x28", 2, "\xc3\x29", 2), CHECKER_WRONG);
}
END_TEST

START_TEST(tokens_messages)
{
	struct checker c = make(CHECKER_TOKENS);
	REJECTS(&c, "1\n2\n13\n", "1\n2\n12\n");
	ck_assert_str_eq(last_msg, "line 3: expected '12', got '13'");
	REJECTS(&c, "1 2\nextra\n", "1 2\n");
	ck_assert_str_eq(last_msg, "line 2: extra output after the end of the answer: 'extra'");
	REJECTS(&c, "1\n", "1 2\n");
	ck_assert_str_eq(last_msg, "line 2: expected '2', got end of output");
	REJECTS(&c, "", "5\n");
	ck_assert_str_eq(last_msg, "line 1: expected '5', got end of output (the output is empty)");
	REJECTS(&c, "it's\n", "a\\b\n");
	ck_assert_str_eq(last_msg, "line 1: expected 'a\\\\b', got 'it\\'s'");
}
END_TEST

/* float */

START_TEST(float_accepts_within_abs_or_rel)
{
	struct checker c = make(CHECKER_FLOAT);
	c.float_abs = 1e-6;
	c.float_rel = 1e-6;
	ACCEPTS(&c, "1.0000005\n", "1\n");           /* abs */
	ACCEPTS(&c, "1000000.9\n", "1000000\n");     /* rel: 0.9 <= 1e-6 * 1e6 */
	ACCEPTS(&c, "3.14000000e-2\n", "0.0314\n");
	ACCEPTS(&c, "+1 .5 5. -0\n", "1 0.5 5 0\n");
	ACCEPTS(&c, "2.5E+3 x\n", "2500 x\n");
	ACCEPTS(&c, "abc 0x10 nan inf 1e999\n", "abc 0x10 nan inf 1e999\n"); /* same non-numbers */
	c.float_abs = 1e-9;                          /* either tolerance suffices */
	c.float_rel = 1e-3;
	ACCEPTS(&c, "1.0005\n", "1\n");
	c.float_abs = 1e-3;
	c.float_rel = 1e-9;
	ACCEPTS(&c, "1.0005\n", "1\n");
	c.float_abs = NAN;                           /* only rel given */
	c.float_rel = 1e-3;
	ACCEPTS(&c, "0\n", "0\n");
	ACCEPTS(&c, "1001\n", "1000\n");
}
END_TEST

START_TEST(float_rejects_outside_tolerance_and_non_numbers)
{
	struct checker c = make(CHECKER_FLOAT);
	c.float_abs = 1e-6;
	c.float_rel = 1e-6;
	REJECTS(&c, "1.00001\n", "1\n");
	REJECTS(&c, "1000002\n", "1000000\n");
	REJECTS(&c, "-1\n", "1\n");
	REJECTS(&c, "one\n", "1\n");
	REJECTS(&c, "nan\n", "1\n");
	REJECTS(&c, "inf\n", "1e308\n");
	REJECTS(&c, "0x1p0\n", "1\n");               /* hex is not a number here */
	REJECTS(&c, "16\n", "0x10\n");
	REJECTS(&c, "1,5\n", "1.5\n");
	REJECTS(&c, "1e\n", "1\n");
	REJECTS(&c, "ABC\n", "abc\n");               /* strings stay case-sensitive */
	REJECTS(&c, "1\n", "1 2\n");
	c.float_abs = NAN;                           /* only rel given */
	c.float_rel = 1e-3;
	REJECTS(&c, "0.001\n", "0\n");
	REJECTS(&c, "1002\n", "1000\n");
	ck_assert_ptr_nonnull(strstr(last_msg, "expected '1000', got '1002'"));
}
END_TEST

START_TEST(float_default_tolerance)
{
	struct checker c = make(CHECKER_FLOAT);
	ck_assert(c.float_abs == CHECKER_FLOAT_DEFAULT_TOLERANCE);
	ACCEPTS(&c, "0.3333330\n", "0.3333333\n");
	REJECTS(&c, "0.33333\n", "0.3333333\n");
}
END_TEST

START_TEST(float_long_numbers_are_strings)
{
	struct checker c = make(CHECKER_FLOAT);
	/* 2000 digits: over the number cap, so compared as strings */
	char *a = xmalloc(2002), *b = xmalloc(2002);
	memset(a, '1', 2000);
	memcpy(b, a, 2000);
	a[2000] = b[2000] = '\n';
	a[2001] = b[2001] = '\0';
	ACCEPTS(&c, a, b);
	b[1999] = '2';
	REJECTS(&c, a, b);
	/* 1000 characters: parsed, and equal within tolerance */
	a[0] = '0';
	a[1] = '.';
	a[1000] = '\n';
	a[1001] = '\0';
	ACCEPTS(&c, a, "0.111111111111111111\n");
	REJECTS(&c, a, "0.1111\n");
	free(a);
	free(b);
}
END_TEST

/* kattis */

START_TEST(kattis_defaults_ignore_case_and_space)
{
	struct checker c = make(CHECKER_KATTIS);
	ACCEPTS(&c, "YES\n", "yes\n");
	ACCEPTS(&c, "  Hello   World  ", "hello world\n");
	ACCEPTS(&c, "", "");
	ACCEPTS(&c, "\n \n", "");
	REJECTS(&c, "1.0\n", "1\n");                 /* no tolerance given: strings */
	REJECTS(&c, "yes no\n", "yes\n");
	REJECTS(&c, "\xc3\x89\n", "\xc3\xa9\n");     /* only ASCII letters fold */
	REJECTS(&c, "", "yes\n");
	ck_assert_ptr_nonnull(strstr(last_msg, "output is empty"));
}
END_TEST

START_TEST(kattis_case_sensitive)
{
	struct checker c = kattis(true, false, NAN, NAN);
	ACCEPTS(&c, "Yes\n", "Yes");
	REJECTS(&c, "YES\n", "yes\n");
	REJECTS(&c, "yes\n", "Yes\n");
}
END_TEST

START_TEST(kattis_space_change_sensitive)
{
	struct checker c = kattis(false, true, NAN, NAN);
	ACCEPTS(&c, "1 2\n", "1 2\n");
	ACCEPTS(&c, "A b\n", "a B\n");               /* still case-insensitive */
	ACCEPTS(&c, "", "");
	REJECTS(&c, "1  2\n", "1 2\n");
	ck_assert_str_eq(last_msg, "line 1: whitespace differs: expected '2', got ' '");
	REJECTS(&c, "1 2\n", "1  2\n");
	ck_assert_str_eq(last_msg, "line 1: whitespace differs: expected ' ', got '2'");
	REJECTS(&c, "1\t2\n", "1 2\n");
	REJECTS(&c, "1 2", "1 2\n");                 /* missing final newline */
	REJECTS(&c, "1 2\n\n", "1 2\n");             /* extra blank line */
	ck_assert_str_eq(last_msg, "line 2: whitespace differs: expected end of file, got '\\n'");
	REJECTS(&c, " 1 2\n", "1 2\n");
	REJECTS(&c, "1 2\r\n", "1 2\n");
	REJECTS(&c, "\n", "");
	REJECTS(&c, "12\n", "1 2\n");
	ck_assert_str_eq(last_msg, "line 1: expected '1', got '12'");
	REJECTS(&c, "1\n2\n", "1 2\n");
	ck_assert_str_eq(last_msg, "line 1: whitespace differs: expected ' ', got '\\n'");
}
END_TEST

START_TEST(kattis_float_tolerance)
{
	struct checker c = kattis(false, false, 1e-6, 1e-6);
	ACCEPTS(&c, "1.0000005 YES\n", "1 yes\n");
	ACCEPTS(&c, "1e6\n", "1000000.5\n");
	ACCEPTS(&c, "INF\n", "inf\n");               /* not numbers: case-insensitive strings */
	REJECTS(&c, "1.0001\n", "1\n");
	REJECTS(&c, "x\n", "1\n");                   /* a number in the answer needs a number */
	ck_assert_str_eq(last_msg, "line 1: expected a number close to '1', got 'x'");
	REJECTS(&c, "0x1\n", "1\n");
	c = kattis(false, false, 1e-3, NAN);         /* absolute only */
	ACCEPTS(&c, "1000.0009\n", "1000\n");
	REJECTS(&c, "1000.002\n", "1000\n");
	c = kattis(false, false, NAN, 1e-3);         /* relative only */
	ACCEPTS(&c, "1000.9\n", "1000\n");
	REJECTS(&c, "0.0001\n", "0\n");
	c = kattis(true, true, 1e-2, 1e-2);          /* everything on */
	ACCEPTS(&c, "1.001 Ok\n", "1 Ok\n");
	REJECTS(&c, "1.001 ok\n", "1 Ok\n");
	REJECTS(&c, "1.001  Ok\n", "1 Ok\n");
}
END_TEST

START_TEST(kattis_long_tokens_fold_case_while_streaming)
{
	struct checker c = make(CHECKER_KATTIS);
	size_t n = 5000;
	char *a = xmalloc(n + 2), *b = xmalloc(n + 2);
	for (size_t i = 0; i < n; i++) {
		a[i] = (char)('a' + i % 26);
		b[i] = (char)('A' + i % 26);
	}
	a[n] = b[n] = '\n';
	a[n + 1] = b[n + 1] = '\0';
	ACCEPTS(&c, a, b);
	b[n - 1] = '!';
	REJECTS(&c, a, b);
	b[n - 1] = '\n';                             /* answer token is one byte shorter */
	REJECTS(&c, a, b);
	c.case_sensitive = true;
	memcpy(b, a, n + 2);
	ACCEPTS(&c, a, b);
	b[3000] = 'X';
	REJECTS(&c, a, b);
	free(a);
	free(b);
}
END_TEST

/* misc */

START_TEST(compare_reads_from_current_offset)
{
	struct checker c = make(CHECKER_TOKENS);
	int fo = memfd_with("garbage 42\n", 11), fa = memfd_with("42\n", 3);
	ck_assert_int_eq(checker_compare(&c, fo, fa, last_msg, sizeof last_msg), CHECKER_WRONG);
	ck_assert_int_eq(lseek(fo, 8, SEEK_SET), 8);
	ck_assert_int_eq(lseek(fa, 0, SEEK_SET), 0);
	ck_assert_int_eq(checker_compare(&c, fo, fa, NULL, 0), CHECKER_ACCEPTED);
	close(fo);
	close(fa);
}
END_TEST

START_TEST(compare_reports_read_errors)
{
	struct checker c = make(CHECKER_TOKENS);
	int fa = memfd_with("1\n", 2);
	int dir = open(".", O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(dir, 0);
	ck_assert_int_eq(checker_compare(&c, dir, fa, last_msg, sizeof last_msg), -EISDIR);
	ck_assert_ptr_nonnull(strstr(last_msg, "cannot read output"));
	ck_assert_int_eq(lseek(fa, 0, SEEK_SET), 0);
	c = make(CHECKER_EXACT);
	ck_assert_int_eq(checker_compare(&c, fa, dir, NULL, 0), -EISDIR);
	c = make(CHECKER_CUSTOM);
	ck_assert_int_eq(checker_compare(&c, fa, fa, NULL, 0), -EINVAL);
	close(dir);
	close(fa);
}
END_TEST

START_TEST(small_message_buffers_are_safe)
{
	struct checker c = make(CHECKER_TOKENS);
	char tiny[8];
	memset(tiny, 'z', sizeof tiny);
	int fo = memfd_with("aaaaaaaaaaaaaaaaaaaa\n", 21), fa = memfd_with("b\n", 2);
	ck_assert_int_eq(checker_compare(&c, fo, fa, tiny, sizeof tiny), CHECKER_WRONG);
	ck_assert_uint_eq(strlen(tiny), sizeof tiny - 1);
	close(fo);
	close(fa);
}
END_TEST

/* configuration */

static int from_json(const char *text, struct checker *c, char **err)
{
	json_error_t jerr;
	json_t *j = json_loads(text, 0, &jerr);
	ck_assert_msg(j != NULL, "bad test JSON %s", text);
	*err = NULL;
	int rc = checker_from_json(j, c, err);
	json_decref(j);
	return rc;
}

START_TEST(json_parses_every_type)
{
	struct checker c;
	char *err;
	ck_assert_int_eq(from_json("{\"type\": \"exact\"}", &c, &err), 0);
	ck_assert_int_eq(c.type, CHECKER_EXACT);
	ck_assert_int_eq(from_json("{\"type\": \"tokens\"}", &c, &err), 0);
	ck_assert_int_eq(c.type, CHECKER_TOKENS);
	ck_assert_int_eq(from_json("{\"type\": \"custom\"}", &c, &err), 0);
	ck_assert_int_eq(c.type, CHECKER_CUSTOM);
	ck_assert(!c.interactive && c.passes == 1);
	ck_assert_int_eq(from_json("{\"type\": \"custom\", \"interactive\": true, \"passes\": 3}", &c, &err), 0);
	ck_assert(c.type == CHECKER_CUSTOM && c.interactive && c.passes == 3);
	ck_assert_int_eq(from_json("{\"type\":\"float\",\"abs\":1e-4,\"rel\":0.01}", &c, &err), 0);
	ck_assert_int_eq(c.type, CHECKER_FLOAT);
	ck_assert(c.float_abs == 1e-4 && c.float_rel == 0.01);
	ck_assert_int_eq(from_json("{\"type\":\"float\",\"rel\":1}", &c, &err), 0);
	ck_assert(isnan(c.float_abs) && c.float_rel == 1.0);
	ck_assert_int_eq(from_json("{\"type\":\"float\"}", &c, &err), 0);
	ck_assert(c.float_abs == 1e-6 && c.float_rel == 1e-6);
	ck_assert_int_eq(from_json("{\"type\":\"kattis\"}", &c, &err), 0);
	ck_assert(c.type == CHECKER_KATTIS && !c.case_sensitive && !c.space_change_sensitive);
	ck_assert(isnan(c.float_abs) && isnan(c.float_rel));
	ck_assert_int_eq(from_json("{\"type\":\"kattis\",\"case_sensitive\":true,\"space_change_sensitive\":true,"
	                           "\"float_abs\":null,\"float_rel\":0.5}", &c, &err), 0);
	ck_assert(c.case_sensitive && c.space_change_sensitive && isnan(c.float_abs) && c.float_rel == 0.5);
}
END_TEST

START_TEST(json_rejects_bad_objects)
{
	static const char *const bad[][2] = {
		{"[]", "must be an object"},
		{"{}", "'type' must be"},
		{"{\"type\": 3}", "'type' must be"},
		{"{\"type\": \"diff\"}", "unknown type 'diff'"},
		{"{\"type\": \"tokens\", \"abs\": 1}", "unknown key 'abs' for type 'tokens'"},
		{"{\"type\": \"float\", \"abs\": -1}", "'abs' must be a non-negative number"},
		{"{\"type\": \"float\", \"rel\": \"1e-6\"}", "'rel' must be a non-negative number"},
		{"{\"type\": \"kattis\", \"case_sensitive\": 1}", "'case_sensitive' must be true or false"},
		{"{\"type\": \"kattis\", \"float_abs\": true}", "'float_abs' must be"},
		{"{\"type\": \"kattis\", \"float\": 1}", "unknown key 'float'"},
		{"{\"type\": \"custom\", \"interactive\": 1}", "'interactive' must be true or false"},
		{"{\"type\": \"custom\", \"passes\": 0}", "'passes' must be a whole number"},
		{"{\"type\": \"custom\", \"passes\": 1.5}", "'passes' must be a whole number"},
		{"{\"type\": \"tokens\", \"interactive\": true}", "unknown key 'interactive'"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct checker c = make(CHECKER_EXACT);
		char *err;
		ck_assert_int_eq(from_json(bad[i][0], &c, &err), CHECKER_E_INVALID);
		ck_assert_msg(err && strstr(err, bad[i][1]), "%s: got '%s'", bad[i][0], err);
		ck_assert_int_eq(c.type, CHECKER_EXACT); /* untouched */
		free(err);
	}
}
END_TEST

START_TEST(json_round_trips)
{
	struct checker in[] = {make(CHECKER_EXACT), make(CHECKER_TOKENS), make(CHECKER_FLOAT),
	                       kattis(true, false, 1e-9, NAN), kattis(false, true, NAN, NAN), make(CHECKER_CUSTOM)};
	in[2].float_abs = NAN;
	for (size_t i = 0; i < ARRAY_SIZE(in); i++) {
		json_t *j = checker_to_json(&in[i]);
		struct checker out;
		char *err = NULL;
		ck_assert_int_eq(checker_from_json(j, &out, &err), 0);
		ck_assert_int_eq(out.type, in[i].type);
		ck_assert_int_eq(out.case_sensitive, in[i].case_sensitive);
		ck_assert_int_eq(out.space_change_sensitive, in[i].space_change_sensitive);
		ck_assert(isnan(out.float_abs) == isnan(in[i].float_abs));
		ck_assert(isnan(out.float_abs) || out.float_abs == in[i].float_abs);
		ck_assert(isnan(out.float_rel) == isnan(in[i].float_rel));
		ck_assert(isnan(out.float_rel) || out.float_rel == in[i].float_rel);
		json_decref(j);
	}
	struct checker custom = make(CHECKER_CUSTOM);
	custom.interactive = true;
	custom.passes = 2;
	json_t *j = checker_to_json(&custom);
	char *s = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
	ck_assert_str_eq(s, "{\"interactive\":true,\"passes\":2,\"type\":\"custom\"}");
	free(s);
	json_decref(j);
	j = checker_to_json(&in[3]);
	s = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
	ck_assert_str_eq(s, "{\"case_sensitive\":true,\"float_abs\":1.0000000000000001e-9,\"float_rel\":null,"
	                    "\"space_change_sensitive\":false,\"type\":\"kattis\"}");
	free(s);
	json_decref(j);
}
END_TEST

START_TEST(kattis_flags_parse)
{
	struct checker c;
	char *err = NULL;
	ck_assert_int_eq(checker_from_kattis_flags(NULL, &c, &err), 0);
	ck_assert(c.type == CHECKER_KATTIS && !c.case_sensitive && !c.space_change_sensitive && isnan(c.float_abs));
	ck_assert_int_eq(checker_from_kattis_flags("  case_sensitive\tspace_change_sensitive ", &c, &err), 0);
	ck_assert(c.case_sensitive && c.space_change_sensitive && isnan(c.float_rel));
	ck_assert_int_eq(checker_from_kattis_flags("float_tolerance 1e-6", &c, &err), 0);
	ck_assert(c.float_abs == 1e-6 && c.float_rel == 1e-6);
	ck_assert_int_eq(checker_from_kattis_flags("case_sensitive space_change_sensitive float_tolerance 1e-6 "
	                                           "float_relative_tolerance 1e-4 float_absolute_tolerance 1e-5",
	                                           &c, &err), 0);
	ck_assert(c.case_sensitive && c.float_abs == 1e-5 && c.float_rel == 1e-4);
	ck_assert_int_eq(checker_from_kattis_flags("float_relative_tolerance .5", &c, &err), 0);
	ck_assert(isnan(c.float_abs) && c.float_rel == 0.5);

	static const char *const bad[][2] = {
		{"case_insensitive", "unknown flag 'case_insensitive'"},
		{"float_tolerance", "'float_tolerance' needs a non-negative number"},
		{"float_tolerance abc", "got 'abc'"},
		{"float_absolute_tolerance -1", "got '-1'"},
		{"float_relative_tolerance nan", "got 'nan'"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		err = NULL;
		ck_assert_int_eq(checker_from_kattis_flags(bad[i][0], &c, &err), CHECKER_E_INVALID);
		ck_assert_msg(err && strstr(err, bad[i][1]), "%s: got '%s'", bad[i][0], err);
		free(err);
	}
}
END_TEST

/* large streams */

/* Writes `total` bytes of a repeated pattern into fd, the last bytes replaced
 * by `tail`, then closes fd. Stops quietly when the reader goes away. */
struct writer {
	pthread_t thread;
	int fd;
	const char *pattern;
	size_t pattern_len;
	uint64_t total;
	const char *tail;
};

static void *writer_main(void *arg)
{
	struct writer *w = arg;
	size_t chunk = 1 << 16;
	char *buf = xmalloc(chunk);
	for (size_t i = 0; i < chunk; i++)
		buf[i] = w->pattern[i % w->pattern_len];
	/* whole patterns per chunk so the stream stays periodic */
	size_t per = chunk - chunk % w->pattern_len;
	uint64_t body = w->total;
	for (uint64_t done = 0; done < body;) {
		size_t n = body - done < per ? (size_t)(body - done) : per;
		if (write_all(w->fd, buf, n) < 0)
			goto out;
		done += n;
	}
	if (w->tail)
		(void)write_all(w->fd, w->tail, strlen(w->tail));
out:
	close(w->fd);
	free(buf);
	return NULL;
}

static int start_writer(struct writer *w, const char *pattern, uint64_t total, const char *tail)
{
	int p[2];
	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	w->fd = p[1];
	w->pattern = pattern;
	w->pattern_len = strlen(pattern);
	w->total = total;
	w->tail = tail;
	ck_assert_int_eq(pthread_create(&w->thread, NULL, writer_main, w), 0);
	return p[0];
}

static long max_rss_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static int compare_streams(const struct checker *c, const char *opat, uint64_t olen, const char *otail,
                           const char *apat, uint64_t alen, const char *atail)
{
	struct writer wo, wa;
	int fo = start_writer(&wo, opat, olen, otail);
	int fa = start_writer(&wa, apat, alen, atail);
	int rc = checker_compare(c, fo, fa, last_msg, sizeof last_msg);
	close(fo); /* unblocks a writer whose reader stopped early */
	close(fa);
	pthread_join(wo.thread, NULL);
	pthread_join(wa.thread, NULL);
	return rc;
}

#define MB (1024ull * 1024)

START_TEST(large_equal_streams_in_bounded_memory)
{
	long before = max_rss_kb();
	const char *pat = "12345 -6.5e1 word\n";  /* 18 bytes, a line of tokens */
	uint64_t n = 200 * MB / 18 * 18;
	struct checker c = make(CHECKER_TOKENS);
	ck_assert_int_eq(compare_streams(&c, pat, n, NULL, pat, n, NULL), CHECKER_ACCEPTED);
	n = 32 * MB / 18 * 18; /* the other rules share the streaming code: smaller */
	c = make(CHECKER_EXACT);
	ck_assert_int_eq(compare_streams(&c, pat, n, NULL, pat, n, NULL), CHECKER_ACCEPTED);
	c = kattis(false, false, 1e-6, 1e-6);
	ck_assert_int_eq(compare_streams(&c, pat, n, NULL, pat, n, NULL), CHECKER_ACCEPTED);
	long grown = max_rss_kb() - before;
	ck_assert_msg(grown < 16 * 1024, "peak memory grew by %ld KiB", grown);
}
END_TEST

START_TEST(large_streams_find_a_late_difference)
{
	const char *pat = "1 2 3\n";
	uint64_t n = 16 * MB / 6 * 6;
	unsigned long long lines = n / 6 + 1;
	char want[128];
	struct checker c = make(CHECKER_TOKENS);
	ck_assert_int_eq(compare_streams(&c, pat, n, "7\n", pat, n, "8\n"), CHECKER_WRONG);
	snprintf(want, sizeof want, "line %llu: expected '8', got '7'", lines);
	ck_assert_str_eq(last_msg, want);
	c = make(CHECKER_EXACT);
	ck_assert_int_eq(compare_streams(&c, pat, n, "7\n", pat, n, "8\n"), CHECKER_WRONG);
	ck_assert_str_eq(last_msg, want);
	c = make(CHECKER_FLOAT);
	ck_assert_int_eq(compare_streams(&c, pat, n, "8.0000001\n", pat, n, "8\n"), CHECKER_ACCEPTED);
}
END_TEST

START_TEST(huge_output_after_the_answer_is_rejected_early)
{
	/* 1 GiB of output against a one-line answer: rejected after a few bytes. */
	struct checker c = make(CHECKER_TOKENS);
	int64_t t0 = now_us();
	ck_assert_int_eq(compare_streams(&c, "x", 1024 * MB, NULL, "x", 1, NULL), CHECKER_WRONG);
	c = make(CHECKER_EXACT);
	ck_assert_int_eq(compare_streams(&c, "1\n", 1024 * MB, NULL, "1\n", 2, NULL), CHECKER_WRONG);
	ck_assert_msg(now_us() - t0 < 5 * 1000 * 1000, "took %lld us", (long long)(now_us() - t0));
}
END_TEST

START_TEST(single_100mb_token)
{
	long before = max_rss_kb();
	uint64_t n = 100 * MB;
	struct checker c = make(CHECKER_TOKENS);
	ck_assert_int_eq(compare_streams(&c, "a", n, "\n", "a", n, "\n"), CHECKER_ACCEPTED);
	ck_assert_int_eq(compare_streams(&c, "a", n, "b\n", "a", n, "c\n"), CHECKER_WRONG);
	ck_assert_ptr_nonnull(strstr(last_msg, "expected 'aaaaaaaaaaaaaaaaaaaaaaaa...', got 'aaaa"));
	n = 8 * MB; /* the rules below do not depend on the size */
	ck_assert_int_eq(compare_streams(&c, "a", n, "\n", "a", n, "a\n"), CHECKER_WRONG);
	c = make(CHECKER_KATTIS);
	ck_assert_int_eq(compare_streams(&c, "a", n, "\n", "A", n, "\n"), CHECKER_ACCEPTED);
	c = make(CHECKER_FLOAT);  /* a 100 MB run of digits is not parsed */
	ck_assert_int_eq(compare_streams(&c, "1", n, "\n", "1", n, "\n"), CHECKER_ACCEPTED);
	long grown = max_rss_kb() - before;
	ck_assert_msg(grown < 16 * 1024, "peak memory grew by %ld KiB", grown);
}
END_TEST

START_TEST(huge_whitespace_runs)
{
	uint64_t n = 16 * MB;
	struct checker c = make(CHECKER_EXACT);
	/* 16 MB of trailing blank lines, and 16 MB of spaces at a line end */
	ck_assert_int_eq(compare_streams(&c, "\n", n, NULL, "\n", 1, NULL), CHECKER_ACCEPTED);
	ck_assert_int_eq(compare_streams(&c, " ", n, "\nok\n", "\n", 1, "ok\n"), CHECKER_ACCEPTED);
	ck_assert_int_eq(compare_streams(&c, " ", n, "x\n", " ", 1, "x\n"), CHECKER_WRONG);
	c = kattis(false, true, NAN, NAN);
	ck_assert_int_eq(compare_streams(&c, " ", n, "x\n", " ", n, "x\n"), CHECKER_ACCEPTED);
	ck_assert_int_eq(compare_streams(&c, " ", n, "x\n", " ", n, " x\n"), CHECKER_WRONG);
}
END_TEST

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	Suite *s = suite_create("checker");

	TCase *tc = tcase_create("exact");
	tcase_add_test(tc, exact_accepts_trailing_whitespace_and_blank_lines);
	tcase_add_test(tc, exact_rejects_other_differences);
	tcase_add_test(tc, exact_treats_nul_and_invalid_utf8_as_bytes);
	tcase_add_test(tc, exact_messages_name_the_line);
	suite_add_tcase(s, tc);

	tc = tcase_create("tokens");
	tcase_add_test(tc, tokens_accept_any_whitespace);
	tcase_add_test(tc, tokens_reject_different_tokens);
	tcase_add_test(tc, tokens_messages);
	suite_add_tcase(s, tc);

	tc = tcase_create("float");
	tcase_add_test(tc, float_accepts_within_abs_or_rel);
	tcase_add_test(tc, float_rejects_outside_tolerance_and_non_numbers);
	tcase_add_test(tc, float_default_tolerance);
	tcase_add_test(tc, float_long_numbers_are_strings);
	suite_add_tcase(s, tc);

	tc = tcase_create("kattis");
	tcase_add_test(tc, kattis_defaults_ignore_case_and_space);
	tcase_add_test(tc, kattis_case_sensitive);
	tcase_add_test(tc, kattis_space_change_sensitive);
	tcase_add_test(tc, kattis_float_tolerance);
	tcase_add_test(tc, kattis_long_tokens_fold_case_while_streaming);
	suite_add_tcase(s, tc);

	tc = tcase_create("io");
	tcase_add_test(tc, compare_reads_from_current_offset);
	tcase_add_test(tc, compare_reports_read_errors);
	tcase_add_test(tc, small_message_buffers_are_safe);
	suite_add_tcase(s, tc);

	tc = tcase_create("config");
	tcase_add_test(tc, json_parses_every_type);
	tcase_add_test(tc, json_rejects_bad_objects);
	tcase_add_test(tc, json_round_trips);
	tcase_add_test(tc, kattis_flags_parse);
	suite_add_tcase(s, tc);

	tc = tcase_create("large");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, large_equal_streams_in_bounded_memory);
	tcase_add_test(tc, large_streams_find_a_late_difference);
	tcase_add_test(tc, huge_output_after_the_answer_is_rejected_early);
	tcase_add_test(tc, single_100mb_token);
	tcase_add_test(tc, huge_whitespace_runs);
	suite_add_tcase(s, tc);

	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
