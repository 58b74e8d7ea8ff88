#include "core/queue.h"

#include <assert.h>
#include <string.h>

#include "core/error.h"

/*
 * The heap holds small nodes (the ordering key and a slot index) so sifting
 * moves 24 bytes; the events themselves stay in their slot, which records
 * where its node is so that cancel can find it.
 */
struct tc_queue_node {
	int64_t time;
	uint64_t seq;
	uint32_t slot;
};

struct tc_queue_slot {
	tc_event ev;
	uint32_t pos;   /* index of its node in the heap; next free slot when free */
	uint32_t gen;   /* bumped when the event leaves the queue */
};

#define NO_SLOT UINT32_MAX
/* Slot indices and heap positions fit in 32 bits; ids add one to the slot. */
#define MAX_SLOTS ((size_t)UINT32_MAX - 1)
/*
 * Binary: in the hold benchmark (docs/performance.md) it is a few per cent
 * faster than 4-ary from 1 000 to 100 000 pending events, the sizes runs
 * have; 4-ary only wins at 16 and at 1 000 000.
 */
#define DEFAULT_ARITY 2

typedef struct tc_queue_node node;

static inline int before(const node *a, const node *b)
{
	return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

static inline void place(tc_queue *q, size_t i, const node *x)
{
	q->heap[i] = *x;
	q->slots[x->slot].pos = (uint32_t)i;
}

/*
 * Sift x up from the hole at i. ar is a constant in each caller below, so
 * the compiler specialises the divisions and loops for each arity.
 */
static inline void sift_up(tc_queue *q, size_t i, node x, const size_t ar)
{
	while (i > 0) {
		size_t parent = (i - 1) / ar;
		if (!before(&x, &q->heap[parent]))
			break;
		place(q, i, &q->heap[parent]);
		i = parent;
	}
	place(q, i, &x);
}

static inline void sift_down(tc_queue *q, size_t i, node x, const size_t ar)
{
	const size_t n = q->size;
	node *h = q->heap;
	for (;;) {
		size_t first = ar * i + 1;
		if (first >= n)
			break;
		size_t end = first + ar < n ? first + ar : n;
		size_t best = first;
		for (size_t c = first + 1; c < end; c++)
			if (before(&h[c], &h[best]))
				best = c;
		if (!before(&h[best], &x))
			break;
		place(q, i, &h[best]);
		i = best;
	}
	place(q, i, &x);
}

static void sift_up_any(tc_queue *q, size_t i, node x)
{
	if (q->arity == 4)
		sift_up(q, i, x, 4);
	else
		sift_up(q, i, x, 2);
}

static void sift_down_any(tc_queue *q, size_t i, node x)
{
	if (q->arity == 4)
		sift_down(q, i, x, 4);
	else
		sift_down(q, i, x, 2);
}

int tc_queue_init_arity(tc_queue *q, tc_alloc *a, unsigned arity)
{
	if (arity != 2 && arity != 4)
		return TC_EINVAL;
	memset(q, 0, sizeof *q);
	q->alloc = a;
	q->arity = arity;
	q->free_slot = NO_SLOT;
	return TC_OK;
}

int tc_queue_init(tc_queue *q, tc_alloc *a)
{
	return tc_queue_init_arity(q, a, DEFAULT_ARITY);
}

void tc_queue_release(tc_queue *q)
{
	tc_free(q->alloc, q->heap, q->heap_cap * sizeof *q->heap);
	tc_free(q->alloc, q->slots, q->slot_cap * sizeof *q->slots);
	q->heap = NULL;
	q->slots = NULL;
	q->size = q->heap_cap = q->slot_count = q->slot_cap = 0;
	q->free_slot = NO_SLOT;
}

size_t tc_queue_size(const tc_queue *q)
{
	return q->size;
}

int tc_queue_push(tc_queue *q, int64_t time, uint32_t kind, uint32_t arg32,
		  uint64_t arg64, tc_event_id *id)
{
	/* Reserve everything first, so a failure changes nothing. */
	if (q->free_slot == NO_SLOT) {
		if (q->slot_count >= MAX_SLOTS)
			return TC_ELIMIT;
		if (q->slot_count == q->slot_cap &&
		    tc_grow(q->alloc, (void **)&q->slots, &q->slot_cap, q->slot_count + 1,
			    sizeof *q->slots) != TC_OK)
			return TC_ENOMEM;
	}
	if (q->size == q->heap_cap &&
	    tc_grow(q->alloc, (void **)&q->heap, &q->heap_cap, q->size + 1,
		    sizeof *q->heap) != TC_OK)
		return TC_ENOMEM;

	uint32_t s;
	if (q->free_slot != NO_SLOT) {
		s = q->free_slot;
		q->free_slot = q->slots[s].pos;
	} else {
		s = (uint32_t)q->slot_count++;
		q->slots[s].gen = 0;
	}
	struct tc_queue_slot *slot = &q->slots[s];
	slot->ev.time = time;
	slot->ev.seq = q->next_seq++;
	slot->ev.kind = kind;
	slot->ev.arg32 = arg32;
	slot->ev.arg64 = arg64;
	node x = {time, slot->ev.seq, s};
	sift_up_any(q, q->size++, x);
	if (id)
		*id = (uint64_t)slot->gen << 32 | ((uint64_t)s + 1);
	return TC_OK;
}

/* The event in slot s has left the queue: stale its id, recycle the slot. */
static void free_slot(tc_queue *q, uint32_t s)
{
	q->slots[s].gen++;
	q->slots[s].pos = q->free_slot;
	q->free_slot = s;
}

int tc_queue_pop(tc_queue *q, tc_event *out)
{
	if (q->size == 0)
		return 0;
	uint32_t s = q->heap[0].slot;
	*out = q->slots[s].ev;
	free_slot(q, s);
	node last = q->heap[--q->size];
	if (q->size > 0)
		sift_down_any(q, 0, last);
	return 1;
}

const tc_event *tc_queue_peek(const tc_queue *q)
{
	return q->size ? &q->slots[q->heap[0].slot].ev : NULL;
}

int tc_queue_cancel(tc_queue *q, tc_event_id id)
{
	uint64_t low = id & UINT32_MAX;
	if (low == 0 || low > q->slot_count)
		return TC_ENOENT;
	uint32_t s = (uint32_t)(low - 1);
	struct tc_queue_slot *slot = &q->slots[s];
	/* A freed slot is referenced by no node, so this also rejects free ones. */
	if (slot->gen != (uint32_t)(id >> 32) || slot->pos >= q->size ||
	    q->heap[slot->pos].slot != s)
		return TC_ENOENT;
	size_t pos = slot->pos;
	free_slot(q, s);
	node last = q->heap[--q->size];
	if (pos == q->size)
		return TC_OK;  /* it was the last node */
	if (pos > 0 && before(&last, &q->heap[(pos - 1) / q->arity]))  /* its parent */
		sift_up_any(q, pos, last);
	else
		sift_down_any(q, pos, last);
	return TC_OK;
}
