/* Framing of judge messages: 4-byte big-endian length + JSON. */
#include "frame.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int frame_send(int fd, const json_t *msg, int timeout_ms)
{
	char *text = json_dumps(msg, JSON_COMPACT);
	if (!text)
		return -EINVAL;
	size_t len = strlen(text);
	unsigned char head[4] = {(unsigned char)(len >> 24), (unsigned char)(len >> 16), (unsigned char)(len >> 8),
				 (unsigned char)len};
	int64_t deadline = timeout_ms < 0 ? -1 : now_us() + (int64_t)timeout_ms * 1000;
	int rc = len > FRAME_MAX ? -EMSGSIZE : send_all(fd, (const char *)head, 4, deadline);
	if (rc == 0)
		rc = send_all(fd, text, len, deadline);
	free(text);
	return rc;
}

static int read_exact(int fd, void *p, size_t n)
{
	char *c = p;
	while (n) {
		ssize_t r = read(fd, c, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return -EPIPE;
		c += r;
		n -= (size_t)r;
	}
	return 0;
}

int frame_recv(int fd, json_t **out)
{
	unsigned char head[4];
	int rc = read_exact(fd, head, 4);
	if (rc)
		return rc;
	uint32_t len = (uint32_t)head[0] << 24 | (uint32_t)head[1] << 16 | (uint32_t)head[2] << 8 | head[3];
	if (len > FRAME_MAX)
		return -EMSGSIZE;
	char *text = xmalloc(len + 1);
	rc = read_exact(fd, text, len);
	if (rc == 0) {
		*out = json_loadb(text, len, 0, NULL);
		if (!*out)
			rc = -EBADMSG;
	}
	free(text);
	return rc;
}

int frame_fill(int fd, struct buf *in)
{
	for (;;) {
		buf_reserve(in, 65536);
		ssize_t r = read(fd, in->data + in->len, in->cap - in->len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return errno == EAGAIN ? 0 : -errno;
		if (r == 0)
			return -EPIPE;
		in->len += (size_t)r;
		in->data[in->len] = '\0';
		if (in->len > 2 * FRAME_MAX)
			return -EMSGSIZE;
	}
}

json_t *frame_next(struct buf *in, bool *bad)
{
	*bad = false;
	if (in->len < 4)
		return NULL;
	const unsigned char *h = (const unsigned char *)in->data;
	uint32_t len = (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
	if (len > FRAME_MAX) {
		*bad = true;
		return NULL;
	}
	if (in->len < 4 + (size_t)len)
		return NULL;
	json_t *msg = json_loadb(in->data + 4, len, 0, NULL);
	memmove(in->data, in->data + 4 + len, in->len - 4 - len);
	in->len -= 4 + len;
	in->data[in->len] = '\0';
	if (!msg)
		*bad = true;
	return msg;
}
