/*
 * libFuzzer target for the event-log reader and the reports: read arbitrary
 * bytes as events.jsonl (what `tocsin report` does with a file it is given)
 * and, when they are a log the analysis accepts, write every report from
 * the metrics. A damaged log must be refused with a message naming its
 * line, never crash, hang or leak; an accepted one must give reports.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "analysis/reader.h"
#include "core/buf.h"
#include "core/error.h"
#include "report/report.h"

#include "fuzz_log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void write_reports(const tc_metrics *m)
{
	tc_buf b;
	tc_buf_init(&b, tc_alloc_default());
	tc_report_json(&b, m);
	check(b.failed || (b.len > 0 && b.data[0] == '{'));
	tc_buf_reset(&b);
	tc_report_html(&b, m);
	check(b.failed || b.len > 0);
	tc_buf_reset(&b);
	tc_report_text(&b, m, 1);
	for (size_t i = 0; i < tc_csv_table_count; i++) {
		tc_buf_reset(&b);
		tc_csv_tables[i].write(&b, m);
		check(b.failed || (b.len > 0 && b.data[b.len - 1] == '\n'));
	}
	tc_buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* fmemopen of 0 bytes is refused: an empty log goes in as "\n" cut. */
	FILE *in = fmemopen(size ? (void *)data : (void *)"", size ? size : 1, "r");
	if (!in)
		return 0;
	tc_analysis *an = tc_analysis_new(tc_alloc_default());
	check(an != NULL);
	const tc_metrics *m = NULL;
	char err[512] = "";
	int rc = tc_read_events(an, in, "fuzz.jsonl", &m, err, sizeof err);
	check(rc == TC_OK || rc == TC_EINVAL || rc == TC_ELIMIT || rc == TC_ENOENT ||
	      rc == TC_ENOMEM);
	if (rc == TC_OK)
		write_reports(m);
	else
		check(strncmp(err, "fuzz.jsonl:", 11) == 0);
	tc_analysis_free(an);
	fclose(in);
	return 0;
}
