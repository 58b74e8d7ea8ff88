#include "core/strmap.h"

#include <string.h>

#include "core/error.h"

static uint64_t hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325u;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3u;
	}
	return h;
}

void tc_strmap_init(tc_strmap *m, tc_alloc *a)
{
	memset(m, 0, sizeof *m);
	m->alloc = a;
}

void tc_strmap_release(tc_strmap *m)
{
	tc_free(m->alloc, m->slots, m->cap * sizeof *m->slots);
	m->slots = NULL;
	m->cap = m->count = 0;
}

static tc_strmap_slot *find(const tc_strmap *m, const char *key)
{
	size_t mask = m->cap - 1;
	for (size_t i = hash(key) & mask;; i = (i + 1) & mask) {
		tc_strmap_slot *s = &m->slots[i];
		if (!s->key || strcmp(s->key, key) == 0)
			return s;
	}
}

static int rehash(tc_strmap *m, size_t cap)
{
	tc_strmap_slot *old = m->slots;
	size_t old_cap = m->cap;
	m->slots = tc_calloc(m->alloc, cap, sizeof *m->slots);
	if (!m->slots) {
		m->slots = old;
		return TC_ENOMEM;
	}
	m->cap = cap;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].key)
			*find(m, old[i].key) = old[i];
	tc_free(m->alloc, old, old_cap * sizeof *old);
	return TC_OK;
}

int tc_strmap_put(tc_strmap *m, const char *key, int value, int *existing)
{
	/* Keep the load factor under 1/2 so probes stay short. */
	if ((m->count + 1) * 2 > m->cap && rehash(m, m->cap ? m->cap * 2 : 16))
		return TC_ENOMEM;
	tc_strmap_slot *s = find(m, key);
	if (s->key) {
		if (existing)
			*existing = s->value;
		return 1;
	}
	s->key = key;
	s->value = value;
	m->count++;
	return TC_OK;
}

int tc_strmap_get(const tc_strmap *m, const char *key)
{
	if (!m->cap)
		return -1;
	const tc_strmap_slot *s = find(m, key);
	return s->key ? s->value : -1;
}
