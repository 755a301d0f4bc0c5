/* Custom output validators: compile once at import, run per test, both in the sandbox. */
#include "validator.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json_util.h"
#include "languages.h"
#include "sandbox.h"
#include "scoring.h"
#include "util.h"

#define MESSAGE_MAX (64 * 1024)
#define FEEDBACK_MAX 2048

const char *const compile_env[] = {"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/tmp", "TMPDIR=/tmp", "LANG=C.UTF-8",
				   NULL};

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n > m && strcmp(s + n - m, suffix) == 0;
}

static bool is_cpp(const char *p)
{
	return has_suffix(p, ".cpp") || has_suffix(p, ".cc") || has_suffix(p, ".cxx");
}

static int write_file(const char *dir, const char *rel, const void *data, size_t len, mode_t mode)
{
	char *path = xasprintf("%s/%s", dir, rel);
	/* Make the folders of "lib/x.h". */
	for (char *slash = strchr(path + strlen(dir) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		(void)mkdir(path, 0755); /* exists already, or the open below fails and says why */
		*slash = '/';
	}
	/* A validator's box is writable: what it left where the next file goes is
	   refused (-ELOOP for a symlink, -EINVAL for anything but a regular file),
	   and opening never blocks (a FIFO). Truncated only once known to be a file. */
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, mode);
	free(path);
	if (fd < 0)
		return errno == ENXIO ? -EINVAL : -errno; /* ENXIO: a FIFO nobody reads */
	struct stat st;
	int rc = fstat(fd, &st) != 0 ? -errno : !S_ISREG(st.st_mode) ? -EINVAL : ftruncate(fd, 0) != 0 ? -errno : 0;
	if (rc == 0)
		rc = write_all(fd, data, len);
	close(fd);
	return rc;
}

/* The head of a memfd as valid UTF-8 (malloc'd). */
static char *memfd_text(int fd)
{
	size_t n;
	char *raw = fd_read_head(fd, MESSAGE_MAX, &n);
	json_t *s = json_string_lossy(raw, n);
	free(raw);
	char *text = xstrdup(json_string_value(s));
	json_decref(s);
	return text;
}

/* Picks the language and the sources to compile; NULL language when there is nothing runnable. */
static const char *choose(const struct validator_source *files, size_t count, const char **python_main)
{
	bool c = false, cpp = false;
	const char *py = NULL;
	int py_count = 0;
	for (size_t i = 0; i < count; i++) {
		const char *p = files[i].path;
		if (strchr(p, '/'))
			continue; /* sources at the top of the validator's folder only; below are includes */
		cpp |= is_cpp(p);
		c |= has_suffix(p, ".c");
		if (has_suffix(p, ".py")) {
			py_count++;
			if (!py || strncmp(p, "valid", 5) == 0)
				py = p;
		}
	}
	*python_main = py;
	if (cpp)
		return "cpp";
	if (c)
		return "c";
	return py && (py_count == 1 || strncmp(py, "valid", 5) == 0) ? "python3" : NULL;
}

/* The words of flags: how many, and (when words is not NULL) each, in place in flags. */
static size_t split_flags(char *flags, const char **words)
{
	size_t n = 0;
	for (char *save = NULL, *tok = strtok_r(flags, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save)) {
		if (words)
			words[n] = tok;
		n++;
	}
	return n;
}

int validator_check_limits(size_t file_count, const char *flags, char **message)
{
	if (file_count > VALIDATOR_MAX_FILES) {
		*message = xasprintf("the validator has %zu files, more than the %d a validator may have", file_count,
				     VALIDATOR_MAX_FILES);
		return VALIDATOR_E_COMPILE;
	}
	char *copy = xstrdup(flags ? flags : "");
	size_t words = split_flags(copy, NULL);
	free(copy);
	if (words > VALIDATOR_MAX_FLAGS) {
		*message = xasprintf("validator_flags has %zu words, more than the %d a validator may be given", words,
				     VALIDATOR_MAX_FLAGS);
		return VALIDATOR_E_COMPILE;
	}
	return 0;
}

int validator_compile(struct sandbox *sb, const char *work_dir, const struct validator_source *files, size_t count,
		      struct validator *out, char **message)
{
	memset(out, 0, sizeof *out);
	int rc = validator_check_limits(count, NULL, message);
	if (rc != 0)
		return rc;
	const char *py_main = NULL;
	const char *lang = choose(files, count, &py_main);
	if (!lang) {
		*message = xstrdup("no C, C++ or Python source to build a validator from (validate.c, validate.cpp or validate.py)");
		return VALIDATOR_E_COMPILE;
	}
	/* argv: the compiler, its flags, every top-level source of the language. */
	const char **argv = xcalloc(count + 8, sizeof *argv);
	char *box = xasprintf("%s/validator-build-%d", work_dir, (int)getpid());
	remove_tree(box);
	rc = mkdir(box, 0755) == 0 ? 0 : -errno;
	for (size_t i = 0; rc == 0 && i < count; i++)
		rc = write_file(box, files[i].path, files[i].data, files[i].len, 0644);
	if (rc != 0) {
		*message = xasprintf("cannot write the validator's sources to '%s': %s", box, strerror(-rc));
		goto out;
	}
	size_t n = 0;
	if (strcmp(lang, "python3") == 0) {
		argv[n++] = "/usr/bin/python3";
		argv[n++] = "-I";
		argv[n++] = "-m";
		argv[n++] = "py_compile";
		argv[n++] = py_main;
	} else {
		bool cpp = strcmp(lang, "cpp") == 0;
		argv[n++] = cpp ? "/usr/bin/g++" : "/usr/bin/gcc";
		argv[n++] = cpp ? "-std=gnu++17" : "-std=gnu17";
		argv[n++] = "-O2";
		argv[n++] = "-static";
		argv[n++] = "-o";
		argv[n++] = "validator";
		for (size_t i = 0; i < count; i++)
			if (!strchr(files[i].path, '/') && (cpp ? is_cpp(files[i].path) : has_suffix(files[i].path, ".c")))
				argv[n++] = files[i].path;
		argv[n++] = "-lm";
	}
	argv[n] = NULL;
	int output = memfd_from("validator-compile", "", 0);
	if (output < 0) {
		rc = output;
		*message = xasprintf("cannot make a memfd: %s", strerror(-rc));
		goto out;
	}
	struct sandbox_spec spec = {
		.profile = SANDBOX_COMPILE,
		.argv = argv,
		.env = compile_env,
		.box_dir = box,
		.box_writable = true,
		.stdin_fd = -1,
		.stdout_fd = output,
		.stderr_fd = output,
		.limits = {.cpu_ms = 60000, .wall_ms = 120000, .memory_kb = 2 * 1024 * 1024, .output_kb = 64,
			   .stderr_kb = 64, .processes = 64, .file_kb = LANGUAGE_COMPILE_OUTPUT_MB * 1024, .open_files = 256,
			   .box_kb = LANGUAGE_COMPILE_OUTPUT_MB * 1024},
	};
	struct sandbox_result r;
	(void)sandbox_run(sb, &spec, &r); /* a sandbox failure is r.status SANDBOX_ERROR, handled below */
	char *text = memfd_text(output);
	close(output);
	if (r.status == SANDBOX_ERROR || r.status == SANDBOX_EXEC_FAILED) {
		rc = -EIO; /* the compiler is the judge's */
		*message = xasprintf("the sandbox failed: %s", r.message);
	} else if (r.status != SANDBOX_OK && r.box_full) {
		rc = VALIDATOR_E_COMPILE;
		*message = xasprintf("%s (compiler output exceeds %d MiB)", *text ? text : "the compiler failed",
				     LANGUAGE_COMPILE_OUTPUT_MB);
	} else if (r.status != SANDBOX_OK) {
		rc = VALIDATOR_E_COMPILE;
		*message = xasprintf("%s (%s)", *text ? text : "the compiler failed", sandbox_status_name(r.status));
	} else {
		const char *name = strcmp(lang, "python3") == 0 ? py_main : "validator";
		char *path = xasprintf("%s/%s", box, name);
		size_t len;
		char *program;
		rc = read_file(path, 512u << 20, &program, &len); /* read_file does not follow symlinks */
		free(path);
		if (rc == 0) {
			out->language = xstrdup(lang);
			out->program = program;
			out->len = len;
			*message = text;
			text = NULL;
		} else {
			*message = xasprintf("the compiler made no program: %s", strerror(-rc));
		}
	}
	free(text);
out:
	free(argv);
	remove_tree(box);
	free(box);
	return rc;
}

void validator_release(struct validator *v)
{
	free(v->language);
	free(v->program);
	memset(v, 0, sizeof *v);
}

/* Reads feedback/<name> of a box (judgemessage.txt) without following any
   symlink the validator may have planted there. */
static ssize_t read_feedback_file(const char *dir, const char *name, char *out, size_t size)
{
	int box = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int fb = box < 0 ? -1 : openat(box, "feedback", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int fd = fb < 0 ? -1 : openat(fb, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	ssize_t n = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? read(fd, out, size) : -1;
	for (int *f = (int[]){fd, fb, box}, i = 0; i < 3; i++)
		if (f[i] >= 0)
			close(f[i]);
	return n;
}

static const char *program_name(const struct validator *v)
{
	return strcmp(v->language, "python3") == 0 ? "validator.py" : "validator";
}

int validator_install(const struct validator *v, const char *dir)
{
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		return -errno;
	return write_file(dir, program_name(v), v->program, v->len, 0755);
}

/* The box of one test (or pass): dir/input, dir/answer and dir/feedback/
   (fresh, or as the last pass left it). A memfd for what the validator says
   on stdout and stderr, or -1 with a line in log. */
static int prepare_box(const struct validator_call *c, struct buf *log)
{
	char *feedback = xasprintf("%s/feedback", c->dir);
	if (!c->keep_feedback)
		remove_tree(feedback);
	int rc = write_file(c->dir, "input", c->input, c->input_len, 0644);
	if (rc == 0)
		rc = write_file(c->dir, "answer", c->answer, c->answer_len, 0644);
	if (rc == 0 && ((mkdir(feedback, 0777) != 0 && (errno != EEXIST || !c->keep_feedback)) || chmod(feedback, 0777) != 0))
		rc = -errno;
	free(feedback);
	if (rc == -EINVAL || rc == -ELOOP) {
		buf_printf(log, "validator: refusing '%s/input' or '%s/answer': not a regular file (a FIFO, symlink or "
			   "other file an earlier validator run left in its box)\n", c->dir, c->dir);
		return -1;
	}
	int messages = rc == 0 ? memfd_from("validator-output", "", 0) : rc;
	if (messages < 0)
		buf_printf(log, "validator: cannot prepare its files in '%s': %s\n", c->dir, strerror(-messages));
	return messages < 0 ? -1 : messages;
}

/* The validator's command line (argv: program input answer feedback_dir
   [flags...], words pointing into *flag_copy, malloc'd) and sandbox spec. 0,
   or -1 with a line in log (too many flags). */
static int make_spec(const struct validator_call *c, int messages, const char **argv, char **flag_copy,
		     struct sandbox_spec *spec, struct buf *log)
{
	*flag_copy = xstrdup(c->flags ? c->flags : "");
	size_t flag_count = split_flags(*flag_copy, NULL);
	if (flag_count > VALIDATOR_MAX_FLAGS) {
		buf_printf(log, "validator: %zu flags, more than the %d a validator may be given\n", flag_count,
			   VALIDATOR_MAX_FLAGS);
		return -1;
	}
	strcpy(*flag_copy, c->flags ? c->flags : ""); /* strtok_r cut it */
	size_t n = 0;
	if (strcmp(c->v->language, "python3") == 0) {
		argv[n++] = "/usr/bin/python3";
		argv[n++] = "-I";
		argv[n++] = "/box/validator.py";
	} else {
		argv[n++] = "/box/validator";
	}
	argv[n++] = "/box/input";
	argv[n++] = "/box/answer";
	argv[n++] = "/box/feedback/";
	n += split_flags(*flag_copy, argv + n);
	argv[n] = NULL;
	uint64_t cpu = c->time_limit_ms * 2 > 10000 ? c->time_limit_ms * 2 : 10000;
	*spec = (struct sandbox_spec){
		.profile = SANDBOX_COMPILE, /* it writes its feedback files, and may be Python */
		.argv = argv,
		.env = compile_env,
		.box_dir = c->dir,
		.box_writable = true,
		.stdin_fd = -1,
		.stdout_fd = messages,
		.stderr_fd = messages,
		.limits = {.cpu_ms = cpu, .wall_ms = 2 * cpu, .memory_kb = 1024 * 1024, .output_kb = 64, .stderr_kb = 64,
			   .processes = 8, .file_kb = 64 * 1024, .open_files = 64},
	};
	return 0;
}

/* The verdict of the validator's run, with what it said in log. */
static enum validator_verdict judge_run(const struct validator_call *c, const struct sandbox_result *r, int messages,
					struct buf *log)
{
	enum validator_verdict verdict = VALIDATOR_JE;
	if (r->status == SANDBOX_EXITED && r->exit_code == 42)
		verdict = VALIDATOR_AC;
	else if (r->status == SANDBOX_EXITED && r->exit_code == 43)
		verdict = VALIDATOR_WA;
	if (verdict == VALIDATOR_JE)
		buf_printf(log, "validator misbehaved: %s (exit code %d); %s\n", sandbox_status_name(r->status), r->exit_code,
			   r->message);
	char text[FEEDBACK_MAX];
	ssize_t len = read_feedback_file(c->dir, "judgemessage.txt", text, sizeof text);
	if (len > 0) {
		json_t *s = json_string_lossy(text, (size_t)len);
		buf_printf(log, "validator says: %s\n", json_string_value(s));
		json_decref(s);
	}
	if (verdict == VALIDATOR_JE) {
		char *out = memfd_text(messages);
		if (*out)
			buf_printf(log, "validator output: %.2000s\n", out);
		free(out);
	}
	return verdict;
}

enum validator_verdict validator_run(struct sandbox *sb, const struct validator_call *c, int output_fd,
				     struct buf *log)
{
	int messages = prepare_box(c, log);
	if (messages < 0)
		return VALIDATOR_JE;
	if (lseek(output_fd, 0, SEEK_SET) != 0) {
		buf_printf(log, "validator: cannot read the output: %s\n", strerror(errno));
		close(messages);
		return VALIDATOR_JE;
	}
	const char *argv[VALIDATOR_MAX_FLAGS + 8];
	char *flag_copy = NULL;
	struct sandbox_spec spec;
	enum validator_verdict verdict = VALIDATOR_JE;
	if (make_spec(c, messages, argv, &flag_copy, &spec, log) == 0) {
		spec.stdin_fd = output_fd;
		struct sandbox_result r;
		(void)sandbox_run(sb, &spec, &r); /* a sandbox failure is r.status SANDBOX_ERROR: a JE */
		verdict = judge_run(c, &r, messages, log);
	}
	close(messages);
	free(flag_copy);
	return verdict;
}

const char *validator_interactive_verdict(const struct sandbox_result *sub, uint64_t time_limit_ms,
					  enum validator_verdict v, const struct sandbox_result *val)
{
	if (sub->status == SANDBOX_ERROR || val->status == SANDBOX_ERROR)
		return "JE";
	const char *failed = scoring_run_verdict(sub, time_limit_ms);
	if (!failed)
		return v == VALIDATOR_AC ? "AC" : v == VALIDATOR_WA ? "WA" : "JE";
	/* The submission failed: the side whose output closed first decides (the
	   sandbox knows the order exactly). Without it, the clocks, and a SIGPIPE
	   means its reader, the interactor, had gone (their ends can be
	   microseconds apart in either order). */
	bool interactor_first = val->closed_order ? val->closed_order == 1
				: val->ended_us < sub->ended_us ||
					  (sub->status == SANDBOX_SIGNALED && sub->signal == SIGPIPE);
	if (!interactor_first)
		return failed;
	return v == VALIDATOR_WA ? "WA" : v == VALIDATOR_AC ? failed : "JE";
}

const char *validator_run_interactive(struct sandbox *sb, const struct validator_call *c,
				      const struct sandbox_spec *sub, struct sandbox_result *sub_res, struct buf *log)
{
	memset(sub_res, 0, sizeof *sub_res);
	sub_res->status = SANDBOX_ERROR;
	int messages = prepare_box(c, log);
	if (messages < 0)
		return "JE";
	const char *argv[VALIDATOR_MAX_FLAGS + 8];
	char *flag_copy = NULL;
	struct sandbox_spec spec;
	const char *verdict = "JE";
	if (make_spec(c, messages, argv, &flag_copy, &spec, log) == 0) {
		/* It outlives a submission that hangs waiting for it, by a little: a
		   deadlock is the submission's wall limit first. */
		spec.limits.wall_ms = sub->limits.wall_ms + 2000;
		struct sandbox_result r;
		(void)sandbox_run_pair(sb, sub, &spec, sub_res, &r); /* failures are SANDBOX_ERROR results: JE */
		enum validator_verdict v = judge_run(c, &r, messages, log);
		verdict = validator_interactive_verdict(sub_res, c->time_limit_ms, v, &r);
		buf_printf(log, "interactor: %s after %llu ms, the submission: %s after %llu ms%s\n",
			   v == VALIDATOR_AC ? "accepted" : v == VALIDATOR_WA ? "wrong answer" : "failed",
			   (unsigned long long)(r.ended_us / 1000), sandbox_status_name(sub_res->status),
			   (unsigned long long)(sub_res->ended_us / 1000),
			   r.closed_order == 1	 ? "; the interactor's output closed first"
			   : r.closed_order == 2 ? "; the submission's output closed first"
						 : "");
		if (sub_res->status == SANDBOX_ERROR)
			buf_printf(log, "interactive run: %s\n", sub_res->message);
	}
	close(messages);
	free(flag_copy);
	return verdict;
}

char *validator_team_message(const char *dir, size_t max)
{
	char *text = xmalloc(max + 1);
	ssize_t len = read_feedback_file(dir, "teammessage.txt", text, max);
	if (len <= 0) {
		free(text);
		return NULL;
	}
	json_t *s = json_string_lossy(text, (size_t)len); /* valid UTF-8 without NULs */
	free(text);
	char *out = xstrdup(json_string_value(s));
	json_decref(s);
	return out;
}

int validator_next_pass(const char *dir, char **data, size_t *len)
{
	int box = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int fb = box < 0 ? -1 : openat(box, "feedback", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int fd = fb < 0 ? -1 : openat(fb, "nextpass.in", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	int rc = 0;
	struct stat st;
	if (fd >= 0) {
		if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
			rc = -EINVAL;
		} else if ((uint64_t)st.st_size > VALIDATOR_NEXT_PASS_MAX) {
			rc = -EFBIG;
		} else {
			size_t n = (size_t)st.st_size, got = 0;
			char *buf = xmalloc(n + 1);
			ssize_t r = 1;
			while (got < n && (r = pread(fd, buf + got, n - got, (off_t)got)) > 0)
				got += (size_t)r;
			buf[got] = '\0';
			*data = buf;
			*len = got;
			rc = 1;
		}
		unlinkat(fb, "nextpass.in", 0); /* the next pass must not see it */
	} else if (fb >= 0 && errno != ENOENT) {
		rc = -errno;
	}
	for (int *f = (int[]){fd, fb, box}, i = 0; i < 3; i++)
		if (f[i] >= 0)
			close(f[i]);
	return rc;
}

int validator_score(const char *dir, double *score)
{
	int box = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int fb = box < 0 ? -1 : openat(box, "feedback", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int fd = fb < 0 ? -1 : openat(fb, "score.txt", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	int rc = 0;
	struct stat st;
	if (fd >= 0) {
		char text[128];
		ssize_t n = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? pread(fd, text, sizeof text - 1, 0) : -1;
		rc = -EINVAL;
		if (n >= 0) {
			text[n] = '\0';
			char *end;
			double v = strtod(text, &end);
			while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')
				end++;
			if (end != text && !*end && isfinite(v)) {
				*score = v;
				rc = 1;
			}
		}
		unlinkat(fb, "score.txt", 0); /* the next test must not see it */
	} else if (fb >= 0 && errno != ENOENT) {
		rc = -errno;
	}
	for (int *f = (int[]){fd, fb, box}, i = 0; i < 3; i++)
		if (f[i] >= 0)
			close(f[i]);
	return rc;
}
