/* WebSocket fan-out benchmark. For each N given on the command line (default
 * 1000 and 10000): N subscribers on one problem's socket, then 50 status
 * changes at 10 per second, each a real REST rejudge (POST
 * /api/submissions/{id}/rejudge: HTTP -> database commit -> change hook ->
 * hub -> lws), so the whole production path is measured.
 *
 * Reports: WebSocket handshake time through the shared port (sequential,
 * p50/p99, and for comparison a plain HTTP GET on a new connection), the
 * latency from just before each rejudge request to its receipt at each
 * subscriber (CLOCK_MONOTONIC in both processes; p50/p90/p99/max over all
 * N x 50 pairs), messages lost and duplicated, and server RSS per idle
 * connection.
 *
 * The subscribers are one raw epoll client process (a benchmark may use a
 * raw client; the tests use the lws client). The judge (--workers 1) is kept
 * busy by a submission that sleeps for the whole run, so that the rejudged
 * submissions stay queued and the only changes are the 50 measured ones.
 *
 * Usage: ws-fanout-bench [N...]; raises its fd limit to the hard limit. */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"
#include "common.h"

#define CHANGES 50
#define RATE_MS 100 /* 10 changes per second */

static int g_argc;
static char **g_argv;

/* Shared between the driver and the subscriber process. */
struct shared {
	int64_t sent[CHANGES];          /* just before each rejudge request */
	int64_t answered[CHANGES];      /* when its 202 had arrived */
	long long first_id;             /* the changed submissions are first_id .. first_id+CHANGES-1 */
	atomic_int stop;                /* driver: give up waiting */
	atomic_int connected;
	long long lost, dup, disorder, other;
	int64_t connect_total_us;
	int64_t recv[];                 /* [conn * CHANGES + change]: receipt time, 0 = not yet */
};

static int tcp_connect(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
		close(fd);
		return -1;
	}
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return fd;
}

/* Sends a request and reads the response head; returns the status or -1. */
static int request_head(int fd, const char *req)
{
	size_t len = strlen(req);
	if (write(fd, req, len) != (ssize_t)len)
		return -1;
	char buf[2048];
	size_t got = 0;
	while (got < sizeof buf - 1) {
		ssize_t n = read(fd, buf + got, sizeof buf - 1 - got);
		if (n <= 0)
			return -1;
		got += (size_t)n;
		buf[got] = '\0';
		if (strstr(buf, "\r\n\r\n"))
			break;
	}
	int status = -1;
	if (sscanf(buf, "HTTP/1.1 %d", &status) != 1)
		return -1;
	return status;
}

struct conn {
	int fd;
	int len;
	long long last_seq;
	char buf[4096 - 3 * sizeof(long long)];
};

/* Parses whole frames in c->buf; records receipts (counted in *received). */
static void consume(struct shared *sh, struct conn *c, int index, int64_t now, long long *received)
{
	int off = 0;
	for (;;) {
		if (c->len - off < 2)
			break;
		unsigned char *h = (unsigned char *)c->buf + off;
		size_t plen = h[1] & 0x7f, hl = 2;
		if (plen == 126) {
			if (c->len - off < 4)
				break;
			plen = (size_t)h[2] << 8 | h[3];
			hl = 4;
		} else if (plen == 127) {
			sh->other++;
			c->len = 0; /* never sent by the server for these messages */
			return;
		}
		if ((size_t)(c->len - off) < hl + plen)
			break;
		if ((h[0] & 0x0f) == 1) { /* text */
			char msg[1024];
			size_t n = plen < sizeof msg - 1 ? plen : sizeof msg - 1;
			memcpy(msg, h + hl, n);
			msg[n] = '\0';
			const char *ps = strstr(msg, "\"submission_id\":");
			const char *pq = strstr(msg, "\"seq\":");
			long long id = ps ? atoll(ps + 16) : -1, seq = pq ? atoll(pq + 6) : -1;
			long long k = id - sh->first_id;
			if (seq <= c->last_seq)
				sh->disorder++;
			c->last_seq = seq;
			if (k >= 0 && k < CHANGES) {
				int64_t *slot = &sh->recv[(size_t)index * CHANGES + (size_t)k];
				if (*slot) {
					sh->dup++;
				} else {
					*slot = now;
					(*received)++;
				}
			} else {
				sh->other++;
			}
		}
		off += (int)(hl + plen);
	}
	memmove(c->buf, c->buf + off, (size_t)(c->len - off));
	c->len -= off;
}

/* The subscriber process: connects n sockets, WINDOW handshakes in flight,
   then measures sequential handshakes (and plain HTTP requests, alternating)
   with the n open, then reads. */
#define WINDOW 64
#define SAMPLES 200
static void subscribers(struct shared *sh, int n, int port, long long problem, const char *token, int ready_fd)
{
	struct conn *conns = calloc((size_t)n, sizeof *conns);
	int64_t *started = calloc((size_t)n, sizeof *started);
	unsigned char *state = calloc((size_t)n, 1); /* 0 connecting, 1 awaiting 101, 2 open */
	int ep = epoll_create1(EPOLL_CLOEXEC);
	char req[512];
	int req_len = snprintf(req, sizeof req,
			       "GET /ws/problems/%lld/submissions/?token=%s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
			       "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
			       "Sec-WebSocket-Version: 13\r\n\r\n",
			       problem, token, port);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	int64_t t_all = mono_us();
	int next = 0, open = 0, inflight = 0;
	struct epoll_event events[256];
	while (open < n) {
		for (; inflight < WINDOW && next < n; next++, inflight++) {
			int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
			int one = 1;
			setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
			if (fd < 0 || (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0 && errno != EINPROGRESS)) {
				fprintf(stderr, "subscriber %d: connect: %s\n", next, strerror(errno));
				_exit(1);
			}
			conns[next].fd = fd;
			started[next] = mono_us();
			struct epoll_event ev = {.events = EPOLLOUT, .data.u32 = (uint32_t)next};
			epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
		}
		int k = epoll_wait(ep, events, 256, 10000);
		if (k == 0) {
			fprintf(stderr, "subscribers: handshakes stalled at %d of %d\n", open, n);
			_exit(1);
		}
		for (int e = 0; e < k; e++) {
			int i = (int)events[e].data.u32;
			struct conn *c = &conns[i];
			if (state[i] == 0) {
				if (write(c->fd, req, (size_t)req_len) != req_len) {
					fprintf(stderr, "subscriber %d: send: %s\n", i, strerror(errno));
					_exit(1);
				}
				state[i] = 1;
				struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
				epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
				continue;
			}
			ssize_t r = read(c->fd, c->buf + c->len, sizeof c->buf - 1 - (size_t)c->len);
			if (r <= 0) {
				fprintf(stderr, "subscriber %d: handshake: %s\n", i, r ? strerror(errno) : "closed");
				_exit(1);
			}
			c->len += (int)r;
			c->buf[c->len] = '\0';
			char *end = strstr(c->buf, "\r\n\r\n");
			if (!end)
				continue;
			if (strncmp(c->buf, "HTTP/1.1 101", 12) != 0) {
				fprintf(stderr, "subscriber %d: %.40s\n", i, c->buf);
				_exit(1);
			}
			end += 4;
			c->len -= (int)(end - c->buf);
			memmove(c->buf, end, (size_t)c->len);
			state[i] = 2;
			open++;
			inflight--;
		}
	}
	sh->connect_total_us = mono_us() - t_all;
	atomic_store(&sh->connected, n);
	/* sequential handshakes and, for comparison, HTTP GETs on new connections */
	int64_t ws_us[SAMPLES], http_us[SAMPLES];
	char get[128];
	snprintf(get, sizeof get, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n\r\n", port);
	for (int i = 0; i < SAMPLES; i++) {
		int64_t t = mono_us();
		int fd = tcp_connect(port);
		if (fd < 0 || request_head(fd, req) != 101)
			_exit(1);
		ws_us[i] = mono_us() - t;
		close(fd);
		t = mono_us();
		fd = tcp_connect(port);
		if (fd < 0 || request_head(fd, get) != 200)
			_exit(1);
		http_us[i] = mono_us() - t;
		close(fd);
	}
	qsort(ws_us, SAMPLES, sizeof *ws_us, cmp_i64);
	qsort(http_us, SAMPLES, sizeof *http_us, cmp_i64);
	int64_t stats[4] = {pct(ws_us, SAMPLES, 0.5), pct(ws_us, SAMPLES, 0.99), pct(http_us, SAMPLES, 0.5),
			    pct(http_us, SAMPLES, 0.99)};
	if (write(ready_fd, stats, sizeof stats) != sizeof stats)
		_exit(1);
	close(ready_fd);
	long long expected = (long long)n * CHANGES, received = 0;
	while (received < expected && !atomic_load(&sh->stop)) {
		int k = epoll_wait(ep, events, 256, 100);
		for (int e = 0; e < k; e++) {
			int i = (int)events[e].data.u32;
			struct conn *c = &conns[i];
			for (;;) {
				size_t room = sizeof c->buf - (size_t)c->len;
				ssize_t r = read(c->fd, c->buf + c->len, room);
				if (r <= 0)
					break;
				c->len += (int)r;
				consume(sh, c, i, mono_us(), &received);
				if ((size_t)r < room)
					break; /* drained: level-triggered epoll calls again */
			}
		}
	}
	_exit(0);
}

static long rss_kb(pid_t pid)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	long kb = -1;
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, "VmRSS:", 6) == 0)
			kb = atol(line + 6);
	if (f)
		fclose(f);
	return kb;
}

static void bench(int n)
{
	setenv("VERDICT_WS_MAX_PER_USER", "100000", 1);
	setenv("VERDICT_WS_PING_INTERVAL", "600", 1);
	struct server s;
	/* All subscribers come from one address: lift the per-address cap. */
	const char *args[] = {"--workers", "1", "--log-level", "warn", "--max-conns-per-address", "1000000", NULL};
	server_start(&s, args);

	bench_block_judge(&s);
	struct response r;
	char path[160];

	long long problem = test_create_problem(
		&s, "{\"slug\": \"sum\", \"title\": \"A plus B\", \"tests\": [{\"input\": \"1 2\\n\", \"output\": \"3\\n\"}]}");
	snprintf(path, sizeof path, "/api/problems/%lld/submissions", problem);
	long long first = 0;
	for (int i = 0; i < CHANGES; i++) {
		http_json_request(&r, &s, "POST", path, s.admin_token, "{\"language\": \"c\", \"source\": \"int main(void){return 0;}\\n\"}");
		ck_assert_int_eq(r.status, 201);
		long long id = json_integer_value(json_object_get(r.json, "id"));
		response_free(&r);
		if (i == 0)
			first = id;
		ck_assert_int_eq(id, first + i);
	}

	size_t shsize = sizeof(struct shared) + (size_t)n * CHANGES * sizeof(int64_t);
	struct shared *sh = mmap(NULL, shsize, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ck_assert(sh != MAP_FAILED);
	sh->first_id = first;
	usleep(500000);
	long rss0 = rss_kb(s.pid);
	int ready[2];
	ck_assert_int_eq(pipe(ready), 0);
	pid_t child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		close(ready[0]);
		subscribers(sh, n, s.port, problem, s.admin_token, ready[1]);
	}
	close(ready[1]);
	int64_t hs[4] = {-1, -1, -1, -1};
	ck_assert_msg(read(ready[0], hs, sizeof hs) == sizeof hs, "the subscribers could not connect");
	close(ready[0]);
	usleep(1000000);
	long rss1 = rss_kb(s.pid);
	long long open = 0;
	{
		struct response m;
		http_request(&m, &s, "GET", "/metrics", NULL, NULL, NULL, 0, NULL);
		const char *p = strstr(m.body, "\nverdict_ws_connections ");
		open = p ? atoll(p + 24) : -1;
		response_free(&m);
	}

	int64_t start = mono_us();
	for (int i = 0; i < CHANGES; i++) {
		sleep_until(start + (int64_t)i * RATE_MS * 1000);
		snprintf(path, sizeof path, "/api/submissions/%lld/rejudge", first + i);
		sh->sent[i] = mono_us();
		http_json_request(&r, &s, "POST", path, s.admin_token, NULL);
		sh->answered[i] = mono_us();
		ck_assert_int_eq(r.status, 202);
		response_free(&r);
	}
	/* wait for the subscribers (at most 30 s after the last change) */
	int64_t last = mono_us();
	int status = 0;
	while (waitpid(child, &status, WNOHANG) == 0) {
		if (mono_us() - last > 30 * 1000000)
			atomic_store(&sh->stop, 1);
		usleep(20000);
	}
	long rss2 = rss_kb(s.pid);

	size_t pairs = (size_t)n * CHANGES, got = 0;
	int64_t *lat = malloc(pairs * sizeof *lat);
	for (size_t i = 0; i < pairs; i++) {
		int64_t t = sh->recv[i];
		if (t)
			lat[got++] = t - sh->sent[i % CHANGES];
	}
	qsort(lat, got, sizeof *lat, cmp_i64);
	int64_t post[CHANGES];
	for (int i = 0; i < CHANGES; i++)
		post[i] = sh->answered[i] - sh->sent[i];
	qsort(post, CHANGES, sizeof *post, cmp_i64);
	printf("\n| N | connect all (%d in flight) | handshake p50 / p99 | HTTP GET p50 / p99 | RSS per idle conn |"
	       " p50 | p90 | p99 | max | lost | dup | disorder | POST p50 / max |\n", WINDOW);
	printf("| %d | %.2f s | %.2f / %.2f ms | %.2f / %.2f ms | %.2f KiB | %.1f ms | %.1f ms | %.1f ms | %.1f ms |"
	       " %zu | %lld | %lld | %.1f / %.1f ms |\n",
	       n, (double)sh->connect_total_us / 1e6, (double)hs[0] / 1e3, (double)hs[1] / 1e3, (double)hs[2] / 1e3,
	       (double)hs[3] / 1e3, (double)(rss1 - rss0) / n, (double)pct(lat, got, 0.5) / 1e3,
	       (double)pct(lat, got, 0.9) / 1e3, (double)pct(lat, got, 0.99) / 1e3,
	       got ? (double)lat[got - 1] / 1e3 : -1.0, pairs - got, sh->dup, sh->disorder,
	       (double)post[CHANGES / 2] / 1e3, (double)post[CHANGES - 1] / 1e3);
	printf("(server RSS %ld KiB before, %ld KiB with %d idle subscribers (%lld open per /metrics), %ld KiB after"
	       " the run)\n",
	       rss0, rss1, n, open, rss2);
	fflush(stdout);
	free(lat);
	munmap(sh, shsize);
	ck_assert_int_eq(server_stop(&s), 0);
	server_cleanup(&s);
}

START_TEST(fanout)
{
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	for (int i = 1; i < g_argc; i++) {
		int n = atoi(g_argv[i]);
		ck_assert_msg(n > 0 && (rlim_t)n + 100 < rl.rlim_cur, "N=%d needs more than %llu fds", n,
			      (unsigned long long)rl.rlim_cur);
		bench(n);
	}
}
END_TEST

int main(int argc, char **argv)
{
	static char *defaults[] = {NULL, "1000", "10000"};
	g_argc = argc > 1 ? argc : 3;
	g_argv = argc > 1 ? argv : defaults;
	signal(SIGPIPE, SIG_IGN);
	Suite *suite = suite_create("ws-fanout-bench");
	TCase *tc = tcase_create("fanout");
	tcase_set_timeout(tc, 1800);
	tcase_add_test(tc, fanout);
	suite_add_tcase(suite, tc);
	SRunner *sr = srunner_create(suite);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
