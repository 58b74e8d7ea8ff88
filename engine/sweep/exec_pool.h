/*
 * The worker threads behind tc_exec_threads and tc_exec_mpi (private to
 * sweep/). A pool runs tasks on its threads; where a thread's next chunk of
 * tasks comes from and where a result goes are the pool's ops: this
 * process's counter and reorder window (the default, used alone by
 * tc_exec_threads and by MPI rank 0), or the link of another rank to rank 0
 * (sweep/exec_mpi.c). Every field is guarded by lock, except a result's
 * buffer, which belongs to the one thread that writes or reads it.
 */
#ifndef TC_SWEEP_EXEC_POOL_H
#define TC_SWEEP_EXEC_POOL_H

#include <pthread.h>
#include <stdint.h>

#include "core/buf.h"
#include "sweep/exec.h"

/* Longest error message kept (longer ones are truncated). */
enum { TC_EXEC_MSG = 512 };

/* Copy src into dst[0..size), truncated (size 0: nothing). */
void tc_exec_message(char *dst, size_t size, const char *src);

typedef struct tc_pool tc_pool;

/* Where one task's result is written: a slot of the window, or a result
 * waiting to be sent to rank 0. */
typedef struct tc_pool_result {
	struct tc_pool_result *next;
	uint64_t task;
	tc_buf buf;
	int ready;      /* complete, not yet emitted (window slots) */
} tc_pool_result;

typedef struct tc_pool_ops {
	/* The next chunk [*a, *b) for a worker thread: 1; 0 when none will come
	 * any more; -1 when the thread must wait on p->work and ask again. */
	int (*take)(tc_pool *p, uint64_t *a, uint64_t *b);
	/* Where task t's result goes (empty); NULL when out of memory. */
	tc_pool_result *(*acquire)(tc_pool *p, uint64_t t);
	/* r's task ran: its result is complete when rc is 0, to be dropped
	 * otherwise (the failure is already recorded). */
	void (*deliver)(tc_pool *p, tc_pool_result *r, int rc);
} tc_pool_ops;

struct tc_pool {
	pthread_mutex_t lock;
	pthread_cond_t work;    /* worker threads: a chunk, room in the window, stop */
	pthread_cond_t main;    /* the calling thread: a result, a failure, a chunk taken */
	const tc_exec_tasks *f;
	const tc_pool_ops *ops; /* called with lock held */
	void *link;             /* the ops' own state */
	tc_alloc *alloc;        /* shared by the threads: thread-safe */
	unsigned jobs, started;
	pthread_t *threads;

	/* The counter: tasks [next, min(last, failed_task)) are still to hand
	 * out, in chunks sized for `workers` threads in all (every rank's). */
	uint64_t first, last, next, workers;
	/* The window: task t's result waits in ring[(t - first) % window]
	 * until emitted; t is handed out only when t < emitted + window. */
	uint64_t emitted;       /* the next task to emit */
	size_t window;
	tc_pool_result *ring;   /* NULL when the pool does not emit */
	double progress_at;

	/* The failing task with the smallest index so far (UINT64_MAX: none);
	 * tasks after it are neither started nor emitted. */
	uint64_t failed_task;
	int failed_rc;
	char failed_msg[TC_EXEC_MSG];
	/* An error that stops everything at once (out of memory, emit). */
	int abort_rc;
	char abort_msg[TC_EXEC_MSG];
	int stop;               /* worker threads start no more tasks */
};

/*
 * Prepare a pool for o's tasks (no thread yet) with `workers` threads in all
 * (o->jobs here). ops NULL: this process's counter and window, which the
 * calling thread empties with tc_pool_emit. TC_OK or TC_ENOMEM (nothing to
 * release then).
 */
int tc_pool_init(tc_pool *p, const tc_exec_options *o, const tc_exec_tasks *f, uint64_t workers,
                 const tc_pool_ops *ops, void *link);
/* Start the threads; a failure to is recorded as an abort. */
void tc_pool_start(tc_pool *p);
/* Stop handing out tasks and join the threads (lock not held). */
void tc_pool_finish(tc_pool *p);
void tc_pool_release(tc_pool *p);

/* The rest is called with lock held. */

/* The counter's next chunk (the default ops' take). */
int tc_pool_take(tc_pool *p, uint64_t *a, uint64_t *b);
/* Task t's slot of the window; t was handed out by tc_pool_take. */
tc_pool_result *tc_pool_slot(tc_pool *p, uint64_t t);
/* The slot's result is complete. */
void tc_pool_ready(tc_pool *p, tc_pool_result *r);
/* Task t failed with rc and text ("task T: ..."); TC_ENOMEM aborts. */
void tc_pool_failed(tc_pool *p, uint64_t t, int rc, const char *text);
/* Stop everything at once with rc and text (the first abort is kept). */
void tc_pool_abort(tc_pool *p, int rc, const char *text);
/*
 * Emit the results ready in task order (lock released around emit and
 * progress). 1 when emission is over: every task emitted, the first
 * failing one reached, or aborted; 0 when it waits for more results.
 */
int tc_pool_emit(tc_pool *p);
/* Wait for a signal on p->main, at most `seconds` (0: no limit). */
void tc_pool_wait(tc_pool *p, double seconds);
/* The outcome once the threads are joined: the abort, else the failing
 * task, else TC_OK (with the final progress report). */
int tc_pool_outcome(tc_pool *p, char *err, size_t errlen);

#endif
