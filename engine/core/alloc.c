#include "core/alloc.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

static void *system_alloc(void *ud, void *ptr, size_t old_size, size_t new_size)
{
	(void)ud;
	(void)old_size;
	if (new_size == 0) {
		free(ptr);
		return NULL;
	}
	return realloc(ptr, new_size);
}

tc_alloc *tc_alloc_default(void)
{
	/* Immutable after static initialisation: safe to share across threads. */
	static tc_alloc system = {system_alloc, NULL};
	return &system;
}

void *tc_malloc(tc_alloc *a, size_t n)
{
	if (n == 0)
		return NULL;
	return a->fn(a->ud, NULL, 0, n);
}

void *tc_calloc(tc_alloc *a, size_t count, size_t size)
{
	if (size != 0 && count > SIZE_MAX / size)
		return NULL;
	void *p = tc_malloc(a, count * size);
	if (p)
		memset(p, 0, count * size);
	return p;
}

void *tc_realloc(tc_alloc *a, void *p, size_t old_size, size_t new_size)
{
	assert(new_size > 0);
	return a->fn(a->ud, p, old_size, new_size);
}

void tc_free(tc_alloc *a, void *p, size_t n)
{
	if (p)
		a->fn(a->ud, p, n, 0);
}

int tc_grow(tc_alloc *a, void **items, size_t *cap, size_t need, size_t elem_size)
{
	if (need <= *cap)
		return TC_OK;
	size_t new_cap = *cap ? *cap : 8;
	while (new_cap < need) {
		if (new_cap > SIZE_MAX / 2)
			return TC_ENOMEM;
		new_cap *= 2;
	}
	if (new_cap > SIZE_MAX / elem_size)
		return TC_ENOMEM;
	void *p = *items ? tc_realloc(a, *items, *cap * elem_size, new_cap * elem_size)
	                 : tc_malloc(a, new_cap * elem_size);
	if (!p)
		return TC_ENOMEM;
	*items = p;
	*cap = new_cap;
	return TC_OK;
}

static void *failing_alloc(void *ud, void *ptr, size_t old_size, size_t new_size)
{
	tc_failing_alloc *fa = ud;
	if (new_size == 0) {
		if (ptr) {
			fa->live_blocks--;
			fa->live_bytes -= old_size;
			free(ptr);
		}
		return NULL;
	}
	if (fa->fail_after >= 0 && fa->allocations >= fa->fail_after)
		return NULL;
	fa->allocations++;
	void *p = realloc(ptr, new_size);
	if (!p)
		return NULL;
	if (!ptr)
		fa->live_blocks++;
	fa->live_bytes += new_size - (ptr ? old_size : 0);
	return p;
}

void tc_failing_alloc_init(tc_failing_alloc *fa, long fail_after)
{
	memset(fa, 0, sizeof *fa);
	fa->alloc.fn = failing_alloc;
	fa->alloc.ud = fa;
	fa->fail_after = fail_after;
}
