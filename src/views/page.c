/* The paging envelope of every list. */
#include "views.h"

json_t *view_page(json_t *items, int page, int per_page, int64_t total)
{
	return json_pack("{s:o, s:i, s:i, s:I}", "items", items, "page", page, "per_page", per_page,
			 "total", (json_int_t)total);
}
