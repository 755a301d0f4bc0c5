/* GET /api/clics/contests/{key}/event-feed: the CLICS event feed (NDJSON)
 * of clics_feed.h. This first version answers with what the feed has now,
 * up to the moment it is caught up (or over), and ends: what ?stream=false
 * asks for. ?since_token= (and the legacy ?since_id=) resume after a token;
 * one that is no token of this server is a 400. */
#include <stdlib.h>

#include "api.h"
#include "app.h"
#include "clics_feed.h"
#include "util.h"

void api_clics_event_feed(struct http_request *req, struct http_response *res)
{
	const char *token = http_query(req, "since_token");
	if (!token)
		token = http_query(req, "since_id");
	struct clics_feed *f = NULL;
	switch (clics_feed_open(req->app, req->key, req->user, token, &f)) {
	case CLICS_FEED_NO_CONTEST:
		http_error(res, 404, "not_found", "contest '%s' does not exist", req->key);
		return;
	case CLICS_FEED_BAD_TOKEN:
		http_error(res, 400, "bad_request", "'%s' is not a token of this event feed", token);
		return;
	case CLICS_FEED_OK:
		break;
	}
	struct buf out;
	buf_init(&out);
	while (clics_feed_next(f, &out, 64 * 1024) == CLICS_FEED_MORE)
		;
	clics_feed_free(f);
	res->status = 200;
	res->body_len = out.len;
	res->body = buf_detach(&out, NULL);
	res->content_type = "application/x-ndjson";
}
