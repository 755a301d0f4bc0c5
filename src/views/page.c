/* The paging envelope of every list, as a json_t and as text. */
#include "views.h"

#include "json_util.h"

json_t *view_page(json_t *items, int page, int per_page, int64_t total)
{
	return json_pack("{s:o, s:i, s:i, s:I}", "items", items, "page", page, "per_page", per_page,
			 "total", (json_int_t)total);
}

void view_list_begin(struct view_list *l)
{
	buf_init(&l->buf);
	buf_reserve(&l->buf, 16384);
	buf_adds(&l->buf, "{\"items\":[");
	l->count = 0;
}

void view_list_item(struct view_list *l)
{
	if (l->count++)
		buf_add(&l->buf, ",", 1);
}

char *view_list_end(struct view_list *l, int page, int per_page, int64_t total, size_t *len)
{
	buf_adds(&l->buf, "],\"page\":");
	json_buf_int(&l->buf, page);
	buf_adds(&l->buf, ",\"per_page\":");
	json_buf_int(&l->buf, per_page);
	buf_adds(&l->buf, ",\"total\":");
	json_buf_int(&l->buf, total);
	buf_add(&l->buf, "}", 1);
	return buf_detach(&l->buf, len);
}
