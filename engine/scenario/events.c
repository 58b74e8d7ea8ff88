/*
 * incidents, meetings, injects and objectives: what happens in the exercise
 * and what it is measured against.
 */
#include <stdio.h>
#include <string.h>

#include "core/rng.h"
#include "scenario/loader.h"

/* The incident an entry names, or the only incident when it names none. */
static int incident_of(loader *ld, const tc_ynode *entry, const char *what, int required,
                       int *out)
{
	const tc_ynode *v = tc_ymap_get(entry, "incident");
	if (v)
		return ld_ref(ld, v, LD_INCIDENTS, "incident", out);
	if (ld->s->incident_count == 1) {
		*out = 0;
		return 0;
	}
	*out = -1;
	if (required) {
		ld_error(ld, entry, "%s: missing required key 'incident' (the scenario has %zu "
		                    "incidents)", what, ld->s->incident_count);
		return -1;
	}
	return 0;
}

static int incident(loader *ld, const tc_ynode *n, size_t index)
{
	static const char *const keys[] = {"id", "title", "severity", "start", "detector", "required"};
	tc_incident_def *inc = &ld->s->incidents[index];
	char what[96];
	snprintf(what, sizeof what, "incident '%s'", inc->id);
	int rc = ld_keys(ld, n, keys, sizeof keys / sizeof *keys, what);
	const tc_ynode *v;
	inc->severity = 3;
	inc->detector = -1;
	if ((v = tc_ymap_get(n, "title")))
		rc |= ld_string(ld, v, "a title", &inc->title);
	if ((v = tc_ymap_get(n, "severity")))
		rc |= ld_severity(ld, v, &inc->severity);
	if ((v = tc_ymap_get(n, "start")))
		rc |= ld_time(ld, v, &inc->start);
	if ((v = tc_ymap_get(n, "detector")))
		rc |= ld_ref(ld, v, LD_ACTORS, "actor", &inc->detector);
	if ((v = ld_required(ld, n, "required", what))) {
		uint32_t *req;
		rc |= ld_refs(ld, v, LD_ACTORS, "actor", &req, &inc->required_count);
		inc->required = req;
	} else {
		rc = -1;
	}
	return rc;
}

int ld_incidents(loader *ld, const tc_ynode *seq)
{
	tc_scenario *s = ld->s;
	return ld_list(ld, seq, LD_INCIDENTS, "incident", 1, TC_MAX_INCIDENTS, sizeof *s->incidents,
	               (void **)&s->incidents, &s->incident_count, incident);
}

static int sends(loader *ld, const tc_ynode *n, const tc_send_def **out, size_t *count)
{
	size_t total = n->type == TC_YSEQ ? n->count : 1;
	tc_send_def *list = ld_alloc(ld, (total ? total : 1) * sizeof *list);
	if (!list)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < total; i++)
		rc |= ld_send(ld, n->type == TC_YSEQ ? n->items[i] : n, &list[i]);
	*out = list;
	*count = total;
	return rc;
}

static int standing(loader *ld, const tc_ynode *n, tc_meeting_def *m)
{
	static const char *const keys[] = {"first", "every"};
	if (ld_expect(ld, n, TC_YMAP, "{first: TIME, every: DURATION}"))
		return -1;
	int rc = ld_keys(ld, n, keys, 2, "standing");
	const tc_ynode *first = ld_required(ld, n, "first", "standing");
	const tc_ynode *every = tc_ymap_get(n, "every");
	m->standing = 1;
	if (!first || ld_time(ld, first, &m->first) || (every && ld_span(ld, every, &m->every)) ||
	    rc)
		return -1;
	if (every && m->every <= 0) {
		ld_error(ld, every, "expected a positive interval between meetings");
		return -1;
	}
	return 0;
}

static int meeting(loader *ld, const tc_ynode *n, size_t index)
{
	static const char *const keys[] = {"id", "name", "chair", "participants", "quorum",
	                                   "duration", "quorum_timeout", "incident", "standing",
	                                   "outcome"};
	tc_meeting_def *m = &ld->s->meetings[index];
	char what[96];
	snprintf(what, sizeof what, "meeting '%s'", m->id);
	int rc = ld_keys(ld, n, keys, sizeof keys / sizeof *keys, what), chair = -1;
	const tc_ynode *v;
	m->name = m->id;
	m->quorum_timeout = 4 * TC_HOUR;
	if ((v = tc_ymap_get(n, "name")))
		rc |= ld_string(ld, v, "a name", &m->name);
	if ((v = ld_required(ld, n, "chair", what)))
		rc |= ld_ref(ld, v, LD_ACTORS, "actor", &chair);
	else
		rc = -1;
	m->chair = chair < 0 ? 0 : (uint32_t)chair;
	const tc_ynode *parts = ld_required(ld, n, "participants", what);
	uint32_t *list = NULL;
	size_t count = 0;
	int parts_rc = parts ? ld_refs(ld, parts, LD_ACTORS, "actor", &list, &count) : -1;
	rc |= parts_rc;
	/* The chair always takes part. */
	int has_chair = 0;
	for (size_t i = 0; i < count; i++)
		has_chair |= (int)list[i] == chair;
	if (!has_chair && chair >= 0) {
		uint32_t *with = ld_alloc(ld, (count + 1) * sizeof *with);
		if (!with)
			return -1;
		with[0] = (uint32_t)chair;
		if (count)
			memcpy(with + 1, list, count * sizeof *list);
		list = with;
		count++;
	}
	m->participants = list;
	m->participant_count = count;
	int64_t quorum = (int64_t)count;
	if ((v = tc_ymap_get(n, "quorum"))) {
		if (ld_int(ld, v, 1, INT32_MAX, &quorum)) {
			rc = -1;
		} else if (parts_rc == 0 && chair >= 0 && quorum > (int64_t)count) {
			/* Only when the participants are known, or it would echo their errors. */
			ld_error(ld, v, "quorum %s is more than the %zu participant%s (the chair "
			                "included)", LD_EX(v), count, count == 1 ? "" : "s");
			rc = -1;
		}
	}
	m->quorum = (int)quorum;
	if ((v = ld_required(ld, n, "duration", what))) {
		if (ld_span(ld, v, &m->duration)) {
			rc = -1;
		} else if (m->duration < 0) {
			ld_error(ld, v, "expected a meeting duration of zero or more, got '%s'", LD_EX(v));
			rc = -1;
		}
	} else {
		rc = -1;
	}
	if ((v = tc_ymap_get(n, "quorum_timeout"))) {
		if (ld_span(ld, v, &m->quorum_timeout)) {
			rc = -1;
		} else if (m->quorum_timeout <= 0) {
			ld_error(ld, v, "expected a positive quorum_timeout, got '%s'", LD_EX(v));
			rc = -1;
		}
	}
	rc |= incident_of(ld, n, what, 0, &m->incident);
	if (!tc_ymap_get(n, "incident"))
		m->incident = -1; /* a standing meeting is about whatever attendees know */
	if ((v = tc_ymap_get(n, "standing")))
		rc |= standing(ld, v, m);
	if ((v = tc_ymap_get(n, "outcome")))
		rc |= sends(ld, v, &m->outcome, &m->outcome_count);
	return rc;
}

int ld_meetings(loader *ld, const tc_ynode *seq)
{
	tc_scenario *s = ld->s;
	return ld_list(ld, seq, LD_MEETINGS, "meeting", 0, TC_MAX_MEETINGS, sizeof *s->meetings,
	               (void **)&s->meetings, &s->meeting_count, meeting);
}

static int repeat(loader *ld, const tc_ynode *n, tc_inject_def *inj)
{
	static const char *const keys[] = {"every", "count", "until"};
	if (ld_expect(ld, n, TC_YMAP, "{every: DISTRIBUTION, count: N, until: TIME}"))
		return -1;
	int rc = ld_keys(ld, n, keys, 3, "repeat");
	const tc_ynode *every = ld_required(ld, n, "every", "repeat"), *v;
	inj->repeats = 1;
	inj->until = TC_TIME_NEVER;
	rc |= every ? ld_dist(ld, every, &inj->every) : -1;
	int64_t count = 0;
	if ((v = tc_ymap_get(n, "count")))
		rc |= ld_int(ld, v, 1, INT64_MAX, &count);
	inj->count = (uint64_t)count;
	if ((v = tc_ymap_get(n, "until")))
		rc |= ld_time(ld, v, &inj->until);
	return rc;
}

static int message_inject(loader *ld, const tc_ynode *n, tc_inject_def *inj, const char *what)
{
	int rc = incident_of(ld, n, what, 1, &inj->incident);
	const tc_ynode *v;
	inj->from = -1;
	inj->channel = -1;
	inj->tlp = TC_TLP_AMBER;
	inj->severity = inj->incident >= 0 ? ld->s->incidents[inj->incident].severity : 2;
	if ((v = tc_ymap_get(n, "from")))
		rc |= ld_ref(ld, v, LD_ACTORS, "actor", &inj->from);
	if ((v = ld_required(ld, n, "to", what))) {
		uint32_t *to;
		rc |= ld_refs(ld, v, LD_ACTORS, "actor", &to, &inj->to_count);
		inj->to = to;
		for (size_t i = 0; to && i < inj->to_count; i++)
			if ((int)to[i] == inj->from) {
				const tc_ynode *self = v->type == TC_YSEQ ? v->items[0] : v;
				for (size_t k = 0; v->type == TC_YSEQ && k < v->count; k++)
					if (v->items[k]->type == TC_YSCALAR &&
					    strcmp(v->items[k]->text, ld->s->actors[inj->from].id) == 0)
						self = v->items[k];
				ld_error(ld, self, "%s sends to its own sender '%s'", what,
				         ld->s->actors[inj->from].id);
				rc = -1;
			}
	} else {
		rc = -1;
	}
	if ((v = ld_required(ld, n, "kind", what)))
		rc |= ld_kind(ld, v, &inj->kind);
	else
		rc = -1;
	if ((v = tc_ymap_get(n, "severity")))
		rc |= ld_severity(ld, v, &inj->severity);
	if ((v = tc_ymap_get(n, "tlp")))
		rc |= ld_tlp(ld, v, &inj->tlp);
	if ((v = tc_ymap_get(n, "channel"))) {
		rc |= ld_ref(ld, v, LD_CHANNELS, "channel", &inj->channel);
		if (inj->from < 0 && inj->channel >= 0) {
			ld_error(ld, v, "%s comes from outside the exercise (no 'from'), so it uses no "
			                "channel", what);
			rc = -1;
		}
	}
	if ((v = tc_ymap_get(n, "repeat")))
		rc |= repeat(ld, v, inj);
	return rc;
}

/* Keys each action allows besides the common ones. */
static int action_keys(loader *ld, const tc_ynode *n, tc_inject_action action, const char *id)
{
	static const char *const common[] = {"id", "at", "action", "incident", "subject",
	                                     "description", "expected", "objective"};
	static const char *const extra[][8] = {
		[TC_INJECT_MESSAGE] = {"from", "to", "kind", "severity", "tlp", "channel", "repeat"},
		[TC_INJECT_CHANNEL_DOWN] = {"channel"},
		[TC_INJECT_CHANNEL_UP] = {"channel"},
		[TC_INJECT_SET_STAFF] = {"actor", "staff"},
		[TC_INJECT_CONVENE] = {"meeting"},
		[TC_INJECT_END] = {NULL},
	};
	const char *allowed[16];
	size_t count = 0;
	for (size_t i = 0; i < sizeof common / sizeof *common; i++)
		allowed[count++] = common[i];
	for (size_t i = 0; i < 8 && extra[action][i]; i++)
		allowed[count++] = extra[action][i];
	char what[128];
	snprintf(what, sizeof what, "%s inject '%s'", tc_inject_action_names[action], id);
	return ld_keys(ld, n, allowed, count, what);
}

static int inject(loader *ld, const tc_ynode *n, size_t index)
{
	tc_inject_def *inj = &ld->s->injects[index];
	const tc_ynode *v;
	char what[96];
	snprintf(what, sizeof what, "inject '%s'", inj->id);
	inj->entity = tc_rng_entity(inj->id);
	inj->incident = -1;
	inj->objective = -1; /* resolved once the objectives are known */
	inj->action = TC_INJECT_MESSAGE;
	if ((v = tc_ymap_get(n, "action"))) {
		if (ld_expect(ld, v, TC_YSCALAR, "an inject action"))
			return -1;
		size_t a = 0;
		while (a < TC_INJECT_ACTION_COUNT && strcmp(v->text, tc_inject_action_names[a]) != 0)
			a++;
		if (a == TC_INJECT_ACTION_COUNT) {
			ld_unknown_name(ld, v, "inject action", tc_inject_action_names,
			                TC_INJECT_ACTION_COUNT, "message, channel-down, channel-up, "
			                "set-staff, convene or end");
			return -1;
		}
		inj->action = (tc_inject_action)a;
	}
	int rc = action_keys(ld, n, inj->action, inj->id);
	if ((v = ld_required(ld, n, "at", what)))
		rc |= ld_time(ld, v, &inj->at);
	else
		rc = -1;
	if ((v = tc_ymap_get(n, "subject")))
		rc |= ld_string(ld, v, "a subject", &inj->subject);
	if ((v = tc_ymap_get(n, "description")))
		rc |= ld_string(ld, v, "a description", &inj->description);
	if ((v = tc_ymap_get(n, "expected")))
		rc |= ld_string(ld, v, "the expected action", &inj->expected);
	switch (inj->action) {
	case TC_INJECT_MESSAGE:
		rc |= message_inject(ld, n, inj, what);
		break;
	case TC_INJECT_CHANNEL_DOWN:
	case TC_INJECT_CHANNEL_UP:
		if ((v = ld_required(ld, n, "channel", what)))
			rc |= ld_ref(ld, v, LD_CHANNELS, "channel", &inj->target);
		else
			rc = -1;
		break;
	case TC_INJECT_SET_STAFF: {
		const tc_ynode *actor = ld_required(ld, n, "actor", what);
		const tc_ynode *staff = ld_required(ld, n, "staff", what);
		int64_t st = 0;
		rc |= actor ? ld_ref(ld, actor, LD_ACTORS, "actor", &inj->target) : -1;
		rc |= staff ? ld_int(ld, staff, 0, TC_MAX_STAFF, &st) : -1;
		inj->staff = (int)st;
		break;
	}
	case TC_INJECT_CONVENE:
		rc |= incident_of(ld, n, what, 0, &inj->incident);
		if ((v = ld_required(ld, n, "meeting", what)))
			rc |= ld_ref(ld, v, LD_MEETINGS, "meeting", &inj->target);
		else
			rc = -1;
		break;
	case TC_INJECT_END:
		break;
	}
	/* The other actions name an incident only for the record (inject-fired):
	 * checked all the same, never defaulted. */
	if (inj->action != TC_INJECT_MESSAGE && inj->action != TC_INJECT_CONVENE &&
	    (v = tc_ymap_get(n, "incident")))
		rc |= ld_ref(ld, v, LD_INCIDENTS, "incident", &inj->incident);
	return rc;
}

int ld_injects(loader *ld, const tc_ynode *seq)
{
	tc_scenario *s = ld->s;
	return ld_list(ld, seq, LD_INJECTS, "inject", 0, TC_MAX_INJECTS, sizeof *s->injects,
	               (void **)&s->injects, &s->inject_count, inject);
}

int ld_inject_objectives(loader *ld, const tc_ynode *seq)
{
	tc_scenario *s = ld->s;
	int rc = 0;
	const tc_ynode *v;
	/* Entries without an id were reported and not read. */
	for (size_t i = 0; s->injects && i < s->inject_count; i++)
		if (s->injects[i].id && (v = tc_ymap_get(seq->items[i], "objective")))
			rc |= ld_ref(ld, v, LD_OBJECTIVES, "objective", &s->injects[i].objective);
	return rc;
}

static int subject(loader *ld, const tc_ynode *v, tc_objective_def *o)
{
	if (ld_expect(ld, v, TC_YSCALAR, "an actor id, level:NAME or all-required"))
		return -1;
	if (strcmp(v->text, "all-required") == 0) {
		o->subject = TC_SUBJECT_ALL_REQUIRED;
		return 0;
	}
	if (strncmp(v->text, "level:", 6) == 0) {
		o->subject = TC_SUBJECT_LEVEL;
		return ld_level_in(ld, v, 6, &o->subject_level);
	}
	o->subject = TC_SUBJECT_ACTOR;
	return ld_ref(ld, v, LD_ACTORS, "actor", &o->subject_actor);
}

static int event(loader *ld, const tc_ynode *v, tc_objective_def *o)
{
	if (v->type == TC_YSCALAR && strcmp(v->text, "aware") == 0) {
		o->event = TC_EVENT_AWARE;
		return 0;
	}
	static const char *const keys[] = {"sends", "to", "meeting"};
	if (ld_expect(ld, v, TC_YMAP, "aware, {sends: KIND, to: ACTOR} or {meeting: ID}"))
		return -1;
	int rc = ld_keys(ld, v, keys, 3, "objective event");
	const tc_ynode *sends = tc_ymap_get(v, "sends"), *to = tc_ymap_get(v, "to");
	const tc_ynode *meeting = tc_ymap_get(v, "meeting");
	if (!sends == !meeting) {
		ld_error(ld, v, "expected exactly one of 'sends' or 'meeting' in an objective's event");
		return -1;
	}
	if (meeting) {
		o->event = TC_EVENT_MEETING_HELD;
		if (to) {
			ld_error(ld, to, "'to' goes with 'sends', not with 'meeting'");
			rc = -1;
		}
		return ld_ref(ld, meeting, LD_MEETINGS, "meeting", &o->meeting) | rc;
	}
	o->event = TC_EVENT_SENDS;
	rc |= ld_kind(ld, sends, &o->kind);
	if (to)
		rc |= ld_ref(ld, to, LD_ACTORS, "actor", &o->to_actor);
	return rc;
}

static int anchor(loader *ld, const tc_ynode *v, tc_objective_def *o)
{
	if (v->type == TC_YSCALAR) {
		if (strcmp(v->text, "start") == 0 || strcmp(v->text, "T+0") == 0) {
			o->anchor = TC_ANCHOR_T0;
			return 0;
		}
		if (strcmp(v->text, "incident-start") == 0) {
			o->anchor = TC_ANCHOR_INCIDENT_START;
			return 0;
		}
	}
	static const char *const keys[] = {"aware", "objective"};
	if (ld_expect(ld, v, TC_YMAP, "start, incident-start, {aware: ACTOR} or {objective: ID}"))
		return -1;
	int rc = ld_keys(ld, v, keys, 2, "objective anchor (after)");
	const tc_ynode *aware = tc_ymap_get(v, "aware"), *obj = tc_ymap_get(v, "objective");
	if (!aware == !obj) {
		ld_error(ld, v, "expected exactly one of 'aware' or 'objective' in 'after'");
		return -1;
	}
	if (aware) {
		o->anchor = TC_ANCHOR_AWARE;
		return ld_ref(ld, aware, LD_ACTORS, "actor", &o->anchor_actor) | rc;
	}
	/* Anchored on an objective only once it is known: the cycle check
	 * follows these links even in a file with errors. */
	if (ld_ref(ld, obj, LD_OBJECTIVES, "objective", &o->anchor_objective))
		return -1;
	o->anchor = TC_ANCHOR_OBJECTIVE;
	return rc;
}

static int objective(loader *ld, const tc_ynode *n, size_t index)
{
	static const char *const keys[] = {"id", "description", "incident", "subject", "event",
	                                   "within", "after"};
	tc_objective_def *o = &ld->s->objectives[index];
	char what[96];
	snprintf(what, sizeof what, "objective '%s'", o->id);
	int rc = ld_keys(ld, n, keys, sizeof keys / sizeof *keys, what);
	rc |= incident_of(ld, n, what, 1, &o->incident);
	const tc_ynode *v;
	o->to_actor = -1;
	o->meeting = -1;
	o->anchor = TC_ANCHOR_INCIDENT_START;
	if ((v = tc_ymap_get(n, "description")))
		rc |= ld_string(ld, v, "a description", &o->description);
	if ((v = ld_required(ld, n, "subject", what)))
		rc |= subject(ld, v, o);
	else
		rc = -1;
	if ((v = ld_required(ld, n, "event", what)))
		rc |= event(ld, v, o);
	else
		rc = -1;
	if ((v = ld_required(ld, n, "within", what))) {
		if (ld_duration(ld, v, &o->within)) {
			rc = -1;
		} else if (o->within.ms < 0 || o->within.months < 0) {
			ld_error(ld, v, "expected a deadline of zero or more, got '%s'", LD_EX(v));
			rc = -1;
		}
	} else {
		rc = -1;
	}
	if ((v = tc_ymap_get(n, "after")))
		rc |= anchor(ld, v, o);
	if (!rc && o->anchor == TC_ANCHOR_OBJECTIVE && (size_t)o->anchor_objective == index) {
		ld_error(ld, tc_ymap_get(v, "objective"), "objective '%s' cannot be anchored on itself",
		         o->id);
		rc = -1;
	}
	return rc;
}

int ld_objectives(loader *ld, const tc_ynode *seq)
{
	tc_scenario *s = ld->s;
	return ld_list(ld, seq, LD_OBJECTIVES, "objective", 0, TC_MAX_OBJECTIVES,
	               sizeof *s->objectives, (void **)&s->objectives, &s->objective_count, objective);
}
