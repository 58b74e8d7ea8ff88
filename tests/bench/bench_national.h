/*
 * The national wave: the generated exercise of bench_run and bench_analysis.
 * 400 victims in 20 sectors each report alerts in a Poisson wave (every 4 h
 * on average for 30 days, 8 incidents of all five severities). A victim
 * (office hours, on call for high severity) sends an early warning to its
 * sector CSIRT (24/7), retried when no ack comes back within 4 h; the CSIRT
 * acks and sends a sitrep to the national CSIRT, which answers with a
 * decision and, for the critical incident, informs the ministry and convenes
 * a crisis meeting. E-mail goes down for a day; channels lose messages; a
 * weekly meeting stands. Queues are stable but surge on Monday mornings,
 * when the victims clear the weekend's low-severity alerts.
 */
#ifndef TC_BENCH_NATIONAL_H
#define TC_BENCH_NATIONAL_H

#include "bench_util.h"

enum {
	VICTIMS = 400,
	SECTORS = 20,
	INCIDENTS = 8,
};

static const char *const severities[] = {"info", "low", "medium", "high", "critical"};

static inline void write_actors(FILE *f)
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

static inline void write_rules(FILE *f)
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

static inline void write_injects(FILE *f)
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

static inline tc_scenario *bench_national_scenario(void)
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

#endif
