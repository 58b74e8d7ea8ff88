/*
 * report.json: every figure of the metrics, as docs/report-schema.md lays
 * it out. Keys always appear in the documented order; times are integer
 * milliseconds and a value never reached is null, as in the event log.
 */
#include <stdio.h>

#include "core/jsonw.h"
#include "core/version.h"
#include "report/internal.h"
#include "report/report.h"

static void time_value(tc_jsonw *w, tc_time t)
{
	if (t == TC_TIME_NEVER)
		tc_jsonw_null(w);
	else
		tc_jsonw_int(w, t);
}

static void ktime(tc_jsonw *w, const char *key, tc_time t)
{
	tc_jsonw_key(w, key);
	time_value(w, t);
}

static void kuint(tc_jsonw *w, const char *key, uint64_t v)
{
	tc_jsonw_key(w, key);
	tc_jsonw_uint(w, v);
}

/* NaN (and any other non-finite value) is written null by the writer. */
static void kdouble(tc_jsonw *w, const char *key, double v)
{
	tc_jsonw_key(w, key);
	tc_jsonw_double(w, v);
}

/* A cause as the event log writes it: {"message": 12}, {"inject": "ID"},
 * {"meeting": 3}, {"script": 7}, or null. */
static void cause_value(tc_jsonw *w, const tc_setup *s, tc_cause c)
{
	const char *name = tc_cause_type_name(c.type);
	if (!name) {
		tc_jsonw_null(w);
		return;
	}
	tc_jsonw_object(w);
	if (c.type == TC_CAUSE_INJECT)
		tc_jsonw_kstr(w, name, report_inject(s, (int)c.id));
	else
		kuint(w, name, c.id);
	tc_jsonw_end(w);
}

static void scenario_json(tc_jsonw *w, const tc_setup *s)
{
	tc_jsonw_key(w, "scenario");
	tc_jsonw_object(w);
	tc_jsonw_kstr(w, "name", s->name);
	tc_jsonw_kstr(w, "file", s->file);
	tc_jsonw_kstr(w, "sha256", s->sha256);
	tc_jsonw_key(w, "sets");
	tc_jsonw_array(w);
	for (size_t i = 0; i < s->set_count; i++)
		tc_jsonw_str(w, s->sets[i]);
	tc_jsonw_end(w);
	kuint(w, "seed", s->seed);
	kuint(w, "replication", s->replication);
	tc_jsonw_kstr(w, "start", s->start);
	tc_jsonw_kint(w, "start_utc_ms", s->start_utc_ms);
	tc_jsonw_kstr(w, "timezone", s->timezone);
	ktime(w, "duration", s->duration);
	ktime(w, "until", s->until);
	tc_jsonw_end(w);
}

static void run_json(tc_jsonw *w, const tc_metrics *m)
{
	const tc_totals *t = &m->totals;
	tc_jsonw_key(w, "run");
	tc_jsonw_object(w);
	tc_jsonw_kstr(w, "tocsin", m->setup->tocsin_version);
	ktime(w, "span_start", t->span_start);
	ktime(w, "span_end", t->span_end);
	tc_jsonw_kstr(w, "end_reason", t->end_reason);
	kuint(w, "records", t->records);
	kuint(w, "events", t->events);
	tc_jsonw_end(w);
}

static void count_row(tc_jsonw *w, const tc_count_row *r)
{
	kuint(w, "messages", r->messages);
	kuint(w, "delivered", r->delivered);
	kuint(w, "lost", r->lost);
	kuint(w, "handled", r->handled);
}

static void totals_json(tc_jsonw *w, const tc_metrics *m)
{
	const tc_setup *s = m->setup;
	const tc_totals *t = &m->totals;
	tc_jsonw_key(w, "totals");
	tc_jsonw_object(w);
	kuint(w, "messages", t->messages);
	kuint(w, "delivered", t->delivered);
	kuint(w, "lost", t->lost);
	kuint(w, "handled", t->handled);
	kuint(w, "retries", t->retries);
	kuint(w, "meetings_held", t->meetings_held);
	kuint(w, "meetings_failed", t->meetings_failed);
	tc_jsonw_key(w, "by_kind");
	tc_jsonw_array(w);
	for (size_t k = 0; k < s->kind_count; k++) {
		tc_jsonw_object(w);
		tc_jsonw_kstr(w, "kind", s->kinds[k]);
		tc_jsonw_kbool(w, "informative", s->kind_informative[k]);
		count_row(w, &t->by_kind[k]);
		tc_jsonw_end(w);
	}
	tc_jsonw_end(w);
	tc_jsonw_key(w, "by_channel");
	tc_jsonw_array(w);
	/* The last row is direct delivery: no channel. */
	for (size_t c = 0; c <= s->channel_count; c++) {
		tc_jsonw_object(w);
		tc_jsonw_kstr(w, "channel", c < s->channel_count ? s->channels[c] : NULL);
		count_row(w, &t->by_channel[c]);
		tc_jsonw_end(w);
	}
	tc_jsonw_end(w);
	tc_jsonw_end(w);
}

static void causes_json(tc_jsonw *w, const char *key, const tc_time split[TC_PATH_CAUSE_COUNT])
{
	tc_jsonw_key(w, key);
	tc_jsonw_object(w);
	for (int c = 0; c < TC_PATH_CAUSE_COUNT; c++) {
		tc_jsonw_key(w, tc_path_cause_name((tc_path_cause)c));
		tc_jsonw_int(w, split[c]);
	}
	tc_jsonw_end(w);
}

/* One step: every key always present, null where it does not apply to the
 * step's type, so that the steps form a table. */
static void step_json(tc_jsonw *w, const tc_setup *s, const tc_path_step *st)
{
	tc_jsonw_object(w);
	tc_jsonw_kstr(w, "type", tc_step_type_name(st->type));
	tc_jsonw_key(w, "message");
	if (st->type == TC_STEP_MESSAGE)
		tc_jsonw_uint(w, st->id);
	else
		tc_jsonw_null(w);
	tc_jsonw_kstr(w, "inject", st->type == TC_STEP_INJECT ? report_inject(s, st->index) : NULL);
	tc_jsonw_kstr(w, "meeting",
	              st->type == TC_STEP_MEETING ? report_meeting(s, st->index) : NULL);
	tc_jsonw_key(w, "instance");
	if (st->type == TC_STEP_MEETING)
		tc_jsonw_uint(w, st->id);
	else
		tc_jsonw_null(w);
	tc_jsonw_key(w, "script");
	if (st->type == TC_STEP_SCRIPT)
		tc_jsonw_uint(w, st->id);
	else
		tc_jsonw_null(w);
	tc_jsonw_kstr(w, "from", report_actor(s, st->from));
	tc_jsonw_kstr(w, "to", report_actor(s, st->to));
	tc_jsonw_kstr(w, "actor", report_actor(s, st->actor));
	ktime(w, "start", st->start);
	ktime(w, "end", st->end);
	ktime(w, "length", st->end - st->start);
	causes_json(w, "causes", st->split);
	tc_jsonw_end(w);
}

static void path_json(tc_jsonw *w, const tc_setup *s, const tc_critical_path *p)
{
	int none = p->target_actor == TC_NONE;
	tc_jsonw_key(w, "critical_path");
	tc_jsonw_object(w);
	tc_jsonw_kstr(w, "target", report_actor(s, p->target_actor));
	tc_jsonw_kbool(w, "complete", p->complete);
	ktime(w, "start", none ? TC_TIME_NEVER : p->start);
	ktime(w, "end", none ? TC_TIME_NEVER : p->end);
	ktime(w, "length", none ? TC_TIME_NEVER : p->end - p->start);
	causes_json(w, "by_cause", p->by_cause);
	tc_jsonw_kstr(w, "bottleneck", report_actor(s, p->bottleneck));
	tc_jsonw_key(w, "by_actor");
	tc_jsonw_array(w);
	for (size_t i = 0; i < p->by_actor_count; i++) {
		tc_jsonw_object(w);
		tc_jsonw_kstr(w, "actor", report_actor(s, p->by_actor[i].actor));
		tc_jsonw_kint(w, "time", p->by_actor[i].time);
		tc_jsonw_end(w);
	}
	tc_jsonw_end(w);
	tc_jsonw_key(w, "steps");
	tc_jsonw_array(w);
	for (size_t i = 0; i < p->step_count; i++)
		step_json(w, s, &p->steps[i]);
	tc_jsonw_end(w);
	tc_jsonw_end(w);
}

static void objectives_json(tc_jsonw *w, const tc_metrics *m)
{
	const tc_setup *s = m->setup;
	char text[REPORT_OBJECTIVE_TEXT];
	tc_jsonw_key(w, "objectives");
	tc_jsonw_array(w);
	for (size_t i = 0; i < s->objective_count; i++) {
		const tc_objective_def *d = &s->objectives[i].def;
		const tc_objective_result *r = &m->objectives[i];
		tc_jsonw_object(w);
		tc_jsonw_kstr(w, "id", d->id);
		tc_jsonw_kstr(w, "description", d->description);
		tc_jsonw_kstr(w, "incident", report_incident(s, d->incident));
		report_objective_subject(s, d, text, sizeof text);
		tc_jsonw_kstr(w, "subject", text);
		report_objective_event(s, d, text, sizeof text);
		tc_jsonw_kstr(w, "event", text);
		tc_duration_format_full(d->within, text, sizeof text);
		tc_jsonw_kstr(w, "within", text);
		report_objective_after(s, d, text, sizeof text);
		tc_jsonw_kstr(w, "after", text);
		tc_jsonw_kstr(w, "verdict", tc_verdict_name(r->verdict));
		tc_jsonw_kstr(w, "reason", tc_objective_reason_name(r->reason));
		ktime(w, "anchor_at", r->anchor_at);
		ktime(w, "deadline", r->deadline);
		ktime(w, "event_at", r->event_at);
		ktime(w, "margin", r->margin);
		tc_jsonw_kint(w, "subjects", r->subjects);
		tc_jsonw_kint(w, "subjects_done", r->subjects_done);
		path_json(w, s, &r->path);
		tc_jsonw_end(w);
	}
	tc_jsonw_end(w);
}

static void incidents_json(tc_jsonw *w, const tc_metrics *m)
{
	const tc_setup *s = m->setup;
	tc_jsonw_key(w, "incidents");
	tc_jsonw_array(w);
	for (size_t i = 0; i < s->incident_count; i++) {
		const tc_setup_incident *in = &s->incidents[i];
		const tc_incident_metrics *im = &m->incidents[i];
		tc_jsonw_object(w);
		tc_jsonw_kstr(w, "id", in->id);
		tc_jsonw_kstr(w, "title", in->title);
		tc_jsonw_kint(w, "severity", in->severity);
		ktime(w, "start", in->start);
		tc_jsonw_kstr(w, "detector", report_actor(s, in->detector));
		tc_jsonw_kbool(w, "opened", in->opened);
		tc_jsonw_key(w, "required_actors");
		tc_jsonw_array(w);
		for (size_t k = 0; k < in->required_count; k++)
			tc_jsonw_str(w, report_actor(s, (int)in->required[k]));
		tc_jsonw_end(w);
		kuint(w, "required", im->required);
		kuint(w, "required_aware", im->required_aware);
		ktime(w, "cop_at", im->cop_at);
		ktime(w, "time_to_cop", im->time_to_cop);
		tc_jsonw_key(w, "levels");
		tc_jsonw_object(w);
		for (int l = 0; l < TC_LEVEL_COUNT; l++) {
			const tc_level_metrics *lm = &im->levels[l];
			tc_jsonw_key(w, tc_level_name((tc_level)l));
			tc_jsonw_object(w);
			kuint(w, "actors", lm->actors);
			kuint(w, "aware", lm->aware);
			ktime(w, "first", lm->first);
			ktime(w, "all", lm->all);
			tc_jsonw_end(w);
		}
		tc_jsonw_end(w);
		path_json(w, s, &im->path);
		tc_jsonw_end(w);
	}
	tc_jsonw_end(w);
}

static void actors_json(tc_jsonw *w, const tc_metrics *m)
{
	const tc_setup *s = m->setup;
	tc_jsonw_key(w, "actors");
	tc_jsonw_array(w);
	for (size_t i = 0; i < s->actor_count; i++) {
		const tc_setup_actor *sa = &s->actors[i];
		const tc_actor_metrics *am = &m->actors[i];
		tc_jsonw_object(w);
		tc_jsonw_kstr(w, "id", sa->id);
		tc_jsonw_kstr(w, "name", sa->name);
		tc_jsonw_kstr(w, "level", tc_level_name(sa->level));
		tc_jsonw_kint(w, "staff", sa->staff);
		kuint(w, "received", am->received);
		kuint(w, "handled", am->handled);
		kuint(w, "sent", am->sent);
		kuint(w, "lost", am->lost);
		kuint(w, "retries", am->retries);
		kuint(w, "meetings", am->meetings);
		tc_jsonw_kint(w, "busy_duty", am->busy_duty);
		tc_jsonw_kint(w, "busy_on_call", am->busy_on_call);
		tc_jsonw_kint(w, "capacity", am->capacity);
		kdouble(w, "utilisation", am->utilisation);
		kuint(w, "backlog_max", am->backlog_max);
		ktime(w, "backlog_max_at", am->backlog_max_at);
		kdouble(w, "backlog_mean", am->backlog_mean);
		tc_jsonw_key(w, "response");
		tc_jsonw_object(w);
		kuint(w, "count", am->response.count);
		ktime(w, "p50", am->response.p50);
		ktime(w, "p90", am->response.p90);
		ktime(w, "p99", am->response.p99);
		ktime(w, "max", am->response.max);
		kdouble(w, "mean", am->response.mean);
		tc_jsonw_end(w);
		tc_jsonw_kint(w, "queue", am->queue);
		tc_jsonw_kint(w, "off_hours", am->off_hours);
		tc_jsonw_kint(w, "handling", am->handling);
		tc_jsonw_end(w);
	}
	tc_jsonw_end(w);
}

static int is_required(const tc_setup_incident *in, size_t actor)
{
	for (size_t k = 0; k < in->required_count; k++)
		if (in->required[k] == actor)
			return 1;
	return 0;
}

static void awareness_json(tc_jsonw *w, const tc_metrics *m)
{
	const tc_setup *s = m->setup;
	tc_jsonw_key(w, "awareness");
	tc_jsonw_array(w);
	for (size_t i = 0; i < s->incident_count; i++) {
		for (size_t a = 0; a < s->actor_count; a++) {
			const tc_awareness *aw = &m->awareness[i * s->actor_count + a];
			tc_jsonw_object(w);
			tc_jsonw_kstr(w, "incident", s->incidents[i].id);
			tc_jsonw_kstr(w, "actor", s->actors[a].id);
			tc_jsonw_kbool(w, "required", is_required(&s->incidents[i], a));
			ktime(w, "at", aw->at);
			ktime(w, "since_start", aw->since_start);
			tc_jsonw_key(w, "cause");
			cause_value(w, s, aw->cause);
			tc_jsonw_end(w);
		}
	}
	tc_jsonw_end(w);
}

static void hop_json(tc_jsonw *w, const tc_setup *s, const tc_hop *h)
{
	tc_jsonw_object(w);
	kuint(w, "msg", h->msg);
	tc_jsonw_kstr(w, "kind", report_kind(s, h->kind));
	tc_jsonw_kstr(w, "from", report_actor(s, h->from));
	tc_jsonw_kstr(w, "to", report_actor(s, h->to));
	tc_jsonw_kstr(w, "incident", report_incident(s, h->incident));
	tc_jsonw_kstr(w, "channel", report_channel(s, h->channel));
	tc_jsonw_kint(w, "attempt", h->attempt);
	tc_jsonw_kint(w, "severity", h->severity);
	tc_jsonw_key(w, "binding");
	cause_value(w, s, h->binding);
	tc_jsonw_kstr(w, "status", tc_hop_status_name(h->status));
	tc_jsonw_kstr(w, "lost_reason", h->lost_reason);
	tc_jsonw_kbool(w, "on_call", h->on_call);
	ktime(w, "created", h->created);
	ktime(w, "sent", h->sent);
	ktime(w, "delivered", h->delivered);
	ktime(w, "started", h->started);
	ktime(w, "handled", h->handled);
	tc_jsonw_kint(w, "hold", h->hold);
	tc_jsonw_kint(w, "channel_delay", h->channel_delay);
	tc_jsonw_kint(w, "queue", h->queue);
	tc_jsonw_kint(w, "off_hours", h->off_hours);
	tc_jsonw_kint(w, "handling", h->handling);
	ktime(w, "total", h->total);
	tc_jsonw_end(w);
}

void tc_report_json(tc_buf *b, const tc_metrics *m)
{
	tc_jsonw w;
	tc_jsonw_init(&w, b);
	tc_jsonw_object(&w);
	tc_jsonw_kstr(&w, "format", "tocsin-report");
	tc_jsonw_kint(&w, "version", 1);
	tc_jsonw_kstr(&w, "tocsin", TOCSIN_VERSION);
	scenario_json(&w, m->setup);
	run_json(&w, m);
	totals_json(&w, m);
	objectives_json(&w, m);
	incidents_json(&w, m);
	actors_json(&w, m);
	awareness_json(&w, m);
	tc_jsonw_key(&w, "hops");
	tc_jsonw_array(&w);
	for (size_t i = 0; i < m->hop_count; i++)
		hop_json(&w, m->setup, &m->hops[i]);
	tc_jsonw_end(&w);
	tc_jsonw_end(&w);
	tc_buf_addc(b, '\n');
}
