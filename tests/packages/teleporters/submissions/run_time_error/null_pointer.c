/* Crashes with SIGSEGV: the table was never allocated. */
#include <stdio.h>

int main(void)
{
	int n;
	long long k;
	int *volatile t = NULL;
	if (scanf("%d %lld", &n, &k) != 2)
		return 1;
	for (int i = 1; i <= n; i++)
		if (scanf("%d", &t[i]) != 1)
			return 1;
	printf("%d\n", t[1]);
	return 0;
}
