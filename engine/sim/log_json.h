/*
 * The event log writer: a sink that serialises records as JSON lines
 * (docs/event-log.md) with a fixed key order into one reused buffer, and
 * writes that buffer out in chunks of about TC_LOG_JSON_CHUNK bytes (one
 * fwrite per record cost as much as formatting it). The run-ended record is
 * written at once; a caller that stops before it calls tc_log_json_flush.
 */
#ifndef TC_SIM_LOG_JSON_H
#define TC_SIM_LOG_JSON_H

#include <stdio.h>

#include "core/buf.h"
#include "sim/run.h"

enum { TC_EVENT_LOG_VERSION = 1 };
enum { TC_LOG_JSON_CHUNK = 64 * 1024 };

typedef struct tc_log_json {
	FILE *out;
	tc_buf line;               /* the records not yet written out */
	int io_error;
} tc_log_json;

void tc_log_json_init(tc_log_json *log, tc_alloc *a, FILE *out);
/* Frees the buffer; records not yet flushed are dropped. */
void tc_log_json_release(tc_log_json *log);
/* A sink writing to log->out; it fails with TC_EIO when a write fails. */
tc_sink tc_log_json_sink(tc_log_json *log);
/* Write out the records held back (the sink does after run-ended). TC_OK or
 * TC_EIO; log->out itself is not flushed. */
int tc_log_json_flush(tc_log_json *log);

/* Append one record's JSON (no newline) to b. */
void tc_log_json_format(tc_buf *b, const tc_run *run, const tc_record *rec);
/* Append the resolved scenario as a JSON object. */
void tc_log_json_scenario(tc_buf *b, const tc_scenario *s);

#endif
