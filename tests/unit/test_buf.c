/* tc_buf's inline append paths, the unescaped fast path of JSON strings and
 * the integer formatting of the event log's hot path. */
#include "test_support.h"

#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"

/* Appends that fit exactly, one byte short of the terminator, or not at all
 * take different paths; each must leave the same text, NUL-terminated. */
static void appends_at_the_capacity_boundary(void **state)
{
	(void)state;
	tc_buf b;
	tc_buf_init(&b, tc_alloc_default());
	assert_int_equal(tc_buf_reserve(&b, 7), 0);   /* capacity for 7 bytes and the NUL */
	size_t cap = b.cap;
	assert_true(cap >= 8);
	char fill[64];
	memset(fill, 'x', sizeof fill);
	tc_buf_add(&b, fill, cap - 2);                /* fast: room for one more byte */
	assert_int_equal(b.cap, cap);
	tc_buf_addc(&b, 'y');                         /* fast: fills the last byte before the NUL */
	assert_int_equal(b.cap, cap);
	assert_int_equal(b.len, cap - 1);
	assert_int_equal(b.data[b.len], '\0');
	tc_buf_adds(&b, "z");                         /* slow: must grow */
	assert_true(b.cap > cap);
	assert_int_equal(b.len, cap);
	assert_int_equal(b.data[cap - 2], 'y');
	assert_int_equal(b.data[cap - 1], 'z');
	assert_int_equal(b.data[cap], '\0');
	tc_buf_release(&b);
}

/* After a failed growth the buffer stays truncated: later appends are
 * dropped even when they would fit in what is left. */
static void a_failed_buffer_takes_nothing_more(void **state)
{
	(void)state;
	tc_failing_alloc fa;
	tc_failing_alloc_init(&fa, 1);
	tc_buf b;
	tc_buf_init(&b, &fa.alloc);
	tc_buf_adds(&b, "abc");                       /* the one allocation that succeeds */
	char big[4096];
	memset(big, 'x', sizeof big);
	tc_buf_add(&b, big, sizeof big);              /* growth fails */
	assert_true(b.failed);
	tc_buf_addc(&b, 'd');
	tc_buf_add_json_string(&b, "e");
	assert_int_equal(b.len, 3);
	assert_string_equal(b.data, "abc");
	tc_buf_release(&b);
	assert_int_equal(fa.live_blocks, 0);
}

static void json_strings_plain_and_escaped(void **state)
{
	(void)state;
	tc_buf b;
	tc_buf_init(&b, tc_alloc_default());
	tc_buf_add_json_string(&b, "");
	tc_buf_add_json_string(&b, "anssi.cert-fr_1");
	tc_buf_add_json_stringn(&b, "ab\"cd", 2);     /* stops before the quote */
	tc_buf_add_json_string(&b, "a\"b");
	tc_buf_add_json_string(&b, "\\");
	assert_string_equal(b.data, "\"\"\"anssi.cert-fr_1\"\"ab\"\"a\\\"b\"\"\\\\\"");
	tc_buf_release(&b);
}

/* Integers are written two digits at a time: every digit count, both ends. */
static void integers_in_decimal(void **state)
{
	(void)state;
	static const uint64_t u[] = {0, 9, 10, 99, 100, 101, 999, 1000, 12345, 3600000,
	                             UINT64_MAX};
	static const int64_t i[] = {0, -1, -9, -10, -99, -100, 5184000000, INT64_MAX, INT64_MIN};
	tc_buf b;
	tc_buf_init(&b, tc_alloc_default());
	for (size_t k = 0; k < sizeof u / sizeof u[0]; k++) {
		tc_buf_add_u64(&b, u[k]);
		tc_buf_addc(&b, ' ');
	}
	assert_string_equal(b.data, "0 9 10 99 100 101 999 1000 12345 3600000 18446744073709551615 ");
	tc_buf_reset(&b);
	for (size_t k = 0; k < sizeof i / sizeof i[0]; k++) {
		tc_buf_add_i64(&b, i[k]);
		tc_buf_addc(&b, ' ');
	}
	assert_string_equal(b.data, "0 -1 -9 -10 -99 -100 5184000000 9223372036854775807 "
	                            "-9223372036854775808 ");
	tc_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(appends_at_the_capacity_boundary),
		cmocka_unit_test(a_failed_buffer_takes_nothing_more),
		cmocka_unit_test(json_strings_plain_and_escaped),
		cmocka_unit_test(integers_in_decimal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
