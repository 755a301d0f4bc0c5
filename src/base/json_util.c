/* JSON helpers: lossy UTF-8, typed field readers with clear messages. */
#include "json_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
static size_t utf8_valid_len(const unsigned char *s, size_t n)
{
	if (s[0] < 0x80)
		return 1;
	size_t len;
	uint32_t cp;
	if ((s[0] & 0xE0) == 0xC0)
		len = 2, cp = s[0] & 0x1F;
	else if ((s[0] & 0xF0) == 0xE0)
		len = 3, cp = s[0] & 0x0F;
	else if ((s[0] & 0xF8) == 0xF0)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	static const uint32_t min_cp[] = {0, 0, 0x80, 0x800, 0x10000};
	if (cp < min_cp[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

json_t *json_string_lossy(const char *s, size_t len)
{
	json_t *j = json_stringn(s, len);
	if (j)
		return j;
	struct buf b;
	buf_init(&b);
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < len;) {
		size_t n = utf8_valid_len(p + i, len - i);
		if (n) {
			buf_add(&b, p + i, n);
			i += n;
		} else {
			buf_adds(&b, "\xEF\xBF\xBD"); /* U+FFFD */
			i++;
		}
	}
	j = json_stringn(b.data ? b.data : "", b.len);
	buf_release(&b);
	return j;
}

void json_buf_string(struct buf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF"; /* as jansson writes them */
	const unsigned char *p = (const unsigned char *)s;
	buf_reserve(out, len + 2);
	buf_add(out, "\"", 1);
	size_t run = 0; /* bytes at p that need no escaping, not yet copied */
	for (size_t i = 0; i < len;) {
		unsigned char c = p[i];
		size_t n = c >= 0x20 && c != '"' && c != '\\' && c < 0x80 ? 1 : c >= 0x80 ? utf8_valid_len(p + i, len - i) : 0;
		if (n > 0 && c >= 0x20) {
			run += n;
			i += n;
			continue;
		}
		buf_add(out, p + i - run, run);
		run = 0;
		if (c >= 0x80) {
			buf_adds(out, "\xEF\xBF\xBD"); /* U+FFFD */
		} else {
			char esc[6] = {'\\', (char)c, 0, 0, 0, 0};
			size_t elen = 2;
			switch (c) {
			case '"': case '\\': break;
			case '\b': esc[1] = 'b'; break;
			case '\f': esc[1] = 'f'; break;
			case '\n': esc[1] = 'n'; break;
			case '\r': esc[1] = 'r'; break;
			case '\t': esc[1] = 't'; break;
			default:
				memcpy(esc + 1, "u00", 3);
				esc[4] = hex[c >> 4];
				esc[5] = hex[c & 15];
				elen = 6;
			}
			buf_add(out, esc, elen);
		}
		i++;
	}
	buf_add(out, p + len - run, run);
	buf_add(out, "\"", 1);
}

void json_buf_int(struct buf *out, int64_t v)
{
	char tmp[24];
	char *end = tmp + sizeof tmp, *q = end;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do
		*--q = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--q = '-';
	buf_add(out, q, (size_t)(end - q));
}

void json_buf_real(struct buf *out, double v)
{
	char tmp[40];
	int n = snprintf(tmp, sizeof tmp, "%.17g", v);
	/* As jansson: no '+' and no leading zeros in the exponent ("1e-7", "1e300"). */
	char *e = strchr(tmp, 'e');
	if (e) {
		char *digits = e + 1 + (e[1] == '-'), *from = e + 2;
		while (*from == '0' && from[1])
			from++;
		memmove(digits, from, strlen(from) + 1);
		n = (int)strlen(tmp);
	}
	buf_add(out, tmp, (size_t)n);
	if (!strpbrk(tmp, ".eE") && isfinite(v))
		buf_add(out, ".0", 2);
}

static int missing(const char *key, bool required, char **err)
{
	if (!required)
		return 0;
	*err = xasprintf("field '%s' is required", key);
	return JSON_E_INVALID;
}

int json_get_string(const json_t *obj, const char *key, bool required, size_t max_len,
		    const char **out, char **err)
{
	json_t *v = json_object_get(obj, key);
	if (!v || (json_is_null(v) && !required))
		return missing(key, required, err);
	if (!json_is_string(v)) {
		*err = xasprintf("field '%s' must be a string", key);
		return JSON_E_INVALID;
	}
	if (json_string_length(v) > max_len) {
		*err = xasprintf("field '%s' is longer than %zu bytes", key, max_len);
		return JSON_E_INVALID;
	}
	if (strlen(json_string_value(v)) != json_string_length(v)) {
		*err = xasprintf("field '%s' must not contain NUL characters", key);
		return JSON_E_INVALID;
	}
	*out = json_string_value(v);
	return 0;
}

int json_get_bytes(const json_t *obj, const char *key, bool required, size_t max_len, const char **out,
		   size_t *len, char **err)
{
	json_t *v = json_object_get(obj, key);
	if (!v || (json_is_null(v) && !required))
		return missing(key, required, err);
	if (!json_is_string(v)) {
		*err = xasprintf("field '%s' must be a string", key);
		return JSON_E_INVALID;
	}
	if (json_string_length(v) > max_len) {
		*err = xasprintf("field '%s' is longer than %zu bytes", key, max_len);
		return JSON_E_INVALID;
	}
	*out = json_string_value(v);
	*len = json_string_length(v);
	return 0;
}

bool json_has_nul(const json_t *v)
{
	const char *key;
	json_t *item;
	size_t i;
	switch (json_typeof(v)) {
	case JSON_STRING:
		return strlen(json_string_value(v)) != json_string_length(v);
	case JSON_OBJECT:
		json_object_foreach((json_t *)v, key, item)
			if (json_has_nul(item))
				return true;
		return false;
	case JSON_ARRAY:
		json_array_foreach(v, i, item)
			if (json_has_nul(item))
				return true;
		return false;
	default:
		return false;
	}
}

int json_get_int(const json_t *obj, const char *key, bool required, int64_t min, int64_t max,
		 int64_t *out, char **err)
{
	json_t *v = json_object_get(obj, key);
	if (!v || (json_is_null(v) && !required))
		return missing(key, required, err);
	if (!json_is_integer(v)) {
		*err = xasprintf("field '%s' must be an integer", key);
		return JSON_E_INVALID;
	}
	json_int_t i = json_integer_value(v);
	if (i < min || i > max) {
		*err = xasprintf("field '%s' must be between %lld and %lld", key, (long long)min, (long long)max);
		return JSON_E_INVALID;
	}
	*out = i;
	return 0;
}

int json_get_number(const json_t *obj, const char *key, bool required, double *out, char **err)
{
	json_t *v = json_object_get(obj, key);
	if (!v || (json_is_null(v) && !required))
		return missing(key, required, err);
	if (!json_is_number(v) || !isfinite(json_number_value(v))) {
		*err = xasprintf("field '%s' must be a number", key);
		return JSON_E_INVALID;
	}
	*out = json_number_value(v);
	return 0;
}

int json_get_bool(const json_t *obj, const char *key, bool required, bool *out, char **err)
{
	json_t *v = json_object_get(obj, key);
	if (!v || (json_is_null(v) && !required))
		return missing(key, required, err);
	if (!json_is_boolean(v)) {
		*err = xasprintf("field '%s' must be true or false", key);
		return JSON_E_INVALID;
	}
	*out = json_is_true(v);
	return 0;
}

