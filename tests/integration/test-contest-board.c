/* Integration test of the live scoreboards: a scripted ICPC contest of 30
 * teams (one hidden) and 300 real judged submissions (Python: accepted,
 * wrong answer, compile error) over REST and WebSocket. After every
 * judgement the jury, public and one team's board (REST) are checked against
 * a computation of the test's own, and three sockets (jury, public without a
 * session, the team) must come to show the same rows. The contest is frozen
 * a third of the way, the server restarts during the freeze and the sockets
 * resume with ?after= across it, then the board thaws. */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "ws_client.h"

#define TEAMS 30
#define PROBLEMS 3
#define SUBMISSIONS 300
#define FREEZE_AT 100   /* submissions before the freeze */
#define RESTART_AT 180  /* ... before the restart (during the freeze) */
#define THAW_AT 260     /* ... before the thaw */
#define PENALTY 20
#define HIDDEN_TEAM (TEAMS - 1) /* its index */
#define OWN_TEAM 3      /* the team whose view is checked */

static struct server srv;
static const char *const serve_args[] = {"--workers", "2", "--submissions-per-minute", "0", "--queued-per-user", "0",
					 NULL};
static const char *const labels[PROBLEMS] = {"A", "B", "C"};

enum kind { AC, WA, CE };

struct sub {
	long long id;
	int team, problem;
	enum kind kind;
	int64_t minute;
	bool hidden;       /* made during the freeze */
	bool judged;
};

struct model {
	long long seq;     /* of the last change the boards must have applied */
	long long contest;
	int64_t start_ms;
	long long team_ids[TEAMS];
	char tokens[TEAMS][64];
	struct sub subs[SUBMISSIONS];
	int count;
	bool thawed;
};

static struct model m;

static int64_t now_ms(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

static json_t *call(const char *method, const char *path, const char *token, const char *body, long expect)
{
	struct response r;
	http_json_request(&r, &srv, method, path, token, body);
	ck_assert_msg(r.status == expect, "%s %s: %ld (expected %ld) %s", method, path, r.status, expect, r.body);
	json_t *j = r.json ? json_incref(r.json) : NULL;
	response_free(&r);
	return j;
}

/* ---- the model: ICPC rules written out on their own ---- */

struct cell {
	bool solved, first;
	int attempts, pending;
	int64_t time, penalty, ac_order; /* ac_order: the index of the first AC (the order made), or -1 */
	int64_t pending_order;           /* the first pending, or -1 */
};

struct row {
	int team;
	int solved;
	int64_t time, last;
	int rank;
	struct cell cells[PROBLEMS];
};

/* Whether a view (jury: -2, public: -1, a team's: its index) sees a submission's result. */
static bool sees(int view, const struct sub *s)
{
	if (!s->judged)
		return false;
	return view == -2 || view == s->team || !s->hidden || m.thawed;
}

static void compute_row(int view, int team, struct row *r)
{
	memset(r, 0, sizeof *r);
	r->team = team;
	r->last = -1;
	for (int p = 0; p < PROBLEMS; p++) {
		struct cell *c = &r->cells[p];
		c->time = -1;
		c->ac_order = c->pending_order = -1;
		int rejected = 0;
		for (int i = 0; i < m.count; i++) {
			const struct sub *s = &m.subs[i];
			if (s->team != team || s->problem != p)
				continue;
			if (!sees(view, s)) {
				if (c->pending_order < 0)
					c->pending_order = i;
				if (!c->solved)
					c->pending++;
				continue;
			}
			if (c->solved)
				continue;
			c->attempts++;
			if (s->kind == AC) {
				c->solved = true;
				c->time = s->minute;
				c->penalty = s->minute + PENALTY * rejected;
				c->ac_order = i;
			} else if (s->kind == WA) {
				rejected++;
			}
		}
		if (c->solved) {
			r->solved++;
			r->time += c->penalty;
			if (c->time > r->last)
				r->last = c->time;
		}
	}
}

static int better(const struct row *a, const struct row *b)
{
	if (a->solved != b->solved)
		return a->solved > b->solved;
	if (a->time != b->time)
		return a->time < b->time;
	return a->last < b->last;
}

static bool tied(const struct row *a, const struct row *b)
{
	return a->solved == b->solved && a->time == b->time && a->last == b->last;
}

/* A whole view: rows[team] (hidden team included only for the jury). */
static void compute_board(int view, struct row rows[TEAMS], bool shown[TEAMS])
{
	for (int t = 0; t < TEAMS; t++) {
		shown[t] = view == -2 || t != HIDDEN_TEAM;
		compute_row(view == -2 ? -2 : view == t ? t : -1, t, &rows[t]);
	}
	for (int t = 0; t < TEAMS; t++) {
		if (!shown[t])
			continue;
		int rank = 1;
		for (int u = 0; u < TEAMS; u++)
			if (shown[u] && u != t && better(&rows[u], &rows[t]) && !tied(&rows[u], &rows[t]))
				rank++;
		rows[t].rank = rank;
	}
	for (int p = 0; p < PROBLEMS; p++) {
		int64_t ac = INT64_MAX, pending = INT64_MAX;
		for (int t = 0; t < TEAMS; t++) {
			if (!shown[t])
				continue;
			if (rows[t].cells[p].ac_order >= 0 && rows[t].cells[p].ac_order < ac)
				ac = rows[t].cells[p].ac_order;
			if (rows[t].cells[p].pending_order >= 0 && rows[t].cells[p].pending_order < pending)
				pending = rows[t].cells[p].pending_order;
		}
		for (int t = 0; t < TEAMS; t++)
			rows[t].cells[p].first = shown[t] && ac != INT64_MAX && pending > ac &&
						 rows[t].cells[p].ac_order == ac;
	}
}

/* A team's view is the public rows with the team's own row as its own board
   has it: live, ranked among the others' public rows. */
static void compute_view(int view, struct row rows[TEAMS], bool shown[TEAMS])
{
	compute_board(view, rows, shown);
	if (view < 0)
		return;
	struct row pub[TEAMS];
	compute_board(-1, pub, shown);
	for (int t = 0; t < TEAMS; t++)
		if (t != view)
			rows[t] = pub[t];
}

static int team_index(long long id)
{
	for (int t = 0; t < TEAMS; t++)
		if (m.team_ids[t] == id)
			return t;
	ck_abort_msg("unknown team %lld on the board", id);
	return -1;
}

static void expect_row(const char *what, const json_t *got, const struct row *want)
{
	long long id = json_integer_value(json_object_get(json_object_get(got, "team"), "id"));
	ck_assert_msg(json_integer_value(json_object_get(got, "rank")) == want->rank, "%s: team %lld rank %lld, want %d",
		      what, id, json_integer_value(json_object_get(got, "rank")), want->rank);
	ck_assert_msg(json_integer_value(json_object_get(got, "solved")) == want->solved, "%s: team %lld solved", what,
		      id);
	ck_assert_msg(json_integer_value(json_object_get(got, "time")) == want->time, "%s: team %lld time %lld, want %lld",
		      what, id, json_integer_value(json_object_get(got, "time")), (long long)want->time);
	const json_t *cells = json_object_get(got, "problems");
	ck_assert_int_eq(json_array_size(cells), PROBLEMS);
	for (int p = 0; p < PROBLEMS; p++) {
		const json_t *c = json_array_get(cells, p);
		const struct cell *w = &want->cells[p];
		ck_assert_str_eq(json_string_value(json_object_get(c, "label")), labels[p]);
		ck_assert_msg(json_is_true(json_object_get(c, "solved")) == w->solved, "%s: team %lld %s solved", what, id,
			      labels[p]);
		ck_assert_msg(json_integer_value(json_object_get(c, "attempts")) == w->attempts,
			      "%s: team %lld %s attempts %lld, want %d", what, id, labels[p],
			      json_integer_value(json_object_get(c, "attempts")), w->attempts);
		ck_assert_msg(json_integer_value(json_object_get(c, "pending")) == w->pending,
			      "%s: team %lld %s pending %lld, want %d", what, id, labels[p],
			      json_integer_value(json_object_get(c, "pending")), w->pending);
		ck_assert_msg(json_is_true(json_object_get(c, "first")) == w->first, "%s: team %lld %s first", what, id,
			      labels[p]);
		if (w->solved)
			ck_assert_int_eq(json_integer_value(json_object_get(c, "time")), w->time);
		else
			ck_assert(json_is_null(json_object_get(c, "time")));
	}
}

/* GET the board in a view and check it against the model; returns it. */
static json_t *check_rest(int view)
{
	char path[128];
	const char *names[] = {"jury", "public", "team"};
	int which = view == -2 ? 0 : view == -1 ? 1 : 2;
	snprintf(path, sizeof path, "/api/contests/%lld/scoreboard?view=%s", m.contest, names[which]);
	const char *token = view == -2 ? srv.admin_token : view == -1 ? NULL : m.tokens[view];
	/* The boards apply a change right after its commit, which a reader of
	   the submission may see first: wait for the board to stand at its seq. */
	json_t *board = call("GET", path, token, NULL, 200);
	for (int64_t give_up = now_ms() + 20000; json_integer_value(json_object_get(board, "seq")) < m.seq;) {
		ck_assert_msg(now_ms() < give_up, "the board never reached seq %lld", m.seq);
		json_decref(board);
		usleep(2000);
		board = call("GET", path, token, NULL, 200);
	}
	struct row rows[TEAMS];
	bool shown[TEAMS];
	compute_view(view, rows, shown);
	const json_t *list = json_object_get(board, "rows");
	int expect = 0;
	for (int t = 0; t < TEAMS; t++)
		expect += shown[t];
	ck_assert_int_eq(json_array_size(list), expect);
	size_t i;
	const json_t *r;
	int last_rank = 0;
	json_array_foreach(list, i, r) {
		int t = team_index(json_integer_value(json_object_get(json_object_get(r, "team"), "id")));
		ck_assert(shown[t]);
		char what[64];
		snprintf(what, sizeof what, "%s after %d submissions", names[which], m.count);
		expect_row(what, r, &rows[t]);
		ck_assert_int_ge(rows[t].rank, last_rank); /* in rank order */
		last_rank = rows[t].rank;
	}
	ck_assert_str_eq(json_string_value(json_object_get(board, "view")), names[which]);
	ck_assert_int_eq(json_integer_value(json_object_get(board, "team_id")), view >= 0 ? m.team_ids[view] : 0);
	bool frozen = json_is_true(json_object_get(board, "frozen"));
	ck_assert_int_eq(frozen, m.count > FREEZE_AT && !m.thawed);
	ck_assert(json_is_false(json_object_get(board, "final")));
	const char *banner = json_string_value(json_object_get(board, "banner"));
	if (frozen && view != -2)
		ck_assert_msg(banner && strstr(banner, "The scoreboard was frozen with "), "no banner: %s",
			      banner ? banner : "(none)");
	else
		ck_assert_ptr_null(banner);
	return board;
}

/* ---- sockets ---- */

struct watcher {
	const char *name;
	int view;             /* -2 jury, -1 public, else a team */
	struct ws_client *ws;
	json_t *rows;         /* team id (text) -> row, from the board's topic */
	json_t *own;          /* a team's own row, from its own topic */
	long long seq;        /* the highest seq seen */
	int fulls;            /* "full" messages seen */
};

static void watcher_connect(struct watcher *w, long long after)
{
	char path[160], cookie[128];
	const char *names[] = {"jury", "public", "team"};
	int which = w->view == -2 ? 0 : w->view == -1 ? 1 : 2;
	snprintf(path, sizeof path, "/ws/contests/%lld/scoreboard/?view=%s&after=%lld", m.contest, names[which], after);
	struct ws_client_opts opts = {0};
	if (w->view != -1) {
		snprintf(cookie, sizeof cookie, "verdict_session=%s", w->view == -2 ? srv.admin_token : m.tokens[w->view]);
		opts.cookie = cookie;
	}
	int status = 0;
	w->ws = ws_client_connect(srv.port, path, &opts, &status);
	ck_assert_msg(w->ws, "%s socket refused: %d", w->name, status);
}

static void watcher_apply(struct watcher *w, json_t *msg)
{
	ck_assert_str_eq(json_string_value(json_object_get(msg, "type")), "scoreboard_rows");
	long long seq = json_integer_value(json_object_get(msg, "seq"));
	if (seq > w->seq)
		w->seq = seq;
	const char *view = json_string_value(json_object_get(msg, "view"));
	bool own = strcmp(view, "team") == 0;
	ck_assert_msg(own ? w->view >= 0 : strcmp(view, w->view == -2 ? "jury" : "public") == 0, "%s got view %s",
		      w->name, view);
	if (json_is_true(json_object_get(msg, "full"))) {
		w->fulls++;
		json_object_clear(w->rows);
	}
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(msg, "rows"), i, r) {
		long long id = json_integer_value(json_object_get(json_object_get(r, "team"), "id"));
		/* Nothing a view may not see: the public never sees a hidden team,
		   a team's own topic carries only its own row. */
		if (w->view != -2)
			ck_assert_int_ne(id, m.team_ids[HIDDEN_TEAM]);
		if (own) {
			ck_assert_int_eq(id, m.team_ids[w->view]);
			json_object_set(w->own, "row", r);
		} else {
			char key[24];
			snprintf(key, sizeof key, "%lld", id);
			json_object_set(w->rows, key, r);
		}
	}
}

/* Whether the socket's rows are the REST board's. */
static bool watcher_matches(struct watcher *w, const json_t *board)
{
	const json_t *list = json_object_get(board, "rows");
	json_t *mine = json_deep_copy(w->rows);
	json_t *own = json_object_get(w->own, "row");
	if (own) {
		char key[24];
		snprintf(key, sizeof key, "%lld", json_integer_value(json_object_get(json_object_get(own, "team"), "id")));
		json_object_set(mine, key, own);
	}
	bool same = json_object_size(mine) == json_array_size(list);
	size_t i;
	const json_t *r;
	json_array_foreach(list, i, r) {
		char key[24];
		snprintf(key, sizeof key, "%lld", json_integer_value(json_object_get(json_object_get(r, "team"), "id")));
		same = same && json_equal(json_object_get(mine, key), r);
	}
	json_decref(mine);
	return same;
}

/* Reads the socket until it shows the REST board (a wait for delivery, not a
   check of speed: the bound only keeps a broken server from hanging the test). */
static void watcher_sync(struct watcher *w, const json_t *board)
{
	int64_t give_up = now_ms() + 20000;
	while (!watcher_matches(w, board)) {
		ck_assert_msg(now_ms() < give_up, "%s socket never showed the board at seq %lld (it is at %lld)", w->name,
			      json_integer_value(json_object_get(board, "seq")), w->seq);
		json_t *msg = ws_client_recv_json(w->ws, 200);
		if (msg) {
			watcher_apply(w, msg);
			json_decref(msg);
		}
	}
}

static void watcher_init(struct watcher *w, const char *name, int view)
{
	memset(w, 0, sizeof *w);
	w->name = name;
	w->view = view;
	w->rows = json_object();
	w->own = json_object();
}

static void watcher_release(struct watcher *w)
{
	ws_client_free(w->ws);
	json_decref(w->rows);
	json_decref(w->own);
}

/* ---- the script ---- */

static const char *const sources[] = {
	[AC] = "a, b = map(int, input().split())\nprint(a + b)\n",
	[WA] = "print(0)\n",
	[CE] = "def (:\n",
};

static long long create_problem(int p)
{
	char body[1024];
	snprintf(body, sizeof body,
		 "{\"slug\": \"sum-%d\", \"title\": \"A plus B %d\", \"statement\": \"Add.\","
		 " \"time_limit_ms\": 2000, \"memory_limit_kb\": 262144, \"output_limit_kb\": 65536,"
		 " \"checker\": {\"type\": \"tokens\"},"
		 " \"tests\": [{\"input\": \"1 2\\n\", \"output\": \"3\\n\", \"sample\": true},"
		 "           {\"input\": \"5 7\\n\", \"output\": \"12\\n\"}]}",
		 p, p);
	return test_create_problem(&srv, body);
}

static void setup_contest(void)
{
	long long problems[PROBLEMS];
	for (int p = 0; p < PROBLEMS; p++)
		problems[p] = create_problem(p);
	/* A whole second, half an hour ago: minutes are whole from it. */
	int64_t start_s = now_ms() / 1000 - 1800;
	m.start_ms = start_s * 1000;
	char start[32];
	time_t st = (time_t)start_s;
	strftime(start, sizeof start, "%Y-%m-%dT%H:%M:%SZ", gmtime(&st));
	char body[1024];
	snprintf(body, sizeof body,
		 "{\"shortname\": \"live\", \"name\": \"Live board\", \"start_time\": \"%s\", \"duration_s\": 18000,"
		 " \"freeze_s\": 0, \"scoring\": \"icpc\", \"penalty_min\": %d, \"public\": true,"
		 " \"problems\": [{\"problem_id\": %lld, \"label\": \"A\"}, {\"problem_id\": %lld, \"label\": \"B\"},"
		 " {\"problem_id\": %lld, \"label\": \"C\"}]}",
		 start, PENALTY, problems[0], problems[1], problems[2]);
	json_t *c = call("POST", "/api/contests", srv.admin_token, body, 201);
	m.contest = json_integer_value(json_object_get(c, "id"));
	json_decref(c);
	char path[128];
	snprintf(path, sizeof path, "/api/contests/%lld/teams", m.contest);
	for (int t = 0; t < TEAMS; t++) {
		char name[32];
		snprintf(name, sizeof name, "member%02d", t);
		test_create_user(&srv, name, false, m.tokens[t], sizeof m.tokens[t]);
		snprintf(body, sizeof body, "{\"key\": \"t%02d\", \"name\": \"Team %02d\", \"label\": \"t%02d\","
			 " \"members\": [\"%s\"], \"hidden\": %s}",
			 t, t, t, name, t == HIDDEN_TEAM ? "true" : "false");
		json_t *team = call("POST", path, srv.admin_token, body, 201);
		m.team_ids[t] = json_integer_value(json_object_get(team, "id"));
		json_decref(team);
	}
}

/* Deterministic: who submits what, from a small generator. */
static uint32_t rng = 12345;
static uint32_t next_rand(void)
{
	rng = rng * 1103515245u + 12345u;
	return (rng >> 16) & 0x7fff;
}

static void submit_one(void)
{
	struct sub *s = &m.subs[m.count];
	s->team = (int)(next_rand() % TEAMS);
	s->problem = (int)(next_rand() % PROBLEMS);
	uint32_t k = next_rand() % 10;
	s->kind = k < 4 ? AC : k < 8 ? WA : CE;
	s->hidden = m.count >= FREEZE_AT && !m.thawed;
	/* Not across a minute's boundary: the server's clock and ours read a
	   moment apart. */
	int64_t into = (now_ms() - m.start_ms) % 60000;
	if (into > 59600)
		usleep((useconds_t)(60000 - into + 100) * 1000);
	int64_t before = now_ms();
	char path[128];
	snprintf(path, sizeof path, "/api/contests/%lld/problems/%s/submissions", m.contest, labels[s->problem]);
	json_t *body = json_pack("{s:s, s:s}", "language", "python3", "source", sources[s->kind]);
	char *text = json_dumps(body, 0);
	json_t *r = call("POST", path, m.tokens[s->team], text, 201);
	int64_t after = now_ms();
	free(text);
	json_decref(body);
	ck_assert_int_eq((before - m.start_ms) / 60000, (after - m.start_ms) / 60000);
	s->minute = (before - m.start_ms) / 60000;
	s->id = json_integer_value(json_object_get(r, "id"));
	ck_assert_int_eq(json_integer_value(json_object_get(r, "team_id")), m.team_ids[s->team]);
	json_decref(r);
	m.count++;
}

static void wait_judged(struct sub *s)
{
	char path[64];
	snprintf(path, sizeof path, "/api/submissions/%lld", s->id);
	for (int i = 0; i < 3000; i++) {
		json_t *r = call("GET", path, srv.admin_token, NULL, 200);
		const char *status = json_string_value(json_object_get(r, "status"));
		if (strcmp(status, "done") == 0) {
			static const char *const want[] = {[AC] = "AC", [WA] = "WA", [CE] = "CE"};
			ck_assert_str_eq(json_string_value(json_object_get(r, "verdict")), want[s->kind]);
			m.seq = json_integer_value(json_object_get(r, "seq"));
			json_decref(r);
			s->judged = true;
			return;
		}
		json_decref(r);
		usleep(10000);
	}
	ck_abort_msg("submission %lld was never judged", s->id);
}

static void check_all(struct watcher *w, size_t n)
{
	json_t *boards[3] = {check_rest(-2), check_rest(-1), check_rest(OWN_TEAM)};
	for (size_t i = 0; i < n; i++)
		watcher_sync(&w[i], boards[w[i].view == -2 ? 0 : w[i].view == -1 ? 1 : 2]);
	for (int i = 0; i < 3; i++)
		json_decref(boards[i]);
}

START_TEST(scripted_contest)
{
	setup_contest();
	char path[160], cookie[128];
	snprintf(path, sizeof path, "/api/contests/%lld/scoreboard", m.contest);
	json_t *first = call("GET", path, NULL, NULL, 200);
	long long seq0 = json_integer_value(json_object_get(first, "seq"));
	json_decref(first);

	/* Who may watch which view: refused handshakes. */
	int status = 0;
	snprintf(path, sizeof path, "/ws/contests/%lld/scoreboard/?view=jury", m.contest);
	snprintf(cookie, sizeof cookie, "verdict_session=%s", m.tokens[0]);
	struct ws_client_opts opts = {.cookie = cookie};
	ck_assert_ptr_null(ws_client_connect(srv.port, path, &opts, &status));
	ck_assert_int_eq(status, 403);
	ck_assert_ptr_null(ws_client_connect(srv.port, path, NULL, &status));
	ck_assert_int_eq(status, 403);
	snprintf(path, sizeof path, "/ws/contests/%lld/scoreboard/?view=team", m.contest);
	snprintf(cookie, sizeof cookie, "verdict_session=%s", srv.admin_token);
	ck_assert_ptr_null(ws_client_connect(srv.port, path, &opts, &status));
	ck_assert_int_eq(status, 403);
	ck_assert_ptr_null(ws_client_connect(srv.port, "/ws/contests/999/scoreboard/", NULL, &status));
	ck_assert_int_eq(status, 404);
	/* ... and over REST */
	snprintf(path, sizeof path, "/api/contests/%lld/scoreboard?view=jury", m.contest);
	json_decref(call("GET", path, m.tokens[0], NULL, 403));
	snprintf(path, sizeof path, "/api/contests/%lld/scoreboard?view=team", m.contest);
	json_decref(call("GET", path, NULL, NULL, 403));

	struct watcher w[3];
	watcher_init(&w[0], "jury", -2);
	watcher_init(&w[1], "public", -1);
	watcher_init(&w[2], "team", OWN_TEAM);
	for (int i = 0; i < 3; i++)
		watcher_connect(&w[i], seq0);
	check_all(w, 3);

	while (m.count < SUBMISSIONS) {
		if (m.count == FREEZE_AT) {
			snprintf(path, sizeof path, "/api/contests/%lld/freeze", m.contest);
			json_decref(call("POST", path, srv.admin_token, NULL, 200));
		}
		if (m.count == THAW_AT) {
			snprintf(path, sizeof path, "/api/contests/%lld/thaw", m.contest);
			json_decref(call("POST", path, srv.admin_token, NULL, 200));
			m.thawed = true;
		}
		if (m.count == RESTART_AT) {
			/* Across a restart: the boards are rebuilt, the sockets resume. */
			long long seqs[3];
			for (int i = 0; i < 3; i++) {
				seqs[i] = w[i].seq;
				ws_client_free(w[i].ws);
				w[i].ws = NULL;
			}
			ck_assert_int_eq(server_stop(&srv), 0);
			server_restart(&srv, serve_args);
			for (int i = 0; i < 3; i++) {
				int fulls = w[i].fulls;
				watcher_connect(&w[i], seqs[i]);
				/* The resume starts with the whole board (a team's socket may
				   get its own row first). */
				int64_t give_up = now_ms() + 20000;
				while (w[i].fulls == fulls) {
					ck_assert_msg(now_ms() < give_up, "%s: no whole board on resume", w[i].name);
					json_t *msg = ws_client_recv_json(w[i].ws, 200);
					if (msg) {
						watcher_apply(&w[i], msg);
						json_decref(msg);
					}
				}
				ck_assert_int_gt(w[i].fulls, fulls);
			}
			check_all(w, 3);
		}
		submit_one();
		wait_judged(&m.subs[m.count - 1]);
		check_all(w, 3);
	}
	for (int i = 0; i < 3; i++)
		watcher_release(&w[i]);
	server_finish(&srv);
}
END_TEST

static void setup(void)
{
	memset(&m, 0, sizeof m);
	server_start(&srv, serve_args);
}

int main(void)
{
	Suite *s = suite_create("contest-board");
	TCase *tc = tcase_create("scripted");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 900);
	tcase_add_test(tc, scripted_contest);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
