/*
 * Message slots: a pool recycled through a free list, so a long run does not
 * allocate per message once the pool has grown. Message ids are never reused.
 */
#include <assert.h>
#include <string.h>

#include "core/error.h"
#include "sim/internal.h"

uint32_t message_new(tc_run *run, tc_kind_id kind, int incident, int from, int to, tc_cause cause)
{
	uint32_t slot = run->free_message;
	if (slot == NO_SLOT) {
		size_t used = run->message_cap;
		if (used >= NO_SLOT - 1 ||
		    tc_grow(run->alloc, (void **)&run->messages, &run->message_cap, used + 1,
		            sizeof *run->messages)) {
			run_fail(run, TC_ENOMEM);
			return NO_SLOT;
		}
		/* Thread the new slots onto the free list, lowest first. */
		for (size_t i = run->message_cap; i-- > used;) {
			run->messages[i].id = 0;
			run->messages[i].next = run->free_message;
			run->free_message = (uint32_t)i;
		}
		slot = run->free_message;
	}
	message *m = &run->messages[slot];
	run->free_message = m->next;
	memset(m, 0, sizeof *m);
	m->id = run->next_message_id++;
	m->kind = kind;
	m->incident = incident;
	m->from = from;
	m->to = to;
	m->channel = -1;
	m->meeting_slot = -1;
	m->severity = 0;
	m->tlp = TC_TLP_AMBER;
	m->cause = cause;
	m->parent_slot = NO_SLOT;
	m->attempt = 1;
	m->created = m->sent = m->delivered = m->started = run->now;
	m->next = NO_SLOT;
	m->in_flight = 1;
	run->stats.messages++;
	return slot;
}

void message_release(tc_run *run, uint32_t slot)
{
	message *m = &run->messages[slot];
	assert(m->id != 0);
	m->id = 0;
	m->next = run->free_message;
	run->free_message = slot;
}

/* Free the slot once nothing refers to it any more: handled or lost, and no
 * retry still waiting for its acknowledgement. */
void message_maybe_release(tc_run *run, uint32_t slot)
{
	message *m = &run->messages[slot];
	if (!m->in_flight && !m->retry_pending)
		message_release(run, slot);
}

void fifo_push(tc_run *run, fifo *f, uint32_t slot)
{
	run->messages[slot].next = NO_SLOT;
	if (f->tail == NO_SLOT)
		f->head = slot;
	else
		run->messages[f->tail].next = slot;
	f->tail = slot;
	f->length++;
}

uint32_t fifo_pop(tc_run *run, fifo *f)
{
	uint32_t slot = f->head;
	if (slot == NO_SLOT)
		return NO_SLOT;
	f->head = run->messages[slot].next;
	if (f->head == NO_SLOT)
		f->tail = NO_SLOT;
	f->length--;
	run->messages[slot].next = NO_SLOT;
	return slot;
}

void message_fill_record(const tc_run *run, tc_record *rec, const message *m)
{
	(void)run;
	rec->message = m->id;
	rec->kind = m->kind;
	rec->severity = m->severity;
	rec->tlp = m->tlp;
	rec->incident = m->incident;
	rec->actor = m->from;
	rec->peer = m->to;
	rec->channel = m->channel;
	rec->attempt = m->attempt;
	rec->cause = m->cause;
}
