/* Objects read from the database own their strings in one block (`mem`):
   lists of strings read row by row, and the packing of an object's strings. */
#include "db_int.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

void db_strlist_read(sqlite3_stmt *st, struct db_strlist *out)
{
	size_t cap = 0;
	out->items = NULL;
	out->count = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (out->count == cap) {
			cap = cap ? 2 * cap : 8;
			out->items = xrealloc(out->items, cap * sizeof *out->items);
		}
		out->items[out->count++] = xstrdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_reset(st);
}

size_t db_str_size(const char *str)
{
	return str ? strlen(str) + 1 : 0;
}

const char *db_str_copy(char **p, const char *str)
{
	if (!str)
		return NULL;
	size_t n = strlen(str) + 1;
	char *dst = memcpy(*p, str, n);
	*p += n;
	return dst;
}

void *db_pack(const char **const fields[], size_t field_count, struct db_strlist *const lists[], size_t list_count)
{
	size_t pointers = 0, size = 0;
	for (size_t i = 0; i < list_count; i++) {
		pointers += lists[i]->count;
		for (size_t j = 0; j < lists[i]->count; j++)
			size += db_str_size(lists[i]->items[j]);
	}
	for (size_t i = 0; i < field_count; i++)
		size += db_str_size(*fields[i]);
	void *block = xmalloc(pointers * sizeof(const char *) + size + 1);
	const char **slots = block;
	char *p = (char *)(slots + pointers);
	for (size_t i = 0; i < field_count; i++)
		*fields[i] = db_str_copy(&p, *fields[i]);
	for (size_t i = 0; i < list_count; i++) {
		struct db_strlist *l = lists[i];
		for (size_t j = 0; j < l->count; j++) {
			slots[j] = db_str_copy(&p, l->items[j]);
			free((char *)l->items[j]);
		}
		free(l->items);
		l->items = slots;
		slots += l->count;
	}
	return block;
}
