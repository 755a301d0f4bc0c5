/* Right in the first pass, wrong in the second (whose input has n = 2). */
#include <stdio.h>

int main(void)
{
	long n, v, sum = 0;
	if (scanf("%ld", &n) != 1)
		return 1;
	int second = n == 2;
	while (n-- > 0 && scanf("%ld", &v) == 1)
		sum += v;
	printf("%ld\n", second ? sum + 1 : sum);
	return 0;
}
