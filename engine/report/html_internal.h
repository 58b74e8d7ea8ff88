/*
 * The parts of report.html: the page and its tables (html.c), the charts
 * (html_svg.c). Shared here: escaping, the adapter to report/format.h's
 * formatters, and the colours and names the charts and their legends must
 * agree on.
 */
#ifndef TC_REPORT_HTML_INTERNAL_H
#define TC_REPORT_HTML_INTERNAL_H

#include "analysis/analysis.h"
#include "core/buf.h"
#include "report/format.h"

/* The timeline draws at most this many messages, the first ones created;
 * beyond that a browser slows down and the picture is a smear anyway. */
enum { TC_HTML_MAX_ARROWS = 2000 };

/* Text for HTML content or a quoted attribute: & < > " ' escaped, control
 * characters (which HTML forbids) replaced by U+FFFD. NULL writes nothing. */
void tc_html_text(tc_buf *b, const char *s);
/* The same, cut to at most max_chars characters with an ellipsis. */
void tc_html_text_max(tc_buf *b, const char *s, size_t max_chars);

/*
 * A time written by one of report/format.h's formatters (tc_report_duration,
 * tc_report_instant, tc_report_margin): the page writes figures as the
 * terminal summary does. A value never reached is set in class "nr".
 */
typedef void tc_html_time_format(tc_time t, char *buf, size_t n);
void tc_html_time(tc_buf *b, tc_html_time_format *format, tc_time t);

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
