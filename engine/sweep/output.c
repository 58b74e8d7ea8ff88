/*
 * summary.json and the terminal table of a sweep.
 */
#include "sweep/output.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/jsonw.h"
#include "core/version.h"
#include "report/summary_out.h"

enum { SUMMARY_VERSION = 1 };

static void figure_json(tc_jsonw *w, const tc_summary_figure *f)
{
	tc_jsonw_object(w);
	tc_jsonw_kstr(w, "name", f->name);
	tc_jsonw_kstr(w, "kind", tc_figure_kind_name(f->kind));
	tc_summary_out_json(w, f);
	if (f->kind == TC_FIGURE_LABEL) {
		tc_jsonw_key(w, "values");
		tc_jsonw_array(w);
		for (size_t i = 0; i < f->label_count; i++) {
			tc_jsonw_object(w);
			tc_jsonw_kstr(w, "value", f->labels[i].value);
			tc_jsonw_kint(w, "count", (int64_t)f->labels[i].count);
			tc_jsonw_end(w);
		}
		tc_jsonw_end(w);
	}
	tc_jsonw_end(w);
}

void tc_sweep_summary_json(tc_buf *b, const tc_manifest *m, const tc_summary *s)
{
	tc_jsonw w;
	tc_jsonw_init(&w, b);
	tc_jsonw_object(&w);
	tc_jsonw_kstr(&w, "format", "tocsin-sweep-summary");
	tc_jsonw_kint(&w, "version", SUMMARY_VERSION);
	tc_manifest_json_run(&w, m);
	tc_jsonw_kint(&w, "first", m->first);
	tc_jsonw_kint(&w, "last", m->last);
	tc_summary_out_number(&w, "level", TC_SUMMARY_LEVEL);
	tc_jsonw_key(&w, "blocks");
	tc_jsonw_array(&w);
	for (size_t i = 0; i < s->block_count; i++) {
		const tc_summary_block *blk = &s->blocks[i];
		tc_jsonw_object(&w);
		tc_jsonw_kstrs(&w, "values", blk->values, s->key_count);
		tc_jsonw_kint(&w, "replications", (int64_t)blk->replications);
		tc_jsonw_key(&w, "figures");
		tc_jsonw_array(&w);
		for (size_t f = 0; f < s->figure_count; f++)
			figure_json(&w, &blk->figures[f]);
		tc_jsonw_end(&w);
		tc_jsonw_end(&w);
	}
	tc_jsonw_end(&w);
	tc_jsonw_end(&w);
	tc_buf_addc(b, '\n');
}

/* ---- the terminal table ----------------------------------------------------- */

static void figure_line(tc_buf *b, const tc_summary_figure *f)
{
	tc_summary_out_name_cell(b, f->name);
	tc_summary_out_share_cell(b, f->reached, f->n, 7);
	tc_summary_out_cell(b, f->kind, f->mean, 0, 9);
	tc_buf_adds(b, " [");
	tc_summary_out_cell(b, f->kind, f->mean_ci.lo, 0, 8);
	tc_buf_addc(b, ',');
	tc_summary_out_cell(b, f->kind, f->mean_ci.hi, 0, 8);
	tc_buf_adds(b, "]");
	tc_summary_out_cell(b, f->kind, f->p10, 0, 9);
	tc_summary_out_cell(b, f->kind, f->p50, 0, 9);
	tc_summary_out_cell(b, f->kind, f->p90, 0, 9);
	tc_buf_addc(b, '\n');
}

static void flag_line(tc_buf *b, const tc_summary_figure *f)
{
	char line[160];
	tc_summary_out_name_cell(b, f->name);
	snprintf(line, sizeof line, "%6.1f%%  [%5.1f%%, %5.1f%%]  of %llu\n",
	         100.0 * (double)f->reached / (double)(f->n ? f->n : 1), 100.0 * f->reached_ci.lo,
	         100.0 * f->reached_ci.hi, (unsigned long long)f->n);
	tc_buf_adds(b, line);
}

static void label_line(tc_buf *b, const tc_summary_figure *f)
{
	char line[160];
	tc_summary_out_name_cell(b, f->name);
	for (size_t i = 0; i < f->label_count && i < 3; i++) {
		snprintf(line, sizeof line, "%s%s %.1f%%", i ? ", " : "", f->labels[i].value,
		         100.0 * (double)f->labels[i].count / (double)(f->n ? f->n : 1));
		tc_buf_adds(b, line);
	}
	if (f->label_count > 3)
		tc_buf_adds(b, ", ...");
	tc_buf_addc(b, '\n');
}

void tc_sweep_summary_text(tc_buf *b, const tc_manifest *m, const tc_summary *s, int colour)
{
	const char *bold = colour ? "\033[1m" : "", *off = colour ? "\033[0m" : "";
	char line[512];
	snprintf(line, sizeof line, "%stocsin sweep: %s%s\n  %s, seed %llu, replications %lu to %lu\n",
	         bold, m->scenario_name ? m->scenario_name : m->scenario_file, off,
	         m->scenario_file, (unsigned long long)m->seed, (unsigned long)m->first,
	         (unsigned long)m->last - 1);
	tc_buf_adds(b, line);
	for (size_t i = 0; i < s->block_count; i++) {
		const tc_summary_block *blk = &s->blocks[i];
		tc_buf_addc(b, '\n');
		if (s->key_count) {
			tc_buf_adds(b, bold);
			for (size_t k = 0; k < s->key_count; k++) {
				snprintf(line, sizeof line, "%s%s=%s", k ? ", " : "", m->keys[k],
				         blk->values[k]);
				tc_buf_adds(b, line);
			}
			tc_buf_adds(b, off);
			tc_buf_addc(b, '\n');
		}
		snprintf(line, sizeof line, "  %-44s%7s%9s  %-19s%9s%9s%9s\n", "figure",
		         "reached", "mean", "[95% CI]", "p10", "p50", "p90");
		tc_buf_adds(b, line);
		for (size_t f = 0; f < s->figure_count; f++) {
			const tc_summary_figure *sf = &blk->figures[f];
			if (!m->columns[f].headline || sf->kind == TC_FIGURE_FLAG)
				continue;
			if (sf->kind == TC_FIGURE_LABEL)
				label_line(b, sf);
			else
				figure_line(b, sf);
		}
		int any = 0;
		for (size_t f = 0; f < s->figure_count; f++) {
			const tc_summary_figure *sf = &blk->figures[f];
			if (sf->kind != TC_FIGURE_FLAG)
				continue;
			if (!any++) {
				snprintf(line, sizeof line, "  %-44s%7s  %-16s\n", "objective met", "p",
				         "[95% CI]");
				tc_buf_adds(b, line);
			}
			flag_line(b, sf);
		}
	}
}
