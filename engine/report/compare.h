/*
 * What a comparison of two sweeps writes (docs/compare.md) from its paired
 * analysis (analysis/paired.h): compare.json for programs, the terminal
 * table of the headline figures, and compare.html, one offline page with
 * the two distributions of each headline figure side by side. The same
 * analysis and sides give the same bytes.
 */
#ifndef TC_REPORT_COMPARE_H
#define TC_REPORT_COMPARE_H

#include <stddef.h>
#include <stdint.h>

#include "analysis/paired.h"
#include "core/buf.h"

/* One side, as its sweep ran it. */
typedef struct tc_compare_side {
	const char *label;             /* what sets it apart, for people: its doctrine,
	                                * its scenario file or its overrides */
	const char *dir;               /* its sweep directory, relative to the
	                                * comparison's ("a", "b") */
	const char *scenario_file, *scenario_name, *scenario_sha256;
	const char *doctrine;          /* NULL: the scenario's own */
	const char *const *sets;       /* every --set it ran with, the common ones first */
	size_t set_count;
	uint64_t seed;
} tc_compare_side;

typedef struct tc_compare_info {
	const char *dir;               /* the comparison's directory (the terminal
	                                * table names the sides' directories in it) */
	const char *variants;          /* what the sides differ by: "doctrine",
	                                * "scenario" or "set" */
	int independent;               /* B ran on its own seed: no common random numbers */
	tc_compare_side a, b;
} tc_compare_info;

/* compare.json: one line, ending with "\n". */
void tc_compare_json(tc_buf *b, const tc_compare_info *info, const tc_paired *p);

/* The terminal table: the headline figures' means and their difference
 * with its interval, the objectives' chances and the headline labels'
 * most frequent values. Colour with ANSI escapes when colour is set. */
void tc_compare_text(tc_buf *b, const tc_compare_info *info, const tc_paired *p, int colour);

/* compare.html: no script, nothing external (a Content-Security-Policy
 * says so), well-formed XML, every text escaped. */
void tc_compare_html(tc_buf *b, const tc_compare_info *info, const tc_paired *p);

#endif
