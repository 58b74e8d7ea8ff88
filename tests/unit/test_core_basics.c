/* The core's small utilities: allocator, arena, buffer, diagnostics. */
#include "test_support.h"

#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/diag.h"
#include "core/error.h"
#include "core/jsonw.h"

static void failing_allocator_fails_on_schedule(void **state)
{
	(void)state;
	tc_failing_alloc fa;
	tc_failing_alloc_init(&fa, 2);
	void *a = tc_malloc(&fa.alloc, 10);
	void *b = tc_malloc(&fa.alloc, 20);
	void *c = tc_malloc(&fa.alloc, 30);
	assert_non_null(a);
	assert_non_null(b);
	assert_null(c);
	assert_int_equal(fa.live_blocks, 2);
	assert_int_equal(fa.live_bytes, 30);
	tc_free(&fa.alloc, a, 10);
	tc_free(&fa.alloc, b, 20);
	assert_int_equal(fa.live_blocks, 0);
	assert_int_equal(fa.live_bytes, 0);
}

static void grow_keeps_array_on_failure(void **state)
{
	(void)state;
	tc_failing_alloc fa;
	tc_failing_alloc_init(&fa, 1);
	int *items = NULL;
	size_t cap = 0;
	assert_int_equal(tc_grow(&fa.alloc, (void **)&items, &cap, 3, sizeof *items), TC_OK);
	assert_int_equal(cap, 8);
	items[7] = 42;
	assert_int_equal(tc_grow(&fa.alloc, (void **)&items, &cap, 9, sizeof *items), TC_ENOMEM);
	assert_int_equal(cap, 8);
	assert_int_equal(items[7], 42);
	tc_free(&fa.alloc, items, cap * sizeof *items);
	assert_int_equal(fa.live_blocks, 0);
}

static void arena_strings_are_copies(void **state)
{
	(void)state;
	tc_arena ar;
	tc_arena_init(&ar, tc_alloc_default());
	char src[] = "anssi";
	char *copy = tc_arena_strdup(&ar, src);
	src[0] = 'X';
	assert_string_equal(copy, "anssi");
	char *big = tc_arena_alloc(&ar, 200000);
	assert_non_null(big);
	assert_int_equal(big[199999], 0);
	assert_string_equal(tc_arena_strndup(&ar, "cert-fr-extra", 7), "cert-fr");
	tc_arena_release(&ar);
}

static void json_strings_are_escaped(void **state)
{
	(void)state;
	tc_buf b;
	tc_buf_init(&b, tc_alloc_default());
	tc_buf_add_json_string(&b, "a\"b\\c\nd\x01" "é");
	assert_string_equal(b.data, "\"a\\\"b\\\\c\\nd\\u0001é\"");
	tc_buf_reset(&b);
	tc_buf_add_i64(&b, INT64_MIN);
	tc_buf_addc(&b, ' ');
	tc_buf_add_i64(&b, 0);
	tc_buf_addc(&b, ' ');
	tc_buf_add_double(&b, 0.1);
	tc_buf_addc(&b, ' ');
	tc_buf_add_double(&b, 1.0 / 0.0);
	assert_string_equal(b.data, "-9223372036854775808 0 0.1 null");
	tc_buf_release(&b);
}

static void json_writer_places_commas(void **state)
{
	(void)state;
	tc_buf b;
	tc_buf_init(&b, tc_alloc_default());
	tc_jsonw w;
	tc_jsonw_init(&w, &b);
	tc_jsonw_object(&w);
	tc_jsonw_kstr(&w, "a", "x");
	tc_jsonw_key(&w, "list");
	tc_jsonw_array(&w);
	tc_jsonw_int(&w, -1);
	tc_jsonw_object(&w);
	tc_jsonw_end(&w);
	tc_jsonw_array(&w);
	tc_jsonw_end(&w);
	tc_jsonw_null(&w);
	tc_jsonw_end(&w);
	tc_jsonw_kbool(&w, "ok", 1);
	tc_jsonw_kstr(&w, "none", NULL);
	tc_jsonw_end(&w);
	assert_string_equal(b.data, "{\"a\":\"x\",\"list\":[-1,{},[],null],\"ok\":true,\"none\":null}");
	assert_int_equal(w.depth, 0);
	tc_buf_release(&b);
}

static void diagnostics_name_position_and_suggest(void **state)
{
	(void)state;
	tc_diag d;
	tc_diag_init(&d, tc_alloc_default());
	tc_diag_add(&d, "s.yaml", 3, 5, "unknown key '%s'", "staf");
	assert_int_equal(tc_diag_errors(&d), 1);
	assert_string_equal(d.items[0].file, "s.yaml");
	assert_int_equal(d.items[0].line, 3);
	assert_int_equal(d.items[0].column, 5);
	assert_string_equal(d.items[0].message, "unknown key 'staf'");
	tc_diag_release(&d);

	const char *keys[] = {"staff", "schedule", "timezone", "on_call"};
	assert_string_equal(tc_suggest("staf", keys, 4), "staff");
	assert_string_equal(tc_suggest("timzeone", keys, 4), "timezone");
	assert_string_equal(tc_suggest("oncall", keys, 4), "on_call");
	assert_null(tc_suggest("members", keys, 4));
	const char *ids[] = {"a", "ab"};
	assert_null(tc_suggest("b", ids, 2));
	assert_null(tc_suggest("ac", ids, 2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(failing_allocator_fails_on_schedule),
		cmocka_unit_test(grow_keeps_array_on_failure),
		cmocka_unit_test(arena_strings_are_copies),
		cmocka_unit_test(json_strings_are_escaped),
		cmocka_unit_test(json_writer_places_commas),
		cmocka_unit_test(diagnostics_name_position_and_suggest),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
