/* Helpers shared by the unit tests. */
#ifndef TC_TEST_SUPPORT_H
#define TC_TEST_SUPPORT_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

/* Path of a file under tests/data (static buffer, valid until the next call). */
const char *test_data_path(const char *name);
/* Path of a file under the source tree. */
const char *test_source_path(const char *name);
/* Write text to a fresh temporary file and return its path (static buffer). */
const char *test_write_temp(const char *name, const char *text);
/* Read a whole file; caller frees. NULL when it cannot be read. */
char *test_read_file(const char *path, size_t *len);

#endif

/* ---- scenarios and runs ---- */
#include "core/diag.h"
#include "scenario/scenario.h"
#include "sim/run.h"

/* Lines 1-6 of most test scenarios; what a test adds starts at line 7. */
#define TEST_SCENARIO_BASE                                                    \
	"exercise: {name: T, start: 2024-03-01T09:00:00Z, duration: 2d}\n"   \
	"actors:\n"                                                           \
	"  - {id: victim, level: technical, handling: {default: 10m}}\n"      \
	"  - {id: cert, level: technical, handling: {default: 10m}}\n"        \
	"incidents:\n"                                                        \
	"  - {id: attack, required: [victim, cert]}\n"

/* Load a scenario from YAML text (written to a temporary file named name);
 * fails the test, printing the diagnostics, when it does not load. */
tc_scenario *test_scenario(const char *name, const char *yaml);
/* Load YAML text that must be refused; returns the diagnostics joined as
 * "line:column: message\n" lines (static buffer) for assertions. */
const char *test_scenario_errors(const char *name, const char *yaml);

/* Diagnostics as "FILE:line:column: message\n" lines (static buffer), FILE
 * without its directory and without the temporary files' "tocsin-test-PID-"
 * prefix. */
const char *test_format_diag(const tc_diag *diag);
/* Load the scenario file at path; returns the result, the scenario in *out
 * (out NULL: freed) and the diagnostics (test_format_diag) in *errors. */
int test_load_file(const char *path, const tc_load_options *opt, tc_scenario **out,
                   const char **errors);
/* Loading path with opt fails with TC_ENOMEM, leaking nothing, when any one
 * of its allocations fails, and succeeds when none does. */
void test_load_fails_cleanly(const char *path, const tc_load_options *opt);

/* Every record of a run, copied. */
typedef struct test_trace {
	tc_record *items;
	size_t count, cap;
} test_trace;

/* Run s with seed/replication to the end, recording every record into
 * trace (which may be NULL); fails the test if the run fails. */
void test_run(const tc_scenario *s, uint64_t seed, uint32_t replication, test_trace *trace);
void test_trace_release(test_trace *t);
/* The n-th record (0-based) of a type, or NULL. */
const tc_record *test_trace_find(const test_trace *t, tc_record_type type, size_t n);
/* How many records of a type. */
size_t test_trace_count(const test_trace *t, tc_record_type type);
