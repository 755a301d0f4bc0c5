/* The 2023-06 schema rules in C: see clics_rules.h. */
#include "clics_rules.h"

#include <check.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

enum kind {
	K_ID,
	K_STRING,
	K_TIME,
	K_RELTIME,
	K_POSRELTIME,
	K_INT,     /* any integer */
	K_UINT,    /* an integer >= 0 */
	K_POSINT,  /* an integer >= 1 */
	K_NUMBER,
	K_UNUMBER, /* a number >= 0 */
	K_MS,      /* a number >= 0 with at most three decimals (seconds) */
	K_BOOL,
	K_IDS,     /* an array of unique IDs */
	K_STRINGS, /* an array of unique strings */
	K_FILES,   /* an array of file references */
	K_IMAGES,  /* an array of image references */
	K_JTYPE,   /* a judgement type id of common.json */
	K_RGB,
	K_UUID,
	K_COUNTRY,
	K_ENUM,    /* one of `values` */
	K_OBJECT,  /* an object with the properties `sub` */
	K_CUSTOM,  /* checked by the type's own rule */
};

#define REQ 1u  /* required */
#define NUL 2u  /* may be null */

struct prop {
	const char *name;
	enum kind kind;
	unsigned flags;
	const char *const *values;  /* K_ENUM */
	const struct prop *sub;     /* K_OBJECT: NULL-name-terminated */
};

#define END {NULL, K_ID, 0, NULL, NULL}

static const char *const judgement_type_ids[] = {
	"AC", "RE", "WA", "TLE", "RTE", "CE", "APE", "OLE", "PE", "EO", "IO", "NO", "WTL", "ILE", "TCO", "TWA", "TPE",
	"TEO", "TIO", "TNO", "MLE", "SV", "IF", "RCO", "RWA", "RPE", "REO", "RIO", "RNO", "CTL", "JE", "SE", "CS", NULL};
static const char *const scoreboard_types[] = {"pass-fail", "score", NULL};
static const char *const account_types[] = {"team", "judge", "admin", "analyst", "staff", NULL};
static const char *const capabilities[] = {"contest_start", "contest_thaw", "team_submit", "team_clar",
					   "proxy_submit", "proxy_clar", "admin_submit", "admin_clar", NULL};
static const char *const endpoint_types[] = {
	"contest", "judgement-types", "languages", "problems", "groups", "organizations", "persons", "accounts", "teams",
	"state", "submissions", "judgements", "runs", "clarifications", "awards", "commentary", "scoreboard",
	"event-feed", NULL};

static const struct prop location[] = {{"latitude", K_NUMBER, REQ, NULL, NULL},
				       {"longitude", K_NUMBER, REQ, NULL, NULL}, END};
static const struct prop command[] = {{"command", K_STRING, REQ, NULL, NULL}, {"args", K_STRING, 0, NULL, NULL},
				      {"version", K_STRING, 0, NULL, NULL},
				      {"version_command", K_STRING, 0, NULL, NULL}, END};
static const struct prop seat[] = {{"x", K_NUMBER, REQ, NULL, NULL}, {"y", K_NUMBER, REQ, NULL, NULL},
				   {"rotation", K_UNUMBER, REQ, NULL, NULL}, END};
static const struct prop file_ref[] = {{"href", K_STRING, REQ, NULL, NULL}, {"filename", K_STRING, 0, NULL, NULL},
				       {"hash", K_STRING, 0, NULL, NULL}, {"mime", K_STRING, REQ, NULL, NULL},
				       {"width", K_POSINT, 0, NULL, NULL}, {"height", K_POSINT, 0, NULL, NULL}, END};
static const struct prop provider[] = {{"name", K_STRING, REQ, NULL, NULL}, {"version", K_STRING, 0, NULL, NULL},
				       {"logo", K_IMAGES, NUL, NULL, NULL}, END};

static const struct prop contest[] = {
	{"id", K_ID, REQ, NULL, NULL}, {"name", K_STRING, REQ, NULL, NULL}, {"formal_name", K_STRING, 0, NULL, NULL},
	{"start_time", K_TIME, NUL, NULL, NULL}, {"countdown_pause_time", K_POSRELTIME, NUL, NULL, NULL},
	{"duration", K_POSRELTIME, REQ, NULL, NULL}, {"scoreboard_freeze_duration", K_POSRELTIME, NUL, NULL, NULL},
	{"scoreboard_thaw_time", K_TIME, NUL, NULL, NULL},
	{"scoreboard_type", K_ENUM, REQ, scoreboard_types, NULL}, {"penalty_time", K_UINT, 0, NULL, NULL},
	{"banner", K_IMAGES, NUL, NULL, NULL}, {"logo", K_IMAGES, NUL, NULL, NULL},
	{"location", K_OBJECT, NUL, NULL, location}, END};
static const struct prop judgement_type[] = {{"id", K_JTYPE, REQ, NULL, NULL}, {"name", K_STRING, REQ, NULL, NULL},
					     {"penalty", K_BOOL, 0, NULL, NULL}, {"solved", K_BOOL, REQ, NULL, NULL},
					     END};
static const struct prop language[] = {
	{"id", K_ID, REQ, NULL, NULL}, {"name", K_STRING, REQ, NULL, NULL},
	{"entry_point_required", K_BOOL, REQ, NULL, NULL}, {"entry_point_name", K_STRING, NUL, NULL, NULL},
	{"extensions", K_STRINGS, REQ, NULL, NULL}, {"compiler", K_OBJECT, NUL, NULL, command},
	{"runner", K_OBJECT, NUL, NULL, command}, END};
static const struct prop problem[] = {
	{"id", K_ID, REQ, NULL, NULL}, {"uuid", K_UUID, NUL, NULL, NULL}, {"label", K_STRING, REQ, NULL, NULL},
	{"name", K_STRING, REQ, NULL, NULL}, {"ordinal", K_INT, REQ, NULL, NULL}, {"rgb", K_RGB, 0, NULL, NULL},
	{"color", K_STRING, 0, NULL, NULL}, {"time_limit", K_MS, 0, NULL, NULL},
	{"test_data_count", K_UINT, REQ, NULL, NULL}, {"max_score", K_NUMBER, 0, NULL, NULL},
	{"package", K_FILES, NUL, NULL, NULL}, {"statement", K_FILES, NUL, NULL, NULL}, END};
static const struct prop group[] = {{"id", K_ID, REQ, NULL, NULL}, {"icpc_id", K_STRING, NUL, NULL, NULL},
				    {"name", K_STRING, REQ, NULL, NULL}, {"type", K_STRING, NUL, NULL, NULL},
				    {"location", K_OBJECT, NUL, NULL, location}, END};
static const struct prop organization[] = {
	{"id", K_ID, REQ, NULL, NULL}, {"icpc_id", K_STRING, NUL, NULL, NULL}, {"name", K_STRING, REQ, NULL, NULL},
	{"formal_name", K_STRING, NUL, NULL, NULL}, {"country", K_COUNTRY, NUL, NULL, NULL},
	{"country_flag", K_IMAGES, NUL, NULL, NULL}, {"url", K_STRING, NUL, NULL, NULL},
	{"twitter_hashtag", K_STRING, NUL, NULL, NULL}, {"twitter_account", K_STRING, NUL, NULL, NULL},
	{"location", K_OBJECT, NUL, NULL, location}, {"logo", K_IMAGES, NUL, NULL, NULL}, END};
static const struct prop team[] = {
	{"id", K_ID, REQ, NULL, NULL}, {"icpc_id", K_STRING, NUL, NULL, NULL}, {"name", K_STRING, REQ, NULL, NULL},
	{"label", K_STRING, REQ, NULL, NULL}, {"display_name", K_STRING, NUL, NULL, NULL},
	{"organization_id", K_ID, NUL, NULL, NULL}, {"group_ids", K_IDS, NUL, NULL, NULL},
	{"hidden", K_BOOL, NUL, NULL, NULL}, {"location", K_OBJECT, 0, NULL, seat},
	{"photo", K_IMAGES, NUL, NULL, NULL}, {"video", K_FILES, NUL, NULL, NULL}, {"backup", K_FILES, NUL, NULL, NULL},
	{"key_log", K_FILES, NUL, NULL, NULL}, {"tool_data", K_FILES, NUL, NULL, NULL},
	{"desktop", K_FILES, NUL, NULL, NULL}, {"webcam", K_FILES, NUL, NULL, NULL}, {"audio", K_FILES, NUL, NULL, NULL},
	END};
static const struct prop account[] = {
	{"id", K_ID, REQ, NULL, NULL}, {"username", K_STRING, REQ, NULL, NULL}, {"password", K_STRING, NUL, NULL, NULL},
	{"name", K_STRING, 0, NULL, NULL}, {"type", K_ENUM, REQ | NUL, account_types, NULL},
	{"ip", K_STRING, NUL, NULL, NULL}, {"team_id", K_ID, NUL, NULL, NULL}, {"person_id", K_ID, NUL, NULL, NULL},
	END};
static const struct prop submission[] = {
	{"id", K_ID, REQ, NULL, NULL}, {"language_id", K_ID, REQ, NULL, NULL}, {"problem_id", K_ID, REQ, NULL, NULL},
	{"team_id", K_ID, REQ, NULL, NULL}, {"time", K_TIME, REQ, NULL, NULL}, {"contest_time", K_RELTIME, REQ, NULL, NULL},
	{"entry_point", K_STRING, NUL, NULL, NULL}, {"files", K_FILES, REQ, NULL, NULL},
	{"reaction", K_FILES, NUL, NULL, NULL}, END};
static const struct prop judgement[] = {
	{"id", K_ID, REQ, NULL, NULL}, {"submission_id", K_ID, REQ, NULL, NULL},
	{"judgement_type_id", K_JTYPE, NUL, NULL, NULL}, {"score", K_UNUMBER, 0, NULL, NULL},
	{"start_time", K_TIME, REQ, NULL, NULL}, {"start_contest_time", K_RELTIME, REQ, NULL, NULL},
	{"end_time", K_TIME, NUL, NULL, NULL}, {"end_contest_time", K_RELTIME, NUL, NULL, NULL},
	{"max_run_time", K_MS, NUL, NULL, NULL}, END};
static const struct prop run[] = {
	{"id", K_ID, REQ, NULL, NULL}, {"judgement_id", K_ID, REQ, NULL, NULL}, {"ordinal", K_INT, REQ, NULL, NULL},
	{"judgement_type_id", K_JTYPE, REQ, NULL, NULL}, {"time", K_TIME, REQ, NULL, NULL},
	{"contest_time", K_RELTIME, REQ, NULL, NULL}, {"run_time", K_MS, 0, NULL, NULL}, END};
static const struct prop clarification[] = {
	{"id", K_ID, REQ, NULL, NULL}, {"from_team_id", K_ID, NUL, NULL, NULL}, {"to_team_id", K_ID, NUL, NULL, NULL},
	{"reply_to_id", K_ID, NUL, NULL, NULL}, {"problem_id", K_ID, NUL, NULL, NULL}, {"text", K_STRING, REQ, NULL, NULL},
	{"time", K_TIME, REQ, NULL, NULL}, {"contest_time", K_RELTIME, REQ, NULL, NULL}, END};
static const struct prop award[] = {{"id", K_ID, REQ, NULL, NULL}, {"citation", K_STRING, REQ, NULL, NULL},
				    {"team_ids", K_IDS, NUL, NULL, NULL}, END};
static const struct prop state[] = {
	{"started", K_TIME, REQ | NUL, NULL, NULL}, {"frozen", K_TIME, NUL, NULL, NULL},
	{"ended", K_TIME, REQ | NUL, NULL, NULL}, {"thawed", K_TIME, NUL, NULL, NULL},
	{"finalized", K_TIME, REQ | NUL, NULL, NULL}, {"end_of_updates", K_TIME, REQ | NUL, NULL, NULL}, END};
static const struct prop board_score[] = {{"num_solved", K_UINT, 0, NULL, NULL}, {"total_time", K_UINT, 0, NULL, NULL},
					  {"score", K_NUMBER, 0, NULL, NULL}, {"time", K_UINT, 0, NULL, NULL}, END};
static const struct prop board_problem[] = {
	{"problem_id", K_ID, REQ, NULL, NULL}, {"num_judged", K_UINT, REQ, NULL, NULL},
	{"num_pending", K_UINT, REQ, NULL, NULL}, {"solved", K_BOOL, 0, NULL, NULL}, {"score", K_UNUMBER, 0, NULL, NULL},
	{"time", K_UINT, 0, NULL, NULL}, END};
static const struct prop board_row[] = {{"rank", K_POSINT, REQ, NULL, NULL}, {"team_id", K_ID, REQ, NULL, NULL},
					{"score", K_OBJECT, REQ, NULL, board_score},
					{"problems", K_CUSTOM, 0, NULL, NULL}, END};
static const struct prop scoreboard[] = {{"time", K_TIME, REQ, NULL, NULL},
					 {"contest_time", K_RELTIME, REQ, NULL, NULL},
					 {"state", K_OBJECT, REQ, NULL, state}, {"rows", K_CUSTOM, REQ, NULL, NULL}, END};
static const struct prop access_endpoint[] = {{"type", K_ENUM, REQ, endpoint_types, NULL},
					      {"properties", K_CUSTOM, REQ, NULL, NULL}, END};
static const struct prop access[] = {{"capabilities", K_CUSTOM, REQ, NULL, NULL},
				     {"endpoints", K_CUSTOM, REQ, NULL, NULL}, END};
static const struct prop api[] = {{"version", K_STRING, REQ, NULL, NULL}, {"version_url", K_STRING, REQ, NULL, NULL},
				  {"name", K_STRING, 0, NULL, NULL}, {"logo", K_IMAGES, NUL, NULL, NULL},
				  {"provider", K_OBJECT, 0, NULL, provider}, END};

static const struct {
	const char *type;
	const struct prop *props;
	const char *const *filters;
} types[] = {
	{"contests", contest, (const char *const[]){NULL}},
	{"judgement-types", judgement_type, (const char *const[]){NULL}},
	{"languages", language, (const char *const[]){NULL}},
	{"problems", problem, (const char *const[]){NULL}},
	{"groups", group, (const char *const[]){NULL}},
	{"organizations", organization, (const char *const[]){NULL}},
	{"teams", team, (const char *const[]){"organization_id", NULL}},
	{"accounts", account, (const char *const[]){"team_id", "person_id", NULL}},
	{"account", account, (const char *const[]){NULL}},
	{"submissions", submission, (const char *const[]){"language_id", "problem_id", "team_id", NULL}},
	{"judgements", judgement, (const char *const[]){"submission_id", "judgement_type_id", NULL}},
	{"runs", run, (const char *const[]){"judgement_id", "judgement_type_id", NULL}},
	{"clarifications", clarification,
	 (const char *const[]){"from_team_id", "to_team_id", "reply_to_id", "problem_id", NULL}},
	{"awards", award, (const char *const[]){NULL}},
	{"state", state, (const char *const[]){NULL}},
	{"scoreboard", scoreboard, (const char *const[]){NULL}},
	{"access", access, (const char *const[]){NULL}},
	{"api", api, (const char *const[]){NULL}},
};

static bool matches(const char *re, const char *s)
{
	regex_t rx;
	ck_assert_int_eq(regcomp(&rx, re, REG_EXTENDED | REG_NOSUB), 0);
	bool ok = s && regexec(&rx, s, 0, NULL, 0) == 0;
	regfree(&rx);
	return ok;
}

bool clics_is_time(const char *s)
{
	return matches("^[12][0-9]{3}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]\\.[0-9]{3}"
		       "([+-][01][0-9](:[0-5][0-9])?|Z)$",
		       s) &&
	       clics_time_ms(s) > 0;
}

bool clics_is_reltime(const char *s)
{
	return matches("^-?([1-9][0-9]*)?[0-9]:[0-5][0-9]:[0-5][0-9]\\.[0-9]{3}$", s);
}

bool clics_is_id(const char *s)
{
	return matches("^[A-Za-z0-9_]([A-Za-z0-9_.-]{0,34}[A-Za-z0-9_-])?$", s);
}

long long clics_time_ms(const char *s)
{
	struct tm tm = {0};
	int ms = 0, n = 0;
	char zone[8] = "";
	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d.%3d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
			 &tm.tm_min, &tm.tm_sec, &ms, &n) != 7)
		return 0;
	snprintf(zone, sizeof zone, "%s", s + n);
	long long offset = 0;
	if (zone[0] == '+' || zone[0] == '-') {
		int h = 0, m = 0;
		sscanf(zone + 1, "%2d:%2d", &h, &m);
		offset = (h * 60LL + m) * 60000 * (zone[0] == '+' ? 1 : -1);
	}
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (long long)timegm(&tm) * 1000 + ms - offset;
}

long long clics_reltime_ms(const char *s)
{
	int h = 0, m = 0, sec = 0, ms = 0;
	if (!s || sscanf(s + (*s == '-'), "%d:%2d:%2d.%3d", &h, &m, &sec, &ms) != 4)
		return 0;
	long long v = ((h * 60LL + m) * 60 + sec) * 1000 + ms;
	return *s == '-' ? -v : v;
}

static const struct prop *props_of(const char *type)
{
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if (strcmp(types[i].type, type) == 0)
			return types[i].props;
	ck_abort_msg("no CLICS rules for endpoint '%s'", type);
	return NULL;
}

const char *const *clics_filter_properties(const char *type)
{
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if (strcmp(types[i].type, type) == 0)
			return types[i].filters;
	return NULL;
}

static bool in_list(const char *const *list, const char *s)
{
	for (; s && *list; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

static void check_props(const struct prop *props, json_t *o, const char *where);

/* While an object is checked against an access entry: the top level's properties, and the properties the
   entry lists (a required property the access leaves out may be absent: "properties as specified by
   /access"). */
static const struct prop *top;
static json_t *listed;

static bool may_omit(const struct prop *props, const char *name)
{
	if (props != top || !listed)
		return false;
	size_t i;
	json_t *p;
	json_array_foreach(listed, i, p)
		if (strcmp(json_string_value(p), name) == 0)
			return false;
	return true;
}

/* Every item unique (json_equal), as "uniqueItems" wants. */
static void check_unique(json_t *a, const char *where, const char *name)
{
	for (size_t i = 0; i < json_array_size(a); i++)
		for (size_t j = i + 1; j < json_array_size(a); j++)
			ck_assert_msg(!json_equal(json_array_get(a, i), json_array_get(a, j)),
				      "%s: '%s' has items %zu and %zu equal", where, name, i, j);
}

static void check_files(json_t *v, bool images, const char *where, const char *name)
{
	ck_assert_msg(json_is_array(v), "%s: '%s' is no array of files", where, name);
	check_unique(v, where, name);
	size_t i;
	json_t *f;
	char in[512];
	snprintf(in, sizeof in, "%.300s: %s[]", where, name);
	json_array_foreach(v, i, f) {
		ck_assert_msg(json_is_object(f), "%s is no file reference", in);
		check_props(file_ref, f, in);
		if (images) {
			const char *mime = json_string_value(json_object_get(f, "mime"));
			ck_assert_msg(in_list((const char *const[]){"image/png", "image/jpeg", "image/svg+xml", NULL}, mime),
				      "%s: mime '%s' is no image type", in, mime);
			ck_assert_msg(json_object_get(f, "width") && json_object_get(f, "height"),
				      "%s: an image needs width and height", in);
		}
	}
}

static bool is_ms(json_t *v)
{
	if (!json_is_number(v) || json_number_value(v) < 0)
		return false;
	double x = json_number_value(v) * 1000;
	return fabs(x - round(x)) < 1e-6;
}

/* One property's value against its kind (not null). */
static void check_value(const struct prop *p, json_t *v, const char *where)
{
	const char *s = json_string_value(v);
	const char *n = p->name;
	switch (p->kind) {
	case K_ID:
		ck_assert_msg(clics_is_id(s), "%s: '%s' is no ID: %s", where, n, s ? s : "(not a string)");
		break;
	case K_STRING:
		ck_assert_msg(json_is_string(v), "%s: '%s' is no string", where, n);
		break;
	case K_TIME:
		ck_assert_msg(clics_is_time(s), "%s: '%s' is no TIME with three millisecond digits: %s", where, n,
			      s ? s : "(not a string)");
		break;
	case K_RELTIME:
	case K_POSRELTIME:
		ck_assert_msg(clics_is_reltime(s) && (p->kind == K_RELTIME || s[0] != '-'),
			      "%s: '%s' is no %sRELTIME with three millisecond digits: %s", where, n,
			      p->kind == K_POSRELTIME ? "positive " : "", s ? s : "(not a string)");
		break;
	case K_INT:
	case K_UINT:
	case K_POSINT:
		ck_assert_msg(json_is_integer(v), "%s: '%s' is no integer", where, n);
		ck_assert_msg(json_integer_value(v) >= (p->kind == K_INT ? INT64_MIN : p->kind == K_UINT ? 0 : 1),
			      "%s: '%s' is too small: %lld", where, n, (long long)json_integer_value(v));
		break;
	case K_NUMBER:
	case K_UNUMBER:
		ck_assert_msg(json_is_number(v), "%s: '%s' is no number", where, n);
		ck_assert_msg(p->kind == K_NUMBER || json_number_value(v) >= 0, "%s: '%s' is negative", where, n);
		break;
	case K_MS:
		ck_assert_msg(is_ms(v), "%s: '%s' is no number >= 0 with at most three decimals", where, n);
		break;
	case K_BOOL:
		ck_assert_msg(json_is_boolean(v), "%s: '%s' is no boolean", where, n);
		break;
	case K_IDS:
	case K_STRINGS: {
		ck_assert_msg(json_is_array(v), "%s: '%s' is no array", where, n);
		check_unique(v, where, n);
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x)
			ck_assert_msg(p->kind == K_IDS ? clics_is_id(json_string_value(x)) : json_is_string(x),
				      "%s: '%s'[%zu] is no %s", where, n, i, p->kind == K_IDS ? "ID" : "string");
		break;
	}
	case K_FILES:
	case K_IMAGES:
		check_files(v, p->kind == K_IMAGES, where, n);
		break;
	case K_JTYPE:
		ck_assert_msg(in_list(judgement_type_ids, s), "%s: '%s' is no judgement type id: %s", where, n,
			      s ? s : "(not a string)");
		break;
	case K_RGB:
		ck_assert_msg(matches("^#[A-Fa-f0-9]{3}([A-Fa-f0-9]{3})?$", s), "%s: '%s' is no #rgb colour", where, n);
		break;
	case K_UUID:
		ck_assert_msg(matches("^[A-Fa-f0-9]{8}-([A-Fa-f0-9]{4}-){3}[A-Fa-f0-9]{12}$", s), "%s: '%s' is no UUID",
			      where, n);
		break;
	case K_COUNTRY:
		ck_assert_msg(matches("^[A-Z]{3}$", s), "%s: '%s' is no ISO 3166-1 alpha-3 code", where, n);
		break;
	case K_ENUM:
		ck_assert_msg(in_list(p->values, s), "%s: '%s' has the value %s, not one of the schema's", where, n,
			      s ? s : "(not a string)");
		break;
	case K_OBJECT: {
		ck_assert_msg(json_is_object(v), "%s: '%s' is no object", where, n);
		char in[512];
		snprintf(in, sizeof in, "%.300s: %s", where, n);
		check_props(p->sub, v, in);
		break;
	}
	case K_CUSTOM:
		break;
	}
}

/* The properties: each known one of its kind, the required ones present, no other (strict mode). */
static void check_props(const struct prop *props, json_t *o, const char *where)
{
	ck_assert_msg(json_is_object(o), "%s: not an object", where);
	for (const struct prop *p = props; p->name; p++) {
		json_t *v = json_object_get(o, p->name);
		if (!v) {
			ck_assert_msg(!(p->flags & REQ) || may_omit(props, p->name),
				      "%s: the required property '%s' is missing", where, p->name);
			continue;
		}
		if (json_is_null(v))
			ck_assert_msg(p->flags & NUL, "%s: '%s' must not be null", where, p->name);
		else
			check_value(p, v, where);
	}
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v) {
		bool known = false;
		for (const struct prop *p = props; p->name && !known; p++)
			known = strcmp(p->name, k) == 0;
		ck_assert_msg(known, "%s: the property '%s' is not in the 2023-06 schema", where, k);
	}
}

static bool set(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return v && !json_is_null(v);
}

/* The state's moments in order: started < frozen < ended < thawed <= end_of_updates and ended < finalized <=
   end_of_updates, each only once what comes before it has come (the thaw only after a freeze, the end of
   updates only after the thaw of a frozen board). */
static void check_state(json_t *o, const char *where)
{
	enum { STARTED, FROZEN, ENDED, THAWED, FINALIZED, END_OF_UPDATES };
	static const char *const names[] = {"started", "frozen", "ended", "thawed", "finalized", "end_of_updates"};
	/* {before, after, strictly}: after needs before, and comes after it */
	static const struct {
		int before, after;
		bool strict;
	} order[] = {{STARTED, FROZEN, true},      {STARTED, ENDED, true},    {FROZEN, ENDED, true},
		     {FROZEN, THAWED, true},       {ENDED, THAWED, true},     {ENDED, FINALIZED, true},
		     {FINALIZED, END_OF_UPDATES, false}, {THAWED, END_OF_UPDATES, false}};
	long long t[6];
	for (int i = 0; i < 6; i++)
		t[i] = set(o, names[i]) ? clics_time_ms(json_string_value(json_object_get(o, names[i]))) : 0;
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
		int b = order[i].before, a = order[i].after;
		if (!t[a])
			continue;
		/* a contest need not be frozen: then it ends and ends its updates without */
		bool needed = !((b == FROZEN && a == ENDED) || (b == THAWED && a == END_OF_UPDATES && !t[FROZEN]));
		if (!t[b]) {
			ck_assert_msg(!needed, "%s: '%s' is set but '%s' is not", where, names[a], names[b]);
			continue;
		}
		ck_assert_msg(order[i].strict ? t[b] < t[a] : t[b] <= t[a], "%s: '%s' (%s) is not after '%s' (%s)", where,
			      names[a], json_string_value(json_object_get(o, names[a])), names[b],
			      json_string_value(json_object_get(o, names[b])));
	}
}

/* A scoreboard row's problems: solved (pass-fail) or score, time iff solved. */
static void check_board_problems(json_t *list, const char *where)
{
	ck_assert_msg(json_is_array(list), "%s: 'problems' is no array", where);
	size_t i;
	json_t *p;
	json_array_foreach(list, i, p) {
		char in[512];
		snprintf(in, sizeof in, "%.300s: problems[%zu]", where, i);
		check_props(board_problem, p, in);
		bool solved = json_object_get(p, "solved"), score = json_object_get(p, "score");
		ck_assert_msg(solved != score, "%s: exactly one of 'solved' and 'score'", in);
		bool got = solved ? json_is_true(json_object_get(p, "solved"))
				  : json_number_value(json_object_get(p, "score")) != 0;
		ck_assert_msg(got == (json_object_get(p, "time") != NULL), "%s: 'time' %s, but it is %s", in,
			      json_object_get(p, "time") ? "given" : "missing", got ? "solved" : "not solved");
	}
}

static void check_scoreboard(json_t *o, const char *where)
{
	check_state(json_object_get(o, "state"), where);
	json_t *rows = json_object_get(o, "rows");
	ck_assert_msg(json_is_array(rows), "%s: 'rows' is no array", where);
	check_unique(rows, where, "rows");
	size_t i;
	json_t *r;
	long long last_rank = 0;
	json_array_foreach(rows, i, r) {
		char in[512];
		snprintf(in, sizeof in, "%.300s: rows[%zu] (%s)", where, i, json_string_value(json_object_get(r, "team_id")));
		check_props(board_row, r, in);
		json_t *s = json_object_get(r, "score");
		bool pf = json_object_get(s, "num_solved") && json_object_get(s, "total_time");
		ck_assert_msg(pf != (json_object_get(s, "score") != NULL),
			      "%s: the score has num_solved and total_time, or score, not both", in);
		if (json_object_get(r, "problems"))
			check_board_problems(json_object_get(r, "problems"), in);
		long long rank = json_integer_value(json_object_get(r, "rank"));
		ck_assert_msg(rank >= last_rank, "%s: rank %lld after %lld", in, rank, last_rank);
		last_rank = rank;
	}
}

static void check_access(json_t *o, const char *where)
{
	json_t *caps = json_object_get(o, "capabilities"), *eps = json_object_get(o, "endpoints");
	ck_assert_msg(json_is_array(caps), "%s: 'capabilities' is no array", where);
	check_unique(caps, where, "capabilities");
	size_t i, j;
	json_t *v, *p;
	json_array_foreach(caps, i, v)
		ck_assert_msg(in_list(capabilities, json_string_value(v)), "%s: unknown capability %s", where,
			      json_string_value(v));
	ck_assert_msg(json_is_array(eps), "%s: 'endpoints' is no array", where);
	check_unique(eps, where, "endpoints");
	json_array_foreach(eps, i, v) {
		char in[512];
		snprintf(in, sizeof in, "%.300s: endpoints[%zu] (%s)", where, i, json_string_value(json_object_get(v, "type")));
		check_props(access_endpoint, v, in);
		json_t *props = json_object_get(v, "properties");
		ck_assert_msg(json_is_array(props) && json_array_size(props) >= 1, "%s: 'properties' is empty", in);
		check_unique(props, in, "properties");
		json_array_foreach(props, j, p)
			ck_assert_msg(matches("^([a-z][a-z0-9_]*)(\\.[a-z][a-z0-9_]*)*$", json_string_value(p)),
				      "%s: the property name '%s' is malformed", in, json_string_value(p));
	}
}

/* check(type, v, where) with a required property the access entry leaves out allowed to be absent. */
static void as_listed(void (*check)(const char *, json_t *, const char *), const char *type, json_t *v,
		      json_t *access_entry, const char *where)
{
	top = props_of(type);
	listed = access_entry ? json_object_get(access_entry, "properties") : NULL;
	check(type, v, where);
	top = NULL;
	listed = NULL;
}

void clics_check_object_in(const char *type, json_t *o, json_t *access_entry, const char *where)
{
	as_listed(clics_check_object, type, o, access_entry, where);
}

void clics_check_object(const char *type, json_t *o, const char *where)
{
	check_props(props_of(type), o, where);
	if (strcmp(type, "contests") == 0) {
		bool pf = strcmp(json_string_value(json_object_get(o, "scoreboard_type")), "pass-fail") == 0;
		ck_assert_msg(pf == (json_object_get(o, "penalty_time") != NULL),
			      "%s: 'penalty_time' must be given iff the scoreboard type is pass-fail", where);
	} else if (strcmp(type, "languages") == 0) {
		ck_assert_msg(json_is_true(json_object_get(o, "entry_point_required")) ==
				      (json_object_get(o, "entry_point_name") != NULL),
			      "%s: 'entry_point_name' must be given iff 'entry_point_required'", where);
	} else if (strcmp(type, "submissions") == 0) {
		const char *lang = json_string_value(json_object_get(o, "language_id"));
		json_t *ep = json_object_get(o, "entry_point");
		if (strcmp(lang, "java") == 0)
			ck_assert_msg(ep, "%s: a Java submission needs 'entry_point'", where);
		if ((strcmp(lang, "c") == 0 || strcmp(lang, "cpp") == 0) && !may_omit(top, "entry_point"))
			/* absent matches both branches of the oneOf */
			ck_assert_msg(ep && json_is_null(ep), "%s: a C or C++ submission needs \"entry_point\": null",
				      where);
		ck_assert_msg(json_array_size(json_object_get(o, "files")) >= 1 || may_omit(top, "files"),
			      "%s: 'files' is empty", where);
	} else if (strcmp(type, "judgements") == 0) {
		int n = set(o, "judgement_type_id") + set(o, "end_time") + set(o, "end_contest_time");
		ck_assert_msg(n == 0 || n == 3,
			      "%s: judgement_type_id, end_time and end_contest_time must be all set or all null", where);
		if (n == 3)
			ck_assert_msg(clics_time_ms(json_string_value(json_object_get(o, "start_time"))) <=
					      clics_time_ms(json_string_value(json_object_get(o, "end_time"))),
				      "%s: the judgement ends before it starts", where);
	} else if (strcmp(type, "accounts") == 0 || strcmp(type, "account") == 0) {
		json_t *t = json_object_get(o, "type");
		if (json_is_string(t) && strcmp(json_string_value(t), "team") == 0)
			ck_assert_msg(clics_is_id(json_string_value(json_object_get(o, "team_id"))),
				      "%s: a team account needs its 'team_id'", where);
	} else if (strcmp(type, "state") == 0) {
		check_state(o, where);
	} else if (strcmp(type, "scoreboard") == 0) {
		check_scoreboard(o, where);
	} else if (strcmp(type, "access") == 0) {
		check_access(o, where);
	} else if (strcmp(type, "api") == 0) {
		ck_assert_msg(strcmp(json_string_value(json_object_get(o, "version")), "2023-06") == 0,
			      "%s: version is not 2023-06", where);
	}
}

void clics_check_collection_in(const char *type, json_t *list, json_t *access_entry, const char *where)
{
	as_listed(clics_check_collection, type, list, access_entry, where);
}

void clics_check_collection(const char *type, json_t *list, const char *where)
{
	ck_assert_msg(json_is_array(list), "%s: not a bare JSON array", where);
	size_t i, j;
	json_t *o;
	json_array_foreach(list, i, o) {
		char in[512];
		snprintf(in, sizeof in, "%.300s[%zu] (id %s)", where, i, json_string_value(json_object_get(o, "id")));
		clics_check_object(type, o, in);
		for (j = 0; j < i; j++)
			ck_assert_msg(!json_equal(json_object_get(json_array_get(list, j), "id"), json_object_get(o, "id")),
				      "%s: the id is used twice", in);
	}
}
