/* Partial (group 1 only): walks when k is small, else assumes room 1 lies on
 * the cycle and ignores the path leading into it. */
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
	if (k <= 1000000) {
		for (long long step = 0; step < k; step++)
			room = t[room];
	} else {
		/* the cycle length, measured from the room reached after n steps */
		for (int i = 0; i < n; i++)
			room = t[room];
		int start = room, len = 0;
		do {
			room = t[room];
			len++;
		} while (room != start);
		room = 1;
		for (long long left = k % len; left > 0; left--)
			room = t[room];
	}
	printf("%d\n", room);
	return 0;
}
