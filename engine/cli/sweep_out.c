/*
 * Running a sweep job and writing its directories. Nothing is half-written:
 * rows go to temporary files, the summary is computed from them, and only
 * when every file of a directory is complete are they renamed into place.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli/sweep_out.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analysis/summary.h"
#include "core/error.h"
#include "core/fileio.h"
#include "scenario/scenario.h"
#include "sweep/exec.h"
#include "sweep/manifest.h"
#include "sweep/output.h"
#include "sweep/sweep.h"

int cli_sweep_option(int argc, char **argv, int *i, const char *cmd, uint64_t min_n,
                     uint64_t *n, uint64_t *jobs, const char **out)
{
	const char *arg = argv[*i], *v;
	if (cli_is_option(arg, "-n")) {
		if (!(v = cli_option_value(argc, argv, i, "-n")) ||
		    cli_parse_u64(v, UINT32_MAX, n) || *n < min_n)
			return cli_usage_error(cmd, "-n needs a whole number from %llu to 4294967295",
			                       (unsigned long long)min_n);
	} else if (cli_is_option(arg, "--jobs")) {
		if (!(v = cli_option_value(argc, argv, i, "--jobs")) ||
		    cli_parse_u64(v, 4096, jobs) || *jobs == 0)
			return cli_usage_error(cmd, "--jobs needs a whole number from 1 to 4096");
	} else if (cli_is_option(arg, "--out")) {
		if (!(*out = cli_option_value(argc, argv, i, "--out")) || !**out)
			return cli_usage_error(cmd, "--out needs a directory");
	} else {
		return 0;
	}
	return 1;
}

unsigned cli_cores(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 4096 ? 4096 : (unsigned)n;
}

int cli_progress_wanted(int quiet)
{
	return !quiet && isatty(STDERR_FILENO);
}

/* ---- the grid --------------------------------------------------------------- */

typedef struct grid_key {
	char *path;                /* PATH, owned */
	char **values;             /* each value, owned */
	size_t count;
} grid_key;

/* Split "PATH=V1,V2" at the commas outside quotes, brackets and braces
 * (a value may be a flow mapping: {median: 1h, p90: 4h}). */
static int split_grid(tc_alloc *a, const char *spec, grid_key *k)
{
	const char *eq = strchr(spec, '=');
	*k = (grid_key){0};
	size_t cap = 0;
	if (!eq || eq == spec)
		return -1;
	if (!(k->path = tc_malloc(a, (size_t)(eq - spec) + 1)))
		return TC_ENOMEM;
	memcpy(k->path, spec, (size_t)(eq - spec));
	k->path[eq - spec] = '\0';
	const char *p = eq + 1, *start = p;
	int depth = 0;
	char quote = 0;
	for (;; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
			else if (!*p)
				return -1;
			continue;
		}
		if (*p == '"' || *p == '\'')
			quote = *p;
		else if (*p == '[' || *p == '{')
			depth++;
		else if ((*p == ']' || *p == '}') && depth > 0)
			depth--;
		if ((*p == ',' && depth == 0) || !*p) {
			size_t len = (size_t)(p - start);
			if (len == 0)
				return -1;
			if (k->count == cap &&
			    tc_grow(a, (void **)&k->values, &cap, k->count + 1, sizeof *k->values))
				return TC_ENOMEM;
			char *v = tc_malloc(a, len + 1);
			if (!v)
				return TC_ENOMEM;
			memcpy(v, start, len);
			v[len] = '\0';
			k->values[k->count++] = v;
			if (!*p)
				break;
			start = p + 1;
		}
	}
	/* Shrink to the exact count so release knows the size. */
	return TC_OK;
}

/* ---- the job ------------------------------------------------------------------ */

typedef struct side_out {
	tc_atomic_file csv;
	FILE **parts;              /* a temporary file per combination when there are several */
	char dir[4096];
} side_out;

typedef struct job_state {
	const cli_sweep_job *job;
	tc_alloc *alloc;
	grid_key *keys;
	size_t key_count;
	size_t combinations;
	const char **key_paths;    /* keys[k].path */
	tc_scenario **scenarios;   /* side-major: side * combinations + combination */
	const char ***values;      /* per combination: a value per key */
	char **set_texts;          /* per combination: "PATH=VALUE" per key */
	tc_sweep sw;
	side_out *out;
	int rank;
	/* progress */
	int progress;
	double started, last_drawn;
} job_state;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void draw_progress(void *ud, uint64_t done, uint64_t total)
{
	job_state *st = ud;
	if (!st->progress)
		return;
	double t = now(), elapsed = t - st->started;
	if (done < total && t - st->last_drawn < 0.1)
		return;
	st->last_drawn = t;
	double rate = elapsed > 0 ? (double)done / elapsed : 0;
	double eta = rate > 0 ? (double)(total - done) / rate : 0;
	enum { WIDTH = 30 };
	char bar[WIDTH + 1];
	size_t fill = total ? (size_t)((double)WIDTH * (double)done / (double)total) : WIDTH;
	for (size_t i = 0; i < WIDTH; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[WIDTH] = '\0';
	long e = (long)(eta + 0.5);
	fprintf(stderr, "\r  %s [%s] %llu/%llu %3.0f%%  %.0f runs/s  ETA %ld:%02ld:%02ld ",
	        st->job->command, bar, (unsigned long long)done, (unsigned long long)total,
	        total ? 100.0 * (double)done / (double)total : 100.0, rate, e / 3600,
	        e / 60 % 60, e % 60);
	if (done == total)
		fputs("\r\033[K", stderr);
	fflush(stderr);
}

static int write_row(void *ud, size_t variant, uint32_t replication, const char *row,
                     size_t len, char *err, size_t errlen)
{
	(void)replication;
	job_state *st = ud;
	size_t side = variant / st->combinations, combination = variant % st->combinations;
	side_out *o = &st->out[side];
	FILE *f = o->parts ? o->parts[combination] : o->csv.f;
	if (fwrite(row, 1, len, f) != len) {
		snprintf(err, errlen, "cannot write %.300s: %s", o->csv.path, strerror(errno));
		return TC_EIO;
	}
	return TC_OK;
}

static int load_all(job_state *st)
{
	const cli_sweep_job *job = st->job;
	tc_alloc *a = st->alloc;
	size_t n = job->side_count * st->combinations;
	st->scenarios = tc_calloc(a, n, sizeof *st->scenarios);
	st->values = tc_calloc(a, st->combinations, sizeof *st->values);
	st->set_texts = tc_calloc(a, st->combinations * (st->key_count + 1), sizeof *st->set_texts);
	if (!st->scenarios || !st->values || !st->set_texts)
		return TC_ENOMEM;
	/* Combination c: the last --grid varies fastest, as nested loops in the
	 * order the options were given. */
	for (size_t c = 0; c < st->combinations; c++) {
		if (!(st->values[c] = tc_calloc(a, st->key_count + 1, sizeof **st->values)))
			return TC_ENOMEM;
		size_t rest = c;
		for (size_t k = st->key_count; k-- > 0;) {
			const grid_key *g = &st->keys[k];
			const char *value = g->values[rest % g->count];
			rest /= g->count;
			st->values[c][k] = value;
			size_t len = strlen(g->path) + strlen(value) + 2;
			char *text = tc_malloc(a, len);
			if (!text)
				return TC_ENOMEM;
			snprintf(text, len, "%s=%s", g->path, value);
			st->set_texts[c * (st->key_count + 1) + k] = text;
		}
	}
	for (size_t s = 0; s < job->side_count; s++) {
		const cli_sweep_side *side = &job->sides[s];
		cli_sim_options sim = *job->sim;
		if (side->doctrine)
			sim.doctrine = side->doctrine;
		for (size_t c = 0; c < st->combinations; c++) {
			size_t extra = side->set_count + st->key_count;
			const char **sets = tc_calloc(a, extra + 1, sizeof *sets);
			if (!sets)
				return TC_ENOMEM;
			if (side->set_count)
				memcpy(sets, side->sets, side->set_count * sizeof *sets);
			for (size_t k = 0; k < st->key_count; k++)
				sets[side->set_count + k] = st->set_texts[c * (st->key_count + 1) + k];
			int status = cli_sim_load(&sim, side->scenario, sets, extra,
			                          &st->scenarios[s * st->combinations + c]);
			tc_free(a, sets, (extra + 1) * sizeof *sets);
			if (status)
				return TC_EINVAL;
		}
	}
	return TC_OK;
}

static int same_columns(const tc_figure_set *a, const tc_figure_set *b)
{
	if (a->count != b->count)
		return 0;
	for (size_t i = 0; i < a->count; i++)
		if (strcmp(a->figures[i].name, b->figures[i].name) || a->figures[i].kind != b->figures[i].kind)
			return 0;
	return 1;
}

static int prepare_sweep(job_state *st)
{
	const cli_sweep_job *job = st->job;
	size_t n = job->side_count * st->combinations;
	st->sw = (tc_sweep){.alloc = st->alloc, .variant_count = n, .keys = st->key_paths,
	                    .key_count = st->key_count, .first = job->first, .last = job->last};
	st->sw.variants = tc_calloc(st->alloc, n, sizeof *st->sw.variants);
	if (!st->sw.variants)
		return TC_ENOMEM;
	for (size_t v = 0; v < n; v++) {
		st->sw.variants[v].scenario = st->scenarios[v];
		st->sw.variants[v].values = st->values[v % st->combinations];
	}
	if (cli_sim_run_options(job->sim, job->command, &st->sw.run))
		return TC_EINVAL;
	st->sw.run.seed = job->sim->have_seed ? job->sim->seed : st->scenarios[0]->default_seed;
	for (size_t v = 0; v < n; v++)
		st->sw.variants[v].seed_offset = job->sides[v / st->combinations].seed_offset;
	char err[512];
	int rc = tc_sweep_prepare(&st->sw, err, sizeof err);
	if (rc) {
		fprintf(stderr, "tocsin %s: %s\n", job->command, err);
		return rc;
	}
	for (size_t v = 0; v < n; v++) {
		if (!same_columns(&st->sw.variants[v].figures,
		                  &st->sw.variants[v - v % st->combinations].figures)) {
			fprintf(stderr, "tocsin %s: the grid's combinations %s and %s have different "
			                "figures (the grid may only change values, not which actors, "
			                "incidents, levels or objectives there are)\n",
			        job->command, st->set_texts[0],
			        st->set_texts[(v % st->combinations) * (st->key_count + 1)]);
			return TC_EINVAL;
		}
	}
	return TC_OK;
}

static void manifest_of(const job_state *st, size_t side, tc_manifest *m,
                        tc_manifest_block *blocks)
{
	const cli_sweep_job *job = st->job;
	const cli_sweep_side *sd = &job->sides[side];
	const tc_scenario *s = st->scenarios[side * st->combinations];
	const tc_sweep_variant *first = &st->sw.variants[side * st->combinations];
	size_t set_count = job->sim->set_count + sd->set_count;
	const char **sets = (const char **)m->sets; /* room made by the caller */
	memcpy(sets, job->sim->sets, job->sim->set_count * sizeof *sets);
	if (sd->set_count)
		memcpy(sets + job->sim->set_count, sd->sets, sd->set_count * sizeof *sets);
	for (size_t c = 0; c < st->combinations; c++)
		blocks[c] = (tc_manifest_block){
			.values = st->values[c],
			.resolved_sha256 = st->sw.variants[side * st->combinations + c].resolved_sha256};
	const tc_run_options *r = &st->sw.run;
	*m = (tc_manifest){
		.scenario_file = sd->scenario, .scenario_name = s->name, .scenario_sha256 = s->sha256,
		.doctrine = sd->doctrine ? sd->doctrine : job->sim->doctrine,
		.scripts = job->sim->scripts, .script_count = job->sim->script_count,
		.sets = sets, .set_count = set_count, .keys = st->key_paths,
		.key_count = st->key_count, .blocks = blocks, .block_count = st->combinations,
		.seed = tc_sweep_seed(&st->sw, first), .replications = job->replications,
		.first = job->first, .last = job->last,
		.until = r->until == TC_TIME_NEVER ? -1 : r->until,
		.max_events = r->max_events, .lua_memory = r->script_memory,
		.lua_instructions = r->script_instructions,
		.script_errors_continue = r->script_errors_continue,
		.columns = first->figures.figures, .column_count = first->figures.count,
	};
}

/* Copy each combination's rows into the CSV, in order. */
static int join_parts(side_out *o, size_t combinations, char *err, size_t errlen)
{
	char buf[1 << 16];
	for (size_t c = 0; c < combinations; c++) {
		FILE *f = o->parts[c];
		if (fflush(f) || fseek(f, 0, SEEK_SET)) {
			snprintf(err, errlen, "a temporary file: %s", strerror(errno));
			return TC_EIO;
		}
		size_t n;
		while ((n = fread(buf, 1, sizeof buf, f)) > 0)
			if (fwrite(buf, 1, n, o->csv.f) != n) {
				snprintf(err, errlen, "cannot write %.300s: %s", o->csv.path, strerror(errno));
				return TC_EIO;
			}
		if (ferror(f)) {
			snprintf(err, errlen, "a temporary file: %s", strerror(errno));
			return TC_EIO;
		}
	}
	return TC_OK;
}

int cli_sweep_write_dir(const char *command, const char *dir, tc_atomic_file *csv,
                        const tc_manifest *m, int print_summary, int quiet)
{
	tc_alloc *a = tc_alloc_default();
	char err[1024] = "", path[4200];
	if (fflush(csv->f)) {
		fprintf(stderr, "tocsin %s: cannot write %s: %s\n", command, csv->path, strerror(errno));
		tc_atomic_abort(csv);
		return EXIT_INVALID;
	}
	tc_summary sum;
	tc_summary_columns cols = {m->keys, m->key_count, m->columns, m->column_count};
	int rc = tc_summary_read(&sum, a, csv->tmp, &cols, 0, err, sizeof err);
	if (rc) {
		fprintf(stderr, "tocsin %s: %s\n", command, err);
		tc_atomic_abort(csv);
		return EXIT_INVALID;
	}
	tc_buf summary, manifest;
	tc_buf_init(&summary, a);
	tc_buf_init(&manifest, a);
	tc_sweep_summary_json(&summary, m, &sum);
	tc_manifest_json(&manifest, m);
	tc_atomic_file fs = {0}, fm = {0};
	int opened = 0;
	snprintf(path, sizeof path, "%s/summary.json", dir);
	if (summary.failed || manifest.failed) {
		snprintf(err, sizeof err, "out of memory");
		rc = TC_ENOMEM;
	} else if (!(rc = tc_atomic_open(&fs, path, err, sizeof err))) {
		opened = 1;
		snprintf(path, sizeof path, "%s/sweep.json", dir);
		if (!(rc = tc_atomic_open(&fm, path, err, sizeof err)))
			opened = 2;
	}
	if (!rc && (fwrite(summary.data, 1, summary.len, fs.f) != summary.len ||
	            fwrite(manifest.data, 1, manifest.len, fm.f) != manifest.len)) {
		snprintf(err, sizeof err, "cannot write in %.300s: %s", dir, strerror(errno));
		rc = TC_EIO;
	}
	/* The rows first: a summary never sits next to rows it was not made of
	 * for longer than the renames take. */
	if (!rc)
		rc = tc_atomic_commit(csv, err, sizeof err) ? TC_EIO : TC_OK;
	else
		tc_atomic_abort(csv);
	if (opened >= 1 && (rc || tc_atomic_commit(&fs, err, sizeof err)))
		rc = rc ? (tc_atomic_abort(&fs), rc) : TC_EIO;
	if (opened >= 2 && (rc || tc_atomic_commit(&fm, err, sizeof err)))
		rc = rc ? (tc_atomic_abort(&fm), rc) : TC_EIO;
	if (rc) {
		fprintf(stderr, "tocsin %s: %s\n", command, err);
	} else if (print_summary && !quiet) {
		tc_buf text;
		tc_buf_init(&text, a);
		tc_sweep_summary_text(&text, m, &sum, isatty(STDOUT_FILENO) && !getenv("NO_COLOR"));
		fwrite(text.data, 1, text.len, stdout);
		printf("\n  rows: %s/replications.csv\n  summary: %s/summary.json\n", dir, dir);
		tc_buf_release(&text);
	}
	tc_buf_release(&summary);
	tc_buf_release(&manifest);
	tc_summary_release(&sum);
	return rc ? EXIT_INVALID : EXIT_VALID;
}

static int open_outputs(job_state *st)
{
	const cli_sweep_job *job = st->job;
	st->out = tc_calloc(st->alloc, job->side_count, sizeof *st->out);
	if (!st->out)
		return TC_ENOMEM;
	char err[1024], path[4200];
	for (size_t s = 0; s < job->side_count; s++) {
		side_out *o = &st->out[s];
		snprintf(o->dir, sizeof o->dir, "%s", job->sides[s].dir);
		if (cli_make_dirs(o->dir))
			return TC_EIO;
		if (job->keep_logs) {
			snprintf(path, sizeof path, "%s/logs", o->dir);
			if (cli_make_dirs(path))
				return TC_EIO;
			for (size_t c = 0; st->combinations > 1 && c < st->combinations; c++) {
				snprintf(path, sizeof path, "%s/logs/%zu", o->dir, c);
				if (cli_make_dirs(path))
					return TC_EIO;
			}
		}
		snprintf(path, sizeof path, "%s/replications.csv", o->dir);
		if (tc_atomic_open(&o->csv, path, err, sizeof err)) {
			fprintf(stderr, "tocsin %s: %s\n", job->command, err);
			return TC_EIO;
		}
		tc_buf header;
		tc_buf_init(&header, st->alloc);
		tc_sweep_header(&st->sw, s * st->combinations, &header);
		int bad = header.failed || fwrite(header.data, 1, header.len, o->csv.f) != header.len;
		tc_buf_release(&header);
		if (bad) {
			fprintf(stderr, "tocsin %s: cannot write %s\n", job->command, path);
			return TC_EIO;
		}
		if (st->combinations > 1) {
			o->parts = tc_calloc(st->alloc, st->combinations, sizeof *o->parts);
			if (!o->parts)
				return TC_ENOMEM;
			for (size_t c = 0; c < st->combinations; c++)
				if (!(o->parts[c] = tmpfile())) {
					fprintf(stderr, "tocsin %s: cannot make a temporary file: %s\n",
					        job->command, strerror(errno));
					return TC_EIO;
				}
		}
	}
	return TC_OK;
}

static void close_outputs(job_state *st, int abort_csv)
{
	for (size_t s = 0; st->out && s < st->job->side_count; s++) {
		side_out *o = &st->out[s];
		if (abort_csv && o->csv.f)
			tc_atomic_abort(&o->csv);
		for (size_t c = 0; o->parts && c < st->combinations; c++)
			if (o->parts[c])
				fclose(o->parts[c]);
		tc_free(st->alloc, o->parts, st->combinations * sizeof *o->parts);
	}
	tc_free(st->alloc, st->out, st->job->side_count * sizeof *st->out);
	st->out = NULL;
}

static int finish_outputs(job_state *st)
{
	const cli_sweep_job *job = st->job;
	int status = EXIT_VALID;
	for (size_t s = 0; s < job->side_count; s++) {
		side_out *o = &st->out[s];
		char err[1024];
		if (o->parts && join_parts(o, st->combinations, err, sizeof err)) {
			fprintf(stderr, "tocsin %s: %s\n", job->command, err);
			tc_atomic_abort(&o->csv);
			status = EXIT_INVALID;
			continue;
		}
		size_t nsets = job->sim->set_count + job->sides[s].set_count;
		const char **sets = tc_calloc(st->alloc, nsets + 1, sizeof *sets);
		tc_manifest_block *blocks = tc_calloc(st->alloc, st->combinations, sizeof *blocks);
		if (!sets || !blocks) {
			fprintf(stderr, "tocsin %s: out of memory\n", job->command);
			tc_atomic_abort(&o->csv);
			status = EXIT_INVALID;
		} else {
			tc_manifest m = {.sets = sets};
			manifest_of(st, s, &m, blocks);
			if (cli_sweep_write_dir(job->command, o->dir, &o->csv, &m, job->summary_text,
			                        job->quiet))
				status = EXIT_INVALID;
		}
		o->csv.f = NULL;
		tc_free(st->alloc, sets, (nsets + 1) * sizeof *sets);
		tc_free(st->alloc, blocks, st->combinations * sizeof *blocks);
	}
	return status;
}

static void release_state(job_state *st)
{
	tc_alloc *a = st->alloc;
	tc_sweep_release(&st->sw);
	tc_free(a, st->sw.variants, st->sw.variant_count * sizeof *st->sw.variants);
	size_t n = st->job->side_count * st->combinations;
	for (size_t i = 0; st->scenarios && i < n; i++)
		tc_scenario_free(st->scenarios[i]);
	tc_free(a, st->scenarios, n * sizeof *st->scenarios);
	for (size_t c = 0; st->values && c < st->combinations; c++)
		tc_free(a, st->values[c], (st->key_count + 1) * sizeof **st->values);
	tc_free(a, st->values, st->combinations * sizeof *st->values);
	for (size_t i = 0; st->set_texts && i < st->combinations * (st->key_count + 1); i++)
		if (st->set_texts[i])
			tc_free(a, st->set_texts[i], strlen(st->set_texts[i]) + 1);
	tc_free(a, st->set_texts, st->combinations * (st->key_count + 1) * sizeof *st->set_texts);
	for (size_t k = 0; k < st->key_count; k++) {
		grid_key *g = &st->keys[k];
		for (size_t v = 0; v < g->count; v++)
			tc_free(a, g->values[v], strlen(g->values[v]) + 1);
		tc_free(a, g->values, g->count * sizeof *g->values);
		if (g->path)
			tc_free(a, g->path, strlen(g->path) + 1);
	}
	tc_free(a, st->keys, (st->job->grid_count + 1) * sizeof *st->keys);
	tc_free(a, st->key_paths, (st->job->grid_count + 1) * sizeof *st->key_paths);
}

int cli_sweep_run(const cli_sweep_job *job)
{
	tc_alloc *a = tc_alloc_default();
	job_state st = {.job = job, .alloc = a, .combinations = 1, .rank = tc_exec_mpi_rank()};
	st.keys = tc_calloc(a, job->grid_count + 1, sizeof *st.keys);
	st.key_paths = tc_calloc(a, job->grid_count + 1, sizeof *st.key_paths);
	int rc = st.keys && st.key_paths ? TC_OK : TC_ENOMEM;
	for (size_t k = 0; !rc && k < job->grid_count; k++) {
		rc = split_grid(a, job->grid[k], &st.keys[k]);
		st.key_count = k + 1;
		if (rc == -1) {
			rc = cli_usage_error(job->command, "--grid '%s': expected PATH=V1,V2,... with no "
			                     "empty value", job->grid[k]);
			break;
		}
		st.key_paths[k] = st.keys[k].path;
		if (!rc && st.combinations > UINT32_MAX / st.keys[k].count)
			rc = cli_usage_error(job->command, "--grid: too many combinations");
		else if (!rc)
			st.combinations *= st.keys[k].count;
	}
	if (!rc && (uint64_t)st.combinations * job->side_count * (job->last - job->first) >
	           UINT32_MAX)
		rc = cli_usage_error(job->command, "more than 2^32 runs in one job");
	if (!rc)
		rc = load_all(&st);
	if (!rc)
		rc = prepare_sweep(&st);
	if (!rc && st.rank == 0)
		rc = open_outputs(&st);
	if (rc == TC_ENOMEM)
		fprintf(stderr, "tocsin %s: out of memory\n", job->command);
	/* Under MPI every rank must know that one of them cannot go on. */
	int all = tc_exec_mpi_agree(rc == EXIT_USAGE ? TC_EINVAL : rc);
	if (all && !rc) {
		if (st.rank == 0)
			fprintf(stderr, "tocsin %s: another MPI rank could not load the scenario "
			                "(its error is above)\n", job->command);
		rc = all;
	}
	int status = rc == EXIT_USAGE ? EXIT_USAGE : rc ? EXIT_INVALID : EXIT_VALID;
	if (!rc) {
		char logs[4200];
		if (job->keep_logs && job->side_count == 1) {
			snprintf(logs, sizeof logs, "%s/logs", job->sides[0].dir);
			st.sw.log_dir = logs;
		}
		st.progress = st.rank == 0 && cli_progress_wanted(job->quiet);
		st.started = now();
		char err[1024] = "";
		rc = tc_sweep_execute(&st.sw, job->jobs, write_row, draw_progress, &st, err,
		                      sizeof err);
		if (rc) {
			if (st.progress)
				fputs("\r\033[K", stderr);
			if (st.rank == 0)
				fprintf(stderr, "tocsin %s: %s: %s\n", job->command, job->sides[0].scenario,
				        err);
			status = EXIT_INVALID;
		} else if (st.rank == 0) {
			status = finish_outputs(&st);
		}
	}
	if (st.rank == 0)
		close_outputs(&st, status != EXIT_VALID);
	release_state(&st);
	return status;
}
