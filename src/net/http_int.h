/* Internals of http.c that its tests use: the per-request state and routing.
 * Only http.c and tests/unit/test-http-routes.c include this. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "http.h"
#include "session.h"
#include "util.h"

/* One request in flight: the route, the body as it arrives, the session and the answer. */
struct request_state {
	struct http_server *server;
	struct http_request req;
	struct http_response res;
	const struct route *route;
	int route_index;     /* index in the route table, or -1 (metrics label "other") */
	int64_t started;
	size_t limit;        /* body bytes allowed */
	struct buf body;
	const char *method;  /* as sent, e.g. "PATCH" */
	const char *bad_id;  /* the first {id} segment that is not an id (in the path), or NULL */
	size_t bad_id_len;
	bool queued;         /* a response has been queued (or written, see answer_raw) */
	bool counted;        /* in /metrics already */
	bool raw;            /* answered on the socket before the end of the body */
	struct request_session session; /* req.user and req.token point into it */
	bool deferred;       /* the handler called http_defer: http_resume answers */
	int basic_refused;   /* SESSION_E_BAD_PASSWORD or SESSION_E_LIMITED: a Basic credential was refused */
	int64_t basic_retry; /* with SESSION_E_LIMITED: seconds */
	struct http_stream *stream; /* the handler called http_stream: the body comes from it */
	bool streamed;       /* the answer is (was) a stream: the access log says how it ended */
};

/* Matches a path against a route pattern. Returns the number of literal
   segments (higher = more specific) or -1. {id} segments are parsed into
   ids[] (0 when not a valid id), and the first one that is not a valid id is
   reported through *bad / *bad_len (which the caller sets to NULL first). */
int http_route_match(const char *pattern, const char *path, int64_t ids[2], const char **bad, size_t *bad_len);
/* Finds the route for rs->req.method (HEAD counts as GET) and path, and fills
   rs->req.id and rs->route_index. Returns NULL when no pattern matches (the
   caller answers 404); for a known path with the wrong method it answers 405
   in rs->res (with res.allow) and returns routes[0]. An {id} segment that is
   not an id is left in rs->bad_id for the caller to answer 400 once the
   session checks are done. */
const struct route *http_find_route(const struct http_routes *routes, struct request_state *rs, const char *path);
