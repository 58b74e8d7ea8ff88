/*
 * The statistics of a sweep read back from replications.csv, on small
 * files with hand-computed answers: blocks, values not reached, flags,
 * labels, the memory budget (one column at a time gives the same figures),
 * every malformed-file error with its line, and allocation failure.
 */
#include "test_support.h"

#include <math.h>
#include <string.h>

#include "analysis/summary.h"
#include "core/error.h"

static const char *const keys[] = {"staff"};
static const tc_figure figures[] = {
	{.name = "cop_ms", .kind = TC_FIGURE_TIME},
	{.name = "met", .kind = TC_FIGURE_FLAG},
	{.name = "bottleneck", .kind = TC_FIGURE_LABEL},
	{.name = "utilisation", .kind = TC_FIGURE_RATIO},
};
static const tc_summary_columns cols = {keys, 1, figures, 4};

/* Block "2": cop 1..10 (replications 0..9) with 10 missing in replication
 * 4; block "4": cop 7 three times. */
static const char good[] =
	"staff,replication,cop_ms,met,bottleneck,utilisation\n"
	"2,0,10,1,anssi,0.5\n"
	"2,1,1,0,cert,0.25\n"
	"2,2,2,1,anssi,\n"
	"2,3,3,1,,0.125\n"
	"2,4,,0,anssi,0.5\n"
	"2,5,4,1,cert,0.5\n"
	"2,6,5,1,anssi,0.5\n"
	"2,7,6,1,anssi,0.5\n"
	"2,8,7,1,anssi,0.5\n"
	"2,9,8,1,anssi,0.5\n"
	"2,10,9,1,anssi,0.5\n"
	"4,0,7,1,cert,1\n"
	"4,1,7,1,cert,1\n"
	"4,2,7,0,\"a,b\",1\n";

static void read_good(tc_summary *sum, size_t budget)
{
	char err[512] = "";
	const char *path = test_write_temp("replications.csv", good);
	int rc = tc_summary_read(sum, tc_alloc_default(), path, &cols, budget, err, sizeof err);
	if (rc)
		fail_msg("%s", err);
}

static void test_blocks_and_figures(void **state)
{
	(void)state;
	tc_summary sum;
	read_good(&sum, 0);
	assert_int_equal(sum.block_count, 2);
	const tc_summary_block *b = &sum.blocks[0];
	assert_string_equal(b->values[0], "2");
	assert_int_equal(b->replications, 11);
	assert_int_equal(b->first_replication, 0);
	assert_int_equal(b->last_replication, 10);
	/* cop: 1..10 reached in 10 of 11 replications. */
	const tc_summary_figure *cop = &b->figures[0];
	assert_int_equal(cop->n, 11);
	assert_int_equal(cop->reached, 10);
	assert_true(cop->mean == 5.5);
	/* sum of squared deviations 82.5, over 9 */
	assert_true(fabs(cop->sd - sqrt(82.5 / 9)) < 1e-12);
	assert_true(cop->min == 1 && cop->max == 10);
	/* nearest rank of 10 values: p10 the 1st, p50 the 5th, p90 the 9th, p99 the 10th */
	assert_true(cop->p10 == 1 && cop->p50 == 5 && cop->p90 == 9 && cop->p99 == 10);
	/* Student t, 9 degrees of freedom, 0.975: 2.262157 (tables) */
	double half = 2.2621571627982 * sqrt(82.5 / 9) / sqrt(10);
	assert_true(fabs(cop->mean_ci.lo - (5.5 - half)) < 1e-9);
	assert_true(fabs(cop->mean_ci.hi - (5.5 + half)) < 1e-9);
	/* met: 9 of 11 */
	const tc_summary_figure *met = &b->figures[1];
	assert_int_equal(met->reached, 9);
	assert_true(isnan(met->mean));
	assert_true(met->reached_ci.lo > 0.5 && met->reached_ci.hi < 1);
	/* bottleneck: anssi 8, cert 2, one empty */
	const tc_summary_figure *bn = &b->figures[2];
	assert_int_equal(bn->reached, 10);
	assert_int_equal(bn->label_count, 2);
	assert_string_equal(bn->labels[0].value, "anssi");
	assert_int_equal(bn->labels[0].count, 8);
	assert_string_equal(bn->labels[1].value, "cert");
	/* utilisation: one empty; 0.25 and 0.125 exact in binary */
	const tc_summary_figure *u = &b->figures[3];
	assert_int_equal(u->reached, 10);
	assert_true(u->min == 0.125 && u->max == 0.5 && u->p50 == 0.5);
	assert_true(fabs(u->mean - 4.375 / 10) < 1e-15);

	/* Block "4": three equal values: sd 0 and the interval is the mean
	 * itself, with no division by the zero variance. */
	b = &sum.blocks[1];
	assert_string_equal(b->values[0], "4");
	assert_int_equal(b->replications, 3);
	cop = &b->figures[0];
	assert_true(cop->mean == 7 && cop->sd == 0);
	assert_true(cop->mean_ci.lo == 7 && cop->mean_ci.hi == 7);
	assert_int_equal(b->figures[1].reached, 2);
	/* most frequent first: cert twice, then the quoted value once */
	assert_string_equal(b->figures[2].labels[0].value, "cert");
	assert_int_equal(b->figures[2].labels[0].count, 2);
	assert_string_equal(b->figures[2].labels[1].value, "a,b");
	tc_summary_release(&sum);
}

static int same_figure(const tc_summary_figure *a, const tc_summary_figure *b)
{
	return a->n == b->n && a->reached == b->reached &&
	       memcmp(&a->mean, &b->mean, sizeof(double) * 8) == 0 &&
	       memcmp(&a->mean_ci, &b->mean_ci, sizeof a->mean_ci) == 0 &&
	       a->label_count == b->label_count;
}

static void test_budget_gives_the_same(void **state)
{
	(void)state;
	tc_summary whole, narrow;
	read_good(&whole, 0);
	read_good(&narrow, 1); /* one column per pass */
	for (size_t b = 0; b < 2; b++)
		for (size_t f = 0; f < 4; f++)
			assert_true(same_figure(&whole.blocks[b].figures[f], &narrow.blocks[b].figures[f]));
	tc_summary_release(&whole);
	tc_summary_release(&narrow);
}

static void expect_error(const char *text, const char *message)
{
	char err[512] = "";
	const char *path = test_write_temp("bad.csv", text);
	tc_summary sum;
	int rc = tc_summary_read(&sum, tc_alloc_default(), path, &cols, 0, err, sizeof err);
	assert_int_equal(rc, TC_EINVAL);
	const char *tail = strstr(err, "bad.csv");
	if (!tail || strcmp(tail, message) != 0)
		fail_msg("got '%s', expected '...%s'", err, message);
}

static void test_errors(void **state)
{
	(void)state;
	const char *header = "staff,replication,cop_ms,met,bottleneck,utilisation\n";
	char text[512];
	expect_error("", "bad.csv: empty file: expected the header of replications.csv");
	expect_error("staff,replication,cop,met,bottleneck,utilisation\n",
	             "bad.csv:1: column 3 is 'cop', expected 'cop_ms'");
	expect_error("staff,replication\n", "bad.csv:1: expected 6 columns in the header, found 2");
	expect_error(header, "bad.csv:1: no replications after the header");
	snprintf(text, sizeof text, "%s2,0,1,1,a,0.5\n2,1,x,1,a,0.5\n", header);
	expect_error(text, "bad.csv:3: cop_ms: expected a time, got 'x'");
	snprintf(text, sizeof text, "%s2,0,1,2,a,0.5\n", header);
	expect_error(text, "bad.csv:2: met: expected a flag, got '2'");
	snprintf(text, sizeof text, "%s2,0,1,1,a,0.5,9\n", header);
	expect_error(text, "bad.csv:2: expected 6 fields, found 7");
	snprintf(text, sizeof text, "%s2,3,1,1,a,0.5\n2,3,1,1,a,0.5\n", header);
	expect_error(text, "bad.csv:3: replication 3 after 3: expected increasing replications");
	snprintf(text, sizeof text, "%s2,-1,1,1,a,0.5\n", header);
	expect_error(text, "bad.csv:2: replication: expected a whole number, got '-1'");
	snprintf(text, sizeof text, "%s2,0,1,1,\"a,0.5\n", header);
	expect_error(text, "bad.csv:2: unterminated quoted field");
	snprintf(text, sizeof text, "%s2,0,1,1,a,nan\n", header);
	expect_error(text, "bad.csv:2: utilisation: expected a ratio, got 'nan'");
}

static void test_missing_file(void **state)
{
	(void)state;
	char err[512] = "";
	tc_summary sum;
	int rc = tc_summary_read(&sum, tc_alloc_default(), "/nonexistent/replications.csv", &cols,
	                         0, err, sizeof err);
	assert_int_equal(rc, TC_EIO);
	assert_non_null(strstr(err, "cannot open /nonexistent/replications.csv"));
}

static void test_allocation_failure(void **state)
{
	(void)state;
	const char *path = test_write_temp("replications.csv", good);
	int succeeded = 0;
	for (long k = 0; !succeeded && k < 10000; k++) {
		tc_failing_alloc fa;
		tc_failing_alloc_init(&fa, k);
		char err[512] = "";
		tc_summary sum;
		int rc = tc_summary_read(&sum, &fa.alloc, path, &cols, 0, err, sizeof err);
		if (rc == TC_OK) {
			succeeded = 1;
			assert_int_equal(sum.block_count, 2);
			tc_summary_release(&sum);
		} else {
			assert_int_equal(rc, TC_ENOMEM);
			assert_string_equal(err, "out of memory");
		}
		assert_int_equal(fa.live_blocks, 0);
	}
	assert_true(succeeded);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blocks_and_figures),
		cmocka_unit_test(test_budget_gives_the_same),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_allocation_failure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
