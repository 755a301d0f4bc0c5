/* libFuzzer harness: the contest package files and class rosters. The first
 * byte picks the reader (a file name of contest_files_add, or the roster);
 * the rest is the file. Errors must come with a message, and whatever the
 * store reports missing is explained without reading out of bounds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "contest_files.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {"teams.json", "organizations.json", "groups.json", "accounts.yaml",
					    "accounts.json", "contest.yaml", "contest.json", "problems.yaml",
					    "problems.json", "problemset.yaml", NULL};
	if (size < 1)
		return 0;
	size_t pick = data[0] % (sizeof names / sizeof names[0]);
	struct contest_files cf;
	contest_files_init(&cf);
	char *err = NULL;
	int rc = names[pick] ? contest_files_add(&cf, names[pick], (const char *)data + 1, size - 1, &err)
			     : contest_files_roster(&cf, "roster.csv", (const char *)data + 1, size - 1, &err);
	if (rc == CONTEST_FILES_E_INVALID && (!err || !*err))
		abort();
	if (rc == 0) {
		for (size_t i = 0; i < cf.team_count; i++) {
			free(contest_files_where(&cf, cf.teams[i].key, true));
			for (size_t j = 0; j < cf.teams[i].group_count; j++)
				free(contest_files_where(&cf, cf.teams[i].groups[j], false));
		}
		for (size_t i = 0; i < cf.account_count; i++)
			free(contest_files_where(&cf, cf.accounts[i].username, true));
	}
	free(err);
	contest_files_release(&cf);
	return 0;
}
