/* Both sides of the sandbox pair tests, one per mode: pair MODE [ARG...].
 * A guessing game: the submission writes "guess N" lines, the interactor
 * answers "<", ">" or "=" and exits 42 on the right guess (43: wrong play).
 * Built by the test with gcc -static at run time. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int guesser(void)
{
	int lo = 1, hi = 1000000;
	char line[64];
	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		printf("guess %d\n", mid);
		fflush(stdout);
		if (!fgets(line, sizeof line, stdin))
			return 1;
		if (line[0] == '=')
			return 0;
		if (line[0] == '<')
			hi = mid - 1;
		else if (line[0] == '>')
			lo = mid + 1;
		else
			return 2;
	}
	return 3;
}

/* judge SECRET [hang|flood]: answers guesses; after the right one exits 42,
 * or hangs, or floods the submission. */
static int judge(int secret, const char *then)
{
	char line[64];
	int guesses = 0;
	if (then && strcmp(then, "flood") == 0)
		for (;;)
			fputs("flood flood flood flood\n", stdout);
	while (fgets(line, sizeof line, stdin)) {
		int g;
		if (sscanf(line, "guess %d", &g) != 1 || ++guesses > 30) {
			fprintf(stderr, "bad play: %.20s\n", line);
			return 43;
		}
		puts(g < secret ? ">" : g > secret ? "<" : "=");
		fflush(stdout);
		if (g == secret) {
			if (then && strcmp(then, "hang") == 0)
				for (;;)
					pause();
			fprintf(stderr, "found in %d\n", guesses);
			return 42;
		}
	}
	fprintf(stderr, "no guess\n");
	return 43;
}

/* ping N: N round trips of one short line each; pong: echoes lines. */
static int ping(long n)
{
	char line[64];
	for (long i = 0; i < n; i++) {
		printf("%ld\n", i);
		fflush(stdout);
		if (!fgets(line, sizeof line, stdin) || atol(line) != i)
			return 1;
	}
	return 0;
}

static int pong(void)
{
	char line[64];
	while (fgets(line, sizeof line, stdin)) {
		fputs(line, stdout);
		fflush(stdout);
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";
	if (!strcmp(m, "guesser"))
		return guesser();
	if (!strcmp(m, "judge"))
		return judge(argc > 2 ? atoi(argv[2]) : 1, argc > 3 ? argv[3] : NULL);
	if (!strcmp(m, "ping"))
		return ping(argc > 2 ? atol(argv[2]) : 1);
	if (!strcmp(m, "pong"))
		return pong();
	if (!strcmp(m, "mute"))
		for (;;)
			pause();
	if (!strcmp(m, "flood"))
		for (;;)
			fputs("yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy", stdout);
	if (!strcmp(m, "closeout")) {
		close(1);
		char buf[64];
		while (read(0, buf, sizeof buf) > 0)
			;
		return 0;
	}
	if (!strcmp(m, "crash"))
		abort();
	if (!strcmp(m, "spin"))
		for (volatile unsigned long i = 0;; i++)
			;
	if (!strcmp(m, "fork")) {
		pid_t p = fork();
		if (p == 0)
			for (;;)
				pause();
		return guesser();
	}
	fprintf(stderr, "unknown mode '%s'\n", m);
	return 99;
}
