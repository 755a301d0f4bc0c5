/* A streamed GET read line by line: see http_lines.h. */
#include "http_lines.h"

#include <check.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

enum { CHUNK_SIZE, CHUNK_DATA, CHUNK_CRLF, CHUNK_DONE };

static long long mono_ms_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void grow(char **p, size_t *cap, size_t need)
{
	if (need <= *cap)
		return;
	*cap = need < 4096 ? 4096 : need * 2;
	*p = realloc(*p, *cap);
	ck_assert_ptr_nonnull(*p);
}

/* Reads what arrives within timeout_ms into raw; false at the end of the stream. */
static bool fill(struct http_lines *l, int timeout_ms)
{
	struct pollfd p = {.fd = l->fd, .events = POLLIN};
	int n = poll(&p, 1, timeout_ms);
	if (n <= 0)
		return true;
	grow(&l->raw, &l->raw_cap, l->raw_len + 65536);
	ssize_t got = recv(l->fd, l->raw + l->raw_len, 65536, MSG_DONTWAIT);
	if (got > 0) {
		l->raw_len += (size_t)got;
		return true;
	}
	return got < 0 && (errno == EAGAIN || errno == EINTR);
}

static void consume(struct http_lines *l, size_t n)
{
	memmove(l->raw, l->raw + n, l->raw_len - n);
	l->raw_len -= n;
}

static void add_body(struct http_lines *l, const char *p, size_t n)
{
	grow(&l->body, &l->body_cap, l->body_len + n + 1);
	memcpy(l->body + l->body_len, p, n);
	l->body_len += n;
}

/* Moves what can be decoded from raw to body. */
static void decode(struct http_lines *l)
{
	if (!l->chunked) {
		add_body(l, l->raw, l->raw_len);
		l->raw_len = 0;
		return;
	}
	for (;;) {
		if (l->state == CHUNK_SIZE) {
			char *eol = memmem(l->raw, l->raw_len, "\r\n", 2);
			if (!eol)
				return;
			l->chunk_left = strtoul(l->raw, NULL, 16);
			consume(l, (size_t)(eol - l->raw) + 2);
			l->state = l->chunk_left ? CHUNK_DATA : CHUNK_DONE;
			if (l->state == CHUNK_DONE) {
				l->ended = true; /* trailers, if any, are not read */
				return;
			}
		} else if (l->state == CHUNK_DATA) {
			size_t n = l->raw_len < l->chunk_left ? l->raw_len : l->chunk_left;
			if (!n)
				return;
			add_body(l, l->raw, n);
			consume(l, n);
			l->chunk_left -= n;
			if (!l->chunk_left)
				l->state = CHUNK_CRLF;
		} else if (l->state == CHUNK_CRLF) {
			if (l->raw_len < 2)
				return;
			consume(l, 2);
			l->state = CHUNK_SIZE;
		} else {
			return;
		}
	}
}

long http_lines_open(struct http_lines *l, const struct server *s, const char *path, const char *token,
		     const char *const *extra_headers)
{
	memset(l, 0, sizeof *l);
	l->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(l->fd, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s->port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_msg(connect(l->fd, (struct sockaddr *)&a, sizeof a) == 0, "connect: %s", strerror(errno));
	char req[4096];
	int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n", path, s->port);
	if (token)
		n += snprintf(req + n, sizeof req - (size_t)n, "Authorization: Bearer %s\r\n", token);
	for (const char *const *h = extra_headers; h && *h; h++)
		n += snprintf(req + n, sizeof req - (size_t)n, "%s\r\n", *h);
	n += snprintf(req + n, sizeof req - (size_t)n, "\r\n");
	ck_assert_int_eq(send(l->fd, req, (size_t)n, MSG_NOSIGNAL), n);
	char *end = NULL;
	for (long long until = mono_ms_now() + 30000; !end;) {
		ck_assert_msg(mono_ms_now() < until, "GET %s: no answer head in 30 s", path);
		bool open = fill(l, 100);
		end = l->raw_len ? memmem(l->raw, l->raw_len, "\r\n\r\n", 4) : NULL;
		ck_assert_msg(end || open, "GET %s: closed before the answer's head", path);
	}
	size_t head = (size_t)(end - l->raw) + 4;
	ck_assert_uint_lt(head, sizeof l->headers);
	memcpy(l->headers, l->raw, head);
	l->headers[head] = '\0';
	consume(l, head);
	ck_assert(sscanf(l->headers, "HTTP/1.%*d %ld", &l->status) == 1);
	for (char *h = strstr(l->headers, "\r\n"); h && h[2] != '\r'; h = strstr(h + 2, "\r\n")) {
		char line[512];
		size_t len = strcspn(h + 2, "\r");
		snprintf(line, sizeof line, "%.*s", (int)len, h + 2);
		if (strncasecmp(line, "Transfer-Encoding:", 18) == 0 && strstr(line, "chunked"))
			l->chunked = true;
	}
	decode(l);
	return l->status;
}

/* A whole line from body, or NULL. */
static char *take_line(struct http_lines *l)
{
	char *nl = l->body_len ? memchr(l->body, '\n', l->body_len) : NULL;
	if (!nl)
		return NULL;
	size_t n = (size_t)(nl - l->body);
	char *line = malloc(n + 1);
	ck_assert_ptr_nonnull(line);
	memcpy(line, l->body, n);
	line[n] = '\0';
	memmove(l->body, nl + 1, l->body_len - n - 1);
	l->body_len -= n + 1;
	return line;
}

char *http_lines_next(struct http_lines *l, int timeout_ms)
{
	long long until = mono_ms_now() + timeout_ms;
	for (;;) {
		char *line = take_line(l);
		if (line || l->ended || l->fd < 0)
			return line;
		long long left = until - mono_ms_now();
		bool open = fill(l, left > 0 ? (int)left : 0);
		decode(l);
		if (!open)
			l->ended = true;
		if (left <= 0 && !(line = take_line(l)))
			return NULL;
		if (line)
			return line;
	}
}

void http_lines_close(struct http_lines *l)
{
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
	free(l->raw);
	free(l->body);
	l->raw = l->body = NULL;
}
