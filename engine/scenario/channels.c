/*
 * channels: how actors reach each other.
 */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "core/rng.h"
#include "scenario/loader.h"

static int compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int pairs(loader *ld, const tc_ynode *n, tc_channel_def *c)
{
	if (ld_expect(ld, n, TC_YSEQ, "a list of actor pairs such as [[victim, cert]]"))
		return -1;
	if (n->count == 0) {
		ld_error(ld, n, "expected at least one actor pair (without 'pairs' a channel "
		                "connects every pair)");
		return -1;
	}
	uint64_t *p = ld_alloc(ld, (n->count ? n->count : 1) * sizeof *p);
	if (!p)
		return -1;
	int rc = 0;
	size_t count = 0;
	for (size_t i = 0; i < n->count; i++) {
		const tc_ynode *pair = n->items[i];
		int a, b;
		if (ld_expect(ld, pair, TC_YSEQ, "a pair of actor ids [a, b]")) {
			rc = -1;
			continue;
		}
		if (pair->count != 2) {
			ld_error(ld, pair, "expected a pair of two actor ids, got %zu", pair->count);
			rc = -1;
			continue;
		}
		if (ld_ref(ld, pair->items[0], LD_ACTORS, "actor", &a) |
		    ld_ref(ld, pair->items[1], LD_ACTORS, "actor", &b)) {
			rc = -1;
			continue;
		}
		if (a == b) {
			ld_error(ld, pair, "a channel pair needs two different actors");
			rc = -1;
			continue;
		}
		p[count++] = a < b ? (uint64_t)a << 32 | (uint32_t)b : (uint64_t)b << 32 | (uint32_t)a;
	}
	qsort(p, count, sizeof *p, compare_u64);
	size_t unique = 0;
	for (size_t i = 0; i < count; i++)
		if (unique == 0 || p[unique - 1] != p[i])
			p[unique++] = p[i];
	c->pairs = p;
	c->pair_count = unique;
	return rc;
}

static int channel(loader *ld, const tc_ynode *n, size_t index)
{
	static const char *const keys[] = {"id", "kind", "latency", "loss", "priority", "up", "pairs"};
	tc_channel_def *c = &ld->s->channels[index];
	char what[96];
	snprintf(what, sizeof what, "channel '%s'", c->id);
	int rc = ld_keys(ld, n, keys, sizeof keys / sizeof *keys, what);
	const tc_ynode *v;
	c->entity = tc_rng_entity(c->id);
	c->priority = (int)index;
	c->initially_up = 1;
	c->all_pairs = 1;
	if ((v = tc_ymap_get(n, "kind")))
		rc |= ld_string(ld, v, "a channel kind", &c->kind);
	if ((v = ld_required(ld, n, "latency", what)))
		rc |= ld_dist(ld, v, &c->latency);
	else
		rc = -1;
	if ((v = tc_ymap_get(n, "loss")))
		rc |= ld_probability(ld, v, &c->loss);
	int64_t priority = c->priority;
	if ((v = tc_ymap_get(n, "priority")))
		rc |= ld_int(ld, v, 0, 1000000, &priority);
	c->priority = (int)priority;
	if ((v = tc_ymap_get(n, "up")))
		rc |= ld_bool(ld, v, &c->initially_up);
	if ((v = tc_ymap_get(n, "pairs"))) {
		c->all_pairs = 0;
		rc |= pairs(ld, v, c);
	}
	return rc;
}

int ld_channels(loader *ld, const tc_ynode *seq)
{
	tc_scenario *s = ld->s;
	return ld_list(ld, seq, LD_CHANNELS, "channel", 0, TC_MAX_CHANNELS, sizeof *s->channels,
	               (void **)&s->channels, &s->channel_count, channel);
}
