/* The WebSocket server (libwebsockets): /ws/problems/{id}/submissions/,
 * /ws/submissions/{id}/, /ws/contests/{id}/scoreboard/,
 * /ws/contests/{id}/clarifications/ and the CLICS event feed
 * /ws/contests/{key}/events/ (ws_events.h) on the same port as the REST API.
 *
 * The listener's acceptor thread peeks at the whole request head of every
 * connection that starts with "GET /ws/" and offers it to ws_server_offer,
 * which authenticates and authorises the handshake there (database reads, no
 * lws). An admitted connection is queued for the lws service thread, which
 * adopts it, completes the upgrade and subscribes it to the hub. A refused one
 * goes to the HTTP server unread, whose /ws/ route (ws_http_answer) runs the
 * same checks and answers with the API's error envelope (400, 401, 403, 404,
 * 429), so refusals are real HTTP answers.
 *
 * Settings, from the environment (read once):
 *   VERDICT_WS_MAX_PER_USER   open WebSocket connections per user (64)
 *   VERDICT_WS_PING_INTERVAL  seconds without a word from the client before it is pinged (30)
 *   VERDICT_WS_PING_TIMEOUT   seconds a ping may stay unanswered before the connection is dropped (20) */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

struct app;
struct http_request;
struct http_response;
struct ws_server;

/* Creates the lws context (no thread yet, no listening socket). NULL with *err on failure. */
struct ws_server *ws_server_new(struct app *app, char **err);
/* Starts the service thread and the hub's delivery. 0 or negative errno. */
int ws_server_start(struct ws_server *ws);
/* Stops the service thread and closes every connection. Call after the
   listener has stopped and before the hub stops. NULL is fine. */
void ws_server_free(struct ws_server *ws);

/* A listener_ws_handoff: head is the complete request head (through the
   empty line), peeked, not read. Returns true when it took the fd, false when
   the HTTP server should answer the request instead. Acceptor thread. */
bool ws_server_offer(void *ws, int fd, const struct sockaddr *addr, socklen_t addr_len, const char *head,
		     size_t head_len);

/* The HTTP route of the /ws/ paths: answers a handshake that the WebSocket
   server refused, or a plain GET, with the error that applies. */
void ws_http_answer(struct http_request *req, struct http_response *res);
