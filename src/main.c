/* verdict: command line entry point. */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		printf("verdict 0.1.0\n");
		return 0;
	}
	return 2;
}
