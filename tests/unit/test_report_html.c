/*
 * report.html from hand-built metrics: scenario texts escaped, verdicts and
 * the time to the common operational picture written as documented, the
 * markup balanced, the timeline capped, the same bytes every time, and no
 * leak or crash when memory runs out.
 *
 * Run as `test_report_html --write-samples DIR` it writes instead, for
 * tests/e2e/report_html.sh to open in a browser, DIR/small and DIR/busy
 * (created as needed), each with the report.html and report.json of the
 * metrics.
 */
#include "test_support.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/alloc.h"
#include "report/html_internal.h"
#include "report/report.h"

#define M_ TC_MINUTE
#define H_ TC_HOUR
#define NEVER TC_TIME_NEVER
/* An objective whose chain is not part of the sample. */
#define NO_PATH {.target_actor = TC_NONE, .bottleneck = TC_NONE, .start = NEVER, .end = NEVER}

/* ---- the small sample ----------------------------------------------------------
 * Three actors: a SOC whose name needs escaping, a CERT on duty T+0..T+8h
 * and T+24h..T+32h, a cabinet. Incident "ransom" starts at T-30m and reaches
 * its common operational picture at T+18m (48m); "leak" never does. Messages:
 * #1 an inject to the SOC, #2 an alert SOC -> CERT that queues 2m, #3 an
 * alert to the cabinet lost, #4 a sitrep to the CERT delivered off duty at
 * T+8h30m and handled the next day. */

static tc_interval cert_duty[] = { { 0, 8 * H_ }, { 24 * H_, 32 * H_ } };
static tc_time cert_duty_prefix[2];
static const char *kinds[] = { "alert", "sitrep", "ack" };
static const uint8_t informative[] = { 1, 1, 0 };
static const char *channels[] = { "phone", "email" };
static const char *injects[] = { "phishing-mail" };
static const uint32_t ransom_required[] = { 0, 1 };
static const uint32_t leak_required[] = { 1, 2 };

typedef struct sample {
	tc_setup setup;
	tc_metrics m;
	tc_setup_actor actors[3];
	tc_setup_incident incidents[2];
	tc_setup_objective objectives[2];
	tc_hop hops[4];
	tc_actor_metrics am[3];
	tc_awareness aware[6];
	tc_incident_metrics im[2];
	tc_objective_result results[2];
	tc_path_step steps0[3], steps1[2];
	tc_path_actor by_actor0[2], by_actor1[1];
	tc_count_row by_kind[3], by_channel[3];
} sample;

static tc_hop hop(uint64_t msg, tc_kind_id kind, int from, int to, int channel,
                  tc_time created, tc_time delivered, tc_time started, tc_time handled)
{
	tc_hop h = {
		.msg = msg, .kind = kind, .from = from, .to = to, .incident = 0, .channel = channel,
		.attempt = 1, .status = TC_HOP_HANDLED, .created = created, .sent = created,
		.delivered = delivered, .started = started, .handled = handled,
		.channel_delay = delivered - created, .queue = started - delivered,
		.handling = handled - started, .total = handled - created,
	};
	return h;
}

static void sample_setup(sample *x)
{
	tc_setup *s = &x->setup;
	s->name = "Hospital <ransomware> & co";
	s->file = "scenarios/hospital.yaml";
	s->sha256 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	s->tocsin_version = "0.1.0";
	s->seed = 42;
	s->replication = 3;
	s->start = "2024-03-01T09:00:00+01:00";
	s->timezone = "Europe/Paris";
	s->duration = 48 * H_;
	s->until = NEVER;
	s->kinds = kinds;
	s->kind_informative = informative;
	s->kind_count = 3;
	x->actors[0] = (tc_setup_actor){ .id = "soc", .name = "SOC <&\"> 'night'",
	                                 .level = TC_LEVEL_TECHNICAL, .staff = 2,
	                                 .always_on_duty = 1 };
	x->actors[1] = (tc_setup_actor){ .id = "cert", .name = "CERT-FR",
	                                 .level = TC_LEVEL_OPERATIONAL, .staff = 3 };
	tc_timeline_wrap(&x->actors[1].duty, cert_duty, cert_duty_prefix, 2);
	x->actors[2] = (tc_setup_actor){ .id = "cabinet", .name = "Cabinet",
	                                 .level = TC_LEVEL_STRATEGIC, .staff = 1,
	                                 .always_on_duty = 1 };
	s->actors = x->actors;
	s->actor_count = 3;
	s->channels = channels;
	s->channel_count = 2;
	x->incidents[0] = (tc_setup_incident){ .id = "ransom", .title = "Ransomware <b>",
	                                       .severity = 3, .start = -30 * M_, .detector = 0,
	                                       .required = ransom_required, .required_count = 2 };
	x->incidents[1] = (tc_setup_incident){ .id = "leak", .title = "Data leak", .severity = 2,
	                                       .start = 2 * H_, .detector = 0,
	                                       .required = leak_required, .required_count = 2 };
	s->incidents = x->incidents;
	s->incident_count = s->incident_cap = 2;
	s->injects = injects;
	s->inject_count = 1;
	x->objectives[0].def = (tc_objective_def){
		.id = "alert-cert", .description = "Alert the CERT <fast>\x01", .incident = 0,
		.subject = TC_SUBJECT_ACTOR, .subject_actor = 0, .event = TC_EVENT_SENDS,
		.kind = 0, .to_actor = 1, .meeting = TC_NONE, .within = { .ms = H_ },
		.anchor = TC_ANCHOR_INCIDENT_START, .anchor_actor = TC_NONE,
		.anchor_objective = TC_NONE };
	x->objectives[1].def = (tc_objective_def){
		.id = "cop-leak", .incident = 1, .subject = TC_SUBJECT_ALL_REQUIRED,
		.subject_actor = TC_NONE, .event = TC_EVENT_AWARE, .to_actor = TC_NONE,
		.meeting = TC_NONE, .within = { .ms = 4 * H_ }, .anchor = TC_ANCHOR_INCIDENT_START,
		.anchor_actor = TC_NONE, .anchor_objective = TC_NONE };
	s->objectives = x->objectives;
	s->objective_count = 2;
}

static void sample_hops(sample *x)
{
	x->hops[0] = hop(1, 0, TC_NONE, 0, TC_NONE, 0, 0, 0, 1 * M_);
	x->hops[1] = hop(2, 0, 0, 1, 0, 5 * M_, 6 * M_, 8 * M_, 18 * M_);
	x->hops[2] = (tc_hop){ .msg = 3, .kind = 0, .from = 0, .to = 2, .incident = 0,
	                       .channel = 1, .attempt = 1, .status = TC_HOP_LOST,
	                       .created = 10 * M_, .sent = 10 * M_, .delivered = NEVER,
	                       .started = NEVER, .handled = NEVER, .total = NEVER,
	                       .lost_reason = "mail <bounced>" };
	x->hops[3] = hop(4, 1, 0, 1, 0, 8 * H_ + 20 * M_, 8 * H_ + 30 * M_, 24 * H_,
	                 24 * H_ + 20 * M_);
	x->hops[3].incident = 1;
	x->hops[3].queue = 0;
	x->hops[3].off_hours = 15 * H_ + 30 * M_;
	x->m.hops = x->hops;
	x->m.hop_count = 4;
}

static void sample_actors(sample *x)
{
	x->am[0] = (tc_actor_metrics){ .received = 1, .handled = 1, .sent = 3, .lost = 1,
	                               .utilisation = 0.125, .backlog_max = 1,
	                               .backlog_max_at = 0, .backlog_mean = 0.25,
	                               .response = { 1, M_, M_, M_, M_, 60000.0 } };
	x->am[1] = (tc_actor_metrics){ .received = 2, .handled = 2, .utilisation = 1.0 / 3.0,
	                               .backlog_max = 1, .backlog_max_at = 6 * M_ + 400,
	                               .backlog_mean = 0.5,
	                               .response = { 2, 12 * M_, 15 * H_ + 50 * M_,
	                                             15 * H_ + 50 * M_, 15 * H_ + 50 * M_, 0 } };
	x->am[2] = (tc_actor_metrics){ .utilisation = NAN, .backlog_max_at = NEVER,
	                               .backlog_mean = 0,
	                               .response = { 0, NEVER, NEVER, NEVER, NEVER, NAN } };
	x->m.actors = x->am;
	/* ransom (T-30m): soc at T+1m, cert at T+18m; leak (T+2h): soc at once, cert
	 * the next day at T+24h20m; the cabinet never. */
	x->aware[0] = (tc_awareness){ 1 * M_, 31 * M_, { TC_CAUSE_INJECT, 0 } };
	x->aware[1] = (tc_awareness){ 18 * M_, 48 * M_, { TC_CAUSE_MESSAGE, 2 } };
	x->aware[2] = (tc_awareness){ NEVER, NEVER, { TC_CAUSE_NONE, 0 } };
	x->aware[3] = (tc_awareness){ 2 * H_, 0, { TC_CAUSE_NONE, 0 } };
	x->aware[4] = (tc_awareness){ 24 * H_ + 20 * M_, 22 * H_ + 20 * M_,
	                              { TC_CAUSE_MESSAGE, 4 } };
	x->aware[5] = (tc_awareness){ NEVER, NEVER, { TC_CAUSE_NONE, 0 } };
	x->m.awareness = x->aware;
}

static void sample_paths(sample *x)
{
	tc_incident_metrics *r = &x->im[0], *l = &x->im[1];
	*r = (tc_incident_metrics){ .required = 2, .required_aware = 2, .cop_at = 18 * M_,
	                            .time_to_cop = 48 * M_ };
	r->levels[TC_LEVEL_TECHNICAL] = (tc_level_metrics){ 1, 1, 31 * M_, 31 * M_ };
	r->levels[TC_LEVEL_OPERATIONAL] = (tc_level_metrics){ 1, 1, 48 * M_, 48 * M_ };
	r->levels[TC_LEVEL_STRATEGIC] = (tc_level_metrics){ 1, 0, NEVER, NEVER };
	x->steps0[0] = (tc_path_step){ .type = TC_STEP_INCIDENT, .index = TC_NONE,
	                               .from = TC_NONE, .to = TC_NONE, .actor = TC_NONE,
	                               .start = -30 * M_, .end = 0 };
	x->steps0[0].split[TC_PATH_DETECTION] = 30 * M_;
	x->steps0[1] = (tc_path_step){ .type = TC_STEP_INJECT, .id = 1, .index = 0,
	                               .from = TC_NONE, .to = 0, .actor = 0, .start = 0,
	                               .end = 1 * M_ };
	x->steps0[1].split[TC_PATH_HANDLING] = 1 * M_;
	x->steps0[2] = (tc_path_step){ .type = TC_STEP_MESSAGE, .id = 2, .index = TC_NONE,
	                               .from = 0, .to = 1, .actor = 1, .start = 1 * M_,
	                               .end = 18 * M_ };
	x->steps0[2].split[TC_PATH_REACTION] = 4 * M_;
	x->steps0[2].split[TC_PATH_CHANNEL] = 1 * M_;
	x->steps0[2].split[TC_PATH_QUEUE] = 2 * M_;
	x->steps0[2].split[TC_PATH_HANDLING] = 10 * M_;
	x->by_actor0[0] = (tc_path_actor){ 1, 12 * M_ };
	x->by_actor0[1] = (tc_path_actor){ 0, 5 * M_ };
	r->path = (tc_critical_path){ .target_actor = 1, .complete = 1, .start = -30 * M_,
	                              .end = 18 * M_, .steps = x->steps0, .step_count = 3,
	                              .by_actor = x->by_actor0, .by_actor_count = 2,
	                              .bottleneck = 1 };
	r->path.by_cause[TC_PATH_DETECTION] = 30 * M_;
	r->path.by_cause[TC_PATH_CHANNEL] = 1 * M_;
	r->path.by_cause[TC_PATH_QUEUE] = 2 * M_;
	r->path.by_cause[TC_PATH_HANDLING] = 11 * M_;
	r->path.by_cause[TC_PATH_REACTION] = 4 * M_;

	*l = (tc_incident_metrics){ .required = 2, .required_aware = 1, .cop_at = NEVER,
	                            .time_to_cop = NEVER };
	l->levels[TC_LEVEL_OPERATIONAL] = (tc_level_metrics){ 1, 1, 22 * H_ + 20 * M_,
	                                                      22 * H_ + 20 * M_ };
	l->levels[TC_LEVEL_STRATEGIC] = (tc_level_metrics){ 1, 0, NEVER, NEVER };
	x->steps1[0] = (tc_path_step){ .type = TC_STEP_INCIDENT, .index = TC_NONE,
	                               .from = TC_NONE, .to = TC_NONE, .actor = TC_NONE,
	                               .start = 2 * H_, .end = 8 * H_ + 20 * M_ };
	x->steps1[0].split[TC_PATH_DETECTION] = 6 * H_ + 20 * M_;
	x->steps1[1] = (tc_path_step){ .type = TC_STEP_MESSAGE, .id = 4, .index = TC_NONE,
	                               .from = 0, .to = 1, .actor = 1, .start = 8 * H_ + 20 * M_,
	                               .end = 24 * H_ + 20 * M_ };
	x->steps1[1].split[TC_PATH_CHANNEL] = 10 * M_;
	x->steps1[1].split[TC_PATH_OFF_HOURS] = 15 * H_ + 30 * M_;
	x->steps1[1].split[TC_PATH_HANDLING] = 20 * M_;
	x->by_actor1[0] = (tc_path_actor){ 1, 15 * H_ + 50 * M_ };
	l->path = (tc_critical_path){ .target_actor = 1, .complete = 0, .start = 2 * H_,
	                              .end = 24 * H_ + 20 * M_, .steps = x->steps1,
	                              .step_count = 2, .by_actor = x->by_actor1,
	                              .by_actor_count = 1, .bottleneck = 1 };
	l->path.by_cause[TC_PATH_DETECTION] = 6 * H_ + 20 * M_;
	l->path.by_cause[TC_PATH_CHANNEL] = 10 * M_;
	l->path.by_cause[TC_PATH_OFF_HOURS] = 15 * H_ + 30 * M_;
	l->path.by_cause[TC_PATH_HANDLING] = 20 * M_;
	x->m.incidents = x->im;
}

static void sample_objectives(sample *x)
{
	/* alert-cert: sent at T+5m, deadline T-30m + 1h = T+30m: met, 25m early.
	 * cop-leak: deadline T+2h + 4h = T+6h, the cabinet never aware: missed. */
	x->results[0] = (tc_objective_result){ TC_VERDICT_MET, TC_REASON_IN_TIME, -30 * M_,
	                                       30 * M_, 5 * M_, 25 * M_, 1, 1, NO_PATH };
	x->results[1] = (tc_objective_result){ TC_VERDICT_MISSED, TC_REASON_NEVER, 2 * H_,
	                                       6 * H_, NEVER, NEVER, 2, 1, NO_PATH };
	/* alert-cert's chain: the first incident's, for the bottleneck column. */
	x->results[0].path = x->im[0].path;
	x->m.objectives = x->results;
}

static void sample_totals(sample *x)
{
	tc_totals *t = &x->m.totals;
	*t = (tc_totals){ .records = 40, .events = 30, .messages = 4, .delivered = 3, .lost = 1,
	                  .handled = 3, .span_start = -30 * M_, .span_end = 48 * H_,
	                  .end_reason = "duration", .by_kind = x->by_kind,
	                  .by_channel = x->by_channel };
	x->by_kind[0] = (tc_count_row){ 3, 2, 1, 2 };
	x->by_kind[1] = (tc_count_row){ 1, 1, 0, 1 };
	x->by_channel[0] = (tc_count_row){ 2, 2, 0, 2 };
	x->by_channel[1] = (tc_count_row){ 1, 0, 1, 0 };
	x->by_channel[2] = (tc_count_row){ 1, 1, 0, 1 };
}

/* The analysis gives each actor its duty as the run went: here, the
 * schedule as written, and all the time for those always on duty. */
static tc_interval always_duty[] = { { -10 * 24 * H_, 10 * 24 * H_ } };
static tc_time always_duty_prefix[1];

static void actual_duty(const tc_setup *s, tc_actor_metrics *am)
{
	for (size_t a = 0; a < s->actor_count; a++) {
		if (s->actors[a].always_on_duty)
			tc_timeline_wrap(&am[a].duty, always_duty, always_duty_prefix, 1);
		else
			am[a].duty = s->actors[a].duty;
	}
}

static void sample_init(sample *x)
{
	memset(x, 0, sizeof *x);
	sample_setup(x);
	x->m.setup = &x->setup;
	sample_hops(x);
	sample_actors(x);
	actual_duty(&x->setup, x->m.actors);
	sample_paths(x);
	sample_objectives(x);
	sample_totals(x);
}

/* ---- a busy sample: thousands of messages between six actors ------------------- */

enum { BUSY_ACTORS = 6, BUSY_HOPS = 2500 };

typedef struct busy {
	sample base;               /* its setup, incidents and objectives */
	tc_setup_actor actors[BUSY_ACTORS];
	tc_actor_metrics am[BUSY_ACTORS];
	tc_awareness aware[2 * BUSY_ACTORS];
	tc_hop *hops;
} busy;

static const char *busy_names[BUSY_ACTORS] = {
	"Hospital IT", "Hospital crisis cell", "ARS regional health agency",
	"CERT Santé", "ANSSI operations centre with a very long name indeed", "Prefecture",
};
static const char *busy_ids[BUSY_ACTORS] = { "it", "cell", "ars", "certsante", "anssi",
	                                     "prefecture" };
static tc_interval day_duty[] = { { 0, 10 * H_ }, { 23 * H_, 34 * H_ }, { 47 * H_, 58 * H_ } };
static tc_time day_duty_prefix[3];

static void busy_init(busy *y)
{
	sample_init(&y->base);
	tc_setup *s = &y->base.setup;
	tc_metrics *m = &y->base.m;
	for (int a = 0; a < BUSY_ACTORS; a++) {
		y->actors[a] = (tc_setup_actor){ .id = busy_ids[a], .name = busy_names[a],
		                                 .level = (tc_level)(a * TC_LEVEL_COUNT / BUSY_ACTORS),
		                                 .staff = 2, .always_on_duty = a < 2 };
		if (a >= 2)
			tc_timeline_wrap(&y->actors[a].duty, day_duty, day_duty_prefix, 3);
		y->am[a] = (tc_actor_metrics){ .utilisation = 0.1 * a, .backlog_max = (uint64_t)a,
		                               .backlog_max_at = a * H_, .backlog_mean = 0.5 * a,
		                               .response = { 10, 5 * M_, 30 * M_, H_, H_, 1e6 } };
	}
	s->actors = y->actors;
	s->actor_count = BUSY_ACTORS;
	m->actors = y->am;
	actual_duty(s, y->am);
	/* One message every ~69 s over two days; every 40th lost. A fixed
	 * linear-congruential stream picks the handling times. */
	y->hops = calloc(BUSY_HOPS, sizeof *y->hops);
	assert_non_null(y->hops);
	uint32_t r = 12345;
	for (int i = 0; i < BUSY_HOPS; i++) {
		r = r * 1103515245u + 12345u;
		int from = i % BUSY_ACTORS, to = (from + 1 + (int)(r >> 16) % (BUSY_ACTORS - 1)) %
		                                 BUSY_ACTORS;
		tc_time created = (tc_time)i * (48 * H_ / BUSY_HOPS);
		tc_time delivered = created + 30 * TC_SECOND;
		tc_time started = delivered + (tc_time)((r >> 8) % (uint32_t)(40 * M_));
		y->hops[i] = hop((uint64_t)i + 1, (tc_kind_id)(i % 3), from, to, i % 2, created,
		                 delivered, started, started + 4 * M_);
		if (i % 40 == 39) {
			y->hops[i].status = TC_HOP_LOST;
			y->hops[i].delivered = y->hops[i].started = y->hops[i].handled = NEVER;
			y->hops[i].queue = y->hops[i].handling = 0;
			y->hops[i].total = NEVER;
			y->hops[i].lost_reason = "link down";
		}
	}
	m->hops = y->hops;
	m->hop_count = BUSY_HOPS;
	for (int a = 0; a < BUSY_ACTORS; a++) {
		y->aware[a] = (tc_awareness){ (a + 1) * 20 * M_, (a + 1) * 20 * M_ + 30 * M_,
		                              { TC_CAUSE_MESSAGE, 1 } };
		y->aware[BUSY_ACTORS + a] = a == 5 ? (tc_awareness){ NEVER, NEVER, { 0, 0 } }
		                                   : (tc_awareness){ 3 * H_ + a * 90 * M_,
		                                                     H_ + a * 90 * M_,
		                                                     { TC_CAUSE_MESSAGE, 1 } };
	}
	m->awareness = y->aware;
	/* Ransom requires actors 0 and 1, aware at T+20m and T+40m. */
	y->base.im[0].cop_at = 40 * M_;
	y->base.im[0].time_to_cop = 70 * M_;
	m->totals.messages = BUSY_HOPS;
}

static void busy_release(busy *y)
{
	free(y->hops);
}

/* ---- helpers ------------------------------------------------------------------------ */

static char *render(const tc_metrics *m)
{
	tc_buf b;
	tc_buf_init(&b, tc_alloc_default());
	tc_report_html(&b, m);
	assert_false(b.failed);
	char *copy = malloc(b.len + 1);
	assert_non_null(copy);
	memcpy(copy, b.data, b.len + 1);
	tc_buf_release(&b);
	return copy;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* The text of the element whose id attribute is `id`, up to the next tag. */
static const char *text_of(const char *html, const char *id, char *out, size_t n)
{
	char key[64];
	snprintf(key, sizeof key, "id=\"%s\"", id);
	const char *p = strstr(html, key);
	assert_non_null(p);
	p = strchr(p, '>');
	assert_non_null(p);
	p++;
	if (strncmp(p, "<span class=\"nr\">", 17) == 0)
		p += 17;
	size_t len = strcspn(p, "<");
	assert_true(len < n);
	memcpy(out, p, len);
	out[len] = '\0';
	return out;
}

static int is_void(const char *name, size_t len)
{
	static const char *voids[] = { "meta", "br", "hr", "img", "link", "input", "col" };
	for (size_t i = 0; i < sizeof voids / sizeof voids[0]; i++)
		if (strlen(voids[i]) == len && memcmp(voids[i], name, len) == 0)
			return 1;
	return 0;
}

/*
 * The page is well-formed: every tag closed in order (void elements written
 * "<br/>"), text holding no raw '<' and only the five escapes as entities,
 * the style sheet skipped. Fails the test at the first fault.
 */
static void assert_well_formed(const char *html)
{
	enum { DEPTH = 64 };
	const char *stack[DEPTH];
	size_t lens[DEPTH], depth = 0;
	const char *p = html;
	assert_true(strncmp(p, "<!DOCTYPE html>\n", 16) == 0);
	p += 16;
	while (*p) {
		if (*p == '&') {
			static const char *ents[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&#39;" };
			int ok = 0;
			for (size_t i = 0; i < 5; i++)
				ok |= strncmp(p, ents[i], strlen(ents[i])) == 0;
			if (!ok)
				fail_msg("stray '&' at %.40s", p);
			p++;
			continue;
		}
		if (*p != '<') {
			p++;
			continue;
		}
		const char *end = strchr(p, '>');
		assert_non_null(end);
		int closing = p[1] == '/';
		const char *name = p + 1 + closing;
		size_t len = strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789");
		if (len == 0)
			fail_msg("raw '<' at %.40s", p);
		/* No '<' inside a tag: attributes are escaped. */
		for (const char *q = p + 1; q < end; q++)
			if (*q == '<')
				fail_msg("'<' inside a tag at %.40s", p);
		int self = end[-1] == '/';
		if (closing) {
			if (depth == 0 || lens[depth - 1] != len ||
			    memcmp(stack[depth - 1], name, len) != 0)
				fail_msg("unbalanced </%.*s> at %.60s", (int)len, name, p);
			depth--;
		} else if (is_void(name, len) && !self) {
			fail_msg("void element not closed at %.40s", p);
		} else if (!self) {
			assert_true(depth < DEPTH);
			stack[depth] = name;
			lens[depth++] = len;
			if (len == 5 && memcmp(name, "style", 5) == 0) {
				end = strstr(end, "</style>");
				assert_non_null(end);
				end--;
			}
		}
		p = end + 1;
	}
	if (depth)
		fail_msg("<%.*s> never closed", (int)lens[depth - 1], stack[depth - 1]);
}

/* ---- tests ------------------------------------------------------------------------- */

/* Figures come from report/format.h's formatters (whose rules test_report_data
 * checks): the page adds only the "nr" class of a value never reached. */
static void values_are_the_shared_formatters(void **state)
{
	(void)state;
	tc_buf b;
	tc_buf_init(&b, tc_alloc_default());
	tc_html_time(&b, tc_report_duration, 90500);
	tc_buf_addc(&b, '|');
	tc_html_time(&b, tc_report_duration, 2 * TC_DAY + 4 * H_ + 400);
	tc_buf_addc(&b, '|');
	tc_html_time(&b, tc_report_margin, 25 * M_);
	tc_buf_addc(&b, '|');
	tc_html_time(&b, tc_report_margin, -(H_ + 2 * M_));
	tc_buf_addc(&b, '|');
	tc_html_time(&b, tc_report_margin, 0);
	tc_buf_addc(&b, '|');
	tc_html_time(&b, tc_report_instant, 26 * H_ + 30 * M_ + 700);
	tc_buf_addc(&b, '|');
	tc_html_time(&b, tc_report_instant, -30 * M_);
	tc_buf_addc(&b, '|');
	tc_html_time(&b, tc_report_duration, NEVER);
	tc_buf_addc(&b, '|');
	tc_html_time(&b, tc_report_instant, NEVER);
	assert_false(b.failed);
	assert_string_equal(b.data, "1m 31s|2d 04h|+25m 00s|-1h 02m|0s|T+1d02:30:01|T-00:30:00|"
	                            "<span class=\"nr\">not reached</span>|"
	                            "<span class=\"nr\">not reached</span>");
	tc_buf_release(&b);
}

static void text_is_escaped(void **state)
{
	(void)state;
	tc_buf b;
	tc_buf_init(&b, tc_alloc_default());
	tc_html_text(&b, "a<b>&\"c'\x01\x7f\xc2\x85\xc3\xa9");
	assert_string_equal(b.data, "a&lt;b&gt;&amp;&quot;c&#39;\xef\xbf\xbd\xef\xbf\xbd"
	                            "\xef\xbf\xbd\xc3\xa9");
	tc_buf_reset(&b);
	/* Cut by characters, not bytes: each é is two bytes. */
	tc_html_text_max(&b, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 3);
	assert_string_equal(b.data, "\xc3\xa9\xc3\xa9\xe2\x80\xa6");
	tc_buf_reset(&b);
	tc_html_text_max(&b, "\xc3\xa9\xc3\xa9\xc3\xa9", 3);
	assert_string_equal(b.data, "\xc3\xa9\xc3\xa9\xc3\xa9");
	tc_buf_reset(&b);
	tc_html_text_max(&b, "<<<<", 3);
	assert_string_equal(b.data, "&lt;&lt;\xe2\x80\xa6");
	tc_buf_release(&b);
}

static void scenario_texts_never_raw(void **state)
{
	(void)state;
	sample x;
	sample_init(&x);
	char *html = render(&x.m);
	assert_null(strstr(html, "<&\">"));
	assert_null(strstr(html, "'night'"));
	assert_null(strstr(html, "<ransomware>"));
	assert_null(strstr(html, "<b>"));
	assert_null(strstr(html, "<fast>"));
	assert_null(strstr(html, "<bounced>"));
	assert_null(strstr(html, "\x01"));
	/* The SOC's name: lane label and tooltip in the timeline, two critical
	 * path tables, the tooltips of its three messages, the rule of objective
	 * alert-cert, its row, the critical path's actor lists: at least 8. */
	assert_true(count(html, "SOC &lt;&amp;&quot;&gt; &#39;night&#39;") >= 8);
	assert_non_null(strstr(html, "<title>Hospital &lt;ransomware&gt; &amp; co \xe2\x80\x94"));
	assert_non_null(strstr(html, "Ransomware &lt;b&gt;"));
	assert_non_null(strstr(html, "Alert the CERT &lt;fast&gt;\xef\xbf\xbd"));
	assert_non_null(strstr(html, "lost (mail &lt;bounced&gt;)"));
	assert_well_formed(html);
	free(html);
}

static void figures_appear(void **state)
{
	(void)state;
	sample x;
	sample_init(&x);
	char *html = render(&x.m);
	char t[128];
	assert_string_equal(text_of(html, "cop-0", t, sizeof t), "48m 00s");
	assert_string_equal(text_of(html, "cop-1", t, sizeof t), "not reached");
	assert_string_equal(text_of(html, "verdict-0", t, sizeof t), "met");
	assert_string_equal(text_of(html, "verdict-1", t, sizeof t), "missed");
	assert_non_null(strstr(html, "class=\"verdict v-met\""));
	assert_non_null(strstr(html, "class=\"verdict v-missed\""));
	/* Objective alert-cert: happened, deadline, margin, subjects. */
	assert_non_null(strstr(html, "<td class=\"n\">T+00:05:00</td><td class=\"n\">T+00:30:00"
	                             "</td><td class=\"n\">+25m 00s</td><td class=\"n\">1 of 1</td>"
	                             "<td>CERT-FR (12m 00s)</td></tr>"));
	/* cop-leak never happened: no chain, no bottleneck. */
	assert_non_null(strstr(html, "<td class=\"n\">1 of 2</td><td><span class=\"nr\">none"
	                             "</span></td></tr>"));
	assert_non_null(strstr(html, "SOC &lt;&amp;&quot;&gt; &#39;night&#39; sends alert to "
	                             "CERT-FR within 1h of the incident's start"));
	assert_non_null(strstr(html, ">did not happen by the deadline<"));
	/* Summary. */
	assert_non_null(strstr(html, "<div class=\"big\">1 of 2 met</div><p class=\"sub\">1 met, "
	                             "1 missed, 0 open</p>"));
	assert_non_null(strstr(html, "2 of 2 required actors aware, at T+00:18:00"));
	assert_non_null(strstr(html, "Bottleneck: <strong>CERT-FR</strong> (12m 00s of the "
	                             "critical path)"));
	assert_non_null(strstr(html, "<div class=\"big\">4</div><p class=\"sub\">3 delivered, 3 "
	                             "handled, 1 lost, 0 retries</p>"));
	/* Header. */
	assert_non_null(strstr(html, "title=\"0123456789abcdef0123456789abcdef0123456789abcdef"
	                             "0123456789abcdef\">0123456789ab\xe2\x80\xa6</span>"));
	assert_non_null(strstr(html, "2024-03-01T09:00:00+01:00 (Europe/Paris)"));
	/* The span, 48h30m, in days and hours: the half hour rounds up. */
	assert_non_null(strstr(html, "T-00:30:00 \xe2\x80\x93 T+2d00:00:00 (2d 01h)"));
	/* Actors: CERT's utilisation, backlog, response p90 and awareness. */
	assert_non_null(strstr(html, "<td class=\"n\">33%</td><td class=\"n\">1 at T+00:06:00"
	                             "</td><td class=\"n\">0.50</td><td class=\"n\">12m 00s</td>"
	                             "<td class=\"n\">15h 50m</td><td class=\"n\">15h 50m</td>"));
	assert_string_equal(text_of(html, "aware-0-1", t, sizeof t), "48m 00s");
	assert_string_equal(text_of(html, "aware-1-1", t, sizeof t), "22h 20m");
	assert_string_equal(text_of(html, "aware-0-2", t, sizeof t), "not reached");
	assert_non_null(strstr(html, "<td class=\"n\">n/a</td><td class=\"n\">0</td>"
	                             "<td class=\"n\">0.00</td><td class=\"n\"><span class=\"nr\">"
	                             "none</span>"));
	/* Critical paths: the legend's durations and shares (30m of 48m is 62.5%,
	 * rounded up; 15h30m of 22h20m 69.4%), the message step. */
	assert_non_null(strstr(html, "Detection: 30m 00s (63%)"));
	assert_non_null(strstr(html, "Off hours: 15h 30m (69%)"));
	assert_non_null(strstr(html, "<td>alert <span class=\"id\">#2</span></td><td>SOC "));
	assert_non_null(strstr(html, "this chain ends when the last actor to become aware did: "
	                             "CERT-FR aware at T+1d00:20:00, 22h 20m after T+02:00:00."));
	/* Levels: the strategic level of ransom never aware. */
	assert_non_null(strstr(html, "<td>strategic</td><td class=\"n\">1</td><td class=\"n\">0"
	                             "</td><td class=\"n\"><span class=\"nr\">not reached</span>"));
	free(html);
}

static void charts_are_drawn(void **state)
{
	(void)state;
	sample x;
	sample_init(&x);
	char *html = render(&x.m);
	/* The span T-30m..T+48h is cut into 3 panels of 16h 10m; the third
	 * (from T+31h50m) has no message and is left out. With the timeline's
	 * markers and legend, the awareness chart, two path bars and two
	 * swatches of the awareness legend, 9 SVG images. */
	assert_int_equal(count(html, "<svg "), 9);
	assert_int_equal(count(html, "</svg>"), 9);
	assert_non_null(strstr(html, "the run cut into 3 panels of 16h 10m read top to bottom "
	                             "(1 without any message is left out)"));
	/* Message #2 and #4 and the legend have arrows; the inject a triangle
	 * (and the legend); the lost message a dashed line and a cross (and the
	 * legend). */
	assert_int_equal(count(html, "marker-end=\"url(#tl-arrow)\""), 3);
	assert_int_equal(count(html, "class=\"inj\""), 2);
	assert_int_equal(count(html, "<line class=\"lost\""), 2);
	assert_int_equal(count(html, "<line class=\"x\""), 4);
	/* #4 waits off duty T+8h30m..T+24h, across panels 1 and 2 (dotted), then
	 * is handled in panel 2; #2 queues 2m; #1, #2 handled in panel 1. */
	assert_int_equal(count(html, "<rect class=\"o\""), 2 + 1);
	assert_int_equal(count(html, "<rect class=\"q\""), 1 + 1);
	assert_int_equal(count(html, "<rect class=\"h\""), 3 + 1);
	/* The CERT lane is off duty before T+0 and T+8h..T+15h40m in panel 1,
	 * T+15h40m..T+24h in panel 2 (T+32h..T+48h would be in panel 3). */
	assert_int_equal(count(html, "<rect class=\"offduty\""), 3 + 1);
	/* Two awareness curves; the first climbs to 2 of 3, the second too. */
	assert_int_equal(count(html, "<path class=\"curve\""), 2);
	assert_non_null(strstr(html, ": 2 of 3 actors aware by the end</title>"));
	assert_null(strstr(html, "timeline-truncated"));
	free(html);
}

static void timeline_is_capped(void **state)
{
	(void)state;
	busy y;
	busy_init(&y);
	char *html = render(&y.base.m);
	char *again = render(&y.base.m);
	assert_string_equal(html, again);
	/* 2000 drawn: 50 lost, 1950 arrows (finer ones, as the panels are
	 * dense), plus the legend's. The 2000th was created at 1999 * 69.12 s =
	 * T+1d14:22:50.88. */
	assert_int_equal(count(html, "marker-end=\"url(#tl-arrow-s)\""), 1950);
	assert_int_equal(count(html, "marker-end=\"url(#tl-arrow)\""), 1);
	assert_int_equal(count(html, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart tl "
	                             "dense\""), 3);
	assert_int_equal(count(html, "<line class=\"lost\""), 50 + 1);
	assert_non_null(strstr(html, "<strong id=\"timeline-truncated\">Showing the first 2000 "
	                             "of 2500 messages</strong> (those created by T+1d14:22:51)"));
	assert_well_formed(html);
	free(again);
	free(html);
	busy_release(&y);
}

/* A run with nothing in it still gives a whole page. */
static void empty_run(void **state)
{
	(void)state;
	tc_setup s = { .name = "Empty", .until = NEVER };
	tc_metrics m = { .setup = &s, .totals = { .end_reason = "quiescent" } };
	char *html = render(&m);
	assert_well_formed(html);
	assert_non_null(strstr(html, "<div class=\"big\">0 of 0 met</div>"));
	assert_non_null(strstr(html, "<p>The scenario sets no objective.</p>"));
	assert_non_null(strstr(html, "<p>The run had no incident.</p>"));
	assert_non_null(strstr(html, "<dt>SHA-256</dt><dd>unknown</dd>"));
	assert_null(strstr(html, "<svg"));
	free(html);
}

static void out_of_memory_fails_cleanly(void **state)
{
	(void)state;
	sample x;
	sample_init(&x);
	int succeeded = 0;
	for (long n = 0; n < 64 && !succeeded; n++) {
		tc_failing_alloc fa;
		tc_failing_alloc_init(&fa, n);
		tc_buf b;
		tc_buf_init(&b, &fa.alloc);
		tc_report_html(&b, &x.m);
		succeeded = !b.failed;
		tc_buf_release(&b);
		assert_int_equal(fa.live_blocks, 0);
	}
	assert_true(succeeded);
}

/* ---- the samples for the browser test ---------------------------------------------- */

static int write_file(const char *dir, const char *name, const tc_buf *b)
{
	char path[4096];
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
		return 1;
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(b->data, 1, b->len, f) != b->len || fclose(f) != 0) {
		perror(path);
		return 1;
	}
	return 0;
}

static int write_sample(const tc_metrics *m, const char *parent, const char *name)
{
	char dir[4096];
	if ((size_t)snprintf(dir, sizeof dir, "%s/%s", parent, name) >= sizeof dir)
		return 1;
	mkdir(parent, 0777);
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		perror(dir);
		return 1;
	}
	tc_buf html, json;
	tc_buf_init(&html, tc_alloc_default());
	tc_buf_init(&json, tc_alloc_default());
	tc_report_html(&html, m);
	tc_report_json(&json, m);
	int rc = html.failed || json.failed || write_file(dir, "report.html", &html) ||
	         write_file(dir, "report.json", &json);
	tc_buf_release(&html);
	tc_buf_release(&json);
	return rc;
}

static int write_samples(const char *dir)
{
	sample x;
	sample_init(&x);
	busy y;
	busy_init(&y);
	int rc = write_sample(&x.m, dir, "small") || write_sample(&y.base.m, dir, "busy");
	busy_release(&y);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--write-samples") == 0)
		return write_samples(argv[2]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(values_are_the_shared_formatters),
		cmocka_unit_test(text_is_escaped),
		cmocka_unit_test(scenario_texts_never_raw),
		cmocka_unit_test(figures_appear),
		cmocka_unit_test(charts_are_drawn),
		cmocka_unit_test(timeline_is_capped),
		cmocka_unit_test(empty_run),
		cmocka_unit_test(out_of_memory_fails_cleanly),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
