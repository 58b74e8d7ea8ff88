/*
 * Statistics of a sweep, read back from replications.csv. A first pass
 * finds the blocks and checks every row; then the figures are taken a group
 * of columns at a time (as many as the memory budget holds for every row),
 * each column's values gathered in row order, summarised and dropped.
 */
#include "analysis/summary.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/rows.h"
#include "core/error.h"

#define DEFAULT_BUDGET ((size_t)256 << 20)

/* Every row checked, the blocks grown in a heap array of *cap. */
static int scan_blocks(tc_rows *r, tc_summary *sum, const tc_summary_columns *c, size_t *cap)
{
	uint64_t row = 0;
	int rc;
	while ((rc = tc_rows_next(r)) == 0) {
		size_t want = c->key_count + 1 + c->figure_count;
		if (r->count != want)
			return tc_rows_fail(r, "expected %zu fields, found %zu", want, r->count);
		uint32_t rep;
		if (tc_rows_replication(r->field[c->key_count], &rep))
			return tc_rows_fail(r, "replication: expected a whole number, got '%s'",
			                    r->field[c->key_count]);
		for (size_t f = 0; f < c->figure_count; f++) {
			int bad = 0;
			tc_rows_value(r->field[c->key_count + 1 + f], c->figures[f].kind, &bad);
			if (bad)
				return tc_rows_fail(r, "%s: expected a %s, got '%s'", c->figures[f].name,
				                    tc_figure_kind_name(c->figures[f].kind),
				                    r->field[c->key_count + 1 + f]);
		}
		tc_summary_block *b = sum->block_count ? &sum->blocks[sum->block_count - 1] : NULL;
		int same = b != NULL;
		for (size_t k = 0; same && k < c->key_count; k++)
			same = strcmp(b->values[k], r->field[k]) == 0;
		if (same) {
			if (rep <= b->last_replication)
				return tc_rows_fail(r, "replication %lu after %lu: expected increasing "
				                    "replications", (unsigned long)rep,
				                    (unsigned long)b->last_replication);
			b->last_replication = rep;
			b->replications++;
		} else {
			if (sum->block_count == *cap &&
			    tc_grow(r->alloc, (void **)&sum->blocks, cap, sum->block_count + 1,
			            sizeof *sum->blocks))
				return TC_ENOMEM;
			b = &sum->blocks[sum->block_count++];
			*b = (tc_summary_block){.first_row = row, .replications = 1,
			                        .first_replication = rep, .last_replication = rep};
			b->values = tc_arena_alloc(&sum->arena, (c->key_count + 1) * sizeof *b->values);
			if (!b->values)
				return TC_ENOMEM;
			for (size_t k = 0; k < c->key_count; k++)
				if (!(b->values[k] = tc_arena_strdup(&sum->arena, r->field[k])))
					return TC_ENOMEM;
		}
		row++;
	}
	if (rc < 0)
		return rc;
	if (!row)
		return tc_rows_fail(r, "no replications after the header");
	return TC_OK;
}

/* Pass 1: the blocks, and every field checked. */
static int find_blocks(tc_rows *r, tc_summary *sum, const tc_summary_columns *c)
{
	size_t cap = 0;
	int rc = scan_blocks(r, sum, c, &cap);
	tc_summary_block *blocks = NULL;
	/* Keep the blocks in the arena: the array's capacity is not kept. */
	if (!rc && !(blocks = tc_arena_alloc(&sum->arena, sum->block_count * sizeof *blocks)))
		rc = TC_ENOMEM;
	if (!rc)
		memcpy(blocks, sum->blocks, sum->block_count * sizeof *blocks);
	tc_free(r->alloc, sum->blocks, cap * sizeof *sum->blocks);
	sum->blocks = blocks;
	if (rc) {
		sum->block_count = 0;
		if (rc == TC_ENOMEM)
			snprintf(r->err, r->errlen, "out of memory");
	}
	return rc;
}

void tc_summary_numbers(tc_summary_figure *f, double *values, uint64_t n, uint64_t reached)
{
	f->n = n;
	f->reached = reached;
	f->reached_ci = tc_wilson_interval(reached, n, TC_SUMMARY_LEVEL);
	f->mean = f->sd = f->min = f->p10 = f->p50 = f->p90 = f->p99 = f->max = NAN;
	f->mean_ci = (tc_ci){NAN, NAN};
	if (f->kind == TC_FIGURE_FLAG || f->kind == TC_FIGURE_LABEL || !reached)
		return;
	/* Moments in row order, then order statistics. */
	tc_welford w;
	tc_welford_init(&w);
	for (uint64_t i = 0; i < reached; i++)
		tc_welford_add(&w, values[i]);
	f->mean = w.mean;
	f->sd = tc_welford_sd(&w);
	f->mean_ci = tc_mean_interval(&w, TC_SUMMARY_LEVEL);
	tc_sort_doubles(values, (size_t)reached);
	f->min = values[0];
	f->max = values[reached - 1];
	f->p10 = tc_percentile_sorted(values, (size_t)reached, 10);
	f->p50 = tc_percentile_sorted(values, (size_t)reached, 50);
	f->p90 = tc_percentile_sorted(values, (size_t)reached, 90);
	f->p99 = tc_percentile_sorted(values, (size_t)reached, 99);
}

static int compare_labels(const void *pa, const void *pb)
{
	const tc_summary_label *a = pa, *b = pb;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return strcmp(a->value, b->value);
}

/* Count a label's value in figure f (few distinct values: a linear scan). */
static int count_label(tc_summary *sum, tc_summary_figure *f, size_t *cap, tc_alloc *a,
                       const char *value)
{
	for (size_t i = 0; i < f->label_count; i++) {
		if (strcmp(f->labels[i].value, value) == 0) {
			f->labels[i].count++;
			return TC_OK;
		}
	}
	if (f->label_count == *cap &&
	    tc_grow(a, (void **)&f->labels, cap, f->label_count + 1, sizeof *f->labels))
		return TC_ENOMEM;
	const char *copy = tc_arena_strdup(&sum->arena, value);
	if (!copy)
		return TC_ENOMEM;
	f->labels[f->label_count++] = (tc_summary_label){copy, 1};
	return TC_OK;
}

/* Move a figure's label list into the arena, sorted. */
static int settle_labels(tc_summary *sum, tc_summary_figure *f, size_t cap, tc_alloc *a)
{
	if (!f->labels)
		return TC_OK;
	qsort(f->labels, f->label_count, sizeof *f->labels, compare_labels);
	tc_summary_label *kept = tc_arena_alloc(&sum->arena, f->label_count * sizeof *kept);
	if (kept)
		memcpy(kept, f->labels, f->label_count * sizeof *kept);
	tc_free(a, f->labels, cap * sizeof *f->labels);
	f->labels = kept;
	return kept ? TC_OK : TC_ENOMEM;
}

/* One pass over the rows for figures [from, to). */
static int gather(tc_rows *r, tc_summary *sum, const tc_summary_columns *c, size_t from,
                  size_t to, uint64_t rows)
{
	size_t width = to - from;
	tc_alloc *a = r->alloc;
	double *values = tc_malloc(a, (size_t)rows * width * sizeof *values + 1);
	uint64_t *present = tc_calloc(a, sum->block_count * width + 1, sizeof *present);
	size_t *label_cap = tc_calloc(a, sum->block_count * width + 1, sizeof *label_cap);
	int rc = values && present && label_cap ? TC_OK : TC_ENOMEM;
	/* Column k of block b: values[(b->first_row) * width + k * b->replications ...]. */
	size_t block = 0;
	uint64_t row = 0;
	while (!rc && (rc = tc_rows_next(r)) == 0) {
		while (row >= sum->blocks[block].first_row + sum->blocks[block].replications)
			block++;
		tc_summary_block *b = &sum->blocks[block];
		for (size_t k = 0; k < width && !rc; k++) {
			const tc_figure *fig = &c->figures[from + k];
			const char *text = r->field[c->key_count + 1 + from + k];
			tc_summary_figure *sf = &b->figures[from + k];
			uint64_t *p = &present[block * width + k];
			if (fig->kind == TC_FIGURE_LABEL) {
				if (*text)
					rc = count_label(sum, sf, &label_cap[block * width + k], a, text);
				*p += *text != 0;
				continue;
			}
			int bad = 0;
			double v = tc_rows_value(text, fig->kind, &bad);
			assert(!bad); /* checked by the first pass */
			if (fig->kind == TC_FIGURE_FLAG)
				*p += v == 1;
			else if (!isnan(v))
				values[b->first_row * width + k * b->replications + (*p)++] = v;
		}
		row++;
	}
	if (rc == 1)
		rc = TC_OK;
	for (size_t bi = 0; bi < sum->block_count; bi++) {
		tc_summary_block *b = &sum->blocks[bi];
		for (size_t k = 0; k < width; k++) {
			tc_summary_figure *sf = &b->figures[from + k];
			size_t cap = label_cap ? label_cap[bi * width + k] : 0;
			if (rc) { /* the label lists are still the allocator's */
				tc_free(a, sf->labels, cap * sizeof *sf->labels);
				sf->labels = NULL;
				sf->label_count = 0;
				continue;
			}
			tc_summary_numbers(sf, &values[b->first_row * width + k * b->replications],
			                   b->replications, present[bi * width + k]);
			if (settle_labels(sum, sf, cap, a))
				rc = TC_ENOMEM; /* the lists after it are freed by the next turns */
		}
	}
	if (rc == TC_ENOMEM)
		snprintf(r->err, r->errlen, "out of memory");
	tc_free(a, values, (size_t)rows * width * sizeof *values + 1);
	tc_free(a, present, (sum->block_count * width + 1) * sizeof *present);
	tc_free(a, label_cap, (sum->block_count * width + 1) * sizeof *label_cap);
	return rc;
}

int tc_summary_read(tc_summary *sum, tc_alloc *a, const char *path,
                    const tc_summary_columns *cols, size_t budget, char *err, size_t errlen)
{
	*sum = (tc_summary){.key_count = cols->key_count, .figure_count = cols->figure_count};
	tc_arena_init(&sum->arena, a);
	tc_rows r;
	int rc = tc_rows_open(&r, a, path, err, errlen);
	if (!rc)
		rc = tc_rows_header(&r, cols->keys, cols->key_count, cols->figures,
		                    cols->figure_count);
	if (!rc)
		rc = find_blocks(&r, sum, cols);
	uint64_t rows = 0;
	for (size_t b = 0; !rc && b < sum->block_count; b++) {
		tc_summary_block *blk = &sum->blocks[b];
		rows += blk->replications;
		blk->figures = tc_arena_alloc(&sum->arena, (cols->figure_count + 1) *
		                                               sizeof *blk->figures);
		if (!blk->figures) {
			rc = TC_ENOMEM;
			snprintf(err, errlen, "out of memory");
			break;
		}
		for (size_t f = 0; f < cols->figure_count; f++)
			blk->figures[f] = (tc_summary_figure){.name = cols->figures[f].name,
			                                      .kind = cols->figures[f].kind};
	}
	size_t per_column = (size_t)rows * sizeof(double);
	size_t group = budget ? budget : DEFAULT_BUDGET;
	group = per_column ? group / per_column : cols->figure_count;
	if (group < 1)
		group = 1;
	for (size_t from = 0; !rc && from < cols->figure_count; from += group) {
		size_t to = from + group < cols->figure_count ? from + group : cols->figure_count;
		tc_rows_close(&r);
		rc = tc_rows_open(&r, a, path, err, errlen);
		if (!rc && (rc = tc_rows_next(&r)) == 0) /* the header, checked */
			rc = gather(&r, sum, cols, from, to, rows);
	}
	tc_rows_close(&r);
	if (rc)
		tc_summary_release(sum);
	return rc;
}

void tc_summary_release(tc_summary *sum)
{
	tc_arena_release(&sum->arena);
	*sum = (tc_summary){0};
}
