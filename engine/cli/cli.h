/* The tocsin command line: one file per command, this header between them. */
#ifndef TC_CLI_H
#define TC_CLI_H

#include <stddef.h>
#include <stdint.h>

/* Exit codes shared by every command. */
enum { EXIT_VALID = 0, EXIT_INVALID = 1, EXIT_USAGE = 2 };

int cmd_validate(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_msel(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_compare(int argc, char **argv);

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
/* PARENT/<scenario file name without .yaml>: where a command writes by default. */
void cli_default_out(const char *parent, const char *scenario, char *out, size_t n);
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

/* ---- how runs are made: options shared by run, sweep and compare ------- */

typedef struct cli_sim_options {
	const char *doctrine, *until;
	const char **scripts;      /* --script, in order */
	size_t script_count;
	const char **sets;         /* --set, in order */
	size_t set_count;
	size_t capacity;           /* of scripts and sets: argc + 1 */
	int have_seed, continue_on_script_error;
	uint64_t seed, max_events, lua_memory, lua_instructions;
} cli_sim_options;

#define CLI_SIM_HELP                                                                       \
	"  --seed N          0 to 2^63-1 (default: the scenario's exercise.seed)\n"           \
	"  --doctrine FILE   replace the scenario's doctrine (FILE.lua: a Lua doctrine)\n"     \
	"  --script FILE     run this Lua file after the scenario's scripts (repeatable)\n"   \
	"  --set PATH=VALUE  override a scenario value, e.g. actors.anssi.staff=4\n"           \
	"                    (repeatable; docs/scenario.md, \"Overrides\")\n"                 \
	"  --until DURATION  stop at this time from T+0 (e.g. 36h, T+12:00)\n"                \
	"  --max-events N    fail if a run needs more events (default 1000000000)\n"          \
	"  --on-script-error=stop|continue\n"                                                 \
	"                    when a Lua callback fails: fail the run (stop, the default)\n"   \
	"                    or record a script-error event and go on (continue)\n"           \
	"  --lua-memory SIZE memory of a run's Lua, in bytes with an optional K, M or G\n"    \
	"                    suffix, at least 1M (default 64M)\n"                             \
	"  --lua-instructions N\n"                                                            \
	"                    Lua instructions per callback, above 0 (default 10000000)\n"

/* Room for argc options; -1 when out of memory. */
int cli_sim_options_init(cli_sim_options *o, int argc);
void cli_sim_options_release(cli_sim_options *o);
/* Parse argv[*i] if it is one of the options above (advancing *i past its
 * value): 1 when it was, 0 when it is not one of them, EXIT_USAGE (after
 * the message) when its value is wrong. */
int cli_sim_option(int argc, char **argv, int *i, const char *cmd, cli_sim_options *o);
/* The run options they give (the seed is o->seed even when not given:
 * callers replace it with the scenario's). 0, or EXIT_USAGE after the
 * message. */
struct tc_run_options;
int cli_sim_run_options(const cli_sim_options *o, const char *cmd, struct tc_run_options *out);
/* Load path with the doctrine, scripts and sets of o, then extra_sets;
 * diagnostics on stderr. EXIT_VALID with *out, or EXIT_INVALID. */
struct tc_scenario;
int cli_sim_load(const cli_sim_options *o, const char *path, const char *const *extra_sets,
                 size_t extra_count, struct tc_scenario **out);

#endif
