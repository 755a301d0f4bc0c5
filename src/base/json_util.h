/* JSON helpers on top of jansson: lossy strings from arbitrary bytes, and
 * typed field readers that explain what is wrong with a request body. */
#pragma once
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errors.h" /* JSON_E_INVALID */

/* A JSON string of bytes that may not be UTF-8: invalid sequences become U+FFFD. New reference. */
json_t *json_string_lossy(const char *s, size_t len);

/* Field readers for request validation. Each returns 0 when the field is
   absent (and leaves *out alone) or valid (and sets *out), or JSON_E_INVALID with *err set
   (malloc'd, e.g. "field 'slug' must be a string") when it has the wrong type
   or is out of range. `required` makes an absent field an error too. */
int json_get_string(const json_t *obj, const char *key, bool required, size_t max_len,
		    const char **out, char **err);
int json_get_int(const json_t *obj, const char *key, bool required, int64_t min, int64_t max,
		 int64_t *out, char **err);
/* As json_get_string, but the string may hold NUL bytes: *len gets its length. */
int json_get_bytes(const json_t *obj, const char *key, bool required, size_t max_len, const char **out,
		   size_t *len, char **err);
int json_get_number(const json_t *obj, const char *key, bool required, double *out, char **err);
int json_get_bool(const json_t *obj, const char *key, bool required, bool *out, char **err);

/* Whether a string anywhere in v holds a NUL byte (parsed with JSON_ALLOW_NUL). */
bool json_has_nul(const json_t *v);

struct buf;
/* Appends s (len bytes of anything) to out as a JSON string literal, quotes
   included; invalid UTF-8 becomes U+FFFD as in json_string_lossy. For answers
   written as text without building json_t objects (the hot list endpoints). */
void json_buf_string(struct buf *out, const char *s, size_t len);
/* Appends an integer, and a real the way jansson writes one ("%.17g", with
   ".0" added to a whole number so that it reads back as a real). */
void json_buf_int(struct buf *out, int64_t v);
void json_buf_real(struct buf *out, double v);

