/* Tries to start a helper process: not allowed. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	long n;
	if (scanf("%ld", &n) != 1)
		return 1;
	if (fork() == 0)
		for (;;)
			pause();
	printf("guess %ld\n", (n + 1) / 2);
	fflush(stdout);
	return 0;
}
