/*
 * A whole run with its event log, as `tocsin run` makes it: a generated
 * national response with many actors and a lot of traffic. 400 victims in
 * 20 sectors each report alerts in a Poisson wave (every 4 h on average for
 * 30 days, 8 incidents of all five severities). A victim (office hours, on call
 * for high severity) sends an early warning to its sector CSIRT (24/7),
 * retried when no ack comes back within 4 h; the CSIRT acks and sends a
 * sitrep to the national CSIRT, which answers with a decision and, for the
 * critical incident, informs the ministry and convenes a crisis meeting.
 * E-mail goes down for a day; channels lose messages; a weekly meeting
 * stands. Queues are stable but surge on Monday mornings, when the victims
 * clear the weekend's low-severity alerts.
 *
 * Cases: no sink (the engine alone), the JSONL log to /dev/null (the engine
 * and the serialisation), the log to a file in $TMPDIR (and the write()s).
 * Prints tab-separated lines: benchmark, case, median, best, unit.
 * Usage: bench_run [repetitions]   (default 5)
 */
#include "bench_util.h"

#include <stdint.h>

#include "sim/log_json.h"
#include "sim/run.h"

enum {
	VICTIMS = 400,
	SECTORS = 20,
	INCIDENTS = 8,
};

static const char *const severities[] = {"info", "low", "medium", "high", "critical"};

static void write_actors(FILE *f)
{
	fprintf(f, "actors:\n");
	for (int i = 0; i < VICTIMS; i++)
		fprintf(f,
		        "  - {id: v%03d, level: technical, scope: victim, staff: 2,"
		        " schedule: {mon-fri: \"08:00-18:00\"},"
		        " on_call: {staff: 1, callout_delay: 30m, min_severity: high},"
		        " handling: {default: {dist: lognormal, median: 15m, p90: 45m}}}\n",
		        i);
	for (int j = 0; j < SECTORS; j++)
		fprintf(f,
		        "  - {id: s%02d, level: operational, scope: sector, staff: 10,"
		        " timezone: Europe/Paris,"
		        " handling: {default: {dist: lognormal, median: 10m, p90: 30m},"
		        " early-warning: {dist: exponential, mean: 20m}}}\n",
		        j);
	fprintf(f,
	        "  - {id: national, level: technical, scope: national, staff: 40,"
	        " handling: {default: {dist: lognormal, median: 5m, p90: 20m}}}\n"
	        "  - {id: ministry, level: strategic, scope: national, staff: 3,"
	        " schedule: {mon-fri: \"09:00-19:00\"},"
	        " on_call: {staff: 1, callout_delay: 1h, min_severity: critical},"
	        " handling: {default: {dist: triangular, min: 10m, mode: 20m, max: 1h}}}\n");
}

static void write_rules(FILE *f)
{
	fprintf(f, "doctrine:\n  name: report-up\n  rules:\n");
	for (int i = 0; i < VICTIMS; i++)
		fprintf(f,
		        "    - {actor: v%03d, on: alert, send: {kind: early-warning, to: s%02d,"
		        " retry: {after: 4h, max: 2}}}\n",
		        i, i % SECTORS);
	for (int j = 0; j < SECTORS; j++)
		fprintf(f,
		        "    - {actor: s%02d, on: early-warning, ack: true,"
		        " send: {kind: sitrep, to: national}}\n",
		        j);
	fprintf(f,
	        "    - {actor: national, on: sitrep, send: {kind: decision, to: sender}}\n"
	        "    - {actor: national, on: sitrep, min_severity: critical, once: true,"
	        " convene: crisis, send: {kind: info, to: ministry}}\n");
}

static void write_injects(FILE *f)
{
	fprintf(f, "injects:\n");
	for (int i = 0; i < VICTIMS; i++)
		fprintf(f,
		        "  - {id: wave%03d, at: %ds, to: v%03d, kind: alert, incident: inc%d,"
		        " repeat: {every: {dist: exponential, mean: 4h}, count: 1000000}}\n",
		        i, i * 37, i, i % INCIDENTS);
	fprintf(f,
	        "  - {id: email-down, at: 3d, action: channel-down, channel: email}\n"
	        "  - {id: email-up, at: 4d, action: channel-up, channel: email}\n");
}

static tc_scenario *make_scenario(void)
{
	char path[4096];
	FILE *f = bench_temp_yaml(path, sizeof path);
	if (!f)
		return NULL;
	fprintf(f, "exercise: {name: national wave, start: 2024-03-04T00:00:00+01:00,"
	           " timezone: Europe/Paris, duration: 30d}\n");
	write_actors(f);
	fprintf(f,
	        "channels:\n"
	        "  - {id: portal, kind: platform, latency: {dist: lognormal, median: 5m, p90: 30m},"
	        " loss: 0.01, priority: 1}\n"
	        "  - {id: email, kind: email, latency: {dist: lognormal, median: 2m, p90: 10m},"
	        " loss: 0.01, priority: 2}\n"
	        "  - {id: phone, kind: phone, latency: {dist: uniform, min: 2m, max: 20m},"
	        " loss: 0.05, priority: 3}\n");
	fprintf(f, "incidents:\n");
	for (int k = 0; k < INCIDENTS; k++)
		fprintf(f, "  - {id: inc%d, severity: %s, required: [national, ministry]}\n", k,
		        severities[k % 5]);
	fprintf(f,
	        "meetings:\n"
	        "  - {id: crisis, chair: national, participants: [national, ministry, s00, s01],"
	        " quorum: 2, duration: 1h, outcome: [{kind: decision, to: [s00, s01]}]}\n"
	        "  - {id: weekly, chair: national, participants: [national, s00, s01, s02],"
	        " quorum: 3, duration: 1h, standing: {first: 2024-03-05T10:00:00, every: 1w}}\n");
	write_rules(f);
	write_injects(f);
	if (fclose(f))
		return NULL;
	return bench_load(path);
}

/* The file case comes first: its size is the log's, which is the same bytes
 * in every case (same scenario and seed), and /dev/null cannot tell it. */
enum { TMP_FILE, DEV_NULL, NO_LOG };
static const char *const case_names[] = {"log to a file", "log to /dev/null", "no log"};

int main(int argc, char **argv)
{
	int reps = bench_reps(argc, argv, "bench_run");
	if (reps < 0)
		return 2;
	tc_scenario *s = make_scenario();
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
