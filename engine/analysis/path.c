/*
 * The critical path of an incident: from the awareness that completed the
 * common operational picture (or the latest required awareness, when the
 * picture was never complete) back through each binding parent, the cause
 * that arrived last, to the inject, script or incident start it began with.
 * Every millisecond between the incident's start and that awareness falls
 * in exactly one step and one cause (docs/metrics.md).
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/internal.h"
#include "core/error.h"

typedef struct builder {
	tc_analysis *an;
	tc_path_step *steps;
	size_t count, cap;
	tc_time *charged;          /* per actor */
} builder;

static tc_path_step *add_step(builder *b, tc_step_type type, tc_time start, tc_time end)
{
	if (tc_grow(b->an->a, (void **)&b->steps, &b->cap, b->count + 1, sizeof *b->steps))
		return NULL;
	tc_path_step *st = &b->steps[b->count++];
	*st = (tc_path_step){
		.type = type, .index = TC_NONE, .from = TC_NONE, .to = TC_NONE, .actor = TC_NONE,
		.start = start, .end = end,
	};
	return st;
}

static void charge(builder *b, tc_path_step *st, tc_path_cause cause, int actor, tc_time t)
{
	st->split[cause] += t;
	if (actor != TC_NONE)
		b->charged[actor] += t;
}

static int is_retry_of(const tc_hop *child, const tc_hop *h)
{
	return child && child->attempt > 1 && child->from == h->from &&
	       child->binding.type == TC_CAUSE_MESSAGE && child->binding.id == h->msg;
}

/* The step of message h, which led to something at `end` (child: the
 * message it caused, or NULL for an awareness or a meeting). */
static int message_step(builder *b, const tc_hop *h, const tc_hop *child, tc_time end)
{
	tc_path_step *st = add_step(b, TC_STEP_MESSAGE, h->created, end);
	if (!st)
		return TC_ENOMEM;
	st->id = h->msg;
	st->from = h->from;
	st->to = h->to;
	st->actor = h->to;
	if (is_retry_of(child, h)) {
		/* Sent, unanswered, sent again: the sender's wait for an ack. */
		st->actor = h->from;
		charge(b, st, TC_PATH_RETRY, h->from, end - h->created);
	} else if (h->status == TC_HOP_HANDLED && h->handled <= end) {
		charge(b, st, TC_PATH_HOLD, h->from, h->hold);
		charge(b, st, TC_PATH_CHANNEL, TC_NONE, h->channel_delay);
		charge(b, st, TC_PATH_QUEUE, h->to, h->queue);
		charge(b, st, TC_PATH_OFF_HOURS, h->to, h->off_hours);
		charge(b, st, TC_PATH_HANDLING, h->to, h->handling);
		charge(b, st, TC_PATH_REACTION, h->to, end - h->handled);
	} else {
		/* A cause not handled before its effect (a script reacting to a
		 * delivery): the whole span is the reaction of its receiver. */
		charge(b, st, TC_PATH_REACTION, h->to, end - h->created);
	}
	return TC_OK;
}

/* Walk back from (cause, end); returns the time the chain began in *root. */
static int walk(builder *b, tc_cause cause, tc_time end, tc_time *root, const tc_hop *child)
{
	tc_analysis *an = b->an;
	/* Binding parents always lie earlier, so this ends; the bound guards
	 * against a log edited into a loop. */
	size_t limit = an->metrics.hop_count + an->meeting_count + 2;
	for (size_t n = 0; n < limit; n++) {
		tc_path_step *st;
		switch (cause.type) {
		case TC_CAUSE_MESSAGE: {
			const tc_hop *h = &an->hops[cause.id - 1];
			int rc = message_step(b, h, child, end);
			if (rc)
				return rc;
			child = h;
			cause = h->binding;
			end = h->created;
			break;
		}
		case TC_CAUSE_MEETING: {
			const meeting_state *ms = &an->meetings[cause.id - 1];
			tc_time start = ms->started != TC_TIME_NEVER ? ms->started : ms->convened;
			if (start > end)
				start = end;
			if (!(st = add_step(b, TC_STEP_MEETING, start, end)))
				return TC_ENOMEM;
			st->id = cause.id;
			st->index = ms->def;
			charge(b, st, TC_PATH_MEETING, TC_NONE, end - start);
			child = NULL;
			cause = ms->binding;
			end = start;
			break;
		}
		case TC_CAUSE_INJECT: {
			tc_time fired = child ? an->extra[child->msg - 1].cause_at : TC_TIME_NEVER;
			if (fired == TC_TIME_NEVER || fired > end)
				fired = end;
			if (!(st = add_step(b, TC_STEP_INJECT, fired, end)))
				return TC_ENOMEM;
			st->index = (int)cause.id;
			charge(b, st, TC_PATH_REACTION, TC_NONE, end - fired);
			*root = fired;
			return TC_OK;
		}
		case TC_CAUSE_SCRIPT:
			if (!(st = add_step(b, TC_STEP_SCRIPT, end, end)))
				return TC_ENOMEM;
			st->id = cause.id;
			*root = end;
			return TC_OK;
		case TC_CAUSE_NONE:
			*root = end;
			return TC_OK;
		}
	}
	return analysis_fail(an, "the causes of the critical path form a loop");
}

static int compare_charge(const void *pa, const void *pb)
{
	const tc_path_actor *a = pa, *b = pb;
	if (a->time != b->time)
		return a->time > b->time ? -1 : 1;
	return (a->actor > b->actor) - (a->actor < b->actor);
}

static int summarise(builder *b, tc_critical_path *p)
{
	size_t n = b->an->setup.actor_count, with_time = 0;
	for (size_t a = 0; a < n; a++)
		with_time += b->charged[a] > 0;
	if (with_time) {
		p->by_actor = tc_malloc(b->an->a, with_time * sizeof *p->by_actor);
		if (!p->by_actor)
			return TC_ENOMEM;
	}
	for (size_t a = 0; a < n; a++)
		if (b->charged[a] > 0)
			p->by_actor[p->by_actor_count++] = (tc_path_actor){(int)a, b->charged[a]};
	if (p->by_actor_count > 1) /* qsort's array may not be NULL, even when empty */
		qsort(p->by_actor, p->by_actor_count, sizeof *p->by_actor, compare_charge);
	p->bottleneck = p->by_actor_count ? p->by_actor[0].actor : TC_NONE;
	for (size_t i = 0; i < p->step_count; i++)
		for (int c = 0; c < TC_PATH_CAUSE_COUNT; c++)
			p->by_cause[c] += p->steps[i].split[c];
	return TC_OK;
}

/* The required actor whose awareness came last (the first such in the
 * incident's list on a tie); TC_NONE when none is aware. */
static int last_required(const tc_analysis *an, int inc, int *complete)
{
	const tc_setup_incident *in = &an->setup.incidents[inc];
	const tc_awareness *aw = &an->awareness[(size_t)inc * an->setup.actor_count];
	int target = TC_NONE;
	*complete = in->required_count > 0;
	for (size_t k = 0; k < in->required_count; k++) {
		uint32_t a = in->required[k];
		if (aw[a].at == TC_TIME_NEVER)
			*complete = 0;
		else if (target == TC_NONE || aw[a].at > aw[target].at)
			target = (int)a;
	}
	return target;
}

static void reverse_steps(tc_path_step *s, size_t n)
{
	for (size_t i = 0; i < n / 2; i++) {
		tc_path_step t = s[i];
		s[i] = s[n - 1 - i];
		s[n - 1 - i] = t;
	}
}

/* The chain ending at `end` with `cause` (or with message `sent` leaving
 * its sender at `end`), from the incident's start. */
static int build(tc_analysis *an, const path_end *e, tc_critical_path *p)
{
	builder b = {.an = an};
	b.charged = tc_calloc(an->a, an->setup.actor_count, sizeof *b.charged);
	if (!b.charged)
		return TC_ENOMEM;
	tc_time root = e->end;
	int rc = TC_OK;
	tc_cause cause = e->cause;
	tc_time end = e->end;
	if (e->sent) {
		/* The message that fulfilled an objective counts until it left. */
		const tc_hop *h = e->sent;
		tc_path_step *st = add_step(&b, TC_STEP_MESSAGE, h->created, end);
		if (!st) {
			rc = TC_ENOMEM;
		} else {
			st->id = h->msg;
			st->from = st->actor = h->from;
			st->to = h->to;
			charge(&b, st, TC_PATH_HOLD, h->from, end - h->created);
			cause = h->binding;
			end = h->created;
		}
	}
	if (!rc)
		rc = walk(&b, cause, end, &root, e->sent);
	tc_time start = an->setup.incidents[e->incident].start;
	if (!rc && start < root) {
		tc_path_step *st = add_step(&b, TC_STEP_INCIDENT, start, root);
		if (!st)
			rc = TC_ENOMEM;
		else
			charge(&b, st, TC_PATH_DETECTION, TC_NONE, root - start);
	}
	if (!rc) {
		reverse_steps(b.steps, b.count);
		p->target_actor = e->target;
		p->complete = e->complete;
		p->start = start < root ? start : root;
		p->end = e->end;
		/* An exact copy, so that release knows its size. */
		if (b.count && !(p->steps = tc_malloc(an->a, b.count * sizeof *p->steps)))
			rc = TC_ENOMEM;
		else if (b.count)
			memcpy(p->steps, b.steps, b.count * sizeof *p->steps);
		p->step_count = p->steps ? b.count : 0;
	}
	if (!rc)
		rc = summarise(&b, p);
	tc_free(an->a, b.steps, b.cap * sizeof *b.steps);
	tc_free(an->a, b.charged, an->setup.actor_count * sizeof *b.charged);
	return rc;
}

void path_clear(tc_critical_path *p)
{
	*p = (tc_critical_path){.target_actor = TC_NONE, .bottleneck = TC_NONE};
	p->start = p->end = TC_TIME_NEVER;
}

int path_compute(tc_analysis *an, int inc, tc_critical_path *p)
{
	path_clear(p);
	int complete;
	int target = last_required(an, inc, &complete);
	if (target == TC_NONE)
		return TC_OK;
	const tc_awareness *aw = &an->awareness[(size_t)inc * an->setup.actor_count + target];
	path_end e = {.incident = inc, .target = target, .complete = complete,
	              .cause = aw->cause, .end = aw->at};
	return build(an, &e, p);
}

int path_to(tc_analysis *an, const path_end *e, tc_critical_path *p)
{
	path_clear(p);
	return build(an, e, p);
}

void path_release(tc_alloc *a, tc_critical_path *p)
{
	tc_free(a, p->steps, p->step_count * sizeof *p->steps);
	tc_free(a, p->by_actor, p->by_actor_count * sizeof *p->by_actor);
	p->steps = NULL;
	p->by_actor = NULL;
}

const char *tc_step_type_name(tc_step_type type)
{
	switch (type) {
	case TC_STEP_INCIDENT: return "incident";
	case TC_STEP_INJECT: return "inject";
	case TC_STEP_SCRIPT: return "script";
	case TC_STEP_MESSAGE: return "message";
	case TC_STEP_MEETING: return "meeting";
	}
	return "?";
}

const char *tc_path_cause_name(tc_path_cause cause)
{
	static const char *const names[TC_PATH_CAUSE_COUNT] = {
		"detection", "hold", "channel", "queue", "off_hours", "handling", "meeting", "retry",
		"reaction",
	};
	return (unsigned)cause < TC_PATH_CAUSE_COUNT ? names[cause] : "?";
}
