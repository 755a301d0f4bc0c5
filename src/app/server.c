/* Start-up order matters: everything that forks (the judge's workers) happens
 * before the first thread starts; signals are blocked before any thread so
 * that only the main thread, waiting in sigwait, receives them. */
#include "server.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "app.h"
#include "auth.h"
#include "boards.h"
#include "clics_watch.h"
#include "db.h"
#include "demo.h"
#include "feed.h"
#include "hash_pool.h"
#include "http.h"
#include "hub.h"
#include "judge.h"
#include "languages.h"
#include "listener.h"
#include "log.h"
#include "moments.h"
#include "routes.h"
#include "util.h"
#include "ws.h"

static int write_port_file(const char *path, uint16_t port)
{
	char *tmp = xasprintf("%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	int rc = f && fprintf(f, "%u\n", port) > 0 && fclose(f) == 0 ? 0 : -1;
	if (rc == 0)
		rc = rename(tmp, path);
	free(tmp);
	return rc;
}

/* Every connection is a file descriptor: take all the system allows. As
   root, raise the hard limit too, toward fs.nr_open but no further than
   FILES_WANTED (libwebsockets sizes a table by the limit). */
#define FILES_WANTED 65536

static void raise_fd_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < FILES_WANTED && geteuid() == 0) {
		rlim_t want = FILES_WANTED;
		FILE *f = fopen("/proc/sys/fs/nr_open", "r");
		unsigned long long nr_open;
		if (f && fscanf(f, "%llu", &nr_open) == 1 && nr_open < want)
			want = (rlim_t)nr_open;
		if (f)
			fclose(f);
		struct rlimit more = {want, want};
		if (want > rl.rlim_max && setrlimit(RLIMIT_NOFILE, &more) == 0)
			rl = more;
	}
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			getrlimit(RLIMIT_NOFILE, &rl);
	}
	log_info("open files: %llu", (unsigned long long)rl.rlim_cur);
}

/* The change hook: the scoreboards first (they publish their rows), then the feed. */
static void on_change(void *arg, struct db *db, const struct db_change *change)
{
	struct app *app = arg;
	boards_on_change(app->boards, db, change);
	moments_on_change(app->moments, change);
	feed_on_change(app->hub, db, change);
	clics_watch_on_change(app->clics, change);
}

int server_run(const struct config *cfg)
{
	int code = 1;
	char *err = NULL;
	struct app app = {.cfg = cfg};
	struct listener *listener = NULL;
	struct http_server *http = NULL;
	struct ws_server *ws = NULL;

	raise_fd_limit();
	if (!auth_init()) {
		log_error("cannot initialise libsodium");
		return 1;
	}
	app.languages = languages_load(cfg->languages_file, &err);
	if (!app.languages)
		goto out;
	if (db_open(cfg->data_dir, true, &app.db, &err) != 0)
		goto out;
	app.boards = boards_new(app.db);
	app.moments = moments_new(app.db);
	app.hub = feed_hub_new(app.db, app.boards);
	app.clics = clics_watch_new(cfg->clics_keepalive_ms);
	boards_set_listener(app.boards, feed_on_board, app.hub);
	db_set_change_hook(app.db, on_change, &app);
	if (cfg->demo && demo_seed(app.db) != 0) {
		err = xstrdup("cannot create the demo data");
		goto out;
	}
	/* Bind first: a port in use fails before any worker is spawned. The
	   socket is close-on-exec, so workers do not inherit it. */
	struct listener_limits limits = {
		.header_timeout_us = (int64_t)cfg->header_timeout_ms * 1000,
		.idle_timeout_us = (int64_t)cfg->idle_timeout_ms * 1000,
		.max_per_address = cfg->max_conns_per_address,
	};
	listener = listener_new(cfg->listen_host, cfg->listen_port, &limits, &err);
	if (!listener)
		goto out;
	/* Forks (spawns) the workers: before any thread. */
	app.judge = judge_new(&app, cfg->workers, &err);
	if (!app.judge)
		goto out;

	sigset_t signals;
	sigemptyset(&signals);
	sigaddset(&signals, SIGINT);
	sigaddset(&signals, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &signals, NULL);
	signal(SIGPIPE, SIG_IGN);

	int rc = hash_pool_start(cfg->hash_threads, cfg->hash_queue);
	if (rc != 0) {
		err = xasprintf("cannot start the password hashing threads: %s", strerror(-rc));
		goto out;
	}
	http = http_server_new(&app, &api_routes, &err);
	if (!http)
		goto out;
	ws = ws_server_new(&app, &err);
	if (!ws)
		goto out;
	rc = judge_start(app.judge);
	if (rc == 0)
		rc = hub_start(app.hub);
	if (rc == 0)
		rc = boards_start(app.boards);
	if (rc == 0)
		rc = clics_watch_start(app.clics);
	if (rc == 0)
		rc = moments_start(app.moments);
	if (rc == 0)
		rc = ws_server_start(ws);
	if (rc == 0)
		rc = listener_start(listener, http_server_adopt, http, ws_server_offer, ws);
	if (rc != 0) {
		err = xasprintf("cannot start the judge, WebSocket and acceptor threads: %s", strerror(-rc));
		goto out;
	}
	uint16_t port = listener_port(listener);
	if (cfg->port_file && write_port_file(cfg->port_file, port) != 0) {
		err = xasprintf("cannot write port file '%s': %s", cfg->port_file, strerror(errno));
		goto out;
	}
	log_info("verdict listening on http://%s:%u (data dir '%s'; settings file %s%s%s)", cfg->listen_host, port,
		 cfg->data_dir, cfg->config_file ? "'" : "", cfg->config_file ? cfg->config_file : "none",
		 cfg->config_file ? "'" : "");

	int sig = 0;
	while (sigwait(&signals, &sig) != 0)
		;
	log_info("received %s, shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");
	code = 0;
out:
	if (err) {
		log_error("%s", err);
		free(err);
	}
	listener_free(listener);
	/* Ends every event feed: their connections are suspended, and neither
	   server stops with one suspended. */
	clics_watch_close_all(app.clics);
	ws_server_free(ws);
	hash_pool_stop(); /* resumes every login it holds: libmicrohttpd stops only without any */
	http_server_free(http);
	judge_free(app.judge);
	moments_free(app.moments); /* its writes reach the boards and the hub through the change hook */
	hub_stop(app.hub);
	boards_free(app.boards);
	db_close(app.db);
	hub_free(app.hub);
	clics_watch_free(app.clics);
	languages_free(app.languages);
	return code;
}
