/* Three FIFO queues under one mutex: calls (waited for), then jobs of clean
   clients, then jobs of suspect ones. */
#include "hash_pool.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

#define LOWER_PRIORITY 10 /* nice: request threads come first on a busy CPU */

enum { QUEUE_CALLS, QUEUE_CLEAN, QUEUE_SUSPECT, QUEUES };

struct queue {
	struct hash_job *head, *tail;
	int length;
};

/* A hash_pool_call waiting for its turn. */
struct call {
	struct hash_job job;
	void (*fn)(void *arg);
	void *arg;
	bool done;
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t work, done;
	struct queue queues[QUEUES];
	int queue_len;
	bool running, stopping;
	pthread_t *threads;
	int thread_count;
} pool = {.lock = PTHREAD_MUTEX_INITIALIZER, .work = PTHREAD_COND_INITIALIZER, .done = PTHREAD_COND_INITIALIZER};

static _Thread_local bool on_pool_thread;

static void push(struct queue *q, struct hash_job *job)
{
	job->next = NULL;
	if (q->tail)
		q->tail->next = job;
	else
		q->head = job;
	q->tail = job;
	q->length++;
}

static struct hash_job *pop(void)
{
	for (int i = 0; i < QUEUES; i++) {
		struct queue *q = &pool.queues[i];
		struct hash_job *job = q->head;
		if (!job)
			continue;
		q->head = job->next;
		if (!q->head)
			q->tail = NULL;
		q->length--;
		return job;
	}
	return NULL;
}

static void *pool_main(void *arg)
{
	(void)arg;
	on_pool_thread = true;
	/* Linux: nice is per thread (the tid is a PRIO_PROCESS id). */
	if (setpriority(PRIO_PROCESS, (id_t)gettid(), LOWER_PRIORITY) != 0)
		log_debug("hash pool: cannot lower the thread's priority");
	pthread_mutex_lock(&pool.lock);
	for (;;) {
		struct hash_job *job = pop();
		if (!job) {
			if (pool.stopping)
				break;
			pthread_cond_wait(&pool.work, &pool.lock);
			continue;
		}
		pthread_mutex_unlock(&pool.lock);
		job->run(job);
		pthread_mutex_lock(&pool.lock);
	}
	pthread_mutex_unlock(&pool.lock);
	return NULL;
}

int hash_pool_start(int threads, int queue_len)
{
	pool.threads = xcalloc((size_t)threads, sizeof *pool.threads);
	pool.queue_len = queue_len;
	pool.stopping = false;
	for (pool.thread_count = 0; pool.thread_count < threads; pool.thread_count++) {
		int rc = pthread_create(&pool.threads[pool.thread_count], NULL, pool_main, NULL);
		if (rc != 0) {
			pool.running = true; /* so that stop joins those started */
			hash_pool_stop();
			return -rc;
		}
	}
	pthread_mutex_lock(&pool.lock);
	pool.running = true;
	pthread_mutex_unlock(&pool.lock);
	return 0;
}

void hash_pool_stop(void)
{
	pthread_mutex_lock(&pool.lock);
	bool was_running = pool.running;
	pool.running = false;
	pool.stopping = true;
	pthread_cond_broadcast(&pool.work);
	pthread_mutex_unlock(&pool.lock);
	if (!was_running)
		return;
	for (int i = 0; i < pool.thread_count; i++)
		pthread_join(pool.threads[i], NULL);
	free(pool.threads);
	pool.threads = NULL;
	pool.thread_count = 0;
}

int hash_pool_submit(struct hash_job *job, bool suspect)
{
	struct queue *q = &pool.queues[suspect ? QUEUE_SUSPECT : QUEUE_CLEAN];
	int rc = 0;
	pthread_mutex_lock(&pool.lock);
	if (!pool.running)
		rc = HASH_POOL_E_STOPPED;
	else if (q->length >= pool.queue_len)
		rc = HASH_POOL_E_FULL;
	else
		push(q, job);
	if (rc == 0)
		pthread_cond_signal(&pool.work);
	pthread_mutex_unlock(&pool.lock);
	return rc;
}

static void run_call(struct hash_job *job)
{
	struct call *c = (struct call *)job;
	c->fn(c->arg);
	pthread_mutex_lock(&pool.lock);
	c->done = true;
	pthread_cond_broadcast(&pool.done);
	pthread_mutex_unlock(&pool.lock);
}

void hash_pool_call(void (*fn)(void *arg), void *arg)
{
	struct call c = {.job.run = run_call, .fn = fn, .arg = arg};
	pthread_mutex_lock(&pool.lock);
	if (!pool.running || on_pool_thread) {
		pthread_mutex_unlock(&pool.lock);
		fn(arg);
		return;
	}
	push(&pool.queues[QUEUE_CALLS], &c.job);
	pthread_cond_signal(&pool.work);
	while (!c.done)
		pthread_cond_wait(&pool.done, &pool.lock);
	pthread_mutex_unlock(&pool.lock);
}
