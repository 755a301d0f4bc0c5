/* Right in the first pass; loops forever in the second. */
#include <stdio.h>

int main(void)
{
	long n, v, sum = 0;
	if (scanf("%ld", &n) != 1)
		return 1;
	if (n == 2)
		for (volatile unsigned long i = 0;; i++)
			;
	while (n-- > 0 && scanf("%ld", &v) == 1)
		sum += v;
	printf("%ld\n", sum);
	return 0;
}
