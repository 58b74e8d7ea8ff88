#include "core/diag.h"

#include <assert.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "core/error.h"

enum { DEFAULT_MAX_ENTRIES = 1000 };

const char *tc_strerror(int code)
{
	switch (code) {
	case TC_OK: return "success";
	case TC_ENOMEM: return "out of memory";
	case TC_EINVAL: return "invalid input";
	case TC_EIO: return "input/output error";
	case TC_ELIMIT: return "input exceeds a limit";
	case TC_ENOENT: return "not found";
	case TC_ERANGE: return "value out of range";
	case TC_ESCRIPT: return "script error";
	default: return "unknown error";
	}
}

void tc_diag_init(tc_diag *d, tc_alloc *a)
{
	memset(d, 0, sizeof *d);
	d->alloc = a;
	d->max_entries = DEFAULT_MAX_ENTRIES;
}

static char *copy_string(tc_alloc *a, const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = tc_malloc(a, n);
	if (p)
		memcpy(p, s, n);
	return p;
}

void tc_diag_release(tc_diag *d)
{
	for (size_t i = 0; i < d->count; i++) {
		tc_diag_entry *e = &d->items[i];
		tc_free(d->alloc, e->file, strlen(e->file) + 1);
		tc_free(d->alloc, e->message, strlen(e->message) + 1);
	}
	tc_free(d->alloc, d->items, d->cap * sizeof *d->items);
	memset(d, 0, sizeof *d);
}

void tc_diag_add(tc_diag *d, const char *file, int line, int column, const char *fmt, ...)
{
	assert(d && fmt);
	if (d->count >= d->max_entries) {
		d->dropped++;
		return;
	}
	char text[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (tc_grow(d->alloc, (void **)&d->items, &d->cap, d->count + 1, sizeof *d->items)) {
		d->out_of_memory = 1;
		d->dropped++;
		return;
	}
	tc_diag_entry *e = &d->items[d->count];
	e->file = copy_string(d->alloc, file ? file : "<input>");
	e->message = copy_string(d->alloc, text);
	if (!e->file || !e->message) {
		if (e->file)
			tc_free(d->alloc, e->file, strlen(e->file) + 1);
		if (e->message)
			tc_free(d->alloc, e->message, strlen(e->message) + 1);
		d->out_of_memory = 1;
		d->dropped++;
		return;
	}
	e->line = line;
	e->column = column;
	d->count++;
}

size_t tc_diag_errors(const tc_diag *d)
{
	return d->count + d->dropped;
}

void tc_diag_print(const tc_diag *d, FILE *out)
{
	for (size_t i = 0; i < d->count; i++) {
		const tc_diag_entry *e = &d->items[i];
		if (e->line > 0)
			fprintf(out, "%s:%d:%d: error: %s\n", e->file, e->line, e->column, e->message);
		else
			fprintf(out, "%s: error: %s\n", e->file, e->message);
	}
	if (d->dropped)
		fprintf(out, "... and %zu more error%s\n", d->dropped, d->dropped == 1 ? "" : "s");
}

/* Optimal string alignment distance (Levenshtein plus adjacent swaps). */
static size_t edit_distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	enum { MAX_LEN = 63 };
	if (n > MAX_LEN || m > MAX_LEN)
		return SIZE_MAX;
	size_t d[MAX_LEN + 1][MAX_LEN + 1];
	for (size_t i = 0; i <= n; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= m; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= n; i++) {
		for (size_t j = 1; j <= m; j++) {
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t best = d[i - 1][j - 1] + cost;
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[n][m];
}

const char *tc_suggest(const char *word, const char *const *candidates, size_t n)
{
	const char *best = NULL;
	size_t best_distance = SIZE_MAX;
	size_t len = strlen(word);
	/* A third of the word's length, at least 1 and at most 3 edits; words
	 * under three letters are too short to guess from. */
	if (len < 3)
		return NULL;
	size_t limit = len / 3;
	if (limit < 1)
		limit = 1;
	if (limit > 3)
		limit = 3;
	for (size_t i = 0; i < n; i++) {
		size_t dist = edit_distance(word, candidates[i]);
		if (dist <= limit && dist < best_distance) {
			best = candidates[i];
			best_distance = dist;
		}
	}
	return best;
}
