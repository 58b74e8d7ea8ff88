/*
 * A report directory: report.json, the CSV tables and report.html.
 *
 * Every file is first written in full under a temporary name, and only when
 * all of them are written are they renamed into place, one after the other.
 * A failure while writing (a full disk, memory) therefore replaces nothing:
 * the temporary files are removed and a previous report in the directory is
 * left as it was. Only a failure among the renames themselves can leave a
 * mix of new and old files, each of them complete. No file is ever left
 * half-written.
 */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/fileio.h"
#include "report/report.h"

typedef void write_fn(tc_buf *b, const tc_metrics *m);

typedef struct out_file {
	const char *name;
	write_fn *write;
} out_file;

/* The files the formats ask for, in the order they are written. */
static size_t choose(unsigned formats, out_file *out)
{
	size_t n = 0;
	if (formats & TC_REPORT_JSON)
		out[n++] = (out_file){"report.json", tc_report_json};
	if (formats & TC_REPORT_CSV)
		for (size_t i = 0; i < tc_csv_table_count; i++)
			out[n++] = (out_file){tc_csv_tables[i].file, tc_csv_tables[i].write};
	if (formats & TC_REPORT_HTML)
		out[n++] = (out_file){"report.html", tc_report_html};
	return n;
}

/* Write one file's text under its temporary name; the file stays open for
 * the commit. The buffer is reused from file to file. */
static int write_one(const tc_metrics *m, const char *dir, const out_file *o, tc_buf *b,
                     tc_atomic_file *af, char *err, size_t errlen)
{
	char path[4096];
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, o->name) >= sizeof path) {
		snprintf(err, errlen, "path too long: '%.200s/%s'", dir, o->name);
		return TC_EIO;
	}
	tc_buf_reset(b);
	o->write(b, m);
	if (b->failed) {
		snprintf(err, errlen, "out of memory writing '%s'", path);
		return TC_ENOMEM;
	}
	if (tc_atomic_open(af, path, err, errlen))
		return TC_EIO;
	/* A full disk shows at the latest in the flush. */
	if (fwrite(b->data, 1, b->len, af->f) != b->len || fflush(af->f) != 0) {
		snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
		tc_atomic_abort(af);
		return TC_EIO;
	}
	return TC_OK;
}

int tc_report_write(const tc_metrics *m, const char *dir, unsigned formats, tc_alloc *a,
                    char *err, size_t errlen)
{
	out_file files[2 + 64];
	assert(tc_csv_table_count <= 64);
	size_t n = choose(formats, files);
	if (n == 0)
		return TC_OK;
	tc_atomic_file *af = tc_calloc(a, n, sizeof *af);
	if (!af) {
		snprintf(err, errlen, "out of memory writing the report in '%.300s'", dir);
		return TC_ENOMEM;
	}
	tc_buf b;
	tc_buf_init(&b, a);
	int rc = TC_OK;
	size_t written = 0;
	while (written < n && !rc)
		if (!(rc = write_one(m, dir, &files[written], &b, &af[written], err, errlen)))
			written++;
	tc_buf_release(&b);
	/* Commit all or, after a failure, abort the rest. */
	for (size_t i = 0; i < written; i++) {
		if (rc)
			tc_atomic_abort(&af[i]);
		else if (tc_atomic_commit(&af[i], err, errlen))
			rc = TC_EIO;
	}
	tc_free(a, af, n * sizeof *af);
	return rc;
}

void tc_report_remove(const char *dir, unsigned formats)
{
	out_file files[2 + 64];
	size_t n = choose(formats, files);
	for (size_t i = 0; i < n; i++) {
		char path[4096];
		if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, files[i].name) < sizeof path)
			remove(path);
	}
}
