/*
 * The terminal summary: what a facilitator reads in ten seconds after a
 * run. The scenario and its span, each objective's verdict, the time to a
 * common operational picture of each incident with the critical path's
 * bottleneck, and the slowest messages. Every figure is also in report.json.
 */
#include <stdio.h>
#include <string.h>

#include "report/format.h"
#include "report/internal.h"
#include "report/report.h"

enum { SLOWEST = 5 };

#define BOLD "\033[1m"
#define RED "\033[31m"
#define GREEN "\033[32m"
#define YELLOW "\033[33m"
#define RESET "\033[0m"

typedef struct out {
	tc_buf *b;
	int colour;
} out;

/* s in colour (when colouring), padded with spaces to width columns. */
static void put(out *o, const char *colour, const char *s, size_t width)
{
	if (o->colour && colour)
		tc_buf_adds(o->b, colour);
	tc_buf_adds(o->b, s);
	if (o->colour && colour)
		tc_buf_adds(o->b, RESET);
	for (size_t n = strlen(s); n < width; n++)
		tc_buf_addc(o->b, ' ');
}

static void heading(out *o, const char *s)
{
	put(o, BOLD, s, 0);
}

static size_t max_size(size_t a, size_t b)
{
	return a > b ? a : b;
}

static void header(out *o, const tc_metrics *m)
{
	const tc_setup *s = m->setup;
	const tc_totals *t = &m->totals;
	char from[TC_REPORT_FMT_SIZE], to[TC_REPORT_FMT_SIZE];
	heading(o, s->name ? s->name : "(unnamed exercise)");
	tc_buf_addc(o->b, '\n');
	tc_report_instant(t->span_start, from, sizeof from);
	tc_report_instant(t->span_end, to, sizeof to);
	tc_buf_printf(o->b, "  seed %llu, replication %lu: %s to %s (%s)\n",
	              (unsigned long long)s->seed, (unsigned long)s->replication, from, to,
	              t->end_reason ? t->end_reason : "?");
	tc_buf_printf(o->b, "  %llu messages: %llu handled, %llu lost, %llu retries; "
	              "meetings: %llu held, %llu failed\n",
	              (unsigned long long)t->messages, (unsigned long long)t->handled,
	              (unsigned long long)t->lost, (unsigned long long)t->retries,
	              (unsigned long long)t->meetings_held, (unsigned long long)t->meetings_failed);
}

static const char *verdict_colour(tc_verdict v)
{
	return v == TC_VERDICT_MET ? GREEN : v == TC_VERDICT_MISSED ? RED : YELLOW;
}

/* "; bottleneck ACTOR (TIME of the critical path)", when it has one. */
static void bottleneck(out *o, const tc_setup *s, const tc_critical_path *p)
{
	if (p->bottleneck == TC_NONE)
		return;
	/* The bottleneck leads by_actor: its time is the first entry's. */
	char dur[TC_REPORT_FMT_SIZE];
	tc_report_duration(p->by_actor[0].time, dur, sizeof dur);
	tc_buf_printf(o->b, "; bottleneck %s (%s of the critical path)",
	              report_actor(s, p->bottleneck), dur);
}

static void objectives(out *o, const tc_metrics *m)
{
	const tc_setup *s = m->setup;
	if (s->objective_count == 0)
		return;
	size_t count[3] = {0, 0, 0}, width = 0;
	for (size_t i = 0; i < s->objective_count; i++) {
		count[m->objectives[i].verdict]++;
		width = max_size(width, strlen(s->objectives[i].def.id));
	}
	tc_buf_addc(o->b, '\n');
	heading(o, "objectives");
	tc_buf_printf(o->b, ": %zu met, %zu missed, %zu open\n", count[TC_VERDICT_MET],
	              count[TC_VERDICT_MISSED], count[TC_VERDICT_OPEN]);
	for (size_t i = 0; i < s->objective_count; i++) {
		const tc_objective_result *r = &m->objectives[i];
		char at[TC_REPORT_FMT_SIZE], margin[TC_REPORT_FMT_SIZE], deadline[TC_REPORT_FMT_SIZE];
		tc_report_instant(r->event_at, at, sizeof at);
		tc_report_instant(r->deadline, deadline, sizeof deadline);
		/* The margin's sign is in the words: "to spare" or "late". */
		tc_report_duration(r->margin < 0 ? -r->margin : r->margin, margin, sizeof margin);
		tc_buf_adds(o->b, "  ");
		put(o, verdict_colour(r->verdict), tc_verdict_name(r->verdict), 7);
		put(o, NULL, s->objectives[i].def.id, width + 2);
		switch (r->reason) {
		case TC_REASON_IN_TIME:
			tc_buf_printf(o->b, "at %s, %s to spare\n", at, margin);
			break;
		case TC_REASON_LATE:
			/* Late: where its chain spent the time is the first question. */
			tc_buf_printf(o->b, "at %s, %s late", at, margin);
			bottleneck(o, s, &r->path);
			tc_buf_addc(o->b, '\n');
			break;
		case TC_REASON_NEVER:
			tc_buf_printf(o->b, "never happened (deadline %s)\n", deadline);
			break;
		case TC_REASON_NO_ANCHOR:
			tc_buf_adds(o->b, "its anchor never happened\n");
			break;
		case TC_REASON_RUN_ENDED:
			tc_buf_printf(o->b, "not yet when the run ended (deadline %s)\n", deadline);
			break;
		}
	}
}

static void pictures(out *o, const tc_metrics *m)
{
	const tc_setup *s = m->setup;
	if (s->incident_count == 0)
		return;
	size_t width = 0, dwidth = 0;
	char dur[TC_REPORT_FMT_SIZE];
	for (size_t i = 0; i < s->incident_count; i++) {
		width = max_size(width, strlen(s->incidents[i].id));
		tc_report_duration(m->incidents[i].time_to_cop, dur, sizeof dur);
		dwidth = max_size(dwidth, strlen(dur));
	}
	tc_buf_addc(o->b, '\n');
	heading(o, "common operational picture");
	tc_buf_addc(o->b, '\n');
	for (size_t i = 0; i < s->incident_count; i++) {
		const tc_incident_metrics *im = &m->incidents[i];
		const tc_critical_path *p = &im->path;
		char at[TC_REPORT_FMT_SIZE];
		tc_buf_adds(o->b, "  ");
		put(o, NULL, s->incidents[i].id, width + 2);
		tc_report_duration(im->time_to_cop, dur, sizeof dur);
		put(o, im->cop_at == TC_TIME_NEVER ? RED : NULL, dur, dwidth + 2);
		if (im->cop_at != TC_TIME_NEVER) {
			tc_report_instant(im->cop_at, at, sizeof at);
			tc_buf_printf(o->b, "at %s", at);
		} else {
			tc_buf_printf(o->b, "%u of %u required aware", (unsigned)im->required_aware,
			              (unsigned)im->required);
		}
		bottleneck(o, s, p);
		tc_buf_addc(o->b, '\n');
	}
}

/* The largest of a handled message's waits, as "queue 2h 00m". */
static void main_wait(const tc_hop *h, char *buf, size_t n)
{
	static const char *const names[] = {"hold", "channel", "queue", "off-hours", "handling"};
	const tc_time parts[] = {h->hold, h->channel_delay, h->queue, h->off_hours, h->handling};
	size_t best = 0;
	for (size_t i = 1; i < sizeof parts / sizeof parts[0]; i++)
		if (parts[i] > parts[best])
			best = i;
	char dur[TC_REPORT_FMT_SIZE];
	tc_report_duration(parts[best], dur, sizeof dur);
	snprintf(buf, n, "%s %s", names[best], dur);
}

/* The handled messages with the longest totals, ties to the lower id. */
static size_t slowest(const tc_metrics *m, const tc_hop **top)
{
	size_t n = 0;
	for (size_t i = 0; i < m->hop_count; i++) {
		const tc_hop *h = &m->hops[i];
		if (h->total == TC_TIME_NEVER)
			continue;
		size_t k = n < SLOWEST ? n++ : SLOWEST;
		/* Insertion into the sorted top list (hops come in id order, so a
		 * later one only passes an earlier one that is strictly faster). */
		while (k > 0 && top[k - 1]->total < h->total) {
			if (k < SLOWEST)
				top[k] = top[k - 1];
			k--;
		}
		if (k < SLOWEST)
			top[k] = h;
	}
	return n;
}

static void hops(out *o, const tc_metrics *m)
{
	const tc_setup *s = m->setup;
	const tc_hop *top[SLOWEST];
	size_t n = slowest(m, top);
	if (n == 0)
		return;
	char cells[SLOWEST][4][REPORT_OBJECTIVE_TEXT];
	size_t width[4] = {0, 0, 0, 0};
	for (size_t i = 0; i < n; i++) {
		const tc_hop *h = top[i];
		const char *from = h->from == TC_NONE ? "outside" : report_actor(s, h->from);
		snprintf(cells[i][0], sizeof cells[i][0], "#%llu", (unsigned long long)h->msg);
		snprintf(cells[i][1], sizeof cells[i][1], "%s", report_kind(s, h->kind));
		snprintf(cells[i][2], sizeof cells[i][2], "%s -> %s", from, report_actor(s, h->to));
		tc_report_duration(h->total, cells[i][3], sizeof cells[i][3]);
		for (int c = 0; c < 4; c++)
			width[c] = max_size(width[c], strlen(cells[i][c]));
	}
	tc_buf_addc(o->b, '\n');
	heading(o, "slowest messages");
	tc_buf_addc(o->b, '\n');
	for (size_t i = 0; i < n; i++) {
		char wait[REPORT_OBJECTIVE_TEXT];
		main_wait(top[i], wait, sizeof wait);
		tc_buf_adds(o->b, "  ");
		for (int c = 0; c < 4; c++)
			put(o, NULL, cells[i][c], width[c] + 2);
		tc_buf_printf(o->b, "(%s)\n", wait);
	}
}

void tc_report_text(tc_buf *b, const tc_metrics *m, int colour)
{
	out o = {b, colour};
	header(&o, m);
	objectives(&o, m);
	pictures(&o, m);
	hops(&o, m);
}
