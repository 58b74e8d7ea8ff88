/*
 * Weekly schedules and holidays, compiled once at load into a timeline of
 * on-duty intervals in exercise time. The timeline is immutable and answers
 * its queries in O(log n) with no time-zone work, so the simulation can call
 * it on its hot path and share it between runs.
 */
#ifndef TC_CALENDAR_H
#define TC_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

#include "core/alloc.h"
#include "core/timefmt.h"
#include "core/tz.h"

/* [start, end) in exercise time; start < end. */
typedef struct tc_interval {
	tc_time start, end;
} tc_interval;

#define TC_WEEKLY_MAX_RANGES 8

/* Local time ranges in minutes after midnight, [start, end), start < 1440,
   end <= start + 1440 (an overnight shift ends the next day: "22:00-06:00"
   is [1320, 1800)). */
typedef struct tc_minute_range {
	uint16_t start, end;
} tc_minute_range;

/* A weekly schedule in local time. Index 0 = Monday .. 6 = Sunday. */
typedef struct tc_weekly {
	int always;                                          /* 24/7 */
	uint8_t count[7];
	tc_minute_range range[7][TC_WEEKLY_MAX_RANGES];      /* in the order added */
} tc_weekly;

/* Empty schedule: never on duty. */
void tc_weekly_init(tc_weekly *w);
/* 24/7; later tc_weekly_add calls are then redundant. */
void tc_weekly_set_always(tc_weekly *w);

/* Where a tc_weekly_add error lies. */
enum { TC_WEEKLY_ERR_DAYS = 0, TC_WEEKLY_ERR_HOURS = 1 };

/*
 * Add the ranges of hours on the days of days (one entry of a YAML mapping
 * such as `mon-fri: "08:00-18:00"`; the strings need not be NUL-terminated).
 *   days:  comma-separated days or ranges: "mon", "mon-fri", "sat,sun",
 *          "fri-mon" (wraps), "daily", "weekdays", "weekends"; full names
 *          ("monday") too; case-insensitive.
 *   hours: comma-separated "HH:MM-HH:MM": "08:00-18:00",
 *          "08:00-12:00,14:00-18:00", "22:00-06:00" (overnight: ends next day),
 *          "00:00-24:00" (whole day); or "off" for none.
 * At most TC_WEEKLY_MAX_RANGES ranges per day (TC_ELIMIT beyond).
 * Returns TC_OK; or TC_EINVAL/TC_ELIMIT with a message in err, the byte offset
 * of the problem in *err_offset and in *err_in TC_WEEKLY_ERR_DAYS or
 * TC_WEEKLY_ERR_HOURS to say which string the offset refers to (err,
 * err_offset and err_in may be NULL). On error w is unchanged.
 */
int tc_weekly_add(tc_weekly *w, const char *days, size_t days_len, const char *hours,
                  size_t hours_len, char *err, size_t errlen, size_t *err_offset, int *err_in);

/*
 * On-duty intervals, sorted, disjoint and not touching (touching shifts are
 * merged). prefix[i] is the on-duty time of iv[0..i) (count entries), so
 * measure() is two binary searches.
 */
typedef struct tc_timeline {
	tc_interval *iv;
	size_t count;
	tc_time *prefix;
} tc_timeline;

/*
 * Compile w into tl for exercise times [span_start, span_end).
 * holidays: local dates (days since 1970-01-01, any order) on which no shift
 * starts; a shift that started the day before runs to its end.
 * epoch_utc_ms: T+0 as UTC ms. tz: the schedule's zone (NULL = UTC). Each
 * shift's local start and end are converted separately with the zone's rules
 * (tc_tz_local_to_utc), so an 08:00-18:00 shift stays 08:00-18:00 local on
 * DST days; a shift that becomes empty (inside a gap) is dropped.
 * Shifts that intersect or touch the span are kept whole, then merged.
 * A 24/7 schedule without holidays gives the single interval
 * [TC_TIME_ALWAYS_START, TC_TIME_ALWAYS_END); with holidays it is compiled as
 * daily 00:00-24:00 shifts. Queries outside the span see only what was kept.
 * Returns TC_OK, TC_ENOMEM, TC_EINVAL (span_end < span_start, or a bound
 * beyond +-2^62 ms) or TC_ELIMIT (span longer than 200 years). On failure tl is
 * empty (count 0) and nothing is allocated.
 */
int tc_timeline_compile(tc_timeline *tl, tc_alloc *a, const tc_weekly *w, const int64_t *holidays,
                        size_t nholidays, const tc_tz *tz, int64_t epoch_utc_ms,
                        tc_time span_start, tc_time span_end);
void tc_timeline_release(tc_timeline *tl, tc_alloc *a);

/*
 * A timeline over intervals the caller owns (read back from a log, say):
 * iv[0..count) sorted and disjoint; prefix has room for count
 * entries and is filled here. Never passed to tc_timeline_release.
 */
void tc_timeline_wrap(tc_timeline *tl, tc_interval *iv, tc_time *prefix, size_t count);

/* On duty at t? (interval starts are inclusive, ends exclusive) */
int tc_timeline_contains(const tc_timeline *tl, tc_time t);
/* First instant >= t that is on duty: t itself when on duty; TC_TIME_NEVER
   when there is none. */
tc_time tc_timeline_next_start(const tc_timeline *tl, tc_time t);
/* First instant >= t that is off duty: the end of the interval containing t,
   or t itself when off duty (so the result is > t exactly when on duty). */
tc_time tc_timeline_current_end(const tc_timeline *tl, tc_time t);
/* On-duty time within [a, b) (0 when b <= a); saturates at INT64_MAX. */
tc_time tc_timeline_measure(const tc_timeline *tl, tc_time a, tc_time b);

#endif
