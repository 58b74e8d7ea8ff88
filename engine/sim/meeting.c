/*
 * Meetings at run time. A convened meeting sends a convocation to each
 * participant; handling it (within duty hours, FIFO with other work) sends
 * the handler to the meeting, where it holds one seat of its staff until the
 * meeting ends. The meeting starts when the quorum is present, fails if the
 * quorum is not reached by its timeout, and at its end the chair sends the
 * outcome messages. Standing meetings remind their participants at each
 * occurrence instead of convening them through the channels.
 */
#include <assert.h>
#include <string.h>

#include "core/error.h"
#include "sim/internal.h"

static meeting_run *find(tc_run *run, uint32_t slot, uint64_t id)
{
	if (slot >= run->meeting_used)
		return NULL;
	meeting_run *mr = &run->meetings[slot];
	return mr->id == id && id != 0 ? mr : NULL;
}

static uint32_t new_slot(tc_run *run)
{
	for (size_t i = 0; i < run->meeting_used; i++)
		if (run->meetings[i].id == 0)
			return (uint32_t)i;
	if (tc_grow(run->alloc, (void **)&run->meetings, &run->meeting_cap, run->meeting_used + 1,
	            sizeof *run->meetings)) {
		run_fail(run, TC_ENOMEM);
		return NO_SLOT;
	}
	memset(&run->meetings[run->meeting_used], 0, sizeof *run->meetings);
	return (uint32_t)run->meeting_used++;
}

static tc_record *meeting_record(tc_run *run, tc_record_type type, const meeting_run *mr)
{
	tc_record *r = run_record(run, type);
	r->meeting = mr->def;
	r->meeting_id = mr->id;
	r->incident = mr->incident;
	r->count = (int64_t)mr->attendee_count;
	return r;
}

/* What attending teaches: the meeting's incident, or for a meeting about no
 * incident in particular, every incident some attendee knows of. */
static void share_awareness(tc_run *run, meeting_run *mr)
{
	tc_cause cause = {TC_CAUSE_MEETING, mr->id};
	for (size_t i = 0; i < run->incident_count; i++) {
		if (mr->incident >= 0 && (size_t)mr->incident != i)
			continue;
		int known = mr->incident >= 0;
		for (size_t k = 0; k < mr->attendee_count && !known; k++)
			known = tc_run_aware_at(run, mr->attendees[k].actor, (int)i) <= run->now;
		if (!known)
			continue;
		for (size_t k = 0; k < mr->attendee_count; k++)
			actor_make_aware(run, mr->attendees[k].actor, (int)i, cause);
	}
}

static void start(tc_run *run, uint32_t slot)
{
	meeting_run *mr = &run->meetings[slot];
	const tc_meeting_def *def = &run->s->meetings[mr->def];
	assert(mr->state == MEETING_PENDING);
	mr->state = MEETING_RUNNING;
	tc_queue_cancel(&run->queue, mr->timeout);
	run->stats.meetings_held++;
	tc_record *r = meeting_record(run, TC_REC_MEETING_STARTED, mr);
	r->cause.type = TC_CAUSE_MESSAGE;
	r->cause.id = mr->binding_message;
	run_emit(run);
	share_awareness(run, mr);
	run_schedule(run, run->now + def->duration, EV_MEETING_END, slot, mr->id, NULL);
}

/* Everyone leaves: seats go back to their actors. */
static void close_meeting(tc_run *run, uint32_t slot)
{
	meeting_run *mr = &run->meetings[slot];
	mr->state = MEETING_DONE;
	mr->id = 0;
	size_t n = mr->attendee_count;
	mr->attendee_count = 0;
	for (size_t k = 0; k < n; k++)
		actor_release_seat(run, mr->attendees[k].actor, (pool_type)mr->attendees[k].pool);
}

void meeting_convene(tc_run *run, int def_index, int convener, int incident, int severity,
                     tc_cause cause, int reminder)
{
	const tc_meeting_def *def = &run->s->meetings[def_index];
	uint32_t slot = new_slot(run);
	if (slot == NO_SLOT)
		return;
	meeting_run *mr = &run->meetings[slot];
	mr->id = run->next_meeting_id++;
	mr->def = def_index;
	mr->state = MEETING_PENDING;
	mr->incident = incident >= 0 ? incident : def->incident;
	mr->severity = severity;
	mr->binding_message = 0;
	mr->attendee_count = 0;
	tc_record *r = meeting_record(run, TC_REC_MEETING_CONVENED, mr);
	r->actor = convener;
	r->cause = cause;
	r->count = (int64_t)def->participant_count;
	run_emit(run);
	uint64_t id = mr->id;
	if (run_schedule(run, run->now + def->quorum_timeout, EV_MEETING_TIMEOUT, slot, id,
	                 &mr->timeout))
		return;

	for (size_t i = 0; i < def->participant_count && !run->stop; i++) {
		int p = (int)def->participants[i];
		uint32_t ms = message_new(run, TC_KIND_CONVENE, run->meetings[slot].incident,
		                          convener, p, cause);
		if (ms == NO_SLOT)
			return;
		message *m = message_at(run, ms);
		m->meeting_slot = (int32_t)slot;
		m->meeting_id = id;
		m->severity = (int8_t)severity;
		m->instant = (uint8_t)reminder;
		m->body = def->name;
		r = run_record(run, TC_REC_MESSAGE_CREATED);
		message_fill_record(r, m);
		r->meeting = def_index;
		r->meeting_id = id;
		run_emit(run);
		if (reminder || p == convener)
			deliver_direct(run, ms);
		else
			channel_send(run, ms);
	}
}

int meeting_attend(tc_run *run, uint32_t message_slot)
{
	const message *m = message_at(run, message_slot);
	uint32_t slot = (uint32_t)m->meeting_slot;
	meeting_run *mr = find(run, slot, m->meeting_id);
	if (!mr || mr->state == MEETING_DONE)
		return 0;
	if (tc_grow(run->alloc, (void **)&mr->attendees, &mr->attendee_cap, mr->attendee_count + 1,
	            sizeof *mr->attendees)) {
		run_fail(run, TC_ENOMEM);
		return 0;
	}
	mr->attendees[mr->attendee_count].actor = m->to;
	mr->attendees[mr->attendee_count].pool = m->pool;
	mr->attendee_count++;
	tc_record *r = meeting_record(run, TC_REC_MEETING_JOINED, mr);
	r->actor = m->to;
	r->message = m->id;
	run_emit(run);
	const tc_meeting_def *def = &run->s->meetings[mr->def];
	if (mr->state == MEETING_RUNNING)
		share_awareness(run, mr);
	else if ((int)mr->attendee_count == def->quorum) {
		mr->binding_message = m->id;
		start(run, slot);
	}
	return 1;
}

void meeting_end(tc_run *run, uint32_t slot, uint64_t id)
{
	meeting_run *mr = find(run, slot, id);
	if (!mr)
		return;
	const tc_meeting_def *def = &run->s->meetings[mr->def];
	meeting_record(run, TC_REC_MEETING_ENDED, mr);
	run_emit(run);
	int incident = mr->incident, severity = mr->severity;
	tc_cause cause = {TC_CAUSE_MEETING, id};
	close_meeting(run, slot);
	for (size_t i = 0; i < def->outcome_count && !run->stop; i++)
		doctrine_send(run, &def->outcome[i], (int)def->chair, incident, severity, TC_TLP_AMBER,
		              -1, cause, NO_SLOT);
}

void meeting_timeout(tc_run *run, uint32_t slot, uint64_t id)
{
	meeting_run *mr = find(run, slot, id);
	if (!mr || mr->state != MEETING_PENDING)
		return;
	run->stats.meetings_failed++;
	tc_record *r = meeting_record(run, TC_REC_MEETING_FAILED, mr);
	r->text = "no quorum by the timeout";
	run_emit(run);
	close_meeting(run, slot);
}

void meeting_standing(tc_run *run, int def_index, uint64_t occurrence)
{
	const tc_meeting_def *def = &run->s->meetings[def_index];
	tc_cause cause = {TC_CAUSE_NONE, 0};
	int severity = def->incident >= 0 ? run->incidents[def->incident].severity : 0;
	meeting_convene(run, def_index, (int)def->chair, def->incident, severity, cause, 1);
	if (def->every > 0 && !run->stop)
		run_schedule(run, run->now + def->every, EV_STANDING, (uint32_t)def_index,
		             occurrence + 1, NULL);
}

void meetings_release(tc_run *run)
{
	for (size_t i = 0; i < run->meeting_used; i++)
		tc_free(run->alloc, run->meetings[i].attendees,
		        run->meetings[i].attendee_cap * sizeof(attendee));
	tc_free(run->alloc, run->meetings, run->meeting_cap * sizeof *run->meetings);
}
