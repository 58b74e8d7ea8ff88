/*
 * Simulated time, durations and calendar date-times.
 *
 * Simulated ("exercise") time is an int64 count of milliseconds from the
 * exercise start T+0; negative times exist (an intrusion before T+0). The
 * parsers here read what scenario authors write (see docs/time.md for the
 * grammar) and report errors as a message plus a byte offset into the input,
 * so the YAML layer can point at the exact column.
 */
#ifndef TC_TIMEFMT_H
#define TC_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

struct tc_tz;

typedef int64_t tc_time;

#define TC_MILLISECOND ((tc_time)1)
#define TC_SECOND ((tc_time)1000)
#define TC_MINUTE (60 * TC_SECOND)
#define TC_HOUR (60 * TC_MINUTE)
#define TC_DAY (24 * TC_HOUR)
#define TC_WEEK (7 * TC_DAY)

/* "Not reached" / +infinity. Never produced by arithmetic on finite times. */
#define TC_TIME_NEVER INT64_MAX
/*
 * Bounds of an always-on interval. Every parsed duration lies within
 * [-TC_DURATION_MAX, TC_DURATION_MAX] = [TC_TIME_ALWAYS_START, TC_TIME_ALWAYS_END],
 * so the difference of two such values never overflows.
 */
#define TC_TIME_ALWAYS_START (-((tc_time)1 << 62))
#define TC_TIME_ALWAYS_END ((tc_time)1 << 62)
#define TC_DURATION_MAX ((int64_t)1 << 62)

/*
 * A duration: a fixed part in milliseconds and a number of calendar months,
 * which have no fixed length (see tc_time_add). Durations from the parser
 * have months and ms of the same sign, and |ms + months * 31 days| <= 2^62.
 */
typedef struct tc_duration {
	int64_t ms;
	int32_t months;
} tc_duration;

/*
 * Parse a duration from s[0..len) (not necessarily NUL-terminated):
 *   500ms  90s  45m  2h  1d  1w  1mo      one part: number and unit
 *   1h30m  1d2h  2h 30m  1mo2d            parts from the largest unit down, each once
 *   1.5h   0.25s                          decimals, exact to the millisecond
 *   -2h  0                                leading sign; a bare 0 is zero
 *   T+02:30  T+02:30:15.250  T+1d02:30  T-00:30  T+2h30m   exercise clock
 *   D+1 H+3 M+45  J+1 H-2 ...            French chronogram (D or J, H, M, S)
 * Units are lower case; months must be whole. Surrounding blanks are ignored.
 * Returns TC_OK, or TC_EINVAL with a message in err (errlen bytes, always
 * NUL-terminated when errlen > 0) saying what was expected and what was found,
 * and the byte offset of the problem in *err_offset. err and err_offset may
 * be NULL.
 */
int tc_duration_parse(const char *s, size_t len, tc_duration *out, char *err, size_t errlen,
                      size_t *err_offset);

/*
 * Shortest human form that tc_duration_parse reads back exactly: non-zero
 * parts among d, h, m, s, ms, largest first ("0s", "45s", "1h30m", "2d4h",
 * "-2h", "1h250ms"). Weeks are written as days. Truncates to n bytes (always
 * NUL-terminated when n > 0); 32 bytes always suffice.
 */
void tc_duration_format(int64_t ms, char *buf, size_t n);
/* Same with the months first ("1mo2d", "-1mo"). Readable back when months and
   ms have the same sign, which is always the case for parsed durations. */
void tc_duration_format_full(tc_duration d, char *buf, size_t n);

/*
 * Exercise-clock form for timelines, also readable by tc_duration_parse:
 * "T+00:00:00", "T+02:30:00", "T+1d02:30:00", "T-00:30:00", "T+00:00:01.250"
 * (milliseconds only when non-zero). TC_TIME_NEVER is written "never" (not
 * readable back). 32 bytes always suffice.
 */
void tc_time_format(tc_time t, char *buf, size_t n);

/* Proleptic Gregorian calendar; days count from 1970-01-01 (day 0). */
int64_t tc_days_from_civil(int64_t y, unsigned m, unsigned d);
void tc_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);
/* 0 = Monday .. 6 = Sunday. */
unsigned tc_weekday(int64_t days);
/* Number of days in month m (1-12) of year y. */
unsigned tc_days_in_month(int64_t y, unsigned m);

/*
 * Parse an ISO 8601 date-time: "2022-08-20T23:00:00+02:00", "...Z",
 * "2022-08-20T23:00", "2022-08-20 23:00:00", with an optional fraction of a
 * second (at most millisecond precision) and an optional offset Z, +HH:MM,
 * +HHMM or +HH. With an offset, *utc_ms is the UTC instant (ms since
 * 1970-01-01T00:00Z) and *has_offset = 1; without one, *utc_ms is the local
 * wall-clock time read as if it were UTC and *has_offset = 0, for the caller
 * to convert with a zone (tc_tz_local_to_utc). Ranges are checked (month
 * 1-12, day within the month, hour 0-23: 24:00 is rejected). Errors as for
 * tc_duration_parse.
 */
int tc_datetime_parse(const char *s, size_t len, int64_t *utc_ms, int *has_offset, char *err,
                      size_t errlen, size_t *err_offset);
/* "YYYY-MM-DD" -> days since 1970-01-01. Errors as for tc_duration_parse. */
int tc_date_parse(const char *s, size_t len, int64_t *days, char *err, size_t errlen,
                  size_t *err_offset);
/*
 * Format the UTC instant utc_ms as ISO 8601 in the local time of zone tz with
 * its offset ("2022-08-21T01:00:00+02:00"); tz NULL gives UTC with "Z".
 * Milliseconds appear only when non-zero. 40 bytes always suffice.
 */
void tc_datetime_format(int64_t utc_ms, const struct tc_tz *tz, char *buf, size_t n);

/*
 * t + d, where t is exercise time, epoch_utc_ms is T+0 as a UTC instant and
 * tz the exercise zone (NULL = UTC). Months are applied first: the local civil
 * date moves d.months months, keeping the local time of day, clamped to the
 * last day of the target month, and is converted back with the zone's rules
 * (tc_tz_local_to_utc); then d.ms is added. TC_TIME_NEVER stays
 * TC_TIME_NEVER; other results saturate at TC_TIME_ALWAYS_START/END.
 */
tc_time tc_time_add(tc_time t, tc_duration d, int64_t epoch_utc_ms, const struct tc_tz *tz);

/*
 * An exercise time as scenarios and scripts write it: an absolute date-time
 * (it starts with a four-digit year; without an offset it is local time of
 * tz), or a T+ offset or duration from T+0 (months allowed, as tc_time_add).
 * Returns TC_OK with *out, or TC_EINVAL with err and err_offset as for
 * tc_duration_parse. Range checks are the caller's.
 */
int tc_exercise_time_parse(const char *s, size_t len, int64_t epoch_utc_ms,
                           const struct tc_tz *tz, tc_time *out, char *err, size_t errlen,
                           size_t *err_offset);

#endif
