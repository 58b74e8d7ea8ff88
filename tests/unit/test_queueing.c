/*
 * The whole simulator against queueing theory: one actor with c staff on
 * duty 24/7, Poisson arrivals from a repeating inject, exponential handling,
 * load rho = lambda / (c mu) = 0.85. That is an M/M/c queue, whose waiting
 * time in queue is known exactly (Erlang C):
 *
 *   a = lambda / mu,  C(c, a) = P(W > 0)
 *     = [a^c / c! * c / (c - a)] / [sum_{k=0}^{c-1} a^k / k! + a^c / c! * c / (c - a)]
 *   E[W] = C(c, a) / (c mu - lambda)
 *   P(W > t) = C(c, a) exp(-(c mu - lambda) t)      (FIFO)
 *
 * After a warm-up of 10^5 messages, over 10^7 messages for c = 2 and
 * 2 * 10^6 for c = 1 (M/M/1, a second case kept cheap), the test checks the
 * mean wait with a 99.9 % batch-means confidence interval, the tail of the
 * wait distribution at 0, 1, 2 and 4 times the mean wait of those who wait,
 * the order of service (FIFO) and the staff's busy fraction (rho). Records
 * are consumed as they come (no trace: that would be 6 * 10^7 records).
 * Both cases take about 4 s in a Release build, 12 s in a Debug build and
 * 60 s under ASan+UBSan on the development machine (docs/performance.md).
 *
 * The same arrivals are also served by a LIFO queue simulated here, beside the
 * engine: it has the same mean wait and the same P(W > 0) but another tail,
 * and the test checks that the tail test rejects it, so that the tail test is
 * known to be able to fail.
 *
 * Units and rounding. Times are integer milliseconds. The exercise may last
 * at most 366 days, and 10^7 arrivals must fit in it, so the mean gap between
 * arrivals is 3 s, and handling takes 5.1 s on average for c = 2 (2.55 s for
 * c = 1): both give rho = 0.85 exactly and a mean wait of those who wait of
 * 1 / (c mu - lambda) = 17 s. Rounding each drawn duration to the nearest
 * millisecond changes its mean by less than 1 / (12 * 2550) ms (relative
 * 1e-8) and P(W > 0) by about the chance that a wait is under 1 ms,
 * C / 17000 = 5e-5 at most: both are far below the statistical errors
 * (1e-3 relative on the mean, 1e-3 absolute on the probabilities).
 */
#include "test_support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/alloc.h"
#include "core/dist.h"
#include "core/error.h"

enum {
	BATCHES = 100,           /* batch means: 100 batches, 99 degrees of freedom */
	TAIL_POINTS = 4,
};

/* Thresholds of the tail test, in units of the mean wait of those who wait. */
static const double tail_k[TAIL_POINTS] = {0, 1, 2, 4};

/* The seed, picked once: the test is deterministic. */
static const uint64_t SEED = 20240611;
static const uint64_t WARMUP = 100000;        /* messages discarded from the start */
static const double MEAN_GAP = 3000.0;        /* ms between arrivals: lambda = 1/3000 per ms */

/* ---- theory ---- */

/* Erlang's C formula: the probability that an arrival waits in M/M/c with
 * offered load a = lambda / mu < c. The terms a^k / k! are built up one
 * factor at a time, so nothing overflows for a realistic c. */
static double erlang_c(int c, double a)
{
	double term = 1.0, below = 0.0;        /* term = a^k / k! */
	for (int k = 0; k < c; k++) {
		below += term;
		term *= a / (k + 1);
	}
	double top = term * c / (c - a);       /* a^c / c! * c / (c - a) */
	return top / (below + top);
}

/*
 * The Student t quantile t_{p, nu} for large nu, by the Cornish-Fisher
 * expansion of Abramowitz and Stegun 26.7.5 around the normal quantile
 * x = z_p:
 *   t = x + g1/nu + g2/nu^2 + g3/nu^3 + g4/nu^4,
 *   g1 = (x^3 + x) / 4
 *   g2 = (5x^5 + 16x^3 + 3x) / 96
 *   g3 = (3x^7 + 19x^5 + 17x^3 - 15x) / 384
 *   g4 = (79x^9 + 776x^7 + 1482x^5 - 1920x^3 - 945x) / 92160
 * For p = 0.9995 it gives t_{0.9995, 99} = 3.39153, the value the 99.9 %
 * intervals of 100 batches use; helpers_known_answers checks it against
 * the tables (3.460 at 60, 3.390 at 100, 3.373 at 120 degrees of freedom).
 */
static double student_t_quantile(double p, double nu)
{
	double x = tc_normal_quantile(p), x2 = x * x;
	double g1 = (x2 + 1) * x / 4;
	double g2 = ((5 * x2 + 16) * x2 + 3) * x / 96;
	double g3 = (((3 * x2 + 19) * x2 + 17) * x2 - 15) * x / 384;
	double g4 = ((((79 * x2 + 776) * x2 + 1482) * x2 - 1920) * x2 - 945) * x / 92160;
	return x + (g1 + (g2 + (g3 + g4 / nu) / nu) / nu) / nu;
}

/* One M/M/c case, in milliseconds. */
typedef struct mmc {
	int c;
	uint64_t batch;           /* messages per batch */
	double mean_handling;     /* 1 / mu */
	double erlang_c;          /* P(W > 0) */
	double decay;             /* c mu - lambda, per ms */
	double mean_wait;         /* E[W] = C / (c mu - lambda) */
} mmc;

static mmc mmc_make(int c, double mean_handling, uint64_t batch)
{
	mmc q = {.c = c, .batch = batch, .mean_handling = mean_handling};
	double lambda = 1.0 / MEAN_GAP, mu = 1.0 / mean_handling;
	q.erlang_c = erlang_c(c, lambda / mu);
	q.decay = c * mu - lambda;
	q.mean_wait = q.erlang_c / q.decay;
	return q;
}

/* ---- statistics of the waits, per batch ---- */

typedef struct wait_stats {
	double sum[BATCHES];
	uint64_t n[BATCHES];
	uint64_t over[TAIL_POINTS][BATCHES];   /* waits > tail_k * (1 / decay) */
} wait_stats;

static void wait_add(wait_stats *w, const mmc *q, uint64_t id, double wait)
{
	if (id <= WARMUP || id > WARMUP + BATCHES * q->batch)
		return;
	size_t b = (size_t)((id - WARMUP - 1) / q->batch);
	w->sum[b] += wait;
	w->n[b]++;
	for (int k = 0; k < TAIL_POINTS; k++)
		w->over[k][b] += wait > tail_k[k] / q->decay;
}

/* Mean and standard error of the batch values x[0..BATCHES). */
static void batch_mean_se(const double *x, double *mean, double *se)
{
	double m = 0, ss = 0;
	for (int b = 0; b < BATCHES; b++)
		m += x[b];
	m /= BATCHES;
	for (int b = 0; b < BATCHES; b++)
		ss += (x[b] - m) * (x[b] - m);
	*mean = m;
	*se = sqrt(ss / (BATCHES - 1) / BATCHES);
}

typedef struct verdict {
	int mean_ok;
	int tail_ok[TAIL_POINTS];
} verdict;

/*
 * The mean wait: 100 batches of 100 000 consecutive messages each are far
 * longer than the queue's memory (its relaxation time at rho = 0.85 is a few
 * hundred arrivals), so the batch means are nearly independent and nearly
 * normal; the 99.9 % interval is mean +- t_{0.9995, 99} * s / sqrt(100).
 *
 * The tail: P(W > t) is estimated by the fraction p^ of the n measured
 * messages that waited longer than t. Were the waits independent, p^ would
 * be binomial with standard error sqrt(p (1 - p) / n) (p the expected value).
 * Successive waits are strongly correlated (a message that waits long is
 * followed by others that wait long), which inflates the variance of p^ by
 * the integrated autocorrelation time of the indicator, here a factor of
 * 10 to 100. The batches measure that inflation: the standard error used is
 * the larger of the binomial one and the batch-means one (the binomial error
 * times the square root of the measured inflation), and the tolerance is
 * t_{0.9995, 99} times it, the same 99.9 % as for the mean.
 */
static verdict wait_check(const char *label, const mmc *q, const wait_stats *w, double t999)
{
	verdict v;
	double x[BATCHES], mean, se;
	uint64_t n = 0;
	for (int b = 0; b < BATCHES; b++) {
		assert_int_equal(w->n[b], q->batch);
		x[b] = w->sum[b] / (double)w->n[b];
		n += w->n[b];
	}
	batch_mean_se(x, &mean, &se);
	v.mean_ok = fabs(mean - q->mean_wait) <= t999 * se;
	print_message("%s c=%d  mean wait %.1f ms, 99.9%% CI [%.1f, %.1f], Erlang C %.1f ms: %s\n",
	              label, q->c, mean, mean - t999 * se, mean + t999 * se, q->mean_wait,
	              v.mean_ok ? "ok" : "REJECTED");
	for (int k = 0; k < TAIL_POINTS; k++) {
		uint64_t over = 0;
		for (int b = 0; b < BATCHES; b++) {
			over += w->over[k][b];
			x[b] = (double)w->over[k][b] / (double)w->n[b];
		}
		double p = q->erlang_c * exp(-tail_k[k]);
		double binom = sqrt(p * (1 - p) / (double)n), batch;
		batch_mean_se(x, &mean, &batch);
		double tol = t999 * fmax(binom, batch);
		double observed = (double)over / (double)n;
		v.tail_ok[k] = fabs(observed - p) <= tol;
		print_message("%s c=%d  P(W > %g/(c mu - lambda)) = %.5f, expected %.5f, tolerance %.5f "
		              "(binomial SE %.6f, variance inflation %.1f): %s\n",
		              label, q->c, tail_k[k], observed, p, tol, binom,
		              (batch / binom) * (batch / binom), v.tail_ok[k] ? "ok" : "REJECTED");
	}
	return v;
}

/* ---- a LIFO queue beside the engine, fed the same arrivals ---- */

typedef struct lifo_wait {
	double arrived;
	uint64_t id;
} lifo_wait;

typedef struct lifo_shadow {
	const mmc *q;
	double free_at[8];        /* when each server is next free */
	lifo_wait *stack;
	size_t depth, cap;
	uint64_t random;          /* splitmix64 state */
	wait_stats waits;
	int failed;
} lifo_shadow;

/* Exponential service times from splitmix64 (Steele, Lea and Flood, 2014):
 * independent of the engine's draws, and cheap under the sanitizers. */
static double lifo_service(lifo_shadow *l)
{
	uint64_t z = (l->random += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	z ^= z >> 31;
	double u = ((double)(z >> 11) + 0.5) * 0x1p-53;
	return -l->q->mean_handling * log1p(-u);
}

static int lifo_next_free(const lifo_shadow *l)
{
	int s = 0;
	for (int i = 1; i < l->q->c; i++)
		if (l->free_at[i] < l->free_at[s])
			s = i;
	return s;
}

/* Serve the newest waiting message whenever a server frees up before now. */
static void lifo_advance(lifo_shadow *l, double now)
{
	for (;;) {
		int s = lifo_next_free(l);
		if (l->depth == 0 || l->free_at[s] > now)
			return;
		lifo_wait top = l->stack[--l->depth];
		wait_add(&l->waits, l->q, top.id, l->free_at[s] - top.arrived);
		l->free_at[s] += lifo_service(l);
	}
}

static void lifo_arrive(lifo_shadow *l, double now, uint64_t id)
{
	lifo_advance(l, now);
	int s = lifo_next_free(l);
	if (l->free_at[s] <= now) {
		wait_add(&l->waits, l->q, id, 0);
		l->free_at[s] = now + lifo_service(l);
		return;
	}
	if (l->depth == l->cap &&
	    tc_grow(tc_alloc_default(), (void **)&l->stack, &l->cap, l->depth + 1, sizeof *l->stack)) {
		l->failed = 1;
		return;
	}
	l->stack[l->depth++] = (lifo_wait){now, id};
}

/* ---- the probe: a sink that measures the run as it goes ---- */

typedef struct probe {
	const mmc *q;
	wait_stats fifo;
	uint64_t next_start;      /* FIFO: the id the next handling-started must carry */
	uint64_t order_errors, split_errors, handled, delivered;
	/* The busy fraction, per batch window: window b runs from the arrival of
	 * batch b's first message to that of batch b + 1's first message. */
	int busy, window;
	tc_time last_time;
	double area[BATCHES];
	tc_time window_start[BATCHES + 1];
	lifo_shadow lifo;
} probe;

static int probe_record(void *ud, const tc_run *run, const tc_record *rec)
{
	(void)run;
	probe *p = ud;
	if (rec->type != TC_REC_MESSAGE_DELIVERED && rec->type != TC_REC_HANDLING_STARTED &&
	    rec->type != TC_REC_MESSAGE_HANDLED)
		return 0;
	if (p->window >= 0 && p->window < BATCHES)
		p->area[p->window] += (double)p->busy * (double)(rec->time - p->last_time);
	p->last_time = rec->time;
	switch (rec->type) {
	case TC_REC_MESSAGE_DELIVERED:
		p->delivered++;
		if (rec->message > WARMUP && (rec->message - WARMUP - 1) % p->q->batch == 0) {
			p->window = (int)((rec->message - WARMUP - 1) / p->q->batch);
			if (p->window <= BATCHES)
				p->window_start[p->window] = rec->time;
		}
		lifo_arrive(&p->lifo, (double)rec->time, rec->message);
		break;
	case TC_REC_HANDLING_STARTED:
		p->busy++;
		p->order_errors += rec->message != p->next_start;
		p->next_start = rec->message + 1;
		break;
	default:
		p->busy--;
		p->handled++;
		p->split_errors += rec->wait_hold != 0 || rec->wait_channel != 0 ||
		                   rec->wait_off_hours != 0;
		wait_add(&p->fifo, p->q, rec->message, (double)rec->wait_queue);
		break;
	}
	return 0;
}

static const char *scenario_text(int c, double mean_handling, uint64_t count)
{
	static char text[2048];
	snprintf(text, sizeof text,
	         "exercise:\n"
	         "  name: M/M/%d at load 0.85\n"
	         "  start: 2024-01-01T00:00:00Z\n"
	         "  duration: 366d\n"
	         "actors:\n"
	         "  - id: desk\n"
	         "    level: technical\n"
	         "    staff: %d\n"
	         "    handling:\n"
	         "      default: {dist: exponential, mean: %.0fms}\n"
	         "incidents:\n"
	         "  - id: stream\n"
	         "    required: [desk]\n"
	         "injects:\n"
	         "  - id: arrivals\n"
	         "    at: 0\n"
	         "    to: desk\n"
	         "    kind: info\n"
	         "    repeat: {every: {dist: exponential, mean: %.0fms}, count: %llu}\n",
	         c, c, mean_handling, MEAN_GAP, (unsigned long long)count);
	return text;
}

static void check_mmc(int c, double mean_handling, uint64_t batch)
{
	assert_true(c >= 1 && c <= 8); /* lifo_shadow.free_at */
	mmc q = mmc_make(c, mean_handling, batch);
	assert_true(fabs(1.0 / MEAN_GAP / (c / mean_handling) - 0.85) < 1e-12);
	double t999 = student_t_quantile(0.9995, BATCHES - 1);

	/* The warm-up, the measured messages and one more that closes the last
	 * busy-fraction window. */
	uint64_t count = WARMUP + BATCHES * batch + 1;
	tc_scenario *s = test_scenario("queueing.yaml", scenario_text(c, mean_handling, count));

	probe *p = calloc(1, sizeof *p);
	assert_non_null(p);
	p->q = &q;
	p->next_start = 1;
	p->window = -1;
	p->lifo.q = &q;
	p->lifo.random = SEED;

	tc_run_options opt = {.seed = SEED, .until = TC_TIME_NEVER};
	tc_sink sink = {probe_record, p};
	tc_run *run = NULL;
	assert_int_equal(tc_run_new(&run, tc_alloc_default(), s, &opt, &sink), TC_OK);
	assert_int_equal(tc_run_execute(run), TC_OK);
	const tc_run_stats *st = tc_run_stats_of(run);
	/* Every message arrived and was handled before the end of the exercise. */
	assert_string_equal(st->end_reason, "duration");
	assert_int_equal(st->messages, count);
	assert_int_equal(p->delivered, count);
	assert_int_equal(p->handled, count);
	assert_int_equal(p->busy, 0);
	assert_int_equal(p->order_errors, 0);
	assert_int_equal(p->split_errors, 0);
	tc_run_free(run);
	tc_scenario_free(s);
	lifo_advance(&p->lifo, INFINITY);
	assert_false(p->lifo.failed);
	assert_int_equal(p->lifo.depth, 0);

	verdict fifo = wait_check("engine", &q, &p->fifo, t999);

	/* The busy fraction, with a batch-means interval over the windows. */
	double util[BATCHES], area = 0, mean, se;
	for (int b = 0; b < BATCHES; b++) {
		tc_time len = p->window_start[b + 1] - p->window_start[b];
		assert_true(len > 0);
		util[b] = p->area[b] / (c * (double)len);
		area += p->area[b];
	}
	batch_mean_se(util, &mean, &se);
	double busy = area / (c * (double)(p->window_start[BATCHES] - p->window_start[0]));
	int util_ok = fabs(busy - 0.85) <= t999 * se;
	print_message("engine c=%d  busy fraction %.5f, tolerance %.5f, expected 0.85: %s\n", c, busy,
	              t999 * se, util_ok ? "ok" : "REJECTED");

	verdict lifo = wait_check("LIFO  ", &q, &p->lifo.waits, t999);
	tc_free(tc_alloc_default(), p->lifo.stack, p->lifo.cap * sizeof *p->lifo.stack);
	free(p);

	int fifo_ok = fifo.mean_ok && util_ok;
	for (int k = 0; k < TAIL_POINTS; k++)
		fifo_ok &= fifo.tail_ok[k];
	if (!fifo_ok)
		fail_msg("M/M/%d: the engine disagrees with Erlang C (figures above)", c);
	/* LIFO: same mean, same chance of waiting, another tail, which the tail
	 * test must reject at every t > 0. */
	if (!lifo.mean_ok || !lifo.tail_ok[0] || lifo.tail_ok[1] || lifo.tail_ok[2] ||
	    lifo.tail_ok[3])
		fail_msg("M/M/%d: the tail test does not tell LIFO from FIFO (figures above)", c);
}

static void helpers_known_answers(void **state)
{
	(void)state;
	/* M/M/1: C(1, a) = a. */
	assert_true(fabs(erlang_c(1, 0.85) - 0.85) < 1e-15);
	/* M/M/2, a = 1.7, by hand: a^2/2 * 2/(2 - a) = 289/30, 1 + a = 81/30,
	 * C = 289 / 370. */
	assert_true(fabs(erlang_c(2, 1.7) - 289.0 / 370.0) < 1e-15);
	/* Erlang C tables (e.g. c = 10, a = 8: C = 0.4092). */
	assert_true(fabs(erlang_c(10, 8.0) - 0.4092) < 5e-5);
	/* Two-sided 99.9 % Student t values, as printed in the usual tables. */
	assert_true(fabs(student_t_quantile(0.9995, 60) - 3.460) < 5e-4);
	assert_true(fabs(student_t_quantile(0.9995, 100) - 3.390) < 5e-4);
	assert_true(fabs(student_t_quantile(0.9995, 120) - 3.373) < 5e-4);
	/* The value the intervals use: t_{0.9995, 99} = 3.3915 (exact 3.391529). */
	assert_true(fabs(student_t_quantile(0.9995, 99) - 3.391529) < 1e-5);
}

static void mm2_matches_erlang_c(void **state)
{
	(void)state;
	check_mmc(2, 5100.0, 100000);
}

static void mm1_matches_erlang_c(void **state)
{
	(void)state;
	check_mmc(1, 2550.0, 20000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(helpers_known_answers),
		cmocka_unit_test(mm2_matches_erlang_c),
		cmocka_unit_test(mm1_matches_erlang_c),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
