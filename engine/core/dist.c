#include "core/dist.h"

#include <assert.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/error.h"

/* 1/sqrt(2) = SQRT1_2_HI + SQRT1_2_LO to about 2^-106. */
#define SQRT1_2_HI 0x1.6a09e667f3bcdp-1
#define SQRT1_2_LO (-0x1.bdd3413b26456p-55)
#define INV_SQRT_PI 0.56418958354775628695      /* 1 / sqrt(pi) */
#define INV_SQRT_2PI 0.39894228040143267794  /* 1 / sqrt(2 pi) */

/*
 * The normal truncated at 0 is handled in terms of alpha = -mean / sd, the
 * truncation point in standard units. Up to NORMAL_TAIL_ALPHA the mass above
 * 0 is at least 2.9e-7 and erfc-based formulas are accurate; beyond it they
 * cancel and eventually underflow (alpha > 37), so the tail is handled with
 * the Mills ratio instead.
 */
#define NORMAL_TAIL_ALPHA 5.0

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	if (err && errlen > 0) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return TC_EINVAL;
}

static int all_finite(const double *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isfinite(v[i]))
			return 0;
	return 1;
}

const char *tc_dist_kind_name(tc_dist_kind k)
{
	switch (k) {
	case TC_DIST_FIXED: return "fixed";
	case TC_DIST_UNIFORM: return "uniform";
	case TC_DIST_EXPONENTIAL: return "exponential";
	case TC_DIST_NORMAL: return "normal";
	case TC_DIST_LOGNORMAL: return "lognormal";
	case TC_DIST_TRIANGULAR: return "triangular";
	case TC_DIST_EMPIRICAL: return "empirical";
	}
	return NULL;
}

/* ---- standard normal ---------------------------------------------------- */

double tc_normal_cdf(double x)
{
	/*
	 * Phi(x) = erfc(z) / 2 with z = -x / sqrt(2). In the tails erfc
	 * amplifies the relative error of its argument about 2 z^2 times (700
	 * at z = 26), so z is carried as zh + zl: 1/sqrt(2) as two doubles and
	 * the product's rounding error from fma. erfc(zh + zl) is then
	 * erfc(zh) - zl * 2/sqrt(pi) * e^(-zh^2) to first order.
	 */
	double zh = -x * SQRT1_2_HI;
	double zl = fma(-x, SQRT1_2_HI, -zh) - x * SQRT1_2_LO;
	if (!isfinite(zh))
		return x > 0 ? 1.0 : (x < 0 ? 0.0 : x);
	return 0.5 * erfc(zh) - zl * INV_SQRT_PI * exp(-zh * zh);
}

static double poly8(const double c[8], double x)
{
	return ((((((c[7] * x + c[6]) * x + c[5]) * x + c[4]) * x + c[3]) * x + c[2]) * x + c[1]) * x + c[0];
}

/* Wichura, Algorithm AS 241, Applied Statistics 37 (1988) 477-484: PPND16. */
double tc_normal_quantile(double p)
{
	static const double a[8] = {
		3.3871328727963666080e0, 1.3314166789178437745e+2,
		1.9715909503065514427e+3, 1.3731693765509461125e+4,
		4.5921953931549871457e+4, 6.7265770927008700853e+4,
		3.3430575583588128105e+4, 2.5090809287301226727e+3};
	static const double b[8] = {
		1.0, 4.2313330701600911252e+1,
		6.8718700749205790830e+2, 5.3941960214247511077e+3,
		2.1213794301586595867e+4, 3.9307895800092710610e+4,
		2.8729085735721942674e+4, 5.2264952788528545610e+3};
	static const double c[8] = {
		1.42343711074968357734e0, 4.63033784615654529590e0,
		5.76949722146069140550e0, 3.64784832476320460504e0,
		1.27045825245236838258e0, 2.41780725177450611770e-1,
		2.27238449892691845833e-2, 7.74545014278341407640e-4};
	static const double d[8] = {
		1.0, 2.05319162663775882187e0,
		1.67638483018380384940e0, 6.89767334985100004550e-1,
		1.48103976427480074590e-1, 1.51986665636164571966e-2,
		5.47593808499534494600e-4, 1.05075007164441684324e-9};
	static const double e[8] = {
		6.65790464350110377720e0, 5.46378491116411436990e0,
		1.78482653991729133580e0, 2.96560571828504891230e-1,
		2.65321895265761230930e-2, 1.24266094738807843860e-3,
		2.71155556874348757815e-5, 2.01033439929228813265e-7};
	static const double f[8] = {
		1.0, 5.99832206555887937690e-1,
		1.36929880922735805310e-1, 1.48753612908506148525e-2,
		7.86869131145613259100e-4, 1.84631831751005468180e-5,
		1.42151175831644588870e-7, 2.04426310338993978564e-15};

	if (isnan(p) || p < 0.0 || p > 1.0)
		return NAN;
	if (p == 0.0)
		return -INFINITY;
	if (p == 1.0)
		return INFINITY;
	double q = p - 0.5;
	if (fabs(q) <= 0.425) {
		double r = 0.180625 - q * q;
		return q * poly8(a, r) / poly8(b, r);
	}
	double r = sqrt(-log(q < 0 ? p : 1.0 - p));
	double z;
	if (r <= 5.0) {
		r -= 1.6;
		z = poly8(c, r) / poly8(d, r);
	} else {
		r -= 5.0;
		z = poly8(e, r) / poly8(f, r);
	}
	return q < 0 ? -z : z;
}

/*
 * h(x) = 1/R(x) - x for x >= NORMAL_TAIL_ALPHA, where R(x) = Q(x)/phi(x) is
 * the Mills ratio, from Laplace's continued fraction
 *   1/R(x) = x + 1/(x + c),  c = 2/(x + 3/(x + 4/(x + ...)))
 * evaluated backwards; 40 terms give full double precision for x >= 5.
 * Unlike 1/R(x) - x from erfc, h has no cancellation and never underflows.
 * h is the mean excess of a standard normal above x: E[Z - x | Z > x].
 * When c is wanted it is stored in *cp.
 */
static double normal_tail_h(double x, double *cp)
{
	assert(x >= NORMAL_TAIL_ALPHA);
	double t = 0.0;
	for (int k = 40; k >= 2; k--)
		t = k / (x + t);
	if (cp)
		*cp = t;
	return 1.0 / (x + t);
}

/* log R(a) - log R(a + t) = integral of h over [a, a + t]. */
static double normal_tail_log_ratio(double a, double t)
{
	if (t > 0.1)
		return log((a + t + normal_tail_h(a + t, NULL)) / (a + normal_tail_h(a, NULL)));
	/*
	 * For short intervals the log of a ratio near 1 would lose the digits
	 * that matter when t is tiny: 3-point Gauss-Legendre on the smooth h
	 * (error below 1e-15 absolute for t <= 0.1, x >= 5).
	 */
	double m = a + 0.5 * t, r = 0.5 * t * 0.77459666924148337704;  /* sqrt(3/5) */
	return 0.5 * t * (5.0 * normal_tail_h(m - r, NULL) + 8.0 * normal_tail_h(m, NULL) +
			  5.0 * normal_tail_h(m + r, NULL)) / 9.0;
}

/*
 * The quantile of Z - a given Z > a, for a > NORMAL_TAIL_ALPHA, at u: the t
 * with Q(a + t) = (1 - u) Q(a), i.e. g(t) = a t + t^2/2 + log R(a) -
 * log R(a + t) = L with L = -log(1 - u). g is increasing and convex with
 * g'(t) = 1/R(a + t) = a + t + h(a + t); Newton from the root of
 * a t + t^2/2 = L (which lies right of the solution) decreases monotonically.
 */
static double normal_tail_quantile(double a, double u)
{
	double L = -log1p(-u);
	/* t0 = -a + sqrt(a^2 + 2L), written without cancellation or overflow. */
	double t = 2.0 * L / (a * (1.0 + sqrt(1.0 + 2.0 * L / a / a)));
	for (int i = 0; i < 60; i++) {
		double x = a + t;
		double g = a * t + 0.5 * t * t + normal_tail_log_ratio(a, t) - L;
		double next = t - g / (x + normal_tail_h(x, NULL));
		if (!(next > 0.0))
			next = 0.5 * t;  /* rounding near t = 0; keep the root bracketed */
		int done = fabs(next - t) <= 4.0 * DBL_EPSILON * next;
		t = next;
		if (done)
			break;
	}
	return t;
}

/* ---- constructors ------------------------------------------------------- */

static void set(tc_dist *d, tc_dist_kind kind, double p0, double p1, double p2, double p3)
{
	memset(d, 0, sizeof *d);
	d->kind = kind;
	d->p[0] = p0;
	d->p[1] = p1;
	d->p[2] = p2;
	d->p[3] = p3;
}

int tc_dist_fixed(tc_dist *d, double v, char *err, size_t errlen)
{
	if (!isfinite(v))
		return fail(err, errlen, "fixed value (%.15g) must be a finite number", v);
	set(d, TC_DIST_FIXED, v, 0, 0, 0);
	return TC_OK;
}

int tc_dist_uniform(tc_dist *d, double min, double max, char *err, size_t errlen)
{
	double v[2] = {min, max};
	if (!all_finite(v, 2))
		return fail(err, errlen, "uniform min (%.15g) and max (%.15g) must be finite numbers",
			    min, max);
	if (max < min)
		return fail(err, errlen, "uniform max (%.15g ms) must not be less than min (%.15g ms)",
			    max, min);
	set(d, TC_DIST_UNIFORM, min, max, 0, 0);
	return TC_OK;
}

int tc_dist_exponential(tc_dist *d, double mean, char *err, size_t errlen)
{
	if (!isfinite(mean) || mean <= 0)
		return fail(err, errlen, "exponential mean (%.15g ms) must be greater than 0", mean);
	set(d, TC_DIST_EXPONENTIAL, mean, 0, 0, 0);
	return TC_OK;
}

int tc_dist_normal(tc_dist *d, double mean, double sd, char *err, size_t errlen)
{
	if (!isfinite(mean))
		return fail(err, errlen, "normal mean (%.15g) must be a finite number", mean);
	if (!isfinite(sd) || sd <= 0)
		return fail(err, errlen, "normal sd (%.15g ms) must be greater than 0", sd);
	double alpha = -mean / sd;
	if (!isfinite(alpha))
		return fail(err, errlen, "normal mean (%.15g ms) is too many sds (%.15g ms) from 0",
			    mean, sd);
	if (alpha <= NORMAL_TAIL_ALPHA)
		/* P(X <= 0) and P(X > 0) each from erfc, so neither loses its tail. */
		set(d, TC_DIST_NORMAL, mean, sd, tc_normal_cdf(alpha), tc_normal_cdf(-alpha));
	else
		set(d, TC_DIST_NORMAL, mean, sd, alpha, 0);
	return TC_OK;
}

int tc_dist_lognormal(tc_dist *d, double median, double p90, char *err, size_t errlen)
{
	double v[2] = {median, p90};
	if (!all_finite(v, 2))
		return fail(err, errlen, "lognormal median (%.15g) and p90 (%.15g) must be finite numbers",
			    median, p90);
	if (median <= 0)
		return fail(err, errlen, "lognormal median (%.15g ms) must be greater than 0", median);
	if (p90 <= median)
		return fail(err, errlen, "p90 (%.15g ms) must be greater than the median (%.15g ms)",
			    p90, median);
	double sigma = log(p90 / median) / tc_normal_quantile(0.9);
	set(d, TC_DIST_LOGNORMAL, median, sigma, p90, 0);
	return TC_OK;
}

int tc_dist_triangular(tc_dist *d, double min, double mode, double max,
		       char *err, size_t errlen)
{
	double v[3] = {min, mode, max};
	if (!all_finite(v, 3))
		return fail(err, errlen,
			    "triangular min (%.15g), mode (%.15g) and max (%.15g) must be finite numbers",
			    min, mode, max);
	if (max < min)
		return fail(err, errlen, "triangular max (%.15g ms) must not be less than min (%.15g ms)",
			    max, min);
	if (mode < min || mode > max)
		return fail(err, errlen,
			    "triangular mode (%.15g ms) must lie between min (%.15g ms) and max (%.15g ms)",
			    mode, min, max);
	set(d, TC_DIST_TRIANGULAR, min, mode, max, 0);
	return TC_OK;
}

struct weighted {
	double v, w;
};

/* Total order on (value, weight) so the sorted copy does not depend on qsort. */
static int cmp_weighted(const void *pa, const void *pb)
{
	const struct weighted *a = pa, *b = pb;
	if (a->v != b->v)
		return a->v < b->v ? -1 : 1;
	return (a->w > b->w) - (a->w < b->w);
}

int tc_dist_empirical(tc_dist *d, struct tc_arena *ar, const double *values,
		      const double *weights, size_t n, char *err, size_t errlen)
{
	if (n == 0)
		return fail(err, errlen, "empirical distribution needs at least one value");
	double total = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(values[i]))
			return fail(err, errlen, "empirical value %zu (%.15g) must be a finite number",
				    i + 1, values[i]);
		if (weights) {
			if (!isfinite(weights[i]) || weights[i] < 0)
				return fail(err, errlen,
					    "empirical weight %zu (%.15g) must be a number >= 0",
					    i + 1, weights[i]);
			total += weights[i];
		}
	}
	if (!weights)
		total = (double)n;
	if (!(total > 0))
		return fail(err, errlen, "empirical weights must not all be 0");
	if (!isfinite(total))
		return fail(err, errlen, "empirical weights are too large: their sum is not finite");
	if (n > SIZE_MAX / sizeof(struct weighted)) {
		fail(err, errlen, "empirical distribution: too many values");
		return TC_ENOMEM;
	}

	/* Scratch for sorting (values, weights) pairs; the arena gets the result. */
	tc_alloc *a = ar->alloc;
	struct weighted *tmp = tc_malloc(a, n * sizeof *tmp);
	double *vals = tmp ? tc_arena_alloc(ar, n * sizeof *vals) : NULL;
	double *cum = vals ? tc_arena_alloc(ar, n * sizeof *cum) : NULL;
	if (!cum) {
		tc_free(a, tmp, n * sizeof *tmp);
		fail(err, errlen, "empirical distribution: out of memory");
		return TC_ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		tmp[i].v = values[i] + 0.0;  /* -0 becomes +0: one zero, one order */
		tmp[i].w = weights ? weights[i] : 1.0;
	}
	qsort(tmp, n, sizeof *tmp, cmp_weighted);
	double running = 0, mean = 0;
	for (size_t i = 0; i < n; i++) {
		vals[i] = tmp[i].v;
		running += tmp[i].w;
		cum[i] = running / total;
		mean += tmp[i].w * tmp[i].v;
	}
	cum[n - 1] = 1.0;  /* exactly, whatever the rounding of the sum */
	mean /= total;
	double var = 0;
	for (size_t i = 0; i < n; i++)
		var += tmp[i].w * (tmp[i].v - mean) * (tmp[i].v - mean);
	var /= total;
	tc_free(a, tmp, n * sizeof *tmp);

	set(d, TC_DIST_EMPIRICAL, mean, var, 0, 0);
	d->values = vals;
	d->cumulative = cum;
	d->n = n;
	return TC_OK;
}

/* ---- quantile, mean, variance ------------------------------------------- */

static double normal_quantile_truncated(const tc_dist *d, double u)
{
	double m = d->p[0], s = d->p[1], alpha = -m / s;
	if (alpha > NORMAL_TAIL_ALPHA)
		return s * normal_tail_quantile(alpha, u);
	/*
	 * Invert F at u' = F0 + u (1 - F0). Below 1/2 use u' itself; above, the
	 * upper tail 1 - u' = (1 - u) Q, which keeps its digits when F0 is
	 * close to 1 (mean below 0).
	 */
	double f0 = d->p[2], q = d->p[3];
	double lower = f0 + u * q;
	double z = lower < 0.5 ? tc_normal_quantile(lower)
			       : -tc_normal_quantile((1.0 - u) * q);
	double x = m + s * z;
	return x > 0.0 ? x : 0.0;  /* z >= alpha up to rounding */
}

static double empirical_quantile(const tc_dist *d, double u)
{
	/* The first i with cumulative[i] >= u; cumulative[n-1] == 1 > u. */
	size_t lo = 0, hi = d->n - 1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (d->cumulative[mid] >= u)
			hi = mid;
		else
			lo = mid + 1;
	}
	return d->values[lo];
}

double tc_dist_quantile(const tc_dist *d, double u)
{
	assert(u > 0.0 && u < 1.0);
	const double *p = d->p;
	switch (d->kind) {
	case TC_DIST_FIXED:
		return p[0];
	case TC_DIST_UNIFORM:
		return p[0] + u * (p[1] - p[0]);
	case TC_DIST_EXPONENTIAL:
		return -p[0] * log1p(-u);
	case TC_DIST_NORMAL:
		return normal_quantile_truncated(d, u);
	case TC_DIST_LOGNORMAL:
		/* median * e^(sigma z): quantile(0.5) is the median exactly. */
		return p[0] * exp(p[1] * tc_normal_quantile(u));
	case TC_DIST_TRIANGULAR: {
		double lo = p[0], mode = p[1], hi = p[2], w = hi - lo;
		if (w == 0.0)
			return lo;
		double x = u < (mode - lo) / w ? lo + sqrt(u * w * (mode - lo))
					       : hi - sqrt((1.0 - u) * w * (hi - mode));
		return fmin(fmax(x, lo), hi);
	}
	case TC_DIST_EMPIRICAL:
		return empirical_quantile(d, u);
	}
	assert(!"unknown distribution kind");
	return NAN;
}

/* lambda = E[Z | Z > alpha] (the hazard phi/Q) for the normal truncated at 0. */
static void normal_moments(const tc_dist *d, double *mean, double *var)
{
	double m = d->p[0], s = d->p[1], alpha = -m / s;
	if (alpha > NORMAL_TAIL_ALPHA) {
		double c, h = normal_tail_h(alpha, &c);  /* h = lambda - alpha */
		*mean = s * h;
		/*
		 * Var = s^2 (1 + alpha lambda - lambda^2) = s^2 (1 - h (alpha + h)),
		 * which cancels for large alpha; as h = 1/(alpha + c), alpha h =
		 * 1 - c h and it is s^2 h (c - h), with c about 2h: no cancellation.
		 */
		*var = s * s * h * (c - h);
		return;
	}
	double lambda = INV_SQRT_2PI * exp(-0.5 * alpha * alpha) / d->p[3];
	*mean = m + s * lambda;
	*var = s * s * (1.0 + alpha * lambda - lambda * lambda);
}

double tc_dist_mean(const tc_dist *d)
{
	const double *p = d->p;
	switch (d->kind) {
	case TC_DIST_FIXED:
		return p[0];
	case TC_DIST_UNIFORM:
		return 0.5 * (p[0] + p[1]);
	case TC_DIST_EXPONENTIAL:
		return p[0];
	case TC_DIST_NORMAL: {
		double mean, var;
		normal_moments(d, &mean, &var);
		return mean;
	}
	case TC_DIST_LOGNORMAL:
		return p[0] * exp(0.5 * p[1] * p[1]);
	case TC_DIST_TRIANGULAR:
		return (p[0] + p[1] + p[2]) / 3.0;
	case TC_DIST_EMPIRICAL:
		return p[0];
	}
	assert(!"unknown distribution kind");
	return NAN;
}

double tc_dist_variance(const tc_dist *d)
{
	const double *p = d->p;
	switch (d->kind) {
	case TC_DIST_FIXED:
		return 0.0;
	case TC_DIST_UNIFORM:
		return (p[1] - p[0]) * (p[1] - p[0]) / 12.0;
	case TC_DIST_EXPONENTIAL:
		return p[0] * p[0];
	case TC_DIST_NORMAL: {
		double mean, var;
		normal_moments(d, &mean, &var);
		return var;
	}
	case TC_DIST_LOGNORMAL: {
		double s2 = p[1] * p[1];
		return p[0] * p[0] * exp(s2) * expm1(s2);
	}
	case TC_DIST_TRIANGULAR: {
		double a = p[0], c = p[1], b = p[2];
		return (a * a + b * b + c * c - a * b - a * c - b * c) / 18.0;
	}
	case TC_DIST_EMPIRICAL:
		return p[1];
	}
	assert(!"unknown distribution kind");
	return NAN;
}
