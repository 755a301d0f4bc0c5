/* Filed under accepted/ by mistake: it is wrong (off by one), so the report shows a failure. */
#include <stdio.h>
int main(void)
{
	long a, b;
	if (scanf("%ld %ld", &a, &b) != 2)
		return 1;
	printf("%ld\n", a + b + 1);
	return 0;
}
