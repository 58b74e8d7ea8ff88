/*
 * Injects: the Master Scenario Events List. Each row fires at its time and
 * delivers a message, changes a channel or an actor, convenes a meeting or
 * ends the exercise. A repeating inject models a wave (reports flooding a CERT).
 */
#ifndef TC_MODEL_INJECT_H
#define TC_MODEL_INJECT_H

#include <stddef.h>
#include <stdint.h>

#include "core/dist.h"
#include "core/timefmt.h"
#include "model/vocab.h"

typedef enum tc_inject_action {
	TC_INJECT_MESSAGE,       /* a message from `from` (via a channel) or from outside (delivered at once) */
	TC_INJECT_CHANNEL_DOWN,
	TC_INJECT_CHANNEL_UP,
	TC_INJECT_SET_STAFF,     /* an attack locks out part of a team, or reinforcements arrive */
	TC_INJECT_CONVENE,
	TC_INJECT_END,           /* end of exercise */
} tc_inject_action;

enum { TC_INJECT_ACTION_COUNT = TC_INJECT_END + 1 };

/* "message", "channel-down", ... as scenarios write them. */
extern const char *const tc_inject_action_names[TC_INJECT_ACTION_COUNT];

typedef struct tc_inject_def {
	const char *id;
	tc_inject_action action;
	uint32_t entity;         /* stable RNG entity number (for repeats) */
	tc_time at;
	int incident;            /* index, or -1 */
	const char *subject;     /* a short title, for the facilitator; NULL when none */
	int objective;           /* the exercise objective it serves: index, or -1 */
	/* TC_INJECT_MESSAGE */
	int from;                /* actor index, or -1 for outside the exercise */
	const uint32_t *to;
	size_t to_count;
	tc_kind_id kind;
	int severity;
	int tlp;
	int channel;             /* forced channel, or -1 */
	const char *description;
	const char *expected;    /* the expected action, for the facilitator */
	/* Repetition: fires again after each draw of `every`, count times in all
	 * (0 = unbounded), not after `until`. */
	int repeats;
	tc_dist every;
	uint64_t count;
	tc_time until;
	/* Other actions. */
	int target;              /* channel (CHANNEL_*), actor (SET_STAFF) or meeting (CONVENE) */
	int staff;               /* SET_STAFF */
} tc_inject_def;

#endif
