/* In-process publish/subscribe between the judge and the WebSocket sockets.
 * The database calls hub_on_change after every commit that changed
 * submissions, in seq order (see db_set_change_hook); the hub serialises each
 * message once and fans it out to the subscribers of its topics (the
 * submission's problem, the submission itself). */
#pragma once
#include <jansson.h>
#include <stdint.h>

struct hub;

struct hub *hub_new(void);
void hub_free(struct hub *hub);
/* A db_change_hook: `update` is a "submission_update" message, `test` a
   "test_result" message or NULL; both borrowed. Thread-safe, never blocks on
   subscribers. */
void hub_on_change(void *hub, const json_t *update, const json_t *test);
