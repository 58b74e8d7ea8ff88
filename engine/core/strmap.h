/*
 * A string -> int map (open addressing, FNV-1a), for ids and duplicate
 * detection at load time. Keys are not copied: they must outlive the map.
 */
#ifndef TC_STRMAP_H
#define TC_STRMAP_H

#include <stddef.h>
#include <stdint.h>

#include "core/alloc.h"

typedef struct tc_strmap_slot {
	const char *key;
	int value;
} tc_strmap_slot;

typedef struct tc_strmap {
	tc_alloc *alloc;
	tc_strmap_slot *slots;
	size_t cap, count;   /* cap is 0 or a power of two */
} tc_strmap;

void tc_strmap_init(tc_strmap *m, tc_alloc *a);
void tc_strmap_release(tc_strmap *m);
/* Insert key -> value. Returns TC_OK, TC_ENOMEM, or 1 when the key exists
 * (the map is unchanged and *existing, if given, holds its value). */
int tc_strmap_put(tc_strmap *m, const char *key, int value, int *existing);
/* The value of key, or -1 when absent. */
int tc_strmap_get(const tc_strmap *m, const char *key);

#endif
