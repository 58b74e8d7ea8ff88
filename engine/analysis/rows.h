/*
 * Reading replications.csv a line at a time, as the sweep writes it: the
 * reader of the sweep's summary (summary.c) and of the paired comparison
 * (paired.c). RFC 4180 quotes; no line breaks inside fields, which the
 * sweep never writes. Errors name the file and line: "PATH:LINE: what".
 */
#ifndef TC_ANALYSIS_ROWS_H
#define TC_ANALYSIS_ROWS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "analysis/figures.h"
#include "core/alloc.h"

typedef struct tc_rows {
	tc_alloc *alloc;
	const char *path;
	FILE *f;
	char *line;                /* getline's buffer */
	size_t line_cap;
	uint64_t number;           /* of the line just read, 1-based; 0 before the first */
	char **field;              /* the fields of that line, split in place */
	size_t count, cap;
	char *err;
	size_t errlen;
} tc_rows;

/* Open path; errors are written to err[0..errlen) now and by every call
 * below. TC_OK or TC_EIO. */
int tc_rows_open(tc_rows *r, tc_alloc *a, const char *path, char *err, size_t errlen);
/* Close; safe twice and after a failed open. */
void tc_rows_close(tc_rows *r);
/* Read and split the next line: TC_OK, 1 at the end of the file, or
 * TC_EIO, TC_EINVAL (a NUL byte, a bad quote) or TC_ENOMEM. */
int tc_rows_next(tc_rows *r);

/* Set err to "PATH:LINE: " (or "PATH: " before the first line) and the
 * message; returns TC_EINVAL. */
int tc_rows_fail(tc_rows *r, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

/* Read the header and check it is key_count keys, "replication", then the
 * figures' names. TC_OK or an error as above. */
int tc_rows_header(tc_rows *r, const char *const *keys, size_t key_count,
                   const tc_figure *figures, size_t figure_count);

/* A replication number (a whole number up to 2^32-1): 0, or -1 when s is
 * not one. */
int tc_rows_replication(const char *s, uint32_t *out);

/* A figure's field: NaN when empty (not reached); for labels 0 when not
 * empty. A malformed field (not a whole number for times, counts and flags,
 * a flag other than 0 or 1, a negative count) sets *bad and returns 0. */
double tc_rows_value(const char *s, tc_figure_kind kind, int *bad);

#endif
