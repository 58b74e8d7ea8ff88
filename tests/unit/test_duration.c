/* Durations, exercise-clock times, civil dates, ISO 8601 date-times and
   calendar-month arithmetic. */
#include "test_support.h"

#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/timefmt.h"
#include "core/tz.h"

static tc_duration dur(const char *s)
{
	tc_duration d = {-999, -999};
	char err[200];
	size_t off = 0;
	int rc = tc_duration_parse(s, strlen(s), &d, err, sizeof err, &off);
	if (rc != TC_OK)
		fail_msg("'%s' rejected at %zu: %s", s, off, err);
	return d;
}

static int64_t ms(const char *s)
{
	tc_duration d = dur(s);
	assert_int_equal(d.months, 0);
	return d.ms;
}

/* The input must be rejected with exactly this message at this offset. */
static void bad(const char *s, size_t offset, const char *message)
{
	tc_duration d = {42, 42};
	char err[200] = "";
	size_t off = 9999;
	int rc = tc_duration_parse(s, strlen(s), &d, err, sizeof err, &off);
	if (rc != TC_EINVAL)
		fail_msg("'%s' accepted (%d)", s, rc);
	if (strcmp(err, message) != 0 || off != offset)
		fail_msg("'%s': got '%s' at %zu, want '%s' at %zu", s, err, off, message, offset);
	assert_int_equal(d.ms, 42);  /* untouched on error */
}

static void duration_units_and_compounds(void **state)
{
	(void)state;
	assert_int_equal(ms("500ms"), 500);
	assert_int_equal(ms("90s"), 90000);
	assert_int_equal(ms("45m"), 2700000);
	assert_int_equal(ms("2h"), 7200000);
	assert_int_equal(ms("1d"), 86400000);
	assert_int_equal(ms("1w"), 604800000);
	assert_int_equal(ms("1h30m"), 5400000);
	assert_int_equal(ms("1d2h"), 93600000);
	assert_int_equal(ms("2h 30m"), 9000000);
	assert_int_equal(ms("2 h 30 m"), 9000000);
	assert_int_equal(ms("1w2d3h4m5s6ms"), 604800000 + 2 * 86400000 + 3 * 3600000 + 4 * 60000 + 5006);
	assert_int_equal(ms("  90s\t"), 90000);
	assert_int_equal(ms("0"), 0);
	assert_int_equal(ms("-0"), 0);
	assert_int_equal(ms("0s"), 0);
	assert_int_equal(ms("-2h"), -7200000);
	assert_int_equal(ms("+2h"), 7200000);
	assert_int_equal(ms("-1h30m"), -5400000);
	/* Decimals are exact to the millisecond. */
	assert_int_equal(ms("1.5h"), 5400000);
	assert_int_equal(ms("0.25s"), 250);
	assert_int_equal(ms("0.001s"), 1);
	assert_int_equal(ms("1.500000s"), 1500);
	assert_int_equal(ms("0.0625h"), 225000);
	assert_int_equal(ms("0.0009765625w"), 590625);  /* 2^-10 week */
	assert_int_equal(ms("2.5d"), 216000000);
	/* The +-2^62 ms bound is inclusive. */
	assert_int_equal(ms("4611686018427387904ms"), TC_DURATION_MAX);
	assert_int_equal(ms("-4611686018427387904ms"), -TC_DURATION_MAX);
	assert_int_equal(ms("53375995583d"), 53375995583LL * 86400000);
}

static void duration_clock_and_chronogram(void **state)
{
	(void)state;
	assert_int_equal(ms("T+02:30"), 9000000);
	assert_int_equal(ms("T+02:30:15"), 9015000);
	assert_int_equal(ms("T+02:30:15.250"), 9015250);
	assert_int_equal(ms("T+02:30:15.25"), 9015250);
	assert_int_equal(ms("T+1d02:30"), 95400000);
	assert_int_equal(ms("T+1d02:30:00"), 95400000);
	assert_int_equal(ms("T-02:00"), -7200000);
	assert_int_equal(ms("T-00:30:00"), -1800000);
	assert_int_equal(ms("T+72:00"), 72 * 3600000LL);
	assert_int_equal(ms("T+2h30m"), 9000000);
	assert_int_equal(ms("T-2h"), -7200000);
	assert_int_equal(ms("T+0"), 0);
	assert_int_equal(ms("D+1 H+3 M+45"), 86400000 + 3 * 3600000 + 45 * 60000);
	assert_int_equal(ms("J+1 H+3 M+45"), 86400000 + 3 * 3600000 + 45 * 60000);
	assert_int_equal(ms("D+1H+3"), 97200000);
	assert_int_equal(ms("H+3 M+45"), 13500000);
	assert_int_equal(ms("M+45 S+30"), 2730000);
	assert_int_equal(ms("D+2"), 2 * 86400000);
	assert_int_equal(ms("J-1"), -86400000);
	assert_int_equal(ms("D-1 H-2"), -93600000);
	assert_int_equal(ms("H+36"), 36 * 3600000LL);
}

static void duration_months(void **state)
{
	(void)state;
	tc_duration d = dur("1mo");
	assert_int_equal(d.months, 1);
	assert_int_equal(d.ms, 0);
	d = dur("2mo");
	assert_int_equal(d.months, 2);
	d = dur("1mo2d");
	assert_int_equal(d.months, 1);
	assert_int_equal(d.ms, 2 * 86400000);
	d = dur("-1mo 2d");
	assert_int_equal(d.months, -1);
	assert_int_equal(d.ms, -2 * 86400000);
	d = dur("T+1mo");
	assert_int_equal(d.months, 1);
	/* A month counts as 31 days against the 2^62 ms bound. */
	d = dur("1721000000mo");
	assert_int_equal(d.months, 1721000000);
	bad("1722000000mo", 0, "duration out of range: the limit is 2^62 ms (about 146 million "
	    "years), counting a month as 31 days");
}

static void duration_errors_say_what_and_where(void **state)
{
	(void)state;
	bad("90", 2, "expected a unit (ms, s, m, h, d, w, mo) after '90'");
	bad("1h30", 4, "expected a unit (ms, s, m, h, d, w, mo) after '30'");
	bad("1 2h", 2, "expected a unit (ms, s, m, h, d, w, mo) after '1'");
	bad("", 0, "expected a duration (such as 90s, 1h30m, T+02:30 or D+1 H+3), found end of text");
	bad("   ", 0, "expected a duration (such as 90s, 1h30m, T+02:30 or D+1 H+3), found end of text");
	bad("2hr", 1, "unknown unit 'hr': expected one of ms, s, m, h, d, w, mo (lower case)");
	bad("2H", 1, "unknown unit 'H': expected one of ms, s, m, h, d, w, mo (lower case)");
	bad("30m1h", 4, "unit 'h' after 'm': write the parts from the largest unit to the smallest, "
	    "each once");
	bad("1h1h", 3, "unit 'h' after 'h': write the parts from the largest unit to the smallest, "
	    "each once");
	bad("1.5mo", 0, "months must be whole numbers, found '1.5'");
	bad("1.0001s", 0, "'1.0001s' is not a whole number of milliseconds");
	bad("2h 0.5ms", 3, "'0.5ms' is not a whole number of milliseconds");
	bad("1.", 2, "expected a digit after '.', found end of text");
	bad("1h x", 3, "expected a number or the end of the duration, found 'x'");
	bad("abc", 0, "expected a duration such as 90s, 1h30m, T+02:30 or D+1 H+3, found 'a'");
	bad("--2h", 1, "expected a duration such as 90s, 1h30m, T+02:30 or D+1 H+3, found '-'");
	bad("4611686018427387905ms", 0, "duration out of range: the limit is 2^62 ms (about 146 "
	    "million years), counting a month as 31 days");
	bad("53375995584d", 0, "duration out of range: the limit is 2^62 ms (about 146 million "
	    "years), counting a month as 31 days");
	bad("99999999999999999999999h", 0, "duration out of range: the limit is 2^62 ms (about 146 "
	    "million years), counting a month as 31 days");
	/* Clock form. */
	bad("T02:00", 1, "expected '+' or '-' after 'T', found '0'");
	bad("T+", 2, "expected a time after 'T+' (such as T+02:30 or T+2h), found end of text");
	bad("-T+02:00", 0, "a sign cannot precede 'T': write T+ or T-");
	bad("T+25:61", 5, "expected two-digit minutes 00-59 after ':', found '6'");
	bad("T+02:3", 5, "expected two-digit minutes 00-59 after ':', found '3'");
	bad("T+1d25:00", 4, "hours must be 00-23 after a day count, found '25'");
	bad("T+02:30:15.2501", 14, "fraction of a second finer than 1 ms: '.2501'");
	bad("T+02:30 x", 8, "expected the end of the duration, found 'x'");
	/* Chronogram. */
	bad("D+1 H-3", 5, "mixed signs in a chronogram: 'H-' after 'D+'; give all parts the same sign");
	bad("H+3 D+1", 4, "'D' after 'H': write the chronogram parts in the order D (or J), H, M, S, "
	    "each once");
	bad("D+", 2, "expected a number after 'D+', found end of text");
	bad("D+1.5", 3, "chronogram values are whole numbers, found '.'");
	bad("D+1 X+2", 4, "expected D+, H+, M+ or S+ (chronogram), or the end, found 'X'");
	bad("-D+1", 0, "a sign cannot precede a chronogram: write the sign after the letter, as in D-1");
	bad("D+1 H 3", 5, "expected '+' or '-' after 'H', found ' '");

	/* Non-terminated input: only len bytes are read. */
	tc_duration d;
	assert_int_equal(tc_duration_parse("2h30m", 2, &d, NULL, 0, NULL), TC_OK);
	assert_int_equal(d.ms, 7200000);
	/* A short error buffer is truncated, not overrun. */
	char small[8];
	assert_int_equal(tc_duration_parse("90", 2, &d, small, sizeof small, NULL), TC_EINVAL);
	assert_string_equal(small, "expecte");
}

/* A small deterministic generator for round-trip tests. */
static uint64_t next_rand(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return *s >> 11;
}

static void duration_and_time_format_round_trip(void **state)
{
	(void)state;
	char buf[40];
	struct {
		int64_t v;
		const char *s;
	} d[] = {
		{0, "0s"}, {45000, "45s"}, {5400000, "1h30m"}, {2 * 86400000 + 4 * 3600000, "2d4h"},
		{-7200000, "-2h"}, {3600250, "1h250ms"}, {500, "500ms"}, {604800000, "7d"},
		{INT64_MIN, "-106751991167d7h12m55s808ms"},
	};
	for (size_t i = 0; i < sizeof d / sizeof d[0]; i++) {
		tc_duration_format(d[i].v, buf, sizeof buf);
		assert_string_equal(buf, d[i].s);
	}
	struct {
		int64_t v;
		const char *s;
	} t[] = {
		{0, "T+00:00:00"}, {9000000, "T+02:30:00"}, {95400000, "T+1d02:30:00"},
		{-1800000, "T-00:30:00"}, {1250, "T+00:00:01.250"}, {-(2 * 86400000 + 1), "T-2d00:00:00.001"},
		{TC_TIME_NEVER, "never"},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		tc_time_format(t[i].v, buf, sizeof buf);
		assert_string_equal(buf, t[i].s);
	}
	tc_duration full = {2 * 86400000, 1};
	tc_duration_format_full(full, buf, sizeof buf);
	assert_string_equal(buf, "1mo2d");
	full.ms = -full.ms;
	full.months = -1;
	tc_duration_format_full(full, buf, sizeof buf);
	assert_string_equal(buf, "-1mo2d");
	assert_int_equal(dur(buf).months, -1);
	assert_int_equal(dur(buf).ms, -2 * 86400000);
	/* Truncation keeps the NUL. */
	tc_time_format(95400000, buf, 6);
	assert_string_equal(buf, "T+1d0");

	/* Everything formatted reads back to the same value, at every scale. */
	uint64_t seed = 12345;
	for (int i = 0; i < 20000; i++) {
		int shift = (int)(next_rand(&seed) % 63);
		int64_t v = (int64_t)(next_rand(&seed) & ((UINT64_C(1) << shift) - 1));
		if (v > TC_DURATION_MAX)
			v = TC_DURATION_MAX;
		if (next_rand(&seed) & 1)
			v = -v;
		tc_duration_format(v, buf, sizeof buf);
		if (ms(buf) != v)
			fail_msg("duration %lld -> '%s'", (long long)v, buf);
		tc_time_format(v, buf, sizeof buf);
		if (ms(buf) != v)
			fail_msg("time %lld -> '%s'", (long long)v, buf);
	}
}

static void civil_calendar(void **state)
{
	(void)state;
	assert_int_equal(tc_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(tc_days_from_civil(1969, 12, 31), -1);
	assert_int_equal(tc_days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(tc_days_from_civil(2022, 8, 20), 19224);
	assert_int_equal(tc_days_from_civil(1600, 2, 29), -135081);
	assert_int_equal(tc_days_from_civil(1, 1, 1), -719162);
	assert_int_equal(tc_weekday(0), 3);                                /* Thursday */
	assert_int_equal(tc_weekday(tc_days_from_civil(2022, 8, 20)), 5);  /* Saturday */
	assert_int_equal(tc_weekday(tc_days_from_civil(2022, 10, 30)), 6); /* Sunday */
	assert_int_equal(tc_weekday(tc_days_from_civil(2022, 8, 15)), 0);  /* Monday */
	assert_int_equal(tc_weekday(-719162), 0);                          /* 0001-01-01 Monday */
	assert_int_equal(tc_days_in_month(2024, 2), 29);
	assert_int_equal(tc_days_in_month(1900, 2), 28);
	assert_int_equal(tc_days_in_month(2000, 2), 29);
	assert_int_equal(tc_days_in_month(2022, 4), 30);
	/* Day by day over 5,400 years: each day is the successor of the last. */
	int64_t y;
	unsigned m, d;
	tc_civil_from_days(-1000000, &y, &m, &d);
	for (int64_t day = -999999; day <= 1000000; day++) {
		int64_t y2;
		unsigned m2, d2;
		tc_civil_from_days(day, &y2, &m2, &d2);
		int ok = (y2 == y && m2 == m && d2 == d + 1) ||
		         (y2 == y && m2 == m + 1 && d2 == 1 && d == tc_days_in_month(y, m)) ||
		         (y2 == y + 1 && m2 == 1 && d2 == 1 && m == 12 && d == 31);
		if (!ok || tc_days_from_civil(y2, m2, d2) != day)
			fail_msg("day %lld", (long long)day);
		if (tc_weekday(day) != (tc_weekday(day - 1) + 1) % 7)
			fail_msg("weekday %lld", (long long)day);
		y = y2;
		m = m2;
		d = d2;
	}
}

static int64_t dt(const char *s, int *has_offset)
{
	int64_t v = -1;
	char err[200];
	size_t off;
	if (tc_datetime_parse(s, strlen(s), &v, has_offset, err, sizeof err, &off) != TC_OK)
		fail_msg("'%s' rejected at %zu: %s", s, off, err);
	return v;
}

static void bad_dt(const char *s, size_t offset, const char *message)
{
	int64_t v;
	int has;
	char err[200] = "";
	size_t off = 9999;
	if (tc_datetime_parse(s, strlen(s), &v, &has, err, sizeof err, &off) != TC_EINVAL)
		fail_msg("'%s' accepted", s);
	if (strcmp(err, message) != 0 || off != offset)
		fail_msg("'%s': got '%s' at %zu, want '%s' at %zu", s, err, off, message, offset);
}

static void iso_datetimes(void **state)
{
	(void)state;
	const int64_t z = 1661029200000LL;  /* 2022-08-20T21:00:00Z */
	int has = -1;
	assert_int_equal(dt("2022-08-20T23:00:00+02:00", &has), z);
	assert_int_equal(has, 1);
	assert_int_equal(dt("2022-08-20T21:00:00Z", &has), z);
	assert_int_equal(dt("2022-08-20t21:00z", &has), z);
	assert_int_equal(dt("2022-08-20T23:00:00+0200", &has), z);
	assert_int_equal(dt("2022-08-20T23:00+02", &has), z);
	assert_int_equal(dt("2022-08-20T15:30:00-05:30", &has), z);
	assert_int_equal(dt("2022-08-20T21:00:00.5Z", &has), z + 500);
	assert_int_equal(dt("2022-08-20T21:00:00,125Z", &has), z + 125);
	assert_int_equal(dt("2022-08-20T21:00:00.125000Z", &has), z + 125);
	/* Without an offset: the wall time as if it were UTC, for a zone to convert. */
	assert_int_equal(dt("2022-08-20T23:00", &has), z + 2 * 3600000);
	assert_int_equal(has, 0);
	assert_int_equal(dt(" 2022-08-20 23:00:00 ", &has), z + 2 * 3600000);
	assert_int_equal(has, 0);
	assert_int_equal(dt("1969-12-31T23:59:59Z", &has), -1000);

	bad_dt("2022-13-01T00:00", 5, "month must be 01-12, found '13'");
	bad_dt("2022-02-29T00:00", 8, "day must be 01-28 in 2022-02, found '29'");
	bad_dt("2022-04-31T00:00", 8, "day must be 01-30 in 2022-04, found '31'");
	bad_dt("2022-08-20T24:00", 11, "hours must be 00-23, found '24' (write 00:00 of the next day)");
	bad_dt("2022-08-20", 10, "expected 'T' or a space and a time after the date "
	       "(YYYY-MM-DDTHH:MM), found end of text");
	bad_dt("2022-08-20T23:00:60", 17, "seconds must be 00-59, found '60' (leap seconds are not "
	       "supported)");
	bad_dt("22-08-20T23:00", 2, "expected a four-digit year (YYYY-MM-DD), found '-'");
	bad_dt("2022-8-20T23:00", 5, "expected a two-digit month (YYYY-MM-DD), found '8'");
	bad_dt("2022-08-20T23:60", 14, "expected two-digit minutes 00-59, found '6'");
	bad_dt("2022-08-20T23:00+25:00", 17, "expected a two-digit offset hour 00-23 after the sign, "
	       "found '2'");
	bad_dt("2022-08-20T23:00:00.1234Z", 23, "fraction of a second finer than 1 ms: '.1234'");
	bad_dt("2022-08-20T23:00 x", 16, "expected an offset (Z, +HH:MM) or the end, found ' '");
	bad_dt("2022-08-20T23:00Zx", 17, "expected the end of the date-time, found 'x'");

	int64_t days;
	char err[200];
	size_t off;
	assert_int_equal(tc_date_parse("2022-08-15", 10, &days, err, sizeof err, &off), TC_OK);
	assert_int_equal(days, 19219);
	assert_int_equal(tc_date_parse("2024-02-29", 10, &days, err, sizeof err, &off), TC_OK);
	assert_int_equal(tc_date_parse("2023-02-29", 10, &days, err, sizeof err, &off), TC_EINVAL);
	assert_string_equal(err, "day must be 01-28 in 2023-02, found '29'");
	assert_int_equal(off, 8);
	assert_int_equal(tc_date_parse("2022-08-15T10:00", 16, &days, err, sizeof err, &off),
	                 TC_EINVAL);
	assert_string_equal(err, "expected the end of the date (YYYY-MM-DD), found 'T'");
	assert_int_equal(off, 10);
}

static int64_t utc_ms(int64_t y, unsigned mo, unsigned d, unsigned h, unsigned mi)
{
	return (tc_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60) * 1000;
}

static void calendar_months(void **state)
{
	(void)state;
	tc_tz paris;
	char err[200];
	if (tc_tz_load(&paris, tc_alloc_default(), "Europe/Paris", err, sizeof err) != TC_OK)
		fail_msg("%s", err);
	const tc_duration one = {0, 1};
	const int64_t D = TC_DAY, H = TC_HOUR;

	/* 31 Jan 10:00 Paris + 1 month = 28 Feb 10:00 (clamped). */
	int64_t epoch = utc_ms(2022, 1, 31, 9, 0);
	assert_int_equal(tc_time_add(0, one, epoch, &paris), 28 * D);
	/* + 2 months = 31 Mar 10:00 CEST: one hour less than 59 days. */
	tc_duration two = {0, 2};
	assert_int_equal(tc_time_add(0, two, epoch, &paris), 59 * D - H);
	/* Months first, then the fixed part. */
	assert_int_equal(tc_time_add(0, dur("1mo2d"), epoch, &paris), 30 * D);
	tc_duration back = {0, -1};
	assert_int_equal(tc_time_add(0, back, epoch, &paris), -31 * D);
	/* Sub-second parts ride along. */
	assert_int_equal(tc_time_add(1, one, epoch, &paris), 28 * D + 1);
	/* Leap year, UTC. */
	assert_int_equal(tc_time_add(0, one, utc_ms(2024, 1, 31, 9, 0), NULL), 29 * D);
	tc_duration year = {0, 12};
	assert_int_equal(tc_time_add(0, year, utc_ms(2024, 2, 29, 0, 0), NULL), 365 * D);
	/* Into the spring gap: 27 Feb 02:30 CET + 1mo = 27 Mar 02:30, which does
	   not exist, read as 03:30 CEST = 01:30 UTC: exactly 28 days later. */
	assert_int_equal(tc_time_add(0, one, utc_ms(2022, 2, 27, 1, 30), &paris), 28 * D);
	/* Into the autumn overlap: 30 Sep 02:30 CEST + 1mo = 30 Oct 02:30, the
	   earlier (CEST) one: 30 days. */
	assert_int_equal(tc_time_add(0, one, utc_ms(2022, 9, 30, 0, 30), &paris), 30 * D);
	/* NIS2: T+0 on 20 Aug 2022 23:00 Paris; notification at T+30h (22 Aug
	   05:00); final report due one month later, 22 Sep 05:00 = 31 days on. */
	epoch = utc_ms(2022, 8, 20, 21, 0);
	assert_int_equal(tc_time_add(30 * H, one, epoch, &paris), 30 * H + 31 * D);
	/* Fixed durations, infinity and saturation. */
	tc_duration h2 = {2 * H, 0};
	assert_int_equal(tc_time_add(-H, h2, epoch, &paris), H);
	assert_int_equal(tc_time_add(TC_TIME_NEVER, h2, epoch, &paris), TC_TIME_NEVER);
	assert_int_equal(tc_time_add(TC_TIME_ALWAYS_END, h2, epoch, &paris), TC_TIME_ALWAYS_END);
	tc_duration minus = {-TC_DURATION_MAX, 0};
	assert_int_equal(tc_time_add(TC_TIME_ALWAYS_START, minus, epoch, NULL), TC_TIME_ALWAYS_START);
	tc_tz_release(&paris);
}

/* Exercise times as injects write them, the MSEL spreadsheets' D+ H+ M+
 * form included; T+0 is 20 Aug 2022 22:00 Paris (20:00 UTC). */
static int64_t at(const char *s, int64_t epoch, const tc_tz *tz)
{
	tc_time t = -999;
	char err[200];
	size_t off = 0;
	if (tc_exercise_time_parse(s, strlen(s), epoch, tz, &t, err, sizeof err, &off))
		fail_msg("'%s' rejected at %zu: %s", s, off, err);
	return t;
}

static void exercise_times(void **state)
{
	(void)state;
	tc_tz paris;
	char err[200];
	if (tc_tz_load(&paris, tc_alloc_default(), "Europe/Paris", err, sizeof err) != TC_OK)
		fail_msg("%s", err);
	const int64_t epoch = utc_ms(2022, 8, 20, 20, 0), D = TC_DAY, H = TC_HOUR, M = TC_MINUTE;
	const int64_t want = D + 2 * H + 30 * M;
	assert_int_equal(at("D+1 H+02 M+30", epoch, &paris), want);
	assert_int_equal(at("D+1H+02M+30", epoch, &paris), want);
	assert_int_equal(at("  D+1  H+2 M+30 ", epoch, &paris), want);
	assert_int_equal(at("T+1d02:30:00", epoch, &paris), want);
	assert_int_equal(at("26h30m", epoch, &paris), want);
	assert_int_equal(at("2022-08-22T00:30:00", epoch, &paris), want); /* local time */
	assert_int_equal(at("2022-08-21T22:30:00Z", epoch, &paris), want);
	assert_int_equal(at("H+02", epoch, &paris), 2 * H);
	assert_int_equal(at("M+30", epoch, &paris), 30 * M);
	assert_int_equal(at("D+0", epoch, &paris), 0);
	assert_int_equal(at("H-2", epoch, &paris), -2 * H);
	/* Parts in order, each once. */
	tc_time t = 42;
	size_t off = 0;
	const char *wrong = "D+1 M+30 H+02";
	assert_int_equal(tc_exercise_time_parse(wrong, strlen(wrong), epoch, &paris, &t, err,
	                                        sizeof err, &off), TC_EINVAL);
	assert_string_equal(err, "'H' after 'M': write the chronogram parts in the order D (or J), "
	                         "H, M, S, each once");
	assert_int_equal(off, 9);
	assert_int_equal(t, 42);
	tc_tz_release(&paris);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(duration_units_and_compounds),
		cmocka_unit_test(duration_clock_and_chronogram),
		cmocka_unit_test(duration_months),
		cmocka_unit_test(duration_errors_say_what_and_where),
		cmocka_unit_test(duration_and_time_format_round_trip),
		cmocka_unit_test(civil_calendar),
		cmocka_unit_test(iso_datetimes),
		cmocka_unit_test(calendar_months),
		cmocka_unit_test(exercise_times),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
