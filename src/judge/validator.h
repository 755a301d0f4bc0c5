/* Custom output validators (Kattis protocol): compiled in the sandbox when a
 * package is imported, run in the sandbox for each test:
 *   validator input answer feedback_dir [flags] < contestant_output
 * exit code 42 = accepted, 43 = wrong answer, anything else = judge error.
 * Used by judge workers and by `verdict problem import`; never by the server
 * process itself. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errors.h" /* VALIDATOR_E_COMPILE */

struct sandbox;
struct sandbox_spec;
struct sandbox_result;
struct buf;

/* The environment of compilers (of submissions and validators) and of validators, in the sandbox. */
extern const char *const compile_env[];

struct validator_source {
	const char *path; /* relative, e.g. "validate.cpp" or "lib/x.h" */
	const char *data;
	size_t len;
};

/* A runnable validator: a static binary (c, cpp) or a Python script. */
struct validator {
	char *language;   /* "c", "cpp" or "python3" */
	char *program;    /* the bytes of the binary or script */
	size_t len;
};

/* The most files a validator may have, and the most words its flags may have:
   far beyond any real validator, and within what the sandbox passes to a
   program (64 KiB of arguments and environment). */
#define VALIDATOR_MAX_FILES 256
#define VALIDATOR_MAX_FLAGS 64

/* Refuses a validator beyond those limits, before it is compiled or stored:
   0, or VALIDATOR_E_COMPILE with *message (malloc'd) naming the limit. */
int validator_check_limits(size_t file_count, const char *flags, char **message);

/* Compiles sources in a fresh dir under work_dir. Returns 0 with *out filled,
   VALIDATOR_E_COMPILE when the sources do not compile or hold nothing runnable (*message says
   why, with the compiler's output; also more than VALIDATOR_MAX_FILES files), or negative errno for a sandbox failure
   (*message says what). *message is malloc'd in every case. */
int validator_compile(struct sandbox *sb, const char *work_dir, const struct validator_source *files, size_t count,
		      struct validator *out, char **message);
void validator_release(struct validator *v);

/* Prepares dir (made if missing) to run the validator: writes the program. 0 or negative errno. */
int validator_install(const struct validator *v, const char *dir);

enum validator_verdict { VALIDATOR_AC, VALIDATOR_WA, VALIDATOR_JE };

/* One test (or one pass of a multi-pass test) for the installed validator in dir. */
struct validator_call {
	const struct validator *v;
	const char *dir;
	const char *flags;          /* validator_flags; beyond VALIDATOR_MAX_FLAGS (refused at import): JE */
	const void *input;          /* this pass's input */
	size_t input_len;
	const void *answer;
	size_t answer_len;
	uint64_t time_limit_ms;     /* the submission's: the validator gets twice that, at least 10 s, of CPU */
	bool keep_feedback;         /* a later pass: the feedback dir stays as the last pass left it */
};

/* Runs the validator on the contestant's output (output_fd, read from its
   start). Appends what happened (and the judge message) to log. */
enum validator_verdict validator_run(struct sandbox *sb, const struct validator_call *c, int output_fd,
				     struct buf *log);

/* An interactive problem: the submission (sub: its stdin and stdout are
   ignored) and the validator as its interactor, run at once and connected
   both ways (sandbox_run_pair). *sub_res is the submission's result. Returns
   the test's verdict by validator_interactive_verdict; appends what happened
   to log. */
const char *validator_run_interactive(struct sandbox *sb, const struct validator_call *c,
				      const struct sandbox_spec *sub, struct sandbox_result *sub_res, struct buf *log);

/* The Kattis and DOMjudge rule for an interactive test: a submission that
   ran within its limits gets the interactor's verdict (42 AC, 43 WA, else
   JE); one that failed (TLE, MLE, RTE...) gets its failure, unless the
   interactor ended first: then its WA stands (and its failure is JE). A
   submission killed by SIGPIPE wrote to an interactor that had ended: the
   interactor was first. A sandbox failure on either side is JE. */
const char *validator_interactive_verdict(const struct sandbox_result *sub, uint64_t time_limit_ms,
					  enum validator_verdict v, const struct sandbox_result *val);

/* The validator's feedback/teammessage.txt in dir (its first max bytes, as
   UTF-8 with invalid bytes replaced), or NULL when it wrote none. */
char *validator_team_message(const char *dir, size_t max);

/* The largest nextpass.in a multi-pass validator may write. */
#define VALIDATOR_NEXT_PASS_MAX (64u << 20)

/* Multi-pass: takes feedback/nextpass.in from dir (and removes it). 1 with
   *data (malloc'd) and *len when the validator wrote one, 0 when it did not,
   negative errno when it is not a regular file (-EINVAL), is too large
   (-EFBIG) or cannot be read. */
int validator_next_pass(const char *dir, char **data, size_t *len);

/* Custom scoring: the score the validator wrote to feedback/score.txt in dir
   (one finite number, surrounding whitespace allowed). 1 with *score, 0 when
   there is none, -EINVAL when it is not a number, negative errno otherwise. */
int validator_score(const char *dir, double *score);
