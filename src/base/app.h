/* The server's shared parts, wired together by main.c and handed to every
 * request handler. All pointers are set before the first thread starts and
 * never change afterwards. */
#pragma once

struct boards;
struct clics_watch;
struct config;
struct db;
struct hub;
struct judge;
struct languages;
struct moments;

struct app {
	const struct config *cfg;
	struct db *db;
	struct hub *hub;              /* live updates to WebSocket subscribers */
	struct boards *boards;        /* every contest's scoreboard, in memory */
	struct clics_watch *clics;    /* the CLICS event feeds' readers waiting for changes */
	struct judge *judge;          /* the queue and the worker pool */
	struct languages *languages;
	struct moments *moments;      /* logs each contest's state at its moments */
};
