/* Small helpers every module uses: allocation that cannot fail, a growable
 * byte buffer, and clocks. Allocation failure logs and aborts, so callers do
 * not check for NULL. */
#pragma once
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* A growable byte buffer, always NUL-terminated after len bytes. */
struct buf {
	char *data;
	size_t len;
	size_t cap;
};

void buf_init(struct buf *b);
void buf_release(struct buf *b);
void buf_reserve(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *data, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the bytes to the caller (free() them); the buffer is empty afterwards. */
char *buf_detach(struct buf *b, size_t *len);

/* Monotonic clock, for durations. */
int64_t now_us(void);
/* Wall clock in seconds since the epoch. */
int64_t now_unix(void);

/* Parses a positive decimal id ("42"); false for anything else. */
bool parse_id(const char *s, int64_t *out);

/* Reads a whole regular file (up to max bytes), never through a symlink in the
   last component; returns 0 or negative errno, -EFBIG if larger, -EINVAL if not a regular file. */
int read_file(const char *path, size_t max, char **out, size_t *len);
/* Appends what is left to read of fd to b, NUL-terminated: 0 at its end,
   -EFBIG once b holds more than max bytes (what was read stays in b), or
   negative errno. */
int fd_read_buf(int fd, struct buf *b, size_t max);
/* Writes all of data to fd, retrying on EINTR and short writes; 0 or negative errno. */
int write_all(int fd, const void *data, size_t n);
/* Sends all n bytes on a socket without SIGPIPE; while it would block (a
   non-blocking socket), waits for room until deadline (now_us(); < 0: never).
   0, -ETIMEDOUT, or negative errno. */
int send_all(int fd, const void *data, size_t n, int64_t deadline);
/* Adds one to an eventfd (wakes whoever polls it). 0 or negative errno. */
int eventfd_kick(int fd);
/* Removes a directory tree without following symlinks; errors are ignored. */
void remove_tree(const char *dir);
/* A memfd holding data, positioned at its start; the fd or negative errno. */
int memfd_from(const char *name, const void *data, size_t len);
/* The first `max` bytes of a file from offset 0 (malloc'd, NUL-terminated); *len gets how many. */
char *fd_read_head(int fd, size_t max, size_t *len);
