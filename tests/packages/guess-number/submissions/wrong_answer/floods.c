/* Writes garbage forever. */
#include <stdio.h>

int main(void)
{
	for (;;)
		fputs("la la la la la la la la la la la la la la la la la la la la la la la la\n", stdout);
}
