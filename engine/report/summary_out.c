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

void tc_summary_out_cell(tc_buf *b, tc_figure_kind kind, double v, int width)
{
	char text[TC_REPORT_FMT_SIZE], cell[64];
	if (isnan(v))
		snprintf(text, sizeof text, "-");
	else if (kind == TC_FIGURE_TIME)
		tc_report_duration((tc_time)llround(v), text, sizeof text);
	else
		snprintf(text, sizeof text, "%.*f", fabs(v) < 10 ? 2 : 1, v);
	snprintf(cell, sizeof cell, "%*s", width, text);
	tc_buf_adds(b, cell);
}
