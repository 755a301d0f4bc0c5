/* GET /api/clics/contests/{key}/event-feed: the CLICS event feed (NDJSON)
 * of clics_feed.h. By default a stream that follows the contest as it
 * changes (http_stream: the connection waits, holding no thread, until the
 * contest's watcher wakes it), with a newline after --clics-keepalive of
 * silence, until the end_of_updates line or the server stops. ?stream=false
 * answers with what the feed has now, up to the moment it is caught up (or
 * over), and ends. ?since_token= (and the legacy ?since_id=) resume after a
 * token; one that is no token of this server is a 400. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "app.h"
#include "clics_feed.h"
#include "clics_watch.h"
#include "util.h"

#define FEED_CHUNK (16 * 1024) /* bytes of lines asked of the feed at once */

/* One streamed feed. `pending` holds the wakes (1 << enum clics_wake) that
   came since next() last looked; everything else belongs to the connection's
   thread. */
struct feed_stream {
	struct clics_feed *feed;
	struct clics_watcher *watcher;
	_Atomic(struct http_stream *) stream;
	atomic_uint pending;
	struct buf out;  /* lines read from the feed, out.data + sent not yet sent */
	size_t sent;
	bool idle;       /* the feed is caught up: read again after a change */
	bool ended;      /* the feed is over (END), or the server is stopping: end once out is sent */
};

static void feed_wake(void *ctx, enum clics_wake why)
{
	struct feed_stream *fs = ctx;
	atomic_fetch_or(&fs->pending, 1u << why);
	struct http_stream *s = atomic_load(&fs->stream);
	if (s) /* NULL only before the handler has it; its first next() reads anyway */
		http_stream_wake(s);
}

static long feed_next(void *ctx, char *buf, size_t max)
{
	struct feed_stream *fs = ctx;
	unsigned why = atomic_exchange(&fs->pending, 0);
	if (why & (1u << CLICS_WAKE_CLOSE))
		fs->ended = true;
	if (why & (1u << CLICS_WAKE_CHANGE))
		fs->idle = false;
	for (;;) {
		if (fs->sent < fs->out.len) {
			size_t n = fs->out.len - fs->sent;
			if (n > max)
				n = max;
			memcpy(buf, fs->out.data + fs->sent, n);
			fs->sent += n;
			clics_watcher_wrote(fs->watcher);
			return (long)n;
		}
		if (fs->ended)
			return -1;
		if (fs->idle)
			break;
		fs->out.len = 0;
		if (fs->out.data)
			fs->out.data[0] = '\0';
		fs->sent = 0;
		enum clics_feed_step step = clics_feed_next(fs->feed, &fs->out, FEED_CHUNK);
		if (step == CLICS_FEED_END)
			fs->ended = true;
		else if (step == CLICS_FEED_IDLE)
			fs->idle = true;
	}
	if ((why & (1u << CLICS_WAKE_KEEPALIVE)) && max) {
		buf[0] = '\n';
		clics_watcher_wrote(fs->watcher);
		return 1;
	}
	return 0;
}

static void feed_release(void *ctx)
{
	struct feed_stream *fs = ctx;
	clics_watch_remove(fs->watcher); /* no wake after this */
	clics_feed_free(fs->feed);
	buf_release(&fs->out);
	free(fs);
}

/* Follows f until its end (takes f). */
static void answer_stream(struct http_request *req, struct http_response *res, struct clics_feed *f)
{
	struct feed_stream *fs = xcalloc(1, sizeof *fs);
	fs->feed = f;
	buf_init(&fs->out);
	/* Before the first read: a change committed from here on wakes the stream. */
	fs->watcher = clics_watch_add(req->app->clics, clics_feed_contest_id(f), feed_wake, fs);
	if (!fs->watcher) {
		feed_release(fs);
		http_error(res, 503, "unavailable", "the server is stopping");
		return;
	}
	struct http_stream_reader reader = {feed_next, feed_release, fs};
	atomic_store(&fs->stream, http_stream(res, 200, "application/x-ndjson", &reader));
}

/* What the feed has now, at once (?stream=false; takes f). */
static void answer_now(struct http_response *res, struct clics_feed *f)
{
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

void api_clics_event_feed(struct http_request *req, struct http_response *res)
{
	const char *token = http_query(req, "since_token");
	if (!token)
		token = http_query(req, "since_id");
	const char *stream = http_query(req, "stream");
	if (stream && strcmp(stream, "true") != 0 && strcmp(stream, "false") != 0) {
		http_error(res, 400, "bad_request", "invalid stream '%s': expected true or false", stream);
		return;
	}
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
	if (stream && strcmp(stream, "false") == 0)
		answer_now(res, f);
	else
		answer_stream(req, res, f);
}
