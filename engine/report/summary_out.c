/*
 * Statistics across replications, written out (summary_out.h).
 */
#include "report/summary_out.h"

#include <math.h>
#include <stdio.h>

#include "report/format.h"

void tc_summary_out_number(tc_jsonw *w, const char *key, double v)
{
	tc_jsonw_key(w, key);
	tc_jsonw_double(w, v); /* null when NaN */
}

void tc_summary_out_interval(tc_jsonw *w, const char *key, tc_ci ci)
{
	tc_jsonw_key(w, key);
	tc_jsonw_array(w);
	tc_jsonw_double(w, ci.lo);
	tc_jsonw_double(w, ci.hi);
	tc_jsonw_end(w);
}

void tc_summary_out_json(tc_jsonw *w, const tc_summary_figure *f)
{
	tc_jsonw_kint(w, "n", (int64_t)f->n);
	tc_jsonw_kint(w, "count", (int64_t)f->reached);
	tc_summary_out_number(w, "p", f->n ? (double)f->reached / (double)f->n : NAN);
	tc_summary_out_interval(w, "p_ci", f->reached_ci);
	if (f->kind == TC_FIGURE_LABEL || f->kind == TC_FIGURE_FLAG)
		return;
	tc_summary_out_number(w, "mean", f->mean);
	tc_summary_out_interval(w, "mean_ci", f->mean_ci);
	tc_summary_out_number(w, "sd", f->sd);
	tc_summary_out_number(w, "min", f->min);
	tc_summary_out_number(w, "p10", f->p10);
	tc_summary_out_number(w, "p50", f->p50);
	tc_summary_out_number(w, "p90", f->p90);
	tc_summary_out_number(w, "p99", f->p99);
	tc_summary_out_number(w, "max", f->max);
}

void tc_summary_out_format(char *buf, size_t n, tc_figure_kind kind, double v, unsigned how)
{
	int sign = (how & TC_SUMMARY_OUT_SIGNED) != 0;
	if (isnan(v))
		snprintf(buf, n, "-");
	else if (how & TC_SUMMARY_OUT_SHARE)
		snprintf(buf, n, sign ? "%+.1f%%" : "%.1f%%", 100.0 * v + 0.0); /* no "-0.0" */
	else if (kind == TC_FIGURE_TIME && sign)
		tc_report_margin((tc_time)llround(v), buf, n);
	else if (kind == TC_FIGURE_TIME)
		tc_report_duration((tc_time)llround(v), buf, n);
	else
		snprintf(buf, n, sign ? "%+.*f" : "%.*f", fabs(v) < 10 ? 2 : 1, v + 0.0);
}

void tc_summary_out_cell(tc_buf *b, tc_figure_kind kind, double v, unsigned how, int width)
{
	char text[TC_REPORT_FMT_SIZE], cell[64];
	tc_summary_out_format(text, sizeof text, kind, v, how);
	snprintf(cell, sizeof cell, "%*s", width, text);
	tc_buf_adds(b, cell);
}
