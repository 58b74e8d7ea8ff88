/*
 * The statistics of a sweep (docs/sweep.md): for each block of rows of
 * replications.csv (one per grid combination) and each figure, how often it
 * was reached and, over the replications that reached it, its mean with a
 * Student t interval, standard deviation and order statistics; for flags,
 * the proportion with a Wilson interval; for labels, how often each value
 * came up.
 *
 * The summary is computed from the file alone, in row order, so a sweep,
 * the same sweep on other thread or rank counts, and the merge of its
 * shards give bit-identical statistics (core/stats.h is deterministic).
 * Percentiles are exact: each figure's values are held in memory, a few
 * columns at a time when they would not fit in the budget.
 */
#ifndef TC_ANALYSIS_SUMMARY_H
#define TC_ANALYSIS_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

#include "analysis/figures.h"
#include "core/arena.h"
#include "core/stats.h"

/* The confidence level of every interval. */
#define TC_SUMMARY_LEVEL 0.95

typedef struct tc_summary_label {
	const char *value;
	uint64_t count;
} tc_summary_label;

typedef struct tc_summary_figure {
	const char *name;
	tc_figure_kind kind;
	uint64_t n;                /* replications */
	uint64_t reached;          /* with a value (flags: with value 1) */
	tc_ci reached_ci;    /* Wilson interval of reached / n */
	/* Over the values reached (NaN when none; the interval NaN under 2): */
	double mean, sd, min, p10, p50, p90, p99, max;
	tc_ci mean_ci;
	/* Labels: each value that came up, most frequent first (then by value). */
	tc_summary_label *labels;
	size_t label_count;
} tc_summary_figure;

typedef struct tc_summary_block {
	const char **values;       /* the grid keys' values of its rows */
	uint64_t first_row;        /* 0-based among the data rows */
	uint64_t replications;
	uint32_t first_replication, last_replication;  /* of its rows, inclusive */
	tc_summary_figure *figures;
} tc_summary_block;

typedef struct tc_summary {
	tc_arena arena;            /* everything below */
	size_t key_count, figure_count;
	tc_summary_block *blocks;
	size_t block_count;
} tc_summary;

/* What a replications.csv holds: key_count grid columns, "replication",
 * then the figures (names and kinds). */
typedef struct tc_summary_columns {
	const char *const *keys;
	size_t key_count;
	const tc_figure *figures;
	size_t figure_count;
} tc_summary_columns;

/*
 * Read path (replications.csv, as tc_sweep writes it) and compute its
 * summary, holding at most about budget bytes of values at a time (0: 256
 * MiB). Rows of a block must be consecutive and in increasing replication
 * order. TC_OK; TC_EIO, TC_EINVAL (path:LINE: what was expected) or
 * TC_ENOMEM with err set.
 */
int tc_summary_read(tc_summary *sum, tc_alloc *a, const char *path,
                    const tc_summary_columns *cols, size_t budget, char *err, size_t errlen);
void tc_summary_release(tc_summary *sum);

/* The statistics of n values (ascending order after the call: sorted in
 * place), reached of them present among n replications. For a flag,
 * values are its 0/1 and reached the count of 1s. Used by the paired
 * comparison too. */
void tc_summary_numbers(tc_summary_figure *f, double *values, uint64_t n, uint64_t reached);

#endif
