/* Serves the CLICS test contest (clics_fixture.h) for trying CLICS clients
 * by hand, the spec's checker for one: starts a verdict server
 * ($VERDICT_BIN) on a fresh data dir, builds the contest up to the phase
 * given (running, frozen, ended, thawed or finalized; default finalized),
 * prints the API's base URL and the admin's credential, and keeps serving
 * until SIGINT or SIGTERM. Not a test: meson builds it, nothing runs it. */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clics_fixture.h"
#include "common.h"

static enum clics_phase phase = CLICS_PHASE_FINALIZED;
static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

START_TEST(serve)
{
	struct server srv;
	struct clics_fixture fx;
	server_start(&srv, NULL);
	clics_fixture_build(&fx, &srv, phase);
	printf("http://127.0.0.1:%d/api/clics (%s) admin:%s, data %s\n", srv.port, clics_phase_name(fx.phase),
	       CLICS_FIXTURE_ADMIN_PASSWORD, srv.data);
	fflush(stdout);
	while (!stop)
		pause();
	server_finish(&srv);
}
END_TEST

int main(int argc, char **argv)
{
	static const char *const names[] = {"not-started", "running", "frozen", "ended", "thawed", "finalized"};
	if (argc > 1) {
		int p = -1;
		for (int i = 0; i < 6; i++)
			if (strcmp(argv[1], names[i]) == 0)
				p = i;
		if (p < 0) {
			fprintf(stderr, "usage: %s [not-started|running|frozen|ended|thawed|finalized]\n", argv[0]);
			return 2;
		}
		phase = (enum clics_phase)p;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	setenv("CK_FORK", "no", 1); /* the server and the signals stay with this process */
	Suite *suite = suite_create("clics-fixture-serve");
	TCase *tc = tcase_create("serve");
	tcase_add_test(tc, serve);
	suite_add_tcase(suite, tc);
	return test_run_suite(suite);
}
