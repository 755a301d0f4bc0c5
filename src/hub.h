/* In-process publish/subscribe between the judge and the WebSocket sockets.
 * Producers (any thread) publish the new state of a submission; the hub
 * serialises it once and fans it out to the subscribers of its topics (the
 * submission's problem, the submission itself). */
#pragma once
#include <jansson.h>
#include <stdint.h>

struct db;
struct hub;

struct hub *hub_new(void);
void hub_free(struct hub *hub);
/* Publishes a "submission_update" message (borrowed). Thread-safe. */
void hub_publish_update(struct hub *hub, const json_t *update);
/* Publishes a "test_result" message (borrowed). Thread-safe. */
void hub_publish_test(struct hub *hub, const json_t *test_result);
/* Reads the submission's current state from the database and publishes it. */
void hub_publish_submission(struct hub *hub, struct db *db, int64_t submission_id);
