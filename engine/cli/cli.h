/* The tocsin command line: one file per command, this header between them. */
#ifndef TC_CLI_H
#define TC_CLI_H

#include <stdint.h>

/* Exit codes shared by every command. */
enum { EXIT_VALID = 0, EXIT_INVALID = 1, EXIT_USAGE = 2 };

int cmd_validate(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_msel(int argc, char **argv);

struct tc_metrics;
/* Parse --format/--report: a comma-separated list of json, csv, html, text,
 * all, or none. 0 on success with the report files (TC_REPORT_*) and
 * whether the text summary is wanted; -1 when malformed. */
int cli_parse_formats(const char *text, unsigned *formats, int *summary);
/* Write the report files into dir and the summary on stdout (coloured on a
 * terminal without NO_COLOR). An exit code; errors are printed as
 * "tocsin CMD: ...". */
int cli_output_report(const struct tc_metrics *m, const char *dir, unsigned formats,
                      int summary, const char *cmd);
/* mkdir -p; prints the error and returns -1 on failure. */
int cli_make_dirs(const char *path);

/* Parse a whole decimal number in [0, max]; 0 on success. */
int cli_parse_u64(const char *text, uint64_t max, uint64_t *out);
/* Parse a size in bytes: a whole number with an optional suffix K, M or G
 * (either case; 2^10, 2^20, 2^30), such as 64M. 0 on success; -1 when it is
 * malformed or does not fit in a size_t. */
int cli_parse_size(const char *text, uint64_t *out);
/* Whether arg is option name, as "--name" or "--name=VALUE". */
int cli_is_option(const char *arg, const char *name);
/* Report a usage error for command cmd and return EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
/* The value of option argv[*i] (--opt VALUE or --opt=VALUE), advancing *i. NULL if missing. */
const char *cli_option_value(int argc, char **argv, int *i, const char *name);

#endif
