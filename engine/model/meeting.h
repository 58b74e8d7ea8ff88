/*
 * Meetings: a convened or standing group (C4 TECHOPS weekly, a CyCLONe
 * meeting). Participants attend after handling the convocation within their
 * duty hours, each taking one seat of its staff; the meeting starts at quorum
 * (not before its scheduled time), fails without quorum by its timeout, and
 * its chair sends the outcome messages when it ends.
 */
#ifndef TC_MODEL_MEETING_H
#define TC_MODEL_MEETING_H

#include <stddef.h>
#include <stdint.h>

#include "core/timefmt.h"
#include "model/doctrine.h"

typedef struct tc_meeting_def {
	const char *id;
	const char *name;
	uint32_t chair;                /* actor index: convenes and sends the outcome */
	const uint32_t *participants;  /* actor indices, the chair included */
	size_t participant_count;
	int quorum;                    /* attendees needed to start */
	tc_time duration;
	tc_time quorum_timeout;        /* from convocation (or scheduled time) to failure */
	int incident;                  /* index, or -1: about what attendees know */
	/* Standing meetings are held without convocation at first, first+every, ... */
	int standing;
	tc_time first;
	tc_time every;                 /* 0 = once */
	const tc_send_def *outcome;
	size_t outcome_count;
} tc_meeting_def;

#endif
