/* /api/users (admin): list, create, reset a password. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "app.h"
#include "auth.h"
#include "db.h"
#include "json_util.h"
#include "users.h"
#include "util.h"
#include "views.h"

void api_users_list(struct http_request *req, struct http_response *res)
{
	int page, per_page;
	if (!http_paging(req, res, &page, &per_page))
		return;
	struct db_user_list *list = db_users_list(req->app->db, page, per_page);
	http_json(res, 200, view_users_page(list, page, per_page));
	db_user_list_free(list);
}

void api_users_create(struct http_request *req, struct http_response *res)
{
	const char *username = NULL, *password = NULL, *role = "user";
	char *err = NULL;
	if (json_get_string(req->json, "username", true, 256, &username, &err) ||
	    json_get_string(req->json, "password", true, 1024, &password, &err) ||
	    json_get_string(req->json, "role", false, 16, &role, &err)) {
		http_error(res, 400, "validation", "%s", err);
		free(err);
		return;
	}
	struct db_user user = {0};
	if (strcmp(role, "admin") == 0)
		user.role = DB_ROLE_ADMIN;
	else if (strcmp(role, "jury") == 0)
		user.role = DB_ROLE_JURY;
	else if (strcmp(role, "user") != 0) {
		http_error(res, 400, "validation", "field 'role' must be \"admin\", \"jury\" or \"user\"");
		return;
	}
	/* The answer's user; a name too long to fit is refused by users_create. */
	user.admin = user.role == DB_ROLE_ADMIN;
	snprintf(user.username, sizeof user.username, "%s", username);
	int rc = users_create(req->app->db, username, password, user.role, &user.id, &err);
	if (rc == USERS_E_INVALID)
		http_error(res, 400, "validation", "%s", err);
	else if (rc == DB_E_CONFLICT)
		http_error(res, 409, "conflict", "user '%s' already exists", username);
	else if (rc != 0)
		http_error(res, 500, "internal", "cannot create user '%s'", username);
	else
		http_json(res, 201, view_user(&user));
	free(err);
}

void api_users_update(struct http_request *req, struct http_response *res)
{
	const char *password = NULL;
	char *err = NULL;
	if (json_get_string(req->json, "password", true, 1024, &password, &err)) {
		http_error(res, 400, "validation", "%s", err);
		free(err);
		return;
	}
	struct db_user user;
	if (db_user_get(req->app->db, req->id[0], &user) != 0) {
		http_error(res, 404, "not_found", "user %lld does not exist", (long long)req->id[0]);
		return;
	}
	int rc = users_set_password(req->app->db, user.id, password, &err);
	if (rc == USERS_E_INVALID)
		http_error(res, 400, "validation", "%s", err);
	else if (rc != 0)
		http_error(res, 500, "internal", "cannot change the password of user %lld", (long long)user.id);
	else
		http_json(res, 200, view_user(&user));
	free(err);
}
