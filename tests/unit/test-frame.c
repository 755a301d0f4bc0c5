/* Unit tests for the judge's framing (frame.c): round trips both ways, frames
 * far larger than a socket buffer sent on a non-blocking socket to a slow
 * reader, a reader that never reads (the send gives up at its deadline),
 * truncated, oversized and malformed frames, and a peer that has gone. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common.h"
#include "frame.h"
#include "util.h"

static int sv[2];

static void setup(void)
{
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
}

static void teardown(void)
{
	for (int i = 0; i < 2; i++)
		if (sv[i] >= 0)
			close(sv[i]);
}

static void set_nonblocking(int fd)
{
	ck_assert_int_eq(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK), 0);
}

/* A message with a string of n bytes that tells where each byte came from. */
static json_t *big_message(size_t n)
{
	char *s = xmalloc(n + 1);
	for (size_t i = 0; i < n; i++)
		s[i] = (char)('a' + (i * 7 + i / 4096) % 26);
	s[n] = '\0';
	json_t *msg = json_pack("{s:s, s:I}", "data", s, "n", (json_int_t)n);
	free(s);
	return msg;
}

static void write_raw(int fd, const void *p, size_t n)
{
	ck_assert_int_eq(write_all(fd, p, n), 0);
}

START_TEST(round_trip_blocking_and_through_a_buffer)
{
	json_t *msg = json_pack("{s:s, s:i, s:[i, s, n]}", "event", "test", "index", 3, "list", 1, "\xc3\xa9", "");
	ck_assert_int_eq(frame_send(sv[0], msg, -1), 0);
	json_t *got = NULL;
	ck_assert_int_eq(frame_recv(sv[1], &got), 0);
	ck_assert(json_equal(msg, got));
	json_decref(got);

	/* Three frames back to back come out of frame_next one by one. */
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(frame_send(sv[1], msg, 1000), 0);
	set_nonblocking(sv[0]);
	struct buf in;
	buf_init(&in);
	ck_assert_int_eq(frame_fill(sv[0], &in), 0);
	bool bad = true;
	for (int i = 0; i < 3; i++) {
		got = frame_next(&in, &bad);
		ck_assert_ptr_nonnull(got);
		ck_assert(!bad);
		ck_assert(json_equal(msg, got));
		json_decref(got);
	}
	ck_assert_ptr_null(frame_next(&in, &bad));
	ck_assert(!bad);
	ck_assert_uint_eq(in.len, 0);
	buf_release(&in);
	json_decref(msg);
}
END_TEST

/* Reads everything from fd in small bites with pauses, like a busy worker. */
static void *slow_reader(void *arg)
{
	int fd = *(int *)arg;
	struct buf *in = xcalloc(1, sizeof *in);
	buf_init(in);
	char chunk[32768];
	for (;;) {
		ssize_t r = read(fd, chunk, sizeof chunk);
		if (r <= 0)
			break;
		buf_add(in, chunk, (size_t)r);
		usleep(1000);
	}
	return in;
}

START_TEST(large_frame_on_a_nonblocking_socket_reaches_a_slow_reader)
{
	set_nonblocking(sv[0]);
	int reader_fd = sv[1];
	pthread_t t;
	ck_assert_int_eq(pthread_create(&t, NULL, slow_reader, &reader_fd), 0);
	size_t n = 8u << 20; /* about forty socket buffers */
	json_t *msg = big_message(n);
	ck_assert_int_eq(frame_send(sv[0], msg, 30000), 0);
	ck_assert_int_eq(frame_send(sv[0], msg, 30000), 0);
	close(sv[0]);
	sv[0] = -1;
	struct buf *in;
	ck_assert_int_eq(pthread_join(t, (void **)&in), 0);
	bool bad = true;
	for (int i = 0; i < 2; i++) {
		json_t *got = frame_next(in, &bad);
		ck_assert_msg(got != NULL, "frame %d did not arrive whole (%zu bytes)", i, in->len);
		ck_assert(json_equal(msg, got));
		json_decref(got);
	}
	ck_assert_uint_eq(in->len, 0);
	buf_release(in);
	free(in);
	json_decref(msg);
}
END_TEST

START_TEST(a_reader_that_never_reads_makes_the_send_give_up_at_its_deadline)
{
	set_nonblocking(sv[0]);
	json_t *msg = big_message(4u << 20);
	int64_t start = now_us();
	ck_assert_int_eq(frame_send(sv[0], msg, 300), -ETIMEDOUT);
	int64_t took = now_us() - start;
	ck_assert_msg(took >= 290000 && took < 3000000, "gave up after %lld us", (long long)took);
	json_decref(msg);
}
END_TEST

START_TEST(a_truncated_frame_is_the_end_of_the_stream)
{
	static const unsigned char head[4] = {0, 0, 0, 100};
	write_raw(sv[0], head, 4);
	write_raw(sv[0], "{\"event\":", 9);
	ck_assert_int_eq(shutdown(sv[0], SHUT_WR), 0);
	json_t *got = NULL;
	ck_assert_int_eq(frame_recv(sv[1], &got), -EPIPE);

	/* The dispatcher's side: no message, not malformed, then end of stream. */
	write_raw(sv[1], head, 4);
	write_raw(sv[1], "{\"event\":", 9);
	ck_assert_int_eq(shutdown(sv[1], SHUT_WR), 0);
	set_nonblocking(sv[0]);
	struct buf in;
	buf_init(&in);
	ck_assert_int_eq(frame_fill(sv[0], &in), -EPIPE);
	bool bad = true;
	ck_assert_ptr_null(frame_next(&in, &bad));
	ck_assert(!bad);
	ck_assert_uint_eq(in.len, 13);
	buf_release(&in);
}
END_TEST

START_TEST(an_oversized_length_is_refused_before_anything_is_read)
{
	uint32_t len = FRAME_MAX + 1;
	unsigned char head[4] = {(unsigned char)(len >> 24), (unsigned char)(len >> 16), (unsigned char)(len >> 8),
				 (unsigned char)len};
	write_raw(sv[0], head, 4);
	json_t *got = NULL;
	ck_assert_int_eq(frame_recv(sv[1], &got), -EMSGSIZE);

	struct buf in;
	buf_init(&in);
	buf_add(&in, head, 4);
	bool bad = false;
	ck_assert_ptr_null(frame_next(&in, &bad));
	ck_assert(bad);
	buf_release(&in);
}
END_TEST

START_TEST(a_frame_that_is_not_json_is_malformed)
{
	static const unsigned char frame[] = {0, 0, 0, 3, '{', 'x', '}'};
	write_raw(sv[0], frame, sizeof frame);
	json_t *got = NULL;
	ck_assert_int_eq(frame_recv(sv[1], &got), -EBADMSG);

	struct buf in;
	buf_init(&in);
	buf_add(&in, frame, sizeof frame);
	bool bad = false;
	ck_assert_ptr_null(frame_next(&in, &bad));
	ck_assert(bad);
	buf_release(&in);
}
END_TEST

START_TEST(sending_to_a_peer_that_has_gone_fails_without_a_signal)
{
	close(sv[1]);
	sv[1] = -1;
	json_t *msg = json_pack("{s:i}", "id", 1);
	ck_assert_int_eq(frame_send(sv[0], msg, 1000), -EPIPE);
	json_decref(msg);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("frame");
	TCase *tc = tcase_create("frame");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, round_trip_blocking_and_through_a_buffer);
	tcase_add_test(tc, large_frame_on_a_nonblocking_socket_reaches_a_slow_reader);
	tcase_add_test(tc, a_reader_that_never_reads_makes_the_send_give_up_at_its_deadline);
	tcase_add_test(tc, a_truncated_frame_is_the_end_of_the_stream);
	tcase_add_test(tc, an_oversized_length_is_refused_before_anything_is_read);
	tcase_add_test(tc, a_frame_that_is_not_json_is_malformed);
	tcase_add_test(tc, sending_to_a_peer_that_has_gone_fails_without_a_signal);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
