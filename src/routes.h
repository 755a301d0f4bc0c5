/* The REST route table (routes.c), read by http.c. */
#pragma once
#include "http.h"

enum route_auth { ROUTE_PUBLIC, ROUTE_USER, ROUTE_ADMIN };
enum route_body { ROUTE_NO_BODY, ROUTE_JSON, ROUTE_ZIP };

struct route {
	enum http_method method;
	const char *pattern;  /* "/api/problems/{id}"; also the metrics label */
	http_handler handler;
	enum route_auth auth;
	enum route_body body;
};

extern const struct route routes[];
extern const int route_count;
