/*
 * The charts of report.html as inline SVG: the timeline of messages, the
 * awareness curves and the critical path's bar. Positions are tenths of a
 * pixel held in integers and printed without printf's floating point, so the
 * bytes depend on the metrics alone.
 */
#include <assert.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/vocab.h"
#include "report/html_internal.h"

/* ---- geometry ------------------------------------------------------------------- */

enum {
	PX = TC_SVG_PX,           /* decipixels per pixel */
	LABEL_W = 190,            /* lane labels, left of the plot (px) */
	PLOT_W = 940,             /* fits the page on screen and on A4 landscape */
	RIGHT_PAD = 40,           /* half a tick label */
	TICK_MIN_GAP = 84,        /* px between labelled ticks, at least */
	LANE_H = 30,
	BAR_H = 10,
	TL_TOP = 26,              /* room for the incidents' labels */
	AXIS_H = 24,
	LEGEND_H = 28,
	AW_TOP = 26,
	AW_PLOT_H = 180,
	BAR_W = 900,
	BAR_HEIGHT = 30,
	PANELS_MAX = 14,
	DENSE = 250,              /* arrows in a panel from which they are drawn finer */
};

/* Exercise time to x. */
typedef struct axis {
	tc_time t0, t1;           /* t1 > t0 */
	int64_t x0, w;            /* decipixels */
} axis;

static int64_t ax_x(const axis *a, tc_time t)
{
	if (t < a->t0)
		t = a->t0;
	if (t > a->t1)
		t = a->t1;
	double share = (double)(t - a->t0) / (double)(a->t1 - a->t0);
	return a->x0 + (int64_t)llround(share * (double)a->w);
}

/* The span every chart shows: T+0 (or earlier, for an incident that began
 * before it) to the last record. */
static void time_range(const tc_metrics *m, tc_time *t0, tc_time *t1)
{
	tc_time lo = 0, hi = m->totals.span_end;
	if (m->totals.span_start < lo)
		lo = m->totals.span_start;
	for (size_t i = 0; i < m->setup->incident_count; i++) {
		tc_time s = m->setup->incidents[i].start;
		if (s < lo && s > TC_TIME_ALWAYS_START)
			lo = s;
	}
	if (hi == TC_TIME_NEVER || hi < lo + TC_MINUTE)
		hi = lo + TC_MINUTE;
	*t0 = lo;
	*t1 = hi;
}

/* The coarsest round step that keeps labels TICK_MIN_GAP apart. */
static tc_time tick_step(const axis *a)
{
	static const tc_time steps[] = {
		TC_MINUTE, 2 * TC_MINUTE, 5 * TC_MINUTE, 10 * TC_MINUTE, 15 * TC_MINUTE,
		30 * TC_MINUTE, TC_HOUR, 2 * TC_HOUR, 3 * TC_HOUR, 6 * TC_HOUR, 12 * TC_HOUR,
		TC_DAY, 2 * TC_DAY, TC_WEEK, 2 * TC_WEEK, 4 * TC_WEEK,
	};
	int64_t max_ticks = a->w / PX / TICK_MIN_GAP;
	if (max_ticks < 1)
		max_ticks = 1;
	size_t n = sizeof steps / sizeof steps[0];
	for (size_t i = 0; i < n; i++)
		if ((a->t1 - a->t0) / steps[i] <= max_ticks)
			return steps[i];
	tc_time span = a->t1 - a->t0;
	return (span / max_ticks / TC_WEEK + 1) * TC_WEEK;
}

/* "T+02:00", "T+1d06:30", "T-00:30". */
static void tick_label(tc_buf *b, tc_time t)
{
	uint64_t u = t < 0 ? (uint64_t)0 - (uint64_t)t : (uint64_t)t;
	uint64_t days = u / (uint64_t)TC_DAY;
	u %= (uint64_t)TC_DAY;
	tc_buf_adds(b, t < 0 ? "T-" : "T+");
	if (days)
		tc_buf_printf(b, "%" PRIu64 "d", days);
	tc_buf_printf(b, "%02u:%02u", (unsigned)(u / (uint64_t)TC_HOUR),
	              (unsigned)(u / (uint64_t)TC_MINUTE % 60));
}

/* The first multiple of step at or after t0 (steps divide T+0's day). */
static tc_time first_tick(tc_time t0, tc_time step)
{
	tc_time q = t0 / step * step;
	return q < t0 ? q + step : q;
}

/* Vertical grid lines from y_top to y_bottom, labelled below. */
static void time_grid(tc_buf *b, const axis *a, int64_t y_top, int64_t y_bottom)
{
	tc_time step = tick_step(a);
	for (tc_time t = first_tick(a->t0, step); t <= a->t1; t += step) {
		int64_t x = ax_x(a, t);
		tc_svg_line(b, "grid", x, y_top, x, y_bottom);
		tc_buf_adds(b, "/>");
		tc_buf_adds(b, "<text class=\"tick\" text-anchor=\"middle\"");
		tc_svg_attr(b, "x", x);
		tc_svg_attr(b, "y", y_bottom + 15 * PX);
		tc_buf_addc(b, '>');
		tick_label(b, t);
		tc_buf_adds(b, "</text>");
	}
	tc_buf_addc(b, '\n');
}

/* ---- timeline --------------------------------------------------------------------
 * The span is cut into at most PANELS_MAX panels of at most a day each, stacked,
 * all at one scale: a long exercise reads top to bottom as on paper instead
 * of in one strip too wide to read or print. */

typedef struct timeline {
	const tc_metrics *m;
	tc_time t0, t1, panel;    /* the whole span; one panel's length */
	size_t panels;
	size_t shown;             /* messages drawn: the first ones */
	tc_time end;              /* the last record: open bars run to it */
} timeline;

static void timeline_init(timeline *tl, const tc_metrics *m)
{
	tl->m = m;
	time_range(m, &tl->t0, &tl->t1);
	tc_time span = tl->t1 - tl->t0;
	tl->panels = (size_t)((span - 1) / TC_DAY + 1);
	if (tl->panels > PANELS_MAX)
		tl->panels = PANELS_MAX;
	tl->panel = span / (tc_time)tl->panels;
	tl->shown = m->hop_count < TC_HTML_MAX_ARROWS ? m->hop_count : TC_HTML_MAX_ARROWS;
	tl->end = tl->t1;
}

static void panel_axis(const timeline *tl, size_t p, axis *ax)
{
	ax->t0 = tl->t0 + (tc_time)p * tl->panel;
	ax->t1 = p + 1 == tl->panels ? tl->t1 : ax->t0 + tl->panel;
	ax->x0 = LABEL_W * PX;
	ax->w = PLOT_W * PX;
}

/* The panel that shows time t. */
static size_t panel_of(const timeline *tl, tc_time t)
{
	if (t <= tl->t0)
		return 0;
	tc_time p = (t - tl->t0) / tl->panel;
	return (size_t)p >= tl->panels ? tl->panels - 1 : (size_t)p;
}

static int64_t lane_top(int actor)
{
	return (TL_TOP + (int64_t)actor * LANE_H) * PX;
}

static int64_t lane_mid(int actor)
{
	return lane_top(actor) + LANE_H * PX / 2;
}

static int is_actor(const tc_setup *s, int actor)
{
	return actor >= 0 && (size_t)actor < s->actor_count;
}

static tc_time hop_sent(const tc_hop *h)
{
	return h->sent != TC_TIME_NEVER ? h->sent : h->created;
}

/* When the hop's drawing ends: handled, lost, or still open at the end. */
static tc_time hop_last(const timeline *tl, const tc_hop *h)
{
	switch (h->status) {
	case TC_HOP_HANDLED:
		return h->handled;
	case TC_HOP_LOST:
		return hop_sent(h) + h->channel_delay;
	default:
		return tl->end;
	}
}

/* Where the hop's arrow is drawn: the panel of its delivery, or of its
 * sending when it was never delivered. */
static size_t hop_panel(const timeline *tl, const tc_hop *h)
{
	if (h->delivered != TC_TIME_NEVER && h->status != TC_HOP_LOST)
		return panel_of(tl, h->delivered);
	return panel_of(tl, hop_sent(h));
}

/* On duty at t (by its duty as the run went, hours changes included; the
 * analysis may still count on-call staff, but this only orders the two
 * kinds of waiting in the picture). */
static int on_duty(const tc_actor_metrics *a, tc_time t)
{
	return tc_timeline_contains(&a->duty, t);
}

static void off_duty_shading(tc_buf *b, const axis *ax, const tc_actor_metrics *a, int lane)
{
	int64_t y = lane_top(lane) + PX, h = (LANE_H - 2) * PX;
	tc_time cursor = ax->t0;
	for (size_t i = 0; i < a->duty.count && cursor < ax->t1; i++) {
		const tc_interval *iv = &a->duty.iv[i];
		if (iv->start > cursor)
			tc_svg_rect(b, "offduty", ax_x(ax, cursor), ax_x(ax, iv->start), y, h);
		if (iv->end > cursor)
			cursor = iv->end;
	}
	if (cursor < ax->t1)
		tc_svg_rect(b, "offduty", ax_x(ax, cursor), ax_x(ax, ax->t1), y, h);
}

static void lanes(tc_buf *b, const tc_metrics *m, const axis *ax)
{
	const tc_setup *s = m->setup;
	for (size_t i = 0; i < s->actor_count; i++) {
		if (i % 2 == 0)
			tc_svg_rect(b, "lane", ax->x0, ax->x0 + ax->w, lane_top((int)i),
			            LANE_H * PX);
		off_duty_shading(b, ax, &m->actors[i], (int)i);
	}
	tc_buf_addc(b, '\n');
}

static void lane_labels(tc_buf *b, const tc_metrics *m)
{
	const tc_setup *s = m->setup;
	for (size_t i = 0; i < s->actor_count; i++) {
		const tc_setup_actor *a = &s->actors[i];
		tc_buf_adds(b, "<text class=\"label\" text-anchor=\"end\"");
		tc_svg_attr(b, "x", (LABEL_W - 8) * PX);
		tc_svg_attr(b, "y", lane_mid((int)i) + 1 * PX);
		tc_buf_adds(b, "><title>");
		tc_html_actor(b, s, (int)i);
		tc_buf_adds(b, " (");
		tc_html_text(b, a->id);
		tc_buf_adds(b, ", ");
		tc_buf_adds(b, tc_level_name(a->level));
		tc_buf_adds(b, ")</title>");
		/* 23 characters fit the label column at its font size. */
		tc_html_text_max(b, a->name && a->name[0] ? a->name : a->id, 23);
		tc_buf_adds(b, "</text><text class=\"level\" text-anchor=\"end\"");
		tc_svg_attr(b, "x", (LABEL_W - 8) * PX);
		tc_svg_attr(b, "y", lane_mid((int)i) + 11 * PX);
		tc_buf_addc(b, '>');
		tc_buf_adds(b, tc_level_name(a->level));
		tc_buf_adds(b, "</text>\n");
	}
}

static void incident_marks(tc_buf *b, const tc_metrics *m, const axis *ax, int64_t y_bottom)
{
	const tc_setup *s = m->setup;
	for (size_t i = 0; i < s->incident_count; i++) {
		tc_time t = s->incidents[i].start;
		if (t < ax->t0 || t > ax->t1)
			continue;
		int64_t x = ax_x(ax, t);
		tc_svg_line(b, "start", x, (TL_TOP - 6) * PX, x, y_bottom);
		tc_buf_adds(b, "/><text class=\"startl\"");
		tc_svg_attr(b, "x", x + 3 * PX);
		/* Stagger the labels of incidents that start close together. */
		tc_svg_attr(b, "y", (int64_t)(10 + (i % 2) * 9) * PX);
		tc_buf_addc(b, '>');
		tc_html_text_max(b, s->incidents[i].id, 30);
		tc_buf_adds(b, " starts</text>\n");
	}
}

/* The waiting part of a bar: [from, to) split into queue and off hours, the
 * kind the receiver was in at delivery first. */
static void wait_bar(tc_buf *b, const axis *ax, int64_t y, tc_time from, tc_time to,
                     tc_time queue, tc_time off, int off_first)
{
	if (to <= from)
		return;
	if (queue + off <= 0)
		queue = to - from;
	tc_time first = off_first ? off : queue;
	tc_time cut = from + first < to ? from + first : to;
	int64_t x1 = ax_x(ax, from), xc = ax_x(ax, cut), x2 = ax_x(ax, to);
	if (xc > x1)
		tc_svg_rect(b, off_first ? "o" : "q", x1, xc, y, BAR_H * PX);
	if (x2 > xc)
		tc_svg_rect(b, off_first ? "q" : "o", xc, x2, y, BAR_H * PX);
}

static void hop_bars(tc_buf *b, const timeline *tl, const axis *ax, const tc_hop *h)
{
	const tc_setup *s = tl->m->setup;
	if (!is_actor(s, h->to) || h->delivered == TC_TIME_NEVER)
		return;
	if (h->delivered > ax->t1 || hop_last(tl, h) < ax->t0)
		return;
	int64_t y = lane_mid(h->to) - BAR_H * PX / 2;
	tc_time started = h->started == TC_TIME_NEVER ? tl->end : h->started;
	int off_first = !on_duty(&tl->m->actors[h->to], h->delivered);
	switch (h->status) {
	case TC_HOP_HANDLED:
	case TC_HOP_HANDLING:
		wait_bar(b, ax, y, h->delivered, started, h->queue, h->off_hours, off_first);
		if (h->started != TC_TIME_NEVER && h->started <= ax->t1) {
			tc_time done = h->status == TC_HOP_HANDLED ? h->handled : tl->end;
			int64_t x1 = ax_x(ax, h->started), x2 = ax_x(ax, done);
			if (done < ax->t0)
				break;
			if (x2 < x1 + 8)
				x2 = x1 + 8;   /* a short handling is still visible */
			tc_svg_rect(b, "h", x1, x2, y, BAR_H * PX);
		}
		break;
	case TC_HOP_QUEUED:
		wait_bar(b, ax, y, h->delivered, tl->end, 0, 0, 0);
		break;
	default:
		break;
	}
}

/* "#12 alert A → B, sent T+..: ..." as a tooltip. */
static void hop_title(tc_buf *b, const tc_metrics *m, const tc_hop *h)
{
	const tc_setup *s = m->setup;
	tc_buf_printf(b, "<title>#%" PRIu64 " ", h->msg);
	if (h->kind < s->kind_count)
		tc_html_text(b, s->kinds[h->kind]);
	tc_buf_adds(b, ": ");
	tc_html_actor(b, s, h->from);
	tc_buf_adds(b, " \xe2\x86\x92 ");
	tc_html_actor(b, s, h->to);
	tc_buf_adds(b, ", sent ");
	tc_html_time(b, tc_report_instant, hop_sent(h));
	switch (h->status) {
	case TC_HOP_HANDLED:
		tc_buf_adds(b, ", delivered ");
		tc_html_time(b, tc_report_instant, h->delivered);
		tc_buf_adds(b, ", waited ");
		tc_html_time(b, tc_report_duration, h->queue + h->off_hours);
		tc_buf_adds(b, ", handled in ");
		tc_html_time(b, tc_report_duration, h->handling);
		break;
	case TC_HOP_LOST:
		tc_buf_adds(b, ", lost");
		if (h->lost_reason) {
			tc_buf_adds(b, " (");
			tc_html_text(b, h->lost_reason);
			tc_buf_addc(b, ')');
		}
		break;
	case TC_HOP_HELD:
		tc_buf_adds(b, ", still held at the end");
		break;
	case TC_HOP_IN_TRANSIT:
		tc_buf_adds(b, ", still in transit at the end");
		break;
	case TC_HOP_QUEUED:
		tc_buf_adds(b, ", still waiting at the end");
		break;
	case TC_HOP_HANDLING:
		tc_buf_adds(b, ", being handled at the end");
		break;
	default:
		break;
	}
	tc_buf_adds(b, "</title>");
}

static void cross(tc_buf *b, int64_t x, int64_t y)
{
	int64_t r = 4 * PX;
	tc_svg_line(b, "x", x - r, y - r, x + r, y + r);
	tc_buf_adds(b, "/>");
	tc_svg_line(b, "x", x - r, y + r, x + r, y - r);
	tc_buf_adds(b, "/>");
}

/* An inject: a triangle pointing down onto the receiver's bar. */
static void inject_mark(tc_buf *b, int64_t x, int64_t y)
{
	tc_buf_adds(b, "<path class=\"inj\" d=\"M");
	tc_svg_coord(b, x - 4 * PX);
	tc_buf_addc(b, ',');
	tc_svg_coord(b, y - 7 * PX);
	tc_buf_adds(b, "h8l-4,7z\"");
}

static void hop_arrow(tc_buf *b, const tc_metrics *m, const axis *ax, const tc_hop *h,
                      const char *marker)
{
	const tc_setup *s = m->setup;
	if (!is_actor(s, h->to))
		return;
	int64_t x1 = ax_x(ax, hop_sent(h)), y2 = lane_mid(h->to);
	int outside = !is_actor(s, h->from);
	int64_t y1 = outside ? lane_top(h->to) : lane_mid(h->from);
	int down = y2 >= y1;
	switch (h->status) {
	case TC_HOP_HANDLED:
	case TC_HOP_QUEUED:
	case TC_HOP_HANDLING: {
		int64_t x2 = ax_x(ax, h->delivered);
		if (outside) {
			inject_mark(b, x2, lane_mid(h->to) - BAR_H * PX / 2);
			tc_buf_addc(b, '>');
			hop_title(b, m, h);
			tc_buf_adds(b, "</path>");
			return;
		}
		if (h->from == h->to)
			return;
		y2 += (down ? -1 : 1) * BAR_H * PX / 2;
		tc_svg_line(b, "m", x1, y1, x2, y2);
		tc_buf_printf(b, " marker-end=\"url(#%s)\">", marker);
		break;
	}
	case TC_HOP_LOST: {
		int64_t x2 = h->channel_delay > 0 ? ax_x(ax, hop_sent(h) + h->channel_delay)
		                                  : x1 + 6 * PX;
		if (x2 > ax->x0 + ax->w)
			x2 = ax->x0 + ax->w;
		if (h->from == h->to || outside)
			y1 = y2 - LANE_H * PX / 2;
		tc_svg_line(b, "lost", x1, y1, x2, y2);
		tc_buf_addc(b, '>');
		hop_title(b, m, h);
		tc_buf_adds(b, "</line>");
		cross(b, x2, y2);
		return;
	}
	case TC_HOP_HELD:
	case TC_HOP_IN_TRANSIT:
		tc_svg_line(b, "transit", x1, y1, ax->x0 + ax->w, y2);
		tc_buf_addc(b, '>');
		break;
	default:
		return;
	}
	hop_title(b, m, h);
	tc_buf_adds(b, "</line>");
}

/* Markers and patterns, once for every panel and the legend. */
static void timeline_defs(tc_buf *b)
{
	tc_buf_adds(b,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"defs\" width=\"0\" height=\"0\" "
		"aria-hidden=\"true\"><defs>\n"
		"<marker id=\"tl-arrow\" viewBox=\"0 0 8 8\" refX=\"8\" refY=\"4\" markerWidth=\"7\" "
		"markerHeight=\"7\" markerUnits=\"userSpaceOnUse\" orient=\"auto\">"
		"<path d=\"M0,0L8,4L0,8z\" fill=\"#3d4650\"/></marker>\n"
		"<marker id=\"tl-arrow-s\" viewBox=\"0 0 8 8\" refX=\"8\" refY=\"4\" markerWidth=\"4\" "
		"markerHeight=\"4\" markerUnits=\"userSpaceOnUse\" orient=\"auto\">"
		"<path d=\"M0,0L8,4L0,8z\" fill=\"#3d4650\"/></marker>\n"
		"<pattern id=\"tl-queue\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\" "
		"patternTransform=\"rotate(45)\"><rect width=\"5\" height=\"5\" fill=\"#fde3c0\"/>"
		"<line x1=\"1\" y1=\"0\" x2=\"1\" y2=\"5\" stroke=\"#e8830c\" stroke-width=\"2\"/>"
		"</pattern>\n"
		"<pattern id=\"tl-off\" width=\"4\" height=\"4\" patternUnits=\"userSpaceOnUse\">"
		"<rect width=\"4\" height=\"4\" fill=\"#d5def0\"/>"
		"<circle cx=\"2\" cy=\"2\" r=\"1.1\" fill=\"#2b4a8b\"/></pattern>\n"
		"</defs></svg>\n");
}

static int64_t legend_text(tc_buf *b, int64_t x, int64_t y, const char *text, int64_t width)
{
	tc_buf_adds(b, "<text class=\"tick\"");
	tc_svg_attr(b, "x", x);
	tc_svg_attr(b, "y", y + 4 * PX);
	tc_buf_addc(b, '>');
	tc_buf_adds(b, text);
	tc_buf_adds(b, "</text>");
	return x + width * PX;
}

static void timeline_legend(tc_buf *b)
{
	int64_t x = LABEL_W * PX, y = LEGEND_H * PX / 2;
	tc_svg_open(b, "tl", (LABEL_W + PLOT_W + RIGHT_PAD) * PX, LEGEND_H * PX,
	         "Legend of the timeline");
	tc_svg_line(b, "m", x, y, x + 26 * PX, y);
	tc_buf_adds(b, " marker-end=\"url(#tl-arrow)\"/>");
	x = legend_text(b, x + 32 * PX, y, "message", 80);
	tc_svg_line(b, "lost", x, y, x + 22 * PX, y);
	tc_buf_adds(b, "/>");
	cross(b, x + 22 * PX, y);
	x = legend_text(b, x + 32 * PX, y, "lost", 56);
	tc_svg_rect(b, "q", x, x + 22 * PX, y - BAR_H * PX / 2, BAR_H * PX);
	x = legend_text(b, x + 28 * PX, y, "waiting (busy)", 118);
	tc_svg_rect(b, "o", x, x + 22 * PX, y - BAR_H * PX / 2, BAR_H * PX);
	x = legend_text(b, x + 28 * PX, y, "waiting (off hours)", 146);
	tc_svg_rect(b, "h", x, x + 22 * PX, y - BAR_H * PX / 2, BAR_H * PX);
	x = legend_text(b, x + 28 * PX, y, "handling", 84);
	tc_svg_rect(b, "offduty", x, x + 22 * PX, y - 7 * PX, 14 * PX);
	x = legend_text(b, x + 28 * PX, y, "off duty", 78);
	inject_mark(b, x + 4 * PX, y + 3 * PX);
	tc_buf_adds(b, "/>");
	legend_text(b, x + 14 * PX, y, "inject", 60);
	tc_buf_adds(b, "\n</svg>\n");
}

/* Whether panel p shows anything of a message: an arrow, or a wait or
 * handling bar crossing it. A quiet day is left out rather than drawn as
 * empty lanes. */
static int panel_busy(const timeline *tl, size_t p)
{
	axis ax;
	panel_axis(tl, p, &ax);
	for (size_t i = 0; i < tl->shown; i++) {
		const tc_hop *h = &tl->m->hops[i];
		if (hop_panel(tl, h) == p)
			return 1;
		tc_time until = h->handled != TC_TIME_NEVER ? h->handled : tl->t1;
		if (h->delivered != TC_TIME_NEVER && h->delivered < ax.t1 && until > ax.t0)
			return 1;
	}
	return 0;
}

static void timeline_panel(tc_buf *b, const timeline *tl, size_t p)
{
	const tc_metrics *m = tl->m;
	axis ax;
	panel_axis(tl, p, &ax);
	size_t arrows = 0;
	for (size_t i = 0; i < tl->shown; i++)
		arrows += hop_panel(tl, &m->hops[i]) == p;
	int dense = arrows > DENSE;
	int64_t lanes_bottom = lane_top((int)m->setup->actor_count);
	tc_svg_open(b, dense ? "tl dense" : "tl", ax.x0 + ax.w + RIGHT_PAD * PX,
	         lanes_bottom + AXIS_H * PX, "Timeline of the messages between the actors");
	lanes(b, m, &ax);
	time_grid(b, &ax, TL_TOP * PX, lanes_bottom);
	tc_svg_line(b, "axis", ax.x0, TL_TOP * PX, ax.x0, lanes_bottom);
	tc_buf_adds(b, "/>\n");
	incident_marks(b, m, &ax, lanes_bottom);
	/* Bars under arrows, so every arrow stays visible. */
	for (size_t i = 0; i < tl->shown; i++)
		hop_bars(b, tl, &ax, &m->hops[i]);
	tc_buf_addc(b, '\n');
	for (size_t i = 0; i < tl->shown; i++) {
		if (hop_panel(tl, &m->hops[i]) != p)
			continue;
		hop_arrow(b, m, &ax, &m->hops[i], dense ? "tl-arrow-s" : "tl-arrow");
		tc_buf_addc(b, '\n');
	}
	lane_labels(b, m);
	tc_buf_adds(b, "</svg>\n");
}

void tc_html_timeline(tc_buf *b, const tc_metrics *m)
{
	if (m->setup->actor_count == 0) {
		tc_buf_adds(b, "<p>No actors.</p>\n");
		return;
	}
	timeline tl;
	timeline_init(&tl, m);
	tc_buf_adds(b, "<figure>\n");
	timeline_defs(b);
	tc_buf_adds(b, "<div class=\"scroll\">\n");
	size_t quiet = 0;
	for (size_t p = 0; p < tl.panels; p++) {
		if (tl.panels > 1 && !panel_busy(&tl, p))
			quiet++;
		else
			timeline_panel(b, &tl, p);
	}
	timeline_legend(b);
	tc_buf_adds(b, "</div>\n<figcaption>One lane per actor");
	if (tl.panels > 1) {
		tc_buf_printf(b, ", the run cut into %zu panels of ", tl.panels);
		tc_html_time(b, tc_report_duration, tl.panel);
		tc_buf_adds(b, " read top to bottom");
		if (quiet)
			tc_buf_printf(b, " (%zu without any message %s left out)", quiet,
			              quiet == 1 ? "is" : "are");
	}
	tc_buf_adds(b, ". An arrow runs from the sender's lane when the message was sent to the "
	               "receiver's lane when it was delivered; there, a hatched bar is the wait "
	               "while the receiver was busy, a dotted bar the wait while nobody was on "
	               "duty, and a solid bar the handling. Grey stretches of a lane are off duty. "
	               "Hover over an arrow for the message.");
	if (tl.shown < m->hop_count) {
		tc_buf_printf(b, " <strong id=\"timeline-truncated\">Showing the first %zu of %zu "
		              "messages</strong> (those created by ", tl.shown, m->hop_count);
		tc_html_time(b, tc_report_instant, m->hops[tl.shown - 1].created);
		tc_buf_adds(b, "); the tables count them all.");
	}
	tc_buf_adds(b, "</figcaption>\n</figure>\n");
}

/* ---- awareness (one chart over the whole span) ----------------------------------- */

static void make_axis(const tc_metrics *m, axis *a)
{
	time_range(m, &a->t0, &a->t1);
	a->x0 = LABEL_W * PX;
	a->w = PLOT_W * PX;
}

static int cmp_time(const void *pa, const void *pb)
{
	tc_time a = *(const tc_time *)pa, b = *(const tc_time *)pb;
	return (a > b) - (a < b);
}

static int64_t aw_y(uint64_t aware, uint64_t total)
{
	int64_t h = AW_PLOT_H * PX;
	return AW_TOP * PX + h - (int64_t)(aware * (uint64_t)h / total);
}

/* The step curve of one incident: the share of all actors aware. The times
 * are sorted in place in `scratch` (actor_count entries). */
static void aw_curve(tc_buf *b, const tc_metrics *m, const axis *ax, size_t inc,
                     tc_time *scratch)
{
	const tc_setup *s = m->setup;
	size_t n = 0;
	for (size_t a = 0; a < s->actor_count; a++) {
		tc_time t = m->awareness[inc * s->actor_count + a].at;
		if (t != TC_TIME_NEVER)
			scratch[n++] = t;
	}
	qsort(scratch, n, sizeof *scratch, cmp_time);
	tc_buf_printf(b, "<path class=\"curve\" stroke=\"%s\"", tc_html_series_colour(inc));
	if (tc_html_series_dash(inc)[0])
		tc_buf_printf(b, " stroke-dasharray=\"%s\"", tc_html_series_dash(inc));
	tc_buf_adds(b, " d=\"M");
	tc_svg_coord(b, ax->x0);
	tc_buf_addc(b, ',');
	tc_svg_coord(b, aw_y(0, s->actor_count));
	for (size_t k = 0; k < n; k++) {
		tc_buf_adds(b, "H");
		tc_svg_coord(b, ax_x(ax, scratch[k]));
		tc_buf_adds(b, "V");
		tc_svg_coord(b, aw_y(k + 1, s->actor_count));
	}
	tc_buf_adds(b, "H");
	tc_svg_coord(b, ax->x0 + ax->w);
	tc_buf_adds(b, "\"><title>");
	tc_html_incident(b, s, (int)inc);
	tc_buf_printf(b, ": %zu of %zu actors aware by the end</title></path>\n", n,
	              s->actor_count);
}

static void aw_cop_mark(tc_buf *b, const tc_metrics *m, const axis *ax, size_t inc)
{
	tc_time at = m->incidents[inc].cop_at;
	if (at == TC_TIME_NEVER)
		return;
	int64_t x = ax_x(ax, at);
	tc_svg_line(b, "cop", x, AW_TOP * PX, x, (AW_TOP + AW_PLOT_H) * PX);
	tc_buf_printf(b, " stroke=\"%s\"/><text class=\"tick\" fill=\"%s\"",
	              tc_html_series_colour(inc), tc_html_series_colour(inc));
	tc_svg_attr(b, "x", x + 3 * PX);
	tc_svg_attr(b, "y", (int64_t)(AW_TOP - 4 - (int64_t)(inc % 2) * 11) * PX);
	tc_buf_adds(b, ">COP ");
	tc_html_text_max(b, m->setup->incidents[inc].id, 24);
	tc_buf_adds(b, "</text>\n");
}

static void aw_legend(tc_buf *b, const tc_metrics *m)
{
	const tc_setup *s = m->setup;
	tc_buf_adds(b, "<ul class=\"legend\">\n");
	for (size_t i = 0; i < s->incident_count; i++) {
		tc_buf_printf(b, "<li><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"30\" "
		              "height=\"10\" aria-hidden=\"true\"><line x1=\"0\" y1=\"5\" x2=\"30\" "
		              "y2=\"5\" stroke=\"%s\" stroke-width=\"2\"", tc_html_series_colour(i));
		if (tc_html_series_dash(i)[0])
			tc_buf_printf(b, " stroke-dasharray=\"%s\"", tc_html_series_dash(i));
		tc_buf_adds(b, "/></svg> ");
		tc_html_incident(b, s, (int)i);
		tc_buf_adds(b, " (starts ");
		tc_html_time(b, tc_report_instant, s->incidents[i].start);
		tc_buf_adds(b, "; common operational picture ");
		if (m->incidents[i].cop_at == TC_TIME_NEVER) {
			tc_html_time(b, tc_report_instant, TC_TIME_NEVER);
		} else {
			tc_buf_adds(b, "at ");
			tc_html_time(b, tc_report_instant, m->incidents[i].cop_at);
		}
		tc_buf_adds(b, ")</li>\n");
	}
	tc_buf_adds(b, "</ul>\n");
}

void tc_html_awareness(tc_buf *b, const tc_metrics *m)
{
	const tc_setup *s = m->setup;
	if (s->actor_count == 0 || s->incident_count == 0) {
		tc_buf_adds(b, "<p>No incident, no awareness to show.</p>\n");
		return;
	}
	tc_time *scratch = tc_malloc(b->alloc, s->actor_count * sizeof *scratch);
	if (!scratch) {
		b->failed = 1;
		return;
	}
	axis ax;
	make_axis(m, &ax);
	int64_t plot_bottom = (AW_TOP + AW_PLOT_H) * PX;
	int64_t width = ax.x0 + ax.w + RIGHT_PAD * PX;
	int64_t height = plot_bottom + AXIS_H * PX;

	tc_buf_adds(b, "<figure>\n<div class=\"scroll\">\n");
	tc_svg_open(b, "aw", width, height, "Share of the actors aware of each incident over time");
	for (int q = 0; q <= 4; q++) {
		int64_t y = aw_y((uint64_t)q, 4);
		tc_svg_line(b, "grid", ax.x0, y, ax.x0 + ax.w, y);
		tc_buf_adds(b, "/><text class=\"tick\" text-anchor=\"end\"");
		tc_svg_attr(b, "x", ax.x0 - 6 * PX);
		tc_svg_attr(b, "y", y + 4 * PX);
		tc_buf_printf(b, ">%d%%</text>", q * 25);
	}
	/* The axis title, left of the tick labels. */
	tc_buf_adds(b, "<text class=\"label\" text-anchor=\"end\"");
	tc_svg_attr(b, "x", ax.x0 - 48 * PX);
	tc_svg_attr(b, "y", (AW_TOP + AW_PLOT_H / 2 - 4) * PX);
	tc_buf_adds(b, ">actors aware</text><text class=\"level\" text-anchor=\"end\"");
	tc_svg_attr(b, "x", ax.x0 - 48 * PX);
	tc_svg_attr(b, "y", (AW_TOP + AW_PLOT_H / 2 + 10) * PX);
	tc_buf_printf(b, ">share of all %zu</text>\n", s->actor_count);
	time_grid(b, &ax, AW_TOP * PX, plot_bottom);
	tc_svg_line(b, "axis", ax.x0, AW_TOP * PX, ax.x0, plot_bottom);
	tc_buf_adds(b, "/>");
	tc_svg_line(b, "axis", ax.x0, plot_bottom, ax.x0 + ax.w, plot_bottom);
	tc_buf_adds(b, "/>\n");
	for (size_t i = 0; i < s->incident_count; i++)
		aw_cop_mark(b, m, &ax, i);
	for (size_t i = 0; i < s->incident_count; i++)
		aw_curve(b, m, &ax, i, scratch);
	tc_buf_adds(b, "</svg>\n</div>\n");
	tc_free(b->alloc, scratch, s->actor_count * sizeof *scratch);
	aw_legend(b, m);
	tc_buf_adds(b, "<figcaption>The share of all actors aware of each incident over time "
	               "(a step each time one becomes aware). A vertical dotted line marks the "
	               "common operational picture: every actor the incident requires is "
	               "aware.</figcaption>\n</figure>\n");
}

/* ---- critical path -------------------------------------------------------------- */

void tc_html_path_bar(tc_buf *b, const tc_critical_path *p)
{
	tc_time total = 0;
	for (int c = 0; c < TC_PATH_CAUSE_COUNT; c++)
		total += p->by_cause[c];
	if (total <= 0) {
		tc_buf_adds(b, "<p class=\"sub\">The path took no time.</p>\n");
		return;
	}
	int64_t w = BAR_W * PX, h = BAR_HEIGHT * PX;
	tc_buf_adds(b, "<figure>\n");
	tc_svg_open(b, "path", w, h, "Critical path time by cause");
	/* Boundaries from the running sum, so the segments tile the bar exactly. */
	tc_time cum = 0;
	for (int c = 0; c < TC_PATH_CAUSE_COUNT; c++) {
		tc_time d = p->by_cause[c];
		if (d <= 0)
			continue;
		int64_t x1 = (int64_t)llround((double)cum / (double)total * (double)w);
		cum += d;
		int64_t x2 = (int64_t)llround((double)cum / (double)total * (double)w);
		tc_buf_printf(b, "<rect class=\"seg\" fill=\"%s\"",
		              tc_html_cause_colour((tc_path_cause)c));
		tc_svg_attr(b, "x", x1);
		tc_svg_attr(b, "y", 0);
		tc_svg_attr(b, "width", x2 - x1);
		tc_svg_attr(b, "height", h);
		tc_buf_printf(b, "><title>%s: ", tc_html_cause_label((tc_path_cause)c));
		tc_html_time(b, tc_report_duration, d);
		tc_buf_adds(b, "</title></rect>");
		if (x2 - x1 >= 56 * PX) {
			tc_buf_adds(b, "<text class=\"segl\" text-anchor=\"middle\"");
			tc_svg_attr(b, "x", (x1 + x2) / 2);
			tc_svg_attr(b, "y", h / 2 + 4 * PX);
			tc_buf_addc(b, '>');
			tc_html_time(b, tc_report_duration, d);
			tc_buf_adds(b, "</text>");
		}
		tc_buf_addc(b, '\n');
	}
	tc_buf_adds(b, "</svg>\n<ul class=\"legend\">\n");
	for (int c = 0; c < TC_PATH_CAUSE_COUNT; c++) {
		tc_time d = p->by_cause[c];
		if (d <= 0)
			continue;
		char share[TC_REPORT_FMT_SIZE];
		tc_report_percent((double)d / (double)total, share, sizeof share);
		tc_buf_printf(b, "<li><span class=\"swatch\" style=\"background:%s\"></span>%s: ",
		              tc_html_cause_colour((tc_path_cause)c),
		              tc_html_cause_label((tc_path_cause)c));
		tc_html_time(b, tc_report_duration, d);
		tc_buf_printf(b, " (%s)</li>\n", share);
	}
	tc_buf_adds(b, "</ul>\n</figure>\n");
}
