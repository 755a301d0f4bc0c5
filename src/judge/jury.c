/* Verifying a package against its jury submissions, and the derived time limit (see jury.h). */
#include "jury.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "scoring.h"
#include "util.h"

int64_t jury_time_limit_ms(int64_t slowest_ac_ms, double ac_to_time_limit, double time_resolution)
{
	if (!(time_resolution > 0))
		time_resolution = 1;
	double exact = (double)slowest_ac_ms / 1000.0 * ac_to_time_limit;
	/* A hair below a whole multiple stays that multiple despite rounding of the product. */
	double units = ceil(exact / time_resolution - 1e-9);
	if (units < 1)
		units = 1;
	return llround(units * time_resolution * 1000.0);
}

struct rows {
	struct db_jury_row *items;
	char **strings;   /* the rows' strings, copied */
	size_t count;
};

static void keep_row(void *ctx, const struct db_jury_row *row)
{
	struct rows *r = ctx;
	r->items = xrealloc(r->items, (r->count + 1) * sizeof *r->items);
	r->strings = xrealloc(r->strings, (r->count + 1) * 4 * sizeof *r->strings);
	char **s = &r->strings[r->count * 4];
	s[0] = xstrdup(row->path);
	s[1] = xstrdup(row->expected);
	s[2] = xstrdup(row->note);
	s[3] = xstrdup(row->language);
	r->items[r->count++] = (struct db_jury_row){row->id, row->submission_id, s[0], s[1], s[2], s[3],
						     row->time_limit_ms};
}

static void rows_release(struct rows *r)
{
	for (size_t i = 0; i < r->count * 4; i++)
		free(r->strings[i]);
	free(r->strings);
	free(r->items);
}

static bool expects(const char *list, const char *v)
{
	size_t n = strlen(v);
	for (const char *p = list; *p;) {
		size_t k = strcspn(p, ",");
		if (k == n && strncmp(p, v, n) == 0)
			return true;
		p += k + (p[k] == ',');
	}
	return false;
}

/* The verdict under limit_ms of a submission judged with a larger limit: the
   first test slower than the limit is a TLE, else the first failed one's. */
static const char *verdict_under(const struct db_submission *s, int64_t limit_ms)
{
	for (size_t i = 0; i < s->test_count; i++) {
		if (s->tests[i].time_ms > limit_ms)
			return "TLE";
		if (!scoring_passed(s->tests[i].verdict))
			return s->tests[i].verdict;
	}
	return s->verdict;
}

void jury_judged(struct db *db, int64_t id)
{
	int64_t problem_id;
	if (db_jury_problem_of(db, id, &problem_id) == 0)
		jury_settle(db, problem_id);
}

void jury_recover(struct db *db)
{
	int64_t ids[64];
	size_t n = db_jury_pending_problems(db, ids, 64);
	for (size_t i = 0; i < n; i++)
		jury_settle(db, ids[i]);
}

void jury_settle(struct db *db, int64_t problem_id)
{
	struct db_jury_limits lim;
	if (db_jury_limits_get(db, problem_id, &lim) != 0 || strcmp(lim.state, "pending") != 0 ||
	    db_jury_pending(db, problem_id))
		return;
	struct rows r = {0};
	db_jury_list(db, problem_id, keep_row, &r);
	int64_t slowest = -1;
	for (size_t i = 0; i < r.count; i++) {
		struct db_submission s;
		if (!r.items[i].submission_id || strcmp(r.items[i].expected, "AC") != 0 ||
		    db_submission_get(db, r.items[i].submission_id, 0, &s) != 0)
			continue;
		if (s.verdict && strcmp(s.verdict, "AC") == 0 && s.has_time && s.time_ms > slowest)
			slowest = s.time_ms;
		db_submission_release(&s);
	}
	rows_release(&r);
	int64_t tl = slowest >= 0 ? jury_time_limit_ms(slowest, lim.ac_to_time_limit, lim.time_resolution) : 0;
	if (!tl) { /* none: the problem's limit stays */
		struct db_problem_row *p = db_problem_get(db, problem_id, false);
		tl = p ? p->time_limit_ms : 1000;
		db_problem_row_free(p);
		slowest = -1;
	}
	int64_t high = (int64_t)llround((double)tl * lim.time_limit_to_tle);
	int rc = db_jury_limits_settle(db, problem_id, slowest >= 0 ? "derived" : "none", slowest,
				       slowest >= 0 ? tl : 0, high);
	if (rc == 0 && slowest >= 0)
		log_info("jury: problem %lld: time limit %lld ms, from the slowest accepted jury run of %lld ms",
			 (long long)problem_id, (long long)tl, (long long)slowest);
	else if (rc == 0)
		log_info("jury: problem %lld: no accepted jury submission to derive the time limit from",
			 (long long)problem_id);
	else if (rc < 0)
		log_warnx("jury: problem %lld: cannot store the derived time limit", (long long)problem_id);
}

static json_t *verdict_list(const char *list)
{
	json_t *a = json_array();
	for (const char *p = list; *p;) {
		size_t k = strcspn(p, ",");
		json_array_append_new(a, json_stringn(p, k));
		p += k + (p[k] == ',');
	}
	return a;
}

json_t *jury_report(struct db *db, int64_t problem_id)
{
	struct db_jury_limits lim;
	bool has_limits = db_jury_limits_get(db, problem_id, &lim) == 0;
	struct rows r = {0};
	db_jury_list(db, problem_id, keep_row, &r);
	struct db_problem_row *p = db_problem_get(db, problem_id, false);
	if (!p || (!has_limits && !r.count)) {
		db_problem_row_free(p);
		rows_release(&r);
		return NULL;
	}
	int64_t tl = p->time_limit_ms;
	db_problem_row_free(p);
	/* Judged with a larger limit of their own: read again under the problem's. */
	bool reread = has_limits;
	bool pending_limit = has_limits && strcmp(lim.state, "pending") == 0;
	json_int_t passed = 0, failed = 0, pending = 0, not_judged = 0;
	json_t *subs = json_array();
	for (size_t i = 0; i < r.count; i++) {
		const struct db_jury_row *row = &r.items[i];
		json_t *o = json_pack("{s:s, s:o, s:o}", "path", row->path, "expected", verdict_list(row->expected),
				      "note", *row->note ? json_string(row->note) : json_null());
		struct db_submission s;
		if (!row->submission_id && *row->language) { /* waits for the derived limit */
			json_object_set_new(o, "result", json_string("pending"));
			json_object_set_new(o, "submission_id", json_null());
			json_object_set_new(o, "language", json_string(row->language));
			json_object_set_new(o, "status", json_string("waiting for the time limit"));
			pending++;
			json_array_append_new(subs, o);
			continue;
		}
		if (!row->submission_id || db_submission_get(db, row->submission_id, DB_SUBMISSION_DETAILS, &s) != 0) {
			json_object_set_new(o, "result", json_string("not judged"));
			json_object_set_new(o, "submission_id", json_null());
			json_object_set_new(o, "language", json_null());
			not_judged++;
			json_array_append_new(subs, o);
			continue;
		}
		json_object_set_new(o, "submission_id", json_integer(row->submission_id));
		json_object_set_new(o, "language", json_string(s.language));
		json_object_set_new(o, "status", json_string(s.status));
		json_object_set_new(o, "time_ms", s.has_time ? json_integer(s.time_ms) : json_null());
		json_object_set_new(o, "judged_with_time_limit_ms", json_integer(row->time_limit_ms));
		json_object_set_new(o, "score", s.has_score ? json_real(s.score) : json_null());
		bool done = strcmp(s.status, "done") == 0 && s.verdict;
		json_object_set_new(o, "judged_verdict", done ? json_string(s.verdict) : json_null());
		const char *verdict = !done ? NULL : reread ? verdict_under(&s, tl) : s.verdict;
		json_object_set_new(o, "verdict", verdict ? json_string(verdict) : json_null());
		const char *result = !done || pending_limit ? "pending" : expects(row->expected, verdict) ? "pass" : "fail";
		if (done && !pending_limit && has_limits && strcmp(verdict, "TLE") == 0 && s.has_time &&
		    s.time_ms <= (int64_t)((double)tl * lim.time_limit_to_tle) && expects(row->expected, "TLE"))
			json_object_set_new(o, "warning",
					    json_sprintf("ran %lld ms, within the time limit times time_limit_to_tle (%g)",
							 (long long)s.time_ms, lim.time_limit_to_tle));
		else if (done && strcmp(verdict, "AC") == 0 && has_limits && s.has_time &&
			 (double)s.time_ms * lim.ac_to_time_limit > (double)tl)
			json_object_set_new(o, "warning",
					    json_sprintf("ran %lld ms: more than the time limit over ac_to_time_limit (%g)",
							 (long long)s.time_ms, lim.ac_to_time_limit));
		json_object_set_new(o, "result", json_string(result));
		passed += strcmp(result, "pass") == 0;
		failed += strcmp(result, "fail") == 0;
		pending += strcmp(result, "pending") == 0;
		db_submission_release(&s);
		json_array_append_new(subs, o);
	}
	rows_release(&r);
	json_t *t = json_pack("{s:s, s:I}", "state", has_limits ? lim.state : "given", "time_limit_ms", (json_int_t)tl);
	if (has_limits) {
		json_object_set_new(t, "ac_to_time_limit", json_real(lim.ac_to_time_limit));
		json_object_set_new(t, "time_limit_to_tle", json_real(lim.time_limit_to_tle));
		json_object_set_new(t, "time_resolution", json_real(lim.time_resolution));
		json_object_set_new(t, "slowest_ac_ms", lim.slowest_ac_ms >= 0 ? json_integer(lim.slowest_ac_ms)
									 : json_null());
		json_object_set_new(t, "provisional_time_limit_ms",
				    pending_limit ? json_integer(JURY_PROVISIONAL_TIME_LIMIT_MS) : json_null());
		json_object_set_new(t, "rule", json_string("max(1, ceil(slowest_ac * ac_to_time_limit / time_resolution))"
							   " * time_resolution"));
	}
	return json_pack("{s:I, s:b, s:b, s:I, s:I, s:I, s:I, s:o, s:o}", "problem_id", (json_int_t)problem_id, "ok",
			 failed == 0 && pending == 0, "complete", pending == 0, "passed", passed, "failed", failed,
			 "pending", pending, "not_judged", not_judged, "time_limit", t, "submissions", subs);
}
