/* The counter-based generator: published Philox vectors, the draw layout, the
 * (0,1) mapping at its extremes, stream independence and entity numbers. */
#include "test_support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rng.h"

/* Random123 tests/kat_vectors, the three "philox4x32 10" lines. */
static void philox_known_answers(void **state)
{
	(void)state;
	static const struct {
		uint32_t ctr[4], key[2], out[4];
	} kat[] = {
		{{0, 0, 0, 0}, {0, 0},
		 {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
		{{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, {0xffffffff, 0xffffffff},
		 {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
		{{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0},
		 {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
	};
	for (size_t i = 0; i < sizeof kat / sizeof kat[0]; i++) {
		uint32_t out[4];
		tc_rng_block(kat[i].key, kat[i].ctr, out);
		for (int j = 0; j < 4; j++)
			assert_int_equal(out[j], kat[i].out[j]);
	}
}

/*
 * Expected values from an independent Python Philox4x32-10 (checked against
 * the same vectors) with the documented counter layout and mapping.
 */
static void uniform_known_answers(void **state)
{
	(void)state;
	static const struct {
		uint64_t seed;
		uint32_t rep, entity, purpose;
		uint64_t ordinal;
		double u;
	} v[] = {
		{0, 0, 0, 0, 0, 0x1.989fa35785a71p-2},
		{42, 0, 0, 0, 0, 0x1.39d5e0a6efeaap-1},
		{42, 1, 0, 0, 0, 0x1.f9b6424ea774ep-1},
		{42, 0, 1, 0, 0, 0x1.0b82e2cdf6fd7p-2},
		{42, 0, 0, 1, 0, 0x1.d4714dc80ba58p-1},
		{42, 0, 0, 0, 1, 0x1.021cd824c03f2p-3},
		{INT64_MAX, 7, 123456789, 65535, (UINT64_C(1) << 48) - 1, 0x1.d2fcbcf3fe424p-1},
		{20240601, 3, 0xdeadbeef, 2, 1000000, 0x1.15757aedbcf5cp-1},
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		tc_rng r;
		tc_rng_init(&r, v[i].seed);
		double u = tc_rng_uniform(&r, v[i].rep, v[i].entity, v[i].purpose, v[i].ordinal);
		assert_true(u == v[i].u);
	}
}

/* The counter really is {rep, entity, purpose:ordinal_hi, ordinal_lo}. */
static void uniform_is_one_block_of_the_documented_counter(void **state)
{
	(void)state;
	tc_rng r;
	tc_rng_init(&r, UINT64_C(0x0123456789abcdef));
	assert_int_equal(r.key[0], 0x89abcdef);
	assert_int_equal(r.key[1], 0x01234567);
	uint64_t ordinal = UINT64_C(0x0000abcd12345678);
	uint32_t ctr[4] = {5, 77, (9u << 16) | 0xabcd, 0x12345678};
	uint32_t out[4];
	tc_rng_block(r.key, ctr, out);
	assert_true(tc_rng_uniform(&r, 5, 77, 9, ordinal) == tc_rng_u01(out));
}

static double u01_of(uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3)
{
	uint32_t b[4] = {w0, w1, w2, w3};
	return tc_rng_u01(b);
}

static void u01_stays_inside_the_open_interval(void **state)
{
	(void)state;
	/* Smallest and largest: never 0 and never 1. */
	assert_true(u01_of(0, 0, 0, 0) == 0x1p-54);
	assert_true(u01_of(0, 0x7ff, 0xffffffff, 0xffffffff) == 0x1p-54);
	assert_true(u01_of(0xffffffff, 0xffffffff, 0, 0) == 1.0 - 0x1p-53);
	assert_true(u01_of(0xffffffff, 0xfffff800, 0, 0) == 1.0 - 0x1p-53);
	/* k = 2^53 - 2 is even: exact. */
	assert_true(u01_of(0xffffffff, 0xfffff000, 0, 0) == 1.0 - 0x1p-52);
	/* Around 1/2: k = 2^52 - 1, 2^52, 2^52 + 1. */
	assert_true(u01_of(0x7fffffff, 0xfffff800, 0, 0) == 0.5 - 0x1p-54);
	assert_true(u01_of(0x80000000, 0, 0, 0) == 0.5);
	assert_true(u01_of(0x80000000, 0x800, 0, 0) == 0.5 + 0x1p-52);
	/* The second smallest is 3 * 2^-54: lower half keeps all 53 bits. */
	assert_true(u01_of(0, 0x800, 0, 0) == 3 * 0x1p-54);
}

/* Draws depend on their key only: interleaving other streams changes nothing. */
static void draws_do_not_depend_on_call_order(void **state)
{
	(void)state;
	tc_rng r;
	tc_rng_init(&r, 99);
	double alone[500];
	for (uint64_t k = 0; k < 500; k++)
		alone[k] = tc_rng_uniform(&r, 2, 10, 3, k);
	for (uint64_t k = 500; k-- > 0;) {
		(void)tc_rng_uniform(&r, 2, 11, 3, k);
		(void)tc_rng_uniform(&r, 2, 10, 4, k * 7);
		assert_true(tc_rng_uniform(&r, 2, 10, 3, k) == alone[k]);
	}
}

/* Neighbouring counters must not alias: purpose and the ordinal's high word share a word. */
static void neighbouring_keys_give_different_draws(void **state)
{
	(void)state;
	tc_rng r, r2;
	tc_rng_init(&r, 1);
	tc_rng_init(&r2, 1 + (UINT64_C(1) << 32));
	double base = tc_rng_uniform(&r, 0, 0, 1, 0);
	assert_true(base != tc_rng_uniform(&r, 0, 0, 0, UINT64_C(1) << 32));
	assert_true(base != tc_rng_uniform(&r, 0, 0, 0, UINT64_C(1) << 16));
	assert_true(base != tc_rng_uniform(&r, 0, 1, 0, 0));
	assert_true(base != tc_rng_uniform(&r, 1, 0, 0, 0));
	assert_true(base != tc_rng_uniform(&r2, 0, 0, 1, 0));
}

/*
 * A million draws: moments, a 64-bin chi-square, and correlations between a
 * stream and its neighbours (other entity, purpose, replication, seed) and
 * its own next ordinal. Bounds are 5 standard errors (chi-square: p < 1e-6),
 * fixed seed, so the outcome is deterministic.
 */
static void streams_look_uniform_and_independent(void **state)
{
	(void)state;
	enum { N = 1000000, BINS = 64 };
	tc_rng r, r2;
	tc_rng_init(&r, 7);
	tc_rng_init(&r2, 8);
	double sum = 0, sum2 = 0;
	long bins[BINS] = {0};
	double cross[5] = {0};
	double prev = tc_rng_uniform(&r, 0, 1, 1, 0) - 0.5;
	for (uint64_t k = 0; k < N; k++) {
		double u = tc_rng_uniform(&r, 0, 1, 1, k);
		assert_true(u > 0.0 && u < 1.0);
		sum += u;
		sum2 += (u - 0.5) * (u - 0.5);
		bins[(int)(u * BINS)]++;
		double c = u - 0.5;
		double other[5] = {
			tc_rng_uniform(&r, 0, 2, 1, k),  /* other entity */
			tc_rng_uniform(&r, 0, 1, 2, k),  /* other purpose */
			tc_rng_uniform(&r, 1, 1, 1, k),  /* other replication */
			tc_rng_uniform(&r2, 0, 1, 1, k), /* other seed */
			0,
		};
		for (int j = 0; j < 4; j++)
			cross[j] += c * (other[j] - 0.5);
		cross[4] += c * prev;                    /* lag 1 in the same stream */
		prev = c;
	}
	double mean = sum / N;
	assert_true(fabs(mean - 0.5) < 5 * sqrt(1.0 / 12 / N));
	/* Var of (u - 1/2)^2 is 1/180. */
	assert_true(fabs(sum2 / N - 1.0 / 12) < 5 * sqrt(1.0 / 180 / N));
	double chi2 = 0, expect = (double)N / BINS;
	for (int i = 0; i < BINS; i++)
		chi2 += (bins[i] - expect) * (bins[i] - expect) / expect;
	assert_true(chi2 < 131.37);  /* chi-square, 63 dof, upper 1e-6 point */
	/* Correlation of independent uniforms: sd 1/sqrt(N); cov = r / 12. */
	for (int j = 0; j < 5; j++)
		assert_true(fabs(cross[j] / N * 12) < 5 / sqrt((double)N));
}

static void entity_known_answers(void **state)
{
	(void)state;
	/* From the Python reference of the documented construction. */
	assert_int_equal(tc_rng_entity(""), 0xe9532191);
	assert_int_equal(tc_rng_entity("a"), 0xa0c38b26);
	assert_int_equal(tc_rng_entity("anssi"), 0xfd2be39d);
	assert_int_equal(tc_rng_entity("cert-fr"), 0x5af6073b);
	assert_int_equal(tc_rng_entity("comcyber"), 0xc2da5c62);
	assert_int_equal(tc_rng_entity("eu-cyclone"), 0x3d253ef7);
	assert_int_equal(tc_rng_entity("0123456789abcdef"), 0x67a599cb);
	assert_int_equal(tc_rng_entity("0123456789abcdefg"), 0x615756c3);
	assert_int_equal(tc_rng_entity("victim-hospital-centre-hospitalier-universitaire"),
			 0x4a97d74c);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

static void entities_of_many_names_are_distinct(void **state)
{
	(void)state;
	enum { N = 20000 };
	uint32_t *e = malloc(N * sizeof *e);
	assert_non_null(e);
	char name[32];
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof name, "actor-%d", i);
		e[i] = tc_rng_entity(name);
	}
	qsort(e, N, sizeof *e, cmp_u32);
	for (int i = 1; i < N; i++)
		assert_true(e[i] != e[i - 1]);
	free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(philox_known_answers),
		cmocka_unit_test(uniform_known_answers),
		cmocka_unit_test(uniform_is_one_block_of_the_documented_counter),
		cmocka_unit_test(u01_stays_inside_the_open_interval),
		cmocka_unit_test(draws_do_not_depend_on_call_order),
		cmocka_unit_test(neighbouring_keys_give_different_draws),
		cmocka_unit_test(streams_look_uniform_and_independent),
		cmocka_unit_test(entity_known_answers),
		cmocka_unit_test(entities_of_many_names_are_distinct),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
