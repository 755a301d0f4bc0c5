/* The CLICS event feed of one contest for one viewer (2023-06 "Event feed"):
 * NDJSON lines {"type", "id", "data", "token"}, each the current state of
 * one object as clics_object gives it to this viewer (data: null once it is
 * gone), produced from the contest's scope of the change log. From the
 * beginning of time a reader gets the static objects (judgement types,
 * languages, without a token), then every object of the contest; after a
 * token, every object changed after it. Then it follows the log as changes
 * commit: the caller calls clics_feed_next again whenever the contest's
 * scope changes (see clics_watch.h).
 *
 * - A line's token is the seq of its change (see README.md); only the last
 *   line of a change carries it.
 * - The freeze: a submission's judgement and runs reach a public or other
 *   team's feed only once the viewer may see them; the thaw logs the frozen
 *   submissions again (the moments of contest/clock.c, DB_KIND_CONTEST_STATE),
 *   so they then come like any change, after a resume too.
 * - Awards are derived (from the viewer's board): the feed sends an award
 *   whenever it differs from what this feed sent last, and data: null for one
 *   that is gone.
 * - A submission's `submissions` line is sent once per feed; its judgement
 *   whenever it changes; its runs as they are added.
 * - The `state` line that sets end_of_updates is the feed's last line: once
 *   the contest is finalized and the log caught up, the feed sends it and
 *   ends.
 *
 * One feed belongs to one thread at a time. */
#pragma once
#include <stdint.h>

#include "access.h"
#include "util.h"
#include "db.h"

struct app;
struct clics_feed;

enum clics_feed_open {
	CLICS_FEED_OK,
	CLICS_FEED_NO_CONTEST, /* no such contest, or the user may not see it: 404 */
	CLICS_FEED_BAD_TOKEN,  /* since_token is not a token of this server: 400 */
};

/* A feed of contest `key` for `user` (NULL: the public), after since_token
   (NULL: from the beginning of time). *out is set on CLICS_FEED_OK only. A
   token is valid when it is a decimal seq from 0 to the newest seq. */
enum clics_feed_open clics_feed_open(const struct app *app, const char *key, const struct db_user *user,
				     const char *since_token, struct clics_feed **out);

enum clics_feed_step {
	CLICS_FEED_MORE, /* lines were added and more may follow at once: call again */
	CLICS_FEED_IDLE, /* caught up with the log (perhaps after adding lines): wait for a change */
	CLICS_FEED_END,  /* the end_of_updates line was added (or sent before): the feed is over */
};

/* Appends the next lines (each ending in '\n', about `max` bytes at most, at
   least one whole line) to out. */
enum clics_feed_step clics_feed_next(struct clics_feed *f, struct buf *out, size_t max);
/* The contest the feed follows (for clics_watch.h). */
int64_t clics_feed_contest_id(const struct clics_feed *f);
void clics_feed_free(struct clics_feed *f);
