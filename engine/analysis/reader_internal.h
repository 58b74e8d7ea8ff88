/*
 * One line of events.jsonl back into the tc_record the simulation emitted:
 * the inverse of sim/log_json.c, shared by the log reader (reader.c) and
 * the tests. It does not need the analysis itself.
 *
 * The log writes ids, not indices, and leaves out what it can rebuild: the
 * reader fills those fields as the simulation fills them, so that a record
 * read from a file is the record the running simulation handed its sinks.
 *   - every message record carries the message's binding cause, which the
 *     log writes only in message-created and retry: the reader keeps it per
 *     message id;
 *   - `inject` is the inject of an inject's message, channel change or staff
 *     change: the inject its cause names (the log writes the cause);
 *   - incident-opened adds the incident to the setup (its start is the
 *     record's time, as for the simulation) and `actor` is its detector.
 * Not rebuilt, because the log does not hold it: the description that the
 * simulation puts in inject-fired's text (the setup keeps inject ids only).
 */
#ifndef TC_ANALYSIS_READER_INTERNAL_H
#define TC_ANALYSIS_READER_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "analysis/setup.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "sim/record.h"

typedef struct tc_reader_message {
	uint64_t cause_id;
	uint8_t cause_type;        /* tc_cause_type */
} tc_reader_message;

typedef struct tc_reader {
	tc_alloc *alloc;
	tc_setup *setup;
	tc_buf text;               /* the current record's text */
	tc_reader_message *messages;   /* by message id - 1: those created so far */
	size_t message_count, message_cap;
	uint32_t *ids;             /* scratch: incident-opened's required actors */
	size_t id_cap;
} tc_reader;

void tc_reader_init(tc_reader *r, tc_alloc *a, tc_setup *setup);
void tc_reader_release(tc_reader *r);

/*
 * Parse one line (without its newline) that follows run-started into *out.
 * Text in *out lives until the next call. Returns TC_OK, TC_ENOMEM, or
 * TC_EINVAL / TC_ELIMIT with a message in err and, in *column, the 1-based
 * character column it is about (the key's, or 1 when a key is missing).
 */
int tc_reader_parse_record(tc_reader *r, const char *line, size_t len, tc_record *out,
                           char *err, size_t errlen, int *column);

struct json_t;
/* What a JSON value is, for "expected X, found Y" messages: "an object",
 * "a string", "null"... (shared with setup.c). */
const char *tc_json_found(const struct json_t *v);

/* The character column (1-based) of offset bytes into line: UTF-8 aware,
 * as jansson counts them. */
int tc_reader_column(const char *line, size_t offset);
/* The column of the top-level key `key` of the JSON object on line, or 1
 * when it is not there. */
int tc_reader_key_column(const char *line, size_t len, const char *key);

#endif
