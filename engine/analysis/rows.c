/*
 * The line reader of replications.csv (rows.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "analysis/rows.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "core/error.h"

int tc_rows_fail(tc_rows *r, const char *fmt, ...)
{
	char what[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	if (r->number)
		snprintf(r->err, r->errlen, "%s:%llu: %s", r->path, (unsigned long long)r->number, what);
	else
		snprintf(r->err, r->errlen, "%s: %s", r->path, what);
	return TC_EINVAL;
}

/* Split r->line in place. */
static int split(tc_rows *r, size_t len)
{
	char *s = r->line;
	if (len && s[len - 1] == '\n')
		s[--len] = '\0';
	r->count = 0;
	char *p = s, *end = s + len;
	for (;;) {
		if (r->count == r->cap &&
		    tc_grow(r->alloc, (void **)&r->field, &r->cap, r->count + 1, sizeof *r->field)) {
			snprintf(r->err, r->errlen, "out of memory");
			return TC_ENOMEM;
		}
		char *out = p, *field = p;
		if (*p == '"') {
			p++;
			for (;;) {
				if (p == end)
					return tc_rows_fail(r, "unterminated quoted field");
				if (*p == '"') {
					if (p[1] != '"')
						break;
					p++;
				}
				*out++ = *p++;
			}
			p++; /* the closing quote */
			if (p != end && *p != ',')
				return tc_rows_fail(r, "expected ',' after a quoted field");
		} else {
			while (p != end && *p != ',')
				p++;
			out = p;
		}
		int last = p == end;
		*out = '\0';
		r->field[r->count++] = field;
		if (last)
			return TC_OK;
		p++;
	}
}

int tc_rows_next(tc_rows *r)
{
	errno = 0;
	ssize_t n = getline(&r->line, &r->line_cap, r->f);
	if (n < 0) {
		if (ferror(r->f)) {
			snprintf(r->err, r->errlen, "%s: cannot read: %s", r->path, strerror(errno));
			return TC_EIO;
		}
		return 1;
	}
	r->number++;
	if (memchr(r->line, '\0', (size_t)n))
		return tc_rows_fail(r, "a NUL byte");
	return split(r, (size_t)n);
}

int tc_rows_open(tc_rows *r, tc_alloc *a, const char *path, char *err, size_t errlen)
{
	*r = (tc_rows){.alloc = a, .path = path, .err = err, .errlen = errlen};
	if (!(r->f = fopen(path, "rb"))) {
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return TC_EIO;
	}
	return TC_OK;
}

void tc_rows_close(tc_rows *r)
{
	if (r->f)
		fclose(r->f);
	free(r->line); /* getline's own buffer */
	if (r->field)
		tc_free(r->alloc, r->field, r->cap * sizeof *r->field);
	r->f = NULL;
	r->line = NULL;
	r->line_cap = 0;
	r->field = NULL;
	r->count = r->cap = 0;
}

int tc_rows_header(tc_rows *r, const char *const *keys, size_t key_count,
                   const tc_figure *figures, size_t figure_count)
{
	int rc = tc_rows_next(r);
	if (rc == 1)
		return tc_rows_fail(r, "empty file: expected the header of replications.csv");
	if (rc)
		return rc;
	size_t want = key_count + 1 + figure_count;
	if (r->count != want)
		return tc_rows_fail(r, "expected %zu columns in the header, found %zu", want, r->count);
	for (size_t k = 0; k < want; k++) {
		const char *name = k < key_count ? keys[k]
		                   : k == key_count ? "replication"
		                   : figures[k - key_count - 1].name;
		if (strcmp(r->field[k], name) != 0)
			return tc_rows_fail(r, "column %zu is '%s', expected '%s'", k + 1, r->field[k],
			                    name);
	}
	return TC_OK;
}

int tc_rows_replication(const char *s, uint32_t *out)
{
	if (!*s)
		return -1;
	uint64_t v = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || (v = v * 10 + (uint64_t)(*s - '0')) > UINT32_MAX)
			return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

double tc_rows_value(const char *s, tc_figure_kind kind, int *bad)
{
	if (!*s)
		return NAN;
	if (kind == TC_FIGURE_LABEL)
		return 0;
	char *end;
	errno = 0;
	double v = kind == TC_FIGURE_RATIO ? strtod(s, &end) : (double)strtoll(s, &end, 10);
	if (*end || errno || !isfinite(v) || (kind == TC_FIGURE_FLAG && v != 0 && v != 1) ||
	    (kind == TC_FIGURE_COUNT && v < 0) || isspace((unsigned char)*s)) {
		*bad = 1;
		return 0;
	}
	return v;
}
