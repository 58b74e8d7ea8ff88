/*
 * The paired comparison of two sweeps (docs/compare.md): side A and side B
 * ran the same replications (the same seed and replication numbers), so
 * with common random numbers replication i of A and of B met the same
 * chance events wherever the variants do not differ, and the difference
 * B - A of a figure is measured replication by replication. Its spread is
 * that of the difference, not of either side, which is what narrows the
 * interval when the variants share most of their draws.
 *
 * Read from the two replications.csv files alone, row by row in step, a
 * group of columns at a time (as summary.h does), so the comparison of the
 * same files is bit-identical whatever produced them.
 */
#ifndef TC_ANALYSIS_PAIRED_H
#define TC_ANALYSIS_PAIRED_H

#include <stddef.h>
#include <stdint.h>

#include "analysis/figures.h"
#include "analysis/summary.h"
#include "core/arena.h"
#include "core/stats.h"

/* A paired difference: the mean of B - A over the replications it covers,
 * with a Student t interval at TC_SUMMARY_LEVEL. */
typedef struct tc_paired_diff {
	uint64_t pairs;            /* replications it covers */
	double mean, sd;           /* NaN without pairs; sd NaN under 2 pairs */
	tc_ci ci;                  /* NaN under 2 pairs */
	int significant;           /* the interval excludes 0 */
	int zero;                  /* every difference is exactly 0: mean 0, sd 0 and
	                            * the interval [0, 0] whatever the pairs */
} tc_paired_diff;

typedef struct tc_paired_label {
	const char *value;
	uint64_t a, b;             /* replications with this value, on each side */
} tc_paired_label;

typedef struct tc_paired_figure {
	const char *name;
	tc_figure_kind kind;
	int headline;              /* side A's column says so */
	/* Each side alone, as a sweep's summary gives it (labels: n and how
	 * many have a value; their counts are in labels below). */
	tc_summary_figure a, b;
	/* B - A over the replications where both have a value (times, counts,
	 * ratios); for flags, over every replication, so its mean is the
	 * difference of the two proportions. */
	tc_paired_diff value;
	/* Reached on B (1 or 0) - reached on A, over every replication: the
	 * difference of the probabilities of being reached (times, ratios). */
	tc_paired_diff reached;
	/* Replications reached (flags: met) on A only, and on B only. */
	uint64_t a_only, b_only;
	/* Labels: every value either side took, most frequent (A and B
	 * together) first, then by value. */
	tc_paired_label *labels;
	size_t label_count;
	uint64_t same;             /* replications where both sides have the same value or none */
	int identical;             /* same == every replication */
} tc_paired_figure;

typedef struct tc_paired {
	tc_arena arena;            /* everything below */
	uint64_t replications;     /* rows on each side */
	uint32_t first_replication, last_replication;  /* inclusive */
	tc_paired_figure *figures; /* the columns both sides have, with the same kind,
	                            * in side A's order */
	size_t figure_count;
	const char **only_a, **only_b;  /* the columns of one side only (or whose
	                                 * kinds differ) */
	size_t only_a_count, only_b_count;
	int identical;             /* every figure identical and none of one side only */
} tc_paired;

/* One side: its replications.csv (no grid keys: "replication", then the
 * figures) and the figures of its columns. */
typedef struct tc_paired_side {
	const char *path;
	const tc_figure *figures;
	size_t figure_count;
} tc_paired_side;

/*
 * Compare side b with side a, holding at most about budget bytes of values
 * at a time (0: 256 MiB). Both files must have the same replications in
 * the same, increasing order. TC_OK; TC_EIO, TC_EINVAL (PATH:LINE: what was
 * expected) or TC_ENOMEM with err set, and p holds nothing.
 */
int tc_paired_read(tc_paired *p, tc_alloc *alloc, const tc_paired_side *a,
                   const tc_paired_side *b, size_t budget, char *err, size_t errlen);
void tc_paired_release(tc_paired *p);

#endif
