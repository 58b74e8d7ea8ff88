/*
 * A figure's statistics across replications (analysis/summary.h) as the
 * sweep's summary and the comparison of two sweeps write them: the same
 * JSON members and the same terminal cells in both.
 */
#ifndef TC_REPORT_SUMMARY_OUT_H
#define TC_REPORT_SUMMARY_OUT_H

#include "analysis/summary.h"
#include "core/buf.h"
#include "core/jsonw.h"

/* "key": v, null when NaN. */
void tc_summary_out_number(tc_jsonw *w, const char *key, double v);
/* "key": [lo, hi], each null when NaN. */
void tc_summary_out_interval(tc_jsonw *w, const char *key, tc_ci ci);
/*
 * The members of f in an open object: "n", "count" (replications reached;
 * flags: met), "p" and "p_ci" (its share, Wilson interval), then for
 * times, counts and ratios "mean", "mean_ci", "sd", "min", "p10", "p50",
 * "p90", "p99" and "max" over the replications reached.
 */
void tc_summary_out_json(tc_jsonw *w, const tc_summary_figure *f);

/* A cell right-aligned in width: a duration for times (negative with
 * "-"), else the number with two decimals under 10 and one above; "-" for
 * NaN. */
void tc_summary_out_cell(tc_buf *b, tc_figure_kind kind, double v, int width);

#endif
