/*
 * Helpers shared by the benchmarks: a monotonic clock, median and best of
 * repeated measurements, and scenarios generated into a temporary file so
 * that every benchmark is self-contained. Static inline: each benchmark is
 * one executable built from one .c file.
 */
#ifndef TC_BENCH_UTIL_H
#define TC_BENCH_UTIL_H

#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/diag.h"
#include "scenario/scenario.h"

static inline double bench_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Sorts rate[0..n) and returns its median; *best is the largest. */
static inline double bench_median(double *rate, int n, double *best)
{
	qsort(rate, (size_t)n, sizeof rate[0], bench_cmp_double);
	*best = rate[n - 1];
	return rate[n / 2];
}

/* The repetitions argument (default 5), or -1 with a usage line. */
static inline int bench_reps(int argc, char **argv, const char *name)
{
	int reps = argc > 1 ? atoi(argv[1]) : 5;
	if (reps < 1 || reps > 100) {
		fprintf(stderr, "usage: %s [repetitions 1..100]\n", name);
		return -1;
	}
	return reps;
}

/* A fresh temporary file for the scenario text; path receives its name. */
static inline FILE *bench_temp_yaml(char *path, size_t size)
{
	const char *dir = getenv("TMPDIR");
	snprintf(path, size, "%s/tocsin-bench-XXXXXX", dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	FILE *f = fdopen(fd, "w");
	if (!f)
		close(fd);
	return f;
}

/* Load the scenario written at path, then delete the file unless
 * TOCSIN_BENCH_KEEP is set (to look at it, or run it with tocsin run).
 * NULL (with the diagnostics on stderr) when it does not load. */
static inline tc_scenario *bench_load(const char *path)
{
	tc_diag diag;
	tc_diag_init(&diag, tc_alloc_default());
	tc_scenario *s = NULL;
	if (tc_scenario_load(&s, tc_alloc_default(), path, NULL, &diag))
		tc_diag_print(&diag, stderr);
	tc_diag_release(&diag);
	if (getenv("TOCSIN_BENCH_KEEP"))
		fprintf(stderr, "scenario kept: %s\n", path);
	else
		remove(path);
	return s;
}

#endif
