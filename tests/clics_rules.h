/* The rules of the CLICS Contest API 2023-06 JSON schemas, written in C for
 * the tests (the schemas themselves may not be copied into the project):
 * each endpoint's properties (required ones, types, no others in strict
 * mode), TIME with exactly three millisecond digits, RELTIME, the ID rule
 * (at most 36 of [A-Za-z0-9_.-], not starting with '-' or '.', not ending
 * with '.'), and the rules across properties (penalty_time iff pass-fail,
 * entry_point null for C and C++, a judgement's judgement_type_id, end_time
 * and end_contest_time all set or all null, a team account's team_id, a
 * scoreboard problem's time iff solved, the state's order started < frozen <
 * ended < thawed < end_of_updates and ended < finalized < end_of_updates).
 * Where the 2023-06 text and its schemas differ, the text wins: the contest's
 * scoreboard_thaw_time is allowed (the schema of branch 2023-06 lacks it; it
 * was added upstream in icpc/ccs-specs 22a1164, on master).
 * A failure fails the test (ck_assert) and names `where` and the property. */
#pragma once
#include <jansson.h>
#include <stdbool.h>

/* One object of endpoint `type`: "contests" (the contest object), "state",
   "scoreboard", "access", "account", "api", or a collection's name
   ("teams", ...) for one of its objects. */
void clics_check_object(const char *type, json_t *o, const char *where);
/* A collection: a bare array of objects of `type`, ids unique. */
void clics_check_collection(const char *type, json_t *list, const char *where);
/* The same for a viewer whose access lists the type as access_entry ({"type", "properties"}): a required
   property the entry leaves out may be absent (objects have the properties /access specifies; the CCS
   requirements keep submissions' files and entry_point from the public, say). */
void clics_check_object_in(const char *type, json_t *o, json_t *access_entry, const char *where);
void clics_check_collection_in(const char *type, json_t *list, json_t *access_entry, const char *where);

/* The ID properties of a collection's objects that filtering applies to
   (every property of type ID but `id`), NULL-terminated; NULL for an unknown type. */
const char *const *clics_filter_properties(const char *type);

/* Pattern checks. */
bool clics_is_time(const char *s);     /* yyyy-mm-ddThh:mm:ss.uuu with Z or [+-]hh(:mm)? */
bool clics_is_reltime(const char *s);  /* (-)?h*h:mm:ss.uuu */
bool clics_is_id(const char *s);
/* A TIME in ms since the epoch (0 if s is no TIME). */
long long clics_time_ms(const char *s);
/* A RELTIME in ms (0 if s is no RELTIME). */
long long clics_reltime_ms(const char *s);
