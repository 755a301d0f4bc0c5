/* libwebsockets glue: handshake admission, adoption of the acceptor's
 * sockets, one service thread, per-connection writes, pings.
 *
 * Threads. Only lws_cancel_service may be called on the lws context from
 * other threads. The acceptor thread admits a connection (ws_server_offer),
 * puts it with its session on `adopt` under `lock` and cancels the service
 * wait; producers wake the service thread the same way through the hub. The
 * service thread, in LWS_CALLBACK_EVENT_WAIT_CANCELLED, adopts the queued
 * sockets and runs hub_dispatch, which fills the subscribers' queues and asks
 * for WRITEABLE callbacks; messages are written only in
 * LWS_CALLBACK_SERVER_WRITEABLE.
 *
 * Writes. A hub message is serialised once and shared. A WRITEABLE callback
 * takes up to WS_BATCH waiting messages (WS_BATCH_BYTES), copies each behind
 * its own text-frame header (FIN, unmasked: what lws would put in the LWS_PRE
 * headroom) into one scratch buffer with LWS_PRE headroom, and hands that to
 * lws_write as LWS_WRITE_RAW: one write, one syscall, however many frames.
 * Every frame is complete, so the stream stays valid WebSocket and each
 * message is still one text frame; lws buffers any unsent tail itself and
 * calls WRITEABLE again only once it has drained. (LWS_WRITE_RAW, alias of
 * LWS_WRITE_HTTP, is sent as is on a ws connection. One LWS_WRITE_TEXT per
 * frame would cost a send(2) and a loopback delivery per frame; batching is
 * what lets a fan-out to 10,000 sockets that falls behind catch up instead of
 * falling further behind.) SO_SNDBUF is capped so that the kernel does not
 * hide a slow reader's backpressure from the hub.
 *
 * Liveness. A periodic sweep pings every connection that has not been heard
 * from (pong or any frame) for the ping interval and drops, counting it in
 * METRIC_WS_DROPPED, one whose ping stays unanswered for the ping timeout;
 * this also ends connections that stopped reading altogether, since their
 * ping cannot even be delivered.
 *
 * Sessions. Each connection keeps its login session's token hash and expiry
 * from the handshake. An end of sessions (logout, password reset) is a
 * DB_KIND_SESSION change in the change log, which the feed hands to the hub
 * (hub_user_sessions_ended); after each dispatch the service thread rechecks
 * in the database the sessions of that user's connections and closes those
 * that ended with WS_SESSION_ENDED "session ended"; one admitted before such
 * an end and opened after it rechecks its session when it opens (the hub's
 * count of ends differs from the one read at admission). The sweep, at least every
 * WS_SWEEP_MAX_US, closes the same way those whose session expired.
 *
 * The CLICS event feed (/ws/contests/{key}/events/, ws_events.h) has no hub
 * topic: its socket's feed is opened at admission and carried in the ticket,
 * its watcher's wakes queue it for WRITEABLE (through the same cancel), and
 * each WRITEABLE writes one batch of its lines, one frame per line. */
#include "ws.h"
#include "ws_int.h"

#include <errno.h>
#include <libwebsockets.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "access.h"
#include "app.h"
#include "clock.h"
#include "config.h"
#include "db.h"
#include "feed.h"
#include "http.h"
#include "hub.h"
#include "listener.h"
#include "log.h"
#include "metrics.h"
#include "request.h"
#include "session.h"
#include "util.h"
#include "ws_events.h"

#define WS_BATCH HUB_DISPATCH_MAX /* frames per WRITEABLE callback: keeps up with a dispatch slice */
#define WS_BATCH_BYTES 16384   /* and bytes: one write that fits the send buffer */
#define WS_SNDBUF 16384        /* SO_SNDBUF (the kernel doubles it) */
#define WS_MAX_RX 4096         /* largest message a client may send */
#define WS_SESSION_ENDED 4401  /* close code: the login session ended (the web UI goes to /login) */
#define WS_SWEEP_MAX_US 500000 /* sweep at least this often: expiry closes within a second */
#define WS_EVENTS_BATCH 8192   /* bytes of CLICS event feed lines per WRITEABLE callback */

struct ws_settings {
	int max_per_user;
	int64_t ping_interval_us;
	int64_t ping_timeout_us;
};

/* What an admitted handshake asks for. */
struct ws_ticket {
	int64_t user_id;           /* 0: anonymous (a public contest's public scoreboard) */
	struct hub_key topic;      /* kind: enum feed_topic */
	struct hub_key own;        /* a team's scoreboard: its own row's topic too; kind 0: none */
	int64_t after;             /* -1: live only */
	int64_t admitted_at;       /* the database's seq when the handshake was admitted */
	unsigned char token_hash[32]; /* the login session's */
	int64_t expires_at;        /* and its end, unix seconds */
	uint64_t ended_count;      /* hub_sessions_ended_count before the session was read */
	struct clics_feed *feed;   /* the CLICS event feed's socket: its feed until opened; else NULL */
};

struct ws_session {
	struct ws_server *ws;
	struct lws *wsi;
	struct ws_ticket ticket;
	struct hub_sub *sub;
	struct hub_sub *own;       /* ticket.own's subscription, or NULL */
	struct ws_events *events;  /* the CLICS event feed's socket: its feed and watcher (no hub topic) */
	bool events_over;          /* its feed ended or the server is stopping: close at the next WRITEABLE */
	int events_close;          /* and with this close code */
	struct ws_session *prev, *next; /* open sessions, service thread */
	int64_t last_heard;        /* last pong or frame from the client */
	int64_t ping_at;           /* when the unanswered ping was decided */
	size_t rx_len;             /* bytes of the client's current message */
	bool open;                 /* established and subscribed */
	bool expected;             /* counted by hub_expect until it subscribes or goes */
	bool ping_due;             /* a ping waits for WRITEABLE */
	bool ping_pending;         /* a ping is unanswered */
	bool dropping;             /* closed by us: counted in METRIC_WS_DROPPED */
	bool ended;                /* its login session ended: close with WS_SESSION_ENDED */
	struct sockaddr_storage addr; /* the client's, for the listener's per-address count */
};

struct pending_adopt {
	int fd;
	struct ws_session *session;
};

struct ws_server {
	struct app *app;
	struct lws_context *ctx;
	struct lws_vhost *vhost;
	pthread_t thread;
	bool running;
	atomic_bool stop;

	pthread_mutex_t lock;      /* guards adopt */
	struct pending_adopt *adopt;
	size_t adopt_len, adopt_cap;

	struct ws_events_queue *events; /* the event feed sockets woken by their watchers */

	/* service thread only */
	struct ws_session *sessions;
	struct buf lines;          /* an event feed's batch */
	lws_sorted_usec_list_t sweep;
	int64_t sweep_us;
	unsigned char *scratch;
	size_t scratch_cap;
};

/* ---- settings ---- */

/* Copied from the config by ws_server_new, before any thread reads them. */
static struct ws_settings settings = {64, 30000000, 20000000};

static const struct ws_settings *ws_settings(void)
{
	return &settings;
}

/* ---- handshake checks (acceptor thread and HTTP threads) ---- */

static bool is_upgrade(const char *upgrade, const char *connection, const char *key, const char *version)
{
	return upgrade && request_has_token(upgrade, "websocket") && connection &&
	       request_has_token(connection, "upgrade") && key && *key && version && strcmp(version, "13") == 0;
}

/* Parses "/ws/problems/{id}/submissions/", "/ws/submissions/{id}/" and
   "/ws/contests/{id}/scoreboard/" (FEED_BOARD_PUBLIC until the view is known).
   Returns 0, 404 for another path, 400 for a bad id. */
static int parse_path(const char *path, struct hub_key *topic)
{
	static const struct {
		const char *prefix, *suffix;
		enum feed_topic topic;
	} forms[] = {
		{"/ws/problems/", "/submissions/", FEED_PROBLEM_SUBMISSIONS},
		{"/ws/submissions/", "/", FEED_SUBMISSION},
		{"/ws/contests/", "/scoreboard/", FEED_BOARD_PUBLIC},
		{"/ws/contests/", "/clarifications/", FEED_CLARS_JURY}, /* the viewer's topic: admit_clars */
	};
	for (size_t i = 0; i < ARRAY_SIZE(forms); i++) {
		size_t pl = strlen(forms[i].prefix);
		if (strncmp(path, forms[i].prefix, pl) != 0)
			continue;
		const char *seg = path + pl;
		size_t seglen = strcspn(seg, "/");
		if (seglen == 0 || strcmp(seg + seglen, forms[i].suffix) != 0)
			continue;
		char buf[24];
		if (seglen >= sizeof buf)
			return 400;
		memcpy(buf, seg, seglen);
		buf[seglen] = '\0';
		if (!parse_id(buf, &topic->id))
			return 400;
		topic->kind = forms[i].topic;
		return 0;
	}
	return 404;
}

/* "/ws/contests/{key}/events/" with the key (a CLICS id: a shortname, or
   else a contest's id) in key: true, or false for another path. */
static bool parse_events_path(const char *path, char *key, size_t size)
{
	static const char prefix[] = "/ws/contests/", suffix[] = "/events/";
	if (strncmp(path, prefix, sizeof prefix - 1) != 0)
		return false;
	const char *seg = path + sizeof prefix - 1;
	size_t n = strspn(seg, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-");
	if (n == 0 || n > 36 || n >= size || seg[0] == '.' || seg[0] == '-' || strcmp(seg + n, suffix) != 0)
		return false;
	memcpy(key, seg, n);
	key[n] = '\0';
	return true;
}

/* A scoreboard's view: the one asked for (?view=), else the viewer's own;
   the jury's for the jury and admins only, a team's for its members only.
   Sets t->topic (and t->own for a team's). Returns 0 or an HTTP status. */
static int admit_board(struct app *app, const struct db_user *user, const char *view, struct ws_ticket *t,
		       const char **code, char *msg, size_t msg_size)
{
	struct db_contest c;
	struct contest_viewer v;
	int64_t id = t->topic.id;
	bool found = db_contest_get(app->db, id, &c) == 0;
	bool visible = found && contest_viewer_of(app->db, &c, user, &v);
	if (found)
		db_contest_release(&c);
	if (!visible) {
		*code = user || !found ? "not_found" : "unauthorized";
		if (user || !found)
			snprintf(msg, msg_size, "contest %lld does not exist", (long long)id);
		else
			snprintf(msg, msg_size, "log in first: send the session cookie or ?token=TOKEN");
		return user || !found ? 404 : 401;
	}
	enum contest_view want = v.view;
	if (view && strcmp(view, "public") == 0)
		want = CONTEST_VIEW_PUBLIC;
	else if (view && strcmp(view, "team") == 0)
		want = CONTEST_VIEW_TEAM;
	else if (view && strcmp(view, "jury") == 0)
		want = CONTEST_VIEW_JURY;
	else if (view && *view) {
		*code = "bad_request";
		snprintf(msg, msg_size, "invalid view '%.32s': expected public, team or jury", view);
		return 400;
	}
	if (want == CONTEST_VIEW_JURY && v.view != CONTEST_VIEW_JURY) {
		*code = "forbidden";
		snprintf(msg, msg_size, "the jury's scoreboard is for the jury and admins");
		return 403;
	}
	if (want == CONTEST_VIEW_TEAM && v.view != CONTEST_VIEW_TEAM) {
		*code = "forbidden";
		snprintf(msg, msg_size, "a team's scoreboard is for its members: you are in no team of contest %lld",
			 (long long)id);
		return 403;
	}
	t->topic.kind = want == CONTEST_VIEW_JURY ? FEED_BOARD_JURY : FEED_BOARD_PUBLIC;
	if (want == CONTEST_VIEW_TEAM)
		t->own = (struct hub_key){FEED_BOARD_TEAM, v.team_id};
	return 0;
}

/* Who may watch one submission (its states and every test's result, live):
   its owner, the jury and admins, and for a contest submission its team's
   other members (so no one else ever sees a result the freeze hides). */
static bool watches_submission(struct db *db, const struct db_user *user, const struct db_submission *s)
{
	if (user->role != DB_ROLE_USER)
		return true;
	if (s->user_id == user->id)
		return true;
	if (!s->contest_id)
		return false;
	struct db_contest c;
	if (db_contest_get(db, s->contest_id, &c) != 0)
		return false;
	struct contest_viewer v;
	bool ok = contest_viewer_of(db, &c, user, &v) &&
		  (v.view == CONTEST_VIEW_JURY || (v.view == CONTEST_VIEW_TEAM && s->team_id && v.team_id == s->team_id));
	db_contest_release(&c);
	return ok;
}

/* A contest's clarifications: the topic of the user's audience in it (jury,
   their team, or the public), or a refusal when they may not see the contest. */
static int admit_clars(struct app *app, const struct db_user *user, struct hub_key *topic, const char **code,
		       char *msg, size_t msg_size)
{
	struct db_contest c;
	struct contest_viewer v;
	if (db_contest_get(app->db, topic->id, &c) != 0) {
		*code = "not_found";
		snprintf(msg, msg_size, "contest %lld does not exist", (long long)topic->id);
		return 404;
	}
	bool sees = contest_viewer_of(app->db, &c, user, &v);
	db_contest_release(&c);
	if (!sees) {
		*code = "forbidden";
		snprintf(msg, msg_size, "you are not in a team of contest %lld", (long long)topic->id);
		return 403;
	}
	if (v.view == CONTEST_VIEW_TEAM)
		*topic = (struct hub_key){FEED_CLARS_TEAM, v.team_id};
	else if (v.view == CONTEST_VIEW_PUBLIC)
		topic->kind = FEED_CLARS_PUBLIC;
	return 0;
}

/* Decides a handshake. Returns 0 with *t filled in, or an HTTP status with
   the API error code and a message. Reads the database; no side effects. */
static int admit(struct app *app, const struct handshake *h, struct ws_ticket *t, const char **code, char *msg,
		 size_t msg_size)
{
	char key[40];
	t->feed = NULL;
	t->admitted_at = 0;
	bool events = parse_events_path(h->path, key, sizeof key);
	int rc = events ? 0 : parse_path(h->path, &t->topic);
	if (events)
		t->topic = (struct hub_key){0, 0};
	if (rc == 404) {
		*code = "not_found";
		snprintf(msg, msg_size, "no such endpoint: GET %.200s", h->path);
		return 404;
	}
	if (rc) {
		*code = "bad_request";
		snprintf(msg, msg_size, "invalid id in %.200s: ids are positive integers", h->path);
		return 400;
	}
	struct request_session session;
	int64_t now = now_unix();
	t->ended_count = hub_sessions_ended_count(app->hub);
	t->own = (struct hub_key){0, 0};
	bool live = session_from_request(app->db, h->token, h->cookie, now, &session) == 0;
	if (live) {
		auth_token_hash(session.token, t->token_hash);
		live = db_session_expiry(app->db, t->token_hash, now, &t->expires_at) == 0;
	}
	/* A public contest's board and event feed may be watched without a
	   session (as over REST). */
	bool anonymous_ok = t->topic.kind == FEED_BOARD_PUBLIC || events;
	if (!live && (!anonymous_ok || (h->token && *h->token))) {
		*code = "unauthorized";
		snprintf(msg, msg_size, "log in first: send the session cookie or ?token=TOKEN");
		return 401;
	}
	const struct db_user *user = live ? &session.user : NULL;
	t->user_id = user ? user->id : 0;
	if (!user) {
		memset(t->token_hash, 0, sizeof t->token_hash);
		t->expires_at = INT64_MAX;
	}
	/* Browsers send cookies on cross-site handshakes, and a page can put a
	   token it has in the URL: every handshake must come from our pages. */
	if (request_cross_site(h->fetch_site, h->origin, h->host)) {
		*code = "forbidden";
		if (h->origin)
			snprintf(msg, msg_size, "cross-origin WebSocket refused: origin '%.100s' is not this server",
				 h->origin);
		else
			snprintf(msg, msg_size, "cross-site WebSocket refused (Sec-Fetch-Site: %.32s)", h->fetch_site);
		return 403;
	}
	if (events) {
		t->after = -1;
		return ws_events_admit(app, key, user, h->since_token, &t->feed, code, msg, msg_size);
	}
	int64_t id = t->topic.id;
	if (t->topic.kind == FEED_BOARD_PUBLIC) {
		rc = admit_board(app, user, h->view, t, code, msg, msg_size);
		if (rc)
			return rc;
	}
	/* A problem of a contest not started yet does not exist for users. */
	if (t->topic.kind == FEED_PROBLEM_SUBMISSIONS &&
	    (!db_problem_exists(app->db, id) || !contest_problem_out(app->db, id, user, contest_now_ms()))) {
		*code = "not_found";
		snprintf(msg, msg_size, "problem %lld does not exist", (long long)id);
		return 404;
	}
	if (t->topic.kind == FEED_SUBMISSION) {
		struct db_submission s;
		if (db_submission_get(app->db, id, 0, &s) != 0) {
			*code = "not_found";
			snprintf(msg, msg_size, "submission %lld does not exist", (long long)id);
			return 404;
		}
		bool allowed = user && watches_submission(app->db, user, &s);
		bool in_contest = s.contest_id != 0;
		db_submission_release(&s);
		if (!allowed) {
			*code = "forbidden";
			snprintf(msg, msg_size, "submission %lld belongs to another %s", (long long)id,
				 in_contest ? "team" : "user");
			return 403;
		}
	}
	if (t->topic.kind == FEED_CLARS_JURY && (rc = admit_clars(app, user, &t->topic, code, msg, msg_size)) != 0)
		return rc;
	t->after = -1;
	t->admitted_at = db_seq(app->db);
	if (h->after) {
		int64_t v = 0;
		if (strcmp(h->after, "0") != 0 && !parse_id(h->after, &v)) {
			*code = "bad_request";
			snprintf(msg, msg_size, "invalid after '%.32s': expected a seq (a number from 0)", h->after);
			return 400;
		}
		/* A seq from the future (another database?) would hide every
		   change until seq caught up: start from now instead. */
		int64_t latest = db_seq(app->db);
		t->after = v < latest ? v : latest;
	}
	return 0;
}

bool ws_parse_head(const char *bytes, size_t len, struct request_head *rh, struct handshake *h)
{
	static const char *const once[] = {"Upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version",
					   "Cookie", "Origin", "Host", "Sec-Fetch-Site"};
	memset(h, 0, sizeof *h);
	if (request_head_parse(rh, bytes, len) != 0)
		return false;
	bool ok = strcmp(rh->method, "GET") == 0 && strcmp(rh->version, "HTTP/1.1") == 0;
	for (size_t i = 0; ok && i < ARRAY_SIZE(once); i++)
		ok = request_head_count(rh, once[i]) <= 1;
	if (!ok) {
		request_head_release(rh);
		return false;
	}
	h->path = rh->path;
	h->token = request_head_arg(rh, "token");
	h->after = request_head_arg(rh, "after");
	h->view = request_head_arg(rh, "view");
	h->since_token = request_head_arg(rh, "since_token");
	h->cookie = request_head_header(rh, "Cookie");
	h->origin = request_head_header(rh, "Origin");
	h->host = request_head_header(rh, "Host");
	h->fetch_site = request_head_header(rh, "Sec-Fetch-Site");
	h->upgrade = is_upgrade(request_head_header(rh, "Upgrade"), request_head_header(rh, "Connection"),
				request_head_header(rh, "Sec-WebSocket-Key"),
				request_head_header(rh, "Sec-WebSocket-Version"));
	return true;
}

/* ---- the HTTP side ---- */

void ws_http_answer(struct http_request *req, struct http_response *res)
{
	struct app *app = req->app;
	struct handshake h = {
		.path = req->path,
		.token = http_query(req, "token"),
		.after = http_query(req, "after"),
		.view = http_query(req, "view"),
		.since_token = http_query(req, "since_token"),
		.cookie = http_header(req, "Cookie"),
		.origin = http_header(req, "Origin"),
		.host = http_header(req, "Host"),
		.fetch_site = http_header(req, "Sec-Fetch-Site"),
		.upgrade = is_upgrade(http_header(req, "Upgrade"), http_header(req, "Connection"),
				      http_header(req, "Sec-WebSocket-Key"), http_header(req, "Sec-WebSocket-Version")),
	};
	struct ws_ticket t;
	const char *code = NULL;
	char msg[256];
	int status = admit(app, &h, &t, &code, msg, sizeof msg);
	if (status)
		http_error(res, status, code, "%s", msg);
	else if (!h.upgrade)
		http_error(res, 400, "bad_request",
			   "%s is a WebSocket endpoint: send a WebSocket handshake (Upgrade: websocket, version 13)",
			   req->path);
	else if (t.user_id && hub_user_count(app->hub, t.user_id) >= ws_settings()->max_per_user)
		http_error(res, 429, "rate_limited", "too many WebSocket connections: at most %d per user",
			   ws_settings()->max_per_user);
	else /* admissible now, but not when the acceptor looked (a slot was freed since) */
		http_error(res, 503, "unavailable", "the WebSocket could not be opened just now: try again");
	if (!status)
		clics_feed_free(t.feed);
}

/* ---- the acceptor side ---- */

bool ws_server_offer(void *arg, int fd, const struct sockaddr *addr, socklen_t addr_len, const char *head,
		     size_t head_len)
{
	struct ws_server *ws = arg;
	struct request_head rh;
	struct handshake h;
	if (!ws_parse_head(head, head_len, &rh, &h))
		return false;
	struct ws_ticket t;
	const char *code;
	char msg[256];
	int refused = h.upgrade ? admit(ws->app, &h, &t, &code, msg, sizeof msg) : 400;
	request_head_release(&rh);
	if (refused)
		return false;
	if (t.user_id && !hub_user_acquire(ws->app->hub, t.user_id, ws_settings()->max_per_user)) {
		clics_feed_free(t.feed);
		return false;
	}
	int one = 1, sndbuf = WS_SNDBUF;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
	struct ws_session *s = xcalloc(1, sizeof *s);
	s->ws = ws;
	s->ticket = t;
	/* What commits from here to the subscription is published (see session_open). */
	hub_expect(ws->app->hub);
	s->expected = true;
	memcpy(&s->addr, addr, addr_len < sizeof s->addr ? addr_len : sizeof s->addr);
	pthread_mutex_lock(&ws->lock);
	if (ws->adopt_len == ws->adopt_cap) {
		ws->adopt_cap = ws->adopt_cap ? ws->adopt_cap * 2 : 64;
		ws->adopt = xrealloc(ws->adopt, ws->adopt_cap * sizeof *ws->adopt);
	}
	ws->adopt[ws->adopt_len++] = (struct pending_adopt){fd, s};
	pthread_mutex_unlock(&ws->lock);
	lws_cancel_service(ws->ctx);
	return true;
}

/* ---- the service thread ---- */

static void session_unexpect(struct ws_session *s)
{
	if (s->expected)
		hub_expect_done(s->ws->app->hub);
	s->expected = false;
}

static void session_free(struct ws_session *s)
{
	session_unexpect(s);
	listener_conn_done((struct sockaddr *)&s->addr);
	if (s->ticket.user_id)
		hub_user_release(s->ws->app->hub, s->ticket.user_id);
	clics_feed_free(s->ticket.feed); /* never opened */
	free(s);
}

static void adopt_pending(struct ws_server *ws)
{
	pthread_mutex_lock(&ws->lock);
	struct pending_adopt *list = ws->adopt;
	size_t n = ws->adopt_len;
	ws->adopt = NULL;
	ws->adopt_len = ws->adopt_cap = 0;
	pthread_mutex_unlock(&ws->lock);
	for (size_t i = 0; i < n; i++) {
		lws_adopt_desc_t desc = {
			.vh = ws->vhost,
			.type = LWS_ADOPT_SOCKET | LWS_ADOPT_HTTP,
			.fd.sockfd = list[i].fd,
			.vh_prot_name = "verdict",
			.opaque = list[i].session,
		};
		/* On failure lws has closed the fd. */
		if (!lws_adopt_descriptor_vhost_via_info(&desc)) {
			log_warnx("ws: cannot adopt a connection");
			session_free(list[i].session);
		}
	}
	free(list);
}

static void session_notify(void *arg)
{
	struct ws_session *s = arg;
	lws_callback_on_writable(s->wsi);
}

/* Closes a connection whose login session ended, from its next WRITEABLE. */
static void session_end(struct ws_session *s, const char *why)
{
	if (s->ended || s->dropping)
		return;
	s->ended = true;
	log_info("ws: closing a connection of user %lld: session %s", (long long)s->ticket.user_id, why);
	lws_callback_on_writable(s->wsi);
}

static void session_open(struct ws_server *ws, struct ws_session *s, struct lws *wsi)
{
	s->wsi = wsi;
	s->last_heard = now_us();
	s->next = ws->sessions;
	if (s->next)
		s->next->prev = s;
	ws->sessions = s;
	s->open = true;
	metrics_add(METRIC_WS_OPEN, 1);
	if (s->ticket.feed) {
		/* The feed from the token on, then its watcher's wakes. */
		s->events = ws_events_open(ws->events, ws->app->clics, s->ticket.feed, s);
		s->ticket.feed = NULL;
		lws_callback_on_writable(wsi);
	} else {
		/* The 101 went out before this: a change dispatched since the
		   handshake is replayed from the database. */
		if (s->ticket.after < 0 && hub_dispatched_seq(ws->app->hub) > s->ticket.admitted_at)
			s->ticket.after = s->ticket.admitted_at;
		s->sub = hub_subscribe(ws->app->hub, s->ticket.topic, s->ticket.after, session_notify, s);
	}
	if (s->ticket.own.kind)
		s->own = hub_subscribe(ws->app->hub, s->ticket.own, s->ticket.after, session_notify, s);
	session_unexpect(s);
	int64_t expires_at;
	/* Sessions ended between the handshake's check and now: is this one of them? */
	if (s->ticket.user_id && hub_sessions_ended_count(ws->app->hub) != s->ticket.ended_count &&
	    db_session_expiry(ws->app->db, s->ticket.token_hash, now_unix(), &expires_at) != 0)
		session_end(s, "ended");
	log_debug("ws: user %lld subscribed to topic %d %lld after %lld", (long long)s->ticket.user_id,
		  s->ticket.topic.kind, (long long)s->ticket.topic.id, (long long)s->ticket.after);
}

static void session_close(struct ws_server *ws, struct ws_session *s)
{
	if (!s->open)
		return;
	s->open = false;
	if (s->prev)
		s->prev->next = s->next;
	else
		ws->sessions = s->next;
	if (s->next)
		s->next->prev = s->prev;
	hub_unsubscribe(s->sub);
	hub_unsubscribe(s->own);
	s->sub = s->own = NULL;
	ws_events_close(s->events);
	s->events = NULL;
	metrics_add(METRIC_WS_OPEN, -1);
}

/* Ends a connection from outside its own callbacks. */
static void session_drop(struct ws_session *s, const char *why)
{
	if (s->dropping)
		return;
	s->dropping = true;
	metrics_add(METRIC_WS_DROPPED, 1);
	log_info("ws: dropping a connection of user %lld: %s", (long long)s->ticket.user_id, why);
	lws_set_timeout(s->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
}

/* Closes the connections whose sessions ended among those of the users some
   of whose sessions the change log says ended. A database read per
   connection of those users: rare, and at most a user's connection limit. */
static void end_sessions(struct ws_server *ws)
{
	size_t n;
	int64_t *users = hub_take_sessions_ended(ws->app->hub, &n);
	int64_t now = now_unix(), expires_at;
	for (struct ws_session *s = ws->sessions; s && n; s = s->next)
		for (size_t i = 0; i < n; i++)
			if (s->ticket.user_id == users[i]) {
				if (db_session_expiry(ws->app->db, s->ticket.token_hash, now, &expires_at) != 0)
					session_end(s, "ended");
				break;
			}
	free(users);
}

/* The scratch buffer with LWS_PRE bytes of headroom and room for len more
   bytes after the first `used`. Service thread only. */
static unsigned char *scratch(struct ws_server *ws, size_t used, size_t len)
{
	if (LWS_PRE + used + len > ws->scratch_cap) {
		ws->scratch_cap = (LWS_PRE + used + len) * 2;
		ws->scratch = xrealloc(ws->scratch, ws->scratch_cap);
	}
	return ws->scratch;
}

/* Appends one complete text frame (FIN, unmasked, as a server sends it). */
static size_t put_frame(struct ws_server *ws, size_t used, const char *text, size_t len)
{
	unsigned char *p = scratch(ws, used, len + 10) + LWS_PRE + used, *start = p;
	*p++ = 0x81;
	if (len < 126) {
		*p++ = (unsigned char)len;
	} else if (len < 65536) {
		*p++ = 126;
		*p++ = (unsigned char)(len >> 8);
		*p++ = (unsigned char)len;
	} else {
		*p++ = 127;
		for (int shift = 56; shift >= 0; shift -= 8)
			*p++ = (unsigned char)((uint64_t)len >> shift);
	}
	memcpy(p, text, len);
	return (size_t)(p - start) + len;
}

/* One batch of the CLICS event feed, one text frame per line (without its
   newline), in one write; the close once the feed is over and sent. */
static int events_write(struct ws_server *ws, struct ws_session *s)
{
	if (s->events_over) {
		static const char end[] = "end of updates", away[] = "server stopping";
		bool normal = s->events_close == LWS_CLOSE_STATUS_NORMAL;
		lws_close_reason(s->wsi, (enum lws_close_status)s->events_close,
				 (unsigned char *)(normal ? end : away), normal ? sizeof end - 1 : sizeof away - 1);
		return -1;
	}
	ws->lines.len = 0;
	enum ws_events_step step = ws_events_next(s->events, &ws->lines, WS_EVENTS_BATCH);
	size_t used = 0;
	int count = 0;
	for (size_t at = 0; at < ws->lines.len;) {
		const char *line = ws->lines.data + at, *nl = memchr(line, '\n', ws->lines.len - at);
		size_t len = nl ? (size_t)(nl - line) : ws->lines.len - at;
		used += put_frame(ws, used, line, len);
		count++;
		at += len + 1;
	}
	if (count) {
		if (lws_write(s->wsi, ws->scratch + LWS_PRE, used, LWS_WRITE_RAW) < (int)used)
			return -1;
		metrics_add(METRIC_WS_SENT, count);
		ws_events_wrote(s->events);
	}
	if (step == WS_EVENTS_END || step == WS_EVENTS_CLOSE) {
		s->events_over = true;
		s->events_close = step == WS_EVENTS_END ? LWS_CLOSE_STATUS_NORMAL : LWS_CLOSE_STATUS_GOINGAWAY;
	}
	if (step != WS_EVENTS_IDLE)
		lws_callback_on_writable(s->wsi);
	return 0;
}

static int session_write(struct ws_server *ws, struct ws_session *s)
{
	struct lws *wsi = s->wsi;
	if (s->ended) {
		static const char why[] = "session ended";
		lws_close_reason(wsi, WS_SESSION_ENDED, (unsigned char *)why, sizeof why - 1);
		return -1;
	}
	if (!s->open || s->dropping)
		return 0;
	if ((s->sub && hub_sub_failed(s->sub)) || (s->own && hub_sub_failed(s->own))) {
		static const char why[] = "too slow";
		s->dropping = true;
		metrics_add(METRIC_WS_DROPPED, 1);
		log_info("ws: closing a connection of user %lld: it fell too far behind", (long long)s->ticket.user_id);
		lws_close_reason(wsi, LWS_CLOSE_STATUS_POLICY_VIOLATION, (unsigned char *)why, sizeof why - 1);
		return -1;
	}
	if (s->ping_due) {
		/* Not empty: lws 4.1 does not report empty pongs (RECEIVE_PONG). */
		unsigned char *buf = scratch(ws, 0, 8);
		memcpy(buf + LWS_PRE, &s->ping_at, 8);
		s->ping_due = false;
		if (lws_write(wsi, buf + LWS_PRE, 8, LWS_WRITE_PING) < 8)
			return -1;
	}
	if (lws_partial_buffered(wsi)) {
		lws_callback_on_writable(wsi);
		return 0;
	}
	if (s->events)
		return events_write(ws, s);
	/* The waiting messages as consecutive text frames, sent with one write.
	   A team's board socket drains its own row's topic after the public one
	   (the order between them does not matter: the own row comes only from
	   its own topic). */
	size_t used = 0;
	int count = 0;
	bool drained = false, own_drained = !s->own;
	while (count < WS_BATCH && used < WS_BATCH_BYTES) {
		struct hub_msg *m = drained ? NULL : hub_sub_next(s->sub);
		if (!m) {
			drained = true; /* the hub notifies when there is more */
			m = own_drained ? NULL : hub_sub_next(s->own);
			if (!m) {
				own_drained = true;
				break;
			}
		}
		size_t len;
		const char *text = hub_msg_text(m, &len);
		used += put_frame(ws, used, text, len);
		hub_msg_unref(m);
		count++;
	}
	if (count) {
		if (lws_write(wsi, ws->scratch + LWS_PRE, used, LWS_WRITE_RAW) < (int)used)
			return -1;
		metrics_add(METRIC_WS_SENT, count);
	}
	if (!drained || !own_drained || hub_sub_failed(s->sub) || (s->own && hub_sub_failed(s->own)))
		lws_callback_on_writable(wsi);
	return 0;
}

static int session_receive(struct ws_session *s, struct lws *wsi, size_t len)
{
	s->last_heard = now_us();
	s->rx_len += len;
	size_t remaining = lws_remaining_packet_payload(wsi);
	if (s->rx_len + remaining > WS_MAX_RX) {
		static const char why[] = "message too large";
		s->dropping = true;
		metrics_add(METRIC_WS_DROPPED, 1);
		lws_close_reason(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE, (unsigned char *)why, sizeof why - 1);
		return -1;
	}
	if (!remaining && lws_is_final_fragment(wsi))
		s->rx_len = 0; /* clients have nothing to say: the message is ignored */
	return 0;
}

static void sweep(lws_sorted_usec_list_t *sul)
{
	struct ws_server *ws = lws_container_of(sul, struct ws_server, sweep);
	const struct ws_settings *cfg = ws_settings();
	int64_t now = now_us(), now_s = now_unix();
	for (struct ws_session *s = ws->sessions; s; s = s->next) {
		if (now_s >= s->ticket.expires_at)
			session_end(s, "expired");
		if (s->ping_pending) {
			if (now - s->ping_at >= cfg->ping_timeout_us)
				session_drop(s, "no answer to a ping");
		} else if (now - s->last_heard >= cfg->ping_interval_us) {
			s->ping_due = s->ping_pending = true;
			s->ping_at = now;
			lws_callback_on_writable(s->wsi);
		}
	}
	lws_sul_schedule(ws->ctx, 0, &ws->sweep, sweep, ws->sweep_us);
}

static int on_event(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	(void)user; /* no per-session data: the session is the wsi's opaque pointer */
	(void)in;
	struct lws_context *ctx = lws_get_context(wsi);
	struct ws_server *ws = ctx ? lws_context_user(ctx) : NULL;
	struct ws_session *s;
	switch (reason) {
	case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
		if (ws && !atomic_load(&ws->stop)) {
			adopt_pending(ws);
			ws_events_woken(ws->events, session_notify);
			hub_dispatch(ws->app->hub);
			end_sessions(ws);
		}
		return 0;
	case LWS_CALLBACK_HTTP:
		/* The acceptor hands over upgrade requests only. */
		lws_return_http_status(wsi, HTTP_STATUS_BAD_REQUEST, NULL);
		return -1;
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		return lws_get_opaque_user_data(wsi) ? 0 : -1;
	case LWS_CALLBACK_ESTABLISHED:
		s = lws_get_opaque_user_data(wsi);
		if (!s)
			return -1;
		session_open(ws, s, wsi);
		return 0;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		s = lws_get_opaque_user_data(wsi);
		return s ? session_write(ws, s) : -1;
	case LWS_CALLBACK_RECEIVE:
		s = lws_get_opaque_user_data(wsi);
		return s ? session_receive(s, wsi, len) : -1;
	case LWS_CALLBACK_RECEIVE_PONG:
		s = lws_get_opaque_user_data(wsi);
		if (s) {
			s->last_heard = now_us();
			s->ping_pending = false;
		}
		return 0;
	case LWS_CALLBACK_CLOSED:
		s = lws_get_opaque_user_data(wsi);
		if (s)
			session_close(ws, s);
		return 0;
	case LWS_CALLBACK_WSI_DESTROY:
		s = lws_get_opaque_user_data(wsi);
		if (s) {
			session_close(ws, s);
			lws_set_opaque_user_data(wsi, NULL);
			session_free(s);
		}
		return 0;
	default:
		return 0;
	}
}

static const struct lws_protocols protocols[] = {
	{
		.name = "verdict",
		.callback = on_event,
		.per_session_data_size = 0, /* the session is the wsi's opaque pointer */
		.rx_buffer_size = 1024,
		.tx_packet_size = 65536,
	},
	{NULL, NULL, 0, 0, 0, NULL, 0},
};

static void lws_log(int level, const char *line)
{
	size_t n = strlen(line);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	if (level & LLL_ERR)
		log_error("lws: %.*s", (int)n, line);
	else
		log_warnx("lws: %.*s", (int)n, line);
}

static void *service_main(void *arg)
{
	struct ws_server *ws = arg;
	while (!atomic_load(&ws->stop))
		if (lws_service(ws->ctx, 0) < 0)
			break;
	return NULL;
}

static void wake(void *ctx)
{
	lws_cancel_service(ctx);
}

struct ws_server *ws_server_new(struct app *app, char **err)
{
	settings.max_per_user = app->cfg->ws_max_per_user;
	settings.ping_interval_us = (int64_t)app->cfg->ws_ping_interval_ms * 1000;
	settings.ping_timeout_us = (int64_t)app->cfg->ws_ping_timeout_ms * 1000;
	const struct ws_settings *cfg = ws_settings();
	lws_set_log_level(getenv("VERDICT_LWS_DEBUG") ? LLL_ERR | LLL_WARN | LLL_NOTICE | LLL_INFO : LLL_ERR | LLL_WARN, lws_log);
	struct ws_server *ws = xcalloc(1, sizeof *ws);
	ws->app = app;
	pthread_mutex_init(&ws->lock, NULL);
	buf_init(&ws->lines);
	struct lws_context_creation_info info;
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN_SERVER;
	info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
	info.gid = -1;
	info.uid = -1;
	info.user = ws;
	info.max_http_header_data = REQUEST_HEAD_MAX;
	info.timeout_secs = 10;
	/* No lws validity timers: the sweep below pings and drops. Each such
	   timer is a sorted-list insertion, linear in the number of connections. */
	static const lws_retry_bo_t no_validity = {.secs_since_valid_ping = 0, .secs_since_valid_hangup = 0};
	info.retry_and_idle_policy = &no_validity;
	ws->ctx = lws_create_context(&info);
	if (!ws->ctx) {
		*err = xstrdup("cannot start the WebSocket server (libwebsockets context)");
		goto out_free;
	}
	info.vhost_name = "verdict";
	info.protocols = protocols;
	ws->vhost = lws_create_vhost(ws->ctx, &info);
	if (!ws->vhost) {
		*err = xstrdup("cannot start the WebSocket server (libwebsockets vhost)");
		goto out_destroy;
	}
	int64_t period = (cfg->ping_interval_us < cfg->ping_timeout_us ? cfg->ping_interval_us : cfg->ping_timeout_us) / 4;
	ws->sweep_us = period < 50000 ? 50000 : period > WS_SWEEP_MAX_US ? WS_SWEEP_MAX_US : period;
	ws->events = ws_events_queue_new(ws->ctx);
	return ws;
out_destroy:
	lws_context_destroy(ws->ctx);
out_free:
	pthread_mutex_destroy(&ws->lock);
	free(ws);
	return NULL;
}

int ws_server_start(struct ws_server *ws)
{
	lws_sul_schedule(ws->ctx, 0, &ws->sweep, sweep, ws->sweep_us);
	hub_set_wake(ws->app->hub, wake, ws->ctx);
	int rc = pthread_create(&ws->thread, NULL, service_main, ws);
	if (rc != 0) {
		hub_set_wake(ws->app->hub, NULL, NULL);
		return -rc;
	}
	ws->running = true;
	return 0;
}

void ws_server_free(struct ws_server *ws)
{
	if (!ws)
		return;
	hub_set_wake(ws->app->hub, NULL, NULL);
	if (ws->running) {
		atomic_store(&ws->stop, true);
		lws_cancel_service(ws->ctx);
		pthread_join(ws->thread, NULL);
	}
	/* The service thread is gone: the callbacks lws makes while closing
	   every connection run here. */
	lws_sul_cancel(&ws->sweep);
	lws_context_destroy(ws->ctx);
	for (size_t i = 0; i < ws->adopt_len; i++) {
		close(ws->adopt[i].fd);
		session_free(ws->adopt[i].session);
	}
	free(ws->adopt);
	free(ws->scratch);
	buf_release(&ws->lines);
	ws_events_queue_free(ws->events);
	pthread_mutex_destroy(&ws->lock);
	free(ws);
}
