/*
 * The MSEL (the scenario's injects) as a spreadsheet, both ways
 * (docs/msel.md): export writes the injects as CSV, one row per inject;
 * import reads such a CSV and rewrites the `injects:` section of a scenario
 * file with its rows, leaving every other byte of the file as it was.
 *
 * Import does not validate cells itself: it turns the CSV into a YAML tree
 * whose nodes carry the CSV's name, row and column, and loads the scenario
 * with that tree in place of its injects, so every bad cell is reported by
 * the loader, in its words, as FILE.csv:ROW:COLUMN.
 */
#ifndef TC_SCENARIO_MSEL_H
#define TC_SCENARIO_MSEL_H

#include <stddef.h>

#include "core/buf.h"
#include "core/diag.h"
#include "scenario/scenario.h"

/* The spreadsheet's columns, in the order export writes them. */
enum { TC_MSEL_COLUMNS = 20 };
extern const char *const tc_msel_columns[TC_MSEL_COLUMNS];

/*
 * Append the injects of s as CSV: the header, then one row per inject in
 * scenario order, lines ending with "\n". Times are in the T+ clock form,
 * severities and TLP by name, values in force written out (the severity a
 * message takes from its incident, AMBER). TC_OK, or TC_ENOMEM when out
 * failed.
 */
int tc_msel_export(const tc_scenario *s, tc_buf *out);

typedef struct tc_msel_import_result {
	char *text;              /* the new scenario text, NUL-terminated, allocated with a */
	size_t len;              /* its length; free with tc_free(a, text, len + 1) */
	size_t inject_count;
} tc_msel_import_result;

/*
 * Import the CSV csv[0..csv_len) (named csv_name in diagnostics) into the
 * scenario text yaml[0..yaml_len) of the file scenario_name (the files it
 * names are read relative to it): the rows replace the top-level `injects:`
 * section, from the line of its key to the next top-level key (comment and
 * blank lines at column 1 just before that key stay with it) or the end of
 * the file; without one the section is appended. The new text is loaded
 * again as a last check, and must resolve to the same injects. Every
 * problem goes to diag; on any, nothing is returned. Returns TC_OK,
 * TC_EINVAL, TC_ELIMIT, TC_ENOMEM, or the loader's TC_EIO / TC_ENOENT.
 */
int tc_msel_import(tc_alloc *a, const char *csv_name, const char *csv, size_t csv_len,
                   const char *scenario_name, const char *yaml, size_t yaml_len,
                   tc_msel_import_result *out, tc_diag *diag);

#endif
