/* What the change log sends to sockets: the topics each change goes to, its
 * messages (written by the views, once), and the replay of a topic from the
 * change log, and the scoreboards' changed rows (told by the boards) with
 * their replay from the boards. The only part of live/ that knows what a
 * submission or a scoreboard is.
 *
 * Topics today: a problem's submissions (its submissions' states), one
 * submission (its states and its test results), a contest's public and
 * jury scoreboards and a team's own row, and a contest's clarifications per
 * audience (jury, one team, public), so that a message reaches only the
 * sockets of viewers who may see it. An end of sessions goes to
 * the hub's owner (hub_user_sessions_ended), which closes their sockets. A
 * change of another kind (a problem, a user) has no topic yet and is not
 * published. */
#pragma once
#include <stdint.h>

#include "boards.h"
#include "db.h"
#include "hub.h"

enum feed_topic {
	FEED_PROBLEM_SUBMISSIONS = 1, /* id: the problem */
	FEED_SUBMISSION,              /* id: the submission */
	FEED_BOARD_PUBLIC,            /* id: the contest; its public board's changed rows */
	FEED_BOARD_JURY,              /* id: the contest; its jury board's changed rows */
	FEED_BOARD_TEAM,              /* id: the team; its own row in its view (a team's socket has the
					 public topic too: the own row from here replaces the public one) */
	/* A contest's clarifications, one topic per audience: a socket takes its viewer's. */
	FEED_CLARS_JURY = 16,         /* id: the contest; every clarification */
	FEED_CLARS_TEAM,              /* id: the team; its requests, replies to it, and those to all */
	FEED_CLARS_PUBLIC,            /* id: the contest; those to all */
};

/* A hub whose replays come from the change log of db and, for scoreboards,
   from boards (may be NULL: no scoreboards). */
struct hub *feed_hub_new(struct db *db, struct boards *boards);
/* A boards_listener (ctx: the hub): publishes a board's changed rows to its
   topics (see feed.c, "Scoreboards"). */
void feed_on_board(void *hub, enum boards_what what, const struct boards_view *v);
/* A db_change_hook (ctx: the hub): publishes the change's messages to its topics.
   Skips all work while nobody listens. */
void feed_on_change(void *hub, struct db *db, const struct db_change *change);
