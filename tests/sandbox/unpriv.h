/* The sandbox tests' --unprivileged mode: as root, the suite runs again as
 * nobody (setpriv), from a copy of its binary and of its fixture's source in
 * a world-readable directory (nobody may not reach the build directory). */
#pragma once

/* Re-runs this binary as nobody with "--unprivileged", SBX_TEST_UNPRIV=1 and
 * src_env naming the copy of src; returns its exit status (77 without
 * setpriv, 1 when the copies cannot be made). */
int sbx_test_rerun_unprivileged(const char *name, const char *src, const char *src_env);
