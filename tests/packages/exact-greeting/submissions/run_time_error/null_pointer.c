/* Crashes with SIGSEGV: writes through a null pointer. */
#include <stdio.h>

int main(void)
{
	int n;
	volatile int *volatile seats = NULL; /* volatile: the store cannot be optimized away */
	if (scanf("%d", &n) != 1)
		return 1;
	for (int i = 1; i <= n; i++)
		seats[i] = i;
	return 0;
}
