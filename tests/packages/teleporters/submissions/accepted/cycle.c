/* Walk until a room repeats, then skip whole cycles: O(n) whatever k is. */
#include <stdio.h>
#include <string.h>

int main(void)
{
	int n;
	long long k;
	static int t[1001];
	static long long first_visit[1001];
	if (scanf("%d %lld", &n, &k) != 2)
		return 1;
	for (int i = 1; i <= n; i++)
		if (scanf("%d", &t[i]) != 1)
			return 1;
	memset(first_visit, -1, sizeof first_visit);
	int room = 1;
	for (long long step = 0; step < k; step++) {
		if (first_visit[room] >= 0) {
			long long left = (k - step) % (step - first_visit[room]);
			while (left--)
				room = t[room];
			break;
		}
		first_visit[room] = step;
		room = t[room];
	}
	printf("%d\n", room);
	return 0;
}
