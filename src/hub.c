/* Publish/subscribe hub. Until the WebSocket side subscribes, publishing only counts. */
#include "hub.h"

#include <stdatomic.h>
#include <stdlib.h>

#include "db.h"
#include "util.h"

struct hub {
	atomic_llong published;
};

struct hub *hub_new(void)
{
	return xcalloc(1, sizeof(struct hub));
}

void hub_free(struct hub *hub)
{
	free(hub);
}

void hub_publish_update(struct hub *hub, const json_t *update)
{
	if (hub && update)
		atomic_fetch_add(&hub->published, 1);
}

void hub_publish_test(struct hub *hub, const json_t *test_result)
{
	if (hub && test_result)
		atomic_fetch_add(&hub->published, 1);
}

void hub_publish_submission(struct hub *hub, struct db *db, int64_t submission_id)
{
	json_t *update = db_submission_update_json(db, submission_id);
	hub_publish_update(hub, update);
	json_decref(update);
}
