/* `serve --demo`: an admin and a sample problem on a fresh data dir. */
#pragma once
#include "db.h"

/* Creates user "admin" with a random password (printed to stdout) when there
   are no users, and the problem "sum" (A plus B) when there are no problems.
   Returns 0 or negative errno. */
int demo_seed(struct db *db);
