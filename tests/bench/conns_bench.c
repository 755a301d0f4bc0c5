/* Benchmark: a well-behaved client (127.0.0.3) while another address
 * (127.0.0.2) holds thousands of idle or trickling connections. The server
 * runs (first configuration) with a file limit of 1,024 (the review's
 * setting) and no effective per-address cap, so the flood is more than its
 * descriptors: it must shed.
 * Each sample is a new connection: connect, one request, the answer, close.
 * Prints p50/p99 of /healthz and of a logged-in GET /api/problems without a
 * flood, with an idle flood and with a trickling flood (the flooder reopens
 * what the server closes, one byte a second on each trickling socket), and
 * how much the server log grew. Asserts nothing about speed.
 *
 * Two configurations, one table each: a file limit of 1,024 the server cannot
 * raise with the per-address cap lifted (the flood is more than its
 * descriptors, so it must shed), then the server's defaults (the cap of 512,
 * and the soft limit of 1,024 raised at start to the hard limit), where the
 * cap refuses most of the flood.
 *
 *   meson test -C build --setup bench --suite bench conns-bench --verbose
 *
 * Arguments: [connections (5000)] [samples per endpoint and phase (300)] [phase seconds (10)] */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

#define SERVER_FILES 1024

static int port;
static char token[64];
static int samples = 300;
static double seconds = 10;

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int open_from(const char *src, bool nonblock)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | (nonblock ? SOCK_NONBLOCK : 0), 0);
	if (fd < 0)
		return -1;
	struct sockaddr_in a = {.sin_family = AF_INET}, to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	inet_pton(AF_INET, src, &a.sin_addr);
	inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
	    (connect(fd, (struct sockaddr *)&to, sizeof to) != 0 && errno != EINPROGRESS)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* ---- the flood ---- */

static struct {
	int count;
	atomic_int mode; /* 0 none, 1 idle, 2 trickle, 3 stop */
	atomic_long reopened;
	int *fds;
	int epoll_fd;
	pthread_t thread;
} flood;

static void flood_open(int i)
{
	flood.fds[i] = open_from("127.0.0.2", true);
	if (flood.fds[i] >= 0) {
		struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.u32 = (uint32_t)i};
		epoll_ctl(flood.epoll_fd, EPOLL_CTL_ADD, flood.fds[i], &ev);
	}
}

static void *flood_main(void *arg)
{
	(void)arg;
	static const char prefix[] = "GET /healthz HTTP/1.1\r\nX-Slow: ";
	double next_tick = now_ms();
	int tick = 0;
	while (atomic_load(&flood.mode) != 3) {
		struct epoll_event ev[256];
		int n = epoll_wait(flood.epoll_fd, ev, 256, 50);
		for (int e = 0; e < n; e++) {
			int i = (int)ev[e].data.u32;
			char sink[512];
			if (flood.fds[i] < 0 || recv(flood.fds[i], sink, sizeof sink, MSG_DONTWAIT) > 0)
				continue;
			close(flood.fds[i]);
			atomic_fetch_add(&flood.reopened, 1);
			flood_open(i);
		}
		if (atomic_load(&flood.mode) == 2 && now_ms() >= next_tick) {
			next_tick += 1000;
			char c = tick < (int)sizeof prefix - 1 ? prefix[tick] : 'a';
			tick++;
			for (int i = 0; i < flood.count; i++)
				if (flood.fds[i] >= 0)
					send(flood.fds[i], &c, 1, MSG_DONTWAIT | MSG_NOSIGNAL);
		}
		for (int i = 0; i < flood.count; i++)
			if (flood.fds[i] < 0)
				flood_open(i);
	}
	return NULL;
}

static void flood_start(int mode)
{
	atomic_store(&flood.mode, mode);
	for (int i = 0; i < flood.count; i++)
		flood_open(i);
	pthread_create(&flood.thread, NULL, flood_main, NULL);
}

static void flood_stop(void)
{
	atomic_store(&flood.mode, 3);
	pthread_join(flood.thread, NULL);
	for (int i = 0; i < flood.count; i++)
		if (flood.fds[i] >= 0) {
			epoll_ctl(flood.epoll_fd, EPOLL_CTL_DEL, flood.fds[i], NULL);
			close(flood.fds[i]);
			flood.fds[i] = -1;
		}
}

/* ---- the measuring client ---- */

/* One request on a new connection; milliseconds, or -1 on failure (5 s bound). */
static double sample(const char *path, bool auth)
{
	char req[512], answer[8192];
	int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n%s%s%s\r\n", path,
			 auth ? "Authorization: Bearer " : "", auth ? token : "", auth ? "\r\n" : "");
	double t0 = now_ms();
	int fd = open_from("127.0.0.3", false);
	if (fd < 0)
		return -1;
	struct timeval tv = {5, 0};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	size_t len = 0;
	bool ok = send(fd, req, (size_t)n, MSG_NOSIGNAL) == n;
	ssize_t got;
	while (ok && len < sizeof answer - 1 && (got = recv(fd, answer + len, sizeof answer - 1 - len, 0)) > 0)
		len += (size_t)got;
	close(fd);
	answer[len] = '\0';
	return ok && strncmp(answer, "HTTP/1.1 200", 12) == 0 ? now_ms() - t0 : -1;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void measure(const char *phase, int count, double span_s)
{
	const char *paths[2] = {"/healthz", "/api/problems"};
	double *t[2] = {calloc((size_t)count, sizeof(double)), calloc((size_t)count, sizeof(double))};
	int got[2] = {0, 0}, failed[2] = {0, 0};
	double gap = span_s * 1000 / (2.0 * count), start = now_ms();
	for (int i = 0; i < count; i++)
		for (int k = 0; k < 2; k++) {
			double ms = sample(paths[k], k == 1);
			if (ms < 0)
				failed[k]++;
			else
				t[k][got[k]++] = ms;
			double next = start + (2 * i + k + 1) * gap;
			while (now_ms() < next)
				usleep(1000);
		}
	for (int k = 0; k < 2; k++) {
		qsort(t[k], (size_t)got[k], sizeof(double), cmp);
		printf("%-14s %-14s p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms  failed %d/%d\n", phase, paths[k],
		       got[k] ? t[k][got[k] / 2] : 0.0, got[k] ? t[k][(got[k] * 99) / 100] : 0.0,
		       got[k] ? t[k][got[k] - 1] : 0.0, failed[k], count);
		free(t[k]);
	}
	fflush(stdout);
}

static long file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (long)st.st_size : 0;
}

/* Measures while the flood of this mode holds; how many connections the server closed under it. */
static long flood_phase(const char *name, int mode)
{
	flood_start(mode);
	usleep(2000000);
	measure(name, samples, seconds);
	flood_stop();
	return atomic_exchange(&flood.reopened, 0);
}

static void server_files(void)
{
	struct rlimit rl = {SERVER_FILES, SERVER_FILES};
	setrlimit(RLIMIT_NOFILE, &rl);
	prctl(PR_CAPBSET_DROP, 24 /* CAP_SYS_RESOURCE */, 0, 0, 0);
}

/* In the server's child for the defaults: a soft limit of 1,024 (a login
   shell's) under the bench's hard limit, which the server raises at start. */
static void server_soft_files(void)
{
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = SERVER_FILES;
	setrlimit(RLIMIT_NOFILE, &rl);
}

/* Runs the three phases against a server started with args and child setup;
   prints one table. */
static void run_config(const char *title, const char **args, void (*child_setup)(void))
{
	struct server s;
	server_child_setup = child_setup;
	server_start(&s, args);
	server_child_setup = NULL;
	port = s.port;
	snprintf(token, sizeof token, "%s", s.admin_token);
	printf("\n== %s ==\nflood %d connections from 127.0.0.2; %d samples per endpoint and phase over %.0f s "
	       "from 127.0.0.3, a new connection each\n",
	       title, flood.count, samples, seconds);

	long log0 = file_size(s.log);
	measure("no flood", samples, seconds);
	long log1 = file_size(s.log);

	long reopened_idle = flood_phase("idle flood", 1);
	long log2 = file_size(s.log);
	long reopened_trickle = flood_phase("trickle flood", 2);
	long log3 = file_size(s.log);

	printf("flood connections the server closed (and the flooder reopened): idle %ld, trickle %ld\n",
	       reopened_idle, reopened_trickle);
	printf("server log growth: no flood %ld B, idle flood %ld B, trickle flood %ld B\n", log1 - log0, log2 - log1,
	       log3 - log2);
	printf("metrics: shed %.0f, timed out %.0f, refused over cap %.0f\n",
	       test_metric(&s, "verdict_connections_shed_total"), test_metric(&s, "verdict_connections_timed_out_total"),
	       test_metric(&s, "verdict_rate_limited_total{limit=\"conns_per_address\"}"));
	fflush(stdout);
	server_finish(&s);
}

START_TEST(flood_bench)
{
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max;
	if (rl.rlim_cur < (rlim_t)flood.count + 256) {
		rl.rlim_cur = rl.rlim_max = (rlim_t)flood.count + 256;
	}
	ck_assert_msg(setrlimit(RLIMIT_NOFILE, &rl) == 0, "cannot raise the file limit to %d", flood.count + 256);
	flood.fds = calloc((size_t)flood.count, sizeof(int));
	flood.epoll_fd = epoll_create1(EPOLL_CLOEXEC);

	const char *lifted[] = {"--max-conns-per-address", "1000000", NULL};
	run_config("file limit 1024 (fixed), max-conns-per-address 1000000, defaults otherwise", lifted,
		   server_files);
	char title[160];
	snprintf(title, sizeof title,
		 "server defaults: max-conns-per-address 512, soft file limit 1024 raised at start to the hard "
		 "limit %llu",
		 (unsigned long long)rl.rlim_max);
	run_config(title, NULL, server_soft_files);
}
END_TEST

int main(int argc, char **argv)
{
	flood.count = argc > 1 ? atoi(argv[1]) : 5000;
	samples = argc > 2 ? atoi(argv[2]) : 300;
	seconds = argc > 3 ? atof(argv[3]) : 10;
	Suite *suite = suite_create("conns-bench");
	TCase *tc = tcase_create("flood");
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, flood_bench);
	suite_add_tcase(suite, tc);
	return test_run_suite(suite);
}
