/*
 * compare.json and the terminal table of a comparison (compare.h).
 */
#include "report/compare.h"

#include <math.h>
#include <stdio.h>

#include "core/jsonw.h"
#include "core/version.h"
#include "report/summary_out.h"

enum { COMPARE_VERSION = 1 };

/* Whether a figure of this kind may be absent from a replication (and its
 * chance of being reached is compared). */
static int may_be_absent(tc_figure_kind kind)
{
	return kind == TC_FIGURE_TIME || kind == TC_FIGURE_RATIO;
}

/* ---- compare.json ------------------------------------------------------------ */

static void diff_json(tc_jsonw *w, const char *key, const tc_paired_diff *d)
{
	tc_jsonw_key(w, key);
	tc_jsonw_object(w);
	tc_jsonw_kint(w, "pairs", (int64_t)d->pairs);
	tc_summary_out_number(w, "mean", d->mean);
	tc_summary_out_number(w, "sd", d->sd);
	tc_summary_out_interval(w, "ci", d->ci);
	tc_jsonw_kbool(w, "significant", d->significant);
	tc_jsonw_end(w);
}

static void side_json(tc_jsonw *w, const char *key, const tc_compare_side *s)
{
	tc_jsonw_key(w, key);
	tc_jsonw_object(w);
	tc_jsonw_kstr(w, "label", s->label);
	tc_jsonw_kstr(w, "dir", s->dir);
	tc_jsonw_key(w, "scenario");
	tc_jsonw_object(w);
	tc_jsonw_kstr(w, "file", s->scenario_file);
	tc_jsonw_kstr(w, "name", s->scenario_name);
	tc_jsonw_kstr(w, "sha256", s->scenario_sha256);
	tc_jsonw_end(w);
	tc_jsonw_kstr(w, "doctrine", s->doctrine);
	tc_jsonw_kstrs(w, "sets", s->sets, s->set_count);
	tc_jsonw_key(w, "seed");
	tc_jsonw_uint(w, s->seed);
	tc_jsonw_end(w);
}

static void figure_json(tc_jsonw *w, const tc_paired_figure *f)
{
	tc_jsonw_object(w);
	tc_jsonw_kstr(w, "name", f->name);
	tc_jsonw_kstr(w, "kind", tc_figure_kind_name(f->kind));
	tc_jsonw_kbool(w, "headline", f->headline);
	tc_jsonw_kbool(w, "identical", f->identical);
	tc_jsonw_kint(w, "same", (int64_t)f->same);
	tc_jsonw_key(w, "a");
	tc_jsonw_object(w);
	tc_summary_out_json(w, &f->a);
	tc_jsonw_end(w);
	tc_jsonw_key(w, "b");
	tc_jsonw_object(w);
	tc_summary_out_json(w, &f->b);
	tc_jsonw_end(w);
	if (f->kind == TC_FIGURE_LABEL) {
		tc_jsonw_key(w, "values");
		tc_jsonw_array(w);
		for (size_t i = 0; i < f->label_count; i++) {
			tc_jsonw_object(w);
			tc_jsonw_kstr(w, "value", f->labels[i].value);
			tc_jsonw_kint(w, "a", (int64_t)f->labels[i].a);
			tc_jsonw_kint(w, "b", (int64_t)f->labels[i].b);
			tc_jsonw_end(w);
		}
		tc_jsonw_end(w);
	} else {
		diff_json(w, "difference", &f->value);
	}
	if (may_be_absent(f->kind))
		diff_json(w, "reached_difference", &f->reached);
	if (may_be_absent(f->kind) || f->kind == TC_FIGURE_FLAG) {
		tc_jsonw_kint(w, "a_only", (int64_t)f->a_only);
		tc_jsonw_kint(w, "b_only", (int64_t)f->b_only);
	}
	tc_jsonw_end(w);
}

void tc_compare_json(tc_buf *b, const tc_compare_info *info, const tc_paired *p)
{
	tc_jsonw w;
	tc_jsonw_init(&w, b);
	tc_jsonw_object(&w);
	tc_jsonw_kstr(&w, "format", "tocsin-compare");
	tc_jsonw_kint(&w, "version", COMPARE_VERSION);
	tc_jsonw_kstr(&w, "tocsin", TOCSIN_VERSION);
	tc_jsonw_kstr(&w, "variants", info->variants);
	tc_jsonw_kbool(&w, "independent", info->independent);
	tc_summary_out_number(&w, "level", TC_SUMMARY_LEVEL);
	tc_jsonw_kint(&w, "replications", (int64_t)p->replications);
	tc_jsonw_kint(&w, "first", p->first_replication);
	tc_jsonw_kint(&w, "last", (int64_t)p->last_replication + 1);
	side_json(&w, "a", &info->a);
	side_json(&w, "b", &info->b);
	tc_jsonw_kbool(&w, "identical", p->identical);
	size_t significant = 0;
	for (size_t i = 0; i < p->figure_count; i++)
		significant += p->figures[i].value.significant ||
		               (may_be_absent(p->figures[i].kind) && p->figures[i].reached.significant);
	tc_jsonw_kint(&w, "significant", (int64_t)significant);
	tc_jsonw_kstrs(&w, "only_a", p->only_a, p->only_a_count);
	tc_jsonw_kstrs(&w, "only_b", p->only_b, p->only_b_count);
	tc_jsonw_key(&w, "figures");
	tc_jsonw_array(&w);
	for (size_t i = 0; i < p->figure_count; i++)
		figure_json(&w, &p->figures[i]);
	tc_jsonw_end(&w);
	tc_jsonw_end(&w);
	tc_buf_addc(b, '\n');
}

/* ---- the terminal table ------------------------------------------------------ */

/* A difference right-aligned in width: signed, a share for shares. */
static void diff_cell(tc_buf *b, tc_figure_kind kind, double v, int share, int width)
{
	tc_summary_out_cell(b, kind, v, TC_SUMMARY_OUT_SIGNED | (share ? TC_SUMMARY_OUT_SHARE : 0),
	                    width);
}

static const char *mark(const tc_paired_figure *f, const tc_paired_diff *d)
{
	return f->identical || d->zero ? " =" : d->significant ? " *" : "";
}

/* "  B - A [lo, hi] *" */
static void diff_cells(tc_buf *b, const tc_paired_figure *f, const tc_paired_diff *d, int share)
{
	diff_cell(b, f->kind, d->mean, share, 10);
	tc_buf_adds(b, " [");
	diff_cell(b, f->kind, d->ci.lo, share, 8);
	tc_buf_addc(b, ',');
	diff_cell(b, f->kind, d->ci.hi, share, 8);
	tc_buf_adds(b, "]");
	tc_buf_adds(b, mark(f, d));
	tc_buf_addc(b, '\n');
}

static void figure_line(tc_buf *b, const tc_paired_figure *f)
{
	tc_summary_out_name_cell(b, f->name);
	tc_summary_out_cell(b, f->kind, f->a.mean, 0, 10);
	tc_summary_out_cell(b, f->kind, f->b.mean, 0, 10);
	diff_cells(b, f, &f->value, 0);
	if (may_be_absent(f->kind) && (f->a.reached < f->a.n || f->b.reached < f->b.n)) {
		tc_summary_out_name_cell(b, "    reached");
		tc_summary_out_share_cell(b, f->a.reached, f->a.n, 10);
		tc_summary_out_share_cell(b, f->b.reached, f->b.n, 10);
		diff_cells(b, f, &f->reached, 1);
	}
}

static void label_side(tc_buf *b, const tc_paired_figure *f, int side)
{
	char text[160];
	uint64_t n = side ? f->b.n : f->a.n;
	/* This side's three most frequent values, ties in the joint order. */
	size_t chosen[3], shown = 0;
	while (shown < 3) {
		size_t best = f->label_count;
		uint64_t most = 0;
		for (size_t i = 0; i < f->label_count; i++) {
			uint64_t c = side ? f->labels[i].b : f->labels[i].a;
			int taken = 0;
			for (size_t k = 0; k < shown; k++)
				taken |= chosen[k] == i;
			if (c > most && !taken) {
				most = c;
				best = i;
			}
		}
		if (best == f->label_count)
			break;
		snprintf(text, sizeof text, "%s%s %.1f%%", shown ? ", " : "", f->labels[best].value,
		         100.0 * (double)most / (double)(n ? n : 1));
		tc_buf_adds(b, text);
		chosen[shown++] = best;
	}
	if (!shown)
		tc_buf_adds(b, "none");
}

static void label_line(tc_buf *b, const tc_paired_figure *f)
{
	tc_summary_out_name_cell(b, f->name);
	tc_buf_adds(b, f->identical ? "= on every replication\n" : "\n");
	tc_buf_adds(b, "      A: ");
	label_side(b, f, 0);
	tc_buf_adds(b, "\n      B: ");
	label_side(b, f, 1);
	tc_buf_addc(b, '\n');
}

static void side_text(tc_buf *b, const char *dir, const char *name, const tc_compare_side *s)
{
	char line[1024];
	snprintf(line, sizeof line, "  %s: %.300s\n     %.300s/%.100s, seed %llu\n", name, s->label,
	         dir, s->dir, (unsigned long long)s->seed);
	tc_buf_adds(b, line);
}

void tc_compare_text(tc_buf *b, const tc_compare_info *info, const tc_paired *p, int colour)
{
	const char *bold = colour ? "\033[1m" : "", *off = colour ? "\033[0m" : "";
	char line[512];
	const char *name = info->a.scenario_name ? info->a.scenario_name : info->a.scenario_file;
	snprintf(line, sizeof line, "%stocsin compare: %s%s\n", bold, name, off);
	tc_buf_adds(b, line);
	side_text(b, info->dir, "A", &info->a);
	side_text(b, info->dir, "B", &info->b);
	snprintf(line, sizeof line, "  replications %lu to %lu, %s\n",
	         (unsigned long)p->first_replication, (unsigned long)p->last_replication,
	         info->independent ? "independent draws (B on its own seed)"
	                           : "paired: common random numbers");
	tc_buf_adds(b, line);
	if (p->identical) {
		tc_buf_adds(b, "\n  A and B are identical on every replication: every difference is "
		               "exactly 0.\n");
		return;
	}
	snprintf(line, sizeof line, "\n  %-44s%10s%10s%10s  %-19s\n", "figure (headline)", "A", "B",
	         "B - A", "[95% CI]");
	tc_buf_adds(b, line);
	for (size_t i = 0; i < p->figure_count; i++) {
		const tc_paired_figure *f = &p->figures[i];
		if (!f->headline || f->kind == TC_FIGURE_FLAG || f->kind == TC_FIGURE_LABEL)
			continue;
		figure_line(b, f);
	}
	int any = 0;
	for (size_t i = 0; i < p->figure_count; i++) {
		const tc_paired_figure *f = &p->figures[i];
		if (f->kind != TC_FIGURE_FLAG)
			continue;
		if (!any++) {
			snprintf(line, sizeof line, "\n  %-44s%10s%10s%10s  %-19s\n", "objective met", "A",
			         "B", "B - A", "[95% CI]");
			tc_buf_adds(b, line);
		}
		tc_summary_out_name_cell(b, f->name);
		tc_summary_out_share_cell(b, f->a.reached, f->a.n, 10);
		tc_summary_out_share_cell(b, f->b.reached, f->b.n, 10);
		diff_cells(b, f, &f->value, 1);
	}
	any = 0;
	for (size_t i = 0; i < p->figure_count; i++) {
		const tc_paired_figure *f = &p->figures[i];
		if (!f->headline || f->kind != TC_FIGURE_LABEL)
			continue;
		if (!any++)
			tc_buf_addc(b, '\n');
		label_line(b, f);
	}
	tc_buf_adds(b, "\n  * the 95% interval of B - A excludes 0;  = no difference on any "
	               "replication\n");
	if (p->only_a_count || p->only_b_count) {
		snprintf(line, sizeof line, "  %zu figures of A only and %zu of B only are not "
		         "compared (compare.json lists them)\n", p->only_a_count, p->only_b_count);
		tc_buf_adds(b, line);
	}
}
