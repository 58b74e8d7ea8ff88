/*
 * Many replications, each reduced to one row of figures: the run feeds its
 * analysis directly (no log is written unless asked for), the figures are
 * read from the metrics, and everything the run made is freed before the
 * next, so a worker's memory does not grow with the number of replications.
 */
#include "sweep/sweep.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "analysis/feed.h"
#include "core/csv.h"
#include "core/error.h"
#include "core/fileio.h"
#include "core/sha256.h"
#include "sim/log_json.h"

uint64_t tc_sweep_seed(const tc_sweep *sw, const tc_sweep_variant *var)
{
	return (sw->run.seed + var->seed_offset) & (uint64_t)INT64_MAX;
}

/* The run options of a variant's replications (but the replication). */
static tc_run_options variant_options(const tc_sweep *sw, const tc_sweep_variant *var)
{
	tc_run_options opt = sw->run;
	opt.seed = tc_sweep_seed(sw, var);
	return opt;
}

/* The setup every run of v starts with: run-started as the log writes it,
 * read back as the analysis reads it. */
static int variant_setup(const tc_sweep *sw, const tc_sweep_variant *var, tc_setup *setup,
                         char *err, size_t errlen)
{
	tc_run *run = NULL;
	tc_run_options opt = variant_options(sw, var);
	opt.replication = sw->first;
	const tc_scenario *s = var->scenario;
	int rc = tc_run_new(&run, sw->alloc, s, &opt, NULL);
	if (rc) {
		snprintf(err, errlen, "%s", tc_strerror(rc));
		return rc;
	}
	tc_buf b;
	tc_buf_init(&b, sw->alloc);
	tc_record rec = {.type = TC_REC_RUN_STARTED, .seq = 1, .time = s->span_start};
	tc_log_json_format(&b, run, &rec);
	rc = b.failed ? TC_ENOMEM : tc_setup_parse(setup, sw->alloc, b.data, b.len, err, errlen);
	if (rc == TC_ENOMEM)
		snprintf(err, errlen, "out of memory");
	tc_buf_release(&b);
	tc_run_free(run);
	return rc;
}

static int resolved_hash(const tc_sweep *sw, const tc_scenario *s, char hex[65])
{
	tc_buf b;
	tc_buf_init(&b, sw->alloc);
	tc_log_json_scenario(&b, s);
	int rc = b.failed ? TC_ENOMEM : TC_OK;
	if (!rc) {
		uint8_t digest[TC_SHA256_SIZE];
		tc_sha256(b.data, b.len, digest);
		tc_sha256_hex(digest, hex);
	}
	tc_buf_release(&b);
	return rc;
}

int tc_sweep_prepare(tc_sweep *sw, char *err, size_t errlen)
{
	assert(sw->first <= sw->last && sw->variant_count > 0);
	for (size_t v = 0; v < sw->variant_count; v++) {
		tc_sweep_variant *var = &sw->variants[v];
		tc_setup setup;
		int rc = variant_setup(sw, var, &setup, err, errlen);
		if (rc)
			return rc;
		rc = tc_figure_set_init(&var->figures, sw->alloc, &setup);
		tc_setup_release(&setup);
		if (!rc)
			rc = resolved_hash(sw, var->scenario, var->resolved_sha256);
		if (rc) {
			snprintf(err, errlen, "out of memory");
			return rc;
		}
	}
	return TC_OK;
}

void tc_sweep_release(tc_sweep *sw)
{
	for (size_t v = 0; v < sw->variant_count; v++)
		tc_figure_set_release(&sw->variants[v].figures);
}

void tc_sweep_header(const tc_sweep *sw, size_t variant, tc_buf *b)
{
	const tc_figure_set *fs = &sw->variants[variant].figures;
	for (size_t k = 0; k < sw->key_count; k++) {
		tc_csv_add_field(b, sw->keys[k], ',');
		tc_buf_addc(b, ',');
	}
	tc_buf_adds(b, "replication");
	for (size_t f = 0; f < fs->count; f++) {
		tc_buf_addc(b, ',');
		tc_csv_add_field(b, fs->figures[f].name, ',');
	}
	tc_buf_addc(b, '\n');
}

static void add_value(tc_buf *b, tc_figure_kind kind, const tc_figure_value *v)
{
	tc_buf_addc(b, ',');
	if (!v->present)
		return;
	switch (kind) {
	case TC_FIGURE_LABEL:
		tc_csv_add_field(b, v->label, ',');
		break;
	case TC_FIGURE_RATIO:
		tc_buf_add_double(b, v->number);
		break;
	default:
		/* Times, counts and flags are whole numbers well within 2^53. */
		tc_buf_add_i64(b, (int64_t)v->number);
		break;
	}
}

static void add_row(const tc_sweep *sw, size_t variant, uint32_t replication,
                    const tc_metrics *m, tc_figure_value *values, tc_buf *row)
{
	const tc_sweep_variant *var = &sw->variants[variant];
	for (size_t k = 0; k < sw->key_count; k++) {
		tc_csv_add_field(row, var->values[k], ',');
		tc_buf_addc(row, ',');
	}
	tc_buf_add_u64(row, replication);
	tc_figure_values(&var->figures, m, values);
	for (size_t f = 0; f < var->figures.count; f++)
		add_value(row, var->figures.figures[f].kind, &values[f]);
	tc_buf_addc(row, '\n');
}

/* LOG_DIR/replication-I.jsonl, or LOG_DIR/V/replication-I.jsonl. */
static void log_path(const tc_sweep *sw, size_t variant, uint32_t replication, char *path,
                     size_t n)
{
	if (sw->variant_count > 1)
		snprintf(path, n, "%s/%zu/replication-%" PRIu32 ".jsonl", sw->log_dir, variant,
		         replication);
	else
		snprintf(path, n, "%s/replication-%" PRIu32 ".jsonl", sw->log_dir, replication);
}

int tc_sweep_replication(const tc_sweep *sw, size_t variant, uint32_t replication, tc_buf *row,
                         char *err, size_t errlen)
{
	assert(variant < sw->variant_count);
	tc_alloc *a = sw->alloc;
	const tc_sweep_variant *var = &sw->variants[variant];
	tc_run_options opt = variant_options(sw, var);
	opt.replication = replication;

	tc_atomic_file file = {0};
	tc_log_json log;
	tc_sink log_sink;
	int logging = sw->log_dir != NULL;
	if (logging) {
		char path[4096];
		log_path(sw, variant, replication, path, sizeof path);
		if (tc_atomic_open(&file, path, err, errlen))
			return TC_EIO;
		tc_log_json_init(&log, a, file.f);
		log_sink = tc_log_json_sink(&log);
	}
	tc_analysis *an = tc_analysis_new(a);
	tc_analysis_feed feed;
	tc_analysis_feed_init(&feed, a, an, logging ? &log_sink : NULL);
	tc_sink sink = tc_analysis_feed_sink(&feed);
	tc_run *run = NULL;
	const tc_metrics *m = NULL;
	int rc = an ? tc_run_new(&run, a, var->scenario, &opt, &sink) : TC_ENOMEM;
	if (!rc)
		rc = tc_run_execute(run);
	if (rc)
		snprintf(err, errlen, "%s", feed.error ? tc_analysis_error(an)
		                            : run ? tc_run_error_message(run) : tc_strerror(rc));
	if (logging) {
		if (!rc)
			rc = tc_atomic_commit(&file, err, errlen) ? TC_EIO : TC_OK;
		else
			tc_atomic_abort(&file);
		tc_log_json_release(&log);
	}
	if (!rc && (rc = tc_analysis_finish(an, &m)))
		snprintf(err, errlen, "the analysis failed: %s", tc_analysis_error(an));
	if (!rc) {
		tc_figure_value *values = tc_malloc(a, var->figures.count * sizeof *values + 1);
		if (values) {
			add_row(sw, variant, replication, m, values, row);
			tc_free(a, values, var->figures.count * sizeof *values + 1);
		}
		if (!values || row->failed) {
			rc = TC_ENOMEM;
			snprintf(err, errlen, "out of memory");
		}
	}
	tc_run_free(run);
	tc_analysis_feed_release(&feed);
	tc_analysis_free(an);
	return rc;
}

typedef struct execution {
	const tc_sweep *sw;
	tc_sweep_row_fn row;
	tc_sweep_progress_fn progress;
	void *ud;
} execution;

/* Task t is replication first + t / V of variant t % V: the variants of one
 * replication run side by side. */
static int run_task(void *ud, void *worker, uint64_t t, tc_buf *out, char *err, size_t errlen)
{
	(void)worker;
	const execution *x = ud;
	const tc_sweep *sw = x->sw;
	size_t variant = (size_t)(t % sw->variant_count);
	uint32_t replication = sw->first + (uint32_t)(t / sw->variant_count);
	char why[768];
	int rc = tc_sweep_replication(sw, variant, replication, out, why, sizeof why);
	if (rc) {
		if (sw->variant_count > 1)
			snprintf(err, errlen, "replication %" PRIu32 " of variant %zu: %s", replication,
			         variant + 1, why);
		else
			snprintf(err, errlen, "replication %" PRIu32 ": %s", replication, why);
	}
	return rc;
}

static int emit_task(void *ud, uint64_t t, const char *data, size_t len, char *err,
                     size_t errlen)
{
	const execution *x = ud;
	const tc_sweep *sw = x->sw;
	return x->row(x->ud, (size_t)(t % sw->variant_count),
	              sw->first + (uint32_t)(t / sw->variant_count), data, len, err, errlen);
}

static void progress_task(void *ud, uint64_t done, uint64_t total)
{
	const execution *x = ud;
	x->progress(x->ud, done, total);
}

int tc_sweep_execute(const tc_sweep *sw, unsigned jobs, tc_sweep_row_fn row,
                     tc_sweep_progress_fn progress, void *ud, char *err, size_t errlen)
{
	execution x = {sw, row, progress, ud};
	tc_exec_tasks tasks = {.run = run_task, .emit = emit_task,
	                       .progress = progress ? progress_task : NULL, .ud = &x};
	tc_exec_options o = {.first = 0,
	                     .last = (uint64_t)(sw->last - sw->first) * sw->variant_count,
	                     .jobs = jobs ? jobs : 1, .alloc = sw->alloc};
	return tc_exec_mpi(&o, &tasks, err, errlen);
}

void tc_sweep_keep_freed_memory(void)
{
#if defined(__GLIBC__)
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_TOP_PAD, 16 << 20);
#endif
}
