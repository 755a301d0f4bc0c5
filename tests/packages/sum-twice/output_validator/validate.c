/* The output validator of Sum Twice, a multi-pass problem: validate input answer feedback_dir
 * < the submission's output. Pass 1 (no feedback_dir/pass yet): the sum of the input; if right,
 * it writes feedback_dir/nextpass.in ("2", then the sum and the first n) for pass 2, which must
 * print their sum. Exit 42: right; 43: wrong, with feedback_dir/judgemessage.txt. */
#include <stdio.h>

static const char *dir;

static FILE *open_in(const char *name, const char *mode)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return fopen(path, mode);
}

int main(int argc, char **argv)
{
	if (argc < 4)
		return 1;
	dir = argv[3];
	FILE *in = fopen(argv[1], "r"), *state = open_in("pass", "r");
	int pass = 1;
	if (state) {
		if (fscanf(state, "%d", &pass) != 1)
			return 1;
		fclose(state);
	}
	long n, v, sum = 0, first = 0;
	if (!in || fscanf(in, "%ld", &n) != 1)
		return 1;
	for (long i = 0; i < n; i++) {
		if (fscanf(in, "%ld", &v) != 1)
			return 1;
		sum += v;
	}
	first = n;
	long got;
	if (scanf("%ld", &got) != 1 || got != sum) {
		FILE *m = open_in("judgemessage.txt", "w");
		if (m) {
			fprintf(m, "pass %d: expected %ld\n", pass, sum);
			fclose(m);
		}
		return 43;
	}
	if (pass == 1) {
		FILE *next = open_in("nextpass.in", "w"), *s = open_in("pass", "w");
		if (!next || !s)
			return 1;
		fprintf(next, "2\n%ld %ld\n", sum, first);
		fprintf(s, "2\n");
		fclose(next);
		fclose(s);
	}
	return 42;
}
