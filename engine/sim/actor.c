/*
 * Actors at run time: a FIFO of delivered messages served by the staff on
 * duty; off duty, messages of at least the on-call severity get the on-call
 * staff after the callout delay, the others wait for the next duty interval.
 * Work in progress always finishes (no pre-emption).
 *
 * Two FIFOs keep both rules O(1): `high` holds the messages on-call staff may
 * take, `low` the others; duty staff take the older of the two heads.
 */
#include <assert.h>

#include "core/error.h"
#include "sim/internal.h"

static void dispatch_work(tc_run *run, int a);

/* Duty under a given mode: scripts may put a team on 24/7 or send it home. */
static int duty_at(const tc_actor_def *d, hours_mode mode, tc_time t)
{
	if (mode != HOURS_SCHEDULE)
		return mode == HOURS_ALWAYS;
	return d->always_on_duty || tc_timeline_contains(&d->duty, t);
}

static int on_duty(const tc_run *run, int a)
{
	return duty_at(&run->s->actors[a], (hours_mode)run->actors[a].hours, run->now);
}

int actor_on_duty(const tc_run *run, int actor)
{
	return on_duty(run, actor);
}

/* Time on duty within [from, to) under one mode. */
static tc_time duty_within(const tc_actor_def *d, hours_mode mode, tc_time from, tc_time to)
{
	if (to <= from)
		return 0;
	if (mode != HOURS_SCHEDULE)
		return mode == HOURS_ALWAYS ? to - from : 0;
	return d->always_on_duty ? to - from : tc_timeline_measure(&d->duty, from, to);
}

/* Time on duty within [from, to), following every change of hours. */
static tc_time duty_measure(const tc_run *run, int a, tc_time from, tc_time to)
{
	const tc_actor_def *d = &run->s->actors[a];
	const actor_state *st = &run->actors[a];
	hours_mode mode = HOURS_SCHEDULE;
	tc_time total = 0, t = from;
	for (size_t i = 0; i < st->change_count && t < to; i++) {
		const hours_change *c = &st->changes[i];
		if (c->at > t) {
			tc_time end = c->at < to ? c->at : to;
			total += duty_within(d, mode, t, end);
			t = end;
		}
		mode = (hours_mode)c->mode;
	}
	return total + duty_within(d, mode, t, to);
}

/* When duty next starts (now when on duty), or TC_TIME_NEVER. */
static tc_time duty_next_start(const tc_run *run, int a)
{
	const tc_actor_def *d = &run->s->actors[a];
	switch ((hours_mode)run->actors[a].hours) {
	case HOURS_ALWAYS: return run->now;
	case HOURS_OFF: return TC_TIME_NEVER;
	case HOURS_SCHEDULE: break;
	}
	return d->always_on_duty ? run->now : tc_timeline_next_start(&d->duty, run->now);
}

/* When the current duty ends, or TC_TIME_NEVER when it does not. */
static tc_time duty_end(const tc_run *run, int a)
{
	const tc_actor_def *d = &run->s->actors[a];
	if ((hours_mode)run->actors[a].hours != HOURS_SCHEDULE || d->always_on_duty)
		return TC_TIME_NEVER;
	return tc_timeline_current_end(&d->duty, run->now);
}

/* Cumulative time the on-call staff have been present, up to now. */
static tc_time on_call_time(const actor_state *st, tc_time now)
{
	return st->on_call_total + (st->on_call_active ? now - st->on_call_since : 0);
}

/* Any pending stand-down belongs to an idle spell that is now over. */
static void end_idle_spell(actor_state *st)
{
	if (st->stand_down_pending) {
		st->stand_down_pending = 0;
		st->idle_spell++;
	}
}

static void stand_down(tc_run *run, actor_state *st)
{
	end_idle_spell(st);
	if (!st->on_call_active)
		return;
	st->on_call_total += run->now - st->on_call_since;
	st->on_call_active = 0;
}

/* Called-out staff with nothing left to do go home after a while, unless
 * more urgent work arrives first. */
static void on_call_idle(tc_run *run, int a)
{
	const tc_actor_def *def = &run->s->actors[a];
	actor_state *st = &run->actors[a];
	if (def->on_call.stand_down == 0) {
		stand_down(run, st);
	} else if (!st->stand_down_pending) {
		st->stand_down_pending = 1;
		run_schedule(run, run->now + def->on_call.stand_down, EV_STAND_DOWN, (uint32_t)a,
		             st->idle_spell, NULL);
	}
}

void actor_stand_down(tc_run *run, int actor, uint64_t spell)
{
	actor_state *st = &run->actors[actor];
	if (!st->stand_down_pending || spell != st->idle_spell)
		return;
	stand_down(run, st);
	dispatch_work(run, actor);
}

static void schedule_wake(tc_run *run, int a, tc_time at)
{
	actor_state *st = &run->actors[a];
	if (at == TC_TIME_NEVER || at >= TC_TIME_ALWAYS_END)
		return;
	if (at < run->now)
		at = run->now;
	if (st->wake_at != TC_TIME_NEVER && st->wake_at <= at)
		return;
	if (st->wake_at != TC_TIME_NEVER)
		tc_queue_cancel(&run->queue, st->wake_event);
	st->wake_at = at;
	run_schedule(run, at, EV_WAKE, (uint32_t)a, 0, &st->wake_event);
}

static uint32_t pop_oldest(tc_run *run, actor_state *st)
{
	uint32_t h = st->high.head, l = st->low.head;
	if (h == NO_SLOT)
		return fifo_pop(run, &st->low);
	if (l == NO_SLOT)
		return fifo_pop(run, &st->high);
	/* Message ids grow with creation, not delivery: compare delivery times,
	 * then ids, to keep arrival order. */
	const message *mh = message_at(run, h), *ml = message_at(run, l);
	int high_first = mh->delivered < ml->delivered ||
	                 (mh->delivered == ml->delivered && mh->id < ml->id);
	return fifo_pop(run, high_first ? &st->high : &st->low);
}

static void start_handling(tc_run *run, int a, uint32_t slot, pool_type pool)
{
	const tc_actor_def *def = &run->s->actors[a];
	actor_state *st = &run->actors[a];
	message *m = message_at(run, slot);
	m->waiting = 0;
	m->started = run->now;
	m->pool = (uint8_t)pool;
	if (pool == POOL_DUTY) {
		st->busy_duty++;
	} else {
		st->busy_on_call++;
		end_idle_spell(st);
	}

	/* Split the wait: time with nobody on shift for this message is
	 * off-hours, the rest is queueing behind other work. */
	tc_time wait = run->now - m->delivered;
	tc_time off = wait - duty_measure(run, a, m->delivered, run->now);
	if (m->eligible)
		off -= on_call_time(st, run->now) - m->oncall_mark;
	if (off < 0)
		off = 0;
	if (off > wait)
		off = wait;
	m->wait_off_hours = off;
	m->wait_queue = wait - off;

	tc_time handling = m->instant ? 0
	                   : run_draw(run, tc_actor_handling(def, m->kind), def->entity,
	                              PURPOSE_HANDLING, st->handled++);
	tc_record *r = run_record(run, TC_REC_HANDLING_STARTED);
	message_fill_record(r, m);
	r->on_call = pool == POOL_ON_CALL;
	run_emit(run);
	run_schedule(run, run->now + handling, EV_HANDLED, 0, slot, NULL);
}

/* Start whatever can start now, then plan the next moment anything changes. */
static void dispatch_work(tc_run *run, int a)
{
	const tc_actor_def *def = &run->s->actors[a];
	actor_state *st = &run->actors[a];
	int duty = on_duty(run, a);
	if (duty)
		stand_down(run, st);
	for (;;) {
		if (duty && st->busy_duty < st->staff &&
		    (st->high.length || st->low.length)) {
			start_handling(run, a, pop_oldest(run, st), POOL_DUTY);
		} else if (!duty && st->on_call_active && st->busy_on_call < def->on_call.staff &&
		           st->high.length) {
			start_handling(run, a, fifo_pop(run, &st->high), POOL_ON_CALL);
		} else {
			break;
		}
	}
	if (!duty && st->on_call_active && !st->high.length && !st->busy_on_call)
		on_call_idle(run, a);
	if (!st->high.length && !st->low.length)
		return;
	if (!duty) {
		if (st->high.length && def->on_call.staff > 0 && !st->on_call_active &&
		    !st->callout_pending) {
			st->callout_pending = 1;
			tc_record *r = run_record(run, TC_REC_CALLOUT);
			r->actor = a;
			r->count = def->on_call.staff;
			r->text = "called";
			run_emit(run);
			run_schedule(run, run->now + def->on_call.callout_delay, EV_CALLOUT,
			             (uint32_t)a, 0, NULL);
		}
		schedule_wake(run, a, duty_next_start(run, a));
	} else if (st->high.length && def->on_call.staff > 0) {
		/* At the end of duty the on-call staff must be called for these. */
		schedule_wake(run, a, duty_end(run, a));
	}
}

void actor_receive(tc_run *run, uint32_t slot)
{
	message *m = message_at(run, slot);
	int a = m->to;
	const tc_actor_def *def = &run->s->actors[a];
	actor_state *st = &run->actors[a];
	m->delivered = run->now;
	run->stats.delivered++;
	tc_record *r = run_record(run, TC_REC_MESSAGE_DELIVERED);
	message_fill_record(r, m);
	r->wait_channel = m->delivered - m->sent;
	run_emit(run);

	/* An acknowledgement settles its parent's retries. */
	if (m->kind == TC_KIND_ACK && m->parent_slot != NO_SLOT) {
		message *p = message_at(run, m->parent_slot);
		if (p->id == m->cause.id && p->from == a)
			p->acked = 1;
	}

	m->eligible = (uint8_t)(def->on_call.staff > 0 && m->severity >= def->on_call.min_severity);
	m->oncall_mark = on_call_time(st, run->now);
	m->waiting = 1;
	fifo_push(run, m->eligible ? &st->high : &st->low, slot);
	dispatch_work(run, a);
	if (m->waiting) {
		r = run_record(run, TC_REC_MESSAGE_QUEUED);
		message_fill_record(r, m);
		r->count = (int64_t)(st->high.length + st->low.length);
		r->text = on_duty(run, a) || (st->on_call_active && m->eligible) ? "busy" : "off-duty";
		run_emit(run);
	}
}

void actor_make_aware(tc_run *run, int actor, int incident, tc_cause cause)
{
	tc_time *at = aware_slot(run, actor, incident);
	if (*at != TC_TIME_NEVER)
		return;
	*at = run->now;
	tc_record *r = run_record(run, TC_REC_ACTOR_AWARE);
	r->actor = actor;
	r->incident = incident;
	r->cause = cause;
	run_emit(run);
}

void actor_release_seat(tc_run *run, int actor, pool_type pool)
{
	actor_state *st = &run->actors[actor];
	if (pool == POOL_DUTY) {
		assert(st->busy_duty > 0);
		st->busy_duty--;
	} else {
		assert(st->busy_on_call > 0);
		st->busy_on_call--;
	}
	dispatch_work(run, actor);
}

void actor_handled(tc_run *run, uint32_t slot)
{
	message *m = message_at(run, slot);
	int a = m->to;
	run->stats.handled++;
	tc_record *r = run_record(run, TC_REC_MESSAGE_HANDLED);
	message_fill_record(r, m);
	r->on_call = m->pool == POOL_ON_CALL;
	r->wait_hold = m->hold;
	r->wait_channel = m->delivered - m->sent;
	r->wait_queue = m->wait_queue;
	r->wait_off_hours = m->wait_off_hours;
	r->handling = run->now - m->started;
	run_emit(run);

	const tc_kind *kind = &run->s->kinds[m->kind];
	if (kind->informative && m->incident >= 0) {
		tc_cause cause = {TC_CAUSE_MESSAGE, m->id};
		actor_make_aware(run, a, m->incident, cause);
	}
	/* A handled convocation sends its handler to the meeting, keeping the
	 * staff member busy until the meeting is over. */
	int seated = m->meeting_slot >= 0 && !run->stop && meeting_attend(run, slot);
	if (!run->stop)
		doctrine_react(run, slot);
	pool_type pool = (pool_type)m->pool;
	m->in_flight = 0;
	message_maybe_release(run, slot);
	if (!seated)
		actor_release_seat(run, a, pool);
}

void actor_wake(tc_run *run, int actor)
{
	run->actors[actor].wake_at = TC_TIME_NEVER;
	dispatch_work(run, actor);
}

void actor_callout(tc_run *run, int actor)
{
	actor_state *st = &run->actors[actor];
	st->callout_pending = 0;
	if (!on_duty(run, actor) && !st->on_call_active) {
		st->on_call_active = 1;
		st->on_call_since = run->now;
		tc_record *r = run_record(run, TC_REC_CALLOUT);
		r->actor = actor;
		r->count = run->s->actors[actor].on_call.staff;
		r->text = "available";
		run_emit(run);
	}
	dispatch_work(run, actor);
}

void actor_set_staff(tc_run *run, int actor, int staff, int inject, tc_cause cause)
{
	run->actors[actor].staff = staff;
	tc_record *r = run_record(run, TC_REC_STAFF_CHANGED);
	r->actor = actor;
	r->inject = inject;
	r->cause = cause;
	r->count = staff;
	run_emit(run);
	dispatch_work(run, actor);
}

static const char *const hours_names[] = {"schedule", "always", "off"};

int actor_set_hours(tc_run *run, int actor, hours_mode mode, tc_cause cause)
{
	actor_state *st = &run->actors[actor];
	if (tc_grow(run->alloc, (void **)&st->changes, &st->change_cap, st->change_count + 1,
	            sizeof *st->changes)) {
		run_fail(run, TC_ENOMEM);
		return TC_ENOMEM;
	}
	st->changes[st->change_count++] = (hours_change){run->now, (uint8_t)mode};
	st->hours = (uint8_t)mode;
	tc_record *r = run_record(run, TC_REC_HOURS_CHANGED);
	r->actor = actor;
	r->cause = cause;
	r->text = hours_names[mode];
	run_emit(run);
	dispatch_work(run, actor);
	return TC_OK;
}

void actors_release(tc_run *run)
{
	for (size_t i = 0; i < run->s->actor_count; i++) {
		actor_state *st = &run->actors[i];
		tc_free(run->alloc, st->changes, st->change_cap * sizeof *st->changes);
	}
}
