/* The executor on threads (sweep/exec.h): results in task order, errors. */
#define _POSIX_C_SOURCE 200809L
#include "test_support.h"
#include "test_tasks.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/error.h"

static int exec(test_tasks *tt, uint64_t first, uint64_t last, unsigned jobs, size_t window,
                tc_alloc *alloc, char *err, size_t errlen)
{
	tc_exec_options o = {first, last, jobs, window, alloc};
	return tc_exec_threads(&o, &tt->f, err, errlen);
}

/* Every worker state made was freed; results always landed in an empty
 * buffer and no task started beyond the window. */
static void assert_clean(test_tasks *tt, unsigned jobs)
{
	assert_int_equal(atomic_load(&tt->workers_made), atomic_load(&tt->workers_freed));
	assert_true(atomic_load(&tt->workers_made) <= (int)jobs);
	assert_false(atomic_load(&tt->dirty_output));
	assert_false(atomic_load(&tt->window_broken));
	assert_false(tt->order_broken);
	assert_false(tt->progress_backwards);
}

static void assert_output(test_tasks *tt, uint64_t first, uint64_t last)
{
	tc_buf want;
	tc_buf_init(&want, tc_alloc_default());
	test_tasks_expected(first, last, &want);
	assert_int_equal(tt->emits, last - first);
	assert_int_equal(tt->out.len, want.len);
	assert_true(want.len == 0 || memcmp(tt->out.data, want.data, want.len) == 0);
	tc_buf_release(&want);
}

static void in_order_whatever_the_jobs_and_window(void **state)
{
	(void)state;
	static const unsigned jobs[] = {1, 2, 3, 8};
	static const size_t windows[] = {1, 2, 0};
	for (size_t j = 0; j < sizeof jobs / sizeof *jobs; j++) {
		for (size_t w = 0; w < sizeof windows / sizeof *windows; w++) {
			test_tasks tt;
			test_tasks_init(&tt, 0);
			tt.sleep_us = 300;
			/* The default: 64 per worker, at least 256, at most the tasks. */
			uint64_t window = jobs[j] * 64 < 256 ? 256 : jobs[j] * 64;
			tt.window = windows[w] ? windows[w] : window < 400 ? window : 400;
			char err[256] = "untouched";
			assert_int_equal(exec(&tt, 0, 400, jobs[j], windows[w], NULL, err, sizeof err),
			                 TC_OK);
			assert_string_equal(err, "");
			assert_output(&tt, 0, 400);
			assert_clean(&tt, jobs[j]);
			assert_true(atomic_load(&tt.workers_made) >= 1);
			/* Progress ends with everything done. */
			assert_true(tt.progress_calls >= 1);
			assert_int_equal(tt.progress_done, 400);
			assert_int_equal(tt.progress_total, 400);
			test_tasks_release(&tt);
		}
	}
}

static void a_range_in_the_middle(void **state)
{
	(void)state;
	test_tasks tt;
	test_tasks_init(&tt, 17);
	char err[256];
	assert_int_equal(exec(&tt, 17, 140, 3, 5, NULL, err, sizeof err), TC_OK);
	assert_output(&tt, 17, 140);
	assert_clean(&tt, 3);
	assert_int_equal(tt.progress_done, 123);
	assert_int_equal(tt.progress_total, 123);
	test_tasks_release(&tt);
}

static void an_empty_range(void **state)
{
	(void)state;
	test_tasks tt;
	test_tasks_init(&tt, 5);
	char err[256];
	assert_int_equal(exec(&tt, 5, 5, 4, 0, NULL, err, sizeof err), TC_OK);
	assert_int_equal(tt.emits, 0);
	/* No task: no worker state either. */
	assert_int_equal(atomic_load(&tt.workers_made), 0);
	assert_int_equal(tt.progress_calls, 1);
	assert_int_equal(tt.progress_done, 0);
	assert_int_equal(tt.progress_total, 0);
	test_tasks_release(&tt);
}

static void without_worker_state_or_progress(void **state)
{
	(void)state;
	test_tasks tt;
	test_tasks_init(&tt, 0);
	tt.f.worker_new = NULL;
	tt.f.worker_free = NULL;
	tt.f.progress = NULL;
	char err[256];
	assert_int_equal(exec(&tt, 0, 150, 2, 0, NULL, err, sizeof err), TC_OK);
	assert_output(&tt, 0, 150);
	assert_int_equal(tt.progress_calls, 0);
	test_tasks_release(&tt);
}

/* The smallest failing task wins whatever the timing: everything before it
 * is emitted, nothing after. */
static void the_first_failing_task_wins(void **state)
{
	(void)state;
	static const unsigned jobs[] = {1, 3, 8};
	for (size_t j = 0; j < sizeof jobs / sizeof *jobs; j++) {
		for (int round = 0; round < 5; round++) {
			test_tasks tt;
			test_tasks_init(&tt, 0);
			tt.sleep_us = 200;
			tt.fail[0] = 90;
			tt.fail[1] = 41;
			tt.fail[2] = 43;
			tt.fail_from = 150;
			char err[256];
			assert_int_equal(exec(&tt, 0, 300, jobs[j], round % 2 ? 4 : 0, NULL, err,
			                      sizeof err),
			                 TC_ERANGE);
			assert_string_equal(err, "cursed task 41");
			assert_output(&tt, 0, 41);
			assert_int_equal(tt.next, 41);
			assert_clean(&tt, jobs[j]);
			test_tasks_release(&tt);
		}
	}
}

static void the_first_task_may_fail(void **state)
{
	(void)state;
	test_tasks tt;
	test_tasks_init(&tt, 10);
	tt.fail_from = 10;
	char err[256];
	assert_int_equal(exec(&tt, 10, 100, 2, 0, NULL, err, sizeof err), TC_ERANGE);
	assert_string_equal(err, "cursed task 10");
	assert_int_equal(tt.emits, 0);
	/* Not at the end: no final progress report. */
	assert_int_equal(tt.progress_calls, 0);
	test_tasks_release(&tt);
}

static void a_failing_emit_stops_at_once(void **state)
{
	(void)state;
	static const unsigned jobs[] = {1, 4};
	for (size_t j = 0; j < sizeof jobs / sizeof *jobs; j++) {
		test_tasks tt;
		test_tasks_init(&tt, 0);
		tt.emit_fail = 30;
		tt.fail[0] = 200;   /* never reached */
		char err[256];
		assert_int_equal(exec(&tt, 0, 300, jobs[j], 0, NULL, err, sizeof err), TC_EIO);
		assert_string_equal(err, "disk full at 30");
		assert_output(&tt, 0, 30);
		/* emit was not called again after it failed. */
		assert_int_equal(tt.next, 31);
		assert_clean(&tt, jobs[j]);
		test_tasks_release(&tt);
	}
}

static void a_task_out_of_memory_stops_at_once(void **state)
{
	(void)state;
	test_tasks tt;
	test_tasks_init(&tt, 0);
	tt.enomem_task = 20;
	char err[256];
	assert_int_equal(exec(&tt, 0, 300, 3, 0, NULL, err, sizeof err), TC_ENOMEM);
	assert_string_equal(err, "no room for task 20");
	assert_true(tt.emits <= 20);
	assert_clean(&tt, 3);
	test_tasks_release(&tt);
}

static void no_worker_state_no_run(void **state)
{
	(void)state;
	static const unsigned jobs[] = {1, 3};
	for (size_t j = 0; j < sizeof jobs / sizeof *jobs; j++) {
		test_tasks tt;
		test_tasks_init(&tt, 0);
		tt.worker_new_fails = 1;
		char err[256];
		assert_int_equal(exec(&tt, 0, 50, jobs[j], 0, NULL, err, sizeof err), TC_ENOMEM);
		assert_string_equal(err, "out of memory (a worker's state)");
		assert_int_equal(tt.emits, 0);
		test_tasks_release(&tt);
	}
}

/* The failing allocator, behind a lock: the worker threads share it. */
typedef struct locked_alloc {
	tc_alloc alloc;
	tc_failing_alloc failing;
	pthread_mutex_t lock;
} locked_alloc;

static void *locked_fn(void *ud, void *ptr, size_t old_size, size_t new_size)
{
	locked_alloc *la = ud;
	pthread_mutex_lock(&la->lock);
	void *p = la->failing.alloc.fn(la->failing.alloc.ud, ptr, old_size, new_size);
	pthread_mutex_unlock(&la->lock);
	return p;
}

/* Whichever allocation fails (the executor's or a result's growth), the
 * execution fails with TC_ENOMEM, emits a prefix of the results and leaks
 * nothing; with enough allocations it succeeds. */
static void every_allocation_may_fail(void **state)
{
	(void)state;
	static const unsigned jobs[] = {1, 2};
	for (size_t j = 0; j < sizeof jobs / sizeof *jobs; j++) {
		locked_alloc la = {{locked_fn, &la}, {{NULL, NULL}, 0, 0, 0, 0},
		                   PTHREAD_MUTEX_INITIALIZER};
		long fail_after = 0;
		for (;; fail_after++) {
			assert_true(fail_after < 10000);
			tc_failing_alloc_init(&la.failing, fail_after);
			test_tasks tt;
			test_tasks_init(&tt, 0);
			char err[256];
			int rc = exec(&tt, 0, 120, jobs[j], 3, &la.alloc, err, sizeof err);
			assert_int_equal(la.failing.live_blocks, 0);
			assert_int_equal(la.failing.live_bytes, 0);
			assert_clean(&tt, jobs[j]);
			if (rc == TC_OK) {
				assert_output(&tt, 0, 120);
				test_tasks_release(&tt);
				break;
			}
			assert_int_equal(rc, TC_ENOMEM);
			assert_non_null(strstr(err, "out of memory"));
			tc_buf want;
			tc_buf_init(&want, tc_alloc_default());
			test_tasks_expected(0, tt.emits, &want);
			assert_int_equal(tt.out.len, want.len);
			assert_true(want.len == 0 || memcmp(tt.out.data, want.data, want.len) == 0);
			tc_buf_release(&want);
			test_tasks_release(&tt);
		}
		/* The ring, the thread handles, results growing: several. */
		assert_true(fail_after >= 3);
	}
}

/* At most about ten reports a second, and always the last one. */
static void progress_is_rate_limited(void **state)
{
	(void)state;
	test_tasks tt;
	test_tasks_init(&tt, 0);
	tt.sleep_us = 2000;
	char err[256];
	double start = tc_monotonic_seconds();
	assert_int_equal(exec(&tt, 0, 600, 2, 0, NULL, err, sizeof err), TC_OK);
	double elapsed = tc_monotonic_seconds() - start;
	assert_true((double)tt.progress_calls <= elapsed * 10 + 2);
	assert_int_equal(tt.progress_done, 600);
	assert_clean(&tt, 2);
	test_tasks_release(&tt);
}

/* Without an MPI launcher, MPI is not started and tc_exec_mpi is
 * tc_exec_threads. */
static void without_a_launcher_no_mpi(void **state)
{
	(void)state;
	unsetenv("OMPI_COMM_WORLD_SIZE");
	unsetenv("PMI_SIZE");
	unsetenv("PMIX_RANK");
#ifdef TOCSIN_HAVE_MPI
	assert_int_equal(tc_exec_mpi_available(), 1);
#else
	assert_int_equal(tc_exec_mpi_available(), 0);
#endif
	char err[256] = "";
	assert_int_equal(tc_exec_mpi_start(NULL, NULL, err, sizeof err), 1);
	assert_int_equal(tc_exec_mpi_rank(), 0);
	test_tasks tt;
	test_tasks_init(&tt, 3);
	tc_exec_options o = {3, 77, 2, 0, NULL};
	assert_int_equal(tc_exec_mpi(&o, &tt.f, err, sizeof err), TC_OK);
	assert_output(&tt, 3, 77);
	test_tasks_release(&tt);
	tc_exec_mpi_stop();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(in_order_whatever_the_jobs_and_window),
		cmocka_unit_test(a_range_in_the_middle),
		cmocka_unit_test(an_empty_range),
		cmocka_unit_test(without_worker_state_or_progress),
		cmocka_unit_test(the_first_failing_task_wins),
		cmocka_unit_test(the_first_task_may_fail),
		cmocka_unit_test(a_failing_emit_stops_at_once),
		cmocka_unit_test(a_task_out_of_memory_stops_at_once),
		cmocka_unit_test(no_worker_state_no_run),
		cmocka_unit_test(every_allocation_may_fail),
		cmocka_unit_test(progress_is_rate_limited),
		cmocka_unit_test(without_a_launcher_no_mpi),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
