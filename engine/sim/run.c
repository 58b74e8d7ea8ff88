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
	[TC_REC_RUN_ENDED] = "run-ended",
};

const char *tc_record_type_name(tc_record_type type)
{
	return (unsigned)type < TC_REC_TYPE_COUNT ? record_names[type] : "?";
}

tc_record *run_record(tc_run *run, tc_record_type type)
{
	tc_record *r = &run->rec;
	/* Without a sink the record is filled but never read: skip clearing
	 * it (a tenth of a run without a log). */
	if (!run->sink.record)
		return r;
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
	if (run->sink.record && !run->error) {
		int rc = run->sink.record(run->sink.ud, run, &run->rec);
		if (rc)
			run_fail(run, rc);
	}
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

static size_t aware_size(const tc_scenario *s)
{
	return at_least_one(s->actor_count * s->incident_count) * sizeof(tc_time);
}

static size_t fired_size(const tc_scenario *s)
{
	return at_least_one(s->doctrine.rule_count * (s->incident_count + 1));
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
	size_t na = s->actor_count, ni = s->incident_count;
	run->actors = tc_calloc(a, at_least_one(na), sizeof *run->actors);
	run->aware = tc_calloc(a, 1, aware_size(s));
	run->rule_fired = tc_calloc(a, 1, fired_size(s));
	run->channel_up = tc_calloc(a, at_least_one(s->channel_count), 1);
	run->channel_draws = tc_calloc(a, at_least_one(s->channel_count), sizeof(uint64_t));
	run->repeat_draws = tc_calloc(a, at_least_one(s->inject_count), sizeof(uint64_t));
	if (!run->actors || !run->aware || !run->rule_fired || !run->channel_up ||
	    !run->channel_draws || !run->repeat_draws) {
		tc_run_free(run);
		return TC_ENOMEM;
	}
	for (size_t i = 0; i < na * ni; i++)
		run->aware[i] = TC_TIME_NEVER;
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
	meetings_release(run);
	tc_free(a, run->actors, at_least_one(s->actor_count) * sizeof *run->actors);
	tc_free(a, run->aware, aware_size(s));
	tc_free(a, run->rule_fired, fired_size(s));
	tc_free(a, run->channel_up, at_least_one(s->channel_count));
	tc_free(a, run->channel_draws, at_least_one(s->channel_count) * sizeof(uint64_t));
	tc_free(a, run->repeat_draws, at_least_one(s->inject_count) * sizeof(uint64_t));
	messages_release(run);
	tc_queue_release(&run->queue);
	tc_free(a, run, sizeof *run);
}

const tc_scenario *tc_run_scenario(const tc_run *run) { return run->s; }
const tc_run_options *tc_run_options_of(const tc_run *run) { return &run->opt; }
const tc_run_stats *tc_run_stats_of(const tc_run *run) { return &run->stats; }

const char *tc_run_error_message(const tc_run *run)
{
	return run->error_message[0] ? run->error_message : tc_strerror(run->error);
}

tc_time tc_run_aware_at(const tc_run *run, int actor, int incident)
{
	assert(actor >= 0 && (size_t)actor < run->s->actor_count);
	assert(incident >= 0 && (size_t)incident < run->s->incident_count);
	return run->aware[(size_t)actor * run->s->incident_count + (size_t)incident];
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
	switch (inj->action) {
	case TC_INJECT_MESSAGE:
		fire_message_inject(run, index);
		break;
	case TC_INJECT_CHANNEL_DOWN:
	case TC_INJECT_CHANNEL_UP:
		channel_set_state(run, inj->target, inj->action == TC_INJECT_CHANNEL_UP, index);
		break;
	case TC_INJECT_SET_STAFF:
		actor_set_staff(run, inj->target, inj->staff, index);
		break;
	case TC_INJECT_CONVENE: {
		const tc_meeting_def *md = &run->s->meetings[inj->target];
		tc_cause cause = {TC_CAUSE_INJECT, (uint64_t)index};
		int severity = inj->incident >= 0 ? run->s->incidents[inj->incident].severity : 0;
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
		dispatch(run, &ev);
		if (run->opt.max_events && run->stats.events >= run->opt.max_events && !run->stop)
			fail_limit(run, "the run reached its limit of %llu events at %s",
			           (unsigned long long)run->opt.max_events);
	}
	run->stats.end_time = run->now;
	if (run->error)
		return run->error;
	r = run_record(run, TC_REC_RUN_ENDED);
	r->text = run->stats.end_reason;
	run_emit(run);
	return run->error;
}
