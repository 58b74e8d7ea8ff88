/*
 * The scenario loader on good, bad and hostile input: every error with its
 * exact message and line:column, all errors of a file at once, the values a
 * good file resolves to, bounded work on hostile files, and clean failure
 * (TC_ENOMEM, nothing leaked) at every allocation of a load and of a run.
 */
#define _POSIX_C_SOURCE 200809L
#include "test_support.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/calendar.h"
#include "core/diag.h"
#include "core/error.h"
#include "scenario/scenario.h"
#include "sim/run.h"

#define BASE TEST_SCENARIO_BASE

#define FLAGSHIP "scenarios/hospital-ransomware.yaml"

/* The errors of a scenario text must be exactly these. On a mismatch the
 * text at each reported position is shown, to check columns by eye. */
static void expect_errors(const char *yaml, const char *expected)
{
	const char *got = test_scenario_errors("load.yaml", yaml);
	if (strcmp(got, expected) == 0)
		return;
	fprintf(stderr, "--- expected\n%s--- got (with the text at each position)\n", expected);
	for (const char *p = got; *p;) {
		const char *end = strchr(p, '\n');
		int line = 0, column = 0;
		sscanf(p, "%d:%d:", &line, &column);
		const char *at = yaml;
		for (int l = 1; l < line && at; l++)
			at = strchr(at, '\n') ? strchr(at, '\n') + 1 : NULL;
		size_t rest = at ? strcspn(at, "\n") : 0;
		int shown = at && column > 0 && (size_t)column <= rest + 1 ? (int)rest - column + 1 : 0;
		fprintf(stderr, "%.*s\n    @ '%.*s'\n", (int)(end - p), p, shown < 24 ? shown : 24,
		        shown ? at + column - 1 : "");
		p = end + 1;
	}
	fail_msg("errors differ");
}

static int load_buffer(const char *data, size_t len, const char **errors)
{
	tc_diag diag;
	tc_diag_init(&diag, tc_alloc_default());
	tc_scenario *s = NULL;
	int rc = tc_scenario_load_buffer(&s, tc_alloc_default(), "buffer.yaml", data, len, NULL,
	                                 &diag);
	*errors = test_format_diag(&diag);
	tc_diag_release(&diag);
	tc_scenario_free(s);
	assert_true(rc != TC_OK || (*errors)[0] == '\0');
	return rc;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* A generated text: head, then fmt (with one %zu, the line number 0..n-1)
 * n times, then tail. */
static char *repeat_lines(const char *head, const char *fmt, size_t n, const char *tail,
                          size_t *len)
{
	size_t cap = strlen(head) + strlen(tail) + n * (strlen(fmt) + 24) + 1;
	char *text = malloc(cap);
	assert_non_null(text);
	size_t used = (size_t)snprintf(text, cap, "%s", head);
	for (size_t i = 0; i < n; i++)
		used += (size_t)snprintf(text + used, cap - used, fmt, i);
	used += (size_t)snprintf(text + used, cap - used, "%s", tail);
	assert_true(used < cap);
	*len = used;
	return text;
}

/* ---- valid scenarios and the values they resolve to ---- */

static void minimal_scenario_loads_with_defaults(void **state)
{
	(void)state;
	tc_scenario *s = test_scenario("minimal.yaml", BASE);
	assert_string_equal(s->name, "T");
	assert_null(s->description);
	assert_string_equal(s->timezone, "UTC");
	/* 2024-03-01T09:00:00Z: 19783 days after 1970-01-01, plus 9 h. */
	assert_int_equal(s->epoch_utc_ms, (19783LL * 86400 + 9 * 3600) * 1000);
	assert_int_equal(s->duration, 2 * TC_DAY);
	assert_int_equal(s->default_seed, 1);
	assert_int_equal(s->actor_count, 2);
	const tc_actor_def *v = &s->actors[0];
	assert_string_equal(v->id, "victim");
	assert_string_equal(v->name, "victim"); /* the id when no name is given */
	assert_int_equal(v->level, TC_LEVEL_TECHNICAL);
	assert_int_equal(v->staff, 1);
	assert_true(v->always_on_duty);
	assert_int_equal(v->on_call.staff, 0);
	assert_int_equal(v->default_handling.kind, TC_DIST_FIXED);
	assert_true(v->default_handling.p[0] == 10.0 * TC_MINUTE);
	assert_int_equal(s->incident_count, 1);
	const tc_incident_def *inc = &s->incidents[0];
	assert_int_equal(inc->severity, 3); /* high */
	assert_int_equal(inc->start, 0);
	assert_int_equal(inc->detector, -1);
	assert_int_equal(inc->required_count, 2);
	assert_int_equal(inc->required[0], 0);
	assert_int_equal(inc->required[1], 1);
	assert_int_equal(s->channel_count, 0);
	assert_string_equal(s->doctrine.name, "none");
	assert_int_equal(s->doctrine.rule_count, 0);
	tc_scenario_free(s);
	/* Unnamed doctrines are known as inline or by their file name. */
	s = test_scenario("unnamed.yaml", BASE "doctrine: {rules: [{actor: cert, on: any, ack: true}]}\n");
	assert_string_equal(s->doctrine.name, "inline");
	assert_int_equal(tc_scenario_find_actor(s, "cert"), 1);
	assert_int_equal(tc_scenario_find_actor(s, "nobody"), -1);
	assert_int_equal(tc_scenario_find_kind(s, "alert"), TC_KIND_ALERT);
	tc_scenario_free(s);
}

static void flagship_loads_and_runs(void **state)
{
	(void)state;
	tc_scenario *s;
	const char *errors;
	assert_int_equal(test_load_file(test_source_path(FLAGSHIP), NULL, &s, &errors), TC_OK);
	assert_string_equal(errors, "");
	assert_int_equal(s->actor_count, 14);
	assert_int_equal(s->channel_count, 5);
	assert_int_equal(s->incident_count, 1);
	assert_int_equal(s->inject_count, 7);
	assert_int_equal(s->meeting_count, 3);
	assert_int_equal(s->objective_count, 6);
	assert_int_equal(s->doctrine.rule_count, 12);
	assert_string_equal(s->doctrine.name, "notify-then-escalate");
	assert_non_null(strstr(s->doctrine.file, "doctrines/hospital-notify-then-escalate.yaml"));
	assert_int_equal(strlen(s->doctrine.sha256), 64);
	assert_string_equal(s->timezone, "Europe/Paris");
	/* Saturday 2022-08-20 22:00 in Paris (CEST, UTC+2) is 20:00Z. */
	assert_int_equal(s->epoch_utc_ms, (19224LL * 86400 + 20 * 3600) * 1000);
	/* The incident at 00:30 local the next night: T+2h30m. */
	assert_int_equal(s->incidents[0].start, 2 * TC_HOUR + 30 * TC_MINUTE);
	/* The first inject at 01:00 local: T+3h. */
	assert_int_equal(s->injects[0].at, 3 * TC_HOUR);
	assert_int_equal(s->default_seed, 2022);
	/* CERT-EU works in Brussels time, the same offset as Paris. */
	int cert_eu = tc_scenario_find_actor(s, "cert-eu");
	assert_true(cert_eu >= 0);
	assert_string_equal(s->actors[cert_eu].timezone, "Europe/Brussels");

	test_trace trace = {0};
	test_run(s, s->default_seed, 0, &trace);
	assert_true(trace.count > 100);
	assert_int_equal(trace.items[0].type, TC_REC_RUN_STARTED);
	assert_int_equal(trace.items[trace.count - 1].type, TC_REC_RUN_ENDED);
	/* The ransom note reaches the on-call IT team, who become aware. */
	const tc_record *aware = test_trace_find(&trace, TC_REC_ACTOR_AWARE, 0);
	assert_non_null(aware);
	assert_int_equal(aware->actor, tc_scenario_find_actor(s, "hospital-it"));
	test_trace_release(&trace);
	tc_scenario_free(s);
}

/* A schedule in Europe/Paris across the change to summer time (Sunday
 * 2024-03-31, 02:00 CET -> 03:00 CEST): office hours stay 08:00-18:00 local. */
static void schedule_compiled_in_paris_time(void **state)
{
	(void)state;
	tc_scenario *s = test_scenario("paris.yaml",
		"exercise: {name: T, start: 2024-03-29T00:00:00+01:00, duration: 4d,\n"
		"           timezone: Europe/Paris}\n"
		"actors:\n"
		"  - {id: office, level: operational, schedule: {mon-fri: \"08:00-18:00\"},\n"
		"     handling: {default: 10m}}\n"
		"incidents: [{id: attack, required: [office]}]\n");
	const tc_timeline *tl = &s->actors[0].duty;
	assert_false(s->actors[0].always_on_duty);
	/* T+0 is 2024-03-28T23:00Z. Compiled over [T-1d, T+5d]:
	 *   Thu 28 08:00-18:00 CET  = 07:00Z-17:00Z = T-16h .. T-6h
	 *   Fri 29 08:00-18:00 CET  = T+8h .. T+18h
	 *   Mon  1 08:00-18:00 CEST = 06:00Z-16:00Z = T+79h .. T+89h
	 *   Tue  2 08:00-18:00 CEST = T+103h .. T+113h */
	static const tc_time want[][2] = {{-16, -6}, {8, 18}, {79, 89}, {103, 113}};
	assert_int_equal(tl->count, 4);
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(tl->iv[i].start, want[i][0] * TC_HOUR);
		assert_int_equal(tl->iv[i].end, want[i][1] * TC_HOUR);
	}
	assert_true(tc_timeline_contains(tl, 8 * TC_HOUR));
	assert_false(tc_timeline_contains(tl, 18 * TC_HOUR));
	assert_false(tc_timeline_contains(tl, 2 * TC_DAY)); /* the weekend */
	assert_int_equal(tc_timeline_next_start(tl, 18 * TC_HOUR), 79 * TC_HOUR);
	tc_scenario_free(s);
}

static void channel_pairs_are_sorted_unique_and_symmetric(void **state)
{
	(void)state;
	tc_scenario *s = test_scenario("pairs.yaml",
		"exercise: {name: T, start: 2024-03-01T09:00:00Z, duration: 2d}\n"
		"actors:\n"
		"  - {id: victim, level: technical, handling: {default: 10m}}\n"
		"  - {id: cert, level: technical, handling: {default: 10m}}\n"
		"  - {id: ars, level: operational, handling: {default: 10m}}\n"
		"incidents: [{id: attack, required: [victim, cert]}]\n"
		"channels:\n"
		"  - {id: phone, latency: 1m, pairs: [[cert, victim], [victim, cert], [ars, victim]]}\n"
		"  - {id: mail, latency: 5m, priority: 0}\n");
	int victim = tc_scenario_find_actor(s, "victim"), cert = tc_scenario_find_actor(s, "cert");
	int ars = tc_scenario_find_actor(s, "ars");
	assert_int_equal(victim, 0);
	assert_int_equal(cert, 1);
	assert_int_equal(ars, 2);
	const tc_channel_def *phone = &s->channels[0], *mail = &s->channels[1];
	assert_false(phone->all_pairs);
	assert_int_equal(phone->pair_count, 2);
	assert_int_equal(phone->pairs[0], (uint64_t)0 << 32 | 1); /* victim-cert, once */
	assert_int_equal(phone->pairs[1], (uint64_t)0 << 32 | 2); /* victim-ars */
	assert_true(tc_channel_connects(phone, 1, 0));
	assert_true(tc_channel_connects(phone, 0, 2));
	assert_false(tc_channel_connects(phone, 1, 2));
	assert_int_equal(phone->priority, 0); /* its position */
	assert_true(mail->all_pairs);
	assert_true(tc_channel_connects(mail, 1, 2));
	assert_int_equal(mail->priority, 0);
	tc_scenario_free(s);
}

static void rules_grouped_by_actor_in_file_order(void **state)
{
	(void)state;
	tc_scenario *s = test_scenario("rules.yaml", BASE
		"doctrine:\n"
		"  name: inline\n"
		"  rules:\n"
		"    - {actor: cert, on: alert, ack: true}\n"                   /* line 10 */
		"    - {actor: victim, on: any, send: {kind: alert, to: cert}}\n"
		"    - {actor: cert, on: [sitrep, info], send: {kind: sitrep, to: sender}}\n"
		"    - {actor: victim, on: alert, ack: true, once: true}\n"
		"    - {actor: cert, on: ack, from: victim, ack: true}\n");   /* line 14 */
	const tc_doctrine_def *d = &s->doctrine;
	assert_string_equal(d->name, "inline");
	assert_null(d->file);
	assert_int_equal(d->rule_count, 5);
	/* victim (0): rules of lines 11, 13; cert (1): lines 10, 12, 14. */
	assert_int_equal(d->first_rule[0], 0);
	assert_int_equal(d->first_rule[1], 2);
	assert_int_equal(d->first_rule[2], 5);
	static const char *const lines[] = {":11", ":13", ":10", ":12", ":14"};
	for (size_t i = 0; i < 5; i++) {
		const char *label = d->rules[i].label;
		size_t n = strlen(label), k = strlen(lines[i]);
		assert_true(n > k);
		assert_string_equal(label + n - k, lines[i]);
		assert_int_equal(d->rules[i].actor, i < 2 ? 0 : 1);
	}
	assert_null(d->rules[0].on_kinds); /* any */
	assert_true(d->rules[3].on_kinds[TC_KIND_SITREP] && d->rules[3].on_kinds[TC_KIND_INFO]);
	assert_false(d->rules[3].on_kinds[TC_KIND_ALERT]);
	assert_int_equal(d->rules[3].sends[0].to[0].type, TC_TARGET_SENDER);
	assert_true(d->rules[1].once);
	assert_true(d->rules[4].from[0] && !d->rules[4].from[1]);
	tc_scenario_free(s);
}

static void inject_time_notations_agree(void **state)
{
	(void)state;
	tc_scenario *s = test_scenario("times.yaml",
		"exercise: {name: T, start: 2024-03-01T09:00:00, duration: 2d, timezone: Europe/Paris}\n"
		"actors: [{id: victim, level: technical, handling: {default: 10m}}]\n"
		"incidents: [{id: attack, required: [victim], start: T-02:00}]\n"
		"injects:\n"
		"  - {id: iso-local, at: 2024-03-01T10:30:00, action: end}\n"
		"  - {id: iso-utc, at: 2024-03-01T09:30:00Z, action: end}\n"
		"  - {id: iso-offset, at: '2024-03-01T11:30:00+02:00', action: end}\n"
		"  - {id: clock, at: T+01:30, action: end}\n"
		"  - {id: chronogram, at: D+0 H+1 M+30, action: end}\n"
		"  - {id: jour, at: J+0 H+1 M+30, action: end}\n"
		"  - {id: duration, at: 1h30m, action: end}\n"
		"  - {id: decimal, at: 1.5h, action: end}\n"
		"  - {id: minutes, at: 90m, action: end}\n");
	/* Paris is UTC+1 on 1 March: T+0 is 08:00Z and each says T+1h30m. */
	assert_int_equal(s->epoch_utc_ms, (19783LL * 86400 + 8 * 3600) * 1000);
	assert_int_equal(s->inject_count, 9);
	for (size_t i = 0; i < s->inject_count; i++)
		if (s->injects[i].at != 90 * TC_MINUTE)
			fail_msg("inject %s at %lld ms", s->injects[i].id, (long long)s->injects[i].at);
	assert_int_equal(s->incidents[0].start, -2 * TC_HOUR);
	assert_int_equal(s->span_start, -2 * TC_HOUR);
	tc_scenario_free(s);
}

/* The options not used by the flagship, each resolved. */
static void every_option_resolves(void **state)
{
	(void)state;
	tc_scenario *s = test_scenario("options.yaml",
		"exercise: {name: T, description: D, start: 2024-03-04T00:00:00Z, duration: 3d, seed: 9}\n"
		"kinds: {ack: {informative: true}, triage: {informative: false}, notice: ~}\n"
		"actors:\n"
		"  - id: desk\n"
		"    name: Duty desk\n"
		"    level: operational\n"
		"    scope: national\n"
		"    staff: 3\n"
		"    holidays: [2024-03-05]\n"
		"    on_call: {staff: 2, callout_delay: 15m, min_severity: medium, stand_down: 0s}\n"
		"    played_by: human\n"
		"    handling:\n"
		"      default: {dist: exponential, mean: 10m}\n"
		"      alert: {dist: normal, mean: 20m, sd: 5m}\n"
		"      triage: {dist: triangular, min: 1m, mode: 2m, max: 4m}\n"
		"      sitrep: {dist: empirical, values: [1m, 3m], weights: [3, 1]}\n"
		"      info: {dist: fixed, value: 2m}\n"
		"      ack: {dist: uniform, min: 0s, max: 1m}\n"
		"  - {id: net, level: strategic, handling: {default: 1m}, members: [desk]}\n"
		"incidents:\n"
		"  - {id: one, title: First, severity: 1, start: 2024-03-03T12:00:00Z, detector: desk,\n"
		"     required: [desk]}\n"
		"  - {id: two, severity: critical, required: [desk, net]}\n"
		"channels: [{id: radio, kind: radio, latency: 1s, up: false, priority: 7}]\n"
		"meetings:\n"
		"  - {id: m, chair: net, participants: [desk], standing: {first: D+1 H+9, every: 1w},\n"
		"     duration: 0s, outcome: [{kind: sitrep, to: [required, level:operational, members:net,\n"
		"     members, sender]}]}\n"
		"injects:\n"
		"  - {id: wave, at: 1h, incident: one, to: desk, kind: triage, severity: low, tlp: CLEAR,\n"
		"     repeat: {every: {dist: exponential, mean: 1h}, count: 5, until: 1d}}\n"
		"  - {id: relay, at: 2h, incident: two, from: net, to: desk, kind: info, channel: radio}\n"
		"objectives:\n"
		"  - {id: o, incident: two, subject: level:operational, event: {sends: sitrep},\n"
		"     within: 2h, after: incident-start}\n"
		"doctrine:\n"
		"  name: filters\n"
		"  rules:\n"
		"    - {actor: desk, on: [alert, triage], min_severity: low, from: [net], from_level:\n"
		"       [strategic, political], incident: two, once: true, convene: m}\n");
	assert_string_equal(s->description, "D");
	assert_int_equal(s->default_seed, 9);
	/* Redeclared built-ins keep their index; new kinds follow them. */
	assert_true(s->kinds[TC_KIND_ACK].informative);
	int triage = tc_scenario_find_kind(s, "triage");
	assert_int_equal(triage, TC_KIND_BUILTIN_COUNT);
	assert_false(s->kinds[triage].informative);
	assert_true(s->kinds[tc_scenario_find_kind(s, "notice")].informative);
	const tc_actor_def *desk = &s->actors[0];
	assert_string_equal(desk->name, "Duty desk");
	assert_string_equal(desk->scope, "national");
	assert_int_equal(desk->level, TC_LEVEL_OPERATIONAL);
	assert_int_equal(desk->staff, 3);
	assert_true(desk->human);
	assert_int_equal(desk->on_call.staff, 2);
	assert_int_equal(desk->on_call.callout_delay, 15 * TC_MINUTE);
	assert_int_equal(desk->on_call.min_severity, 2);
	assert_int_equal(desk->on_call.stand_down, 0);
	/* 24/7 but for Tuesday 5 March: the day before T+0 through T+4d,
	 * less [T+1d, T+2d). */
	assert_false(desk->always_on_duty);
	assert_int_equal(desk->duty.count, 2);
	assert_int_equal(desk->duty.iv[0].end, TC_DAY);
	assert_int_equal(desk->duty.iv[1].start, 2 * TC_DAY);
	assert_int_equal(desk->default_handling.kind, TC_DIST_EXPONENTIAL);
	assert_int_equal(tc_actor_handling(desk, TC_KIND_ALERT)->kind, TC_DIST_NORMAL);
	assert_int_equal(tc_actor_handling(desk, (tc_kind_id)triage)->kind, TC_DIST_TRIANGULAR);
	assert_int_equal(tc_actor_handling(desk, TC_KIND_SITREP)->kind, TC_DIST_EMPIRICAL);
	assert_int_equal(tc_actor_handling(desk, TC_KIND_INFO)->kind, TC_DIST_FIXED);
	assert_int_equal(tc_actor_handling(desk, TC_KIND_ACK)->kind, TC_DIST_UNIFORM);
	assert_int_equal(tc_actor_handling(desk, TC_KIND_PRESS)->kind, TC_DIST_EXPONENTIAL);
	assert_false(s->actors[1].human);
	assert_int_equal(s->actors[1].member_count, 1);
	const tc_incident_def *one = &s->incidents[0];
	assert_string_equal(one->title, "First");
	assert_int_equal(one->severity, 1);
	assert_int_equal(one->start, -12 * TC_HOUR);
	assert_int_equal(one->detector, 0);
	assert_int_equal(s->incidents[1].severity, 4);
	assert_false(s->channels[0].initially_up);
	assert_int_equal(s->channels[0].priority, 7);
	const tc_meeting_def *m = &s->meetings[0];
	assert_true(m->standing);
	assert_int_equal(m->first, 33 * TC_HOUR);
	assert_int_equal(m->every, TC_WEEK);
	assert_int_equal(m->quorum, 2); /* all participants, the chair included */
	assert_int_equal(m->participant_count, 2);
	assert_int_equal(m->participants[0], 1); /* the chair first */
	assert_int_equal(m->incident, -1);
	assert_int_equal(m->outcome_count, 1);
	static const tc_target_type want[] = {TC_TARGET_REQUIRED, TC_TARGET_LEVEL,
	                                      TC_TARGET_MEMBERS_OF, TC_TARGET_MEMBERS,
	                                      TC_TARGET_SENDER};
	assert_int_equal(m->outcome[0].to_count, 5);
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(m->outcome[0].to[i].type, want[i]);
	assert_int_equal(m->outcome[0].to[1].level, TC_LEVEL_OPERATIONAL);
	assert_int_equal(m->outcome[0].to[2].actor, 1);
	const tc_inject_def *wave = &s->injects[0], *relay = &s->injects[1];
	assert_true(wave->repeats);
	assert_int_equal(wave->count, 5);
	assert_int_equal(wave->until, TC_DAY);
	assert_int_equal(wave->severity, 1);
	assert_int_equal(wave->tlp, TC_TLP_CLEAR);
	assert_int_equal(wave->from, -1);
	assert_int_equal(relay->from, 1);
	assert_int_equal(relay->channel, 0);
	assert_int_equal(relay->severity, 4); /* the incident's */
	assert_int_equal(relay->tlp, TC_TLP_AMBER);
	const tc_objective_def *o = &s->objectives[0];
	assert_int_equal(o->subject, TC_SUBJECT_LEVEL);
	assert_int_equal(o->subject_level, TC_LEVEL_OPERATIONAL);
	assert_int_equal(o->event, TC_EVENT_SENDS);
	assert_int_equal(o->to_actor, -1);
	assert_int_equal(o->anchor, TC_ANCHOR_INCIDENT_START);
	const tc_rule_def *r = &s->doctrine.rules[0];
	assert_int_equal(r->min_severity, 1);
	assert_int_equal(r->from_levels, 1u << TC_LEVEL_STRATEGIC | 1u << TC_LEVEL_POLITICAL);
	assert_int_equal(r->incident, 1);
	assert_int_equal(r->convene, 0);
	assert_true(r->once && !r->ack && r->send_count == 0);
	/* The earliest time anything refers to: incident one, the day before. */
	assert_int_equal(s->span_start, -12 * TC_HOUR);
	tc_scenario_free(s);
}

/* The buffer entry point is the file's code path: same result, same hash. */
static void buffer_and_file_load_alike(void **state)
{
	(void)state;
	size_t len;
	char *text = test_read_file(test_source_path(FLAGSHIP), &len);
	assert_non_null(text);
	tc_diag diag;
	tc_diag_init(&diag, tc_alloc_default());
	tc_scenario *a = NULL, *b = NULL;
	/* The name locates the doctrine file, as a path would. */
	assert_int_equal(tc_scenario_load_buffer(&a, tc_alloc_default(), test_source_path(FLAGSHIP),
	                                         text, len, NULL, &diag), TC_OK);
	assert_int_equal(tc_scenario_load(&b, tc_alloc_default(), test_source_path(FLAGSHIP), NULL,
	                                  &diag), TC_OK);
	assert_int_equal(diag.count, 0);
	assert_string_equal(a->sha256, b->sha256);
	assert_string_equal(a->file, b->file);
	assert_int_equal(a->doctrine.rule_count, b->doctrine.rule_count);
	tc_scenario_free(a);
	tc_scenario_free(b);
	/* Not NUL-terminated: only len bytes are read. */
	char *cut = malloc(len);
	assert_non_null(cut);
	memcpy(cut, BASE, strlen(BASE));
	memset(cut + strlen(BASE), '@', len - strlen(BASE));
	assert_int_equal(tc_scenario_load_buffer(&a, tc_alloc_default(), NULL, cut, strlen(BASE),
	                                         NULL, &diag), TC_OK);
	assert_string_equal(a->file, "<input>");
	tc_scenario_free(a);
	free(cut);
	free(text);
	tc_diag_release(&diag);
}

/* ---- errors, exactly ---- */

static void unknown_keys_at_every_level(void **state)
{
	(void)state;
	expect_errors(BASE "actorz: []\n",
		"7:1: unknown key 'actorz' in scenario (did you mean 'actors'?)\n");
	expect_errors(
		"exercise:\n"
		"  name: T\n"
		"  start: 2024-03-01T09:00:00Z\n"
		"  duration: 2d\n"
		"  durration: 1d\n"
		"actors:\n"
		"  - id: victim\n"
		"    level: technical\n"
		"    handling: {default: 10m, alert: {dist: lognormal, median: 5m, p09: 30m}}\n"
		"    on_call: {staff: 1, callout_delay: 1h, min_sevrity: high}\n"
		"    staf: 2\n"
		"incidents:\n"
		"  - {id: attack, required: [victim], severty: high}\n",
		"5:3: unknown key 'durration' in exercise (did you mean 'duration'?)\n"
		"9:37: lognormal distribution: missing required key 'p90'\n"
		"9:67: unknown key 'p09' in lognormal distribution (did you mean 'p90'?)\n"
		"10:44: unknown key 'min_sevrity' in on_call (did you mean 'min_severity'?)\n"
		"11:5: unknown key 'staf' in actor 'victim' (did you mean 'staff'?)\n"
		"13:38: unknown key 'severty' in incident 'attack' (did you mean 'severity'?)\n");
	expect_errors(BASE
		"channels:\n"
		"  - id: phone\n"
		"    latency: 1m\n"
		"    los: 0.1\n"                                                   /* 10 */
		"meetings:\n"
		"  - id: crisis\n"
		"    chair: cert\n"
		"    participants: [victim]\n"
		"    duration: 1h\n"
		"    quorom: 2\n"                                                  /* 16 */
		"    standing: {first: T+1h, evry: 1d}\n"
		"    outcome:\n"
		"      - {kind: alert, to: victim, retry: {after: 1h, maxx: 2}, chanel: phone}\n"
		"kinds:\n"                                                         /* 20 */
		"  triage: {informativ: false}\n"
		"injects:\n"
		"  - {id: i1, at: T+1h, to: victim, kind: alert, severty: high, repeat: {every: 1h, cont: 3}}\n"
		"  - {id: i2, at: T+1h, action: channel-down, chanel: phone}\n"
		"  - {id: i3, at: T+1h, action: channel-up, channel: phone, to: victim}\n"
		"  - {id: i4, at: T+1h, action: set-staff, actor: victim, staf: 3}\n"
		"  - {id: i5, at: T+1h, action: convene, meting: crisis}\n"
		"  - {id: i6, at: T+1h, action: end, kind: alert}\n"
		"objectives:\n"
		"  - {id: o1, subject: victim, event: {send: alert}, within: 1h}\n" /* 30 */
		"  - {id: o2, subject: victim, event: aware, within: 1h, after: {awre: cert}, descripton: x}\n"
		"doctrine:\n"
		"  nam: x\n"
		"  rules:\n"
		"    - {actor: victim, on: alert, onse: true, ack: true}\n",
		"10:5: unknown key 'los' in channel 'phone' (did you mean 'loss'?)\n"
		"16:5: unknown key 'quorom' in meeting 'crisis' (did you mean 'quorum'?)\n"
		"17:29: unknown key 'evry' in standing (did you mean 'every'?)\n"
		"19:54: unknown key 'maxx' in retry (did you mean 'max'?)\n"
		"19:64: unknown key 'chanel' in send (did you mean 'channel'?)\n"
		"21:12: unknown key 'informativ' in kind 'triage' (did you mean 'informative'?)\n"
		"23:49: unknown key 'severty' in message inject 'i1' (did you mean 'severity'?)\n"
		"23:84: unknown key 'cont' in repeat (did you mean 'count'?)\n"
		"24:5: inject 'i2': missing required key 'channel'\n"
		"24:46: unknown key 'chanel' in channel-down inject 'i2' (did you mean 'channel'?)\n"
		"25:60: unknown key 'to' in channel-up inject 'i3' (expected one of: id, at, action, "
		"incident, subject, description, expected, objective, channel)\n"
		"26:5: inject 'i4': missing required key 'staff'\n"
		"26:58: unknown key 'staf' in set-staff inject 'i4' (did you mean 'staff'?)\n"
		"27:5: inject 'i5': missing required key 'meeting'\n"
		"27:41: unknown key 'meting' in convene inject 'i5' (did you mean 'meeting'?)\n"
		"28:37: unknown key 'kind' in end inject 'i6' (expected one of: id, at, action, "
		"incident, subject, description, expected, objective)\n"
		"30:38: expected exactly one of 'sends' or 'meeting' in an objective's event\n"
		"30:39: unknown key 'send' in objective event (did you mean 'sends'?)\n"
		"31:64: expected exactly one of 'aware' or 'objective' in 'after'\n"
		"31:65: unknown key 'awre' in objective anchor (after) (did you mean 'aware'?)\n"
		"31:78: unknown key 'descripton' in objective 'o2' (did you mean 'description'?)\n"
		"33:3: unknown key 'nam' in doctrine (did you mean 'name'?)\n"
		"35:34: unknown key 'onse' in rule (did you mean 'once'?)\n");
	/* Keys of the other distributions. */
	expect_errors(BASE
		"channels:\n"
		"  - {id: a, latency: {dist: uniform, min: 1m, max: 2m, mode: 1m}}\n"
		"  - {id: b, latency: {dist: empirical, values: [1m], weight: [1]}}\n"
		"  - {id: c, latency: {dist: fixed, value: 1m, mean: 1m}}\n",
		"8:56: unknown key 'mode' in uniform distribution (expected one of: dist, min, max)\n"
		"9:54: unknown key 'weight' in empirical distribution (did you mean 'weights'?)\n"
		"10:47: unknown key 'mean' in fixed distribution (expected one of: dist, value)\n");
}

static void missing_required_keys(void **state)
{
	(void)state;
	expect_errors("description: none\n",
		"1:1: unknown key 'description' in scenario (expected one of: exercise, include, kinds, "
		"actors, channels, incidents, meetings, doctrine, injects, objectives, scripts)\n"
		"1:1: scenario: missing required key 'exercise'\n"
		"1:1: scenario: missing required key 'actors'\n"
		"1:1: scenario: missing required key 'incidents'\n");
	expect_errors(
		"exercise:\n"
		"  name: T\n"
		"actors:\n"
		"  - {name: Victim, level: technical, handling: {default: 1m}}\n"
		"  - {id: cert, handling: {default: 1m}}\n"
		"  - {id: ars, level: technical}\n"
		"  - {id: hosp, level: technical, handling: {alert: 1m}}\n"
		"  - {id: cert2, level: technical, handling: {default: {dist: uniform, min: 1m}}}\n",
		"1:1: scenario: missing required key 'incidents'\n"
		"2:3: exercise: missing required key 'start'\n"
		"2:3: exercise: missing required key 'duration'\n"
		"4:5: actor: missing required key 'id'\n"
		"5:5: actor 'cert': missing required key 'level'\n"
		"6:5: actor 'ars': missing required key 'handling' (e.g. handling: {default: "
		"{dist: lognormal, median: 20m, p90: 1h}})\n"
		"7:44: actor 'hosp': handling: missing required key 'default' (the handling time of "
		"kinds not listed)\n"
		"8:55: uniform distribution: missing required key 'max'\n");
	expect_errors(BASE
		"channels:\n"
		"  - id: phone\n"
		"meetings:\n"
		"  - id: crisis\n"
		"    participants: [victim]\n"
		"injects:\n"
		"  - {id: i1, at: 1h}\n"
		"  - {id: i2, at: 1h, action: channel-down}\n"
		"  - {id: i3, at: 1h, action: set-staff}\n"
		"  - {id: i4, at: 1h, action: convene}\n"
		"  - {id: i5, action: end}\n"
		"objectives:\n"
		"  - {id: o1}\n"
		"doctrine:\n"                                                 /* 20 */
		"  rules:\n"
		"    - {on: alert, ack: true}\n"
		"    - {actor: victim, ack: true}\n"
		"    - {actor: victim, on: alert, send: {kind: alert}}\n"
		"    - {actor: victim, on: alert, send: {to: cert, retry: {max: 2}}}\n"
		"    - {actor: victim, on: alert}\n",
		"8:5: channel 'phone': missing required key 'latency'\n"
		"10:5: meeting 'crisis': missing required key 'chair'\n"
		"10:5: meeting 'crisis': missing required key 'duration'\n"
		"13:5: inject 'i1': missing required key 'to'\n"
		"13:5: inject 'i1': missing required key 'kind'\n"
		"14:5: inject 'i2': missing required key 'channel'\n"
		"15:5: inject 'i3': missing required key 'actor'\n"
		"15:5: inject 'i3': missing required key 'staff'\n"
		"16:5: inject 'i4': missing required key 'meeting'\n"
		"17:5: inject 'i5': missing required key 'at'\n"
		"19:5: objective 'o1': missing required key 'subject'\n"
		"19:5: objective 'o1': missing required key 'event'\n"
		"19:5: objective 'o1': missing required key 'within'\n"
		"22:7: rule: missing required key 'actor'\n"
		"23:7: rule: missing required key 'on'\n"
		"24:40: send: missing required key 'to'\n"
		"25:40: send: missing required key 'kind'\n"
		"25:58: retry: missing required key 'after'\n"
		"26:7: rule for 'victim' does nothing: give it send, ack or convene\n");
	/* With two incidents, entries must say which one they are about. */
	expect_errors(BASE
		"  - {id: other, required: [cert]}\n"
		"injects:\n"
		"  - {id: i1, at: 1h, to: victim, kind: alert}\n"
		"objectives:\n"
		"  - {id: o1, subject: victim, event: aware, within: 1h}\n",
		"9:5: inject 'i1': missing required key 'incident' (the scenario has 2 incidents)\n"
		"11:5: objective 'o1': missing required key 'incident' (the scenario has 2 incidents)\n");
}

static void duplicate_ids_in_each_section(void **state)
{
	(void)state;
	expect_errors(
		"exercise: {name: T, start: 2024-03-01T09:00:00Z, duration: 2d}\n"
		"actors:\n"
		"  - {id: victim, level: technical, handling: {default: 10m}}\n"
		"  - {id: victim, level: strategic, handling: {default: 10m}}\n"
		"incidents:\n"
		"  - {id: attack, required: [victim]}\n"
		"  - {id: attack, required: [victim, victim]}\n"
		"channels:\n"
		"  - {id: phone, latency: 1m}\n"
		"  - {id: phone, latency: 2m}\n"                              /* 10 */
		"meetings:\n"
		"  - {id: crisis, chair: victim, participants: [victim], duration: 1h}\n"
		"  - {id: crisis, chair: victim, participants: [victim], duration: 1h}\n"
		"injects:\n"
		"  - {id: go, at: 1h, action: end, incident: attack}\n"
		"  - {id: go, at: 2h, action: end}\n"
		"objectives:\n"
		"  - {id: aware, subject: victim, event: aware, within: 1h, incident: attack}\n"
		"  - {id: aware, subject: victim, event: aware, within: 1h}\n",
		"4:10: duplicate actor id 'victim'\n"
		"7:10: duplicate incident id 'attack'\n"
		"10:10: duplicate channel id 'phone'\n"
		"13:10: duplicate meeting id 'crisis'\n"
		"16:10: duplicate inject id 'go'\n"
		"19:10: duplicate objective id 'aware'\n");
	/* In lists of ids, and kinds (a YAML duplicate key). */
	expect_errors(BASE
		"  - {id: other, required: [victim, cert, victim]}\n"
		"meetings:\n"
		"  - {id: crisis, chair: cert, participants: [victim, cert, cert], duration: 1h}\n",
		"7:42: actor 'victim' is listed twice\n"
		"9:60: actor 'cert' is listed twice\n");
	expect_errors(BASE "kinds: {triage: {}, triage: {}}\n",
		"7:21: duplicate key 'triage' (first defined at line 7, column 9)\n");
}

static void undefined_references_with_hints(void **state)
{
	(void)state;
	expect_errors(BASE
		"channels:\n"
		"  - {id: phone, latency: 1m, pairs: [[victim, cret]]}\n"
		"meetings:\n"
		"  - {id: crisis, chair: victm, participants: [cert, ars], duration: 1h, incident: atack}\n"
		"injects:\n"
		"  - {id: i1, at: 1h, to: victim, kind: alret, from: cert, channel: phon}\n"
		"  - {id: i2, at: 1h, action: convene, meeting: crisiss}\n"
		"  - {id: i3, at: 1h, to: victim, kind: triage}\n"
		"  - {id: i4, at: 1h, action: channel-down, channel: phone, incident: attak}\n"
		"objectives:\n"
		"  - {id: o1, subject: victim, event: aware, within: 1h, after: {objective: o2x}}\n"
		"  - {id: o2, subject: victim, event: {meeting: crisis}, within: 1h, incident: nope}\n"
		"doctrine:\n"
		"  rules:\n"
		"    - {actor: cret, on: [alert, sitrepp], send: {kind: info, to: [members:victm, level:strategc]}}\n",
		"8:47: unknown actor 'cret' (did you mean 'cert'?)\n"
		"10:25: unknown actor 'victm' (did you mean 'victim'?)\n"
		"10:53: unknown actor 'ars'\n"
		"10:83: unknown incident 'atack' (did you mean 'attack'?)\n"
		"12:40: unknown message kind 'alret' (did you mean 'alert'?)\n"
		"12:68: unknown channel 'phon' (did you mean 'phone'?)\n"
		"13:48: unknown meeting 'crisiss' (did you mean 'crisis'?)\n"
		"14:40: unknown message kind 'triage' (declare it under 'kinds:')\n"
		"15:70: unknown incident 'attak' (did you mean 'attack'?)\n"
		"17:76: unknown objective 'o2x' (did you mean 'o2'?)\n"
		"18:79: unknown incident 'nope'\n"
		"21:15: unknown actor 'cret' (did you mean 'cert'?)\n"
		"21:33: unknown message kind 'sitrepp' (did you mean 'sitrep'?)\n"
		"21:67: unknown actor in 'members:victm' (did you mean 'members:victim'?)\n"
		"21:82: unknown level in 'level:strategc' (did you mean 'level:strategic'?)\n");
}

/* An inject's subject (a title) and the objective it serves: optional on
 * every action; objectives are listed after the injects but referred to. */
static void inject_subject_and_objective(void **state)
{
	(void)state;
	tc_scenario *s = test_scenario("subject.yaml", BASE
		"injects:\n"
		"  - {id: i1, at: T+1h, to: cert, kind: alert, subject: Ransom note, objective: o2}\n"
		"  - {id: i2, at: T+2h, action: end, subject: '42', objective: o1}\n"
		"  - {id: i3, at: T+3h, to: cert, kind: alert}\n"
		"objectives:\n"
		"  - {id: o1, subject: cert, event: aware, within: 1h}\n"
		"  - {id: o2, subject: victim, event: aware, within: 2h}\n");
	assert_int_equal(s->inject_count, 3);
	assert_string_equal(s->injects[0].subject, "Ransom note");
	assert_int_equal(s->injects[0].objective, 1);
	assert_string_equal(s->injects[1].subject, "42");
	assert_int_equal(s->injects[1].objective, 0);
	assert_null(s->injects[2].subject);
	assert_int_equal(s->injects[2].objective, -1);
	tc_scenario_free(s);
	expect_errors(BASE
		"injects:\n"
		"  - {id: i1, at: T+1h, to: cert, kind: alert, subject: [a], objective: o-2}\n"
		"  - {id: i2, at: T+2h, action: end, subject: ~, objective: ~}\n"
		"  - {id: i3, at: T+3h, action: end, objective: nope}\n"
		"objectives:\n"
		"  - {id: o-1, subject: cert, event: aware, within: 1h}\n",
		"8:56: expected a string (a subject), got a sequence\n"
		"8:72: unknown objective 'o-2' (did you mean 'o-1'?)\n"
		"9:46: expected a string (a subject), got null\n"
		"9:60: expected an objective id, got nothing\n"
		"10:48: unknown objective 'nope'\n");
}

static void impossible_values(void **state)
{
	(void)state;
	expect_errors(
		"exercise: {name: T, start: 2024-03-01T09:00:00Z, duration: 2d}\n"
		"actors:\n"
		"  - {id: victim, level: techincal, staff: -1, handling: {default: {dist: lognormal, median: 20m, p90: 20m}}}\n"
		"  - {id: cert, level: technical, handling: {default: {dist: weibull, scale: 1h}}, members: [victim, cert]}\n"
		"incidents:\n"
		"  - {id: attack, severity: hihg, required: []}\n"
		"channels:\n"
		"  - {id: phone, latency: 1m, loss: 1.5}\n"
		"  - {id: mail, latency: 1m, loss: 1}\n"
		"meetings:\n"                                                 /* 10 */
		"  - {id: crisis, chair: cert, participants: [victim], quorum: 3, duration: 1h}\n"
		"injects:\n"
		"  - {id: i1, at: 1h, to: victim, kind: alert, tlp: AMBR, incident: attack}\n"
		"  - {id: i2, at: 1h, to: [cert, victim], from: victim, kind: alert}\n",
		"3:25: unknown level 'techincal' (did you mean 'technical'?)\n"
		"3:43: integer -1 is out of range (expected 0 to 100000)\n"
		"3:103: p90 (20m) must be greater than the median (20m)\n"
		"4:61: unknown distribution 'weibull' (expected fixed, uniform, exponential, normal, "
		"lognormal, triangular or empirical)\n"
		"4:101: actor 'cert' cannot be a member of itself\n"
		"6:28: unknown severity 'hihg' (did you mean 'high'?)\n"
		"6:44: expected an actor id or a list of them, got an empty list\n"
		"8:36: number 1.5 is out of range (expected 0 to 1)\n"
		"9:35: expected a probability below 1 (a channel that loses everything should be "
		"taken down instead), got 1\n"
		"11:63: quorum 3 is more than the 2 participants (the chair included)\n"
		"13:52: unknown TLP marking 'AMBR' (did you mean 'AMBER'?)\n"
		"14:33: inject 'i2' sends to its own sender 'victim'\n");
	/* Distributions in durations, pointing at the offending key. */
	expect_errors(BASE
		"channels:\n"
		"  - {id: a, latency: -5m}\n"
		"  - {id: b, latency: {dist: uniform, min: 2m, max: 1m}}\n"
		"  - {id: c, latency: {dist: lognormal, median: 0s, p90: 15m}}\n"
		"  - {id: d, latency: {dist: triangular, min: 1m, mode: 3m, max: 2m}}\n"
		"  - {id: e, latency: {dist: exponential, mean: 0}}\n"
		"  - {id: f, latency: {dist: normal, mean: 1h, sd: 0s}}\n"
		"  - {id: g, latency: {dist: empirical, values: [1m, -2m]}}\n"
		"  - {id: h, latency: {dist: empirical, values: [1m, 2m], weights: [0, 0]}}\n"
		"  - {id: i, latency: {dist: empirical, values: [1m, 2m], weights: [1]}}\n",
		"8:22: expected a duration of zero or more, got '-5m'\n"
		"9:52: max (1m) must be at least min (2m)\n"
		"10:48: median must be greater than 0, got 0s\n"
		"11:65: max (2m) must be at least mode (3m)\n"
		"12:48: mean must be greater than 0, got 0\n"
		"13:51: sd must be greater than 0, got 0s\n"
		"14:53: expected a duration of zero or more, got '-2m'\n"
		"15:22: empirical weights must not all be 0\n"
		"16:67: expected 2 weights (one per value), got 1\n");
	/* Other impossible settings. */
	expect_errors(
		"exercise: {name: T, start: 2024-03-01T09:00:00Z, duration: 2d}\n"
		"actors:\n"
		"  - {id: victim, level: technical, handling: {default: 10m}}\n"
		"  - {id: cert, level: technical, handling: {default: 10m}}\n"
		"  - {id: sender, level: technical, handling: {default: 1m}}\n"
		"incidents: [{id: attack, required: [victim, cert]}]\n"
		"kinds: {any: {}}\n"
		"channels:\n"
		"  - {id: phone, latency: 1m, pairs: [[victim, victim], [cert]]}\n"
		"  - {id: mail, latency: 1m, pairs: []}\n"                          /* 10 */
		"meetings:\n"
		"  - {id: m, chair: cert, participants: [victim], duration: -1h, quorum_timeout: 0s}\n"
		"objectives:\n"
		"  - {id: o, subject: victim, event: {meeting: m, to: cert}, within: -1h}\n"
		"doctrine:\n"
		"  rules:\n"
		"    - {actor: victim, on: [], from_level: [], ack: true}\n"
		"    - {actor: victim, on: alert, send: {kind: alert, to: [], retry: {after: 0s}}}\n",
		"5:10: 'sender' cannot be an actor id: it is a recipient keyword (to: sender)\n"
		"7:9: 'any' cannot be a message kind: 'on: any' matches every kind\n"
		"9:38: a channel pair needs two different actors\n"
		"9:56: expected a pair of two actor ids, got 1\n"
		"10:36: expected at least one actor pair (without 'pairs' a channel connects every "
		"pair)\n"
		"12:60: expected a meeting duration of zero or more, got '-1h'\n"
		"12:81: expected a positive quorum_timeout, got '0s'\n"
		"14:54: 'to' goes with 'sends', not with 'meeting'\n"
		"14:69: expected a deadline of zero or more, got '-1h'\n"
		"17:27: expected any, a message kind or a list of kinds, got an empty list\n"
		"17:43: expected a level or a list of levels, got an empty list\n"
		"18:58: expected at least one recipient\n"
		"18:77: expected a positive retry delay, got '0s'\n");
}

/* A SEND names each recipient once, like every list of ids; a doctrine's
 * description is text. */
static void recipients_once(void **state)
{
	(void)state;
	expect_errors(BASE
		"doctrine:\n"
		"  description: [not, text]\n"
		"  rules:\n"
		"    - {actor: victim, on: alert, send: {kind: info, to: [cert, required, cert]}}\n"
		"    - {actor: cert, on: alert, send: {kind: info, to: [level:technical, level:technical]}}\n",
		"8:16: expected a string (a doctrine description), got a sequence\n"
		"10:74: recipient 'cert' is listed twice\n"
		"11:73: recipient 'level:technical' is listed twice\n");
}

static void more_refusals(void **state)
{
	(void)state;
	expect_errors(
		"exercise: {name: T, start: 2024-03-01T09:00:00Z, duration: 2d}\n"
		"actors:\n"
		"  - {id: a, level: technical, handling: {default: 1m}, played_by: robot,\n"
		"     on_call: {staff: 1, callout_delay: -1m, stand_down: -1h}}\n"
		"  - {id: b, level: technical, handling: {default: {dist: empirical, values: []}},\n"
		"     schedule: {mon: \"09:00-10:00\"}, holidays: [2024-03-04, xmas]}\n"
		"incidents: [{id: i, required: [a, b], detector: ~}]\n"
		"channels: [{id: c, latency: 1m}]\n"
		"meetings:\n"
		"  - {id: m, chair: a, participants: b, duration: 1h, standing: {first: 1h, every: 0s}}\n"
		"injects:\n"
		"  - {id: i1, at: 1h, action: sned}\n"
		"  - {id: i2, at: 1h, to: a, kind: alert, channel: c}\n"
		"  - {id: i3, at: 1h, to: a, kind: ~}\n"
		"doctrine:\n"
		"  rules:\n"
		"    - {actor: a, on: alert, incident: x, send: {kind: alert, to: members:nobody}}\n",
		"3:67: expected played_by: sim or human, got 'robot'\n"
		"4:41: expected a callout delay of zero or more\n"
		"4:58: expected a stand-down delay of zero or more\n"
		"5:77: expected 1 to 100000 values, got 0\n"
		"6:61: expected a four-digit year (YYYY-MM-DD), found 'x'\n"
		"7:49: expected an actor id, got nothing\n"
		"10:83: expected a positive interval between meetings\n"
		"12:30: unknown inject action 'sned' (expected message, channel-down, channel-up, "
		"set-staff, convene or end)\n"
		"13:51: inject 'i2' comes from outside the exercise (no 'from'), so it uses no channel\n"
		"14:35: expected a message kind, got nothing\n"
		"17:39: unknown incident 'x'\n"
		"17:66: unknown actor in 'members:nobody' (expected members:ACTOR-ID)\n");
}

/* Limits that only a generated file reaches. */
static void section_limits(void **state)
{
	(void)state;
	const char *errors;
	size_t len;
	/* 257 message kinds: the built-in ones and 244 more fit. */
	char *text = repeat_lines("exercise: {name: T, start: 2024-03-01T09:00:00Z, duration: 1d}\n"
	                          "actors: [{id: a, level: technical, handling: {default: 1m}}]\n"
	                          "incidents: [{id: i, required: [a]}]\nkinds:\n",
	                          "  k%zu: {}\n", TC_KIND_MAX, "", &len);
	assert_int_equal(load_buffer(text, len, &errors), TC_ELIMIT);
	char expected[128];
	snprintf(expected, sizeof expected, "buffer.yaml:%d:3: too many message kinds (at most %d)\n",
	         4 + TC_KIND_MAX - TC_KIND_BUILTIN_COUNT + 1, TC_KIND_MAX);
	assert_string_equal(errors, expected);
	free(text);
	/* 65 time zones. */
	static const char *const zones[] = {
		"Europe/Amsterdam", "Europe/Andorra", "Europe/Athens", "Europe/Belgrade",
		"Europe/Berlin", "Europe/Bratislava", "Europe/Brussels", "Europe/Bucharest",
		"Europe/Budapest", "Europe/Chisinau", "Europe/Copenhagen", "Europe/Dublin",
		"Europe/Gibraltar", "Europe/Helsinki", "Europe/Istanbul", "Europe/Kaliningrad",
		"Europe/Lisbon", "Europe/Ljubljana", "Europe/London", "Europe/Luxembourg",
		"Europe/Madrid", "Europe/Malta", "Europe/Minsk", "Europe/Monaco", "Europe/Moscow",
		"Europe/Oslo", "Europe/Paris", "Europe/Prague", "Europe/Riga", "Europe/Rome",
		"Europe/Sofia", "Europe/Stockholm", "Europe/Tallinn", "Europe/Tirane", "Europe/Vienna",
		"Europe/Vilnius", "Europe/Warsaw", "Europe/Zagreb", "Europe/Zurich",
		"America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
		"America/Toronto", "America/Mexico_City", "America/Sao_Paulo", "America/Lima",
		"America/Bogota", "America/Santiago", "Asia/Tokyo", "Asia/Shanghai", "Asia/Kolkata",
		"Asia/Dubai", "Asia/Singapore", "Asia/Seoul", "Asia/Bangkok", "Asia/Jakarta",
		"Australia/Sydney", "Australia/Perth", "Africa/Cairo", "Africa/Lagos",
		"Africa/Nairobi", "Africa/Johannesburg", "Pacific/Auckland", "Atlantic/Reykjavik",
	};
	size_t cap = 65 * 96 + 256, used;
	text = malloc(cap);
	assert_non_null(text);
	used = (size_t)snprintf(text, cap, "exercise: {name: T, start: 2024-03-01T09:00:00Z, "
	                        "duration: 1d}\nincidents: [{id: i, required: [a0]}]\nactors:\n");
	assert_int_equal(sizeof zones / sizeof *zones, 65);
	for (size_t i = 0; i < 65; i++)
		used += (size_t)snprintf(text + used, cap - used, "- {id: a%zu, level: technical, "
		                         "timezone: %s, handling: {default: 1m}}\n", i, zones[i]);
	assert_int_equal(load_buffer(text, used, &errors), TC_ELIMIT);
	/* The exercise's UTC is one of the 64: the last two actors' zones fail. */
	assert_string_equal(errors, "buffer.yaml:67:41: too many time zones (at most 64)\n"
	                            "buffer.yaml:68:41: too many time zones (at most 64)\n");
	free(text);
	/* A cycle too long to print whole is cut. */
	cap = 20 * 160 + 512;
	text = malloc(cap);
	assert_non_null(text);
	used = (size_t)snprintf(text, cap, BASE "objectives:\n");
	for (int i = 0; i < 20; i++)
		used += (size_t)snprintf(text + used, cap - used,
		                         "- {id: objective-with-a-rather-long-name-%02d, subject: victim, "
		                         "event: aware, within: 1h,\n   after: {objective: "
		                         "objective-with-a-rather-long-name-%02d}}\n", i, (i + 1) % 20);
	assert_int_equal(load_buffer(text, used, &errors), TC_EINVAL);
	assert_non_null(strstr(errors, "buffer.yaml:9:23: objectives anchored on each other in a "
	                               "cycle: objective-with-a-rather-long-name-00 -> "));
	assert_non_null(strstr(errors, " -> ... -> objective-with-a-rather-long-name-00\n"));
	free(text);
}

static void malformed_durations_and_times_point_inside(void **state)
{
	(void)state;
	expect_errors(BASE
		"channels:\n"
		"  - {id: a, latency: 1h30x}\n"
		"  - {id: b, latency: '2h 30'}\n"
		"  - {id: c, latency: \"1.5.h\"}\n"
		"  - id: d\n"
		"    latency: 1mo\n"
		"injects:\n"
		"  - {id: i1, at: 'D+1 H+x', action: end}\n"
		"  - {id: i2, at: 2024-03-01T25:00:00Z, action: end}\n"
		"  - {id: i3, at: \"2024-02-30T10:00:00Z\", action: end}\n"
		"  - {id: i4, at: 2024-03-01T10:00:00+25:00, action: end}\n"
		"  - {id: i5, at: 2026-03-01T10:00:00Z, action: end}\n"
		"  - {id: i6, at: -400d, action: end}\n",
		"8:26: unknown unit 'x': expected one of ms, s, m, h, d, w, mo (lower case)\n"
		"9:28: expected a unit (ms, s, m, h, d, w, mo) after '30'\n"
		"10:26: expected a unit (ms, s, m, h, d, w, mo) after '1.5'\n"
		"12:14: calendar months are only allowed in deadlines; give '1mo' in days or weeks\n"
		"14:25: expected a number after 'H+', found 'x'\n"
		"15:29: hours must be 00-23, found '25'\n"
		"16:27: day must be 01-29 in 2024-02, found '30'\n"
		"17:38: expected a two-digit offset hour 00-23 after the sign, found '2'\n"
		"18:18: time '2026-03-01T10:00:00Z' is more than 366 days from the exercise start "
		"(T+0)\n"
		"19:18: time '-400d' is more than 366 days from the exercise start (T+0)\n");
	/* Anchors, tags, quotes and escapes: inside the text when the source
	 * shows it as is, else at the scalar. */
	expect_errors(BASE
		"injects:\n"
		"  - {id: i1, at: &t T+1x, action: end}\n"
		"  - {id: i2, at: !!str T+1x, action: end}\n"
		"  - {id: i3, at: *t, action: end}\n"                          /* 10 */
		"  - {id: i4, at: \"T+\\x31x\", action: end}\n"
		"  - {id: i5, at: 'T+1x', action: end}\n"
		"  - {id: i6, at: &q \"T+1x\", action: end}\n"
		"  - id: i7\n"
		"    at: |\n"
		"      T+1x\n"
		"    action: end\n"
		/* Columns count characters: each é is two bytes, one column. */
		"  - {id: i8, description: \"caf\u00e9 \u00e9\", at: T+1x   , action: end}\n",
		"8:24: unknown unit 'x': expected one of ms, s, m, h, d, w, mo (lower case)\n"
		"9:27: unknown unit 'x': expected one of ms, s, m, h, d, w, mo (lower case)\n"
		"10:18: unknown unit 'x': expected one of ms, s, m, h, d, w, mo (lower case)\n"
		"11:18: unknown unit 'x': expected one of ms, s, m, h, d, w, mo (lower case)\n"
		"12:22: unknown unit 'x': expected one of ms, s, m, h, d, w, mo (lower case)\n"
		"13:18: unknown unit 'x': expected one of ms, s, m, h, d, w, mo (lower case)\n"
		"15:9: unknown unit 'x': expected one of ms, s, m, h, d, w, mo (lower case)\n"
		"18:44: unknown unit 'x': expected one of ms, s, m, h, d, w, mo (lower case)\n");
	expect_errors(
		"exercise: {name: T, start: \"2024-13-01T09:00:00\", duration: 0s}\n"
		"actors:\n"
		"  - {id: victim, level: technical, handling: {default: 10m},\n"
		"     schedule: {mon-fry: \"08:00-18:00\", sat: \"09:00-25:00\"},\n"
		"     holidays: [2024-02-30, \"2024-1-01\"]}\n"
		"incidents:\n"
		"  - {id: attack, required: [victim]}\n",
		"1:34: month must be 01-12, found '13'\n"
		"1:61: expected an exercise duration between 1ms and 366d, got '0s'\n"
		"4:21: unknown day 'fry' (did you mean 'fri'?)\n"
		"4:53: time must be 00:00-24:00, found '25:00'\n"
		"5:25: day must be 01-29 in 2024-02, found '30'\n"
		"5:35: expected a two-digit month (YYYY-MM-DD), found '1'\n");
}

static void unknown_time_zones(void **state)
{
	(void)state;
	/* The exercise's zone falls back to UTC so the rest is still checked. */
	expect_errors(
		"exercise: {name: T, start: 2024-03-01T09:00:00, duration: 2d, timezone: Europe/Pariss}\n"
		"actors:\n"
		"  - {id: victim, level: technical, timezone: Mars/Olympus, handling: {default: 10m}}\n"
		"  - {id: cert, level: technical, timezone: \"../../etc/passwd\", handling: {default: 10m}}\n"
		"incidents:\n"
		"  - {id: attack, required: [victim, cert], severity: 7}\n",
		"1:73: unknown time zone 'Europe/Pariss' (not found in /usr/share/zoneinfo)\n"
		"3:46: unknown time zone 'Mars/Olympus' (not found in /usr/share/zoneinfo)\n"
		"4:44: invalid time zone name '../../etc/passwd': expected an IANA name such as "
		"Europe/Paris (letters, digits, '_', '+', '-' and '/' between parts)\n"
		"6:54: unknown severity '7' (expected info, low, medium, high, critical or 0 to 4)\n");
}

static void objective_anchor_cycles(void **state)
{
	(void)state;
	expect_errors(BASE
		"objectives:\n"
		"  - {id: a, subject: victim, event: aware, within: 1h, after: {objective: b}}\n"
		"  - {id: b, subject: victim, event: aware, within: 1h, after: {objective: c}}\n"
		"  - {id: c, subject: victim, event: aware, within: 1h, after: {objective: a}}\n"
		"  - {id: d, subject: victim, event: aware, within: 1h, after: {objective: d}}\n"
		"  - {id: e, subject: victim, event: aware, within: 1h, after: {objective: a}}\n"
		"  - {id: f, subject: victim, event: aware, within: 1h, after: {objective: g}}\n"
		"  - {id: g, subject: victim, event: aware, within: 1h, after: {objective: f}}\n",
		"8:75: objectives anchored on each other in a cycle: a -> b -> c -> a\n"
		"11:75: objective 'd' cannot be anchored on itself\n"
		"13:75: objectives anchored on each other in a cycle: f -> g -> f\n");
	/* A chain is fine. */
	tc_scenario *s = test_scenario("chain.yaml", BASE
		"objectives:\n"
		"  - {id: a, subject: victim, event: aware, within: 1h, after: {objective: b}}\n"
		"  - {id: b, subject: cert, event: aware, within: 1mo, after: start}\n");
	assert_int_equal(s->objectives[0].anchor, TC_ANCHOR_OBJECTIVE);
	assert_int_equal(s->objectives[0].anchor_objective, 1);
	assert_int_equal(s->objectives[1].anchor, TC_ANCHOR_T0);
	assert_int_equal(s->objectives[1].within.months, 1);
	tc_scenario_free(s);
}

/* ---- doctrine files ---- */

/* Write a doctrine next to the test scenarios; its file name in name[]. */
static void write_doctrine(const char *file, const char *text, char name[128])
{
	const char *path = test_write_temp(file, text);
	assert_non_null(path);
	snprintf(name, 128, "%s", strrchr(path, '/') + 1);
}

static const char *scenario_with_doctrine(const char *doctrine_name)
{
	static char text[1024];
	snprintf(text, sizeof text, BASE "doctrine: %s\n", doctrine_name);
	return test_write_temp("with-doctrine.yaml", text);
}

static void doctrine_file_missing_or_not_a_file(void **state)
{
	(void)state;
	const char *errors;
	assert_int_equal(test_load_file(scenario_with_doctrine("no-such-doctrine.yaml"), NULL, NULL,
	                           &errors), TC_ENOENT);
	char expected[512];
	snprintf(expected, sizeof expected,
	         "with-doctrine.yaml:7:11: cannot open doctrine file '%s/no-such-doctrine.yaml': "
	         "No such file or directory\n", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_string_equal(errors, expected);
	/* A directory, a FIFO (no writer: opening it would block for ever) and an
	 * empty file are refused at the scenario's line, without reading. */
	assert_int_equal(test_load_file(scenario_with_doctrine("/"), NULL, NULL, &errors), TC_EIO);
	assert_string_equal(errors, "with-doctrine.yaml:7:11: doctrine file '/' is not a regular "
	                            "file\n");
	char fifo[256];
	snprintf(fifo, sizeof fifo, "%s/tocsin-test-%ld-doctrine.fifo",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (long)getpid());
	unlink(fifo);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(test_load_file(scenario_with_doctrine(strrchr(fifo, '/') + 1), NULL, NULL,
	                           &errors), TC_EIO);
	assert_non_null(strstr(errors, "doctrine.fifo' is not a regular file\n"));
	unlink(fifo);
	char name[128];
	write_doctrine("empty-doctrine.yaml", "", name);
	assert_int_equal(test_load_file(scenario_with_doctrine(name), NULL, NULL, &errors), TC_EINVAL);
	assert_non_null(strstr(errors, "empty-doctrine.yaml' is empty (expected name and rules)\n"));
	expect_errors(BASE "doctrine:\n", "7:10: expected a doctrine file name or an inline "
	                                  "doctrine, got nothing\n");
}

static void invalid_doctrine_file_names_its_file_and_lines(void **state)
{
	(void)state;
	char name[128];
	write_doctrine("bad-doctrine.yaml",
		"name: bad\n"
		"rules:\n"
		"  - {actor: victm, on: alert, ack: true}\n"
		"  - {actor: cert, on: alret, send: {kind: sitrep, to: victim, tlp: PURPLE}}\n"
		"  - actor: cert\n"
		"    on: alert\n"
		"    convene: nope\n"
		"    once: maybe\n", name);
	const char *errors;
	/* The scenario's own error is reported too, in its file. */
	static char text[1024];
	snprintf(text, sizeof text, BASE "doctrine: %s\nkinds: {triage: {informative: perhaps}}\n",
	         name);
	const char *path = test_write_temp("uses-bad-doctrine.yaml", text);
	assert_int_equal(test_load_file(path, NULL, NULL, &errors), TC_EINVAL);
	assert_string_equal(errors,
		"uses-bad-doctrine.yaml:8:31: expected true or false, got 'perhaps'\n"
		"bad-doctrine.yaml:3:13: unknown actor 'victm' (did you mean 'victim'?)\n"
		"bad-doctrine.yaml:4:23: unknown message kind 'alret' (did you mean 'alert'?)\n"
		"bad-doctrine.yaml:4:68: unknown TLP marking 'PURPLE' (expected CLEAR, GREEN, AMBER, "
		"AMBER+STRICT or RED)\n"
		"bad-doctrine.yaml:7:14: unknown meeting 'nope'\n"
		"bad-doctrine.yaml:8:11: expected true or false, got 'maybe'\n");
	/* Malformed YAML in the doctrine. */
	write_doctrine("broken-doctrine.yaml", "name: x\nrules: [\n", name);
	assert_int_equal(test_load_file(scenario_with_doctrine(name), NULL, NULL, &errors), TC_EINVAL);
	assert_non_null(strstr(errors, "broken-doctrine.yaml:3:1: "));
}

static void doctrine_override_replaces_the_scenarios(void **state)
{
	(void)state;
	char good[128], other[128];
	write_doctrine("good-doctrine.yaml",
		"name: good\nrules:\n  - {actor: victim, on: alert, ack: true}\n", good);
	write_doctrine("other-doctrine.yaml",
		"rules:\n  - {actor: cert, on: any, ack: true}\n"
		"  - {actor: victim, on: any, ack: true}\n", other);
	const char *scenario = scenario_with_doctrine(good);
	tc_scenario *s;
	const char *errors;
	assert_int_equal(test_load_file(scenario, NULL, &s, &errors), TC_OK);
	assert_string_equal(s->doctrine.name, "good");
	assert_int_equal(s->doctrine.rule_count, 1);
	tc_scenario_free(s);
	char path[512];
	snprintf(path, sizeof path, "%s/%s", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", other);
	tc_load_options opt = {.doctrine_path = path};
	assert_int_equal(test_load_file(scenario, &opt, &s, &errors), TC_OK);
	assert_string_equal(s->doctrine.name, other); /* it has no name: its file's */
	assert_string_equal(s->doctrine.file, path);
	assert_int_equal(s->doctrine.rule_count, 2);
	tc_scenario_free(s);
	/* Even a scenario whose own doctrine is missing loads with an override. */
	assert_int_equal(test_load_file(scenario_with_doctrine("missing.yaml"), &opt, &s, &errors), TC_OK);
	tc_scenario_free(s);
	/* An override that does not exist is an error naming it. */
	opt.doctrine_path = "/nonexistent/doctrine.yaml";
	assert_int_equal(test_load_file(scenario, &opt, NULL, &errors), TC_ENOENT);
	assert_string_equal(errors, "doctrine.yaml:0:0: cannot open '/nonexistent/doctrine.yaml': "
	                            "No such file or directory\n");
}

static void every_error_of_a_file_is_reported(void **state)
{
	(void)state;
	/* One error in each section, some sections depending on broken ones. */
	expect_errors(
		"exercise: {name: T, start: 2024-03-01T09:00:00, duration: 2x, timezone: Nowhere}\n"
		"kinds: {triage: {informative: 3}}\n"
		"actors:\n"
		"  - {id: victim, level: technical, handling: {default: 10m}, staff: many}\n"
		"  - {id: 'bad id', level: technical, handling: {default: 10m}}\n"
		"  - {id: cert, level: technical, handling: {default: 10m}}\n"
		"channels: [{id: phone, latency: 1m, up: maybe}]\n"
		"incidents: [{id: attack, required: [victim, cret]}]\n"
		"meetings: [{id: m, chair: cert, participants: [victim], duration: 1h, quorum: 0}]\n"
		"injects: [{id: i1, at: T+1x, to: victim, kind: alert}]\n"
		"objectives: [{id: o, subject: level:boss, event: aware, within: 1h}]\n"
		"doctrine: {rules: [{actor: cert, on: alert, send: {kind: alert, to: victim, "
		"severity: 9}}]}\n",
		"1:60: unknown unit 'x': expected one of ms, s, m, h, d, w, mo (lower case)\n"
		"1:73: unknown time zone 'Nowhere' (not found in /usr/share/zoneinfo)\n"
		"2:31: expected true or false, got '3'\n"
		"4:69: expected an integer, got 'many'\n"
		"5:10: expected an actor id: 1 to 64 letters, digits, '-', '_' or '.', got 'bad id'\n"
		"7:41: expected true or false, got 'maybe'\n"
		"8:45: unknown actor 'cret' (did you mean 'cert'?)\n"
		"9:79: integer 0 is out of range (expected 1 to 2147483647)\n"
		"10:27: unknown unit 'x': expected one of ms, s, m, h, d, w, mo (lower case)\n"
		"11:31: unknown level in 'level:boss' (expected level:technical, operational, "
		"strategic or political)\n"
		"12:87: unknown severity '9' (expected info, low, medium, high, critical or 0 to 4)\n");
	/* An empty or non-mapping exercise or actor list stops only what needs it. */
	expect_errors("exercise: [1]\nactors: {}\nincidents: []\n",
		"1:11: expected a mapping (the exercise (name, start, duration...)), got a sequence\n"
		"2:9: expected a sequence (a list of actors), got a mapping\n");
}

/* ---- hostile input ---- */

static void too_many_actors_refused_quickly(void **state)
{
	(void)state;
	size_t len;
	char *text = repeat_lines("exercise: {name: T, start: 2024-03-01T09:00:00Z, duration: 1d}\n"
	                          "incidents: [{id: i, required: [a0]}]\nactors:\n",
	                          "- {id: a%zu}\n", 200000, "", &len);
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	const char *errors;
	int rc = load_buffer(text, len, &errors);
	double took = seconds_since(&t0);
	free(text);
	assert_int_equal(rc, TC_ELIMIT);
	assert_string_equal(errors, "buffer.yaml:4:1: too many actors: 200000 (at most 10000)\n");
	assert_true(took < 20.0); /* about 0.3 s in a release build */
}

static void alias_bombs_and_deep_nesting_are_stopped(void **state)
{
	(void)state;
	/* Nine levels of ten aliases: 10^9 nodes if expanded. */
	char text[4096];
	size_t used = (size_t)snprintf(text, sizeof text,
		"exercise: {name: T, start: 2024-03-01T09:00:00Z, duration: 1d}\n"
		"kinds: &k0 {a: {}, b: {}, c: {}, d: {}, e: {}, f: {}, g: {}, h: {}, i: {}, j: {}}\n");
	for (int i = 1; i < 10; i++)
		used += (size_t)snprintf(text + used, sizeof text - used,
		                         "x%d: &k%d [*k%d, *k%d, *k%d, *k%d, *k%d, *k%d, *k%d, *k%d, "
		                         "*k%d, *k%d]\n", i, i, i - 1, i - 1, i - 1, i - 1, i - 1,
		                         i - 1, i - 1, i - 1, i - 1, i - 1);
	const char *errors;
	assert_int_equal(load_buffer(text, used, &errors), TC_ELIMIT);
	assert_non_null(strstr(errors, "more than 1000000 nodes"));
	/* 100 000 nested lists where a name is expected. */
	size_t n = 100000, len = 0;
	char *deep = malloc(2 * n + 128);
	assert_non_null(deep);
	len = (size_t)sprintf(deep, "exercise: {name: ");
	memset(deep + len, '[', n);
	memset(deep + len + n, ']', n);
	len += 2 * n;
	len += (size_t)sprintf(deep + len, "}\n");
	assert_int_equal(load_buffer(deep, len, &errors), TC_ELIMIT);
	assert_string_equal(errors, "buffer.yaml:1:80: nesting deeper than 64 levels\n");
	free(deep);
}

static void huge_scalars_and_bad_bytes(void **state)
{
	(void)state;
	const char *errors;
	/* A 1 000 000-character id: quoted briefly. */
	size_t n = 1000000;
	char *text = malloc(n + 512);
	assert_non_null(text);
	size_t len = (size_t)sprintf(text, "exercise: {name: T, start: 2024-03-01T09:00:00Z, "
	                                   "duration: 1d}\nactors:\n  - {id: ");
	memset(text + len, 'x', n);
	len += n;
	len += (size_t)sprintf(text + len, ", level: technical, handling: {default: 1m}}\n"
	                                   "incidents: [{id: i, required: [x]}]\n");
	assert_int_equal(load_buffer(text, len, &errors), TC_EINVAL);
	assert_string_equal(errors,
		"buffer.yaml:3:10: expected an actor id: 1 to 64 letters, digits, '-', '_' or '.', got "
		"'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...'\n"
		"buffer.yaml:4:32: unknown actor 'x'\n");
	free(text);
	/* Beyond the scalar limit (1 MiB) the YAML layer stops. */
	n = (size_t)1100000;
	text = malloc(n + 512);
	assert_non_null(text);
	len = (size_t)sprintf(text, "exercise: {name: ");
	memset(text + len, 'y', n);
	len += n;
	len += (size_t)sprintf(text + len, "}\n");
	assert_int_equal(load_buffer(text, len, &errors), TC_ELIMIT);
	assert_non_null(strstr(errors, "buffer.yaml:1:18: "));
	free(text);

	/* Invalid UTF-8 in an actor's name. */
	static const char bad_utf8[] =
		"exercise: {name: T, start: 2024-03-01T09:00:00Z, duration: 1d}\n"
		"actors:\n  - {id: a, name: \"caf\xc3\x28\", level: technical, handling: {default: 1m}}\n"
		"incidents: [{id: i, required: [a]}]\n";
	assert_int_equal(load_buffer(bad_utf8, sizeof bad_utf8 - 1, &errors), TC_EINVAL);
	assert_string_equal(errors, "buffer.yaml:3:24: invalid UTF-8: invalid trailing UTF-8 octet "
	                            "(byte 0x28)\n");
	/* A NUL byte. */
	static const char nul[] = BASE "  - {id: x\0y, required: [victim]}\n";
	assert_int_equal(load_buffer(nul, sizeof nul - 1, &errors), TC_EINVAL);
	assert_string_equal(errors, "buffer.yaml:7:11: NUL byte in the input (YAML text cannot "
	                            "contain NUL)\n");
	/* Empty, blank, a scalar, two documents. */
	assert_int_equal(load_buffer("", 0, &errors), TC_EINVAL);
	assert_string_equal(errors, "buffer.yaml:1:1: empty document: expected a mapping\n");
	assert_int_equal(load_buffer("# nothing\n\n", 11, &errors), TC_EINVAL);
	assert_int_equal(load_buffer("just text\n", 10, &errors), TC_EINVAL);
	static const char two[] = BASE "---\n" BASE;
	assert_int_equal(load_buffer(two, sizeof two - 1, &errors), TC_EINVAL);
	assert_string_equal(errors, "buffer.yaml:7:1: only one document per file (a second document "
	                            "starts here)\n");
}

static void paths_that_are_not_scenarios(void **state)
{
	(void)state;
	const char *errors;
	assert_int_equal(test_load_file("/nonexistent/scenario.yaml", NULL, NULL, &errors), TC_ENOENT);
	assert_string_equal(errors, "scenario.yaml:0:0: cannot open '/nonexistent/scenario.yaml': "
	                            "No such file or directory\n");
	assert_int_equal(test_load_file("/", NULL, NULL, &errors), TC_EIO);
	assert_string_equal(errors, ":0:0: cannot read '/': Is a directory\n");
	/* /dev/zero never ends: reading stops at the limit. */
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(test_load_file("/dev/zero", NULL, NULL, &errors), TC_ELIMIT);
	assert_string_equal(errors, "zero:0:0: '/dev/zero' is larger than the limit of 8388608 "
	                            "bytes\n");
	/* So does a sparse 4 GiB file. */
	char big[256];
	snprintf(big, sizeof big, "%s/tocsin-test-%ld-big.yaml",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (long)getpid());
	int fd = open(big, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)4 << 30), 0);
	close(fd);
	assert_int_equal(test_load_file(big, NULL, NULL, &errors), TC_ELIMIT);
	assert_non_null(strstr(errors, "big.yaml' is larger than the limit of 8388608 bytes\n"));
	unlink(big);
	assert_true(seconds_since(&t0) < 20.0);
}

/* A FIFO fed without end: the loader reads up to its limit and stops. The
 * writer counts what it could write, which bounds what was read. */
static void fifo_is_read_only_up_to_the_limit(void **state)
{
	(void)state;
	char fifo[256];
	snprintf(fifo, sizeof fifo, "%s/tocsin-test-%ld-scenario.fifo",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (long)getpid());
	unlink(fifo);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	int report[2];
	assert_int_equal(pipe(report), 0);
	const size_t cap = (size_t)64 << 20; /* the writer gives up after 64 MiB */
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		signal(SIGPIPE, SIG_IGN);
		int fd = open(fifo, O_WRONLY);
		static char chunk[65536];
		for (size_t i = 0; i < sizeof chunk; i += 8)
			memcpy(chunk + i, "k: vvvv\n", 8);
		size_t written = 0;
		while (fd >= 0 && written < cap) {
			ssize_t w = write(fd, chunk, sizeof chunk);
			if (w <= 0)
				break;
			written += (size_t)w;
		}
		ssize_t ignored = write(report[1], &written, sizeof written);
		(void)ignored;
		_exit(0);
	}
	close(report[1]);
	const char *errors;
	int rc = test_load_file(fifo, NULL, NULL, &errors);
	size_t written = 0;
	assert_int_equal(read(report[0], &written, sizeof written), (ssize_t)sizeof written);
	close(report[0]);
	int status;
	assert_int_equal(waitpid(child, &status, 0), child);
	unlink(fifo);
	assert_int_equal(rc, TC_ELIMIT);
	assert_non_null(strstr(errors, "scenario.fifo' is larger than the limit of 8388608 bytes"));
	/* What was read, plus the pipe's buffer and a chunk in flight. */
	assert_true(written < ((size_t)8 << 20) + ((size_t)2 << 20));
}

/* Work that grew with the product of two sizes is now linear or capped. */
static void quadratic_inputs_stay_fast(void **state)
{
	(void)state;
	/* 2 000 actors with long ids, 30 000 unknown references to near-misses:
	 * each "did you mean" compares with every id (it took hours). */
	size_t len;
	char *text = repeat_lines("exercise: {name: T, start: 2024-03-01T09:00:00Z, duration: 1d}\n"
	                          "actors:\n",
	                          "- {id: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa%05zu, level: technical"
	                          ", handling: {default: 1m}}\n", 2000,
	                          "incidents:\n- id: i\n  required:\n", &len);
	size_t refs = 30000, cap = len + refs * 60;
	text = realloc(text, cap);
	assert_non_null(text);
	for (size_t i = 0; i < refs; i++)
		len += (size_t)snprintf(text + len, cap - len,
		                        "  - aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab%05zu\n", i);
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	tc_diag diag;
	tc_diag_init(&diag, tc_alloc_default());
	tc_scenario *s = NULL;
	assert_int_equal(tc_scenario_load_buffer(&s, tc_alloc_default(), "refs.yaml", text, len,
	                                         NULL, &diag), TC_EINVAL);
	assert_true(seconds_since(&t0) < 30.0);
	assert_int_equal(tc_diag_errors(&diag), refs);
	assert_int_equal(diag.count, 1000); /* the rest counted, not stored */
	/* The first ones still get their hint. */
	assert_non_null(strstr(diag.items[0].message, "(did you mean 'aaaa"));
	tc_diag_release(&diag);
	free(text);

	/* 100 000 unknown keys: a "did you mean" per key only while the
	 * diagnostics store messages. */
	text = repeat_lines("exercise: {name: T, start: 2024-03-01T09:00:00Z, duration: 1d}\n"
	                    "incidents: [{id: i, required: [a]}]\n"
	                    "actors:\n- id: a\n  level: technical\n  handling: {default: 1m}\n",
	                    "  qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq%06zu: 1\n", 100000,
	                    "", &len);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	tc_diag_init(&diag, tc_alloc_default());
	assert_int_equal(tc_scenario_load_buffer(&s, tc_alloc_default(), "keys.yaml", text, len,
	                                         NULL, &diag), TC_EINVAL);
	assert_true(seconds_since(&t0) < 30.0);
	assert_int_equal(tc_diag_errors(&diag), 100000);
	tc_diag_release(&diag);
	free(text);

	/* Ten thousand actors with eight shifts a day for a year would compile
	 * into 29 million duty intervals (1.4 GB): refused at the limit. */
	text = repeat_lines("exercise: {name: T, start: 2022-01-01T00:00:00Z, duration: 366d,\n"
	                    "           timezone: Europe/Paris}\nincidents: [{id: i, required: [a0]}]\n"
	                    "actors:\n- {id: a, level: technical, handling: &h {default: 1m},\n"
	                    "   schedule: &s {daily: '00:00-01:00,02:00-03:00,04:00-05:00,06:00-07:00,"
	                    "08:00-09:00,10:00-11:00,12:00-13:00,14:00-15:00'}}\n",
	                    "- {id: a%zu, level: technical, handling: *h, schedule: *s}\n",
	                    9999, "", &len);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	const char *errors;
	assert_int_equal(load_buffer(text, len, &errors), TC_ELIMIT);
	assert_string_equal(errors, "buffer.yaml:1364:3: the schedules of the actors up to 'a1357' "
	                            "already make more than 4000000 duty intervals over the exercise "
	                            "(the limit): shorten the exercise or give fewer actors shifts\n");
	assert_true(seconds_since(&t0) < 30.0);
	free(text);
}

/* ---- allocation failures ---- */

static void load_fails_cleanly_at_every_allocation(void **state)
{
	(void)state;
	test_load_fails_cleanly(test_source_path(FLAGSHIP), NULL);
}

static int count_records(void *ud, const tc_run *run, const tc_record *rec)
{
	(void)run;
	(void)rec;
	(*(size_t *)ud)++;
	return 0;
}

static void run_fails_cleanly_at_every_allocation(void **state)
{
	(void)state;
	tc_scenario *s;
	const char *errors;
	assert_int_equal(test_load_file(test_source_path(FLAGSHIP), NULL, &s, &errors), TC_OK);
	tc_run_options opt = {.seed = 7, .until = TC_TIME_NEVER};
	size_t records = 0;
	tc_sink sink = {count_records, &records};
	tc_failing_alloc fa;
	tc_failing_alloc_init(&fa, -1);
	tc_run *run;
	assert_int_equal(tc_run_new(&run, &fa.alloc, s, &opt, &sink), TC_OK);
	assert_int_equal(tc_run_execute(run), TC_OK);
	size_t full = records;
	tc_run_free(run);
	long total = fa.allocations;
	assert_true(total > 5);
	assert_int_equal(fa.live_blocks, 0);
	for (long k = 0; k <= total; k++) {
		tc_failing_alloc_init(&fa, k);
		records = 0;
		run = NULL;
		int rc = tc_run_new(&run, &fa.alloc, s, &opt, &sink);
		if (rc == TC_OK) {
			assert_non_null(run);
			rc = tc_run_execute(run);
			tc_run_free(run);
		} else {
			assert_null(run);
		}
		if (k < total) {
			if (rc != TC_ENOMEM)
				fail_msg("allocation %ld of %ld: result %d", k, total, rc);
			assert_true(records < full);
		} else {
			assert_int_equal(rc, TC_OK);
			assert_int_equal(records, full);
		}
		if (fa.live_blocks != 0)
			fail_msg("allocation %ld of %ld: %ld blocks leaked", k, total, fa.live_blocks);
	}
	tc_scenario_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(minimal_scenario_loads_with_defaults),
		cmocka_unit_test(flagship_loads_and_runs),
		cmocka_unit_test(schedule_compiled_in_paris_time),
		cmocka_unit_test(channel_pairs_are_sorted_unique_and_symmetric),
		cmocka_unit_test(rules_grouped_by_actor_in_file_order),
		cmocka_unit_test(inject_time_notations_agree),
		cmocka_unit_test(every_option_resolves),
		cmocka_unit_test(buffer_and_file_load_alike),
		cmocka_unit_test(unknown_keys_at_every_level),
		cmocka_unit_test(missing_required_keys),
		cmocka_unit_test(duplicate_ids_in_each_section),
		cmocka_unit_test(undefined_references_with_hints),
		cmocka_unit_test(inject_subject_and_objective),
		cmocka_unit_test(impossible_values),
		cmocka_unit_test(recipients_once),
		cmocka_unit_test(more_refusals),
		cmocka_unit_test(section_limits),
		cmocka_unit_test(malformed_durations_and_times_point_inside),
		cmocka_unit_test(unknown_time_zones),
		cmocka_unit_test(objective_anchor_cycles),
		cmocka_unit_test(doctrine_file_missing_or_not_a_file),
		cmocka_unit_test(invalid_doctrine_file_names_its_file_and_lines),
		cmocka_unit_test(doctrine_override_replaces_the_scenarios),
		cmocka_unit_test(every_error_of_a_file_is_reported),
		cmocka_unit_test(too_many_actors_refused_quickly),
		cmocka_unit_test(alias_bombs_and_deep_nesting_are_stopped),
		cmocka_unit_test(huge_scalars_and_bad_bytes),
		cmocka_unit_test(paths_that_are_not_scenarios),
		cmocka_unit_test(fifo_is_read_only_up_to_the_limit),
		cmocka_unit_test(quadratic_inputs_stay_fast),
		cmocka_unit_test(load_fails_cleanly_at_every_allocation),
		cmocka_unit_test(run_fails_cleanly_at_every_allocation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
