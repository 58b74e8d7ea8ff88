/*
 * The analysis fed by a running simulation. run-started goes through the
 * log's own writer, so the setup is read from the very JSON a log file would
 * hold; every later record is handed over as the simulation emitted it,
 * which is what the reader rebuilds from that file.
 */
#include "analysis/feed.h"

#include <assert.h>
#include <string.h>

#include "core/error.h"
#include "sim/log_json.h"

void tc_analysis_feed_init(tc_analysis_feed *f, tc_alloc *a, tc_analysis *an,
                           const tc_sink *next)
{
	memset(f, 0, sizeof *f);
	f->an = an;
	f->next = next;
	tc_buf_init(&f->scratch, a);
}

void tc_analysis_feed_release(tc_analysis_feed *f)
{
	tc_buf_release(&f->scratch);
}

static int start(tc_analysis_feed *f, const tc_run *run, const tc_record *rec)
{
	tc_buf_reset(&f->scratch);
	tc_log_json_format(&f->scratch, run, rec);
	if (f->scratch.failed)
		return TC_ENOMEM;
	int rc = tc_analysis_start(f->an, f->scratch.data, f->scratch.len);
	/* The text is needed no more: a large scenario's JSON is not kept
	 * (the buffer stays usable, empty). */
	tc_buf_release(&f->scratch);
	return rc;
}

/* The incident a script opened joins the setup before its record, as the
 * reader adds it when it reads incident-opened. */
static int add_incident(tc_analysis_feed *f, const tc_run *run, const tc_record *rec)
{
	tc_run_incident inc = tc_run_incident_at(run, rec->incident);
	tc_setup *setup = tc_analysis_setup(f->an);
	tc_setup_incident si = {
		.id = inc.id, .title = inc.title, .severity = inc.severity, .start = inc.start,
		.detector = inc.detector, .required = inc.required,
		.required_count = inc.required_count, .opened = 1,
	};
	int rc = tc_setup_add_incident(setup, &si);
	/* Both number incidents in the order they were opened. */
	assert(rc || setup->incident_count == (size_t)rec->incident + 1);
	return rc;
}

static int feed_record(void *ud, const tc_run *run, const tc_record *rec)
{
	tc_analysis_feed *f = ud;
	if (f->error)
		return f->error;
	int rc;
	if (rec->type == TC_REC_RUN_STARTED) {
		rc = start(f, run, rec);
	} else {
		rc = rec->type == TC_REC_INCIDENT_OPENED ? add_incident(f, run, rec) : TC_OK;
		if (!rc)
			rc = tc_analysis_record(f->an, rec);
	}
	if (rc) {
		f->error = rc;
		return rc;
	}
	return f->next ? f->next->record(f->next->ud, run, rec) : TC_OK;
}

tc_sink tc_analysis_feed_sink(tc_analysis_feed *f)
{
	tc_sink sink = {feed_record, f};
	return sink;
}
