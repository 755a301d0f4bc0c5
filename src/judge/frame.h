/* Length-prefixed JSON messages over a stream socket, between the server's
 * judge dispatcher and its worker processes: a 4-byte big-endian length, then
 * that many bytes of compact JSON. */
#pragma once
#include <jansson.h>
#include <stddef.h>

#include "util.h"

#define FRAME_MAX (64u << 20) /* a compiled validator travels base64-encoded */

/* Sends one message on a stream socket, blocking or not: on a non-blocking one
   it waits for the peer to take the bytes in, at most timeout_ms in all (-1: no
   limit). 0, -ETIMEDOUT when the peer did not read it in time (part of the
   frame may be sent: the stream is then unusable), -EMSGSIZE beyond FRAME_MAX,
   or negative errno (-EPIPE when the peer has gone). */
int frame_send(int fd, const json_t *msg, int timeout_ms);
/* Receives one message (blocking); *out is a new reference. 0, -EPIPE at end of stream, or negative errno. */
int frame_recv(int fd, json_t **out);
/* Non-blocking side: reads what is available into in; 0, -EPIPE at end of stream, or negative errno. */
int frame_fill(int fd, struct buf *in);
/* Takes the next complete message out of in, or returns NULL; *bad is set for a malformed frame. */
json_t *frame_next(struct buf *in, bool *bad);
