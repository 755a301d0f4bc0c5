/* The CLICS endpoint types, by their 2023-06 names. */
#pragma once
#include <stdbool.h>

enum clics_type {
	CLICS_CONTEST,
	CLICS_JUDGEMENT_TYPES,
	CLICS_LANGUAGES,
	CLICS_PROBLEMS,
	CLICS_GROUPS,
	CLICS_ORGANIZATIONS,
	CLICS_TEAMS,
	CLICS_ACCOUNTS,
	CLICS_STATE,
	CLICS_SUBMISSIONS,
	CLICS_JUDGEMENTS,
	CLICS_RUNS,
	CLICS_CLARIFICATIONS,
	CLICS_AWARDS,
	CLICS_SCOREBOARD,
	CLICS_TYPE_COUNT
};

/* "contest", "judgement-types", ... (the event feed's `type`, the endpoint's name). */
const char *clics_type_name(enum clics_type t);
/* The type named `name`; false when there is none. */
bool clics_type_of(const char *name, enum clics_type *out);
