/*
 * The part of sweep and compare that runs replications and writes sweep
 * directories (docs/sweep.md): each side of a job (the one scenario of a
 * sweep, the two variants of a comparison) gets its own directory with
 * sweep.json, replications.csv and summary.json.
 */
#ifndef TC_CLI_SWEEP_OUT_H
#define TC_CLI_SWEEP_OUT_H

#include <stddef.h>
#include <stdint.h>

#include "cli/cli.h"
#include "core/fileio.h"
#include "sweep/manifest.h"

typedef struct cli_sweep_side {
	const char *scenario;      /* the scenario file */
	const char *doctrine;      /* replaces --doctrine for this side; NULL: as given */
	const char *const *sets;   /* --set of this side, after the common ones */
	size_t set_count;
	const char *dir;           /* its output directory */
	uint64_t seed_offset;      /* run on the job's seed plus this, modulo 2^63 (0:
	                            * the job's seed; 1: side B of a comparison with
	                            * independent draws) */
} cli_sweep_side;

typedef struct cli_sweep_job {
	const char *command;       /* "sweep" or "compare", for messages */
	const cli_sim_options *sim;
	const cli_sweep_side *sides;
	size_t side_count;
	const char *const *grid;   /* --grid PATH=V1,V2,... */
	size_t grid_count;
	uint32_t replications, first, last;
	unsigned jobs;
	int keep_logs, quiet;
	int summary_text;          /* print each side's summary table */
} cli_sweep_job;

/* Run the job and write its directories (on rank 0 under MPI). An exit
 * code; every error is printed. */
int cli_sweep_run(const cli_sweep_job *job);

/*
 * Finish a sweep directory whose rows are in csv (open, header and rows
 * written): compute the summary from them, write summary.json and
 * sweep.json (m), and rename all three into place; nothing is renamed when
 * anything fails. Prints the summary table when print_summary and not
 * quiet. An exit code; errors are printed.
 */
int cli_sweep_write_dir(const char *command, const char *dir, tc_atomic_file *csv,
                        const tc_manifest *m, int print_summary, int quiet);

/*
 * The options sweep and compare share: -n N (at least min_n) and --jobs N,
 * and --out DIR. 1 when argv[*i] was one of them (advancing *i past its
 * value), 0 when not, EXIT_USAGE after the message when its value is wrong.
 */
int cli_sweep_option(int argc, char **argv, int *i, const char *cmd, uint64_t min_n,
                     uint64_t *n, uint64_t *jobs, const char **out);

/* The number of online processors, at least 1. */
unsigned cli_cores(void);
/* Whether progress may be drawn on stderr (a terminal, not --quiet). */
int cli_progress_wanted(int quiet);

#endif
