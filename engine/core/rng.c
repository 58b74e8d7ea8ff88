#include "core/rng.h"

#include <assert.h>
#include <string.h>

#include <Random123/philox.h>

void tc_rng_init(tc_rng *r, uint64_t seed)
{
	assert(seed <= TC_RNG_SEED_MAX);
	r->key[0] = (uint32_t)seed;
	r->key[1] = (uint32_t)(seed >> 32);
}

void tc_rng_block(const uint32_t key[2], const uint32_t ctr[4], uint32_t out[4])
{
	philox4x32_key_t k = {{key[0], key[1]}};
	philox4x32_ctr_t c = {{ctr[0], ctr[1], ctr[2], ctr[3]}};
	philox4x32_ctr_t o = philox4x32_R(10, c, k);
	memcpy(out, o.v, sizeof o.v);
}

double tc_rng_u01(const uint32_t block[4])
{
	uint64_t k = ((uint64_t)block[0] << 21) | (block[1] >> 11);
	double u = ((double)k + 0.5) * 0x1p-53;
	/* Only k = 2^53 - 1 gets here: 1 - 2^-54 rounds (to even) to 1. */
	if (u >= 1.0)
		u = 1.0 - 0x1p-53;
	return u;
}

double tc_rng_uniform(const tc_rng *r, uint32_t replication, uint32_t entity,
		      uint32_t purpose, uint64_t ordinal)
{
	assert(purpose <= TC_RNG_PURPOSE_MAX);
	assert(ordinal <= TC_RNG_ORDINAL_MAX);
	uint32_t ctr[4] = {replication, entity,
			   (purpose << 16) | (uint32_t)(ordinal >> 32),
			   (uint32_t)ordinal};
	uint32_t out[4];
	tc_rng_block(r->key, ctr, out);
	return tc_rng_u01(out);
}

uint32_t tc_rng_entity(const char *name)
{
	static const uint32_t key[2] = {0x73636f74u, 0x00006e69u};
	uint64_t len = strlen(name);
	uint32_t state[4] = {(uint32_t)len, (uint32_t)(len >> 32), 0, 0};
	const unsigned char *p = (const unsigned char *)name;
	uint64_t left = len;
	do {
		unsigned char chunk[16] = {0};
		size_t take = left < sizeof chunk ? (size_t)left : sizeof chunk;
		memcpy(chunk, p, take);
		p += take;
		left -= take;
		for (int i = 0; i < 4; i++) {
			/* Little-endian whatever the host, so entities are portable. */
			uint32_t m = (uint32_t)chunk[4 * i] |
				     (uint32_t)chunk[4 * i + 1] << 8 |
				     (uint32_t)chunk[4 * i + 2] << 16 |
				     (uint32_t)chunk[4 * i + 3] << 24;
			state[i] ^= m;
		}
		tc_rng_block(key, state, state);
	} while (left > 0);
	return state[0];
}
