/* Connections: the server keeps answering when clients hold every file
 * descriptor, trickling clients are cut off at their deadlines, and one
 * address may hold only so many connections. Raw sockets bound to distinct
 * loopback addresses (127.0.0.2 floods, 127.0.0.3 is the well-behaved client). */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

#define FLOOD_FILES 256   /* the server's file limit in the flood test */
#define FLOOD_CONNS 400   /* more idle connections than that */

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_s(double s)
{
	struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
	nanosleep(&ts, NULL);
}

/* A TCP connection to the server from source address src; reads time out after timeout_s. */
static int connect_from(const struct server *s, const char *src, double timeout_s)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(fd, 0);
	struct sockaddr_in a = {.sin_family = AF_INET};
	inet_pton(AF_INET, src, &a.sin_addr);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	struct timeval tv = {(time_t)timeout_s, (suseconds_t)((timeout_s - (double)(time_t)timeout_s) * 1e6)};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s->port)};
	inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
	ck_assert_msg(connect(fd, (struct sockaddr *)&to, sizeof to) == 0, "connect: %s", strerror(errno));
	return fd;
}

/* Reads one answer (head and Content-Length body) into out; its status, or 0
   if the connection ended or timed out first. */
static int read_answer(int fd, char *out, size_t size)
{
	size_t len = 0;
	out[0] = '\0';
	for (;;) {
		ssize_t n = recv(fd, out + len, size - 1 - len, 0);
		if (n <= 0)
			return 0;
		len += (size_t)n;
		out[len] = '\0';
		char *end = strstr(out, "\r\n\r\n");
		const char *cl = strcasestr(out, "\r\nContent-Length:");
		if (end && cl && len >= (size_t)(end + 4 - out) + strtoul(cl + 17, NULL, 10))
			break;
		if (len == size - 1)
			break;
	}
	int status = 0;
	return sscanf(out, "HTTP/1.1 %d", &status) == 1 ? status : 0;
}

static int get_from(const struct server *s, const char *src, const char *path, char *out, size_t size)
{
	int fd = connect_from(s, src, 10);
	char req[256];
	int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", path);
	ck_assert_int_eq(send(fd, req, (size_t)n, MSG_NOSIGNAL), n);
	int status = read_answer(fd, out, size);
	close(fd);
	return status;
}

static long file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (long)st.st_size : 0;
}

static void more_files_for_us(void)
{
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	ck_assert_uint_ge(rl.rlim_cur, FLOOD_CONNS + 64);
}

/* In the server's child: a low file limit it cannot raise (no CAP_SYS_RESOURCE). */
static void low_file_limit(void)
{
	struct rlimit rl = {FLOOD_FILES, FLOOD_FILES};
	setrlimit(RLIMIT_NOFILE, &rl);
	prctl(PR_CAPBSET_DROP, 24 /* CAP_SYS_RESOURCE */, 0, 0, 0);
}

/* (a) With more idle connections than file descriptors, the server still
   answers another address while the flood holds (it closes the oldest
   connection still without a request head to make room), does not spin, and
   logs the condition only now and then. */
START_TEST(fd_exhaustion_sheds_and_answers)
{
	more_files_for_us();
	struct server s;
	server_child_setup = low_file_limit;
	server_start(&s, NULL);
	server_child_setup = NULL;
	long log_before = file_size(s.log);

	static int flood[FLOOD_CONNS];
	for (int i = 0; i < FLOOD_CONNS; i++)
		flood[i] = connect_from(&s, "127.0.0.2", 5);
	sleep_s(0.5);
	char answer[4096];
	double t = now_s();
	ck_assert_int_eq(get_from(&s, "127.0.0.3", "/healthz", answer, sizeof answer), 200);
	ck_assert_msg(now_s() - t < 5, "/healthz took %.1f s during the flood", now_s() - t);
	sleep_s(1.5);
	ck_assert_int_eq(get_from(&s, "127.0.0.3", "/healthz", answer, sizeof answer), 200);
	ck_assert_double_gt(test_metric(&s, "verdict_connections_shed_total"), 0);

	for (int i = 0; i < FLOOD_CONNS; i++)
		close(flood[i]);
	sleep_s(0.3);
	ck_assert_int_eq(get_from(&s, "127.0.0.3", "/healthz", answer, sizeof answer), 200);
	long grown = file_size(s.log) - log_before;
	ck_assert_msg(grown < 64 * 1024, "the server log grew by %ld bytes", grown);
	ck_assert_int_eq(test_log_count(&s, "open files: 256"), 1);
	server_finish(&s);
}
END_TEST

/* (b) A client that sends its request head one byte a second is cut off at
   the header deadline (10 s by default), although every byte would restart
   an idle timeout. */
START_TEST(trickled_head_is_cut_off)
{
	struct server s;
	server_start(&s, NULL);
	const char head[] = "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n";
	int fd = connect_from(&s, "127.0.0.3", 1);
	double start = now_s(), cut = 0;
	for (size_t i = 0; i < 20 && !cut; i++) {
		if (send(fd, head + i, 1, MSG_NOSIGNAL) != 1) {
			cut = now_s() - start;
			break;
		}
		char c;
		ssize_t n = recv(fd, &c, 1, 0); /* waits up to 1 s: the pace */
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
			cut = now_s() - start;
		ck_assert_int_ne(n, 1);
	}
	close(fd);
	ck_assert_msg(cut > 0, "a head trickled for %.0f s was not cut off", now_s() - start);
	ck_assert_msg(cut >= 8 && cut <= 14, "cut off after %.1f s, expected about 10", cut);
	char answer[4096];
	ck_assert_int_eq(get_from(&s, "127.0.0.3", "/healthz", answer, sizeof answer), 200);
	ck_assert_double_ge(test_metric(&s, "verdict_connections_timed_out_total"), 1);
	server_finish(&s);
}
END_TEST

/* Sends text one byte every interval seconds; the seconds until the server
   ended the connection, or 0 if it never did. */
static double trickle(int fd, const char *text, double interval)
{
	double start = now_s();
	for (size_t i = 0; text[i]; i++) {
		char c;
		if (send(fd, text + i, 1, MSG_NOSIGNAL) != 1)
			return now_s() - start;
		sleep_s(interval);
		ssize_t n = recv(fd, &c, 1, MSG_DONTWAIT);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
			return now_s() - start;
		if (n > 0)
			return now_s() - start; /* an answer: the server gave up on it */
	}
	return 0;
}

/* (b, the HTTP server's part) A keep-alive connection's next request head
   and a request body have deadlines of their own that trickling bytes do not
   extend. */
START_TEST(trickled_keepalive_head_and_body_are_cut_off)
{
	struct server s;
	const char *args[] = {"--header-timeout", "2", "--idle-timeout", "3", "--body-timeout", "2", NULL};
	server_start(&s, args);
	char answer[4096];

	int fd = connect_from(&s, "127.0.0.3", 5);
	const char first[] = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
	ck_assert_int_eq(send(fd, first, sizeof first - 1, MSG_NOSIGNAL), (ssize_t)sizeof first - 1);
	ck_assert_int_eq(read_answer(fd, answer, sizeof answer), 200);
	double cut = trickle(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaa\r\n\r\n", 0.5);
	close(fd);
	/* idle (3) + header (2) from the end of the first answer, plus the sweep */
	ck_assert_msg(cut > 0 && cut < 7, "the second head was %s", cut > 0 ? "cut off late" : "never cut off");

	fd = connect_from(&s, "127.0.0.3", 5);
	const char post[] = "POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
			    "Content-Length: 60\r\n\r\n";
	ck_assert_int_eq(send(fd, post, sizeof post - 1, MSG_NOSIGNAL), (ssize_t)sizeof post - 1);
	cut = trickle(fd, "{\"username\": \"admin\", \"password\": \"xxxxxxxxxxxxxxxxxxxxxxxx\"}", 0.5);
	close(fd);
	ck_assert_msg(cut > 0 && cut < 4.5, "the body was %s", cut > 0 ? "cut off late" : "never cut off");
	ck_assert_double_ge(test_metric(&s, "verdict_connections_timed_out_total"), 2);
	ck_assert_int_eq(get_from(&s, "127.0.0.3", "/healthz", answer, sizeof answer), 200);
	server_finish(&s);
}
END_TEST

/* (c) An address that holds max-conns-per-address connections (256 here)
   gets 429 with Retry-After for the next one; another address is served;
   the count goes down again as connections close. */
START_TEST(per_address_cap)
{
	more_files_for_us();
	struct server s;
	const char *args[] = {"--max-conns-per-address", "256", NULL};
	server_start(&s, args);
	enum { CAP = 256 };
	static int held[CAP];
	char answer[4096];
	/* Half idle (still at the acceptor), half keep-alive after one request (in the HTTP server). */
	for (int i = 0; i < CAP; i++) {
		held[i] = connect_from(&s, "127.0.0.2", 5);
		if (i % 2) {
			const char req[] = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
			ck_assert_int_eq(send(held[i], req, sizeof req - 1, MSG_NOSIGNAL), (ssize_t)sizeof req - 1);
			ck_assert_int_eq(read_answer(held[i], answer, sizeof answer), 200);
		}
	}
	ck_assert_int_eq(get_from(&s, "127.0.0.2", "/healthz", answer, sizeof answer), 429);
	ck_assert_ptr_nonnull(strcasestr(answer, "\r\nRetry-After: "));
	ck_assert_ptr_nonnull(strstr(answer, "\r\nContent-Type: application/json"));
	json_t *body = json_loads(strstr(answer, "\r\n\r\n") + 4, 0, NULL);
	ck_assert_ptr_nonnull(body);
	const char *code = json_string_value(json_object_get(json_object_get(body, "error"), "code"));
	const char *msg = json_string_value(json_object_get(json_object_get(body, "error"), "message"));
	ck_assert_str_eq(code ? code : "", "rate_limited");
	ck_assert_ptr_nonnull(strstr(msg ? msg : "", "256"));
	json_decref(body);

	ck_assert_int_eq(get_from(&s, "127.0.0.3", "/healthz", answer, sizeof answer), 200);
	ck_assert_double_ge(test_metric(&s, "verdict_rate_limited_total{limit=\"conns_per_address\"}"), 1);
	ck_assert_double_ge(test_metric(&s, "verdict_connections_open"), CAP);

	for (int i = 0; i < CAP; i++)
		close(held[i]);
	double open = CAP;
	for (int i = 0; i < 50 && open > 1; i++) {
		sleep_s(0.1);
		open = test_metric(&s, "verdict_connections_open");
	}
	ck_assert_double_le(open, 1); /* the /metrics request itself */
	ck_assert_int_eq(get_from(&s, "127.0.0.2", "/healthz", answer, sizeof answer), 200);
	server_finish(&s);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("conns");
	TCase *tc = tcase_create("conns");
	tcase_set_timeout(tc, 90);
	tcase_add_test(tc, fd_exhaustion_sheds_and_answers);
	tcase_add_test(tc, trickled_head_is_cut_off);
	tcase_add_test(tc, trickled_keepalive_head_and_body_are_cut_off);
	tcase_add_test(tc, per_address_cap);
	suite_add_tcase(suite, tc);
	return test_run_suite(suite);
}
