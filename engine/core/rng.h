/*
 * Random numbers: a counter-based generator (Random123 Philox4x32-10).
 *
 * There is no generator state to advance. Every variate is one Philox block
 * whose key is the run's seed and whose counter names the draw:
 * (replication, entity, purpose, ordinal). The k-th handling time of actor A
 * in replication r is therefore the same number whatever else the run drew,
 * which gives common random numbers across doctrines, lets any replication
 * be rerun alone, and means adding an entity perturbs no other.
 */
#ifndef TC_RNG_H
#define TC_RNG_H

#include <stdint.h>

/* Largest purpose and ordinal (inclusive) accepted by tc_rng_uniform. */
#define TC_RNG_PURPOSE_MAX 0xffffu
#define TC_RNG_ORDINAL_MAX ((UINT64_C(1) << 48) - 1)
#define TC_RNG_SEED_MAX ((uint64_t)INT64_MAX)

/* The Philox key: the 64-bit seed, low word first. Immutable once set. */
typedef struct tc_rng {
	uint32_t key[2];
} tc_rng;

/* Key r with seed (0 <= seed <= TC_RNG_SEED_MAX, asserted). */
void tc_rng_init(tc_rng *r, uint64_t seed);

/*
 * The variate of draw (replication, entity, purpose, ordinal): one
 * Philox4x32-10 block with counter
 *   {replication, entity, (purpose << 16) | (ordinal >> 32), (uint32_t)ordinal}
 * mapped by tc_rng_u01. purpose <= TC_RNG_PURPOSE_MAX and
 * ordinal <= TC_RNG_ORDINAL_MAX (asserted). Uniform on the open interval (0,1).
 * Pure: no state changes, safe to call from many threads on a shared r.
 */
double tc_rng_uniform(const tc_rng *r, uint32_t replication, uint32_t entity,
		      uint32_t purpose, uint64_t ordinal);

/*
 * The mapping from a block to (0,1) used by tc_rng_uniform, exposed so tests
 * can feed it extreme blocks. Takes 53 bits k = block[0]:block[1]>>11 and
 * returns (k + 1/2) * 2^-53 rounded to nearest. That is exact below 1/2 (the
 * smallest value is 2^-54); above 1/2 doubles are 2^-53 apart, so odd k round
 * to the even neighbour (the mean stays 1/2) and the single k = 2^53 - 1,
 * which would round to 1, returns 1 - 2^-53 instead. Never 0, never 1.
 */
double tc_rng_u01(const uint32_t block[4]);

/* One raw Philox4x32-10 block, for tests against the published vectors. */
void tc_rng_block(const uint32_t key[2], const uint32_t ctr[4], uint32_t out[4]);

/*
 * A stable 32-bit entity number for a name (e.g. an actor id), independent of
 * declaration order and of the platform. Definition (a CBC-MAC over Philox):
 * state = {len & 0xffffffff, len >> 32, 0, 0} with len = strlen(name); the
 * name is cut into 16-byte chunks (at least one; the last zero-padded), each
 * read as four little-endian words m, and state = Philox4x32-10(state ^ m)
 * under the fixed key {0x73636f74, 0x00006e69} ("tocsin" in ASCII, little-
 * endian). The entity is state[0]. Distinct names can collide (32 bits: about
 * n^2 / 2^33 for n names), so callers that key streams by name must check
 * their names' entities are distinct.
 */
uint32_t tc_rng_entity(const char *name);

#endif
