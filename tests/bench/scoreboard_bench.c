/* Scoreboard benchmark: a public ICPC contest of 100 teams x 12 problems
 * whose submissions are written straight into SQLite (default 100,000, all
 * judged), then:
 *   - rebuild: boards_new on that database, in this process (what the server
 *     does at start), best of 3;
 *   - live: N (default 1,000) anonymous subscribers on the contest's public
 *     scoreboard socket, and 50 judgement changes at 10 per second, each a
 *     real REST rejudge (HTTP -> commit -> change hook -> board -> hub -> lws)
 *     of a wrong answer on a problem nobody solved, so that each changes one
 *     row (its pending count) and is one message; latency from just before
 *     the request to its receipt at each subscriber (p50/p99/max over N x 50);
 *   - GET: wrk on GET /api/contests/{id}/scoreboard (anonymous, public view)
 *     for requests/s, when wrk is installed.
 * The judge (--workers 1) is kept busy by a submission that sleeps, so the
 * rejudged submissions stay queued and the only changes are the measured ones.
 *
 * Usage: scoreboard-bench [SUBSCRIBERS [SUBMISSIONS]]. Asserts nothing about speed. */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sqlite3.h>
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

#include "boards.h"
#include "bench_util.h"
#include "common.h"
#include "db.h"
#include "log.h"

#define TEAMS 100
#define PROBLEMS 12
#define CHANGES 50
#define RATE_MS 100

static int subscribers_n = 1000;
static long submissions_n = 100000;

static void exec_sql(sqlite3 *h, const char *sql)
{
	char *msg = NULL;
	ck_assert_msg(sqlite3_exec(h, sql, NULL, NULL, &msg) == SQLITE_OK, "%.200s: %s", sql, msg ? msg : "?");
}

/* The contest (id 1), its teams and submissions; problems[] exist already.
   Problem 12 is never solved; the last CHANGES submissions are wrong answers on it. */
static void fill(const char *data, const long long problems[PROBLEMS], long n)
{
	char path[512];
	snprintf(path, sizeof path, "%s/verdict.db", data);
	sqlite3 *h;
	ck_assert_int_eq(sqlite3_open(path, &h), SQLITE_OK);
	int64_t start_ms = (int64_t)time(NULL) * 1000 - 3600 * 1000;
	char sql[2048];
	exec_sql(h, "BEGIN");
	snprintf(sql, sizeof sql,
		 "INSERT INTO contests (id, shortname, name, start_ms, duration_ms, public, created_at, updated_at)"
		 " VALUES (1, 'bench', 'Bench', %lld, 18000000, 1, 'x', 'x');"
		 "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < %d)"
		 " INSERT INTO teams (id, contest_id, key, label, name) SELECT i, 1, 't' || i, 't' || i, 'Team ' || i FROM k;"
		 "CREATE TEMP TABLE bench_p (ord INTEGER PRIMARY KEY, problem_id INTEGER)",
		 (long long)start_ms, TEAMS);
	exec_sql(h, sql);
	for (int p = 0; p < PROBLEMS; p++) {
		snprintf(sql, sizeof sql,
			 "INSERT INTO temp.bench_p VALUES (%d, %lld);"
			 "INSERT INTO contest_problems (contest_id, problem_id, label, ordinal) VALUES (1, %lld, '%c', %d)",
			 p, problems[p], problems[p], 'A' + p, p + 1);
		exec_sql(h, sql);
	}
	/* Problem 12 (ord 11) is never solved; the last CHANGES are wrong answers on it. */
	snprintf(sql, sizeof sql,
		 "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < %ld)"
		 " INSERT INTO submissions (id, problem_id, user_id, language, source, status, verdict,"
		 " tests_passed, tests_total, created_at, judged_at, contest_id, team_id, submitted_ms)"
		 " SELECT i, (SELECT problem_id FROM temp.bench_p WHERE ord = CASE WHEN i > %ld THEN 11 ELSE i %% %d END),"
		 " 1, 'c', 'x', 'done',"
		 " CASE WHEN i > %ld THEN 'WA' WHEN i %% 7 = 0 AND i %% %d <> 11 THEN 'AC' WHEN i %% 11 = 0 THEN 'CE'"
		 " ELSE 'WA' END, 0, 1, 'x', 'x', 1, 1 + i %% %d, %lld + i * (17000000 / %ld) FROM k;"
		 "INSERT INTO changes (kind, id, seq, scope_kind, scope_id)"
		 " SELECT 'submission', id, id + (SELECT value FROM counters WHERE name = 'seq'), 'contest', 1"
		 " FROM submissions WHERE contest_id = 1;"
		 "UPDATE counters SET value = value + %ld WHERE name = 'seq';"
		 "COMMIT",
		 n, n - CHANGES, PROBLEMS, n - CHANGES, PROBLEMS, TEAMS, (long long)start_ms, n, n);
	exec_sql(h, sql);
	sqlite3_close(h);
}

static void measure_rebuild(const char *data)
{
	log_set_level(LOG_WARN);
	int64_t best = INT64_MAX;
	for (int i = 0; i < 3; i++) {
		struct db *db = NULL;
		char *err = NULL;
		ck_assert_msg(db_open(data, false, &db, &err) == 0, "%s", err ? err : "");
		int64_t t = mono_us();
		struct boards *b = boards_new(db);
		t = mono_us() - t;
		boards_free(b);
		db_close(db);
		if (t < best)
			best = t;
	}
	printf("\nrebuild: boards of 1 contest (%d teams x %d problems, %ld submissions) in %.1f ms (best of 3)\n", TEAMS,
	       PROBLEMS, submissions_n, (double)best / 1e3);
	fflush(stdout);
}

/* ---- subscribers (one epoll process) ---- */

struct shared {
	int64_t sent[CHANGES];
	atomic_int stop;
	atomic_int connected;
	long long lost, extra;
	int64_t recv[];                 /* [conn * CHANGES + k]: receipt of the k-th message */
};

struct conn {
	int fd;
	int len;
	int got;                        /* messages so far */
	char buf[16384];
};

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
			sh->extra++;
			c->len = 0;
			return;
		}
		if ((size_t)(c->len - off) < hl + plen)
			break;
		if ((h[0] & 0x0f) == 1) {
			if (c->got < CHANGES) {
				sh->recv[(size_t)index * CHANGES + (size_t)c->got] = now;
				(*received)++;
			} else {
				sh->extra++;
			}
			c->got++;
		}
		off += (int)(hl + plen);
	}
	memmove(c->buf, c->buf + off, (size_t)(c->len - off));
	c->len -= off;
}

static void subscribers(struct shared *sh, int n, int port, int ready_fd)
{
	struct conn *conns = calloc((size_t)n, sizeof *conns);
	int ep = epoll_create1(EPOLL_CLOEXEC);
	char req[512];
	int req_len = snprintf(req, sizeof req,
			       "GET /ws/contests/1/scoreboard/ HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
			       "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
			       "Sec-WebSocket-Version: 13\r\n\r\n",
			       port);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	for (int i = 0; i < n; i++) {
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
		    write(fd, req, (size_t)req_len) != req_len) {
			fprintf(stderr, "subscriber %d: %s\n", i, strerror(errno));
			_exit(1);
		}
		struct conn *c = &conns[i];
		c->fd = fd;
		for (;;) {
			ssize_t r = read(fd, c->buf + c->len, sizeof c->buf - 1 - (size_t)c->len);
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
				fprintf(stderr, "subscriber %d: %.60s\n", i, c->buf);
				_exit(1);
			}
			end += 4;
			c->len -= (int)(end - c->buf);
			memmove(c->buf, end, (size_t)c->len);
			break;
		}
		struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
		epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	}
	atomic_store(&sh->connected, n);
	char ok = 1;
	if (write(ready_fd, &ok, 1) != 1)
		_exit(1);
	close(ready_fd);
	long long expected = (long long)n * CHANGES, received = 0;
	struct epoll_event events[256];
	while (received < expected && !atomic_load(&sh->stop)) {
		int k = epoll_wait(ep, events, 256, 100);
		for (int e = 0; e < k; e++) {
			int i = (int)events[e].data.u32;
			struct conn *c = &conns[i];
			ssize_t r = read(c->fd, c->buf + c->len, sizeof c->buf - (size_t)c->len);
			if (r <= 0)
				continue;
			c->len += (int)r;
			consume(sh, c, i, mono_us(), &received);
		}
	}
	sh->lost = expected - received;
	_exit(0);
}

static void bench(void)
{
	setenv("VERDICT_WS_PING_INTERVAL", "600", 1);
	struct server s;
	const char *args[] = {"--workers", "1", "--log-level", "warn", "--max-conns-per-address", "1000000", NULL};
	server_start(&s, args);
	long long problems[PROBLEMS];
	for (int p = 0; p < PROBLEMS; p++) {
		char body[512];
		snprintf(body, sizeof body,
			 "{\"slug\": \"p%d\", \"title\": \"P%d\", \"tests\": [{\"input\": \"1 2\\n\", \"output\": \"3\\n\"}]}",
			 p, p);
		problems[p] = test_create_problem(&s, body);
	}
	ck_assert_int_eq(server_stop(&s), 0);
	fill(s.data, problems, submissions_n);
	measure_rebuild(s.data);
	int64_t t0 = mono_us();
	server_restart(&s, args);
	printf("server start with the boards rebuilt: %.1f ms until /healthz answered\n", (double)(mono_us() - t0) / 1e3);

	bench_block_judge(&s);
	struct response r;
	char path[160];

	int n = subscribers_n;
	size_t shsize = sizeof(struct shared) + (size_t)n * CHANGES * sizeof(int64_t);
	struct shared *sh = mmap(NULL, shsize, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ck_assert(sh != MAP_FAILED);
	int ready[2];
	ck_assert_int_eq(pipe(ready), 0);
	pid_t child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		close(ready[0]);
		subscribers(sh, n, s.port, ready[1]);
	}
	close(ready[1]);
	char ok;
	ck_assert_msg(read(ready[0], &ok, 1) == 1, "the subscribers could not connect");
	close(ready[0]);
	usleep(500000);

	int64_t start = mono_us();
	for (int i = 0; i < CHANGES; i++) {
		sleep_until(start + (int64_t)i * RATE_MS * 1000);
		snprintf(path, sizeof path, "/api/submissions/%ld/rejudge", submissions_n - CHANGES + 1 + i);
		sh->sent[i] = mono_us();
		http_json_request(&r, &s, "POST", path, s.admin_token, NULL);
		ck_assert_int_eq(r.status, 202);
		response_free(&r);
	}
	int64_t last = mono_us();
	int status = 0;
	while (waitpid(child, &status, WNOHANG) == 0) {
		if (mono_us() - last > 30 * 1000000)
			atomic_store(&sh->stop, 1);
		usleep(20000);
	}
	size_t pairs = (size_t)n * CHANGES, got = 0;
	int64_t *lat = malloc(pairs * sizeof *lat);
	for (size_t i = 0; i < pairs; i++)
		if (sh->recv[i])
			lat[got++] = sh->recv[i] - sh->sent[i % CHANGES];
	qsort(lat, got, sizeof *lat, cmp_i64);
	printf("live: %d subscribers, %d judgement changes at %d/s: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms;"
	       " lost %zu, extra %lld\n",
	       n, CHANGES, 1000 / RATE_MS, (double)pct(lat, got, 0.5) / 1e3, (double)pct(lat, got, 0.9) / 1e3,
	       (double)pct(lat, got, 0.99) / 1e3, got ? (double)lat[got - 1] / 1e3 : -1.0, pairs - got, sh->extra);
	fflush(stdout);
	free(lat);
	munmap(sh, shsize);

	if (system("command -v wrk >/dev/null 2>&1") == 0) {
		char cmd[512];
		snprintf(cmd, sizeof cmd,
			 "wrk -t1 -c32 -d5s --latency http://127.0.0.1:%d/api/contests/1/scoreboard 2>&1 |"
			 " grep -E 'Requests/sec|Transfer/sec|50%%|99%%|Non-2xx|Socket errors'",
			 s.port);
		printf("GET /api/contests/1/scoreboard (public view, %d rows, wrk -t1 -c32 -d5s):\n", TEAMS);
		fflush(stdout);
		if (system(cmd) != 0)
			printf("(wrk failed)\n");
		http_json_request(&r, &s, "GET", "/api/contests/1/scoreboard", NULL, NULL);
		printf("(one answer: %zu bytes, status %ld)\n", r.body_len, r.status);
		response_free(&r);
	} else {
		printf("wrk is not installed: no GET figures\n");
	}
	fflush(stdout);
	ck_assert_int_eq(server_stop(&s), 0);
	server_cleanup(&s);
}

START_TEST(scoreboard)
{
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	bench();
}
END_TEST

int main(int argc, char **argv)
{
	if (argc > 1)
		subscribers_n = atoi(argv[1]);
	if (argc > 2)
		submissions_n = atol(argv[2]);
	signal(SIGPIPE, SIG_IGN);
	Suite *suite = suite_create("scoreboard-bench");
	TCase *tc = tcase_create("scoreboard");
	tcase_set_timeout(tc, 1800);
	tcase_add_test(tc, scoreboard);
	suite_add_tcase(suite, tc);
	SRunner *sr = srunner_create(suite);
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
