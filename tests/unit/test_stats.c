/* Statistics across replications: running moments, the normal and Student t
 * quantiles against published tables and high-precision references,
 * confidence intervals (Wilson against a published table), nearest-rank
 * percentiles and the sort. */
#include "test_support.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "core/stats.h"

/* |got - want| <= rel * |want| (or rel when want is 0). */
static void assert_close(double got, double want, double rel)
{
	double tol = want == 0 ? rel : rel * fabs(want);
	if (!(fabs(got - want) <= tol))
		fail_msg("got %.17g, want %.17g (relative tolerance %g)", got, want, rel);
}

/* A printed table value: got rounds to want at `decimals` places. */
static void assert_rounds_to(double got, double want, int decimals)
{
	double half_unit = 0.5 * pow(10.0, -decimals);
	if (!(fabs(got - want) <= half_unit))
		fail_msg("got %.17g, which does not round to the table's %.*f", got, decimals, want);
}

static tc_welford welford_of(const double *values, size_t n)
{
	tc_welford w;
	tc_welford_init(&w);
	for (size_t i = 0; i < n; i++)
		tc_welford_add(&w, values[i]);
	return w;
}

/* ---- running moments ---------------------------------------------------- */

static void welford_known_data(void **state)
{
	(void)state;
	/* Mean 5, squared deviations 9+1+1+1+0+0+4+16 = 32, so variance 32/7. */
	const double v[] = {2, 4, 4, 4, 5, 5, 7, 9};
	tc_welford w = welford_of(v, 8);
	assert_int_equal(w.n, 8);
	assert_true(w.mean == 5.0);
	assert_close(w.m2, 32.0, 1e-15);
	assert_close(tc_welford_variance(&w), 32.0 / 7.0, 1e-15);
	assert_close(tc_welford_sd(&w), sqrt(32.0 / 7.0), 1e-15);
	assert_true(w.min == 2.0);
	assert_true(w.max == 9.0);
}

static void welford_is_stable_far_from_zero(void **state)
{
	(void)state;
	/* Deviations -6, -3, 3, 6 from 1e9 + 10: variance 90 / 3 = 30. The sum of
	 * squares minus the squared sum would keep no correct digit here. */
	const double v[] = {1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16};
	tc_welford w = welford_of(v, 4);
	assert_true(w.mean == 1e9 + 10);
	assert_close(tc_welford_variance(&w), 30.0, 1e-15);

	/* The same around 1e15 (the data's spacing is still exact). */
	const double far[] = {1e15 + 4, 1e15 + 7, 1e15 + 13, 1e15 + 16};
	w = welford_of(far, 4);
	assert_close(tc_welford_variance(&w), 30.0, 1e-12);
}

static void welford_small_counts_are_nan(void **state)
{
	(void)state;
	tc_welford w;
	tc_welford_init(&w);
	assert_int_equal(w.n, 0);
	assert_true(isnan(w.mean));
	assert_true(isnan(w.min) && isnan(w.max));
	assert_true(isnan(tc_welford_variance(&w)));
	assert_true(isnan(tc_welford_sd(&w)));
	tc_ci ci = tc_mean_interval(&w, 0.95);
	assert_true(isnan(ci.lo) && isnan(ci.hi));

	tc_welford_add(&w, -3.5);
	assert_true(w.mean == -3.5);
	assert_true(w.min == -3.5 && w.max == -3.5);
	assert_true(isnan(tc_welford_variance(&w)));
	assert_true(isnan(tc_welford_sd(&w)));
	ci = tc_mean_interval(&w, 0.95);
	assert_true(isnan(ci.lo) && isnan(ci.hi));
}

/* ---- the normal distribution -------------------------------------------- */

static void normal_quantile_known_answers(void **state)
{
	(void)state;
	/* The printed tables' 1.959964, 2.575829 and 1.281552; to 17 digits and
	 * in the far tail from mpmath at 50 digits. (core/dist.c defines these
	 * two; test_dist has more.) */
	assert_rounds_to(tc_normal_quantile(0.975), 1.959964, 6);
	assert_rounds_to(tc_normal_quantile(0.995), 2.575829, 6);
	assert_rounds_to(tc_normal_quantile(0.9), 1.281552, 6);
	assert_close(tc_normal_quantile(0.975), 1.9599639845400542355, 1e-15);
	assert_close(tc_normal_quantile(0.995), 2.5758293035489007610, 1e-15);
	assert_close(tc_normal_quantile(0.9), 1.2815515655446004670, 1e-15);
	assert_close(tc_normal_quantile(0.005), -2.5758293035489007610, 1e-15);
	assert_close(tc_normal_quantile(1e-300), -37.047096299361199, 1e-15);
	assert_true(tc_normal_quantile(0.5) == 0.0);
	assert_true(isnan(tc_normal_quantile(-0.1)));
	assert_close(tc_normal_cdf(-5.0), 2.8665157187919391167e-7, 1e-15);
	assert_close(tc_normal_cdf(1.959963984540054), 0.975, 1e-15);
}

/* ---- Student's t ---------------------------------------------------------- */

/*
 * Critical values t(p; df) as printed to three decimals in the standard
 * tables (e.g. NIST/SEMATECH e-Handbook of Statistical Methods, 1.3.6.7.2,
 * "Critical values of the Student's t distribution"), and the same values
 * to 17 digits from mpmath at 60 digits (the incomplete beta function
 * solved by bisection).
 */
static const struct {
	double p, df, table, precise;
} t_table[] = {
	{0.975, 1, 12.706, 12.706204736174693314},
	{0.975, 2, 4.303, 4.3026527297494617894},
	{0.975, 3, 3.182, 3.1824463052837084359},
	{0.975, 5, 2.571, 2.5705818356363147828},
	{0.975, 7, 2.365, 2.3646242515927847379},
	{0.975, 10, 2.228, 2.2281388519862742245},
	{0.975, 20, 2.086, 2.0859634472658643975},
	{0.975, 30, 2.042, 2.0422724563012378878},
	{0.975, 60, 2.000, 2.0002978220142601041},
	{0.975, 120, 1.980, 1.9799304050824404567},
	{0.995, 10, 3.169, 3.1692726726169507118},
	{0.95, 5, 2.015, 2.0150483733330235417},
};

static void t_quantile_matches_tables(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof t_table / sizeof t_table[0]; i++) {
		double q = tc_student_t_quantile(t_table[i].p, t_table[i].df);
		assert_rounds_to(q, t_table[i].table, 3);
		assert_close(q, t_table[i].precise, 1e-14);
		/* The lower tail is the mirror image. */
		assert_close(tc_student_t_quantile(1.0 - t_table[i].p, t_table[i].df),
			     -t_table[i].precise, 1e-14);
	}
}

static void t_quantile_far_tails_and_odd_df(void **state)
{
	(void)state;
	/* mpmath at 60 digits. */
	assert_close(tc_student_t_quantile(1e-300, 3), -1.0331108360446529096e+100, 1e-13);
	assert_close(tc_student_t_quantile(1e-300, 30), -50178575360.505080756, 1e-13);
	assert_close(tc_student_t_quantile(1e-10, 3.7), -622.75080251688376465, 1e-13);
	assert_close(tc_student_t_quantile(0.3, 0.5), -1.0095258786071661156, 1e-14);
	assert_close(tc_student_t_quantile(0.9, 0.5), 10.270324410234510724, 1e-14);
	assert_close(tc_student_t_quantile(1e-20, 0.5), -1.0284911563163400118e+39, 1e-13);
	/* Past the largest double: df 0.5 at 1e-300 is about -1e799. */
	assert_true(tc_student_t_quantile(1e-300, 0.5) == -INFINITY);
	assert_true(tc_student_t_quantile(1e-200, 0.5) == -INFINITY);
	assert_true(tc_student_t_quantile(1e-50, 0.1) == -INFINITY);
	assert_true(tc_student_t_quantile(1.0 - 0x1p-53, 0.01) == INFINITY);
}

static void t_quantile_closed_forms(void **state)
{
	(void)state;
	/* df 1 is Cauchy's: tan(pi (p - 1/2)); df 2: (2p - 1) / sqrt(2 p (1 - p)). */
	assert_close(tc_student_t_quantile(0.75, 1), 1.0, 1e-15);
	assert_close(tc_student_t_quantile(0.25, 1), -1.0, 1e-15);
	assert_close(tc_student_t_quantile(1e-300, 1), -1.0 / (3.14159265358979323846 * 1e-300), 1e-15);
	assert_close(tc_student_t_quantile(0.75, 2), 0.5 / sqrt(0.375), 1e-15);
	assert_close(tc_student_t_quantile(1e-300, 2), -1.0 / sqrt(2e-300), 1e-15);
	assert_close(tc_student_t_quantile(0.995, 2), 9.9248432009182931147, 1e-15);
	assert_rounds_to(tc_student_t_quantile(0.995, 2), 9.925, 3);  /* the tables' value */
}

static void t_quantile_large_df_is_normal(void **state)
{
	(void)state;
	/* mpmath at 60 digits; they differ from z by about (z^3 + z) / (4 df). */
	assert_close(tc_student_t_quantile(0.975, 1e6), 1.9599663568141066553, 1e-14);
	assert_close(tc_student_t_quantile(0.975, 1e9), 1.9599639869123250887, 1e-14);
	assert_close(tc_student_t_quantile(0.6, 1e9), 0.25334710320320177253, 1e-14);
	assert_true(tc_student_t_quantile(0.975, INFINITY) == tc_normal_quantile(0.975));
	assert_true(tc_student_t_cdf(-2.5, INFINITY) == tc_normal_cdf(-2.5));
}

static void t_cdf_known_answers(void **state)
{
	(void)state;
	assert_true(tc_student_t_cdf(0.0, 3.7) == 0.5);
	assert_close(tc_student_t_cdf(1.0, 1), 0.75, 1e-15);  /* 1/2 + atan(1)/pi */
	/* df 2: 1/2 + t / (2 sqrt(2 + t^2)) */
	assert_close(tc_student_t_cdf(-1.0, 2), 0.5 - 0.5 / sqrt(3.0), 1e-15);
	/* mpmath at 60 digits */
	assert_close(tc_student_t_cdf(-3, 3.7), 0.022062942805759334117, 1e-14);
	assert_close(tc_student_t_cdf(-30, 3), 4.067640213581979727e-5, 1e-14);
	assert_close(tc_student_t_cdf(2, 30), 0.97268747751850844804, 1e-15);
	assert_close(tc_student_t_cdf(-8, 30), 3.1329112378503794717e-9, 1e-14);
	assert_close(tc_student_t_cdf(-37, 1e6), 9.1498654309011315305e-300, 1e-13);
	assert_close(tc_student_t_cdf(-30, 1e9), 4.9077098439837308162e-198, 1e-13);
	assert_close(tc_student_t_cdf(-5, 1e9), 2.8665162019758142154e-7, 1e-14);
	assert_close(tc_student_t_cdf(0.1, 1e9), 0.53982783726700593185, 1e-15);
	assert_close(tc_student_t_cdf(-1e10, 3), 1.102657790843584099e-30, 1e-14);
	assert_close(tc_student_t_cdf(-1e100, 0.5), 3.2070097541422289779e-51, 1e-13);
	assert_close(tc_student_t_cdf(-1e-300, 5), 0.5, 1e-15);
	assert_true(tc_student_t_cdf(-INFINITY, 4) == 0.0);
	assert_true(tc_student_t_cdf(INFINITY, 4) == 1.0);
	/* The table's critical values back to their probabilities. */
	for (size_t i = 0; i < sizeof t_table / sizeof t_table[0]; i++)
		assert_close(tc_student_t_cdf(t_table[i].precise, t_table[i].df), t_table[i].p, 1e-15);
}

static void t_quantile_round_trips(void **state)
{
	(void)state;
	const double dfs[] = {0.5, 1, 1.5, 2, 3, 3.7, 9, 29.5, 30, 31, 100, 1e4, 1e6, 1e9};
	const double ps[] = {1e-300, 1e-100, 1e-20, 1e-8, 1e-3, 0.01, 0.025, 0.1, 0.2,
			     0.2499, 0.25, 0.3, 0.375, 0.45, 0.499, 0.4999999};
	for (size_t i = 0; i < sizeof dfs / sizeof dfs[0]; i++) {
		for (size_t j = 0; j < sizeof ps / sizeof ps[0]; j++) {
			double p = ps[j], df = dfs[i];
			double lower = tc_student_t_quantile(p, df);
			if (isinf(lower))
				continue;  /* beyond the doubles (df 0.5 only) */
			/*
			 * p back from the cdf. The cdf multiplies the rounding of t by
			 * |t f(t) / F(t)|, about t^2 where t is normal-like: some 1400
			 * at p = 1e-300, hence the looser tolerance there.
			 */
			assert_close(tc_student_t_cdf(lower, df), p, p < 1e-50 ? 1e-12 : 1e-13);
			/* And t back from its cdf; not near the median, where the cdf's
			 * own rounding (1e-16 of 1/2) is much of t's size. */
			if (p <= 0.45)
				assert_close(tc_student_t_quantile(tc_student_t_cdf(lower, df), df),
					     lower, 1e-12);
			/* Symmetry: 1 - p is rounded, so the quantile moves with it. */
			if (1.0 - p == 1.0)
				continue;
			double upper = tc_student_t_quantile(1.0 - p, df);
			assert_close(upper, -tc_student_t_quantile(1.0 - (1.0 - p), df), 1e-15);
			if (1.0 - (1.0 - p) == p)  /* 1 - p exact: an exact mirror */
				assert_true(upper == -lower);
		}
	}
}

static void t_quantile_is_monotone(void **state)
{
	(void)state;
	const double dfs[] = {0.5, 3.7, 30, 1e6};
	for (size_t i = 0; i < 4; i++) {
		double prev = -INFINITY;
		for (int k = 1; k < 2000; k++) {
			double t = tc_student_t_quantile(k / 2000.0, dfs[i]);
			if (!(t > prev))
				fail_msg("df %g: quantile(%g) = %.17g after %.17g", dfs[i], k / 2000.0, t,
					 prev);
			prev = t;
		}
	}
}

static void t_invalid_arguments_are_nan(void **state)
{
	(void)state;
	assert_true(isnan(tc_student_t_quantile(0.0, 5)));
	assert_true(isnan(tc_student_t_quantile(1.0, 5)));
	assert_true(isnan(tc_student_t_quantile(-0.5, 5)));
	assert_true(isnan(tc_student_t_quantile(NAN, 5)));
	assert_true(isnan(tc_student_t_quantile(0.3, 0)));
	assert_true(isnan(tc_student_t_quantile(0.3, -1)));
	assert_true(isnan(tc_student_t_quantile(0.3, NAN)));
	assert_true(isnan(tc_student_t_cdf(1.0, 0)));
	assert_true(isnan(tc_student_t_cdf(1.0, -2)));
	assert_true(isnan(tc_student_t_cdf(NAN, 2)));
	assert_true(isnan(tc_student_t_cdf(1.0, NAN)));
	assert_true(tc_student_t_quantile(0.5, 7) == 0.0);
}

/* ---- intervals ------------------------------------------------------------ */

static void mean_interval_hand_computed(void **state)
{
	(void)state;
	/* 2,4,4,4,5,5,7,9: mean 5, sd sqrt(32/7), n 8, t(0.975; 7) = 2.3646...:
	 * half width 2.3646242515927847 * sqrt(32/7) / sqrt(8) = 1.7874879182362104. */
	const double v[] = {2, 4, 4, 4, 5, 5, 7, 9};
	tc_welford w = welford_of(v, 8);
	tc_ci ci = tc_mean_interval(&w, 0.95);
	assert_close(ci.lo, 5.0 - 1.7874879182362104386, 1e-15);
	assert_close(ci.hi, 5.0 + 1.7874879182362104386, 1e-15);
	/* 99 %: t(0.995; 7) = 3.4994833...; wider. */
	tc_ci wide = tc_mean_interval(&w, 0.99);
	assert_true(wide.lo < ci.lo && wide.hi > ci.hi);
}

static void mean_interval_of_equal_values_is_a_point(void **state)
{
	(void)state;
	const double v[] = {3.7, 3.7, 3.7, 3.7, 3.7};
	tc_welford w = welford_of(v, 5);
	assert_true(w.m2 == 0.0);
	assert_true(tc_welford_sd(&w) == 0.0);
	tc_ci ci = tc_mean_interval(&w, 0.95);
	assert_true(ci.lo == 3.7 && ci.hi == 3.7);
	ci = tc_mean_interval(&w, 0.999999);
	assert_true(ci.lo == 3.7 && ci.hi == 3.7);
}

static void wilson_matches_newcombe(void **state)
{
	(void)state;
	/*
	 * Newcombe, "Two-sided confidence intervals for the single proportion:
	 * comparison of seven methods", Statistics in Medicine 17 (1998)
	 * 857-872, Table I, Wilson score method without continuity correction,
	 * to four decimals; and the formula in 40-digit arithmetic (mpmath).
	 */
	static const struct {
		uint64_t k, n;
		double lo4, hi4, lo, hi;
	} cases[] = {
		{81, 263, 0.2553, 0.3662, 0.25528851987827422577, 0.36620957698280007015},
		{15, 148, 0.0624, 0.1605, 0.062386399530736279792, 0.16048724172330803892},
		{0, 20, 0.0000, 0.1611, 0.0, 0.16112515805281938715},
		{1, 29, 0.0061, 0.1718, 0.0061132142927626605164, 0.17175521879320288131},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		tc_ci ci = tc_wilson_interval(cases[i].k, cases[i].n, 0.95);
		assert_rounds_to(ci.lo, cases[i].lo4, 4);
		assert_rounds_to(ci.hi, cases[i].hi4, 4);
		assert_close(ci.lo, cases[i].lo, 1e-14);
		assert_close(ci.hi, cases[i].hi, 1e-14);
	}
}

static void wilson_boundaries(void **state)
{
	(void)state;
	tc_ci ci = tc_wilson_interval(0, 20, 0.95);
	assert_true(ci.lo == 0.0);
	ci = tc_wilson_interval(29, 29, 0.95);
	assert_true(ci.hi == 1.0);
	assert_close(ci.lo, 0.88303020150025923285, 1e-14);  /* mirror of 0/29 */
	ci = tc_wilson_interval(1, 1, 0.95);
	assert_true(ci.hi == 1.0);
	assert_close(ci.lo, 0.20654931437723745, 1e-14);
	ci = tc_wilson_interval(0, 1, 0.95);
	assert_true(ci.lo == 0.0);
	assert_close(ci.hi, 0.79345068562276255, 1e-14);
	/* 1 in a million: the lower bound keeps its digits (center - half
	 * would cancel); reference from mpmath at 40 digits. */
	ci = tc_wilson_interval(1, 1000000, 0.95);
	assert_close(ci.lo, 1.7652457674537146574e-7, 1e-13);
	assert_close(ci.hi, 5.6649118043114429583e-6, 1e-13);
	ci = tc_wilson_interval(999999, 1000000, 0.95);
	assert_close(ci.lo, 0.99999433508819568856, 1e-15);
	assert_close(ci.hi, 0.99999982347542325463, 1e-15);
	ci = tc_wilson_interval(0, 0, 0.95);
	assert_true(isnan(ci.lo) && isnan(ci.hi));
	/* Always within [0, 1], whatever the level. */
	for (uint64_t k = 0; k <= 7; k++) {
		ci = tc_wilson_interval(k, 7, 0.999999);
		assert_true(ci.lo >= 0.0 && ci.lo <= (double)k / 7);
		assert_true(ci.hi <= 1.0 && ci.hi >= (double)k / 7);
	}
}

/* ---- order statistics ----------------------------------------------------- */

static double ranks[250];

static void fill_ranks(void)
{
	for (size_t i = 0; i < 250; i++)
		ranks[i] = (double)(i + 1);  /* sorted[i] is rank i + 1 */
}

static void percentile_nearest_rank(void **state)
{
	(void)state;
	fill_ranks();
	/* n = 1: every percentile is the one value. */
	assert_true(tc_percentile_sorted(ranks, 1, 0) == 1.0);
	assert_true(tc_percentile_sorted(ranks, 1, 50) == 1.0);
	assert_true(tc_percentile_sorted(ranks, 1, 100) == 1.0);
	/* n = 10: rank ceil(p / 10), at least 1; p = 90 is rank 9, not 10. */
	assert_true(tc_percentile_sorted(ranks, 10, 0) == 1.0);
	assert_true(tc_percentile_sorted(ranks, 10, 10) == 1.0);
	assert_true(tc_percentile_sorted(ranks, 10, 11) == 2.0);
	assert_true(tc_percentile_sorted(ranks, 10, 50) == 5.0);
	assert_true(tc_percentile_sorted(ranks, 10, 90) == 9.0);
	assert_true(tc_percentile_sorted(ranks, 10, 91) == 10.0);
	assert_true(tc_percentile_sorted(ranks, 10, 100) == 10.0);
	/* n = 11: ceil(5.5) = 6, ceil(9.9) = 10, ceil(0.99) = 1, ceil(1.1) = 2. */
	assert_true(tc_percentile_sorted(ranks, 11, 50) == 6.0);
	assert_true(tc_percentile_sorted(ranks, 11, 90) == 10.0);
	assert_true(tc_percentile_sorted(ranks, 11, 9) == 1.0);
	assert_true(tc_percentile_sorted(ranks, 11, 10) == 2.0);
	assert_true(tc_percentile_sorted(ranks, 11, 100) == 11.0);
	/* n = 100: rank p (and 1 for p = 0). */
	assert_true(tc_percentile_sorted(ranks, 100, 0) == 1.0);
	assert_true(tc_percentile_sorted(ranks, 100, 1) == 1.0);
	assert_true(tc_percentile_sorted(ranks, 100, 50) == 50.0);
	assert_true(tc_percentile_sorted(ranks, 100, 99) == 99.0);
	/* Exact ranks where doubles round up: 0.07 * 100 = 7.000000000000001,
	 * 0.55 * 100 = 55.00000000000001, 0.28 * 25 = 7.000000000000001. */
	assert_true(tc_percentile_sorted(ranks, 100, 7) == 7.0);
	assert_true(tc_percentile_sorted(ranks, 100, 55) == 55.0);
	assert_true(tc_percentile_sorted(ranks, 25, 28) == 7.0);
	assert_true(tc_percentile_sorted(ranks, 100, 100) == 100.0);
	/* n = 250 = 2 * 100 + 50: ceil(225) = 225, ceil(82.5) = 83. */
	assert_true(tc_percentile_sorted(ranks, 250, 90) == 225.0);
	assert_true(tc_percentile_sorted(ranks, 250, 33) == 83.0);
	assert_true(isnan(tc_percentile_sorted(NULL, 0, 50)));
}

static void sort_orders_every_bit(void **state)
{
	(void)state;
	double a[] = {3.5, -0.0, INFINITY, -2.0, 0.0, 1e-300, -INFINITY, 3.5, -0.0, 0.0};
	double b[] = {0.0, 3.5, -0.0, 1e-300, -INFINITY, 0.0, -2.0, INFINITY, -0.0, 3.5};
	const double want[] = {-INFINITY, -2.0, -0.0, -0.0, 0.0, 0.0, 1e-300, 3.5, 3.5, INFINITY};
	tc_sort_doubles(a, 10);
	tc_sort_doubles(b, 10);
	for (size_t i = 0; i < 10; i++)
		assert_true(a[i] == want[i] && signbit(a[i]) == signbit(want[i]));
	/* The same multiset in another order sorts to the same bits. */
	assert_memory_equal(a, b, sizeof a);
	tc_sort_doubles(NULL, 0);
	double one = 4.0;
	tc_sort_doubles(&one, 1);
	assert_true(one == 4.0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(welford_known_data),
		cmocka_unit_test(welford_is_stable_far_from_zero),
		cmocka_unit_test(welford_small_counts_are_nan),
		cmocka_unit_test(normal_quantile_known_answers),
		cmocka_unit_test(t_quantile_matches_tables),
		cmocka_unit_test(t_quantile_far_tails_and_odd_df),
		cmocka_unit_test(t_quantile_closed_forms),
		cmocka_unit_test(t_quantile_large_df_is_normal),
		cmocka_unit_test(t_cdf_known_answers),
		cmocka_unit_test(t_quantile_round_trips),
		cmocka_unit_test(t_quantile_is_monotone),
		cmocka_unit_test(t_invalid_arguments_are_nan),
		cmocka_unit_test(mean_interval_hand_computed),
		cmocka_unit_test(mean_interval_of_equal_values_is_a_point),
		cmocka_unit_test(wilson_matches_newcombe),
		cmocka_unit_test(wilson_boundaries),
		cmocka_unit_test(percentile_nearest_rank),
		cmocka_unit_test(sort_orders_every_bit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
