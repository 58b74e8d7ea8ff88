/*
 * The analysis's working state, shared by its files: analysis.c consumes the
 * records, metrics.c, path.c and objectives.c compute the figures at the end.
 */
#ifndef TC_ANALYSIS_INTERNAL_H
#define TC_ANALYSIS_INTERNAL_H

#include "analysis/analysis.h"
#include "core/arena.h"

/* Working hours as a script last set them (hours-changed). */
typedef enum hours_mode { HOURS_SCHEDULE, HOURS_ALWAYS, HOURS_OFF } hours_mode;

/* What the analysis integrates over time for one actor. */
typedef struct actor_state {
	tc_time mark;              /* integrated up to here */
	int64_t staff;
	hours_mode hours;
	int64_t busy_duty, busy_on_call, seats;   /* handlers and meeting seats now */
	int64_t backlog;
	double backlog_area;       /* integral of the backlog, message-ms */
	tc_time *responses;        /* delivered -> handled of each handled message */
	size_t response_count, response_cap;
	struct hours_change {
		tc_time at;
		hours_mode mode;
	} *hours_changes;          /* its hours-changed records, in log order */
	size_t hours_change_count, hours_change_cap;
} actor_state;

/* One meeting instance. */
typedef struct meeting_state {
	int def;
	int incident;
	tc_time convened, started, ended;
	tc_cause binding;          /* the convocation that completed the quorum */
	int standing;              /* convened by its schedule: its convocations are reminders */
	int *joined;               /* attendees' actor indices */
	size_t joined_count, joined_cap;
} meeting_state;

struct tc_analysis {
	tc_alloc *a;
	tc_setup setup;
	tc_arena text;             /* lost reasons, end reason, effective duty */
	int started, ended, finished;
	uint64_t next_seq;
	tc_time last_time;
	char error[512];

	tc_hop *hops;
	size_t hop_cap;
	struct hop_extra {
		tc_time cause_at;  /* when its inject cause fired, else TC_TIME_NEVER */
		int waited;        /* it was queued (message-queued): part of the backlog */
		int reminder;      /* a standing meeting's reminder: no response time */
	} *extra;                  /* per hop */
	size_t extra_cap;
	meeting_state *meetings;   /* by instance id - 1 */
	size_t meeting_count, meeting_cap;
	tc_time *inject_fired;     /* last firing of each inject */
	actor_state *actors;
	tc_awareness *awareness;   /* incident-major, as in tc_metrics */
	size_t awareness_cap;      /* in entries */
	uint64_t events;           /* from run-ended */

	tc_metrics metrics;
};

/* Set the error message; returns TC_EINVAL. */
int analysis_fail(tc_analysis *an, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

/* The end of the run, the span's end. */
static inline tc_time analysis_end(const tc_analysis *an) { return an->metrics.totals.span_end; }

/* Arrays of the results are allocated with at least one element. */
static inline size_t one_or(size_t n) { return n ? n : 1; }

/* Integrate actor i's state (busy staff, capacity, backlog) up to t. */
void analysis_advance(tc_analysis *an, size_t i, tc_time t);

/* metrics.c */
void percentiles_of(tc_time *values, size_t n, tc_percentiles *out);
/* Is actor in the set of `level` for incident inc: the incident's required
 * actors of that level, or every actor of the level when it requires none. */
int analysis_level_member(const tc_analysis *an, int inc, tc_level level, size_t actor);
int metrics_compute(tc_analysis *an);
/* path.c: the critical path of one incident. */
int path_compute(tc_analysis *an, int incident, tc_critical_path *out);
/* Where a chain ends: at `end` because of `cause` (an awareness, a meeting
 * started), or with message `sent` leaving its sender at `end`. */
typedef struct path_end {
	int incident;
	int target;                /* the actor it ends with, or TC_NONE */
	int complete;
	tc_cause cause;
	tc_time end;
	const tc_hop *sent;
} path_end;
/* The causal chain that ends there (an objective's). */
int path_to(tc_analysis *an, const path_end *e, tc_critical_path *out);
/* An empty path: no target, nothing reached. */
void path_clear(tc_critical_path *p);
void path_release(tc_alloc *a, tc_critical_path *p);
/* objectives.c */
int objectives_evaluate(tc_analysis *an);

#endif
