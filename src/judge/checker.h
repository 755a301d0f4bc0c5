/* Output checkers: decide whether a contestant's output matches the expected
 * answer (exact, tokens, float, the Kattis default validator), streaming both
 * files through fixed-size buffers so memory stays bounded for any output.
 *
 * Return convention: checker_compare returns an enum checker_result (a result,
 * not an error) or a negative errno; the parsers return 0, CHECKER_E_INVALID
 * (errors.h) or a negative errno. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "errors.h" /* CHECKER_E_INVALID */

/* Whitespace means space, \t, \n, \v, \f and \r (as in the Kattis validator);
 * every other byte, NUL and non-ASCII included, is part of a token or line. */
enum checker_type {
	CHECKER_EXACT,   /* bytes equal, except whitespace other than \n at the end of a
	                    line (so CRLF = LF) and blank lines at the end of the file */
	CHECKER_TOKENS,  /* whitespace-separated tokens equal, case-sensitive */
	CHECKER_FLOAT,   /* tokens; two tokens that both parse as numbers match when
	                    |out - ans| <= float_abs or <= float_rel * |ans| */
	CHECKER_KATTIS,  /* problemtools' default validator: tokens compared with ASCII
	                    case folding unless case_sensitive; whitespace free unless
	                    space_change_sensitive (then byte-exact, trailing included);
	                    with a tolerance, an answer token that is a number needs an
	                    output number within float_abs or float_rel */
	CHECKER_CUSTOM,  /* a package's output validator, run by the judge, not here */
};

struct checker {
	enum checker_type type;
	bool case_sensitive;         /* kattis only: default false */
	bool space_change_sensitive; /* kattis only: default false */
	double float_abs, float_rel; /* float / kattis; NAN = not given */
	bool interactive;            /* custom only: the validator is the interactor, run beside the
	                                submission and connected to it both ways (default false) */
	int passes;                  /* custom only: the most passes of a multi-pass problem (the
	                                validator's nextpass.in feeds the next); 1 = one pass (default) */
	bool score;                  /* custom only (`validation: custom score`): an accepted test's
	                                score is what the validator writes to feedback/score.txt */
	char score_aggregation[4];   /* with score: how a group's test scores add up: "sum"
	                                (default), "min", "max" or "avg" (legacy grader_flags) */
};

/* The most passes a multi-pass problem may have. */
#define CHECKER_MAX_PASSES 100

/* What checker_compare decides: a verdict, not an error code (so not in errors.h). */
enum checker_result {
	CHECKER_ACCEPTED = 0, /* the output is correct */
	CHECKER_WRONG = 1,    /* the output is wrong, msg says why */
};

/* Longest token (bytes) that is still parsed as a number; longer tokens are
 * compared as strings (still streaming). */
#define CHECKER_MAX_NUMBER_TOKEN 1024

/* Default tolerance of a "float" checker given neither "abs" nor "rel". */
#define CHECKER_FLOAT_DEFAULT_TOLERANCE 1e-6

/* Fills *c with the defaults of the type: kattis case- and space-insensitive
 * without float tolerance; float with abs = rel = CHECKER_FLOAT_DEFAULT_TOLERANCE;
 * the other types ignore the flags and tolerances. */
void checker_init(struct checker *c, enum checker_type type);

/* "exact", "tokens", "float", "kattis", "custom" (static string). */
const char *checker_type_name(enum checker_type type);

/* Parses the API's checker object:
 *   {"type": "exact" | "tokens"}
 *   {"type": "custom", "interactive": false, "passes": 1}  either may be omitted
 *   {"type": "float", "abs": 1e-6, "rel": 1e-6}       either may be omitted or null;
 *                                                     neither given = both the default
 *   {"type": "kattis", "case_sensitive": false, "space_change_sensitive": false,
 *    "float_abs": null, "float_rel": null}             every key but "type" optional
 * Tolerances must be finite and >= 0. Unknown keys and keys of another type are
 * rejected. Returns 0, or CHECKER_E_INVALID with *err set to a one-line message
 * for a 400 answer (malloc'd, the caller frees it). *out is written only on success. */
int checker_from_json(const json_t *j, struct checker *out, char **err);

/* The canonical object of c (every key of its type present, null for a tolerance
 * not given). Returns a new reference. */
json_t *checker_to_json(const struct checker *c);

/* Parses Kattis `validator_flags` ("case_sensitive space_change_sensitive
 * float_tolerance 1e-6 float_relative_tolerance 1e-4 float_absolute_tolerance 1e-6")
 * into a CHECKER_KATTIS checker; a later tolerance overrides an earlier one.
 * NULL or "" gives the defaults. Returns 0, or CHECKER_E_INVALID with *err set
 * (malloc'd) naming the offending flag. */
int checker_from_kattis_flags(const char *flags, struct checker *out, char **err);

/* Parses s[0..n) (s[n] must be NUL) as a decimal number, the grammar the float
 * checkers use: [+-]? (d+ (. d*)? | . d+) ([eE] [+-]? d+)?; no hex, inf or nan,
 * and no value that overflows to infinity. Locale-independent. */
bool checker_parse_number(const char *s, size_t n, double *out);

/* Compares the contestant's output (read from output_fd from its current offset
 * to EOF) with the expected answer (answer_fd, likewise). Both fds must be
 * blocking; they are read, not closed. Memory use is constant (two fixed
 * buffers) whatever the sizes; NUL bytes and invalid UTF-8 are ordinary bytes.
 * Returns CHECKER_ACCEPTED, CHECKER_WRONG with a one-line reason in msg
 * (e.g. "line 3: expected '12', got '13'"; ASCII only, non-printable bytes
 * escaped; msg may be NULL), or a negative errno when reading fails.
 * CHECKER_CUSTOM returns -EINVAL: the judge runs custom validators itself.
 * Thread-safe: no shared state. */
int checker_compare(const struct checker *c, int output_fd, int answer_fd, char *msg, size_t msg_size);
