/*
 * tocsin msel export|import: the scenario's injects to and from a
 * spreadsheet (docs/msel.md).
 */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/diag.h"
#include "core/error.h"
#include "core/fileio.h"
#include "scenario/msel.h"
#include "scenario/scenario.h"
#include "scenario/yaml_tree.h"

static const char help[] =
	"usage: tocsin msel export SCENARIO [--out FILE]\n"
	"       tocsin msel import MSEL.csv --into SCENARIO [--out FILE] [--check]\n"
	"\n"
	"The MSEL (the scenario's injects) as a spreadsheet (docs/msel.md).\n"
	"\n"
	"export writes the injects as CSV, one row per inject, on stdout or to FILE.\n"
	"\n"
	"import replaces the injects: section of the scenario file by the rows of the\n"
	"CSV, leaving the rest of the file as it is, and writes the scenario in place\n"
	"(or to FILE). Every cell is checked as the scenario's own injects are; an\n"
	"error is reported as MSEL.csv:ROW:COLUMN: error: message, and on any error\n"
	"nothing is written.\n"
	"\n"
	"  --out FILE        write to FILE instead (atomically, as always)\n"
	"  --into SCENARIO   import: the scenario file to change\n"
	"  --check           import: check the CSV against the scenario, write nothing\n"
	"\n"
	"Exit status: 0 success, 1 invalid input, 2 usage error.\n";

/* Write len bytes to path atomically, with mode when it is not 0. */
static int write_file(const char *path, const char *data, size_t len, mode_t mode)
{
	char err[512];
	tc_atomic_file file;
	if (tc_atomic_open(&file, path, err, sizeof err)) {
		fprintf(stderr, "tocsin msel: %s\n", err);
		return EXIT_INVALID;
	}
	if (mode)
		chmod(file.tmp, mode);
	if (fwrite(data, 1, len, file.f) != len) {
		fprintf(stderr, "tocsin msel: cannot write '%s': %s\n", path, strerror(errno));
		tc_atomic_abort(&file);
		return EXIT_INVALID;
	}
	if (tc_atomic_commit(&file, err, sizeof err)) {
		fprintf(stderr, "tocsin msel: %s\n", err);
		return EXIT_INVALID;
	}
	return EXIT_VALID;
}

static int export(const char *scenario, const char *out)
{
	tc_alloc *a = tc_alloc_default();
	tc_diag diag;
	tc_diag_init(&diag, a);
	tc_scenario *s = NULL;
	int status = EXIT_VALID;
	if (tc_scenario_load(&s, a, scenario, NULL, &diag)) {
		tc_diag_print(&diag, stderr);
		fprintf(stderr, "%s: invalid (%zu error%s): nothing exported\n", scenario,
		        tc_diag_errors(&diag), tc_diag_errors(&diag) == 1 ? "" : "s");
		tc_diag_release(&diag);
		return EXIT_INVALID;
	}
	tc_diag_release(&diag);
	tc_buf csv;
	tc_buf_init(&csv, a);
	if (tc_msel_export(s, &csv)) {
		fprintf(stderr, "tocsin msel: out of memory\n");
		status = EXIT_INVALID;
	} else if (out) {
		status = write_file(out, csv.data, csv.len, 0);
	} else if (fwrite(csv.data, 1, csv.len, stdout) != csv.len || fflush(stdout)) {
		fprintf(stderr, "tocsin msel: cannot write the CSV: %s\n", strerror(errno));
		status = EXIT_INVALID;
	}
	tc_buf_release(&csv);
	tc_scenario_free(s);
	return status;
}

static int read_input(tc_alloc *a, const char *path, size_t max, char **data, size_t *len)
{
	char err[512];
	if (tc_file_read(a, path, max, data, len, err, sizeof err) == 0)
		return 0;
	fprintf(stderr, "tocsin msel: %s\n", err);
	return -1;
}

static int import(const char *csv_path, const char *scenario, const char *out, int check)
{
	tc_alloc *a = tc_alloc_default();
	tc_csv_options copt;
	tc_csv_options_default(&copt);
	tc_ylimits ylim;
	tc_ylimits_default(&ylim);
	char *csv = NULL, *yaml = NULL;
	size_t csv_len = 0, yaml_len = 0;
	if (read_input(a, csv_path, copt.max_bytes, &csv, &csv_len) ||
	    read_input(a, scenario, ylim.max_bytes, &yaml, &yaml_len)) {
		tc_free(a, csv, csv ? csv_len + 1 : 0);
		return EXIT_INVALID;
	}
	tc_diag diag;
	tc_diag_init(&diag, a);
	tc_msel_import_result result;
	int rc = tc_msel_import(a, csv_path, csv, csv_len, scenario, yaml, yaml_len, &result,
	                        &diag);
	tc_free(a, csv, csv_len + 1);
	tc_free(a, yaml, yaml_len + 1);
	int status = EXIT_VALID;
	if (rc) {
		tc_diag_print(&diag, stderr);
		fprintf(stderr, "%s: not imported (%zu error%s): %s is unchanged\n", csv_path,
		        tc_diag_errors(&diag), tc_diag_errors(&diag) == 1 ? "" : "s",
		        out ? out : scenario);
		status = EXIT_INVALID;
	} else if (check) {
		printf("%s: valid: %zu inject%s for %s (nothing written)\n", csv_path,
		       result.inject_count, result.inject_count == 1 ? "" : "s", scenario);
	} else {
		/* In place: the file the path names (through a symbolic link), its
		 * permissions kept. */
		char real[PATH_MAX];
		struct stat st;
		const char *target = out ? out : realpath(scenario, real) ? real : scenario;
		mode_t mode = !out && stat(target, &st) == 0 ? st.st_mode & 07777 : 0;
		status = write_file(target, result.text, result.len, mode);
		if (status == EXIT_VALID)
			printf("%s: %zu inject%s imported from %s\n", out ? out : scenario,
			       result.inject_count, result.inject_count == 1 ? "" : "s", csv_path);
	}
	tc_free(a, result.text, result.text ? result.len + 1 : 0);
	tc_diag_release(&diag);
	return status;
}

int cmd_msel(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error("msel", "export or import?");
	const char *sub = argv[1];
	if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0 || strcmp(sub, "help") == 0) {
		fputs(help, stdout);
		return EXIT_VALID;
	}
	int is_export = strcmp(sub, "export") == 0;
	if (!is_export && strcmp(sub, "import") != 0)
		return cli_usage_error("msel", "unknown subcommand '%s' (export or import)", sub);
	const char *file = NULL, *out = NULL, *into = NULL;
	int check = 0;
	for (int i = 2; i < argc; i++) {
		const char *arg = argv[i];
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			fputs(help, stdout);
			return EXIT_VALID;
		} else if (cli_is_option(arg, "--out")) {
			if (!(out = cli_option_value(argc, argv, &i, "--out")) || !*out)
				return cli_usage_error("msel", "--out needs a file");
		} else if (!is_export && cli_is_option(arg, "--into")) {
			if (!(into = cli_option_value(argc, argv, &i, "--into")) || !*into)
				return cli_usage_error("msel", "--into needs a scenario file");
		} else if (!is_export && strcmp(arg, "--check") == 0) {
			check = 1;
		} else if (arg[0] == '-' && arg[1] != '\0') {
			return cli_usage_error("msel", "unknown option '%s' for msel %s", arg, sub);
		} else if (file) {
			return cli_usage_error("msel", "one %s at a time ('%s' and '%s')",
			                       is_export ? "scenario" : "CSV file", file, arg);
		} else {
			file = arg;
		}
	}
	if (!file)
		return cli_usage_error("msel", "no %s given", is_export ? "scenario file" : "CSV file");
	if (is_export)
		return export(file, out);
	if (!into)
		return cli_usage_error("msel", "import needs --into SCENARIO");
	if (check && out)
		return cli_usage_error("msel", "--check writes nothing: leave out --out");
	return import(file, into, out, check);
}
