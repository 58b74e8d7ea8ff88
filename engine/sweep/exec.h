/*
 * Running many independent tasks (the replications of a sweep) on worker
 * threads, and across MPI ranks, and handing their results back in task
 * order.
 *
 * A task is a number t in [first, last). Its result is a byte string (a CSV
 * row) that must be a pure function of t: the executor computes tasks in
 * whatever order and on whatever thread or rank, but calls emit() for t,
 * t + 1, ... strictly in order, on the calling thread (on rank 0 under
 * MPI). Chunks of tasks are handed out dynamically (tasks vary in length);
 * at most `window` results wait for emission at any time, so memory does
 * not grow with the number of tasks.
 */
#ifndef TC_SWEEP_EXEC_H
#define TC_SWEEP_EXEC_H

#include <stddef.h>
#include <stdint.h>

#include "core/alloc.h"
#include "core/buf.h"

typedef struct tc_exec_tasks {
	/* Per-thread state made on the worker thread before its first task,
	 * freed after its last; may be NULL (then worker is NULL). Returns
	 * NULL on failure (out of memory): the execution fails with TC_ENOMEM. */
	void *(*worker_new)(void *ud);
	void (*worker_free)(void *ud, void *worker);
	/*
	 * Compute task t: append its result to out (empty on entry). Called
	 * concurrently from several threads with distinct workers: it may
	 * touch only its worker's state and data shared read-only. 0 on
	 * success; otherwise a negative error code (core/error.h) and a
	 * message in err[0..errlen). The execution then stops handing out
	 * tasks after t, finishes those before it, and fails.
	 */
	int (*run)(void *ud, void *worker, uint64_t t, tc_buf *out, char *err, size_t errlen);
	/* Task t's result, in task order, on the calling thread (rank 0).
	 * Non-zero (a negative code, message in err) stops the execution. */
	int (*emit)(void *ud, uint64_t t, const char *data, size_t len, char *err, size_t errlen);
	/* Tasks emitted so far, at most about ten times a second and once at
	 * the end (done == total), on the calling thread (rank 0). May be NULL. */
	void (*progress)(void *ud, uint64_t done, uint64_t total);
	void *ud;
} tc_exec_tasks;

typedef struct tc_exec_options {
	uint64_t first, last;      /* the tasks [first, last); first <= last */
	unsigned jobs;             /* worker threads on this process (rank); >= 1 */
	size_t window;             /* results held at most; 0: 64 per worker, at least 256 */
	tc_alloc *alloc;           /* NULL: the default allocator; used by the
	                            * worker threads (results grow in it), so
	                            * it must be thread-safe */
} tc_exec_options;

/*
 * Run the tasks on o->jobs worker threads of this process (the calling
 * thread only emits and reports progress). TC_OK when every task ran and
 * was emitted. Otherwise the error of the failing task with the smallest
 * index, which is deterministic: tasks are handed out in increasing order
 * and every task before a failing one is still run (a failing emit, or
 * TC_ENOMEM, stops at once). err is the task's own message for its error (or
 * "task T: " and the code's description when it gave none),
 * the emit's own message otherwise. Every thread has stopped on return; no
 * result after the failure is emitted.
 */
int tc_exec_threads(const tc_exec_options *o, const tc_exec_tasks *f, char *err, size_t errlen);

/* ---- MPI (sweep/exec_mpi.c, built when CMake finds MPI) -------------------- */

/* Whether this build has MPI: TOCSIN_HAVE_MPI is defined (config) then. */
int tc_exec_mpi_available(void);

/*
 * Start MPI if this process was launched by an MPI launcher with more than
 * one rank (mpirun -np N, srun): returns the number of ranks (1 when not
 * under MPI or built without it: nothing was started), or a negative code
 * with err set when MPI fails to start. Must be called at most once, from
 * the main thread, before any worker thread exists.
 */
int tc_exec_mpi_start(int *argc, char ***argv, char *err, size_t errlen);
/* This process's rank (0 when MPI was not started). */
int tc_exec_mpi_rank(void);
/*
 * Collective: every rank passes its own outcome of a step (0 or a negative
 * code) and gets the lowest of them all, so that a step that failed on one
 * rank (a scenario file missing on one node, rank 0's output directory)
 * stops every rank instead of leaving the others waiting. Without MPI it
 * returns rc.
 */
int tc_exec_mpi_agree(int rc);
/* End MPI if it was started (MPI_Finalize); harmless otherwise. */
void tc_exec_mpi_stop(void);

/*
 * Collective: every rank calls it with the same options and tasks (each
 * rank loads the same scenario). Rank 0 hands out chunks of tasks
 * dynamically to every rank, itself included (o->jobs worker threads on
 * each rank), gathers the results and emits them in task order; the other
 * ranks never call emit or progress. The result and the message are the
 * same on every rank: TC_OK, or the first error in task order wherever it
 * happened (with its message, as tc_exec_threads). Without MPI started it is tc_exec_threads.
 */
int tc_exec_mpi(const tc_exec_options *o, const tc_exec_tasks *f, char *err, size_t errlen);

#endif
