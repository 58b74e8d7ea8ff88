/*
 * Consuming the records: each one updates the message table, the meeting
 * instances, awareness and the per-actor integrals (busy staff, capacity,
 * backlog). Everything that needs the whole run waits for
 * tc_analysis_finish. Records are checked as they come, because a log may
 * be hand-edited: a bad one is refused with a message, never trusted.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "analysis/internal.h"
#include "core/error.h"

int analysis_fail(tc_analysis *an, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(an->error, sizeof an->error, fmt, ap);
	va_end(ap);
	return TC_EINVAL;
}

const char *tc_analysis_error(const tc_analysis *an)
{
	return an->error;
}

tc_analysis *tc_analysis_new(tc_alloc *a)
{
	tc_analysis *an = tc_calloc(a, 1, sizeof *an);
	if (!an)
		return NULL;
	an->a = a;
	tc_arena_init(&an->text, a);
	return an;
}

static void release_metrics(tc_analysis *an)
{
	tc_metrics *m = &an->metrics;
	size_t ni = an->setup.incident_count;
	if (m->incidents)
		for (size_t i = 0; i < ni; i++)
			path_release(an->a, &m->incidents[i].path);
	tc_free(an->a, m->incidents, one_or(ni) * sizeof *m->incidents);
	tc_free(an->a, m->actors, an->setup.actor_count * sizeof *m->actors);
	if (m->objectives)
		for (size_t i = 0; i < an->setup.objective_count; i++)
			path_release(an->a, &m->objectives[i].path);
	tc_free(an->a, m->objectives, one_or(an->setup.objective_count) * sizeof *m->objectives);
	tc_free(an->a, m->totals.by_kind, one_or(an->setup.kind_count) * sizeof *m->totals.by_kind);
	tc_free(an->a, m->totals.by_channel,
	        (an->setup.channel_count + 1) * sizeof *m->totals.by_channel);
}

void tc_analysis_free(tc_analysis *an)
{
	if (!an)
		return;
	tc_alloc *a = an->a;
	release_metrics(an);
	tc_free(a, an->hops, an->hop_cap * sizeof *an->hops);
	tc_free(a, an->extra, an->extra_cap * sizeof *an->extra);
	for (size_t i = 0; i < an->meeting_count; i++)
		tc_free(a, an->meetings[i].joined, an->meetings[i].joined_cap * sizeof(int));
	tc_free(a, an->meetings, an->meeting_cap * sizeof *an->meetings);
	tc_free(a, an->inject_fired, an->setup.inject_count * sizeof *an->inject_fired);
	if (an->actors)
		for (size_t i = 0; i < an->setup.actor_count; i++) {
			actor_state *st = &an->actors[i];
			tc_free(a, st->responses, st->response_cap * sizeof *st->responses);
			tc_free(a, st->hours_changes,
			        st->hours_change_cap * sizeof *st->hours_changes);
		}
	tc_free(a, an->actors, an->setup.actor_count * sizeof *an->actors);
	tc_free(a, an->awareness, an->awareness_cap * sizeof *an->awareness);
	tc_arena_release(&an->text);
	if (an->started)
		tc_setup_release(&an->setup);
	tc_free(a, an, sizeof *an);
}

tc_setup *tc_analysis_setup(tc_analysis *an)
{
	return an->started ? &an->setup : NULL;
}

const char *tc_hop_status_name(tc_hop_status status)
{
	static const char *const names[TC_HOP_STATUS_COUNT] = {
		"handled", "lost", "held", "in-transit", "queued", "handling",
	};
	return (unsigned)status < TC_HOP_STATUS_COUNT ? names[status] : "?";
}

/* ---- start ------------------------------------------------------------- */

static void clear_awareness(tc_awareness *aw, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		aw[i].at = TC_TIME_NEVER;
		aw[i].since_start = TC_TIME_NEVER;
		aw[i].cause.type = TC_CAUSE_NONE;
		aw[i].cause.id = 0;
	}
}

/* Room for the awareness of every incident the setup has now. */
static int grow_awareness(tc_analysis *an)
{
	size_t need = an->setup.incident_count * an->setup.actor_count;
	size_t old = an->awareness_cap;
	if (need <= old)
		return TC_OK;
	if (tc_grow(an->a, (void **)&an->awareness, &an->awareness_cap, need,
	            sizeof *an->awareness))
		return TC_ENOMEM;
	clear_awareness(an->awareness + old, an->awareness_cap - old);
	return TC_OK;
}

static int alloc_state(tc_analysis *an)
{
	const tc_setup *s = &an->setup;
	if (s->actor_count) {
		an->actors = tc_calloc(an->a, s->actor_count, sizeof *an->actors);
		an->metrics.actors = tc_calloc(an->a, s->actor_count, sizeof *an->metrics.actors);
		if (!an->actors || !an->metrics.actors)
			return TC_ENOMEM;
	}
	if (s->inject_count) {
		an->inject_fired = tc_malloc(an->a, s->inject_count * sizeof *an->inject_fired);
		if (!an->inject_fired)
			return TC_ENOMEM;
		for (size_t i = 0; i < s->inject_count; i++)
			an->inject_fired[i] = TC_TIME_NEVER;
	}
	for (size_t i = 0; i < s->actor_count; i++) {
		actor_state *st = &an->actors[i];
		st->mark = s->span_start;
		st->staff = s->actors[i].staff;
		st->hours = HOURS_SCHEDULE;
	}
	return grow_awareness(an);
}

int tc_analysis_start(tc_analysis *an, const char *json, size_t len)
{
	if (an->started)
		return analysis_fail(an, "the run has already started: a second run-started record");
	int rc = tc_setup_parse(&an->setup, an->a, json, len, an->error, sizeof an->error);
	if (rc)
		return rc;
	an->started = 1;
	an->next_seq = 1;
	an->last_time = an->setup.span_start;
	an->metrics.setup = &an->setup;
	an->metrics.totals.span_start = an->setup.span_start;
	an->metrics.totals.span_end = an->setup.span_start;
	an->metrics.totals.records = 1;
	return alloc_state(an);
}

/* ---- per-actor integrals ---------------------------------------------- */

/* On-duty time of actor i in [from, to) under its current hours. */
static tc_time duty_time(const tc_analysis *an, size_t i, tc_time from, tc_time to)
{
	const tc_setup_actor *def = &an->setup.actors[i];
	const actor_state *st = &an->actors[i];
	if (st->hours == HOURS_OFF)
		return 0;
	if (st->hours == HOURS_ALWAYS || def->always_on_duty)
		return to - from;
	return tc_timeline_measure(&def->duty, from, to);
}

/* Integrate actor i's state up to t (which never goes back). */
void analysis_advance(tc_analysis *an, size_t i, tc_time t)
{
	actor_state *st = &an->actors[i];
	tc_actor_metrics *am = &an->metrics.actors[i];
	if (t <= st->mark)
		return;
	tc_time dt = t - st->mark, on_duty = duty_time(an, i, st->mark, t);
	/* A meeting seat is on-duty work within the actor's hours and on-call
	 * work outside them, so that utilisation compares like with like. */
	am->busy_duty += st->busy_duty * dt + st->seats * on_duty;
	am->busy_on_call += st->busy_on_call * dt + st->seats * (dt - on_duty);
	am->capacity += st->staff * on_duty;
	st->backlog_area += (double)st->backlog * (double)dt;
	st->mark = t;
}

/* ---- checks ------------------------------------------------------------ */

static int check_actor(tc_analysis *an, int actor, int may_be_none, const char *what)
{
	if (actor == TC_NONE && may_be_none)
		return TC_OK;
	if (actor < 0 || (size_t)actor >= an->setup.actor_count)
		return analysis_fail(an, "%s names no actor of the scenario", what);
	return TC_OK;
}

static int check_index(tc_analysis *an, int index, size_t count, const char *what)
{
	if (index == TC_NONE || (index >= 0 && (size_t)index < count))
		return TC_OK;
	return analysis_fail(an, "%s is not one of the scenario's", what);
}

/* The message a record is about, which must exist. */
static tc_hop *hop_of(tc_analysis *an, const tc_record *r)
{
	if (r->message == 0 || r->message > an->metrics.hop_count) {
		analysis_fail(an, "%s names message %llu, which was never created",
		              tc_record_type_name(r->type), (unsigned long long)r->message);
		return NULL;
	}
	tc_hop *h = &an->hops[r->message - 1];
	if (h->from != r->actor || h->to != r->peer) {
		analysis_fail(an, "%s: message %llu goes from another sender or to another receiver "
		              "than when it was created", tc_record_type_name(r->type),
		              (unsigned long long)r->message);
		return NULL;
	}
	return h;
}

static int check_cause(tc_analysis *an, tc_cause c, uint64_t before_message)
{
	switch (c.type) {
	case TC_CAUSE_MESSAGE:
		if (c.id == 0 || c.id >= before_message)
			return analysis_fail(an, "a cause names message %llu, which was not created "
			                     "before", (unsigned long long)c.id);
		return TC_OK;
	case TC_CAUSE_INJECT:
		if (c.id >= an->setup.inject_count)
			return analysis_fail(an, "a cause names an inject the scenario does not have");
		return TC_OK;
	case TC_CAUSE_MEETING:
		if (c.id == 0 || c.id > an->meeting_count)
			return analysis_fail(an, "a cause names meeting instance %llu, which was never "
			                     "convened", (unsigned long long)c.id);
		return TC_OK;
	case TC_CAUSE_NONE:
	case TC_CAUSE_SCRIPT:
		return TC_OK;
	}
	return analysis_fail(an, "a cause of an unknown type");
}

/* ---- messages ----------------------------------------------------------- */

static int message_created(tc_analysis *an, const tc_record *r)
{
	tc_metrics *m = &an->metrics;
	if (r->message != m->hop_count + 1)
		return analysis_fail(an, "message %llu is created out of order (expected message "
		                     "%llu)", (unsigned long long)r->message,
		                     (unsigned long long)(m->hop_count + 1));
	int rc;
	if ((rc = check_actor(an, r->actor, 1, "the sender")) ||
	    (rc = check_actor(an, r->peer, 0, "the receiver")) ||
	    (rc = check_index(an, r->incident, an->setup.incident_count, "the incident")) ||
	    (rc = check_cause(an, r->cause, r->message)))
		return rc;
	if (r->kind >= an->setup.kind_count)
		return analysis_fail(an, "message %llu has a kind the scenario does not declare",
		                     (unsigned long long)r->message);
	if (r->attempt < 1)
		return analysis_fail(an, "message %llu has attempt %d (1 or more expected)",
		                     (unsigned long long)r->message, r->attempt);
	if (tc_grow(an->a, (void **)&an->hops, &an->hop_cap, m->hop_count + 1, sizeof *an->hops) ||
	    tc_grow(an->a, (void **)&an->extra, &an->extra_cap, m->hop_count + 1,
	            sizeof *an->extra))
		return TC_ENOMEM;
	m->hops = an->hops;
	tc_hop *h = &an->hops[m->hop_count];
	*h = (tc_hop){
		.msg = r->message, .kind = r->kind, .from = r->actor, .to = r->peer,
		.incident = r->incident, .channel = TC_NONE, .attempt = r->attempt,
		.severity = r->severity, .binding = r->cause, .status = TC_HOP_HELD,
		.created = r->time, .sent = TC_TIME_NEVER, .delivered = TC_TIME_NEVER,
		.started = TC_TIME_NEVER, .handled = TC_TIME_NEVER, .total = TC_TIME_NEVER,
	};
	an->extra[m->hop_count].cause_at = r->cause.type == TC_CAUSE_INJECT
	                                   ? an->inject_fired[r->cause.id] : TC_TIME_NEVER;
	an->extra[m->hop_count].waited = 0;
	an->extra[m->hop_count].reminder = r->meeting != TC_NONE && r->meeting_id > 0 &&
	                                   r->meeting_id <= an->meeting_count &&
	                                   an->meetings[r->meeting_id - 1].standing;
	m->hop_count++;
	if (r->actor != TC_NONE) {
		tc_actor_metrics *am = &m->actors[r->actor];
		am->sent++;
		if (r->attempt > 1)
			am->retries++;
	}
	return TC_OK;
}

static int message_sent(tc_analysis *an, tc_hop *h, const tc_record *r)
{
	int rc = check_index(an, r->channel, an->setup.channel_count, "the channel");
	if (rc)
		return rc;
	if (h->status != TC_HOP_HELD)
		return analysis_fail(an, "message %llu is sent twice", (unsigned long long)h->msg);
	h->sent = r->time;
	h->hold = r->time - h->created;
	h->channel = r->channel;
	h->status = TC_HOP_IN_TRANSIT;
	return TC_OK;
}

static int message_lost(tc_analysis *an, tc_hop *h, const tc_record *r)
{
	if (h->status != TC_HOP_HELD && h->status != TC_HOP_IN_TRANSIT)
		return analysis_fail(an, "message %llu is lost after it was delivered",
		                     (unsigned long long)h->msg);
	h->status = TC_HOP_LOST;
	if (h->sent != TC_TIME_NEVER)
		h->channel_delay = r->time - h->sent;
	if (r->text && !(h->lost_reason = tc_arena_strdup(&an->text, r->text)))
		return TC_ENOMEM;
	if (h->from != TC_NONE)
		an->metrics.actors[h->from].lost++;
	return TC_OK;
}

static int message_delivered(tc_analysis *an, tc_hop *h, const tc_record *r)
{
	if (h->status == TC_HOP_HELD) {
		/* Delivered directly, with no channel: an inject from outside the
		 * exercise, a convener's own convocation. */
		h->sent = r->time;
	} else if (h->status != TC_HOP_IN_TRANSIT) {
		return analysis_fail(an, "message %llu is delivered without being sent, or twice",
		                     (unsigned long long)h->msg);
	}
	h->delivered = r->time;
	h->channel_delay = r->time - h->sent;
	h->status = TC_HOP_QUEUED;
	an->metrics.actors[h->to].received++;
	return TC_OK;
}

/* Delivered and nobody free to take it: it joins the receiver's backlog. */
static int message_queued(tc_analysis *an, tc_hop *h, const tc_record *r)
{
	struct hop_extra *x = &an->extra[h->msg - 1];
	if (h->status != TC_HOP_QUEUED || x->waited)
		return analysis_fail(an, "message %llu is queued before it was delivered, or twice",
		                     (unsigned long long)h->msg);
	x->waited = 1;
	analysis_advance(an, (size_t)h->to, r->time);
	actor_state *st = &an->actors[h->to];
	tc_actor_metrics *am = &an->metrics.actors[h->to];
	if (++st->backlog > (int64_t)am->backlog_max) {
		am->backlog_max = (uint64_t)st->backlog;
		am->backlog_max_at = r->time;
	}
	return TC_OK;
}

static int handling_started(tc_analysis *an, tc_hop *h, const tc_record *r)
{
	if (h->status != TC_HOP_QUEUED)
		return analysis_fail(an, "message %llu is taken before it was delivered, or twice",
		                     (unsigned long long)h->msg);
	h->started = r->time;
	h->status = TC_HOP_HANDLING;
	h->on_call = r->on_call;
	analysis_advance(an, (size_t)h->to, r->time);
	actor_state *st = &an->actors[h->to];
	if (an->extra[h->msg - 1].waited)
		st->backlog--;
	if (r->on_call)
		st->busy_on_call++;
	else
		st->busy_duty++;
	return TC_OK;
}

static int message_handled(tc_analysis *an, tc_hop *h, const tc_record *r)
{
	if (h->status != TC_HOP_HANDLING)
		return analysis_fail(an, "message %llu is handled before its handling started",
		                     (unsigned long long)h->msg);
	if (r->wait_hold < 0 || r->wait_channel < 0 || r->wait_queue < 0 ||
	    r->wait_off_hours < 0 || r->handling < 0)
		return analysis_fail(an, "message %llu has a negative wait",
		                     (unsigned long long)h->msg);
	h->handled = r->time;
	h->status = TC_HOP_HANDLED;
	/* The engine's own split is authoritative: only it knows the duty
	 * intervals that divide queueing from off-hours waiting. */
	h->hold = r->wait_hold;
	h->channel_delay = r->wait_channel;
	h->queue = r->wait_queue;
	h->off_hours = r->wait_off_hours;
	h->handling = r->handling;
	h->total = h->hold + h->channel_delay + h->queue + h->off_hours + h->handling;
	analysis_advance(an, (size_t)h->to, r->time);
	actor_state *st = &an->actors[h->to];
	tc_actor_metrics *am = &an->metrics.actors[h->to];
	if (h->on_call)
		st->busy_on_call--;
	else
		st->busy_duty--;
	am->handled++;
	am->queue += h->queue;
	am->off_hours += h->off_hours;
	am->handling += h->handling;
	/* A reminder is handled at once when a handler is free: its "response"
	 * says nothing of how fast the actor responds. */
	if (an->extra[h - an->hops].reminder)
		return TC_OK;
	if (tc_grow(an->a, (void **)&st->responses, &st->response_cap, st->response_count + 1,
	            sizeof *st->responses))
		return TC_ENOMEM;
	st->responses[st->response_count++] = r->time - h->delivered;
	return TC_OK;
}

static int message_record(tc_analysis *an, const tc_record *r)
{
	if (r->type == TC_REC_MESSAGE_CREATED || r->type == TC_REC_RETRY)
		return message_created(an, r);
	tc_hop *h = hop_of(an, r);
	if (!h)
		return TC_EINVAL;
	switch (r->type) {
	case TC_REC_MESSAGE_HELD: return TC_OK;
	case TC_REC_MESSAGE_SENT: return message_sent(an, h, r);
	case TC_REC_MESSAGE_LOST: return message_lost(an, h, r);
	case TC_REC_MESSAGE_DELIVERED: return message_delivered(an, h, r);
	case TC_REC_MESSAGE_QUEUED: return message_queued(an, h, r);
	case TC_REC_HANDLING_STARTED: return handling_started(an, h, r);
	case TC_REC_MESSAGE_HANDLED: return message_handled(an, h, r);
	default: break;
	}
	assert(0 && "not a message record");
	return TC_EINVAL;
}

/* ---- meetings ------------------------------------------------------------ */

/* The instance a record names; a new one when it is the next id. */
static meeting_state *meeting_of(tc_analysis *an, const tc_record *r)
{
	if (check_index(an, r->meeting, an->setup.meeting_count, "the meeting") ||
	    r->meeting == TC_NONE) {
		analysis_fail(an, "%s names no meeting of the scenario", tc_record_type_name(r->type));
		return NULL;
	}
	if (r->meeting_id == an->meeting_count + 1) {
		if (tc_grow(an->a, (void **)&an->meetings, &an->meeting_cap, an->meeting_count + 1,
		            sizeof *an->meetings))
			return NULL;
		meeting_state *ms = &an->meetings[an->meeting_count++];
		/* A meeting convened by nothing is a standing one's occurrence. */
		*ms = (meeting_state){
			.def = r->meeting, .incident = r->incident, .convened = r->time,
			.started = TC_TIME_NEVER, .ended = TC_TIME_NEVER,
			.standing = r->type == TC_REC_MEETING_CONVENED && r->cause.type == TC_CAUSE_NONE,
		};
		return ms;
	}
	if (r->meeting_id == 0 || r->meeting_id > an->meeting_count ||
	    an->meetings[r->meeting_id - 1].def != r->meeting) {
		analysis_fail(an, "%s names meeting instance %llu, which does not exist or is of "
		              "another meeting", tc_record_type_name(r->type),
		              (unsigned long long)r->meeting_id);
		return NULL;
	}
	return &an->meetings[r->meeting_id - 1];
}

static int meeting_joined(tc_analysis *an, meeting_state *ms, const tc_record *r)
{
	int rc = check_actor(an, r->actor, 0, "the attendee");
	if (rc)
		return rc;
	if (tc_grow(an->a, (void **)&ms->joined, &ms->joined_cap, ms->joined_count + 1,
	            sizeof *ms->joined))
		return TC_ENOMEM;
	ms->joined[ms->joined_count++] = r->actor;
	analysis_advance(an, (size_t)r->actor, r->time);
	an->actors[r->actor].seats++;
	an->metrics.actors[r->actor].meetings++;
	return TC_OK;
}

/* Ended or failed: every attendee gets its seat back. */
static void meeting_closed(tc_analysis *an, meeting_state *ms, const tc_record *r)
{
	ms->ended = r->time;
	for (size_t i = 0; i < ms->joined_count; i++) {
		size_t actor = (size_t)ms->joined[i];
		analysis_advance(an, actor, r->time);
		assert(an->actors[actor].seats > 0);
		an->actors[actor].seats--;
	}
	ms->joined_count = 0;
	if (r->type == TC_REC_MEETING_ENDED)
		an->metrics.totals.meetings_held++;
	else
		an->metrics.totals.meetings_failed++;
}

static int meeting_record(tc_analysis *an, const tc_record *r)
{
	meeting_state *ms = meeting_of(an, r);
	if (!ms)
		return an->error[0] ? TC_EINVAL : TC_ENOMEM;
	if (ms->ended != TC_TIME_NEVER)
		return analysis_fail(an, "%s: meeting instance %llu is already over",
		                     tc_record_type_name(r->type), (unsigned long long)r->meeting_id);
	switch (r->type) {
	case TC_REC_MEETING_CONVENED:
		return TC_OK;
	case TC_REC_MEETING_JOINED:
		return meeting_joined(an, ms, r);
	case TC_REC_MEETING_STARTED: {
		int rc = check_cause(an, r->cause, an->metrics.hop_count + 1);
		if (rc)
			return rc;
		ms->started = r->time;
		ms->binding = r->cause;
		return TC_OK;
	}
	case TC_REC_MEETING_ENDED:
	case TC_REC_MEETING_FAILED:
		meeting_closed(an, ms, r);
		return TC_OK;
	default:
		break;
	}
	assert(0 && "not a meeting record");
	return TC_EINVAL;
}

/* ---- the rest -------------------------------------------------------------- */

static int actor_aware(tc_analysis *an, const tc_record *r)
{
	int rc;
	if ((rc = check_actor(an, r->actor, 0, "actor-aware's actor")) ||
	    (rc = check_index(an, r->incident, an->setup.incident_count, "actor-aware's incident")))
		return rc;
	if (r->incident == TC_NONE)
		return analysis_fail(an, "actor-aware names no incident");
	tc_awareness *aw = &an->awareness[(size_t)r->incident * an->setup.actor_count +
	                                  (size_t)r->actor];
	if (aw->at != TC_TIME_NEVER)
		return analysis_fail(an, "actor %s becomes aware of incident %s twice",
		                     an->setup.actors[r->actor].id,
		                     an->setup.incidents[r->incident].id);
	aw->at = r->time;
	aw->since_start = r->time - an->setup.incidents[r->incident].start;
	aw->cause = r->cause;
	return TC_OK;
}

static int actor_change(tc_analysis *an, const tc_record *r)
{
	int rc = check_actor(an, r->actor, 0, tc_record_type_name(r->type));
	if (rc)
		return rc;
	analysis_advance(an, (size_t)r->actor, r->time);
	actor_state *st = &an->actors[r->actor];
	if (r->type == TC_REC_STAFF_CHANGED) {
		if (r->count < 0)
			return analysis_fail(an, "staff-changed to a negative staff");
		st->staff = r->count;
		return TC_OK;
	}
	const char *h = r->text ? r->text : "";
	if (strcmp(h, "always") == 0)
		st->hours = HOURS_ALWAYS;
	else if (strcmp(h, "off") == 0)
		st->hours = HOURS_OFF;
	else if (strcmp(h, "schedule") == 0)
		st->hours = HOURS_SCHEDULE;
	else
		return analysis_fail(an, "hours-changed to '%s' (always, off or schedule expected)", h);
	if (tc_grow(an->a, (void **)&st->hours_changes, &st->hours_change_cap,
	            st->hours_change_count + 1, sizeof *st->hours_changes))
		return TC_ENOMEM;
	st->hours_changes[st->hours_change_count++] = (struct hours_change){r->time, st->hours};
	return TC_OK;
}

static int run_ended(tc_analysis *an, const tc_record *r)
{
	an->ended = 1;
	an->events = r->count < 0 ? 0 : (uint64_t)r->count;
	const char *reason = r->text ? r->text : "";
	if (!(an->metrics.totals.end_reason = tc_arena_strdup(&an->text, reason)))
		return TC_ENOMEM;
	return TC_OK;
}

static int dispatch(tc_analysis *an, const tc_record *r)
{
	switch (r->type) {
	case TC_REC_RUN_STARTED:
		return analysis_fail(an, "a second run-started record");
	case TC_REC_INJECT_FIRED: {
		int rc = check_index(an, r->inject, an->setup.inject_count, "the inject");
		if (rc)
			return rc;
		if (r->inject == TC_NONE)
			return analysis_fail(an, "inject-fired names no inject");
		an->inject_fired[r->inject] = r->time;
		return TC_OK;
	}
	case TC_REC_MESSAGE_CREATED:
	case TC_REC_MESSAGE_HELD:
	case TC_REC_MESSAGE_SENT:
	case TC_REC_MESSAGE_DELIVERED:
	case TC_REC_MESSAGE_LOST:
	case TC_REC_MESSAGE_QUEUED:
	case TC_REC_HANDLING_STARTED:
	case TC_REC_MESSAGE_HANDLED:
	case TC_REC_RETRY:
		return message_record(an, r);
	case TC_REC_ACTOR_AWARE:
		return actor_aware(an, r);
	case TC_REC_MEETING_CONVENED:
	case TC_REC_MEETING_JOINED:
	case TC_REC_MEETING_STARTED:
	case TC_REC_MEETING_ENDED:
	case TC_REC_MEETING_FAILED:
		return meeting_record(an, r);
	case TC_REC_STAFF_CHANGED:
	case TC_REC_HOURS_CHANGED:
		return actor_change(an, r);
	case TC_REC_INCIDENT_OPENED:
		if (r->incident < 0 || (size_t)r->incident + 1 != an->setup.incident_count)
			return analysis_fail(an, "incident-opened must follow the incident's addition "
			                     "to the setup");
		return grow_awareness(an);
	case TC_REC_RUN_ENDED:
		return run_ended(an, r);
	case TC_REC_CALLOUT:
	case TC_REC_CHANNEL_DOWN:
	case TC_REC_CHANNEL_UP:
	case TC_REC_INCIDENT_ESCALATED:
	case TC_REC_SCRIPT_LOG:
	case TC_REC_SCRIPT_ERROR:
		return TC_OK;
	case TC_REC_TYPE_COUNT:
		break;
	}
	return analysis_fail(an, "a record of unknown type %d", (int)r->type);
}

int tc_analysis_record(tc_analysis *an, const tc_record *r)
{
	if (!an->started)
		return analysis_fail(an, "the log must begin with run-started");
	if (an->ended)
		return analysis_fail(an, "%s after run-ended", tc_record_type_name(r->type));
	if (r->seq != an->next_seq)
		return analysis_fail(an, "record seq %llu where %llu was expected",
		                     (unsigned long long)r->seq, (unsigned long long)an->next_seq);
	if (r->time < an->last_time)
		return analysis_fail(an, "record %llu goes back in time (%lld ms after %lld ms)",
		                     (unsigned long long)r->seq, (long long)r->time,
		                     (long long)an->last_time);
	int rc = dispatch(an, r);
	if (rc)
		return rc;
	an->next_seq++;
	an->last_time = r->time;
	an->metrics.totals.records++;
	an->metrics.totals.span_end = r->time;
	return TC_OK;
}

/* ---- effective duty ----------------------------------------------------- */

typedef struct duty_builder {
	tc_interval *iv;
	size_t count;
} duty_builder;

static void duty_add(duty_builder *d, tc_time start, tc_time end)
{
	if (end <= start)
		return;
	if (d->count && d->iv[d->count - 1].end >= start) {
		d->iv[d->count - 1].end = end;
		return;
	}
	d->iv[d->count++] = (tc_interval){start, end};
}

/*
 * [from, to) under mode: all of it, none of it, or the schedule's intervals
 * there. Segments come in time order: *next is the first schedule interval
 * not yet over, so each actor's intervals are walked once.
 */
static void duty_segment(duty_builder *d, const tc_setup_actor *def, size_t *next,
                         hours_mode mode, tc_time from, tc_time to)
{
	const tc_timeline *tl = &def->duty;
	while (*next < tl->count && tl->iv[*next].end <= from)
		(*next)++;
	if (mode == HOURS_OFF || to <= from)
		return;
	if (mode == HOURS_ALWAYS || def->always_on_duty) {
		duty_add(d, from, to);
		return;
	}
	for (size_t k = *next; k < tl->count && tl->iv[k].start < to; k++)
		duty_add(d, tl->iv[k].start > from ? tl->iv[k].start : from,
		         tl->iv[k].end < to ? tl->iv[k].end : to);
}

/* Each actor's duty as it was: its schedule between its hours changes. */
static int effective_duty(tc_analysis *an)
{
	tc_time end = an->metrics.totals.span_end > an->setup.duration ?
	              an->metrics.totals.span_end : an->setup.duration;
	tc_time from = an->setup.span_start - TC_DAY, to = end + TC_DAY;
	for (size_t i = 0; i < an->setup.actor_count; i++) {
		const tc_setup_actor *def = &an->setup.actors[i];
		const actor_state *st = &an->actors[i];
		/* Each change may split one interval and add one. */
		size_t cap = def->duty.count + 2 * (st->hours_change_count + 1), next = 0;
		duty_builder d = {tc_arena_alloc(&an->text, cap * sizeof *d.iv), 0};
		tc_time *prefix = tc_arena_alloc(&an->text, cap * sizeof *prefix);
		if (!d.iv || !prefix)
			return TC_ENOMEM;
		hours_mode mode = HOURS_SCHEDULE;
		tc_time at = from;
		for (size_t k = 0; k < st->hours_change_count; k++) {
			const struct hours_change *c = &st->hours_changes[k];
			duty_segment(&d, def, &next, mode, at, c->at);
			mode = c->mode;
			at = c->at > at ? c->at : at;
		}
		duty_segment(&d, def, &next, mode, at, to);
		assert(d.count <= cap);
		tc_timeline_wrap(&an->metrics.actors[i].duty, d.iv, prefix, d.count);
	}
	return TC_OK;
}

int tc_analysis_finish(tc_analysis *an, const tc_metrics **out)
{
	if (!an->started || !an->ended)
		return analysis_fail(an, "the log has no run-ended record: the run did not finish");
	if (!an->finished) {
		int rc = metrics_compute(an);
		if (!rc)
			rc = effective_duty(an);
		if (rc)
			return rc;
		an->finished = 1;
	}
	*out = &an->metrics;
	return TC_OK;
}
