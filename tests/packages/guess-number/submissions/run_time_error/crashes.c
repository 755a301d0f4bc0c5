/* One guess, then a crash. */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
	long n;
	if (scanf("%ld", &n) != 1)
		return 1;
	printf("guess %ld\n", (n + 1) / 2);
	fflush(stdout);
	abort();
}
