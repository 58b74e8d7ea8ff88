/*
 * Message slots: a pool recycled through a free list, so a long run does not
 * allocate per message once the pool has grown. Message ids are never reused.
 */
#include <assert.h>
#include <string.h>

#include "core/error.h"
#include "sim/internal.h"

/* One more page of slots, threaded onto the free list lowest first. */
static int add_page(tc_run *run)
{
	if (run->page_count >= (NO_SLOT >> MESSAGE_PAGE_BITS) ||
	    tc_grow(run->alloc, (void **)&run->pages, &run->page_cap, run->page_count + 1,
	            sizeof *run->pages))
		return TC_ENOMEM;
	message *page = tc_malloc(run->alloc, MESSAGE_PAGE * sizeof *page);
	if (!page)
		return TC_ENOMEM;
	run->pages[run->page_count] = page;
	uint32_t base = (uint32_t)(run->page_count++ << MESSAGE_PAGE_BITS);
	for (uint32_t i = MESSAGE_PAGE; i-- > 0;) {
		page[i].id = 0;
		page[i].next = run->free_message;
		run->free_message = base + i;
	}
	return TC_OK;
}

void messages_release(tc_run *run)
{
	for (size_t i = 0; i < run->page_count; i++)
		tc_free(run->alloc, run->pages[i], MESSAGE_PAGE * sizeof(message));
	tc_free(run->alloc, run->pages, run->page_cap * sizeof *run->pages);
}

uint32_t message_new(tc_run *run, tc_kind_id kind, int incident, int from, int to, tc_cause cause)
{
	uint32_t slot = run->free_message;
	if (slot == NO_SLOT) {
		if (add_page(run)) {
			run_fail(run, TC_ENOMEM);
			return NO_SLOT;
		}
		slot = run->free_message;
	}
	message *m = message_at(run, slot);
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
	message *m = message_at(run, slot);
	assert(m->id != 0);
	m->id = 0;
	m->next = run->free_message;
	run->free_message = slot;
}

/* Free the slot once nothing refers to it any more: handled or lost, and no
 * retry still waiting for its acknowledgement. */
void message_maybe_release(tc_run *run, uint32_t slot)
{
	message *m = message_at(run, slot);
	if (!m->in_flight && !m->retry_pending)
		message_release(run, slot);
}

void fifo_push(tc_run *run, fifo *f, uint32_t slot)
{
	message_at(run, slot)->next = NO_SLOT;
	if (f->tail == NO_SLOT)
		f->head = slot;
	else
		message_at(run, f->tail)->next = slot;
	f->tail = slot;
	f->length++;
}

uint32_t fifo_pop(tc_run *run, fifo *f)
{
	uint32_t slot = f->head;
	if (slot == NO_SLOT)
		return NO_SLOT;
	f->head = message_at(run, slot)->next;
	if (f->head == NO_SLOT)
		f->tail = NO_SLOT;
	f->length--;
	message_at(run, slot)->next = NO_SLOT;
	return slot;
}

void message_fill_record(tc_record *rec, const message *m)
{
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
