/*
 * tc_exec_mpi across the ranks of an MPI job: run as
 * `mpiexec -n N test_exec_mpi N`. Rank 0 must emit exactly what the threads
 * of one process emit, and every rank must return the same outcome.
 * A failed check aborts the whole job (MPI_Abort), so no rank waits forever.
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "test_tasks.h"

#define CHECK(cond) ((cond) ? (void)0 : failed(__LINE__, #cond))

static int rank, size;

static void failed(int line, const char *what)
{
	fprintf(stderr, "test_exec_mpi: rank %d: line %d: check failed: %s\n", rank, line, what);
	MPI_Abort(MPI_COMM_WORLD, 1);
	exit(1);
}

/* The outcome is the same on every rank. */
static void check_same_everywhere(int rc, const char *err)
{
	int rcs[64];
	char errs[64][256];
	char mine[256];
	CHECK(size <= 64);
	snprintf(mine, sizeof mine, "%s", err);
	MPI_Gather(&rc, 1, MPI_INT, rcs, 1, MPI_INT, 0, MPI_COMM_WORLD);
	MPI_Gather(mine, 256, MPI_CHAR, errs, 256, MPI_CHAR, 0, MPI_COMM_WORLD);
	if (rank == 0)
		for (int r = 1; r < size; r++)
			CHECK(rcs[r] == rc && strcmp(errs[r], mine) == 0);
}

/* Rank 0 emitted the results of [first, last) in order; the others none. */
static void check_emitted(const test_tasks *tt, uint64_t first, uint64_t last)
{
	CHECK(!tt->order_broken && !tt->progress_backwards);
	CHECK(!atomic_load(&tt->dirty_output) && !atomic_load(&tt->window_broken));
	CHECK(atomic_load(&tt->workers_made) == atomic_load(&tt->workers_freed));
	if (rank != 0) {
		CHECK(tt->emits == 0 && tt->progress_calls == 0);
		return;
	}
	tc_buf want;
	tc_buf_init(&want, tc_alloc_default());
	test_tasks_expected(first, last, &want);
	CHECK(tt->emits == last - first);
	CHECK(tt->out.len == want.len);
	CHECK(want.len == 0 || memcmp(tt->out.data, want.data, want.len) == 0);
	tc_buf_release(&want);
}

static int exec(test_tasks *tt, uint64_t first, uint64_t last, unsigned jobs, size_t window,
                char *err)
{
	tc_exec_options o = {first, last, jobs, window, NULL};
	return tc_exec_mpi(&o, &tt->f, err, 256);
}

static void in_order(unsigned jobs, size_t window, uint64_t first, uint64_t last)
{
	test_tasks tt;
	test_tasks_init(&tt, first);
	tt.sleep_us = 300;
	if (rank == 0 && window)
		tt.window = window;
	char err[256] = "untouched";
	int rc = exec(&tt, first, last, jobs, window, err);
	CHECK(rc == TC_OK);
	CHECK(strcmp(err, "") == 0);
	check_same_everywhere(rc, err);
	check_emitted(&tt, first, last);
	if (rank == 0) {
		CHECK(tt.progress_done == last - first && tt.progress_total == last - first);
		/* The same as the threads of one process. */
		test_tasks alone;
		test_tasks_init(&alone, first);
		tc_exec_options o = {first, last, jobs, window, NULL};
		CHECK(tc_exec_threads(&o, &alone.f, err, sizeof err) == TC_OK);
		CHECK(alone.out.len == tt.out.len);
		CHECK(tt.out.len == 0 || memcmp(alone.out.data, tt.out.data, tt.out.len) == 0);
		test_tasks_release(&alone);
	}
	test_tasks_release(&tt);
}

/* Whichever rank runs the tasks, the first failing one wins. */
static void first_failure_wins(unsigned jobs)
{
	test_tasks tt;
	test_tasks_init(&tt, 0);
	tt.sleep_us = 300;
	tt.fail[0] = 90;
	tt.fail[1] = 41;
	tt.fail_from = 200;
	char err[256];
	int rc = exec(&tt, 0, 300, jobs, 0, err);
	CHECK(rc == TC_ERANGE);
	CHECK(strcmp(err, "cursed task 41") == 0);
	check_same_everywhere(rc, err);
	check_emitted(&tt, 0, 41);
	test_tasks_release(&tt);
}

/* Tasks that fail on rank 1 only: whichever is reported, every rank says
 * so and rank 0 emitted everything before it. */
static void failure_on_another_rank(void)
{
	test_tasks tt;
	test_tasks_init(&tt, 0);
	tt.sleep_us = 300;
	if (rank == 1)
		tt.fail_from = 50;
	char err[256];
	int rc = exec(&tt, 0, 400, 1, 0, err);
	CHECK(rc == TC_ERANGE);
	check_same_everywhere(rc, err);
	unsigned long t = 0;
	CHECK(sscanf(err, "cursed task %lu", &t) == 1 && t >= 50);
	check_emitted(&tt, 0, rank == 0 ? t : 0);
	test_tasks_release(&tt);
}

static void failing_emit(void)
{
	test_tasks tt;
	test_tasks_init(&tt, 0);
	tt.emit_fail = 60;
	char err[256];
	int rc = exec(&tt, 0, 300, 2, 0, err);
	CHECK(rc == TC_EIO);
	CHECK(strcmp(err, "disk full at 60") == 0);
	check_same_everywhere(rc, err);
	check_emitted(&tt, 0, rank == 0 ? 60 : 0);
	test_tasks_release(&tt);
}

static void out_of_memory(void)
{
	/* In a task, wherever it runs. */
	test_tasks tt;
	test_tasks_init(&tt, 0);
	tt.enomem_task = 20;
	char err[256];
	int rc = exec(&tt, 0, 300, 1, 0, err);
	CHECK(rc == TC_ENOMEM);
	CHECK(strcmp(err, "no room for task 20") == 0);
	check_same_everywhere(rc, err);
	CHECK(tt.emits <= 20);
	test_tasks_release(&tt);

	/* A worker's state on the last rank. */
	test_tasks_init(&tt, 0);
	tt.sleep_us = 300;
	tt.worker_new_fails = rank == size - 1;
	rc = exec(&tt, 0, 3000, 1, 0, err);
	CHECK(rc == TC_ENOMEM);
	CHECK(strcmp(err, "out of memory (a worker's state)") == 0);
	check_same_everywhere(rc, err);
	test_tasks_release(&tt);
}

int main(int argc, char **argv)
{
	char err[256] = "";
	int want = argc > 1 ? atoi(argv[1]) : 0;
	size = tc_exec_mpi_start(&argc, &argv, err, sizeof err);
	if (size != want || !tc_exec_mpi_available()) {
		fprintf(stderr, "test_exec_mpi: %d ranks, expected %d (%s)\n", size, want, err);
		return 1;
	}
	rank = tc_exec_mpi_rank();

	static const size_t windows[] = {1, 5, 0};
	for (unsigned jobs = 1; jobs <= 2; jobs++)
		for (size_t w = 0; w < sizeof windows / sizeof *windows; w++)
			in_order(jobs, windows[w], 0, 300);
	in_order(2, 0, 17, 140);
	in_order(1, 0, 5, 5);
	first_failure_wins(1);
	first_failure_wins(2);
	failure_on_another_rank();
	failing_emit();
	out_of_memory();
	/* And it still works after all that. */
	in_order(1, 3, 0, 100);

	tc_exec_mpi_stop();
	if (rank == 0)
		printf("test_exec_mpi: %d ranks: ok\n", size);
	return 0;
}
