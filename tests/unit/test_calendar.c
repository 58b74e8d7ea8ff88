/* Weekly schedules and holidays compiled into duty timelines. */
#include "test_support.h"

#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/calendar.h"
#include "core/error.h"
#include "core/timefmt.h"
#include "core/tz.h"

static const tc_time H = TC_HOUR, D = TC_DAY;

static void add(tc_weekly *w, const char *days, const char *hours)
{
	char err[200];
	size_t off;
	int in;
	if (tc_weekly_add(w, days, strlen(days), hours, strlen(hours), err, sizeof err, &off, &in) !=
	    TC_OK)
		fail_msg("%s: %s: %s at %zu of %s", days, hours, err, off, in ? "hours" : "days");
}

static void add_fails(const char *days, const char *hours, int rc, int in, size_t offset,
                      const char *message)
{
	tc_weekly w;
	tc_weekly_init(&w);
	char err[200] = "";
	size_t off = 9999;
	int where = -1;
	int got = tc_weekly_add(&w, days, strlen(days), hours, strlen(hours), err, sizeof err, &off,
	                        &where);
	if (got != rc || where != in || off != offset || strcmp(err, message) != 0)
		fail_msg("'%s' '%s': got %d '%s' at %zu in %d, want %d '%s' at %zu in %d", days, hours,
		         got, err, off, where, rc, message, offset, in);
	for (int d = 0; d < 7; d++)
		assert_int_equal(w.count[d], 0);
}

/* UTC ms of a local ISO date-time with offset. */
static int64_t iso(const char *s)
{
	int64_t v;
	int has;
	assert_int_equal(tc_datetime_parse(s, strlen(s), &v, &has, NULL, 0, NULL), TC_OK);
	assert_true(has);
	return v;
}

static void load(tc_tz *tz, const char *name)
{
	char err[200];
	if (tc_tz_load(tz, tc_alloc_default(), name, err, sizeof err) != TC_OK)
		fail_msg("%s", err);
}

static void compile(tc_timeline *tl, const tc_weekly *w, const int64_t *hol, size_t nhol,
                    const tc_tz *tz, int64_t epoch, tc_time a, tc_time b)
{
	int rc = tc_timeline_compile(tl, tc_alloc_default(), w, hol, nhol, tz, epoch, a, b);
	assert_int_equal(rc, TC_OK);
}

static void expect_intervals(const tc_timeline *tl, const tc_interval *want, size_t n)
{
	if (tl->count != n)
		fail_msg("%zu intervals, want %zu", tl->count, n);
	for (size_t i = 0; i < n; i++) {
		if (tl->iv[i].start != want[i].start || tl->iv[i].end != want[i].end) {
			char a[40], b[40], c[40], d[40];
			tc_time_format(tl->iv[i].start, a, sizeof a);
			tc_time_format(tl->iv[i].end, b, sizeof b);
			tc_time_format(want[i].start, c, sizeof c);
			tc_time_format(want[i].end, d, sizeof d);
			fail_msg("interval %zu is [%s, %s), want [%s, %s)", i, a, b, c, d);
		}
	}
}

static void schedule_parsing(void **state)
{
	(void)state;
	tc_weekly w;
	tc_weekly_init(&w);
	add(&w, "mon-fri", "08:00-18:00");
	add(&w, "sat", "09:00-12:00");
	for (int d = 0; d < 5; d++) {
		assert_int_equal(w.count[d], 1);
		assert_int_equal(w.range[d][0].start, 480);
		assert_int_equal(w.range[d][0].end, 1080);
	}
	assert_int_equal(w.count[5], 1);
	assert_int_equal(w.range[5][0].start, 540);
	assert_int_equal(w.range[5][0].end, 720);
	assert_int_equal(w.count[6], 0);
	assert_false(w.always);

	struct {
		const char *days;
		unsigned mask;
	} sets[] = {
		{"mon", 0x01}, {"sat,sun", 0x60}, {"daily", 0x7f}, {"weekdays", 0x1f},
		{"weekends", 0x60}, {"fri-mon", 0x71}, {"Monday - Wednesday", 0x07},
		{"MON, thu", 0x09}, {"sun-sun", 0x40}, {"tue-mon", 0x7f},
	};
	for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
		tc_weekly_init(&w);
		add(&w, sets[i].days, "10:00-11:00");
		unsigned mask = 0;
		for (int d = 0; d < 7; d++)
			mask |= (unsigned)(w.count[d] != 0) << d;
		if (mask != sets[i].mask)
			fail_msg("'%s' gave days 0x%02x, want 0x%02x", sets[i].days, mask, sets[i].mask);
	}

	tc_weekly_init(&w);
	add(&w, "mon", "08:00-12:00, 14:00-18:00");
	add(&w, "tue", "22:00-06:00");
	add(&w, "wed", "00:00-24:00");
	add(&w, "thu", "8:00-9:30");
	add(&w, "fri", "off");
	assert_int_equal(w.count[0], 2);
	assert_int_equal(w.range[0][1].start, 840);
	assert_int_equal(w.range[0][1].end, 1080);
	assert_int_equal(w.range[1][0].start, 1320);
	assert_int_equal(w.range[1][0].end, 1800);
	assert_int_equal(w.range[2][0].start, 0);
	assert_int_equal(w.range[2][0].end, 1440);
	assert_int_equal(w.range[3][0].start, 480);
	assert_int_equal(w.range[3][0].end, 570);
	assert_int_equal(w.count[4], 0);
}

static void schedule_errors(void **state)
{
	(void)state;
	enum { DAYS = TC_WEEKLY_ERR_DAYS, HOURS = TC_WEEKLY_ERR_HOURS };
	add_fails("tuesdy", "08:00-18:00", TC_EINVAL, DAYS, 0, "unknown day 'tuesdy' (did you mean "
	          "'tuesday'?)");
	add_fails("mon,xyz", "08:00-18:00", TC_EINVAL, DAYS, 4, "unknown day 'xyz': expected mon, "
	          "tue, wed, thu, fri, sat, sun, daily, weekdays or weekends");
	add_fails("", "08:00-18:00", TC_EINVAL, DAYS, 0, "expected a day (mon, tue, wed, thu, fri, "
	          "sat, sun, daily, weekdays or weekends), found end of text");
	add_fails("mon-", "08:00-18:00", TC_EINVAL, DAYS, 4, "expected a day after '-', found end "
	          "of text");
	add_fails("mon;tue", "08:00-18:00", TC_EINVAL, DAYS, 3, "expected ',' or the end of the "
	          "days, found ';'");
	add_fails("weekdays-sun", "08:00-18:00", TC_EINVAL, DAYS, 0, "'weekdays' cannot start a "
	          "range of days");
	add_fails("mon", "08:00", TC_EINVAL, HOURS, 5, "expected '-' between the start and end "
	          "times, found end of text");
	add_fails("mon", "8-18", TC_EINVAL, HOURS, 1, "expected a time HH:MM, found '-'");
	add_fails("mon", "08:00-18:60", TC_EINVAL, HOURS, 9, "minutes must be 00-59, found '60'");
	add_fails("mon", "08:00-18:0", TC_EINVAL, HOURS, 9, "expected two-digit minutes after ':', "
	          "found '0'");
	add_fails("mon", "25:00-26:00", TC_EINVAL, HOURS, 0, "time must be 00:00-24:00, found "
	          "'25:00'");
	add_fails("mon", "08:00-24:30", TC_EINVAL, HOURS, 6, "time must be 00:00-24:00, found "
	          "'24:30'");
	add_fails("mon", "24:00-06:00", TC_EINVAL, HOURS, 0, "a range cannot start at 24:00 (write "
	          "00:00)");
	add_fails("mon", "08:00-08:00", TC_EINVAL, HOURS, 0, "empty range '08:00-08:00' (for a "
	          "whole day write 00:00-24:00)");
	add_fails("mon", "08:00-12:00;14:00-18:00", TC_EINVAL, HOURS, 11, "expected ',' or the end "
	          "of the hours, found ';'");
	add_fails("mon", "", TC_EINVAL, HOURS, 0, "expected a time HH:MM, found end of text");
	add_fails("mon", "01:00-02:00,02:00-03:00,03:00-04:00,04:00-05:00,05:00-06:00,06:00-07:00,"
	          "07:00-08:00,08:00-09:00,09:00-10:00", TC_ELIMIT, HOURS, 96,
	          "more than 8 time ranges in one day");

	/* A day that is already full: the error names it and w is unchanged. */
	tc_weekly w;
	tc_weekly_init(&w);
	add(&w, "mon", "01:00-02:00,02:00-03:00,03:00-04:00,04:00-05:00,05:00-06:00");
	add(&w, "tue", "01:00-02:00");
	char err[200];
	size_t off;
	int in;
	const char *more = "10:00-11:00,11:00-12:00,12:00-13:00,13:00-14:00";
	assert_int_equal(tc_weekly_add(&w, "mon-tue", 7, more, strlen(more), err, sizeof err, &off, &in),
	                 TC_ELIMIT);
	assert_string_equal(err, "more than 8 time ranges on mon");
	assert_int_equal(in, TC_WEEKLY_ERR_HOURS);
	assert_int_equal(off, 36);  /* the fourth range does not fit */
	assert_int_equal(w.count[0], 5);
	assert_int_equal(w.count[1], 1);
	/* NULL sinks are fine. */
	assert_int_equal(tc_weekly_add(&w, "xyz", 3, "", 0, NULL, 0, NULL, NULL), TC_EINVAL);
}

/* Mon-Fri 08:00-18:00 in Paris over two weeks around the 2022-10-30 change. */
static void paris_week_across_dst_change(void **state)
{
	(void)state;
	tc_tz paris;
	load(&paris, "Europe/Paris");
	tc_weekly w;
	tc_weekly_init(&w);
	add(&w, "mon-fri", "08:00-18:00");
	/* T+0 = Monday 2022-10-24 00:00 Paris (CEST). */
	int64_t epoch = iso("2022-10-24T00:00:00+02:00");
	assert_int_equal(epoch, iso("2022-10-23T22:00:00Z"));
	tc_timeline tl;
	compile(&tl, &w, NULL, 0, &paris, epoch, 0, 14 * D);
	tc_interval want[10];
	const char *local[10][2] = {
		{"2022-10-24T08:00:00+02:00", "2022-10-24T18:00:00+02:00"},
		{"2022-10-25T08:00:00+02:00", "2022-10-25T18:00:00+02:00"},
		{"2022-10-26T08:00:00+02:00", "2022-10-26T18:00:00+02:00"},
		{"2022-10-27T08:00:00+02:00", "2022-10-27T18:00:00+02:00"},
		{"2022-10-28T08:00:00+02:00", "2022-10-28T18:00:00+02:00"},
		{"2022-10-31T08:00:00+01:00", "2022-10-31T18:00:00+01:00"},
		{"2022-11-01T08:00:00+01:00", "2022-11-01T18:00:00+01:00"},
		{"2022-11-02T08:00:00+01:00", "2022-11-02T18:00:00+01:00"},
		{"2022-11-03T08:00:00+01:00", "2022-11-03T18:00:00+01:00"},
		{"2022-11-04T08:00:00+01:00", "2022-11-04T18:00:00+01:00"},
	};
	for (int i = 0; i < 10; i++) {
		want[i].start = iso(local[i][0]) - epoch;
		want[i].end = iso(local[i][1]) - epoch;
	}
	/* Hand-computed: 06:00-16:00 UTC the first week, 07:00-17:00 UTC the next. */
	assert_int_equal(want[0].start, 8 * H);
	assert_int_equal(want[4].end, 4 * D + 18 * H);
	assert_int_equal(want[5].start, 7 * D + 9 * H);
	assert_int_equal(want[9].end, 11 * D + 19 * H);
	expect_intervals(&tl, want, 10);
	assert_int_equal(tc_timeline_measure(&tl, 0, 14 * D), 100 * H);
	/* The week containing the change is 169 hours long; duty is still 50 h. */
	assert_int_equal(tc_timeline_measure(&tl, 0, 7 * D + H), 50 * H);
	tc_timeline_release(&tl, tc_alloc_default());

	/* A span starting mid-shift keeps that shift whole. */
	compile(&tl, &w, NULL, 0, &paris, epoch, 12 * H, 14 * D);
	expect_intervals(&tl, want, 10);
	tc_timeline_release(&tl, tc_alloc_default());
	/* A span ending exactly at a shift start keeps that (touching) shift. */
	compile(&tl, &w, NULL, 0, &paris, epoch, 0, 7 * D + 9 * H);
	expect_intervals(&tl, want, 6);
	tc_timeline_release(&tl, tc_alloc_default());
	tc_tz_release(&paris);
}

static void overnight_shifts(void **state)
{
	(void)state;
	tc_weekly w;
	tc_timeline tl;
	/* T+0 = Monday 2022-08-15 00:00 UTC. */
	int64_t epoch = iso("2022-08-15T00:00:00Z");
	tc_weekly_init(&w);
	add(&w, "mon-fri", "22:00-06:00");
	compile(&tl, &w, NULL, 0, NULL, epoch, 0, 7 * D);
	tc_interval want[5];
	for (int i = 0; i < 5; i++) {
		want[i].start = i * D + 22 * H;
		want[i].end = i * D + 30 * H;
	}
	expect_intervals(&tl, want, 5);
	tc_timeline_release(&tl, tc_alloc_default());

	/* Touching shifts merge: day and night shifts make one interval. Each
	   shift that meets the span is kept whole; the chain is not followed
	   further (Sunday's day shift ends before T+0, Wednesday's starts after
	   the span). */
	tc_weekly_init(&w);
	add(&w, "daily", "06:00-22:00");
	add(&w, "daily", "22:00-06:00");
	compile(&tl, &w, NULL, 0, NULL, epoch, 0, 2 * D);
	assert_int_equal(tl.count, 1);
	assert_int_equal(tl.iv[0].start, -2 * H);       /* Sunday 22:00 */
	assert_int_equal(tl.iv[0].end, 2 * D + 6 * H);  /* Wednesday 06:00 */
	tc_timeline_release(&tl, tc_alloc_default());

	/* Overnight across DST in Paris: 7 h in spring, 9 h in autumn. */
	tc_tz paris;
	load(&paris, "Europe/Paris");
	tc_weekly_init(&w);
	add(&w, "sat", "22:00-06:00");
	epoch = iso("2022-03-26T00:00:00+01:00");
	compile(&tl, &w, NULL, 0, &paris, epoch, 0, 2 * D);
	assert_int_equal(tl.count, 1);
	assert_int_equal(tl.iv[0].start, 22 * H);
	assert_int_equal(tl.iv[0].end - tl.iv[0].start, 7 * H);
	tc_timeline_release(&tl, tc_alloc_default());
	epoch = iso("2022-10-29T00:00:00+02:00");
	compile(&tl, &w, NULL, 0, &paris, epoch, 0, 2 * D);
	assert_int_equal(tl.count, 1);
	assert_int_equal(tl.iv[0].end - tl.iv[0].start, 9 * H);
	tc_timeline_release(&tl, tc_alloc_default());

	/* Shifts in the spring gap: 02:00-03:00 vanishes, 02:30-04:00 starts at
	   03:30 CEST. */
	tc_weekly_init(&w);
	add(&w, "sun", "02:00-03:00");
	epoch = iso("2022-03-27T00:00:00+01:00");
	compile(&tl, &w, NULL, 0, &paris, epoch, 0, D);
	assert_int_equal(tl.count, 0);
	tc_timeline_release(&tl, tc_alloc_default());
	tc_weekly_init(&w);
	add(&w, "sun", "02:30-04:00");
	compile(&tl, &w, NULL, 0, &paris, epoch, 0, D);
	assert_int_equal(tl.count, 1);
	assert_int_equal(tl.iv[0].start, iso("2022-03-27T03:30:00+02:00") - epoch);
	assert_int_equal(tl.iv[0].end, iso("2022-03-27T04:00:00+02:00") - epoch);
	tc_timeline_release(&tl, tc_alloc_default());
	tc_tz_release(&paris);
}

static void holidays_stop_shift_starts(void **state)
{
	(void)state;
	tc_weekly w;
	tc_timeline tl;
	int64_t epoch = iso("2022-08-15T00:00:00Z");  /* Monday, Assumption Day */
	int64_t aug15 = tc_days_from_civil(2022, 8, 15);
	int64_t hol[] = {tc_days_from_civil(2022, 12, 25), aug15, aug15, tc_days_from_civil(2022, 1, 1)};
	tc_weekly_init(&w);
	add(&w, "mon-fri", "08:00-18:00");
	compile(&tl, &w, hol, 4, NULL, epoch, 0, 7 * D);
	tc_interval want[4];
	for (int i = 0; i < 4; i++) {
		want[i].start = (i + 1) * D + 8 * H;
		want[i].end = (i + 1) * D + 18 * H;
	}
	expect_intervals(&tl, want, 4);
	tc_timeline_release(&tl, tc_alloc_default());

	/* A night shift starting on Sunday runs into the Monday holiday;
	   Monday's own night shift does not start. */
	tc_weekly_init(&w);
	add(&w, "sun-mon", "22:00-06:00");
	compile(&tl, &w, hol, 4, NULL, epoch, 0, 2 * D);
	tc_interval night[] = {{-2 * H, 6 * H}};
	expect_intervals(&tl, night, 1);
	tc_timeline_release(&tl, tc_alloc_default());

	/* 24/7 with a holiday: that local day is off. */
	tc_weekly_init(&w);
	tc_weekly_set_always(&w);
	compile(&tl, &w, &aug15, 1, NULL, epoch - D, 0, 3 * D);
	tc_interval allday[] = {{-D, D}, {2 * D, 4 * D}};
	expect_intervals(&tl, allday, 2);
	tc_timeline_release(&tl, tc_alloc_default());
}

static void always_on_and_empty(void **state)
{
	(void)state;
	tc_weekly w;
	tc_timeline tl;
	tc_weekly_init(&w);
	tc_weekly_set_always(&w);
	compile(&tl, &w, NULL, 0, NULL, 0, 0, D);
	tc_interval all[] = {{TC_TIME_ALWAYS_START, TC_TIME_ALWAYS_END}};
	expect_intervals(&tl, all, 1);
	assert_true(tc_timeline_contains(&tl, 0));
	assert_true(tc_timeline_contains(&tl, -1000 * D));
	assert_true(tc_timeline_contains(&tl, TC_TIME_ALWAYS_START));
	assert_false(tc_timeline_contains(&tl, TC_TIME_ALWAYS_END));
	assert_int_equal(tc_timeline_next_start(&tl, 5 * H), 5 * H);
	assert_int_equal(tc_timeline_current_end(&tl, 5 * H), TC_TIME_ALWAYS_END);
	assert_int_equal(tc_timeline_measure(&tl, -D, D), 2 * D);
	assert_int_equal(tc_timeline_measure(&tl, TC_TIME_ALWAYS_START, TC_TIME_ALWAYS_END), INT64_MAX);
	assert_int_equal(tc_timeline_measure(&tl, INT64_MIN, INT64_MAX), INT64_MAX);
	tc_timeline_release(&tl, tc_alloc_default());

	tc_weekly_init(&w);  /* never on duty */
	compile(&tl, &w, NULL, 0, NULL, 0, 0, 30 * D);
	assert_int_equal(tl.count, 0);
	assert_false(tc_timeline_contains(&tl, 0));
	assert_int_equal(tc_timeline_next_start(&tl, 0), TC_TIME_NEVER);
	assert_int_equal(tc_timeline_current_end(&tl, 7), 7);
	assert_int_equal(tc_timeline_measure(&tl, 0, 30 * D), 0);
	tc_timeline_release(&tl, tc_alloc_default());

	assert_int_equal(tc_timeline_compile(&tl, tc_alloc_default(), &w, NULL, 0, NULL, 0, D, 0),
	                 TC_EINVAL);
	assert_int_equal(tc_timeline_compile(&tl, tc_alloc_default(), &w, NULL, 0, NULL, 0, 0,
	                                     TC_TIME_NEVER), TC_EINVAL);
	assert_int_equal(tc_timeline_compile(&tl, tc_alloc_default(), &w, NULL, 0, NULL, 0, 0,
	                                     300 * 366 * D), TC_ELIMIT);
}

static void boundaries(void **state)
{
	(void)state;
	tc_weekly w;
	tc_timeline tl;
	tc_weekly_init(&w);
	add(&w, "mon-fri", "08:00-18:00");
	compile(&tl, &w, NULL, 0, NULL, iso("2022-08-15T00:00:00Z"), 0, 7 * D);
	/* Start inclusive, end exclusive. */
	assert_false(tc_timeline_contains(&tl, 8 * H - 1));
	assert_true(tc_timeline_contains(&tl, 8 * H));
	assert_true(tc_timeline_contains(&tl, 18 * H - 1));
	assert_false(tc_timeline_contains(&tl, 18 * H));
	assert_int_equal(tc_timeline_next_start(&tl, 0), 8 * H);
	assert_int_equal(tc_timeline_next_start(&tl, 8 * H - 1), 8 * H);
	assert_int_equal(tc_timeline_next_start(&tl, 8 * H), 8 * H);
	assert_int_equal(tc_timeline_next_start(&tl, 12 * H), 12 * H);
	assert_int_equal(tc_timeline_next_start(&tl, 18 * H), D + 8 * H);
	/* Friday evening: next duty is... none within the span. */
	assert_int_equal(tc_timeline_next_start(&tl, 4 * D + 18 * H), TC_TIME_NEVER);
	assert_int_equal(tc_timeline_next_start(&tl, INT64_MIN), 8 * H);
	assert_int_equal(tc_timeline_current_end(&tl, 8 * H), 18 * H);
	assert_int_equal(tc_timeline_current_end(&tl, 18 * H - 1), 18 * H);
	assert_int_equal(tc_timeline_current_end(&tl, 18 * H), 18 * H);  /* off duty: t itself */
	assert_int_equal(tc_timeline_current_end(&tl, 3 * H), 3 * H);
	assert_int_equal(tc_timeline_measure(&tl, 8 * H, 18 * H), 10 * H);
	assert_int_equal(tc_timeline_measure(&tl, 17 * H, D + 9 * H), 2 * H);
	assert_int_equal(tc_timeline_measure(&tl, 18 * H, 18 * H), 0);
	assert_int_equal(tc_timeline_measure(&tl, D, 0), 0);
	assert_int_equal(tc_timeline_measure(&tl, INT64_MIN, INT64_MAX), 50 * H);
	tc_timeline_release(&tl, tc_alloc_default());
}

static uint64_t next_rand(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return *s >> 11;
}

/* Queries against linear scans, on an irregular schedule across DST. */
static void queries_match_brute_force(void **state)
{
	(void)state;
	tc_tz paris;
	load(&paris, "Europe/Paris");
	tc_weekly w;
	tc_weekly_init(&w);
	add(&w, "mon-thu", "07:30-12:15,13:00-17:45");
	add(&w, "fri", "22:00-06:30");
	add(&w, "sat", "02:30-03:30,10:00-10:01");
	add(&w, "sun", "23:59-00:01");
	int64_t epoch = iso("2022-03-01T09:00:00+01:00");
	tc_timeline tl;
	compile(&tl, &w, NULL, 0, &paris, epoch, -3 * D, 60 * D);
	assert_true(tl.count > 40);
	for (size_t i = 0; i < tl.count; i++) {
		assert_true(tl.iv[i].start < tl.iv[i].end);
		if (i > 0)
			assert_true(tl.iv[i - 1].end < tl.iv[i].start);  /* merged: never touching */
	}
	uint64_t seed = 7;
	for (int k = 0; k < 20000; k++) {
		tc_time a = (tc_time)(next_rand(&seed) % (uint64_t)(66 * D)) - 4 * D;
		tc_time b = a + (tc_time)(next_rand(&seed) % (uint64_t)(10 * D));
		if (k % 5 == 0)
			a = tl.iv[next_rand(&seed) % tl.count].start - (tc_time)(next_rand(&seed) % 3);
		tc_time sum = 0, next = TC_TIME_NEVER, end = a;
		int in = 0;
		for (size_t i = 0; i < tl.count; i++) {
			tc_time s = tl.iv[i].start > a ? tl.iv[i].start : a;
			tc_time e = tl.iv[i].end < b ? tl.iv[i].end : b;
			if (e > s)
				sum += e - s;
			if (tl.iv[i].start <= a && a < tl.iv[i].end) {
				in = 1;
				end = tl.iv[i].end;
			}
			if (next == TC_TIME_NEVER && tl.iv[i].end > a)
				next = tl.iv[i].start > a ? tl.iv[i].start : a;
		}
		if (tc_timeline_measure(&tl, a, b) != sum)
			fail_msg("measure(%lld, %lld)", (long long)a, (long long)b);
		assert_int_equal(tc_timeline_contains(&tl, a), in);
		assert_int_equal(tc_timeline_next_start(&tl, a), next);
		assert_int_equal(tc_timeline_current_end(&tl, a), end);
	}
	/* Every shift starts and ends at the local times written, DST or not. */
	size_t n730 = 0;
	for (size_t i = 0; i < tl.count; i++) {
		char buf[48];
		tc_datetime_format(epoch + tl.iv[i].start, &paris, buf, sizeof buf);
		n730 += strncmp(buf + 11, "07:30:00", 8) == 0;
	}
	assert_int_equal(n730, 4 * 9);  /* Mon-Thu of the 9 weeks from 28 Feb to 28 Apr */
	tc_timeline_release(&tl, tc_alloc_default());
	tc_tz_release(&paris);
}

static void allocation_failures(void **state)
{
	(void)state;
	tc_weekly w;
	tc_weekly_init(&w);
	add(&w, "daily", "08:00-09:00,10:00-11:00,12:00-13:00");
	int64_t hol[] = {tc_days_from_civil(2022, 8, 20)};
	int64_t epoch = iso("2022-08-15T00:00:00Z");
	tc_timeline ref;
	compile(&ref, &w, hol, 1, NULL, epoch, 0, 30 * D);
	int succeeded = 0;
	for (long k = 0; k < 50 && !succeeded; k++) {
		tc_failing_alloc fa;
		tc_failing_alloc_init(&fa, k);
		tc_timeline tl;
		int rc = tc_timeline_compile(&tl, &fa.alloc, &w, hol, 1, NULL, epoch, 0, 30 * D);
		if (rc == TC_OK) {
			assert_true(k >= 3);  /* holidays, intervals, final block */
			assert_int_equal(tl.count, ref.count);
			assert_memory_equal(tl.iv, ref.iv, ref.count * sizeof *ref.iv);
			assert_int_equal(fa.live_blocks, 1);
			tc_timeline_release(&tl, &fa.alloc);
			succeeded = 1;
		} else {
			assert_int_equal(rc, TC_ENOMEM);
			assert_int_equal(tl.count, 0);
			assert_null(tl.iv);
		}
		assert_int_equal(fa.live_blocks, 0);
		assert_int_equal(fa.live_bytes, 0);
	}
	assert_true(succeeded);
	tc_timeline_release(&ref, tc_alloc_default());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(schedule_parsing),
		cmocka_unit_test(schedule_errors),
		cmocka_unit_test(paris_week_across_dst_change),
		cmocka_unit_test(overnight_shifts),
		cmocka_unit_test(holidays_stop_shift_starts),
		cmocka_unit_test(always_on_and_empty),
		cmocka_unit_test(boundaries),
		cmocka_unit_test(queries_match_brute_force),
		cmocka_unit_test(allocation_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
