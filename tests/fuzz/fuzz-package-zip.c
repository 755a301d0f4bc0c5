/* libFuzzer harness: a whole Kattis package from the bytes of a zip archive:
 * the loader (libarchive, the hostile-archive rules, the limits) and then
 * kattis.c (problem.yaml, testdata.yaml, statements, validators, tests,
 * groups), as POST /api/problems/import and `verdict problem import` read it.
 * Small limits keep each run fast and reach the limit checks. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "package.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct package_limits lim = {8u << 20, 500, 2u << 20, 0};
	struct package *p = NULL;
	char *err = NULL;
	int rc = package_read_zip(data, size, &lim, &p, &err);
	if ((rc == 0) != (p != NULL) || (rc == PACKAGE_E_INVALID) != (err != NULL))
		abort(); /* success gives a package, a bad package a message */
	if (p) {
		size_t in_groups = 0;
		for (size_t i = 0; i < p->group_count; i++)
			in_groups += p->groups[i].test_count;
		if (!p->name || !p->statement || in_groups != p->test_count)
			abort();
	}
	package_free(p);
	free(err);
	return 0;
}
