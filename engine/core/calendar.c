#include "core/calendar.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/error.h"

#define MAX_SPAN ((tc_time)200 * 366 * TC_DAY)
#define MAX_EPOCH ((int64_t)1 << 55)

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Error sink of tc_weekly_add. */
typedef struct wsink {
	char *err;
	size_t errlen;
	size_t *err_offset;
	int *err_in;
} wsink;

#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
static int wfail(const wsink *k, int rc, int where, size_t off, const char *fmt, ...)
{
	if (k->err && k->errlen > 0) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(k->err, k->errlen, fmt, ap);
		va_end(ap);
	}
	if (k->err_offset)
		*k->err_offset = off;
	if (k->err_in)
		*k->err_in = where;
	return rc;
}

static void describe(const char *s, size_t len, size_t off, char *out, size_t n)
{
	if (off >= len)
		snprintf(out, n, "end of text");
	else if ((unsigned char)s[off] >= 0x20 && (unsigned char)s[off] < 0x7f)
		snprintf(out, n, "'%c'", s[off]);
	else
		snprintf(out, n, "byte 0x%02x", (unsigned char)s[off]);
}

/* ------------------------------------------------------------------ */
/* Days                                                                */

static const char *const day_words[] = {
	"mon", "tue", "wed", "thu", "fri", "sat", "sun",
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
	"daily", "weekdays", "weekends",
};
#define NDAY_WORDS (sizeof day_words / sizeof day_words[0])
#define DAYS_EXPECTED "mon, tue, wed, thu, fri, sat, sun, daily, weekdays or weekends"

/* Index into day_words, or -1. */
static int day_word(const char *s, size_t len)
{
	for (size_t i = 0; i < NDAY_WORDS; i++) {
		const char *w = day_words[i];
		if (strlen(w) != len)
			continue;
		size_t j = 0;
		while (j < len && lower(s[j]) == w[j])
			j++;
		if (j == len)
			return (int)i;
	}
	return -1;
}

static int unknown_day(const wsink *k, const char *s, size_t start, size_t len)
{
	char word[32];
	size_t n = len < sizeof word - 1 ? len : sizeof word - 1;
	for (size_t i = 0; i < n; i++)
		word[i] = lower(s[start + i]);
	word[n] = '\0';
	const char *hint = tc_suggest(word, day_words, NDAY_WORDS);
	if (hint)
		return wfail(k, TC_EINVAL, TC_WEEKLY_ERR_DAYS, start,
		             "unknown day '%.*s' (did you mean '%s'?)", (int)n, s + start, hint);
	return wfail(k, TC_EINVAL, TC_WEEKLY_ERR_DAYS, start,
	             "unknown day '%.*s': expected " DAYS_EXPECTED, (int)n, s + start);
}

static int parse_days(const char *s, size_t len, uint8_t *mask, const wsink *k)
{
	size_t pos = 0;
	uint8_t m = 0;
	char found[24];
	for (;;) {
		while (pos < len && is_blank(s[pos]))
			pos++;
		size_t a = pos;
		while (pos < len && is_alpha(s[pos]))
			pos++;
		if (pos == a) {
			describe(s, len, pos, found, sizeof found);
			return wfail(k, TC_EINVAL, TC_WEEKLY_ERR_DAYS, pos,
			             "expected a day (" DAYS_EXPECTED "), found %s", found);
		}
		int wa = day_word(s + a, pos - a);
		if (wa < 0)
			return unknown_day(k, s, a, pos - a);
		while (pos < len && is_blank(s[pos]))
			pos++;
		if (pos < len && s[pos] == '-') {
			if (wa >= 14)
				return wfail(k, TC_EINVAL, TC_WEEKLY_ERR_DAYS, a,
				             "'%s' cannot start a range of days", day_words[wa]);
			pos++;
			while (pos < len && is_blank(s[pos]))
				pos++;
			size_t b = pos;
			while (pos < len && is_alpha(s[pos]))
				pos++;
			if (pos == b) {
				describe(s, len, pos, found, sizeof found);
				return wfail(k, TC_EINVAL, TC_WEEKLY_ERR_DAYS, pos,
				             "expected a day after '-', found %s", found);
			}
			int wb = day_word(s + b, pos - b);
			if (wb < 0)
				return unknown_day(k, s, b, pos - b);
			if (wb >= 14)
				return wfail(k, TC_EINVAL, TC_WEEKLY_ERR_DAYS, b,
				             "'%s' cannot end a range of days", day_words[wb]);
			/* Inclusive, wrapping past Sunday: fri-mon is fri, sat, sun, mon. */
			for (int d = wa % 7;; d = (d + 1) % 7) {
				m |= (uint8_t)(1u << d);
				if (d == wb % 7)
					break;
			}
		} else if (wa == 14) {
			m |= 0x7f;
		} else if (wa == 15) {
			m |= 0x1f;
		} else if (wa == 16) {
			m |= 0x60;
		} else {
			m |= (uint8_t)(1u << (wa % 7));
		}
		while (pos < len && is_blank(s[pos]))
			pos++;
		if (pos == len)
			break;
		if (s[pos] != ',') {
			describe(s, len, pos, found, sizeof found);
			return wfail(k, TC_EINVAL, TC_WEEKLY_ERR_DAYS, pos,
			             "expected ',' or the end of the days, found %s", found);
		}
		pos++;
	}
	*mask = m;
	return TC_OK;
}

/* ------------------------------------------------------------------ */
/* Hours                                                               */

/* "H:MM" or "HH:MM" at *pos, in minutes (24:00 = 1440). */
static int parse_hhmm(const char *s, size_t len, size_t *pos, unsigned *minutes, const wsink *k)
{
	size_t p = *pos;
	unsigned h = 0;
	char found[24];
	size_t a = p;
	while (p < len && is_digit(s[p]) && p - a < 3)
		h = h * 10 + (unsigned)(s[p++] - '0');
	if (p == a || p - a > 2 || p >= len || s[p] != ':') {
		describe(s, len, p == a || p - a > 2 ? a : p, found, sizeof found);
		return wfail(k, TC_EINVAL, TC_WEEKLY_ERR_HOURS, p == a || p - a > 2 ? a : p,
		             "expected a time HH:MM, found %s", found);
	}
	p++;
	if (p + 2 > len || !is_digit(s[p]) || !is_digit(s[p + 1]) ||
	    (p + 2 < len && is_digit(s[p + 2]))) {
		describe(s, len, p, found, sizeof found);
		return wfail(k, TC_EINVAL, TC_WEEKLY_ERR_HOURS, p,
		             "expected two-digit minutes after ':', found %s", found);
	}
	unsigned m = (unsigned)(s[p] - '0') * 10 + (unsigned)(s[p + 1] - '0');
	if (m > 59)
		return wfail(k, TC_EINVAL, TC_WEEKLY_ERR_HOURS, p,
		             "minutes must be 00-59, found '%02u'", m);
	if (h > 24 || (h == 24 && m != 0))
		return wfail(k, TC_EINVAL, TC_WEEKLY_ERR_HOURS, a,
		             "time must be 00:00-24:00, found '%.*s'", (int)(p + 2 - a), s + a);
	*pos = p + 2;
	*minutes = h * 60 + m;
	return TC_OK;
}

static int parse_hours(const char *s, size_t len, tc_minute_range *out, size_t *offs,
                       size_t *count, const wsink *k)
{
	size_t pos = 0, n = 0;
	char found[24];
	while (len > 0 && is_blank(s[len - 1]))
		len--;
	while (pos < len && is_blank(s[pos]))
		pos++;
	if (len - pos == 3 && lower(s[pos]) == 'o' && lower(s[pos + 1]) == 'f' &&
	    lower(s[pos + 2]) == 'f') {
		*count = 0;
		return TC_OK;
	}
	for (;;) {
		size_t a = pos;
		unsigned start, end;
		int rc = parse_hhmm(s, len, &pos, &start, k);
		if (rc != TC_OK)
			return rc;
		if (start == 1440)
			return wfail(k, TC_EINVAL, TC_WEEKLY_ERR_HOURS, a,
			             "a range cannot start at 24:00 (write 00:00)");
		while (pos < len && is_blank(s[pos]))
			pos++;
		if (pos >= len || s[pos] != '-') {
			describe(s, len, pos, found, sizeof found);
			return wfail(k, TC_EINVAL, TC_WEEKLY_ERR_HOURS, pos,
			             "expected '-' between the start and end times, found %s", found);
		}
		pos++;
		while (pos < len && is_blank(s[pos]))
			pos++;
		if ((rc = parse_hhmm(s, len, &pos, &end, k)) != TC_OK)
			return rc;
		if (end == start)
			return wfail(k, TC_EINVAL, TC_WEEKLY_ERR_HOURS, a,
			             "empty range '%.*s' (for a whole day write 00:00-24:00)",
			             (int)(pos - a), s + a);
		if (end < start)
			end += 1440;  /* overnight: ends the next day */
		if (n == TC_WEEKLY_MAX_RANGES)
			return wfail(k, TC_ELIMIT, TC_WEEKLY_ERR_HOURS, a,
			             "more than %d time ranges in one day", TC_WEEKLY_MAX_RANGES);
		out[n].start = (uint16_t)start;
		out[n].end = (uint16_t)end;
		offs[n] = a;
		n++;
		while (pos < len && is_blank(s[pos]))
			pos++;
		if (pos == len)
			break;
		if (s[pos] != ',') {
			describe(s, len, pos, found, sizeof found);
			return wfail(k, TC_EINVAL, TC_WEEKLY_ERR_HOURS, pos,
			             "expected ',' or the end of the hours, found %s", found);
		}
		pos++;
		while (pos < len && is_blank(s[pos]))
			pos++;
	}
	*count = n;
	return TC_OK;
}

void tc_weekly_init(tc_weekly *w)
{
	memset(w, 0, sizeof *w);
}

void tc_weekly_set_always(tc_weekly *w)
{
	w->always = 1;
}

int tc_weekly_add(tc_weekly *w, const char *days, size_t days_len, const char *hours,
                  size_t hours_len, char *err, size_t errlen, size_t *err_offset, int *err_in)
{
	static const char *const names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
	wsink k = {err, errlen, err_offset, err_in};
	uint8_t mask = 0;
	tc_minute_range r[TC_WEEKLY_MAX_RANGES];
	size_t offs[TC_WEEKLY_MAX_RANGES];
	size_t n = 0;
	int rc;

	if (err && errlen > 0)
		err[0] = '\0';
	if ((rc = parse_days(days, days_len, &mask, &k)) != TC_OK)
		return rc;
	if ((rc = parse_hours(hours, hours_len, r, offs, &n, &k)) != TC_OK)
		return rc;
	/* All or nothing: check every day has room first. */
	for (int d = 0; d < 7; d++) {
		if (!(mask & (1u << d)) || w->count[d] + n <= TC_WEEKLY_MAX_RANGES)
			continue;
		size_t first_over = TC_WEEKLY_MAX_RANGES - w->count[d];
		return wfail(&k, TC_ELIMIT, TC_WEEKLY_ERR_HOURS, offs[first_over],
		             "more than %d time ranges on %s", TC_WEEKLY_MAX_RANGES, names[d]);
	}
	for (int d = 0; d < 7; d++) {
		if (!(mask & (1u << d)))
			continue;
		for (size_t i = 0; i < n; i++)
			w->range[d][w->count[d]++] = r[i];
	}
	return TC_OK;
}

/* ------------------------------------------------------------------ */
/* Compilation                                                         */

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static int cmp_interval(const void *a, const void *b)
{
	const tc_interval *x = a, *y = b;
	if (x->start != y->start)
		return (x->start > y->start) - (x->start < y->start);
	return (x->end > y->end) - (x->end < y->end);
}

/* Local day (days since epoch) of exercise time t. */
static int64_t local_day(const tc_tz *tz, int64_t epoch_utc_ms, tc_time t)
{
	int64_t utc = epoch_utc_ms + t;
	int32_t off = tz ? tc_tz_offset(tz, floor_div(utc, 1000)) : 0;
	return floor_div(utc + (int64_t)off * 1000, TC_DAY);
}

/* Local seconds -> exercise time. */
static tc_time local_to_exercise(const tc_tz *tz, int64_t epoch_utc_ms, int64_t local_s)
{
	int64_t utc_s = tz ? tc_tz_local_to_utc(tz, local_s) : local_s;
	return utc_s * 1000 - epoch_utc_ms;
}

/* Allocate the final arrays (one block) from the merged intervals. */
static int finish(tc_timeline *tl, tc_alloc *a, const tc_interval *iv, size_t count)
{
	if (count == 0)
		return TC_OK;
	size_t bytes = count * (sizeof(tc_interval) + sizeof(tc_time));
	tc_interval *block = tc_malloc(a, bytes);
	if (!block)
		return TC_ENOMEM;
	memcpy(block, iv, count * sizeof *iv);
	tc_timeline_wrap(tl, block, (tc_time *)(void *)(block + count), count);
	return TC_OK;
}

void tc_timeline_wrap(tc_timeline *tl, tc_interval *iv, tc_time *prefix, size_t count)
{
	tc_time sum = 0;
	for (size_t i = 0; i < count; i++) {
		assert(iv[i].start < iv[i].end && (i == 0 || iv[i - 1].end <= iv[i].start));
		prefix[i] = sum;
		/* Only the 24/7 interval is unbounded, and it is alone. */
		if (i + 1 < count)
			sum += iv[i].end - iv[i].start;
	}
	tl->iv = iv;
	tl->prefix = prefix;
	tl->count = count;
}

int tc_timeline_compile(tc_timeline *tl, tc_alloc *a, const tc_weekly *w, const int64_t *holidays,
                        size_t nholidays, const tc_tz *tz, int64_t epoch_utc_ms,
                        tc_time span_start, tc_time span_end)
{
	memset(tl, 0, sizeof *tl);
	if (span_end < span_start || span_start < TC_TIME_ALWAYS_START ||
	    span_end > TC_TIME_ALWAYS_END || epoch_utc_ms < -MAX_EPOCH || epoch_utc_ms > MAX_EPOCH)
		return TC_EINVAL;
	if (w->always && nholidays == 0) {
		tc_interval all = {TC_TIME_ALWAYS_START, TC_TIME_ALWAYS_END};
		return finish(tl, a, &all, 1);
	}
	if (span_end - span_start > MAX_SPAN)
		return TC_ELIMIT;

	static const tc_minute_range whole_day = {0, 1440};
	int64_t *hol = NULL;
	if (nholidays > 0) {
		hol = tc_malloc(a, nholidays * sizeof *hol);
		if (!hol)
			return TC_ENOMEM;
		memcpy(hol, holidays, nholidays * sizeof *hol);
		qsort(hol, nholidays, sizeof *hol, cmp_i64);
	}

	tc_interval *tmp = NULL;
	size_t n = 0, cap = 0;
	int rc = TC_OK;
	/* A shift lasts less than two days, so one starting two local days
	   before the span cannot reach it; one extra day covers offset slop. */
	int64_t lo = local_day(tz, epoch_utc_ms, span_start) - 2;
	int64_t hi = local_day(tz, epoch_utc_ms, span_end) + 1;
	size_t h = 0;
	for (int64_t day = lo; day <= hi && rc == TC_OK; day++) {
		while (h < nholidays && hol[h] < day)
			h++;
		if (h < nholidays && hol[h] == day)
			continue;
		unsigned wd = tc_weekday(day);
		size_t nr = w->always ? 1 : w->count[wd];
		for (size_t i = 0; i < nr; i++) {
			const tc_minute_range *r = w->always ? &whole_day : &w->range[wd][i];
			tc_time s = local_to_exercise(tz, epoch_utc_ms, day * 86400 + r->start * 60);
			tc_time e = local_to_exercise(tz, epoch_utc_ms, day * 86400 + r->end * 60);
			if (e <= s || e < span_start || s > span_end)
				continue;
			if ((rc = tc_grow(a, (void **)&tmp, &cap, n + 1, sizeof *tmp)) != TC_OK)
				break;
			tmp[n].start = s;
			tmp[n].end = e;
			n++;
		}
	}
	tc_free(a, hol, nholidays * sizeof *hol);

	if (rc == TC_OK && n > 0) {
		qsort(tmp, n, sizeof *tmp, cmp_interval);
		size_t m = 0;
		for (size_t i = 1; i < n; i++) {
			if (tmp[i].start <= tmp[m].end) {
				if (tmp[i].end > tmp[m].end)
					tmp[m].end = tmp[i].end;
			} else {
				tmp[++m] = tmp[i];
			}
		}
		rc = finish(tl, a, tmp, m + 1);
	}
	tc_free(a, tmp, cap * sizeof *tmp);
	return rc;
}

void tc_timeline_release(tc_timeline *tl, tc_alloc *a)
{
	if (tl->iv)
		tc_free(a, tl->iv, tl->count * (sizeof(tc_interval) + sizeof(tc_time)));
	memset(tl, 0, sizeof *tl);
}

/* ------------------------------------------------------------------ */
/* Queries                                                             */

/* Number of intervals starting at or before t. */
static size_t starts_upto(const tc_timeline *tl, tc_time t)
{
	size_t lo = 0, hi = tl->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (tl->iv[mid].start <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int tc_timeline_contains(const tc_timeline *tl, tc_time t)
{
	size_t n = starts_upto(tl, t);
	return n > 0 && t < tl->iv[n - 1].end;
}

tc_time tc_timeline_next_start(const tc_timeline *tl, tc_time t)
{
	size_t n = starts_upto(tl, t);
	if (n > 0 && t < tl->iv[n - 1].end)
		return t;
	return n < tl->count ? tl->iv[n].start : TC_TIME_NEVER;
}

tc_time tc_timeline_current_end(const tc_timeline *tl, tc_time t)
{
	size_t n = starts_upto(tl, t);
	if (n > 0 && t < tl->iv[n - 1].end)
		return tl->iv[n - 1].end;
	return t;
}

/* On-duty time from iv[0].start to x, as unsigned (the 24/7 interval spans
   2^63 ms, one more than tc_time holds). */
static uint64_t on_time_upto(const tc_timeline *tl, tc_time x)
{
	size_t n = starts_upto(tl, x);
	if (n == 0)
		return 0;
	const tc_interval *iv = &tl->iv[n - 1];
	tc_time upto = x < iv->end ? x : iv->end;
	return (uint64_t)tl->prefix[n - 1] + ((uint64_t)upto - (uint64_t)iv->start);
}

tc_time tc_timeline_measure(const tc_timeline *tl, tc_time a, tc_time b)
{
	if (b <= a || tl->count == 0)
		return 0;
	uint64_t d = on_time_upto(tl, b) - on_time_upto(tl, a);
	return d > (uint64_t)INT64_MAX ? INT64_MAX : (tc_time)d;
}
