/*
 * An arena: many small allocations freed together. Holds the immutable parts
 * of a loaded scenario (strings, arrays) so that release is one call.
 */
#ifndef TC_ARENA_H
#define TC_ARENA_H

#include <stddef.h>

#include "core/alloc.h"

typedef struct tc_arena_chunk tc_arena_chunk;

typedef struct tc_arena {
	tc_alloc *alloc;
	tc_arena_chunk *head;
	size_t used;        /* bytes handed out, for limits and statistics */
} tc_arena;

void tc_arena_init(tc_arena *ar, tc_alloc *a);
void tc_arena_release(tc_arena *ar);

/* n bytes aligned for any type, zeroed; NULL on failure. */
void *tc_arena_alloc(tc_arena *ar, size_t n);
/* A NUL-terminated copy of s[0..n). */
char *tc_arena_strndup(tc_arena *ar, const char *s, size_t n);
char *tc_arena_strdup(tc_arena *ar, const char *s);

#endif
