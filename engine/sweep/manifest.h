/*
 * DIR/sweep.json: what a sweep ran (scenario, options, replications) and
 * the columns of its replications.csv (docs/sweep.md). It makes the rows
 * readable without the scenario and lets `tocsin merge` check that shards
 * belong to one sweep before joining them.
 */
#ifndef TC_SWEEP_MANIFEST_H
#define TC_SWEEP_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#include "analysis/figures.h"
#include "core/arena.h"
#include "core/buf.h"

typedef struct tc_manifest_block {
	const char *const *values;     /* a value per grid key */
	const char *resolved_sha256;   /* of the resolved scenario its runs embed */
} tc_manifest_block;

typedef struct tc_manifest {
	tc_arena arena;                /* read: everything below */
	const char *scenario_file, *scenario_name, *scenario_sha256;
	const char *doctrine;          /* --doctrine, NULL when the scenario's own */
	const char *const *scripts;    /* --script */
	size_t script_count;
	const char *const *sets;       /* --set */
	size_t set_count;
	const char *const *keys;       /* --grid keys */
	size_t key_count;
	const tc_manifest_block *blocks;
	size_t block_count;
	uint64_t seed;
	uint32_t replications;         /* of the whole sweep: 0 .. replications - 1 */
	uint32_t first, last;          /* this directory's: [first, last) */
	int64_t until;                 /* ms, or -1 for the scenario's end */
	uint64_t max_events, lua_memory, lua_instructions;
	int script_errors_continue;
	const tc_figure *columns;      /* names and kinds */
	size_t column_count;
} tc_manifest;

/* The members that say what was run, as sweep.json and summary.json both
 * write them: tocsin, scenario, doctrine, scripts, sets, grid, seed. */
struct tc_jsonw;
void tc_manifest_json_run(struct tc_jsonw *w, const tc_manifest *m);

/* Append m as one line of JSON. */
void tc_manifest_json(tc_buf *b, const tc_manifest *m);

/* Read path into m (allocated from a). TC_OK; TC_EIO, TC_EINVAL (path: what
 * is wrong) or TC_ENOMEM with err set. m is released on failure. */
int tc_manifest_read(tc_manifest *m, tc_alloc *a, const char *path, char *err, size_t errlen);
void tc_manifest_release(tc_manifest *m);

/* Whether a and b ran the same sweep (everything but first and last is
 * equal); 0 when they did, else -1 with the first difference in err. */
int tc_manifest_same_sweep(const tc_manifest *a, const tc_manifest *b, char *err, size_t errlen);

#endif
