/* The REST route table (routes.c), read by http.c. */
#pragma once
#include "http.h"


extern const struct route routes[];
extern const int route_count;
/* The table and the web UI fallback, as the HTTP server takes them. */
extern const struct http_routes api_routes;
