/*
 * The parts of report.html: the page and its tables (html.c), the charts
 * (html_svg.c). Shared here: escaping, the way values are written, and the
 * colours and names the charts and their legends must agree on.
 */
#ifndef TC_REPORT_HTML_INTERNAL_H
#define TC_REPORT_HTML_INTERNAL_H

#include "analysis/analysis.h"
#include "core/buf.h"

/* The timeline draws at most this many messages, the first ones created;
 * beyond that a browser slows down and the picture is a smear anyway. */
enum { TC_HTML_MAX_ARROWS = 2000 };

/* Text for HTML content or a quoted attribute: & < > " ' escaped, control
 * characters (which HTML forbids) replaced by U+FFFD. NULL writes nothing. */
void tc_html_text(tc_buf *b, const char *s);
/* The same, cut to at most max_chars characters with an ellipsis. */
void tc_html_text_max(tc_buf *b, const char *s, size_t max_chars);

/*
 * How values are written (docs: see tc_report_html). Times and durations
 * are rounded to the nearest second, halves away from zero.
 *   tc_html_dur     "0s" "45s" "1h30m" "2d4h" (tc_duration_format of the
 *                   rounded value); TC_TIME_NEVER: "not reached"
 *   tc_html_margin  the same with "+" before a positive value
 *   tc_html_clock   "T+02:30:00" "T+1d02:30:00" "T-00:30:00" (tc_time_format
 *                   of the rounded value); TC_TIME_NEVER: "not reached"
 *   tc_html_percent "42.5%" (one decimal); NaN: "n/a"
 * TEMPORARY: these stand in for the shared report/format.h; swap them for it
 * when both land (and keep tests/e2e/report_html.sh's copy in step).
 */
tc_time tc_html_round_second(tc_time t);
void tc_html_dur(tc_buf *b, tc_time d);
void tc_html_margin(tc_buf *b, tc_time d);
void tc_html_clock(tc_buf *b, tc_time t);
void tc_html_percent(tc_buf *b, double share);

/* An actor's display name (its name, else its id), escaped; TC_NONE is
 * "outside" (an inject). */
void tc_html_actor(tc_buf *b, const tc_setup *s, int actor);
/* An incident's title, else its id, escaped. */
void tc_html_incident(tc_buf *b, const tc_setup *s, int incident);

/* What the critical path's time was spent on, for people. */
const char *tc_html_cause_label(tc_path_cause cause);
/* Its colour, "#rrggbb". */
const char *tc_html_cause_colour(tc_path_cause cause);
/* Colour and dash pattern of incident i's curve ("" for a solid line). */
const char *tc_html_series_colour(size_t i);
const char *tc_html_series_dash(size_t i);

/* The charts, each a <figure> with its caption. */
void tc_html_timeline(tc_buf *b, const tc_metrics *m);
void tc_html_awareness(tc_buf *b, const tc_metrics *m);
void tc_html_path_bar(tc_buf *b, const tc_critical_path *p);

#endif
