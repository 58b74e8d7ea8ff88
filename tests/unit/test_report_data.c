/*
 * report.json, the CSV tables, the terminal summary and the report
 * directory, from metrics built by hand: a small drill whose every figure is
 * chosen below, with values not reached, a NaN utilisation, and text that
 * needs quoting. The expected texts are written out in full, from the
 * fixture, not from the writers' output.
 */
#define _POSIX_C_SOURCE 200809L
#include "test_support.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "report/format.h"
#include "report/report.h"

#define MIN (60 * 1000LL)
#define HOUR (60 * MIN)
#define DAY (24 * HOUR)
#define NEVER TC_TIME_NEVER

/* ---- the drill ---------------------------------------------------------------
 *
 * Actors soc (technical, 2 staff, a name with a comma and quotes), cert
 * (technical) and minister (political, no name). One channel, phone, that
 * connects soc and cert only. Incident attack at T+0 requires all three;
 * incident quiet, opened by a script at T+1h, requires the minister.
 *
 * Messages:
 *   1 alert  outside -> soc       inject note; handled by on-call staff 0-10m
 *   2 alert  soc -> cert          phone 5m, handled 15m-25m
 *   3 alert  soc -> minister      lost: no channel connects them
 *   4 ack    cert -> soc          phone, delivered at 30m, still queued
 *   5 alert  cert -> soc (quiet)  from a Lua timer (script 9), still held
 *
 * soc is aware of attack at 10m (message 1), cert at 25m (message 2), the
 * minister never; soc learns of quiet at T+1h01m40s in meeting instance 1.
 * The critical path of attack ends at cert's awareness (incomplete):
 * inject note, message 1 (handling 10m), message 2 (channel 5m, handling
 * 10m); soc and cert are each charged 10m, soc wins the tie. quiet has no
 * path.
 */

static const char *kinds[] = {"alert", "ack"};
static const uint8_t informative[] = {1, 0};
static const char *channels[] = {"phone"};
static const char *injects[] = {"note"};
static const char *meetings[] = {"cell"};
static const uint32_t attack_required[] = {0, 1, 2};
static const uint32_t quiet_required[] = {2};

typedef struct drill {
	tc_setup setup;
	tc_setup_actor actors[3];
	tc_setup_incident incidents[2];
	tc_setup_objective objectives[3];
	tc_metrics m;
	tc_hop hops[5];
	tc_actor_metrics actor_metrics[3];
	tc_awareness awareness[2 * 3];
	tc_incident_metrics incident_metrics[2];
	tc_objective_result results[3];
	tc_path_step steps[3];
	tc_path_actor by_actor[2];
	tc_count_row by_kind[2];
	tc_count_row by_channel[2];
} drill;

static void drill_setup(drill *d)
{
	tc_setup *s = &d->setup;
	s->name = "Drill";
	s->file = "drill.yaml";
	s->sha256 = "abc123";
	s->tocsin_version = "0.1.0";
	s->seed = 7;
	s->replication = 2;
	s->start_utc_ms = 1709283600000;
	s->start = "2024-03-01T09:00:00Z";
	s->timezone = "UTC";
	s->duration = DAY;
	s->until = NEVER;
	s->kinds = kinds;
	s->kind_informative = informative;
	s->kind_count = 2;
	d->actors[0] = (tc_setup_actor){.id = "soc", .name = "Security team, \"blue\"",
	                                .level = TC_LEVEL_TECHNICAL, .staff = 2};
	d->actors[1] = (tc_setup_actor){.id = "cert", .name = "CERT", .level = TC_LEVEL_TECHNICAL,
	                                .staff = 1};
	d->actors[2] = (tc_setup_actor){.id = "minister", .level = TC_LEVEL_POLITICAL, .staff = 1};
	s->actors = d->actors;
	s->actor_count = 3;
	s->channels = channels;
	s->channel_count = 1;
	d->incidents[0] = (tc_setup_incident){.id = "attack", .title = "Ransomware, wave 1",
	                                      .severity = 3, .start = 0, .detector = 0,
	                                      .required = attack_required, .required_count = 3};
	d->incidents[1] = (tc_setup_incident){.id = "quiet", .severity = 1, .start = HOUR,
	                                      .detector = TC_NONE, .required = quiet_required,
	                                      .required_count = 1, .opened = 1};
	s->incidents = d->incidents;
	s->incident_count = s->incident_cap = 2;
	s->injects = injects;
	s->inject_count = 1;
	s->meetings = meetings;
	s->meeting_count = 1;
	tc_objective_def none = {
		.subject_actor = TC_NONE, .to_actor = TC_NONE, .meeting = TC_NONE,
		.anchor_actor = TC_NONE, .anchor_objective = TC_NONE,
	};
	tc_objective_def *o = &d->objectives[0].def;
	*o = none;
	o->id = "warn";
	o->description = "Warn CERT, fast";
	o->subject = TC_SUBJECT_ACTOR;
	o->subject_actor = 0;
	o->event = TC_EVENT_SENDS;
	o->kind = 0;
	o->to_actor = 1;
	o->within = (tc_duration){HOUR, 0};
	o->anchor = TC_ANCHOR_AWARE;
	o->anchor_actor = 0;
	o = &d->objectives[1].def;
	*o = none;
	o->id = "minister-aware";
	o->subject = TC_SUBJECT_LEVEL;
	o->subject_level = TC_LEVEL_POLITICAL;
	o->event = TC_EVENT_AWARE;
	o->within = (tc_duration){2 * HOUR, 0};
	o->anchor = TC_ANCHOR_INCIDENT_START;
	o = &d->objectives[2].def;
	*o = none;
	o->id = "cell";
	o->description = "Convene the \"cell\"";
	o->subject = TC_SUBJECT_ALL_REQUIRED;
	o->event = TC_EVENT_MEETING_HELD;
	o->meeting = 0;
	o->within = (tc_duration){0, 1};
	o->anchor = TC_ANCHOR_OBJECTIVE;
	o->anchor_objective = 0;
	s->objectives = d->objectives;
	s->objective_count = 3;
}

static tc_hop hop(uint64_t msg, tc_kind_id kind, int from, int to, int incident, int channel,
                  int severity, tc_cause binding, tc_hop_status status)
{
	return (tc_hop){
		.msg = msg, .kind = kind, .from = from, .to = to, .incident = incident,
		.channel = channel, .attempt = 1, .severity = severity, .binding = binding,
		.status = status, .created = NEVER, .sent = NEVER, .delivered = NEVER,
		.started = NEVER, .handled = NEVER, .total = NEVER,
	};
}

static void drill_hops(drill *d)
{
	tc_hop *h = d->hops;
	h[0] = hop(1, 0, TC_NONE, 0, 0, TC_NONE, 3, (tc_cause){TC_CAUSE_INJECT, 0}, TC_HOP_HANDLED);
	h[0].on_call = 1;
	h[0].created = h[0].sent = h[0].delivered = h[0].started = 0;
	h[0].handled = 10 * MIN;
	h[0].handling = h[0].total = 10 * MIN;
	h[1] = hop(2, 0, 0, 1, 0, 0, 3, (tc_cause){TC_CAUSE_MESSAGE, 1}, TC_HOP_HANDLED);
	h[1].created = h[1].sent = 10 * MIN;
	h[1].delivered = h[1].started = 15 * MIN;
	h[1].handled = 25 * MIN;
	h[1].channel_delay = 5 * MIN;
	h[1].handling = 10 * MIN;
	h[1].total = 15 * MIN;
	h[2] = hop(3, 0, 0, 2, 0, TC_NONE, 3, (tc_cause){TC_CAUSE_MESSAGE, 1}, TC_HOP_LOST);
	h[2].created = 10 * MIN;
	h[2].lost_reason = "no channel connects sender and receiver";
	h[3] = hop(4, 1, 1, 0, 0, 0, 3, (tc_cause){TC_CAUSE_MESSAGE, 2}, TC_HOP_QUEUED);
	h[3].created = h[3].sent = 25 * MIN;
	h[3].delivered = 30 * MIN;
	h[3].channel_delay = 5 * MIN;
	h[4] = hop(5, 0, 1, 0, 1, TC_NONE, 1, (tc_cause){TC_CAUSE_SCRIPT, 9}, TC_HOP_HELD);
	h[4].created = HOUR;
	d->m.hops = h;
	d->m.hop_count = 5;
}

static void drill_actors(drill *d)
{
	tc_actor_metrics *a = d->actor_metrics;
	a[0] = (tc_actor_metrics){
		.received = 2, .handled = 1, .sent = 2, .lost = 1, .meetings = 1,
		.busy_duty = 10 * MIN, .busy_on_call = 10 * MIN, .capacity = 40 * MIN,
		.utilisation = 0.25, .backlog_max = 1, .backlog_max_at = 30 * MIN, .backlog_mean = 0.125,
		.response = {1, 10 * MIN, 10 * MIN, 10 * MIN, 10 * MIN, 600000.0},
		.handling = 10 * MIN,
	};
	a[1] = (tc_actor_metrics){
		.received = 1, .handled = 1, .sent = 2, .busy_duty = 10 * MIN, .capacity = DAY,
		.utilisation = (double)(10 * MIN) / (double)DAY, .backlog_max_at = NEVER,
		.response = {1, 10 * MIN, 10 * MIN, 10 * MIN, 10 * MIN, 600000.0},
		.handling = 10 * MIN,
	};
	/* Never on duty: no capacity, so no utilisation; nothing handled. */
	a[2] = (tc_actor_metrics){
		.utilisation = NAN, .backlog_max_at = NEVER,
		.response = {0, NEVER, NEVER, NEVER, NEVER, NAN},
	};
	d->m.actors = a;
	tc_awareness never = {NEVER, NEVER, {TC_CAUSE_NONE, 0}};
	for (size_t i = 0; i < 6; i++)
		d->awareness[i] = never;
	d->awareness[0] = (tc_awareness){10 * MIN, 10 * MIN, {TC_CAUSE_MESSAGE, 1}};
	d->awareness[1] = (tc_awareness){25 * MIN, 25 * MIN, {TC_CAUSE_MESSAGE, 2}};
	d->awareness[3] = (tc_awareness){HOUR + 100000, 100000, {TC_CAUSE_MEETING, 1}};
	d->m.awareness = d->awareness;
}

static void drill_incidents(drill *d)
{
	tc_level_metrics none = {0, 0, NEVER, NEVER};
	tc_incident_metrics *in = d->incident_metrics;
	in[0] = (tc_incident_metrics){.required = 3, .required_aware = 2, .cop_at = NEVER,
	                              .time_to_cop = NEVER};
	in[0].levels[TC_LEVEL_TECHNICAL] = (tc_level_metrics){2, 2, 10 * MIN, 25 * MIN};
	in[0].levels[TC_LEVEL_OPERATIONAL] = none;
	in[0].levels[TC_LEVEL_STRATEGIC] = none;
	in[0].levels[TC_LEVEL_POLITICAL] = (tc_level_metrics){1, 0, NEVER, NEVER};
	tc_path_step *st = d->steps;
	st[0] = (tc_path_step){.type = TC_STEP_INJECT, .index = 0, .from = TC_NONE, .to = TC_NONE,
	                       .actor = TC_NONE, .start = 0, .end = 0};
	st[1] = (tc_path_step){.type = TC_STEP_MESSAGE, .id = 1, .index = TC_NONE, .from = TC_NONE,
	                       .to = 0, .actor = 0, .start = 0, .end = 10 * MIN};
	st[1].split[TC_PATH_HANDLING] = 10 * MIN;
	st[2] = (tc_path_step){.type = TC_STEP_MESSAGE, .id = 2, .index = TC_NONE, .from = 0,
	                       .to = 1, .actor = 1, .start = 10 * MIN, .end = 25 * MIN};
	st[2].split[TC_PATH_CHANNEL] = 5 * MIN;
	st[2].split[TC_PATH_HANDLING] = 10 * MIN;
	d->by_actor[0] = (tc_path_actor){0, 10 * MIN};
	d->by_actor[1] = (tc_path_actor){1, 10 * MIN};
	tc_critical_path *p = &in[0].path;
	*p = (tc_critical_path){.target_actor = 1, .complete = 0, .start = 0, .end = 25 * MIN,
	                        .steps = st, .step_count = 3, .by_actor = d->by_actor,
	                        .by_actor_count = 2, .bottleneck = 0};
	p->by_cause[TC_PATH_CHANNEL] = 5 * MIN;
	p->by_cause[TC_PATH_HANDLING] = 20 * MIN;

	in[1] = (tc_incident_metrics){.required = 1, .required_aware = 0, .cop_at = NEVER,
	                              .time_to_cop = NEVER};
	in[1].levels[TC_LEVEL_TECHNICAL] = (tc_level_metrics){2, 1, 100000, NEVER};
	in[1].levels[TC_LEVEL_OPERATIONAL] = none;
	in[1].levels[TC_LEVEL_STRATEGIC] = none;
	in[1].levels[TC_LEVEL_POLITICAL] = (tc_level_metrics){1, 0, NEVER, NEVER};
	in[1].path = (tc_critical_path){.target_actor = TC_NONE, .start = NEVER, .end = NEVER,
	                                .bottleneck = TC_NONE};
	d->m.incidents = in;
}

/* An objective whose chain is not part of the drill. */
#define NO_PATH {.target_actor = TC_NONE, .bottleneck = TC_NONE, .start = NEVER, .end = NEVER}

static void drill_objectives_and_totals(drill *d)
{
	tc_objective_result *r = d->results;
	r[0] = (tc_objective_result){TC_VERDICT_MET, TC_REASON_IN_TIME, 10 * MIN, 70 * MIN,
	                             10 * MIN, HOUR, 1, 1, NO_PATH};
	r[1] = (tc_objective_result){TC_VERDICT_MISSED, TC_REASON_NEVER, 0, 2 * HOUR, NEVER,
	                             NEVER, 1, 0, NO_PATH};
	r[2] = (tc_objective_result){TC_VERDICT_OPEN, TC_REASON_RUN_ENDED, 10 * MIN,
	                             30 * DAY + 10 * MIN, NEVER, NEVER, 3, 0, NO_PATH};
	d->m.objectives = r;
	d->by_kind[0] = (tc_count_row){4, 2, 1, 2};
	d->by_kind[1] = (tc_count_row){1, 1, 0, 0};
	d->by_channel[0] = (tc_count_row){2, 2, 0, 1};
	d->by_channel[1] = (tc_count_row){3, 1, 1, 1};
	d->m.totals = (tc_totals){
		.records = 20, .events = 15, .messages = 5, .delivered = 3, .lost = 1, .handled = 2,
		.span_start = 0, .span_end = DAY, .end_reason = "duration",
		.by_kind = d->by_kind, .by_channel = d->by_channel,
	};
}

static drill *drill_new(void)
{
	drill *d = calloc(1, sizeof *d);
	assert_non_null(d);
	drill_setup(d);
	d->m.setup = &d->setup;
	drill_hops(d);
	drill_actors(d);
	drill_incidents(d);
	drill_objectives_and_totals(d);
	return d;
}

typedef void writer(tc_buf *b, const tc_metrics *m);

/* What a writer produces, as a string the caller frees. */
static char *render(writer *w, const tc_metrics *m)
{
	tc_buf b;
	tc_buf_init(&b, tc_alloc_default());
	w(&b, m);
	assert_false(b.failed);
	char *text = strdup(b.data ? b.data : "");
	tc_buf_release(&b);
	return text;
}

static writer *csv_writer(const char *file)
{
	for (size_t i = 0; i < tc_csv_table_count; i++)
		if (strcmp(tc_csv_tables[i].file, file) == 0)
			return tc_csv_tables[i].write;
	fail_msg("no CSV table %s", file);
	return NULL;
}

static void csv_is(const drill *d, const char *file, const char *expected)
{
	char *got = render(csv_writer(file), &d->m);
	if (strcmp(got, expected) != 0)
		fail_msg("%s:\n--- got\n%s--- expected\n%s", file, got, expected);
	free(got);
}

/* ---- CSV ------------------------------------------------------------------- */

static void csv_run_and_objectives(void **state)
{
	(void)state;
	drill *d = drill_new();
	csv_is(d, "run.csv",
	       "scenario,file,sha256,seed,replication,start,start_utc_ms,timezone,duration_ms,"
	       "until_ms,tocsin,span_start_ms,span_end_ms,end_reason,records,events,messages,"
	       "delivered,lost,handled,retries,meetings_held,meetings_failed\n"
	       "Drill,drill.yaml,abc123,7,2,2024-03-01T09:00:00Z,1709283600000,UTC,86400000,,"
	       "0.1.0,0,86400000,duration,20,15,5,3,1,2,0,0,0\n");
	/* Quotes only around text with a comma or a quote, quotes doubled;
	 * missing description, event and margin as empty cells. */
	csv_is(d, "objectives.csv",
	       "objective,description,incident,subject,event,within,after,verdict,reason,"
	       "anchor_at_ms,deadline_ms,event_at_ms,margin_ms,subjects,subjects_done\n"
	       "warn,\"Warn CERT, fast\",attack,soc,sends:alert to:cert,1h,aware:soc,met,in-time,"
	       "600000,4200000,600000,3600000,1,1\n"
	       "minister-aware,,attack,level:political,aware,2h,incident-start,missed,never,"
	       "0,7200000,,,1,0\n"
	       "cell,\"Convene the \"\"cell\"\"\",attack,all-required,meeting:cell,1mo,"
	       "objective:warn,open,run-ended,600000,2592600000,,,3,0\n");
	free(d);
}

static void csv_incidents_levels_awareness(void **state)
{
	(void)state;
	drill *d = drill_new();
	csv_is(d, "incidents.csv",
	       "incident,title,severity,start_ms,detector,opened,required,required_aware,"
	       "cop_at_ms,time_to_cop_ms,path_target,path_complete,path_start_ms,path_end_ms,"
	       "path_length_ms,path_bottleneck,path_detection_ms,path_hold_ms,path_channel_ms,"
	       "path_queue_ms,path_off_hours_ms,path_handling_ms,path_meeting_ms,path_retry_ms,"
	       "path_reaction_ms\n"
	       "attack,\"Ransomware, wave 1\",3,0,soc,0,3,2,,,cert,0,0,1500000,1500000,soc,"
	       "0,0,300000,0,0,1200000,0,0,0\n"
	       "quiet,,1,3600000,,1,1,0,,,,0,,,,,0,0,0,0,0,0,0,0,0\n");
	csv_is(d, "levels.csv",
	       "incident,level,actors,aware,first_ms,all_ms\n"
	       "attack,technical,2,2,600000,1500000\n"
	       "attack,operational,0,0,,\n"
	       "attack,strategic,0,0,,\n"
	       "attack,political,1,0,,\n"
	       "quiet,technical,2,1,100000,\n"
	       "quiet,operational,0,0,,\n"
	       "quiet,strategic,0,0,,\n"
	       "quiet,political,1,0,,\n");
	csv_is(d, "awareness.csv",
	       "incident,actor,required,at_ms,since_start_ms,cause,cause_message,cause_inject,"
	       "cause_meeting,cause_script\n"
	       "attack,soc,1,600000,600000,message,1,,,\n"
	       "attack,cert,1,1500000,1500000,message,2,,,\n"
	       "attack,minister,1,,,,,,,\n"
	       "quiet,soc,0,3700000,100000,meeting,,,1,\n"
	       "quiet,cert,0,,,,,,,\n"
	       "quiet,minister,1,,,,,,,\n");
	free(d);
}

static void csv_critical_path(void **state)
{
	(void)state;
	drill *d = drill_new();
	/* quiet has no path: no row. The first objective's chain is the
	 * incident's last two steps (its event: the CERT's awareness). */
	tc_critical_path *op = &d->results[0].path;
	*op = d->incident_metrics[0].path;
	op->steps++;
	op->step_count--;
	op->by_actor++;
	op->by_actor_count--;
	csv_is(d, "critical_path.csv",
	       "incident,objective,step,type,message,inject,meeting,instance,script,from,to,actor,"
	       "start_ms,end_ms,length_ms,detection_ms,hold_ms,channel_ms,queue_ms,off_hours_ms,"
	       "handling_ms,meeting_ms,retry_ms,reaction_ms\n"
	       "attack,,1,inject,,note,,,,,,,0,0,0,0,0,0,0,0,0,0,0,0\n"
	       "attack,,2,message,1,,,,,,soc,soc,0,600000,600000,0,0,0,0,0,600000,0,0,0\n"
	       "attack,,3,message,2,,,,,soc,cert,cert,600000,1500000,900000,"
	       "0,0,300000,0,0,600000,0,0,0\n"
	       "attack,warn,1,message,1,,,,,,soc,soc,0,600000,600000,0,0,0,0,0,600000,0,0,0\n"
	       "attack,warn,2,message,2,,,,,soc,cert,cert,600000,1500000,900000,"
	       "0,0,300000,0,0,600000,0,0,0\n");
	csv_is(d, "critical_path_actors.csv",
	       "incident,objective,rank,actor,time_ms\n"
	       "attack,,1,soc,600000\n"
	       "attack,,2,cert,600000\n"
	       "attack,warn,1,cert,600000\n");
	free(d);
}

static void csv_actors_hops_kinds_channels(void **state)
{
	(void)state;
	drill *d = drill_new();
	/* 600000 / 86400000 = 1/144: the shortest form that reads back. NaN
	 * utilisation and mean, and percentiles of nothing, are empty. */
	csv_is(d, "actors.csv",
	       "actor,name,level,staff,received,handled,sent,lost,retries,meetings,"
	       "busy_duty_staff_ms,busy_on_call_staff_ms,capacity_staff_ms,utilisation,"
	       "backlog_max,backlog_max_at_ms,backlog_mean,response_count,response_p50_ms,"
	       "response_p90_ms,response_p99_ms,response_max_ms,response_mean_ms,queue_ms,"
	       "off_hours_ms,handling_ms\n"
	       "soc,\"Security team, \"\"blue\"\"\",technical,2,2,1,2,1,0,1,600000,600000,2400000,"
	       "0.25,1,1800000,0.125,1,600000,600000,600000,600000,600000,0,0,600000\n"
	       "cert,CERT,technical,1,1,1,2,0,0,0,600000,0,86400000,0.006944444444444444,0,,0,"
	       "1,600000,600000,600000,600000,600000,0,0,600000\n"
	       "minister,,political,1,0,0,0,0,0,0,0,0,0,,0,,0,0,,,,,,0,0,0\n");
	csv_is(d, "hops.csv",
	       "msg,kind,from,to,incident,channel,attempt,severity,binding,binding_message,"
	       "binding_inject,binding_meeting,binding_script,status,lost_reason,on_call,"
	       "created_ms,sent_ms,delivered_ms,started_ms,handled_ms,hold_ms,channel_delay_ms,"
	       "queue_ms,off_hours_ms,handling_ms,total_ms\n"
	       "1,alert,,soc,attack,,1,3,inject,,note,,,handled,,1,0,0,0,0,600000,"
	       "0,0,0,0,600000,600000\n"
	       "2,alert,soc,cert,attack,phone,1,3,message,1,,,,handled,,0,600000,600000,900000,"
	       "900000,1500000,0,300000,0,0,600000,900000\n"
	       "3,alert,soc,minister,attack,,1,3,message,1,,,,lost,"
	       "no channel connects sender and receiver,0,600000,,,,,0,0,0,0,0,\n"
	       "4,ack,cert,soc,attack,phone,1,3,message,2,,,,queued,,0,1500000,1500000,1800000,"
	       ",,0,300000,0,0,0,\n"
	       "5,alert,cert,soc,quiet,,1,1,script,,,,9,held,,0,3600000,,,,,0,0,0,0,0,\n");
	csv_is(d, "kinds.csv",
	       "kind,informative,messages,delivered,lost,handled\n"
	       "alert,1,4,2,1,2\n"
	       "ack,0,1,1,0,0\n");
	/* The last row, with no channel, is direct delivery. */
	csv_is(d, "channels.csv",
	       "channel,messages,delivered,lost,handled\n"
	       "phone,2,2,0,1\n"
	       ",3,1,1,1\n");
	free(d);
}

/* Every table is there once, and the path-cause columns follow the causes'
 * own names and order. */
static void csv_tables_listed(void **state)
{
	(void)state;
	static const char *const files[] = {
		"run.csv", "objectives.csv", "incidents.csv", "levels.csv", "awareness.csv",
		"critical_path.csv", "critical_path_actors.csv", "actors.csv", "hops.csv",
		"kinds.csv", "channels.csv",
	};
	assert_int_equal(tc_csv_table_count, sizeof files / sizeof files[0]);
	for (size_t i = 0; i < tc_csv_table_count; i++)
		assert_string_equal(tc_csv_tables[i].file, files[i]);
	drill *d = drill_new();
	char *text = render(csv_writer("critical_path.csv"), &d->m);
	char expected[512] = "length_ms";
	for (int c = 0; c < TC_PATH_CAUSE_COUNT; c++) {
		strcat(expected, ",");
		strcat(expected, tc_path_cause_name((tc_path_cause)c));
		strcat(expected, "_ms");
	}
	strcat(expected, "\n");
	assert_non_null(strstr(text, expected));
	free(text);
	free(d);
}

/* ---- report.json --------------------------------------------------------- */

/* The value at a path of keys and indices: "actors/2/response/p50". */
static json_t *at(json_t *root, const char *path)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", path);
	json_t *v = root;
	for (char *part = strtok(buf, "/"); part; part = strtok(NULL, "/")) {
		if (json_is_array(v))
			v = json_array_get(v, strtoul(part, NULL, 10));
		else
			v = json_object_get(v, part);
		if (!v)
			fail_msg("report.json has no %s", path);
	}
	return v;
}

static void int_at(json_t *root, const char *path, json_int_t want)
{
	json_t *v = at(root, path);
	if (!json_is_integer(v) || json_integer_value(v) != want)
		fail_msg("%s: expected %lld", path, (long long)want);
}

static void str_at(json_t *root, const char *path, const char *want)
{
	json_t *v = at(root, path);
	if (!json_is_string(v) || strcmp(json_string_value(v), want) != 0)
		fail_msg("%s: expected \"%s\"", path, want);
}

static void null_at(json_t *root, const char *path)
{
	if (!json_is_null(at(root, path)))
		fail_msg("%s: expected null", path);
}

static void bool_at(json_t *root, const char *path, int want)
{
	json_t *v = at(root, path);
	if (!json_is_boolean(v) || json_is_true(v) != want)
		fail_msg("%s: expected %s", path, want ? "true" : "false");
}

static json_t *drill_json(const drill *d, char **text)
{
	*text = render(tc_report_json, &d->m);
	size_t len = strlen(*text);
	/* One line, ending with a newline. */
	assert_true(len > 0 && (*text)[len - 1] == '\n');
	assert_ptr_equal(strchr(*text, '\n'), *text + len - 1);
	json_error_t error;
	json_t *root = json_loads(*text, 0, &error);
	if (!root)
		fail_msg("report.json does not parse: %s at %d", error.text, error.position);
	return root;
}

static void json_header_run_totals(void **state)
{
	(void)state;
	drill *d = drill_new();
	char *text;
	json_t *j = drill_json(d, &text);
	str_at(j, "format", "tocsin-report");
	int_at(j, "version", 1);
	assert_true(json_is_string(at(j, "tocsin")));
	str_at(j, "scenario/name", "Drill");
	str_at(j, "scenario/file", "drill.yaml");
	str_at(j, "scenario/sha256", "abc123");
	int_at(j, "scenario/seed", 7);
	int_at(j, "scenario/replication", 2);
	str_at(j, "scenario/start", "2024-03-01T09:00:00Z");
	int_at(j, "scenario/start_utc_ms", 1709283600000);
	str_at(j, "scenario/timezone", "UTC");
	int_at(j, "scenario/duration", DAY);
	null_at(j, "scenario/until");
	str_at(j, "run/tocsin", "0.1.0");
	int_at(j, "run/span_start", 0);
	int_at(j, "run/span_end", DAY);
	str_at(j, "run/end_reason", "duration");
	int_at(j, "run/records", 20);
	int_at(j, "run/events", 15);
	int_at(j, "totals/messages", 5);
	int_at(j, "totals/delivered", 3);
	int_at(j, "totals/lost", 1);
	int_at(j, "totals/handled", 2);
	int_at(j, "totals/retries", 0);
	int_at(j, "totals/meetings_held", 0);
	str_at(j, "totals/by_kind/1/kind", "ack");
	bool_at(j, "totals/by_kind/1/informative", 0);
	int_at(j, "totals/by_kind/0/messages", 4);
	int_at(j, "totals/by_kind/0/lost", 1);
	assert_int_equal(json_array_size(at(j, "totals/by_channel")), 2);
	str_at(j, "totals/by_channel/0/channel", "phone");
	null_at(j, "totals/by_channel/1/channel");
	int_at(j, "totals/by_channel/1/messages", 3);
	json_decref(j);
	free(text);
	free(d);
}

static void json_objectives_incidents(void **state)
{
	(void)state;
	drill *d = drill_new();
	char *text;
	json_t *j = drill_json(d, &text);
	str_at(j, "objectives/0/id", "warn");
	str_at(j, "objectives/0/description", "Warn CERT, fast");
	str_at(j, "objectives/0/event", "sends:alert to:cert");
	str_at(j, "objectives/0/after", "aware:soc");
	str_at(j, "objectives/0/verdict", "met");
	int_at(j, "objectives/0/margin", HOUR);
	null_at(j, "objectives/1/description");
	str_at(j, "objectives/1/subject", "level:political");
	str_at(j, "objectives/1/reason", "never");
	int_at(j, "objectives/1/anchor_at", 0);
	null_at(j, "objectives/1/event_at");
	null_at(j, "objectives/1/margin");
	str_at(j, "objectives/2/within", "1mo");
	str_at(j, "objectives/2/verdict", "open");
	str_at(j, "objectives/2/reason", "run-ended");
	int_at(j, "objectives/2/deadline", 30 * DAY + 10 * MIN);
	int_at(j, "objectives/2/subjects", 3);

	str_at(j, "incidents/0/title", "Ransomware, wave 1");
	str_at(j, "incidents/0/detector", "soc");
	bool_at(j, "incidents/0/opened", 0);
	str_at(j, "incidents/0/required_actors/2", "minister");
	int_at(j, "incidents/0/required_aware", 2);
	null_at(j, "incidents/0/cop_at");
	null_at(j, "incidents/0/time_to_cop");
	int_at(j, "incidents/0/levels/technical/all", 25 * MIN);
	int_at(j, "incidents/0/levels/operational/actors", 0);
	null_at(j, "incidents/0/levels/operational/first");
	null_at(j, "incidents/0/levels/political/first");
	str_at(j, "incidents/0/critical_path/target", "cert");
	bool_at(j, "incidents/0/critical_path/complete", 0);
	int_at(j, "incidents/0/critical_path/length", 25 * MIN);
	int_at(j, "incidents/0/critical_path/by_cause/handling", 20 * MIN);
	int_at(j, "incidents/0/critical_path/by_cause/detection", 0);
	str_at(j, "incidents/0/critical_path/bottleneck", "soc");
	str_at(j, "incidents/0/critical_path/by_actor/1/actor", "cert");
	int_at(j, "incidents/0/critical_path/by_actor/1/time", 10 * MIN);
	str_at(j, "incidents/0/critical_path/steps/0/type", "inject");
	str_at(j, "incidents/0/critical_path/steps/0/inject", "note");
	null_at(j, "incidents/0/critical_path/steps/0/message");
	null_at(j, "incidents/0/critical_path/steps/1/from");
	int_at(j, "incidents/0/critical_path/steps/2/message", 2);
	str_at(j, "incidents/0/critical_path/steps/2/actor", "cert");
	int_at(j, "incidents/0/critical_path/steps/2/length", 15 * MIN);
	int_at(j, "incidents/0/critical_path/steps/2/causes/channel", 5 * MIN);
	null_at(j, "incidents/0/critical_path/steps/2/instance");
	/* No path: nulls and empty lists, causes 0. */
	null_at(j, "incidents/1/title");
	null_at(j, "incidents/1/detector");
	bool_at(j, "incidents/1/opened", 1);
	null_at(j, "incidents/1/critical_path/target");
	null_at(j, "incidents/1/critical_path/start");
	null_at(j, "incidents/1/critical_path/length");
	null_at(j, "incidents/1/critical_path/bottleneck");
	int_at(j, "incidents/1/critical_path/by_cause/handling", 0);
	assert_int_equal(json_array_size(at(j, "incidents/1/critical_path/steps")), 0);
	assert_int_equal(json_array_size(at(j, "incidents/1/critical_path/by_actor")), 0);
	json_decref(j);
	free(text);
	free(d);
}

static void json_actors_awareness_hops(void **state)
{
	(void)state;
	drill *d = drill_new();
	char *text;
	json_t *j = drill_json(d, &text);
	str_at(j, "actors/0/name", "Security team, \"blue\"");
	assert_true(json_real_value(at(j, "actors/0/utilisation")) == 0.25);
	assert_true(json_real_value(at(j, "actors/1/utilisation")) == 600000.0 / 86400000.0);
	/* Written in the shortest form that reads back: deterministic text. */
	assert_non_null(strstr(text, "\"utilisation\":0.006944444444444444,"));
	null_at(j, "actors/2/name");
	null_at(j, "actors/2/utilisation");
	null_at(j, "actors/2/backlog_max_at");
	int_at(j, "actors/2/response/count", 0);
	null_at(j, "actors/2/response/p50");
	null_at(j, "actors/2/response/max");
	null_at(j, "actors/2/response/mean");
	int_at(j, "actors/0/busy_on_call", 10 * MIN);
	int_at(j, "actors/0/backlog_max_at", 30 * MIN);

	assert_int_equal(json_array_size(at(j, "awareness")), 6);
	str_at(j, "awareness/3/incident", "quiet");
	str_at(j, "awareness/3/actor", "soc");
	bool_at(j, "awareness/3/required", 0);
	int_at(j, "awareness/3/since_start", 100000);
	int_at(j, "awareness/3/cause/meeting", 1);
	assert_int_equal(json_object_size(at(j, "awareness/3/cause")), 1);
	null_at(j, "awareness/2/at");
	null_at(j, "awareness/2/cause");

	null_at(j, "hops/0/from");
	str_at(j, "hops/0/binding/inject", "note");
	bool_at(j, "hops/0/on_call", 1);
	str_at(j, "hops/2/status", "lost");
	str_at(j, "hops/2/lost_reason", "no channel connects sender and receiver");
	null_at(j, "hops/2/sent");
	null_at(j, "hops/2/channel");
	int_at(j, "hops/2/hold", 0);
	null_at(j, "hops/2/total");
	null_at(j, "hops/1/lost_reason");
	str_at(j, "hops/3/kind", "ack");
	null_at(j, "hops/3/started");
	int_at(j, "hops/3/channel_delay", 5 * MIN);
	int_at(j, "hops/4/binding/script", 9);
	str_at(j, "hops/4/status", "held");
	str_at(j, "hops/4/incident", "quiet");
	json_decref(j);
	free(text);
	free(d);
}

/* ---- the shared formatters ------------------------------------------------ */

static void duration_is(tc_time ms, const char *want)
{
	char buf[TC_REPORT_FMT_SIZE];
	tc_report_duration(ms, buf, sizeof buf);
	if (strcmp(buf, want) != 0)
		fail_msg("%lld ms: \"%s\", expected \"%s\"", (long long)ms, buf, want);
}

static void instant_is(tc_time t, const char *want)
{
	char buf[TC_REPORT_FMT_SIZE];
	tc_report_instant(t, buf, sizeof buf);
	if (strcmp(buf, want) != 0)
		fail_msg("%lld ms: \"%s\", expected \"%s\"", (long long)t, buf, want);
}

static void margin_is(tc_time ms, const char *want)
{
	char buf[TC_REPORT_FMT_SIZE];
	tc_report_margin(ms, buf, sizeof buf);
	if (strcmp(buf, want) != 0)
		fail_msg("%lld ms: \"%s\", expected \"%s\"", (long long)ms, buf, want);
}

static void percent_is(double ratio, const char *want)
{
	char buf[TC_REPORT_FMT_SIZE];
	tc_report_percent(ratio, buf, sizeof buf);
	if (strcmp(buf, want) != 0)
		fail_msg("%g: \"%s\", expected \"%s\"", ratio, buf, want);
}

static void durations_for_people(void **state)
{
	(void)state;
	duration_is(0, "0s");
	duration_is(250, "250ms");
	duration_is(-250, "-250ms");
	duration_is(999, "999ms");
	duration_is(1000, "1s");
	duration_is(1499, "1s");
	duration_is(1500, "2s");
	duration_is(59499, "59s");
	duration_is(59500, "1m 00s");        /* the rounding carries into minutes */
	duration_is(65000, "1m 05s");
	duration_is(HOUR - 501, "59m 59s");
	duration_is(HOUR - 500, "1h 00m");
	duration_is(2 * HOUR + 5 * MIN, "2h 05m");
	duration_is(2 * HOUR + 5 * MIN + 29999, "2h 05m");
	duration_is(2 * HOUR + 5 * MIN + 30000, "2h 06m");
	duration_is(DAY - 30001, "23h 59m");
	duration_is(DAY - 30000, "1d 00h");
	duration_is(3 * DAY + 4 * HOUR, "3d 04h");
	duration_is(3 * DAY + 4 * HOUR + 29 * MIN, "3d 04h");
	duration_is(-(HOUR + 30 * MIN), "-1h 30m");
	duration_is(NEVER, "not reached");
	duration_is(INT64_MIN, "-106751991167d 07h");   /* no overflow at the extreme */
	char small[4];
	tc_report_duration(2 * HOUR, small, sizeof small);
	assert_string_equal(small, "2h ");             /* truncated, terminated */
}

static void margins(void **state)
{
	(void)state;
	margin_is(25 * MIN, "+25m 00s");
	margin_is(-(HOUR + 2 * MIN), "-1h 02m");
	margin_is(400, "+400ms");
	margin_is(-400, "-400ms");
	margin_is(0, "0s");                  /* no sign on nothing */
	margin_is(DAY + 2 * HOUR, "+1d 02h");
	margin_is(NEVER, "not reached");
	margin_is(INT64_MAX - 1, "+106751991167d 07h"); /* the largest before NEVER */
	char small[4];
	tc_report_margin(2 * HOUR, small, sizeof small);
	assert_string_equal(small, "+2h");  /* truncated, terminated */
}

static void instants_and_percentages(void **state)
{
	(void)state;
	instant_is(0, "T+00:00:00");
	instant_is(1499, "T+00:00:01");
	instant_is(1500, "T+00:00:02");
	instant_is(-1499, "T-00:00:01");
	instant_is(-1500, "T-00:00:02");
	instant_is(90 * MIN, "T+01:30:00");
	instant_is(DAY + HOUR + MIN + 1000, "T+1d01:01:01");
	instant_is(NEVER, "not reached");
	percent_is(0.25, "25%");
	percent_is(1.2, "120%");
	percent_is(1.0 / 3.0, "33%");
	percent_is(0.125, "13%");            /* halves away from zero, not to even */
	percent_is(0.625, "63%");
	percent_is(0.0049, "0%");
	percent_is(-0.001, "0%");            /* no "-0%" */
	percent_is(NAN, "n/a");
	assert_string_equal(tc_step_type_name(TC_STEP_INCIDENT), "incident");
	assert_string_equal(tc_step_type_name(TC_STEP_MEETING), "meeting");
}

/* ---- the terminal summary -------------------------------------------------- */

static const char drill_summary[] =
	"Drill\n"
	"  seed 7, replication 2: T+00:00:00 to T+1d00:00:00 (duration)\n"
	"  5 messages: 2 handled, 1 lost, 0 retries; meetings: 0 held, 0 failed\n"
	"\n"
	"objectives: 1 met, 1 missed, 1 open\n"
	"  met    warn            at T+00:10:00, 1h 00m to spare\n"
	"  missed minister-aware  never happened (deadline T+02:00:00)\n"
	"  open   cell            not yet when the run ended (deadline T+30d00:10:00)\n"
	"\n"
	"common operational picture\n"
	"  attack  not reached  2 of 3 required aware; bottleneck soc (10m 00s of the "
	"critical path)\n"
	"  quiet   not reached  0 of 1 required aware\n"
	"\n"
	"slowest messages\n"
	"  #2  alert  soc -> cert     15m 00s  (handling 10m 00s)\n"
	"  #1  alert  outside -> soc  10m 00s  (handling 10m 00s)\n";

static char *summary(const tc_metrics *m, int colour)
{
	tc_buf b;
	tc_buf_init(&b, tc_alloc_default());
	tc_report_text(&b, m, colour);
	assert_false(b.failed);
	char *text = strdup(b.data);
	tc_buf_release(&b);
	return text;
}

static void summary_plain(void **state)
{
	(void)state;
	drill *d = drill_new();
	char *got = summary(&d->m, 0);
	if (strcmp(got, drill_summary) != 0)
		fail_msg("--- got\n%s--- expected\n%s", got, drill_summary);
	assert_null(strchr(got, '\033'));
	free(got);
	free(d);
}

/* Late and reached: the margin is written as lateness, the picture as a
 * time and an instant; the slowest five only, ties to the lower id. */
static void summary_late_and_reached(void **state)
{
	(void)state;
	drill *d = drill_new();
	d->results[0] = (tc_objective_result){TC_VERDICT_MISSED, TC_REASON_LATE, 10 * MIN,
	                                      70 * MIN, 2 * HOUR + 5 * MIN, -(55 * MIN), 1, 1,
	                                      NO_PATH};
	/* Late: its chain names the bottleneck (the incident's, here). */
	d->results[0].path = d->incident_metrics[0].path;
	d->results[1].reason = TC_REASON_NO_ANCHOR;
	d->incident_metrics[0].cop_at = d->incident_metrics[0].time_to_cop = 2 * HOUR + 5 * MIN;
	d->incident_metrics[0].required_aware = 3;
	/* Five more handled messages: 2 and 3 now tie with 1 at 15 min. */
	tc_hop more[10];
	memcpy(more, d->hops, sizeof d->hops);
	for (int i = 5; i < 10; i++) {
		more[i] = d->hops[1];
		more[i].msg = (uint64_t)i + 1;
		more[i].total = (tc_time)(i - 3) * 5 * MIN;   /* 10m, 15m, 20m, 25m, 30m */
	}
	d->m.hops = more;
	d->m.hop_count = 10;
	char *got = summary(&d->m, 0);
	const char *objectives =
		"objectives: 0 met, 2 missed, 1 open\n"
		"  missed warn            at T+02:05:00, 55m 00s late; bottleneck soc (10m 00s of "
		"the critical path)\n"
		"  missed minister-aware  its anchor never happened\n";
	const char *picture =
		"  attack  2h 05m       at T+02:05:00; bottleneck soc (10m 00s of the critical path)\n"
		"  quiet   not reached  0 of 1 required aware\n";
	const char *slowest =
		"slowest messages\n"
		"  #10  alert  soc -> cert  30m 00s  (handling 10m 00s)\n"
		"  #9   alert  soc -> cert  25m 00s  (handling 10m 00s)\n"
		"  #8   alert  soc -> cert  20m 00s  (handling 10m 00s)\n"
		"  #2   alert  soc -> cert  15m 00s  (handling 10m 00s)\n"
		"  #7   alert  soc -> cert  15m 00s  (handling 10m 00s)\n";
	if (!strstr(got, objectives) || !strstr(got, picture) || !strstr(got, slowest))
		fail_msg("--- got\n%s", got);
	free(got);
	free(d);
}

/* With colour: the verdicts and what was not reached are coloured, and
 * without the escapes the text is the plain one. */
static void summary_in_colour(void **state)
{
	(void)state;
	drill *d = drill_new();
	char *got = summary(&d->m, 1);
	assert_non_null(strstr(got, "\033[1mDrill\033[0m\n"));
	assert_non_null(strstr(got, "  \033[32mmet\033[0m    warn"));
	assert_non_null(strstr(got, "  \033[31mmissed\033[0m minister-aware"));
	assert_non_null(strstr(got, "  \033[33mopen\033[0m   cell"));
	assert_non_null(strstr(got, "attack  \033[31mnot reached\033[0m  2 of 3"));
	/* Strip "ESC [ digits m". */
	char *w = got;
	for (const char *r = got; *r;) {
		if (*r == '\033') {
			r = strchr(r, 'm') + 1;
			continue;
		}
		*w++ = *r++;
	}
	*w = '\0';
	assert_string_equal(got, drill_summary);
	free(got);
	free(d);
}

/* ---- the report directory -------------------------------------------------- */

static void temp_dir(char *path, size_t n)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(path, n, "%s/tocsin-report-XXXXXX", tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(path));
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* The names in dir, sorted, joined with spaces. */
static void list_dir(const char *dir, char *out, size_t n)
{
	char names[32][256];
	size_t count = 0;
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *e;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && count < 32)
			snprintf(names[count++], sizeof names[0], "%s", e->d_name);
	closedir(d);
	qsort(names, count, sizeof names[0], compare_names);
	size_t used = 0;
	for (size_t i = 0; i < count; i++) {
		size_t len = strlen(names[i]);
		assert_true(used + len + 2 <= n);
		if (i)
			out[used++] = ' ';
		memcpy(out + used, names[i], len);
		used += len;
	}
	out[used] = '\0';
}

static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *e;
	char path[4096];
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (remove(path) != 0)
			assert_int_equal(rmdir(path), 0);
	}
	closedir(d);
	assert_int_equal(rmdir(dir), 0);
}

static void file_is(const char *dir, const char *name, const char *want)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	size_t len;
	char *got = test_read_file(path, &len);
	assert_non_null(got);
	if (strcmp(got, want) != 0)
		fail_msg("%s differs from its writer's output", name);
	free(got);
}

#define ALL_FILES                                                                       \
	"actors.csv awareness.csv channels.csv critical_path.csv critical_path_actors.csv " \
	"hops.csv incidents.csv kinds.csv levels.csv objectives.csv report.html report.json " \
	"run.csv"

static void write_every_file(void **state)
{
	(void)state;
	drill *d = drill_new();
	char dir[256], names[1024], err[512] = "";
	temp_dir(dir, sizeof dir);
	assert_int_equal(tc_report_write(&d->m, dir, TC_REPORT_ALL, tc_alloc_default(), err,
	                                 sizeof err), TC_OK);
	list_dir(dir, names, sizeof names);
	assert_string_equal(names, ALL_FILES);
	char *json = render(tc_report_json, &d->m);
	file_is(dir, "report.json", json);
	free(json);
	for (size_t i = 0; i < tc_csv_table_count; i++) {
		char *text = render(tc_csv_tables[i].write, &d->m);
		file_is(dir, tc_csv_tables[i].file, text);
		free(text);
	}
	char *html = render(tc_report_html, &d->m);
	file_is(dir, "report.html", html);
	free(html);
	remove_dir(dir);

	/* Only the formats asked for. */
	temp_dir(dir, sizeof dir);
	assert_int_equal(tc_report_write(&d->m, dir, TC_REPORT_JSON | TC_REPORT_HTML,
	                                 tc_alloc_default(), err, sizeof err), TC_OK);
	list_dir(dir, names, sizeof names);
	assert_string_equal(names, "report.html report.json");
	remove_dir(dir);
	free(d);
}

/* A file that cannot be written: the error names it, nothing of the new
 * report is put in place, the previous report is left as it was and no
 * temporary file remains. */
static void a_failed_write_replaces_nothing(void **state)
{
	(void)state;
	drill *d = drill_new();
	char dir[256], path[512], names[1024], err[512] = "";
	temp_dir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/report.json", dir);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs("old\n", f);
	fclose(f);
	/* kinds.csv's temporary name is taken by a directory. */
	snprintf(path, sizeof path, "%s/kinds.csv.tmp-%ld", dir, (long)getpid());
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(tc_report_write(&d->m, dir, TC_REPORT_ALL, tc_alloc_default(), err,
	                                 sizeof err), TC_EIO);
	assert_non_null(strstr(err, "kinds.csv.tmp-"));
	list_dir(dir, names, sizeof names);
	snprintf(path, sizeof path, "kinds.csv.tmp-%ld report.json", (long)getpid());
	assert_string_equal(names, path);
	file_is(dir, "report.json", "old\n");
	remove_dir(dir);

	/* No such directory: the first file is named. */
	snprintf(path, sizeof path, "%s/missing", dir);
	assert_int_equal(tc_report_write(&d->m, path, TC_REPORT_CSV, tc_alloc_default(), err,
	                                 sizeof err), TC_EIO);
	assert_non_null(strstr(err, "missing/run.csv"));
	free(d);
}

/* Whichever allocation fails, the write fails with TC_ENOMEM, leaves no
 * file and leaks nothing; with enough memory it succeeds. */
static void out_of_memory_leaves_nothing(void **state)
{
	(void)state;
	drill *d = drill_new();
	char dir[256], names[1024], err[512];
	temp_dir(dir, sizeof dir);
	int succeeded = 0;
	for (long k = 0; k < 10000 && !succeeded; k++) {
		tc_failing_alloc fa;
		tc_failing_alloc_init(&fa, k);
		int rc = tc_report_write(&d->m, dir, TC_REPORT_ALL, &fa.alloc, err, sizeof err);
		assert_int_equal(fa.live_blocks, 0);
		list_dir(dir, names, sizeof names);
		if (rc == TC_OK) {
			succeeded = 1;
			assert_string_equal(names, ALL_FILES);
		} else {
			assert_int_equal(rc, TC_ENOMEM);
			assert_string_equal(names, "");
			assert_non_null(strstr(err, "out of memory"));
		}
	}
	assert_true(succeeded);
	remove_dir(dir);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(csv_run_and_objectives),
		cmocka_unit_test(csv_incidents_levels_awareness),
		cmocka_unit_test(csv_critical_path),
		cmocka_unit_test(csv_actors_hops_kinds_channels),
		cmocka_unit_test(csv_tables_listed),
		cmocka_unit_test(json_header_run_totals),
		cmocka_unit_test(json_objectives_incidents),
		cmocka_unit_test(json_actors_awareness_hops),
		cmocka_unit_test(durations_for_people),
		cmocka_unit_test(margins),
		cmocka_unit_test(instants_and_percentages),
		cmocka_unit_test(summary_plain),
		cmocka_unit_test(summary_late_and_reached),
		cmocka_unit_test(summary_in_colour),
		cmocka_unit_test(write_every_file),
		cmocka_unit_test(a_failed_write_replaces_nothing),
		cmocka_unit_test(out_of_memory_leaves_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
