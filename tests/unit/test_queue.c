/* The event queue, both arities: order against a reference (FIFO among equal
 * times), cancellation, stale ids, interleaving, allocation failures. */
#include "test_support.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/queue.h"

static const unsigned arities[] = {2, 4};

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

struct ref {
	int64_t time;
	uint64_t order;  /* push order */
};

static int cmp_ref(const void *pa, const void *pb)
{
	const struct ref *a = pa, *b = pb;
	if (a->time != b->time)
		return a->time < b->time ? -1 : 1;
	return (a->order > b->order) - (a->order < b->order);
}

/* Many equal times: pops follow a sort by (time, push order). */
static void pops_in_time_then_push_order(void **state)
{
	(void)state;
	enum { N = 20000 };
	for (size_t a = 0; a < 2; a++) {
		tc_queue q;
		assert_int_equal(tc_queue_init_arity(&q, tc_alloc_default(), arities[a]), TC_OK);
		struct ref *ref = malloc(N * sizeof *ref);
		assert_non_null(ref);
		uint64_t s = 1;
		for (uint64_t i = 0; i < N; i++) {
			/* 50 distinct times, including the extremes of int64. */
			int64_t t = (int64_t)(splitmix(&s) % 50) - 25;
			if (t == 24)
				t = INT64_MAX;
			if (t == -25)
				t = INT64_MIN;
			ref[i].time = t;
			ref[i].order = i;
			assert_int_equal(tc_queue_push(&q, t, (uint32_t)i, (uint32_t)(i * 3),
						       i * 7 + 1, NULL), TC_OK);
		}
		assert_int_equal(tc_queue_size(&q), N);
		qsort(ref, N, sizeof *ref, cmp_ref);
		for (size_t i = 0; i < N; i++) {
			const tc_event *top = tc_queue_peek(&q);
			assert_non_null(top);
			tc_event peeked = *top, ev;
			assert_int_equal(tc_queue_pop(&q, &ev), 1);
			assert_memory_equal(&peeked, &ev, sizeof ev);
			assert_true(ev.time == ref[i].time);
			assert_int_equal(ev.seq, ref[i].order);  /* seq counts pushes from 0 */
			assert_int_equal(ev.kind, (uint32_t)ref[i].order);
			assert_int_equal(ev.arg32, (uint32_t)(ref[i].order * 3));
			assert_int_equal(ev.arg64, ref[i].order * 7 + 1);
		}
		tc_event ev;
		assert_int_equal(tc_queue_pop(&q, &ev), 0);
		assert_null(tc_queue_peek(&q));
		free(ref);
		tc_queue_release(&q);
	}
}

static void peek_shows_the_next_pop(void **state)
{
	(void)state;
	tc_queue q;
	assert_int_equal(tc_queue_init(&q, tc_alloc_default()), TC_OK);
	assert_null(tc_queue_peek(&q));
	assert_int_equal(tc_queue_push(&q, 50, 1, 0, 0, NULL), TC_OK);
	assert_int_equal(tc_queue_push(&q, 10, 2, 0, 0, NULL), TC_OK);
	assert_int_equal(tc_queue_push(&q, 10, 3, 0, 0, NULL), TC_OK);
	const tc_event *top = tc_queue_peek(&q);
	assert_non_null(top);
	assert_true(top->time == 10);
	assert_int_equal(top->kind, 2);
	assert_int_equal(top->seq, 1);
	tc_event ev;
	assert_int_equal(tc_queue_pop(&q, &ev), 1);
	assert_int_equal(ev.kind, 2);
	assert_int_equal(tc_queue_peek(&q)->kind, 3);
	tc_queue_release(&q);
}

/*
 * Random pushes, pops and cancels against a reference model (an unsorted
 * array searched linearly): every pop returns the model's minimum.
 */
struct model_item {
	int64_t time;
	uint64_t seq;
	tc_event_id id;
	uint32_t kind;
};

static size_t model_min(const struct model_item *m, size_t n)
{
	size_t best = 0;
	for (size_t i = 1; i < n; i++)
		if (m[i].time < m[best].time ||
		    (m[i].time == m[best].time && m[i].seq < m[best].seq))
			best = i;
	return best;
}

static void interleaved_operations_match_a_model(void **state)
{
	(void)state;
	enum { OPS = 60000, CAP = 4096 };
	for (size_t a = 0; a < 2; a++) {
		tc_queue q;
		assert_int_equal(tc_queue_init_arity(&q, tc_alloc_default(), arities[a]), TC_OK);
		struct model_item *m = malloc(CAP * sizeof *m);
		assert_non_null(m);
		size_t n = 0;
		uint64_t s = 42 + a, seq = 0;
		int64_t now = 0;
		for (int op = 0; op < OPS; op++) {
			uint64_t r = splitmix(&s);
			/* Drift between growing and shrinking so sizes vary widely. */
			int grow = (op / 5000) % 2 == 0;
			unsigned choice = (unsigned)(r % 10);
			if (n < CAP && (n == 0 || choice < (grow ? 6u : 3u))) {
				int64_t t = now + (int64_t)((r >> 8) % 100);
				tc_event_id id;
				assert_int_equal(tc_queue_push(&q, t, (uint32_t)op, 0, 0, &id), TC_OK);
				assert_true(id != 0);
				m[n++] = (struct model_item){t, seq++, id, (uint32_t)op};
			} else if (choice < 8) {
				size_t i = model_min(m, n);
				tc_event ev;
				assert_int_equal(tc_queue_pop(&q, &ev), 1);
				assert_true(ev.time == m[i].time);
				assert_int_equal(ev.seq, m[i].seq);
				assert_int_equal(ev.kind, m[i].kind);
				now = ev.time;
				assert_int_equal(tc_queue_cancel(&q, m[i].id), TC_ENOENT);
				m[i] = m[--n];
			} else {
				size_t i = (size_t)((r >> 16) % n);
				assert_int_equal(tc_queue_cancel(&q, m[i].id), TC_OK);
				assert_int_equal(tc_queue_cancel(&q, m[i].id), TC_ENOENT);
				m[i] = m[--n];
			}
			assert_int_equal(tc_queue_size(&q), n);
		}
		while (n > 0) {
			size_t i = model_min(m, n);
			tc_event ev;
			assert_int_equal(tc_queue_pop(&q, &ev), 1);
			assert_int_equal(ev.seq, m[i].seq);
			m[i] = m[--n];
		}
		free(m);
		tc_queue_release(&q);
	}
}

/* Cancel a random half, then the survivors pop in order; stale ids are refused. */
static void cancel_random_subsets_and_stale_ids(void **state)
{
	(void)state;
	enum { N = 5000 };
	for (size_t a = 0; a < 2; a++) {
		tc_queue q;
		assert_int_equal(tc_queue_init_arity(&q, tc_alloc_default(), arities[a]), TC_OK);
		tc_event_id ids[N];
		int64_t times[N];
		char gone[N] = {0};
		uint64_t s = 7;
		for (int i = 0; i < N; i++) {
			times[i] = (int64_t)(splitmix(&s) % 300);
			assert_int_equal(tc_queue_push(&q, times[i], (uint32_t)i, 0, 0, &ids[i]), TC_OK);
		}
		size_t left = N;
		for (int i = 0; i < N; i++) {
			if (splitmix(&s) & 1) {
				assert_int_equal(tc_queue_cancel(&q, ids[i]), TC_OK);
				gone[i] = 1;
				left--;
			}
		}
		assert_int_equal(tc_queue_size(&q), left);
		for (int i = 0; i < N; i++)
			if (gone[i])
				assert_int_equal(tc_queue_cancel(&q, ids[i]), TC_ENOENT);
		/* Reuse the freed slots: the old ids must stay stale. */
		tc_event_id fresh[N];
		size_t nfresh = 0;
		for (int i = 0; i < N; i++)
			if (gone[i])
				assert_int_equal(tc_queue_push(&q, 1000000 + i, (uint32_t)(N + i), 0, 0,
							       &fresh[nfresh++]), TC_OK);
		for (int i = 0; i < N; i++)
			if (gone[i])
				assert_int_equal(tc_queue_cancel(&q, ids[i]), TC_ENOENT);
		/* Ids that never existed. */
		assert_int_equal(tc_queue_cancel(&q, 0), TC_ENOENT);
		assert_int_equal(tc_queue_cancel(&q, (tc_event_id)N * 10), TC_ENOENT);
		assert_int_equal(tc_queue_cancel(&q, UINT64_MAX), TC_ENOENT);
		/* Drop the fresh ones again, then the originals pop in (time, seq) order. */
		for (size_t i = 0; i < nfresh; i++)
			assert_int_equal(tc_queue_cancel(&q, fresh[i]), TC_OK);
		int64_t last_time = INT64_MIN;
		uint64_t last_seq = 0;
		size_t popped = 0;
		tc_event ev;
		while (tc_queue_pop(&q, &ev)) {
			assert_true(ev.kind < N && !gone[ev.kind]);
			assert_true(ev.time == times[ev.kind]);
			assert_true(ev.time > last_time || (ev.time == last_time && ev.seq > last_seq));
			last_time = ev.time;
			last_seq = ev.seq;
			assert_int_equal(tc_queue_cancel(&q, ids[ev.kind]), TC_ENOENT);
			popped++;
		}
		assert_int_equal(popped, left);
		tc_queue_release(&q);
	}
}

/* Cancel the root, the last node, and a middle node that must move up. */
static void cancel_positions(void **state)
{
	(void)state;
	for (size_t a = 0; a < 2; a++) {
		tc_queue q;
		assert_int_equal(tc_queue_init_arity(&q, tc_alloc_default(), arities[a]), TC_OK);
		tc_event_id id[8];
		static const int64_t t[8] = {10, 50, 20, 60, 70, 30, 40, 15};
		for (int i = 0; i < 8; i++)
			assert_int_equal(tc_queue_push(&q, t[i], (uint32_t)i, 0, 0, &id[i]), TC_OK);
		assert_int_equal(tc_queue_cancel(&q, id[0]), TC_OK);  /* the root */
		assert_int_equal(tc_queue_peek(&q)->kind, 7);
		assert_int_equal(tc_queue_cancel(&q, id[7]), TC_OK);
		assert_int_equal(tc_queue_cancel(&q, id[3]), TC_OK);
		static const uint32_t want[] = {2, 5, 6, 1, 4};
		for (size_t i = 0; i < 5; i++) {
			tc_event ev;
			assert_int_equal(tc_queue_pop(&q, &ev), 1);
			assert_int_equal(ev.kind, want[i]);
		}
		assert_int_equal(tc_queue_size(&q), 0);
		tc_queue_release(&q);
	}
}

/*
 * Each allocation in turn fails: the push reports TC_ENOMEM and the queue is
 * exactly as before (same size, same order, ids still valid), nothing leaks.
 */
static void allocation_failure_leaves_the_queue_consistent(void **state)
{
	(void)state;
	for (size_t a = 0; a < 2; a++) {
		for (long budget = 0; budget < 8; budget++) {
			tc_failing_alloc fa;
			tc_failing_alloc_init(&fa, budget);
			tc_queue q;
			assert_int_equal(tc_queue_init_arity(&q, &fa.alloc, arities[a]), TC_OK);
			tc_event_id ids[4096];
			int pushed = 0, rc;
			while ((rc = tc_queue_push(&q, 1000 - pushed % 97, (uint32_t)pushed, 0, 0,
						   &ids[pushed])) == TC_OK) {
				pushed++;
				assert_true(pushed < 4096);
			}
			assert_int_equal(rc, TC_ENOMEM);
			assert_int_equal(tc_queue_size(&q), pushed);
			/* Cancel every third, pop the rest in order. */
			for (int i = 0; i < pushed; i += 3)
				assert_int_equal(tc_queue_cancel(&q, ids[i]), TC_OK);
			/* Freed slots are reused without allocating. */
			if (pushed > 0)
				assert_int_equal(tc_queue_push(&q, -1, 99999, 0, 0, NULL), TC_OK);
			int64_t last = INT64_MIN;
			tc_event ev;
			size_t n = 0;
			while (tc_queue_pop(&q, &ev)) {
				assert_true(ev.time >= last);
				assert_true(ev.kind == 99999 || ev.kind % 3 != 0);
				last = ev.time;
				n++;
			}
			assert_int_equal(n, pushed - (pushed + 2) / 3 + (pushed > 0));
			tc_queue_release(&q);
			assert_int_equal(fa.live_blocks, 0);
		}
	}
}

/* Once grown, a hold loop (pop, push back later) allocates nothing. */
static void steady_state_does_not_allocate(void **state)
{
	(void)state;
	for (size_t a = 0; a < 2; a++) {
		tc_failing_alloc fa;
		tc_failing_alloc_init(&fa, -1);
		tc_queue q;
		assert_int_equal(tc_queue_init_arity(&q, &fa.alloc, arities[a]), TC_OK);
		uint64_t s = 3;
		for (int i = 0; i < 1000; i++)
			assert_int_equal(tc_queue_push(&q, (int64_t)(splitmix(&s) % 1000), 0, 0, 0, NULL),
					 TC_OK);
		fa.fail_after = fa.allocations;  /* any further allocation fails */
		tc_event ev;
		for (int i = 0; i < 100000; i++) {
			assert_int_equal(tc_queue_pop(&q, &ev), 1);
			assert_int_equal(tc_queue_push(&q, ev.time + (int64_t)(splitmix(&s) % 1000), 0, 0,
						       0, NULL), TC_OK);
		}
		assert_int_equal(tc_queue_size(&q), 1000);
		tc_queue_release(&q);
		assert_int_equal(fa.live_blocks, 0);
	}
}

static void init_rejects_other_arities(void **state)
{
	(void)state;
	tc_queue q;
	assert_int_equal(tc_queue_init_arity(&q, tc_alloc_default(), 3), TC_EINVAL);
	assert_int_equal(tc_queue_init_arity(&q, tc_alloc_default(), 0), TC_EINVAL);
	assert_int_equal(tc_queue_init_arity(&q, tc_alloc_default(), 2), TC_OK);
	tc_queue_release(&q);
	/* Release of an empty, never-grown queue, twice, is fine. */
	assert_int_equal(tc_queue_init(&q, tc_alloc_default()), TC_OK);
	tc_queue_release(&q);
	tc_queue_release(&q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pops_in_time_then_push_order),
		cmocka_unit_test(peek_shows_the_next_pop),
		cmocka_unit_test(interleaved_operations_match_a_model),
		cmocka_unit_test(cancel_random_subsets_and_stale_ids),
		cmocka_unit_test(cancel_positions),
		cmocka_unit_test(allocation_failure_leaves_the_queue_consistent),
		cmocka_unit_test(steady_state_does_not_allocate),
		cmocka_unit_test(init_rejects_other_arities),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
