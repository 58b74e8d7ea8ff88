/*
 * Statistics across replications, written out (summary_out.h).
 */
#include "report/summary_out.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

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

void tc_summary_out_label(const char *column, char *out, size_t n)
{
	static const struct {
		const char *prefix, *suffix, *words;
	} shapes[] = {
		{"incident/", "/time_to_cop_ms", ": common picture"},
		{"incident/", "/path/bottleneck", ": bottleneck"},
		{"objective/", "/elapsed_ms", ": time taken"},
		{"objective/", "/met", ""},
	};
	size_t len = strlen(column);
	for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++) {
		size_t p = strlen(shapes[i].prefix), q = strlen(shapes[i].suffix);
		if (len > p + q && strncmp(column, shapes[i].prefix, p) == 0 &&
		    strcmp(column + len - q, shapes[i].suffix) == 0 &&
		    !memchr(column + p, '/', len - p - q)) {
			snprintf(out, n, "%.*s%s", (int)(len - p - q), column + p, shapes[i].words);
			return;
		}
	}
	const char *level = strstr(column, "/level/");
	if (strncmp(column, "incident/", 9) == 0 && level && len > 7 &&
	    strcmp(column + len - 7, "/all_ms") == 0) {
		const char *name = level + 7;
		snprintf(out, n, "%.*s: all %.*s aware", (int)(level - column - 9), column + 9,
		         (int)(column + len - 7 - name), name);
		return;
	}
	snprintf(out, n, "%s", column);
}

void tc_summary_out_name_cell(tc_buf *b, const char *column)
{
	char name[256], cell[300];
	tc_summary_out_label(column, name, sizeof name);
	snprintf(cell, sizeof cell, "  %-44.44s", name);
	tc_buf_adds(b, cell);
}

void tc_summary_out_share_cell(tc_buf *b, uint64_t count, uint64_t n, int width)
{
	char cell[64];
	snprintf(cell, sizeof cell, "%*.1f%%", width - 1,
	         n ? 100.0 * (double)count / (double)n : 0.0);
	tc_buf_adds(b, cell);
}
