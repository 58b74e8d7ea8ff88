/*
 * The event queue: a d-ary min-heap of pending events ordered by
 * (time, sequence number). The queue numbers events as they are pushed, so
 * events due at the same time come out in the order they were scheduled and
 * a run is deterministic. Events can be cancelled by id in O(log n).
 *
 * Memory: two arrays that grow geometrically and are reused; freed slots are
 * recycled through a free list, so the steady state allocates nothing.
 */
#ifndef TC_QUEUE_H
#define TC_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#include "core/alloc.h"

typedef struct tc_event {
	int64_t time;    /* when it is due */
	uint64_t seq;    /* assigned by the queue, strictly increasing */
	uint32_t kind;   /* what it is, and its arguments: the caller's */
	uint32_t arg32;
	uint64_t arg64;
} tc_event;

/*
 * Names one scheduled event: its slot in the low 32 bits (plus one, so 0 is
 * never a valid id) and the slot's generation in the high 32 bits, so the id
 * of an event that fired or was cancelled is recognised as stale (until the
 * same slot has been reused 2^32 times).
 */
typedef uint64_t tc_event_id;

struct tc_queue_node;
struct tc_queue_slot;

typedef struct tc_queue {
	tc_alloc *alloc;
	struct tc_queue_node *heap;  /* (time, seq, slot), heap-ordered */
	size_t size, heap_cap;
	struct tc_queue_slot *slots; /* the events, stable while pending */
	size_t slot_count, slot_cap;
	uint32_t free_slot;          /* head of the free list */
	unsigned arity;              /* 2 or 4 */
	uint64_t next_seq;
} tc_queue;

/* An empty queue with the default arity (the faster one, see
 * docs/performance.md). Allocates nothing until the first push; TC_OK. */
int tc_queue_init(tc_queue *q, tc_alloc *a);
/* The same with an explicit heap arity, 2 or 4 (TC_EINVAL otherwise). */
int tc_queue_init_arity(tc_queue *q, tc_alloc *a, unsigned arity);
void tc_queue_release(tc_queue *q);

/*
 * Schedule an event; the queue assigns its seq. Stores its id in *id when id
 * is not NULL. TC_ENOMEM (or TC_ELIMIT beyond 2^32 - 2 pending events) leaves
 * the queue as it was.
 */
int tc_queue_push(tc_queue *q, int64_t time, uint32_t kind, uint32_t arg32,
		  uint64_t arg64, tc_event_id *id);
/* Remove the earliest event into *out: 1 popped, 0 when empty. */
int tc_queue_pop(tc_queue *q, tc_event *out);
/* The earliest event, or NULL when empty; valid until the queue changes. */
const tc_event *tc_queue_peek(const tc_queue *q);
/* Remove a pending event: TC_OK, or TC_ENOENT when id is not pending
 * (it fired, was cancelled, or never existed). */
int tc_queue_cancel(tc_queue *q, tc_event_id id);
size_t tc_queue_size(const tc_queue *q);

#endif
