/*
 * A whole run with its event log, as `tocsin run` makes it: a generated
 * national response with many actors and a lot of traffic (the national
 * wave of bench_national.h).
 *
 * Cases: no sink (the engine alone), the JSONL log to /dev/null (the engine
 * and the serialisation), the log to a file in $TMPDIR (and the write()s).
 * Prints tab-separated lines: benchmark, case, median, best, unit.
 * Usage: bench_run [repetitions]   (default 5)
 */
#include "bench_national.h"

#include <stdint.h>

#include "sim/log_json.h"
#include "sim/run.h"

/* The file case comes first: its size is the log's, which is the same bytes
 * in every case (same scenario and seed), and /dev/null cannot tell it. */
enum { TMP_FILE, DEV_NULL, NO_LOG };
static const char *const case_names[] = {"log to a file", "log to /dev/null", "no log"};

int main(int argc, char **argv)
{
	int reps = bench_reps(argc, argv, "bench_run");
	if (reps < 0)
		return 2;
	tc_scenario *s = bench_national_scenario();
	if (!s)
		return 1;
	const char *dir = getenv("TMPDIR");
	char log_path[4096];
	snprintf(log_path, sizeof log_path, "%s/tocsin-bench-%ld.jsonl", dir ? dir : "/tmp",
	         (long)getpid());
	long size = 0;
	for (int c = TMP_FILE; c <= NO_LOG; c++) {
		double events[100], records[100], bytes[100];
		uint64_t n_events = 0, n_records = 0, n_messages = 0;
		for (int r = -1; r < reps; r++) {   /* r = -1 warms up */
			FILE *out = c == NO_LOG ? NULL : fopen(c == DEV_NULL ? "/dev/null" : log_path, "wb");
			if (c != NO_LOG && !out) {
				perror("bench_run");
				return 1;
			}
			tc_log_json log;
			tc_log_json_init(&log, tc_alloc_default(), out);
			tc_sink sink = tc_log_json_sink(&log);
			tc_run_options opt = {.seed = 1, .until = TC_TIME_NEVER};
			tc_run *run = NULL;
			double t0 = bench_now();
			int rc = tc_run_new(&run, tc_alloc_default(), s, &opt, out ? &sink : NULL);
			if (!rc)
				rc = tc_run_execute(run);
			if (out) {
				if (c == TMP_FILE)
					size = ftell(out);
				if (fclose(out))
					rc = 1;
			}
			double dt = bench_now() - t0;
			if (rc) {
				fprintf(stderr, "bench_run: the run failed\n");
				return 1;
			}
			const tc_run_stats *st = tc_run_stats_of(run);
			n_events = st->events;
			n_records = st->records;
			n_messages = st->messages;
			if (r >= 0) {
				events[r] = (double)st->events / dt;
				records[r] = (double)st->records / dt;
				bytes[r] = (double)size / dt;
			}
			tc_run_free(run);
			tc_log_json_release(&log);
		}
		if (c == TMP_FILE)
			printf("run\tsize: %llu events, %llu records, %llu messages, %.1f MB of log"
			       "\t-\t-\t-\n",
			       (unsigned long long)n_events, (unsigned long long)n_records,
			       (unsigned long long)n_messages, (double)size / 1e6);
		double best, median = bench_median(events, reps, &best);
		printf("run\t%s: events\t%.2f\t%.2f\tM events/s\n", case_names[c], median / 1e6,
		       best / 1e6);
		median = bench_median(records, reps, &best);
		printf("run\t%s: records\t%.2f\t%.2f\tM records/s\n", case_names[c], median / 1e6,
		       best / 1e6);
		if (c != NO_LOG) {
			median = bench_median(bytes, reps, &best);
			printf("run\t%s: log\t%.0f\t%.0f\tMB/s\n", case_names[c], median / 1e6, best / 1e6);
		}
		fflush(stdout);
	}
	remove(log_path);
	tc_scenario_free(s);
	return 0;
}
