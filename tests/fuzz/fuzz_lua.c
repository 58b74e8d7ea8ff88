/*
 * libFuzzer target for scenario Lua: the input is a script, run in a small
 * fixed scenario through the whole tocsin API and the sandbox, with small
 * budgets. Whatever the script does, the run must end with a result the
 * engine documents (never a crash, a hang, a leak or a sanitizer report),
 * and two runs of one seed must give the same log byte for byte, although
 * each Lua state hashes strings with its own random seed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/diag.h"
#include "core/error.h"
#include "core/sha256.h"
#include "scenario/scenario.h"
#include "sim/log_json.h"
#include "sim/run.h"

#include "fuzz_log.h"

enum { MAX_EVENTS = 3000 };

/* Two teams, a channel, an incident, a rule that relays, a meeting, two
 * injects: enough for every function of the API to have something to act on. */
static const char scenario_yaml[] =
	"exercise: {name: fuzz, start: '2022-08-22T00:00:00Z', duration: 2d}\n"
	"actors:\n"
	"  - {id: a, level: technical, staff: 1, handling: {default: 10m}}\n"
	"  - {id: b, level: operational, staff: 2, handling: {default: 15m},\n"
	"     schedule: {mon-fri: '09:00-17:00'}, on_call: {staff: 1, callout_delay: 30m}}\n"
	"channels: [{id: mail, latency: 5m}, {id: phone, latency: 1m, priority: 2}]\n"
	"incidents: [{id: i, severity: high, required: [a, b]}]\n"
	"meetings: [{id: m, chair: a, participants: [a, b], duration: 30m}]\n"
	"doctrine:\n"
	"  name: relay\n"
	"  rules:\n"
	"    - {actor: a, on: alert, send: {kind: early-warning, to: b}}\n"
	"    - {actor: b, on: early-warning, send: {kind: sitrep, to: a}}\n"
	"injects:\n"
	"  - {id: detect, at: T+0, to: a, kind: alert, incident: i}\n"
	"  - {id: again, at: T+06:00, to: a, kind: alert, incident: i}\n";

static tc_scenario *base_scenario(void)
{
	static tc_scenario *s;
	if (!s) {
		tc_diag diag;
		tc_diag_init(&diag, tc_alloc_default());
		int rc = tc_scenario_load_buffer(&s, tc_alloc_default(), "fuzz.yaml", scenario_yaml,
		                                 sizeof scenario_yaml - 1, NULL, &diag);
		check(rc == TC_OK);
		tc_diag_release(&diag);
	}
	return s;
}

static uint64_t run_once(const tc_scenario *s, uint64_t seed)
{
	log_state log = {.next_seq = 0, .hash = 0xcbf29ce484222325u};
	tc_buf_init(&log.line, tc_alloc_default());
	tc_run_options opt = {
		.seed = seed, .until = TC_TIME_NEVER, .max_events = MAX_EVENTS,
		.script_memory = 16 << 20, .script_instructions = 200000,
	};
	tc_sink sink = {record, &log};
	tc_run *run = NULL;
	int rc = tc_run_new(&run, tc_alloc_default(), s, &opt, &sink);
	check(rc == TC_OK);
	rc = tc_run_execute(run);
	check(rc == TC_OK || rc == TC_ESCRIPT || rc == TC_ELIMIT || rc == TC_ENOMEM);
	if (rc)
		check(tc_run_error_message(run)[0] != '\0');
	hash_bytes(&log.hash, (const char *)&rc, sizeof rc);
	tc_run_free(run);
	tc_buf_release(&log.line);
	return log.hash;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The loader keeps scripts NUL-terminated; so does the harness. */
	char *text = malloc(size + 1);
	check(text != NULL);
	memcpy(text, data, size);
	text[size] = '\0';
	tc_script_def script = {.name = "fuzz.lua", .text = text, .len = size,
	                        .role = TC_SCRIPT_INJECTS, .entity = 12345};
	/* A private copy of the scenario with this script: runs only read it. */
	tc_scenario s = *base_scenario();
	s.scripts = &script;
	s.script_count = 1;
	uint64_t first = run_once(&s, size);
	check(run_once(&s, size) == first);
	free(text);
	return 0;
}
