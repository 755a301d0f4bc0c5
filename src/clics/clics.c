#include "clics.h"

#include <string.h>

static const char *const names[CLICS_TYPE_COUNT] = {
	[CLICS_CONTEST] = "contest",
	[CLICS_JUDGEMENT_TYPES] = "judgement-types",
	[CLICS_LANGUAGES] = "languages",
	[CLICS_PROBLEMS] = "problems",
	[CLICS_GROUPS] = "groups",
	[CLICS_ORGANIZATIONS] = "organizations",
	[CLICS_TEAMS] = "teams",
	[CLICS_ACCOUNTS] = "accounts",
	[CLICS_STATE] = "state",
	[CLICS_SUBMISSIONS] = "submissions",
	[CLICS_JUDGEMENTS] = "judgements",
	[CLICS_RUNS] = "runs",
	[CLICS_CLARIFICATIONS] = "clarifications",
	[CLICS_AWARDS] = "awards",
	[CLICS_SCOREBOARD] = "scoreboard",
};

const char *clics_type_name(enum clics_type t)
{
	return (unsigned)t < CLICS_TYPE_COUNT ? names[t] : NULL;
}

bool clics_type_of(const char *name, enum clics_type *out)
{
	for (int t = 0; t < CLICS_TYPE_COUNT; t++)
		if (strcmp(names[t], name) == 0) {
			*out = (enum clics_type)t;
			return true;
		}
	return false;
}
