/* Request counters by route and status, a latency histogram, and named
 * counters, all plain atomics so the request path never takes a lock. */
#include "metrics.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Series of one family (the same name, different labels) are adjacent. */
static const struct {
	const char *name, *labels, *type, *help;
} metric_names[METRIC_COUNT] = {
	[METRIC_WS_OPEN] = {"verdict_ws_connections", "", "gauge", "Open WebSocket connections."},
	[METRIC_WS_SENT] = {"verdict_ws_messages_sent_total", "", "counter", "WebSocket messages sent."},
	[METRIC_WS_COALESCED] = {"verdict_ws_messages_coalesced_total", "", "counter",
				 "Updates replaced by a newer state of the same submission before sending."},
	[METRIC_WS_DROPPED] = {"verdict_ws_connections_dropped_total", "", "counter",
			       "WebSocket connections closed by the server (dead, too slow, invalid)."},
	[METRIC_WS_RESYNCS] = {"verdict_ws_resyncs_total", "", "counter",
			       "WebSocket subscribers that fell behind and were resynchronised from the database."},
	[METRIC_WS_EVENTS_LINES] = {"verdict_ws_events_lines_total", "", "counter",
				    "CLICS event feed lines made for WebSocket readers."},
	[METRIC_WS_EVENTS_FEED_US] = {"verdict_ws_events_feed_microseconds_total", "", "counter",
				      "Microseconds the WebSocket service thread spent making CLICS event feed lines."},
	[METRIC_WS_EVENTS_FEED_CALLS] = {"verdict_ws_events_feed_batches_total", "", "counter",
					 "Batches of CLICS event feed lines made on the WebSocket service thread."},
	[METRIC_JUDGE_WORKERS] = {"verdict_judge_workers", "", "gauge", "Live judge worker processes."},
	[METRIC_JUDGE_RESTARTS] = {"verdict_judge_worker_restarts_total", "", "counter",
				   "Judge worker deaths (each worker is replaced)."},
	[METRIC_JUDGE_START_FAILURES] = {"verdict_judge_worker_start_failures_total", "", "counter",
					 "Judge workers that died before they were ready, or could not be started."},
	[METRIC_JUDGED] = {"verdict_submissions_judged_total", "", "counter", "Submissions judged to the end."},
	[METRIC_CONNS_OPEN] = {"verdict_connections_open", "", "gauge",
			       "Accepted TCP connections not yet closed (HTTP and WebSocket)."},
	[METRIC_CONNS_OVER_CAP] = {"verdict_rate_limited_total", "{limit=\"conns_per_address\"}", "counter",
				   "Requests and connections refused with 429, by the limit that applied."},
	[METRIC_CONNS_TIMED_OUT] = {"verdict_connections_timed_out_total", "", "counter",
				    "Connections closed at their header, body or first-bytes deadline."},
	[METRIC_CONNS_SHED] = {"verdict_connections_shed_total", "", "counter",
			       "Connections still sending their request head, closed early to free a file descriptor."},
	[METRIC_LIMITED_LOGIN_PAIR] = {"verdict_rate_limited_total", "{limit=\"login_pair\"}", "counter",
				       "Requests and connections refused with 429, by the limit that applied."},
	[METRIC_LIMITED_LOGIN_ADDRESS] = {"verdict_rate_limited_total", "{limit=\"login_address\"}", "counter",
					  "Requests and connections refused with 429, by the limit that applied."},
	[METRIC_LIMITED_LOGIN_BUSY] = {"verdict_rate_limited_total", "{limit=\"login_busy\"}", "counter",
				       "Requests and connections refused with 429, by the limit that applied."},
	[METRIC_LIMITED_SUBMIT_MINUTE] = {"verdict_rate_limited_total", "{limit=\"submissions_per_minute\"}",
					  "counter", "Requests and connections refused with 429, by the limit that applied."},
	[METRIC_LIMITED_SUBMIT_QUEUED] = {"verdict_rate_limited_total", "{limit=\"queued_per_user\"}", "counter",
					  "Requests and connections refused with 429, by the limit that applied."},
};

/* Status codes the server answers with; anything else is counted as "other". */
static const int statuses[] = {101, 200, 201, 202, 204, 304, 400, 401, 403, 404, 405, 409, 413, 415, 426, 429, 431, 500, 503};
#define STATUS_COUNT (int)(sizeof statuses / sizeof statuses[0])

static const double buckets[] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
#define BUCKET_COUNT (int)(sizeof buckets / sizeof buckets[0])

static const char *const *routes;
static int route_count;
/* One row per route, then "other"; sized by metrics_init (until then, "other" only). */
static atomic_llong unrouted[1][STATUS_COUNT + 1];
static atomic_llong (*requests)[STATUS_COUNT + 1] = unrouted;
static atomic_llong latency[BUCKET_COUNT + 1];
static atomic_llong latency_sum_us, latency_count;
static atomic_llong named[METRIC_COUNT];

void metrics_init(const char *const *route_names, int count)
{
	/* Called once, before any request is counted. */
	if (requests != unrouted)
		free(requests);
	requests = xcalloc((size_t)count + 1, sizeof *requests);
	routes = route_names;
	route_count = count;
}

void metrics_request(int route, int status, int64_t duration_us)
{
	int r = route >= 0 && route < route_count ? route : route_count;
	int s = 0;
	while (s < STATUS_COUNT && statuses[s] != status)
		s++;
	atomic_fetch_add_explicit(&requests[r][s], 1, memory_order_relaxed);
	int b = 0;
	while (b < BUCKET_COUNT && duration_us > buckets[b] * 1e6)
		b++;
	atomic_fetch_add_explicit(&latency[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&latency_sum_us, duration_us, memory_order_relaxed);
	atomic_fetch_add_explicit(&latency_count, 1, memory_order_relaxed);
}

void metrics_add(enum metric m, int64_t delta)
{
	atomic_fetch_add_explicit(&named[m], delta, memory_order_relaxed);
}

void metrics_set(enum metric m, int64_t value)
{
	atomic_store_explicit(&named[m], value, memory_order_relaxed);
}

int64_t metrics_get(enum metric m)
{
	return atomic_load_explicit(&named[m], memory_order_relaxed);
}

void metrics_render(struct buf *out)
{
	buf_adds(out, "# HELP verdict_http_requests_total HTTP requests by route and status.\n"
		      "# TYPE verdict_http_requests_total counter\n");
	for (int r = 0; r <= route_count; r++)
		for (int s = 0; s <= STATUS_COUNT; s++) {
			long long n = atomic_load_explicit(&requests[r][s], memory_order_relaxed);
			if (!n)
				continue;
			const char *route = r < route_count ? routes[r] : "other";
			if (s < STATUS_COUNT)
				buf_printf(out, "verdict_http_requests_total{route=\"%s\",status=\"%d\"} %lld\n", route,
					   statuses[s], n);
			else
				buf_printf(out, "verdict_http_requests_total{route=\"%s\",status=\"other\"} %lld\n",
					   route, n);
		}
	buf_adds(out, "# HELP verdict_http_request_duration_seconds HTTP request latency.\n"
		      "# TYPE verdict_http_request_duration_seconds histogram\n");
	long long cumulative = 0;
	for (int b = 0; b <= BUCKET_COUNT; b++) {
		cumulative += atomic_load_explicit(&latency[b], memory_order_relaxed);
		if (b < BUCKET_COUNT)
			buf_printf(out, "verdict_http_request_duration_seconds_bucket{le=\"%g\"} %lld\n", buckets[b],
				   cumulative);
		else
			buf_printf(out, "verdict_http_request_duration_seconds_bucket{le=\"+Inf\"} %lld\n", cumulative);
	}
	buf_printf(out, "verdict_http_request_duration_seconds_sum %.6f\n",
		   (double)atomic_load_explicit(&latency_sum_us, memory_order_relaxed) / 1e6);
	buf_printf(out, "verdict_http_request_duration_seconds_count %lld\n",
		   (long long)atomic_load_explicit(&latency_count, memory_order_relaxed));
	for (int m = 0; m < METRIC_COUNT; m++) {
		if (m == 0 || strcmp(metric_names[m].name, metric_names[m - 1].name) != 0)
			buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", metric_names[m].name, metric_names[m].help,
				   metric_names[m].name, metric_names[m].type);
		buf_printf(out, "%s%s %lld\n", metric_names[m].name, metric_names[m].labels,
			   (long long)atomic_load_explicit(&named[m], memory_order_relaxed));
	}
}
