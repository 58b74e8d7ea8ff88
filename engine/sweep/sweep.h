/*
 * A sweep: many replications of one scenario, or of a few variants of it
 * (the combinations of a --grid, the two sides of a comparison), each
 * reduced to one row of figures (analysis/figures.h) as it finishes.
 *
 * Replication i of a variant is a pure function of (variant, seed, i): its
 * row is the same whatever thread or rank computed it, and the rows reach
 * the caller in order, so the files a sweep writes are byte-identical
 * whatever --jobs or the number of MPI ranks (docs/sweep.md).
 */
#ifndef TC_SWEEP_SWEEP_H
#define TC_SWEEP_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#include "analysis/figures.h"
#include "core/buf.h"
#include "scenario/scenario.h"
#include "sim/run.h"
#include "sweep/exec.h"

typedef struct tc_sweep_variant {
	const tc_scenario *scenario;   /* the caller's, read-only while the sweep lives */
	const char *const *values;     /* grid: this combination's value of each key */
	/* Added to run.seed, modulo 2^63 (side B of a comparison with
	 * independent draws: 1); 0 for the sweep's own seed. */
	uint64_t seed_offset;
	/* Filled by tc_sweep_prepare: */
	tc_figure_set figures;
	char resolved_sha256[65];      /* of the resolved scenario the log embeds: equal
	                                * for variants that run the same scenario */
} tc_sweep_variant;

typedef struct tc_sweep {
	tc_alloc *alloc;
	tc_sweep_variant *variants;
	size_t variant_count;
	const char *const *keys;       /* grid keys, key_count of them (0: no grid) */
	size_t key_count;
	tc_run_options run;            /* seed and limits; replication is set per task */
	uint32_t first, last;          /* replications [first, last) of each variant */
	/* Keep each replication's event log as LOG_DIR/replication-I.jsonl, or
	 * LOG_DIR/VARIANT/replication-I.jsonl with several variants (NULL:
	 * no logs). The directories must exist. */
	const char *log_dir;
} tc_sweep;

/* The seed variant's replications run with. */
uint64_t tc_sweep_seed(const tc_sweep *sw, const tc_sweep_variant *var);

/*
 * Make each variant's figures (from the setup its runs start with) and its
 * resolved scenario's hash. TC_OK, or TC_ENOMEM / TC_EINVAL with err set.
 */
int tc_sweep_prepare(tc_sweep *sw, char *err, size_t errlen);
void tc_sweep_release(tc_sweep *sw);

/* The CSV header of a variant's rows: the grid keys, "replication", then
 * its figures; ends with "\n". */
void tc_sweep_header(const tc_sweep *sw, size_t variant, tc_buf *b);

/*
 * Run replication `replication` of variant `variant` and append its row to
 * row. TC_OK; otherwise the run's error code with the reason in err (a
 * failing script, the event limit, an I/O error on its log).
 */
int tc_sweep_replication(const tc_sweep *sw, size_t variant, uint32_t replication, tc_buf *row,
                         char *err, size_t errlen);

/* Receives each row: for every replication in order, every variant in order. */
typedef int (*tc_sweep_row_fn)(void *ud, size_t variant, uint32_t replication, const char *row,
                               size_t len, char *err, size_t errlen);
typedef void (*tc_sweep_progress_fn)(void *ud, uint64_t done, uint64_t total);

/*
 * Run every replication of every variant on `jobs` threads (across MPI
 * ranks when MPI was started: rank 0 receives the rows, the others only
 * compute). TC_OK, or the first failure in order with err saying which
 * replication failed and why.
 */
int tc_sweep_execute(const tc_sweep *sw, unsigned jobs, tc_sweep_row_fn row,
                     tc_sweep_progress_fn progress, void *ud, char *err, size_t errlen);

/*
 * Tune the C library for many runs in a row (process-wide; call it before
 * starting threads): keep freed memory instead of giving it back to the
 * system after every run and asking again a millisecond later, which took
 * a quarter of a sweep of the flagship scenario in system calls.
 */
void tc_sweep_keep_freed_memory(void);

#endif
