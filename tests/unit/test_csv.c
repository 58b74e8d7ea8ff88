/* The CSV reader and field writer: quoting, line ends, the byte order mark,
 * row numbering as spreadsheets count, every error with its row and column,
 * limits and allocation failures. */
#include "test_support.h"

#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/diag.h"
#include "core/error.h"

static int parse_n(tc_csv *csv, tc_diag *d, const char *text, size_t len,
                   const tc_csv_options *opt)
{
	tc_diag_init(d, tc_alloc_default());
	return tc_csv_parse(csv, tc_alloc_default(), "m.csv", text, len, opt, d);
}

/* Parse text that must be read; the diagnostics are released. */
static void parse_ok(tc_csv *csv, const char *text)
{
	tc_diag d;
	int rc = parse_n(csv, &d, text, strlen(text), NULL);
	if (rc)
		tc_diag_print(&d, stdout);
	assert_int_equal(rc, TC_OK);
	assert_int_equal(d.count, 0);
	tc_diag_release(&d);
}

static void check_row(const tc_csv *csv, size_t i, int number, size_t count, ...)
{
	assert_true(i < csv->row_count);
	const tc_csv_row *r = &csv->rows[i];
	assert_int_equal(r->number, number);
	assert_int_equal(r->count, count);
	va_list ap;
	va_start(ap, count);
	for (size_t k = 0; k < count; k++) {
		const char *want = va_arg(ap, const char *);
		assert_string_equal(r->fields[k].text, want);
		assert_int_equal(r->fields[k].len, strlen(want));
	}
	va_end(ap);
}

/* Text that must be refused with exactly one error at row:column. */
static void expect_error_opt(const char *text, size_t len, const tc_csv_options *opt, int rc,
                             int row, int column, const char *message)
{
	tc_csv csv;
	tc_diag d;
	assert_int_equal(parse_n(&csv, &d, text, len, opt), rc);
	if (d.count != 1)
		tc_diag_print(&d, stdout);
	assert_int_equal(d.count, 1);
	assert_string_equal(d.items[0].file, "m.csv");
	assert_string_equal(d.items[0].message, message);
	assert_int_equal(d.items[0].line, row);
	assert_int_equal(d.items[0].column, column);
	assert_null(csv.rows);
	assert_int_equal(csv.row_count, 0);
	tc_csv_release(&csv);
	tc_diag_release(&d);
}

static void expect_error(const char *text, int row, int column, const char *message)
{
	expect_error_opt(text, strlen(text), NULL, TC_EINVAL, row, column, message);
}

static void plain_rows(void **state)
{
	(void)state;
	tc_csv csv;
	parse_ok(&csv, "id,time\nI1,T+1h\nI2,T+2h\n");
	assert_int_equal(csv.row_count, 3);
	assert_int_equal(csv.separator, ',');
	check_row(&csv, 0, 1, 2, "id", "time");
	check_row(&csv, 1, 2, 2, "I1", "T+1h");
	check_row(&csv, 2, 3, 2, "I2", "T+2h");
	assert_false(csv.rows[1].fields[0].quoted);
	tc_csv_release(&csv);
	tc_csv_release(&csv); /* twice is fine */
}

static void quoting(void **state)
{
	(void)state;
	tc_csv csv;
	/* Separators, doubled quotes, an empty quoted field, blanks kept. */
	parse_ok(&csv, "a,b,c,d\n\"x,y\",\"say \"\"hi\"\"\",\"\", z \n");
	check_row(&csv, 1, 2, 4, "x,y", "say \"hi\"", "", " z ");
	assert_true(csv.rows[1].fields[0].quoted);
	assert_true(csv.rows[1].fields[2].quoted);
	assert_false(csv.rows[1].fields[3].quoted);
	tc_csv_release(&csv);
	/* A row ending with a separator has an empty last field. */
	parse_ok(&csv, "a,b\n1,\n");
	check_row(&csv, 1, 2, 2, "1", "");
	tc_csv_release(&csv);
}

/* CRLF, LF and CR end rows; a line break inside quotes is one row, and
 * becomes LF. */
static void line_ends_and_numbering(void **state)
{
	(void)state;
	tc_csv csv;
	parse_ok(&csv, "id,description\r\nI1,\"two\r\nlines\"\r\nI2,\"three\nlines\rhere\"\rI3,x");
	assert_int_equal(csv.row_count, 4);
	check_row(&csv, 1, 2, 2, "I1", "two\nlines");
	check_row(&csv, 2, 3, 2, "I2", "three\nlines\nhere");
	check_row(&csv, 3, 4, 2, "I3", "x"); /* the last row without a line end */
	tc_csv_release(&csv);
}

/* Rows whose fields are all empty are skipped but numbered; a shorter row
 * is fine. */
static void empty_rows(void **state)
{
	(void)state;
	tc_csv csv;
	parse_ok(&csv, "\n,,\nid,time,to\n\nI1\n,\"\",\n\"\"\nI2,T+1h,a\n\n");
	assert_int_equal(csv.row_count, 3);
	check_row(&csv, 0, 3, 3, "id", "time", "to");
	check_row(&csv, 1, 5, 1, "I1");
	check_row(&csv, 2, 8, 3, "I2", "T+1h", "a");
	tc_csv_release(&csv);
	parse_ok(&csv, "");
	assert_int_equal(csv.row_count, 0);
	assert_null(csv.rows);
	tc_csv_release(&csv);
	parse_ok(&csv, "\r\n,,,\r\n");
	assert_int_equal(csv.row_count, 0);
	tc_csv_release(&csv);
}

static void byte_order_mark_and_utf8(void **state)
{
	(void)state;
	tc_csv csv;
	parse_ok(&csv, "\xEF\xBB\xBFid,sujet\nI1,\xC3\xA9t\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x94\x94\n");
	check_row(&csv, 0, 1, 2, "id", "sujet");
	check_row(&csv, 1, 2, 2, "I1", "\xC3\xA9t\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x94\x94");
	tc_csv_release(&csv);
	/* Only at the very start. */
	parse_ok(&csv, "a\n\xEF\xBB\xBFx\n");
	check_row(&csv, 1, 2, 1, "\xEF\xBB\xBFx");
	tc_csv_release(&csv);
}

static void semicolons(void **state)
{
	(void)state;
	tc_csv csv;
	parse_ok(&csv, "id;to;\"a,b\"\nI1;\"x;y\";1,5\n");
	assert_int_equal(csv.separator, ';');
	check_row(&csv, 0, 1, 3, "id", "to", "a,b");
	check_row(&csv, 1, 2, 3, "I1", "x;y", "1,5");
	tc_csv_release(&csv);
	/* A comma on the first line: commas, semicolons are text. */
	parse_ok(&csv, "id,to;x\nI1,a;b\n");
	assert_int_equal(csv.separator, ',');
	check_row(&csv, 1, 2, 2, "I1", "a;b");
	tc_csv_release(&csv);
	/* Imposed. */
	tc_csv_options opt;
	tc_csv_options_default(&opt);
	opt.separator = ';';
	tc_diag d;
	const char *text = "id,x;to\nI1,a;b\n"; /* detection would take commas */
	assert_int_equal(parse_n(&csv, &d, text, strlen(text), &opt), TC_OK);
	check_row(&csv, 1, 2, 2, "I1,a", "b");
	tc_csv_release(&csv);
	tc_diag_release(&d);
}

static void errors_with_row_and_column(void **state)
{
	(void)state;
	expect_error("id,description\nI1,\"never closed\nI2,x\n", 2, 2,
	             "unterminated quoted field: the quote that opens it is never closed");
	expect_error("id,description\nI1,x\"y\n", 2, 2,
	             "'\"' inside an unquoted field: quote the whole field and double the quotes "
	             "in it");
	expect_error("id,description\n\"I1\"x,y\n", 2, 1,
	             "'x' after the closing quote: expected ',' or the end of the row");
	expect_error("id,description\n\"I1\" ,y\n", 2, 1,
	             "' ' after the closing quote: expected ',' or the end of the row");
	expect_error("id;description\n\"I1\",y\n", 2, 1,
	             "',' after the closing quote: expected ';' or the end of the row");
	/* Rows after a multi-line one are numbered as records. */
	expect_error("id,time\n\"a\nb\",1\n\n1,2,3\n", 4, 3,
	             "3 fields in this row, more than the 2 of the header (row 1)");
	static const char nul[] = "id,time\nI1,T+\0\n", quoted_nul[] = "id,time\n\"I\0\"\n";
	expect_error_opt(nul, sizeof nul - 1, NULL, TC_EINVAL, 2, 2, "NUL byte in the field");
	expect_error_opt(quoted_nul, sizeof quoted_nul - 1, NULL, TC_EINVAL, 2, 1,
	                 "NUL byte in the field");
	expect_error("id,sujet\nI1,\xE9t\xE9\n", 2, 2,
	             "byte 0xE9 is not UTF-8 (save the file as UTF-8 CSV)");
	expect_error("id\n\xC0\xAF\n", 2, 1, "byte 0xC0 is not UTF-8 (save the file as UTF-8 CSV)");
	expect_error("id\n\xED\xA0\x80\n", 2, 1,   /* a surrogate */
	             "byte 0xED is not UTF-8 (save the file as UTF-8 CSV)");
	expect_error("id\nx\xE2\x82\n", 2, 1,      /* cut short */
	             "byte 0xE2 is not UTF-8 (save the file as UTF-8 CSV)");
}

static void limits(void **state)
{
	(void)state;
	tc_csv_options opt;
	tc_csv_options_default(&opt);
	assert_int_equal(opt.max_bytes, 8 << 20);
	assert_int_equal(opt.max_rows, 100000);
	assert_int_equal(opt.max_columns, 64);
	opt.max_columns = 3;
	opt.max_rows = 2;
	opt.max_bytes = 64;
	tc_csv csv;
	tc_diag d;
	/* At the limits. */
	const char *full = "a,b,c\n1,2,3\n\n4,5,6\n";
	assert_int_equal(parse_n(&csv, &d, full, strlen(full), &opt), TC_OK);
	assert_int_equal(csv.row_count, 3);
	tc_csv_release(&csv);
	tc_diag_release(&d);
	const char *wide = "a,b,c\n1,2,3,4\n";
	expect_error_opt(wide, strlen(wide), &opt, TC_ELIMIT, 2, 4, "more than 3 columns");
	const char *tall = "a,b,c\n1\n2\n\n3\n";
	expect_error_opt(tall, strlen(tall), &opt, TC_ELIMIT, 5, 1, "more than 2 rows after the header");
	char big[65];
	memset(big, 'x', sizeof big);
	expect_error_opt(big, sizeof big, &opt, TC_ELIMIT, 0, 0,
	                 "the file is larger than the limit of 64 bytes");
}

/* Every allocation failure is reported, leaving nothing allocated. */
static void allocation_failures(void **state)
{
	(void)state;
	const char *text = "id,time,description\nI1,T+1h,\"long enough to make the buffer grow "
	                   "past its first allocation, with a \"\"quote\"\"\"\nI2,T+2h,x\nI3\n";
	int succeeded = 0;
	for (long k = 0; k < 200 && !succeeded; k++) {
		tc_failing_alloc fa;
		tc_failing_alloc_init(&fa, k);
		tc_diag d;
		tc_diag_init(&d, tc_alloc_default());
		tc_csv csv;
		int rc = tc_csv_parse(&csv, &fa.alloc, "m.csv", text, strlen(text), NULL, &d);
		if (rc == TC_OK) {
			succeeded = 1;
			assert_int_equal(csv.row_count, 4);
			check_row(&csv, 3, 4, 1, "I3");
		} else {
			assert_int_equal(rc, TC_ENOMEM);
			assert_int_equal(d.count, 1);
			assert_string_equal(d.items[0].message, "out of memory reading the file");
			assert_null(csv.rows);
		}
		tc_csv_release(&csv);
		assert_int_equal(fa.live_blocks, 0);
		tc_diag_release(&d);
	}
	assert_true(succeeded);
}

static void writing_fields(void **state)
{
	(void)state;
	tc_buf b;
	tc_buf_init(&b, tc_alloc_default());
	static const char *const fields[] = {"plain", "a,b", "say \"hi\"", "two\nlines", " lead",
	                                     "trail\t", "a;b", "", NULL, "cr\rhere"};
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
		if (i)
			tc_buf_addc(&b, ',');
		tc_csv_add_field(&b, fields[i], ',');
	}
	tc_buf_addc(&b, '\n');
	assert_string_equal(b.data, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\" lead\","
	                            "\"trail\t\",a;b,,,\"cr\rhere\"\n");
	/* Read back: the same texts (CR in a cell becomes LF). */
	tc_csv csv;
	tc_buf hdr;
	tc_buf_init(&hdr, tc_alloc_default());
	tc_buf_adds(&hdr, "1,2,3,4,5,6,7,8,9,10\n");
	tc_buf_add(&hdr, b.data, b.len);
	parse_ok(&csv, hdr.data);
	check_row(&csv, 1, 2, 10, "plain", "a,b", "say \"hi\"", "two\nlines", " lead", "trail\t",
	          "a;b", "", "", "cr\nhere");
	tc_csv_release(&csv);
	tc_buf_release(&hdr);
	/* With semicolons, commas need no quotes. */
	tc_buf_reset(&b);
	tc_csv_add_field(&b, "a,b", ';');
	tc_buf_addc(&b, ';');
	tc_csv_add_field(&b, "a;b", ';');
	assert_string_equal(b.data, "a,b;\"a;b\"");
	tc_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_rows),
		cmocka_unit_test(quoting),
		cmocka_unit_test(line_ends_and_numbering),
		cmocka_unit_test(empty_rows),
		cmocka_unit_test(byte_order_mark_and_utf8),
		cmocka_unit_test(semicolons),
		cmocka_unit_test(errors_with_row_and_column),
		cmocka_unit_test(limits),
		cmocka_unit_test(allocation_failures),
		cmocka_unit_test(writing_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
