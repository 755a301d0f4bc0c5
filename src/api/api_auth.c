/* /api/auth/login, /api/auth/logout, /api/me */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "app.h"
#include "auth.h"
#include "config.h"
#include "db.h"
#include "json_util.h"
#include "log.h"
#include "login_limit.h"
#include "util.h"
#include "views.h"

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
	struct db *db = req->app->db;
	int64_t now = now_unix(), wait = 0;
	if (login_limit_blocked(username, now, &wait)) {
		http_error(res, 429, "rate_limited", "too many failed logins for '%s': try again in %lld s", username,
			   (long long)wait);
		return;
	}
	struct db_user user;
	char *hash = NULL;
	bool ok;
	if (db_user_by_name(db, username, &user, &hash) != 0) {
		auth_verify_dummy(password);
		ok = false;
	} else {
		ok = auth_verify_password(hash, password);
		free(hash);
	}
	if (!ok) {
		login_limit_failed(username, now);
		http_error(res, 401, "unauthorized", "wrong username or password");
		return;
	}
	login_limit_succeeded(username, now);
	char token[AUTH_TOKEN_LEN + 1];
	unsigned char token_hash[32];
	auth_new_token(token, token_hash);
	int64_t lifetime = (int64_t)req->app->cfg->session_hours * 3600;
	if (db_session_create(db, token_hash, user.id, now_unix() + lifetime) != 0) {
		http_error(res, 500, "internal", "cannot store the session");
		return;
	}
	res->set_cookie = xasprintf("verdict_session=%s; HttpOnly; SameSite=Strict; Path=/; Max-Age=%lld", token,
				    (long long)lifetime);
	http_json(res, 200, json_pack("{s:s, s:o}", "token", token, "user", view_user(&user)));
}

void api_logout(struct http_request *req, struct http_response *res)
{
	unsigned char hash[32];
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
