#define _POSIX_C_SOURCE 200809L
#include "core/clock.h"

#include <assert.h>
#include <time.h>

double tc_monotonic_seconds(void)
{
	struct timespec ts;
	int rc = clock_gettime(CLOCK_MONOTONIC, &ts);
	assert(rc == 0);
	(void)rc;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
