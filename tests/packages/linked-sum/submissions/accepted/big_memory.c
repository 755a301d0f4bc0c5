/* Touches 400 MiB: accepted only under the format's default memory limit
   (2048 MiB), not under a 256 MiB one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
	size_t n = (size_t)400 << 20;
	char *p = malloc(n);
	long long a, b;
	if (!p || scanf("%lld %lld", &a, &b) != 2)
		return 1;
	memset(p, 1, n);
	printf("%lld\n", a + b + p[n - 1] - 1);
	free(p);
	return 0;
}
