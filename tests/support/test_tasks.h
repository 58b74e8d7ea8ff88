/*
 * Fake tasks for the executor (sweep/exec.h), shared by the unit test and
 * the MPI test. Task t's result is a pure function of t (test_task_result)
 * of varying length, some rows longer than 64 KiB, and varying cost (busy
 * work and short sleeps), so that tasks finish out of order. Emit checks
 * and records what it is given.
 */
#ifndef TC_TEST_TASKS_H
#define TC_TEST_TASKS_H

#include <stdatomic.h>
#include <stdint.h>

#include "core/buf.h"
#include "sweep/exec.h"

enum { TEST_TASKS_FAILS = 4 };

typedef struct test_tasks {
	tc_exec_tasks f;           /* the executor's view: ud is this */
	/* What goes wrong (UINT64_MAX: nothing). */
	uint64_t fail[TEST_TASKS_FAILS]; /* these tasks fail: TC_ERANGE "cursed task T" */
	uint64_t fail_from;        /* and every task from this one on */
	uint64_t enomem_task;      /* this task's run returns TC_ENOMEM */
	uint64_t emit_fail;        /* emit fails here: TC_EIO "disk full at T" */
	int worker_new_fails;
	unsigned sleep_us;         /* longest sleep of a task (0: none) */
	uint64_t window;           /* when set: run(t) checks t < emitted + window */

	/* What was seen. */
	uint64_t first;
	tc_buf out;                /* every emitted result, in order (default allocator) */
	uint64_t next;             /* the task emit expects next */
	uint64_t emits, progress_calls, progress_done, progress_total;
	int order_broken, progress_backwards;
	atomic_ulong emitted, work_sum;      /* emits so far, for the workers' window check */
	atomic_int window_broken, dirty_output, workers_made, workers_freed;
} test_tasks;

/* Ready to run tasks from first on, nothing going wrong. */
void test_tasks_init(test_tasks *tt, uint64_t first);
void test_tasks_release(test_tasks *tt);
/* Append task t's result to out. */
void test_task_result(uint64_t t, tc_buf *out);
/* The results of [first, last), as emit records them, computed in order. */
void test_tasks_expected(uint64_t first, uint64_t last, tc_buf *out);

#endif
