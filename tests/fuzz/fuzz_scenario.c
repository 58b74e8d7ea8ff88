/*
 * libFuzzer target for the scenario loader and the simulation: load
 * arbitrary bytes as a scenario (tc_scenario_load_buffer, the code path of
 * files too) and check the loader's promises; when it loads, serialise the
 * resolved scenario and run it for a bounded number of events, formatting
 * every record as the event log does, twice: the same seed must give the
 * same log, byte for byte. Any broken promise aborts.
 *
 * The name given to the loader has no directory, so a doctrine file the
 * input names is looked up in the working directory: run the fuzzer from a
 * directory holding nothing it should read (scripts/fuzz runs it from the
 * repository, where such names do not exist).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/diag.h"
#include "core/error.h"
#include "scenario/scenario.h"
#include "sim/log_json.h"
#include "sim/run.h"

#include "fuzz_log.h"

/* A run's size is bounded by its events; enough for many meetings and
 * retries, little enough that one input takes milliseconds. */
enum { MAX_EVENTS = 3000 };

/* Run s once; the hash of its log, or 0 when it could not start. */
static uint64_t run_scenario(const tc_scenario *s, uint64_t seed)
{
	tc_alloc *a = tc_alloc_default();
	log_state log = {.next_seq = 0, .hash = 0xcbf29ce484222325u};
	tc_buf_init(&log.line, a);
	tc_log_json_scenario(&log.line, s);
	check(log.line.failed || log.line.len > 0);
	tc_run_options opt = {.seed = seed, .until = TC_TIME_NEVER, .max_events = MAX_EVENTS};
	tc_sink sink = {record, &log};
	tc_run *run = NULL;
	int rc = tc_run_new(&run, a, s, &opt, &sink);
	check(rc == TC_OK || rc == TC_ENOMEM || rc == TC_ELIMIT);
	if (rc == TC_OK) {
		rc = tc_run_execute(run);
		check(rc == TC_OK || rc == TC_ENOMEM || rc == TC_ELIMIT);
		const tc_run_stats *st = tc_run_stats_of(run);
		check(st->events <= MAX_EVENTS);
		check(st->records == log.next_seq);
		check(st->end_time <= s->duration);
		hash_bytes(&log.hash, (const char *)&rc, sizeof rc);
		tc_run_free(run);
	}
	tc_buf_release(&log.line);
	return rc == TC_OK || rc == TC_ELIMIT ? log.hash : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tc_alloc *a = tc_alloc_default();
	tc_diag diag;
	tc_diag_init(&diag, a);
	tc_scenario *s = NULL;
	int rc = tc_scenario_load_buffer(&s, a, "fuzz.yaml", (const char *)data, size, NULL, &diag);
	check(rc == TC_OK || rc == TC_EINVAL || rc == TC_ELIMIT || rc == TC_EIO ||
	      rc == TC_ENOENT || rc == TC_ENOMEM);
	/* Loaded exactly when nothing was reported; refused with a reason. */
	check((rc == TC_OK) == (s != NULL));
	check((rc == TC_OK) == (tc_diag_errors(&diag) == 0));
	for (size_t i = 0; i < diag.count; i++) {
		const tc_diag_entry *e = &diag.items[i];
		check(e->file != NULL && e->message != NULL && e->message[0] != '\0');
		check(e->line >= 0 && e->column >= 0 && (e->line > 0 || e->column == 0));
		/* Sorted by position within a file. */
		if (i > 0 && strcmp(diag.items[i - 1].file, e->file) == 0)
			check(diag.items[i - 1].line < e->line ||
			      (diag.items[i - 1].line == e->line && diag.items[i - 1].column <= e->column));
	}
	if (s) {
		check(s->actor_count >= 1 && s->actor_count <= TC_MAX_ACTORS);
		check(s->incident_count >= 1 && s->duration > 0);
		for (size_t i = 0; i < s->actor_count; i++)
			check(tc_scenario_find_actor(s, s->actors[i].id) == (int)i);
		uint64_t first = run_scenario(s, size);
		check(first == 0 || run_scenario(s, size) == first);
		tc_scenario_free(s);
	}
	tc_diag_release(&diag);
	return 0;
}
