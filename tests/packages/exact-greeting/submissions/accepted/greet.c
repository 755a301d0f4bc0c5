/* Prints each greeting exactly. */
#include <stdio.h>

int main(void)
{
	int n;
	char name[32];
	if (scanf("%d", &n) != 1)
		return 1;
	for (int i = 0; i < n; i++) {
		if (scanf("%31s", name) != 1)
			return 1;
		printf("Hello, %s!\n", name);
	}
	return 0;
}
