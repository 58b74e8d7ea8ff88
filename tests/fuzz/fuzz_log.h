/*
 * What the fuzz targets that run scenarios share: an event-log sink that
 * checks the log's promises (dense sequence numbers, time never going back,
 * every line a JSON object) and hashes the lines, so two runs of one seed can
 * be compared byte for byte. Header-only: each target is one program.
 */
#ifndef TC_FUZZ_LOG_H
#define TC_FUZZ_LOG_H

#include <stdint.h>
#include <stdlib.h>

#include "core/buf.h"
#include "sim/log_json.h"
#include "sim/run.h"

static inline void check(int ok)
{
	if (!ok)
		abort();
}

typedef struct log_state {
	tc_buf line;
	uint64_t next_seq;
	tc_time last_time;
	uint64_t hash;            /* FNV-1a of every line */
} log_state;

static inline void hash_bytes(uint64_t *h, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		*h ^= (unsigned char)p[i];
		*h *= 0x100000001b3u;
	}
}

static inline int record(void *ud, const tc_run *run, const tc_record *rec)
{
	log_state *log = ud;
	/* Records are dense, in order and never go back in time. */
	check(rec->seq == log->next_seq++);
	check(rec->seq == 0 || rec->time >= log->last_time);
	log->last_time = rec->time;
	tc_buf_reset(&log->line);
	tc_log_json_format(&log->line, run, rec);
	check(log->line.failed || (log->line.len > 2 && log->line.data[0] == '{' &&
	                           log->line.data[log->line.len - 1] == '}'));
	hash_bytes(&log->hash, log->line.data, log->line.len);
	return 0;
}

#endif
