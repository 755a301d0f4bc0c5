/* Single-port acceptor: accept, wait for the first bytes with MSG_PEEK (never
 * consuming them), route by request line, hand off the fd.
 *
 * Pending connections (accepted, not yet routed) are watched with edge-
 * triggered epoll, so a partial request line does not spin the loop; they are
 * closed after PENDING_TIMEOUT_US and their number is capped, so slow or idle
 * clients cannot pile up here.
 *
 * A connection that starts with "GET /ws/" is held until its whole request
 * head (up to REQUEST_HEAD_MAX bytes) has arrived, so that the WebSocket side
 * can authenticate the handshake before taking it; if it declines, or the
 * head is too large, the connection goes to the HTTP server, which answers. */
#include "listener.h"

#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "log.h"
#include "request.h"
#include "util.h"

#define MAX_PENDING 1024
#define PENDING_TIMEOUT_US (10 * 1000000)
static const char ws_prefix[] = "GET /ws/";
#define WS_PREFIX_LEN (sizeof ws_prefix - 1)

struct pending {
	int fd;
	int64_t since;
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
	listener_handoff http;
	listener_ws_handoff ws;
	void *http_ctx, *ws_ctx;
	char head[REQUEST_HEAD_MAX]; /* peek buffer for WebSocket request heads */
	struct pending pending[MAX_PENDING];
	int pending_count;
};

struct listener *listener_new(const char *host, uint16_t port, char **err)
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
	int fd = l->pending[i].fd;
	pending_remove(l, i);
	close(fd);
}

static void accept_burst(struct listener *l)
{
	for (int n = 0; n < 256; n++) {
		struct pending p;
		p.addr_len = sizeof p.addr;
		p.fd = accept4(l->fd, (struct sockaddr *)&p.addr, &p.addr_len, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (p.fd < 0) {
			if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
				log_warn("accept");
			return;
		}
		if (l->pending_count == MAX_PENDING) {
			/* Full of idle connections: the oldest one gives way. */
			int oldest = 0;
			for (int i = 1; i < l->pending_count; i++)
				if (l->pending[i].since < l->pending[oldest].since)
					oldest = i;
			pending_close(l, oldest);
		}
		p.since = now_us();
		struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP | EPOLLET, .data.fd = p.fd};
		if (epoll_ctl(l->epoll_fd, EPOLL_CTL_ADD, p.fd, &ev) != 0) {
			close(p.fd);
			continue;
		}
		l->pending[l->pending_count++] = p;
	}
}

/* Routes pending connection i if enough bytes have arrived. */
static void route(struct listener *l, int i)
{
	struct pending p = l->pending[i];
	char head[WS_PREFIX_LEN];
	ssize_t n = recv(p.fd, head, sizeof head, MSG_PEEK);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		pending_close(l, i);
		return;
	}
	bool ws_so_far = memcmp(head, ws_prefix, (size_t)n) == 0;
	if (ws_so_far && (size_t)n < WS_PREFIX_LEN)
		return; /* wait for more; the edge trigger fires again */
	if (ws_so_far && l->ws) {
		n = recv(p.fd, l->head, sizeof l->head, MSG_PEEK);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			pending_close(l, i);
			return;
		}
		const char *end = memmem(l->head, (size_t)n, "\r\n\r\n", 4);
		if (!end && (size_t)n < sizeof l->head)
			return; /* wait for the rest of the head */
		pending_remove(l, i);
		if (end && l->ws(l->ws_ctx, p.fd, (struct sockaddr *)&p.addr, p.addr_len, l->head,
				 (size_t)(end + 4 - l->head)))
			return;
		l->http(l->http_ctx, p.fd, (struct sockaddr *)&p.addr, p.addr_len);
		return;
	}
	pending_remove(l, i);
	l->http(l->http_ctx, p.fd, (struct sockaddr *)&p.addr, p.addr_len);
}

static void *acceptor_main(void *arg)
{
	struct listener *l = arg;
	struct epoll_event events[64];
	int64_t last_sweep = now_us();
	for (;;) {
		int n = epoll_wait(l->epoll_fd, events, 64, 1000);
		for (int e = 0; e < n; e++) {
			int fd = events[e].data.fd;
			if (fd == l->stop_fd)
				return NULL;
			if (fd == l->fd) {
				accept_burst(l);
				continue;
			}
			for (int i = 0; i < l->pending_count; i++)
				if (l->pending[i].fd == fd) {
					route(l, i);
					break;
				}
		}
		int64_t now = now_us();
		if (now - last_sweep >= 1000000) {
			last_sweep = now;
			for (int i = l->pending_count - 1; i >= 0; i--)
				if (now - l->pending[i].since > PENDING_TIMEOUT_US)
					pending_close(l, i);
		}
	}
}

int listener_start(struct listener *l, listener_handoff http, void *http_ctx, listener_ws_handoff ws, void *ws_ctx)
{
	l->http = http;
	l->http_ctx = http_ctx;
	l->ws = ws;
	l->ws_ctx = ws_ctx;
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
		uint64_t one = 1;
		if (write(l->stop_fd, &one, sizeof one) < 0)
			log_warn("cannot stop acceptor");
		pthread_join(l->thread, NULL);
	}
	while (l->pending_count)
		pending_close(l, l->pending_count - 1);
	close(l->fd);
	close(l->epoll_fd);
	close(l->stop_fd);
	free(l);
}
