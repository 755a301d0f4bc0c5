/* The sandbox tests' --unprivileged re-run (unpriv.h). */
#include "unpriv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int sbx_test_rerun_unprivileged(const char *name, const char *src, const char *src_env)
{
	if (access("/usr/bin/setpriv", X_OK) != 0) {
		printf("setpriv is missing: cannot run the suite unprivileged\n");
		return 77;
	}
	char dir[] = "/tmp/sbx-unpriv-XXXXXX", bin[128], copy[128], cmd[1024];
	const char *base = strrchr(src, '/') ? strrchr(src, '/') + 1 : src;
	if (!mkdtemp(dir) || chmod(dir, 0755) < 0) {
		fprintf(stderr, "mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	snprintf(bin, sizeof bin, "%s/%s", dir, name);
	snprintf(copy, sizeof copy, "%s/%s", dir, base);
	snprintf(cmd, sizeof cmd, "cp /proc/%d/exe '%s' && cp '%s' '%s' && chmod 755 '%s' && chmod 644 '%s'",
		(int)getpid(), bin, src, copy, bin, copy);
	if (system(cmd) != 0) {
		fprintf(stderr, "cannot copy the test to %s\n", dir);
		return 1;
	}
	setenv("SBX_TEST_UNPRIV", "1", 1);
	setenv(src_env, copy, 1);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		execl("/usr/bin/setpriv", "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
			"--inh-caps=-all", "--", bin, "--unprivileged", (char *)NULL);
		perror("setpriv");
		_exit(1);
	}
	int st = 0;
	while (pid > 0 && waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
