/* A streamed HTTP GET read line by line as the lines come (the CLICS event
 * feed), on a plain loopback socket: the answer's head, then its body
 * (chunked or not) cut at each '\n'. Closing the socket is a reader going
 * away. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "common.h"

struct http_lines {
	int fd;
	long status;
	char headers[4096];  /* the head, raw */
	bool chunked;
	bool ended;          /* the body ended: its last chunk came, or the server closed */
	char *raw;           /* received, not yet decoded */
	size_t raw_len, raw_cap;
	char *body;          /* decoded, not yet handed out */
	size_t body_len, body_cap;
	size_t chunk_left;   /* bytes of the current chunk still to come */
	int state;           /* where the chunked decoder is */
};

/* Connects, sends GET path (token: a bearer token, or NULL; extra_headers:
   NULL-terminated "Name: value" strings, or NULL) and reads the answer's head
   (within 30 s, or the test fails). Returns the status. */
long http_lines_open(struct http_lines *l, const struct server *s, const char *path, const char *token,
		     const char *const *extra_headers);
/* The next line (malloc'd, without its '\n'; "" for a blank line) within
   timeout_ms (0: only what has arrived), or NULL: none yet, or l->ended. */
char *http_lines_next(struct http_lines *l, int timeout_ms);
/* Closes the socket (if still open) and frees. */
void http_lines_close(struct http_lines *l);
