/*
 * The analysis of the national wave (bench_national.h): fed in memory by the
 * running simulation, as `tocsin run` and sweeps do (the run's own cost is
 * included: compare with bench_run's "no log" case), and from events.jsonl,
 * as `tocsin report` does; then the report files written from the metrics.
 * Prints tab-separated lines: benchmark, case, median, best, unit.
 * Usage: bench_analysis [repetitions]   (default 5)
 */
#include "bench_national.h"

#include <stdint.h>
#include <sys/stat.h>

#include "analysis/feed.h"
#include "analysis/reader.h"
#include "report/report.h"
#include "sim/log_json.h"

static int write_log(const tc_scenario *s, const char *path)
{
	FILE *out = fopen(path, "wb");
	if (!out)
		return -1;
	tc_log_json log;
	tc_log_json_init(&log, tc_alloc_default(), out);
	tc_sink sink = tc_log_json_sink(&log);
	tc_run_options opt = {.seed = 1, .until = TC_TIME_NEVER};
	tc_run *run = NULL;
	int rc = tc_run_new(&run, tc_alloc_default(), s, &opt, &sink);
	if (!rc)
		rc = tc_run_execute(run);
	tc_run_free(run);
	tc_log_json_release(&log);
	return fclose(out) || rc ? -1 : 0;
}

/* Run with the analysis fed in memory; records/s of the whole. */
static double in_memory(const tc_scenario *s, uint64_t *records)
{
	tc_analysis *an = tc_analysis_new(tc_alloc_default());
	tc_analysis_feed feed;
	tc_analysis_feed_init(&feed, tc_alloc_default(), an, NULL);
	tc_sink sink = tc_analysis_feed_sink(&feed);
	tc_run_options opt = {.seed = 1, .until = TC_TIME_NEVER};
	tc_run *run = NULL;
	const tc_metrics *m = NULL;
	double t0 = bench_now();
	int rc = tc_run_new(&run, tc_alloc_default(), s, &opt, &sink);
	if (!rc)
		rc = tc_run_execute(run);
	if (!rc)
		rc = tc_analysis_finish(an, &m);
	double dt = bench_now() - t0;
	*records = m ? m->totals.records : 0;
	tc_run_free(run);
	tc_analysis_feed_release(&feed);
	tc_analysis_free(an);
	return rc ? -1 : (double)*records / dt;
}

/* Read and analyse the log; records/s. Then, if dir, write the report
 * there and return its time in *report_s. */
static double from_log(const char *path, const char *dir, double *report_s)
{
	tc_analysis *an = tc_analysis_new(tc_alloc_default());
	const tc_metrics *m = NULL;
	char err[512];
	double t0 = bench_now();
	int rc = tc_read_events_file(an, path, &m, err, sizeof err);
	double dt = bench_now() - t0;
	if (rc) {
		fprintf(stderr, "bench_analysis: %s\n", err);
		tc_analysis_free(an);
		return -1;
	}
	double rate = (double)m->totals.records / dt;
	if (dir) {
		t0 = bench_now();
		rc = tc_report_write(m, dir, TC_REPORT_ALL, tc_alloc_default(), err, sizeof err);
		*report_s = bench_now() - t0;
		if (rc) {
			fprintf(stderr, "bench_analysis: %s\n", err);
			rate = -1;
		}
	}
	tc_analysis_free(an);
	return rate;
}

int main(int argc, char **argv)
{
	int reps = bench_reps(argc, argv, "bench_analysis");
	if (reps < 0)
		return 2;
	tc_scenario *s = bench_national_scenario();
	if (!s)
		return 1;
	const char *tmp = getenv("TMPDIR");
	char log_path[4096], dir[4096];
	snprintf(log_path, sizeof log_path, "%s/tocsin-bench-%ld.jsonl", tmp ? tmp : "/tmp",
	         (long)getpid());
	snprintf(dir, sizeof dir, "%s/tocsin-bench-report-%ld", tmp ? tmp : "/tmp",
	         (long)getpid());
	if (write_log(s, log_path) || mkdir(dir, 0777)) {
		perror("bench_analysis");
		return 1;
	}
	double mem[100], file[100], report[100];
	uint64_t records = 0;
	for (int r = -1; r < reps; r++) {   /* r = -1 warms up */
		double rm = in_memory(s, &records);
		double report_s = 0;
		double rf = from_log(log_path, dir, &report_s);
		if (rm < 0 || rf < 0) {
			fprintf(stderr, "bench_analysis: the analysis failed\n");
			return 1;
		}
		if (r >= 0) {
			mem[r] = rm;
			file[r] = rf;
			report[r] = 1.0 / report_s;
		}
	}
	printf("analysis\tsize: %llu records\t-\t-\t-\n", (unsigned long long)records);
	double best, median = bench_median(mem, reps, &best);
	printf("analysis\trun + analysis in memory\t%.2f\t%.2f\tM records/s\n", median / 1e6,
	       best / 1e6);
	median = bench_median(file, reps, &best);
	printf("analysis\tread events.jsonl + analysis\t%.2f\t%.2f\tM records/s\n", median / 1e6,
	       best / 1e6);
	median = bench_median(report, reps, &best);
	printf("analysis\twrite report.json, CSV, HTML\t%.2f\t%.2f\ts\n", 1.0 / median, 1.0 / best);
	remove(log_path);
	const char *files[] = {"report.json", "report.html"};
	for (size_t i = 0; i < 2; i++) {
		char p[8200];
		snprintf(p, sizeof p, "%s/%s", dir, files[i]);
		remove(p);
	}
	for (size_t i = 0; i < tc_csv_table_count; i++) {
		char p[8200];
		snprintf(p, sizeof p, "%s/%s", dir, tc_csv_tables[i].file);
		remove(p);
	}
	rmdir(dir);
	tc_scenario_free(s);
	return 0;
}
