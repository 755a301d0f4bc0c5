#include <stdio.h>
#include <string.h>

int main(void)
{
	long n, lo = 1, hi;
	char word[16];
	if (scanf("%ld", &n) != 1)
		return 1;
	hi = n;
	while (lo <= hi) {
		long mid = lo + (hi - lo) / 2;
		printf("guess %ld\n", mid);
		fflush(stdout);
		if (scanf("%15s", word) != 1 || strcmp(word, "correct") == 0)
			return 0;
		if (strcmp(word, "higher") == 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return 0;
}
