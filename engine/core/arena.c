#include "core/arena.h"

#include <assert.h>
#include <stdalign.h>
#include <stdint.h>
#include <string.h>

struct tc_arena_chunk {
	tc_arena_chunk *next;
	size_t size, used;
	alignas(max_align_t) unsigned char data[];
};

enum { CHUNK_SIZE = 64 * 1024 };

void tc_arena_init(tc_arena *ar, tc_alloc *a)
{
	memset(ar, 0, sizeof *ar);
	ar->alloc = a;
}

void tc_arena_release(tc_arena *ar)
{
	tc_arena_chunk *c = ar->head;
	while (c) {
		tc_arena_chunk *next = c->next;
		tc_free(ar->alloc, c, sizeof *c + c->size);
		c = next;
	}
	ar->head = NULL;
	ar->used = 0;
}

void *tc_arena_alloc(tc_arena *ar, size_t n)
{
	const size_t align = alignof(max_align_t);
	if (n > SIZE_MAX - align)
		return NULL;
	n = (n + align - 1) & ~(align - 1);
	if (n == 0)
		n = align;
	tc_arena_chunk *c = ar->head;
	if (!c || c->size - c->used < n) {
		size_t size = n > CHUNK_SIZE ? n : CHUNK_SIZE;
		c = tc_malloc(ar->alloc, sizeof *c + size);
		if (!c)
			return NULL;
		c->size = size;
		c->used = 0;
		c->next = ar->head;
		ar->head = c;
	}
	void *p = c->data + c->used;
	c->used += n;
	ar->used += n;
	memset(p, 0, n);
	return p;
}

char *tc_arena_strndup(tc_arena *ar, const char *s, size_t n)
{
	char *p = tc_arena_alloc(ar, n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

char *tc_arena_strdup(tc_arena *ar, const char *s)
{
	return tc_arena_strndup(ar, s, strlen(s));
}
