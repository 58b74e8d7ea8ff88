/*
 * Objectives: for each, when its anchor happened, its deadline, when its
 * event happened for every subject, and the verdict (docs/metrics.md).
 */
#include <assert.h>

#include "analysis/internal.h"
#include "core/error.h"

const char *tc_verdict_name(tc_verdict verdict)
{
	switch (verdict) {
	case TC_VERDICT_MET: return "met";
	case TC_VERDICT_MISSED: return "missed";
	case TC_VERDICT_OPEN: return "open";
	}
	return "?";
}

const char *tc_objective_reason_name(tc_objective_reason reason)
{
	switch (reason) {
	case TC_REASON_IN_TIME: return "in-time";
	case TC_REASON_LATE: return "late";
	case TC_REASON_NEVER: return "never";
	case TC_REASON_NO_ANCHOR: return "no-anchor";
	case TC_REASON_RUN_ENDED: return "run-ended";
	}
	return "?";
}

static int is_subject(const tc_analysis *an, const tc_objective_def *o, size_t actor)
{
	const tc_setup_incident *in = &an->setup.incidents[o->incident];
	switch (o->subject) {
	case TC_SUBJECT_ACTOR:
		return (size_t)o->subject_actor == actor;
	case TC_SUBJECT_LEVEL:
		return analysis_level_member(an, o->incident, o->subject_level, actor);
	case TC_SUBJECT_ALL_REQUIRED:
		for (size_t k = 0; k < in->required_count; k++)
			if (in->required[k] == actor)
				return 1;
		return 0;
	}
	return 0;
}

/* For every actor, the first message of the objective's kind (and
 * receiver) about its incident that it sent at or after `after`, timed when
 * it left over a channel (held messages have not been sent): one pass over
 * the messages for all the subjects. */
static void first_sent(const tc_analysis *an, const tc_objective_def *o, tc_time after,
                       const tc_hop **first)
{
	const tc_metrics *m = &an->metrics;
	for (size_t a = 0; a < an->setup.actor_count; a++)
		first[a] = NULL;
	for (size_t i = 0; i < m->hop_count; i++) {
		const tc_hop *h = &m->hops[i];
		if (h->from == TC_NONE || h->kind != o->kind || h->incident != o->incident ||
		    (o->to_actor != TC_NONE && h->to != o->to_actor) || h->sent == TC_TIME_NEVER ||
		    h->sent < after)
			continue;
		if (!first[h->from] || h->sent < first[h->from]->sent)
			first[h->from] = h;
	}
}

/* The first instance of the meeting (for this incident, or for none) that
 * started at or after `after`; 0 when none. */
static uint64_t first_meeting(const tc_analysis *an, const tc_objective_def *o, tc_time after)
{
	for (size_t i = 0; i < an->meeting_count; i++) {
		const meeting_state *ms = &an->meetings[i];
		if (ms->def == o->meeting && ms->started != TC_TIME_NEVER && ms->started >= after &&
		    (ms->incident == TC_NONE || ms->incident == o->incident))
			return i + 1;  /* instances are in order of their convening */
	}
	return 0;
}

/* When the event happened for every subject (the last of them); counts the
 * subjects and those for whom it happened. *e says where the chain to it
 * ends. */
static tc_time event_time(const tc_analysis *an, const tc_objective_def *o, tc_time anchor,
                          tc_objective_result *res, path_end *e, const tc_hop **first)
{
	*e = (path_end){.incident = o->incident, .target = TC_NONE, .complete = 1};
	if (o->event == TC_EVENT_MEETING_HELD) {
		res->subjects = 1;
		uint64_t k = first_meeting(an, o, anchor);
		res->subjects_done = k != 0;
		if (!k)
			return TC_TIME_NEVER;
		e->cause = (tc_cause){TC_CAUSE_MEETING, k};
		e->end = an->meetings[k - 1].started;
		return e->end;
	}
	const tc_awareness *aw = &an->awareness[(size_t)o->incident * an->setup.actor_count];
	int sends = o->event == TC_EVENT_SENDS;
	if (sends)
		first_sent(an, o, anchor, first);
	tc_time last = TC_TIME_ALWAYS_START;
	for (size_t a = 0; a < an->setup.actor_count; a++) {
		if (!is_subject(an, o, a))
			continue;
		res->subjects++;
		const tc_hop *h = sends ? first[a] : NULL;
		tc_time t = !sends ? aw[a].at : h ? h->sent : TC_TIME_NEVER;
		if (t == TC_TIME_NEVER)
			continue;
		res->subjects_done++;
		if (t > last) {
			last = t;
			e->target = (int)a;
			e->end = t;
			e->sent = h;
			e->cause = h ? (tc_cause){TC_CAUSE_NONE, 0} : aw[a].cause;
		}
	}
	return res->subjects && res->subjects_done == res->subjects ? last : TC_TIME_NEVER;
}

typedef struct evaluation {
	tc_analysis *an;
	uint8_t *state;            /* per objective: 0 to do, 1 under way, 2 done */
	const tc_hop **first;      /* scratch, per actor: its first matching message */
} evaluation;

static int anchor_time(evaluation *ev, const tc_objective_def *o, tc_time *at);

static int evaluate(evaluation *ev, size_t i)
{
	tc_analysis *an = ev->an;
	tc_objective_result *res = &an->metrics.objectives[i];
	if (ev->state[i])
		return TC_OK;      /* done, or a cycle the loader would have refused */
	ev->state[i] = 1;
	const tc_objective_def *o = &an->setup.objectives[i].def;
	*res = (tc_objective_result){0};
	path_clear(&res->path);
	tc_time anchor;
	int rc = anchor_time(ev, o, &anchor);
	if (rc)
		return rc;
	res->anchor_at = anchor;
	res->deadline = res->event_at = res->margin = TC_TIME_NEVER;
	if (res->anchor_at == TC_TIME_NEVER) {
		res->verdict = TC_VERDICT_MISSED;
		res->reason = TC_REASON_NO_ANCHOR;
		ev->state[i] = 2;
		return TC_OK;
	}
	res->deadline = tc_time_add(res->anchor_at, o->within, an->setup.start_utc_ms,
	                            &an->setup.tz);
	path_end e;
	res->event_at = event_time(an, o, res->anchor_at, res, &e, ev->first);
	if (res->event_at != TC_TIME_NEVER && (rc = path_to(an, &e, &res->path)))
		return rc;
	if (res->event_at != TC_TIME_NEVER) {
		res->margin = res->deadline - res->event_at;
		res->verdict = res->margin >= 0 ? TC_VERDICT_MET : TC_VERDICT_MISSED;
		res->reason = res->margin >= 0 ? TC_REASON_IN_TIME : TC_REASON_LATE;
	} else if (res->deadline <= analysis_end(an)) {
		res->verdict = TC_VERDICT_MISSED;
		res->reason = TC_REASON_NEVER;
	} else {
		res->verdict = TC_VERDICT_OPEN;
		res->reason = TC_REASON_RUN_ENDED;
	}
	ev->state[i] = 2;
	return TC_OK;
}

static int anchor_time(evaluation *ev, const tc_objective_def *o, tc_time *at)
{
	tc_analysis *an = ev->an;
	*at = TC_TIME_NEVER;
	switch (o->anchor) {
	case TC_ANCHOR_T0:
		*at = 0;
		break;
	case TC_ANCHOR_INCIDENT_START:
		*at = an->setup.incidents[o->incident].start;
		break;
	case TC_ANCHOR_AWARE:
		*at = an->awareness[(size_t)o->incident * an->setup.actor_count +
		                    (size_t)o->anchor_actor].at;
		break;
	case TC_ANCHOR_OBJECTIVE: {
		/* The loader refuses cycles; in a hand-made log one reads as an
		 * anchor that never happened. */
		if (ev->state[o->anchor_objective] == 1)
			break;
		int rc = evaluate(ev, (size_t)o->anchor_objective);
		if (rc)
			return rc;
		*at = an->metrics.objectives[o->anchor_objective].event_at;
		break;
	}
	}
	return TC_OK;
}

int objectives_evaluate(tc_analysis *an)
{
	size_t n = an->setup.objective_count, na = one_or(an->setup.actor_count);
	evaluation ev = {an, tc_calloc(an->a, one_or(n), 1),
	                 tc_calloc(an->a, na, sizeof *ev.first)};
	int rc = ev.state && ev.first ? TC_OK : TC_ENOMEM;
	for (size_t i = 0; i < n && !rc; i++)
		rc = evaluate(&ev, i);
	tc_free(an->a, ev.state, one_or(n));
	tc_free(an->a, (void *)ev.first, na * sizeof *ev.first);
	return rc;
}
