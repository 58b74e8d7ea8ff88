/*
 * The one allocator. Every allocation of the engine goes through a tc_alloc,
 * so a run can be given a memory budget and tests can inject failures.
 * The interface mirrors lua_Alloc: fn(ud, ptr, old_size, new_size) frees when
 * new_size is 0 and returns NULL on failure (leaving ptr untouched).
 */
#ifndef TC_ALLOC_H
#define TC_ALLOC_H

#include <stddef.h>

typedef void *(*tc_alloc_fn)(void *ud, void *ptr, size_t old_size, size_t new_size);

typedef struct tc_alloc {
	tc_alloc_fn fn;
	void *ud;
} tc_alloc;

/* The process allocator (malloc/realloc/free). Never NULL. */
tc_alloc *tc_alloc_default(void);

/* Allocate n bytes; NULL on failure or n == 0. */
void *tc_malloc(tc_alloc *a, size_t n);
/* Allocate n zeroed bytes. */
void *tc_calloc(tc_alloc *a, size_t count, size_t size);
/* Resize; on failure returns NULL and p is still valid. */
void *tc_realloc(tc_alloc *a, void *p, size_t old_size, size_t new_size);
/* Free p, which was allocated with size n (NULL is fine). */
void tc_free(tc_alloc *a, void *p, size_t n);

/*
 * Grow *items (an array of *cap elements of elem_size bytes) so that it holds at
 * least need elements; doubles the capacity. Returns TC_OK or TC_ENOMEM
 * (in which case *items and *cap are unchanged).
 */
int tc_grow(tc_alloc *a, void **items, size_t *cap, size_t need, size_t elem_size);

/*
 * A failure-injecting allocator for tests: allocations succeed until
 * fail_after of them have been made, then every further one fails.
 * fail_after < 0 never fails. Counts what it hands out so leaks show.
 */
typedef struct tc_failing_alloc {
	tc_alloc alloc;
	long fail_after;
	long allocations;
	long live_blocks;
	size_t live_bytes;
} tc_failing_alloc;

void tc_failing_alloc_init(tc_failing_alloc *fa, long fail_after);

#endif
