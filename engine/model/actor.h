/*
 * Actors: the organisations of a crisis response (a hospital's crisis cell,
 * ANSSI/CERT-FR, a C4 cell, the CSIRT Network...). Immutable after load.
 */
#ifndef TC_MODEL_ACTOR_H
#define TC_MODEL_ACTOR_H

#include <stddef.h>
#include <stdint.h>

#include "core/calendar.h"
#include "core/dist.h"
#include "core/timefmt.h"
#include "model/vocab.h"

typedef struct tc_on_call {
	int staff;               /* handlers who can be called out; 0 = no on-call */
	tc_time callout_delay;   /* from the first eligible arrival to availability */
	int min_severity;        /* messages below this wait for the next duty interval */
	tc_time stand_down;      /* idle time after which called-out staff go home */
} tc_on_call;

typedef struct tc_actor_def {
	const char *id;
	const char *name;
	const char *scope;       /* free text: victim, sector, national, EU, ... */
	tc_level level;
	uint32_t entity;         /* stable RNG entity number derived from id */
	int staff;               /* parallel handlers on duty */
	const char *timezone;    /* IANA name */
	int always_on_duty;      /* schedule 24/7 */
	tc_timeline duty;        /* compiled duty intervals over the exercise span */
	tc_on_call on_call;
	int human;               /* played_by: human (live exercises) */
	/* Handling time of each kind: handling[kind] or, when NULL, default_handling. */
	tc_dist default_handling;
	const tc_dist **handling;  /* kind_count entries */
	uint32_t *members;       /* actor indices, for networks (CSIRT Network, CyCLONe) */
	size_t member_count;
} tc_actor_def;

/* The handling-time distribution of kind for actor. */
static inline const tc_dist *tc_actor_handling(const tc_actor_def *a, tc_kind_id kind)
{
	const tc_dist *d = a->handling ? a->handling[kind] : NULL;
	return d ? d : &a->default_handling;
}

#endif
