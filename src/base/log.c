/* Leveled logging to stderr, one write(2) per line so threads do not interleave. */
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

static enum log_level min_level = LOG_INFO;
static const char *const level_names[] = {"debug", "info", "warn", "error"};

void log_set_level(enum log_level level)
{
	min_level = level;
}

bool log_parse_level(const char *s, enum log_level *out)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(s, level_names[i]) == 0) {
			*out = (enum log_level)i;
			return true;
		}
	return false;
}

bool log_enabled(enum log_level level)
{
	return level >= min_level;
}

static void vlog(enum log_level level, int errnum, const char *fmt, va_list ap)
{
	if (level < min_level)
		return;
	char line[2048];
	struct timeval tv;
	gettimeofday(&tv, NULL);
	struct tm tm;
	gmtime_r(&tv.tv_sec, &tm);
	size_t n = strftime(line, sizeof line, "%Y-%m-%dT%H:%M:%S", &tm);
	n += (size_t)snprintf(line + n, sizeof line - n, ".%03dZ %s ", (int)(tv.tv_usec / 1000),
			      level_names[level]);
	int m = vsnprintf(line + n, sizeof line - n, fmt, ap);
	n = m < 0 ? n : n + (size_t)m;
	if (n > sizeof line - 2)
		n = sizeof line - 2;
	if (errnum)
		n += (size_t)snprintf(line + n, sizeof line - n, ": %s", strerror(errnum));
	if (n > sizeof line - 2)
		n = sizeof line - 2;
	line[n++] = '\n';
	ssize_t w = write(STDERR_FILENO, line, n);
	(void)w;
}

static void log_at(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void log_at(enum log_level level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(level, 0, fmt, ap);
	va_end(ap);
}

#define DEFINE_LOG(name, level, with_errno)              \
	void name(const char *fmt, ...)                  \
	{                                                \
		int saved = errno;                       \
		va_list ap;                              \
		va_start(ap, fmt);                       \
		vlog(level, with_errno ? saved : 0, fmt, ap); \
		va_end(ap);                              \
		errno = saved;                           \
	}

DEFINE_LOG(log_debug, LOG_DEBUG, 0)
DEFINE_LOG(log_info, LOG_INFO, 0)
DEFINE_LOG(log_warn, LOG_WARN, 1)
DEFINE_LOG(log_warnx, LOG_WARN, 0)
DEFINE_LOG(log_error, LOG_ERROR, 0)

void log_ratelimited(struct log_ratelimit *rl, enum log_level level, int errnum, const char *fmt, ...)
{
	if (level < min_level)
		return;
	int saved = errno;
	int64_t now = now_us();
	int64_t next = atomic_load(&rl->next_us);
	if (now < next || !atomic_compare_exchange_strong(&rl->next_us, &next, now + 1000000)) {
		atomic_fetch_add(&rl->suppressed, 1);
		return;
	}
	unsigned dropped = atomic_exchange(&rl->suppressed, 0);
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (errnum && n >= 0 && (size_t)n < sizeof line)
		snprintf(line + n, sizeof line - (size_t)n, ": %s", strerror(errnum));
	if (dropped)
		log_at(level, "%s (and %u more like it since the last one)", line, dropped);
	else
		log_at(level, "%s", line);
	errno = saved;
}

void fatal(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;
	va_start(ap, fmt);
	vlog(LOG_ERROR, saved, fmt, ap);
	va_end(ap);
	exit(1);
}

void fatalx(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(LOG_ERROR, 0, fmt, ap);
	va_end(ap);
	exit(1);
}
