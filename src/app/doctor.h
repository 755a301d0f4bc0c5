/* `verdict doctor`: how a run would be protected on this host, found out
 * without a server by making a sandbox (in a free slot) and running a probe
 * in it, with the toolchains found. */
#pragma once
#include <stdbool.h>

struct config;

/* Prints the table (or, with json, GET /api/judge's "protections" object).
   Returns 0 when judging is possible here, 1 when not. */
int doctor_run(const struct config *cfg, bool json);
