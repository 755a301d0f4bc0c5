/* A stored problem written back as a Kattis problem package (a zip that
 * package_read_zip reads into the same problem): problem.yaml with the name,
 * limits, type and validator flags; the statement; every test, samples and
 * hidden ones, under data/ with test_group.yaml max_score for the points of a
 * scoring problem; a Python output validator as its source. The checker maps
 * onto the Kattis default validator's flags (tokens: case_sensitive; exact:
 * case_sensitive space_change_sensitive; float: case_sensitive and the
 * tolerances), which judge alike.
 *
 * A compiled C or C++ validator cannot be written back: verdict keeps only its
 * binary. Return convention: 0, PACKAGE_E_INVALID with *err (such a
 * validator), DB_E_NOT_FOUND (no such problem), or a negative errno. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "errors.h"

/* The package of problem `id` as a zip: *zip malloc'd. */
int package_export_zip(struct db *db, int64_t id, char **zip, size_t *len, char **err);
