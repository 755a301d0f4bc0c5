/* Partial (group 1 only): walks all k steps, so k = 10^18 never finishes. */
#include <stdio.h>

int main(void)
{
	int n;
	long long k;
	static int t[1001];
	if (scanf("%d %lld", &n, &k) != 2)
		return 1;
	for (int i = 1; i <= n; i++)
		if (scanf("%d", &t[i]) != 1)
			return 1;
	int room = 1;
	for (long long step = 0; step < k; step++)
		room = t[room];
	printf("%d\n", room);
	return 0;
}
