#include "model/channel.h"

int tc_channel_connects(const tc_channel_def *c, uint32_t a, uint32_t b)
{
	if (c->all_pairs)
		return 1;
	uint64_t key = a < b ? (uint64_t)a << 32 | b : (uint64_t)b << 32 | a;
	size_t lo = 0, hi = c->pair_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->pairs[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->pair_count && c->pairs[lo] == key;
}
