/* Helpers shared by the unit tests. */
#ifndef TC_TEST_SUPPORT_H
#define TC_TEST_SUPPORT_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

/* Path of a file under tests/data (static buffer, valid until the next call). */
const char *test_data_path(const char *name);
/* Path of a file under the source tree. */
const char *test_source_path(const char *name);
/* Write text to a fresh temporary file and return its path (static buffer). */
const char *test_write_temp(const char *name, const char *text);
/* Read a whole file; caller frees. NULL when it cannot be read. */
char *test_read_file(const char *path, size_t *len);

#endif
