/*
 * Reports: the metrics of one run (analysis/analysis.h) as a person or a
 * program reads them. Every writer appends to a tc_buf (check b->failed);
 * tc_report_write puts the chosen ones into a directory, each file written
 * under a temporary name and renamed, so a report is complete or absent.
 */
#ifndef TC_REPORT_REPORT_H
#define TC_REPORT_REPORT_H

#include <stddef.h>

#include "analysis/analysis.h"
#include "core/buf.h"

/* report.json (docs/report-schema.md). */
void tc_report_json(tc_buf *b, const tc_metrics *m);

/* One CSV table: a header row, then one row per item; RFC 4180 quoting,
 * "\n" line ends, empty cells for values not reached (docs/report-schema.md). */
typedef struct tc_csv_table {
	const char *file;          /* "actors.csv" */
	void (*write)(tc_buf *b, const tc_metrics *m);
} tc_csv_table;
extern const tc_csv_table tc_csv_tables[];
extern const size_t tc_csv_table_count;

/* report.html: one self-contained page with inline SVG, no script. */
void tc_report_html(tc_buf *b, const tc_metrics *m);

/* The terminal summary; colour with ANSI escapes when `colour` is set. */
void tc_report_text(tc_buf *b, const tc_metrics *m, int colour);

enum {
	TC_REPORT_JSON = 1 << 0,
	TC_REPORT_CSV = 1 << 1,
	TC_REPORT_HTML = 1 << 2,
	TC_REPORT_ALL = TC_REPORT_JSON | TC_REPORT_CSV | TC_REPORT_HTML,
};

/* Write the formats chosen into dir (which exists). TC_OK, TC_ENOMEM or
 * TC_EIO with err naming the file. */
int tc_report_write(const tc_metrics *m, const char *dir, unsigned formats, tc_alloc *a,
                    char *err, size_t errlen);

/* Remove the files of these formats from dir, where they exist: a new log
 * must not sit next to the report of an older run. */
void tc_report_remove(const char *dir, unsigned formats);

#endif
