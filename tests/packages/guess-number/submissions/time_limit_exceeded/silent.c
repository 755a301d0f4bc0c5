/* Reads n and never guesses: both sides wait, the submission's wall limit ends it. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	long n;
	if (scanf("%ld", &n) != 1)
		return 1;
	for (;;)
		pause();
}
