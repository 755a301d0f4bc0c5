/* Closes its output at once, then reads until the interactor has gone. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	char buf[256];
	close(1);
	while (read(0, buf, sizeof buf) > 0)
		;
	return 0;
}
