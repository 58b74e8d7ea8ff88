/*
 * The resolved scenario embedded in the run-started record, so that a log is
 * self-contained: the analysis needs nothing but the log.
 */
#include <string.h>

#include "sim/log_json.h"

static void str_or_null(tc_buf *b, const char *s)
{
	if (s)
		tc_buf_add_json_string(b, s);
	else
		tc_buf_adds(b, "null");
}

static void field(tc_buf *b, int *first, const char *name)
{
	if (!*first)
		tc_buf_addc(b, ',');
	*first = 0;
	tc_buf_add_json_string(b, name);
	tc_buf_addc(b, ':');
}

static void dist_json(tc_buf *b, const tc_dist *d)
{
	tc_buf_adds(b, "{\"dist\":");
	tc_buf_add_json_string(b, tc_dist_kind_name(d->kind));
	tc_buf_adds(b, ",\"mean\":");
	tc_buf_add_double(b, tc_dist_mean(d));
	tc_buf_adds(b, ",\"params\":[");
	for (int i = 0; i < 4; i++) {
		if (i)
			tc_buf_addc(b, ',');
		tc_buf_add_double(b, d->p[i]);
	}
	tc_buf_addc(b, ']');
	if (d->kind == TC_DIST_EMPIRICAL) {
		tc_buf_adds(b, ",\"values\":[");
		for (size_t i = 0; i < d->n; i++) {
			if (i)
				tc_buf_addc(b, ',');
			tc_buf_add_double(b, d->values[i]);
		}
		tc_buf_adds(b, "],\"cumulative\":[");
		for (size_t i = 0; i < d->n; i++) {
			if (i)
				tc_buf_addc(b, ',');
			tc_buf_add_double(b, d->cumulative[i]);
		}
		tc_buf_addc(b, ']');
	}
	tc_buf_addc(b, '}');
}

static void actor_list(tc_buf *b, const tc_scenario *s, const uint32_t *ids, size_t n)
{
	tc_buf_addc(b, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			tc_buf_addc(b, ',');
		tc_buf_add_json_string(b, s->actors[ids[i]].id);
	}
	tc_buf_addc(b, ']');
}

static void target_json(tc_buf *b, const tc_scenario *s, const tc_target *t)
{
	switch (t->type) {
	case TC_TARGET_ACTOR:
		tc_buf_add_json_string(b, s->actors[t->actor].id);
		break;
	case TC_TARGET_SENDER:
		tc_buf_adds(b, "\"sender\"");
		break;
	case TC_TARGET_MEMBERS:
		tc_buf_adds(b, "\"members\"");
		break;
	case TC_TARGET_MEMBERS_OF:
		tc_buf_adds(b, "\"members:");
		tc_buf_add(b, s->actors[t->actor].id, strlen(s->actors[t->actor].id));
		tc_buf_addc(b, '"');
		break;
	case TC_TARGET_REQUIRED:
		tc_buf_adds(b, "\"required\"");
		break;
	case TC_TARGET_LEVEL:
		tc_buf_adds(b, "\"level:");
		tc_buf_adds(b, tc_level_name(t->level));
		tc_buf_addc(b, '"');
		break;
	}
}

static void sends_json(tc_buf *b, const tc_scenario *s, const tc_send_def *sends, size_t n)
{
	tc_buf_addc(b, '[');
	for (size_t i = 0; i < n; i++) {
		const tc_send_def *d = &sends[i];
		if (i)
			tc_buf_addc(b, ',');
		tc_buf_adds(b, "{\"kind\":");
		tc_buf_add_json_string(b, s->kinds[d->kind].name);
		tc_buf_adds(b, ",\"to\":[");
		for (size_t k = 0; k < d->to_count; k++) {
			if (k)
				tc_buf_addc(b, ',');
			target_json(b, s, &d->to[k]);
		}
		tc_buf_adds(b, "],\"severity\":");
		if (d->severity >= 0)
			tc_buf_add_i64(b, d->severity);
		else
			tc_buf_adds(b, "null");
		tc_buf_adds(b, ",\"tlp\":");
		str_or_null(b, d->tlp >= 0 ? tc_tlp_name((tc_tlp)d->tlp) : NULL);
		tc_buf_adds(b, ",\"channel\":");
		str_or_null(b, d->channel >= 0 ? s->channels[d->channel].id : NULL);
		tc_buf_adds(b, ",\"retry_after\":");
		tc_buf_add_i64(b, d->retry_after);
		tc_buf_adds(b, ",\"retry_max\":");
		tc_buf_add_i64(b, d->retry_max);
		tc_buf_addc(b, '}');
	}
	tc_buf_addc(b, ']');
}

static void actor_json(tc_buf *b, const tc_scenario *s, const tc_actor_def *a)
{
	tc_buf_adds(b, "{\"id\":");
	tc_buf_add_json_string(b, a->id);
	tc_buf_adds(b, ",\"name\":");
	tc_buf_add_json_string(b, a->name);
	tc_buf_adds(b, ",\"level\":");
	tc_buf_add_json_string(b, tc_level_name(a->level));
	tc_buf_adds(b, ",\"scope\":");
	str_or_null(b, a->scope);
	tc_buf_adds(b, ",\"staff\":");
	tc_buf_add_i64(b, a->staff);
	tc_buf_adds(b, ",\"timezone\":");
	tc_buf_add_json_string(b, a->timezone);
	tc_buf_adds(b, ",\"always_on_duty\":");
	tc_buf_adds(b, a->always_on_duty ? "true" : "false");
	tc_buf_adds(b, ",\"duty\":[");
	for (size_t i = 0; !a->always_on_duty && i < a->duty.count; i++) {
		if (i)
			tc_buf_addc(b, ',');
		tc_buf_addc(b, '[');
		tc_buf_add_i64(b, a->duty.iv[i].start);
		tc_buf_addc(b, ',');
		tc_buf_add_i64(b, a->duty.iv[i].end);
		tc_buf_addc(b, ']');
	}
	tc_buf_adds(b, "],\"on_call\":{\"staff\":");
	tc_buf_add_i64(b, a->on_call.staff);
	tc_buf_adds(b, ",\"callout_delay\":");
	tc_buf_add_i64(b, a->on_call.callout_delay);
	tc_buf_adds(b, ",\"min_severity\":");
	tc_buf_add_i64(b, a->on_call.min_severity);
	tc_buf_adds(b, ",\"stand_down\":");
	tc_buf_add_i64(b, a->on_call.stand_down);
	tc_buf_adds(b, "},\"played_by\":");
	tc_buf_adds(b, a->human ? "\"human\"" : "\"sim\"");
	tc_buf_adds(b, ",\"handling\":{\"default\":");
	dist_json(b, &a->default_handling);
	for (size_t k = 0; a->handling && k < s->kind_count; k++) {
		if (!a->handling[k])
			continue;
		tc_buf_addc(b, ',');
		tc_buf_add_json_string(b, s->kinds[k].name);
		tc_buf_addc(b, ':');
		dist_json(b, a->handling[k]);
	}
	tc_buf_adds(b, "},\"members\":");
	actor_list(b, s, a->members, a->member_count);
	tc_buf_addc(b, '}');
}

static void channel_json(tc_buf *b, const tc_scenario *s, const tc_channel_def *c)
{
	tc_buf_adds(b, "{\"id\":");
	tc_buf_add_json_string(b, c->id);
	tc_buf_adds(b, ",\"kind\":");
	str_or_null(b, c->kind);
	tc_buf_adds(b, ",\"latency\":");
	dist_json(b, &c->latency);
	tc_buf_adds(b, ",\"loss\":");
	tc_buf_add_double(b, c->loss);
	tc_buf_adds(b, ",\"priority\":");
	tc_buf_add_i64(b, c->priority);
	tc_buf_adds(b, ",\"up\":");
	tc_buf_adds(b, c->initially_up ? "true" : "false");
	tc_buf_adds(b, ",\"pairs\":");
	if (c->all_pairs) {
		tc_buf_adds(b, "\"all\"");
	} else {
		tc_buf_addc(b, '[');
		for (size_t i = 0; i < c->pair_count; i++) {
			uint32_t pair[2] = {(uint32_t)(c->pairs[i] >> 32), (uint32_t)c->pairs[i]};
			if (i)
				tc_buf_addc(b, ',');
			actor_list(b, s, pair, 2);
		}
		tc_buf_addc(b, ']');
	}
	tc_buf_addc(b, '}');
}

static void incident_json(tc_buf *b, const tc_scenario *s, const tc_incident_def *inc)
{
	tc_buf_adds(b, "{\"id\":");
	tc_buf_add_json_string(b, inc->id);
	tc_buf_adds(b, ",\"title\":");
	str_or_null(b, inc->title);
	tc_buf_adds(b, ",\"severity\":");
	tc_buf_add_i64(b, inc->severity);
	tc_buf_adds(b, ",\"start\":");
	tc_buf_add_i64(b, inc->start);
	tc_buf_adds(b, ",\"detector\":");
	str_or_null(b, inc->detector >= 0 ? s->actors[inc->detector].id : NULL);
	tc_buf_adds(b, ",\"required\":");
	actor_list(b, s, inc->required, inc->required_count);
	tc_buf_addc(b, '}');
}

static const char *const inject_actions[] = {
	[TC_INJECT_MESSAGE] = "message",
	[TC_INJECT_CHANNEL_DOWN] = "channel-down",
	[TC_INJECT_CHANNEL_UP] = "channel-up",
	[TC_INJECT_SET_STAFF] = "set-staff",
	[TC_INJECT_CONVENE] = "convene",
	[TC_INJECT_END] = "end",
};

static void inject_json(tc_buf *b, const tc_scenario *s, const tc_inject_def *inj)
{
	int first = 1;
	tc_buf_addc(b, '{');
	field(b, &first, "id");
	tc_buf_add_json_string(b, inj->id);
	field(b, &first, "action");
	tc_buf_add_json_string(b, inject_actions[inj->action]);
	field(b, &first, "at");
	tc_buf_add_i64(b, inj->at);
	field(b, &first, "incident");
	str_or_null(b, inj->incident >= 0 ? s->incidents[inj->incident].id : NULL);
	switch (inj->action) {
	case TC_INJECT_MESSAGE:
		field(b, &first, "from");
		str_or_null(b, inj->from >= 0 ? s->actors[inj->from].id : NULL);
		field(b, &first, "to");
		actor_list(b, s, inj->to, inj->to_count);
		field(b, &first, "kind");
		tc_buf_add_json_string(b, s->kinds[inj->kind].name);
		field(b, &first, "severity");
		tc_buf_add_i64(b, inj->severity);
		field(b, &first, "tlp");
		tc_buf_add_json_string(b, tc_tlp_name((tc_tlp)inj->tlp));
		field(b, &first, "channel");
		str_or_null(b, inj->channel >= 0 ? s->channels[inj->channel].id : NULL);
		break;
	case TC_INJECT_CHANNEL_DOWN:
	case TC_INJECT_CHANNEL_UP:
		field(b, &first, "channel");
		tc_buf_add_json_string(b, s->channels[inj->target].id);
		break;
	case TC_INJECT_SET_STAFF:
		field(b, &first, "actor");
		tc_buf_add_json_string(b, s->actors[inj->target].id);
		field(b, &first, "staff");
		tc_buf_add_i64(b, inj->staff);
		break;
	case TC_INJECT_CONVENE:
		field(b, &first, "meeting");
		tc_buf_add_json_string(b, s->meetings[inj->target].id);
		break;
	case TC_INJECT_END:
		break;
	}
	field(b, &first, "description");
	str_or_null(b, inj->description);
	field(b, &first, "expected");
	str_or_null(b, inj->expected);
	if (inj->repeats) {
		field(b, &first, "repeat");
		tc_buf_adds(b, "{\"every\":");
		dist_json(b, &inj->every);
		tc_buf_adds(b, ",\"count\":");
		tc_buf_add_u64(b, inj->count);
		tc_buf_adds(b, ",\"until\":");
		tc_buf_add_i64(b, inj->until);
		tc_buf_addc(b, '}');
	}
	tc_buf_addc(b, '}');
}

static void meeting_json(tc_buf *b, const tc_scenario *s, const tc_meeting_def *m)
{
	tc_buf_adds(b, "{\"id\":");
	tc_buf_add_json_string(b, m->id);
	tc_buf_adds(b, ",\"name\":");
	str_or_null(b, m->name);
	tc_buf_adds(b, ",\"chair\":");
	tc_buf_add_json_string(b, s->actors[m->chair].id);
	tc_buf_adds(b, ",\"participants\":");
	actor_list(b, s, m->participants, m->participant_count);
	tc_buf_adds(b, ",\"quorum\":");
	tc_buf_add_i64(b, m->quorum);
	tc_buf_adds(b, ",\"duration\":");
	tc_buf_add_i64(b, m->duration);
	tc_buf_adds(b, ",\"quorum_timeout\":");
	tc_buf_add_i64(b, m->quorum_timeout);
	tc_buf_adds(b, ",\"incident\":");
	str_or_null(b, m->incident >= 0 ? s->incidents[m->incident].id : NULL);
	tc_buf_adds(b, ",\"standing\":");
	if (m->standing) {
		tc_buf_adds(b, "{\"first\":");
		tc_buf_add_i64(b, m->first);
		tc_buf_adds(b, ",\"every\":");
		tc_buf_add_i64(b, m->every);
		tc_buf_addc(b, '}');
	} else {
		tc_buf_adds(b, "null");
	}
	tc_buf_adds(b, ",\"outcome\":");
	sends_json(b, s, m->outcome, m->outcome_count);
	tc_buf_addc(b, '}');
}

static const char *const subject_names[] = {"actor", "level", "all-required"};
static const char *const event_names[] = {"sends", "aware", "meeting-held"};
static const char *const anchor_names[] = {"T0", "incident-start", "aware", "objective"};

static void objective_json(tc_buf *b, const tc_scenario *s, const tc_objective_def *o)
{
	tc_buf_adds(b, "{\"id\":");
	tc_buf_add_json_string(b, o->id);
	tc_buf_adds(b, ",\"description\":");
	str_or_null(b, o->description);
	tc_buf_adds(b, ",\"incident\":");
	tc_buf_add_json_string(b, s->incidents[o->incident].id);
	tc_buf_adds(b, ",\"subject\":{\"type\":");
	tc_buf_add_json_string(b, subject_names[o->subject]);
	if (o->subject == TC_SUBJECT_ACTOR) {
		tc_buf_adds(b, ",\"actor\":");
		tc_buf_add_json_string(b, s->actors[o->subject_actor].id);
	} else if (o->subject == TC_SUBJECT_LEVEL) {
		tc_buf_adds(b, ",\"level\":");
		tc_buf_add_json_string(b, tc_level_name(o->subject_level));
	}
	tc_buf_adds(b, "},\"event\":{\"type\":");
	tc_buf_add_json_string(b, event_names[o->event]);
	if (o->event == TC_EVENT_SENDS) {
		tc_buf_adds(b, ",\"kind\":");
		tc_buf_add_json_string(b, s->kinds[o->kind].name);
		tc_buf_adds(b, ",\"to\":");
		str_or_null(b, o->to_actor >= 0 ? s->actors[o->to_actor].id : NULL);
	} else if (o->event == TC_EVENT_MEETING_HELD) {
		tc_buf_adds(b, ",\"meeting\":");
		tc_buf_add_json_string(b, s->meetings[o->meeting].id);
	}
	tc_buf_adds(b, "},\"within\":{\"ms\":");
	tc_buf_add_i64(b, o->within.ms);
	tc_buf_adds(b, ",\"months\":");
	tc_buf_add_i64(b, o->within.months);
	tc_buf_adds(b, "},\"anchor\":{\"type\":");
	tc_buf_add_json_string(b, anchor_names[o->anchor]);
	if (o->anchor == TC_ANCHOR_AWARE) {
		tc_buf_adds(b, ",\"actor\":");
		tc_buf_add_json_string(b, s->actors[o->anchor_actor].id);
	} else if (o->anchor == TC_ANCHOR_OBJECTIVE) {
		tc_buf_adds(b, ",\"objective\":");
		tc_buf_add_json_string(b, s->objectives[o->anchor_objective].id);
	}
	tc_buf_adds(b, "}}");
}

static void rule_json(tc_buf *b, const tc_scenario *s, const tc_rule_def *r)
{
	tc_buf_adds(b, "{\"actor\":");
	tc_buf_add_json_string(b, s->actors[r->actor].id);
	tc_buf_adds(b, ",\"label\":");
	str_or_null(b, r->label);
	tc_buf_adds(b, ",\"on\":");
	if (r->on_kinds) {
		tc_buf_addc(b, '[');
		int first = 1;
		for (size_t k = 0; k < s->kind_count; k++) {
			if (!r->on_kinds[k])
				continue;
			if (!first)
				tc_buf_addc(b, ',');
			first = 0;
			tc_buf_add_json_string(b, s->kinds[k].name);
		}
		tc_buf_addc(b, ']');
	} else {
		tc_buf_adds(b, "\"any\"");
	}
	tc_buf_adds(b, ",\"min_severity\":");
	tc_buf_add_i64(b, r->min_severity);
	tc_buf_adds(b, ",\"from\":");
	if (r->from) {
		tc_buf_addc(b, '[');
		int first = 1;
		for (size_t a = 0; a < s->actor_count; a++) {
			if (!r->from[a])
				continue;
			if (!first)
				tc_buf_addc(b, ',');
			first = 0;
			tc_buf_add_json_string(b, s->actors[a].id);
		}
		tc_buf_addc(b, ']');
	} else {
		tc_buf_adds(b, "null");
	}
	tc_buf_adds(b, ",\"from_levels\":[");
	int first = 1;
	for (int l = 0; l < TC_LEVEL_COUNT; l++) {
		if (!(r->from_levels & (1u << l)))
			continue;
		if (!first)
			tc_buf_addc(b, ',');
		first = 0;
		tc_buf_add_json_string(b, tc_level_name((tc_level)l));
	}
	tc_buf_adds(b, "],\"incident\":");
	str_or_null(b, r->incident >= 0 ? s->incidents[r->incident].id : NULL);
	tc_buf_adds(b, ",\"once\":");
	tc_buf_adds(b, r->once ? "true" : "false");
	tc_buf_adds(b, ",\"ack\":");
	tc_buf_adds(b, r->ack ? "true" : "false");
	tc_buf_adds(b, ",\"send\":");
	sends_json(b, s, r->sends, r->send_count);
	tc_buf_adds(b, ",\"convene\":");
	str_or_null(b, r->convene >= 0 ? s->meetings[r->convene].id : NULL);
	tc_buf_addc(b, '}');
}

void tc_log_json_scenario(tc_buf *b, const tc_scenario *s)
{
	char start[64];
	tc_datetime_format(s->epoch_utc_ms, s->tz, start, sizeof start);
	tc_buf_adds(b, "{\"name\":");
	tc_buf_add_json_string(b, s->name);
	tc_buf_adds(b, ",\"file\":");
	tc_buf_add_json_string(b, s->file);
	tc_buf_adds(b, ",\"sha256\":");
	tc_buf_add_json_string(b, s->sha256);
	tc_buf_adds(b, ",\"description\":");
	str_or_null(b, s->description);
	tc_buf_adds(b, ",\"start\":");
	tc_buf_add_json_string(b, start);
	tc_buf_adds(b, ",\"start_utc_ms\":");
	tc_buf_add_i64(b, s->epoch_utc_ms);
	tc_buf_adds(b, ",\"timezone\":");
	tc_buf_add_json_string(b, s->timezone);
	tc_buf_adds(b, ",\"duration\":");
	tc_buf_add_i64(b, s->duration);
	tc_buf_adds(b, ",\"span_start\":");
	tc_buf_add_i64(b, s->span_start);
	tc_buf_adds(b, ",\"default_seed\":");
	tc_buf_add_u64(b, s->default_seed);

	tc_buf_adds(b, ",\"kinds\":[");
	for (size_t i = 0; i < s->kind_count; i++) {
		if (i)
			tc_buf_addc(b, ',');
		tc_buf_adds(b, "{\"name\":");
		tc_buf_add_json_string(b, s->kinds[i].name);
		tc_buf_adds(b, ",\"informative\":");
		tc_buf_adds(b, s->kinds[i].informative ? "true}" : "false}");
	}
#define LIST(name, array, count, fn)                     \
	tc_buf_adds(b, "],\"" name "\":[");                 \
	for (size_t i = 0; i < s->count; i++) {             \
		if (i)                                          \
			tc_buf_addc(b, ',');                        \
		fn(b, s, &s->array[i]);                         \
	}
	LIST("actors", actors, actor_count, actor_json)
	LIST("channels", channels, channel_count, channel_json)
	LIST("incidents", incidents, incident_count, incident_json)
	LIST("injects", injects, inject_count, inject_json)
	LIST("meetings", meetings, meeting_count, meeting_json)
	LIST("objectives", objectives, objective_count, objective_json)
#undef LIST
	tc_buf_adds(b, "],\"doctrine\":{\"name\":");
	str_or_null(b, s->doctrine.name);
	tc_buf_adds(b, ",\"file\":");
	str_or_null(b, s->doctrine.file);
	tc_buf_adds(b, ",\"sha256\":");
	str_or_null(b, s->doctrine.sha256[0] ? s->doctrine.sha256 : NULL);
	tc_buf_adds(b, ",\"rules\":[");
	for (size_t i = 0; i < s->doctrine.rule_count; i++) {
		if (i)
			tc_buf_addc(b, ',');
		rule_json(b, s, &s->doctrine.rules[i]);
	}
	tc_buf_adds(b, "]}}");
}
