/* Crashes with SIGSEGV: writes through a null pointer. */
#include <stdio.h>

int main(void)
{
	int n;
	volatile int *volatile rooms = NULL; /* volatile: the store cannot be optimized away */
	if (scanf("%d", &n) != 1)
		return 1;
	for (int i = 1; i <= n; i++)
		rooms[i] = i % n + 1;
	return 0;
}
