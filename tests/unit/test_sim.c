/*
 * The simulation against hand-computed timelines: every expected time below
 * is worked out from the scenario text in the comment above it. Fixed
 * handling times and latencies make the runs exact.
 */
#include "test_support.h"

#include <string.h>

#include "core/error.h"
#include "core/timefmt.h"

#define MIN (60 * 1000LL)
#define HOUR (60 * MIN)

static const tc_record *nth(const test_trace *t, tc_record_type type, size_t n)
{
	const tc_record *r = test_trace_find(t, type, n);
	if (!r)
		fail_msg("no record #%zu of type %s", n, tc_record_type_name(type));
	return r;
}

/* The handled record of message id. */
static const tc_record *handled(const test_trace *t, uint64_t msg)
{
	for (size_t i = 0; i < t->count; i++)
		if (t->items[i].type == TC_REC_MESSAGE_HANDLED && t->items[i].message == msg)
			return &t->items[i];
	fail_msg("message %llu was never handled", (unsigned long long)msg);
	return NULL;
}

static tc_time aware_at(const test_trace *t, const tc_scenario *s, const char *actor)
{
	int a = tc_scenario_find_actor(s, actor);
	assert_true(a >= 0);
	for (size_t i = 0; i < t->count; i++)
		if (t->items[i].type == TC_REC_ACTOR_AWARE && t->items[i].actor == a)
			return t->items[i].time;
	return TC_TIME_NEVER;
}

/* One handler, 10 min each, three arrivals a minute apart: FIFO service at
 * 0-10, 10-20, 20-30; waits 0, 9 and 18 min. */
static void fifo_single_handler(void **state)
{
	(void)state;
	tc_scenario *s = test_scenario("fifo.yaml",
		"exercise: {name: fifo, start: '2022-08-22T00:00:00Z', duration: 1d}\n"
		"actors:\n"
		"  - {id: a, level: technical, staff: 1, handling: {default: 10m}}\n"
		"incidents: [{id: i, required: [a]}]\n"
		"injects:\n"
		"  - {id: m1, at: T+0, to: a, kind: alert}\n"
		"  - {id: m2, at: T+00:01, to: a, kind: alert}\n"
		"  - {id: m3, at: T+00:02, to: a, kind: alert}\n");
	test_trace t = {0};
	test_run(s, 1, 0, &t);
	const tc_time done[] = {10 * MIN, 20 * MIN, 30 * MIN};
	const tc_time queued[] = {0, 9 * MIN, 18 * MIN};
	for (size_t i = 0; i < 3; i++) {
		const tc_record *h = handled(&t, i + 1);
		assert_int_equal(h->time, done[i]);
		assert_int_equal(h->wait_queue, queued[i]);
		assert_int_equal(h->wait_off_hours, 0);
		assert_int_equal(h->wait_channel, 0);
		assert_int_equal(h->handling, 10 * MIN);
	}
	assert_int_equal(test_trace_count(&t, TC_REC_MESSAGE_QUEUED), 2);
	assert_string_equal(nth(&t, TC_REC_MESSAGE_QUEUED, 0)->text, "busy");
	/* Aware once, by the first message handled. */
	assert_int_equal(test_trace_count(&t, TC_REC_ACTOR_AWARE), 1);
	assert_int_equal(aware_at(&t, s, "a"), 10 * MIN);
	const tc_record *end = nth(&t, TC_REC_RUN_ENDED, 0);
	assert_int_equal(end->time, 24 * HOUR);
	assert_string_equal(end->text, "duration");
	test_trace_release(&t);
	tc_scenario_free(s);
}

/* Two handlers: the third arrival waits for the first to finish at 10 min. */
static void fifo_two_handlers(void **state)
{
	(void)state;
	tc_scenario *s = test_scenario("fifo2.yaml",
		"exercise: {name: fifo2, start: '2022-08-22T00:00:00Z', duration: 1d}\n"
		"actors:\n"
		"  - {id: a, level: technical, staff: 2, handling: {default: 10m}}\n"
		"incidents: [{id: i, required: [a]}]\n"
		"injects:\n"
		"  - {id: m1, at: T+0, to: a, kind: alert}\n"
		"  - {id: m2, at: T+00:01, to: a, kind: alert}\n"
		"  - {id: m3, at: T+00:02, to: a, kind: alert}\n");
	test_trace t = {0};
	test_run(s, 1, 0, &t);
	assert_int_equal(handled(&t, 1)->time, 10 * MIN);
	assert_int_equal(handled(&t, 2)->time, 11 * MIN);
	assert_int_equal(handled(&t, 3)->time, 20 * MIN);
	assert_int_equal(handled(&t, 3)->wait_queue, 8 * MIN);
	test_trace_release(&t);
	tc_scenario_free(s);
}

/*
 * Saturday 10:00 UTC, office hours Mon-Fri 09:00-17:00, one on-call handler
 * for high severity with a 30 min callout. The low message waits for Monday
 * 09:00 (47 h, all off-hours); the high one, at +5 min, gets the on-call
 * handler at +35 min and is done at +45 min (30 min off-hours).
 */
static void off_hours_and_on_call(void **state)
{
	(void)state;
	tc_scenario *s = test_scenario("offhours.yaml",
		"exercise: {name: off, start: '2022-08-20T10:00:00Z', duration: 3d}\n"
		"actors:\n"
		"  - id: a\n"
		"    level: technical\n"
		"    staff: 1\n"
		"    schedule: {mon-fri: '09:00-17:00'}\n"
		"    on_call: {staff: 1, callout_delay: 30m, min_severity: high, stand_down: 0s}\n"
		"    handling: {default: 10m}\n"
		"incidents: [{id: i, required: [a]}]\n"
		"injects:\n"
		"  - {id: low, at: T+0, to: a, kind: info, severity: low}\n"
		"  - {id: high, at: T+00:05, to: a, kind: alert, severity: high}\n");
	test_trace t = {0};
	test_run(s, 1, 0, &t);
	const tc_record *high = handled(&t, 2);
	assert_int_equal(high->time, 45 * MIN);
	assert_int_equal(high->wait_off_hours, 30 * MIN);
	assert_int_equal(high->wait_queue, 0);
	assert_true(high->on_call);
	const tc_record *low = handled(&t, 1);
	assert_int_equal(low->time, 47 * HOUR + 10 * MIN);
	assert_int_equal(low->wait_off_hours, 47 * HOUR);
	assert_int_equal(low->wait_queue, 0);
	assert_false(low->on_call);
	assert_string_equal(nth(&t, TC_REC_MESSAGE_QUEUED, 0)->text, "off-duty");
	assert_string_equal(nth(&t, TC_REC_CALLOUT, 0)->text, "called");
	assert_int_equal(nth(&t, TC_REC_CALLOUT, 1)->time, 35 * MIN);
	assert_string_equal(nth(&t, TC_REC_CALLOUT, 1)->text, "available");
	assert_int_equal(aware_at(&t, s, "a"), 45 * MIN);
	test_trace_release(&t);
	tc_scenario_free(s);
}

/*
 * Monday 16:50, office until 17:00, no on-call. m1 at 16:55 is handled in
 * overtime until 17:05 (work in progress finishes). m2 at 16:58 waits: 2 min
 * behind m1 while on duty (queue), then 16 h off duty, started Tuesday 09:00.
 */
static void work_in_progress_finishes_after_hours(void **state)
{
	(void)state;
	tc_scenario *s = test_scenario("overtime.yaml",
		"exercise: {name: overtime, start: '2022-08-22T16:50:00Z', duration: 1d}\n"
		"actors:\n"
		"  - {id: a, level: technical, staff: 1, schedule: {mon-fri: '09:00-17:00'},\n"
		"     handling: {default: 10m}}\n"
		"incidents: [{id: i, required: [a]}]\n"
		"injects:\n"
		"  - {id: m1, at: T+00:05, to: a, kind: alert}\n"
		"  - {id: m2, at: T+00:08, to: a, kind: alert}\n");
	test_trace t = {0};
	test_run(s, 1, 0, &t);
	assert_int_equal(handled(&t, 1)->time, 15 * MIN);
	const tc_record *m2 = handled(&t, 2);
	assert_int_equal(m2->time, 16 * HOUR + 20 * MIN);
	assert_int_equal(m2->wait_queue, 2 * MIN);
	assert_int_equal(m2->wait_off_hours, 16 * HOUR);
	test_trace_release(&t);
	tc_scenario_free(s);
}

static const char chain_yaml[] =
	"exercise: {name: chain, start: '2022-08-22T00:00:00Z', duration: 1d}\n"
	"actors:\n"
	"  - {id: victim, level: technical, handling: {default: 10m}}\n"
	"  - {id: cert, level: technical, handling: {default: 20m, ack: 1m}}\n"
	"channels:\n"
	"  - {id: mail, latency: 5m%s}\n"
	"incidents: [{id: i, required: [victim, cert]}]\n"
	"doctrine:\n"
	"  name: d\n"
	"  rules:\n"
	"    - {actor: victim, on: alert, send: {kind: early-warning, to: cert%s}}\n"
	"%s"
	"injects:\n"
	"  - {id: detect, at: T+0, to: victim, kind: alert}\n"
	"%s";

static tc_scenario *chain(const char *name, const char *channel, const char *retry,
                          const char *cert_rule, const char *injects)
{
	char yaml[4096];
	snprintf(yaml, sizeof yaml, chain_yaml, channel, retry, cert_rule, injects);
	return test_scenario(name, yaml);
}

/*
 * The victim handles the alert 0-10 min and sends an early warning over a
 * 5 min channel: delivered at 15, handled 15-35 (cert aware at 35). The cert
 * acks at 35: delivered at 40, handled by the victim 40-50 (acks are not
 * informative: no second awareness).
 */
static void doctrine_channel_and_ack(void **state)
{
	(void)state;
	tc_scenario *s = chain("chain.yaml", "", "", "    - {actor: cert, on: early-warning, ack: true}\n", "");
	test_trace t = {0};
	test_run(s, 1, 0, &t);
	assert_int_equal(aware_at(&t, s, "victim"), 10 * MIN);
	assert_int_equal(aware_at(&t, s, "cert"), 35 * MIN);
	const tc_record *ew = nth(&t, TC_REC_MESSAGE_CREATED, 1);
	assert_int_equal(ew->time, 10 * MIN);
	assert_int_equal(ew->message, 2);
	assert_int_equal(ew->cause.type, TC_CAUSE_MESSAGE);
	assert_int_equal(ew->cause.id, 1);
	const tc_record *h = handled(&t, 2);
	assert_int_equal(h->time, 35 * MIN);
	assert_int_equal(h->wait_channel, 5 * MIN);
	assert_int_equal(h->handling, 20 * MIN);
	assert_int_equal(h->channel, 0);
	const tc_record *ack = handled(&t, 3);
	assert_int_equal(ack->kind, TC_KIND_ACK);
	assert_int_equal(ack->time, 50 * MIN);
	assert_int_equal(ack->cause.id, 2);
	assert_int_equal(test_trace_count(&t, TC_REC_ACTOR_AWARE), 2);
	assert_int_equal(test_trace_count(&t, TC_REC_RETRY), 0);
	test_trace_release(&t);
	tc_scenario_free(s);
}

/* Without an ack the early warning (sent at 10 min) is resent after 1 h and
 * 2 h: attempts 2 and 3, then no more (max 2). With the ack (delivered at 40
 * min) nothing is resent. */
static void retry_until_acknowledged(void **state)
{
	(void)state;
	const char *retry = ", retry: {after: 1h, max: 2}";
	tc_scenario *s = chain("retry.yaml", "", retry, "", "");
	test_trace t = {0};
	test_run(s, 1, 0, &t);
	assert_int_equal(test_trace_count(&t, TC_REC_RETRY), 2);
	const tc_record *r1 = nth(&t, TC_REC_RETRY, 0), *r2 = nth(&t, TC_REC_RETRY, 1);
	assert_int_equal(r1->time, 70 * MIN);
	assert_int_equal(r1->attempt, 2);
	assert_int_equal(r1->cause.id, 2);  /* repeats the first early warning */
	assert_int_equal(r2->time, 130 * MIN);
	assert_int_equal(r2->attempt, 3);
	assert_int_equal(r2->cause.id, r1->message);
	test_trace_release(&t);
	tc_scenario_free(s);

	s = chain("acked.yaml", "", retry, "    - {actor: cert, on: early-warning, ack: true}\n", "");
	test_run(s, 1, 0, &t);
	assert_int_equal(test_trace_count(&t, TC_REC_RETRY), 0);
	test_trace_release(&t);
	tc_scenario_free(s);
}

/* Held while every channel is down: the early warning created at 10 min
 * waits for the channel to come up at 2 h, then takes 5 min. */
static void held_while_channel_down(void **state)
{
	(void)state;
	tc_scenario *s = chain("held.yaml", ", up: false", "", "",
	                       "  - {id: up, at: T+02:00, action: channel-up, channel: mail}\n");
	test_trace t = {0};
	test_run(s, 1, 0, &t);
	const tc_record *held = nth(&t, TC_REC_MESSAGE_HELD, 0);
	assert_int_equal(held->time, 10 * MIN);
	assert_int_equal(nth(&t, TC_REC_CHANNEL_UP, 0)->time, 2 * HOUR);
	assert_int_equal(nth(&t, TC_REC_MESSAGE_SENT, 0)->time, 2 * HOUR);
	const tc_record *h = handled(&t, 2);
	assert_int_equal(h->wait_hold, 2 * HOUR - 10 * MIN);
	assert_int_equal(h->wait_channel, 5 * MIN);
	assert_int_equal(h->time, 2 * HOUR + 25 * MIN);
	test_trace_release(&t);
	tc_scenario_free(s);
}

static const char meeting_yaml[] =
	"exercise: {name: meet, start: '2022-08-22T00:00:00Z', duration: 1d}\n"
	"actors:\n"
	"  - {id: chair, level: operational, staff: 1, handling: {default: 10m, convene: 5m}}\n"
	"  - {id: p1, level: technical, staff: 1, handling: {default: 10m, convene: 5m}}\n"
	"  - {id: p2, level: technical, staff: 1, schedule: {mon-fri: '09:00-17:00'},\n"
	"     handling: {default: 10m, convene: 5m}}\n"
	"  - {id: out, level: strategic, handling: {default: 10m}}\n"
	"channels: [{id: svc, latency: 2m}]\n"
	"incidents: [{id: i, required: [chair, p1, p2, out]}]\n"
	"meetings:\n"
	"  - {id: m, chair: chair, participants: [chair, p1, p2], quorum: %d, duration: 1h,\n"
	"     quorum_timeout: 3h, outcome: [{kind: decision, to: out}]}\n"
	"doctrine: {name: d, rules: [{actor: chair, on: alert, convene: m}]}\n"
	"injects:\n"
	"  - {id: go, at: T+0, to: chair, kind: alert}\n"
	"  - {id: busy, at: T+00:30, to: p1, kind: info}\n";

/*
 * Monday 00:00, p2 off duty until 09:00. The chair handles the alert 0-10,
 * convenes: its own convocation is delivered at once (handled 10-15, seat
 * 1), p1's after 2 min (handled 12-17, seat 2 = quorum: the meeting starts
 * at 17 and p1 becomes aware there). p1's seat keeps it from the info
 * arriving at 30 until the end at 1h17 (done 1h27, 47 min queued). The
 * chair's decision reaches `out` at 1h19, handled 1h29. p2 handles its
 * convocation at 09:00-09:05, after the meeting: no seat, not aware.
 */
static void meeting_at_quorum_holds_seats(void **state)
{
	(void)state;
	char yaml[4096];
	snprintf(yaml, sizeof yaml, meeting_yaml, 2);
	tc_scenario *s = test_scenario("meeting.yaml", yaml);
	test_trace t = {0};
	test_run(s, 1, 0, &t);
	const tc_record *conv = nth(&t, TC_REC_MEETING_CONVENED, 0);
	assert_int_equal(conv->time, 10 * MIN);
	assert_int_equal(conv->cause.id, 1);
	const tc_record *start = nth(&t, TC_REC_MEETING_STARTED, 0);
	assert_int_equal(start->time, 17 * MIN);
	assert_int_equal(start->count, 2);
	assert_int_equal(start->cause.type, TC_CAUSE_MESSAGE);
	const tc_record *p1_conv = handled(&t, start->cause.id);
	assert_int_equal(p1_conv->peer, tc_scenario_find_actor(s, "p1"));
	assert_int_equal(aware_at(&t, s, "p1"), 17 * MIN);
	assert_int_equal(nth(&t, TC_REC_MEETING_ENDED, 0)->time, 77 * MIN);
	for (size_t i = 0; i < t.count; i++) {
		const tc_record *r = &t.items[i];
		if (r->type == TC_REC_MESSAGE_HANDLED && r->kind == TC_KIND_INFO) {
			assert_int_equal(r->time, 87 * MIN);
			assert_int_equal(r->wait_queue, 47 * MIN);
		}
		if (r->type == TC_REC_MESSAGE_CREATED && r->kind == TC_KIND_DECISION) {
			assert_int_equal(r->time, 77 * MIN);
			assert_int_equal(r->cause.type, TC_CAUSE_MEETING);
			assert_int_equal(r->cause.id, conv->meeting_id);
		}
	}
	assert_int_equal(aware_at(&t, s, "out"), 89 * MIN);
	assert_int_equal(aware_at(&t, s, "p2"), TC_TIME_NEVER);
	assert_int_equal(test_trace_count(&t, TC_REC_MEETING_JOINED), 2);
	assert_int_equal(test_trace_count(&t, TC_REC_MEETING_FAILED), 0);
	test_trace_release(&t);
	tc_scenario_free(s);
}

/* Quorum 3 with p2 off duty: the meeting fails at 10 min + 3 h; p1's seat
 * is released then, and its info (queued since 30 min) is done at 3h20. */
static void meeting_fails_without_quorum(void **state)
{
	(void)state;
	char yaml[4096];
	snprintf(yaml, sizeof yaml, meeting_yaml, 3);
	tc_scenario *s = test_scenario("nomeeting.yaml", yaml);
	test_trace t = {0};
	test_run(s, 1, 0, &t);
	const tc_record *failed = nth(&t, TC_REC_MEETING_FAILED, 0);
	assert_int_equal(failed->time, 3 * HOUR + 10 * MIN);
	assert_int_equal(failed->count, 2);
	assert_int_equal(test_trace_count(&t, TC_REC_MEETING_STARTED), 0);
	for (size_t i = 0; i < t.count; i++)
		if (t.items[i].type == TC_REC_MESSAGE_HANDLED && t.items[i].kind == TC_KIND_INFO)
			assert_int_equal(t.items[i].time, 3 * HOUR + 20 * MIN);
	/* p1 learns of the incident from the info only: no meeting informed it. */
	assert_int_equal(aware_at(&t, s, "p1"), 3 * HOUR + 20 * MIN);
	assert_int_equal(aware_at(&t, s, "out"), TC_TIME_NEVER);
	test_trace_release(&t);
	tc_scenario_free(s);
}

/* A standing meeting at T+2h and daily: everyone takes a seat at once (no
 * convocation to handle), and the incident `a` knows of is shared. */
static void standing_meeting_shares_what_attendees_know(void **state)
{
	(void)state;
	tc_scenario *s = test_scenario("standing.yaml",
		"exercise: {name: standing, start: '2022-08-22T00:00:00Z', duration: 2d}\n"
		"actors:\n"
		"  - {id: a, level: technical, handling: {default: 10m}}\n"
		"  - {id: b, level: operational, handling: {default: 10m}}\n"
		"  - {id: c, level: strategic, handling: {default: 10m}}\n"
		"incidents:\n"
		"  - {id: known, required: [a, b, c]}\n"
		"  - {id: unknown, required: [a]}\n"
		"meetings:\n"
		"  - {id: weekly, chair: a, participants: [a, b, c], quorum: 3, duration: 30m,\n"
		"     standing: {first: T+02:00, every: 1d}}\n"
		"injects:\n"
		"  - {id: x, at: T+0, incident: known, to: a, kind: alert}\n");
	test_trace t = {0};
	test_run(s, 1, 0, &t);
	assert_int_equal(nth(&t, TC_REC_MEETING_STARTED, 0)->time, 2 * HOUR);
	assert_int_equal(nth(&t, TC_REC_MEETING_ENDED, 0)->time, 2 * HOUR + 30 * MIN);
	assert_int_equal(nth(&t, TC_REC_MEETING_STARTED, 1)->time, 26 * HOUR);
	assert_int_equal(test_trace_count(&t, TC_REC_MEETING_STARTED), 2);
	assert_int_equal(aware_at(&t, s, "b"), 2 * HOUR);
	assert_int_equal(aware_at(&t, s, "c"), 2 * HOUR);
	const tc_record *aware_b = NULL;
	for (size_t i = 0; i < t.count; i++)
		if (t.items[i].type == TC_REC_ACTOR_AWARE && t.items[i].actor == 1)
			aware_b = &t.items[i];
	assert_non_null(aware_b);
	assert_int_equal(aware_b->cause.type, TC_CAUSE_MEETING);
	assert_int_equal(aware_b->incident, 0);
	/* Nobody knew of the other incident: nobody learns of it. */
	assert_int_equal(test_trace_count(&t, TC_REC_ACTOR_AWARE), 3);
	test_trace_release(&t);
	tc_scenario_free(s);
}

/* The preferred channel (lowest priority) is used while it is up; when it
 * goes down the next one carries the traffic. */
static void preferred_channel_and_fallback(void **state)
{
	(void)state;
	tc_scenario *s = test_scenario("route.yaml",
		"exercise: {name: route, start: '2022-08-22T00:00:00Z', duration: 1d}\n"
		"actors:\n"
		"  - {id: a, level: technical, handling: {default: 1m}}\n"
		"  - {id: b, level: technical, handling: {default: 1m}}\n"
		"channels:\n"
		"  - {id: email, latency: 5m, priority: 2}\n"
		"  - {id: phone, latency: 1m, priority: 1, pairs: [[a, b]]}\n"
		"incidents: [{id: i, required: [a, b]}]\n"
		"injects:\n"
		"  - {id: first, at: T+0, from: a, to: b, kind: alert}\n"
		"  - {id: cut, at: T+01:00, action: channel-down, channel: phone}\n"
		"  - {id: second, at: T+02:00, from: a, to: b, kind: alert}\n");
	test_trace t = {0};
	test_run(s, 1, 0, &t);
	const tc_record *h1 = handled(&t, 1), *h2 = handled(&t, 2);
	assert_int_equal(h1->channel, 1);
	assert_int_equal(h1->time, 2 * MIN);
	assert_int_equal(h2->channel, 0);
	assert_int_equal(h2->time, 2 * HOUR + 6 * MIN);
	assert_int_equal(nth(&t, TC_REC_CHANNEL_DOWN, 0)->time, HOUR);
	test_trace_release(&t);
	tc_scenario_free(s);
}

/* No channel connects the two: the message is lost at once. */
static void no_route_is_lost(void **state)
{
	(void)state;
	tc_scenario *s = test_scenario("noroute.yaml",
		"exercise: {name: noroute, start: '2022-08-22T00:00:00Z', duration: 1d}\n"
		"actors:\n"
		"  - {id: a, level: technical, handling: {default: 1m}}\n"
		"  - {id: b, level: technical, handling: {default: 1m}}\n"
		"  - {id: c, level: technical, handling: {default: 1m}}\n"
		"channels: [{id: phone, latency: 1m, pairs: [[a, c]]}]\n"
		"incidents: [{id: i, required: [b]}]\n"
		"injects: [{id: x, at: T+0, from: a, to: b, kind: alert}]\n");
	test_trace t = {0};
	test_run(s, 1, 0, &t);
	const tc_record *lost = nth(&t, TC_REC_MESSAGE_LOST, 0);
	assert_int_equal(lost->time, 0);
	assert_string_equal(lost->text, "no channel connects sender and receiver");
	assert_int_equal(test_trace_count(&t, TC_REC_MESSAGE_HANDLED), 0);
	test_trace_release(&t);
	tc_scenario_free(s);
}

/* 4 000 messages over a channel that loses half: the count lost is
 * binomial(4000, 0.5), within 5 standard deviations (sd = 31.6) of 2 000. */
static void loss_rate_is_binomial(void **state)
{
	(void)state;
	tc_scenario *s = test_scenario("loss.yaml",
		"exercise: {name: loss, start: '2022-08-22T00:00:00Z', duration: 10d}\n"
		"actors:\n"
		"  - {id: a, level: technical, staff: 100, handling: {default: 1s}}\n"
		"  - {id: b, level: technical, staff: 100, handling: {default: 1s}}\n"
		"channels: [{id: lossy, latency: 1s, loss: 0.5}]\n"
		"incidents: [{id: i, required: [b]}]\n"
		"injects:\n"
		"  - {id: wave, at: T+0, from: a, to: b, kind: info,\n"
		"     repeat: {every: {dist: exponential, mean: 1m}, count: 4000}}\n");
	test_trace t = {0};
	test_run(s, 7, 0, &t);
	size_t lost = test_trace_count(&t, TC_REC_MESSAGE_LOST);
	size_t handled_count = test_trace_count(&t, TC_REC_MESSAGE_HANDLED);
	assert_int_equal(lost + handled_count, 4000);
	assert_in_range(lost, 2000 - 158, 2000 + 158);
	assert_int_equal(test_trace_count(&t, TC_REC_INJECT_FIRED), 4000);
	test_trace_release(&t);
	tc_scenario_free(s);
}

/* Rule filters: severity, sender, sender level; `once` per incident. */
static void rule_filters(void **state)
{
	(void)state;
	tc_scenario *s = test_scenario("filters.yaml",
		"exercise: {name: filters, start: '2022-08-22T00:00:00Z', duration: 1d}\n"
		"actors:\n"
		"  - {id: x, level: technical, staff: 10, handling: {default: 1m}}\n"
		"  - {id: y, level: political, staff: 10, handling: {default: 1m}}\n"
		"  - {id: r, level: technical, staff: 10, handling: {default: 1m}}\n"
		"  - {id: sink, level: technical, staff: 10, handling: {default: 1m}}\n"
		"channels: [{id: c, latency: 0s}]\n"
		"incidents: [{id: i, required: [r]}]\n"
		"doctrine:\n"
		"  name: f\n"
		"  rules:\n"
		"    - {actor: r, on: alert, min_severity: high, send: {kind: sitrep, to: sink}}\n"
		"    - {actor: r, on: alert, from: y, send: {kind: decision, to: sink}}\n"
		"    - {actor: r, on: alert, from_level: technical, send: {kind: info, to: sink}}\n"
		"    - {actor: r, on: any, once: true, send: {kind: press, to: sink}}\n"
		"injects:\n"
		"  - {id: low-x, at: T+0, from: x, to: r, kind: alert, severity: low}\n"
		"  - {id: high-y, at: T+01:00, from: y, to: r, kind: alert, severity: high}\n");
	test_trace t = {0};
	test_run(s, 1, 0, &t);
	size_t sitrep = 0, decision = 0, info = 0, press = 0;
	for (size_t i = 0; i < t.count; i++) {
		const tc_record *r = &t.items[i];
		if (r->type != TC_REC_MESSAGE_CREATED || r->actor != 2)
			continue;
		sitrep += r->kind == TC_KIND_SITREP;
		decision += r->kind == TC_KIND_DECISION;
		info += r->kind == TC_KIND_INFO;
		press += r->kind == TC_KIND_PRESS;
		if (r->kind == TC_KIND_SITREP || r->kind == TC_KIND_DECISION)
			assert_int_equal(r->time, HOUR + MIN);
		if (r->kind == TC_KIND_INFO || r->kind == TC_KIND_PRESS)
			assert_int_equal(r->time, MIN);
	}
	assert_int_equal(sitrep, 1);   /* only the high one */
	assert_int_equal(decision, 1); /* only from y */
	assert_int_equal(info, 1);     /* only from the technical x */
	assert_int_equal(press, 1);    /* once */
	test_trace_release(&t);
	tc_scenario_free(s);
}

/* Reinforcements: staff 1 -> 3 at 15 min lets the two waiting messages
 * start at once. */
static void set_staff_inject(void **state)
{
	(void)state;
	tc_scenario *s = test_scenario("staff.yaml",
		"exercise: {name: staff, start: '2022-08-22T00:00:00Z', duration: 1d}\n"
		"actors: [{id: a, level: technical, staff: 1, handling: {default: 1h}}]\n"
		"incidents: [{id: i, required: [a]}]\n"
		"injects:\n"
		"  - {id: m1, at: T+0, to: a, kind: alert}\n"
		"  - {id: m2, at: T+0, to: a, kind: alert}\n"
		"  - {id: m3, at: T+0, to: a, kind: alert}\n"
		"  - {id: more, at: T+00:15, action: set-staff, actor: a, staff: 3}\n");
	test_trace t = {0};
	test_run(s, 1, 0, &t);
	assert_int_equal(handled(&t, 1)->time, HOUR);
	assert_int_equal(handled(&t, 2)->time, HOUR + 15 * MIN);
	assert_int_equal(handled(&t, 3)->time, HOUR + 15 * MIN);
	assert_int_equal(nth(&t, TC_REC_STAFF_CHANGED, 0)->count, 3);
	test_trace_release(&t);
	tc_scenario_free(s);
}

/* An end inject stops the run; --until stops it earlier. */
static void end_inject_and_until(void **state)
{
	(void)state;
	tc_scenario *s = test_scenario("end.yaml",
		"exercise: {name: end, start: '2022-08-22T00:00:00Z', duration: 1d}\n"
		"actors: [{id: a, level: technical, handling: {default: 1h}}]\n"
		"incidents: [{id: i, required: [a]}]\n"
		"injects:\n"
		"  - {id: m, at: T+0, to: a, kind: alert}\n"
		"  - {id: stop, at: T+00:30, action: end}\n");
	test_trace t = {0};
	test_run(s, 1, 0, &t);
	const tc_record *end = nth(&t, TC_REC_RUN_ENDED, 0);
	assert_int_equal(end->time, 30 * MIN);
	assert_string_equal(end->text, "end-inject");
	assert_int_equal(test_trace_count(&t, TC_REC_MESSAGE_HANDLED), 0);
	test_trace_release(&t);

	tc_run_options opt = {.seed = 1, .until = 10 * MIN};
	tc_run *run;
	assert_int_equal(tc_run_new(&run, tc_alloc_default(), s, &opt, NULL), 0);
	assert_int_equal(tc_run_execute(run), 0);
	assert_int_equal(tc_run_stats_of(run)->end_time, 10 * MIN);
	assert_string_equal(tc_run_stats_of(run)->end_reason, "until");
	tc_run_free(run);
	tc_scenario_free(s);
}

/* Two actors answering each other in no time would spin forever at T+0:
 * the run stops with a limit error that says why. */
static void zero_time_loop_is_an_error(void **state)
{
	(void)state;
	tc_scenario *s = test_scenario("spin.yaml",
		"exercise: {name: spin, start: '2022-08-22T00:00:00Z', duration: 1d}\n"
		"actors:\n"
		"  - {id: a, level: technical, handling: {default: 0s}}\n"
		"  - {id: b, level: technical, handling: {default: 0s}}\n"
		"channels: [{id: instant, latency: 0s}]\n"
		"incidents: [{id: i, required: [a]}]\n"
		"doctrine:\n"
		"  name: echo\n"
		"  rules:\n"
		"    - {actor: a, on: any, send: {kind: info, to: b}}\n"
		"    - {actor: b, on: any, send: {kind: info, to: a}}\n"
		"injects: [{id: x, at: T+0, to: a, kind: alert}]\n");
	tc_run_options opt = {.seed = 1, .until = TC_TIME_NEVER};
	tc_run *run;
	assert_int_equal(tc_run_new(&run, tc_alloc_default(), s, &opt, NULL), 0);
	assert_int_equal(tc_run_execute(run), TC_ELIMIT);
	assert_string_equal(tc_run_error_message(run),
	                    "more than 1000000 events at T+00:00:00 without time passing: doctrine "
	                    "rules answer each other with no delay");
	tc_run_free(run);
	tc_scenario_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fifo_single_handler),
		cmocka_unit_test(fifo_two_handlers),
		cmocka_unit_test(off_hours_and_on_call),
		cmocka_unit_test(work_in_progress_finishes_after_hours),
		cmocka_unit_test(doctrine_channel_and_ack),
		cmocka_unit_test(retry_until_acknowledged),
		cmocka_unit_test(held_while_channel_down),
		cmocka_unit_test(meeting_at_quorum_holds_seats),
		cmocka_unit_test(meeting_fails_without_quorum),
		cmocka_unit_test(standing_meeting_shares_what_attendees_know),
		cmocka_unit_test(preferred_channel_and_fallback),
		cmocka_unit_test(no_route_is_lost),
		cmocka_unit_test(loss_rate_is_binomial),
		cmocka_unit_test(rule_filters),
		cmocka_unit_test(set_staff_inject),
		cmocka_unit_test(end_inject_and_until),
		cmocka_unit_test(zero_time_loop_is_an_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
