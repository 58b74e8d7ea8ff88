/*
 * What a sweep writes for people and programs from its summary
 * (docs/sweep.md): DIR/summary.json, and the terminal table of its
 * headline figures.
 */
#ifndef TC_SWEEP_OUTPUT_H
#define TC_SWEEP_OUTPUT_H

#include "analysis/summary.h"
#include "core/buf.h"
#include "sweep/manifest.h"

/* summary.json: the sweep's manifest fields, then each block's figures;
 * one line, ending with "\n". */
void tc_sweep_summary_json(tc_buf *b, const tc_manifest *m, const tc_summary *s);

/* The terminal summary: for each block, the headline figures (mean with its
 * interval, p10, p50, p90, how often reached) and the objectives' chances. */
void tc_sweep_summary_text(tc_buf *b, const tc_manifest *m, const tc_summary *s, int colour);

#endif
