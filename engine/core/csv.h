/*
 * Reading and writing CSV as spreadsheets do (RFC 4180): fields separated by
 * commas (or semicolons, as spreadsheets in many locales save them), quoted
 * with '"' when they hold a separator, a quote or a line break, quotes
 * doubled inside; records end with CRLF, LF or CR, the last one may end
 * without. Rows are numbered as a spreadsheet numbers them: a record whose
 * quoted field spans several lines is one row, and empty rows count although
 * they are skipped. Positions in errors are row:column, the column being the
 * field's 1-based index.
 */
#ifndef TC_CSV_H
#define TC_CSV_H

#include <stddef.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/diag.h"

typedef struct tc_csv_field {
	const char *text;        /* NUL-terminated UTF-8, no NUL inside */
	size_t len;
	int quoted;              /* written between quotes */
} tc_csv_field;

typedef struct tc_csv_row {
	int number;              /* the row as a spreadsheet numbers it, from 1 */
	const tc_csv_field *fields;
	size_t count;            /* at least 1, at most the header's count */
} tc_csv_row;

typedef struct tc_csv_options {
	size_t max_bytes;        /* the input */
	size_t max_rows;         /* rows after the header, empty ones not counted */
	size_t max_columns;      /* fields in a row */
	char separator;          /* ',' or ';'; 0: ';' when the first line has
	                            semicolons and no comma outside quotes, else ',' */
} tc_csv_options;

/* 8 MiB, 100 000 rows, 64 columns, separator detected. */
void tc_csv_options_default(tc_csv_options *opt);

typedef struct tc_csv {
	tc_arena arena;          /* every row, field and text */
	const tc_csv_row *rows;  /* rows[0] is the header: the first row that is not empty */
	size_t row_count;        /* 0 for a file without any non-empty row */
	char separator;          /* the one used */
} tc_csv;

/*
 * Parse data[0..len) (need not be NUL-terminated), named name in
 * diagnostics. A UTF-8 byte order mark at the start is dropped. Rows whose
 * fields are all empty are skipped. Inside quotes, CRLF and CR become LF.
 * Refused, each with its row and column: an unterminated quoted field, a
 * quote inside an unquoted field, a character after a closing quote other
 * than a separator or the end of the row, a row with more fields than the
 * header, a NUL byte, bytes that are not UTF-8, and more rows or columns
 * than opt allows (TC_ELIMIT; a larger input is TC_ELIMIT without a
 * position). Returns TC_OK, TC_EINVAL, TC_ELIMIT or TC_ENOMEM, with the
 * first error in diag; on failure csv holds no memory. opt NULL means the
 * defaults.
 */
int tc_csv_parse(tc_csv *csv, tc_alloc *a, const char *name, const char *data, size_t len,
                 const tc_csv_options *opt, tc_diag *diag);
/* Free everything; safe after a failed parse and twice. */
void tc_csv_release(tc_csv *csv);

/* Append s as one field: quoted when it holds the separator, a quote, a
 * line break or blanks at either end (which readers may trim), else as is.
 * NULL is an empty field. */
void tc_csv_add_field(tc_buf *b, const char *s, char separator);

#endif
