/* SHA-256 against FIPS 180-2 vectors, padding boundaries, and split updates. */
#include "test_support.h"

#include <stdlib.h>
#include <string.h>

#include "core/sha256.h"

static const char *hex_of(const void *data, size_t n)
{
	static char hex[TC_SHA256_HEX_SIZE];
	uint8_t d[TC_SHA256_SIZE];
	tc_sha256(data, n, d);
	return tc_sha256_hex(d, hex);
}

static void fips_180_2_vectors(void **state)
{
	(void)state;
	assert_string_equal(hex_of("abc", 3),
			    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	assert_string_equal(hex_of(m448, strlen(m448)),
			    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	assert_string_equal(hex_of("", 0),
			    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	const char *m896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
			   "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
	assert_string_equal(hex_of(m896, strlen(m896)),
			    "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

static void one_million_a(void **state)
{
	(void)state;
	const char *want = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
	char *a = malloc(1000000);
	assert_non_null(a);
	memset(a, 'a', 1000000);
	assert_string_equal(hex_of(a, 1000000), want);
	/* The same in 1000 updates of 1000 bytes. */
	tc_sha256_ctx s;
	tc_sha256_init(&s);
	for (int i = 0; i < 1000; i++)
		tc_sha256_update(&s, a, 1000);
	uint8_t d[TC_SHA256_SIZE];
	char hex[TC_SHA256_HEX_SIZE];
	tc_sha256_final(&s, d);
	assert_string_equal(tc_sha256_hex(d, hex), want);
	free(a);
}

/* Lengths around the padding boundaries (55/56 bytes and one block more). */
static void padding_boundaries(void **state)
{
	(void)state;
	static const struct {
		size_t n;
		const char *hex;
	} v[] = {  /* bytes i % 251; from Python's hashlib */
		{55, "463eb28e72f82e0a96c0a4cc53690c571281131f672aa229e0d45ae59b598b59"},
		{56, "da2ae4d6b36748f2a318f23e7ab1dfdf45acdc9d049bd80e59de82a60895f562"},
		{63, "29af2686fd53374a36b0846694cc342177e428d1647515f078784d69cdb9e488"},
		{64, "fdeab9acf3710362bd2658cdc9a29e8f9c757fcf9811603a8c447cd1d9151108"},
		{65, "4bfd2c8b6f1eec7a2afeb48b934ee4b2694182027e6d0fc075074f2fabb31781"},
		{119, "da18797ed7c3a777f0847f429724a2d8cd5138e6ed2895c3fa1a6d39d18f7ec6"},
		{120, "f52b23db1fbb6ded89ef42a23ce0c8922c45f25c50b568a93bf1c075420bbb7c"},
		{127, "92ca0fa6651ee2f97b884b7246a562fa71250fedefe5ebf270d31c546bfea976"},
		{128, "471fb943aa23c511f6f72f8d1652d9c880cfa392ad80503120547703e56a2be5"},
	};
	uint8_t buf[128];
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (uint8_t)(i % 251);
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		assert_string_equal(hex_of(buf, v[i].n), v[i].hex);
}

/* Any way of cutting the input into updates gives the one-shot digest. */
static void split_updates_equal_one_shot(void **state)
{
	(void)state;
	enum { N = 300 };
	uint8_t buf[N];
	uint32_t x = 12345;
	for (size_t i = 0; i < N; i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (uint8_t)(x >> 16);
	}
	uint8_t want[TC_SHA256_SIZE], got[TC_SHA256_SIZE];
	tc_sha256(buf, N, want);
	for (size_t cut = 0; cut <= N; cut++) {
		tc_sha256_ctx s;
		tc_sha256_init(&s);
		tc_sha256_update(&s, buf, cut);
		tc_sha256_update(&s, NULL, 0);
		tc_sha256_update(&s, buf + cut, N - cut);
		tc_sha256_final(&s, got);
		assert_memory_equal(got, want, sizeof want);
	}
	/* Uneven pieces: 1, 2, 3, ... bytes. */
	tc_sha256_ctx s;
	tc_sha256_init(&s);
	for (size_t at = 0, step = 1; at < N; at += step, step++)
		tc_sha256_update(&s, buf + at, at + step <= N ? step : N - at);
	tc_sha256_final(&s, got);
	assert_memory_equal(got, want, sizeof want);
}

static void hex_is_lowercase_and_terminated(void **state)
{
	(void)state;
	uint8_t d[TC_SHA256_SIZE];
	for (int i = 0; i < TC_SHA256_SIZE; i++)
		d[i] = (uint8_t)(i * 8 + 7);
	char hex[TC_SHA256_HEX_SIZE];
	memset(hex, 'X', sizeof hex);
	assert_ptr_equal(tc_sha256_hex(d, hex), hex);
	assert_string_equal(hex, "070f171f272f373f474f575f676f777f878f979fa7afb7bfc7cfd7dfe7eff7ff");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fips_180_2_vectors),
		cmocka_unit_test(one_million_a),
		cmocka_unit_test(padding_boundaries),
		cmocka_unit_test(split_updates_equal_one_shot),
		cmocka_unit_test(hex_is_lowercase_and_terminated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
