/* /api/auth/login (throttled, checked on the hashing threads), /api/auth/logout, /api/me */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "app.h"
#include "auth.h"
#include "config.h"
#include "db.h"
#include "json_util.h"
#include "log.h"
#include "hash_pool.h"
#include "login_limit.h"
#include "metrics.h"
#include "util.h"
#include "views.h"

/* A login waiting for the hashing threads; owns copies of what it needs. */
struct login {
	struct hash_job job;
	struct http_request *req;
	struct http_response *res;
	struct login_limits limits;
	struct db_user user;
	char *hash;     /* the stored hash, or NULL for an unknown name */
	char *password; /* wiped before it is freed */
};

static void login_free(struct login *l)
{
	auth_free_secret(l->password);
	free(l->hash);
	free(l);
}

static void login_limits_of(const struct config *cfg, struct login_limits *l)
{
	l->pair_failures = cfg->login_pair_failures;
	l->address_failures = cfg->login_address_failures;
	l->window = cfg->login_window;
}

/* 429 with Retry-After; what names the limit. */
static void refuse(struct http_response *res, enum metric m, int64_t wait, const char *what, int count, int window)
{
	metrics_add(m, 1);
	res->retry_after = wait > 0 ? (int)wait : 1;
	if (count)
		http_error(res, 429, "rate_limited", "%s (%d in %d s): try again in %d s", what, count, window,
			   res->retry_after);
	else
		http_error(res, 429, "rate_limited", "%s: try again in %d s", what, res->retry_after);
}

/* Runs on a hashing thread: checks the password and answers. */
static void login_run(struct hash_job *job)
{
	struct login *l = (struct login *)job;
	struct http_request *req = l->req;
	struct http_response *res = l->res;
	struct db *db = req->app->db;
	bool ok;
	if (l->hash) {
		ok = auth_verify_password(l->hash, l->password);
	} else {
		auth_verify_dummy(l->password);
		ok = false;
	}
	int64_t now = now_unix();
	if (!ok) {
		login_limit_failed(&l->limits, l->user.username, req->client, now);
		http_error(res, 401, "unauthorized", "wrong username or password");
		goto out;
	}
	login_limit_succeeded(&l->limits, l->user.username, req->client, now);
	char token[AUTH_TOKEN_LEN + 1];
	unsigned char token_hash[32];
	auth_new_token(token, token_hash);
	const struct config *cfg = req->app->cfg;
	int64_t lifetime = cfg->session_seconds ? cfg->session_seconds : (int64_t)cfg->session_hours * 3600;
	if (db_session_create(db, token_hash, l->user.id, now + lifetime) != 0) {
		http_error(res, 500, "internal", "cannot store the session");
		goto out;
	}
	res->set_cookie = xasprintf("verdict_session=%s; HttpOnly; SameSite=Strict; Path=/; Max-Age=%lld", token,
				    (long long)lifetime);
	http_json(res, 200, json_pack("{s:s, s:o}", "token", token, "user", view_user(&l->user)));
out:
	login_free(l);
	http_resume(req);
}

/* Refuses throttled attempts before any hashing, then hands the check to the
   hashing threads and answers from there (the HTTP thread is let go). */
void api_login(struct http_request *req, struct http_response *res)
{
	const char *username = NULL, *password = NULL;
	char *err = NULL;
	if (json_get_string(req->json, "username", true, 256, &username, &err) ||
	    json_get_string(req->json, "password", true, 1024, &password, &err)) {
		http_error(res, 400, "validation", "%s", err);
		free(err);
		return;
	}
	struct login_limits limits;
	login_limits_of(req->app->cfg, &limits);
	int64_t now = now_unix(), wait = 0;
	switch (login_limit_check(&limits, username, req->client, now, &wait)) {
	case LOGIN_LIMIT_PAIR:
		refuse(res, METRIC_LIMITED_LOGIN_PAIR, wait, "too many failed logins for this name from your address",
		       limits.pair_failures, limits.window);
		return;
	case LOGIN_LIMIT_ADDRESS:
		refuse(res, METRIC_LIMITED_LOGIN_ADDRESS, wait, "too many failed logins from your address",
		       limits.address_failures, limits.window);
		return;
	case LOGIN_LIMIT_OK:
		break;
	}
	struct login *l = xcalloc(1, sizeof *l);
	l->job.run = login_run;
	l->req = req;
	l->res = res;
	l->limits = limits;
	if (db_user_by_name(req->app->db, username, &l->user, &l->hash) != 0) {
		l->hash = NULL;
		snprintf(l->user.username, sizeof l->user.username, "%s", username);
	}
	l->password = xstrdup(password);
	bool suspect = login_limit_suspect(&limits, req->client, now);
	http_defer(req);
	int rc = hash_pool_submit(&l->job, suspect);
	if (rc == 0)
		return;
	if (rc == HASH_POOL_E_FULL) {
		login_limit_failed(&limits, NULL, req->client, now);
		refuse(res, METRIC_LIMITED_LOGIN_BUSY, 1, "too many logins in progress: every password check is busy", 0,
		       0);
	} else {
		http_error(res, 503, "unavailable", "the server is shutting down");
	}
	login_free(l);
	http_resume(req);
}

void api_logout(struct http_request *req, struct http_response *res)
{
	unsigned char hash[32];
	if (!req->token) { /* HTTP Basic: there is no session to end */
		http_error(res, 400, "bad_request", "no session to end: the request was authenticated with HTTP Basic");
		return;
	}
	auth_token_hash(req->token, hash);
	if (db_session_delete(req->app->db, hash) != 0) {
		http_error(res, 500, "internal", "cannot end the session");
		return;
	}
	res->set_cookie = xstrdup("verdict_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
	res->status = 204;
}

void api_me(struct http_request *req, struct http_response *res)
{
	http_json(res, 200, view_user(req->user));
}
