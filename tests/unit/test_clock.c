#define _POSIX_C_SOURCE 200809L
/* The monotonic clock: it advances and never goes back. */
#include "test_support.h"

#include <time.h>

#include "core/clock.h"

static void clock_advances(void **state)
{
	(void)state;
	double a = tc_monotonic_seconds();
	struct timespec nap = {0, 20 * 1000 * 1000};
	nanosleep(&nap, NULL);
	double b = tc_monotonic_seconds();
	assert_true(b - a >= 0.019);
	assert_true(b - a < 5.0);
	double last = b;
	for (int i = 0; i < 1000; i++) {
		double now = tc_monotonic_seconds();
		assert_true(now >= last);
		last = now;
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(clock_advances),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
