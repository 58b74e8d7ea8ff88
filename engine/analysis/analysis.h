/*
 * The coordination-latency analysis (docs/metrics.md defines every figure).
 *
 * It consumes a run's event records through one interface: tc_analysis_start
 * with the run-started record's JSON, then every record in order, then
 * tc_analysis_finish. The records come either from a running simulation
 * (analysis/feed.h) or from events.jsonl (analysis/reader.h); both give the
 * same metrics. The analysis reads the log only, never the simulation.
 *
 * A figure that was never reached (an actor never aware, an objective whose
 * event never happened) is TC_TIME_NEVER, never a time.
 */
#ifndef TC_ANALYSIS_ANALYSIS_H
#define TC_ANALYSIS_ANALYSIS_H

#include <stddef.h>
#include <stdint.h>

#include "analysis/setup.h"
#include "core/alloc.h"
#include "core/timefmt.h"
#include "sim/record.h"

/* ---- metrics: the result, read by the report layer ---------------------- */

typedef enum tc_hop_status {
	TC_HOP_HANDLED,            /* handled by its receiver */
	TC_HOP_LOST,               /* lost in transit or no channel connects the pair */
	TC_HOP_HELD,               /* still held at the sender at the end (every channel down) */
	TC_HOP_IN_TRANSIT,         /* sent, not yet delivered at the end */
	TC_HOP_QUEUED,             /* delivered, waiting for a handler at the end */
	TC_HOP_HANDLING,           /* being handled at the end */
	TC_HOP_STATUS_COUNT
} tc_hop_status;
const char *tc_hop_status_name(tc_hop_status status);

/* One message (a retry is a message of its own, attempt > 1). Times not
 * reached are TC_TIME_NEVER; durations of stages not reached are 0 except
 * `total`, which is TC_TIME_NEVER unless the message was handled. */
typedef struct tc_hop {
	uint64_t msg;
	tc_kind_id kind;
	int from;                  /* actor index, TC_NONE for an inject from outside */
	int to;
	int incident;              /* TC_NONE when the message is about none */
	int channel;               /* the channel used, TC_NONE when none / direct */
	int attempt;
	int severity;
	tc_cause binding;          /* the cause the critical path follows */
	tc_hop_status status;
	int on_call;               /* handled by on-call staff */
	tc_time created, sent, delivered, started, handled;
	tc_time hold, channel_delay, queue, off_hours, handling, total;
	const char *lost_reason;   /* TC_HOP_LOST: the log's reason; else NULL */
} tc_hop;

/* Nearest-rank percentiles of a set of durations (TC_TIME_NEVER when empty). */
typedef struct tc_percentiles {
	uint64_t count;
	tc_time p50, p90, p99, max;
	double mean;               /* ms; NaN when count is 0 */
} tc_percentiles;

typedef struct tc_actor_metrics {
	uint64_t received;         /* messages delivered to it */
	uint64_t handled;
	uint64_t sent;             /* messages it created (retries included) */
	uint64_t lost;             /* of those it sent, lost */
	uint64_t retries;          /* of those it sent, retries */
	uint64_t meetings;         /* meeting seats taken */
	tc_time busy_duty;         /* staff-ms handling or in meetings, by on-duty staff */
	tc_time busy_on_call;      /* staff-ms handling by on-call staff */
	tc_time capacity;          /* staff-ms on duty over the run's span */
	double utilisation;        /* busy_duty / capacity; NaN when capacity is 0 */
	uint64_t backlog_max;      /* most messages delivered and not yet taken */
	tc_time backlog_max_at;    /* first time it was reached (TC_TIME_NEVER if 0) */
	double backlog_mean;       /* time-weighted over the span */
	tc_percentiles response;   /* delivered -> handled, over its handled messages */
	tc_time queue, off_hours, handling;  /* sums over its handled messages */
	/* When it was on duty during the run: its schedule as overridden by
	 * each hours-changed (tocsin.set_hours), from a day before the span to
	 * a day after its end. What the report's timeline shades. */
	tc_timeline duty;
} tc_actor_metrics;

/* Awareness of one actor of one incident. */
typedef struct tc_awareness {
	tc_time at;                /* TC_TIME_NEVER: never aware */
	tc_time since_start;       /* at - incident start, or TC_TIME_NEVER */
	tc_cause cause;
} tc_awareness;

/* One level of the response, for one incident. Its actors are those of the
 * level that the incident requires, or every actor of the level when it
 * requires none of them (the same set as an objective on `level:NAME`). */
typedef struct tc_level_metrics {
	uint32_t actors;           /* in the set; 0: the level does not take part */
	uint32_t aware;
	tc_time first, all;        /* since the incident's start; TC_TIME_NEVER */
} tc_level_metrics;

/* What each second of the critical path was spent on. */
typedef enum tc_path_cause {
	TC_PATH_DETECTION,         /* incident start -> the first cause in the chain */
	TC_PATH_HOLD,              /* held at the sender: every channel down */
	TC_PATH_CHANNEL,
	TC_PATH_QUEUE,             /* receiver on duty but busy */
	TC_PATH_OFF_HOURS,
	TC_PATH_HANDLING,
	TC_PATH_MEETING,           /* waiting for quorum and sitting in the meeting */
	TC_PATH_RETRY,             /* waiting for an ack that never came, then resending */
	TC_PATH_REACTION,          /* between handling a message and sending the next (scripts) */
	TC_PATH_CAUSE_COUNT
} tc_path_cause;
const char *tc_path_cause_name(tc_path_cause cause);

typedef enum tc_step_type {
	TC_STEP_INCIDENT,          /* the incident's start */
	TC_STEP_INJECT,
	TC_STEP_SCRIPT,
	TC_STEP_MESSAGE,
	TC_STEP_MEETING,
} tc_step_type;
/* "incident", "inject", "script", "message", "meeting". */
const char *tc_step_type_name(tc_step_type type);

/* One link of the chain, oldest first. Its time [start, end) is split into
 * causes; `actor` is who the waiting is charged to (TC_NONE for channel time
 * and the incident's start). */
typedef struct tc_path_step {
	tc_step_type type;
	uint64_t id;               /* message id, meeting instance, script handle */
	int index;                 /* inject or meeting definition index, else TC_NONE */
	int from, to;              /* messages: sender (TC_NONE outside) and receiver */
	int actor;                 /* the actor a message step's waiting is charged to (its
	                            * receiver); TC_NONE for other steps */
	tc_time start, end;
	tc_time split[TC_PATH_CAUSE_COUNT];
} tc_path_step;

typedef struct tc_path_actor {
	int actor;
	tc_time time;              /* queue + off-hours + handling + hold + reaction charged to it */
} tc_path_actor;

typedef struct tc_critical_path {
	int target_actor;          /* whose awareness ends it; TC_NONE: no path */
	int complete;              /* it ends at the common operational picture */
	tc_time start, end;        /* end - start = length */
	tc_path_step *steps;
	size_t step_count;
	tc_time by_cause[TC_PATH_CAUSE_COUNT];
	tc_path_actor *by_actor;   /* descending time, then actor index */
	size_t by_actor_count;
	int bottleneck;            /* the actor charged the most time, TC_NONE if none */
} tc_critical_path;

typedef struct tc_incident_metrics {
	uint32_t required, required_aware;
	tc_time cop_at;            /* every required actor aware: the common operational
	                            * picture; TC_TIME_NEVER when not reached */
	tc_time time_to_cop;       /* cop_at - start */
	tc_level_metrics levels[TC_LEVEL_COUNT];
	tc_critical_path path;
} tc_incident_metrics;

typedef enum tc_verdict { TC_VERDICT_MET, TC_VERDICT_MISSED, TC_VERDICT_OPEN } tc_verdict;
const char *tc_verdict_name(tc_verdict verdict);

/* Why an objective got its verdict. */
typedef enum tc_objective_reason {
	TC_REASON_IN_TIME,         /* met: the event happened by the deadline */
	TC_REASON_LATE,            /* missed: it happened after the deadline */
	TC_REASON_NEVER,           /* missed: not by the end, and the deadline had passed */
	TC_REASON_NO_ANCHOR,       /* missed: the anchor never happened */
	TC_REASON_RUN_ENDED,       /* open: the run ended before the deadline */
} tc_objective_reason;
const char *tc_objective_reason_name(tc_objective_reason reason);

typedef struct tc_objective_result {
	tc_verdict verdict;
	tc_objective_reason reason;
	tc_time anchor_at;         /* TC_TIME_NEVER when the anchor never happened */
	tc_time deadline;          /* anchor + within; TC_TIME_NEVER without anchor */
	tc_time event_at;          /* TC_TIME_NEVER when it never happened */
	tc_time margin;            /* deadline - event_at (negative when late);
	                            * TC_TIME_NEVER when either is unknown */
	int subjects, subjects_done;   /* actors the objective is about, and how many did it */
	tc_critical_path path;     /* the causal chain to the event (the last subject's),
	                            * from the incident's start; empty when it never happened */
} tc_objective_result;

typedef struct tc_count_row {
	uint64_t messages, delivered, lost, handled;
} tc_count_row;

typedef struct tc_totals {
	uint64_t records, events;  /* events: queue events, from run-ended's stats */
	uint64_t messages, delivered, lost, handled, retries;
	uint64_t meetings_held, meetings_failed;
	tc_time span_start, span_end;  /* the first and last record's times */
	const char *end_reason;    /* run-ended's reason */
	tc_count_row *by_kind;     /* setup->kind_count rows */
	tc_count_row *by_channel;  /* setup->channel_count rows, then one for direct delivery */
} tc_totals;

typedef struct tc_metrics {
	const tc_setup *setup;
	tc_hop *hops;              /* by message id: hops[i].msg == i + 1 */
	size_t hop_count;
	tc_actor_metrics *actors;  /* setup->actor_count */
	tc_awareness *awareness;   /* incident-major: [incident * actor_count + actor] */
	tc_incident_metrics *incidents;   /* setup->incident_count */
	tc_objective_result *objectives;  /* setup->objective_count */
	tc_totals totals;
} tc_metrics;

/* ---- the analysis ---------------------------------------------------------- */

typedef struct tc_analysis tc_analysis;

tc_analysis *tc_analysis_new(tc_alloc *a);
void tc_analysis_free(tc_analysis *an);

/*
 * Begin with the run-started record: `json` is its text (one JSON object,
 * len bytes). TC_OK, TC_ENOMEM, or TC_EINVAL with tc_analysis_error()
 * naming the field that is missing or wrong.
 */
int tc_analysis_start(tc_analysis *an, const char *json, size_t len);
/* The setup read from run-started (valid until tc_analysis_free). */
tc_setup *tc_analysis_setup(tc_analysis *an);

/*
 * Consume the next record. Indices in rec refer to the setup's tables; an
 * incident-opened record must follow tc_setup_add_incident for its incident.
 * Records must come in order (seq dense from 1, times non-decreasing) and
 * refer to known messages and actors: TC_EINVAL with tc_analysis_error()
 * otherwise. TC_ENOMEM when out of memory.
 */
int tc_analysis_record(tc_analysis *an, const tc_record *rec);

/* After run-ended: compute everything. The metrics live until
 * tc_analysis_free. TC_EINVAL when run-ended was never seen. */
int tc_analysis_finish(tc_analysis *an, const tc_metrics **out);

const char *tc_analysis_error(const tc_analysis *an);

#endif
