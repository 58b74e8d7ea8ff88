/*
 * The event loop: pops (time, sequence)-ordered events and dispatches them.
 * Injects and the end of the exercise are handled here; messages, actors,
 * channels, doctrine and meetings in their own files.
 */
#include "sim/run.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "sim/internal.h"
#include "sim/lua.h"

static const char *const record_names[TC_REC_TYPE_COUNT] = {
	[TC_REC_RUN_STARTED] = "run-started",
	[TC_REC_INJECT_FIRED] = "inject-fired",
	[TC_REC_MESSAGE_CREATED] = "message-created",
	[TC_REC_MESSAGE_HELD] = "message-held",
	[TC_REC_MESSAGE_SENT] = "message-sent",
	[TC_REC_MESSAGE_DELIVERED] = "message-delivered",
	[TC_REC_MESSAGE_LOST] = "message-lost",
	[TC_REC_MESSAGE_QUEUED] = "message-queued",
	[TC_REC_HANDLING_STARTED] = "handling-started",
	[TC_REC_MESSAGE_HANDLED] = "message-handled",
	[TC_REC_RETRY] = "retry",
	[TC_REC_ACTOR_AWARE] = "actor-aware",
	[TC_REC_CALLOUT] = "on-call-callout",
	[TC_REC_MEETING_CONVENED] = "meeting-convened",
	[TC_REC_MEETING_JOINED] = "meeting-joined",
	[TC_REC_MEETING_STARTED] = "meeting-started",
	[TC_REC_MEETING_ENDED] = "meeting-ended",
	[TC_REC_MEETING_FAILED] = "meeting-failed",
	[TC_REC_CHANNEL_DOWN] = "channel-down",
	[TC_REC_CHANNEL_UP] = "channel-up",
	[TC_REC_STAFF_CHANGED] = "staff-changed",
	[TC_REC_HOURS_CHANGED] = "hours-changed",
	[TC_REC_INCIDENT_OPENED] = "incident-opened",
	[TC_REC_INCIDENT_ESCALATED] = "incident-escalated",
	[TC_REC_SCRIPT_LOG] = "script-log",
	[TC_REC_SCRIPT_ERROR] = "script-error",
	[TC_REC_RUN_ENDED] = "run-ended",
};

const char *tc_record_type_name(tc_record_type type)
{
	return (unsigned)type < TC_REC_TYPE_COUNT ? record_names[type] : "?";
}

const char *tc_cause_type_name(tc_cause_type type)
{
	switch (type) {
	case TC_CAUSE_MESSAGE: return "message";
	case TC_CAUSE_INJECT: return "inject";
	case TC_CAUSE_MEETING: return "meeting";
	case TC_CAUSE_SCRIPT: return "script";
	case TC_CAUSE_NONE: break;
	}
	return NULL;
}

tc_record *run_record(tc_run *run, tc_record_type type)
{
	tc_record *r = &run->rec;
	/* Without a sink (or a script listening) the record is filled but
	 * never read: skip clearing it (a tenth of a run without a log). */
	if (!run->sink.record && !(run->record_mask & (1u << type))) {
		r->type = type;  /* run_emit routes by type */
		return r;
	}
	memset(r, 0, sizeof *r);
	r->type = type;
	r->time = run->now;
	r->actor = r->peer = r->channel = r->incident = r->inject = r->meeting = -1;
	r->severity = r->tlp = -1;
	return r;
}

void run_emit(tc_run *run)
{
	run->rec.seq = run->next_record++;
	run->stats.records++;
	if (run->error)
		return;
	if (run->sink.record) {
		int rc = run->sink.record(run->sink.ud, run, &run->rec);
		if (rc)
			run_fail(run, rc);
	}
	if (run->record_mask & (1u << run->rec.type))
		script_note(run, &run->rec);
}

void run_fail(tc_run *run, int error)
{
	if (!run->error)
		run->error = error;
	run->stop = 1;
}

int run_schedule(tc_run *run, tc_time at, uint32_t kind, uint32_t arg32, uint64_t arg64,
                 tc_event_id *id)
{
	assert(at >= run->now);
	int rc = tc_queue_push(&run->queue, at, kind, arg32, arg64, id);
	if (rc)
		run_fail(run, rc);
	return rc;
}

double run_uniform(tc_run *run, uint32_t entity, uint32_t purpose, uint64_t ordinal)
{
	return tc_rng_uniform(&run->rng, run->opt.replication, entity, purpose, ordinal);
}

tc_time run_draw(tc_run *run, const tc_dist *d, uint32_t entity, uint32_t purpose, uint64_t ordinal)
{
	/* A fixed value needs no draw; like every draw it is a whole number of
	 * milliseconds, never negative, and bounded so that now + v cannot
	 * overflow. */
	double v = d->kind == TC_DIST_FIXED ? d->p[0]
	           : tc_dist_quantile(d, run_uniform(run, entity, purpose, ordinal));
	if (!(v > 0))
		return 0;
	if (v > (double)TC_TIME_ALWAYS_END)
		return TC_TIME_ALWAYS_END;
	return (tc_time)llround(v);
}

/* Per-run arrays are never empty, so a scenario without channels (say)
 * needs no special case; their sizes are derived from the scenario. */
static size_t at_least_one(size_t n)
{
	return n ? n : 1;
}

static size_t aware_size(const tc_scenario *s, size_t incidents)
{
	return at_least_one(s->actor_count * incidents) * sizeof(tc_time);
}

static size_t fired_size(const tc_scenario *s, size_t incidents)
{
	return at_least_one(s->doctrine.rule_count * (incidents + 1));
}

/* Room for `need` incidents: awareness and `once` flags grow with them
 * (incident-major, so existing rows keep their values). All or nothing: on
 * failure the run is as it was. */
static int reserve_incidents(tc_run *run, size_t need)
{
	const tc_scenario *s = run->s;
	size_t cap = run->incident_cap;
	if (run->aware && need <= cap)
		return TC_OK;
	size_t new_cap = at_least_one(cap);
	while (new_cap < need)
		new_cap *= 2;
	size_t old_aware = run->aware ? aware_size(s, cap) : 0;
	size_t old_fired = run->rule_fired ? fired_size(s, cap) : 0;
	run_incident *inc = tc_malloc(run->alloc, new_cap * sizeof *inc);
	tc_time *aware = tc_malloc(run->alloc, aware_size(s, new_cap));
	uint8_t *fired = tc_calloc(run->alloc, 1, fired_size(s, new_cap));
	if (!inc || !aware || !fired) {
		tc_free(run->alloc, inc, new_cap * sizeof *inc);
		tc_free(run->alloc, aware, aware_size(s, new_cap));
		tc_free(run->alloc, fired, fired_size(s, new_cap));
		return TC_ENOMEM;
	}
	if (run->incident_count)
		memcpy(inc, run->incidents, run->incident_count * sizeof *inc);
	if (old_aware)
		memcpy(aware, run->aware, old_aware);
	for (size_t i = old_aware / sizeof *aware; i < aware_size(s, new_cap) / sizeof *aware; i++)
		aware[i] = TC_TIME_NEVER;
	if (old_fired)
		memcpy(fired, run->rule_fired, old_fired);
	tc_free(run->alloc, run->incidents, cap * sizeof *inc);
	tc_free(run->alloc, run->aware, old_aware);
	tc_free(run->alloc, run->rule_fired, old_fired);
	run->incidents = inc;
	run->aware = aware;
	run->rule_fired = fired;
	run->incident_cap = new_cap;
	return TC_OK;
}

int run_open_incident(tc_run *run, const run_incident *inc)
{
	if (run->incident_count >= TC_MAX_INCIDENTS)
		return TC_ELIMIT;
	int rc = reserve_incidents(run, run->incident_count + 1);
	if (rc) {
		run_fail(run, rc);
		return rc;
	}
	int index = (int)run->incident_count++;
	run->incidents[index] = *inc;
	run->incidents[index].opened = 1;
	tc_record *r = run_record(run, TC_REC_INCIDENT_OPENED);
	r->incident = index;
	r->severity = inc->severity;
	r->actor = inc->detector;
	r->cause = (tc_cause){TC_CAUSE_NONE, 0};
	run_emit(run);
	return index;
}

void run_escalate_incident(tc_run *run, int incident, int severity, tc_cause cause)
{
	run_incident *inc = &run->incidents[incident];
	tc_record *r = run_record(run, TC_REC_INCIDENT_ESCALATED);
	r->incident = incident;
	r->count = inc->severity;
	r->severity = severity;
	r->cause = cause;
	inc->severity = severity;
	run_emit(run);
}

int tc_run_new(tc_run **out, tc_alloc *a, const tc_scenario *s, const tc_run_options *opt,
               const tc_sink *sink)
{
	*out = NULL;
	tc_run *run = tc_calloc(a, 1, sizeof *run);
	if (!run)
		return TC_ENOMEM;
	run->alloc = a;
	run->s = s;
	run->opt = *opt;
	if (sink)
		run->sink = *sink;
	tc_rng_init(&run->rng, opt->seed);
	tc_arena_init(&run->arena, a);
	run->now = s->span_start;
	run->next_message_id = 1;
	run->next_meeting_id = 1;
	run->free_message = NO_SLOT;
	run->held.head = run->held.tail = NO_SLOT;
	run->stats.end_reason = "quiescent";
	int rc = tc_queue_init(&run->queue, a);
	if (rc) {
		tc_free(a, run, sizeof *run);
		return rc;
	}
	size_t na = s->actor_count;
	run->actors = tc_calloc(a, at_least_one(na), sizeof *run->actors);
	run->channel_up = tc_calloc(a, at_least_one(s->channel_count), 1);
	run->channel_draws = tc_calloc(a, at_least_one(s->channel_count), sizeof(uint64_t));
	run->repeat_draws = tc_calloc(a, at_least_one(s->inject_count), sizeof(uint64_t));
	if (!run->actors || !run->channel_up || !run->channel_draws || !run->repeat_draws ||
	    reserve_incidents(run, s->incident_count)) {
		tc_run_free(run);
		return TC_ENOMEM;
	}
	for (size_t i = 0; i < s->incident_count; i++) {
		const tc_incident_def *d = &s->incidents[i];
		run->incidents[i] = (run_incident){d->id, d->title, d->severity, d->start, d->detector,
		                                   d->required, d->required_count, 0};
	}
	run->incident_count = s->incident_count;
	for (size_t i = 0; i < na; i++) {
		actor_state *st = &run->actors[i];
		st->staff = s->actors[i].staff;
		st->wake_at = TC_TIME_NEVER;
		st->high.head = st->high.tail = st->low.head = st->low.tail = NO_SLOT;
	}
	for (size_t i = 0; i < s->channel_count; i++)
		run->channel_up[i] = (uint8_t)s->channels[i].initially_up;
	*out = run;
	return TC_OK;
}

void tc_run_free(tc_run *run)
{
	if (!run)
		return;
	const tc_scenario *s = run->s;
	tc_alloc *a = run->alloc;
	script_release(run);
	meetings_release(run);
	if (run->actors)
		actors_release(run);
	tc_free(a, run->actors, at_least_one(s->actor_count) * sizeof *run->actors);
	tc_free(a, run->incidents, run->incident_cap * sizeof *run->incidents);
	if (run->aware) {
		tc_free(a, run->aware, aware_size(s, run->incident_cap));
		tc_free(a, run->rule_fired, fired_size(s, run->incident_cap));
	}
	tc_free(a, run->channel_up, at_least_one(s->channel_count));
	tc_free(a, run->channel_draws, at_least_one(s->channel_count) * sizeof(uint64_t));
	tc_free(a, run->repeat_draws, at_least_one(s->inject_count) * sizeof(uint64_t));
	messages_release(run);
	tc_queue_release(&run->queue);
	tc_arena_release(&run->arena);
	tc_free(a, run, sizeof *run);
}

const tc_scenario *tc_run_scenario(const tc_run *run) { return run->s; }
const tc_run_options *tc_run_options_of(const tc_run *run) { return &run->opt; }
const tc_run_stats *tc_run_stats_of(const tc_run *run) { return &run->stats; }

const char *tc_run_error_message(const tc_run *run)
{
	const char *script = script_error_text(run);
	if ((run->error == TC_ESCRIPT || run->error == TC_ELIMIT) && script && !run->error_message[0])
		return script;
	return run->error_message[0] ? run->error_message : tc_strerror(run->error);
}

tc_time tc_run_aware_at(const tc_run *run, int actor, int incident)
{
	assert(actor >= 0 && (size_t)actor < run->s->actor_count);
	assert(incident >= 0 && (size_t)incident < run->incident_count);
	return *aware_slot(run, actor, incident);
}

size_t tc_run_incident_count(const tc_run *run)
{
	return run->incident_count;
}

tc_run_incident tc_run_incident_at(const tc_run *run, int incident)
{
	assert(incident >= 0 && (size_t)incident < run->incident_count);
	const run_incident *inc = &run->incidents[incident];
	return (tc_run_incident){inc->id, inc->title, inc->severity, inc->start, inc->detector,
	                         inc->required, inc->required_count, inc->opened};
}

/* An inject's message to each target: from an actor through a channel, or
 * from outside the exercise, delivered at once. */
static void fire_message_inject(tc_run *run, int index)
{
	const tc_inject_def *inj = &run->s->injects[index];
	tc_cause cause = {TC_CAUSE_INJECT, (uint64_t)index};
	for (size_t i = 0; i < inj->to_count && !run->stop; i++) {
		uint32_t slot = message_new(run, inj->kind, inj->incident, inj->from,
		                            (int)inj->to[i], cause);
		if (slot == NO_SLOT)
			return;
		message *m = message_at(run, slot);
		m->severity = (int8_t)inj->severity;
		m->tlp = (int8_t)inj->tlp;
		m->channel = inj->channel;
		m->body = inj->description;
		tc_record *r = run_record(run, TC_REC_MESSAGE_CREATED);
		message_fill_record(r, m);
		r->inject = index;
		r->text = inj->description;
		run_emit(run);
		if (inj->from < 0)
			deliver_direct(run, slot);
		else
			channel_send(run, slot);
	}
}

static void fire_inject(tc_run *run, int index, uint64_t occurrence)
{
	const tc_inject_def *inj = &run->s->injects[index];
	tc_record *r = run_record(run, TC_REC_INJECT_FIRED);
	r->inject = index;
	r->incident = inj->incident;
	r->count = (int64_t)occurrence;
	r->text = inj->description;
	run_emit(run);
	tc_cause cause = {TC_CAUSE_INJECT, (uint64_t)index};
	switch (inj->action) {
	case TC_INJECT_MESSAGE:
		fire_message_inject(run, index);
		break;
	case TC_INJECT_CHANNEL_DOWN:
	case TC_INJECT_CHANNEL_UP:
		channel_set_state(run, inj->target, inj->action == TC_INJECT_CHANNEL_UP, index, cause);
		break;
	case TC_INJECT_SET_STAFF:
		actor_set_staff(run, inj->target, inj->staff, index, cause);
		break;
	case TC_INJECT_CONVENE: {
		const tc_meeting_def *md = &run->s->meetings[inj->target];
		int severity = inj->incident >= 0 ? run->incidents[inj->incident].severity : 0;
		meeting_convene(run, inj->target, (int)md->chair, inj->incident, severity, cause, 0);
		break;
	}
	case TC_INJECT_END:
		run->stop = 1;
		run->stats.end_reason = "end-inject";
		return;
	}
	if (inj->repeats && (inj->count == 0 || occurrence + 1 < inj->count)) {
		tc_time gap = run_draw(run, &inj->every, inj->entity, PURPOSE_REPEAT,
		                       run->repeat_draws[index]++);
		if (gap < 1)
			gap = 1; /* a zero gap would repeat forever at one instant */
		if (run->now + gap <= inj->until)
			run_schedule(run, run->now + gap, EV_INJECT, (uint32_t)index, occurrence + 1, NULL);
	}
}

/* Fail with TC_ELIMIT; fmt takes the limit (%llu) and the time (%s). */
static void fail_limit(tc_run *run, const char *fmt, unsigned long long limit)
{
	char when[48];
	tc_time_format(run->now, when, sizeof when);
	snprintf(run->error_message, sizeof run->error_message, fmt, limit, when);
	run_fail(run, TC_ELIMIT);
}

static void dispatch(tc_run *run, const tc_event *ev)
{
	switch (ev->kind) {
	case EV_INJECT: fire_inject(run, (int)ev->arg32, ev->arg64); break;
	case EV_DELIVER: channel_deliver(run, (uint32_t)ev->arg64); break;
	case EV_HANDLED: actor_handled(run, (uint32_t)ev->arg64); break;
	case EV_WAKE: actor_wake(run, (int)ev->arg32); break;
	case EV_CALLOUT: actor_callout(run, (int)ev->arg32); break;
	case EV_STAND_DOWN: actor_stand_down(run, (int)ev->arg32, ev->arg64); break;
	case EV_RETRY: doctrine_retry(run, (uint32_t)ev->arg64); break;
	case EV_MEETING_END: meeting_end(run, ev->arg32, ev->arg64); break;
	case EV_MEETING_TIMEOUT: meeting_timeout(run, ev->arg32, ev->arg64); break;
	case EV_STANDING: meeting_standing(run, (int)ev->arg32, ev->arg64); break;
	case EV_SCRIPT: script_timer(run, ev->arg64); break;
	case EV_END:
		run->stop = 1;
		run->stats.end_reason = ev->arg32 ? "until" : "duration";
		break;
	default: assert(!"unknown event kind");
	}
}

static int schedule_start(tc_run *run)
{
	const tc_scenario *s = run->s;
	for (size_t i = 0; i < s->inject_count; i++)
		if (run_schedule(run, s->injects[i].at, EV_INJECT, (uint32_t)i, 0, NULL))
			return run->error;
	for (size_t i = 0; i < s->meeting_count; i++)
		if (s->meetings[i].standing &&
		    run_schedule(run, s->meetings[i].first, EV_STANDING, (uint32_t)i, 0, NULL))
			return run->error;
	tc_time end = s->duration;
	int by_until = 0;
	if (run->opt.until != TC_TIME_NEVER && run->opt.until < end) {
		end = run->opt.until;
		by_until = 1;
	}
	if (end < run->now)
		end = run->now;
	return run_schedule(run, end, EV_END, (uint32_t)by_until, 0, NULL);
}

int tc_run_execute(tc_run *run)
{
	tc_record *r = run_record(run, TC_REC_RUN_STARTED);
	run_emit(run);
	if (!run->error)
		tc_run_prepare(run);  /* once: a second call returns the first result */
	if (!run->error)
		schedule_start(run);
	tc_event ev;
	uint64_t at_this_instant = 0;
	while (!run->stop && tc_queue_pop(&run->queue, &ev)) {
		assert(ev.time >= run->now);
		at_this_instant = ev.time == run->now ? at_this_instant + 1 : 0;
		run->now = ev.time;
		if (at_this_instant > TC_MAX_EVENTS_PER_INSTANT) {
			fail_limit(run, "more than %llu events at %s without time passing: doctrine "
			                "rules answer each other with no delay", TC_MAX_EVENTS_PER_INSTANT);
			break;
		}
		run->stats.events++;
		uint64_t first_record = run->next_record;
		dispatch(run, &ev);
		if (run->script)
			script_after_event(run, first_record);
		if (run->opt.max_events && run->stats.events >= run->opt.max_events && !run->stop)
			fail_limit(run, "the run reached its limit of %llu events at %s",
			           (unsigned long long)run->opt.max_events);
	}
	run->stats.end_time = run->now;
	if (run->error)
		return run->error;
	r = run_record(run, TC_REC_RUN_ENDED);
	r->text = run->stats.end_reason;
	r->count = (int64_t)run->stats.events;
	run_emit(run);
	return run->error;
}
