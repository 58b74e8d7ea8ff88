/*
 * Figures as people read them: the one way the terminal summary and the HTML
 * report write a duration, an instant and a percentage (tests/e2e/
 * report_html.sh mirrors tc_report_duration in Python: keep it in step).
 */
#ifndef TC_REPORT_FORMAT_H
#define TC_REPORT_FORMAT_H

#include <stddef.h>

#include "analysis/analysis.h"

/* What every human-readable report writes for a value never reached. */
#define TC_REPORT_NOT_REACHED "not reached"

/* Room that is always enough for the formatters below. */
enum { TC_REPORT_FMT_SIZE = 32 };

/*
 * A duration in two units at most, rounded half away from zero to the
 * smaller one: "0s", "250ms" (under a second, exact), "45s", "12m 05s",
 * "2h 05m", "3d 04h"; negative durations start with "-" ("-1h 30m").
 * TC_TIME_NEVER is TC_REPORT_NOT_REACHED. Truncates to n bytes (always
 * NUL-terminated when n > 0).
 */
void tc_report_duration(tc_time ms, char *buf, size_t n);

/* A margin (time left before a deadline, negative when late): the duration
 * with "+" before a positive value ("+25m 00s", "-1h 02m", "0s"). */
void tc_report_margin(tc_time ms, char *buf, size_t n);

/* An instant on the exercise clock rounded to the nearest second (half away
 * from zero), as tc_time_format writes it: "T+01:30:00", "T+1d02:30:00",
 * "T-00:30:00". TC_TIME_NEVER is TC_REPORT_NOT_REACHED. */
void tc_report_instant(tc_time t, char *buf, size_t n);

/* A ratio as a whole percentage, rounded half away from zero ("87%",
 * "13%" for 0.125, "120%"); NaN is "n/a". */
void tc_report_percent(double ratio, char *buf, size_t n);

#endif
