/* The team, organization and group objects of a contest (REST and imports). */
#include "views.h"

static json_t *nullable(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *view_team(const struct db_team *t, bool members)
{
	json_t *groups = json_array();
	for (size_t i = 0; i < t->group_count; i++)
		json_array_append_new(groups, json_string(t->groups[i]));
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:b}", "id", (json_int_t)t->id, "key", t->key,
			      "name", t->name, "display_name", t->display_name ? t->display_name : "", "label", t->label,
			      "organization", nullable(t->organization), "groups", groups, "hidden", t->hidden);
	if (members) {
		json_t *m = json_array();
		for (size_t i = 0; i < t->member_count; i++)
			json_array_append_new(m, json_string(t->members[i]));
		json_object_set_new(o, "members", m);
	}
	json_object_set_new(o, "seq", json_integer((json_int_t)t->seq));
	return o;
}

json_t *view_organization(const struct db_organization *o)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:I}", "id", (json_int_t)o->id, "key", o->key, "name", o->name,
			 "formal_name", o->formal_name ? o->formal_name : "", "country", o->country ? o->country : "",
			 "icpc_id", nullable(o->icpc_id), "seq", (json_int_t)o->seq);
}

json_t *view_team_group(const struct db_team_group *g)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:b, s:o, s:I}", "id", (json_int_t)g->id, "key", g->key, "name", g->name,
			 "type", g->type ? g->type : "", "hidden", g->hidden, "icpc_id", nullable(g->icpc_id), "seq",
			 (json_int_t)g->seq);
}
