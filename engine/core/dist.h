/*
 * Probability distributions of durations (milliseconds, as doubles; the
 * caller rounds). Every variate is drawn by inversion of one uniform, so a
 * draw is tc_dist_quantile(d, tc_rng_uniform(...)): one uniform per variate,
 * no rejection loops, and the same uniform gives the same quantile rank
 * whatever the parameters (common random numbers carry across doctrines).
 */
#ifndef TC_DIST_H
#define TC_DIST_H

#include <stddef.h>

struct tc_arena;

typedef enum tc_dist_kind {
	TC_DIST_FIXED,
	TC_DIST_UNIFORM,
	TC_DIST_EXPONENTIAL,
	TC_DIST_NORMAL,
	TC_DIST_LOGNORMAL,
	TC_DIST_TRIANGULAR,
	TC_DIST_EMPIRICAL,
} tc_dist_kind;

/*
 * A validated distribution; build it with a constructor below. p[] holds
 *   fixed:       p[0] value
 *   uniform:     p[0] min, p[1] max
 *   exponential: p[0] mean
 *   normal:      p[0] mean, p[1] sd (of the normal before truncation at 0),
 *                p[2], p[3] precomputed tail quantities (internal)
 *   lognormal:   p[0] median, p[1] sigma (of the log), p[2] p90
 *   triangular:  p[0] min, p[1] mode, p[2] max
 *   empirical:   p[0] mean, p[1] variance; values[] sorted ascending with
 *                cumulative[i] = P(X <= values[i]), cumulative[n-1] == 1
 * A tc_dist is immutable after construction and may be shared by threads.
 */
typedef struct tc_dist {
	tc_dist_kind kind;
	double p[4];
	const double *values;
	const double *cumulative;
	size_t n;
} tc_dist;

/*
 * Constructors. Each validates its parameters (all finite, and as stated per
 * kind) and returns TC_OK, or TC_EINVAL with a one-line reason in err (when
 * err is not NULL; truncated to errlen) and *d untouched.
 */
int tc_dist_fixed(tc_dist *d, double v, char *err, size_t errlen);
/* min <= max. */
int tc_dist_uniform(tc_dist *d, double min, double max, char *err, size_t errlen);
/* mean > 0. */
int tc_dist_exponential(tc_dist *d, double mean, char *err, size_t errlen);
/* A normal(mean, sd) truncated to x >= 0; sd > 0, any mean. */
int tc_dist_normal(tc_dist *d, double mean, double sd, char *err, size_t errlen);
/*
 * A lognormal stated as practitioners state durations: its median and its
 * 90th percentile ("usually 20 minutes, 9 times in 10 under an hour").
 * 0 < median < p90; mu = ln median, sigma = (ln p90 - ln median) / z_0.9.
 */
int tc_dist_lognormal(tc_dist *d, double median, double p90, char *err, size_t errlen);
/* min <= mode <= max. */
int tc_dist_triangular(tc_dist *d, double min, double mode, double max,
		       char *err, size_t errlen);
/*
 * A discrete distribution on values[0..n) with probabilities proportional to
 * weights (NULL: equal). n >= 1, weights >= 0 with a positive finite sum.
 * The values (sorted, so the quantile is monotone in u) and the cumulative
 * probabilities are copied into ar; TC_ENOMEM when it cannot allocate.
 */
int tc_dist_empirical(tc_dist *d, struct tc_arena *ar, const double *values,
		      const double *weights, size_t n, char *err, size_t errlen);

/*
 * The inverse CDF at u in (0,1) (asserted): the smallest x with F(x) >= u.
 * Never negative for exponential, normal (truncated) and lognormal.
 * Accuracy is about 1e-13 relative; the truncated normal's values within
 * about 1e-15 * sd * max(1, |mean| / sd) of 0 are only that accurate in
 * absolute terms (and may be 0), except when mean < -5 sd, where its whole
 * range is computed in the tail (Mills ratio) and stays positive.
 */
double tc_dist_quantile(const tc_dist *d, double u);

/* Analytic mean and variance (the truncated normal's included). */
double tc_dist_mean(const tc_dist *d);
double tc_dist_variance(const tc_dist *d);

/* "fixed", "uniform", ... as written in scenarios; NULL for an unknown kind. */
const char *tc_dist_kind_name(tc_dist_kind k);

/* The standard normal CDF, accurate in both tails (via erfc). */
double tc_normal_cdf(double x);
/*
 * The standard normal quantile, Wichura's AS 241 (PPND16): about 1e-16
 * relative for 1e-300 <= p <= 1 - 1e-16. -inf at 0, +inf at 1, NaN outside.
 */
double tc_normal_quantile(double p);

#endif
