/*
 * The CSV tables (docs/report-schema.md): plain rectangular tables that
 * spreadsheet and data-frame readers take without options. A header row of
 * snake_case names carrying their unit, then one row per item; fields are
 * quoted (RFC 4180) only when they must be; an empty cell is a value not
 * reached or that does not apply; flags are 0 or 1, read alike everywhere;
 * lines end with "\n".
 */
#include <math.h>
#include <string.h>

#include "report/internal.h"
#include "report/report.h"

typedef struct csv {
	tc_buf *b;
	int col;                   /* cells written on the current row */
} csv;

static void cell(csv *c)
{
	if (c->col++)
		tc_buf_addc(c->b, ',');
}

static void end_row(csv *c)
{
	tc_buf_addc(c->b, '\n');
	c->col = 0;
}

static void header(csv *c, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		cell(c);
		tc_buf_adds(c->b, names[i]);
	}
	end_row(c);
}

#define HEADER(c, names) header((c), (names), sizeof(names) / sizeof(names)[0])

/* Text, quoted when it holds a comma, a quote or a line break (quotes are
 * doubled); NULL is an empty cell. */
static void text(csv *c, const char *s)
{
	cell(c);
	if (!s)
		return;
	if (!s[strcspn(s, ",\"\r\n")]) {
		tc_buf_adds(c->b, s);
		return;
	}
	tc_buf_addc(c->b, '"');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			tc_buf_addc(c->b, '"');
		tc_buf_addc(c->b, *p);
	}
	tc_buf_addc(c->b, '"');
}

static void i64(csv *c, int64_t v)
{
	cell(c);
	tc_buf_add_i64(c->b, v);
}

static void u64(csv *c, uint64_t v)
{
	cell(c);
	tc_buf_add_u64(c->b, v);
}

/* A time or duration in ms; empty when not reached. */
static void tm(csv *c, tc_time t)
{
	cell(c);
	if (t != TC_TIME_NEVER)
		tc_buf_add_i64(c->b, t);
}

/* Empty when not a number. */
static void dbl(csv *c, double v)
{
	cell(c);
	if (isfinite(v))
		tc_buf_add_double(c->b, v);
}

static void flag(csv *c, int v)
{
	cell(c);
	tc_buf_addc(c->b, v ? '1' : '0');
}

static void empty(csv *c)
{
	cell(c);
}

/* A cause in five cells: its type, then the message id, inject id, meeting
 * instance or script handle, whichever it is (the others empty). */
static void cause_cells(csv *c, const tc_setup *s, tc_cause cause)
{
	text(c, tc_cause_type_name(cause.type));
	for (tc_cause_type t = TC_CAUSE_MESSAGE; t <= TC_CAUSE_SCRIPT; t++) {
		if (cause.type != t)
			empty(c);
		else if (t == TC_CAUSE_INJECT)
			text(c, report_inject(s, (int)cause.id));
		else
			u64(c, cause.id);
	}
}

/* The cause columns follow the order of the tc_cause_type values. */
#define CAUSE_COLUMNS(p) p, p "_message", p "_inject", p "_meeting", p "_script"

/* The nine causes of critical-path time, each a column in ms. */
#define PATH_CAUSE_COLUMNS(p)                                                     \
	p "detection_ms", p "hold_ms", p "channel_ms", p "queue_ms", p "off_hours_ms", \
	p "handling_ms", p "meeting_ms", p "retry_ms", p "reaction_ms"

static void path_cause_cells(csv *c, const tc_time split[TC_PATH_CAUSE_COUNT])
{
	for (int k = 0; k < TC_PATH_CAUSE_COUNT; k++)
		i64(c, split[k]);
}

/* ---- the tables ------------------------------------------------------------ */

static void run_csv(tc_buf *b, const tc_metrics *m)
{
	static const char *const columns[] = {
		"scenario", "file", "sha256", "seed", "replication", "start", "start_utc_ms",
		"timezone", "duration_ms", "until_ms", "tocsin", "span_start_ms", "span_end_ms",
		"end_reason", "records", "events", "messages", "delivered", "lost", "handled",
		"retries", "meetings_held", "meetings_failed",
	};
	const tc_setup *s = m->setup;
	const tc_totals *t = &m->totals;
	csv c = {b, 0};
	HEADER(&c, columns);
	text(&c, s->name);
	text(&c, s->file);
	text(&c, s->sha256);
	u64(&c, s->seed);
	u64(&c, s->replication);
	text(&c, s->start);
	i64(&c, s->start_utc_ms);
	text(&c, s->timezone);
	tm(&c, s->duration);
	tm(&c, s->until);
	text(&c, s->tocsin_version);
	tm(&c, t->span_start);
	tm(&c, t->span_end);
	text(&c, t->end_reason);
	u64(&c, t->records);
	u64(&c, t->events);
	u64(&c, t->messages);
	u64(&c, t->delivered);
	u64(&c, t->lost);
	u64(&c, t->handled);
	u64(&c, t->retries);
	u64(&c, t->meetings_held);
	u64(&c, t->meetings_failed);
	end_row(&c);
}

static void objectives_csv(tc_buf *b, const tc_metrics *m)
{
	static const char *const columns[] = {
		"objective", "description", "incident", "subject", "event", "within", "after",
		"verdict", "reason", "anchor_at_ms", "deadline_ms", "event_at_ms", "margin_ms",
		"subjects", "subjects_done",
	};
	const tc_setup *s = m->setup;
	char buf[REPORT_OBJECTIVE_TEXT];
	csv c = {b, 0};
	HEADER(&c, columns);
	for (size_t i = 0; i < s->objective_count; i++) {
		const tc_objective_def *d = &s->objectives[i].def;
		const tc_objective_result *r = &m->objectives[i];
		text(&c, d->id);
		text(&c, d->description);
		text(&c, report_incident(s, d->incident));
		report_objective_subject(s, d, buf, sizeof buf);
		text(&c, buf);
		report_objective_event(s, d, buf, sizeof buf);
		text(&c, buf);
		tc_duration_format_full(d->within, buf, sizeof buf);
		text(&c, buf);
		report_objective_after(s, d, buf, sizeof buf);
		text(&c, buf);
		text(&c, tc_verdict_name(r->verdict));
		text(&c, tc_objective_reason_name(r->reason));
		tm(&c, r->anchor_at);
		tm(&c, r->deadline);
		tm(&c, r->event_at);
		tm(&c, r->margin);
		i64(&c, r->subjects);
		i64(&c, r->subjects_done);
		end_row(&c);
	}
}

static void incidents_csv(tc_buf *b, const tc_metrics *m)
{
	static const char *const columns[] = {
		"incident", "title", "severity", "start_ms", "detector", "opened", "required",
		"required_aware", "cop_at_ms", "time_to_cop_ms", "path_target", "path_complete",
		"path_start_ms", "path_end_ms", "path_length_ms", "path_bottleneck",
		PATH_CAUSE_COLUMNS("path_"),
	};
	const tc_setup *s = m->setup;
	csv c = {b, 0};
	HEADER(&c, columns);
	for (size_t i = 0; i < s->incident_count; i++) {
		const tc_setup_incident *in = &s->incidents[i];
		const tc_incident_metrics *im = &m->incidents[i];
		const tc_critical_path *p = &im->path;
		int none = p->target_actor == TC_NONE;
		text(&c, in->id);
		text(&c, in->title);
		i64(&c, in->severity);
		tm(&c, in->start);
		text(&c, report_actor(s, in->detector));
		flag(&c, in->opened);
		u64(&c, im->required);
		u64(&c, im->required_aware);
		tm(&c, im->cop_at);
		tm(&c, im->time_to_cop);
		text(&c, report_actor(s, p->target_actor));
		flag(&c, p->complete);
		tm(&c, none ? TC_TIME_NEVER : p->start);
		tm(&c, none ? TC_TIME_NEVER : p->end);
		tm(&c, none ? TC_TIME_NEVER : p->end - p->start);
		text(&c, report_actor(s, p->bottleneck));
		path_cause_cells(&c, p->by_cause);
		end_row(&c);
	}
}

static void levels_csv(tc_buf *b, const tc_metrics *m)
{
	static const char *const columns[] = {
		"incident", "level", "actors", "aware", "first_ms", "all_ms",
	};
	const tc_setup *s = m->setup;
	csv c = {b, 0};
	HEADER(&c, columns);
	for (size_t i = 0; i < s->incident_count; i++) {
		for (int l = 0; l < TC_LEVEL_COUNT; l++) {
			const tc_level_metrics *lm = &m->incidents[i].levels[l];
			text(&c, s->incidents[i].id);
			text(&c, tc_level_name((tc_level)l));
			u64(&c, lm->actors);
			u64(&c, lm->aware);
			tm(&c, lm->first);
			tm(&c, lm->all);
			end_row(&c);
		}
	}
}

static int is_required(const tc_setup_incident *in, size_t actor)
{
	for (size_t k = 0; k < in->required_count; k++)
		if (in->required[k] == actor)
			return 1;
	return 0;
}

static void awareness_csv(tc_buf *b, const tc_metrics *m)
{
	static const char *const columns[] = {
		"incident", "actor", "required", "at_ms", "since_start_ms", CAUSE_COLUMNS("cause"),
	};
	const tc_setup *s = m->setup;
	csv c = {b, 0};
	HEADER(&c, columns);
	for (size_t i = 0; i < s->incident_count; i++) {
		for (size_t a = 0; a < s->actor_count; a++) {
			const tc_awareness *aw = &m->awareness[i * s->actor_count + a];
			text(&c, s->incidents[i].id);
			text(&c, s->actors[a].id);
			flag(&c, is_required(&s->incidents[i], a));
			tm(&c, aw->at);
			tm(&c, aw->since_start);
			cause_cells(&c, s, aw->cause);
			end_row(&c);
		}
	}
}

/* The rows of one path of critical_path.csv. */
static void path_steps(csv *c, const tc_setup *s, const char *incident, const char *objective,
                       const tc_critical_path *p)
{
	for (size_t k = 0; k < p->step_count; k++) {
		const tc_path_step *st = &p->steps[k];
		text(c, incident);
		text(c, objective);
		u64(c, k + 1);
		text(c, tc_step_type_name(st->type));
		if (st->type == TC_STEP_MESSAGE)
			u64(c, st->id);
		else
			empty(c);
		text(c, st->type == TC_STEP_INJECT ? report_inject(s, st->index) : NULL);
		text(c, st->type == TC_STEP_MEETING ? report_meeting(s, st->index) : NULL);
		if (st->type == TC_STEP_MEETING)
			u64(c, st->id);
		else
			empty(c);
		if (st->type == TC_STEP_SCRIPT)
			u64(c, st->id);
		else
			empty(c);
		text(c, report_actor(s, st->from));
		text(c, report_actor(s, st->to));
		text(c, report_actor(s, st->actor));
		tm(c, st->start);
		tm(c, st->end);
		tm(c, st->end - st->start);
		path_cause_cells(c, st->split);
		end_row(c);
	}
}

/* Each incident's path, then each objective's. */
static void critical_path_csv(tc_buf *b, const tc_metrics *m)
{
	static const char *const columns[] = {
		"incident", "objective", "step", "type", "message", "inject", "meeting",
		"instance", "script", "from", "to", "actor", "start_ms", "end_ms", "length_ms",
		PATH_CAUSE_COLUMNS(""),
	};
	const tc_setup *s = m->setup;
	csv c = {b, 0};
	HEADER(&c, columns);
	for (size_t i = 0; i < s->incident_count; i++)
		path_steps(&c, s, s->incidents[i].id, NULL, &m->incidents[i].path);
	for (size_t i = 0; i < s->objective_count; i++) {
		const tc_objective_def *d = &s->objectives[i].def;
		path_steps(&c, s, report_incident(s, d->incident), d->id, &m->objectives[i].path);
	}
}

static void path_actors(csv *c, const tc_setup *s, const char *incident, const char *objective,
                        const tc_critical_path *p)
{
	for (size_t k = 0; k < p->by_actor_count; k++) {
		text(c, incident);
		text(c, objective);
		u64(c, k + 1);
		text(c, report_actor(s, p->by_actor[k].actor));
		i64(c, p->by_actor[k].time);
		end_row(c);
	}
}

static void critical_path_actors_csv(tc_buf *b, const tc_metrics *m)
{
	static const char *const columns[] = {"incident", "objective", "rank", "actor", "time_ms"};
	const tc_setup *s = m->setup;
	csv c = {b, 0};
	HEADER(&c, columns);
	for (size_t i = 0; i < s->incident_count; i++)
		path_actors(&c, s, s->incidents[i].id, NULL, &m->incidents[i].path);
	for (size_t i = 0; i < s->objective_count; i++) {
		const tc_objective_def *d = &s->objectives[i].def;
		path_actors(&c, s, report_incident(s, d->incident), d->id, &m->objectives[i].path);
	}
}

static void actors_csv(tc_buf *b, const tc_metrics *m)
{
	static const char *const columns[] = {
		"actor", "name", "level", "staff", "received", "handled", "sent", "lost", "retries",
		"meetings", "busy_duty_staff_ms", "busy_on_call_staff_ms", "capacity_staff_ms",
		"utilisation", "backlog_max", "backlog_max_at_ms", "backlog_mean", "response_count",
		"response_p50_ms", "response_p90_ms", "response_p99_ms", "response_max_ms",
		"response_mean_ms", "queue_ms", "off_hours_ms", "handling_ms",
	};
	const tc_setup *s = m->setup;
	csv c = {b, 0};
	HEADER(&c, columns);
	for (size_t i = 0; i < s->actor_count; i++) {
		const tc_setup_actor *sa = &s->actors[i];
		const tc_actor_metrics *am = &m->actors[i];
		text(&c, sa->id);
		text(&c, sa->name);
		text(&c, tc_level_name(sa->level));
		i64(&c, sa->staff);
		u64(&c, am->received);
		u64(&c, am->handled);
		u64(&c, am->sent);
		u64(&c, am->lost);
		u64(&c, am->retries);
		u64(&c, am->meetings);
		i64(&c, am->busy_duty);
		i64(&c, am->busy_on_call);
		i64(&c, am->capacity);
		dbl(&c, am->utilisation);
		u64(&c, am->backlog_max);
		tm(&c, am->backlog_max_at);
		dbl(&c, am->backlog_mean);
		u64(&c, am->response.count);
		tm(&c, am->response.p50);
		tm(&c, am->response.p90);
		tm(&c, am->response.p99);
		tm(&c, am->response.max);
		dbl(&c, am->response.mean);
		i64(&c, am->queue);
		i64(&c, am->off_hours);
		i64(&c, am->handling);
		end_row(&c);
	}
}

static void hops_csv(tc_buf *b, const tc_metrics *m)
{
	static const char *const columns[] = {
		"msg", "kind", "from", "to", "incident", "channel", "attempt", "severity",
		CAUSE_COLUMNS("binding"), "status", "lost_reason", "on_call", "created_ms", "sent_ms",
		"delivered_ms", "started_ms", "handled_ms", "hold_ms", "channel_delay_ms", "queue_ms",
		"off_hours_ms", "handling_ms", "total_ms",
	};
	const tc_setup *s = m->setup;
	csv c = {b, 0};
	HEADER(&c, columns);
	for (size_t i = 0; i < m->hop_count; i++) {
		const tc_hop *h = &m->hops[i];
		u64(&c, h->msg);
		text(&c, report_kind(s, h->kind));
		text(&c, report_actor(s, h->from));
		text(&c, report_actor(s, h->to));
		text(&c, report_incident(s, h->incident));
		text(&c, report_channel(s, h->channel));
		i64(&c, h->attempt);
		i64(&c, h->severity);
		cause_cells(&c, s, h->binding);
		text(&c, tc_hop_status_name(h->status));
		text(&c, h->lost_reason);
		flag(&c, h->on_call);
		tm(&c, h->created);
		tm(&c, h->sent);
		tm(&c, h->delivered);
		tm(&c, h->started);
		tm(&c, h->handled);
		i64(&c, h->hold);
		i64(&c, h->channel_delay);
		i64(&c, h->queue);
		i64(&c, h->off_hours);
		i64(&c, h->handling);
		tm(&c, h->total);
		end_row(&c);
	}
}

static void count_cells(csv *c, const tc_count_row *r)
{
	u64(c, r->messages);
	u64(c, r->delivered);
	u64(c, r->lost);
	u64(c, r->handled);
	end_row(c);
}

static void kinds_csv(tc_buf *b, const tc_metrics *m)
{
	static const char *const columns[] = {
		"kind", "informative", "messages", "delivered", "lost", "handled",
	};
	const tc_setup *s = m->setup;
	csv c = {b, 0};
	HEADER(&c, columns);
	for (size_t k = 0; k < s->kind_count; k++) {
		text(&c, s->kinds[k]);
		flag(&c, s->kind_informative[k]);
		count_cells(&c, &m->totals.by_kind[k]);
	}
}

static void channels_csv(tc_buf *b, const tc_metrics *m)
{
	static const char *const columns[] = {"channel", "messages", "delivered", "lost", "handled"};
	const tc_setup *s = m->setup;
	csv c = {b, 0};
	HEADER(&c, columns);
	/* The last row, with no channel, counts direct delivery. */
	for (size_t k = 0; k <= s->channel_count; k++) {
		text(&c, k < s->channel_count ? s->channels[k] : NULL);
		count_cells(&c, &m->totals.by_channel[k]);
	}
}

const tc_csv_table tc_csv_tables[] = {
	{"run.csv", run_csv},
	{"objectives.csv", objectives_csv},
	{"incidents.csv", incidents_csv},
	{"levels.csv", levels_csv},
	{"awareness.csv", awareness_csv},
	{"critical_path.csv", critical_path_csv},
	{"critical_path_actors.csv", critical_path_actors_csv},
	{"actors.csv", actors_csv},
	{"hops.csv", hops_csv},
	{"kinds.csv", kinds_csv},
	{"channels.csv", channels_csv},
};
const size_t tc_csv_table_count = sizeof tc_csv_tables / sizeof tc_csv_tables[0];
