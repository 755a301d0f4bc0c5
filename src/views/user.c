/* The user object: the logged-in user (login, /api/me), the answers of
 * POST and PUT /api/users, and the items of GET /api/users. */
#include "views.h"

json_t *view_user(const struct db_user *user)
{
	return json_pack("{s:I, s:s, s:s}", "id", (json_int_t)user->id, "username", user->username, "role",
			 db_role_name(user->role));
}

json_t *view_users_page(const struct db_user_list *list, int page, int per_page)
{
	json_t *items = json_array();
	for (size_t i = 0; i < list->count; i++) {
		json_t *u = view_user(&list->items[i].user);
		json_object_set_new(u, "created_at", json_string(list->items[i].created_at));
		json_array_append_new(items, u);
	}
	return view_page(items, page, per_page, list->total);
}
