#include "core/timefmt.h"

#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/tz.h"

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

static int64_t floor_mod(int64_t a, int64_t b)
{
	return a - floor_div(a, b) * b;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Parse state shared by the parsers: input, position, error sink. */
typedef struct pstate {
	const char *s;
	size_t len, pos;
	char *err;
	size_t errlen;
	size_t *err_offset;
} pstate;

static int at_end(const pstate *p)
{
	return p->pos >= p->len;
}

static char peek(const pstate *p, size_t ahead)
{
	return p->pos + ahead < p->len ? p->s[p->pos + ahead] : '\0';
}

static void skip_blanks(pstate *p)
{
	while (!at_end(p) && is_blank(p->s[p->pos]))
		p->pos++;
}

/* Describe what sits at offset off: "'x'" or "end of text". */
static void describe_at(const pstate *p, size_t off, char *out, size_t n)
{
	if (off >= p->len) {
		snprintf(out, n, "end of text");
		return;
	}
	unsigned char c = (unsigned char)p->s[off];
	if (c >= 0x20 && c < 0x7f)
		snprintf(out, n, "'%c'", c);
	else
		snprintf(out, n, "byte 0x%02x", c);
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int fail(pstate *p, size_t off, const char *fmt, ...)
{
	if (p->err && p->errlen > 0) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(p->err, p->errlen, fmt, ap);
		va_end(ap);
	}
	if (p->err_offset)
		*p->err_offset = off;
	return TC_EINVAL;
}

/* "expected <what>, found <thing at off>" */
static int fail_expected(pstate *p, size_t off, const char *what)
{
	char found[24];
	describe_at(p, off, found, sizeof found);
	return fail(p, off, "expected %s, found %s", what, found);
}

/* The text s[a..b) quoted for messages, shortened when long. */
static int quote_len(size_t a, size_t b)
{
	size_t n = b - a;
	return n > 24 ? 24 : (int)n;
}

/* ------------------------------------------------------------------ */
/* Durations                                                           */

#define DUR_MAX ((uint64_t)TC_DURATION_MAX)
#define MONTH_BOUND_MS ((uint64_t)31 * (uint64_t)TC_DAY)

/* Units, largest first; rank = index. */
static const struct unit {
	const char *name;
	int64_t ms;  /* 0 for months */
} units[] = {
	{"mo", 0},
	{"w", TC_WEEK},
	{"d", TC_DAY},
	{"h", TC_HOUR},
	{"m", TC_MINUTE},
	{"s", TC_SECOND},
	{"ms", TC_MILLISECOND},
};
#define NUNITS (sizeof units / sizeof units[0])
#define UNIT_LIST "ms, s, m, h, d, w, mo"

/* Magnitudes accumulated while parsing, checked against the 2^62 bound. */
typedef struct acc {
	uint64_t ms;
	uint64_t months;
} acc;

static int acc_ok(const acc *a)
{
	if (a->ms > DUR_MAX || a->months > DUR_MAX / MONTH_BOUND_MS)
		return 0;
	return a->ms <= DUR_MAX - a->months * MONTH_BOUND_MS;
}

static int fail_range(pstate *p, size_t off)
{
	return fail(p, off, "duration out of range: the limit is 2^62 ms (about 146 million years), "
	            "counting a month as 31 days");
}

static uint64_t gcd_u64(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* Read digits as an unsigned value capped just above DUR_MAX (so overflow
   is detected without wrapping). Returns the number of digits. */
static size_t read_uint(pstate *p, uint64_t *v)
{
	size_t start = p->pos;
	uint64_t x = 0;
	while (!at_end(p) && is_digit(p->s[p->pos])) {
		if (x <= DUR_MAX)
			x = x * 10 + (uint64_t)(p->s[p->pos] - '0');
		p->pos++;
	}
	*v = x;
	return p->pos - start;
}

/*
 * The decimals s[a..b) (after the '.') of a value in a unit of unit_ms, as
 * exact milliseconds. Returns 0 when that is not a whole number of ms.
 */
static int fraction_ms(const char *s, size_t a, size_t b, int64_t unit_ms, uint64_t *out)
{
	while (b > a && s[b - 1] == '0')
		b--;
	*out = 0;
	if (b == a)
		return 1;
	/* No unit has more than ten factors of 2 or of 5, so an exact fraction
	   never has more than ten significant decimals; 18 keeps 10^k in range. */
	if (b - a > 18 || unit_ms == 0)
		return 0;
	uint64_t f = 0, den = 1;
	for (size_t i = a; i < b; i++) {
		f = f * 10 + (uint64_t)(s[i] - '0');
		den *= 10;
	}
	uint64_t g = gcd_u64(f, den);
	f /= g;
	den /= g;
	if ((uint64_t)unit_ms % den != 0)
		return 0;
	*out = f * ((uint64_t)unit_ms / den);  /* < unit_ms: no overflow */
	return 1;
}

/* Compound form: parts "<number><unit>" from the largest unit down. */
static int parse_compound(pstate *p, acc *total)
{
	int last_rank = -1;
	int nparts = 0;
	for (;;) {
		if (nparts > 0)
			skip_blanks(p);
		if (at_end(p))
			break;
		size_t num_start = p->pos;
		if (!is_digit(p->s[p->pos])) {
			if (nparts == 0)
				return fail_expected(p, p->pos, "a number");
			return fail_expected(p, p->pos, "a number or the end of the duration");
		}
		uint64_t ip;
		read_uint(p, &ip);
		size_t frac_pos = 0;
		if (!at_end(p) && p->s[p->pos] == '.') {
			frac_pos = ++p->pos;
			while (!at_end(p) && is_digit(p->s[p->pos]))
				p->pos++;
			if (p->pos == frac_pos)
				return fail_expected(p, p->pos, "a digit after '.'");
		}
		size_t num_end = p->pos;
		skip_blanks(p);
		size_t unit_start = p->pos;
		while (!at_end(p) && is_alpha(p->s[p->pos]))
			p->pos++;
		size_t unit_len = p->pos - unit_start;
		if (unit_len == 0) {
			/* A bare number: only zero, and only alone ("0"). */
			int zero = 1;
			for (size_t i = num_start; i < num_end; i++)
				zero &= p->s[i] == '0' || p->s[i] == '.';
			skip_blanks(p);
			if (zero && nparts == 0 && at_end(p))
				return TC_OK;
			return fail(p, unit_start, "expected a unit (" UNIT_LIST ") after '%.*s'",
			            quote_len(num_start, num_end), p->s + num_start);
		}
		int rank = -1;
		for (size_t u = 0; u < NUNITS; u++) {
			if (strlen(units[u].name) == unit_len &&
			    memcmp(units[u].name, p->s + unit_start, unit_len) == 0)
				rank = (int)u;
		}
		if (rank < 0)
			return fail(p, unit_start, "unknown unit '%.*s': expected one of " UNIT_LIST
			            " (lower case)", quote_len(unit_start, p->pos), p->s + unit_start);
		if (rank <= last_rank)
			return fail(p, unit_start, "unit '%s' after '%s': write the parts from the largest "
			            "unit to the smallest, each once", units[rank].name,
			            units[last_rank].name);
		const struct unit *u = &units[rank];
		if (u->ms == 0) {
			if (frac_pos)
				return fail(p, num_start, "months must be whole numbers, found '%.*s'",
				            quote_len(num_start, num_end), p->s + num_start);
			total->months += ip;  /* ip <= 2^62 + 9: no wrap */
		} else {
			if (ip > DUR_MAX / (uint64_t)u->ms)
				return fail_range(p, num_start);
			uint64_t v = ip * (uint64_t)u->ms;
			if (frac_pos) {
				uint64_t f;
				if (!fraction_ms(p->s, frac_pos, num_end, u->ms, &f))
					return fail(p, num_start, "'%.*s' is not a whole number of "
					            "milliseconds", quote_len(num_start, p->pos),
					            p->s + num_start);
				v += f;
			}
			total->ms += v;  /* both <= 2^62 + unit: no wrap */
		}
		if (!acc_ok(total))
			return fail_range(p, num_start);
		last_rank = rank;
		nparts++;
	}
	if (nparts == 0)
		return fail_expected(p, p->pos, "a number");
	return TC_OK;
}

/* Two digits with value <= max, not followed by a third digit unless
   more_ok (as in the "+0200" offset form). */
static int read_2digits_ex(pstate *p, unsigned max, int more_ok, unsigned *v)
{
	if (!is_digit(peek(p, 0)) || !is_digit(peek(p, 1)) || (!more_ok && is_digit(peek(p, 2))))
		return 0;
	unsigned x = (unsigned)(peek(p, 0) - '0') * 10 + (unsigned)(peek(p, 1) - '0');
	if (x > max)
		return 0;
	*v = x;
	p->pos += 2;
	return 1;
}

static int read_2digits(pstate *p, unsigned max, unsigned *v)
{
	return read_2digits_ex(p, max, 0, v);
}

/*
 * Fraction of a second ".fff" (p at the '.'), at most millisecond precision.
 */
static int read_second_fraction(pstate *p, unsigned *ms)
{
	size_t dot = p->pos++;
	size_t start = p->pos;
	unsigned v = 0;
	size_t nd = 0;
	while (!at_end(p) && is_digit(p->s[p->pos])) {
		if (nd < 3)
			v = v * 10 + (unsigned)(p->s[p->pos] - '0');
		else if (p->s[p->pos] != '0')
			return fail(p, p->pos, "fraction of a second finer than 1 ms: '%.*s'",
			            quote_len(dot, p->pos + 1), p->s + dot);
		nd++;
		p->pos++;
	}
	if (nd == 0)
		return fail_expected(p, start, "a digit after '.'");
	for (; nd < 3; nd++)
		v *= 10;
	*ms = v;
	return TC_OK;
}

/* Clock after "T+" / "T-": [days d] H+:MM[:SS[.fff]]. */
static int parse_clock(pstate *p, acc *total)
{
	uint64_t days = 0, hours;
	size_t start = p->pos;
	read_uint(p, &hours);
	if (peek(p, 0) == 'd') {
		days = hours;
		p->pos++;
		size_t hstart = p->pos;
		if (read_uint(p, &hours) == 0)
			return fail_expected(p, hstart, "hours after the day count");
		if (hours > 23)
			return fail(p, hstart, "hours must be 00-23 after a day count, found '%.*s'",
			            quote_len(hstart, p->pos), p->s + hstart);
	}
	assert(peek(p, 0) == ':');
	p->pos++;
	unsigned mm, ss = 0, ms = 0;
	if (!read_2digits(p, 59, &mm))
		return fail_expected(p, p->pos, "two-digit minutes 00-59 after ':'");
	if (peek(p, 0) == ':') {
		p->pos++;
		if (!read_2digits(p, 59, &ss))
			return fail_expected(p, p->pos, "two-digit seconds 00-59 after ':'");
		if (peek(p, 0) == '.') {
			int rc = read_second_fraction(p, &ms);
			if (rc != TC_OK)
				return rc;
		}
	}
	if (days > DUR_MAX / (uint64_t)TC_DAY || hours > DUR_MAX / (uint64_t)TC_HOUR)
		return fail_range(p, start);
	uint64_t v = days * (uint64_t)TC_DAY;
	if (hours * (uint64_t)TC_HOUR > DUR_MAX - v)
		return fail_range(p, start);
	v += hours * (uint64_t)TC_HOUR + mm * (uint64_t)TC_MINUTE + ss * (uint64_t)TC_SECOND + ms;
	total->ms = v;
	if (!acc_ok(total))
		return fail_range(p, start);
	return TC_OK;
}

/* Does the text at p look like a clock ("12:" or "1d02:")? */
static int looks_like_clock(const pstate *p)
{
	size_t i = p->pos;
	while (i < p->len && is_digit(p->s[i]))
		i++;
	if (i == p->pos || i >= p->len)
		return 0;
	if (p->s[i] == ':')
		return 1;
	if (p->s[i] != 'd')
		return 0;
	size_t j = ++i;
	while (i < p->len && is_digit(p->s[i]))
		i++;
	return i > j && i < p->len && p->s[i] == ':';
}

static int chrono_rank(char c)
{
	switch (c) {
	case 'D':
	case 'J':
		return 0;
	case 'H':
		return 1;
	case 'M':
		return 2;
	case 'S':
		return 3;
	default:
		return -1;
	}
}

/* French chronogram "D+1 H+3 M+45 S+10": sets *neg from the parts' sign. */
static int parse_chrono(pstate *p, acc *total, int *neg)
{
	static const int64_t unit_ms[] = {TC_DAY, TC_HOUR, TC_MINUTE, TC_SECOND};
	static const char *const names[] = {"D", "H", "M", "S"};
	int last_rank = -1;
	char sign = 0;
	char first_letter = 0;
	for (;;) {
		if (last_rank >= 0)
			skip_blanks(p);
		if (at_end(p))
			break;
		size_t part = p->pos;
		char letter = p->s[p->pos];
		int rank = chrono_rank(letter);
		if (rank < 0) {
			if (letter == '.')
				return fail(p, part, "chronogram values are whole numbers, found '.'");
			return fail_expected(p, part, "D+, H+, M+ or S+ (chronogram), or the end");
		}
		if (rank <= last_rank)
			return fail(p, part, "'%c' after '%s': write the chronogram parts in the order "
			            "D (or J), H, M, S, each once", letter, names[last_rank]);
		p->pos++;
		char sg = peek(p, 0);
		if (sg != '+' && sg != '-') {
			char what[32];
			snprintf(what, sizeof what, "'+' or '-' after '%c'", letter);
			return fail_expected(p, p->pos, what);
		}
		if (sign && sg != sign)
			return fail(p, p->pos, "mixed signs in a chronogram: '%c%c' after '%c%c'; "
			            "give all parts the same sign", letter, sg, first_letter, sign);
		if (!sign) {
			sign = sg;
			first_letter = letter;
		}
		p->pos++;
		size_t num = p->pos;
		uint64_t v;
		if (read_uint(p, &v) == 0) {
			char what[32];
			snprintf(what, sizeof what, "a number after '%c%c'", letter, sg);
			return fail_expected(p, num, what);
		}
		if (v > DUR_MAX / (uint64_t)unit_ms[rank])
			return fail_range(p, num);
		total->ms += v * (uint64_t)unit_ms[rank];
		if (!acc_ok(total))
			return fail_range(p, num);
		last_rank = rank;
	}
	*neg = sign == '-';
	return TC_OK;
}

int tc_duration_parse(const char *s, size_t len, tc_duration *out, char *err, size_t errlen,
                      size_t *err_offset)
{
	pstate st = {s, len, 0, err, errlen, err_offset};
	pstate *p = &st;
	acc total = {0, 0};
	int neg = 0;
	int rc;

	if (err && errlen > 0)
		err[0] = '\0';
	/* Trailing blanks are not part of any form. */
	while (p->len > 0 && is_blank(s[p->len - 1]))
		p->len--;
	skip_blanks(p);
	if (at_end(p))
		return fail(p, p->pos, "expected a duration (such as 90s, 1h30m, T+02:30 or D+1 H+3), "
		            "found end of text");
	size_t sign_pos = p->pos;
	char c = s[p->pos];
	if (c == '-' || c == '+') {
		neg = c == '-';
		p->pos++;
		c = peek(p, 0);
	}
	int signed_lead = p->pos != sign_pos;
	if (c == 'T') {
		if (signed_lead)
			return fail(p, sign_pos, "a sign cannot precede 'T': write T+ or T-");
		p->pos++;
		char sg = peek(p, 0);
		if (sg != '+' && sg != '-')
			return fail_expected(p, p->pos, "'+' or '-' after 'T'");
		neg = sg == '-';
		p->pos++;
		if (at_end(p))
			return fail_expected(p, p->pos, "a time after 'T+' (such as T+02:30 or T+2h)");
		if (looks_like_clock(p))
			rc = parse_clock(p, &total);
		else
			rc = parse_compound(p, &total);
	} else if (chrono_rank(c) >= 0 && (peek(p, 1) == '+' || peek(p, 1) == '-')) {
		if (signed_lead)
			return fail(p, sign_pos, "a sign cannot precede a chronogram: write the sign after "
			            "the letter, as in D-1");
		rc = parse_chrono(p, &total, &neg);
	} else if (is_digit(c)) {
		rc = parse_compound(p, &total);
	} else {
		return fail_expected(p, p->pos, "a duration such as 90s, 1h30m, T+02:30 or D+1 H+3");
	}
	if (rc != TC_OK)
		return rc;
	skip_blanks(p);
	if (!at_end(p))
		return fail_expected(p, p->pos, "the end of the duration");
	if (out) {
		out->ms = neg ? -(int64_t)total.ms : (int64_t)total.ms;
		out->months = neg ? -(int32_t)total.months : (int32_t)total.months;
	}
	return TC_OK;
}

/* Append to buf[0..n) at *pos, never overflowing, always NUL-terminating. */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void put(char *buf, size_t n, size_t *pos, const char *fmt, ...)
{
	if (*pos >= n)
		return;
	va_list ap;
	va_start(ap, fmt);
	int w = vsnprintf(buf + *pos, n - *pos, fmt, ap);
	va_end(ap);
	if (w > 0)
		*pos = (size_t)w >= n - *pos ? n : *pos + (size_t)w;
}

static uint64_t magnitude(int64_t v)
{
	return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

static void format_ms_parts(uint64_t u, char *buf, size_t n, size_t *pos)
{
	static const struct {
		uint64_t ms;
		const char *name;
	} parts[] = {
		{(uint64_t)TC_DAY, "d"}, {(uint64_t)TC_HOUR, "h"}, {(uint64_t)TC_MINUTE, "m"},
		{(uint64_t)TC_SECOND, "s"}, {1, "ms"},
	};
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		uint64_t q = u / parts[i].ms;
		u %= parts[i].ms;
		if (q)
			put(buf, n, pos, "%" PRIu64 "%s", q, parts[i].name);
	}
}

void tc_duration_format(int64_t ms, char *buf, size_t n)
{
	size_t pos = 0;
	if (n == 0)
		return;
	buf[0] = '\0';
	if (ms == 0) {
		put(buf, n, &pos, "0s");
		return;
	}
	if (ms < 0)
		put(buf, n, &pos, "-");
	format_ms_parts(magnitude(ms), buf, n, &pos);
}

void tc_duration_format_full(tc_duration d, char *buf, size_t n)
{
	size_t pos = 0;
	if (n == 0)
		return;
	buf[0] = '\0';
	if (d.months == 0) {
		tc_duration_format(d.ms, buf, n);
		return;
	}
	if (d.months < 0)
		put(buf, n, &pos, "-");
	put(buf, n, &pos, "%" PRIu64 "mo", magnitude(d.months));
	if (d.ms != 0) {
		if ((d.ms < 0) != (d.months < 0))
			put(buf, n, &pos, "%s", d.ms < 0 ? "-" : "+");
		format_ms_parts(magnitude(d.ms), buf, n, &pos);
	}
}

void tc_time_format(tc_time t, char *buf, size_t n)
{
	size_t pos = 0;
	if (n == 0)
		return;
	buf[0] = '\0';
	if (t == TC_TIME_NEVER) {
		put(buf, n, &pos, "never");
		return;
	}
	uint64_t u = magnitude(t);
	uint64_t days = u / (uint64_t)TC_DAY;
	u %= (uint64_t)TC_DAY;
	unsigned h = (unsigned)(u / (uint64_t)TC_HOUR);
	unsigned m = (unsigned)(u / (uint64_t)TC_MINUTE % 60);
	unsigned s = (unsigned)(u / (uint64_t)TC_SECOND % 60);
	unsigned ms = (unsigned)(u % 1000);
	put(buf, n, &pos, "T%c", t < 0 ? '-' : '+');
	if (days)
		put(buf, n, &pos, "%" PRIu64 "d", days);
	put(buf, n, &pos, "%02u:%02u:%02u", h, m, s);
	if (ms)
		put(buf, n, &pos, ".%03u", ms);
}

/* ------------------------------------------------------------------ */
/* Civil calendar (days <-> y/m/d, after H. Hinnant's published algorithm) */

int64_t tc_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	assert(m >= 1 && m <= 12);
	y -= m <= 2;
	int64_t era = floor_div(y, 400);
	int64_t yoe = y - era * 400;                                   /* [0, 399] */
	int64_t mp = m > 2 ? (int64_t)m - 3 : (int64_t)m + 9;          /* March = 0 */
	int64_t doy = (153 * mp + 2) / 5 + (int64_t)d - 1;             /* [0, 365] */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* [0, 146096] */
	return era * 146097 + doe - 719468;
}

void tc_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t z = days + 719468;
	int64_t era = floor_div(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	unsigned dd = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	unsigned mm = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (mm <= 2);
	*m = mm;
	*d = dd;
}

unsigned tc_weekday(int64_t days)
{
	/* 1970-01-01 was a Thursday (3 when Monday is 0). */
	return (unsigned)floor_mod(days + 3, 7);
}

static int is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned tc_days_in_month(int64_t y, unsigned m)
{
	static const unsigned char dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	assert(m >= 1 && m <= 12);
	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* ------------------------------------------------------------------ */
/* ISO 8601 dates and date-times                                       */

static int parse_date_part(pstate *p, int64_t *days)
{
	size_t start = p->pos;
	int64_t y = 0;
	for (int i = 0; i < 4; i++) {
		if (!is_digit(peek(p, 0)))
			return fail_expected(p, p->pos, "a four-digit year (YYYY-MM-DD)");
		y = y * 10 + (peek(p, 0) - '0');
		p->pos++;
	}
	if (peek(p, 0) != '-')
		return fail_expected(p, p->pos, "'-' after the year (YYYY-MM-DD)");
	p->pos++;
	size_t mpos = p->pos;
	unsigned m, d;
	if (!read_2digits(p, 99, &m))
		return fail_expected(p, p->pos, "a two-digit month (YYYY-MM-DD)");
	if (m < 1 || m > 12)
		return fail(p, mpos, "month must be 01-12, found '%02u'", m);
	if (peek(p, 0) != '-')
		return fail_expected(p, p->pos, "'-' after the month (YYYY-MM-DD)");
	p->pos++;
	size_t dpos = p->pos;
	if (!read_2digits(p, 99, &d))
		return fail_expected(p, p->pos, "a two-digit day (YYYY-MM-DD)");
	if (d < 1 || d > tc_days_in_month(y, m))
		return fail(p, dpos, "day must be 01-%02u in %.*s, found '%02u'",
		            tc_days_in_month(y, m), quote_len(start, mpos + 2), p->s + start, d);
	*days = tc_days_from_civil(y, m, d);
	return TC_OK;
}

/* Both date parsers: clear the message, trim blanks, read YYYY-MM-DD. */
static int begin_date(pstate *p, int64_t *days)
{
	if (p->err && p->errlen > 0)
		p->err[0] = '\0';
	while (p->len > 0 && is_blank(p->s[p->len - 1]))
		p->len--;
	skip_blanks(p);
	return parse_date_part(p, days);
}

int tc_date_parse(const char *s, size_t len, int64_t *days, char *err, size_t errlen,
                  size_t *err_offset)
{
	pstate st = {s, len, 0, err, errlen, err_offset};
	pstate *p = &st;
	int64_t v;
	int rc = begin_date(p, &v);
	if (rc != TC_OK)
		return rc;
	if (!at_end(p))
		return fail_expected(p, p->pos, "the end of the date (YYYY-MM-DD)");
	if (days)
		*days = v;
	return TC_OK;
}

int tc_datetime_parse(const char *s, size_t len, int64_t *utc_ms, int *has_offset, char *err,
                      size_t errlen, size_t *err_offset)
{
	pstate st = {s, len, 0, err, errlen, err_offset};
	pstate *p = &st;
	int64_t days;
	int rc = begin_date(p, &days);
	if (rc != TC_OK)
		return rc;
	char sep = peek(p, 0);
	if (sep != 'T' && sep != 't' && sep != ' ')
		return fail_expected(p, p->pos, "'T' or a space and a time after the date "
		                     "(YYYY-MM-DDTHH:MM)");
	p->pos++;
	unsigned hh, mm, ss = 0, ms = 0;
	size_t hpos = p->pos;
	if (!read_2digits(p, 99, &hh))
		return fail_expected(p, p->pos, "two-digit hours (HH:MM)");
	if (hh > 23)
		return fail(p, hpos, "hours must be 00-23, found '%02u'%s", hh,
		            hh == 24 ? " (write 00:00 of the next day)" : "");
	if (peek(p, 0) != ':')
		return fail_expected(p, p->pos, "':' after the hours (HH:MM)");
	p->pos++;
	if (!read_2digits(p, 59, &mm))
		return fail_expected(p, p->pos, "two-digit minutes 00-59");
	if (peek(p, 0) == ':') {
		p->pos++;
		size_t spos = p->pos;
		if (!read_2digits(p, 99, &ss))
			return fail_expected(p, p->pos, "two-digit seconds 00-59");
		if (ss > 59)
			return fail(p, spos, "seconds must be 00-59, found '%02u'%s", ss,
			            ss == 60 ? " (leap seconds are not supported)" : "");
		if (peek(p, 0) == '.' || peek(p, 0) == ',') {
			rc = read_second_fraction(p, &ms);
			if (rc != TC_OK)
				return rc;
		}
	}
	int64_t off_s = 0;
	int with_offset = 0;
	char z = peek(p, 0);
	if (z == 'Z' || z == 'z') {
		with_offset = 1;
		p->pos++;
	} else if (z == '+' || z == '-') {
		with_offset = 1;
		p->pos++;
		unsigned oh, om = 0, os = 0;
		if (!read_2digits_ex(p, 23, 1, &oh))
			return fail_expected(p, p->pos, "a two-digit offset hour 00-23 after the sign");
		if (peek(p, 0) == ':') {
			p->pos++;
			if (!read_2digits(p, 59, &om))
				return fail_expected(p, p->pos, "two-digit offset minutes 00-59");
			if (peek(p, 0) == ':') {
				p->pos++;
				if (!read_2digits(p, 59, &os))
					return fail_expected(p, p->pos, "two-digit offset seconds 00-59");
			}
		} else if (is_digit(peek(p, 0))) {
			if (!read_2digits(p, 59, &om))
				return fail_expected(p, p->pos, "two-digit offset minutes 00-59");
		}
		off_s = (int64_t)oh * 3600 + om * 60 + os;
		if (z == '-')
			off_s = -off_s;
	}
	if (!at_end(p))
		return fail_expected(p, p->pos, with_offset ? "the end of the date-time"
		                                            : "an offset (Z, +HH:MM) or the end");
	int64_t v = days * TC_DAY + hh * TC_HOUR + mm * TC_MINUTE + ss * TC_SECOND + ms -
	            off_s * TC_SECOND;
	if (utc_ms)
		*utc_ms = v;
	if (has_offset)
		*has_offset = with_offset;
	return TC_OK;
}

void tc_datetime_format(int64_t utc_ms, const struct tc_tz *tz, char *buf, size_t n)
{
	size_t pos = 0;
	if (n == 0)
		return;
	buf[0] = '\0';
	int32_t off = tz ? tc_tz_offset(tz, floor_div(utc_ms, 1000)) : 0;
	int64_t local = utc_ms + (int64_t)off * 1000;
	int64_t days = floor_div(local, TC_DAY);
	int64_t tod = local - days * TC_DAY;
	int64_t y;
	unsigned m, d;
	tc_civil_from_days(days, &y, &m, &d);
	put(buf, n, &pos, "%04" PRId64 "-%02u-%02uT%02u:%02u:%02u", y, m, d,
	    (unsigned)(tod / TC_HOUR), (unsigned)(tod / TC_MINUTE % 60),
	    (unsigned)(tod / TC_SECOND % 60));
	if (tod % 1000)
		put(buf, n, &pos, ".%03u", (unsigned)(tod % 1000));
	if (!tz) {
		put(buf, n, &pos, "Z");
		return;
	}
	unsigned a = (unsigned)(off < 0 ? -off : off);
	put(buf, n, &pos, "%c%02u:%02u", off < 0 ? '-' : '+', a / 3600, a / 60 % 60);
	if (a % 60)
		put(buf, n, &pos, ":%02u", a % 60);
}

/* ------------------------------------------------------------------ */
/* Calendar arithmetic                                                 */

static int64_t clamp_time(int64_t v)
{
	if (v < TC_TIME_ALWAYS_START)
		return TC_TIME_ALWAYS_START;
	if (v > TC_TIME_ALWAYS_END)
		return TC_TIME_ALWAYS_END;
	return v;
}

/* a + b saturated to the int64 range. */
static int64_t sat_add(int64_t a, int64_t b)
{
	if (b > 0 && a > INT64_MAX - b)
		return INT64_MAX;
	if (b < 0 && a < INT64_MIN - b)
		return INT64_MIN;
	return a + b;
}

tc_time tc_time_add(tc_time t, tc_duration d, int64_t epoch_utc_ms, const struct tc_tz *tz)
{
	if (t == TC_TIME_NEVER)
		return TC_TIME_NEVER;
	t = clamp_time(t);
	if (d.months != 0) {
		/* Local civil time in the exercise zone; instants are within
		   +-2^62 ms + epoch, far from int64 overflow for real epochs. */
		int64_t utc = sat_add(epoch_utc_ms, t);
		int64_t utc_s = floor_div(utc, 1000);
		int64_t sub_ms = utc - utc_s * 1000;
		int32_t off = tz ? tc_tz_offset(tz, utc_s) : 0;
		int64_t local_s = utc_s + off;
		int64_t days = floor_div(local_s, 86400);
		int64_t tod = local_s - days * 86400;
		int64_t y;
		unsigned m, dd;
		tc_civil_from_days(days, &y, &m, &dd);
		int64_t mi = y * 12 + (int64_t)(m - 1) + d.months;
		int64_t ny = floor_div(mi, 12);
		unsigned nm = (unsigned)(mi - ny * 12) + 1;
		unsigned dim = tc_days_in_month(ny, nm);
		if (dd > dim)
			dd = dim;
		int64_t nlocal = tc_days_from_civil(ny, nm, dd) * 86400 + tod;
		int64_t nutc_s = tz ? tc_tz_local_to_utc(tz, nlocal) : nlocal;
		int64_t nutc = nutc_s * 1000 + sub_ms;
		t = clamp_time(nutc - epoch_utc_ms);
	}
	return clamp_time(sat_add(t, d.ms));
}

int tc_exercise_time_parse(const char *s, size_t len, int64_t epoch_utc_ms,
                           const struct tc_tz *tz, tc_time *out, char *err, size_t errlen,
                           size_t *err_offset)
{
	if (len >= 10 && s[4] == '-' && s[7] == '-') {
		int64_t utc;
		int has_offset;
		int rc = tc_datetime_parse(s, len, &utc, &has_offset, err, errlen, err_offset);
		if (rc)
			return rc;
		if (!has_offset)
			utc = tc_tz_local_to_utc(tz, utc / 1000) * 1000 + utc % 1000;
		*out = utc - epoch_utc_ms;
		return TC_OK;
	}
	tc_duration d;
	int rc = tc_duration_parse(s, len, &d, err, errlen, err_offset);
	if (rc)
		return rc;
	*out = tc_time_add(0, d, epoch_utc_ms, tz);
	return TC_OK;
}
