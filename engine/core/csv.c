#include "core/csv.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"

void tc_csv_options_default(tc_csv_options *opt)
{
	opt->max_bytes = (size_t)8 << 20;
	opt->max_rows = 100000;
	opt->max_columns = 64;
	opt->separator = 0;
}

typedef struct parser {
	const unsigned char *s;
	size_t len, pos;
	char sep;
	const char *name;
	tc_diag *diag;
	tc_alloc *a;
	tc_arena *ar;
	const tc_csv_options *opt;
	int row;                 /* number of the row being read */
	tc_buf field;            /* the field being read */
	tc_csv_field *fields;    /* the row being read */
	size_t field_count, field_cap;
	tc_csv_row *rows;        /* the rows kept */
	size_t row_count, row_cap;
} parser;

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int fail(parser *p, int column, int code, const char *fmt, ...)
{
	char text[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	tc_diag_add(p->diag, p->name, column ? p->row : 0, column, "%s", text);
	return code;
}

static int out_of_memory(parser *p)
{
	tc_diag_add(p->diag, p->name, 0, 0, "out of memory reading the file");
	return TC_ENOMEM;
}

/* The length of the UTF-8 sequence at s[0..n), or 0 when it is not one
 * (overlong forms, surrogates and code points past U+10FFFF included). */
static size_t utf8_length(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	if (c < 0x80)
		return 1;
	size_t need;
	unsigned long cp, min;
	if (c >= 0xC2 && c <= 0xDF) {
		need = 2, cp = c & 0x1F, min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 3, cp = c & 0x0F, min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 4, cp = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n < need)
		return 0;
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return need;
}

/* One character of a field's text at p->pos, refusing NUL and what is not UTF-8. */
static int take_char(parser *p, int column)
{
	const unsigned char *c = p->s + p->pos;
	if (*c == '\0')
		return fail(p, column, TC_EINVAL, "NUL byte in the field");
	size_t n = utf8_length(c, p->len - p->pos);
	if (!n)
		return fail(p, column, TC_EINVAL, "byte 0x%02X is not UTF-8 (save the file as "
		            "UTF-8 CSV)", *c);
	tc_buf_add(&p->field, c, n);
	p->pos += n;
	return TC_OK;
}

static int at_row_end(const parser *p)
{
	return p->pos >= p->len || p->s[p->pos] == '\r' || p->s[p->pos] == '\n';
}

static int quoted_field(parser *p, int column)
{
	p->pos++; /* the opening quote */
	for (;;) {
		if (p->pos >= p->len)
			return fail(p, column, TC_EINVAL, "unterminated quoted field: the quote that "
			            "opens it is never closed");
		unsigned char c = p->s[p->pos];
		if (c == '"') {
			if (p->pos + 1 < p->len && p->s[p->pos + 1] == '"') {
				tc_buf_addc(&p->field, '"');
				p->pos += 2;
				continue;
			}
			p->pos++;
			break;
		}
		if (c == '\r' || c == '\n') {
			/* A line break inside a cell is LF, whatever the file's. */
			p->pos += c == '\r' && p->pos + 1 < p->len && p->s[p->pos + 1] == '\n' ? 2 : 1;
			tc_buf_addc(&p->field, '\n');
			continue;
		}
		int rc = take_char(p, column);
		if (rc)
			return rc;
	}
	if (!at_row_end(p) && p->s[p->pos] != (unsigned char)p->sep) {
		unsigned char c = p->s[p->pos];
		if (c >= 0x20 && c < 0x7f)
			return fail(p, column, TC_EINVAL, "'%c' after the closing quote: expected '%c' "
			            "or the end of the row", c, p->sep);
		return fail(p, column, TC_EINVAL, "byte 0x%02X after the closing quote: expected "
		            "'%c' or the end of the row", c, p->sep);
	}
	return TC_OK;
}

static int plain_field(parser *p, int column)
{
	while (!at_row_end(p) && p->s[p->pos] != (unsigned char)p->sep) {
		if (p->s[p->pos] == '"')
			return fail(p, column, TC_EINVAL, "'\"' inside an unquoted field: quote the "
			            "whole field and double the quotes in it");
		int rc = take_char(p, column);
		if (rc)
			return rc;
	}
	return TC_OK;
}

static int push_field(parser *p, int quoted)
{
	if (p->field.failed)
		return out_of_memory(p);
	if (p->field_count == p->field_cap &&
	    tc_grow(p->a, (void **)&p->fields, &p->field_cap, p->field_count + 1, sizeof *p->fields))
		return out_of_memory(p);
	tc_csv_field *f = &p->fields[p->field_count++];
	f->quoted = quoted;
	f->len = p->field.len;
	f->text = f->len ? tc_arena_strndup(p->ar, p->field.data, f->len) : "";
	tc_buf_reset(&p->field);
	return f->text ? TC_OK : out_of_memory(p);
}

static int push_row(parser *p)
{
	size_t filled = 0;
	for (size_t i = 0; i < p->field_count; i++)
		filled += p->fields[i].len > 0;
	if (!filled)
		return TC_OK; /* an empty row: numbered, not kept */
	if (p->row_count > 0 && p->field_count > p->rows[0].count)
		return fail(p, (int)p->rows[0].count + 1, TC_EINVAL, "%zu fields in this row, more "
		            "than the %zu of the header (row %d)", p->field_count, p->rows[0].count,
		            p->rows[0].number);
	if (p->row_count > p->opt->max_rows)
		return fail(p, 1, TC_ELIMIT, "more than %zu rows after the header", p->opt->max_rows);
	if (p->row_count == p->row_cap &&
	    tc_grow(p->a, (void **)&p->rows, &p->row_cap, p->row_count + 1, sizeof *p->rows))
		return out_of_memory(p);
	tc_csv_field *fields = tc_arena_alloc(p->ar, p->field_count * sizeof *fields);
	if (!fields)
		return out_of_memory(p);
	memcpy(fields, p->fields, p->field_count * sizeof *fields);
	p->rows[p->row_count++] = (tc_csv_row){p->row, fields, p->field_count};
	return TC_OK;
}

static int read_row(parser *p)
{
	p->field_count = 0;
	for (int column = 1;; column++) {
		if ((size_t)column > p->opt->max_columns)
			return fail(p, column, TC_ELIMIT, "more than %zu columns", p->opt->max_columns);
		int quoted = p->pos < p->len && p->s[p->pos] == '"';
		int rc = quoted ? quoted_field(p, column) : plain_field(p, column);
		if (rc || (rc = push_field(p, quoted)))
			return rc;
		if (p->pos < p->len && p->s[p->pos] == (unsigned char)p->sep) {
			p->pos++;
			continue;
		}
		break;
	}
	if (p->pos < p->len)
		p->pos += p->s[p->pos] == '\r' && p->pos + 1 < p->len && p->s[p->pos + 1] == '\n' ? 2 : 1;
	return push_row(p);
}

/* ';' when the first line has semicolons and no comma outside quotes. */
static char detect_separator(const unsigned char *s, size_t len)
{
	size_t commas = 0, semicolons = 0;
	int quoted = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (!quoted && (s[i] == '\n' || s[i] == '\r'))
			break;
		else if (!quoted)
			commas += s[i] == ',', semicolons += s[i] == ';';
	}
	return semicolons && !commas ? ';' : ',';
}

static void release_scratch(parser *p)
{
	tc_buf_release(&p->field);
	tc_free(p->a, p->fields, p->field_cap * sizeof *p->fields);
	tc_free(p->a, p->rows, p->row_cap * sizeof *p->rows);
}

int tc_csv_parse(tc_csv *csv, tc_alloc *a, const char *name, const char *data, size_t len,
                 const tc_csv_options *opt, tc_diag *diag)
{
	tc_csv_options defaults;
	if (!opt) {
		tc_csv_options_default(&defaults);
		opt = &defaults;
	}
	memset(csv, 0, sizeof *csv);
	tc_arena_init(&csv->arena, a);
	parser p = {.s = (const unsigned char *)data, .len = len, .name = name ? name : "<input>",
	            .diag = diag, .a = a, .ar = &csv->arena, .opt = opt};
	tc_buf_init(&p.field, a);
	if (len > opt->max_bytes) {
		tc_diag_add(diag, p.name, 0, 0, "the file is larger than the limit of %zu bytes",
		            opt->max_bytes);
		return TC_ELIMIT;
	}
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		p.pos = 3;
	p.sep = opt->separator ? opt->separator : detect_separator(p.s + p.pos, len - p.pos);
	int rc = TC_OK;
	while (rc == TC_OK && p.pos < p.len) {
		if (p.row == INT_MAX) {
			rc = fail(&p, 0, TC_ELIMIT, "too many rows");
			break;
		}
		p.row++;
		rc = read_row(&p);
	}
	tc_csv_row *rows = NULL;
	if (rc == TC_OK && p.row_count) {
		rows = tc_arena_alloc(&csv->arena, p.row_count * sizeof *rows);
		if (rows)
			memcpy(rows, p.rows, p.row_count * sizeof *rows);
		else
			rc = out_of_memory(&p);
	}
	release_scratch(&p);
	if (rc) {
		tc_csv_release(csv);
		return rc;
	}
	csv->rows = rows;
	csv->row_count = p.row_count;
	csv->separator = p.sep;
	return TC_OK;
}

void tc_csv_release(tc_csv *csv)
{
	tc_arena_release(&csv->arena);
	csv->rows = NULL;
	csv->row_count = 0;
}

void tc_csv_add_field(tc_buf *b, const char *s, char separator)
{
	if (!s || !*s)
		return;
	size_t n = strlen(s);
	int blank_ends = s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t';
	char special[] = {'"', '\r', '\n', separator, '\0'};
	if (!blank_ends && !s[strcspn(s, special)]) {
		tc_buf_add(b, s, n);
		return;
	}
	tc_buf_addc(b, '"');
	for (const char *q = s; *q; q++) {
		if (*q == '"')
			tc_buf_addc(b, '"');
		tc_buf_addc(b, *q);
	}
	tc_buf_addc(b, '"');
}
