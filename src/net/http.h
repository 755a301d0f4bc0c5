/* The HTTP server (libmicrohttpd): request bodies with size limits, the route
 * table, authentication, the {"error": ...} envelope, access log and metrics.
 * Handlers (api_*.c) see only struct http_request / http_response. */
#pragma once
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "db.h"

struct app;
struct http_server;
struct MHD_Connection;

enum http_method { HTTP_GET, HTTP_HEAD, HTTP_POST, HTTP_PUT, HTTP_DELETE, HTTP_PATCH, HTTP_OTHER };

struct http_request {
	struct app *app;
	struct MHD_Connection *conn;
	enum http_method method;
	const char *path;
	int64_t id[2];              /* the {id} path parameters, in order */
	char key[40];               /* the {key} path parameter (a CLICS id: a label, a team key), or "" */
	const char *body;           /* NUL-terminated; body_len excludes the NUL */
	size_t body_len;
	json_t *json;               /* the parsed body of JSON routes (an object) */
	const struct db_user *user; /* NULL when the request carries no valid session */
	const char *token;          /* the session token the request came with, or NULL */
	const struct sockaddr *client; /* the peer's address (libmicrohttpd's), or NULL */
};

struct http_response {
	int status;
	json_t *json;               /* body as JSON, owned */
	char *body;                 /* or a raw body, owned (free()d) unless body_static */
	size_t body_len;
	bool body_static;
	const char *content_type;
	char *set_cookie;           /* owned */
	const char *cache_control;
	const char *etag;           /* borrowed, must outlive the response */
	char *location;             /* owned */
	const char *disposition;    /* a Content-Disposition header (a download), borrowed, must outlive the response */
	char *allow;                /* owned; the Allow header of a 405 */
	int retry_after;            /* seconds; a Retry-After header when > 0 */
};

typedef void (*http_handler)(struct http_request *req, struct http_response *res);

/* A route: method, path pattern, handler, who may call it, what body it takes.
   The table itself belongs to the REST layer (api/routes.c). */
/* ROUTE_PUBLIC: anyone; req->user is still set when a valid session comes.
   ROUTE_JURY: admins and the jury. */
enum route_auth { ROUTE_PUBLIC, ROUTE_USER, ROUTE_JURY, ROUTE_ADMIN };
/* ROUTE_ANY: a body of any type up to the upload limit; the handler checks
   its Content-Type (http_header). ROUTE_JSON refuses strings holding NUL
   (\u0000); ROUTE_JSON_NUL lets them through (the handler reads such a string
   with json_string_length: a source file, say). */
enum route_body { ROUTE_NO_BODY, ROUTE_JSON, ROUTE_ZIP, ROUTE_ANY, ROUTE_JSON_NUL };

struct route {
	enum http_method method;
	const char *pattern;  /* "/api/problems/{id}", "/api/contests/{id}/teams/{key}"; also the metrics label */
	http_handler handler;
	enum route_auth auth;
	enum route_body body;
};

struct http_routes {
	const struct route *list;
	int count;
	http_handler fallback; /* a GET no route matches (the web UI) */
};

/* Answers with a JSON body (stolen). */
void http_json(struct http_response *res, int status, json_t *body);
/* Answers with a body that is JSON text already (malloc'd, stolen). */
void http_json_text(struct http_response *res, int status, char *text, size_t len);
/* Whether path is under the CLICS Contest API (/api/clics, /api/clics/...):
   there every error is {"code": status, "message"}, and answers carry
   Access-Control-Allow-Origin: *. */
bool http_clics_path(const char *path);
/* Answers with the API error envelope: {"error": {"code": code, "message": ...}}. */
void http_error(struct http_response *res, int status, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* A query-string argument, or NULL. */
const char *http_query(struct http_request *req, const char *key);
/* Reads ?page= and ?per_page= (default 20, at most 100); false with a 400 answer if invalid. */
bool http_paging(struct http_request *req, struct http_response *res, int *page, int *per_page);
/* A request header, or NULL. */
const char *http_header(struct http_request *req, const char *name);
/* Answering later, without holding an HTTP thread: a handler calls http_defer
   and returns without an answer; another thread fills in the response and
   calls http_resume, after which neither req nor res may be touched. */
void http_defer(struct http_request *req);
void http_resume(struct http_request *req);

/* A streamed answer (chunked, no length: the CLICS event feed). The handler
   calls http_stream with its reader; the server then calls next(ctx, buf,
   max) whenever it may send, which copies up to max bytes into buf and
   returns how many, 0 when it has nothing now (the connection then waits,
   holding no thread, until http_stream_wake), or -1 to end the answer.
   release(ctx) is called once the connection is done with the stream
   (ended, or the client went away): after it, the stream may no longer be
   woken. */
struct http_stream;
struct http_stream_reader {
	long (*next)(void *ctx, char *buf, size_t max);
	void (*release)(void *ctx);
	void *ctx;
};
/* Answers with status and content_type, the body read from reader. Returns
   the stream, for http_stream_wake. */
struct http_stream *http_stream(struct http_response *res, int status, const char *content_type,
				const struct http_stream_reader *reader);
/* Makes a waiting stream call next again (or, if it is not waiting, call it
   again before it waits). Any thread; not after release. */
void http_stream_wake(struct http_stream *s);

/* Starts libmicrohttpd with no listening socket of its own: connections come
   from the listener through http_server_adopt. NULL with *err on failure. */
struct http_server *http_server_new(struct app *app, const struct http_routes *routes, char **err);
/* Hands an accepted connection to the HTTP server (a listener_handoff). */
void http_server_adopt(void *server, int fd, const struct sockaddr *addr, socklen_t addr_len);
void http_server_free(struct http_server *s);
