/* Kattis output validator with a score: validate input answer feedback_dir < output.
 * Score max(0, 10 - |output - answer|) to feedback_dir/score.txt; exit 42,
 * or 43 when the output is not one integer. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	if (argc < 4)
		return 1;
	FILE *a = fopen(argv[2], "r");
	long want, got;
	if (!a || fscanf(a, "%ld", &want) != 1)
		return 1;
	fclose(a);
	char extra;
	if (scanf("%ld", &got) != 1 || scanf(" %c", &extra) == 1)
		return 43;
	long off = labs(got - want), score = off >= 10 ? 0 : 10 - off;
	char path[4096];
	snprintf(path, sizeof path, "%s/score.txt", argv[3]);
	FILE *f = fopen(path, "w");
	if (!f)
		return 1;
	fprintf(f, "%ld\n", score);
	fclose(f);
	return 42;
}
