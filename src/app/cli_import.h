/* `verdict problem import PATH`: imports a package without a running server. */
#pragma once
#include "config.h"

/* Returns the exit code: 0 imported, 1 failed (the reason is printed). */
int cli_import(const struct config *cfg, const char *path, const char *slug);
