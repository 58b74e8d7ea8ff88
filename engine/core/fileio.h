/*
 * Whole-file reads and atomic whole-file writes: an output is either
 * complete or absent, never half-written.
 */
#ifndef TC_FILEIO_H
#define TC_FILEIO_H

#include <stddef.h>
#include <stdio.h>

#include "core/alloc.h"

/*
 * Read the file at path into a NUL-terminated buffer of *len bytes
 * (allocated with a, size *len + 1). Reads at most max_bytes: a larger file
 * is TC_ELIMIT without reading it all. TC_EIO or TC_ENOENT when it cannot
 * be read; err then says why.
 */
int tc_file_read(tc_alloc *a, const char *path, size_t max_bytes, char **data, size_t *len,
                 char *err, size_t errlen);

/*
 * An output file written under a temporary name in the same directory and
 * renamed into place on commit, so readers never see a partial file.
 */
typedef struct tc_atomic_file {
	FILE *f;
	char path[4096];
	char tmp[4096];
} tc_atomic_file;

int tc_atomic_open(tc_atomic_file *af, const char *path, char *err, size_t errlen);
/* Flush, sync and rename into place. The file is closed either way. */
int tc_atomic_commit(tc_atomic_file *af, char *err, size_t errlen);
/* Close and remove the temporary file. */
void tc_atomic_abort(tc_atomic_file *af);

#endif
