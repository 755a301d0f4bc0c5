/* `verdict serve`: wires the database, judge, HTTP and WebSocket servers
 * together and runs until SIGTERM or SIGINT. */
#pragma once
#include "config.h"

/* Returns the process exit code: 0 after a clean shutdown, 1 on failure. */
int server_run(const struct config *cfg);
