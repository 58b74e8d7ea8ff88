#include "core/buf.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

void tc_buf_init(tc_buf *b, tc_alloc *a)
{
	memset(b, 0, sizeof *b);
	b->alloc = a;
}

void tc_buf_release(tc_buf *b)
{
	tc_free(b->alloc, b->data, b->cap);
	b->data = NULL;
	b->len = b->cap = 0;
}

int tc_buf_reserve(tc_buf *b, size_t extra)
{
	if (b->failed)
		return TC_ENOMEM;
	if (b->len + extra + 1 <= b->cap)
		return TC_OK;
	if (tc_grow(b->alloc, (void **)&b->data, &b->cap, b->len + extra + 1, 1)) {
		b->failed = 1;
		return TC_ENOMEM;
	}
	b->data[b->len] = '\0';
	return TC_OK;
}

void tc_buf_add_slow(tc_buf *b, const void *p, size_t n)
{
	if (tc_buf_reserve(b, n))
		return;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void tc_buf_printf(tc_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || tc_buf_reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* The digits of v, two at a time, ending at end; returns where they start. */
static char *format_u64(char *end, uint64_t v)
{
	static const char pairs[] =
		"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
		"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
		"8081828384858687888990919293949596979899";
	char *p = end;
	while (v >= 100) {
		unsigned r = (unsigned)(v % 100);
		v /= 100;
		p -= 2;
		memcpy(p, pairs + 2 * r, 2);
	}
	if (v >= 10) {
		p -= 2;
		memcpy(p, pairs + 2 * v, 2);
	} else {
		*--p = (char)('0' + v);
	}
	return p;
}

void tc_buf_add_u64(tc_buf *b, uint64_t v)
{
	char tmp[24];
	char *p = format_u64(tmp + sizeof tmp, v);
	tc_buf_add(b, p, (size_t)(tmp + sizeof tmp - p));
}

void tc_buf_add_i64(tc_buf *b, int64_t v)
{
	char tmp[24];
	char *p = format_u64(tmp + sizeof tmp, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v);
	if (v < 0)
		*--p = '-';
	tc_buf_add(b, p, (size_t)(tmp + sizeof tmp - p));
}

void tc_buf_add_double(tc_buf *b, double v)
{
	if (!isfinite(v)) {
		tc_buf_adds(b, "null");
		return;
	}
	/* Shortest of %.15g..%.17g that reads back exactly. The C locale is never
	 * changed for LC_NUMERIC, so the decimal separator is always '.'. */
	char tmp[40];
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*g", prec, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	tc_buf_adds(b, tmp);
}

void tc_buf_add_json_stringn(tc_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	/* Ids and names rarely need escaping: then one copy, quotes included. */
	size_t plain = 0;
	while (plain < n && (unsigned char)s[plain] >= 0x20 && s[plain] != '"' && s[plain] != '\\')
		plain++;
	if (plain == n) {
		if (tc_buf_reserve(b, n + 2))
			return;
		char *d = b->data + b->len;
		d[0] = '"';
		memcpy(d + 1, s, n);
		d[n + 1] = '"';
		d[n + 2] = '\0';
		b->len += n + 2;
		return;
	}
	tc_buf_addc(b, '"');
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		tc_buf_add(b, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"': tc_buf_adds(b, "\\\""); break;
		case '\\': tc_buf_adds(b, "\\\\"); break;
		case '\n': tc_buf_adds(b, "\\n"); break;
		case '\r': tc_buf_adds(b, "\\r"); break;
		case '\t': tc_buf_adds(b, "\\t"); break;
		default: {
			char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
			tc_buf_add(b, esc, sizeof esc);
		}
		}
	}
	tc_buf_add(b, s + run, n - run);
	tc_buf_addc(b, '"');
}

void tc_buf_add_json_string(tc_buf *b, const char *s)
{
	tc_buf_add_json_stringn(b, s, strlen(s));
}
