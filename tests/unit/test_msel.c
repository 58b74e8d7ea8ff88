/* MSEL spreadsheets: the exact CSV export writes, what import makes of a
 * hand-written CSV, its errors at row:column in the loader's words, YAML
 * injection through a cell, and the splice that keeps the rest of the
 * scenario file byte for byte. */
#include "test_support.h"

#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/diag.h"
#include "core/error.h"
#include "scenario/msel.h"
#include "scenario/scenario.h"

/* Everything but the injects (T+0 is 2024-03-01 09:00 UTC). */
#define HEAD                                                                          \
	"exercise: {name: T, start: 2024-03-01T09:00:00Z, duration: 2d}\n"            \
	"kinds: {press: {informative: true}}\n"                                        \
	"actors:\n"                                                                     \
	"  - {id: victim, level: technical, handling: {default: 10m}}\n"               \
	"  - {id: cert, level: technical, handling: {default: 10m}}\n"                 \
	"  - {id: press-desk, level: strategic, handling: {default: 10m}}\n"           \
	"channels:\n"                                                                   \
	"  - {id: phone, latency: 1m}\n"                                                \
	"incidents:\n"                                                                  \
	"  - {id: attack, severity: high, required: [victim, cert]}\n"                 \
	"meetings:\n"                                                                   \
	"  - {id: crisis, chair: cert, participants: [victim], duration: 1h}\n"

#define OBJECTIVES                                                                    \
	"objectives:\n"                                                                 \
	"  - {id: cert-aware, subject: cert, event: aware, within: 2h}\n"

static tc_scenario *load(const char *yaml)
{
	tc_diag diag;
	tc_diag_init(&diag, tc_alloc_default());
	tc_scenario *s = NULL;
	int rc = tc_scenario_load_buffer(&s, tc_alloc_default(), "s.yaml", yaml, strlen(yaml),
	                                 NULL, &diag);
	if (rc)
		fail_msg("the scenario does not load:\n%s", test_format_diag(&diag));
	tc_diag_release(&diag);
	return s;
}

/* The CSV export writes for the scenario text yaml (static buffer). */
static const char *export(const char *yaml)
{
	static char out[8192];
	tc_scenario *s = load(yaml);
	tc_buf b;
	tc_buf_init(&b, tc_alloc_default());
	assert_int_equal(tc_msel_export(s, &b), TC_OK);
	assert_true(b.len < sizeof out);
	memcpy(out, b.data, b.len + 1);
	tc_buf_release(&b);
	tc_scenario_free(s);
	return out;
}

/* Import csv into yaml: the result, its new text in *text (static buffer)
 * and its diagnostics as "file:row:column: message" lines in *errors. */
static int import(const char *csv, const char *yaml, const char **text, const char **errors)
{
	static char out[16384];
	tc_diag diag;
	tc_diag_init(&diag, tc_alloc_default());
	tc_msel_import_result r;
	int rc = tc_msel_import(tc_alloc_default(), "m.csv", csv, strlen(csv), "s.yaml", yaml,
	                        strlen(yaml), &r, &diag);
	*errors = test_format_diag(&diag);
	out[0] = '\0';
	if (rc == TC_OK) {
		assert_true(r.len < sizeof out);
		assert_int_equal(strlen(r.text), r.len);
		memcpy(out, r.text, r.len + 1);
	} else {
		assert_null(r.text);
		assert_true((*errors)[0] != '\0');
	}
	tc_free(tc_alloc_default(), r.text, r.text ? r.len + 1 : 0);
	tc_diag_release(&diag);
	*text = out;
	return rc;
}

static const char *import_ok(const char *csv, const char *yaml)
{
	const char *text, *errors;
	if (import(csv, yaml, &text, &errors))
		fail_msg("not imported:\n%s", errors);
	assert_string_equal(errors, "");
	return text;
}

/* The import must fail with exactly these diagnostics. */
static void import_fails(const char *csv, const char *expected)
{
	const char *text, *errors;
	int rc = import(csv, HEAD OBJECTIVES, &text, &errors);
	assert_int_not_equal(rc, TC_OK);
	if (strcmp(errors, expected) != 0)
		fail_msg("expected:\n%sgot:\n%s", expected, errors);
}

#define HEADER                                                                        \
	"id,time,incident,from,to,channel,kind,severity,TLP,subject,description,"      \
	"expected action,objective,action,actor,staff,meeting,repeat every,repeat count," \
	"repeat until\n"

static const char export_injects[] =
	"injects:\n"
	"  - {id: i1, at: T+1h, from: victim, to: [cert, press-desk], channel: phone, kind: alert,\n"
	"     tlp: red, subject: First alert, description: 'Screens say \"pay\", now',\n"
	"     expected: Call the CERT, objective: cert-aware,\n"
	"     repeat: {every: {dist: exponential, mean: 10m}, count: 3, until: T+1d}}\n"
	"  - {id: i2, at: D+1 H+02 M+30, to: cert, kind: press, severity: 1, repeat: {every: 30m}}\n"
	"  - {id: i3, at: -2h, action: channel-down, channel: phone, incident: attack}\n"
	"  - {id: i4, at: T+2h, action: set-staff, actor: cert, staff: 0}\n"
	"  - {id: i5, at: T+3h, action: convene, meeting: crisis}\n"
	"  - {id: i6, at: T+4h, to: cert, kind: alert,\n"
	"     repeat: {every: {dist: empirical, values: [5m, 1m, 1h], weights: [1, 2, 1]}}}\n"
	"  - {id: i7, at: T+5h, to: cert, kind: alert,\n"
	"     repeat: {every: {dist: empirical, values: [1m, 2m]}, until: 2024-03-02T09:00:00Z}}\n"
	"  - {id: i8, at: 2024-03-03T05:00:00Z, action: end, subject: ' The end '}\n"
	"  - {id: i9, at: T+6h, to: cert, kind: alert, repeat: {every: {dist: lognormal, median: 20m, p90: 1h}}}\n";

/* Every column, hand-computed: times in the clock form, the severity the
 * message takes from its incident, AMBER by default, the empirical weights
 * as probabilities of the sorted values (left out when equal). */
static void export_writes_every_column(void **state)
{
	(void)state;
	assert_string_equal(export(HEAD OBJECTIVES "injects: []\n"), HEADER);
	assert_string_equal(export(HEAD OBJECTIVES), HEADER);
	static char yaml[4096];
	snprintf(yaml, sizeof yaml, "%s%s%s", HEAD, OBJECTIVES, export_injects);
	assert_string_equal(export(yaml), HEADER
		"i1,T+01:00:00,attack,victim,\"cert, press-desk\",phone,alert,high,RED,First alert,"
		"\"Screens say \"\"pay\"\", now\",Call the CERT,cert-aware,,,,,"
		"\"{dist: exponential, mean: 10m}\",3,T+1d00:00:00\n"
		"i2,T+1d02:30:00,attack,,cert,,press,low,AMBER,,,,,,,,,30m,,\n"
		"i3,T-02:00:00,attack,,,phone,,,,,,,,channel-down,,,,,,\n"
		"i4,T+02:00:00,,,,,,,,,,,,set-staff,cert,0,,,,\n"
		"i5,T+03:00:00,attack,,,,,,,,,,,convene,,,crisis,,,\n"
		"i6,T+04:00:00,attack,,cert,,alert,high,AMBER,,,,,,,,,"
		"\"{dist: empirical, values: [1m, 5m, 1h], weights: [0.5, 0.25, 0.25]}\",,\n"
		"i7,T+05:00:00,attack,,cert,,alert,high,AMBER,,,,,,,,,"
		"\"{dist: empirical, values: [1m, 2m]}\",,T+1d00:00:00\n"
		"i8,T+1d20:00:00,,,,,,,,\" The end \",,,,end,,,,,,\n"
		"i9,T+06:00:00,attack,,cert,,alert,high,AMBER,,,,,,,,,"
		"\"{dist: lognormal, median: 20m, p90: 1h}\",,\n");
}

/* Export, import into the scenario without injects, export again: the
 * same CSV, and the same resolved injects. */
static void export_then_import_round_trips(void **state)
{
	(void)state;
	static char yaml[4096], csv[8192], imported[16384];
	snprintf(yaml, sizeof yaml, "%s%s%s", HEAD, OBJECTIVES, export_injects);
	snprintf(csv, sizeof csv, "%s", export(yaml));
	snprintf(imported, sizeof imported, "%s", import_ok(csv, HEAD OBJECTIVES));
	assert_string_equal(export(imported), csv);
	tc_scenario *a = load(yaml), *b = load(imported);
	assert_int_equal(a->inject_count, 9);
	assert_int_equal(b->inject_count, 9);
	for (size_t i = 0; i < a->inject_count; i++) {
		const tc_inject_def *x = &a->injects[i], *y = &b->injects[i];
		assert_string_equal(x->id, y->id);
		assert_int_equal(x->at, y->at);
		assert_int_equal(x->action, y->action);
		assert_int_equal(x->severity, y->severity);
		assert_int_equal(x->repeats, y->repeats);
		assert_int_equal(x->every.kind, y->every.kind);
		assert_memory_equal(x->every.p, y->every.p, sizeof x->every.p);
		assert_int_equal(x->until, y->until);
		assert_int_equal(x->objective, y->objective);
	}
	assert_string_equal(b->injects[7].subject, " The end ");
	tc_scenario_free(a);
	tc_scenario_free(b);
}

/* Headers in any order and case, blanks around them, semicolons, an
 * unnamed empty column, recipients by any separator, empty cells absent
 * (defaults apply), rows of blanks skipped, the D+ H+ M+ form. */
static void import_reads_a_hand_written_csv(void **state)
{
	(void)state;
	const char *csv =
		"\xEF\xBB\xBF Subject ;ID;TIME;to;Kind;repeat EVERY;repeat count;Expected Action;;"
		"action;meeting\r\n"
		"Ransom note;a1;D+1 H+02 M+30;\"cert; victim ,press-desk\";alert;"
		"\"{dist: uniform, min: 1m, max: 5m}\";2;Call;;;\r\n"
		";a2;T+2h;;;;;;;convene;crisis\r\n"
		" ; ;;;\r\n";
	const char *text = import_ok(csv, HEAD OBJECTIVES);
	assert_string_equal(text, HEAD OBJECTIVES "\n"
		"injects:\n"
		"  - id: \"a1\"\n"
		"    at: \"D+1 H+02 M+30\"\n"
		"    subject: \"Ransom note\"\n"
		"    to: [\"cert\", \"victim\", \"press-desk\"]\n"
		"    kind: \"alert\"\n"
		"    expected: \"Call\"\n"
		"    repeat: {every: {\"dist\": \"uniform\", \"min\": \"1m\", \"max\": \"5m\"}, count: 2}\n"
		"\n"
		"  - id: \"a2\"\n"
		"    at: \"T+2h\"\n"
		"    action: \"convene\"\n"
		"    meeting: \"crisis\"\n");
	tc_scenario *s = load(text);
	assert_int_equal(s->inject_count, 2);
	const tc_inject_def *a1 = &s->injects[0];
	assert_int_equal(a1->at, TC_DAY + 2 * TC_HOUR + 30 * TC_MINUTE);
	assert_int_equal(a1->to_count, 3);
	assert_int_equal(a1->severity, 3); /* the incident's */
	assert_int_equal(a1->tlp, TC_TLP_AMBER);
	assert_int_equal(a1->every.kind, TC_DIST_UNIFORM);
	assert_int_equal(a1->count, 2);
	assert_null(a1->description);
	assert_int_equal(s->injects[1].action, TC_INJECT_CONVENE);
	tc_scenario_free(s);
}

/* A cell's text is a string whatever it holds: quotes, line breaks, what
 * would be YAML keys, comments, characters YAML reads as line breaks. */
static void cells_cannot_inject_yaml(void **state)
{
	(void)state;
	const char *csv =
		"id,time,to,kind,description,subject\n"
		"x1,T+1h,cert,alert,\"\"\"\n- id: evil\n  at: T+0\n# \\\",\"\xE2\x80\xA8x\xC2\x85y\t\x01\"\n";
	const char *text = import_ok(csv, HEAD OBJECTIVES);
	assert_non_null(strstr(text,
		"    subject: \"\\Lx\\x85y\\t\\x01\"\n"
		"    to: \"cert\"\n"
		"    kind: \"alert\"\n"
		"    description: \"\\\"\\n- id: evil\\n  at: T+0\\n# \\\\\"\n"));
	tc_scenario *s = load(text);
	assert_int_equal(s->inject_count, 1);
	assert_string_equal(s->injects[0].description, "\"\n- id: evil\n  at: T+0\n# \\");
	assert_string_equal(s->injects[0].subject, "\xE2\x80\xA8x\xC2\x85y\t\x01");
	tc_scenario_free(s);
	/* Numbers stay numbers (staff must be one), an id that looks like one too. */
	text = import_ok("id,time,action,actor,staff\n42,0,set-staff,cert,07\n", HEAD OBJECTIVES);
	assert_non_null(strstr(text, "  - id: 42\n    at: 0\n    action: \"set-staff\"\n"
	                             "    actor: \"cert\"\n    staff: 07\n"));
}

/* ---- errors ---- */

static void header_errors(void **state)
{
	(void)state;
	import_fails("", "m.csv:0:0: no header row: the file has no rows\n");
	import_fails("id,tme,to,kind\n",
		"m.csv:1:2: unknown column 'tme' (did you mean 'time'?)\n"
		"m.csv:1:1: no 'time' column: the header names the columns, id and time at least\n");
	import_fails("id,at,expected,every,Colour\n",
		"m.csv:1:2: unknown column 'at' (did you mean 'time'?)\n"
		"m.csv:1:3: unknown column 'expected' (did you mean 'expected action'?)\n"
		"m.csv:1:4: unknown column 'every' (did you mean 'repeat every'?)\n"
		"m.csv:1:5: unknown column 'Colour' (expected id, time, incident, from, to, channel, "
		"kind, severity, TLP, subject, description, expected action, objective, action, actor, "
		"staff, meeting, repeat every, repeat count or repeat until)\n"
		"m.csv:1:1: no 'time' column: the header names the columns, id and time at least\n");
	import_fails("id,time,TIME\n", "m.csv:1:3: column 'time' is already column 2\n");
	import_fails("\n\nid,time,,kind\ni1,T+1h,x,alert\n",
		"m.csv:4:3: a value in a column without a name in the header\n");
	import_fails("id,time\ni1,\"T+1h\nx\n",
		"m.csv:2:2: unterminated quoted field: the quote that opens it is never closed\n");
}

/* Cells are checked by the loader, at their row and column, in its words;
 * a multi-line record is one row. */
static void cell_errors_name_row_and_column(void **state)
{
	(void)state;
	import_fails(
		"id,time,to,kind,severity,staff,action,actor,objective,description\n"
		"i1,T+1x,cetr,alert,urgent,,,,,\n"
		"i2,T+1h,,,,lots,set-staff,cert,,\"two\nlines\"\n"
		"i3,T+1h,cert,alert,,,,,cert-awre,\n"
		"i3,T+400d,cert,,,,,,,\n"
		"i5,T+1h,cert,alert,,3,,,,\n",
		"m.csv:2:2: unknown unit 'x': expected one of ms, s, m, h, d, w, mo (lower case)\n"
		"m.csv:2:3: unknown actor 'cetr' (did you mean 'cert'?)\n"
		"m.csv:2:5: unknown severity 'urgent' (expected info, low, medium, high, critical or "
		"0 to 4)\n"
		"m.csv:3:6: expected an integer, got 'lots'\n"
		"m.csv:4:9: unknown objective 'cert-awre' (did you mean 'cert-aware'?)\n"
		"m.csv:5:1: duplicate inject id 'i3'\n"
		"m.csv:6:6: unknown key 'staff' in message inject 'i5' (expected one of: id, at, "
		"action, incident, subject, description, expected, objective, from, to, kind, severity, "
		"tlp, channel, repeat)\n");
}

static void repeat_cell_errors(void **state)
{
	(void)state;
	import_fails("id,time,to,kind,repeat every\ni1,T+1h,cert,alert,\"{dist: exponential, mean: 10m\"\n",
		"m.csv:2:5: at the end of this cell: YAML syntax error: did not find expected ',' or "
		"'}' while parsing a flow mapping (started at line 1, column 1)\n");
	import_fails("id,time,to,kind,repeat every\ni1,T+1h,cert,alert,{a: 1}}\n",
		"m.csv:2:5: in this cell, at character 7: YAML syntax error: did not find expected "
		"<document start>\n");
	import_fails("id,time,to,kind,repeat every\ni1,T+1h,cert,alert,\"{a: 1,\n b: [}\"\n",
		"m.csv:2:5: in this cell, line 2 column 6: YAML syntax error: did not find expected "
		"node content while parsing a flow node (started at line 2, column 6)\n");
	import_fails("id,time,to,kind,repeat every,repeat count\n"
		"i1,T+1h,cert,alert,\"{dist: poisson, mean: 10m}\",\n"
		"i2,T+1h,cert,alert,,3\n"
		"i3,T+2h,,,10m,\n",
		"m.csv:2:5: unknown distribution 'poisson' (expected fixed, uniform, exponential, "
		"normal, lognormal, triangular or empirical)\n"
		"m.csv:3:6: repeat: missing required key 'every'\n"
		"m.csv:4:1: inject 'i3': missing required key 'to'\n"
		"m.csv:4:1: inject 'i3': missing required key 'kind'\n");
}

/* ---- the splice ---- */

#define TAIL_OBJECTIVES                                                               \
	"# a comment about the objectives\n"                                           \
	"\n"                                                                            \
	"objectives:   # measured\n"                                                    \
	"  - {id: cert-aware, subject: cert, event: aware, within: 2h}\n"

static void splice_keeps_every_other_byte(void **state)
{
	(void)state;
	const char *csv = "id,time,to,kind\nn1,T+1h,cert,alert\n";
	const char *section =
		"injects:\n"
		"  - id: \"n1\"\n"
		"    at: \"T+1h\"\n"
		"    to: \"cert\"\n"
		"    kind: \"alert\"\n";
	/* Between sections: comments before the key stay, those indented in
	 * the section go, those at column 1 before the next key stay. */
	static char yaml[4096], want[4096];
	const char *before = "# head\n" HEAD "\n# about the injects\n";
	snprintf(yaml, sizeof yaml, "%s%s", before,
		"injects:  # old\n"
		"  - {id: old, at: T+1h, to: cert, kind: alert}\n"
		"  # an indented comment, part of the section\n"
		"\n" TAIL_OBJECTIVES "# the end, without a line end");
	snprintf(want, sizeof want, "%s%s%s", before, section,
	         "\n" TAIL_OBJECTIVES "# the end, without a line end");
	assert_string_equal(import_ok(csv, yaml), want);
	/* Last in the file, with comments after it. */
	snprintf(yaml, sizeof yaml, "%s%s", HEAD OBJECTIVES,
	         "injects: [{id: old, at: T+1h, to: cert, kind: alert}]\n\n# trailing\n");
	snprintf(want, sizeof want, "%s%s%s", HEAD OBJECTIVES, section, "\n# trailing\n");
	assert_string_equal(import_ok(csv, yaml), want);
	/* No injects: appended after a blank line; a missing line end added. */
	snprintf(want, sizeof want, "%s\n%s", HEAD OBJECTIVES, section);
	assert_string_equal(import_ok(csv, HEAD OBJECTIVES), want);
	snprintf(yaml, sizeof yaml, "%s# no line end", HEAD OBJECTIVES);
	snprintf(want, sizeof want, "%s# no line end\n\n%s", HEAD OBJECTIVES, section);
	assert_string_equal(import_ok(csv, yaml), want);
	/* An empty MSEL. */
	snprintf(want, sizeof want, "%s\ninjects: []\n", HEAD OBJECTIVES);
	assert_string_equal(import_ok("id,time\n", HEAD OBJECTIVES), want);
}

static void splice_keeps_crlf_line_ends(void **state)
{
	(void)state;
	const char *yaml =
		"exercise: {name: T, start: 2024-03-01T09:00:00Z, duration: 2d}\r\n"
		"actors: [{id: cert, level: technical, handling: {default: 10m}}]\r\n"
		"injects:\r\n"
		"  - {id: old, at: T+1h, to: cert, kind: alert}\r\n"
		"\r\n"
		"incidents: [{id: attack, required: [cert]}]\r\n";
	assert_string_equal(import_ok("id,time,to,kind\r\nn1,T+1h,cert,alert\r\n", yaml),
		"exercise: {name: T, start: 2024-03-01T09:00:00Z, duration: 2d}\r\n"
		"actors: [{id: cert, level: technical, handling: {default: 10m}}]\r\n"
		"injects:\r\n"
		"  - id: \"n1\"\r\n"
		"    at: \"T+1h\"\r\n"
		"    to: \"cert\"\r\n"
		"    kind: \"alert\"\r\n"
		"\r\n"
		"incidents: [{id: attack, required: [cert]}]\r\n");
}

/* Top-level keys not at column 1: import cannot tell where the section ends. */
static void splice_needs_keys_at_column_1(void **state)
{
	(void)state;
	const char *yaml =
		"  exercise: {name: T, start: 2024-03-01T09:00:00Z, duration: 2d}\n"
		"  actors: [{id: cert, level: technical, handling: {default: 10m}}]\n"
		"  incidents: [{id: attack, required: [cert]}]\n"
		"  injects: []\n";
	const char *text, *errors;
	assert_int_equal(import("id,time\n", yaml, &text, &errors), TC_EINVAL);
	assert_string_equal(errors, "s.yaml:4:3: cannot replace this injects: section: the "
	                            "scenario's top-level keys must start at column 1 (a block "
	                            "mapping)\n");
}

/* The scenario's own errors refuse the import too; its old injects are not read. */
static void scenario_errors_refuse_the_import(void **state)
{
	(void)state;
	const char *text, *errors;
	assert_int_equal(import("id,time,to,kind\nn1,T+1h,cert,alert\n",
	                        HEAD "objectives: [{id: o, subject: nobody, event: aware, within: 1h}]\n"
	                        "injects: [{id: bad, at: never}]\n", &text, &errors), TC_EINVAL);
	assert_string_equal(errors, "s.yaml:13:31: unknown actor 'nobody'\n");
}

/* Every allocation failure fails the import cleanly. */
static void import_fails_cleanly_at_every_allocation(void **state)
{
	(void)state;
	const char *csv = "id,time,to,kind,repeat every\n"
	                  "a1,T+1h,\"cert, victim\",alert,\"{dist: exponential, mean: 10m}\"\n"
	                  "a2,T+2h,cert,alert,\n";
	const char *yaml = HEAD OBJECTIVES "injects: []\n";
	int done = 0;
	for (long k = 0; k < 100000 && !done; k++) {
		tc_failing_alloc fa;
		tc_failing_alloc_init(&fa, k);
		tc_diag diag;
		tc_diag_init(&diag, tc_alloc_default());
		tc_msel_import_result r;
		int rc = tc_msel_import(&fa.alloc, "m.csv", csv, strlen(csv), "s.yaml", yaml,
		                        strlen(yaml), &r, &diag);
		if (rc == TC_OK) {
			done = 1;
			assert_int_equal(r.inject_count, 2);
			tc_free(&fa.alloc, r.text, r.len + 1);
		} else {
			if (rc != TC_ENOMEM)
				fail_msg("allocation %ld: %d\n%s", k, rc, test_format_diag(&diag));
			assert_null(r.text);
		}
		tc_diag_release(&diag);
		assert_int_equal(fa.live_blocks, 0);
	}
	assert_true(done);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(export_writes_every_column),
		cmocka_unit_test(export_then_import_round_trips),
		cmocka_unit_test(import_reads_a_hand_written_csv),
		cmocka_unit_test(cells_cannot_inject_yaml),
		cmocka_unit_test(header_errors),
		cmocka_unit_test(cell_errors_name_row_and_column),
		cmocka_unit_test(repeat_cell_errors),
		cmocka_unit_test(splice_keeps_every_other_byte),
		cmocka_unit_test(splice_keeps_crlf_line_ends),
		cmocka_unit_test(splice_needs_keys_at_column_1),
		cmocka_unit_test(scenario_errors_refuse_the_import),
		cmocka_unit_test(import_fails_cleanly_at_every_allocation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
