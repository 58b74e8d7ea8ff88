/* Distributions by inversion: normal quantile known answers, each kind's
 * quantiles, analytic moments against a million draws, constructor errors. */
#include "test_support.h"

#include <math.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/dist.h"
#include "core/error.h"
#include "core/rng.h"

/* |got - want| <= rel * |want| (or rel when want is 0). */
static void assert_close(double got, double want, double rel)
{
	double tol = want == 0 ? rel : rel * fabs(want);
	if (!(fabs(got - want) <= tol))
		fail_msg("got %.17g, want %.17g (relative tolerance %g)", got, want, rel);
}

/* Reference values: mpmath at 50 digits. */
static void normal_quantile_known_answers(void **state)
{
	(void)state;
	assert_close(tc_normal_quantile(0.975), 1.959963984540054, 1e-15);
	assert_close(tc_normal_quantile(0.9), 1.2815515655446004, 1e-15);
	assert_close(tc_normal_quantile(0.025), -1.959963984540054, 1e-15);
	assert_close(tc_normal_quantile(1e-10), -6.3613409024040562, 1e-15);
	assert_close(tc_normal_quantile(1e-300), -37.047096299361199, 1e-15);
	assert_close(tc_normal_quantile(1 - 0x1p-53), 8.2095361516013868556, 1e-15);
	assert_true(tc_normal_quantile(0.5) == 0.0);
	assert_true(tc_normal_quantile(0.0) == -INFINITY);
	assert_true(tc_normal_quantile(1.0) == INFINITY);
	assert_true(isnan(tc_normal_quantile(1.5)));
	assert_true(isnan(tc_normal_quantile(NAN)));
}

static void normal_cdf_known_answers(void **state)
{
	(void)state;
	assert_true(tc_normal_cdf(0.0) == 0.5);
	assert_close(tc_normal_cdf(1.959963984540054), 0.975, 1e-15);
	assert_close(tc_normal_cdf(-1.959963984540054), 0.025, 1e-14);
	assert_close(tc_normal_cdf(3.0), 0.99865010196836990547, 1e-15);
	assert_close(tc_normal_cdf(-0.3), 0.38208857781104736693, 1e-15);
	/* The lower tail keeps its digits (erfc of a carefully scaled argument). */
	assert_close(tc_normal_cdf(-8.125), 2.2368120644441050467e-16, 1e-15);
	assert_close(tc_normal_cdf(-20.0), 2.7536241186062336951e-89, 1e-15);
	assert_close(tc_normal_cdf(-30.5), 1.3029379131780763509e-204, 1e-15);
	assert_close(tc_normal_cdf(-37.047096299361199), 9.9999999999995236547e-301, 1e-15);
	assert_true(tc_normal_cdf(-INFINITY) == 0 && tc_normal_cdf(INFINITY) == 1);
	/*
	 * Round trip over the body and the tails: an error e in z moves
	 * Phi(z) by about |z| e relatively, so allow a few ulps of z, times z^2.
	 */
	for (double p = 1e-300; p < 0.5; p *= 10) {
		double z = tc_normal_quantile(p);
		assert_close(tc_normal_cdf(z), p, 1e-15 * (1 + z * z));
	}
}

static tc_dist make(int rc, tc_dist d)
{
	assert_int_equal(rc, TC_OK);
	return d;
}

static void quantiles_of_each_kind(void **state)
{
	(void)state;
	tc_dist d;
	char err[128];

	assert_int_equal(tc_dist_fixed(&d, 5000, err, sizeof err), TC_OK);
	assert_true(tc_dist_quantile(&d, 0.3) == 5000);

	assert_int_equal(tc_dist_uniform(&d, 1000, 5000, err, sizeof err), TC_OK);
	assert_true(tc_dist_quantile(&d, 0.25) == 2000);

	assert_int_equal(tc_dist_exponential(&d, 60000, err, sizeof err), TC_OK);
	assert_close(tc_dist_quantile(&d, 0.5), 60000 * log(2.0), 1e-15);
	assert_close(tc_dist_quantile(&d, 1 - 0x1p-53), 60000 * 53 * log(2.0), 1e-15);

	/* Triangular(0, 2, 10): F(mode) = 0.2. */
	assert_int_equal(tc_dist_triangular(&d, 0, 2, 10, err, sizeof err), TC_OK);
	assert_close(tc_dist_quantile(&d, 0.1), sqrt(2.0), 1e-15);
	assert_close(tc_dist_quantile(&d, 0.2), 2.0, 1e-15);
	assert_close(tc_dist_quantile(&d, 0.6), 10 - sqrt(32.0), 1e-15);
	assert_int_equal(tc_dist_triangular(&d, 3, 3, 3, err, sizeof err), TC_OK);
	assert_true(tc_dist_quantile(&d, 0.7) == 3);
	assert_int_equal(tc_dist_triangular(&d, 0, 0, 4, err, sizeof err), TC_OK);
	assert_close(tc_dist_quantile(&d, 0.75), 2.0, 1e-15);
}

/* "Usually 20 minutes, 9 times in 10 under an hour." */
static void lognormal_recovers_median_and_p90(void **state)
{
	(void)state;
	char err[128];
	tc_dist d = {0};
	assert_int_equal(tc_dist_lognormal(&d, 1200000, 3600000, err, sizeof err), TC_OK);
	assert_true(tc_dist_quantile(&d, 0.5) == 1200000);
	assert_close(tc_dist_quantile(&d, 0.9), 3600000, 4e-16 * 15);
	assert_close(d.p[1], 0.85725172377379125893, 1e-15);  /* ln 3 / z_0.9 */
	assert_int_equal(tc_dist_lognormal(&d, 7.5, 7.500001, err, sizeof err), TC_OK);
	assert_true(tc_dist_quantile(&d, 0.5) == 7.5);
	assert_close(tc_dist_quantile(&d, 0.9), 7.500001, 1e-15);
}

/* Truncated at 0: reference values from mpmath (conditional normal). */
static void truncated_normal_known_answers(void **state)
{
	(void)state;
	static const struct {
		double mean, sd, tmean, tvar;
	} m[] = {
		{0, 1, 0.79788456080286535588, 0.36338022763241865692},
		{10, 2, 10.00000297343988181, 3.9999702655923405572},
		{-3, 1, 0.28309865493043650693, 0.070559186785268116862},
		{-5, 1, 0.18650396712584211562, 0.032696434617112225345},
		{-10, 1, 0.098093233962511962844, 0.0094453778256562611641},
		{-1e6, 1, 9.99999999998e-7, 9.999999999939999986e-13},
	};
	char err[128];
	for (size_t i = 0; i < sizeof m / sizeof m[0]; i++) {
		tc_dist d = make(tc_dist_normal(&d, m[i].mean, m[i].sd, err, sizeof err), d);
		assert_close(tc_dist_mean(&d), m[i].tmean, 1e-13);
		assert_close(tc_dist_variance(&d), m[i].tvar, 1e-12);
	}
	static const struct {
		double mean, sd, u, x;
	} q[] = {
		{0, 1, 0.5, 0.6744897501960817432},
		{-3, 1, 0.5, 0.20515492059893317845},
		{-4, 1, 0.25, 0.067565473843311583523},
		{-10, 1, 0.5, 0.068411836081429404502},
		{-10, 1, 1e-10, 9.9028596476635256463e-12},
		{-10, 1, 0.999, 0.66252840078955243136},
		{-1e6, 1, 0.5, 6.9314718055901193573e-7},
	};
	for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
		tc_dist d = make(tc_dist_normal(&d, q[i].mean, q[i].sd, err, sizeof err), d);
		assert_close(tc_dist_quantile(&d, q[i].u), q[i].x, 1e-12);
	}
}

/* The two numerical regimes meet at alpha = -mean/sd = 5 without a seam. */
static void truncated_normal_regimes_agree(void **state)
{
	(void)state;
	char err[128];
	tc_dist below = make(tc_dist_normal(&below, -5 + 1e-9, 1, err, sizeof err), below);
	tc_dist above = make(tc_dist_normal(&above, -5 - 1e-9, 1, err, sizeof err), above);
	assert_close(tc_dist_mean(&below), tc_dist_mean(&above), 1e-8);
	assert_close(tc_dist_variance(&below), tc_dist_variance(&above), 1e-8);
	for (double u = 0.01; u < 1; u += 0.07)
		assert_close(tc_dist_quantile(&below, u), tc_dist_quantile(&above, u), 1e-8);
}

/* A mean far below 0 must still give finite, positive, ordered durations. */
static void truncated_normal_far_below_zero_stays_positive(void **state)
{
	(void)state;
	static const double means[] = {-30, -38, -40, -1e3, -1e6, -1e150};
	static const double us[] = {0x1p-54, 1e-12, 0.5, 1 - 1e-12, 1 - 0x1p-53};
	char err[128];
	for (size_t i = 0; i < sizeof means / sizeof means[0]; i++) {
		tc_dist d = make(tc_dist_normal(&d, means[i], 1, err, sizeof err), d);
		double prev = 0;
		for (size_t j = 0; j < sizeof us / sizeof us[0]; j++) {
			double x = tc_dist_quantile(&d, us[j]);
			assert_true(isfinite(x));
			assert_true(x > prev);
			prev = x;
		}
		assert_true(isfinite(tc_dist_mean(&d)) && tc_dist_mean(&d) > 0);
		assert_true(isfinite(tc_dist_variance(&d)) && tc_dist_variance(&d) > 0);
	}
}

static void empirical_is_discrete_and_copied(void **state)
{
	(void)state;
	tc_arena ar;
	tc_arena_init(&ar, tc_alloc_default());
	double values[] = {30, 10, 20, 99};
	double weights[] = {1, 2, 1, 0};
	char err[128];
	tc_dist d;
	assert_int_equal(tc_dist_empirical(&d, &ar, values, weights, 4, err, sizeof err), TC_OK);
	values[0] = -1;  /* the distribution holds its own copy */
	weights[1] = 100;
	assert_true(tc_dist_quantile(&d, 0x1p-54) == 10);
	assert_true(tc_dist_quantile(&d, 0.5) == 10);
	assert_true(tc_dist_quantile(&d, 0.5 + 0x1p-53) == 20);
	assert_true(tc_dist_quantile(&d, 0.75) == 20);
	assert_true(tc_dist_quantile(&d, 0.76) == 30);
	assert_true(tc_dist_quantile(&d, 1 - 0x1p-53) == 30);  /* 99 has weight 0 */
	assert_true(tc_dist_mean(&d) == 17.5);
	assert_true(tc_dist_variance(&d) == 68.75);
	assert_int_equal(d.n, 4);
	assert_true(d.cumulative[3] == 1.0);

	/* Equal weights when none are given. */
	double three[] = {3, 1, 2};
	assert_int_equal(tc_dist_empirical(&d, &ar, three, NULL, 3, err, sizeof err), TC_OK);
	assert_true(tc_dist_quantile(&d, 0.3) == 1);
	assert_true(tc_dist_quantile(&d, 0.5) == 2);
	assert_true(tc_dist_quantile(&d, 0.9) == 3);
	assert_true(tc_dist_mean(&d) == 2);
	assert_close(tc_dist_variance(&d), 2.0 / 3, 1e-15);
	tc_arena_release(&ar);
}

static void empirical_out_of_memory(void **state)
{
	(void)state;
	double values[] = {1, 2, 3};
	char err[128];
	/* Every allocation in turn fails, until the budget suffices. */
	long budget;
	for (budget = 0;; budget++) {
		tc_failing_alloc fa;
		tc_failing_alloc_init(&fa, budget);
		tc_arena ar;
		tc_arena_init(&ar, &fa.alloc);
		tc_dist d;
		memset(&d, 0xab, sizeof d);
		tc_dist before = d;
		int rc = tc_dist_empirical(&d, &ar, values, NULL, 3, err, sizeof err);
		if (rc == TC_OK) {
			assert_true(tc_dist_quantile(&d, 0.5) == 2);
			tc_arena_release(&ar);
			assert_int_equal(fa.live_blocks, 0);
			break;
		}
		assert_int_equal(rc, TC_ENOMEM);
		assert_string_equal(err, "empirical distribution: out of memory");
		assert_memory_equal(&d, &before, sizeof d);
		tc_arena_release(&ar);
		assert_int_equal(fa.live_blocks, 0);
	}
	assert_true(budget >= 2);  /* a scratch array and the arena's copies */
}

/*
 * A million draws through tc_rng_uniform per distribution: sample mean and
 * variance within 5 standard errors of the analytic values (the variance's
 * standard error estimated from the sample's fourth central moment).
 */
static void sample_moments_match_analytic(void **state)
{
	(void)state;
	enum { N = 1000000 };
	tc_arena ar;
	tc_arena_init(&ar, tc_alloc_default());
	char err[128];
	tc_dist d[10];
	double ev[] = {60000, 120000, 300000, 600000};
	double ew[] = {5, 3, 1.5, 0.5};
	assert_int_equal(tc_dist_uniform(&d[0], 1000, 5000, err, sizeof err), TC_OK);
	assert_int_equal(tc_dist_exponential(&d[1], 60000, err, sizeof err), TC_OK);
	assert_int_equal(tc_dist_normal(&d[2], 600000, 120000, err, sizeof err), TC_OK);
	assert_int_equal(tc_dist_normal(&d[3], 0, 1000, err, sizeof err), TC_OK);
	assert_int_equal(tc_dist_normal(&d[4], -3000, 1000, err, sizeof err), TC_OK);
	assert_int_equal(tc_dist_normal(&d[5], -8000, 1000, err, sizeof err), TC_OK);
	assert_int_equal(tc_dist_lognormal(&d[6], 1200000, 3600000, err, sizeof err), TC_OK);
	assert_int_equal(tc_dist_triangular(&d[7], 0, 2000, 10000, err, sizeof err), TC_OK);
	assert_int_equal(tc_dist_empirical(&d[8], &ar, ev, ew, 4, err, sizeof err), TC_OK);
	assert_int_equal(tc_dist_fixed(&d[9], 42, err, sizeof err), TC_OK);

	tc_rng r;
	tc_rng_init(&r, 2024);
	for (uint32_t k = 0; k < sizeof d / sizeof d[0]; k++) {
		double mu = tc_dist_mean(&d[k]), var = tc_dist_variance(&d[k]);
		double s1 = 0, s2 = 0, s4 = 0;
		for (uint64_t i = 0; i < N; i++) {
			double x = tc_dist_quantile(&d[k], tc_rng_uniform(&r, 0, k, 0, i));
			assert_true(x >= 0);
			double c = x - mu;
			s1 += c;
			s2 += c * c;
			s4 += c * c * c * c;
		}
		double mean_hat = mu + s1 / N, var_hat = s2 / N - (s1 / N) * (s1 / N);
		double m2 = s2 / N, m4 = s4 / N;
		double se_mean = sqrt(var / N), se_var = sqrt((m4 - m2 * m2) / N);
		if (var == 0) {
			assert_true(mean_hat == mu && var_hat == 0);
			continue;
		}
		if (!(fabs(mean_hat - mu) < 5 * se_mean && fabs(var_hat - var) < 5 * se_var))
			fail_msg("%s #%u: mean %.9g vs %.9g (se %.3g), variance %.9g vs %.9g (se %.3g)",
				 tc_dist_kind_name(d[k].kind), k, mean_hat, mu, se_mean,
				 var_hat, var, se_var);
	}
	tc_arena_release(&ar);
}

static void expect_error(int rc, const char *err, const char *want)
{
	assert_int_equal(rc, TC_EINVAL);
	assert_string_equal(err, want);
}

static void constructors_reject_bad_parameters(void **state)
{
	(void)state;
	char err[128];
	tc_dist d;
	memset(&d, 0x5a, sizeof d);
	tc_dist before = d;
	expect_error(tc_dist_lognormal(&d, 1200000, 600000, err, sizeof err), err,
		     "p90 (600000 ms) must be greater than the median (1200000 ms)");
	expect_error(tc_dist_lognormal(&d, 0, 600000, err, sizeof err), err,
		     "lognormal median (0 ms) must be greater than 0");
	expect_error(tc_dist_lognormal(&d, 5, 5, err, sizeof err), err,
		     "p90 (5 ms) must be greater than the median (5 ms)");
	expect_error(tc_dist_normal(&d, 100, 0, err, sizeof err), err,
		     "normal sd (0 ms) must be greater than 0");
	expect_error(tc_dist_normal(&d, NAN, 1, err, sizeof err), err,
		     "normal mean (nan) must be a finite number");
	expect_error(tc_dist_normal(&d, -1e300, 1e-300, err, sizeof err), err,
		     "normal mean (-1e+300 ms) is too many sds (1e-300 ms) from 0");
	expect_error(tc_dist_exponential(&d, -2.5, err, sizeof err), err,
		     "exponential mean (-2.5 ms) must be greater than 0");
	expect_error(tc_dist_uniform(&d, 10, 5, err, sizeof err), err,
		     "uniform max (5 ms) must not be less than min (10 ms)");
	expect_error(tc_dist_uniform(&d, 0, INFINITY, err, sizeof err), err,
		     "uniform min (0) and max (inf) must be finite numbers");
	expect_error(tc_dist_triangular(&d, 0, 12, 10, err, sizeof err), err,
		     "triangular mode (12 ms) must lie between min (0 ms) and max (10 ms)");
	expect_error(tc_dist_triangular(&d, 10, 5, 0, err, sizeof err), err,
		     "triangular max (0 ms) must not be less than min (10 ms)");
	expect_error(tc_dist_fixed(&d, INFINITY, err, sizeof err), err,
		     "fixed value (inf) must be a finite number");

	tc_arena ar;
	tc_arena_init(&ar, tc_alloc_default());
	double v[] = {1, 2, 3};
	double w_neg[] = {1, -1, 1}, w_zero[] = {0, 0, 0}, w_nan[] = {1, 1, NAN};
	double w_big[] = {1e308, 1e308, 1e308}, v_inf[] = {1, INFINITY, 3};
	expect_error(tc_dist_empirical(&d, &ar, v, NULL, 0, err, sizeof err), err,
		     "empirical distribution needs at least one value");
	expect_error(tc_dist_empirical(&d, &ar, v, w_neg, 3, err, sizeof err), err,
		     "empirical weight 2 (-1) must be a number >= 0");
	expect_error(tc_dist_empirical(&d, &ar, v, w_nan, 3, err, sizeof err), err,
		     "empirical weight 3 (nan) must be a number >= 0");
	expect_error(tc_dist_empirical(&d, &ar, v, w_zero, 3, err, sizeof err), err,
		     "empirical weights must not all be 0");
	expect_error(tc_dist_empirical(&d, &ar, v, w_big, 3, err, sizeof err), err,
		     "empirical weights are too large: their sum is not finite");
	expect_error(tc_dist_empirical(&d, &ar, v_inf, NULL, 3, err, sizeof err), err,
		     "empirical value 2 (inf) must be a finite number");
	assert_int_equal(ar.used, 0);  /* nothing allocated for a rejected input */
	tc_arena_release(&ar);

	/* *d is untouched on error, and err may be omitted or short. */
	assert_memory_equal(&d, &before, sizeof d);
	assert_int_equal(tc_dist_exponential(&d, 0, NULL, 0), TC_EINVAL);
	char tiny[8];
	assert_int_equal(tc_dist_exponential(&d, 0, tiny, sizeof tiny), TC_EINVAL);
	assert_string_equal(tiny, "exponen");
	/* Degenerate but valid. */
	assert_int_equal(tc_dist_uniform(&d, 7, 7, err, sizeof err), TC_OK);
	assert_true(tc_dist_quantile(&d, 0.9) == 7);
}

static void kind_names(void **state)
{
	(void)state;
	static const char *const want[] = {"fixed", "uniform", "exponential", "normal",
					   "lognormal", "triangular", "empirical"};
	for (int k = TC_DIST_FIXED; k <= TC_DIST_EMPIRICAL; k++)
		assert_string_equal(tc_dist_kind_name((tc_dist_kind)k), want[k]);
	assert_null(tc_dist_kind_name((tc_dist_kind)99));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(normal_quantile_known_answers),
		cmocka_unit_test(normal_cdf_known_answers),
		cmocka_unit_test(quantiles_of_each_kind),
		cmocka_unit_test(lognormal_recovers_median_and_p90),
		cmocka_unit_test(truncated_normal_known_answers),
		cmocka_unit_test(truncated_normal_regimes_agree),
		cmocka_unit_test(truncated_normal_far_below_zero_stays_positive),
		cmocka_unit_test(empirical_is_discrete_and_copied),
		cmocka_unit_test(empirical_out_of_memory),
		cmocka_unit_test(sample_moments_match_analytic),
		cmocka_unit_test(constructors_reject_bad_parameters),
		cmocka_unit_test(kind_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
