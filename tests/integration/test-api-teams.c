/* Integration tests for a contest's teams, organizations and groups, and the
 * imports, over real HTTP: CRUD and its refusals, one team per user, hidden
 * teams, a class roster whose generated passwords log in, CLICS files in a
 * zip, bad files that name file, line and field and import nothing, and
 * contests from contest.yaml + problems.yaml. One server for the file. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "../unit/zipbuild.h"

static struct server srv;

static void start(void)
{
	server_start(&srv, NULL);
	test_create_problem(&srv, "{\"slug\": \"hello\", \"title\": \"Hello\", \"tests\": "
				  "[{\"input\": \"\", \"output\": \"hello\\n\"}]}");
	test_create_problem(&srv, "{\"slug\": \"sum\", \"title\": \"Sum\", \"tests\": "
				  "[{\"input\": \"1 2\\n\", \"output\": \"3\\n\"}]}");
}

static void stop(void)
{
	server_finish(&srv);
}

static void post(struct response *r, const char *path, const char *content_type, const void *body, size_t len)
{
	http_request(r, &srv, "POST", path, srv.admin_token, content_type, body, len, NULL);
}

/* A contest from a contest.yaml of shortname; returns its id. */
static long long new_contest(const char *shortname)
{
	char yaml[256];
	snprintf(yaml, sizeof yaml, "id: %s\nname: Contest %s\nduration: 2:00:00\n", shortname, shortname);
	struct response r;
	post(&r, "/api/contests/import", "application/yaml", yaml, strlen(yaml));
	ck_assert_msg(r.status == 201, "import %s: %ld %s", shortname, r.status, r.body);
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "shortname")), shortname);
	long long id = json_integer_value(json_object_get(r.json, "id"));
	response_free(&r);
	return id;
}

static void path_of(char *out, size_t size, long long contest, const char *tail)
{
	snprintf(out, size, "/api/contests/%lld/%s", contest, tail);
}

/* GET a contest's list as token; returns it (decref) after checking the status. */
static json_t *get_list(long long contest, const char *what, const char *token, long status)
{
	char path[128];
	path_of(path, sizeof path, contest, what);
	struct response r;
	http_request(&r, &srv, "GET", path, token, NULL, NULL, 0, NULL);
	ck_assert_msg(r.status == status, "GET %s: %ld %s", path, r.status, r.body);
	json_t *j = status == 200 ? json_incref(r.json) : NULL;
	if (status == 200)
		ck_assert_msg(json_is_array(j), "%s", r.body);
	response_free(&r);
	return j;
}

static json_t *find_key(json_t *list, const char *key)
{
	size_t i;
	json_t *o;
	json_array_foreach(list, i, o) if (strcmp(json_string_value(json_object_get(o, "key")), key) == 0) return o;
	return NULL;
}

/* Expects an error whose message holds want. */
static void expect_message(struct response *r, long status, const char *code, const char *want)
{
	expect_error(r, status, code);
	const char *m = json_string_value(json_object_get(json_object_get(r->json, "error"), "message"));
	ck_assert_msg(strstr(m, want) != NULL, "message '%s' lacks '%s'", m, want);
	response_free(r);
}

/* POST of a team that is refused with a message holding want. */
static void team_refused(const char *teams, const char *body, long status, const char *code, const char *want)
{
	struct response r;
	http_json_request(&r, &srv, "POST", teams, srv.admin_token, body);
	expect_message(&r, status, code, want);
}

START_TEST(team_crud_and_refusals)
{
	long long c = new_contest("crud");
	test_create_user(&srv, "crud_a", false, NULL, 0);
	test_create_user(&srv, "crud_b", false, NULL, 0);
	char user_token[64];
	test_create_user(&srv, "crud_user", false, user_token, sizeof user_token);
	char teams[128];
	path_of(teams, sizeof teams, c, "teams");
	struct response r;
	http_json_request(&r, &srv, "POST", teams, srv.admin_token,
			  "{\"key\": \"t1\", \"name\": \"One\", \"label\": \"1\", \"members\": [\"crud_a\"]}");
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	long long t1 = json_integer_value(json_object_get(r.json, "id"));
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "key")), "t1");
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "label")), "1");
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "name")), "One");
	ck_assert(json_is_null(json_object_get(r.json, "organization")));
	ck_assert(json_is_false(json_object_get(r.json, "hidden")));
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(r.json, "members"), 0)), "crud_a");
	ck_assert(json_is_integer(json_object_get(r.json, "seq")));
	response_free(&r);

	/* a user is in at most one team per contest */
	team_refused(teams, "{\"key\": \"t2\", \"members\": [\"crud_b\", \"crud_a\"]}", 409, "conflict", "crud_a");
	/* the key or label of another team */
	team_refused(teams, "{\"key\": \"t1\"}", 409, "conflict", "t1");
	/* what does not exist is named */
	team_refused(teams, "{\"key\": \"t3\", \"members\": [\"ghost\"]}", 400, "validation", "user 'ghost' does not exist");
	team_refused(teams, "{\"key\": \"t3\", \"groups\": [\"nogroup\"]}", 400, "validation", "group 'nogroup' does not exist");
	team_refused(teams, "{\"key\": \"t3\", \"organization\": \"noorg\"}", 400, "validation", "organization 'noorg' does not exist");
	team_refused(teams, "{\"key\": \"-bad\"}", 400, "validation", "field 'key'");
	team_refused(teams, "{\"name\": \"no key\"}", 400, "validation", "'key' or 'label'");
	expect_json_error(&srv, "POST", teams, user_token, "{\"key\": \"t9\"}", 403, "forbidden");
	expect_json_error(&srv, "POST", "/api/contests/999999/teams", srv.admin_token, "{\"key\": \"t9\"}", 404,
			  "not_found");

	/* update: absent fields are kept */
	char one[160];
	snprintf(one, sizeof one, "%s/%lld", teams, t1);
	http_json_request(&r, &srv, "PUT", one, srv.admin_token, "{\"name\": \"Uno\", \"members\": [\"crud_a\", \"crud_b\"]}");
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "name")), "Uno");
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "label")), "1");
	ck_assert_uint_eq(json_array_size(json_object_get(r.json, "members")), 2);
	response_free(&r);
	json_t *list = get_list(c, "teams", srv.admin_token, 200);
	ck_assert_uint_eq(json_array_size(list), 1);
	ck_assert_str_eq(json_string_value(json_object_get(find_key(list, "t1"), "name")), "Uno");
	json_decref(list);
	/* a team of another contest is not found under this one */
	long long other = new_contest("crud-other");
	char wrong[160];
	snprintf(wrong, sizeof wrong, "/api/contests/%lld/teams/%lld", other, t1);
	expect_json_error(&srv, "PUT", wrong, srv.admin_token, "{\"name\": \"x\"}", 404, "not_found");

	http_request(&r, &srv, "DELETE", one, srv.admin_token, NULL, NULL, 0, NULL);
	ck_assert_int_eq(r.status, 204);
	response_free(&r);
	list = get_list(c, "teams", srv.admin_token, 200);
	ck_assert_uint_eq(json_array_size(list), 0);
	json_decref(list);
	expect_json_error(&srv, "DELETE", one, srv.admin_token, NULL, 404, "not_found");
	/* crud_a is free again */
	http_json_request(&r, &srv, "POST", teams, srv.admin_token, "{\"key\": \"t2\", \"members\": [\"crud_a\"]}");
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	response_free(&r);
}
END_TEST

START_TEST(hidden_teams_only_to_the_jury)
{
	long long c = new_contest("hid");
	char a_token[64], b_token[64], out_token[64];
	test_create_user(&srv, "hid_a", false, a_token, sizeof a_token);
	test_create_user(&srv, "hid_b", false, b_token, sizeof b_token);
	test_create_user(&srv, "hid_out", false, out_token, sizeof out_token);
	char teams[128];
	path_of(teams, sizeof teams, c, "teams");
	struct response r;
	http_json_request(&r, &srv, "POST", teams, srv.admin_token, "{\"key\": \"shown\", \"members\": [\"hid_a\"]}");
	ck_assert_int_eq(r.status, 201);
	response_free(&r);
	http_json_request(&r, &srv, "POST", teams, srv.admin_token,
			  "{\"key\": \"shadow\", \"hidden\": true, \"members\": [\"hid_b\"]}");
	ck_assert_int_eq(r.status, 201);
	response_free(&r);

	json_t *list = get_list(c, "teams", srv.admin_token, 200);
	ck_assert_uint_eq(json_array_size(list), 2);
	ck_assert(json_is_true(json_object_get(find_key(list, "shadow"), "hidden")));
	ck_assert_ptr_nonnull(json_object_get(find_key(list, "shadow"), "members"));
	json_decref(list);
	/* a member sees the visible teams, and members only of its own */
	list = get_list(c, "teams", a_token, 200);
	ck_assert_uint_eq(json_array_size(list), 1);
	ck_assert_ptr_nonnull(find_key(list, "shown"));
	ck_assert_ptr_nonnull(json_object_get(find_key(list, "shown"), "members"));
	json_decref(list);
	/* the hidden team sees itself, and not the members of others */
	list = get_list(c, "teams", b_token, 200);
	ck_assert_uint_eq(json_array_size(list), 2);
	ck_assert_ptr_null(json_object_get(find_key(list, "shown"), "members"));
	json_decref(list);
	/* a private contest is not there for others */
	get_list(c, "teams", out_token, 404);
	get_list(c, "teams", NULL, 404);
	get_list(c, "groups", out_token, 404);
}
END_TEST

START_TEST(roster_with_generated_passwords)
{
	long long c = new_contest("class");
	test_create_user(&srv, "r_dave", false, NULL, 0);
	char path[128];
	path_of(path, sizeof path, c, "teams/import");
	static const char roster[] = "username,name,password\r\n"
				     "r_alice,Alice Liddell,alice-pass-1\r\n"
				     "r_bob,\"Bob, the builder\"\r\n"
				     "r_carol,Carol\r\n"
				     "r_dave,Dave\r\n";
	struct response r;
	post(&r, path, "text/csv", roster, strlen(roster));
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	ck_assert_int_eq(json_integer_value(json_object_get(r.json, "teams")), 4);
	ck_assert_int_eq(json_integer_value(json_object_get(r.json, "accounts")), 3);
	json_t *pw = json_object_get(r.json, "passwords");
	ck_assert_uint_eq(json_array_size(pw), 2);
	for (size_t i = 0; i < 2; i++) {
		json_t *row = json_array_get(pw, i);
		const char *user = json_string_value(json_object_get(row, "username"));
		const char *password = json_string_value(json_object_get(row, "password"));
		ck_assert_str_eq(user, i == 0 ? "r_bob" : "r_carol");
		ck_assert_uint_ge(strlen(password), 12);
		char token[64];
		ck_assert_int_eq(test_login(&srv, user, password, token, sizeof token), 200);
		/* the new account is its team's member */
		json_t *list = get_list(c, "teams", token, 200);
		json_t *own = find_key(list, user);
		ck_assert_ptr_nonnull(own);
		ck_assert_str_eq(json_string_value(json_array_get(json_object_get(own, "members"), 0)), user);
		if (i == 0)
			ck_assert_str_eq(json_string_value(json_object_get(own, "name")), "Bob, the builder");
		json_decref(list);
	}
	ck_assert_str_ne(json_string_value(json_object_get(json_array_get(pw, 0), "password")),
			 json_string_value(json_object_get(json_array_get(pw, 1), "password")));
	ck_assert_ptr_null(strstr(r.body, "alice-pass-1"));
	response_free(&r);
	char token[64];
	ck_assert_int_eq(test_login(&srv, "r_alice", "alice-pass-1", token, sizeof token), 200);
	/* an existing user joins its row's team */
	ck_assert_int_eq(test_login(&srv, "r_dave", "r_dave-password", token, sizeof token), 200);
	json_t *list = get_list(c, "teams", token, 200);
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(find_key(list, "r_dave"), "members"), 0)),
			 "r_dave");
	json_decref(list);

	/* the same as a CSV download */
	long long c2 = new_contest("class-csv");
	path_of(path, sizeof path, c2, "teams/import?format=csv");
	static const char roster2[] = "r_erin,Erin\nr_frank,Frank\n";
	post(&r, path, "text/csv", roster2, strlen(roster2));
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	char ct[128], cd[128];
	ck_assert(response_header(&r, "Content-Type", ct, sizeof ct));
	ck_assert_msg(strncmp(ct, "text/csv", 8) == 0, "%s", ct);
	ck_assert(response_header(&r, "Content-Disposition", cd, sizeof cd));
	ck_assert_msg(strstr(cd, "attachment") != NULL, "%s", cd);
	ck_assert_msg(strncmp(r.body, "username,password\r\nr_erin,", 26) == 0, "%s", r.body);
	char erin_pw[64];
	ck_assert_int_eq(sscanf(r.body + 26, "%63[^\r]", erin_pw), 1);
	ck_assert_int_eq(test_login(&srv, "r_erin", erin_pw, token, sizeof token), 200);
	response_free(&r);

	/* an existing user with a password of its own in the roster is refused, and nothing is made */
	long long c3 = new_contest("class-bad");
	path_of(path, sizeof path, c3, "teams/import");
	static const char roster3[] = "r_gina,Gina\nr_alice,Alice,another-pass\n";
	post(&r, path, "text/csv", roster3, strlen(roster3));
	expect_message(&r, 409, "conflict", "roster.csv: line 2: field 'username': user 'r_alice' already exists");
	ck_assert_int_eq(test_login(&srv, "r_gina", "whatever-1", NULL, 0), 401);
	list = get_list(c3, "teams", srv.admin_token, 200);
	ck_assert_uint_eq(json_array_size(list), 0);
	json_decref(list);
	/* a bad line */
	static const char roster4[] = "r_hank,Hank\nr_ivy,Ivy,short\n";
	post(&r, path, "text/csv", roster4, strlen(roster4));
	expect_message(&r, 400, "validation", "roster.csv: line 2: field 'password': ");
	list = get_list(c3, "teams", srv.admin_token, 200);
	ck_assert_uint_eq(json_array_size(list), 0);
	json_decref(list);
	post(&r, path, "text/plain", roster4, strlen(roster4));
	expect_error(&r, 415, "unsupported_media_type");
	response_free(&r);
}
END_TEST

static const char orgs_json[] = "[{\"id\": \"kth\", \"name\": \"KTH\", \"country\": \"SWE\"},\n"
				" {\"id\": \"uva\", \"name\": \"UvA\", \"country\": \"NLD\"}]\n";
static const char groups_json[] = "[{\"id\": \"students\", \"name\": \"Students\"},\n"
				  " {\"id\": \"guests\", \"name\": \"Guests\", \"hidden\": true}]\n";

START_TEST(clics_files_in_a_zip)
{
	long long c = new_contest("zipped");
	struct zip z;
	zip_begin(&z);
	zip_file(&z, "organizations.json", orgs_json);
	zip_file(&z, "groups.json", groups_json);
	zip_file(&z, "teams.json",
		 "[{\"id\": \"z1\", \"label\": \"101\", \"name\": \"Zeta\", \"organization_id\": \"kth\", "
		 "\"group_ids\": [\"students\"]},\n"
		 " {\"id\": \"z2\", \"name\": \"Guest team\", \"organization_id\": \"uva\", \"group_ids\": [\"guests\"]}]\n");
	zip_file(&z, "accounts.yaml", "- username: zip_one\n  password: zip-one-pass\n  type: team\n  team_id: z1\n"
				      "- username: zip_two\n  type: team\n  team_id: z2\n");
	zip_end(&z);
	char path[128];
	path_of(path, sizeof path, c, "teams/import");
	struct response r;
	post(&r, path, "application/zip", z.out.data, z.out.len);
	zip_release(&z);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	ck_assert_int_eq(json_integer_value(json_object_get(r.json, "organizations")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(r.json, "groups")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(r.json, "teams")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(r.json, "accounts")), 2);
	json_t *pw = json_object_get(r.json, "passwords");
	ck_assert_uint_eq(json_array_size(pw), 1);
	char two_pw[64];
	snprintf(two_pw, sizeof two_pw, "%s", json_string_value(json_object_get(json_array_get(pw, 0), "password")));
	response_free(&r);

	json_t *list = get_list(c, "organizations", srv.admin_token, 200);
	ck_assert_uint_eq(json_array_size(list), 2);
	ck_assert_str_eq(json_string_value(json_object_get(find_key(list, "kth"), "country")), "SWE");
	json_decref(list);
	list = get_list(c, "groups", srv.admin_token, 200);
	ck_assert_uint_eq(json_array_size(list), 2);
	ck_assert(json_is_true(json_object_get(find_key(list, "guests"), "hidden")));
	json_decref(list);
	list = get_list(c, "teams", srv.admin_token, 200);
	ck_assert_uint_eq(json_array_size(list), 2);
	json_t *z1 = find_key(list, "z1");
	ck_assert_str_eq(json_string_value(json_object_get(z1, "label")), "101");
	ck_assert_str_eq(json_string_value(json_object_get(z1, "organization")), "kth");
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(z1, "groups"), 0)), "students");
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(z1, "members"), 0)), "zip_one");
	json_decref(list);

	/* the accounts log in and see their contest; a team of a hidden group is not listed to others */
	char token[64];
	ck_assert_int_eq(test_login(&srv, "zip_one", "zip-one-pass", token, sizeof token), 200);
	list = get_list(c, "teams", token, 200);
	ck_assert_uint_eq(json_array_size(list), 1);
	json_decref(list);
	ck_assert_int_eq(test_login(&srv, "zip_two", two_pw, token, sizeof token), 200);

	/* teams.json alone updates by key */
	static const char update[] = "[{\"id\": \"z1\", \"name\": \"Zeta Prime\", \"label\": \"101\"}]";
	post(&r, path, "application/json", update, strlen(update));
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	response_free(&r);
	list = get_list(c, "teams", srv.admin_token, 200);
	ck_assert_uint_eq(json_array_size(list), 2);
	ck_assert_str_eq(json_string_value(json_object_get(find_key(list, "z1"), "name")), "Zeta Prime");
	json_decref(list);
}
END_TEST

START_TEST(bad_file_imports_nothing)
{
	long long c = new_contest("badfile");
	char path[128];
	path_of(path, sizeof path, c, "teams/import");
	struct response r;
	static const char one[] = "[{\"id\": \"keep\", \"name\": \"Kept\"}]";
	post(&r, path, "application/json", one, strlen(one));
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	response_free(&r);

	/* the group is in no file and not in the contest: the store finds it missing */
	struct zip z;
	zip_begin(&z);
	zip_file(&z, "pkg/groups.json", groups_json);
	zip_file(&z, "pkg/teams.json", "[{\"id\": \"n1\", \"group_ids\": [\"students\"]},\n"
				       " {\"id\": \"n2\", \"group_ids\": [\"nope\"]}]\n");
	zip_file(&z, "pkg/accounts.yaml", "- username: bad_one\n  team_id: n1\n");
	zip_end(&z);
	post(&r, path, "application/zip", z.out.data, z.out.len);
	zip_release(&z);
	expect_message(&r, 400, "validation", "teams.json: line 2: item 2: field 'group_ids': group 'nope' does not exist");
	/* a file that does not parse */
	zip_begin(&z);
	zip_file(&z, "organizations.json", orgs_json);
	zip_file(&z, "teams.json", "[{\"id\": \"n1\"},\n {\"id\": \"n2\", \"hidden\": \"maybe\"}]");
	zip_end(&z);
	post(&r, path, "application/zip", z.out.data, z.out.len);
	zip_release(&z);
	expect_message(&r, 400, "validation", "teams.json: line 2: item 2: field 'hidden': must be true or false");

	json_t *list = get_list(c, "teams", srv.admin_token, 200);
	ck_assert_uint_eq(json_array_size(list), 1);
	ck_assert_ptr_nonnull(find_key(list, "keep"));
	json_decref(list);
	list = get_list(c, "groups", srv.admin_token, 200);
	ck_assert_uint_eq(json_array_size(list), 0);
	json_decref(list);
	list = get_list(c, "organizations", srv.admin_token, 200);
	ck_assert_uint_eq(json_array_size(list), 0);
	json_decref(list);
	ck_assert_int_eq(test_login(&srv, "bad_one", "x-password", NULL, 0), 401);
	/* a non-admin may not import */
	char token[64];
	test_create_user(&srv, "bad_user", false, token, sizeof token);
	http_request(&r, &srv, "POST", path, token, "application/json", one, strlen(one), NULL);
	expect_error(&r, 403, "forbidden");
	response_free(&r);
}
END_TEST

static char *package_file(const char *name)
{
	const char *dir = getenv("VERDICT_CONTESTS");
	ck_assert_ptr_nonnull(dir);
	char path[512];
	snprintf(path, sizeof path, "%s/nwerc/%s", dir, name);
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	char *data = calloc(1, 1 << 16);
	size_t n = fread(data, 1, (1 << 16) - 1, f);
	data[n] = '\0';
	fclose(f);
	return data;
}

static void zip_package(struct zip *z, const char *problems_yaml, const char *teams_json)
{
	static const char *const names[] = {"contest.yaml", "problems.yaml", "organizations.json", "groups.json",
					    "teams.json", "accounts.yaml"};
	zip_begin(z);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char name[64];
		snprintf(name, sizeof name, "nwerc/%s", names[i]);
		if (problems_yaml && strcmp(names[i], "problems.yaml") == 0) {
			zip_file(z, name, problems_yaml);
		} else if (teams_json && strcmp(names[i], "teams.json") == 0) {
			zip_file(z, name, teams_json);
		} else {
			char *data = package_file(names[i]);
			zip_file(z, name, data);
			free(data);
		}
	}
	zip_end(z);
}

START_TEST(contest_from_a_package)
{
	struct response r;
	struct zip z;
	/* a problem that does not exist: nothing is made */
	zip_package(&z, "- id: hello\n  label: A\n- id: nope\n  label: B\n", NULL);
	post(&r, "/api/contests/import", "application/zip", z.out.data, z.out.len);
	zip_release(&z);
	expect_message(&r, 400, "validation", "problems.yaml: line 3: item 2: field 'id': problem 'nope' does not exist");
	/* a team file that fails in the store: the contest made first goes again */
	zip_package(&z, NULL, "[{\"id\": \"t1\", \"group_ids\": [\"participants\"]},\n {\"id\": \"t2\", \"organization_id\": \"mit\"}]");
	post(&r, "/api/contests/import", "application/zip", z.out.data, z.out.len);
	zip_release(&z);
	expect_message(&r, 400, "validation",
		       "teams.json: line 2: item 2: field 'organization_id': organization 'mit' does not exist");
	ck_assert_int_eq(test_login(&srv, "nwerc-team1", "correct-horse-1", NULL, 0), 401);

	zip_package(&z, NULL, NULL);
	post(&r, "/api/contests/import", "application/zip", z.out.data, z.out.len);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	long long c = json_integer_value(json_object_get(r.json, "id"));
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "shortname")), "nwerc-mini");
	ck_assert_int_eq(json_integer_value(json_object_get(r.json, "problems")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(r.json, "teams")), 3);
	ck_assert_int_eq(json_integer_value(json_object_get(r.json, "accounts")), 3);
	ck_assert_uint_eq(json_array_size(json_object_get(r.json, "passwords")), 1);
	response_free(&r);
	/* the contest as contest.yaml and problems.yaml say */
	char cpath[64];
	snprintf(cpath, sizeof cpath, "/api/contests/%lld", c);
	http_request(&r, &srv, "GET", cpath, srv.admin_token, NULL, NULL, 0, NULL);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "name")), "NWERC mini");
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "start_time")), "2030-11-24T09:00:00Z");
	ck_assert_int_eq(json_integer_value(json_object_get(r.json, "duration_s")), 5 * 3600);
	ck_assert_int_eq(json_integer_value(json_object_get(r.json, "freeze_s")), 3600);
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "scoring")), "icpc");
	json_t *problems = json_object_get(r.json, "problems");
	ck_assert_uint_eq(json_array_size(problems), 2);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(problems, 0), "slug")), "hello");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(problems, 0), "label")), "A");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(problems, 0), "color")), "#e53935");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(problems, 1), "label")), "B");
	response_free(&r);
	json_t *list = get_list(c, "teams", srv.admin_token, 200);
	ck_assert_uint_eq(json_array_size(list), 3);
	ck_assert_str_eq(json_string_value(json_object_get(find_key(list, "t1"), "organization")), "kth");
	json_decref(list);
	char token[64];
	ck_assert_int_eq(test_login(&srv, "nwerc-team1", "correct-horse-1", token, sizeof token), 200);
	list = get_list(c, "teams", token, 200);
	ck_assert_uint_eq(json_array_size(list), 2); /* t3 is hidden */
	json_decref(list);
	ck_assert_int_eq(test_login(&srv, "nwerc-judge", "judge-password", token, sizeof token), 200);
	list = get_list(c, "teams", token, 200);
	ck_assert_uint_eq(json_array_size(list), 3); /* the jury sees it */
	json_decref(list);

	/* the same contest again */
	post(&r, "/api/contests/import", "application/zip", z.out.data, z.out.len);
	zip_release(&z);
	expect_message(&r, 409, "conflict", "nwerc-mini");
	static const char yaml[] = "id: broken\nduration: forever\n";
	post(&r, "/api/contests/import", "application/yaml", yaml, strlen(yaml));
	expect_message(&r, 400, "validation", "contest.yaml: line 2: field 'duration': 'forever' is not a duration");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("api-teams");
	TCase *tc = tcase_create("teams");
	tcase_add_unchecked_fixture(tc, start, stop);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, team_crud_and_refusals);
	tcase_add_test(tc, hidden_teams_only_to_the_jury);
	tcase_add_test(tc, roster_with_generated_passwords);
	tcase_add_test(tc, clics_files_in_a_zip);
	tcase_add_test(tc, bad_file_imports_nothing);
	tcase_add_test(tc, contest_from_a_package);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
