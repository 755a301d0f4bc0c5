/* `serve --demo`: an admin, a sample problem and a running contest on a fresh data dir. */
#pragma once
#include "db.h"

/* Creates user "admin" with a random password (printed to stdout) when there
   are no users, the problem "sum" (A plus B) when there are no problems, and
   a running public contest "demo" with teams team1..team3 (accounts of the
   same names, passwords printed) when there are no contests.
   Returns 0 or negative errno. */
int demo_seed(struct db *db);
