#include "core/tz.h"

#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/timefmt.h"

#define TZ_DEFAULT_DIR "/usr/share/zoneinfo"
#define TZ_MAX_FILE ((size_t)1 << 20)  /* real TZif files are a few KiB */
#define TZ_MAX_NAME 255
/* Instants are clamped to +-2^53 s (285 million years), beyond the +-2^62 ms
   of exercise time, so that calendar arithmetic never overflows. */
#define TZ_CLAMP ((int64_t)1 << 53)
/* |UT offset| of any local time type (RFC 8536: -24:59:59 .. +25:59:59). */
#define TZ_MAX_OFF 93599
/* Window searched around a local time: larger than any offset. */
#define TZ_WINDOW (2 * 86400)

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	if (err && errlen > 0) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

static int64_t clamp_s(int64_t t)
{
	return t < -TZ_CLAMP ? -TZ_CLAMP : t > TZ_CLAMP ? TZ_CLAMP : t;
}

/* ------------------------------------------------------------------ */
/* POSIX TZ rules (the TZif footer)                                    */

static int64_t year_of(int64_t local_seconds)
{
	int64_t y;
	unsigned m, d;
	tc_civil_from_days(floor_div(local_seconds, 86400), &y, &m, &d);
	return y;
}

/* The local time (seconds) of rule date r in year y. */
static int64_t rule_local(const tc_tz_rule_date *r, int64_t y)
{
	int64_t day;
	switch (r->kind) {
	case 'J':
		day = tc_days_from_civil(y, 1, 1) + r->yday - 1;
		if (r->yday >= 60 && tc_days_in_month(y, 2) == 29)
			day++;
		break;
	case 'N':
		day = tc_days_from_civil(y, 1, 1) + r->yday;
		break;
	default: {
		assert(r->kind == 'M');
		int64_t first = tc_days_from_civil(y, r->month, 1);
		unsigned wd_first = (tc_weekday(first) + 1) % 7;  /* 0 = Sunday */
		day = first + (r->wday + 7 - wd_first) % 7 + 7 * (r->week - 1);
		int64_t dim = tc_days_in_month(y, r->month);
		while (day >= first + dim)
			day -= 7;
		break;
	}
	}
	return day * 86400 + r->time;
}

/*
 * POSIX semantics, evaluated in the year of t in local standard time: DST
 * from start (given in standard time) to end (given in DST); when end comes
 * first in the year the zone is in the southern hemisphere.
 */
static int32_t rule_offset(const tc_tz_rule *r, int64_t t)
{
	if (!r->has_dst)
		return r->std_off;
	int64_t y = year_of(t + r->std_off);
	int64_t s = rule_local(&r->start, y) - r->std_off;
	int64_t e = rule_local(&r->end, y) - r->dst_off;
	int dst = s < e ? (s <= t && t < e) : !(e <= t && t < s);
	return dst ? r->dst_off : r->std_off;
}

static int64_t rule_next(const tc_tz_rule *r, int64_t t)
{
	if (!r->has_dst)
		return INT64_MAX;
	int64_t y = year_of(t + r->std_off);
	int64_t c[8];
	size_t n = 0;
	for (int64_t yy = y - 1; yy <= y + 2; yy++) {
		c[n++] = rule_local(&r->start, yy) - r->std_off;
		c[n++] = rule_local(&r->end, yy) - r->dst_off;
	}
	for (size_t i = 1; i < n; i++)  /* insertion sort of 8 */
		for (size_t j = i; j > 0 && c[j - 1] > c[j]; j--) {
			int64_t tmp = c[j];
			c[j] = c[j - 1];
			c[j - 1] = tmp;
		}
	for (size_t i = 0; i < n; i++)
		if (c[i] > t && rule_offset(r, c[i]) != rule_offset(r, c[i] - 1))
			return c[i];
	return INT64_MAX;
}

typedef struct tzstr {
	const char *s;
	size_t len, pos;
} tzstr;

static int ts_digit(const tzstr *z)
{
	return z->pos < z->len && z->s[z->pos] >= '0' && z->s[z->pos] <= '9';
}

static int ts_uint(tzstr *z, unsigned maxdigits, unsigned *v)
{
	unsigned x = 0, n = 0;
	while (ts_digit(z) && n < maxdigits) {
		x = x * 10 + (unsigned)(z->s[z->pos++] - '0');
		n++;
	}
	*v = x;
	return n > 0 && !ts_digit(z);
}

static int ts_name(tzstr *z)
{
	size_t start = z->pos;
	if (z->pos < z->len && z->s[z->pos] == '<') {
		z->pos++;
		start = z->pos;
		while (z->pos < z->len && z->s[z->pos] != '>') {
			char c = z->s[z->pos];
			if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			      c == '+' || c == '-'))
				return 0;
			z->pos++;
		}
		if (z->pos >= z->len || z->pos - start < 3)
			return 0;
		z->pos++;
		return 1;
	}
	while (z->pos < z->len && ((z->s[z->pos] >= 'A' && z->s[z->pos] <= 'Z') ||
	                           (z->s[z->pos] >= 'a' && z->s[z->pos] <= 'z')))
		z->pos++;
	return z->pos - start >= 3;
}

/* [+-]h[h[h]][:mm[:ss]] with hours <= max_h; seconds. */
static int ts_hms(tzstr *z, unsigned max_h, int32_t *out)
{
	int neg = 0;
	if (z->pos < z->len && (z->s[z->pos] == '+' || z->s[z->pos] == '-'))
		neg = z->s[z->pos++] == '-';
	unsigned h, m = 0, s = 0;
	if (!ts_uint(z, 3, &h) || h > max_h)
		return 0;
	if (z->pos < z->len && z->s[z->pos] == ':') {
		z->pos++;
		if (!ts_uint(z, 2, &m) || m > 59)
			return 0;
		if (z->pos < z->len && z->s[z->pos] == ':') {
			z->pos++;
			if (!ts_uint(z, 2, &s) || s > 59)
				return 0;
		}
	}
	int32_t v = (int32_t)(h * 3600 + m * 60 + s);
	*out = neg ? -v : v;
	return 1;
}

static int ts_date(tzstr *z, tc_tz_rule_date *d)
{
	unsigned v;
	memset(d, 0, sizeof *d);
	if (z->pos < z->len && z->s[z->pos] == 'J') {
		z->pos++;
		if (!ts_uint(z, 3, &v) || v < 1 || v > 365)
			return 0;
		d->kind = 'J';
		d->yday = (uint16_t)v;
	} else if (z->pos < z->len && z->s[z->pos] == 'M') {
		unsigned m, w, wd;
		z->pos++;
		if (!ts_uint(z, 2, &m) || m < 1 || m > 12)
			return 0;
		if (z->pos >= z->len || z->s[z->pos++] != '.' || !ts_uint(z, 1, &w) || w < 1 || w > 5)
			return 0;
		if (z->pos >= z->len || z->s[z->pos++] != '.' || !ts_uint(z, 1, &wd) || wd > 6)
			return 0;
		d->kind = 'M';
		d->month = (uint8_t)m;
		d->week = (uint8_t)w;
		d->wday = (uint8_t)wd;
	} else {
		if (!ts_uint(z, 3, &v) || v > 365)
			return 0;
		d->kind = 'N';
		d->yday = (uint16_t)v;
	}
	d->time = 7200;  /* 02:00 unless given */
	if (z->pos < z->len && z->s[z->pos] == '/') {
		z->pos++;
		/* RFC 8536 extends the time to -167..167 hours. */
		if (!ts_hms(z, 167, &d->time))
			return 0;
	}
	return 1;
}

/* Parse a TZ string; 1 on success. The DST rule is required when there is a
   DST name (POSIX leaves the default to the implementation). */
static int parse_posix_tz(const char *s, size_t len, tc_tz_rule *r)
{
	tzstr z = {s, len, 0};
	int32_t off;
	memset(r, 0, sizeof *r);
	if (!ts_name(&z) || !ts_hms(&z, 24, &off))
		return 0;
	r->std_off = -off;
	if (z.pos == z.len)
		return 1;
	if (!ts_name(&z))
		return 0;
	r->has_dst = 1;
	r->dst_off = r->std_off + 3600;
	if (z.pos < z.len && z.s[z.pos] != ',') {
		if (!ts_hms(&z, 24, &off))
			return 0;
		r->dst_off = -off;
	}
	if (z.pos >= z.len || z.s[z.pos++] != ',' || !ts_date(&z, &r->start))
		return 0;
	if (z.pos >= z.len || z.s[z.pos++] != ',' || !ts_date(&z, &r->end))
		return 0;
	return z.pos == z.len;
}

/* ------------------------------------------------------------------ */
/* TZif                                                                */

typedef struct tzif_hdr {
	char version;
	uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
} tzif_hdr;

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const uint8_t *p)
{
	uint64_t v = (uint64_t)be32(p) << 32 | be32(p + 4);
	return (int64_t)v;
}

static int read_header(const uint8_t *d, size_t len, size_t at, tzif_hdr *h, char *err,
                       size_t errlen)
{
	if (len - at < 44) {
		set_err(err, errlen, "truncated TZif file: header needs 44 bytes at offset %zu, "
		        "found %zu", at, len - at);
		return TC_EINVAL;
	}
	if (memcmp(d + at, "TZif", 4) != 0) {
		set_err(err, errlen, "not a TZif file: expected magic 'TZif' at offset %zu", at);
		return TC_EINVAL;
	}
	h->version = (char)d[at + 4];
	if (h->version != 0 && h->version < '2') {
		set_err(err, errlen, "unsupported TZif version byte 0x%02x", (unsigned)d[at + 4]);
		return TC_EINVAL;
	}
	const uint8_t *c = d + at + 20;
	h->isutcnt = be32(c);
	h->isstdcnt = be32(c + 4);
	h->leapcnt = be32(c + 8);
	h->timecnt = be32(c + 12);
	h->typecnt = be32(c + 16);
	h->charcnt = be32(c + 20);
	if (h->typecnt == 0 || h->charcnt == 0 || h->typecnt > 256) {
		set_err(err, errlen, "malformed TZif file: %u local time types and %u designation "
		        "bytes (need 1-256 and at least 1)", h->typecnt, h->charcnt);
		return TC_EINVAL;
	}
	if ((h->isutcnt != 0 && h->isutcnt != h->typecnt) ||
	    (h->isstdcnt != 0 && h->isstdcnt != h->typecnt)) {
		set_err(err, errlen, "malformed TZif file: UT/standard indicator counts must be 0 or "
		        "the number of types");
		return TC_EINVAL;
	}
	return TC_OK;
}

/* Size of a data block with time values of tsize bytes (64-bit arithmetic:
   counts are 32-bit, so this cannot overflow). */
static uint64_t block_size(const tzif_hdr *h, unsigned tsize)
{
	return (uint64_t)h->timecnt * tsize + h->timecnt + (uint64_t)h->typecnt * 6 + h->charcnt +
	       (uint64_t)h->leapcnt * (tsize + 4) + h->isstdcnt + h->isutcnt;
}

int tc_tz_parse(tc_tz *tz, tc_alloc *a, const void *data, size_t len, const char *name,
                char *err, size_t errlen)
{
	const uint8_t *d = data;
	tzif_hdr h;
	int rc;

	memset(tz, 0, sizeof *tz);
	tz->name = "";
	if (err && errlen)
		err[0] = '\0';
	if (!name)
		name = "";
	if ((rc = read_header(d, len, 0, &h, err, errlen)) != TC_OK)
		return rc;
	size_t at = 44;
	unsigned tsize = 4;
	if (h.version >= '2') {
		uint64_t v1 = block_size(&h, 4);
		if (v1 > len - at) {
			set_err(err, errlen, "truncated TZif file: version 1 data needs %llu bytes, "
			        "found %zu", (unsigned long long)v1, len - at);
			return TC_EINVAL;
		}
		at += (size_t)v1;
		char version = h.version;
		if ((rc = read_header(d, len, at, &h, err, errlen)) != TC_OK)
			return rc;
		if (h.version != version) {
			set_err(err, errlen, "malformed TZif file: the two headers disagree on the version");
			return TC_EINVAL;
		}
		at += 44;
		tsize = 8;
	}
	if (h.leapcnt != 0) {
		set_err(err, errlen, "TZif file with leap seconds (a \"right/\" zone) is not supported");
		return TC_EINVAL;
	}
	uint64_t need = block_size(&h, tsize);
	if (need > len - at) {
		set_err(err, errlen, "truncated TZif file: data needs %llu bytes at offset %zu, found %zu",
		        (unsigned long long)need, at, len - at);
		return TC_EINVAL;
	}
	const uint8_t *times = d + at;
	const uint8_t *idx = times + (size_t)h.timecnt * tsize;
	const uint8_t *types = idx + h.timecnt;
	const uint8_t *flags = types + (size_t)h.typecnt * 6 + h.charcnt;
	at += (size_t)need;

	/* Local time types. */
	int32_t offs[256];
	for (uint32_t i = 0; i < h.typecnt; i++) {
		const uint8_t *t = types + (size_t)i * 6;
		int32_t off = (int32_t)be32(t);
		if (off < -TZ_MAX_OFF || off > TZ_MAX_OFF || t[4] > 1 || t[5] >= h.charcnt) {
			set_err(err, errlen, "malformed TZif file: local time type %u is invalid "
			        "(offset %ld s, dst flag %u, designation %u)", i, (long)off,
			        (unsigned)t[4], (unsigned)t[5]);
			return TC_EINVAL;
		}
		offs[i] = off;
	}
	for (uint32_t i = 0; i < h.isstdcnt + h.isutcnt; i++) {
		if (flags[i] > 1) {
			set_err(err, errlen, "malformed TZif file: standard/UT indicator %u is not 0 or 1",
			        flags[i]);
			return TC_EINVAL;
		}
	}
	/* Transitions: strictly increasing, valid type indices. Count the ones
	   that change the offset (the last is always kept: the footer rule
	   governs from it). */
	size_t keep = 0;
	int32_t prev = offs[0];
	int64_t last_time = 0;
	for (uint32_t i = 0; i < h.timecnt; i++) {
		int64_t t = tsize == 8 ? be64(times + (size_t)i * 8)
		                       : (int64_t)(int32_t)be32(times + (size_t)i * 4);
		if (i > 0 && t <= last_time) {
			set_err(err, errlen, "malformed TZif file: transition %u is not after the "
			        "previous one", i);
			return TC_EINVAL;
		}
		if (idx[i] >= h.typecnt) {
			set_err(err, errlen, "malformed TZif file: transition %u names local time type "
			        "%u of %u", i, (unsigned)idx[i], h.typecnt);
			return TC_EINVAL;
		}
		last_time = t;
		if (offs[idx[i]] != prev || i + 1 == h.timecnt)
			keep++;
		prev = offs[idx[i]];
	}

	/* Footer: "\n<POSIX TZ string>\n" (v2+). */
	tc_tz_rule rule;
	int has_rule = 0;
	if (h.version >= '2') {
		if (at >= len || d[at] != '\n') {
			set_err(err, errlen, "truncated TZif file: expected the footer at offset %zu", at);
			return TC_EINVAL;
		}
		const uint8_t *fs = d + at + 1;
		const uint8_t *fe = memchr(fs, '\n', len - at - 1);
		if (!fe) {
			set_err(err, errlen, "truncated TZif file: the footer has no closing newline");
			return TC_EINVAL;
		}
		if (fe > fs) {
			if (!parse_posix_tz((const char *)fs, (size_t)(fe - fs), &rule)) {
				set_err(err, errlen, "malformed TZif footer: '%.*s' is not a POSIX TZ string",
				        (int)(fe - fs > 64 ? 64 : fe - fs), (const char *)fs);
				return TC_EINVAL;
			}
			has_rule = 1;
		}
	}

	size_t name_len = strlen(name);
	size_t bytes = keep * (sizeof(int64_t) + sizeof(int32_t)) + name_len + 1;
	char *block = tc_malloc(a, bytes);
	if (!block) {
		set_err(err, errlen, "out of memory loading time zone '%s'", name);
		return TC_ENOMEM;
	}
	int64_t *trans = (int64_t *)(void *)block;
	int32_t *toff = (int32_t *)(void *)(block + keep * sizeof(int64_t));
	char *nm = block + keep * (sizeof(int64_t) + sizeof(int32_t));
	size_t k = 0;
	prev = offs[0];
	for (uint32_t i = 0; i < h.timecnt; i++) {
		if (offs[idx[i]] != prev || i + 1 == h.timecnt) {
			trans[k] = tsize == 8 ? be64(times + (size_t)i * 8)
			                      : (int64_t)(int32_t)be32(times + (size_t)i * 4);
			toff[k] = offs[idx[i]];
			k++;
		}
		prev = offs[idx[i]];
	}
	assert(k == keep);
	memcpy(nm, name, name_len + 1);

	tz->name = nm;
	tz->alloc = a;
	tz->block = block;
	tz->block_size = bytes;
	tz->trans = trans;
	tz->trans_off = toff;
	tz->ntrans = keep;
	tz->initial_off = offs[0];
	tz->has_rule = has_rule;
	if (has_rule)
		tz->rule = rule;
	return TC_OK;
}

void tc_tz_utc(tc_tz *tz)
{
	memset(tz, 0, sizeof *tz);
	tz->name = "UTC";
}

void tc_tz_release(tc_tz *tz)
{
	if (tz->block)
		tc_free(tz->alloc, tz->block, tz->block_size);
	memset(tz, 0, sizeof *tz);
	tz->name = "";
}

const char *tc_tz_name(const tc_tz *tz)
{
	return tz->name;
}

int tc_tz_load_file(tc_tz *tz, tc_alloc *a, const char *path, const char *name, char *err,
                    size_t errlen)
{
	memset(tz, 0, sizeof *tz);
	tz->name = "";
	FILE *f = fopen(path, "rb");
	if (!f) {
		int e = errno;
		if (e == ENOENT || e == ENOTDIR) {
			set_err(err, errlen, "unknown time zone '%s' (no file %s)", name ? name : path, path);
			return TC_ENOENT;
		}
		set_err(err, errlen, "cannot open %s: %s", path,
		        e == EACCES ? "permission denied" : "input/output error");
		return TC_EIO;
	}
	char *buf = NULL;
	size_t cap = 0, len = 0;
	int rc = TC_OK;
	for (;;) {
		if (len == cap) {
			if (cap >= TZ_MAX_FILE) {
				set_err(err, errlen, "not a TZif file: %s is larger than 1 MiB", path);
				rc = TC_EINVAL;
				break;
			}
			if (tc_grow(a, (void **)&buf, &cap, cap ? cap * 2 : 4096, 1) != TC_OK) {
				set_err(err, errlen, "out of memory reading %s", path);
				rc = TC_ENOMEM;
				break;
			}
		}
		size_t got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0) {
			if (ferror(f)) {
				if (errno == EISDIR) {
					set_err(err, errlen, "unknown time zone '%s' (%s is a directory)",
					        name ? name : path, path);
					rc = TC_ENOENT;
				} else {
					set_err(err, errlen, "cannot read %s", path);
					rc = TC_EIO;
				}
			}
			break;
		}
	}
	fclose(f);
	if (rc == TC_OK)
		rc = tc_tz_parse(tz, a, buf, len, name ? name : path, err, errlen);
	if (rc == TC_EINVAL && err && errlen) {
		/* Say which file was malformed. */
		char tmp[256];
		snprintf(tmp, sizeof tmp, "%s", err);
		set_err(err, errlen, "%s: %s", path, tmp);
	}
	tc_free(a, buf, cap);
	return rc;
}

/* A plain zone name: components of [A-Za-z0-9_+-] separated by single '/'. */
static int valid_zone_name(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > TZ_MAX_NAME || name[0] == '/' || name[n - 1] == '/')
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (c == '/') {
			if (name[i + 1] == '/')
				return 0;
			continue;
		}
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '+' || c == '-'))
			return 0;
	}
	return 1;
}

int tc_tz_load_dir(tc_tz *tz, tc_alloc *a, const char *dir, const char *name, char *err,
                   size_t errlen)
{
	memset(tz, 0, sizeof *tz);
	tz->name = "";
	if (err && errlen)
		err[0] = '\0';
	if (!valid_zone_name(name)) {
		set_err(err, errlen, "invalid time zone name '%.64s': expected an IANA name such as "
		        "Europe/Paris (letters, digits, '_', '+', '-' and '/' between parts)", name);
		return TC_EINVAL;
	}
	/* Built in, so exercises in UTC need no tzdata. */
	if (strcmp(name, "UTC") == 0 || strcmp(name, "Etc/UTC") == 0) {
		tc_tz_utc(tz);
		tz->name = name[0] == 'U' ? "UTC" : "Etc/UTC";
		return TC_OK;
	}
	char path[4096];
	int w = snprintf(path, sizeof path, "%s/%s", dir, name);
	if (w < 0 || (size_t)w >= sizeof path) {
		set_err(err, errlen, "time zone directory path too long");
		return TC_EINVAL;
	}
	int rc = tc_tz_load_file(tz, a, path, name, err, errlen);
	if (rc == TC_ENOENT)
		set_err(err, errlen, "unknown time zone '%s' (not found in %s)", name, dir);
	return rc;
}

int tc_tz_load(tc_tz *tz, tc_alloc *a, const char *name, char *err, size_t errlen)
{
	/* getenv only reads; the engine never sets the environment. */
	const char *dir = getenv("TZDIR");
	if (!dir || !dir[0])
		dir = TZ_DEFAULT_DIR;
	return tc_tz_load_dir(tz, a, dir, name, err, errlen);
}

/* ------------------------------------------------------------------ */
/* Queries                                                             */

/* Number of transitions at or before t. */
static size_t count_le(const tc_tz *tz, int64_t t)
{
	size_t lo = 0, hi = tz->ntrans;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (tz->trans[mid] <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int32_t tc_tz_offset(const tc_tz *tz, int64_t utc_seconds)
{
	int64_t t = clamp_s(utc_seconds);
	size_t n = count_le(tz, t);
	if (tz->ntrans == 0)
		return tz->has_rule ? rule_offset(&tz->rule, t) : tz->initial_off;
	if (n == 0)
		return tz->initial_off;
	if (n == tz->ntrans && tz->has_rule)
		return rule_offset(&tz->rule, t);
	return tz->trans_off[n - 1];
}

int64_t tc_tz_next_transition(const tc_tz *tz, int64_t utc_seconds)
{
	int64_t t = clamp_s(utc_seconds);
	size_t n = count_le(tz, t);
	if (n < tz->ntrans)
		return tz->trans[n];
	if (tz->has_rule)
		return rule_next(&tz->rule, t);
	return INT64_MAX;
}

int64_t tc_tz_local_to_utc(const tc_tz *tz, int64_t local_seconds)
{
	int64_t L = clamp_s(local_seconds);
	/* Walk the pieces of constant offset that can contain a solution of
	   t + offset(t) = L, in increasing order: the first solution is the
	   earlier instant of an overlap; a gap shows as a transition jumped over. */
	int64_t t = L - TZ_WINDOW;
	int64_t piece_start = INT64_MIN;
	int32_t o = tc_tz_offset(tz, t);
	for (;;) {
		int64_t next = tc_tz_next_transition(tz, t);
		int64_t cand = L - o;
		if (cand >= piece_start && cand < next)
			return cand;
		if (next == INT64_MAX || next > L + TZ_WINDOW || next <= t)
			break;
		int32_t o2 = tc_tz_offset(tz, next);
		if (next + o <= L && L < next + o2)
			return L - o;  /* in the gap: offset before the transition */
		t = next;
		piece_start = next;
		o = o2;
	}
	return L - tc_tz_offset(tz, L);  /* unreachable for well-formed zones */
}
