/*
 * tocsin sweep SCENARIO: many seeded replications on every core (and across
 * MPI ranks), one row of figures each, and their statistics.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/sweep_out.h"
#include "core/error.h"
#include "core/fileio.h"
#include "scenario/scenario.h"
#include "sim/run.h"
#include "sweep/exec.h"
#include "sweep/sweep.h"

static const char help[] =
	"usage: tocsin sweep SCENARIO [-n N] [--seed S] [--jobs N] [--out DIR]\n"
	"                    [--replications A:B] [--set PATH=VALUE]...\n"
	"                    [--grid PATH=V1,V2,...]... [--keep-logs] [--quiet] [run options]\n"
	"\n"
	"Runs N seeded replications of the scenario on every core (across machines under\n"
	"mpirun) and writes DIR/replications.csv (one row of figures per replication),\n"
	"DIR/summary.json (their statistics) and DIR/sweep.json (what was run), then a\n"
	"summary table (docs/sweep.md). Replication I is the run of `tocsin run --seed S\n"
	"--replication I`; the files are byte-identical whatever --jobs or ranks.\n"
	"\n"
	"  -n N              replications, 1 to 2^32-1 (default 1000)\n"
	"  --jobs N          worker threads (default: every core; 1 per rank under MPI)\n"
	"  --out DIR         where to write (default: sweeps/<scenario file name>)\n"
	"  --replications A:B\n"
	"                    run replications A to B-1 of the N only (a shard for a\n"
	"                    batch scheduler; `tocsin merge` joins shards)\n"
	"  --grid PATH=V1,V2,...\n"
	"                    a full factorial sweep: N replications of every\n"
	"                    combination of the values (repeatable; one --set each)\n"
	"  --keep-logs       keep every replication's event log in DIR/logs\n"
	"  --quiet           no progress and no summary table\n"
	CLI_SIM_HELP;

typedef struct sweep_args {
	const char *scenario, *out;
	cli_sim_options sim;
	const char **grid;         /* --grid, as given */
	size_t grid_count;
	uint64_t n, jobs, first, last;
	int have_slice, keep_logs, quiet;
} sweep_args;

static int parse_slice(const char *v, uint64_t *first, uint64_t *last)
{
	const char *colon = v ? strchr(v, ':') : NULL;
	if (!colon || colon == v || !colon[1])
		return -1;
	char a[32];
	size_t len = (size_t)(colon - v);
	if (len >= sizeof a)
		return -1;
	memcpy(a, v, len);
	a[len] = '\0';
	return cli_parse_u64(a, UINT32_MAX, first) || cli_parse_u64(colon + 1, UINT32_MAX, last) ||
	       *first >= *last ? -1 : 0;
}

static int parse_args(int argc, char **argv, sweep_args *a)
{
	a->n = 1000;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *v;
		int rc = cli_sim_option(argc, argv, &i, "sweep", &a->sim);
		if (rc == 0)
			rc = cli_sweep_option(argc, argv, &i, "sweep", 1, &a->n, &a->jobs, &a->out);
		if (rc == 1)
			continue;
		if (rc)
			return rc;
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			fputs(help, stdout);
			return 1;
		} else if (strcmp(arg, "--quiet") == 0) {
			a->quiet = 1;
		} else if (strcmp(arg, "--keep-logs") == 0) {
			a->keep_logs = 1;
		} else if (cli_is_option(arg, "--replications")) {
			if (parse_slice(cli_option_value(argc, argv, &i, "--replications"), &a->first,
			                &a->last))
				return cli_usage_error("sweep", "--replications needs A:B, whole numbers "
				                                "with A < B (replications A to B-1)");
			a->have_slice = 1;
		} else if (cli_is_option(arg, "--grid")) {
			if (!(v = cli_option_value(argc, argv, &i, "--grid")) || !strchr(v, '='))
				return cli_usage_error("sweep", "--grid needs PATH=V1,V2,... (e.g. "
				                                "actors.anssi.staff=2,4,8)");
			a->grid[a->grid_count++] = v;
		} else if (arg[0] == '-' && arg[1] != '\0') {
			return cli_usage_error("sweep", "unknown option '%s'", arg);
		} else if (a->scenario) {
			return cli_usage_error("sweep", "one scenario at a time ('%s' and '%s')",
			                       a->scenario, arg);
		} else {
			a->scenario = arg;
		}
	}
	if (!a->scenario)
		return cli_usage_error("sweep", "no scenario file given");
	if (!a->have_slice) {
		a->first = 0;
		a->last = a->n;
	} else if (a->last > a->n) {
		return cli_usage_error("sweep", "--replications %llu:%llu goes past -n %llu",
		                       (unsigned long long)a->first, (unsigned long long)a->last,
		                       (unsigned long long)a->n);
	}
	return 0;
}

int cmd_sweep(int argc, char **argv)
{
	char err[1024] = "";
	int ranks = tc_exec_mpi_start(&argc, &argv, err, sizeof err);
	if (ranks < 0) {
		fprintf(stderr, "tocsin sweep: %s\n", err);
		return EXIT_INVALID;
	}
	tc_sweep_keep_freed_memory();
	tc_alloc *alloc = tc_alloc_default();
	sweep_args a = {.grid = tc_calloc(alloc, (size_t)argc + 1, sizeof *a.grid)};
	int status = !a.grid || cli_sim_options_init(&a.sim, argc) ? EXIT_INVALID : 0;
	if (status)
		fprintf(stderr, "tocsin sweep: out of memory\n");
	int rc = status ? status : parse_args(argc, argv, &a);
	status = rc == 1 ? EXIT_VALID : rc;
	if (rc == 0) {
		char dir[4096];
		if (a.out)
			snprintf(dir, sizeof dir, "%s", a.out);
		else
			cli_default_out("sweeps", a.scenario, dir, sizeof dir);
		cli_sweep_side side = {.scenario = a.scenario, .dir = dir};
		cli_sweep_job job = {
			.command = "sweep", .sides = &side, .side_count = 1, .sim = &a.sim,
			.summary_text = 1,
			.grid = a.grid, .grid_count = a.grid_count, .replications = (uint32_t)a.n,
			.first = (uint32_t)a.first, .last = (uint32_t)a.last,
			.jobs = a.jobs ? (unsigned)a.jobs : ranks > 1 ? 1 : cli_cores(),
			.keep_logs = a.keep_logs, .quiet = a.quiet,
		};
		status = cli_sweep_run(&job);
	}
	cli_sim_options_release(&a.sim);
	tc_free(alloc, a.grid, ((size_t)argc + 1) * sizeof *a.grid);
	tc_exec_mpi_stop();
	return status;
}
