/* Publish/subscribe hub. Until the WebSocket side subscribes, publishing only counts. */
#include "hub.h"

#include <stdatomic.h>
#include <stdlib.h>

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

void hub_on_change(void *arg, const json_t *update, const json_t *test)
{
	struct hub *hub = arg;
	if (hub && update)
		atomic_fetch_add(&hub->published, test ? 2 : 1);
}
