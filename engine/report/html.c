/*
 * report.html: the after-action report as one page that needs nothing but a
 * browser. No script and no external resource (a Content-Security-Policy
 * says so, and makes any slip show in the browser's console); the charts are
 * inline SVG drawn here. The page is also well-formed XML (void elements
 * closed, attributes quoted, only the five XML entities), so any XML parser
 * can check it. Every scenario text is escaped. The same metrics give the
 * same bytes: integer arithmetic and fixed formats only.
 */
#include "report/report.h"

#include <assert.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "model/vocab.h"
#include "report/html_internal.h"

/* ---- text ------------------------------------------------------------------ */

/* Length of the UTF-8 sequence that starts at p when it must be replaced
 * (a C0 or C1 control other than tab and newlines, or DEL), else 0. */
static size_t control_len(const unsigned char *p)
{
	if ((p[0] < 0x20 && p[0] != '\t' && p[0] != '\n' && p[0] != '\r') || p[0] == 0x7f)
		return 1;
	if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
		return 2;
	return 0;
}

/* Escape s[0..n). */
static void text_n(tc_buf *b, const char *s, size_t n)
{
	const char *run = s;
	const char *end = s + n;
	for (const char *p = s; p < end;) {
		const char *rep = NULL;
		size_t skip = 1;
		switch (*p) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default:
			skip = control_len((const unsigned char *)p);
			if (skip > (size_t)(end - p))
				skip = (size_t)(end - p);
			if (skip)
				rep = "\xef\xbf\xbd";
			else
				skip = 1;
		}
		if (rep) {
			tc_buf_add(b, run, (size_t)(p - run));
			tc_buf_adds(b, rep);
			run = p + skip;
		}
		p += skip;
	}
	tc_buf_add(b, run, (size_t)(end - run));
}

void tc_html_text(tc_buf *b, const char *s)
{
	if (s)
		text_n(b, s, strlen(s));
}

void tc_html_text_max(tc_buf *b, const char *s, size_t max_chars)
{
	if (!s)
		return;
	assert(max_chars > 1);
	/* Count characters by their lead bytes; cut before the one that would
	 * leave no room for the ellipsis. */
	size_t chars = 0, cut = 0;
	for (size_t i = 0; s[i]; i++) {
		if (((unsigned char)s[i] & 0xc0) == 0x80)
			continue;
		if (chars == max_chars - 1)
			cut = i;
		chars++;
	}
	if (chars <= max_chars) {
		tc_html_text(b, s);
		return;
	}
	text_n(b, s, cut);
	tc_buf_adds(b, "\xe2\x80\xa6");
}

/* ---- values ----------------------------------------------------------------- */

void tc_html_time(tc_buf *b, tc_html_time_format *format, tc_time t)
{
	char text[TC_REPORT_FMT_SIZE];
	format(t, text, sizeof text);
	if (t == TC_TIME_NEVER)
		tc_buf_adds(b, "<span class=\"nr\">");
	tc_html_text(b, text);
	if (t == TC_TIME_NEVER)
		tc_buf_adds(b, "</span>");
}

/* ---- names ----------------------------------------------------------------- */

void tc_html_actor(tc_buf *b, const tc_setup *s, int actor)
{
	if (actor < 0 || (size_t)actor >= s->actor_count) {
		tc_buf_adds(b, "outside");
		return;
	}
	const tc_setup_actor *a = &s->actors[actor];
	tc_html_text(b, a->name && a->name[0] ? a->name : a->id);
}

void tc_html_incident(tc_buf *b, const tc_setup *s, int incident)
{
	if (incident < 0 || (size_t)incident >= s->incident_count) {
		tc_buf_adds(b, "none");
		return;
	}
	const tc_setup_incident *inc = &s->incidents[incident];
	tc_html_text(b, inc->title && inc->title[0] ? inc->title : inc->id);
}

static const char *const cause_labels[TC_PATH_CAUSE_COUNT] = {
	[TC_PATH_DETECTION] = "Detection",
	[TC_PATH_HOLD] = "Held (channels down)",
	[TC_PATH_CHANNEL] = "Channel transit",
	[TC_PATH_QUEUE] = "Queue (busy)",
	[TC_PATH_OFF_HOURS] = "Off hours",
	[TC_PATH_HANDLING] = "Handling",
	[TC_PATH_MEETING] = "Meeting",
	[TC_PATH_RETRY] = "Retry",
	[TC_PATH_REACTION] = "Reaction",
};

/* The timeline's bars use the same colours for queue, off hours and handling. */
static const char *const cause_colours[TC_PATH_CAUSE_COUNT] = {
	[TC_PATH_DETECTION] = "#8e6bbf",
	[TC_PATH_HOLD] = "#7f7f7f",
	[TC_PATH_CHANNEL] = "#2a9fbc",
	[TC_PATH_QUEUE] = "#e8830c",
	[TC_PATH_OFF_HOURS] = "#2b4a8b",
	[TC_PATH_HANDLING] = "#2e8540",
	[TC_PATH_MEETING] = "#8c564b",
	[TC_PATH_RETRY] = "#c62f2f",
	[TC_PATH_REACTION] = "#a5a21c",
};

const char *tc_html_cause_label(tc_path_cause cause)
{
	assert(cause < TC_PATH_CAUSE_COUNT);
	return cause_labels[cause];
}

const char *tc_html_cause_colour(tc_path_cause cause)
{
	assert(cause < TC_PATH_CAUSE_COUNT);
	return cause_colours[cause];
}

/* Curves differ by dash as well as colour, so they survive a grey printer. */
static const char *const series_colours[] = { "#0b5cad", "#c0392b", "#2e8540", "#8e44ad",
	                                      "#b9770e", "#117a65" };
static const char *const series_dashes[] = { "", "7 3", "2 2", "9 3 2 3" };

const char *tc_html_series_colour(size_t i)
{
	return series_colours[i % (sizeof series_colours / sizeof series_colours[0])];
}

const char *tc_html_series_dash(size_t i)
{
	return series_dashes[i % (sizeof series_dashes / sizeof series_dashes[0])];
}

static const char *reason_text(tc_objective_reason r)
{
	switch (r) {
	case TC_REASON_IN_TIME: return "in time";
	case TC_REASON_LATE: return "late";
	case TC_REASON_NEVER: return "did not happen by the deadline";
	case TC_REASON_NO_ANCHOR: return "what the deadline counts from never happened";
	case TC_REASON_RUN_ENDED: return "the run ended before the deadline";
	}
	return "";
}

/* ---- the page -------------------------------------------------------------- */

static const char style[] =
	":root{color-scheme:light}\n"
	"*{box-sizing:border-box}\n"
	"body{font:14px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\","
	"Arial,sans-serif;color:#1f2328;background:#fff;margin:0 auto;max-width:1240px;"
	"padding:24px}\n"
	"h1{font-size:26px;margin:0 0 4px}\n"
	"h2{font-size:19px;margin:32px 0 10px;padding-bottom:4px;border-bottom:1px solid #d0d7de}\n"
	"h3{font-size:15px;margin:20px 0 6px}\n"
	".kicker{text-transform:uppercase;letter-spacing:.08em;font-size:12px;color:#57606a;"
	"margin:0}\n"
	"dl.meta{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));"
	"gap:2px 18px;margin:12px 0 0}\n"
	"dl.meta div{display:flex;gap:6px}\n"
	"dl.meta dt{color:#57606a;white-space:nowrap}\n"
	"dl.meta dd{margin:0;font-weight:600;overflow-wrap:anywhere}\n"
	".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:12px}\n"
	".card{border:1px solid #d0d7de;border-radius:6px;padding:10px 12px}\n"
	".card h3{margin:0 0 4px;font-size:13px;color:#57606a}\n"
	".big{font-size:24px;font-weight:700;font-variant-numeric:tabular-nums}\n"
	".sub{color:#57606a;font-size:13px;margin:2px 0 0}\n"
	"table{border-collapse:collapse;width:100%;font-size:13px}\n"
	"th,td{border-bottom:1px solid #d8dee4;padding:4px 8px;text-align:left;"
	"vertical-align:top}\n"
	"th{background:#f6f8fa;font-weight:600}\n"
	"td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
	"th.grp{text-align:center}\n"
	".verdict{font-weight:700;white-space:nowrap}\n"
	".v-met{background:#dafbe1;color:#116329}\n"
	".v-missed{background:#ffebe9;color:#a40e26;text-decoration:underline}\n"
	".v-open{background:#fff8c5;color:#7d4e00;font-style:italic}\n"
	".nr{color:#6e7781;font-style:italic}\n"
	".id{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;"
	"color:#57606a}\n"
	".scroll{overflow-x:auto}\n"
	"figure{margin:12px 0}\n"
	"figcaption{font-size:12px;color:#57606a;margin-top:4px;max-width:900px}\n"
	".swatch{display:inline-block;width:12px;height:12px;border:1px solid rgba(0,0,0,.25);"
	"vertical-align:-2px;margin-right:6px}\n"
	"svg.chart{display:block}\n"
	"svg text{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,Arial,sans-serif}\n"
	".tl .lane{fill:#f6f8fa}\n"
	".tl .offduty{fill:#e6e8eb}\n"
	".grid{stroke:#d0d7de;stroke-width:1}\n"
	".axis{stroke:#57606a;stroke-width:1}\n"
	".tick{font-size:11px;fill:#57606a}\n"
	".label{font-size:12px;fill:#1f2328}\n"
	".level{font-size:10px;fill:#6e7781}\n"
	".tl .m{stroke:#3d4650;stroke-width:.8;fill:none}\n"
	".tl .lost{stroke:#c0392b;stroke-width:1;stroke-dasharray:4 3;fill:none}\n"
	".tl .x{stroke:#c0392b;stroke-width:1.8}\n"
	".tl .transit{stroke:#8c959f;stroke-width:1;stroke-dasharray:1 3;fill:none}\n"
	".tl .q{fill:url(#tl-queue)}\n"
	".tl .inj{fill:#8e6bbf}\n"
	".tl.dense .m{stroke-width:.5;stroke-opacity:.55}\n"
	".tl.dense .lost{stroke-width:.8}\n"
	"svg.defs{position:absolute;width:0;height:0;overflow:hidden}\n"
	".tl .o{fill:url(#tl-off)}\n"
	".tl .h{fill:#2e8540}\n"
	".tl .start{stroke:#c0392b;stroke-width:1.2;stroke-dasharray:6 3}\n"
	".tl .startl{font-size:11px;fill:#c0392b}\n"
	".aw .curve{fill:none;stroke-width:2}\n"
	".aw .cop{stroke-width:1;stroke-dasharray:3 3}\n"
	".path .seg{stroke:#fff;stroke-width:1}\n"
	".path .segl{font-size:11px;fill:#fff;font-weight:600}\n"
	".legend{display:flex;flex-wrap:wrap;gap:4px 18px;font-size:12px;margin:6px 0 0;"
	"padding:0;list-style:none}\n"
	"@page{size:landscape;margin:12mm}\n"
	"@media print{\n"
	"body{max-width:none;padding:0;font-size:9pt}\n"
	"*{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
	".scroll{overflow:visible}\n"
	"svg.chart{width:100%;height:auto}\n"
	".tl{break-inside:avoid}\n"
	"h2,h3{break-after:avoid}\n"
	".card,tr,.keep,svg.chart,.legend{break-inside:avoid}\n"
	"}\n";

void tc_html_page_open(tc_buf *b, const char *version, const char *title, const char *what,
                       const char *extra_style)
{
	tc_buf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
	               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
	               "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	               "style-src 'unsafe-inline'\"/>\n"
	               "<meta name=\"generator\" content=\"tocsin ");
	tc_html_text(b, version);
	tc_buf_adds(b, "\"/>\n<title>");
	tc_html_text(b, title);
	tc_buf_adds(b, " \xe2\x80\x94 ");
	tc_html_text(b, what);
	tc_buf_adds(b, "</title>\n<style>\n");
	tc_buf_adds(b, style);
	if (extra_style)
		tc_buf_adds(b, extra_style);
	tc_buf_adds(b, "</style>\n</head>\n<body>\n");
}

/* One "dt: dd" of the header; the value is already HTML. */
static void meta_open(tc_buf *b, const char *label)
{
	tc_buf_adds(b, "<div><dt>");
	tc_buf_adds(b, label);
	tc_buf_adds(b, "</dt><dd>");
}

static void meta_close(tc_buf *b)
{
	tc_buf_adds(b, "</dd></div>\n");
}

static void meta_text(tc_buf *b, const char *label, const char *value)
{
	meta_open(b, label);
	tc_html_text(b, value && value[0] ? value : "unknown");
	meta_close(b);
}

static void header(tc_buf *b, const tc_metrics *m)
{
	const tc_setup *s = m->setup;
	tc_buf_adds(b, "<header>\n<p class=\"kicker\">tocsin after-action report</p>\n<h1>");
	tc_html_text(b, s->name);
	tc_buf_adds(b, "</h1>\n<dl class=\"meta\">\n");
	meta_text(b, "Scenario", s->file);
	meta_open(b, "SHA-256");
	if (s->sha256 && s->sha256[0]) {
		tc_buf_adds(b, "<span class=\"id\" title=\"");
		tc_html_text(b, s->sha256);
		tc_buf_adds(b, "\">");
		tc_html_text_max(b, s->sha256, 13);
		tc_buf_adds(b, "</span>");
	} else {
		tc_buf_adds(b, "unknown");
	}
	meta_close(b);
	meta_open(b, "Seed");
	tc_buf_add_u64(b, s->seed);
	meta_close(b);
	meta_open(b, "Replication");
	tc_buf_add_u64(b, s->replication);
	meta_close(b);
	meta_text(b, "tocsin", s->tocsin_version);
	meta_open(b, "T+0");
	tc_html_text(b, s->start);
	if (s->timezone && s->timezone[0]) {
		tc_buf_adds(b, " (");
		tc_html_text(b, s->timezone);
		tc_buf_addc(b, ')');
	}
	meta_close(b);
	meta_open(b, "Span");
	tc_html_time(b, tc_report_instant, m->totals.span_start);
	tc_buf_adds(b, " \xe2\x80\x93 ");
	tc_html_time(b, tc_report_instant, m->totals.span_end);
	tc_buf_adds(b, " (");
	tc_html_time(b, tc_report_duration, m->totals.span_end - m->totals.span_start);
	tc_buf_addc(b, ')');
	meta_close(b);
	meta_text(b, "Ended by", m->totals.end_reason);
	tc_buf_adds(b, "</dl>\n</header>\n");
}

/* ---- summary --------------------------------------------------------------- */

static void card_open(tc_buf *b, const char *title)
{
	tc_buf_adds(b, "<div class=\"card\"><h3>");
	tc_buf_adds(b, title);
	tc_buf_adds(b, "</h3>");
}

static void objectives_card(tc_buf *b, const tc_metrics *m)
{
	size_t count[3] = { 0, 0, 0 };
	for (size_t i = 0; i < m->setup->objective_count; i++)
		count[m->objectives[i].verdict]++;
	card_open(b, "Objectives");
	tc_buf_printf(b, "<div class=\"big\">%zu of %zu met</div>", count[TC_VERDICT_MET],
	              m->setup->objective_count);
	tc_buf_printf(b, "<p class=\"sub\">%zu met, %zu missed, %zu open</p></div>\n",
	              count[TC_VERDICT_MET], count[TC_VERDICT_MISSED], count[TC_VERDICT_OPEN]);
}

static void incident_card(tc_buf *b, const tc_metrics *m, size_t i)
{
	const tc_setup *s = m->setup;
	const tc_incident_metrics *im = &m->incidents[i];
	tc_buf_adds(b, "<div class=\"card\"><h3>Common operational picture: ");
	tc_html_incident(b, s, (int)i);
	tc_buf_printf(b, "</h3><div class=\"big\" id=\"cop-%zu\">", i);
	tc_html_time(b, tc_report_duration, im->time_to_cop);
	tc_buf_adds(b, "</div><p class=\"sub\">");
	tc_buf_printf(b, "%" PRIu32 " of %" PRIu32 " required actors aware", im->required_aware,
	              im->required);
	if (im->cop_at != TC_TIME_NEVER) {
		tc_buf_adds(b, ", at ");
		tc_html_time(b, tc_report_instant, im->cop_at);
	}
	tc_buf_adds(b, "</p>");
	const tc_critical_path *p = &im->path;
	if (p->bottleneck != TC_NONE) {
		tc_buf_adds(b, "<p class=\"sub\">Bottleneck: <strong>");
		tc_html_actor(b, s, p->bottleneck);
		tc_buf_adds(b, "</strong>");
		for (size_t k = 0; k < p->by_actor_count; k++) {
			if (p->by_actor[k].actor != p->bottleneck)
				continue;
			tc_buf_adds(b, " (");
			tc_html_time(b, tc_report_duration, p->by_actor[k].time);
			tc_buf_adds(b, " of the critical path)");
			break;
		}
		tc_buf_adds(b, "</p>");
	}
	tc_buf_adds(b, "</div>\n");
}

static void messages_card(tc_buf *b, const tc_metrics *m)
{
	const tc_totals *t = &m->totals;
	card_open(b, "Messages");
	tc_buf_printf(b, "<div class=\"big\">%" PRIu64 "</div><p class=\"sub\">%" PRIu64
	              " delivered, %" PRIu64 " handled, %" PRIu64 " lost, %" PRIu64
	              " retries</p></div>\n", t->messages, t->delivered, t->handled, t->lost,
	              t->retries);
}

static void meetings_card(tc_buf *b, const tc_metrics *m)
{
	const tc_totals *t = &m->totals;
	if (m->setup->meeting_count == 0)
		return;
	card_open(b, "Meetings");
	tc_buf_printf(b, "<div class=\"big\">%" PRIu64 " held</div><p class=\"sub\">%" PRIu64
	              " failed to reach quorum</p></div>\n", t->meetings_held, t->meetings_failed);
}

static void summary(tc_buf *b, const tc_metrics *m)
{
	tc_buf_adds(b, "<section id=\"summary\">\n<h2>Summary</h2>\n<div class=\"cards\">\n");
	objectives_card(b, m);
	for (size_t i = 0; i < m->setup->incident_count; i++)
		incident_card(b, m, i);
	messages_card(b, m);
	meetings_card(b, m);
	tc_buf_adds(b, "</div>\n</section>\n");
}

/* ---- objectives -------------------------------------------------------------- */

/* Who the objective is about, in words. */
static void subject_text(tc_buf *b, const tc_setup *s, const tc_objective_def *d)
{
	switch (d->subject) {
	case TC_SUBJECT_ACTOR:
		tc_html_actor(b, s, d->subject_actor);
		return;
	case TC_SUBJECT_LEVEL:
		tc_buf_adds(b, "every ");
		tc_buf_adds(b, tc_level_name(d->subject_level));
		tc_buf_adds(b, " actor");
		return;
	case TC_SUBJECT_ALL_REQUIRED:
		tc_buf_adds(b, "every required actor");
		return;
	}
}

static void kind_text(tc_buf *b, const tc_setup *s, tc_kind_id kind)
{
	if (kind < s->kind_count)
		tc_html_text(b, s->kinds[kind]);
	else
		tc_buf_printf(b, "kind %u", (unsigned)kind);
}

/* "cert sends alert to anssi within 1h of the incident's start". */
static void rule_text(tc_buf *b, const tc_setup *s, const tc_objective_def *d)
{
	switch (d->event) {
	case TC_EVENT_SENDS:
		subject_text(b, s, d);
		tc_buf_adds(b, " sends ");
		kind_text(b, s, d->kind);
		if (d->to_actor != TC_NONE) {
			tc_buf_adds(b, " to ");
			tc_html_actor(b, s, d->to_actor);
		}
		break;
	case TC_EVENT_AWARE:
		subject_text(b, s, d);
		tc_buf_adds(b, " is aware");
		break;
	case TC_EVENT_MEETING_HELD:
		tc_buf_adds(b, "meeting ");
		if (d->meeting >= 0 && (size_t)d->meeting < s->meeting_count)
			tc_html_text(b, s->meetings[d->meeting]);
		tc_buf_adds(b, " is held");
		break;
	}
	char within[48];
	tc_duration_format_full(d->within, within, sizeof within);
	tc_buf_adds(b, " within ");
	tc_buf_adds(b, within);
	tc_buf_adds(b, " of ");
	switch (d->anchor) {
	case TC_ANCHOR_T0:
		tc_buf_adds(b, "T+0");
		break;
	case TC_ANCHOR_INCIDENT_START:
		tc_buf_adds(b, "the incident's start");
		break;
	case TC_ANCHOR_AWARE:
		tc_html_actor(b, s, d->anchor_actor);
		tc_buf_adds(b, " becoming aware");
		break;
	case TC_ANCHOR_OBJECTIVE:
		tc_buf_adds(b, "objective ");
		if (d->anchor_objective >= 0 && (size_t)d->anchor_objective < s->objective_count)
			tc_html_text(b, s->objectives[d->anchor_objective].def.id);
		break;
	}
}

static void objective_row(tc_buf *b, const tc_metrics *m, size_t i)
{
	const tc_setup *s = m->setup;
	const tc_objective_def *d = &s->objectives[i].def;
	const tc_objective_result *r = &m->objectives[i];
	const char *verdict = tc_verdict_name(r->verdict);
	tc_buf_printf(b, "<tr id=\"objective-%zu\"><td><span class=\"id\">", i);
	tc_html_text(b, d->id);
	tc_buf_adds(b, "</span>");
	if (d->description && d->description[0]) {
		tc_buf_adds(b, "<br/>");
		tc_html_text(b, d->description);
	}
	tc_buf_adds(b, "</td><td>");
	rule_text(b, s, d);
	tc_buf_adds(b, "</td><td>");
	tc_html_incident(b, s, d->incident);
	tc_buf_printf(b, "</td><td class=\"verdict v-%s\" id=\"verdict-%zu\">%s</td><td>%s</td>",
	              verdict, i, verdict, reason_text(r->reason));
	tc_buf_adds(b, "<td class=\"n\">");
	tc_html_time(b, tc_report_instant, r->event_at);
	tc_buf_adds(b, "</td><td class=\"n\">");
	if (r->deadline == TC_TIME_NEVER)
		tc_buf_adds(b, "<span class=\"nr\">none</span>");
	else
		tc_html_time(b, tc_report_instant, r->deadline);
	tc_buf_adds(b, "</td><td class=\"n\">");
	if (r->margin == TC_TIME_NEVER)
		tc_buf_adds(b, "<span class=\"nr\">n/a</span>");
	else
		tc_html_time(b, tc_report_margin, r->margin);
	tc_buf_printf(b, "</td><td class=\"n\">%d of %d</td><td>", r->subjects_done, r->subjects);
	/* Where the chain to the event spent its time (docs/metrics.md). */
	if (r->path.bottleneck == TC_NONE) {
		tc_buf_adds(b, "<span class=\"nr\">none</span>");
	} else {
		tc_html_actor(b, s, r->path.bottleneck);
		tc_buf_adds(b, " (");
		tc_html_time(b, tc_report_duration, r->path.by_actor[0].time);
		tc_buf_adds(b, ")");
	}
	tc_buf_adds(b, "</td></tr>\n");
}

static void objectives(tc_buf *b, const tc_metrics *m)
{
	tc_buf_adds(b, "<section id=\"objectives\">\n<h2>Objectives</h2>\n");
	if (m->setup->objective_count == 0) {
		tc_buf_adds(b, "<p>The scenario sets no objective.</p>\n</section>\n");
		return;
	}
	tc_buf_adds(b, "<div class=\"scroll\"><table>\n<thead><tr><th>Objective</th><th>Rule</th>"
	               "<th>Incident</th><th>Verdict</th><th>Why</th><th class=\"n\">Happened</th>"
	               "<th class=\"n\">Deadline</th><th class=\"n\">Margin</th>"
	               "<th class=\"n\">Subjects done</th><th>Bottleneck</th></tr></thead>\n"
	               "<tbody>\n");
	for (size_t i = 0; i < m->setup->objective_count; i++)
		objective_row(b, m, i);
	tc_buf_adds(b, "</tbody>\n</table></div>\n<p class=\"sub\">Margin: time left before the "
	               "deadline (negative: how late). Bottleneck: the actor charged the most time on the "
	               "causal chain to the objective's event.</p>\n</section>\n");
}

/* ---- awareness by level ------------------------------------------------------ */

static void levels_table(tc_buf *b, const tc_metrics *m)
{
	const tc_setup *s = m->setup;
	tc_buf_adds(b, "<div class=\"scroll\"><table>\n<thead><tr><th>Incident</th><th>Level</th>"
	               "<th class=\"n\">Actors</th><th class=\"n\">Aware</th>"
	               "<th class=\"n\">First aware</th><th class=\"n\">All aware</th></tr>"
	               "</thead>\n<tbody>\n");
	for (size_t i = 0; i < s->incident_count; i++) {
		for (int l = 0; l < TC_LEVEL_COUNT; l++) {
			const tc_level_metrics *lm = &m->incidents[i].levels[l];
			if (lm->actors == 0)
				continue;
			tc_buf_adds(b, "<tr><td>");
			tc_html_incident(b, s, (int)i);
			tc_buf_printf(b, "</td><td>%s</td><td class=\"n\">%" PRIu32 "</td>"
			              "<td class=\"n\">%" PRIu32 "</td><td class=\"n\">",
			              tc_level_name((tc_level)l), lm->actors, lm->aware);
			tc_html_time(b, tc_report_duration, lm->first);
			tc_buf_adds(b, "</td><td class=\"n\">");
			tc_html_time(b, tc_report_duration, lm->all);
			tc_buf_adds(b, "</td></tr>\n");
		}
	}
	tc_buf_adds(b, "</tbody>\n</table></div>\n<p class=\"sub\">Times since the incident's "
	               "start. A level's actors are those the incident requires, or all of the "
	               "level when it requires none.</p>\n");
}

/* ---- critical paths ------------------------------------------------------------ */

static void step_what(tc_buf *b, const tc_metrics *m, const tc_path_step *st)
{
	const tc_setup *s = m->setup;
	switch (st->type) {
	case TC_STEP_INCIDENT:
		tc_buf_adds(b, "incident starts");
		return;
	case TC_STEP_INJECT:
		tc_buf_adds(b, "inject ");
		if (st->index >= 0 && (size_t)st->index < s->inject_count)
			tc_html_text(b, s->injects[st->index]);
		return;
	case TC_STEP_SCRIPT:
		tc_buf_printf(b, "script callback %" PRIu64, st->id);
		return;
	case TC_STEP_MESSAGE:
		if (st->id >= 1 && st->id <= m->hop_count)
			kind_text(b, s, m->hops[st->id - 1].kind);
		else
			tc_buf_adds(b, "message");
		tc_buf_printf(b, " <span class=\"id\">#%" PRIu64 "</span>", st->id);
		return;
	case TC_STEP_MEETING:
		tc_buf_adds(b, "meeting ");
		if (st->index >= 0 && (size_t)st->index < s->meeting_count)
			tc_html_text(b, s->meetings[st->index]);
		return;
	}
}

static void step_who(tc_buf *b, const tc_metrics *m, const tc_path_step *st)
{
	const tc_setup *s = m->setup;
	if (st->type == TC_STEP_MESSAGE) {
		tc_html_actor(b, s, st->from);
		tc_buf_adds(b, " \xe2\x86\x92 ");
		tc_html_actor(b, s, st->to);
	} else if (st->type == TC_STEP_MEETING) {
		tc_buf_adds(b, "chair: ");
		tc_html_actor(b, s, st->actor);
	} else if (st->actor != TC_NONE) {
		tc_html_actor(b, s, st->actor);
	}
}

static void step_channel(tc_buf *b, const tc_metrics *m, const tc_path_step *st)
{
	if (st->type != TC_STEP_MESSAGE || st->id < 1 || st->id > m->hop_count)
		return;
	int ch = m->hops[st->id - 1].channel;
	if (ch >= 0 && (size_t)ch < m->setup->channel_count)
		tc_html_text(b, m->setup->channels[ch]);
	else
		tc_buf_adds(b, "direct");
}

static void path_steps(tc_buf *b, const tc_metrics *m, const tc_critical_path *p)
{
	int used[TC_PATH_CAUSE_COUNT];
	for (int c = 0; c < TC_PATH_CAUSE_COUNT; c++)
		used[c] = p->by_cause[c] != 0;
	tc_buf_adds(b, "<div class=\"scroll\"><table>\n<thead><tr><th class=\"n\">#</th>"
	               "<th>Step</th><th>From \xe2\x86\x92 to</th><th>Channel</th>"
	               "<th class=\"n\">Start</th><th class=\"n\">End</th>");
	for (int c = 0; c < TC_PATH_CAUSE_COUNT; c++)
		if (used[c])
			tc_buf_printf(b, "<th class=\"n\">%s</th>", cause_labels[c]);
	tc_buf_adds(b, "</tr></thead>\n<tbody>\n");
	for (size_t k = 0; k < p->step_count; k++) {
		const tc_path_step *st = &p->steps[k];
		tc_buf_printf(b, "<tr><td class=\"n\">%zu</td><td>", k + 1);
		step_what(b, m, st);
		tc_buf_adds(b, "</td><td>");
		step_who(b, m, st);
		tc_buf_adds(b, "</td><td>");
		step_channel(b, m, st);
		tc_buf_adds(b, "</td><td class=\"n\">");
		tc_html_time(b, tc_report_instant, st->start);
		tc_buf_adds(b, "</td><td class=\"n\">");
		tc_html_time(b, tc_report_instant, st->end);
		tc_buf_adds(b, "</td>");
		for (int c = 0; c < TC_PATH_CAUSE_COUNT; c++) {
			if (!used[c])
				continue;
			tc_buf_adds(b, "<td class=\"n\">");
			if (st->split[c])
				tc_html_time(b, tc_report_duration, st->split[c]);
			tc_buf_adds(b, "</td>");
		}
		tc_buf_adds(b, "</tr>\n");
	}
	tc_buf_adds(b, "</tbody>\n</table></div>\n");
}

static void path_actors(tc_buf *b, const tc_metrics *m, const tc_critical_path *p)
{
	if (p->by_actor_count == 0)
		return;
	tc_buf_adds(b, "<p class=\"sub\">Waiting and handling charged to each actor: ");
	for (size_t k = 0; k < p->by_actor_count; k++) {
		if (k)
			tc_buf_adds(b, ", ");
		if (p->by_actor[k].actor == p->bottleneck)
			tc_buf_adds(b, "<strong>");
		tc_html_actor(b, m->setup, p->by_actor[k].actor);
		tc_buf_adds(b, " ");
		tc_html_time(b, tc_report_duration, p->by_actor[k].time);
		if (p->by_actor[k].actor == p->bottleneck)
			tc_buf_adds(b, " (bottleneck)</strong>");
	}
	tc_buf_adds(b, ".</p>\n");
}

static void critical_path(tc_buf *b, const tc_metrics *m, size_t i)
{
	const tc_setup *s = m->setup;
	const tc_critical_path *p = &m->incidents[i].path;
	tc_buf_printf(b, "<div class=\"keep\" id=\"path-%zu\">\n<h3>", i);
	tc_html_incident(b, s, (int)i);
	tc_buf_adds(b, "</h3>\n");
	if (p->target_actor == TC_NONE) {
		tc_buf_adds(b, "<p>No critical path: nobody became aware of this incident.</p>\n"
		               "</div>\n");
		return;
	}
	tc_buf_adds(b, "<p>");
	if (p->complete) {
		tc_buf_adds(b, "The chain that led to the common operational picture: ");
	} else {
		tc_buf_adds(b, "The common operational picture was not reached; this chain ends "
		               "when the last actor to become aware did: ");
	}
	tc_html_actor(b, s, p->target_actor);
	tc_buf_adds(b, " aware at ");
	tc_html_time(b, tc_report_instant, p->end);
	tc_buf_adds(b, ", ");
	tc_html_time(b, tc_report_duration, p->end - p->start);
	tc_buf_adds(b, " after ");
	tc_html_time(b, tc_report_instant, p->start);
	tc_buf_adds(b, ".</p>\n");
	tc_html_path_bar(b, p);
	path_steps(b, m, p);
	path_actors(b, m, p);
	tc_buf_adds(b, "</div>\n");
}

static void critical_paths(tc_buf *b, const tc_metrics *m)
{
	tc_buf_adds(b, "<section id=\"critical-path\">\n<h2>Critical path</h2>\n");
	if (m->setup->incident_count == 0)
		tc_buf_adds(b, "<p>The run had no incident.</p>\n");
	for (size_t i = 0; i < m->setup->incident_count; i++)
		critical_path(b, m, i);
	tc_buf_adds(b, "</section>\n");
}

/* ---- actors ---------------------------------------------------------------------- */

static void actor_row(tc_buf *b, const tc_metrics *m, size_t a)
{
	const tc_setup *s = m->setup;
	const tc_actor_metrics *am = &m->actors[a];
	char utilisation[TC_REPORT_FMT_SIZE];
	tc_report_percent(am->utilisation, utilisation, sizeof utilisation);
	tc_buf_printf(b, "<tr id=\"actor-%zu\"><td>", a);
	tc_html_actor(b, s, (int)a);
	tc_buf_adds(b, " <span class=\"id\">");
	tc_html_text(b, s->actors[a].id);
	tc_buf_printf(b, "</span></td><td>%s</td><td class=\"n\">%" PRIu64 "</td>"
	              "<td class=\"n\">%" PRIu64 "</td><td class=\"n\">%" PRIu64 "</td>"
	              "<td class=\"n\">%s</td><td class=\"n\">%" PRIu64,
	              tc_level_name(s->actors[a].level), am->received, am->handled, am->sent,
	              utilisation, am->backlog_max);
	if (am->backlog_max_at != TC_TIME_NEVER) {
		tc_buf_adds(b, " at ");
		tc_html_time(b, tc_report_instant, am->backlog_max_at);
	}
	tc_buf_adds(b, "</td><td class=\"n\">");
	if (isnan(am->backlog_mean))
		tc_buf_adds(b, "n/a");
	else
		tc_buf_printf(b, "%.2f", am->backlog_mean);
	const tc_time pct[3] = { am->response.p50, am->response.p90, am->response.p99 };
	for (int k = 0; k < 3; k++) {
		tc_buf_adds(b, "</td><td class=\"n\">");
		if (am->response.count == 0)
			tc_buf_adds(b, "<span class=\"nr\">none</span>");
		else
			tc_html_time(b, tc_report_duration, pct[k]);
	}
	tc_buf_adds(b, "</td>");
	for (size_t i = 0; i < s->incident_count; i++) {
		tc_buf_printf(b, "<td class=\"n\" id=\"aware-%zu-%zu\">", i, a);
		tc_html_time(b, tc_report_duration, m->awareness[i * s->actor_count + a].since_start);
		tc_buf_adds(b, "</td>");
	}
	tc_buf_adds(b, "</tr>\n");
}

static void actors(tc_buf *b, const tc_metrics *m)
{
	const tc_setup *s = m->setup;
	tc_buf_adds(b, "<section id=\"actors\">\n<h2>Actors</h2>\n<div class=\"scroll\"><table>\n"
	               "<thead><tr><th rowspan=\"2\">Actor</th><th rowspan=\"2\">Level</th>"
	               "<th class=\"n\" rowspan=\"2\">Received</th>"
	               "<th class=\"n\" rowspan=\"2\">Handled</th>"
	               "<th class=\"n\" rowspan=\"2\">Sent</th>"
	               "<th class=\"n\" rowspan=\"2\">Utilisation</th>"
	               "<th class=\"grp\" colspan=\"2\">Backlog</th>"
	               "<th class=\"grp\" colspan=\"3\">"
	               "Response (delivered \xe2\x86\x92 handled)</th>");
	if (s->incident_count)
		tc_buf_printf(b, "<th class=\"grp\" colspan=\"%zu\">Time to awareness</th>",
		              s->incident_count);
	tc_buf_adds(b, "</tr>\n<tr><th class=\"n\">max</th><th class=\"n\">mean</th>"
	               "<th class=\"n\">p50</th><th class=\"n\">p90</th><th class=\"n\">p99</th>");
	for (size_t i = 0; i < s->incident_count; i++) {
		tc_buf_adds(b, "<th class=\"n\">");
		tc_html_incident(b, s, (int)i);
		tc_buf_adds(b, "</th>");
	}
	tc_buf_adds(b, "</tr></thead>\n<tbody>\n");
	for (size_t a = 0; a < s->actor_count; a++)
		actor_row(b, m, a);
	tc_buf_adds(b, "</tbody>\n</table></div>\n<p class=\"sub\">Utilisation: staff time spent "
	               "handling or in meetings over staff time on duty. Backlog: messages "
	               "delivered and not yet taken up (mean weighted by time). Time to "
	               "awareness: since the incident's start.</p>\n</section>\n");
}

/* ---- traffic ----------------------------------------------------------------------- */

static void count_row(tc_buf *b, const tc_count_row *r)
{
	tc_buf_printf(b, "</td><td class=\"n\">%" PRIu64 "</td><td class=\"n\">%" PRIu64
	              "</td><td class=\"n\">%" PRIu64 "</td><td class=\"n\">%" PRIu64
	              "</td></tr>\n", r->messages, r->delivered, r->lost, r->handled);
}

static void traffic(tc_buf *b, const tc_metrics *m)
{
	const tc_setup *s = m->setup;
	const tc_totals *t = &m->totals;
	tc_buf_adds(b, "<section id=\"traffic\">\n<h2>Traffic</h2>\n<div class=\"scroll\"><table>\n"
	               "<thead><tr><th>By</th><th>Name</th><th class=\"n\">Messages</th>"
	               "<th class=\"n\">Delivered</th><th class=\"n\">Lost</th>"
	               "<th class=\"n\">Handled</th></tr></thead>\n<tbody>\n");
	for (size_t c = 0; t->by_channel && c <= s->channel_count; c++) {
		if (t->by_channel[c].messages == 0)
			continue;
		tc_buf_adds(b, "<tr><td>channel</td><td>");
		if (c < s->channel_count)
			tc_html_text(b, s->channels[c]);
		else
			tc_buf_adds(b, "direct delivery");
		count_row(b, &t->by_channel[c]);
	}
	for (size_t k = 0; t->by_kind && k < s->kind_count; k++) {
		if (t->by_kind[k].messages == 0)
			continue;
		tc_buf_adds(b, "<tr><td>kind</td><td>");
		tc_html_text(b, s->kinds[k]);
		count_row(b, &t->by_kind[k]);
	}
	tc_buf_adds(b, "</tbody>\n</table></div>\n</section>\n");
}

void tc_report_html(tc_buf *b, const tc_metrics *m)
{
	assert(m && m->setup);
	const tc_setup *s = m->setup;
	tc_html_page_open(b, s->tocsin_version, s->name, "tocsin after-action report", NULL);
	header(b, m);
	tc_buf_adds(b, "<main>\n");
	summary(b, m);
	objectives(b, m);
	tc_buf_adds(b, "<section id=\"timeline\">\n<h2>Timeline</h2>\n");
	tc_html_timeline(b, m);
	tc_buf_adds(b, "</section>\n<section id=\"awareness\">\n<h2>Awareness</h2>\n");
	tc_html_awareness(b, m);
	levels_table(b, m);
	tc_buf_adds(b, "</section>\n");
	critical_paths(b, m);
	actors(b, m);
	traffic(b, m);
	tc_buf_adds(b, "</main>\n<footer><p class=\"sub\">Written by tocsin ");
	tc_html_text(b, s->tocsin_version);
	tc_buf_adds(b, " from the run's event log. Times are exercise time from T+0, rounded to "
	               "the second; durations have two units at most, the smaller one "
	               "rounded.</p></footer>\n</body>\n</html>\n");
}
