/* Process-wide counters for /metrics (Prometheus text format). Updates are
 * lock-free atomics and may come from any thread. */
#pragma once
#include <stdint.h>

#include "util.h"

/* Named counters and gauges that modules other than HTTP report.
   Add new ones here and in metric_names[] (metrics.c). */
enum metric {
	METRIC_WS_OPEN,          /* gauge: open WebSocket connections */
	METRIC_WS_SENT,          /* counter: WebSocket messages sent */
	METRIC_WS_COALESCED,     /* counter: updates replaced by a newer one before sending */
	METRIC_WS_DROPPED,       /* counter: connections dropped (dead, too slow, protocol errors) */
	METRIC_WS_RESYNCS,       /* counter: subscribers that fell behind and were resynchronised from the database */
	METRIC_WS_EVENTS_LINES,  /* counter: CLICS event feed lines made for WebSocket readers */
	METRIC_WS_EVENTS_FEED_US, /* counter: microseconds the WebSocket service thread spent making them */
	METRIC_WS_EVENTS_FEED_CALLS, /* counter: its clics_feed_next calls (one batch each) */
	METRIC_JUDGE_WORKERS,    /* gauge: live judge workers */
	METRIC_JUDGE_RESTARTS,   /* counter: worker deaths (each is replaced) */
	METRIC_JUDGE_START_FAILURES, /* counter: workers that died before they were ready, or could not be started */
	METRIC_JUDGED,           /* counter: submissions judged to the end */
	METRIC_CONNS_OPEN,       /* gauge: accepted TCP connections not yet closed (HTTP and WebSocket) */
	METRIC_CONNS_TIMED_OUT,  /* counter: connections closed at their header, body or first-bytes deadline */
	METRIC_CONNS_SHED,       /* counter: connections still sending their head, closed early to free a descriptor */
	METRIC_CONNS_OVER_CAP,   /* counter: connections refused (429) over the per-address cap */
	METRIC_LIMITED_LOGIN_PAIR,    /* counter: logins refused for failures of that name from that address */
	METRIC_LIMITED_LOGIN_ADDRESS, /* counter: logins refused for failures from that address */
	METRIC_LIMITED_LOGIN_BUSY,    /* counter: logins refused because the hashing threads were all busy */
	METRIC_LIMITED_SUBMIT_MINUTE, /* counter: submissions refused over --submissions-per-minute */
	METRIC_LIMITED_SUBMIT_QUEUED, /* counter: submissions refused over --queued-per-user */
	METRIC_COUNT
};

/* Sizes the request counters for route_count routes (once, before any request
   is counted). Route names are borrowed and must outlive the process. */
void metrics_init(const char *const *route_names, int route_count);
/* Records one HTTP request: route index (or -1 for none), status, duration. */
void metrics_request(int route, int status, int64_t duration_us);
void metrics_add(enum metric m, int64_t delta);
void metrics_set(enum metric m, int64_t value);
int64_t metrics_get(enum metric m);
/* Appends the HTTP and named metrics in Prometheus text format. */
void metrics_render(struct buf *out);
