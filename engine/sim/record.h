/*
 * Event records: the typed stream a run emits, one record per event. The
 * event log (events.jsonl) is their serialised form; the analysis consumes
 * either. Record sequence numbers are dense and start at 0 with run-started.
 */
#ifndef TC_SIM_RECORD_H
#define TC_SIM_RECORD_H

#include <stdint.h>

#include "core/timefmt.h"
#include "model/vocab.h"

typedef enum tc_record_type {
	TC_REC_RUN_STARTED,
	TC_REC_INJECT_FIRED,
	TC_REC_MESSAGE_CREATED,
	TC_REC_MESSAGE_HELD,       /* no channel up between sender and receiver */
	TC_REC_MESSAGE_SENT,
	TC_REC_MESSAGE_DELIVERED,
	TC_REC_MESSAGE_LOST,
	TC_REC_MESSAGE_QUEUED,     /* delivered but no handler free (busy or off duty) */
	TC_REC_HANDLING_STARTED,
	TC_REC_MESSAGE_HANDLED,
	TC_REC_RETRY,
	TC_REC_ACTOR_AWARE,
	TC_REC_CALLOUT,            /* on-call staff called out / available */
	TC_REC_MEETING_CONVENED,
	TC_REC_MEETING_JOINED,
	TC_REC_MEETING_STARTED,
	TC_REC_MEETING_ENDED,
	TC_REC_MEETING_FAILED,
	TC_REC_CHANNEL_DOWN,
	TC_REC_CHANNEL_UP,
	TC_REC_STAFF_CHANGED,
	TC_REC_HOURS_CHANGED,      /* a script put an actor on 24/7, off duty or back on its schedule */
	TC_REC_INCIDENT_OPENED,    /* a script opened an incident the scenario did not declare */
	TC_REC_INCIDENT_ESCALATED, /* a script changed an incident's severity */
	TC_REC_SCRIPT_LOG,         /* tocsin.log or print */
	TC_REC_SCRIPT_ERROR,       /* a failed callback, recorded with --on-script-error=continue */
	TC_REC_RUN_ENDED,
	TC_REC_TYPE_COUNT
} tc_record_type;

/* The "event" field of each record in events.jsonl. */
const char *tc_record_type_name(tc_record_type type);

/* Where a message, meeting or awareness came from. */
typedef enum tc_cause_type {
	TC_CAUSE_NONE,
	TC_CAUSE_MESSAGE,
	TC_CAUSE_INJECT,
	TC_CAUSE_MEETING,
	TC_CAUSE_SCRIPT,           /* a Lua callback: id is its handle */
} tc_cause_type;

/* "message", "inject", "meeting", "script" (the key of a cause in the
 * event log); NULL for none. */
const char *tc_cause_type_name(tc_cause_type type);

typedef struct tc_cause {
	tc_cause_type type;
	uint64_t id;               /* message id, inject index, meeting instance id or script handle */
} tc_cause;

/* Fields that do not apply to a record type are -1 (indices) or 0. */
typedef struct tc_record {
	tc_record_type type;
	uint64_t seq;
	tc_time time;
	uint64_t message;          /* message id (1-based), 0 when none */
	int32_t actor;             /* the acting actor: sender, receiver, handler, attendee */
	int32_t peer;              /* the other end: receiver of a sent message, sender of a handled one */
	int32_t channel;
	int32_t incident;
	int32_t inject;
	int32_t meeting;           /* meeting definition index */
	uint64_t meeting_id;       /* meeting instance id (1-based) */
	tc_kind_id kind;
	int severity;
	int tlp;
	int attempt;               /* 1 for a first send */
	tc_cause cause;            /* the binding parent */
	int on_call;               /* handled by on-call staff */
	int64_t count;             /* staff (staff-changed), attendees (meeting), pending (queued),
	                            * severity before (incident-escalated), events (run-ended) */
	/* message-handled: where the time between creation and handled went */
	tc_time wait_hold, wait_channel, wait_queue, wait_off_hours, handling;
	const char *text;          /* reason, description, body, hours mode, log line or error */
	uint64_t text_len;         /* script-log and script-error: the length of text */
} tc_record;

#endif
