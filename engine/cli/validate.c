/*
 * tocsin validate FILE...: load each scenario and report every error.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/diag.h"
#include "core/error.h"
#include "scenario/scenario.h"
#include "sim/run.h"

static const char help[] =
	"usage: tocsin validate [--doctrine FILE] [--script FILE]... [--set PATH=VALUE]...\n"
	"                       SCENARIO...\n"
	"\n"
	"Checks each scenario (and the doctrine it names, or FILE, and the Lua files\n"
	"it names and those given with --script) and prints every error as\n"
	"file:line:column: error: message. The Lua is compiled and its top levels\n"
	"run as before a run, in the sandbox. Exit status: 0 all valid, 1 some\n"
	"invalid, 2 usage error.\n"
	"\n"
	"  --doctrine FILE   replace the scenarios' doctrine (FILE.lua: a Lua doctrine)\n"
	"  --script FILE     add this Lua file after each scenario's scripts (repeatable)\n"
	"  --set PATH=VALUE  override one value of each scenario (repeatable, applied in\n"
	"                    order; docs/scenario.md, \"Overrides\")\n";

static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

static void print_valid(const char *file, const tc_scenario *s)
{
	printf("%s: valid: %zu actor%s, %zu channel%s, %zu incident%s, %zu inject%s, "
	       "%zu meeting%s, %zu objective%s, %zu doctrine rule%s", file,
	       s->actor_count, plural(s->actor_count), s->channel_count,
	       plural(s->channel_count), s->incident_count, plural(s->incident_count),
	       s->inject_count, plural(s->inject_count), s->meeting_count,
	       plural(s->meeting_count), s->objective_count, plural(s->objective_count),
	       s->doctrine.rule_count, plural(s->doctrine.rule_count));
	/* Lua is mentioned only where there is some. */
	if (s->doctrine.script)
		printf(" and Lua handlers");
	if (s->script_count)
		printf(", %zu script%s", s->script_count, plural(s->script_count));
	printf("\n");
}

/* Compile the scenario's Lua and run its top levels, as a run would before
 * T+0: syntax errors, runtime errors at load, handlers for unknown actors. */
static int check_scripts(const char *file, const tc_scenario *s)
{
	if (!s->script_count && !s->doctrine.script)
		return 0;
	tc_run_options ro = {.seed = s->default_seed, .until = TC_TIME_NEVER};
	tc_run *run = NULL;
	int rc = tc_run_new(&run, tc_alloc_default(), s, &ro, NULL);
	if (rc == 0)
		rc = tc_run_prepare(run);
	if (rc) {
		fprintf(stderr, "%s\n%s: invalid (its Lua fails to load)\n",
		        run ? tc_run_error_message(run) : tc_strerror(rc), file);
	}
	tc_run_free(run);
	return rc;
}

/* Load one scenario; 0 when it is valid. */
static int validate(const char *file, const tc_load_options *opt)
{
	tc_diag diag;
	tc_diag_init(&diag, tc_alloc_default());
	tc_scenario *s = NULL;
	int rc = tc_scenario_load(&s, tc_alloc_default(), file, opt, &diag);
	if (rc == 0) {
		rc = check_scripts(file, s);
		if (rc == 0)
			print_valid(file, s);
		tc_scenario_free(s);
	} else {
		tc_diag_print(&diag, stderr);
		fprintf(stderr, "%s: invalid (%zu error%s)\n", file, tc_diag_errors(&diag),
		        plural(tc_diag_errors(&diag)));
	}
	tc_diag_release(&diag);
	return rc;
}

int cmd_validate(int argc, char **argv)
{
	tc_alloc *a = tc_alloc_default();
	/* Scenario files, --script files and --set overrides, each in argument order. */
	size_t slots = (size_t)argc * sizeof(const char *);
	const char **files = tc_malloc(a, slots), **scripts = tc_malloc(a, slots);
	const char **sets = tc_malloc(a, slots);
	int status = EXIT_VALID;
	if (!files || !scripts || !sets) {
		fprintf(stderr, "tocsin validate: out of memory\n");
		status = EXIT_INVALID;
	}
	size_t file_count = 0, script_count = 0, set_count = 0;
	int help_shown = 0;
	tc_load_options opt = {0};
	for (int i = 1; status == EXIT_VALID && !help_shown && i < argc; i++) {
		const char *arg = argv[i];
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			fputs(help, stdout);
			help_shown = 1;
		} else if (cli_is_option(arg, "--doctrine")) {
			if (!(opt.doctrine_path = cli_option_value(argc, argv, &i, "--doctrine")))
				status = cli_usage_error("validate", "--doctrine needs a file");
		} else if (cli_is_option(arg, "--script")) {
			const char *v = cli_option_value(argc, argv, &i, "--script");
			if (!v || !*v)
				status = cli_usage_error("validate", "--script needs a file");
			else
				scripts[script_count++] = v;
		} else if (cli_is_option(arg, "--set")) {
			const char *v = cli_option_value(argc, argv, &i, "--set");
			if (!v)
				status = cli_usage_error("validate", "--set needs PATH=VALUE");
			else
				sets[set_count++] = v;
		} else if (arg[0] == '-' && arg[1] != '\0') {
			status = cli_usage_error("validate", "unknown option '%s'", arg);
		} else {
			files[file_count++] = arg;
		}
	}
	if (status == EXIT_VALID && !help_shown && file_count == 0)
		status = cli_usage_error("validate", "no scenario file given");
	opt.script_paths = scripts;
	opt.script_path_count = script_count;
	opt.sets = sets;
	opt.set_count = set_count;
	for (size_t i = 0; status != EXIT_USAGE && !help_shown && i < file_count; i++)
		if (validate(files[i], &opt))
			status = EXIT_INVALID;
	tc_free(a, files, slots);
	tc_free(a, scripts, slots);
	tc_free(a, sets, slots);
	return status;
}
