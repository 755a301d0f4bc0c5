#include "clock.h"

#include <time.h>

void contest_times_of(const struct db_contest *c, struct contest_times *out)
{
	*out = (struct contest_times){0};
	out->thaw = c->thaw_at_ms;
	out->finalize = c->finalized_at_ms;
	if (!c->start_ms)
		return;
	out->start = c->start_ms;
	out->end = c->start_ms + c->duration_ms;
	if (c->frozen_at_ms)
		out->freeze = c->frozen_at_ms;
	else if (c->freeze_ms > 0)
		out->freeze = out->end - c->freeze_ms;
}

bool contest_frozen_at(const struct db_contest *c, int64_t now_ms)
{
	struct contest_times t;
	contest_times_of(c, &t);
	return t.freeze && now_ms >= t.freeze && !(t.thaw && now_ms >= t.thaw);
}

enum contest_state contest_state_at(const struct db_contest *c, int64_t now_ms)
{
	struct contest_times t;
	contest_times_of(c, &t);
	if (!t.start || now_ms < t.start)
		return CONTEST_SCHEDULED;
	if (t.finalize && now_ms >= t.finalize)
		return CONTEST_FINALIZED;
	if (now_ms < t.end)
		return contest_frozen_at(c, now_ms) ? CONTEST_FROZEN : CONTEST_RUNNING;
	return t.thaw && now_ms >= t.thaw ? CONTEST_THAWED : CONTEST_ENDED;
}

const char *contest_state_name(enum contest_state s)
{
	static const char *const names[] = {"scheduled", "running", "frozen", "ended", "thawed", "finalized"};
	return names[s];
}

bool contest_result_hidden(const struct db_contest *c, int64_t submitted_ms, int64_t now_ms)
{
	struct contest_times t;
	contest_times_of(c, &t);
	return contest_frozen_at(c, now_ms) && submitted_ms >= t.freeze;
}

int64_t contest_minute(const struct db_contest *c, int64_t at_ms)
{
	int64_t d = at_ms - c->start_ms;
	return d < 0 ? 0 : d / 60000;
}

int64_t contest_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
