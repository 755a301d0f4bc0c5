/* The interactor of Guess the Number (Kattis protocol): validate input answer feedback_dir
 * < the submission's output > the submission's input. Exit 42: found within the guesses
 * allowed; 43: anything else, with the reason in feedback_dir/judgemessage.txt. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

static FILE *message;

static int verdict(int code, const char *what, long n)
{
	if (message) {
		fprintf(message, what, n);
		fputc('\n', message);
		fclose(message);
	}
	return code;
}

int main(int argc, char **argv)
{
	long n, secret;
	if (argc < 4)
		return 1;
	FILE *in = fopen(argv[1], "r");
	if (!in || fscanf(in, "%ld %ld", &n, &secret) != 2)
		return 1;
	char path[4096];
	snprintf(path, sizeof path, "%s/judgemessage.txt", argv[3]);
	message = fopen(path, "w");
	signal(SIGPIPE, SIG_IGN); /* a submission that stops reading is a wrong answer */
	long allowed = 0;
	for (long x = n; x; x >>= 1)
		allowed++;
	printf("%ld\n", n);
	if (fflush(stdout) != 0)
		return verdict(43, "the submission stopped reading at once%.0ld", 0);
	for (long guesses = 1;; guesses++) {
		char word[16];
		long g;
		if (scanf("%15s", word) != 1)
			return verdict(43, "no answer after %ld guesses", guesses - 1);
		if (strcmp(word, "guess") != 0 || scanf("%ld", &g) != 1)
			return verdict(43, "guess %ld: expected 'guess x'", guesses);
		if (g == secret) {
			printf("correct\n");
			fflush(stdout);
			return verdict(42, "found in %ld guesses", guesses);
		}
		if (guesses >= allowed)
			return verdict(43, "not found in the %ld guesses allowed", allowed);
		printf(g < secret ? "higher\n" : "lower\n");
		if (fflush(stdout) != 0)
			return verdict(43, "the submission stopped reading after guess %ld", guesses);
	}
}
