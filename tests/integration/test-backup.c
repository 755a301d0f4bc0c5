/* `verdict backup` and `verdict restore` against the real binary: backups
 * taken while a server judges are consistent, a restored data dir serves every
 * submission of its backup as it was (and judges what was still queued), and
 * restore refuses a data dir a server holds or one that has a database. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

#define GOOD "#include <stdio.h>\\nint main(void){long a,b;if(scanf(\\\"%ld %ld\\\",&a,&b)!=2)return 1;printf(\\\"%ld\\\\n\\\",a+b);return 0;}\\n"
#define BAD "#include <stdio.h>\\nint main(void){long a,b;if(scanf(\\\"%ld %ld\\\",&a,&b)!=2)return 1;printf(\\\"%ld\\\\n\\\",a-b);return 0;}\\n"

static const char *const serve_args[] = {"--workers", "2", "--submissions-per-minute", "0", "--queued-per-user", "0",
					 NULL};

static long long make_problem(const struct server *s)
{
	return test_create_problem(s, "{\"slug\": \"sum\", \"title\": \"A plus B\", \"statement\": \"Add.\","
				      " \"time_limit_ms\": 1000, \"memory_limit_kb\": 262144, \"output_limit_kb\": 1024,"
				      " \"checker\": {\"type\": \"tokens\"},"
				      " \"tests\": [{\"input\": \"1 2\\n\", \"output\": \"3\\n\", \"sample\": true},"
				      "           {\"input\": \"5 7\\n\", \"output\": \"12\\n\"}]}");
}

static long long submit(const struct server *s, const char *token, long long problem, int n)
{
	/* A comment makes every source different, so a mix-up would show. */
	char body[1024];
	snprintf(body, sizeof body, "{\"language\": \"c\", \"source\": \"/* %d */\\n%s\"}", n, n % 3 ? GOOD : BAD);
	json_t *j = http_call(s, "POST", token, 201, body, "/api/problems/%lld/submissions", problem);
	long long id = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	return id;
}

static json_t *get_submission(const struct server *s, long long id)
{
	return http_call(s, "GET", s->admin_token, 200, NULL, "/api/submissions/%lld", id);
}

/* Waits until every submission 1..count is done; fails the test after a minute. */
static void wait_all_done(const struct server *s, long long count)
{
	for (long long id = 1; id <= count; id++) {
		int tries = 0;
		for (;; tries++) {
			json_t *j = get_submission(s, id);
			bool done = strcmp(json_string_value(json_object_get(j, "status")), "done") == 0;
			json_decref(j);
			if (done)
				break;
			ck_assert_msg(tries < 1200, "submission %lld not done within a minute", id);
			usleep(50000);
		}
	}
}

static int run_cli(struct run_result *r, const char *cmd, const char *file, const char *data, const char *flag)
{
	const char *args[] = {cmd, file, "--data", data, flag, NULL};
	return test_run(r, args, NULL, NULL);
}

static void expect_same(json_t *a, json_t *b, const char *field, long long id)
{
	json_t *x = json_object_get(a, field), *y = json_object_get(b, field);
	ck_assert_msg(x && y && json_equal(x, y), "submission %lld: %s differs (%s vs %s)", id, field,
		      x ? json_dumps(x, JSON_ENCODE_ANY) : "missing", y ? json_dumps(y, JSON_ENCODE_ANY) : "missing");
}

START_TEST(backups_under_load_restore_every_submission)
{
	struct server srv;
	server_start(&srv, serve_args);
	long long problem = make_problem(&srv);
	char alice[64], bob[64];
	test_create_user(&srv, "alice", false, alice, sizeof alice);
	test_create_user(&srv, "bob", false, bob, sizeof bob);

	/* Three backups, each taken while submissions are queued and being judged. */
	enum { ROUNDS = 3, PER_ROUND = 8 };
	char file[ROUNDS][400];
	long long made = 0, in_backup[ROUNDS];
	int busy = 0; /* backups taken while the last submission was not judged yet */
	for (int round = 0; round < ROUNDS; round++) {
		long long last = 0;
		for (int i = 0; i < PER_ROUND; i++, made++)
			last = submit(&srv, made % 2 ? alice : bob, problem, (int)made);
		json_t *j = get_submission(&srv, last);
		busy += strcmp(json_string_value(json_object_get(j, "status")), "done") != 0;
		json_decref(j);
		snprintf(file[round], sizeof file[round], "%s/backup-%d.db", srv.dir, round);
		struct run_result r;
		ck_assert_msg(run_cli(&r, "backup", file[round], srv.data, NULL) == 0, "backup failed: %s", r.err);
		ck_assert_msg(strstr(r.out, "seq "), "backup does not say its seq: %s", r.out);
		in_backup[round] = made;
		struct stat st;
		ck_assert_int_eq(stat(file[round], &st), 0);
		char partial[400];
		snprintf(partial, sizeof partial, "%s/backup-%d.db.partial", srv.dir, round);
		ck_assert_int_ne(access(partial, F_OK), 0);
	}
	ck_assert_msg(busy > 0, "no backup was taken while judging");
	wait_all_done(&srv, made);

	/* Each backup restored into a new data dir serves every submission it holds
	   as the original does, once its server has judged what was queued. */
	for (int round = 0; round < ROUNDS; round++) {
		struct server copy;
		server_init(&copy);
		struct run_result r;
		ck_assert_msg(run_cli(&r, "restore", file[round], copy.data, NULL) == 0, "restore failed: %s", r.err);
		server_restart(&copy, serve_args);
		ck_assert_int_eq(test_login(&copy, "admin", "admin-password", copy.admin_token, sizeof copy.admin_token),
				 200);
		wait_all_done(&copy, in_backup[round]);
		for (long long id = 1; id <= in_backup[round]; id++) {
			json_t *a = get_submission(&srv, id), *b = get_submission(&copy, id);
			static const char *const fields[] = {"id", "user", "problem_id", "language", "source",
							     "verdict", "created_at"};
			for (size_t f = 0; f < sizeof fields / sizeof *fields; f++)
				expect_same(a, b, fields[f], id);
			json_t *ta = json_object_get(a, "tests"), *tb = json_object_get(b, "tests");
			ck_assert_uint_eq(json_array_size(ta), json_array_size(tb));
			for (size_t t = 0; t < json_array_size(ta); t++)
				expect_same(json_array_get(ta, t), json_array_get(tb, t), "verdict", id);
			json_decref(a);
			json_decref(b);
		}
		/* Nothing the backup was taken before is in it. */
		if (in_backup[round] < made) {
			struct response resp;
			char path[64];
			snprintf(path, sizeof path, "/api/submissions/%lld", in_backup[round] + 1);
			http_json_request(&resp, &copy, "GET", path, copy.admin_token, NULL);
			ck_assert_int_eq(resp.status, 404);
			response_free(&resp);
		}
		/* The users and their passwords came along. */
		char token[64];
		ck_assert_int_eq(test_login(&copy, "alice", "alice-password", token, sizeof token), 200);
		server_finish(&copy);
	}
	server_finish(&srv);
}
END_TEST

START_TEST(restore_refuses_a_live_or_full_data_dir)
{
	struct server srv;
	server_start(&srv, serve_args);
	long long problem = make_problem(&srv);
	submit(&srv, srv.admin_token, problem, 1);
	char file[400];
	snprintf(file, sizeof file, "%s/backup.db", srv.dir);
	struct run_result r;
	ck_assert_int_eq(run_cli(&r, "backup", file, srv.data, NULL), 0);
	submit(&srv, srv.admin_token, problem, 2);

	/* A running server holds the data dir: refused, even with --replace. */
	ck_assert_int_eq(run_cli(&r, "restore", file, srv.data, "--replace"), 1);
	ck_assert_msg(strstr(r.err, "in use by another verdict process") && strstr(r.err, "stop it"), "%s", r.err);
	json_t *j = get_submission(&srv, 2);
	json_decref(j);

	/* Stopped, but the data dir has a database: refused without --replace. */
	ck_assert_int_eq(server_stop(&srv), 0);
	ck_assert_int_eq(run_cli(&r, "restore", file, srv.data, NULL), 1);
	ck_assert_msg(strstr(r.err, "already holds a database") && strstr(r.err, "--replace"), "%s", r.err);
	server_restart(&srv, serve_args);
	j = get_submission(&srv, 2);
	json_decref(j);
	ck_assert_int_eq(server_stop(&srv), 0);

	/* With --replace the data dir is the backup's: submission 2 is gone. */
	ck_assert_msg(run_cli(&r, "restore", file, srv.data, "--replace") == 0, "%s", r.err);
	server_restart(&srv, serve_args);
	struct response resp;
	http_json_request(&resp, &srv, "GET", "/api/submissions/2", srv.admin_token, NULL);
	ck_assert_int_eq(resp.status, 404);
	response_free(&resp);
	j = get_submission(&srv, 1);
	json_decref(j);
	server_finish(&srv);
}
END_TEST

START_TEST(bad_backup_files_are_refused_and_create_nothing)
{
	char dir[256];
	test_tmpdir(dir, sizeof dir);
	char junk[300], data[300], missing[300];
	snprintf(junk, sizeof junk, "%s/junk.db", dir);
	snprintf(data, sizeof data, "%s/data", dir);
	snprintf(missing, sizeof missing, "%s/nothing.db", dir);
	FILE *f = fopen(junk, "w");
	ck_assert_ptr_nonnull(f);
	fputs("this is not a database\n", f);
	fclose(f);
	struct run_result r;
	ck_assert_int_eq(run_cli(&r, "restore", junk, data, NULL), 1);
	ck_assert_msg(strstr(r.err, junk) && strstr(r.err, "not"), "%s", r.err);
	ck_assert_int_ne(access(data, F_OK), 0);
	ck_assert_int_eq(run_cli(&r, "restore", missing, data, NULL), 1);
	ck_assert_msg(strstr(r.err, missing), "%s", r.err);
	ck_assert_int_ne(access(data, F_OK), 0);
	/* A backup of a data dir without a database says so. */
	ck_assert_int_eq(run_cli(&r, "backup", missing, data, NULL), 1);
	ck_assert_msg(strstr(r.err, "no database"), "%s", r.err);
	ck_assert_int_ne(access(missing, F_OK), 0);
	ck_assert_int_eq(run_cli(&r, "backup", NULL, data, NULL), 2);
	test_rmtree(dir);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("backup");
	TCase *tc = tcase_create("backup");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, backups_under_load_restore_every_submission);
	tcase_add_test(tc, restore_refuses_a_live_or_full_data_dir);
	tcase_add_test(tc, bad_backup_files_are_refused_and_create_nothing);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
