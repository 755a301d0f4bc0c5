/* Logging to stderr: one line per event with time and level. log_warn adds
 * strerror(errno), log_warnx does not. fatal/fatalx exit(1) and are for
 * start-up and main.c only. Thread-safe (one write(2) per line). */
#pragma once
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_set_level(enum log_level level);
/* Parses "debug", "info", "warn" or "error"; false if unknown. */
bool log_parse_level(const char *s, enum log_level *out);
bool log_enabled(enum log_level level);

void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A message that may repeat fast (a failing accept, say) is logged at most
   once a second; the next one that gets through says how many were dropped.
   One struct log_ratelimit per kind of message, zero-initialised (static). */
struct log_ratelimit {
	_Atomic int64_t next_us;   /* when the next line may go out (monotonic) */
	atomic_uint suppressed;
};
/* errnum: an errno value to append as ": strerror", or 0. */
void log_ratelimited(struct log_ratelimit *rl, enum log_level level, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
_Noreturn void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void fatalx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
