/*
 * Reading events.jsonl into an analysis: lines of any length (run-started
 * embeds the whole scenario) read in chunks, each parsed by
 * reader_parse.c, every error placed at its line and column.
 */
#include "analysis/reader.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <string.h>

#include "analysis/reader_internal.h"
#include "core/error.h"

/* A line longer than this is not a log tocsin wrote (the scenario's own
 * limits keep run-started far below it). */
enum { MAX_LINE = 64 << 20, CHUNK = 64 << 10 };

typedef struct line_reader {
	FILE *in;
	tc_buf buf;
	size_t start;              /* where the unread lines begin in buf */
	size_t scanned;            /* bytes after start known to hold no newline */
	int eof;
} line_reader;

/*
 * The next line, without its newline (and without a carriage return before
 * it). *complete is 0 for a last line that has no newline. Returns 1, 0 at
 * the end, TC_ELIMIT (a line too long), TC_EIO or TC_ENOMEM. The line lives
 * until the next call.
 */
static int next_line(line_reader *lr, const char **line, size_t *len, int *complete)
{
	for (;;) {
		size_t avail = lr->buf.len - lr->start;
		char *begin = avail ? lr->buf.data + lr->start : NULL;
		char *nl = avail > lr->scanned ? memchr(begin + lr->scanned, '\n', avail - lr->scanned)
		                               : NULL;
		if (nl || (lr->eof && avail)) {
			*line = begin;
			*len = nl ? (size_t)(nl - begin) : avail;
			*complete = nl != NULL;
			lr->start += *len + (nl != NULL);
			lr->scanned = 0;
			if (*len && begin[*len - 1] == '\r')
				--*len;
			return 1;
		}
		if (lr->eof)
			return 0;
		lr->scanned = avail;
		if (avail > MAX_LINE)
			return TC_ELIMIT;
		if (lr->start) {  /* keep only the unread part, at the front */
			if (avail)
				memmove(lr->buf.data, begin, avail);
			lr->buf.len = avail;
			lr->start = 0;
		}
		if (tc_buf_reserve(&lr->buf, CHUNK))
			return TC_ENOMEM;
		size_t got = fread(lr->buf.data + lr->buf.len, 1, CHUNK, lr->in);
		lr->buf.len += got;
		lr->buf.data[lr->buf.len] = '\0';
		if (got < CHUNK) {
			if (ferror(lr->in))
				return TC_EIO;
			lr->eof = 1;
		}
	}
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int failf(char *err, size_t errlen, int rc, const char *fmt, ...)
{
	if (errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return rc;
}

/* The column an analysis error on line 1 is about: that of the top-level
 * key its path begins with ("scenario.actors[3].level: ..."). */
static int path_column(const char *line, size_t len, const char *message)
{
	char key[64];
	size_t n = strcspn(message, ".[: ");
	if (n == 0 || n >= sizeof key)
		return 1;
	memcpy(key, message, n);
	key[n] = '\0';
	return tc_reader_key_column(line, len, key);
}

static const char *cut_short(int complete)
{
	return complete ? "" : " (the last line has no end: the log is truncated)";
}

typedef struct reading {
	tc_analysis *an;
	const char *name;
	char *err;
	size_t errlen;
	line_reader lr;
	tc_reader rd;
	unsigned long line;        /* the number of the last line read */
} reading;

static int read_error(reading *g, int rc)
{
	switch (rc) {
	case TC_ELIMIT:
		return failf(g->err, g->errlen, rc, "%s:%lu: a line longer than %d MiB: not an event "
		             "log", g->name, g->line + 1, MAX_LINE >> 20);
	case TC_EIO:
		return failf(g->err, g->errlen, rc, "%s: read error after line %lu: %s", g->name,
		             g->line, strerror(errno));
	default:
		return failf(g->err, g->errlen, rc, "%s: out of memory", g->name);
	}
}

/* Line 1: run-started, whose JSON the analysis reads as it is. */
static int first_line(reading *g)
{
	const char *line = NULL;
	size_t len = 0;
	int complete;
	int rc = next_line(&g->lr, &line, &len, &complete);
	if (rc < 0)
		return read_error(g, rc);
	if (rc == 0)
		return failf(g->err, g->errlen, TC_EINVAL, "%s:1:1: the log is empty: expected a "
		             "run-started record on line 1", g->name);
	g->line = 1;
	json_error_t jerr;
	json_t *root = json_loadb(line, len, 0, &jerr);
	if (!root)
		return failf(g->err, g->errlen, TC_EINVAL, "%s:1:%d: not a JSON record: %s%s", g->name,
		             jerr.column > 0 ? jerr.column : 1, jerr.text, cut_short(complete));
	const char *event = json_string_value(json_object_get(root, "event"));
	if (!event || strcmp(event, "run-started") != 0) {
		rc = failf(g->err, g->errlen, TC_EINVAL, "%s:1:%d: expected a run-started record on "
		           "line 1, found %s%s%s: this is not the start of an event log", g->name,
		           tc_reader_key_column(line, len, "event"), event ? "\"" : "no event",
		           event ? event : "", event ? "\"" : "");
		json_decref(root);
		return rc;
	}
	json_decref(root);
	rc = tc_analysis_start(g->an, line, len);
	if (rc == TC_ENOMEM)
		return failf(g->err, g->errlen, rc, "%s: out of memory", g->name);
	if (rc) {
		const char *why = tc_analysis_error(g->an);
		return failf(g->err, g->errlen, rc, "%s:1:%d: %s", g->name, path_column(line, len, why),
		             why);
	}
	return TC_OK;
}

/* Every other line, to run-ended. */
static int records(reading *g)
{
	int seen_end = 0, rc, complete;
	const char *line = NULL;
	size_t len = 0;
	tc_record rec;
	char why[512];
	while ((rc = next_line(&g->lr, &line, &len, &complete)) == 1) {
		unsigned long n = ++g->line;
		if (seen_end)
			return failf(g->err, g->errlen, TC_EINVAL, "%s:%lu:1: a record after run-ended, "
			             "which ends the log", g->name, n);
		if (len == 0)
			return failf(g->err, g->errlen, TC_EINVAL, "%s:%lu:1: an empty line: expected a "
			             "JSON record", g->name, n);
		int column = 1;
		rc = tc_reader_parse_record(&g->rd, line, len, &rec, why, sizeof why, &column);
		if (rc == TC_ENOMEM)
			return failf(g->err, g->errlen, rc, "%s: out of memory", g->name);
		if (rc)
			return failf(g->err, g->errlen, rc, "%s:%lu:%d: %s%s", g->name, n, column, why,
			             cut_short(complete));
		rc = tc_analysis_record(g->an, &rec);
		if (rc == TC_ENOMEM)
			return failf(g->err, g->errlen, rc, "%s: out of memory", g->name);
		if (rc)
			return failf(g->err, g->errlen, rc, "%s:%lu:1: %s", g->name, n,
			             tc_analysis_error(g->an));
		seen_end = rec.type == TC_REC_RUN_ENDED;
	}
	if (rc < 0)
		return read_error(g, rc);
	if (!seen_end)
		return failf(g->err, g->errlen, TC_EINVAL, "%s:%lu: the log ends without run-ended "
		             "after line %lu: it is truncated or the run did not finish", g->name,
		             g->line, g->line);
	return TC_OK;
}

int tc_read_events(tc_analysis *an, FILE *in, const char *name, const tc_metrics **out,
                   char *err, size_t errlen)
{
	*out = NULL;
	if (errlen)
		err[0] = '\0';
	/* The reader's buffers are its own: the interface gives no allocator,
	 * and they are gone when it returns. */
	tc_alloc *a = tc_alloc_default();
	reading g = {.an = an, .name = name, .err = err, .errlen = errlen};
	g.lr.in = in;
	tc_buf_init(&g.lr.buf, a);
	int rc = first_line(&g);
	if (!rc) {
		tc_reader_init(&g.rd, a, tc_analysis_setup(an));
		rc = records(&g);
		tc_reader_release(&g.rd);
	}
	tc_buf_release(&g.lr.buf);
	if (rc)
		return rc;
	rc = tc_analysis_finish(an, out);
	if (rc == TC_ENOMEM)
		return failf(err, errlen, rc, "%s: out of memory", name);
	if (rc)
		return failf(err, errlen, rc, "%s: %s", name, tc_analysis_error(an));
	return TC_OK;
}

int tc_read_events_file(tc_analysis *an, const char *path, const tc_metrics **out, char *err,
                        size_t errlen)
{
	*out = NULL;
	FILE *in = fopen(path, "rb");
	if (!in)
		return failf(err, errlen, TC_EIO, "%s: cannot open: %s", path, strerror(errno));
	int rc = tc_read_events(an, in, path, out, err, errlen);
	fclose(in);
	return rc;
}
