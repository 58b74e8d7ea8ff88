/*
 * Overrides (--set PATH=VALUE): every kind of path resolves like the same
 * value written in the file, catalogue entries are selected by the id they
 * get from extends, later overrides win, the file's tree and the values it
 * shares are untouched, every error names its position in the option, the
 * overrides are recorded, and a load fails cleanly at every allocation.
 */
#define _POSIX_C_SOURCE 200809L
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/error.h"
#include "scenario/scenario.h"
#include "sim/log_json.h"

/* cert's handling is an alias of victim's: an override of one must not
 * change the other. */
#define SCENARIO                                                                          \
	"exercise: {name: T, start: 2024-03-01T09:00:00Z, duration: 2d}\n"                    \
	"actors:\n"                                                                           \
	"  - {id: victim, level: technical, handling: &h {default: 10m, alert: 20m}}\n"       \
	"  - {id: cert, level: technical, staff: 2, schedule: {mon-fri: \"09:00-18:00\"},\n" \
	"     holidays: [2024-03-04], handling: *h}\n"                                       \
	"channels:\n"                                                                         \
	"  - {id: phone, kind: phone, latency: 5m}\n"                                         \
	"incidents:\n"                                                                        \
	"  - {id: attack, required: [victim, cert]}\n"                                        \
	"objectives:\n"                                                                       \
	"  - {id: cert-aware, subject: cert, event: aware, within: 6h}\n"

#define CATALOGUE                                                                   \
	"catalogue: {name: Test actors}\n"                                              \
	"actors:\n"                                                                     \
	"  - id: cert\n"                                                                \
	"    level: technical\n"                                                        \
	"    staff: 3\n"                                                                \
	"    schedule: {mon-fri: \"09:00-18:00\"}\n"                                   \
	"    on_call: {staff: 1, callout_delay: 1h, min_severity: high}\n"              \
	"    handling:\n"                                                               \
	"      default: 20m\n"                                                          \
	"      alert: {dist: lognormal, median: 30m, p90: 1h30m}\n"

/* The temporary file name test_write_temp gives `name`, without its directory. */
static const char *temp_name(const char *name)
{
	static char out[128];
	snprintf(out, sizeof out, "tocsin-test-%ld-%s", (long)getpid(), name);
	return out;
}

static const char *write_file(const char *name, const char *text)
{
	static char path[4096];
	const char *p = test_write_temp(name, text);
	assert_non_null(p);
	snprintf(path, sizeof path, "%s", p);
	return path;
}

/* A scenario that extends the catalogue's cert twice (the second as cert2). */
static const char *write_extending(void)
{
	write_file("ov-cat.yaml", CATALOGUE);
	char text[1024];
	snprintf(text, sizeof text,
	         "exercise: {name: T, start: 2024-03-01T09:00:00Z, duration: 2d}\n"
	         "include: %s\n"
	         "actors:\n"
	         "  - {id: victim, level: technical, handling: {default: 10m}}\n"
	         "  - extends: cert\n"
	         "  - {extends: cert, id: cert2}\n"
	         "incidents:\n"
	         "  - {id: attack, required: [victim, cert]}\n", temp_name("ov-cat.yaml"));
	return write_file("ov-extending.yaml", text);
}

static tc_scenario *load_with(const char *path, const char *const *sets, size_t n)
{
	tc_load_options opt = {.sets = sets, .set_count = n};
	tc_scenario *s = NULL;
	const char *errors;
	if (test_load_file(path, &opt, &s, &errors) != 0)
		fail_msg("did not load:\n%s", errors);
	return s;
}

static void expect_errors(const char *path, const char *const *sets, size_t n,
                          const char *expected)
{
	tc_load_options opt = {.sets = sets, .set_count = n};
	tc_scenario *s = NULL;
	const char *errors;
	assert_int_equal(test_load_file(path, &opt, &s, &errors), TC_EINVAL);
	assert_null(s);
	if (strcmp(errors, expected) != 0)
		fail_msg("--- expected\n%s--- got\n%s", expected, errors);
}

/* The resolved scenario as the log embeds it, from its description on (the
 * file's identity, includes and overrides differ by construction). */
static char *resolved_json(const tc_scenario *s)
{
	tc_buf b;
	tc_buf_init(&b, tc_alloc_default());
	tc_log_json_scenario(&b, s);
	assert_false(b.failed);
	const char *from = strstr(b.data, "\"description\":");
	assert_non_null(from);
	char *text = strdup(from);
	tc_buf_release(&b);
	assert_non_null(text);
	return text;
}

static void same_json(const tc_scenario *a, const tc_scenario *b)
{
	char *x = resolved_json(a), *y = resolved_json(b);
	if (strcmp(x, y) != 0)
		fail_msg("--- one\n%s\n--- other\n%s", x, y);
	free(x);
	free(y);
}

/* Each kind of path: a key of a mapping section, keys of entries selected by
 * id (a scalar, a flow mapping, a key added, a key removed), items of a list
 * by number (replaced, removed). */
static void paths_resolve_like_written_values(void **state)
{
	(void)state;
	const char *sets[] = {
		"exercise.duration=1d",
		"actors.cert.staff=4",
		"channels.phone.latency={dist: lognormal, median: 1h, p90: 4h}",
		"objectives.cert-aware.within=3h",
		"actors.victim.staff=3",
		"actors.cert.on_call={staff: 1, callout_delay: 30m, min_severity: high}",
		"actors.cert.handling.alert=null",
		"actors.cert.holidays.0=2024-03-05",
		"incidents.attack.required.0=null",
		"exercise.description=\"Overridden: yes\"",
	};
	tc_scenario *set = load_with(write_file("ov-base.yaml", SCENARIO), sets,
	                             sizeof sets / sizeof *sets);
	tc_scenario *written = test_scenario("ov-written.yaml",
		"exercise: {name: T, start: 2024-03-01T09:00:00Z, duration: 1d,\n"
		"           description: 'Overridden: yes'}\n"
		"actors:\n"
		"  - {id: victim, level: technical, staff: 3, handling: {default: 10m, alert: 20m}}\n"
		"  - {id: cert, level: technical, staff: 4, schedule: {mon-fri: \"09:00-18:00\"},\n"
		"     holidays: [2024-03-05], handling: {default: 10m},\n"
		"     on_call: {staff: 1, callout_delay: 30m, min_severity: high}}\n"
		"channels:\n"
		"  - {id: phone, kind: phone, latency: {dist: lognormal, median: 1h, p90: 4h}}\n"
		"incidents:\n"
		"  - {id: attack, required: [cert]}\n"
		"objectives:\n"
		"  - {id: cert-aware, subject: cert, event: aware, within: 3h}\n");
	same_json(set, written);
	/* Known answers, in case both read alike and wrong. */
	assert_int_equal(set->duration, 24 * 3600 * 1000LL);
	assert_int_equal(set->actors[1].staff, 4);
	assert_int_equal(set->actors[0].staff, 3);
	assert_int_equal(set->actors[1].on_call.callout_delay, 30 * 60 * 1000LL);
	assert_int_equal(set->channels[0].latency.kind, TC_DIST_LOGNORMAL);
	assert_int_equal(set->objectives[0].within.ms, 3 * 3600 * 1000LL);
	assert_int_equal(set->incidents[0].required_count, 1);
	assert_string_equal(set->description, "Overridden: yes");
	/* victim shares cert's handling in the file: it keeps its alert. */
	int alert = tc_scenario_find_kind(set, "alert");
	assert_int_equal(tc_actor_handling(&set->actors[0], alert)->p[0], 20 * 60 * 1000.0);
	assert_int_equal(tc_actor_handling(&set->actors[1], alert)->p[0], 10 * 60 * 1000.0);
	tc_scenario_free(set);
	tc_scenario_free(written);
}

/* An id with dots is found whole; a mapping section (kinds) and a list of
 * rules without ids (by item number) take overrides too, and a section may
 * be created whole. */
static void dotted_ids_and_other_sections(void **state)
{
	(void)state;
	const char *path = write_file("ov-dotted.yaml",
		"exercise: {name: T, start: 2024-03-01T09:00:00Z, duration: 2d}\n"
		"kinds: {rumour: {informative: true}}\n"
		"actors:\n"
		"  - {id: victim, level: technical, handling: {default: 10m}}\n"
		"  - {id: cert.fr, level: technical, handling: {default: 10m}}\n"
		"incidents:\n"
		"  - {id: attack, required: [victim, cert.fr]}\n"
		"doctrine:\n"
		"  rules:\n"
		"    - {actor: cert.fr, on: alert, send: {kind: rumour, to: sender}}\n");
	const char *sets[] = {"actors.cert.fr.staff=3", "kinds.rumour.informative=false",
	                      "doctrine.rules.0.send.kind=sitrep", "doctrine.rules.0.ack=true",
	                      "channels=[{id: phone, latency: 5m}]"};
	tc_scenario *s = load_with(path, sets, 5);
	assert_int_equal(s->actors[tc_scenario_find_actor(s, "cert.fr")].staff, 3);
	assert_false(s->kinds[tc_scenario_find_kind(s, "rumour")].informative);
	assert_int_equal(s->doctrine.rule_count, 1);
	assert_int_equal(s->doctrine.rules[0].sends[0].kind, tc_scenario_find_kind(s, "sitrep"));
	assert_true(s->doctrine.rules[0].ack);
	/* The rule is still known by where the file writes it. */
	assert_non_null(strstr(s->doctrine.rules[0].label, "ov-dotted.yaml:10"));
	assert_int_equal(s->channel_count, 1);
	assert_string_equal(s->channels[0].id, "phone");
	tc_scenario_free(s);

	const char *bad[] = {"actors.cert.staff=3", "doctrine.rules.1.ack=true",
	                     "kinds.plan.informative=false"};
	expect_errors(path, bad, 3,
	              "--set actors.cert.staff=3:1:8: no actor 'cert' in the scenario\n"
	              "--set doctrine.rules.1.ack=true:1:16: doctrine.rules is a list: expected an "
	              "item number from 0 to 0, got '1'\n"
	              "--set kinds.plan.informative=false:1:7: kinds has no key 'plan' (only the last "
	              "key of a path may be missing)\n");
}

/* A doctrine file is named relative to the scenario, whoever names it; its
 * keys are not the scenario's. */
static void doctrine_files(void **state)
{
	(void)state;
	write_file("ov-doctrine-a.yaml", "name: a\nrules: []\n");
	write_file("ov-doctrine-b.yaml", "name: b\nrules: []\n");
	char text[1024];
	snprintf(text, sizeof text, TEST_SCENARIO_BASE "doctrine: %s\n",
	         temp_name("ov-doctrine-a.yaml"));
	const char *path = write_file("ov-doctrine.yaml", text);
	char set[256];
	snprintf(set, sizeof set, "doctrine=%s", temp_name("ov-doctrine-b.yaml"));
	const char *sets[] = {set};
	tc_scenario *s = load_with(path, sets, 1);
	assert_string_equal(s->doctrine.name, "b");
	tc_scenario_free(s);

	const char *bad[] = {"doctrine.rules.0.ack=true"};
	char expected[512];
	snprintf(expected, sizeof expected, "--set doctrine.rules.0.ack=true:1:10: the doctrine "
	         "is a file ('%s'): its keys are not the scenario's (set doctrine to another "
	         "file, or give --doctrine)\n", temp_name("ov-doctrine-a.yaml"));
	expect_errors(path, bad, 1, expected);
}

/* An entry that extends a catalogue entry is selected by the id it gets
 * from it; the other entry extending the same one is untouched. */
static void extended_entries_by_their_id(void **state)
{
	(void)state;
	const char *sets[] = {"actors.cert.staff=5", "actors.cert.handling.alert=1h",
	                      "actors.cert.on_call=null", "actors.cert2.name=Second CERT"};
	tc_scenario *s = load_with(write_extending(), sets, 4);
	int cert = tc_scenario_find_actor(s, "cert"), cert2 = tc_scenario_find_actor(s, "cert2");
	int alert = tc_scenario_find_kind(s, "alert");
	assert_true(cert >= 0 && cert2 >= 0);
	assert_int_equal(s->actors[cert].staff, 5);
	assert_int_equal(s->actors[cert2].staff, 3);
	assert_int_equal(tc_actor_handling(&s->actors[cert], alert)->kind, TC_DIST_FIXED);
	assert_int_equal(tc_actor_handling(&s->actors[cert], alert)->p[0], 3600 * 1000.0);
	assert_int_equal(tc_actor_handling(&s->actors[cert2], alert)->kind, TC_DIST_LOGNORMAL);
	/* The rest of cert's handling is still the catalogue's. */
	assert_int_equal(s->actors[cert].default_handling.p[0], 20 * 60 * 1000.0);
	assert_int_equal(s->actors[cert].on_call.staff, 0);
	assert_int_equal(s->actors[cert2].on_call.staff, 1);
	assert_string_equal(s->actors[cert2].name, "Second CERT");
	assert_string_equal(s->actors[cert].name, "cert");
	tc_scenario_free(s);
}

/* Overrides apply in order: a later one on the same path wins, one on a
 * parent replaces what an earlier one set inside it, null removes. */
static void later_overrides_win(void **state)
{
	(void)state;
	const char *path = write_file("ov-order.yaml", SCENARIO);
	const char *twice[] = {"actors.cert.staff=4", "actors.cert.staff=6"};
	tc_scenario *s = load_with(path, twice, 2);
	assert_int_equal(s->actors[1].staff, 6);
	tc_scenario_free(s);

	const char *removed[] = {"actors.cert.staff=4", "actors.cert.staff=null"};
	s = load_with(path, removed, 2);
	assert_int_equal(s->actors[1].staff, 1);   /* the default */
	tc_scenario_free(s);

	const char *parent[] = {"actors.cert.handling.alert=1h", "actors.cert.handling={default: 5m}"};
	s = load_with(path, parent, 2);
	int alert = tc_scenario_find_kind(s, "alert");
	assert_int_equal(tc_actor_handling(&s->actors[1], alert)->p[0], 5 * 60 * 1000.0);
	tc_scenario_free(s);

	/* Removing a key that is not there changes nothing. */
	const char *absent[] = {"actors.victim.on_call=null", "exercise.seed=~"};
	s = load_with(path, absent, 2);
	tc_scenario *plain = load_with(path, NULL, 0);
	same_json(s, plain);
	tc_scenario_free(s);
	tc_scenario_free(plain);
}

/* The file's tree is never changed: loading without overrides after
 * loading with them gives what it gave before. */
static void the_file_is_untouched(void **state)
{
	(void)state;
	const char *path = write_file("ov-untouched.yaml", SCENARIO);
	const char *sets[] = {"actors.cert.staff=9", "actors.cert.handling.default=1h",
	                      "channels.phone.latency=1m"};
	tc_scenario *before = load_with(path, NULL, 0);
	tc_scenario *with = load_with(path, sets, 3);
	tc_scenario *after = load_with(path, NULL, 0);
	same_json(before, after);
	char *a = resolved_json(before), *b = resolved_json(with);
	assert_string_not_equal(a, b);
	free(a);
	free(b);
	assert_int_equal(after->actors[1].staff, 2);
	assert_int_equal(with->actors[1].staff, 9);
	assert_int_equal(with->actors[0].default_handling.p[0], 10 * 60 * 1000.0);
	tc_scenario_free(before);
	tc_scenario_free(with);
	tc_scenario_free(after);
}

/* The overrides are kept in the scenario and written into the log next to
 * the includes; none gives an empty list. */
static void overrides_are_recorded(void **state)
{
	(void)state;
	const char *path = write_file("ov-recorded.yaml", SCENARIO);
	char given[] = "actors.cert.staff=4";
	const char *sets[] = {given, "exercise.name=\"a \\\"quoted\\\" name\""};
	tc_scenario *s = load_with(path, sets, 2);
	given[0] = 'X';   /* the scenario keeps its own copy */
	assert_int_equal(s->set_count, 2);
	assert_string_equal(s->sets[0], "actors.cert.staff=4");
	assert_string_equal(s->name, "a \"quoted\" name");
	tc_buf b;
	tc_buf_init(&b, tc_alloc_default());
	tc_log_json_scenario(&b, s);
	assert_false(b.failed);
	assert_non_null(strstr(b.data, "\"includes\":[],\"sets\":[\"actors.cert.staff=4\","
	                               "\"exercise.name=\\\"a \\\\\\\"quoted\\\\\\\" name\\\"\"],"
	                               "\"description\":"));
	tc_buf_release(&b);
	tc_scenario_free(s);

	s = load_with(path, NULL, 0);
	assert_int_equal(s->set_count, 0);
	tc_buf_init(&b, tc_alloc_default());
	tc_log_json_scenario(&b, s);
	assert_non_null(strstr(b.data, "\"includes\":[],\"sets\":[],\"description\":"));
	tc_buf_release(&b);
	tc_scenario_free(s);
}

/* Every error of a path, at its column in the option's pseudo-file. */
static void path_errors(void **state)
{
	(void)state;
	const char *path = write_file("ov-errors.yaml", SCENARIO);
	static const struct {
		const char *set, *message;
	} cases[] = {
		{"actors.victm.staff=4",
		 "--set actors.victm.staff=4:1:8: no actor 'victm' (did you mean 'victim'?)\n"},
		{"actors.nobody.staff=4", "--set actors.nobody.staff=4:1:8: no actor 'nobody' in the "
		 "scenario\n"},
		{"channels.phonr.latency=1m",
		 "--set channels.phonr.latency=1m:1:10: no channel 'phonr' (did you mean 'phone'?)\n"},
		{"objectives.cert-awre.within=1h", "--set objectives.cert-awre.within=1h:1:12: no "
		 "objective 'cert-awre' (did you mean 'cert-aware'?)\n"},
		{"actors.cert.staff", "--set actors.cert.staff:1:18: expected '=' and a value after "
		 "the path (PATH=VALUE)\n"},
		{"", "--set :1:1: expected PATH=VALUE, got nothing\n"},
		{"=4", "--set =4:1:1: expected a path before '=' (PATH=VALUE)\n"},
		{"actors..staff=4", "--set actors..staff=4:1:8: expected a key or an id between dots, "
		 "got nothing (PATH is SECTION.ID.KEY...)\n"},
		{"actors.cert.=4", "--set actors.cert.=4:1:13: expected a key or an id between dots, "
		 "got nothing (PATH is SECTION.ID.KEY...)\n"},
		{".actors=4", "--set .actors=4:1:1: expected a key or an id between dots, got nothing "
		 "(PATH is SECTION.ID.KEY...)\n"},
		{"actrs.cert.staff=4",
		 "--set actrs.cert.staff=4:1:1: unknown section 'actrs' (did you mean 'actors'?)\n"},
		{"zz=4", "--set zz=4:1:1: unknown section 'zz' (expected exercise, kinds, actors, "
		 "channels, incidents, meetings, doctrine, injects, objectives or scripts)\n"},
		{"include=other.yaml", "--set include=other.yaml:1:1: 'include' cannot be overridden: "
		 "the catalogues are read before the overrides apply\n"},
		{"meetings.m.quorum=2", "--set meetings.m.quorum=2:1:1: the scenario has no 'meetings' "
		 "(only the last key of a path may be missing)\n"},
		{"channels.phone.latency.dist=fixed", "--set channels.phone.latency.dist=fixed:1:24: "
		 "channels.phone.latency is a single value, not a mapping or a list: it has no "
		 "'dist'\n"},
		{"actors.cert.handlin.alert=1h", "--set actors.cert.handlin.alert=1h:1:13: actors.cert "
		 "has no key 'handlin' (did you mean 'handling'?)\n"},
		{"actors.cert.on_call.staff=1", "--set actors.cert.on_call.staff=1:1:13: actors.cert "
		 "has no key 'on_call' (only the last key of a path may be missing)\n"},
		{"incidents.attack.required.2=cert", "--set incidents.attack.required.2=cert:1:27: "
		 "incidents.attack.required is a list: expected an item number from 0 to 1, got "
		 "'2'\n"},
		{"incidents.attack.required.first=cert", "--set incidents.attack.required.first=cert:"
		 "1:27: incidents.attack.required is a list: expected an item number from 0 to 1, "
		 "got 'first'\n"},
		{"actors.cert.name=two\nlines", "--set actors.cert.name=two\nlines:1:21: expected "
		 "PATH=VALUE on one line, got a line break\n"},
		/* The value: YAML errors at their column, then the readers'. */
		{"actors.cert.staff=[1,", "--set actors.cert.staff=[1,:1:22: YAML syntax error: did "
		 "not find expected node content while parsing a flow node (started at the end)\n"},
		{"actors.cert.handling={default: 1h", "--set actors.cert.handling={default: 1h:1:34: "
		 "YAML syntax error: did not find expected ',' or '}' while parsing a flow mapping "
		 "(started at line 1, column 22)\n"},
		{"actors.cert.handling={a: 1, a: 2}", "--set actors.cert.handling={a: 1, a: 2}:1:29: "
		 "duplicate key 'a' (first defined at line 1, column 23)\n"},
		{"actors.cert.staff=-1", "--set actors.cert.staff=-1:1:19: integer -1 is out of range "
		 "(expected 0 to 100000)\n"},
		{"actors.cert.staff=\"4\"", "--set actors.cert.staff=\"4\":1:19: expected an integer, "
		 "got the string \"4\" (quoted values are strings: remove the quotes)\n"},
		{"actors.cert.staf=4", "--set actors.cert.staf=4:1:13: unknown key 'staf' in actor "
		 "'cert' (did you mean 'staff'?)\n"},
		{"exercise.duration=2x", "--set exercise.duration=2x:1:20: unknown unit 'x': expected "
		 "one of ms, s, m, h, d, w, mo (lower case)\n"},
		{"channels.phone.latency={dist: lognormal, median: 1h, p90: 30m}",
		 "--set channels.phone.latency={dist: lognormal, median: 1h, p90: 30m}:1:59: p90 "
		 "(30m) must be greater than the median (1h)\n"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const char *sets[] = {cases[i].set};
		tc_load_options opt = {.sets = sets, .set_count = 1};
		tc_scenario *s = NULL;
		const char *errors;
		int rc = test_load_file(path, &opt, &s, &errors);
		assert_null(s);
		if (rc != TC_EINVAL || strcmp(errors, cases[i].message) != 0)
			fail_msg("case %zu: %d\n--- expected\n%s--- got\n%s", i, rc, cases[i].message,
			         errors);
	}
}

/* The overrides' errors come first, in the order given, then those of the
 * files (which may follow from them); a failing override does not stop the
 * next from applying. */
static void errors_in_order(void **state)
{
	(void)state;
	const char *sets[] = {"actors.victim=null", "actors.cert.staff=x", "actors.cert.level=top",
	                      "exercise.name=Still applied", "actors.ghost.staff=1"};
	expect_errors(write_file("ov-order-errors.yaml", SCENARIO), sets, 5,
	              "--set actors.cert.staff=x:1:19: expected an integer, got 'x'\n"
	              "--set actors.cert.level=top:1:19: unknown level 'top' (expected technical, "
	              "operational, strategic or political)\n"
	              "--set actors.ghost.staff=1:1:8: no actor 'ghost' in the scenario\n"
	              "ov-order-errors.yaml:9:29: unknown actor 'victim'\n");
}

/* In a section whose entry failed to extend, the error of the extends says
 * it all: an override naming an unknown entry adds nothing. */
static void failed_extends_are_not_reported_twice(void **state)
{
	(void)state;
	write_file("ov-cat.yaml", CATALOGUE);
	char text[1024];
	snprintf(text, sizeof text,
	         "exercise: {name: T, start: 2024-03-01T09:00:00Z, duration: 2d}\n"
	         "include: %s\n"
	         "actors:\n"
	         "  - {id: victim, level: technical, handling: {default: 10m}}\n"
	         "  - extends: cret\n"
	         "incidents:\n"
	         "  - {id: attack, required: [victim]}\n", temp_name("ov-cat.yaml"));
	const char *sets[] = {"actors.cert.staff=4"};
	expect_errors(write_file("ov-failed.yaml", text), sets, 1,
	              "ov-failed.yaml:5:14: unknown catalogue actor 'cret' (did you mean 'cert'?)\n");
}

static void fails_cleanly(void **state)
{
	(void)state;
	const char *sets[] = {"actors.cert.staff=5", "actors.cert.handling={default: 5m, alert: 1h}",
	                      "actors.cert2.on_call=null", "actors.victim.staff=2",
	                      "exercise.duration=1d"};
	tc_load_options opt = {.sets = sets, .set_count = 5};
	test_load_fails_cleanly(write_extending(), &opt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(paths_resolve_like_written_values),
		cmocka_unit_test(dotted_ids_and_other_sections),
		cmocka_unit_test(doctrine_files),
		cmocka_unit_test(extended_entries_by_their_id),
		cmocka_unit_test(later_overrides_win),
		cmocka_unit_test(the_file_is_untouched),
		cmocka_unit_test(overrides_are_recorded),
		cmocka_unit_test(path_errors),
		cmocka_unit_test(errors_in_order),
		cmocka_unit_test(failed_extends_are_not_reported_twice),
		cmocka_unit_test(fails_cleanly),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
