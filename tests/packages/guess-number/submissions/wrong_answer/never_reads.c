/* Guesses blindly, never reading a word: the interactor stops at the guess limit. */
#include <stdio.h>

int main(void)
{
	for (long g = 2;; g += 2)
		printf("guess %ld\n", g);
}
