/*
 * Channels: how actors reach each other (phone, encrypted e-mail, secure
 * video conference, liaison officer, sharing platform). A channel has a
 * latency distribution, a loss probability and an up/down state that injects
 * change; between two actors the preferred channel that is up is used.
 */
#ifndef TC_MODEL_CHANNEL_H
#define TC_MODEL_CHANNEL_H

#include <stddef.h>
#include <stdint.h>

#include "core/dist.h"

typedef struct tc_channel_def {
	const char *id;
	const char *kind;        /* free text: phone, email, svc, liaison, platform */
	uint32_t entity;         /* stable RNG entity number */
	tc_dist latency;
	double loss;             /* probability in [0, 1) that a message is lost */
	int priority;            /* lower is preferred; ties by declaration order */
	int initially_up;
	/* Unordered actor pairs the channel connects, each stored with a <= b and
	 * sorted; all_pairs when the scenario lists none. */
	int all_pairs;
	uint64_t *pairs;         /* (uint64_t)a << 32 | b */
	size_t pair_count;
} tc_channel_def;

/* Does channel c connect actors a and b (in either direction)? O(log n). */
int tc_channel_connects(const tc_channel_def *c, uint32_t a, uint32_t b);

#endif
