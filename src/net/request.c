/* Request heads from bytes, URL decoding, query arguments, cookies, bearer
 * tokens and the cross-site rule, shared by the HTTP server and the WebSocket
 * handshake. No I/O: see request.h. */
#include "request.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

static bool is_tchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* The length of the token at s. */
static size_t token_len(const char *s)
{
	size_t n = 0;
	while (is_tchar((unsigned char)s[n]))
		n++;
	return n;
}

/* Control bytes other than HTAB (and DEL) end up in no field we accept. */
static bool has_ctl(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return true;
	}
	return false;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

size_t request_url_decode(char *s)
{
	char *start = s, *o = s;
	for (; *s; s++) {
		if (*s == '%' && hexval(s[1]) >= 0 && hexval(s[2]) >= 0) {
			*o++ = (char)(hexval(s[1]) * 16 + hexval(s[2]));
			s += 2;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
	return (size_t)(o - start);
}

/* A query argument's key or value: '+' is a space, as in forms. */
static void arg_decode(char *s)
{
	for (char *p = s; *p; p++)
		if (*p == '+')
			*p = ' ';
	request_url_decode(s);
}

/* Splits the query (overwritten) into h->args: '&'-separated, empty parts skipped. */
static void parse_query(struct request_head *h, char *query)
{
	size_t cap = 1;
	for (const char *p = query; *p; p++)
		cap += *p == '&';
	h->args = xcalloc(cap, sizeof *h->args);
	for (char *p = query; *p;) {
		size_t n = strcspn(p, "&");
		char *next = p[n] ? p + n + 1 : p + n;
		p[n] = '\0';
		if (n) {
			char *eq = strchr(p, '=');
			if (eq) {
				*eq = '\0';
				arg_decode(eq + 1);
			}
			arg_decode(p);
			h->args[h->arg_count++] = (struct request_field){p, eq ? eq + 1 : NULL};
		}
		p = next;
	}
}

/* "METHOD SP target SP HTTP/d.d", NUL-terminated. */
static int parse_request_line(struct request_head *h, char *line)
{
	size_t m = token_len(line);
	if (!m || line[m] != ' ')
		return REQUEST_E_MALFORMED;
	line[m] = '\0';
	h->method = line;
	char *target = line + m + 1;
	size_t t = strcspn(target, " ");
	if (!t || target[t] != ' ')
		return REQUEST_E_MALFORMED;
	target[t] = '\0';
	char *version = target + t + 1;
	if (strlen(version) != 8 || strncmp(version, "HTTP/", 5) != 0 || version[5] < '0' || version[5] > '9' ||
	    version[6] != '.' || version[7] < '0' || version[7] > '9')
		return REQUEST_E_MALFORMED;
	h->version = version;
	/* The target stays as sent; path and query are decoded from a copy of it
	   laid out after the head's text (see request_head_parse). */
	h->target = target;
	return 0;
}

/* "name: value" (NUL-terminated) into h->headers. */
static int parse_header(struct request_head *h, char *line)
{
	size_t n = token_len(line);
	if (!n || line[n] != ':')
		return REQUEST_E_MALFORMED; /* also a folded line, which starts with a blank */
	line[n] = '\0';
	char *v = line + n + 1;
	v += strspn(v, " \t");
	for (char *e = v + strlen(v); e > v && (e[-1] == ' ' || e[-1] == '\t');)
		*--e = '\0';
	h->headers[h->header_count++] = (struct request_field){line, v};
	return 0;
}

int request_head_parse(struct request_head *h, const char *bytes, size_t len)
{
	memset(h, 0, sizeof *h);
	size_t window = len < REQUEST_HEAD_MAX ? len : REQUEST_HEAD_MAX;
	const char *end = memmem(bytes, window, "\r\n\r\n", 4);
	if (!end)
		return len >= REQUEST_HEAD_MAX ? REQUEST_E_TOO_LARGE : REQUEST_E_INCOMPLETE;
	size_t head_len = (size_t)(end - bytes) + 4;
	if (memchr(bytes, '\0', head_len))
		return REQUEST_E_MALFORMED;
	/* The head's text, then a copy of the request target to decode in place. */
	char *text = xmalloc(2 * head_len + 1);
	memcpy(text, bytes, head_len);
	text[head_len] = '\0';
	size_t lines = 0;
	for (const char *p = text; (p = strstr(p, "\r\n")); p += 2)
		lines++;
	h->text = text;
	h->length = head_len;
	h->headers = xcalloc(lines, sizeof *h->headers);
	int rc = 0;
	char *line = text;
	for (size_t i = 0; rc == 0; i++) {
		char *eol = strstr(line, "\r\n");
		size_t n = (size_t)(eol - line);
		if (!n && i > 0)
			break; /* the empty line ends the head */
		if (!n || has_ctl(line, n)) {
			rc = REQUEST_E_MALFORMED; /* no request line, a bare CR or LF, another control byte */
			break;
		}
		*eol = '\0';
		rc = i == 0 ? parse_request_line(h, line) : parse_header(h, line);
		line = eol + 2;
	}
	if (rc == 0) {
		char *copy = text + head_len + 1;
		strcpy(copy, h->target);
		char *query = strchr(copy, '?');
		if (query)
			*query++ = '\0';
		request_url_decode(copy);
		h->path = copy;
		parse_query(h, query ? query : copy + strlen(copy));
	}
	if (rc)
		request_head_release(h);
	return rc;
}

void request_head_release(struct request_head *h)
{
	free(h->text);
	free(h->headers);
	free(h->args);
	memset(h, 0, sizeof *h);
}

const char *request_head_header(const struct request_head *h, const char *name)
{
	for (size_t i = 0; i < h->header_count; i++)
		if (strcasecmp(h->headers[i].name, name) == 0)
			return h->headers[i].value;
	return NULL;
}

size_t request_head_count(const struct request_head *h, const char *name)
{
	size_t n = 0;
	for (size_t i = 0; i < h->header_count; i++)
		n += strcasecmp(h->headers[i].name, name) == 0;
	return n;
}

const char *request_head_arg(const struct request_head *h, const char *key)
{
	for (size_t i = 0; i < h->arg_count; i++)
		if (strcmp(h->args[i].name, key) == 0)
			return h->args[i].value;
	return NULL;
}

bool request_has_token(const char *value, const char *token)
{
	size_t n = strlen(token);
	for (const char *p = value; p && *p;) {
		p += strspn(p, " \t,");
		size_t len = strcspn(p, ",");
		size_t trim = len;
		while (trim && (p[trim - 1] == ' ' || p[trim - 1] == '\t'))
			trim--;
		if (trim == n && strncasecmp(p, token, n) == 0)
			return true;
		p += len;
	}
	return false;
}

bool request_cookie(const char *header, const char *name, const char **value, size_t *len)
{
	size_t n = strlen(name);
	for (const char *p = header; p && *p;) {
		p += strspn(p, " ");
		size_t pair = strcspn(p, ";");
		if (pair > n && strncmp(p, name, n) == 0 && p[n] == '=') {
			*value = p + n + 1;
			*len = pair - n - 1;
			return true;
		}
		p += pair;
		if (*p == ';')
			p++;
	}
	return false;
}

const char *request_bearer(const char *authorization)
{
	return authorization && strncasecmp(authorization, "Bearer ", 7) == 0 ? authorization + 7 : NULL;
}

bool request_same_origin(const char *origin, const char *host)
{
	size_t scheme = strncasecmp(origin, "http://", 7) == 0 ? 7 : strncasecmp(origin, "https://", 8) == 0 ? 8 : 0;
	if (!scheme || !host)
		return false; /* "null" and anything else */
	const char *authority = origin + scheme;
	return *authority && !strchr(authority, '/') && strcasecmp(authority, host) == 0;
}

bool request_cross_site(const char *fetch_site, const char *origin, const char *host)
{
	if (fetch_site && strcmp(fetch_site, "same-origin") != 0 && strcmp(fetch_site, "none") != 0)
		return true;
	return origin && !request_same_origin(origin, host);
}
