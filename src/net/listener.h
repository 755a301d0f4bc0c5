/* The one listening socket. An acceptor thread peeks at the first bytes of
 * each new connection and hands it, unread, to the WebSocket server when it
 * starts with "GET /ws/", else to the HTTP server.
 *
 * It also keeps the count of open connections per client address, from
 * accept to close: whoever is handed a connection calls listener_conn_done
 * with its address once it has closed it, on every path. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct listener;

/* Takes ownership of fd on every path (closes it if it cannot use it). */
typedef void (*listener_handoff)(void *ctx, int fd, const struct sockaddr *addr, socklen_t addr_len);
/* Offered a "GET /ws/" connection with its complete request head (peeked,
   still unread, without a NUL): returns true if it took the fd, false to let
   the HTTP hand-off have it. */
typedef bool (*listener_ws_handoff)(void *ctx, int fd, const struct sockaddr *addr, socklen_t addr_len,
				    const char *head, size_t head_len);

struct listener_limits {
	int64_t header_timeout_us; /* the request head must be in within this of accept */
	int64_t idle_timeout_us;   /* and its first byte within this */
	int max_per_address;       /* open connections per client address; beyond, 429 and close */
};

/* Binds and listens (port 0 = any free port); no thread yet. NULL with *err on failure. */
struct listener *listener_new(const char *host, uint16_t port, const struct listener_limits *limits, char **err);
uint16_t listener_port(const struct listener *l);
/* Starts the acceptor thread. ws may be NULL: then /ws/ connections go to http. */
int listener_start(struct listener *l, listener_handoff http, void *http_ctx, listener_ws_handoff ws, void *ws_ctx);
/* Stops accepting, closes pending connections and the socket, joins the thread, frees. */
void listener_free(struct listener *l);
/* A connection the listener handed off has been closed: its address holds
   one connection less. Any thread; also after listener_free. */
void listener_conn_done(const struct sockaddr *addr);
