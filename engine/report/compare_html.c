/*
 * compare.html: a comparison of two sweeps on one offline page, drawn as
 * report.html is (its style, escaping and SVG primitives; no script,
 * nothing external). Each headline figure gets the two distributions side
 * by side as box plots on one axis, then the paired difference with its
 * interval; then the objectives, the headline labels and every other figure
 * whose difference is significant. Positions are integers and every number
 * is written by fixed formats: the same analysis gives the same bytes.
 */
#include "report/compare.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/version.h"
#include "report/html_internal.h"
#include "report/summary_out.h"

/* ---- geometry of a box plot (px) ----------------------------------------------- */

enum {
	PX = TC_SVG_PX,
	SIDE_W = 44,              /* the side's letter, left of the plot */
	PLOT_W = 800,
	RIGHT_PAD = 48,           /* half a tick label */
	TOP = 8,
	ROW_H = 40,
	BOX_H = 20,
	CAP_H = 12,               /* the whiskers' ends */
	MEAN_R = 5,
	AXIS_H = 24,
	TICK_MIN_GAP = 90,        /* px between labelled ticks, at least */
};

static const char compare_style[] =
	".bp .a{stroke:#0b5cad}\n"
	".bp .b{stroke:#c0392b}\n"
	".bp .a .box{fill:#dbe9f7}\n"
	".bp .b .box{fill:#f7dedb}\n"
	".bp .box{stroke-width:1.5}\n"
	".bp .med{stroke-width:3}\n"
	".bp .wh{stroke-width:1.2}\n"
	".bp .mean{fill:#fff;stroke-width:2}\n"
	".bp .side{font-size:14px;font-weight:700;stroke:none}\n"
	".bp .a .side{fill:#0b5cad}\n"
	".bp .b .side{fill:#c0392b}\n"
	".bp .none{font-size:12px;font-style:italic;fill:#6e7781;stroke:none}\n"
	".sig{font-weight:700}\n"
	".same{font-weight:700;color:#116329}\n"
	".fig{break-inside:avoid}\n"
	".fig h3 .id{font-size:13px;color:#1f2328}\n"
	".sw-a{background:#0b5cad}\n"
	".sw-b{background:#c0392b}\n";

/* A value's scale: lo..hi onto x0..x0 + w (decipixels). */
typedef struct scale {
	double lo, hi, step;
	int64_t x0, w;
	tc_figure_kind kind;
} scale;

static int64_t scale_x(const scale *s, double v)
{
	double share = (v - s->lo) / (s->hi - s->lo);
	if (share < 0)
		share = 0;
	if (share > 1)
		share = 1;
	return s->x0 + (int64_t)llround(share * (double)s->w);
}

/* The coarsest round step that keeps at most max_ticks ticks over range:
 * durations people count in (1 s, 5 min, 6 h, a day, a week), or 1, 2 or 5
 * times a power of ten. */
static double round_step(tc_figure_kind kind, double range, double max_ticks)
{
	static const double times[] = {
		1, 2, 5, 10, 20, 50, 100, 200, 500,
		1e3, 2e3, 5e3, 10e3, 15e3, 30e3,
		60e3, 120e3, 300e3, 600e3, 900e3, 1800e3,
		3600e3, 7200e3, 10800e3, 21600e3, 43200e3,
		86400e3, 172800e3, 604800e3, 1209600e3, 2419200e3,
	};
	double raw = range / max_ticks;
	if (kind == TC_FIGURE_TIME) {
		for (size_t i = 0; i < sizeof times / sizeof times[0]; i++)
			if (times[i] >= raw)
				return times[i];
		return ceil(raw / 604800e3) * 604800e3; /* whole weeks */
	}
	double magnitude = pow(10, floor(log10(raw)));
	static const double multiples[] = {1, 2, 5, 10};
	for (size_t i = 0; i < 4; i++)
		if (multiples[i] * magnitude >= raw)
			return multiples[i] * magnitude;
	return 10 * magnitude;
}

/* The axis of both sides' values from min to max, widened to round ticks.
 * 0 when neither side reached the figure. */
static int make_scale(scale *s, const tc_paired_figure *f)
{
	const tc_summary_figure *sides[2] = {&f->a, &f->b};
	double lo = NAN, hi = NAN;
	for (int i = 0; i < 2; i++) {
		if (!sides[i]->reached)
			continue;
		lo = isnan(lo) || sides[i]->min < lo ? sides[i]->min : lo;
		hi = isnan(hi) || sides[i]->max > hi ? sides[i]->max : hi;
	}
	if (isnan(lo))
		return 0;
	if (hi <= lo) {
		/* One value everywhere: a span around it. */
		double pad = lo != 0 ? fabs(lo) / 10 : f->kind == TC_FIGURE_TIME ? 60e3 : 1;
		lo -= pad;
		hi += pad;
		if (f->kind != TC_FIGURE_RATIO && lo < 0 && lo + pad >= 0)
			lo = 0;
	}
	*s = (scale){.x0 = SIDE_W * PX, .w = PLOT_W * PX, .kind = f->kind};
	s->step = round_step(f->kind, hi - lo, PLOT_W / TICK_MIN_GAP);
	s->lo = floor(lo / s->step) * s->step;
	s->hi = ceil(hi / s->step) * s->step;
	if (s->hi <= s->lo)
		s->hi = s->lo + s->step;
	return 1;
}

/* A tick's label: a duration, or the number with as many decimals as the
 * step needs. */
static void tick_text(const scale *s, double v, char *buf, size_t n)
{
	if (s->kind == TC_FIGURE_TIME) {
		tc_report_duration((tc_time)llround(v), buf, n);
		return;
	}
	int decimals = s->step >= 1 ? 0 : (int)ceil(-log10(s->step) - 1e-9);
	snprintf(buf, n, "%.*f", decimals, v + 0.0);
}

static void axis(tc_buf *b, const scale *s, int64_t y_top, int64_t y_bottom)
{
	int64_t ticks = llround((s->hi - s->lo) / s->step);
	for (int64_t k = 0; k <= ticks; k++) {
		double v = s->lo + (double)k * s->step;
		int64_t x = scale_x(s, v);
		tc_svg_line(b, "grid", x, y_top, x, y_bottom);
		tc_buf_adds(b, "/>");
		char text[TC_REPORT_FMT_SIZE];
		tick_text(s, v, text, sizeof text);
		tc_buf_adds(b, "<text class=\"tick\" text-anchor=\"middle\"");
		tc_svg_attr(b, "x", x);
		tc_svg_attr(b, "y", y_bottom + 15 * PX);
		tc_buf_addc(b, '>');
		tc_html_text(b, text);
		tc_buf_adds(b, "</text>");
	}
	tc_buf_addc(b, '\n');
}

/* ---- text of values -------------------------------------------------------------- */

static void value_html(tc_buf *b, tc_figure_kind kind, double v, unsigned how)
{
	char text[TC_REPORT_FMT_SIZE];
	tc_summary_out_format(text, sizeof text, kind, v, how);
	if (isnan(v))
		tc_buf_adds(b, "<span class=\"nr\">\xe2\x80\x93</span>");
	else
		tc_html_text(b, text);
}

static void share_html(tc_buf *b, uint64_t count, uint64_t n)
{
	value_html(b, TC_FIGURE_RATIO, n ? (double)count / (double)n : NAN, TC_SUMMARY_OUT_SHARE);
}

/* "[lo, hi]" */
static void interval_html(tc_buf *b, tc_figure_kind kind, tc_ci ci, unsigned how)
{
	tc_buf_addc(b, '[');
	value_html(b, kind, ci.lo, how);
	tc_buf_adds(b, ", ");
	value_html(b, kind, ci.hi, how);
	tc_buf_addc(b, ']');
}

/* ---- a box plot ------------------------------------------------------------------ */

static void box_title(tc_buf *b, const char *side, const tc_summary_figure *f)
{
	static const char *const names[] = {"min", "p10", "median", "p90", "max", "mean"};
	const double values[] = {f->min, f->p10, f->p50, f->p90, f->max, f->mean};
	tc_buf_adds(b, "<title>");
	tc_buf_adds(b, side);
	tc_buf_adds(b, ": ");
	for (size_t i = 0; i < 6; i++) {
		tc_buf_adds(b, i ? ", " : "");
		tc_buf_adds(b, names[i]);
		tc_buf_addc(b, ' ');
		value_html(b, f->kind, values[i], 0);
	}
	tc_buf_printf(b, " (%llu of %llu replications)</title>", (unsigned long long)f->reached,
	              (unsigned long long)f->n);
}

static void box_row(tc_buf *b, const scale *s, const tc_summary_figure *f, int side)
{
	const char *name = side ? "B" : "A";
	int64_t mid = (TOP + side * ROW_H + ROW_H / 2) * PX;
	tc_buf_printf(b, "<g class=\"%s\">", side ? "b" : "a");
	tc_buf_adds(b, "<text class=\"side\"");
	tc_svg_attr(b, "x", 12 * PX);
	tc_svg_attr(b, "y", mid + 5 * PX);
	tc_buf_printf(b, ">%s</text>", name);
	if (!f->reached) {
		tc_buf_adds(b, "<text class=\"none\"");
		tc_svg_attr(b, "x", s->x0 + 8 * PX);
		tc_svg_attr(b, "y", mid + 4 * PX);
		tc_buf_adds(b, ">never reached</text></g>\n");
		return;
	}
	box_title(b, name, f);
	int64_t x_min = scale_x(s, f->min), x_p10 = scale_x(s, f->p10), x_p50 = scale_x(s, f->p50);
	int64_t x_p90 = scale_x(s, f->p90), x_max = scale_x(s, f->max);
	int64_t half = BOX_H * PX / 2, cap = CAP_H * PX / 2;
	tc_svg_line(b, "wh", x_min, mid, x_p10, mid);
	tc_buf_adds(b, "/>");
	tc_svg_line(b, "wh", x_p90, mid, x_max, mid);
	tc_buf_adds(b, "/>");
	tc_svg_line(b, "wh", x_min, mid - cap, x_min, mid + cap);
	tc_buf_adds(b, "/>");
	tc_svg_line(b, "wh", x_max, mid - cap, x_max, mid + cap);
	tc_buf_adds(b, "/>");
	tc_svg_rect(b, "box", x_p10, x_p90, mid - half, 2 * half);
	tc_svg_line(b, "med", x_p50, mid - half, x_p50, mid + half);
	tc_buf_adds(b, "/>");
	tc_svg_shape(b, "circle", "mean");
	tc_svg_attr(b, "cx", scale_x(s, f->mean));
	tc_svg_attr(b, "cy", mid);
	tc_svg_attr(b, "r", MEAN_R * PX);
	tc_buf_adds(b, "/></g>\n");
}

static void box_plot(tc_buf *b, const tc_paired_figure *f)
{
	scale s;
	if (!make_scale(&s, f)) {
		tc_buf_adds(b, "<p class=\"sub\">Never reached on either side.</p>\n");
		return;
	}
	int64_t plot_bottom = (TOP + 2 * ROW_H) * PX;
	tc_buf_adds(b, "<figure>\n");
	tc_svg_open(b, "bp", (SIDE_W + PLOT_W + RIGHT_PAD) * PX, plot_bottom + AXIS_H * PX,
	            "Distributions of A and B");
	axis(b, &s, TOP * PX, plot_bottom);
	box_row(b, &s, &f->a, 0);
	box_row(b, &s, &f->b, 1);
	tc_buf_adds(b, "</svg>\n<figcaption>");
	const tc_summary_figure *sides[2] = {&f->a, &f->b};
	for (int i = 0; i < 2; i++) {
		tc_buf_adds(b, i ? "; " : "");
		tc_buf_adds(b, i ? "B" : "A");
		tc_buf_adds(b, ": mean ");
		value_html(b, f->kind, sides[i]->mean, 0);
		tc_buf_adds(b, ", median ");
		value_html(b, f->kind, sides[i]->p50, 0);
		tc_buf_adds(b, ", reached in ");
		share_html(b, sides[i]->reached, sides[i]->n);
	}
	tc_buf_adds(b, ". Box: p10 to p90; bar: median; whiskers: min and max; circle: mean."
	               "</figcaption>\n</figure>\n");
}

/* "B − A: mean [lo, hi] over N ...: verdict" */
static void difference_html(tc_buf *b, const tc_paired_figure *f, const tc_paired_diff *d,
                            int share, const char *over)
{
	unsigned how = TC_SUMMARY_OUT_SIGNED | (share ? TC_SUMMARY_OUT_SHARE : 0);
	tc_buf_adds(b, "B \xe2\x88\x92 A: <strong>");
	value_html(b, f->kind, d->mean, how);
	tc_buf_adds(b, "</strong>, 95% CI ");
	interval_html(b, f->kind, d->ci, how);
	tc_buf_printf(b, " over %llu %s: ", (unsigned long long)d->pairs, over);
	if (f->identical)
		tc_buf_adds(b, "<span class=\"same\">identical on every replication</span>");
	else if (d->zero)
		tc_buf_adds(b, "<span class=\"same\">no difference on any of them</span>");
	else if (d->significant)
		tc_buf_adds(b, "<span class=\"sig\">significant</span>");
	else if (d->pairs < 2)
		tc_buf_adds(b, "too few pairs for an interval");
	else
		tc_buf_adds(b, "not significant");
}

static int may_be_absent(tc_figure_kind kind)
{
	return kind == TC_FIGURE_TIME || kind == TC_FIGURE_RATIO;
}

/* A figure's column as people read it, then the column itself for
 * programs: "ransomware: common picture incident/ransomware/time_to_cop_ms". */
static void figure_name(tc_buf *b, const char *column)
{
	char label[256];
	tc_summary_out_label(column, label, sizeof label);
	if (strcmp(label, column) != 0) {
		tc_html_text(b, label);
		tc_buf_addc(b, ' ');
	}
	tc_buf_adds(b, "<span class=\"id\">");
	tc_html_text(b, column);
	tc_buf_adds(b, "</span>");
}

static void headline_figure(tc_buf *b, const tc_paired_figure *f, size_t i)
{
	tc_buf_printf(b, "<div class=\"fig\" id=\"fig-%zu\">\n<h3>", i);
	figure_name(b, f->name);
	tc_buf_adds(b, "</h3>\n");
	box_plot(b, f);
	tc_buf_adds(b, "<p>");
	difference_html(b, f, &f->value, 0, "replications where both reached it");
	tc_buf_adds(b, "</p>\n");
	if (may_be_absent(f->kind) && (f->a.reached < f->a.n || f->b.reached < f->b.n)) {
		tc_buf_adds(b, "<p class=\"sub\">Reached: ");
		difference_html(b, f, &f->reached, 1, "replications");
		tc_buf_printf(b, " (A only: %llu, B only: %llu)</p>\n", (unsigned long long)f->a_only,
		              (unsigned long long)f->b_only);
	}
	tc_buf_adds(b, "</div>\n");
}

/* ---- tables ---------------------------------------------------------------------- */

static void verdict_cell(tc_buf *b, const tc_paired_figure *f, const tc_paired_diff *d)
{
	tc_buf_adds(b, "<td>");
	if (f->identical)
		tc_buf_adds(b, "<span class=\"same\">identical</span>");
	else if (d->significant)
		tc_buf_adds(b, "<span class=\"sig\">significant</span>");
	else
		tc_buf_adds(b, "no");
	tc_buf_adds(b, "</td>");
}

static void objectives(tc_buf *b, const tc_paired *p)
{
	size_t count = 0;
	for (size_t i = 0; i < p->figure_count; i++)
		count += p->figures[i].kind == TC_FIGURE_FLAG;
	if (!count)
		return;
	tc_buf_adds(b, "<section id=\"objectives\">\n<h2>Objectives</h2>\n<div class=\"scroll\">"
	               "<table>\n<thead><tr><th>Objective met</th><th class=\"n\">A</th>"
	               "<th class=\"n\">95% CI</th><th class=\"n\">B</th><th class=\"n\">95% CI</th>"
	               "<th class=\"n\">B \xe2\x88\x92 A</th><th class=\"n\">95% CI</th>"
	               "<th class=\"n\">A only</th><th class=\"n\">B only</th><th>Differs</th>"
	               "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < p->figure_count; i++) {
		const tc_paired_figure *f = &p->figures[i];
		if (f->kind != TC_FIGURE_FLAG)
			continue;
		tc_buf_adds(b, "<tr><td>");
		figure_name(b, f->name);
		tc_buf_adds(b, "</td><td class=\"n\">");
		share_html(b, f->a.reached, f->a.n);
		tc_buf_adds(b, "</td><td class=\"n\">");
		interval_html(b, f->kind, f->a.reached_ci, TC_SUMMARY_OUT_SHARE);
		tc_buf_adds(b, "</td><td class=\"n\">");
		share_html(b, f->b.reached, f->b.n);
		tc_buf_adds(b, "</td><td class=\"n\">");
		interval_html(b, f->kind, f->b.reached_ci, TC_SUMMARY_OUT_SHARE);
		tc_buf_adds(b, "</td><td class=\"n\">");
		value_html(b, f->kind, f->value.mean, TC_SUMMARY_OUT_SIGNED | TC_SUMMARY_OUT_SHARE);
		tc_buf_adds(b, "</td><td class=\"n\">");
		interval_html(b, f->kind, f->value.ci, TC_SUMMARY_OUT_SIGNED | TC_SUMMARY_OUT_SHARE);
		tc_buf_printf(b, "</td><td class=\"n\">%llu</td><td class=\"n\">%llu</td>",
		              (unsigned long long)f->a_only, (unsigned long long)f->b_only);
		verdict_cell(b, f, &f->value);
		tc_buf_adds(b, "</tr>\n");
	}
	tc_buf_adds(b, "</tbody>\n</table></div>\n<p class=\"sub\">The share of replications that "
	               "met each objective with its Wilson interval, and the paired difference "
	               "of the two shares: a Student t interval on the replications' differences "
	               "(\xe2\x88\x92" "1, 0 or 1). A only, B only: replications where one side "
	               "met it and the other did not.</p>\n</section>\n");
}

static void labels_table(tc_buf *b, const tc_paired_figure *f)
{
	tc_buf_adds(b, "<h3>");
	figure_name(b, f->name);
	tc_buf_adds(b, "</h3>\n<div class=\"scroll\"><table>\n<thead><tr><th>Value</th>"
	               "<th class=\"n\">A</th><th class=\"n\">B</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < f->label_count; i++) {
		const tc_paired_label *l = &f->labels[i];
		tc_buf_adds(b, "<tr><td>");
		tc_html_text(b, l->value);
		tc_buf_printf(b, "</td><td class=\"n\">%llu (", (unsigned long long)l->a);
		share_html(b, l->a, f->a.n);
		tc_buf_printf(b, ")</td><td class=\"n\">%llu (", (unsigned long long)l->b);
		share_html(b, l->b, f->b.n);
		tc_buf_adds(b, ")</td></tr>\n");
	}
	tc_buf_printf(b, "<tr><td class=\"nr\">none</td><td class=\"n\">%llu</td>"
	              "<td class=\"n\">%llu</td></tr>\n</tbody>\n</table></div>\n",
	              (unsigned long long)(f->a.n - f->a.reached),
	              (unsigned long long)(f->b.n - f->b.reached));
	tc_buf_printf(b, "<p class=\"sub\">The same value on both sides in %llu of %llu "
	              "replications.</p>\n", (unsigned long long)f->same,
	              (unsigned long long)f->a.n);
}

static void headline_labels(tc_buf *b, const tc_paired *p)
{
	int any = 0;
	for (size_t i = 0; i < p->figure_count; i++) {
		const tc_paired_figure *f = &p->figures[i];
		if (!f->headline || f->kind != TC_FIGURE_LABEL)
			continue;
		if (!any++)
			tc_buf_adds(b, "<section id=\"labels\">\n<h2>Bottlenecks and other labels</h2>\n"
			               "<p class=\"sub\">How often each value came up on each "
			               "side.</p>\n");
		labels_table(b, f);
	}
	if (any)
		tc_buf_adds(b, "</section>\n");
}

static int is_number(tc_figure_kind kind)
{
	return kind == TC_FIGURE_TIME || kind == TC_FIGURE_COUNT || kind == TC_FIGURE_RATIO;
}

static void other_figures(tc_buf *b, const tc_paired *p)
{
	int any = 0;
	for (size_t i = 0; i < p->figure_count; i++) {
		const tc_paired_figure *f = &p->figures[i];
		if (f->headline || !is_number(f->kind) || !f->value.significant)
			continue;
		if (!any++)
			tc_buf_adds(b, "<section id=\"others\">\n<h2>Other figures that differ</h2>\n"
			               "<div class=\"scroll\"><table>\n<thead><tr><th>Figure</th>"
			               "<th class=\"n\">A mean</th><th class=\"n\">B mean</th>"
			               "<th class=\"n\">B \xe2\x88\x92 A</th><th class=\"n\">95% CI</th>"
			               "<th class=\"n\">Pairs</th></tr></thead>\n<tbody>\n");
		tc_buf_adds(b, "<tr><td>");
		figure_name(b, f->name);
		tc_buf_adds(b, "</td><td class=\"n\">");
		value_html(b, f->kind, f->a.mean, 0);
		tc_buf_adds(b, "</td><td class=\"n\">");
		value_html(b, f->kind, f->b.mean, 0);
		tc_buf_adds(b, "</td><td class=\"n\">");
		value_html(b, f->kind, f->value.mean, TC_SUMMARY_OUT_SIGNED);
		tc_buf_adds(b, "</td><td class=\"n\">");
		interval_html(b, f->kind, f->value.ci, TC_SUMMARY_OUT_SIGNED);
		tc_buf_printf(b, "</td><td class=\"n\">%llu</td></tr>\n",
		              (unsigned long long)f->value.pairs);
	}
	if (any)
		tc_buf_adds(b, "</tbody>\n</table></div>\n<p class=\"sub\">Every figure outside the "
		               "headline whose mean paired difference has a 95% interval that "
		               "excludes 0 (compare.json has them all).</p>\n</section>\n");
}

/* ---- the page ---------------------------------------------------------------------- */

static void meta_side(tc_buf *b, const char *name, const tc_compare_side *s)
{
	tc_buf_printf(b, "<div><dt><span class=\"swatch sw-%s\"></span>%s</dt><dd>", name,
	              strcmp(name, "a") == 0 ? "A" : "B");
	tc_html_text(b, s->label);
	tc_buf_adds(b, " <span class=\"id\">(");
	tc_html_text(b, s->dir);
	tc_buf_adds(b, "/)</span></dd></div>\n");
}

static void header(tc_buf *b, const tc_compare_info *info, const tc_paired *p)
{
	const char *name = info->a.scenario_name ? info->a.scenario_name : info->a.scenario_file;
	tc_buf_adds(b, "<header>\n<p class=\"kicker\">tocsin comparison of two variants</p>\n<h1>");
	tc_html_text(b, name);
	tc_buf_adds(b, "</h1>\n<dl class=\"meta\">\n");
	meta_side(b, "a", &info->a);
	meta_side(b, "b", &info->b);
	tc_buf_adds(b, "<div><dt>Scenario</dt><dd>");
	tc_html_text(b, info->a.scenario_file);
	if (strcmp(info->a.scenario_file, info->b.scenario_file) != 0) {
		tc_buf_adds(b, " / ");
		tc_html_text(b, info->b.scenario_file);
	}
	tc_buf_adds(b, "</dd></div>\n<div><dt>Seed</dt><dd>");
	tc_buf_add_u64(b, info->a.seed);
	if (info->b.seed != info->a.seed) {
		tc_buf_adds(b, " (B: ");
		tc_buf_add_u64(b, info->b.seed);
		tc_buf_adds(b, ")");
	}
	tc_buf_printf(b, "</dd></div>\n<div><dt>Replications</dt><dd>%lu \xe2\x80\x93 %lu "
	              "(%llu)</dd></div>\n", (unsigned long)p->first_replication,
	              (unsigned long)p->last_replication, (unsigned long long)p->replications);
	tc_buf_adds(b, "<div><dt>Draws</dt><dd>");
	tc_buf_adds(b, info->independent ? "independent (B on its own seed)"
	                                 : "common random numbers, paired by replication");
	tc_buf_adds(b, "</dd></div>\n</dl>\n</header>\n");
}

static void verdict(tc_buf *b, const tc_paired *p)
{
	size_t numbers = 0, differ = 0, flags = 0, flags_differ = 0;
	for (size_t i = 0; i < p->figure_count; i++) {
		const tc_paired_figure *f = &p->figures[i];
		if (f->kind == TC_FIGURE_FLAG) {
			flags++;
			flags_differ += f->value.significant;
		} else if (is_number(f->kind)) {
			numbers++;
			differ += f->value.significant;
		}
	}
	tc_buf_adds(b, "<section id=\"verdict\">\n<div class=\"cards\">\n<div class=\"card\"><h3>"
	               "Figures</h3>");
	if (p->identical) {
		tc_buf_adds(b, "<div class=\"big\">identical</div><p class=\"sub\">Every figure is the "
		               "same on every replication: every difference is exactly 0.</p></div>\n");
	} else {
		tc_buf_printf(b, "<div class=\"big\">%zu of %zu differ</div><p class=\"sub\">Paired "
		              "differences whose 95%% interval excludes 0; about 1 in 20 does by "
		              "chance alone.</p></div>\n", differ, numbers);
	}
	tc_buf_printf(b, "<div class=\"card\"><h3>Objectives</h3><div class=\"big\">%zu of %zu "
	              "differ</div><p class=\"sub\">in the share of replications that met "
	              "them.</p></div>\n", flags_differ, flags);
	if (p->only_a_count || p->only_b_count)
		tc_buf_printf(b, "<div class=\"card\"><h3>Not compared</h3><div class=\"big\">%zu + "
		              "%zu</div><p class=\"sub\">figures of A only and of B only (their "
		              "actors or incidents differ).</p></div>\n", p->only_a_count,
		              p->only_b_count);
	tc_buf_adds(b, "</div>\n</section>\n");
}

void tc_compare_html(tc_buf *b, const tc_compare_info *info, const tc_paired *p)
{
	const char *name = info->a.scenario_name ? info->a.scenario_name : info->a.scenario_file;
	tc_html_page_open(b, TOCSIN_VERSION, name, "tocsin comparison", compare_style);
	header(b, info, p);
	tc_buf_adds(b, "<main>\n");
	verdict(b, p);
	tc_buf_adds(b, "<section id=\"headline\">\n<h2>Headline figures</h2>\n");
	size_t shown = 0;
	for (size_t i = 0; i < p->figure_count; i++) {
		const tc_paired_figure *f = &p->figures[i];
		if (f->headline && is_number(f->kind))
			headline_figure(b, f, shown++);
	}
	tc_buf_adds(b, "</section>\n");
	objectives(b, p);
	headline_labels(b, p);
	other_figures(b, p);
	tc_buf_adds(b, "</main>\n<footer><p class=\"sub\">Written by tocsin ");
	tc_html_text(b, TOCSIN_VERSION);
	tc_buf_adds(b, " from ");
	tc_html_text(b, info->a.dir);
	tc_buf_adds(b, "/replications.csv and ");
	tc_html_text(b, info->b.dir);
	tc_buf_adds(b, "/replications.csv (compare.json has every figure). B \xe2\x88\x92 A is taken "
	               "replication by replication; the intervals of differences are Student t "
	               "intervals at 95%, those of shares Wilson intervals. Durations have two "
	               "units at most, the smaller one rounded.</p></footer>\n</body>\n</html>\n");
}
