/*
 * Statistics across replications: running moments, the quantiles of the
 * normal and Student t distributions, confidence intervals for a mean, a
 * paired difference and a proportion, and order statistics.
 *
 * Written here (no GSL, which is GPL-3). Every function is pure and
 * deterministic: the same inputs in the same order give the same bits, so
 * summaries are byte-identical whatever the number of threads or ranks
 * that produced their inputs.
 */
#ifndef TC_STATS_H
#define TC_STATS_H

#include <stddef.h>
#include <stdint.h>

/* Running count, mean, sum of squared deviations, min and max (Welford's
 * update: numerically stable in one pass). */
typedef struct tc_welford {
	uint64_t n;
	double mean;
	double m2;                 /* sum of (x - mean)^2 */
	double min, max;           /* NaN while n is 0 */
} tc_welford;

void tc_welford_init(tc_welford *w);
/* Add one finite value (asserted). */
void tc_welford_add(tc_welford *w, double x);
/* The sample variance (n - 1 in the denominator); NaN when n < 2. */
double tc_welford_variance(const tc_welford *w);
/* Its square root; NaN when n < 2. */
double tc_welford_sd(const tc_welford *w);

/* The normal distribution's cdf and quantile are in core/dist.h. */

/* P(T <= t) for Student's t with df > 0 degrees of freedom (NaN when df
 * <= 0 or t is NaN). */
double tc_student_t_cdf(double t, double df);
/* The quantile: t with P(T <= t) = p, for 0 < p < 1 and df > 0 (NaN
 * otherwise). Accurate to about 1e-12 relative; for df = 1 and 2 exact
 * closed forms. */
double tc_student_t_quantile(double p, double df);

/* A two-sided interval; both NaN when it does not exist. */
typedef struct tc_ci {
	double lo, hi;
} tc_ci;

/*
 * Confidence interval of the mean of w's values at confidence `level` (0.95
 * for 95 %): mean -/+ t(1 - (1 - level) / 2, n - 1) * sd / sqrt(n). NaN when
 * n < 2. When every value is equal (sd 0) the interval is [mean, mean]
 * exactly: no division by a zero variance happens anywhere.
 */
tc_ci tc_mean_interval(const tc_welford *w, double level);

/* Wilson score interval of a proportion: successes out of n trials, at
 * confidence level. NaN when n is 0. Always within [0, 1]; [0, x] when
 * successes is 0 and [x, 1] when it is n. */
tc_ci tc_wilson_interval(uint64_t successes, uint64_t n, double level);

/*
 * Order statistic p (0 <= p <= 1) of sorted[0..n) by the nearest-rank
 * definition (docs/metrics.md): the smallest value with at least p * n of
 * the values at or below it, i.e. sorted[max(ceil(p * n), 1) - 1]. The
 * rank is computed exactly for p given as a whole percentage (p = k / 100):
 * ceil(k * n / 100) in integers, so p = 0.9 with n = 10 is sorted[8], not
 * sorted[9] by a rounding of 0.9 * 10. NaN when n is 0.
 */
double tc_percentile_sorted(const double *sorted, size_t n, unsigned percent);

/* Sort values ascending (NaN is not allowed, asserted), deterministic. */
void tc_sort_doubles(double *values, size_t n);

#endif
