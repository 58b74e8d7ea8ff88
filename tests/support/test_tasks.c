#define _POSIX_C_SOURCE 200809L
#include "test_tasks.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/error.h"

static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15u;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9u;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebu;
	return x ^ (x >> 31);
}

void test_task_result(uint64_t t, tc_buf *out)
{
	uint64_t h = mix(t);
	tc_buf_printf(out, "t=%" PRIu64 " h=%016" PRIx64 " ", t, h);
	for (uint64_t i = 0; i < h % 61; i++)
		tc_buf_addc(out, (char)('a' + t % 26));
	/* Now and then a row longer than one message piece of the MPI link. */
	if (t % 97 == 13)
		for (uint64_t i = 0; i < 70000; i++)
			tc_buf_addc(out, (char)('A' + (t + i) % 26));
	tc_buf_addc(out, '\n');
}

void test_tasks_expected(uint64_t first, uint64_t last, tc_buf *out)
{
	for (uint64_t t = first; t < last; t++)
		test_task_result(t, out);
}

static void *worker_new(void *ud)
{
	test_tasks *tt = ud;
	if (tt->worker_new_fails)
		return NULL;
	uint64_t *worker = malloc(sizeof *worker);
	if (worker) {
		*worker = 0;
		atomic_fetch_add(&tt->workers_made, 1);
	}
	return worker;
}

static void worker_free(void *ud, void *worker)
{
	test_tasks *tt = ud;
	atomic_fetch_add(&tt->workers_freed, 1);
	free(worker);
}

static int run(void *ud, void *worker, uint64_t t, tc_buf *out, char *err, size_t errlen)
{
	test_tasks *tt = ud;
	if (out->len != 0)
		atomic_store(&tt->dirty_output, 1);
	/* Emit counts before the executor frees the slot: never ahead of it. */
	if (tt->window && t >= tt->first + atomic_load(&tt->emitted) + tt->window)
		atomic_store(&tt->window_broken, 1);

	/* Cost varies with t: busy work, and a short sleep for one task in seven. */
	uint64_t h = mix(t ^ 0x5bd1e995u), sum = 0;
	for (uint64_t i = 0; i < h % 20000; i++)
		sum += mix(i);
	if (tt->sleep_us && h % 7 == 0) {
		long us = (long)(h >> 8) % tt->sleep_us;
		struct timespec ts = {0, us * 1000};
		nanosleep(&ts, NULL);
	}
	/* Kept, so that the work is not optimised away. */
	if (worker)
		*(uint64_t *)worker += sum;
	else
		atomic_fetch_add_explicit(&tt->work_sum, sum, memory_order_relaxed);

	int cursed = t >= tt->fail_from;
	for (int i = 0; i < TEST_TASKS_FAILS; i++)
		cursed |= tt->fail[i] == t;
	if (cursed) {
		snprintf(err, errlen, "cursed task %" PRIu64, t);
		return TC_ERANGE;
	}
	if (t == tt->enomem_task) {
		snprintf(err, errlen, "no room for task %" PRIu64, t);
		return TC_ENOMEM;
	}
	test_task_result(t, out);
	return TC_OK;
}

static int emit(void *ud, uint64_t t, const char *data, size_t len, char *err, size_t errlen)
{
	test_tasks *tt = ud;
	if (t != tt->next)
		tt->order_broken = 1;
	tt->next = t + 1;
	if (t == tt->emit_fail) {
		snprintf(err, errlen, "disk full at %" PRIu64, t);
		return TC_EIO;
	}
	tc_buf_add(&tt->out, data, len);
	tt->emits++;
	atomic_fetch_add(&tt->emitted, 1);
	return TC_OK;
}

static void progress(void *ud, uint64_t done, uint64_t total)
{
	test_tasks *tt = ud;
	if (tt->progress_calls > 0 && done < tt->progress_done)
		tt->progress_backwards = 1;
	tt->progress_calls++;
	tt->progress_done = done;
	tt->progress_total = total;
}

void test_tasks_init(test_tasks *tt, uint64_t first)
{
	memset(tt, 0, sizeof *tt);
	tt->f = (tc_exec_tasks){worker_new, worker_free, run, emit, progress, tt};
	for (int i = 0; i < TEST_TASKS_FAILS; i++)
		tt->fail[i] = UINT64_MAX;
	tt->fail_from = tt->enomem_task = tt->emit_fail = UINT64_MAX;
	tt->first = tt->next = first;
	tc_buf_init(&tt->out, tc_alloc_default());
}

void test_tasks_release(test_tasks *tt)
{
	tc_buf_release(&tt->out);
}
