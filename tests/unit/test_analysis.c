/*
 * The analysis against hand-computed answers: every expected figure below
 * is worked out from the scenario text in the comment above it (fixed
 * handling times and latencies make the runs exact), then the same run is
 * analysed again from its events.jsonl and must give identical metrics.
 */
#include "test_support.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analysis/analysis.h"
#include "analysis/feed.h"
#include "analysis/reader.h"
#include "core/error.h"
#include "sim/log_json.h"

#define MIN (60 * 1000LL)
#define HOUR (60 * MIN)

typedef struct analysed {
	tc_analysis *an;
	const tc_metrics *m;
} analysed;

/* Run s in memory with the analysis fed by the run. */
static analysed analyse(const tc_scenario *s)
{
	analysed r = {tc_analysis_new(tc_alloc_default()), NULL};
	assert_non_null(r.an);
	tc_analysis_feed feed;
	tc_analysis_feed_init(&feed, tc_alloc_default(), r.an, NULL);
	tc_sink sink = tc_analysis_feed_sink(&feed);
	tc_run_options opt = {.seed = 1, .until = TC_TIME_NEVER};
	tc_run *run = NULL;
	assert_int_equal(tc_run_new(&run, tc_alloc_default(), s, &opt, &sink), TC_OK);
	int rc = tc_run_execute(run);
	if (rc)
		fail_msg("run failed: %s / %s", tc_run_error_message(run), tc_analysis_error(r.an));
	tc_run_free(run);
	tc_analysis_feed_release(&feed);
	rc = tc_analysis_finish(r.an, &r.m);
	if (rc)
		fail_msg("analysis failed: %s", tc_analysis_error(r.an));
	return r;
}

/* Run s (seed 1) writing its events.jsonl at path. */
static void write_log(const tc_scenario *s, const char *path)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	tc_log_json log;
	tc_log_json_init(&log, tc_alloc_default(), f);
	tc_sink sink = tc_log_json_sink(&log);
	tc_run_options opt = {.seed = 1, .until = TC_TIME_NEVER};
	tc_run *run = NULL;
	assert_int_equal(tc_run_new(&run, tc_alloc_default(), s, &opt, &sink), TC_OK);
	assert_int_equal(tc_run_execute(run), TC_OK);
	tc_run_free(run);
	tc_log_json_release(&log);
	assert_int_equal(fclose(f), 0);
}

/* Run s writing events.jsonl, then analyse the file. */
static analysed analyse_log(const tc_scenario *s)
{
	char path[256];
	snprintf(path, sizeof path, "%s", test_write_temp("analysis-events.jsonl", ""));
	write_log(s, path);
	analysed r = {tc_analysis_new(tc_alloc_default()), NULL};
	char err[512];
	int rc = tc_read_events_file(r.an, path, &r.m, err, sizeof err);
	if (rc)
		fail_msg("reading the log failed: %s", err);
	remove(path);
	return r;
}

static void done(analysed *r)
{
	tc_analysis_free(r->an);
}

static int actor(const tc_metrics *m, const char *id)
{
	int a = tc_setup_actor_index(m->setup, id);
	if (a < 0)
		fail_msg("no actor %s", id);
	return a;
}

static const tc_objective_result *objective(const tc_metrics *m, const char *id)
{
	for (size_t i = 0; i < m->setup->objective_count; i++)
		if (strcmp(m->setup->objectives[i].def.id, id) == 0)
			return &m->objectives[i];
	fail_msg("no objective %s", id);
	return NULL;
}

static const tc_hop *hop_of_kind(const tc_metrics *m, const char *kind, int attempt)
{
	int k = tc_setup_kind_index(m->setup, kind);
	for (size_t i = 0; i < m->hop_count; i++)
		if (m->hops[i].kind == k && m->hops[i].attempt == attempt)
			return &m->hops[i];
	fail_msg("no %s message, attempt %d", kind, attempt);
	return NULL;
}

/*
 * Friday 16:00 UTC is T+0; the incident starts then. The victim (always on
 * duty) gets an alert at T+00:30 and handles it in 10 min; its doctrine
 * sends an early warning (EW) over a 5 min channel. The CERT works Mon-Fri
 * 09:00-17:00 and is handling an ack (25 min) from T+00:35 to T+01:00 when
 * the EW arrives at T+00:45: 15 min queued behind it, then off duty from
 * 17:00 until Monday 09:00 = T+65:00 (64 h off hours), handled in 20 min
 * (CERT aware at T+65:20). Its doctrine notifies ANSSI (5 min channel,
 * 30 min handling): ANSSI aware at T+65:55, the last of the three required.
 */
static const char chain_yaml[] =
	"exercise: {name: chain, start: '2022-08-19T16:00:00Z', duration: 3d}\n"
	"actors:\n"
	"  - {id: victim, level: technical, handling: {default: 10m}}\n"
	"  - {id: cert, level: operational, schedule: {mon-fri: '09:00-17:00'},\n"
	"     handling: {default: 20m, ack: 25m}}\n"
	"  - {id: anssi, level: strategic, handling: {default: 30m}}\n"
	"channels: [{id: mail, latency: 5m}]\n"
	"incidents: [{id: i, start: T+0, required: [victim, cert, anssi]}]\n"
	"doctrine:\n"
	"  name: d\n"
	"  rules:\n"
	"    - {actor: victim, on: alert, send: {kind: early-warning, to: cert}}\n"
	"    - {actor: cert, on: early-warning, send: {kind: incident-notification, to: anssi}}\n"
	"injects:\n"
	"  - {id: detect, at: T+00:30, to: victim, kind: alert}\n"
	"  - {id: noise, at: T+00:35, to: cert, kind: ack}\n"
	"objectives:\n"
	"  - {id: ew-15m, subject: victim, event: {sends: early-warning, to: cert}, within: 15m,\n"
	"     after: {aware: victim}}\n"
	"  - {id: cert-boundary, subject: cert, event: aware, within: 65h20m}\n"
	"  - {id: anssi-late, subject: anssi, event: aware, within: 65h54m}\n"
	"  - {id: picture-1d, subject: all-required, event: aware, within: 1d}\n"
	"  - {id: decision-never, subject: anssi, event: {sends: decision}, within: 1h}\n"
	"  - {id: decision-open, subject: anssi, event: {sends: decision}, within: 100h}\n"
	"  - {id: notify-after, subject: cert, event: {sends: incident-notification, to: anssi},\n"
	"     within: 1m, after: {objective: cert-boundary}}\n";

static void check_chain(const tc_metrics *m)
{
	int victim = actor(m, "victim"), cert = actor(m, "cert"), anssi = actor(m, "anssi");
	size_t na = m->setup->actor_count;

	/* Awareness, from the incident's start (T+0). */
	assert_int_equal(m->awareness[victim].at, 40 * MIN);
	assert_int_equal(m->awareness[cert].since_start, 65 * HOUR + 20 * MIN);
	assert_int_equal(m->awareness[anssi].at, 65 * HOUR + 55 * MIN);
	assert_int_equal(m->awareness[anssi].cause.type, TC_CAUSE_MESSAGE);

	/* The common picture and the levels. */
	const tc_incident_metrics *im = &m->incidents[0];
	assert_int_equal(im->required, 3);
	assert_int_equal(im->required_aware, 3);
	assert_int_equal(im->time_to_cop, 65 * HOUR + 55 * MIN);
	assert_int_equal(im->levels[TC_LEVEL_TECHNICAL].first, 40 * MIN);
	assert_int_equal(im->levels[TC_LEVEL_TECHNICAL].all, 40 * MIN);
	assert_int_equal(im->levels[TC_LEVEL_OPERATIONAL].all, 65 * HOUR + 20 * MIN);
	assert_int_equal(im->levels[TC_LEVEL_STRATEGIC].first, 65 * HOUR + 55 * MIN);
	assert_int_equal(im->levels[TC_LEVEL_POLITICAL].actors, 0);
	assert_int_equal(im->levels[TC_LEVEL_POLITICAL].first, TC_TIME_NEVER);
	assert_int_equal(im->levels[TC_LEVEL_POLITICAL].all, TC_TIME_NEVER);

	/* The hops. */
	assert_int_equal(m->hop_count, 4);
	const tc_hop *alert = hop_of_kind(m, "alert", 1);
	assert_int_equal(alert->from, TC_NONE);
	assert_int_equal(alert->channel, TC_NONE);
	assert_int_equal(alert->total, 10 * MIN);
	const tc_hop *ew = hop_of_kind(m, "early-warning", 1);
	assert_int_equal(ew->status, TC_HOP_HANDLED);
	assert_int_equal(ew->created, 40 * MIN);
	assert_int_equal(ew->delivered, 45 * MIN);
	assert_int_equal(ew->started, 65 * HOUR);
	assert_int_equal(ew->channel_delay, 5 * MIN);
	assert_int_equal(ew->queue, 15 * MIN);
	assert_int_equal(ew->off_hours, 64 * HOUR);
	assert_int_equal(ew->handling, 20 * MIN);
	assert_int_equal(ew->total, 64 * HOUR + 40 * MIN);
	assert_int_equal(hop_of_kind(m, "incident-notification", 1)->total, 35 * MIN);

	/* CERT: 45 min busy (ack 25 + EW 20) in 8 h on duty (Friday 16-17,
	 * Monday 09:00 to the end at T+72:00 = Monday 16:00). Backlog 1 from
	 * T+00:45 to T+65:00 over a 72 h span. Responses 25 min and 64 h 35 min. */
	const tc_actor_metrics *c = &m->actors[cert];
	assert_int_equal(c->received, 2);
	assert_int_equal(c->handled, 2);
	assert_int_equal(c->sent, 1);
	assert_int_equal(c->busy_duty, 45 * MIN);
	assert_int_equal(c->busy_on_call, 0);
	assert_int_equal(c->capacity, 8 * HOUR);
	assert_true(fabs(c->utilisation - 45.0 / 480.0) < 1e-12);
	assert_int_equal(c->backlog_max, 1);
	assert_int_equal(c->backlog_max_at, 45 * MIN);
	assert_true(fabs(c->backlog_mean - 3855.0 / 4320.0) < 1e-12);
	assert_int_equal(c->response.count, 2);
	assert_int_equal(c->response.p50, 25 * MIN);
	assert_int_equal(c->response.p90, 64 * HOUR + 35 * MIN);
	assert_int_equal(c->response.p99, 64 * HOUR + 35 * MIN);
	assert_true(fabs(c->response.mean - 1950.0 * MIN) < 1e-6);
	assert_int_equal(c->off_hours, 64 * HOUR);
	/* The victim is always on duty: 72 h of capacity, 10 min busy. */
	assert_int_equal(m->actors[victim].capacity, 72 * HOUR);
	assert_int_equal(m->actors[victim].busy_duty, 10 * MIN);
	/* Its alert was taken at once: it never had a backlog. */
	assert_int_equal(m->actors[victim].backlog_max, 0);
	assert_int_equal(m->actors[victim].backlog_max_at, TC_TIME_NEVER);

	/* The critical path: detection 30 min, the alert (10 min handling),
	 * the EW (5 + 15 + 64 h + 20 min), the notification (5 + 30 min). */
	const tc_critical_path *p = &im->path;
	assert_int_equal(p->target_actor, anssi);
	assert_true(p->complete);
	assert_int_equal(p->start, 0);
	assert_int_equal(p->end, 65 * HOUR + 55 * MIN);
	assert_int_equal(p->step_count, 5);
	assert_int_equal(p->steps[0].type, TC_STEP_INCIDENT);
	assert_int_equal(p->steps[0].split[TC_PATH_DETECTION], 30 * MIN);
	assert_int_equal(p->steps[1].type, TC_STEP_INJECT);
	assert_int_equal(p->steps[1].start, 30 * MIN);
	assert_int_equal(p->steps[2].type, TC_STEP_MESSAGE);
	assert_int_equal(p->steps[2].id, alert->msg);
	assert_int_equal(p->steps[3].id, ew->msg);
	assert_int_equal(p->steps[3].split[TC_PATH_OFF_HOURS], 64 * HOUR);
	assert_int_equal(p->steps[3].split[TC_PATH_QUEUE], 15 * MIN);
	assert_int_equal(p->by_cause[TC_PATH_DETECTION], 30 * MIN);
	assert_int_equal(p->by_cause[TC_PATH_CHANNEL], 10 * MIN);
	assert_int_equal(p->by_cause[TC_PATH_QUEUE], 15 * MIN);
	assert_int_equal(p->by_cause[TC_PATH_OFF_HOURS], 64 * HOUR);
	assert_int_equal(p->by_cause[TC_PATH_HANDLING], 60 * MIN);
	assert_int_equal(p->by_cause[TC_PATH_REACTION], 0);
	tc_time sum = 0;
	for (int k = 0; k < TC_PATH_CAUSE_COUNT; k++)
		sum += p->by_cause[k];
	assert_int_equal(sum, p->end - p->start);
	assert_int_equal(p->bottleneck, cert);
	assert_int_equal(p->by_actor_count, 3);
	assert_int_equal(p->by_actor[0].time, 64 * HOUR + 35 * MIN);
	assert_int_equal(p->by_actor[1].actor, anssi);
	assert_int_equal(p->by_actor[1].time, 30 * MIN);
	assert_int_equal(p->by_actor[2].actor, victim);
	assert_int_equal(p->by_actor[2].time, 10 * MIN);

	/* Objectives: met, met at the boundary, late by a minute, late by
	 * 41 h 55 min, never, open, and anchored on another objective. */
	const tc_objective_result *o = objective(m, "ew-15m");
	assert_int_equal(o->verdict, TC_VERDICT_MET);
	assert_int_equal(o->anchor_at, 40 * MIN);
	assert_int_equal(o->deadline, 55 * MIN);
	assert_int_equal(o->event_at, 40 * MIN);
	assert_int_equal(o->margin, 15 * MIN);
	o = objective(m, "cert-boundary");
	assert_int_equal(o->verdict, TC_VERDICT_MET);
	assert_int_equal(o->margin, 0);
	o = objective(m, "anssi-late");
	assert_int_equal(o->verdict, TC_VERDICT_MISSED);
	assert_int_equal(o->reason, TC_REASON_LATE);
	assert_int_equal(o->margin, -MIN);
	o = objective(m, "picture-1d");
	assert_int_equal(o->verdict, TC_VERDICT_MISSED);
	assert_int_equal(o->subjects, 3);
	assert_int_equal(o->subjects_done, 3);
	assert_int_equal(o->margin, 24 * HOUR - (65 * HOUR + 55 * MIN));
	o = objective(m, "decision-never");
	assert_int_equal(o->verdict, TC_VERDICT_MISSED);
	assert_int_equal(o->reason, TC_REASON_NEVER);
	assert_int_equal(o->event_at, TC_TIME_NEVER);
	assert_int_equal(o->margin, TC_TIME_NEVER);
	o = objective(m, "decision-open");
	assert_int_equal(o->verdict, TC_VERDICT_OPEN);
	assert_int_equal(o->reason, TC_REASON_RUN_ENDED);
	assert_int_equal(o->deadline, 100 * HOUR);
	o = objective(m, "notify-after");
	assert_int_equal(o->verdict, TC_VERDICT_MET);
	assert_int_equal(o->anchor_at, 65 * HOUR + 20 * MIN);
	assert_int_equal(o->margin, MIN);

	/* Objectives' own chains. The EW left the victim at T+00:40: detection
	 * 30 min, the alert's 10 min, then the EW itself, sent at once. */
	const tc_critical_path *op = &objective(m, "ew-15m")->path;
	assert_int_equal(op->target_actor, victim);
	assert_int_equal(op->end, 40 * MIN);
	assert_int_equal(op->step_count, 4);
	assert_int_equal(op->steps[3].type, TC_STEP_MESSAGE);
	assert_int_equal(op->steps[3].id, ew->msg);
	assert_int_equal(op->steps[3].start, op->steps[3].end);
	assert_int_equal(op->by_cause[TC_PATH_DETECTION], 30 * MIN);
	assert_int_equal(op->by_cause[TC_PATH_HANDLING], 10 * MIN);
	assert_int_equal(op->bottleneck, victim);
	/* The notification left the CERT at T+65:20, the moment it was aware:
	 * the path to the CERT's awareness, then the notification (0 s). */
	op = &objective(m, "notify-after")->path;
	assert_int_equal(op->target_actor, cert);
	assert_int_equal(op->end - op->start, 65 * HOUR + 20 * MIN);
	assert_int_equal(op->by_cause[TC_PATH_OFF_HOURS], 64 * HOUR);
	assert_int_equal(op->bottleneck, cert);
	/* Awareness objectives follow the awareness; a never-met one has none. */
	assert_int_equal(objective(m, "anssi-late")->path.end, p->end);
	assert_int_equal(objective(m, "anssi-late")->path.step_count, p->step_count);
	assert_int_equal(objective(m, "decision-never")->path.target_actor, TC_NONE);
	assert_int_equal(objective(m, "decision-never")->path.step_count, 0);

	/* Totals. */
	assert_int_equal(m->totals.messages, 4);
	assert_int_equal(m->totals.handled, 4);
	assert_int_equal(m->totals.lost, 0);
	assert_int_equal(m->totals.by_kind[tc_setup_kind_index(m->setup, "ack")].messages, 1);
	assert_int_equal(m->totals.by_channel[0].messages, 2);           /* mail */
	assert_int_equal(m->totals.by_channel[m->setup->channel_count].messages, 2); /* direct */
	assert_int_equal(m->totals.span_end, 72 * HOUR);
	assert_string_equal(m->totals.end_reason, "duration");
	assert_true(m->totals.events > 0);
	(void)na;
}

static void chain_through_queue_and_off_hours(void **state)
{
	(void)state;
	tc_scenario *s = test_scenario("chain.yaml", chain_yaml);
	analysed r = analyse(s);
	check_chain(r.m);
	done(&r);
	tc_scenario_free(s);
}

/* Field-by-field equality of two analyses of one run. */
static void assert_same_metrics(const tc_metrics *a, const tc_metrics *b)
{
	const tc_setup *s = a->setup;
	assert_int_equal(a->hop_count, b->hop_count);
	for (size_t i = 0; i < a->hop_count; i++) {
		const tc_hop *x = &a->hops[i], *y = &b->hops[i];
		assert_int_equal(x->msg, y->msg);
		assert_int_equal(x->kind, y->kind);
		assert_int_equal(x->from, y->from);
		assert_int_equal(x->to, y->to);
		assert_int_equal(x->incident, y->incident);
		assert_int_equal(x->channel, y->channel);
		assert_int_equal(x->status, y->status);
		assert_int_equal(x->binding.type, y->binding.type);
		assert_int_equal(x->binding.id, y->binding.id);
		assert_int_equal(x->created, y->created);
		assert_int_equal(x->sent, y->sent);
		assert_int_equal(x->delivered, y->delivered);
		assert_int_equal(x->handled, y->handled);
		assert_int_equal(x->total, y->total);
		assert_int_equal(x->off_hours, y->off_hours);
	}
	for (size_t i = 0; i < s->actor_count; i++) {
		const tc_actor_metrics *x = &a->actors[i], *y = &b->actors[i];
		assert_int_equal(x->busy_duty, y->busy_duty);
		assert_int_equal(x->busy_on_call, y->busy_on_call);
		assert_int_equal(x->capacity, y->capacity);
		assert_int_equal(x->backlog_max, y->backlog_max);
		assert_memory_equal(&x->backlog_mean, &y->backlog_mean, sizeof(double));
		assert_int_equal(x->response.p90, y->response.p90);
	}
	assert_int_equal(s->incident_count, b->setup->incident_count);
	for (size_t i = 0; i < s->incident_count * s->actor_count; i++)
		assert_int_equal(a->awareness[i].at, b->awareness[i].at);
	for (size_t i = 0; i < s->incident_count; i++) {
		const tc_critical_path *x = &a->incidents[i].path, *y = &b->incidents[i].path;
		assert_int_equal(a->incidents[i].cop_at, b->incidents[i].cop_at);
		assert_int_equal(x->step_count, y->step_count);
		for (size_t k = 0; k < x->step_count; k++) {
			const tc_path_step *p = &x->steps[k], *q = &y->steps[k];
			assert_int_equal(p->type, q->type);
			assert_int_equal(p->id, q->id);
			assert_int_equal(p->index, q->index);
			assert_int_equal(p->from, q->from);
			assert_int_equal(p->to, q->to);
			assert_int_equal(p->actor, q->actor);
			assert_int_equal(p->start, q->start);
			assert_int_equal(p->end, q->end);
			assert_memory_equal(p->split, q->split, sizeof p->split);
		}
		assert_memory_equal(x->by_cause, y->by_cause, sizeof x->by_cause);
	}
	for (size_t i = 0; i < s->objective_count; i++) {
		const tc_objective_result *x = &a->objectives[i], *y = &b->objectives[i];
		assert_int_equal(x->verdict, y->verdict);
		assert_int_equal(x->reason, y->reason);
		assert_int_equal(x->anchor_at, y->anchor_at);
		assert_int_equal(x->deadline, y->deadline);
		assert_int_equal(x->event_at, y->event_at);
		assert_int_equal(x->margin, y->margin);
		assert_int_equal(x->subjects_done, y->subjects_done);
	}
	assert_int_equal(a->totals.records, b->totals.records);
	assert_int_equal(a->totals.events, b->totals.events);
}

/* The log gives the same figures as the running simulation. */
static void log_and_memory_agree(void **state)
{
	(void)state;
	tc_scenario *s = test_scenario("chain.yaml", chain_yaml);
	analysed mem = analyse(s), file = analyse_log(s);
	check_chain(file.m);
	assert_same_metrics(mem.m, file.m);
	done(&mem);
	done(&file);
	tc_scenario_free(s);
}

/*
 * A retry on the critical path. Mail (preferred) loses all but one message
 * in a million (seed 1 draws a loss for the first); the
 * phone (priority 2) is up. The victim handles the alert 0-10 min and sends
 * its EW by mail (lost at 15 min). An inject takes mail down at T+00:30, so
 * the retry at 70 min goes by phone (5 min), handled by the CERT 75-95 min.
 * Path: the alert (10 min handling), the lost EW (60 min retry wait, charged
 * to the victim), the retry (5 + 20 min).
 */
static void retry_on_the_critical_path(void **state)
{
	(void)state;
	tc_scenario *s = test_scenario("retry.yaml",
		"exercise: {name: retry, start: '2022-08-22T00:00:00Z', duration: 1d}\n"
		"actors:\n"
		"  - {id: victim, level: technical, handling: {default: 10m}}\n"
		"  - {id: cert, level: technical, handling: {default: 20m}}\n"
		"channels:\n"
		"  - {id: mail, latency: 5m, loss: 0.999999, priority: 1}\n"
		"  - {id: phone, latency: 5m, priority: 2}\n"
		"incidents: [{id: i, required: [victim, cert]}]\n"
		"doctrine:\n"
		"  name: d\n"
		"  rules:\n"
		"    - {actor: victim, on: alert, send: {kind: early-warning, to: cert,\n"
		"       retry: {after: 1h, max: 1}}}\n"
		"injects:\n"
		"  - {id: detect, at: T+0, to: victim, kind: alert}\n"
		"  - {id: cut, at: T+00:30, action: channel-down, channel: mail}\n");
	analysed r = analyse(s);
	const tc_metrics *m = r.m;
	const tc_hop *lost = hop_of_kind(m, "early-warning", 1);
	assert_int_equal(lost->status, TC_HOP_LOST);
	assert_string_equal(lost->lost_reason, "lost in transit");
	assert_int_equal(lost->total, TC_TIME_NEVER);
	const tc_hop *retry = hop_of_kind(m, "early-warning", 2);
	assert_int_equal(retry->status, TC_HOP_HANDLED);
	assert_int_equal(retry->channel, tc_setup_channel_index(m->setup, "phone"));
	int victim = actor(m, "victim");
	assert_int_equal(m->actors[victim].lost, 1);
	assert_int_equal(m->actors[victim].retries, 1);
	assert_int_equal(m->totals.retries, 1);
	assert_int_equal(m->totals.lost, 1);

	const tc_critical_path *p = &m->incidents[0].path;
	assert_int_equal(p->end, 95 * MIN);
	assert_int_equal(p->by_cause[TC_PATH_RETRY], 60 * MIN);
	assert_int_equal(p->by_cause[TC_PATH_HANDLING], 30 * MIN);
	assert_int_equal(p->by_cause[TC_PATH_CHANNEL], 5 * MIN);
	assert_int_equal(p->by_cause[TC_PATH_DETECTION], 0);
	assert_int_equal(p->bottleneck, victim);
	assert_int_equal(p->by_actor[0].time, 70 * MIN);
	done(&r);
	tc_scenario_free(s);
}

/* A meeting on the path: every step's causes add up to its span, and the
 * steps tile the path from the incident's start to the last awareness. */
static void meeting_on_the_critical_path(void **state)
{
	(void)state;
	tc_scenario *s = test_scenario("meet.yaml",
		"exercise: {name: meet, start: '2022-08-22T00:00:00Z', duration: 1d}\n"
		"actors:\n"
		"  - {id: chair, level: operational, staff: 1, handling: {default: 10m, convene: 5m}}\n"
		"  - {id: p1, level: technical, staff: 1, handling: {default: 10m, convene: 5m}}\n"
		"  - {id: out, level: strategic, handling: {default: 10m}}\n"
		"channels: [{id: svc, latency: 2m}]\n"
		"incidents: [{id: i, required: [chair, p1, out]}]\n"
		"meetings:\n"
		"  - {id: m, chair: chair, participants: [chair, p1], quorum: 2, duration: 1h,\n"
		"     quorum_timeout: 3h, outcome: [{kind: decision, to: out}]}\n"
		"doctrine: {name: d, rules: [{actor: chair, on: alert, convene: m}]}\n"
		"injects:\n"
		"  - {id: go, at: T+0, to: chair, kind: alert}\n");
	analysed r = analyse(s);
	const tc_metrics *m = r.m;
	const tc_critical_path *p = &m->incidents[0].path;
	assert_int_equal(p->target_actor, actor(m, "out"));
	assert_int_equal(m->totals.meetings_held, 1);
	int saw_meeting = 0;
	tc_time at = p->start;
	for (size_t i = 0; i < p->step_count; i++) {
		const tc_path_step *st = &p->steps[i];
		tc_time sum = 0;
		for (int k = 0; k < TC_PATH_CAUSE_COUNT; k++)
			sum += st->split[k];
		assert_int_equal(st->start, at);
		assert_int_equal(sum, st->end - st->start);
		at = st->end;
		if (st->type == TC_STEP_MEETING) {
			saw_meeting = 1;
			assert_int_equal(st->split[TC_PATH_MEETING], HOUR);
		}
	}
	assert_int_equal(at, p->end);
	assert_true(saw_meeting);
	assert_int_equal(p->end, m->incidents[0].cop_at);
	/* Both attendees sat an hour: it counts as busy time. */
	assert_true(m->actors[actor(m, "p1")].busy_duty >= HOUR);
	done(&r);
	tc_scenario_free(s);
}

/*
 * A meeting that runs past the end of the day: Monday 16:30 UTC is T+0, both
 * work 09:00-17:00. The chair handles the alert (16:30-16:40) and its own
 * convocation (16:40-16:45) and sits from 16:45; p1 gets the convocation at
 * 16:42 (2 min channel), handles it 16:42-16:47 and sits from 16:47, when
 * the quorum of 2 starts the hour's meeting, which ends at 17:47. Seat time
 * before 17:00 is on-duty work (chair 15 min, p1 13 min), after it on-call
 * work (47 min each): utilisation compares on-duty work with on-duty time.
 */
static void meeting_seats_split_at_the_end_of_duty(void **state)
{
	(void)state;
	tc_scenario *s = test_scenario("seats.yaml",
		"exercise: {name: seats, start: '2022-08-22T16:30:00Z', duration: 1d}\n"
		"actors:\n"
		"  - {id: chair, level: operational, schedule: {mon-fri: '09:00-17:00'},\n"
		"     handling: {default: 10m, convene: 5m}}\n"
		"  - {id: p1, level: technical, schedule: {mon-fri: '09:00-17:00'},\n"
		"     handling: {default: 10m, convene: 5m}}\n"
		"channels: [{id: svc, latency: 2m}]\n"
		"incidents: [{id: i, required: [chair, p1]}]\n"
		"meetings:\n"
		"  - {id: m, chair: chair, participants: [chair, p1], quorum: 2, duration: 1h}\n"
		"doctrine: {name: d, rules: [{actor: chair, on: alert, convene: m}]}\n"
		"injects:\n"
		"  - {id: go, at: T+0, to: chair, kind: alert}\n");
	analysed r = analyse(s);
	const tc_metrics *m = r.m;
	assert_int_equal(m->totals.meetings_held, 1);
	const tc_actor_metrics *chair = &m->actors[actor(m, "chair")];
	const tc_actor_metrics *p1 = &m->actors[actor(m, "p1")];
	assert_int_equal(chair->busy_duty, 30 * MIN);      /* 10 + 5 handling, 15 seat */
	assert_int_equal(chair->busy_on_call, 47 * MIN);
	assert_int_equal(p1->busy_duty, 18 * MIN);         /* 5 handling, 13 seat */
	assert_int_equal(p1->busy_on_call, 47 * MIN);
	done(&r);
	r = analyse_log(s);
	assert_int_equal(r.m->actors[actor(r.m, "chair")].busy_on_call, 47 * MIN);
	done(&r);
	tc_scenario_free(s);
}

/*
 * The duty an actor actually had: Friday 1 March 2024 09:00 UTC is T+0; boss
 * works Mon-Fri 09:00-17:00. Its script puts it on duty at 14:00 (T+5h),
 * off at 19:00 (T+10h) and back to its schedule at 21:00 (T+12h). Over the
 * span and a day either side, [T-24h, T+72h): Thursday's shift
 * [T-24h, T-16h), then Friday's from T+0 joined by the override to T+10h;
 * nothing more until Monday 09:00, T+72h, outside.
 */
static void duty_follows_hours_changes(void **state)
{
	(void)state;
	static char lua[4096];
	snprintf(lua, sizeof lua, "%s", test_write_temp("hours.lua",
		"tocsin.at('T+5h', function() tocsin.set_hours('boss', 'always') end)\n"
		"tocsin.at('T+10h', function() tocsin.set_hours('boss', 'off') end)\n"
		"tocsin.at('T+12h', function() tocsin.set_hours('boss', 'schedule') end)\n"));
	char yaml[8192];
	snprintf(yaml, sizeof yaml,
		"exercise: {name: hours, start: '2024-03-01T09:00:00Z', duration: 2d}\n"
		"actors:\n"
		"  - {id: boss, level: strategic, handling: {default: 10m},\n"
		"     schedule: {mon-fri: '09:00-17:00'}}\n"
		"  - {id: desk, level: technical, handling: {default: 10m}}\n"
		"incidents: [{id: i, required: boss}]\n"
		"scripts: [%s]\n", strrchr(lua, '/') + 1);
	tc_scenario *s = test_scenario("hours.yaml", yaml);
	analysed r = analyse(s);
	const tc_timeline *d = &r.m->actors[actor(r.m, "boss")].duty;
	assert_int_equal(d->count, 2);
	assert_int_equal(d->iv[0].start, -24 * HOUR);
	assert_int_equal(d->iv[0].end, -16 * HOUR);
	assert_int_equal(d->iv[1].start, 0);
	assert_int_equal(d->iv[1].end, 10 * HOUR);
	assert_true(tc_timeline_contains(d, 9 * HOUR));
	assert_false(tc_timeline_contains(d, 11 * HOUR));
	/* Always on duty: the whole range, one interval. */
	const tc_timeline *desk = &r.m->actors[actor(r.m, "desk")].duty;
	assert_int_equal(desk->count, 1);
	assert_int_equal(desk->iv[0].start, -24 * HOUR);
	assert_int_equal(desk->iv[0].end, 72 * HOUR);
	done(&r);
	r = analyse_log(s);
	assert_int_equal(r.m->actors[actor(r.m, "boss")].duty.count, 2);
	assert_int_equal(r.m->actors[actor(r.m, "boss")].duty.iv[1].end, 10 * HOUR);
	done(&r);
	tc_scenario_free(s);
}

/* A standing meeting's reminders are messages, handled at once: counted as
 * received and handled, but no measure of how fast anyone responds. p1's
 * only response is the alert's 10 min; the chair has none. */
static void reminders_are_not_responses(void **state)
{
	(void)state;
	tc_scenario *s = test_scenario("reminders.yaml",
		"exercise: {name: reminders, start: '2022-08-22T00:00:00Z', duration: 4h}\n"
		"actors:\n"
		"  - {id: chair, level: operational, handling: {default: 10m}}\n"
		"  - {id: p1, level: technical, handling: {default: 10m}}\n"
		"incidents: [{id: i, required: p1}]\n"
		"meetings:\n"
		"  - {id: weekly, chair: chair, participants: [chair, p1], duration: 30m,\n"
		"     standing: {first: T+1h}}\n"
		"injects: [{id: go, at: T+0, to: p1, kind: alert}]\n");
	analysed r = analyse(s);
	const tc_metrics *m = r.m;
	assert_int_equal(m->totals.meetings_held, 1);
	const tc_actor_metrics *p1 = &m->actors[actor(m, "p1")];
	const tc_actor_metrics *chair = &m->actors[actor(m, "chair")];
	assert_int_equal(p1->handled, 2);
	assert_int_equal(p1->response.count, 1);
	assert_int_equal(p1->response.p50, 10 * MIN);
	assert_int_equal(chair->handled, 1);
	assert_int_equal(chair->response.count, 0);
	done(&r);
	r = analyse_log(s);
	assert_int_equal(r.m->actors[actor(r.m, "p1")].response.count, 1);
	done(&r);
	tc_scenario_free(s);
}

/* A path that takes no time charges nobody: no bottleneck (and nothing to
 * sort, which must not hand qsort a null array). */
static void instant_path_has_no_bottleneck(void **state)
{
	(void)state;
	tc_scenario *s = test_scenario("instant.yaml",
		"exercise: {name: instant, start: '2022-08-22T00:00:00Z', duration: 1h}\n"
		"actors: [{id: a, level: technical, handling: {default: 0}}]\n"
		"incidents: [{id: i, required: a}]\n"
		"injects: [{id: go, at: T+0, to: a, kind: alert}]\n");
	analysed r = analyse(s);
	const tc_critical_path *p = &r.m->incidents[0].path;
	assert_int_equal(r.m->incidents[0].cop_at, 0);
	assert_int_equal(p->end - p->start, 0);
	assert_int_equal(p->by_actor_count, 0);
	assert_int_equal(p->bottleneck, TC_NONE);
	done(&r);
	tc_scenario_free(s);
}

/* Nobody required is ever aware: not reached, never a number. */
static void never_reached_is_not_a_time(void **state)
{
	(void)state;
	tc_scenario *s = test_scenario("never.yaml",
		"exercise: {name: never, start: '2022-08-22T00:00:00Z', duration: 2h}\n"
		"actors:\n"
		"  - {id: a, level: technical, handling: {default: 10m}}\n"
		"  - {id: b, level: operational, handling: {default: 10m}}\n"
		"incidents: [{id: i, required: [a, b]}]\n"
		"injects: [{id: x, at: T+0, to: a, kind: alert}]\n"
		"objectives: [{id: b-aware, subject: b, event: aware, within: 1h}]\n");
	analysed r = analyse(s);
	const tc_metrics *m = r.m;
	const tc_incident_metrics *im = &m->incidents[0];
	assert_int_equal(im->required_aware, 1);
	assert_int_equal(im->cop_at, TC_TIME_NEVER);
	assert_int_equal(im->time_to_cop, TC_TIME_NEVER);
	assert_int_equal(im->levels[TC_LEVEL_OPERATIONAL].first, TC_TIME_NEVER);
	assert_false(im->path.complete);
	assert_int_equal(im->path.target_actor, actor(m, "a"));
	const tc_actor_metrics *b = &m->actors[actor(m, "b")];
	assert_int_equal(b->response.count, 0);
	assert_int_equal(b->response.p50, TC_TIME_NEVER);
	assert_true(isnan(b->response.mean));
	assert_int_equal(b->backlog_max_at, TC_TIME_NEVER);
	assert_int_equal(objective(m, "b-aware")->verdict, TC_VERDICT_MISSED);
	assert_int_equal(objective(m, "b-aware")->reason, TC_REASON_NEVER);
	done(&r);
	tc_scenario_free(s);
}

/* Every allocation of the analysis may fail: it fails cleanly with
 * TC_ENOMEM and leaks nothing, and succeeds once memory suffices. */
static void allocation_failures(void **state)
{
	(void)state;
	tc_scenario *s = test_scenario("chain.yaml", chain_yaml);
	char path[256];
	snprintf(path, sizeof path, "%s", test_write_temp("analysis-enomem.jsonl", ""));
	write_log(s, path);
	tc_scenario_free(s);

	long n;
	for (n = 0; n < 10000; n++) {
		tc_failing_alloc fa;
		tc_failing_alloc_init(&fa, n);
		tc_analysis *an = tc_analysis_new(&fa.alloc);
		const tc_metrics *m = NULL;
		char err[512] = "";
		int rc = an ? tc_read_events_file(an, path, &m, err, sizeof err) : TC_ENOMEM;
		if (rc == TC_OK)
			check_chain(m);
		else if (rc != TC_ENOMEM)
			fail_msg("allocation %ld failed with %d: %s", n, rc, err);
		tc_analysis_free(an);
		assert_int_equal(fa.live_blocks, 0);
		if (rc == TC_OK)
			break;
	}
	assert_true(n > 5 && n < 10000);
	remove(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(chain_through_queue_and_off_hours),
		cmocka_unit_test(log_and_memory_agree),
		cmocka_unit_test(retry_on_the_critical_path),
		cmocka_unit_test(meeting_on_the_critical_path),
		cmocka_unit_test(meeting_seats_split_at_the_end_of_duty),
		cmocka_unit_test(instant_path_has_no_bottleneck),
		cmocka_unit_test(duty_follows_hours_changes),
		cmocka_unit_test(reminders_are_not_responses),
		cmocka_unit_test(never_reached_is_not_a_time),
		cmocka_unit_test(allocation_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
