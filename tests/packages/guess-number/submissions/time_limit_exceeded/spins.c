/* One guess, then a loop that never ends. */
#include <stdio.h>

int main(void)
{
	long n;
	if (scanf("%ld", &n) != 1)
		return 1;
	printf("guess %ld\n", (n + 1) / 2);
	fflush(stdout);
	for (volatile unsigned long i = 0;; i++)
		;
}
