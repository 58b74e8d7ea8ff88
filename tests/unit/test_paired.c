/*
 * The paired comparison of two sweeps read back from their
 * replications.csv, on small files with hand-computed answers: paired
 * differences over the replications both sides reached, the chance of
 * being reached, flags, labels, figures of one side only, identical sides
 * (exact zeros, no interval from a zero variance), the memory budget, every
 * error with its file and line, and allocation failure.
 */
#include "test_support.h"

#include <math.h>
#include <string.h>

#include "analysis/paired.h"
#include "core/error.h"

static const tc_figure figures_a[] = {
	{.name = "cop_ms", .kind = TC_FIGURE_TIME, .headline = 1},
	{.name = "lost", .kind = TC_FIGURE_COUNT},
	{.name = "met", .kind = TC_FIGURE_FLAG},
	{.name = "always", .kind = TC_FIGURE_FLAG},
	{.name = "bottleneck", .kind = TC_FIGURE_LABEL},
	{.name = "utilisation", .kind = TC_FIGURE_RATIO},
	{.name = "x", .kind = TC_FIGURE_TIME},
	{.name = "only_a_ms", .kind = TC_FIGURE_TIME},
};
static const tc_figure figures_b[] = {
	{.name = "only_b", .kind = TC_FIGURE_COUNT},
	{.name = "cop_ms", .kind = TC_FIGURE_TIME},
	{.name = "lost", .kind = TC_FIGURE_COUNT},
	{.name = "met", .kind = TC_FIGURE_FLAG},
	{.name = "always", .kind = TC_FIGURE_FLAG},
	{.name = "bottleneck", .kind = TC_FIGURE_LABEL},
	{.name = "utilisation", .kind = TC_FIGURE_RATIO},
	{.name = "x", .kind = TC_FIGURE_COUNT},
};

/* cop: both reached in replications 0, 1, 4 and 5 (differences -2, -5, -7,
 * -6); A only in 3, B only in 2. lost and utilisation: the same on both
 * sides (utilisation absent in replication 2 on both). met: B meets it in
 * replication 1 where A does not. always: A never, B always. */
static const char rows_a[] =
	"replication,cop_ms,lost,met,always,bottleneck,utilisation,x,only_a_ms\n"
	"0,10,0,1,0,anssi,0.5,1,5\n"
	"1,20,1,0,0,cert,0.25,1,5\n"
	"2,,0,0,0,anssi,,1,5\n"
	"3,30,2,1,0,,0.5,1,5\n"
	"4,40,0,1,0,anssi,0.5,1,5\n"
	"5,50,1,1,0,cert,0.5,1,5\n";
static const char rows_b[] =
	"replication,only_b,cop_ms,lost,met,always,bottleneck,utilisation,x\n"
	"0,7,8,0,1,1,anssi,0.5,2\n"
	"1,7,15,1,1,1,cert,0.25,2\n"
	"2,7,12,0,0,1,anssi,,2\n"
	"3,7,,2,1,1,anssi,0.5,2\n"
	"4,7,33,0,1,1,cert,0.5,2\n"
	"5,7,44,1,1,1,cert,0.5,2\n";

/* Student t quantiles at 0.975 (tables). */
#define T_3 3.1824463052842638
#define T_5 2.5705818356363146

static int compare_files(tc_paired *p, tc_alloc *a, const char *text_a, const char *text_b,
                         size_t budget, char *err, size_t errlen)
{
	static char path_a[4096], path_b[4096];
	snprintf(path_a, sizeof path_a, "%s", test_write_temp("a.csv", text_a));
	snprintf(path_b, sizeof path_b, "%s", test_write_temp("b.csv", text_b));
	tc_paired_side sa = {path_a, figures_a, sizeof figures_a / sizeof figures_a[0]};
	tc_paired_side sb = {path_b, figures_b, sizeof figures_b / sizeof figures_b[0]};
	return tc_paired_read(p, a, &sa, &sb, budget, err, errlen);
}

static void read_good(tc_paired *p, size_t budget)
{
	char err[512] = "";
	if (compare_files(p, tc_alloc_default(), rows_a, rows_b, budget, err, sizeof err))
		fail_msg("%s", err);
}

static const tc_paired_figure *find(const tc_paired *p, const char *name)
{
	for (size_t i = 0; i < p->figure_count; i++)
		if (strcmp(p->figures[i].name, name) == 0)
			return &p->figures[i];
	fail_msg("no figure %s", name);
	return NULL;
}

static void near(double got, double want)
{
	if (!(fabs(got - want) < 1e-9))
		fail_msg("got %.17g, expected %.17g", got, want);
}

static void test_differences(void **state)
{
	(void)state;
	tc_paired p;
	read_good(&p, 0);
	assert_int_equal(p.replications, 6);
	assert_int_equal(p.first_replication, 0);
	assert_int_equal(p.last_replication, 5);
	assert_false(p.identical);
	/* In A's order; x differs in kind, so it is of one side only on both. */
	assert_int_equal(p.figure_count, 6);
	assert_string_equal(p.figures[0].name, "cop_ms");
	assert_string_equal(p.figures[5].name, "utilisation");
	assert_int_equal(p.only_a_count, 2);
	assert_string_equal(p.only_a[0], "x");
	assert_string_equal(p.only_a[1], "only_a_ms");
	assert_int_equal(p.only_b_count, 2);
	assert_string_equal(p.only_b[0], "only_b");
	assert_string_equal(p.only_b[1], "x");

	/* cop: each side alone, then B - A over the four replications both
	 * reached: -2, -5, -7, -6; mean -5, squared deviations 9 + 0 + 4 + 1. */
	const tc_paired_figure *cop = find(&p, "cop_ms");
	assert_true(cop->headline);
	assert_int_equal(cop->a.n, 6);
	assert_int_equal(cop->a.reached, 5);
	assert_true(cop->a.mean == 30 && cop->a.min == 10 && cop->a.max == 50);
	assert_int_equal(cop->b.reached, 5);
	near(cop->b.mean, 112.0 / 5);
	assert_true(cop->b.p50 == 15);
	assert_int_equal(cop->value.pairs, 4);
	assert_true(cop->value.mean == -5);
	near(cop->value.sd, sqrt(14.0 / 3));
	double half = T_3 * sqrt(14.0 / 3) / 2;
	near(cop->value.ci.lo, -5 - half);
	near(cop->value.ci.hi, -5 + half);
	assert_true(cop->value.significant); /* -5 + 3.44 < 0 */
	assert_false(cop->value.zero);
	/* Reached: +1 in replication 2, -1 in 3, 0 elsewhere. */
	assert_int_equal(cop->reached.pairs, 6);
	assert_true(cop->reached.mean == 0);
	near(cop->reached.sd, sqrt(2.0 / 5));
	assert_false(cop->reached.significant);
	assert_int_equal(cop->a_only, 1);
	assert_int_equal(cop->b_only, 1);
	assert_int_equal(cop->same, 0);
	assert_false(cop->identical);

	/* lost and utilisation: the same everywhere, absent values included. */
	const char *const same[] = {"lost", "utilisation"};
	for (size_t i = 0; i < 2; i++) {
		const tc_paired_figure *f = find(&p, same[i]);
		assert_true(f->identical);
		assert_int_equal(f->same, 6);
		assert_true(f->value.zero);
		assert_true(f->value.mean == 0 && f->value.sd == 0);
		assert_true(f->value.ci.lo == 0 && f->value.ci.hi == 0);
		assert_false(f->value.significant);
	}
	assert_int_equal(find(&p, "utilisation")->value.pairs, 5);
	assert_int_equal(find(&p, "lost")->value.pairs, 6);

	/* met: 4 of 6 on A, 5 of 6 on B; differences 0 1 0 0 0 0: mean 1/6,
	 * squared deviations 25/36 + 5/36, variance 1/6. */
	const tc_paired_figure *met = find(&p, "met");
	assert_int_equal(met->a.reached, 4);
	assert_int_equal(met->b.reached, 5);
	assert_true(met->a.reached_ci.lo > 0.2 && met->a.reached_ci.hi < 0.97);
	assert_int_equal(met->value.pairs, 6);
	near(met->value.mean, 1.0 / 6);
	near(met->value.sd, sqrt(1.0 / 6));
	near(met->value.ci.lo, 1.0 / 6 - T_5 * sqrt(1.0 / 6) / sqrt(6));
	assert_false(met->value.significant);
	assert_int_equal(met->a_only, 0);
	assert_int_equal(met->b_only, 1);
	assert_int_equal(met->same, 5);

	/* always: 0 on A, 1 on B in every replication: every difference is 1,
	 * the spread 0 and the interval [1, 1], which excludes 0. */
	const tc_paired_figure *always = find(&p, "always");
	assert_true(always->value.mean == 1 && always->value.sd == 0);
	assert_true(always->value.ci.lo == 1 && always->value.ci.hi == 1);
	assert_true(always->value.significant);
	assert_false(always->value.zero);
	assert_int_equal(always->b_only, 6);

	/* bottleneck: anssi 3 + 3, cert 2 + 3; one empty on A. */
	const tc_paired_figure *bn = find(&p, "bottleneck");
	assert_int_equal(bn->label_count, 2);
	assert_string_equal(bn->labels[0].value, "anssi");
	assert_int_equal(bn->labels[0].a, 3);
	assert_int_equal(bn->labels[0].b, 3);
	assert_string_equal(bn->labels[1].value, "cert");
	assert_int_equal(bn->labels[1].a, 2);
	assert_int_equal(bn->labels[1].b, 3);
	assert_int_equal(bn->a.reached, 5);
	assert_int_equal(bn->b.reached, 6);
	assert_int_equal(bn->same, 4);
	assert_false(bn->identical);
	tc_paired_release(&p);
}

static void test_identical_sides(void **state)
{
	(void)state;
	/* The same rows on both sides, as two runs of one doctrine with common
	 * random numbers give. */
	static const char rows[] =
		"replication,only_b,cop_ms,lost,met,always,bottleneck,utilisation,x\n"
		"3,1,100,0,1,0,anssi,0.5,2\n"
		"4,1,,0,0,0,,0.25,2\n"
		"7,1,300,2,1,0,cert,,2\n";
	char err[512] = "";
	const char *pa = test_write_temp("same-a.csv", rows);
	char path_a[4096];
	snprintf(path_a, sizeof path_a, "%s", pa);
	const char *path_b = test_write_temp("same-b.csv", rows);
	size_t n = sizeof figures_b / sizeof figures_b[0];
	tc_paired_side sa = {path_a, figures_b, n}, sb = {path_b, figures_b, n};
	tc_paired p;
	if (tc_paired_read(&p, tc_alloc_default(), &sa, &sb, 0, err, sizeof err))
		fail_msg("%s", err);
	assert_true(p.identical);
	assert_int_equal(p.first_replication, 3);
	assert_int_equal(p.last_replication, 7);
	assert_int_equal(p.figure_count, n);
	for (size_t i = 0; i < p.figure_count; i++) {
		const tc_paired_figure *f = &p.figures[i];
		assert_true(f->identical);
		assert_int_equal(f->same, 3);
		assert_false(f->value.significant);
		assert_false(f->reached.significant);
		if (f->kind == TC_FIGURE_LABEL)
			continue;
		assert_true(f->value.zero);
		assert_true(f->value.mean == 0 && f->value.sd == 0);
		assert_true(f->value.ci.lo == 0 && f->value.ci.hi == 0);
	}
	/* cop: two pairs; "always" is 0 everywhere: still exactly 0. */
	const tc_paired_figure *cop = find(&p, "cop_ms");
	assert_int_equal(cop->value.pairs, 2);
	assert_true(cop->reached.zero);
	tc_paired_release(&p);

	/* One replication: a difference but no interval. */
	static const char one[] =
		"replication,only_b,cop_ms,lost,met,always,bottleneck,utilisation,x\n"
		"0,1,100,0,1,0,anssi,0.5,2\n";
	static const char one_b[] =
		"replication,only_b,cop_ms,lost,met,always,bottleneck,utilisation,x\n"
		"0,1,90,0,1,0,anssi,0.5,2\n";
	snprintf(path_a, sizeof path_a, "%s", test_write_temp("one-a.csv", one));
	path_b = test_write_temp("one-b.csv", one_b);
	sa.path = path_a;
	sb.path = path_b;
	if (tc_paired_read(&p, tc_alloc_default(), &sa, &sb, 0, err, sizeof err))
		fail_msg("%s", err);
	cop = find(&p, "cop_ms");
	assert_true(cop->value.mean == -10);
	assert_true(isnan(cop->value.sd) && isnan(cop->value.ci.lo) && isnan(cop->value.ci.hi));
	assert_false(cop->value.significant);
	/* lost: one pair, exactly 0: [0, 0] all the same. */
	assert_true(find(&p, "lost")->value.ci.lo == 0 && find(&p, "lost")->value.sd == 0);
	assert_false(p.identical);
	tc_paired_release(&p);
}

static int same_diff(const tc_paired_diff *a, const tc_paired_diff *b)
{
	return a->pairs == b->pairs && memcmp(&a->mean, &b->mean, sizeof a->mean) == 0 &&
	       memcmp(&a->sd, &b->sd, sizeof a->sd) == 0 &&
	       memcmp(&a->ci, &b->ci, sizeof a->ci) == 0 && a->significant == b->significant;
}

static void test_budget_gives_the_same(void **state)
{
	(void)state;
	tc_paired whole, narrow;
	read_good(&whole, 0);
	read_good(&narrow, 1); /* one column per pass */
	assert_int_equal(whole.figure_count, narrow.figure_count);
	for (size_t i = 0; i < whole.figure_count; i++) {
		const tc_paired_figure *x = &whole.figures[i], *y = &narrow.figures[i];
		assert_true(same_diff(&x->value, &y->value));
		assert_true(same_diff(&x->reached, &y->reached));
		assert_true(memcmp(&x->a.mean, &y->a.mean, 8 * sizeof(double)) == 0);
		assert_true(memcmp(&x->b.mean, &y->b.mean, 8 * sizeof(double)) == 0);
		assert_int_equal(x->same, y->same);
		assert_int_equal(x->label_count, y->label_count);
	}
	tc_paired_release(&whole);
	tc_paired_release(&narrow);
}

/* err with the temporary files' directory and prefix cut: "a.csv:3: ...". */
static const char *short_names(const char *err)
{
	static char out[512];
	size_t k = 0;
	for (const char *s = err; *s && k + 1 < sizeof out;) {
		const char *name = strstr(s, "tocsin-test-");
		if (name == s) {
			while (*s && *s != '-')
				s++;
			s += strlen("-test-");
			while (*s >= '0' && *s <= '9')
				s++;
			s++; /* the '-' before the name */
			continue;
		}
		out[k++] = *s++;
	}
	out[k] = '\0';
	/* The directory before it. */
	char *slash;
	while ((slash = strchr(out, '/')) != NULL) {
		char *start = slash;
		while (start > out && start[-1] != ' ')
			start--;
		memmove(start, slash + 1, strlen(slash + 1) + 1);
	}
	return out;
}

static void expect_error(const char *text_a, const char *text_b, const char *message)
{
	char err[512] = "";
	tc_paired p;
	int rc = compare_files(&p, tc_alloc_default(), text_a, text_b, 0, err, sizeof err);
	assert_int_equal(rc, TC_EINVAL);
	const char *got = short_names(err);
	if (strcmp(got, message) != 0)
		fail_msg("got '%s', expected '%s'", got, message);
}

static void test_errors(void **state)
{
	(void)state;
	const char *ha = "replication,cop_ms,lost,met,always,bottleneck,utilisation,x,only_a_ms\n";
	const char *hb = "replication,only_b,cop_ms,lost,met,always,bottleneck,utilisation,x\n";
	char a[512], b[512];
	snprintf(a, sizeof a, "%s0,1,0,1,0,x,0.5,1,1\n1,1,0,1,0,x,0.5,1,1\n", ha);
	snprintf(b, sizeof b, "%s0,1,1,0,1,0,x,0.5,1\n", hb);
	expect_error(a, b, "a.csv:3: b.csv has no row for this one: both sides must have the "
	                   "same replications");
	expect_error(a, a, "b.csv:1: column 2 is 'cop_ms', expected 'only_b'");
	snprintf(b, sizeof b, "%s0,1,1,0,1,0,x,0.5,1\n2,1,1,0,1,0,x,0.5,1\n", hb);
	expect_error(a, b, "b.csv:3: replication 2 where a.csv has 1: both sides must have the "
	                   "same replications");
	snprintf(b, sizeof b, "%s0,1,1,0,1,0,x,0.5,1\n1,1,1,0,7,0,x,0.5,1\n", hb);
	expect_error(a, b, "b.csv:3: met: expected a flag, got '7'");
	snprintf(b, sizeof b, "%s0,1,1,0,1,0,x,0.5,1\n1,1,1,0,1,0,x,0.5\n", hb);
	expect_error(a, b, "b.csv:3: expected 9 fields, found 8");
	snprintf(a, sizeof a, "%s1,1,0,1,0,x,0.5,1,1\n1,1,0,1,0,x,0.5,1,1\n", ha);
	snprintf(b, sizeof b, "%s1,1,1,0,1,0,x,0.5,1\n1,1,1,0,1,0,x,0.5,1\n", hb);
	expect_error(a, b, "a.csv:3: replication 1 after 1: expected increasing replications");
	expect_error(ha, hb, "a.csv:1: no replications after the header");
	expect_error("", hb, "a.csv: empty file: expected the header of replications.csv");
}

static void test_missing_file_and_duplicates(void **state)
{
	(void)state;
	char err[512] = "";
	tc_paired p;
	tc_paired_side sa = {"/nonexistent/a/replications.csv", figures_a, 1};
	tc_paired_side sb = {"/nonexistent/b/replications.csv", figures_a, 1};
	assert_int_equal(tc_paired_read(&p, tc_alloc_default(), &sa, &sb, 0, err, sizeof err),
	                 TC_EIO);
	assert_non_null(strstr(err, "cannot open /nonexistent/a/replications.csv"));
	static const tc_figure twice[] = {{.name = "n", .kind = TC_FIGURE_COUNT},
	                                  {.name = "n", .kind = TC_FIGURE_COUNT}};
	char path[4096];
	snprintf(path, sizeof path, "%s", test_write_temp("twice.csv", "replication,n,n\n0,1,1\n"));
	sa = (tc_paired_side){path, twice, 2};
	sb = sa;
	assert_int_equal(tc_paired_read(&p, tc_alloc_default(), &sa, &sb, 0, err, sizeof err),
	                 TC_EINVAL);
	assert_non_null(strstr(err, "twice.csv: the column 'n' twice"));
}

static void test_allocation_failure(void **state)
{
	(void)state;
	int succeeded = 0;
	for (long k = 0; !succeeded && k < 10000; k++) {
		for (size_t budget = 0; budget < 2; budget++) {
			tc_failing_alloc fa;
			tc_failing_alloc_init(&fa, k);
			char err[512] = "";
			tc_paired p;
			int rc = compare_files(&p, &fa.alloc, rows_a, rows_b, budget, err, sizeof err);
			if (rc == TC_OK) {
				succeeded = 1;
				assert_int_equal(p.figure_count, 6);
				tc_paired_release(&p);
			} else {
				assert_int_equal(rc, TC_ENOMEM);
				assert_string_equal(err, "out of memory");
			}
			assert_int_equal(fa.live_blocks, 0);
		}
	}
	assert_true(succeeded);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_differences),
		cmocka_unit_test(test_identical_sides),
		cmocka_unit_test(test_budget_gives_the_same),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_missing_file_and_duplicates),
		cmocka_unit_test(test_allocation_failure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
