/* Counts up from 1: far too many guesses for a large n. */
#include <stdio.h>
#include <string.h>

int main(void)
{
	long n;
	char word[16];
	if (scanf("%ld", &n) != 1)
		return 1;
	for (long g = 1; g <= n; g++) {
		printf("guess %ld\n", g);
		fflush(stdout);
		if (scanf("%15s", word) != 1 || strcmp(word, "correct") == 0)
			return 0;
	}
	return 0;
}
