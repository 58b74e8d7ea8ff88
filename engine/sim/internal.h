/*
 * The run's internal state, shared by the files of sim/ only.
 */
#ifndef TC_SIM_INTERNAL_H
#define TC_SIM_INTERNAL_H

#include <stdint.h>

#include "core/arena.h"
#include "core/queue.h"
#include "core/rng.h"
#include "sim/run.h"

/* Queue event kinds. */
enum {
	EV_INJECT,          /* arg32 inject, arg64 repetition ordinal */
	EV_DELIVER,         /* arg64 message slot */
	EV_HANDLED,         /* arg64 message slot */
	EV_WAKE,            /* arg32 actor: its duty state changes */
	EV_CALLOUT,         /* arg32 actor: on-call staff arrive */
	EV_STAND_DOWN,      /* arg32 actor, arg64 the idle spell it ends */
	EV_RETRY,           /* arg64 message slot */
	EV_MEETING_END,     /* arg32 meeting instance slot, arg64 its id */
	EV_MEETING_TIMEOUT,
	EV_STANDING,        /* arg32 meeting definition, arg64 occurrence */
	EV_SCRIPT,          /* arg64 a script timer's handle */
	EV_END,
};

/* RNG purposes: one stream per (entity, purpose). */
enum {
	PURPOSE_HANDLING = 1,
	PURPOSE_LATENCY,
	PURPOSE_LOSS,
	PURPOSE_REPEAT,
	PURPOSE_SCRIPT,     /* tocsin.random and math.random, entity: the script's */
};

#define NO_SLOT UINT32_MAX  /* not an enum: ISO C enumerators are ints */

typedef enum pool_type { POOL_DUTY, POOL_ON_CALL } pool_type;

typedef struct message {
	uint64_t id;              /* 0 when the slot is free */
	tc_kind_id kind;
	int8_t severity, tlp;
	int32_t incident, from, to, channel;
	int32_t forced_channel;   /* as asked (-1: routed), for retries */
	int32_t meeting_slot;     /* convocations: the meeting instance slot */
	uint64_t meeting_id;      /* ... and its id, to detect a reused slot */
	tc_cause cause;           /* binding parent */
	uint32_t parent_slot;     /* the message slot of cause (acks, retries), NO_SLOT if gone */
	const char *body;
	int attempt;
	tc_time retry_after;      /* resend when no ack arrived within it; 0 = never */
	int retry_max;            /* resends at most */
	tc_time created, sent, delivered, started;
	tc_time hold;             /* time spent held for want of a channel */
	tc_time oncall_mark;      /* receiver's on-call active time at delivery */
	tc_time wait_queue, wait_off_hours;  /* split of started - delivered */
	uint32_t next;            /* FIFO link / free list */
	uint8_t pool;             /* pool_type of the handler */
	uint8_t eligible;         /* severity >= receiver's on-call minimum */
	uint8_t retry_pending, acked, in_flight;
	uint8_t lost;
	uint8_t waiting;          /* in the receiver's queue */
	uint8_t instant;          /* handled in no time (standing-meeting reminders) */             /* drawn lost: recorded when it would have arrived */
} message;

/* An actor's working hours, which scripts may override. */
typedef enum hours_mode { HOURS_SCHEDULE, HOURS_ALWAYS, HOURS_OFF } hours_mode;

typedef struct hours_change {
	tc_time at;
	uint8_t mode;
} hours_change;

typedef struct fifo {
	uint32_t head, tail;
	uint64_t length;
} fifo;

typedef struct actor_state {
	int staff;
	int busy_duty, busy_on_call;
	int on_call_active;       /* called-out staff are present */
	int callout_pending;
	int stand_down_pending;
	uint64_t idle_spell;      /* counts on-call idle spells; a stand-down ends only its own */
	tc_time on_call_since, on_call_total;
	tc_time wake_at;          /* pending EV_WAKE time, TC_TIME_NEVER when none */
	tc_event_id wake_event;
	fifo high, low;           /* high: eligible for on-call */
	uint64_t handled;         /* ordinal of handling-time draws */
	uint8_t hours;            /* hours_mode in force */
	hours_change *changes;    /* every change of hours, in time order (for the off-hours split) */
	size_t change_count, change_cap;
} actor_state;

/* Incidents at run time: the scenario's, then those scripts open. */
typedef struct run_incident {
	const char *id, *title;
	int severity;             /* current: scripts may escalate it */
	tc_time start;
	int detector;
	const uint32_t *required;
	size_t required_count;
	int opened;               /* by a script, during the run */
} run_incident;

typedef enum meeting_state { MEETING_PENDING, MEETING_RUNNING, MEETING_DONE } meeting_state;

typedef struct attendee {
	int32_t actor;
	uint8_t pool;
} attendee;

typedef struct meeting_run {
	uint64_t id;              /* instance id, 1-based; 0 when the slot is free */
	int32_t def;
	meeting_state state;
	int32_t incident;
	int severity;             /* of what convened it: convocations and outcome carry it */
	attendee *attendees;
	size_t attendee_count, attendee_cap;
	tc_event_id timeout;
	uint64_t binding_message; /* the arrival that completed the quorum */
} meeting_run;

struct tc_run {
	tc_alloc *alloc;
	const tc_scenario *s;
	tc_run_options opt;
	tc_sink sink;
	tc_rng rng;
	tc_queue queue;
	tc_time now;
	tc_run_stats stats;
	int stop;                 /* an error or the end */
	int error;
	char error_message[256];

	actor_state *actors;
	run_incident *incidents;
	size_t incident_count, incident_cap;
	tc_time *aware;           /* incident_cap x actor_count, incident-major */
	uint8_t *rule_fired;      /* (incident_cap + 1) x rule_count, for `once`; row 0: no incident */
	tc_arena arena;           /* strings scripts give (bodies, incident ids), for the run's life */
	uint8_t *channel_up;
	uint64_t *channel_draws;  /* latency/loss ordinals per channel */
	uint64_t *repeat_draws;   /* per inject */

	/* Messages live in fixed pages, so a message's address never changes
	 * while the pool grows: handlers may hold pointers across sends. */
	message **pages;
	size_t page_count, page_cap;
	uint32_t free_message;
	uint64_t next_message_id;
	fifo held;                /* messages waiting for a channel */

	meeting_run *meetings;
	size_t meeting_cap, meeting_used;
	uint64_t next_meeting_id;

	uint64_t next_record;
	tc_record rec;            /* scratch record, reused */
	uint32_t record_mask;     /* record types to fill even without a sink (scripts listen):
	                           * bit (1u << type); TC_REC_TYPE_COUNT <= 32 */

	struct run_script *script; /* the Lua side, NULL when the scenario has none */
	struct outbox *outbox;    /* doctrine rules propose here while a Lua handler waits */
};

_Static_assert(TC_REC_TYPE_COUNT <= 32, "record_mask has a bit per record type");

/* run.c */
void run_emit(tc_run *run);
tc_record *run_record(tc_run *run, tc_record_type type);
void run_fail(tc_run *run, int error);
int run_schedule(tc_run *run, tc_time at, uint32_t kind, uint32_t arg32, uint64_t arg64, tc_event_id *id);
double run_uniform(tc_run *run, uint32_t entity, uint32_t purpose, uint64_t ordinal);
tc_time run_draw(tc_run *run, const tc_dist *d, uint32_t entity, uint32_t purpose, uint64_t ordinal);

enum { MESSAGE_PAGE_BITS = 10, MESSAGE_PAGE = 1 << MESSAGE_PAGE_BITS };

static inline message *message_at(const tc_run *run, uint32_t slot)
{
	return &run->pages[slot >> MESSAGE_PAGE_BITS][slot & (MESSAGE_PAGE - 1)];
}

/* message.c */
void messages_release(tc_run *run);
uint32_t message_new(tc_run *run, tc_kind_id kind, int incident, int from, int to, tc_cause cause);
void message_release(tc_run *run, uint32_t slot);
void message_maybe_release(tc_run *run, uint32_t slot);
void fifo_push(tc_run *run, fifo *f, uint32_t slot);
uint32_t fifo_pop(tc_run *run, fifo *f);
void message_fill_record(tc_record *rec, const message *m);

/* run.c: incidents */
static inline tc_time *aware_slot(const tc_run *run, int actor, int incident)
{
	return &run->aware[(size_t)incident * run->s->actor_count + (size_t)actor];
}
static inline uint8_t *rule_fired_slot(const tc_run *run, size_t rule, int incident)
{
	return &run->rule_fired[(size_t)(incident + 1) * run->s->doctrine.rule_count + rule];
}
/* A new incident at run time; its index, or a negative error. */
int run_open_incident(tc_run *run, const run_incident *inc);
void run_escalate_incident(tc_run *run, int incident, int severity, tc_cause cause);

/* channel.c */
void channel_send(tc_run *run, uint32_t slot);
void channel_deliver(tc_run *run, uint32_t slot);
void channel_set_state(tc_run *run, int channel, int up, int inject, tc_cause cause);
void deliver_direct(tc_run *run, uint32_t slot);

/* actor.c */
void actor_receive(tc_run *run, uint32_t slot);
void actor_handled(tc_run *run, uint32_t slot);
void actor_release_seat(tc_run *run, int actor, pool_type pool);
void actor_wake(tc_run *run, int actor);
void actor_callout(tc_run *run, int actor);
void actor_stand_down(tc_run *run, int actor, uint64_t spell);
void actor_set_staff(tc_run *run, int actor, int staff, int inject, tc_cause cause);
int actor_set_hours(tc_run *run, int actor, hours_mode mode, tc_cause cause);
int actor_on_duty(const tc_run *run, int actor);
void actors_release(tc_run *run);
void actor_make_aware(tc_run *run, int actor, int incident, tc_cause cause);

/* One message about to be created: what a doctrine rule, a script or a
 * meeting's outcome sends. */
typedef struct outgoing {
	tc_kind_id kind;
	int from, to;             /* from -1: outside the exercise, delivered at once */
	int incident, severity, tlp, channel;
	tc_time retry_after;
	int retry_max;
	const char *body;         /* stable for the run's life */
	tc_cause cause;
	uint32_t cause_slot;      /* the message slot of cause, NO_SLOT if none */
} outgoing;

/* doctrine.c */
/* Create and send one message; its slot, or NO_SLOT when the run failed.
 * While an actor's Lua handler is pending (run->outbox set), doctrine rules
 * propose into the outbox instead. */
uint32_t outgoing_send(tc_run *run, const outgoing *o, int attempt);
void doctrine_react(tc_run *run, uint32_t slot);
void doctrine_send(tc_run *run, const struct tc_send_def *send, int from, int incident,
                   int severity, int tlp, int sender_of_cause, tc_cause cause, uint32_t cause_slot);
void doctrine_retry(tc_run *run, uint32_t slot);

/* script.c: the Lua side (NULL-safe when the scenario has no Lua) */
void script_release(tc_run *run);
void script_note(tc_run *run, const tc_record *rec);        /* from run_emit, masked */
void script_after_event(tc_run *run, uint64_t first_record);
void script_timer(tc_run *run, uint64_t handle);
int script_has_handler(const tc_run *run, int actor);
/* Rules of an actor with a Lua handler propose into the outbox. */
void script_outbox_begin(tc_run *run);
uint32_t outbox_add(tc_run *run, const outgoing *o);
/* Offer the outbox of actor's rules for message slot to its Lua handler, then send it. */
void script_doctrine(tc_run *run, int actor, uint32_t slot);
const char *script_error_text(const tc_run *run);

/* meeting.c */
void meeting_convene(tc_run *run, int def, int convener, int incident, int severity, tc_cause cause,
                     int reminder);
int meeting_attend(tc_run *run, uint32_t slot);  /* 1 when the handler took a seat */
void meeting_end(tc_run *run, uint32_t slot, uint64_t id);
void meeting_timeout(tc_run *run, uint32_t slot, uint64_t id);
void meeting_standing(tc_run *run, int def, uint64_t occurrence);
void meetings_release(tc_run *run);

#endif
