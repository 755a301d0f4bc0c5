/* What both servers read from a request, written once: a request head parsed
 * from bytes (the WebSocket handshake; libmicrohttpd parses its own heads but
 * decodes URLs with request_url_decode), query arguments, cookies, bearer
 * tokens, and the one rule for requests from another site.
 *
 * Every function here is a pure function of its arguments (no I/O, no
 * globals), so a fuzzer can call request_head_parse(bytes, len) directly.
 * request_head_parse returns 0 or a positive REQUEST_E_* code. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

/* The largest request head read from a WebSocket client (the listener peeks this much). */
#define REQUEST_HEAD_MAX 8192

enum request_error {
	REQUEST_E_INCOMPLETE = 1, /* no empty line yet */
	REQUEST_E_TOO_LARGE,      /* no empty line within REQUEST_HEAD_MAX bytes */
	REQUEST_E_MALFORMED,      /* not an HTTP/1.x request head we accept */
};

struct request_field {
	const char *name;
	const char *value; /* NULL for a query argument without '=' */
};

struct request_head {
	const char *method;
	const char *target;               /* as sent, query included */
	const char *path;                 /* percent-decoded, without the query */
	const char *version;              /* "HTTP/1.1" */
	struct request_field *args;       /* query arguments, '+' and percent-decoded, in order */
	size_t arg_count;
	struct request_field *headers;    /* in order; values without surrounding blanks */
	size_t header_count;
	size_t length;                    /* bytes of the head, through its empty line */
	char *text;                       /* owned: every string above points into it */
};

/* Parses the head at the start of bytes[0..len) into h; the bytes after its
   empty line are not looked at. Strict: CRLF line ends only, no NUL or other
   control bytes, header names are tokens followed directly by ':', no folded
   lines (RFC 9112 lets a server refuse them). On success the caller releases
   h; on failure h holds nothing. */
int request_head_parse(struct request_head *h, const char *bytes, size_t len);
void request_head_release(struct request_head *h);
/* The first header of that name (case-insensitive), or NULL. */
const char *request_head_header(const struct request_head *h, const char *name);
/* How many headers have that name. */
size_t request_head_count(const struct request_head *h, const char *name);
/* The value of the first query argument with that key, or NULL (also for one without '='). */
const char *request_head_arg(const struct request_head *h, const char *key);

/* Percent-decodes s in place; an escape that is not '%' and two hex digits
   stays as it is, '+' stays '+'. Returns the decoded length (a %00 makes a
   NUL inside it, which ends the string for the C string readers). */
size_t request_url_decode(char *s);
/* Does a comma-separated header value list `token` (case-insensitive)? */
bool request_has_token(const char *value, const char *token);
/* The value of cookie `name` in a Cookie header (pairs split at ';', blanks
   before a name skipped, the value taken as is up to the next ';'): the first
   pair of that name, pointing into header; false if there is none. */
bool request_cookie(const char *header, const char *name, const char **value, size_t *len);
/* The token of an "Authorization: Bearer TOKEN" header, or NULL. */
const char *request_bearer(const char *authorization);
/* Is the Origin header the server the client talks to (the Host header)? Only
   http:// and https:// origins, and the authority must be the Host header
   exactly (case-insensitive): "http://h" matches "h", not "h:80". */
bool request_same_origin(const char *origin, const char *host);
/* The one rule for a request a browser may have sent on behalf of another
   site: Sec-Fetch-Site other than same-origin or none, or an Origin (when
   sent) that is not this server. NULL arguments are absent headers. Which
   requests the rule applies to is up to each server (see http.c, ws.c). */
bool request_cross_site(const char *fetch_site, const char *origin, const char *host);
