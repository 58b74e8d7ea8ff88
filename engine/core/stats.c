/*
 * Statistics across replications (core/stats.h).
 *
 * Student's t goes through the regularized incomplete beta function: with
 * a = df / 2 and x = df / (df + s^2), P(|T| > s) = I_x(a, 1/2) and
 * P(|T| < s) = I_y(1/2, a) with y = 1 - x = s^2 / (df + s^2). Whichever of
 * the two is small is computed directly, never as 1 minus the other, so the
 * tails keep their relative accuracy down to the smallest doubles.
 */
#include "core/stats.h"

#include <assert.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>

#define PI 3.14159265358979323846
#define SQRT_PI 1.77245385090551602730  /* sqrt(pi) */
#define LOG_SQRT_PI 0.57236494292470008707  /* log(sqrt(pi)) */

/* ---- running moments ----------------------------------------------------- */

void tc_welford_init(tc_welford *w)
{
	w->n = 0;
	w->mean = NAN;
	w->m2 = 0.0;
	w->min = w->max = NAN;
}

void tc_welford_add(tc_welford *w, double x)
{
	assert(isfinite(x));
	w->n++;
	if (w->n == 1) {
		w->mean = w->min = w->max = x;
		return;
	}
	double delta = x - w->mean;
	w->mean += delta / (double)w->n;
	/* Both factors have the sign of delta (the new mean lies between the
	 * old one and x): m2 never decreases, and equal values add exactly 0. */
	w->m2 += delta * (x - w->mean);
	if (x < w->min)
		w->min = x;
	if (x > w->max)
		w->max = x;
}

double tc_welford_variance(const tc_welford *w)
{
	if (w->n < 2)
		return NAN;
	return w->m2 / (double)(w->n - 1);
}

double tc_welford_sd(const tc_welford *w)
{
	return sqrt(tc_welford_variance(w));
}

/* ---- Student's t ---------------------------------------------------------- */

/*
 * R(a) = Gamma(a + 1/2) / Gamma(a) for a > 0, which is sqrt(pi) / B(a, 1/2).
 * A difference of lgamma values would carry the rounding of lgamma(a)
 * itself, about a log(a) * 1e-16 (1e-6 at df = 1e9); instead a is shifted
 * to 20 or more by R(a) = R(a + 1) * a / (a + 1/2), where the asymptotic
 * series of log R in odd powers of 1/a, from the Bernoulli numbers, is
 * below 1e-17 after the a^-9 term.
 */
static double gamma_half_ratio(double a)
{
	assert(a > 0.0);
	double scale = 1.0;
	while (a < 20.0) {
		scale *= a / (a + 0.5);
		a += 1.0;
	}
	double inv = 1.0 / a, inv2 = inv * inv;
	double corr = inv * (-1.0 / 8 + inv2 * (1.0 / 192 + inv2 * (-1.0 / 640 +
			inv2 * (17.0 / 14336 + inv2 * (-31.0 / 18432)))));
	return scale * sqrt(a) * exp(corr);
}

/* log(1 + s^2 / df) for s >= 0, without overflow when s^2 would. */
static double log1p_square_ratio(double s, double df)
{
	double r = s / sqrt(df);
	if (r < 1e150)
		return log1p(r * r);
	return 2.0 * (log(s) - 0.5 * log(df));  /* 1 / r^2 is below 1e-300 */
}

/*
 * The continued fraction of I_x(a, b) (Abramowitz and Stegun 26.5.8):
 * I_x(a, b) = x^a (1 - x)^b / (a B(a, b)) / (1 + d1 / (1 + d2 / (1 + ...)))
 * with d(2m+1) = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)) and
 * d(2m) = m (b - m) x / ((a + 2m - 1)(a + 2m)), evaluated forwards by the
 * modified Lentz method. It converges quickly for x < (a + 1) / (a + b + 2);
 * the callers keep to that side, and use another method for large a.
 */
static double beta_continued_fraction(double a, double b, double x)
{
	const double tiny = 1e-300;  /* stands for a zero denominator */
	double num = -(a + b) * x / (a + 1.0);
	double den = 1.0 + num;      /* Lentz's D, kept as its inverse below */
	if (fabs(den) < tiny)
		den = tiny;
	den = 1.0 / den;
	double ratio = 1.0;          /* Lentz's C */
	double value = den;
	for (int m = 1; m <= 10000; m++) {
		double change = 0.0;  /* the larger of the pair's relative changes */
		for (int half = 0; half < 2; half++) {
			if (half == 0)
				num = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
			else
				num = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
			den = 1.0 + num * den;
			if (fabs(den) < tiny)
				den = tiny;
			ratio = 1.0 + num / ratio;
			if (fabs(ratio) < tiny)
				ratio = tiny;
			den = 1.0 / den;
			value *= den * ratio;
			change = fmax(change, fabs(den * ratio - 1.0));
		}
		if (change <= DBL_EPSILON)
			return value;
	}
	assert(!"the incomplete beta continued fraction did not converge");
	return value;
}

/*
 * For large df the continued fraction of the tail needs about sqrt(df)
 * terms and its convergence test passes too early (1e-10 wrong at df = 1e6),
 * so P(|T| > s) = I_x(a, 1/2) comes from an expansion in incomplete gamma
 * functions instead, of the kind of Didonato and Morris (ACM TOMS 18, 1992,
 * 360-373), here for b = 1/2. With x = e^-u and T = a - 1/4,
 *   I_x(a, 1/2) = 1/B(a, 1/2) * integral over (L, inf) of
 *                 e^(-T u) u^(-1/2) h(u) du,     L = -log x,
 * where h(u) = (sinh(u/2) / (u/2))^(-1/2) = sum of c_k u^(2k), so that
 *   I_x(a, 1/2) = Gamma(a + 1/2)/Gamma(a) / sqrt(T) * sum of c_k H_k,
 *   H_k = Gamma(2k + 1/2, T L) / (sqrt(pi) T^(2k)),
 * H_0 = erfc(sqrt(T L)), and H_(k+1) from H_k by two steps of
 * Gamma(s + 1, z) = s Gamma(s, z) + z^s e^-z. The series of h converges for
 * |u| < 2 pi; with L <= 1 and a >= 15 twelve terms reach 1e-16.
 */
#define EXPANSION_MIN_A 15.0
#define EXPANSION_MAX_L 1.0

/* c_k, the coefficients of h in u^(2k), from the rational series of sinh. */
static const double sinh_series[] = {
	1.0,
	-2.08333333333333333333e-2,     /* -1/48 */
	3.90625e-4,                     /* 1/2560 */
	-7.87967096560846560847e-6,     /* -61/7741440 */
	1.69676657917217813051e-7,
	-3.80506419172190656566e-9,
	8.74837759631540730406e-11,
	-2.04452335941197381758e-12,
	4.83335179796770440832e-14,
	-1.15243410176738592387e-15,
	2.76605204359937004229e-17,
	-6.67428195089165995121e-19,
	1.61745507718157988815e-20,
	-3.93397792009138001550e-22,
	9.59763406258604669130e-24,
	-2.34769029116263206477e-25,
	5.75587038754426658677e-27,
	-1.41400881082654904939e-28,
};

static double beta_half_expansion(double a, double L)
{
	assert(a >= EXPANSION_MIN_A && L >= 0.0 && L <= EXPANSION_MAX_L);
	double T = a - 0.25, z = T * L;
	double H = erfc(sqrt(z));
	double P = sqrt(z) * exp(-z) / SQRT_PI;  /* z^(2k+1/2) e^-z / (sqrt(pi) T^(2k)) */
	double sum = H;
	size_t nterms = sizeof sinh_series / sizeof sinh_series[0];
	for (size_t k = 1; k < nterms; k++) {
		double s = 2.0 * (double)k - 1.5;  /* Gamma(s, z) to Gamma(s + 2, z) */
		H = (s * (s + 1.0) * H + P * (s + 1.0 + z)) / (T * T);
		P *= L * L;
		double term = sinh_series[k] * H;
		sum += term;
		if (fabs(term) <= DBL_EPSILON / 8 * sum)
			break;
	}
	return sum * gamma_half_ratio(a) / sqrt(T);
}

/*
 * From here on t is the normal to double precision: their tails differ by
 * a factor of about 1 + t^4 / (4 df), 1 + 6e-20 at t = 38 where the normal's
 * underflows, and their quantiles by (z^3 + z) / (4 df). Beyond it the
 * formulas above would square s / sqrt(df) into the subnormals.
 */
#define NORMAL_DF 1e25

/* s^2 / df above which P(|T| > s) is the quickly converging side. */
static double tail_side(double a)
{
	return 1.5 / (a + 1.0);
}

/* P(|T| < s) = I_y(1/2, a) by its continued fraction, for s^2 / df <= tail_side. */
static double t_central_direct(double s, double df)
{
	double a = 0.5 * df, r = s / sqrt(df), r2 = r * r;
	assert(r2 <= tail_side(a));
	double y = r2 / (1.0 + r2);
	/* y^(1/2) x^a / (B(1/2, a) / 2) */
	double front = 2.0 * (r / sqrt(1.0 + r2)) * exp(-a * log1p(r2)) *
		       gamma_half_ratio(a) / SQRT_PI;
	return front * beta_continued_fraction(0.5, a, y);
}

/* P(T > s), s >= 0, with its relative accuracy. */
static double t_upper_tail(double s, double df)
{
	double a = 0.5 * df, L = log1p_square_ratio(s, df);
	if (a >= EXPANSION_MIN_A && L <= EXPANSION_MAX_L)
		return 0.5 * beta_half_expansion(a, L);
	double r = s / sqrt(df), r2 = r * r;
	if (!(r2 > tail_side(a)))
		return 0.5 * (1.0 - t_central_direct(s, df));
	/* x^a y^(1/2) / (a B(a, 1/2)), y = 1 / (1 + 1/r2) even when r2 is inf */
	double front = exp(-a * L) * (gamma_half_ratio(a) / (a * SQRT_PI)) /
		       sqrt(1.0 + 1.0 / r2);
	if (front == 0.0)
		return 0.0;
	return 0.5 * front * beta_continued_fraction(a, 0.5, exp(-L));
}

/* P(|T| < s), s >= 0, with its relative accuracy. */
static double t_central(double s, double df)
{
	double r = s / sqrt(df);
	if (r * r <= tail_side(0.5 * df))
		return t_central_direct(s, df);
	return 1.0 - 2.0 * t_upper_tail(s, df);
}

/* The log of the density of T at s (the density itself underflows in the
 * far tails of small df, where the quantile still needs its slope). */
static double t_log_density(double s, double df)
{
	double a = 0.5 * df;
	return log(gamma_half_ratio(a) / (SQRT_PI * sqrt(df))) -
	       (a + 0.5) * log1p_square_ratio(s, df);
}

double tc_student_t_cdf(double t, double df)
{
	if (isnan(t) || isnan(df) || !(df > 0.0))
		return NAN;
	if (df >= NORMAL_DF)
		return tc_normal_cdf(t);
	if (t == 0.0)
		return 0.5;
	double tail = t_upper_tail(fabs(t), df);
	return t < 0.0 ? tail : 1.0 - tail;
}

/*
 * The quantile solves one of two equations in s = |t| > 0, each for the
 * probability it keeps accurately: P(T > s) = q in the tails (q < 1/4), and
 * P(|T| < s) = 1 - 2q in the middle, where 1 - 2q is exact and small. Either
 * is written psi(s) = 0 with psi increasing in log s:
 *   tails:  log q - log P(T > s),  middle: log P(|T| < s) - log(1 - 2q).
 * In log-log coordinates both are nearly straight lines where t has its
 * power-law tails, and concave elsewhere, so Newton's method converges from
 * any start; a bracket guards it anyway.
 */
typedef struct t_equation {
	double df;
	int middle;
	double log_target;
} t_equation;

/* psi at s, and its derivative in log s in *slope. */
static double t_equation_at(const t_equation *e, double s, double *slope)
{
	double log_sf = log(s) + t_log_density(s, e->df);
	if (e->middle) {
		double c = t_central(s, e->df);
		*slope = 2.0 * exp(log_sf - log(c));
		return log(c) - e->log_target;
	}
	double g = t_upper_tail(s, e->df);
	*slope = exp(log_sf - log(g));
	return e->log_target - log(g);
}

/*
 * Three starting points; the one closest to solving the equation wins.
 * Cornish and Fisher's expansion of t in the normal quantile z and 1/df
 * (Abramowitz and Stegun 26.7.5), good for large df; the power-law tail
 * P(T > s) ~ x^a / (df B(a, 1/2)), x = df / (df + s^2), good for small df or
 * far tails; and the line P(|T| < s) ~ 2 f(0) s, good near the median.
 */
static double t_quantile_start(const t_equation *e, double q)
{
	double df = e->df, a = 0.5 * df;
	double z = -tc_normal_quantile(q), z2 = z * z;
	double g1 = (z2 + 1.0) * z / 4;
	double g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
	double g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
	double g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160;
	double ratio = gamma_half_ratio(a);
	double cands[3];
	cands[0] = z + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df;
	double log_x = (log(df) + LOG_SQRT_PI - log(ratio) + log(q)) / a;
	cands[1] = log_x < 0.0 ? sqrt(df * expm1(-log_x)) : NAN;
	cands[2] = (1.0 - 2.0 * q) * SQRT_PI * sqrt(df) / (2.0 * ratio);
	double best = NAN, best_dist = INFINITY;
	for (int i = 0; i < 3; i++) {
		double s = fmin(cands[i], DBL_MAX), slope;
		if (!(s > 0.0))
			continue;
		double dist = fabs(t_equation_at(e, s, &slope));
		if (dist < best_dist || isnan(best)) {
			best = s;
			best_dist = dist;
		}
	}
	return isnan(best) ? 1.0 : best;
}

double tc_student_t_quantile(double p, double df)
{
	if (isnan(p) || isnan(df) || !(p > 0.0 && p < 1.0) || !(df > 0.0))
		return NAN;
	if (df >= NORMAL_DF)
		return tc_normal_quantile(p);
	if (p == 0.5)
		return 0.0;
	/* The lower tail probability q, exact: 1 - p is exact for p >= 1/2. */
	double q = p < 0.5 ? p : 1.0 - p;
	double sign = p < 0.5 ? -1.0 : 1.0;
	if (df == 1.0) {
		/* Cauchy: tan(pi (p - 1/2)), as -1 / tan(pi q) in the tails. */
		if (q < 0.25)
			return sign / tan(PI * q);
		return sign * tan(PI * (0.5 - q));
	}
	if (df == 2.0)
		return sign * (1.0 - 2.0 * q) / sqrt(2.0 * q * (1.0 - q));

	t_equation e = {.df = df, .middle = q >= 0.25};
	e.log_target = e.middle ? log(1.0 - 2.0 * q) : log(q);
	double slope;
	/* Beyond the largest double (tiny df, q near 0): infinite. */
	if (t_equation_at(&e, DBL_MAX, &slope) < 0.0)
		return sign * INFINITY;
	double lo = 0.0, hi = DBL_MAX;
	double s = t_quantile_start(&e, q);
	double fallback = 0x1p-8;  /* shrinks s while nothing lies below the root */
	for (int i = 0; i < 200; i++) {
		double psi = t_equation_at(&e, s, &slope);
		if (psi == 0.0)
			break;
		if (psi < 0.0)
			lo = s;
		else
			hi = s;
		double step = -psi / slope;  /* Newton's, in log s */
		double next = s * exp(step);
		/* Quadratic convergence: the step after this one would be ~1e-22. */
		if (fabs(step) <= 1e-11) {
			s = next;
			break;
		}
		if (next > lo && next < hi) {
			s = next;
		} else if (lo > 0.0) {
			s = sqrt(lo) * sqrt(hi);
		} else {
			s *= fallback;
			fallback = fmax(fallback * fallback, 0x1p-64);
		}
	}
	return sign * s;
}

/* ---- intervals ------------------------------------------------------------ */

tc_ci tc_mean_interval(const tc_welford *w, double level)
{
	assert(level > 0.0 && level < 1.0);
	tc_ci ci = {NAN, NAN};
	if (w->n < 2)
		return ci;
	if (w->m2 == 0.0) {
		ci.lo = ci.hi = w->mean;
		return ci;
	}
	double df = (double)(w->n - 1);
	/* The upper quantile 1 - alpha/2 as minus the lower one: alpha/2 is
	 * exact for level >= 1/2, 1 - alpha/2 would be rounded. */
	double t = -tc_student_t_quantile((1.0 - level) / 2.0, df);
	double half = t * sqrt(w->m2 / (df * (double)w->n));
	ci.lo = w->mean - half;
	ci.hi = w->mean + half;
	return ci;
}

tc_ci tc_wilson_interval(uint64_t successes, uint64_t n, double level)
{
	assert(level > 0.0 && level < 1.0);
	assert(successes <= n);
	tc_ci ci = {NAN, NAN};
	if (n == 0)
		return ci;
	double z = -tc_normal_quantile((1.0 - level) / 2.0);
	double nn = (double)n, k = (double)successes, phat = k / nn;
	double z2n = z * z / nn, denom = 1.0 + z2n;
	double center = (phat + z2n / 2.0) / denom;
	/* phat (1 - phat) / n from the counts: 1 - phat would be rounded. */
	double spread = k * (double)(n - successes) / (nn * nn * nn);
	double half = z * sqrt(spread + z2n / (4.0 * nn)) / denom;
	double upper = center + half;
	/*
	 * The bounds are the roots of (phat - pi)^2 = z^2 pi (1 - pi) / n, whose
	 * product is phat^2 / denom: the lower one from it, not as center -
	 * half, which cancels when successes is small.
	 */
	ci.lo = successes == 0 ? 0.0 : phat * phat / (denom * upper);
	ci.hi = successes == n ? 1.0 : fmin(upper, 1.0);
	return ci;
}

/* ---- order statistics ----------------------------------------------------- */

double tc_percentile_sorted(const double *sorted, size_t n, unsigned percent)
{
	assert(percent <= 100);
	if (n == 0)
		return NAN;
	assert(sorted);
	/* ceil(percent * n / 100) without overflow: n = 100 h + r. */
	size_t rank = n / 100 * percent + (n % 100 * percent + 99) / 100;
	if (rank == 0)
		rank = 1;
	return sorted[rank - 1];
}

/* Ascending, and -0 before +0 so that equal values have one order too. */
static int compare_doubles(const void *pa, const void *pb)
{
	double x = *(const double *)pa, y = *(const double *)pb;
	if (x != y)
		return (x > y) - (x < y);
	return (signbit(y) != 0) - (signbit(x) != 0);
}

void tc_sort_doubles(double *values, size_t n)
{
	for (size_t i = 0; i < n; i++)
		assert(!isnan(values[i]));
	if (n > 1)  /* qsort's array may not be NULL, even when empty */
		qsort(values, n, sizeof *values, compare_doubles);
}
