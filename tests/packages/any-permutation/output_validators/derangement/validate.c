/* Output validator for "Nobody Home": accepts any permutation p of 1..n with
 * p[i] != i. Kattis protocol: validate input answer feedback_dir < output;
 * exit 42 to accept, 43 to reject (reason in feedback_dir/judgemessage.txt). */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ACCEPT 42
#define REJECT 43

static const char *feedback_dir;

static void verdict(int code, const char *fmt, ...)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/judgemessage.txt", feedback_dir);
	FILE *f = fopen(path, "w");
	if (f) {
		va_list ap;
		va_start(ap, fmt);
		vfprintf(f, fmt, ap);
		va_end(ap);
		fputc('\n', f);
		fclose(f);
	}
	exit(code);
}

/* Next whitespace-separated token of stdin, at most 31 bytes kept; 0 at EOF. */
static size_t next_token(char *tok, size_t size, size_t *full_len)
{
	int c;
	while ((c = getchar()) != EOF && isspace(c))
		;
	size_t n = 0;
	*full_len = 0;
	while (c != EOF && !isspace(c)) {
		if (n + 1 < size)
			tok[n++] = (char)c;
		(*full_len)++;
		c = getchar();
	}
	tok[n] = '\0';
	return *full_len;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: %s input answer feedback_dir < output\n", argv[0]);
		return 1;
	}
	feedback_dir = argv[3];
	FILE *in = fopen(argv[1], "r");
	long n;
	if (!in || fscanf(in, "%ld", &n) != 1 || n < 2 || n > 1000) {
		fprintf(stderr, "bad input file %s\n", argv[1]);
		return 1;
	}
	fclose(in);

	char *seen = calloc((size_t)n + 1, 1);
	char tok[32];
	size_t len;
	for (long i = 1; i <= n; i++) {
		if (!next_token(tok, sizeof tok, &len))
			verdict(REJECT, "expected %ld numbers, got %ld", n, i - 1);
		char *end;
		long v = strtol(tok, &end, 10);
		if (len >= sizeof tok || *end || !isdigit((unsigned char)tok[0]) || v < 1 || v > n)
			verdict(REJECT, "position %ld: '%s' is not a room between 1 and %ld", i, tok, n);
		if (seen[v])
			verdict(REJECT, "position %ld: room %ld is given twice", i, v);
		if (v == i)
			verdict(REJECT, "guest %ld sleeps in their own room", i);
		seen[v] = 1;
	}
	if (next_token(tok, sizeof tok, &len))
		verdict(REJECT, "extra output after %ld numbers: '%s'", n, tok);
	free(seen);
	verdict(ACCEPT, "ok");
}
