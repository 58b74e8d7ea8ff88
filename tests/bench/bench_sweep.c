/*
 * A sweep of the flagship scenario (scenarios/hospital-ransomware.yaml), as
 * `tocsin sweep` runs it: every replication fed to its analysis, reduced to
 * its row of figures and handed back in order (the rows are counted, not
 * written). Cases: 1 worker thread, 2 worker threads; the speed-up is
 * their ratio.
 * Prints tab-separated lines: benchmark, case, median, best, unit.
 * Usage: bench_sweep [repetitions]   (default 5; BENCH_SWEEP_N replications
 * per repetition, default 2000)
 */
#include "bench_util.h"

#include <stdint.h>

#include "sweep/sweep.h"

static int count_row(void *ud, size_t variant, uint32_t replication, const char *row,
                     size_t len, char *err, size_t errlen)
{
	(void)variant, (void)replication, (void)row, (void)err, (void)errlen;
	*(uint64_t *)ud += len;
	return 0;
}

int main(int argc, char **argv)
{
	int reps = bench_reps(argc, argv, "bench_sweep");
	if (reps < 0)
		return 2;
	const char *n_env = getenv("BENCH_SWEEP_N");
	uint32_t n = n_env ? (uint32_t)strtoul(n_env, NULL, 10) : 2000;
	tc_sweep_keep_freed_memory();
	tc_diag diag;
	tc_diag_init(&diag, tc_alloc_default());
	tc_scenario *s = NULL;
	if (tc_scenario_load(&s, tc_alloc_default(),
	                     TOCSIN_SOURCE_DIR "/scenarios/hospital-ransomware.yaml", NULL, &diag)) {
		tc_diag_print(&diag, stderr);
		return 1;
	}
	tc_diag_release(&diag);
	tc_sweep_variant variant = {.scenario = s};
	tc_sweep sw = {.alloc = tc_alloc_default(), .variants = &variant, .variant_count = 1,
	               .run = {.seed = s->default_seed, .until = TC_TIME_NEVER}, .first = 0,
	               .last = n};
	char err[1024];
	if (tc_sweep_prepare(&sw, err, sizeof err)) {
		fprintf(stderr, "bench_sweep: %s\n", err);
		return 1;
	}
	double median[3] = {0}, best[3] = {0};
	for (unsigned jobs = 1; jobs <= 2; jobs++) {
		double rate[100];
		for (int r = -1; r < reps; r++) { /* r = -1 warms up */
			uint64_t bytes = 0;
			double t0 = bench_now();
			if (tc_sweep_execute(&sw, jobs, count_row, NULL, &bytes, err, sizeof err)) {
				fprintf(stderr, "bench_sweep: %s\n", err);
				return 1;
			}
			if (r >= 0)
				rate[r] = n / (bench_now() - t0);
		}
		median[jobs] = bench_median(rate, reps, &best[jobs]);
		printf("sweep\t%u job%s (%u replications)\t%.0f\t%.0f\treplications/s\n", jobs,
		       jobs > 1 ? "s" : "", n, median[jobs], best[jobs]);
	}
	printf("sweep\tspeed-up, 1 to 2 jobs\t%.2f\t%.2f\tx\n", median[2] / median[1],
	       best[2] / best[1]);
	tc_sweep_release(&sw);
	tc_scenario_free(s);
	return 0;
}
