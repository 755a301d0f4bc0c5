/* Single-port acceptor: accept, wait for the request head with MSG_PEEK
 * (never consuming it), route by request line, hand off the fd.
 *
 * Pending connections (accepted, not yet routed) are watched with edge-
 * triggered epoll, so a partial request head does not spin the loop. Each has
 * a deadline that trickling bytes do not move: its first byte within the idle
 * timeout of accept, its whole head (up to REQUEST_HEAD_MAX bytes) within the header
 * timeout; past it, the connection is closed. Their number is capped too.
 * Holding every connection until its head is complete means the HTTP server
 * is handed heads that are all there, and that every connection still
 * sending its head is here, where it can be shed.
 *
 * A connection that starts with "GET /ws/" is offered to the WebSocket side
 * with its whole head, so that it can authenticate the handshake before
 * taking it; if it declines, or the head is over REQUEST_HEAD_MAX, the connection
 * goes to the HTTP server, which answers.
 *
 * File descriptors. The acceptor keeps the number of open connections (here
 * and handed off) below the file limit less a reserve for the rest of the
 * server. At that line, or for SWEEP_US after accept failed for want of
 * descriptors or memory (EMFILE, ENFILE, ENOBUFS, ENOMEM), descriptors are
 * short, and shedding is by address, not by age: the address that holds the
 * most open connections (the heavy one, found afresh at the start of each
 * batch) gives way. A new connection from it is closed at once, unanswered
 * and unread, with a reset; one from any other address is taken, and to make
 * room the acceptor closes a pending connection (one that has not finished
 * its head) of the address with the most connections among those pending,
 * the oldest of its pending ones. So a flood from one address, however fast
 * it reopens what is closed, costs only its own connections, and a light
 * address's new connection is served as soon as the acceptor reaches it in
 * the backlog. With nothing pending to close, it stops accepting for
 * PAUSE_US, so the level-triggered socket cannot spin, and the backlog
 * waits. Such conditions are logged at most once a second.
 *
 * Batches. Each wakeup accepts at most ACCEPT_BATCH connections, then goes
 * back to epoll, so the heads of pending connections (a light client's among
 * them) are read between batches however fast one address reconnects.
 *
 * Per address. Every open connection counts against its client address from
 * accept to close (listener_conn_done, called by the HTTP and WebSocket
 * servers); one over the cap is answered 429 at once and closed. */
#include "listener.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <unistd.h>

#include "log.h"
#include "metrics.h"
#include "request.h"
#include "util.h"

#define MAX_PENDING 1024
#define SWEEP_US 250000          /* how often pending deadlines are checked */
#define PAUSE_US 100000          /* no accepting for this long when out of descriptors */
#define ADDR_BUCKETS 4096
#define ACCEPT_BATCH 64          /* connections accepted per wakeup */
static const char ws_prefix[] = "GET /ws/";
#define WS_PREFIX_LEN (sizeof ws_prefix - 1)

struct addr_count;

struct pending {
	int fd;
	struct addr_count *ac; /* its address's count: alive while this holds one */
	bool seen;        /* some bytes have arrived */
	int64_t since;    /* accepted */
	int64_t deadline;
	struct sockaddr_storage addr;
	socklen_t addr_len;
};

struct listener {
	int fd;
	int epoll_fd;
	int stop_fd; /* eventfd: wakes the thread to stop */
	uint16_t port;
	pthread_t thread;
	bool running;
	struct listener_limits limits;
	int max_open;        /* open connections allowed: the file limit less a reserve */
	int64_t paused_until; /* the listening socket is out of the epoll set until then, or 0 */
	int64_t starved_until; /* accept failed for want of descriptors: short until then */
	bool heavy_set;        /* heavy_key holds the heaviest address of this batch */
	unsigned char heavy_key[16];
	int heavy_count;       /* its open connections when found */
	listener_handoff http;
	listener_ws_handoff ws;
	void *http_ctx, *ws_ctx;
	char head[REQUEST_HEAD_MAX]; /* peek buffer for request heads */
	struct pending pending[MAX_PENDING];
	int pending_count;
};

/* ---- open connections per client address (process-wide) ---- */

struct addr_count {
	unsigned char key[16]; /* IPv6, or IPv4 as ::ffff:a.b.c.d */
	int count;
	struct addr_count *next;
};

static struct {
	pthread_mutex_t lock;
	struct addr_count *buckets[ADDR_BUCKETS];
	int open;
} conns = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void addr_key(const struct sockaddr *a, unsigned char key[16])
{
	memset(key, 0, 16);
	if (a->sa_family == AF_INET6) {
		memcpy(key, &((const struct sockaddr_in6 *)a)->sin6_addr, 16);
	} else if (a->sa_family == AF_INET) {
		key[10] = key[11] = 0xff;
		memcpy(key + 12, &((const struct sockaddr_in *)a)->sin_addr, 4);
	}
}

static struct addr_count **addr_find(const unsigned char key[16])
{
	unsigned h = 2166136261u;
	for (int i = 0; i < 16; i++)
		h = (h ^ key[i]) * 16777619u;
	struct addr_count **pp = &conns.buckets[h % ADDR_BUCKETS];
	while (*pp && memcmp((*pp)->key, key, 16) != 0)
		pp = &(*pp)->next;
	return pp;
}

/* Counts a new connection from the address with this key, unless it holds
   max already: its count entry (alive until the count drops back), or NULL. */
static struct addr_count *conn_acquire(const unsigned char key[16], int max)
{
	pthread_mutex_lock(&conns.lock);
	struct addr_count **pp = addr_find(key);
	struct addr_count *c = *pp;
	if (!c || c->count < max) {
		if (!c) {
			c = *pp = xcalloc(1, sizeof *c);
			memcpy(c->key, key, 16);
		}
		c->count++;
		conns.open++;
		metrics_add(METRIC_CONNS_OPEN, 1);
	} else {
		c = NULL;
	}
	pthread_mutex_unlock(&conns.lock);
	return c;
}

void listener_conn_done(const struct sockaddr *a)
{
	unsigned char key[16];
	addr_key(a, key);
	pthread_mutex_lock(&conns.lock);
	struct addr_count **pp = addr_find(key);
	struct addr_count *c = *pp;
	if (c) {
		if (--c->count == 0) {
			*pp = c->next;
			free(c);
		}
		conns.open--;
		metrics_add(METRIC_CONNS_OPEN, -1);
	}
	pthread_mutex_unlock(&conns.lock);
}

static int conns_open(void)
{
	pthread_mutex_lock(&conns.lock);
	int n = conns.open;
	pthread_mutex_unlock(&conns.lock);
	return n;
}

/* The address that holds the most open connections: false if there is none. */
static bool conns_heaviest(unsigned char key[16], int *count)
{
	const struct addr_count *best = NULL;
	pthread_mutex_lock(&conns.lock);
	if (conns.open)
		for (int b = 0; b < ADDR_BUCKETS; b++)
			for (const struct addr_count *c = conns.buckets[b]; c; c = c->next)
				if (!best || c->count > best->count)
					best = c;
	if (best) {
		memcpy(key, best->key, 16);
		*count = best->count;
	}
	pthread_mutex_unlock(&conns.lock);
	return best != NULL;
}

/* ---- the listening socket ---- */

struct listener *listener_new(const char *host, uint16_t port, const struct listener_limits *limits, char **err)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV};
	struct addrinfo *ai = NULL;
	char port_str[8];
	snprintf(port_str, sizeof port_str, "%u", port);
	int rc = getaddrinfo(host, port_str, &hints, &ai);
	if (rc != 0) {
		*err = xasprintf("cannot resolve listen address '%s': %s", host, gai_strerror(rc));
		return NULL;
	}
	int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int one = 1;
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
	    bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 4096) != 0) {
		*err = xasprintf("cannot listen on %s:%u: %s", host, port, strerror(errno));
		if (fd >= 0)
			close(fd);
		freeaddrinfo(ai);
		return NULL;
	}
	freeaddrinfo(ai);
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	getsockname(fd, (struct sockaddr *)&ss, &len);
	struct listener *l = xcalloc(1, sizeof *l);
	l->fd = fd;
	l->port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
						: ((struct sockaddr_in *)&ss)->sin_port);
	l->limits = *limits;
	l->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	l->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	return l;
}

uint16_t listener_port(const struct listener *l)
{
	return l->port;
}

static void pending_remove(struct listener *l, int i)
{
	epoll_ctl(l->epoll_fd, EPOLL_CTL_DEL, l->pending[i].fd, NULL);
	l->pending[i] = l->pending[--l->pending_count];
}

static void pending_close(struct listener *l, int i)
{
	struct pending p = l->pending[i];
	pending_remove(l, i);
	close(p.fd);
	listener_conn_done((struct sockaddr *)&p.addr);
}

/* Closes a pending connection to make room: of the address with the most open
   connections among those pending, its oldest. False if none is pending. */
static bool shed_heaviest(struct listener *l)
{
	if (!l->pending_count)
		return false;
	int victim = 0;
	pthread_mutex_lock(&conns.lock);
	int most = l->pending[0].ac->count;
	for (int i = 1; i < l->pending_count; i++) {
		int n = l->pending[i].ac->count;
		if (n > most || (n == most && l->pending[i].since < l->pending[victim].since)) {
			victim = i;
			most = n;
		}
	}
	pthread_mutex_unlock(&conns.lock);
	pending_close(l, victim);
	metrics_add(METRIC_CONNS_SHED, 1);
	return true;
}

static void format_addr(const unsigned char key[16], char *host, size_t size)
{
	static const unsigned char v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	if (memcmp(key, v4mapped, 12) == 0)
		inet_ntop(AF_INET, key + 12, host, (socklen_t)size);
	else
		inet_ntop(AF_INET6, key, host, (socklen_t)size);
}

/* Closes a new connection from the heavy address at once, unread and
   unanswered, with a reset: anything more (an answer, a FIN exchange and a
   TIME_WAIT socket) would spend on it what the others need. */
static void refuse_heavy(struct listener *l, int fd)
{
	static struct log_ratelimit rl;
	struct linger reset = {.l_onoff = 1, .l_linger = 0};
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
	close(fd);
	metrics_add(METRIC_CONNS_SHED, 1);
	char host[INET6_ADDRSTRLEN] = "?";
	format_addr(l->heavy_key, host, sizeof host);
	log_ratelimited(&rl, LOG_WARN, 0,
			"descriptors short: closing new connections from %s, which holds the most (%d)", host,
			l->heavy_count);
}

static void pause_accepting(struct listener *l, int errnum, const char *why)
{
	static struct log_ratelimit rl;
	log_ratelimited(&rl, LOG_WARN, errnum, "accept: %s; not accepting for %d ms", why, PAUSE_US / 1000);
	if (!l->paused_until)
		epoll_ctl(l->epoll_fd, EPOLL_CTL_DEL, l->fd, NULL);
	l->paused_until = now_us() + PAUSE_US;
}

static void resume_accepting(struct listener *l)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.fd = l->fd};
	l->paused_until = 0;
	if (epoll_ctl(l->epoll_fd, EPOLL_CTL_ADD, l->fd, &ev) != 0)
		pause_accepting(l, errno, "cannot watch the listening socket");
}

/* Answers 429 before reading anything and closes: the address holds its cap. */
static void refuse_over_cap(struct listener *l, int fd, const struct sockaddr *addr)
{
	static struct log_ratelimit rl;
	char body[256], text[640], host[INET6_ADDRSTRLEN] = "?";
	int retry = (int)((l->limits.header_timeout_us + 999999) / 1000000);
	int body_len = snprintf(body, sizeof body,
				"{\"error\":{\"code\":\"rate_limited\",\"message\":\"too many connections from "
				"this address: at most %d at once (max-conns-per-address)\"}}",
				l->limits.max_per_address);
	int len = snprintf(text, sizeof text,
			   "HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\n"
			   "Content-Length: %d\r\nRetry-After: %d\r\nCache-Control: no-store\r\n"
			   "Connection: close\r\n\r\n%s",
			   body_len, retry, body);
	/* A fresh socket's send buffer takes this in one non-blocking write. What
	   the client has sent already is read first, so that the close does not
	   reset the connection under the answer. */
	char sink[4096];
	for (int i = 0; i < 16 && recv(fd, sink, sizeof sink, MSG_DONTWAIT) > 0; i++)
		;
	if (send(fd, text, (size_t)len, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
		log_debug("listener: cannot answer 429: %s", strerror(errno));
	shutdown(fd, SHUT_WR);
	close(fd);
	metrics_add(METRIC_CONNS_OVER_CAP, 1);
	if (addr->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)addr)->sin_addr, host, sizeof host);
	else if (addr->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)addr)->sin6_addr, host, sizeof host);
	log_ratelimited(&rl, LOG_WARN, 0, "refused a connection from %s: it holds %d (max-conns-per-address)", host,
			l->limits.max_per_address);
}

static void accept_batch(struct listener *l)
{
	static struct log_ratelimit rl;
	l->heavy_set = false;
	for (int n = 0; n < ACCEPT_BATCH; n++) {
		int open = conns_open();
		bool full = open >= l->max_open;
		if (full && !l->pending_count) {
			pause_accepting(l, 0, "as many connections open as the file limit allows");
			return;
		}
		if ((full || now_us() < l->starved_until) && !l->heavy_set)
			l->heavy_set = conns_heaviest(l->heavy_key, &l->heavy_count);
		struct pending p = {.addr_len = sizeof p.addr};
		p.fd = accept4(l->fd, (struct sockaddr *)&p.addr, &p.addr_len, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (p.fd < 0) {
			int e = errno;
			if (e == EAGAIN || e == EWOULDBLOCK || e == EINTR)
				return;
			if (e == ECONNABORTED)
				continue;
			if (e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM) {
				l->starved_until = now_us() + SWEEP_US;
				if (shed_heaviest(l)) {
					log_ratelimited(&rl, LOG_WARN, e,
							"accept: closing a connection not yet routed of the heaviest address");
					continue;
				}
			}
			pause_accepting(l, e, "cannot accept");
			return;
		}
		unsigned char key[16];
		addr_key((struct sockaddr *)&p.addr, key);
		bool short_now = full || now_us() < l->starved_until;
		if (short_now && l->heavy_set && memcmp(key, l->heavy_key, 16) == 0) {
			refuse_heavy(l, p.fd);
			continue;
		}
		p.ac = conn_acquire(key, l->limits.max_per_address);
		if (!p.ac) {
			refuse_over_cap(l, p.fd, (struct sockaddr *)&p.addr);
			continue;
		}
		if (full || l->pending_count == MAX_PENDING)
			shed_heaviest(l); /* make room; pending_count > 0 when full, checked above */
		p.since = now_us();
		p.deadline = p.since + l->limits.idle_timeout_us;
		struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP | EPOLLET, .data.fd = p.fd};
		if (epoll_ctl(l->epoll_fd, EPOLL_CTL_ADD, p.fd, &ev) != 0) {
			close(p.fd);
			listener_conn_done((struct sockaddr *)&p.addr);
			continue;
		}
		l->pending[l->pending_count++] = p;
	}
}

/* The length of the request head (through its empty line; bare LF allowed)
   in buf, or 0 if it is not all there. */
static size_t head_length(const char *buf, size_t n)
{
	const char *end = buf + n;
	for (const char *p = buf; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++) {
		const char *q = p + 1;
		if (q < end && *q == '\r')
			q++;
		if (q < end && *q == '\n')
			return (size_t)(q + 1 - buf);
	}
	return 0;
}

/* Routes pending connection i once its head is in. */
static void route(struct listener *l, int i, uint32_t events)
{
	struct pending *p = &l->pending[i];
	ssize_t n = recv(p->fd, l->head, sizeof l->head, MSG_PEEK);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		pending_close(l, i);
		return;
	}
	size_t len = head_length(l->head, (size_t)n);
	if (!len && (size_t)n < sizeof l->head) {
		if (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
			pending_close(l, i); /* the rest of the head can no longer come */
			return;
		}
		if (!p->seen)
			p->deadline = p->since + l->limits.header_timeout_us;
		p->seen = true;
		return; /* wait for the rest; the edge trigger fires again */
	}
	struct pending c = *p;
	pending_remove(l, i);
	bool ws = (size_t)n >= WS_PREFIX_LEN && memcmp(l->head, ws_prefix, WS_PREFIX_LEN) == 0;
	if (ws && len && l->ws && l->ws(l->ws_ctx, c.fd, (struct sockaddr *)&c.addr, c.addr_len, l->head, len))
		return;
	l->http(l->http_ctx, c.fd, (struct sockaddr *)&c.addr, c.addr_len);
}

static void sweep(struct listener *l, int64_t now)
{
	for (int i = l->pending_count - 1; i >= 0; i--)
		if (now >= l->pending[i].deadline) {
			pending_close(l, i);
			metrics_add(METRIC_CONNS_TIMED_OUT, 1);
		}
}

static void *acceptor_main(void *arg)
{
	struct listener *l = arg;
	struct epoll_event events[64];
	int64_t next_sweep = now_us() + SWEEP_US;
	for (;;) {
		int64_t wake = l->paused_until && l->paused_until < next_sweep ? l->paused_until : next_sweep;
		int64_t now = now_us();
		int n = epoll_wait(l->epoll_fd, events, 64, wake > now ? (int)((wake - now + 999) / 1000) : 0);
		for (int e = 0; e < n; e++) {
			int fd = events[e].data.fd;
			if (fd == l->stop_fd)
				return NULL;
			if (fd == l->fd) {
				accept_batch(l);
				continue;
			}
			for (int i = 0; i < l->pending_count; i++)
				if (l->pending[i].fd == fd) {
					route(l, i, events[e].events);
					break;
				}
		}
		now = now_us();
		if (l->paused_until && now >= l->paused_until)
			resume_accepting(l);
		if (now >= next_sweep) {
			next_sweep = now + SWEEP_US;
			sweep(l, now);
		}
	}
}

int listener_start(struct listener *l, listener_handoff http, void *http_ctx, listener_ws_handoff ws, void *ws_ctx)
{
	l->http = http;
	l->http_ctx = http_ctx;
	l->ws = ws;
	l->ws_ctx = ws_ctx;
	/* Leave descriptors for the database, the workers' pipes, lingering
	   closes and the like: an eighth of the limit, and 64 more. */
	struct rlimit rl;
	rlim_t files = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY ? rl.rlim_cur : 1024;
	if (files > 1 << 24)
		files = 1 << 24;
	l->max_open = (int)files - 64 - (int)(files / 8);
	if (l->max_open < 16)
		l->max_open = 16;
	struct epoll_event ev = {.events = EPOLLIN, .data.fd = l->fd};
	struct epoll_event stop = {.events = EPOLLIN, .data.fd = l->stop_fd};
	if (epoll_ctl(l->epoll_fd, EPOLL_CTL_ADD, l->fd, &ev) != 0 ||
	    epoll_ctl(l->epoll_fd, EPOLL_CTL_ADD, l->stop_fd, &stop) != 0)
		return -errno;
	int rc = pthread_create(&l->thread, NULL, acceptor_main, l);
	if (rc != 0)
		return -rc;
	l->running = true;
	return 0;
}

void listener_free(struct listener *l)
{
	if (!l)
		return;
	if (l->running) {
		int rc = eventfd_kick(l->stop_fd);
		if (rc)
			log_warnx("cannot stop the acceptor: %s", strerror(-rc));
		pthread_join(l->thread, NULL);
	}
	while (l->pending_count)
		pending_close(l, l->pending_count - 1);
	close(l->fd);
	close(l->epoll_fd);
	close(l->stop_fd);
	free(l);
}
