/* The scoreboard on the wire: one row, the whole board (REST) and the changed
 * rows (the WebSocket "scoreboard_rows" message), each written once. */
#include "views.h"

#include <stdio.h>
#include <string.h>

#include "json_util.h"

static void put_string(struct buf *b, const char *key, const char *s)
{
	buf_adds(b, key);
	json_buf_string(b, s, strlen(s));
}

static void put_int(struct buf *b, const char *key, int64_t v)
{
	buf_adds(b, key);
	json_buf_int(b, v);
}

static void put_bool(struct buf *b, const char *key, bool v)
{
	buf_adds(b, key);
	buf_adds(b, v ? "true" : "false");
}

/* ICPC writes times and no scores, IOI scores and no times. */
static void put_time(struct buf *b, const char *key, bool icpc, int64_t minute)
{
	buf_adds(b, key);
	if (icpc && minute >= 0)
		json_buf_int(b, minute);
	else
		buf_adds(b, "null");
}

static void put_score(struct buf *b, const char *key, bool icpc, double score)
{
	buf_adds(b, key);
	if (icpc)
		buf_adds(b, "null");
	else
		json_buf_real(b, score);
}

void view_scoreboard_row(struct buf *b, const struct board *board, const struct board_row *r)
{
	bool icpc = board_settings(board)->scoring == BOARD_ICPC;
	const struct board_team *t = r->team;
	put_int(b, "{\"rank\":", r->rank);
	put_int(b, ",\"team\":{\"id\":", t->id);
	put_string(b, ",\"name\":", t->display_name && t->display_name[0] ? t->display_name : t->name);
	put_string(b, ",\"label\":", t->label);
	put_int(b, "},\"solved\":", r->solved);
	put_time(b, ",\"time\":", icpc, r->time);
	put_score(b, ",\"score\":", icpc, r->score);
	buf_adds(b, ",\"problems\":[");
	for (size_t p = 0; p < board_problem_count(board); p++) {
		const struct board_cell *c = &r->cells[p];
		put_string(b, p ? ",{\"label\":" : "{\"label\":", board_problem_at(board, p)->label);
		put_bool(b, ",\"solved\":", c->solved);
		put_bool(b, ",\"first\":", c->first);
		put_int(b, ",\"attempts\":", c->attempts);
		put_int(b, ",\"pending\":", c->pending);
		put_time(b, ",\"time\":", icpc && c->solved, c->time);
		put_score(b, ",\"score\":", icpc, c->score);
		buf_adds(b, "}");
	}
	buf_adds(b, "]}");
}

static void rows_array(struct buf *b, const struct board *board, const struct board_row *const *rows, size_t n)
{
	buf_adds(b, "\"rows\":[");
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_adds(b, ",");
		view_scoreboard_row(b, board, rows[i]);
	}
	buf_adds(b, "]}");
}

void view_scoreboard(struct buf *b, const struct view_board_head *h, const struct board *board,
		     const struct board_row *const *rows, size_t n)
{
	put_int(b, "{\"contest_id\":", h->contest_id);
	put_string(b, ",\"state\":", h->state);
	put_bool(b, ",\"frozen\":", h->frozen);
	put_bool(b, ",\"final\":", h->final);
	put_int(b, ",\"seq\":", h->seq);
	if (h->banner)
		put_string(b, ",\"banner\":", h->banner);
	if (h->view)
		put_string(b, ",\"view\":", h->view);
	if (h->team_id)
		put_int(b, ",\"team_id\":", h->team_id);
	buf_adds(b, ",");
	rows_array(b, board, rows, n);
}

void view_scoreboard_rows_ext(struct buf *b, int64_t seq, enum contest_view view, bool frozen, bool full,
			      const char *banner, const struct board *board, const struct board_row *const *rows,
			      size_t n)
{
	static const char *const names[] = {"public", "team", "jury"};
	put_int(b, "{\"type\":\"scoreboard_rows\",\"seq\":", seq);
	put_string(b, ",\"view\":", names[view]);
	put_bool(b, ",\"frozen\":", frozen);
	if (full)
		buf_adds(b, ",\"full\":true");
	if (banner)
		put_string(b, ",\"banner\":", banner);
	buf_adds(b, ",");
	rows_array(b, board, rows, n);
}

void view_scoreboard_rows(struct buf *b, int64_t seq, enum contest_view view, bool frozen,
			  const struct board *board, const struct board_row *const *rows, size_t n)
{
	view_scoreboard_rows_ext(b, seq, view, frozen, false, NULL, board, rows, n);
}

void view_board_banner(char *out, size_t size, int64_t minutes)
{
	snprintf(out, size,
		 "The scoreboard was frozen with %lld minutes remaining - submissions in the last %lld minutes"
		 " of the contest are still shown as pending.",
		 (long long)minutes, (long long)minutes);
}

void view_awards(struct buf *b, const struct awards *a)
{
	buf_adds(b, "[");
	for (size_t i = 0; i < a->award_count; i++) {
		const struct award *w = &a->awards[i];
		put_string(b, i ? ",{\"id\":" : "{\"id\":", w->id);
		put_string(b, ",\"citation\":", w->citation);
		buf_adds(b, ",\"team_ids\":[");
		for (size_t j = 0; j < w->team_count; j++) {
			if (j)
				buf_adds(b, ",");
			json_buf_int(b, w->teams[j]->id);
		}
		buf_adds(b, "]}");
	}
	buf_adds(b, "]");
}
