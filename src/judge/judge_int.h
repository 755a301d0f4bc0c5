/* The dispatcher's state and its protocol steps, shared by judge.c and its
 * unit tests only: a test makes a dispatcher without processes, attaches one
 * end of a socketpair as a worker's channel and plays the worker on the other. */
#pragma once
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "judge.h"
#include "judge_report.h"
#include "util.h"
#include "validator.h"

#define JUDGE_MAX_ATTEMPTS 2      /* tries a submission gets when workers die judging it */
#define JUDGE_SEND_TIMEOUT_MS 5000 /* a worker that takes in no message this fast is stuck */

/* A validator compilation asked for by another thread (an import). */
struct judge_request {
	json_t *msg;             /* what to send the worker */
	bool done, abandoned;    /* under requests_lock */
	int rc;
	struct validator result;
	char *message;
	struct judge_request *next;
};

struct judge_worker {
	int slot;           /* machine-wide (slots.h), so its sandbox uid is ours alone */
	int slot_fd;        /* the slot's lock, -1 when none */
	pid_t pid;          /* 0 when dead (or, in tests, when no process goes with the channel) */
	int fd;             /* -1 when dead */
	struct buf in;      /* bytes received, not yet a whole frame */
	bool ready;         /* said "ready" */
	int64_t job;        /* submission being judged, 0 if idle */
	bool taken;         /* the worker confirmed it took the job */
	bool overtaken;     /* a rejudge overtook the attempt: its events are dropped */
	bool unstored;      /* a result of the attempt could not be stored: it is given back at its end */
	int64_t token;      /* its attempt token */
	int attempt;
	int64_t deadline;   /* now_us() past which a silent worker is killed */
	int64_t respawn_at; /* when a dead worker may be started again */
	int quick_deaths;   /* deaths before saying ready, in a row: for backoff and health */
	int64_t started;
	char *error;        /* why it failed, as it said ("failed") or as spawning said */
	bool reaped;        /* as pid 1, the orphan reaper collected it: status holds its end */
	int status;
	struct judge_request *request; /* being served instead of a job */
	int restarts;       /* processes of this slot that ended */
	char *last_end;     /* how the previous one ended, for the report */
	bool have_facts;    /* its "ready" carried its sandbox's facts */
	struct judge_facts facts;
};

struct judge {
	struct app *app;
	struct judge_worker *workers;
	int count;
	int send_timeout_ms;
	int wake_fd;
	atomic_bool stop;
	pthread_t thread;
	bool running;
	pthread_mutex_t requests_lock;
	pthread_cond_t requests_done;
	struct judge_request *requests; /* waiting for a worker, oldest first */
	bool reap_orphans;              /* pid 1: every orphan of the container is ours to reap */
	pthread_mutex_t health_lock;
	char *unhealthy;                /* under health_lock: why the pool cannot judge, NULL when it can */
	/* The report (judge_report): the dispatcher publishes the workers' state
	   under report_lock; the toolchains are found once, in judge_new. */
	pthread_mutex_t report_lock;
	struct judge_worker_report *published;
	bool have_facts, facts_logged;
	struct judge_facts facts;
	struct judge_toolchain *toolchains;
	size_t toolchain_count;
};

#define JUDGE_UNHEALTHY_AFTER 3 /* failed starts in a row of one worker that make the judge unhealthy */

/* A dispatcher of `count` workers with no process, no slot and no thread yet
   (judge_new takes slots and spawns; judge_free frees it). */
struct judge *judge_alloc(struct app *app, int count);
/* Gives worker w its channel (made non-blocking) and the process behind it (0: none). */
void judge_worker_attach(struct judge_worker *w, int fd, pid_t pid);
/* Applies every whole message worker w has sent; one that has gone or sends garbage has died. */
void judge_worker_input(struct judge *j, struct judge_worker *w);
/* Gives waiting work to idle workers: validator compilations first, then queued submissions. */
void judge_dispatch(struct judge *j);
/* Worker w is gone (killed if still running): its request fails, its job is given back by the retry rule. */
void judge_worker_died(struct judge *j, struct judge_worker *w, const char *why);
/* The same, for a worker whose channel closed: it is given a moment to end by
   itself, so that its own exit status or signal is what the log says. */
void judge_worker_ended(struct judge *j, struct judge_worker *w);
/* Copies the workers' state for judge_report (dispatcher thread). */
void judge_publish(struct judge *j);
/* The health summary from the workers' state (dispatcher thread). */
void judge_update_health(struct judge *j);
/* The retry rule, for a job whose attempt failed for reasons of ours (a worker
   died, a result could not be stored): true when it goes back to the queue,
   with *attempts_used the attempts it has used (one the worker never took does
   not count); false when it has had JUDGE_MAX_ATTEMPTS and is judged JE. */
bool judge_retry_allowed(int attempt, bool taken, int *attempts_used);
