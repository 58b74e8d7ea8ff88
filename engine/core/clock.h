/*
 * A monotonic clock, for limits that guard against hangs (never for anything
 * a run's output depends on: that would break determinism).
 */
#ifndef TC_CLOCK_H
#define TC_CLOCK_H

/* Seconds since an arbitrary fixed point; never decreases. */
double tc_monotonic_seconds(void);

#endif
