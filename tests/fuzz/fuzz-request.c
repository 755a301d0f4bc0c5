/* libFuzzer harness: the HTTP request path up to the handler. The input is a
 * request head: parsed by request_head_parse, its cookie, bearer token and
 * cross-site rule read as both servers read them, and its path routed over
 * the real route table. The raw bytes also go through the string helpers. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http_int.h"
#include "request.h"
#include "routes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const method_names[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"};

static enum http_method method_of(const char *name)
{
	for (int i = 0; i < HTTP_OTHER; i++)
		if (strcmp(name, method_names[i]) == 0)
			return (enum http_method)i;
	return HTTP_OTHER;
}

/* What http.c does with a path: find its route, with 405 and bad-id answers. */
static void route(const char *method, const char *path)
{
	struct request_state rs;
	memset(&rs, 0, sizeof rs);
	rs.route_index = -1;
	rs.req.method = method_of(method);
	rs.method = method;
	rs.req.path = path;
	const struct route *r = http_find_route(&api_routes, &rs, path);
	if (r && !rs.res.status && rs.bad_id && rs.bad_id_len == 0)
		abort(); /* a reported bad id is never empty */
	json_decref(rs.res.json);
	free(rs.res.allow);
}

static void head(const char *bytes, size_t len)
{
	struct request_head h;
	if (request_head_parse(&h, bytes, len) != 0)
		return;
	if (h.length > len || h.length > REQUEST_HEAD_MAX)
		abort();
	const char *cookie = request_head_header(&h, "Cookie"), *value;
	size_t value_len;
	if (cookie && request_cookie(cookie, "verdict_session", &value, &value_len) &&
	    value + value_len > cookie + strlen(cookie))
		abort();
	request_bearer(request_head_header(&h, "Authorization"));
	request_cross_site(request_head_header(&h, "Sec-Fetch-Site"), request_head_header(&h, "Origin"),
			   request_head_header(&h, "Host"));
	request_has_token(request_head_header(&h, "Connection"), "upgrade");
	request_head_count(&h, "Host");
	request_head_arg(&h, "token");
	for (size_t i = 0; i < h.arg_count; i++)
		request_head_arg(&h, h.args[i].name);
	route(h.method, h.path);
	request_head_release(&h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	head((const char *)data, size);

	/* The same bytes as one NUL-terminated string: a URL to decode (as
	   libmicrohttpd has it decoded) and route, a header value to read. */
	char *s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	const char *value;
	size_t value_len;
	request_cookie(s, "verdict_session", &value, &value_len);
	request_bearer(s);
	request_has_token(s, "websocket");
	request_same_origin(s, "127.0.0.1:8100");
	request_cross_site(NULL, s, "127.0.0.1:8100");
	if (request_url_decode(s) > size)
		abort();
	route("GET", s);
	route("POST", s);
	free(s);
	return 0;
}
