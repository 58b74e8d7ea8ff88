/*
 * The classic hold model on the event queue: pop the earliest event and push
 * it back at its time plus an exponential increment, with the number of
 * pending events held constant. Both heap arities, at several sizes.
 * Prints one line per case: benchmark, case, median, best, unit (tab-
 * separated, the contract of scripts/bench).
 * Usage: bench_queue [repetitions]   (default 5)
 */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/alloc.h"
#include "core/dist.h"
#include "core/queue.h"
#include "core/rng.h"

enum { INCREMENTS = 1 << 16 };

/* Where the loops' result goes, so that they cannot be optimised away. */
volatile uint64_t observed;

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Increments drawn before timing, so the loop measures the queue only. */
static int64_t *make_increments(void)
{
	int64_t *inc = malloc(INCREMENTS * sizeof *inc);
	if (!inc)
		return NULL;
	tc_rng r;
	tc_rng_init(&r, 1);
	tc_dist d;
	tc_dist_exponential(&d, 1000.0, NULL, 0);
	for (uint64_t i = 0; i < INCREMENTS; i++)
		inc[i] = (int64_t)(tc_dist_quantile(&d, tc_rng_uniform(&r, 0, 0, 0, i)) + 0.5);
	return inc;
}

static uint64_t hold(tc_queue *q, const int64_t *inc, size_t *k, long ops)
{
	uint64_t check = 0;
	tc_event ev;
	for (long i = 0; i < ops; i++) {
		tc_queue_pop(q, &ev);
		check += ev.seq;
		tc_queue_push(q, ev.time + inc[*k], ev.kind, 0, 0, NULL);
		*k = (*k + 1) & (INCREMENTS - 1);
	}
	return check;
}

int main(int argc, char **argv)
{
	int reps = argc > 1 ? atoi(argv[1]) : 5;
	if (reps < 1 || reps > 100) {
		fprintf(stderr, "usage: bench_queue [repetitions 1..100]\n");
		return 2;
	}
	int64_t *inc = make_increments();
	if (!inc)
		return 1;
	static const size_t sizes[] = {16, 1000, 100000, 1000000};
	static const unsigned arities[] = {2, 4};
	uint64_t sink = 0;
	for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
		for (size_t a = 0; a < 2; a++) {
			size_t n = sizes[s], k = 0;
			/* About 0.2 s per repetition on a 2020s machine. */
			long ops = n >= 1000000 ? 1000000 : n >= 100000 ? 2000000 : 5000000;
			tc_queue q;
			tc_queue_init_arity(&q, tc_alloc_default(), arities[a]);
			for (size_t i = 0; i < n; i++) {
				if (tc_queue_push(&q, inc[k], (uint32_t)i, 0, 0, NULL) != 0) {
					fprintf(stderr, "bench_queue: out of memory\n");
					return 1;
				}
				k = (k + 1) & (INCREMENTS - 1);
			}
			/* Warm up: let the time distribution reach its steady state. */
			sink += hold(&q, inc, &k, n > (size_t)ops ? (long)n : ops / 5);
			double rate[100];
			for (int r = 0; r < reps; r++) {
				double t0 = now_seconds();
				sink += hold(&q, inc, &k, ops);
				rate[r] = ops / (now_seconds() - t0);
			}
			qsort(rate, (size_t)reps, sizeof rate[0], cmp_double);
			printf("queue_hold\tarity=%u pending=%zu\t%.1f\t%.1f\tM holds/s\n", arities[a], n,
			       rate[reps / 2] / 1e6, rate[reps - 1] / 1e6);
			fflush(stdout);
			tc_queue_release(&q);
		}
	}
	free(inc);
	observed = sink;
	return 0;
}
