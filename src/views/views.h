/* The wire format: every object the API sends, written once here and used by
 * REST, WebSocket and (later) CLICS alike. Views read what storage returns and
 * decide nothing; one file per kind of object (page.c, submission.c, ...). */
#pragma once
#include <jansson.h>
#include <stdint.h>

/* The paging envelope {"items", "page", "per_page", "total"}; steals items. */
json_t *view_page(json_t *items, int page, int per_page, int64_t total);
