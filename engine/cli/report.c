/*
 * tocsin report EVENTS.jsonl: the after-action report of a finished run,
 * recomputed from its log alone. Also the report output that `tocsin run`
 * shares.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/reader.h"
#include "cli/cli.h"
#include "core/error.h"
#include "report/report.h"

static const char help[] =
	"usage: tocsin report EVENTS.jsonl [--format FORMATS] [--out DIR] [--quiet]\n"
	"\n"
	"Recomputes the coordination-latency report of a run from its event log alone\n"
	"(docs/metrics.md defines every figure).\n"
	"\n"
	"  --format FORMATS  a comma-separated list of json, csv, html and text, or all\n"
	"                    (the default): json writes DIR/report.json, csv one file per\n"
	"                    table, html DIR/report.html, text the summary on stdout\n"
	"  --out DIR         where to write the files (default: the log's directory)\n"
	"  --quiet           no summary, even with text\n";

int cli_parse_formats(const char *text, unsigned *formats, int *summary)
{
	*formats = 0;
	*summary = 0;
	if (strcmp(text, "none") == 0)
		return 0;
	const char *p = text;
	while (*p) {
		size_t n = strcspn(p, ",");
		if (n == 4 && strncmp(p, "json", 4) == 0)
			*formats |= TC_REPORT_JSON;
		else if (n == 3 && strncmp(p, "csv", 3) == 0)
			*formats |= TC_REPORT_CSV;
		else if (n == 4 && strncmp(p, "html", 4) == 0)
			*formats |= TC_REPORT_HTML;
		else if (n == 4 && strncmp(p, "text", 4) == 0)
			*summary = 1;
		else if (n == 3 && strncmp(p, "all", 3) == 0)
			*formats |= TC_REPORT_ALL, *summary = 1;
		else
			return -1;
		p += n;
		if (*p == ',' && *++p == '\0')
			return -1;
	}
	return *formats || *summary ? 0 : -1;
}

int cli_output_report(const tc_metrics *m, const char *dir, unsigned formats, int summary,
                      const char *cmd)
{
	tc_alloc *a = tc_alloc_default();
	char err[512] = "";
	if (formats && tc_report_write(m, dir, formats, a, err, sizeof err)) {
		fprintf(stderr, "tocsin %s: %s\n", cmd, err);
		return EXIT_INVALID;
	}
	if (!summary)
		return EXIT_VALID;
	/* Colour for a person at a terminal, never in a pipe or with NO_COLOR
	 * set (https://no-color.org). */
	const char *no_colour = getenv("NO_COLOR");
	int colour = isatty(STDOUT_FILENO) && !(no_colour && *no_colour);
	tc_buf b;
	tc_buf_init(&b, a);
	tc_report_text(&b, m, colour);
	int failed = b.failed;
	if (!failed)
		fwrite(b.data, 1, b.len, stdout);
	tc_buf_release(&b);
	if (failed) {
		fprintf(stderr, "tocsin %s: out of memory writing the summary\n", cmd);
		return EXIT_INVALID;
	}
	return EXIT_VALID;
}

/* The directory part of path ("." when it has none). */
static void dir_of(const char *path, char *out, size_t n)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(out, n, ".");
	else if (slash == path)
		snprintf(out, n, "/");
	else
		snprintf(out, n, "%.*s", (int)(slash - path), path);
}

int cmd_report(int argc, char **argv)
{
	const char *log = NULL, *out = NULL, *v;
	unsigned formats = TC_REPORT_ALL;
	int summary = 1, quiet = 0;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			fputs(help, stdout);
			return EXIT_VALID;
		} else if (strcmp(arg, "--quiet") == 0) {
			quiet = 1;
		} else if (cli_is_option(arg, "--format")) {
			if (!(v = cli_option_value(argc, argv, &i, "--format")) ||
			    cli_parse_formats(v, &formats, &summary))
				return cli_usage_error("report", "--format needs a comma-separated list "
				                                 "of json, csv, html, text or all");
		} else if (cli_is_option(arg, "--out")) {
			if (!(out = cli_option_value(argc, argv, &i, "--out")))
				return cli_usage_error("report", "--out needs a directory");
		} else if (arg[0] == '-' && arg[1] != '\0') {
			return cli_usage_error("report", "unknown option '%s'", arg);
		} else if (log) {
			return cli_usage_error("report", "one event log at a time ('%s' and '%s')",
			                       log, arg);
		} else {
			log = arg;
		}
	}
	if (!log)
		return cli_usage_error("report", "no event log given");
	char dir[4096];
	if (out)
		snprintf(dir, sizeof dir, "%s", out);
	else
		dir_of(log, dir, sizeof dir);
	if (out && formats && cli_make_dirs(dir) != 0)
		return EXIT_INVALID;

	tc_analysis *an = tc_analysis_new(tc_alloc_default());
	if (!an) {
		fprintf(stderr, "tocsin report: out of memory\n");
		return EXIT_INVALID;
	}
	const tc_metrics *m;
	char err[1024];
	int status;
	if (tc_read_events_file(an, log, &m, err, sizeof err)) {
		fprintf(stderr, "tocsin report: %s\n", err);
		status = EXIT_INVALID;
	} else {
		status = cli_output_report(m, dir, formats, summary && !quiet, "report");
	}
	tc_analysis_free(an);
	return status;
}
