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

/* Runs the installed validator in dir on one test. output_fd is read from its
   start. Appends what happened (and the judge message) to log. Flags beyond
   VALIDATOR_MAX_FLAGS (refused at import) are a judge error. */
enum validator_verdict validator_run(struct sandbox *sb, const struct validator *v, const char *dir,
				     const char *flags, const void *input, size_t input_len, const void *answer,
				     size_t answer_len, int output_fd, uint64_t time_limit_ms, struct buf *log);
