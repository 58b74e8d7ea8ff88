/*
 * One run of a scenario: single-threaded, owns all its state, emits its
 * event records to a sink. Many runs of one scenario may proceed in parallel.
 */
#ifndef TC_SIM_RUN_H
#define TC_SIM_RUN_H

#include <stdint.h>
#include <stdio.h>

#include "core/alloc.h"
#include "scenario/scenario.h"
#include "sim/record.h"

typedef struct tc_run tc_run;

/* Receives every record in order; returns non-zero to stop the run with that error. */
typedef struct tc_sink {
	int (*record)(void *ud, const tc_run *run, const tc_record *rec);
	void *ud;
} tc_sink;

typedef struct tc_run_options {
	uint64_t seed;
	uint32_t replication;
	tc_time until;             /* stop at this time; TC_TIME_NEVER = the scenario's end */
	uint64_t max_events;       /* 0 = unlimited; beyond it the run fails with TC_ELIMIT */
	size_t script_memory;      /* the Lua state's budget in bytes; 0 = 64 MiB */
	uint64_t script_instructions; /* per Lua callback; 0 = 10 M */
	int script_errors_continue;   /* a failing callback is recorded (script-error) and the run
	                               * goes on, instead of failing with TC_ESCRIPT */
} tc_run_options;

/* Summary figures of a finished run, for the terminal. */
typedef struct tc_run_stats {
	uint64_t events;           /* queue events processed */
	uint64_t records;
	uint64_t messages;
	uint64_t delivered, lost, handled, retries;
	uint64_t meetings_held, meetings_failed;
	tc_time end_time;
	const char *end_reason;    /* "end-inject", "script", "duration", "until", "quiescent" */
} tc_run_stats;

/*
 * Simulated time must pass: more events than this at one instant means rules
 * answering each other with no delay, and the run fails with TC_ELIMIT
 * instead of spinning forever.
 */
enum { TC_MAX_EVENTS_PER_INSTANT = 1000000 };

int tc_run_new(tc_run **out, tc_alloc *a, const tc_scenario *s, const tc_run_options *opt,
               const tc_sink *sink);
void tc_run_free(tc_run *run);

/*
 * Compile the scenario's and the doctrine's Lua and run their top levels
 * (which register timers and handlers). tc_run_execute does it first when
 * it was not done; `tocsin validate` calls it alone to check the scripts.
 * Returns TC_OK, TC_ESCRIPT (tc_run_error_message() says where and why:
 * a syntax or runtime error, a doctrine handler for an unknown actor) or
 * TC_ENOMEM. Calling it again returns the first result.
 */
int tc_run_prepare(tc_run *run);

/* Run to the end. Returns TC_OK, TC_ENOMEM, TC_ELIMIT, TC_ESCRIPT, or the sink's error;
 * tc_run_error_message() then says what went wrong, when the run knows. */
int tc_run_execute(tc_run *run);
const char *tc_run_error_message(const tc_run *run);

const tc_scenario *tc_run_scenario(const tc_run *run);
const tc_run_options *tc_run_options_of(const tc_run *run);
const tc_run_stats *tc_run_stats_of(const tc_run *run);
/* When actor became aware of incident, or TC_TIME_NEVER. */
tc_time tc_run_aware_at(const tc_run *run, int actor, int incident);

/* Incidents of the run: the scenario's (same indices), then those scripts
 * opened (incident-opened records). */
typedef struct tc_run_incident {
	const char *id, *title;
	int severity;              /* now: scripts may escalate it */
	tc_time start;
	int detector;              /* actor index or -1 */
	const uint32_t *required;
	size_t required_count;
	int opened;                /* opened by a script */
} tc_run_incident;

size_t tc_run_incident_count(const tc_run *run);
tc_run_incident tc_run_incident_at(const tc_run *run, int incident);

#endif
