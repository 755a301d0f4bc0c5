/* Unit tests for the judge dispatcher's side of the worker protocol, against
 * a real database: the test plays a worker over a socketpair (the peer of the
 * unit under test) and drives the dispatcher's steps by hand. A whole
 * judging; an attempt a rejudge overtook; workers that die mid-frame (retried,
 * then JE), before taking the job (no attempt used), or send garbage; results
 * the database refuses; a large message to a slow worker and a worker that
 * reads nothing (dead at the send deadline); the retry rule itself; the
 * report of the workers' state and of the sandbox facts a worker sends. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "app.h"
#include "common.h"
#include "db.h"
#include "views.h"
#include "facts.h"
#include "frame.h"
#include "judge_int.h"
#include "log.h"
#include "util.h"

static char dir[256];
static struct db *db;
static struct app app;
static struct judge *j;
static int64_t user_id, problem_id;
static int peer = -1;      /* the fake worker's end of worker 0's channel */
static int saved_stderr = -1;
static char log_path[300];

static void setup(void)
{
	test_tmpdir(dir, sizeof dir);
	char *err = NULL;
	log_set_level(LOG_DEBUG);
	ck_assert_msg(db_open(dir, true, &db, &err) == 0, "%s", err);
	ck_assert_int_eq(db_user_create(db, "alice", "x", false, &user_id), 0);
	static const struct db_test tests[] = {
		{"1", "sample", 0, true, "1 2\n", 4, "3\n", 2},
		{"2", "secret", 0, false, "2 2\n", 4, "4\n", 2},
	};
	struct db_problem p = {
		.slug = "sum", .title = "sum", .statement = "x", .time_limit_ms = 1000, .memory_limit_kb = 65536,
		.output_limit_kb = 1024, .checker_json = "{\"type\":\"tokens\"}", .tests = tests, .test_count = 2,
		.replace_tests = true,
	};
	ck_assert_int_eq(db_problem_create(db, &p, &problem_id), 0);
	app = (struct app){.db = db};
	j = judge_alloc(&app, 1);
	/* The log goes to a file, so tests can tell what was said about a submission. */
	snprintf(log_path, sizeof log_path, "%s/log", dir);
	int fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ck_assert_int_ge(fd, 0);
	saved_stderr = dup(2);
	dup2(fd, 2);
	close(fd);
}

static void teardown(void)
{
	if (peer >= 0)
		close(peer);
	peer = -1;
	judge_free(j);
	db_close(db);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	test_rmtree(dir);
}

/* Lines of the log so far that contain needle. */
static int log_lines(const char *needle)
{
	FILE *f = fopen(log_path, "r");
	ck_assert_ptr_nonnull(f);
	char line[4096];
	int n = 0;
	while (fgets(line, sizeof line, f))
		n += strstr(line, needle) != NULL;
	fclose(f);
	return n;
}

static int64_t submit(void)
{
	int64_t id;
	ck_assert_int_eq(db_submission_create(db, problem_id, user_id, "c", "int main(){}", NULL, &id, NULL), 0);
	return id;
}

/* A fresh channel for worker 0, as a respawn would give it. */
static void attach(void)
{
	if (peer >= 0)
		close(peer);
	int sv[2];
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	judge_worker_attach(&j->workers[0], sv[0], 0);
	peer = sv[1];
}

/* The fake worker sends a message and the dispatcher takes it in. */
static void say(const char *json)
{
	json_t *msg = json_loads(json, 0, NULL);
	ck_assert_ptr_nonnull(msg);
	ck_assert_int_eq(frame_send(peer, msg, -1), 0);
	json_decref(msg);
	judge_worker_input(j, &j->workers[0]);
}

/* The fake worker is told to judge a submission; returns its id. */
static int64_t next_job(void)
{
	judge_dispatch(j);
	json_t *msg = NULL;
	ck_assert_int_eq(frame_recv(peer, &msg), 0);
	int64_t id = json_integer_value(json_object_get(msg, "id"));
	json_decref(msg);
	return id;
}

/* A fresh worker says it is ready, is given submission `id` and takes it. */
static void start_job(int64_t id)
{
	attach();
	say("{\"event\": \"ready\"}");
	ck_assert_int_eq(next_job(), id);
	say("{\"event\": \"taken\", \"id\": 1}");
}

/* Starts a frame of 200 bytes, sends 20 of them and goes away. */
static void die_mid_frame(void)
{
	static const unsigned char head[4] = {0, 0, 0, 200};
	ck_assert_int_eq(write_all(peer, head, 4), 0);
	ck_assert_int_eq(write_all(peer, "{\"event\": \"test\", \"in", 20), 0);
	close(peer);
	peer = -1;
	judge_worker_input(j, &j->workers[0]);
	ck_assert_int_eq(j->workers[0].fd, -1);
}

/* The REST object with its details, as the API writes it. */
static json_t *submission(int64_t id)
{
	struct db_submission row;
	ck_assert_int_eq(db_submission_get(db, id, DB_SUBMISSION_DETAILS, &row), 0);
	struct buf b;
	buf_init(&b);
	view_submission(&b, &row, VIEW_COMPILE_OUTPUT | VIEW_TESTS);
	db_submission_release(&row);
	size_t len;
	char *text = buf_detach(&b, &len);
	json_t *s = json_loadb(text, len, 0, NULL);
	free(text);
	ck_assert_ptr_nonnull(s);
	return s;
}

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* Reads a column the API does not show (attempts, judge_log) straight from the file. */
static char *column(int64_t id, const char *sql)
{
	char path[300];
	snprintf(path, sizeof path, "%s/verdict.db", dir);
	sqlite3 *h;
	ck_assert_int_eq(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	char *v = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(h);
	return v;
}

static int attempts(int64_t id)
{
	char *v = column(id, "SELECT attempts FROM submissions WHERE id = ?");
	int n = atoi(v);
	free(v);
	return n;
}

START_TEST(a_worker_judges_a_submission_through_the_protocol)
{
	int64_t a = submit(), b = submit();
	attach();
	judge_dispatch(j); /* not ready yet: nothing is sent */
	ck_assert_int_eq(j->workers[0].job, 0);
	say("{\"event\": \"ready\", \"pid\": 1}");
	ck_assert_int_eq(next_job(), a);
	json_t *s = submission(a);
	ck_assert_str_eq(str(s, "status"), "compiling");
	json_decref(s);
	say("{\"event\": \"taken\", \"id\": 1}");
	say("{\"event\": \"compiled\", \"output\": \"warning: none\"}");
	say("{\"event\": \"test\", \"index\": 1, \"group\": \"sample\", \"verdict\": \"AC\", \"time_ms\": 3, \"memory_kb\": 100}");
	say("{\"event\": \"test\", \"index\": 2, \"group\": \"secret\", \"verdict\": \"WA\", \"time_ms\": 5, \"memory_kb\": 90}");
	s = submission(a);
	ck_assert_str_eq(str(s, "status"), "running");
	ck_assert_uint_eq(json_array_size(json_object_get(s, "tests")), 2);
	json_decref(s);
	say("{\"event\": \"done\", \"verdict\": \"WA\", \"score\": null, \"time_ms\": 5, \"memory_kb\": 100,"
	    " \"tests_passed\": 1, \"log\": \"test 2: wrong answer\"}");
	s = submission(a);
	ck_assert_str_eq(str(s, "status"), "done");
	ck_assert_str_eq(str(s, "verdict"), "WA");
	ck_assert(json_is_null(json_object_get(s, "score")));
	ck_assert_str_eq(str(s, "compile_output"), "warning: none");
	json_t *m = json_object_get(s, "metrics");
	ck_assert_int_eq(json_integer_value(json_object_get(m, "tests_passed")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(m, "time_ms")), 5);
	json_decref(s);
	char *log = column(a, "SELECT judge_log FROM submissions WHERE id = ?");
	ck_assert_str_eq(log, "test 2: wrong answer");
	free(log);
	/* Idle again: the next submission follows. */
	ck_assert_int_eq(j->workers[0].job, 0);
	ck_assert_int_eq(next_job(), b);
	ck_assert_int_eq(log_lines("cannot"), 0);
}
END_TEST

START_TEST(an_attempt_a_rejudge_overtook_is_dropped_quietly)
{
	int64_t a = submit();
	start_job(a);
	say("{\"event\": \"compiled\", \"output\": \"\"}");
	ck_assert_int_eq(db_submission_requeue(db, a), 0); /* an admin rejudges it meanwhile */
	say("{\"event\": \"test\", \"index\": 1, \"group\": \"sample\", \"verdict\": \"AC\", \"time_ms\": 3, \"memory_kb\": 100}");
	say("{\"event\": \"done\", \"verdict\": \"AC\", \"score\": null, \"time_ms\": 3, \"memory_kb\": 100,"
	    " \"tests_passed\": 2, \"log\": \"\"}");
	json_t *s = submission(a);
	ck_assert_str_eq(str(s, "status"), "queued");
	ck_assert(json_is_null(json_object_get(s, "verdict")));
	ck_assert_uint_eq(json_array_size(json_object_get(s, "tests")), 0);
	json_decref(s);
	ck_assert_int_eq(log_lines("warn"), 0);
	ck_assert_int_eq(log_lines("overtook"), 1);
	/* The rejudge is a new attempt, on the same worker. */
	ck_assert_int_eq(j->workers[0].job, 0);
	ck_assert_int_eq(next_job(), a);
	ck_assert_int_eq(attempts(a), 1);
}
END_TEST

START_TEST(a_worker_that_dies_mid_frame_is_retried_then_je)
{
	int64_t a = submit();
	start_job(a);
	say("{\"event\": \"compiled\", \"output\": \"\"}");
	say("{\"event\": \"test\", \"index\": 1, \"group\": \"sample\", \"verdict\": \"AC\", \"time_ms\": 3, \"memory_kb\": 100}");
	die_mid_frame();
	json_t *s = submission(a);
	ck_assert_str_eq(str(s, "status"), "queued");
	ck_assert_uint_eq(json_array_size(json_object_get(s, "tests")), 0);
	json_decref(s);
	ck_assert_int_eq(attempts(a), 1);

	start_job(a);
	die_mid_frame();
	s = submission(a);
	ck_assert_str_eq(str(s, "status"), "done");
	ck_assert_str_eq(str(s, "verdict"), "JE");
	json_decref(s);
	char *log = column(a, "SELECT judge_log FROM submissions WHERE id = ?");
	ck_assert_str_eq(log, "the judge worker died 2 times while judging this submission (exited)");
	free(log);
}
END_TEST

START_TEST(a_death_before_taking_the_job_uses_no_attempt)
{
	int64_t a = submit();
	start_job(a);
	die_mid_frame(); /* attempt 1 used */
	for (int i = 0; i < 3; i++) {
		attach();
		say("{\"event\": \"ready\"}");
		ck_assert_int_eq(next_job(), a);
		die_mid_frame(); /* never took it */
		json_t *s = submission(a);
		ck_assert_str_eq(str(s, "status"), "queued");
		json_decref(s);
		ck_assert_int_eq(attempts(a), 1);
	}
}
END_TEST

START_TEST(a_malformed_message_is_a_worker_death)
{
	int64_t a = submit();
	start_job(a);
	static const unsigned char frame[] = {0, 0, 0, 5, 'n', 'o', 'p', 'e', '!'};
	ck_assert_int_eq(write_all(peer, frame, sizeof frame), 0);
	judge_worker_input(j, &j->workers[0]);
	ck_assert_int_eq(j->workers[0].fd, -1);
	ck_assert_int_eq(log_lines("sent a malformed message"), 1);
	json_t *s = submission(a);
	ck_assert_str_eq(str(s, "status"), "queued");
	json_decref(s);
}
END_TEST

/* The database refuses a result (a NOT NULL or CHECK constraint): the write is
   logged with the submission, and the attempt is given back at its end. */
START_TEST(results_the_database_refuses_are_logged_and_the_job_retried_then_je)
{
	int64_t a = submit();
	start_job(a);
	say("{\"event\": \"test\", \"index\": 1, \"verdict\": \"AC\", \"time_ms\": 3, \"memory_kb\": 100}"); /* no group */
	char needle[96];
	snprintf(needle, sizeof needle, "submission %lld: cannot store a test result", (long long)a);
	ck_assert_int_eq(log_lines(needle), 1);
	say("{\"event\": \"done\", \"verdict\": \"AC\", \"score\": null, \"tests_passed\": 2, \"log\": \"\"}");
	json_t *s = submission(a);
	ck_assert_str_eq(str(s, "status"), "queued");
	json_decref(s);
	ck_assert_int_eq(attempts(a), 1);
	ck_assert_int_eq(j->workers[0].fd >= 0, 1); /* the worker is fine */

	ck_assert_int_eq(next_job(), a);
	say("{\"event\": \"taken\", \"id\": 1}");
	say("{\"event\": \"done\", \"verdict\": \"NOPE\", \"score\": null, \"tests_passed\": 0, \"log\": \"\"}");
	snprintf(needle, sizeof needle, "submission %lld: cannot store the verdict", (long long)a);
	ck_assert_int_eq(log_lines(needle), 1);
	s = submission(a);
	ck_assert_str_eq(str(s, "status"), "done");
	ck_assert_str_eq(str(s, "verdict"), "JE");
	json_decref(s);
}
END_TEST

static struct judge_request *queue_request(size_t size)
{
	char *data = xmalloc(size + 1);
	memset(data, 'v', size);
	data[size] = '\0';
	struct judge_request *r = xcalloc(1, sizeof *r);
	r->msg = json_pack("{s:[{s:s, s:s}]}", "compile_validator", "path", "validate.c", "data", data);
	free(data);
	j->requests = r;
	return r;
}

static void request_free(struct judge_request *r)
{
	validator_release(&r->result);
	free(r->message);
	json_decref(r->msg);
	free(r);
}

/* Reads one frame in small bites with pauses, like a busy worker. */
static void *slow_worker(void *arg)
{
	(void)arg;
	struct buf in;
	buf_init(&in);
	char chunk[16384];
	json_t *msg = NULL;
	bool bad = false;
	while (!msg && !bad) {
		ssize_t r = read(peer, chunk, sizeof chunk);
		if (r <= 0)
			break;
		buf_add(&in, chunk, (size_t)r);
		msg = frame_next(&in, &bad);
		usleep(500);
	}
	buf_release(&in);
	return msg;
}

START_TEST(a_large_message_waits_for_a_slow_worker)
{
	attach();
	say("{\"event\": \"ready\"}");
	struct judge_request *r = queue_request(3u << 20); /* a validator with testlib.h is bigger than a socket buffer */
	pthread_t t;
	ck_assert_int_eq(pthread_create(&t, NULL, slow_worker, NULL), 0);
	judge_dispatch(j);
	json_t *got = NULL;
	ck_assert_int_eq(pthread_join(t, (void **)&got), 0);
	ck_assert_ptr_nonnull(got);
	ck_assert(json_equal(got, r->msg));
	json_decref(got);
	ck_assert_int_ge(j->workers[0].fd, 0);
	ck_assert_ptr_eq(j->workers[0].request, r);
	say("{\"event\": \"validator\", \"rc\": 1, \"message\": \"validate.c: error\"}");
	ck_assert(r->done);
	ck_assert_int_eq(r->rc, 1);
	ck_assert_str_eq(r->message, "validate.c: error");
	request_free(r);
}
END_TEST

START_TEST(a_worker_that_reads_nothing_is_dead_at_the_send_deadline)
{
	int64_t a = submit();
	attach();
	say("{\"event\": \"ready\"}");
	j->send_timeout_ms = 300;
	struct judge_request *r = queue_request(3u << 20);
	int64_t start = now_us();
	judge_dispatch(j);
	int64_t took = now_us() - start;
	ck_assert_msg(took >= 290000 && took < 3000000, "the dispatcher was held %lld us", (long long)took);
	ck_assert_int_eq(j->workers[0].fd, -1);
	ck_assert(r->done);
	ck_assert_int_eq(r->rc, -EIO);
	ck_assert_ptr_nonnull(strstr(r->message, "took in no message for too long"));
	request_free(r);
	/* The queued submission waits for the next worker. */
	json_t *s = submission(a);
	ck_assert_str_eq(str(s, "status"), "queued");
	json_decref(s);
}
END_TEST

START_TEST(the_retry_rule)
{
	int used = -1;
	ck_assert(judge_retry_allowed(1, true, &used));
	ck_assert_int_eq(used, 1);
	ck_assert(!judge_retry_allowed(2, true, &used));
	ck_assert_int_eq(used, 2);
	ck_assert(!judge_retry_allowed(3, true, &used));
	/* Not taken: the attempt does not count, however many there were. */
	ck_assert(judge_retry_allowed(1, false, &used));
	ck_assert_int_eq(used, 0);
	ck_assert(judge_retry_allowed(2, false, &used));
	ck_assert_int_eq(used, 1);
	ck_assert(judge_retry_allowed(0, false, &used));
	ck_assert_int_eq(used, 0);
}
END_TEST

/* The state of worker 0 in the report, after the dispatcher published it. */
static struct judge_worker_report reported(struct judge_report *r)
{
	judge_publish(j);
	judge_report_release(r);
	judge_report(j, r);
	ck_assert_uint_eq(r->worker_count, 1);
	return r->workers[0];
}

START_TEST(the_report_follows_the_workers_state_and_their_sandbox)
{
	struct judge_report r = {0};
	attach();
	ck_assert_int_eq(reported(&r).state, JUDGE_WORKER_STARTING);
	ck_assert(!r.have_facts);
	/* What a worker's sandbox says, as the worker sends it with "ready". */
	struct judge_facts sent = {.sandbox = true, .user_ns = true, .seccomp_notify = true, .cgroup_version = 0,
				   .uid = 60007, .slot = 7};
	snprintf(sent.cgroup_why, sizeof sent.cgroup_why, "not root");
	json_t *ready = json_pack("{s:s, s:i, s:o}", "event", "ready", "pid", 1, "sandbox", facts_to_frame(&sent));
	char *text = json_dumps(ready, 0);
	json_decref(ready);
	say(text);
	free(text);
	ck_assert_int_eq(reported(&r).state, JUDGE_WORKER_READY);
	ck_assert(r.have_facts);
	ck_assert(r.facts.sandbox && !r.facts.root && r.facts.user_ns && r.facts.seccomp_notify && !r.facts.cgroup_memory);
	ck_assert_uint_eq(r.facts.uid, 60007);
	ck_assert_str_eq(r.facts.cgroup_why, "not root");
	ck_assert_int_eq(log_lines("judge: protection (worker 0): not root, not pid 1; uid 60007; memory measured by "
				   "rlimit, CPU by rusage; no cgroup; active: user_namespace"), 1);
	int64_t a = submit();
	ck_assert_int_eq(next_job(), a);
	ck_assert_int_eq(reported(&r).state, JUDGE_WORKER_BUSY);
	static const unsigned char frame[] = {0, 0, 0, 5, 'n', 'o', 'p', 'e', '!'};
	ck_assert_int_eq(write_all(peer, frame, sizeof frame), 0);
	judge_worker_input(j, &j->workers[0]);
	struct judge_worker_report w = reported(&r);
	ck_assert_int_eq(w.state, JUDGE_WORKER_FAILED);
	ck_assert_int_eq(w.restarts, 1);
	ck_assert_int_eq(w.pid, 0);
	ck_assert_str_eq(w.last_end, "sent a malformed message and was killed");
	ck_assert_str_eq(w.error, w.last_end);
	/* A worker of an older build says nothing of its sandbox: the first facts stay. */
	attach();
	say("{\"event\": \"ready\"}");
	w = reported(&r);
	ck_assert_int_eq(w.state, JUDGE_WORKER_READY);
	ck_assert_int_eq(w.restarts, 1);
	ck_assert_str_eq(w.error, "");
	ck_assert(r.have_facts && r.facts.uid == 60007);
	/* The wire object. */
	json_t *o = view_judge(&r);
	json_t *wj = json_array_get(json_object_get(o, "workers"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(wj, "state")), "ready");
	ck_assert_str_eq(json_string_value(json_object_get(wj, "last_end")), "sent a malformed message and was killed");
	ck_assert(json_is_null(json_object_get(wj, "error")) && json_is_null(json_object_get(wj, "pid")));
	json_t *prot = json_object_get(o, "protections");
	ck_assert(json_is_true(json_object_get(json_object_get(prot, "user_namespace"), "active")));
	ck_assert(json_is_false(json_object_get(json_object_get(prot, "cgroup_memory"), "active")));
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(prot, "cgroup_memory"), "detail")),
			 "not root; RLIMIT_AS and ru_maxrss instead");
	ck_assert_str_eq(json_string_value(json_object_get(prot, "memory_measure")), "rlimit");
	ck_assert(json_is_false(json_object_get(json_object_get(prot, "per_slot_uid"), "needed")));
	ck_assert(json_is_true(json_object_get(prot, "ok")));
	json_decref(o);
	judge_report_release(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("dispatcher");
	TCase *tc = tcase_create("dispatcher");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, a_worker_judges_a_submission_through_the_protocol);
	tcase_add_test(tc, an_attempt_a_rejudge_overtook_is_dropped_quietly);
	tcase_add_test(tc, a_worker_that_dies_mid_frame_is_retried_then_je);
	tcase_add_test(tc, a_death_before_taking_the_job_uses_no_attempt);
	tcase_add_test(tc, a_malformed_message_is_a_worker_death);
	tcase_add_test(tc, results_the_database_refuses_are_logged_and_the_job_retried_then_je);
	tcase_add_test(tc, a_large_message_waits_for_a_slow_worker);
	tcase_add_test(tc, a_worker_that_reads_nothing_is_dead_at_the_send_deadline);
	tcase_add_test(tc, the_retry_rule);
	tcase_add_test(tc, the_report_follows_the_workers_state_and_their_sandbox);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
