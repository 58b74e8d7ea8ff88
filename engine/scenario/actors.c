/*
 * actors: the organisations of the exercise.
 */
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/rng.h"
#include "scenario/loader.h"

const tc_tz *ld_zone(loader *ld, const tc_ynode *n)
{
	tc_scenario *s = ld->s;
	if (ld_expect(ld, n, TC_YSCALAR, "an IANA time zone such as Europe/Paris"))
		return NULL;
	for (size_t i = 0; i < s->zone_count; i++)
		if (strcmp(tc_tz_name(&s->zones[i]), n->text) == 0)
			return &s->zones[i];
	if (s->zone_count == TC_MAX_ZONES) {
		ld_error(ld, n, "too many time zones (at most %d)", TC_MAX_ZONES);
		ld_status(ld, TC_ELIMIT);
		return NULL;
	}
	char err[256];
	tc_tz *tz = &s->zones[s->zone_count];
	int rc = tc_tz_load(tz, ld->alloc, n->text, err, sizeof err);
	if (rc == TC_ENOMEM) {
		ld_oom(ld);
		return NULL;
	}
	if (rc) {
		ld_error(ld, n, "%s", err);
		return NULL;
	}
	s->zone_count++;
	return tz;
}

static int schedule(loader *ld, const tc_ynode *n, actor_schedule *sc, int *always)
{
	tc_weekly_init(&sc->weekly);
	*always = 0;
	if (n->type == TC_YSCALAR && strcmp(n->text, "24/7") == 0) {
		tc_weekly_set_always(&sc->weekly);
		*always = 1;
		return 0;
	}
	if (ld_expect(ld, n, TC_YMAP, "24/7 or a weekly schedule such as {mon-fri: \"08:00-18:00\"}"))
		return -1;
	int rc = 0;
	for (size_t i = 0; i < n->count; i++) {
		const tc_ynode *days = n->items[2 * i], *hours = n->items[2 * i + 1];
		if (ld_expect(ld, hours, TC_YSCALAR, "hours such as \"08:00-18:00\"")) {
			rc = -1;
			continue;
		}
		char err[256];
		size_t off = 0;
		int err_in = 0;
		if (tc_weekly_add(&sc->weekly, days->text, days->len, hours->text, hours->len, err,
		                  sizeof err, &off, &err_in)) {
			ld_error_at(ld, err_in == TC_WEEKLY_ERR_HOURS ? hours : days, off, err);
			rc = -1;
		}
	}
	return rc;
}

static int holidays(loader *ld, const tc_ynode *n, actor_schedule *sc)
{
	if (ld_expect(ld, n, TC_YSEQ, "a list of dates (YYYY-MM-DD)"))
		return -1;
	sc->holidays = tc_calloc(ld->alloc, n->count ? n->count : 1, sizeof *sc->holidays);
	if (!sc->holidays) {
		ld_oom(ld);
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; i < n->count; i++) {
		const tc_ynode *d = n->items[i];
		char err[256];
		size_t off = 0;
		if (ld_expect(ld, d, TC_YSCALAR, "a date (YYYY-MM-DD)") ||
		    tc_date_parse(d->text, d->len, &sc->holidays[sc->holiday_count], err, sizeof err,
		                  &off)) {
			if (d->type == TC_YSCALAR)
				ld_error_at(ld, d, off, err);
			rc = -1;
			continue;
		}
		sc->holiday_count++;
	}
	return rc;
}

static int on_call(loader *ld, const tc_ynode *n, tc_on_call *oc)
{
	static const char *const keys[] = {"staff", "callout_delay", "min_severity", "stand_down"};
	if (ld_expect(ld, n, TC_YMAP, "{staff: N, callout_delay: DURATION, min_severity: LEVEL}"))
		return -1;
	int rc = ld_keys(ld, n, keys, 4, "on_call");
	const tc_ynode *staff = ld_required(ld, n, "staff", "on_call");
	const tc_ynode *delay = ld_required(ld, n, "callout_delay", "on_call");
	const tc_ynode *sev = tc_ymap_get(n, "min_severity");
	int64_t st = 0;
	if (!staff || !delay)
		rc = -1;
	if (staff)
		rc |= ld_int(ld, staff, 0, TC_MAX_STAFF, &st);
	if (delay)
		rc |= ld_span(ld, delay, &oc->callout_delay);
	if (delay && !rc && oc->callout_delay < 0) {
		ld_error(ld, delay, "expected a callout delay of zero or more");
		rc = -1;
	}
	oc->min_severity = 0;
	if (sev)
		rc |= ld_severity(ld, sev, &oc->min_severity);
	const tc_ynode *down = tc_ymap_get(n, "stand_down");
	oc->stand_down = TC_HOUR;
	if (down && ld_span(ld, down, &oc->stand_down)) {
		rc = -1;
	} else if (down && oc->stand_down < 0) {
		ld_error(ld, down, "expected a stand-down delay of zero or more");
		rc = -1;
	}
	oc->staff = (int)st;
	return rc;
}

static int handling(loader *ld, const tc_ynode *n, tc_actor_def *a, const char *what)
{
	tc_scenario *s = ld->s;
	if (ld_expect(ld, n, TC_YMAP, "handling times by message kind, with a default"))
		return -1;
	const tc_dist **by_kind = ld_alloc(ld, s->kind_count * sizeof *by_kind);
	if (!by_kind)
		return -1;
	int rc = 0, have_default = 0;
	for (size_t i = 0; i < n->count; i++) {
		const tc_ynode *k = n->items[2 * i], *v = n->items[2 * i + 1];
		if (strcmp(k->text, "default") == 0) {
			rc |= ld_dist(ld, v, &a->default_handling);
			have_default = 1;
			continue;
		}
		tc_kind_id kind;
		tc_dist *d = ld_alloc(ld, sizeof *d);
		if (!d || ld_kind(ld, k, &kind) || ld_dist(ld, v, d)) {
			rc = -1;
			continue;
		}
		by_kind[kind] = d;
	}
	if (!have_default) {
		ld_error(ld, n, "%s: handling: missing required key 'default' (the handling time of "
		                "kinds not listed)", what);
		rc = -1;
	}
	a->handling = by_kind;
	return rc;
}

/* Ids that recipients (SEND's to) and objective subjects read as keywords. */
static int is_reserved_actor_id(const char *id)
{
	static const char *const reserved[] = {"sender", "members", "required", "all-required"};
	for (size_t i = 0; i < sizeof reserved / sizeof *reserved; i++)
		if (strcmp(id, reserved[i]) == 0)
			return 1;
	return 0;
}

static int actor(loader *ld, const tc_ynode *n, size_t index)
{
	static const char *const keys[] = {"id", "name", "level", "scope", "staff", "timezone",
	                                   "schedule", "holidays", "on_call", "handling",
	                                   "members", "played_by"};
	tc_scenario *s = ld->s;
	tc_actor_def *a = &s->actors[index];
	actor_schedule *sc = &ld->schedules[index];
	char what[96];
	snprintf(what, sizeof what, "actor '%s'", a->id);
	int rc = ld_keys(ld, n, keys, sizeof keys / sizeof *keys, what);
	const tc_ynode *v;
	a->entity = tc_rng_entity(a->id);
	if (is_reserved_actor_id(a->id)) {
		ld_error(ld, tc_ymap_get(n, "id"), "'%s' cannot be an actor id: it is a recipient "
		                                   "keyword (to: %s)", a->id, a->id);
		rc = -1;
	}
	if ((v = tc_ymap_get(n, "name")))
		rc |= ld_string(ld, v, "a name", &a->name);
	else
		a->name = a->id;
	if ((v = ld_required(ld, n, "level", what)))
		rc |= ld_level(ld, v, &a->level);
	else
		rc = -1;
	if ((v = tc_ymap_get(n, "scope")))
		rc |= ld_string(ld, v, "a scope", &a->scope);
	int64_t staff = 1;
	if ((v = tc_ymap_get(n, "staff")))
		rc |= ld_int(ld, v, 0, TC_MAX_STAFF, &staff);
	a->staff = (int)staff;
	v = tc_ymap_get(n, "timezone");
	sc->tz = v ? ld_zone(ld, v) : s->tz;
	if (!sc->tz)
		rc = -1;
	a->timezone = sc->tz ? tc_tz_name(sc->tz) : s->timezone;
	if ((v = tc_ymap_get(n, "schedule")))
		rc |= schedule(ld, v, sc, &a->always_on_duty);
	else {
		tc_weekly_init(&sc->weekly);
		tc_weekly_set_always(&sc->weekly);
		a->always_on_duty = 1;
	}
	if ((v = tc_ymap_get(n, "holidays")))
		rc |= holidays(ld, v, sc);
	if (sc->holiday_count)
		a->always_on_duty = 0; /* 24/7 but for the holidays: a real timeline */
	if ((v = tc_ymap_get(n, "on_call")))
		rc |= on_call(ld, v, &a->on_call);
	if ((v = tc_ymap_get(n, "handling"))) {
		rc |= handling(ld, v, a, what);
	} else {
		ld_error(ld, n, "%s: missing required key 'handling' (e.g. handling: "
		                "{default: {dist: lognormal, median: 20m, p90: 1h}})", what);
		rc = -1;
	}
	if ((v = tc_ymap_get(n, "members"))) {
		uint32_t *members;
		rc |= ld_refs(ld, v, LD_ACTORS, "actor", &members, &a->member_count);
		a->members = members;
		for (size_t i = 0; members && i < a->member_count; i++)
			if (members[i] == index) {
				const tc_ynode *self = v;
				for (size_t k = 0; v->type == TC_YSEQ && k < v->count; k++)
					if (v->items[k]->type == TC_YSCALAR &&
					    strcmp(v->items[k]->text, a->id) == 0) {
						self = v->items[k];
						break;
					}
				ld_error(ld, self, "actor '%s' cannot be a member of itself", a->id);
				rc = -1;
			}
	}
	if ((v = tc_ymap_get(n, "played_by"))) {
		if (ld_expect(ld, v, TC_YSCALAR, "sim or human") ||
		    (strcmp(v->text, "sim") != 0 && strcmp(v->text, "human") != 0)) {
			if (v->type == TC_YSCALAR)
				ld_error(ld, v, "expected played_by: sim or human, got '%s'", LD_EX(v));
			rc = -1;
		} else {
			a->human = strcmp(v->text, "human") == 0;
		}
	}
	return rc;
}

int ld_actors(loader *ld, const tc_ynode *seq)
{
	tc_scenario *s = ld->s;
	size_t n = seq->type == TC_YSEQ ? seq->count : 0;
	if (n <= TC_MAX_ACTORS) {
		ld->schedules = tc_calloc(ld->alloc, n ? n : 1, sizeof *ld->schedules);
		if (!ld->schedules) {
			ld_oom(ld);
			return -1;
		}
	}
	return ld_list(ld, seq, LD_ACTORS, "actor", 1, TC_MAX_ACTORS, sizeof *s->actors,
	               (void **)&s->actors, &s->actor_count, actor);
}

int ld_compile_schedules(loader *ld, const tc_ynode *seq)
{
	tc_scenario *s = ld->s;
	int rc = 0;
	size_t intervals = 0;
	for (size_t i = 0; i < s->actor_count; i++) {
		tc_actor_def *a = &s->actors[i];
		actor_schedule *sc = &ld->schedules[i];
		if (!a->id || !sc->tz)
			continue;
		/* A day either side: shifts that straddle the span's ends count whole. */
		int err = tc_timeline_compile(&a->duty, ld->alloc, &sc->weekly, sc->holidays,
		                              sc->holiday_count, sc->tz, s->epoch_utc_ms,
		                              s->span_start - TC_DAY, s->duration + TC_DAY);
		if (err == TC_ENOMEM) {
			ld_oom(ld);
			return -1;
		}
		if (err) {
			ld_error(ld, seq->items[i], "actor '%s': cannot compile its schedule (%s)", a->id,
			         tc_strerror(err));
			rc = -1;
			continue;
		}
		/* Each actor's timeline is bounded by the span, but ten thousand
		 * actors with many short shifts would take gigabytes. */
		intervals += a->duty.count;
		if (intervals > TC_MAX_DUTY_INTERVALS) {
			ld_error(ld, seq->items[i], "the schedules of the actors up to '%s' already make "
			         "more than %d duty intervals over the exercise (the limit): shorten the "
			         "exercise or give fewer actors shifts", a->id, TC_MAX_DUTY_INTERVALS);
			ld_status(ld, TC_ELIMIT);
			return -1;
		}
	}
	return rc;
}
