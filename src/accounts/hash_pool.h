/* The threads that run password hashing (argon2id), apart from the HTTP
 * threads: a fixed number of them, at a lower CPU priority, with bounded
 * queues, so that a flood of logins is refused at once instead of making
 * every other request wait. Work from clients with no recent failed login
 * goes ahead of work from clients with some, each in a queue of its own.
 * One pool per process; before hash_pool_start and after hash_pool_stop,
 * hash_pool_call runs its function in the calling thread. */
#pragma once
#include <stdbool.h>

enum { HASH_POOL_E_FULL = 1, HASH_POOL_E_STOPPED = 2 };

/* A job: embedded in the caller's struct, which it owns; run is called once,
   on a pool thread, and may free the job. */
struct hash_job {
	void (*run)(struct hash_job *job);
	struct hash_job *next;
};

/* threads >= 1 run jobs; each queue holds up to queue_len waiting ones. 0 or negative errno. */
int hash_pool_start(int threads, int queue_len);
/* Runs what is queued, then joins the threads. */
void hash_pool_stop(void);
/* Queues a job: 0, HASH_POOL_E_FULL (its queue is full) or HASH_POOL_E_STOPPED.
   suspect: the client has failed recently (its job waits behind the others). */
int hash_pool_submit(struct hash_job *job, bool suspect);
/* Runs fn(arg) on the pool ahead of every queued job and waits for it. For
   authenticated work (setting passwords), which is never refused. */
void hash_pool_call(void (*fn)(void *arg), void *arg);
