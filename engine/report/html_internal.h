/*
 * The parts of report.html: the page and its tables (html.c), the charts
 * (html_svg.c); and compare.html (compare_html.c). Shared here: the page's
 * head and style, SVG primitives (svg.c), escaping, the adapter to
 * report/format.h's formatters, and the colours and names the charts and
 * their legends must agree on.
 */
#ifndef TC_REPORT_HTML_INTERNAL_H
#define TC_REPORT_HTML_INTERNAL_H

#include <stdint.h>

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

/*
 * The start of a page, up to and including <body>: the Content-Security-
 * Policy that forbids anything but the inline style, the generator's
 * version, the title "TITLE — WHAT" (both escaped), and the shared style
 * followed by extra_style (NULL: none), which must not contain "</style".
 */
void tc_html_page_open(tc_buf *b, const char *version, const char *title, const char *what,
                       const char *extra_style);

/* ---- SVG (svg.c): coordinates in tenths of a pixel --------------------------- */

enum { TC_SVG_PX = 10 };   /* units per pixel */

/* A coordinate: "12", "12.5", "-3.5". */
void tc_svg_coord(tc_buf *b, int64_t v);
/* name="coordinate" with a leading space. */
void tc_svg_attr(tc_buf *b, const char *name, int64_t v);
/* "<TAG class="CLS"": the start of every shape. */
void tc_svg_shape(tc_buf *b, const char *tag, const char *cls);
/* A closed <rect/> from x1 to x2, y to y + h. */
void tc_svg_rect(tc_buf *b, const char *cls, int64_t x1, int64_t x2, int64_t y, int64_t h);
/* An open <line: the caller adds attributes and closes it. */
void tc_svg_line(tc_buf *b, const char *cls, int64_t x1, int64_t y1, int64_t x2, int64_t y2);
/* <svg class="chart CLS" ...> of w by h with its accessible label (HTML). */
void tc_svg_open(tc_buf *b, const char *cls, int64_t w, int64_t h, const char *label);

/* The charts, each a <figure> with its caption. */
void tc_html_timeline(tc_buf *b, const tc_metrics *m);
void tc_html_awareness(tc_buf *b, const tc_metrics *m);
void tc_html_path_bar(tc_buf *b, const tc_critical_path *p);

#endif
