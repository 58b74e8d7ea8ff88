/*
 * Doctrine at run time: when an actor finishes handling a message, each of
 * its rules whose filter matches fires in file order.
 */
#include <assert.h>

#include "core/error.h"
#include "sim/internal.h"

static int rule_matches(const tc_run *run, size_t index, const tc_rule_def *rule, const message *m)
{
	const tc_scenario *s = run->s;
	if (rule->on_kinds && !rule->on_kinds[m->kind])
		return 0;
	if (m->severity < rule->min_severity)
		return 0;
	if (rule->incident >= 0 && rule->incident != m->incident)
		return 0;
	if (rule->from && (m->from < 0 || !rule->from[m->from]))
		return 0;
	if (rule->from_levels &&
	    (m->from < 0 || !(rule->from_levels & (1u << s->actors[m->from].level))))
		return 0;
	if (rule->once && *rule_fired_slot(run, index, m->incident))
		return 0;
	return 1;
}

/* An outbox collects what rules propose while a Lua handler is pending. */
uint32_t outgoing_send(tc_run *run, const outgoing *o, int attempt)
{
	if (run->outbox && attempt == 1)
		return outbox_add(run, o);
	uint32_t slot = message_new(run, o->kind, o->incident, o->from, o->to, o->cause);
	if (slot == NO_SLOT)
		return NO_SLOT;
	message *m = message_at(run, slot);
	m->severity = (int8_t)o->severity;
	m->tlp = (int8_t)o->tlp;
	m->channel = m->forced_channel = o->channel;
	m->parent_slot = o->cause_slot;
	m->attempt = attempt;
	m->retry_after = o->retry_after;
	m->retry_max = o->retry_max;
	m->body = o->body;
	if (attempt > 1)
		run->stats.retries++;
	tc_record *r = run_record(run, attempt > 1 ? TC_REC_RETRY : TC_REC_MESSAGE_CREATED);
	message_fill_record(r, m);
	r->text = o->body;
	run_emit(run);
	if (o->retry_after > 0 && attempt <= o->retry_max && o->from >= 0) {
		m->retry_pending = 1;
		run_schedule(run, run->now + o->retry_after, EV_RETRY, 0, slot, NULL);
	}
	if (o->from < 0)
		deliver_direct(run, slot);
	else
		channel_send(run, slot);
	return slot;
}

/* One message of a rule's send from `from` to `to`. */
static void send_one(tc_run *run, const tc_send_def *send, int from, int to, int incident,
                     int severity, int tlp, tc_cause cause, uint32_t cause_slot)
{
	outgoing o = {
		.kind = send->kind, .from = from, .to = to, .incident = incident,
		.severity = send->severity >= 0 ? send->severity : severity,
		.tlp = send->tlp >= 0 ? send->tlp : tlp,
		.channel = send->channel, .retry_after = send->retry_after,
		.retry_max = send->retry_max, .cause = cause, .cause_slot = cause_slot,
	};
	outgoing_send(run, &o, 1);
}

/* A network relays to its members, except the one the news came from. */
static void send_to_members(tc_run *run, const tc_send_def *send, int network, int from,
                            int skip, int incident, int severity, int tlp, tc_cause cause,
                            uint32_t cause_slot)
{
	const tc_actor_def *net = &run->s->actors[network];
	for (size_t i = 0; i < net->member_count; i++)
		if ((int)net->members[i] != from && (int)net->members[i] != skip)
			send_one(run, send, from, (int)net->members[i], incident, severity, tlp, cause,
			         cause_slot);
}

void doctrine_send(tc_run *run, const tc_send_def *send, int from, int incident, int severity,
                   int tlp, int sender_of_cause, tc_cause cause, uint32_t cause_slot)
{
	const tc_scenario *s = run->s;
	for (size_t t = 0; t < send->to_count && !run->stop; t++) {
		const tc_target *target = &send->to[t];
		switch (target->type) {
		case TC_TARGET_ACTOR:
			if ((int)target->actor != from)
				send_one(run, send, from, (int)target->actor, incident, severity, tlp, cause,
				         cause_slot);
			break;
		case TC_TARGET_SENDER:
			if (sender_of_cause >= 0 && sender_of_cause != from)
				send_one(run, send, from, sender_of_cause, incident, severity, tlp, cause,
				         cause_slot);
			break;
		case TC_TARGET_MEMBERS:
			send_to_members(run, send, from, from, sender_of_cause, incident, severity, tlp,
			                cause, cause_slot);
			break;
		case TC_TARGET_MEMBERS_OF:
			send_to_members(run, send, (int)target->actor, from, -1, incident, severity, tlp,
			                cause, cause_slot);
			break;
		case TC_TARGET_REQUIRED:
			if (incident >= 0) {
				const run_incident *inc = &run->incidents[incident];
				for (size_t i = 0; i < inc->required_count; i++)
					if ((int)inc->required[i] != from)
						send_one(run, send, from, (int)inc->required[i], incident, severity,
						         tlp, cause, cause_slot);
			}
			break;
		case TC_TARGET_LEVEL:
			for (size_t i = 0; i < s->actor_count; i++)
				if (s->actors[i].level == target->level && (int)i != from)
					send_one(run, send, from, (int)i, incident, severity, tlp, cause,
					         cause_slot);
			break;
		}
	}
}

void doctrine_react(tc_run *run, uint32_t slot)
{
	const tc_scenario *s = run->s;
	const tc_doctrine_def *d = &s->doctrine;
	int a = message_at(run, slot)->to;
	int lua = script_has_handler(run, a);
	if (lua)
		script_outbox_begin(run);
	for (size_t i = d->first_rule[a]; i < d->first_rule[a + 1] && !run->stop; i++) {
		const message *m = message_at(run, slot);
		const tc_rule_def *rule = &d->rules[i];
		assert((int)rule->actor == a);
		if (!rule_matches(run, i, rule, m))
			continue;
		*rule_fired_slot(run, i, m->incident) = 1;
		tc_cause cause = {TC_CAUSE_MESSAGE, m->id};
		int incident = m->incident, severity = m->severity, tlp = m->tlp, sender = m->from;
		if (rule->ack && sender >= 0) {
			static const tc_send_def ack = {
				.kind = TC_KIND_ACK, .severity = -1, .tlp = -1, .channel = -1,
			};
			send_one(run, &ack, a, sender, incident, severity, tlp, cause, slot);
		}
		for (size_t k = 0; k < rule->send_count && !run->stop; k++)
			doctrine_send(run, &rule->sends[k], a, incident, severity, tlp, sender, cause, slot);
		if (rule->convene >= 0 && !run->stop)
			meeting_convene(run, rule->convene, a, incident, severity, cause, 0);
	}
	if (lua)
		script_doctrine(run, a, slot);
}

void doctrine_retry(tc_run *run, uint32_t slot)
{
	message *m = message_at(run, slot);
	m->retry_pending = 0;
	if (!m->acked && !run->stop) {
		/* The resend carries the original's retry budget forward. */
		outgoing o = {
			.kind = m->kind, .from = m->from, .to = m->to, .incident = m->incident,
			.severity = m->severity, .tlp = m->tlp, .channel = m->forced_channel,
			.retry_after = m->retry_after, .retry_max = m->retry_max, .body = m->body,
			.cause = {TC_CAUSE_MESSAGE, m->id}, .cause_slot = slot,
		};
		outgoing_send(run, &o, m->attempt + 1);
	}
	message_maybe_release(run, slot);
}
