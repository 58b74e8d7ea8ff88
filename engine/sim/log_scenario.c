/*
 * The resolved scenario embedded in the run-started record, so that a log is
 * self-contained: the analysis needs nothing but the log.
 */
#include <assert.h>
#include <stdio.h>

#include "core/jsonw.h"
#include "sim/log_json.h"

static void dist_json(tc_jsonw *w, const tc_dist *d)
{
	tc_jsonw_object(w);
	tc_jsonw_kstr(w, "dist", tc_dist_kind_name(d->kind));
	tc_jsonw_key(w, "mean");
	tc_jsonw_double(w, tc_dist_mean(d));
	tc_jsonw_key(w, "params");
	tc_jsonw_array(w);
	for (int i = 0; i < 4; i++)
		tc_jsonw_double(w, d->p[i]);
	tc_jsonw_end(w);
	if (d->kind == TC_DIST_EMPIRICAL) {
		tc_jsonw_key(w, "values");
		tc_jsonw_array(w);
		for (size_t i = 0; i < d->n; i++)
			tc_jsonw_double(w, d->values[i]);
		tc_jsonw_end(w);
		tc_jsonw_key(w, "cumulative");
		tc_jsonw_array(w);
		for (size_t i = 0; i < d->n; i++)
			tc_jsonw_double(w, d->cumulative[i]);
		tc_jsonw_end(w);
	}
	tc_jsonw_end(w);
}

static void actor_list(tc_jsonw *w, const tc_scenario *s, const uint32_t *ids, size_t n)
{
	tc_jsonw_array(w);
	for (size_t i = 0; i < n; i++)
		tc_jsonw_str(w, s->actors[ids[i]].id);
	tc_jsonw_end(w);
}

static const char *actor_or_null(const tc_scenario *s, int a)
{
	return a >= 0 ? s->actors[a].id : NULL;
}

static const char *incident_or_null(const tc_scenario *s, int i)
{
	return i >= 0 ? s->incidents[i].id : NULL;
}

static const char *channel_or_null(const tc_scenario *s, int c)
{
	return c >= 0 ? s->channels[c].id : NULL;
}

/* The names whose flag is set: a rule's kinds or senders. */
typedef const char *name_fn(const tc_scenario *s, size_t index);

static void flagged(tc_jsonw *w, const uint8_t *flags, size_t n, name_fn *name_of,
                    const tc_scenario *s)
{
	tc_jsonw_array(w);
	for (size_t i = 0; i < n; i++)
		if (flags[i])
			tc_jsonw_str(w, name_of(s, i));
	tc_jsonw_end(w);
}

static const char *kind_name(const tc_scenario *s, size_t k)
{
	return s->kinds[k].name;
}

static const char *actor_name(const tc_scenario *s, size_t a)
{
	return s->actors[a].id;
}

static void target_json(tc_jsonw *w, const tc_scenario *s, const tc_target *t)
{
	char text[128];
	switch (t->type) {
	case TC_TARGET_ACTOR:
		tc_jsonw_str(w, s->actors[t->actor].id);
		return;
	case TC_TARGET_SENDER:
		tc_jsonw_str(w, "sender");
		return;
	case TC_TARGET_MEMBERS:
		tc_jsonw_str(w, "members");
		return;
	case TC_TARGET_MEMBERS_OF:
		snprintf(text, sizeof text, "members:%s", s->actors[t->actor].id);
		break;
	case TC_TARGET_REQUIRED:
		tc_jsonw_str(w, "required");
		return;
	case TC_TARGET_LEVEL:
		snprintf(text, sizeof text, "level:%s", tc_level_name(t->level));
		break;
	}
	tc_jsonw_str(w, text);
}

static void sends_json(tc_jsonw *w, const tc_scenario *s, const tc_send_def *sends, size_t n)
{
	tc_jsonw_array(w);
	for (size_t i = 0; i < n; i++) {
		const tc_send_def *d = &sends[i];
		tc_jsonw_object(w);
		tc_jsonw_kstr(w, "kind", s->kinds[d->kind].name);
		tc_jsonw_key(w, "to");
		tc_jsonw_array(w);
		for (size_t k = 0; k < d->to_count; k++)
			target_json(w, s, &d->to[k]);
		tc_jsonw_end(w);
		tc_jsonw_key(w, "severity");
		if (d->severity >= 0)
			tc_jsonw_int(w, d->severity);
		else
			tc_jsonw_null(w);
		tc_jsonw_kstr(w, "tlp", d->tlp >= 0 ? tc_tlp_name((tc_tlp)d->tlp) : NULL);
		tc_jsonw_kstr(w, "channel", channel_or_null(s, d->channel));
		tc_jsonw_kint(w, "retry_after", d->retry_after);
		tc_jsonw_kint(w, "retry_max", d->retry_max);
		tc_jsonw_end(w);
	}
	tc_jsonw_end(w);
}

static void actor_json(tc_jsonw *w, const tc_scenario *s, const tc_actor_def *a)
{
	tc_jsonw_object(w);
	tc_jsonw_kstr(w, "id", a->id);
	tc_jsonw_kstr(w, "name", a->name);
	tc_jsonw_kstr(w, "level", tc_level_name(a->level));
	tc_jsonw_kstr(w, "scope", a->scope);
	tc_jsonw_kint(w, "staff", a->staff);
	tc_jsonw_kstr(w, "timezone", a->timezone);
	tc_jsonw_kbool(w, "always_on_duty", a->always_on_duty);
	tc_jsonw_key(w, "duty");
	tc_jsonw_array(w);
	for (size_t i = 0; !a->always_on_duty && i < a->duty.count; i++) {
		tc_jsonw_array(w);
		tc_jsonw_int(w, a->duty.iv[i].start);
		tc_jsonw_int(w, a->duty.iv[i].end);
		tc_jsonw_end(w);
	}
	tc_jsonw_end(w);
	tc_jsonw_key(w, "on_call");
	tc_jsonw_object(w);
	tc_jsonw_kint(w, "staff", a->on_call.staff);
	tc_jsonw_kint(w, "callout_delay", a->on_call.callout_delay);
	tc_jsonw_kint(w, "min_severity", a->on_call.min_severity);
	tc_jsonw_kint(w, "stand_down", a->on_call.stand_down);
	tc_jsonw_end(w);
	tc_jsonw_kstr(w, "played_by", a->human ? "human" : "sim");
	tc_jsonw_key(w, "handling");
	tc_jsonw_object(w);
	tc_jsonw_key(w, "default");
	dist_json(w, &a->default_handling);
	for (size_t k = 0; a->handling && k < s->kind_count; k++) {
		if (!a->handling[k])
			continue;
		tc_jsonw_key(w, s->kinds[k].name);
		dist_json(w, a->handling[k]);
	}
	tc_jsonw_end(w);
	tc_jsonw_key(w, "members");
	actor_list(w, s, a->members, a->member_count);
	tc_jsonw_end(w);
}

static void channel_json(tc_jsonw *w, const tc_scenario *s, const tc_channel_def *c)
{
	tc_jsonw_object(w);
	tc_jsonw_kstr(w, "id", c->id);
	tc_jsonw_kstr(w, "kind", c->kind);
	tc_jsonw_key(w, "latency");
	dist_json(w, &c->latency);
	tc_jsonw_key(w, "loss");
	tc_jsonw_double(w, c->loss);
	tc_jsonw_kint(w, "priority", c->priority);
	tc_jsonw_kbool(w, "up", c->initially_up);
	tc_jsonw_key(w, "pairs");
	if (c->all_pairs) {
		tc_jsonw_str(w, "all");
	} else {
		tc_jsonw_array(w);
		for (size_t i = 0; i < c->pair_count; i++) {
			uint32_t pair[2] = {(uint32_t)(c->pairs[i] >> 32), (uint32_t)c->pairs[i]};
			actor_list(w, s, pair, 2);
		}
		tc_jsonw_end(w);
	}
	tc_jsonw_end(w);
}

static void incident_json(tc_jsonw *w, const tc_scenario *s, const tc_incident_def *inc)
{
	tc_jsonw_object(w);
	tc_jsonw_kstr(w, "id", inc->id);
	tc_jsonw_kstr(w, "title", inc->title);
	tc_jsonw_kint(w, "severity", inc->severity);
	tc_jsonw_kint(w, "start", inc->start);
	tc_jsonw_kstr(w, "detector", actor_or_null(s, inc->detector));
	tc_jsonw_key(w, "required");
	actor_list(w, s, inc->required, inc->required_count);
	tc_jsonw_end(w);
}

static void inject_json(tc_jsonw *w, const tc_scenario *s, const tc_inject_def *inj)
{
	tc_jsonw_object(w);
	tc_jsonw_kstr(w, "id", inj->id);
	tc_jsonw_kstr(w, "action", tc_inject_action_names[inj->action]);
	tc_jsonw_kint(w, "at", inj->at);
	tc_jsonw_kstr(w, "incident", incident_or_null(s, inj->incident));
	tc_jsonw_kstr(w, "subject", inj->subject);
	switch (inj->action) {
	case TC_INJECT_MESSAGE:
		tc_jsonw_kstr(w, "from", actor_or_null(s, inj->from));
		tc_jsonw_key(w, "to");
		actor_list(w, s, inj->to, inj->to_count);
		tc_jsonw_kstr(w, "kind", s->kinds[inj->kind].name);
		tc_jsonw_kint(w, "severity", inj->severity);
		tc_jsonw_kstr(w, "tlp", tc_tlp_name((tc_tlp)inj->tlp));
		tc_jsonw_kstr(w, "channel", channel_or_null(s, inj->channel));
		break;
	case TC_INJECT_CHANNEL_DOWN:
	case TC_INJECT_CHANNEL_UP:
		tc_jsonw_kstr(w, "channel", s->channels[inj->target].id);
		break;
	case TC_INJECT_SET_STAFF:
		tc_jsonw_kstr(w, "actor", s->actors[inj->target].id);
		tc_jsonw_kint(w, "staff", inj->staff);
		break;
	case TC_INJECT_CONVENE:
		tc_jsonw_kstr(w, "meeting", s->meetings[inj->target].id);
		break;
	case TC_INJECT_END:
		break;
	}
	tc_jsonw_kstr(w, "description", inj->description);
	tc_jsonw_kstr(w, "expected", inj->expected);
	tc_jsonw_kstr(w, "objective", inj->objective >= 0 ? s->objectives[inj->objective].id : NULL);
	if (inj->repeats) {
		tc_jsonw_key(w, "repeat");
		tc_jsonw_object(w);
		tc_jsonw_key(w, "every");
		dist_json(w, &inj->every);
		tc_jsonw_key(w, "count");
		tc_jsonw_uint(w, inj->count);
		tc_jsonw_kint(w, "until", inj->until);
		tc_jsonw_end(w);
	}
	tc_jsonw_end(w);
}

static void meeting_json(tc_jsonw *w, const tc_scenario *s, const tc_meeting_def *m)
{
	tc_jsonw_object(w);
	tc_jsonw_kstr(w, "id", m->id);
	tc_jsonw_kstr(w, "name", m->name);
	tc_jsonw_kstr(w, "chair", s->actors[m->chair].id);
	tc_jsonw_key(w, "participants");
	actor_list(w, s, m->participants, m->participant_count);
	tc_jsonw_kint(w, "quorum", m->quorum);
	tc_jsonw_kint(w, "duration", m->duration);
	tc_jsonw_kint(w, "quorum_timeout", m->quorum_timeout);
	tc_jsonw_kstr(w, "incident", incident_or_null(s, m->incident));
	tc_jsonw_key(w, "standing");
	if (m->standing) {
		tc_jsonw_object(w);
		tc_jsonw_kint(w, "first", m->first);
		tc_jsonw_kint(w, "every", m->every);
		tc_jsonw_end(w);
	} else {
		tc_jsonw_null(w);
	}
	tc_jsonw_key(w, "outcome");
	sends_json(w, s, m->outcome, m->outcome_count);
	tc_jsonw_end(w);
}

static void objective_json(tc_jsonw *w, const tc_scenario *s, const tc_objective_def *o)
{
	tc_jsonw_object(w);
	tc_jsonw_kstr(w, "id", o->id);
	tc_jsonw_kstr(w, "description", o->description);
	tc_jsonw_kstr(w, "incident", s->incidents[o->incident].id);
	tc_jsonw_key(w, "subject");
	tc_jsonw_object(w);
	tc_jsonw_kstr(w, "type", tc_subject_type_names[o->subject]);
	if (o->subject == TC_SUBJECT_ACTOR)
		tc_jsonw_kstr(w, "actor", s->actors[o->subject_actor].id);
	else if (o->subject == TC_SUBJECT_LEVEL)
		tc_jsonw_kstr(w, "level", tc_level_name(o->subject_level));
	tc_jsonw_end(w);
	tc_jsonw_key(w, "event");
	tc_jsonw_object(w);
	tc_jsonw_kstr(w, "type", tc_objective_event_names[o->event]);
	if (o->event == TC_EVENT_SENDS) {
		tc_jsonw_kstr(w, "kind", s->kinds[o->kind].name);
		tc_jsonw_kstr(w, "to", actor_or_null(s, o->to_actor));
	} else if (o->event == TC_EVENT_MEETING_HELD) {
		tc_jsonw_kstr(w, "meeting", s->meetings[o->meeting].id);
	}
	tc_jsonw_end(w);
	tc_jsonw_key(w, "within");
	tc_jsonw_object(w);
	tc_jsonw_kint(w, "ms", o->within.ms);
	tc_jsonw_kint(w, "months", o->within.months);
	tc_jsonw_end(w);
	tc_jsonw_key(w, "anchor");
	tc_jsonw_object(w);
	tc_jsonw_kstr(w, "type", tc_anchor_type_names[o->anchor]);
	if (o->anchor == TC_ANCHOR_AWARE)
		tc_jsonw_kstr(w, "actor", s->actors[o->anchor_actor].id);
	else if (o->anchor == TC_ANCHOR_OBJECTIVE)
		tc_jsonw_kstr(w, "objective", s->objectives[o->anchor_objective].id);
	tc_jsonw_end(w);
	tc_jsonw_end(w);
}

static void rule_json(tc_jsonw *w, const tc_scenario *s, const tc_rule_def *r)
{
	tc_jsonw_object(w);
	tc_jsonw_kstr(w, "actor", s->actors[r->actor].id);
	tc_jsonw_kstr(w, "label", r->label);
	tc_jsonw_key(w, "on");
	if (r->on_kinds)
		flagged(w, r->on_kinds, s->kind_count, kind_name, s);
	else
		tc_jsonw_str(w, "any");
	tc_jsonw_kint(w, "min_severity", r->min_severity);
	tc_jsonw_key(w, "from");
	if (r->from)
		flagged(w, r->from, s->actor_count, actor_name, s);
	else
		tc_jsonw_null(w);
	tc_jsonw_key(w, "from_levels");
	tc_jsonw_array(w);
	for (int l = 0; l < TC_LEVEL_COUNT; l++)
		if (r->from_levels & (1u << l))
			tc_jsonw_str(w, tc_level_name((tc_level)l));
	tc_jsonw_end(w);
	tc_jsonw_kstr(w, "incident", incident_or_null(s, r->incident));
	tc_jsonw_kbool(w, "once", r->once);
	tc_jsonw_kbool(w, "ack", r->ack);
	tc_jsonw_key(w, "send");
	sends_json(w, s, r->sends, r->send_count);
	tc_jsonw_kstr(w, "convene", r->convene >= 0 ? s->meetings[r->convene].id : NULL);
	tc_jsonw_end(w);
}

static const char *const script_roles[] = {
	[TC_SCRIPT_INJECTS] = "injects",
	[TC_SCRIPT_DOCTRINE] = "doctrine",
};

/* Which Lua produced the log: the text itself is not copied, its digest is. */
static void script_json(tc_jsonw *w, const tc_scenario *s, const tc_script_def *d)
{
	(void)s;
	tc_jsonw_object(w);
	tc_jsonw_kstr(w, "name", d->name);
	tc_jsonw_kstr(w, "role", script_roles[d->role]);
	tc_jsonw_kbool(w, "extra", d->extra);
	tc_jsonw_kstr(w, "sha256", d->sha256);
	tc_jsonw_key(w, "bytes");
	tc_jsonw_uint(w, d->len);
	tc_jsonw_end(w);
}

void tc_log_json_scenario(tc_buf *b, const tc_scenario *s)
{
	char start[64];
	tc_datetime_format(s->epoch_utc_ms, s->tz, start, sizeof start);
	tc_jsonw w;
	tc_jsonw_init(&w, b);
	tc_jsonw_object(&w);
	tc_jsonw_kstr(&w, "name", s->name);
	tc_jsonw_kstr(&w, "file", s->file);
	tc_jsonw_kstr(&w, "sha256", s->sha256);
	tc_jsonw_key(&w, "includes");
	tc_jsonw_array(&w);
	for (size_t i = 0; i < s->include_count; i++) {
		tc_jsonw_object(&w);
		tc_jsonw_kstr(&w, "file", s->includes[i].file);
		tc_jsonw_kstr(&w, "sha256", s->includes[i].sha256);
		tc_jsonw_end(&w);
	}
	tc_jsonw_end(&w);
	tc_jsonw_key(&w, "sets");
	tc_jsonw_array(&w);
	for (size_t i = 0; i < s->set_count; i++)
		tc_jsonw_str(&w, s->sets[i]);
	tc_jsonw_end(&w);
	tc_jsonw_kstr(&w, "description", s->description);
	tc_jsonw_kstr(&w, "start", start);
	tc_jsonw_kint(&w, "start_utc_ms", s->epoch_utc_ms);
	tc_jsonw_kstr(&w, "timezone", s->timezone);
	tc_jsonw_kint(&w, "duration", s->duration);
	tc_jsonw_kint(&w, "span_start", s->span_start);
	tc_jsonw_key(&w, "default_seed");
	tc_jsonw_uint(&w, s->default_seed);
	tc_jsonw_key(&w, "kinds");
	tc_jsonw_array(&w);
	for (size_t i = 0; i < s->kind_count; i++) {
		tc_jsonw_object(&w);
		tc_jsonw_kstr(&w, "name", s->kinds[i].name);
		tc_jsonw_kbool(&w, "informative", s->kinds[i].informative);
		tc_jsonw_end(&w);
	}
	tc_jsonw_end(&w);
#define LIST(name, array, count, fn)              \
	tc_jsonw_key(&w, name);                      \
	tc_jsonw_array(&w);                          \
	for (size_t i = 0; i < s->count; i++)        \
		fn(&w, s, &s->array[i]);                 \
	tc_jsonw_end(&w);
	LIST("actors", actors, actor_count, actor_json)
	LIST("channels", channels, channel_count, channel_json)
	LIST("incidents", incidents, incident_count, incident_json)
	LIST("injects", injects, inject_count, inject_json)
	LIST("meetings", meetings, meeting_count, meeting_json)
	LIST("objectives", objectives, objective_count, objective_json)
	LIST("scripts", scripts, script_count, script_json)
#undef LIST
	tc_jsonw_key(&w, "doctrine");
	tc_jsonw_object(&w);
	tc_jsonw_kstr(&w, "name", s->doctrine.name);
	tc_jsonw_kstr(&w, "file", s->doctrine.file);
	tc_jsonw_kstr(&w, "sha256", s->doctrine.sha256[0] ? s->doctrine.sha256 : NULL);
	tc_jsonw_key(&w, "script");
	if (s->doctrine.script)
		script_json(&w, s, s->doctrine.script);
	else
		tc_jsonw_null(&w);
	tc_jsonw_key(&w, "rules");
	tc_jsonw_array(&w);
	for (size_t i = 0; i < s->doctrine.rule_count; i++)
		rule_json(&w, s, &s->doctrine.rules[i]);
	tc_jsonw_end(&w);
	tc_jsonw_end(&w);
	tc_jsonw_end(&w);
	assert(w.depth == 0);
}
