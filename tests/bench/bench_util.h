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
#include "sim/run.h"

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

/* The ping-pong exercise both ping-pong benchmarks play: two teams of
 * `balls` handlers (1 s mean handling) across a lognormal wire (median 1 s),
 * up to the `doctrine:` key, which each benchmark writes its own way. */
static inline void bench_pingpong_head(FILE *f, unsigned balls)
{
	fprintf(f,
	        "exercise: {name: ping-pong, start: 2024-01-01T00:00:00Z, duration: 366d}\n"
	        "kinds: {ping: {informative: false}}\n"
	        "actors:\n"
	        "  - {id: a, level: technical, staff: %u,"
	        " handling: {default: {dist: exponential, mean: 1s}}}\n"
	        "  - {id: b, level: technical, staff: %u,"
	        " handling: {default: {dist: exponential, mean: 1s}}}\n"
	        "channels:\n"
	        "  - {id: wire, latency: {dist: lognormal, median: 1s, p90: 3s}}\n"
	        "incidents:\n"
	        "  - {id: rally, required: [a, b]}\n",
	        balls, balls);
}

/* The serve: one ball, or `balls` of them a millisecond apart. */
static inline void bench_pingpong_serve(FILE *f, unsigned balls)
{
	fprintf(f, "injects:\n  - {id: serve, at: 0, from: a, to: b, kind: ping");
	if (balls > 1)
		fprintf(f, ", repeat: {every: 1ms, count: %u}", balls);
	fprintf(f, "}\n");
}

/* One timed run of s until `until` (no sink): events and messages per second.
 * Returns 0, or prints why the run failed (prefixed by who) and returns -1. */
static inline int bench_time_run(const tc_scenario *s, tc_time until, const char *who,
                                 double *events, double *messages)
{
	tc_run_options opt = {.seed = 1, .until = until};
	tc_run *run = NULL;
	double t0 = bench_now();
	if (tc_run_new(&run, tc_alloc_default(), s, &opt, NULL) || tc_run_execute(run)) {
		fprintf(stderr, "%s: the run failed: %s\n", who,
		        run ? tc_run_error_message(run) : "tc_run_new");
		tc_run_free(run);
		return -1;
	}
	double dt = bench_now() - t0;
	const tc_run_stats *st = tc_run_stats_of(run);
	*events = (double)st->events / dt;
	*messages = (double)st->messages / dt;
	tc_run_free(run);
	return 0;
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
