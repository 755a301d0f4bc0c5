/* Judge dispatcher: theory of operation.
 *
 * Workers are separate processes: `/proc/self/exe worker --slot N ...`,
 * started with posix_spawn, with one end of a socketpair as fd 3. Spawning
 * by exec means a worker starts small and clean whether it is one of the
 * first (spawned before any thread exists) or a replacement spawned by the
 * dispatcher thread later.
 *
 * One dispatcher thread owns all worker state. It polls the worker sockets,
 * an eventfd that judge_wake() signals, and a 1 s tick. For an idle worker it
 * takes the next queued submission in the store's fair order (fresh before
 * rejudges, in turns by user: db_judge_pending), marks it compiling in the database
 * (which gives the attempt a token) and sends its id. Worker events are
 * applied to the database with that token, so the results of an attempt that
 * a rejudge overtook are ignored. Each change publishes itself through the
 * database's change hook.
 *
 * Messages to a worker are sent with a deadline (a worker that does not read
 * is stuck); the socket is non-blocking, so a message larger than the socket
 * buffer waits for the worker to read it, for at most that long.
 *
 * A worker that dies (EOF on its socket, a malformed message), stays silent
 * past its deadline or does not read a message in time (then it is killed)
 * is replaced; its submission goes back to the queue or is judged JE by the
 * retry rule (judge_retry_allowed): back the first time, JE the second. A
 * worker confirms each job ("taken") before working on it; one that dies
 * before confirming (a job sent to a worker that was already dying) does not
 * use up an attempt. The storage only does what is decided here: requeue with
 * a number of attempts used, or finish with JE.
 *
 * Every database write's answer is handled: an attempt a rejudge overtook
 * (DB_E_NOT_FOUND) is dropped quietly, with its later events; a write that
 * fails is logged with the submission, and the attempt is given back by the
 * retry rule when the worker says it is done. Submissions that cannot even be
 * given back stay compiling or running and are re-queued at the next start. */
#include "judge.h"
#include "judge_int.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <time.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app.h"
#include "config.h"
#include "db.h"
#include "facts.h"
#include "frame.h"
#include "jury.h"
#include "languages.h"
#include "log.h"
#include "metrics.h"
#include "scoring.h"
#include "slots.h"
#include "util.h"
#include "validator.h"

#define SILENCE_LIMIT_US (300 * 1000000LL) /* a worker silent this long while judging is killed */

extern char **environ;

static void request_finish(struct judge *j, struct judge_request *r, int rc, char *message)
{
	pthread_mutex_lock(&j->requests_lock);
	r->rc = rc;
	r->message = message;
	r->done = true;
	bool abandoned = r->abandoned;
	pthread_cond_broadcast(&j->requests_done);
	pthread_mutex_unlock(&j->requests_lock);
	if (abandoned) {
		/* Its caller gave up waiting; nobody else will free it. */
		validator_release(&r->result);
		free(r->message);
		json_decref(r->msg);
		free(r);
	}
}

void judge_worker_attach(struct judge_worker *w, int fd, pid_t pid)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	w->pid = pid;
	w->fd = fd;
	w->ready = false;
	w->job = 0;
	w->in.len = 0;
	w->started = now_us();
}

static int spawn_worker(struct judge *j, struct judge_worker *w)
{
	const struct config *cfg = j->app->cfg;
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		return -errno;
	char slot[16];
	snprintf(slot, sizeof slot, "%d", w->slot);
	static const char *const levels[] = {"debug", "info", "warn", "error"};
	const char *argv[18] = {"verdict", "worker", "--slot", slot, "--data", cfg->data_dir, "--log-level",
				levels[cfg->log_level]};
	char log_max[32];
	snprintf(log_max, sizeof log_max, "%zu", cfg->judge_log_max);
	argv[8] = "--judge-log-max";
	argv[9] = log_max;
	/* The worker knows its server by pid: as pid 1 of a container the
	   server's pid is 1, the same as a reaper's. */
	char server_pid[16];
	snprintf(server_pid, sizeof server_pid, "%d", (int)getpid());
	argv[10] = "--server-pid";
	argv[11] = server_pid;
	char compile_time[32];
	snprintf(compile_time, sizeof compile_time, "%g", cfg->compile_time_ms / 1000.0);
	argv[12] = "--compile-time";
	argv[13] = compile_time;
	int n = 14;
	if (cfg->languages_file) {
		argv[n++] = "--languages";
		argv[n++] = cfg->languages_file;
	}
	argv[n] = NULL;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, sv[1], 3); /* dup2 clears CLOEXEC on fd 3 */
	pid_t pid;
	int rc = posix_spawn(&pid, "/proc/self/exe", &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(sv[1]);
	if (rc != 0) {
		close(sv[0]);
		return -rc;
	}
	judge_worker_attach(w, sv[0], pid);
	return 0;
}

bool judge_retry_allowed(int attempt, bool taken, int *attempts_used)
{
	/* A worker that died before taking the job did not really try it. */
	*attempts_used = taken ? attempt : attempt > 0 ? attempt - 1 : 0;
	return !taken || attempt < JUDGE_MAX_ATTEMPTS;
}

/* Says what became of a write of the current attempt's progress; true when stored. */
static bool stored(struct judge_worker *w, int rc, const char *what)
{
	if (rc == 0)
		return true;
	if (rc == DB_E_NOT_FOUND) {
		log_debug("judge: submission %lld: a rejudge overtook attempt %d; its results are dropped",
			  (long long)w->job, w->attempt);
		w->overtaken = true;
	} else {
		log_warnx("judge: submission %lld: cannot store %s: %s", (long long)w->job, what,
			  rc < 0 ? strerror(-rc) : "unexpected answer of the database");
		w->unstored = true;
	}
	return false;
}

/* The current attempt failed for reasons of ours: the job goes back to the
   queue or, when it has had its tries, is judged JE with je_log (taken). */
static void give_back(struct judge *j, struct judge_worker *w, char *je_log)
{
	struct db *db = j->app->db;
	int used = 0;
	bool retry = judge_retry_allowed(w->attempt, w->taken, &used);
	int rc = retry ? db_judge_requeue(db, w->job, w->token, used)
		       : db_judge_finish(db, w->job, w->token, "JE", -1, -1, -1, 0, NULL, je_log);
	if (rc == DB_E_NOT_FOUND)
		log_debug("judge: submission %lld: a rejudge overtook attempt %d", (long long)w->job, w->attempt);
	else if (rc != 0)
		log_warnx("judge: submission %lld: cannot %s: %s; it is re-queued at the next start", (long long)w->job,
			  retry ? "put it back in the queue" : "judge it JE", rc < 0 ? strerror(-rc) : "unexpected answer");
	else if (!retry)
		log_info("judge: submission %lld: JE", (long long)w->job);
	free(je_log);
}

static void job_event(struct judge *j, struct judge_worker *w, const char *event, json_t *ev)
{
	struct db *db = j->app->db;
	w->deadline = now_us() + SILENCE_LIMIT_US;
	if (strcmp(event, "taken") == 0) {
		w->taken = true;
		return;
	}
	bool done = strcmp(event, "done") == 0;
	bool wanted = !w->overtaken && !w->unstored;
	if (wanted && strcmp(event, "compiled") == 0) {
		stored(w, db_judge_compiled(db, w->job, w->token, json_string_value(json_object_get(ev, "output"))),
		       "the compiler's output");
	} else if (wanted && strcmp(event, "test") == 0) {
		const char *verdict = json_string_value(json_object_get(ev, "verdict"));
		int idx = (int)json_integer_value(json_object_get(ev, "index"));
		bool ok = stored(w, db_judge_test(db, w->job, w->token, idx, json_string_value(json_object_get(ev, "group")),
						  verdict, json_integer_value(json_object_get(ev, "time_ms")),
						  json_integer_value(json_object_get(ev, "memory_kb")), scoring_passed(verdict)),
				 "a test result");
		const char *b64 = json_string_value(json_object_get(ev, "output"));
		const char *message = json_string_value(json_object_get(ev, "team_message"));
		if (ok && (b64 || message)) {
			/* a failed sample's output (base64), the validator's team message */
			size_t cap = b64 ? strlen(b64) : 0, len = 0;
			char *output = b64 ? xmalloc(cap + 1) : NULL;
			if (b64 && sodium_base642bin((unsigned char *)output, cap, b64, cap, NULL, &len, NULL,
						     sodium_base64_VARIANT_ORIGINAL) != 0) {
				free(output);
				output = NULL;
			}
			stored(w, db_judge_test_feedback(db, w->job, w->token, idx, output, len, message),
			       "what a test left for the team");
			free(output);
		}
	} else if (wanted && done) {
		json_t *score = json_object_get(ev, "score");
		json_t *time_ms = json_object_get(ev, "time_ms"), *memory_kb = json_object_get(ev, "memory_kb");
		const char *verdict = json_string_value(json_object_get(ev, "verdict"));
		int rc = db_judge_finish(db, w->job, w->token, verdict ? verdict : "JE",
					 json_is_number(score) ? json_number_value(score) : -1,
					 time_ms ? json_integer_value(time_ms) : -1,
					 memory_kb ? json_integer_value(memory_kb) : -1,
					 json_integer_value(json_object_get(ev, "tests_passed")),
					 json_string_value(json_object_get(ev, "compile_output")),
					 json_string_value(json_object_get(ev, "log")));
		if (stored(w, rc, "the verdict")) {
			metrics_add(METRIC_JUDGED, 1);
			log_info("judge: submission %lld: %s", (long long)w->job, verdict ? verdict : "JE");
			jury_judged(db, w->job);
		}
	}
	if (!done)
		return;
	if (w->unstored)
		give_back(j, w, xasprintf("the results of this submission could not be stored (attempt %d)", w->attempt));
	w->job = 0;
}

/* The first worker's sandbox facts are the judge's: logged once, reported by judge_report. */
static void note_facts(struct judge *j, struct judge_worker *w)
{
	pthread_mutex_lock(&j->report_lock);
	if (!j->have_facts) {
		j->facts = w->facts;
		j->have_facts = true;
	}
	bool log_now = !j->facts_logged;
	j->facts_logged = true;
	pthread_mutex_unlock(&j->report_lock);
	if (!log_now)
		return;
	char *summary = judge_facts_summary(&w->facts);
	log_info("judge: protection (worker %d): %s", w->slot, summary);
	free(summary);
}

static void apply_event(struct judge *j, struct judge_worker *w, json_t *ev)
{
	const char *event = json_string_value(json_object_get(ev, "event"));
	if (!event)
		return;
	if (strcmp(event, "ready") == 0) {
		w->ready = true;
		free(w->error);
		w->error = NULL;
		w->have_facts = facts_from_frame(json_object_get(ev, "sandbox"), &w->facts);
		if (w->have_facts) {
			w->facts.pid1 = j->reap_orphans; /* the server's, not the worker's */
			note_facts(j, w);
		}
		if (w->quick_deaths) {
			w->quick_deaths = 0;
			judge_update_health(j);
		}
		return;
	}
	if (strcmp(event, "failed") == 0) {
		const char *error = json_string_value(json_object_get(ev, "error"));
		free(w->error);
		w->error = xstrdup(error ? error : "no reason given");
		return;
	}
	if (w->request && strcmp(event, "validator") == 0) {
		struct judge_request *r = w->request;
		w->request = NULL;
		const char *message = json_string_value(json_object_get(ev, "message"));
		int rc = (int)json_integer_value(json_object_get(ev, "rc"));
		const char *program = json_string_value(json_object_get(ev, "program"));
		if (rc == 0 && program) {
			size_t cap = strlen(program), len = 0;
			r->result.program = xmalloc(cap + 1);
			if (sodium_base642bin((unsigned char *)r->result.program, cap, program, cap, NULL, &len, NULL,
					      sodium_base64_VARIANT_ORIGINAL) != 0)
				rc = -EIO;
			r->result.len = len;
			r->result.language = xstrdup(json_string_value(json_object_get(ev, "language")));
		}
		request_finish(j, r, rc, xstrdup(message ? message : ""));
		return;
	}
	if (w->job)
		job_event(j, w, event, ev);
}

/* How a worker process ended: "exit status 1", "signal 9 (Killed)". */
static void describe_end(int status, char *out, size_t size)
{
	if (WIFEXITED(status))
		snprintf(out, size, "exit status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(out, size, "signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		snprintf(out, size, "status %#x", (unsigned)status);
}

/* Collects worker w's end: at once when kill_first, else after up to
   `grace_ms` for it to end by itself. Fills `how`; "" when it has no process. */
static void collect(struct judge_worker *w, bool kill_first, int grace_ms, char *how, size_t size)
{
	how[0] = '\0';
	if (w->pid <= 0)
		return;
	int status = 0;
	bool ended = w->reaped;
	if (ended)
		status = w->status;
	for (int waited = 0; !ended && !kill_first && waited < grace_ms; waited += 5) {
		if (waitpid(w->pid, &status, WNOHANG) == w->pid)
			ended = true;
		else
			nanosleep(&(struct timespec){0, 5000000}, NULL);
	}
	if (!ended) {
		kill(w->pid, SIGKILL);
		ended = waitpid(w->pid, &status, 0) == w->pid;
	}
	if (ended)
		describe_end(status, how, size);
}

static void worker_gone(struct judge *j, struct judge_worker *w, const char *why, bool kill_first)
{
	char how[64];
	collect(w, kill_first, 200, how, sizeof how);
	close(w->fd);
	int64_t now = now_us();
	/* A worker that cannot even start (no sandbox) must not spin: back off. */
	if (!w->ready) {
		w->quick_deaths++;
		metrics_add(METRIC_JUDGE_START_FAILURES, 1);
	} else {
		w->quick_deaths = 0;
	}
	int64_t delay = w->quick_deaths ? (int64_t)1000000 << (w->quick_deaths < 5 ? w->quick_deaths : 5) : 0;
	char when[32] = "now";
	if (delay)
		snprintf(when, sizeof when, "in %lld s", (long long)(delay / 1000000));
	free(w->last_end);
	w->last_end = xasprintf("%s%s%s%s%s%s", why, how[0] ? " (" : "", how, how[0] ? ")" : "",
				w->error ? ": " : "", w->error ? w->error : "");
	w->restarts++;
	log_warnx("judge: worker %d (pid %d) %s; restarting it %s", w->slot, (int)w->pid, w->last_end, when);
	if (w->job)
		log_warnx("judge: submission %lld goes back to the queue", (long long)w->job);
	if (w->request) {
		request_finish(j, w->request, -EIO, xasprintf("the judge worker %s while compiling the validator", why));
		w->request = NULL;
	}
	if (w->job)
		give_back(j, w, xasprintf("the judge worker died %d times while judging this submission (%s)",
					  w->attempt, why));
	w->pid = 0;
	w->fd = -1;
	w->job = 0;
	w->ready = false;
	w->reaped = false;
	w->respawn_at = now + delay;
	metrics_add(METRIC_JUDGE_RESTARTS, 1);
	judge_update_health(j);
}

void judge_worker_died(struct judge *j, struct judge_worker *w, const char *why)
{
	worker_gone(j, w, why, true);
}

void judge_worker_ended(struct judge *j, struct judge_worker *w)
{
	worker_gone(j, w, "exited", false);
}

void judge_update_health(struct judge *j)
{
	struct buf why;
	buf_init(&why);
	for (int i = 0; i < j->count; i++) {
		const struct judge_worker *w = &j->workers[i];
		if (w->quick_deaths < JUDGE_UNHEALTHY_AFTER)
			continue;
		buf_printf(&why, "%sjudge worker %d failed to start %d times in a row%s%s", why.len ? "; " : "",
			   w->slot, w->quick_deaths, w->error ? ": " : "", w->error ? w->error : "");
	}
	char *text = why.len ? buf_detach(&why, NULL) : NULL;
	buf_release(&why);
	pthread_mutex_lock(&j->health_lock);
	bool changed = (text == NULL) != (j->unhealthy == NULL) || (text && strcmp(text, j->unhealthy) != 0);
	free(j->unhealthy);
	j->unhealthy = text;
	pthread_mutex_unlock(&j->health_lock);
	if (changed && text)
		log_error("judge: unhealthy: %s", text);
	else if (changed)
		log_info("judge: healthy again: every worker has started");
}

void judge_publish(struct judge *j)
{
	pthread_mutex_lock(&j->report_lock);
	for (int i = 0; i < j->count; i++) {
		const struct judge_worker *w = &j->workers[i];
		struct judge_worker_report *r = &j->published[i];
		r->slot = w->slot;
		r->pid = w->fd >= 0 ? (int)w->pid : 0;
		r->restarts = w->restarts;
		r->state = w->fd < 0 ? JUDGE_WORKER_FAILED
			   : !w->ready ? JUDGE_WORKER_STARTING
			   : (w->job || w->request) ? JUDGE_WORKER_BUSY
						     : JUDGE_WORKER_READY;
		const char *error = w->error ? w->error : r->state == JUDGE_WORKER_FAILED ? w->last_end : NULL;
		snprintf(r->error, sizeof r->error, "%s", error ? error : "");
		snprintf(r->last_end, sizeof r->last_end, "%s", w->last_end ? w->last_end : "");
	}
	pthread_mutex_unlock(&j->report_lock);
}

void judge_report(struct judge *j, struct judge_report *out)
{
	memset(out, 0, sizeof *out);
	if (!j)
		return;
	pthread_mutex_lock(&j->report_lock);
	out->have_facts = j->have_facts;
	out->facts = j->facts;
	out->worker_count = (size_t)j->count;
	out->workers = xcalloc((size_t)j->count + 1, sizeof *out->workers);
	memcpy(out->workers, j->published, (size_t)j->count * sizeof *out->workers);
	out->toolchain_count = j->toolchain_count;
	out->toolchains = xcalloc(j->toolchain_count + 1, sizeof *out->toolchains);
	if (j->toolchain_count)
		memcpy(out->toolchains, j->toolchains, j->toolchain_count * sizeof *out->toolchains);
	pthread_mutex_unlock(&j->report_lock);
}

char *judge_health(struct judge *j)
{
	if (!j)
		return xstrdup("the judge is not running");
	pthread_mutex_lock(&j->health_lock);
	char *why = j->unhealthy ? xstrdup(j->unhealthy) : NULL;
	pthread_mutex_unlock(&j->health_lock);
	return why;
}

/* As pid 1 every orphan is re-parented to the server: collect them all.
   A worker's end is kept for worker_gone. */
static void reap_orphans(struct judge *j)
{
	int status;
	pid_t pid;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		bool ours = false;
		for (int i = 0; i < j->count; i++)
			if (j->workers[i].pid == pid) {
				j->workers[i].reaped = true;
				j->workers[i].status = status;
				ours = true;
			}
		if (!ours)
			log_debug("judge: reaped orphan pid %d", (int)pid);
	}
}

void judge_worker_input(struct judge *j, struct judge_worker *w)
{
	int rc = frame_fill(w->fd, &w->in);
	bool bad = false;
	json_t *ev;
	while ((ev = frame_next(&w->in, &bad))) {
		apply_event(j, w, ev);
		json_decref(ev);
	}
	if (bad)
		judge_worker_died(j, w, "sent a malformed message and was killed");
	else if (rc == -EPIPE || rc == -ECONNRESET) /* ECONNRESET: it died with our message unread */
		judge_worker_ended(j, w);
	else if (rc != 0)
		judge_worker_died(j, w, "cannot be read from and was killed");
}

/* Sends a message to a worker; one that cannot take it in within the send timeout is dead. */
static void send_to(struct judge *j, struct judge_worker *w, const json_t *msg)
{
	int rc = frame_send(w->fd, msg, j->send_timeout_ms);
	if (rc == -ETIMEDOUT)
		judge_worker_died(j, w, "took in no message for too long and was killed");
	else if (rc == -EPIPE || rc == -ECONNRESET)
		judge_worker_ended(j, w);
	else if (rc != 0)
		judge_worker_died(j, w, "cannot be reached");
}

static bool idle(const struct judge_worker *w)
{
	return w->fd >= 0 && w->ready && !w->job && !w->request;
}

/* Gives waiting validator compilations to idle workers, before any submission. */
static void dispatch_requests(struct judge *j)
{
	for (int i = 0; i < j->count; i++) {
		struct judge_worker *w = &j->workers[i];
		if (!idle(w))
			continue;
		pthread_mutex_lock(&j->requests_lock);
		struct judge_request *r = j->requests;
		if (r)
			j->requests = r->next;
		pthread_mutex_unlock(&j->requests_lock);
		if (!r)
			return;
		w->request = r;
		w->deadline = now_us() + SILENCE_LIMIT_US;
		send_to(j, w, r->msg);
	}
}

/* Starts an attempt on the next queued submission in judging order
   (db_judge_pending); false when there is none (or the database fails). */
static bool begin_next(struct judge *j, int64_t *id, int64_t *token, int *attempt)
{
	int64_t next[8];
	size_t n;
	/* A candidate deleted since it was read is skipped; a full batch of them asks again. */
	do {
		n = db_judge_pending(j->app->db, next, ARRAY_SIZE(next));
		for (size_t i = 0; i < n; i++) {
			int rc = db_judge_begin(j->app->db, next[i], token, attempt);
			if (rc == 0) {
				*id = next[i];
				return true;
			}
			if (rc != DB_E_NOT_FOUND) {
				log_warnx("judge: submission %lld: cannot start judging it: %s", (long long)next[i],
					  rc < 0 ? strerror(-rc) : "unexpected answer of the database");
				return false; /* tried again at the next wake or tick */
			}
		}
	} while (n == ARRAY_SIZE(next));
	return false;
}

void judge_dispatch(struct judge *j)
{
	dispatch_requests(j);
	for (int i = 0; i < j->count; i++) {
		struct judge_worker *w = &j->workers[i];
		if (!idle(w))
			continue;
		int64_t id, token = 0;
		int attempt = 0;
		if (!begin_next(j, &id, &token, &attempt))
			return;
		w->job = id;
		w->taken = w->overtaken = w->unstored = false;
		w->token = token;
		w->attempt = attempt;
		w->deadline = now_us() + SILENCE_LIMIT_US;
		json_t *msg = json_pack("{s:I}", "id", (json_int_t)id);
		send_to(j, w, msg);
		json_decref(msg);
	}
}

/* Closing its channel tells a worker to stop; one busy judging is killed.
   Runs on the dispatcher thread when it has one: workers it spawned die with
   it (PR_SET_PDEATHSIG follows the spawning thread), so they must be gone
   before it returns, and gone cleanly, having removed their work dirs. */
static void stop_workers(struct judge *j)
{
	for (int i = 0; i < j->count; i++) {
		struct judge_worker *w = &j->workers[i];
		if (w->fd >= 0)
			close(w->fd);
		w->fd = -1;
		if (w->pid > 0 && !w->reaped) {
			if (w->job)
				kill(w->pid, SIGKILL);
			waitpid(w->pid, NULL, 0);
		}
		w->pid = 0;
	}
}

static void *dispatcher_main(void *arg)
{
	struct judge *j = arg;
	struct pollfd *fds = xcalloc((size_t)j->count + 1, sizeof *fds);
	while (!atomic_load(&j->stop)) {
		int64_t now = now_us();
		int live = 0;
		for (int i = 0; i < j->count; i++) {
			struct judge_worker *w = &j->workers[i];
			if (w->fd < 0 && now >= w->respawn_at) {
				int rc = spawn_worker(j, w);
				if (rc != 0) {
					free(w->error);
					w->error = xasprintf("cannot spawn it: %s", strerror(-rc));
					w->quick_deaths++;
					metrics_add(METRIC_JUDGE_START_FAILURES, 1);
					log_warnx("judge: worker %d: %s; trying again in 5 s", w->slot, w->error);
					w->respawn_at = now + 5000000;
					judge_update_health(j);
				}
			}
			if (w->fd >= 0 && (w->job || w->request) && now > w->deadline)
				judge_worker_died(j, w, "stayed silent too long and was killed");
			live += w->fd >= 0;
		}
		metrics_set(METRIC_JUDGE_WORKERS, live);
		judge_dispatch(j);
		judge_publish(j);
		fds[0] = (struct pollfd){.fd = j->wake_fd, .events = POLLIN};
		for (int i = 0; i < j->count; i++)
			fds[i + 1] = (struct pollfd){.fd = j->workers[i].fd, .events = POLLIN};
		if (poll(fds, (nfds_t)j->count + 1, 1000) < 0 && errno != EINTR) {
			log_warn("judge: poll");
			continue;
		}
		if (fds[0].revents) {
			uint64_t v;
			if (read(j->wake_fd, &v, sizeof v) < 0 && errno != EAGAIN)
				log_warn("judge: wake");
		}
		if (j->reap_orphans)
			reap_orphans(j);
		for (int i = 0; i < j->count; i++)
			if (j->workers[i].fd >= 0 && fds[i + 1].revents)
				judge_worker_input(j, &j->workers[i]);
	}
	free(fds);
	stop_workers(j);
	return NULL;
}

struct judge *judge_alloc(struct app *app, int count)
{
	struct judge *j = xcalloc(1, sizeof *j);
	j->app = app;
	j->count = count;
	j->send_timeout_ms = JUDGE_SEND_TIMEOUT_MS;
	j->workers = xcalloc((size_t)count, sizeof *j->workers);
	j->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	pthread_mutex_init(&j->requests_lock, NULL);
	pthread_cond_init(&j->requests_done, NULL);
	pthread_mutex_init(&j->health_lock, NULL);
	pthread_mutex_init(&j->report_lock, NULL);
	j->published = xcalloc((size_t)count + 1, sizeof *j->published);
	for (int i = 0; i < count; i++) {
		struct judge_worker *w = &j->workers[i];
		w->fd = -1;
		w->slot = i;
		w->slot_fd = -1;
		buf_init(&w->in);
	}
	return j;
}

struct judge *judge_new(struct app *app, int workers, char **err)
{
	int64_t recovered = db_judge_recover(app->db);
	if (recovered < 0) {
		*err = xstrdup("cannot re-queue the submissions a previous run left half-judged");
		return NULL;
	}
	if (recovered > 0)
		log_info("judge: re-queued %lld submissions left half-judged by the previous run", (long long)recovered);
	jury_recover(app->db);
	/* Boxes a killed run left behind (workers make theirs under DATA/work). */
	char *work = xasprintf("%s/work", app->cfg->data_dir);
	remove_tree(work);
	free(work);
	struct judge *j = judge_alloc(app, workers);
	/* As pid 1 (a container's entry point, unshare --pid --fork) what is
	   orphaned is re-parented to us, and nobody else would reap it. */
	j->reap_orphans = getpid() == 1;
	if (j->reap_orphans)
		log_info("judge: running as pid 1: orphaned processes are reaped");
	int *slots = xcalloc((size_t)workers, sizeof *slots), *locks = xcalloc((size_t)workers, sizeof *locks);
	bool have_slots = slots_take(workers, slots, locks) == 0;
	for (int i = 0; have_slots && i < workers; i++) {
		j->workers[i].slot = slots[i];
		j->workers[i].slot_fd = locks[i];
	}
	free(slots);
	free(locks);
	if (!have_slots) {
		*err = xasprintf("cannot take %d free judge slots (/tmp/verdict-slot-N.lock): too many verdict processes "
				 "on this machine", workers);
		judge_free(j);
		return NULL;
	}
	/* Found once, before any thread: finding them runs each one's --version. */
	if (app->languages) {
		j->toolchains = languages_toolchains(app->languages, &j->toolchain_count);
		struct buf line;
		buf_init(&line);
		for (size_t i = 0; i < j->toolchain_count; i++) {
			const struct judge_toolchain *t = &j->toolchains[i];
			buf_printf(&line, "%s%s %s%s%s%s", i ? "; " : "", t->language, t->path, t->version[0] ? " (" : "",
				   t->version, t->version[0] ? ")" : "");
		}
		log_info("judge: toolchains: %s", line.len ? line.data : "none");
		buf_release(&line);
	}
	for (int i = 0; i < workers; i++) {
		struct judge_worker *w = &j->workers[i];
		int rc = spawn_worker(j, w);
		if (rc != 0) {
			*err = xasprintf("cannot start judge worker %d: %s", i, strerror(-rc));
			judge_free(j);
			return NULL;
		}
	}
	return j;
}

int judge_start(struct judge *j)
{
	int rc = pthread_create(&j->thread, NULL, dispatcher_main, j);
	if (rc != 0)
		return -rc;
	j->running = true;
	return 0;
}

void judge_wake(struct judge *j)
{
	uint64_t one = 1;
	if (j && write(j->wake_fd, &one, sizeof one) < 0 && errno != EAGAIN)
		log_warn("judge: cannot wake the dispatcher");
}

void judge_free(struct judge *j)
{
	if (!j)
		return;
	if (j->running) {
		atomic_store(&j->stop, true);
		judge_wake(j);
		pthread_join(j->thread, NULL);
	} else {
		stop_workers(j);
	}
	/* Requests nobody served: their callers have timed out or are told now. */
	for (int i = 0; i < j->count; i++) {
		if (j->workers[i].request)
			request_finish(j, j->workers[i].request, -ECANCELED, xstrdup("the server is shutting down"));
		buf_release(&j->workers[i].in);
		slots_give(&j->workers[i].slot_fd, 1);
	}
	while (j->requests) {
		struct judge_request *r = j->requests;
		j->requests = r->next;
		request_finish(j, r, -ECANCELED, xstrdup("the server is shutting down"));
	}
	for (int i = 0; i < j->count; i++) {
		free(j->workers[i].error);
		free(j->workers[i].last_end);
	}
	free(j->unhealthy);
	free(j->published);
	free(j->toolchains);
	pthread_mutex_destroy(&j->report_lock);
	close(j->wake_fd);
	pthread_mutex_destroy(&j->health_lock);
	pthread_mutex_destroy(&j->requests_lock);
	pthread_cond_destroy(&j->requests_done);
	free(j->workers);
	free(j);
}

int judge_compile_validator(struct judge *j, const struct validator_source *files, size_t count, int timeout_s,
			    struct validator *out, char **message)
{
	json_t *list = json_array();
	for (size_t i = 0; i < count; i++) {
		size_t cap = sodium_base64_ENCODED_LEN(files[i].len, sodium_base64_VARIANT_ORIGINAL);
		char *b64 = xmalloc(cap);
		sodium_bin2base64(b64, cap, (const unsigned char *)files[i].data, files[i].len,
				  sodium_base64_VARIANT_ORIGINAL);
		json_array_append_new(list, json_pack("{s:s, s:s}", "path", files[i].path, "data", b64));
		free(b64);
	}
	struct judge_request *r = xcalloc(1, sizeof *r);
	r->msg = json_pack("{s:o}", "compile_validator", list);
	pthread_mutex_lock(&j->requests_lock);
	struct judge_request **tail = &j->requests;
	while (*tail)
		tail = &(*tail)->next;
	*tail = r;
	pthread_mutex_unlock(&j->requests_lock);
	judge_wake(j);

	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += timeout_s;
	pthread_mutex_lock(&j->requests_lock);
	while (!r->done && pthread_cond_timedwait(&j->requests_done, &j->requests_lock, &until) == 0)
		;
	if (!r->done) {
		/* Still queued: take it out. Being compiled: the dispatcher frees it when done. */
		bool queued = false;
		for (struct judge_request **p = &j->requests; *p; p = &(*p)->next)
			if (*p == r) {
				*p = r->next;
				queued = true;
				break;
			}
		r->abandoned = !queued;
		pthread_mutex_unlock(&j->requests_lock);
		if (queued) {
			json_decref(r->msg);
			free(r);
		}
		*message = xasprintf("no judge worker compiled the validator within %d s", timeout_s);
		return -ETIMEDOUT;
	}
	pthread_mutex_unlock(&j->requests_lock);
	int rc = r->rc;
	*message = r->message;
	*out = r->result;
	json_decref(r->msg);
	free(r);
	return rc;
}
