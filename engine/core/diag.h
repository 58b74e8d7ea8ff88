/*
 * Diagnostics: the list of errors found in one input. Every message names
 * file:line:column (1-based) and what was expected; validation collects all of
 * them instead of stopping at the first.
 */
#ifndef TC_DIAG_H
#define TC_DIAG_H

#include <stddef.h>
#include <stdio.h>

#include "core/alloc.h"

typedef struct tc_diag_entry {
	char *file;      /* owned copy */
	int line;        /* 1-based; 0 when the error has no position */
	int column;      /* 1-based; 0 when unknown */
	char *message;   /* owned copy, no trailing newline */
} tc_diag_entry;

typedef struct tc_diag {
	tc_alloc *alloc;
	tc_diag_entry *items;
	size_t count, cap;
	size_t max_entries;  /* beyond this, errors are counted but not stored */
	size_t dropped;
	int out_of_memory;   /* an entry could not be stored */
} tc_diag;

void tc_diag_init(tc_diag *d, tc_alloc *a);
void tc_diag_release(tc_diag *d);

/* Record an error at file:line:column. Never fails: on ENOMEM it is counted. */
#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
void tc_diag_add(tc_diag *d, const char *file, int line, int column, const char *fmt, ...);

/* Number of errors recorded, stored or not. */
size_t tc_diag_errors(const tc_diag *d);

/* Write "file:line:column: error: message" lines, in the order recorded. */
void tc_diag_print(const tc_diag *d, FILE *out);

/*
 * The closest candidate to word by edit distance, or NULL when none is close
 * enough to be a plausible typo. Used for "did you mean" hints.
 */
const char *tc_suggest(const char *word, const char *const *candidates, size_t n);

#endif
