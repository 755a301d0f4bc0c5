/* What the change log sends to sockets: the topics each change goes to, its
 * messages (written by the views, once), and the replay of a topic from the
 * change log. The only part of live/ that knows what a submission is.
 *
 * Topics today: a problem's submissions (its submissions' states), one
 * submission (its states and its test results), and a contest's
 * clarifications per audience (jury, one team, public), so that a message
 * reaches only the sockets of viewers who may see it. An end of sessions goes to
 * the hub's owner (hub_user_sessions_ended), which closes their sockets. A
 * change of another kind (a problem, a user) has no topic yet and is not
 * published. */
#pragma once
#include <stdint.h>

#include "db.h"
#include "hub.h"

enum feed_topic {
	FEED_PROBLEM_SUBMISSIONS = 1, /* id: the problem */
	FEED_SUBMISSION,              /* id: the submission */
	/* A contest's clarifications, one topic per audience: a socket takes its viewer's. */
	FEED_CLARS_JURY = 16,         /* id: the contest; every clarification */
	FEED_CLARS_TEAM,              /* id: the team; its requests, replies to it, and those to all */
	FEED_CLARS_PUBLIC,            /* id: the contest; those to all */
};

/* A hub whose replays come from the change log of db. */
struct hub *feed_hub_new(struct db *db);
/* A db_change_hook (ctx: the hub): publishes the change's messages to its topics.
   Skips all work while nobody listens. */
void feed_on_change(void *hub, struct db *db, const struct db_change *change);
