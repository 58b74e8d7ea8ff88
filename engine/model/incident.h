/*
 * Incidents and the objectives measured against them.
 */
#ifndef TC_MODEL_INCIDENT_H
#define TC_MODEL_INCIDENT_H

#include <stddef.h>
#include <stdint.h>

#include "core/timefmt.h"
#include "model/vocab.h"

enum { TC_NONE = -1 };   /* an absent index (actor, channel, incident...) */

typedef struct tc_incident_def {
	const char *id;
	const char *title;
	int severity;
	tc_time start;           /* may precede T+0 */
	int detector;            /* actor index or TC_NONE */
	uint32_t *required;      /* actors that must be aware for a common operational picture */
	size_t required_count;
} tc_incident_def;

/* Who an objective is about. */
typedef enum tc_subject_type {
	TC_SUBJECT_ACTOR,        /* one actor */
	TC_SUBJECT_LEVEL,        /* every actor of a level that the incident requires, or all of that level */
	TC_SUBJECT_ALL_REQUIRED, /* every actor the incident requires */
} tc_subject_type;

/* What must happen. */
typedef enum tc_objective_event {
	TC_EVENT_SENDS,          /* the subject sends a message of a kind (optionally to an actor) */
	TC_EVENT_AWARE,          /* the subject becomes aware of the incident */
	TC_EVENT_MEETING_HELD,   /* a meeting starts (quorum reached) */
} tc_objective_event;

/* From when the deadline counts. */
typedef enum tc_anchor_type {
	TC_ANCHOR_T0,
	TC_ANCHOR_INCIDENT_START,
	TC_ANCHOR_AWARE,         /* an actor's awareness of the incident */
	TC_ANCHOR_OBJECTIVE,     /* the moment another objective's event happened */
} tc_anchor_type;

/* The names the event log writes for these enums (and reads back). */
extern const char *const tc_subject_type_names[3];
extern const char *const tc_objective_event_names[3];
extern const char *const tc_anchor_type_names[4];

typedef struct tc_objective_def {
	const char *id;
	const char *description;
	int incident;            /* index */
	tc_subject_type subject;
	int subject_actor;       /* for TC_SUBJECT_ACTOR */
	tc_level subject_level;  /* for TC_SUBJECT_LEVEL */
	tc_objective_event event;
	tc_kind_id kind;         /* for TC_EVENT_SENDS */
	int to_actor;            /* for TC_EVENT_SENDS: TC_NONE = to anyone */
	int meeting;             /* for TC_EVENT_MEETING_HELD */
	tc_duration within;
	tc_anchor_type anchor;
	int anchor_actor;        /* for TC_ANCHOR_AWARE */
	int anchor_objective;    /* for TC_ANCHOR_OBJECTIVE */
} tc_objective_def;

#endif
