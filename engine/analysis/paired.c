/*
 * The paired comparison, read back from the two sides' replications.csv.
 * A first pass checks that the rows pair up (the same replications, in the
 * same order); then the figures both sides have are taken a group of
 * columns at a time, both files read in step, each column's values held
 * for both sides, the differences taken in row order and dropped.
 */
#include "analysis/paired.h"

#include <assert.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/rows.h"
#include "core/error.h"
#include "core/strmap.h"

#define DEFAULT_BUDGET ((size_t)256 << 20)

/* A figure both sides have: its column on each side, 0-based among the
 * figures. */
typedef struct column {
	size_t a, b;
} column;

typedef struct pairing {
	tc_paired *p;
	tc_alloc *alloc;
	const tc_paired_side *side[2];
	column *columns;           /* per figure of p */
	tc_rows rows[2];
	char *err;
	size_t errlen;
} pairing;

static int out_of_memory(pairing *g)
{
	snprintf(g->err, g->errlen, "out of memory");
	return TC_ENOMEM;
}

/* ---- which figures both sides have ------------------------------------------ */

static int index_names(pairing *g, const tc_paired_side *s, tc_strmap *names)
{
	assert(s->figure_count < INT_MAX);
	for (size_t j = 0; j < s->figure_count; j++) {
		int rc = tc_strmap_put(names, s->figures[j].name, (int)j, NULL);
		if (rc == 1) {
			snprintf(g->err, g->errlen, "%s: the column '%s' twice", s->path,
			         s->figures[j].name);
			return TC_EINVAL;
		}
		if (rc)
			return out_of_memory(g);
	}
	return TC_OK;
}

static int match_columns(pairing *g)
{
	tc_paired *p = g->p;
	const tc_paired_side *a = g->side[0], *b = g->side[1];
	tc_strmap names_a, names_b;
	tc_strmap_init(&names_a, g->alloc);
	tc_strmap_init(&names_b, g->alloc);
	unsigned char *paired_b = tc_calloc(g->alloc, b->figure_count + 1, 1);
	g->columns = tc_calloc(g->alloc, a->figure_count + 1, sizeof *g->columns);
	p->figures = tc_arena_alloc(&p->arena, (a->figure_count + 1) * sizeof *p->figures);
	p->only_a = tc_arena_alloc(&p->arena, (a->figure_count + 1) * sizeof *p->only_a);
	p->only_b = tc_arena_alloc(&p->arena, (b->figure_count + 1) * sizeof *p->only_b);
	int rc = paired_b && g->columns && p->figures && p->only_a && p->only_b
	         ? TC_OK : out_of_memory(g);
	if (!rc)
		rc = index_names(g, a, &names_a);
	if (!rc)
		rc = index_names(g, b, &names_b);
	for (size_t i = 0; !rc && i < a->figure_count; i++) {
		const tc_figure *fa = &a->figures[i];
		int j = tc_strmap_get(&names_b, fa->name);
		if (j < 0 || b->figures[j].kind != fa->kind) {
			p->only_a[p->only_a_count++] = fa->name;
			continue;
		}
		paired_b[j] = 1;
		g->columns[p->figure_count] = (column){i, (size_t)j};
		tc_paired_figure *f = &p->figures[p->figure_count++];
		*f = (tc_paired_figure){.name = fa->name, .kind = fa->kind, .headline = fa->headline};
		f->a = f->b = (tc_summary_figure){.name = fa->name, .kind = fa->kind};
	}
	for (size_t j = 0; !rc && j < b->figure_count; j++)
		if (!paired_b[j])
			p->only_b[p->only_b_count++] = b->figures[j].name;
	tc_strmap_release(&names_a);
	tc_strmap_release(&names_b);
	tc_free(g->alloc, paired_b, b->figure_count + 1);
	return rc;
}

/* ---- the rows ----------------------------------------------------------------- */

static int open_both(pairing *g)
{
	for (int s = 0; s < 2; s++) {
		tc_rows_close(&g->rows[s]);
		int rc = tc_rows_open(&g->rows[s], g->alloc, g->side[s]->path, g->err, g->errlen);
		if (rc)
			return rc;
	}
	return TC_OK;
}

static void close_both(pairing *g)
{
	tc_rows_close(&g->rows[0]);
	tc_rows_close(&g->rows[1]);
}

/* The next row of both files: TC_OK, 1 when both ended, or an error (one
 * ended before the other). */
static int next_both(pairing *g)
{
	int end[2];
	for (int s = 0; s < 2; s++)
		if ((end[s] = tc_rows_next(&g->rows[s])) < 0)
			return end[s];
	if (end[0] != end[1]) {
		int longer = end[0] ? 1 : 0;
		return tc_rows_fail(&g->rows[longer], "%s has no row for this one: both sides must "
		                    "have the same replications", g->rows[!longer].path);
	}
	return end[0];
}

/* Pass 1: the rows pair up, replication by replication. */
static int check_rows(pairing *g)
{
	tc_paired *p = g->p;
	int rc;
	while ((rc = next_both(g)) == 0) {
		uint32_t rep[2];
		for (int s = 0; s < 2; s++) {
			tc_rows *r = &g->rows[s];
			size_t want = 1 + g->side[s]->figure_count;
			if (r->count != want)
				return tc_rows_fail(r, "expected %zu fields, found %zu", want, r->count);
			if (tc_rows_replication(r->field[0], &rep[s]))
				return tc_rows_fail(r, "replication: expected a whole number, got '%s'",
				                    r->field[0]);
		}
		if (rep[0] != rep[1])
			return tc_rows_fail(&g->rows[1], "replication %lu where %s has %lu: both sides "
			                    "must have the same replications", (unsigned long)rep[1],
			                    g->rows[0].path, (unsigned long)rep[0]);
		if (p->replications && rep[0] <= p->last_replication)
			return tc_rows_fail(&g->rows[0], "replication %lu after %lu: expected increasing "
			                    "replications", (unsigned long)rep[0],
			                    (unsigned long)p->last_replication);
		if (!p->replications)
			p->first_replication = rep[0];
		p->last_replication = rep[0];
		p->replications++;
	}
	if (rc < 0)
		return rc;
	if (!p->replications)
		return tc_rows_fail(&g->rows[0], "no replications after the header");
	return TC_OK;
}

/* ---- one figure ---------------------------------------------------------------- */

static void difference(tc_paired_diff *d, const tc_welford *w, int all_zero)
{
	*d = (tc_paired_diff){.pairs = w->n, .mean = NAN, .sd = NAN, .ci = {NAN, NAN}};
	if (!w->n)
		return;
	if (all_zero) {
		/* Identical sides: report the exact 0 rather than an interval
		 * computed from a zero variance. */
		d->mean = d->sd = 0;
		d->ci = (tc_ci){0, 0};
		d->zero = 1;
		return;
	}
	d->mean = w->mean;
	d->sd = tc_welford_sd(w);
	d->ci = tc_mean_interval(w, TC_SUMMARY_LEVEL);
	d->significant = d->ci.lo > 0 || d->ci.hi < 0; /* false when NaN */
}

/* The side's values present, first and in row order; their count. */
static uint64_t compact(double *v, uint64_t n)
{
	uint64_t k = 0;
	for (uint64_t i = 0; i < n; i++)
		if (!isnan(v[i]))
			v[k++] = v[i];
	return k;
}

/* Figure f from its n values on each side (NaN: none), in row order. */
static void finish_figure(tc_paired_figure *f, double *a, double *b, uint64_t n)
{
	int flag = f->kind == TC_FIGURE_FLAG, label = f->kind == TC_FIGURE_LABEL;
	tc_welford value, reached;
	tc_welford_init(&value);
	tc_welford_init(&reached);
	int value_zero = 1, reached_zero = 1;
	uint64_t ones_a = 0, ones_b = 0;
	for (uint64_t i = 0; i < n; i++) {
		int ha = !isnan(a[i]), hb = !isnan(b[i]);
		if (flag) {
			ones_a += a[i] == 1;
			ones_b += b[i] == 1;
			f->a_only += a[i] > b[i];
			f->b_only += b[i] > a[i];
		} else {
			f->a_only += ha && !hb;
			f->b_only += hb && !ha;
			double dr = (double)hb - (double)ha;
			tc_welford_add(&reached, dr);
			reached_zero &= dr == 0;
		}
		if (!label)
			f->same += ha == hb && (!ha || a[i] == b[i]);
		if (!label && ha && hb) {
			double d = b[i] - a[i];
			tc_welford_add(&value, d);
			value_zero &= d == 0;
		}
	}
	difference(&f->value, &value, value_zero);
	difference(&f->reached, &reached, reached_zero);
	uint64_t present_a = compact(a, n), present_b = compact(b, n);
	tc_summary_numbers(&f->a, a, n, flag ? ones_a : present_a);
	tc_summary_numbers(&f->b, b, n, flag ? ones_b : present_b);
	f->identical = f->same == n;
}

/* ---- labels ------------------------------------------------------------------ */

static int count_label(pairing *g, tc_paired_figure *f, size_t *cap, const char *value,
                       int side)
{
	tc_paired_label *l = NULL;
	for (size_t i = 0; i < f->label_count && !l; i++)
		if (strcmp(f->labels[i].value, value) == 0)
			l = &f->labels[i];
	if (!l) {
		if (f->label_count == *cap &&
		    tc_grow(g->alloc, (void **)&f->labels, cap, f->label_count + 1, sizeof *f->labels))
			return out_of_memory(g);
		const char *copy = tc_arena_strdup(&g->p->arena, value);
		if (!copy)
			return out_of_memory(g);
		l = &f->labels[f->label_count++];
		*l = (tc_paired_label){.value = copy};
	}
	if (side)
		l->b++;
	else
		l->a++;
	return TC_OK;
}

static int compare_labels(const void *pa, const void *pb)
{
	const tc_paired_label *x = pa, *y = pb;
	uint64_t nx = x->a + x->b, ny = y->a + y->b;
	if (nx != ny)
		return nx > ny ? -1 : 1;
	return strcmp(x->value, y->value);
}

/* Sort f's labels and move them into the arena. */
static int settle_labels(pairing *g, tc_paired_figure *f, size_t cap)
{
	if (!f->labels)
		return TC_OK;
	qsort(f->labels, f->label_count, sizeof *f->labels, compare_labels);
	tc_paired_label *kept = tc_arena_alloc(&g->p->arena, f->label_count * sizeof *kept);
	if (kept)
		memcpy(kept, f->labels, f->label_count * sizeof *kept);
	tc_free(g->alloc, f->labels, cap * sizeof *f->labels);
	f->labels = kept;
	return kept ? TC_OK : out_of_memory(g);
}

/* ---- a group of figures ----------------------------------------------------- */

/* Field text of side s's column for figure k: its value (NaN: none). */
static int read_value(pairing *g, int s, size_t k, double *out)
{
	const tc_paired_figure *f = &g->p->figures[k];
	size_t col = s ? g->columns[k].b : g->columns[k].a;
	const char *text = g->rows[s].field[1 + col];
	int bad = 0;
	*out = tc_rows_value(text, f->kind, &bad);
	if (bad)
		return tc_rows_fail(&g->rows[s], "%s: expected a %s, got '%s'", f->name,
		                    tc_figure_kind_name(f->kind), text);
	return TC_OK;
}

/* One pass over both files for figures [from, to). */
static int gather(pairing *g, size_t from, size_t to)
{
	tc_paired *p = g->p;
	size_t width = to - from;
	uint64_t n = p->replications;
	size_t bytes = (size_t)n * width * sizeof(double) + 1;
	double *va = tc_malloc(g->alloc, bytes), *vb = tc_malloc(g->alloc, bytes);
	size_t *label_cap = tc_calloc(g->alloc, width + 1, sizeof *label_cap);
	int rc = va && vb && label_cap ? open_both(g) : out_of_memory(g);
	for (int s = 0; s < 2 && !rc; s++)
		rc = tc_rows_next(&g->rows[s]); /* the header, checked */
	/* Figure from + k's values: va[k * n + row]. */
	for (uint64_t row = 0; row < n && !rc; row++) {
		if ((rc = next_both(g)) == 1)
			rc = tc_rows_fail(&g->rows[0], "the file changed while it was read");
		for (int s = 0; s < 2 && !rc; s++)
			if (g->rows[s].count != 1 + g->side[s]->figure_count)
				rc = tc_rows_fail(&g->rows[s], "the file changed while it was read");
		for (size_t k = 0; k < width && !rc; k++) {
			tc_paired_figure *f = &p->figures[from + k];
			double *a = &va[k * n + row], *b = &vb[k * n + row];
			rc = read_value(g, 0, from + k, a);
			if (!rc)
				rc = read_value(g, 1, from + k, b);
			if (rc || f->kind != TC_FIGURE_LABEL)
				continue;
			const char *ta = g->rows[0].field[1 + g->columns[from + k].a];
			const char *tb = g->rows[1].field[1 + g->columns[from + k].b];
			f->same += strcmp(ta, tb) == 0;
			if (*ta)
				rc = count_label(g, f, &label_cap[k], ta, 0);
			if (!rc && *tb)
				rc = count_label(g, f, &label_cap[k], tb, 1);
		}
	}
	size_t settled = 0;
	for (; settled < width && !rc; settled++) {
		finish_figure(&p->figures[from + settled], &va[settled * n], &vb[settled * n], n);
		rc = settle_labels(g, &p->figures[from + settled], label_cap[settled]);
	}
	/* After a failure, the label lists not yet moved into the arena. */
	for (size_t k = settled; label_cap && k < width; k++) {
		tc_paired_figure *f = &p->figures[from + k];
		if (f->labels)
			tc_free(g->alloc, f->labels, label_cap[k] * sizeof *f->labels);
		f->labels = NULL;
		f->label_count = 0;
	}
	tc_free(g->alloc, va, bytes);
	tc_free(g->alloc, vb, bytes);
	tc_free(g->alloc, label_cap, (width + 1) * sizeof *label_cap);
	return rc;
}

int tc_paired_read(tc_paired *p, tc_alloc *alloc, const tc_paired_side *a,
                   const tc_paired_side *b, size_t budget, char *err, size_t errlen)
{
	*p = (tc_paired){0};
	tc_arena_init(&p->arena, alloc);
	pairing g = {.p = p, .alloc = alloc, .side = {a, b}, .err = err, .errlen = errlen};
	int rc = open_both(&g);
	for (int s = 0; s < 2 && !rc; s++)
		rc = tc_rows_header(&g.rows[s], NULL, 0, g.side[s]->figures, g.side[s]->figure_count);
	if (!rc)
		rc = match_columns(&g);
	if (!rc)
		rc = check_rows(&g);
	size_t per_column = 2 * (size_t)p->replications * sizeof(double);
	size_t group = (budget ? budget : DEFAULT_BUDGET) / (per_column ? per_column : 1);
	if (group < 1)
		group = 1;
	for (size_t from = 0; !rc && from < p->figure_count; from += group)
		rc = gather(&g, from, from + group < p->figure_count ? from + group : p->figure_count);
	close_both(&g);
	if (!rc) {
		p->identical = !p->only_a_count && !p->only_b_count;
		for (size_t i = 0; i < p->figure_count; i++)
			p->identical &= p->figures[i].identical;
	}
	tc_free(alloc, g.columns, (a->figure_count + 1) * sizeof *g.columns);
	if (rc)
		tc_paired_release(p);
	return rc;
}

void tc_paired_release(tc_paired *p)
{
	tc_arena_release(&p->arena);
	*p = (tc_paired){0};
}
