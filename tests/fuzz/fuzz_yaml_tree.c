/*
 * libFuzzer target for scenario/yaml_tree: load arbitrary bytes, walk the
 * tree through every accessor and check the loader's invariants; then load
 * again failing one allocation (chosen from the input) and check that this
 * gives TC_ENOMEM without leaking. Any violation aborts.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/diag.h"
#include "core/error.h"
#include "scenario/yaml_tree.h"

static void check(int ok)
{
	if (!ok)
		abort();
}

static const char *const allowed[] = {"id", "name", "staff", "actors", "channels"};

/* Visit n and everything under it (shared subtrees once per reference);
 * returns the number of nodes visited. */
static size_t walk(const tc_ydoc *doc, const tc_ynode *n, size_t depth, tc_diag *d)
{
	check(n != NULL);
	check(n->line >= 1 && n->column >= 1);
	if (n->type == TC_YSCALAR) {
		check(n->text != NULL && n->text[n->len] == '\0' && strlen(n->text) == n->len);
		check(n->items == NULL && n->count == 0);
		int64_t i = 0;
		double x = 0;
		int flag = 0;
		const char *s = NULL;
		int int_ok = tc_yscalar_int(doc, n, INT64_MIN, INT64_MAX, &i, d) == TC_OK;
		int double_ok = tc_yscalar_double(doc, n, -HUGE_VAL, HUGE_VAL, &x, d) == TC_OK;
		/* Every integer is a number, rounded like the conversion of C. */
		if (int_ok)
			check(double_ok && x == (double)i);
		if (double_ok)
			check(isfinite(x) && n->plain);
		if (tc_yscalar_bool(doc, n, &flag, d) == TC_OK)
			check(n->plain && (flag == 0 || flag == 1) && !int_ok && !double_ok);
		int is_null = tc_yscalar_is_null(n);
		check(is_null == (tc_yscalar_string(doc, n, "value", &s, d) != TC_OK));
		if (!is_null)
			check(s == n->text);
		check(tc_yexpect(doc, n, TC_YSCALAR, NULL, d) == TC_OK);
		return 1;
	}
	/* depth counts collections: the root is 1, the limit 64. */
	check(depth <= 64);
	check(n->text == NULL);
	check((n->count == 0) == (n->items == NULL));
	check(tc_yexpect(doc, n, TC_YSCALAR, "x", d) != TC_OK);
	size_t visited = 1;
	if (n->type == TC_YSEQ) {
		for (size_t k = 0; k < n->count; k++)
			visited += walk(doc, n->items[k], depth + 1, d);
		return visited;
	}
	check(n->type == TC_YMAP);
	size_t unknown = 0;
	for (size_t k = 0; k < n->count; k++) {
		const tc_ynode *key = n->items[2 * k], *value = n->items[2 * k + 1];
		check(key->type == TC_YSCALAR);
		/* Keys are unique, so lookup finds this very pair. */
		check(tc_ymap_get(n, key->text) == value);
		int known = 0;
		for (size_t j = 0; j < sizeof allowed / sizeof *allowed; j++)
			known |= strcmp(key->text, allowed[j]) == 0;
		unknown += !known;
		visited += walk(doc, key, depth + 1, d);
		visited += walk(doc, value, depth + 1, d);
	}
	size_t before = tc_diag_errors(d);
	check(tc_ycheck_keys(doc, n, allowed, sizeof allowed / sizeof *allowed, "fuzz", d) ==
	      unknown);
	check(tc_diag_errors(d) == before + unknown);
	return visited;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tc_ylimits lim;
	tc_ylimits_default(&lim);
	lim.max_nodes = 20000;  /* keeps every run fast; the logic is the same */

	tc_failing_alloc counter;
	tc_failing_alloc_init(&counter, -1);
	tc_diag d;
	tc_diag_init(&d, tc_alloc_default());
	d.max_entries = 100000;
	tc_ydoc doc;
	int rc = tc_ydoc_load_buffer(&doc, &counter.alloc, "fuzz.yaml", (const char *)data, size,
				     &lim, &d);
	check(rc == TC_OK || rc == TC_EINVAL || rc == TC_ELIMIT);
	if (rc == TC_OK) {
		check(tc_diag_errors(&d) == 0);
		check(doc.root != NULL && doc.root->type == TC_YMAP);
		check(doc.nodes <= lim.max_nodes);
		/* The node count is exactly what a walk of the expanded tree sees. */
		check(walk(&doc, doc.root, 1, &d) == doc.nodes);
	} else {
		check(tc_diag_errors(&d) >= 1);
		check(doc.root == NULL);
		for (size_t k = 0; k < d.count; k++)
			check(d.items[k].line >= 0 && d.items[k].column >= 0);
	}
	tc_ydoc_release(&doc);
	tc_diag_release(&d);
	check(counter.live_blocks == 0);

	/* The same input failing one allocation: ENOMEM, nothing leaked. */
	if (counter.allocations > 0) {
		uint32_t h = 2166136261u;
		for (size_t k = 0; k < size; k++)
			h = (h ^ data[k]) * 16777619u;
		tc_failing_alloc fa;
		tc_failing_alloc_init(&fa, (long)(h % (uint32_t)counter.allocations));
		tc_diag_init(&d, tc_alloc_default());
		rc = tc_ydoc_load_buffer(&doc, &fa.alloc, "fuzz.yaml", (const char *)data, size,
					 &lim, &d);
		check(rc == TC_ENOMEM && doc.root == NULL);
		tc_ydoc_release(&doc);
		tc_diag_release(&d);
		check(fa.live_blocks == 0);
	}
	return 0;
}
