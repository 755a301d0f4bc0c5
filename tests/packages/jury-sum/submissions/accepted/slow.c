/* Correct, but spins about 0.4 s of CPU first: the slowest accepted run, which sets the time limit. */
#include <stdio.h>
#include <time.h>
int main(void)
{
	long a, b;
	if (scanf("%ld %ld", &a, &b) != 2)
		return 1;
	volatile unsigned long x = 0;
	while (clock() < CLOCKS_PER_SEC * 4 / 10)
		x++;
	printf("%ld\n", a + b);
	return 0;
}
