/*
 * The figures of one replication as a sweep records them: one row of
 * replications.csv per run, one column per figure (docs/sweep.md lists
 * them). The columns depend on the scenario only (its actors, incidents,
 * levels and objectives), never on what happened in a run, so every
 * replication of a scenario has the same columns.
 */
#ifndef TC_ANALYSIS_FIGURES_H
#define TC_ANALYSIS_FIGURES_H

#include <stddef.h>

#include "analysis/analysis.h"
#include "core/arena.h"

typedef enum tc_figure_kind {
	TC_FIGURE_TIME,            /* milliseconds, whole; absent when not reached */
	TC_FIGURE_COUNT,           /* a whole number, always present */
	TC_FIGURE_RATIO,           /* a number; absent when undefined (0 / 0) */
	TC_FIGURE_FLAG,            /* 0 or 1, always present */
	TC_FIGURE_LABEL,           /* a name (an actor id, a reason); absent when none */
	TC_FIGURE_KIND_COUNT
} tc_figure_kind;
/* "time", "count", "ratio", "flag", "label". */
const char *tc_figure_kind_name(tc_figure_kind kind);
/* The kind named name; -1 when none. */
int tc_figure_kind_parse(const char *name);

typedef struct tc_figure {
	const char *name;          /* the column, e.g. "incident/ransomware/time_to_cop_ms" */
	tc_figure_kind kind;
	int headline;              /* shown in the terminal summary */
	int source, index, sub;    /* what it reads (figures.c) */
} tc_figure;

typedef struct tc_figure_value {
	int present;               /* 0: not reached, undefined or none */
	double number;             /* every kind but labels; exact for times and counts */
	const char *label;         /* labels: lives as long as the metrics */
} tc_figure_value;

typedef struct tc_figure_set {
	tc_arena arena;            /* names */
	tc_figure *figures;
	size_t count, cap;
} tc_figure_set;

/* The figures of a scenario, from its setup (its incidents opened by
 * scripts are not columns: their number is). TC_OK or TC_ENOMEM. */
int tc_figure_set_init(tc_figure_set *fs, tc_alloc *a, const tc_setup *setup);
void tc_figure_set_release(tc_figure_set *fs);

/* The value of every figure (out[fs->count]) in metrics m of a run of the
 * scenario fs was made from. */
void tc_figure_values(const tc_figure_set *fs, const tc_metrics *m, tc_figure_value *out);

#endif
