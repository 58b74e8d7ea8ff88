/* Time zones: TZif reading, POSIX footer rules, local<->UTC mapping. Known
   answers are UTC instants of published transitions (checked by hand against
   the EU, US and NSW rules). */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/timefmt.h"
#include "core/tz.h"

/* UTC seconds of a civil date-time. */
static int64_t utc(int64_t y, unsigned mo, unsigned d, unsigned h, unsigned mi, unsigned s)
{
	return tc_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

static void load(tc_tz *tz, const char *name)
{
	char err[256];
	int rc = tc_tz_load(tz, tc_alloc_default(), name, err, sizeof err);
	if (rc != TC_OK)
		fail_msg("loading %s: %s", name, err);
}

/* ---- a TZif writer for synthetic files ---- */

typedef struct tzb {
	unsigned char d[8192];
	size_t n;
} tzb;

static void b8(tzb *b, unsigned v)
{
	b->d[b->n++] = (unsigned char)v;
}

static void b32(tzb *b, uint32_t v)
{
	for (int i = 3; i >= 0; i--)
		b8(b, (v >> (8 * i)) & 0xff);
}

static void b64(tzb *b, int64_t v)
{
	b32(b, (uint32_t)((uint64_t)v >> 32));
	b32(b, (uint32_t)(uint64_t)v);
}

static void header(tzb *b, char version, uint32_t timecnt, uint32_t typecnt, uint32_t charcnt)
{
	memcpy(b->d + b->n, "TZif", 4);
	b->n += 4;
	b8(b, (unsigned char)version);
	for (int i = 0; i < 15; i++)
		b8(b, 0);
	b32(b, 0);        /* isutcnt */
	b32(b, 0);        /* isstdcnt */
	b32(b, 0);        /* leapcnt */
	b32(b, timecnt);
	b32(b, typecnt);
	b32(b, charcnt);
}

/*
 * A TZif file: version '2' (v1 block minimal, 64-bit data, footer) or 0
 * (32-bit data only). All types share the designation "ZZZ".
 */
static void build(tzb *b, char version, const int64_t *times, const unsigned char *idx, size_t nt,
                  const int32_t *offs, size_t ntypes, const char *footer)
{
	b->n = 0;
	int tsize = version ? 8 : 4;
	if (version) {
		header(b, version, 0, 1, 4);
		b32(b, 0);
		b8(b, 0);
		b8(b, 0);
		memcpy(b->d + b->n, "UTC", 4);
		b->n += 4;
	}
	header(b, version, (uint32_t)nt, (uint32_t)ntypes, 4);
	for (size_t i = 0; i < nt; i++) {
		if (tsize == 8)
			b64(b, times[i]);
		else
			b32(b, (uint32_t)(int32_t)times[i]);
	}
	for (size_t i = 0; i < nt; i++)
		b8(b, idx[i]);
	for (size_t i = 0; i < ntypes; i++) {
		b32(b, (uint32_t)offs[i]);
		b8(b, 0);
		b8(b, 0);
	}
	memcpy(b->d + b->n, "ZZZ", 4);
	b->n += 4;
	if (version) {
		b8(b, '\n');
		size_t fl = strlen(footer);
		memcpy(b->d + b->n, footer, fl);
		b->n += fl;
		b8(b, '\n');
	}
}

static int parse(tc_tz *tz, const tzb *b, char *err, size_t errlen)
{
	return tc_tz_parse(tz, tc_alloc_default(), b->d, b->n, "Test/Zone", err, errlen);
}

/* A zone made of only a footer rule (like a "slim" file after its table). */
static void footer_only(tc_tz *tz, const char *rule)
{
	tzb b;
	int32_t off = 0;
	char err[256];
	build(&b, '2', NULL, NULL, 0, &off, 1, rule);
	int rc = parse(tz, &b, err, sizeof err);
	if (rc != TC_OK)
		fail_msg("footer %s: %s", rule, err);
}

/* ---- system zones (tzdata) ---- */

static void paris_offsets_and_transitions(void **state)
{
	(void)state;
	tc_tz tz;
	load(&tz, "Europe/Paris");
	assert_string_equal(tc_tz_name(&tz), "Europe/Paris");
	assert_int_equal(tc_tz_offset(&tz, utc(2022, 8, 20, 21, 0, 0)), 7200);
	assert_int_equal(tc_tz_offset(&tz, utc(2022, 12, 1, 12, 0, 0)), 3600);
	/* 2022-03-27 01:00:00 UTC: 02:00 CET -> 03:00 CEST. */
	assert_int_equal(utc(2022, 3, 27, 1, 0, 0), 1648342800);
	assert_int_equal(tc_tz_offset(&tz, 1648342799), 3600);
	assert_int_equal(tc_tz_offset(&tz, 1648342800), 7200);
	assert_int_equal(tc_tz_next_transition(&tz, 1648000000), 1648342800);
	/* 2022-10-30 01:00:00 UTC: 03:00 CEST -> 02:00 CET. */
	assert_int_equal(tc_tz_offset(&tz, 1667091599), 7200);
	assert_int_equal(tc_tz_offset(&tz, 1667091600), 3600);
	assert_int_equal(tc_tz_next_transition(&tz, 1648342800), 1667091600);
	/* Paris kept local mean time (+00:09:21) before 1891. */
	assert_int_equal(tc_tz_offset(&tz, utc(1880, 1, 1, 0, 0, 0)), 561);
	tc_tz_release(&tz);
}

static void paris_gap_and_overlap(void **state)
{
	(void)state;
	tc_tz tz;
	load(&tz, "Europe/Paris");
	int64_t mar27 = tc_days_from_civil(2022, 3, 27) * 86400;
	/* Before, inside and after the spring gap (02:00-03:00 local missing). */
	assert_int_equal(tc_tz_local_to_utc(&tz, mar27 + 1 * 3600 + 3599), 1648342799);
	assert_int_equal(tc_tz_local_to_utc(&tz, mar27 + 2 * 3600), 1648342800);
	/* 02:30 does not exist: moved forward by the gap, i.e. 03:30 CEST = 01:30 UTC. */
	assert_int_equal(tc_tz_local_to_utc(&tz, mar27 + 2 * 3600 + 1800), 1648342800 + 1800);
	assert_int_equal(tc_tz_local_to_utc(&tz, mar27 + 3 * 3600 + 1800), 1648342800 + 1800);
	assert_int_equal(tc_tz_local_to_utc(&tz, mar27 + 3 * 3600), 1648342800);
	/* Autumn: 02:00-03:00 local happens twice; the earlier (CEST) is chosen. */
	int64_t oct30 = tc_days_from_civil(2022, 10, 30) * 86400;
	assert_int_equal(tc_tz_local_to_utc(&tz, oct30 + 2 * 3600 + 1800), utc(2022, 10, 30, 0, 30, 0));
	assert_int_equal(tc_tz_local_to_utc(&tz, oct30 + 2 * 3600), utc(2022, 10, 30, 0, 0, 0));
	assert_int_equal(tc_tz_local_to_utc(&tz, oct30 + 1 * 3600 + 3599), utc(2022, 10, 29, 23, 59, 59));
	assert_int_equal(tc_tz_local_to_utc(&tz, oct30 + 3 * 3600), utc(2022, 10, 30, 2, 0, 0));
	/* Round trip over a year: every instant maps back to itself, except the
	   second CET hour of the overlap, which maps to the earlier CEST one. */
	for (int64_t t = utc(2022, 1, 1, 0, 0, 0); t < utc(2023, 1, 1, 0, 0, 0); t += 900) {
		int64_t local = t + tc_tz_offset(&tz, t);
		int64_t back = tc_tz_local_to_utc(&tz, local);
		if (t >= 1667091600 && t < 1667091600 + 3600)
			assert_int_equal(back, t - 3600);
		else
			assert_int_equal(back, t);
	}
	tc_tz_release(&tz);
}

static void paris_after_2037_uses_footer(void **state)
{
	(void)state;
	tc_tz tz;
	load(&tz, "Europe/Paris");
	assert_true(tz.has_rule);
	/* 2040: last Sundays are 25 March and 28 October, at 01:00 UTC. */
	assert_int_equal(tc_tz_offset(&tz, utc(2040, 3, 25, 0, 59, 59)), 3600);
	assert_int_equal(tc_tz_offset(&tz, utc(2040, 3, 25, 1, 0, 0)), 7200);
	assert_int_equal(tc_tz_offset(&tz, utc(2040, 10, 28, 0, 59, 59)), 7200);
	assert_int_equal(tc_tz_offset(&tz, utc(2040, 10, 28, 1, 0, 0)), 3600);
	assert_int_equal(tc_tz_next_transition(&tz, utc(2040, 1, 1, 0, 0, 0)),
	                 utc(2040, 3, 25, 1, 0, 0));
	assert_int_equal(tc_tz_offset(&tz, utc(2100, 7, 1, 0, 0, 0)), 7200);
	int64_t gap = tc_days_from_civil(2040, 3, 25) * 86400 + 2 * 3600 + 1800;
	assert_int_equal(tc_tz_local_to_utc(&tz, gap), utc(2040, 3, 25, 1, 30, 0));
	tc_tz_release(&tz);
}

static void new_york_sydney_kolkata_utc(void **state)
{
	(void)state;
	tc_tz ny, syd, kol, u;
	load(&ny, "America/New_York");
	load(&syd, "Australia/Sydney");
	load(&kol, "Asia/Kolkata");
	load(&u, "UTC");
	/* US: second Sunday of March 02:00 EST, first Sunday of November 02:00 EDT. */
	assert_int_equal(tc_tz_offset(&ny, utc(2022, 3, 13, 6, 59, 59)), -18000);
	assert_int_equal(tc_tz_offset(&ny, utc(2022, 3, 13, 7, 0, 0)), -14400);
	assert_int_equal(tc_tz_offset(&ny, utc(2022, 11, 6, 5, 59, 59)), -14400);
	assert_int_equal(tc_tz_offset(&ny, utc(2022, 11, 6, 6, 0, 0)), -18000);
	/* NSW: DST ends first Sunday of April 03:00 AEDT, starts first Sunday of
	   October 02:00 AEST; summer is January. */
	assert_int_equal(tc_tz_offset(&syd, utc(2022, 4, 2, 15, 59, 59)), 39600);
	assert_int_equal(tc_tz_offset(&syd, utc(2022, 4, 2, 16, 0, 0)), 36000);
	assert_int_equal(tc_tz_offset(&syd, utc(2022, 10, 1, 15, 59, 59)), 36000);
	assert_int_equal(tc_tz_offset(&syd, utc(2022, 10, 1, 16, 0, 0)), 39600);
	assert_int_equal(tc_tz_offset(&syd, utc(2045, 1, 15, 0, 0, 0)), 39600);
	assert_int_equal(tc_tz_offset(&syd, utc(2045, 7, 15, 0, 0, 0)), 36000);
	/* Sydney gap 2022-10-02 02:30 -> 03:30 AEDT; overlap 2022-04-03 02:30 -> AEDT. */
	int64_t oct2 = tc_days_from_civil(2022, 10, 2) * 86400;
	assert_int_equal(tc_tz_local_to_utc(&syd, oct2 + 2 * 3600 + 1800), utc(2022, 10, 1, 16, 30, 0));
	int64_t apr3 = tc_days_from_civil(2022, 4, 3) * 86400;
	assert_int_equal(tc_tz_local_to_utc(&syd, apr3 + 2 * 3600 + 1800), utc(2022, 4, 2, 15, 30, 0));
	assert_int_equal(tc_tz_offset(&kol, utc(2022, 8, 20, 0, 0, 0)), 19800);
	assert_int_equal(tc_tz_offset(&kol, utc(2060, 1, 1, 0, 0, 0)), 19800);
	assert_int_equal(tc_tz_local_to_utc(&kol, utc(2022, 8, 20, 5, 30, 0)), utc(2022, 8, 20, 0, 0, 0));
	assert_int_equal(tc_tz_offset(&u, utc(2022, 8, 20, 0, 0, 0)), 0);
	assert_int_equal(tc_tz_local_to_utc(&u, 1234567), 1234567);
	assert_int_equal(tc_tz_next_transition(&u, 0), INT64_MAX);
	tc_tz_release(&ny);
	tc_tz_release(&syd);
	tc_tz_release(&kol);
	tc_tz_release(&u);
}

static void datetime_format_in_zones(void **state)
{
	(void)state;
	tc_tz paris, kol, ny;
	load(&paris, "Europe/Paris");
	load(&kol, "Asia/Kolkata");
	load(&ny, "America/New_York");
	char buf[48];
	int64_t t = utc(2022, 8, 20, 21, 0, 0) * 1000;
	tc_datetime_format(t, &paris, buf, sizeof buf);
	assert_string_equal(buf, "2022-08-20T23:00:00+02:00");
	tc_datetime_format(t + 2 * 3600000, &paris, buf, sizeof buf);
	assert_string_equal(buf, "2022-08-21T01:00:00+02:00");
	tc_datetime_format(t, &kol, buf, sizeof buf);
	assert_string_equal(buf, "2022-08-21T02:30:00+05:30");
	tc_datetime_format(t + 5, &ny, buf, sizeof buf);
	assert_string_equal(buf, "2022-08-20T17:00:00.005-04:00");
	tc_datetime_format(utc(2022, 12, 1, 12, 0, 0) * 1000, &paris, buf, sizeof buf);
	assert_string_equal(buf, "2022-12-01T13:00:00+01:00");
	tc_datetime_format(t, NULL, buf, sizeof buf);
	assert_string_equal(buf, "2022-08-20T21:00:00Z");
	/* What is formatted parses back to the same instant. */
	int64_t back;
	int has;
	tc_datetime_format(t, &kol, buf, sizeof buf);
	assert_int_equal(tc_datetime_parse(buf, strlen(buf), &back, &has, NULL, 0, NULL), TC_OK);
	assert_int_equal(back, t);
	assert_int_equal(has, 1);
	tc_tz_release(&paris);
	tc_tz_release(&kol);
	tc_tz_release(&ny);
}

static void utc_is_built_in_and_names_are_checked(void **state)
{
	(void)state;
	tc_tz tz;
	char err[256];
	tc_alloc *a = tc_alloc_default();
	/* A directory without tzdata: UTC still works, other zones do not. */
	assert_int_equal(tc_tz_load_dir(&tz, a, "/nonexistent-tzdir", "UTC", err, sizeof err), TC_OK);
	assert_string_equal(tc_tz_name(&tz), "UTC");
	assert_int_equal(tc_tz_offset(&tz, 1661029200), 0);
	tc_tz_release(&tz);
	assert_int_equal(tc_tz_load_dir(&tz, a, "/nonexistent-tzdir", "Etc/UTC", err, sizeof err),
	                 TC_OK);
	assert_string_equal(tc_tz_name(&tz), "Etc/UTC");
	tc_tz_release(&tz);
	assert_int_equal(tc_tz_load_dir(&tz, a, "/nonexistent-tzdir", "Europe/Paris", err, sizeof err),
	                 TC_ENOENT);
	assert_string_equal(err, "unknown time zone 'Europe/Paris' (not found in /nonexistent-tzdir)");
	tc_tz_release(&tz);

	assert_int_equal(tc_tz_load(&tz, a, "Europe/Pariss", err, sizeof err), TC_ENOENT);
	assert_non_null(strstr(err, "unknown time zone 'Europe/Pariss'"));
	/* A directory of zones is not a zone. */
	assert_int_equal(tc_tz_load(&tz, a, "Europe", err, sizeof err), TC_ENOENT);
	/* A file that is not TZif. */
	assert_int_equal(tc_tz_load_dir(&tz, a, "/etc", "passwd", err, sizeof err), TC_EINVAL);
	assert_non_null(strstr(err, "not a TZif file"));

	/* "../America/New_York" exists relative to Europe/: it must be rejected
	   by name, not found on disk. */
	const char *bad[] = {"../America/New_York", "/etc/passwd", "Europe/../America/New_York",
	                     "Europe//Paris", "Europe/Paris/", "", "Europe/Pa ris", "a.b",
	                     "Europe/Paris\n", "./UTC"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		int rc = tc_tz_load_dir(&tz, a, "/usr/share/zoneinfo/Europe", bad[i], err, sizeof err);
		if (rc != TC_EINVAL)
			fail_msg("name '%s' gave %d", bad[i], rc);
		assert_non_null(strstr(err, "invalid time zone name"));
	}
	assert_int_equal(tc_tz_load_dir(&tz, a, "/usr/share/zoneinfo", "Etc/GMT+5", err, sizeof err),
	                 TC_OK);
	assert_int_equal(tc_tz_offset(&tz, 0), -5 * 3600);  /* POSIX sign: GMT+5 is UTC-5 */
	tc_tz_release(&tz);
}

/* ---- footer rules, independent of the system's tzdata ---- */

static void footer_rule_matches_paris_table(void **state)
{
	(void)state;
	tc_tz rule, table;
	footer_only(&rule, "CET-1CEST,M3.5.0,M10.5.0/3");
	load(&table, "Europe/Paris");
	/* The table (fat file until 2037) and the rule are independent code paths. */
	for (int64_t t = utc(1997, 1, 1, 0, 0, 0); t < utc(2037, 1, 1, 0, 0, 0); t += 3600)
		if (tc_tz_offset(&rule, t) != tc_tz_offset(&table, t))
			fail_msg("offsets differ at %lld", (long long)t);
	/* The exact second of the 2022 transitions. */
	assert_int_equal(tc_tz_offset(&rule, 1648342799), 3600);
	assert_int_equal(tc_tz_offset(&rule, 1648342800), 7200);
	assert_int_equal(tc_tz_offset(&rule, 1667091599), 7200);
	assert_int_equal(tc_tz_offset(&rule, 1667091600), 3600);
	assert_int_equal(tc_tz_next_transition(&rule, 1648342799), 1648342800);
	assert_int_equal(tc_tz_next_transition(&rule, 1648342800), 1667091600);
	tc_tz_release(&rule);
	tc_tz_release(&table);
}

static void footer_rule_forms(void **state)
{
	(void)state;
	tc_tz tz;
	/* Southern hemisphere. */
	footer_only(&tz, "AEST-10AEDT,M10.1.0,M4.1.0/3");
	assert_int_equal(tc_tz_offset(&tz, utc(2022, 4, 2, 15, 59, 59)), 39600);
	assert_int_equal(tc_tz_offset(&tz, utc(2022, 4, 2, 16, 0, 0)), 36000);
	assert_int_equal(tc_tz_offset(&tz, utc(2022, 10, 1, 16, 0, 0)), 39600);
	assert_int_equal(tc_tz_offset(&tz, utc(2022, 12, 31, 23, 0, 0)), 39600);
	tc_tz_release(&tz);
	/* Half-hour offset, no DST. */
	footer_only(&tz, "IST-5:30");
	assert_int_equal(tc_tz_offset(&tz, utc(2022, 8, 20, 0, 0, 0)), 19800);
	assert_int_equal(tc_tz_next_transition(&tz, 0), INT64_MAX);
	tc_tz_release(&tz);
	/* Quoted names, negative rule time (Nuuk since 2023): DST starts on the
	   last Sunday of March at -1:00, i.e. Saturday 23:00 local = 01:00 UTC. */
	footer_only(&tz, "<-02>2<-01>,M3.5.0/-1,M10.5.0/0");
	assert_int_equal(tc_tz_offset(&tz, utc(2030, 3, 31, 0, 59, 59)), -7200);
	assert_int_equal(tc_tz_offset(&tz, utc(2030, 3, 31, 1, 0, 0)), -3600);
	assert_int_equal(tc_tz_offset(&tz, utc(2030, 10, 27, 0, 59, 59)), -3600);
	assert_int_equal(tc_tz_offset(&tz, utc(2030, 10, 27, 1, 0, 0)), -7200);
	tc_tz_release(&tz);
	/* Julian days: J60 is 1 March even in leap years; n counts Feb 29. */
	footer_only(&tz, "AAA0BBB,J60/0,J300/0");
	assert_int_equal(tc_tz_offset(&tz, utc(2024, 2, 29, 23, 59, 59)), 0);
	assert_int_equal(tc_tz_offset(&tz, utc(2024, 3, 1, 0, 0, 0)), 3600);
	tc_tz_release(&tz);
	footer_only(&tz, "AAA0BBB,J59/0,J300/0");  /* J59 is 28 February, leap year or not */
	assert_int_equal(tc_tz_offset(&tz, utc(2024, 2, 27, 23, 59, 59)), 0);
	assert_int_equal(tc_tz_offset(&tz, utc(2024, 2, 28, 0, 0, 0)), 3600);
	tc_tz_release(&tz);
	footer_only(&tz, "AAA0BBB,59/0,299/0");
	assert_int_equal(tc_tz_offset(&tz, utc(2024, 2, 28, 23, 59, 59)), 0);
	assert_int_equal(tc_tz_offset(&tz, utc(2024, 2, 29, 0, 0, 0)), 3600);
	assert_int_equal(tc_tz_offset(&tz, utc(2023, 3, 1, 0, 0, 0)), 3600);
	tc_tz_release(&tz);
	/* Permanent DST (RFC 8536 example): DST all year round. */
	footer_only(&tz, "EST5EDT4,0/0,J365/25");
	for (int m = 1; m <= 12; m++)
		assert_int_equal(tc_tz_offset(&tz, utc(2030, (unsigned)m, 1, 0, 0, 0)), -4 * 3600);
	assert_int_equal(tc_tz_offset(&tz, utc(2030, 12, 31, 23, 59, 59)), -4 * 3600);
	tc_tz_release(&tz);
}

static void table_then_footer(void **state)
{
	(void)state;
	/* LMT +1000 s until 1900, then +1 h, then +2 h from 2000; then the footer. */
	int64_t times[] = {utc(1900, 1, 1, 0, 0, 0), utc(2000, 1, 1, 0, 0, 0)};
	unsigned char idx[] = {1, 2};
	int32_t offs[] = {1000, 3600, 7200};
	tzb b;
	char err[256];
	tc_tz tz;
	build(&b, '2', times, idx, 2, offs, 3, "<+02>-2<+03>,M3.5.0,M10.5.0/3");
	assert_int_equal(parse(&tz, &b, err, sizeof err), TC_OK);
	assert_int_equal(tc_tz_offset(&tz, utc(1850, 1, 1, 0, 0, 0)), 1000);
	assert_int_equal(tc_tz_offset(&tz, times[0] - 1), 1000);
	assert_int_equal(tc_tz_offset(&tz, times[0]), 3600);
	assert_int_equal(tc_tz_offset(&tz, times[1] - 1), 3600);
	assert_int_equal(tc_tz_offset(&tz, times[1]), 7200);
	assert_int_equal(tc_tz_offset(&tz, utc(2022, 7, 1, 0, 0, 0)), 10800);
	assert_int_equal(tc_tz_next_transition(&tz, 0), times[1]);
	assert_int_equal(tc_tz_next_transition(&tz, times[1]), utc(2000, 3, 26, 0, 0, 0));
	/* The 1900 gap: local 00:16:40-01:00 on 1 Jan 1900 does not exist. */
	int64_t local = utc(1900, 1, 1, 0, 30, 0);
	assert_int_equal(tc_tz_local_to_utc(&tz, local), local - 1000);
	tc_tz_release(&tz);

	/* Version 1 file: 32-bit data, no footer; the last type holds forever. */
	int64_t t1[] = {utc(1990, 1, 1, 0, 0, 0)};
	unsigned char i1[] = {1};
	int32_t o1[] = {0, -10800};
	build(&b, 0, t1, i1, 1, o1, 2, "");
	assert_int_equal(parse(&tz, &b, err, sizeof err), TC_OK);
	assert_int_equal(tc_tz_offset(&tz, t1[0] - 1), 0);
	assert_int_equal(tc_tz_offset(&tz, utc(2100, 1, 1, 0, 0, 0)), -10800);
	assert_string_equal(tc_tz_name(&tz), "Test/Zone");
	tc_tz_release(&tz);
}

static void expect_invalid(const tzb *b, const char *needle)
{
	tc_tz tz;
	char err[256] = "";
	int rc = parse(&tz, b, err, sizeof err);
	if (rc != TC_EINVAL)
		fail_msg("expected TC_EINVAL (%s), got %d", needle, rc);
	if (!strstr(err, needle))
		fail_msg("message '%s' lacks '%s'", err, needle);
	assert_null(tz.block);
	tc_tz_release(&tz);
}

static void malformed_files_are_rejected(void **state)
{
	(void)state;
	int64_t times[] = {100, 200};
	unsigned char idx[] = {1, 0};
	int32_t offs[] = {0, 3600};
	tzb good, b;
	build(&good, '2', times, idx, 2, offs, 2, "CET-1CEST,M3.5.0,M10.5.0/3");

	/* Every strict prefix of a valid file is truncated. */
	for (size_t n = 0; n < good.n; n++) {
		tc_tz tz;
		char err[256];
		if (tc_tz_parse(&tz, tc_alloc_default(), good.d, n, "x", err, sizeof err) != TC_EINVAL)
			fail_msg("prefix of %zu bytes accepted", n);
	}
	b = good;
	b.d[0] = 'X';
	expect_invalid(&b, "not a TZif file");
	b = good;
	b.d[4] = '1';
	expect_invalid(&b, "unsupported TZif version");
	unsigned char badidx[] = {1, 7};
	build(&b, '2', times, badidx, 2, offs, 2, "");
	expect_invalid(&b, "names local time type 7");
	int64_t backwards[] = {200, 100};
	build(&b, '2', backwards, idx, 2, offs, 2, "");
	expect_invalid(&b, "not after the previous one");
	build(&b, '2', times, idx, 2, offs, 0, "");
	expect_invalid(&b, "local time types");
	int32_t huge[] = {0, 100000};
	build(&b, '2', times, idx, 2, huge, 2, "");
	expect_invalid(&b, "local time type 1 is invalid");
	build(&b, '2', times, idx, 2, offs, 2, "CET-1CEST");  /* DST without a rule */
	expect_invalid(&b, "not a POSIX TZ string");
	build(&b, '2', times, idx, 2, offs, 2, "CET-1CEST,M13.5.0,M10.5.0");
	expect_invalid(&b, "not a POSIX TZ string");
	build(&b, '2', times, idx, 2, offs, 2, "C-1");  /* name too short */
	expect_invalid(&b, "not a POSIX TZ string");
	b = good;
	b.n--;  /* footer without its closing newline */
	expect_invalid(&b, "no closing newline");
	/* Leap-second data. */
	build(&b, '2', times, idx, 2, offs, 2, "");
	size_t v2hdr = 44 + 6 + 4;  /* v1 header + minimal v1 data */
	b.d[v2hdr + 28 + 3] = 1;         /* leapcnt = 1 */
	expect_invalid(&b, "leap seconds");
}

static void write_binary(const char *path, const tzb *b)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b->d, 1, b->n, f), b->n);
	fclose(f);
}

static void files_on_disk_and_allocation_failures(void **state)
{
	(void)state;
	int64_t times[] = {100};
	unsigned char idx[] = {1};
	int32_t offs[] = {0, 3600};
	tzb b;
	build(&b, '2', times, idx, 1, offs, 2, "CET-1CEST,M3.5.0,M10.5.0/3");
	const char *tmp = getenv("TMPDIR");
	if (!tmp)
		tmp = "/tmp";
	char name[64], path[512];
	snprintf(name, sizeof name, "tocsin-tz-%ld-Zone", (long)getpid());
	snprintf(path, sizeof path, "%s/%s", tmp, name);
	write_binary(path, &b);

	char err[256];
	tc_tz tz;
	assert_int_equal(tc_tz_load_dir(&tz, tc_alloc_default(), tmp, name, err, sizeof err), TC_OK);
	assert_string_equal(tc_tz_name(&tz), name);
	assert_int_equal(tc_tz_offset(&tz, utc(2022, 8, 20, 0, 0, 0)), 7200);
	tc_tz_release(&tz);

	/* Each allocation (file buffer, then zone) fails in turn; nothing leaks. */
	for (long k = 0; k < 2; k++) {
		tc_failing_alloc fa;
		tc_failing_alloc_init(&fa, k);
		assert_int_equal(tc_tz_load_file(&tz, &fa.alloc, path, name, err, sizeof err), TC_ENOMEM);
		assert_non_null(strstr(err, "out of memory"));
		assert_int_equal(fa.live_blocks, 0);
		tc_tz_release(&tz);
	}
	tc_failing_alloc fa;
	tc_failing_alloc_init(&fa, 2);
	assert_int_equal(tc_tz_load_file(&tz, &fa.alloc, path, name, err, sizeof err), TC_OK);
	assert_int_equal(fa.live_blocks, 1);
	tc_tz_release(&tz);
	assert_int_equal(fa.live_blocks, 0);

	/* A truncated file on disk: the message names the file. */
	b.n = 50;
	write_binary(path, &b);
	assert_int_equal(tc_tz_load_file(&tz, tc_alloc_default(), path, name, err, sizeof err),
	                 TC_EINVAL);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "truncated"));
	remove(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(paris_offsets_and_transitions),
		cmocka_unit_test(paris_gap_and_overlap),
		cmocka_unit_test(paris_after_2037_uses_footer),
		cmocka_unit_test(new_york_sydney_kolkata_utc),
		cmocka_unit_test(datetime_format_in_zones),
		cmocka_unit_test(utc_is_built_in_and_names_are_checked),
		cmocka_unit_test(footer_rule_matches_paris_table),
		cmocka_unit_test(footer_rule_forms),
		cmocka_unit_test(table_then_footer),
		cmocka_unit_test(malformed_files_are_rejected),
		cmocka_unit_test(files_on_disk_and_allocation_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
