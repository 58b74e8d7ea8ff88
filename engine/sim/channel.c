/*
 * Channels at run time: route a message over the preferred channel that is
 * up, draw its latency and whether it is lost, hold it while every channel
 * between the two actors is down.
 */
#include <assert.h>

#include "core/error.h"
#include "sim/internal.h"

/* The channel to use from a to b: the forced one, else the up channel of
 * lowest priority (then declaration order). Returns -1 when none is up;
 * *connected tells whether any channel links them at all. */
static int route(const tc_run *run, const message *m, int *connected)
{
	const tc_scenario *s = run->s;
	*connected = 0;
	if (m->channel >= 0) {
		*connected = 1;
		return run->channel_up[m->channel] ? m->channel : -1;
	}
	int best = -1;
	for (size_t i = 0; i < s->channel_count; i++) {
		const tc_channel_def *c = &s->channels[i];
		if (!tc_channel_connects(c, (uint32_t)m->from, (uint32_t)m->to))
			continue;
		*connected = 1;
		if (run->channel_up[i] && (best < 0 || c->priority < s->channels[best].priority))
			best = (int)i;
	}
	return best;
}

void channel_send(tc_run *run, uint32_t slot)
{
	message *m = message_at(run, slot);
	assert(m->from >= 0 && m->to >= 0);
	int connected;
	int c = route(run, m, &connected);
	if (c < 0) {
		tc_record *r = run_record(run, connected ? TC_REC_MESSAGE_HELD : TC_REC_MESSAGE_LOST);
		message_fill_record(r, m);
		if (connected) {
			r->text = "every channel between sender and receiver is down";
			run_emit(run);
			m->hold = run->now; /* start of the hold; made a duration when sent */
			fifo_push(run, &run->held, slot);
			return;
		}
		r->text = "no channel connects sender and receiver";
		run_emit(run);
		run->stats.lost++;
		m->in_flight = 0;
		message_maybe_release(run, slot);
		return;
	}
	const tc_channel_def *ch = &run->s->channels[c];
	uint64_t ordinal = run->channel_draws[c]++;
	tc_time latency = run_draw(run, &ch->latency, ch->entity, PURPOSE_LATENCY, ordinal);
	int lost = ch->loss > 0 && run_uniform(run, ch->entity, PURPOSE_LOSS, ordinal) < ch->loss;
	m->channel = c;
	m->sent = run->now;
	tc_record *r = run_record(run, TC_REC_MESSAGE_SENT);
	message_fill_record(r, m);
	run_emit(run);
	m->lost = (uint8_t)lost;
	run_schedule(run, run->now + latency, EV_DELIVER, 0, slot, NULL);
}

void deliver_direct(tc_run *run, uint32_t slot)
{
	message *m = message_at(run, slot);
	m->sent = run->now;
	actor_receive(run, slot);
}

void channel_deliver(tc_run *run, uint32_t slot)
{
	message *m = message_at(run, slot);
	if (m->lost) {
		tc_record *r = run_record(run, TC_REC_MESSAGE_LOST);
		message_fill_record(r, m);
		r->text = "lost in transit";
		run_emit(run);
		run->stats.lost++;
		m->in_flight = 0;
		message_maybe_release(run, slot);
		return;
	}
	actor_receive(run, slot);
}

/* Send again the held messages that now have a channel, in hold order. */
static void release_held(tc_run *run)
{
	fifo still = {NO_SLOT, NO_SLOT, 0};
	uint32_t slot;
	while ((slot = fifo_pop(run, &run->held)) != NO_SLOT) {
		message *m = message_at(run, slot);
		int connected;
		if (route(run, m, &connected) < 0) {
			fifo_push(run, &still, slot);
			continue;
		}
		m->hold = run->now - m->hold;
		channel_send(run, slot);
	}
	run->held = still;
}

void channel_set_state(tc_run *run, int channel, int up, int inject, tc_cause cause)
{
	if (run->channel_up[channel] == up)
		return;
	run->channel_up[channel] = (uint8_t)up;
	tc_record *r = run_record(run, up ? TC_REC_CHANNEL_UP : TC_REC_CHANNEL_DOWN);
	r->channel = channel;
	r->inject = inject;
	r->cause = cause;
	run_emit(run);
	if (up)
		release_held(run);
}
