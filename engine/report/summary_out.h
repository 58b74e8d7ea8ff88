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

/* How a value is written: with "+" before a positive value, as a share
 * (0.25 is "25.0%"). */
enum { TC_SUMMARY_OUT_SIGNED = 1, TC_SUMMARY_OUT_SHARE = 2 };

/* v as people read it: a share as a percentage with one decimal, a time as
 * a duration (report/format.h), any other number with two decimals under
 * 10 and one above; "-" for NaN. how: TC_SUMMARY_OUT_* or 0. */
void tc_summary_out_format(char *buf, size_t n, tc_figure_kind kind, double v, unsigned how);
/* The same, right-aligned in a cell of width. */
void tc_summary_out_cell(tc_buf *b, tc_figure_kind kind, double v, unsigned how, int width);

/*
 * A column of replications.csv as people read it: "incident/ransomware/
 * time_to_cop_ms" is "ransomware: common picture", "incident/x/level/
 * strategic/all_ms" is "x: all strategic aware", "objective/o/elapsed_ms"
 * is "o: time taken", "objective/o/met" is "o". Other columns stay as
 * they are. Truncates to n bytes.
 */
void tc_summary_out_label(const char *column, char *out, size_t n);
/* A terminal table's first cell: the column's label, 44 characters wide. */
void tc_summary_out_name_cell(tc_buf *b, const char *column);
/* count / n as a percentage with one decimal, right-aligned in width
 * characters ("  97.5%"); 0.0% when n is 0. */
void tc_summary_out_share_cell(tc_buf *b, uint64_t count, uint64_t n, int width);

#endif
