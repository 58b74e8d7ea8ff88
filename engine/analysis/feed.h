/*
 * Feeding an analysis from a running simulation: a sink that hands each
 * record to the analysis, and passes it on to another sink (the log writer)
 * when there is one. run-started is serialised once with the log's own
 * writer so the setup is read exactly as tocsin report reads it.
 */
#ifndef TC_ANALYSIS_FEED_H
#define TC_ANALYSIS_FEED_H

#include "analysis/analysis.h"
#include "core/buf.h"
#include "sim/run.h"

typedef struct tc_analysis_feed {
	tc_analysis *an;
	const tc_sink *next;       /* NULL: none */
	tc_buf scratch;
	int error;                 /* the first error of the analysis, TC_OK when none */
} tc_analysis_feed;

void tc_analysis_feed_init(tc_analysis_feed *f, tc_alloc *a, tc_analysis *an,
                           const tc_sink *next);
void tc_analysis_feed_release(tc_analysis_feed *f);
/* A sink for tc_run_new. An analysis error stops the run with that error
 * (tc_analysis_error says why); the next sink's error likewise. */
tc_sink tc_analysis_feed_sink(tc_analysis_feed *f);

#endif
