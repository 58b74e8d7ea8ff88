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

#include "core/dist.h"

/* Running count, mean, sum of squared deviations, min and max (Welford's
 * update: numerically stable in one pass). */
typedef struct tc_welford {
	uint64_t n;
	double mean;               /* NaN while n is 0 */
	double m2;                 /* sum of (x - mean)^2; exactly 0 when all are equal */
	double min, max;           /* NaN while n is 0 */
} tc_welford;

void tc_welford_init(tc_welford *w);
/* Add one finite value (asserted). */
void tc_welford_add(tc_welford *w, double x);
/* The sample variance (n - 1 in the denominator); NaN when n < 2. */
double tc_welford_variance(const tc_welford *w);
/* Its square root; NaN when n < 2. */
double tc_welford_sd(const tc_welford *w);

/* The standard normal's quantile and cdf are core/dist.h's (also used for
 * the distributions of durations). */

/* P(T <= t) for Student's t with df > 0 degrees of freedom, not
 * necessarily whole (NaN when df <= 0 or t is NaN; from df = 1e25, where
 * they agree to double precision, the normal's). Each tail keeps its
 * relative accuracy: about 1e-15 times max(1, |t f(t) / P|), the
 * amplification of t's own rounding. */
double tc_student_t_cdf(double t, double df);
/* The quantile: t with P(T <= t) = p, for 0 < p < 1 and df > 0 (NaN
 * otherwise; the normal's from df = 1e25; -inf or +inf when t is beyond
 * the doubles, as for df 0.5 at p = 1e-300). Relative error below 1e-12:
 * measured at most 2e-13, where df < 1 and |t| nears 1e300, and a few
 * 1e-15 for |t| < 1e6; for df = 1 and 2 exact closed forms. */
double tc_student_t_quantile(double p, double df);

/* A two-sided confidence interval; both NaN when it does not exist. (Not
 * tc_interval: that is core/calendar.h's span of exercise time.) */
typedef struct tc_ci {
	double lo, hi;
} tc_ci;

/*
 * Confidence interval of the mean of w's values at confidence `level` (0.95
 * for 95 %): mean -/+ t(1 - (1 - level) / 2, n - 1) * sd / sqrt(n). NaN when
 * n < 2. When every value is equal (sd 0) the interval is [mean, mean]
 * exactly: no division by a zero variance happens anywhere. 0 < level < 1
 * (asserted).
 */
tc_ci tc_mean_interval(const tc_welford *w, double level);

/* Wilson score interval of a proportion: successes out of n trials, at
 * confidence level (0 < level < 1 and successes <= n, asserted), with z the
 * normal quantile of 1 - (1 - level) / 2. NaN when n is 0. Always within
 * [0, 1]; [0, x] when successes is 0 and [x, 1] when it is n, exactly. */
tc_ci tc_wilson_interval(uint64_t successes, uint64_t n, double level);

/*
 * Percentile `percent` (0 to 100) of sorted[0..n) by the nearest-rank
 * definition (docs/metrics.md): the smallest value with at least
 * percent % of the values at or below it, i.e. sorted[max(ceil(percent *
 * n / 100), 1) - 1]. The rank is computed exactly, in integers: 7 with
 * n = 100 is sorted[6], where 0.07 * 100 in doubles is 7.000000000000001
 * and its ceiling would give sorted[7]. NaN when n is 0.
 */
double tc_percentile_sorted(const double *sorted, size_t n, unsigned percent);

/* Sort values ascending (NaN is not allowed, asserted), deterministic: -0
 * before +0, so the same values in any order give the same bits. */
void tc_sort_doubles(double *values, size_t n);

#endif
