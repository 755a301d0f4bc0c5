/* A small blocking WebSocket client for the tests, built on the libwebsockets
 * client API. Each client has its own lws context and is serviced only while
 * the test calls into it, so a client the test leaves alone reads nothing:
 * exactly what a stalled browser tab looks like to the server. */
#pragma once
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct ws_client;

struct ws_client_opts {
	const char *cookie;   /* a Cookie header value, e.g. "verdict_session=TOKEN", or NULL */
	const char *origin;   /* an Origin header, or NULL */
	const char *host;     /* the Host header; default "127.0.0.1:PORT" */
	int rcvbuf;           /* SO_RCVBUF once connected, if > 0 */
};

/* Opens ws://127.0.0.1:PORT/PATH (opts may be NULL). Returns NULL if the
   handshake fails, with *status (may be NULL) set to the HTTP status the
   server answered, or 0 if there was none. */
struct ws_client *ws_client_connect(int port, const char *path, const struct ws_client_opts *opts, int *status);
/* The next text message (malloc'd, NUL-terminated), waiting up to timeout_ms;
   NULL on timeout or once the connection is closed and drained. */
char *ws_client_recv(struct ws_client *c, int timeout_ms);
/* The same, parsed (new reference); aborts the test on a message that is not JSON. */
json_t *ws_client_recv_json(struct ws_client *c, int timeout_ms);
/* Services the connection for ms (answers pings, reads into the queue). */
void ws_client_service(struct ws_client *c, int ms);
/* Sends one text message of len bytes. False if the connection is gone. */
bool ws_client_send(struct ws_client *c, const char *text, size_t len);
/* True once the server closed the connection; *code (may be NULL) gets the close status, or 0. */
bool ws_client_closed(struct ws_client *c, int *code);
/* Messages received and not yet taken. */
size_t ws_client_queued(struct ws_client *c);
/* Closes (abruptly) and frees. NULL is fine. */
void ws_client_free(struct ws_client *c);
