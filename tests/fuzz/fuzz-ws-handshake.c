/* libFuzzer harness: the WebSocket handshake as the acceptor peeks it, read by
 * ws_parse_head (request_head_parse plus the upgrade and repeated-header
 * rules), then the parts admission reads without the database: the session
 * cookie and the cross-site rule. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "request.h"
#include "ws_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct request_head rh;
	struct handshake h;
	if (!ws_parse_head((const char *)data, size, &rh, &h))
		return 0;
	if (!h.path || strcmp(rh.method, "GET") != 0)
		abort();
	const char *value;
	size_t len;
	if (h.cookie)
		request_cookie(h.cookie, "verdict_session", &value, &len);
	request_cross_site(h.fetch_site, h.origin, h.host);
	request_head_release(&rh);
	return 0;
}
