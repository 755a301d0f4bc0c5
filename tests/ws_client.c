/* Test WebSocket client on the libwebsockets client API: one context per
 * client, serviced synchronously from the calling thread. */
#include "ws_client.h"

#include <check.h>
#include <libwebsockets.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

struct message {
	struct message *next;
	char *text;
};

struct ws_client {
	struct lws_context *ctx;
	struct lws *wsi;
	bool established, failed, closed;
	int status;               /* HTTP status of a refused handshake */
	int close_code;
	int rcvbuf;
	char cookie[512];
	struct message *head, **tail;
	size_t queued;
	char *partial;            /* the message being received */
	size_t partial_len;
	char *tx;                 /* a message waiting for WRITEABLE */
	size_t tx_len;
	lws_sorted_usec_list_t timer;
	bool timer_fired;
};

static int on_event(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	struct lws_context *ctx = lws_get_context(wsi);
	struct ws_client *c = ctx ? lws_context_user(ctx) : NULL;
	(void)user;
	if (!c)
		return 0;
	switch (reason) {
	case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
		if (c->cookie[0]) {
			unsigned char **p = in, *end = *p + len;
			if (lws_add_http_header_by_name(wsi, (const unsigned char *)"cookie:",
							(const unsigned char *)c->cookie, (int)strlen(c->cookie), p,
							end))
				return -1;
		}
		return 0;
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		c->established = true;
		if (c->rcvbuf > 0)
			setsockopt(lws_get_socket_fd(wsi), SOL_SOCKET, SO_RCVBUF, &c->rcvbuf, sizeof c->rcvbuf);
		return 0;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		c->failed = true;
		c->status = (int)lws_http_client_http_response(wsi);
		if (!c->status) {
			char buf[16] = "";
			if (lws_hdr_copy(wsi, buf, sizeof buf, WSI_TOKEN_HTTP) > 0)
				c->status = atoi(buf);
		}
		if (!c->status && in) {
			/* "HS: ws upgrade response not 101" carries no number; some
			   versions say "... (401)" */
			const char *p = strchr((const char *)in, '(');
			if (p)
				c->status = atoi(p + 1);
		}
		c->wsi = NULL;
		return 0;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		c->partial = realloc(c->partial, c->partial_len + len + 1);
		memcpy(c->partial + c->partial_len, in, len);
		c->partial_len += len;
		c->partial[c->partial_len] = '\0';
		if (lws_is_final_fragment(wsi) && !lws_remaining_packet_payload(wsi)) {
			struct message *m = calloc(1, sizeof *m);
			m->text = c->partial;
			*c->tail = m;
			c->tail = &m->next;
			c->queued++;
			c->partial = NULL;
			c->partial_len = 0;
		}
		return 0;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		if (c->tx) {
			unsigned char *buf = malloc(LWS_PRE + c->tx_len);
			memcpy(buf + LWS_PRE, c->tx, c->tx_len);
			int n = lws_write(wsi, buf + LWS_PRE, c->tx_len, LWS_WRITE_TEXT);
			free(buf);
			free(c->tx);
			c->tx = NULL;
			if (n < 0)
				return -1;
		}
		return 0;
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		if (len >= 2)
			c->close_code = ((const unsigned char *)in)[0] << 8 | ((const unsigned char *)in)[1];
		return 0;
	case LWS_CALLBACK_CLIENT_CLOSED:
		c->closed = true;
		c->wsi = NULL;
		return 0;
	case LWS_CALLBACK_WSI_DESTROY:
		if (c->wsi == wsi)
			c->wsi = NULL;
		if (c->established)
			c->closed = true;
		return 0;
	default:
		return 0;
	}
}

static const struct lws_protocols protocols[] = {
	{.name = "verdict-test", .callback = on_event, .rx_buffer_size = 4096},
	{NULL, NULL, 0, 0, 0, NULL, 0},
};

static void timer_fired(lws_sorted_usec_list_t *sul)
{
	struct ws_client *c = lws_container_of(sul, struct ws_client, timer);
	c->timer_fired = true;
}

/* Services until done(c) or ms pass. */
static void service_until(struct ws_client *c, bool (*done)(struct ws_client *c), int ms)
{
	c->timer_fired = false;
	lws_sul_schedule(c->ctx, 0, &c->timer, timer_fired, (lws_usec_t)ms * 1000);
	while (!c->timer_fired && !(done && done(c)))
		if (lws_service(c->ctx, 0) < 0)
			break;
	lws_sul_cancel(&c->timer);
}

static bool handshake_done(struct ws_client *c)
{
	return c->established || c->failed || c->closed;
}

struct ws_client *ws_client_connect(int port, const char *path, const struct ws_client_opts *opts, int *status)
{
	static const struct ws_client_opts none;
	if (!opts)
		opts = &none;
	lws_set_log_level(getenv("WS_CLIENT_DEBUG") ? LLL_ERR | LLL_WARN | LLL_NOTICE | LLL_INFO : LLL_ERR, NULL);
	struct ws_client *c = calloc(1, sizeof *c);
	c->tail = &c->head;
	c->rcvbuf = opts->rcvbuf;
	if (opts->cookie)
		snprintf(c->cookie, sizeof c->cookie, "%s", opts->cookie);
	struct lws_context_creation_info info;
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.gid = -1;
	info.uid = -1;
	info.user = c;
	info.fd_limit_per_thread = 16;
	info.options = LWS_SERVER_OPTION_JUST_USE_RAW_ORIGIN; /* else lws prefixes "http://" */
	c->ctx = lws_create_context(&info);
	ck_assert_msg(c->ctx != NULL, "cannot create an lws client context");

	char host[64];
	snprintf(host, sizeof host, "127.0.0.1:%d", port);
	struct lws_client_connect_info ci;
	memset(&ci, 0, sizeof ci);
	ci.context = c->ctx;
	ci.address = "127.0.0.1";
	ci.port = port;
	ci.path = path;
	ci.host = opts->host ? opts->host : host;
	ci.origin = opts->origin;
	ci.ietf_version_or_minus_one = -1;
	ci.pwsi = &c->wsi;
	if (!lws_client_connect_via_info(&ci))
		c->failed = true;
	else
		service_until(c, handshake_done, 10000);
	if (status)
		*status = c->established ? 101 : c->status;
	if (!c->established) {
		ws_client_free(c);
		return NULL;
	}
	return c;
}

static bool has_message(struct ws_client *c)
{
	return c->head != NULL || c->closed;
}

char *ws_client_recv(struct ws_client *c, int timeout_ms)
{
	if (!c->head && !c->closed && timeout_ms > 0)
		service_until(c, has_message, timeout_ms);
	struct message *m = c->head;
	if (!m)
		return NULL;
	c->head = m->next;
	if (!c->head)
		c->tail = &c->head;
	c->queued--;
	char *text = m->text;
	free(m);
	return text;
}

json_t *ws_client_recv_json(struct ws_client *c, int timeout_ms)
{
	char *text = ws_client_recv(c, timeout_ms);
	if (!text)
		return NULL;
	json_error_t err;
	json_t *j = json_loads(text, 0, &err);
	ck_assert_msg(j != NULL, "not JSON: %s (%s)", text, err.text);
	free(text);
	return j;
}

void ws_client_service(struct ws_client *c, int ms)
{
	service_until(c, NULL, ms);
}

static bool tx_done(struct ws_client *c)
{
	return !c->tx || c->closed;
}

bool ws_client_send(struct ws_client *c, const char *text, size_t len)
{
	if (c->closed || !c->wsi)
		return false;
	free(c->tx);
	c->tx = malloc(len ? len : 1);
	memcpy(c->tx, text, len);
	c->tx_len = len;
	lws_callback_on_writable(c->wsi);
	service_until(c, tx_done, 5000);
	return !c->tx;
}

bool ws_client_closed(struct ws_client *c, int *code)
{
	if (code)
		*code = c->close_code;
	return c->closed;
}

size_t ws_client_queued(struct ws_client *c)
{
	return c->queued;
}

void ws_client_free(struct ws_client *c)
{
	if (!c)
		return;
	if (c->ctx)
		lws_context_destroy(c->ctx);
	while (c->head) {
		struct message *m = c->head;
		c->head = m->next;
		free(m->text);
		free(m);
	}
	free(c->partial);
	free(c->tx);
	free(c);
}
