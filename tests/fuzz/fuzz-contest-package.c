/* libFuzzer harness: a whole contest package zip (contest_package.c): its
 * contest files and the problem packages in problems/<id>/, zipped or as
 * files. Errors must come with a message. */
#include <stdint.h>
#include <stdlib.h>

#include "contest_package.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct contest_package cp;
	contest_package_init(&cp);
	char *err = NULL;
	struct package_limits lim = {8u << 20, 2000, 1u << 20, 100};
	int rc = contest_package_read_zip(&cp, data, size, &lim, &err);
	if (rc == CONTEST_FILES_E_INVALID && (!err || !*err))
		abort();
	for (size_t i = 0; rc == 0 && i < cp.problem_count; i++)
		if (!cp.problems[i].pkg || !contest_package_problem(&cp, cp.problems[i].id))
			abort();
	free(err);
	contest_package_release(&cp);
	return 0;
}
