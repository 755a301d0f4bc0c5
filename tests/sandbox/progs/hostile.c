/* Hostile and ordinary behaviours for the sandbox tests, one per mode:
 * hostile MODE [ARG]. Built by the test with gcc -static at run time. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/shm.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void *idle(void *arg)
{
	(void)arg;
	pause();
	return NULL;
}

static void *add_one(void *arg)
{
	__atomic_add_fetch((int *)arg, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static int recurse(int n)
{
	volatile char pad[1024];
	pad[0] = (char)n;
	return recurse(n + 1) + pad[0];
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "hello";
	const char *arg = argc > 2 ? argv[2] : "";

	if (!strcmp(m, "hello")) {
		long a = 0, b = 0;
		if (scanf("%ld %ld", &a, &b) != 2)
			a = 1, b = 2;
		printf("%ld\n", a + b);
		return 0;
	}
	if (!strcmp(m, "exit3"))
		return 3;
	if (!strcmp(m, "cpu")) {
		volatile unsigned long x = 0;
		for (;;)
			x++;
	}
	if (!strcmp(m, "sleep")) {
		sleep(1000);
		return 0;
	}
	if (!strcmp(m, "mem")) { /* small allocations, touched, until malloc fails */
		size_t total = 0;
		for (;;) {
			char *p = malloc(1 << 20);
			if (!p) {
				printf("malloc failed after %zu MiB\n", total >> 20);
				return 3;
			}
			memset(p, 1, 1 << 20);
			total += 1 << 20;
		}
	}
	if (!strcmp(m, "bigmalloc")) { /* one allocation of argv[2] MiB */
		size_t n = (size_t)atol(arg) << 20;
		char *p = malloc(n);
		if (!p) {
			printf("malloc failed\n");
			return 3;
		}
		memset(p, 1, n);
		printf("touched %zu\n", n);
		return 0;
	}
	if (!strcmp(m, "stack"))
		return recurse(0);
	if (!strcmp(m, "output")) {
		static char buf[65536];
		memset(buf, 'x', sizeof buf);
		for (;;)
			if (write(1, buf, sizeof buf) < 0)
				return 1;
	}
	if (!strcmp(m, "stderr")) { /* 8 MiB to stderr, then a normal answer */
		static char buf[65536];
		memset(buf, 'e', sizeof buf);
		for (int i = 0; i < 128; i++)
			if (write(2, buf, sizeof buf) < 0)
				return 1;
		printf("done\n");
		return 0;
	}
	if (!strcmp(m, "fork")) {
		for (;;)
			fork();
	}
	if (!strcmp(m, "threads")) { /* argv[2] threads that each add one */
		int n = atoi(arg), count = 0;
		pthread_t t[64];
		for (int i = 0; i < n && i < 64; i++)
			if (pthread_create(&t[i], NULL, add_one, &count) != 0)
				return 4;
		for (int i = 0; i < n && i < 64; i++)
			pthread_join(t[i], NULL);
		printf("%d\n", count);
		return 0;
	}
	if (!strcmp(m, "threadbomb")) {
		int made = 0;
		for (int i = 0; i < 10000; i++) {
			pthread_t t;
			pthread_attr_t a;
			pthread_attr_init(&a);
			pthread_attr_setstacksize(&a, 65536);
			if (pthread_create(&t, &a, idle, NULL) != 0)
				break;
			made++;
		}
		printf("threads %d\n", made);
		return 0;
	}
	if (!strcmp(m, "read")) { /* print the first line of a file, or why not */
		FILE *f = fopen(arg, "r");
		if (!f) {
			printf("cannot open %s: %s\n", arg, strerror(errno));
			return 0;
		}
		char line[256] = "";
		if (fgets(line, sizeof line, f))
			printf("CONTENT %s", line);
		return 0;
	}
	if (!strcmp(m, "ls")) {
		DIR *d = opendir(arg);
		if (!d) {
			printf("cannot list %s: %s\n", arg, strerror(errno));
			return 0;
		}
		struct dirent *e;
		while ((e = readdir(d)))
			if (e->d_name[0] != '.')
				printf("%s\n", e->d_name);
		return 0;
	}
	if (!strcmp(m, "openmany")) { /* open files until it fails */
		int n = 0;
		while (open("/box/prog", O_RDONLY) >= 0)
			n++;
		printf("opened %d: %s\n", n, strerror(errno));
		return 0;
	}
	if (!strcmp(m, "env")) {
		for (char **e = environ; *e; e++)
			printf("%s\n", *e);
		return 0;
	}
	if (!strcmp(m, "connect") || !strcmp(m, "udp")) {
		int udp = !strcmp(m, "udp");
		int s = socket(AF_INET, udp ? SOCK_DGRAM : SOCK_STREAM, 0);
		if (s < 0) {
			printf("socket: %s\n", strerror(errno));
			return 0;
		}
		struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(arg)) };
		inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
		if (udp) {
			ssize_t n = sendto(s, "x", 1, 0, (struct sockaddr *)&sa, sizeof sa);
			printf("sendto: %s\n", n < 0 ? strerror(errno) : "sent");
		} else {
			int r = connect(s, (struct sockaddr *)&sa, sizeof sa);
			printf("connect: %s\n", r < 0 ? strerror(errno) : "connected");
		}
		return 0;
	}
	if (!strcmp(m, "ptrace")) {
		long r = ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		printf("ptrace %ld\n", r);
		return 0;
	}
	if (!strcmp(m, "killall")) {
		int r = kill(-1, SIGKILL);
		printf("kill %d\n", r);
		return 0;
	}
	if (!strcmp(m, "setuid")) {
		int r = setuid(0);
		printf("setuid %d\n", r);
		return 0;
	}
	if (!strcmp(m, "mount")) {
		int r = mount("none", "/tmp", "tmpfs", 0, NULL);
		printf("mount %d\n", r);
		return 0;
	}
	if (!strcmp(m, "unshare")) {
		int r = unshare(CLONE_NEWUSER);
		printf("unshare %d\n", r);
		return 0;
	}
	if (!strcmp(m, "reboot")) {
		int r = reboot(RB_POWER_OFF);
		printf("reboot %d\n", r);
		return 0;
	}
	if (!strcmp(m, "execsh")) {
		char *av[] = { "/bin/sh", "-c", "echo escaped", NULL };
		execv(av[0], av);
		printf("execv: %s\n", strerror(errno));
		return 0;
	}
	if (!strcmp(m, "abort"))
		abort();
	if (!strcmp(m, "segv")) {
		volatile int *p = NULL;
		return *p;
	}
	if (!strcmp(m, "readonly")) { /* what a read-only machine answers: one line per call */
		printf("mkdir: %s\n", mkdir("/box/d", 0755) ? strerror(errno) : "made");
		printf("unlink: %s\n", unlink("/box/prog") ? strerror(errno) : "removed");
		printf("rename: %s\n", rename("/box/prog", "/box/p2") ? strerror(errno) : "renamed");
		printf("chmod: %s\n", chmod("/box/prog", 0777) ? strerror(errno) : "changed");
		printf("creat: %s\n", open("/tmp/c", O_RDWR | O_CREAT, 0644) < 0 ? strerror(errno) : "created");
		printf("append: %s\n", open("/box/prog", O_WRONLY | O_APPEND) < 0 ? strerror(errno) : "opened");
		gid_t g[64];
		printf("getgroups: %s\n", getgroups(64, g) < 0 ? strerror(errno) : "ok");
		printf("socketpair: %s\n", socketpair(AF_UNIX, SOCK_STREAM, 0, (int[2]){0, 0}) ? strerror(errno) : "made");
		printf("still running\n");
		return 0;
	}
	if (!strcmp(m, "write")) { /* write argv[2] with 1 MiB blocks until an error */
		int fd = open(arg, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0) {
			printf("open %s: %s\n", arg, strerror(errno));
			return 0;
		}
		static char buf[1 << 20];
		size_t total = 0;
		for (;;) {
			ssize_t n = write(fd, buf, sizeof buf);
			if (n <= 0) {
				printf("write after %zu: %s\n", total, n < 0 ? strerror(errno) : "0");
				return 0;
			}
			total += (size_t)n;
		}
	}
	if (!strcmp(m, "fill")) { /* many 1 MiB files in directory argv[2] */
		static char buf[1 << 20];
		size_t total = 0;
		for (int i = 0;; i++) {
			char path[256];
			snprintf(path, sizeof path, "%s/f%d", arg, i);
			int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
			if (fd < 0) {
				printf("filled %zu MiB: %s\n", total >> 20, strerror(errno));
				return 0;
			}
			ssize_t n = write(fd, buf, sizeof buf);
			close(fd);
			if (n < (ssize_t)sizeof buf) {
				printf("filled %zu MiB: %s\n", total >> 20, n < 0 ? strerror(errno) : "short");
				return 0;
			}
			total += (size_t)n;
		}
	}
	if (!strcmp(m, "daemon")) { /* double fork + setsid, named argv[2]; the parent exits */
		pid_t p = fork();
		if (p < 0)
			return 5;
		if (p == 0) {
			setsid();
			if (fork() != 0)
				_exit(0);
			prctl(PR_SET_NAME, arg);
			for (;;)
				pause();
		}
		waitpid(p, NULL, 0);
		printf("daemon started\n");
		return 0;
	}
	if (!strcmp(m, "shm")) { /* a 64 MiB System V segment that would outlive the run */
		int id = shmget(IPC_PRIVATE, 64 << 20, IPC_CREAT | 0600);
		if (id < 0)
			printf("shmget: %s\n", strerror(errno));
		else
			printf("shmget: segment %d\n", id);
		return 0;
	}
	if (!strcmp(m, "plant")) { /* in dir argv[2]: a FIFO, a symlink and a plain file */
		char path[512];
		snprintf(path, sizeof path, "%s/fifo", arg);
		int a = mkfifo(path, 0666);
		snprintf(path, sizeof path, "%s/link", arg);
		int b = symlink("/etc/passwd", path);
		snprintf(path, sizeof path, "%s/plain", arg);
		FILE *f = fopen(path, "w");
		int c = f && fputs("plain\n", f) >= 0 && fclose(f) == 0 ? 0 : -1;
		printf("planted %d %d %d\n", a, b, c);
		return 0;
	}
	fprintf(stderr, "unknown mode %s\n", m);
	return 2;
}
