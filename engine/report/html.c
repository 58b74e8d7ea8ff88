/*
 * Placeholder, replaced by the HTML report (the HTML report's own html.c
 * takes its place when the branches are merged): an empty but valid page,
 * so that tc_report_write links and writes report.html meanwhile.
 */
#include "report/report.h"

void tc_report_html(tc_buf *b, const tc_metrics *m)
{
	(void)m;
	tc_buf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	               "<title>tocsin report</title></head><body></body></html>\n");
}
