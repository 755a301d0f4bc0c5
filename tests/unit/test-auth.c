/* Unit tests for auth: argon2id password hashes, session tokens and their
 * hashes, random passwords. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"

static void setup(void)
{
	ck_assert(auth_init());
}

START_TEST(hash_and_verify)
{
	char *h1 = auth_hash_password("correct horse");
	char *h2 = auth_hash_password("correct horse");
	ck_assert_ptr_nonnull(h1);
	ck_assert_ptr_nonnull(h2);
	ck_assert_msg(strncmp(h1, "$argon2id$", 10) == 0, "not argon2id: %s", h1);
	ck_assert_ptr_null(strstr(h1, "correct horse"));
	/* Salted: the same password never hashes the same twice. */
	ck_assert_str_ne(h1, h2);
	ck_assert(auth_verify_password(h1, "correct horse"));
	ck_assert(auth_verify_password(h2, "correct horse"));
	ck_assert(!auth_verify_password(h1, "correct horsE"));
	ck_assert(!auth_verify_password(h1, "correct horse "));
	ck_assert(!auth_verify_password(h1, ""));
	free(h1);
	free(h2);
}
END_TEST

START_TEST(verify_refuses_garbage_hashes)
{
	ck_assert(!auth_verify_password("", "x"));
	ck_assert(!auth_verify_password("$argon2id$v=19$m=1,t=1,p=1$bad", "x"));
	ck_assert(!auth_verify_password("plain text", "plain text"));
	auth_verify_dummy("whatever"); /* only spends time; must not crash */
}
END_TEST

START_TEST(empty_and_long_passwords)
{
	char *h = auth_hash_password("");
	ck_assert_ptr_nonnull(h);
	ck_assert(auth_verify_password(h, ""));
	ck_assert(!auth_verify_password(h, "a"));
	free(h);
	char long_pw[1025];
	memset(long_pw, 'p', 1024);
	long_pw[1024] = '\0';
	h = auth_hash_password(long_pw);
	ck_assert(auth_verify_password(h, long_pw));
	long_pw[1023] = 'q';
	ck_assert(!auth_verify_password(h, long_pw));
	free(h);
}
END_TEST

static int cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

START_TEST(tokens_are_random_base64url)
{
	enum { N = 2000 };
	static char tokens[N][AUTH_TOKEN_LEN + 1];
	for (int i = 0; i < N; i++) {
		unsigned char hash[32], again[32];
		auth_new_token(tokens[i], hash);
		ck_assert_uint_eq(strlen(tokens[i]), AUTH_TOKEN_LEN);
		ck_assert_uint_eq(strspn(tokens[i], "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
				  AUTH_TOKEN_LEN);
		/* What is stored is the hash of what the client holds. */
		auth_token_hash(tokens[i], again);
		ck_assert(memcmp(hash, again, 32) == 0);
	}
	qsort(tokens, N, sizeof tokens[0], cmp);
	for (int i = 1; i < N; i++)
		ck_assert_msg(strcmp(tokens[i - 1], tokens[i]) != 0, "token repeated: %s", tokens[i]);
}
END_TEST

START_TEST(token_hash_is_sha256)
{
	/* FIPS 180-2 test vector: SHA-256("abc"). */
	static const unsigned char abc[32] = {0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
					      0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
					      0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
	unsigned char h[32], h2[32];
	auth_token_hash("abc", h);
	ck_assert(memcmp(h, abc, 32) == 0);
	auth_token_hash("abd", h2);
	ck_assert(memcmp(h, h2, 32) != 0);
}
END_TEST

START_TEST(random_passwords_are_unambiguous)
{
	char a[33], b[33];
	auth_random_password(a, 32);
	auth_random_password(b, 32);
	ck_assert_uint_eq(strlen(a), 32);
	ck_assert_str_ne(a, b);
	for (int i = 0; i < 200; i++) {
		auth_random_password(a, 32);
		ck_assert_msg(strpbrk(a, "0O1lIo") == NULL, "ambiguous character in %s", a);
		ck_assert_uint_eq(strspn(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"), 32);
	}
	auth_random_password(a, 0);
	ck_assert_str_eq(a, "");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("auth");
	TCase *tc = tcase_create("passwords");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, hash_and_verify);
	tcase_add_test(tc, verify_refuses_garbage_hashes);
	tcase_add_test(tc, empty_and_long_passwords);
	suite_add_tcase(s, tc);
	tc = tcase_create("tokens");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, tokens_are_random_base64url);
	tcase_add_test(tc, token_hash_is_sha256);
	tcase_add_test(tc, random_passwords_are_unambiguous);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
