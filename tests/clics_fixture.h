/* A CLICS contest for the integration tests, built through the native API on
 * a running server (common.h) and moved through its phases in order, so that
 * by the freeze every CLICS collection has something in it:
 *
 *   organization kth; groups students and guests (hidden); teams z1 "Zeta"
 *   (kth, students), z2 "Eta" (students), z3 "Ghost" (hidden, guests), with
 *   the team accounts t_one, t_two, t_three and the jury account judy; the
 *   problem sum (label A, three tests) in contest clics1 (1 h, frozen 30 min
 *   before the end, public);
 *   RUNNING: a request of z1 on A, the jury's reply to it, an announcement to
 *     all; judged: an AC of z1, a WA of z2, a WA of the hidden z3;
 *   FROZEN: (the freeze action) a judged AC of z2 made in the freeze;
 *   ENDED_FROZEN: the contest's duration cut so it has ended, still frozen
 *     (its freeze duration cut alike, so the freeze stays where it was);
 *   THAWED, FINALIZED: the thaw and the finalize actions.
 *
 * Every helper fails the test (ck_assert) when the server refuses. */
#pragma once
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "common.h"

#define CLICS_FIXTURE_KEY "clics1"
#define CLICS_FIXTURE_BASE "/api/clics/contests/clics1/"
#define CLICS_FIXTURE_ADMIN_PASSWORD "admin-password"

enum clics_phase {
	CLICS_PHASE_NOT_STARTED, /* no submission, no clarification yet */
	CLICS_PHASE_RUNNING,
	CLICS_PHASE_FROZEN,
	CLICS_PHASE_ENDED_FROZEN,
	CLICS_PHASE_THAWED,
	CLICS_PHASE_FINALIZED,
};

struct clics_fixture {
	struct server *srv;
	enum clics_phase phase;
	long long contest, problem;       /* native ids */
	/* bearer tokens of t_one (z1), t_two (z2), t_three (z3) and judy (jury) */
	char one_token[64], two_token[64], three_token[64], judy_token[64];
	/* "Authorization: Basic ..." headers: admin, t_one, t_two, t_three, judy, and t_one's with a wrong password */
	char basic_admin[128], basic_one[128], basic_two[128], basic_three[128], basic_judy[128], basic_bad[128];
	/* native ids (= CLICS ids), 0 until their phase */
	long long sub_ac, sub_wa, sub_hidden; /* RUNNING: z1's AC, z2's WA, z3's WA */
	long long sub_frozen;                 /* FROZEN: z2's AC */
	long long clar_question, clar_reply, clar_all; /* RUNNING */
	int64_t start_ms, freeze_ms, end_ms;  /* the state's started, frozen and ended, ms since the epoch (0: none) */
	int64_t last_submit_ms;               /* when the last submission was sent */
};

/* Builds the contest on s (started with server_start, so with its admin) and
   moves it to `phase`. */
void clics_fixture_build(struct clics_fixture *f, struct server *s, enum clics_phase phase);
/* Moves the contest on to `phase` (never back; the same phase does nothing). */
void clics_fixture_advance(struct clics_fixture *f, enum clics_phase phase);
/* "not started", "running", ... */
const char *clics_phase_name(enum clics_phase p);

/* GET (path formatted from fmt) with one extra header (a Basic one from above, or NULL: the public). The
   answer must have the status `expect`: for 200 JSON with Access-Control-Allow-Origin: *, otherwise the CLICS
   error, exactly {"code": expect, "message": "<not empty>"}. Returns the body (new reference). */
json_t *clics_get(const struct server *s, const char *header, long expect, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* "Authorization: Basic base64(user:password)" into out. */
void clics_basic_header(char *out, size_t size, const char *user, const char *password);
/* A native id as a CLICS id string (one of a few rotating static buffers). */
const char *clics_id(long long id);
