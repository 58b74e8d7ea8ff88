/*
 * Catalogues: `include:` and `extends:`. The merge rules (a key replaces the
 * catalogue's, null removes it, handling merges by kind, the id is the
 * catalogue's unless given), that an extended entry resolves exactly like
 * the same entry written out, every error with its own file and position,
 * and clean failure at every allocation.
 */
#define _POSIX_C_SOURCE 200809L
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "scenario/scenario.h"
#include "sim/log_json.h"

/* The temporary file name test_write_temp gives `name`, without its directory. */
static const char *temp_name(const char *name)
{
	static char out[128];
	snprintf(out, sizeof out, "tocsin-test-%ld-%s", (long)getpid(), name);
	return out;
}

#define CATALOGUE                                                                   \
	"catalogue: {name: Test actors, description: For the tests}\n"                  \
	"actors:\n"                                                                     \
	"  - id: cert\n"                                                                \
	"    name: National CERT\n"                                                     \
	"    level: technical\n"                                                        \
	"    staff: 3\n"                                                                \
	"    schedule: {mon-fri: \"09:00-18:00\"}\n"                                   \
	"    on_call: {staff: 1, callout_delay: 1h, min_severity: high}\n"              \
	"    handling:\n"                                                               \
	"      default: 20m\n"                                                          \
	"      alert: {dist: lognormal, median: 30m, p90: 1h30m}\n"                     \
	"  - id: crisis-cell\n"                                                         \
	"    level: operational\n"                                                      \
	"    handling: {default: 15m}\n"                                                \
	"channels:\n"                                                                   \
	"  - {id: phone, kind: phone, latency: 5m, loss: 0.05}\n"                       \
	"meetings:\n"                                                                   \
	"  - {id: cell, chair: crisis-cell, participants: [crisis-cell, cert], duration: 1h}\n"

/* Write the catalogue (as cat.yaml) and a scenario whose line 2 is
 * `include: INCLUDE` (NULL: the catalogue) followed by rest. Returns the
 * scenario's path. */
static const char *write_scenario(const char *catalogue, const char *include, const char *rest)
{
	assert_non_null(test_write_temp("cat.yaml", catalogue));
	char *text = malloc(strlen(rest) + (include ? strlen(include) : 0) + 256);
	assert_non_null(text);
	sprintf(text, "exercise: {name: T, start: 2024-03-01T09:00:00Z, duration: 2d}\n"
	              "include: %s\n%s", include ? include : temp_name("cat.yaml"), rest);
	static char path[4096];
	snprintf(path, sizeof path, "%s", test_write_temp("scenario.yaml", text));
	free(text);
	return path;
}

static const char *write_pair(const char *catalogue, const char *rest)
{
	return write_scenario(catalogue, NULL, rest);
}

/* The catalogue's full path, as messages that point at it name it. */
static const char *catalogue_path(void)
{
	static char path[4096];
	snprintf(path, sizeof path, "%s", test_write_temp("cat.yaml", ""));
	return path;
}

static tc_scenario *load_ok(const char *path)
{
	tc_scenario *s = NULL;
	const char *errors;
	if (test_load_file(path, NULL, &s, &errors) != 0)
		fail_msg("did not load:\n%s", errors);
	return s;
}

static void expect_errors(const char *catalogue, const char *rest, const char *expected)
{
	const char *errors;
	tc_scenario *s = NULL;
	assert_int_not_equal(test_load_file(write_pair(catalogue, rest), NULL, &s, &errors), 0);
	assert_null(s);
	if (strcmp(errors, expected) != 0)
		fail_msg("--- expected\n%s--- got\n%s", expected, errors);
}

/* The resolved scenario as the log embeds it, minus the file's own identity
 * (name, digest and includes differ between two files by construction). */
static char *resolved_json(const tc_scenario *s)
{
	tc_buf b;
	tc_buf_init(&b, tc_alloc_default());
	tc_log_json_scenario(&b, s);
	assert_false(b.failed);
	char *text = strdup(b.data);
	tc_buf_release(&b);
	assert_non_null(text);
	char *from = strstr(text, "\"description\":");
	assert_non_null(from);
	memmove(text, from, strlen(from) + 1);
	return text;
}

static void extended_entries_resolve_like_written_ones(void **state)
{
	(void)state;
	const char *path = write_pair(CATALOGUE,
		"actors:\n"
		"  - extends: cert\n"                                   /* line 4 */
		"    staff: 5\n"
		"    handling: {alert: 1h, sitrep: 5m}\n"
		"  - {extends: cert, id: cert-night, on_call: null, schedule: 24/7}\n"
		"  - {extends: crisis-cell}\n"
		"channels:\n"
		"  - {extends: phone, loss: 0}\n"
		"incidents:\n"
		"  - {id: attack, required: [cert, crisis-cell]}\n"
		"meetings:\n"
		"  - {extends: cell, quorum: 1}\n");
	tc_scenario *s = load_ok(path);
	assert_int_equal(s->include_count, 1);
	assert_non_null(strstr(s->includes[0].file, temp_name("cat.yaml")));
	assert_int_equal(strlen(s->includes[0].sha256), 64);
	char *got = resolved_json(s);
	tc_scenario_free(s);

	/* The same scenario written out by hand, as the merge rules say. */
	const char *written = test_write_temp("written.yaml",
		"exercise: {name: T, start: 2024-03-01T09:00:00Z, duration: 2d}\n"
		"actors:\n"
		"  - id: cert\n"
		"    name: National CERT\n"
		"    level: technical\n"
		"    staff: 5\n"
		"    schedule: {mon-fri: \"09:00-18:00\"}\n"
		"    on_call: {staff: 1, callout_delay: 1h, min_severity: high}\n"
		"    handling:\n"
		"      default: 20m\n"
		"      alert: 1h\n"
		"      sitrep: 5m\n"
		"  - id: cert-night\n"
		"    name: National CERT\n"
		"    level: technical\n"
		"    staff: 3\n"
		"    schedule: 24/7\n"
		"    handling: {default: 20m, alert: {dist: lognormal, median: 30m, p90: 1h30m}}\n"
		"  - {id: crisis-cell, level: operational, handling: {default: 15m}}\n"
		"channels:\n"
		"  - {id: phone, kind: phone, latency: 5m, loss: 0}\n"
		"incidents:\n"
		"  - {id: attack, required: [cert, crisis-cell]}\n"
		"meetings:\n"
		"  - {id: cell, chair: crisis-cell, participants: [crisis-cell, cert], duration: 1h,\n"
		"     quorum: 1}\n");
	tc_scenario *w = load_ok(written);
	char *want = resolved_json(w);
	assert_int_equal(w->include_count, 0);
	tc_scenario_free(w);
	assert_string_equal(got, want);
	free(got);
	free(want);
}

static void entry_values(void **state)
{
	(void)state;
	tc_scenario *s = load_ok(write_pair(CATALOGUE,
		"actors:\n"
		"  - {extends: cert, staff: 7, handling: {alert: 2m}}\n"
		"  - {extends: cert, id: cert2, on_call: null}\n"
		"incidents:\n"
		"  - {id: attack, required: cert}\n"));
	assert_int_equal(s->actor_count, 2);
	assert_string_equal(s->actors[0].id, "cert");
	assert_string_equal(s->actors[0].name, "National CERT");
	assert_int_equal(s->actors[0].staff, 7);
	assert_int_equal(s->actors[0].on_call.staff, 1);
	assert_string_equal(s->actors[1].id, "cert2");
	assert_int_equal(s->actors[1].staff, 3);
	assert_int_equal(s->actors[1].on_call.staff, 0);
	tc_scenario_free(s);
	/* Removing the default handling time leaves the entry without one. */
	expect_errors(CATALOGUE,
		"actors:\n"
		"  - {extends: cert, handling: {default: null}}\n"
		"incidents:\n"
		"  - {id: attack, required: cert}\n",
		"scenario.yaml:4:31: actor 'cert': handling: missing required key 'default' (the "
		"handling time of kinds not listed)\n");
}

static void errors_name_their_own_file(void **state)
{
	(void)state;
	/* A kind the scenario does not declare, used in the catalogue: the
	 * error is the catalogue's line; the scenario's own errors stay its. */
	expect_errors(
		"catalogue: {name: C}\n"
		"actors:\n"
		"  - {id: cert, level: technicl, handling: {default: 1m, plan-blanc: 1h}}\n",
		"actors:\n"
		"  - {extends: cert, staff: -1}\n"
		"incidents:\n"
		"  - {id: attack, required: cert}\n",
		"cat.yaml:3:23: unknown level 'technicl' (did you mean 'technical'?)\n"
		"cat.yaml:3:57: unknown message kind 'plan-blanc' (declare it under 'kinds:')\n"
		"scenario.yaml:4:28: integer -1 is out of range (expected 0 to 100000)\n");
}

static void bad_extends(void **state)
{
	(void)state;
	expect_errors(CATALOGUE,
		"actors:\n"
		"  - {extends: crt}\n"
		"  - {extends: [cert]}\n"
		"  - {extends: cert}\n"
		"  - {extends: cert}\n"
		"incidents:\n"
		"  - {id: attack, required: [crt, cert]}\n"
		"channels:\n"
		"  - {extends: fax}\n",
		"scenario.yaml:4:15: unknown catalogue actor 'crt' (did you mean 'cert'?)\n"
		"scenario.yaml:5:15: expected a scalar (the id of a catalogue actor), got a "
		"sequence\n"
		"scenario.yaml:7:15: duplicate actor id 'cert'\n"
		"scenario.yaml:11:15: unknown catalogue channel 'fax' (expected one of the "
		"included catalogues' channels)\n");
	/* A misspelt extends does not lend its typo as an id: references to the
	 * id meant are not reported as unknown, with a hint at the typo. */
	expect_errors(CATALOGUE,
		"actors:\n"
		"  - {extends: crisis-cell}\n"
		"  - {extends: certt}\n"
		"incidents:\n"
		"  - {id: attack, required: [cert, crisis-cell], detector: cert}\n",
		"scenario.yaml:5:15: unknown catalogue actor 'certt' (did you mean 'cert'?)\n");
	/* Without include: */
	const char *errors;
	tc_scenario *s = NULL;
	const char *path = test_write_temp("alone.yaml", TEST_SCENARIO_BASE
		"channels:\n"
		"  - {extends: phone}\n");
	assert_int_not_equal(test_load_file(path, NULL, &s, &errors), 0);
	assert_string_equal(errors, "alone.yaml:8:15: extends the catalogue channel 'phone', but "
	                            "the scenario includes no catalogue (add include: FILE)\n");
}

static void bad_catalogues(void **state)
{
	(void)state;
	char want[8192];
	snprintf(want, sizeof want,
		"cat.yaml:1:1: catalogue file: missing required key 'catalogue'\n"
		"cat.yaml:3:10: actor 'cert' is already defined in the included catalogues (at "
		"%s:2)\n"
		"cat.yaml:3:25: catalogue actor 'cert': a catalogue entry cannot extend another "
		"(scenarios extend catalogue entries)\n"
		"cat.yaml:4:5: expected a mapping (a catalogue actor (a mapping with an id)), got a "
		"sequence\n"
		"cat.yaml:5:1: unknown key 'injects' in catalogue file (expected one of: catalogue, "
		"actors, channels, meetings)\n", catalogue_path());
	expect_errors(
		"actors:\n"
		"  - {id: cert, level: technical, handling: {default: 1m}}\n"
		"  - {id: cert, extends: cert}\n"
		"  - [not, a, mapping]\n"
		"injects: []\n",
		"actors:\n"
		"  - {extends: cert}\n"
		"incidents:\n"
		"  - {id: attack, required: cert}\n", want);
}

static void bad_includes(void **state)
{
	(void)state;
	const char *name = temp_name("cat.yaml");
	char include[512], want[16384], dir[4096];
	snprintf(dir, sizeof dir, "%s", catalogue_path());
	*strrchr(dir, '/') = '\0';
	snprintf(include, sizeof include, "[%s, ./%s, missing.yaml, {a: 1}]", name, name);
	const char *errors;
	tc_scenario *s = NULL;
	const char *path = write_scenario(CATALOGUE, include,
	                                  "actors:\n"
	                                  "  - {id: v, level: technical, handling: {default: 1m}}\n"
	                                  "incidents:\n"
	                                  "  - {id: attack, required: v}\n");
	assert_int_not_equal(test_load_file(path, NULL, &s, &errors), 0);
	size_t second = 11 + strlen(name) + 2, missing = second + strlen(name) + 4;
	snprintf(want, sizeof want,
	         "scenario.yaml:2:%zu: catalogue file './%s' is included twice\n"
	         "scenario.yaml:2:%zu: cannot open catalogue file '%s/missing.yaml': No such file "
	         "or directory\n"
	         "scenario.yaml:2:%zu: expected a catalogue file name, got a mapping\n",
	         second, name, missing, dir, missing + 14);
	if (strcmp(errors, want) != 0)
		fail_msg("--- expected\n%s--- got\n%s", want, errors);
	/* Entries extending a catalogue that could not be read: its error only. */
	assert_int_not_equal(test_load_file(write_scenario(CATALOGUE, "missing.yaml",
	                                                   "actors: [{extends: cert}]\n"
	                                                   "incidents: [{id: a, required: cert}]\n"),
	                                    NULL, &s, &errors), 0);
	snprintf(want, sizeof want, "scenario.yaml:2:10: cannot open catalogue file "
	         "'%s/missing.yaml': No such file or directory\n", dir);
	assert_string_equal(errors, want);
	/* An empty list, a mapping. */
	assert_int_not_equal(test_load_file(write_scenario(CATALOGUE, "[]", "actors: []\n"), NULL,
	                                    &s, &errors), 0);
	assert_non_null(strstr(errors, "scenario.yaml:2:10: expected a catalogue file name or a "
	                               "list of them, got an empty list\n"));
}

static void a_catalogue_is_not_a_scenario(void **state)
{
	(void)state;
	const char *errors;
	tc_scenario *s = NULL;
	assert_int_not_equal(test_load_file(test_write_temp("cat.yaml", CATALOGUE), NULL, &s,
	                                    &errors), 0);
	assert_string_equal(errors, "cat.yaml:1:1: this is a catalogue, not a scenario: scenarios "
	                            "include it (include: FILE) and extend its entries; validate "
	                            "those scenarios\n");
}

static void fails_cleanly(void **state)
{
	(void)state;
	test_load_fails_cleanly(write_pair(CATALOGUE,
		"actors:\n"
		"  - {extends: cert, handling: {alert: 1h}}\n"
		"  - {extends: crisis-cell, on_call: null}\n"
		"channels: [{extends: phone}]\n"
		"incidents:\n"
		"  - {id: attack, required: cert}\n"
		"meetings: [{extends: cell}]\n"), NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(extended_entries_resolve_like_written_ones),
		cmocka_unit_test(entry_values),
		cmocka_unit_test(errors_name_their_own_file),
		cmocka_unit_test(bad_extends),
		cmocka_unit_test(bad_catalogues),
		cmocka_unit_test(bad_includes),
		cmocka_unit_test(a_catalogue_is_not_a_scenario),
		cmocka_unit_test(fails_cleanly),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
