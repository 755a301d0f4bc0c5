/* libmicrohttpd glue: one request_state per request carries the route, the
 * body as it arrives, the session and the answer. The access handler runs in
 * three phases (see on_request); every check that can refuse a request
 * (route, method, session, role, content type, declared size) happens in the
 * first phase, before a byte of the body is read. */
#include "http_int.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stdatomic.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "app.h"
#include "auth.h"
#include "config.h"
#include "json_util.h"
#include "listener.h"
#include "log.h"
#include "metrics.h"
#include "request.h"
#include "session.h"
#include "util.h"

#define STATIC_ROUTE(s) ((s)->routes.count) /* metrics index of the web UI */
#define LINGER_US (2 * 1000000) /* how long a refused upload may go on arriving */
#define LINGER_MAX 256           /* connections lingering at once; beyond, closed at once */
#define BODY_MIN_RATE (64 * 1024) /* bytes/s a body must keep up, on average, beyond the body timeout */

/* A request refused while its body is still arriving (413 part way through a
   chunked body; 401, 413, 415... on the headers of one with a body) is
   answered by writing straight to the socket: libmicrohttpd cannot queue an
   answer in the middle of a body (MHD_queue_response fails), and after an
   answer on the headers it closes the socket with the body arriving. A
   socket closed with unread bytes in it is reset, and a client busy sending
   sees the reset before the answer. So the socket is kept open (a dup of
   MHD's fd) by the linger thread, which reads and drops what still arrives
   until the client closes, or for LINGER_US at most (a lingering close, as in
   RFC 9112, 9.6). */
struct lingering {
	pthread_mutex_t lock; /* guards fds, until, count */
	int epoll_fd;
	int wake_fd;          /* eventfd: stop */
	pthread_t thread;
	bool running;
	int fds[LINGER_MAX];
	int64_t until[LINGER_MAX];
	int count;
};

/* Deadlines. libmicrohttpd's own timeout (the idle timeout here) restarts
   with every byte, so a client that trickles could hold a connection for
   ever. Each connection therefore has an absolute deadline too, which bytes
   do not move: its head within the header timeout of reaching us (the
   acceptor has already waited for the first request's head, so this only
   bites on heads over its peek size and on later keep-alive requests: idle
   timeout plus header timeout from the end of the previous one), its body
   within a time scaled by its size, none while the handler runs and the
   answer is sent. The linger thread sweeps them; one past its deadline is
   shut down (shutdown(2), not close: libmicrohttpd sees the end of the
   stream, closes and frees it as for any peer that went away). The sweep
   and the close notification both hold conns_lock, and libmicrohttpd
   notifies before it closes the fd, so a swept fd is never a reused one. */
struct http_conn {
	int fd;
	_Atomic int64_t deadline;  /* now_us() time, or 0: none */
	struct http_conn *prev, *next;
};

struct http_server {
	struct MHD_Daemon *daemon;
	struct app *app;
	struct http_routes routes;
	const char **route_names; /* metrics labels: the patterns, then "static" */
	struct lingering linger;
	pthread_mutex_t conns_lock; /* guards conns */
	struct http_conn *conns;
	int64_t header_us, body_us, idle_us;
};

static void linger_close(struct lingering *l, int i)
{
	epoll_ctl(l->epoll_fd, EPOLL_CTL_DEL, l->fds[i], NULL);
	close(l->fds[i]);
	l->count--;
	l->fds[i] = l->fds[l->count];
	l->until[i] = l->until[l->count];
}

static void conns_sweep(struct http_server *s)
{
	static struct log_ratelimit rl;
	int64_t now = now_us();
	pthread_mutex_lock(&s->conns_lock);
	for (struct http_conn *c = s->conns; c; c = c->next) {
		int64_t deadline = atomic_load(&c->deadline);
		if (deadline && now >= deadline) {
			atomic_store(&c->deadline, 0);
			shutdown(c->fd, SHUT_RDWR);
			metrics_add(METRIC_CONNS_TIMED_OUT, 1);
			log_ratelimited(&rl, LOG_INFO, 0, "http: closing a connection past its request deadline");
		}
	}
	pthread_mutex_unlock(&s->conns_lock);
}

static void *linger_main(void *arg)
{
	struct http_server *s = arg;
	struct lingering *l = &s->linger;
	static char sink[64 * 1024];
	for (;;) {
		struct epoll_event ev[16];
		int n = epoll_wait(l->epoll_fd, ev, 16, 100);
		pthread_mutex_lock(&l->lock);
		for (int e = 0; e < n; e++) {
			if (ev[e].data.fd == l->wake_fd) {
				pthread_mutex_unlock(&l->lock);
				return NULL;
			}
			for (int i = 0; i < l->count; i++) {
				if (l->fds[i] != ev[e].data.fd)
					continue;
				ssize_t got;
				while ((got = read(l->fds[i], sink, sizeof sink)) > 0)
					;
				if (got == 0 || (errno != EAGAIN && errno != EINTR))
					linger_close(l, i);
				break;
			}
		}
		int64_t now = now_us();
		for (int i = l->count - 1; i >= 0; i--)
			if (now >= l->until[i])
				linger_close(l, i);
		pthread_mutex_unlock(&l->lock);
		conns_sweep(s);
	}
}

static int linger_start(struct http_server *s)
{
	struct lingering *l = &s->linger;
	pthread_mutex_init(&l->lock, NULL);
	l->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	l->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	struct epoll_event ev = {.events = EPOLLIN, .data.fd = l->wake_fd};
	if (l->epoll_fd < 0 || l->wake_fd < 0 || epoll_ctl(l->epoll_fd, EPOLL_CTL_ADD, l->wake_fd, &ev) != 0 ||
	    pthread_create(&l->thread, NULL, linger_main, s) != 0)
		return -1;
	l->running = true;
	return 0;
}

static void linger_stop(struct lingering *l)
{
	if (l->running) {
		int rc = eventfd_kick(l->wake_fd);
		if (rc)
			log_warnx("http: cannot stop the linger thread: %s", strerror(-rc));
		pthread_join(l->thread, NULL);
	}
	while (l->count)
		linger_close(l, l->count - 1);
	if (l->epoll_fd >= 0)
		close(l->epoll_fd);
	if (l->wake_fd >= 0)
		close(l->wake_fd);
	pthread_mutex_destroy(&l->lock);
}

/* Takes fd (a dup of a connection's socket) and closes it once the peer is done or time is up. */
static void linger_add(struct lingering *l, int fd)
{
	pthread_mutex_lock(&l->lock);
	struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.fd = fd};
	if (l->count == LINGER_MAX || epoll_ctl(l->epoll_fd, EPOLL_CTL_ADD, fd, &ev) != 0) {
		close(fd);
	} else {
		l->fds[l->count] = fd;
		l->until[l->count++] = now_us() + LINGER_US;
	}
	pthread_mutex_unlock(&l->lock);
}

static const char *const method_names[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OTHER"};

static enum http_method parse_method(const char *m)
{
	for (int i = 0; i < HTTP_OTHER; i++)
		if (strcmp(m, method_names[i]) == 0)
			return (enum http_method)i;
	return HTTP_OTHER;
}

void http_json(struct http_response *res, int status, json_t *body)
{
	json_decref(res->json);
	res->status = status;
	res->json = body;
}

void http_json_text(struct http_response *res, int status, char *text, size_t len)
{
	json_decref(res->json);
	res->json = NULL;
	if (!res->body_static)
		free(res->body);
	res->status = status;
	res->body = text;
	res->body_len = len;
	res->body_static = false;
	res->content_type = "application/json";
}

void http_error(struct http_response *res, int status, const char *code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = NULL;
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	http_json(res, status, json_pack("{s:{s:s, s:o}}", "error", "code", code, "message",
					   json_string_lossy(msg ? msg : code, strlen(msg ? msg : code))));
	free(msg);
}

const char *http_query(struct http_request *req, const char *key)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, key);
}

const char *http_header(struct http_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

/* Suspended before the work is handed over, so a resume never comes first. */
void http_defer(struct http_request *req)
{
	struct request_state *rs = (struct request_state *)((char *)req - offsetof(struct request_state, req));
	rs->deferred = true;
	MHD_suspend_connection(req->conn);
}

void http_resume(struct http_request *req)
{
	MHD_resume_connection(req->conn);
}

/* ---- streamed answers ---- */

/* The connection waits suspended while the reader has nothing to send. A
   wake must never be lost and must never resume a connection that is not
   suspended (undefined in libmicrohttpd), so both flags live under lock: a
   wake that comes while next() runs, or before the connection is suspended,
   sets `woken` and the content reader calls next() again instead of
   suspending. MHD_suspend_connection is called with lock held, so a wake
   that sees `suspended` finds the connection suspended; it resumes it after
   letting go of lock (libmicrohttpd's own lock comes after ours). Only
   libmicrohttpd's threads suspend, from the content reader, as its manual
   says. */
struct http_stream {
	struct MHD_Connection *conn;
	struct http_stream_reader reader;
	pthread_mutex_t lock; /* guards suspended, woken */
	bool suspended;       /* suspended by stream_read, not yet resumed */
	bool woken;           /* a wake came while not suspended */
};

struct http_stream *http_stream(struct http_response *res, int status, const char *content_type,
				const struct http_stream_reader *reader)
{
	struct request_state *rs = (struct request_state *)((char *)res - offsetof(struct request_state, res));
	struct http_stream *s = xcalloc(1, sizeof *s);
	s->conn = rs->req.conn;
	s->reader = *reader;
	pthread_mutex_init(&s->lock, NULL);
	rs->stream = s;
	res->status = status;
	res->content_type = content_type;
	return s;
}

void http_stream_wake(struct http_stream *s)
{
	pthread_mutex_lock(&s->lock);
	bool resume = s->suspended;
	s->suspended = false;
	if (!resume)
		s->woken = true;
	pthread_mutex_unlock(&s->lock);
	/* Nobody else resumes it, so it stays suspended (and alive) until here. */
	if (resume)
		MHD_resume_connection(s->conn);
}

/* libmicrohttpd's content reader: the next bytes, or suspends until a wake. */
static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	(void)pos;
	struct http_stream *s = cls;
	for (;;) {
		pthread_mutex_lock(&s->lock);
		s->woken = false; /* what woke us is visible to next() from here on */
		pthread_mutex_unlock(&s->lock);
		long n = s->reader.next(s->reader.ctx, buf, max);
		if (n < 0)
			return MHD_CONTENT_READER_END_OF_STREAM;
		if (n > 0)
			return (ssize_t)(n > (long)max ? (long)max : n);
		pthread_mutex_lock(&s->lock);
		if (!s->woken) {
			s->suspended = true;
			MHD_suspend_connection(s->conn);
			pthread_mutex_unlock(&s->lock);
			return 0;
		}
		pthread_mutex_unlock(&s->lock);
	}
}

static void stream_free(void *cls)
{
	struct http_stream *s = cls;
	if (s->reader.release)
		s->reader.release(s->reader.ctx);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

bool http_paging(struct http_request *req, struct http_response *res, int *page, int *per_page)
{
	const char *names[2] = {"page", "per_page"};
	int *outs[2] = {page, per_page};
	*page = 1;
	*per_page = 20;
	for (int i = 0; i < 2; i++) {
		const char *v = http_query(req, names[i]);
		int64_t n;
		if (!v)
			continue;
		if (!parse_id(v, &n) || n > (i ? 100 : 1000000)) {
			http_error(res, 400, "bad_request", "invalid %s '%s': expected a number from 1 to %d", names[i],
				   v, i ? 100 : 1000000);
			return false;
		}
		*outs[i] = (int)n;
	}
	return true;
}

/* ---- routing ---- */

/* A {key} segment: a CLICS id, [A-Za-z0-9_.-]{1,36}, not starting with '-' or '.'. */
static bool valid_key(const char *seg, size_t len)
{
	if (len == 0 || len > 36 || seg[0] == '-' || seg[0] == '.')
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)seg[i]) && !strchr("_.-", seg[i]))
			return false;
	return true;
}

/* Copies the first {key} segment of path (which matched pattern) into key. */
static void route_key(const char *pattern, const char *path, char key[40])
{
	key[0] = '\0';
	while (*pattern == '/' && *path == '/') {
		pattern++, path++;
		size_t plen = strcspn(pattern, "/"), slen = strcspn(path, "/");
		if (plen == 5 && memcmp(pattern, "{key}", 5) == 0 && slen < 40) {
			memcpy(key, path, slen);
			key[slen] = '\0';
			return;
		}
		pattern += plen, path += slen;
	}
}

int http_route_match(const char *pattern, const char *path, int64_t ids[2], const char **bad, size_t *bad_len)
{
	int literal = 0, nid = 0;
	for (;;) {
		if (*pattern != '/' || *path != '/')
			return *pattern == *path ? literal : -1;
		pattern++, path++;
		size_t plen = strcspn(pattern, "/"), slen = strcspn(path, "/");
		if (plen == 4 && memcmp(pattern, "{id}", 4) == 0) {
			char seg[24];
			int64_t v = 0;
			if (slen == 0)
				return -1;
			if (slen < sizeof seg) {
				memcpy(seg, path, slen);
				seg[slen] = '\0';
			}
			if (slen >= sizeof seg || !parse_id(seg, &v)) {
				if (!*bad)
					*bad = path, *bad_len = slen;
			}
			if (nid < 2)
				ids[nid++] = v;
		} else if (plen == 5 && memcmp(pattern, "{key}", 5) == 0) {
			if (slen == 0)
				return -1;
			if (!valid_key(path, slen) && !*bad)
				*bad = path, *bad_len = slen;
		} else if (plen == slen && memcmp(pattern, path, plen) == 0) {
			literal++;
		} else {
			return -1;
		}
		pattern += plen, path += slen;
	}
}

/* The methods of the routes whose pattern matches path with that score, for a 405's Allow. */
static char *allowed_methods(const struct http_routes *table, const char *path, int score)
{
	struct buf allow;
	buf_init(&allow);
	for (int i = 0; i < table->count; i++) {
		int64_t ids[2];
		const char *b = NULL;
		size_t blen;
		if (http_route_match(table->list[i].pattern, path, ids, &b, &blen) == score)
			buf_printf(&allow, "%s%s", allow.len ? ", " : "", method_names[table->list[i].method]);
	}
	return buf_detach(&allow, NULL);
}

const struct route *http_find_route(const struct http_routes *table, struct request_state *rs, const char *path)
{
	const struct route *routes = table->list;
	int best = -1, best_score = -1;
	const char *bad = NULL;
	size_t bad_len = 0;
	for (int i = 0; i < table->count; i++) {
		int64_t ids[2] = {0, 0};
		const char *b = NULL;
		size_t blen = 0;
		int score = http_route_match(routes[i].pattern, path, ids, &b, &blen);
		if (score < 0 || score < best_score)
			continue;
		if (score > best_score) {
			best_score = score;
			best = -1;
			bad = b, bad_len = blen;
		}
		enum http_method m = rs->req.method == HTTP_HEAD ? HTTP_GET : rs->req.method;
		if (routes[i].method == m && best < 0) {
			best = i;
			memcpy(rs->req.id, ids, sizeof ids);
		}
	}
	if (best_score < 0)
		return NULL;
	if (best < 0) {
		rs->res.allow = allowed_methods(table, path, best_score);
		http_error(&rs->res, 405, "method_not_allowed", "method %s is not allowed on %s (allowed: %s)",
			   rs->method, path, rs->res.allow);
		return &routes[0];
	}
	/* Answered (400) only after the session checks: without one, every endpoint says 401. */
	rs->bad_id = bad;
	rs->bad_id_len = bad_len;
	rs->route_index = best;
	route_key(routes[best].pattern, path, rs->req.key);
	return &routes[best];
}

/* ---- sessions ---- */

static void authenticate(struct request_state *rs)
{
	const char *authorization = http_header(&rs->req, MHD_HTTP_HEADER_AUTHORIZATION);
	const char *bearer = request_bearer(authorization);
	if (!bearer && authorization) {
		const struct config *cfg = rs->req.app->cfg;
		struct login_limits limits = {cfg->login_pair_failures, cfg->login_address_failures, cfg->login_window};
		int rc = session_from_basic(rs->req.app->db, &limits, authorization, rs->req.client, now_unix(),
					    &rs->session.user, &rs->basic_retry);
		/* A browser sends remembered Basic credentials along on cross-site
		   requests, as it does cookies: the same cross-site check applies. */
		rs->session.from_cookie = true;
		if (rc == 0)
			rs->req.user = &rs->session.user;
		else if (rc != SESSION_E_NOT_BASIC)
			rs->basic_refused = rc;
		if (rc != SESSION_E_NOT_BASIC)
			return;
	}
	if (session_from_request(rs->req.app->db, bearer, http_header(&rs->req, MHD_HTTP_HEADER_COOKIE), now_unix(),
				 &rs->session) == 0) {
		rs->req.user = &rs->session.user;
		rs->req.token = rs->session.token;
	}
}

/* Cookies ride along on cross-site requests; bearer tokens do not. A
   state-changing request authenticated by cookie must come from our own pages. */
static bool cross_site(struct request_state *rs)
{
	if (!rs->session.from_cookie || rs->req.method == HTTP_GET || rs->req.method == HTTP_HEAD)
		return false;
	return request_cross_site(http_header(&rs->req, "Sec-Fetch-Site"), http_header(&rs->req, "Origin"),
				  http_header(&rs->req, "Host"));
}

/* ---- answering ---- */

/* Counts a request in /metrics as its answer is handed over, so that a client
   that has its answer also finds it counted. */
static void count_request(struct request_state *rs)
{
	if (rs->counted)
		return;
	rs->counted = true;
	metrics_request(rs->route_index, rs->res.status, now_us() - rs->started);
}

/* True when addr is the --trusted-proxy address (an IPv4 one also as
   IPv4-mapped IPv6). */
static bool from_trusted_proxy(const struct sockaddr *addr, const char *proxy)
{
	unsigned char want[16], got[16];
	size_t len;
	if (!addr || !proxy)
		return false;
	if (inet_pton(AF_INET, proxy, want) == 1)
		len = 4;
	else if (inet_pton(AF_INET6, proxy, want) == 1)
		len = 16;
	else
		return false;
	if (addr->sa_family == AF_INET) {
		memcpy(got, &((const struct sockaddr_in *)addr)->sin_addr, 4);
		return len == 4 && memcmp(got, want, 4) == 0;
	}
	if (addr->sa_family != AF_INET6)
		return false;
	const struct in6_addr *a6 = &((const struct sockaddr_in6 *)addr)->sin6_addr;
	if (len == 4 && IN6_IS_ADDR_V4MAPPED(a6))
		return memcmp(a6->s6_addr + 12, want, 4) == 0;
	return len == 16 && memcmp(a6->s6_addr, want, 16) == 0;
}

/* Whether the session cookie says Secure (--cookie-secure). verdict speaks
   plain HTTP, so in auto a request came over HTTPS only when the trusted
   proxy, which terminates TLS, says so in X-Forwarded-Proto; the header from
   anyone else is ignored. */
static bool cookie_secure(struct http_request *req)
{
	const struct config *cfg = req->app->cfg;
	if (cfg->cookie_secure != CONFIG_COOKIE_SECURE_AUTO)
		return cfg->cookie_secure == CONFIG_COOKIE_SECURE_ALWAYS;
	const char *proto = http_header(req, "X-Forwarded-Proto");
	return proto && strcasecmp(proto, "https") == 0 && from_trusted_proxy(req->client, cfg->trusted_proxy);
}

/* Whether a path is under the CLICS Contest API (/api/clics, /api/clics/...). */
bool http_clics_path(const char *path)
{
	return strncmp(path, "/api/clics", 10) == 0 && (path[10] == '\0' || path[10] == '/');
}

/* The CLICS error object {"code": status, "message"} in place of verdict's
   {"error": {"code", "message"}}: one place for every error under the CLICS
   prefix, the router's (404, 401, 405) and the handlers' alike. */
static void clics_error_shape(struct http_response *res)
{
	json_t *err = json_object_get(res->json, "error");
	json_t *message = json_object_get(err, "message");
	if (!json_is_object(err) || !json_is_string(message))
		return;
	json_t *clics = json_pack("{s:i, s:O}", "code", res->status, "message", message);
	json_decref(res->json);
	res->json = clics;
}

static enum MHD_Result queue_response(struct request_state *rs)
{
	struct http_response *res = &rs->res;
	struct MHD_Response *r;
	bool clics = http_clics_path(rs->req.path);
	if (clics && res->status >= 400 && res->json)
		clics_error_shape(res);
	if (rs->stream) {
		/* From here libmicrohttpd owns the stream: stream_free at the end. */
		r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, stream_read, rs->stream, stream_free);
		rs->streamed = true;
		if (!r)
			stream_free(rs->stream);
		rs->stream = NULL;
		if (r) {
			MHD_add_response_header(r, "X-Accel-Buffering", "no"); /* a proxy must not hold the lines back */
			/* It may last hours: the access log has its start too (its end as any request's). */
			log_info("http %s %s %d stream begins%s%s", method_names[rs->req.method], rs->req.path,
				 res->status, rs->req.user ? " user=" : "", rs->req.user ? rs->req.user->username : "");
		}
	} else if (res->json) {
		size_t len;
		char *text = json_dumps(res->json, JSON_COMPACT);
		len = text ? strlen(text) : 0;
		r = MHD_create_response_from_buffer(len, text ? text : (char *)"", text ? MHD_RESPMEM_MUST_FREE
										     : MHD_RESPMEM_PERSISTENT);
		res->content_type = "application/json";
	} else {
		r = MHD_create_response_from_buffer(res->body_len, res->body ? res->body : (char *)"",
						    res->body_static || !res->body ? MHD_RESPMEM_PERSISTENT
										   : MHD_RESPMEM_MUST_FREE);
		if (!res->body_static)
			res->body = NULL; /* MHD frees it */
	}
	if (!r)
		return MHD_NO;
	if (res->content_type)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, res->content_type);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, res->cache_control ? res->cache_control : "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "same-origin");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Content-Security-Policy",
				"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
				" connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self';"
				" frame-ancestors 'none'");
	if (res->etag)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, res->etag);
	if (res->set_cookie) {
		char *cookie = xasprintf("%s%s", res->set_cookie, cookie_secure(&rs->req) ? "; Secure" : "");
		MHD_add_response_header(r, MHD_HTTP_HEADER_SET_COOKIE, cookie);
		free(cookie);
	}
	if (res->location)
		MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, res->location);
	if (res->disposition)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_DISPOSITION, res->disposition);
	if (res->allow)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, res->allow);
	if (res->retry_after > 0) {
		char seconds[24];
		snprintf(seconds, sizeof seconds, "%d", res->retry_after);
		MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, seconds);
	}
	if (res->status == 413)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
	if (clics) {
		MHD_add_response_header(r, MHD_HTTP_HEADER_ACCESS_CONTROL_ALLOW_ORIGIN, "*");
		if (res->status == 401)
			MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Basic realm=\"verdict\", charset=\"UTF-8\"");
	}
	count_request(rs);
	enum MHD_Result ok = MHD_queue_response(rs->req.conn, (unsigned)res->status, r);
	MHD_destroy_response(r);
	rs->queued = true;
	return ok;
}

/* Answers rs->res (an error: JSON, maybe an Allow header) on the socket itself
   and hands the socket to the linger thread; the caller then returns MHD_NO
   so that MHD lets go of the connection. For refusals while the client may
   still be sending a body: see struct lingering. */
static void answer_raw(struct request_state *rs)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(rs->req.conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (http_clics_path(rs->req.path) && rs->res.json)
		clics_error_shape(&rs->res);
	char *json = rs->res.json ? json_dumps(rs->res.json, JSON_COMPACT) : NULL;
	if (!ci || !json) {
		free(json);
		return;
	}
	const char *reason = MHD_get_reason_phrase_for((unsigned)rs->res.status);
	char *text = xasprintf("HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
			       "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n%s%s%s"
			       "Connection: close\r\n\r\n%s",
			       rs->res.status, reason && *reason ? reason : "Error", strlen(json),
			       rs->res.allow ? "Allow: " : "", rs->res.allow ? rs->res.allow : "",
			       rs->res.allow ? "\r\n" : "", json);
	/* Nothing has been sent on this connection since the request began, so the
	   few hundred bytes fit the socket buffer: one non-blocking write. */
	size_t len = strlen(text);
	count_request(rs);
	if (write(ci->connect_fd, text, len) == (ssize_t)len) {
		int fd = fcntl(ci->connect_fd, F_DUPFD_CLOEXEC, 0);
		if (fd >= 0)
			linger_add(&rs->server->linger, fd);
		rs->queued = rs->raw = true;
	}
	free(text);
	free(json);
}

/* Whether the request comes with a body that nobody has read yet. */
static bool body_pending(struct request_state *rs)
{
	const char *cl = http_header(&rs->req, MHD_HTTP_HEADER_CONTENT_LENGTH);
	return (cl && strtoull(cl, NULL, 10) > 0) || http_header(&rs->req, MHD_HTTP_HEADER_TRANSFER_ENCODING);
}

static bool content_type_is(struct request_state *rs, const char *want)
{
	const char *ct = http_header(&rs->req, MHD_HTTP_HEADER_CONTENT_TYPE);
	size_t n = strlen(want);
	return ct && strncasecmp(ct, want, n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* Phase 1: headers only. Returns false when the request is already answered. */
static bool admit(struct request_state *rs, const char *url)
{
	struct app *app = rs->req.app;
	rs->route = http_find_route(&rs->server->routes, rs, url);
	if (rs->res.status)
		return false;
	if (!rs->route) {
		if ((rs->req.method == HTTP_GET || rs->req.method == HTTP_HEAD) && strncmp(url, "/api/", 5) != 0 &&
		    strcmp(url, "/api") != 0 && strncmp(url, "/ws/", 4) != 0) {
			rs->route_index = STATIC_ROUTE(rs->server);
			return true; /* the web UI, answered in phase 3 */
		}
		http_error(&rs->res, 404, "not_found", "no such endpoint: %s %s", rs->method, url);
		return false;
	}
	authenticate(rs);
	if (rs->basic_refused == SESSION_E_LIMITED) {
		rs->res.retry_after = rs->basic_retry > 0 ? (int)rs->basic_retry : 1;
		http_error(&rs->res, 429, "rate_limited", "too many failed logins: try again in %d s",
			   rs->res.retry_after);
		return false;
	}
	if (rs->basic_refused) {
		http_error(&rs->res, 401, "unauthorized", "wrong username or password");
		return false;
	}
	if (rs->route->auth != ROUTE_PUBLIC && !rs->req.user) {
		http_error(&rs->res, 401, "unauthorized", "log in first: send 'Authorization: Bearer TOKEN' or the session cookie");
		return false;
	}
	if (rs->route->auth == ROUTE_JURY && rs->req.user->role == DB_ROLE_USER) {
		http_error(&rs->res, 403, "forbidden", "only the jury and admins may %s %s", method_names[rs->req.method],
			   url);
		return false;
	}
	if (rs->route->auth == ROUTE_ADMIN && !rs->req.user->admin) {
		http_error(&rs->res, 403, "forbidden", "only admins may %s %s", method_names[rs->req.method], url);
		return false;
	}
	if (rs->bad_id) {
		http_error(&rs->res, 400, "bad_request",
			   "invalid id '%.*s' in %s: ids are positive integers, keys are 1 to 36 of [A-Za-z0-9_.-]",
			   (int)(rs->bad_id_len > 32 ? 32 : rs->bad_id_len), rs->bad_id, url);
		return false;
	}
	if (cross_site(rs)) {
		http_error(&rs->res, 403, "forbidden", "cross-site request refused: send it from this server's pages");
		return false;
	}
	if (rs->route->body == ROUTE_NO_BODY)
		return true;
	if (rs->route->body == ROUTE_ANY) {
		rs->limit = app->cfg->max_upload;
		return true;
	}
	bool json = rs->route->body == ROUTE_JSON || rs->route->body == ROUTE_JSON_NUL;
	const char *want = json ? "application/json" : "application/zip";
	if (!content_type_is(rs, want)) {
		const char *ct = http_header(&rs->req, MHD_HTTP_HEADER_CONTENT_TYPE);
		http_error(&rs->res, 415, "unsupported_media_type", "expected Content-Type: %s, got %s%s%s", want,
			   ct ? "'" : "", ct ? ct : "none", ct ? "'" : "");
		return false;
	}
	rs->limit = json ? app->cfg->max_body : app->cfg->max_upload;
	const char *cl = http_header(&rs->req, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl && strtoull(cl, NULL, 10) > rs->limit) {
		http_error(&rs->res, 413, "too_large", "request body of %s bytes is over the limit of %zu bytes", cl,
			   rs->limit);
		return false;
	}
	return true;
}

/* Phase 3: the whole body is here. */
static void answer(struct request_state *rs)
{
	struct http_request *req = &rs->req;
	if (rs->route_index == STATIC_ROUTE(rs->server)) {
		rs->server->routes.fallback(req, &rs->res);
		return;
	}
	req->body = rs->body.data ? rs->body.data : "";
	req->body_len = rs->body.len;
	if (rs->route->body == ROUTE_JSON || rs->route->body == ROUTE_JSON_NUL) {
		json_error_t error;
		req->json = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &error);
		if (req->json && rs->route->body == ROUTE_JSON && json_has_nul(req->json)) {
			http_error(&rs->res, 400, "invalid_json", "strings in this request must not contain NUL (\\u0000)");
			return;
		}
		if (!req->json) {
			http_error(&rs->res, 400, "invalid_json", "malformed JSON at line %d, column %d: %s", error.line,
				   error.column, error.text);
			return;
		}
		if (!json_is_object(req->json)) {
			http_error(&rs->res, 400, "invalid_json", "the request body must be a JSON object");
			return;
		}
	}
	rs->route->handler(req, &rs->res);
	if (!rs->deferred && !rs->res.status)
		http_error(&rs->res, 500, "internal", "the handler gave no answer");
}

static void conn_set_deadline(struct MHD_Connection *conn, int64_t deadline)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct http_conn *c = ci ? ci->socket_context : NULL;
	if (c)
		atomic_store(&c->deadline, deadline);
}

/* The head is in: the body, if any, gets a time scaled by its (declared or largest) size. */
static void body_deadline(struct request_state *rs)
{
	struct http_server *s = rs->server;
	int64_t deadline = 0;
	if (body_pending(rs)) {
		const char *cl = http_header(&rs->req, MHD_HTTP_HEADER_CONTENT_LENGTH);
		unsigned long long size = cl ? strtoull(cl, NULL, 10) : rs->limit ? rs->limit : s->app->cfg->max_upload;
		int64_t us = (int64_t)(size / BODY_MIN_RATE) * 1000000;
		deadline = now_us() + (us > s->body_us ? us : s->body_us);
	}
	conn_set_deadline(rs->req.conn, deadline);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
				  const char *version, const char *upload_data, size_t *upload_data_size,
				  void **con_cls)
{
	(void)version; /* MHD has checked it; HTTP/1.0 and 1.1 are answered alike */
	struct http_server *s = cls;
	struct request_state *rs = *con_cls;
	if (!rs) {
		rs = xcalloc(1, sizeof *rs);
		*con_cls = rs;
		rs->started = now_us();
		rs->route_index = -1;
		rs->server = s;
		rs->req.app = s->app;
		rs->req.conn = conn;
		rs->req.method = parse_method(method);
		rs->method = method;
		rs->req.path = url;
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		rs->req.client = ci ? ci->client_addr : NULL;
		buf_init(&rs->body);
		if (admit(rs, url)) {
			body_deadline(rs);
			return MHD_YES;
		}
		/* Refused on its headers. MHD would send the answer, then close with the
		   body (if any) arriving: a reset the client may see first. */
		if (body_pending(rs)) {
			answer_raw(rs);
			return MHD_NO;
		}
		return queue_response(rs);
	}
	if (*upload_data_size) {
		size_t n = *upload_data_size;
		*upload_data_size = 0;
		if (rs->queued)
			return MHD_YES;
		if (rs->route_index == STATIC_ROUTE(rs->server) || rs->route->body == ROUTE_NO_BODY)
			return MHD_YES; /* a body nobody asked for is ignored */
		if (rs->body.len + n > rs->limit) {
			/* Over the limit part way (chunked): answer now, read no more. */
			buf_release(&rs->body);
			http_error(&rs->res, 413, "too_large", "request body is over the limit of %zu bytes", rs->limit);
			answer_raw(rs);
			return MHD_NO;
		}
		buf_add(&rs->body, upload_data, n);
		return MHD_YES;
	}
	if (rs->queued)
		return MHD_YES;
	if (rs->deferred) /* called again after http_resume */
		return queue_response(rs);
	conn_set_deadline(conn, 0);
	answer(rs);
	if (rs->deferred)
		return MHD_YES;
	return queue_response(rs);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	struct request_state *rs = *con_cls;
	struct http_server *s = cls;
	/* Keep-alive: the next request's head within idle + header timeout. */
	conn_set_deadline(conn, now_us() + s->idle_us + s->header_us);
	if (!rs)
		return;
	int64_t elapsed = now_us() - rs->started;
	int status = rs->res.status ? rs->res.status : 0;
	count_request(rs); /* one that ended before it was answered */
	if (rs->stream) /* never handed to libmicrohttpd */
		stream_free(rs->stream);
	if (log_enabled(LOG_INFO))
		log_info("http %s %s %d %lldus%s%s%s", method_names[rs->req.method], rs->req.path ? rs->req.path : "?",
			 status, (long long)elapsed, rs->req.user ? " user=" : "",
			 rs->req.user ? rs->req.user->username : "",
			 rs->raw ? " (answered before the end of the body)"
			 : rs->streamed ? toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? " (stream ended)" : " (stream aborted)"
			 : toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
	json_decref(rs->req.json);
	json_decref(rs->res.json);
	if (!rs->res.body_static)
		free(rs->res.body);
	free(rs->res.set_cookie);
	free(rs->res.location);
	free(rs->res.allow);
	buf_release(&rs->body);
	free(rs);
	*con_cls = NULL;
}

/* URLs and query arguments are decoded by the same code as WebSocket handshakes. */
static size_t url_decode(void *cls, struct MHD_Connection *conn, char *s)
{
	(void)cls;
	(void)conn;
	return request_url_decode(s);
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	struct http_server *s = cls;
	struct http_conn *c = *socket_context;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		c = xcalloc(1, sizeof *c);
		c->fd = ci ? ci->connect_fd : -1;
		atomic_store(&c->deadline, c->fd >= 0 ? now_us() + s->header_us : 0);
		pthread_mutex_lock(&s->conns_lock);
		c->next = s->conns;
		if (c->next)
			c->next->prev = c;
		s->conns = c;
		pthread_mutex_unlock(&s->conns_lock);
		*socket_context = c;
		return;
	}
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci && ci->client_addr)
		listener_conn_done(ci->client_addr);
	if (!c)
		return;
	pthread_mutex_lock(&s->conns_lock);
	if (c->prev)
		c->prev->next = c->next;
	else
		s->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	pthread_mutex_unlock(&s->conns_lock);
	free(c);
	*socket_context = NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char line[512];
	vsnprintf(line, sizeof line, fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	log_debug("libmicrohttpd: %s", line);
}

struct http_server *http_server_new(struct app *app, const struct http_routes *routes, char **err)
{
	struct http_server *s = xcalloc(1, sizeof *s);
	s->app = app;
	s->routes = *routes;
	s->route_names = xcalloc((size_t)routes->count + 1, sizeof *s->route_names);
	for (int i = 0; i < routes->count; i++)
		s->route_names[i] = routes->list[i].pattern;
	s->route_names[routes->count] = "static";
	metrics_init(s->route_names, routes->count + 1);
	s->header_us = (int64_t)app->cfg->header_timeout_ms * 1000;
	s->body_us = (int64_t)app->cfg->body_timeout_ms * 1000;
	s->idle_us = (int64_t)app->cfg->idle_timeout_ms * 1000;
	pthread_mutex_init(&s->conns_lock, NULL);
	if (linger_start(s) != 0) {
		*err = xasprintf("cannot start the HTTP server's linger thread: %s", strerror(errno));
		linger_stop(&s->linger);
		pthread_mutex_destroy(&s->conns_lock);
		free(s->route_names);
		free(s);
		return NULL;
	}
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned pool = cores < 2 ? 2 : cores > 16 ? 16 : (unsigned)cores;
	s->daemon = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_NO_LISTEN_SOCKET |
			MHD_USE_ERROR_LOG | MHD_USE_SUPPRESS_DATE_NO_CLOCK | MHD_ALLOW_SUSPEND_RESUME,
		0, NULL, NULL, on_request, s, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, s, MHD_OPTION_THREAD_POOL_SIZE, pool,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)((app->cfg->idle_timeout_ms + 999) / 1000),
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32 * 1024, MHD_OPTION_CONNECTION_LIMIT, 20000u,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s, MHD_OPTION_UNESCAPE_CALLBACK, url_decode, NULL,
		MHD_OPTION_END);
	if (!s->daemon) {
		*err = xstrdup("cannot start the HTTP server (libmicrohttpd)");
		linger_stop(&s->linger);
		pthread_mutex_destroy(&s->conns_lock);
		free(s->route_names);
		free(s);
		return NULL;
	}
	return s;
}

void http_server_adopt(void *server, int fd, const struct sockaddr *addr, socklen_t addr_len)
{
	struct http_server *s = server;
	static struct log_ratelimit rl;
	/* MHD closes the fd itself when it cannot take the connection. */
	if (MHD_add_connection(s->daemon, fd, addr, addr_len) != MHD_YES) {
		log_ratelimited(&rl, LOG_WARN, errno, "http: cannot take a new connection");
		listener_conn_done(addr);
	}
}

void http_server_free(struct http_server *s)
{
	if (!s)
		return;
	MHD_stop_daemon(s->daemon);
	linger_stop(&s->linger);
	pthread_mutex_destroy(&s->conns_lock);
	free(s->route_names);
	free(s);
}
