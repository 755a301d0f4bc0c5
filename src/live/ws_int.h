/* Internals of ws.c that its fuzzer uses: the handshake read from a peeked
 * request head. Only ws.c and tests/fuzz include this. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "request.h"

/* The handshake's parts, from the acceptor's peek or from libmicrohttpd. */
struct handshake {
	const char *path;          /* without the query */
	const char *token;         /* ?token=, or NULL */
	const char *after;         /* ?after=, or NULL */
	const char *view;          /* ?view= (scoreboards), or NULL */
	const char *since_token;   /* ?since_token= (the CLICS event feed), or NULL */
	const char *cookie;        /* the whole Cookie header, or NULL */
	const char *origin;
	const char *host;
	const char *fetch_site;    /* Sec-Fetch-Site */
	bool upgrade;              /* a well-formed WebSocket upgrade request */
};

/* The handshake in a peeked request head; its strings point into rh, which
   the caller releases. False if it is not a sane HTTP/1.1 GET, or repeats a
   header the handshake reads (the HTTP server judges those). Pure: no I/O. */
bool ws_parse_head(const char *bytes, size_t len, struct request_head *rh, struct handshake *h);
