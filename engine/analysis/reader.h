/*
 * Feeding an analysis from events.jsonl: each line is parsed, its ids are
 * resolved against the setup, and the record goes to tc_analysis_record.
 */
#ifndef TC_ANALYSIS_READER_H
#define TC_ANALYSIS_READER_H

#include <stddef.h>
#include <stdio.h>

#include "analysis/analysis.h"

/*
 * Read a whole log into `an` (fresh from tc_analysis_new) and finish it.
 * `name` names the file in messages. Returns TC_OK with *out, or an error
 * with err saying "NAME:LINE:COLUMN: what was expected": a line that is not
 * JSON, a record with a missing or mistyped key, an unknown actor or
 * message, records out of order, and a log that stops before run-ended
 * ("NAME:N: the log ends without run-ended after line N: it is truncated or the
 * run did not finish").
 * TC_EIO when reading fails, TC_ENOMEM when memory runs out.
 */
int tc_read_events(tc_analysis *an, FILE *in, const char *name, const tc_metrics **out,
                   char *err, size_t errlen);
/* The same from a file path (NAME is the path). */
int tc_read_events_file(tc_analysis *an, const char *path, const tc_metrics **out, char *err,
                        size_t errlen);

#endif
