/* The judge worker. One process per slot; it owns one sandbox (whose helper
 * process holds the namespaces) and a read-only database connection, and
 * talks to the dispatcher over fd 3 with frame.h messages:
 *
 *   dispatcher -> worker   {"id": 42}                       judge submission 42
 *   worker -> dispatcher   {"event": "ready", "sandbox": {...}} after start-up, with its
 *                                                            sandbox's facts (facts.h)
 *                          {"event": "taken", "id": 42}      the job is being worked on
 *                          {"event": "compiled", "output": "..."}
 *                          {"event": "test", "index": 1, "group": "sample", "verdict": "AC",
 *                           "time_ms": 3, "memory_kb": 1200}
 *                          {"event": "done", "verdict": "WA", "score": null, "time_ms": 3,
 *                           "memory_kb": 1200, "tests_passed": 2, "compile_output": "...", "log": "..."}
 *
 * Each test's result is its own frame; the "done" frame carries the judge log,
 * which the budget (--judge-log-max) bounds whatever the number of tests.
 *
 * Submitted code only ever runs inside sandbox_run; the worker itself reads
 * tests from the database and writes the box dir, which the run sees at /box.
 * The box dir is private to the worker (0700 parent) and removed after each job. */
#include "worker.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checker.h"
#include "config.h"
#include "db.h"
#include "facts.h"
#include "frame.h"
#include "json_util.h"
#include "languages.h"
#include "log.h"
#include "sandbox.h"
#include "scoring.h"
#include "util.h"
#include "validator.h"

#define CHANNEL_FD 3
#define COMPILE_OUTPUT_MAX (64 * 1024)
#define STDERR_KEPT 256         /* of each failed test's stderr, in the judge log */
#define LOG_TAIL_RESERVE 64      /* of the judge log budget, for the line that counts what was left out */

struct worker {
	int slot;
	struct db *db;
	struct languages *languages;
	struct sandbox *sandbox;
	size_t log_max;       /* judge log budget per submission (--judge-log-max) */
	uint64_t compile_ms;  /* CPU time a compile may take (--compile-time) */
	char dir[256];        /* private work dir: boxes are made inside */
};

/* Everything one judging needs and accumulates. */
struct job {
	int64_t id;
	struct db_job sub;
	const struct language *lang;
	json_t *problem;      /* problem_judging_json */
	struct checker checker;
	struct validator validator; /* custom checker */
	char *validator_flags;
	char validator_dir[300];
	char box[300];
	struct buf log;       /* judge log, for admins; at most log_max bytes */
	size_t log_max;
	int logs_left_out;    /* tests whose log lines did not fit */
	char *compile_output;
	const char **names;   /* the submission's file names (into files, or the language's source) */
	json_t *files;        /* [{"name", "content"}]: the stored files, or the one source */
	size_t nfiles;
	char entry[256];      /* language_entry */
};

/* The JVM's -XX:+ExitOnOutOfMemoryError exit code: under the JVM rule, MLE. */
#define JVM_OOM_EXIT 3

static const char *const run_env[] = {"PATH=/usr/bin:/bin", "HOME=/tmp", "TMPDIR=/tmp", "LANG=C.UTF-8", NULL};

static void send_event(json_t *msg)
{
	int rc = frame_send(CHANNEL_FD, msg, -1);
	json_decref(msg);
	if (rc != 0) {
		/* The dispatcher is gone (the server stopped or died): nothing left to work for. */
		if (rc == -EPIPE)
			log_info("worker: the server has gone, exiting");
		else
			log_warnx("worker: lost the dispatcher (%s), exiting", strerror(-rc));
		exit(1);
	}
}

static void log_result(struct job *job, const char *what, const struct sandbox_result *r)
{
	buf_printf(&job->log, "%s: %s", what, sandbox_status_name(r->status));
	if (r->status == SANDBOX_EXITED)
		buf_printf(&job->log, " (exit code %d)", r->exit_code);
	if (r->status == SANDBOX_SIGNALED)
		buf_printf(&job->log, " (signal %d, %s)", r->signal, strsignal(r->signal));
	if (r->status == SANDBOX_SYSCALL)
		buf_printf(&job->log, " (forbidden system call '%s')", r->syscall);
	buf_printf(&job->log, ", cpu %llu ms, wall %llu ms, memory %llu KiB; %s\n", (unsigned long long)r->cpu_ms,
		   (unsigned long long)r->wall_ms, (unsigned long long)r->memory_kb, r->message);
}

/* A judge error: why goes to the judge log kept for admins and to the worker's log. */
static void judge_error(struct job *job, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void judge_error(struct job *job, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	buf_printf(&job->log, "judge error: %s\n", line);
	log_warnx("worker: submission %lld: judge error: %s", (long long)job->id, line);
}

/* Compiles the source in the box. Returns NULL on success, else the verdict (CE or JE). */
static const char *compile(struct worker *w, struct job *job)
{
	if (!job->lang->compile) {
		job->compile_output = xstrdup("");
		return NULL;
	}
	int out = memfd_from("compile-output", "", 0);
	if (out < 0) {
		judge_error(job, "compile: cannot make a memfd: %s", strerror(-out));
		return "JE";
	}
	/* What the compile may write, one file and the whole box (a tmpfs). */
	uint64_t written_kb = (uint64_t)job->lang->compile_output_mb * 1024;
	/* The language's own limit, or --compile-time where that is more. */
	uint64_t cpu_ms = (uint64_t)job->lang->compile_s * 1000;
	if (cpu_ms < w->compile_ms)
		cpu_ms = w->compile_ms;
	char **argv = language_argv(job->lang, job->lang->compile, job->names, job->nfiles, job->entry, 0);
	char **env = language_env(job->lang, compile_env);
	struct sandbox_spec spec = {
		.profile = SANDBOX_COMPILE,
		.argv = (const char *const *)argv,
		.env = (const char *const *)env,
		.box_dir = job->box,
		.box_writable = true,
		.stdin_fd = -1,
		.stdout_fd = out,
		.stderr_fd = out,
		.limits = {.cpu_ms = cpu_ms, .wall_ms = 2 * cpu_ms, .memory_kb = 1024 * 1024, .output_kb = 64,
			   .stderr_kb = 64, .processes = 64, .file_kb = written_kb, .open_files = 256,
			   .box_kb = written_kb},
	};
	struct sandbox_result r;
	sandbox_run(w->sandbox, &spec, &r);
	language_argv_free(argv);
	language_argv_free(env);
	size_t len;
	char *text = fd_read_head(out, COMPILE_OUTPUT_MAX, &len);
	close(out);
	json_t *s = json_string_lossy(text, len);
	free(text);
	job->compile_output = xstrdup(json_string_value(s));
	json_decref(s);
	log_result(job, "compile", &r);
	if (r.status == SANDBOX_OK)
		return NULL;
	if (r.status == SANDBOX_ERROR || r.status == SANDBOX_EXEC_FAILED) {
		/* the compiler is ours: its failure to start is too */
		judge_error(job, "compile: %s", r.message);
		return "JE";
	}
	if (r.status != SANDBOX_EXITED || r.box_full) {
		/* Say why the compiler stopped when it did not just report errors. */
		char limit[64];
		snprintf(limit, sizeof limit, "compiler output exceeds %u MiB", job->lang->compile_output_mb);
		char *more = xasprintf("%s%scompilation stopped: %s\n", job->compile_output,
				       *job->compile_output ? "\n" : "",
				       r.box_full ? limit
				       : r.status == SANDBOX_TIME || r.status == SANDBOX_WALL ? "time limit exceeded"
				       : r.status == SANDBOX_MEMORY ? "memory limit exceeded"
				       : r.status == SANDBOX_OUTPUT ? "output limit exceeded"
								    : "the compiler was killed");
		free(job->compile_output);
		job->compile_output = more;
	}
	return "CE";
}

struct test_outcome {
	const char *verdict;
	int64_t time_ms, memory_kb;
	double score;      /* custom scoring: the validator's score.txt of an accepted test */
	char *output;      /* a failed sample's output (at most DB_FEEDBACK_OUTPUT_MAX), else NULL */
	size_t output_len;
	char *team_message; /* the validator's teammessage.txt, else NULL */
};

/* The program's stdin: a sealed memfd, so that nothing the program does
   changes its input. fd, or negative errno. */
static int sealed_input(const char *data, size_t len)
{
	int fd = memfd_create("input", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -errno;
	int rc = write_all(fd, data, len);
	if (rc == 0 && (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0 ||
			lseek(fd, 0, SEEK_SET) != 0))
		rc = -errno;
	if (rc != 0) {
		close(fd);
		return rc;
	}
	return fd;
}

/* One pass of a test (a test is one pass unless the problem is multi-pass):
   runs the submission on input, alone or beside its interactor, and checks
   its output. */
static struct test_outcome run_pass(struct worker *w, struct job *job, const char *what, int pass, bool sample,
				    const char *input, size_t input_len, const char *answer, size_t answer_len)
{
	struct test_outcome o = {"JE", 0, 0, 0, NULL, 0, NULL};
	int in = sealed_input(input, input_len);
	int out = memfd_from("output", "", 0);
	int err = memfd_from("stderr", "", 0);
	int ans = -1;
	if (in < 0 || out < 0 || err < 0) {
		judge_error(job, "%s: cannot make memfds", what);
		goto out;
	}
	json_t *p = job->problem;
	uint64_t tl = (uint64_t)json_integer_value(json_object_get(p, "time_limit_ms"));
	uint64_t ml = (uint64_t)json_integer_value(json_object_get(p, "memory_limit_kb"));
	char **argv = language_argv(job->lang, job->lang->run, job->names, job->nfiles, job->entry, ml);
	char **env = language_env(job->lang, run_env);
	struct sandbox_spec spec = {
		.profile = job->lang->interpreted ? SANDBOX_INTERP : SANDBOX_RUN,
		.argv = (const char *const *)argv,
		.env = (const char *const *)env,
		.box_dir = job->box,
		.box_writable = false,
		.stdin_fd = in,
		.stdout_fd = out,
		.stderr_fd = err,
		.limits = {.cpu_ms = tl, .wall_ms = 3 * tl + 1000,
			   .memory_kb = ml,
			   .output_kb = (uint64_t)json_integer_value(json_object_get(p, "output_limit_kb")),
			   .stderr_kb = 1 /* the least kept; STDERR_KEPT of it is logged */, .processes = job->lang->threads,
			   .file_kb = 16 * 1024, .open_files = 64, .no_address_limit = job->lang->jvm},
	};
	struct validator_call call = {.v = &job->validator, .dir = job->validator_dir, .flags = job->validator_flags,
				      .input = input, .input_len = input_len, .answer = answer,
				      .answer_len = answer_len, .time_limit_ms = tl, .keep_feedback = pass > 1};
	bool custom = job->checker.type == CHECKER_CUSTOM;
	struct sandbox_result r;
	bool validated = false;
	if (custom && job->checker.interactive) {
		validated = true;
		o.verdict = validator_run_interactive(w->sandbox, &call, &spec, &r, &job->log);
		if (!o.verdict) /* never: but GCC cannot see it through the inlining */
			o.verdict = "JE";
		if (r.status == SANDBOX_ERROR || (r.status == SANDBOX_EXEC_FAILED && strncmp(spec.argv[0], "/box/", 5) != 0))
			o.verdict = "JE";
		if (strcmp(o.verdict, "JE") == 0)
			judge_error(job, "%s: the interactive run failed (what happened is logged above)", what);
		else if (strcmp(o.verdict, "AC") != 0)
			buf_printf(&job->log, "%s: %s\n", what, o.verdict);
	} else {
		sandbox_run(w->sandbox, &spec, &r);
		o.verdict = scoring_run_verdict(&r, tl);
		if (job->lang->jvm && r.status == SANDBOX_EXITED && r.exit_code == JVM_OOM_EXIT) {
			o.verdict = "MLE";
			buf_printf(&job->log, "%s: the JVM ran out of heap (-Xmx%llu KiB, exit code %d)\n", what,
				   (unsigned long long)ml, JVM_OOM_EXIT);
		}
		if (r.status == SANDBOX_ERROR)
			judge_error(job, "%s: %s", what, r.message);
		if (r.status == SANDBOX_EXEC_FAILED && strncmp(spec.argv[0], "/box/", 5) != 0) {
			/* not the submission's file: the language's interpreter is ours */
			o.verdict = "JE";
			judge_error(job, "%s: %s", what, r.message);
		}
	}
	o.time_ms = (int64_t)r.cpu_ms;
	o.memory_kb = (int64_t)r.memory_kb;
	if (!o.verdict && custom) {
		validated = true;
		enum validator_verdict v = validator_run(w->sandbox, &call, out, &job->log);
		o.verdict = v == VALIDATOR_AC ? "AC" : v == VALIDATOR_WA ? "WA" : "JE";
		if (v == VALIDATOR_JE)
			judge_error(job, "%s: the validator failed (what it did is logged above)", what);
		else if (v != VALIDATOR_AC)
			buf_printf(&job->log, "%s: the validator says %s\n", what, o.verdict);
		if (v == VALIDATOR_AC && job->checker.score) {
			int rc = validator_score(job->validator_dir, &o.score);
			if (rc <= 0) {
				o.verdict = "JE";
				judge_error(job, "%s: %s", what,
					    rc == 0 ? "the validator accepted but wrote no score.txt"
					    : rc == -EINVAL ? "the validator's score.txt does not hold a number"
							    : "the validator's score.txt cannot be read");
			} else {
				buf_printf(&job->log, "%s: score %g\n", what, o.score);
			}
		}
	} else if (!o.verdict) {
		ans = memfd_from("answer", answer, answer_len);
		char msg[256] = "";
		int rc = ans < 0 || lseek(out, 0, SEEK_SET) != 0 ? -EIO
			 : checker_compare(&job->checker, out, ans, msg, sizeof msg);
		o.verdict = rc == CHECKER_ACCEPTED ? "AC" : rc == CHECKER_WRONG ? "WA" : "JE";
		if (rc == CHECKER_WRONG)
			buf_printf(&job->log, "%s: wrong answer: %s\n", what, msg);
		else if (rc < 0)
			judge_error(job, "%s: the checker failed: %s", what, strerror(-rc));
	}
	if (validated) /* this pass's feedback dir, not an earlier test's */
		o.team_message = validator_team_message(job->validator_dir, DB_FEEDBACK_MESSAGE_MAX);
	/* A team may see its own output where it failed a sample (never a hidden test). */
	if (sample && strcmp(o.verdict, "AC") != 0 && strcmp(o.verdict, "JE") != 0 && !(custom && job->checker.interactive))
		o.output = fd_read_head(out, DB_FEEDBACK_OUTPUT_MAX, &o.output_len);
	if (strcmp(o.verdict, "AC") != 0) {
		log_result(job, what, &r);
		size_t len;
		char *text = fd_read_head(err, STDERR_KEPT, &len);
		if (len) {
			json_t *s = json_string_lossy(text, len);
			buf_printf(&job->log, "%s: stderr: %s\n", what, json_string_value(s));
			json_decref(s);
		}
		free(text);
	}
	language_argv_free(argv);
	language_argv_free(env);
out:
	for (int *fd = (int[]){in, out, err, ans}, i = 0; i < 4; i++)
		if (fd[i] >= 0)
			close(fd[i]);
	return o;
}

/* Runs one test: one pass, or, for a multi-pass problem, passes while the
   validator accepts and writes a nextpass.in (the next pass's input), up to
   the problem's limit. The time and memory are the largest of a pass. */
static struct test_outcome run_test(struct worker *w, struct job *job, int idx, bool sample)
{
	struct test_outcome o = {"JE", 0, 0, 0, NULL, 0, NULL};
	char *input = NULL, *answer = NULL;
	size_t input_len = 0, answer_len = 0;
	char what[48];
	snprintf(what, sizeof what, "test %d", idx);
	if (db_test_data(w->db, job->sub.problem_id, idx, &input, &input_len, &answer, &answer_len) != 0) {
		buf_printf(&job->log, "%s: the test is gone from the database\n", what);
		goto out;
	}
	int passes = job->checker.type == CHECKER_CUSTOM ? job->checker.passes : 1;
	for (int pass = 1;; pass++) {
		if (passes > 1)
			snprintf(what, sizeof what, "test %d pass %d", idx, pass);
		struct test_outcome po = run_pass(w, job, what, pass, sample, input, input_len, answer, answer_len);
		o.verdict = po.verdict;
		o.score = po.score;
		free(o.output); /* the last pass's */
		free(o.team_message);
		o.output = po.output;
		o.output_len = po.output_len;
		o.team_message = po.team_message;
		o.time_ms = po.time_ms > o.time_ms ? po.time_ms : o.time_ms;
		o.memory_kb = po.memory_kb > o.memory_kb ? po.memory_kb : o.memory_kb;
		if (passes == 1 || strcmp(o.verdict, "AC") != 0)
			break;
		char *next = NULL;
		size_t next_len = 0;
		int rc = validator_next_pass(job->validator_dir, &next, &next_len);
		if (rc == 0)
			break; /* accepted, and no further pass asked for */
		if (rc < 0 || pass == passes) {
			o.verdict = "JE";
			if (rc < 0)
				judge_error(job, "%s: the validator's nextpass.in cannot be used: %s", what, strerror(-rc));
			else
				judge_error(job, "%s: the validator asks for a pass beyond the limit of %d", what, passes);
			free(next);
			break;
		}
		free(input);
		input = next;
		input_len = next_len;
	}
out:
	free(input);
	free(answer);
	return o;
}

/* What storage says about judging the problem, as the JSON object the job
   keeps: limits, checker, tests [{"idx", "group", "points", "sample"}],
   scoring. NULL if the problem is gone. */
static json_t *problem_judging_json(struct db *db, int64_t id)
{
	struct db_problem_judging *pj = db_problem_judging(db, id);
	if (!pj)
		return NULL;
	json_t *checker = json_loads(pj->checker_json, 0, NULL);
	json_t *p = json_pack("{s:I, s:I, s:I, s:I, s:o, s:b}", "id", (json_int_t)id, "time_limit_ms",
			      (json_int_t)pj->time_limit_ms, "memory_limit_kb", (json_int_t)pj->memory_limit_kb,
			      "output_limit_kb", (json_int_t)pj->output_limit_kb, "checker",
			      checker ? checker : json_object(), "has_validator", pj->has_validator);
	json_t *tests = json_array();
	for (size_t i = 0; i < pj->test_count; i++) {
		const struct db_judging_test *t = &pj->tests[i];
		json_array_append_new(tests, json_pack("{s:i, s:o, s:f, s:b}", "idx", t->idx, "group",
						       json_string_lossy(t->group, strlen(t->group)), "points",
						       t->points, "sample", t->sample));
	}
	json_object_set_new(p, "tests", tests);
	db_problem_judging_free(pj);
	return p;
}

/* Sets up the job: submission, language, problem, checker, box with the source. NULL or the verdict JE. */
static const char *prepare(struct worker *w, struct job *job)
{
	if (db_job_load(w->db, job->id, &job->sub) != 0) {
		buf_printf(&job->log, "submission %lld is gone\n", (long long)job->id);
		return "JE";
	}
	job->lang = languages_find(w->languages, job->sub.language);
	if (!job->lang) {
		buf_printf(&job->log, "language '%s' is not available on this judge\n", job->sub.language);
		return "JE";
	}
	job->problem = problem_judging_json(w->db, job->sub.problem_id);
	if (!job->problem) {
		buf_printf(&job->log, "problem %lld is gone\n", (long long)job->sub.problem_id);
		return "JE";
	}
	if (job->sub.time_limit_ms > 0) { /* a jury submission before its problem's limit is derived */
		json_object_set_new(job->problem, "time_limit_ms", json_integer(job->sub.time_limit_ms));
		buf_printf(&job->log, "jury submission: judged with the provisional time limit of %lld ms\n",
			   (long long)job->sub.time_limit_ms);
	}
	char *err = NULL;
	if (checker_from_json(json_object_get(job->problem, "checker"), &job->checker, &err) != 0) {
		buf_printf(&job->log, "cannot use the problem's checker: %s\n", err);
		free(err);
		return "JE";
	}
	if (job->checker.type == CHECKER_CUSTOM) {
		struct validator *v = &job->validator;
		if (db_problem_validator(w->db, job->sub.problem_id, &v->program, &v->len, &v->language,
					 &job->validator_flags) != 0) {
			buf_printf(&job->log, "the problem's custom validator is missing\n");
			return "JE";
		}
		snprintf(job->validator_dir, sizeof job->validator_dir, "%s/validator-%lld", w->dir, (long long)job->id);
		remove_tree(job->validator_dir);
		int rc = validator_install(v, job->validator_dir);
		if (rc != 0) {
			buf_printf(&job->log, "cannot install the validator in '%s': %s\n", job->validator_dir, strerror(-rc));
			return "JE";
		}
	}
	snprintf(job->box, sizeof job->box, "%s/box-%lld", w->dir, (long long)job->id);
	remove_tree(job->box);
	if (mkdir(job->box, 0755) != 0) {
		buf_printf(&job->log, "cannot make the box '%s': %s\n", job->box, strerror(errno));
		return "JE";
	}
	job->files = job->sub.files ? json_loads(job->sub.files, 0, NULL)
				    : json_pack("[{s:s, s:s%}]", "name", job->lang->source, "content", job->sub.source,
						job->sub.source_len);
	job->nfiles = json_array_size(job->files);
	if (!job->nfiles) {
		buf_printf(&job->log, "the submission's files cannot be read\n");
		return "JE";
	}
	job->names = xcalloc(job->nfiles, sizeof *job->names);
	for (size_t i = 0; i < job->nfiles; i++) {
		json_t *f = json_array_get(job->files, i);
		const char *name = json_string_value(json_object_get(f, "name"));
		const char *content = json_string_value(json_object_get(f, "content"));
		/* the API checked the names; a plain name in the box, never a path */
		if (!name || !content || !*name || strchr(name, '/') || name[0] == '.') {
			buf_printf(&job->log, "file %zu of the submission has no usable name\n", i + 1);
			return "JE";
		}
		job->names[i] = name;
		char *path = xasprintf("%s/%s", job->box, name);
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
		int rc = fd < 0 ? -errno : write_all(fd, content, json_string_length(json_object_get(f, "content")));
		if (fd >= 0)
			close(fd);
		free(path);
		if (rc != 0) {
			buf_printf(&job->log, "cannot write '%s' to '%s': %s\n", name, job->box, strerror(-rc));
			return "JE";
		}
	}
	char *why = language_entry(job->lang, job->names, job->nfiles, job->sub.entry_point, job->entry,
				   sizeof job->entry);
	if (why) {
		buf_printf(&job->log, "%s\n", why);
		free(why);
		return "JE";
	}
	return NULL;
}

/* Keeps the judge log within its budget: once a test's lines (from mark on)
   would go past it, they and every later test's are left out and counted. */
static void keep_test_log(struct job *job, size_t mark)
{
	if (job->log.len == mark)
		return;
	if (!job->logs_left_out && job->log.len + LOG_TAIL_RESERVE <= job->log_max)
		return;
	job->log.len = mark;
	job->log.data[mark] = '\0';
	job->logs_left_out++;
}

static void judge(struct worker *w, int64_t id)
{
	struct job job = {.id = id, .log_max = w->log_max};
	buf_init(&job.log);
	const char *verdict = prepare(w, &job);
	if (!verdict)
		verdict = compile(w, &job);
	if (verdict) {
		send_event(json_pack("{s:s, s:s, s:o, s:I, s:s?, s:s}", "event", "done", "verdict", verdict, "score",
				     json_null(), "tests_passed", (json_int_t)0, "compile_output", job.compile_output,
				     "log", job.log.data ? job.log.data : ""));
		goto out;
	}
	send_event(json_pack("{s:s, s:s}", "event", "compiled", "output", job.compile_output));

	/* Run the tests in order; scoring.c says when to stop and what they add up to. */
	json_t *tests = json_object_get(job.problem, "tests");
	struct scoring sc;
	scoring_init(&sc, scoring_kind_of_json(job.problem));
	if (job.checker.type == CHECKER_CUSTOM && job.checker.score)
		scoring_set_custom(&sc, job.checker.score_aggregation);
	int64_t max_time = 0, max_memory = 0;
	size_t i;
	json_t *t;
	json_array_foreach(tests, i, t) {
		int idx = (int)json_integer_value(json_object_get(t, "idx"));
		const char *group = json_string_value(json_object_get(t, "group"));
		size_t mark = job.log.len;
		struct test_outcome o = run_test(w, &job, idx, json_is_true(json_object_get(t, "sample")));
		keep_test_log(&job, mark);
		if (o.time_ms > max_time)
			max_time = o.time_ms;
		if (o.memory_kb > max_memory)
			max_memory = o.memory_kb;
		bool more = scoring_add_scored(&sc, group, json_number_value(json_object_get(t, "points")), o.verdict,
					       o.score);
		json_t *ev = json_pack("{s:s, s:i, s:s, s:s, s:I, s:I}", "event", "test", "index", idx, "group", group,
				       "verdict", o.verdict, "time_ms", (json_int_t)o.time_ms, "memory_kb",
				       (json_int_t)o.memory_kb);
		if (o.output) { /* any bytes: in base64 */
			size_t cap = sodium_base64_ENCODED_LEN(o.output_len, sodium_base64_VARIANT_ORIGINAL);
			char *b64 = xmalloc(cap);
			sodium_bin2base64(b64, cap, (const unsigned char *)o.output, o.output_len,
					  sodium_base64_VARIANT_ORIGINAL);
			json_object_set_new(ev, "output", json_string(b64));
			free(b64);
		}
		if (o.team_message)
			json_object_set_new(ev, "team_message", json_string(o.team_message));
		send_event(ev);
		free(o.output);
		free(o.team_message);
		if (!more)
			break;
	}
	if (job.logs_left_out)
		buf_printf(&job.log, "\u2026 %d more tests' logs left out\n", job.logs_left_out);
	double score = scoring_score(&sc);
	/* Per-test results went one frame each; this one is bounded by the log budget. */
	send_event(json_pack("{s:s, s:s, s:o, s:I, s:I, s:I, s:s}", "event", "done", "verdict", scoring_verdict(&sc),
			     "score", score >= 0 ? json_real(score) : json_null(), "time_ms", (json_int_t)max_time,
			     "memory_kb", (json_int_t)max_memory, "tests_passed", (json_int_t)sc.tests_passed, "log",
			     job.log.data ? job.log.data : ""));
	scoring_release(&sc);
out:
	if (job.box[0])
		remove_tree(job.box);
	if (job.validator_dir[0])
		remove_tree(job.validator_dir);
	validator_release(&job.validator);
	free(job.validator_flags);
	free(job.sub.source);
	free(job.sub.files);
	free(job.sub.entry_point);
	free(job.names);
	json_decref(job.files);
	free(job.compile_output);
	json_decref(job.problem);
	buf_release(&job.log);
}

/* {"compile_validator": [{"path", "data" (base64)}]} -> {"event": "validator", "rc", "message", "language", "program"} */
static void compile_validator(struct worker *w, json_t *files)
{
	size_t count = json_array_size(files);
	struct validator_source *src = xcalloc(count ? count : 1, sizeof *src);
	int rc = 0;
	for (size_t i = 0; i < count; i++) {
		json_t *f = json_array_get(files, i);
		const char *b64 = json_string_value(json_object_get(f, "data"));
		size_t cap = b64 ? strlen(b64) : 0, len = 0;
		char *data = xmalloc(cap + 1);
		if (!b64 || sodium_base642bin((unsigned char *)data, cap, b64, cap, NULL, &len, NULL,
					      sodium_base64_VARIANT_ORIGINAL) != 0)
			rc = -EINVAL;
		data[len] = '\0';
		src[i] = (struct validator_source){json_string_value(json_object_get(f, "path")), data, len};
	}
	struct validator v = {0};
	char *message = NULL;
	if (rc == 0)
		rc = validator_compile(w->sandbox, w->dir, src, count, &v, &message);
	else
		message = xstrdup("the validator's files arrived damaged");
	json_t *ev = json_pack("{s:s, s:i, s:s}", "event", "validator", "rc", rc, "message", message ? message : "");
	if (rc == 0) {
		size_t cap = sodium_base64_ENCODED_LEN(v.len, sodium_base64_VARIANT_ORIGINAL);
		char *b64 = xmalloc(cap);
		sodium_bin2base64(b64, cap, (const unsigned char *)v.program, v.len, sodium_base64_VARIANT_ORIGINAL);
		json_object_set_new(ev, "program", json_string(b64));
		json_object_set_new(ev, "language", json_string(v.language));
		free(b64);
	}
	send_event(ev);
	for (size_t i = 0; i < count; i++)
		free((char *)src[i].data);
	free(src);
	free(message);
	validator_release(&v);
}

static void sandbox_log(void *ctx, const char *line)
{
	(void)ctx;
	log_warnx("sandbox: %s", line);
}

int worker_main(int argc, char **argv)
{
	struct config cfg;
	char *err = NULL;
	int slot = 0;
	pid_t server = 0;
	if (config_init(&cfg, &err) != 0)
		goto usage;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--slot") == 0)
			slot = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--server-pid") == 0)
			server = (pid_t)atoi(argv[i + 1]);
		else if (config_set(&cfg, argv[i] + 2, argv[i + 1], &err) != 0)
			goto usage;
	}
	log_set_level(cfg.log_level);
	/* Die with the server; never outlive it holding a sandbox. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (server <= 0 || getppid() != server) {
		log_error("worker %d: its server (pid %d) is gone", slot, (int)server);
		config_release(&cfg);
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);

	struct worker w = {.slot = slot, .log_max = cfg.judge_log_max, .compile_ms = (uint64_t)cfg.compile_time_ms};
	char *why = NULL;
	int code = 1;
	/* The languages first: the sandbox shows their toolchains' extra paths. */
	if (!(w.languages = languages_load(cfg.languages_file, &err))) {
		why = xstrdup(err);
		goto fail;
	}
	static const char *const default_ro[] = SANDBOX_DEFAULT_RO_PATHS;
	const char *ro[32];
	size_t nro = 0;
	for (size_t i = 0; default_ro[i]; i++)
		ro[nro++] = default_ro[i];
	for (const char *const *p = languages_ro_paths(w.languages); *p && nro < ARRAY_SIZE(ro) - 1; p++)
		ro[nro++] = *p;
	ro[nro] = NULL;
	struct sandbox_config scfg = {.slot = slot, .ro_paths = ro, .log = sandbox_log};
	if (!(w.sandbox = sandbox_new(&scfg, &err))) {
		why = xasprintf("cannot set up the sandbox: %s", err);
		goto fail;
	}
	if (db_open_readonly(cfg.data_dir, &w.db, &err) != 0) {
		why = xstrdup(err);
		goto fail;
	}
	/* DATA/work/worker-N: private (the data dir is 0700), and wiped by the
	   server at start, so a killed worker leaves nothing behind for long. */
	snprintf(w.dir, sizeof w.dir, "%s/work/worker-%d", cfg.data_dir, slot);
	remove_tree(w.dir);
	char *parent = xasprintf("%s/work", cfg.data_dir);
	mkdir(parent, 0700);
	free(parent);
	if (mkdir(w.dir, 0700) != 0) {
		why = xasprintf("cannot make the work dir '%s': %s", w.dir, strerror(errno));
		w.dir[0] = '\0';
		goto fail;
	}
	/* Its sandbox's facts go with "ready": the server reports and logs them. */
	struct sandbox_info info;
	struct judge_facts facts;
	sandbox_get_info(w.sandbox, &info);
	facts_from_sandbox(&facts, &info, slot);
	send_event(json_pack("{s:s, s:i, s:o}", "event", "ready", "pid", (int)getpid(), "sandbox",
			     facts_to_frame(&facts)));
	for (;;) {
		json_t *msg = NULL;
		int rc = frame_recv(CHANNEL_FD, &msg);
		if (rc != 0)
			break; /* the server closed the channel: shut down */
		json_t *validator = json_object_get(msg, "compile_validator");
		if (validator) {
			compile_validator(&w, validator);
			json_decref(msg);
			continue;
		}
		json_int_t id = json_integer_value(json_object_get(msg, "id"));
		json_decref(msg);
		if (id <= 0)
			continue;
		send_event(json_pack("{s:s, s:I}", "event", "taken", "id", id));
		judge(&w, id);
	}
	code = 0;
fail:
	if (why) {
		/* The server logs it with the worker's end, and /healthz names it. */
		log_error("worker %d: %s", slot, why);
		send_event(json_pack("{s:s, s:s}", "event", "failed", "error", why));
		free(why);
	}
	if (w.dir[0])
		remove_tree(w.dir);
	sandbox_free(w.sandbox);
	db_close(w.db);
	languages_free(w.languages);
	config_release(&cfg);
	free(err);
	return code;
usage:
	fprintf(stderr, "verdict worker: %s (this command is started by 'verdict serve')\n", err ? err : "bad arguments");
	free(err);
	return 2;
}
